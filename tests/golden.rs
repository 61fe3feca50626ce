//! The example site's whole output, frozen: every file's size and hash, and a few whole
//! pages and feeds, built at a fixed time. A change to what a visitor or a feed reader
//! sees shows here as a snapshot change, file by file, so a change to the code's shape
//! can be shown to change nothing, and a change to the output is reviewed as one.
//!
//! After an intended change: `INSTA_UPDATE=always cargo test --test golden`, then read
//! the diff of `tests/snapshots/golden__*.snap`.

mod common;

use std::fs;
use std::path::Path;

use common::peerpress;

/// Builds the example site into a new folder.
fn example_output() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("temp dir");
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/example-site");
    peerpress()
        .args(["build", example, "--output-dir"])
        .arg(out.path())
        .assert()
        .success();
    out
}

/// `path size hash` for every file but the build's own manifest (which records when
/// each file was written), sorted by path.
fn manifest(root: &Path) -> String {
    let mut lines: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != ".peerpress-manifest")
        .map(|e| {
            let bytes = fs::read(e.path()).expect("read output");
            let relative = e.path().strip_prefix(root).expect("inside the output");
            format!(
                "{} {} {:016x}",
                relative.to_string_lossy().replace('\\', "/"),
                bytes.len(),
                xxhash_rust::xxh3::xxh3_64(&bytes)
            )
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn the_example_sites_output_is_unchanged() {
    let out = example_output();
    insta::assert_snapshot!("example-site-files", manifest(out.path()));
    for page in [
        "index.html",
        "groups/hearing-voices/index.html",
        "meetings/index.html",
        "meetings.json",
        "directory.json",
        "calendar.ics",
        "sitemap.xml",
    ] {
        let text = fs::read_to_string(out.path().join(page)).expect(page);
        insta::assert_snapshot!(page.replace(['/', '.'], "-"), text);
    }
}
