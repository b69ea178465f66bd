//! Field-level before/after of a child record, for the audit log. ID numbers are masked here
//! too: the log says that the number changed, not what it is.

use serde_json::{json, Map, Value};
use shared::children::ChildInput;

fn flatten(prefix: &str, value: &Value, out: &mut Map<String, Value>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, inner, out);
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), inner, out);
            }
            if items.is_empty() {
                out.insert(prefix.to_string(), Value::Array(Vec::new()));
            }
        }
        other => {
            out.insert(prefix.to_string(), other.clone());
        }
    }
}

fn fields(child: Option<&ChildInput>) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(child) = child {
        let mut child = child.clone();
        for id_number in child.id_numbers_mut() {
            *id_number = id_number.as_deref().map(crate::store::children::mask);
        }
        let value = serde_json::to_value(&child).unwrap_or(Value::Null);
        flatten("", &value, &mut out);
    }
    out
}

/// `[{"field": …, "before": …, "after": …}]` for every field that differs.
pub fn changes(before: Option<&ChildInput>, after: &ChildInput) -> String {
    let before = fields(before);
    let after = fields(Some(after));
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let changed: Vec<Value> = names
        .into_iter()
        .filter(|name| before.get(*name) != after.get(*name))
        .map(|name| json!({"field": name, "before": before.get(name), "after": after.get(name)}))
        .collect();
    Value::Array(changed).to_string()
}
