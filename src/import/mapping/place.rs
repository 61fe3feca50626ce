//! Where a record's meeting is: its online details (a link, a dial-in number, their
//! notes) and its venue, one per address however it is spelled, with its area and map
//! position.

use super::{cut, name_key, unique, AddressOut, Mapper, OnlineOut, VenueOut, VenueRef};
use crate::import::record::Record;
use crate::import::text::plain;
use crate::model::contact::{DialIn, Phone, WebUrl};
use crate::model::slug::slugify;
use crate::model::yaml::Parsed;

impl Mapper<'_> {
    /// How to join online: a link, a dial-in number (a one-tap number keeps its meeting
    /// code) and their notes; `None` without a link or number.
    pub(super) fn online(&mut self, record: &Record, title: &str) -> Option<OnlineOut> {
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

    /// The key of its venue, made the first time its address (or, without one, its
    /// name) is met; `None` for an online meeting with no real address.
    pub(super) fn venue(&mut self, record: &Record, title: &str, online: bool) -> Option<String> {
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
                unique(key, |k| self.venue_keys.contains_key(k))
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

    /// The venue's map position, when both halves are there and make one.
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
}

/// An address compared as a person would: without case, punctuation, the country, or
/// the difference between `Street` and `St.`.
pub(super) fn address_key(address: &str) -> String {
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
    fn addresses_spelled_differently_are_one() {
        assert_eq!(
            address_key("123 Main Street, Anytown, CA 98765, USA"),
            address_key("123 Main St., Anytown, CA  98765")
        );
        assert_ne!(address_key("123 Main St"), address_key("125 Main St"));
    }
}
