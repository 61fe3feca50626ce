//! What templates see: the model turned into plain, display-ready values (links made,
//! times and dates formatted in the site's language), computed once per build and
//! shared by every page. Each kind's own views are in its module (`kinds::groups::views`,
//! `kinds::directory`); this module gathers them and makes the views several pages
//! share: the week's schedule, what is coming up, the directory's sections.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::Serialize;

use rayon::prelude::*;

use crate::kinds::directory::{organisation_view, OrganisationView};
use crate::kinds::groups::views::{group_view, meeting_view, topic_view};
use crate::kinds::groups::views::{GroupView, MeetingView, TopicView};
use crate::markdown::{self, Links};
use crate::model::contact::Address;
use crate::model::{Site, Venue};
use crate::schedule::parse::day_key;
use crate::schedule::{Change, Schedule};

/// A link to a page: its name and where it is.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    pub name: String,
    pub href: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct DateView {
    /// `2026-12-22`, for `<time datetime>`.
    pub iso: String,
    /// `Tuesday 22 December 2026`, in the site's language.
    pub label: String,
    pub short: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LabelView {
    pub key: String,
    pub label: String,
}

/// A meeting type in the legend: its key and name, and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct TypeView {
    pub key: String,
    pub label: String,
    /// The legend's explanation, when the type has one.
    pub help: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct VenueView {
    pub key: String,
    pub name: String,
    pub address: Option<Address>,
    /// The area, or the top of the area's hierarchy (`Town centre` of `Town centre / Church Lane`).
    pub area: Option<String>,
    /// The part of the area (`Church Lane`), when `area:` names one.
    pub subarea: Option<String>,
    pub access: Option<String>,
    pub notes: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// "Open in maps" links, from its coordinates or its address.
    pub maps: Option<crate::render::map_links::MapLinks>,
}

/// Ways to put a calendar feed in a calendar app.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarLinks {
    /// The `.ics` file, to download and open ("Add to calendar").
    pub download: String,
    /// `webcal://…`, which calendar apps open as a subscription.
    pub webcal: String,
    pub google: String,
    pub outlook: String,
}

impl CalendarLinks {
    pub fn new(site: &Site, route: &str, name: &str) -> CalendarLinks {
        let absolute = site.config.base_url.absolute(route);
        let webcal = match absolute.split_once("://") {
            Some((_, rest)) => format!("webcal://{rest}"),
            None => absolute.clone(),
        };
        CalendarLinks {
            download: site.config.base_url.href(route),
            google: format!(
                "https://calendar.google.com/calendar/render?cid={}",
                percent_encode(&webcal)
            ),
            outlook: format!(
                "https://outlook.live.com/calendar/0/addfromweb?url={}&name={}",
                percent_encode(&absolute),
                percent_encode(name)
            ),
            webcal,
        }
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (`A–Z a–z 0–9 - . _ ~`).
fn percent_encode(text: &str) -> String {
    const RESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, RESERVED).to_string()
}

/// Entries under a heading: a category, an area, or a letter.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    pub name: String,
    pub entries: Vec<String>,
}

/// The meetings of one weekday.
#[derive(Debug, Clone, Serialize)]
pub struct DayView {
    pub key: &'static str,
    pub name: String,
    pub meetings: Vec<String>,
}

/// The meetings on one date, for "coming up".
#[derive(Debug, Clone, Serialize)]
pub struct UpcomingDay {
    pub date: DateView,
    pub is_today: bool,
    pub items: Vec<UpcomingItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpcomingItem {
    pub meeting: String,
    pub time: String,
    /// How this date is changed, in words.
    pub change: Option<String>,
    /// When this meeting ends ([`until`]), for the script that drops it from a big
    /// site's short "coming up" once it is over.
    pub until: String,
}

/// The most meetings a site may have for its whole week to be on one page, and for
/// "coming up" to list a whole week: beyond it, each day has a page of its own (pages
/// stay light on a phone), and "coming up" lists the next [`UPCOMING_AT_SCALE`].
pub const SMALL_SCHEDULE: usize = 100;

/// The most groups `/groups/` lists itself: beyond it, it links to a page for each
/// initial (`/groups/a-z/m/`).
pub const SMALL_GROUP_LIST: usize = 100;

/// How many meetings a big site's home page lists as coming up.
pub const UPCOMING_AT_SCALE: usize = 12;

/// Everything templates can reach, built once per build.
pub struct Views<'a> {
    pub groups: Vec<GroupView>,
    pub meetings: Vec<MeetingView>,
    pub topics: Vec<TopicView>,
    pub organisations: Vec<OrganisationView<'a>>,
    pub week: Vec<DayView>,
    pub upcoming: Vec<UpcomingDay>,
    /// The meetings still going that are not in `upcoming`, by slug: a visitor's browser
    /// brings them into "coming up" when their day comes, so the page does not go stale.
    pub upcoming_later: Vec<String>,
    pub categories: Vec<Section>,
    pub areas: Vec<Section>,
    pub letters: Vec<Section>,
    pub formats: Vec<LabelView>,
    pub meeting_areas: Vec<String>,
    /// The meeting types in use, in the order the site lists them, for the legend.
    pub types_used: Vec<TypeView>,
    /// The languages meetings are held in (other than unsaid), A–Z by code, for the finder.
    pub meeting_languages: Vec<LabelView>,
    /// Whether the site's meetings still going are few enough for the whole week to be
    /// on `/meetings/` and a whole week in "coming up" (see [`SMALL_SCHEDULE`]).
    pub schedule_in_full: bool,
    /// On a site with more than [`SMALL_GROUP_LIST`] groups, the pages of groups by
    /// initial; empty on a smaller site, whose `/groups/` lists them all.
    pub group_letters: Vec<crate::kinds::groups::initials::InitialPage>,
    pub footer: Option<String>,
    pub diagnostics: Vec<crate::diagnostics::Diagnostic>,
}

/// Builds every view of the site.
pub fn build(site: &Site) -> Views<'_> {
    let t = &site.translations;
    let links = Links {
        routes_by_source: &site.routes_by_source,
        base_url: &site.config.base_url,
        raw_html: site.config.raw_html,
        pictures: &site.pictures,
    };
    let today = site.now.to_zoned(site.config.timezone.zone.clone()).date();

    let meetings: Vec<MeetingView> = site
        .meetings
        .par_iter()
        .map(|m| meeting_view(site, m, today))
        .collect();
    let groups: Vec<GroupView> = site
        .groups
        .par_iter()
        .map(|g| group_view(site, g, &meetings))
        .collect();
    let topics = site
        .topics
        .iter()
        .map(|topic| topic_view(site, topic))
        .collect();
    let organisations: Vec<OrganisationView> = site
        .organisations
        .par_iter()
        .map(|o| organisation_view(site, o))
        .collect();
    let mut diagnostics = Vec::new();
    let footer = site.config.footer.as_ref().map(|f| {
        let rendered = markdown::render(
            &crate::model::Markdown {
                source: f.clone(),
                file: "site.yaml".into(),
                first_line: 1,
            },
            &links,
        );
        diagnostics.extend(rendered.diagnostics);
        rendered.html
    });

    let week = Weekday::Monday
        .cycle_forward()
        .take(7)
        .map(|day| {
            let mut on_day: Vec<&MeetingView> = meetings
                .iter()
                .filter(|m| m.day.key == day_key(day) && !m.ended)
                .collect();
            on_day.sort_by(|a, b| (a.start_minutes, &a.name).cmp(&(b.start_minutes, &b.name)));
            DayView {
                key: day_key(day),
                name: t.day(day),
                meetings: on_day.into_iter().map(|m| m.slug.clone()).collect(),
            }
        })
        .collect();

    let going = meetings.iter().filter(|m| !m.ended).count();
    let schedule_in_full = going <= SMALL_SCHEDULE;
    let (upcoming, upcoming_later) = if schedule_in_full {
        let upcoming = upcoming_days(site, today, usize::MAX);
        let later = meetings_not_in(&upcoming, &meetings);
        (upcoming, later)
    } else {
        // The next few alone: a page listing thousands would be too heavy for a phone,
        // and the meetings page's finder shows what is on now.
        (upcoming_days(site, today, UPCOMING_AT_SCALE), Vec::new())
    };
    let categories = sections(&organisations, |o| o.entry.categories.clone());
    let areas = sections(&organisations, |o| o.entry.areas.clone());
    let letters = sections(&organisations, |o| vec![initial(&o.entry.name)]);
    let formats = ["in-person", "online", "hybrid"]
        .iter()
        .map(|k| LabelView {
            key: k.to_string(),
            label: t.get(&format!("format_{k}")),
        })
        .collect();
    let mut meeting_areas: Vec<String> = meetings
        .iter()
        .filter_map(|m| m.venue.as_ref().and_then(|v| v.area.clone()))
        .collect();
    meeting_areas.sort();
    meeting_areas.dedup();

    let types_used = site
        .config
        .meeting_types
        .all()
        .iter()
        .filter(|ty| site.meetings.iter().any(|m| m.types.contains(ty)))
        .map(|ty| TypeView {
            key: ty.key.clone(),
            label: ty.label(t),
            help: ty.description(t),
        })
        .collect();
    let mut meeting_languages: Vec<LabelView> = meetings
        .iter()
        .filter(|m| !m.ended)
        .filter_map(|m| m.language.clone())
        .map(|code| LabelView {
            label: t
                .strings
                .get(&format!("language_{code}"))
                .cloned()
                .unwrap_or_else(|| code.clone()),
            key: code,
        })
        .collect();
    meeting_languages.sort_by(|a, b| a.key.cmp(&b.key));
    meeting_languages.dedup_by(|a, b| a.key == b.key);
    let group_letters = if groups.len() > SMALL_GROUP_LIST {
        crate::kinds::groups::initials::initial_pages(&groups)
    } else {
        Vec::new()
    };
    Views {
        group_letters,
        groups,
        meetings,
        topics,
        organisations,
        week,
        upcoming,
        upcoming_later,
        categories,
        areas,
        letters,
        formats,
        meeting_areas,
        types_used,
        meeting_languages,
        schedule_in_full,
        footer,
        diagnostics,
    }
}

/// The moment something the page shows is over, as the theme's script reads it from
/// `data-until` to take it away: an instant in UTC (`2026-12-22T20:30:00Z`).
pub(crate) fn until(instant: Timestamp) -> String {
    instant.to_string()
}

/// When what is shown for `date` (a notice, a date not meeting) is over: as the next
/// day begins in `zone`, the meeting's; `None` for a date with no day after it.
pub(crate) fn until_end_of(date: Date, zone: &TimeZone) -> Option<String> {
    let next = date.tomorrow().ok()?.to_zoned(zone.clone()).ok()?;
    Some(until(next.timestamp()))
}

pub(crate) fn date_view(site: &Site, date: Date) -> DateView {
    let t = &site.translations;
    DateView {
        iso: date.to_string(),
        label: t.date_long(date),
        short: t.date_short(date),
    }
}

/// A meeting's schedule in words (`Every Tuesday`, `Last Friday of the month`), and how
/// often it meets (`weekly`, `fortnightly`, `monthly`).
///
/// The week word is put in first, so it may hold the day itself: a language whose
/// ordinals go on either side of the day (Welsh: `Y dydd Llun cyntaf`, `Yr ail ddydd
/// Llun`) writes `{day}` in each week word.
pub fn schedule_text(site: &Site, schedule: &Schedule) -> (String, &'static str) {
    let t = &site.translations;
    let day = schedule.day();
    let fill = |key: &str, week: Option<&str>| {
        t.get(key)
            .replace(
                "{week}",
                &week
                    .map(|w| t.get(&format!("week_{w}")))
                    .unwrap_or_default(),
            )
            .replace("{day}", &t.day(day))
            .replace("{days}", &t.days(day))
    };
    match schedule {
        Schedule::Weekly { .. } => (fill("schedule_weekly", None), "weekly"),
        Schedule::Fortnightly { .. } => (fill("schedule_fortnightly", None), "fortnightly"),
        Schedule::Monthly { week, .. } => (fill("schedule_monthly", Some(week.key())), "monthly"),
    }
}

pub(crate) fn venue_view(venue: &Venue) -> VenueView {
    VenueView {
        key: venue.key.clone(),
        name: venue.name.clone(),
        address: venue.address.clone(),
        area: venue.area.clone(),
        subarea: venue.subarea.clone(),
        access: venue.access.clone(),
        notes: venue.notes.clone(),
        latitude: venue.geo.map(|g| g.0),
        longitude: venue.geo.map(|g| g.1),
        maps: crate::render::map_links::MapLinks::new(
            &venue.name,
            venue.geo,
            venue.address.as_ref(),
        ),
    }
}

/// A one-off change in words, in the site's language: `18:00–19:00 instead of
/// 19:00–20:30`, `online only`, `at Riverside Library`; without its reason.
pub(crate) fn change_words(site: &Site, m: &crate::model::Meeting, change: &Change) -> String {
    let t = &site.translations;
    let usual = &m.recurrence.time;
    let mut parts = Vec::new();
    if let Some(time) = change.time {
        parts.push(
            t.get("change_time")
                .replace("{time}", &t.time_range(time.start, time.end))
                .replace("{usual}", &t.time_range(usual.start, usual.end)),
        );
    }
    if change.online_only {
        parts.push(t.get("change_online_only"));
    }
    if let Some(venue) = change.venue.as_ref().and_then(|k| site.venues.get(k)) {
        parts.push(t.get("change_venue").replace("{venue}", &venue.name));
    }
    parts.join(", ")
}

/// [`change_words`] with the reason after a colon, for a list of dates or a calendar.
pub(crate) fn change_text(site: &Site, m: &crate::model::Meeting, change: &Change) -> String {
    let words = change_words(site, m, change);
    match &change.reason {
        Some(reason) => format!("{words}: {reason}"),
        None => words,
    }
}

/// The next seven days of meetings from the site's today, or the first `limit` of them.
fn upcoming_days(site: &Site, today: Date, limit: usize) -> Vec<UpcomingDay> {
    let mut by_date: BTreeMap<Date, Vec<(jiff::Timestamp, UpcomingItem)>> = BTreeMap::new();
    let Ok(last) = today.checked_add(jiff::ToSpan::days(6)) else {
        return Vec::new();
    };
    for m in &site.meetings {
        for o in m.recurrence.upcoming(&site.now, 8, 8) {
            let change = m
                .recurrence
                .change_on(o.date)
                .map(|c| change_text(site, m, c));
            // Shown on the date it falls in the site's own zone.
            let local = o.start.with_time_zone(site.config.timezone.zone.clone());
            if local.date() > last {
                continue;
            }
            let time = site.translations.time(local.time());
            by_date.entry(local.date()).or_default().push((
                o.start.timestamp(),
                UpcomingItem {
                    meeting: m.slug.clone(),
                    time,
                    change,
                    until: until(o.end.timestamp()),
                },
            ));
        }
    }
    if limit < usize::MAX {
        // The `limit` soonest, wherever their dates fall (many may start at one time:
        // those first in the site's order are kept).
        let mut all: Vec<(Date, (jiff::Timestamp, UpcomingItem))> = std::mem::take(&mut by_date)
            .into_iter()
            .flat_map(|(date, items)| items.into_iter().map(move |item| (date, item)))
            .collect();
        all.sort_by_key(|(_, item)| item.0);
        all.truncate(limit);
        for (date, item) in all {
            by_date.entry(date).or_default().push(item);
        }
    }
    by_date
        .into_iter()
        .map(|(date, mut items)| {
            items.sort_by_key(|item| item.0);
            UpcomingDay {
                date: date_view(site, date),
                is_today: date == today,
                items: items.into_iter().map(|(_, i)| i).collect(),
            }
        })
        .collect()
}

/// The slugs of the meetings that have not ended and are not listed in `upcoming`, in
/// the site's order. Each meeting is in "coming up" or here, so the page carries every
/// meeting's schedule once.
fn meetings_not_in(upcoming: &[UpcomingDay], meetings: &[MeetingView]) -> Vec<String> {
    let listed: std::collections::HashSet<&str> = upcoming
        .iter()
        .flat_map(|day| day.items.iter().map(|item| item.meeting.as_str()))
        .collect();
    meetings
        .iter()
        .filter(|m| !m.ended && !listed.contains(m.slug.as_str()))
        .map(|m| m.slug.clone())
        .collect()
}

/// Groups under their initials, in the groups' order: the section's `id` is the
/// initial as an address (`m`, `e` for `É`, `0-9` for digits), and initials that make
/// one address are one section.
pub(crate) fn initial(name: &str) -> String {
    let name = name.trim_start_matches(|c: char| !c.is_alphanumeric());
    let name = name.strip_prefix("The ").unwrap_or(name);
    name.chars()
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .map(|c| {
            if c.chars().all(|c| c.is_ascii_digit()) {
                "#".to_string()
            } else {
                c
            }
        })
        .unwrap_or_else(|| "#".into())
}

/// Groups entries under headings (categories, areas or letters), headings A–Z.
fn sections(
    organisations: &[OrganisationView],
    keys: impl Fn(&OrganisationView) -> Vec<String>,
) -> Vec<Section> {
    let mut map: BTreeMap<String, Section> = BTreeMap::new();
    for o in organisations {
        for name in keys(o) {
            let id = crate::model::slug::slugify(&name);
            let section = map.entry(name.to_lowercase()).or_insert_with(|| Section {
                id,
                name: name.clone(),
                entries: Vec::new(),
            });
            // Entries are visited in order, so a repeat can only be the last one.
            if section.entries.last() != Some(&o.entry.slug) {
                section.entries.push(o.entry.slug.clone());
            }
        }
    }
    map.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn all_but_unreserved_characters_are_percent_encoded() {
        for (text, encoded) in [
            ("", ""),
            ("Az09-._~", "Az09-._~"),
            ("a b&c/d", "a%20b%26c%2Fd"),
            ("é", "%C3%A9"),
            ("café au lait", "caf%C3%A9%20au%20lait"),
            ("🙂x🙂", "%F0%9F%99%82x%F0%9F%99%82"),
            (
                "webcal://example.org/calendar.ics",
                "webcal%3A%2F%2Fexample.org%2Fcalendar.ics",
            ),
        ] {
            assert_eq!(percent_encode(text), encoded, "{text}");
        }
    }
}
