//! Rendering: pure functions from a `Site` to its output files, in memory.
//!
//! HTML pages go through minijinja templates (compiled once, autoescaped) and are
//! rendered as a parallel map over pages; machine-readable outputs (sitemap, robots.txt)
//! each have a module of their own. Nothing here touches the disk.

mod hsds;
pub(crate) mod ical;
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

/// A page to render: its route, its template, and what is particular to it.
struct Job {
    route: String,
    /// The file the page comes from, for messages (`content/about.md`), or what makes it.
    source: String,
    template: String,
    kind: &'static str,
    title: String,
    description: Option<String>,
    extra: JinjaValue,
    in_sitemap: bool,
}

/// Renders the whole site. Problems (a template error, a broken link) are added to
/// `diagnostics`; the outputs are only to be written if there are no errors.
pub fn render(site: &Site, diagnostics: &mut Diagnostics) -> Outputs {
    let views = views::build(site);
    diagnostics.extend(views.diagnostics.iter().cloned());
    let env = match templates::environment(site) {
        Ok(env) => env,
        Err(problems) => {
            diagnostics.extend(problems);
            return Outputs::default();
        }
    };
    let global = global_context(site, &views);
    let jobs = jobs(site, &views);
    let results: Vec<Result<Output, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let page = context! {
                route => job.route,
                href => site.config.base_url.href(&job.route),
                url => site.config.base_url.absolute(&job.route),
                kind => job.kind,
                title => job.title,
                description => job.description,
                ..job.extra.clone()
            };
            let ctx = context! { page, ..global.clone() };
            templates::render(&env, site, &job.template, ctx).map(|html| Output { path: urls::output_path(&job.route), bytes: html.into_bytes() })
        })
        .collect();
    let mut sources: Vec<(String, String)> = jobs.iter().map(|j| (urls::output_path(&j.route), j.source.clone())).collect();
    let mut files = Vec::with_capacity(results.len() + site.static_files.len() + 2);
    for result in results {
        match result {
            Ok(output) => files.push(output),
            Err(d) => diagnostics.push(d),
        }
    }
    let pages = files.len();
    let sitemap_routes: Vec<&str> = jobs.iter().filter(|j| j.in_sitemap).map(|j| j.route.as_str()).collect();
    files.push(Output { path: "sitemap.xml".into(), bytes: sitemap::sitemap(site, &sitemap_routes).into_bytes() });
    files.push(Output { path: "robots.txt".into(), bytes: sitemap::robots(site).into_bytes() });
    let feeds = feeds(site);
    sources.extend(feeds.iter().map(|f| (f.path.clone(), format!("PeerPress's `{}`", f.path))));
    files.extend(feeds);
    sources.extend(["sitemap.xml", "robots.txt"].map(|p| (p.to_string(), format!("PeerPress's `{p}`"))));
    for (path, bytes) in &site.static_files {
        sources.push((path.clone(), format!("static/{path}")));
        files.push(Output { path: path.clone(), bytes: bytes.clone() });
    }
    check_unique_paths(&mut sources, diagnostics);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    let texts = source_texts(site);
    let link_sources: std::collections::HashMap<String, (String, Option<String>)> =
        sources.into_iter().map(|(path, source)| { let text = texts.get(source.as_str()).cloned(); (path, (source, text)) }).collect();
    diagnostics.extend(links::check(&files, &link_sources, &site.config.base_url));
    Outputs { files, pages }
}

/// The Markdown text of each source file, to point link problems at their line.
fn source_texts(site: &Site) -> std::collections::HashMap<String, String> {
    let bodies = site
        .pages
        .iter()
        .map(|p| &p.body)
        .chain(site.groups.iter().map(|g| &g.body))
        .chain(site.values.iter().map(|v| &v.body))
        .chain(site.organisations.iter().map(|o| &o.description));
    // Bodies start part-way into their files; pad so line numbers are the file's.
    bodies.map(|b| (crate::diagnostics::display_path(&b.file), format!("{}{}", "\n".repeat(b.first_line.saturating_sub(1)), b.source))).collect()
}

/// The machine-readable outputs: calendars and data feeds, rendered in parallel.
fn feeds(site: &Site) -> Vec<Output> {
    let mut tasks: Vec<(String, Box<dyn Fn() -> String + Send + Sync + '_>)> = vec![
        (urls::CALENDAR.to_string(), Box::new(|| ical::calendar(site, ical::Scope::Site))),
        (urls::MEETING_GUIDE.to_string(), Box::new(|| meeting_guide::feed(site))),
        (urls::DIRECTORY_HSDS.to_string(), Box::new(|| hsds::directory(site))),
    ];
    for (i, g) in site.groups.iter().enumerate() {
        tasks.push((urls::group_calendar(&g.slug), Box::new(move || ical::calendar(site, ical::Scope::Group(i)))));
    }
    for m in &site.meetings {
        tasks.push((urls::meeting_calendar(&m.slug), Box::new(move || ical::calendar(site, ical::Scope::Meeting(m)))));
    }
    tasks.par_iter().map(|(path, make)| Output { path: path.clone(), bytes: make().into_bytes() }).collect()
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
        let file = if second.contains('/') && !second.starts_with("PeerPress") && !second.starts_with("the ") { second } else { first };
        diagnostics.push(
            Diagnostic::error(file.clone(), format!("{first} and {second} would both be written to `{path}`"))
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

fn global_context(site: &Site, v: &Views) -> JinjaValue {
    let t = &site.translations;
    let menu = site.config.menu.clone().unwrap_or_else(|| {
        [("groups/", "menu_groups"), ("meetings/", "menu_meetings"), ("values/", "menu_values"), ("directory/", "menu_directory")]
            .iter()
            .map(|(route, key)| crate::model::config::MenuItem { label: t.get(key), route: Some(route.to_string()), href: site.config.base_url.href(route) })
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
        logo: site.config.logo.as_ref().map(|l| if l.starts_with("https://") || l.starts_with("http://") { l.clone() } else { site.config.base_url.href(l.trim_start_matches('/')) }),
        quick_exit: site.config.quick_exit.as_deref(),
        meetings_feed: site.config.base_url.href(urls::MEETING_GUIDE),
        calendar: views::CalendarLinks::new(site, urls::CALENDAR, &site.config.name),
        favicon: ["favicon.svg", "favicon.ico", "favicon.png"].into_iter().find(|f| site.static_files.contains_key(*f)),
        built: views::DateView { iso: today.to_string(), label: t.date_long(today), short: t.date_short(today) },
    };
    let by_slug = |items: Vec<(String, JinjaValue)>| JinjaValue::from_iter(items);
    let meetings: Vec<JinjaValue> = v.meetings.iter().map(JinjaValue::from_serialize).collect();
    let groups: Vec<JinjaValue> = v.groups.iter().map(JinjaValue::from_serialize).collect();
    let organisations: Vec<JinjaValue> = v.organisations.iter().map(JinjaValue::from_serialize).collect();
    context! {
        site => JinjaValue::from_serialize(&site_ctx),
        t => JinjaValue::from_serialize(&*t.strings),
        data => JinjaValue::from_serialize(&site.data),
        meetings => by_slug(v.meetings.iter().map(|m| m.slug.clone()).zip(meetings.iter().cloned()).collect()),
        meeting_list => JinjaValue::from(meetings),
        groups => by_slug(v.groups.iter().map(|g| g.slug.clone()).zip(groups.iter().cloned()).collect()),
        group_list => JinjaValue::from(groups),
        directory => by_slug(v.organisations.iter().map(|o| o.slug.clone()).zip(organisations.iter().cloned()).collect()),
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
        pages => JinjaValue::from_serialize(&page_summaries(site)),
    }
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
            date: p.date.map(|d| views::DateView { iso: d.to_string(), label: t.date_long(d), short: t.date_short(d) }),
        })
        .collect()
}

/// Every HTML page of the site.
fn jobs(site: &Site, v: &Views) -> Vec<Job> {
    let t = &site.translations;
    let mut jobs = Vec::new();
    // Content pages whose route is a generated page's become that page's introduction.
    let mut intros: BTreeMap<&str, &crate::model::Page> = BTreeMap::new();
    let generated = ["", "groups/", "meetings/", "topics/", "values/", "directory/", urls::BROWSING_SAFELY];
    for page in &site.pages {
        if generated.contains(&page.route.as_str()) {
            intros.insert(page.route.as_str(), page);
        }
    }
    let intro = |route: &str, default_title: String, kind: &'static str, template: &str, extra: JinjaValue| {
        let page = intros.get(route);
        let body = page.and_then(|p| v.page_bodies.get(&p.route)).map(|b| b.0.clone());
        Job {
            route: route.to_string(),
            source: page.map_or_else(|| format!("the {kind} page PeerPress makes"), |p| crate::diagnostics::display_path(&p.body.file)),
            template: template.to_string(),
            kind,
            title: page.map_or(default_title, |p| p.title.clone()),
            description: page.and_then(|p| p.description.clone()),
            extra: context! { body, ..extra },
            in_sitemap: true,
        }
    };
    jobs.push(intro("", site.config.name.clone(), "home", "home.html", context! { jsonld => jsonld::home(site) }));
    jobs.push(intro("groups/", t.get("groups_title"), "groups", "groups/list.html", context! {}));
    jobs.push(intro("meetings/", t.get("meetings_title"), "meetings", "meetings/list.html", context! {}));
    jobs.push(intro("topics/", t.get("topics_title"), "topics", "topics/list.html", context! {}));
    jobs.push(intro("values/", t.get("values_title"), "values", "values/list.html", context! {}));
    jobs.push(intro("directory/", t.get("directory_title"), "directory", "directory/list.html", context! {}));

    for page in &site.pages {
        if generated.contains(&page.route.as_str()) {
            continue;
        }
        let (body, headings) = v.page_bodies.get(&page.route).cloned().unwrap_or_default();
        let children: Vec<&str> = site
            .pages
            .iter()
            .filter(|p| p.route != page.route && p.route.starts_with(&page.route) && !p.route[page.route.len()..].trim_end_matches('/').contains('/'))
            .map(|p| p.route.as_str())
            .collect();
        let date = page.date.map(|d| views::DateView { iso: d.to_string(), label: t.date_long(d), short: t.date_short(d) });
        jobs.push(Job {
            route: page.route.clone(),
            source: crate::diagnostics::display_path(&page.body.file),
            template: page.template.clone().unwrap_or_else(|| "page.html".into()),
            kind: "page",
            title: page.title.clone(),
            description: page.description.clone(),
            extra: context! { body, headings, date, children },
            in_sitemap: true,
        });
    }
    for (i, g) in v.groups.iter().enumerate() {
        jobs.push(Job {
            route: urls::group(&g.slug),
            source: crate::diagnostics::display_path(&site.groups[i].body.file),
            template: "groups/single.html".into(),
            kind: "group",
            title: g.name.clone(),
            description: g.summary.clone(),
            extra: context! { group => JinjaValue::from_serialize(g), jsonld => jsonld::group(site, i) },
            in_sitemap: true,
        });
    }
    for (m, meeting) in v.meetings.iter().zip(&site.meetings) {
        jobs.push(Job {
            route: urls::meeting(&m.slug),
            source: crate::diagnostics::display_path(&site.groups[meeting.group].body.file),
            template: "meetings/single.html".into(),
            kind: "meeting",
            title: m.name.clone(),
            description: Some(format!("{}, {}", m.schedule, m.time)),
            extra: context! { meeting => JinjaValue::from_serialize(m), jsonld => jsonld::meeting(site, meeting) },
            in_sitemap: true,
        });
    }
    for topic in &v.topics {
        jobs.push(Job {
            route: urls::topic(&topic.slug),
            source: format!("the topic `{}`", topic.name),
            template: "topics/single.html".into(),
            kind: "topic",
            title: topic.name.clone(),
            description: None,
            extra: context! { topic => JinjaValue::from_serialize(topic) },
            in_sitemap: true,
        });
    }
    for value in &v.values {
        jobs.push(Job {
            route: urls::value(&value.slug),
            source: crate::diagnostics::display_path(&site.values.iter().find(|v| v.slug == value.slug).map(|v| v.body.file.clone()).unwrap_or_default()),
            template: "values/single.html".into(),
            kind: "value",
            title: value.title.clone(),
            description: value.summary.clone(),
            extra: context! { value => JinjaValue::from_serialize(value) },
            in_sitemap: true,
        });
    }
    for (o, organisation) in v.organisations.iter().zip(&site.organisations) {
        jobs.push(Job {
            route: urls::organisation(&o.slug),
            source: crate::diagnostics::display_path(&organisation.description.file),
            template: "directory/single.html".into(),
            kind: "organisation",
            title: o.name.clone(),
            description: o.summary.clone(),
            extra: context! { organisation => JinjaValue::from_serialize(o), jsonld => jsonld::organisation(organisation) },
            in_sitemap: true,
        });
    }
    jobs.push(intro(urls::BROWSING_SAFELY, t.get("safety_title"), "safety", "safety.html", context! {}));
    jobs.push(Job {
        route: "404.html".into(),
        source: "the 404 page PeerPress makes".into(),
        template: "404.html".into(),
        kind: "not-found",
        title: t.get("not_found_title"),
        description: None,
        extra: context! {},
        in_sitemap: false,
    });
    jobs
}
