//! Rendering: from a `Site` to its output files, each handed to a [`Sink`] as soon as
//! it is made.
//!
//! HTML pages go through minijinja templates (compiled once, autoescaped) and are
//! rendered as a parallel map over pages; machine-readable outputs (calendars, feeds,
//! the sitemap, robots.txt) are each a module registered in [`feeds::FEEDS`]. The only disk reading here is a content page's
//! Markdown that the model did not keep, read again from its file to be rendered;
//! writing is the sink's.

mod digest;
pub mod feeds;
mod hsds;
pub(crate) mod ical;
mod json;
mod jsonld;
mod links;
mod meeting_guide;
mod page_kind;
mod reuse;
mod sitemap;
mod templates;
pub mod views;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use minijinja::{context, Value as JinjaValue};
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{urls, Markdown, Site};
use crate::write::WriteError;
pub use page_kind::PageKind;
pub use reuse::{push_hex, MadeFrom, Uses};
use views::Views;

/// One file of the finished site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The finished site, sorted by path.
#[derive(Debug, Default)]
pub struct Outputs {
    pub files: Vec<Output>,
    /// How many of the files are HTML pages.
    pub pages: usize,
}

/// A page to render: its route, its template, and what is particular to it. The
/// particulars are built inside the parallel render, so no page's data waits in memory
/// for the others.
struct Job<'a> {
    route: String,
    /// The file the page comes from, for messages (`content/about.md`), or what makes it.
    source: String,
    template: String,
    kind: PageKind,
    title: String,
    description: Option<String>,
    /// The page's own Markdown, rendered with the page.
    body: Option<Body<'a>>,
    extra: Extra<'a>,
    in_sitemap: bool,
}

/// A page's Markdown: the site's (a group's, say), or a content page's, read from its
/// file when the page is rendered and freed once it is.
enum Body<'a> {
    Site(&'a Markdown),
    Page(&'a crate::model::Page),
}

/// What a page shows besides its title and body.
enum Extra<'a> {
    None,
    Home,
    Page {
        date: Option<views::DateView>,
        children: Vec<&'a PageSummary>,
    },
    Group(usize),
    Meeting(usize),
    Topic(usize),
    Value(usize),
    Organisation(usize),
}

/// Where finished files go as they are rendered: the output folder (`build`), memory
/// (`serve`) or nowhere (`check`). Pages go to the sink one by one, so a big site never
/// has to fit in memory all at once.
pub trait Sink: Sync {
    /// Takes one finished file; `path` is relative, with `/` separators.
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), WriteError>;

    /// Takes one finished page, with what it was made from if that is known, for the
    /// next build to compare with.
    fn put_page(
        &self,
        path: &str,
        bytes: Vec<u8>,
        _made_from: Option<MadeFrom>,
    ) -> Result<(), WriteError> {
        self.put(path, bytes)
    }

    /// Whether the sink remembers what pages were made from: only then can a page be
    /// kept rather than rendered.
    fn remembers(&self) -> bool {
        false
    }

    /// What the page at `path` was made from when the previous build left it.
    fn made_from(&self, _path: &str) -> Option<&MadeFrom> {
        None
    }

    /// Keeps the previous build's page at `path`, made from the same again, if it is
    /// still as that build left it, and reads it into `bytes` if asked (for its links
    /// to be checked). `false` means the page must be rendered after all.
    fn keep(
        &self,
        _path: &str,
        _made_from: MadeFrom,
        _bytes: Option<&mut Vec<u8>>,
    ) -> Result<bool, WriteError> {
        Ok(false)
    }

    /// The hash of every path of the site that the previous build noted.
    fn previous_paths(&self) -> Option<u64> {
        None
    }

    /// Notes the hash of every path of the site, for the next build.
    fn note_paths(&self, _hash: u64) {}

    /// A kept page's bytes, read back (for its ids).
    fn read_back(&self, _path: &str) -> Option<Vec<u8>> {
        None
    }
}

/// Keeps every file in memory, for `serve` and tests.
#[derive(Default)]
pub struct Collect(Mutex<Vec<Output>>);

impl Sink for Collect {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), WriteError> {
        let output = Output {
            path: path.to_string(),
            bytes,
        };
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(output);
        Ok(())
    }
}

impl Collect {
    /// The files collected, sorted by path.
    pub fn into_outputs(self, pages: usize) -> Outputs {
        let mut files = self.0.into_inner().unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Outputs { files, pages }
    }
}

/// Throws every file away, for `check`.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: Vec<u8>) -> Result<(), WriteError> {
        Ok(())
    }
}

/// How many files a render produced.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// HTML pages.
    pub pages: usize,
    /// Every file: pages, feeds, static files.
    pub files: usize,
}

/// Renders the whole site into `sink`, reusing Markdown rendered by earlier builds when
/// `cache` is given. Problems go to `diagnostics`; if there is an error, what reached
/// the sink is not to be used. A sink that fails stops the render with its error.
pub fn render_into(
    site: &Site,
    diagnostics: &mut Diagnostics,
    cache: Option<&crate::markdown::Cache>,
    sink: &dyn Sink,
) -> Result<Counts, WriteError> {
    let links = crate::markdown::Links {
        routes_by_source: &site.routes_by_source,
        base_url: &site.config.base_url,
        raw_html: site.config.raw_html,
    };
    let generation = cache.map(crate::markdown::Cache::start);
    let links_key = if cache.is_some() || sink.remembers() {
        crate::markdown::links_key(&links)
    } else {
        0
    };
    let markdown = |md: &crate::model::Markdown| match (cache, generation) {
        (Some(cache), Some(generation)) => cache.render(generation, links_key, md, &links),
        _ => crate::markdown::render(md, &links),
    };
    let summaries = page_summaries(site);
    let Some(Shared {
        env,
        mut jobs,
        menu_routes,
        globals,
        items,
        calendar_parts,
    }) = shared(site, &summaries, sink.remembers(), diagnostics)
    else {
        return Ok(Counts::default());
    };
    let sitemap_routes: Vec<String> = jobs
        .iter()
        .filter(|j| j.in_sitemap)
        .map(|j| j.route.clone())
        .collect();
    let feed_context = feeds::Context {
        site,
        calendar: &calendar_parts,
        sitemap_routes: &sitemap_routes,
    };
    let feed_files: Vec<feeds::File> = feeds::FEEDS
        .iter()
        .flat_map(|feed| feed.files(&feed_context))
        .collect();

    // Every file's path, known before anything is rendered: two producers of one path
    // stop the build here, and each page's links are checked against the list as soon
    // as the page is rendered.
    let mut sources: Vec<(String, String)> = jobs
        .par_iter()
        .map(|j| (urls::output_path(&j.route), j.source.clone()))
        .collect();
    sources.extend(
        feed_files
            .iter()
            .map(|file| (file.path.clone(), format!("PeerPress's `{}`", file.path)))
            .chain(
                site.static_files
                    .keys()
                    .map(|path| (path.clone(), format!("static/{path}"))),
            ),
    );
    check_unique_paths(&mut sources, diagnostics);
    if diagnostics.has_errors() {
        return Ok(Counts::default());
    }
    let paths: links::Paths = sources.iter().map(|(p, _)| p.as_str()).collect();
    // (`sources` is sorted.)
    let paths_hash = reuse::hash_parts(sources.iter().map(|(p, _)| p.as_bytes()));
    let paths_unchanged = sink.previous_paths() == Some(paths_hash);
    sink.note_paths(paths_hash);

    let fingerprint = sink.remembers().then(|| reuse::fingerprint(site));
    // The first error of the sink; once there is one, nothing more is sent, and pages
    // not yet begun are not rendered.
    let failed: Mutex<Option<WriteError>> = Mutex::new(None);
    let stopped = AtomicBool::new(false);
    let failing = |e: WriteError| {
        stopped.store(true, Ordering::Relaxed);
        let mut failed = failed.lock().unwrap_or_else(PoisonError::into_inner);
        failed.get_or_insert(e);
    };
    let put_page = |path: &str, bytes: Vec<u8>, made_from: Option<MadeFrom>| {
        if stopped.load(Ordering::Relaxed) {
            return;
        }
        if let Err(e) = sink.put_page(path, bytes, made_from) {
            failing(e);
        }
    };
    let put = |path: &str, bytes: Vec<u8>| put_page(path, bytes, None);
    let keep = |path: &str, made_from: MadeFrom, bytes: Option<&mut Vec<u8>>| {
        sink.keep(path, made_from, bytes).unwrap_or_else(|e| {
            failing(e);
            false
        })
    };
    let page = PageRender {
        site,
        menu_routes: &menu_routes,
        items: &items,
        env: &env,
        markdown: &markdown,
        paths: &paths,
        put: &put_page,
        stopped: &stopped,
        reuse: fingerprint.map(|fingerprint| Reuse {
            fingerprint,
            links_key,
            globals: &globals,
            sink,
            keep: &keep,
            paths_unchanged,
        }),
    };
    // Pages that list everything are big, each one long task: they go first, so the
    // other core is never left waiting on one at the end. They are moved in place (a
    // sort would copy every job through a new buffer of untouched memory, which can
    // take milliseconds). The feeds go alongside the pages, in their registered order.
    let heavy: Vec<Job> = jobs
        .extract_if(.., |job| job.kind.lists_everything())
        .collect();
    jobs.splice(0..0, heavy);
    let (results, ()) = rayon::join(
        || -> Vec<_> {
            jobs.into_par_iter()
                .with_max_len(PAGES_PER_TASK)
                .map(|job| page.render(job))
                .collect()
        },
        || {
            feed_files
                .par_iter()
                .for_each(|file| put(&file.path, (file.make)().into_bytes()));
        },
    );
    if let (Some(cache), Some(generation)) = (cache, generation) {
        cache.finish(generation);
    }
    let mut scanned = Vec::with_capacity(results.len());
    for (result, problems) in results {
        diagnostics.extend(problems);
        match result {
            Ok(links) => scanned.push(links),
            Err(d) => diagnostics.push(d),
        }
    }
    let pages = scanned.len();
    for (path, bytes) in &site.static_files {
        // A page of the site's own, in `static/`, has its links checked too.
        if let Some(html) = path
            .ends_with(".html")
            .then(|| std::str::from_utf8(bytes).ok())
            .flatten()
        {
            scanned.push(links::scan_page(path, html, &paths, &site.config.base_url));
        }
        put(path, bytes.clone());
    }
    if let Some(e) = failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
        return Err(e);
    }

    // Pages kept unread that another page links to an anchor of: read for their ids.
    let targets: HashSet<String> = scanned
        .iter()
        .flat_map(|p| p.anchor_targets().map(str::to_string))
        .collect();
    for page in scanned
        .iter_mut()
        .filter(|p| p.is_unread() && targets.contains(p.page()))
    {
        let bytes = sink.read_back(page.page()).unwrap_or_default();
        let html = String::from_utf8_lossy(&bytes);
        *page = links::scan_page(page.page(), &html, &paths, &site.config.base_url);
    }
    let files = paths.len();
    let link_sources = || {
        let texts = source_texts(site);
        sources
            .into_iter()
            .map(|(path, source)| {
                let text = texts.get(source.as_str()).copied();
                (path, (source, text))
            })
            .collect()
    };
    diagnostics.extend(links::report(&scanned, link_sources));
    crate::drop_in_background((env, globals, items, scanned));
    Ok(Counts { pages, files })
}

/// The most pages one core renders in a row before the other may take the rest. Split
/// only as far as it needs, a big site's pages were a few long runs, and one core could
/// be left rendering the last of them alone for most of a second (100,000 pages); a run
/// of 32 is a few milliseconds.
const PAGES_PER_TASK: usize = 32;

/// What every page's rendering shares, made before the first page is.
struct Shared<'a> {
    env: minijinja::Environment<'static>,
    jobs: Vec<Job<'a>>,
    /// The routes the menu links to.
    menu_routes: Vec<String>,
    globals: reuse::Globals,
    items: Items,
    calendar_parts: ical::Parts,
}

/// Makes the views, each page's job and the templates' globals. `None` if the
/// templates cannot be compiled (the problems are in `diagnostics`).
fn shared<'a>(
    site: &'a Site,
    summaries: &'a [PageSummary],
    hashing: bool,
    diagnostics: &mut Diagnostics,
) -> Option<Shared<'a>> {
    let views = views::build(site);
    diagnostics.extend(views.diagnostics.iter().cloned());
    let mut env = match templates::environment(site) {
        Ok(env) => env,
        Err(problems) => {
            diagnostics.extend(problems);
            return None;
        }
    };
    let jobs = jobs(site, &views, summaries);
    // What every page shares is the templates' globals, made once: a page's own
    // context is just `page`, and a lookup of `site` or `t` is a quick one. The
    // calendars' parts are made meanwhile. A build that remembers what each page was
    // made from (to keep pages whose makings are unchanged) hashes the globals too.
    let menu = menu(site);
    let menu_routes = menu.iter().filter_map(|m| m.route.clone()).collect();
    let ((globals, items), calendar_parts) = rayon::join(
        || global_context(site, menu, views, summaries, hashing),
        || ical::Parts::new(site),
    );
    for (name, value) in &globals.values {
        env.add_global(*name, value.clone());
    }
    Some(Shared {
        env,
        jobs,
        menu_routes,
        globals,
        items,
        calendar_parts,
    })
}

/// What rendering one page needs, shared by all pages.
struct PageRender<'a> {
    site: &'a Site,
    /// The routes the menu links to.
    menu_routes: &'a [String],
    items: &'a Items,
    env: &'a minijinja::Environment<'static>,
    markdown: &'a (dyn Fn(&crate::model::Markdown) -> crate::markdown::Rendered + Sync),
    /// Every path of the site, for checking links.
    paths: &'a links::Paths<'a>,
    put: &'a PutPage<'a>,
    /// Set once the sink has failed: the build is over.
    stopped: &'a AtomicBool,
    /// How to keep pages that would come out the same, if the sink remembers them.
    reuse: Option<Reuse<'a>>,
}

/// Sends a page to the sink, with what it was made from.
type PutPage<'a> = dyn Fn(&str, Vec<u8>, Option<MadeFrom>) + Sync + 'a;

/// Keeps a page from the previous build, reading it if asked (see [`Sink::keep`]).
type KeepPage<'a> = dyn Fn(&str, MadeFrom, Option<&mut Vec<u8>>) -> bool + Sync + 'a;

/// What keeping a page instead of rendering it needs.
struct Reuse<'a> {
    /// What every page is made from (templates, program).
    fingerprint: u64,
    /// How Markdown links resolve: what every page with Markdown is made from.
    links_key: u64,
    globals: &'a reuse::Globals,
    sink: &'a dyn Sink,
    /// The sink's `keep`, its failure noted as a `put`'s is.
    keep: &'a KeepPage<'a>,
    /// Whether the site has just the paths it had in the previous build: then a kept
    /// page's links are as good as they were.
    paths_unchanged: bool,
}

impl PageRender<'_> {
    /// Renders one page (its Markdown, particulars and template), sends it to the sink
    /// and returns its links for checking, with any problems its Markdown has.
    // The error is a diagnostic: made rarely, carried to the user, never on a hot path.
    #[allow(clippy::result_large_err)]
    fn render(&self, job: Job) -> (Result<links::PageLinks, Diagnostic>, Vec<Diagnostic>) {
        if self.stopped.load(Ordering::Relaxed) {
            let skipped = Diagnostic::error(job.source, "not rendered: the build had stopped");
            return (Err(skipped), Vec::new());
        }
        let site = self.site;
        let path = urls::output_path(&job.route);
        let (extra, extra_hash) = extra_context(site, self.items, &job.extra);
        // Whether the header links to the page, which it then marks as the current one.
        let in_menu = job.route.is_empty() || self.menu_routes.contains(&job.route);
        let own_hash = self
            .reuse
            .as_ref()
            .zip(extra_hash)
            .map(|(reuse, extra)| own_hash(&job, extra, in_menu, reuse.links_key));
        if let (Some(reuse), Some(own_hash)) = (&self.reuse, own_hash) {
            if let Some(kept) = self.keep(reuse, &job, &path, own_hash) {
                return (kept, Vec::new());
            }
        }
        // The page's Markdown rendered, and a content page's own text (read now from
        // its file, or before).
        let (own, rendered) = match job.body {
            Some(Body::Page(page)) => match crate::model::page_body(&site.root, page) {
                Ok(markdown) => {
                    let rendered = (self.markdown)(&markdown);
                    (Some(markdown), Some(rendered))
                }
                Err(d) => return (Err(d), Vec::new()),
            },
            Some(Body::Site(markdown)) => (None, Some((self.markdown)(markdown))),
            None => (None, None),
        };
        let (body, headings, problems) = match rendered {
            Some(r) => (Some(r.html), r.headings, r.diagnostics),
            None => (None, Vec::new(), Vec::new()),
        };
        let page = context! {
            menu_route => in_menu.then(|| job.route.clone()),
            route => job.route,
            href => site.config.base_url.href(&job.route),
            url => site.config.base_url.absolute(&job.route),
            kind => job.kind.name(),
            title => job.title,
            description => job.description,
            body,
            headings,
            ..extra
        };
        let ctx = context! { page };
        let (output, uses) =
            reuse::noting_uses(|| templates::render(self.env, site, &job.template, ctx));
        // A page with problems is rendered every time, so they are reported every time.
        let made_from = match (&self.reuse, own_hash) {
            (Some(reuse), Some(own)) if problems.is_empty() => {
                Some(reuse.globals.made_from(reuse.fingerprint, own, uses))
            }
            _ => None,
        };
        let output = output.map(|html| {
            let mut found = links::scan_page(&path, &html, self.paths, &site.config.base_url);
            let made_from = made_from.map(|m| MadeFrom {
                links_to_check: found.to_report(),
                ..m
            });
            (self.put)(&path, html.into_bytes(), made_from);
            // A page whose links have yet to be reported keeps its text, to point at them.
            if let (true, Some(markdown)) = (found.to_report(), own) {
                found.keep_text(markdown.into_owned());
            }
            found
        });
        (output, problems)
    }

    /// Keeps the page the previous build left at `path`, if it was made from just what
    /// this one would be made from and is untouched since, and returns its links.
    /// `None`: the page is to be rendered.
    // The error is a diagnostic: made rarely, carried to the user, never on a hot path.
    #[allow(clippy::result_large_err)]
    fn keep(
        &self,
        reuse: &Reuse,
        job: &Job,
        path: &str,
        own_hash: u64,
    ) -> Option<Result<links::PageLinks, Diagnostic>> {
        let previous = reuse.sink.made_from(path)?;
        let mut now = reuse
            .globals
            .made_from(reuse.fingerprint, own_hash, previous.uses.clone());
        if now.inputs != previous.inputs {
            return None;
        }
        // The same page, whose links depend on it alone (and on the site's paths).
        now.links_to_check = previous.links_to_check;
        if reuse.paths_unchanged && !previous.links_to_check {
            return (reuse.keep)(path, now, None).then(|| Ok(links::PageLinks::unread(path)));
        }
        thread_local! {
            static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let base_url = &self.site.config.base_url;
        let mut found = BYTES.with_borrow_mut(|bytes| {
            let kept = (reuse.keep)(path, now, Some(bytes));
            let html = std::str::from_utf8(bytes).ok().filter(|_| kept)?;
            Some(links::scan_page(path, html, self.paths, base_url))
        })?;
        if let (true, Some(Body::Page(page))) = (found.to_report(), &job.body) {
            match crate::model::page_body(&self.site.root, page) {
                Ok(markdown) => found.keep_text(markdown.into_owned()),
                Err(d) => return Some(Err(d)),
            }
        }
        Some(Ok(found))
    }
}

/// A hash of what is particular to a page: its template, route, title, Markdown (its
/// file's hash, for a content page, and how its links resolve: `links_key`),
/// particulars (`extra`, hashed) and whether the header links to it (`in_menu`).
fn own_hash(job: &Job, extra: u64, in_menu: bool, links_key: u64) -> u64 {
    let body = match &job.body {
        Some(Body::Page(page)) => {
            let at = &page.body_in_file;
            let numbers = [at.hash, at.offset as u64, at.first_line as u64, links_key];
            reuse::hash_parts([
                page.body.file.as_os_str().as_encoded_bytes(),
                &numbers.map(u64::to_le_bytes).concat(),
                &[u8::from(at.heading_is_title)],
            ])
        }
        Some(Body::Site(markdown)) => reuse::hash_parts([
            markdown.file.as_os_str().as_encoded_bytes(),
            &[markdown.first_line as u64, links_key]
                .map(u64::to_le_bytes)
                .concat(),
            markdown.source.as_bytes(),
        ]),
        None => 0,
    };
    // `None` and `Some("")` differ: the tag byte.
    let description = job
        .description
        .as_ref()
        .map_or_else(Vec::new, |d| [&[1], d.as_bytes()].concat());
    reuse::hash_parts([
        job.template.as_bytes(),
        job.route.as_bytes(),
        job.kind.name().as_bytes(),
        job.title.as_bytes(),
        &description,
        &body.to_le_bytes(),
        &extra.to_le_bytes(),
        &[u8::from(in_menu)],
    ])
}

/// The particulars of one page, built while rendering it, and their hash if the items'
/// values were hashed.
fn extra_context(site: &Site, items: &Items, extra: &Extra) -> (JinjaValue, Option<u64>) {
    let hashes = items.hashes.as_ref();
    // An item's hash and its JSON-LD's.
    let hash = |item: Option<u64>, jsonld: &str| {
        item.map(|h| reuse::hash_parts([h.to_le_bytes().as_slice(), jsonld.as_bytes()]))
    };
    match *extra {
        Extra::None => (context! {}, hashes.map(|_| 0)),
        Extra::Home => {
            let jsonld = jsonld::home(site);
            let h = hash(hashes.map(|_| 0), &jsonld);
            (context! { jsonld }, h)
        }
        Extra::Page {
            ref date,
            ref children,
        } => {
            let h = hashes.map(|_| reuse::hash_serialize(&(date, children)));
            (context! { date, children }, h)
        }
        Extra::Group(i) => {
            let jsonld = jsonld::group(site, i);
            let h = hash(hashes.map(|h| h.groups[i]), &jsonld);
            (context! { group => items.groups[i].clone(), jsonld }, h)
        }
        Extra::Meeting(i) => {
            let jsonld = jsonld::meeting(site, &site.meetings[i]);
            let h = hash(hashes.map(|h| h.meetings[i]), &jsonld);
            (context! { meeting => items.meetings[i].clone(), jsonld }, h)
        }
        Extra::Topic(i) => (
            context! { topic => items.topics[i].clone() },
            hashes.map(|h| h.topics[i]),
        ),
        Extra::Value(i) => (
            context! { value => items.values[i].clone() },
            hashes.map(|h| h.values[i]),
        ),
        Extra::Organisation(i) => {
            let jsonld = jsonld::organisation(&site.organisations[i]);
            let h = hash(hashes.map(|h| h.organisations[i]), &jsonld);
            (
                context! { organisation => items.organisations[i].clone(), jsonld },
                h,
            )
        }
    }
}

/// The Markdown text of each source file, to point link problems at their line.
fn source_texts(site: &Site) -> HashMap<String, &crate::model::Markdown> {
    // Content pages' text goes with their links (see `PageRender::render`).
    let bodies = site
        .groups
        .iter()
        .map(|g| &g.body)
        .chain(site.values.iter().map(|v| &v.body))
        .chain(site.organisations.iter().map(|o| &o.description));
    bodies
        .map(|b| (crate::diagnostics::display_path(&b.file), b))
        .collect()
}

/// Two producers of one path would silently overwrite each other; say so instead,
/// naming both.
fn check_unique_paths(sources: &mut [(String, String)], diagnostics: &mut Diagnostics) {
    // Pairs that compare equal are the same: their order among themselves is no matter.
    sources.par_sort_unstable();
    for pair in sources.windows(2) {
        let ((path, first), (other_path, second)) = (&pair[0], &pair[1]);
        if path != other_path {
            continue;
        }
        let file = if second.contains('/')
            && !second.starts_with("PeerPress")
            && !second.starts_with("the ")
        {
            second
        } else {
            first
        };
        diagnostics.push(
            Diagnostic::error(
                file.clone(),
                format!("{first} and {second} would both be written to `{path}`"),
            )
            .with_help("rename or move one of them so that each has its own address"),
        );
    }
}

#[derive(Serialize)]
struct SiteContext<'a> {
    name: &'a str,
    tagline: Option<&'a str>,
    description: Option<&'a str>,
    language: &'a str,
    timezone: &'a str,
    base_path: &'a str,
    url: String,
    contact: &'a crate::model::contact::Contact,
    crisis: &'a [crate::model::config::CrisisLine],
    menu: Vec<crate::model::config::MenuItem>,
    footer: Option<&'a str>,
    logo: Option<String>,
    /// Where the quick-exit button goes, if the site has one.
    quick_exit: Option<&'a str>,
    /// The feeds every page advertises.
    meetings_feed: String,
    calendar: views::CalendarLinks,
    /// The site's icon, if it has one in `static/`.
    favicon: Option<&'static str>,
    built: views::DateView,
}

/// Each meeting, group, directory entry, topic and values statement as a template
/// value, made once: shared by the lists every page can reach and by the item's own page.
struct Items {
    meetings: Vec<JinjaValue>,
    groups: Vec<JinjaValue>,
    organisations: Vec<JinjaValue>,
    topics: Vec<JinjaValue>,
    values: Vec<JinjaValue>,
    /// A hash of each value, when pages may be kept rather than rendered.
    hashes: Option<ItemHashes>,
}

/// A hash of each item's template value, in the order of [`Items`].
struct ItemHashes {
    meetings: Vec<u64>,
    groups: Vec<u64>,
    organisations: Vec<u64>,
    topics: Vec<u64>,
    values: Vec<u64>,
}

impl ItemHashes {
    /// Hashes each item's view (quicker than its template value, and the same
    /// information). A group's value includes its meetings', so its hash does too.
    fn new(v: &Views) -> ItemHashes {
        use reuse::hash_serialize as hash;
        let meetings: Vec<u64> = v.meetings.par_iter().map(hash).collect();
        let groups = v
            .groups
            .par_iter()
            .map(|g| {
                let own = hash(g).to_le_bytes();
                let theirs: Vec<u8> = g
                    .meetings
                    .iter()
                    .flat_map(|&i| meetings[i].to_le_bytes())
                    .collect();
                reuse::hash_parts([own.as_slice(), &theirs])
            })
            .collect();
        ItemHashes {
            groups,
            organisations: v.organisations.par_iter().map(hash).collect(),
            topics: v.topics.par_iter().map(hash).collect(),
            values: v.values.par_iter().map(hash).collect(),
            meetings,
        }
    }
}

/// A group as templates see it: its fields, and `meetings`, the values of its meetings
/// shared with `meeting_list` rather than copies (a big site has tens of thousands).
#[derive(Debug)]
struct WithMeetings {
    base: JinjaValue,
    meetings: JinjaValue,
}

impl minijinja::value::Object for WithMeetings {
    fn get_value(self: &std::sync::Arc<Self>, key: &JinjaValue) -> Option<JinjaValue> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &std::sync::Arc<Self>, key: &str) -> Option<JinjaValue> {
        match key {
            "meetings" => Some(self.meetings.clone()),
            _ => self.base.get_attr(key).ok().filter(|v| !v.is_undefined()),
        }
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        // The fields in their order, `meetings` where it was declared (after `website`).
        let mut keys: Vec<JinjaValue> = self
            .base
            .try_iter()
            .map(Iterator::collect)
            .unwrap_or_default();
        let at = keys
            .iter()
            .position(|k| k.as_str() == Some("website"))
            .map_or(keys.len(), |i| i + 1);
        keys.insert(at, JinjaValue::from("meetings"));
        minijinja::value::Enumerator::Values(keys)
    }
}

/// The site's menu: its own, or the theme's default.
fn menu(site: &Site) -> Vec<crate::model::config::MenuItem> {
    let t = &site.translations;
    site.config.menu.clone().unwrap_or_else(|| {
        [
            ("groups/", "menu_groups"),
            ("meetings/", "menu_meetings"),
            ("values/", "menu_values"),
            ("directory/", "menu_directory"),
        ]
        .iter()
        .map(|(route, key)| crate::model::config::MenuItem {
            label: t.get(key),
            route: Some(route.to_string()),
            href: site.config.base_url.href(route),
        })
        .collect()
    })
}

/// The templates' global variables, and the items among them.
fn global_context(
    site: &Site,
    menu: Vec<crate::model::config::MenuItem>,
    mut v: Views<'_>,
    summaries: &[PageSummary],
    hashing: bool,
) -> (reuse::Globals, Items) {
    let t = &site.translations;
    let today = site.now.to_zoned(site.config.timezone.zone.clone()).date();
    let mut site_ctx = SiteContext {
        name: &site.config.name,
        tagline: site.config.tagline.as_deref(),
        description: site.config.description.as_deref(),
        language: &site.config.language,
        timezone: &site.config.timezone.name,
        base_path: &site.config.base_url.path,
        url: site.config.base_url.absolute(""),
        contact: &site.config.contact,
        crisis: &site.config.crisis,
        menu,
        footer: v.footer.as_deref(),
        logo: site.config.logo.as_ref().map(|l| {
            if l.starts_with("https://") || l.starts_with("http://") {
                l.clone()
            } else {
                site.config.base_url.href(l.trim_start_matches('/'))
            }
        }),
        quick_exit: site.config.quick_exit.as_deref(),
        meetings_feed: site.config.base_url.href(urls::MEETING_GUIDE),
        calendar: views::CalendarLinks::new(site, urls::CALENDAR, &site.config.name),
        favicon: ["favicon.svg", "favicon.ico", "favicon.png"]
            .into_iter()
            .find(|f| site.static_files.contains_key(*f)),
        built: views::DateView {
            iso: today.to_string(),
            label: t.date_long(today),
            short: t.date_short(today),
        },
    };
    // A map from each item's slug to its value (the same value as in the list).
    let by_slug = |slugs: Vec<String>, values: &[JinjaValue]| {
        JinjaValue::from_iter(slugs.into_iter().zip(values.iter().cloned()))
    };
    // The date of the build is on few pages: it is hashed apart from the rest of `site`
    // so that the others are kept from one day to the next.
    let built = std::mem::take(&mut site_ctx.built);
    let site_hash = hashing.then(|| reuse::hash_serialize(&site_ctx));
    site_ctx.built = built;
    let built_hash = hashing.then(|| reuse::hash_serialize(&site_ctx.built));
    let parts = vec![("site", "built", built_hash)];
    let hashes = hashing.then(|| ItemHashes::new(&v));
    let hashed = |hash: &dyn Fn(&ItemHashes) -> u64| hashes.as_ref().map(hash);
    // Each view is freed as soon as it is a template value: the two are never all in
    // memory together. The items are made template values side by side.
    let (meeting_slugs, meetings): (Vec<String>, Vec<JinjaValue>) = std::mem::take(&mut v.meetings)
        .into_par_iter()
        .map(|m| (m.slug.clone(), JinjaValue::from_serialize(&m)))
        .unzip();
    let (group_slugs, groups): (Vec<String>, Vec<JinjaValue>) = std::mem::take(&mut v.groups)
        .into_par_iter()
        .map(|g| {
            let shared: Vec<JinjaValue> = g.meetings.iter().map(|&i| meetings[i].clone()).collect();
            let value = JinjaValue::from_object(WithMeetings {
                base: JinjaValue::from_serialize(&g),
                meetings: JinjaValue::from(shared),
            });
            (g.slug, value)
        })
        .unzip();
    let (organisation_slugs, organisations): (Vec<String>, Vec<JinjaValue>) =
        std::mem::take(&mut v.organisations)
            .into_par_iter()
            .map(|o| (o.entry.slug.clone(), JinjaValue::from_serialize(&o)))
            .unzip();
    // The hash of a list of items, and of a map from their slugs to them.
    let list = |of: fn(&ItemHashes) -> &Vec<u64>| hashed(&|h| reuse::hash_u64s(of(h)));
    let map = |slugs: &[String], of: fn(&ItemHashes) -> &Vec<u64>| {
        hashed(&|h| {
            let slugs = reuse::hash_parts(slugs.iter().map(String::as_bytes));
            reuse::hash_u64s(&[slugs, reuse::hash_u64s(of(h))])
        })
    };
    let meetings_hash = (map(&meeting_slugs, |h| &h.meetings), list(|h| &h.meetings));
    let groups_hash = (map(&group_slugs, |h| &h.groups), list(|h| &h.groups));
    let directory_hash = (
        map(&organisation_slugs, |h| &h.organisations),
        list(|h| &h.organisations),
    );
    let (topics_hash, values_hash) = (list(|h| &h.topics), list(|h| &h.values));
    // The maps from slugs to items are noted key by key: a meeting's page that shows
    // its group depends on that group alone.
    let keyed = match &hashes {
        Some(h) => {
            let by_slug = |slugs: &[String], hashes: &[u64]| {
                slugs.iter().cloned().zip(hashes.iter().copied()).collect()
            };
            vec![
                ("meetings", by_slug(&meeting_slugs, &h.meetings)),
                ("groups", by_slug(&group_slugs, &h.groups)),
                ("directory", by_slug(&organisation_slugs, &h.organisations)),
            ]
        }
        None => Vec::new(),
    };
    let items = Items {
        meetings: meetings.clone(),
        groups: groups.clone(),
        organisations: organisations.clone(),
        topics: v.topics.iter().map(JinjaValue::from_serialize).collect(),
        values: v.values.iter().map(JinjaValue::from_serialize).collect(),
        hashes,
    };
    // Each global is made, and hashed from its view, side by side once all are listed:
    // on a big site, a few of them are tens of thousands of values each.
    type Make<'a> = Box<dyn FnOnce() -> JinjaValue + Send + 'a>;
    type Pending<'a> = Option<Box<dyn FnOnce() -> u64 + Send + 'a>>;
    /// A global made from a view, and hashed from it if `hashing`.
    fn view<'a, T: Serialize + Sync + ?Sized>(
        hashing: bool,
        name: &'static str,
        view: &'a T,
    ) -> (&'static str, Make<'a>, Pending<'a>) {
        let hash = hashing.then(|| Box::new(move || reuse::hash_serialize(view)) as _);
        (
            name,
            Box::new(move || JinjaValue::from_serialize(view)),
            hash,
        )
    }
    /// A global made from a list view, hashed item by item on every core (the list of
    /// pages has one item for each content page: 71,000 took 150 ms to hash as one).
    fn list_view<'a, T: Serialize + Sync>(
        hashing: bool,
        name: &'static str,
        list: &'a [T],
    ) -> (&'static str, Make<'a>, Pending<'a>) {
        let (name, make, _) = view(false, name, list);
        let hash = hashing.then(|| {
            Box::new(move || {
                let each: Vec<u64> = list.par_iter().map(reuse::hash_serialize).collect();
                reuse::hash_u64s(&each)
            }) as _
        });
        (name, make, hash)
    }
    /// A global made by `make`, whose hash is known.
    fn made<'a>(
        name: &'static str,
        make: impl FnOnce() -> JinjaValue + Send + 'a,
        hash: Option<u64>,
    ) -> (&'static str, Make<'a>, Pending<'a>) {
        let hash = hash.map(|h| Box::new(move || h) as _);
        (name, Box::new(make), hash)
    }
    let all = &items;
    let site_ctx = &site_ctx;
    let globals = vec![
        made("site", || JinjaValue::from_serialize(site_ctx), site_hash),
        view(hashing, "t", &*t.strings),
        view(hashing, "data", &site.data),
        made(
            "meetings",
            || by_slug(meeting_slugs, &all.meetings),
            meetings_hash.0,
        ),
        made(
            "meeting_list",
            || JinjaValue::from(meetings),
            meetings_hash.1,
        ),
        made(
            "groups",
            || by_slug(group_slugs, &all.groups),
            groups_hash.0,
        ),
        made("group_list", || JinjaValue::from(groups), groups_hash.1),
        made(
            "directory",
            || by_slug(organisation_slugs, &all.organisations),
            directory_hash.0,
        ),
        made(
            "directory_list",
            || JinjaValue::from(organisations),
            directory_hash.1,
        ),
        made(
            "topics",
            || JinjaValue::from(all.topics.clone()),
            topics_hash,
        ),
        made(
            "values",
            || JinjaValue::from(all.values.clone()),
            values_hash,
        ),
        list_view(hashing, "week", &v.week),
        list_view(hashing, "upcoming", &v.upcoming),
        list_view(hashing, "categories", &v.categories),
        list_view(hashing, "areas", &v.areas),
        list_view(hashing, "letters", &v.letters),
        list_view(hashing, "formats", &v.formats),
        list_view(hashing, "meeting_areas", &v.meeting_areas),
        list_view(hashing, "types_used", &v.types_used),
        list_view(hashing, "pages", summaries),
    ];
    let globals = globals
        .into_par_iter()
        .map(|(name, make, hash)| {
            let (value, hash) = rayon::join(make, || hash.map(|h| h()));
            (name, value, hash)
        })
        .collect();
    (reuse::Globals::new(globals, parts, keyed), items)
}

/// The route one level up: `news/first/` → `news/`; the home page has none.
fn parent_route(route: &str) -> Option<&str> {
    let trimmed = route.strip_suffix('/')?;
    Some(trimmed.rfind('/').map_or("", |i| &route[..=i]))
}

#[derive(Serialize)]
struct PageSummary {
    route: String,
    href: String,
    title: String,
    description: Option<String>,
    date: Option<views::DateView>,
}

fn page_summaries(site: &Site) -> Vec<PageSummary> {
    let t = &site.translations;
    site.pages
        .par_iter()
        .map(|p| PageSummary {
            route: p.route.clone(),
            href: site.config.base_url.href(&p.route),
            title: p.title.clone(),
            description: p.description.clone(),
            date: p.date.map(|d| views::DateView {
                iso: d.to_string(),
                label: t.date_long(d),
                short: t.date_short(d),
            }),
        })
        .collect()
}

/// Every HTML page of the site.
fn jobs<'a>(site: &'a Site, v: &Views<'_>, summaries: &'a [PageSummary]) -> Vec<Job<'a>> {
    let t = &site.translations;
    // Every page is one job (a few more for the site's own pages): made full size once.
    let mut jobs = Vec::with_capacity(
        16 + site.pages.len()
            + site.groups.len()
            + site.meetings.len()
            + site.topics.len()
            + site.values.len()
            + site.organisations.len(),
    );
    // Content pages whose route is a generated page's become that page's introduction.
    let generated = [
        "",
        "groups/",
        "meetings/",
        "topics/",
        "values/",
        "directory/",
        urls::BROWSING_SAFELY,
    ];
    let mut intros: BTreeMap<&str, (&crate::model::Page, Body<'a>)> = BTreeMap::new();
    for page in &site.pages {
        if generated.contains(&page.route.as_str()) {
            intros.insert(page.route.as_str(), (page, Body::Page(page)));
        }
    }
    let mut intro =
        |route: &str, default_title: String, kind: PageKind, template: &str, extra: Extra<'a>| {
            let (page, body) = intros.remove(route).unzip();
            Job {
                route: route.to_string(),
                source: page.map_or_else(
                    || format!("the {} page PeerPress makes", kind.name()),
                    |p| crate::diagnostics::display_path(&p.body.file),
                ),
                template: template.to_string(),
                kind,
                title: page.map_or(default_title, |p| p.title.clone()),
                description: page.and_then(|p| p.description.clone()),
                body,
                extra,
                in_sitemap: true,
            }
        };
    jobs.push(intro(
        "",
        site.config.name.clone(),
        PageKind::Home,
        "home.html",
        Extra::Home,
    ));
    jobs.push(intro(
        "groups/",
        t.get("groups_title"),
        PageKind::GroupList,
        "groups/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "meetings/",
        t.get("meetings_title"),
        PageKind::MeetingList,
        "meetings/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "topics/",
        t.get("topics_title"),
        PageKind::TopicList,
        "topics/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "values/",
        t.get("values_title"),
        PageKind::ValueList,
        "values/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "directory/",
        t.get("directory_title"),
        PageKind::Directory,
        "directory/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        urls::BROWSING_SAFELY,
        t.get("safety_title"),
        PageKind::Safety,
        "safety.html",
        Extra::None,
    ));

    // Each page's direct children (`news/` → `news/first/`), newest first: found once for
    // all pages rather than by scanning every page for every page.
    let mut children_of: foldhash::HashMap<&str, Vec<&PageSummary>> = Default::default();
    for summary in summaries {
        if let Some(parent) = parent_route(&summary.route) {
            children_of.entry(parent).or_default().push(summary);
        }
    }
    children_of.par_iter_mut().for_each(|(_, list)| {
        list.sort_by(|a, b| {
            b.date
                .as_ref()
                .map(|d| &d.iso)
                .cmp(&a.date.as_ref().map(|d| &d.iso))
                .then_with(|| a.title.cmp(&b.title))
        });
    });
    // The items' jobs are made on both cores, each list in its order.
    let pages = site
        .pages
        .par_iter()
        .filter(|page| !generated.contains(&page.route.as_str()));
    jobs.par_extend(pages.map(|page| {
        let date = page.date.map(|d| views::DateView {
            iso: d.to_string(),
            label: t.date_long(d),
            short: t.date_short(d),
        });
        Job {
            route: page.route.clone(),
            source: crate::diagnostics::display_path(&page.body.file),
            template: page.template.clone().unwrap_or_else(|| "page.html".into()),
            kind: PageKind::Page,
            title: page.title.clone(),
            description: page.description.clone(),
            body: Some(Body::Page(page)),
            extra: Extra::Page {
                date,
                children: children_of
                    .get(page.route.as_str())
                    .cloned()
                    .unwrap_or_default(),
            },
            in_sitemap: true,
        }
    }));
    jobs.par_extend(site.groups.par_iter().enumerate().map(|(i, g)| Job {
        route: urls::group(&g.slug),
        source: crate::diagnostics::display_path(&g.body.file),
        template: "groups/single.html".into(),
        kind: PageKind::Group,
        title: g.name.clone(),
        description: g.summary.clone(),
        body: Some(Body::Site(&g.body)),
        extra: Extra::Group(i),
        in_sitemap: true,
    }));
    jobs.par_extend(site.meetings.par_iter().enumerate().map(|(i, m)| {
        let view = &v.meetings[i];
        Job {
            route: urls::meeting(&m.slug),
            source: crate::diagnostics::display_path(&site.groups[m.group].body.file),
            template: "meetings/single.html".into(),
            kind: PageKind::Meeting,
            title: m.name.clone(),
            description: Some(format!("{}, {}", view.schedule, view.time)),
            body: None,
            extra: Extra::Meeting(i),
            in_sitemap: true,
        }
    }));
    for (i, topic) in site.topics.iter().enumerate() {
        jobs.push(Job {
            route: urls::topic(&topic.slug),
            source: format!("the topic `{}`", topic.name),
            template: "topics/single.html".into(),
            kind: PageKind::Topic,
            title: topic.name.clone(),
            description: None,
            body: None,
            extra: Extra::Topic(i),
            in_sitemap: true,
        });
    }
    for (i, value) in site.values.iter().enumerate() {
        jobs.push(Job {
            route: urls::value(&value.slug),
            source: crate::diagnostics::display_path(&value.body.file),
            template: "values/single.html".into(),
            kind: PageKind::Value,
            title: value.title.clone(),
            description: value.summary.clone(),
            body: Some(Body::Site(&value.body)),
            extra: Extra::Value(i),
            in_sitemap: true,
        });
    }
    jobs.par_extend(site.organisations.par_iter().enumerate().map(|(i, o)| Job {
        route: urls::organisation(&o.slug),
        source: crate::diagnostics::display_path(&o.description.file),
        template: "directory/single.html".into(),
        kind: PageKind::Organisation,
        title: o.name.clone(),
        description: o.summary.clone(),
        body: (!o.description.source.trim().is_empty()).then_some(Body::Site(&o.description)),
        extra: Extra::Organisation(i),
        in_sitemap: true,
    }));
    jobs.push(Job {
        route: "404.html".into(),
        source: "the 404 page PeerPress makes".into(),
        template: "404.html".into(),
        kind: PageKind::NotFound,
        title: t.get("not_found_title"),
        description: None,
        body: None,
        extra: Extra::None,
        in_sitemap: false,
    });
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_shares_its_meetings_and_keeps_its_fields_in_order() {
        #[derive(Serialize)]
        struct Group {
            name: &'static str,
            website: Option<&'static str>,
            formats: Vec<&'static str>,
        }
        let meeting = JinjaValue::from_serialize(serde_json::json!({ "name": "Tuesday" }));
        let group = JinjaValue::from_object(WithMeetings {
            base: JinjaValue::from_serialize(Group {
                name: "Voices",
                website: None,
                formats: vec!["online"],
            }),
            meetings: JinjaValue::from(vec![meeting.clone(), meeting]),
        });
        let env = minijinja::Environment::new();
        let text = env
            .render_str(
                "{{ g.name }}/{{ g.meetings|length }}/{{ g.meetings[0].name }}/{{ g.website is none }}/{{ g.nothing is undefined }}/{% for k in g %}{{ k }} {% endfor %}",
                context! { g => group },
            )
            .unwrap();
        assert_eq!(
            text,
            "Voices/2/Tuesday/True/True/name website meetings formats "
        );
    }
}
