//! Splitting a Markdown file into its YAML front matter and its body.

// Errors here are diagnostics: made rarely, carried to the user, never on a hot path.
#![allow(clippy::result_large_err)]

use crate::diagnostics::{Diagnostic, Position};
use std::path::Path;

/// A Markdown file cut in two. Line numbers stay those of the whole file, so a problem
/// in the front matter is reported at the line the editor shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (empty if the file has none).
    pub yaml: &'a str,
    /// The file line on which `yaml` begins.
    pub yaml_first_line: usize,
    pub body: &'a str,
    /// The file line on which `body` begins.
    pub body_first_line: usize,
}

/// The opening `---` (or `+++`) of the front matter, where its problems are shown.
const OPENING: Position = Position {
    line: 1,
    column: 1,
    len: 3,
};

/// Splits `text`. A file that does not start with `---` has no front matter; one that
/// starts with `---` but never closes it is an error, because everything after it would
/// otherwise silently become YAML.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() == "+++" {
        // Hugo and Zola's TOML front matter: read as Markdown, it would be page text.
        return Err(Diagnostic::error(
            path,
            "this file starts with `+++`, which begins TOML front matter; PeerPress reads YAML front matter",
        )
        .at(text, OPENING)
        .with_help(
            "change both `+++` lines to `---`, and write each `key = \"value\"` line as `key: value`",
        ));
    }
    if text[..first_line_end].trim_end() != "---" {
        return Ok(Split {
            yaml: "",
            yaml_first_line: 1,
            body: text,
            body_first_line: 1,
        });
    }
    let mut offset = first_line_end;
    let mut line_number = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        let line = text[offset..end].trim_end();
        if line == "---" || line == "..." {
            return Ok(Split {
                yaml: &text[first_line_end..offset],
                yaml_first_line: 2,
                body: &text[end..],
                body_first_line: line_number + 1,
            });
        }
        offset = end;
        line_number += 1;
    }
    Err(Diagnostic::error(path, "the front matter is not closed")
        .at(text, OPENING)
        .with_help(
            "add a line with only `---` after the last front matter line, before the Markdown text",
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_keeps_line_numbers() {
        let s = split(Path::new("a.md"), "---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.yaml_first_line, 2);
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_first_line, 4);
    }

    #[test]
    fn no_front_matter_is_all_body() {
        let s = split(Path::new("a.md"), "# Hello\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "# Hello\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        let e = split(Path::new("a.md"), "---\ntitle: A\nBody\n").unwrap_err();
        assert!(e.message.contains("not closed"));
        assert_eq!(e.position.unwrap().line, 1);
    }

    #[test]
    fn toml_front_matter_is_named() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"A\"\n+++\nBody\n").unwrap_err();
        assert!(e.message.contains("TOML"), "{}", e.message);
        assert_eq!(e.position.unwrap().line, 1);
    }

    #[test]
    fn windows_line_endings() {
        let s = split(Path::new("a.md"), "---\r\ntitle: A\r\n---\r\nBody").unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body");
    }
}
