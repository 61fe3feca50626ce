//! What the templates see of groups, their meetings and topics: each made display-ready
//! (links made, times and dates in the site's language), once per build.

use jiff::civil::Date;
use serde::Serialize;

use super::file::Online;
use crate::model::contact::{Contact, WebUrl};
use crate::model::{urls, Group, Meeting, Site, Topic};
use crate::render::views::{
    change_text, change_words, date_view, schedule_text, until_end_of, venue_view, CalendarLinks,
    DateView, LabelView, LinkView, VenueView,
};
use crate::schedule::parse::day_key;
use crate::schedule::{Dated, NotMeeting, Occurrence, Recurrence, Schedule};

/// How far ahead a meeting's page and card announce cancellations, closures and changes.
const NOTICE_DAYS: i32 = 42;

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
    /// Every date or range of dates it does not meet (cancelled, venue closed, paused),
    /// for scripts: `2026-12-22 2026-12-28/2027-01-03`.
    pub cancelled_all: String,
    /// The one-off changes, for scripts: a JSON object from each date to its change in
    /// words, and its start and end if the time changes.
    pub changes_all: String,
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
    /// Dates still to come it does not meet (cancelled or the venue closed), with the
    /// reason.
    pub cancelled: Vec<NoteDateView>,
    /// The next few dates it takes place, each with its change in words, if any.
    pub next: Vec<NoteDateView>,
    /// Whether the meeting is paused now.
    pub paused: bool,
    /// What a visitor must know first: paused, the venue closed, cancelled or changed
    /// dates in the next few weeks.
    pub notices: Vec<NoticeView>,
    /// Whether it has not started yet.
    pub upcoming_start: bool,
    pub ended: bool,
    pub topics: Vec<String>,
    pub calendar: CalendarLinks,
    /// "Report a change": a form's address or a `mailto:` link, when the site has one.
    pub feedback: Option<String>,
}

/// A date with a note: how it is changed, or why the meeting does not take place.
#[derive(Debug, Clone, Serialize)]
pub struct NoteDateView {
    #[serde(flatten)]
    pub date: DateView,
    pub note: Option<String>,
    /// For a date it does not meet: when that date is over where it meets
    /// (`render::views::until`), for scripts to drop it then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// One notice on a meeting: its sentence, the reason given, and when the last date it
/// is about is over (`until`, for scripts to drop it then).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeView {
    pub text: String,
    pub reason: Option<String>,
    pub until: Option<String>,
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
    let next: Vec<(Occurrence, Option<String>)> = r
        .upcoming(&site.now, 4, 400)
        .into_iter()
        .map(|o| {
            let change = r.change_on(o.date).map(|c| change_text(site, m, c));
            (o, change)
        })
        .collect();
    let zone_today = site.now.to_zoned(r.time_zone().clone()).date();
    // Every date still to come it does not meet, as the old list of cancelled dates
    // was: the page's script only takes away those gone by.
    let cancelled = r
        .not_meeting_dates(zone_today, zone_today)
        .into_iter()
        .filter_map(|date| {
            let reason = r.not_meeting(date).and_then(not_meeting_reason)?;
            Some(NoteDateView {
                date: date_view(site, date),
                note: reason.map(str::to_string),
                until: until_end_of(date, r.time_zone()),
            })
        })
        .collect();
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
        cancelled_all: not_meeting_data(r),
        changes_all: changes_data(site, m),
        zone_abbreviation: next.first().map(|(o, _)| o).map_or_else(
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
                key: ty.key.clone(),
                label: ty.label(t),
            })
            .collect(),
        language: m.language.clone(),
        notes: m.notes.clone(),
        starts: r.starts.map(|d| date_view(site, d)),
        ends: r.ends.map(|d| date_view(site, d)),
        cancelled,
        next: next
            .iter()
            .map(|(o, note)| NoteDateView {
                date: date_view(site, o.date),
                note: note.clone(),
                until: None,
            })
            .collect(),
        paused: r
            .not_meeting(today)
            .is_some_and(|w| matches!(w, NotMeeting::Paused(_))),
        notices: notices(site, m),
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

/// Why the meeting does not meet on a date, for its list of such dates: the reason
/// (which may be none), or `None` for a paused meeting, whose notice says so once.
fn not_meeting_reason(why: NotMeeting<'_>) -> Option<Option<&str>> {
    match why {
        NotMeeting::Cancelled { reason } => Some(reason),
        NotMeeting::Closed(closure) => Some(closure.reason.as_deref()),
        NotMeeting::Paused(_) => None,
    }
}

/// The dates and ranges the meeting does not meet, as scripts read them: cancelled
/// dates, the venue's closures (`from/to`), and a pause (from the beginning of time).
pub(crate) fn not_meeting_data(r: &Recurrence) -> String {
    let mut all: Vec<String> = r.cancelled.keys().map(|d| d.to_string()).collect();
    for closure in &r.closed {
        // A date the meeting meets elsewhere is left out of its venue's closure.
        let mut from = Some(closure.from);
        let elsewhere = r.changes.range(closure.from..=closure.to);
        for (date, _) in elsewhere.filter(|(_, c)| c.elsewhere()) {
            if let (Some(start), Ok(before)) = (from, date.yesterday()) {
                if start <= before {
                    all.push(format!("{start}/{before}"));
                }
            }
            from = date.tomorrow().ok();
        }
        if let Some(start) = from.filter(|s| *s <= closure.to) {
            all.push(format!("{start}/{}", closure.to));
        }
    }
    if let Some(pause) = r.paused {
        let last = pause
            .until
            .and_then(|u| u.yesterday().ok())
            .map_or_else(|| "9999-12-31".to_string(), |d| d.to_string());
        all.push(format!("0000-01-01/{last}"));
    }
    all.join(" ")
}

/// The one-off changes as scripts read them: `{"2027-01-07":["18:00–19:00 instead of
/// 19:00–20:30","18:00","19:00"]}`; a change of place alone has no times.
fn changes_data(site: &Site, m: &Meeting) -> String {
    if m.recurrence.changes.is_empty() {
        return String::new();
    }
    let map: serde_json::Map<String, serde_json::Value> = m
        .recurrence
        .changes
        .iter()
        .map(|(date, change)| {
            let mut entry = vec![change_text(site, m, change)];
            if let Some(time) = change.time {
                entry.push(crate::schedule::hh_mm(time.start));
                entry.push(crate::schedule::hh_mm(time.end));
            }
            (date.to_string(), entry.into())
        })
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// What a visitor must know before going: the meeting is paused, its venue is closed,
/// or a date in the next few weeks is cancelled or changed.
fn notices(site: &Site, m: &Meeting) -> Vec<NoticeView> {
    let t = &site.translations;
    let r = &m.recurrence;
    let mut notices = Vec::new();
    let today = site.now.to_zoned(r.time_zone().clone()).date();
    if let Some(pause) = r.paused.filter(|p| p.until.is_none_or(|u| u > today)) {
        notices.push(NoticeView {
            text: match pause.until {
                Some(until) => t
                    .get("notice_paused_until")
                    .replace("{date}", &t.date_long(until)),
                None => t.get("notice_paused"),
            },
            reason: None,
            until: pause
                .until
                .and_then(|u| u.yesterday().ok())
                .and_then(|last| until_end_of(last, r.time_zone())),
        });
        return notices;
    }
    let venue_name = |key: Option<&String>| {
        key.and_then(|k| site.venues.get(k))
            .map_or_else(String::new, |v| v.name.clone())
    };
    r.walk(&site.now, NOTICE_DAYS, |dated| {
        let notice = match dated {
            Dated::NotMeeting(_, NotMeeting::Closed(closure)) => NoticeView {
                text: t
                    .get("notice_closed")
                    .replace("{venue}", &venue_name(m.venue.as_ref()))
                    .replace("{from}", &t.date_long(closure.from))
                    .replace("{to}", &t.date_long(closure.to)),
                reason: closure.reason.clone(),
                until: until_end_of(closure.to, r.time_zone()),
            },
            Dated::NotMeeting(o, NotMeeting::Cancelled { reason }) => NoticeView {
                text: t
                    .get("notice_cancelled")
                    .replace("{date}", &t.date_long(o.date)),
                reason: reason.map(str::to_string),
                until: until_end_of(o.date, r.time_zone()),
            },
            Dated::Meets(o, Some(change)) => NoticeView {
                text: t
                    .get("notice_changed")
                    .replace("{date}", &t.date_long(o.date))
                    .replace("{change}", &change_words(site, m, change)),
                reason: change.reason.clone(),
                until: until_end_of(o.date, r.time_zone()),
            },
            _ => return true,
        };
        if !notices.contains(&notice) {
            notices.push(notice);
        }
        true
    });
    notices
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
