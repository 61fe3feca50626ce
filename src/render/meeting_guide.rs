//! `/meetings.json`: the Meeting Guide feed format (code4recovery), read by meeting-finder
//! apps and TSML UI.
//!
//! The format is for weekly meetings only, and apps show every listed meeting every week.
//! Listing a fortnightly or monthly meeting there would send people to a locked door on
//! the weeks it does not meet, so those meetings are **left out** of this feed; they are
//! on the website and in the iCalendar feeds, which can express their real schedules.
//! Meetings that have ended are left out too.
//!
//! Meeting finders place every meeting, online ones included, and TSML UI drops a
//! meeting with no address at all: an online-only meeting gets the site's
//! `online_location` (or the town of its contact address), marked `approximate`.
//!
//! A meeting that is paused, or whose venue is closed on the day of the build, is listed
//! with the type `TC` ("Location Temporarily Closed"), as the Meeting Guide app and TSML
//! mark a meeting that is not meeting for now: apps then show it as closed rather than
//! dropping it, so people can still find it once it is back. One-off changes and single
//! cancelled dates are not in this format; they are on the website and in the calendars.

use serde::Serialize;

use super::feeds::{Context, Feed, File};
use crate::model::contact::Address;
use crate::model::feedback::ReportTo;
use crate::model::{meeting_guide_types, urls, Meeting, Site};
use crate::schedule::Schedule;

#[derive(Serialize)]
struct Entry<'a> {
    name: &'a str,
    slug: &'a str,
    day: i8,
    time: String,
    end_time: String,
    timezone: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    types: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    formatted_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    longitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    approximate: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_region: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regions: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conference_url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conference_url_notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    conference_phone: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
    group: &'a str,
    url: String,
    updated: String,
    entity: &'a str,
    entity_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_email: Option<&'a str>,
    /// Where to report a change: the site's form, filled in for this meeting…
    #[serde(skip_serializing_if = "Option::is_none")]
    feedback_url: Option<String>,
    /// …or its address for reports by e-mail.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    feedback_emails: Vec<&'a str>,
}

/// Whether a meeting belongs in the feed (see the module documentation).
/// `/meetings.json`.
pub struct MeetingGuide;

impl Feed for MeetingGuide {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let site = cx.site;
        vec![File::new(urls::MEETING_GUIDE, move || feed(site))]
    }
}

pub fn is_listed(site: &Site, m: &Meeting) -> bool {
    let today = site.now.to_zoned(m.recurrence.time_zone().clone()).date();
    matches!(m.recurrence.schedule, Schedule::Weekly { .. }) && !m.recurrence.has_ended(today)
}

/// Whether the meeting is not meeting for now: paused, or its venue closed today.
fn temporarily_closed(site: &Site, m: &Meeting) -> bool {
    let r = &m.recurrence;
    let today = site.now.to_zoned(r.time_zone().clone()).date();
    r.paused.is_some_and(|p| p.until.is_none_or(|u| today < u))
        || r.closed.iter().any(|c| c.from <= today && today <= c.to)
}

/// The feed, as a JSON array.
pub fn feed(site: &Site) -> String {
    let updated = crate::render::ical::stamp(site)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string();
    let entries: Vec<Entry> = site
        .meetings
        .iter()
        .filter(|m| is_listed(site, m))
        .map(|m| entry(site, m, &updated))
        .collect();
    serde_json::to_string(&entries).unwrap_or_else(|_| "[]".to_string())
}

fn entry<'a>(site: &'a Site, m: &'a Meeting, updated: &str) -> Entry<'a> {
    let r = &m.recurrence;
    let venue = m.venue.as_ref().and_then(|k| site.venues.get(k));
    // Online meetings are recognised by `conference_url`/`conference_phone`, not by a type.
    // The language a meeting is held in is a type too (`es` → `S`).
    let mut types: Vec<&str> = m
        .types
        .iter()
        .filter_map(|t| t.meeting_guide.as_deref())
        .chain(
            m.language
                .as_deref()
                .and_then(meeting_guide_types::language_code),
        )
        .collect();
    if temporarily_closed(site, m) {
        types.push("TC");
    }
    types.sort_unstable();
    types.dedup();
    let regions = venue.map(|v| v.regions()).unwrap_or_default();
    let online = m.online.as_ref();
    Entry {
        name: &m.name,
        slug: &m.slug,
        day: r.schedule.day().to_sunday_zero_offset(),
        time: crate::schedule::hh_mm(r.time.start),
        end_time: crate::schedule::hh_mm(r.time.end),
        timezone: &r.zone.name,
        types,
        location: venue.map(|v| v.name.as_str()),
        formatted_address: match venue {
            Some(v) => v.address.as_ref().map(formatted_address),
            None => site.config.online_place(),
        },
        latitude: venue.and_then(|v| v.geo).map(|g| g.0),
        longitude: venue.and_then(|v| v.geo).map(|g| g.1),
        approximate: Some(if venue.is_some() { "no" } else { "yes" }),
        region: regions.first().copied(),
        sub_region: regions.get(1).copied(),
        regions,
        location_notes: venue.and_then(|v| match (&v.notes, &v.access) {
            (Some(n), Some(a)) => Some(format!("{n}\n{a}")),
            (Some(n), None) => Some(n.clone()),
            (None, Some(a)) => Some(a.clone()),
            (None, None) => None,
        }),
        conference_url: online.and_then(|o| o.url.as_ref()).map(|u| u.0.as_str()),
        conference_url_notes: online.and_then(|o| o.notes.as_deref()),
        conference_phone: online
            .and_then(|o| o.phone.as_ref())
            .map(|p| p.dial.as_str()),
        notes: m.notes.as_deref(),
        group: &site.groups[m.group].name,
        url: site.config.base_url.absolute(&urls::meeting(&m.slug)),
        updated: updated.to_string(),
        entity: &site.config.name,
        entity_url: site.config.base_url.absolute(""),
        entity_email: site.config.contact.email.as_ref().map(|e| e.0.as_str()),
        feedback_url: match &site.config.feedback.report_to {
            Some(ReportTo::Form(_)) => crate::kinds::groups::views::feedback_link(site, m),
            _ => None,
        },
        feedback_emails: site
            .config
            .feedback
            .report_to
            .as_ref()
            .and_then(ReportTo::email)
            .into_iter()
            .collect(),
    }
}

/// A venue's address on one line, with its country, as geocoders want it.
fn formatted_address(address: &Address) -> String {
    let mut line = address.one_line();
    if let Some(country) = address.parts.country.as_ref().map(|c| c.0.trim()) {
        if !country.is_empty() && !line.ends_with(country) {
            line.push_str(", ");
            line.push_str(country);
        }
    }
    line
}
