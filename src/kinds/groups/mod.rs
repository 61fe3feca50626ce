//! `groups/*.md`: the groups, each with its meetings (in its front matter) and what to
//! expect (its Markdown body). A group is a page under `/groups/<slug>/`, each of its
//! meetings one under `/meetings/<slug>/`, and each topic the groups name one under
//! `/topics/<slug>/`; `/groups/`, `/meetings/` and `/topics/` list them.

pub mod file;

use std::collections::BTreeMap;

use super::{Files, Folder, Kind, MARKDOWN};
use crate::model::slug::slugify;
use crate::model::{urls, Building};
use file::{Group, ParsedGroup};

/// The groups, their meetings, and the topics they name.
pub struct Groups;

/// A topic, and the groups (indices into `Site::groups`) that list it.
#[derive(Debug, Clone)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub groups: Vec<usize>,
}

impl Kind for Groups {
    fn folder(&self) -> Folder {
        Folder {
            name: "groups",
            extensions: MARKDOWN,
            read_by_kind: false,
        }
    }

    fn build(&self, files: Files, site: &mut Building) {
        let (config, venues, venues_readable, now) = (
            site.config,
            site.venues,
            site.venues_readable,
            site.options.now,
        );
        let parsed_files = site.parse_all(&files.read, |file, problems| {
            let (doc, body) = crate::model::split(file, problems)?;
            file::parse(
                &doc,
                crate::model::file_slug(&file.path),
                body,
                config,
                venues,
                venues_readable,
                now,
                problems,
            )
        });
        let mut parsed_groups: Vec<ParsedGroup> = Vec::with_capacity(parsed_files.len());
        for (file, parsed) in parsed_files {
            if parsed.draft && !site.options.drafts {
                continue;
            }
            let route = urls::group(&parsed.group.slug);
            if site.claim_file("groups", &parsed.group.slug, &file.path, route) {
                parsed_groups.push(parsed);
            }
        }
        // Each name lowered once, not at each of the sort's n·log n comparisons.
        parsed_groups.sort_by_cached_key(|p| p.group.name.to_lowercase());
        let meeting_count = parsed_groups.iter().map(|p| p.meetings.len()).sum();
        site.reserve_claims(meeting_count);
        let mut groups = Vec::with_capacity(parsed_groups.len());
        let mut meetings = Vec::with_capacity(meeting_count);
        for parsed in parsed_groups {
            let index = groups.len();
            let mut group = parsed.group;
            for mut meeting in parsed.meetings {
                if site.claim("meetings", &meeting.slug, &group.body.file) {
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
            &mut site.problems,
        );
        site.groups = groups;
        site.meetings = meetings;
        site.topics = topics;
    }
}

/// Topics from the groups' `topics:` lists, A–Z; `LGBTQ+` and `lgbtq+` are one topic,
/// named as first written.
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
