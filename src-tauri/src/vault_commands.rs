//! Encryption at rest in the desktop app (issue 7): the first screen's status, first-start setup
//! with a passphrase, unlock, encrypting an older plain database, changing the passphrase, the
//! idle lock, and recovering a forgotten passphrase through the station. Each command calls the
//! core's `vault` and, once the key is known, opens the session (`state::open_session`).
//! Argon2id takes a noticeable moment, so the commands that run it are async and do their work
//! on a blocking thread, off the UI's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cunjing_core::store::{NewOffice, Office};
use cunjing_core::sync::media;
use cunjing_core::vault::{self, DbKey, KdfParams, Protection};
use cunjing_core::{CoreError, ErrorCode, Store, SystemClock};
use serde::Serialize;
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

use crate::ipc_error::IpcError;
use crate::state::{Desk, Session, Unlocked, Vault, VaultStep, open_session, unlocked};

type Reply<T> = Result<T, IpcError>;

/// The Argon2id cost of every key file the app writes (the CLI's too).
const KDF: KdfParams = KdfParams::DEFAULT;

/// Recovery files on the stick: the officer's request and the station's answer.
const REQUEST_EXT: &str = "cjq";
const RESPONSE_EXT: &str = "cja";

fn refused(code: ErrorCode, field: &str, message: impl Into<String>) -> IpcError {
    CoreError::refused(code, field, message.into()).into()
}

/// Runs `f` on a blocking thread (Argon2id, opening a database).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Reply<T> + Send + 'static) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| refused(ErrorCode::Io, "", format!("内部错误：{e}")))?
}

/// What the UI's first screen needs to know, and the lock's state.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VaultStatus {
    pub step: VaultStep,
    /// Office or station: which database the step is about.
    pub desk: Desk,
    /// How that database is protected (as found on disk).
    pub protection: Protection,
    /// The demo's own (plain) database is open: no passphrase, no lock.
    pub demo: bool,
    pub locked: bool,
    /// An encrypted database is open, so the app can lock (not the demo).
    pub lockable: bool,
    /// Minutes without activity before the app locks; 0: never.
    pub idle_lock_minutes: u32,
    /// The key file holds the station's wrap: a forgotten passphrase can be recovered through
    /// the station (the office has been enrolled).
    pub station_wrap: bool,
    pub database_path: String,
}

fn status<R: tauri::Runtime>(app: &AppHandle<R>) -> VaultStatus {
    let vault = app.state::<Vault>();
    let (step, desk) = match app.try_state::<Session>() {
        Some(session) => (VaultStep::Open, session.desk),
        None => vault.plan(),
    };
    let path = if vault.demo { vault.demo_office.clone() } else { vault.path_of(desk).to_path_buf() };
    let protection = vault::protection(&path);
    let station_wrap = desk == Desk::Office
        && protection == Protection::Encrypted
        && vault::station_wrap_fingerprint(&path).ok().flatten().is_some();
    VaultStatus {
        step,
        desk,
        protection,
        demo: vault.demo,
        locked: step == VaultStep::Open && vault.gate.is_locked(),
        lockable: vault.gate.lockable(),
        idle_lock_minutes: vault.gate.minutes(),
        station_wrap,
        database_path: path.display().to_string(),
    }
}

#[tauri::command]
pub async fn vault_status(app: AppHandle) -> Reply<VaultStatus> {
    blocking(move || Ok(status(&app))).await
}

fn require_step<R: tauri::Runtime>(app: &AppHandle<R>, want: VaultStep) -> Reply<Desk> {
    if app.try_state::<Session>().is_some() {
        return Err(refused(ErrorCode::OfficeExists, "", "数据库已经打开"));
    }
    let (step, desk) = app.state::<Vault>().plan();
    if step != want {
        let message = match step {
            VaultStep::Setup => "还没有建立数据库，请先完成首次设置",
            VaultStep::Unlock => "数据库已加密，请输入口令打开",
            VaultStep::Encrypt => "数据库还没有加密，请先设置口令加密",
            VaultStep::Open => "数据库已经打开",
        };
        return Err(refused(ErrorCode::PassphraseRequired, "", message));
    }
    Ok(desk)
}

/// A key file written for a database that then could not be made opens nothing: it goes, so
/// the next attempt starts clean.
fn forget_new_key(db: &Path) {
    if !db.exists() {
        let _ = std::fs::remove_file(vault::key_path(db));
    }
}

/// First start, office: the key file with the passphrase (typed twice in the UI), then the
/// encrypted database with the office in it, then the session.
#[tauri::command]
pub async fn vault_setup(app: AppHandle, office: NewOffice, passphrase: String) -> Reply<Office> {
    blocking(move || {
        require_step(&app, VaultStep::Setup)?;
        office.validate()?; // before any file is made
        let vault = app.state::<Vault>();
        vault.clear_empty_leftover(Desk::Office)?;
        let db = vault.real_office.clone();
        let key = vault::create_key(&db, Desk::Office.role(), &passphrase, KDF)?;
        let made = Store::create(&db, &office, &key, Arc::new(SystemClock)).and_then(|s| s.office());
        let made = made.inspect_err(|_| forget_new_key(&db))?;
        open_session(&app, Desk::Office, key)?;
        Ok(made)
    })
    .await
}

/// The station's first start: its database, encrypted under its own passphrase, and the
/// station's 恢复码 (shown once, for a clerk who forgets the passphrase).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct StationSetup {
    pub station: cunjing_core::station::StationInfo,
    pub recovery_code: Option<String>,
}

#[tauri::command]
pub async fn vault_setup_station(app: AppHandle, name: String, passphrase: String) -> Reply<StationSetup> {
    blocking(move || {
        require_step(&app, VaultStep::Setup)?;
        if name.trim().is_empty() {
            return Err(refused(ErrorCode::Required, "station_name", "请填写汇总站名称"));
        }
        let vault = app.state::<Vault>();
        vault.clear_empty_leftover(Desk::Station)?;
        let db = vault.real_station.clone();
        let key = vault::create_key(&db, Desk::Station.role(), &passphrase, KDF)?;
        let station = cunjing_core::station::StationStore::open_or_create(&db, &key, Arc::new(SystemClock))
            .and_then(|s| s.init_station(&name))
            .inspect_err(|_| forget_new_key(&db))?;
        let recovery_code = vault::add_recovery_code(&db, &key, KDF)?;
        open_session(&app, Desk::Station, key)?;
        Ok(StationSetup { station, recovery_code })
    })
    .await
}

/// Opens the database with the passphrase; when it is open and locked, unlocks it.
#[tauri::command]
pub async fn vault_unlock(app: AppHandle, passphrase: String) -> Reply<VaultStatus> {
    blocking(move || {
        let vault = app.state::<Vault>();
        if let Some(session) = app.try_state::<Session>() {
            if session.key.is_encrypted() {
                let key = vault::unlock(vault.path_of(session.desk), &passphrase)?;
                if key != session.key {
                    return Err(refused(
                        ErrorCode::KeyFileRefused,
                        "",
                        "密钥文件已被替换，与打开的数据库不符；请重新启动程序",
                    ));
                }
            }
            vault.gate.unlock();
        } else {
            let desk = require_step(&app, VaultStep::Unlock)?;
            let key = vault::unlock(vault.path_of(desk), &passphrase)?;
            open_session(&app, desk, key)?;
        }
        Ok(status(&app))
    })
    .await
}

/// An older plain database is encrypted under a new passphrase, opened, and (office) its plain
/// backups are replaced by an encrypted one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Encrypted {
    /// Plain backups deleted after the first encrypted backup was made.
    pub removed_backups: u32,
}

#[tauri::command]
pub async fn vault_encrypt(app: AppHandle, passphrase: String) -> Reply<Encrypted> {
    blocking(move || {
        let desk = require_step(&app, VaultStep::Encrypt)?;
        let vault = app.state::<Vault>();
        let key = vault::encrypt_plain(vault.path_of(desk), desk.role(), &passphrase, KDF)?;
        open_session(&app, desk, key)?;
        let removed = match app.try_state::<crate::state::AppState>() {
            Some(state) if desk == Desk::Office => state.store()?.retire_plain_backups()?,
            _ => 0,
        };
        Ok(Encrypted { removed_backups: u32::try_from(removed).unwrap_or(u32::MAX) })
    })
    .await
}

fn open_encrypted<R: tauri::Runtime>(app: &AppHandle<R>) -> Reply<PathBuf> {
    let vault = app.state::<Vault>();
    vault.gate.check()?;
    match app.try_state::<Session>() {
        Some(session) if session.key != DbKey::Plain => Ok(vault.path_of(session.desk).to_path_buf()),
        Some(_) => Err(refused(ErrorCode::PassphraseRequired, "", "演示数据没有口令")),
        None => Err(crate::state::not_open()),
    }
}

/// A new passphrase (the old one is needed). The data is not re-encrypted: only the key file's
/// passphrase wrap is rewritten.
#[tauri::command]
pub async fn passphrase_change(app: AppHandle, old: String, new: String) -> Reply<()> {
    blocking(move || {
        let db = open_encrypted(&app)?;
        Ok(vault::change_passphrase(&db, &old, &new, KDF)?)
    })
    .await
}

/// 锁定: the lock screen now (also what the UI calls when its idle timer runs out).
#[tauri::command]
pub fn lock_now(vault: State<'_, Vault>) -> bool {
    vault.gate.lock();
    vault.gate.is_locked()
}

/// The UI saw keyboard or mouse activity (sent at most every half minute). Returns whether the
/// app is still unlocked; false once the idle time ran out (the lock screen then shows).
#[tauri::command]
pub fn vault_touch(vault: State<'_, Vault>) -> bool {
    vault.gate.touch_at(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs()))
}

/// The office's idle-lock minutes (0: never), kept in the office database.
#[tauri::command]
pub fn idle_lock_set(state: Unlocked<'_>, vault: State<'_, Vault>, minutes: u32) -> Reply<u32> {
    let minutes = state.store()?.set_idle_lock_minutes(minutes)?;
    vault.gate.set_minutes(minutes);
    Ok(minutes)
}

/// A recovery file found in a folder (on the stick).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RecoveryFile {
    pub name: String,
    pub path: String,
    /// `request` (the officer's, for the station) or `response` (the station's answer).
    pub kind: String,
}

/// The recovery files directly in `dir`.
#[tauri::command]
pub fn recovery_files(dir: String) -> Reply<Vec<RecoveryFile>> {
    let dir = PathBuf::from(dir);
    media::require_folder(&dir)?;
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| refused(ErrorCode::Io, "dir", format!("无法读取文件夹 {}：{e}", dir.display())))?;
    let mut out: Vec<RecoveryFile> = entries
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let kind = match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
                Some(REQUEST_EXT) => "request",
                Some(RESPONSE_EXT) => "response",
                _ => return None,
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            (!name.starts_with('.') && path.is_file()).then(|| RecoveryFile {
                name,
                path: path.display().to_string(),
                kind: kind.to_string(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// The office code at the front of a key file's label ("CYH-01 翠月湖村警务室"), fit for a
/// file name.
fn code_of(label: &str) -> String {
    let code: String = label
        .split_whitespace()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if code.is_empty() { "office".to_string() } else { code }
}

/// 忘记口令: the request for the station, written to `dir` (the stick). Needs no passphrase and
/// holds nothing a finder of the stick could use; needs the office to have been enrolled.
#[tauri::command]
pub fn recovery_request_write(vault: State<'_, Vault>, dir: String) -> Reply<String> {
    let db = &vault.real_office;
    let bytes = vault::recovery_request(db)?;
    let label = vault::recovery_request_label(&bytes)?;
    let name = format!("{}-recovery.{REQUEST_EXT}", code_of(&label));
    let written = media::write_sync_file(Path::new(&dir), &name, &bytes)?;
    Ok(written.display().to_string())
}

/// Back from the station: its answer, the code the clerk gave in person, and a new passphrase
/// (typed twice in the UI); then the database opens with it.
#[tauri::command]
pub async fn vault_recover(
    app: AppHandle,
    response: String,
    code: String,
    new_passphrase: String,
) -> Reply<VaultStatus> {
    blocking(move || {
        let desk = require_step(&app, VaultStep::Unlock)?;
        if desk != Desk::Office {
            return Err(refused(ErrorCode::KeyFileRefused, "", "汇总站请用建站时的恢复码重设口令"));
        }
        let (_, bytes) = media::read_sync_file(Path::new(&response))?;
        let db = app.state::<Vault>().real_office.clone();
        vault::recover(&db, &bytes, code.trim(), &new_passphrase, KDF)?;
        let key = vault::unlock(&db, &new_passphrase)?;
        open_session(&app, Desk::Office, key)?;
        Ok(status(&app))
    })
    .await
}

/// Station clerk who forgot the station's passphrase: the 恢复码 printed at station set-up and a
/// new passphrase; then the station opens with it.
#[tauri::command]
pub async fn station_reset_with_code(app: AppHandle, code: String, new_passphrase: String) -> Reply<VaultStatus> {
    blocking(move || {
        let desk = require_step(&app, VaultStep::Unlock)?;
        if desk != Desk::Station {
            return Err(refused(ErrorCode::KeyFileRefused, "", "警务室忘记口令请经汇总站找回"));
        }
        let db = app.state::<Vault>().real_station.clone();
        vault::reset_with_code(&db, code.trim(), &new_passphrase, KDF)?;
        let key = vault::unlock(&db, &new_passphrase)?;
        open_session(&app, Desk::Station, key)?;
        Ok(status(&app))
    })
    .await
}

/// The station's answer to an office's recovery request: written beside the request (on the
/// stick); the one-time code is shown to the clerk, who tells the officer in person, and is in
/// no file.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct RecoveryAnswer {
    /// The office the request names ("CYH-01 翠月湖村警务室").
    pub label: String,
    pub code: String,
    pub response_path: String,
}

/// Async (Argon2id seals the key under the code): the unlocked state is taken on the blocking
/// thread through the same rule as every data command (`state::unlocked`).
#[tauri::command]
pub async fn station_recovery_answer(app: AppHandle, request: String) -> Reply<RecoveryAnswer> {
    blocking(move || {
        let state = unlocked(&app)?;
        let station = state.station()?;
        let path = PathBuf::from(request);
        let (_, bytes) = media::read_sync_file(&path)?;
        let label = vault::recovery_request_label(&bytes)?;
        let (response, code) = station.answer_recovery(&bytes, KDF)?;
        let dir =
            path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let name = format!("{}-recovery.{RESPONSE_EXT}", code_of(&label));
        let written = media::write_sync_file(&dir, &name, &response)?;
        Ok(RecoveryAnswer { label, code, response_path: written.display().to_string() })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_files_are_named_by_the_office_code() {
        assert_eq!(code_of("CYH-01 翠月湖村警务室"), "CYH-01");
        assert_eq!(code_of(""), "office");
        assert_eq!(code_of("../x 名"), "x");
    }
}
