//! SVG pictures are text, and PeerPress does not draw them: it removes only their
//! `<metadata>` elements, where drawing programs keep the author, the licence and other
//! RDF or XMP, and leaves the drawing as it is. Editors' own attributes (Inkscape's
//! `inkscape:export-filename`, say, which may name a folder on the author's computer)
//! are left in place; `docs/images.md` says to save drawings as "plain SVG".

/// `svg` without its `<metadata>…</metadata>` (and `<metadata/>`) elements; a file that
/// is not UTF-8 text is left as it is.
pub fn strip_metadata(svg: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(svg) else {
        return svg.to_vec();
    };
    if !text.contains("<metadata") {
        return svg.to_vec();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_element(rest) {
        out.push_str(&rest[..start]);
        let element = &rest[start..];
        let Some(open_end) = element.find('>') else {
            // An unclosed tag: the rest is left as it is.
            out.push_str(element);
            return out.into_bytes();
        };
        if element[..open_end].ends_with('/') {
            rest = &element[open_end + 1..];
            continue;
        }
        match element.find("</metadata>") {
            Some(close) => rest = &element[close + "</metadata>".len()..],
            None => {
                out.push_str(element);
                return out.into_bytes();
            }
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// Where the next `<metadata` element (not `<metadataX`) starts.
fn find_element(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("<metadata") {
        let start = from + at;
        let after = text[start + "<metadata".len()..].chars().next();
        if matches!(after, Some(c) if c.is_whitespace() || c == '>' || c == '/') {
            return Some(start);
        }
        from = start + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::strip_metadata;

    #[test]
    fn metadata_elements_go_and_the_drawing_stays() {
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><metadata id=\"m\"><rdf:RDF><cc:Work><dc:creator>Jane</dc:creator></cc:Work></rdf:RDF></metadata><circle r=\"4\"/><metadata/><metadataish/></svg>";
        let out = String::from_utf8(strip_metadata(svg.as_bytes())).unwrap();
        assert_eq!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"4\"/><metadataish/></svg>"
        );
        let plain = b"<svg><rect/></svg>";
        assert_eq!(strip_metadata(plain), plain);
        // An element never closed is left alone rather than taking the rest with it.
        let open = "<svg><metadata><x/></svg>";
        assert_eq!(strip_metadata(open.as_bytes()), open.as_bytes());
    }
}
