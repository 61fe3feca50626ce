//! Problems found in a site folder, reported the way rustc reports them: what is wrong,
//! where (file, line, column, with the offending line and a caret), and how to fix it.
//!
//! Every stage collects diagnostics instead of stopping at the first one, so a volunteer
//! sees all their mistakes in one run. This module only describes and formats them; it
//! never prints.

use std::fmt;
use std::path::{Path, PathBuf};

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
    /// The diagnostic as rustc shows it, in colour for a terminal.
    pub fn render(&self, colour: bool) -> String {
        let plain = self.to_string();
        if !colour {
            return plain;
        }
        const RESET: &str = "\x1b[0m";
        const BOLD: &str = "\x1b[1m";
        const BLUE: &str = "\x1b[1;34m";
        let label = match self.severity {
            Severity::Error => "\x1b[1;31merror",
            Severity::Warning => "\x1b[1;33mwarning",
        };
        let mut out = String::with_capacity(plain.len() + 64);
        for (i, line) in plain.lines().enumerate() {
            if i == 0 {
                let rest = line.split_once(": ").map_or("", |(_, r)| r);
                out.push_str(&format!("{label}{RESET}{BOLD}: {rest}{RESET}"));
            } else if let Some((gutter, rest)) = line
                .split_once(" | ")
                .filter(|(g, _)| g.trim().chars().all(|c| c.is_ascii_digit()))
            {
                let carets = rest.trim_start().starts_with('^');
                let colour = if carets {
                    match self.severity {
                        Severity::Error => "\x1b[1;31m",
                        Severity::Warning => "\x1b[1;33m",
                    }
                } else {
                    ""
                };
                out.push_str(&format!(
                    "{BLUE}{gutter} |{RESET} {colour}{rest}{}",
                    if carets { RESET } else { "" }
                ));
            } else if line.trim_end().ends_with('|') || line.trim_start().starts_with("-->") {
                out.push_str(&format!("{BLUE}{line}{RESET}"));
            } else if let Some((gutter, help)) = line.split_once("= help:") {
                out.push_str(&format!("{BLUE}{gutter}={RESET} {BOLD}help:{RESET}{help}"));
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out
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
    ///   --> groups/voices.md:9:10
    ///    |
    ///  9 |     day: tuseday
    ///    |          ^^^^^^^
    ///    = help: did you mean `tuesday`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let file = display_path(&self.file);
        let gutter = match self.position {
            Some(p) => p.line.to_string().len(),
            None => 1,
        };
        let pad = " ".repeat(gutter);
        match self.position {
            Some(p) => writeln!(f, "{pad}--> {file}:{}:{}", p.line, p.column)?,
            None => writeln!(f, "{pad}--> {file}")?,
        }
        if let (Some(p), Some(line)) = (self.position, &self.source_line) {
            // Very long lines are shown as a window around the problem.
            const WIDTH: usize = 100;
            let chars: Vec<char> = line.chars().collect();
            let column = p.column.saturating_sub(1).min(chars.len());
            let start = column
                .saturating_sub(WIDTH / 2)
                .min(chars.len().saturating_sub(WIDTH));
            let start = if chars.len() <= WIDTH { 0 } else { start };
            let end = (start + WIDTH).min(chars.len());
            let prefix = if start > 0 { "…" } else { "" };
            let suffix = if end < chars.len() { "…" } else { "" };
            let shown: String = chars[start..end].iter().collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {prefix}{shown}{suffix}", p.line)?;
            let before: String = prefix
                .chars()
                .map(|_| ' ')
                .chain(
                    chars[start..column]
                        .iter()
                        .map(|&c| if c == '\t' { '\t' } else { ' ' }),
                )
                .collect();
            let remaining = end.saturating_sub(column);
            let carets = p.len.clamp(1, remaining.max(1));
            writeln!(f, "{pad} | {before}{}", "^".repeat(carets))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
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
    candidates
        .into_iter()
        // Levenshtein distance counting adjacent transpositions as one edit (`tuseday`
        // is one slip away from `tuesday`).
        .map(|c| (strsim::osa_distance(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
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
            "error: `tuseday` is not a day of the week\n --> groups/a.md:2:6\n  |\n2 | day: tuseday\n  |      ^^^^^^^\n  = help: did you mean `tuesday`?\n"
        );
    }
}
