//! A quick look at how deeply a YAML document nests its `[…]` lists and `{…}` groups,
//! before any YAML parser reads it.
//!
//! The YAML scanner under serde_yaml (and yaml-rust2's) takes time that grows with the
//! square of the number of open brackets: 64,000 unclosed `[` take seconds, a megabyte
//! of them minutes, and one such file would hold up a build or `serve`. No real site
//! nests lists more than a few deep, so a document deeper than [`MAX_DEPTH`] is refused
//! with a message before it is parsed. This is a count, not a parser: quotes are not
//! followed, so brackets inside quoted text count too (real text never opens a hundred
//! without closing them).

/// How deep `[` and `{` may nest in one YAML document.
pub const MAX_DEPTH: usize = 100;

/// The byte offset of the first bracket that opens past [`MAX_DEPTH`], if any. Comments
/// (`#` at the start of a line or after a space) are skipped.
pub fn too_deep(yaml: &str) -> Option<usize> {
    let bytes = yaml.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(at);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'#' if at == 0 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                at = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |end| at + end);
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_documents_pass_and_a_flood_of_brackets_does_not() {
        assert_eq!(too_deep("a: [1, [2, {b: [3]}]]\n# [[[[[[\nc: '[x'\n"), None);
        let balanced = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(too_deep(&format!("a: {balanced}\nb: {balanced}\n")), None);
        let flood = format!("title: {}", "[".repeat(64_000));
        assert_eq!(too_deep(&flood), Some(7 + MAX_DEPTH));
        let groups = format!("x: {}", "{a: ".repeat(MAX_DEPTH + 1));
        assert!(too_deep(&groups).is_some());
        // A `#` inside a value is text, not a comment.
        let hidden = format!("x: a#{}", "[".repeat(MAX_DEPTH + 1));
        assert!(too_deep(&hidden).is_some());
    }
}
