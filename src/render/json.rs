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
