//! Records as people read them: Chinese labels, code values shown by their Chinese names, dates
//! as `2026年3月5日`, yes/no as 是/否. Used by the CLI's human output (and later the UI and print).

use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;
use crate::domain::register::{CodeLookup, Register};
use crate::format::date_zh;
use crate::store::dispatch::with_register;
use crate::validate::fields::parse_date;

/// Labels of the envelope fields every record has.
const META_LABELS: &[(&str, &str)] = &[
    ("id", "记录编号"),
    ("version", "版本"),
    ("created_at", "登记时间"),
    ("created_by", "登记人"),
    ("updated_at", "最后修改"),
    ("updated_by", "修改人"),
    ("voided", "已作废"),
    ("void_reason", "作废原因"),
];

/// One labelled line of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DisplayField {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// The Chinese label of a field of `kind` (envelope fields included).
pub fn field_label(kind: RegisterKind, key: &str) -> String {
    with_register!(kind, R => label_in(R::LABELS, key))
}

fn label_in(labels: &[(&str, &str)], key: &str) -> String {
    labels
        .iter()
        .chain(META_LABELS)
        .find(|(k, _)| *k == key)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| key.to_string())
}

/// A flat record object (as `Store::get` returns it) as labelled lines, in the register's field
/// order, empty fields left out, envelope last.
pub fn display_fields(kind: RegisterKind, record: &Value) -> Vec<DisplayField> {
    with_register!(kind, R => display_with::<R>(record))
}

fn display_with<R: Register>(record: &Value) -> Vec<DisplayField> {
    let mut out = Vec::new();
    let keys = R::LABELS.iter().map(|(k, _)| *k).filter(|k| record.get(*k).is_some());
    for key in keys.chain(META_LABELS.iter().map(|(k, _)| *k)) {
        let Some(value) = record.get(key) else { continue };
        let text = show_value::<R>(key, value);
        if text.is_empty() || (key == "voided" && value == &Value::Bool(false)) {
            continue;
        }
        out.push(DisplayField { key: key.to_string(), label: label_in(R::LABELS, key), value: text });
    }
    out
}

fn lookup<R: Register>(key: &str) -> Option<CodeLookup> {
    R::CODE_FIELDS.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
}

fn show_value<R: Register>(key: &str, value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        // Money is kept in 分 and read in 元.
        Value::Number(n) if key.ends_with("_fen") => {
            n.as_i64().map(|f| format!("{}.{:02} 元", f / 100, f % 100)).unwrap_or_else(|| n.to_string())
        }
        Value::Number(n) => n.to_string(),
        Value::String(s) => {
            if let Some(label) = lookup::<R>(key).and_then(|f| f(s)) {
                label.to_string()
            } else if let Some(d) = parse_date(s).filter(|_| s.len() == 10) {
                date_zh(d)
            } else if key.ends_with("_at") {
                // RFC 3339 timestamps: date and minutes are what people need.
                chrono::DateTime::parse_from_rfc3339(s)
                    .map(|t| format!("{} {}", date_zh(t.date_naive()), t.format("%H:%M")))
                    .unwrap_or_else(|_| s.clone())
            } else {
                s.clone()
            }
        }
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::Object(_) => format!("（{}）{}", i + 1, show_object::<R>(item)),
                    other => show_value::<R>(key, other),
                })
                .collect();
            let sep = if items.iter().any(Value::is_object) { "\n" } else { "、" };
            parts.join(sep)
        }
        Value::Object(_) => show_object::<R>(value),
    }
}

fn show_object<R: Register>(value: &Value) -> String {
    let Some(obj) = value.as_object() else { return String::new() };
    obj.iter()
        .map(|(k, v)| (k, show_value::<R>(k, v)))
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}：{v}", label_in(R::LABELS, k)))
        .collect::<Vec<_>>()
        .join("；")
}

/// The one-line description of a flat record object (the same text lists and search show).
pub fn record_title(kind: RegisterKind, record: &Value) -> String {
    with_register!(kind, R => serde_json::from_value::<R>(record.clone()).map(|r| r.title()).unwrap_or_default())
}

/// The Chinese name of a register (`visits` → 入户走访登记).
pub fn register_label(kind: RegisterKind) -> &'static str {
    kind.label_zh()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn codes_dates_and_nested_objects_are_shown_in_chinese() {
        let record = json!({
            "date": "2026-03-05", "method": "in_home", "purposes": ["info_check", "aid"],
            "officer": "李警官", "voided": false, "household_id": null,
        });
        let lines = display_fields(RegisterKind::Visits, &record);
        let find = |k: &str| lines.iter().find(|l| l.key == k).map(|l| l.value.clone());
        assert_eq!(find("date").as_deref(), Some("2026年3月5日"));
        assert_eq!(find("method").as_deref(), Some("入户"));
        assert_eq!(find("purposes").as_deref(), Some("信息采集核对、帮扶"));
        assert_eq!(find("voided"), None);
        assert_eq!(find("household_id"), None);
        assert_eq!(lines[0].label, "日期");

        let dispute = json!({"parties": [{"name": "张三", "role": "applicant"}]});
        let lines = display_fields(RegisterKind::Disputes, &dispute);
        assert_eq!(lines[0].value, "（1）姓名：张三；当事人身份：申请方");
    }
}
