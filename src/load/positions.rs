//! Where each value of a YAML document sits in its file.
//!
//! serde_yaml turns YAML into our typed structs but forgets positions once it succeeds.
//! Checks that happen later (a meeting names a venue that does not exist, a cancelled
//! date is not a meeting day) still need to point at the exact line, so we walk the same
//! text once more with yaml-rust2's marked events and remember the position of every
//! value by its path, written the way serde_yaml writes paths: `meetings[1].venue`.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostics::Position;

/// Positions of keys and values in one YAML document, by path.
#[derive(Debug, Default, Clone)]
pub struct Positions {
    values: HashMap<String, Position>,
    keys: HashMap<String, Position>,
}

impl Positions {
    /// Indexes `yaml`, whose first line is line `first_line` of its file. YAML that does
    /// not parse yields an empty index: serde_yaml reports the syntax error itself.
    pub fn index(yaml: &str, first_line: usize) -> Positions {
        let mut walker = Walker {
            first_line,
            stack: Vec::new(),
            unnamed_depth: 0,
            positions: Positions::default(),
        };
        // The events are read in a loop rather than with yaml-rust2's `Parser::load`,
        // which calls itself once for each level of nesting: a mapping indented 5,000
        // levels deep overflowed the stack and aborted the whole program.
        let mut parser = Parser::new_from_str(yaml);
        loop {
            match parser.next_token() {
                Ok((Event::DocumentEnd | Event::StreamEnd, _)) => return walker.positions,
                Ok((event, mark)) => walker.on_event(event, mark),
                Err(_) => return Positions::default(),
            }
        }
    }

    /// The line where the value of the top-level `key` starts, as [`Positions::index`]
    /// would give it, found by reading lines rather than parsing the document (which
    /// costs as much as deserializing it). Only for a key written plainly at the start
    /// of a line with its value after it (`key: text`), or with a block scalar's text
    /// on the next line (`key: |`); `None` otherwise.
    pub fn top_level_value_line(yaml: &str, first_line: usize, key: &str) -> Option<usize> {
        let lines: Vec<&str> = yaml.lines().collect();
        let mut found = lines.iter().enumerate().filter_map(|(i, line)| {
            let rest = line.strip_prefix(key)?.strip_prefix(':')?;
            let value = rest.trim_start_matches([' ', '\t']);
            let spaced = rest.len() > value.len();
            (spaced && !value.is_empty() && !value.starts_with('#')).then_some((i, value))
        });
        let (at, value) = found.next()?;
        // A second such line is a duplicate key, or text that only looks like one.
        if found.next().is_some() {
            return None;
        }
        // A block scalar's value starts at its text, on the next line.
        let at = if value.starts_with(['|', '>']) {
            let next = lines.get(at + 1)?;
            if next.trim().is_empty() {
                return None;
            }
            at + 1
        } else {
            at
        };
        Some(at + first_line)
    }

    /// The position of the value at `path` (`""` is the whole document).
    pub fn value(&self, path: &str) -> Option<Position> {
        self.values.get(path).copied()
    }

    /// The position of the key at `path`, e.g. `meetings[0].tme`.
    pub fn key(&self, path: &str) -> Option<Position> {
        self.keys.get(path).copied()
    }

    /// The value's position, or failing that its key's, or the nearest enclosing value's:
    /// always somewhere useful to point.
    pub fn best(&self, path: &str) -> Option<Position> {
        let mut path = path;
        loop {
            if let Some(p) = self.value(path).or_else(|| self.key(path)) {
                return Some(p);
            }
            if path.is_empty() {
                return None;
            }
            path = parent(path);
        }
    }
}

fn parent(path: &str) -> &str {
    match path.rfind(['.', '[']) {
        Some(i) => &path[..i],
        None => "",
    }
}

enum Frame {
    Mapping {
        path: String,
        pending_key: Option<String>,
    },
    Sequence {
        path: String,
        next_index: usize,
    },
}

struct Walker {
    first_line: usize,
    stack: Vec<Frame>,
    /// Collections open below [`MAX_NAMED_DEPTH`], whose values get no path: the paths
    /// of a document nested thousands deep would take memory that grows with the square
    /// of its depth, for positions no message asks for (such a document is refused).
    unnamed_depth: usize,
    positions: Positions,
}

/// How deep the index names values; deeper than any document PeerPress accepts.
const MAX_NAMED_DEPTH: usize = 200;

impl Walker {
    fn position(&self, mark: Marker, len: usize) -> Position {
        Position {
            line: mark.line() + self.first_line - 1,
            column: mark.col() + 1,
            len,
        }
    }

    /// The path of the value that starts now, advancing the enclosing container. Returns
    /// `None` when the event is a mapping key rather than a value.
    fn next_value_path(&mut self) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Sequence { path, next_index }) => {
                let p = format!("{path}[{next_index}]");
                *next_index += 1;
                Some(p)
            }
            Some(Frame::Mapping { path, pending_key }) => pending_key.take().map(|key| {
                if path.is_empty() {
                    key
                } else {
                    format!("{path}.{key}")
                }
            }),
        }
    }
}

impl Walker {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.unnamed_depth > 0 {
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => self.unnamed_depth += 1,
                Event::MappingEnd | Event::SequenceEnd => self.unnamed_depth -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Scalar(text, style, ..) => {
                let quoted = matches!(
                    style,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                );
                let len = text.chars().count() + if quoted { 2 } else { 0 };
                let position = self.position(mark, len.max(1));
                match self.next_value_path() {
                    Some(path) => {
                        self.positions.values.insert(path, position);
                    }
                    None => {
                        if let Some(Frame::Mapping { path, pending_key }) = self.stack.last_mut() {
                            let key_path = if path.is_empty() {
                                text.clone()
                            } else {
                                format!("{path}.{text}")
                            };
                            self.positions.keys.insert(key_path, position);
                            *pending_key = Some(text);
                        }
                    }
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..)
                if self.stack.len() >= MAX_NAMED_DEPTH =>
            {
                let _ = self.next_value_path();
                self.unnamed_depth = 1;
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let position = self.position(mark, 1);
                // A collection used as a mapping key has no path we can name; give it one
                // that no lookup will ask for and carry on.
                let path = self
                    .next_value_path()
                    .unwrap_or_else(|| "\u{0}complex-key".into());
                self.positions.values.insert(path.clone(), position);
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping {
                            path,
                            pending_key: None,
                        }
                    } else {
                        Frame::Sequence {
                            path,
                            next_index: 0,
                        }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Alias(_) => {
                let _ = self.next_value_path();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_values_with_file_line_numbers() {
        let yaml =
            "name: Voices\nmeetings:\n  - day: tuesday\n    venue: 'hall'\n  - { day: monday }\n";
        let p = Positions::index(yaml, 2);
        assert_eq!(
            p.value("name"),
            Some(Position {
                line: 2,
                column: 7,
                len: 6
            })
        );
        assert_eq!(
            p.value("meetings[0].venue"),
            Some(Position {
                line: 5,
                column: 12,
                len: 6
            })
        );
        assert_eq!(p.key("meetings[0].venue").map(|p| p.column), Some(5));
        assert_eq!(
            p.value("meetings[1].day").map(|p| (p.line, p.column)),
            Some((6, 12))
        );
        assert_eq!(p.best("meetings[1].nothing").map(|p| p.line), Some(6));
    }

    #[test]
    fn a_top_level_value_line_is_the_one_the_index_gives() {
        let docs = [
            "name: A\ndescription: Plain text\n",
            "name: A\ndescription: |\n  Line one\n\n  Line two\nwebsite: x\n",
            "name: A\ndescription: >-\n  Folded\n",
            "description: \"Quoted: yes\"\nname: A\n",
            "# description: not this one\nname: A\nphones:\n  - number: 1\ndescription: 'Single'\n",
        ];
        for doc in docs {
            let indexed = Positions::index(doc, 3)
                .value("description")
                .map(|p| p.line);
            assert!(indexed.is_some(), "{doc}");
            assert_eq!(
                Positions::top_level_value_line(doc, 3, "description"),
                indexed,
                "{doc}"
            );
        }
        // Written otherwise, it is left to the index.
        for doc in [
            "{ name: A, description: In a flow }",
            "description:\n  On the next line\n",
            "\"description\": Quoted key\n",
            "description: One\ndescription: Two\n",
            "descriptions: Other key\n",
            "description: |\n\n  After a blank line\n",
            "name: A\n",
        ] {
            assert_eq!(
                Positions::top_level_value_line(doc, 1, "description"),
                None,
                "{doc}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_indexed_without_recursion() {
        // Block lists nested 50,000 deep on one line, and a mapping indented 3,000 deep:
        // each once overflowed the stack.
        let dashes = format!("a: 1\nb:\n  {}x\n", "- ".repeat(50_000));
        let p = Positions::index(&dashes, 1);
        assert_eq!(p.value("a").map(|p| p.line), Some(1));
        assert_eq!(p.value("b[0][0]").map(|p| p.column), Some(7));
        let mut indented = String::from("name: Deep\nextra:\n");
        for depth in 1..3_000 {
            indented.push_str(&format!("{}k{depth}:\n", "  ".repeat(depth)));
        }
        indented.push_str("website: x\n");
        let p = Positions::index(&indented, 1);
        assert_eq!(p.key("extra.k1.k2").map(|p| p.line), Some(4));
        assert_eq!(p.value("website").map(|p| p.line), Some(3_002));
    }

    #[test]
    fn broken_yaml_gives_no_positions() {
        assert!(Positions::index("a: [", 1).value("a").is_none());
    }
}
