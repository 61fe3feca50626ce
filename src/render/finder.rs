//! `/meetings/finder.json`: what the meetings page's finder filters and shows, for every
//! meeting still going, as compactly as JSON allows, so that a site of thousands of
//! meetings needs one small download (fetched when the finder is first used and cached
//! by the browser) and no page carries them all.
//!
//! It is not a feed for other programs (that is `meetings.json`): its shape is the
//! theme's script's alone. One object:
//!
//! - `base`: the link to the meetings' pages, to which a meeting's slug and `/` are added;
//! - `areas`: `[slug, name]` of each venue area; `venues`: `[name, area or -1]`;
//!   `groups`: group names; `topics`: topic slugs; `types`: meeting type keys;
//!   `languages`: language codes; meetings refer to them by index, so a name shared by
//!   many meetings is written once;
//! - `meetings`: one array per meeting, in the week's order (Monday first, by start):
//!   `[slug, name, day (0 = Monday), start, end (minutes after midnight), format
//!   (0 in person, 1 online, 2 hybrid), venue or -1, [topics], [types], language or -1,
//!   schedule, group or -1 (when its name is the meeting's)]`, where `schedule` holds
//!   what the script needs beyond a weekly meeting in the site's zone, under the names
//!   the pages' `data-` attributes give them (`timezone`, `frequency`, `week`,
//!   `anchor`, `starts`, `ends`, `cancelled`).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Map, Value};

use super::feeds::{Context, Feed, File};
use crate::kinds::groups::file::Format;
use crate::model::slug::slugify;
use crate::model::{urls, Meeting, Site};
use crate::schedule::Schedule;

/// `/meetings/finder.json`.
pub struct MeetingFinder;

impl Feed for MeetingFinder {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let site = cx.site;
        vec![File::new(urls::MEETING_FINDER, move || data(site))]
    }
}

/// A list of names, each given a number the first time it is seen.
#[derive(Default)]
struct Numbered(BTreeMap<String, usize>);

impl Numbered {
    fn number(&mut self, name: &str) -> usize {
        let next = self.0.len();
        *self.0.entry(name.to_string()).or_insert(next)
    }

    /// The names, in the order of their numbers.
    fn names(self) -> Vec<String> {
        let mut names: Vec<(usize, String)> = self.0.into_iter().map(|(n, i)| (i, n)).collect();
        names.sort_unstable();
        names.into_iter().map(|(_, n)| n).collect()
    }
}

#[derive(Serialize)]
struct Data {
    base: String,
    areas: Vec<(String, String)>,
    venues: Vec<(String, i64)>,
    groups: Vec<String>,
    topics: Vec<String>,
    types: Vec<String>,
    languages: Vec<String>,
    meetings: Vec<Value>,
}

/// The lists meetings refer to by number, filled as the meetings are written.
#[derive(Default)]
struct Lists {
    areas: Numbered,
    area_names: BTreeMap<String, String>,
    /// Numbered by key (two venues may share a name); `venue_list` has their names.
    venues: Numbered,
    venue_list: Vec<(String, i64)>,
    groups: Numbered,
    topics: Numbered,
    types: Numbered,
    languages: Numbered,
}

/// The finder's data, as JSON text.
pub fn data(site: &Site) -> String {
    let mut going: Vec<&Meeting> = site
        .meetings
        .iter()
        .filter(|m| {
            let today = site.now.to_zoned(m.recurrence.time_zone().clone()).date();
            !m.recurrence.has_ended(today)
        })
        .collect();
    going.sort_by_cached_key(|m| {
        let r = &m.recurrence;
        (
            r.schedule.day().to_monday_zero_offset(),
            r.time.start,
            m.name.to_lowercase(),
        )
    });
    let mut lists = Lists::default();
    let meetings = going.iter().map(|m| entry(site, m, &mut lists)).collect();
    let Lists {
        areas,
        venues: _,
        mut area_names,
        venue_list,
        groups,
        topics,
        types,
        languages,
    } = lists;
    let data = Data {
        base: site.config.base_url.href("meetings/"),
        areas: areas
            .names()
            .into_iter()
            .map(|slug| {
                let name = area_names.remove(&slug).unwrap_or_else(|| slug.clone());
                (slug, name)
            })
            .collect(),
        venues: venue_list,
        groups: groups.names(),
        topics: topics.names(),
        types: types.names(),
        languages: languages.names(),
        meetings,
    };
    serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_string())
}

fn entry(site: &Site, m: &Meeting, lists: &mut Lists) -> Value {
    let r = &m.recurrence;
    let minutes = |t: jiff::civil::Time| i32::from(t.hour()) * 60 + i32::from(t.minute());
    let venue = m.venue.as_ref().and_then(|k| site.venues.get(k));
    let venue = venue.map_or(-1, |v| {
        let known = lists.venues.0.len();
        let number = lists.venues.number(&v.key);
        if number == known {
            let area = v.area.as_deref().map_or(-1, |name| {
                let slug = slugify(name);
                lists
                    .area_names
                    .entry(slug.clone())
                    .or_insert_with(|| name.to_string());
                lists.areas.number(&slug) as i64
            });
            lists.venue_list.push((v.name.clone(), area));
        }
        number as i64
    });
    let group = &site.groups[m.group];
    let topics: Vec<usize> = group
        .topics
        .iter()
        .map(|name| slugify(name))
        .filter(|slug| !slug.is_empty())
        .map(|slug| lists.topics.number(&slug))
        .collect();
    let types: Vec<usize> = m
        .types
        .iter()
        .map(|ty| lists.types.number(&ty.key))
        .collect();
    let language = m
        .language
        .as_deref()
        .map_or(-1, |code| lists.languages.number(code) as i64);
    let mut schedule = Map::new();
    let mut put = |key: &str, value: String| {
        schedule.insert(key.to_string(), Value::String(value));
    };
    if r.zone.name != site.config.timezone.name {
        put("timezone", r.zone.name.clone());
    }
    match r.schedule {
        Schedule::Weekly { .. } => {}
        Schedule::Fortnightly { anchor, .. } => {
            put("frequency", "fortnightly".into());
            put("anchor", anchor.to_string());
        }
        Schedule::Monthly { week, .. } => {
            put("frequency", "monthly".into());
            put("week", week.key().into());
        }
    }
    if let Some(starts) = r.starts {
        put("starts", starts.to_string());
    }
    if let Some(ends) = r.ends {
        put("ends", ends.to_string());
    }
    // Cancelled dates, the venue's closures and a pause, as the page script reads them.
    let not_meeting = crate::kinds::groups::views::not_meeting_data(r);
    if !not_meeting.is_empty() {
        put("cancelled", not_meeting);
    }
    let format = match m.format() {
        Format::InPerson => 0,
        Format::Online => 1,
        Format::Hybrid => 2,
    };
    json!([
        m.slug,
        m.name,
        r.schedule.day().to_monday_zero_offset(),
        minutes(r.time.start),
        minutes(r.time.end),
        format,
        venue,
        topics,
        types,
        language,
        schedule,
        if group.name == m.name {
            -1
        } else {
            lists.groups.number(&group.name) as i64
        },
    ])
}
