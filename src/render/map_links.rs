//! "Open in maps": plain links to a place in map apps and sites, made from its
//! coordinates or, without them, its address. Nothing is embedded, so a page asks no map
//! service for anything until a visitor follows a link.
//!
//! Not an output of its own: the views of venues and directory entries carry these links.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;

use crate::model::contact::Address;

/// The links to one place, for templates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapLinks {
    /// `geo:51.5,-0.12` (RFC 5870), which phones open in their own map app. Only with
    /// coordinates: a `geo:` URI cannot hold an address.
    pub geo: Option<String>,
    pub openstreetmap: String,
    pub apple: String,
    pub google: String,
}

/// What stays as it is in a query value: RFC 3986's unreserved characters.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl MapLinks {
    /// The links to `name`, at `geo` (latitude, longitude) or else at `address`; `None`
    /// when there is neither.
    pub fn new(name: &str, geo: Option<(f64, f64)>, address: Option<&Address>) -> Option<MapLinks> {
        let encode = |text: &str| utf8_percent_encode(text, QUERY).to_string();
        if let Some((lat, lon)) = geo {
            return Some(MapLinks {
                geo: Some(format!("geo:{lat},{lon}")),
                openstreetmap: format!(
                    "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
                ),
                apple: format!("https://maps.apple.com/?ll={lat},{lon}&q={}", encode(name)),
                google: format!("https://www.google.com/maps/search/?api=1&query={lat}%2C{lon}"),
            });
        }
        let query = encode(&address?.one_line()).to_string();
        if query.is_empty() {
            return None;
        }
        Some(MapLinks {
            geo: None,
            openstreetmap: format!("https://www.openstreetmap.org/search?query={query}"),
            apple: format!("https://maps.apple.com/?q={query}"),
            google: format!("https://www.google.com/maps/search/?api=1&query={query}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::contact::AddressParts;

    #[test]
    fn coordinates_make_a_geo_uri_and_links_to_the_point() {
        let links = MapLinks::new("St Mark's Hall", Some((51.5072, -0.1276)), None).unwrap();
        assert_eq!(links.geo.as_deref(), Some("geo:51.5072,-0.1276"));
        assert_eq!(
            links.openstreetmap,
            "https://www.openstreetmap.org/?mlat=51.5072&mlon=-0.1276#map=18/51.5072/-0.1276"
        );
        assert_eq!(
            links.apple,
            "https://maps.apple.com/?ll=51.5072,-0.1276&q=St%20Mark%27s%20Hall"
        );
        let google = url::Url::parse(&links.google).unwrap();
        assert_eq!(
            google.query_pairs().find(|(k, _)| k == "query").unwrap().1,
            "51.5072,-0.1276"
        );
    }

    #[test]
    fn without_coordinates_the_address_is_searched_for() {
        let address = Address {
            lines: vec!["1 Church Lane".into(), "Riverside RV1 2AB".into()],
            parts: AddressParts::default(),
        };
        let links = MapLinks::new("Hall", None, Some(&address)).unwrap();
        assert_eq!(links.geo, None);
        for link in [&links.openstreetmap, &links.apple, &links.google] {
            let parsed = url::Url::parse(link).unwrap();
            assert!(
                parsed
                    .query_pairs()
                    .any(|(_, v)| v == "1 Church Lane, Riverside RV1 2AB"),
                "{link}"
            );
        }
        assert_eq!(MapLinks::new("Hall", None, None), None);
    }
}
