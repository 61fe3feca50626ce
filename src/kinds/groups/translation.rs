//! `groups/voices.es.md`: a group's words in another language of the site. It gives
//! only what is written for people to read (the name, summary, audience, cost, what to
//! expect in its body, and each meeting's name and notes by the meeting's `id`); the
//! meetings themselves, their days, times, places and changes, are the default file's,
//! so a meeting exists once and is never out of step between languages.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::file::Group;
use crate::diagnostics::{display_path, Diagnostic};
use crate::load::SourceFile;
use crate::model::slug::slugify;
use crate::model::yaml::Text;
use crate::model::Site;

/// The front matter of a group's translation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupTranslationFile {
    name: Option<Text>,
    summary: Option<Text>,
    audience: Option<Text>,
    cost: Option<Text>,
    /// Each meeting's words, by its `id` (or its day, for a meeting without one).
    #[serde(default)]
    meetings: BTreeMap<String, MeetingTranslationFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(expecting = "a meeting's words, like `{ notes: Entrada por la puerta lateral }`")]
struct MeetingTranslationFile {
    name: Option<Text>,
    notes: Option<Text>,
}

/// Puts the translation `file` of the group made from `original` into `site` (the site
/// in the translation's language). A group that is not in the site (a draft, or one
/// whose file has errors, reported by the default language's build) is left alone.
pub fn apply(site: &mut Site, original: &Path, file: &SourceFile, problems: &mut Vec<Diagnostic>) {
    let Some((doc, body)) = crate::model::split(file, problems) else {
        return;
    };
    let Ok(words) = doc.parse::<GroupTranslationFile>().map_err(|mut d| {
        // A key of the group's own file is not for its translation: say what is.
        if d.help.is_none() || d.message.starts_with("unknown key") {
            d.help = Some(HELP.to_string());
        }
        problems.push(d);
    }) else {
        return;
    };
    let Some(index) = site.groups.iter().position(|g| g.body.file == original) else {
        return;
    };
    let group = &mut site.groups[index];
    let old_name = group.name.clone();
    if let Some(name) = words.name {
        group.name = name.0;
    }
    if words.summary.is_some() {
        group.summary = words.summary.map(|t| t.0);
    }
    if words.audience.is_some() {
        group.audience = words.audience.map(|t| t.0);
    }
    if words.cost.is_some() {
        group.cost = words.cost.map(|t| t.0);
    }
    if !body.source.trim().is_empty() {
        group.body = body;
    }
    let (slug, new_name, meetings) = (
        group.slug.clone(),
        group.name.clone(),
        group.meetings.clone(),
    );
    for id in words.meetings.keys() {
        let meeting_slug = format!("{slug}-{}", slugify(id));
        if !meetings
            .iter()
            .any(|&m| site.meetings[m].slug == meeting_slug)
        {
            problems.push(
                doc.error_at(
                    &format!("meetings.{id}"),
                    format!(
                        "the group in `{}` has no meeting `{id}`",
                        display_path(original)
                    ),
                )
                .with_help(
                    "name each meeting by its `id:`, or by its day (`tuesday`) if it has none",
                ),
            );
        }
    }
    for &m in &meetings {
        let meeting = &mut site.meetings[m];
        if meeting.name == old_name {
            meeting.name.clone_from(&new_name);
        }
        let id = meeting
            .slug
            .strip_prefix(&format!("{slug}-"))
            .unwrap_or_default()
            .to_string();
        if let Some(own) = words
            .meetings
            .iter()
            .find(|(k, _)| slugify(k) == id)
            .map(|(_, w)| w)
        {
            if let Some(name) = &own.name {
                meeting.name.clone_from(&name.0);
            }
            if let Some(notes) = &own.notes {
                meeting.notes = Some(notes.0.clone());
            }
        }
    }
}

/// Puts the groups of a site in another language in the order of their names in that
/// language, as the default language's are in theirs, once their translations are in:
/// the A–Z lists, their initials' pages and the topics' lists then follow the names a
/// visitor reads. Meetings keep their places; what points at a group by its place (each
/// meeting, each topic) follows it.
pub fn sort_by_name(site: &mut Site) {
    let mut numbered: Vec<(usize, Group)> = std::mem::take(&mut site.groups)
        .into_iter()
        .enumerate()
        .collect();
    // The default language's order and key (`kinds::groups`), so that ties stay as there.
    numbered.sort_by_cached_key(|(_, group)| group.name.to_lowercase());
    let mut new_place = vec![0; numbered.len()];
    for (new, (old, _)) in numbered.iter().enumerate() {
        new_place[*old] = new;
    }
    site.groups = numbered.into_iter().map(|(_, group)| group).collect();
    for meeting in &mut site.meetings {
        meeting.group = new_place[meeting.group];
    }
    for topic in &mut site.topics {
        for group in &mut topic.groups {
            *group = new_place[*group];
        }
        topic.groups.sort_unstable();
    }
}

/// What a group's translation may say, for a key it does not know.
const HELP: &str = "a group's translation gives only its words: `name`, `summary`, `audience`, `cost`, the text below the front matter, and `meetings:` with each meeting's `name` and `notes` by its `id`; its meetings' days, times and places are in the group's own file";
