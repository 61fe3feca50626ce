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

/// A time as a 24-hour clock writes it: `19:00`.
fn hh_mm(time: Time) -> String {
    if time.second() == 59 {
        return "24:00".to_string();
    }
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Whether a time was written with am or pm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
}

/// `text` without an am/pm ending (`7pm`, `7:30 p.m.`), and which it was.
fn strip_meridiem(text: &str) -> (&str, Option<Meridiem>) {
    let lower = text.to_ascii_lowercase();
    for (ending, meridiem) in [
        ("a.m.", Meridiem::Am),
        ("a.m", Meridiem::Am),
        ("am", Meridiem::Am),
        ("p.m.", Meridiem::Pm),
        ("p.m", Meridiem::Pm),
        ("pm", Meridiem::Pm),
    ] {
        if lower.ends_with(ending) {
            return (text[..text.len() - ending.len()].trim_end(), Some(meridiem));
        }
    }
    (text, None)
}

/// One time of day: `19:00`, `19.00`, `19`, `19h`, `19h30`, `7pm`, `7:30 p.m.`; and
/// whether it was written with am/pm.
fn parse_clock(text: &str, whole: &str) -> Result<(Time, bool), String> {
    let text = text.trim();
    let (digits, meridiem) = strip_meridiem(text);
    // `20:30h` and `19h` as French and Spanish speakers write them.
    let digits = digits.trim().trim_end_matches(['h', 'H']);
    let (h, m) = digits
        .split_once([':', '.', 'h', 'H'])
        .unwrap_or((digits, "00"));
    let m = if m.is_empty() { "00" } else { m };
    let bad = || format!("`{whole}` is not a time range\nhelp: {TIME_HELP}");
    if h.is_empty()
        || h.len() > 2
        || m.len() != 2
        || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let (mut h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if let Some(meridiem) = meridiem {
        if !(1..=12).contains(&h) {
            return Err(format!(
                "`{text}` is not a time of day: with am or pm, hours go from 1 to 12\nhelp: {TIME_HELP}"
            ));
        }
        h = match meridiem {
            Meridiem::Am => h % 12,
            Meridiem::Pm => h % 12 + 12,
        };
    }
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
        return Ok((Time::new(23, 59, 59, 0).unwrap_or(Time::MAX), false));
    }
    Time::new(h, m, 0, 0)
        .map(|t| (t, meridiem.is_some()))
        .map_err(|_| bad())
}

/// The start and end of `text`, split at a dash or a word such as `to` (`19:00 to
/// 20:30`, `19h a 20:30h`).
fn split_range(text: &str) -> Option<(&str, &str)> {
    if let Some(pair) = text.split_once(['-', '–', '—']) {
        return Some(pair);
    }
    // ASCII lower-casing keeps every byte where it was, so the indices match `text`.
    let lower = text.to_ascii_lowercase();
    [
        " to ", " till ", " until ", " a ", " hasta ", " bis ", " à ",
    ]
    .iter()
    .find_map(|word| {
        lower
            .find(word)
            .map(|i| (&text[..i], &text[i + word.len()..]))
    })
}

/// A meeting's time as the editor wrote it: the range, and whether it used am/pm, which
/// is right only on a site that shows times on a 12-hour clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenTime {
    pub range: TimeRange,
    pub twelve_hour: bool,
    pub written: String,
}

impl WrittenTime {
    /// The message for am/pm times on a site with a 24-hour clock.
    pub fn not_on_a_twelve_hour_clock(&self) -> (String, String) {
        (
            format!(
                "`{}` is written with am/pm, but this site shows times on a 24-hour clock",
                self.written
            ),
            format!(
                "write `{}-{}`, or set `clock: 12h` in site.yaml to show times as 7:00pm",
                hh_mm(self.range.start),
                hh_mm(self.range.end)
            ),
        )
    }
}

impl Parsed for WrittenTime {
    const EXPECTING: &'static str = "a time range like `19:00-20:30`";
    fn parse(text: &str) -> Result<Self, String> {
        let Some((start, end)) = split_range(text) else {
            let help = match parse_clock(text, text) {
                Ok((start, _)) => format!(
                    "write when it starts and ends, with a `-` between, like `{}-{}`",
                    hh_mm(start),
                    hh_mm(start.saturating_add(90.minutes()))
                ),
                Err(_) => TIME_HELP.to_string(),
            };
            return Err(format!("`{text}` needs an end time too\nhelp: {help}"));
        };
        let (start, start_twelve) = parse_clock(start, text)?;
        let (end, end_twelve) = parse_clock(end, text)?;
        if end <= start {
            return Err(format!(
                "the meeting ends before it starts (`{text}`)\nhelp: {TIME_HELP}; a meeting that runs past midnight should end at `24:00`"
            ));
        }
        Ok(WrittenTime {
            range: TimeRange { start, end },
            twelve_hour: start_twelve || end_twelve,
            written: text.trim().to_string(),
        })
    }
}
deserialize_via_parsed!(WrittenTime);

impl Parsed for TimeRange {
    const EXPECTING: &'static str = "a time range like `19:00-20:30`";
    /// A range in 24-hour time; am/pm is refused with the 24-hour form to write.
    fn parse(text: &str) -> Result<Self, String> {
        let written = WrittenTime::parse(text)?;
        if written.twelve_hour {
            let (message, help) = written.not_on_a_twelve_hour_clock();
            return Err(format!("{message}\nhelp: {help}"));
        }
        Ok(written.range)
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
                if let Some(hours) = fixed_offset(name) {
                    return Err(offset_explained(name, hours));
                }
                let names: Vec<String> =
                    jiff::tz::db().available().map(|n| n.to_string()).collect();
                if let Some(zone) = zone_of_city(name, &names) {
                    return Err(format!(
                        "`{name}` is a place, not a time zone name\nhelp: write `{zone}`: time zones are named by a region and a city"
                    ));
                }
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

/// The zone named after `city` (`Madrid` → `Europe/Madrid`, `new york` →
/// `America/New_York`), from the bundled tz names.
fn zone_of_city<'a>(city: &str, names: &'a [String]) -> Option<&'a str> {
    let wanted = city.trim().replace(' ', "_").to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    names
        .iter()
        .filter(|n| n.contains('/') && !n.starts_with("Etc/"))
        .find(|n| {
            n.rsplit('/')
                .next()
                .is_some_and(|c| c.to_lowercase() == wanted)
        })
        .map(String::as_str)
}

/// `GMT+1`, `UTC-5`, `UTC+5:30`: the offset in minutes, for a zone written as a fixed
/// difference from UTC.
fn fixed_offset(name: &str) -> Option<i32> {
    let upper = name.trim().to_uppercase();
    let rest = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))?
        .trim();
    let (sign, digits) = match rest.chars().next()? {
        '+' => (1, &rest[1..]),
        '-' | '−' => (-1, rest.trim_start_matches(['-', '−'])),
        _ => return None,
    };
    let (hours, minutes) = digits.split_once(':').unwrap_or((digits, "0"));
    let (hours, minutes): (i32, i32) = (hours.trim().parse().ok()?, minutes.trim().parse().ok()?);
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

/// Well-known zones, to suggest for a fixed offset: one per region and offset.
const WELL_KNOWN_ZONES: &[&str] = &[
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/Sao_Paulo",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Berlin",
    "Africa/Lagos",
    "Europe/Athens",
    "Africa/Johannesburg",
    "Europe/Istanbul",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Kolkata",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Brisbane",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// Why a fixed offset is not enough, with the zones that are at that offset for part of
/// the year (mid-January and mid-July, to catch both hemispheres' summers).
fn offset_explained(name: &str, minutes: i32) -> String {
    let at = |month: i8| {
        jiff::civil::date(2026, month, 15)
            .at(12, 0, 0, 0)
            .to_zoned(TimeZone::UTC)
            .map(|z| z.timestamp())
    };
    let instants: Vec<jiff::Timestamp> = [1, 7].into_iter().filter_map(|m| at(m).ok()).collect();
    let zones: Vec<String> = WELL_KNOWN_ZONES
        .iter()
        .filter(|z| {
            TimeZone::get(z).is_ok_and(|zone| {
                instants
                    .iter()
                    .any(|t| zone.to_offset(*t).seconds() == minutes * 60)
            })
        })
        .take(4)
        .map(|z| format!("`{z}`"))
        .collect();
    let examples = match zones.split_last() {
        None => "such as `Europe/London` or `America/New_York`".to_string(),
        Some((only, [])) => format!("such as {only}"),
        Some((last, others)) => format!("such as {} or {last}", others.join(", ")),
    };
    format!(
        "`{name}` is a fixed difference from UTC, which does not follow summer time\nhelp: write the time zone of your area by its name, {examples}; meeting times then stay right when the clocks change"
    )
}

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
        let t = TimeRange::parse_text("19:00 to 20:30").unwrap();
        assert_eq!((t.start.hour(), t.end.hour(), t.end.minute()), (19, 20, 30));
        let t = TimeRange::parse_text("19h a 20:30h").unwrap();
        assert_eq!((t.start.hour(), t.end.hour(), t.end.minute()), (19, 20, 30));
        assert!(TimeRange::parse_text("7pm")
            .unwrap_err()
            .contains("like `19:00-20:30`"));
        let written = WrittenTime::parse("7:00pm-8:30pm").unwrap();
        assert!(written.twelve_hour);
        assert_eq!(
            (written.range.start.hour(), written.range.end.minute()),
            (19, 30)
        );
        assert_eq!(
            WrittenTime::parse("12am-1 a.m.")
                .unwrap()
                .range
                .start
                .hour(),
            0
        );
        assert_eq!(
            WrittenTime::parse("11am-12pm").unwrap().range.end.hour(),
            12
        );
        assert!(TimeRange::parse_text("7pm-8:30pm")
            .unwrap_err()
            .contains("write `19:00-20:30`"));
        assert!(WrittenTime::parse("13pm-14pm").is_err());
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
        let city = ZoneName::parse_text("Madrid").unwrap_err();
        assert!(city.contains("write `Europe/Madrid`"), "{city}");
        assert!(ZoneName::parse_text("new york")
            .unwrap_err()
            .contains("`America/New_York`"));
        let offset = ZoneName::parse_text("GMT+1").unwrap_err();
        assert!(offset.contains("`Europe/Paris`"), "{offset}");
        assert!(!offset.contains("GMT+0"), "{offset}");
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
