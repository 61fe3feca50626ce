//! `peerpress import`: realistic exports in the three formats (in `tests/import/`, made
//! to resemble real ones, quirks included) imported into new sites; the files written,
//! the report, the round trip through PeerPress's own `meetings.json`, `--update`
//! keeping hand edits, and the inputs that must stop the import with nothing written.

mod common;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::peerpress;
use serde_yaml::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import")
        .join(name)
}

/// The text of a file, or a panic naming it.
fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(path: &Path) -> Value {
    serde_yaml::from_str(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A group file's front matter.
fn group(site: &Path, slug: &str) -> Value {
    let text = read(&site.join("groups").join(format!("{slug}.md")));
    let yaml = text.split("---\n").nth(1).expect("front matter");
    serde_yaml::from_str(yaml).unwrap()
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    walk(dir)
        .into_iter()
        .map(|p| {
            p.strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// `peerpress import <source> --into <into>`, for more arguments and running.
fn import(source: impl AsRef<OsStr>, into: &Path) -> Command {
    let mut command = peerpress();
    command.arg("import").arg(source).arg("--into").arg(into);
    command
}

/// Imports `source` (a file or an address) into `into`, with `--report json`, and
/// returns the report.
fn import_json(source: impl AsRef<OsStr>, into: &Path, extra: &[&str]) -> serde_json::Value {
    let out = import(source, into)
        .args(["--report", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

/// Imports the fixture `name` into a new site, `site` in a temporary folder: the folder
/// (removed when dropped), the site and the report.
fn imported(name: &str) -> (tempfile::TempDir, PathBuf, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let report = import_json(fixture(name), &site, &[]);
    (dir, site, report)
}

/// `peerpress build <site> --output-dir <out>`, which must succeed.
fn build(site: &Path, out: &Path) {
    peerpress()
        .arg("build")
        .arg(site)
        .arg("--output-dir")
        .arg(out)
        .assert()
        .success();
}

fn messages(report: &serde_json::Value) -> Vec<(String, u64)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["message"].as_str().unwrap().to_string(),
                p["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Whether the report has a message with `words` at `line` of the source.
fn has_message(messages: &[(String, u64)], words: &str, line: u64) -> bool {
    messages
        .iter()
        .any(|(m, l)| m.contains(words) && *l == line)
}

#[test]
fn a_meeting_guide_feed_becomes_groups_venues_and_the_sites_own_types() {
    let (_dir, site, report) = imported("feed.json");
    assert_eq!(report["format"], "meeting-guide");
    assert_eq!(report["records"], 7);
    // Sunday; Tuesday and Thursday (`day: [2, 4]`); Wednesday; Friday; Saturday.
    assert_eq!(report["meetings"], 6);
    assert_eq!(report["left_out"], 2);
    assert_eq!(report["grouping"], "group-field");
    assert_eq!(report["meetings_without_group"], 3);
    assert_eq!(
        files_in(&site),
        BTreeSet::from(
            [
                "site.yaml",
                "venues.yaml",
                "groups/the-serenity-group.md",
                "groups/womens-online-big-book.md",
                "groups/lakeside-nooners.md",
                "groups/late-night-candlelight.md",
            ]
            .map(String::from)
        )
    );

    let serenity = group(&site, "the-serenity-group");
    assert_eq!(serenity["name"], "The Serenity Group");
    assert_eq!(serenity["contact"]["name"], "Sam");
    assert_eq!(serenity["contact"]["email"], "serenity@example.org");
    let meetings = serenity["meetings"].as_sequence().unwrap();
    let days: Vec<&str> = meetings
        .iter()
        .map(|m| m["day"].as_str().unwrap())
        .collect();
    assert_eq!(days, ["sunday", "tuesday", "thursday"]);
    let sunday = &meetings[0];
    assert_eq!(sunday["name"], "Sunday Serenity");
    assert_eq!(
        sunday["time"], "18:00-19:30",
        "`18:00:00` read without its seconds"
    );
    assert_eq!(sunday["venue"], "alano-club");
    assert_eq!(
        sunday["types"],
        serde_yaml::from_str::<Value>("[open, discussion, wheelchair, big-book]").unwrap()
    );
    assert_eq!(sunday["notes"], "Literature table at 5:45 & coffee.");
    assert!(
        sunday.get("timezone").is_none(),
        "the site's own time zone is not repeated"
    );
    let tuesday = &meetings[1];
    assert_eq!(tuesday["time"], "19:00-20:00", "no end time: an hour");
    assert_eq!(
        tuesday["venue"], "alano-club",
        "`4953 W. Addison Street` is `4953 W Addison St`"
    );
    assert_eq!(tuesday["language"], "es");
    assert_eq!(tuesday["online"]["url"], "https://zoom.us/j/123456789");
    assert_eq!(
        tuesday["online"]["phone"], "+13126266799,,123456789#",
        "a one-tap number keeps its meeting ID"
    );
    assert_eq!(tuesday["online"]["notes"], "Password: serenity");
    let body = read(&site.join("groups/the-serenity-group.md"));
    assert!(
        body.ends_with("---\n\nWe are a friendly group.\n"),
        "{body}"
    );

    let online = group(&site, "womens-online-big-book");
    let m = &online["meetings"][0];
    assert_eq!(m["day"], "wednesday", "`\"3\"` as a string");
    assert!(
        m.get("venue").is_none(),
        "an approximate address is not a venue"
    );
    assert_eq!(
        m["types"],
        serde_yaml::from_str::<Value>("[women, big-book]").unwrap()
    );

    let lakeside = &group(&site, "lakeside-nooners")["meetings"][0];
    assert_eq!(lakeside["status"], "paused", "`TC`: temporarily closed");
    let late = &group(&site, "late-night-candlelight")["meetings"][0];
    assert_eq!(late["time"], "23:30-24:00");
    assert_eq!(
        late["venue"], "lakeside-church",
        "`Lake Shore Dr` is `Lake Shore Drive`"
    );

    let venues = yaml(&site.join("venues.yaml"));
    let keys: Vec<&str> = venues
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(keys, ["alano-club", "lakeside-church"]);
    let alano = &venues["alano-club"];
    assert_eq!(
        alano["address"],
        "4953 W Addison St, Chicago, IL 60641, USA"
    );
    assert_eq!(alano["area"], "North Side / Portage Park");
    assert_eq!(alano["latitude"].as_f64(), Some(41.9463));
    assert_eq!(alano["notes"], "Ring the buzzer. Second floor.");
    assert_eq!(
        venues["lakeside-church"]["area"],
        "Downtown / Streeterville"
    );
    assert_eq!(venues["lakeside-church"]["address"]["postcode"], "60611");

    let config = yaml(&site.join("site.yaml"));
    assert_eq!(config["name"], "District 123");
    assert_eq!(config["timezone"], "America/Chicago");
    let custom = &config["meeting_types"]["custom"];
    assert_eq!(custom["big-book"]["label"], "Big Book");
    assert_eq!(custom["big-book"]["code"], "B");
    assert_eq!(custom["step-study"]["code"], "ST");
    assert_eq!(custom["candlelight"]["label"], "Candlelight");
    assert_eq!(custom["knitting-circle"]["label"], "Knitting Circle");
    assert!(custom["knitting-circle"].get("code").is_none());

    // Scripts and markup arrive as text, or not at all.
    for path in walk(&site) {
        let text = read(&path);
        assert!(!text.contains('<'), "{}: {text}", path.display());
        assert!(!text.contains("alert"), "{}", path.display());
    }

    // Every record not taken whole is named, at its line.
    let messages = messages(&report);
    let expect = [
        ("`9` is not a day", 90),
        ("[4] (`By Appointment`) has no day, so it was left out", 80),
        ("ends after midnight", 99),
        ("contact 2 was left out", 23),
        ("markup (HTML) was removed from `group_notes`", 17),
        ("`Knitting Circle` is neither a Meeting Guide type", 103),
    ];
    for (words, line) in expect {
        assert!(
            has_message(&messages, words, line),
            "no message `{words}` at line {line}: {messages:#?}"
        );
    }
    assert_eq!(report["not_imported"]["venmo"], 1);
}

#[test]
fn the_human_report_says_what_was_detected_and_done() {
    let dir = tempfile::tempdir().unwrap();
    let out = import(fixture("feed.json"), &dir.path().join("site"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success());
    assert!(
        stdout.contains("as a Meeting Guide JSON feed (the file starts with `[`"),
        "{stdout}"
    );
    assert!(stdout.contains("Imported 6 weekly meetings from 7 records into 4 groups (grouped by their `group` field; 3 meetings without one by name and venue), 2 venues and 4 new meeting types of the site's own (`big-book`, `candlelight`, `knitting-circle`, `step-study`)"), "{stdout}");
    assert!(stdout.contains("2 records were left out"), "{stdout}");
    assert!(stdout.contains("`venmo` (1 record)"), "{stdout}");
    assert!(stderr.contains("--> "), "{stderr}");
    assert!(stderr.contains("feed.json:90:12"), "{stderr}");
}

#[test]
fn tsml_csv_is_recognised_and_its_private_contacts_are_left_out() {
    let (_dir, site, report) = imported("tsml.csv");
    assert_eq!(report["format"], "tsml-csv");
    assert!(report["detected"].as_str().unwrap().contains("TSML's"));
    assert_eq!(report["meetings"], 3);
    assert_eq!(
        report["venues"], 2,
        "`St. Mark's Church Hall, 12 Church Ln` is `St Mark's Church, 12 Church Lane`"
    );
    let hope = group(&site, "hope-group");
    assert!(
        hope.get("contact").is_none(),
        "TSML exports private contacts too"
    );
    assert_eq!(hope["website"], "https://hope.example.org/");
    let monday = &hope["meetings"][0];
    assert_eq!(monday["time"], "19:00-20:00", "`7:00 PM` to `8:00 PM`");
    assert_eq!(
        monday["types"],
        serde_yaml::from_str::<Value>("[open, discussion, wheelchair]").unwrap(),
        "types by name"
    );
    assert_eq!(hope["meetings"][1]["venue"], monday["venue"]);
    let saturday = &group(&site, "saturday-morning")["meetings"][0];
    assert_eq!(saturday["language"], "es", "`Spanish` is a language");
    let venues = yaml(&site.join("venues.yaml"));
    assert_eq!(venues["quayside-centre"]["area"], "Town Centre / Quayside");
    let messages = messages(&report);
    assert!(
        has_message(&messages, "contacts were left out", 2),
        "{messages:#?}"
    );
    assert!(report["not_imported"]["Author"].is_number());
}

/// Windows-1252 (Excel's "CSV" on Windows) and UTF-16 with a byte-order mark (Excel's
/// "Unicode text", tab-separated) read to the same site as UTF-8.
#[test]
fn spreadsheets_in_windows_1252_and_utf_16_read_as_utf_8() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = dir.path().join("utf8");
    let report = import_json(fixture("sheet.csv"), &utf8, &[]);
    assert_eq!(report["format"], "sheet-csv");
    assert!(report["encoding"].is_null());
    let venues = yaml(&utf8.join("venues.yaml"));
    assert_eq!(venues["cafe-bleu"]["name"], "Café Bleu");
    assert_eq!(venues["cafe-bleu"]["area"], "Eastbank / Ferry Quarter");
    assert_eq!(venues["cafe-bleu"]["address"]["town"], "Riverside");
    let talk = group(&utf8, "cafe-talk");
    assert_eq!(
        talk["contact"]["email"], "talk@example.org",
        "a sheet's contacts are public"
    );

    let cp1252 = dir.path().join("cp1252");
    let report = import_json(fixture("sheet-windows-1252.csv"), &cp1252, &[]);
    assert_eq!(report["encoding"], "Windows-1252");

    let text = read(&fixture("sheet.csv"));
    let tabbed = text
        .lines()
        .map(|line| {
            let mut cells = Vec::new();
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(line.as_bytes());
            for record in rdr.records() {
                cells.extend(record.unwrap().iter().map(String::from));
            }
            cells.join("\t")
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(tabbed.encode_utf16().flat_map(u16::to_le_bytes));
    let source = dir.path().join("unicode.txt");
    fs::write(&source, utf16).unwrap();
    let utf16_site = dir.path().join("utf16");
    let report = import_json(&source, &utf16_site, &[]);
    assert_eq!(report["encoding"], "UTF-16 (little-endian)");
    assert_eq!(report["format"], "sheet-csv");
    for site in [&cp1252, &utf16_site] {
        for file in files_in(&utf8) {
            assert_eq!(read(&site.join(&file)), read(&utf8.join(&file)), "{file}");
        }
    }
}

#[test]
fn an_imported_site_passes_check() {
    let (_dir, site, _) = imported("sheet.csv");
    let out = peerpress().arg("check").arg(&site).output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The same source imported twice gives the same files, names and all.
#[test]
fn importing_twice_gives_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    import_json(fixture("feed.json"), &a, &[]);
    import_json(fixture("feed.json"), &b, &[]);
    let files = files_in(&a);
    assert_eq!(files, files_in(&b));
    for f in files {
        assert_eq!(
            fs::read(a.join(&f)).unwrap(),
            fs::read(b.join(&f)).unwrap(),
            "{f}"
        );
    }
}

/// The meetings of a feed as comparable rows: what a visitor needs to find a meeting.
fn feed_rows(feed: &str) -> BTreeSet<String> {
    let entries: Vec<serde_json::Value> = serde_json::from_str(feed).unwrap();
    entries
        .iter()
        .map(|e| {
            let mut types: Vec<&str> = e["types"]
                .as_array()
                .map(|t| t.iter().map(|t| t.as_str().unwrap()).collect())
                .unwrap_or_default();
            types.sort_unstable();
            format!(
                "{} {}-{} {} | {} | {} | {} {} | {:?} | {} {} {}",
                e["day"],
                e["time"],
                e["end_time"],
                e["timezone"],
                e["location"],
                e["formatted_address"],
                e["latitude"],
                e["longitude"],
                types,
                e["conference_url"],
                e["conference_phone"],
                e["conference_url_notes"],
            )
        })
        .collect()
}

#[test]
fn the_example_sites_meetings_json_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let public = dir.path().join("public");
    build(&example, &public);
    let original = read(&public.join("meetings.json"));
    let site = dir.path().join("imported");
    let report = import_json(public.join("meetings.json"), &site, &[]);
    assert_eq!(report["left_out"], 0);
    // The example site's own types (`step-study`, `reading`) come back as site types
    // named by their Meeting Guide codes' official labels.
    assert_eq!(
        report["types_created"],
        serde_json::json!(["literature", "step-study"])
    );
    let again = dir.path().join("again");
    build(&site, &again);
    let rebuilt = read(&again.join("meetings.json"));
    let (before, after) = (feed_rows(&original), feed_rows(&rebuilt));
    assert!(!before.is_empty());
    assert_eq!(before, after);
}

#[test]
fn dry_run_writes_nothing_and_says_what_it_would_write() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let report = import_json(fixture("tsml.csv"), &site, &["--dry-run"]);
    assert!(!site.exists());
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["files"].as_array().unwrap().len(), 4);
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no staging left behind"
    );
}

#[test]
fn an_existing_site_is_changed_only_with_update() {
    let (_dir, site, _) = imported("sheet.csv");
    let before: Vec<(String, Vec<u8>)> = files_in(&site)
        .into_iter()
        .map(|f| (f.clone(), fs::read(site.join(&f)).unwrap()))
        .collect();
    let out = import(fixture("sheet.csv"), &site).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("already has a site") && stderr.contains("--update"),
        "{stderr}"
    );
    for (f, bytes) in before {
        assert_eq!(fs::read(site.join(&f)).unwrap(), bytes, "{f}");
    }
}

#[test]
fn update_changes_the_imports_fields_and_keeps_hand_edits() {
    let (dir, site, _) = imported("sheet.csv");
    // Hand edits: a summary, the group's text, a meeting's start date, a venue's access,
    // a meeting of the group's own.
    let path = site.join("groups/cafe-talk.md");
    let text = read(&path);
    let text =
        text.replacen(
            "name: Café Talk\n",
            "name: Café Talk\nsummary: A chat over coffee.\n",
            1,
        )
        .replacen(
            "  day: monday\n",
            "  day: monday\n  starts: 2026-01-05\n",
            1,
        )
        .replacen(
            "meetings:\n",
            "meetings:\n- id: extra\n  day: sunday\n  time: 10:00-11:00\n  venue: cafe-bleu\n",
            1,
        ) + "\nOur own words, written by hand.\n";
    fs::write(&path, &text).unwrap();
    let venues = read(&site.join("venues.yaml"));
    fs::write(
        site.join("venues.yaml"),
        venues.replacen(
            "  name: Café Bleu\n",
            "  name: Café Bleu\n  access: Stairs only\n",
            1,
        ),
    )
    .unwrap();
    // The source changes: Monday now starts at 18:30, and the venue's area is renamed.
    let source = dir.path().join("changed.csv");
    fs::write(
        &source,
        read(&fixture("sheet.csv"))
            .replacen("Monday,19:00,20:30", "Monday,18:30,20:30", 1)
            .replace("Eastbank > Ferry Quarter", "Eastbank > Riverside Quarter"),
    )
    .unwrap();
    let report = import_json(&source, &site, &["--update"]);
    let written: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(written.contains(&"groups/cafe-talk.md"), "{written:?}");
    assert!(
        !written.contains(&"site.yaml") && !written.contains(&"groups/friday-online.md"),
        "unchanged files are not rewritten: {written:?}"
    );
    assert!(report["notes"][0]
        .as_str()
        .unwrap()
        .contains("`extra` is not in the source"));
    let talk = group(&site, "cafe-talk");
    assert_eq!(talk["summary"], "A chat over coffee.");
    let monday = talk["meetings"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "monday")
        .unwrap();
    assert_eq!(monday["time"], "18:30-20:30");
    assert_eq!(monday["starts"], "2026-01-05");
    assert!(talk["meetings"]
        .as_sequence()
        .unwrap()
        .iter()
        .any(|m| m["id"] == "extra"));
    let body = read(&path);
    assert!(
        body.ends_with("\nOur own words, written by hand.\n"),
        "{body}"
    );
    let venues = yaml(&site.join("venues.yaml"));
    assert_eq!(venues["cafe-bleu"]["access"], "Stairs only");
    assert_eq!(venues["cafe-bleu"]["area"], "Eastbank / Riverside Quarter");
    assert_eq!(
        venues.as_mapping().unwrap().len(),
        1,
        "the same venue, by its address"
    );
    // And the result still passes check.
    peerpress().arg("check").arg(&site).assert().success();
}

#[test]
fn update_adds_the_sites_own_types_to_its_site_yaml_keeping_its_text() {
    let (_dir, site, _) = imported("sheet.csv");
    let config = read(&site.join("site.yaml"));
    import_json(fixture("tsml.csv"), &site, &["--update"]);
    let after = read(&site.join("site.yaml"));
    assert!(
        after.starts_with(&config),
        "the site's own lines are kept:\n{after}"
    );
    assert_eq!(
        yaml(&site.join("site.yaml"))["meeting_types"]["custom"]["step-study"]["label"],
        "Step Study"
    );
    let venues = yaml(&site.join("venues.yaml"));
    assert!(venues.get("cafe-bleu").is_some() && venues.get("st-marks-church").is_some());
}

/// Runs an import expected to stop; returns its messages.
fn stops(source: impl AsRef<OsStr>, into: &Path) -> String {
    let out = import(source, into).env("NO_COLOR", "1").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!into.exists(), "nothing written");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `contents` to `source` and runs an import of it expected to stop, into `site`
/// beside it; returns its messages.
fn stops_on(source: &Path, contents: impl AsRef<[u8]>) -> String {
    fs::write(source, contents).unwrap();
    stops(source, &source.with_file_name("site"))
}

#[test]
fn malformed_json_stops_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("feed.json");
    let stderr = stops_on(&source, "[\n  {\"name\": \"A\", \"day\": 1,}\n]\n");
    assert!(stderr.contains("this is not valid JSON"), "{stderr}");
    assert!(stderr.contains("feed.json:2:26"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");

    let stderr = stops_on(&source, "{\"meetings\": []}");
    assert!(stderr.contains("not a Meeting Guide feed"), "{stderr}");
}

#[test]
fn malformed_csv_stops_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("sheet.csv");
    let stderr = stops_on(
        &source,
        "Day,Time,Name\nMonday,19:00,\"Hope\nTuesday,19:00,Care\n",
    );
    assert!(stderr.contains("never closed"), "{stderr}");
    assert!(stderr.contains("sheet.csv:2:14"), "{stderr}");

    let stderr = stops_on(&source, "Day,Time,Name\nMonday,19:00,Hope,extra\n");
    assert!(
        stderr.contains("row 2 has 4 cells but the header row names 3 columns"),
        "{stderr}"
    );
    assert!(stderr.contains("sheet.csv:2:19"), "{stderr}");

    let stderr = stops_on(&source, "Meeting,When\nHope,Monday\n");
    assert!(stderr.contains("at least `Day` and `Time`"), "{stderr}");
}

#[test]
fn utf_16_without_its_mark_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("sheet.csv");
    let bytes: Vec<u8> = "Day,Time\nMonday,19:00\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let stderr = stops_on(&source, bytes);
    assert!(stderr.contains("looks like UTF-16"), "{stderr}");
    assert!(stderr.contains("CSV UTF-8"), "{stderr}");
}

#[test]
fn a_file_over_100_mb_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("huge.json");
    // A sparse file: refused by its size, so it is never read or even allocated.
    fs::File::create(&source)
        .unwrap()
        .set_len(101 * 1024 * 1024)
        .unwrap();
    let stderr = stops(&source, &dir.path().join("site"));
    assert!(
        stderr.contains("is 101 MB; PeerPress imports sources of up to 100 MB"),
        "{stderr}"
    );
}

#[test]
fn a_folder_that_is_not_a_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = import(fixture("feed.json"), dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no site.yaml"));
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// Serves `body` once per connection on 127.0.0.1 with `status`; returns the address.
fn serve(status: &'static str, body: Vec<u8>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}/meetings.json", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    address
}

#[test]
fn a_feed_is_downloaded_from_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let address = serve("200 OK", fs::read(fixture("feed.json")).unwrap());
    let site = dir.path().join("site");
    import_json(&address, &site, &[]);
    let from_file = dir.path().join("from-file");
    import_json(fixture("feed.json"), &from_file, &[]);
    assert_eq!(files_in(&site), files_in(&from_file));

    let missing = serve("404 Not Found", b"no".to_vec());
    let stderr = stops(&missing, &dir.path().join("other"));
    assert!(stderr.contains("answered with HTTP status 404"), "{stderr}");
}

#[test]
fn plain_http_is_refused_except_on_this_computer() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = stops(
        "http://meetings.example.org/feed.json",
        &dir.path().join("site"),
    );
    assert!(stderr.contains("is not a secure address"), "{stderr}");
    assert!(stderr.contains("https://"), "{stderr}");
}

/// `--into` left out: the current folder, empty, becomes the site.
#[test]
fn an_empty_current_folder_becomes_the_site() {
    let dir = tempfile::tempdir().unwrap();
    peerpress()
        .current_dir(dir.path())
        .arg("import")
        .arg(fixture("sheet.csv"))
        .assert()
        .success();
    assert_eq!(
        files_in(dir.path()),
        BTreeSet::from(
            [
                "site.yaml",
                "venues.yaml",
                "groups/cafe-talk.md",
                "groups/friday-online.md"
            ]
            .map(String::from)
        )
    );
}
