//! How deeply a page's elements nest, Markdown's and raw HTML's together, counted as the
//! parser's events pass, so that a page nested too deeply for the HTML cleaner is
//! refused before the cleaner sees it: html5ever (under ammonia) takes time that grows
//! with the square of the nesting, and 64,000 nested `<div>`s held a build up for
//! minutes.
//!
//! This is a count, not an HTML parser. It errs towards counting too deep, never too
//! shallow, so no input can slip past it: a closing tag closes only the innermost element
//! (after the ones HTML closes by itself, like an open `<p>`), never one further out
//! (the HTML parser may keep those open), and an element HTML ends by itself when the
//! next of its kind starts (`<li>`, `<td>`, `<tr>`, `<p>`…) is ended only within its own
//! list or table. Comments and the text of `<script>` and `<style>` are skipped.

/// How deep elements may nest (the Markdown's own around the raw HTML included) before
/// the page is refused rather than cleaned. Real pages stay under 30.
pub const MAX_DEPTH: usize = 512;

/// The nesting so far of one page.
#[derive(Default)]
pub struct Nesting {
    /// Markdown's own elements open around this point (their events always balance).
    markdown: usize,
    /// Raw HTML elements open, innermost last, by lower-case name.
    html: Vec<String>,
    /// Where the nesting first went past [`MAX_DEPTH`], as a byte offset in the page.
    too_deep_at: Option<usize>,
}

/// Elements with no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements whose end tag ends whatever is still open inside them.
const ENDS_WHAT_IS_INSIDE: &[&str] = &["table", "ul", "ol", "dl", "select"];

/// Elements HTML ends by itself when an end tag of an enclosing element comes.
const ENDED_BY_PARENT: &[&str] = &[
    "p", "li", "dt", "dd", "option", "optgroup", "rb", "rp", "rt",
];

impl Nesting {
    /// Where the nesting first went too deep, if it did.
    pub fn too_deep_at(&self) -> Option<usize> {
        self.too_deep_at
    }

    /// A Markdown element (a list, a quote, a link…) starts at `offset`.
    pub fn open_markdown(&mut self, offset: usize) {
        self.markdown += 1;
        self.check(offset);
    }

    /// A Markdown element ends.
    pub fn close_markdown(&mut self) {
        self.markdown = self.markdown.saturating_sub(1);
    }

    fn check(&mut self, offset: usize) {
        if self.markdown + self.html.len() > MAX_DEPTH && self.too_deep_at.is_none() {
            self.too_deep_at = Some(offset);
        }
    }

    /// Counts the elements a piece of raw HTML at `offset` opens and closes.
    pub fn raw_html(&mut self, html: &str, offset: usize) {
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            if let Some(comment) = rest.strip_prefix("!--") {
                rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
                continue;
            }
            let closing = rest.starts_with('/');
            let tag = rest.trim_start_matches('/');
            let name_end = tag
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(tag.len());
            if name_end == 0 || !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
                continue;
            }
            let name = tag[..name_end].to_ascii_lowercase();
            let end = tag.find('>').unwrap_or(tag.len());
            if closing {
                self.close(&name);
                continue;
            }
            if VOID.contains(&name.as_str()) || tag[..end].ends_with('/') {
                continue;
            }
            if name == "script" || name == "style" {
                // Their text is not HTML: skip to their end tag.
                let close = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                rest = lower.find(&close).map_or("", |at| &rest[at..]);
                continue;
            }
            self.end_previous_of_its_kind(&name);
            self.html.push(name);
            self.check(offset);
        }
    }

    /// An end tag: a list, table or selection ends with everything open inside it;
    /// another element is ended only if it is the innermost one, once the elements HTML
    /// ends by itself (an open `<p>`, `<li>`…) are ended.
    fn close(&mut self, name: &str) {
        if ENDS_WHAT_IS_INSIDE.contains(&name) {
            if let Some(at) = self.html.iter().rposition(|open| open == name) {
                self.html.truncate(at);
            }
            return;
        }
        while self
            .html
            .last()
            .is_some_and(|open| open != name && ENDED_BY_PARENT.contains(&open.as_str()))
        {
            self.html.pop();
        }
        if self.html.last().is_some_and(|open| open == name) {
            self.html.pop();
        }
    }

    /// A `<li>` ends the `<li>` before it in the same list, a `<td>` the cell before it
    /// in the same row, and so on: the earlier one is ended, with what is open inside it.
    fn end_previous_of_its_kind(&mut self, name: &str) {
        let (kin, scope): (&[&str], &[&str]) = match name {
            "li" => (&["li"], &["ul", "ol", "menu"]),
            "dt" | "dd" => (&["dt", "dd"], &["dl"]),
            "td" | "th" => (&["td", "th"], &["tr", "table"]),
            "tr" => (&["tr"], &["table", "tbody", "thead", "tfoot"]),
            "tbody" | "thead" | "tfoot" => (&["tbody", "thead", "tfoot"], &["table"]),
            "option" => (&["option"], &["select", "datalist", "optgroup"]),
            "p" => (
                &["p"],
                &[
                    "button", "table", "td", "th", "caption", "object", "template",
                ],
            ),
            _ => return,
        };
        for (at, open) in self.html.iter().enumerate().rev() {
            if scope.contains(&open.as_str()) {
                return;
            }
            if kin.contains(&open.as_str()) {
                self.html.truncate(at);
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth_of(html: &str) -> usize {
        let mut nesting = Nesting::default();
        nesting.raw_html(html, 0);
        nesting.html.len()
    }

    #[test]
    fn real_html_closes_what_it_opens() {
        assert_eq!(depth_of("<div><p>a<br>b<img src=x></p><hr/></div>"), 0);
        assert_eq!(
            depth_of("<details><summary>More</summary>Text</details>"),
            0
        );
        assert_eq!(depth_of("<!-- <div><div> --><span>x</span>"), 0);
        assert_eq!(depth_of("<script>if (a<b) { '<div>' }</script>"), 0);
        // A table of cells and rows left open, as HTML allows: only one row deep.
        let table = format!("<table>{}</table>", "<tr><td>a<td>b<td>c".repeat(300));
        assert_eq!(depth_of(&table), 0);
        let list = format!("<ul>{}</ul>", "<li><p>item".repeat(300));
        assert_eq!(depth_of(&list), 0);
    }

    #[test]
    fn nothing_makes_deep_nesting_look_shallow() {
        // Stray end tags do not end what they do not name.
        assert_eq!(depth_of(&"<div></b>".repeat(600)), 600);
        // An end tag does not reach past the innermost element.
        assert_eq!(depth_of(&"<b><div></b>".repeat(300)), 600);
        // A list item in a nested list does not end the outer one.
        assert_eq!(depth_of(&"<li><ul>".repeat(300)), 600);
        // A cell in a nested table does not end the outer cell.
        assert_eq!(depth_of(&"<td><table><tr>".repeat(200)), 600);
        let mut nesting = Nesting::default();
        for _ in 0..MAX_DEPTH {
            nesting.open_markdown(7);
        }
        assert_eq!(nesting.too_deep_at(), None);
        nesting.raw_html("<span>", 9);
        assert_eq!(nesting.too_deep_at(), Some(9));
    }
}
