//! The site as plain, checked data: typed groups, meetings, venues, values, directory
//! entries and pages, cross-referenced and validated.
//!
//! `build` turns the `Sources` read from disk into a `Site`, collecting every problem it
//! finds as a diagnostic rather than stopping at the first. It does no I/O and renders
//! nothing; Markdown bodies are kept as source for the renderer.

pub mod config;
pub mod contact;
pub mod group;
pub mod i18n;
pub mod meeting_type;
pub mod organisation;
pub mod page;
pub mod slug;
pub mod urls;
pub mod value;
pub mod venue;
pub mod yaml;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use jiff::Timestamp;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::load::front_matter;
use crate::load::positions::Positions;
use crate::load::{SourceFile, Sources};
pub use config::SiteConfig;
pub use group::{Format, Group, Meeting};
use i18n::Translations;
pub use organisation::Organisation;
pub use page::Page;
use slug::slugify;
pub use value::Value;
pub use venue::Venue;
use yaml::YamlDoc;

/// Markdown source kept for the renderer, with where it came from so problems in it
/// (a broken link) can be reported at the right line.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub source: String,
    pub file: PathBuf,
    pub first_line: usize,
}

/// A topic, and the groups (indices into `Site::groups`) that list it.
#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub groups: Vec<usize>,
}

/// Choices made on the command line that change the model.
#[derive(Debug, Clone)]
pub struct Options {
    /// Replaces `base_url` from site.yaml (`--base-url`).
    pub base_url: Option<String>,
    /// Keeps `base_url`'s path but serves from this origin (`http://127.0.0.1:1111`):
    /// how `serve` makes every link point at itself.
    pub origin: Option<String>,
    /// Include pages, groups and entries marked `draft: true`.
    pub drafts: bool,
    /// The moment "upcoming" is measured from (`SOURCE_DATE_EPOCH`, or now).
    pub now: Timestamp,
}

/// The whole site, checked and cross-referenced.
#[derive(Debug)]
pub struct Site {
    /// The site folder.
    pub root: PathBuf,
    pub config: SiteConfig,
    pub translations: Translations,
    pub pages: Vec<Page>,
    pub groups: Vec<Group>,
    pub meetings: Vec<Meeting>,
    pub venues: BTreeMap<String, Venue>,
    pub values: Vec<Value>,
    pub organisations: Vec<Organisation>,
    pub topics: Vec<Topic>,
    pub data: serde_yaml::Mapping,
    pub templates: BTreeMap<String, SourceFile>,
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Source file (`content/about.md`, `groups/voices.md`…) → route, so Markdown links to
    /// files can be rewritten to the pages they become.
    pub routes_by_source: HashMap<String, String>,
    pub now: Timestamp,
}

/// Builds the model. Returns `None` when an error makes a site impossible (no usable
/// site.yaml); other errors are in `diagnostics` and the caller must not publish.
pub fn build(
    mut sources: Sources,
    options: &Options,
    diagnostics: &mut Diagnostics,
) -> Option<Site> {
    let mut problems = Vec::new();
    // Content pages are most of a big site's text: each file is read as it is parsed,
    // and only so much of their text is kept for rendering ([`KEPT_TEXT`]).
    let page_files = std::mem::take(&mut sources.pages);
    let config_file = sources.site_config.as_ref()?;
    let config = match config::parse(
        &YamlDoc::whole(&config_file.path, &config_file.text),
        options.base_url.as_deref(),
        options.origin.as_deref(),
    ) {
        Ok(c) => c,
        Err(p) => {
            diagnostics.extend(p);
            return None;
        }
    };
    let translations =
        match Translations::load(&config.language, &sources.translations, config.clock) {
            Ok(t) => t,
            Err(d) => {
                diagnostics.push(d);
                return None;
            }
        };
    // `None`: venues.yaml is unreadable, and has been reported; meetings' venues are then
    // not checked against it, to avoid one message per meeting for the same mistake.
    let venues = match &sources.venues {
        Some(file) => venue::parse(&YamlDoc::whole(&file.path, &file.text), &mut problems),
        None => Some(BTreeMap::new()),
    };
    let venues_readable = venues.is_some();
    let venues = venues.unwrap_or_default();

    // The lists and maps below are made their full size at once: grown step by step,
    // a big site's would be copied a dozen times over, on one core.
    let files =
        sources.groups.len() + sources.values.len() + sources.directory.len() + page_files.len();
    let mut routes_by_source = HashMap::with_capacity(files);
    let mut taken = SlugRegistry::with_capacity(files);

    // Groups and their meetings.
    let parsed_files = parse_all(&sources.groups, &mut problems, |file, problems| {
        let (doc, body) = split(file, problems)?;
        group::parse(
            &doc,
            file_slug(&file.path),
            body,
            &config,
            &venues,
            venues_readable,
            options.now,
            problems,
        )
    });
    let mut parsed_groups: Vec<group::ParsedGroup> = Vec::with_capacity(parsed_files.len());
    for (file, parsed) in parsed_files {
        if parsed.draft && !options.drafts {
            continue;
        }
        if taken.claim("groups", &parsed.group.slug, &file.path, &mut problems) {
            routes_by_source.insert(display_path(&file.path), urls::group(&parsed.group.slug));
            parsed_groups.push(parsed);
        }
    }
    // Each name lowered once, not at each of the sort's n·log n comparisons.
    parsed_groups.sort_by_cached_key(|p| p.group.name.to_lowercase());
    let meeting_count = parsed_groups.iter().map(|p| p.meetings.len()).sum();
    // Room for every claim still to come: the meetings', and the other files'.
    taken.reserve(meeting_count + files - sources.groups.len());
    let mut groups = Vec::with_capacity(parsed_groups.len());
    let mut meetings = Vec::with_capacity(meeting_count);
    for parsed in parsed_groups {
        let index = groups.len();
        let mut group = parsed.group;
        for mut meeting in parsed.meetings {
            if taken.claim("meetings", &meeting.slug, &group.body.file, &mut problems) {
                meeting.group = index;
                group.meetings.push(meetings.len());
                meetings.push(meeting);
            }
        }
        groups.push(group);
    }
    let topics = collect_topics(&groups);
    warn_near_duplicates(
        "topic",
        topics.iter().map(|t| {
            (
                t.name.as_str(),
                t.groups.len(),
                groups[t.groups[0]].body.file.as_path(),
            )
        }),
        &sources,
        &mut problems,
    );

    // Values statements.
    let parsed_files = parse_all(&sources.values, &mut problems, |file, problems| {
        let (doc, body) = split(file, problems)?;
        doc.parse::<value::ValueFile>()
            .map_err(|d| problems.push(d))
            .ok()
            .map(|v| (v, body))
    });
    let mut values = Vec::with_capacity(parsed_files.len());
    for (file, (parsed, body)) in parsed_files {
        if parsed.draft && !options.drafts {
            continue;
        }
        let slug = file_slug(&file.path);
        if taken.claim("values", &slug, &file.path, &mut problems) {
            routes_by_source.insert(display_path(&file.path), urls::value(&slug));
            values.push(Value {
                slug,
                title: parsed.title.0,
                order: parsed.order,
                summary: parsed.summary.map(|s| s.0),
                body,
            });
        }
    }
    values.sort_by_cached_key(|v| (v.order.unwrap_or(i64::MAX), v.title.to_lowercase()));

    // Directory entries.
    let parsed_files = parse_all(&sources.directory, &mut problems, |file, problems| {
        let is_markdown = matches!(
            file.path.extension().and_then(|e| e.to_str()),
            Some("md" | "markdown")
        );
        let (doc, mut body) = if is_markdown {
            split(file, problems)?
        } else {
            (
                YamlDoc::whole(&file.path, &file.text),
                Markdown {
                    source: String::new(),
                    file: file.path.clone(),
                    first_line: 1,
                },
            )
        };
        let mut parsed: organisation::OrganisationFile =
            doc.parse().map_err(|d| problems.push(d)).ok()?;
        if let Some(description) = parsed.description.take() {
            if !body.source.trim().is_empty() {
                problems.push(doc.error_at("description", "this entry has both `description:` and a Markdown body").with_help("keep one: move the description below the closing `---`, or remove the body"));
            }
            body = Markdown {
                source: description,
                file: file.path.clone(),
                // Its first line, for messages about its links: from the text if
                // it is written plainly, else from the document's index.
                first_line: Positions::top_level_value_line(
                    doc.yaml,
                    doc.first_line,
                    "description",
                )
                .or_else(|| doc.positions().value("description").map(|p| p.line))
                .unwrap_or(1),
            };
        }
        if !parsed.draft
            && parsed.website.is_none()
            && parsed.phones.is_empty()
            && parsed.email.is_none()
            && parsed.address.is_none()
        {
            problems.push(
                doc.warning_at(
                    "name",
                    "this entry gives no way to contact the organisation",
                )
                .with_help("add a `website`, `phones`, `email` or `address`"),
            );
        }
        Some((parsed, body))
    });
    let mut organisations = Vec::with_capacity(parsed_files.len());
    for (file, (parsed, body)) in parsed_files {
        if parsed.draft && !options.drafts {
            continue;
        }
        let slug = file_slug(&file.path);
        if taken.claim("directory", &slug, &file.path, &mut problems) {
            routes_by_source.insert(display_path(&file.path), urls::organisation(&slug));
            let texts = |v: Vec<yaml::Text>| {
                v.into_iter()
                    .map(|t| t.0)
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
            };
            organisations.push(Organisation {
                slug,
                name: parsed.name.0,
                summary: parsed.summary.map(|s| s.0),
                website: parsed.website,
                phones: parsed.phones,
                email: parsed.email,
                address: parsed.address.map(Into::into),
                areas: texts(parsed.areas),
                categories: texts(parsed.categories),
                languages: texts(parsed.languages),
                access: parsed.access.map(|a| a.0),
                cost: parsed.cost.map(|c| c.0),
                description: body,
            });
        }
    }
    organisations.sort_by_cached_key(|o| o.name.to_lowercase());
    for (kind, lists) in [
        (
            "category",
            organisations
                .iter()
                .map(|o| (&o.categories, o.description.file.as_path()))
                .collect::<Vec<_>>(),
        ),
        (
            "area",
            organisations
                .iter()
                .map(|o| (&o.areas, o.description.file.as_path()))
                .collect(),
        ),
    ] {
        let mut uses: BTreeMap<String, (String, usize, &Path)> = BTreeMap::new();
        for (names, file) in lists {
            for name in names {
                let entry = uses.entry(slugify(name)).or_insert((name.clone(), 0, file));
                entry.1 += 1;
            }
        }
        warn_near_duplicates(
            kind,
            uses.values().map(|(n, c, f)| (n.as_str(), *c, *f)),
            &sources,
            &mut problems,
        );
    }

    // Content pages.
    let parsed_pages = parse_pages(&sources.root, page_files, &mut problems);
    let mut pages = Vec::with_capacity(parsed_pages.len());
    for page in parsed_pages {
        let parsed = page.parsed;
        if parsed.draft && !options.drafts {
            continue;
        }
        if taken.claim("pages", &page.route, &page.body.file, &mut problems) {
            routes_by_source.insert(page.source, page.route.clone());
            let title = match (parsed.title, page.heading) {
                (Some(t), _) => t.0,
                (None, Some(heading)) => heading,
                (None, None) => title_from_file(&page.body.file),
            };
            pages.push(Page {
                route: page.route,
                title,
                description: parsed.description.map(|d| d.0),
                date: parsed.date.map(|d| d.0),
                template: parsed.template.map(|t| t.0),
                body: page.body,
                body_in_file: page.body_in_file,
            });
        }
    }
    pages.sort_by(|a, b| a.route.cmp(&b.route));

    let data = collect_data(&sources.data, &mut problems);
    diagnostics.extend(problems);
    // A big site's claims are a hundred thousand small strings.
    crate::drop_in_background(taken);
    Some(Site {
        root: sources.root.clone(),
        config,
        translations,
        pages,
        groups,
        meetings,
        venues,
        values,
        organisations,
        topics,
        data,
        templates: sources.templates,
        static_files: sources.static_files,
        routes_by_source,
        now: options.now,
    })
}

/// A name used once that is one slip away from a name used elsewhere (`anxeity` and
/// `anxiety`) is probably a typo: free-form lists would otherwise silently grow a
/// second topic.
fn warn_near_duplicates<'a>(
    kind: &str,
    names: impl Iterator<Item = (&'a str, usize, &'a Path)>,
    sources: &Sources,
    problems: &mut Vec<Diagnostic>,
) {
    let names: Vec<(&str, usize, &Path)> = names.collect();
    for (name, uses, file) in &names {
        if *uses != 1 {
            continue;
        }
        let others = names
            .iter()
            .filter(|(n, _, _)| n != name)
            .map(|(n, _, _)| *n);
        if let Some(similar) = crate::diagnostics::closest(name, others) {
            let mut d = Diagnostic::warning(
                *file,
                format!("the {kind} `{name}` is used only here, and looks like `{similar}`"),
            )
            .with_help(format!(
                "did you mean `{similar}`? (if not, ignore this warning)"
            ));
            let text = [&sources.groups, &sources.directory]
                .into_iter()
                .flatten()
                .find(|f| f.path == *file)
                .map(|f| f.text.as_str());
            if let Some((text, offset)) = text.and_then(|t| t.find(*name).map(|o| (t, o))) {
                let line = text[..offset].matches('\n').count() + 1;
                let column = text[..offset]
                    .rsplit('\n')
                    .next()
                    .map_or(0, |l| l.chars().count())
                    + 1;
                d = d.at(
                    text,
                    crate::diagnostics::Position {
                        line,
                        column,
                        len: name.chars().count(),
                    },
                );
            }
            problems.push(d);
        }
    }
}

/// Parses every file with `parse`, in parallel, keeping the files' order and collecting
/// each file's problems.
fn parse_all<'a, T: Send>(
    files: &'a [SourceFile],
    problems: &mut Vec<Diagnostic>,
    parse: impl Fn(&'a SourceFile, &mut Vec<Diagnostic>) -> Option<T> + Sync,
) -> Vec<(&'a SourceFile, T)> {
    in_parallel(files, problems, |file, found| {
        parse(file, found).map(|value| (file, value))
    })
}

/// Runs `parse` on every item in parallel, keeping the items' order and adding each
/// item's problems to `problems`, in that order.
fn in_parallel<I, T>(
    items: I,
    problems: &mut Vec<Diagnostic>,
    parse: impl Fn(I::Item, &mut Vec<Diagnostic>) -> Option<T> + Sync + Send,
) -> Vec<T>
where
    I: rayon::iter::IntoParallelIterator,
    I::Iter: rayon::iter::IndexedParallelIterator,
    T: Send,
{
    use rayon::prelude::*;
    let results: Vec<(Option<T>, Vec<Diagnostic>)> = items
        .into_par_iter()
        .map(|item| {
            let mut found = Vec::new();
            let parsed = parse(item, &mut found);
            (parsed, found)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (result, found) in results {
        problems.extend(found);
        parsed.extend(result);
    }
    parsed
}

/// Whether the file has nothing in it, which is an error.
fn is_empty(file: &SourceFile, problems: &mut Vec<Diagnostic>) -> bool {
    let empty = file.text.trim().is_empty();
    if empty {
        problems.push(
            Diagnostic::error(&file.path, "this file is empty")
                .with_help("add its content (see the README for an example), or delete the file"),
        );
    }
    empty
}

/// A content page as parsed, before its route is claimed.
struct ParsedPage {
    /// Its front matter.
    parsed: page::PageFile,
    /// The title its first heading gives, when it has none of its own.
    heading: Option<String>,
    /// Its body, located but not kept.
    body: Markdown,
    body_in_file: page::BodyInFile,
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
    in_parallel(files, problems, |path, problems| {
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
    if is_empty(&file, problems) {
        return None;
    }
    let s = front_matter::split(&file.path, &file.text)
        .map_err(|d| problems.push(d))
        .ok()?;
    let doc = YamlDoc::new(&file.path, &file.text, s.yaml, s.yaml_first_line);
    let parsed = doc
        .parse::<page::PageFile>()
        .map_err(|d| problems.push(d))
        .ok()?;
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
    let mut body_in_file = page::BodyInFile {
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

/// Splits a Markdown file into its front matter document and its body.
fn split<'a>(
    file: &'a SourceFile,
    problems: &mut Vec<Diagnostic>,
) -> Option<(YamlDoc<'a>, Markdown)> {
    if is_empty(file, problems) {
        return None;
    }
    match front_matter::split(&file.path, &file.text) {
        Ok(s) => Some((
            YamlDoc::new(&file.path, &file.text, s.yaml, s.yaml_first_line),
            Markdown {
                source: s.body.to_string(),
                file: file.path.clone(),
                first_line: s.body_first_line,
            },
        )),
        Err(d) => {
            problems.push(d);
            None
        }
    }
}

fn file_slug(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let slug = slugify(&stem);
    if slug.is_empty() {
        "untitled".to_string()
    } else {
        slug
    }
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

/// Remembers which file claimed each slug, so two files that would become the same page
/// are reported instead of one silently replacing the other.
struct SlugRegistry {
    claimed: foldhash::HashMap<(&'static str, String), PathBuf>,
}

impl SlugRegistry {
    fn with_capacity(capacity: usize) -> Self {
        SlugRegistry {
            claimed: foldhash::HashMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// Makes room for `more` claims than those made so far, at once.
    fn reserve(&mut self, more: usize) {
        self.claimed.reserve(more);
    }

    fn claim(
        &mut self,
        kind: &'static str,
        slug: &str,
        file: &Path,
        problems: &mut Vec<Diagnostic>,
    ) -> bool {
        match self.claimed.entry((kind, slug.to_string())) {
            std::collections::hash_map::Entry::Occupied(other) => {
                problems.push(
                    Diagnostic::error(file, format!("this would make the same page as `{}` ({kind}/{slug})", display_path(other.get())))
                        .with_help("rename one of the two files (or change a meeting `id`) so each has its own address"),
                );
                false
            }
            std::collections::hash_map::Entry::Vacant(place) => {
                place.insert(file.to_path_buf());
                true
            }
        }
    }
}

/// Topics from the groups' `topics:` lists, A–Z; `LGBTQ+` and `lgbtq+` are one topic,
/// named as first written.
fn collect_topics(groups: &[Group]) -> Vec<Topic> {
    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for (index, group) in groups.iter().enumerate() {
        for name in &group.topics {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let topic = topics.entry(slug.clone()).or_insert_with(|| Topic {
                slug,
                name: name.clone(),
                groups: Vec::new(),
            });
            // Groups are visited in order, so a group listing a topic twice is the last one.
            if topic.groups.last() != Some(&index) {
                topic.groups.push(index);
            }
        }
    }
    let mut list: Vec<Topic> = topics.into_values().collect();
    list.sort_by_cached_key(|t| t.name.to_lowercase());
    list
}

/// `data/` files as one mapping: `data/partners.yaml` is `data.partners`, and
/// `data/a/b.yaml` is `data.a.b`.
fn collect_data(files: &[SourceFile], problems: &mut Vec<Diagnostic>) -> serde_yaml::Mapping {
    let mut root = serde_yaml::Mapping::new();
    for file in files {
        let doc = YamlDoc::whole(&file.path, &file.text);
        let value: serde_yaml::Value = match doc.parse() {
            Ok(v) => v,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let relative = file
            .path
            .strip_prefix("data")
            .unwrap_or(&file.path)
            .with_extension("");
        let keys: Vec<String> = relative
            .iter()
            .map(|k| k.to_string_lossy().replace(['-', ' '], "_"))
            .collect();
        let mut map = &mut root;
        for key in &keys[..keys.len().saturating_sub(1)] {
            let entry = map
                .entry(serde_yaml::Value::String(key.clone()))
                .or_insert_with(|| serde_yaml::Value::Mapping(Default::default()));
            if !entry.is_mapping() {
                *entry = serde_yaml::Value::Mapping(Default::default());
            }
            let serde_yaml::Value::Mapping(inner) = entry else {
                unreachable!("just made a mapping")
            };
            map = inner;
        }
        if let Some(last) = keys.last() {
            map.insert(serde_yaml::Value::String(last.clone()), value);
        }
    }
    root
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
            body: page.body,
            body_in_file: page.body_in_file,
        }
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
