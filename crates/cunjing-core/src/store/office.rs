//! The office a database belongs to: its profile (set up once, editable) and its targets.

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::store::Store;
use crate::targets::Targets;
use crate::validate::phone::normalize_phone;

/// The office this database belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Office {
    /// Letters, digits and `-`; part of export file names, never changes.
    pub code: String,
    pub name: String,
    /// 责任民警.
    pub officer: String,
    /// 警号.
    pub police_number: String,
    pub officer_phone: String,
    /// 所属派出所.
    pub station_name: String,
    /// The station's 24-hour phone.
    pub station_phone: String,
    pub created_at: String,
}

/// What setup asks for; everything but code, name and officer may be filled in later.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewOffice {
    pub code: String,
    pub name: String,
    pub officer: String,
    #[serde(default)]
    pub police_number: String,
    #[serde(default)]
    pub officer_phone: String,
    #[serde(default)]
    pub station_name: String,
    #[serde(default)]
    pub station_phone: String,
}

impl NewOffice {
    /// Checks the profile without writing anything: the desktop's first start checks it before
    /// any file (the key file first) is made.
    pub fn validate(&self) -> CoreResult<()> {
        self.validated().map(|_| ())
    }

    /// Checks the profile and returns it trimmed, phones normalised.
    pub(crate) fn validated(&self) -> CoreResult<NewOffice> {
        let mut errors = Vec::new();
        let trim = |s: &str| s.trim().to_string();
        let mut out = NewOffice {
            code: trim(&self.code),
            name: trim(&self.name),
            officer: trim(&self.officer),
            police_number: trim(&self.police_number),
            officer_phone: trim(&self.officer_phone),
            station_name: trim(&self.station_name),
            station_phone: trim(&self.station_phone),
        };
        for (field, value, label) in [
            ("code", &out.code, "警务室代码"),
            ("name", &out.name, "警务室名称"),
            ("officer", &out.officer, "责任民警"),
        ] {
            if value.is_empty() {
                errors.push(FieldError::new(ErrorCode::Required, field, format!("「{label}」为必填项")));
            }
        }
        if !out.code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') || out.code.len() > 32 {
            errors.push(FieldError::new(
                ErrorCode::InvalidType,
                "code",
                "警务室代码只能由字母、数字和连字符组成，最多 32 位（它会出现在导出文件名中）",
            ));
        }
        for (field, label) in [("officer_phone", "民警电话"), ("station_phone", "派出所 24 小时电话")] {
            let value = if field == "officer_phone" { &mut out.officer_phone } else { &mut out.station_phone };
            if value.is_empty() {
                continue;
            }
            match normalize_phone(value) {
                Ok((normalized, _)) => *value = normalized,
                Err(_) => errors.push(FieldError::new(
                    ErrorCode::InvalidPhone,
                    field,
                    format!("「{label}」不是有效的手机号或座机号：{value}"),
                )),
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(CoreError::Invalid(errors)) }
    }
}

const OFFICE_COLUMNS: &str =
    "code, name, officer, police_number, officer_phone, station_name, station_phone, created_at";

pub(crate) fn read_office(conn: &Connection) -> CoreResult<Option<Office>> {
    Ok(conn
        .query_row(&format!("SELECT {OFFICE_COLUMNS} FROM office WHERE id = 1"), [], |r| {
            Ok(Office {
                code: r.get(0)?,
                name: r.get(1)?,
                officer: r.get(2)?,
                police_number: r.get(3)?,
                officer_phone: r.get(4)?,
                station_name: r.get(5)?,
                station_phone: r.get(6)?,
                created_at: r.get(7)?,
            })
        })
        .optional()?)
}

fn no_office() -> CoreError {
    CoreError::refused(ErrorCode::NoOffice, "", "还没有建立警务室，请先完成首次设置（cunjing init）")
}

/// The office, or the refusal every write gives before setup.
pub(crate) fn require_office(conn: &Connection) -> CoreResult<Office> {
    read_office(conn)?.ok_or_else(no_office)
}

impl Store {
    /// The office, or `NoOffice` before setup.
    pub fn office(&self) -> CoreResult<Office> {
        require_office(&self.reader())
    }

    /// Whether setup has been done.
    pub fn has_office(&self) -> CoreResult<bool> {
        Ok(read_office(&self.reader())?.is_some())
    }

    /// First-run setup. Refuses when the database already has an office.
    pub fn init_office(&self, new: &NewOffice) -> CoreResult<Office> {
        let new = new.validated()?;
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(existing) = read_office(&tx)? {
            return Err(CoreError::refused(
                ErrorCode::OfficeExists,
                "",
                format!("该数据库已属于「{}」，不会覆盖", existing.name),
            ));
        }
        tx.execute(
            "INSERT INTO office (id, code, name, officer, police_number, officer_phone, station_name,
                                 station_phone, created_at)
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                new.code,
                new.name,
                new.officer,
                new.police_number,
                new.officer_phone,
                new.station_name,
                new.station_phone,
                self.now_text()
            ],
        )?;
        let office = require_office(&tx)?;
        tx.commit()?;
        Ok(office)
    }

    /// Changes the profile. The office code never changes (records and bundles carry it).
    pub fn update_office(&self, profile: &NewOffice) -> CoreResult<Office> {
        let new = profile.validated()?;
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let current = require_office(&tx)?;
        if new.code != current.code {
            return Err(CoreError::Invalid(vec![FieldError::new(
                ErrorCode::ReadOnlyField,
                "code",
                "警务室代码建立后不能修改",
            )]));
        }
        tx.execute(
            "UPDATE office SET name = ?1, officer = ?2, police_number = ?3, officer_phone = ?4,
                    station_name = ?5, station_phone = ?6 WHERE id = 1",
            params![new.name, new.officer, new.police_number, new.officer_phone, new.station_name, new.station_phone],
        )?;
        let office = require_office(&tx)?;
        tx.commit()?;
        Ok(office)
    }

    /// The office's targets (the document's figures where the office set none).
    pub fn targets(&self) -> CoreResult<Targets> {
        let conn = self.reader();
        require_office(&conn)?;
        let text: String = conn.query_row("SELECT targets FROM office WHERE id = 1", [], |r| r.get(0))?;
        Ok(serde_json::from_str(&text).unwrap_or_default())
    }

    pub fn set_targets(&self, targets: &Targets) -> CoreResult<Targets> {
        targets.validate()?;
        let conn = self.writer();
        require_office(&conn)?;
        conn.execute("UPDATE office SET targets = ?1 WHERE id = 1", [serde_json::to_string(targets)?])?;
        Ok(targets.clone())
    }
}

/// The longest idle lock the settings offer (four hours); 0 turns the lock off.
pub const MAX_IDLE_LOCK_MINUTES: u32 = 240;

impl Store {
    /// Minutes without keyboard or mouse activity after which the desktop app locks (0: never).
    pub fn idle_lock_minutes(&self) -> CoreResult<u32> {
        let conn = self.reader();
        require_office(&conn)?;
        Ok(conn.query_row("SELECT idle_lock_minutes FROM office WHERE id = 1", [], |r| r.get(0))?)
    }

    pub fn set_idle_lock_minutes(&self, minutes: u32) -> CoreResult<u32> {
        if minutes > MAX_IDLE_LOCK_MINUTES {
            return Err(CoreError::Invalid(vec![FieldError::new(
                ErrorCode::OutOfRange,
                "idle_lock_minutes",
                format!("自动锁定时间应在 0 到 {MAX_IDLE_LOCK_MINUTES} 分钟之间（0 表示不自动锁定）"),
            )]));
        }
        let conn = self.writer();
        require_office(&conn)?;
        conn.execute("UPDATE office SET idle_lock_minutes = ?1 WHERE id = 1", [minutes])?;
        Ok(minutes)
    }
}

#[cfg(test)]
mod idle_lock_tests {
    use std::sync::Arc;

    use super::*;
    use crate::clock::FixedClock;
    use crate::vault::DbKey;

    #[test]
    fn idle_lock_defaults_to_ten_minutes_and_is_bounded() {
        let dir = tempfile::tempdir().expect("dir");
        let office = NewOffice {
            code: "CYH-01".into(),
            name: "翠月湖村警务室".into(),
            officer: "李建国".into(),
            ..NewOffice::default()
        };
        let clock = Arc::new(FixedClock::parse("2026-11-28T09:00:00+08:00").expect("clock"));
        let store = Store::create(&dir.path().join("o.db"), &office, &DbKey::Plain, clock).expect("store");
        assert_eq!(store.idle_lock_minutes().expect("read"), 10);
        assert_eq!(store.set_idle_lock_minutes(0).expect("off"), 0);
        assert_eq!(store.idle_lock_minutes().expect("read"), 0);
        let refused = store.set_idle_lock_minutes(241).expect_err("too long");
        assert_eq!(refused.to_field_errors()[0].code, ErrorCode::OutOfRange);
        assert_eq!(store.idle_lock_minutes().expect("read"), 0);
    }
}
