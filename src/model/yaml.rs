//! Turning YAML text into typed structs, with errors a volunteer can act on.
//!
//! serde_yaml does the parsing; this module rewords its errors ("unknown field" becomes
//! "unknown key … did you mean …"), places them at the right line of the right file, and
//! offers [`Parsed`], a small trait for values that are written as text in YAML (days,
//! times, dates) so that a bad value is reported at the value itself.

// Errors here are diagnostics: made rarely, carried to the user, never on a hot path.
#![allow(clippy::result_large_err)]

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use crate::diagnostics::{closest, Diagnostic, Position};
use crate::load::positions::Positions;

/// A YAML document of a file: its text, where it starts in the file, and its positions.
pub struct YamlDoc<'a> {
    pub path: &'a Path,
    /// The whole file, to quote the offending line.
    pub file_text: &'a str,
    pub yaml: &'a str,
    pub first_line: usize,
    /// Indexed only when a message needs a position: most documents never do.
    positions: std::sync::OnceLock<Positions>,
}

impl<'a> YamlDoc<'a> {
    pub fn new(path: &'a Path, file_text: &'a str, yaml: &'a str, first_line: usize) -> Self {
        YamlDoc {
            path,
            file_text,
            yaml,
            first_line,
            positions: std::sync::OnceLock::new(),
        }
    }

    /// Where each key and value of the document is.
    pub fn positions(&self) -> &Positions {
        self.positions.get_or_init(|| {
            if crate::load::nesting::too_deep(self.yaml).is_some() {
                return Positions::default();
            }
            Positions::index(self.yaml, self.first_line)
        })
    }

    /// A whole YAML file.
    pub fn whole(path: &'a Path, text: &'a str) -> Self {
        Self::new(path, text, text, 1)
    }

    /// Deserializes the document, or explains why it cannot be.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        let yaml = if self.yaml.trim().is_empty() {
            "{}"
        } else {
            self.yaml
        };
        if let Some(offset) = crate::load::nesting::too_deep(yaml) {
            return Err(self.too_deep(offset));
        }
        if let Some((line, column)) = crate::load::aliases::too_many_repeats(yaml) {
            return Err(self.too_many_repeats(line, column));
        }
        serde_yaml::from_str(yaml).map_err(|e| {
            // serde checks a mapping's keys as it reads, so a key that seems missing can be
            // reported before the YAML mistake below it that hid it (a line indented one
            // space short). The mistake is the cause: report it first.
            let d = match serde_yaml::from_str::<de::IgnoredAny>(yaml) {
                Err(malformed) => self.explain(&malformed),
                Ok(_) => self.explain(&e),
            };
            self.with_curly_quotes_named(d)
        })
    }

    /// Word processors turn `"` into `“ ”` and `'` into `‘ ’`, which YAML reads as text,
    /// not quotes: when the line of a problem has them, that is the likely cause.
    fn with_curly_quotes_named(&self, mut d: Diagnostic) -> Diagnostic {
        let Some(position) = d.position else {
            return d;
        };
        let line = self.file_line(position.line);
        // Only a curly quote that opens a value: an apostrophe in "don’t" is no mistake.
        let opens_value = |(i, c): &(usize, char)| {
            CURLY_QUOTES.contains(*c) && line[..*i].trim_end().ends_with([':', '-', '[', '{', ','])
        };
        if let Some((_, curly)) = line.char_indices().find(opens_value) {
            let straight = if "‘’‚".contains(curly) {
                '\''
            } else {
                '"'
            };
            d.help = Some(format!(
                "`{curly}` is a curly quote (word processors make them), which YAML does not read as a quote: type straight quotes `{straight}` instead"
            ));
        }
        d
    }

    /// The error for a document whose brackets nest too deep to be parsed in good time.
    fn too_deep(&self, offset: usize) -> Diagnostic {
        let position = Position::at_offset(self.yaml, offset, self.first_line, 1);
        Diagnostic::error(
            self.path,
            format!(
                "the `[` and `{{` here are nested more than {} deep",
                crate::load::nesting::MAX_DEPTH
            ),
        )
        .at(self.file_text, position)
        .with_help("a value that starts with `[` or `{` is read as a list or group: close each one you open, or put text in quotes")
    }

    /// The error for a document whose aliases repeat too much to be expanded.
    fn too_many_repeats(&self, line: usize, column: usize) -> Diagnostic {
        let position = Position {
            line: line + self.first_line - 1,
            column,
            len: 1,
        };
        Diagnostic::error(
            self.path,
            "the aliases (`*name`) in this file repeat their values too many times",
        )
        .at(self.file_text, position)
        .with_help("an alias repeats the whole value its anchor (`&name`) marks, so a few aliases of aliases stand for a great many values: write the values out, or use fewer aliases")
    }

    /// An error pointing at the value at `path` (e.g. `meetings[0].venue`).
    pub fn error_at(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        self.point(Diagnostic::error(self.path, message), path)
    }

    /// An error about the key at `path` itself (a name that cannot be used), pointing at
    /// the key rather than its value.
    pub fn error_at_key(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        match self.positions().key(path) {
            Some(p) => Diagnostic::error(self.path, message).at(self.file_text, p),
            None => self.error_at(path, message),
        }
    }

    pub fn warning_at(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        self.point(Diagnostic::warning(self.path, message), path)
    }

    fn point(&self, diagnostic: Diagnostic, path: &str) -> Diagnostic {
        match self.positions().best(path) {
            Some(p) => diagnostic.at(self.file_text, p),
            None => diagnostic.at(
                self.file_text,
                Position {
                    line: self.first_line.max(1),
                    column: 1,
                    len: 1,
                },
            ),
        }
    }

    fn explain(&self, error: &serde_yaml::Error) -> Diagnostic {
        let full = error.to_string();
        // serde_yaml's own guard against aliases, which may stop it before ours would.
        if full.contains("repetition limit exceeded") {
            if let Some((line, column)) = crate::load::aliases::first_alias(self.yaml) {
                return self.too_many_repeats(line, column);
            }
        }
        let text = full.split(" at line ").next().unwrap_or(&full);
        let (path, message) = match text.split_once(": ") {
            Some((path, rest)) if !path.contains(' ') => (path.to_string(), rest.to_string()),
            _ => (String::new(), text.to_string()),
        };
        let (mut message, mut help, key) = reword(&path, &message);
        if let Some((opened, what)) = opening_of(&full, self.first_line) {
            if message.starts_with("the YAML is malformed here: expected")
                || message.starts_with("this line does not line up")
                || message == "a quoted value is never closed"
            {
                if what != "this quoted value" && self.closed_on_its_line(opened) {
                    return self.colon_inside_brackets(error, opened, what);
                }
                let d = Diagnostic::error(self.path, format!("{what} is never closed"))
                    .at(self.file_text, opened)
                    .with_help(match what {
                        "this `[` list" => {
                            "add the closing `]` at the end of the list, on the same line"
                        }
                        "this `{` group" => "add the closing `}` at the end, on the same line",
                        _ => "add the closing quote at the end of the value",
                    });
                return d;
            }
        }
        let at_tab = error.location().is_some_and(|l| {
            self.yaml
                .get(l.index()..)
                .is_some_and(|rest| rest.starts_with('\t'))
        });
        if at_tab {
            message = "a tab is used for indentation here".to_string();
            help = Some(
                "YAML only allows spaces for indentation: replace the tab with spaces".to_string(),
            );
        }
        let mut position = error.location().map(|l| Position {
            line: l.line() + self.first_line - 1,
            column: l.column(),
            len: 1,
        });
        // Point at the exact key or value when we know where it is.
        let precise = match &key {
            Some(k) => self.positions().key(&join(&path, k)),
            None if !path.is_empty() => self.positions().value(&path),
            None => None,
        };
        if precise.is_some() {
            position = precise;
        }
        if message.contains("more than one document") {
            // Where the reader that parses the settings found the second document is not
            // told; when the reader that finds lines does not see one either, the start
            // of the YAML is the best place to point at.
            let (line, what) = match second_document(self.yaml) {
                Some(line) => (line, "the YAML ends on this line, and more follows that PeerPress cannot read"),
                None => (1, "these settings read as more than one block of YAML, which PeerPress cannot use"),
            };
            message = what.to_string();
            help = Some("a line of `---` or `...`, a line starting with `%`, `>` or `|`, or text after a closing `]` or `}` ends the YAML: remove it, or indent it under a value".to_string());
            position = Some(Position {
                line: line + self.first_line - 1,
                column: 1,
                len: 3,
            });
        }
        let mut d = Diagnostic::error(self.path, message);
        if let Some(p) = position {
            d = d.at(self.file_text, p);
        }
        if let Some(help) = help {
            d = d.with_help(help);
        }
        d
    }
}

impl YamlDoc<'_> {
    /// The text of a line of the file (1-based), without its line ending.
    fn file_line(&self, line: usize) -> &str {
        self.file_text
            .lines()
            .nth(line.saturating_sub(1))
            .unwrap_or_default()
    }

    /// Whether the `[` or `{` at `opened` is closed later on the same line: then the
    /// parser stopped inside it for another reason, most often a `: ` in a value.
    fn closed_on_its_line(&self, opened: Position) -> bool {
        let line = self.file_line(opened.line);
        let rest: String = line.chars().skip(opened.column.saturating_sub(1)).collect();
        let mut depth = 0i32;
        for c in rest.chars() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }

    /// A `: ` inside `{ … }` or `[ … ]` that is closed: the value needs quotes.
    fn colon_inside_brackets(
        &self,
        error: &serde_yaml::Error,
        opened: Position,
        what: &str,
    ) -> Diagnostic {
        let brackets = if what.contains('{') { "`{ }`" } else { "`[ ]`" };
        let position = error
            .location()
            .map(|l| Position {
                line: l.line() + self.first_line - 1,
                column: l.column(),
                len: 1,
            })
            .unwrap_or(opened);
        Diagnostic::error(
            self.path,
            format!("there is a `:` inside {brackets} here that YAML cannot read"),
        )
        .at(self.file_text, position)
        .with_help(format!(
            "inside {brackets}, a value that contains `: ` or `,` must be in quotes, like `notes: \"Note: ask Sam\"`"
        ))
    }
}

/// For libyaml's "…, while parsing a flow sequence at line 4 column 9": where the
/// unclosed thing opened, and what it is.
fn opening_of(full: &str, first_line: usize) -> Option<(Position, &'static str)> {
    let what = if full.contains("while parsing a flow sequence") {
        "this `[` list"
    } else if full.contains("while parsing a flow mapping") {
        "this `{` group"
    } else if full.contains("while scanning a quoted scalar") {
        "this quoted value"
    } else {
        return None;
    };
    let context = full.rsplit("while ").next()?;
    let numbers: Vec<usize> = context
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let (line, column) = (*numbers.first()?, *numbers.get(1)?);
    Some((
        Position {
            line: line + first_line - 1,
            column,
            len: 1,
        },
        what,
    ))
}

/// The line (from 1) that ends the first document with more to come: a `---` line or a
/// `%` directive after the first document's text began, a `...` line before more, or
/// else the line where yaml-rust2 finds the second document (or an error).
fn second_document(yaml: &str) -> Option<usize> {
    let mut seen_text = false;
    let mut end: Option<usize> = None;
    for (i, line) in yaml.lines().enumerate() {
        let starts_document = line == "---" || line.starts_with("--- ") || line.starts_with('%');
        let text = !line.trim().is_empty() && !line.starts_with('#');
        if let (Some(end), true) = (end, text) {
            return Some(end);
        }
        if starts_document && seen_text {
            return Some(i + 1);
        }
        if line.trim_end() == "..." {
            end = Some(i + 1);
        } else {
            seen_text |= text && !starts_document;
        }
    }
    // No line marks it: the second document follows the first on its line, as in
    // `[a, b] c`. yaml-rust2 knows where it starts, or where it stops making sense of it.
    let mut parser = yaml_rust2::parser::Parser::new_from_str(yaml);
    let mut documents = 0;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(e) => return Some(e.marker().line()),
        };
        match event {
            yaml_rust2::parser::Event::DocumentStart => {
                documents += 1;
                if documents == 2 {
                    return Some(mark.line());
                }
            }
            yaml_rust2::parser::Event::StreamEnd => return None,
            _ => {}
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Rewords serde's messages. Returns the message, the help, and the unknown key if the
/// problem is one.
fn reword(path: &str, message: &str) -> (String, Option<String>, Option<String>) {
    let place = if path.is_empty() {
        String::new()
    } else {
        format!(" in `{path}`")
    };
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let help = match closest(key, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None if known.is_empty() => "remove this key".to_string(),
            None => format!(
                "the keys allowed here are {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return (
            format!("unknown key `{key}`{place}"),
            Some(help),
            Some(key.to_string()),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        return (
            format!("`{key}` is missing{place}"),
            Some(format!("add a line `{key}: …`")),
            None,
        );
    }
    if message.starts_with("invalid type") && message.ends_with("expected a boolean") {
        let what = if path.is_empty() {
            "this".to_string()
        } else {
            format!("`{path}`")
        };
        return (
            format!("{what} must be `true` or `false`"),
            Some("write `true` or `false` (not yes/no or on/off)".to_string()),
            None,
        );
    }
    if message.contains("recursion limit exceeded") {
        return (
            "this YAML is nested too deeply".to_string(),
            Some(
                "PeerPress's files need only a few levels of indentation; check the indentation"
                    .to_string(),
            ),
            None,
        );
    }
    if message.contains("untagged enum AddressFile") {
        return (
            "an address must be one line of text, or `street`, `town`, `region`, `postcode` and `country`".to_string(),
            Some("write `address: 4 Mill Street, Riverside RV1 3CD` or `address: { street: 4 Mill Street, town: Riverside, postcode: RV1 3CD }`".to_string()),
            None,
        );
    }
    if message.contains("untagged enum QuickExitFile") {
        return (
            "`quick_exit` must be `true`, `false` or a link like `{ url: https://… }`".to_string(),
            Some("write `quick_exit: true`, or `quick_exit: { url: https://www.bbc.co.uk/weather }` to choose where it leads".to_string()),
            None,
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "something else"));
        let what = if path.is_empty() {
            "this".to_string()
        } else {
            format!("`{path}`")
        };
        let key = path.rsplit('.').next().unwrap_or(path);
        let key = key.split('[').next().unwrap_or(key);
        let key = if key.is_empty() { "key" } else { key };
        let (expected, help) = expected_in_words(expected, key);
        let found = found_in_words(found);
        let help = if path.is_empty() {
            Some("this file is made of `key: value` lines, each key at the start of its line, not of `- ` items".to_string())
        } else {
            help.or_else(|| help_for_found(&found, key))
        };
        let message = if path.is_empty() && expected == "a group of keys" {
            format!("this file should be made of `key: value` lines, but it is {found}")
        } else {
            format!("{what} should be {expected}, but it is {found}")
        };
        return (message, help, None);
    }
    if let Some(syntax) = syntax_error(message) {
        return (syntax.0, Some(syntax.1), None);
    }
    // The caret shows where; the path would only repeat it.
    let message = message.to_string();
    // Our own parse errors carry their help after a newline.
    match message.split_once("\nhelp: ") {
        Some((m, h)) => (m.to_string(), Some(h.to_string()), None),
        None => (message, None, None),
    }
}

/// What serde expected, in words a volunteer knows, with how to write it. serde's own
/// words ("sequence", "struct OnlineFile", "i64") never reach the editor.
fn expected_in_words(expected: &str, key: &str) -> (String, Option<String>) {
    let words = |e: &str, h: String| (e.to_string(), Some(h));
    match expected {
        "a sequence" => words(
            "a list, like `[first, second]`",
            format!("write `{key}: [first, second]`, or each item on its own line below, starting with `- `"),
        ),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" => words(
            "a whole number",
            format!("write the number in digits, like `{key}: 2`"),
        ),
        "f32" | "f64" => words(
            "a number",
            format!("write the number in digits, like `{key}: 51.5`"),
        ),
        "a string" | "a borrowed string" => words(
            "text",
            format!("write the text on the same line, like `{key}: Some words`, in quotes if it starts with `[`, `{{` or `-`"),
        ),
        "a map" => words(
            "a group of keys",
            format!("write `{key}: {{ first: …, second: … }}`, or each `key: value` on its own line below, indented"),
        ),
        e if e.starts_with("struct ") => words(
            "a group of keys",
            format!("write `{key}: {{ first: …, second: … }}`, or each `key: value` on its own line below, indented"),
        ),
        e => (e.to_string(), None),
    }
}

/// How to write one value where a list, a group of keys or nothing was written.
fn help_for_found(found: &str, key: &str) -> Option<String> {
    match found {
        "empty" => Some(format!("write the value after `{key}:`, on the same line")),
        "a list" => Some(format!("`[` and lines starting with `- ` make a list: write one value after `{key}:`, in quotes if it starts with `[`")),
        "a group of keys" => Some(format!("`{{` and indented `key:` lines below make a group of keys: write one value after `{key}:`, in quotes if it contains `: `")),
        _ => None,
    }
}

/// What the editor wrote, as serde's `Unexpected` names it, in plain words.
fn found_in_words(found: &str) -> String {
    let quoted = |rest: &str| rest.trim_matches('`').to_string();
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    if let Some(n) = found
        .strip_prefix("integer ")
        .or_else(|| found.strip_prefix("floating point "))
    {
        return format!("the number {}", quoted(n));
    }
    if let Some(b) = found.strip_prefix("boolean ") {
        return format!("`{}`", quoted(b));
    }
    match found {
        "unit value" => "empty".to_string(),
        "sequence" => "a list".to_string(),
        "map" => "a group of keys".to_string(),
        other => other.to_string(),
    }
}

/// libyaml's syntax errors, in plain words with a fix. `message` is the error text
/// without its position.
fn syntax_error(message: &str) -> Option<(String, String)> {
    const INDENT: &str = "check the indentation: items of a list or keys of one mapping must line up exactly, using spaces";
    let found = |m: &str, h: &str| Some((m.to_string(), h.to_string()));
    if message.contains("tab character") {
        return found(
            "a tab is used for indentation here",
            "YAML only allows spaces for indentation: replace the tab with spaces",
        );
    }
    if message.starts_with("found unexpected end of stream") {
        return found(
            "a quoted value is never closed",
            "add the closing quote (`\"` or `'`) at the end of the value",
        );
    }
    if message.starts_with("mapping values are not allowed") {
        return found(
            "there is a `:` here that YAML cannot read",
            "if the value itself contains `: `, put the whole value in quotes, like `notes: \"Note: bring a friend\"`; otherwise check the indentation",
        );
    }
    if message.starts_with("did not find expected '-' indicator")
        || message.starts_with("did not find expected key")
    {
        return found(
            "this line does not line up with the lines above it",
            "keys of one group, and the `- ` of items of one list, must start in exactly the same column: add or remove spaces at the start of the line",
        );
    }
    if let Some(rest) = message.strip_prefix("did not find expected ") {
        return Some((
            format!("the YAML is malformed here: expected {rest}"),
            INDENT.to_string(),
        ));
    }
    if message.starts_with("found character that cannot start any token") {
        return found(
            "a value starts with a character YAML reserves (such as `@`, `` ` `` or `%`)",
            "put the value in quotes",
        );
    }
    if message.starts_with("found undefined alias") || message.starts_with("unknown anchor") {
        return found(
            "`*` starts a YAML alias, and there is no anchor of that name",
            "if you meant the text, put it in quotes",
        );
    }
    if message.starts_with("found ")
        || message.starts_with("could not find expected")
        || message.starts_with("block sequence entries are not allowed")
    {
        return Some((
            format!("the YAML is malformed here: {message}"),
            INDENT.to_string(),
        ));
    }
    None
}

/// The quotes word processors put in place of `"` and `'`.
const CURLY_QUOTES: &str = "“”„‘’‚«»";

/// `text` without curly quotes around it, if it had them.
fn without_curly_quotes(text: &str) -> Option<&str> {
    let inner = text.trim().trim_matches(|c| CURLY_QUOTES.contains(c));
    (inner.len() != text.trim().len()).then_some(inner)
}

/// A value written as text in YAML and parsed by us, so that a mistake is reported at the
/// value with a message of our own. Numbers are accepted as text (`phone: 999`).
pub trait Parsed: Sized {
    /// What a correct value looks like, for "invalid type" messages.
    const EXPECTING: &'static str;
    /// Parses the text; an error is "message\nhelp: help".
    fn parse(text: &str) -> Result<Self, String>;
}

/// Deserializes any [`Parsed`] type.
pub fn deserialize_parsed<'de, D: Deserializer<'de>, T: Parsed>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<T: Parsed> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            // `time: “19:00-20:30”` from a word processor means the quoted value.
            T::parse(v)
                .or_else(|e| without_curly_quotes(v).map_or(Err(e), T::parse))
                .map_err(E::custom)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
            number(&v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            number(&v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            number(&v.to_string())
        }
    }
    // serde_yaml keeps numbers with a leading 0 (`07700900347`) as text, so a number
    // that arrives here lost nothing and can be read as the text it was written as.
    fn number<T: Parsed, E: de::Error>(text: &str) -> Result<T, E> {
        T::parse(text).map_err(E::custom)
    }
    deserializer.deserialize_any(V(PhantomData))
}

/// Implements `Deserialize` for a [`Parsed`] type.
#[macro_export]
macro_rules! deserialize_via_parsed {
    ($t:ty) => {
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::model::yaml::deserialize_parsed(d)
            }
        }
    };
}

/// A list that may also be written as one item (`cancelled: 2026-12-22`), as items
/// separated by commas without brackets (`topics: anxiety, depression`), or left empty.
/// Being lenient here is kinder than any error: each of these is what the editor meant.
/// Use with `#[serde(default, deserialize_with = "…::one_or_many")]`.
pub fn one_or_many<'de, D: Deserializer<'de>, T: de::Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    struct V<T>(PhantomData<T>);
    impl<'de, T: de::Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list, like `[first, second]`")
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            Ok(items)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
            T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|item| vec![item])
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
            v.split(',')
                .map(str::trim)
                .filter(|item| !item.is_empty())
                .map(|item| T::deserialize(de::value::StrDeserializer::<E>::new(item)))
                .collect()
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
            T::deserialize(de::value::I64Deserializer::<E>::new(v)).map(|item| vec![item])
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
            T::deserialize(de::value::U64Deserializer::<E>::new(v)).map(|item| vec![item])
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Vec<T>, E> {
            T::deserialize(de::value::F64Deserializer::<E>::new(v)).map(|item| vec![item])
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
            T::deserialize(de::value::BoolDeserializer::<E>::new(v)).map(|item| vec![item])
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
            Ok(Vec::new())
        }
    }
    deserializer.deserialize_any(V(PhantomData))
}

/// A group of keys that may also be written as the one value that matters most:
/// `online: https://…` for `online: { url: https://… }`, a phone line's number alone.
pub trait Shorthand: DeserializeOwned {
    /// What the value looks like, both ways, for the message when it is neither.
    const EXPECTING: &'static str;
    /// The value from its one-line form; an error is "message\nhelp: help".
    fn from_text(text: &str) -> Result<Self, String>;
}

/// A [`Shorthand`] value, read from either of its forms.
pub struct Short<T>(pub T);

impl<'de, T: Shorthand> de::Deserialize<'de> for Short<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Shorthand> Visitor<'de> for V<T> {
            type Value = Short<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Short<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Short)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Short<T>, E> {
                T::from_text(v).map(Short).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Short<T>, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Short<T>, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// Free text that may be written as a number or a bare word in YAML (`phone: 999`,
/// `cost: Free`), kept exactly as written.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Text(pub String);

impl Parsed for Text {
    const EXPECTING: &'static str = "some text";
    fn parse(text: &str) -> Result<Self, String> {
        Ok(Text(text.trim().to_string()))
    }
}
deserialize_via_parsed!(Text);

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Meeting {
        day: String,
        time: String,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Group {
        name: String,
        meetings: Vec<Meeting>,
    }

    #[test]
    fn unknown_key_points_at_the_key_with_a_suggestion() {
        let text = "---\nname: A\nmeetings:\n  - day: monday\n    tme: '19:00'\n---\n";
        let doc = YamlDoc::new(Path::new("groups/a.md"), text, &text[4..text.len() - 4], 2);
        let d = doc.parse::<Group>().unwrap_err();
        assert_eq!(d.message, "unknown key `tme` in `meetings[0]`");
        assert_eq!(d.help.as_deref(), Some("did you mean `time`?"));
        assert_eq!(d.position.map(|p| (p.line, p.column)), Some((5, 5)));
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Lists {
        #[serde(default, deserialize_with = "one_or_many")]
        topics: Vec<Text>,
        #[serde(default, deserialize_with = "one_or_many")]
        cancelled: Vec<crate::schedule::parse::DateValue>,
    }

    fn lists(yaml: &str) -> Lists {
        YamlDoc::whole(Path::new("a.yaml"), yaml).parse().unwrap()
    }

    fn topics(yaml: &str) -> Vec<String> {
        lists(yaml).topics.into_iter().map(|t| t.0).collect()
    }

    #[test]
    fn a_list_may_be_written_as_one_item_or_with_commas() {
        assert_eq!(topics("topics: [a, b c]"), ["a", "b c"]);
        assert_eq!(
            topics("topics: anxiety, depression"),
            ["anxiety", "depression"]
        );
        assert_eq!(topics("topics: anxiety"), ["anxiety"]);
        assert_eq!(topics("topics: 12"), ["12"]);
        assert!(topics("topics:").is_empty());
        let dates = lists("cancelled: 2026-12-22").cancelled;
        assert_eq!(dates.len(), 1);
        assert_eq!(dates[0].to_string(), "2026-12-22");
    }

    #[test]
    fn a_wrong_type_is_named_in_plain_words() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Order {
            order: i64,
        }
        let d = YamlDoc::whole(Path::new("a.yaml"), "order: primero\n")
            .parse::<Order>()
            .unwrap_err();
        assert_eq!(
            d.message,
            "`order` should be a whole number, but it is the text \"primero\""
        );
        assert_eq!(
            d.help.as_deref(),
            Some("write the number in digits, like `order: 2`")
        );
    }

    #[test]
    fn a_line_out_of_line_is_reported_before_the_key_it_hides() {
        let yaml = "name: A\nmeetings:\n  - day: monday\n   time: '19:00'\n";
        let d = YamlDoc::whole(Path::new("a.yaml"), yaml)
            .parse::<Group>()
            .unwrap_err();
        assert_eq!(
            d.message,
            "this line does not line up with the lines above it"
        );
        assert_eq!(d.position.map(|p| p.line), Some(4));
    }

    #[test]
    fn missing_key_is_named() {
        let doc = YamlDoc::whole(Path::new("a.yaml"), "meetings: []\n");
        let d = doc.parse::<Group>().unwrap_err();
        assert_eq!(d.message, "`name` is missing");
    }

    #[test]
    fn syntax_error_has_file_line() {
        let text = "---\nname: A\nmeetings:\n\t- day: x\n---\n";
        let doc = YamlDoc::new(
            Path::new("groups/a.md"),
            text,
            "name: A\nmeetings:\n\t- day: x\n",
            2,
        );
        let d = doc.parse::<Group>().unwrap_err();
        assert_eq!(d.message, "a tab is used for indentation here");
        assert_eq!(d.position.unwrap().line, 4);
        let text = "---\nname: \"A\n---\n";
        let d = YamlDoc::new(Path::new("groups/a.md"), text, "name: \"A\n", 2)
            .parse::<Group>()
            .unwrap_err();
        assert_eq!(d.message, "this quoted value is never closed");
    }
}
