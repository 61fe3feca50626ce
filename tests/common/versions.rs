//! Two versions of a site of a few hundred pages, and the whole of an output folder, to
//! tell that a build over the other version's output (interrupted, failed, then
//! repeated) ends exactly as a clean build.

use std::collections::BTreeMap;
use std::path::Path;

use super::Fixture;

/// Every file and folder under `dir`: a file's bytes, a folder as `None`. The manifest's
/// bytes are left out (only that it is there is kept): it records each file's
/// modification time, which differs between any two builds.
pub fn tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = if e.file_type().is_dir() {
                None
            } else if name == ".peerpress-manifest" {
                Some(b"(the manifest)".to_vec())
            } else {
                Some(std::fs::read(e.path()).unwrap())
            };
            (name, bytes)
        })
        .collect()
}

/// The same, with the manifest's bytes: to tell that nothing at all changed.
pub fn exact_tree(dir: &Path) -> BTreeMap<String, Option<Vec<u8>>> {
    let mut all = tree(dir);
    if let Ok(bytes) = std::fs::read(dir.join(".peerpress-manifest")) {
        all.insert(".peerpress-manifest".into(), Some(bytes));
    }
    all
}

/// Where the files of `a` and `b` differ, briefly.
pub fn differences(
    a: &BTreeMap<String, Option<Vec<u8>>>,
    b: &BTreeMap<String, Option<Vec<u8>>>,
) -> Vec<String> {
    let mut out: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, _)| format!("differs or only in the first: {k}"))
        .collect();
    out.extend(
        b.keys()
            .filter(|k| !a.contains_key(*k))
            .map(|k| format!("only in the second: {k}")),
    );
    out.truncate(20);
    out
}

/// Version A or B of the test site. B differs in every page (the site's name), drops
/// some pages, adds others, edits a few more, turns a static file into a folder and a
/// folder into a file.
pub fn version(b: bool) -> Fixture {
    let site = Fixture::new();
    if b {
        site.write(
            "site.yaml",
            &super::SITE.replace("Riverside Peers", "Riverside Peer Network"),
        );
    }
    let words = "Peer support means people with shared experience helping each other. ";
    let (from, to) = if b { (30, 230) } else { (0, 200) };
    for i in from..to {
        let edited = if b && i < 60 { " (updated)" } else { "" };
        site.write(
            &format!("content/news/item-{i}.md"),
            &format!(
                "---\ntitle: News {i}{edited}\n---\n{}\n",
                words.repeat(i % 7 + 1)
            ),
        );
    }
    if b {
        site.write("static/logo/mark.txt", "a folder now");
        site.write("static/docs", "a file now");
    } else {
        site.write("static/logo", "a file");
        site.write("static/docs/a/b.txt", "in a folder");
        site.write("static/docs/c.txt", "in a folder too");
    }
    site
}
