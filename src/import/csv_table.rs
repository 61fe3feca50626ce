//! Reading a meeting table saved as CSV (TSML's export and import template, a Meeting
//! Guide sheet): the header row names the columns, in plain-language Meeting Guide names
//! (`Conference URL` for `conference_url`), in any order.
//!
//! The two formats differ in a few columns only; each says how in its own module
//! (`tsml_csv`, `sheet_csv`) through a [`Dialect`].

use std::collections::BTreeMap;

use super::record::{known, Cell, Lines, Place, Record};
use crate::diagnostics::Diagnostic;

/// What sets one table format apart.
pub struct Dialect {
    /// What an `ID` column holds: the meeting's slug (a sheet), or a database number
    /// with no meaning elsewhere (TSML).
    pub id_is_slug: bool,
}

/// The header row, normalised: `Conference URL` → `conference_url`.
pub fn normalise_header(header: &str) -> String {
    let mut out = String::new();
    for word in header
        .trim()
        .trim_start_matches('\u{feff}')
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// A normalised header as a spreadsheet shows it: `data_source` → `Data Source`.
pub fn display_header(header: &str) -> String {
    header
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The header row of `text`, normalised, to recognise the format.
pub fn headers(text: &str) -> Vec<String> {
    reader_headers(text, sniff_delimiter(text))
        .iter()
        .map(|h| normalise_header(h))
        .collect()
}

/// The importer's name for a column, given all the table's columns.
fn column_field(header: &str, all: &[String], dialect: &Dialect) -> Option<&'static str> {
    let split_address = all.iter().any(|h| {
        matches!(
            h.as_str(),
            "city" | "state" | "postal_code" | "zip" | "zip_code"
        )
    });
    Some(match header {
        "id" if dialect.id_is_slug => "slug",
        "address" if !split_address => "formatted_address",
        "zip" | "zip_code" | "postcode" | "post_code" => "postal_code",
        "province" | "county" => "state",
        "meeting_name" => "name",
        "start_time" => "time",
        "type" | "meeting_types" => "types",
        "location_name" => "location",
        "time_zone" => "timezone",
        "group_name" => "group",
        "lat" => "latitude",
        "lng" | "lon" | "long" => "longitude",
        other => return known(other),
    })
}

/// Reads the table's records; blank rows are skipped.
pub fn read(
    lines: &Lines,
    dialect: &Dialect,
    unknown: &mut BTreeMap<String, usize>,
) -> Result<Vec<Record>, Diagnostic> {
    let text = lines.text;
    check_quotes(lines)?;
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let headers: Vec<String> = match rows.next() {
        Some(Ok(h)) => h.iter().map(normalise_header).collect(),
        Some(Err(e)) => return Err(csv_error(lines, &e)),
        None => {
            return Err(Diagnostic::error(lines.name, "the file is empty")
                .with_help("export the meeting list again, with its header row"))
        }
    };
    let raw_headers: Vec<String> = reader_headers(text, delimiter);
    let fields: Vec<Option<&'static str>> = headers
        .iter()
        .map(|h| column_field(h, &headers, dialect))
        .collect();
    if !fields.iter().any(|f| matches!(f, Some("day" | "time"))) {
        return Err(Diagnostic::error(
            lines.name,
            format!(
                "the first row should name the columns, with at least `Day` and `Time`; it is `{}`",
                raw_headers.join(&(delimiter as char).to_string())
            ),
        )
        .at(text, crate::diagnostics::Position { line: 1, column: 1, len: 1 })
        .with_help("export the meeting list with its header row, or add one: `Day`, `Time`, `End Time`, `Name`, `Location`, `Address`, `Types`…"));
    }
    let mut records = Vec::new();
    for (index, row) in rows.enumerate() {
        let row = row.map_err(|e| csv_error(lines, &e))?;
        if row.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let sheet_row = index + 2;
        // After a Windows line end the reader's position can be the `\n` of the row before.
        let mut start = row.position().map_or(0, |p| p.byte() as usize);
        while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if row.len() > headers.len() && row.iter().skip(headers.len()).any(|f| !f.trim().is_empty())
        {
            let offsets = field_offsets(text, start, delimiter, row.len());
            let at = Place {
                label: format!("row {sheet_row}"),
                offset: offsets.get(headers.len()).copied(),
                len: 1,
            };
            return Err(lines.diagnostic(
                true,
                &at,
                format!(
                    "row {sheet_row} has {} cells but the header row names {} columns",
                    row.len(),
                    headers.len()
                ),
                Some("a cell probably holds the separator (`,`) without quotes around it; put the cell's text in double quotes, or save the file again from the spreadsheet".into()),
            ));
        }
        let offsets = field_offsets(text, start, delimiter, row.len());
        let mut record = Record {
            at: Place {
                label: format!("row {sheet_row}"),
                offset: Some(start),
                len: 1,
            },
            ..Record::default()
        };
        for (column, value) in row.iter().enumerate() {
            let Some(header) = headers.get(column) else {
                continue;
            };
            let Some(field) = fields[column] else {
                if !value.trim().is_empty() && !header.is_empty() {
                    *unknown
                        .entry(raw_headers.get(column).cloned().unwrap_or_default())
                        .or_default() += 1;
                }
                continue;
            };
            let at = Place {
                label: format!(
                    "row {sheet_row}, column {} (`{}`)",
                    column_letter(column),
                    raw_headers.get(column).map_or("", String::as_str)
                ),
                offset: offsets.get(column).copied(),
                len: value.len().clamp(1, 80),
            };
            let pieces: Vec<&str> = match field {
                "types" | "day" => value.split([',', ';']).collect(),
                "regions" | "region" if value.contains('>') => value.split('>').collect(),
                _ => vec![value],
            };
            let field = if field == "region" && pieces.len() > 1 {
                "regions"
            } else {
                field
            };
            let cells = record.fields.entry(field).or_default();
            cells.extend(pieces.into_iter().map(|p| Cell {
                text: p.trim().to_string(),
                at: at.clone(),
            }));
        }
        records.push(record);
    }
    Ok(records)
}

/// The header row as written, for messages.
fn reader_headers(text: &str, delimiter: u8) -> Vec<String> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| {
            r.iter()
                .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// `A`, `B`, … `Z`, `AA`: the spreadsheet's name for a column.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push((b'A' + rem as u8) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// Comma, semicolon (spreadsheets in much of Europe) or tab (Excel's "Unicode text"):
/// whichever the header row has most of, outside quotes.
fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// The byte offset where each of a record's first `n` fields starts.
fn field_offsets(text: &str, start: usize, delimiter: u8, n: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut offsets = vec![start];
    let mut quoted = false;
    let mut i = start;
    while i < bytes.len() && offsets.len() < n {
        match bytes[i] {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b if b == delimiter && !quoted => offsets.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    // Point inside a quoted cell, at its text.
    offsets
        .into_iter()
        .map(|o| {
            if bytes.get(o) == Some(&b'"') {
                o + 1
            } else {
                o
            }
        })
        .collect()
}

/// A quote opened and never closed swallows the rest of the file into one cell: found
/// before reading, and shown where it opens.
fn check_quotes(lines: &Lines) -> Result<(), Diagnostic> {
    let bytes = lines.text.as_bytes();
    let mut open_at = None;
    for i in memchr::memchr_iter(b'"', bytes) {
        open_at = match open_at {
            None => Some(i),
            Some(_) => None,
        };
    }
    match open_at {
        None => Ok(()),
        Some(at) => Err(lines.diagnostic(
            true,
            &Place { label: String::new(), offset: Some(at), len: 1 },
            "this double quote opens a cell that is never closed, so the rest of the file would be read as one cell",
            Some("add the closing `\"` at the end of the cell's text; a `\"` inside a cell is written twice: `\"\"`".into()),
        )),
    }
}

fn csv_error(lines: &Lines, e: &csv::Error) -> Diagnostic {
    let offset = e.position().map(|p| p.byte() as usize);
    lines.diagnostic(
        true,
        &Place {
            label: String::new(),
            offset,
            len: 1,
        },
        format!("this row cannot be read as CSV: {e}"),
        Some("save the file again from the spreadsheet as CSV".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHEET: Dialect = Dialect { id_is_slug: true };

    #[test]
    fn headers_and_places() {
        let text = "Day,Time,Types,Region,Venmo\nMonday,19:00,\"O, D\",North > Hill,@x\n";
        let lines = Lines::new("t.csv", text);
        let mut unknown = BTreeMap::new();
        let records = read(&lines, &SHEET, &mut unknown).unwrap();
        let types: Vec<_> = records[0].all("types").map(|c| c.text.as_str()).collect();
        assert_eq!(types, ["O", "D"]);
        let regions: Vec<_> = records[0].all("regions").map(|c| c.text.as_str()).collect();
        assert_eq!(regions, ["North", "Hill"]);
        let at = &records[0].one("types").unwrap().at;
        assert_eq!(at.label, "row 2, column C (`Types`)");
        assert_eq!(lines.locate(at.offset.unwrap(), 1).0.column, 15);
        assert_eq!(unknown.get("Venmo"), Some(&1));
    }

    #[test]
    fn unclosed_quote_is_shown_where_it_opens() {
        let text = "Day,Time,Name\nMonday,19:00,\"Open\nTuesday,20:00,x\n";
        let d = read(&Lines::new("t.csv", text), &SHEET, &mut BTreeMap::new()).unwrap_err();
        let p = d.position.unwrap();
        assert_eq!((p.line, p.column), (2, 14));
    }

    #[test]
    fn semicolons_and_letters() {
        assert_eq!(sniff_delimiter("Day;Time;Name\n"), b';');
        assert_eq!(sniff_delimiter("Day\tTime\n"), b'\t');
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
    }
}
