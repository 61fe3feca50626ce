//! News people can follow: a section's list newest first and split into pages, its
//! Atom feed read back with a real XML parser and checked against the rules of RFC
//! 4287, pages dated in the future kept back until their day, and the link previews
//! every page carries. (Python's `feedparser` reads the example site's feeds too:
//! `tests/readers/check_feeds.py`, run by CI.)

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use common::{peerpress, stdout, Fixture};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Two days after `common::NOW`, in seconds since 1970: the scheduled post's day has come.
const LATER: &str = "1795608000";

/// A site with a news section of five dated posts (one of them for the day after
/// `common::NOW`), one undated page and a draft, listed two to a page.
fn news_site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/news/index.md",
        "---\ntitle: News\ndescription: What's new.\npaginate: 2\n---\nOur news.\n",
    );
    let posts = [
        ("first", "2026-01-05", "The first & best", ""),
        (
            "second",
            "2026-03-10",
            "Second",
            "![Our hall](/hall.png)\n\n",
        ),
        ("third", "2026-07-20", "Third", ""),
        (
            "fourth",
            "2026-11-20",
            "Fourth",
            "[Back to the list](index.md)\n\n",
        ),
        ("tomorrow", "2026-11-24", "Tomorrow's news", ""),
    ];
    for (slug, date, title, extra) in posts {
        site.write(
            &format!("content/news/{slug}.md"),
            &format!("---\ntitle: \"{title}\"\ndate: {date}\ndescription: About {slug}.\n---\n{extra}Text of {slug} <em>with</em> care.\n"),
        );
    }
    site.write(
        "content/news/contact.md",
        "---\ntitle: Contact the editors\n---\nWrite to us.\n",
    );
    site.write(
        "content/news/draft.md",
        "---\ntitle: Draft\ndate: 2026-02-01\ndraft: true\n---\nNot yet.\n",
    );
    site.write("static/hall.png", "not really a picture");
    site.write("static/share.png", "not really a picture");
    site.write(
        "site.yaml",
        &format!("{}social_image: share.png\n", common::SITE),
    );
    site
}

/// The elements of `node` called `name` in the Atom namespace.
fn children<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|c| {
            c.is_element() && c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM)
        })
        .collect()
}

/// The text of the one child `name` of `node`, which RFC 4287 says it has exactly once.
fn one<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> &'a str {
    let found = children(node, name);
    assert_eq!(
        found.len(),
        1,
        "one <{name}> in <{}>",
        node.tag_name().name()
    );
    found[0].text().unwrap_or_default()
}

/// An absolute IRI, as `atom:id` must be (RFC 4287 §4.2.6).
fn assert_absolute(iri: &str) {
    assert!(
        iri.starts_with("https://") || iri.starts_with("tag:"),
        "not absolute: {iri}"
    );
    assert!(!iri.contains(char::is_whitespace), "{iri}");
}

/// An RFC 3339 date-time with a time zone, as Atom's dates must be (§3.3).
fn assert_date(text: &str) -> jiff::Timestamp {
    assert!(text.contains('T') && text.len() >= 20, "{text}");
    text.parse::<jiff::Timestamp>()
        .unwrap_or_else(|e| panic!("`{text}` is not an RFC 3339 date-time: {e}"))
}

/// Checks `xml` against RFC 4287's rules for a feed and its entries, and returns the
/// entries' titles in order.
fn check_atom(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.attribute((XML, "lang")), Some("en"));
    assert_absolute(one(feed, "id"));
    assert!(!one(feed, "title").is_empty());
    let updated = assert_date(one(feed, "updated"));
    // A feed without an author needs one in every entry (§4.1.1).
    let author = children(feed, "author")
        .into_iter()
        .next()
        .expect("the feed's author");
    assert_eq!(one(author, "name"), "Riverside Peers");
    let links = children(feed, "link");
    let rel = |l: &roxmltree::Node| l.attribute("rel").unwrap_or("alternate").to_string();
    let self_link = links
        .iter()
        .find(|l| rel(l) == "self")
        .expect("rel=self (§4.1.1)");
    assert_eq!(
        self_link.attribute("href"),
        Some("https://peers.example.org/news/atom.xml")
    );
    let alternates: Vec<_> = links.iter().filter(|l| rel(l) == "alternate").collect();
    assert_eq!(
        alternates.len(),
        1,
        "at most one alternate per type (§4.1.1)"
    );
    for link in &links {
        assert!(link
            .attribute("href")
            .is_some_and(|h| h.starts_with("https://")));
    }
    let mut ids = HashSet::new();
    let mut titles = Vec::new();
    let mut newest = None;
    for entry in children(feed, "entry") {
        let id = one(entry, "id");
        assert_absolute(id);
        assert!(ids.insert(id.to_string()), "ids are unique: {id}");
        titles.push(one(entry, "title").to_string());
        let entry_updated = assert_date(one(entry, "updated"));
        assert_date(one(entry, "published"));
        assert!(
            entry_updated <= updated,
            "the feed is as new as its newest entry"
        );
        if let Some(newer) = newest {
            assert!(entry_updated <= newer, "newest first");
        }
        newest = Some(entry_updated);
        assert!(children(entry, "summary").len() <= 1);
        let contents = children(entry, "content");
        assert!(contents.len() <= 1);
        let alternate = children(entry, "link")
            .into_iter()
            .find(|l| rel(l) == "alternate");
        // An entry without content must link to it (§4.1.2).
        assert!(!contents.is_empty() || alternate.is_some());
        assert_eq!(alternate.and_then(|l| l.attribute("href")), Some(id));
        if let Some(content) = contents.first() {
            assert_eq!(content.attribute("type"), Some("html"));
            assert_eq!(content.attribute((XML, "base")), Some(id));
            assert!(
                content.text().unwrap_or_default().starts_with('<'),
                "escaped HTML"
            );
        }
    }
    titles
}

#[test]
fn a_section_has_an_atom_feed_of_its_dated_pages_newest_first() {
    let site = news_site();
    site.build(&[]).success();
    let xml = site.page("news/atom.xml");
    let titles = check_atom(&xml);
    assert_eq!(titles, ["Fourth", "Third", "Second", "The first & best"]);
    assert!(!xml.contains("Tomorrow"), "not published yet");
    assert!(!xml.contains("Draft") && !xml.contains("Contact the editors"));
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    assert_eq!(one(feed, "title"), "News – Riverside Peers");
    assert_eq!(
        one(feed, "updated"),
        "2026-11-20T00:00:00+00:00",
        "the newest post's date"
    );
    let entry = children(feed, "entry")[2];
    assert_eq!(one(entry, "id"), "https://peers.example.org/news/second/");
    assert_eq!(one(entry, "summary"), "About second.");
    let html = one(entry, "content");
    assert!(html.contains("<em>with</em> care"), "{html}");
    assert!(
        html.contains("src=\"/hall.png\""),
        "resolved against xml:base: {html}"
    );
    // Summer time: midnight in London is an hour before midnight UTC.
    let third = children(feed, "entry")[1];
    assert_eq!(one(third, "updated"), "2026-07-20T00:00:00+01:00");
}

#[test]
fn feeds_carry_summaries_alone_when_the_site_says_so() {
    let site = news_site();
    let config = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        &format!("{config}feeds: {{ content: summary }}\n"),
    );
    site.build(&[]).success();
    let xml = site.page("news/atom.xml");
    check_atom(&xml);
    assert!(!xml.contains("<content"), "{xml}");
    assert_eq!(xml.matches("<summary>").count(), 4);
}

#[test]
fn a_sections_list_is_split_into_pages_with_prev_and_next_links() {
    let site = news_site();
    site.build(&[]).success();
    let first = site.page("news/index.html");
    let second = site.page("news/page/2/index.html");
    let third = site.page("news/page/3/index.html");
    assert!(!site.public().join("news/page/4").exists());
    assert!(
        !site.public().join("news/page/1").exists(),
        "page 1 is the section's own"
    );
    // Newest first, two to a page; undated pages last.
    let order = |html: &str, titles: &[&str]| {
        let at: Vec<usize> = titles
            .iter()
            .map(|t| html.find(t).unwrap_or_else(|| panic!("{t}")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{titles:?}");
    };
    order(&first, &["Fourth", "Third"]);
    order(&second, &["Second", "The first &amp; best"]);
    assert!(third.contains("Contact the editors"));
    assert!(!first.contains("Second<") && !second.contains(">Third<"));
    assert!(
        first.contains("Our news."),
        "the introduction is on the first page"
    );
    assert!(!second.contains("Our news."));
    assert!(second.contains("<title>News – page 2 – Riverside Peers</title>"));
    for (html, prev, next) in [
        (&first, None, Some("/news/page/2/")),
        (&second, Some("/news/"), Some("/news/page/3/")),
        (&third, Some("/news/page/2/"), None),
    ] {
        for (rel, href) in [("prev", prev), ("next", next)] {
            let link = format!("<link rel=\"{rel}\" href=\"{}\">", href.unwrap_or_default());
            let anchor = format!("<a rel=\"{rel}\" href=\"{}\">", href.unwrap_or_default());
            assert_eq!(html.contains(&link), href.is_some(), "{rel} {href:?}");
            assert_eq!(html.contains(&anchor), href.is_some(), "{rel} {href:?}");
        }
    }
    assert!(second.contains("<a href=\"/news/page/2/\" aria-current=\"page\">"));
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains("https://peers.example.org/news/page/3/"));
}

#[test]
fn the_feed_is_advertised_on_the_home_page_and_the_sections_pages_only() {
    let site = news_site();
    site.build(&[]).success();
    let advert = "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"News – Riverside Peers\" href=\"/news/atom.xml\">";
    for page in [
        "index.html",
        "news/index.html",
        "news/page/2/index.html",
        "news/third/index.html",
    ] {
        assert!(site.page(page).contains(advert), "{page}");
    }
    for page in ["about/index.html", "groups/index.html"] {
        assert!(!site.page(page).contains("application/atom+xml"), "{page}");
    }
    assert!(site
        .page("news/index.html")
        .contains("<a href=\"/news/atom.xml\" type=\"application/atom+xml\">"));
}

#[test]
fn a_page_dated_in_the_future_waits_for_its_day() {
    let site = news_site();
    let check = peerpress().arg("check").arg(site.path()).assert().success();
    assert!(
        stdout(&check).contains("Next scheduled page: content/news/tomorrow.md, dated 2026-11-24 (Tuesday 24 November 2026); a build on or after that day publishes it."),
        "{}",
        stdout(&check)
    );
    site.build(&[]).success();
    assert!(!site.public().join("news/tomorrow").exists());
    assert!(!site.page("news/index.html").contains("Tomorrow"));

    // `--drafts` shows it, as it shows drafts.
    let drafts = tempfile::tempdir().unwrap();
    site.build(&["--drafts", "-o", drafts.path().to_str().unwrap()])
        .success();
    assert!(drafts.path().join("news/tomorrow/index.html").exists());

    // A rebuild on its day publishes it, and lists it: exactly what a clean build makes.
    let out = site.public();
    let later = |out: &Path| {
        peerpress()
            .env("SOURCE_DATE_EPOCH", LATER)
            .arg("build")
            .arg(site.path())
            .arg("-o")
            .arg(out)
            .assert()
            .success();
    };
    later(&out);
    let clean = tempfile::tempdir().unwrap();
    later(clean.path());
    for page in [
        "news/index.html",
        "news/page/2/index.html",
        "news/page/3/index.html",
        "news/atom.xml",
        "index.html",
    ] {
        assert_eq!(
            site.page(page),
            fs::read_to_string(clean.path().join(page)).unwrap(),
            "{page}"
        );
    }
    assert!(site.page("news/index.html").contains("Tomorrow&#39;s news"));
    assert!(site
        .page("news/atom.xml")
        .contains("<title>Tomorrow&apos;s news</title>"));
    let check = peerpress()
        .env("SOURCE_DATE_EPOCH", LATER)
        .arg("check")
        .arg(site.path())
        .assert()
        .success();
    assert!(!stdout(&check).contains("scheduled"), "{}", stdout(&check));
}

#[test]
fn pages_carry_link_previews_with_full_addresses() {
    let site = news_site();
    site.build(&[]).success();
    let meta = |html: &str, property: &str| {
        let key = format!("<meta property=\"{property}\" content=\"");
        let at = html.find(&key).map(|i| i + key.len())?;
        Some(html[at..at + html[at..].find('"')?].to_string())
    };
    let second = site.page("news/second/index.html");
    assert_eq!(
        meta(&second, "og:image").as_deref(),
        Some("https://peers.example.org/hall.png")
    );
    assert_eq!(meta(&second, "og:image:alt").as_deref(), Some("Our hall"));
    assert_eq!(meta(&second, "og:type").as_deref(), Some("article"));
    assert_eq!(meta(&second, "og:title").as_deref(), Some("Second"));
    assert_eq!(
        meta(&second, "og:description").as_deref(),
        Some("About second.")
    );
    assert_eq!(
        meta(&second, "og:url").as_deref(),
        Some("https://peers.example.org/news/second/")
    );
    assert_eq!(
        meta(&second, "og:site_name").as_deref(),
        Some("Riverside Peers")
    );
    assert!(second.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let about = site.page("about/index.html");
    assert_eq!(
        meta(&about, "og:image").as_deref(),
        Some("https://peers.example.org/share.png"),
        "the site's picture"
    );
    assert_eq!(meta(&about, "og:type").as_deref(), Some("website"));
    assert!(about.contains("<meta name=\"twitter:card\" content=\"summary\">"));
    let home = site.page("index.html");
    assert_eq!(meta(&home, "og:title").as_deref(), Some("Riverside Peers"));
    assert!(
        !site.page("404.html").contains("og:url"),
        "the 404 page has no address of its own"
    );

    // Without `social_image`, a logo a preview can show stands in; an SVG one cannot.
    for (logo, image) in [
        ("logo.png", Some("https://peers.example.org/logo.png")),
        ("logo.svg", None),
    ] {
        site.write(&format!("static/{logo}"), "picture");
        site.write("site.yaml", &format!("{}logo: {logo}\n", common::SITE));
        site.build(&[]).success();
        assert_eq!(
            meta(&site.page("about/index.html"), "og:image").as_deref(),
            image,
            "{logo}"
        );
    }
}
