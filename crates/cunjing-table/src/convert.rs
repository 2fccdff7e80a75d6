//! One cell → the JSON value the register's rules read: dates as people type them
//! (`2026-3-5`, `2026/03/05`, `2026年3月5日`, Excel date serials and date cells), times
//! (`8:30`, `8点30分`), whole numbers, 是/否, Chinese labels → codes. What cannot be read is
//! reported with the register's own error codes (an unknown label with the labels to choose
//! from, never the codes); anything else is passed on for the register's rules to judge.

use chrono::{Duration, NaiveDate, NaiveTime};
use cunjing_core::{ErrorCode, FieldError};
use serde_json::{Value, json};

use crate::headers::normalize;
use crate::schema::{Field, Shape};
use crate::sheet::{Cell, number_text};

/// Separators between the items of a list in one cell (not `/`, which labels contain).
const LIST_SEPARATORS: &[char] = &['、', ',', '，', ';', '；', '\n'];

/// The value for `field` from `cell` (`None` for an empty cell); `path` is the field's JSON path.
pub fn value(field: &Field, cell: &Cell, path: &str) -> Result<Option<Value>, FieldError> {
    if cell.is_empty() {
        return Ok(None);
    }
    let bad = |code: ErrorCode, what: &str| {
        FieldError::new(code, path, format!("「{}」{what}：{}", field.label, cell.text()))
    };
    let v = match &field.shape {
        Shape::Text => json!(cell.text()),
        Shape::Int => match cell {
            Cell::Number(n) if n.fract() == 0.0 => json!(*n as i64),
            Cell::Text(s) => match normalize(s).trim_end_matches(['人', '次', '户', '个', '名']).parse::<f64>() {
                Ok(n) if n.fract() == 0.0 => json!(n as i64),
                _ => return Err(bad(ErrorCode::InvalidType, "应为整数")),
            },
            _ => return Err(bad(ErrorCode::InvalidType, "应为整数")),
        },
        Shape::Bool => match cell {
            Cell::Bool(b) => json!(*b),
            Cell::Number(n) if *n == 0.0 || *n == 1.0 => json!(*n == 1.0),
            other => match flag(&other.text()) {
                Some(b) => json!(b),
                None => return Err(bad(ErrorCode::InvalidType, "应为 是 或 否")),
            },
        },
        Shape::Date => match date(cell) {
            Some(d) => json!(d.to_string()),
            None => {
                return Err(bad(ErrorCode::InvalidDate, "不是能识别的日期（可写 2026-3-5、2026/03/05、2026年3月5日）"));
            }
        },
        Shape::Time => match time(cell) {
            Some(t) => json!(t.format("%H:%M").to_string()),
            None => return Err(bad(ErrorCode::InvalidTime, "不是能识别的时间（可写 08:30、8:30、8点30分）")),
        },
        Shape::Code => json!(code(field, &cell.text(), path)?),
        Shape::Codes => {
            let text = cell.text();
            match field.code_of(&text) {
                Some(code) => json!([code]),
                None => json!(items(&text).map(|t| code(field, t, path)).collect::<Result<Vec<_>, _>>()?),
            }
        }
        Shape::Texts => json!(items(&cell.text()).collect::<Vec<_>>()),
        // Lists of objects are filled column by column (`parties[0].name`), never from one cell.
        Shape::Objects(_) => return Err(bad(ErrorCode::InvalidType, "请分列填写（如 当事人1姓名、当事人1身份）")),
    };
    Ok(Some(v))
}

/// The code of a label as written; an unknown label is named with the choices people know
/// (labels, not codes — a sheet's user never sees the codes).
fn code(field: &Field, text: &str, path: &str) -> Result<String, FieldError> {
    if field.codes.is_empty() {
        return Ok(text.to_string());
    }
    field.code_of(text).ok_or_else(|| {
        let choices: Vec<&str> = field.codes.iter().map(|(_, label)| label.as_str()).collect();
        FieldError::new(
            ErrorCode::UnknownCode,
            path,
            format!("「{}」没有「{text}」这一项，可选：{}", field.label, choices.join("、")),
        )
    })
}

fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split(LIST_SEPARATORS).map(str::trim).filter(|s| !s.is_empty())
}

fn flag(text: &str) -> Option<bool> {
    match normalize(text).as_str() {
        "是" | "有" | "√" | "✓" | "✔" | "y" | "yes" | "true" | "1" | "对" => Some(true),
        "否" | "无" | "没有" | "×" | "✗" | "n" | "no" | "false" | "0" | "不是" => Some(false),
        _ => None,
    }
}

/// Excel's day 0 (the 1900 date system, with its 1900-02-29 that never was folded in).
fn excel_serial(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(n.floor() as i64))
}

/// A date from a date cell, an Excel serial or text as people type it.
pub fn date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Date(d) | Cell::DateTime(d, _) => Some(*d),
        // 20260305 typed as a number is a date too; otherwise a number is an Excel serial.
        Cell::Number(n) => date_text(&number_text(*n)).or_else(|| excel_serial(*n)),
        Cell::Text(s) => date_text(s),
        _ => None,
    }
}

/// `2026-3-5`, `2026/03/05`, `2026.3.5`, `2026年3月5日`, `20260305`, with or without a time after it.
pub fn date_text(text: &str) -> Option<NaiveDate> {
    let s = normalize(text);
    let s = s.split(['t', ' ']).next().unwrap_or("");
    let s = s.split_once("00:00").map(|(d, _)| d).unwrap_or(s);
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::from_ymd_opt(s[..4].parse().ok()?, s[4..6].parse().ok()?, s[6..].parse().ok()?);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    if y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A time from a time cell, a day fraction or text (`8:30`, `08:30:00`, `8点30分`, `8时`, `8点半`).
pub fn time(cell: &Cell) -> Option<NaiveTime> {
    match cell {
        Cell::Time(t) | Cell::DateTime(_, t) => Some(*t),
        Cell::Number(n) if (0.0..1.0).contains(n) => {
            let minutes = (n * 24.0 * 60.0).round() as u32;
            NaiveTime::from_hms_opt(minutes / 60 % 24, minutes % 60, 0)
        }
        Cell::Text(s) => {
            let s = normalize(s).replace("点半", ":30").replace("时半", ":30");
            let s = s.replace(['点', '时'], ":").replace('分', "");
            let mut parts = s.split(':').filter(|p| !p.is_empty());
            let h: u32 = parts.next()?.parse().ok()?;
            let m: u32 = parts.next().map(str::parse).unwrap_or(Ok(0)).ok()?;
            NaiveTime::from_hms_opt(h, m, 0)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::schema;
    use cunjing_core::RegisterKind;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_as_people_type_them() {
        for s in [
            "2026-3-5",
            "2026/03/05",
            "2026年3月5日",
            "2026.3.5",
            "20260305",
            "2026-03-05 00:00:00",
            "２０２６年３月５日",
        ] {
            assert_eq!(date(&Cell::Text(s.into())), d(2026, 3, 5), "{s}");
        }
        assert_eq!(date(&Cell::Number(46086.0)), d(2026, 3, 5));
        assert_eq!(date(&Cell::Number(20260305.0)), d(2026, 3, 5));
        assert_eq!(date(&Cell::Text("2026-2-30".into())), None);
        assert_eq!(date(&Cell::Text("3月5日".into())), None);
    }

    #[test]
    fn times_and_labels() {
        let t = |s: &str| time(&Cell::Text(s.into())).map(|t| t.format("%H:%M").to_string());
        assert_eq!(t("8:30").as_deref(), Some("08:30"));
        assert_eq!(t("20点").as_deref(), Some("20:00"));
        assert_eq!(t("8点半").as_deref(), Some("08:30"));
        assert_eq!(t("21：05").as_deref(), Some("21:05"));
        assert_eq!(time(&Cell::Number(0.5)).map(|t| t.to_string()).as_deref(), Some("12:00:00"));

        let v = schema(RegisterKind::Visits);
        let purposes = v.field("purposes").expect("purposes");
        let got = value(purposes, &Cell::Text("信息采集核对、安全防范/反诈宣传".into()), "purposes").expect("ok");
        assert_eq!(got, Some(json!(["info_check", "safety_publicity"])));
        let method = v.field("method").expect("method");
        assert_eq!(value(method, &Cell::Text("入户".into()), "method").expect("ok"), Some(json!("in_home")));
        let e = value(method, &Cell::Text("路过".into()), "method").expect_err("unknown label");
        let message = "「走访方式」没有「路过」这一项，可选：入户、电话、田间/现场";
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::UnknownCode, message));
        let people = v.field("people_talked").expect("int");
        assert_eq!(value(people, &Cell::Text("3人".into()), "people_talked").expect("ok"), Some(json!(3)));
        assert_eq!(
            value(people, &Cell::Text("三".into()), "people_talked").map_err(|e| e.code),
            Err(ErrorCode::InvalidType)
        );
        let date_field = v.field("date").expect("date");
        let e = value(date_field, &Cell::Text("去年".into()), "date").expect_err("refused");
        assert_eq!((e.code, e.field.as_str()), (ErrorCode::InvalidDate, "date"));
    }
}
