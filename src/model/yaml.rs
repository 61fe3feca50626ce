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
        serde_yaml::from_str(yaml).map_err(|e| self.explain(&e))
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
                || message == "a quoted value is never closed"
            {
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
            if let Some(line) = second_document(self.yaml) {
                message = "the YAML ends on this line, and more follows that PeerPress cannot read"
                    .to_string();
                help = Some("a line of `---` or `...`, a line starting with `%`, or text after a closing `]` or `}` ends the YAML: remove it, or indent it under a value".to_string());
                position = Some(Position {
                    line: line + self.first_line - 1,
                    column: 1,
                    len: 3,
                });
            }
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
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "something else"));
        let found = found
            .replace("unit value", "nothing")
            .replace("map", "a list of keys");
        let what = if path.is_empty() {
            "this".to_string()
        } else {
            format!("`{path}`")
        };
        return (
            format!("{what} should be {expected}, but it is {found}"),
            None,
            None,
        );
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
            T::parse(v).map_err(E::custom)
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
