//! `values/*.md`: the organisation's values statements.

use serde::Deserialize;

use crate::model::yaml::Text;

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
    pub body: super::Markdown,
}
