//! The site's root page when every language's pages have a prefix (`/en/`, `/es/`):
//! nothing else would be at the site's address, so this page sends visitors on to the
//! default language and links to each, for browsers that do not follow the redirect.
//! A site whose default language is at its root (most) has no such page.

use super::escape_html;
use super::feeds::{Context, Feed, File};
use crate::model::Site;

/// `/index.html`, on a site with no language at its root.
pub struct LanguageRoot;

impl Feed for LanguageRoot {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let site = cx.site;
        if site.config.base_url.language.is_empty() {
            return Vec::new();
        }
        vec![File::new("index.html", move || page(site))]
    }
}

/// A small page in the default language, pointing at every language's home page.
fn page(site: &Site) -> String {
    let home = escape_html(&site.config.base_url.href(""));
    let mut links = String::new();
    for other in site.in_every_language() {
        let code = escape_html(&other.config.language);
        links.push_str(&format!(
            "<li><a href=\"{}\" lang=\"{code}\" hreflang=\"{code}\">{}</a></li>\n",
            escape_html(&other.config.base_url.href("")),
            escape_html(&super::languages::language_name(other)),
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={home}\">\n<link rel=\"canonical\" href=\"{}\">\n</head>\n<body>\n<main>\n<h1>{}</h1>\n<ul>\n{links}</ul>\n</main>\n</body>\n</html>\n",
        escape_html(&site.config.language),
        escape_html(&site.config.name),
        escape_html(&site.config.base_url.absolute("")),
        escape_html(&site.config.name),
    )
}
