//! `content/**/*.md`: free pages (home, about, news…).

use serde::Deserialize;

use crate::model::yaml::Text;
use crate::schedule::parse::DateValue;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFile {
    pub title: Option<Text>,
    pub description: Option<Text>,
    pub date: Option<DateValue>,
    #[serde(default)]
    pub draft: bool,
    pub template: Option<Text>,
}

/// A content page.
#[derive(Debug, Clone)]
pub struct Page {
    pub route: String,
    pub title: String,
    pub description: Option<String>,
    pub date: Option<jiff::civil::Date>,
    /// A template of the theme (or the site's) to use instead of `page.html`.
    pub template: Option<String>,
    pub body: super::Markdown,
}
