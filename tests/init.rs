//! `peerpress init`: a starter site that builds, and never over anyone's files.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use common::{peerpress, stderr, stdout};

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

/// Every file under `folder`, with its bytes and modification time, to show that a
/// command left them alone.
fn snapshot(folder: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry.path().to_path_buf();
            let modified = entry.metadata().unwrap().modified().unwrap();
            (path.clone(), (fs::read(&path).unwrap(), modified))
        })
        .collect()
}

const WORKFLOW: &str = ".github/workflows/publish.yml";

#[test]
fn init_writes_the_github_workflow_by_default_with_this_version() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-site");
    let out = peerpress().arg("init").arg(&site).assert().success();
    let workflow = fs::read_to_string(site.join(WORKFLOW)).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    assert!(workflow.contains(&format!("PEERPRESS_VERSION: \"{version}\"")));
    assert!(workflow.contains(&format!(
        "{}/releases/download/v$PEERPRESS_VERSION",
        env!("CARGO_PKG_REPOSITORY")
    )));
    assert!(workflow.contains("sha256sum --check"));
    assert!(workflow.contains("--base-url"));
    assert!(!workflow.contains("@VERSION@") && !workflow.contains("@REPOSITORY@"));
    assert!(stdout(&out).contains("GitHub Actions"));
    assert!(!site.join(".gitlab-ci.yml").exists());
    assert!(!site.join("netlify.toml").exists());
}

#[test]
fn each_host_gets_its_own_files_and_none_gets_none() {
    let version = env!("CARGO_PKG_VERSION");
    for (host, file, other) in [
        ("gitlab", ".gitlab-ci.yml", WORKFLOW),
        ("netlify", "netlify.toml", WORKFLOW),
        ("github", WORKFLOW, "netlify.toml"),
    ] {
        let (_dir, site) = new_site(host);
        let text = fs::read_to_string(site.join(file)).unwrap();
        assert!(text.contains(version), "{host}: {file} names the version");
        assert!(
            text.contains("sha256sum"),
            "{host}: {file} checks the download"
        );
        assert!(!site.join(other).exists(), "{host} writes no {other}");
    }

    let (_dir, site) = new_site("none");
    let starter = snapshot(&site);
    assert!(starter.keys().all(|path| {
        let name = path.strip_prefix(&site).unwrap();
        !name.starts_with(".github")
            && name != Path::new(".gitlab-ci.yml")
            && name != Path::new("netlify.toml")
    }));
    assert!(site.join("site.yaml").is_file());
}

#[test]
fn init_adds_publishing_files_to_an_existing_site_and_touches_nothing_else() {
    let (_dir, site) = new_site("none");
    fs::write(site.join("notes.txt"), "mine").unwrap();
    let before = snapshot(&site);

    let out = peerpress()
        .args(["init", "--host", "gitlab"])
        .arg(&site)
        .assert()
        .success();
    let mut after = snapshot(&site);
    let added = after.remove(&site.join(".gitlab-ci.yml"));
    assert!(added.is_some(), "adds .gitlab-ci.yml");
    assert_eq!(after, before, "every other file is as it was");
    assert!(stdout(&out).contains(".gitlab-ci.yml"));
}

#[test]
fn init_never_overwrites_a_publishing_file_and_says_how_to_replace_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    peerpress().arg("init").arg(&site).assert().success();
    fs::write(site.join(WORKFLOW), "# my own workflow\n").unwrap();
    let before = snapshot(&site);

    let out = peerpress()
        .args(["init", "--host", "github"])
        .arg(&site)
        .assert()
        .success();
    assert_eq!(snapshot(&site), before, "nothing changed");
    let said = stdout(&out);
    assert!(said.contains("already exists"), "{said}");
    assert!(said.contains("rename or delete it"), "{said}");
    assert!(said.contains("peerpress init --host github"), "{said}");
}

#[test]
fn init_with_no_host_has_nothing_to_add_to_an_existing_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    peerpress().arg("init").arg(&site).assert().success();
    let before = snapshot(&site);
    let out = peerpress()
        .args(["init", "--host", "none"])
        .arg(&site)
        .assert()
        .code(1);
    assert!(stderr(&out).contains("nothing to do"));
    assert_eq!(snapshot(&site), before);
}

#[test]
fn init_refuses_a_folder_with_files_but_no_site_even_with_a_host() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = peerpress()
        .args(["init", "--host", "netlify"])
        .arg(dir.path())
        .assert()
        .code(1);
    assert!(stderr(&out).contains("no site.yaml"));
    assert!(!dir.path().join("netlify.toml").exists());
    assert!(!dir.path().join("site.yaml").exists());
}

#[test]
fn help_says_github_is_the_default_host() {
    let out = peerpress().args(["init", "--help"]).assert().success();
    assert!(stdout(&out).contains("[default: github]"));
}

/// A new site made by `peerpress init --host <host>`, in a folder removed when the first
/// value is dropped.
fn new_site(host: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    peerpress()
        .args(["init", "--host", host])
        .arg(&site)
        .assert()
        .success();
    (dir, site)
}

/// The publishing file `peerpress init --host <host>` writes, read back.
fn publishing_file(host: &str, file: &str) -> String {
    let (_dir, site) = new_site(host);
    fs::read_to_string(site.join(file)).unwrap()
}

#[test]
fn the_gitlab_pipeline_is_yaml_with_a_pages_job_publishing_public() {
    let text = publishing_file("gitlab", ".gitlab-ci.yml");
    let pipeline: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    let pages = &pipeline["pages"];
    assert_eq!(pages["artifacts"]["paths"][0].as_str(), Some("public"));
    let script: Vec<&str> = pages["script"]
        .as_sequence()
        .expect("a script")
        .iter()
        .map(|line| line.as_str().expect("each line is text"))
        .collect();
    assert!(script.iter().any(|line| line.contains("sha256sum -c")));
    assert!(script
        .iter()
        .any(|line| line.contains("peerpress build --base-url \"$CI_PAGES_URL/\"")));
    assert!(script.contains(&"rm -f public/.peerpress-manifest"));
    assert_eq!(
        pages["variables"]["PEERPRESS_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_netlify_file_is_toml_that_builds_into_public() {
    let text = publishing_file("netlify", "netlify.toml");
    let config: toml_edit::DocumentMut = text.parse().expect("valid TOML");
    assert_eq!(config["build"]["publish"].as_str(), Some("public"));
    let command = config["build"]["command"]
        .as_str()
        .expect("a build command");
    assert!(command.contains("sha256sum --check"));
    assert!(command.contains("peerpress build --base-url \"$URL/\""));
    assert!(command.ends_with("rm -f public/.peerpress-manifest"));
    assert_eq!(
        config["build"]["environment"]["PEERPRESS_VERSION"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_github_workflow_is_yaml_with_least_permissions() {
    let text = publishing_file("github", WORKFLOW);
    let workflow: serde_yaml::Value = serde_yaml::from_str(&text).expect("valid YAML");
    assert_eq!(
        workflow["permissions"],
        serde_yaml::Value::Mapping(Default::default()),
        "nothing by default"
    );
    let on = &workflow["on"];
    assert!(on["schedule"][0]["cron"].is_string(), "builds every day");
    assert!(on.get("workflow_dispatch").is_some() && on.get("push").is_some());
    assert_eq!(
        workflow["jobs"]["build"]["permissions"]["contents"].as_str(),
        Some("read")
    );
    assert_eq!(
        workflow["jobs"]["deploy"]["permissions"]["pages"].as_str(),
        Some("write")
    );
    for line in text.lines().filter(|line| line.contains("uses:")) {
        let reference = line.split('@').nth(1).unwrap_or("");
        let sha = reference.split_whitespace().next().unwrap_or("");
        assert!(
            sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "pinned by full commit: {line}"
        );
    }
}
