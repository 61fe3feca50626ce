//! Pictures a page shows with its own HTML (`<img src="/photos/tea.jpg" alt="…">`) get
//! what Markdown's pictures get: their width and height, so that nothing on the page
//! moves as they arrive, and the widths they come in (`srcset`), so that a phone
//! downloads a small one. An `<img>` that gives any of `width`, `height`, `srcset` or
//! `sizes` itself keeps its own: its author chose, and a second `width` would be
//! ignored by the browser anyway.
//!
//! This reads tags, not HTML: an `<img>` is recognised only when it is whole in one
//! piece of the page's HTML (one line of a block, or one inline tag), which is how
//! people write it; anything else is passed on untouched. An address may be written
//! as for Markdown's pictures, from the page's file (`../static/photos/tea.jpg`): it is
//! then given the picture's address on the site, which a browser can find.

/// What an `<img>` of a picture of the site is given.
pub struct Sized {
    /// The attributes to add, each after a space.
    pub attributes: String,
    /// Its address on the site, when the `src` written is not it (escaped for HTML).
    pub src: Option<String>,
}

/// `html` with every `<img>` of a picture of the site given its size attributes, or
/// `None` when there is none. `size` gives, for an `<img>`'s address as written
/// (`&amp;` read as `&`), what it is given, or `None` when it is not a picture of the
/// site.
pub fn with_sizes(html: &str, size: impl Fn(&str) -> Option<Sized>) -> Option<String> {
    let mut out = String::new();
    let mut copied = 0;
    for (start, end) in img_tags(html) {
        let attributes = attributes(&html[start + "<img".len()..end]);
        let names = |name: &str| attributes.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
        let own_size = ["width", "height", "srcset", "sizes"]
            .iter()
            .any(|n| names(n));
        let Some(src) = attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("src"))
            .and_then(|(_, v)| v.as_deref())
        else {
            continue;
        };
        let Some(sized) = size(&src.replace("&amp;", "&")) else {
            continue;
        };
        if !own_size {
            let at = start + "<img".len();
            out.push_str(&html[copied..at]);
            out.push_str(&sized.attributes);
            copied = at;
        }
        if let Some(address) = sized.src {
            // (`src` is a slice of `html`.)
            let src_start = src.as_ptr() as usize - html.as_ptr() as usize;
            out.push_str(&html[copied..src_start]);
            out.push_str(&address);
            copied = src_start + src.len();
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

/// Where each whole `<img …>` tag of `html` starts (its `<`) and ends (its `>`).
fn img_tags(html: &str) -> Vec<(usize, usize)> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        at = start + 1;
        let name = bytes.get(start + 1..start + 4);
        let after = bytes.get(start + 4).copied();
        let is_img = name.is_some_and(|n| n.eq_ignore_ascii_case(b"img"))
            && after.is_some_and(|c| c.is_ascii_whitespace() || c == b'/' || c == b'>');
        if !is_img {
            continue;
        }
        // The tag ends at the first `>` outside a quoted value.
        let mut quote = None;
        let end = bytes[start..].iter().enumerate().find_map(|(i, &c)| {
            match (quote, c) {
                (None, b'"' | b'\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => return Some(start + i),
                _ => {}
            }
            None
        });
        let Some(end) = end else {
            break;
        };
        tags.push((start, end));
        at = end + 1;
    }
    tags
}

/// The attributes of a tag's inside (after its name, up to its `>`): each name and,
/// unless it stands alone, its value without its quotes.
fn attributes(inside: &str) -> Vec<(&str, Option<&str>)> {
    let mut found = Vec::new();
    let mut rest = inside;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return found;
        }
        let name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let Some(after_equals) = rest.strip_prefix('=') else {
            found.push((name, None));
            continue;
        };
        let value_start = after_equals.trim_start();
        let (value, after) = match value_start.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &value_start[1..];
                match body.find(q) {
                    Some(close) => (&body[..close], &body[close + 1..]),
                    None => (body, ""),
                }
            }
            _ => {
                let end = value_start
                    .find(|c: char| c.is_ascii_whitespace())
                    .unwrap_or(value_start.len());
                (&value_start[..end], &value_start[end..])
            }
        };
        found.push((name, Some(value)));
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sized(src: &str) -> Option<Sized> {
        let attributes = " width=\"8\" height=\"6\"".to_string();
        match src {
            "/tea.jpg" => Some(Sized {
                attributes,
                src: None,
            }),
            "../static/tea.jpg" => Some(Sized {
                attributes,
                src: Some("/tea.jpg".to_string()),
            }),
            _ => None,
        }
    }

    #[test]
    fn an_img_written_from_the_pages_file_is_given_the_pictures_address() {
        assert_eq!(
            with_sizes("<p><img alt=\"Tea\" src=\"../static/tea.jpg\"> and <img src=../static/tea.jpg></p>", sized).as_deref(),
            Some("<p><img width=\"8\" height=\"6\" alt=\"Tea\" src=\"/tea.jpg\"> and <img width=\"8\" height=\"6\" src=/tea.jpg></p>")
        );
        // One that gives its own size keeps it, and still gets the address.
        assert_eq!(
            with_sizes("<img width=\"100\" src=\"../static/tea.jpg\">", sized).as_deref(),
            Some("<img width=\"100\" src=\"/tea.jpg\">")
        );
    }

    #[test]
    fn an_img_of_a_site_picture_is_given_its_size() {
        assert_eq!(
            with_sizes("<p>Tea: <IMG alt='a > b' src=\"/tea.jpg\"/></p>", sized).as_deref(),
            Some("<p>Tea: <IMG width=\"8\" height=\"6\" alt='a > b' src=\"/tea.jpg\"/></p>")
        );
        assert_eq!(
            with_sizes("<img src=/tea.jpg alt=Tea><img src=\"/tea.jpg\">", sized).as_deref(),
            Some("<img width=\"8\" height=\"6\" src=/tea.jpg alt=Tea><img width=\"8\" height=\"6\" src=\"/tea.jpg\">")
        );
    }

    #[test]
    fn an_img_that_gives_its_own_size_or_is_not_a_site_picture_is_left_alone() {
        for html in [
            "<img src=\"/tea.jpg\" width=\"100\">",
            "<img src=\"/tea.jpg\" SrcSet=\"/a.jpg 1x\">",
            "<img src=\"/other.jpg\">",
            "<img alt=\"no address\">",
            "<imgx src=\"/tea.jpg\">",
            "<img src=\"/tea.jpg\"",
            "<p>no picture</p>",
        ] {
            assert_eq!(with_sizes(html, sized), None, "{html}");
        }
    }

    #[test]
    fn attributes_are_read_with_and_without_quotes() {
        assert_eq!(
            attributes(" src = \"/a b.jpg\" alt='say \"hi\"' hidden data-x=1 /"),
            vec![
                ("src", Some("/a b.jpg")),
                ("alt", Some("say \"hi\"")),
                ("hidden", None),
                ("data-x", Some("1")),
            ]
        );
    }
}
