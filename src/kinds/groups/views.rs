//! What the templates see of groups, their meetings and topics: each made display-ready
//! (links made, times and dates in the site's language), once per build.

use jiff::civil::Date;
use serde::Serialize;

use super::file::Online;
use crate::model::contact::{Contact, WebUrl};
use crate::model::{urls, Group, Meeting, Site, Topic};
use crate::render::views::{
    date_view, schedule_text, venue_view, CalendarLinks, DateView, LabelView, LinkView, VenueView,
};
use crate::schedule::parse::day_key;
use crate::schedule::{Occurrence, Schedule};

#[derive(Debug, Clone, Serialize)]
pub struct MeetingView {
    pub slug: String,
    pub name: String,
    pub href: String,
    pub url: String,
    pub group: LinkView,
    pub group_slug: String,
    pub day: LabelView,
    /// `Every Tuesday`, `First Monday of the month`…
    pub schedule: String,
    /// `weekly`, `fortnightly`, `monthly`.
    pub frequency: &'static str,
    /// For monthly meetings: `first` … `last`.
    pub week: Option<&'static str>,
    /// For fortnightly meetings: a date it meets on.
    pub anchor: Option<String>,
    /// Every cancelled date, for scripts (`2026-12-22 2026-12-29`).
    pub cancelled_all: String,
    /// The zone's abbreviation at the next meeting (`GMT`, `EST`).
    pub zone_abbreviation: String,
    /// The abbreviation now and each date it changes over the year ahead (`GMT
    /// 2027-03-28 BST 2027-10-31 GMT`), for the script that recomputes the next date.
    pub zone_changes: String,
    /// The venue's area as a slug, for filtering.
    pub area_slug: Option<String>,
    /// `19:00–20:30`.
    pub time: String,
    /// `19:00` and `20:30`, for machines.
    pub start: String,
    pub end: String,
    /// Minutes since midnight at the start, for sorting and filtering by time of day.
    pub start_minutes: i32,
    /// `morning`, `afternoon` or `evening`.
    pub time_of_day: &'static str,
    pub timezone: String,
    /// Whether the meeting is in a zone other than the site's (then the zone is shown).
    pub other_timezone: bool,
    pub format: LabelView,
    pub venue: Option<VenueView>,
    pub online: Option<Online>,
    pub types: Vec<LabelView>,
    pub language: Option<String>,
    pub notes: Option<String>,
    pub starts: Option<DateView>,
    pub ends: Option<DateView>,
    /// Cancelled dates still to come.
    pub cancelled: Vec<DateView>,
    /// The next few dates it takes place.
    pub next: Vec<DateView>,
    /// Whether it has not started yet.
    pub upcoming_start: bool,
    pub ended: bool,
    pub topics: Vec<String>,
    pub calendar: CalendarLinks,
    /// "Report a change": a form's address or a `mailto:` link, when the site has one.
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub slug: String,
    pub name: String,
    pub href: String,
    pub url: String,
    pub summary: Option<String>,
    pub topics: Vec<LinkView>,
    pub audience: Option<String>,
    pub cost: Option<String>,
    pub contact: Contact,
    pub website: Option<WebUrl>,
    /// Its meetings (indices into `Views::meetings`); templates see them as `meetings`,
    /// sharing each meeting's template value (see `render::global_context`).
    #[serde(skip)]
    pub meetings: Vec<usize>,
    /// The formats of its meetings, e.g. `["in-person", "online"]`.
    pub formats: Vec<LabelView>,
    /// The language its meetings are held in, when they all share one.
    pub language: Option<String>,
    pub calendar: CalendarLinks,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicView {
    pub slug: String,
    pub name: String,
    pub href: String,
    pub groups: Vec<String>,
}

/// A meeting as templates see it, with its next dates from `today`.
pub(crate) fn meeting_view(site: &Site, m: &Meeting, today: Date) -> MeetingView {
    let t = &site.translations;
    let group = &site.groups[m.group];
    let r = &m.recurrence;
    let (schedule, frequency) = schedule_text(site, &r.schedule);
    let minutes = i32::from(r.time.start.hour()) * 60 + i32::from(r.time.start.minute());
    let format = m.format().key();
    let next: Vec<Occurrence> = r.upcoming(&site.now, 4, 400);
    MeetingView {
        slug: m.slug.clone(),
        name: m.name.clone(),
        href: site.config.base_url.href(&urls::meeting(&m.slug)),
        url: site.config.base_url.absolute(&urls::meeting(&m.slug)),
        group: LinkView {
            name: group.name.clone(),
            href: site.config.base_url.href(&urls::group(&group.slug)),
        },
        group_slug: group.slug.clone(),
        day: LabelView {
            key: day_key(r.schedule.day()).to_string(),
            label: t.day(r.schedule.day()),
        },
        schedule,
        frequency,
        week: match r.schedule {
            Schedule::Monthly { week, .. } => Some(week.key()),
            _ => None,
        },
        anchor: match r.schedule {
            Schedule::Fortnightly { anchor, .. } => Some(anchor.to_string()),
            _ => None,
        },
        cancelled_all: r
            .cancelled
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join(" "),
        zone_abbreviation: next.first().map_or_else(
            || {
                r.occurrence_on(today)
                    .start
                    .time_zone()
                    .to_offset_info(site.now)
                    .abbreviation()
                    .to_string()
            },
            |o| {
                o.start
                    .time_zone()
                    .to_offset_info(o.start.timestamp())
                    .abbreviation()
                    .to_string()
            },
        ),
        zone_changes: crate::schedule::zone_names::changes(r.time_zone(), r.time.start, site.now),
        area_slug: m
            .venue
            .as_ref()
            .and_then(|k| site.venues.get(k))
            .and_then(|v| v.area.as_deref())
            .map(crate::model::slug::slugify),
        time: t.time_range(r.time.start, r.time.end),
        start: crate::schedule::hh_mm(r.time.start),
        end: crate::schedule::hh_mm(r.time.end),
        start_minutes: minutes,
        time_of_day: match minutes {
            ..720 => "morning",
            720..1020 => "afternoon",
            _ => "evening",
        },
        timezone: r.zone.name.clone(),
        other_timezone: r.zone.name != site.config.timezone.name,
        format: LabelView {
            key: format.to_string(),
            label: t.get(&format!("format_{format}")),
        },
        venue: m
            .venue
            .as_ref()
            .and_then(|k| site.venues.get(k))
            .map(venue_view),
        online: m.online.clone(),
        types: m
            .types
            .iter()
            .map(|ty| LabelView {
                key: ty.key.to_string(),
                label: t.get(&format!("type_{}", ty.key)),
            })
            .collect(),
        language: m.language.clone(),
        notes: m.notes.clone(),
        starts: r.starts.map(|d| date_view(site, d)),
        ends: r.ends.map(|d| date_view(site, d)),
        cancelled: r
            .cancelled
            .iter()
            .filter(|d| **d >= today)
            .map(|d| date_view(site, *d))
            .collect(),
        next: next.iter().map(|o| date_view(site, o.date)).collect(),
        upcoming_start: r.starts.is_some_and(|s| s > today),
        ended: r.has_ended(today),
        topics: group
            .topics
            .iter()
            .map(|name| crate::model::slug::slugify(name))
            .collect(),
        calendar: CalendarLinks::new(site, &urls::meeting_calendar(&m.slug), &m.name),
        feedback: feedback_link(site, m),
    }
}

/// The meeting's "Report a change" link, with its details filled in.
pub(crate) fn feedback_link(site: &Site, m: &Meeting) -> Option<String> {
    let report_to = site.config.feedback.report_to.as_ref()?;
    let t = &site.translations;
    let r = &m.recurrence;
    let (schedule, _) = schedule_text(site, &r.schedule);
    let time = t.time_range(r.time.start, r.time.end);
    let url = site.config.base_url.absolute(&urls::meeting(&m.slug));
    let group = &site.groups[m.group].name;
    let fill = |key: &str| {
        t.get(key)
            .replace("{name}", &m.name)
            .replace("{group}", group)
            .replace("{when}", &format!("{schedule}, {time} ({})", r.zone.name))
            .replace("{url}", &url)
    };
    let details = crate::model::feedback::MeetingDetails {
        slug: &m.slug,
        name: &m.name,
        day: &t.day(r.schedule.day()),
        time: &time,
        url: &url,
    };
    Some(report_to.link(&details, &fill("feedback_subject"), &fill("feedback_body")))
}

/// A group as templates see it; `meetings` are the views of every meeting of the site.
pub(crate) fn group_view(site: &Site, g: &Group, meetings: &[MeetingView]) -> GroupView {
    let t = &site.translations;
    let group_meetings: Vec<&MeetingView> = g.meetings.iter().map(|&i| &meetings[i]).collect();
    let mut formats: Vec<String> = group_meetings
        .iter()
        .map(|m| m.format.key.clone())
        .collect();
    formats.sort_by_key(|f| {
        ["in-person", "hybrid", "online"]
            .iter()
            .position(|k| k == f)
    });
    formats.dedup();
    let language = group_meetings
        .first()
        .and_then(|m| m.language.clone())
        .filter(|l| {
            group_meetings
                .iter()
                .all(|m| m.language.as_ref() == Some(l))
        });
    GroupView {
        language,
        calendar: CalendarLinks::new(site, &urls::group_calendar(&g.slug), &g.name),
        slug: g.slug.clone(),
        name: g.name.clone(),
        href: site.config.base_url.href(&urls::group(&g.slug)),
        url: site.config.base_url.absolute(&urls::group(&g.slug)),
        summary: g.summary.clone(),
        topics: g
            .topics
            .iter()
            .map(|name| LinkView {
                name: name.clone(),
                href: site
                    .config
                    .base_url
                    .href(&urls::topic(&crate::model::slug::slugify(name))),
            })
            .collect(),
        audience: g.audience.clone(),
        cost: g.cost.clone(),
        contact: g.contact.clone(),
        website: g.website.clone(),
        meetings: g.meetings.clone(),
        formats: formats
            .into_iter()
            .map(|k| LabelView {
                label: t.get(&format!("format_{k}")),
                key: k,
            })
            .collect(),
    }
}

/// A topic as templates see it, with its groups' slugs.
pub(crate) fn topic_view(site: &Site, topic: &Topic) -> TopicView {
    TopicView {
        slug: topic.slug.clone(),
        name: topic.name.clone(),
        href: site.config.base_url.href(&urls::topic(&topic.slug)),
        groups: topic
            .groups
            .iter()
            .map(|&i| site.groups[i].slug.clone())
            .collect(),
    }
}
