//! The office store: one SQLite file, one write path.
//!
//! Every mutation runs in one `BEGIN IMMEDIATE` transaction on the writer connection and writes
//! the record, its change-log entry, its audit entry and its search terms together, or nothing.
//! Reads use a second connection, so a long read never holds the writer (WAL lets both run).

mod audit;
pub(crate) mod dispatch;
pub mod migrations;
mod numbering;
mod read;
mod search_index;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::Clock;
use crate::domain::ParseCtx;
use crate::error::{CoreError, CoreResult, ErrorCode};

pub use audit::{AuditAction, AuditEntry, ChainBreak};
pub use read::{ListQuery, ListSort, Page};
pub use write::Saved;

/// The office this database belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Office {
    pub code: String,
    pub name: String,
    pub officer: String,
    pub created_at: String,
}

/// What `init` needs.
#[derive(Debug, Clone)]
pub struct NewOffice {
    pub code: String,
    pub name: String,
    pub officer: String,
}

pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    clock: Arc<dyn Clock>,
    office: Office,
}

/// Connection settings chosen for a laptop that can lose power (see
/// docs/decisions/0003-sqlite-durability.md): foreign keys enforced, WAL so readers never block
/// the writer, `synchronous = FULL` so a confirmed save survives a power cut, and a busy
/// timeout so a second process waits for the write lock instead of failing.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

fn open_connection(path: &Path, create: bool) -> CoreResult<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    configure(&conn)?;
    Ok(conn)
}

fn read_office(conn: &Connection) -> CoreResult<Option<Office>> {
    Ok(conn
        .query_row("SELECT code, name, officer, created_at FROM office WHERE id = 1", [], |r| {
            Ok(Office { code: r.get(0)?, name: r.get(1)?, officer: r.get(2)?, created_at: r.get(3)? })
        })
        .optional()?)
}

impl Store {
    /// Creates a new office database at `path`. Refuses when the file already holds an office.
    pub fn create(path: &Path, office: NewOffice, clock: Arc<dyn Clock>) -> CoreResult<Store> {
        let mut issues = Vec::new();
        for (field, value, label) in [
            ("office_code", &office.code, "警务室代码"),
            ("office_name", &office.name, "警务室名称"),
            ("officer", &office.officer, "责任民警"),
        ] {
            if value.trim().is_empty() {
                issues.push(crate::error::FieldError::new(ErrorCode::Required, field, format!("「{label}」为必填项")));
            }
        }
        if !office.code.trim().chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            issues.push(crate::error::FieldError::new(
                ErrorCode::InvalidType,
                "office_code",
                "警务室代码只能由字母、数字和连字符组成（它会出现在导出文件名中）",
            ));
        }
        if !issues.is_empty() {
            return Err(CoreError::Invalid(issues));
        }
        if path.exists()
            && let Ok(conn) = open_connection(path, false)
        {
            let has_office = conn
                .query_row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'office'", [], |_| Ok(()))
                .optional()?
                .is_some()
                && read_office(&conn)?.is_some();
            if has_office {
                return Err(CoreError::refused(
                    ErrorCode::OfficeExists,
                    "",
                    format!("{} 已经是一个警务室数据库，不会覆盖", path.display()),
                ));
            }
        }
        let mut conn = open_connection(path, true)?;
        migrations::migrate(&mut conn)?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if read_office(&tx)?.is_some() {
            return Err(CoreError::refused(ErrorCode::OfficeExists, "", "该数据库已有警务室信息，不会覆盖"));
        }
        tx.execute(
            "INSERT INTO office (id, code, name, officer, created_at) VALUES (1, ?1, ?2, ?3, ?4)",
            rusqlite::params![office.code.trim(), office.name.trim(), office.officer.trim(), clock.now().to_rfc3339()],
        )?;
        tx.commit()?;
        drop(conn);
        Store::open(path, clock)
    }

    /// Opens an existing office database, upgrading its schema if it was written by an older build.
    pub fn open(path: &Path, clock: Arc<dyn Clock>) -> CoreResult<Store> {
        if !path.exists() {
            return Err(CoreError::refused(
                ErrorCode::NoOffice,
                "",
                format!("找不到数据库 {}，请先运行 cunjing init 建立警务室", path.display()),
            ));
        }
        let mut writer = open_connection(path, false)?;
        migrations::migrate(&mut writer)?;
        let office = read_office(&writer)?.ok_or_else(|| {
            CoreError::refused(ErrorCode::NoOffice, "", "数据库中还没有警务室信息，请先运行 cunjing init")
        })?;
        let reader = open_connection(path, false)?;
        Ok(Store { path: path.to_path_buf(), writer: Mutex::new(writer), reader: Mutex::new(reader), clock, office })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn office(&self) -> &Office {
        &self.office
    }

    fn ctx(&self) -> ParseCtx {
        ParseCtx { today: self.clock.today() }
    }

    fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-written transaction behind (it rolls
        // back on drop), so the connection is still good to use.
        m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn reader(&self) -> MutexGuard<'_, Connection> {
        Self::lock(&self.reader)
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        Self::lock(&self.writer)
    }

    /// Recomputes the audit chain: `Ok(n)` entries verified, or where it breaks.
    pub fn verify_audit_chain(&self) -> CoreResult<Result<i64, ChainBreak>> {
        Ok(audit::verify_chain(&self.reader())?)
    }
}
