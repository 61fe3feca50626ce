//! `values/*.md`: the organisation's values statements, each a page of its own under
//! `/values/<slug>/`, listed in their `order` on `/values/`.

use minijinja::Value as JinjaValue;
use serde::{Deserialize, Serialize};

use super::{Files, Folder, ItemPages, Kind, ListPage, MARKDOWN};
use crate::diagnostics::display_path;
use crate::model::yaml::Text;
use crate::model::{urls, Building, Markdown, Site};
use crate::render::reuse::hash_serialize;
use crate::render::views::Views;
use crate::render::{search, Body, Extra, ItemSet, Job, PageKind};

/// The values statements.
pub struct Values;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueFile {
    pub title: Text,
    pub order: Option<i64>,
    pub summary: Option<Text>,
    #[serde(default)]
    pub draft: bool,
}

/// One values statement.
#[derive(Debug, Clone)]
pub struct Value {
    pub slug: String,
    pub title: String,
    pub order: Option<i64>,
    pub summary: Option<String>,
    pub body: Markdown,
}

/// A values statement as templates see it (`values`, and `page.value` on its page).
#[derive(Debug, Clone, Serialize)]
pub struct ValueView {
    pub slug: String,
    pub title: String,
    pub href: String,
    pub summary: Option<String>,
}

/// What a values statement's page calls it (`page.value`): the name of its item set.
const VALUE: &str = "value";

impl Kind for Values {
    fn folder(&self) -> Folder {
        Folder {
            name: "values",
            extensions: MARKDOWN,
            read_by_kind: false,
        }
    }

    fn build(&self, files: Files, cx: &mut Building) {
        let parsed_files =
            crate::model::parse_all(&files.read, &mut cx.problems, |file, problems| {
                let (doc, body) = crate::model::split(file, problems)?;
                doc.parse::<ValueFile>()
                    .map_err(|d| problems.push(d))
                    .ok()
                    .map(|v| (v, body))
            });
        let mut values = Vec::with_capacity(parsed_files.len());
        for (file, (parsed, body)) in parsed_files {
            if parsed.draft && !cx.options.drafts {
                continue;
            }
            let slug = cx.file_slug(&file.path);
            if cx.claim_file("values", &slug, &file.path, urls::value(&slug)) {
                values.push(Value {
                    slug,
                    title: parsed.title.0,
                    order: parsed.order,
                    summary: parsed.summary.map(|s| s.0),
                    body,
                });
            }
        }
        values.sort_by_cached_key(|v| (v.order.unwrap_or(i64::MAX), v.title.to_lowercase()));
        cx.site.values = values;
    }

    fn list_pages(&self) -> &'static [ListPage] {
        &[ListPage {
            route: "values/",
            kind: PageKind::ValueList,
            template: "values/list.html",
            title: "values_title",
            menu: Some("menu_values"),
        }]
    }

    fn page_count(&self, site: &Site) -> usize {
        site.values.len()
    }

    fn item_pages<'a>(&self, site: &'a Site, _: &ItemPages<'a, '_>, jobs: &mut Vec<Job<'a>>) {
        for (i, value) in site.values.iter().enumerate() {
            jobs.push(Job {
                route: urls::value(&value.slug),
                source: display_path(&value.body.file),
                template: "values/single.html".into(),
                kind: PageKind::Value,
                title: value.title.clone(),
                description: value.summary.clone(),
                body: Some(Body::Site(&value.body)),
                extra: Extra::Item {
                    set: VALUE,
                    index: i,
                },
                in_sitemap: true,
            });
        }
    }

    fn items(&self, site: &Site, _: &mut Views, hashing: bool) -> Vec<ItemSet> {
        let views: Vec<ValueView> = site
            .values
            .iter()
            .map(|v| ValueView {
                slug: v.slug.clone(),
                title: v.title.clone(),
                href: site.config.base_url.href(&urls::value(&v.slug)),
                summary: v.summary.clone(),
            })
            .collect();
        vec![ItemSet {
            name: VALUE,
            list: "values",
            by_slug: None,
            slugs: views.iter().map(|v| v.slug.clone()).collect(),
            values: views.iter().map(JinjaValue::from_serialize).collect(),
            hashes: hashing.then(|| views.iter().map(hash_serialize).collect()),
            jsonld: None,
        }]
    }

    fn sources<'a>(&self, site: &'a Site) -> Vec<&'a Markdown> {
        site.values.iter().map(|v| &v.body).collect()
    }

    /// Each statement, by its title, summary and text.
    fn search_records<'a>(&self, site: &'a Site) -> Vec<search::Record<'a>> {
        site.values
            .iter()
            .map(|value| search::Record {
                route: urls::value(&value.slug),
                title: &value.title,
                kind: "search_kind_page",
                when: None,
                words: value.summary.as_deref().into_iter().collect(),
                text: Some(search::Text::Site(&value.body)),
            })
            .collect()
    }
}
