//! A Meeting Guide JSON feed (code4recovery/spec): an array of meetings, as TSML,
//! Meeting Guide sheets and PeerPress's own `meetings.json` publish.
//!
//! Each value keeps its place (JSON path and offset), so every field not taken is
//! reported at its line. Field meanings are decided in `mapping`, not here.

use serde_json::value::RawValue;

use super::record::{known, Cell, Lines, Place, Record};
use crate::diagnostics::Diagnostic;

/// The records of a feed, and the names of fields the importer has no use for, with
/// how many records had them.
pub fn read(
    lines: &Lines,
    unknown: &mut std::collections::BTreeMap<String, usize>,
) -> Result<Vec<Record>, Diagnostic> {
    let text = lines.text;
    let items: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| syntax(lines, &e))?;
    let mut records = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let label = format!("[{i}]");
        let at = place(text, item, label.clone());
        let mut record = Record {
            at: at.clone(),
            ..Record::default()
        };
        let fields: std::collections::BTreeMap<String, &RawValue> =
            match serde_json::from_str(item.get()) {
                Ok(fields) => fields,
                Err(_) => {
                    record.not_a_meeting = true;
                    records.push(record);
                    continue;
                }
            };
        for (key, raw) in fields {
            let field_label = format!("{label}.{key}");
            let Some(name) = known(&key) else {
                if !is_blank(raw.get()) {
                    *unknown.entry(key).or_default() += 1;
                }
                continue;
            };
            let cells = cells(text, raw, &field_label);
            record.fields.insert(name, cells);
        }
        records.push(record);
    }
    Ok(records)
}

fn is_blank(raw: &str) -> bool {
    matches!(raw.trim(), "null" | "\"\"" | "[]" | "{}")
}

/// A JSON syntax error, at its line and column.
fn syntax(lines: &Lines, e: &serde_json::Error) -> Diagnostic {
    let message = match e.classify() {
        serde_json::error::Category::Data => {
            "this is JSON, but not a Meeting Guide feed: the feed is a list of meetings, `[ {…}, {…} ]`".to_string()
        }
        serde_json::error::Category::Eof => "the JSON ends too soon: a `]` or `}` is missing".to_string(),
        _ => format!("this is not valid JSON: {}", strip_position(&e.to_string())),
    };
    let mut d = Diagnostic::error(lines.name, message).with_help(
        "check the file is the whole feed as downloaded; a Meeting Guide feed starts with `[` and ends with `]`",
    );
    if e.line() > 0 {
        let line_start = lines
            .text
            .split_inclusive('\n')
            .take(e.line() - 1)
            .map(str::len)
            .sum::<usize>();
        let line_text = lines.text[line_start..].split('\n').next().unwrap_or("");
        // serde_json counts the column in bytes.
        let byte = line_start + e.column().saturating_sub(1).min(line_text.len());
        let byte = (0..=byte)
            .rev()
            .find(|&b| lines.text.is_char_boundary(b))
            .unwrap_or(0);
        let (position, shown) = lines.locate(byte, 1);
        d.position = Some(position);
        d.source_line = shown;
    }
    d
}

fn strip_position(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// Where `raw`, a slice of `text`, starts.
fn place(text: &str, raw: &RawValue, label: String) -> Place {
    let offset = (raw.get().as_ptr() as usize).checked_sub(text.as_ptr() as usize);
    Place {
        label,
        offset: offset.filter(|&o| o <= text.len()),
        len: raw.get().len().min(80),
    }
}

/// A field's values: an array gives one cell per element.
fn cells(text: &str, raw: &RawValue, label: &str) -> Vec<Cell> {
    let value_text = raw.get().trim_start();
    if value_text.starts_with('[') {
        if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(raw.get()) {
            return items
                .into_iter()
                .enumerate()
                .filter_map(|(i, item)| scalar(text, item, format!("{label}[{i}]")))
                .collect();
        }
    }
    scalar(text, raw, label.to_string()).into_iter().collect()
}

fn scalar(text: &str, raw: &RawValue, label: String) -> Option<Cell> {
    let at = place(text, raw, label);
    let value: serde_json::Value = serde_json::from_str(raw.get()).ok()?;
    let text = match value {
        serde_json::Value::Null => return None,
        serde_json::Value::String(s) => s,
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => other.to_string(),
    };
    Some(Cell { text, at })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_and_arrays() {
        let text = "[\n {\"name\": \"A\", \"day\": [1, 3],\n  \"venmo\": \"@x\"}\n]";
        let lines = Lines::new("f.json", text);
        let mut unknown = Default::default();
        let records = read(&lines, &mut unknown).unwrap();
        let days: Vec<_> = records[0].all("day").map(|c| c.text.clone()).collect();
        assert_eq!(days, ["1", "3"]);
        let at = &records[0].one("day").unwrap().at;
        assert_eq!(at.label, "[0].day[0]");
        assert_eq!(lines.locate(at.offset.unwrap(), 1).0.line, 2);
        assert_eq!(unknown.get("venmo"), Some(&1));
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        // serde_json counts bytes; the message counts characters, as editors do.
        let text = "[\n {\"name\": \"é\",,}\n]";
        let lines = Lines::new("f.json", text);
        let d = read(&lines, &mut Default::default()).unwrap_err();
        let p = d.position.unwrap();
        assert_eq!((p.line, p.column), (2, 15));
    }
}
