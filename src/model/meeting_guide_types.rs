//! The Meeting Guide specification's meeting types (code4recovery/spec): every code with
//! its official names, read from the table `meeting_guide_types.md` copied from the
//! specification, and the codes it gives the languages a meeting is held in.
//!
//! The one place these codes and names live: the site's Meeting Guide vocabulary and the
//! codes of its own types (`meeting_type.rs`), `meetings.json` (`render/meeting_guide.rs`)
//! and `peerpress import` (`import/types.rs`) all read them here. It says nothing about
//! PeerPress's own types, which name their codes in `meeting_type::MEETING_TYPES`.

use std::sync::OnceLock;

/// One row of the Meeting Guide table: the code and its names, in [`COLUMNS`] order.
pub struct VocabularyRow {
    pub code: &'static str,
    pub labels: Vec<&'static str>,
}

impl VocabularyRow {
    /// The official English name, which the specification's own lists use.
    pub fn english(&self) -> &'static str {
        self.labels[0]
    }

    /// The name in `language` (a column of the table), or the English one.
    pub fn label(&self, language: &str) -> &'static str {
        let column = COLUMNS.iter().position(|c| *c == language).unwrap_or(0);
        self.labels[column]
    }
}

/// The languages of the table's columns after the code.
const COLUMNS: [&str; 8] = ["en", "es", "fr", "ja", "nl", "pt", "sk", "sv"];

/// The Meeting Guide types, read once from the table copied from the specification.
pub fn vocabulary() -> &'static [VocabularyRow] {
    static ROWS: OnceLock<Vec<VocabularyRow>> = OnceLock::new();
    ROWS.get_or_init(|| {
        include_str!("meeting_guide_types.md")
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line
                    .strip_prefix("|`")?
                    .trim_end_matches('|')
                    .split('|')
                    .collect();
                let code = cells.first()?.strip_suffix('`')?;
                Some(VocabularyRow {
                    code,
                    labels: cells[1..].to_vec(),
                })
            })
            .filter(|r| r.labels.len() == COLUMNS.len())
            .collect()
    })
}

/// The row of `code`, written exactly as the specification writes it.
pub fn row(code: &str) -> Option<&'static VocabularyRow> {
    vocabulary().iter().find(|r| r.code == code)
}

/// The specification's language types (its code, then the language's BCP 47 tag), for
/// every language it has a code for. A code with several tags (`NO`: `no`, `nb`, `nn`)
/// lists first the one a meeting given the code is said to be in.
const LANGUAGES: &[(&str, &str)] = &[
    ("AF", "af"),
    ("AM", "am"),
    ("AR", "ar"),
    ("BG", "bg"),
    ("DA", "da"),
    ("DE", "de"),
    ("EL", "el"),
    ("EN", "en"),
    ("FA", "fa"),
    ("FI", "fi"),
    ("FR", "fr"),
    ("HE", "he"),
    ("HI", "hi"),
    ("HR", "hr"),
    ("HU", "hu"),
    ("IS", "is"),
    ("ITA", "it"),
    ("JA", "ja"),
    ("KA", "ka"),
    ("KOR", "ko"),
    ("LT", "lt"),
    ("ML", "ml"),
    ("MT", "mt"),
    ("NE", "ne"),
    ("NL", "nl"),
    ("NO", "no"),
    ("NO", "nb"),
    ("NO", "nn"),
    ("POL", "pl"),
    ("POR", "pt"),
    ("PUN", "pa"),
    ("RUS", "ru"),
    ("S", "es"),
    ("SK", "sk"),
    ("SL", "sl"),
    ("SV", "sv"),
    ("TH", "th"),
    ("TL", "tl"),
    ("TUR", "tr"),
    ("UK", "uk"),
];

/// The type code of the language a meeting is held in (`es` → `S`). `language` is a
/// code (`es`, `es-MX`) or a language's name (`Spanish`, `español`).
pub fn language_code(language: &str) -> Option<&'static str> {
    let lower = language.trim().to_lowercase();
    let primary = lower.split(['-', '_']).next().unwrap_or_default();
    let tag = crate::model::i18n::language_code(&lower).unwrap_or(primary);
    LANGUAGES.iter().find(|(_, t)| *t == tag).map(|(c, _)| *c)
}

/// The language (its BCP 47 tag) of a language type's code (`S` → `es`), or `None` for
/// a code that is not a language.
pub fn language_of(code: &str) -> Option<&'static str> {
    LANGUAGES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_codes() -> serde_json::Map<String, serde_json::Value> {
        let spec = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/specs/meeting-guide/types.json"
        ))
        .expect("the Meeting Guide spec is in tests/specs");
        serde_json::from_str(&spec).unwrap()
    }

    #[test]
    fn the_vocabulary_table_is_the_specifications() {
        let codes = spec_codes();
        assert_eq!(vocabulary().len(), codes.len());
        // The English names (the specification's README and its types.json differ in
        // two other names: `GR` in French, `W` in Spanish).
        for row in vocabulary() {
            assert_eq!(codes[row.code]["en"], row.english(), "{}", row.code);
        }
    }

    #[test]
    fn language_codes_are_the_specifications_language_types() {
        let codes = spec_codes();
        for (code, tag) in LANGUAGES {
            assert!(codes.contains_key(*code), "{code}");
            assert_eq!(language_of(language_code(tag).unwrap()), language_of(code));
        }
        for language in ["es", "Spanish", "es-MX", "fr", "de", "it", "pl", "pt", "en"] {
            let code = language_code(language).unwrap();
            assert!(codes.contains_key(code), "{code}");
        }
        assert_eq!(language_code("es"), Some("S"));
        assert_eq!(language_code("español"), Some("S"));
        assert_eq!(language_code("nb"), Some("NO"));
        assert_eq!(language_code("cy"), None);
        assert_eq!(language_of("S"), Some("es"));
        assert_eq!(language_of("NO"), Some("no"));
        assert_eq!(language_of("O"), None);
    }
}
