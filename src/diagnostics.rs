//! Problems found in a site folder, reported the way rustc reports them: what is wrong,
//! where (file, line, column, with the offending line and a caret), and how to fix it.
//!
//! Every stage collects diagnostics instead of stopping at the first one, so a volunteer
//! sees all their mistakes in one run. This module only describes and formats them; it
//! never prints.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

/// How serious a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file, 1-based, with the length of the offending text so the
/// caret can underline the whole value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

impl Position {
    /// The place `offset` bytes into `text`, whose first line is line `first_line` of
    /// its file, underlining `len` characters; the column counts characters.
    pub fn at_offset(text: &str, offset: usize, first_line: usize, len: usize) -> Position {
        let before = &text[..offset.min(text.len())];
        let line = first_line + before.matches('\n').count();
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Position { line, column, len }
    }
}

/// One problem, with everything needed to show it without going back to the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site folder.
    pub file: PathBuf,
    pub position: Option<Position>,
    /// The text of the offending line, captured when the diagnostic was made.
    pub source_line: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, file, message)
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, file, message)
    }

    fn new(severity: Severity, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: file.into(),
            position: None,
            source_line: None,
            message: message.into(),
            help: None,
        }
    }

    /// Points the diagnostic at a place in `source` (the whole file's text).
    pub fn at(mut self, source: &str, position: Position) -> Self {
        self.source_line = source
            .lines()
            .nth(position.line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self.position = Some(position);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The diagnostic as rustc shows it (see the [`fmt::Display`] implementation), in
    /// colour for a terminal.
    pub fn render(&self, colour: bool) -> String {
        let renderer = if colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let file = display_path(&self.file);
        let mut text = renderer.render(&self.report(&file));
        text.push('\n');
        text
    }

    /// The diagnostic as annotate-snippets draws it: the message; where it is, with the
    /// offending line and a caret under the offending text (lined up under wide
    /// characters too); and the help.
    fn report<'a>(&'a self, file: &'a str) -> Vec<Group<'a>> {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level.primary_title(shortened(&self.message));
        let mut group = match (self.position, &self.source_line) {
            (Some(p), Some(line)) => title.element(
                Snippet::source(line.as_str())
                    .line_start(p.line)
                    .path(file)
                    .annotation(AnnotationKind::Primary.span(byte_span(line, p))),
            ),
            (Some(p), None) => title.element(Origin::path(file).line(p.line).char_column(p.column)),
            (None, _) => title.element(Origin::path(file)),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help));
        }
        vec![group]
    }

    /// The diagnostic as one line of JSON, for editors and CI.
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "severity": match self.severity { Severity::Error => "error", Severity::Warning => "warning" },
            "file": display_path(&self.file),
            "line": self.position.map(|p| p.line),
            "column": self.position.map(|p| p.column),
            "length": self.position.map(|p| p.len),
            "message": self.message,
            "help": self.help,
            "source_line": self.source_line,
        })
        .to_string()
    }
}

impl fmt::Display for Diagnostic {
    /// Formats as rustc does:
    ///
    /// ```text
    /// error: `tuseday` is not a day of the week
    ///  --> groups/voices.md:9:10
    ///   |
    /// 9 |     day: tuseday
    ///   |          ^^^^^^^
    ///   |
    ///   = help: did you mean `tuesday`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// A message with each long `quoted` piece (a value from the user's file, which may be
/// megabytes long) cut down to its start and end, so the message stays readable. Help
/// is left whole: its quotes are PeerPress's own examples.
fn shortened(message: &str) -> std::borrow::Cow<'_, str> {
    const LONGEST: usize = 80;
    if message.len() <= LONGEST {
        return message.into();
    }
    let mut out = String::new();
    for (i, piece) in message.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        let quoted = i % 2 == 1;
        let chars = piece.chars().count();
        if quoted && chars > LONGEST {
            let start: String = piece.chars().take(LONGEST / 2).collect();
            let end: String = piece.chars().skip(chars - LONGEST / 2).collect();
            out.push_str(&format!("{start}…{end}"));
        } else {
            out.push_str(piece);
        }
    }
    out.into()
}

/// The bytes of `line` that `position` points at (its column and length count
/// characters), within the line, and at least one character if the line has any.
fn byte_span(line: &str, position: Position) -> std::ops::Range<usize> {
    let byte_at = |chars: usize| {
        line.char_indices()
            .nth(chars)
            .map_or(line.len(), |(at, _)| at)
    };
    let start = byte_at(position.column.saturating_sub(1));
    let end = byte_at(position.column.saturating_sub(1) + position.len.max(1));
    start..end.max(start)
}

/// Paths in messages always use forward slashes, whatever the platform.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Collects diagnostics across a stage.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then line, errors before warnings on the same line, so the output
    /// reads top to bottom like the files do and does not depend on thread timing.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (
                &a.file,
                a.position.map(|p| (p.line, p.column)),
                a.severity,
                &a.message,
            )
                .cmp(&(
                    &b.file,
                    b.position.map(|p| (p.line, p.column)),
                    b.severity,
                    &b.message,
                ))
        });
        self.items.dedup();
        self.items
    }
}

/// "Did you mean …?": the closest candidate by edit distance, if any is close enough to be
/// a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let word_len = word.chars().count();
    candidates
        .into_iter()
        .filter_map(|c| {
            let lower = c.to_lowercase();
            let allowed = (c.chars().count().max(word_len) / 3).max(1);
            // The distance is at least the difference in length, so a word much longer
            // than a candidate is not compared with it: the comparison takes time that
            // grows with the product of their lengths, and a 100 KB value checked
            // against the 600 time zones' names took minutes.
            if lower.chars().count().abs_diff(word_len) > allowed {
                return None;
            }
            // Levenshtein distance counting adjacent transpositions as one edit
            // (`tuseday` is one slip away from `tuesday`).
            let distance = strsim::osa_distance(&word, &lower);
            (distance <= allowed).then_some((distance, c))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        let days = ["monday", "tuesday", "wednesday"];
        assert_eq!(closest("tuseday", days), Some("tuesday"));
        assert_eq!(closest("Wensday", days), Some("wednesday"));
        assert_eq!(closest("banana", days), None);
        assert_eq!(closest("mon", days), None);
        assert_eq!(closest(&"<div>".repeat(20_000), days), None);
    }

    #[test]
    fn a_long_value_in_a_message_is_cut_down() {
        let value = format!("start{}end", "x".repeat(100_000));
        let d = Diagnostic::error("groups/a.md", format!("`{value}` is not a time zone"))
            .with_help("use a name like `Europe/London`");
        let shown = d.to_string();
        assert!(shown.len() < 300, "{shown}");
        assert!(shown.contains("`startxxx"), "{shown}");
        assert!(shown.contains("xxx…xxx"), "{shown}");
        assert!(shown.contains("xxend` is not a time zone"), "{shown}");
        assert!(
            shown.contains("`Europe/London`"),
            "help is never cut: {shown}"
        );
    }

    #[test]
    fn formats_like_rustc() {
        let source = "---\nday: tuseday\n";
        let d = Diagnostic::error("groups/a.md", "`tuseday` is not a day of the week")
            .at(
                source,
                Position {
                    line: 2,
                    column: 6,
                    len: 7,
                },
            )
            .with_help("did you mean `tuesday`?");
        assert_eq!(
            d.to_string(),
            "error: `tuseday` is not a day of the week\n --> groups/a.md:2:6\n  |\n2 | day: tuseday\n  |      ^^^^^^^\n  |\n  = help: did you mean `tuesday`?\n"
        );
    }

    #[test]
    fn carets_line_up_under_wide_characters_and_long_lines_are_cut() {
        let source = "name: 聚会 😀 tuseday\n";
        let d = Diagnostic::error("groups/a.md", "x").at(
            source,
            Position {
                line: 1,
                column: 12,
                len: 7,
            },
        );
        let text = d.to_string();
        let lines: Vec<&str> = text.lines().collect();
        // `聚会` and `😀` take two columns each in a terminal: the carets move with them.
        assert_eq!(lines[3], "1 | name: 聚会 😀 tuseday", "{text}");
        assert_eq!(lines[4], "  |               ^^^^^^^", "{text}");
        let long = format!("x: {}tuseday{}\n", "a".repeat(5_000), "b".repeat(5_000));
        let d = Diagnostic::error("data/a.yaml", "x").at(
            &long,
            Position {
                line: 1,
                column: 5_004,
                len: 7,
            },
        );
        let text = d.to_string();
        assert!(text.len() < 600, "{text}");
        assert!(text.contains("tuseday"), "{text}");
    }
}
