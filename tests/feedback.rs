//! What a visitor sees of the listings' upkeep and whereabouts: "Report a change" on a
//! meeting page (an e-mail or a form, with the meeting named) and in `meetings.json`, the
//! warnings about listings not checked for too long, "open in maps" links, and time zones
//! named by their abbreviation for the date shown.

mod common;

use common::Fixture;
use serde_json::Value as Json;

const SITE: &str = "name: Riverside Peers
base_url: https://peers.example.org/
language: en
timezone: Europe/London
contact: { email: hello@peers.example.org }
crisis:
  - { name: Samaritans, phone: \"116 123\", hours: 24 hours }
";

fn site_with_feedback(feedback: &str) -> Fixture {
    let site = Fixture::new();
    site.write("site.yaml", &format!("{SITE}feedback:\n{feedback}"));
    site
}

/// The `href` of the first link whose text is `text`.
fn link_to(html: &str, text: &str) -> String {
    let end = html
        .find(&format!("\">{text}</a>"))
        .unwrap_or_else(|| panic!("no link `{text}`"));
    let start = html[..end].rfind("href=\"").expect("href") + 6;
    html[start..end].replace("&amp;", "&")
}

fn query(url: &url::Url, key: &str) -> String {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .unwrap_or_else(|| panic!("no `{key}` in {url}"))
        .1
        .into_owned()
}

#[test]
fn report_a_change_by_e_mail_names_the_meeting() {
    let site = site_with_feedback("  email: listings@peers.example.org\n");
    site.build(&[]).success();
    let page = site.page("meetings/voices-tuesday/index.html");
    let link = url::Url::parse(&link_to(&page, "Report a change by e-mail")).unwrap();
    assert_eq!(link.scheme(), "mailto");
    assert_eq!(link.path(), "listings@peers.example.org");
    assert_eq!(
        query(&link, "subject"),
        "Change to a meeting listing: Hearing Voices Group"
    );
    let body = query(&link, "body");
    assert!(
        body.contains("When: Every Tuesday, 19:00–20:30 (Europe/London)\r\n"),
        "{body}"
    );
    assert!(
        body.contains("Page: https://peers.example.org/meetings/voices-tuesday/\r\n"),
        "{body}"
    );
    let feed: Json = serde_json::from_str(&site.page("meetings.json")).unwrap();
    assert_eq!(
        feed[0]["feedback_emails"],
        serde_json::json!(["listings@peers.example.org"])
    );
    assert!(feed[0].get("feedback_url").is_none());
}

#[test]
fn report_a_change_by_form_fills_in_the_address() {
    let site = site_with_feedback(
        "  url: \"https://forms.example.org/change?m={slug}&n={name}&d={day}&t={time}&p={url}\"\n",
    );
    site.build(&[]).success();
    let page = site.page("meetings/voices-tuesday/index.html");
    let link = url::Url::parse(&link_to(&page, "Report a change (opens a form)")).unwrap();
    assert_eq!(link.host_str(), Some("forms.example.org"));
    assert_eq!(query(&link, "m"), "voices-tuesday");
    assert_eq!(query(&link, "n"), "Hearing Voices Group");
    assert_eq!(query(&link, "d"), "Tuesday");
    assert_eq!(query(&link, "t"), "19:00–20:30");
    assert_eq!(
        query(&link, "p"),
        "https://peers.example.org/meetings/voices-tuesday/"
    );
    let feed: Json = serde_json::from_str(&site.page("meetings.json")).unwrap();
    assert_eq!(feed[0]["feedback_url"], link.as_str());
    assert!(feed[0].get("feedback_emails").is_none());
}

#[test]
fn without_feedback_there_is_no_report_link() {
    let site = Fixture::new();
    site.build(&[]).success();
    let page = site.page("meetings/voices-tuesday/index.html");
    assert!(!page.contains("Report a change"));
    assert!(!site.page("meetings.json").contains("feedback_"));
}

#[test]
fn a_listing_checked_too_long_ago_is_pointed_out_and_a_recent_one_is_not() {
    let site = site_with_feedback("  email: listings@peers.example.org\n  checked_months: 12\n");
    let group = common::GROUP
        .replace(
            "    cancelled: [2026-12-01]\n",
            "    cancelled: [2026-12-01]\n    checked: 2025-10-31\n",
        )
        .replace(
            "    every: month\n",
            "    every: month\n    checked: 2026-06-01\n",
        );
    site.write("groups/voices.md", &group);
    let output = common::peerpress()
        .arg("check")
        .arg(site.path())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr
            .matches("warning: this meeting's listing was last checked")
            .count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("last checked on 2025-10-31, more than 12 months ago"),
        "{stderr}"
    );
    assert!(stderr.contains("groups/voices.md:13:"), "{stderr}");
    // Without `checked_months`, nobody is nagged.
    site.write("site.yaml", SITE);
    let output = common::peerpress()
        .arg("check")
        .arg(site.path())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("last checked"));
}

#[test]
fn venues_get_map_links_that_load_nothing() {
    let site = Fixture::new();
    site.build(&[]).success();
    let page = site.page("meetings/voices-tuesday/index.html");
    assert_eq!(link_to(&page, "Your map app"), "geo:51.5,-0.12");
    let osm = url::Url::parse(&link_to(&page, "OpenStreetMap")).unwrap();
    assert_eq!(
        (query(&osm, "mlat"), query(&osm, "mlon")),
        ("51.5".into(), "-0.12".into())
    );
    let google = url::Url::parse(&link_to(&page, "Google Maps")).unwrap();
    assert_eq!(query(&google, "query"), "51.5,-0.12");
    let apple = url::Url::parse(&link_to(&page, "Apple Maps")).unwrap();
    assert_eq!(query(&apple, "ll"), "51.5,-0.12");
    assert!(page.contains("<ul aria-labelledby=\"maps-label\">"));
    assert!(page.contains("<p id=\"maps-label\">Find Church Hall on a map:</p>"));
    // No map is embedded: nothing from a map service is loaded by the page itself.
    for tag in ["<iframe", "<img src=\"http", "<script src=\"http"] {
        assert!(!page.contains(tag), "{tag}");
    }
    // The online meeting has no venue, and so no map.
    assert!(!site
        .page("meetings/voices-online-monthly/index.html")
        .contains("map-links"));
}

#[test]
fn a_venue_without_coordinates_is_found_by_its_address() {
    let site = Fixture::new();
    site.write("venues.yaml", "hall:\n  name: Church Hall\n  address: { street: 1 Church Lane, town: Riverside, postcode: RV1 2AB }\n");
    site.build(&[]).success();
    let page = site.page("meetings/voices-tuesday/index.html");
    assert!(!page.contains("geo:"));
    let osm = url::Url::parse(&link_to(&page, "OpenStreetMap")).unwrap();
    assert_eq!(query(&osm, "query"), "1 Church Lane, Riverside RV1 2AB");
}

#[test]
fn times_name_their_zone_for_the_date_shown() {
    let site = Fixture::new();
    site.build(&[]).success();
    // 23 November: winter time.
    let page = site.page("meetings/voices-tuesday/index.html");
    assert!(page.contains("<span class=\"time\">19:00–20:30</span> <abbr class=\"zone\" id=\"meeting-zone\" title=\"Time in Europe/London\">GMT</abbr>"), "{page}");
    assert!(page.contains("data-zones=\"GMT 2027-03-28 BST 2027-10-31 GMT\""));
    // In summer, the same meeting is on British Summer Time.
    common::peerpress()
        .env("SOURCE_DATE_EPOCH", "1783080000") // 3 July 2026
        .arg("build")
        .arg(site.path())
        .assert()
        .success();
    let page = site.page("meetings/voices-tuesday/index.html");
    assert!(page.contains("title=\"Time in Europe/London\">BST</abbr>"));
    // One zone only: lists leave the zone out.
    assert!(!site.page("meetings/index.html").contains("class=\"zone"));
}

#[test]
fn lists_name_every_zone_when_meetings_are_in_several() {
    let site = Fixture::new();
    let group = common::GROUP.replace(
        "    online: { url:",
        "    timezone: America/New_York\n    online: { url:",
    );
    site.write("groups/voices.md", &group);
    site.build(&[]).success();
    let list = site.page("meetings/index.html");
    assert!(list.contains("<abbr class=\"zone\" title=\"Time in Europe/London\">GMT</abbr>"));
    assert!(list.contains("<abbr class=\"zone zone-named\" title=\"Time in America/New_York\">EST</abbr> <span class=\"zone\">(America/New_York)</span>"));
}
