//! `groups/*.md`: the groups, each with its meetings (in its front matter) and what to
//! expect (its Markdown body). A group is a page under `/groups/<slug>/`, each of its
//! meetings one under `/meetings/<slug>/`, and each topic the groups name one under
//! `/topics/<slug>/`; `/groups/`, `/meetings/` and `/topics/` list them.

pub mod file;
pub mod initials;
pub mod translation;
pub mod views;

use std::collections::BTreeMap;

use minijinja::Value as JinjaValue;
use rayon::prelude::*;

use super::{Files, Folder, ItemPages, Kind, ListPage, MARKDOWN};
use crate::diagnostics::display_path;
use crate::model::slug::slugify;
use crate::model::{urls, Building, Markdown, Site};
use crate::render::reuse::{hash_parts, hash_serialize};
use crate::render::views::Views;
use crate::render::{jsonld, search, Body, Extra, ItemSet, Job, PageKind};
use file::{Group, ParsedGroup};

/// The groups, their meetings, and the topics they name.
pub struct Groups;

/// The folder of the groups' files.
pub const FOLDER: &str = "groups";

/// A topic, and the groups (indices into `Site::groups`) that list it.
#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub groups: Vec<usize>,
}

/// What the pages of a group, a meeting and a topic call their item (`page.group`…):
/// the names of their item sets.
const GROUP: &str = "group";
const MEETING: &str = "meeting";
const TOPIC: &str = "topic";
const DAY: &str = "day";
const INITIAL: &str = "initial";

impl Kind for Groups {
    fn folder(&self) -> Folder {
        Folder {
            name: FOLDER,
            extensions: MARKDOWN,
            read_by_kind: false,
        }
    }

    fn build(&self, files: Files, cx: &mut Building) {
        let (config, venues) = (&cx.site.config, &cx.site.venues);
        let (venues_readable, now) = (cx.venues_readable, cx.options.now);
        let twelve_hour_clock = cx.site.translations.clock == crate::model::i18n::Clock::Twelve;
        let parsed_files =
            crate::model::parse_all(&files.read, &mut cx.problems, |file, problems| {
                let (doc, body) = crate::model::split(file, problems)?;
                file::parse(
                    &doc,
                    crate::model::file_slug(&file.path),
                    body,
                    config,
                    venues,
                    venues_readable,
                    twelve_hour_clock,
                    now,
                    problems,
                )
            });
        let mut parsed_groups: Vec<ParsedGroup> = Vec::with_capacity(parsed_files.len());
        for (file, parsed) in parsed_files {
            if parsed.draft && !cx.options.drafts {
                continue;
            }
            let route = urls::group(&parsed.group.slug);
            if cx.claim_file("groups", &parsed.group.slug, &file.path, route) {
                parsed_groups.push(parsed);
            }
        }
        // Each name lowered once, not at each of the sort's n·log n comparisons.
        parsed_groups.sort_by_cached_key(|p| p.group.name.to_lowercase());
        let meeting_count = parsed_groups.iter().map(|p| p.meetings.len()).sum();
        cx.reserve_claims(meeting_count);
        let mut groups = Vec::with_capacity(parsed_groups.len());
        let mut meetings = Vec::with_capacity(meeting_count);
        for parsed in parsed_groups {
            let index = groups.len();
            let mut group = parsed.group;
            for mut meeting in parsed.meetings {
                if cx.claim("meetings", &meeting.slug, &group.body.file) {
                    meeting.group = index;
                    group.meetings.push(meetings.len());
                    meetings.push(meeting);
                }
            }
            groups.push(group);
        }
        let topics = collect_topics(&groups);
        crate::model::warn_near_duplicates(
            "topic",
            topics.iter().map(|t| {
                (
                    t.name.as_str(),
                    t.groups.len(),
                    groups[t.groups[0]].body.file.as_path(),
                )
            }),
            &files.read,
            &mut cx.problems,
        );
        cx.site.groups = groups;
        cx.site.meetings = meetings;
        cx.site.topics = topics;
    }

    fn list_pages(&self) -> &'static [ListPage] {
        &[
            ListPage {
                route: "groups/",
                kind: PageKind::GroupList,
                template: "groups/list.html",
                title: "groups_title",
                menu: Some("menu_groups"),
            },
            ListPage {
                route: "meetings/",
                kind: PageKind::MeetingList,
                template: "meetings/list.html",
                title: "meetings_title",
                menu: Some("menu_meetings"),
            },
            ListPage {
                route: "topics/",
                kind: PageKind::TopicList,
                template: "topics/list.html",
                title: "topics_title",
                menu: None,
            },
        ]
    }

    fn page_count(&self, site: &Site) -> usize {
        // (At most: the pages by day and by initial are made on a big site alone.)
        site.groups.len() + site.meetings.len() + site.topics.len() + 7 + 40
    }

    fn item_pages<'a>(&self, site: &'a Site, cx: &ItemPages<'a, '_>, jobs: &mut Vec<Job<'a>>) {
        jobs.par_extend(site.groups.par_iter().enumerate().map(|(i, g)| Job {
            route: urls::group(&g.slug),
            source: display_path(&g.body.file),
            template: "groups/single.html".into(),
            kind: PageKind::Group,
            title: g.name.clone(),
            description: g.summary.clone(),
            body: Some(Body::Site(&g.body)),
            extra: Extra::Item {
                set: GROUP,
                index: i,
            },
            in_sitemap: true,
        }));
        jobs.par_extend(site.meetings.par_iter().enumerate().map(|(i, m)| {
            let view = &cx.views.meetings[i];
            Job {
                route: urls::meeting(&m.slug),
                source: display_path(&site.groups[m.group].body.file),
                template: "meetings/single.html".into(),
                kind: PageKind::Meeting,
                title: m.name.clone(),
                description: Some(format!("{}, {}", view.schedule, view.time)),
                body: None,
                extra: Extra::Item {
                    set: MEETING,
                    index: i,
                },
                in_sitemap: true,
            }
        }));
        // On a big site, a page for each day of the week: the whole schedule without
        // JavaScript, a day at a time (a small site's is all on `/meetings/`).
        let days = if cx.views.schedule_in_full {
            &[][..]
        } else {
            &cx.views.week[..]
        };
        for (i, day) in days.iter().enumerate() {
            jobs.push(Job {
                route: urls::meeting_day(day.key),
                source: format!("the {} meetings page PeerPress makes", day.key),
                template: "meetings/day.html".into(),
                kind: PageKind::MeetingDay,
                title: site
                    .translations
                    .get("meetings_on_day")
                    .replace("{day}", &day.name),
                description: None,
                body: None,
                extra: Extra::Item { set: DAY, index: i },
                in_sitemap: true,
            });
        }
        for (i, initial) in cx.views.group_letters.iter().enumerate() {
            jobs.push(Job {
                route: urls::group_initial(&initial.id),
                source: format!("the page of groups starting with {}", initial.name),
                template: "groups/initial.html".into(),
                kind: PageKind::GroupInitial,
                title: initial_title(site, initial),
                description: None,
                body: None,
                extra: Extra::Item {
                    set: INITIAL,
                    index: i,
                },
                in_sitemap: true,
            });
        }
        for (i, topic) in site.topics.iter().enumerate() {
            jobs.push(Job {
                route: urls::topic(&topic.slug),
                source: format!("the topic `{}`", topic.name),
                template: "topics/single.html".into(),
                kind: PageKind::Topic,
                title: topic.name.clone(),
                description: None,
                body: None,
                extra: Extra::Item {
                    set: TOPIC,
                    index: i,
                },
                in_sitemap: true,
            });
        }
    }

    fn items(&self, _site: &Site, v: &mut Views, hashing: bool) -> Vec<ItemSet> {
        // Hashed from the views (quicker than the template values, and the same
        // information); a group's value includes its meetings', so its hash does too.
        let meeting_hashes: Option<Vec<u64>> =
            hashing.then(|| v.meetings.par_iter().map(hash_serialize).collect());
        let group_hashes = meeting_hashes.as_ref().map(|meetings| {
            v.groups
                .par_iter()
                .map(|g| {
                    let own = hash_serialize(g).to_le_bytes();
                    let theirs: Vec<u8> = g
                        .meetings
                        .iter()
                        .flat_map(|&i| meetings[i].to_le_bytes())
                        .collect();
                    hash_parts([own.as_slice(), &theirs])
                })
                .collect()
        });
        let days = ItemSet {
            name: DAY,
            list: "meeting_days",
            by_slug: None,
            slugs: v.week.iter().map(|d| d.key.to_string()).collect(),
            values: v.week.iter().map(JinjaValue::from_serialize).collect(),
            hashes: hashing.then(|| v.week.iter().map(hash_serialize).collect()),
            jsonld: None,
        };
        let initials = ItemSet {
            name: INITIAL,
            list: "group_initials",
            by_slug: None,
            slugs: v.group_letters.iter().map(|s| s.id.clone()).collect(),
            values: v
                .group_letters
                .iter()
                .map(JinjaValue::from_serialize)
                .collect(),
            hashes: hashing.then(|| v.group_letters.iter().map(hash_serialize).collect()),
            jsonld: None,
        };
        let topics = std::mem::take(&mut v.topics);
        let topic_hashes = hashing.then(|| topics.par_iter().map(hash_serialize).collect());
        // Each view is freed as soon as it is a template value: the two are never all
        // in memory together.
        let (meeting_slugs, meetings): (Vec<String>, Vec<JinjaValue>) =
            std::mem::take(&mut v.meetings)
                .into_par_iter()
                .map(|m| (m.slug.clone(), JinjaValue::from_serialize(&m)))
                .unzip();
        let (group_slugs, groups): (Vec<String>, Vec<JinjaValue>) = std::mem::take(&mut v.groups)
            .into_par_iter()
            .map(|g| {
                let shared: Vec<JinjaValue> =
                    g.meetings.iter().map(|&i| meetings[i].clone()).collect();
                let value = JinjaValue::from_object(WithMeetings {
                    base: JinjaValue::from_serialize(&g),
                    meetings: JinjaValue::from(shared),
                });
                (g.slug, value)
            })
            .unzip();
        vec![
            ItemSet {
                name: MEETING,
                list: "meeting_list",
                by_slug: Some("meetings"),
                slugs: meeting_slugs,
                values: meetings,
                hashes: meeting_hashes,
                jsonld: Some(|site, i| jsonld::meeting(site, &site.meetings[i])),
            },
            ItemSet {
                name: GROUP,
                list: "group_list",
                by_slug: Some("groups"),
                slugs: group_slugs,
                values: groups,
                hashes: group_hashes,
                jsonld: Some(jsonld::group),
            },
            ItemSet {
                name: TOPIC,
                list: "topics",
                by_slug: None,
                slugs: topics.iter().map(|t| t.slug.clone()).collect(),
                values: topics.iter().map(JinjaValue::from_serialize).collect(),
                hashes: topic_hashes,
                jsonld: None,
            },
            days,
            initials,
        ]
    }

    fn sources<'a>(&self, site: &'a Site) -> Vec<&'a Markdown> {
        site.groups.iter().map(|g| &g.body).collect()
    }

    /// Each group, by its name, summary, topics, audience and text; each meeting, by its
    /// name, its group's name and topics, its venue and area, language and notes, shown
    /// with when it meets.
    fn search_records<'a>(&self, site: &'a Site) -> Vec<search::Record<'a>> {
        let groups = site.groups.iter().map(|group| {
            let mut words: Vec<&str> = group.summary.as_deref().into_iter().collect();
            words.extend(group.topics.iter().map(String::as_str));
            words.extend(group.audience.as_deref());
            search::Record {
                route: urls::group(&group.slug),
                title: &group.name,
                kind: "search_kind_group",
                when: None,
                words,
                text: Some(search::Text::Site(&group.body)),
            }
        });
        let meetings = site.meetings.iter().map(|meeting| {
            let group = &site.groups[meeting.group];
            let mut words = vec![group.name.as_str()];
            let venue = meeting.venue.as_ref().and_then(|k| site.venues.get(k));
            if let Some(venue) = venue {
                words.push(&venue.name);
                words.extend(venue.area.as_deref());
            }
            words.extend(meeting.language.as_deref());
            words.extend(meeting.notes.as_deref());
            words.extend(group.topics.iter().map(String::as_str));
            let r = &meeting.recurrence;
            let (schedule, _) = crate::render::views::schedule_text(site, &r.schedule);
            let time = site.translations.time_range(r.time.start, r.time.end);
            search::Record {
                route: urls::meeting(&meeting.slug),
                title: &meeting.name,
                kind: "search_kind_meeting",
                when: Some(format!("{schedule}, {time}")),
                words,
                text: None,
            }
        });
        groups.chain(meetings).collect()
    }
}

/// A group as templates see it: its fields, and `meetings`, the values of its meetings
/// shared with `meeting_list` rather than copies (a big site has tens of thousands).
#[derive(Debug)]
struct WithMeetings {
    base: JinjaValue,
    meetings: JinjaValue,
}

impl minijinja::value::Object for WithMeetings {
    fn get_value(self: &std::sync::Arc<Self>, key: &JinjaValue) -> Option<JinjaValue> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &std::sync::Arc<Self>, key: &str) -> Option<JinjaValue> {
        match key {
            "meetings" => Some(self.meetings.clone()),
            _ => self.base.get_attr(key).ok().filter(|v| !v.is_undefined()),
        }
    }

    fn enumerate(self: &std::sync::Arc<Self>) -> minijinja::value::Enumerator {
        // The fields in their order, `meetings` where it was declared (after `website`).
        let mut keys: Vec<JinjaValue> = self
            .base
            .try_iter()
            .map(Iterator::collect)
            .unwrap_or_default();
        let at = keys
            .iter()
            .position(|k| k.as_str() == Some("website"))
            .map_or(keys.len(), |i| i + 1);
        keys.insert(at, JinjaValue::from("meetings"));
        minijinja::value::Enumerator::Values(keys)
    }
}

/// Topics from the groups' `topics:` lists, A–Z; `LGBTQ+` and `lgbtq+` are one topic,
/// named as first written.
/// The title of a page of groups by initial: the initial, or for one of a long
/// initial's pages, the names it runs from and to.
fn initial_title(site: &Site, page: &initials::InitialPage) -> String {
    let t = &site.translations;
    match page.parts.get(page.part - 1) {
        Some(part) => t
            .get("groups_from_to")
            .replace("{from}", &part.from)
            .replace("{to}", &part.to),
        None => t
            .get("groups_starting_with")
            .replace("{initial}", &page.name),
    }
}

fn collect_topics(groups: &[Group]) -> Vec<Topic> {
    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for (index, group) in groups.iter().enumerate() {
        for name in &group.topics {
            let slug = slugify(name);
            if slug.is_empty() {
                continue;
            }
            let topic = topics.entry(slug.clone()).or_insert_with(|| Topic {
                slug,
                name: name.clone(),
                groups: Vec::new(),
            });
            // Groups are visited in order, so a group listing a topic twice is the last one.
            if topic.groups.last() != Some(&index) {
                topic.groups.push(index);
            }
        }
    }
    let mut list: Vec<Topic> = topics.into_values().collect();
    list.sort_by_cached_key(|t| t.name.to_lowercase());
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;
    use serde::Serialize;

    #[test]
    fn a_group_shares_its_meetings_and_keeps_its_fields_in_order() {
        #[derive(Serialize)]
        struct Group {
            name: &'static str,
            website: Option<&'static str>,
            formats: Vec<&'static str>,
        }
        let meeting = JinjaValue::from_serialize(serde_json::json!({ "name": "Tuesday" }));
        let group = JinjaValue::from_object(WithMeetings {
            base: JinjaValue::from_serialize(Group {
                name: "Voices",
                website: None,
                formats: vec!["online"],
            }),
            meetings: JinjaValue::from(vec![meeting.clone(), meeting]),
        });
        let env = minijinja::Environment::new();
        let text = env
            .render_str(
                "{{ g.name }}/{{ g.meetings|length }}/{{ g.meetings[0].name }}/{{ g.website is none }}/{{ g.nothing is undefined }}/{% for k in g %}{{ k }} {% endfor %}",
                context! { g => group },
            )
            .unwrap();
        assert_eq!(
            text,
            "Voices/2/Tuesday/True/True/name website meetings formats "
        );
    }
}
