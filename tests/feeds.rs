//! The feeds other software reads, checked with independent readers and against the
//! published specs: iCalendar (parsed by the `icalendar` crate, expanded by `rrule`),
//! Meeting Guide JSON (the field rules of its README), Open Referral HSDS 3.1 (its JSON
//! Schema, from tests/specs) and schema.org JSON-LD.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::Fixture;
use serde_json::Value as Json;

const SPECS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/specs");

/// A site whose meetings cover every schedule kind, a cancellation, an end date, a
/// second time zone and a daylight-saving change (Europe/London, 28 March 2027).
fn feed_site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "groups/voices.md",
        "---
name: Hearing Voices Group
summary: A friendly space; tea, biscuits.
meetings:
  - id: tuesday
    day: tuesday
    time: \"19:00-20:30\"
    venue: hall
    types: [open, newcomers, wheelchair]
    cancelled: [2027-03-23]
  - id: last-friday
    every: month
    week: last
    day: friday
    time: \"18:00-19:00\"
    online: { url: https://meet.example.org/voices, phone: \"01632 960 555\" }
  - id: fortnightly
    every: 2 weeks
    starts: 2027-03-04
    day: thursday
    time: \"10:30-12:00\"
    venue: hall
    online: { url: https://meet.example.org/voices-hybrid }
  - id: pilot
    day: saturday
    time: \"09:30-11:00\"
    venue: hall
    ends: 2027-04-10
  - id: new-york
    day: sunday
    time: \"19:00-20:00\"
    timezone: America/New_York
    online: { url: https://meet.example.org/ny }
---
Body.
",
    );
    site
}

/// Builds on Saturday 20 March 2027, noon UTC: a week before the clocks go forward.
fn build_before_dst(site: &Fixture) {
    common::peerpress()
        .env("SOURCE_DATE_EPOCH", "1805544000")
        .arg("build")
        .arg(site.path())
        .assert()
        .success();
}

struct Event {
    uid: String,
    rule_set: String,
}

fn events(ics: &str) -> Vec<Event> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("the calendar parses");
    let mut found = Vec::new();
    for component in calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
    {
        let mut uid = String::new();
        let mut lines = Vec::new();
        for p in &component.properties {
            let params: String = p
                .params
                .iter()
                .map(|x| {
                    format!(
                        ";{}={}",
                        x.key.as_str(),
                        x.val.as_ref().map_or("", |v| v.as_str())
                    )
                })
                .collect();
            match p.name.as_str() {
                "UID" => uid = p.val.as_str().to_string(),
                "DTSTART" | "RRULE" | "EXDATE" => {
                    lines.push(format!("{}{}:{}", p.name.as_str(), params, p.val.as_str()))
                }
                _ => {}
            }
        }
        found.push(Event {
            uid,
            rule_set: lines.join("\n"),
        });
    }
    found
}

/// The first `n` occurrences of an event from the day of the build (20 March 2027), as
/// local `YYYY-MM-DD HH:MM ±zzzz` strings.
fn occurrences(event: &Event, n: usize) -> Vec<String> {
    occurrences_from(event, "2027-03-20", n)
}

/// The first `n` occurrences of an event on or after the date `from`.
fn occurrences_from(event: &Event, from: &str, n: usize) -> Vec<String> {
    let set: rrule::RRuleSet = event
        .rule_set
        .parse()
        .unwrap_or_else(|e| panic!("{}: {e}", event.rule_set));
    set.all(2000)
        .dates
        .iter()
        .map(|d| d.format("%Y-%m-%d %H:%M %z").to_string())
        .filter(|d| d.as_str() >= from)
        .take(n)
        .collect()
}

fn event<'a>(events: &'a [Event], slug: &str) -> &'a Event {
    events
        .iter()
        .find(|e| e.uid.starts_with(&format!("{slug}@")))
        .unwrap_or_else(|| panic!("no event {slug}"))
}

#[test]
fn icalendar_occurrences_land_on_the_right_local_dates_and_times() {
    let site = feed_site();
    build_before_dst(&site);
    let ics = site.page("calendar.ics");
    let all = events(&ics);
    assert_eq!(all.len(), 5);

    // Weekly at 19:00 local on both sides of the change, without the cancelled date.
    let tuesday = occurrences(event(&all, "voices-tuesday"), 4);
    assert_eq!(
        tuesday,
        [
            "2027-03-30 19:00 +0100",
            "2027-04-06 19:00 +0100",
            "2027-04-13 19:00 +0100",
            "2027-04-20 19:00 +0100"
        ],
        "{}",
        event(&all, "voices-tuesday").rule_set
    );
    let weekly = event(&all, "voices-tuesday");
    assert!(
        !occurrences(weekly, 10)
            .iter()
            .any(|d| d.starts_with("2027-03-23")),
        "cancelled dates are absent"
    );

    // Last Friday of each month.
    let last_friday = occurrences(event(&all, "voices-last-friday"), 4);
    assert_eq!(
        last_friday,
        [
            "2027-03-26 18:00 +0000",
            "2027-04-30 18:00 +0100",
            "2027-05-28 18:00 +0100",
            "2027-06-25 18:00 +0100"
        ]
    );

    // Fortnightly from its anchor, across the change.
    let fortnightly = occurrences(event(&all, "voices-fortnightly"), 3);
    assert_eq!(
        fortnightly,
        [
            "2027-04-01 10:30 +0100",
            "2027-04-15 10:30 +0100",
            "2027-04-29 10:30 +0100"
        ]
    );

    // The pilot ends on 10 April.
    let pilot = occurrences(event(&all, "voices-pilot"), 20);
    assert_eq!(
        pilot,
        [
            "2027-03-20 09:30 +0000",
            "2027-03-27 09:30 +0000",
            "2027-04-03 09:30 +0100",
            "2027-04-10 09:30 +0100"
        ]
    );

    // New York changed on 14 March; the meeting stays at 19:00 there.
    let new_york = occurrences(event(&all, "voices-new-york"), 2);
    assert_eq!(
        new_york,
        ["2027-03-21 19:00 -0400", "2027-03-28 19:00 -0400"]
    );
}

#[test]
fn icalendar_follows_rfc_5545_syntax() {
    let site = feed_site();
    build_before_dst(&site);
    for file in [
        "calendar.ics",
        "groups/voices/calendar.ics",
        "meetings/voices-tuesday.ics",
    ] {
        let ics = site.page(file);
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"),
            "{file}"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "{file}: every line ends in CRLF"
        );
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{file}: a line of {} octets", line.len());
        }
        for required in [
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:",
            "NAME:",
            "REFRESH-INTERVAL;VALUE=DURATION:P1D",
            "X-PUBLISHED-TTL:P1D",
            "BEGIN:VTIMEZONE\r\nTZID:Europe/London",
        ] {
            assert!(ics.contains(required), "{file} lacks {required}");
        }
        assert!(
            ics.contains("DTSTAMP:20270320T000000Z"),
            "stamped with the build date"
        );
    }
    let ics = site.page("calendar.ics");
    assert!(ics.contains("TZID:America/New_York"));
    assert!(ics.contains("SUMMARY:Hearing Voices Group") || ics.contains("SUMMARY:"));
    assert!(ics.contains("GEO:51.5;-0.12"));
    assert!(ics.contains("LOCATION:Church Hall\\, 1 Church Lane\\, Riverside RV1 2AB"));
    assert!(ics.contains("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"));
    assert!(ics.contains("RRULE:FREQ=MONTHLY;BYDAY=-1FR"));
    assert!(ics.contains("RRULE:FREQ=WEEKLY;BYDAY=SA;UNTIL=20270410T083000Z"));
    let unfolded = icalendar::parser::unfold(&ics);
    assert!(unfolded.contains("Join online: https://meet.example.org/voices"));
    assert!(unfolded.contains("Dial in: 01632 960 555"));
}

#[test]
fn calendar_uids_are_stable_across_builds() {
    let site = feed_site();
    build_before_dst(&site);
    let first: Vec<String> = events(&site.page("calendar.ics"))
        .into_iter()
        .map(|e| e.uid)
        .collect();
    site.build(&[]).success();
    let second: Vec<String> = events(&site.page("calendar.ics"))
        .into_iter()
        .map(|e| e.uid)
        .collect();
    assert_eq!(first, second);
    assert!(first.iter().all(|u| u.ends_with("@peers.example.org")));
}

#[test]
fn pages_offer_add_to_calendar_and_subscribe() {
    let site = feed_site();
    site.build(&[]).success();
    let meeting = site.page("meetings/voices-tuesday/index.html");
    assert!(meeting.contains("href=\"/meetings/voices-tuesday.ics\""));
    assert!(meeting.contains("Add to calendar"));
    assert!(meeting.contains("href=\"webcal://peers.example.org/meetings/voices-tuesday.ics\""));
    assert!(meeting.contains("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fpeers.example.org%2Fmeetings%2Fvoices-tuesday.ics"));
    assert!(meeting.contains("https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fpeers.example.org%2Fmeetings%2Fvoices-tuesday.ics"));
    let group = site.page("groups/voices/index.html");
    assert!(group.contains("href=\"/groups/voices/calendar.ics\""));
    assert!(group.contains("webcal://peers.example.org/groups/voices/calendar.ics"));
}

#[test]
fn meeting_guide_feed_follows_the_spec() {
    let site = feed_site();
    build_before_dst(&site);
    let feed: Json = serde_json::from_str(&site.page("meetings.json")).expect("valid JSON");
    let meetings = feed.as_array().expect("an array of meetings");
    let types: serde_json::Map<String, Json> = serde_json::from_str(
        &std::fs::read_to_string(format!("{SPECS}/meeting-guide/types.json")).expect("spec"),
    )
    .unwrap();
    let mut slugs = HashSet::new();
    for m in meetings {
        let name = m["name"].as_str().expect("name is required");
        assert!(!name.is_empty() && name.len() <= 255);
        assert!(
            slugs.insert(m["slug"].as_str().expect("slug is required").to_string()),
            "slugs are unique"
        );
        let day = m["day"].as_i64().expect("day is an integer");
        assert!((0..=6).contains(&day));
        for key in ["time", "end_time"] {
            let t = m[key].as_str().unwrap();
            assert!(
                t.len() == 5
                    && t.as_bytes()[2] == b':'
                    && t[..2].parse::<u8>().unwrap() < 24
                    && t[3..].parse::<u8>().unwrap() < 60,
                "{t}"
            );
        }
        for code in m["types"].as_array().into_iter().flatten() {
            assert!(
                types.contains_key(code.as_str().unwrap()),
                "{code} is not a reserved type"
            );
        }
        let online = m.get("conference_url").is_some() || m.get("conference_phone").is_some();
        assert!(
            online || m.get("formatted_address").is_some(),
            "in-person meetings have an address"
        );
        let updated = m["updated"].as_str().unwrap();
        assert_eq!(updated.len(), 19, "YYYY-MM-DD HH:MM:SS");
    }
    let listed: BTreeSet<&str> = meetings
        .iter()
        .map(|m| m["slug"].as_str().unwrap())
        .collect();
    // Weekly meetings only: fortnightly and monthly ones would be shown every week.
    assert_eq!(
        listed,
        BTreeSet::from(["voices-new-york", "voices-pilot", "voices-tuesday"])
    );
    let tuesday = meetings
        .iter()
        .find(|m| m["slug"] == "voices-tuesday")
        .unwrap();
    assert_eq!(tuesday["day"], 2);
    assert_eq!(tuesday["time"], "19:00");
    assert_eq!(tuesday["types"], serde_json::json!(["BE", "O", "X"]));
    assert_eq!(tuesday["timezone"], "Europe/London");
    let ny = meetings
        .iter()
        .find(|m| m["slug"] == "voices-new-york")
        .unwrap();
    assert_eq!(ny["day"], 0);
    assert_eq!(ny["conference_url"], "https://meet.example.org/ny");
    let home = site.page("index.html");
    assert!(home.contains("<link rel=\"alternate\" type=\"application/json\" title=\"Meetings Feed\" href=\"/meetings.json\">"));
}

#[test]
fn directory_json_validates_against_hsds_3_1() {
    let site = feed_site();
    site.write(
        "directory/centre.yaml",
        "name: Riverside Carers' Centre\nsummary: Support for carers.\nwebsite: https://carers.example.org/\nemail: help@carers.example.org\nphones:\n  - { number: \"01632 960 100\", label: Advice line, hours: Mon-Fri 9-5 }\naddress: { street: 2 Mill Lane, town: Riverside, postcode: RV1 3CD, country: GB }\nareas: [Riverside]\ncategories: [carers]\nlanguages: [en, cy]\naccess: Step-free.\ncost: Free\n",
    );
    site.build(&[]).success();
    let schema: Json = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{SPECS}/hsds-3.1/schema/compiled/organization.json"
        ))
        .expect("spec"),
    )
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    // The validator does reject what the spec forbids.
    assert!(!validator
        .is_valid(&serde_json::json!({ "id": "not-a-uuid", "name": "X", "description": "Y" })));
    assert!(!validator.is_valid(
        &serde_json::json!({ "id": "5e6f1a4e-8d2a-5a6e-9f7c-0a1b2c3d4e5f", "name": "X" })
    ));
    let directory: Json = serde_json::from_str(&site.page("directory.json")).unwrap();
    let organisations = directory.as_array().expect("an array of organizations");
    assert_eq!(
        organisations.len(),
        3,
        "two entries and the site's own organisation"
    );
    for org in organisations {
        let errors: Vec<String> = validator
            .iter_errors(org)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", org["name"]);
    }
    let own = organisations
        .iter()
        .find(|o| o["name"] == "Riverside Peers")
        .unwrap();
    let service = &own["services"][0];
    assert_eq!(service["name"], "Hearing Voices Group");
    let schedules = service["schedules"].as_array().unwrap();
    assert_eq!(schedules.len(), 5);
    let fortnightly = schedules.iter().find(|s| s["interval"] == 2).unwrap();
    assert_eq!(fortnightly["byday"], "TH");
    assert!(schedules
        .iter()
        .any(|s| s["freq"] == "MONTHLY" && s["byday"] == "-1FR"));
    let centre = organisations
        .iter()
        .find(|o| o["name"] == "Riverside Carers' Centre")
        .unwrap();
    assert_eq!(
        centre["locations"][0]["addresses"][0]["postal_code"],
        "RV1 3CD"
    );

    // IDs are derived from slugs: the same in every build.
    let again = site.page("directory.json");
    site.build(&[]).success();
    assert_eq!(again, site.page("directory.json"));
}

fn json_ld(html: &str) -> Vec<Json> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            serde_json::from_str(rest.split("</script>").next().unwrap()).expect("JSON-LD parses")
        })
        .collect()
}

#[test]
fn json_ld_describes_meetings_with_schedules_and_dst_aware_occurrences() {
    let site = feed_site();
    build_before_dst(&site);
    let blocks = json_ld(&site.page("meetings/voices-tuesday/index.html"));
    assert_eq!(blocks.len(), 1);
    let graph = blocks[0]["@graph"].as_array().unwrap();
    assert!(graph
        .iter()
        .any(|n| n["@type"] == "NGO" && n["name"] == "Riverside Peers"));
    let event = graph
        .iter()
        .find(|n| n["eventSchedule"].is_object())
        .expect("a recurring event");
    let schedule = &event["eventSchedule"];
    assert_eq!(schedule["@type"], "Schedule");
    assert_eq!(schedule["repeatFrequency"], "P1W");
    assert_eq!(schedule["byDay"], "https://schema.org/Tuesday");
    assert_eq!(schedule["startTime"], "19:00:00");
    assert_eq!(schedule["endTime"], "20:30:00");
    assert_eq!(schedule["scheduleTimezone"], "Europe/London");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/OfflineEventAttendanceMode"
    );
    assert_eq!(event["location"]["@type"], "Place");
    assert_eq!(event["location"]["address"]["postalCode"], "RV1 2AB");
    assert_eq!(event["location"]["geo"]["latitude"], 51.5);
    assert!(event["organizer"].is_object());
    let cancelled: Vec<&str> = graph
        .iter()
        .filter(|n| n["eventStatus"] == "https://schema.org/EventCancelled")
        .map(|n| n["startDate"].as_str().unwrap())
        .collect();
    assert_eq!(
        cancelled,
        ["2027-03-23T19:00:00+00:00"],
        "the cancelled date is shown as such"
    );
    let starts: Vec<&str> = graph
        .iter()
        .filter(|n| n["superEvent"].is_object())
        .filter(|n| n["eventStatus"] == "https://schema.org/EventScheduled")
        .map(|n| n["startDate"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2027-03-30T19:00:00+01:00",
            "2027-04-06T19:00:00+01:00",
            "2027-04-13T19:00:00+01:00",
            "2027-04-20T19:00:00+01:00"
        ]
    );

    let last_friday = json_ld(&site.page("meetings/voices-last-friday/index.html"));
    let graph = last_friday[0]["@graph"].as_array().unwrap();
    let starts: Vec<&str> = graph
        .iter()
        .filter(|n| n["superEvent"].is_object())
        .map(|n| n["startDate"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts[..2],
        ["2027-03-26T18:00:00+00:00", "2027-04-30T18:00:00+01:00"],
        "the offset is right on both sides of the change"
    );
    let event = graph
        .iter()
        .find(|n| n["eventSchedule"].is_object())
        .unwrap();
    assert_eq!(event["eventSchedule"]["repeatFrequency"], "P1M");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    assert_eq!(event["location"]["@type"], "VirtualLocation");

    let hybrid = json_ld(&site.page("meetings/voices-fortnightly/index.html"));
    let event = hybrid[0]["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["eventSchedule"].is_object())
        .unwrap()
        .clone();
    assert_eq!(event["eventSchedule"]["repeatFrequency"], "P2W");
    assert_eq!(
        event["eventAttendanceMode"],
        "https://schema.org/MixedEventAttendanceMode"
    );

    let group = json_ld(&site.page("groups/voices/index.html"));
    assert_eq!(
        group[0]["@graph"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["@type"] == "Event")
            .count(),
        5
    );
    let home = json_ld(&site.page("index.html"));
    assert_eq!(home[0]["@type"], "NGO");
    let directory = json_ld(&site.page("directory/helpline/index.html"));
    assert_eq!(directory[0]["@type"], "Organization");
    assert_eq!(directory[0]["telephone"], "01632960000");
}

/// The rules of the Meeting Guide specification (`tests/specs/meeting-guide/README.md`)
/// that one entry of `meetings.json` must follow.
fn follows_meeting_guide_rules(m: &Json, reserved: &serde_json::Map<String, Json>) {
    let slug = m["slug"].as_str().expect("slug is required");
    assert!(
        !slug.is_empty()
            && slug.len() <= 64
            && slug.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "{slug}: URL-safe, 64 characters at most"
    );
    let name = m["name"].as_str().expect("name is required");
    assert!(!name.is_empty() && name.len() <= 255, "{slug}");
    assert!((0..=6).contains(&m["day"].as_i64().expect("day is an integer")));
    for code in m["types"].as_array().into_iter().flatten() {
        let code = code.as_str().unwrap();
        assert!(
            reserved.contains_key(code),
            "{slug}: {code} is not a reserved type"
        );
    }
    let types: Vec<&str> = m["types"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| t.as_str().unwrap())
        .collect();
    let mut unique = types.clone();
    unique.dedup();
    assert_eq!(types, unique, "{slug}: a type is listed twice");
    // "To be listed in the Meeting Guide app, meetings must also have some geographic
    // information", online ones included.
    let address = m["formatted_address"]
        .as_str()
        .expect("every meeting has geographic information");
    let approximate = m["approximate"].as_str().expect("approximate is given");
    assert!(["yes", "no"].contains(&approximate), "{slug}");
    let online = m.get("conference_url").is_some() || m.get("conference_phone").is_some();
    if m.get("location").is_some() {
        // "in-person meetings must have a specific address"
        assert_eq!(approximate, "no", "{slug}");
        assert!(!address.is_empty(), "{slug}");
    } else {
        assert!(online, "{slug}: neither a place nor a way to join");
        assert_eq!(
            approximate, "yes",
            "{slug}: online meetings are placed approximately"
        );
    }
    if let Some(phone) = m.get("conference_phone") {
        // "Should be numeric, except a `+` symbol may be used for international dialers,
        // and `,`, `*`, and `#` can be used to form one-tap phone links."
        let phone = phone.as_str().unwrap();
        let digits = phone.strip_prefix('+').unwrap_or(phone);
        assert!(
            digits.starts_with(|c: char| c.is_ascii_digit())
                && digits
                    .chars()
                    .all(|c| c.is_ascii_digit() || ",*#".contains(c)),
            "{slug}: {phone}"
        );
    }
    if let Some(regions) = m.get("regions") {
        let regions: Vec<&str> = regions
            .as_array()
            .expect("regions is an array")
            .iter()
            .map(|r| r.as_str().expect("regions are strings"))
            .collect();
        assert!(!regions.is_empty() && regions.iter().all(|r| !r.trim().is_empty()));
        // Most general first, as `region` then `sub_region`.
        assert_eq!(m["region"], regions[0], "{slug}");
        if regions.len() > 1 {
            assert_eq!(m["sub_region"], regions[1], "{slug}");
        }
    }
    assert_eq!(
        m["updated"].as_str().unwrap().len(),
        19,
        "YYYY-MM-DD HH:MM:SS"
    );
}

/// How TSML UI shows a meeting of a feed.
#[derive(Debug, PartialEq)]
struct TsmlMeeting {
    online: bool,
    in_person: bool,
    regions: Vec<String>,
}

/// What TSML UI does with one entry of a feed, by the rules of its `loadMeetingData`
/// (code4recovery/tsml-ui, `src/helpers/load-meeting-data.ts`, and the default
/// `conference_providers` of `src/helpers/settings.ts`; MIT):
///
/// - no `slug`, or a slug seen before: the entry is dropped ("no slug", "duplicate slug");
/// - `conference_url` is kept only when its host ends with a known provider's domain
///   (`formatConferenceProvider`: zoom.us, meet.google.com, meet.jit.si, webex.com, …);
/// - `conference_phone` is kept when, with everything but digits, `,`, `+` and `#`
///   removed (`replace(/[^\d,+#]/g, '')`), it has at least 10 characters
///   (`validateConferencePhone`);
/// - without `formatted_address`, one is made of address, city, state and postal code,
///   and country; if that is empty too, the entry is dropped ("no address information");
/// - `approximate` "yes" (a string, any case) makes the address approximate; when it is
///   absent, an address of fewer than 4 comma-separated parts is taken as approximate;
/// - online = a known provider's link or a valid phone; in person = not approximate and
///   not type `TC`; a meeting that is neither is listed as "inactive";
/// - a meeting with a day and time needs `timezone` (or the page's), else it is dropped;
/// - regions: `regions` when it is an array (strings, trimmed, empty ones removed), else
///   `region` then `sub_region`, else `city`.
fn tsml_ui_loads(m: &Json, seen: &mut HashSet<String>) -> Result<TsmlMeeting, String> {
    const PROVIDERS: &[&str] = &[
        "bluejeans.com",
        "discord.gg",
        "freeconference.com",
        "freeconferencecall.com",
        "goto.com",
        "gotomeet.me",
        "gotomeeting.com",
        "meet.google.com",
        "meet.jit.si",
        "meetings.dialpad.com",
        "skype.com",
        "webex.com",
        "zoho.com",
        "zoom.us",
    ];
    let slug = m["slug"].as_str().ok_or("no slug")?;
    if !seen.insert(slug.to_string()) {
        return Err("duplicate slug".into());
    }
    let known_link = m["conference_url"].as_str().is_some_and(|url| {
        url.split('/')
            .nth(2)
            .is_some_and(|host| PROVIDERS.iter().any(|p| host.ends_with(p)))
    });
    let phone = m["conference_phone"].as_str().is_some_and(|p| {
        p.chars()
            .filter(|c| c.is_ascii_digit() || ",+#".contains(*c))
            .count()
            >= 10
    });
    let address = match m["formatted_address"].as_str() {
        Some(a) if !a.is_empty() => a.to_string(),
        _ => ["address", "city", "state", "postal_code", "country"]
            .iter()
            .filter_map(|k| m[k].as_str())
            .collect::<Vec<_>>()
            .join(", "),
    };
    if address.is_empty() {
        return Err("no address information".into());
    }
    let approximate = match m["approximate"].as_str() {
        Some(a) => a.eq_ignore_ascii_case("yes"),
        None => address.split(',').count() < 4,
    };
    if m["day"].is_number() && m["time"].is_string() && !m["timezone"].is_string() {
        return Err("no timezone".into());
    }
    let temporarily_closed = m["types"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t == "TC"));
    let regions = match m["regions"].as_array() {
        Some(r) => r
            .iter()
            .filter_map(|r| r.as_str())
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .collect(),
        None => ["region", "sub_region"]
            .iter()
            .filter_map(|k| m[k].as_str().map(String::from))
            .collect(),
    };
    Ok(TsmlMeeting {
        online: known_link || phone,
        in_person: !temporarily_closed && !approximate,
        regions,
    })
}

fn reserved_types() -> serde_json::Map<String, Json> {
    serde_json::from_str(
        &std::fs::read_to_string(format!("{SPECS}/meeting-guide/types.json")).expect("spec"),
    )
    .unwrap()
}

#[test]
fn every_weekly_meeting_of_the_example_site_reaches_meeting_finders() {
    let out = tempfile::tempdir().unwrap();
    common::peerpress()
        .args([
            "build",
            concat!(env!("CARGO_MANIFEST_DIR"), "/example-site"),
        ])
        .arg("--output-dir")
        .arg(out.path())
        .assert()
        .success();
    let feed: Json =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("meetings.json")).unwrap())
            .unwrap();
    let meetings = feed.as_array().unwrap();
    let reserved = reserved_types();
    let mut seen = HashSet::new();
    for m in meetings {
        follows_meeting_guide_rules(m, &reserved);
        let shown = tsml_ui_loads(m, &mut seen)
            .unwrap_or_else(|why| panic!("TSML UI drops {}: {why}", m["slug"]));
        assert!(
            shown.online || shown.in_person,
            "TSML UI lists {} as inactive",
            m["slug"]
        );
    }
    let find = |slug: &str| {
        meetings
            .iter()
            .find(|m| m["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug} is in the feed"))
    };
    // The online-only meeting: placed where the site says, joined by a one-tap dial-in.
    let online = find("depression-and-anxiety-across-the-pond");
    assert_eq!(online["formatted_address"], "Riverside, Warwickshire, GB");
    assert_eq!(online["approximate"], "yes");
    assert_eq!(online["conference_phone"], "+12125550100,,4455667#");
    assert!(online.get("location").is_none() && online.get("latitude").is_none());
    let shown = tsml_ui_loads(online, &mut HashSet::new()).unwrap();
    assert!(shown.online && !shown.in_person);
    // Its own types go out by their codes (`step-study` is ST).
    assert_eq!(online["types"], serde_json::json!(["O", "ST"]));
    assert_eq!(
        find("depression-and-anxiety-wednesday")["types"],
        serde_json::json!(["BE", "LIT", "O", "X"])
    );
    // A meeting held in Spanish is typed so, once.
    assert_eq!(
        find("grupo-en-espanol-sabado")["types"],
        serde_json::json!(["BE", "O", "S", "X"])
    );
    // An area and the part of it.
    let hall = find("hearing-voices-tuesday-evening");
    assert_eq!(
        hall["regions"],
        serde_json::json!(["Town centre", "Church Lane"])
    );
    assert_eq!(
        tsml_ui_loads(hall, &mut HashSet::new()).unwrap().regions,
        ["Town centre", "Church Lane"]
    );
    assert_eq!(
        hall["formatted_address"],
        "12 Church Lane, Riverside RV1 2AB, GB"
    );
}

#[test]
fn tsml_ui_rules_tell_a_listed_meeting_from_a_dropped_or_inactive_one() {
    let mut seen = HashSet::new();
    let base = serde_json::json!({"slug": "a", "name": "A", "day": 1, "time": "19:00", "timezone": "Europe/London"});
    let with = |fields: Json| {
        let mut m = base.clone();
        m.as_object_mut()
            .unwrap()
            .extend(fields.as_object().unwrap().clone());
        m
    };
    // An online meeting with no place at all is dropped.
    let no_place = with(serde_json::json!({"conference_url": "https://zoom.us/j/1"}));
    assert!(tsml_ui_loads(&no_place, &mut seen).is_err());
    // Placed approximately, with a link of a provider it does not know and no phone, it
    // is inactive.
    let unknown_link = with(
        serde_json::json!({"slug": "b", "formatted_address": "Riverside, GB", "approximate": "yes", "conference_url": "https://meet.example.org/x"}),
    );
    let shown = tsml_ui_loads(&unknown_link, &mut seen).unwrap();
    assert!(!shown.online && !shown.in_person);
    // A short phone number is not a dial-in.
    let short_phone = with(
        serde_json::json!({"slug": "c", "formatted_address": "Riverside, GB", "approximate": "yes", "conference_phone": "116 123"}),
    );
    assert!(!tsml_ui_loads(&short_phone, &mut seen).unwrap().online);
    assert_eq!(
        tsml_ui_loads(&with(serde_json::json!({"slug": "c"})), &mut seen),
        Err("duplicate slug".into())
    );
}

#[test]
fn site_types_and_the_meeting_guide_vocabulary_reach_pages_and_the_feed() {
    let site = Fixture::new();
    site.write(
        "site.yaml",
        &format!(
            "{}meeting_types:\n  vocabulary: meeting-guide\n  custom:\n    big-book:\n      label: {{ en: Big Book study, es: Estudio del Libro Grande }}\n      code: B\n      description: We read the book together.\n    walk-talk:\n      label: Walk and talk\nonline_location: {{ city: Riverside, country: GB }}\n",
            common::SITE
        ),
    );
    site.write(
        "groups/voices.md",
        "---
name: Hearing Voices Group
meetings:
  - id: tuesday
    day: tuesday
    time: \"19:00-20:30\"
    venue: hall
    types: [open, Big Book, walk and talk, GR, Spanish, child care]
    language: es
  - id: online
    day: friday
    time: \"18:00-19:00\"
    online: { url: https://zoom.us/j/123456, phone: \"+1 212 555 0100,,123456#\" }
    types: [Grapevine]
---
Body.
",
    );
    build_before_dst(&site);
    let feed: Json = serde_json::from_str(&site.page("meetings.json")).unwrap();
    let reserved = reserved_types();
    let mut seen = HashSet::new();
    for m in feed.as_array().unwrap() {
        follows_meeting_guide_rules(m, &reserved);
        tsml_ui_loads(m, &mut seen).unwrap();
    }
    let tuesday = &feed[0];
    // `Spanish` the type and `es` the language are one `S`; `walk-talk` has no code.
    assert_eq!(
        tuesday["types"],
        serde_json::json!(["B", "BA", "GR", "O", "S"])
    );
    let online = &feed[1];
    assert_eq!(online["formatted_address"], "Riverside, GB");
    let page = site.page("meetings/voices-tuesday/index.html");
    for label in ["Big Book study", "Walk and talk", "Grapevine", "Spanish"] {
        assert!(page.contains(label), "{label} is shown");
    }
    let dial = site.page("meetings/voices-online/index.html");
    assert!(dial.contains("href=\"tel:+12125550100,,123456%23\""));
    let list = site.page("meetings/index.html");
    assert!(list.contains("<dt>Big Book study</dt><dd>We read the book together.</dd>"));
    // Long lines of a calendar are folded: unfolded, the description names the types.
    let calendar = site
        .page("meetings/voices-tuesday.ics")
        .replace("\r\n ", "");
    assert!(calendar.contains("Big Book study"), "{calendar}");
}

/// A site with a venue closed around the build, a paused meeting and one-off changes:
/// the hall is closed 15 March to 4 April 2027, the Tuesday meeting moves to the
/// library on 30 March (so it meets, elsewhere), is earlier on 13 April, online only on
/// 20 April, at the library on 27 April and cancelled on 4 May.
fn closures_site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "venues.yaml",
        "hall:
  name: Church Hall
  address: { street: 1 Church Lane, town: Riverside, postcode: RV1 2AB }
  closed:
    - { from: 2027-03-15, to: 2027-04-04, reason: Roof repairs }
library:
  name: Riverside Library
  address: { street: 1 Market Square, town: Riverside, postcode: RV1 1AA }
",
    );
    site.write(
        "groups/voices.md",
        "---
name: Hearing Voices Group
meetings:
  - id: tuesday
    day: tuesday
    time: \"19:00-20:30\"
    venue: hall
    online: { url: https://meet.example.org/voices }
    changes:
      - { date: 2027-03-30, venue: library, reason: The hall is closed }
      - { date: 2027-04-13, time: \"18:00-19:00\", reason: Earlier this week }
      - { date: 2027-04-20, online_only: true }
      - { date: 2027-04-27, venue: library }
      - { date: 2027-05-04, cancelled: true, reason: Bank holiday week }
  - id: thursday
    day: thursday
    time: \"10:00-11:00\"
    venue: library
    status: paused
    paused_until: 2027-04-15
  - id: friday
    day: friday
    time: \"18:00-19:00\"
    venue: library
  - id: ended
    day: monday
    time: \"18:00-19:00\"
    venue: library
    ends: 2027-01-04
---
Body.
",
    );
    site
}

/// The `VEVENT`s of `ics` whose UID starts with `slug@`, as (property, value) lists.
fn components_of(ics: &str, slug: &str) -> Vec<Vec<(String, String)>> {
    let unfolded = icalendar::parser::unfold(ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("the calendar parses");
    calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .map(|c| {
            c.properties
                .iter()
                .map(|p| (p.name.as_str().to_string(), p.val.as_str().to_string()))
                .collect::<Vec<_>>()
        })
        .filter(|props| {
            props
                .iter()
                .any(|(k, v)| k == "UID" && v.starts_with(&format!("{slug}@")))
        })
        .collect()
}

fn property<'a>(props: &'a [(String, String)], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[test]
fn closures_pauses_and_changes_reach_the_calendars() {
    let site = closures_site();
    build_before_dst(&site);
    let ics = site.page("meetings/voices-tuesday.ics");
    let all = events(&ics);
    let master = all
        .iter()
        .find(|e| e.uid.starts_with("voices-tuesday@") && e.rule_set.contains("RRULE"))
        .expect("the recurring event");
    // The rule's own dates: the closed 23 March and the cancelled 4 May are gone; the
    // changed dates are still dates of the rule, each replaced by its own VEVENT.
    assert_eq!(
        occurrences(master, 8),
        [
            "2027-03-30 19:00 +0100",
            "2027-04-06 19:00 +0100",
            "2027-04-13 19:00 +0100",
            "2027-04-20 19:00 +0100",
            "2027-04-27 19:00 +0100",
            "2027-05-11 19:00 +0100",
            "2027-05-18 19:00 +0100",
            "2027-05-25 19:00 +0100",
        ],
        "{}",
        master.rule_set
    );
    assert!(
        master
            .rule_set
            .contains("DTSTART;TZID=Europe/London:20260106T190000"),
        "DTSTART is the first Tuesday from the fixed day, not the build's: {}",
        master.rule_set
    );
    let overrides: Vec<_> = components_of(&ics, "voices-tuesday")
        .into_iter()
        .filter(|p| property(p, "RECURRENCE-ID").is_some())
        .collect();
    let by_date = |id: &str| {
        overrides
            .iter()
            .find(|p| property(p, "RECURRENCE-ID") == Some(id))
            .unwrap_or_else(|| panic!("no change for {id}"))
    };
    assert_eq!(overrides.len(), 4);
    let moved = by_date("20270330T190000");
    assert_eq!(property(moved, "DTSTART"), Some("20270330T190000"));
    assert!(property(moved, "LOCATION")
        .unwrap()
        .starts_with("Riverside Library"));
    let earlier = by_date("20270413T190000");
    assert_eq!(property(earlier, "DTSTART"), Some("20270413T180000"));
    assert_eq!(property(earlier, "DTEND"), Some("20270413T190000"));
    assert!(property(earlier, "DESCRIPTION")
        .unwrap()
        .contains("Earlier this week"));
    let online = by_date("20270420T190000");
    assert_eq!(
        property(online, "LOCATION"),
        Some("https://meet.example.org/voices")
    );

    // A meeting that has ended keeps its event (a calendar needs one), ending at UNTIL.
    let ended = events(&site.page("meetings/voices-ended.ics"));
    assert_eq!(ended.len(), 1);
    assert!(ended[0].rule_set.contains("UNTIL=20270104T180000Z"));
    assert_eq!(
        occurrences_from(&ended[0], "2026-12-20", 9),
        [
            "2026-12-21 18:00 +0000",
            "2026-12-28 18:00 +0000",
            "2027-01-04 18:00 +0000"
        ]
    );

    // Paused until 15 April: the Thursdays from the build to then are EXDATEs.
    let thursday = events(&site.page("meetings/voices-thursday.ics"));
    assert_eq!(
        occurrences(&thursday[0], 2),
        ["2027-04-15 10:00 +0100", "2027-04-22 10:00 +0100"],
        "{}",
        thursday[0].rule_set
    );
}

#[test]
fn closures_pauses_and_changes_reach_json_ld_meeting_guide_and_pages() {
    let site = closures_site();
    build_before_dst(&site);
    let blocks = json_ld(&site.page("meetings/voices-tuesday/index.html"));
    let graph = blocks[0]["@graph"].as_array().unwrap();
    let shown: Vec<(&str, &str)> = graph
        .iter()
        .filter(|n| n["superEvent"].is_object())
        .map(|n| {
            (
                n["startDate"].as_str().unwrap(),
                n["eventStatus"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("https://schema.org/"),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("2027-03-23T19:00:00+00:00", "EventCancelled"),
            ("2027-03-30T19:00:00+01:00", "EventScheduled"),
            ("2027-04-06T19:00:00+01:00", "EventScheduled"),
            ("2027-04-13T18:00:00+01:00", "EventRescheduled"),
            ("2027-04-20T19:00:00+01:00", "EventMovedOnline"),
        ]
    );
    let online = graph
        .iter()
        .find(|n| n["eventStatus"] == "https://schema.org/EventMovedOnline")
        .unwrap();
    assert_eq!(online["location"]["@type"], "VirtualLocation");
    assert_eq!(
        online["eventAttendanceMode"],
        "https://schema.org/OnlineEventAttendanceMode"
    );
    let moved = graph
        .iter()
        .find(|n| n["superEvent"].is_object() && n["startDate"] == "2027-03-30T19:00:00+01:00")
        .unwrap();
    assert_eq!(moved["location"]["name"], "Riverside Library");
    let earlier = graph
        .iter()
        .find(|n| n["eventStatus"] == "https://schema.org/EventRescheduled")
        .unwrap();
    assert_eq!(earlier["previousStartDate"], "2027-04-13T19:00:00+01:00");
    let event = graph
        .iter()
        .find(|n| n["eventSchedule"].is_object())
        .unwrap();
    let except = event["eventSchedule"]["exceptDate"].as_array().unwrap();
    assert!(except.contains(&Json::from("2027-03-23")));
    assert!(except.contains(&Json::from("2027-05-04")));
    assert!(
        !except.contains(&Json::from("2027-03-30")),
        "it meets elsewhere that day"
    );

    // meetings.json: the Tuesday meeting's venue is closed on the day of the build and
    // the Thursday meeting is paused, so both are "temporarily closed"; Friday is not.
    let feed: Json = serde_json::from_str(&site.page("meetings.json")).unwrap();
    let types = |slug: &str| -> Vec<String> {
        feed.as_array()
            .unwrap()
            .iter()
            .find(|m| m["slug"] == slug)
            .unwrap_or_else(|| panic!("{slug} is listed"))
            .get("types")
            .and_then(Json::as_array)
            .map(|t| t.iter().map(|t| t.as_str().unwrap().to_string()).collect())
            .unwrap_or_default()
    };
    assert!(types("voices-tuesday").contains(&"TC".to_string()));
    assert!(types("voices-thursday").contains(&"TC".to_string()));
    assert!(!types("voices-friday").contains(&"TC".to_string()));

    // The pages say so first, and the next dates show the changed ones.
    let page = site.page("meetings/voices-tuesday/index.html");
    assert!(page.contains("Church Hall is closed from Monday 15 March 2027 to Sunday 4 April 2027"));
    assert!(page.contains("Reason: Roof repairs"));
    assert!(page.contains("Tuesday 30 March 2027: at Riverside Library."));
    assert!(page.contains("<li data-until=\"2027-05-04T23:00:00Z\"><time datetime=\"2027-05-04\">Tuesday 4 May 2027</time> (Bank holiday week)</li>"));
    assert!(page.contains("Tuesday 13 April 2027: 18:00–19:00 instead of 19:00–20:30."));
    assert!(page.contains("(18:00–19:00 instead of 19:00–20:30: Earlier this week)"));
    // The page's script is told the same: the hall's closure, but not 30 March, when the
    // meeting is at the library.
    assert!(
        page.contains("data-cancelled=\"2027-05-04 2027-03-15/2027-03-29 2027-03-31/2027-04-04\"")
    );
    let paused = site.page("meetings/voices-thursday/index.html");
    assert!(paused.contains("This meeting is paused until Thursday 15 April 2027."));
    assert!(paused.contains("<li><time datetime=\"2027-04-15\">"));
    let group = site.page("groups/voices/index.html");
    assert!(group.contains("This meeting is paused until Thursday 15 April 2027."));
    assert!(group.contains("Church Hall is closed from"));
}
