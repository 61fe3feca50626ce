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
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    languages: Vec<LanguageFile>,
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

/// One of `languages:`: its code alone (`es`), or its code with what changes in it.
enum LanguageFile {
    Code(Text),
    Entry(Box<LanguageEntryFile>),
}

/// Read by hand rather than as an untagged enum: serde's untagged enums drop the
/// error of the form that was meant, and a volunteer who misspells a key in a
/// language's entry is told which key, at its line.
impl<'de> Deserialize<'de> for LanguageFile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = LanguageFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a language's code like `es`, or `{ code: es, menu: [...] }` with what its pages say differently")
            }
            fn visit_str<E: serde::de::Error>(self, code: &str) -> Result<LanguageFile, E> {
                Ok(LanguageFile::Code(Text(code.to_string())))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<LanguageFile, A::Error> {
                let entry = LanguageEntryFile::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(LanguageFile::Entry(Box::new(entry)))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// A language with its own settings: where its pages are, and the site's words that
/// are written in it (menu, crisis lines, footer…), which otherwise are the default
/// language's.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageEntryFile {
    code: Text,
    /// The folder of its pages' addresses (`es` puts them under `/es/`).
    prefix: Option<Text>,
    /// What its switcher link says (`Español`).
    name: Option<Text>,
    tagline: Option<Text>,
    description: Option<Text>,
    menu: Option<Vec<MenuItemFile>>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    crisis: Vec<CrisisLine>,
    footer: Option<String>,
}

/// A language the site is written in. The first of [`SiteConfig::languages`] is the
/// default, whose text every page has; another's pages show its translations and, for
/// what is not translated yet, the default language's text.
#[derive(Debug, Clone)]
pub struct Language {
    /// Its code, as the translation tables and `lang` name it (`es`).
    pub code: String,
    /// The folder its pages are under (`es/`), or empty for the site's root.
    pub prefix: String,
    /// What the language switcher calls it, if `site.yaml` says (else its table's word).
    pub name: Option<String>,
    /// Where `site.yaml` names it, for messages (`languages[1]`).
    pub key: String,
    pub tagline: Option<String>,
    pub description: Option<String>,
    pub menu: Option<Vec<MenuItem>>,
    pub crisis: Option<Vec<CrisisLine>>,
    pub footer: Option<String>,
    /// The links its menu names, to report a broken one at its line.
    pub named_links: Vec<NamedLink>,
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
    /// The settings as the pages in the `index`-th language see them: their addresses
    /// under its prefix, and its own menu, crisis lines, footer and descriptions where
    /// `site.yaml` gives them.
    pub fn in_language(&self, index: usize) -> SiteConfig {
        let mut config = self.clone();
        let Some(language) = self.languages.get(index) else {
            return config;
        };
        config.language = language.code.clone();
        config.base_url = self.base_url.in_language(&language.prefix);
        let or = |own: &Option<String>, site: &Option<String>| own.clone().or(site.clone());
        config.tagline = or(&language.tagline, &self.tagline);
        config.description = or(&language.description, &self.description);
        config.footer = or(&language.footer, &self.footer);
        if let Some(crisis) = &language.crisis {
            config.crisis = crisis.clone();
        }
        match &language.menu {
            Some(menu) => {
                config.menu = Some(menu.clone());
                config
                    .named_links
                    .retain(|l| !self.menu_hrefs().any(|h| h == l.href));
                config
                    .named_links
                    .extend(language.named_links.iter().cloned());
            }
            // The site's menu, with its links to pages in this language.
            None => {
                if let Some(menu) = &mut config.menu {
                    for item in menu.iter_mut() {
                        let Some(route) = &item.route else { continue };
                        let href = config.base_url.href(route);
                        for link in config
                            .named_links
                            .iter_mut()
                            .filter(|l| l.href == item.href)
                        {
                            link.href.clone_from(&href);
                        }
                        item.href = href;
                    }
                }
            }
        }
        config
    }

    /// The links of the site's own menu.
    fn menu_hrefs(&self) -> impl Iterator<Item = &str> {
        self.menu
            .iter()
            .flatten()
            .filter(|i| i.route.is_some())
            .map(|i| i.href.as_str())
    }

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
    /// Where the pages are: on a site in several languages, in the language of this
    /// configuration ([`SiteConfig::in_language`]).
    pub base_url: BaseUrl,
    /// The code of the language the pages are in.
    pub language: String,
    /// Every language of the site, the default first (one, for most sites).
    pub languages: Vec<Language>,
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
                ..b
            },
            None => b,
        },
        Err(d) => {
            problems.push(d);
            BaseUrl {
                origin: String::new(),
                path: "/".into(),
                language: String::new(),
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
    let languages = languages(doc, &file, &base_url, &mut problems);
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
        parse_menu(
            doc,
            "menu",
            items,
            &base_url,
            &mut named_links,
            &mut problems,
        )
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
    let language = languages
        .first()
        .map_or_else(|| "en".to_string(), |l| l.code.clone());
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
        languages,
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

/// Checks a menu (`menu:` at `key`), noting its links to the site's pages to report
/// one that leads nowhere at its line.
fn parse_menu(
    doc: &YamlDoc,
    key: &str,
    items: Vec<MenuItemFile>,
    base_url: &BaseUrl,
    named_links: &mut Vec<NamedLink>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<MenuItem> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let url = item.url.0;
            let route = url.strip_prefix('/').map(|r| r.to_string());
            if route.is_none() && WebUrl::parse_text(&url).is_err() {
                problems.push(
                    doc.error_at(&format!("{key}[{i}].url"), format!("`{url}` is not a link PeerPress can use"))
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
                        .error_at(&format!("{key}[{i}].url"), format!("the menu's link to `{url}` goes to a page that does not exist"))
                        .with_help("check the address: a page made from `content/about.md` is at `/about/`, and the lists are at `/groups/`, `/meetings/`, `/values/` and `/directory/`"),
                });
            }
            MenuItem { label: item.label.0, route, href }
        })
        .collect()
}

/// The site's languages: `languages:` if given (the first is the default), else the
/// one `language:` names (English if neither is given). Each language's menu is
/// checked with its own addresses. Whether each has a translation table is checked by
/// the model, which knows the tables.
fn languages(
    doc: &YamlDoc,
    file: &SiteFile,
    base_url: &BaseUrl,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Language> {
    let plain = |code: String, key: String| Language {
        code,
        prefix: String::new(),
        name: None,
        key,
        tagline: None,
        description: None,
        menu: None,
        crisis: None,
        footer: None,
        named_links: Vec::new(),
    };
    let single = file.language.as_ref().map(|l| l.0.trim().to_lowercase());
    if file.languages.is_empty() {
        let code = single.unwrap_or_else(|| "en".to_string());
        return vec![plain(code, "language".to_string())];
    }
    let mut languages: Vec<Language> = Vec::with_capacity(file.languages.len());
    for (i, entry) in file.languages.iter().enumerate() {
        let key = format!("languages[{i}]");
        let mut language = match entry {
            LanguageFile::Code(code) => plain(code.0.trim().to_lowercase(), key.clone()),
            LanguageFile::Entry(entry) => {
                let code = entry.code.0.trim().to_lowercase();
                let mut language = plain(code, format!("{key}.code"));
                language.prefix = entry
                    .prefix
                    .as_ref()
                    .map(|p| p.0.trim().trim_matches('/').to_string())
                    .unwrap_or_else(|| {
                        if i == 0 {
                            String::new()
                        } else {
                            language.code.clone()
                        }
                    });
                language.name = entry.name.as_ref().map(|n| n.0.clone());
                language.tagline = entry.tagline.as_ref().map(|t| t.0.clone());
                language.description = entry.description.as_ref().map(|t| t.0.clone());
                language.crisis = (!entry.crisis.is_empty()).then(|| entry.crisis.clone());
                language.footer = entry.footer.clone();
                language
            }
        };
        if i > 0 && matches!(entry, LanguageFile::Code(_)) {
            language.prefix = language.code.clone();
        }
        let prefix_key = format!("{key}.prefix");
        if !language
            .prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            problems.push(
                doc.error_at(
                    &prefix_key,
                    format!(
                        "`{}` is not a folder name PeerPress can put pages in",
                        language.prefix
                    ),
                )
                .with_help(format!(
                    "write letters, digits and hyphens, like `prefix: {}`",
                    language.code
                )),
            );
        } else if i > 0
            && language.prefix.is_empty()
            && languages.iter().any(|l| l.prefix.is_empty())
        {
            problems.push(
                doc.error_at(&prefix_key, format!("the pages in `{}` need a prefix: the {} pages are already at the site's root", language.code, languages[0].code))
                    .with_help(format!("write `prefix: {}`, which puts them under `/{}/`", language.code, language.code)),
            );
        }
        if let Some(other) = languages.iter().find(|l| l.code == language.code) {
            problems.push(
                doc.error_at(
                    &language.key,
                    format!("`{}` is listed twice in `languages`", other.code),
                )
                .with_help("list each language once; the first is the default"),
            );
        } else if let Some(other) = languages
            .iter()
            .find(|l| !l.prefix.is_empty() && l.prefix == language.prefix)
        {
            problems.push(
                doc.error_at(
                    &prefix_key,
                    format!(
                        "`{}` and `{}` would both have their pages under `/{}/`",
                        other.code, language.code, language.prefix
                    ),
                )
                .with_help("give each language its own `prefix`"),
            );
        }
        if !language.prefix.is_empty() {
            language.prefix.push('/');
        }
        if let LanguageFile::Entry(entry) = entry {
            if let Some(items) = &entry.menu {
                let items = items
                    .iter()
                    .map(|item| MenuItemFile {
                        label: item.label.clone(),
                        url: item.url.clone(),
                    })
                    .collect();
                let base = base_url.in_language(&language.prefix);
                let mut named = Vec::new();
                language.menu = Some(parse_menu(
                    doc,
                    &format!("{key}.menu"),
                    items,
                    &base,
                    &mut named,
                    problems,
                ));
                language.named_links = named;
            }
        }
        languages.push(language);
    }
    if let Some(single) = single.filter(|s| *s != languages[0].code) {
        problems.push(
            doc.error_at("language", format!("`language: {single}` is not the first of `languages`, which is the default"))
                .with_help(format!("remove `language:` (the first of `languages` is the site's default language), or list `{single}` first")),
        );
    }
    languages
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
