//! A property of rebuilds: after any sequence of edits (a meeting's time, a venue's
//! name, a group deleted, a template changed, the clock moved on, pages, values and
//! directory entries edited, pages added and removed), the output folder holds byte for
//! byte what a clean build would make, and every file whose bytes did not change kept
//! its modification time. Rebuilds keep pages without rendering them when nothing they
//! are made from changed; this is the test that a forgotten dependency cannot hide in.
//!
//! `cargo test --test rebuild_steps` runs 12 sequences of 10 to 30 edits (about 240 steps);
//! `PEERPRESS_REBUILD_SEQUENCES=200` runs more.

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use proptest::prelude::*;
use proptest::test_runner::Config;

use peerpress::build::{build, render_site, Failure};
use peerpress::model::Options;

/// Monday 23 November 2026, 12:00 UTC.
const START: i64 = 1_795_435_200;

const GROUPS: &[&str] = &[
    "bereavement",
    "carers",
    "depression-and-anxiety",
    "grupo-en-espanol",
    "hearing-voices",
    "lgbtq",
    "mens-group",
    "young-people",
];
const VENUES: &[&str] = &[
    "St Mark's Church Hall",
    "Riverside Library, Community Room",
    "Quayside Wellbeing Centre",
];
const PAGES: &[&str] = &[
    "about",
    "get-involved",
    "privacy",
    "news/2026-autumn-update",
];
const VALUES: &[&str] = &["choice", "confidentiality", "equality", "hope"];
const ENTRIES: &[&str] = &["aware", "dbsa", "mind", "samaritans"];

/// One edit a volunteer (or the passing of time) makes between two builds.
#[derive(Debug, Clone)]
enum Edit {
    MeetingTime {
        group: usize,
        start: u32,
        minutes: u32,
    },
    RenameVenue {
        venue: usize,
        to: u8,
    },
    DeleteGroup {
        group: usize,
    },
    Template {
        edited: bool,
    },
    Clock {
        hours: i64,
    },
    PageText {
        page: usize,
        to: u8,
    },
    ValueText {
        value: usize,
        to: u8,
    },
    EntrySummary {
        entry: usize,
        to: u8,
    },
    AddPage {
        n: u8,
    },
    RemovePage {
        n: u8,
    },
    SiteName {
        to: u8,
    },
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..GROUPS.len(), 6u32 * 60..22 * 60, 30u32..120).prop_map(|(group, start, minutes)| {
            Edit::MeetingTime {
                group,
                start: start / 15 * 15,
                minutes,
            }
        }),
        (0..VENUES.len(), 0u8..3).prop_map(|(venue, to)| Edit::RenameVenue { venue, to }),
        (0..GROUPS.len()).prop_map(|group| Edit::DeleteGroup { group }),
        any::<bool>().prop_map(|edited| Edit::Template { edited }),
        prop_oneof![1i64..6, 20i64..30, 24i64 * 6..24 * 45].prop_map(|hours| Edit::Clock { hours }),
        (0..PAGES.len(), 0u8..3).prop_map(|(page, to)| Edit::PageText { page, to }),
        (0..VALUES.len(), 0u8..3).prop_map(|(value, to)| Edit::ValueText { value, to }),
        (0..ENTRIES.len(), 0u8..3).prop_map(|(entry, to)| Edit::EntrySummary { entry, to }),
        (0u8..3).prop_map(|n| Edit::AddPage { n }),
        (0u8..3).prop_map(|n| Edit::RemovePage { n }),
        (0u8..2).prop_map(|to| Edit::SiteName { to }),
    ]
}

/// Replaces the line of `file` that starts with `prefix` (the first one) by `line`.
fn replace_line(site: &Path, file: &str, prefix: &str, line: &str) {
    let path = site.join(file);
    let Ok(text) = fs::read_to_string(&path) else {
        return;
    };
    let Some(start) = text.find(prefix) else {
        return;
    };
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    let edited = format!("{}{line}{}", &text[..start], &text[end..]);
    fs::write(path, edited).expect("edit");
}

/// Sets the paragraph that closes `file` to one of three texts.
fn set_ending(site: &Path, file: &str, to: u8) {
    let path = site.join(file);
    let Ok(text) = fs::read_to_string(&path) else {
        return;
    };
    let kept = text
        .split("\n\nEdited: ")
        .next()
        .unwrap_or(&text)
        .trim_end();
    fs::write(path, format!("{kept}\n\nEdited: version {to}.\n")).expect("edit");
}

fn apply(edit: &Edit, site: &Path, now: &mut i64) {
    match *edit {
        Edit::MeetingTime {
            group,
            start,
            minutes,
        } => {
            let end = start + minutes;
            let time = format!(
                "    time: \"{:02}:{:02}-{:02}:{:02}\"",
                start / 60,
                start % 60,
                end / 60,
                end % 60
            );
            replace_line(
                site,
                &format!("groups/{}.md", GROUPS[group]),
                "    time: ",
                &time,
            );
        }
        Edit::RenameVenue { venue, to } => {
            let name = VENUES[venue];
            let path = site.join("venues.yaml");
            let text = fs::read_to_string(&path).expect("venues");
            let line = text
                .lines()
                .find(|l| l.starts_with("  name: ") && l.contains(name))
                .expect("venue")
                .to_string();
            let renamed = match to {
                0 => format!("  name: {name}"),
                n => format!("  name: {name} (room {n})"),
            };
            fs::write(path, text.replacen(&line, &renamed, 1)).expect("rename");
        }
        Edit::DeleteGroup { group } => {
            let left = fs::read_dir(site.join("groups")).expect("groups").count();
            if left > 2 {
                let _ = fs::remove_file(site.join(format!("groups/{}.md", GROUPS[group])));
            }
        }
        Edit::Template { edited } => {
            let path = site.join("templates/page.html");
            if edited {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
                let page = fs::read_to_string(theme.join("page.html")).expect("theme");
                fs::create_dir_all(site.join("templates")).expect("mkdir");
                let changed = page.replace(
                    "<article class=\"prose\">",
                    "<article class=\"prose edited\">",
                );
                fs::write(path, changed).expect("template");
            } else {
                let _ = fs::remove_file(path);
            }
        }
        Edit::Clock { hours } => *now += hours * 3600,
        Edit::PageText { page, to } => set_ending(site, &format!("content/{}.md", PAGES[page]), to),
        Edit::ValueText { value, to } => {
            set_ending(site, &format!("values/{}.md", VALUES[value]), to)
        }
        Edit::EntrySummary { entry, to } => replace_line(
            site,
            &format!("directory/{}.yaml", ENTRIES[entry]),
            "summary: ",
            &format!("summary: A service, described in version {to}."),
        ),
        Edit::AddPage { n } => fs::write(
            site.join(format!("content/news/extra-{n}.md")),
            format!(
                "---\ntitle: Extra {n}\ndate: 2026-11-0{}\n---\nSee [about us](../about.md).\n",
                n + 1
            ),
        )
        .expect("page"),
        Edit::RemovePage { n } => {
            let _ = fs::remove_file(site.join(format!("content/news/extra-{n}.md")));
        }
        Edit::SiteName { to } => replace_line(
            site,
            "site.yaml",
            "name: ",
            ["name: Riverside Peer Support", "name: Riverside Peers"][usize::from(to)],
        ),
    }
}

/// Every file of the output but the build's manifest: bytes and modification time.
fn files(dir: &Path) -> Vec<(String, Vec<u8>, SystemTime)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".peerpress-manifest")
        .map(|e| {
            let name = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            let modified = e
                .metadata()
                .ok()
                .and_then(|m| m.modified().ok())
                .expect("time");
            (
                name.replace('\\', "/"),
                fs::read(e.path()).expect("read"),
                modified,
            )
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

fn options(now: i64) -> Options {
    Options {
        base_url: None,
        origin: None,
        drafts: false,
        now: jiff::Timestamp::from_second(now).expect("time"),
    }
}

/// The example site, copied into a temporary folder to be edited.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.expect("walk");
        let to = dir
            .path()
            .join(entry.path().strip_prefix(&from).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).expect("mkdir");
        } else {
            fs::copy(entry.path(), &to).expect("copy");
        }
    }
    dir
}

/// Runs `edits` one by one, rebuilding after each, and checks the property.
fn check(edits: &[Edit]) -> Result<(), TestCaseError> {
    let site = example_site();
    let site = site.path();
    let outputs = tempfile::tempdir().expect("temp dir");
    let out = outputs.path().join("public");
    let mut now = START;
    build(site, Some(&out), &options(now)).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
    for (step, edit) in edits.iter().enumerate() {
        let before = files(&out);
        apply(edit, site, &mut now);
        let rebuilt = build(site, Some(&out), &options(now));
        let (clean, problems) = render_site(site, &options(now));
        let after = files(&out);
        let Some((_, clean)) = clean else {
            // A site the edits broke: the build must fail too, and leave the output.
            prop_assert!(
                matches!(rebuilt, Err(Failure::Content(_))),
                "step {step} {edit:?}: {problems:?}"
            );
            prop_assert!(
                before == after,
                "step {step} {edit:?}: a failed build changed the output"
            );
            continue;
        };
        prop_assert!(rebuilt.is_ok(), "step {step} {edit:?}: {rebuilt:?}");
        let on_disk: Vec<(&str, &[u8])> = after
            .iter()
            .map(|(p, b, _)| (p.as_str(), b.as_slice()))
            .collect();
        let fresh: Vec<(&str, &[u8])> = clean
            .files
            .iter()
            .map(|o| (o.path.as_str(), o.bytes.as_slice()))
            .collect();
        if on_disk != fresh {
            let differ: Vec<&str> = on_disk
                .iter()
                .filter(|f| !fresh.contains(f))
                .map(|(p, _)| *p)
                .chain(
                    fresh
                        .iter()
                        .filter(|f| !on_disk.contains(f))
                        .map(|(p, _)| *p),
                )
                .collect();
            return Err(TestCaseError::fail(format!(
                "after step {step} ({edit:?}) of {edits:?}, these files differ from a clean build: {differ:?}"
            )));
        }
        for (path, bytes, modified) in &after {
            if let Some((_, old, was)) = before.iter().find(|(p, _, _)| p == path) {
                prop_assert!(
                    old != bytes || was == modified,
                    "step {step} {edit:?}: `{path}` is unchanged but was written again"
                );
            }
        }
    }
    Ok(())
}

#[test]
fn any_sequence_of_edits_rebuilds_to_what_a_clean_build_makes() {
    let sequences = std::env::var("PEERPRESS_REBUILD_SEQUENCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(12);
    let config = Config {
        cases: sequences,
        // Each shrinking step is a whole sequence of builds.
        max_shrink_iters: 64,
        failure_persistence: None,
        ..Config::default()
    };
    proptest!(config, |(edits in prop::collection::vec(edit_strategy(), 10..30))| {
        check(&edits)?;
    });
}
