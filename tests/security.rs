//! Content is untrusted: whatever a site's files say, the published pages run no script
//! the theme did not put there, a build reads nothing outside the site folder, and no
//! input holds a build up for long. (The output folder and `serve` have their own tests
//! in `write.rs`, `tests/robustness.rs` and `tests/serve.rs`.)

mod common;

use std::collections::HashMap;
use std::fs;
use std::time::Duration;

use common::{peerpress, stderr, Fixture};
use peerpress::markdown::{render, Links};
use peerpress::model::urls::BaseUrl;
use peerpress::model::Markdown;

/// Ways content tries to run a script, restyle the page or smuggle a URL in: through
/// heading attributes (ATX and setext), links, pictures, autolinks, reference links
/// and raw HTML.
const ATTACKS: &[&str] = &[
    "## Hi {tabindex=0 autofocus onfocus=alert(1)}",
    "Hi {onmouseover=alert(1) style=position:fixed;inset:0}\n==",
    "# Hi {#x .y onclick=alert(1)}",
    "# Hi {.c\" onclick=\"alert(1)}",
    "# Hi {#\"><script>alert(1)</script>}",
    "### Hi {style=\"color:red\" data-x=1}",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x]( \u{1}javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x](file:///etc/passwd)",
    "<img src=https://example.org/p.png onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<div style=\"position:fixed;inset:0\">x</div>",
    "<script>alert(1)</script>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<a href=\"java&#x09;script:alert(1)\">x</a>",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
];

/// The Markdown constructs an attack can sit in.
fn in_every_construct(attack: &str) -> Vec<String> {
    let indented = |prefix: &str| {
        attack
            .lines()
            .map(|l| format!("{prefix}{l}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    vec![
        attack.to_string(),
        format!("Text before.\n\n{attack}\n\nText after."),
        indented("> "),
        indented("- "),
        indented("1. "),
        format!("| a |\n|---|\n| {} |", attack.replace('\n', " ")),
        format!("Note[^1]\n\n[^1]: {}", attack.replace('\n', " ")),
        format!("*{}*", attack.replace('\n', " ")),
    ]
}

fn markdown(source: &str, raw_html: bool) -> String {
    let routes = HashMap::new();
    let base = BaseUrl::parse("https://example.org/").expect("base URL");
    let pictures = peerpress::images::Pictures::default();
    let links = Links {
        routes_by_source: &routes,
        base_url: &base,
        raw_html,
        pictures: &pictures,
    };
    let page = Markdown {
        source: source.into(),
        file: "content/a.md".into(),
        first_line: 1,
    };
    render(&page, &links).html
}

/// What in `html` could run a script, restyle the page or load a dangerous URL: event
/// handlers, `style` (but a table cell's alignment), `srcdoc`, `<script>` (but the
/// theme's own) and `javascript:`/`data:`/`vbscript:`/`file:` URLs.
fn dangers(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let name_end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        if name.is_empty() {
            continue;
        }
        let (attributes, end) = attributes(&rest[name_end..]);
        rest = &rest[name_end + end..];
        if name == "script" {
            let theirs = attributes.iter().any(|(n, v)| {
                n == "type" && v == "application/ld+json" || n == "src" && v.starts_with("/assets/")
            });
            if !theirs {
                found.push(format!("<script> with {attributes:?}"));
            }
            rest = rest.find("</script").map_or("", |end| &rest[end..]);
        }
        if matches!(name, "iframe" | "object" | "embed" | "base") {
            found.push(format!("<{name}>"));
        }
        for (attribute, value) in attributes {
            let url = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>();
            let dangerous = attribute.starts_with("on")
                || attribute == "srcdoc"
                || attribute == "formaction"
                || attribute == "style"
                    && !(matches!(name, "th" | "td") && value.starts_with("text-align:"))
                || ["javascript:", "data:", "vbscript:", "file:"]
                    .iter()
                    .any(|scheme| url.starts_with(scheme));
            if dangerous {
                found.push(format!("<{name} {attribute}=\"{value}\">"));
            }
        }
    }
    found
}

/// The attributes of a tag whose name has been read, and where the tag ends.
fn attributes(tag: &str) -> (Vec<(String, String)>, usize) {
    let bytes = tag.as_bytes();
    let mut at = 0;
    let mut found = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() || bytes[at] == b'>' {
            return (found, at);
        }
        let start = at;
        while at < bytes.len() && !matches!(bytes[at], b'=' | b'>' | b' ' | b'\t' | b'\n' | b'/') {
            at += 1;
        }
        let name = tag[start..at].to_string();
        let mut value = String::new();
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            if at < bytes.len() && (bytes[at] == b'"' || bytes[at] == b'\'') {
                let quote = bytes[at];
                let end = tag[at + 1..]
                    .bytes()
                    .position(|b| b == quote)
                    .map_or(bytes.len(), |p| at + 1 + p);
                value = tag[at + 1..end].to_string();
                at = (end + 1).min(bytes.len());
            } else {
                let end = tag[at..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(bytes.len(), |p| at + p);
                value = tag[at..end].to_string();
                at = end;
            }
        }
        found.push((name, value));
    }
}

#[test]
fn the_checker_sees_what_it_must_refuse() {
    for html in [
        "<h2 onfocus=\"alert(1)\">x</h2>",
        "<a href=\" java\tscript:x\">",
        "<p style=\"position:fixed\">",
        "<script>x</script>",
        "<img src='data:x'>",
        "<td style=\"color:red\">",
    ] {
        assert!(!dangers(html).is_empty(), "{html}");
    }
    for html in [
        "<td style=\"text-align: left\">",
        "<p>onclick=alert(1) &lt;script&gt;</p>",
        "<a href=\"https://x.org/?javascript:\" title=\"style\">",
        "<script type=\"application/ld+json\">{\"a\":\"\\u003c\"}</script>",
    ] {
        assert_eq!(dangers(html), Vec::<String>::new(), "{html}");
    }
}

#[test]
fn no_markdown_construct_lets_an_attack_through() {
    for attack in ATTACKS {
        for source in in_every_construct(attack) {
            let html = markdown(&source, false);
            assert_eq!(dangers(&html), Vec::<String>::new(), "{source:?}\n{html}");
        }
    }
}

#[test]
fn with_raw_html_allowed_markdown_itself_still_adds_no_script() {
    // Opting in to raw HTML trusts the HTML the site writes; attributes in `{…}`, links
    // and pictures are still held to the same rules.
    for attack in ATTACKS
        .iter()
        .filter(|a| !a.contains('<') || a.starts_with("<java"))
    {
        for source in in_every_construct(attack) {
            let html = markdown(&source, true);
            assert_eq!(dangers(&html), Vec::<String>::new(), "{source:?}\n{html}");
        }
    }
}

#[test]
fn a_heading_keeps_its_id_and_plain_classes_and_says_what_it_dropped() {
    let html = markdown("## Meet {#meet .wide onfocus=alert(1)}\n", false);
    assert!(html.contains("<h2 id=\"meet\" class=\"wide\">"), "{html}");
    let site = Fixture::new();
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n## Who {#who tabindex=0 autofocus onfocus=alert(1)}\n",
    );
    let built = site.build(&[]).success();
    let printed = stderr(&built);
    assert!(
        printed.contains("the heading attributes `tabindex` and 2 more are not allowed"),
        "{printed}"
    );
    assert!(printed.contains("content/about.md:4"), "{printed}");
}

/// Puts `attack` in every field that takes Markdown or HTML.
fn write_everywhere(site: &Fixture, attack: &str) {
    let indented = attack.replace('\n', "\n  ");
    site.write(
        "site.yaml",
        &format!("{}footer: |\n  {indented}\n", common::SITE),
    );
    site.write(
        "groups/voices.md",
        &common::GROUP.replace("## What to expect", attack),
    );
    site.write(
        "groups/second.md",
        &format!("---\nname: Second\nsummary: \"<img src=https://example.org/p.png onerror=alert(1)>\"\nmeetings:\n  - id: weekly\n    day: monday\n    time: \"10:00-11:00\"\n    venue: hall\n    notes: \"<script>alert(1)</script>\"\n---\n{attack}\n"),
    );
    site.write(
        "values/hope.md",
        &format!("---\ntitle: Hope\n---\n{attack}\n"),
    );
    site.write(
        "directory/helpline.yaml",
        &format!("name: Helpline\nsummary: A line.\ncategories: [helpline]\ndescription: |\n  {indented}\n"),
    );
    site.write(
        "content/about.md",
        &format!("---\ntitle: About\n---\n{attack}\n"),
    );
}

#[test]
fn attacks_in_every_field_that_takes_markdown_stay_inert() {
    // Unsafe links are errors: the build stops and says so.
    let site = Fixture::new();
    write_everywhere(&site, "[x](javascript:alert(1)) ![y](data:text/html,x)");
    let printed = stderr(&site.build(&[]).failure());
    assert!(
        printed.contains("`javascript:alert(1)` is not a safe link"),
        "{printed}"
    );
    // The rest is built, and inert: with no raw HTML in the file (so nothing would have
    // called the HTML cleaner), and mixed with raw HTML. (YAML refuses control
    // characters itself, so those attacks stay in the Markdown test.)
    let inert = |attack: &&&str| {
        !attack.contains('\u{1}')
            && !attack.starts_with('[')
            && !attack.starts_with("![")
            && !attack.starts_with("<java")
    };
    let markdown_only: Vec<&str> = ATTACKS
        .iter()
        .filter(&inert)
        .filter(|a| !a.contains('<'))
        .copied()
        .collect();
    let all: Vec<&str> = ATTACKS.iter().filter(&inert).copied().collect();
    for attacks in [markdown_only, all] {
        let site = Fixture::new();
        write_everywhere(&site, &attacks.join("\n\n"));
        site.build(&[]).success();
        let mut pages = 0;
        for entry in walkdir::WalkDir::new(site.public()) {
            let entry = entry.expect("walk");
            if entry.path().extension().is_some_and(|e| e == "html") {
                pages += 1;
                let html = fs::read_to_string(entry.path()).expect("page");
                assert_eq!(
                    dangers(&html),
                    Vec::<String>::new(),
                    "{}",
                    entry.path().display()
                );
            }
        }
        assert!(pages > 10, "{pages} pages");
    }
}

/// A folder outside the site with a secret in it, for links to point at.
#[cfg(unix)]
use std::path::Path;

#[cfg(unix)]
fn outside_with_secret() -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: SECRET-TOKEN\n---\nSECRET-TOKEN\n",
    )
    .expect("write");
    outside
}

#[cfg(unix)]
fn link(site: &Fixture, relative: &str, target: &Path) {
    let path = site.path().join(relative);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let _ = fs::remove_file(&path);
    std::os::unix::fs::symlink(target, path).expect("symlink");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_site_folder_are_refused_by_name_without_reading_them() {
    let outside = outside_with_secret();
    let mut links = vec![("static/passwd", Path::new("/etc/passwd").to_path_buf())];
    // The build's environment, CI's secrets among them (Linux only has the file).
    if cfg!(target_os = "linux") {
        links.push((
            "static/env.txt",
            Path::new("/proc/self/environ").to_path_buf(),
        ));
    }
    links.extend([
        ("static/home", outside.path().to_path_buf()),
        ("content/secret.md", outside.path().join("secret.md")),
        ("content/elsewhere", outside.path().to_path_buf()),
        ("groups/secret.md", outside.path().join("secret.md")),
        ("values/secret.md", outside.path().join("secret.md")),
        ("directory/secret.yaml", outside.path().join("secret.md")),
        ("data/secret.yaml", outside.path().join("secret.md")),
        ("venues.yaml", outside.path().join("secret.md")),
        ("templates", outside.path().to_path_buf()),
        ("themes/calm", outside.path().to_path_buf()),
    ]);
    for (relative, target) in links {
        let site = Fixture::new();
        link(&site, relative, &target);
        if relative.starts_with("themes/") {
            site.write("site.yaml", &format!("{}theme: calm\n", common::SITE));
            fs::create_dir_all(outside.path().join("templates")).expect("mkdir");
        }
        let built = site.build(&[]).failure();
        let printed = stderr(&built);
        assert!(
            printed.contains(&format!(
                "error: this is a link to a place outside the site folder, so PeerPress did not read it\n--> {relative}\n"
            )),
            "{relative}: {printed}"
        );
        assert!(!printed.contains("SECRET-TOKEN"), "{printed}");
        assert!(!printed.contains("root:"), "{printed}");
        assert!(
            !printed.contains(&target.display().to_string()),
            "{printed}"
        );
        assert!(!site.public().exists(), "{relative}: nothing is written");
    }
}

#[cfg(unix)]
#[test]
fn a_linked_site_yaml_from_outside_is_refused_too() {
    let outside = tempfile::tempdir().expect("temp dir");
    fs::write(outside.path().join("site.yaml"), common::SITE).expect("write");
    let site = Fixture::new();
    fs::remove_file(site.path().join("site.yaml")).expect("remove");
    link(&site, "site.yaml", &outside.path().join("site.yaml"));
    let printed = stderr(&site.build(&[]).failure());
    assert!(printed.contains("--> site.yaml\n"), "{printed}");
    assert!(printed.contains("outside the site folder"), "{printed}");
}

#[cfg(unix)]
#[test]
fn links_inside_the_site_and_into_allowed_folders_are_followed() {
    let outside = outside_with_secret();
    let site = Fixture::new();
    site.write("shared/logo.txt", "logo");
    link(
        &site,
        "static/logo.txt",
        &site.path().join("shared/logo.txt"),
    );
    link(&site, "content/shared", outside.path());
    let printed = stderr(&site.build(&[]).failure());
    assert!(printed.contains("--> content/shared\n"), "{printed}");
    let relative = pathdiff(outside.path(), site.path());
    site.write(
        "site.yaml",
        &format!("{}allow_links_to: [\"{relative}\"]\n", common::SITE),
    );
    site.build(&[]).success();
    assert_eq!(site.page("logo.txt"), "logo");
    assert!(site
        .page("shared/secret/index.html")
        .contains("SECRET-TOKEN"));

    // Never the site's own parents: they would let a link reach anything.
    for parent in ["/", "..", "."] {
        site.write(
            "site.yaml",
            &format!("{}allow_links_to: [\"{parent}\"]\n", common::SITE),
        );
        let printed = stderr(&site.build(&[]).failure());
        assert!(
            printed.contains(&format!(
                "`allow_links_to` names `{parent}`, which holds the site folder itself"
            )),
            "{printed}"
        );
    }
    site.write(
        "site.yaml",
        &format!("{}allow_links_to: [no-such-folder]\n", common::SITE),
    );
    let printed = stderr(&site.build(&[]).failure());
    assert!(
        printed.contains("`allow_links_to` names `no-such-folder`, which is not a folder"),
        "{printed}"
    );
}

#[test]
fn a_theme_is_named_not_given_as_a_path() {
    let site = Fixture::new();
    for theme in ["../elsewhere", "/etc", "a/b"] {
        site.write(
            "site.yaml",
            &format!("{}theme: \"{theme}\"\n", common::SITE),
        );
        let printed = stderr(&site.build(&[]).failure());
        assert!(
            printed.contains(&format!("`theme: {theme}` is not the name of a theme")),
            "{printed}"
        );
    }
}

/// `to` relative to `from`, through the root if need be.
#[cfg(unix)]
fn pathdiff(to: &Path, from: &Path) -> String {
    let ups = from.components().count() - 1;
    format!(
        "{}{}",
        "../".repeat(ups),
        to.display().to_string().trim_start_matches('/')
    )
}

#[cfg(unix)]
#[test]
fn special_files_are_never_read() {
    let site = Fixture::new();
    fs::remove_file(site.path().join("venues.yaml")).expect("remove");
    let fifo = site.path().join("venues.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // Reading a named pipe would wait for a writer forever.
    let built = peerpress()
        .arg("build")
        .arg(site.path())
        .timeout(Duration::from_secs(60))
        .assert()
        .failure();
    let printed = stderr(&built);
    assert!(
        printed.contains("venues.yaml") && printed.contains("not a regular file"),
        "{printed}"
    );
}

/// A megabyte of each input that once took minutes: each now ends quickly, with a
/// message naming the file. (The limit is generous, for slow machines and debug
/// builds; before, the YAML ones ran for over two minutes in a release build.)
#[test]
fn hostile_inputs_of_a_megabyte_end_quickly_with_a_message() {
    const MB: usize = 1 << 20;
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "data/evil.yaml",
            format!("x: {}", "[".repeat(MB)),
            "nested more than 100 deep",
        ),
        (
            "data/evil.yaml",
            format!("x: {}", "{a: ".repeat(MB / 4)),
            "nested more than 100 deep",
        ),
        (
            "content/evil.md",
            format!("---\ntitle: {}\n---\nhi\n", "[".repeat(MB)),
            "nested more than 100 deep",
        ),
        (
            "groups/evil.md",
            format!("---\nname: {}\n---\nhi\n", "{".repeat(MB)),
            "nested more than 100 deep",
        ),
        (
            "content/evil.md",
            format!("---\ntitle: E\n---\n{}\n", "<div>".repeat(MB / 5)),
            "nested more than 512 elements deep",
        ),
        (
            "content/evil.md",
            format!("---\ntitle: E\n---\nx {}\n", "<span>".repeat(MB / 6)),
            "nested more than 512 elements deep",
        ),
        (
            "content/evil.md",
            format!("---\ntitle: E\n---\n# x {{{}}}\n", "a=b ".repeat(MB / 4)),
            "are not allowed",
        ),
        // Stray end tags and Markdown links between the elements do not hide them.
        (
            "content/evil.md",
            format!("---\ntitle: E\n---\nx {}\n", "<div></b>".repeat(MB / 9)),
            "nested more than 512 elements deep",
        ),
        (
            "content/evil.md",
            format!("---\ntitle: E\n---\nx {}\n", "<span>[a](b)".repeat(MB / 12)),
            "nested more than 512 elements deep",
        ),
        // Quoted `]` and `#` in a list neither close it nor start a comment.
        (
            "data/evil.yaml",
            format!("x: {}", "[\"]\", ".repeat(MB / 6)),
            "nested more than 100 deep",
        ),
        (
            "data/evil.yaml",
            format!("x: {}", "['a #', ".repeat(MB / 8)),
            "nested more than 100 deep",
        ),
    ];
    for (path, text, message) in cases {
        let site = Fixture::new();
        site.write(path, &text);
        let built = peerpress()
            .arg("build")
            .arg(site.path())
            .timeout(Duration::from_secs(30))
            .assert();
        let printed = stderr(&built);
        assert!(
            printed.contains(message) && printed.contains(path),
            "{path} {message}: {}",
            printed.chars().take(2000).collect::<String>()
        );
    }
}
