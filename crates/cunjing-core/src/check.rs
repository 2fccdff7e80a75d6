//! `cunjing check`: is this office database sound and is it backed up? Four questions, each
//! answered from the file alone:
//! 1. SQLite's `integrity_check` (pages, indexes);
//! 2. the audit chain (an audit entry edited or removed outside the product breaks it);
//! 3. every record against its latest audit entry (a record edited outside the product no
//!    longer matches what the audit trail says was written) and the view log's chain;
//! 4. the newest verified backup and its age;
//! 5. encryption at rest: the database and every backup beside it are encrypted.

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::backup::{BackupInfo, backup_dir, integrity, list_backups, newest_good_backup};
use crate::error::CoreResult;
use crate::store::{ChainBreak, Store};

/// A record whose stored content differs from what its audit trail says was written last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RecordMismatch {
    pub record_id: Uuid,
    pub register: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CheckReport {
    /// `ok`, or what `PRAGMA integrity_check` found.
    pub integrity: String,
    /// Audit entries verified, or where the chain breaks.
    pub audit_entries: Option<i64>,
    pub audit_break: Option<ChainBreak>,
    pub records_checked: i64,
    /// At most 50 shown.
    pub record_mismatches: Vec<RecordMismatch>,
    pub view_log_entries: Option<i64>,
    pub view_log_break: Option<ChainBreak>,
    pub backup_dir: String,
    pub backups: usize,
    pub newest_backup: Option<BackupInfo>,
    /// Days since the newest verified backup (none: no backup).
    pub newest_backup_age_days: Option<i64>,
    /// The database is encrypted (SQLCipher, key file beside it).
    pub encrypted: bool,
    /// Backups in the folder that are not encrypted (made before encryption was turned on).
    pub plain_backups: usize,
    /// Everything above is in order (a backup older than two days counts as a problem).
    pub ok: bool,
    /// What is wrong, in Chinese, one line each.
    pub problems: Vec<String>,
}

impl Store {
    pub fn check(&self) -> CoreResult<CheckReport> {
        let mut problems = Vec::new();
        let conn = self.reader();
        let integrity = integrity(&conn)?;
        if integrity != "ok" {
            problems.push(format!("数据库文件损坏：{integrity}"));
        }
        let (audit_entries, audit_break) = match crate::store::audit_chain(&conn)? {
            Ok(n) => (Some(n), None),
            Err(b) => {
                problems.push(format!("修改留痕在第 {} 条断开：{}（留痕被改动或删除）", b.entry_id, b.reason));
                (None, Some(b))
            }
        };
        // Each record against the `after` and version of its latest audit entry.
        let mut stmt = conn.prepare(
            "SELECT r.id, r.register, r.version, r.voided, r.data, a.version, a.action, a.after
             FROM records r LEFT JOIN audit_log a
               ON a.id = (SELECT max(id) FROM audit_log WHERE record_id = r.id)",
        )?;
        let mut rows = stmt.query([])?;
        let mut records_checked = 0;
        let mut record_mismatches = Vec::new();
        let mut mismatch_count = 0;
        while let Some(r) = rows.next()? {
            records_checked += 1;
            let id: String = r.get(0)?;
            let register: String = r.get(1)?;
            let version: i64 = r.get(2)?;
            let voided: bool = r.get(3)?;
            let data: String = r.get(4)?;
            let audit: Option<(i64, String, String)> = match r.get::<_, Option<i64>>(5)? {
                Some(v) => Some((v, r.get(6)?, r.get(7)?)),
                None => None,
            };
            let reason = match audit {
                None => Some("没有修改留痕".to_string()),
                Some((audit_version, action, after)) => {
                    let same = serde_json::from_str::<Value>(&data).ok() == serde_json::from_str::<Value>(&after).ok();
                    if audit_version != version {
                        Some(format!("版本 {version} 与留痕的版本 {audit_version} 不符"))
                    } else if !same {
                        Some("内容与最后一次留痕不符（在程序之外被改动）".to_string())
                    } else if voided != (action == "void") {
                        Some("作废标记与留痕不符".to_string())
                    } else {
                        None
                    }
                }
            };
            if let Some(reason) = reason {
                mismatch_count += 1;
                if record_mismatches.len() < 50 {
                    record_mismatches.push(RecordMismatch {
                        record_id: Uuid::parse_str(&id).unwrap_or_default(),
                        register,
                        reason,
                    });
                }
            }
        }
        drop(rows);
        drop(stmt);
        drop(conn);
        if mismatch_count > 0 {
            problems.push(format!("{mismatch_count} 条记录与修改留痕不符（可能在程序之外被改动）"));
        }
        let (view_log_entries, view_log_break) = match self.verify_view_log()? {
            Ok(n) => (Some(n), None),
            Err(b) => {
                problems.push(format!("查看记录在第 {} 条断开：{}", b.entry_id, b.reason));
                (None, Some(b))
            }
        };
        let dir = backup_dir(self.path());
        let listed = list_backups(&dir)?;
        let backups = listed.len();
        let newest_backup = newest_good_backup(self.path(), self.key())?;
        let encrypted = self.key().is_encrypted();
        if !encrypted {
            problems.push("数据库没有加密：笔记本丢失时台账会泄露。请运行 cunjing encrypt 设置口令加密".into());
        }
        let plain_backups = listed.iter().filter(|(_, path)| crate::vault::is_plain_sqlite(path)).count();
        if encrypted && plain_backups > 0 {
            problems
                .push(format!("{} 中有 {plain_backups} 个未加密的旧备份，请运行 cunjing encrypt 清除", dir.display()));
        }
        let now = self.now().naive_local();
        let newest_backup_age_days = newest_backup.as_ref().and_then(|b| {
            NaiveDateTime::parse_from_str(&b.made_at, "%Y-%m-%dT%H:%M:%S").ok().map(|t| (now - t).num_days())
        });
        match newest_backup_age_days {
            None => problems.push(format!(
                "{} 中没有可用的备份，请立即备份（设置 → 数据备份与检查，或 cunjing backup）",
                dir.display()
            )),
            Some(days) if days >= 2 => problems.push(format!("最近一次备份是 {days} 天前，请及时备份")),
            Some(_) => {}
        }
        Ok(CheckReport {
            integrity,
            audit_entries,
            audit_break,
            records_checked,
            record_mismatches,
            view_log_entries,
            view_log_break,
            backup_dir: dir.display().to_string(),
            backups,
            encrypted,
            plain_backups,
            newest_backup,
            newest_backup_age_days,
            ok: problems.is_empty(),
            problems,
        })
    }
}
