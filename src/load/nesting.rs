//! A quick look at how deeply a YAML document nests its `[…]` lists and `{…}` groups,
//! before any YAML parser reads it.
//!
//! The YAML scanners under serde_yaml and yaml-rust2 take time that grows with the
//! square of the number of open brackets: 64,000 unclosed `[` take seconds, a megabyte
//! of them minutes, and one such file would hold up a build or `serve`. No real site
//! nests lists more than a few deep, so a document deeper than [`MAX_DEPTH`] is refused
//! with a message before it is parsed.
//!
//! The scan follows just enough of YAML to know which brackets a parser would read as
//! brackets: it skips quoted text (`'…'`, `"…"`), comments, plain text (`a [b` is text in
//! a value), block text (`|` and `>` and the lines under them) and tags, anchors and
//! aliases. Where it cannot be sure, it counts a bracket: a count too high only refuses a
//! file no real site has, while one too low would let a slow file through.

/// How deep `[` and `{` may nest in one YAML document.
pub const MAX_DEPTH: usize = 100;

/// The byte offset of the first bracket that opens past [`MAX_DEPTH`], if any.
pub fn too_deep(yaml: &str) -> Option<usize> {
    // Nearly every document has too few brackets in all to nest too deep: counted at
    // memchr's speed, the scan below is then not needed (it was 1.3 % of a build's
    // instructions, mostly on front matter with a `topics: [...]` list).
    memchr::memchr2_iter(b'[', b'{', yaml.as_bytes()).nth(MAX_DEPTH)?;
    let mut scan = Scan::default();
    let mut start = 0;
    for line in yaml.split_inclusive('\n') {
        if let Some(at) = scan.line(line.as_bytes()) {
            return Some(start + at);
        }
        start += line.len();
    }
    None
}

/// Where the scan is, from one line to the next.
#[derive(Default)]
struct Scan {
    /// Brackets open.
    depth: usize,
    /// The quote of the quoted text that is open, if any (it may go on for lines).
    quote: Option<u8>,
    /// While in block text (`key: |`), the column of the node it belongs to: the lines
    /// indented further (and blank lines) are its text.
    block: Option<usize>,
}

impl Scan {
    /// Scans one line; the offset in it of a bracket that opens too deep, if any.
    fn line(&mut self, line: &[u8]) -> Option<usize> {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line.iter().all(|b| b.is_ascii_whitespace());
        if let Some(column) = self.block {
            if blank || indent > column {
                return None;
            }
            self.block = None;
        }
        // A node may start at the beginning of a line, after `[`, `{` and `,`, and after
        // the indicators `- `, `? ` and `: `.
        let mut node_may_start = true;
        let mut in_plain = false;
        // The column of the current node (a key, or a `-` entry), for block text.
        let mut node_column = indent;
        let mut plain_column = indent;
        let mut at = 0;
        let ends_token = |b: Option<&u8>| b.is_none_or(|b| b.is_ascii_whitespace());
        while at < line.len() {
            let b = line[at];
            if let Some(quote) = self.quote {
                match b {
                    b'\\' if quote == b'"' => at += 1,
                    b'\'' if quote == b'\'' && line.get(at + 1) == Some(&b'\'') => at += 1,
                    _ if b == quote => self.quote = None,
                    _ => {}
                }
                at += 1;
                continue;
            }
            let after_space = at == 0 || line[at - 1] == b' ' || line[at - 1] == b'\t';
            if b == b'#' && after_space {
                break;
            }
            if b.is_ascii_whitespace() {
                at += 1;
                continue;
            }
            let in_flow = self.depth > 0;
            if in_plain {
                let ends_plain = in_flow && matches!(b, b',' | b'[' | b']' | b'{' | b'}');
                if b == b':' && (ends_token(line.get(at + 1)) || in_flow) {
                    in_plain = false;
                    node_may_start = true;
                    node_column = plain_column;
                    at += 1;
                    continue;
                }
                if !ends_plain {
                    at += 1;
                    continue;
                }
                in_plain = false;
            }
            match b {
                b'[' | b'{' => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Some(at);
                    }
                    node_may_start = true;
                }
                b']' | b'}' => {
                    self.depth = self.depth.saturating_sub(1);
                    node_may_start = false;
                }
                b',' => node_may_start = true,
                b'\'' | b'"' if node_may_start => {
                    self.quote = Some(b);
                    plain_column = at;
                    node_may_start = false;
                }
                b'-' | b'?' | b':' if ends_token(line.get(at + 1)) => {
                    if b != b':' {
                        node_column = at;
                    }
                    node_may_start = true;
                }
                b'|' | b'>' if node_may_start && !in_flow => {
                    // Block text: the rest of this line is its header, the lines under it
                    // its text.
                    self.block = Some(node_column);
                    return None;
                }
                b'&' | b'!' | b'*' if node_may_start => {
                    // An anchor, tag or alias: a token up to the next space.
                    while at < line.len() && !line[at].is_ascii_whitespace() {
                        at += 1;
                    }
                    continue;
                }
                _ => {
                    in_plain = true;
                    plain_column = at;
                    node_may_start = false;
                }
            }
            at += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_documents_pass() {
        assert_eq!(too_deep("a: [1, [2, {b: [3]}]]\n# [[[[[[\nc: '[x'\n"), None);
        let balanced = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(too_deep(&format!("a: {balanced}\nb: {balanced}\n")), None);
        // Brackets in text are text: plain, quoted, and block text.
        let text = "[".repeat(MAX_DEPTH + 1);
        for doc in [
            format!("title: Our {text} meetings\n"),
            format!("title: '{text}'\nnext: 1\n"),
            format!("title: \"{text}\"\n"),
            format!("description: |\n  {text}\n  {text}\nnext: [1]\n"),
            format!("- notes: >-\n    {text}\n- day: monday\n"),
            format!("a: b # {text}\n"),
            format!("name: Sam's group {text}\n"),
        ] {
            assert_eq!(too_deep(&doc), None, "{doc}");
        }
    }

    #[test]
    fn a_flood_of_brackets_is_found_however_it_is_dressed() {
        let open = "[".repeat(MAX_DEPTH + 1);
        assert_eq!(
            too_deep(&format!("title: {}", "[".repeat(64_000))),
            Some(7 + MAX_DEPTH)
        );
        assert!(too_deep(&format!("x: {}", "{a: ".repeat(MAX_DEPTH + 1))).is_some());
        for doc in [
            // Quoted `]` and `#` in a list do not close it or start a comment.
            format!("x: {}", "[\"]\", ".repeat(MAX_DEPTH + 1)),
            format!("x: {}", "['a #', ".repeat(MAX_DEPTH + 1)),
            format!("x: {}", "['it''s ]', ".repeat(MAX_DEPTH + 1)),
            // Block text ends where the indentation does, whatever quote it left open.
            format!("a: |\n  'open\nb: {open}"),
            format!("- key: |\n    text\n  b: {open}"),
            // Tags, anchors and aliases do not hide what follows them.
            format!("x: !!seq &a {open}"),
        ] {
            assert!(too_deep(&doc).is_some(), "{doc}");
        }
    }
}
