//! Privacy on public prints (the wall display and the report). Every public document's data goes
//! through [`mask_public`], the only way to make the [`Public`] value the public renderers take:
//!
//! - no identity numbers at all (fields dropped, and any 15- or 18-digit number in any text
//!   replaced by 〔已隐去〕);
//! - people's names as surname + 某 (王某, 欧阳某);
//! - phone numbers as `138****1234` / `0571-****1234` (fields, and any phone-like number in text);
//! - addresses only down to the village and group (翠月湖村三组);
//! - no key persons, no dispute parties, no free text about residents (fields dropped).
//!
//! The office's own published details (the `office` object: the officer's name and phone, the
//! station's phone — the board exists to publish them) keep names and phones, but are still
//! scrubbed of identity numbers.

use cunjing_core::search::pinyin_keys::surname;
use cunjing_core::validate::phone::mask_phone;
use serde_json::{Map, Value};

/// Data cleared for a public print. Only [`mask_public`] makes one.
#[derive(Debug, Clone)]
pub struct Public(Value);

impl Public {
    pub fn value(&self) -> &Value {
        &self.0
    }
}

/// Fields never printed publicly: identity documents, parties, key persons, free text that may
/// name or describe residents, and record ids.
const DROPPED: &[&str] = &[
    "id_number",
    "foreign_doc_no",
    "foreign_doc_type",
    "former_name",
    "birth_date",
    "parties",
    "key_persons",
    "members",
    "companions",
    "mediators",
    "summary",
    "steps",
    "outcome_note",
    "concerns",
    "hazards",
    "response",
    "findings",
    "handling",
    "notes",
    "title",
    "house_no",
    "address_detail",
    "household_id",
    "id",
];
const NAMES: &[&str] = &["name", "head_name", "leader", "recorder"];
const ADDRESSES: &[&str] = &["address", "location"];
/// The object holding the office's own published contact details.
const OFFICE: &str = "office";

const HIDDEN: &str = "〔已隐去〕";

/// Applies the public-print rules to a document's data.
pub fn mask_public(data: Value) -> Public {
    Public(walk(data, false))
}

fn walk(value: Value, in_office: bool) -> Value {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                if DROPPED.contains(&key.as_str()) {
                    continue;
                }
                let office = in_office || key == OFFICE;
                let v = match v {
                    Value::String(s) if !office => Value::String(field(&key, &s)),
                    other => walk(other, office),
                };
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(|v| walk(v, in_office)).collect()),
        Value::String(s) if in_office => Value::String(scrub_text(&s, false)),
        Value::String(s) => Value::String(scrub_text(&s, true)),
        other => other,
    }
}

fn field(key: &str, text: &str) -> String {
    if NAMES.contains(&key) {
        mask_name(text)
    } else if key == "phone" || key.ends_with("_phone") {
        if text.is_empty() { String::new() } else { mask_phone(text) }
    } else if ADDRESSES.contains(&key) {
        mask_address(text)
    } else {
        scrub_text(text, true)
    }
}

/// 王芳 → 王某, 欧阳娜娜 → 欧阳某; empty stays empty.
pub fn mask_name(name: &str) -> String {
    let s = surname(name);
    if s.is_empty() { String::new() } else { format!("{s}某") }
}

/// Keeps an address down to the group (组) or, without one, the village (村 / 社区);
/// anything else is hidden whole.
pub fn mask_address(address: &str) -> String {
    let address = address.trim();
    if address.is_empty() {
        return String::new();
    }
    for mark in ["组", "村", "社区"] {
        if let Some(i) = address.find(mark) {
            return address[..i + mark.len()].to_string();
        }
    }
    HIDDEN.to_string()
}

/// Hides identity numbers in free text, and (when `phones`) masks phone numbers in it.
pub fn scrub_text(text: &str, phones: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        // Separators after the number belong to the text around it.
        let number = run.trim_end_matches([' ', '-']);
        let digits = number.chars().filter(char::is_ascii_digit).count();
        // 15- and 18-character ID numbers (and anything as long: no public text needs one).
        if digits >= 14 {
            out.push_str(HIDDEN);
        } else if phones && digits >= 7 {
            out.push_str(&mask_phone(number));
        } else {
            out.push_str(number);
        }
        out.push_str(&run[number.len()..]);
        run.clear();
    };
    for c in text.chars() {
        let continues = c.is_ascii_digit()
            || (!run.is_empty() && (c == '-' || c == ' ' || ((c == 'X' || c == 'x') && run.len() >= 14)));
        if continues {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_phones_addresses() {
        assert_eq!(mask_name("王芳"), "王某");
        assert_eq!(mask_name("欧阳娜娜"), "欧阳某");
        assert_eq!(mask_name(""), "");
        assert_eq!(mask_address("翠月湖村三组12号"), "翠月湖村三组");
        assert_eq!(mask_address("翠月湖村村委会广场"), "翠月湖村");
        assert_eq!(mask_address("镇农贸市场东门"), HIDDEN);
    }

    #[test]
    fn numbers_in_text() {
        assert_eq!(scrub_text("身份证 11010519491231002X 已核", true), format!("身份证 {HIDDEN} 已核"));
        assert_eq!(scrub_text("电话13812345678", true), "电话138****5678");
        assert_eq!(scrub_text("座机 0571-88881234。", true), "座机 0571-****1234。");
        assert_eq!(scrub_text("共 30 户，2026 年", true), "共 30 户，2026 年");
        // Inside the office block phones stay (they are published), ID numbers never do.
        assert_eq!(scrub_text("13812345678", false), "13812345678");
        assert_eq!(scrub_text("110105194912310029", false), HIDDEN);
    }

    #[test]
    fn documents_lose_ids_parties_and_full_names() {
        let data = json!({
            "office": {"officer": "李建国", "officer_phone": "13900001111", "note": "11010519491231002X"},
            "disputes": [{
                "location": "翠月湖村三组12号", "parties": [{"name": "张三"}], "summary": "张三与李四",
                "dispute_type": "邻里",
            }],
            "people": [{"name": "王芳", "phone": "13812345678", "id_number": "11010519491231002X",
                        "address": "翠月湖村三组12号"}],
        });
        let text = mask_public(data).value().to_string();
        assert!(text.contains("李建国") && text.contains("13900001111"), "office details kept: {text}");
        for leak in ["张三", "李四", "王芳", "13812345678", "11010519491231002X", "12号"] {
            assert!(!text.contains(leak), "{leak} leaked: {text}");
        }
        assert!(text.contains("王某") && text.contains("138****5678") && text.contains("翠月湖村三组"));
    }
}
