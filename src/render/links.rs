//! Checking every internal link and `#anchor` of the built site, in Markdown and in
//! templates' output alike: a link to a page that is not there, or to an anchor the page
//! does not have, is a dead end for a visitor.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostics::{Diagnostic, Position};
use crate::load::SourceFile;
use crate::model::config::NamedLink;
use crate::model::urls::{self, BaseUrl};
use crate::model::Markdown;

/// Every path of the site, for links to be checked against: looked up for every link
/// of every page, so with a fast hash.
pub struct Paths<'a> {
    set: foldhash::HashSet<&'a str>,
    /// This set's own number, telling apart what was learnt of its links from what was
    /// learnt of another's (an earlier build's, in `serve`).
    id: u64,
}

impl<'a> FromIterator<&'a str> for Paths<'a> {
    fn from_iter<I: IntoIterator<Item = &'a str>>(paths: I) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        Paths {
            set: paths.into_iter().collect(),
            id: NEXT.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl Paths<'_> {
    pub fn len(&self) -> usize {
        self.set.len()
    }
}

/// What one page says of links: the ids it has, the links from it that lead nowhere,
/// and its links to anchors on other pages, which are checked once every page is
/// rendered. Small, so it can be kept for every page of a big site.
pub struct PageLinks {
    page: String,
    /// The page's ids, each followed by a newline.
    ids: String,
    broken: Vec<(String, Problem)>,
    /// Links to another page's anchor: the link, the page, the anchor.
    anchors: Vec<(String, String, String)>,
    /// The page's Markdown, kept (only) while it has links to report.
    text: Option<Markdown>,
    /// Whether the page was not read (kept from the previous build with nothing to
    /// check): its ids are not known yet.
    unread: bool,
}

impl PageLinks {
    /// Whether the page has links that may need reporting.
    pub fn to_report(&self) -> bool {
        !self.broken.is_empty() || !self.anchors.is_empty()
    }

    /// Keeps the page's Markdown, to point at its links' lines.
    pub fn keep_text(&mut self, text: Markdown) {
        self.text = Some(text);
    }

    /// A page kept from the previous build without being read: the same page as then,
    /// against the same paths, so none of its links is broken and none goes to another
    /// page's anchor; its ids are read only if another page links to one of them.
    pub fn unread(path: &str) -> PageLinks {
        PageLinks {
            page: path.to_string(),
            ids: String::new(),
            broken: Vec::new(),
            anchors: Vec::new(),
            text: None,
            unread: true,
        }
    }

    /// The page's path in the output folder.
    pub fn page(&self) -> &str {
        &self.page
    }

    /// Whether the page's ids are yet to be read (see [`PageLinks::unread`]).
    pub fn is_unread(&self) -> bool {
        self.unread
    }

    /// The pages this page links to an anchor of.
    pub fn anchor_targets(&self) -> impl Iterator<Item = &str> {
        self.anchors.iter().map(|(_, target, _)| target.as_str())
    }
}

/// What is wrong with a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    /// The page is not there: an error.
    Page,
    /// The page is there but has no such anchor: a warning.
    Anchor,
    /// A picture (or another file a page shows: `src`) is not there: an error.
    File,
}

/// Scans one rendered page (`path`, relative to the output folder) for its ids and
/// links, checking each link against `paths`, every file of the site.
pub fn scan_page(path: &str, html: &str, paths: &Paths, base: &BaseUrl) -> PageLinks {
    let attributes = scan(html);
    let mut found = PageLinks {
        page: path.to_string(),
        ids: String::new(),
        broken: Vec::new(),
        anchors: Vec::new(),
        text: None,
        unread: false,
    };
    let links = attributes.links.iter().map(|href| (href, Problem::Page));
    let sources = attributes.sources.iter().map(|src| (src, Problem::File));
    for (href, missing) in links.chain(sources) {
        match check_link_remembered(href, path, paths, base) {
            Verdict::Fine => {}
            Verdict::Broken => found.broken.push((href.to_string(), missing)),
            Verdict::Anchor { target, fragment } if target == path => {
                if attributes.ids.binary_search(&fragment.as_str()).is_err() {
                    found.broken.push((href.to_string(), Problem::Anchor));
                }
            }
            Verdict::Anchor { target, fragment } => {
                found.anchors.push((href.to_string(), target, fragment));
            }
        }
    }
    for id in &attributes.ids {
        found.ids.push_str(id);
        found.ids.push('\n');
    }
    found
}

/// The diagnostics for every broken link of the site, one per broken target. `sources`
/// makes the map from an output path to the file it came from and that file's text (for
/// pointing at the line): it is made only if a link is broken. A broken link found in neither its page's own text nor `site.yaml` is looked for in
/// `templates` (the site's own first), where an edited template may have put it.
pub fn report<'m>(
    pages: &[PageLinks],
    named: &[NamedLink],
    sources: impl FnOnce() -> HashMap<String, (String, Option<&'m Markdown>)>,
    templates: &BTreeMap<String, SourceFile>,
) -> Vec<Diagnostic> {
    // Each page's ids, wanted only if a page links to an anchor.
    let mut ids: Option<HashMap<&str, &str>> = None;
    // Broken target → the pages that link to it, so a broken menu link is one message,
    // not one per page.
    let mut by_link: BTreeMap<(String, Problem), Vec<&str>> = BTreeMap::new();
    let mut id_sets: HashMap<&str, HashSet<&str>> = HashMap::new();
    for page in pages {
        for (href, problem) in &page.broken {
            by_link
                .entry((href.clone(), *problem))
                .or_default()
                .push(&page.page);
        }
        for (href, target, fragment) in &page.anchors {
            // Each target's ids are made a set once: thousands of pages may link to
            // anchors of one big page (every directory entry to its category).
            let known = id_sets
                .entry(target.as_str())
                .or_insert_with(|| {
                    ids.get_or_insert_with(|| {
                        pages
                            .iter()
                            .map(|p| (p.page.as_str(), p.ids.as_str()))
                            .collect()
                    })
                    .get(target.as_str())
                    .map(|ids| ids.lines().collect())
                    .unwrap_or_default()
                })
                .contains(fragment.as_str());
            if !known {
                by_link
                    .entry((href.clone(), Problem::Anchor))
                    .or_default()
                    .push(&page.page);
            }
        }
    }
    if by_link.is_empty() {
        return Vec::new();
    }
    let sources = sources();
    let kept: HashMap<&str, &Markdown> = pages
        .iter()
        .filter_map(|p| Some((p.page.as_str(), p.text.as_ref()?)))
        .collect();
    by_link
        .into_iter()
        .map(|((href, problem), mut pages)| {
            if let Some(link) = named.iter().find(|n| n.href == href && problem != Problem::Anchor) {
                return link.broken.clone();
            }
            pages.sort_unstable();
            pages.dedup();
            let (file, text) = sources.get(pages[0]).cloned().unwrap_or_else(|| (pages[0].to_string(), None));
            let text = kept.get(pages[0]).copied().or(text);
            // Bodies start part-way into their files; pad so line numbers are the file's.
            let text = text.map(|md| format!("{}{}", "\n".repeat(md.first_line.saturating_sub(1)), md.source));
            let on = if pages.len() == 1 { format!("on `/{}`", pages[0].trim_end_matches("index.html")) } else { format!("on {} pages, such as `/{}`", pages.len(), pages[0].trim_end_matches("index.html")) };
            let mut d = match problem {
                Problem::Page => Diagnostic::error(file, format!("the link to `{href}` {on} goes to a page that does not exist")).with_help("check the address; links between files of the site are best written with the file name, like `about.md`"),
                Problem::Anchor => Diagnostic::warning(file, format!("the link to `{href}` {on} goes to an anchor that the page does not have")).with_help("check the part after `#`: it must be the id of a heading on that page (a heading `## Our team` has the id `our-team`)"),
                Problem::File => Diagnostic::error(file, format!("the picture or file `{href}` shown {on} is not among the site's files")).with_help("check its name and folder: pictures belong in `static/`, and are best written from the page's file, like `../static/photos/garden.jpg`"),
            };
            match text.as_deref().and_then(|text| Some((text, find(text, &href)?))) {
                Some((text, position)) => d = d.at(text, position),
                None => {
                    if let Some((file, position)) = find_in_templates(templates, &href) {
                        d.file = file.path.clone();
                        let help = match problem {
                            Problem::File => "check the address in this template: it must be a file of the site, like `/assets/site.css`",
                            Problem::Page | Problem::Anchor => "check the address in this template: it must be a page of the site, like `/groups/`",
                        };
                        d = d.at(&file.text, position).with_help(help);
                    }
                }
            }
            d
        })
        .collect()
}

/// What a link needs: nothing more, a page that is missing, or an anchor to look for.
#[derive(Clone)]
enum Verdict {
    Fine,
    Broken,
    Anchor { target: String, fragment: String },
}

/// [`check_link`], remembered on each thread for links from the site's root (`/…`),
/// whose verdict does not depend on the page: most are in the header, menu and footer
/// of every page, or lead to the same few pages.
fn check_link_remembered(href: &str, page: &str, paths: &Paths, base: &BaseUrl) -> Verdict {
    if !href.starts_with('/') || href.starts_with("//") {
        return check_link(href, page, paths, base);
    }
    struct Known {
        paths: u64,
        base: String,
        verdicts: foldhash::HashMap<Box<str>, Verdict>,
    }
    /// So that a site of links all different does not fill memory.
    const MOST: usize = 10_000;
    thread_local! {
        static KNOWN: RefCell<Option<Known>> = const { RefCell::new(None) };
    }
    KNOWN.with_borrow_mut(|known| {
        let known = match known {
            Some(k) if k.paths == paths.id && k.base == base.path => k,
            _ => known.insert(Known {
                paths: paths.id,
                base: base.path.clone(),
                verdicts: foldhash::HashMap::default(),
            }),
        };
        if let Some(verdict) = known.verdicts.get(href) {
            return verdict.clone();
        }
        let verdict = check_link(href, page, paths, base);
        if known.verdicts.len() >= MOST {
            known.verdicts.clear();
        }
        known.verdicts.insert(href.into(), verdict.clone());
        verdict
    })
}

/// An attribute's value as written before HTML escaped it (`&amp;` is `&`, `&#x27;` is
/// `'`): the escapes the site's own Markdown and templates make.
pub(super) fn unescape(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains('&') {
        return std::borrow::Cow::Borrowed(value);
    }
    let escapes = [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#x27;", "'"),
        ("&#39;", "'"),
        // Last, so that `&amp;lt;` stays `&lt;`.
        ("&amp;", "&"),
    ];
    let plain = escapes
        .iter()
        .fold(value.to_string(), |text, (escaped, plain)| {
            text.replace(escaped, plain)
        });
    std::borrow::Cow::Owned(plain)
}

/// Checks a link of `page` against every path of the site.
fn check_link(href: &str, page: &str, paths: &Paths, base: &BaseUrl) -> Verdict {
    let href = unescape(href);
    // Not a link within the site: nothing, another host (`//host/…`), or a scheme
    // (`https:`, `mailto:`, `tel:`), which comes before any `/`, `#` or `?`.
    if href.is_empty()
        || href.starts_with("//")
        || href
            .split(['/', '#', '?'])
            .next()
            .is_some_and(|first| first.contains(':'))
    {
        return Verdict::Fine;
    }
    let (path, fragment) = href
        .split_once('#')
        .map_or((&*href, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or("");
    // A link still naming a source file was not resolved by the Markdown stage, which has
    // already reported it at its line.
    if [".md", ".markdown", ".yaml", ".yml"]
        .iter()
        .any(|ext| path.ends_with(ext))
    {
        return Verdict::Fine;
    }
    let target = if path.is_empty() {
        page.to_string()
    } else if let Some(inside) = path.strip_prefix(&base.path) {
        resolve(inside)
    } else if path.starts_with('/') {
        // A root path outside the site's base path.
        return if path.trim_end_matches('/') != base.path.trim_end_matches('/') {
            Verdict::Broken
        } else {
            Verdict::Fine
        };
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        resolve(&normalise(&format!("{dir}/{path}")))
    };
    if !paths.set.contains(target.as_str()) {
        return Verdict::Broken;
    }
    match fragment {
        Some(f) if !f.is_empty() && target.ends_with(".html") => Verdict::Anchor {
            target,
            fragment: f.to_string(),
        },
        _ => Verdict::Fine,
    }
}

fn resolve(path: &str) -> String {
    urls::output_path(path.trim_start_matches('/'))
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let trailing = if path.ends_with('/') { "/" } else { "" };
    format!("{}{trailing}", parts.join("/"))
}

/// The ids a page has, each once and sorted (to look up the page's own anchors), and
/// the links it makes in the page's order. A link made twice is listed twice: checking
/// it again is a look-up in [`check_link_remembered`]'s table, cheaper than sorting
/// every page's links, and the report names each page once.
struct Attributes<'a> {
    ids: Vec<&'a str>,
    /// Each `href`: a page linked to.
    links: Vec<&'a str>,
    /// Each `src`: a file the page shows (a picture, mostly).
    sources: Vec<&'a str>,
}

/// Finds every ` id="…"`, ` href="…"` and ` src="…"` of a page in one pass (our
/// templates and pulldown-cmark quote attributes with double quotes).
fn scan(html: &str) -> Attributes<'_> {
    let mut found = Attributes {
        ids: Vec::new(),
        links: Vec::new(),
        sources: Vec::new(),
    };
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'=', &bytes[i..]) {
        let eq = i + offset;
        if bytes.get(eq + 1) != Some(&b'"') {
            i = eq + 1;
            continue;
        }
        let value_start = eq + 2;
        let Some(len) = memchr::memchr(b'"', &bytes[value_start..]) else {
            break;
        };
        // Both ends are ASCII quotes, so the value is whole characters.
        let value = &html[value_start..value_start + len];
        let name = &bytes[..eq];
        if name.ends_with(b" id") {
            found.ids.push(value);
        } else if name.ends_with(b" href") {
            found.links.push(value);
        } else if name.ends_with(b" src") {
            found.sources.push(value);
        }
        i = value_start + len + 1;
    }
    found.ids.sort_unstable();
    found.ids.dedup();
    found
}

/// The template, the site's own before a theme's, that has `href` written out whole, and
/// where. (Only whole: a last part such as `groups` is in many templates.)
fn find_in_templates<'t>(
    templates: &'t BTreeMap<String, SourceFile>,
    href: &str,
) -> Option<(&'t SourceFile, Position)> {
    let quoted = [format!("\"{href}\""), format!("'{href}'")];
    let (own, themes): (Vec<_>, Vec<_>) = templates
        .values()
        .partition(|file| file.path.starts_with("templates"));
    own.into_iter().chain(themes).find_map(|file| {
        let offset = quoted.iter().find_map(|q| file.text.find(q.as_str()))?;
        let len = href.chars().count();
        Some((file, Position::at_offset(&file.text, offset + 1, 1, len)))
    })
}

/// Where `href` (or its last part, as the editor may have written it) appears in `text`.
fn find(text: &str, href: &str) -> Option<Position> {
    // The page's HTML has the address percent-encoded (`%C4%B0`); its Markdown may have
    // the character itself (`İ`).
    let decoded = percent_encoding::percent_decode_str(href)
        .decode_utf8_lossy()
        .into_owned();
    // And it escapes what HTML must (`'` is `&#x27;`).
    let unescaped = unescape(&decoded).into_owned();
    let candidates = [
        href.to_string(),
        decoded,
        unescaped,
        href.rsplit('/')
            .find(|s| !s.is_empty())
            .unwrap_or(href)
            .to_string(),
    ];
    for candidate in candidates.iter().filter(|c| c.len() > 1) {
        if let Some(offset) = text.find(candidate.as_str()) {
            let len = candidate.chars().count();
            return Some(Position::at_offset(text, offset, 1, len));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans and reports, as a render does.
    fn check(files: &[(&str, &str)], base: &BaseUrl) -> Vec<Diagnostic> {
        let paths: Paths = files.iter().map(|(p, _)| *p).collect();
        let pages = files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, html)| scan_page(p, html, &paths, base))
            .collect::<Vec<_>>();
        report(&pages, &[], HashMap::new, &BTreeMap::new())
    }

    #[test]
    fn what_is_remembered_of_a_link_holds_for_its_own_site_only() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let broken = |paths: &Paths, base: &BaseUrl| {
            let found = scan_page("index.html", r#"<a href="/new/">n</a>"#, paths, base);
            found.broken.len()
        };
        let before: Paths = ["index.html"].into_iter().collect();
        assert_eq!(broken(&before, &base), 1);
        assert_eq!(broken(&before, &base), 1, "remembered as broken");
        // The next build (as `serve` makes) has the page.
        let after: Paths = ["index.html", "new/index.html"].into_iter().collect();
        assert_eq!(broken(&after, &base), 0);
        // The same paths under another base path: `/new/` is outside the site.
        let other = BaseUrl::parse("https://example.org/peer/").unwrap();
        assert_eq!(broken(&after, &other), 1);
        assert_eq!(broken(&after, &base), 0);
    }

    #[test]
    fn a_percent_encoded_link_is_found_as_written() {
        let text = "# News\n\nRead [about us](about.mdİ).\n";
        let at = find(text, "about.md%C4%B0").expect("found");
        assert_eq!((at.line, at.column, at.len), (3, 17, 9));
    }

    /// Each once, even where a page makes the same broken link twice.
    #[test]
    fn finds_broken_pages_and_anchors_once_each() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let files = vec![
            (
                "index.html",
                r##"<a href="/about/">a</a><a href="/nope/">b</a><a href="/about/#team">c</a><a href="/about/#gone">d</a><a href="https://x.org/">e</a><a href="mailto:a@b.org">f</a><a href="//other.example.org/x/">f2</a><a href="tel:116123">f3</a><a href="HTTPS://X.ORG/a/b">f4</a><a href="#top">g</a><a href="#nowhere">h</a><h1 id="top">T</h1><a href="/nope/">b again</a><a href="/about/#gone">d again</a><a href="#nowhere">h again</a>"##,
            ),
            (
                "about/index.html",
                r#"<h2 id="team">Team</h2><a href="/nope/">b</a><a href="../">home</a><img src="/assets/logo.svg">"#,
            ),
            ("assets/logo.svg", "<svg/>"),
        ];
        let found = check(&files, &base);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(found
            .iter()
            .any(|d| d.is_error() && d.message.contains("`/nope/` on 2 pages")));
        assert!(found
            .iter()
            .any(|d| !d.is_error() && d.message.contains("`/about/#gone`")));
        assert!(found
            .iter()
            .any(|d| !d.is_error() && d.message.contains("`#nowhere` on `/`")));
    }

    #[test]
    fn where_links_come_from_is_looked_up_only_for_a_broken_one() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let paths: Paths = ["index.html", "about/index.html"].into_iter().collect();
        let scan = |html: &str| vec![scan_page("index.html", html, &paths, &base)];
        let asked = std::cell::Cell::new(0);
        let sources = || {
            asked.set(asked.get() + 1);
            HashMap::from([(
                "index.html".to_string(),
                ("content/_index.md".to_string(), None),
            )])
        };
        assert!(report(
            &scan(r#"<a href="/about/">a</a>"#),
            &[],
            sources,
            &BTreeMap::new()
        )
        .is_empty());
        assert_eq!(asked.get(), 0);
        let found = report(
            &scan(r#"<a href="/gone/">a</a>"#),
            &[],
            sources,
            &BTreeMap::new(),
        );
        assert_eq!(asked.get(), 1);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].file, std::path::Path::new("content/_index.md"));
    }

    #[test]
    fn a_broken_link_site_yaml_names_is_reported_there() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let paths: Paths = ["index.html", "404.html"].into_iter().collect();
        let pages: Vec<PageLinks> = ["404.html", "index.html"]
            .iter()
            .map(|p| scan_page(p, r#"<a href="/events/">Events</a>"#, &paths, &base))
            .collect();
        let named = [NamedLink {
            href: "/events/".to_string(),
            broken: Diagnostic::error("site.yaml", "the menu's link to `/events/` is broken"),
        }];
        let found = report(&pages, &named, HashMap::new, &BTreeMap::new());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].file, std::path::Path::new("site.yaml"));
        assert_eq!(found[0].message, "the menu's link to `/events/` is broken");
    }

    #[test]
    fn a_link_is_found_as_written_before_html_escaped_it() {
        let text = "Find out more [about us](@*7>')about.md).";
        let position = find(text, "@*7%3E&#x27;").expect("found");
        assert_eq!((position.line, position.column), (1, 26));
    }

    #[test]
    fn a_broken_link_a_template_writes_is_reported_at_its_line() {
        let base = BaseUrl::parse("https://example.org/").unwrap();
        let paths: Paths = ["index.html", "groups/index.html"].into_iter().collect();
        let html = r#"<a href="/groups/">Groups</a> <a href="/nowhere/">Help</a>"#;
        let pages: Vec<PageLinks> = ["index.html", "groups/index.html"]
            .iter()
            .map(|p| scan_page(p, html, &paths, &base))
            .collect();
        let file = |path: &str, text: &str| SourceFile {
            path: path.into(),
            text: text.to_string(),
        };
        let templates = BTreeMap::from([
            // The theme's template has the link too, but the site's own comes first.
            (
                "a.html".to_string(),
                file("themes/calm/templates/a.html", "<a href=\"/nowhere/\">"),
            ),
            (
                "partials/footer.html".to_string(),
                file(
                    "templates/partials/footer.html",
                    "<footer>\n  <a href=\"/groups/\">Groups</a> <a href=\"/nowhere/\">Help</a>\n</footer>",
                ),
            ),
        ]);
        let found = report(&pages, &[], HashMap::new, &templates);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].file,
            std::path::Path::new("templates/partials/footer.html")
        );
        let position = found[0].position.expect("a line");
        assert_eq!((position.line, position.column), (2, 42));
    }
}
