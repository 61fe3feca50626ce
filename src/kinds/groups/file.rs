//! `groups/*.md`: a group, its meetings (in its front matter) and what to expect (its
//! Markdown body).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::diagnostics::{closest, Diagnostic};
use crate::model::contact::{Contact, DialIn, Phone, WebUrl};
use crate::model::meeting_type::MeetingType;
use crate::model::slug::slugify;
use crate::model::venue::Venue;
use crate::model::yaml::{Parsed, Short, Shorthand, Text, YamlDoc};
use crate::model::Markdown;
use crate::schedule::parse::{day_key, DateValue};
use crate::schedule::{
    Change, Day, Every, Pause, Recurrence, Schedule, WeekOfMonth, WrittenTime, ZoneName,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    name: Text,
    summary: Option<Text>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    topics: Vec<Text>,
    audience: Option<Text>,
    cost: Option<Text>,
    contact: Option<Contact>,
    website: Option<WebUrl>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    meetings: Vec<MeetingFile>,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a meeting, with `day:` and `time:` each on its own line")]
struct MeetingFile {
    id: Option<Text>,
    name: Option<Text>,
    day: Day,
    time: WrittenTime,
    every: Option<Every>,
    week: Option<WeekOfMonth>,
    starts: Option<DateValue>,
    ends: Option<DateValue>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    cancelled: Vec<DateValue>,
    status: Option<Status>,
    paused_until: Option<DateValue>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    changes: Vec<ChangeFile>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    types: Vec<Text>,
    language: Option<Text>,
    notes: Option<Text>,
    timezone: Option<ZoneName>,
    venue: Option<Text>,
    online: Option<Short<OnlineFile>>,
    checked: Option<DateValue>,
}

/// Whether a meeting is running (`status: active`, the default) or paused for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Active,
    Paused,
}

impl Parsed for Status {
    const EXPECTING: &'static str = "`active` or `paused`";
    fn parse(text: &str) -> Result<Self, String> {
        match text.trim().to_lowercase().as_str() {
            "active" => Ok(Status::Active),
            "paused" => Ok(Status::Paused),
            word => {
                let help = match closest(word, ["active", "paused"]) {
                    Some(w) => format!("did you mean `{w}`?"),
                    None => "write `status: paused` while the meeting is not running, or leave `status` out".into(),
                };
                Err(format!("`{text}` is not a meeting status\nhelp: {help}"))
            }
        }
    }
}
crate::deserialize_via_parsed!(Status);

/// One date that differs from the usual meeting (`changes:`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a change for one date, like `{ date: 2027-01-14, online_only: true }`")]
struct ChangeFile {
    date: DateValue,
    #[serde(default)]
    cancelled: bool,
    time: Option<WrittenTime>,
    #[serde(default)]
    online_only: bool,
    venue: Option<Text>,
    reason: Option<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OnlineFile {
    url: Option<WebUrl>,
    phone: Option<DialIn>,
    notes: Option<Text>,
}

impl Shorthand for OnlineFile {
    const EXPECTING: &'static str = "a link like `{ url: https://… }`";
    /// `online: https://…` is the meeting link; `online: 01632 960 555` a dial-in number.
    fn from_text(text: &str) -> Result<Self, String> {
        let link = WebUrl::parse_text(text);
        let dial_in = || {
            text.chars()
                .all(|c| c.is_ascii_digit() || " +-(),*#".contains(c))
        };
        match link {
            Ok(url) => Ok(OnlineFile {
                url: Some(url),
                phone: None,
                notes: None,
            }),
            Err(_) if dial_in() => Ok(OnlineFile {
                url: None,
                phone: Some(<DialIn as crate::model::yaml::Parsed>::parse(text)?),
                notes: None,
            }),
            Err(e) => Err(e),
        }
    }
}

/// How to join a meeting from afar.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Online {
    pub url: Option<WebUrl>,
    pub phone: Option<Phone>,
    pub notes: Option<String>,
}

/// Whether a meeting is in a room, online, or both: derived from its venue and online
/// details, never written by the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    InPerson,
    Online,
    Hybrid,
}

impl Format {
    pub fn key(self) -> &'static str {
        match self {
            Format::InPerson => "in-person",
            Format::Online => "online",
            Format::Hybrid => "hybrid",
        }
    }
}

/// A peer-support group.
#[derive(Debug, Clone)]
pub struct Group {
    pub slug: String,
    pub name: String,
    pub summary: Option<String>,
    /// Topic names as written, in order.
    pub topics: Vec<String>,
    pub audience: Option<String>,
    pub cost: Option<String>,
    pub contact: Contact,
    pub website: Option<WebUrl>,
    /// Indices into `Site::meetings`.
    pub meetings: Vec<usize>,
    pub body: Markdown,
}

/// One regular meeting of a group.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// Unique across the site: `<group>-<id>`.
    pub slug: String,
    pub name: String,
    /// Index into `Site::groups`.
    pub group: usize,
    pub recurrence: Recurrence,
    pub venue: Option<String>,
    pub online: Option<Online>,
    pub types: Vec<MeetingType>,
    pub language: Option<String>,
    pub notes: Option<String>,
    /// When the listing was last confirmed (`checked:`).
    pub checked: Option<jiff::civil::Date>,
}

impl Meeting {
    pub fn format(&self) -> Format {
        match (&self.venue, &self.online) {
            (Some(_), Some(_)) => Format::Hybrid,
            (None, Some(_)) => Format::Online,
            _ => Format::InPerson,
        }
    }
}

/// A group parsed from its file, with its meetings (not yet numbered site-wide).
pub struct ParsedGroup {
    pub group: Group,
    pub meetings: Vec<Meeting>,
    pub draft: bool,
}

/// The longest meeting `id`, in characters, once made into an address: with the group's name it
/// makes the meeting's file names, which file systems limit to 255 bytes.
const MAX_ID_LEN: usize = 60;

/// Parses one group file; its meetings' default time zone is the site's.
#[allow(clippy::too_many_arguments)]
pub fn parse(
    doc: &YamlDoc,
    slug: String,
    body: Markdown,
    config: &crate::model::SiteConfig,
    venues: &BTreeMap<String, Venue>,
    venues_readable: bool,
    twelve_hour_clock: bool,
    now: jiff::Timestamp,
    problems: &mut Vec<Diagnostic>,
) -> Option<ParsedGroup> {
    let site_zone = &config.timezone;
    let file: GroupFile = match doc.parse() {
        Ok(f) => f,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    let mut meetings = Vec::new();
    let mut ids = BTreeSet::new();
    for (i, m) in file.meetings.into_iter().enumerate() {
        let path = format!("meetings[{i}]");
        let id = m.id.as_ref().map_or_else(
            || crate::schedule::parse::day_key(m.day.0).to_string(),
            |id| slugify(&id.0),
        );
        if id.is_empty() {
            problems.push(
                doc.error_at(
                    &format!("{path}.id"),
                    "a meeting `id` needs at least one letter or digit",
                )
                .with_help("use a short name like `tuesday` or `online-monthly`"),
            );
            continue;
        }
        if id.chars().count() > MAX_ID_LEN {
            problems.push(
                doc.error_at(
                    &format!("{path}.id"),
                    format!(
                        "this meeting `id` is {} characters long; it is part of the meeting's web address and file names, which must stay short",
                        id.chars().count()
                    ),
                )
                .with_help(format!(
                    "use a short name of at most {MAX_ID_LEN} characters, like `tuesday-evening`"
                )),
            );
            continue;
        }
        if !ids.insert(id.clone()) {
            let message = if m.id.is_some() {
                format!("two meetings of this group have the id `{id}`")
            } else {
                format!("two meetings of this group are on {id}, so each needs its own `id`")
            };
            problems.push(doc.error_at(&format!("{path}.id"), message).with_help(
                "give each meeting a different `id:`, like `tuesday-evening` and `tuesday-lunch`",
            ));
            continue;
        }
        let mut m = m;
        let types = meeting_types(doc, &path, std::mem::take(&mut m.types), config, problems);
        if let Some(mut meeting) = parse_meeting(
            doc,
            &path,
            m,
            &slug,
            &id,
            &file.name.0,
            site_zone,
            venues,
            venues_readable,
            twelve_hour_clock,
            problems,
        ) {
            let today = now.to_zoned(meeting.recurrence.time_zone().clone()).date();
            if let Some(ends) = meeting
                .recurrence
                .ends
                .filter(|_| meeting.recurrence.has_ended(today))
            {
                problems.push(
                    doc.warning_at(&format!("{path}.ends"), format!("this meeting ended on {ends}, so it is no longer listed"))
                        .with_help("remove the meeting when you no longer need it, or change `ends` if it carries on"),
                );
            }
            meeting.types = types;
            if meeting.format() == Format::Online
                && matches!(meeting.recurrence.schedule, Schedule::Weekly { .. })
                && config.online_place().is_none()
            {
                problems.push(
                    doc.warning_at(&format!("{path}.online"), "meeting apps that read `meetings.json` leave out this online meeting: the site says nowhere where its online meetings are from")
                        .with_help("add the town they are run from to site.yaml, like `online_location: { city: Riverside, country: GB }`"),
                );
            }
            check_checked(doc, &path, &meeting, today, config, problems);
            meetings.push(meeting);
        }
    }
    if meetings.is_empty()
        && !file.draft
        && problems.iter().all(|p| p.file != doc.path || !p.is_error())
    {
        problems.push(doc.warning_at("name", "this group has no meetings").with_help("add its meetings under `meetings:`, or mark the group `draft: true` until they are arranged"));
    }
    if let Some(name) = file.contact.as_ref().and_then(|c| c.name.as_ref()) {
        if !config.full_names && looks_like_full_name(&name.0) {
            problems.push(
                doc.warning_at("contact.name", format!("`{}` looks like a full name", name.0))
                    .with_help("peer-support groups usually give first names only, to protect people's privacy; write just the first name, or set `full_names: true` in site.yaml if full names are intended"),
            );
        }
    }
    let group = Group {
        name: file.name.0,
        summary: file.summary.map(|s| s.0),
        topics: file
            .topics
            .into_iter()
            .map(|t| t.0)
            .filter(|t| !t.is_empty())
            .collect(),
        audience: file.audience.map(|a| a.0),
        cost: file.cost.map(|c| c.0),
        contact: file.contact.unwrap_or_default(),
        website: file.website,
        meetings: Vec::new(),
        body,
        slug,
    };
    Some(ParsedGroup {
        group,
        meetings,
        draft: file.draft,
    })
}

/// `checked:` may not be in the future, and, when the site sets
/// `feedback.checked_months`, a listing checked longer ago than that is pointed out.
fn check_checked(
    doc: &YamlDoc,
    path: &str,
    meeting: &Meeting,
    today: jiff::civil::Date,
    config: &crate::model::SiteConfig,
    problems: &mut Vec<Diagnostic>,
) {
    let Some(checked) = meeting.checked else {
        return;
    };
    let at = format!("{path}.checked");
    if checked > today {
        problems.push(
            doc.error_at(
                &at,
                format!("`checked: {checked}` is in the future (today is {today})"),
            )
            .with_help(
                "write the date the listing was last confirmed with the group, no later than today",
            ),
        );
        return;
    }
    let Some(months) = config.feedback.checked_months else {
        return;
    };
    if crate::model::feedback::months_after(checked, months).is_some_and(|due| due < today) {
        problems.push(
            doc.warning_at(&at, format!("this meeting's listing was last checked on {checked}, more than {months} months ago"))
                .with_help(format!("confirm its day, time and place with the group, then write today's date: `checked: {today}` (`feedback.checked_months` in site.yaml sets how long a listing may go unchecked)")),
        );
    }
}

/// Two or more words that each start with a capital letter (`Sam Jones`), not counting
/// words like "the" or a role in brackets: probably a first name and a surname.
/// The meeting types `types:` names, each from the types the site knows; an unknown
/// word is reported at its place in the list.
fn meeting_types(
    doc: &YamlDoc,
    path: &str,
    words: Vec<Text>,
    config: &crate::model::SiteConfig,
    problems: &mut Vec<Diagnostic>,
) -> Vec<MeetingType> {
    let mut types: Vec<MeetingType> = Vec::with_capacity(words.len());
    for (i, word) in words.iter().enumerate() {
        match config.meeting_types.find(&word.0) {
            Ok(t) if !types.contains(&t) => types.push(t),
            Ok(_) => {}
            Err(e) => {
                let (message, help) = e.split_once("\nhelp: ").unwrap_or((&e, ""));
                problems.push(
                    doc.error_at(&format!("{path}.types[{i}]"), message)
                        .with_help(help),
                );
            }
        }
    }
    types
}

fn looks_like_full_name(name: &str) -> bool {
    let words: Vec<&str> = name
        .split('(')
        .next()
        .unwrap_or(name)
        .split_whitespace()
        .collect();
    words.len() >= 2
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().count() > 1
                && !w.ends_with('.')
        })
}

#[allow(clippy::too_many_arguments)]
fn parse_meeting(
    doc: &YamlDoc,
    path: &str,
    m: MeetingFile,
    group_slug: &str,
    id: &str,
    group_name: &str,
    site_zone: &ZoneName,
    venues: &BTreeMap<String, Venue>,
    venues_readable: bool,
    twelve_hour_clock: bool,
    problems: &mut Vec<Diagnostic>,
) -> Option<Meeting> {
    let before = problems.len();
    let day = m.day.0;
    let schedule = match (m.every.unwrap_or(Every::Week), m.week) {
        (Every::Month, Some(week)) => Some(Schedule::Monthly { day, week }),
        (Every::Month, None) => {
            problems.push(doc.error_at(&format!("{path}.every"), "a monthly meeting needs `week:`").with_help("add `week: first` (or second, third, fourth, last) to say which week of the month"));
            None
        }
        (_, Some(_)) => {
            problems.push(
                doc.error_at(
                    &format!("{path}.week"),
                    "`week:` is only for monthly meetings",
                )
                .with_help("add `every: month`, or remove `week:` for a weekly meeting"),
            );
            None
        }
        (Every::TwoWeeks, None) => match m.starts {
            Some(anchor) if anchor.0.weekday() == day => Some(Schedule::Fortnightly {
                day,
                anchor: anchor.0,
            }),
            Some(_) => None, // reported below with the other `starts` checks
            None => {
                problems.push(
                    doc.error_at(&format!("{path}.every"), "a fortnightly meeting needs `starts:` so we know which weeks it is on")
                        .with_help("add `starts:` with the date of one of its meetings, like `starts: 2026-01-06`"),
                );
                None
            }
        },
        (Every::Week, None) => Some(Schedule::Weekly { day }),
    };
    if let Some(starts) = m.starts {
        if starts.0.weekday() != day && matches!(m.every, Some(Every::TwoWeeks)) {
            problems.push(
                doc.error_at(&format!("{path}.starts"), format!("`starts: {starts}` is not a {}", crate::schedule::parse::day_key(day)))
                    .with_help(format!("a fortnightly meeting's `starts` must be the date of one of its meetings, on a {}", crate::schedule::parse::day_key(day))),
            );
        }
    }
    if let (Some(starts), Some(ends)) = (m.starts, m.ends) {
        if ends < starts {
            problems.push(
                doc.error_at(
                    &format!("{path}.ends"),
                    format!("the meeting ends (`{ends}`) before it starts (`{starts}`)"),
                )
                .with_help("check the two dates"),
            );
        }
    }
    let venue = match m.venue {
        Some(key) if venues.contains_key(&key.0) || !venues_readable => Some(key.0),
        Some(key) => {
            problems.push(unknown_venue(doc, &format!("{path}.venue"), &key.0, venues));
            None
        }
        None => None,
    };
    let online = m.online.map(|Short(o)| Online {
        url: o.url,
        phone: o.phone.map(|p| p.0),
        notes: o.notes.map(|n| n.0),
    });
    if let Some(o) = &online {
        if o.url.is_none() && o.phone.is_none() {
            problems.push(
                doc.error_at(
                    &format!("{path}.online"),
                    "`online` needs a `url` or a `phone` to join by",
                )
                .with_help(
                    "add `url: https://…` (the meeting link) and/or `phone:` (a dial-in number)",
                ),
            );
        }
    }
    if m.time.twelve_hour && !twelve_hour_clock {
        let (message, help) = m.time.not_on_a_twelve_hour_clock();
        problems.push(
            doc.error_at(&format!("{path}.time"), message)
                .with_help(help),
        );
    }
    let schedule = schedule?;
    let zone = m.timezone.unwrap_or_else(|| site_zone.clone());
    let mut recurrence = Recurrence {
        schedule,
        time: m.time.range,
        zone,
        starts: m.starts.map(|d| d.0),
        ends: m.ends.map(|d| d.0),
        cancelled: m.cancelled.iter().map(|d| (d.0, None)).collect(),
        closed: venue
            .as_ref()
            .and_then(|k| venues.get(k))
            .map(|v| v.closed.clone())
            .unwrap_or_default(),
        paused: None,
        changes: BTreeMap::new(),
    };
    for (i, date) in m.cancelled.iter().enumerate() {
        if !recurrence.schedule.falls_on(date.0) {
            let day_name = crate::schedule::parse::day_key(date.0.weekday());
            problems.push(
                doc.error_at(&format!("{path}.cancelled[{i}]"), format!("`{date}` is not a day this meeting meets (it is a {day_name})"))
                    .with_help("check the date: cancelled dates must be dates the meeting would otherwise take place"),
            );
        }
    }
    recurrence.paused = pause(doc, path, m.status, m.paused_until, problems);
    for (i, change) in m.changes.into_iter().enumerate() {
        let at = format!("{path}.changes[{i}]");
        add_change(
            doc,
            &at,
            change,
            &mut recurrence,
            online.is_some(),
            venues,
            venues_readable,
            twelve_hour_clock,
            problems,
        );
    }
    if problems.len() > before {
        return None;
    }
    if venue.is_none() && online.is_none() {
        problems.push(doc.warning_at(path, "this meeting has neither a `venue` nor `online` details, so visitors cannot tell where it is").with_help("add `venue:` (a key from venues.yaml) or `online: { url: … }`"));
    }
    let name = m.name.map_or_else(|| group_name.to_string(), |n| n.0);
    Some(Meeting {
        slug: format!("{group_slug}-{id}"),
        name,
        group: usize::MAX,
        recurrence,
        venue,
        online,
        // Set by the caller, which knows the site's types.
        types: Vec::new(),
        language: m.language.map(|l| l.0),
        notes: m.notes.map(|n| n.0),
        checked: m.checked.map(|d| d.0),
    })
}

/// The message for a venue key that is not in `venues.yaml`, with the closest key.
fn unknown_venue(
    doc: &YamlDoc,
    at: &str,
    key: &str,
    venues: &BTreeMap<String, Venue>,
) -> Diagnostic {
    let help = match closest(key, venues.keys().map(String::as_str)) {
        Some(k) => format!("did you mean `{k}`?"),
        None if venues.is_empty() => "add the venue to `venues.yaml` first".to_string(),
        None => format!(
            "the venues in `venues.yaml` are {}",
            venues
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    doc.error_at(at, format!("there is no venue `{key}` in `venues.yaml`"))
        .with_help(help)
}

/// The meeting's pause, from `status:` and `paused_until:`.
fn pause(
    doc: &YamlDoc,
    path: &str,
    status: Option<Status>,
    until: Option<DateValue>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Pause> {
    match (status, until) {
        (Some(Status::Paused), until) => Some(Pause {
            until: until.map(|d| d.0),
        }),
        (_, Some(until)) => {
            problems.push(
                doc.error_at(
                    &format!("{path}.paused_until"),
                    format!("`paused_until: {until}` is given, but the meeting is not paused"),
                )
                .with_help("add `status: paused` to pause the meeting until that date, or remove `paused_until`"),
            );
            None
        }
        _ => None,
    }
}

/// Checks one entry of `changes:` and records it as a cancellation or a change.
#[allow(clippy::too_many_arguments)]
fn add_change(
    doc: &YamlDoc,
    at: &str,
    change: ChangeFile,
    recurrence: &mut Recurrence,
    has_online: bool,
    venues: &BTreeMap<String, Venue>,
    venues_readable: bool,
    twelve_hour_clock: bool,
    problems: &mut Vec<Diagnostic>,
) {
    let date = change.date.0;
    let before = problems.len();
    if !recurrence.schedule.falls_on(date) {
        problems.push(
            doc.error_at(
                &format!("{at}.date"),
                format!(
                    "`{date}` is not a day this meeting meets (it is a {})",
                    day_key(date.weekday())
                ),
            )
            .with_help(
                "a change is for one date the meeting would otherwise take place; check the date",
            ),
        );
    }
    let outside = match (recurrence.starts, recurrence.ends) {
        (Some(starts), _) if date < starts => {
            Some(format!("before the meeting starts (`starts: {starts}`)"))
        }
        (_, Some(ends)) if date > ends => Some(format!("after the meeting ends (`ends: {ends}`)")),
        _ => None,
    };
    if let Some(outside) = outside {
        problems.push(
            doc.error_at(
                &format!("{at}.date"),
                format!("`{date}` is {outside}, so there is no meeting to change"),
            )
            .with_help("check the date, or `starts` and `ends`"),
        );
    }
    if recurrence.cancelled.contains_key(&date) || recurrence.changes.contains_key(&date) {
        problems.push(
            doc.error_at(&format!("{at}.date"), format!("`{date}` is changed or cancelled twice"))
                .with_help("write everything that changes on that date in one entry, and list the date only once in `cancelled`"),
        );
    }
    let changes_something = change.time.is_some() || change.online_only || change.venue.is_some();
    if change.cancelled && changes_something {
        problems.push(
            doc.error_at(at, "a cancelled date cannot also change its time, venue or `online_only`")
                .with_help("keep `cancelled: true` (and a `reason`) if the meeting does not take place that day, or remove it"),
        );
    } else if !change.cancelled && !changes_something {
        problems.push(
            doc.error_at(at, format!("this change for `{date}` does not say what changes"))
                .with_help("add `cancelled: true`, `time: \"18:00-19:00\"`, `online_only: true` or `venue:` (a key from venues.yaml)"),
        );
    }
    if let Some(time) = &change.time {
        if time.twelve_hour && !twelve_hour_clock {
            let (message, help) = time.not_on_a_twelve_hour_clock();
            problems.push(doc.error_at(&format!("{at}.time"), message).with_help(help));
        }
    }
    if change.online_only && !has_online {
        problems.push(
            doc.error_at(&format!("{at}.online_only"), "this meeting has no `online` details, so it cannot meet online only")
                .with_help("add `online: { url: … }` to the meeting so people know how to join, or remove `online_only`"),
        );
    }
    if change.online_only && change.venue.is_some() {
        problems.push(
            doc.error_at(
                &format!("{at}.venue"),
                "a date that is online only has no venue",
            )
            .with_help("keep either `online_only: true` or `venue:`"),
        );
    }
    if let Some(key) = &change.venue {
        if !venues.contains_key(&key.0) && venues_readable {
            problems.push(unknown_venue(doc, &format!("{at}.venue"), &key.0, venues));
        }
    }
    if problems.len() > before {
        return;
    }
    let reason = change.reason.map(|r| r.0).filter(|r| !r.is_empty());
    if change.cancelled {
        recurrence.cancelled.insert(date, reason);
    } else {
        recurrence.changes.insert(
            date,
            Change {
                time: change.time.map(|t| t.range),
                online_only: change.online_only,
                venue: change.venue.map(|v| v.0),
                reason,
            },
        );
    }
}
