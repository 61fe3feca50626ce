//! schema.org JSON-LD for search engines and other readers of structured data: the site
//! as an `NGO`, meetings as `Event`s with an `eventSchedule` and their next concrete
//! occurrences, directory entries as `Organization`s.

use serde_json::{json, Value as Json};

use super::json::without_nulls;

use crate::model::contact::Address;
use crate::model::{urls, Format, Meeting, Organisation, Site, Venue};
use crate::schedule::{Schedule, WeekOfMonth};

/// How many concrete occurrences a meeting page lists.
const OCCURRENCES: usize = 4;

/// Serialises for a `<script type="application/ld+json">` element: `<`, `>` and `&`
/// are escaped inside strings so no text can close the element.
pub fn to_script(value: &Json) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn postal_address(a: &Address) -> Json {
    let p = &a.parts;
    if p.street.is_none() && p.town.is_none() {
        return json!({ "@type": "PostalAddress", "streetAddress": a.one_line() });
    }
    without_nulls(json!({
        "@type": "PostalAddress",
        "streetAddress": p.street.as_ref().map(|t| &t.0),
        "addressLocality": p.town.as_ref().map(|t| &t.0),
        "addressRegion": p.region.as_ref().map(|t| &t.0),
        "postalCode": p.postcode.as_ref().map(|t| &t.0),
        "addressCountry": p.country.as_ref().map(|t| &t.0),
    }))
}

/// The site's organisation.
pub fn organisation_of_site(site: &Site) -> Json {
    let c = &site.config;
    without_nulls(json!({
        "@type": "NGO",
        "@id": format!("{}#organization", c.base_url.absolute("")),
        "name": c.name,
        "url": c.base_url.absolute(""),
        "description": c.description.as_ref().or(c.tagline.as_ref()),
        "email": c.contact.email.as_ref().map(|e| &e.0),
        "telephone": c.contact.phone.as_ref().map(|p| &p.dial),
        "logo": c.logo.as_ref().map(|l| if l.starts_with("http") { l.clone() } else { c.base_url.absolute(l.trim_start_matches('/')) }),
    }))
}

/// The home page: the site's organisation.
pub fn home(site: &Site) -> String {
    let mut org = organisation_of_site(site);
    if let Some(map) = org.as_object_mut() {
        map.insert("@context".into(), json!("https://schema.org"));
    }
    to_script(&org)
}

fn place(venue: &Venue) -> Json {
    without_nulls(json!({
        "@type": "Place",
        "name": venue.name,
        "address": venue.address.as_ref().map(postal_address),
        "geo": venue.geo.map(|(lat, lon)| json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon })),
    }))
}

fn location(site: &Site, m: &Meeting) -> Json {
    let venue = m.venue.as_ref().and_then(|k| site.venues.get(k)).map(place);
    let virtual_location = m.online.as_ref().map(|o| {
        without_nulls(json!({
            "@type": "VirtualLocation",
            "url": o.url.as_ref().map(|u| u.0.clone()).unwrap_or_else(|| site.config.base_url.absolute(&urls::meeting(&m.slug))),
        }))
    });
    match (venue, virtual_location) {
        (Some(p), Some(v)) => json!([p, v]),
        (Some(p), None) => p,
        (None, Some(v)) => v,
        (None, None) => Json::Null,
    }
}

fn attendance_mode(m: &Meeting) -> &'static str {
    match m.format() {
        Format::InPerson => "https://schema.org/OfflineEventAttendanceMode",
        Format::Online => "https://schema.org/OnlineEventAttendanceMode",
        Format::Hybrid => "https://schema.org/MixedEventAttendanceMode",
    }
}

const SCHEMA_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A meeting as a recurring `Event` with its `Schedule`.
fn meeting_event(site: &Site, m: &Meeting) -> Json {
    let r = &m.recurrence;
    let day = SCHEMA_DAYS[r.schedule.day().to_monday_zero_offset() as usize];
    let (frequency, month_week) = match r.schedule {
        Schedule::Weekly { .. } => ("P1W", None),
        Schedule::Fortnightly { .. } => ("P2W", None),
        // schema.org's byMonthWeek counts 1–5 from the start of the month; "last" has no
        // number there, so it is described in words instead.
        Schedule::Monthly {
            week: WeekOfMonth::Last,
            ..
        } => ("P1M", None),
        Schedule::Monthly { week, .. } => ("P1M", Some(week.ordinal())),
    };
    let today = site.now.to_zoned(r.time_zone().clone()).date();
    let first = r.first_meeting_from(r.starts.unwrap_or(today).max(today));
    let url = site.config.base_url.absolute(&urls::meeting(&m.slug));
    let group = &site.groups[m.group];
    let (schedule_words, _) = crate::render::views::schedule_text(site, &r.schedule);
    without_nulls(json!({
        "@type": "Event",
        "@id": format!("{url}#event"),
        "name": m.name,
        "description": group.summary.clone().map_or_else(|| schedule_words.clone(), |s| format!("{s} {schedule_words}.")),
        "url": url,
        "eventAttendanceMode": attendance_mode(m),
        "eventStatus": "https://schema.org/EventScheduled",
        "startDate": first.map(|d| r.occurrence_on(d).start.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()),
        "eventSchedule": without_nulls(json!({
            "@type": "Schedule",
            "repeatFrequency": frequency,
            "byDay": format!("https://schema.org/{day}"),
            "byMonthWeek": month_week,
            "startTime": format!("{:02}:{:02}:00", r.time.start.hour(), r.time.start.minute()),
            "endTime": format!("{:02}:{:02}:00", r.time.end.hour(), r.time.end.minute()),
            "scheduleTimezone": r.zone.name,
            "startDate": r.starts.map(|d| d.to_string()),
            "endDate": r.ends.map(|d| d.to_string()),
            "exceptDate": (!r.cancelled.is_empty()).then(|| r.cancelled.iter().map(|d| d.to_string()).collect::<Vec<_>>()),
        })),
        "location": location(site, m),
        "organizer": json!({ "@id": format!("{}#organization", site.config.base_url.absolute("")) }),
        "inLanguage": m.language.clone(),
    }))
}

/// A meeting page: the recurring event, its next occurrences, and the organiser.
pub fn meeting(site: &Site, m: &Meeting) -> String {
    let mut graph = vec![organisation_of_site(site), meeting_event(site, m)];
    let event_id = format!(
        "{}#event",
        site.config.base_url.absolute(&urls::meeting(&m.slug))
    );
    for o in m.recurrence.upcoming(&site.now, OCCURRENCES, 400) {
        graph.push(without_nulls(json!({
            "@type": "Event",
            "name": m.name,
            "startDate": o.start.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            "endDate": o.end.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            "eventAttendanceMode": attendance_mode(m),
            "eventStatus": "https://schema.org/EventScheduled",
            "location": location(site, m),
            "superEvent": { "@id": event_id },
            "organizer": { "@id": format!("{}#organization", site.config.base_url.absolute("")) },
        })));
    }
    to_script(&json!({ "@context": "https://schema.org", "@graph": graph }))
}

/// A group page: each of its meetings as a recurring event.
pub fn group(site: &Site, group_index: usize) -> String {
    let mut graph = vec![organisation_of_site(site)];
    graph.extend(
        site.groups[group_index]
            .meetings
            .iter()
            .map(|&i| meeting_event(site, &site.meetings[i])),
    );
    to_script(&json!({ "@context": "https://schema.org", "@graph": graph }))
}

/// A directory page.
pub fn organisation(o: &Organisation) -> String {
    to_script(&without_nulls(json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": o.name,
        "description": o.summary,
        "url": o.website.as_ref().map(|w| &w.0),
        "email": o.email.as_ref().map(|e| &e.0),
        "telephone": o.phones.first().map(|p| &p.number.dial),
        "contactPoint": (!o.phones.is_empty()).then(|| o.phones.iter().map(|p| without_nulls(json!({
            "@type": "ContactPoint",
            "telephone": p.number.dial,
            "contactType": p.label.as_ref().map(|l| &l.0),
            "description": p.hours.as_ref().map(|h| &h.0),
        }))).collect::<Vec<_>>()),
        "address": o.address.as_ref().map(postal_address),
        "areaServed": (!o.areas.is_empty()).then(|| o.areas.clone()),
        "knowsLanguage": (!o.languages.is_empty()).then(|| o.languages.clone()),
    })))
}
