//! Rebuilds keep pages without rendering them when nothing they are made from changed,
//! and only then: after every kind of edit, and as time passes, a rebuild's output is
//! byte for byte a clean build's.

mod common;

use std::fs;
use std::path::Path;

use common::{peerpress, stdout};

/// Whether a build's output says something is wrong.
fn warns(printed: &str) -> bool {
    printed.contains("warning")
}

/// The example site, copied into a temporary folder to be edited.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let to = dir.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).unwrap();
        } else {
            fs::copy(entry.path(), &to).unwrap();
        }
    }
    dir
}

/// Builds `site` into `out` at `now` (seconds since 1970) and returns what it printed,
/// warnings included.
fn build(site: &Path, out: &Path, now: i64) -> String {
    let run = peerpress()
        .env("SOURCE_DATE_EPOCH", now.to_string())
        .arg("build")
        .arg(site)
        .arg("-o")
        .arg(out)
        .arg("--timings")
        .assert()
        .success();
    format!("{}{}", stdout(&run), common::stderr(&run))
}

/// Every file under `dir` but the manifest, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".peerpress-manifest")
        .map(|e| {
            let name = e.path().strip_prefix(dir).unwrap().display().to_string();
            (name, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// How many pages the build kept without rendering, from its `--timings` line.
fn kept(printed: &str) -> usize {
    let line = printed.lines().find(|l| l.starts_with("Stages:")).unwrap();
    let (_, after) = line.split_once("; ").unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

fn edit(site: &Path, file: &str, from: &str, to: &str) {
    let path = site.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn append(site: &Path, file: &str, text: &str) {
    let path = site.join(file);
    let mut old = fs::read_to_string(&path).unwrap();
    old.push_str(text);
    fs::write(path, old).unwrap();
}

#[test]
fn a_rebuild_is_always_what_a_clean_build_would_be() {
    let site = example_site();
    let site = site.path();
    let outputs = tempfile::tempdir().unwrap();
    let out = outputs.path().join("public");
    let mut now: i64 = common::NOW.parse().unwrap();
    let first = build(site, &out, now);
    assert_eq!(kept(&first), 0);
    let pages = first
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap();

    type Step = Box<dyn Fn(&Path, &mut i64)>;
    let steps: Vec<(&str, Step)> = vec![
        ("nothing changed", Box::new(|_, _| {})),
        ("three hours later", Box::new(|_, now| *now += 3 * 3600)),
        ("the next day", Box::new(|_, now| *now += 24 * 3600)),
        ("six weeks later", Box::new(|_, now| *now += 42 * 24 * 3600)),
        (
            "a group's text",
            Box::new(|site, _| append(site, "groups/bereavement.md", "\nWe also walk together.\n")),
        ),
        (
            "a group's summary",
            Box::new(|site, _| {
                edit(
                    site,
                    "groups/bereavement.md",
                    "Gentle monthly meetings",
                    "Gentle monthly gatherings",
                )
            }),
        ),
        (
            "a meeting's time",
            Box::new(|site, _| edit(site, "groups/bereavement.md", "14:00-15:30", "14:30-16:00")),
        ),
        (
            "a content page",
            Box::new(|site, _| append(site, "content/about.md", "\nOne more thing.\n")),
        ),
        (
            "a link to an anchor of a page kept unread",
            Box::new(|site, _| {
                let link = "\nSee [questions](privacy.md#questions).\n";
                append(site, "content/about.md", link)
            }),
        ),
        (
            "a link to an anchor that is not there",
            Box::new(|site, _| edit(site, "content/about.md", "#questions", "#answers")),
        ),
        ("nothing changed, with that warning", Box::new(|_, _| {})),
        (
            "the anchor put right",
            Box::new(|site, _| edit(site, "content/about.md", "#answers", "#questions")),
        ),
        (
            "a new page linking to another",
            Box::new(|site, _| {
                fs::write(
                    site.join("content/news/new.md"),
                    "---\ntitle: New\n---\nSee [about us](../about.md).\n",
                )
                .unwrap()
            }),
        ),
        (
            "a values statement",
            Box::new(|site, _| append(site, "values/hope.md", "\nHope is catching.\n")),
        ),
        (
            "a directory entry",
            Box::new(|site, _| {
                edit(
                    site,
                    "directory/samaritans.yaml",
                    "Trained volunteers",
                    "Volunteers",
                )
            }),
        ),
        (
            "a crisis line",
            Box::new(|site, _| {
                edit(
                    site,
                    "site.yaml",
                    "Urgent mental health help in England",
                    "Urgent mental health help",
                )
            }),
        ),
        (
            "the site's name",
            Box::new(|site, _| {
                edit(
                    site,
                    "site.yaml",
                    "name: Riverside Peer Support",
                    "name: Riverside Peers",
                )
            }),
        ),
        (
            "a template",
            Box::new(|site, _| {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
                let page = fs::read_to_string(theme.join("page.html")).unwrap();
                fs::create_dir_all(site.join("templates")).unwrap();
                let edited = page.replace(
                    "<article class=\"prose\">",
                    "<article class=\"prose edited\">",
                );
                fs::write(site.join("templates/page.html"), edited).unwrap();
            }),
        ),
        (
            "a template listing every page",
            Box::new(|site, _| {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
                let home = fs::read_to_string(theme.join("home.html")).unwrap();
                let end = home.rfind("{% endblock %}").unwrap();
                let listing = "<ul>{% for p in pages %}<li>{{ p.title }}</li>{% endfor %}</ul>\n";
                let edited = format!("{}{listing}{}", &home[..end], &home[end..]);
                fs::write(site.join("templates/home.html"), edited).unwrap();
            }),
        ),
        (
            "a content page's title",
            Box::new(|site, _| {
                edit(
                    site,
                    "content/about.md",
                    "title: About us",
                    "title: Who we are",
                )
            }),
        ),
        (
            "a group removed",
            Box::new(|site, _| {
                fs::remove_file(site.join("groups/mens-group.md")).unwrap();
            }),
        ),
    ];
    let mut clean = 0;
    for (what, step) in steps {
        step(site, &mut now);
        let printed = build(site, &out, now);
        clean += 1;
        let fresh = outputs.path().join(format!("clean-{clean}"));
        let from_scratch = build(site, &fresh, now);
        assert!(
            files(&out) == files(&fresh),
            "after {what}, the rebuild differs from a clean build"
        );
        // And it says what a clean build says.
        assert_eq!(
            warns(&printed),
            warns(&from_scratch),
            "after {what}: {printed}"
        );
        assert_eq!(
            warns(&printed),
            what.contains("not there") || what.contains("with that warning"),
            "after {what}: {printed}"
        );
        // Pages are kept across edits, except what every page shows (the site's
        // name, the crisis box) or is made with (the templates).
        let kept = kept(&printed);
        match what {
            "nothing changed" | "nothing changed, with that warning" => {
                assert_eq!(kept, pages, "{printed}")
            }
            // The Spanish pages have crisis lines of their own, and are kept.
            "a crisis line" => {
                let spanish = files(&out)
                    .iter()
                    .filter(|(path, _)| path.starts_with("es/") && path.ends_with(".html"))
                    .count();
                assert_eq!(kept, spanish, "{printed}")
            }
            "the site's name" | "a template" | "a template listing every page" => {
                assert_eq!(kept, 0, "{printed}")
            }
            // Made again: the group's page, its two meetings' pages, the pages
            // listing meetings or the group (meetings, groups, two topics), and home,
            // which carries every meeting's schedule for "coming up"; the other
            // groups' meetings' pages, which show their own group, are kept. Each of
            // these is made again in each of the site's two languages.
            "a meeting's time" => assert!(kept >= pages - 8 * 2, "{printed}"),
            _ => assert!(kept > 0, "after {what}: {printed}"),
        }
    }
}

#[test]
fn a_page_edited_by_hand_in_the_output_is_rendered_again() {
    let site = example_site();
    let outputs = tempfile::tempdir().unwrap();
    let out = outputs.path().join("public");
    let now = common::NOW.parse().unwrap();
    build(site.path(), &out, now);
    let about = out.join("about/index.html");
    let original = fs::read(&about).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(&about, b"defaced").unwrap();
    build(site.path(), &out, now);
    assert_eq!(fs::read(&about).unwrap(), original);
    fs::remove_file(&about).unwrap();
    build(site.path(), &out, now);
    assert_eq!(fs::read(&about).unwrap(), original);

    #[cfg(unix)]
    {
        // A link in its place to a copy with the same size and time: the link is not
        // followed, but replaced by the page.
        let copy = outputs.path().join("copy.html");
        fs::copy(&about, &copy).unwrap();
        let time = fs::metadata(&about).unwrap().modified().unwrap();
        fs::File::options()
            .write(true)
            .open(&copy)
            .unwrap()
            .set_modified(time)
            .unwrap();
        fs::remove_file(&about).unwrap();
        std::os::unix::fs::symlink(&copy, &about).unwrap();
        let printed = build(site.path(), &out, now);
        assert!(!about.symlink_metadata().unwrap().is_symlink(), "{printed}");
        assert_eq!(fs::read(&about).unwrap(), original);
    }
}
