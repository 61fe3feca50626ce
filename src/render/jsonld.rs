//! schema.org JSON-LD for search engines and other readers of structured data: the site
//! as an `NGO`, meetings as `Event`s with an `eventSchedule` and their next concrete
//! occurrences, directory entries as `Organization`s.

use super::json::{Json, Object};

use crate::model::contact::Address;
use crate::model::{urls, Format, Meeting, Organisation, Site, Venue};
use crate::schedule::{Dated, NotMeeting, Schedule, WeekOfMonth};

/// How many concrete occurrences a meeting page lists.
const OCCURRENCES: usize = 4;

/// Writes for a `<script type="application/ld+json">` element: `<`, `>` and `&` are
/// escaped inside strings so no text can close the element.
pub fn to_script(value: Json) -> String {
    let text = value.into_text();
    let bytes = text.as_bytes();
    if memchr::memchr3(b'<', b'>', b'&', bytes).is_none() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = 0;
    for at in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
        out.push_str(&text[done..at]);
        out.push_str(match bytes[at] {
            b'<' => "\\u003c",
            b'>' => "\\u003e",
            _ => "\\u0026",
        });
        done = at + 1;
    }
    out.push_str(&text[done..]);
    out
}

fn postal_address(a: &Address) -> Json<'_> {
    let p = &a.parts;
    if p.street.is_none() && p.town.is_none() {
        return Object::typed("PostalAddress")
            .with("streetAddress", a.one_line())
            .into();
    }
    fn text(t: &Option<crate::model::yaml::Text>) -> Option<&str> {
        t.as_ref().map(|t| t.0.as_str())
    }
    Object::typed("PostalAddress")
        .maybe("streetAddress", text(&p.street))
        .maybe("addressLocality", text(&p.town))
        .maybe("addressRegion", text(&p.region))
        .maybe("postalCode", text(&p.postcode))
        .maybe("addressCountry", text(&p.country))
        .into()
}

/// The site's organisation.
fn organisation_of_site(site: &Site) -> Object<'_> {
    let c = &site.config;
    let logo = c.logo.as_ref().map(|l| {
        if l.starts_with("http") {
            l.clone()
        } else {
            c.base_url.absolute(l.trim_start_matches('/'))
        }
    });
    Object::typed("NGO")
        .with("@id", organisation_id(site))
        .with("name", c.name.as_str())
        .with("url", c.base_url.absolute(""))
        .maybe(
            "description",
            c.description
                .as_ref()
                .or(c.tagline.as_ref())
                .map(String::as_str),
        )
        .maybe("email", c.contact.email.as_ref().map(|e| e.0.as_str()))
        .maybe(
            "telephone",
            c.contact.phone.as_ref().map(|p| p.dial.as_str()),
        )
        .maybe("logo", logo)
}

fn organisation_id(site: &Site) -> String {
    format!("{}#organization", site.config.base_url.absolute(""))
}

/// The home page: the site's organisation.
pub fn home(site: &Site) -> String {
    to_script(
        organisation_of_site(site)
            .with("@context", "https://schema.org")
            .into(),
    )
}

fn place(venue: &Venue) -> Json<'_> {
    Object::typed("Place")
        .with("name", venue.name.as_str())
        .maybe("address", venue.address.as_ref().map(postal_address))
        .maybe(
            "geo",
            venue.geo.map(|(lat, lon)| {
                Object::typed("GeoCoordinates")
                    .with("latitude", lat)
                    .with("longitude", lon)
            }),
        )
        .into()
}

/// Where to join the meeting online: its link, or else its page.
fn virtual_location<'a>(site: &'a Site, m: &'a Meeting) -> Json<'a> {
    let url = m.online.as_ref().and_then(|o| o.url.as_ref()).map_or_else(
        || site.config.base_url.absolute(&urls::meeting(&m.slug)),
        |u| u.0.clone(),
    );
    Object::typed("VirtualLocation").with("url", url).into()
}

fn location<'a>(site: &'a Site, m: &'a Meeting) -> Option<Json<'a>> {
    let venue = m.venue.as_ref().and_then(|k| site.venues.get(k)).map(place);
    let virtual_location = m.online.as_ref().map(|_| virtual_location(site, m));
    match (venue, virtual_location) {
        (Some(p), Some(v)) => Some(Json::List(vec![p, v])),
        (p, v) => p.or(v),
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
fn meeting_event<'a>(site: &'a Site, m: &'a Meeting, location: Option<Json<'a>>) -> Json<'a> {
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
    let not_meeting: Vec<String> = r
        .calendar_start()
        .map(|from| r.not_meeting_dates(from, today))
        .unwrap_or_default()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let url = site.config.base_url.absolute(&urls::meeting(&m.slug));
    let group = &site.groups[m.group];
    let (schedule_words, _) = crate::render::views::schedule_text(site, &r.schedule);
    let schedule = Object::typed("Schedule")
        .with("repeatFrequency", frequency)
        .with("byDay", format!("https://schema.org/{day}"))
        .maybe("byMonthWeek", month_week)
        .with(
            "startTime",
            format!("{}:00", crate::schedule::hh_mm(r.time.start)),
        )
        .with(
            "endTime",
            format!("{}:00", crate::schedule::hh_mm(r.time.end)),
        )
        .with("scheduleTimezone", r.zone.name.as_str())
        .maybe("startDate", r.starts.map(|d| d.to_string()))
        .maybe("endDate", r.ends.map(|d| d.to_string()))
        .maybe(
            "exceptDate",
            (!not_meeting.is_empty()).then_some(not_meeting),
        );
    // A meeting that has ended has no schedule to give; one paused with no date to come
    // back is postponed.
    let ended = r.has_ended(today);
    let status = if r.paused.is_some_and(|p| p.until.is_none()) {
        "https://schema.org/EventPostponed"
    } else {
        "https://schema.org/EventScheduled"
    };
    let description = group.summary.as_ref().map_or_else(
        || schedule_words.clone(),
        |s| format!("{s} {schedule_words}."),
    );
    Object::typed("Event")
        .with("@id", format!("{url}#event"))
        .with("name", m.name.as_str())
        .with("description", description)
        .with("url", url)
        .with("eventAttendanceMode", attendance_mode(m))
        .with("eventStatus", status)
        .maybe(
            "startDate",
            first.map(|d| date_time(&r.actual_occurrence_on(d).start)),
        )
        .maybe("eventSchedule", (!ended).then_some(schedule))
        .maybe("location", location)
        .with(
            "organizer",
            Object::default().with("@id", organisation_id(site)),
        )
        .maybe("inLanguage", m.language.clone())
        .into()
}

/// A moment as schema.org writes it: ISO 8601 with the offset
/// (`2026-12-06T11:30:00+00:00`), by jiff's printer of RFC 3339 moments, which reads no
/// pattern (a meeting's page has nine of them).
fn date_time(t: &jiff::Zoned) -> String {
    t.timestamp().display_with_offset(t.offset()).to_string()
}

/// A meeting page: the recurring event, its next occurrences, and the organiser.
pub fn meeting(site: &Site, m: &Meeting) -> String {
    // Written once, and copied into the event and each of its occurrences.
    let location = location(site, m).map(Json::into_text);
    let location = || location.as_deref().map(Json::Raw);
    let organiser = organiser(site);
    let event_id = format!(
        "{}#event",
        site.config.base_url.absolute(&urls::meeting(&m.slug))
    );
    let mut graph = vec![
        organisation_of_site(site).into(),
        meeting_event(site, m, location()),
    ];
    let r = &m.recurrence;
    // Its next few meetings, and the dates among them it does not meet, as its page
    // shows them (a paused meeting's dates are not shown, so not given here either).
    let mut dates = Vec::new();
    let mut meetings = 0;
    r.walk(&site.now, 400, |dated| {
        meetings += usize::from(matches!(dated, Dated::Meets(..)));
        if !matches!(dated, Dated::NotMeeting(_, NotMeeting::Paused(_))) {
            dates.push(dated);
        }
        meetings < OCCURRENCES
    });
    let shown = dates.iter();
    for dated in shown {
        let o = dated.occurrence();
        let change = match dated {
            Dated::Meets(_, change) => *change,
            Dated::NotMeeting(..) => None,
        };
        let online_only = change.is_some_and(|c| c.online_only);
        let status = match (dated, change) {
            (Dated::NotMeeting(..), _) => "EventCancelled",
            (_, Some(c)) if c.online_only => "EventMovedOnline",
            (_, Some(c)) if c.time.is_some() => "EventRescheduled",
            _ => "EventScheduled",
        };
        let moved_venue = change
            .and_then(|c| c.venue.as_ref())
            .and_then(|k| site.venues.get(k));
        let here = match (online_only, moved_venue) {
            (true, _) => Some(virtual_location(site, m)),
            (false, Some(v)) => Some(place(v)),
            (false, None) => location(),
        };
        graph.push(
            Object::typed("Event")
                .with("name", m.name.as_str())
                .with("startDate", date_time(&o.start))
                .with("endDate", date_time(&o.end))
                .maybe(
                    "previousStartDate",
                    change
                        .and_then(|c| c.time)
                        .map(|_| date_time(&r.occurrence_on(o.date).start)),
                )
                .with(
                    "eventAttendanceMode",
                    if online_only {
                        "https://schema.org/OnlineEventAttendanceMode"
                    } else {
                        attendance_mode(m)
                    },
                )
                .with("eventStatus", format!("https://schema.org/{status}"))
                .maybe("location", here)
                .with(
                    "superEvent",
                    Object::default().with("@id", event_id.as_str()),
                )
                .with("organizer", Json::Raw(&organiser))
                .into(),
        );
    }
    to_script(graph_of(graph))
}

/// The organiser of every meeting: the site's organisation, by reference.
fn organiser(site: &Site) -> String {
    Json::from(Object::default().with("@id", organisation_id(site))).into_text()
}

fn graph_of(graph: Vec<Json<'_>>) -> Json<'_> {
    Object::default()
        .with("@context", "https://schema.org")
        .with("@graph", graph)
        .into()
}

/// A group page: each of its meetings as a recurring event.
pub fn group(site: &Site, group_index: usize) -> String {
    let mut graph = vec![organisation_of_site(site).into()];
    graph.extend(site.groups[group_index].meetings.iter().map(|&i| {
        let m = &site.meetings[i];
        meeting_event(site, m, location(site, m))
    }));
    to_script(graph_of(graph))
}

/// A directory page.
pub fn organisation(o: &Organisation) -> String {
    let contact_points = o.phones.iter().map(|p| {
        Object::typed("ContactPoint")
            .with("telephone", p.number.dial.as_str())
            .maybe("contactType", p.label.as_ref().map(|l| l.0.as_str()))
            .maybe("description", p.hours.as_ref().map(|h| h.0.as_str()))
    });
    let object = Object::default()
        .with("@context", "https://schema.org")
        .with("@type", "Organization")
        .with("name", o.name.as_str())
        .maybe("description", o.summary.as_deref())
        .maybe("url", o.website.as_ref().map(|w| w.0.as_str()))
        .maybe("email", o.email.as_ref().map(|e| e.0.as_str()))
        .maybe(
            "telephone",
            o.phones.first().map(|p| p.number.dial.as_str()),
        )
        .maybe(
            "contactPoint",
            (!o.phones.is_empty()).then(|| contact_points.collect::<Vec<_>>()),
        )
        .maybe("address", o.address.as_ref().map(postal_address))
        .maybe("areaServed", (!o.areas.is_empty()).then(|| texts(&o.areas)))
        .maybe(
            "knowsLanguage",
            (!o.languages.is_empty()).then(|| texts(&o.languages)),
        );
    to_script(object.into())
}

fn texts(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_can_close_the_script_element() {
        let value = || {
            Object::default()
                .with("plain", "ok")
                .with("name", "Tom & Jo </script><b>")
        };
        let script = to_script(value().into());
        assert_eq!(
            script,
            r#"{"name":"Tom \u0026 Jo \u003c/script\u003e\u003cb\u003e","plain":"ok"}"#
        );
        let back: serde_json::Value = serde_json::from_str(&script).unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&Json::from(value()).into_text()).unwrap();
        assert_eq!(back, written);
        assert_eq!(to_script(Json::from("é")), "\"é\"");
    }

    #[test]
    fn moments_are_written_as_iso_8601_with_their_offset() {
        let zones = [
            "UTC",
            "Europe/London",
            "America/St_Johns",
            "America/Los_Angeles",
            "Asia/Kathmandu",
            "Pacific/Chatham",
        ];
        let moments = [
            "2026-12-06T11:30:00",
            "2027-07-01T00:05:09",
            "1999-01-02T23:59:59",
            "9999-12-30T12:00:00",
        ];
        for zone in zones {
            for moment in moments {
                let t: jiff::civil::DateTime = moment.parse().unwrap();
                let t = t.in_tz(zone).unwrap();
                let expected = t.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
                assert_eq!(date_time(&t), expected, "{zone} {moment}");
            }
        }
    }
}
