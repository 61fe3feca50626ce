//! `venues.yaml`: the places meetings happen, named once and referred to by key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::diagnostics::Diagnostic;
use crate::model::contact::{Address, AddressFile};
use crate::model::yaml::{Text, YamlDoc};
use crate::schedule::parse::DateValue;
use crate::schedule::Closure;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a venue, with `name:` and its `address:` on the lines below it, indented")]
struct VenueFile {
    name: Text,
    address: Option<AddressFile>,
    area: Option<AreaFile>,
    access: Option<Text>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    notes: Option<Text>,
    #[serde(default, deserialize_with = "crate::model::yaml::one_or_many")]
    closed: Vec<ClosedFile>,
}

/// Dates a venue is closed (`closed:`), both ends included; `to` defaults to `from`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(
    expecting = "dates the venue is closed, like `{ from: 2026-12-20, to: 2027-01-03, reason: Closed for Christmas }`"
)]
struct ClosedFile {
    from: DateValue,
    to: Option<DateValue>,
    reason: Option<Text>,
}

/// `area: Town centre`, `area: Town centre / Church Lane`, or `area: [Town centre, Church Lane]`.
#[derive(Deserialize)]
#[serde(untagged)]
#[serde(
    expecting = "an area like `Town centre`, or an area and a part of it: `Town centre / Church Lane`"
)]
enum AreaFile {
    Line(Text),
    Levels(Vec<Text>),
}

/// A place where meetings happen.
#[derive(Debug, Clone, Serialize)]
pub struct Venue {
    pub key: String,
    pub name: String,
    pub address: Option<Address>,
    /// The area it is in (`Town centre`), for visitors to choose among.
    pub area: Option<String>,
    /// The part of that area, when `area:` names one (`Town centre / Church Lane`).
    pub subarea: Option<String>,
    pub access: Option<String>,
    /// Latitude and longitude, when both are given.
    pub geo: Option<(f64, f64)>,
    pub notes: Option<String>,
    /// When it is closed, so the meetings there are not.
    #[serde(skip)]
    pub closed: Vec<Closure>,
}

/// Parses `venues.yaml` (a mapping of key → venue). Venues with a problem are still
/// returned, so meetings that use them are not reported a second time; `None` means the
/// file could not be read at all.
pub fn parse(doc: &YamlDoc, problems: &mut Vec<Diagnostic>) -> Option<BTreeMap<String, Venue>> {
    let file: BTreeMap<String, VenueFile> = match doc.parse() {
        Ok(f) => f,
        Err(d) => {
            problems.push(d);
            return None;
        }
    };
    let mut venues = BTreeMap::new();
    for (key, v) in file {
        let geo = match (v.latitude, v.longitude) {
            (Some(lat), Some(lon)) => {
                if !(-90.0..=90.0).contains(&lat) {
                    problems.push(doc.error_at(&format!("{key}.latitude"), format!("latitude `{lat}` is not between -90 and 90")).with_help("latitude is the first number of a map position, like `51.5072`; check it is not swapped with longitude"));
                }
                if !(-180.0..=180.0).contains(&lon) {
                    problems.push(doc.error_at(
                        &format!("{key}.longitude"),
                        format!("longitude `{lon}` is not between -180 and 180"),
                    ));
                }
                Some((lat, lon))
            }
            (None, None) => None,
            (Some(_), None) => {
                problems.push(
                    doc.error_at(
                        &format!("{key}.latitude"),
                        "`latitude` is given without `longitude`",
                    )
                    .with_help("add `longitude:`, or remove `latitude:`"),
                );
                None
            }
            (None, Some(_)) => {
                problems.push(
                    doc.error_at(
                        &format!("{key}.longitude"),
                        "`longitude` is given without `latitude`",
                    )
                    .with_help("add `latitude:`, or remove `longitude:`"),
                );
                None
            }
        };
        let (area, subarea) = match v.area {
            None => (None, None),
            Some(a) => area_levels(a, &format!("{key}.area"), doc, problems),
        };
        let mut closed = Vec::new();
        for (i, c) in v.closed.into_iter().enumerate() {
            let to = c.to.unwrap_or(c.from);
            if to < c.from {
                problems.push(
                    doc.error_at(
                        &format!("{key}.closed[{i}].to"),
                        format!("the closure ends (`to: {to}`) before it starts (`from: {}`)", c.from),
                    )
                    .with_help("`from` is the first day the venue is closed and `to` the last; check the two dates"),
                );
                continue;
            }
            closed.push(Closure {
                from: c.from.0,
                to: to.0,
                reason: c.reason.map(|r| r.0).filter(|r| !r.is_empty()),
            });
        }
        venues.insert(
            key.clone(),
            Venue {
                key,
                name: v.name.0,
                address: v.address.map(Address::from),
                area,
                subarea,
                access: v.access.map(|a| a.0),
                geo,
                notes: v.notes.map(|n| n.0),
                closed,
            },
        );
    }
    Some(venues)
}

impl Venue {
    /// Its area, then the part of it, as meeting finders list regions: most general first.
    pub fn regions(&self) -> Vec<&str> {
        [&self.area, &self.subarea]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

/// The area and the part of it that `area:` names: one level, or two.
fn area_levels(
    area: AreaFile,
    path: &str,
    doc: &YamlDoc,
    problems: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<String>) {
    let levels: Vec<String> = match area {
        AreaFile::Line(line) => line.0.split('/').map(|l| l.trim().to_string()).collect(),
        AreaFile::Levels(levels) => levels.into_iter().map(|l| l.0.trim().to_string()).collect(),
    };
    let help =
        "write the area, or the area and the part of it, like `area: Town centre / Church Lane`";
    if levels.is_empty() || levels.iter().any(String::is_empty) {
        problems.push(
            doc.error_at(path, "this area has an empty name")
                .with_help(help),
        );
        return (None, None);
    }
    if levels.len() > 2 || levels.iter().any(|l| l.contains('/')) {
        problems.push(
            doc.error_at(
                path,
                format!(
                    "this area has {} levels, and PeerPress shows two: an area and a part of it",
                    levels.len().max(3)
                ),
            )
            .with_help(help),
        );
        return (None, None);
    }
    let mut levels = levels.into_iter();
    (levels.next(), levels.next())
}
