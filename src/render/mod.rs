//! Rendering: pure functions from a `Site` to its output files, in memory.
//!
//! HTML pages go through minijinja templates (compiled once, autoescaped) and are
//! rendered as a parallel map over pages; machine-readable outputs (sitemap, robots.txt)
//! each have a module of their own. Nothing here touches the disk.

mod hsds;
pub(crate) mod ical;
mod json;
mod jsonld;
mod links;
mod meeting_guide;
mod sitemap;
mod templates;
pub mod views;

use std::collections::BTreeMap;

use minijinja::{context, Value as JinjaValue};
use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{urls, Site};
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
    kind: &'static str,
    title: String,
    description: Option<String>,
    /// The page's own Markdown, rendered with the page.
    body: Option<&'a crate::model::Markdown>,
    extra: Extra<'a>,
    in_sitemap: bool,
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

/// Renders the whole site. Problems (a template error, a broken link) are added to
/// `diagnostics`; the outputs are only to be written if there are no errors.
pub fn render(site: &Site, diagnostics: &mut Diagnostics) -> Outputs {
    render_cached(site, diagnostics, None)
}

/// [`render`], reusing Markdown rendered by earlier builds when `cache` is given.
pub fn render_cached(
    site: &Site,
    diagnostics: &mut Diagnostics,
    cache: Option<&crate::markdown::Cache>,
) -> Outputs {
    let views = views::build(site);
    diagnostics.extend(views.diagnostics.iter().cloned());
    let env = match templates::environment(site) {
        Ok(env) => env,
        Err(problems) => {
            diagnostics.extend(problems);
            return Outputs::default();
        }
    };
    let summaries = page_summaries(site);
    let global = global_context(site, &views, &summaries);
    let jobs = jobs(site, &views, &summaries);
    let links = crate::markdown::Links {
        routes_by_source: &site.routes_by_source,
        base_url: &site.config.base_url,
        raw_html: site.config.raw_html,
    };
    // The feeds are rendered alongside the pages, so a core never waits on a big one.
    let generation = cache.map(crate::markdown::Cache::start);
    let links_key = cache
        .map(|_| crate::markdown::links_key(&links))
        .unwrap_or_default();
    let markdown = |md: &crate::model::Markdown| match (cache, generation) {
        (Some(cache), Some(generation)) => cache.render(generation, links_key, md, &links),
        _ => crate::markdown::render(md, &links),
    };
    let (results, feeds) = rayon::join(
        || render_pages(site, &views, &env, &global, &jobs, &markdown),
        || feeds(site),
    );
    if let (Some(cache), Some(generation)) = (cache, generation) {
        cache.finish(generation);
    }
    let mut sources: Vec<(String, String)> = jobs
        .iter()
        .map(|j| (urls::output_path(&j.route), j.source.clone()))
        .collect();
    let mut files = Vec::with_capacity(results.len() + site.static_files.len() + 2);
    for (result, problems) in results {
        diagnostics.extend(problems);
        match result {
            Ok(output) => files.push(output),
            Err(d) => diagnostics.push(d),
        }
    }
    let pages = files.len();
    let sitemap_routes: Vec<&str> = jobs
        .iter()
        .filter(|j| j.in_sitemap)
        .map(|j| j.route.as_str())
        .collect();
    files.push(Output {
        path: "sitemap.xml".into(),
        bytes: sitemap::sitemap(site, &sitemap_routes).into_bytes(),
    });
    files.push(Output {
        path: "robots.txt".into(),
        bytes: sitemap::robots(site).into_bytes(),
    });
    sources.extend(
        feeds
            .iter()
            .map(|f| (f.path.clone(), format!("PeerPress's `{}`", f.path))),
    );
    files.extend(feeds);
    sources.extend(
        ["sitemap.xml", "robots.txt"].map(|p| (p.to_string(), format!("PeerPress's `{p}`"))),
    );
    for (path, bytes) in &site.static_files {
        sources.push((path.clone(), format!("static/{path}")));
        files.push(Output {
            path: path.clone(),
            bytes: bytes.clone(),
        });
    }
    check_unique_paths(&mut sources, diagnostics);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let texts = source_texts(site);
    let link_sources: std::collections::HashMap<String, (String, Option<&crate::model::Markdown>)> =
        sources
            .into_iter()
            .map(|(path, source)| {
                let text = texts.get(source.as_str()).copied();
                (path, (source, text))
            })
            .collect();
    diagnostics.extend(links::check(&files, &link_sources, &site.config.base_url));
    Outputs { files, pages }
}

/// Renders every HTML page in parallel: each page's Markdown, particulars and template.
fn render_pages(
    site: &Site,
    views: &Views<'_>,
    env: &minijinja::Environment<'static>,
    global: &JinjaValue,
    jobs: &[Job],
    markdown: &(dyn Fn(&crate::model::Markdown) -> crate::markdown::Rendered + Sync),
) -> Vec<(Result<Output, Diagnostic>, Vec<Diagnostic>)> {
    jobs.par_iter()
        .map(|job| {
            let (body, headings, problems) = match job.body {
                Some(body) => {
                    let rendered = markdown(body);
                    (Some(rendered.html), rendered.headings, rendered.diagnostics)
                }
                None => (None, Vec::new(), Vec::new()),
            };
            let extra = extra_context(site, views, &job.extra);
            let page = context! {
                route => job.route,
                href => site.config.base_url.href(&job.route),
                url => site.config.base_url.absolute(&job.route),
                kind => job.kind,
                title => job.title,
                description => job.description,
                body,
                headings,
                ..extra
            };
            let ctx = context! { page, ..global.clone() };
            let output = templates::render(env, site, &job.template, ctx).map(|html| Output {
                path: urls::output_path(&job.route),
                bytes: html.into_bytes(),
            });
            (output, problems)
        })
        .collect()
}

/// The particulars of one page, built while rendering it.
fn extra_context(site: &Site, v: &Views<'_>, extra: &Extra) -> JinjaValue {
    match *extra {
        Extra::None => context! {},
        Extra::Home => context! { jsonld => jsonld::home(site) },
        Extra::Page {
            ref date,
            ref children,
        } => context! { date, children },
        Extra::Group(i) => {
            context! { group => JinjaValue::from_serialize(&v.groups[i]), jsonld => jsonld::group(site, i) }
        }
        Extra::Meeting(i) => {
            context! { meeting => JinjaValue::from_serialize(&v.meetings[i]), jsonld => jsonld::meeting(site, &site.meetings[i]) }
        }
        Extra::Topic(i) => context! { topic => JinjaValue::from_serialize(&v.topics[i]) },
        Extra::Value(i) => context! { value => JinjaValue::from_serialize(&v.values[i]) },
        Extra::Organisation(i) => {
            context! { organisation => JinjaValue::from_serialize(&v.organisations[i]), jsonld => jsonld::organisation(&site.organisations[i]) }
        }
    }
}

/// The Markdown text of each source file, to point link problems at their line.
fn source_texts(site: &Site) -> std::collections::HashMap<String, &crate::model::Markdown> {
    let bodies = site
        .pages
        .iter()
        .map(|p| &p.body)
        .chain(site.groups.iter().map(|g| &g.body))
        .chain(site.values.iter().map(|v| &v.body))
        .chain(site.organisations.iter().map(|o| &o.description));
    bodies
        .map(|b| (crate::diagnostics::display_path(&b.file), b))
        .collect()
}

/// The machine-readable outputs: calendars and data feeds, rendered in parallel.
fn feeds(site: &Site) -> Vec<Output> {
    let parts = ical::Parts::new(site);
    let parts = &parts;
    let mut tasks: Vec<(String, Box<dyn Fn() -> String + Send + Sync + '_>)> = vec![
        (
            urls::CALENDAR.to_string(),
            Box::new(move || ical::calendar(site, parts, ical::Scope::Site)),
        ),
        (
            urls::MEETING_GUIDE.to_string(),
            Box::new(|| meeting_guide::feed(site)),
        ),
        (
            urls::DIRECTORY_HSDS.to_string(),
            Box::new(|| hsds::directory(site)),
        ),
    ];
    for (i, g) in site.groups.iter().enumerate() {
        tasks.push((
            urls::group_calendar(&g.slug),
            Box::new(move || ical::calendar(site, parts, ical::Scope::Group(i))),
        ));
    }
    for (i, m) in site.meetings.iter().enumerate() {
        tasks.push((
            urls::meeting_calendar(&m.slug),
            Box::new(move || ical::calendar(site, parts, ical::Scope::Meeting(i))),
        ));
    }
    tasks
        .par_iter()
        .map(|(path, make)| Output {
            path: path.clone(),
            bytes: make().into_bytes(),
        })
        .collect()
}

/// Two producers of one path would silently overwrite each other; say so instead,
/// naming both.
fn check_unique_paths(sources: &mut [(String, String)], diagnostics: &mut Diagnostics) {
    sources.sort();
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

fn global_context(site: &Site, v: &Views<'_>, summaries: &[PageSummary]) -> JinjaValue {
    let t = &site.translations;
    let menu = site.config.menu.clone().unwrap_or_else(|| {
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
    });
    let today = site.now.to_zoned(site.config.timezone.zone.clone()).date();
    let site_ctx = SiteContext {
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
    let by_slug = |items: Vec<(String, JinjaValue)>| JinjaValue::from_iter(items);
    let meetings: Vec<JinjaValue> = v.meetings.iter().map(JinjaValue::from_serialize).collect();
    let groups: Vec<JinjaValue> = v.groups.iter().map(JinjaValue::from_serialize).collect();
    let organisations: Vec<JinjaValue> = v
        .organisations
        .iter()
        .map(JinjaValue::from_serialize)
        .collect();
    context! {
        site => JinjaValue::from_serialize(&site_ctx),
        t => JinjaValue::from_serialize(&*t.strings),
        data => JinjaValue::from_serialize(&site.data),
        meetings => by_slug(v.meetings.iter().map(|m| m.slug.clone()).zip(meetings.iter().cloned()).collect()),
        meeting_list => JinjaValue::from(meetings),
        groups => by_slug(v.groups.iter().map(|g| g.slug.clone()).zip(groups.iter().cloned()).collect()),
        group_list => JinjaValue::from(groups),
        directory => by_slug(v.organisations.iter().map(|o| o.entry.slug.clone()).zip(organisations.iter().cloned()).collect()),
        directory_list => JinjaValue::from(organisations),
        topics => JinjaValue::from_serialize(&v.topics),
        values => JinjaValue::from_serialize(&v.values),
        week => JinjaValue::from_serialize(&v.week),
        upcoming => JinjaValue::from_serialize(&v.upcoming),
        categories => JinjaValue::from_serialize(&v.categories),
        areas => JinjaValue::from_serialize(&v.areas),
        letters => JinjaValue::from_serialize(&v.letters),
        formats => JinjaValue::from_serialize(&v.formats),
        meeting_areas => JinjaValue::from_serialize(&v.meeting_areas),
        types_used => JinjaValue::from_serialize(&v.types_used),
        pages => JinjaValue::from_serialize(summaries),
    }
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
        .iter()
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
fn jobs<'a>(site: &'a Site, v: &'a Views<'a>, summaries: &'a [PageSummary]) -> Vec<Job<'a>> {
    let t = &site.translations;
    let mut jobs = Vec::new();
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
    let mut intros: BTreeMap<&str, &crate::model::Page> = BTreeMap::new();
    for page in &site.pages {
        if generated.contains(&page.route.as_str()) {
            intros.insert(page.route.as_str(), page);
        }
    }
    let intro = |route: &str,
                 default_title: String,
                 kind: &'static str,
                 template: &str,
                 extra: Extra<'a>| {
        let page = intros.get(route);
        Job {
            route: route.to_string(),
            source: page.map_or_else(
                || format!("the {kind} page PeerPress makes"),
                |p| crate::diagnostics::display_path(&p.body.file),
            ),
            template: template.to_string(),
            kind,
            title: page.map_or(default_title, |p| p.title.clone()),
            description: page.and_then(|p| p.description.clone()),
            body: page.map(|p| &p.body),
            extra,
            in_sitemap: true,
        }
    };
    jobs.push(intro(
        "",
        site.config.name.clone(),
        "home",
        "home.html",
        Extra::Home,
    ));
    jobs.push(intro(
        "groups/",
        t.get("groups_title"),
        "groups",
        "groups/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "meetings/",
        t.get("meetings_title"),
        "meetings",
        "meetings/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "topics/",
        t.get("topics_title"),
        "topics",
        "topics/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "values/",
        t.get("values_title"),
        "values",
        "values/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        "directory/",
        t.get("directory_title"),
        "directory",
        "directory/list.html",
        Extra::None,
    ));
    jobs.push(intro(
        urls::BROWSING_SAFELY,
        t.get("safety_title"),
        "safety",
        "safety.html",
        Extra::None,
    ));

    // Each page's direct children (`news/` → `news/first/`), newest first: found once for
    // all pages rather than by scanning every page for every page.
    let mut children_of: std::collections::HashMap<&str, Vec<&PageSummary>> =
        std::collections::HashMap::new();
    for summary in summaries {
        if let Some(parent) = parent_route(&summary.route) {
            children_of.entry(parent).or_default().push(summary);
        }
    }
    for list in children_of.values_mut() {
        list.sort_by(|a, b| {
            b.date
                .as_ref()
                .map(|d| &d.iso)
                .cmp(&a.date.as_ref().map(|d| &d.iso))
                .then_with(|| a.title.cmp(&b.title))
        });
    }
    for page in &site.pages {
        if generated.contains(&page.route.as_str()) {
            continue;
        }
        let date = page.date.map(|d| views::DateView {
            iso: d.to_string(),
            label: t.date_long(d),
            short: t.date_short(d),
        });
        jobs.push(Job {
            route: page.route.clone(),
            source: crate::diagnostics::display_path(&page.body.file),
            template: page.template.clone().unwrap_or_else(|| "page.html".into()),
            kind: "page",
            title: page.title.clone(),
            description: page.description.clone(),
            body: Some(&page.body),
            extra: Extra::Page {
                date,
                children: children_of
                    .get(page.route.as_str())
                    .cloned()
                    .unwrap_or_default(),
            },
            in_sitemap: true,
        });
    }
    for (i, g) in site.groups.iter().enumerate() {
        jobs.push(Job {
            route: urls::group(&g.slug),
            source: crate::diagnostics::display_path(&g.body.file),
            template: "groups/single.html".into(),
            kind: "group",
            title: g.name.clone(),
            description: g.summary.clone(),
            body: Some(&g.body),
            extra: Extra::Group(i),
            in_sitemap: true,
        });
    }
    for (i, m) in site.meetings.iter().enumerate() {
        let view = &v.meetings[i];
        jobs.push(Job {
            route: urls::meeting(&m.slug),
            source: crate::diagnostics::display_path(&site.groups[m.group].body.file),
            template: "meetings/single.html".into(),
            kind: "meeting",
            title: m.name.clone(),
            description: Some(format!("{}, {}", view.schedule, view.time)),
            body: None,
            extra: Extra::Meeting(i),
            in_sitemap: true,
        });
    }
    for (i, topic) in site.topics.iter().enumerate() {
        jobs.push(Job {
            route: urls::topic(&topic.slug),
            source: format!("the topic `{}`", topic.name),
            template: "topics/single.html".into(),
            kind: "topic",
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
            kind: "value",
            title: value.title.clone(),
            description: value.summary.clone(),
            body: Some(&value.body),
            extra: Extra::Value(i),
            in_sitemap: true,
        });
    }
    for (i, o) in site.organisations.iter().enumerate() {
        jobs.push(Job {
            route: urls::organisation(&o.slug),
            source: crate::diagnostics::display_path(&o.description.file),
            template: "directory/single.html".into(),
            kind: "organisation",
            title: o.name.clone(),
            description: o.summary.clone(),
            body: (!o.description.source.trim().is_empty()).then_some(&o.description),
            extra: Extra::Organisation(i),
            in_sitemap: true,
        });
    }
    jobs.push(Job {
        route: "404.html".into(),
        source: "the 404 page PeerPress makes".into(),
        template: "404.html".into(),
        kind: "not-found",
        title: t.get("not_found_title"),
        description: None,
        body: None,
        extra: Extra::None,
        in_sitemap: false,
    });
    jobs
}
