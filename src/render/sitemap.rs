//! `sitemap.xml` (sitemaps.org protocol 0.9) and `robots.txt`.

use crate::model::Site;

/// Lists the absolute URL of every page, in route order.
pub fn sitemap(site: &Site, mut routes: Vec<String>) -> String {
    routes.sort_unstable();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for route in routes {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&site.config.base_url.absolute(&route)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Allows everything and points at the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.base_url.absolute("sitemap.xml")
    )
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
