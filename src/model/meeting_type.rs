//! The kinds of meeting a visitor can look for (open, newcomers, women, wheelchair
//! access…): the built-in list, with the words editors may write for each, the key the
//! theme translates, and the Meeting Guide code other software understands; the types a
//! site adds in `site.yaml` (`meeting_types: custom:`); and, when the site asks for it
//! (`meeting_types: vocabulary: meeting-guide`), every type of the Meeting Guide
//! specification with its official names (`meeting_guide_types.rs`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{closest, Diagnostic};
use crate::model::i18n::Translations;
use crate::model::meeting_guide_types::{row as vocabulary_row, vocabulary};
use crate::model::slug::slugify;
use crate::model::yaml::{Text, YamlDoc};

/// A built-in kind of meeting. `key` is what files and translation tables use
/// (`type_<key>`, and `type_<key>_help` for the legend).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    pub key: &'static str,
    /// The Meeting Guide type code, when the format has one.
    pub meeting_guide: Option<&'static str>,
    aliases: &'static [&'static str],
}

const fn t(
    key: &'static str,
    meeting_guide: Option<&'static str>,
    aliases: &'static [&'static str],
) -> BuiltIn {
    BuiltIn {
        key,
        meeting_guide,
        aliases,
    }
}

/// Every meeting type PeerPress knows without being told, in the order they are listed
/// to visitors.
pub const MEETING_TYPES: &[BuiltIn] = &[
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

/// Where a meeting type comes from, which says where its words are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// [`MEETING_TYPES`]: its label and legend text are in the translation tables.
    BuiltIn,
    /// `meeting_types: custom:` in `site.yaml`.
    Custom,
    /// The Meeting Guide vocabulary, with its official names.
    Vocabulary,
}

/// One kind of meeting a site knows, whichever its origin.
#[derive(Debug)]
pub struct TypeDef {
    /// What group files write and pages use (`data-types`, `type_<key>`).
    pub key: String,
    /// The Meeting Guide type code, when it has one.
    pub meeting_guide: Option<String>,
    pub origin: Origin,
    /// The name shown, in the site's language; `None` for a built-in type, whose
    /// name is the translation `type_<key>`.
    label: Option<String>,
    /// The legend's explanation; for a built-in type, the translation `type_<key>_help`.
    description: Option<String>,
    /// Other words editors may write for it, normalised.
    aliases: Vec<String>,
}

/// A meeting type as a meeting holds it: cheap to copy, and read like its [`TypeDef`].
#[derive(Debug, Clone)]
pub struct MeetingType(Arc<TypeDef>);

impl std::ops::Deref for MeetingType {
    type Target = TypeDef;
    fn deref(&self) -> &TypeDef {
        &self.0
    }
}

impl PartialEq for MeetingType {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for MeetingType {}

impl TypeDef {
    /// The name visitors see, in the site's language.
    pub fn label(&self, t: &Translations) -> String {
        match &self.label {
            Some(label) => label.clone(),
            None => t.get(&format!("type_{}", self.key)),
        }
    }

    /// What the legend says about it, if anything.
    pub fn description(&self, t: &Translations) -> Option<String> {
        match (&self.description, self.origin) {
            (Some(d), _) => Some(d.clone()),
            (None, Origin::BuiltIn) => Some(t.get(&format!("type_{}_help", self.key))),
            (None, _) => None,
        }
    }

    fn answers_to(&self, word: &str, spaced: &str) -> bool {
        self.key == word
            || self.key.replace('-', " ") == spaced
            || self.aliases.iter().any(|a| a == word || a == spaced)
    }
}

fn normalise(word: &str) -> String {
    word.trim().to_lowercase().replace('_', "-")
}

/// Every meeting type a site knows: built-in, its own, and the vocabulary it opted into,
/// in the order they are listed to visitors.
#[derive(Debug, Clone)]
pub struct MeetingTypes {
    types: Vec<MeetingType>,
}

impl Default for MeetingTypes {
    fn default() -> Self {
        MeetingTypes {
            types: built_in_defs()
                .into_iter()
                .map(|d| MeetingType(Arc::new(d)))
                .collect(),
        }
    }
}

fn built_in_defs() -> Vec<TypeDef> {
    MEETING_TYPES
        .iter()
        .map(|b| TypeDef {
            key: b.key.to_string(),
            meeting_guide: b.meeting_guide.map(String::from),
            origin: Origin::BuiltIn,
            label: None,
            description: None,
            aliases: b.aliases.iter().map(|a| a.to_string()).collect(),
        })
        .collect()
}

impl MeetingTypes {
    /// Every type, in the order they are listed to visitors.
    pub fn all(&self) -> &[MeetingType] {
        &self.types
    }

    /// The type an editor means by `text`, or why there is none, with a suggestion
    /// drawn from every type the site knows (`message\nhelp: …`).
    pub fn find(&self, text: &str) -> Result<MeetingType, String> {
        let word = normalise(text);
        let spaced = word.replace('-', " ");
        if let Some(found) = self.types.iter().find(|t| t.answers_to(&word, &spaced)) {
            return Ok(found.clone());
        }
        let keys = self.types.iter().map(|t| t.key.as_str());
        let vocabulary = self.types.iter().any(|t| t.origin == Origin::Vocabulary);
        let help = match closest(&word, keys.clone()) {
            Some(k) => format!("did you mean `{k}`?"),
            None if vocabulary => "write one of the types in the field guide, or a Meeting Guide type by its code or name, like `B` or `Big Book`".to_string(),
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

/// `meeting_types:` in `site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "meeting types, with `custom:` or `vocabulary:` on the lines below it")]
pub struct MeetingTypesFile {
    vocabulary: Option<Text>,
    #[serde(default)]
    custom: BTreeMap<String, CustomTypeFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a meeting type like `{ label: Big Book, code: B }`")]
struct CustomTypeFile {
    label: Localised,
    code: Option<Text>,
    description: Option<Localised>,
}

/// One text for every language, or one per language (`{ en: Big Book, es: Libro Grande }`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
#[serde(expecting = "a text, or one per language like `{ en: Big Book, es: Libro Grande }`")]
enum Localised {
    One(Text),
    PerLanguage(BTreeMap<String, Text>),
}

/// The name of the one vocabulary PeerPress has.
pub const VOCABULARY: &str = "meeting-guide";

impl MeetingTypesFile {
    /// The site's meeting types; each problem is pushed to `problems`, pointing at its
    /// line of `site.yaml` (`doc`).
    pub fn check(
        self,
        language: &str,
        doc: &YamlDoc,
        problems: &mut Vec<Diagnostic>,
    ) -> MeetingTypes {
        let mut defs = built_in_defs();
        let vocabulary = match self.vocabulary.as_ref().map(|v| normalise(&v.0)) {
            None => false,
            Some(v) if v == VOCABULARY || v == "meeting guide" => true,
            Some(v) => {
                problems.push(
                    doc.error_at(
                        "meeting_types.vocabulary",
                        format!("`{v}` is not a vocabulary of meeting types PeerPress knows"),
                    )
                    .with_help(format!(
                        "write `vocabulary: {VOCABULARY}` for every Meeting Guide type, or remove the line"
                    )),
                );
                false
            }
        };
        for (key, file) in self.custom {
            let path = format!("meeting_types.custom.{key}");
            if let Some(def) = check_custom(&key, file, &path, language, &defs, doc, problems) {
                defs.push(def);
            }
        }
        if vocabulary {
            add_vocabulary(&mut defs, language);
        }
        MeetingTypes {
            types: defs.into_iter().map(|d| MeetingType(Arc::new(d))).collect(),
        }
    }
}

fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

fn check_custom(
    key: &str,
    file: CustomTypeFile,
    path: &str,
    language: &str,
    known: &[TypeDef],
    doc: &YamlDoc,
    problems: &mut Vec<Diagnostic>,
) -> Option<TypeDef> {
    let before = problems.len();
    if !is_key(key) {
        let suggestion = slugify(key);
        let help = if suggestion.is_empty() {
            "write lowercase letters, digits and hyphens, like `big-book`".to_string()
        } else {
            format!("write lowercase letters, digits and hyphens: `{suggestion}`")
        };
        problems.push(
            doc.error_at_key(path, format!("`{key}` cannot be a meeting type's key"))
                .with_help(help),
        );
    }
    let word = normalise(key);
    let spaced = word.replace('-', " ");
    if let Some(clash) = known.iter().find(|t| t.answers_to(&word, &spaced)) {
        let what = match clash.origin {
            Origin::BuiltIn => "a built-in meeting type",
            _ => "another meeting type of this site",
        };
        let message = if clash.key == key {
            format!("`{key}` is already {what}")
        } else {
            format!("`{key}` is already a word for {what}, `{}`", clash.key)
        };
        problems.push(doc.error_at_key(path, message).with_help(format!(
            "write `{}` in meetings' `types:` and remove this one, or give it another key",
            clash.key
        )));
    }
    let label = localised(
        file.label,
        &format!("{path}.label"),
        language,
        doc,
        problems,
    );
    let description = file
        .description
        .and_then(|d| localised(d, &format!("{path}.description"), language, doc, problems));
    let code = file.code.map(|c| c.0);
    if let Some(code) = &code {
        check_code(code, &format!("{path}.code"), known, doc, problems);
    }
    if problems.len() > before {
        return None;
    }
    let label = label?;
    let mut aliases = vec![normalise(&label)];
    if let Some(row) = code.as_deref().and_then(vocabulary_row) {
        aliases.extend(row.labels.iter().map(|l| normalise(l)));
    }
    Some(TypeDef {
        key: key.to_string(),
        meeting_guide: code,
        origin: Origin::Custom,
        label: Some(label),
        description,
        aliases,
    })
}

/// A custom type's code must be a Meeting Guide code no other type has: apps ignore
/// other codes, and the specification asks not to invent any.
fn check_code(
    code: &str,
    path: &str,
    known: &[TypeDef],
    doc: &YamlDoc,
    problems: &mut Vec<Diagnostic>,
) {
    if vocabulary_row(code).is_none() {
        let codes = vocabulary().iter().map(|r| r.code);
        let exact_but_case = vocabulary()
            .iter()
            .find(|r| r.code.eq_ignore_ascii_case(code))
            .map(|r| r.code);
        let help = match exact_but_case.or_else(|| closest(code, codes)) {
            Some(c) => format!(
                "did you mean `{c}` ({})? A code must be one of the Meeting Guide codes, written as the specification writes it; leave `code:` out if none fits",
                vocabulary_row(c).map_or("", |r| r.english())
            ),
            None => "a code must be one of the Meeting Guide codes (https://github.com/code4recovery/spec#meeting-types), like `B` for Big Book; leave `code:` out if none fits".to_string(),
        };
        problems.push(
            doc.error_at(
                path,
                format!("`{code}` is not a Meeting Guide meeting type code"),
            )
            .with_help(help),
        );
        return;
    }
    if let Some(other) = known
        .iter()
        .find(|t| t.meeting_guide.as_deref() == Some(code))
    {
        problems.push(
            doc.error_at(
                path,
                format!(
                    "the code `{code}` is already the code of the meeting type `{}`",
                    other.key
                ),
            )
            .with_help(format!(
                "write `{}` in meetings' `types:` instead, or leave `code:` out",
                other.key
            )),
        );
    }
}

/// The text of `value` in the site's `language`.
fn localised(
    value: Localised,
    path: &str,
    language: &str,
    doc: &YamlDoc,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let text = match value {
        Localised::One(text) => text.0,
        Localised::PerLanguage(map) => {
            match map.get(language) {
                Some(text) => text.0.clone(),
                None => {
                    let given = map
                        .keys()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    problems.push(
                    doc.error_at(path, format!("there is no text in `{language}`, the site's language (only {given})"))
                        .with_help(format!("add `{language}: …`, or write one text for every language")),
                );
                    return None;
                }
            }
        }
    };
    if text.trim().is_empty() {
        problems.push(
            doc.error_at(path, "this text is empty")
                .with_help("write the words visitors see"),
        );
        return None;
    }
    Some(text.trim().to_string())
}

/// Adds every Meeting Guide type no type of the site has the code or key of; the names
/// of those it has become other words for them.
fn add_vocabulary(defs: &mut Vec<TypeDef>, language: &str) {
    for row in vocabulary() {
        let names = [row.english(), row.label(language)];
        if let Some(existing) = defs
            .iter_mut()
            .find(|d| d.meeting_guide.as_deref() == Some(row.code))
        {
            for name in [row.code, names[0], names[1]] {
                let word = normalise(name);
                if !existing.aliases.contains(&word) {
                    existing.aliases.push(word);
                }
            }
            continue;
        }
        let key = slugify(row.english());
        if defs.iter().any(|d| d.key == key) {
            continue;
        }
        let mut aliases: Vec<String> = vec![row.code.to_lowercase()];
        aliases.extend(names.iter().map(|n| normalise(n)));
        aliases.dedup();
        defs.push(TypeDef {
            key,
            meeting_guide: Some(row.code.to_string()),
            origin: Origin::Vocabulary,
            label: Some(row.label(language).to_string()),
            description: None,
            aliases,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(yaml: &str, language: &str) -> (MeetingTypes, Vec<Diagnostic>) {
        let path = std::path::Path::new("site.yaml");
        let doc = YamlDoc::whole(path, yaml);
        let file: MeetingTypesFile = doc.parse().unwrap();
        let mut problems = Vec::new();
        let types = file.check(language, &doc, &mut problems);
        (types, problems)
    }

    #[test]
    fn aliases_and_suggestions() {
        let types = MeetingTypes::default();
        assert_eq!(types.find("LGBTQ+").unwrap().key, "lgbtq");
        assert_eq!(types.find("Wheelchair access").unwrap().key, "wheelchair");
        assert_eq!(types.find("young people").unwrap().key, "young-people");
        assert!(types.find("newcomerz").unwrap_err().contains("`newcomers`"));
    }

    #[test]
    fn meeting_guide_codes_are_reserved_codes() {
        // The table is the specification's (checked in `meeting_guide_types`).
        for t in MEETING_TYPES {
            if let Some(code) = t.meeting_guide {
                assert!(
                    vocabulary_row(code).is_some(),
                    "{code} is not a Meeting Guide type"
                );
            }
        }
    }

    #[test]
    fn custom_types_have_their_labels_codes_and_words() {
        let (types, problems) = site(
            "custom:\n  big-book:\n    label: { en: Big Book, es: Libro Grande }\n    code: B\n    description: Reading from the Big Book\n  step-study:\n    label: Step study\n",
            "es",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let big = types.find("Libro Grande").unwrap();
        assert_eq!(big.key, "big-book");
        assert_eq!(big.meeting_guide.as_deref(), Some("B"));
        assert_eq!(big.label.as_deref(), Some("Libro Grande"));
        assert_eq!(types.find("step study").unwrap().key, "step-study");
        assert!(types.find("bigbook").unwrap_err().contains("`big-book`"));
        // Without the vocabulary, its other types are unknown.
        assert!(types.find("Grapevine").is_err());
    }

    #[test]
    fn the_vocabulary_adds_every_meeting_guide_type_once() {
        let (types, problems) = site("vocabulary: meeting-guide\n", "es");
        assert!(problems.is_empty());
        let grapevine = types.find("GR").unwrap();
        assert_eq!(grapevine.key, "grapevine");
        assert_eq!(grapevine.label.as_deref(), Some("La Viña"));
        // A code a built-in type has stays the built-in type, by its official names too.
        assert_eq!(
            types.find("Babysitting Available").unwrap().key,
            "childcare"
        );
        assert_eq!(types.find("BE").unwrap().key, "newcomers");
        let mut codes: Vec<&str> = types
            .all()
            .iter()
            .filter_map(|t| t.meeting_guide.as_deref())
            .collect();
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), count, "a code is given to two types");
        assert_eq!(count, vocabulary().len());
    }

    #[test]
    fn bad_custom_types_are_explained() {
        let (_, problems) = site(
            "vocabulary: aa\ncustom:\n  open:\n    label: Open\n  Big Book:\n    label: Big Book\n    code: BB\n  walk-talk:\n    label: Walk and talk\n    code: OUT\n",
            "en",
        );
        let messages: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`aa` is not a vocabulary")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`open` is already a built-in")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("`Big Book` cannot be")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`BB` is not a Meeting Guide")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("already the code of the meeting type `outdoor`")),
            "{messages:?}"
        );
    }
}
