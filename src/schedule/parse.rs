//! The words volunteers write for schedules (`tuesday`, `19:00-20:30`, `2 weeks`,
//! `last`, `Europe/London`, `2026-12-22`), parsed with messages that say how to fix them.

use std::fmt;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, ToSpan};

use crate::deserialize_via_parsed;
use crate::diagnostics::closest;
use crate::model::yaml::Parsed;

pub const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A day of the week as written in a meeting (`day: tuesday`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub Weekday);

impl Parsed for Day {
    const EXPECTING: &'static str = "a day of the week, like `tuesday`";
    fn parse(text: &str) -> Result<Self, String> {
        let word = text.trim().to_lowercase();
        for (i, name) in DAY_NAMES.iter().enumerate() {
            if word == *name || (word.len() >= 3 && name.starts_with(&word) && word.len() <= 4) {
                return Ok(Day(
                    Weekday::from_monday_one_offset(i as i8 + 1).unwrap_or(Weekday::Monday)
                ));
            }
        }
        let help = match closest(&word, DAY_NAMES) {
            Some(d) => format!("did you mean `{d}`?"),
            None => {
                "write one of monday, tuesday, wednesday, thursday, friday, saturday, sunday".into()
            }
        };
        Err(format!("`{text}` is not a day of the week\nhelp: {help}"))
    }
}
deserialize_via_parsed!(Day);

/// The lower-case English name of a weekday, as used in files and URLs.
pub fn day_key(day: Weekday) -> &'static str {
    DAY_NAMES[day.to_monday_zero_offset() as usize]
}

/// A meeting's start and end, local wall-clock time (`19:00-20:30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    pub start: Time,
    pub end: Time,
}

impl TimeRange {
    pub fn parse_text(text: &str) -> Result<Self, String> {
        <Self as Parsed>::parse(text)
    }

    pub fn length(&self) -> Span {
        let minutes = |t: Time| i64::from(t.hour()) * 60 + i64::from(t.minute());
        (minutes(self.end) - minutes(self.start)).minutes()
    }
}

const TIME_HELP: &str = "write the start and end in 24-hour time, like `19:00-20:30`";

fn parse_clock(text: &str, whole: &str) -> Result<Time, String> {
    let text = text.trim();
    let (h, m) = text.split_once([':', '.']).unwrap_or((text, "00"));
    let bad = || format!("`{whole}` is not a time range\nhelp: {TIME_HELP}");
    if h.is_empty()
        || h.len() > 2
        || m.len() != 2
        || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if h > 23 && !(h == 24 && m == 0) {
        return Err(format!(
            "`{text}` is not a time of day: hours go from 00 to 23\nhelp: {TIME_HELP}"
        ));
    }
    if m > 59 {
        return Err(format!(
            "`{text}` is not a time of day: minutes go from 00 to 59\nhelp: {TIME_HELP}"
        ));
    }
    if h == 24 {
        // Midnight at the end of the day: the last second of it, shown as `24:00`.
        return Ok(Time::new(23, 59, 59, 0).unwrap_or(Time::MAX));
    }
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

impl Parsed for TimeRange {
    const EXPECTING: &'static str = "a time range like `19:00-20:30`";
    fn parse(text: &str) -> Result<Self, String> {
        let Some((start, end)) = text.split_once(['-', '–', '—']) else {
            return Err(format!("`{text}` needs an end time too\nhelp: {TIME_HELP}"));
        };
        let start = parse_clock(start, text)?;
        let end = parse_clock(end, text)?;
        if end <= start {
            return Err(format!(
                "the meeting ends before it starts (`{text}`)\nhelp: {TIME_HELP}; a meeting that runs past midnight should end at `24:00`"
            ));
        }
        Ok(TimeRange { start, end })
    }
}
deserialize_via_parsed!(TimeRange);

/// Which week of the month a monthly meeting falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekOfMonth {
    First,
    Second,
    Third,
    Fourth,
    Last,
}

pub const WEEK_NAMES: [&str; 5] = ["first", "second", "third", "fourth", "last"];

impl WeekOfMonth {
    /// Whether `date` is in this week of its month (for its weekday).
    pub fn contains(self, date: Date) -> bool {
        let nth = (date.day() - 1) / 7;
        match self {
            WeekOfMonth::Last => date.day() + 7 > date.days_in_month(),
            other => nth == other as i8,
        }
    }

    pub fn key(self) -> &'static str {
        WEEK_NAMES[self as usize]
    }

    /// The position iCalendar's BYDAY uses: 1…4, or -1 for last.
    pub fn ordinal(self) -> i8 {
        match self {
            WeekOfMonth::Last => -1,
            other => other as i8 + 1,
        }
    }
}

impl Parsed for WeekOfMonth {
    const EXPECTING: &'static str = "one of first, second, third, fourth, last";
    fn parse(text: &str) -> Result<Self, String> {
        let word = text.trim().to_lowercase();
        let word = match word.as_str() {
            "1" | "1st" => "first",
            "2" | "2nd" => "second",
            "3" | "3rd" => "third",
            "4" | "4th" => "fourth",
            "-1" | "final" => "last",
            w => w,
        };
        let all = [
            WeekOfMonth::First,
            WeekOfMonth::Second,
            WeekOfMonth::Third,
            WeekOfMonth::Fourth,
            WeekOfMonth::Last,
        ];
        if let Some(w) = all.into_iter().find(|w| w.key() == word) {
            return Ok(w);
        }
        let help = match closest(word, WEEK_NAMES) {
            Some(w) => format!("did you mean `{w}`?"),
            None => "write one of first, second, third, fourth, last".into(),
        };
        Err(format!("`{text}` is not a week of the month\nhelp: {help}"))
    }
}
deserialize_via_parsed!(WeekOfMonth);

/// How often a meeting recurs, as written (`every: 2 weeks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Week,
    TwoWeeks,
    Month,
}

impl Parsed for Every {
    const EXPECTING: &'static str = "`week`, `2 weeks` or `month`";
    fn parse(text: &str) -> Result<Self, String> {
        let word = text.trim().to_lowercase();
        match word.as_str() {
            "week" | "1 week" | "weekly" | "every week" => Ok(Every::Week),
            "2 weeks" | "two weeks" | "fortnight" | "fortnightly" | "other week" | "every other week" => Ok(Every::TwoWeeks),
            "month" | "1 month" | "monthly" => Ok(Every::Month),
            _ => Err(format!(
                "`{text}` is not a schedule PeerPress knows\nhelp: leave `every` out for a weekly meeting, or write `every: 2 weeks` (fortnightly) or `every: month` (with `week: first`)"
            )),
        }
    }
}
deserialize_via_parsed!(Every);

/// An IANA time zone name and its rules from the bundled tz database.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneName {
    pub name: String,
    pub zone: TimeZone,
}

impl ZoneName {
    pub fn parse_text(text: &str) -> Result<Self, String> {
        <Self as Parsed>::parse(text)
    }
}

impl Parsed for ZoneName {
    const EXPECTING: &'static str = "a time zone name like `Europe/London`";
    fn parse(text: &str) -> Result<Self, String> {
        let name = text.trim();
        match TimeZone::get(name) {
            Ok(zone) => Ok(ZoneName {
                name: zone.iana_name().unwrap_or(name).to_string(),
                zone,
            }),
            Err(_) => {
                let names: Vec<String> =
                    jiff::tz::db().available().map(|n| n.to_string()).collect();
                let help = match closest(name, names.iter().map(String::as_str)) {
                    Some(n) => format!("did you mean `{n}`?"),
                    None => "use an IANA time zone name such as `Europe/London`, `America/New_York` or `Australia/Sydney`".into(),
                };
                Err(format!("`{name}` is not a time zone\nhelp: {help}"))
            }
        }
    }
}
deserialize_via_parsed!(ZoneName);

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateValue(pub Date);

impl Parsed for DateValue {
    const EXPECTING: &'static str = "a date like `2026-12-22`";
    fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let parts: Vec<&str> = text.split('-').collect();
        let help = "write dates as year-month-day, like `2026-12-22`";
        if parts.len() != 3
            || parts[0].len() != 4
            || parts
                .iter()
                .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!("`{text}` is not a date\nhelp: {help}"));
        }
        let (y, m, d) = (
            parts[0].parse::<i16>(),
            parts[1].parse::<i8>(),
            parts[2].parse::<i8>(),
        );
        match (y, m, d) {
            (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).map(DateValue).map_err(|_| {
                format!("`{text}` is not a real date\nhelp: check the month and the day; {help}")
            }),
            _ => Err(format!("`{text}` is not a date\nhelp: {help}")),
        }
    }
}
deserialize_via_parsed!(DateValue);

impl fmt::Display for DateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        assert_eq!(Day::parse("Tuesday").unwrap().0, Weekday::Tuesday);
        assert_eq!(Day::parse("tue").unwrap().0, Weekday::Tuesday);
        let e = Day::parse("tuseday").unwrap_err();
        assert!(e.contains("did you mean `tuesday`?"), "{e}");
    }

    #[test]
    fn times() {
        let t = TimeRange::parse_text("19:00-20:30").unwrap();
        assert_eq!((t.start.hour(), t.end.minute()), (19, 30));
        assert!(TimeRange::parse_text("7:00 – 8:30").is_ok());
        assert!(TimeRange::parse_text("25:00-26:00")
            .unwrap_err()
            .contains("hours go from 00 to 23"));
        assert!(TimeRange::parse_text("20:00-19:00")
            .unwrap_err()
            .contains("ends before it starts"));
        assert!(TimeRange::parse_text("19:00")
            .unwrap_err()
            .contains("end time"));
        assert!(TimeRange::parse_text("19:60-20:00").is_err());
        assert_eq!(
            TimeRange::parse_text("22:00-24:00").unwrap().end,
            Time::new(23, 59, 59, 0).unwrap()
        );
    }

    #[test]
    fn zones_and_dates() {
        assert!(ZoneName::parse_text("Europe/London").is_ok());
        assert!(ZoneName::parse_text("Europe/Londn")
            .unwrap_err()
            .contains("Europe/London"));
        assert!(DateValue::parse("2026-02-30")
            .unwrap_err()
            .contains("not a real date"));
        assert!(DateValue::parse("22/12/2026").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,20}") {
            let _ = Day::parse(&s);
            let _ = TimeRange::parse_text(&s);
            let _ = WeekOfMonth::parse(&s);
            let _ = Every::parse(&s);
            let _ = DateValue::parse(&s);
        }
    }
}
