//! The office store: one SQLite file, one write path.
//!
//! Every mutation runs in one `BEGIN IMMEDIATE` transaction on the writer connection and writes
//! the record, its change-log entry, its audit entry and its search terms together, or nothing.
//! Reads use a second connection, so a long read never holds the writer (WAL lets both run).

mod audit;
pub mod bulk;
pub(crate) mod dispatch;
pub mod migrations;
mod numbering;
pub(crate) mod office;
mod print_profile;
pub(crate) mod read;
mod search_index;
mod view_log;
mod write;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags};

use crate::clock::Clock;
use crate::domain::ParseCtx;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::vault::DbKey;

pub use audit::{AuditAction, AuditEntry, ChainBreak};
pub use office::{NewOffice, Office};
pub use print_profile::{MAX_PHOTO_BYTES, PrintProfile, photo_format};
pub use read::{ListQuery, ListSort, Page};
pub use view_log::{ViewAction, ViewEntry};
pub use write::Saved;

pub struct Store {
    path: PathBuf,
    /// Kept to open further connections to the same file (backups verified, checks).
    pub(crate) key: DbKey,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
    clock: Arc<dyn Clock>,
}

/// Connection settings chosen for a laptop that can lose power (see
/// docs/decisions/0003-sqlite-durability.md): foreign keys enforced, WAL so readers never block
/// the writer, `synchronous = FULL` so a confirmed save survives a power cut, and a busy
/// timeout so a second process waits for the write lock instead of failing. The page cache is
/// raised from SQLite's 2 MB to at most 64 MB (it grows only as used): a big office's file is
/// hundreds of MB, and with the small cache a batch write re-read its index pages from the OS
/// again and again (`cunjing demo`: a quarter of its time).
pub(crate) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "cache_size", -65536)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    Ok(())
}

/// The audit chain of any office database connection (a backup being verified included).
pub(crate) fn audit_chain(conn: &Connection) -> CoreResult<Result<i64, ChainBreak>> {
    Ok(audit::verify_chain(conn)?)
}

/// Locks one of a store's connections (office or station). A panic while holding the lock cannot
/// leave a half-written transaction behind (it rolls back on drop), so the connection is still
/// good to use.
pub(crate) fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Opens a connection and keys it (the key goes first: see [`DbKey::apply`]).
pub(crate) fn open_connection(path: &Path, create: bool, key: &DbKey) -> CoreResult<Connection> {
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
    if create {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    }
    let conn = Connection::open_with_flags(path, flags)?;
    key.apply(&conn, path)?;
    Ok(conn)
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Store {
    /// Creates a new office database at `path` with its office (the CLI's `init`). Refuses when
    /// the file already holds an office.
    /// `key` is a new key from `vault::create_key` (or `DbKey::Plain` for a demo file).
    pub fn create(path: &Path, office: &NewOffice, key: &DbKey, clock: Arc<dyn Clock>) -> CoreResult<Store> {
        office.validated()?; // before any file is made
        let store = Store::open_or_create(path, key, clock)?;
        store.init_office(office)?;
        Ok(store)
    }

    /// Opens the database at `path`, creating an empty one (no office yet) when it does not
    /// exist: the desktop app starts this way and runs setup when `has_office()` is false.
    pub fn open_or_create(path: &Path, key: &DbKey, clock: Arc<dyn Clock>) -> CoreResult<Store> {
        Store::open_with(path, key, clock, true)
    }

    /// Opens an existing database, upgrading its schema if an older build wrote it.
    pub fn open(path: &Path, key: &DbKey, clock: Arc<dyn Clock>) -> CoreResult<Store> {
        if !path.exists() {
            return Err(CoreError::refused(
                ErrorCode::NoOffice,
                "",
                format!("找不到数据库 {}，请先运行 cunjing init 建立警务室", path.display()),
            ));
        }
        Store::open_with(path, key, clock, false)
    }

    fn open_with(path: &Path, key: &DbKey, clock: Arc<dyn Clock>, create: bool) -> CoreResult<Store> {
        let mut writer = open_connection(path, create, key)?;
        // A file from a newer build is refused before any pragma (WAL changes the header).
        migrations::refuse_newer(&writer)?;
        let app_id: i64 = writer.pragma_query_value(None, "application_id", |r| r.get(0))?;
        if app_id == crate::station::STATION_APPLICATION_ID {
            return Err(CoreError::refused(
                ErrorCode::WrongDatabaseKind,
                path.display().to_string(),
                format!("{} 是汇总站数据库，不是警务室数据库；未作任何改动", path.display()),
            ));
        }
        configure(&writer)?;
        migrations::migrate(&mut writer)?;
        if app_id != crate::station::OFFICE_APPLICATION_ID {
            writer.pragma_update(None, "application_id", crate::station::OFFICE_APPLICATION_ID)?;
        }
        let reader = open_connection(path, false, key)?;
        configure(&reader)?;
        // The reader keeps the writer's 64 MB ceiling (it grows only as pages are read): with
        // SQLCipher a page the SQLite cache no longer holds is decrypted and authenticated again
        // on every read, so the OS page cache no longer makes a small cache cheap. With 16 MB the
        // big office's dashboard took 59 ms and its disputes page 11 ms (issue 6's bench).
        Ok(Store {
            path: path.to_path_buf(),
            key: key.clone(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
            clock,
        })
    }

    /// The current time as stored (RFC 3339 with the +08:00 offset, whole seconds).
    pub(crate) fn now_text(&self) -> String {
        self.clock.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
    }

    /// Now at the office (printed documents carry it).
    pub fn now(&self) -> chrono::DateTime<chrono::FixedOffset> {
        self.clock.now()
    }

    /// Today at the office.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.today()
    }

    /// The key this store was opened with (to open its backups and checks the same way).
    pub fn key(&self) -> &DbKey {
        &self.key
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn ctx(&self) -> ParseCtx {
        ParseCtx { today: self.clock.today() }
    }

    pub(crate) fn reader(&self) -> MutexGuard<'_, Connection> {
        lock(&self.reader)
    }

    pub(crate) fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
    }

    /// Recomputes the audit chain: `Ok(n)` entries verified, or where it breaks.
    pub fn verify_audit_chain(&self) -> CoreResult<Result<i64, ChainBreak>> {
        Ok(audit::verify_chain(&self.reader())?)
    }
}
