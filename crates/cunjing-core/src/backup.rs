//! Backups and restore of the office database, and the checks that say whether a file is sound.
//!
//! A backup is SQLite's `VACUUM INTO` (a consistent, compact copy made from a read transaction,
//! so the officer's writes go on), written under a temporary name, fsynced, then checked as a
//! whole — `PRAGMA integrity_check`, the file kind, the schema version, the audit chain — and only
//! then renamed into place: a backup that exists is a backup that was verified. Rotated backups
//! live in `backups/` beside the database (newest `KEEP` kept). A restore verifies the backup the
//! same way, keeps the replaced database beside it (`*.before-restore-<time>`), and renames the
//! copy over the target, so a failure at any point leaves a usable file behind.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::station::OFFICE_APPLICATION_ID;
use crate::store::Store;
use crate::store::migrations::latest_version;
use crate::vault::DbKey;

/// Rotated backups kept (one a day and one on every close: a week or two of history).
pub const KEEP: usize = 14;

const PREFIX: &str = "office-";

/// One verified backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupInfo {
    pub path: String,
    /// When it was made (`2026-11-28T10:00:00+08:00`), from the office's clock.
    pub made_at: String,
    pub bytes: u64,
    /// Live and voided records in it.
    pub records: i64,
    pub schema_version: i64,
}

/// The backups folder of a database: `backups/` beside it.
pub fn backup_dir(db_path: &Path) -> PathBuf {
    db_path.parent().unwrap_or_else(|| Path::new(".")).join("backups")
}

fn refused(path: &Path, why: impl std::fmt::Display) -> CoreError {
    CoreError::refused(
        ErrorCode::BackupRefused,
        path.display().to_string(),
        format!("{} 不能用作备份：{why}", path.display()),
    )
}

/// Opens `path` read-only and checks it is a sound office database this build can read. The
/// file is never changed (no WAL, no migration).
pub fn verify_backup(path: &Path, made_at: &str, key: &DbKey) -> CoreResult<BackupInfo> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|e| refused(path, e))?;
    key.apply(&conn, path).map_err(|e| refused(path, e))?;
    let app_id: i64 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).map_err(|e| refused(path, e))?;
    if app_id != OFFICE_APPLICATION_ID {
        return Err(refused(path, "不是警务室数据库文件"));
    }
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| refused(path, e))?;
    if version > latest_version() {
        return Err(refused(path, format!("由更新版本的程序写入（结构版本 {version}），请先升级程序")));
    }
    let integrity = integrity(&conn).map_err(|e| refused(path, e))?;
    if integrity != "ok" {
        return Err(refused(path, format!("文件已损坏（{integrity}）")));
    }
    if let Err(b) = crate::store::audit_chain(&conn)? {
        return Err(refused(path, format!("修改留痕在第 {} 条断开：{}", b.entry_id, b.reason)));
    }
    let records: i64 = conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
    Ok(BackupInfo {
        path: path.display().to_string(),
        made_at: made_at.to_string(),
        bytes: fs::metadata(path)?.len(),
        records,
        schema_version: version,
    })
}

/// `PRAGMA integrity_check`: "ok", or the first problems it names.
pub(crate) fn integrity(conn: &Connection) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(5)")?;
    let lines = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(lines.join("；"))
}

fn sync_dir(dir: &Path) {
    // Directories cannot be opened for fsync on Windows; there the rename is durable enough.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

const STAMP: &str = "%Y%m%dT%H%M%S";

/// `20261128T100000` from `2026-11-28T10:00:00+08:00`: the local time in file names.
fn compact(stamp: &str) -> String {
    stamp.chars().take(19).filter(|c| c.is_ascii_digit() || *c == 'T').collect()
}

/// The file name of a backup made at `stamp`, the `n`th in that second: sortable by time.
fn file_name(code: &str, stamp: &str, n: u32) -> String {
    let safe_code: String = code.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let counter = if n > 1 { format!("-{n}") } else { String::new() };
    format!("{PREFIX}{safe_code}-{}{counter}.db", compact(stamp))
}

/// When a backup was made and its counter within that second, read from its file name
/// (`office-<code>-<YYYYMMDDTHHMMSS>[-n].db`); `None` for a file that is not one of ours.
fn name_stamp(path: &Path) -> Option<(chrono::NaiveDateTime, u32)> {
    let name = path.file_name()?.to_string_lossy().to_string();
    let body = name.strip_prefix(PREFIX)?.strip_suffix(".db")?;
    let parts: Vec<&str> = body.split('-').collect();
    let at = parts.iter().position(|p| p.len() == 15 && p.contains('T'))?;
    let time = chrono::NaiveDateTime::parse_from_str(parts[at], STAMP).ok()?;
    Some((time, parts.get(at + 1).and_then(|n| n.parse().ok()).unwrap_or(1)))
}

/// `2026-11-28T10:00:00`, or empty for a file not named by us.
fn made_at_of(path: &Path) -> String {
    name_stamp(path).map(|(t, _)| t.format("%Y-%m-%dT%H:%M:%S").to_string()).unwrap_or_default()
}

impl Store {
    /// Writes a verified backup into `dir` (made if missing) and returns it. The file appears
    /// under its final name only once verified; a failure (a full disk, a pulled stick) leaves
    /// no file and changes nothing in the database.
    pub fn backup_into(&self, dir: &Path) -> CoreResult<BackupInfo> {
        fs::create_dir_all(dir)?;
        let stamp = self.now_text();
        let code =
            crate::store::office::read_office(&self.reader())?.map(|o| o.code).unwrap_or_else(|| "office".into());
        // Several backups in one second (a close right after the daily one) are numbered on from
        // the highest number that second has had, so a newer one always sorts after an older one.
        let second = chrono::NaiveDateTime::parse_from_str(&compact(&stamp), STAMP).ok();
        let taken = list_backups(dir)?.into_iter().filter(|(key, _)| Some(key.0) == second).map(|(key, _)| key.1).max();
        let name = file_name(&code, &stamp, taken.map_or(1, |n| n + 1));
        let target = dir.join(&name);
        let part = dir.join(format!(".{name}.part"));
        let _ = fs::remove_file(&part);
        let result = (|| {
            self.reader().execute("VACUUM INTO ?1", [part.to_string_lossy()])?;
            fs::File::open(&part)?.sync_all()?;
            verify_backup(&part, &stamp, &self.key)?;
            fs::rename(&part, &target)?;
            sync_dir(dir);
            // The key file travels with the backups (same data key: one copy opens them all).
            crate::vault::copy_key_into(self.path(), dir)?;
            verify_backup(&target, &stamp, &self.key)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&part);
        }
        result
    }

    /// A rotated backup in the database's `backups/` folder, keeping the newest [`KEEP`].
    pub fn backup_rotated(&self) -> CoreResult<BackupInfo> {
        let dir = backup_dir(self.path());
        let made = self.backup_into(&dir)?;
        let all = newest_first(&dir)?;
        for (_, path) in all.into_iter().skip(KEEP) {
            let _ = fs::remove_file(path);
        }
        Ok(made)
    }

    /// Makes a rotated backup unless one was made in the last `hours` hours (the desktop app's
    /// daily backup at start-up). Returns the backup made, if any.
    pub fn backup_if_older_than(&self, hours: i64) -> CoreResult<Option<BackupInfo>> {
        let newest = list_backups(&backup_dir(self.path()))?.into_iter().map(|(key, _)| key.0).max();
        let now = self.now().naive_local();
        let fresh = newest.is_some_and(|t| (now - t).num_hours() < hours);
        if fresh { Ok(None) } else { self.backup_rotated().map(Some) }
    }
}

/// The rotated backups in `dir`, newest first.
fn newest_first(dir: &Path) -> CoreResult<Vec<((chrono::NaiveDateTime, u32), PathBuf)>> {
    let mut all = list_backups(dir)?;
    all.sort_by_key(|b| std::cmp::Reverse(b.0));
    Ok(all)
}

/// The rotated backups in `dir`: ((time made, counter within that second), path), in no
/// particular order; sorting by the key sorts by age.
pub fn list_backups(dir: &Path) -> CoreResult<Vec<((chrono::NaiveDateTime, u32), PathBuf)>> {
    let Ok(entries) = fs::read_dir(dir) else { return Ok(Vec::new()) };
    Ok(entries.flatten().filter_map(|e| Some((name_stamp(&e.path())?, e.path()))).collect())
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RestoreOutcome {
    pub restored: BackupInfo,
    /// Where the database that was replaced now lies (absent when there was none).
    pub previous_kept_at: Option<String>,
}

/// Replaces the database at `target` by the backup at `backup`, after verifying it (with `key`). The replaced
/// file (and its WAL) is kept beside it as `<name>.before-restore-<stamp>`. `stamp` names it
/// (the caller's clock). Nothing may have the target open (the app, another CLI).
/// `key` opens the backup (the office's data key: a backup has the key of the database it was
/// made from). When `target` has no key file, the one kept beside the backup is installed.
pub fn restore(target: &Path, backup: &Path, stamp: &str, key: &DbKey) -> CoreResult<RestoreOutcome> {
    verify_backup(backup, "", key)?;
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(dir)?;
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "office.db".into());
    let part = dir.join(format!(".{name}.restore.part"));
    let _ = fs::remove_file(&part);
    let copied = (|| {
        fs::copy(backup, &part)?;
        fs::File::open(&part)?.sync_all()?;
        verify_backup(&part, "", key)
    })();
    if let Err(e) = copied {
        let _ = fs::remove_file(&part);
        return Err(e);
    }
    let compact = compact(stamp);
    let mut previous_kept_at = None;
    if target.exists() {
        let kept = dir.join(format!("{name}.before-restore-{compact}"));
        fs::rename(target, &kept)?;
        for suffix in ["-wal", "-shm"] {
            let side = dir.join(format!("{name}{suffix}"));
            if side.exists() {
                fs::rename(&side, dir.join(format!("{name}.before-restore-{compact}{suffix}")))?;
            }
        }
        previous_kept_at = Some(kept.display().to_string());
    }
    if key.is_encrypted() && !crate::vault::key_path(target).exists() && crate::vault::backup_key_path(backup).exists()
    {
        crate::vault::install_key_file(target, &crate::vault::backup_key_path(backup))?;
    }
    fs::rename(&part, target)?;
    sync_dir(dir);
    let mut restored = verify_backup(target, "", key)?;
    restored.made_at = made_at_of(backup);
    Ok(RestoreOutcome { restored, previous_kept_at })
}

/// The newest backup in the database's `backups/` folder that verifies, if any (the recovery
/// offer when the database itself is damaged).
pub fn newest_good_backup(db_path: &Path, key: &DbKey) -> CoreResult<Option<BackupInfo>> {
    let all = newest_first(&backup_dir(db_path))?;
    for (_, path) in all {
        if let Ok(mut info) = verify_backup(&path, "", key) {
            info.made_at = made_at_of(&path);
            return Ok(Some(info));
        }
    }
    Ok(None)
}

/// A quick look at a database file before opening it for work: `None` when it is sound (or
/// does not exist yet), else what is wrong, in Chinese.
pub fn quick_check(db_path: &Path, key: &DbKey) -> Option<String> {
    if !db_path.exists() {
        return None;
    }
    let result: Option<String> = (|| -> CoreResult<Option<String>> {
        let conn =
            Connection::open_with_flags(db_path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        key.apply(&conn, db_path)?;
        Ok(conn.query_row("PRAGMA quick_check(3)", [], |r| r.get(0)).optional()?)
    })()
    .unwrap_or_else(|e| Some(e.to_string()));
    match result.as_deref() {
        Some("ok") => None,
        Some(problem) => Some(format!("数据库文件 {} 已损坏（{problem}）", db_path.display())),
        None => Some(format!("数据库文件 {} 无法读取", db_path.display())),
    }
}

/// A backup on the list (not opened: verification happens on restore).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackupListing {
    pub path: String,
    /// `2026-11-28T10:00:00` (the office's local time).
    pub made_at: String,
    pub bytes: u64,
}

/// The rotated backups of a database, newest first.
pub fn backups_of(db_path: &Path) -> CoreResult<Vec<BackupListing>> {
    let all = newest_first(&backup_dir(db_path))?;
    Ok(all
        .into_iter()
        .map(|(_, path)| BackupListing {
            made_at: made_at_of(&path),
            bytes: fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
            path: path.display().to_string(),
        })
        .collect())
}

/// The desktop app cannot replace the file it has open: it verifies the chosen backup, leaves
/// this request beside the database and restarts; the restore runs at start-up, before the
/// database is opened ([`apply_pending_restore`]).
fn request_path(db_path: &Path) -> PathBuf {
    db_path.with_extension("restore-request")
}

pub fn request_restore(db_path: &Path, backup: &Path, key: &DbKey) -> CoreResult<BackupInfo> {
    let info = verify_backup(backup, "", key)?;
    let request = request_path(db_path);
    fs::write(&request, backup.display().to_string())?;
    fs::File::open(&request)?.sync_all()?;
    Ok(info)
}

/// Runs a restore left by [`request_restore`], if any, and removes the request (also when the
/// restore is refused, so a bad request cannot stop the app from starting; the refusal is
/// returned for the app to show).
pub fn apply_pending_restore(db_path: &Path, stamp: &str, key: &DbKey) -> Option<CoreResult<RestoreOutcome>> {
    let request = request_path(db_path);
    let backup = fs::read_to_string(&request).ok()?;
    let outcome = restore(db_path, Path::new(backup.trim()), stamp, key);
    let _ = fs::remove_file(&request);
    Some(outcome)
}

/// How the desktop app starts: normally, after carrying out a requested restore, or unable to
/// use a damaged database (it then offers the newest good backup instead of crashing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StartupStatus {
    /// The database is damaged: what is wrong, in Chinese.
    pub damaged: Option<String>,
    /// The newest backup that verifies, offered instead.
    pub newest_good_backup: Option<BackupInfo>,
    /// A restore done at this start-up: the time its backup was made.
    pub restored_from: Option<String>,
    /// A requested restore that was refused, and why.
    pub restore_refused: Option<String>,
    pub database_path: String,
}

/// Before the app opens its database: carry out a pending restore, then a quick integrity check.
pub fn startup_check(db_path: &Path, stamp: &str, key: &DbKey) -> StartupStatus {
    let (restored_from, restore_refused) = match apply_pending_restore(db_path, stamp, key) {
        Some(Ok(outcome)) => (Some(outcome.restored.made_at), None),
        Some(Err(e)) => (None, Some(e.to_string())),
        None => (None, None),
    };
    let damaged = quick_check(db_path, key);
    let newest_good_backup = if damaged.is_some() { newest_good_backup(db_path, key).ok().flatten() } else { None };
    StartupStatus {
        damaged,
        newest_good_backup,
        restored_from,
        restore_refused,
        database_path: db_path.display().to_string(),
    }
}

impl Store {
    /// After a plain database was encrypted (`vault::encrypt_plain`): makes a first encrypted
    /// backup, then deletes the plain backups beside it, which would otherwise hand the registers
    /// to anyone who copies the folder. Returns how many were deleted.
    pub fn retire_plain_backups(&self) -> CoreResult<usize> {
        if !self.key.is_encrypted() {
            return Ok(0);
        }
        let plain: Vec<PathBuf> = list_backups(&backup_dir(self.path()))?
            .into_iter()
            .map(|(_, path)| path)
            .filter(|path| crate::vault::is_plain_sqlite(path))
            .collect();
        // Nothing to retire (the usual case on an encrypted office): no extra backup either.
        if plain.is_empty() {
            return Ok(0);
        }
        self.backup_rotated()?;
        for path in &plain {
            fs::remove_file(path)?;
        }
        Ok(plain.len())
    }
}
