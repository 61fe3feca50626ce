//! The imported site's files: made from a [`Plan`], merged into an existing site's files
//! on `--update` (only the fields the import owns change; each group's text and
//! hand-added fields stay), and written all together or not at all.

use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use super::mapping::{AddressOut, GroupOut, MeetingOut, Plan, VenueOut};
use super::types::CustomType;

/// A file to write, relative to the site folder.
pub struct FileOut {
    pub path: PathBuf,
    pub text: String,
    /// Whether it replaces a file already there.
    pub replaces: bool,
}

/// The fields of a meeting the import owns.
const MEETING_FIELDS: &[&str] = &[
    "name", "day", "time", "timezone", "venue", "online", "types", "language", "notes", "status",
];
/// The fields of a venue the import owns.
const VENUE_FIELDS: &[&str] = &["name", "address", "area", "latitude", "longitude", "notes"];

fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

fn put(map: &mut Mapping, key: &str, value: Option<Value>) {
    match value {
        Some(v) => {
            map.insert(s(key), v);
        }
        None => {
            map.remove(key);
        }
    }
}

fn meeting_yaml(m: &MeetingOut) -> Mapping {
    let mut map = Mapping::new();
    map.insert(s("id"), s(&m.id));
    fill_meeting(&mut map, m);
    map
}

fn fill_meeting(map: &mut Mapping, m: &MeetingOut) {
    put(map, "name", m.name.as_deref().map(s));
    put(map, "day", Some(s(m.day)));
    put(map, "time", Some(s(&m.time)));
    put(map, "timezone", m.timezone.as_deref().map(s));
    put(map, "venue", m.venue.as_deref().map(s));
    put(
        map,
        "online",
        m.online.as_ref().map(|o| {
            let mut online = Mapping::new();
            put(&mut online, "url", o.url.as_deref().map(s));
            put(&mut online, "phone", o.phone.as_deref().map(s));
            put(&mut online, "notes", o.notes.as_deref().map(s));
            Value::Mapping(online)
        }),
    );
    put(
        map,
        "types",
        (!m.types.is_empty()).then(|| Value::Sequence(m.types.iter().map(|t| s(t)).collect())),
    );
    put(map, "language", m.language.as_deref().map(s));
    put(map, "notes", m.notes.as_deref().map(s));
    put(map, "status", m.paused.then(|| s("paused")));
}

/// A group's fields the import owns (`name`, and `website` and `contact` when the source
/// gives them); anything else in the front matter is the editors' and is kept.
fn fill_group(map: &mut Mapping, g: &GroupOut) {
    put(map, "name", Some(s(&g.name)));
    if let Some(website) = &g.website {
        put(map, "website", Some(s(website)));
    }
    if let Some(c) = &g.contact {
        let mut contact = Mapping::new();
        put(&mut contact, "name", c.name.as_deref().map(s));
        put(&mut contact, "email", c.email.as_deref().map(s));
        put(&mut contact, "phone", c.phone.as_deref().map(s));
        put(map, "contact", Some(Value::Mapping(contact)));
    }
}

fn yaml_text(value: &Value) -> String {
    serde_yaml::to_string(value).unwrap_or_default()
}

/// A new group file.
fn new_group(g: &GroupOut) -> String {
    let mut map = Mapping::new();
    fill_group(&mut map, g);
    let meetings = g
        .meetings
        .iter()
        .map(|m| Value::Mapping(meeting_yaml(m)))
        .collect();
    map.insert(s("meetings"), Value::Sequence(meetings));
    let mut text = format!("---\n{}---\n", yaml_text(&Value::Mapping(map)));
    if let Some(body) = &g.body {
        text.push('\n');
        text.push_str(&markdown_safe(body));
        text.push('\n');
    }
    text
}

/// Plain text as Markdown that shows it as written: a line starting with `#`, `-` or a
/// number would otherwise become a heading or a list.
fn markdown_safe(text: &str) -> String {
    text.lines()
        .map(|line| {
            let t = line.trim_start().replace('<', "&lt;");
            let numbered = t
                .find(['.', ')'])
                .filter(|&i| i > 0 && t[..i].chars().all(|c| c.is_ascii_digit()));
            if let Some(i) = numbered {
                format!("{}\\{}", &t[..i], &t[i..])
            } else if t.starts_with(['#', '>', '-', '+', '*', '=', '|']) {
                format!("\\{t}")
            } else {
                t
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// An existing group file with the import's fields brought up to date.
fn updated_group(path: &Path, old: &str, g: &GroupOut) -> Result<(String, Vec<String>), String> {
    let shown = path.display();
    let split = crate::load::front_matter::split(path, old).map_err(|d| {
        format!(
            "cannot update `{shown}`: {}\nhelp: run `peerpress check` and fix it first",
            d.message
        )
    })?;
    let mut map: Mapping = if split.yaml.trim().is_empty() {
        Mapping::new()
    } else {
        serde_yaml::from_str(split.yaml).map_err(|e| {
            format!("cannot update `{shown}`: its front matter is not readable YAML ({e})\nhelp: run `peerpress check` and fix it first")
        })?
    };
    fill_group(&mut map, g);
    let old_meetings = match map.get("meetings") {
        Some(Value::Sequence(list)) => list.clone(),
        Some(Value::Mapping(one)) => vec![Value::Mapping(one.clone())],
        _ => Vec::new(),
    };
    let mut kept_only_here = Vec::new();
    let id_of = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| v.get("day").and_then(Value::as_str).map(str::to_lowercase))
    };
    let mut meetings: Vec<Value> = Vec::new();
    for m in &g.meetings {
        let mut merged = match old_meetings
            .iter()
            .find(|v| id_of(v).as_deref() == Some(m.id.as_str()))
        {
            Some(Value::Mapping(old)) => old.clone(),
            _ => Mapping::new(),
        };
        merged.insert(s("id"), s(&m.id));
        for key in MEETING_FIELDS {
            merged.remove(*key);
        }
        let fresh = meeting_yaml(m);
        // Keep the import's order of fields, then the editors' own.
        let mut ordered = fresh;
        for (k, v) in merged {
            if !ordered.contains_key(&k) {
                ordered.insert(k, v);
            }
        }
        meetings.push(Value::Mapping(ordered));
    }
    for old in &old_meetings {
        let id = id_of(old);
        if !g.meetings.iter().any(|m| Some(&m.id) == id.as_ref()) {
            kept_only_here.push(id.unwrap_or_default());
            meetings.push(old.clone());
        }
    }
    map.insert(s("meetings"), Value::Sequence(meetings));
    let yaml = yaml_text(&Value::Mapping(map));
    // The body, exactly as it was, after the closing `---`.
    let body_start = old
        .split_inclusive('\n')
        .take(split.body_first_line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let body = if split.yaml.is_empty() && !old.starts_with("---") {
        old
    } else {
        &old[body_start.min(old.len())..]
    };
    Ok((format!("---\n{yaml}---\n{body}"), kept_only_here))
}

fn venue_fill(map: &mut Mapping, v: &VenueOut) {
    put(map, "name", Some(s(&v.name)));
    if let Some(address) = &v.address {
        let value = match address {
            AddressOut::Line(line) => s(line),
            AddressOut::Parts {
                street,
                town,
                region,
                postcode,
                country,
            } => {
                let mut parts = Mapping::new();
                put(&mut parts, "street", street.as_deref().map(s));
                put(&mut parts, "town", town.as_deref().map(s));
                put(&mut parts, "region", region.as_deref().map(s));
                put(&mut parts, "postcode", postcode.as_deref().map(s));
                put(&mut parts, "country", country.as_deref().map(s));
                Value::Mapping(parts)
            }
        };
        put(map, "address", Some(value));
    }
    if let Some(area) = &v.area {
        put(map, "area", Some(s(area)));
    }
    if let Some((lat, lon)) = v.geo {
        put(map, "latitude", Some(Value::Number(lat.into())));
        put(map, "longitude", Some(Value::Number(lon.into())));
    }
    if let Some(notes) = &v.notes {
        put(map, "notes", Some(s(notes)));
    }
}

/// `venues.yaml`: the import's venues added to (or brought up to date in) the site's.
fn venues_file(old: Option<&str>, plan: &Plan) -> Result<String, String> {
    let mut map: Mapping = match old {
        Some(text) if !text.trim().is_empty() => serde_yaml::from_str(text).map_err(|e| {
            format!("cannot update `venues.yaml`: it is not readable YAML ({e})\nhelp: run `peerpress check` and fix it first")
        })?,
        _ => Mapping::new(),
    };
    for v in &plan.venues {
        let mut entry = match map.get(v.key.as_str()) {
            Some(Value::Mapping(old)) => old.clone(),
            _ => Mapping::new(),
        };
        for key in VENUE_FIELDS {
            if matches!(*key, "latitude" | "longitude") && v.geo.is_none() {
                continue;
            }
            entry.remove(*key);
        }
        let mut fresh = Mapping::new();
        venue_fill(&mut fresh, v);
        for (k, val) in entry {
            if !fresh.contains_key(&k) {
                fresh.insert(k, val);
            }
        }
        map.insert(s(&v.key), Value::Mapping(fresh));
    }
    Ok(yaml_text(&Value::Mapping(map)))
}

fn custom_types_yaml(types: &[CustomType]) -> Mapping {
    let mut custom = Mapping::new();
    for t in types {
        let mut entry = Mapping::new();
        entry.insert(s("label"), s(&t.label));
        if let Some(code) = &t.code {
            entry.insert(s("code"), s(code));
        }
        custom.insert(s(&t.key), Value::Mapping(entry));
    }
    custom
}

/// `online_location` from the place a feed gives its online meetings
/// (`Riverside, Warwickshire, GB`: the town first, the country's two-letter code last),
/// or `None` when it does not end with a country code.
fn online_location(place: &str) -> Option<Mapping> {
    let parts: Vec<&str> = place
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let (&country, rest) = parts.split_last()?;
    let is_code = country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase());
    let (&city, middle) = rest.split_first()?;
    if !is_code || middle.len() > 1 {
        return None;
    }
    let mut map = Mapping::new();
    map.insert(s("city"), s(city));
    if let Some(&region) = middle.first() {
        map.insert(s("region"), s(region));
    }
    map.insert(s("country"), s(country));
    Some(map)
}

/// A new site's `site.yaml`.
fn new_site_yaml(plan: &Plan, zone: &str, language: &str) -> String {
    let mut map = Mapping::new();
    map.insert(
        s("name"),
        s(plan.entity.as_deref().unwrap_or("Our meetings")),
    );
    map.insert(
        s("base_url"),
        s(plan.entity_url.as_deref().unwrap_or("https://example.org/")),
    );
    map.insert(s("language"), s(language));
    map.insert(s("timezone"), s(zone));
    if let Some(place) = plan.online_place.as_deref().and_then(online_location) {
        map.insert(s("online_location"), Value::Mapping(place));
    }
    if !plan.custom_types.is_empty() {
        let mut types = Mapping::new();
        types.insert(
            s("custom"),
            Value::Mapping(custom_types_yaml(&plan.custom_types)),
        );
        map.insert(s("meeting_types"), Value::Mapping(types));
    }
    format!(
        "# Made by `peerpress import`: check the name, the address the site is published at\n# (base_url) and the rest of the settings (see docs/guide.md).\n{}",
        yaml_text(&Value::Mapping(map))
    )
}

/// An existing `site.yaml` with the import's site-defined types added, its text kept:
/// a `meeting_types:` block at the end, or new lines under its `custom:`. `Err` gives
/// the YAML to add by hand when the file's layout is not one this can extend.
fn site_yaml_with_types(old: &str, types: &[CustomType]) -> Result<Option<String>, String> {
    let existing: Value = serde_yaml::from_str(old).unwrap_or(Value::Null);
    let have = existing
        .get("meeting_types")
        .and_then(|t| t.get("custom"))
        .and_then(Value::as_mapping);
    let missing: Vec<CustomType> = types
        .iter()
        .filter(|t| !have.is_some_and(|h| h.contains_key(t.key.as_str())))
        .cloned()
        .collect();
    if missing.is_empty() {
        return Ok(None);
    }
    let entries = yaml_text(&Value::Mapping(custom_types_yaml(&missing)));
    let indented = |n: usize| -> String {
        entries
            .lines()
            .map(|l| format!("{}{l}\n", " ".repeat(n)))
            .collect()
    };
    let mut text = old.to_string();
    if !text.ends_with('\n') && !text.is_empty() {
        text.push('\n');
    }
    if existing.get("meeting_types").is_none() {
        text.push_str("meeting_types:\n  custom:\n");
        text.push_str(&indented(4));
        return Ok(Some(text));
    }
    // `meeting_types:` then `  custom:` on lines of their own: add below `custom:`.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let top = lines.iter().position(|l| l.trim_end() == "meeting_types:");
    let custom = top.and_then(|t| {
        lines[t + 1..]
            .iter()
            .take_while(|l| {
                l.starts_with(' ') || l.trim().is_empty() || l.trim_start().starts_with('#')
            })
            .position(|l| l.trim_end() == "  custom:")
            .map(|i| t + 1 + i)
    });
    match (top, custom) {
        (Some(_), Some(c)) => {
            let mut out: String = lines[..=c].concat();
            out.push_str(&indented(4));
            out.push_str(&lines[c + 1..].concat());
            Ok(Some(out))
        }
        (Some(t), None) if have.is_none() => {
            let mut out: String = lines[..=t].concat();
            out.push_str("  custom:\n");
            out.push_str(&indented(4));
            out.push_str(&lines[t + 1..].concat());
            Ok(Some(out))
        }
        _ => Err(format!("meeting_types:\n  custom:\n{}", indented(4))),
    }
}

/// Everything to write for `plan` into `site` (`existing`: it already has a site).
/// `Err` stops the import; the `Vec<String>` notes are for the report.
pub fn files(
    site: &Path,
    plan: &Plan,
    existing: bool,
    zone: &str,
    language: &str,
) -> Result<(Vec<FileOut>, Vec<String>), String> {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    let read = |rel: &Path| -> Result<Option<String>, String> {
        match std::fs::read_to_string(site.join(rel)) {
            Ok(t) => Ok(Some(t)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(format!("cannot read `{}`: {e}", site.join(rel).display())),
        }
    };
    if existing {
        if !plan.custom_types.is_empty() {
            let rel = PathBuf::from("site.yaml");
            let old = read(&rel)?.unwrap_or_default();
            match site_yaml_with_types(&old, &plan.custom_types) {
                Ok(Some(text)) => out.push(FileOut { path: rel, text, replaces: true }),
                Ok(None) => {}
                Err(yaml) => notes.push(format!(
                    "site.yaml's `meeting_types:` is laid out in a way the import does not change; add these lines under it by hand:\n{yaml}"
                )),
            }
        }
    } else {
        out.push(FileOut {
            path: "site.yaml".into(),
            text: new_site_yaml(plan, zone, language),
            replaces: false,
        });
    }
    if !plan.venues.is_empty() {
        let rel = PathBuf::from("venues.yaml");
        let old = if existing { read(&rel)? } else { None };
        let text = venues_file(old.as_deref(), plan)?;
        if old.as_deref() != Some(text.as_str()) {
            out.push(FileOut {
                replaces: old.is_some(),
                path: rel,
                text,
            });
        }
    }
    for g in &plan.groups {
        let rel = Path::new("groups").join(format!("{}.md", g.slug));
        let old = if existing { read(&rel)? } else { None };
        let text = match &old {
            Some(old) => {
                let (text, only_here) = updated_group(&rel, old, g)?;
                for id in only_here {
                    notes.push(format!(
                        "`{}`: the meeting `{id}` is not in the source; it was kept. Remove it if it has stopped",
                        rel.display()
                    ));
                }
                text
            }
            None => new_group(g),
        };
        if old.as_deref() == Some(text.as_str()) {
            continue;
        }
        out.push(FileOut {
            path: rel,
            text,
            replaces: old.is_some(),
        });
    }
    Ok((out, notes))
}

/// Writes every file or none: each is written into a staging folder first; a new site's
/// folder is then renamed into place, and an existing site's files are swapped in one by
/// one, the replaced ones kept until all are in, so a failure puts them back.
pub fn commit(site: &Path, files: &[FileOut], existing: bool) -> Result<(), String> {
    // A folder that is there (a site, or an empty folder, perhaps the current one) takes
    // the files one by one; a new one is staged beside it and renamed into place whole.
    let in_place = existing || site.is_dir();
    let staging = if in_place {
        site.join(".peerpress-import")
    } else {
        let name = site
            .file_name()
            .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
        site.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
            .join(format!(".{name}.peerpress-import"))
    };
    let _ = std::fs::remove_dir_all(&staging);
    let staged = stage(&staging, files);
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let result = if in_place {
        swap_in(site, &staging, files)
    } else {
        std::fs::rename(&staging, site)
            .map_err(|e| format!("cannot create `{}`: {e}", site.display()))
    };
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn stage(staging: &Path, files: &[FileOut]) -> Result<(), String> {
    for f in files {
        let path = staging.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&path, &f.text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    Ok(())
}

fn swap_in(site: &Path, staging: &Path, files: &[FileOut]) -> Result<(), String> {
    let replaced = staging.join(".replaced");
    let mut done: Vec<(&FileOut, bool)> = Vec::new();
    let mut failure = None;
    for f in files {
        let target = site.join(&f.path);
        let backup = replaced.join(&f.path);
        let step = (|| -> std::io::Result<bool> {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let had = target.exists();
            if had {
                if let Some(parent) = backup.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::rename(&target, &backup)?;
            }
            if let Err(e) = std::fs::rename(staging.join(&f.path), &target) {
                if had {
                    let _ = std::fs::rename(&backup, &target);
                }
                return Err(e);
            }
            Ok(had)
        })();
        match step {
            Ok(had) => done.push((f, had)),
            Err(e) => {
                failure = Some(format!("cannot write `{}`: {e}", target.display()));
                break;
            }
        }
    }
    if let Some(message) = failure {
        for (f, had) in done.into_iter().rev() {
            let target = site.join(&f.path);
            if had {
                let _ = std::fs::rename(replaced.join(&f.path), &target);
            } else {
                let _ = std::fs::remove_file(&target);
            }
        }
        return Err(format!(
            "{message}\nhelp: nothing was changed; check the folder can be written to"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_types_join_site_yaml() {
        let t = vec![CustomType {
            key: "big-book".into(),
            label: "Big Book".into(),
            code: Some("B".into()),
            official: true,
        }];
        let added = site_yaml_with_types("name: X # ours\n", &t)
            .unwrap()
            .unwrap();
        assert_eq!(added, "name: X # ours\nmeeting_types:\n  custom:\n    big-book:\n      label: Big Book\n      code: B\n");
        let under = site_yaml_with_types(
            "meeting_types:\n  custom:\n    own: { label: Own }\nname: X\n",
            &t,
        )
        .unwrap()
        .unwrap();
        let parsed: Value = serde_yaml::from_str(&under).unwrap();
        assert!(parsed["meeting_types"]["custom"]["own"].is_mapping());
        assert_eq!(
            parsed["meeting_types"]["custom"]["big-book"]["code"],
            s("B")
        );
        assert!(site_yaml_with_types(&added, &t).unwrap().is_none());
    }

    #[test]
    fn text_stays_text() {
        assert_eq!(
            markdown_safe("# not a heading\n1. not a list\nplain <b>"),
            "\\# not a heading\n1\\. not a list\nplain &lt;b>"
        );
    }
}
