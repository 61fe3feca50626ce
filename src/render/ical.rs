//! iCalendar (RFC 5545) feeds: the whole site's meetings, each group's, and each
//! meeting's, so people can add them to their phone's calendar or subscribe.
//!
//! One VEVENT per meeting with a recurrence rule; DTSTART/DTEND carry the meeting's
//! TZID, and a VTIMEZONE built from the bundled tz database is included for every zone
//! used. UIDs are stable across builds; lines end in CRLF and are folded at 75 octets.

use std::collections::BTreeMap;
use std::fmt::Write;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::feeds::{Context, Feed, File};
use crate::model::{urls, Meeting, Site};

/// A calendar being written: properties in order, folded and escaped.
struct Calendar {
    text: String,
}

impl Calendar {
    fn new() -> Calendar {
        Calendar {
            text: String::with_capacity(4096),
        }
    }

    /// A property whose value is already in iCalendar syntax (dates, rules, numbers).
    fn raw(&mut self, name_and_params: &str, value: &str) {
        if name_and_params.len() + 1 + value.len() <= 75 {
            // Most lines need no folding.
            self.text.push_str(name_and_params);
            self.text.push(':');
            self.text.push_str(value);
            self.text.push_str("\r\n");
        } else {
            fold_into(&mut self.text, &format!("{name_and_params}:{value}"));
        }
    }

    /// A property whose value is text, escaped as RFC 5545 §3.3.11 requires.
    fn text(&mut self, name_and_params: &str, value: &str) {
        self.raw(name_and_params, &escape_text(value));
    }
}

/// Escapes `\`, `;`, `,` and newlines in a TEXT value.
fn escape_text(value: &str) -> std::borrow::Cow<'_, str> {
    const SPECIAL: [char; 5] = ['\\', ';', ',', '\n', '\r'];
    let Some(first) = value.find(SPECIAL) else {
        return value.into();
    };
    let mut out = String::with_capacity(value.len() + 8);
    out.push_str(&value[..first]);
    // The runs between special characters, each copied whole.
    for piece in value[first..].split_inclusive(SPECIAL) {
        // Each piece ends in a special character, but the last may not.
        let escaped = match piece.as_bytes().last() {
            Some(b'\\') => "\\\\",
            Some(b';') => "\\;",
            Some(b',') => "\\,",
            Some(b'\n') => "\\n",
            Some(b'\r') => "",
            _ => {
                out.push_str(piece);
                continue;
            }
        };
        out.push_str(&piece[..piece.len() - 1]);
        out.push_str(escaped);
    }
    out.into()
}

/// Appends `line` folded to at most 75 octets per physical line (continuations start
/// with a space, which counts), never splitting a UTF-8 character, each ending in CRLF.
fn fold_into(out: &mut String, line: &str) {
    let mut rest = line;
    let mut room = 75;
    while rest.len() > room {
        let mut end = room;
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&rest[..end]);
        out.push_str("\r\n ");
        rest = &rest[end..];
        room = 74;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

/// When the calendar was made, to the day: rebuilding later the same day gives the same
/// bytes, so an unchanged site rewrites no files.
pub fn stamp(site: &Site) -> Timestamp {
    let day = site.now.as_second().div_euclid(86_400) * 86_400;
    Timestamp::from_second(day).unwrap_or(site.now)
}

fn local(dt: DateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

fn utc(ts: Timestamp) -> String {
    let dt = ts.to_zoned(TimeZone::UTC).datetime();
    format!("{}Z", local(dt))
}

fn offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    if s.is_multiple_of(60) {
        format!("{sign}{:02}{:02}", s / 3600, (s % 3600) / 60)
    } else {
        format!("{sign}{:02}{:02}{:02}", s / 3600, (s % 3600) / 60, s % 60)
    }
}

/// `/calendar.ics`: every meeting of the site.
pub struct SiteCalendar;

impl Feed for SiteCalendar {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let (site, parts) = (cx.site, cx.calendar);
        vec![File::new(urls::CALENDAR, move || {
            calendar(site, parts, Scope::Site)
        })]
    }
}

/// `/groups/<slug>/calendar.ics`: each group's meetings.
pub struct GroupCalendars;

impl Feed for GroupCalendars {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let (site, parts) = (cx.site, cx.calendar);
        let each = site.groups.iter().enumerate();
        each.map(|(i, g)| {
            File::new(urls::group_calendar(&g.slug), move || {
                calendar(site, parts, Scope::Group(i))
            })
        })
        .collect()
    }
}

/// `/meetings/<slug>.ics`: each meeting on its own.
pub struct MeetingCalendars;

impl Feed for MeetingCalendars {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let (site, parts) = (cx.site, cx.calendar);
        let each = site.meetings.iter().enumerate();
        each.map(|(i, m)| {
            File::new(urls::meeting_calendar(&m.slug), move || {
                calendar(site, parts, Scope::Meeting(i))
            })
        })
        .collect()
    }
}

/// Which meetings a calendar holds.
pub enum Scope {
    Site,
    Group(usize),
    /// One meeting, by its index in `Site::meetings`.
    Meeting(usize),
}

/// The pieces every calendar is assembled from, each made once per build: one VEVENT
/// per meeting still running, one VTIMEZONE per zone used.
pub struct Parts {
    /// By meeting index; `None` for a meeting that has ended.
    events: Vec<Option<(String, String)>>,
    /// Zone name → VTIMEZONE.
    zones: BTreeMap<String, String>,
}

impl Parts {
    pub fn new(site: &Site) -> Parts {
        use rayon::prelude::*;
        let today = site.now.to_zoned(site.config.timezone.zone.clone()).date();
        let events = site
            .meetings
            .par_iter()
            .map(|m| {
                let zone_today = site.now.to_zoned(m.recurrence.time_zone().clone()).date();
                m.recurrence
                    .first_meeting_from(zone_today.min(today))
                    .map(|first| {
                        let mut cal = Calendar::new();
                        vevent(&mut cal, site, m, first);
                        // Kept to the end of the build: no room to spare.
                        cal.text.shrink_to_fit();
                        (m.recurrence.zone.name.clone(), cal.text)
                    })
            })
            .collect();
        let mut zones = BTreeMap::new();
        for m in &site.meetings {
            if !zones.contains_key(&m.recurrence.zone.name) {
                let mut cal = Calendar::new();
                vtimezone(
                    &mut cal,
                    &m.recurrence.zone.name,
                    m.recurrence.time_zone(),
                    today,
                );
                zones.insert(m.recurrence.zone.name.clone(), cal.text);
            }
        }
        Parts { events, zones }
    }
}

/// Writes a calendar of the meetings in `scope`.
pub fn calendar(site: &Site, parts: &Parts, scope: Scope) -> String {
    let indices: Vec<usize> = match scope {
        Scope::Site => (0..site.meetings.len()).collect(),
        Scope::Group(g) => site.groups[g].meetings.clone(),
        Scope::Meeting(i) => vec![i],
    };
    let name = match scope {
        Scope::Site => site.config.name.clone(),
        Scope::Group(g) => format!("{} – {}", site.groups[g].name, site.config.name),
        Scope::Meeting(i) => format!("{} – {}", site.meetings[i].name, site.config.name),
    };
    let events: Vec<&(String, String)> = indices
        .iter()
        .filter_map(|&i| parts.events[i].as_ref())
        .collect();

    let mut cal = Calendar::new();
    cal.raw("BEGIN", "VCALENDAR");
    cal.raw("VERSION", "2.0");
    cal.raw(
        "PRODID",
        &format!("-//PeerPress//PeerPress {}//EN", env!("CARGO_PKG_VERSION")),
    );
    cal.raw("CALSCALE", "GREGORIAN");
    cal.raw("METHOD", "PUBLISH");
    cal.text("NAME", &name);
    cal.text("X-WR-CALNAME", &name);
    cal.text("X-WR-TIMEZONE", &site.config.timezone.name);
    cal.raw("REFRESH-INTERVAL;VALUE=DURATION", "P1D");
    cal.raw("X-PUBLISHED-TTL", "P1D");
    let zones: std::collections::BTreeSet<&str> =
        events.iter().map(|(zone, _)| zone.as_str()).collect();
    let size: usize = events.iter().map(|(_, text)| text.len()).sum();
    cal.text.reserve(size + zones.len() * 1500);
    for zone in zones {
        if let Some(text) = parts.zones.get(zone) {
            cal.text.push_str(text);
        }
    }
    for (_, text) in events {
        cal.text.push_str(text);
    }
    cal.raw("END", "VCALENDAR");
    cal.text
}

/// A VTIMEZONE with every transition from a year before the build to ten years after,
/// taken from the bundled tz database. Calendar apps that know the IANA name use their
/// own rules; the others use these.
fn vtimezone(cal: &mut Calendar, name: &str, zone: &TimeZone, today: Date) {
    cal.raw("BEGIN", "VTIMEZONE");
    cal.text("TZID", name);
    let start = Date::new(today.year() - 1, 1, 1)
        .unwrap_or(today)
        .to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let end = start.checked_add(11 * 366 * 24.hours()).unwrap_or(start);
    let initial = zone.to_offset_info(start);
    let mut previous = initial.offset().seconds();
    let mut observances = 0;
    for transition in zone.following(start).take_while(|t| t.timestamp() < end) {
        let to = transition.offset().seconds();
        let kind = if transition.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        // DTSTART of an observance is the wall-clock time just before the change.
        let wall = transition
            .timestamp()
            .to_zoned(TimeZone::fixed(
                jiff::tz::Offset::from_seconds(previous).unwrap_or(jiff::tz::Offset::UTC),
            ))
            .datetime();
        cal.raw("BEGIN", kind);
        cal.raw("DTSTART", &local(wall));
        cal.raw("TZOFFSETFROM", &offset(previous));
        cal.raw("TZOFFSETTO", &offset(to));
        cal.text("TZNAME", transition.abbreviation());
        cal.raw("END", kind);
        previous = to;
        observances += 1;
    }
    if observances == 0 {
        let kind = if initial.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        let o = offset(initial.offset().seconds());
        cal.raw("BEGIN", kind);
        cal.raw("DTSTART", "19700101T000000");
        cal.raw("TZOFFSETFROM", &o);
        cal.raw("TZOFFSETTO", &o);
        cal.text("TZNAME", initial.abbreviation());
        cal.raw("END", kind);
    }
    cal.raw("END", "VTIMEZONE");
}

fn vevent(cal: &mut Calendar, site: &Site, m: &Meeting, first: Date) {
    let r = &m.recurrence;
    let zone = &r.zone.name;
    let occurrence = r.occurrence_on(first);
    let group = &site.groups[m.group];
    let url = site.config.base_url.absolute(&urls::meeting(&m.slug));
    cal.raw("BEGIN", "VEVENT");
    cal.text(
        "UID",
        &format!("{}@{}", m.slug, site.config.base_url.host()),
    );
    cal.raw("DTSTAMP", &utc(stamp(site)));
    cal.raw(
        &format!("DTSTART;TZID={}", param(zone)),
        &local(occurrence.start.datetime()),
    );
    cal.raw(
        &format!("DTEND;TZID={}", param(zone)),
        &local(occurrence.end.datetime()),
    );
    let rule = r.schedule.rule();
    let mut rrule = format!("FREQ={}", rule.freq);
    if rule.interval > 1 {
        let _ = write!(rrule, ";INTERVAL={}", rule.interval);
    }
    let _ = write!(rrule, ";BYDAY={}", rule.byday);
    if let Some(ends) = r.ends {
        // UNTIL is inclusive and, with a TZID'd DTSTART, must be in UTC.
        let last = r.occurrence_on(ends).start.timestamp();
        let _ = write!(rrule, ";UNTIL={}", utc(last));
    }
    cal.raw("RRULE", &rrule);
    let exdates: Vec<String> = r
        .cancelled
        .iter()
        .filter(|d| **d >= first && r.schedule.falls_on(**d))
        .map(|d| local(r.occurrence_on(*d).start.datetime()))
        .collect();
    if !exdates.is_empty() {
        cal.raw(&format!("EXDATE;TZID={}", param(zone)), &exdates.join(","));
    }
    let summary = if m.name == group.name {
        m.name.clone()
    } else {
        format!("{} ({})", m.name, group.name)
    };
    cal.text("SUMMARY", &summary);
    let t = &site.translations;
    let venue = m.venue.as_ref().and_then(|k| site.venues.get(k));
    match (venue, &m.online) {
        (Some(v), _) => {
            let mut location = v.name.clone();
            if let Some(a) = &v.address {
                location.push_str(", ");
                location.push_str(&a.one_line());
            }
            cal.text("LOCATION", &location);
            if let Some((lat, lon)) = v.geo {
                cal.raw("GEO", &format!("{lat};{lon}"));
            }
        }
        (None, Some(online)) => {
            if let Some(u) = &online.url {
                cal.text("LOCATION", &u.0);
            }
        }
        _ => {}
    }
    let mut description = vec![format!(
        "{}: {}",
        t.get("label_format"),
        t.get(&format!("format_{}", m.format().key()))
    )];
    if let Some(online) = &m.online {
        if let Some(u) = &online.url {
            description.push(format!("{}: {}", t.get("join_online"), u.0));
        }
        if let Some(p) = &online.phone {
            description.push(format!("{}: {}", t.get("label_dial_in"), p.display));
        }
        if let Some(n) = &online.notes {
            description.push(n.clone());
        }
    }
    if let Some(v) = venue {
        if let Some(access) = &v.access {
            description.push(format!("{}: {}", t.get("label_access"), access));
        }
    }
    if !m.types.is_empty() {
        let types: Vec<String> = m.types.iter().map(|ty| ty.label(t)).collect();
        description.push(format!("{}: {}", t.get("label_types"), types.join(", ")));
    }
    if let Some(notes) = &m.notes {
        description.push(notes.clone());
    }
    description.push(url.clone());
    cal.text("DESCRIPTION", &description.join("\n"));
    cal.raw("URL", &url);
    if let Some(u) = m.online.as_ref().and_then(|o| o.url.as_ref()) {
        cal.raw("CONFERENCE;VALUE=URI;FEATURE=VIDEO", &u.0);
    }
    cal.raw("STATUS", "CONFIRMED");
    cal.raw("TRANSP", "OPAQUE");
    cal.raw("END", "VEVENT");
}

/// A parameter value, quoted if it contains characters that need it.
fn param(value: &str) -> String {
    if value.contains([':', ';', ',']) {
        format!("\"{value}\"")
    } else {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("DESCRIPTION:{}", "é".repeat(80));
        fold_into(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end_matches("\r\n"), line);
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    /// Escaping and folding, as RFC 5545 says them character by character, for text
    /// of every length up to a few lines, with special and multi-byte characters at
    /// every place.
    #[test]
    fn escapes_and_folds_as_the_rules_say() {
        let escape = |value: &str| {
            let mut out = String::new();
            for c in value.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    ';' => out.push_str("\\;"),
                    ',' => out.push_str("\\,"),
                    '\n' => out.push_str("\\n"),
                    '\r' => {}
                    c => out.push(c),
                }
            }
            out
        };
        let fold = |line: &str| {
            let mut out = String::new();
            let mut width = 0;
            for c in line.chars() {
                if width + c.len_utf8() > 75 {
                    out.push_str("\r\n ");
                    width = 1;
                }
                out.push(c);
                width += c.len_utf8();
            }
            out + "\r\n"
        };
        let alphabet: Vec<char> = "ab ,;\\\n\ré€😀".chars().collect();
        for len in 0..260 {
            for shift in 0..3 {
                let text: String = (0..len)
                    .map(|i| alphabet[(i * 7 + shift * 3 + i / 5) % alphabet.len()])
                    .collect();
                assert_eq!(escape_text(&text), escape(&text), "{text:?}");
                let mut folded = String::new();
                fold_into(&mut folded, &text);
                assert_eq!(folded, fold(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn offsets() {
        assert_eq!(offset(3600), "+0100");
        assert_eq!(offset(-18000), "-0500");
        assert_eq!(offset(19800), "+0530");
    }
}
