//! Source text made plain: feeds and exports often carry HTML (`<p>`, `<br>`, `&amp;`)
//! and, from a compromised or careless source, scripts. What reaches the site's files is
//! the text alone; scripts and styles are dropped with their contents.

/// The plain text of `text`, and whether any markup was removed.
pub fn plain(text: &str) -> (String, bool) {
    plain_within(text, 3)
}

/// [`plain`], again on text whose entities decoded into markup (`&lt;script&gt;`), at
/// most `depth` times.
fn plain_within(text: &str, depth: u8) -> (String, bool) {
    let trimmed = text.trim();
    if !trimmed.contains(['<', '&']) {
        return (normalise_newlines(trimmed), false);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut removed = false;
    let mut rest = trimmed;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(tag) = tag_name(tail) else {
            out.push('<');
            rest = &tail[1..];
            continue;
        };
        removed = true;
        let end = tail.find('>').map_or(tail.len(), |i| i + 1);
        let lower = tag.to_ascii_lowercase();
        if lower == "script" || lower == "style" {
            // Drop everything up to the closing tag, or to the end if it never closes.
            let close = format!("</{lower}");
            let after = tail
                .to_ascii_lowercase()
                .find(&close)
                .map_or(tail.len(), |i| {
                    i + tail[i..].find('>').map_or(tail.len() - i, |j| j + 1)
                });
            rest = &tail[after..];
            continue;
        }
        if matches!(
            lower.as_str(),
            "br" | "/p" | "/div" | "/li" | "p" | "/h1" | "/h2" | "/h3" | "tr"
        ) {
            out.push('\n');
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    let decoded = decode_entities(&out);
    removed |= decoded != out;
    let has_markup = decoded
        .match_indices('<')
        .any(|(i, _)| tag_name(&decoded[i..]).is_some());
    if has_markup && depth > 0 {
        let (again, _) = plain_within(&decoded, depth - 1);
        return (again, true);
    }
    (normalise_newlines(decoded.trim()), removed)
}

/// `p`, `/p`, `!--`: the name of the tag `text` starts with, if it is one.
fn tag_name(text: &str) -> Option<&str> {
    let body = &text[1..];
    let first = body.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '/' || first == '!') {
        return None;
    }
    let end = body
        .find(|c: char| c.is_whitespace() || c == '>' || (c == '/' && !body.starts_with('/')))
        .unwrap_or(body.len());
    Some(&body[..end])
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10);
        let decoded = end.and_then(|end| {
            let name = &tail[1..end];
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                "apos" => '\'',
                "nbsp" => ' ',
                "ndash" => '–',
                "mdash" => '—',
                "rsquo" => '’',
                "lsquo" => '‘',
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code).filter(|c| !c.is_control() || *c == '\n')?
                }
            };
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Windows line ends and runs of blank lines made plain.
fn normalise_newlines(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn markup_removed() {
        assert_eq!(plain("Ring the bell"), ("Ring the bell".into(), false));
        assert_eq!(
            plain("<p>Ring <b>the</b> bell</p><script>alert(1)</script>Tea &amp; biscuits"),
            ("Ring the bell\nTea & biscuits".into(), true)
        );
        assert_eq!(plain("a < b and c>d").0, "a < b and c>d");
        assert_eq!(plain("x<SCRIPT src=y>bad()").0, "x");
        assert_eq!(plain("&lt;script&gt;alert(1)&lt;/script&gt;ok").0, "ok");
        assert_eq!(plain("line\r\n\r\n\r\nnext").0, "line\n\nnext");
    }
}
