//! Search: the search page, the header's search box and the index in `pagefind/`, read
//! back as Pagefind's script reads it (each fragment is gzip of `pagefind_dcd` and the
//! page's JSON); `search: false` turns all three off; a rebuild with no change keeps the
//! index as it is.

mod common;

use std::fs;
use std::io::Read;
use std::path::Path;

use common::{stdout, Fixture, SITE};

/// The JSON of every page of the index, from its fragment files. A page's `url` is its
/// address in the site, which the search page's script puts after the site's own.
fn fragments(public: &Path) -> Vec<serde_json::Value> {
    let mut pages = Vec::new();
    for entry in fs::read_dir(public.join("pagefind/fragment")).expect("fragments") {
        let bytes = fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("a fragment is gzip");
        let json = text
            .strip_prefix("pagefind_dcd")
            .expect("Pagefind's mark at the start");
        pages.push(serde_json::from_str(json).expect("a fragment is JSON"));
    }
    pages
}

fn by_url<'a>(pages: &'a [serde_json::Value], url: &str) -> &'a serde_json::Value {
    pages
        .iter()
        .find(|p| p["url"] == url)
        .unwrap_or_else(|| panic!("no page {url} in the index: {pages:#?}"))
}

#[test]
fn every_page_a_visitor_looks_for_is_in_the_index_with_its_kind() {
    let site = Fixture::new();
    site.build(&[]).success();
    let public = site.public();

    let entry: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(public.join("pagefind/pagefind-entry.json")).unwrap(),
    )
    .unwrap();
    let english = &entry["languages"]["en"];
    // A group, its two meetings, a directory entry, a values statement, two content pages.
    assert_eq!(english["page_count"], 7, "{entry}");
    assert_eq!(english["wasm"], "en");
    let meta = format!(
        "pagefind/pagefind.{}.pf_meta",
        english["hash"].as_str().unwrap()
    );
    assert!(public.join(meta).is_file());
    assert!(public.join("pagefind/pagefind.js").is_file());
    assert!(public.join("pagefind/wasm.en.pagefind").is_file());
    // Pagefind's own interfaces and the search without stemming are not needed.
    for unused in [
        "pagefind-ui.js",
        "pagefind-component-ui.js",
        "pagefind-modular-ui.js",
        "pagefind-worker.js",
        "wasm.unknown.pagefind",
    ] {
        assert!(!public.join("pagefind").join(unused).exists(), "{unused}");
    }

    let pages = fragments(&public);
    assert_eq!(pages.len(), 7);
    let group = by_url(&pages, "groups/voices/");
    assert_eq!(group["meta"]["title"], "Hearing Voices Group");
    assert_eq!(group["meta"]["kind"], "Group");
    assert_eq!(group["filters"]["kind"], serde_json::json!(["group"]));
    let text = group["content"].as_str().unwrap();
    assert!(text.contains("A friendly space"), "{text}");
    assert!(text.contains("psychosis"), "{text}");
    assert!(text.contains("A cup of tea and a chat"), "{text}");
    assert!(!text.contains("##"), "Markdown marks are not words: {text}");

    let meeting = by_url(&pages, "meetings/voices-tuesday/");
    assert_eq!(meeting["meta"]["kind"], "Meeting");
    assert_eq!(meeting["meta"]["when"], "Every Tuesday, 19:00–20:30");
    assert!(meeting["content"].as_str().unwrap().contains("Church Hall"));

    assert_eq!(
        by_url(&pages, "directory/helpline/")["meta"]["kind"],
        "Organisation"
    );
    assert_eq!(by_url(&pages, "values/hope/")["meta"]["kind"], "Page");
    let about = by_url(&pages, "about/");
    assert_eq!(about["meta"]["title"], "About us");
    assert!(about["content"].as_str().unwrap().contains("We are peers"));
}

#[test]
fn the_header_box_leads_to_the_search_page() {
    let site = Fixture::new();
    site.build(&[]).success();
    let home = site.page("index.html");
    assert!(
        home.contains(
            "<form class=\"site-search\" role=\"search\" action=\"/search/\" method=\"get\">"
        ),
        "{home}"
    );
    assert!(home.contains("name=\"q\""));
    assert!(
        !home.contains("search.js"),
        "only the search page loads its script"
    );
    let search = site.page("search/index.html");
    assert!(search.contains("<h1>Search</h1>"));
    assert!(search.contains("src=\"/assets/search.js\""));
    assert!(search.contains("data-index=\"/pagefind/pagefind.js\""));
    assert!(search.contains("aria-live=\"polite\""));
    for list in [
        "/groups/",
        "/meetings/",
        "/directory/",
        "/values/",
        "/topics/",
    ] {
        assert!(search.contains(&format!("href=\"{list}\"")), "{list}");
    }
}

#[test]
fn search_false_turns_off_the_page_the_box_and_the_index() {
    let site = Fixture::new();
    site.write("site.yaml", &format!("{SITE}search: false\n"));
    site.build(&[]).success();
    let public = site.public();
    assert!(!public.join("search").exists());
    assert!(!public.join("pagefind").exists());
    let home = site.page("index.html");
    assert!(!home.contains("role=\"search\""), "{home}");
    assert!(!home.contains("/search/"), "{home}");
    assert!(!fs::read_to_string(public.join("sitemap.xml"))
        .unwrap()
        .contains("/search/"));
}

#[test]
fn a_rebuild_keeps_the_index_unless_a_page_changed() {
    let site = Fixture::new();
    site.build(&[]).success();
    let names = |site: &Fixture| -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(site.public().join("pagefind/fragment"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let first = names(&site);

    let again = stdout(&site.build(&[]).success());
    assert!(again.contains("(0 written,"), "{again}");

    // A group's text changes what is searched: the index is made again, and the files
    // of the old one are gone.
    let group = fs::read_to_string(site.path().join("groups/voices.md")).unwrap();
    site.write(
        "groups/voices.md",
        &format!("{group}\nWe also meet for walks.\n"),
    );
    site.build(&[]).success();
    assert_ne!(first, names(&site));
    // The file naming the index names the new one.
    let entry: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(site.public().join("pagefind/pagefind-entry.json")).unwrap(),
    )
    .unwrap();
    let hash = entry["languages"]["en"]["hash"].as_str().unwrap();
    let meta = site
        .public()
        .join(format!("pagefind/pagefind.{hash}.pf_meta"));
    assert!(meta.is_file(), "{entry}");
    let pages = fragments(&site.public());
    assert_eq!(pages.len(), 7, "the old index's fragments are removed");
    assert!(by_url(&pages, "groups/voices/")["content"]
        .as_str()
        .unwrap()
        .contains("We also meet for walks"));
}

#[test]
fn the_index_is_the_same_from_the_same_site() {
    let site = Fixture::new();
    site.build(&[]).success();
    let other = tempfile::tempdir().unwrap();
    common::peerpress()
        .arg("build")
        .arg(site.path())
        .arg("--output-dir")
        .arg(other.path())
        .assert()
        .success();
    let listing = |root: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(root.join("pagefind"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let name = e
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (name, fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let first = listing(&site.public());
    assert!(first.len() > 5);
    assert!(
        first == listing(other.path()),
        "two builds made different indexes"
    );
}
