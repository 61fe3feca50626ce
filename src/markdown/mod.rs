//! Markdown to HTML: CommonMark with tables, footnotes, strikethrough, task lists and
//! smart punctuation; ids on headings so they can be linked to; links to other files of
//! the site rewritten to the pages they become; raw HTML made safe unless the site opts
//! in. Whatever `raw_html` says, a heading's `{…}` gives only an id and classes, and a
//! link or picture only an address of a kind in [`SAFE_SCHEMES`]: content never adds a
//! script by itself. Raw HTML nested too deep to clean in good time is refused
//! (`nesting.rs`).

mod lint;
mod nesting;
mod raw_img;

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Position};
use crate::model::slug::slugify;
use crate::model::urls::BaseUrl;
use crate::model::Markdown;

/// What Markdown needs from the site to resolve links.
pub struct Links<'a> {
    pub routes_by_source: &'a HashMap<String, String>,
    pub base_url: &'a BaseUrl,
    pub raw_html: bool,
    /// The site's pictures: an image of the site is shown at the size a screen needs.
    pub pictures: &'a crate::images::Pictures,
}

/// A heading of a page, for tables of contents and `#anchor` checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Rendered Markdown, and the problems found in it.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Keeps rendered Markdown between builds, for `serve`: after an edit, only the files
/// whose text changed are rendered again. An entry is valid for the same text, file,
/// line and links (the site's pages and base URL); entries a build did not use are
/// dropped after it, so the cache never holds more than one site's pages.
#[derive(Default)]
pub struct Cache {
    entries: std::sync::Mutex<HashMap<u64, (u64, std::sync::Arc<Rendered>)>>,
    generation: std::sync::atomic::AtomicU64,
}

impl Cache {
    /// Starts a build: entries used from now on are kept by [`Cache::finish`].
    pub fn start(&self) -> u64 {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1
    }

    /// Ends a build, forgetting entries it did not use.
    pub fn finish(&self, generation: u64) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (used, _)| *used == generation);
        }
    }

    /// The rendered Markdown, from the cache or freshly rendered.
    pub fn render(
        &self,
        generation: u64,
        links_key: u64,
        markdown: &Markdown,
        links: &Links,
    ) -> Rendered {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (
            links_key,
            &markdown.source,
            &markdown.file,
            markdown.first_line,
        )
            .hash(&mut hasher);
        let key = hasher.finish();
        if let Ok(mut entries) = self.entries.lock() {
            if let Some((used, rendered)) = entries.get_mut(&key) {
                *used = generation;
                return rendered.as_ref().clone();
            }
        }
        let rendered = render(markdown, links);
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(key, (generation, std::sync::Arc::new(rendered.clone())));
        }
        rendered
    }
}

/// A fingerprint of everything besides a file's own text that its rendering depends on.
pub fn links_key(links: &Links) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut routes: Vec<(&String, &String)> = links.routes_by_source.iter().collect();
    routes.sort();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (
        routes,
        &links.base_url.origin,
        &links.base_url.path,
        &links.base_url.language,
        links.raw_html,
        links.pictures.digest(),
    )
        .hash(&mut hasher);
    hasher.finish()
}

/// The Markdown extensions pages may use (also the benchmark's floor's, so that it
/// parses what PeerPress parses).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `markdown`.
pub fn render(markdown: &Markdown, links: &Links) -> Rendered {
    let mut events = Prepared {
        parser: Parser::new_ext(&markdown.source, options()).into_offset_iter(),
        heading: VecDeque::new(),
        markdown,
        links,
        used_ids: foldhash::HashMap::default(),
        has_raw_html: false,
        nesting: nesting::Nesting::default(),
        image: None,
        picture: None,
        lint: lint::Lint::default(),
        removed: Vec::new(),
        rendered: Rendered::default(),
    };
    let mut html = String::with_capacity(markdown.source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, &mut events);
    let mut rendered = events.rendered;
    if events.has_raw_html && !links.raw_html {
        match events.nesting.too_deep_at() {
            // Cleaning takes time that grows with the square of the nesting, so a page
            // of 64,000 nested `<div>`s would hold up the build for minutes.
            Some(offset) => {
                let message = format!(
                    "the HTML here is nested more than {} elements deep",
                    nesting::MAX_DEPTH
                );
                let error = Diagnostic::error(&markdown.file, message).with_help(
                    "close the HTML elements you open (`<div>` … `</div>`), or write the page in Markdown",
                );
                rendered
                    .diagnostics
                    .push(at_offset(markdown, offset, error));
                html.clear();
            }
            None => html = SANITIZER.clean(&html).to_string(),
        }
    }
    rendered.html = html;
    rendered
}

/// The parser's events on their way to HTML: headings given ids, links rewritten, task
/// markers made text. Events stream through; only a heading's are held, until its end
/// gives its text (and so its id).
struct Prepared<'a, 'm> {
    parser: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    /// The rest of the heading being sent.
    heading: VecDeque<Event<'a>>,
    markdown: &'m Markdown,
    links: &'m Links<'m>,
    used_ids: foldhash::HashMap<String, usize>,
    has_raw_html: bool,
    nesting: nesting::Nesting,
    /// The image being read: where it starts, its address, and its alt text so far.
    image: Option<(usize, String, String)>,
    /// The picture of the site being read, shown by PeerPress's own HTML at its end
    /// (its title with it): its events are held back until then.
    picture: Option<(&'m crate::images::Picture, String)>,
    /// The checks of headings and link texts.
    lint: lint::Lint,
    /// The HTML elements already reported as removed from this page, to name each once.
    removed: Vec<String>,
    /// The headings and problems found so far (`html` is left empty).
    rendered: Rendered,
}

impl<'a> Iterator for Prepared<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.heading.pop_front() {
            return Some(event);
        }
        let (event, span) = loop {
            let (mut event, span) = self.parser.next()?;
            if matches!(event, Event::Start(Tag::Heading { .. })) {
                break (event, span);
            }
            // (An image of the site is held back until its end, and shown then.)
            if self.prepare(&mut event, span) {
                return Some(event);
            }
        };
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            return None;
        };
        self.nesting.open_markdown(span.start);
        if let Some(warning) = self.lint.heading(heading_level(level), &self.markdown.file) {
            self.rendered
                .diagnostics
                .push(at_offset(self.markdown, span.start, warning));
        }
        while let Some((mut event, span)) = self.parser.next() {
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            if self.prepare(&mut event, span) {
                self.heading.push_back(event);
            }
            if end {
                break;
            }
        }
        let text = heading_text(&self.heading);
        let (id, refused_id) = match id {
            Some(id) if !is_safe_name(&id) => (None, Some(id)),
            id => (id, None),
        };
        let wanted = match id {
            Some(id) => id.to_string(),
            None => {
                let s = slugify(&text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let unique = unique_id(&mut self.used_ids, wanted);
        self.rendered.headings.push(Heading {
            level: heading_level(level),
            id: unique.clone(),
            text,
        });
        let classes = self.allowed_classes(refused_id, classes, attrs, span.start);
        Some(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(unique)),
            classes,
            attrs: Vec::new(),
        }))
    }
}

impl<'a> Prepared<'a, '_> {
    /// A heading's `{.class}` names that are plain names; every other attribute
    /// (`{onfocus=…}`, `{style=…}`), and an id that is not a plain name (replaced by one
    /// made from the heading), is left out with a warning, whatever `raw_html` says: an
    /// attribute in `{…}` is how a page would run a script with no HTML in sight.
    fn allowed_classes(
        &mut self,
        refused_id: Option<CowStr<'a>>,
        classes: Vec<CowStr<'a>>,
        attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
        offset: usize,
    ) -> Vec<CowStr<'a>> {
        let (kept, refused): (Vec<_>, Vec<_>) =
            classes.into_iter().partition(|class| is_safe_name(class));
        let mut refused = refused_id
            .iter()
            .map(|id| format!("`#{id}`"))
            .chain(refused.iter().map(|class| format!("`.{class}`")))
            .chain(attrs.iter().map(|(name, _)| format!("`{name}`")));
        let Some(first) = refused.next() else {
            return kept;
        };
        // One warning per heading, however many attributes it has.
        let others = refused.count();
        let named = match others {
            0 => format!(
                "the heading attribute {} is not allowed, so it was left out",
                truncate(&first)
            ),
            _ => format!(
                "the heading attributes {} and {others} more are not allowed, so they were left out",
                truncate(&first)
            ),
        };
        let warning = Diagnostic::warning(&self.markdown.file, named)
            .with_help("a heading may have an id and classes made of letters, digits, `-` and `_`, like `## Our meetings {#meetings .wide}`");
        let warning = at_offset(self.markdown, offset, warning);
        self.rendered.diagnostics.push(warning);
        kept
    }

    /// Warns about an element of `html` that cleaning removes (a frame, a form, a
    /// script): the page would otherwise lose it, or keep its leftovers, without a word.
    fn note_removed_html(&mut self, html: &str, offset: usize) {
        let mut first = None;
        let mut names = Vec::new();
        for (at, name) in opening_tags(html) {
            if ALLOWED_TAGS.contains(name.as_str()) || self.removed.contains(&name) {
                continue;
            }
            first.get_or_insert(offset + at);
            names.push(format!("`<{name}>`"));
            self.removed.push(name);
        }
        let Some(first) = first else {
            return;
        };
        // One warning for one piece of HTML (a form is many elements), each name once a page.
        let message = match names.split_last() {
            Some((only, [])) => {
                format!("the HTML {only} here is not allowed in pages, so it was removed")
            }
            Some((last, others)) => format!(
                "the HTML elements {} and {last} here are not allowed in pages, so they were removed",
                others.join(", ")
            ),
            None => return,
        };
        let warning = Diagnostic::warning(&self.markdown.file, message)
            .with_help("pages may use Markdown and simple HTML; frames, forms, scripts and embedded players are removed so that a page cannot track or attack visitors: link to the page instead, like `[Book a place](https://example.org/form)`");
        self.rendered
            .diagnostics
            .push(at_offset(self.markdown, first, warning));
    }

    /// `html` with its `<img>`s of pictures of the site given their size, as Markdown's
    /// pictures are (`raw_img.rs`), or `None` when it has none.
    fn sized_raw_images(&self, html: &str) -> Option<String> {
        let has_img = html
            .as_bytes()
            .windows(4)
            .any(|w| w[0] == b'<' && w[1..].eq_ignore_ascii_case(b"img"));
        if !has_img {
            return None;
        }
        let base_url = self.links.base_url;
        let href = |path: &str| base_url.file_href(path);
        raw_img::with_sizes(html, |src| {
            let picture = site_picture(src, &self.markdown.file, self.links.pictures)?;
            // Written from the page's file or from `static/`, not as the site has it.
            let elsewhere = !src.trim_start().starts_with('/');
            Some(raw_img::Sized {
                attributes: self.links.pictures.size_attributes(picture, &href, None),
                src: elsewhere.then(|| crate::render::escape_html(&href(&picture.largest()))),
            })
        })
    }

    /// Notes an image's alt text as it streams by, and warns when it has none, or only
    /// its file's name: a screen reader then says nothing useful about it. At the
    /// image's end, its alt text.
    fn note_image(&mut self, event: &Event<'a>, offset: usize) -> Option<String> {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                self.image = Some((offset, dest_url.to_string(), String::new()))
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, alt)) = &mut self.image {
                    alt.push_str(text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, alt)) = &mut self.image {
                    alt.push(' ');
                }
            }
            Event::End(TagEnd::Image) => {
                let (start, url, alt) = self.image.take()?;
                let problem = if alt.trim().is_empty() {
                    Some("this image has no description (alt text)".to_string())
                } else if lint::is_file_name_of(alt.trim(), &url) {
                    Some(format!(
                        "this image's description (alt text) is only its file name, `{}`",
                        truncate(alt.trim())
                    ))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    let warning = Diagnostic::warning(&self.markdown.file, problem)
                        .with_help("write what the image shows between the square brackets, like `![Six people round a table with mugs of tea](tea.jpg)`: people who cannot see the image hear or read this instead");
                    self.rendered
                        .diagnostics
                        .push(at_offset(self.markdown, start, warning));
                }
                return Some(alt);
            }
            _ => {}
        }
        None
    }

    /// Rewrites a link or image, notes raw HTML, and makes a task marker text. `false`
    /// when the event is held back: it is part of a picture of the site, which is shown
    /// whole at its end.
    fn prepare(&mut self, event: &mut Event<'a>, span: std::ops::Range<usize>) -> bool {
        let alt = self.note_image(event, span.start);
        if let Some((offset, warning)) = self.lint.link_text(event, span.start, &self.markdown.file)
        {
            self.rendered
                .diagnostics
                .push(at_offset(self.markdown, offset, warning));
        }
        if self.picture.is_some() {
            // (The picture is taken only at the image's end, when its alt text is known.)
            if let Some((alt, (picture, title))) =
                alt.and_then(|alt| Some((alt, self.picture.take()?)))
            {
                let base_url = self.links.base_url;
                let href = |path: &str| base_url.file_href(path);
                let shown = crate::images::Shown {
                    alt: &alt,
                    title: Some(&title),
                    href: &href,
                    sizes: None,
                };
                let html = self.links.pictures.markup(picture, &shown);
                *event = Event::InlineHtml(CowStr::from(html));
                return true;
            }
            return false;
        }
        match event {
            Event::Start(_) => self.nesting.open_markdown(span.start),
            Event::End(_) => self.nesting.close_markdown(),
            _ => {}
        }
        if let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &*event
        {
            if let Some(picture) = site_picture(dest_url, &self.markdown.file, self.links.pictures)
            {
                self.nesting.close_markdown();
                self.picture = Some((picture, title.to_string()));
                return false;
            }
        }
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                match rewrite_link(dest_url, &self.markdown.file, self.links) {
                    Ok(Some(url)) => *dest_url = CowStr::from(url),
                    Ok(None) => {}
                    Err(problem) => {
                        let position = position_of(self.markdown, span.start);
                        self.rendered
                            .diagnostics
                            .push(problem.at_position(self.markdown, position));
                        if problem.unsafe_link {
                            *dest_url = CowStr::Borrowed("#");
                        }
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                self.has_raw_html = true;
                self.nesting.raw_html(html, span.start);
                if !self.links.raw_html {
                    self.note_removed_html(html, span.start);
                }
                if let Some(sized) = self.sized_raw_images(html) {
                    *html = CowStr::from(sized);
                }
            }
            // A task list's box is shown as a character, not a form control: a disabled,
            // unlabelled checkbox is announced to screen readers as a control to fill in.
            Event::TaskListMarker(done) => {
                let mark = if *done { "☑" } else { "☐" };
                *event = Event::InlineHtml(CowStr::from(format!(
                    "<span class=\"task-marker\">{mark}</span> "
                )));
            }
            _ => {}
        }
        true
    }
}

/// The picture of the site an image's address names, if it is one. Files in `static/`
/// are published at the site's top, so the address may be from there (`/photos/tea.jpg`),
/// or relative to the page's file as it is on the computer (`../static/photos/tea.jpg`
/// from `content/about.md`), or, as a volunteer who knows only `static/` writes it,
/// relative to `static/` (`photos/tea.jpg`), when no file of the page's folder has
/// that name (only `static/` is published, so none does).
fn site_picture<'p>(
    url: &str,
    file: &Path,
    pictures: &'p crate::images::Pictures,
) -> Option<&'p crate::images::Picture> {
    let url = url.trim();
    if scheme_of(url).is_some() || url.starts_with("//") {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    if let Some(from_top) = decoded.strip_prefix('/') {
        return pictures.get(from_top);
    }
    if decoded.is_empty() {
        return None;
    }
    let beside_page = link_target(file, &decoded);
    if let Some(in_static) = beside_page.strip_prefix("static/") {
        return pictures.get(in_static);
    }
    pictures.get(&link_target(Path::new(""), &decoded))
}

/// An id or class a page may give a heading: letters, digits, `-` and `_`, so it can
/// neither break out of its attribute nor be read as anything but a name.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn heading_text(events: &VecDeque<Event>) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

fn unique_id(used: &mut foldhash::HashMap<String, usize>, wanted: String) -> String {
    let Some(count) = used.get_mut(&wanted) else {
        used.insert(wanted.clone(), 1);
        return wanted;
    };
    *count += 1;
    let id = format!("{wanted}-{}", *count - 1);
    used.insert(id.clone(), 1);
    id
}

struct LinkProblem {
    message: String,
    help: String,
    unsafe_link: bool,
}

impl LinkProblem {
    fn at_position(&self, markdown: &Markdown, position: Position) -> Diagnostic {
        let d =
            Diagnostic::error(&markdown.file, self.message.clone()).with_help(self.help.clone());
        at(markdown, position, d)
    }
}

/// `diagnostic`, pointing at the place `offset` bytes into `markdown`.
fn at_offset(markdown: &Markdown, offset: usize, diagnostic: Diagnostic) -> Diagnostic {
    at(markdown, position_of(markdown, offset), diagnostic)
}

/// `diagnostic`, pointing at `position` in `markdown`, with its line quoted.
fn at(markdown: &Markdown, position: Position, mut diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.position = Some(position);
    diagnostic.source_line = markdown
        .source
        .lines()
        .nth(position.line - markdown.first_line)
        .map(String::from);
    diagnostic
}

fn position_of(markdown: &Markdown, offset: usize) -> Position {
    Position::at_offset(&markdown.source, offset, markdown.first_line, 1)
}

/// Rewrites a link: `about.md#team` → `/about/#team`, `/groups/` → `/peer/groups/` under
/// a sub-path. `Ok(None)` leaves it as written.
fn rewrite_link(url: &str, file: &Path, links: &Links) -> Result<Option<String>, LinkProblem> {
    let trimmed = url.trim();
    if let Some(scheme) = scheme_of(trimmed) {
        if !SAFE_SCHEMES
            .iter()
            .any(|safe| scheme.eq_ignore_ascii_case(safe))
        {
            return Err(LinkProblem {
                message: format!("`{}` is not a safe link", truncate(trimmed)),
                help: "link to web pages with `https://…`, or to other pages of the site by their file name, like `about.md`".into(),
                unsafe_link: true,
            });
        }
        return Ok(None);
    }
    if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("//") {
        return Ok(None);
    }
    if let Some(path) = trimmed.strip_prefix('/') {
        return Ok(Some(links.base_url.href(path)));
    }
    let (path, fragment) = trimmed
        .split_once('#')
        .map_or((trimmed, None), |(p, f)| (p, Some(f)));
    let is_markdown = path.ends_with(".md") || path.ends_with(".markdown");
    let is_entry = (path.ends_with(".yaml") || path.ends_with(".yml"))
        && (path.contains("directory/") || file.starts_with("directory"));
    if !is_markdown && !is_entry {
        // A file of `static/` named from the page's file (`../static/leaflet.pdf`) is
        // published at the site's top, where the browser would not find it by that name.
        if path.contains("static/") {
            if let Some(in_static) = link_target(file, path).strip_prefix("static/") {
                let mut href = links.base_url.href(in_static);
                if let Some(fragment) = fragment {
                    href.push('#');
                    href.push_str(fragment);
                }
                return Ok(Some(href));
            }
        }
        return Ok(None);
    }
    let key = link_target(file, path);
    match links.routes_by_source.get(&key) {
        Some(route) => {
            let mut href = links.base_url.href(route);
            if let Some(fragment) = fragment {
                href.push('#');
                href.push_str(fragment);
            }
            Ok(Some(href))
        }
        None => Err(LinkProblem {
            message: format!("the link to `{path}` goes to a file that is not a page of this site"),
            help: format!("check the file name: links are relative to this file, so this points at `{key}` (a draft is not published unless you build with `--drafts`)"),
            unsafe_link: false,
        }),
    }
}

/// The URL schemes a link or picture may use, in Markdown and in cleaned raw HTML alike:
/// web pages, e-mail, phone numbers, calendars, map positions and the chat and call apps
/// peer groups use. Everything else (`javascript:`, `data:`, `vbscript:`, `file:`, and
/// schemes that start other programs, some of which have been used to attack
/// computers) is refused.
const SAFE_SCHEMES: &[&str] = &[
    "http",
    "https",
    "mailto",
    "tel",
    "sms",
    "smsto",
    "webcal",
    "geo",
    "ftp",
    "ftps",
    // Chat and call apps groups meet or talk in.
    "whatsapp",
    "skype",
    "zoommtg",
    "zoomus",
    "msteams",
    "facetime",
    "facetime-audio",
    "matrix",
    "xmpp",
    "irc",
    "ircs",
    "sip",
    "sips",
];

/// The scheme of `url` (`https` in `https://…`), read as a browser reads it: tabs and
/// line breaks anywhere, and control characters and spaces in front, are ignored, so
/// `java\tscript:` is `javascript`. `None` for a relative URL.
fn scheme_of(url: &str) -> Option<String> {
    let mut scheme = String::new();
    let mut chars = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    for c in chars.by_ref() {
        match c {
            ':' if !scheme.is_empty() => return Some(scheme),
            c if c.is_ascii_alphabetic()
                || !scheme.is_empty() && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) =>
            {
                scheme.push(c)
            }
            _ => return None,
        }
    }
    None
}

fn truncate(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The site file a relative link from `file` points at, as `routes_by_source` names
/// files: forward slashes, with `.` and `..` resolved (never above the site folder) and
/// without touching the disk. Made in one string, part by part, as every link of every
/// page is.
fn link_target(file: &Path, link: &str) -> String {
    // The separators `Path` splits at on this platform. (A closure: splitting every
    // link at a slice of `char`s was most of this function's cost.)
    let separator = |c: char| c == '/' || cfg!(windows) && c == '\\';
    let file = file.to_string_lossy();
    let folder = file.rfind(separator).map_or("", |end| &file[..end]);
    // The folder's backslashes are separators too, as in the file's name in messages.
    let in_folder = folder.split(['/', '\\']);
    let mut target = String::with_capacity(folder.len() + link.len() + 1);
    for part in in_folder.chain(link.split(separator)) {
        match part {
            "" | "." => {}
            ".." => target.truncate(target.rfind('/').unwrap_or(0)),
            part => {
                if !target.is_empty() {
                    target.push('/');
                }
                target.push_str(part);
            }
        }
    }
    if target.contains('\\') {
        target.replace('\\', "/")
    } else {
        target
    }
}

/// The elements opened in `html` (`<iframe src=…>` → `iframe`, lower-case), each with
/// where its `<` is.
fn opening_tags(html: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    html.match_indices('<').filter_map(|(at, _)| {
        let name: String = html[at + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
        starts_with_letter.then(|| (at, name.to_ascii_lowercase()))
    })
}

/// Whether every address of a `srcset` (`a.jpg 480w, b.jpg 800w`) is one a picture may
/// have: the cleaner checks `src`, but not the addresses in a list.
fn is_safe_srcset(srcset: &str) -> bool {
    srcset.split(',').all(|candidate| {
        let url = candidate.split_whitespace().next().unwrap_or_default();
        match scheme_of(url) {
            None => true,
            Some(scheme) => ["http", "https"]
                .iter()
                .any(|s| scheme.eq_ignore_ascii_case(s)),
        }
    })
}

/// The elements the cleaner keeps.
static ALLOWED_TAGS: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| SANITIZER.clone_tags());

/// Raw HTML in Markdown is cleaned to a safe subset: formatting and structure stay,
/// scripts, frames, forms, event handlers and `javascript:` links go.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_generic_attributes(["id", "class", "lang", "dir"])
        .add_tags([
            "input",
            "details",
            "summary",
            "figure",
            "figcaption",
            "mark",
            "picture",
            "source",
        ])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        // Pictures of the site (and those a page writes in HTML) in the sizes a screen needs.
        .add_tag_attributes("img", ["srcset", "sizes", "loading", "decoding"])
        .add_tag_attributes(
            "source",
            ["srcset", "sizes", "type", "width", "height", "media"],
        )
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("th" | "td", "style") => matches!(
                value,
                "text-align: left" | "text-align: center" | "text-align: right"
            )
            .then_some(value.into()),
            ("input", "type") => (value == "checkbox").then_some(value.into()),
            (_, "srcset") => is_safe_srcset(value).then_some(value.into()),
            _ => Some(value.into()),
        })
        .url_schemes(SAFE_SCHEMES.iter().copied().collect())
        .link_rel(None);
    builder
});

#[cfg(test)]
mod tests {
    use super::*;

    fn md(source: &str, file: &str, raw_html: bool) -> Rendered {
        let mut routes = HashMap::new();
        routes.insert("content/about.md".to_string(), "about/".to_string());
        routes.insert("groups/voices.md".to_string(), "groups/voices/".to_string());
        let base = BaseUrl::parse("https://example.org/peer/").unwrap();
        let pictures = crate::images::Pictures::default();
        let links = Links {
            routes_by_source: &routes,
            base_url: &base,
            raw_html,
            pictures: &pictures,
        };
        render(
            &Markdown {
                source: source.into(),
                file: file.into(),
                first_line: 5,
            },
            &links,
        )
    }

    #[test]
    fn extensions() {
        let r = md("| a | b |\n|:-|-:|\n| 1 | 2 |\n\n~~no~~ \"quoted\"\n\n- [x] done\n\nNote[^1]\n\n[^1]: Foot.\n", "content/a.md", false);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>no</del>"));
        assert!(r.html.contains("“quoted”"));
        assert!(
            r.html.contains("<span class=\"task-marker\">☑</span> done"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<input"), "no unlabelled form control");
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn heading_ids_are_unique_and_custom_ids_kept() {
        let r = md(
            "## What to expect\n\n## What to expect\n\n### Custom {#mine}\n",
            "content/a.md",
            false,
        );
        assert!(r.html.contains("<h2 id=\"what-to-expect\">"));
        assert!(r.html.contains("<h2 id=\"what-to-expect-1\">"));
        assert!(r.html.contains("<h3 id=\"mine\">"));
        assert_eq!(r.headings.len(), 3);
        assert!(r.diagnostics.is_empty());
        // An id that is not a plain name is made from the heading instead, with a word.
        let r = md("## Réunions {#réunions .wide}\n", "content/a.md", false);
        assert!(
            r.html.contains("<h2 id=\"reunions\" class=\"wide\">"),
            "{}",
            r.html
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert!(r.diagnostics[0].message.contains("`#réunions`"));
    }

    #[test]
    fn links_to_files_become_page_urls() {
        let r = md("[About](about.md#team) [Voices](../groups/voices.md) [Home](/) [Ext](https://x.org/a.md)", "content/index.md", false);
        assert!(r.html.contains("href=\"/peer/about/#team\""), "{}", r.html);
        assert!(r.html.contains("href=\"/peer/groups/voices/\""));
        assert!(r.html.contains("href=\"/peer/\""));
        assert!(r.html.contains("href=\"https://x.org/a.md\""));
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn relative_links_resolve_to_site_files() {
        let from = |file: &str, link: &str| link_target(Path::new(file), link);
        assert_eq!(from("content/index.md", "about.md"), "content/about.md");
        assert_eq!(from("content/news/a.md", "./b.md"), "content/news/b.md");
        assert_eq!(
            from("content/news/a.md", "../../groups/voices.md"),
            "groups/voices.md"
        );
        assert_eq!(from("content/a.md", "x//./y/../b.md"), "content/x/b.md");
        // Never above the site folder.
        assert_eq!(from("content/a.md", "../../../b.md"), "b.md");
        assert_eq!(from("site.md", "b.md"), "b.md");
        // Written with forward slashes, as files are named in messages and routes.
        assert_eq!(from("content/a.md", "x\\b.md"), "content/x/b.md");
        assert_eq!(from("content\\sub/a.md", "../b.md"), "content/b.md");
    }

    #[test]
    fn broken_file_links_are_reported_at_their_line() {
        let r = md(
            "Intro\n\nSee [the plan](missing.md).\n",
            "content/a.md",
            false,
        );
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].position.unwrap().line, 7);
        assert!(r.diagnostics[0].message.contains("missing.md"));
    }

    #[test]
    fn raw_html_is_made_safe_unless_allowed() {
        let source = "<script>alert(1)</script>\n\n<p onclick=\"x()\">Hi <iframe src=\"https://x\"></iframe></p>\n\n[x](javascript:alert(1))\n\n<a href=\"javascript:alert(2)\">y</a>\n";
        let r = md(source, "content/a.md", false);
        for bad in ["<script", "onclick", "<iframe", "javascript:"] {
            assert!(!r.html.contains(bad), "{bad} in {}", r.html);
        }
        assert!(r
            .diagnostics
            .iter()
            .any(|d| d.message.contains("not a safe link")));
        // Whatever the case of the scheme, and even with raw HTML allowed.
        let r = md(
            "[a](JavaScript:alert(3)) [b](DATA:text/html,x) [c](VBScript:y)\n",
            "content/a.md",
            true,
        );
        assert_eq!(r.diagnostics.len(), 3, "{:?}", r.diagnostics);
        assert_eq!(r.html.matches("href=\"#\"").count(), 3, "{}", r.html);
        let allowed = md(
            "<details><summary>More</summary>Text</details>\n",
            "content/a.md",
            true,
        );
        assert!(allowed.html.contains("<details>"));
    }
}
