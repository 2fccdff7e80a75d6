//! The shape of a register's input, as its own parser reads it. Nothing here is declared per
//! register: the fields and labels come from the register's `LABELS`, the code fields from its
//! `CODE_FIELDS`, and the kind of each field (text, whole number, yes/no, date, time, code,
//! list, list of objects) from what the register's rules say about probe values (a number, a
//! flag, a word, a one-item list) — so a register added later is read and written without any
//! change here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use cunjing_core::domain::code_lists::code_lists;
use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::domain::register::CodeLookup;
use cunjing_core::store::bulk::{RegisterInfo, check_new, register_info};
use cunjing_core::{ErrorCode, FieldError, RegisterKind};
use serde_json::{Map, Value, json};

/// What a field holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Text,
    Int,
    Bool,
    Date,
    Time,
    /// One code of an enumeration (`neighbor`), shown by its Chinese label.
    Code,
    /// Several codes, one cell, labels separated by 、.
    Codes,
    /// Several short texts, one cell, separated by 、.
    Texts,
    /// A list of objects (a dispute's parties), one column per numbered item and sub-field.
    Objects(Vec<Field>),
}

/// One field of a register (or of its nested objects).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub shape: Shape,
    /// For code fields: every (code, Chinese label) the field accepts.
    pub codes: Vec<(String, String)>,
}

impl Field {
    /// The code of a Chinese label (or of the code itself), as people write it in a sheet.
    pub fn code_of(&self, text: &str) -> Option<String> {
        let t = crate::headers::normalize(text);
        let exact = |f: &dyn Fn(&(String, String)) -> bool| self.codes.iter().filter(|c| f(c)).collect::<Vec<_>>();
        for matches in [
            exact(&|(code, label)| crate::headers::normalize(label) == t || code.eq_ignore_ascii_case(&t)),
            // 红色 for 红色（立即上报）, 田间 for 田间/现场
            exact(&|(_, label)| crate::headers::label_parts(label).contains(&t)),
        ] {
            if matches.len() == 1 {
                return Some(matches[0].0.clone());
            }
        }
        None
    }

    /// The Chinese label of a code (the code itself when unknown).
    pub fn label_of(&self, code: &str) -> String {
        self.codes.iter().find(|(c, _)| c == code).map(|(_, l)| l.clone()).unwrap_or_else(|| code.to_string())
    }
}

/// A register's fields in the order it declares them.
#[derive(Debug, Clone)]
pub struct Schema {
    pub kind: RegisterKind,
    pub fields: Vec<Field>,
    /// Fields the store assigns (exported, never imported).
    pub read_only: Vec<String>,
}

impl Schema {
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The field a JSON path names: `date`, or `parties[0].name` (the nested field).
    pub fn field_at(&self, path: &str) -> Option<&Field> {
        let (top, rest) = split_path(path);
        let field = self.field(top)?;
        match (rest, &field.shape) {
            (None, _) => Some(field),
            (Some((_, sub)), Shape::Objects(subs)) => subs.iter().find(|s| s.key == sub),
            _ => None,
        }
    }

    /// The Chinese name of a path, as a column heading: 日期, 当事人1姓名.
    pub fn heading(&self, path: &str) -> String {
        let (top, rest) = split_path(path);
        let Some(field) = self.field(top) else { return path.to_string() };
        match rest {
            None => field.label.clone(),
            Some((index, sub)) => {
                let sub_label = self.field_at(path).map(|f| f.label.clone()).unwrap_or_else(|| sub.to_string());
                // 当事人1身份, not 当事人1当事人身份 (the sub-field's label repeats the list's name).
                let short = sub_label.strip_prefix(field.label.as_str()).filter(|rest| rest.chars().count() >= 2);
                format!("{}{}{}", field.label, index + 1, short.unwrap_or(&sub_label))
            }
        }
    }
}

/// `parties[1].name` → (`parties`, Some((1, `name`))); `date` → (`date`, None).
pub fn split_path(path: &str) -> (&str, Option<(usize, &str)>) {
    if let Some((top, rest)) = path.split_once('[')
        && let Some((index, sub)) = rest.split_once("].")
        && let Ok(index) = index.parse::<usize>()
    {
        return (top, Some((index, sub)));
    }
    (path, None)
}

const PROBE_WORD: &str = "\u{2060}probe";

/// The schema of register `kind`.
pub fn schema(kind: RegisterKind) -> Schema {
    let info = register_info(kind);
    let all_codes = every_code();
    let keys = unique_keys(&info);
    let today = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap_or_default();
    let top = probe(kind, &keys, today, |v| v, "");
    let mut fields = Vec::new();
    let mut nested_keys = Vec::new();
    for (key, shape) in top {
        let shape = match shape {
            Probed::Objects => {
                let subs = probe(kind, &keys, today, |v| json!({ key.as_str(): [v] }), &format!("{key}[0]."));
                nested_keys.extend(subs.iter().map(|(k, _)| k.clone()));
                Shape::Objects(subs.into_iter().map(|(k, s)| make_field(&info, &all_codes, &k, s.into())).collect())
            }
            other => other.into(),
        };
        fields.push(make_field(&info, &all_codes, &key, shape));
    }
    // A declared field the probes did not reach (read only under some condition) is still a
    // column of its own, as text: the register's rules judge what is written in it.
    for key in &keys {
        if !fields.iter().any(|f| &f.key == key) && !nested_keys.contains(key) {
            let shape = if info.code_fields.iter().any(|(k, _)| k == key) { Shape::Code } else { Shape::Text };
            fields.push(make_field(&info, &all_codes, key, shape));
        }
    }
    Schema { kind, fields, read_only: info.read_only.iter().map(|s| s.to_string()).collect() }
}

fn unique_keys(info: &RegisterInfo) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for (k, _) in info.labels {
        if !keys.iter().any(|x| x == k) {
            keys.push(k.to_string());
        }
    }
    keys
}

/// Every choice list the UI offers, as (code, Chinese label) in the UI's order: the
/// candidates a code field's lookup is asked about.
fn every_code() -> Vec<Vec<(String, String)>> {
    let lists = serde_json::to_value(code_lists()).unwrap_or(Value::Null);
    let pair = |c: &Value| Some((c.get("code")?.as_str()?.to_string(), c.get("zh")?.as_str()?.to_string()));
    lists
        .as_object()
        .map(|obj| obj.values().filter_map(Value::as_array).map(|l| l.iter().filter_map(pair).collect()).collect())
        .unwrap_or_default()
}

/// The choices of a code field: the whole list whose every code the field's lookup knows
/// (in the list's order), else every known code the lookup knows.
fn choices_of(lookup: CodeLookup, lists: &[Vec<(String, String)>]) -> Vec<(String, String)> {
    let whole = lists
        .iter()
        .filter(|l| !l.is_empty() && l.iter().all(|(c, zh)| lookup(c) == Some(zh.as_str())))
        .max_by_key(|l| l.len());
    if let Some(list) = whole {
        return list.clone();
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for (code, _) in lists.iter().flatten() {
        if let Some(label) = lookup(code)
            && !out.iter().any(|(c, _)| c == code)
        {
            out.push((code.clone(), label.to_string()));
        }
    }
    out
}

fn make_field(info: &RegisterInfo, all_codes: &[Vec<(String, String)>], key: &str, shape: Shape) -> Field {
    let label = info.labels.iter().find(|(k, _)| *k == key).map(|(_, l)| l.to_string()).unwrap_or(key.to_string());
    let codes = match info.code_fields.iter().find(|(k, _)| *k == key) {
        Some((_, lookup)) => choices_of(*lookup, all_codes),
        None => Vec::new(),
    };
    let shape = match shape {
        Shape::Text if !codes.is_empty() => Shape::Code,
        Shape::Texts if !codes.is_empty() => Shape::Codes,
        other => other,
    };
    Field { key: key.to_string(), label, shape, codes }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Probed {
    Text,
    Int,
    Bool,
    Date,
    Time,
    Texts,
    Objects,
}

impl From<Probed> for Shape {
    fn from(p: Probed) -> Shape {
        match p {
            Probed::Text => Shape::Text,
            Probed::Int => Shape::Int,
            Probed::Bool => Shape::Bool,
            Probed::Date => Shape::Date,
            Probed::Time => Shape::Time,
            Probed::Texts => Shape::Texts,
            Probed::Objects => Shape::Objects(Vec::new()),
        }
    }
}

/// Asks the register's rules about every key at once with one probe value per run; `wrap`
/// places the probe object (at the top, or as the first item of a list), `prefix` is the
/// path the keys then have.
fn probe(
    kind: RegisterKind,
    keys: &[String],
    today: NaiveDate,
    wrap: impl Fn(Value) -> Value,
    prefix: &str,
) -> Vec<(String, Probed)> {
    let run = |value: Value| -> Vec<FieldError> {
        let obj: Map<String, Value> = keys.iter().map(|k| (k.clone(), value.clone())).collect();
        check_new(kind, &wrap(Value::Object(obj)), today)
    };
    let has = |errors: &[FieldError], path: &str, codes: &[ErrorCode]| {
        errors.iter().any(|e| e.field == path && codes.contains(&e.code))
    };
    let (word, number, flag, list, objects) =
        (run(json!(PROBE_WORD)), run(json!(1)), run(json!(true)), run(json!([PROBE_WORD])), run(json!([{}])));
    let mut out = Vec::new();
    for key in keys {
        let path = format!("{prefix}{key}");
        if has(&word, &path, &[ErrorCode::UnknownField]) {
            continue;
        }
        let shape = if !has(&list, &path, &[ErrorCode::InvalidType, ErrorCode::UnknownField]) {
            // A list of objects refuses a word as its item and takes an object; a list of words
            // (or of record ids) refuses the object.
            let item = format!("{path}[0]");
            let of_objects =
                has(&list, &item, &[ErrorCode::InvalidType]) && !has(&objects, &item, &[ErrorCode::InvalidType]);
            if of_objects { Probed::Objects } else { Probed::Texts }
        } else if !has(&number, &path, &[ErrorCode::InvalidType]) {
            Probed::Int
        } else if !has(&flag, &path, &[ErrorCode::InvalidType]) {
            Probed::Bool
        } else if has(&word, &path, &[ErrorCode::InvalidDate]) {
            Probed::Date
        } else if has(&word, &path, &[ErrorCode::InvalidTime]) {
            Probed::Time
        } else {
            Probed::Text
        };
        out.push((key.clone(), shape));
    }
    out
}

/// Every register's schema, keyed by its code (for tests and the mapping screen).
pub fn all() -> BTreeMap<&'static str, Schema> {
    RegisterKind::ALL.iter().map(|k| (k.code(), schema(*k))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registers_own_rules_give_their_shapes() {
        let visits = schema(RegisterKind::Visits);
        let shape = |s: &Schema, k: &str| s.field(k).map(|f| f.shape.clone());
        assert_eq!(shape(&visits, "date"), Some(Shape::Date));
        assert_eq!(shape(&visits, "method"), Some(Shape::Code));
        assert_eq!(shape(&visits, "purposes"), Some(Shape::Codes));
        assert_eq!(shape(&visits, "people_talked"), Some(Shape::Int));
        assert_eq!(shape(&visits, "officer"), Some(Shape::Text));
        assert_eq!(visits.field("method").and_then(|f| f.code_of("入户")).as_deref(), Some("in_home"));

        let patrols = schema(RegisterKind::Patrols);
        assert_eq!(shape(&patrols, "start_time"), Some(Shape::Time));
        assert_eq!(patrols.field("mode").and_then(|f| f.code_of("徒步")).as_deref(), Some("foot"));

        // A list of record ids is one cell of ids, not numbered objects.
        if patrols.field("team_member_ids").is_some() {
            assert_eq!(shape(&patrols, "team_member_ids"), Some(Shape::Texts));
        }

        let disputes = schema(RegisterKind::Disputes);
        assert_eq!(shape(&disputes, "escalation_flag"), Some(Shape::Bool));
        assert_eq!(disputes.field("dispute_type").and_then(|f| f.code_of("邻里")).as_deref(), Some("neighbor"));
        assert_eq!(disputes.field("risk_level").and_then(|f| f.code_of("红色")).as_deref(), Some("red"));
        let Some(Shape::Objects(parties)) = shape(&disputes, "parties") else { panic!("parties") };
        let keys: Vec<&str> = parties.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(keys, ["name", "role", "sex", "id_number", "phone", "address"]);
        assert_eq!(disputes.heading("parties[1].name"), "当事人2姓名");
        assert!(disputes.field("name").is_none(), "nested-only keys are not top-level columns");
    }

    #[test]
    fn every_register_has_a_schema() {
        for (code, s) in all() {
            assert!(!s.fields.is_empty(), "{code}");
        }
    }
}
