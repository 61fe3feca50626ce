//! How many values a YAML document's aliases repeat, counted before serde_yaml
//! expands them.
//!
//! An alias (`*name`) stands for the whole value its anchor (`&name`) marks, so a few
//! lines can stand for billions of values ("billion laughs": each level lists the one
//! before ten times), and a list of 50,000 aliases of a 50,000-item list, 350 KB of
//! text, for 2.5 billion. serde_yaml's own guard (at most 100 alias jumps per event of
//! the document) still let such a file take minutes and gigabytes. No real site needs
//! an alias to repeat much: PeerPress refuses a document whose aliases stand for more
//! than [`MAX_REPEATED`] values in all, pointing at the alias that went past it.
//!
//! The count reads yaml-rust2's events in one pass and keeps the size of each anchored
//! value; it is not run on the many documents that have no `&` at all.

use yaml_rust2::parser::{Event, Parser};

/// How many values the aliases of one document may repeat, in all.
pub const MAX_REPEATED: u64 = 100_000;

/// The line and column (both from 1, the line counted in `yaml`) of the alias that
/// takes the document past [`MAX_REPEATED`], if one does. A document that does not
/// parse gives `None`: serde_yaml reports the syntax error itself.
pub fn too_many_repeats(yaml: &str) -> Option<(usize, usize)> {
    let bytes = yaml.as_bytes();
    if memchr::memchr(b'&', bytes).is_none() || memchr::memchr(b'*', bytes).is_none() {
        return None;
    }
    // The values each anchor stands for, by yaml-rust2's anchor number.
    let mut sizes: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    // The collections open: their anchor, and the count when they opened.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut count: u64 = 0;
    let mut repeated: u64 = 0;
    let mut parser = Parser::new_from_str(yaml);
    loop {
        let (event, mark) = parser.next_token().ok()?;
        match event {
            Event::StreamEnd => return None,
            Event::Scalar(_, _, anchor, _) => {
                count += 1;
                if anchor > 0 {
                    sizes.insert(anchor, 1);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, count));
                count += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = open.pop() {
                    if anchor > 0 {
                        sizes.insert(anchor, count - start);
                    }
                }
            }
            Event::Alias(anchor) => {
                // An alias of a value still open (itself, in effect) counts as one.
                let size = sizes.get(&anchor).copied().unwrap_or(1);
                count = count.saturating_add(size);
                repeated = repeated.saturating_add(size);
                if repeated > MAX_REPEATED {
                    return Some((mark.line(), mark.col() + 1));
                }
            }
            _ => {}
        }
    }
}

/// The line and column (both from 1) of the document's first alias, if it has one:
/// where to point when serde_yaml's own guard against aliases stops it first.
pub fn first_alias(yaml: &str) -> Option<(usize, usize)> {
    let mut parser = Parser::new_from_str(yaml);
    loop {
        match parser.next_token().ok()? {
            (Event::Alias(_), mark) => return Some((mark.line(), mark.col() + 1)),
            (Event::StreamEnd, _) => return None,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each level lists the one before ten times.
    fn laughs(levels: usize) -> String {
        let mut doc = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for level in 1..levels {
            let refs = vec![format!("*l{}", level - 1); 10].join(", ");
            doc.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        doc
    }

    #[test]
    fn ordinary_aliases_pass() {
        assert_eq!(
            too_many_repeats("a: &hall { name: Hall }\nb: *hall\nc: *hall\n"),
            None
        );
        assert_eq!(too_many_repeats("title: Q&A *new*\n"), None);
        // Four levels of laughs repeat 12,330 values: fine.
        assert_eq!(too_many_repeats(&laughs(4)), None);
        assert_eq!(too_many_repeats("a: *nowhere\nb: &b x\n"), None);
        assert_eq!(first_alias("a: &a [x]\nb: [1, *a]\n"), Some((2, 8)));
    }

    #[test]
    fn aliases_that_multiply_are_found_at_the_alias() {
        // Six levels repeat more than a million values; the fifth line goes past.
        assert_eq!(too_many_repeats(&laughs(6)).map(|(line, _)| line), Some(5));
        // A list of aliases of a long list.
        let items = vec!["x"; 1_000].join(", ");
        let aliases = vec!["*a"; 200].join(", ");
        let doc = format!("a: &a [{items}]\nb: [{aliases}]\n");
        let (line, column) = too_many_repeats(&doc).expect("too many");
        assert_eq!(line, 2);
        // The 100th alias goes past: `b: [` and 99 `*a, ` before it.
        assert_eq!(column, 5 + 99 * 4);
    }
}
