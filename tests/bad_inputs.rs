//! The corpus of bad inputs in `tests/bad-inputs/`: each `.case` file changes a few files
//! of a small valid site, and the exact messages `peerpress check` prints are kept as
//! snapshots. Every case must end in a clear diagnostic (or a clean check, for the odd
//! inputs that are fine), never a crash, with exit code 1 exactly when there are errors.
//!
//! A case file: a `# description` line, then `=== path` lines, each followed by that
//! file's new content. Special paths: `=== !bytes path` (hex bytes), `=== !symlink path`
//! (a link to the given target), `=== !large path` (that many bytes of Markdown).

mod common;

use std::fs;

use common::Fixture;

/// Writes the case's files into `site`; `false` if this platform cannot make one of
/// them (a symbolic link, on Windows), and the case is to be skipped.
fn apply(site: &Fixture, case: &str) -> bool {
    let mut files: Vec<(String, Vec<&str>)> = Vec::new();
    for line in case.lines() {
        if let Some(path) = line.strip_prefix("=== ") {
            files.push((path.to_string(), Vec::new()));
        } else if let Some((_, lines)) = files.last_mut() {
            lines.push(line);
        }
    }
    for (path, lines) in files {
        let text = if lines.is_empty() {
            String::new()
        } else {
            format!("{}\n", lines.join("\n"))
        };
        if let Some(path) = path.strip_prefix("!bytes ") {
            let hex = text.trim();
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                .collect();
            let file = site.path().join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, bytes).unwrap();
        } else if let Some(path) = path.strip_prefix("!symlink ") {
            let link = site.path().join(path);
            fs::create_dir_all(link.parent().unwrap()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(text.trim(), link).unwrap();
            #[cfg(not(unix))]
            {
                let _ = link;
                return false;
            }
        } else if let Some(path) = path.strip_prefix("!large ") {
            let size: usize = text.trim().parse().unwrap();
            let paragraph = "Peer support is **people with lived experience** helping each other, as equals. [Back to the top](#top)\n\n";
            let mut body = String::from("---\ntitle: Large\n---\n<a id=\"top\"></a>\n\n");
            while body.len() < size {
                body.push_str(paragraph);
            }
            site.write(path, &body);
        } else {
            site.write(&path, &text);
        }
    }
    true
}

#[test]
fn every_bad_input_gets_its_expected_message() {
    insta::glob!("bad-inputs/*.case", |path: &std::path::Path| {
        let case = fs::read_to_string(path).unwrap();
        let site = Fixture::new();
        if !apply(&site, &case) {
            return;
        }
        let output = common::peerpress()
            .env("NO_COLOR", "1")
            .arg("check")
            .arg(site.path())
            .output()
            .expect("check runs");
        let stderr = String::from_utf8_lossy(&output.stderr)
            .replace(&site.path().display().to_string(), "<site>");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let code = output
            .status
            .code()
            .expect("exited, not killed by a signal");
        assert!(!stderr.contains("panicked"), "{}: {stderr}", path.display());
        // serde's type words mean nothing to a volunteer: every message says what was
        // expected in plain words instead.
        for word in ["sequence", "struct ", "i64", "u64", "f64", "invalid type"] {
            assert!(
                !stderr.contains(word),
                "{}: a message uses serde's word `{word}`:\n{stderr}",
                path.display()
            );
        }
        let has_errors = stderr.lines().any(|l| l.starts_with("error"));
        assert_eq!(
            code,
            if has_errors { 1 } else { 0 },
            "{}: exit code {code}\n{stderr}",
            path.display()
        );
        let description = case.lines().next().unwrap_or_default();
        insta::assert_snapshot!(format!(
            "{description}\nexit code: {code}\n{stderr}{stdout}"
        ));
    });
}
