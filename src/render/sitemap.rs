//! `sitemap.xml` (sitemaps.org protocol 0.9) and `robots.txt`. On a site in several
//! languages, each page's address in every language it is in is listed, with the
//! others as its alternates (`xhtml:link`, as search engines read them).

use super::feeds::{Context, Feed, File};
use crate::model::Site;

/// `/sitemap.xml`.
pub struct Sitemap;

impl Feed for Sitemap {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let (site, routes) = (cx.site, cx.sitemap_routes);
        vec![File::new(SITEMAP, move || sitemap(site, routes))]
    }
}

/// `/robots.txt`.
pub struct Robots;

impl Feed for Robots {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let site = cx.site;
        vec![File::new("robots.txt", move || robots(site))]
    }
}

const SITEMAP: &str = "sitemap.xml";

/// Lists the absolute URL of every page, in route order, language by language; on a
/// site in several, each with its alternates.
pub fn sitemap(site: &Site, routes: &[Vec<String>]) -> String {
    let languages: Vec<&Site> = site.in_every_language().collect();
    let several = languages.len() > 1;
    let sets: Vec<std::collections::HashSet<&str>> = routes
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"");
    if several {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for (language, routes) in languages.iter().zip(routes) {
        let mut routes: Vec<&str> = routes.iter().map(String::as_str).collect();
        routes.sort_unstable();
        for route in routes {
            xml.push_str("  <url><loc>");
            push_escaped(&mut xml, &language.config.base_url.absolute(route));
            xml.push_str("</loc>");
            if several {
                let alternates = languages
                    .iter()
                    .zip(&sets)
                    .filter(|(_, set)| set.contains(route));
                for (i, (other, _)) in alternates.enumerate() {
                    let url = other.config.base_url.absolute(route);
                    if i == 0 && other.language_index == 0 {
                        alternate(&mut xml, "x-default", &url);
                    }
                    alternate(&mut xml, &other.config.language, &url);
                }
                xml.push_str("\n  ");
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `<xhtml:link rel="alternate" hreflang="es" href="…"/>`, on a line of its own.
fn alternate(xml: &mut String, language: &str, url: &str) {
    xml.push_str("\n    <xhtml:link rel=\"alternate\" hreflang=\"");
    push_escaped(xml, language);
    xml.push_str("\" href=\"");
    push_escaped(xml, url);
    xml.push_str("\"/>");
}

/// Allows everything and points at the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.base_url.absolute(SITEMAP)
    )
}

/// Appends `text` with XML's five special characters escaped, as a page's text is
/// (every page's address is written).
fn push_escaped(xml: &mut String, text: &str) {
    // (Writing to a `String` cannot fail.)
    let _ = super::templates::write_escaped(xml, text, "&apos;");
}

#[cfg(test)]
mod tests {
    use super::push_escaped;

    #[test]
    fn addresses_are_escaped_for_xml() {
        let mut xml = String::from("<loc>");
        push_escaped(&mut xml, "https://example.org/a?b=1&c='2'\"<é>/");
        assert_eq!(
            xml,
            "<loc>https://example.org/a?b=1&amp;c=&apos;2&apos;&quot;&lt;é&gt;/"
        );
        let mut plain = String::new();
        push_escaped(&mut plain, "https://example.org/groups/");
        assert_eq!(plain, "https://example.org/groups/");
    }
}
