//! What the JSON outputs (HSDS, schema.org) share: optional fields are left out rather
//! than written as `null`, which both specifications prefer.

use serde_json::Value as Json;

/// Removes every key whose value is `null`, at any depth.
pub fn without_nulls(value: Json) -> Json {
    match value {
        Json::Object(map) => Json::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// A JSON object built field by field, leaving out fields that have no value. Quicker
/// than `json!` followed by [`without_nulls`], which copies every nested value.
#[derive(Default)]
pub struct Object(serde_json::Map<String, Json>);

impl Object {
    /// An object with a schema.org `@type`.
    pub fn typed(kind: &str) -> Object {
        Object::default().with("@type", kind)
    }

    pub fn with(mut self, key: &str, value: impl Into<Json>) -> Object {
        self.0.insert(key.to_string(), value.into());
        self
    }

    /// Adds the field only if it has a value.
    pub fn maybe(self, key: &str, value: Option<impl Into<Json>>) -> Object {
        match value {
            Some(value) => self.with(key, value),
            None => self,
        }
    }
}

impl From<Object> for Json {
    fn from(object: Object) -> Json {
        Json::Object(object.0)
    }
}
