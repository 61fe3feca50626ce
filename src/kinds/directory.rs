//! `directory/*`: other organisations a visitor might turn to, each a YAML file (or
//! Markdown with front matter), a page of its own under `/directory/<slug>/`, listed by
//! category, area and A–Z on `/directory/`.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::Value as JinjaValue;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{Files, Folder, ItemPages, Kind, ListPage};
use crate::diagnostics::display_path;
use crate::load::positions::Positions;
use crate::model::contact::{Address, AddressFile, Email, Phone, WebUrl};
use crate::model::slug::slugify;
use crate::model::yaml::{self, Parsed, Short, Shorthand, Text, YamlDoc};
use crate::model::{urls, Building, Markdown, Site};
use crate::render::reuse::hash_serialize;
use crate::render::views::Views;
use crate::render::{jsonld, search, Body, Extra, ItemSet, Job, PageKind};

/// The directory of other organisations.
pub struct Directory;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationFile {
    pub name: Text,
    pub summary: Option<Text>,
    pub website: Option<WebUrl>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    pub phones: Vec<Short<PhoneLine>>,
    pub email: Option<Email>,
    pub address: Option<AddressFile>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    pub areas: Vec<Text>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    pub categories: Vec<Text>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    pub languages: Vec<Text>,
    pub access: Option<Text>,
    pub cost: Option<Text>,
    pub description: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

/// A phone number of an organisation, with what it is for and when it is answered.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneLine {
    pub number: Phone,
    pub label: Option<Text>,
    pub hours: Option<Text>,
}

impl Shorthand for PhoneLine {
    const EXPECTING: &'static str =
        "a phone number like `01632 960 123`, or `{ number: …, label: …, hours: … }`";
    /// `phones: 01632 960 000`: a number alone, without label or hours.
    fn from_text(text: &str) -> Result<Self, String> {
        Ok(PhoneLine {
            number: Phone::parse(text)?,
            label: None,
            hours: None,
        })
    }
}

/// A directory entry.
#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
    pub summary: Option<String>,
    pub website: Option<WebUrl>,
    pub phones: Vec<PhoneLine>,
    pub email: Option<Email>,
    pub address: Option<Address>,
    pub areas: Vec<String>,
    pub categories: Vec<String>,
    pub languages: Vec<String>,
    pub access: Option<String>,
    pub cost: Option<String>,
    /// Rendered with the entry's own page, not shown elsewhere.
    #[serde(skip)]
    pub description: Markdown,
}

/// What an entry's page calls it (`page.organisation`): the name of its item set.
const ORGANISATION: &str = "organisation";

impl Kind for Directory {
    fn folder(&self) -> Folder {
        Folder {
            name: "directory",
            extensions: &["yaml", "yml", "md", "markdown"],
            read_by_kind: false,
        }
    }

    fn build(&self, files: Files, cx: &mut Building) {
        let parsed_files = crate::model::parse_all(&files.read, &mut cx.problems, parse);
        let mut organisations = Vec::with_capacity(parsed_files.len());
        for (file, (parsed, body)) in parsed_files {
            if parsed.draft && !cx.options.drafts {
                continue;
            }
            let slug = cx.file_slug(&file.path);
            if cx.claim_file("directory", &slug, &file.path, urls::organisation(&slug)) {
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
                    phones: parsed.phones.into_iter().map(|Short(p)| p).collect(),
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
            crate::model::warn_near_duplicates(
                kind,
                uses.values().map(|(n, c, f)| (n.as_str(), *c, *f)),
                &files.read,
                &mut cx.problems,
            );
        }
        cx.site.organisations = organisations;
    }

    fn list_pages(&self) -> &'static [ListPage] {
        &[ListPage {
            route: "directory/",
            kind: PageKind::Directory,
            template: "directory/list.html",
            title: "directory_title",
            menu: Some("menu_directory"),
        }]
    }

    fn page_count(&self, site: &Site) -> usize {
        site.organisations.len()
    }

    fn item_pages<'a>(&self, site: &'a Site, _: &ItemPages<'a, '_>, jobs: &mut Vec<Job<'a>>) {
        jobs.par_extend(site.organisations.par_iter().enumerate().map(|(i, o)| Job {
            route: urls::organisation(&o.slug),
            source: display_path(&o.description.file),
            template: "directory/single.html".into(),
            kind: PageKind::Organisation,
            title: o.name.clone(),
            description: o.summary.clone(),
            body: (!o.description.source.trim().is_empty()).then_some(Body::Site(&o.description)),
            extra: Extra::Item {
                set: ORGANISATION,
                index: i,
            },
            in_sitemap: true,
        }));
    }

    fn items(&self, _site: &Site, v: &mut Views, hashing: bool) -> Vec<ItemSet> {
        let hashes = hashing.then(|| v.organisations.par_iter().map(hash_serialize).collect());
        let (slugs, values): (Vec<String>, Vec<JinjaValue>) = std::mem::take(&mut v.organisations)
            .into_par_iter()
            .map(|o| (o.entry.slug.clone(), JinjaValue::from_serialize(&o)))
            .unzip();
        vec![ItemSet {
            name: ORGANISATION,
            list: "directory_list",
            by_slug: Some("directory"),
            slugs,
            values,
            hashes,
            jsonld: Some(|site, i| jsonld::organisation(&site.organisations[i])),
        }]
    }

    fn sources<'a>(&self, site: &'a Site) -> Vec<&'a Markdown> {
        site.organisations.iter().map(|o| &o.description).collect()
    }

    /// Each organisation, by its name, summary, categories, areas and description.
    fn search_records<'a>(&self, site: &'a Site) -> Vec<search::Record<'a>> {
        site.organisations
            .iter()
            .map(|organisation| {
                let mut words: Vec<&str> = organisation.summary.as_deref().into_iter().collect();
                words.extend(organisation.categories.iter().map(String::as_str));
                words.extend(organisation.areas.iter().map(String::as_str));
                search::Record {
                    route: urls::organisation(&organisation.slug),
                    title: &organisation.name,
                    kind: "search_kind_organisation",
                    when: None,
                    words,
                    text: Some(search::Text::Site(&organisation.description)),
                }
            })
            .collect()
    }
}

/// A directory entry as templates see it: the entry's own fields, plus its links.
#[derive(Debug, Clone, Serialize)]
pub struct OrganisationView<'a> {
    #[serde(flatten)]
    pub entry: &'a Organisation,
    pub href: String,
    pub url: String,
    /// The website without `https://`, for display.
    pub website_label: Option<String>,
}

/// An entry as templates see it.
pub(crate) fn organisation_view<'a>(site: &Site, o: &'a Organisation) -> OrganisationView<'a> {
    OrganisationView {
        entry: o,
        href: site.config.base_url.href(&urls::organisation(&o.slug)),
        url: site.config.base_url.absolute(&urls::organisation(&o.slug)),
        website_label: o.website.as_ref().map(WebUrl::short),
    }
}

/// Parses one entry: its YAML, or its front matter and Markdown description.
fn parse(
    file: &crate::load::SourceFile,
    problems: &mut Vec<crate::diagnostics::Diagnostic>,
) -> Option<(OrganisationFile, Markdown)> {
    let is_markdown = matches!(
        file.path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    );
    let (doc, mut body) = if is_markdown {
        crate::model::split(file, problems)?
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
    let mut parsed: OrganisationFile = doc.parse().map_err(|d| problems.push(d)).ok()?;
    if let Some(description) = parsed.description.take() {
        if !body.source.trim().is_empty() {
            problems.push(
                doc.error_at(
                    "description",
                    "this entry has both `description:` and a Markdown body",
                )
                .with_help(
                    "keep one: move the description below the closing `---`, or remove the body",
                ),
            );
        }
        body = Markdown {
            source: description,
            file: file.path.clone(),
            // Its first line, for messages about its links: from the text if it is
            // written plainly, else from the document's index.
            first_line: Positions::top_level_value_line(doc.yaml, doc.first_line, "description")
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
}
