//! Reading a JSON object field by field. Every reader records what it found wrong (with the
//! field's JSON path and a Chinese message) and keeps going, so one submission reports all of its
//! problems at once instead of the first one only. Keys that no reader asked for are reported as
//! unknown at [`Fields::finish`]: a misspelt field is an error, not silently dropped data.

use std::cell::RefCell;
use std::collections::BTreeSet;

use chrono::{NaiveDate, NaiveTime};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::domain::codes::CodeEnum;
use crate::error::{ErrorCode, FieldError};
use crate::validate::id_number::{IdNumberError, IdNumberInfo, parse_id_number};
use crate::validate::phone::normalize_phone;

/// Longest free text accepted in one field (a long mediation account fits comfortably).
pub const MAX_TEXT: usize = 4000;
/// Longest short text (names, places, house numbers).
pub const MAX_SHORT: usize = 100;

/// Problems found so far: errors refuse the write, warnings are reported with a successful one.
#[derive(Debug, Default, Clone)]
pub struct Issues {
    pub errors: Vec<FieldError>,
    pub warnings: Vec<FieldError>,
}

impl Issues {
    pub fn error(&mut self, code: ErrorCode, field: impl Into<String>, message: impl Into<String>) {
        self.errors.push(FieldError::new(code, field, message));
    }
    pub fn warn(&mut self, code: ErrorCode, field: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(FieldError::new(code, field, message));
    }
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }
    /// Whether a field already has an error of its own (so a rule about it says nothing more).
    pub fn has_error_at(&self, path: &str) -> bool {
        self.errors.iter().any(|e| e.field == path)
    }
    /// Reports a value that a rule needs but the input left empty, unless the field has an error already.
    pub fn require(&mut self, present: bool, path: String, message: String) {
        if !present && !self.has_error_at(&path) {
            self.error(ErrorCode::Required, path, message);
        }
    }
}

/// Chinese labels of a register's fields, used in messages.
pub type Labels = &'static [(&'static str, &'static str)];

/// One JSON object being read. `path` is its location for nested objects (`parties[1]`).
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    path: String,
    labels: Labels,
    read: RefCell<BTreeSet<String>>,
}

/// Required or optional, spelt out at each call so the rules read like the data dictionary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
}
pub use Need::{Optional, Required};

impl<'a> Fields<'a> {
    /// Starts reading `value`, which must be a JSON object.
    pub fn new(value: &'a Value, path: &str, labels: Labels, issues: &mut Issues) -> Option<Self> {
        match value.as_object() {
            Some(obj) => Some(Fields { obj, path: path.to_string(), labels, read: RefCell::new(BTreeSet::new()) }),
            None => {
                issues.error(ErrorCode::InvalidType, path, "应为 JSON 对象（{…}）");
                None
            }
        }
    }

    /// JSON path of a key in this object.
    pub fn path(&self, key: &str) -> String {
        if self.path.is_empty() { key.to_string() } else { format!("{}.{key}", self.path) }
    }

    /// The Chinese label of a key (the key itself when it has none).
    pub fn label<'k>(&self, key: &'k str) -> &'k str {
        self.labels.iter().find(|(k, _)| *k == key).map(|(_, l)| *l).unwrap_or(key)
    }

    /// The raw value, treating `null` and absent alike; marks the key as read.
    fn raw(&self, key: &str) -> Option<&'a Value> {
        self.read.borrow_mut().insert(key.to_string());
        match self.obj.get(key) {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        !matches!(self.obj.get(key), None | Some(Value::Null))
    }

    fn missing(&self, key: &str, need: Need, issues: &mut Issues) {
        if need == Required {
            issues.error(ErrorCode::Required, self.path(key), format!("「{}」为必填项", self.label(key)));
        }
    }

    fn wrong_type(&self, key: &str, expected: &str, issues: &mut Issues) {
        issues.error(ErrorCode::InvalidType, self.path(key), format!("「{}」应为{expected}", self.label(key)));
    }

    /// Text, trimmed; an empty string counts as absent.
    pub fn text(&self, key: &str, need: Need, max_chars: usize, issues: &mut Issues) -> Option<String> {
        let value = match self.raw(key) {
            None => {
                self.missing(key, need, issues);
                return None;
            }
            Some(v) => v,
        };
        let Some(s) = value.as_str() else {
            self.wrong_type(key, "文字", issues);
            return None;
        };
        let s = s.trim();
        if s.is_empty() {
            self.missing(key, need, issues);
            return None;
        }
        if s.chars().count() > max_chars {
            issues.error(
                ErrorCode::TooLong,
                self.path(key),
                format!("「{}」过长（最多 {max_chars} 字）", self.label(key)),
            );
            return None;
        }
        Some(s.to_string())
    }

    /// An ISO date `YYYY-MM-DD`; with `not_after` set, later dates are refused as future dates.
    pub fn date(&self, key: &str, need: Need, not_after: Option<NaiveDate>, issues: &mut Issues) -> Option<NaiveDate> {
        let s = self.text(key, need, 20, issues)?;
        let date = parse_date(&s);
        let Some(date) = date else {
            issues.error(
                ErrorCode::InvalidDate,
                self.path(key),
                format!("「{}」不是有效日期（格式：2026-03-05）：{s}", self.label(key)),
            );
            return None;
        };
        if let Some(limit) = not_after
            && date > limit
        {
            issues.error(
                ErrorCode::FutureDate,
                self.path(key),
                format!("「{}」不能晚于今天（{}）", self.label(key), crate::format::date_zh(limit)),
            );
            return None;
        }
        Some(date)
    }

    /// A time of day `HH:MM`, returned normalised with two-digit hours.
    pub fn time(&self, key: &str, need: Need, issues: &mut Issues) -> Option<String> {
        let s = self.text(key, need, 10, issues)?;
        match NaiveTime::parse_from_str(&s, "%H:%M") {
            Ok(t) => Some(t.format("%H:%M").to_string()),
            Err(_) => {
                issues.error(
                    ErrorCode::InvalidTime,
                    self.path(key),
                    format!("「{}」不是有效时间（格式：08:30）：{s}", self.label(key)),
                );
                None
            }
        }
    }

    /// A whole number within `min..=max`.
    pub fn int(&self, key: &str, need: Need, min: i64, max: i64, issues: &mut Issues) -> Option<i64> {
        let Some(value) = self.raw(key) else {
            self.missing(key, need, issues);
            return None;
        };
        let Some(n) = value.as_i64() else {
            self.wrong_type(key, "整数", issues);
            return None;
        };
        if n < min || n > max {
            issues.error(
                ErrorCode::OutOfRange,
                self.path(key),
                format!("「{}」应在 {min} 到 {max} 之间", self.label(key)),
            );
            return None;
        }
        Some(n)
    }

    /// `true`/`false`; absent means `false` (every flag in the dictionary is optional).
    pub fn flag(&self, key: &str, issues: &mut Issues) -> bool {
        match self.raw(key) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.wrong_type(key, "是/否（true 或 false）", issues);
                false
            }
        }
    }

    /// One code of an enumeration, e.g. `"neighbor"`.
    pub fn code<C: CodeEnum>(&self, key: &str, need: Need, issues: &mut Issues) -> Option<C> {
        let s = self.text(key, need, 40, issues)?;
        self.lookup::<C>(&s, &self.path(key), issues)
    }

    fn lookup<C: CodeEnum>(&self, s: &str, path: &str, issues: &mut Issues) -> Option<C> {
        let found = C::from_code(s);
        if found.is_none() {
            let choices: Vec<String> = C::ALL.iter().map(|c| format!("{} {}", c.code(), c.label_zh())).collect();
            issues.error(
                ErrorCode::UnknownCode,
                path,
                format!("未知的{}「{s}」，可选：{}", C::NAME_ZH, choices.join("、")),
            );
        }
        found
    }

    /// A list of codes without repeats; `min` is how many are required.
    pub fn codes<C: CodeEnum + PartialEq>(&self, key: &str, min: usize, issues: &mut Issues) -> Vec<C> {
        let items = self.array(key, issues);
        let mut out: Vec<C> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let path = format!("{}[{i}]", self.path(key));
            let Some(s) = item.as_str() else {
                issues.error(ErrorCode::InvalidType, path, format!("「{}」的每一项应为代码文字", self.label(key)));
                continue;
            };
            if let Some(c) = self.lookup::<C>(s.trim(), &path, issues) {
                if out.contains(&c) {
                    issues.error(ErrorCode::DuplicateValue, path, format!("「{}」重复：{s}", self.label(key)));
                } else {
                    out.push(c);
                }
            }
        }
        if out.len() < min && issues.errors.iter().all(|e| !e.field.starts_with(&self.path(key))) {
            issues.error(ErrorCode::Required, self.path(key), format!("「{}」至少选择 {min} 项", self.label(key)));
        }
        out
    }

    /// A list of short texts (names of patrol members, …); blanks are dropped.
    pub fn texts(&self, key: &str, issues: &mut Issues) -> Vec<String> {
        let mut out = Vec::new();
        for (i, item) in self.array(key, issues).iter().enumerate() {
            match item.as_str() {
                Some(s) if s.trim().is_empty() => {}
                Some(s) if s.trim().chars().count() > MAX_SHORT => issues.error(
                    ErrorCode::TooLong,
                    format!("{}[{i}]", self.path(key)),
                    format!("「{}」的第 {} 项过长", self.label(key), i + 1),
                ),
                Some(s) => out.push(s.trim().to_string()),
                None => issues.error(
                    ErrorCode::InvalidType,
                    format!("{}[{i}]", self.path(key)),
                    format!("「{}」的每一项应为文字", self.label(key)),
                ),
            }
        }
        out
    }

    fn array(&self, key: &str, issues: &mut Issues) -> &'a [Value] {
        match self.raw(key) {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.wrong_type(key, "列表（[…]）", issues);
                &[]
            }
        }
    }

    /// A list of nested objects; each element is read with the same labels under `key[i]`.
    pub fn objects(&self, key: &str, issues: &mut Issues) -> Vec<Fields<'a>> {
        let items = self.array(key, issues);
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Fields::new(v, &format!("{}[{i}]", self.path(key)), self.labels, issues))
            .collect()
    }

    /// A record id (UUID).
    pub fn uuid(&self, key: &str, need: Need, issues: &mut Issues) -> Option<Uuid> {
        let s = self.text(key, need, 40, issues)?;
        match Uuid::parse_str(&s) {
            Ok(id) => Some(id),
            Err(_) => {
                issues.error(
                    ErrorCode::InvalidType,
                    self.path(key),
                    format!("「{}」应为记录编号（UUID）：{s}", self.label(key)),
                );
                None
            }
        }
    }

    /// A mobile or landline number, returned normalised.
    pub fn phone(&self, key: &str, need: Need, issues: &mut Issues) -> Option<String> {
        let s = self.text(key, need, 30, issues)?;
        match normalize_phone(&s) {
            Ok((normalized, _)) => Some(normalized),
            Err(_) => {
                issues.error(
                    ErrorCode::InvalidPhone,
                    self.path(key),
                    format!(
                        "「{}」不是有效的手机号（11 位，1 开头）或座机号（如 0571-87654321）：{s}",
                        self.label(key)
                    ),
                );
                None
            }
        }
    }

    /// A 公民身份号码, checked in the dictionary's order; an unknown province is a warning.
    pub fn id_number(&self, key: &str, today: NaiveDate, issues: &mut Issues) -> Option<IdNumberInfo> {
        let s = self.text(key, Optional, 30, issues)?;
        let path = self.path(key);
        match parse_id_number(&s, today) {
            Ok(info) => {
                if info.province.is_none() {
                    issues.warn(
                        ErrorCode::IdNumberUnknownRegion,
                        path,
                        format!("身份号码的地区码 {} 不在省级行政区划代码表中，请核对", info.region_code),
                    );
                }
                Some(info)
            }
            Err(e) => {
                let (code, message) = match e {
                    IdNumberError::Length => (ErrorCode::IdNumberLength, "身份号码应为 18 位（或旧式 15 位）"),
                    IdNumberError::Charset => (ErrorCode::IdNumberCharset, "身份号码只能包含数字，第 18 位可以是 X"),
                    IdNumberError::BirthDate => (ErrorCode::IdNumberBirthDate, "身份号码中的出生日期不是有效日期"),
                    IdNumberError::BirthOutOfRange => {
                        (ErrorCode::IdNumberBirthOutOfRange, "身份号码中的出生日期早于 1900 年或晚于今天")
                    }
                    IdNumberError::Checksum => (ErrorCode::IdNumberChecksum, "身份号码校验位不对，请逐位核对"),
                };
                issues.error(code, path, format!("{message}：{s}"));
                None
            }
        }
    }

    /// Reports every key that was never read as unknown.
    pub fn finish(self, issues: &mut Issues) {
        let read = self.read.borrow();
        for key in self.obj.keys() {
            if !read.contains(key) {
                issues.error(ErrorCode::UnknownField, self.path(key), format!("没有名为「{key}」的字段"));
            }
        }
    }
}

/// Parses `YYYY-MM-DD` (one-digit month and day accepted, as people type them).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return None;
    }
    if !(y.bytes().chain(m.bytes()).chain(d.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LABELS: Labels = &[("date", "日期"), ("n", "人数")];

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
    }

    #[test]
    fn collects_every_problem_and_unknown_keys() {
        let v = json!({"date": "2026-13-01", "n": -1, "typo": 1});
        let mut issues = Issues::default();
        let f = Fields::new(&v, "", LABELS, &mut issues).expect("object");
        assert_eq!(f.date("date", Required, Some(today()), &mut issues), None);
        assert_eq!(f.int("n", Required, 0, 10, &mut issues), None);
        f.finish(&mut issues);
        let codes: Vec<_> = issues.errors.iter().map(|e| (e.code, e.field.as_str())).collect();
        assert_eq!(
            codes,
            vec![(ErrorCode::InvalidDate, "date"), (ErrorCode::OutOfRange, "n"), (ErrorCode::UnknownField, "typo")]
        );
        assert!(issues.errors[0].message.contains("日期"));
    }

    #[test]
    fn future_dates_and_blank_required_text() {
        let v = json!({"date": "2026-11-29", "n": "  "});
        let mut issues = Issues::default();
        let f = Fields::new(&v, "x[0]", LABELS, &mut issues).expect("object");
        f.date("date", Required, Some(today()), &mut issues);
        f.text("n", Required, 10, &mut issues);
        assert_eq!(issues.errors[0].code, ErrorCode::FutureDate);
        assert_eq!(issues.errors[1].code, ErrorCode::Required);
        assert_eq!(issues.errors[1].field, "x[0].n");
    }

    #[test]
    fn parse_date_accepts_unpadded_and_refuses_impossible() {
        assert_eq!(parse_date("2026-3-5"), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(parse_date("2025-02-29"), None);
        assert_eq!(parse_date("2026/03/05"), None);
        assert_eq!(parse_date("26-03-05"), None);
        assert_eq!(parse_date("2026-03-05-1"), None);
    }
}
