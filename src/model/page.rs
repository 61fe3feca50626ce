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
    /// The page's Markdown: its file and first line, and its text if the model kept it
    /// ([`BodyInFile::kept`]). Otherwise the text is read again when the page is
    /// rendered, so a big site's content does not stay in memory for the whole build.
    pub body: super::Markdown,
    pub body_in_file: BodyInFile,
}

/// Where a content page's Markdown is in its file, and how to be sure the file has not
/// changed since it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BodyInFile {
    /// Byte offset of the body in the file's text.
    pub offset: usize,
    /// xxh3 of the file's whole text.
    pub hash: u64,
    /// The file line on which the body begins.
    pub first_line: usize,
    /// Whether the body's first `# Heading` became the page's title.
    pub heading_is_title: bool,
    /// Whether [`Page::body`] holds the text, so it need not be read again.
    pub kept: bool,
}
