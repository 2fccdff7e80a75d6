//! A record's content hash, the same whatever order its keys were written in (serde_json's map
//! order depends on a feature other crates may switch on): the station compares two copies of
//! one record version by it.

use serde_json::Value;

fn write_canonical(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(&Value::String(k.clone()), out);
                out.push(b':');
                write_canonical(&map[k], out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        scalar => out.extend_from_slice(scalar.to_string().as_bytes()),
    }
}

/// BLAKE3 of the canonical JSON text (keys sorted at every level), hex.
pub fn canonical_hash(v: &Value) -> String {
    let mut out = Vec::with_capacity(512);
    write_canonical(v, &mut out);
    blake3::hash(&out).to_hex().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_does_not_matter_but_values_do() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"y":[1,"二"],"x":null}}"#).expect("json");
        let b: Value = serde_json::from_str(r#"{"a":{"x":null,"y":[1,"二"]},"b":1}"#).expect("json");
        assert_eq!(canonical_hash(&a), canonical_hash(&b));
        assert_ne!(canonical_hash(&a), canonical_hash(&json!({"b": 2, "a": {"x": null, "y": [1, "二"]}})));
    }
}
