//! `/directory.json`: the directory as Open Referral HSDS 3.1, for regional directories
//! and referral tools.
//!
//! The file is a JSON array of HSDS `organization` objects in the nested ("compiled")
//! form: every directory entry with its service, location, address and phones, and the
//! site's own organisation with each group as a `service` and each meeting as a
//! `schedule`. IDs are UUID v5 derived from the site's address and each item's slug, so
//! they stay the same from build to build.

use serde::Serialize;
use serde_json::{json, Value as Json};

use super::json::without_nulls;
use uuid::Uuid;

use crate::model::contact::Address;
use crate::model::{urls, Meeting, Organisation, Site};

/// A stable UUID for a thing of the site, from its kind and slug.
pub fn id(site: &Site, kind: &str, slug: &str) -> String {
    Uuid::new_v5(
        &Uuid::NAMESPACE_URL,
        format!("{}#{kind}/{slug}", site.config.base_url.absolute("")).as_bytes(),
    )
    .to_string()
}

/// The directory, as a JSON array of HSDS organizations.
///
/// Each organisation is serialised as soon as it is made, and the site's own (which has
/// every group and meeting) group by group, so the whole document never waits in
/// memory as a tree of values.
pub fn directory(site: &Site) -> String {
    use rayon::prelude::*;
    let mut organisations: Vec<String> = site
        .organisations
        .par_iter()
        .map(|o| compact(&organisation(site, o)))
        .collect();
    organisations.push(compact(&own_organisation(site)));
    // Joined as each part is freed, not beside a copy of them all.
    let mut out =
        String::with_capacity(organisations.iter().map(|o| o.len() + 1).sum::<usize>() + 1);
    out.push('[');
    for (i, organisation) in organisations.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&organisation);
    }
    out.push(']');
    out
}

fn compact(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_string())
}

fn text(markdown: &str) -> Option<String> {
    let plain = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    (!plain.is_empty()).then_some(plain)
}

/// An HSDS address, when the editor gave its parts (HSDS requires street, town,
/// postcode and country; a one-line address is kept as the location's description).
fn address(site: &Site, kind: &str, slug: &str, a: &Address) -> Option<Json> {
    let p = &a.parts;
    let (Some(street), Some(town), Some(postcode), Some(country)) =
        (&p.street, &p.town, &p.postcode, &p.country)
    else {
        return None;
    };
    Some(json!({
        "id": id(site, &format!("{kind}-address"), slug),
        "address_1": street.0,
        "city": town.0,
        "state_province": p.region.as_ref().map_or("", |r| r.0.as_str()),
        "postal_code": postcode.0,
        "country": country.0,
        "address_type": "physical",
    }))
}

fn organisation(site: &Site, o: &Organisation) -> Json {
    let org_id = id(site, "organization", &o.slug);
    let service_id = id(site, "service", &o.slug);
    let description = o
        .summary
        .clone()
        .or_else(|| text(&o.description.source))
        .unwrap_or_else(|| o.name.clone());
    let phones: Vec<Json> = o
        .phones
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let label = [
                p.label.as_ref().map(|l| l.0.clone()),
                p.hours.as_ref().map(|h| h.0.clone()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            json!({
                "id": id(site, "phone", &format!("{}/{i}", o.slug)),
                "number": p.number.display,
                "description": (!label.is_empty()).then_some(label),
            })
        })
        .collect();
    let locations: Vec<Json> = o
        .address
        .iter()
        .map(|a| {
            json!({
                "id": id(site, "location", &o.slug),
                "location_type": "physical",
                "organization_id": org_id,
                "name": o.name,
                "description": a.one_line(),
                "addresses": address(site, "organization", &o.slug, a).into_iter().collect::<Vec<_>>(),
                "accessibility": o.access.iter().map(|access| json!({ "id": id(site, "accessibility", &o.slug), "description": access })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let service = json!({
        "id": service_id,
        "organization_id": org_id,
        "name": o.name,
        "description": text(&o.description.source).unwrap_or_else(|| description.clone()),
        "url": o.website.as_ref().map(|w| w.0.clone()),
        "email": o.email.as_ref().map(|e| e.0.clone()),
        "status": "active",
        "fees_description": o.cost,
        "phones": phones,
        "service_areas": o.areas.iter().map(|a| json!({ "id": id(site, "service-area", &format!("{}/{a}", o.slug)), "service_id": service_id, "name": a })).collect::<Vec<_>>(),
        "languages": o.languages.iter().map(|l| json!({ "id": id(site, "language", &format!("{}/{l}", o.slug)), "service_id": service_id, "code": l })).collect::<Vec<_>>(),
        "service_at_locations": locations.iter().map(|l| json!({ "id": id(site, "service-at-location", &o.slug), "service_id": service_id, "location_id": l["id"] })).collect::<Vec<_>>(),
    });
    without_nulls(json!({
        "id": org_id,
        "name": o.name,
        "description": description,
        "email": o.email.as_ref().map(|e| e.0.clone()),
        "website": o.website.as_ref().map(|w| w.0.clone()),
        "uri": site.config.base_url.absolute(&urls::organisation(&o.slug)),
        "phones": phones,
        "locations": locations,
        "services": [service],
    }))
}

/// The site's own organisation: each group a service, each meeting a schedule.
fn own_organisation(site: &Site) -> OwnOrganisation<'_> {
    let org_id = id(site, "organization", "");
    let mut venue_keys: Vec<&str> = site
        .meetings
        .iter()
        .filter_map(|m| m.venue.as_deref())
        .collect();
    venue_keys.sort_unstable();
    venue_keys.dedup();
    let locations: Vec<Json> = venue_keys
        .iter()
        .filter_map(|k| site.venues.get(*k))
        .map(|v| {
            json!({
                "id": id(site, "venue", &v.key),
                "location_type": "physical",
                "organization_id": org_id,
                "name": v.name,
                "description": v.address.as_ref().map(Address::one_line),
                "latitude": v.geo.map(|g| g.0),
                "longitude": v.geo.map(|g| g.1),
                "addresses": v.address.as_ref().and_then(|a| address(site, "venue", &v.key, a)).into_iter().collect::<Vec<_>>(),
                "accessibility": v.access.iter().map(|a| json!({ "id": id(site, "venue-accessibility", &v.key), "description": a })).collect::<Vec<_>>(),
            })
        })
        .map(without_nulls)
        .collect();
    let c = &site.config;
    OwnOrganisation {
        site,
        description: c
            .description
            .clone()
            .or_else(|| c.tagline.clone())
            .unwrap_or_else(|| c.name.clone()),
        email: c.contact.email.as_ref().map(|e| e.0.clone()),
        phones: c
            .contact
            .phone
            .iter()
            .map(|p| json!({ "id": id(site, "phone", ""), "number": p.display }))
            .collect(),
        locations,
        website: c.base_url.absolute(""),
        id: org_id,
    }
}

/// The site's own organisation, serialised with its services made one at a time. The
/// fields are in the order a JSON map would put them, so the output reads the same as
/// the directory entries'.
struct OwnOrganisation<'a> {
    site: &'a Site,
    description: String,
    email: Option<String>,
    id: String,
    locations: Vec<Json>,
    phones: Vec<Json>,
    website: String,
}

impl Serialize for OwnOrganisation<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Services<'a>(&'a OwnOrganisation<'a>);
        impl Serialize for Services<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let own = self.0;
                serializer.collect_seq(
                    own.site
                        .groups
                        .iter()
                        .map(|g| group_service(own.site, &own.id, g)),
                )
            }
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("description", &self.description)?;
        if let Some(email) = &self.email {
            map.serialize_entry("email", email)?;
        }
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("locations", &self.locations)?;
        map.serialize_entry("name", &self.site.config.name)?;
        map.serialize_entry("phones", &self.phones)?;
        map.serialize_entry("services", &Services(self))?;
        map.serialize_entry("website", &self.website)?;
        map.end()
    }
}

/// A group as a service of the site's own organisation, each meeting a schedule.
fn group_service(site: &Site, org_id: &str, g: &crate::model::Group) -> Json {
    let service_id = id(site, "group", &g.slug);
    let meetings: Vec<&Meeting> = g.meetings.iter().map(|&i| &site.meetings[i]).collect();
    let schedules: Vec<Json> = meetings
        .iter()
        .map(|m| schedule(site, m, &service_id))
        .collect();
    let at_locations: Vec<Json> = meetings
        .iter()
        .filter_map(|m| m.venue.as_deref())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .map(|k| json!({ "id": id(site, "group-at-venue", &format!("{}/{k}", g.slug)), "service_id": service_id, "location_id": id(site, "venue", k) }))
        .collect();
    without_nulls(json!({
        "id": service_id,
        "organization_id": org_id,
        "name": g.name,
        "description": g.summary.clone().or_else(|| text(&g.body.source)),
        "url": site.config.base_url.absolute(&urls::group(&g.slug)),
        "email": g.contact.email.as_ref().map(|e| e.0.clone()),
        "status": "active",
        "fees_description": g.cost,
        "eligibility_description": g.audience,
        "schedules": schedules,
        "service_at_locations": at_locations,
        "phones": g.contact.phone.iter().map(|p| json!({ "id": id(site, "group-phone", &g.slug), "number": p.display })).collect::<Vec<_>>(),
    }))
}

/// One meeting as an HSDS schedule (the iCalendar RRULE parts HSDS mirrors).
fn schedule(site: &Site, m: &Meeting, service_id: &str) -> Json {
    let r = &m.recurrence;
    let rule = r.schedule.rule();
    let today = site.now.to_zoned(r.time_zone().clone()).date();
    let dtstart = r.first_pattern_date(r.starts.unwrap_or(today));
    let t = &site.translations;
    json!({
        "id": id(site, "meeting", &m.slug),
        "service_id": service_id,
        "location_id": m.venue.as_ref().map(|k| id(site, "venue", k)),
        "valid_from": r.starts.map(|d| d.to_string()),
        "valid_to": r.ends.map(|d| d.to_string()),
        "dtstart": dtstart.map(|d| d.to_string()),
        "until": r.ends.map(|d| d.to_string()),
        "freq": rule.freq,
        "interval": rule.interval,
        "byday": rule.byday,
        "wkst": "MO",
        "opens_at": format!("{:02}:{:02}", r.time.start.hour(), r.time.start.minute()),
        "closes_at": format!("{:02}:{:02}", r.time.end.hour(), r.time.end.minute()),
        "description": format!("{}, {} ({})", crate::render::views::schedule_text(site, &r.schedule).0, t.time_range(r.time.start, r.time.end), r.zone.name),
        "attending_type": t.get(&format!("format_{}", m.format().key())),
        "schedule_link": site.config.base_url.absolute(&urls::meeting(&m.slug)),
        "notes": m.notes,
    })
}
