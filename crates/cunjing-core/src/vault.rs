//! Encryption at rest (docs/decisions/0014-encryption-at-rest.md).
//!
//! Office and station databases are SQLCipher files keyed with a random data key. The key lives
//! only wrapped, in the key file beside the database (`office.db.key`, see
//! `cunjing_bundle::keyfile`): by the passphrase (Argon2id), by the station's public key once the
//! office is enrolled, and by a one-time recovery code while a recovery is under way. This
//! module holds the file side of that: where the key file is, writing it atomically, unlocking,
//! changing the passphrase, the station wrap, recovery, and turning an older plain database into
//! an encrypted one. Opening a connection with a key is [`DbKey::apply`].

use std::fs;
use std::path::{Path, PathBuf};

use cunjing_bundle::{FormatError, RecoveryRequest, RecoveryResponse, StationPublic};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

pub use cunjing_bundle::{DataKey, KdfParams, KeyFile, KeyFileRole, check_passphrase, generate_recovery_code};

use crate::error::{CoreError, CoreResult, ErrorCode};

/// How a database file is opened: with its data key, or in the clear (the desktop's demo files,
/// which hold made-up people, and databases written before encryption existed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DbKey {
    #[default]
    Plain,
    Key(DataKey),
}

impl DbKey {
    pub fn is_encrypted(&self) -> bool {
        matches!(self, DbKey::Key(_))
    }

    /// A fresh random key (tests, and a new database's key before its key file is written).
    pub fn generate() -> CoreResult<DbKey> {
        Ok(DbKey::Key(DataKey::generate().map_err(|e| key_refused("", &e))?))
    }

    /// Keys a new connection and proves the key right at once: SQLCipher's `PRAGMA key` never
    /// reports a wrong key, the first read does. On a new (empty) file this must run before any
    /// other statement, or SQLite writes a plain header.
    pub(crate) fn apply(&self, conn: &Connection, path: &Path) -> CoreResult<()> {
        // SQLCipher logs wrong-key attempts to stderr, which would land in the CLI's output.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        if let DbKey::Key(key) = self {
            conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.sqlcipher_literal().as_str()))?;
        }
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
            Ok(_) => Ok(()),
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::NotADatabase => {
                Err(self.unreadable(path))
            }
            Err(e) => Err(e.into()),
        }
    }

    fn unreadable(&self, path: &Path) -> CoreError {
        match self {
            DbKey::Plain => CoreError::refused(
                ErrorCode::PassphraseRequired,
                path.display().to_string(),
                format!("{} 是加密的数据库（或已损坏）：需要口令才能打开", path.display()),
            ),
            DbKey::Key(_) => CoreError::refused(
                ErrorCode::KeyFileRefused,
                path.display().to_string(),
                format!("密钥打不开 {}：密钥文件不是这个数据库的，或数据库已损坏", path.display()),
            ),
        }
    }
}

/// The key file of a database: `office.db` → `office.db.key`.
pub fn key_path(db_path: &Path) -> PathBuf {
    let mut name = db_path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "office.db".into());
    name.push(".key");
    db_path.with_file_name(name)
}

/// The copy of the key file kept among backups (the data key never changes, so one copy, kept
/// current, opens every backup in the folder, also on another laptop).
pub const BACKUP_KEY_NAME: &str = "cunjing-backups.key";

/// What protects a database file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Protection {
    /// Neither the database nor its key file exists yet (first start).
    Missing,
    /// A database without a key file: written before encryption, or a demo file.
    Plain,
    /// A key file (with or without the database beside it).
    Encrypted,
}

pub fn protection(db_path: &Path) -> Protection {
    if key_path(db_path).exists() {
        Protection::Encrypted
    } else if db_path.exists() {
        Protection::Plain
    } else {
        Protection::Missing
    }
}

/// A key-file or recovery-file problem as a core refusal naming the file.
fn key_refused(file: &str, e: &FormatError) -> CoreError {
    let code = match e {
        FormatError::WrongPassphrase => ErrorCode::WrongPassphrase,
        FormatError::WeakPassphrase => ErrorCode::WeakPassphrase,
        FormatError::WrongStation { .. } => ErrorCode::WrongStation,
        _ => ErrorCode::KeyFileRefused,
    };
    CoreError::refused(code, file, e.to_string())
}

pub fn read_key_file(db_path: &Path) -> CoreResult<KeyFile> {
    let path = key_path(db_path);
    let bytes = fs::read(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            CoreError::refused(
                ErrorCode::PassphraseRequired,
                path.display().to_string(),
                format!("找不到密钥文件 {}（它应与数据库放在一起）", path.display()),
            )
        } else {
            e.into()
        }
    })?;
    KeyFile::parse(&bytes).map_err(|e| key_refused(&path.display().to_string(), &e))
}

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never a
/// torn one: a `.part` beside it, fsynced, renamed over.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> CoreResult<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let part = path.with_file_name(format!(".{name}.part"));
    let written = (|| {
        fs::write(&part, bytes)?;
        fs::File::open(&part)?.sync_all()?;
        fs::rename(&part, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // Directories cannot be opened for fsync on Windows; the rename is durable enough there.
            if let Ok(d) = fs::File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&part);
    }
    written
}

fn write_key_file(db_path: &Path, file: &KeyFile) -> CoreResult<()> {
    write_atomically(&key_path(db_path), &file.to_bytes())
}

/// The key of a database: its key file opened with `passphrase`, or `Plain` when the database
/// has no key file.
pub fn unlock(db_path: &Path, passphrase: &str) -> CoreResult<DbKey> {
    match protection(db_path) {
        Protection::Encrypted => {
            let file = read_key_file(db_path)?;
            let key = file.unlock(passphrase).map_err(|e| key_refused(&key_path(db_path).display().to_string(), &e))?;
            Ok(DbKey::Key(key))
        }
        Protection::Plain | Protection::Missing => Ok(DbKey::Plain),
    }
}

/// The key in the key file at `key_file` (one kept beside backups), opened with `passphrase`.
pub fn unlock_file(key_file: &Path, passphrase: &str) -> CoreResult<DbKey> {
    let name = key_file.display().to_string();
    let file = KeyFile::parse(&fs::read(key_file)?).map_err(|e| key_refused(&name, &e))?;
    Ok(DbKey::Key(file.unlock(passphrase).map_err(|e| key_refused(&name, &e))?))
}

/// A new data key for a database about to be created at `db_path`, its key file written first
/// (a database must never exist without the means to open it). Refuses when either exists.
pub fn create_key(db_path: &Path, role: KeyFileRole, passphrase: &str, kdf: KdfParams) -> CoreResult<DbKey> {
    refuse_existing(db_path)?;
    check_passphrase(passphrase).map_err(|e| key_refused("passphrase", &e))?;
    if let Some(dir) = db_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir)?;
    }
    let key = DataKey::generate().map_err(|e| key_refused("", &e))?;
    let file = KeyFile::new(role, &key, passphrase, kdf).map_err(|e| key_refused("passphrase", &e))?;
    write_key_file(db_path, &file)?;
    Ok(DbKey::Key(key))
}

/// Refuses a path where a database or a key file already is (checked before a passphrase is
/// asked for): nothing is ever created over either.
pub fn refuse_existing(db_path: &Path) -> CoreResult<()> {
    let kp = key_path(db_path);
    if kp.exists() {
        return Err(CoreError::refused(
            ErrorCode::OfficeExists,
            kp.display().to_string(),
            format!("{} 已存在，不会覆盖：它可能是某个数据库或备份的钥匙，请先移开再新建", kp.display()),
        ));
    }
    if db_path.exists() {
        return Err(CoreError::refused(
            ErrorCode::OfficeExists,
            db_path.display().to_string(),
            format!("{} 已存在，不会覆盖，未作任何改动", db_path.display()),
        ));
    }
    Ok(())
}

/// Re-wraps the data key under a new passphrase. The database is not touched (no re-encryption).
pub fn change_passphrase(db_path: &Path, old: &str, new: &str, kdf: KdfParams) -> CoreResult<()> {
    let mut file = read_key_file(db_path)?;
    let key = file.unlock(old).map_err(|e| key_refused("old_passphrase", &e))?;
    file.set_passphrase(&key, new, kdf).map_err(|e| key_refused("new_passphrase", &e))?;
    write_key_file(db_path, &file)
}

/// A new passphrase through the recovery-code wrap (the station's own 恢复码, printed at
/// `station init`): for a clerk who forgot the station's passphrase.
pub fn reset_with_code(db_path: &Path, code: &str, new: &str, kdf: KdfParams) -> CoreResult<()> {
    let mut file = read_key_file(db_path)?;
    let key = file.unlock_with_code(code).map_err(|e| key_refused("code", &e))?;
    file.set_passphrase(&key, new, kdf).map_err(|e| key_refused("new_passphrase", &e))?;
    write_key_file(db_path, &file)
}

/// Adds a recovery-code wrap (the station's 恢复码) and returns the code, shown once.
pub fn add_recovery_code(db_path: &Path, key: &DbKey, kdf: KdfParams) -> CoreResult<Option<String>> {
    let DbKey::Key(data_key) = key else { return Ok(None) };
    let mut file = read_key_file(db_path)?;
    let code = generate_recovery_code().map_err(|e| key_refused("", &e))?;
    file.set_recovery_code(data_key, &code, kdf).map_err(|e| key_refused("", &e))?;
    write_key_file(db_path, &file)?;
    Ok(Some(code))
}

/// Adds the station's wrap of the data key (at enrollment), so a forgotten passphrase can be
/// recovered through the station. Nothing to do for a plain database.
/// `label` (office code and name) goes into the file so a recovery request says whose it is.
pub fn set_station_wrap(db_path: &Path, key: &DbKey, station: &StationPublic, label: &str) -> CoreResult<()> {
    let DbKey::Key(data_key) = key else { return Ok(()) };
    if !key_path(db_path).exists() {
        // A store keyed by its caller without a key file (tests, tools): nothing to add to.
        return Ok(());
    }
    let mut file = read_key_file(db_path)?;
    file.set_station(data_key, station).map_err(|e| key_refused("station", &e))?;
    file.label = label.to_string();
    write_key_file(db_path, &file)
}

/// Whether the key file holds a station wrap (the recovery screen says whether recovery is
/// possible before the officer travels to the station).
pub fn station_wrap_fingerprint(db_path: &Path) -> CoreResult<Option<String>> {
    Ok(read_key_file(db_path)?.station_fingerprint().map(str::to_string))
}

/// Officer side, passphrase forgotten: the request file for the station. Needs no passphrase;
/// holds nothing a finder of the stick could use.
pub fn recovery_request(db_path: &Path) -> CoreResult<Vec<u8>> {
    let file = read_key_file(db_path)?;
    let request = file.recovery_request().map_err(|e| key_refused("", &e))?;
    Ok(request.to_bytes())
}

/// Station side: answers a request with the data key sealed under a fresh one-time code.
/// Returns (response file, code); the code is shown to the clerk and never written to a file.
pub fn answer_recovery(
    request: &[u8],
    station: &cunjing_bundle::StationSecret,
    kdf: KdfParams,
) -> CoreResult<(Vec<u8>, String)> {
    let request = RecoveryRequest::parse(request).map_err(|e| key_refused("request", &e))?;
    let code = generate_recovery_code().map_err(|e| key_refused("", &e))?;
    let response = request.answer(station, &code, kdf).map_err(|e| key_refused("request", &e))?;
    Ok((response.to_bytes(), code))
}

/// The office label a recovery request names (shown to the clerk before answering it).
pub fn recovery_request_label(request: &[u8]) -> CoreResult<String> {
    Ok(RecoveryRequest::parse(request).map_err(|e| key_refused("request", &e))?.label)
}

/// Officer side, back from the station: the response and the code open the data key, which must
/// open this database; then `new_passphrase` replaces the forgotten one.
pub fn recover(db_path: &Path, response: &[u8], code: &str, new_passphrase: &str, kdf: KdfParams) -> CoreResult<()> {
    check_passphrase(new_passphrase).map_err(|e| key_refused("new_passphrase", &e))?;
    let response = RecoveryResponse::parse(response).map_err(|e| key_refused("response", &e))?;
    let mut file = read_key_file(db_path)?;
    if response.key_id != file.key_id {
        return Err(CoreError::refused(
            ErrorCode::KeyFileRefused,
            "response",
            "这份找回答复不是本机数据库的（密钥编号不符）",
        ));
    }
    let key = response.unlock(code).map_err(|e| key_refused("code", &e))?;
    // Prove the key on the database itself before anything is rewritten.
    let conn = Connection::open(db_path)?;
    DbKey::Key(key.clone()).apply(&conn, db_path)?;
    drop(conn);
    file.set_passphrase(&key, new_passphrase, kdf).map_err(|e| key_refused("new_passphrase", &e))?;
    write_key_file(db_path, &file)
}

/// Keeps the backups folder's copy of the key file current (called after each backup).
pub(crate) fn copy_key_into(db_path: &Path, dir: &Path) -> CoreResult<()> {
    let source = key_path(db_path);
    if source.exists() {
        write_atomically(&dir.join(BACKUP_KEY_NAME), &fs::read(source)?)?;
    }
    Ok(())
}

/// The key file that opens a backup: the one kept in its folder.
pub fn backup_key_path(backup: &Path) -> PathBuf {
    backup.parent().unwrap_or_else(|| Path::new(".")).join(BACKUP_KEY_NAME)
}

/// Installs `key_file` as the key file of `db_path` (a restore onto a laptop that has none).
pub(crate) fn install_key_file(db_path: &Path, key_file: &Path) -> CoreResult<()> {
    let bytes = fs::read(key_file)?;
    KeyFile::parse(&bytes).map_err(|e| key_refused(&key_file.display().to_string(), &e))?;
    write_atomically(&key_path(db_path), &bytes)
}

/// Encrypts a plain database in place (one written before encryption existed): an encrypted
/// copy is written beside it with SQLCipher's `sqlcipher_export`, checked, its key file
/// written, and then renamed over the original. The plain backups in `backups/` are removed once
/// a first encrypted backup exists (kept, they would give the registers away).
pub fn encrypt_plain(db_path: &Path, role: KeyFileRole, passphrase: &str, kdf: KdfParams) -> CoreResult<DbKey> {
    check_passphrase(passphrase).map_err(|e| key_refused("passphrase", &e))?;
    if protection(db_path) != Protection::Plain {
        return Err(CoreError::refused(
            ErrorCode::KeyFileRefused,
            db_path.display().to_string(),
            format!("{} 不是未加密的数据库", db_path.display()),
        ));
    }
    let name = db_path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let part = db_path.with_file_name(format!(".{name}.encrypting.part"));
    let _ = fs::remove_file(&part);
    let key = DataKey::generate().map_err(|e| key_refused("", &e))?;
    let made = (|| -> CoreResult<()> {
        let plain = Connection::open(db_path)?;
        DbKey::Plain.apply(&plain, db_path)?;
        plain.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let user_version: i64 = plain.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let app_id: i64 = plain.pragma_query_value(None, "application_id", |r| r.get(0))?;
        plain.execute(
            &format!("ATTACH DATABASE ?1 AS encrypted KEY \"{}\"", key.sqlcipher_literal().as_str()),
            [part.to_string_lossy()],
        )?;
        plain.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        plain.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {user_version}; PRAGMA encrypted.application_id = {app_id}; DETACH DATABASE encrypted;"
        ))?;
        drop(plain);
        fs::File::open(&part)?.sync_all()?;
        let check = Connection::open(&part)?;
        DbKey::Key(key.clone()).apply(&check, &part)?;
        let integrity = crate::backup::integrity(&check)?;
        if integrity != "ok" {
            return Err(CoreError::refused(ErrorCode::DatabaseDamaged, "", format!("加密副本校验未通过：{integrity}")));
        }
        Ok(())
    })();
    if let Err(e) = made {
        let _ = fs::remove_file(&part);
        return Err(e);
    }
    let file = KeyFile::new(role, &key, passphrase, kdf).map_err(|e| key_refused("passphrase", &e))?;
    write_key_file(db_path, &file)?;
    fs::rename(&part, db_path)?;
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(db_path.with_file_name(format!("{name}{suffix}")));
    }
    Ok(DbKey::Key(key))
}

/// Whether a file is a plain SQLite database (its first 16 bytes are SQLite's magic; an
/// encrypted file's are random).
pub fn is_plain_sqlite(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == b"SQLite format 3\0"
}
