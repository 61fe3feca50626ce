//! `/directory.json`: the directory as Open Referral HSDS 3.1, for regional directories
//! and referral tools.
//!
//! The file is a JSON array of HSDS `organization` objects in the nested ("compiled")
//! form: every directory entry with its service, location, address and phones, and the
//! site's own organisation with each group as a `service` and each meeting as a
//! `schedule`. IDs are UUID v5 derived from the site's address and each item's slug, so
//! they stay the same from build to build.

use std::collections::BTreeSet;

use uuid::Uuid;

use super::feeds::{Context, Feed, File};
use super::json::{Json, Object};

use crate::model::contact::Address;
use crate::model::{urls, Meeting, Organisation, Site};

/// A stable UUID for a thing of the site, from its kind and slug.
pub fn id(site: &Site, kind: &str, slug: &str) -> String {
    let base = &site.config.base_url;
    let mut name =
        String::with_capacity(base.origin.len() + base.path.len() + kind.len() + slug.len() + 2);
    for part in [&base.origin, &base.path, "#", kind, "/", slug] {
        name.push_str(part);
    }
    let uuid = Uuid::new_v5(&Uuid::NAMESPACE_URL, name.as_bytes());
    uuid.hyphenated()
        .encode_lower(&mut Uuid::encode_buffer())
        .to_string()
}

/// The directory, as a JSON array of HSDS organizations.
///
/// `/directory.json`.
pub struct Directory;

impl Feed for Directory {
    fn files<'a>(&self, cx: &Context<'a>) -> Vec<File<'a>> {
        let site = cx.site;
        vec![File::new(urls::DIRECTORY_HSDS, move || directory(site))]
    }
}

/// Each organisation is written as soon as it is made, and the site's own (which has
/// every group and meeting) group by group, so the whole document never waits in
/// memory as a tree of values.
pub fn directory(site: &Site) -> String {
    use rayon::prelude::*;
    let mut organisations: Vec<String> = site
        .organisations
        .par_iter()
        .map(|o| organisation(site, o))
        .collect();
    organisations.push(own_organisation(site));
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

fn text(markdown: &str) -> Option<String> {
    let plain = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    (!plain.is_empty()).then_some(plain)
}

/// An HSDS address, when the editor gave its parts (HSDS requires street, town,
/// postcode and country; a one-line address is kept as the location's description).
fn address<'a>(site: &Site, kind: &str, slug: &str, a: &'a Address) -> Option<Json<'a>> {
    let p = &a.parts;
    let (Some(street), Some(town), Some(postcode), Some(country)) =
        (&p.street, &p.town, &p.postcode, &p.country)
    else {
        return None;
    };
    Some(
        Object::default()
            .with("id", id(site, &format!("{kind}-address"), slug))
            .with("address_1", &street.0)
            .with("city", &town.0)
            .with(
                "state_province",
                p.region.as_ref().map_or("", |r| r.0.as_str()),
            )
            .with("postal_code", &postcode.0)
            .with("country", &country.0)
            .with("address_type", "physical")
            .into(),
    )
}

/// One object for each of a service's areas or languages: its id (made from `kind`),
/// the service's, and the value itself under `key`.
fn of_service<'a>(
    site: &Site,
    o: &Organisation,
    service_id: &'a str,
    (kind, key): (&str, &'static str),
    values: &'a [String],
) -> Vec<Json<'a>> {
    values
        .iter()
        .map(|v| {
            Object::default()
                .with("id", id(site, kind, &format!("{}/{v}", o.slug)))
                .with("service_id", service_id)
                .with(key, v)
                .into()
        })
        .collect()
}

/// A location's accessibility: the editor's one description of it, if any.
fn accessibility<'a>(site: &Site, kind: &str, slug: &str, access: Option<&'a String>) -> Json<'a> {
    let described = access.map(|a| {
        Object::default()
            .with("id", id(site, kind, slug))
            .with("description", a)
    });
    described.into_iter().collect::<Vec<_>>().into()
}

/// A directory entry as an HSDS organization, with its one service.
fn organisation(site: &Site, o: &Organisation) -> String {
    let org_id = id(site, "organization", &o.slug);
    let service_id = id(site, "service", &o.slug);
    let location_id = id(site, "location", &o.slug);
    let description = o
        .summary
        .clone()
        .or_else(|| text(&o.description.source))
        .unwrap_or_else(|| o.name.clone());
    // The organisation's and the service's: written once, copied into both.
    let phones: Vec<Json> = o
        .phones
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let label = [
                p.label.as_ref().map(|l| l.0.as_str()),
                p.hours.as_ref().map(|h| h.0.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            Object::default()
                .with("id", id(site, "phone", &format!("{}/{i}", o.slug)))
                .with("number", &p.number.display)
                .maybe("description", (!label.is_empty()).then_some(label))
                .into()
        })
        .collect();
    let phones = Json::from(phones).into_text();
    let locations: Vec<Json> = o
        .address
        .iter()
        .map(|a| {
            Object::default()
                .with("id", location_id.as_str())
                .with("location_type", "physical")
                .with("organization_id", org_id.as_str())
                .with("name", &o.name)
                .with("description", a.one_line())
                .with(
                    "addresses",
                    address(site, "organization", &o.slug, a)
                        .into_iter()
                        .collect::<Vec<_>>(),
                )
                .with(
                    "accessibility",
                    accessibility(site, "accessibility", &o.slug, o.access.as_ref()),
                )
                .into()
        })
        .collect();
    let service = Object::default()
        .with("id", service_id.as_str())
        .with("organization_id", org_id.as_str())
        .with("name", &o.name)
        .with(
            "description",
            text(&o.description.source).unwrap_or_else(|| description.clone()),
        )
        .maybe("url", o.website.as_ref().map(|w| w.0.as_str()))
        .maybe("email", o.email.as_ref().map(|e| e.0.as_str()))
        .with("status", "active")
        .maybe("fees_description", o.cost.as_deref())
        .with("phones", Json::Raw(&phones))
        .with(
            "service_areas",
            of_service(site, o, &service_id, ("service-area", "name"), &o.areas),
        )
        .with(
            "languages",
            of_service(site, o, &service_id, ("language", "code"), &o.languages),
        )
        .with(
            "service_at_locations",
            o.address
                .iter()
                .map(|_| {
                    Object::default()
                        .with("id", id(site, "service-at-location", &o.slug))
                        .with("service_id", service_id.as_str())
                        .with("location_id", location_id.as_str())
                })
                .collect::<Vec<_>>(),
        );
    Json::from(
        Object::default()
            .with("id", org_id.as_str())
            .with("name", &o.name)
            .with("description", description.as_str())
            .maybe("email", o.email.as_ref().map(|e| e.0.as_str()))
            .maybe("website", o.website.as_ref().map(|w| w.0.as_str()))
            .with(
                "uri",
                site.config.base_url.absolute(&urls::organisation(&o.slug)),
            )
            .with("phones", Json::Raw(&phones))
            .with("locations", locations)
            .with("services", vec![service]),
    )
    .into_text()
}

/// The site's own organisation: each group a service, each meeting a schedule. The
/// services are written one group at a time.
fn own_organisation(site: &Site) -> String {
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
            Object::default()
                .with("id", id(site, "venue", &v.key))
                .with("location_type", "physical")
                .with("organization_id", org_id.as_str())
                .with("name", &v.name)
                .maybe("description", v.address.as_ref().map(Address::one_line))
                .maybe("latitude", v.geo.map(|g| g.0))
                .maybe("longitude", v.geo.map(|g| g.1))
                .with(
                    "addresses",
                    v.address
                        .as_ref()
                        .and_then(|a| address(site, "venue", &v.key, a))
                        .into_iter()
                        .collect::<Vec<_>>(),
                )
                .with(
                    "accessibility",
                    accessibility(site, "venue-accessibility", &v.key, v.access.as_ref()),
                )
                .into()
        })
        .collect();
    let c = &site.config;
    let services = |out: &mut String| {
        out.push('[');
        for (i, g) in site.groups.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            group_service(site, &org_id, g, out);
        }
        out.push(']');
    };
    Json::from(
        Object::default()
            .with(
                "description",
                c.description
                    .as_ref()
                    .or(c.tagline.as_ref())
                    .unwrap_or(&c.name),
            )
            .maybe("email", c.contact.email.as_ref().map(|e| e.0.as_str()))
            .with("id", org_id.as_str())
            .with("locations", locations)
            .with("name", &c.name)
            .with(
                "phones",
                c.contact
                    .phone
                    .iter()
                    .map(|p| {
                        Object::default()
                            .with("id", id(site, "phone", ""))
                            .with("number", &p.display)
                    })
                    .collect::<Vec<_>>(),
            )
            .with("services", Json::Streamed(Box::new(services)))
            .with("website", c.base_url.absolute("")),
    )
    .into_text()
}

/// A group as a service of the site's own organisation, each meeting a schedule,
/// written to `out`.
fn group_service(site: &Site, org_id: &str, g: &crate::model::Group, out: &mut String) {
    let service_id = id(site, "group", &g.slug);
    let meetings: Vec<&Meeting> = g.meetings.iter().map(|&i| &site.meetings[i]).collect();
    let schedules: Vec<Json> = meetings
        .iter()
        .map(|m| schedule(site, m, &service_id))
        .collect();
    let at_locations: Vec<Json> = meetings
        .iter()
        .filter_map(|m| m.venue.as_deref())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|k| {
            Object::default()
                .with("id", id(site, "group-at-venue", &format!("{}/{k}", g.slug)))
                .with("service_id", service_id.as_str())
                .with("location_id", id(site, "venue", k))
                .into()
        })
        .collect();
    let phones: Vec<Json> = g
        .contact
        .phone
        .iter()
        .map(|p| {
            Object::default()
                .with("id", id(site, "group-phone", &g.slug))
                .with("number", &p.display)
                .into()
        })
        .collect();
    Json::from(
        Object::default()
            .with("id", service_id.as_str())
            .with("organization_id", org_id)
            .with("name", &g.name)
            .maybe(
                "description",
                g.summary.clone().or_else(|| text(&g.body.source)),
            )
            .with("url", site.config.base_url.absolute(&urls::group(&g.slug)))
            .maybe("email", g.contact.email.as_ref().map(|e| e.0.as_str()))
            .with("status", "active")
            .maybe("fees_description", g.cost.as_deref())
            .maybe("eligibility_description", g.audience.as_deref())
            .with("schedules", schedules)
            .with("service_at_locations", at_locations)
            .with("phones", phones),
    )
    .write(out);
}

/// One meeting as an HSDS schedule (the iCalendar RRULE parts HSDS mirrors).
fn schedule<'a>(site: &Site, m: &'a Meeting, service_id: &'a str) -> Json<'a> {
    let r = &m.recurrence;
    let rule = r.schedule.rule();
    let dtstart = r.calendar_start();
    // HSDS gives a schedule's zone as its offset from UTC in hours; the meeting's offset
    // at its next date (the IANA name is in `description`).
    let next = r.upcoming(&site.now, 1, 400);
    let at = next.first().map_or(site.now, |o| o.start.timestamp());
    let hours = f64::from(r.time_zone().to_offset(at).seconds()) / 3600.0;
    let t = &site.translations;
    Object::default()
        .with("id", id(site, "meeting", &m.slug))
        .with("service_id", service_id)
        .maybe(
            "location_id",
            m.venue.as_ref().map(|k| id(site, "venue", k)),
        )
        .maybe("valid_from", r.starts.map(|d| d.to_string()))
        .maybe("valid_to", r.ends.map(|d| d.to_string()))
        .maybe("dtstart", dtstart.map(|d| d.to_string()))
        .maybe("until", r.ends.map(|d| d.to_string()))
        .with("freq", rule.freq)
        .with("interval", rule.interval)
        .with("byday", rule.byday)
        .with("wkst", "MO")
        .with("timezone", hours)
        .with("opens_at", crate::schedule::hh_mm(r.time.start))
        .with("closes_at", crate::schedule::hh_mm(r.time.end))
        .with(
            "description",
            format!(
                "{}, {} ({})",
                crate::render::views::schedule_text(site, &r.schedule).0,
                t.time_range(r.time.start, r.time.end),
                r.zone.name
            ),
        )
        .with(
            "attending_type",
            t.get(&format!("format_{}", m.format().key())),
        )
        .with(
            "schedule_link",
            site.config.base_url.absolute(&urls::meeting(&m.slug)),
        )
        .maybe("notes", m.notes.as_deref())
        .into()
}
