//! `site.yaml`: the organisation's name, address, language, time zone, crisis lines and
//! menu.

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::contact::{Contact, Phone, WebUrl};
use crate::model::i18n::Clock;
use crate::model::meeting_type::{MeetingTypes, MeetingTypesFile};
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
    meeting_types: Option<MeetingTypesFile>,
    online_location: Option<OnlineLocationFile>,
    feedback: Option<crate::model::feedback::FeedbackFile>,
    feeds: Option<FeedsFile>,
    social_image: Option<Text>,
    search: Option<bool>,
}

/// `online_location:`: the town meeting finders place online-only meetings in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a place like `{ city: Riverside, region: Warwickshire, country: GB }`")]
struct OnlineLocationFile {
    city: Option<Text>,
    region: Option<Text>,
    country: Option<Text>,
}

/// An approximate place for online-only meetings: meeting finders such as the Meeting
/// Guide app show meetings near their users, online ones included, so each needs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineLocation {
    pub city: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
}

impl SiteConfig {
    /// Where online-only meetings are said to be, for meeting finders: `online_location`,
    /// or else the town of the contact address (its last part, `Riverside RV1 3CD`).
    pub fn online_place(&self) -> Option<String> {
        if let Some(place) = &self.online_location {
            return Some(place.one_line());
        }
        let address = self.contact.address.as_ref()?;
        let town = address
            .0
            .rsplit([',', '\n'])
            .map(str::trim)
            .find(|l| !l.is_empty())?;
        Some(town.to_string())
    }
}

impl OnlineLocation {
    /// `Riverside, Warwickshire, GB`.
    pub fn one_line(&self) -> String {
        [&self.city, &self.region, &self.country]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `feeds: { content: full }`: how the sections' Atom feeds carry each page.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "feed settings like `{ content: full }` or `{ content: summary }`")]
struct FeedsFile {
    content: Option<FeedContent>,
}

/// What a feed entry carries of its page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FeedContent {
    /// The whole text, for reading in the feed reader.
    #[default]
    Full,
    /// The page's `description` alone, with a link to the page.
    Summary,
}

impl crate::model::yaml::Parsed for FeedContent {
    const EXPECTING: &'static str = "`full` or `summary`";
    fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "full" => Ok(FeedContent::Full),
            "summary" => Ok(FeedContent::Summary),
            other => Err(format!("`{other}` is not a kind of feed content\nhelp: write `content: full` to give each page's whole text in the feeds, or `content: summary` to give its description and a link")),
        }
    }
}
crate::deserialize_via_parsed!(FeedContent);

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
    /// What the sections' feeds carry of each page.
    pub feed_content: FeedContent,
    /// The picture a link to a page shows in a chat or post when the page has none of
    /// its own (`social_image`, else the logo): a file of the site or a web address.
    pub social_image: Option<String>,
    /// `social_image`, if it names a file of the site, to check that it is one.
    pub social_image_file: Option<String>,
    /// Whether the site has a search page, a search box in its header and an index
    /// (`search: false` turns all three off).
    pub search: bool,
    /// The links this file names (menu items, the logo), to report a broken one here.
    pub named_links: Vec<NamedLink>,
    /// Every meeting type the site knows: built-in, its own, and a vocabulary.
    pub meeting_types: MeetingTypes,
    /// `online_location:`, when given.
    pub online_location: Option<OnlineLocation>,
    /// Where visitors report a change to a meeting, and how often listings are checked.
    pub feedback: crate::model::feedback::Feedback,
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
    let language = file
        .language
        .as_ref()
        .map_or_else(|| "en".to_string(), |l| l.0.to_lowercase());
    let meeting_types = match file.meeting_types {
        Some(types) => types.check(&language, doc, &mut problems),
        None => MeetingTypes::default(),
    };
    let online_location = file
        .online_location
        .and_then(|place| online_location(place, doc, &mut problems));
    let feedback = file
        .feedback
        .map(|f| crate::model::feedback::parse(doc, f, &mut problems))
        .unwrap_or_default();
    if let Some(image) = file.social_image.as_ref().map(|l| l.0.as_str()) {
        check_social_image(doc, image, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SiteConfig {
        name: file.name.0,
        tagline: file.tagline.map(|t| t.0),
        description: file.description.map(|t| t.0),
        base_url,
        language,
        timezone,
        clock,
        contact: file.contact.unwrap_or_default(),
        crisis: file.crisis,
        menu,
        raw_html: file.raw_html,
        footer: file.footer,
        logo: file.logo.clone().map(|l| l.0),
        full_names: file.full_names,
        quick_exit: match file.quick_exit {
            None | Some(QuickExitFile::On(false)) => None,
            Some(QuickExitFile::On(true)) => Some(QUICK_EXIT_DEFAULT.to_string()),
            Some(QuickExitFile::To { url }) => Some(url.0),
        },
        feed_content: file.feeds.and_then(|f| f.content).unwrap_or_default(),
        social_image_file: file
            .social_image
            .as_ref()
            .map(|i| i.0.clone())
            .filter(|i| !i.starts_with("https://") && !i.starts_with("http://")),
        social_image: file
            .social_image
            .or(file.logo.filter(|l| is_picture_for_previews(&l.0)))
            .map(|l| l.0),
        search: file.search.unwrap_or(true),
        named_links,
        meeting_types,
        online_location,
        feedback,
    })
}

/// Checks `online_location:`: a town or region, and the country, so that a meeting
/// finder can place it (a country alone spans too much, and maybe several time zones).
fn online_location(
    place: OnlineLocationFile,
    doc: &YamlDoc,
    problems: &mut Vec<Diagnostic>,
) -> Option<OnlineLocation> {
    let text = |t: Option<Text>| t.map(|t| t.0.trim().to_string()).filter(|t| !t.is_empty());
    let location = OnlineLocation {
        city: text(place.city),
        region: text(place.region),
        country: text(place.country),
    };
    let before = problems.len();
    if location.city.is_none() && location.region.is_none() {
        problems.push(
            doc.error_at_key("online_location", "`online_location` needs the town (`city:`) or the region online meetings belong to")
                .with_help("write the town your online meetings are run from, like `online_location: { city: Riverside, country: GB }`: meeting apps show online meetings to people near it"),
        );
    }
    if location.country.is_none() {
        problems.push(
            doc.error_at_key("online_location", "`online_location` needs `country:`")
                .with_help("add the country's two-letter code, like `country: GB`, so that meeting apps find the right town"),
        );
    }
    for (key, value) in [
        ("city", &location.city),
        ("region", &location.region),
        ("country", &location.country),
    ] {
        if value.as_deref().is_some_and(|v| v.contains([',', '\n'])) {
            problems.push(
                doc.error_at(&format!("online_location.{key}"), format!("`{key}` is one name, without commas"))
                    .with_help("write the town in `city:`, the county or state in `region:` and the country in `country:`"),
            );
        }
    }
    (problems.len() == before).then_some(location)
}

/// `social_image` must be a picture that link previews can show: a web address, or a
/// file of the site (checked by [`check_social_image_file`] once the files are known).
fn check_social_image(doc: &YamlDoc, image: &str, problems: &mut Vec<Diagnostic>) {
    let is_web = image.starts_with("https://") || image.starts_with("http://");
    if !is_web && image.contains("://") || image.starts_with("//") || image.is_empty() {
        problems.push(
            doc.error_at("social_image", format!("`{image}` is not a picture PeerPress can use"))
                .with_help("write the name of a picture in the `static/` folder, like `social_image: images/share.png`, or a full address starting with `https://`"),
        );
        return;
    }
    if !is_picture_for_previews(image) {
        problems.push(
            doc.error_at("social_image", format!("`{image}` is not a PNG, JPEG, GIF or WebP picture, so chat apps and social media will not show it"))
                .with_help("use a PNG or JPEG picture, ideally 1200 by 630 pixels, like `social_image: images/share.png`"),
        );
    }
}

/// Whether link previews show a picture of this kind (not SVG, which none does).
fn is_picture_for_previews(image: &str) -> bool {
    let extension = image.rsplit_once('.').map(|(_, e)| e.to_lowercase());
    ["png", "jpg", "jpeg", "gif", "webp"].contains(&extension.as_deref().unwrap_or_default())
}

/// The picture `social_image` names, if it is a file of the site that is missing. Link
/// previews fetch it from its full address, which no page links to, so it is looked for
/// among the site's files rather than left to the link checker.
pub fn check_social_image_file(
    doc: &YamlDoc,
    config: &SiteConfig,
    static_files: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Option<Diagnostic> {
    let image = config.social_image_file.as_deref()?;
    let file_name = image.trim_start_matches('/');
    (!static_files.contains_key(file_name)).then(|| {
        doc.error_at(
            "social_image",
            format!("the picture `{image}` is not a file of the site"),
        )
        .with_help(format!(
            "put the picture in the `static/` folder, as `static/{file_name}`, or check its name"
        ))
    })
}

impl WebUrl {
    pub fn parse_text(text: &str) -> Result<WebUrl, String> {
        <WebUrl as crate::model::yaml::Parsed>::parse(text)
    }
}
