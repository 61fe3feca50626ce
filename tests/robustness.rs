//! No input makes PeerPress panic: arbitrary bytes, and mutations of a valid site, go
//! through load, model and render, and every outcome is a site or diagnostics.
//!
//! The number of cases per property is `PROPTEST_CASES` (default 256 here).

mod common;

use std::fs;

use common::Fixture;
use peerpress::build::render_site;
use peerpress::model::Options;
use proptest::prelude::*;
use proptest::test_runner::Config;

fn options() -> Options {
    Options {
        base_url: None,
        origin: None,
        drafts: false,
        now: jiff::Timestamp::from_second(1_795_435_200).unwrap(),
    }
}

/// Builds in memory and checks the outcome is well formed.
fn render(site: &Fixture) {
    let (rendered, diagnostics) = render_site(site.path(), &options());
    let has_errors = diagnostics.iter().any(|d| d.is_error());
    assert_eq!(
        rendered.is_none(),
        has_errors,
        "outputs exactly when there is no error"
    );
    for d in &diagnostics {
        assert!(!d.message.is_empty());
        let shown = d.to_string();
        assert!(
            shown.contains("-->"),
            "every diagnostic names its file: {shown}"
        );
    }
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

const FILES: [&str; 6] = [
    "site.yaml",
    "venues.yaml",
    "groups/voices.md",
    "values/hope.md",
    "directory/helpline.yaml",
    "content/about.md",
];

/// Characters that mean something to YAML or Markdown, to make mutations interesting.
const SIGNIFICANT: &[u8] = b":-[]{}#&*!|>'\"%@`,?\n\t ---0123456789";

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    DuplicateLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            proptest::sample::select(SIGNIFICANT.to_vec())
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match *m {
        Mutation::Flip(i, b) => {
            let i = i % bytes.len();
            bytes[i] = b;
        }
        Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
        Mutation::Delete(i, n) => {
            let i = i % bytes.len();
            let end = (i + n).min(bytes.len());
            bytes.drain(i..end);
        }
        Mutation::DuplicateLine(i) => {
            let text = bytes.clone();
            let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
            let line = lines[i % lines.len()];
            let at = (i % bytes.len()).min(bytes.len());
            let mut copy = line.to_vec();
            copy.push(b'\n');
            bytes.splice(at..at, copy);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_in_any_file_never_crash(file in proptest::sample::select(FILES.to_vec()), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let site = Fixture::new();
        fs::write(site.path().join(file), &bytes).unwrap();
        render(&site);
    }

    #[test]
    fn mutated_valid_sites_never_crash(file in proptest::sample::select(FILES.to_vec()), mutations in proptest::collection::vec(mutation(), 1..6)) {
        let site = Fixture::new();
        let path = site.path().join(file);
        let mut bytes = fs::read(&path).unwrap();
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        fs::write(&path, &bytes).unwrap();
        render(&site);
    }

    #[test]
    fn arbitrary_text_in_yaml_values_never_crashes(value in "\\PC{0,30}", key in proptest::sample::select(vec!["day", "time", "every", "week", "starts", "ends", "timezone", "venue", "types", "language"])) {
        let site = Fixture::new();
        let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
        let group = common::GROUP.replace("    venue: hall\n", &format!("    venue: hall\n    {key}: \"{escaped}\"\n").replace("    venue: hall\n    venue:", "    venue:"));
        site.write("groups/voices.md", &group);
        render(&site);
    }
}

/// Every entry under `dir` with a file's size and hash, a link's target or `folder`, the
/// manifest aside: to compare outputs, and to tell nothing outside them changed.
#[cfg(unix)]
fn contents(dir: &std::path::Path) -> Vec<(String, String)> {
    use std::hash::{DefaultHasher, Hash as _, Hasher as _};
    let mut all: Vec<(String, String)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_name() != ".peerpress-manifest")
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            let what = if e.path_is_symlink() {
                format!("link to {}", fs::read_link(e.path()).unwrap().display())
            } else if e.file_type().is_dir() {
                "folder".to_string()
            } else {
                let bytes = fs::read(e.path()).unwrap();
                let mut hasher = DefaultHasher::new();
                bytes.hash(&mut hasher);
                format!("{} bytes, hash {:x}", bytes.len(), hasher.finish())
            };
            (name, what)
        })
        .collect();
    all.sort();
    all
}

/// A folder of the output moved elsewhere and linked back, as a mistake or to have the
/// build write outside it: rebuilds, with pages kept and pages written, replace the link
/// with a real folder and never change what it pointed to.
#[cfg(unix)]
#[test]
fn a_linked_folder_in_the_output_is_never_written_through() {
    let site = Fixture::new();
    let outputs = tempfile::tempdir().unwrap();
    let out = outputs.path().join("public");
    let build = |out: &std::path::Path| {
        site.build(&["-o", out.to_str().unwrap()]).success();
    };
    build(&out);
    assert!(out.join("groups/voices/index.html").is_file());
    let clean = contents(&out);
    let outside = outputs.path().join("outside");
    let link_groups = || {
        fs::rename(out.join("groups"), &outside).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("groups")).unwrap();
        contents(&outside)
    };

    // Nothing changed: pages that would be kept are not kept through the link.
    let before = link_groups();
    build(&out);
    assert_eq!(contents(&outside), before, "nothing outside changes");
    assert_eq!(contents(&out), clean);

    // The group changed: its pages are written into a real folder, not through the link.
    fs::remove_dir_all(&outside).unwrap();
    let before = link_groups();
    let group = common::GROUP.replace("Voices", "Voices Together");
    assert_ne!(group, common::GROUP);
    site.write("groups/voices.md", &group);
    build(&out);
    assert_eq!(contents(&outside), before, "nothing outside changes");
    let fresh = outputs.path().join("fresh");
    build(&fresh);
    assert_eq!(contents(&out), contents(&fresh));
}
