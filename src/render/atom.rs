//! Atom feeds (RFC 4287), one for each section whose pages have dates
//! (`news/atom.xml` for `content/news/`), so people can follow a site's news in a feed
//! reader without visiting it or giving anyone their email address.
//!
//! Each entry is a dated page of the section, newest first: its id is its full address,
//! `updated` is the start of its date in the site's time zone, and it carries the page's
//! whole text or its `description` alone, as `feeds: { content: … }` in `site.yaml`
//! says. The author is the site. A feed makes no request of its own: relative links in a
//! page's text are resolved by the readers against `xml:base`, the page's address.

use std::fmt::Write as _;

use super::feeds::{Context, Feed, File};
use crate::kinds::pages::sections::{self, Section};
use crate::model::config::FeedContent;
use crate::model::{Page, Site};

/// Every section's feed, in each language of the site (`es/news/atom.xml`).
pub struct SectionFeeds;

impl Feed for SectionFeeds {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        cx.site
            .in_every_language()
            .flat_map(|site| {
                site.sections
                    .iter()
                    .filter(|section| section.has_feed(&site.pages))
                    .map(move |section| {
                        let route = &site.pages[section.page].route;
                        let path = format!(
                            "{}{}",
                            site.config.base_url.language,
                            sections::feed_route(route)
                        );
                        File::new(path, move || feed(site, section))
                    })
            })
            .collect()
    }
}

/// The address of a section's feed in the site's language: feeds are per language,
/// unlike the site's other files.
pub(crate) fn feed_href(site: &Site, section_route: &str) -> String {
    let base = &site.config.base_url;
    format!(
        "{}{}{}",
        base.path,
        base.language,
        sections::feed_route(section_route)
    )
}

/// The most entries a feed lists: readers keep what they have seen, and a feed of a
/// section with years of news stays small.
pub const MOST_ENTRIES: usize = 50;

/// A section's feed, as its address and title for pages to advertise.
#[derive(Debug, serde::Serialize)]
pub struct FeedLink {
    /// The section's route, so its pages (those below it) advertise its feed.
    pub route: String,
    pub href: String,
    pub title: String,
}

/// The feeds of every section, for pages to advertise.
pub fn links(site: &Site) -> Vec<FeedLink> {
    site.sections
        .iter()
        .filter(|section| section.has_feed(&site.pages))
        .map(|section| {
            let page = &site.pages[section.page];
            FeedLink {
                route: page.route.clone(),
                href: feed_href(site, &page.route),
                title: feed_title(site, page),
            }
        })
        .collect()
}

/// `News – Riverside Peer Support`.
fn feed_title(site: &Site, section: &Page) -> String {
    format!("{} – {}", section.title, site.config.name)
}

/// The feed of `section`.
pub fn feed(site: &Site, section: &Section) -> String {
    let page = &site.pages[section.page];
    let base = &site.config.base_url;
    let entries: Vec<&Page> = section.dated(&site.pages).take(MOST_ENTRIES).collect();
    let mut xml = String::with_capacity(1024 + entries.len() * 2048);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    escape_into(&mut xml, &site.config.language);
    xml.push_str("\">\n");
    element(&mut xml, "  ", "id", &address(site, &page.route));
    element(&mut xml, "  ", "title", &feed_title(site, page));
    if let Some(description) = &page.description {
        element(&mut xml, "  ", "subtitle", description);
    }
    // The newest entry's date: the feed changes when an entry is added.
    let updated = entries
        .first()
        .and_then(|p| p.date)
        .map(|d| timestamp(site, d))
        .unwrap_or_default();
    element(&mut xml, "  ", "updated", &updated);
    link(
        &mut xml,
        "  ",
        "self",
        "application/atom+xml",
        &full_address(site, &feed_href(site, &page.route)),
    );
    link(
        &mut xml,
        "  ",
        "alternate",
        "text/html",
        &address(site, &page.route),
    );
    xml.push_str("  <author>\n");
    element(&mut xml, "    ", "name", &site.config.name);
    element(&mut xml, "    ", "uri", &address(site, ""));
    xml.push_str("  </author>\n");
    let _ = writeln!(
        xml,
        "  <generator version=\"{}\">PeerPress</generator>",
        env!("CARGO_PKG_VERSION")
    );
    if let Some(image) = &site.config.social_image {
        element(&mut xml, "  ", "logo", &absolute(site, image));
    }
    let links = crate::markdown::Links {
        routes_by_source: &site.routes_by_source,
        base_url: base,
        raw_html: site.config.raw_html,
        pictures: &site.pictures,
    };
    for entry in entries {
        let url = address(site, &entry.route);
        let date = entry.date.map(|d| timestamp(site, d)).unwrap_or_default();
        xml.push_str("  <entry>\n");
        element(&mut xml, "    ", "id", &url);
        element(&mut xml, "    ", "title", &entry.title);
        element(&mut xml, "    ", "published", &date);
        element(&mut xml, "    ", "updated", &date);
        link(&mut xml, "    ", "alternate", "text/html", &url);
        if let Some(description) = &entry.description {
            element(&mut xml, "    ", "summary", description);
        }
        if site.config.feed_content == FeedContent::Full {
            // A page that cannot be read again (changed as the site was built) is
            // reported on its own page; its entry has its summary alone.
            if let Ok(markdown) = crate::model::page_body(&site.root, entry) {
                let html = crate::markdown::render(&markdown, &links).html;
                xml.push_str("    <content type=\"html\" xml:base=\"");
                escape_into(&mut xml, &url);
                xml.push_str("\">");
                escape_into(&mut xml, &html);
                xml.push_str("</content>\n");
            }
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// The full address of a route. A site whose `base_url` is a path alone (a local
/// preview) has no host: its addresses are `http://localhost/…`, for ids must be
/// absolute.
fn address(site: &Site, route: &str) -> String {
    full_address(site, &site.config.base_url.href(route))
}

/// The full address of a link of the site (`/news/`).
fn full_address(site: &Site, href: &str) -> String {
    let origin = &site.config.base_url.origin;
    if origin.is_empty() {
        format!("http://localhost{href}")
    } else {
        format!("{origin}{href}")
    }
}

/// A file of the site's, or a web address, as a full address.
fn absolute(site: &Site, path_or_url: &str) -> String {
    if path_or_url.starts_with("https://") || path_or_url.starts_with("http://") {
        path_or_url.to_string()
    } else {
        address(site, path_or_url.trim_start_matches('/'))
    }
}

/// The start of `date` in the site's time zone, as RFC 3339 (`2026-10-01T00:00:00+01:00`).
fn timestamp(site: &Site, date: jiff::civil::Date) -> String {
    match date.to_zoned(site.config.timezone.zone.clone()) {
        Ok(start) => start.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        // (Only a date at the very end of time has no start in a zone.)
        Err(_) => format!("{date}T00:00:00Z"),
    }
}

/// `<name>text</name>` on a line of its own.
fn element(xml: &mut String, indent: &str, name: &str, text: &str) {
    let _ = write!(xml, "{indent}<{name}>");
    escape_into(xml, text);
    let _ = writeln!(xml, "</{name}>");
}

/// `<link rel=… type=… href=…/>`.
fn link(xml: &mut String, indent: &str, rel: &str, kind: &str, href: &str) {
    let _ = write!(xml, "{indent}<link rel=\"{rel}\" type=\"{kind}\" href=\"");
    escape_into(xml, href);
    xml.push_str("\"/>\n");
}

/// Appends `text` escaped for XML text and attribute values, leaving out the characters
/// XML 1.0 cannot hold at all (most control characters), which a page's text may have.
fn escape_into(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            '"' => xml.push_str("&quot;"),
            '\'' => xml.push_str("&apos;"),
            '\t' | '\n' | '\r' => xml.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => xml.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape_into;

    #[test]
    fn text_is_escaped_and_what_xml_cannot_hold_is_left_out() {
        let mut xml = String::new();
        escape_into(&mut xml, "a<b>&'\"\u{0}\u{b}\tc\u{fffe}é");
        assert_eq!(xml, "a&lt;b&gt;&amp;&apos;&quot;\tcé");
    }
}
