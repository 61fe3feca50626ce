//! Which group each meeting belongs to: by the source's `group` field, or else by the
//! meeting's name and venue; each group's slug, website, public contact and text, and
//! each meeting's id within its group.

use std::collections::{BTreeMap, HashMap};

use super::{cut, name_key, unique, ContactOut, GroupOut, Grouping, Mapper, MeetingOut, Taken};
use crate::import::record::Record;
use crate::model::contact::{Email, Phone, WebUrl};
use crate::model::slug::slugify;
use crate::model::yaml::Parsed;

impl Mapper<'_> {
    /// Puts the meetings into groups and gives each its id.
    pub(super) fn group(&mut self, records: &[Record], taken: Vec<Taken>) {
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
                        slug = unique(with_place, |s| slugs.contains_key(s));
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
                let taken = |id: &str| group.meetings.iter().any(|m| m.id == id);
                let id = if taken(day) {
                    // A second meeting on a day: by its time (`tuesday-1900`).
                    unique(format!("{day}-{}", t.time[..5].replace(':', "")), taken)
                } else {
                    (*day).to_string()
                };
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
        let contact = self.contact(record, &title);
        (website, contact, body)
    }

    /// The group's one public contact: the first of a feed's three, or its `email` and
    /// `phone`; none from a source that holds private contacts too (noted).
    fn contact(&mut self, record: &Record, title: &str) -> Option<ContactOut> {
        if !self.settings.contacts_public {
            if let Some(cell) = crate::import::record::CONTACT_FIELDS
                .iter()
                .find_map(|k| record.one(k))
                .cloned()
            {
                self.note(&cell.at, format!("{title}: the group's contacts were left out, because this export holds them whether or not they are public"), Some("add `contact:` to the group file for contacts who agree to be listed"));
            }
            return None;
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
        any.then_some(contact)
    }
}
