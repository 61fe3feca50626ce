//! `sitemap.xml` (sitemaps.org protocol 0.9) and `robots.txt`.

use super::feeds::{Context, Feed, File};
use crate::model::Site;

/// `/sitemap.xml`.
pub struct Sitemap;

impl Feed for Sitemap {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let (site, routes) = (cx.site, cx.sitemap_routes);
        vec![File::new(SITEMAP, move || sitemap(site, routes.to_vec()))]
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

/// Lists the absolute URL of every page, in route order.
pub fn sitemap(site: &Site, mut routes: Vec<String>) -> String {
    routes.sort_unstable();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for route in routes {
        xml.push_str("  <url><loc>");
        push_escaped(&mut xml, &site.config.base_url.absolute(&route));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
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
