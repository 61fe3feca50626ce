//! `peerpress import`: a site's groups, meetings and venues made from another system's
//! meeting list: a Meeting Guide JSON feed (`meeting_guide`), TSML's CSV (`tsml_csv`)
//! or a Meeting Guide spreadsheet saved as CSV (`sheet_csv`).
//!
//! Each format module reads its source into [`record::Record`]s, which keep where each
//! value came from; `mapping` turns them into a site's parts, noting every value not
//! taken as it was; `write_site` writes the files, all or none. Nothing here prints.

// Errors are diagnostics: made once, when an import stops, never on a hot path.
#![allow(clippy::result_large_err)]

mod csv_table;
mod mapping;
mod meeting_guide;
mod record;
mod sheet_csv;
mod source;
mod text;
mod tsml_csv;
mod types;
mod write_site;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use mapping::Grouping;

use crate::diagnostics::Diagnostic;
use record::Lines;

/// The formats `import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    MeetingGuide,
    TsmlCsv,
    SheetCsv,
}

impl SourceFormat {
    /// As `--format` names it.
    pub fn key(self) -> &'static str {
        match self {
            SourceFormat::MeetingGuide => "meeting-guide",
            SourceFormat::TsmlCsv => "tsml-csv",
            SourceFormat::SheetCsv => "sheet-csv",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            SourceFormat::MeetingGuide => "a Meeting Guide JSON feed",
            SourceFormat::TsmlCsv => "TSML's CSV export",
            SourceFormat::SheetCsv => "a Meeting Guide spreadsheet saved as CSV",
        }
    }
}

/// What to import, and where.
pub struct Options {
    /// A file, or an `https://` address.
    pub source: String,
    /// The site folder: new (or empty), or an existing site with `update`.
    pub into: PathBuf,
    /// The source's format; worked out from the source when `None`.
    pub format: Option<SourceFormat>,
    pub dry_run: bool,
    pub update: bool,
}

/// A written file, relative to the site folder.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    /// It replaced a file (with `--update`).
    pub replaced: bool,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug)]
pub struct Outcome {
    pub format: SourceFormat,
    /// Why the format was chosen, when it was worked out rather than given.
    pub detected: Option<String>,
    /// How a CSV file was decoded, when not as UTF-8.
    pub encoding: Option<&'static str>,
    pub records: usize,
    pub meetings: usize,
    pub groups: usize,
    pub venues: usize,
    /// Keys of the site-defined meeting types made.
    pub types_created: Vec<String>,
    pub left_out: usize,
    pub grouping: Option<Grouping>,
    /// Fields (or columns) the site has no place for, with how many records had one.
    pub not_imported: BTreeMap<String, usize>,
    /// Every value not taken as it was, at its place in the source.
    pub problems: Vec<Diagnostic>,
    /// Things to do by hand, about the site's own files.
    pub notes: Vec<String>,
    pub files: Vec<Written>,
    pub dry_run: bool,
    pub new_site: bool,
}

/// A failed import: nothing was written.
fn stop(file: &str, message: &str) -> Diagnostic {
    let (message, help) = match message.split_once("\nhelp: ") {
        Some((m, h)) => (m, Some(h)),
        None => (message, None),
    };
    let d = Diagnostic::error(file, message);
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

/// Imports `options.source` into `options.into`. `Err` stops with nothing written.
pub fn import(options: &Options) -> Result<Outcome, Diagnostic> {
    let site = &options.into;
    let site_shown = site.display().to_string();
    // The site first: a refusal should not wait for a download.
    let existing = site.join("site.yaml").is_file();
    if !existing && site.exists() {
        let empty = std::fs::read_dir(site)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(stop(&site_shown, &format!(
                "`{site_shown}` is not empty and has no site.yaml, so it is not a site folder\nhelp: import into a new folder: `--into my-site`"
            )));
        }
    }
    if existing && !options.update {
        return Err(stop(&site_shown, &format!(
            "`{site_shown}` already has a site, and an import would change its files\nhelp: add `--update` to bring its groups and venues up to date from the source (each group's text and fields you added are kept), or import into a new folder with `--into`"
        )));
    }
    let name = options.source.as_str();
    let bytes = source::read_bytes(name).map_err(|m| stop(name, &m))?;
    let (format, detected) = match options.format {
        Some(f) => (f, None),
        None => detect(&bytes),
    };
    let (text, encoding) = match format {
        SourceFormat::MeetingGuide => (
            source::decode_json(name, &bytes).map_err(|m| stop(name, &m))?,
            None,
        ),
        _ => {
            let decoded = source::decode_csv(name, &bytes).map_err(|m| stop(name, &m))?;
            (decoded.text, decoded.encoding)
        }
    };
    drop(bytes);
    let (format, detected) = match (format, detected) {
        (SourceFormat::SheetCsv, Some(_)) => {
            match tsml_csv::recognise(&csv_table::headers(&text)) {
                Some(why) => (SourceFormat::TsmlCsv, Some(why)),
                None => (
                    SourceFormat::SheetCsv,
                    Some("it is a table without TSML's own columns (such as `Slug`)".to_string()),
                ),
            }
        }
        other => other,
    };
    let lines = Lines::new(name, &text);
    let mut not_imported = BTreeMap::new();
    let (records, contacts_public) = match format {
        SourceFormat::MeetingGuide => (meeting_guide::read(&lines, &mut not_imported)?, true),
        SourceFormat::TsmlCsv => (
            csv_table::read(&lines, &tsml_csv::DIALECT, &mut not_imported)?,
            tsml_csv::CONTACTS_PUBLIC,
        ),
        SourceFormat::SheetCsv => (
            csv_table::read(&lines, &sheet_csv::DIALECT, &mut not_imported)?,
            sheet_csv::CONTACTS_PUBLIC,
        ),
    };
    let site_settings = if existing {
        read_site(site)?
    } else {
        SiteSettings::default()
    };
    let settings = mapping::Settings {
        site_zone: site_settings.zone.clone(),
        site_language: site_settings
            .language
            .clone()
            .unwrap_or_else(|| "en".into()),
        contacts_public,
        existing_venues: site_settings.venues,
    };
    let mut plan = mapping::map(&lines, &records, &settings);
    // In the source's order, as the volunteer reads it.
    plan.problems
        .sort_by_key(|d| d.position.map(|p| (p.line, p.column)));
    let zone = site_settings
        .zone
        .or_else(|| plan.main_zone.clone())
        .unwrap_or_else(|| "UTC".into());
    let (files, notes) = write_site::files(site, &plan, existing, &zone, &settings.site_language)
        .map_err(|m| stop(&site_shown, &m))?;
    if !options.dry_run {
        write_site::commit(site, &files, existing).map_err(|m| stop(&site_shown, &m))?;
    }
    Ok(Outcome {
        format,
        detected,
        encoding,
        records: records.len(),
        meetings: plan.meetings,
        groups: plan.groups.len(),
        venues: plan.venues.len(),
        types_created: plan.custom_types.iter().map(|t| t.key.clone()).collect(),
        left_out: plan.left_out,
        grouping: plan.grouping,
        not_imported,
        problems: plan.problems,
        notes,
        files: files
            .iter()
            .map(|f| Written {
                path: f.path.clone(),
                replaced: f.replaces,
            })
            .collect(),
        dry_run: options.dry_run,
        new_site: !existing,
    })
}

/// The format a source is in, and why: JSON starts with `[` (or `{`); anything else is
/// read as a table, TSML's or a sheet's by its columns (decided once it is decoded).
fn detect(bytes: &[u8]) -> (SourceFormat, Option<String>) {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match start.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => (
            SourceFormat::MeetingGuide,
            Some("the file starts with `[`, as a JSON feed does".into()),
        ),
        Some(b'{') => (
            SourceFormat::MeetingGuide,
            Some("the file starts with `{`, as JSON does".into()),
        ),
        _ => (SourceFormat::SheetCsv, Some(String::new())),
    }
}

/// What an existing site says that the import needs.
#[derive(Default)]
struct SiteSettings {
    zone: Option<String>,
    language: Option<String>,
    /// Key, one-line address and name of each venue.
    venues: Vec<(String, Option<String>, String)>,
}

fn read_site(site: &Path) -> Result<SiteSettings, Diagnostic> {
    let read_yaml = |name: &str| -> Result<serde_yaml::Value, Diagnostic> {
        let path = site.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) if text.trim().is_empty() => Ok(serde_yaml::Value::Null),
            Ok(text) => serde_yaml::from_str(&text).map_err(|e| {
                stop(&path.display().to_string(), &format!(
                    "cannot read `{name}` to update the site: {e}\nhelp: run `peerpress check` and fix it first"
                ))
            }),
            Err(_) => Ok(serde_yaml::Value::Null),
        }
    };
    let config = read_yaml("site.yaml")?;
    let venues = read_yaml("venues.yaml")?;
    let text =
        |v: Option<&serde_yaml::Value>| v.and_then(serde_yaml::Value::as_str).map(str::to_string);
    let venues = venues
        .as_mapping()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    let key = k.as_str()?.to_string();
                    let address = match v.get("address") {
                        Some(serde_yaml::Value::String(line)) => Some(line.clone()),
                        Some(serde_yaml::Value::Mapping(parts)) => Some(
                            ["street", "town", "region", "postcode", "country"]
                                .iter()
                                .filter_map(|p| parts.get(*p).and_then(serde_yaml::Value::as_str))
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                        _ => None,
                    };
                    Some((key, address, text(v.get("name")).unwrap_or_default()))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(SiteSettings {
        zone: text(config.get("timezone")),
        language: text(config.get("language")),
        venues,
    })
}
