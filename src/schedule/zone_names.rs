//! A meeting's time zone as people read it on a date: its abbreviation (`GMT`, `BST`,
//! `EST`, `EDT`), which changes with daylight-saving time, from the time-zone rules
//! bundled in the binary (the tz database's abbreviations, the same on every platform).
//!
//! Pages give the abbreviation of the date they show, and the changes over the year
//! ahead (`GMT 2027-03-28 BST 2027-10-31 GMT`) for the script that recomputes a
//! meeting's next date in the visitor's browser, so both name a date's zone alike.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

/// How far ahead the changes are listed: a page read a year after it was built still
/// names every date it shows rightly.
const HORIZON_DAYS: i64 = 400;

/// The zone's abbreviation at `instant`.
pub fn abbreviation(zone: &TimeZone, instant: Timestamp) -> String {
    zone.to_offset_info(instant).abbreviation().to_string()
}

/// The abbreviation of a meeting starting at `start` (wall-clock time in `zone`) from
/// `now`, then each date from which it is another, for `HORIZON_DAYS`: written
/// `GMT 2027-03-28 BST 2027-10-31 GMT`. A change that comes later in the day than the
/// meeting's start counts from the next day.
pub fn changes(zone: &TimeZone, start: Time, now: Timestamp) -> String {
    let mut text = abbreviation(zone, now);
    let Ok(end) = now.checked_add((HORIZON_DAYS * 24).hours()) else {
        return text;
    };
    let mut last = text.clone();
    for transition in zone.following(now) {
        if transition.timestamp() > end {
            break;
        }
        let name = transition.abbreviation().to_string();
        if name == last {
            continue;
        }
        let local = transition.timestamp().to_zoned(zone.clone()).datetime();
        let from: Date = if start < local.time() {
            local.date().tomorrow().unwrap_or(local.date())
        } else {
            local.date()
        };
        text.push_str(&format!(" {from} {name}"));
        last = name;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn a_year_in_london_has_summer_time_between_march_and_october() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        let text = changes(&zone("Europe/London"), Time::constant(19, 0, 0, 0), now);
        assert_eq!(text, "GMT 2027-03-28 BST 2027-10-31 GMT");
    }

    #[test]
    fn new_york_names_standard_and_daylight_time() {
        let now: Timestamp = "2026-07-01T12:00:00Z".parse().unwrap();
        let text = changes(&zone("America/New_York"), Time::constant(19, 0, 0, 0), now);
        assert_eq!(text, "EDT 2026-11-01 EST 2027-03-14 EDT");
    }

    #[test]
    fn a_meeting_before_the_change_on_its_day_keeps_the_old_name_that_day() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        // London changes at 01:00 GMT on 28 March 2027 (02:00 BST).
        let text = changes(&zone("Europe/London"), Time::constant(0, 30, 0, 0), now);
        assert!(text.starts_with("GMT 2027-03-29 BST"), "{text}");
    }

    #[test]
    fn a_zone_without_daylight_saving_has_one_name() {
        let now: Timestamp = "2026-11-23T12:00:00Z".parse().unwrap();
        assert_eq!(
            changes(&zone("UTC"), Time::constant(19, 0, 0, 0), now),
            "UTC"
        );
        assert_eq!(
            changes(&zone("Asia/Tokyo"), Time::constant(19, 0, 0, 0), now),
            "JST"
        );
    }
}
