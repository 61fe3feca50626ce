//! `content/**/*.md`: the site's own pages (home, about, news…), each at its clean
//! address (`about.md` → `/about/`). A page whose address is one PeerPress makes
//! (`index.md` → `/`, `groups.md` → `/groups/`) becomes that page's introduction. A big
//! site's pages are most of its text, so they are read one by one as they are parsed,
//! and their text kept only up to a budget ([`KEPT_TEXT`]).

pub mod sections;

use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Files, Folder, ItemPages, Kind, MARKDOWN};
use crate::diagnostics::{display_path, Diagnostic};
use crate::load::{front_matter, SourceFile};
use crate::model::yaml::{Parsed, Text, YamlDoc};
use crate::model::{urls, Building, Markdown, Site};
use crate::render::views::{DateView, Views};
use crate::render::{search, Body, Extra, ItemSet, Job, PageKind};
use crate::schedule::parse::DateValue;

/// The site's own pages.
pub struct Pages;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFile {
    pub title: Option<Text>,
    pub description: Option<Text>,
    pub date: Option<DateValue>,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<Text>,
    /// For a section's page (`news/index.md`): how many of its pages each page of its
    /// list shows.
    pub paginate: Option<PerPage>,
}

/// `paginate: 10`: how many pages each page of a section's list shows.
pub struct PerPage(pub NonZeroUsize);

impl Parsed for PerPage {
    const EXPECTING: &'static str = "a number of pages, like `paginate: 10`";
    fn parse(text: &str) -> Result<Self, String> {
        let help = "write how many pages each page of the list shows, like `paginate: 10`, or remove `paginate` to list them all on one page";
        match text.trim().parse::<usize>().map(NonZeroUsize::new) {
            Ok(Some(n)) => Ok(PerPage(n)),
            Ok(None) => Err(format!(
                "`paginate: 0` would show no pages at all\nhelp: {help}"
            )),
            Err(_) => Err(format!(
                "`{}` is not a number of pages\nhelp: {help}",
                text.trim()
            )),
        }
    }
}
crate::deserialize_via_parsed!(PerPage);

/// A content page dated after the day of the build, left out until a build on or
/// after its date (or one with `--drafts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheduled {
    pub date: jiff::civil::Date,
    pub file: PathBuf,
}

impl Kind for Pages {
    fn folder(&self) -> Folder {
        Folder {
            name: "content",
            extensions: MARKDOWN,
            read_by_kind: true,
        }
    }

    fn build(&self, files: Files, cx: &mut Building) {
        let parsed_pages = parse_pages(&cx.site.root, files.unread, &mut cx.problems);
        let mut pages = Vec::with_capacity(parsed_pages.len());
        // The day of the build where the site is: a page dated later waits for it.
        let today = cx
            .options
            .now
            .to_zoned(cx.site.config.timezone.zone.clone())
            .date();
        let mut scheduled = Vec::new();
        for page in parsed_pages {
            let parsed = page.parsed;
            if parsed.draft && !cx.options.drafts {
                continue;
            }
            if let Some(date) = parsed.date.as_ref().map(|d| d.0) {
                if date > today && !cx.options.drafts {
                    scheduled.push(Scheduled {
                        date,
                        file: page.body.file,
                    });
                    continue;
                }
            }
            let route = cx.page_route(
                page.route,
                page.source.strip_prefix("content/").unwrap_or(&page.source),
            );
            let file = &page.body.file;
            if cx.claim_named("pages", &route, file, page.source, route.clone()) {
                let title = match (parsed.title, page.heading) {
                    (Some(t), _) => t.0,
                    (None, Some(heading)) => heading,
                    (None, None) => title_from_file(&page.body.file),
                };
                pages.push(Page {
                    route,
                    title,
                    description: parsed.description.map(|d| d.0),
                    date: parsed.date.map(|d| d.0),
                    template: parsed.template.map(|t| t.0),
                    paginate: parsed.paginate.map(|p| p.0),
                    body: page.body,
                    body_in_file: page.body_in_file,
                });
            }
        }
        pages.sort_by(|a, b| a.route.cmp(&b.route));
        scheduled.sort_by(|a: &Scheduled, b| a.date.cmp(&b.date).then_with(|| a.file.cmp(&b.file)));
        cx.site.sections = sections::find(&pages);
        cx.site.pages = pages;
        cx.site.scheduled = scheduled;
    }

    fn page_count(&self, site: &Site) -> usize {
        site.pages.len()
    }

    fn item_pages<'a>(&self, site: &'a Site, cx: &ItemPages<'a, '_>, jobs: &mut Vec<Job<'a>>) {
        let t = &site.translations;
        let section_of: foldhash::HashMap<usize, &sections::Section> =
            site.sections.iter().map(|s| (s.page, s)).collect();
        // A page at the address of a page PeerPress makes is that page's introduction.
        let pages = site
            .pages
            .par_iter()
            .enumerate()
            .filter(|(_, page)| !cx.generated.contains(&page.route.as_str()));
        let date_view = |d: jiff::civil::Date| DateView {
            iso: d.to_string(),
            label: t.date_long(d),
            short: t.date_short(d),
        };
        jobs.par_extend(pages.flat_map_iter(|(i, page)| {
            let section = section_of.get(&i).copied();
            let posts: Vec<&PageSummary> = section
                .map(|s| s.posts.iter().map(|&p| &cx.summaries[p]).collect())
                .unwrap_or_default();
            let feed = section
                .filter(|s| s.has_feed(&site.pages))
                .map(|_| crate::render::atom::feed_href(site, &page.route));
            let per_page = section
                .and_then(|s| s.paginate)
                .map_or(posts.len().max(1), NonZeroUsize::get);
            let count = posts.len().div_ceil(per_page).max(1);
            let source = display_path(&page.body.file);
            (1..=count).map(move |number| {
                let children = posts
                    .iter()
                    .skip((number - 1) * per_page)
                    .take(per_page)
                    .copied()
                    .collect();
                let pagination = (count > 1)
                    .then(|| Pagination::new(&site.config.base_url, &page.route, number, count));
                let first = number == 1;
                Job {
                    route: sections::list_page_route(&page.route, number),
                    source: source.clone(),
                    template: page.template.clone().unwrap_or_else(|| "page.html".into()),
                    kind: PageKind::Page,
                    title: if first {
                        page.title.clone()
                    } else {
                        t.get("pagination_title")
                            .replace("{title}", &page.title)
                            .replace("{number}", &number.to_string())
                    },
                    description: page.description.clone(),
                    // The section's own text introduces its first page only.
                    body: first.then_some(Body::Page(page)),
                    extra: Extra::Page {
                        date: page.date.filter(|_| first).map(date_view),
                        children,
                        pagination,
                        feed: feed.clone(),
                    },
                    in_sitemap: true,
                }
            })
        }));
    }

    /// Content pages are listed through `pages` ([`summaries`]), made with the other
    /// globals; they are no items.
    fn items(&self, _: &Site, _: &mut Views, _: bool) -> Vec<ItemSet> {
        Vec::new()
    }

    /// Each page, by its title, description and text (read again from its file when
    /// the index is made, if the model did not keep it).
    fn search_records<'a>(&self, site: &'a Site) -> Vec<search::Record<'a>> {
        site.pages
            .iter()
            .map(|page| search::Record {
                route: page.route.clone(),
                title: &page.title,
                kind: "search_kind_page",
                when: None,
                words: page.description.as_deref().into_iter().collect(),
                text: Some(search::Text::Page(page)),
            })
            .collect()
    }
}

/// A content page in brief, as templates see it in `pages` and a page's `children`.
#[derive(Serialize)]
pub struct PageSummary {
    pub route: String,
    pub href: String,
    pub title: String,
    pub description: Option<String>,
    pub date: Option<DateView>,
}

/// Every content page in brief, in route order.
pub fn summaries(site: &Site) -> Vec<PageSummary> {
    let t = &site.translations;
    site.pages
        .par_iter()
        .map(|p| PageSummary {
            route: p.route.clone(),
            href: site.config.base_url.href(&p.route),
            title: p.title.clone(),
            description: p.description.clone(),
            date: p.date.map(|d| DateView {
                iso: d.to_string(),
                label: t.date_long(d),
                short: t.date_short(d),
            }),
        })
        .collect()
}

/// Where a page of a section's list is among the others, as its links to them show.
#[derive(Debug, Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the list has.
    pub count: usize,
    /// The newer page's address, if there is one.
    pub prev: Option<String>,
    /// The older page's address, if there is one.
    pub next: Option<String>,
    /// The pages to link to by number: the first, the last and those near this one,
    /// with `None` for a gap, so a long list has a short row of links.
    pub pages: Vec<Option<PageLink>>,
}

/// A numbered link to one page of a section's list.
#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub href: String,
    pub current: bool,
}

impl Pagination {
    /// How many numbers either side of this page's are linked.
    const NEAR: usize = 2;

    fn new(base_url: &urls::BaseUrl, section: &str, number: usize, count: usize) -> Pagination {
        let href = |n: usize| base_url.href(&sections::list_page_route(section, n));
        // The first, the last and those near this one, in order, each once.
        let near = number.saturating_sub(Self::NEAR).max(1)..=(number + Self::NEAR).min(count);
        let mut numbers: Vec<usize> = std::iter::once(1).chain(near).chain([count]).collect();
        numbers.dedup();
        let mut pages = Vec::with_capacity(numbers.len() + 2);
        for (i, &n) in numbers.iter().enumerate() {
            if i > 0 && n > numbers[i - 1] + 1 {
                pages.push(None);
            }
            pages.push(Some(PageLink {
                number: n,
                href: href(n),
                current: n == number,
            }));
        }
        Pagination {
            number,
            count,
            prev: (number > 1).then(|| href(number - 1)),
            next: (number < count).then(|| href(number + 1)),
            pages,
        }
    }
}

/// A content page.
#[derive(Debug, Clone)]
pub struct Page {
    pub route: String,
    pub title: String,
    pub description: Option<String>,
    pub date: Option<jiff::civil::Date>,
    /// A template of the theme (or the site's) to use instead of `page.html`.
    pub template: Option<String>,
    /// How many of its pages each page of its list shows, for a section's page.
    pub paginate: Option<NonZeroUsize>,
    /// The page's Markdown: its file and first line, and its text if the model kept it
    /// ([`BodyInFile::kept`]). Otherwise the text is read again when the page is
    /// rendered, so a big site's content does not stay in memory for the whole build.
    pub body: crate::model::Markdown,
    pub body_in_file: BodyInFile,
}

/// Where a content page's Markdown is in its file, and how to be sure the file has not
/// changed since it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyInFile {
    /// Byte offset of the body in the file's text.
    pub offset: usize,
    /// xxh3 of the file's whole text.
    pub hash: u64,
    /// The file line on which the body begins.
    pub first_line: usize,
    /// Whether the body's first `# Heading` became the page's title.
    pub heading_is_title: bool,
    /// Whether [`Page::body`] holds the text, so it need not be read again.
    pub kept: bool,
}

/// A content page as parsed, before its route is claimed.
struct ParsedPage {
    /// Its front matter.
    parsed: PageFile,
    /// The title its first heading gives, when it has none of its own.
    heading: Option<String>,
    /// Its body, located but not kept.
    body: Markdown,
    body_in_file: BodyInFile,
    route: String,
    /// Its file as messages and links name it.
    source: String,
}

/// How much of the content pages' text the model keeps for rendering, in bytes: a site
/// of up to about nine thousand pages of ~600 words is read once, a bigger one only up
/// to this much (the rest is read again as it is rendered), so its Markdown is never
/// all held at once. Keeping a page saves opening and reading its file a second time.
const KEPT_TEXT: usize = 32 << 20;

/// What is left of [`KEPT_TEXT`] as pages are parsed, on every core.
struct TextBudget(AtomicUsize);

impl TextBudget {
    /// Whether a text of `bytes` fits in what is left, which it then takes.
    fn take(&self, bytes: usize) -> bool {
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }
}

/// Reads and parses content pages in parallel, keeping their order. Each file's text is
/// kept while [`KEPT_TEXT`] allows, and otherwise freed as soon as it is parsed
/// ([`page_body`] then reads it again to render the page).
fn parse_pages(
    root: &Path,
    files: Vec<PathBuf>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<ParsedPage> {
    let budget = TextBudget(AtomicUsize::new(KEPT_TEXT));
    crate::model::in_parallel(files, problems, |path, problems| {
        let (file, problem) = crate::load::read_text(root, &path);
        problems.extend(problem);
        parse_page(file?, &budget, problems)
    })
}

fn parse_page(
    file: SourceFile,
    budget: &TextBudget,
    problems: &mut Vec<Diagnostic>,
) -> Option<ParsedPage> {
    if crate::model::is_empty(&file, problems) {
        return None;
    }
    let s = front_matter::split(&file.path, &file.text)
        .map_err(|d| problems.push(d))
        .ok()?;
    let doc = YamlDoc::new(&file.path, &file.text, s.yaml, s.yaml_first_line);
    let parsed = doc.parse::<PageFile>().map_err(|d| problems.push(d)).ok()?;
    let kept = budget.take(s.body.len());
    // Without a title, the text is needed here to take one from the first heading.
    let mut body = Markdown {
        source: if kept || parsed.title.is_none() {
            s.body.to_string()
        } else {
            String::new()
        },
        file: file.path.clone(),
        first_line: s.body_first_line,
    };
    let mut body_in_file = BodyInFile {
        offset: file.text.len() - s.body.len(),
        hash: xxhash_rust::xxh3::xxh3_64(file.text.as_bytes()),
        first_line: s.body_first_line,
        heading_is_title: false,
        kept,
    };
    let mut heading = None;
    if parsed.title.is_none() {
        heading = take_first_heading(&mut body);
        body_in_file.heading_is_title = body.first_line != body_in_file.first_line;
    }
    if !kept {
        body.source = String::new();
    }
    // Worked out here, on every core, not one by one as each route is claimed.
    let source = display_path(&body.file);
    let route = urls::page(source.strip_prefix("content/").unwrap_or(&source));
    Some(ParsedPage {
        parsed,
        heading,
        body,
        body_in_file,
        route,
        source,
    })
}

/// A content page's Markdown: the text the model kept, or else read again from its
/// file. An error if the file cannot be read or changed since the build began (the
/// build is then to be run again).
// The error is a diagnostic: made rarely, carried to the user, never on a hot path.
#[allow(clippy::result_large_err)]
pub fn page_body<'a>(root: &Path, page: &'a Page) -> Result<Cow<'a, Markdown>, Diagnostic> {
    if page.body_in_file.kept {
        return Ok(Cow::Borrowed(&page.body));
    }
    let path = &page.body.file;
    let changed = || {
        Diagnostic::error(path, "this file changed while the site was being built")
            .with_help("build again; if you are editing, `serve` rebuilds by itself")
    };
    let (file, problem) = crate::load::read_text(root, path);
    let file = file.ok_or_else(|| problem.unwrap_or_else(changed))?;
    let at = page.body_in_file;
    if xxhash_rust::xxh3::xxh3_64(file.text.as_bytes()) != at.hash {
        return Err(changed());
    }
    let mut text = file.text;
    text.drain(..at.offset);
    let mut body = Markdown {
        source: text,
        file: file.path,
        first_line: at.first_line,
    };
    if at.heading_is_title {
        take_first_heading(&mut body);
    }
    Ok(Cow::Owned(body))
}

fn title_from_file(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let mut chars = stem.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A page without a `title:` that starts with a `# Heading` takes the heading as its
/// title; the heading leaves the body, so the page does not show it twice.
fn take_first_heading(body: &mut Markdown) -> Option<String> {
    let leading_blank = body
        .source
        .lines()
        .take_while(|l| l.trim().is_empty())
        .count();
    let line = body.source.lines().nth(leading_blank)?;
    let heading = line
        .strip_prefix("# ")?
        .trim()
        .trim_end_matches('#')
        .trim()
        .to_string();
    let rest: String = body
        .source
        .lines()
        .skip(leading_blank + 1)
        .map(|l| format!("{l}\n"))
        .collect();
    body.source = rest;
    body.first_line += leading_blank + 1;
    (!heading.is_empty()).then_some(heading)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `text` as `content/news.md` in `root`, as a build does once the text it
    /// keeps is used up.
    fn parse(root: &Path, text: &str) -> Page {
        let page = parse_with(root, text, &TextBudget(AtomicUsize::new(0)));
        assert!(page.body.source.is_empty(), "the text is not kept");
        page
    }

    /// Parses `text` as `content/news.md` in `root` with what is left of the text to keep.
    fn parse_with(root: &Path, text: &str, budget: &TextBudget) -> Page {
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/news.md"), text).unwrap();
        let file = crate::load::read_text(root, Path::new("content/news.md"))
            .0
            .unwrap();
        let page = parse_page(file, budget, &mut Vec::new()).unwrap();
        assert_eq!(page.route, "news/");
        assert_eq!(page.source, "content/news.md");
        Page {
            route: page.route,
            title: page
                .parsed
                .title
                .map(|t| t.0)
                .or(page.heading)
                .unwrap_or_default(),
            description: None,
            date: None,
            template: None,
            paginate: None,
            body: page.body,
            body_in_file: page.body_in_file,
        }
    }

    #[test]
    fn a_long_list_links_the_first_and_last_pages_and_those_near_this_one() {
        let base = urls::BaseUrl::parse("https://example.org/peer/").unwrap();
        let shown = |number, count| {
            let p = Pagination::new(&base, "news/", number, count);
            let numbers: Vec<String> = p
                .pages
                .iter()
                .map(|l| l.as_ref().map_or("…".into(), |l| l.number.to_string()))
                .collect();
            (numbers.join(" "), p.prev, p.next)
        };
        assert_eq!(
            shown(1, 3),
            ("1 2 3".into(), None, Some("/peer/news/page/2/".into()))
        );
        assert_eq!(
            shown(2, 3).1.as_deref(),
            Some("/peer/news/"),
            "page 1 is the section's own"
        );
        assert_eq!(shown(3, 3).2, None);
        assert_eq!(shown(1, 100).0, "1 2 3 … 100");
        assert_eq!(shown(50, 100).0, "1 … 48 49 50 51 52 … 100");
        assert_eq!(shown(4, 100).0, "1 2 3 4 5 6 … 100");
        assert_eq!(shown(5, 100).0, "1 … 3 4 5 6 7 … 100");
        assert_eq!(shown(100, 100).0, "1 … 98 99 100");
        let current: Vec<bool> = Pagination::new(&base, "news/", 2, 3)
            .pages
            .iter()
            .map(|l| l.as_ref().unwrap().current)
            .collect();
        assert_eq!(current, [false, true, false]);
    }

    #[test]
    fn a_page_body_is_read_again_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let page = parse(
            dir.path(),
            "---\ndescription: d\n---\n\n# Our news\n\nHello.\r\n",
        );
        assert_eq!(page.title, "Our news");
        let body = page_body(dir.path(), &page).unwrap();
        assert_eq!(
            body.source, "\nHello.\n",
            "the heading that became the title is gone"
        );
        assert_eq!(body.first_line, page.body.first_line);
        assert_eq!(body.first_line, 6);

        let page = parse(dir.path(), "\u{feff}---\ntitle: T\n---\nHello.\n");
        assert_eq!(page_body(dir.path(), &page).unwrap().source, "Hello.\n");
    }

    #[test]
    fn a_kept_page_body_is_the_text_read_again_and_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        for text in [
            "---\ndescription: d\n---\n\n# Our news\n\nHello.\r\nBye.\r\n",
            "\u{feff}---\ntitle: T\n---\nHello.\r\n\n# Not the title\n",
            "---\ntitle: T\n---\n",
        ] {
            let mut not_kept = parse(dir.path(), text);
            // (An empty body fits in any budget.)
            not_kept.body_in_file.kept = false;
            let read_again = page_body(dir.path(), &not_kept).unwrap().into_owned();
            let budget = TextBudget(AtomicUsize::new(KEPT_TEXT));
            let page = parse_with(dir.path(), text, &budget);
            assert!(page.body_in_file.kept, "{text:?}");
            // Not read again: a change to the file now is not seen, nor an error.
            std::fs::write(dir.path().join("content/news.md"), "changed").unwrap();
            let kept = page_body(dir.path(), &page).unwrap();
            assert!(matches!(kept, Cow::Borrowed(_)), "{text:?}");
            assert_eq!(kept.source, read_again.source, "{text:?}");
            assert_eq!(kept.first_line, read_again.first_line, "{text:?}");
            assert_eq!(kept.file, read_again.file, "{text:?}");
        }
    }

    #[test]
    fn pages_are_kept_only_while_the_text_to_keep_lasts() {
        let dir = tempfile::tempdir().unwrap();
        let text = |body: &str| format!("---\ntitle: T\n---\n{body}");
        let budget = TextBudget(AtomicUsize::new(10));
        let kept = |body: &str| {
            parse_with(dir.path(), &text(body), &budget)
                .body_in_file
                .kept
        };
        assert!(kept("123456\n"), "7 of 10 bytes");
        assert!(!kept("1234\n"), "5 more do not fit");
        assert!(kept("12\n"), "3 more do");
        assert!(!kept("\n"));
        assert!(kept(""), "nothing always fits");
    }

    #[test]
    fn a_page_changed_during_the_build_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let page = parse(dir.path(), "---\ntitle: T\n---\nHello.\n");
        std::fs::write(
            dir.path().join("content/news.md"),
            "---\ntitle: T\n---\nBye!!!\n",
        )
        .unwrap();
        let error = page_body(dir.path(), &page).unwrap_err();
        assert!(error
            .message
            .contains("changed while the site was being built"));
        std::fs::remove_file(dir.path().join("content/news.md")).unwrap();
        let error = page_body(dir.path(), &page).unwrap_err();
        assert!(error.message.contains("cannot read"), "{}", error.message);
    }
}
