//! `peerpress init`: a starter site that builds, and never over anyone's files.

mod common;

use std::fs;

use common::{peerpress, stderr};

#[test]
fn init_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-site");
    peerpress().arg("init").arg(&site).assert().success();
    assert!(site.join("site.yaml").is_file());
    let built = peerpress().arg("build").arg(&site).assert().success();
    assert_eq!(stderr(&built), "", "the starter site has no warnings");
    let home = fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("My Peer Support Group"));
    assert!(site
        .join("public/groups/example-group/index.html")
        .is_file());
    assert!(site
        .join("public/meetings/example-group-tuesday/index.html")
        .is_file());
}

#[test]
fn init_refuses_a_folder_with_files_in_it() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = peerpress().arg("init").arg(dir.path()).assert().code(1);
    assert!(stderr(&out).contains("not empty"));
    assert_eq!(
        fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(!dir.path().join("site.yaml").exists());
}
