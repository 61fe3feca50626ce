//! From the source's records to a PeerPress site's parts: groups and their meetings,
//! venues (one per address, however it is spelled), site-defined meeting types; with a
//! note for every value not taken as it was, at its place in the source.
//!
//! Nothing here reads or writes files: `write_site` turns the [`Plan`] into files.

use std::collections::{BTreeMap, HashMap};

use super::record::{Cell, Lines, Place, Record};
use super::text::plain;
use super::types::{CustomType, Meaning, Vocabulary};
use crate::diagnostics::Diagnostic;
use crate::model::contact::{DialIn, Email, Phone, WebUrl};
use crate::model::slug::slugify;
use crate::model::yaml::Parsed;

/// What the site needs to know before mapping.
pub struct Settings {
    /// The site's time zone: meetings in it need no `timezone:`.
    pub site_zone: Option<String>,
    /// The site's language: meetings in it need no `language:`.
    pub site_language: String,
    /// Whether the source publishes its contacts (a feed, a sheet) or not (TSML's CSV).
    pub contacts_public: bool,
    /// Venues already in the site (key and address), so that the same address keeps its key.
    pub existing_venues: Vec<(String, Option<String>, String)>,
}

/// How meetings were put into groups, to say in the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// By the `group` field; `without` meetings had none and were grouped by name and venue.
    GroupField {
        without: usize,
    },
    NameAndVenue,
}

/// The site to write.
#[derive(Debug, Default)]
pub struct Plan {
    pub groups: Vec<GroupOut>,
    pub venues: Vec<VenueOut>,
    pub custom_types: Vec<CustomType>,
    /// Weekly meetings made (a record on three days makes three).
    pub meetings: usize,
    /// Records left out entirely.
    pub left_out: usize,
    pub grouping: Option<Grouping>,
    /// The time zone most meetings give, for a new site.
    pub main_zone: Option<String>,
    /// The place most online meetings are said to be at, for a new site's
    /// `online_location` (`Riverside, Warwickshire, GB`).
    pub online_place: Option<String>,
    /// The organisation publishing the feed (`entity`, `entity_url`), for a new site.
    pub entity: Option<String>,
    pub entity_url: Option<String>,
    pub problems: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct GroupOut {
    pub slug: String,
    pub name: String,
    pub website: Option<String>,
    pub contact: Option<ContactOut>,
    /// The group's notes, its page's text.
    pub body: Option<String>,
    pub meetings: Vec<MeetingOut>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactOut {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone)]
pub struct MeetingOut {
    pub id: String,
    pub name: Option<String>,
    pub day: &'static str,
    /// `19:00-20:30`.
    pub time: String,
    pub timezone: Option<String>,
    pub venue: Option<String>,
    pub online: Option<OnlineOut>,
    pub types: Vec<String>,
    pub language: Option<String>,
    pub notes: Option<String>,
    pub paused: bool,
}

#[derive(Debug, Clone, Default)]
pub struct OnlineOut {
    pub url: Option<String>,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct VenueOut {
    pub key: String,
    pub name: String,
    pub address: Option<AddressOut>,
    pub area: Option<String>,
    pub geo: Option<(f64, f64)>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub enum AddressOut {
    Line(String),
    Parts {
        street: Option<String>,
        town: Option<String>,
        region: Option<String>,
        postcode: Option<String>,
        country: Option<String>,
    },
}

impl AddressOut {
    fn one_line(&self) -> String {
        match self {
            AddressOut::Line(l) => l.clone(),
            AddressOut::Parts {
                street,
                town,
                region,
                postcode,
                country,
            } => {
                let town_line = [region, postcode]
                    .iter()
                    .filter_map(|p| p.as_deref())
                    .collect::<Vec<_>>()
                    .join(" ");
                [
                    street.clone(),
                    town.clone(),
                    Some(town_line),
                    country.clone(),
                ]
                .into_iter()
                .flatten()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ")
            }
        }
    }
}

const DAYS: [&str; 7] = [
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

/// One meeting before grouping: the record's parts PeerPress takes.
struct Taken {
    record: usize,
    name: String,
    group: Option<String>,
    days: Vec<&'static str>,
    time: String,
    zone: Option<String>,
    venue: Option<String>,
    online: Option<OnlineOut>,
    types: Vec<String>,
    language: Option<String>,
    notes: Option<String>,
    paused: bool,
}

struct Mapper<'a> {
    lines: &'a Lines<'a>,
    settings: &'a Settings,
    vocabulary: Vocabulary,
    plan: Plan,
    /// Normalised address → index into `plan.venues`, or the key of a venue the site has.
    venue_index: HashMap<String, VenueRef>,
    venue_keys: BTreeMap<String, ()>,
    custom: BTreeMap<String, CustomType>,
    /// Time zone names seen, and whether each is one PeerPress knows.
    zones: HashMap<String, bool>,
    /// The approximate places online meetings are said to be at (`Riverside, GB`).
    online_places: Vec<String>,
}

#[derive(Clone)]
enum VenueRef {
    New(usize),
    Existing(String),
}

/// Maps every record, noting each value not taken.
pub fn map(lines: &Lines, records: &[Record], settings: &Settings) -> Plan {
    let mut m = Mapper {
        lines,
        settings,
        vocabulary: Vocabulary::new(),
        plan: Plan::default(),
        venue_index: HashMap::new(),
        venue_keys: BTreeMap::new(),
        custom: BTreeMap::new(),
        zones: HashMap::new(),
        online_places: Vec::new(),
    };
    for (key, address, name) in &settings.existing_venues {
        m.venue_keys.insert(key.clone(), ());
        let norm = address
            .as_deref()
            .map(address_key)
            .unwrap_or_else(|| format!("name:{}", name_key(name)));
        m.venue_index
            .entry(norm)
            .or_insert(VenueRef::Existing(key.clone()));
    }
    let mut taken = Vec::new();
    for (i, record) in records.iter().enumerate() {
        if let Some(t) = m.take(i, record) {
            taken.push(t);
        } else {
            m.plan.left_out += 1;
        }
    }
    if let Some(first) = records.iter().find_map(|r| r.text("entity")) {
        m.plan.entity = Some(plain(first).0);
    }
    m.plan.entity_url = records
        .iter()
        .find_map(|r| r.text("entity_url"))
        .and_then(|u| WebUrl::parse(u).ok())
        .map(|u| u.0);
    m.plan.main_zone = most_common(taken.iter().filter_map(|t| t.zone.clone()));
    m.plan.online_place = most_common(std::mem::take(&mut m.online_places).into_iter());
    m.group(records, taken);
    m.plan.custom_types = m.custom.into_values().collect();
    m.plan
}

fn most_common(items: impl Iterator<Item = String>) -> Option<String> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for item in items {
        *counts.entry(item).or_default() += 1;
    }
    counts.into_iter().max_by_key(|(_, n)| *n).map(|(z, _)| z)
}

impl Mapper<'_> {
    fn note(&mut self, at: &Place, message: String, help: Option<&str>) {
        let d = self
            .lines
            .diagnostic(false, at, message, help.map(String::from));
        self.plan.problems.push(d);
    }

    /// The plain text of a cell, noting removed markup.
    fn plain(&mut self, record: &Record, cell: &Cell) -> String {
        let (text, removed) = plain(&cell.text);
        if removed {
            self.note(
                &cell.at,
                format!(
                    "{}: markup (HTML) was removed from `{}`, keeping its text",
                    record.title(),
                    field_of(&cell.at)
                ),
                None,
            );
        }
        text
    }

    fn plain_field(&mut self, record: &Record, key: &str) -> Option<String> {
        let cell = record.one(key)?.clone();
        Some(self.plain(record, &cell)).filter(|t| !t.is_empty())
    }

    fn take(&mut self, index: usize, record: &Record) -> Option<Taken> {
        if record.not_a_meeting {
            self.note(
                &record.at,
                format!(
                    "{} is not a meeting (a `{{…}}` of fields), so it was left out",
                    record.at.label
                ),
                None,
            );
            return None;
        }
        let title = record.title();
        // When: days, start and end.
        let mut days = Vec::new();
        for cell in record.all("day") {
            match parse_day(&cell.text) {
                Some(d) if !days.contains(&d) => days.push(d),
                Some(_) => {}
                None => self.note(
                    &cell.at,
                    format!(
                        "{title}: `{}` is not a day (0 = Sunday … 6 = Saturday, or a day's name)",
                        cell.text
                    ),
                    Some("the day was left out; add it to the group file by hand if it is right"),
                ),
            }
        }
        if days.is_empty() {
            self.note(
                &record.at,
                format!("{title} has no day, so it was left out (PeerPress lists meetings that meet every week on a day)"),
                Some("meetings \"by appointment\" can be described in the group's text instead"),
            );
            return None;
        }
        let Some(time_cell) = record.one("time").cloned() else {
            self.note(
                &record.at,
                format!("{title} has no start time, so it was left out"),
                None,
            );
            return None;
        };
        let Some(start) = parse_time(&time_cell.text).filter(|&t| t < 24 * 60) else {
            self.note(
                &time_cell.at,
                format!(
                    "{title}: `{}` is not a time, so the meeting was left out",
                    time_cell.text
                ),
                Some("times are written like `19:00` or `7:00 PM`"),
            );
            return None;
        };
        let end = match record.one("end_time") {
            None => None,
            Some(cell) => match parse_time(&cell.text) {
                Some(end) => Some(end),
                None => {
                    let cell = cell.clone();
                    self.note(
                        &cell.at,
                        format!(
                            "{title}: `{}` is not a time; the meeting is taken to last an hour",
                            cell.text
                        ),
                        None,
                    );
                    None
                }
            },
        };
        let end = match end {
            None => {
                if record.one("end_time").is_none() {
                    self.note(
                        &time_cell.at,
                        format!("{title} has no end time; it is taken to last an hour, as Meeting Guide apps assume"),
                        Some("change the time in the group file if it is longer"),
                    );
                }
                (start + 60).min(24 * 60)
            }
            Some(end) if end <= start => {
                let at = record
                    .one("end_time")
                    .map_or(time_cell.at.clone(), |c| c.at.clone());
                self.note(&at, format!("{title} ends after midnight or before it starts; it is listed as ending at 24:00"), None);
                24 * 60
            }
            Some(end) => end,
        };
        let time = format!("{}-{}", hh_mm(start), hh_mm(end));
        let zone = record.one("timezone").cloned().and_then(|cell| {
            let name = cell.text.trim();
            // Each zone is looked up once: a feed names a few, thousands of times.
            let known = *self
                .zones
                .entry(name.to_string())
                .or_insert_with(|| jiff::tz::TimeZone::get(name).is_ok());
            if !known {
                self.note(&cell.at, format!("{title}: `{name}` is not a time zone PeerPress knows; the site's time zone is used"), Some("time zones are written like `America/New_York` or `Europe/London`"));
            }
            known.then(|| name.to_string())
        });
        // What kind of meeting.
        let mut types: Vec<String> = Vec::new();
        let mut languages: Vec<(&'static str, Place)> = Vec::new();
        let mut paused = false;
        for cell in record.all("types").cloned().collect::<Vec<_>>() {
            match self.vocabulary.meaning(&cell.text) {
                Meaning::BuiltIn(key) => push_once(&mut types, key.to_string()),
                Meaning::Custom(custom) if custom.key.is_empty() => self.note(
                    &cell.at,
                    format!(
                        "{title}: `{}` is not a meeting type, so it was left out",
                        cell.text
                    ),
                    None,
                ),
                Meaning::Custom(custom) => {
                    if !custom.official {
                        self.note(
                            &cell.at,
                            format!("{title}: `{}` is neither a Meeting Guide type nor one PeerPress has; it becomes the site's own type `{}`", cell.text, custom.key),
                            Some("check its name in site.yaml under `meeting_types:`"),
                        );
                    }
                    push_once(&mut types, custom.key.clone());
                    self.custom.entry(custom.key.clone()).or_insert(custom);
                }
                Meaning::Language(tag) => languages.push((tag, cell.at.clone())),
                Meaning::TemporarilyClosed => paused = true,
                Meaning::Attendance => {}
            }
        }
        if record.text("attendance_option") == Some("inactive") {
            paused = true;
        }
        let language = languages.first().map(|(tag, _)| *tag);
        for (tag, at) in languages.iter().skip(1) {
            if Some(*tag) != language {
                self.note(at, format!("{title}: a meeting has one language in PeerPress; `{tag}` was left out (the meeting is in `{}`)", language.unwrap_or_default()), None);
            }
        }
        let language = language
            .filter(|l| *l != self.settings.site_language)
            .map(String::from);
        // Where.
        let online = self.online(record, &title);
        let venue = self.venue(record, &title, online.is_some());
        let name = self.plain_field(record, "name");
        let group = self.plain_field(record, "group");
        let name = match name.or_else(|| group.clone()) {
            Some(n) => n,
            None => {
                self.note(
                    &record.at,
                    format!("{} has no name, so it was left out", record.at.label),
                    None,
                );
                return None;
            }
        };
        let notes = self.plain_field(record, "notes");
        Some(Taken {
            record: index,
            name,
            group,
            days,
            time,
            zone,
            venue,
            online,
            types,
            language,
            notes,
            paused,
        })
    }

    fn online(&mut self, record: &Record, title: &str) -> Option<OnlineOut> {
        let mut online = OnlineOut::default();
        let mut notes = Vec::new();
        if let Some(cell) = record.one("conference_url").cloned() {
            match WebUrl::parse(&cell.text) {
                Ok(url) => online.url = Some(url.0),
                Err(e) => self.note(
                    &cell.at,
                    format!(
                        "{title}: the conference link was left out: {}",
                        e.split('\n').next().unwrap_or(&e)
                    ),
                    Some("add the meeting's link in the group file under `online: { url: … }`"),
                ),
            }
        }
        if let Some(n) = self.plain_field(record, "conference_url_notes") {
            notes.push(n);
        }
        if let Some(cell) = record.one("conference_phone").cloned() {
            // One-tap numbers carry the meeting's code after a comma (`+1 212 555 0100,,123456#`),
            // which a meeting's dial-in keeps; other keys after the number go to the notes.
            let text = cell.text.trim();
            let (number, rest) = text
                .find([',', ';', '#', '*'])
                .map_or((text, ""), |i| (&text[..i], &text[i..]));
            match DialIn::parse(text) {
                Ok(DialIn(phone)) => online.phone = Some(phone.display),
                Err(_) => match Phone::parse(number) {
                    Ok(phone) => {
                        online.phone = Some(phone.display);
                        if !rest.trim_matches([',', ';']).is_empty() {
                            notes.push(format!(
                                "After dialling: {}",
                                rest.trim_start_matches([',', ';'])
                            ));
                        }
                    }
                    Err(e) => self.note(
                        &cell.at,
                        format!(
                            "{title}: the dial-in number was left out: {}",
                            e.split('\n').next().unwrap_or(&e)
                        ),
                        None,
                    ),
                },
            }
        }
        if let Some(n) = self.plain_field(record, "conference_phone_notes") {
            notes.push(n);
        }
        if online.url.is_none() && online.phone.is_none() {
            if !notes.is_empty() {
                let at = record
                    .one("conference_url_notes")
                    .or(record.one("conference_phone_notes"))
                    .map_or(record.at.clone(), |c| c.at.clone());
                self.note(
                    &at,
                    format!("{title}: conference notes without a link or number were left out"),
                    None,
                );
            }
            return None;
        }
        online.notes = Some(notes.join("\n")).filter(|n| !n.is_empty());
        Some(online)
    }

    fn venue(&mut self, record: &Record, title: &str, online: bool) -> Option<String> {
        let location = self.plain_field(record, "location");
        let address = if let Some(line) = self.plain_field(record, "formatted_address") {
            Some(AddressOut::Line(line))
        } else {
            let street = self.plain_field(record, "address");
            let town = self.plain_field(record, "city");
            let region = self.plain_field(record, "state");
            let postcode = self.plain_field(record, "postal_code");
            let country = self.plain_field(record, "country");
            if [&street, &town, &region, &postcode]
                .iter()
                .all(|p| p.is_none())
            {
                None
            } else {
                Some(AddressOut::Parts {
                    street,
                    town,
                    region,
                    postcode,
                    country,
                })
            }
        };
        if location.is_none() && address.is_none() {
            return None;
        }
        let approximate = record
            .text("approximate")
            .is_some_and(|a| a.eq_ignore_ascii_case("yes"));
        if approximate {
            if !online {
                let at = record
                    .one("approximate")
                    .map_or(record.at.clone(), |c| c.at.clone());
                self.note(&at, format!("{title}: the address is only approximate and there is no link to join, so the meeting has no place"), Some("add its venue or its `online:` details in the group file"));
            } else if let Some(place) = record.text("formatted_address") {
                self.online_places.push(plain(place).0);
            }
            return None;
        }
        // An online meeting with only a name (`Online`, `Zoom`) and no address is not a venue.
        if address.is_none() && online {
            return None;
        }
        let norm = match &address {
            Some(a) => address_key(&a.one_line()),
            None => format!("name:{}", name_key(location.as_deref().unwrap_or(""))),
        };
        let existing_key = match self.venue_index.get(&norm).cloned() {
            Some(VenueRef::New(i)) => {
                let venue = &self.plan.venues[i];
                let key = venue.key.clone();
                if let (Some(here), false) = (
                    &location,
                    venue.name == location.clone().unwrap_or_default(),
                ) {
                    let at = record
                        .one("location")
                        .map_or(record.at.clone(), |c| c.at.clone());
                    let message = format!("{title}: `{here}` is at the same address as `{}`, so both are the venue `{key}`", venue.name);
                    self.note(
                        &at,
                        message,
                        Some("if they are different rooms, say so in the meeting's notes"),
                    );
                }
                return Some(key);
            }
            // A venue the site has: its fields are brought up to date, under its key.
            Some(VenueRef::Existing(key)) => Some(key),
            None => None,
        };
        let name = location
            .clone()
            .or_else(|| {
                address
                    .as_ref()
                    .map(|a| a.one_line().split(',').next().unwrap_or("").to_string())
            })
            .unwrap_or_default();
        let key = match existing_key {
            Some(key) => key,
            None => {
                let mut key = cut(&slugify(&name), 50);
                if key.is_empty() {
                    key = "venue".into();
                }
                if self.venue_keys.contains_key(&key) {
                    let base = key.clone();
                    let mut n = 2;
                    while self.venue_keys.contains_key(&key) {
                        key = format!("{base}-{n}");
                        n += 1;
                    }
                }
                key
            }
        };
        self.venue_keys.insert(key.clone(), ());
        let area = {
            let regions: Vec<String> = record
                .all("regions")
                .map(|c| plain(&c.text).0)
                .filter(|r| !r.is_empty())
                .collect();
            let parts = if regions.is_empty() {
                [
                    self.plain_field(record, "region"),
                    self.plain_field(record, "sub_region"),
                ]
                .into_iter()
                .flatten()
                .collect()
            } else {
                regions
            };
            Some(parts.join(" / ")).filter(|a| !a.is_empty())
        };
        let geo = self.geo(record, title);
        let notes = self.plain_field(record, "location_notes");
        self.plan.venues.push(VenueOut {
            key: key.clone(),
            name,
            address,
            area,
            geo,
            notes,
        });
        self.venue_index
            .insert(norm, VenueRef::New(self.plan.venues.len() - 1));
        Some(key)
    }

    fn geo(&mut self, record: &Record, title: &str) -> Option<(f64, f64)> {
        let lat = record.one("latitude").cloned();
        let lon = record.one("longitude").cloned();
        let (lat, lon) = match (lat, lon) {
            (None, None) => return None,
            (Some(lat), Some(lon)) => (lat, lon),
            (Some(one), None) | (None, Some(one)) => {
                self.note(&one.at, format!("{title}: a map position needs both latitude and longitude; this one was left out"), None);
                return None;
            }
        };
        match (
            lat.text.trim().parse::<f64>(),
            lon.text.trim().parse::<f64>(),
        ) {
            (Ok(a), Ok(o))
                if (-90.0..=90.0).contains(&a)
                    && (-180.0..=180.0).contains(&o)
                    && !(a == 0.0 && o == 0.0) =>
            {
                Some((a, o))
            }
            _ => {
                self.note(
                    &lat.at,
                    format!(
                        "{title}: `{}, {}` is not a map position, so it was left out",
                        lat.text, lon.text
                    ),
                    None,
                );
                None
            }
        }
    }

    /// Puts the meetings into groups and gives each its id.
    fn group(&mut self, records: &[Record], taken: Vec<Taken>) {
        let by_group_field = taken.iter().any(|t| t.group.is_some());
        let without = taken.iter().filter(|t| t.group.is_none()).count();
        self.plan.grouping = Some(if by_group_field {
            Grouping::GroupField { without }
        } else {
            Grouping::NameAndVenue
        });
        // Group identity → index in `groups`.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut slugs: BTreeMap<String, ()> = BTreeMap::new();
        let mut groups: Vec<GroupOut> = Vec::new();
        let mut first_record: Vec<usize> = Vec::new();
        for t in taken {
            let (identity, name, wanted) = match &t.group {
                Some(g) => (format!("group:{}", name_key(g)), g.clone(), slugify(g)),
                None => {
                    let place = t.venue.clone().unwrap_or_else(|| "online".into());
                    (
                        format!("meeting:{}@{place}", name_key(&t.name)),
                        t.name.clone(),
                        slugify(&t.name),
                    )
                }
            };
            let g = match index.get(&identity) {
                Some(&g) => g,
                None => {
                    let mut slug = cut(&wanted, 60);
                    if slug.is_empty() {
                        slug = "group".into();
                    }
                    if slugs.contains_key(&slug) {
                        let with_place = cut(
                            &slugify(&format!(
                                "{} {}",
                                wanted,
                                t.venue.as_deref().unwrap_or("online")
                            )),
                            60,
                        );
                        slug = with_place;
                        let base = slug.clone();
                        let mut n = 2;
                        while slugs.contains_key(&slug) {
                            slug = format!("{base}-{n}");
                            n += 1;
                        }
                    }
                    slugs.insert(slug.clone(), ());
                    let (website, contact, body) = self.group_details(&records[t.record]);
                    groups.push(GroupOut {
                        slug,
                        name,
                        website,
                        contact,
                        body,
                        meetings: Vec::new(),
                    });
                    first_record.push(t.record);
                    index.insert(identity, groups.len() - 1);
                    groups.len() - 1
                }
            };
            let group = &mut groups[g];
            let name = (t.name != group.name).then(|| t.name.clone());
            for day in &t.days {
                let mut id = (*day).to_string();
                if group.meetings.iter().any(|m| m.id == id) {
                    id = format!("{day}-{}", t.time[..5].replace(':', ""));
                    let base = id.clone();
                    let mut n = 2;
                    while group.meetings.iter().any(|m| m.id == id) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                }
                let timezone = t.zone.clone().filter(|z| {
                    Some(z)
                        != self
                            .settings
                            .site_zone
                            .as_ref()
                            .or(self.plan.main_zone.as_ref())
                });
                group.meetings.push(MeetingOut {
                    id,
                    name: name.clone(),
                    day,
                    time: t.time.clone(),
                    timezone,
                    venue: t.venue.clone(),
                    online: t.online.clone(),
                    types: t.types.clone(),
                    language: t.language.clone(),
                    notes: t.notes.clone(),
                    paused: t.paused,
                });
                self.plan.meetings += 1;
            }
        }
        groups.sort_by(|a, b| a.slug.cmp(&b.slug));
        self.plan.groups = groups;
    }

    /// A group's website, public contact and notes, from its first record.
    fn group_details(
        &mut self,
        record: &Record,
    ) -> (Option<String>, Option<ContactOut>, Option<String>) {
        let title = record.title();
        let website =
            record
                .one("website")
                .cloned()
                .and_then(|cell| match WebUrl::parse(&cell.text) {
                    Ok(url) => Some(url.0),
                    Err(e) => {
                        self.note(
                            &cell.at,
                            format!(
                                "{title}: the group's website was left out: {}",
                                e.split('\n').next().unwrap_or(&e)
                            ),
                            None,
                        );
                        None
                    }
                });
        if let Some(cell) = record.one("website_2").cloned() {
            self.note(
                &cell.at,
                format!(
                    "{title}: a group has one website in PeerPress; `{}` was left out",
                    cell.text
                ),
                Some("add it to the group's text if it matters"),
            );
        }
        let body = self.plain_field(record, "group_notes");
        let contact_fields = [
            "contact_1_name",
            "contact_1_email",
            "contact_1_phone",
            "contact_2_name",
            "contact_2_email",
            "contact_2_phone",
            "contact_3_name",
            "contact_3_email",
            "contact_3_phone",
            "email",
            "phone",
        ];
        if !self.settings.contacts_public {
            if let Some(cell) = contact_fields.iter().find_map(|k| record.one(k)).cloned() {
                self.note(&cell.at, format!("{title}: the group's contacts were left out, because this export holds them whether or not they are public"), Some("add `contact:` to the group file for contacts who agree to be listed"));
            }
            return (website, None, body);
        }
        let mut contact = ContactOut::default();
        let person = (1..=3).find(|n| {
            ["name", "email", "phone"]
                .iter()
                .any(|f| record.one(&format!("contact_{n}_{f}")).is_some())
        });
        let (name_key, email_key, phone_key) = match person {
            Some(n) => (
                format!("contact_{n}_name"),
                format!("contact_{n}_email"),
                format!("contact_{n}_phone"),
            ),
            None => (String::new(), "email".to_string(), "phone".to_string()),
        };
        contact.name = self.plain_field(record, &name_key);
        if let Some(cell) = record.one(&email_key).cloned() {
            match Email::parse(&cell.text) {
                Ok(e) => contact.email = Some(e.0),
                Err(_) => self.note(
                    &cell.at,
                    format!(
                        "{title}: `{}` is not an e-mail address, so it was left out",
                        cell.text
                    ),
                    None,
                ),
            }
        }
        if let Some(cell) = record.one(&phone_key).cloned() {
            match Phone::parse(&cell.text) {
                Ok(p) => contact.phone = Some(p.display),
                Err(_) => self.note(
                    &cell.at,
                    format!(
                        "{title}: `{}` is not a phone number, so it was left out",
                        cell.text
                    ),
                    None,
                ),
            }
        }
        if let Some(n) = person {
            for other in (n + 1)..=3 {
                if let Some(cell) = ["name", "email", "phone"]
                    .iter()
                    .find_map(|f| record.one(&format!("contact_{other}_{f}")))
                    .cloned()
                {
                    self.note(&cell.at, format!("{title}: a group shows one contact in PeerPress; contact {other} was left out"), None);
                }
            }
        }
        let any = contact.name.is_some() || contact.email.is_some() || contact.phone.is_some();
        (website, any.then_some(contact), body)
    }
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// `[3].day[0]` → `day`; `row 4, column C (`Day`)` → `Day`.
fn field_of(at: &Place) -> String {
    if let Some(start) = at.label.find("(`") {
        return at.label[start + 2..].trim_end_matches("`)").to_string();
    }
    at.label
        .rsplit('.')
        .next()
        .unwrap_or(&at.label)
        .split('[')
        .next()
        .unwrap_or("")
        .to_string()
}

/// At most `max` bytes of a slug, cut at a hyphen when possible.
fn cut(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    let mut end = max;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &slug[..end];
    cut.rfind('-').map_or(cut, |i| &cut[..i]).to_string()
}

/// `0`–`6` (0 = Sunday), or a day's English name, whole or in three letters.
fn parse_day(text: &str) -> Option<&'static str> {
    let word = text.trim().to_lowercase();
    if let Ok(n) = word.parse::<usize>() {
        return DAYS.get(n).copied();
    }
    DAYS.iter()
        .copied()
        .find(|d| *d == word || (word.len() >= 3 && d.starts_with(&word)))
}

/// Minutes after midnight: `19:00`, `19:00:00`, `7:00 PM`, `7pm`, `1900`, `noon`.
fn parse_time(text: &str) -> Option<u32> {
    let word = text.trim().to_lowercase().replace('.', ":");
    match word.as_str() {
        "noon" | "12 noon" => return Some(720),
        "midnight" => return Some(0),
        _ => {}
    }
    let (clock, half) = if let Some(t) = word.strip_suffix("pm").or(word.strip_suffix("p:m:")) {
        (t.trim(), Some(12))
    } else if let Some(t) = word.strip_suffix("am").or(word.strip_suffix("a:m:")) {
        (t.trim(), Some(0))
    } else {
        (word.as_str(), None)
    };
    let mut parts = clock.split(':');
    let first = parts.next()?;
    let (hours, minutes): (u32, u32) = if clock.contains(':') {
        let m = parts.next()?;
        if let Some(s) = parts.next() {
            if s.len() != 2 || !s.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
        }
        if parts.next().is_some() || m.len() != 2 {
            return None;
        }
        (first.parse().ok()?, m.parse().ok()?)
    } else if first.len() == 4 && half.is_none() {
        (first[..2].parse().ok()?, first[2..].parse().ok()?)
    } else {
        (first.parse().ok()?, 0)
    };
    if !first.chars().all(|c| c.is_ascii_digit()) || minutes > 59 {
        return None;
    }
    let hours = match half {
        Some(offset) if (1..=12).contains(&hours) => hours % 12 + offset,
        Some(_) => return None,
        None => hours,
    };
    let total = hours * 60 + minutes;
    (total <= 24 * 60).then_some(total)
}

fn hh_mm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// A name compared without case, punctuation or spacing.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// An address compared as a person would: without case, punctuation, the country, or
/// the difference between `Street` and `St.`.
pub fn address_key(address: &str) -> String {
    let lower = address.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "street" => "st",
            "road" => "rd",
            "avenue" => "ave",
            "av" => "ave",
            "drive" => "dr",
            "boulevard" => "blvd",
            "lane" => "ln",
            "place" => "pl",
            "court" => "ct",
            "square" => "sq",
            "highway" => "hwy",
            "parkway" => "pkwy",
            "north" => "n",
            "south" => "s",
            "east" => "e",
            "west" => "w",
            "saint" => "st",
            other => other,
        })
        .collect();
    let mut words = words;
    loop {
        let n = words.len();
        let drop = match words.as_slice() {
            [.., "united", "states"] | [.., "united", "kingdom"] | [.., "great", "britain"] => 2,
            [.., "usa" | "us" | "uk" | "gb" | "england" | "canada" | "ca"] if n > 3 => 1,
            _ => 0,
        };
        if drop == 0 {
            break;
        }
        words.truncate(n - drop);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("19:00"), Some(1140));
        assert_eq!(parse_time("19:00:00"), Some(1140));
        assert_eq!(parse_time("7:00 PM"), Some(1140));
        assert_eq!(parse_time("7pm"), Some(1140));
        assert_eq!(parse_time("12:30 am"), Some(30));
        assert_eq!(parse_time("0730"), Some(450));
        assert_eq!(parse_time("24:00"), Some(1440));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("7:5"), None);
        assert_eq!(parse_time("soon"), None);
    }

    #[test]
    fn days() {
        assert_eq!(parse_day("0"), Some("sunday"));
        assert_eq!(parse_day("6"), Some("saturday"));
        assert_eq!(parse_day("Tue"), Some("tuesday"));
        assert_eq!(parse_day("7"), None);
        assert_eq!(parse_day("s"), None);
    }

    #[test]
    fn addresses_spelled_differently_are_one() {
        assert_eq!(
            address_key("123 Main Street, Anytown, CA 98765, USA"),
            address_key("123 Main St., Anytown, CA  98765")
        );
        assert_ne!(address_key("123 Main St"), address_key("125 Main St"));
    }
}
