//! When meetings happen: days, times, recurrence and time zones, computed in one place
//! for every output (pages, calendars, feeds).
//!
//! Times are wall-clock times in the meeting's IANA time zone; concrete occurrences are
//! computed with the real time-zone rules bundled in the binary (jiff), so a 19:00
//! meeting stays at 19:00 local time on both sides of a daylight-saving change.

pub mod parse;
pub mod zone_names;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

pub use parse::{Day, Every, TimeRange, WeekOfMonth, WrittenTime, ZoneName};

/// How often a meeting recurs. Each kind carries exactly what it needs, so a fortnightly
/// meeting without a reference date, or a monthly one without its week, cannot exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Schedule {
    Weekly {
        day: Weekday,
    },
    /// Every other week, in the weeks of `anchor` (a date the meeting takes place).
    Fortnightly {
        day: Weekday,
        anchor: Date,
    },
    /// The n-th (or last) `day` of every month.
    Monthly {
        day: Weekday,
        week: WeekOfMonth,
    },
}

impl Schedule {
    pub fn day(&self) -> Weekday {
        match *self {
            Schedule::Weekly { day }
            | Schedule::Fortnightly { day, .. }
            | Schedule::Monthly { day, .. } => day,
        }
    }

    /// Whether the pattern (ignoring start, end and cancellations) falls on `date`.
    pub fn falls_on(&self, date: Date) -> bool {
        if date.weekday() != self.day() {
            return false;
        }
        match self {
            Schedule::Weekly { .. } => true,
            Schedule::Fortnightly { anchor, .. } => {
                let days = (date - *anchor).get_days();
                // `Date - Date` is a span in days.
                days.rem_euclid(14) == 0
            }
            Schedule::Monthly { week, .. } => week.contains(date),
        }
    }
}

/// A schedule in the terms iCalendar's RRULE uses, which HSDS and schema.org share:
/// `FREQ`, `INTERVAL` and `BYDAY`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurrenceRule {
    /// `WEEKLY` or `MONTHLY`.
    pub freq: &'static str,
    pub interval: u8,
    /// `TU`, or `1MO` / `-1FR` for monthly meetings.
    pub byday: String,
    /// The two-letter day alone (`TU`), for formats without ordinals.
    pub day: &'static str,
}

impl Schedule {
    /// The RRULE parts of this schedule.
    pub fn rule(&self) -> RecurrenceRule {
        let day = ical_day(self.day());
        match self {
            Schedule::Weekly { .. } => RecurrenceRule {
                freq: "WEEKLY",
                interval: 1,
                byday: day.to_string(),
                day,
            },
            Schedule::Fortnightly { .. } => RecurrenceRule {
                freq: "WEEKLY",
                interval: 2,
                byday: day.to_string(),
                day,
            },
            Schedule::Monthly { week, .. } => RecurrenceRule {
                freq: "MONTHLY",
                interval: 1,
                byday: format!("{}{day}", week.ordinal()),
                day,
            },
        }
    }
}

/// The two-letter day codes of iCalendar (`MO`…`SU`).
pub fn ical_day(day: Weekday) -> &'static str {
    ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][day.to_monday_zero_offset() as usize]
}

/// A time as the machine-readable outputs write it: `19:00` (24-hour, no seconds).
pub fn hh_mm(time: Time) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// Where calendars start a meeting that gives no `starts:` date: a fixed day, not the
/// day of the build, so a calendar's first date stays put from one build to the next.
pub const CALENDAR_ANCHOR: Date = jiff::civil::date(2026, 1, 1);

/// A meeting's full timing: pattern, local times, zone, date limits, and the dates it
/// does not meet or meets differently.
#[derive(Debug, Clone)]
pub struct Recurrence {
    pub schedule: Schedule,
    pub time: TimeRange,
    pub zone: ZoneName,
    pub starts: Option<Date>,
    pub ends: Option<Date>,
    /// Cancelled dates (`cancelled:`, and `changes:` with `cancelled: true`), each with
    /// its reason if one was given.
    pub cancelled: BTreeMap<Date, Option<String>>,
    /// The closures of the meeting's venue.
    pub closed: Vec<Closure>,
    /// Set while the meeting is paused (`status: paused`).
    pub paused: Option<Pause>,
    /// One-off changes to single dates (other than cancellations).
    pub changes: BTreeMap<Date, Change>,
}

/// A venue's closed dates (`closed:` in venues.yaml), both ends included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub from: Date,
    pub to: Date,
    pub reason: Option<String>,
}

/// A meeting that is paused: it does not meet before `until` (its first date back), or
/// at all when no date is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub until: Option<Date>,
}

/// How one date differs from the usual meeting: another time, online only, or at
/// another venue (by key), with the reason if one was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub time: Option<TimeRange>,
    pub online_only: bool,
    pub venue: Option<String>,
    pub reason: Option<String>,
}

impl Change {
    /// Whether the change takes the meeting away from its venue (to another, or online
    /// only), so the venue being closed that day does not stop it.
    pub fn elsewhere(&self) -> bool {
        self.venue.is_some() || self.online_only
    }
}

/// Why the meeting does not take place on a date it otherwise would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotMeeting<'a> {
    Cancelled {
        reason: Option<&'a str>,
    },
    /// The venue is closed from `closure.from` to `closure.to`.
    Closed(&'a Closure),
    Paused(Pause),
}

/// A date on the meeting's pattern, as it turns out: it meets (perhaps changed), or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dated<'a> {
    Meets(Occurrence, Option<&'a Change>),
    NotMeeting(Occurrence, NotMeeting<'a>),
}

impl Dated<'_> {
    /// The occurrence, at its actual time if it meets, at its usual time if not.
    pub fn occurrence(&self) -> &Occurrence {
        match self {
            Dated::Meets(o, _) | Dated::NotMeeting(o, _) => o,
        }
    }
}

/// One concrete meeting, with its start and end in the meeting's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    pub date: Date,
    pub start: Zoned,
    pub end: Zoned,
}

impl Recurrence {
    pub fn time_zone(&self) -> &TimeZone {
        &self.zone.zone
    }

    /// Whether the pattern falls on `date` within `starts`..=`ends`: a date the meeting
    /// would take place, were it not cancelled, closed or paused.
    pub fn scheduled_on(&self, date: Date) -> bool {
        self.schedule.falls_on(date)
            && self.starts.is_none_or(|s| date >= s)
            && self.ends.is_none_or(|e| date <= e)
    }

    /// Why the meeting does not take place on `date`, if it is cancelled, its venue is
    /// closed (unless that date's change takes it elsewhere), or it is paused.
    pub fn not_meeting(&self, date: Date) -> Option<NotMeeting<'_>> {
        if let Some(pause) = self.paused.filter(|p| p.until.is_none_or(|u| date < u)) {
            return Some(NotMeeting::Paused(pause));
        }
        if let Some(reason) = self.cancelled.get(&date) {
            return Some(NotMeeting::Cancelled {
                reason: reason.as_deref(),
            });
        }
        let elsewhere = self.changes.get(&date).is_some_and(Change::elsewhere);
        self.closed
            .iter()
            .find(|c| !elsewhere && c.from <= date && date <= c.to)
            .map(NotMeeting::Closed)
    }

    /// Whether the meeting takes place on `date` (in its own zone): on the pattern,
    /// within `starts`..=`ends`, and not cancelled, closed or paused.
    pub fn meets_on(&self, date: Date) -> bool {
        self.scheduled_on(date) && self.not_meeting(date).is_none()
    }

    /// The one-off change on `date`, if any.
    pub fn change_on(&self, date: Date) -> Option<&Change> {
        self.changes.get(&date)
    }

    /// The occurrence on `date` at the usual time, whether or not the meeting takes
    /// place that day.
    pub fn occurrence_on(&self, date: Date) -> Occurrence {
        self.occurrence_at(date, self.time)
    }

    /// The occurrence on `date` at the time it actually takes place (a change's time,
    /// or the usual one).
    pub fn actual_occurrence_on(&self, date: Date) -> Occurrence {
        let time = self.change_on(date).and_then(|c| c.time);
        self.occurrence_at(date, time.unwrap_or(self.time))
    }

    fn occurrence_at(&self, date: Date, time: TimeRange) -> Occurrence {
        let zone = self.time_zone();
        let at = |t: Time| {
            date.to_datetime(t)
                .to_zoned(zone.clone())
                .unwrap_or_else(|_| Zoned::new(Timestamp::UNIX_EPOCH, zone.clone()))
        };
        let start = at(time.start);
        let mut end = at(time.end);
        if end <= start {
            // Only possible across a daylight-saving change; keep the meeting's length.
            end = start
                .checked_add(time.length())
                .unwrap_or_else(|_| start.clone());
        }
        Occurrence { date, start, end }
    }

    /// The first date the pattern falls on, on or after `from`, ignoring cancellations
    /// and `ends`: a calendar's DTSTART.
    pub fn first_pattern_date(&self, from: Date) -> Option<Date> {
        let from = self.starts.map_or(from, |s| s.max(from));
        let mut date = from;
        // Any pattern recurs within 5 weeks (monthly: within 6 weeks from any date).
        for _ in 0..(7 * 7) {
            if self.schedule.falls_on(date) {
                return Some(date);
            }
            date = date.tomorrow().ok()?;
        }
        None
    }

    /// The meeting's occurrences that have not yet ended at `now`, soonest first, up to
    /// `limit`, looking no further than `horizon_days` ahead; each at its actual time.
    pub fn upcoming(&self, now: &Timestamp, limit: usize, horizon_days: i32) -> Vec<Occurrence> {
        let mut found = Vec::new();
        self.walk(now, horizon_days, |dated| {
            if let Dated::Meets(o, _) = dated {
                found.push(o);
            }
            found.len() < limit
        });
        found
    }

    /// The dates on the meeting's pattern that have not yet ended at `now`, soonest
    /// first, up to `limit`, looking no further than `horizon_days` ahead, each with
    /// whether it meets (and how it is changed) or why it does not.
    pub fn upcoming_dates(
        &self,
        now: &Timestamp,
        limit: usize,
        horizon_days: i32,
    ) -> Vec<Dated<'_>> {
        let mut found = Vec::new();
        self.walk(now, horizon_days, |dated| {
            found.push(dated);
            found.len() < limit
        });
        found
    }

    /// Hands `each` the dates on the pattern not yet ended at `now`, soonest first, up to
    /// `horizon_days` ahead, while it returns `true`.
    pub fn walk<'a>(
        &'a self,
        now: &Timestamp,
        horizon_days: i32,
        mut each: impl FnMut(Dated<'a>) -> bool,
    ) {
        let today = now.to_zoned(self.time_zone().clone()).date();
        let mut date = today.yesterday().unwrap_or(today);
        let Ok(last) = today.checked_add(horizon_days.days()) else {
            return;
        };
        while date <= last {
            if self.scheduled_on(date) {
                let dated = match self.not_meeting(date) {
                    Some(why) => Dated::NotMeeting(self.occurrence_on(date), why),
                    None => Dated::Meets(self.actual_occurrence_on(date), self.change_on(date)),
                };
                if dated.occurrence().end.timestamp() > *now && !each(dated) {
                    return;
                }
            }
            match date.tomorrow() {
                Ok(next) => date = next,
                Err(_) => return,
            }
        }
    }

    /// The first date the meeting takes place on or after `from` (skipping cancelled
    /// dates), if it has not ended by then.
    pub fn first_meeting_from(&self, from: Date) -> Option<Date> {
        let mut date = self.first_pattern_date(from)?;
        for _ in 0..400 {
            if self.ends.is_some_and(|e| date > e) {
                return None;
            }
            if self.meets_on(date) {
                return Some(date);
            }
            date = self.first_pattern_date(date.tomorrow().ok()?)?;
        }
        None
    }

    /// The first date a calendar lists the meeting from (its DTSTART): the first date on
    /// the pattern from `starts`, or else from [`CALENDAR_ANCHOR`], so that it never
    /// moves as the site is rebuilt; earlier for a meeting that ended before the anchor.
    /// `None` only if the pattern never falls between `starts` and `ends`.
    pub fn calendar_start(&self) -> Option<Date> {
        let from = match (self.starts, self.ends) {
            (Some(starts), _) => starts,
            (None, Some(ends)) if ends < CALENDAR_ANCHOR => ends.checked_sub(6.weeks()).ok()?,
            (None, _) => CALENDAR_ANCHOR,
        };
        self.first_pattern_date(from)
            .filter(|first| self.ends.is_none_or(|e| *first <= e))
    }

    /// The dates from `first` the meeting would meet but does not: cancelled, its venue
    /// closed, or paused (from the day before the build: a pause says nothing of the past).
    pub fn not_meeting_dates(&self, first: Date, today: Date) -> BTreeSet<Date> {
        /// The most dates one closure or pause adds, against a range of centuries.
        const MOST: usize = 520;
        let mut candidates: BTreeSet<Date> = self.cancelled.keys().copied().collect();
        let mut ranges: Vec<(Date, Date)> = self.closed.iter().map(|c| (c.from, c.to)).collect();
        if let Some(until) = self.paused.and_then(|p| p.until) {
            ranges.push((today.yesterday().unwrap_or(today), until));
        }
        for (from, to) in ranges {
            let mut date = self.first_pattern_date(from.max(first));
            for _ in 0..MOST {
                match date {
                    Some(d) if d <= to => {
                        candidates.insert(d);
                        date = d
                            .tomorrow()
                            .ok()
                            .and_then(|next| self.first_pattern_date(next));
                    }
                    _ => break,
                }
            }
        }
        candidates
            .into_iter()
            .filter(|&d| d >= first && self.scheduled_on(d) && self.not_meeting(d).is_some())
            .collect()
    }

    /// Whether the meeting has stopped for good by `today`.
    pub fn has_ended(&self, today: Date) -> bool {
        self.ends.is_some_and(|e| e < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn machine_times_have_two_digits_and_no_seconds() {
        assert_eq!(hh_mm(jiff::civil::time(7, 5, 0, 0)), "07:05");
        assert_eq!(hh_mm(jiff::civil::time(19, 30, 59, 0)), "19:30");
        assert_eq!(hh_mm(jiff::civil::time(0, 0, 0, 0)), "00:00");
    }

    fn recurrence(schedule: Schedule, time: &str, zone: &str) -> Recurrence {
        Recurrence {
            schedule,
            time: TimeRange::parse_text(time).unwrap(),
            zone: ZoneName::parse_text(zone).unwrap(),
            starts: None,
            ends: None,
            cancelled: BTreeMap::new(),
            closed: Vec::new(),
            paused: None,
            changes: BTreeMap::new(),
        }
    }

    #[test]
    fn evening_meeting_stays_at_19_across_daylight_saving() {
        let r = recurrence(
            Schedule::Weekly {
                day: Weekday::Tuesday,
            },
            "19:00-20:30",
            "Europe/London",
        );
        // The clocks go back on Sunday 25 October 2026.
        let before = r.occurrence_on(date(2026, 10, 20));
        let after = r.occurrence_on(date(2026, 10, 27));
        assert_eq!((before.start.hour(), before.start.minute()), (19, 0));
        assert_eq!((after.start.hour(), after.start.minute()), (19, 0));
        assert_eq!(before.start.offset().seconds(), 3600);
        assert_eq!(after.start.offset().seconds(), 0);
        assert_eq!(before.start.timestamp().as_second() % 86400, 18 * 3600);
        assert_eq!(after.start.timestamp().as_second() % 86400, 19 * 3600);
    }

    #[test]
    fn fortnightly_follows_its_anchor() {
        let s = Schedule::Fortnightly {
            day: Weekday::Thursday,
            anchor: date(2026, 1, 8),
        };
        assert!(s.falls_on(date(2026, 1, 22)));
        assert!(!s.falls_on(date(2026, 1, 15)));
        assert!(s.falls_on(date(2025, 12, 25)));
    }

    #[test]
    fn monthly_first_and_last() {
        let first = Schedule::Monthly {
            day: Weekday::Monday,
            week: WeekOfMonth::First,
        };
        assert!(first.falls_on(date(2026, 11, 2)));
        assert!(!first.falls_on(date(2026, 11, 9)));
        let last = Schedule::Monthly {
            day: Weekday::Friday,
            week: WeekOfMonth::Last,
        };
        assert!(last.falls_on(date(2026, 10, 30)));
        assert!(!last.falls_on(date(2026, 10, 23)));
        assert!(last.falls_on(date(2027, 1, 29)));
    }

    #[test]
    fn upcoming_skips_cancelled_and_respects_ends() {
        let mut r = recurrence(
            Schedule::Weekly {
                day: Weekday::Tuesday,
            },
            "19:00-20:30",
            "Europe/London",
        );
        r.cancelled.insert(date(2026, 12, 22), None);
        r.ends = Some(date(2027, 1, 5));
        let now = date(2026, 12, 15)
            .at(21, 0, 0, 0)
            .to_zoned(TimeZone::UTC)
            .unwrap()
            .timestamp();
        let dates: Vec<Date> = r
            .upcoming(&now, 10, 60)
            .into_iter()
            .map(|o| o.date)
            .collect();
        assert_eq!(dates, vec![date(2026, 12, 29), date(2027, 1, 5)]);
    }

    #[test]
    fn closures_pauses_and_changes_decide_which_dates_meet() {
        let mut r = recurrence(
            Schedule::Weekly {
                day: Weekday::Tuesday,
            },
            "19:00-20:30",
            "Europe/London",
        );
        r.closed.push(Closure {
            from: date(2026, 12, 20),
            to: date(2027, 1, 3),
            reason: None,
        });
        let online = Change {
            online_only: true,
            ..Change::default()
        };
        r.changes.insert(date(2026, 12, 29), online);
        let earlier = Change {
            time: Some(TimeRange::parse_text("18:00-19:00").unwrap()),
            ..Change::default()
        };
        r.changes.insert(date(2027, 1, 5), earlier);
        let now = date(2026, 12, 15)
            .at(21, 0, 0, 0)
            .to_zoned(TimeZone::UTC)
            .unwrap()
            .timestamp();
        let starts: Vec<String> = r
            .upcoming(&now, 3, 60)
            .into_iter()
            .map(|o| o.start.datetime().to_string())
            .collect();
        // 22 December: closed; 29 December: online only, so it meets; 5 January: earlier.
        assert_eq!(
            starts,
            [
                "2026-12-29T19:00:00",
                "2027-01-05T18:00:00",
                "2027-01-12T19:00:00"
            ]
        );
        assert!(matches!(
            r.not_meeting(date(2026, 12, 22)),
            Some(NotMeeting::Closed(_))
        ));
        r.paused = Some(Pause {
            until: Some(date(2027, 1, 12)),
        });
        let dates: Vec<Date> = r
            .upcoming(&now, 2, 60)
            .into_iter()
            .map(|o| o.date)
            .collect();
        assert_eq!(dates, [date(2027, 1, 12), date(2027, 1, 19)]);
        assert_eq!(
            r.not_meeting_dates(date(2026, 1, 1), date(2026, 12, 15))
                .into_iter()
                .collect::<Vec<_>>(),
            [
                date(2026, 12, 15),
                date(2026, 12, 22),
                date(2026, 12, 29),
                date(2027, 1, 5)
            ],
            "the pause counts from the day before the build"
        );
    }

    #[test]
    fn a_meeting_in_progress_is_still_upcoming() {
        let r = recurrence(
            Schedule::Weekly {
                day: Weekday::Tuesday,
            },
            "19:00-20:30",
            "America/New_York",
        );
        let now = date(2026, 12, 15)
            .at(19, 30, 0, 0)
            .to_zoned(TimeZone::get("America/New_York").unwrap())
            .unwrap()
            .timestamp();
        assert_eq!(r.upcoming(&now, 1, 14)[0].date, date(2026, 12, 15));
    }

    proptest::proptest! {
        #[test]
        fn every_upcoming_occurrence_is_on_the_pattern_at_local_time(
            day in 0i8..7, week in 0usize..5, y in 2020i16..2040, m in 1i8..=12, d in 1i8..=28,
            h in 0i8..23, zone in proptest::sample::select(vec!["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC"]),
        ) {
            let day = Weekday::from_sunday_zero_offset(day).unwrap();
            let week = [WeekOfMonth::First, WeekOfMonth::Second, WeekOfMonth::Third, WeekOfMonth::Fourth, WeekOfMonth::Last][week];
            let time = format!("{h:02}:30-{:02}:00", h + 1);
            let r = recurrence(Schedule::Monthly { day, week }, &time, zone);
            let now = date(y, m, d).at(12, 0, 0, 0).to_zoned(TimeZone::UTC).unwrap().timestamp();
            let found = r.upcoming(&now, 3, 120);
            proptest::prop_assert_eq!(found.len(), 3);
            for o in found {
                proptest::prop_assert_eq!(o.date.weekday(), day);
                proptest::prop_assert!(week.contains(o.date));
                proptest::prop_assert!(o.end.timestamp() > now);
                // Local wall-clock time is as written, unless it falls in a DST gap.
                if o.start.hour() != h {
                    proptest::prop_assert!(zone != "UTC" && zone != "Asia/Kolkata");
                }
            }
        }
    }
}
