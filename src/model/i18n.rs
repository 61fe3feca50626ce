//! The words the theme prints, in the site's language, and dates and times formatted the
//! way that language writes them.
//!
//! Tables live in the theme's `i18n/<language>.yaml` (a site may add or override one in
//! its own `i18n/`). Each is a flat map of key → text; a key missing from a language falls
//! back to English, so a partial translation still gives a complete page.

// Errors here are diagnostics: made rarely, carried to the user, never on a hot path.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::civil::{Date, Time, Weekday};

use crate::diagnostics::{closest, Diagnostic};
use crate::load::SourceFile;
use crate::model::yaml::YamlDoc;

/// Whether times are shown as `19:00` or `7:00pm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    TwentyFour,
    Twelve,
}

impl Clock {
    /// `24h` or `12h`, as `site.yaml` writes it: pages hand it to their script, which
    /// writes the times it computes the way the pages do.
    pub fn key(self) -> &'static str {
        match self {
            Clock::TwentyFour => "24h",
            Clock::Twelve => "12h",
        }
    }
}

/// A language's table, merged over English.
#[derive(Debug, Clone)]
pub struct Translations {
    pub language: String,
    pub strings: Arc<BTreeMap<String, String>>,
    pub clock: Clock,
    /// The words dates are written with, looked up once: every meeting's next dates are
    /// written on its pages and in its feeds.
    dates: Arc<DateWords>,
}

/// The text for `key` in `strings`, or the key itself so a missing word is visible, not
/// blank.
fn word<'a>(strings: &'a BTreeMap<String, String>, key: &'a str) -> &'a str {
    strings.get(key).map_or(key, String::as_str)
}

#[derive(Debug)]
struct DateWords {
    /// Monday first.
    days: [String; 7],
    /// January first.
    months: [String; 12],
    long: Vec<Piece>,
    short: Vec<Piece>,
}

/// A part of a date pattern (`{weekday} {day} {month} {year}`), which is cut into its
/// parts once rather than searched for braces each time a date is written.
#[derive(Debug, PartialEq)]
enum Piece {
    Text(String),
    Weekday,
    Day,
    Month,
    Year,
}

/// `pattern` cut into its parts. A name in braces that is none of the four, or a brace
/// left open, is text like the rest.
fn pieces(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = pattern;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, after)) = after.split_once('}') else {
            break;
        };
        text.push_str(before);
        let piece = match name {
            "weekday" => Some(Piece::Weekday),
            "day" => Some(Piece::Day),
            "month" => Some(Piece::Month),
            "year" => Some(Piece::Year),
            _ => None,
        };
        match piece {
            Some(piece) => {
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(piece);
            }
            None => {
                text.push('{');
                text.push_str(name);
                text.push('}');
            }
        }
        rest = after;
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    pieces
}

impl DateWords {
    fn from(strings: &BTreeMap<String, String>) -> DateWords {
        let word = |key: &str| word(strings, key).to_string();
        DateWords {
            days: [
                "day_monday",
                "day_tuesday",
                "day_wednesday",
                "day_thursday",
                "day_friday",
                "day_saturday",
                "day_sunday",
            ]
            .map(word),
            months: [
                "month_1", "month_2", "month_3", "month_4", "month_5", "month_6", "month_7",
                "month_8", "month_9", "month_10", "month_11", "month_12",
            ]
            .map(word),
            long: pieces(&word("date_long")),
            short: pieces(&word("date_short")),
        }
    }
}

/// Language names as volunteers write them, in English and in the language itself,
/// with their codes.
const LANGUAGE_NAMES: &[(&str, &str)] = &[
    ("english", "en"),
    ("spanish", "es"),
    ("español", "es"),
    ("espanol", "es"),
    ("castellano", "es"),
    ("french", "fr"),
    ("français", "fr"),
    ("francais", "fr"),
    ("german", "de"),
    ("deutsch", "de"),
    ("italian", "it"),
    ("italiano", "it"),
    ("portuguese", "pt"),
    ("português", "pt"),
    ("portugues", "pt"),
    ("dutch", "nl"),
    ("nederlands", "nl"),
    ("welsh", "cy"),
    ("cymraeg", "cy"),
    ("irish", "ga"),
    ("gaeilge", "ga"),
    ("scottish gaelic", "gd"),
    ("gàidhlig", "gd"),
    ("polish", "pl"),
    ("polski", "pl"),
    ("catalan", "ca"),
    ("català", "ca"),
    ("basque", "eu"),
    ("euskara", "eu"),
    ("galician", "gl"),
    ("galego", "gl"),
    ("swedish", "sv"),
    ("svenska", "sv"),
    ("norwegian", "nb"),
    ("norsk", "nb"),
    ("danish", "da"),
    ("dansk", "da"),
    ("finnish", "fi"),
    ("suomi", "fi"),
    ("greek", "el"),
    ("turkish", "tr"),
    ("türkçe", "tr"),
    ("arabic", "ar"),
    ("urdu", "ur"),
    ("hindi", "hi"),
    ("bengali", "bn"),
    ("punjabi", "pa"),
    ("chinese", "zh"),
    ("japanese", "ja"),
    ("korean", "ko"),
    ("russian", "ru"),
    ("ukrainian", "uk"),
    ("romanian", "ro"),
    ("română", "ro"),
];

/// The code of a language written by its name (`Spanish`, `español` → `es`).
pub fn language_code(name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    LANGUAGE_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, code)| *code)
}

/// Why `language` has no table, and what to write instead: the code for a language's
/// name (`Spanish`, `español` → `es`), the language of a regional tag (`es-ES` → `es`),
/// a near spelling, or how to add a translation.
pub fn unknown_language(
    language: &str,
    tables: &BTreeMap<String, Vec<SourceFile>>,
) -> (String, String) {
    let known: Vec<&str> = tables.keys().map(String::as_str).collect();
    let wanted = language.trim().to_lowercase();
    let by_name = LANGUAGE_NAMES
        .iter()
        .find(|(name, _)| *name == wanted)
        .map(|(_, code)| *code);
    let regional = wanted
        .split(['-', '_'])
        .next()
        .filter(|primary| primary.len() < wanted.len() && known.contains(primary));
    let how_to_add = |code: &str| {
        format!(
            "the languages available are {}; to add one, copy the theme's `i18n/en.yaml` to `i18n/{code}.yaml` in your site folder and translate it",
            known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        )
    };
    let message = format!("there is no translation for the language `{language}`");
    let help = match (by_name, regional) {
        (Some(code), _) if known.contains(&code) => {
            format!("write the language's code: `language: {code}`")
        }
        (Some(code), _) => format!(
            "a language is written as its code (`{code}` for {language}); {}",
            how_to_add(code)
        ),
        (None, Some(primary)) => format!(
            "write `language: {primary}`: translations are made per language, not per region"
        ),
        (None, None) => match closest(&wanted, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => how_to_add(&wanted),
        },
    };
    (message, help)
}

impl Translations {
    /// Loads `language` from the available tables, over English.
    pub fn load(
        language: &str,
        tables: &BTreeMap<String, Vec<SourceFile>>,
        clock: Option<Clock>,
    ) -> Result<Translations, Diagnostic> {
        let parse = |files: &Vec<SourceFile>| -> Result<BTreeMap<String, String>, Diagnostic> {
            let mut merged = BTreeMap::new();
            for file in files {
                merged.extend(
                    YamlDoc::whole(&file.path, &file.text).parse::<BTreeMap<String, String>>()?,
                );
            }
            Ok(merged)
        };
        let mut strings = match tables.get("en") {
            Some(files) => parse(files)?,
            None => BTreeMap::new(),
        };
        let Some(files) = tables.get(language) else {
            let (message, help) = unknown_language(language, tables);
            return Err(Diagnostic::error("site.yaml", message).with_help(help));
        };
        strings.extend(parse(files)?);
        let clock = clock.unwrap_or(match strings.get("clock").map(String::as_str) {
            Some("12h") => Clock::Twelve,
            _ => Clock::TwentyFour,
        });
        Ok(Translations {
            language: language.to_string(),
            dates: Arc::new(DateWords::from(&strings)),
            strings: Arc::new(strings),
            clock,
        })
    }

    /// The text for `key`, or the key itself so a missing word is visible, not blank.
    pub fn get(&self, key: &str) -> String {
        self.text(key).to_string()
    }

    /// [`Translations::get`], borrowed: for text that is copied into a longer one.
    fn text<'a>(&'a self, key: &'a str) -> &'a str {
        word(&self.strings, key)
    }

    pub fn day(&self, day: Weekday) -> String {
        self.day_text(day).to_string()
    }

    fn day_text(&self, day: Weekday) -> &str {
        &self.dates.days[usize::from(day.to_monday_zero_offset().unsigned_abs())]
    }

    /// The plural form used in headings like "Mondays".
    pub fn days(&self, day: Weekday) -> String {
        self.get(&format!("days_{}", crate::schedule::parse::day_key(day)))
    }

    fn month_text(&self, month: i8) -> &str {
        usize::try_from(month - 1)
            .ok()
            .and_then(|i| self.dates.months.get(i))
            .map_or("", String::as_str)
    }

    /// `Tuesday 22 December 2026` (English), `martes, 22 de diciembre de 2026` (Spanish).
    pub fn date_long(&self, date: Date) -> String {
        self.fill(&self.dates.long, date)
    }

    /// `Tuesday 22 December`: for dates in the coming weeks.
    pub fn date_short(&self, date: Date) -> String {
        self.fill(&self.dates.short, date)
    }

    /// Writes `date` as `pattern` says (dates are written for every meeting).
    fn fill(&self, pattern: &[Piece], date: Date) -> String {
        let mut out = String::with_capacity(32);
        for piece in pattern {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Weekday => out.push_str(self.day_text(date.weekday())),
                Piece::Day => {
                    let day = date.day().unsigned_abs();
                    if day >= 10 {
                        out.push(char::from(b'0' + day / 10));
                    }
                    out.push(char::from(b'0' + day % 10));
                }
                Piece::Month => out.push_str(self.month_text(date.month())),
                Piece::Year => {
                    use std::fmt::Write as _;
                    let _ = write!(out, "{}", date.year());
                }
            }
        }
        out
    }

    /// `19:00`, or `7:00pm` on a 12-hour clock. The last second of the day, which is how
    /// a meeting ending at midnight is kept, is shown as `24:00` (`12:00am`).
    pub fn time(&self, time: Time) -> String {
        let end_of_day = (time.hour(), time.minute(), time.second()) == (23, 59, 59);
        if end_of_day {
            return match self.clock {
                Clock::TwentyFour => "24:00".to_string(),
                Clock::Twelve => format!("12:00{}", self.get("am")),
            };
        }
        match self.clock {
            Clock::TwentyFour => format!("{:02}:{:02}", time.hour(), time.minute()),
            Clock::Twelve => {
                let (hour, suffix) = match time.hour() {
                    0 => (12, "am"),
                    h @ 1..=11 => (h, "am"),
                    12 => (12, "pm"),
                    h => (h - 12, "pm"),
                };
                format!("{hour}:{:02}{}", time.minute(), self.get(suffix))
            }
        }
    }

    /// `19:00–20:30`.
    pub fn time_range(&self, start: Time, end: Time) -> String {
        format!("{}–{}", self.time(start), self.time(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};
    use std::path::PathBuf;

    fn tables() -> BTreeMap<String, Vec<SourceFile>> {
        let mut t: BTreeMap<String, Vec<SourceFile>> = BTreeMap::new();
        for file in crate::load::embedded_files(&crate::load::DEFAULT_THEME) {
            let name = file.path().to_string_lossy().to_string();
            if let Some(lang) = name
                .strip_prefix("i18n/")
                .and_then(|n| n.strip_suffix(".yaml"))
            {
                t.entry(lang.to_string()).or_default().push(SourceFile {
                    path: PathBuf::from(&name),
                    text: String::from_utf8_lossy(file.contents()).into(),
                });
            }
        }
        t
    }

    #[test]
    fn a_clock_is_named_as_site_yaml_names_it() {
        assert_eq!(Clock::TwentyFour.key(), "24h");
        assert_eq!(Clock::Twelve.key(), "12h");
    }

    #[test]
    fn every_language_translates_every_english_word() {
        let tables = tables();
        let english = Translations::load("en", &tables, None).unwrap();
        // The tables are the theme's `i18n/` folder, whatever it holds.
        for language in ["en", "es", "cy"] {
            assert!(tables.contains_key(language), "{:?}", tables.keys());
        }
        for (language, files) in &tables {
            let own: BTreeMap<String, String> = serde_yaml::from_str(&files[0].text).unwrap();
            let missing: Vec<&String> = english
                .strings
                .keys()
                .filter(|k| !own.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{language} lacks {missing:?}");
            // A misspelt key would never be shown.
            let unknown: Vec<&String> = own
                .keys()
                .filter(|k| !english.strings.contains_key(*k))
                .collect();
            assert!(
                unknown.is_empty(),
                "{language} has unknown keys {unknown:?}"
            );
        }
    }

    #[test]
    fn dates_and_times_per_language() {
        let tables = tables();
        let en = Translations::load("en", &tables, None).unwrap();
        let es = Translations::load("es", &tables, None).unwrap();
        assert_eq!(en.date_long(date(2026, 12, 22)), "Tuesday 22 December 2026");
        assert_eq!(en.date_long(date(2027, 1, 3)), "Sunday 3 January 2027");
        assert_eq!(en.date_short(date(2027, 10, 10)), "Sunday 10 October");
        assert_eq!(
            es.date_long(date(2026, 12, 22)),
            "martes, 22 de diciembre de 2026"
        );
        assert_eq!(es.time(time(19, 0, 0, 0)), "19:00");
        let cy = Translations::load("cy", &tables, None).unwrap();
        assert_eq!(cy.date_long(date(2026, 12, 7)), "dydd Llun 7 Rhagfyr 2026");
        assert_eq!(cy.date_short(date(2027, 2, 20)), "dydd Sadwrn 20 Chwefror");
        assert_eq!(cy.time(time(19, 0, 0, 0)), "19:00");
        let en12 = Translations::load("en", &tables, Some(Clock::Twelve)).unwrap();
        assert_eq!(en12.time(time(19, 5, 0, 0)), "7:05pm");
        assert_eq!(en12.time(time(0, 30, 0, 0)), "12:30am");
        assert_eq!(en.time(time(0, 0, 0, 0)), "00:00");
        assert_eq!(en.time(time(23, 59, 59, 0)), "24:00");
    }

    #[test]
    fn welsh_mutates_a_day_or_a_date_by_the_d_before_it() {
        // The Welsh table writes "ar ddydd Llun" as `ar d{date}`, which holds only while
        // every day name starts with "dydd" and every date with its day name.
        let cy = Translations::load("cy", &tables(), None).unwrap();
        for day in cy.dates.days.iter() {
            assert!(day.starts_with("dydd "), "{day}");
        }
        for pattern in ["date_long", "date_short"] {
            assert!(cy.get(pattern).starts_with("{weekday}"), "{pattern}");
        }
        let notice = cy
            .get("notice_cancelled")
            .replace("{date}", &cy.date_long(date(2026, 12, 1)));
        assert_eq!(notice, "Dim cyfarfod ar ddydd Mawrth 1 Rhagfyr 2026.");
    }

    #[test]
    fn date_patterns_are_cut_at_known_names_only() {
        use Piece::*;
        let text = |t: &str| Text(t.to_string());
        assert_eq!(
            pieces("{weekday}, {day} de {month} de {year}"),
            [
                Weekday,
                text(", "),
                Day,
                text(" de "),
                Month,
                text(" de "),
                Year
            ]
        );
        assert_eq!(pieces(""), []);
        assert_eq!(pieces("{day}{month}"), [Day, Month]);
        assert_eq!(pieces("{when} {day}"), [text("{when} "), Day]);
        assert_eq!(pieces("{day} {month"), [Day, text(" {month")]);
        assert_eq!(pieces("}{year}{"), [text("}"), Year, text("{")]);
    }

    #[test]
    fn unknown_language_is_explained() {
        let e = Translations::load("sp", &tables(), None).unwrap_err();
        assert!(e.help.unwrap().contains("`es`"));
        for written in ["spanish", "español", "es-es", "es_ES"] {
            let (_, help) = unknown_language(written, &tables());
            assert!(help.contains("`language: es`"), "{written}: {help}");
        }
        let (_, help) = unknown_language("french", &tables());
        assert!(help.contains("`i18n/fr.yaml`"), "{help}");
    }
}
