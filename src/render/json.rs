//! What the JSON outputs (HSDS, schema.org) share: a small tree of values, mostly
//! borrowed from the site, written straight to text. An object's keys are written in
//! sorted order (as a `serde_json` map orders them) and its optional fields are left
//! out rather than written as `null`, which both specifications prefer.
//!
//! Every page with structured data makes such a tree, so it is made to be cheap: keys
//! are `&'static str`, text is borrowed where it can be, a value used many times (a
//! meeting's location in each of its occurrences) is written once and then copied as
//! text, and a long part of a big document (`directory.json`) is streamed rather than
//! held. That is what `serde_json::Value` (owned text, whole trees) does not do. The
//! JSON itself, strings and numbers, is written by `serde_json`.

use std::borrow::Cow;

/// A JSON value to be written.
pub enum Json<'a> {
    Text(Cow<'a, str>),
    Int(i64),
    Float(f64),
    /// JSON text written already.
    Raw(&'a str),
    List(Vec<Json<'a>>),
    Object(Object<'a>),
    /// Written by a function when its turn comes, so that a long part of a big document
    /// never waits in memory as a tree.
    Streamed(Box<dyn FnOnce(&mut String) + 'a>),
}

/// A JSON object built field by field, leaving out fields that have no value.
#[derive(Default)]
pub struct Object<'a>(Vec<(&'static str, Json<'a>)>);

impl<'a> Object<'a> {
    /// An object with a schema.org `@type`.
    pub fn typed(kind: &'a str) -> Object<'a> {
        Object::default().with("@type", kind)
    }

    pub fn with(mut self, key: &'static str, value: impl Into<Json<'a>>) -> Object<'a> {
        debug_assert!(self.0.iter().all(|(k, _)| *k != key), "`{key}` given twice");
        self.0.push((key, value.into()));
        self
    }

    /// Adds the field only if it has a value.
    pub fn maybe(self, key: &'static str, value: Option<impl Into<Json<'a>>>) -> Object<'a> {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }
}

impl Json<'_> {
    /// The value as JSON text.
    pub fn into_text(self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Appends the value's JSON text to `out`.
    pub fn write(self, out: &mut String) {
        match self {
            Json::Text(text) => write_text(&text, out),
            Json::Int(n) => {
                use std::fmt::Write as _;
                let _ = write!(out, "{n}");
            }
            // As `serde_json` writes numbers, so the text is the same as it always was
            // (`null` for what JSON cannot hold).
            Json::Float(x) => out.push_str(&serde_json::to_string(&x).unwrap_or_default()),
            Json::Raw(text) => out.push_str(text),
            Json::List(items) => {
                out.push('[');
                for (i, item) in items.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(Object(mut fields)) => {
                // (Compared byte by byte in place: the keys are short, and a call to
                // `memcmp` for each comparison cost more than the comparing.)
                fields.sort_unstable_by(|(a, _), (b, _)| a.bytes().cmp(b.bytes()));
                out.push('{');
                for (i, (key, value)) in fields.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    // Keys are names in this program's text, never in need of escaping.
                    debug_assert!(!needs_escaping(key), "`{key}`");
                    out.push('"');
                    out.push_str(key);
                    out.push_str("\":");
                    value.write(out);
                }
                out.push('}');
            }
            Json::Streamed(write) => write(out),
        }
    }
}

/// A JSON string, escaped by `serde_json` (quotes, backslashes and control characters).
fn write_text(text: &str, out: &mut String) {
    // (Serializing a string cannot fail.)
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

/// Whether any byte of `text` is one JSON escapes (keys never need it).
fn needs_escaping(text: &str) -> bool {
    text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\')
}

impl<'a> From<&'a str> for Json<'a> {
    fn from(text: &'a str) -> Json<'a> {
        Json::Text(Cow::Borrowed(text))
    }
}

impl<'a> From<&'a String> for Json<'a> {
    fn from(text: &'a String) -> Json<'a> {
        Json::Text(Cow::Borrowed(text))
    }
}

impl From<String> for Json<'_> {
    fn from(text: String) -> Self {
        Json::Text(Cow::Owned(text))
    }
}

impl From<i64> for Json<'_> {
    fn from(n: i64) -> Self {
        Json::Int(n)
    }
}

impl From<u8> for Json<'_> {
    fn from(n: u8) -> Self {
        Json::Int(n.into())
    }
}

impl From<i8> for Json<'_> {
    fn from(n: i8) -> Self {
        Json::Int(n.into())
    }
}

impl From<f64> for Json<'_> {
    fn from(x: f64) -> Self {
        Json::Float(x)
    }
}

impl<'a> From<Object<'a>> for Json<'a> {
    fn from(object: Object<'a>) -> Json<'a> {
        Json::Object(object)
    }
}

impl<'a, T: Into<Json<'a>>> From<Vec<T>> for Json<'a> {
    fn from(items: Vec<T>) -> Json<'a> {
        Json::List(items.into_iter().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_written_with_sorted_keys_and_without_missing_fields() {
        let object = Object::typed("Place")
            .with("name", "Hall")
            .maybe("address", None::<&str>)
            .with("@id", String::from("#hall"))
            .with(
                "geo",
                Object::default()
                    .with("longitude", -1.25)
                    .with("latitude", 51.75),
            )
            .with("rooms", vec![2i64, 3])
            .with("floor", 1u8)
            .with("notes", Json::Raw("{\"b\":1,\"a\":2}"))
            .with("tags", Vec::<&str>::new());
        let expected = serde_json::json!({
            "@type": "Place",
            "name": "Hall",
            "@id": "#hall",
            "geo": { "longitude": -1.25, "latitude": 51.75 },
            "rooms": [2, 3],
            "floor": 1,
            "tags": [],
        });
        let text = Json::from(object).into_text();
        let expected = serde_json::to_string(&expected)
            .unwrap()
            .replace(",\"rooms\"", ",\"notes\":{\"b\":1,\"a\":2},\"rooms\"");
        assert_eq!(text, expected);
    }

    #[test]
    fn a_streamed_value_is_written_in_its_place() {
        let object = Object::default()
            .with("b", Json::Streamed(Box::new(|out| out.push_str("[1,2]"))))
            .with("a", 0i64);
        assert_eq!(Json::from(object).into_text(), r#"{"a":0,"b":[1,2]}"#);
    }
}
