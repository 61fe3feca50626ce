//! `values/*.md`: the organisation's values statements, each a page of its own under
//! `/values/<slug>/`, listed in their `order` on `/values/`.

use serde::Deserialize;

use super::{Files, Folder, Kind, MARKDOWN};
use crate::model::yaml::Text;
use crate::model::{urls, Building, Markdown};

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

impl Kind for Values {
    fn folder(&self) -> Folder {
        Folder {
            name: "values",
            extensions: MARKDOWN,
            read_by_kind: false,
        }
    }

    fn build(&self, files: Files, site: &mut Building) {
        let parsed_files = site.parse_all(&files.read, |file, problems| {
            let (doc, body) = crate::model::split(file, problems)?;
            doc.parse::<ValueFile>()
                .map_err(|d| problems.push(d))
                .ok()
                .map(|v| (v, body))
        });
        let mut values = Vec::with_capacity(parsed_files.len());
        for (file, (parsed, body)) in parsed_files {
            if parsed.draft && !site.options.drafts {
                continue;
            }
            let slug = crate::model::file_slug(&file.path);
            if site.claim_file("values", &slug, &file.path, urls::value(&slug)) {
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
        site.values = values;
    }
}
