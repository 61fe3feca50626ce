//! From the source's records to a PeerPress site's parts: groups and their meetings,
//! venues (one per address, however it is spelled), site-defined meeting types; with a
//! note for every value not taken as it was, at its place in the source.
//!
//! Nothing here reads or writes files: `write_site` turns the [`Plan`] into files. Each
//! part of a record is taken in a module of its own: when and what kind of meeting
//! (`meeting.rs`), where (`place.rs`: venues and online details), and which group
//! (`groups.rs`); `plan.rs` is what they make.

mod groups;
mod meeting;
mod place;
mod plan;

use std::collections::{BTreeMap, HashMap};

pub use plan::{AddressOut, ContactOut, GroupOut, MeetingOut, OnlineOut, Plan, VenueOut};

use super::record::{Cell, Lines, Place, Record};
use super::text::plain;
use super::types::CustomType;
use crate::model::contact::WebUrl;
use crate::model::yaml::Parsed;
use place::address_key;

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

/// `base`, or else the first of `base-2`, `base-3`… that is not `taken`.
fn unique(base: String, taken: impl Fn(&str) -> bool) -> String {
    let mut candidate = base.clone();
    let mut n = 2;
    while taken(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
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

/// A name compared without case, punctuation or spacing.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
