//! The site an import makes, before it is written: its groups with their meetings, its
//! venues and its own meeting types, with what to say of them in the summary.

use crate::diagnostics::Diagnostic;
use crate::import::types::CustomType;

use super::Grouping;

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
    /// The address on one line, as a person writes it.
    pub(super) fn one_line(&self) -> String {
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
