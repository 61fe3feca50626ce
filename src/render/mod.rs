//! Rendering: from a `Site` to its output files, each handed to a [`Sink`] as soon as
//! it is made.
//!
//! HTML pages go through minijinja templates (compiled once, autoescaped) and are
//! rendered as a parallel map over pages. Which pages there are, and what their
//! templates see, each content kind says for itself ([`crate::kinds::KINDS`]); this
//! module adds the site's own pages (home, browsing safely, 404) and the globals every
//! page shares. Machine-readable outputs (calendars, feeds, the sitemap, robots.txt) are
//! each a module registered in [`feeds::FEEDS`]. The only disk reading here is a
//! content page's Markdown that the model did not keep, read again from its file to be
//! rendered; writing is the sink's.

pub(crate) mod atom;
mod digest;
pub mod feeds;
pub mod finder;
mod hsds;
pub(crate) mod ical;
mod json;
pub(crate) mod jsonld;
mod language_root;
mod languages;
mod links;
pub(crate) mod map_links;
mod meeting_guide;
mod page_kind;
pub(crate) mod reuse;
pub(crate) mod search;
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
use crate::kinds::pages::PageSummary;
use crate::kinds::{ListPage, KINDS};
use crate::model::{urls, Markdown, Site};
use crate::write::WriteError;
pub use page_kind::PageKind;
pub use reuse::{push_hex, MadeFrom, Uses};
use views::Views;

/// `text` with HTML's special characters (`& < > " '`) as entities: the one escaper
/// of every page's values, used wherever else PeerPress writes HTML.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // (Writing to a `String` cannot fail.)
    let _ = templates::write_escaped(&mut out, text, "&#39;");
    out
}

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
pub(crate) struct Job<'a> {
    pub route: String,
    /// The file the page comes from, for messages (`content/about.md`), or what makes it.
    pub source: String,
    pub template: String,
    pub kind: PageKind,
    pub title: String,
    pub description: Option<String>,
    /// The page's own Markdown, rendered with the page.
    pub body: Option<Body<'a>>,
    pub extra: Extra<'a>,
    pub in_sitemap: bool,
}

/// A page's Markdown: the site's (a group's, say), or a content page's, read from its
/// file when the page is rendered and freed once it is.
pub(crate) enum Body<'a> {
    Site(&'a Markdown),
    Page(&'a crate::model::Page),
}

/// What a page shows besides its title and body.
pub(crate) enum Extra<'a> {
    None,
    Home,
    Page {
        date: Option<views::DateView>,
        children: Vec<&'a PageSummary>,
        /// Where this page is among the pages of its section's list, if it is split.
        pagination: Option<crate::kinds::pages::Pagination>,
        /// Its section's Atom feed, for a section's page.
        feed: Option<String>,
    },
    /// An item's own page: the item `index` of the [`ItemSet`] called `set`.
    Item {
        set: &'static str,
        index: usize,
    },
}

/// One kind of item as template values, made once per build and shared by the lists
/// every page can reach and by each item's own page.
pub(crate) struct ItemSet {
    /// What an item's own page calls it (`page.group`).
    pub name: &'static str,
    /// The global listing them all (`group_list`).
    pub list: &'static str,
    /// The global mapping each slug to its item (`groups`), if there is one.
    pub by_slug: Option<&'static str>,
    pub slugs: Vec<String>,
    pub values: Vec<JinjaValue>,
    /// A hash of each value, when pages may be kept rather than rendered.
    pub hashes: Option<Vec<u64>>,
    /// The structured data of an item's own page, if it has any.
    pub jsonld: Option<fn(&Site, usize) -> String>,
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

    /// Keeps the previous build's file at `path` that is not a page (a file of an
    /// output made whole, like the search index), as [`Sink::keep`] keeps a page.
    fn keep_file(&self, _path: &str, _made_from: MadeFrom) -> Result<bool, WriteError> {
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

    /// Whether the files are kept at all: if not, pictures need not be made.
    fn keeps_files(&self) -> bool {
        true
    }

    /// The paths under `folder` (`pagefind/`) of the files the previous build noted
    /// what they were made from: the files an output made whole, like the search
    /// index, may keep.
    fn previous_made_under(&self, _folder: &str) -> Vec<String> {
        Vec::new()
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

    fn keeps_files(&self) -> bool {
        false
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
    let languages: Vec<&Site> = site.in_every_language().collect();
    let links: Vec<crate::markdown::Links> = languages
        .iter()
        .map(|site| crate::markdown::Links {
            routes_by_source: &site.routes_by_source,
            base_url: &site.config.base_url,
            raw_html: site.config.raw_html,
            pictures: &site.pictures,
        })
        .collect();
    let generation = cache.map(crate::markdown::Cache::start);
    let links_keys: Vec<u64> = links
        .iter()
        .map(|links| {
            if cache.is_some() || sink.remembers() {
                crate::markdown::links_key(links)
            } else {
                0
            }
        })
        .collect();
    let markdowns: Vec<Box<MarkdownRender<'_>>> = links
        .iter()
        .zip(&links_keys)
        .map(|(links, &links_key)| -> Box<MarkdownRender> {
            Box::new(
                move |md: &crate::model::Markdown| match (cache, generation) {
                    (Some(cache), Some(generation)) => {
                        cache.render(generation, links_key, md, links)
                    }
                    _ => crate::markdown::render(md, links),
                },
            )
        })
        .collect();
    let summaries: Vec<Vec<PageSummary>> = languages
        .iter()
        .map(|site| crate::kinds::pages::summaries(site))
        .collect();
    // The search index's records are made while the templates and their values
    // are. The site in another language shares the default's templates and
    // views, whose problems are reported once.
    let (shared, search) = rayon::join(
        || {
            let mut all = Vec::with_capacity(languages.len());
            for (i, (site, summaries)) in languages.iter().zip(&summaries).enumerate() {
                let mut again = Diagnostics::default();
                let found = if i == 0 {
                    &mut *diagnostics
                } else {
                    &mut again
                };
                all.push(shared(site, summaries, sink.remembers(), found)?);
            }
            Some(all)
        },
        || search::Index::new(site, sink),
    );
    let Some(shared) = shared else {
        return Ok(Counts::default());
    };
    let mut jobs: Vec<(usize, Job)> = Vec::new();
    let mut per_language = Vec::with_capacity(shared.len());
    // The calendars are the site's, made from its default language.
    let mut default_calendar = None;
    for (i, one) in shared.into_iter().enumerate() {
        let Shared {
            env,
            jobs: own,
            menu_routes,
            globals,
            items,
            calendar_parts,
        } = one;
        // The 404 page is the site's, at its root: hosts show that one.
        jobs.extend(
            own.into_iter()
                .filter(|job| i == 0 || job.kind != PageKind::NotFound)
                .map(|job| (i, job)),
        );
        if i == 0 {
            default_calendar = Some(calendar_parts);
        }
        per_language.push((env, menu_routes, globals, items));
    }
    let Some(calendar_parts) = default_calendar else {
        return Ok(Counts::default());
    };
    // Each language's routes, to link each page to its translations.
    let mut routes_in: Vec<HashSet<String>> = vec![HashSet::new(); languages.len()];
    for (i, job) in &jobs {
        if job.in_sitemap {
            routes_in[*i].insert(job.route.clone());
        }
    }
    let sitemap_routes: Vec<Vec<String>> = routes_in
        .iter()
        .map(|routes| routes.iter().cloned().collect())
        .collect();
    let feed_context = feeds::Context {
        site,
        calendar: &calendar_parts,
        sitemap_routes: &sitemap_routes,
        search: search.as_ref(),
    };
    let feed_files: Vec<feeds::File> = feeds::FEEDS
        .iter()
        .flat_map(|feed| feed.files(&feed_context))
        .collect();
    let feed_folders: Vec<feeds::Folder> = feeds::FEEDS
        .iter()
        .filter_map(|feed| feed.folder(&feed_context))
        .collect();

    // Every file's path, known before anything is rendered: two producers of one path
    // stop the build here, and each page's links are checked against the list as soon
    // as the page is rendered.
    let mut sources: Vec<(String, String)> = jobs
        .par_iter()
        .map(|(i, j)| (page_path(languages[*i], &j.route), j.source.clone()))
        .collect();
    sources.extend(
        feed_files
            .iter()
            .map(|file| (file.path.clone(), format!("PeerPress's `{}`", file.path)))
            .chain(
                site.static_files
                    .keys()
                    .map(|path| (path.clone(), format!("static/{path}"))),
            )
            .chain(
                site.pictures
                    .variant_paths()
                    .map(|(path, from)| (path.to_string(), format!("static/{from}"))),
            )
            .chain(feed_folders.iter().map(|folder| {
                let path = format!("{}{}", folder.path, folder.always);
                (path, format!("PeerPress's `{}`", folder.path))
            })),
    );
    check_unique_paths(&mut sources, diagnostics);
    check_folders_claimed(&sources, &feed_folders, diagnostics);
    if diagnostics.has_errors() {
        return Ok(Counts::default());
    }
    let paths: links::Paths = sources.iter().map(|(p, _)| p.as_str()).collect();
    // (`sources` is sorted.)
    let paths_hash = reuse::hash_parts(sources.iter().map(|(p, _)| p.as_bytes()));
    let paths_unchanged = sink.previous_paths() == Some(paths_hash);
    sink.note_paths(paths_hash);

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
    let folder_problems: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let folder_files = std::sync::atomic::AtomicUsize::new(0);
    let keep = |path: &str, made_from: MadeFrom, bytes: Option<&mut Vec<u8>>| {
        sink.keep(path, made_from, bytes).unwrap_or_else(|e| {
            failing(e);
            false
        })
    };
    let link_base = site.config.base_url.root();
    let renders: Vec<PageRender> = per_language
        .iter()
        .enumerate()
        .map(|(i, (env, menu_routes, globals, items))| PageRender {
            site: languages[i],
            language: i,
            languages: &languages,
            routes_in: &routes_in,
            link_base: &link_base,
            menu_routes,
            items,
            env,
            markdown: &*markdowns[i],
            paths: &paths,
            put: &put_page,
            stopped: &stopped,
            reuse: sink.remembers().then(|| Reuse {
                fingerprint: reuse::fingerprint(languages[i]),
                links_key: links_keys[i],
                globals,
                sink,
                keep: &keep,
                paths_unchanged,
            }),
        })
        .collect();
    // Pages that list everything are big, each one long task: they go first, so the
    // other core is never left waiting on one at the end. They are moved in place (a
    // sort would copy every job through a new buffer of untouched memory, which can
    // take milliseconds). The feeds go alongside the pages, in their registered order.
    let heavy: Vec<(usize, Job)> = jobs
        .extract_if(.., |(_, job)| job.kind.lists_everything())
        .collect();
    jobs.splice(0..0, heavy);
    let (results, ()) = rayon::join(
        || -> Vec<_> {
            jobs.into_par_iter()
                .with_max_len(PAGES_PER_TASK)
                .map(|(i, job)| renders[i].render(job))
                .collect()
        },
        || {
            // A folder is one long task: begun first, while the other files are made.
            let ((), ()) = rayon::join(
                || {
                    for folder in &feed_folders {
                        let count =
                            publish_folder(folder, sink, &put_page, &failing, &folder_problems);
                        folder_files.fetch_add(count, Ordering::Relaxed);
                    }
                },
                || {
                    feed_files.par_iter().for_each(|file| {
                        // Kept if the previous build made it from the same, and it is as that
                        // build left it.
                        let same = |m: &&MadeFrom| sink.made_from(&file.path) == Some(*m);
                        let kept = file
                            .made_from
                            .as_ref()
                            .filter(same)
                            .is_some_and(|made_from| {
                                sink.keep_file(&file.path, made_from.clone())
                                    .unwrap_or_else(|e| {
                                        failing(e);
                                        false
                                    })
                            });
                        if !kept {
                            put_page(&file.path, (file.make)(), file.made_from.clone());
                        }
                    })
                },
            );
        },
    );
    diagnostics.extend(
        folder_problems
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    );
    if let (Some(cache), Some(generation)) = (cache, generation) {
        cache.finish(generation);
    }
    drop(renders);
    let mut scanned = Vec::with_capacity(results.len());
    for (result, problems) in results {
        diagnostics.extend(problems);
        match result {
            Ok(links) => scanned.push(links),
            Err(d) => diagnostics.push(d),
        }
    }
    let pages = scanned.len();
    for (path, bytes) in site.static_files.iter() {
        // A page of the site's own, in `static/`, has its links checked too.
        if let Some(html) = path
            .ends_with(".html")
            .then(|| std::str::from_utf8(bytes).ok())
            .flatten()
        {
            scanned.push(links::scan_page(path, html, &paths, &link_base));
        }
    }
    if sink.keeps_files() {
        site.pictures.publish(&site.static_files, &put);
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
        *page = links::scan_page(page.page(), &html, &paths, &link_base);
    }
    // (Each folder is among the paths by its one file known beforehand.)
    let files = paths.len() + folder_files.load(Ordering::Relaxed) - feed_folders.len();
    let link_sources = || {
        let texts: HashMap<String, &crate::model::Markdown> = languages
            .iter()
            .flat_map(|site| source_texts(site))
            .collect();
        sources
            .into_iter()
            .map(|(path, source)| {
                let text = texts.get(source.as_str()).copied();
                (path, (source, text))
            })
            .collect()
    };
    // The links `site.yaml` names, each once, whichever languages' menus name it.
    let mut named: Vec<crate::model::config::NamedLink> = Vec::new();
    for link in languages.iter().flat_map(|site| &site.config.named_links) {
        if !named.iter().any(|n| n.href == link.href) {
            named.push(link.clone());
        }
    }
    diagnostics.extend(links::report(
        &scanned,
        &named,
        link_sources,
        &site.templates,
    ));
    crate::drop_in_background((per_language, scanned));
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

/// How a language's Markdown is rendered: with its links, through the cache if any.
type MarkdownRender<'a> = dyn Fn(&crate::model::Markdown) -> crate::markdown::Rendered + Sync + 'a;

/// Where a page of `site` is written: its route's file, under its language's prefix
/// (but for the 404 page, `404.html`, which is the site's: hosts show that one).
fn page_path(site: &Site, route: &str) -> String {
    let language = &site.config.base_url.language;
    let file = urls::output_path(route);
    if language.is_empty() || !(route.is_empty() || route.ends_with('/')) {
        file
    } else {
        format!("{language}{file}")
    }
}

/// What rendering one page needs, shared by all pages of its language.
struct PageRender<'a> {
    site: &'a Site,
    /// Which language of the site's the page is in (0, the default, for most sites).
    language: usize,
    /// The site in each of its languages, the default first.
    languages: &'a [&'a Site],
    /// The routes of each language's pages, to link a page to its translations.
    routes_in: &'a [HashSet<String>],
    /// The site's root address, which every page's links are checked from.
    link_base: &'a urls::BaseUrl,
    /// The routes the menu links to.
    menu_routes: &'a [String],
    items: &'a Items,
    env: &'a minijinja::Environment<'static>,
    markdown: &'a MarkdownRender<'a>,
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
        let path = page_path(site, &job.route);
        let (extra, extra_hash) = extra_context(site, self.items, &job.extra);
        let (translations, fallback) =
            languages::translations(self.languages, self.language, self.routes_in, &job);
        let extra_hash = extra_hash.map(|h| {
            if translations.is_empty() && fallback.is_none() {
                h
            } else {
                reuse::hash_u64s(&[h, reuse::hash_serialize(&(&translations, &fallback))])
            }
        });
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
        // The picture a link to the page shows: its own first one, if it has one.
        let image = body
            .as_deref()
            .and_then(first_image)
            .map(|(src, alt)| (absolute_address(site, &src), alt));
        let page = context! {
            image => image.as_ref().map(|(src, _)| src),
            image_alt => image.as_ref().map(|(_, alt)| alt),
            menu_route => in_menu.then(|| job.route.clone()),
            route => job.route,
            href => site.config.base_url.href(&job.route),
            url => site.config.base_url.absolute(&job.route),
            kind => job.kind.name(),
            translations => (!translations.is_empty()).then_some(translations),
            fallback,
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
            let mut found = links::scan_page(&path, &html, self.paths, self.link_base);
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
        let base_url = self.link_base;
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

/// The `src` and `alt` of the first picture in a page's HTML, unescaped.
fn first_image(html: &str) -> Option<(String, String)> {
    let start = html.find("<img ")?;
    let tag = &html[start..start + html[start..].find('>')?];
    let attribute = |name: &str| {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let value = &tag[at..at + tag[at..].find('"')?];
        Some(links::unescape(value).into_owned())
    };
    Some((attribute("src")?, attribute("alt").unwrap_or_default()))
}

/// A file of the site, a path of the site (`/peer/images/a.png`) or a web address, as
/// a full address, for what other sites fetch (link previews).
fn absolute_address(site: &Site, path_or_url: &str) -> String {
    let base = &site.config.base_url;
    if path_or_url.starts_with("https://") || path_or_url.starts_with("http://") {
        path_or_url.to_string()
    } else if path_or_url.starts_with("//") {
        format!("https:{path_or_url}")
    } else if path_or_url.starts_with('/') {
        format!("{}{path_or_url}", base.origin)
    } else {
        base.absolute(path_or_url)
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
    let hashing = items.hashing;
    // An item's hash and its JSON-LD's.
    let hash = |item: Option<u64>, jsonld: &str| {
        item.map(|h| reuse::hash_parts([h.to_le_bytes().as_slice(), jsonld.as_bytes()]))
    };
    match *extra {
        Extra::None => (context! {}, hashing.then_some(0)),
        Extra::Home => {
            let jsonld = jsonld::home(site);
            let h = hash(hashing.then_some(0), &jsonld);
            (context! { jsonld }, h)
        }
        Extra::Page {
            ref date,
            ref children,
            ref pagination,
            ref feed,
        } => {
            let h = hashing.then(|| reuse::hash_serialize(&(date, children, pagination, feed)));
            (context! { date, children, pagination, feed }, h)
        }
        Extra::Item { set, index } => {
            let set = items.get(set);
            let value = (set.name, set.values[index].clone());
            let own = set.hashes.as_ref().map(|h| h[index]);
            match set.jsonld {
                Some(make) => {
                    let jsonld = make(site, index);
                    let h = hash(own, &jsonld);
                    let jsonld = ("jsonld", JinjaValue::from(jsonld));
                    (JinjaValue::from_iter([value, jsonld]), h)
                }
                None => (JinjaValue::from_iter([value]), own),
            }
        }
    }
}

/// The Markdown text of each source file, to point link problems at their line.
fn source_texts(site: &Site) -> HashMap<String, &crate::model::Markdown> {
    // Content pages' text goes with their links (see `PageRender::render`).
    KINDS
        .iter()
        .flat_map(|kind| kind.sources(site))
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
        let file = blamed(first, second);
        diagnostics.push(
            Diagnostic::error(
                file.clone(),
                format!("{first} and {second} would both be written to `{path}`"),
            )
            .with_help("rename or move one of them so that each has its own address"),
        );
    }
    check_paths_fit(sources, diagnostics);
}

/// Reports every file of the site that would be written in a folder an output claims
/// whole (`pagefind/`, the search index's), besides the output's own file.
fn check_folders_claimed(
    sources: &[(String, String)],
    folders: &[feeds::Folder],
    diagnostics: &mut Diagnostics,
) {
    for folder in folders {
        let own = format!("{}{}", folder.path, folder.always);
        // (`sources` is sorted: the folder's paths are together.)
        let start = sources.partition_point(|(path, _)| path.as_str() < folder.path);
        let inside = sources[start..]
            .iter()
            .take_while(|(path, _)| path.starts_with(folder.path))
            .filter(|(path, _)| *path != own);
        for (path, source) in inside {
            diagnostics.push(
                Diagnostic::error(
                    source.clone(),
                    format!(
                        "{source} would be written to `{path}`, in the folder `{}` that PeerPress fills with the site's search index",
                        folder.path
                    ),
                )
                .with_help(format!(
                    "move or rename it out of `{}`, or write `search: false` in `site.yaml` if the site does without search",
                    folder.path.trim_end_matches('/')
                )),
            );
        }
    }
}

/// Publishes the files of `folder`: the previous build's, kept if they were made from
/// the same, or made now; returns how many (at least its one file known beforehand). A
/// problem making them is noted in `problems`.
fn publish_folder(
    folder: &feeds::Folder,
    sink: &dyn Sink,
    put_page: &PutPage,
    failing: &(dyn Fn(WriteError) + Sync),
    problems: &Mutex<Vec<Diagnostic>>,
) -> usize {
    let previous: Vec<String> = sink
        .previous_made_under(folder.path)
        .into_iter()
        .filter(|path| sink.made_from(path) == Some(&folder.made_from))
        .collect();
    let always = format!("{}{}", folder.path, folder.always);
    let mut kept = HashSet::new();
    if previous.contains(&always) {
        for path in &previous {
            let keep = sink
                .keep_file(path, folder.made_from.clone())
                .unwrap_or_else(|e| {
                    failing(e);
                    false
                });
            if keep {
                kept.insert(path.as_str());
            }
        }
        if kept.len() == previous.len() {
            return kept.len();
        }
    }
    // Made from the same as the files kept, the folder has them as they are: only the
    // others are sent.
    match (folder.make)() {
        Ok(files) => {
            let count = files.len();
            for (name, bytes) in files {
                let path = format!("{}{name}", folder.path);
                if !kept.contains(path.as_str()) {
                    put_page(&path, bytes, Some(folder.made_from.clone()));
                }
            }
            count.max(1)
        }
        Err(problem) => {
            let mut problems = problems.lock().unwrap_or_else(PoisonError::into_inner);
            problems.push(*problem);
            1
        }
    }
}

/// Of two sources of a clash, the one to point at: a file of the site's rather than
/// one of PeerPress's own.
fn blamed<'a>(first: &'a String, second: &'a String) -> &'a String {
    if second.contains('/') && !second.starts_with("PeerPress") && !second.starts_with("the ") {
        second
    } else {
        first
    }
}

/// Reports every path (sorted, each source beside its path) that no output folder could
/// hold, before anything is written: an empty part (a file whose name has no letter or
/// digit to make an address from), a name too long for file systems, a name PeerPress
/// keeps for itself, a file where another needs a folder, a name Windows cannot hold (a
/// warning, but an error on Windows), and (as a warning) two paths that differ only in
/// case, which are one file on Windows and macOS.
fn check_paths_fit(sources: &[(String, String)], diagnostics: &mut Diagnostics) {
    let paths: foldhash::HashSet<&str> = sources.iter().map(|(p, _)| p.as_str()).collect();
    let mut folder_clashes = foldhash::HashSet::default();
    for (path, source) in sources {
        if path.is_empty() || path.split('/').any(str::is_empty) {
            diagnostics.push(
                Diagnostic::error(source.clone(), format!("{source} has no letter or digit in its name to make an address from (it would be written to `{path}`)"))
                    .with_help("rename the file so that its name has a letter or digit in it, like `news/update.md`"),
            );
            continue;
        }
        if let Some(problem) = crate::write::name_problem(path) {
            diagnostics.push(
                Diagnostic::error(source.clone(), format!("{source} cannot be written: {problem}"))
                    .with_help("shorten the name it is made from (a file's or folder's name, a title, a topic or a meeting `id`)"),
            );
        }
        if let Some(problem) = crate::write::windows_name_problem(path) {
            // Where the build runs on Windows it would fail when written; elsewhere the
            // site builds, but not for a volunteer who takes it over on Windows.
            let message = format!("{source} would be written to `{path}`: {problem}");
            let help =
                "rename it (or what its name is made from: a title, a topic or a meeting `id`)";
            diagnostics.push(if cfg!(windows) {
                Diagnostic::error(source.clone(), message).with_help(help)
            } else {
                Diagnostic::warning(source.clone(), message).with_help(help)
            });
        }
        let top = path.split('/').next().unwrap_or_default();
        if [crate::write::MANIFEST, crate::write::STAGING].contains(&top) {
            diagnostics.push(
                Diagnostic::error(source.clone(), format!("{source} would be written to `{path}`, a name PeerPress keeps for its own records in the output folder"))
                    .with_help("rename the file"),
            );
        }
        let mut rest = path.as_str();
        while let Some((folder, _)) = rest.rsplit_once('/') {
            if paths.contains(folder) && folder_clashes.insert(folder) {
                let owner = sources
                    .binary_search_by(|(p, _)| p.as_str().cmp(folder))
                    .map_or(source, |i| &sources[i].1);
                diagnostics.push(
                    Diagnostic::error(blamed(owner, source).clone(), format!("{owner} would be written to `{folder}`, but {source} needs a folder of that name (for `{path}`)"))
                        .with_help("rename or move one of them: one name cannot be both a file and a folder"),
                );
            }
            rest = folder;
        }
    }
    // Only paths with capitals can meet another in lower case.
    let mut by_lower: HashMap<String, &(String, String)> = HashMap::new();
    for item in sources {
        if item.0.bytes().any(|b| b.is_ascii_uppercase()) || !item.0.is_ascii() {
            let lower = item.0.to_lowercase();
            let other = by_lower.get(&lower).copied().or_else(|| {
                let i = sources
                    .binary_search_by(|(p, _)| p.as_str().cmp(&lower))
                    .ok()?;
                Some(&sources[i]).filter(|o| o.0 != item.0)
            });
            match other {
                Some((other_path, other_source)) => diagnostics.push(
                    Diagnostic::warning(blamed(other_source, &item.1).clone(), format!("{} would be written to `{}` and {other_source} to `{other_path}`, which are one file on Windows and macOS", item.1, item.0))
                        .with_help("rename one of them so the two names differ by more than capital letters"),
                ),
                None => {
                    by_lower.insert(lower, item);
                }
            }
        }
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
    /// Each section's Atom feed, advertised on the home page and the section's pages.
    atom_feeds: Vec<atom::FeedLink>,
    /// The full address of the picture a link preview shows for a page without one.
    social_image: Option<String>,
    calendar: views::CalendarLinks,
    /// The site's icon, if it has one in `static/`.
    favicon: Option<&'static str>,
    built: views::DateView,
    /// `24h` or `12h`, for scripts that write times as the site's pages do.
    clock: &'static str,
    /// Whether meetings are in more than one time zone: lists then name each one's zone.
    several_zones: bool,
    /// The search page's address, for the header's search box, if the site has one.
    search: Option<String>,
}

/// Every kind's items as template values ([`ItemSet`]), made once.
struct Items {
    sets: Vec<ItemSet>,
    /// Whether the items' values were hashed (pages may be kept rather than rendered).
    hashing: bool,
}

impl Items {
    /// The set called `name`. A kind names the set of its pages and the set it makes
    /// with one constant, so a page always finds its set.
    fn get(&self, name: &str) -> &ItemSet {
        self.sets
            .iter()
            .find(|set| set.name == name)
            .unwrap_or_else(|| panic!("no kind made the items `{name}`"))
    }
}

/// The site's menu: its own, or the theme's default.
fn menu(site: &Site) -> Vec<crate::model::config::MenuItem> {
    let t = &site.translations;
    site.config.menu.clone().unwrap_or_else(|| {
        let lists = KINDS.iter().flat_map(|kind| kind.list_pages());
        lists
            .filter_map(|list| list.menu.map(|key| (list.route, key)))
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
    let footer = v.footer.take();
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
        footer: footer.as_deref(),
        logo: site.config.logo.as_ref().map(|l| {
            if l.starts_with("https://") || l.starts_with("http://") {
                l.clone()
            } else {
                site.config.base_url.href(l.trim_start_matches('/'))
            }
        }),
        quick_exit: site.config.quick_exit.as_deref(),
        meetings_feed: site.config.base_url.href(urls::MEETING_GUIDE),
        atom_feeds: atom::links(site),
        social_image: site
            .config
            .social_image
            .as_deref()
            .map(|image| absolute_address(site, image.trim_start_matches('/'))),
        calendar: views::CalendarLinks::new(site, urls::CALENDAR, &site.config.name),
        favicon: ["favicon.svg", "favicon.ico", "favicon.png"]
            .into_iter()
            .find(|f| site.static_files.contains_key(*f)),
        built: views::DateView {
            iso: today.to_string(),
            label: t.date_long(today),
            short: t.date_short(today),
        },
        clock: t.clock.key(),
        several_zones: site
            .meetings
            .iter()
            .any(|m| m.recurrence.zone.name != site.config.timezone.name),
        search: (site.config.search).then(|| site.config.base_url.href(urls::SEARCH)),
    };
    // The date of the build is on few pages: it is hashed apart from the rest of `site`
    // so that the others are kept from one day to the next.
    let built = std::mem::take(&mut site_ctx.built);
    let site_hash = hashing.then(|| reuse::hash_serialize(&site_ctx));
    site_ctx.built = built;
    let built_hash = hashing.then(|| reuse::hash_serialize(&site_ctx.built));
    let parts = vec![("site", "built", built_hash)];
    // Each kind's items, as template values; each view is freed as soon as it is one.
    let sets: Vec<ItemSet> = KINDS
        .iter()
        .flat_map(|kind| kind.items(site, &mut v, hashing))
        .collect();
    // The maps from slugs to items are noted key by key: a meeting's page that shows
    // its group depends on that group alone.
    let keyed = sets
        .iter()
        .filter_map(|set| {
            let (name, hashes) = (set.by_slug?, set.hashes.as_ref()?);
            Some((
                name,
                set.slugs
                    .iter()
                    .cloned()
                    .zip(hashes.iter().copied())
                    .collect(),
            ))
        })
        .collect();
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
    let site_ctx = &site_ctx;
    let mut globals = vec![
        made("site", || JinjaValue::from_serialize(site_ctx), site_hash),
        view(hashing, "t", &*t.strings),
        view(hashing, "data", &site.data),
    ];
    for set in &sets {
        // The hash of the list of items, and of the map from their slugs to them.
        let list_hash = set.hashes.as_deref().map(reuse::hash_u64s);
        if let Some(name) = set.by_slug {
            let map_hash = set.hashes.as_deref().map(|h| {
                let slugs = reuse::hash_parts(set.slugs.iter().map(String::as_bytes));
                reuse::hash_u64s(&[slugs, reuse::hash_u64s(h)])
            });
            let map = move || {
                JinjaValue::from_iter(set.slugs.iter().cloned().zip(set.values.iter().cloned()))
            };
            globals.push(made(name, map, map_hash));
        }
        globals.push(made(
            set.list,
            || JinjaValue::from(set.values.clone()),
            list_hash,
        ));
    }
    globals.extend([
        list_view(hashing, "week", &v.week),
        list_view(hashing, "upcoming", &v.upcoming),
        list_view(hashing, "upcoming_later", &v.upcoming_later),
        list_view(hashing, "categories", &v.categories),
        list_view(hashing, "areas", &v.areas),
        list_view(hashing, "letters", &v.letters),
        list_view(hashing, "formats", &v.formats),
        list_view(hashing, "meeting_areas", &v.meeting_areas),
        list_view(hashing, "types_used", &v.types_used),
        list_view(hashing, "meeting_languages", &v.meeting_languages),
        view(hashing, "schedule_in_full", &v.schedule_in_full),
        list_view(hashing, "pages", summaries),
    ]);
    let globals = globals
        .into_par_iter()
        .map(|(name, make, hash)| {
            let (value, hash) = rayon::join(make, || hash.map(|h| h()));
            (name, value, hash)
        })
        .collect();
    let globals = reuse::Globals::new(globals, parts, keyed);
    (globals, Items { sets, hashing })
}

/// Every HTML page of the site: the site's own (home, browsing safely, 404), each
/// kind's list pages (each introduced by the content page at its address, if any), and
/// each kind's item pages.
fn jobs<'a>(site: &'a Site, v: &Views<'a>, summaries: &'a [PageSummary]) -> Vec<Job<'a>> {
    let t = &site.translations;
    // Every page is one job: made full size once.
    let items: usize = KINDS.iter().map(|kind| kind.page_count(site)).sum();
    let mut jobs = Vec::with_capacity(16 + items);
    let lists = KINDS.iter().flat_map(|kind| kind.list_pages());
    let own = [
        ListPage {
            route: "",
            kind: PageKind::Home,
            template: "home.html",
            title: "",
            menu: None,
        },
        ListPage {
            route: urls::BROWSING_SAFELY,
            kind: PageKind::Safety,
            template: "safety.html",
            title: "safety_title",
            menu: None,
        },
    ];
    let search = site.config.search.then_some(ListPage {
        route: urls::SEARCH,
        kind: PageKind::Search,
        template: "search.html",
        title: "search_title",
        menu: None,
    });
    let generated: Vec<&ListPage> = own.iter().chain(&search).chain(lists).collect();
    let routes: Vec<&'static str> = generated.iter().map(|list| list.route).collect();
    // Content pages whose route is a generated page's become that page's introduction.
    let intros: BTreeMap<&str, &crate::model::Page> = site
        .pages
        .iter()
        .filter(|page| routes.contains(&page.route.as_str()))
        .map(|page| (page.route.as_str(), page))
        .collect();
    for list in generated {
        let page = intros.get(list.route).copied();
        let default_title = match list.kind {
            PageKind::Home => site.config.name.clone(),
            _ => t.get(list.title),
        };
        jobs.push(Job {
            route: list.route.to_string(),
            source: page.map_or_else(
                || format!("the {} page PeerPress makes", list.kind.name()),
                |p| crate::diagnostics::display_path(&p.body.file),
            ),
            template: list.template.to_string(),
            kind: list.kind,
            title: page.map_or(default_title, |p| p.title.clone()),
            description: page.and_then(|p| p.description.clone()),
            body: page.map(Body::Page),
            extra: match list.kind {
                PageKind::Home => Extra::Home,
                _ => Extra::None,
            },
            in_sitemap: true,
        });
    }
    let cx = crate::kinds::ItemPages {
        views: v,
        generated: &routes,
        summaries,
    };
    for kind in KINDS {
        kind.item_pages(site, &cx, &mut jobs);
    }
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
