//! Meeting types as sources write them (Meeting Guide codes like `O`, or their names
//! like `Wheelchair Access`) turned into what a PeerPress meeting says: a built-in type,
//! a site-defined type, a language, or "temporarily closed".
//!
//! The official codes, their names and the languages' codes are the Meeting Guide
//! specification's, from `model::meeting_guide_types`; this module adds only the words
//! other software writes for them.

use crate::model::meeting_guide_types::{language_of, row, vocabulary};
use crate::model::meeting_type::{MeetingTypes, MEETING_TYPES};
use crate::model::slug::slugify;

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

/// The official code for a code or name as written.
fn code(written: &str) -> Option<String> {
    if row(written).is_some() || ATTENDANCE.contains(&written) {
        return Some(written.to_string());
    }
    let upper = written.to_uppercase();
    if (row(&upper).is_some() || ATTENDANCE.contains(&upper.as_str()))
        && written.len() <= 5
        && !written.contains(' ')
    {
        return Some(upper);
    }
    let lower = written.to_lowercase();
    if let Some((_, code)) = NAMES.iter().find(|(n, _)| *n == lower) {
        return Some((*code).to_string());
    }
    vocabulary()
        .iter()
        .find(|r| r.english().to_lowercase() == lower)
        .map(|r| r.code.to_string())
}

/// What `written` (a code or a name) means; a word no list knows becomes a site-defined
/// type named as written.
pub fn meaning(written: &str) -> Meaning {
    let written = written.trim();
    if let Some(code) = code(written) {
        return of_code(&code);
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

/// What an official code (or one of [`ATTENDANCE`]) means.
fn of_code(code: &str) -> Meaning {
    if code == "TC" {
        return Meaning::TemporarilyClosed;
    }
    if ATTENDANCE.contains(&code) {
        return Meaning::Attendance;
    }
    if let Some(t) = MEETING_TYPES.iter().find(|t| t.meeting_guide == Some(code)) {
        return Meaning::BuiltIn(t.key);
    }
    if let Some(tag) = language_of(code) {
        return Meaning::Language(tag);
    }
    let label = row(code).map_or_else(|| code.to_string(), |r| r.english().to_string());
    Meaning::Custom(CustomType {
        key: slugify(&label),
        label,
        code: Some(code.to_string()),
        official: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_the_rest() {
        assert_eq!(meaning("O"), Meaning::BuiltIn("open"));
        assert_eq!(meaning("Wheelchair Access"), Meaning::BuiltIn("wheelchair"));
        assert_eq!(meaning("wheelchair"), Meaning::BuiltIn("wheelchair"));
        assert_eq!(meaning("S"), Meaning::Language("es"));
        assert_eq!(meaning("Spanish"), Meaning::Language("es"));
        assert_eq!(meaning("TC"), Meaning::TemporarilyClosed);
        assert_eq!(meaning("ONL"), Meaning::Attendance);
        let Meaning::Custom(big_book) = meaning("B") else {
            panic!()
        };
        assert_eq!(
            (big_book.key.as_str(), big_book.label.as_str()),
            ("big-book", "Big Book")
        );
        assert_eq!(meaning("Big Book"), Meaning::Custom(big_book));
        let Meaning::Custom(own) = meaning("Knitting circle") else {
            panic!()
        };
        assert_eq!((own.key.as_str(), own.code), ("knitting-circle", None));
    }

    #[test]
    fn every_built_in_code_is_official() {
        for t in MEETING_TYPES {
            if let Some(code) = t.meeting_guide {
                assert!(row(code).is_some(), "{code}");
                assert_eq!(meaning(code), Meaning::BuiltIn(t.key));
            }
        }
    }
}
