//! A record's content hash, the same whatever order its keys were written in (serde_json's map
//! order depends on a feature other crates may switch on): the station compares two copies of
//! one record version by it.
//!
//! Two ways to the same text: [`canonical_hash`] from a parsed `Value`, and
//! [`CanonicalObject`] straight from a record's JSON line as it is parsed — the station checks
//! every record of a bundle, and building a `Value` tree for each cost more than all the checks.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
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

/// Writes a string or number as serde_json writes it inside a `Value` (the canonical text's
/// scalars are serde_json's compact output). Writing these into a `Vec` cannot fail.
fn put<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(&mut *out, v);
}

/// An object's entries: each key with where its value's canonical text lies in a buffer.
type Entries<'de> = Vec<(Cow<'de, str>, Range<usize>)>;

/// Writes a string the parser lent straight from the input. serde_json lends only a string
/// written without escapes, and JSON allows no raw quote, backslash or control character in
/// one, so serde_json would write it back unchanged: no need to scan it for escapes (the
/// scan was the largest single cost of a bundle's checks).
fn write_borrowed(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Writes `{"k":v,…}` of the entries (sorted by key, duplicates already removed) that `keep`.
fn write_entries(
    out: &mut Vec<u8>,
    text: &[u8],
    entries: &[(Cow<'_, str>, Range<usize>)],
    keep: impl Fn(&str) -> bool,
) {
    out.push(b'{');
    let mut first = true;
    for (k, span) in entries.iter().filter(|(k, _)| keep(k)) {
        if !first {
            out.push(b',');
        }
        first = false;
        match k {
            Cow::Borrowed(k) => write_borrowed(out, k),
            Cow::Owned(k) => put(out, k.as_str()),
        }
        out.push(b':');
        out.extend_from_slice(&text[span.clone()]);
    }
    out.push(b'}');
}

/// An object's entries, each value's canonical text in `text`, sorted by key; of a key given
/// twice the last value counts, as in a parsed `Value`.
fn read_entries<'de, A: MapAccess<'de>>(map: &mut A, text: &mut Vec<u8>) -> Result<Entries<'de>, A::Error> {
    let mut entries: Entries<'de> = Vec::with_capacity(map.size_hint().unwrap_or(16));
    while let Some(Key(k)) = map.next_key()? {
        let start = text.len();
        map.next_value_seed(Canon(text))?;
        entries.push((k, start..text.len()));
    }
    // Stable: of equal keys the later stays later, and the dedup below keeps it.
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut kept: Entries<'de> = Vec::with_capacity(entries.len());
    for e in entries {
        match kept.last_mut() {
            Some(last) if last.0 == e.0 => *last = e,
            _ => kept.push(e),
        }
    }
    Ok(kept)
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Appends the canonical text of one JSON value as the parser meets it (no `Value` built).
struct Canon<'o>(&'o mut Vec<u8>);

impl<'de> DeserializeSeed<'de> for Canon<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Canon<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        put(self.0, &v);
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        put(self.0, &v);
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        put(self.0, &v);
        Ok(())
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<(), E> {
        write_borrowed(self.0, v);
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        put(self.0, v);
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.extend_from_slice(b"null");
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push(b'[');
        let mut first = true;
        loop {
            let mark = self.0.len();
            if !first {
                self.0.push(b',');
            }
            if seq.next_element_seed(Canon(self.0))?.is_none() {
                self.0.truncate(mark);
                break;
            }
            first = false;
        }
        self.0.push(b']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut text = Vec::new();
        let entries = read_entries(&mut map, &mut text)?;
        write_entries(self.0, &text, &entries, |_| true);
        Ok(())
    }
}

/// A JSON object read straight into its canonical parts: its top-level keys, each with the
/// canonical text of its value. Writing all of them gives exactly the text [`canonical_hash`]
/// hashes for the parsed `Value`; writing some gives the canonical text of that part (the
/// station splits a flat record into its envelope and its register's fields this way).
pub(crate) struct CanonicalObject<'de> {
    entries: Entries<'de>,
    text: Vec<u8>,
}

impl<'de> CanonicalObject<'de> {
    /// Parses one JSON object (refusing anything else, and trailing characters). `text` is a
    /// buffer to reuse (see [`CanonicalObject::into_buffer`]): one allocation fewer per record.
    pub(crate) fn parse(json: &'de str, mut text: Vec<u8>) -> serde_json::Result<CanonicalObject<'de>> {
        struct Top<'t>(&'t mut Vec<u8>);
        impl<'de> Visitor<'de> for Top<'_> {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                read_entries(&mut map, self.0)
            }
        }
        text.clear();
        // From text, not bytes: serde_json then does not check each string's UTF-8 again.
        let mut de = serde_json::Deserializer::from_str(json);
        let entries = de.deserialize_map(Top(&mut text))?;
        de.end()?;
        Ok(CanonicalObject { entries, text })
    }

    /// The buffer back, for the next [`CanonicalObject::parse`].
    pub(crate) fn into_buffer(self) -> Vec<u8> {
        self.text
    }

    /// Appends the canonical text of the entries whose key `keep` says.
    pub(crate) fn write(&self, out: &mut Vec<u8>, keep: impl Fn(&str) -> bool) {
        write_entries(out, &self.text, &self.entries, keep);
    }

    /// BLAKE3 of the whole object's canonical text, hex (= [`canonical_hash`] of its `Value`);
    /// `scratch` is reused between records.
    pub(crate) fn hash(&self, scratch: &mut Vec<u8>) -> String {
        scratch.clear();
        self.write(scratch, |_| true);
        blake3::hash(scratch).to_hex().to_string()
    }
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

    /// The canonical text from a `Value` (the reference) and straight from the JSON text.
    fn both(text: &str) -> (String, String) {
        let v: Value = serde_json::from_str(text).expect("json");
        let mut a = Vec::new();
        write_canonical(&v, &mut a);
        let mut b = Vec::new();
        CanonicalObject::parse(text, Vec::new()).expect("object").write(&mut b, |_| true);
        (String::from_utf8(a).expect("utf8"), String::from_utf8(b).expect("utf8"))
    }

    #[test]
    fn straight_from_text_is_the_same_text_as_from_a_value() {
        for text in [
            r#"{}"#,
            r#"{"b":1,"a":{"y":[1,"二",[],{}],"x":null}}"#,
            r#" { "z" : -12 , "a\u0062c" : "tab\there \"quoted\" \\ \u4e8c \u0001 \ud83d\ude00" } "#,
            r#"{"f":1.5,"g":1e2,"h":-0,"i":-0.0,"j":18446744073709551615,"k":-9223372036854775808,"l":0.1e-7}"#,
            r#"{"t":true,"u":false,"n":null,"s":"","e":[null,true,{"b":[{"d":1,"c":2}],"a":"x"}]}"#,
            r#"{"dup":1,"a":2,"dup":{"y":1,"x":2},"dup":[3]}"#,
            r#"{"é":1,"e":2,"Z":3,"中":4,"\u00e9a":5}"#,
        ] {
            let (a, b) = both(text);
            assert_eq!(a, b, "{text}");
        }
        let obj = CanonicalObject::parse(r#"{"b":1,"a":2}"#, Vec::new()).expect("object");
        let v: Value = serde_json::from_str(r#"{"a":2,"b":1}"#).expect("json");
        assert_eq!(obj.hash(&mut Vec::new()), canonical_hash(&v));
        let mut part = Vec::new();
        obj.write(&mut part, |k| k != "a");
        assert_eq!(part, br#"{"b":1}"#);
    }

    #[test]
    fn only_one_object_is_read() {
        for text in ["[1]", "1", "\"a\"", r#"{"a":1} {"#, r#"{"a":1"#, r#"{"a":01}"#, ""] {
            assert!(CanonicalObject::parse(text, Vec::new()).is_err(), "{text}");
        }
    }

    fn arb_json() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            "\\PC{0,8}".prop_map(Value::from),
            "[\\x00-\\x1f\"\\\\a-c]{0,4}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                proptest::collection::vec(("[a-d\\x00\"é中]{0,3}", inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_object_gives_the_same_text(entries in proptest::collection::vec(("[a-z_]{1,6}", arb_json()), 0..8)) {
            let v = Value::Object(entries.into_iter().collect());
            let (a, b) = both(&v.to_string());
            proptest::prop_assert_eq!(a, b);
        }
    }
}
