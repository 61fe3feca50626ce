//! iCalendar (RFC 5545) feeds: the whole site's meetings, each group's, and each
//! meeting's, so people can add them to their phone's calendar or subscribe.
//!
//! One VEVENT per meeting with a recurrence rule; DTSTART/DTEND carry the meeting's
//! TZID, and a VTIMEZONE built from the bundled tz database is included for every zone
//! used. UIDs are stable across builds; lines end in CRLF and are folded at 75 octets.
//!
//! DTSTART is the meeting's first date from its `starts`, or from a fixed day
//! (`schedule::CALENDAR_ANCHOR`), never the day of the build, so a subscribed calendar
//! does not see its events change at each rebuild. Dates the meeting does not take
//! place (cancelled, its venue closed, paused) are EXDATEs; a date changed for once
//! (another time, online only, another venue) is an overriding VEVENT with the same UID
//! and a RECURRENCE-ID. A meeting that has ended keeps its VEVENT, its rule ending at
//! UNTIL, so its calendar stays a valid one.

use std::collections::BTreeMap;
use std::fmt::Write;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::feeds::{Context, Feed, File};
use crate::model::{urls, Meeting, Site};
use crate::schedule::Change;

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
/// per meeting (with its changed dates), one VTIMEZONE per zone used.
pub struct Parts {
    /// By meeting index: its zone and its VEVENTs; no VEVENT only for a meeting whose
    /// pattern never falls between its `starts` and `ends`.
    events: Vec<(String, String)>,
    /// Zone name → VTIMEZONE.
    zones: BTreeMap<String, String>,
}

impl Parts {
    pub fn new(site: &Site) -> Parts {
        use rayon::prelude::*;
        let events = site
            .meetings
            .par_iter()
            .map(|m| {
                let mut cal = Calendar::new();
                if let Some(first) = m.recurrence.calendar_start() {
                    vevent(&mut cal, site, m, first);
                }
                // Kept to the end of the build: no room to spare.
                cal.text.shrink_to_fit();
                (m.recurrence.zone.name.clone(), cal.text)
            })
            .collect();
        // Each zone from the earliest DTSTART of the meetings in it.
        let mut earliest: BTreeMap<&str, (Date, &TimeZone)> = BTreeMap::new();
        for m in &site.meetings {
            let r = &m.recurrence;
            let first = r
                .calendar_start()
                .unwrap_or(crate::schedule::CALENDAR_ANCHOR);
            let entry = earliest
                .entry(r.zone.name.as_str())
                .or_insert((first, r.time_zone()));
            entry.0 = entry.0.min(first);
        }
        let zones = earliest
            .into_iter()
            .map(|(name, (from, zone))| {
                let mut cal = Calendar::new();
                vtimezone(&mut cal, name, zone, from);
                (name.to_string(), cal.text)
            })
            .collect();
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
    let events: Vec<&(String, String)> = indices.iter().map(|&i| &parts.events[i]).collect();

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

/// How far ahead the tz database's transitions are read, to find a zone's yearly rule.
const RULE_HORIZON_YEAR: i16 = 2100;

/// One change of offset, as a VTIMEZONE observance says it.
struct Transition {
    /// The wall-clock time just before the change (an observance's DTSTART).
    wall: DateTime,
    from: i32,
    to: i32,
    dst: bool,
    name: String,
}

impl Transition {
    /// The RRULE that puts this change in its place every year: its month, and which
    /// weekday of the month (`-1SU` for the last Sunday, `2SU` for the second).
    fn yearly_rule(&self) -> String {
        let date = self.wall.date();
        let nth = if date.day() + 7 > date.days_in_month() {
            -1
        } else {
            (date.day() - 1) / 7 + 1
        };
        format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={nth}{}",
            date.month(),
            crate::schedule::ical_day(date.weekday())
        )
    }

    /// Whether `other` is this change in another year, by the same rule.
    fn same_rule(&self, other: &Transition) -> bool {
        self.yearly_rule() == other.yearly_rule()
            && self.wall.time() == other.wall.time()
            && (self.from, self.to, self.dst) == (other.from, other.to, other.dst)
            && self.name == other.name
    }
}

/// A VTIMEZONE valid from the start of the year before `from` onwards (RFC 5545
/// §3.6.5), from the bundled tz database: each change of offset until the zone's
/// present yearly rule took over, then that rule as a STANDARD and a DAYLIGHT
/// observance each with a yearly RRULE, so it holds for every year after (2035, 2100…).
/// A zone whose changes follow no yearly rule gets its changes written out for ten
/// years; one without changes, a single observance.
fn vtimezone(cal: &mut Calendar, name: &str, zone: &TimeZone, from: Date) {
    cal.raw("BEGIN", "VTIMEZONE");
    cal.text("TZID", name);
    let year_start = |year: i16| {
        Date::new(year, 1, 1)
            .ok()
            .and_then(|d| d.to_zoned(TimeZone::UTC).ok())
            .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp())
    };
    let start = year_start(from.year() - 1);
    let horizon = year_start(RULE_HORIZON_YEAR);
    let initial = zone.to_offset_info(start);
    let mut previous = initial.offset().seconds();
    let mut transitions = Vec::new();
    for transition in zone
        .following(start)
        .take_while(|t| t.timestamp() < horizon)
    {
        let to = transition.offset().seconds();
        let before = jiff::tz::Offset::from_seconds(previous).unwrap_or(jiff::tz::Offset::UTC);
        transitions.push(Transition {
            wall: transition
                .timestamp()
                .to_zoned(TimeZone::fixed(before))
                .datetime(),
            from: previous,
            to,
            dst: transition.dst().is_dst(),
            name: transition.abbreviation().to_string(),
        });
        previous = to;
    }
    // The yearly rule: the longest run at the end where each change repeats the one two
    // before it, reaching the horizon (a zone that stopped changing has none).
    let n = transitions.len();
    let mut rule_from = n;
    if n >= 4 && transitions[n - 1].wall.year() >= RULE_HORIZON_YEAR - 2 {
        rule_from = n - 2;
        while rule_from >= 1 && transitions[rule_from - 1].same_rule(&transitions[rule_from + 1]) {
            rule_from -= 1;
        }
        if n - rule_from < 4 || transitions[rule_from].same_rule(&transitions[rule_from + 1]) {
            rule_from = n;
        }
    }
    let written_out = if rule_from < n {
        rule_from
    } else {
        let ten_years = start.checked_add(11 * 366 * 24.hours()).unwrap_or(start);
        transitions
            .iter()
            .take_while(|t| {
                t.wall
                    .to_zoned(TimeZone::UTC)
                    .is_ok_and(|z| z.timestamp() < ten_years)
            })
            .count()
    };
    let observance = |cal: &mut Calendar, t: &Transition, rule: Option<String>| {
        let kind = if t.dst { "DAYLIGHT" } else { "STANDARD" };
        cal.raw("BEGIN", kind);
        cal.raw("DTSTART", &local(t.wall));
        if let Some(rule) = rule {
            cal.raw("RRULE", &rule);
        }
        cal.raw("TZOFFSETFROM", &offset(t.from));
        cal.raw("TZOFFSETTO", &offset(t.to));
        cal.text("TZNAME", &t.name);
        cal.raw("END", kind);
    };
    for t in &transitions[..written_out] {
        observance(cal, t, None);
    }
    if rule_from < n {
        for t in &transitions[rule_from..rule_from + 2] {
            observance(cal, t, Some(t.yearly_rule()));
        }
    }
    if transitions.is_empty() {
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

/// The meeting's VEVENT (its rule, from `first`) and one overriding VEVENT per changed
/// date.
fn vevent(cal: &mut Calendar, site: &Site, m: &Meeting, first: Date) {
    let r = &m.recurrence;
    let zone = param(&r.zone.name);
    let occurrence = r.occurrence_on(first);
    let uid = format!("{}@{}", m.slug, site.config.base_url.host());
    let stamp = utc(stamp(site));
    cal.raw("BEGIN", "VEVENT");
    cal.text("UID", &uid);
    cal.raw("DTSTAMP", &stamp);
    cal.raw(
        &format!("DTSTART;TZID={zone}"),
        &local(occurrence.start.datetime()),
    );
    cal.raw(
        &format!("DTEND;TZID={zone}"),
        &local(occurrence.end.datetime()),
    );
    let today = site.now.to_zoned(r.time_zone().clone()).date();
    let rule = r.schedule.rule();
    let mut rrule = format!("FREQ={}", rule.freq);
    if rule.interval > 1 {
        let _ = write!(rrule, ";INTERVAL={}", rule.interval);
    }
    let _ = write!(rrule, ";BYDAY={}", rule.byday);
    // A meeting paused with no date to come back stops at the build (and is back in
    // full when the pause is lifted); one that has ended stops at its last date.
    let paused_for_good = r.paused.is_some_and(|p| p.until.is_none());
    let last = match (r.ends, paused_for_good) {
        (_, true) => Some(today.yesterday().unwrap_or(today)),
        (ends, false) => ends,
    };
    if let Some(last) = last {
        // UNTIL is inclusive and, with a TZID'd DTSTART, must be in UTC.
        let last = r.occurrence_on(last.max(first)).start.timestamp();
        let _ = write!(rrule, ";UNTIL={}", utc(last));
    }
    cal.raw("RRULE", &rrule);
    let mut exdates: Vec<String> = r
        .not_meeting_dates(first, today)
        .into_iter()
        .map(|d| local(r.occurrence_on(d).start.datetime()))
        .collect();
    if paused_for_good && first >= today {
        // Not even its first date takes place.
        exdates.insert(0, local(occurrence.start.datetime()));
    }
    if !exdates.is_empty() {
        cal.raw(&format!("EXDATE;TZID={zone}"), &exdates.join(","));
    }
    describe(cal, site, m, None);
    cal.raw("STATUS", "CONFIRMED");
    cal.raw("TRANSP", "OPAQUE");
    cal.raw("END", "VEVENT");
    for (&date, change) in r.changes.range(first..) {
        if !r.meets_on(date) || last.is_some_and(|l| date > l) {
            continue;
        }
        let usual = r.occurrence_on(date);
        let actual = r.actual_occurrence_on(date);
        cal.raw("BEGIN", "VEVENT");
        cal.text("UID", &uid);
        cal.raw("DTSTAMP", &stamp);
        cal.raw(
            &format!("RECURRENCE-ID;TZID={zone}"),
            &local(usual.start.datetime()),
        );
        cal.raw(
            &format!("DTSTART;TZID={zone}"),
            &local(actual.start.datetime()),
        );
        cal.raw(&format!("DTEND;TZID={zone}"), &local(actual.end.datetime()));
        describe(cal, site, m, Some(change));
        cal.raw("STATUS", "CONFIRMED");
        cal.raw("TRANSP", "OPAQUE");
        cal.raw("END", "VEVENT");
    }
}

/// The properties that say what the meeting is and where: SUMMARY, LOCATION,
/// DESCRIPTION, URL; for a changed date, as changed, the change said first.
fn describe(cal: &mut Calendar, site: &Site, m: &Meeting, change: Option<&Change>) {
    let group = &site.groups[m.group];
    let url = site.config.base_url.absolute(&urls::meeting(&m.slug));
    let summary = if m.name == group.name {
        m.name.clone()
    } else {
        format!("{} ({})", m.name, group.name)
    };
    cal.text("SUMMARY", &summary);
    let t = &site.translations;
    let online_only = change.is_some_and(|c| c.online_only);
    let venue_key = change.and_then(|c| c.venue.as_ref()).or(m.venue.as_ref());
    let venue = venue_key
        .and_then(|k| site.venues.get(k))
        .filter(|_| !online_only);
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
    let mut description = Vec::new();
    if let Some(change) = change {
        description.push(crate::render::views::change_text(site, m, change));
    }
    let format = if online_only {
        "online"
    } else {
        m.format().key()
    };
    description.push(format!(
        "{}: {}",
        t.get("label_format"),
        t.get(&format!("format_{format}"))
    ));
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

    /// A zone with daylight saving is written as its yearly rule, holding after 2035;
    /// one without, as one observance.
    #[test]
    fn time_zones_carry_their_yearly_rule() {
        let write = |name: &str, from: Date| {
            let mut cal = Calendar::new();
            vtimezone(&mut cal, name, &TimeZone::get(name).unwrap(), from);
            cal.text
        };
        let london = write("Europe/London", jiff::civil::date(2026, 1, 1));
        assert!(
            london.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"),
            "{london}"
        );
        assert!(
            london.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"),
            "{london}"
        );
        assert_eq!(london.matches("BEGIN:DAYLIGHT").count(), 1, "{london}");
        let new_york = write("America/New_York", jiff::civil::date(2026, 1, 1));
        assert!(
            new_york.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\n"),
            "{new_york}"
        );
        assert!(
            new_york.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n"),
            "{new_york}"
        );
        // From 2005, the changes before the present US rule (2007) are written out.
        let older = write("America/New_York", jiff::civil::date(2005, 6, 1));
        assert!(older.contains("DTSTART:20041031T020000"), "{older}");
        assert!(
            older.contains("DTSTART:20070311T020000\r\nRRULE:"),
            "{older}"
        );
        let kolkata = write("Asia/Kolkata", jiff::civil::date(2026, 1, 1));
        assert_eq!(kolkata.matches("BEGIN:STANDARD").count(), 1, "{kolkata}");
        assert!(!kolkata.contains("RRULE"));
    }

    #[test]
    fn offsets() {
        assert_eq!(offset(3600), "+0100");
        assert_eq!(offset(-18000), "-0500");
        assert_eq!(offset(19800), "+0530");
    }
}
