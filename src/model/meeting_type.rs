//! The kinds of meeting a visitor can look for (open, newcomers, women, wheelchair
//! access…): one list, with the words editors may write for each, the key the theme
//! translates, and the Meeting Guide code other software understands.

use serde::Serialize;

use crate::deserialize_via_parsed;
use crate::diagnostics::closest;
use crate::model::yaml::Parsed;

/// One kind of meeting. `key` is what files and translation tables use (`type_<key>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MeetingType {
    pub key: &'static str,
    /// The Meeting Guide type code, when the format has one.
    #[serde(skip)]
    pub meeting_guide: Option<&'static str>,
    #[serde(skip)]
    aliases: &'static [&'static str],
}

const fn t(
    key: &'static str,
    meeting_guide: Option<&'static str>,
    aliases: &'static [&'static str],
) -> MeetingType {
    MeetingType {
        key,
        meeting_guide,
        aliases,
    }
}

/// Every meeting type PeerPress knows, in the order they are listed to visitors.
pub const MEETING_TYPES: &[MeetingType] = &[
    t("open", Some("O"), &["open to all", "open meeting"]),
    t("closed", Some("C"), &["closed meeting", "members only"]),
    t(
        "newcomers",
        Some("BE"),
        &["newcomer", "beginners", "beginner", "new members"],
    ),
    t("women", Some("W"), &["women only", "womens", "women's"]),
    t("men", Some("M"), &["men only", "mens", "men's"]),
    t(
        "lgbtq",
        Some("LGBTQ"),
        &["lgbtq+", "lgbt", "lgbt+", "lgbtqia", "lgbtqia+", "queer"],
    ),
    t("transgender", Some("T"), &["trans"]),
    t("non-binary", Some("NB"), &["nonbinary"]),
    t(
        "people-of-colour",
        Some("POC"),
        &["people of color", "poc", "bame"],
    ),
    t(
        "young-people",
        Some("Y"),
        &["young people", "youth", "young adults"],
    ),
    t("seniors", Some("SEN"), &["older people", "older adults"]),
    t(
        "wheelchair",
        Some("X"),
        &[
            "wheelchair access",
            "wheelchair accessible",
            "step-free",
            "step free",
            "accessible",
        ],
    ),
    t(
        "hearing-loop",
        None,
        &["hearing loop", "induction loop", "loop"],
    ),
    t(
        "bsl",
        None,
        &["british sign language", "sign language", "bsl interpreted"],
    ),
    t(
        "childcare",
        Some("BA"),
        &["child care", "babysitting", "creche", "crèche"],
    ),
    t(
        "fragrance-free",
        Some("FF"),
        &["fragrance free", "scent free"],
    ),
    t("quiet", None, &["quiet space", "low sensory"]),
    t("discussion", Some("D"), &[]),
    t("speaker", Some("SP"), &[]),
    t("meditation", Some("MED"), &[]),
    t("outdoor", Some("OUT"), &["outdoors", "walk", "walking"]),
];

fn normalise(word: &str) -> String {
    word.trim().to_lowercase().replace('_', "-")
}

impl Parsed for MeetingType {
    const EXPECTING: &'static str = "a meeting type like `open` or `newcomers`";
    fn parse(text: &str) -> Result<Self, String> {
        let word = normalise(text);
        let spaced = word.replace('-', " ");
        if let Some(found) = MEETING_TYPES.iter().find(|t| {
            t.key == word
                || t.key.replace('-', " ") == spaced
                || t.aliases.contains(&word.as_str())
                || t.aliases.contains(&spaced.as_str())
        }) {
            return Ok(*found);
        }
        let keys = MEETING_TYPES.iter().map(|t| t.key);
        let help = match closest(&word, keys.clone()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!(
                "the meeting types are {}",
                keys.map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Err(format!(
            "`{text}` is not a meeting type PeerPress knows\nhelp: {help}"
        ))
    }
}
deserialize_via_parsed!(MeetingType);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_and_suggestions() {
        assert_eq!(MeetingType::parse("LGBTQ+").unwrap().key, "lgbtq");
        assert_eq!(
            MeetingType::parse("Wheelchair access").unwrap().key,
            "wheelchair"
        );
        assert_eq!(
            MeetingType::parse("young people").unwrap().key,
            "young-people"
        );
        assert!(MeetingType::parse("newcomerz")
            .unwrap_err()
            .contains("`newcomers`"));
    }

    #[test]
    fn meeting_guide_codes_are_reserved_codes() {
        let spec = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/specs/meeting-guide/types.json"
        ))
        .expect("the Meeting Guide spec is in tests/specs");
        let codes: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&spec).unwrap();
        for t in MEETING_TYPES {
            if let Some(code) = t.meeting_guide {
                assert!(
                    codes.contains_key(code),
                    "{code} is not a Meeting Guide type"
                );
            }
        }
    }
}
