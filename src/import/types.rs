//! Meeting types as sources write them (Meeting Guide codes like `O`, or their names
//! like `Wheelchair Access`) turned into what a PeerPress meeting says: a built-in type,
//! a site-defined type, a language, or "temporarily closed".
//!
//! The official codes and names are code4recovery/spec's `types.json` (MIT; see
//! `tests/specs/meeting-guide/`), embedded here.

use std::collections::BTreeMap;

use crate::model::meeting_type::{MeetingTypes, MEETING_TYPES};
use crate::model::slug::slugify;

const OFFICIAL: &str = include_str!("meeting_guide_types.json");

/// What one written type means for PeerPress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    BuiltIn(&'static str),
    /// A site-defined type, made from a Meeting Guide code or a name PeerPress lacks.
    Custom(CustomType),
    /// A language code: the meeting's `language`.
    Language(&'static str),
    /// `TC`: the location is temporarily closed.
    TemporarilyClosed,
    /// `ONL`, `HY`, `INP`: how to attend, which PeerPress works out from the venue and
    /// the online details.
    Attendance,
}

/// A type for `site.yaml`'s `meeting_types.custom`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CustomType {
    pub key: String,
    pub label: String,
    pub code: Option<String>,
    /// Whether the label is the official one (otherwise the source's own word).
    pub official: bool,
}

/// Meeting Guide language codes and their BCP 47 tags.
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

/// Codes for how to attend, which apps and TSML add but the spec's list does not hold.
const ATTENDANCE: &[&str] = &["ONL", "HY", "INP", "TC"];

/// Names TSML and sheets write for codes, besides the official English names.
const NAMES: &[(&str, &str)] = &[
    ("online", "ONL"),
    ("online meeting", "ONL"),
    ("hybrid", "HY"),
    ("in person", "INP"),
    ("in-person", "INP"),
    ("temporary closure", "TC"),
    ("temporarily closed", "TC"),
    ("location temporarily closed", "TC"),
    ("wheelchair accessible", "X"),
    ("beginner", "BE"),
    ("beginners", "BE"),
    ("newcomers", "BE"),
    ("babysitting", "BA"),
    ("spanish speaking", "S"),
    ("español", "S"),
];

/// The official list, read once per import.
pub struct Vocabulary {
    /// Code → English name.
    names: BTreeMap<String, String>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Self::new()
    }
}

impl Vocabulary {
    pub fn new() -> Self {
        let all: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_str(OFFICIAL).unwrap_or_default();
        let names = all
            .into_iter()
            .filter_map(|(code, labels)| labels.get("en").map(|en| (code, en.clone())))
            .collect();
        Vocabulary { names }
    }

    /// The official code for a code or name as written.
    fn code(&self, written: &str) -> Option<String> {
        if self.names.contains_key(written) || ATTENDANCE.contains(&written) {
            return Some(written.to_string());
        }
        let upper = written.to_uppercase();
        if (self.names.contains_key(&upper) || ATTENDANCE.contains(&upper.as_str()))
            && written.len() <= 5
            && !written.contains(' ')
        {
            return Some(upper);
        }
        let lower = written.to_lowercase();
        if let Some((_, code)) = NAMES.iter().find(|(n, _)| *n == lower) {
            return Some((*code).to_string());
        }
        self.names
            .iter()
            .find(|(_, name)| name.to_lowercase() == lower)
            .map(|(code, _)| code.clone())
    }

    /// What `written` (a code or a name) means, or `None` for a word no list knows, which
    /// becomes a site-defined type named as written.
    pub fn meaning(&self, written: &str) -> Meaning {
        let written = written.trim();
        if let Some(code) = self.code(written) {
            return self.of_code(&code);
        }
        // The words editors may write for a built-in type (`Open meeting`, `wheelchair`).
        static BUILT_IN: std::sync::LazyLock<MeetingTypes> =
            std::sync::LazyLock::new(MeetingTypes::default);
        if let Ok(t) = BUILT_IN.find(written) {
            if let Some(b) = MEETING_TYPES.iter().find(|b| b.key == t.key) {
                return Meaning::BuiltIn(b.key);
            }
        }
        Meaning::Custom(CustomType {
            key: slugify(written),
            label: written.to_string(),
            code: None,
            official: false,
        })
    }

    fn of_code(&self, code: &str) -> Meaning {
        if code == "TC" {
            return Meaning::TemporarilyClosed;
        }
        if ATTENDANCE.contains(&code) {
            return Meaning::Attendance;
        }
        if let Some(t) = MEETING_TYPES.iter().find(|t| t.meeting_guide == Some(code)) {
            return Meaning::BuiltIn(t.key);
        }
        if let Some((_, tag)) = LANGUAGES.iter().find(|(c, _)| *c == code) {
            return Meaning::Language(tag);
        }
        let label = self
            .names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string());
        Meaning::Custom(CustomType {
            key: slugify(&label),
            label,
            code: Some(code.to_string()),
            official: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_the_rest() {
        let v = Vocabulary::new();
        assert_eq!(v.meaning("O"), Meaning::BuiltIn("open"));
        assert_eq!(
            v.meaning("Wheelchair Access"),
            Meaning::BuiltIn("wheelchair")
        );
        assert_eq!(v.meaning("wheelchair"), Meaning::BuiltIn("wheelchair"));
        assert_eq!(v.meaning("S"), Meaning::Language("es"));
        assert_eq!(v.meaning("Spanish"), Meaning::Language("es"));
        assert_eq!(v.meaning("TC"), Meaning::TemporarilyClosed);
        assert_eq!(v.meaning("ONL"), Meaning::Attendance);
        let Meaning::Custom(big_book) = v.meaning("B") else {
            panic!()
        };
        assert_eq!(
            (big_book.key.as_str(), big_book.label.as_str()),
            ("big-book", "Big Book")
        );
        assert_eq!(v.meaning("Big Book"), Meaning::Custom(big_book));
        let Meaning::Custom(own) = v.meaning("Knitting circle") else {
            panic!()
        };
        assert_eq!((own.key.as_str(), own.code), ("knitting-circle", None));
    }

    #[test]
    fn every_built_in_code_is_official() {
        let v = Vocabulary::new();
        for t in MEETING_TYPES {
            if let Some(code) = t.meeting_guide {
                assert!(v.names.contains_key(code), "{code}");
                assert_eq!(v.meaning(code), Meaning::BuiltIn(t.key));
            }
        }
    }
}
