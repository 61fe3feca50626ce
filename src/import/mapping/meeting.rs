//! When a record's meeting is and what kind: its days, start and end, time zone, types
//! and language, read from however the source writes them (`2` or `Tuesday`, `19:00:00`
//! or `7 PM`, Meeting Guide codes or their names).

use super::{push_once, Mapper, Taken};
use crate::import::record::{Place, Record};
use crate::import::types::{meaning, Meaning};
use crate::schedule::parse::DAY_NAMES;

impl Mapper<'_> {
    /// The meeting of one record, or `None` (noted) when it cannot be one: not a
    /// meeting, no day, no start time, no name.
    pub(super) fn take(&mut self, index: usize, record: &Record) -> Option<Taken> {
        if record.not_a_meeting {
            self.note(
                &record.at,
                format!(
                    "{} is not a meeting (a `{{…}}` of fields), so it was left out",
                    record.at.label
                ),
                None,
            );
            return None;
        }
        let title = record.title();
        let days = self.days(record, &title)?;
        let time = self.time(record, &title)?;
        let zone = self.zone(record, &title);
        let (types, language, paused) = self.kinds(record, &title);
        // Where.
        let online = self.online(record, &title);
        let venue = self.venue(record, &title, online.is_some());
        let name = self.plain_field(record, "name");
        let group = self.plain_field(record, "group");
        let name = match name.or_else(|| group.clone()) {
            Some(n) => n,
            None => {
                self.note(
                    &record.at,
                    format!("{} has no name, so it was left out", record.at.label),
                    None,
                );
                return None;
            }
        };
        let notes = self.plain_field(record, "notes");
        Some(Taken {
            record: index,
            name,
            group,
            days,
            time,
            zone,
            venue,
            online,
            types,
            language,
            notes,
            paused,
        })
    }

    /// The days it meets on, each once; `None` (noted) when there is none.
    fn days(&mut self, record: &Record, title: &str) -> Option<Vec<&'static str>> {
        let mut days = Vec::new();
        for cell in record.all("day") {
            match parse_day(&cell.text) {
                Some(d) if !days.contains(&d) => days.push(d),
                Some(_) => {}
                None => self.note(
                    &cell.at,
                    format!(
                        "{title}: `{}` is not a day (0 = Sunday … 6 = Saturday, or a day's name)",
                        cell.text
                    ),
                    Some("the day was left out; add it to the group file by hand if it is right"),
                ),
            }
        }
        if days.is_empty() {
            self.note(
                &record.at,
                format!("{title} has no day, so it was left out (PeerPress lists meetings that meet every week on a day)"),
                Some("meetings \"by appointment\" can be described in the group's text instead"),
            );
            return None;
        }
        Some(days)
    }

    /// Its start and end (`19:00-20:30`): an hour when it has no end or one that is not
    /// a time, up to midnight when it ends before it starts; `None` (noted) when it has
    /// no start.
    fn time(&mut self, record: &Record, title: &str) -> Option<String> {
        let Some(time_cell) = record.one("time").cloned() else {
            self.note(
                &record.at,
                format!("{title} has no start time, so it was left out"),
                None,
            );
            return None;
        };
        let Some(start) = parse_time(&time_cell.text).filter(|&t| t < 24 * 60) else {
            self.note(
                &time_cell.at,
                format!(
                    "{title}: `{}` is not a time, so the meeting was left out",
                    time_cell.text
                ),
                Some("times are written like `19:00` or `7:00 PM`"),
            );
            return None;
        };
        let end = match record.one("end_time") {
            None => None,
            Some(cell) => match parse_time(&cell.text) {
                Some(end) => Some(end),
                None => {
                    let cell = cell.clone();
                    self.note(
                        &cell.at,
                        format!(
                            "{title}: `{}` is not a time; the meeting is taken to last an hour",
                            cell.text
                        ),
                        None,
                    );
                    None
                }
            },
        };
        let end = match end {
            None => {
                if record.one("end_time").is_none() {
                    self.note(
                        &time_cell.at,
                        format!("{title} has no end time; it is taken to last an hour, as Meeting Guide apps assume"),
                        Some("change the time in the group file if it is longer"),
                    );
                }
                (start + 60).min(24 * 60)
            }
            Some(end) if end <= start => {
                let at = record
                    .one("end_time")
                    .map_or(time_cell.at.clone(), |c| c.at.clone());
                self.note(&at, format!("{title} ends after midnight or before it starts; it is listed as ending at 24:00"), None);
                24 * 60
            }
            Some(end) => end,
        };
        Some(format!("{}-{}", hh_mm(start), hh_mm(end)))
    }

    /// Its time zone, when it names one PeerPress knows (noted when not).
    fn zone(&mut self, record: &Record, title: &str) -> Option<String> {
        let cell = record.one("timezone").cloned()?;
        let name = cell.text.trim();
        // Each zone is looked up once: a feed names a few, thousands of times.
        let known = *self
            .zones
            .entry(name.to_string())
            .or_insert_with(|| jiff::tz::TimeZone::get(name).is_ok());
        if !known {
            self.note(&cell.at, format!("{title}: `{name}` is not a time zone PeerPress knows; the site's time zone is used"), Some("time zones are written like `America/New_York` or `Europe/London`"));
        }
        known.then(|| name.to_string())
    }

    /// What kind of meeting: its types (the site's own ones made as they are met), its
    /// language when it is not the site's, and whether it is paused.
    fn kinds(&mut self, record: &Record, title: &str) -> (Vec<String>, Option<String>, bool) {
        let mut types: Vec<String> = Vec::new();
        let mut languages: Vec<(&'static str, Place)> = Vec::new();
        let mut paused = false;
        for cell in record.all("types").cloned().collect::<Vec<_>>() {
            match meaning(&cell.text) {
                Meaning::BuiltIn(key) => push_once(&mut types, key.to_string()),
                Meaning::Custom(custom) if custom.key.is_empty() => self.note(
                    &cell.at,
                    format!(
                        "{title}: `{}` is not a meeting type, so it was left out",
                        cell.text
                    ),
                    None,
                ),
                Meaning::Custom(custom) => {
                    if !custom.official {
                        self.note(
                            &cell.at,
                            format!("{title}: `{}` is neither a Meeting Guide type nor one PeerPress has; it becomes the site's own type `{}`", cell.text, custom.key),
                            Some("check its name in site.yaml under `meeting_types:`"),
                        );
                    }
                    push_once(&mut types, custom.key.clone());
                    self.custom.entry(custom.key.clone()).or_insert(custom);
                }
                Meaning::Language(tag) => languages.push((tag, cell.at.clone())),
                Meaning::TemporarilyClosed => paused = true,
                Meaning::Attendance => {}
            }
        }
        if record.text("attendance_option") == Some("inactive") {
            paused = true;
        }
        let language = languages.first().map(|(tag, _)| *tag);
        for (tag, at) in languages.iter().skip(1) {
            if Some(*tag) != language {
                self.note(at, format!("{title}: a meeting has one language in PeerPress; `{tag}` was left out (the meeting is in `{}`)", language.unwrap_or_default()), None);
            }
        }
        let language = language
            .filter(|l| *l != self.settings.site_language)
            .map(String::from);
        (types, language, paused)
    }
}

/// `0`–`6` (0 = Sunday, as Meeting Guide counts), or a day's English name, whole or in
/// three letters.
fn parse_day(text: &str) -> Option<&'static str> {
    let word = text.trim().to_lowercase();
    if let Ok(n) = word.parse::<usize>() {
        // PeerPress's days start on Monday.
        return (n < 7).then(|| DAY_NAMES[(n + 6) % 7]);
    }
    DAY_NAMES
        .iter()
        .copied()
        .find(|d| *d == word || (word.len() >= 3 && d.starts_with(&word)))
}

/// Minutes after midnight: `19:00`, `19:00:00`, `7:00 PM`, `7pm`, `1900`, `noon`.
fn parse_time(text: &str) -> Option<u32> {
    let word = text.trim().to_lowercase().replace('.', ":");
    match word.as_str() {
        "noon" | "12 noon" => return Some(720),
        "midnight" => return Some(0),
        _ => {}
    }
    let (clock, half) = if let Some(t) = word.strip_suffix("pm").or(word.strip_suffix("p:m:")) {
        (t.trim(), Some(12))
    } else if let Some(t) = word.strip_suffix("am").or(word.strip_suffix("a:m:")) {
        (t.trim(), Some(0))
    } else {
        (word.as_str(), None)
    };
    let mut parts = clock.split(':');
    let first = parts.next()?;
    let (hours, minutes): (u32, u32) = if clock.contains(':') {
        let m = parts.next()?;
        if let Some(s) = parts.next() {
            if s.len() != 2 || !s.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
        }
        if parts.next().is_some() || m.len() != 2 {
            return None;
        }
        (first.parse().ok()?, m.parse().ok()?)
    } else if first.len() == 4 && half.is_none() {
        (first[..2].parse().ok()?, first[2..].parse().ok()?)
    } else {
        (first.parse().ok()?, 0)
    };
    if !first.chars().all(|c| c.is_ascii_digit()) || minutes > 59 {
        return None;
    }
    let hours = match half {
        Some(offset) if (1..=12).contains(&hours) => hours % 12 + offset,
        Some(_) => return None,
        None => hours,
    };
    let total = hours * 60 + minutes;
    (total <= 24 * 60).then_some(total)
}

fn hh_mm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("19:00"), Some(1140));
        assert_eq!(parse_time("19:00:00"), Some(1140));
        assert_eq!(parse_time("7:00 PM"), Some(1140));
        assert_eq!(parse_time("7pm"), Some(1140));
        assert_eq!(parse_time("12:30 am"), Some(30));
        assert_eq!(parse_time("0730"), Some(450));
        assert_eq!(parse_time("24:00"), Some(1440));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("7:5"), None);
        assert_eq!(parse_time("soon"), None);
    }

    #[test]
    fn days() {
        assert_eq!(parse_day("0"), Some("sunday"));
        assert_eq!(parse_day("6"), Some("saturday"));
        assert_eq!(parse_day("Tue"), Some("tuesday"));
        assert_eq!(parse_day("7"), None);
        assert_eq!(parse_day("s"), None);
    }
}
