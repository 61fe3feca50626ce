//! `site.yaml`: the organisation's name, address, language, time zone, crisis lines and
//! menu.

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::contact::{Contact, Phone, WebUrl};
use crate::model::i18n::Clock;
use crate::model::urls::BaseUrl;
use crate::model::yaml::{Text, YamlDoc};
use crate::schedule::ZoneName;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    name: Text,
    tagline: Option<Text>,
    description: Option<Text>,
    base_url: Text,
    language: Option<Text>,
    timezone: Option<ZoneName>,
    clock: Option<Text>,
    contact: Option<Contact>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    crisis: Vec<CrisisLine>,
    menu: Option<Vec<MenuItemFile>>,
    #[allow(dead_code)]
    theme: Option<Text>,
    /// Folders outside the site that links may lead into; read by `load`.
    #[allow(dead_code)]
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    allow_links_to: Vec<Text>,
    #[serde(default)]
    raw_html: bool,
    footer: Option<String>,
    logo: Option<Text>,
    #[serde(default)]
    full_names: bool,
    quick_exit: Option<QuickExitFile>,
    search: Option<bool>,
}

/// `quick_exit: true`, or `quick_exit: { url: https://… }` to choose where it goes.
#[derive(Deserialize)]
#[serde(untagged)]
enum QuickExitFile {
    On(bool),
    To { url: WebUrl },
}

/// A place to get urgent help, shown on every page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a crisis line like `{ name: Samaritans, phone: \"116 123\" }`")]
pub struct CrisisLine {
    pub name: Text,
    pub phone: Option<Phone>,
    pub sms: Option<Phone>,
    #[serde(rename = "for")]
    pub for_whom: Option<Text>,
    pub hours: Option<Text>,
    pub url: Option<WebUrl>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a menu item like `{ label: About us, url: /about/ }`")]
struct MenuItemFile {
    label: Text,
    url: Text,
}

/// A menu entry; `url` is either a site path (`/groups/`) or a full web address.
#[derive(Debug, Clone, Serialize)]
pub struct MenuItem {
    pub label: String,
    /// The route inside the site, for site paths: used to mark the current page.
    pub route: Option<String>,
    pub href: String,
}

/// The site's settings, checked.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub name: String,
    pub tagline: Option<String>,
    pub description: Option<String>,
    pub base_url: BaseUrl,
    pub language: String,
    pub timezone: ZoneName,
    pub clock: Option<Clock>,
    pub contact: Contact,
    pub crisis: Vec<CrisisLine>,
    /// `None`: the theme's default menu.
    pub menu: Option<Vec<MenuItem>>,
    pub raw_html: bool,
    pub footer: Option<String>,
    pub logo: Option<String>,
    /// Contacts may give full names without a warning.
    pub full_names: bool,
    /// Where the quick-exit button goes, when the site has one.
    pub quick_exit: Option<String>,
    /// Whether the site has a search page, a search box in its header and an index
    /// (`search: false` turns all three off).
    pub search: bool,
    /// The links this file names (menu items, the logo), to report a broken one here.
    pub named_links: Vec<NamedLink>,
}

/// A link `site.yaml` names for every page (a menu item, the logo). If it leads nowhere,
/// the problem is reported at its line of `site.yaml`, not on some page that shows it.
#[derive(Debug, Clone)]
pub struct NamedLink {
    /// The address as pages link to it.
    pub href: String,
    /// The error to give if it leads nowhere, pointing at the line.
    pub broken: Diagnostic,
}

/// Where quick exit goes unless the site says otherwise: an everyday, neutral page, as
/// GOV.UK's "Exit this page" does.
pub const QUICK_EXIT_DEFAULT: &str = "https://www.bbc.co.uk/weather";

/// Parses `site.yaml`. `base_url_override` is `--base-url`; `origin` replaces only the
/// scheme and host of the base URL (see `Options::origin`).
pub fn parse(
    doc: &YamlDoc,
    base_url_override: Option<&str>,
    origin: Option<&str>,
) -> Result<SiteConfig, Vec<Diagnostic>> {
    let file: SiteFile = doc.parse().map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let base_url = match base_url_override {
        Some(url) => BaseUrl::parse(url).map_err(|e| {
            let (message, help) = e.split_once("\nhelp: ").unwrap_or((&e, ""));
            Diagnostic::error("--base-url", message.to_string()).with_help(help.to_string())
        }),
        None => BaseUrl::parse(&file.base_url.0).map_err(|e| {
            let (message, help) = e.split_once("\nhelp: ").unwrap_or((&e, ""));
            doc.error_at("base_url", message.to_string())
                .with_help(help.to_string())
        }),
    };
    let base_url = match base_url {
        Ok(b) => match origin {
            Some(origin) => BaseUrl {
                origin: origin.trim_end_matches('/').to_string(),
                path: b.path,
            },
            None => b,
        },
        Err(d) => {
            problems.push(d);
            BaseUrl {
                origin: String::new(),
                path: "/".into(),
            }
        }
    };
    let clock = match file.clock.as_ref().map(|c| c.0.trim().to_lowercase()) {
        None => None,
        Some(c) if c == "24h" || c == "24" => Some(Clock::TwentyFour),
        Some(c) if c == "12h" || c == "12" => Some(Clock::Twelve),
        Some(c) => {
            problems.push(
                doc.error_at("clock", format!("`{c}` is not a clock"))
                    .with_help("write `clock: 24h` (19:00) or `clock: 12h` (7:00pm)"),
            );
            None
        }
    };
    let timezone = match file.timezone {
        Some(z) => z,
        None => {
            problems.push(doc.error_at("", "`timezone` is missing").with_help(
                "add the time zone your meetings are in, like `timezone: Europe/London`",
            ));
            ZoneName::parse_text("UTC").map_err(|_| problems.clone())?
        }
    };
    let mut named_links = Vec::new();
    let menu = file.menu.map(|items| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, item)| {
                let url = item.url.0;
                let route = url.strip_prefix('/').map(|r| r.to_string());
                if route.is_none() && WebUrl::parse_text(&url).is_err() {
                    problems.push(
                        doc.error_at(&format!("menu[{i}].url"), format!("`{url}` is not a link PeerPress can use"))
                            .with_help("write a path in the site, like `/groups/`, or a full address starting with `https://`"),
                    );
                }
                let href = match &route {
                    Some(r) => base_url.href(r),
                    None => url.clone(),
                };
                if route.is_some() {
                    named_links.push(NamedLink {
                        href: href.clone(),
                        broken: doc
                            .error_at(&format!("menu[{i}].url"), format!("the menu's link to `{url}` goes to a page that does not exist"))
                            .with_help("check the address: a page made from `content/about.md` is at `/about/`, and the lists are at `/groups/`, `/meetings/`, `/values/` and `/directory/`"),
                    });
                }
                MenuItem { label: item.label.0, route, href }
            })
            .collect()
    });
    if let Some(logo) = file.logo.as_ref().map(|l| l.0.as_str()) {
        if !logo.starts_with("https://") && !logo.starts_with("http://") {
            let file_name = logo.trim_start_matches('/');
            named_links.push(NamedLink {
                href: base_url.href(file_name),
                broken: doc
                    .error_at("logo", format!("the logo `{logo}` is not a file of the site"))
                    .with_help(format!("put the picture in the `static/` folder, as `static/{file_name}`, or check its name")),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SiteConfig {
        name: file.name.0,
        tagline: file.tagline.map(|t| t.0),
        description: file.description.map(|t| t.0),
        base_url,
        language: file
            .language
            .map_or_else(|| "en".to_string(), |l| l.0.to_lowercase()),
        timezone,
        clock,
        contact: file.contact.unwrap_or_default(),
        crisis: file.crisis,
        menu,
        raw_html: file.raw_html,
        footer: file.footer,
        logo: file.logo.map(|l| l.0),
        full_names: file.full_names,
        quick_exit: match file.quick_exit {
            None | Some(QuickExitFile::On(false)) => None,
            Some(QuickExitFile::On(true)) => Some(QUICK_EXIT_DEFAULT.to_string()),
            Some(QuickExitFile::To { url }) => Some(url.0),
        },
        search: file.search.unwrap_or(true),
        named_links,
    })
}

impl WebUrl {
    pub fn parse_text(text: &str) -> Result<WebUrl, String> {
        <WebUrl as crate::model::yaml::Parsed>::parse(text)
    }
}
