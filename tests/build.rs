//! `peerpress build`: what a visitor sees in the built site, the flags, and the output
//! folder's safety rules.

mod common;

use std::fs;
use std::time::Duration;

use common::{peerpress, stderr, stdout, Fixture};

#[test]
fn builds_every_kind_of_page() {
    let site = Fixture::new();
    let out = site.build(&[]).success();
    assert!(stdout(&out).starts_with("Built "), "{}", stdout(&out));
    for page in [
        "index.html",
        "about/index.html",
        "groups/index.html",
        "groups/voices/index.html",
        "topics/index.html",
        "topics/hearing-voices/index.html",
        "topics/psychosis/index.html",
        "meetings/index.html",
        "meetings/voices-tuesday/index.html",
        "meetings/voices-online-monthly/index.html",
        "values/index.html",
        "values/hope/index.html",
        "directory/index.html",
        "directory/helpline/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "assets/style.css",
    ] {
        assert!(site.public().join(page).is_file(), "{page} is missing");
    }
}

#[test]
fn the_schedule_shows_every_meeting_with_time_group_format_and_place() {
    let site = Fixture::new();
    site.build(&[]).success();
    let meetings = site.page("meetings/index.html");
    let tuesday = meetings
        .split("id=\"tuesday\"")
        .nth(1)
        .expect("a Tuesday section");
    let tuesday = tuesday.split("id=\"wednesday\"").next().unwrap_or_default();
    assert!(tuesday.contains("19:00–20:30"));
    assert!(tuesday.contains("Every Tuesday"));
    assert!(tuesday.contains("In person"));
    assert!(tuesday.contains("Church Hall"));
    assert!(tuesday.contains("href=\"/meetings/voices-tuesday/\""));
    let friday = meetings
        .split("id=\"friday\"")
        .nth(1)
        .expect("a Friday section");
    assert!(friday.contains("Last Friday of the month"));
    assert!(friday.contains("Online"));

    let online = site.page("meetings/voices-online-monthly/index.html");
    assert!(online.contains("href=\"https://meet.example.org/voices\""));
    assert!(online.contains("href=\"tel:01632960555\""));
    // The next dates are the last Fridays of the coming months.
    assert!(online.contains("Friday 27 November 2026"));
    assert!(online.contains("Friday 25 December 2026"));
    assert!(online.contains("Friday 29 January 2027"));

    let weekly = site.page("meetings/voices-tuesday/index.html");
    let visible = weekly
        .split_once("id=\"next-heading\"")
        .expect("next meetings are listed")
        .1;
    let (next, cancelled) = visible
        .split_once("Not meeting on")
        .expect("cancelled dates are listed");
    assert!(next.contains("Tuesday 24 November 2026"));
    assert!(
        !next.contains("2026-12-01"),
        "a cancelled date is not a next meeting"
    );
    assert!(next.contains("Tuesday 8 December 2026"));
    assert!(cancelled.contains("Tuesday 1 December 2026"));
    assert!(weekly.contains("1 Church Lane"));
}

#[test]
fn every_page_shows_crisis_help_and_works_without_scripts() {
    let site = Fixture::new();
    site.build(&[]).success();
    for entry in walk(&site.public()) {
        if !entry.ends_with(".html") {
            continue;
        }
        let html = fs::read_to_string(&entry).unwrap();
        assert!(
            html.contains("href=\"tel:116123\""),
            "{entry} has no crisis line"
        );
        // Structured data, and at most the theme's small enhancement script: no other
        // script, nothing inline that runs.
        let scripts = html.matches("<script").count();
        let data_blocks = html
            .matches("<script type=\"application/ld+json\">")
            .count();
        let enhancement = html
            .matches("<script src=\"/assets/site.js\" defer></script>")
            .count();
        // The search page's own script, on the search page alone.
        let search = html
            .matches("<script src=\"/assets/search.js\" defer></script>")
            .count();
        assert_eq!(
            search,
            usize::from(entry.replace('\\', "/").ends_with("search/index.html")),
            "{entry}"
        );
        assert_eq!(
            scripts,
            data_blocks + enhancement + search,
            "{entry} has an unexpected script"
        );
        assert!(html.contains("<html lang=\"en\">"));
        for attr in ["src=\"http", "href=\"//"] {
            assert!(
                !html.contains(attr),
                "{entry} loads something from another host"
            );
        }
    }
}

#[test]
fn the_header_marks_the_page_it_links_to_as_current() {
    let site = Fixture::new();
    // The theme's menu, then one of the site's own with a content page in it.
    for menu in ["", "menu:\n  - { label: Groups, url: /groups/ }\n  - { label: About us, url: /about/ }\n  - { label: Elsewhere, url: \"https://example.org/\" }\n"] {
        site.write("site.yaml", &format!("{}{menu}", common::SITE));
        site.build(&[]).success();
        let current = |page: &str| {
            let html = site.page(page);
            let marked: Vec<String> = html
                .split("<a ")
                .filter(|a| a.split('>').next().unwrap_or("").contains("aria-current=\"page\""))
                .filter_map(|a| Some(a.split("href=\"").nth(1)?.split('"').next()?.to_string()))
                .collect();
            marked
        };
        assert_eq!(current("index.html"), ["/"], "home, with {menu:?}");
        assert_eq!(current("groups/index.html"), ["/groups/"], "with {menu:?}");
        assert!(current("groups/voices/index.html").is_empty(), "with {menu:?}");
        let about = if menu.is_empty() { vec![] } else { vec!["/about/".to_string()] };
        assert_eq!(current("about/index.html"), about, "with {menu:?}");
        let meetings = if menu.is_empty() { vec!["/meetings/".to_string()] } else { vec![] };
        assert_eq!(current("meetings/index.html"), meetings, "with {menu:?}");
    }
}

#[test]
fn the_meeting_list_is_complete_without_javascript() {
    let site = Fixture::new();
    site.build(&[]).success();
    let meetings = site.page("meetings/index.html");
    assert_eq!(
        meetings.matches("class=\"card meeting").count(),
        2,
        "every meeting is in the HTML"
    );
    assert!(
        meetings.contains("<form id=\"meeting-filters\" class=\"filters\" hidden"),
        "the filters appear only when the script can run them"
    );
    assert!(meetings.contains("data-frequency=\"monthly\" data-week=\"last\""));
    let script = site.page("assets/site.js");
    assert!(
        script.len() < 15 * 1024,
        "the theme's script is small: {} bytes",
        script.len()
    );
}

#[test]
fn quick_exit_is_a_plain_link_when_enabled() {
    let site = Fixture::new();
    site.build(&[]).success();
    assert!(
        !site.page("index.html").contains("quick-exit"),
        "off unless the site enables it"
    );
    site.write(
        "site.yaml",
        &format!(
            "{}quick_exit: {{ url: https://weather.example.org/ }}\n",
            common::SITE
        ),
    );
    site.build(&[]).success();
    let home = site.page("index.html");
    assert!(home.contains("<a class=\"quick-exit\" id=\"quick-exit\" href=\"https://weather.example.org/\" rel=\"noreferrer\">Exit this page</a>"));
    assert!(home.contains("<script src=\"/assets/site.js\" defer></script>"));
    assert!(site
        .page("browsing-safely/index.html")
        .contains("Private browsing"));
}

#[test]
fn markdown_links_headings_and_home() {
    let site = Fixture::new();
    site.build(&[]).success();
    let home = site.page("index.html");
    assert!(home.contains("<a href=\"/about/#who\">about us</a>"));
    assert!(home.contains("Coming up"));
    let about = site.page("about/index.html");
    assert!(about.contains("<h2 id=\"who\">Who</h2>"));
    let group = site.page("groups/voices/index.html");
    assert!(group.contains("<h2 id=\"what-to-expect\">What to expect</h2>"));
    assert!(group.contains("href=\"/topics/psychosis/\""));
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains("<loc>https://peers.example.org/groups/voices/</loc>"));
    assert!(!sitemap.contains("404"));
    assert!(site
        .page("robots.txt")
        .contains("Sitemap: https://peers.example.org/sitemap.xml"));
}

#[test]
fn base_url_flag_moves_every_link_under_a_sub_path() {
    let site = Fixture::new();
    site.build(&["--base-url", "https://other.example.net/peer/"])
        .success();
    let home = site.page("index.html");
    assert!(home.contains("href=\"/peer/assets/style.css\""));
    assert!(home.contains("href=\"/peer/groups/\""));
    assert!(home.contains("href=\"/peer/about/#who\""));
    assert!(home.contains("<link rel=\"canonical\" href=\"https://other.example.net/peer/\">"));
    assert!(
        !home.contains("href=\"/groups/"),
        "no link escapes the sub-path"
    );
    assert!(site
        .page("sitemap.xml")
        .contains("https://other.example.net/peer/meetings/voices-tuesday/"));
    let bad = site.build(&["--base-url", "not a url"]).code(1);
    assert!(stderr(&bad).contains("not a web address"));
}

#[test]
fn output_dir_flag() {
    let site = Fixture::new();
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("site-out");
    site.build(&["--output-dir", out.to_str().unwrap()])
        .success();
    assert!(out.join("groups/voices/index.html").is_file());
    assert!(!site.public().exists());
}

#[test]
fn drafts_only_with_the_flag_and_removed_again_without_it() {
    let site = Fixture::new();
    site.write(
        "content/news/plans.md",
        "---\ntitle: Plans\ndraft: true\n---\nSecret.\n",
    );
    site.write("groups/parents.md", "---\nname: New Parents\ndraft: true\nmeetings:\n  - { day: monday, time: \"10:00-11:00\", venue: hall }\n---\n");
    site.build(&[]).success();
    assert!(!site.public().join("news/plans/index.html").exists());
    assert!(!site.public().join("groups/parents/index.html").exists());
    site.build(&["--drafts"]).success();
    assert!(site.public().join("news/plans/index.html").exists());
    assert!(site.page("meetings/index.html").contains("New Parents"));
    site.build(&[]).success();
    assert!(
        !site.public().join("news/plans/index.html").exists(),
        "no stale draft lingers"
    );
    assert!(!site.public().join("groups/parents").exists());
}

#[test]
fn rebuilding_writes_only_what_changed_and_keeps_other_files() {
    let site = Fixture::new();
    site.build(&[]).success();
    let about = site.public().join("about/index.html");
    let before = fs::metadata(&about).unwrap().modified().unwrap();
    fs::write(site.public().join("CNAME"), "peers.example.org\n").unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let again = site.build(&[]).success();
    assert!(stdout(&again).contains("(0 written"), "{}", stdout(&again));
    assert_eq!(
        fs::metadata(&about).unwrap().modified().unwrap(),
        before,
        "an unchanged file keeps its timestamp"
    );

    fs::remove_file(site.path().join("values/hope.md")).unwrap();
    let after_delete = site.build(&[]).success();
    assert!(stdout(&after_delete).contains("removed"));
    assert!(!site.public().join("values/hope").exists());
    assert!(
        site.public().join("CNAME").exists(),
        "a file PeerPress did not make is never removed"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = Fixture::new();
    site.build(&[]).success();
    let snapshot = tree(&site.public());
    site.write(
        "groups/voices.md",
        &common::GROUP.replace("19:00-20:30", "25:00-26:00"),
    );
    let failed = site.build(&[]).code(1);
    let message = stderr(&failed);
    assert!(message.contains("groups/voices.md:9:11"), "{message}");
    assert!(message.contains("nothing was written"));
    let after = tree(&site.public());
    assert_eq!(snapshot, after);
}

/// Every file and folder under `dir`, with the files' bytes.
fn tree(dir: &std::path::Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut entries: Vec<(String, Option<Vec<u8>>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (e.path().display().to_string(), bytes)
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn a_build_failing_after_its_pages_are_written_takes_them_all_back() {
    // Pages are written as they are rendered; a broken link is only known once every
    // page is. The output must still end up exactly as it was: no new page, no new
    // folder, no changed page, no temporary file.
    let site = Fixture::new();
    site.build(&[]).success();
    let before = tree(&site.public());
    site.write(
        "content/about.md",
        "---\ntitle: About us, changed\n---\nNew words.\n",
    );
    site.write(
        "content/news/first.md",
        "---\ntitle: First news\n---\nSee [our plans](/plans/).\n",
    );
    let failed = site.build(&[]).code(1);
    let message = stderr(&failed);
    assert!(message.contains("`/plans/`"), "{message}");
    assert!(message.contains("nothing was written"), "{message}");
    assert_eq!(tree(&site.public()), before);

    // Into a folder that does not exist yet: no folder is left behind.
    let fresh = site.path().join("out/new");
    let failed = site
        .build(&["--output-dir", fresh.to_str().unwrap()])
        .code(1);
    assert!(stderr(&failed).contains("`/plans/`"));
    assert!(!site.path().join("out").exists());
}

#[test]
fn ctrl_c_during_a_build_leaves_the_output_as_it_was() {
    let site = Fixture::new();
    site.build(&[]).success();
    let before = tree(&site.public());
    // Enough pages that the build is still writing when it is interrupted.
    let words = "Peer support means people with shared experience. ".repeat(40);
    for i in 0..3000 {
        site.write(
            &format!("content/news/item-{i}.md"),
            &format!("---\ntitle: News {i}\n---\n{words}\n"),
        );
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_peerpress"))
        .env("SOURCE_DATE_EPOCH", common::NOW)
        .arg("build")
        .arg(site.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the build has begun writing new pages (which wait in the staging
    // folder until the build is final).
    let started = std::time::Instant::now();
    let staged = || {
        std::fs::read_dir(site.public().join(".peerpress-staging"))
            .is_ok_and(|mut d| d.next().is_some())
    };
    while !staged() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be interrupted"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no page was written"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // The shell's own `kill`, which every machine has.
    let interrupted = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let output = child.wait_with_output().unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{message}");
    assert!(message.contains("Stopped"), "{message}");
    assert_eq!(tree(&site.public()), before);
}

#[test]
fn links_in_static_html_pages_are_checked_too() {
    let site = Fixture::new();
    site.write(
        "static/old-leaflet.html",
        "<!DOCTYPE html><title>Leaflet</title><a href=\"/about/#who\">About</a> <a href=\"/gone/\">Gone</a>",
    );
    let failed = site.build(&[]).code(1);
    let message = stderr(&failed);
    assert!(
        message.contains("the link to `/gone/` on `/old-leaflet.html`"),
        "{message}"
    );
    assert!(message.contains("static/old-leaflet.html"), "{message}");
    assert!(
        !message.contains("/about/#who"),
        "an anchor that exists: {message}"
    );
}

#[test]
fn refuses_output_folders_that_would_endanger_the_site() {
    let site = Fixture::new();
    let path = site.path().to_str().unwrap().to_string();
    let parent = site.path().parent().unwrap().to_str().unwrap().to_string();
    let inside_content = site.path().join("content/out");
    for (dir, words) in [
        (path.as_str(), "is the site folder"),
        (parent.as_str(), "contains the site folder"),
        (
            inside_content.to_str().unwrap(),
            "inside the site's `content/`",
        ),
    ] {
        let refused = site.build(&["--output-dir", dir]).code(1);
        assert!(
            stderr(&refused).contains(words),
            "{dir}: {}",
            stderr(&refused)
        );
    }
    assert!(site.path().join("site.yaml").exists());
    assert!(!inside_content.exists());
}

#[test]
fn a_folder_that_is_not_a_site_is_explained() {
    let empty = tempfile::tempdir().unwrap();
    let out = peerpress().arg("build").arg(empty.path()).assert().code(1);
    assert!(stderr(&out).contains("is not a PeerPress site"));
    assert!(stderr(&out).contains("peerpress init"));
}

#[test]
fn usage_errors_exit_with_2() {
    peerpress()
        .args(["build", "--no-such-flag"])
        .assert()
        .code(2);
    peerpress().arg("frobnicate").assert().code(2);
}

#[test]
fn static_files_data_and_template_overrides() {
    let site = Fixture::new();
    site.write(
        "static/images/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site.write(
        "data/partners.yaml",
        "- { name: Riverside Trust }\n- { name: Mill Foundation }\n",
    );
    site.write(
        "templates/values/list.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1><ul>{% for p in data.partners %}<li>{{ p.name }}</li>{% endfor %}</ul>{% endblock %}",
    );
    site.build(&[]).success();
    assert!(site.public().join("images/logo.svg").is_file());
    let values = site.page("values/index.html");
    assert!(
        values.contains("<li>Riverside Trust</li><li>Mill Foundation</li>"),
        "{values}"
    );
    assert!(
        values.contains("Samaritans"),
        "the override still extends the theme's base"
    );
}

#[test]
fn raw_html_is_made_safe_unless_the_site_opts_in() {
    let site = Fixture::new();
    site.write("content/about.md", "---\ntitle: About\n---\n<script>alert(1)</script>\n\n<p onclick=\"steal()\">Hi</p>\n\n<details><summary>More</summary>Text</details>\n");
    site.build(&[]).success();
    let about = site.page("about/index.html");
    assert!(!about.contains("<script>alert"));
    assert!(!about.contains("onclick"));
    assert!(about.contains("<details>"));
    site.write("site.yaml", &format!("{}raw_html: true\n", common::SITE));
    site.build(&[]).success();
    assert!(site
        .page("about/index.html")
        .contains("<script>alert(1)</script>"));
}

#[test]
fn a_site_in_spanish_needs_no_template_edits() {
    let site = Fixture::new();
    site.write(
        "site.yaml",
        &common::SITE.replace("language: en", "language: es"),
    );
    site.build(&[]).success();
    let meetings = site.page("meetings/index.html");
    assert!(meetings.contains("<html lang=\"es\">"));
    assert!(meetings.contains("Todos los martes"));
    assert!(meetings.contains("El último viernes de cada mes"));
    assert!(meetings.contains("Presencial"));
    assert!(meetings.contains("Saltar al contenido principal"));
    assert!(site
        .page("meetings/voices-tuesday/index.html")
        .contains("martes, 24 de noviembre de 2026"));
    for english in [
        "Every Tuesday",
        "In person",
        "Skip to main content",
        "Need help now?",
    ] {
        assert!(!meetings.contains(english), "{english} is not translated");
    }
}

#[test]
fn a_long_initial_is_split_into_pages_named_from_and_to() {
    // 320 groups under H, as when many names share their first word: too many for one
    // light page.
    let site = Fixture::new();
    for n in 0..320 {
        site.write(
            &format!("groups/hope-{n:03}.md"),
            &format!(
                "---\nname: Hope {} Group {n:03}\n---\n",
                if n < 160 { "Central" } else { "West" }
            ),
        );
    }
    site.write("groups/ash.md", "---\nname: Ash Group\n---\n");
    site.build(&[]).success();
    let list = site.page("groups/index.html");
    // With the fixture's Hearing Voices Group, 321 groups start with H.
    assert!(list.contains("href=\"/groups/a-z/h/\">H <span class=\"count\">(321)</span>"));
    assert!(
        !list.contains("href=\"/groups/a-z/h/2/\""),
        "the letter is listed once"
    );
    let pages = ["groups/a-z/h/", "groups/a-z/h/2/", "groups/a-z/h/3/"];
    let mut listed = 0;
    for (k, page) in pages.iter().enumerate() {
        let html = site.page(&format!("{page}index.html"));
        let cards = html.matches("class=\"card group\"").count();
        assert!(cards <= 150, "{page} lists {cards} groups");
        listed += cards;
        for other in pages {
            assert!(
                html.contains(&format!("href=\"/{other}\"")),
                "{page} links {other}"
            );
        }
        let current = format!("href=\"/{}\" aria-current=\"page\"", pages[k]);
        assert!(html.contains(&current), "{page} marks itself");
    }
    assert_eq!(listed, 321);
    let first = site.page("groups/a-z/h/index.html");
    assert!(first.contains("<title>Groups from Hearing to Hope Central Group 105"));
    let last = site.page("groups/a-z/h/3/index.html");
    assert!(last.contains("<title>Groups from Hope West Group 213 to Hope West Group 319"));
    assert!(!site.public().join("groups/a-z/h/4").exists());
}

#[test]
fn a_crisis_line_with_hours_and_no_purpose_shows_its_hours_alone() {
    let site = Fixture::new();
    site.build(&[]).success();
    let home = site.page("index.html");
    assert!(home.contains("<span class=\"crisis-detail\">24 hours</span>"));
    assert!(!home.to_lowercase().contains("none24"));
}

#[test]
fn a_site_in_welsh_needs_no_template_edits() {
    let site = Fixture::new();
    site.write(
        "site.yaml",
        &common::SITE.replace("language: en", "language: cy"),
    );
    site.write(
        "groups/sgwrs.md",
        "---\nname: Sgwrs\nmeetings:\n  - id: ail-ddydd-llun\n    every: month\n    week: second\n    day: monday\n    time: \"18:00-19:00\"\n    venue: hall\n  - id: pythefnos\n    every: 2 weeks\n    starts: 2026-11-25\n    day: wednesday\n    time: \"10:00-11:00\"\n    venue: hall\n---\n",
    );
    site.build(&[]).success();
    let meetings = site.page("meetings/index.html");
    assert!(meetings.contains("<html lang=\"cy\">"));
    for welsh in [
        "Bob dydd Mawrth",
        "Y dydd Gwener olaf bob mis",
        "Yr ail ddydd Llun bob mis",
        "Bob yn ail ddydd Mercher",
        "Wyneb yn wyneb",
        "prif gynnwys",
        "Angen help nawr?",
        "Ffoniwch",
    ] {
        assert!(
            meetings.contains(welsh),
            "{welsh} is not on the meetings page"
        );
    }
    for english in [
        "Every Tuesday",
        "In person",
        "Skip to main content",
        "Need help now?",
    ] {
        assert!(!meetings.contains(english), "{english} is not translated");
    }
    let tuesday = site.page("meetings/voices-tuesday/index.html");
    assert!(tuesday.contains("Dim cyfarfod ar ddydd Mawrth 1 Rhagfyr 2026."));
    let dates = tuesday
        .split_once("id=\"next-heading\"")
        .expect("next meetings are listed")
        .1;
    assert!(dates.contains("dydd Mawrth 24 Tachwedd 2026"));
    assert!(dates.contains("Dyddiadau yn gywir ar ddydd Llun 23 Tachwedd 2026."));
    for english in ["Tuesday", "November", "December", "Not meeting on"] {
        assert!(!dates.contains(english), "{english} is not translated");
    }
}

#[test]
fn builds_are_reproducible() {
    let a = Fixture::new();
    // Every published file; the manifest, which records when each file was written
    // and is not published, is left out.
    let files = |dir: &std::path::Path| -> Vec<(String, Vec<u8>)> {
        walk(dir)
            .into_iter()
            .filter(|p| !p.ends_with(".peerpress-manifest"))
            .map(|p| (p.clone(), fs::read(p).unwrap()))
            .collect()
    };
    a.build(&[]).success();
    let first = files(&a.public());
    fs::remove_dir_all(a.public()).unwrap();
    a.build(&[]).success();
    let second = files(&a.public());
    assert!(first.len() > 10, "{} files", first.len());
    assert_eq!(first, second);
}

#[test]
fn the_example_site_builds_cleanly() {
    let out = tempfile::tempdir().unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/example-site");
    let result = peerpress()
        .args(["build", example, "--output-dir"])
        .arg(out.path())
        .assert()
        .success();
    assert_eq!(stderr(&result), "", "the example site has no warnings");
    let meetings = fs::read_to_string(out.path().join("meetings/index.html")).unwrap();
    for kind in [
        "Every ",
        "Every other ",
        "of the month",
        "In person",
        "Online",
        "In person and online",
    ] {
        assert!(
            meetings.contains(kind),
            "the example shows no `{kind}` meeting"
        );
    }
    assert!(meetings.matches("class=\"card meeting").count() >= 15);
    let groups = fs::read_dir(out.path().join("groups")).unwrap().count() - 1;
    assert!(groups >= 8, "{groups} groups");
    let directory = fs::read_dir(out.path().join("directory")).unwrap().count() - 1;
    assert!(directory >= 15);
    let values = fs::read_dir(out.path().join("values")).unwrap().count() - 1;
    assert!(values >= 6);
}

/// Every file under `dir`, sorted, as strings.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn two_inputs_for_one_address_are_both_named() {
    let site = Fixture::new();
    site.write(
        "content/groups/voices.md",
        "---\ntitle: Voices\n---\nClash.\n",
    );
    let out = site.build(&[]).code(1);
    let e = stderr(&out);
    assert!(e.contains("content/groups/voices.md and groups/voices.md would both be written to `groups/voices/index.html`"), "{e}");
}

#[test]
fn a_site_can_change_a_few_theme_words_and_publish_dot_files() {
    let site = Fixture::new();
    site.write("i18n/en.yaml", "crisis_heading: \"Urgent help\"\n");
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:hello@peers.example.org\n",
    );
    site.write("static/.DS_Store", "junk");
    site.build(&[]).success();
    let home = site.page("index.html");
    assert!(home.contains("Urgent help"));
    assert!(
        home.contains("Skip to main content"),
        "the rest of the theme's words stay"
    );
    assert!(site.public().join(".well-known/security.txt").is_file());
    assert!(!site.public().join(".DS_Store").exists());
}

#[test]
fn a_first_heading_becomes_the_title_once() {
    let site = Fixture::new();
    site.write("content/faq.md", "# Questions people ask\n\nAnswers.\n");
    site.build(&[]).success();
    let faq = site.page("faq/index.html");
    assert_eq!(faq.matches("<h1").count(), 1, "{faq}");
    assert!(faq.contains("<title>Questions people ask – Riverside Peers</title>"));
}

#[test]
fn a_meeting_can_end_at_midnight() {
    let site = Fixture::new();
    site.write(
        "groups/voices.md",
        &common::GROUP.replace("19:00-20:30", "22:00-24:00"),
    );
    site.build(&[]).success();
    assert!(site
        .page("meetings/voices-tuesday/index.html")
        .contains("22:00–24:00"));
}

#[test]
fn a_content_page_that_is_not_utf8_is_named_with_its_line_and_one_with_a_bom_builds() {
    let site = Fixture::new();
    site.write(
        "content/welcome.md",
        "\u{feff}---\ntitle: Welcome\n---\nHello.\n",
    );
    let built = site.build(&[]).success();
    assert!(
        stderr(&built).contains("content/welcome.md") && stderr(&built).contains("byte-order mark"),
        "{}",
        stderr(&built)
    );
    assert!(site.page("welcome/index.html").contains("Hello."));

    fs::write(
        site.path().join("content/latin1.md"),
        b"---\ntitle: Caf\xe9\n---\nBody.\n",
    )
    .expect("write fixture");
    let failed = site.build(&[]).code(1);
    let message = stderr(&failed);
    assert!(
        message.contains("content/latin1.md") && message.contains("not UTF-8"),
        "{message}"
    );
    assert!(
        message.contains(":2:"),
        "the line of the bad byte: {message}"
    );
    // The failed build left the previous one as it was.
    assert!(site.page("welcome/index.html").contains("Hello."));
}

#[test]
fn coming_up_carries_every_running_meeting_for_the_visitors_browser() {
    let site = Fixture::new();
    site.write("site.yaml", &format!("{}clock: 12h\n", common::SITE));
    let more = "meetings:
  - id: first-monday
    every: month
    week: first
    day: monday
    time: \"10:00-11:00\"
    venue: hall
  - id: ended
    day: monday
    time: \"12:00-13:00\"
    venue: hall
    ends: 2026-11-02
";
    site.write(
        "groups/voices.md",
        &common::GROUP.replacen("meetings:\n", more, 1),
    );
    site.build(&[]).success();
    let home = site.page("index.html");
    let (listed, rest) = home
        .split_once("<template>")
        .expect("the meetings not in this week's list are in a template");
    let later = rest.split_once("</template>").expect("template closed").0;
    // This week's meetings are listed, each with its schedule; the first Monday of
    // December is not this week, so its schedule waits in the template.
    assert!(listed.contains("<li data-day=\"tuesday\" data-start=\"19:00\" data-end=\"20:30\" data-cancelled=\"2026-12-01\"><span class=\"time\">7:00pm</span> <a href=\"/meetings/voices-tuesday/\">"), "{listed}");
    assert!(!later.contains("voices-tuesday"), "{later}");
    assert!(later.contains("<li data-day=\"monday\" data-start=\"10:00\" data-end=\"11:00\" data-frequency=\"monthly\" data-week=\"first\"><span class=\"time\"></span> <a href=\"/meetings/voices-first-monday/\">"), "{later}");
    // A meeting that has ended is in neither.
    assert!(!home.contains("voices-ended"));
    // The script writes times on the site's clock, and says when the list was made.
    assert!(home.contains("data-timezone=\"Europe/London\" data-locale=\"en-GB\" data-date=\"{weekday} {day} {month}\" data-clock=\"12h\" data-am=\"am\" data-pm=\"pm\""), "{listed}");
    assert!(home.contains("as of Monday 23 November 2026."));
    let meeting = site.page("meetings/voices-tuesday/index.html");
    assert!(
        meeting.contains("<p class=\"note\" data-as-of>Dates as of Monday 23 November 2026.</p>")
    );
    assert!(meeting.contains("<script src=\"/assets/site.js\" defer></script>"));
}
