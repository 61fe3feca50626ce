//! Checks of a page's Markdown that help people who use a screen reader or skim a page
//! by its headings and links: headings that skip a level, and links whose text says
//! nothing out of context ("click here", "aquí", a bare address). They are warnings:
//! the page is still built, and `check --strict` makes them errors.

use std::path::Path;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostics::Diagnostic;

/// What the checks remember while a page's events stream by.
#[derive(Default)]
pub struct Lint {
    /// The level of the last heading (the page's title, level 1, before the first).
    last_heading: Option<u8>,
    /// The link being read: where it starts, its address, and its text so far.
    link: Option<(usize, String, String)>,
}

/// Link texts that say nothing about where a link goes, in the languages of the theme
/// (English and Spanish), compared in lower case without the punctuation around them.
const VAGUE_LINK_TEXTS: &[&str] = &[
    "here",
    "click here",
    "click",
    "click this",
    "this link",
    "link",
    "this",
    "aquí",
    "aqui",
    "haga clic aquí",
    "haga clic aqui",
    "haz clic aquí",
    "haz clic aqui",
    "clic aquí",
    "clic aqui",
    "pulse aquí",
    "pulsa aquí",
    "este enlace",
    "enlace",
];

impl Lint {
    /// Checks a heading of `level` against the one before it: one level deeper at most,
    /// since the page's title is a level 1 heading.
    pub fn heading(&mut self, level: u8, file: &Path) -> Option<Diagnostic> {
        let previous = self.last_heading.replace(level).unwrap_or(1);
        if level <= previous + 1 {
            return None;
        }
        let hashes = |n: u8| "#".repeat(usize::from(n));
        let message = format!("this heading skips from level {previous} to level {level}");
        let help = format!(
            "people who find their way round a page by its headings miss a level here: make it `{} …` (or add a `{} …` heading above it); choose headings by their place in the page, not by their size",
            hashes(previous + 1),
            hashes(previous + 1)
        );
        Some(Diagnostic::warning(file, message).with_help(help))
    }

    /// Reads a link's text as it streams by; at its end, a warning (and where the link
    /// starts) if the text says nothing out of context.
    pub fn link_text(
        &mut self,
        event: &Event,
        offset: usize,
        file: &Path,
    ) -> Option<(usize, Diagnostic)> {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                self.link = Some((offset, dest_url.to_string(), String::new()));
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, link_text)) = &mut self.link {
                    link_text.push_str(text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, link_text)) = &mut self.link {
                    link_text.push(' ');
                }
            }
            // A link around an image is named by the image's alt text, checked there.
            Event::Start(Tag::Image { .. }) => {
                if let Some((_, _, link_text)) = &mut self.link {
                    link_text.push_str("image");
                }
            }
            Event::End(TagEnd::Link) => {
                let (start, _, text) = self.link.take()?;
                return vague_link(&text, file).map(|d| (start, d));
            }
            _ => {}
        }
        None
    }
}

fn vague_link(text: &str, file: &Path) -> Option<Diagnostic> {
    let trimmed = text.trim();
    let lower = trimmed
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '¡' || c == '¿')
        .to_lowercase();
    let lower = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    let is_address = ["http://", "https://", "www."]
        .iter()
        .any(|p| lower.starts_with(p));
    let message = if is_address {
        format!(
            "this link's text is its address, `{}`",
            super::truncate(trimmed)
        )
    } else if VAGUE_LINK_TEXTS.contains(&lower.as_str()) {
        format!("this link's text, \"{trimmed}\", does not say where it goes")
    } else {
        return None;
    };
    Some(Diagnostic::warning(file, message).with_help(
        "write what the visitor will find as the link's text, like `[our meeting times](groups/index.md)`: screen readers list a page's links by their text alone, and an address is read out letter by letter",
    ))
}

/// Whether `alt` is nothing but the name of the file `url` points at (`IMG_0042.jpg`,
/// or `IMG_0042` without its ending).
pub fn is_file_name_of(alt: &str, url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
    if name.is_empty() {
        return false;
    }
    let stem = name.rsplit_once('.').map_or(&*name, |(stem, _)| stem);
    alt.eq_ignore_ascii_case(&name) || alt.eq_ignore_ascii_case(stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_link_texts_in_both_languages() {
        let file = Path::new("content/a.md");
        for text in [
            "here",
            "Click here!",
            "aquí",
            "Haga clic aquí.",
            "https://example.org/x",
            "www.example.org",
        ] {
            assert!(vague_link(text, file).is_some(), "{text}");
        }
        for text in [
            "our meeting times",
            "Samaritans",
            "where we meet (here)",
            "hereford",
        ] {
            assert!(vague_link(text, file).is_none(), "{text}");
        }
    }

    #[test]
    fn headings_may_go_one_level_deeper_at_a_time() {
        let file = Path::new("content/a.md");
        let mut lint = Lint::default();
        assert!(lint.heading(2, file).is_none());
        assert!(lint.heading(3, file).is_none());
        assert!(lint.heading(2, file).is_none());
        assert!(lint.heading(4, file).is_some());
        assert!(lint.heading(2, file).is_none());
        let mut lint = Lint::default();
        assert!(
            lint.heading(3, file).is_some(),
            "the page's title is level 1"
        );
    }

    #[test]
    fn alt_text_that_is_the_file_name() {
        assert!(is_file_name_of("IMG_0042.jpg", "/photos/IMG_0042.jpg"));
        assert!(is_file_name_of("img_0042", "/photos/IMG_0042.jpg?x=1"));
        assert!(is_file_name_of("my photo", "my%20photo.png"));
        assert!(!is_file_name_of("Our garden in May", "/photos/garden.jpg"));
    }
}
