//! One meeting as a source lists it, whatever the format: its fields by their Meeting Guide
//! names, each value with the place it came from, so that anything not taken can be
//! reported where the volunteer will find it.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Position};

/// Where a value is in the source: for people (`[3].day`, `row 5, column C (Day)`) and,
/// as a byte offset and length, for the diagnostic's line and caret (worked out only
/// when a message needs it: a feed may be one line of megabytes).
#[derive(Debug, Clone, Default)]
pub struct Place {
    pub label: String,
    pub offset: Option<usize>,
    pub len: usize,
}

/// One value of a field.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub at: Place,
}

/// One record (a meeting, perhaps on several days) of the source.
#[derive(Debug, Default)]
pub struct Record {
    /// Where the record starts.
    pub at: Place,
    /// Meeting Guide field name → values (several for `day`, `types`, `regions`).
    pub fields: BTreeMap<&'static str, Vec<Cell>>,
    /// The record is not a set of fields at all (a number or a list in a JSON feed).
    pub not_a_meeting: bool,
}

impl Record {
    /// The field's first value, when it has one that is not blank.
    pub fn one(&self, key: &str) -> Option<&Cell> {
        self.fields
            .get(key)
            .and_then(|cells| cells.iter().find(|c| !c.text.trim().is_empty()))
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        self.one(key).map(|c| c.text.trim())
    }

    pub fn all(&self, key: &str) -> impl Iterator<Item = &Cell> {
        self.fields
            .get(key)
            .into_iter()
            .flatten()
            .filter(|c| !c.text.trim().is_empty())
    }

    /// How the record is named in messages: its position and its name.
    pub fn title(&self) -> String {
        match self.text("name") {
            Some(name) => format!("{} (`{name}`)", self.at.label),
            None => self.at.label.clone(),
        }
    }
}

/// Every field the importer knows, by its Meeting Guide name: read into PeerPress, or
/// named in the summary as not imported.
pub const USED: &[&str] = &[
    "name",
    "slug",
    "day",
    "time",
    "end_time",
    "timezone",
    "types",
    "location",
    "formatted_address",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "latitude",
    "longitude",
    "approximate",
    "region",
    "sub_region",
    "regions",
    "location_notes",
    "conference_url",
    "conference_url_notes",
    "conference_phone",
    "conference_phone_notes",
    "notes",
    "group",
    "group_notes",
    "website",
    "website_2",
    "attendance_option",
    "entity",
    "entity_url",
];

/// The fields of a group's contacts: the three people of a Meeting Guide feed, then
/// the group's own e-mail and phone. Known as those of [`USED`] are, and kept apart so
/// the mapping can tell whether a source holds any contact at all.
pub const CONTACT_FIELDS: &[&str] = &[
    "contact_1_name",
    "contact_1_email",
    "contact_1_phone",
    "contact_2_name",
    "contact_2_email",
    "contact_2_phone",
    "contact_3_name",
    "contact_3_email",
    "contact_3_phone",
    "email",
    "phone",
];

/// The name a field is stored under, when the importer knows it.
pub fn known(key: &str) -> Option<&'static str> {
    USED.iter()
        .chain(CONTACT_FIELDS)
        .copied()
        .find(|k| *k == key)
}

/// The source's text with where its lines start, to turn offsets into lines and columns.
pub struct Lines<'a> {
    pub name: &'a str,
    pub text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Lines { name, text, starts }
    }

    /// The 1-based line and column (in characters) of `offset`, and the line's text when
    /// it is short enough to show under a message.
    pub fn locate(&self, offset: usize, len: usize) -> (Position, Option<String>) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let before = self.text.get(start..offset).unwrap_or("");
        let column = before.chars().count() + 1;
        let rest = &self.text[start..];
        let text = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
        let shown = (text.chars().count() <= 240).then(|| text.to_string());
        let len = self
            .text
            .get(offset..offset + len)
            .map_or(1, |t| t.chars().count().max(1));
        (Position { line, column, len }, shown)
    }

    /// A problem (`error`) or a note about the source, at `at`.
    pub fn diagnostic(
        &self,
        error: bool,
        at: &Place,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        let message = message.into();
        let mut d = if error {
            Diagnostic::error(self.name, message)
        } else {
            Diagnostic::warning(self.name, message)
        };
        if let Some(offset) = at.offset {
            let (position, line) = self.locate(offset, at.len);
            d.position = Some(position);
            d.source_line = line;
        }
        if let Some(help) = help {
            d = d.with_help(help);
        }
        d
    }
}
