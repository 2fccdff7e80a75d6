//! The app's state, in two parts (issue 7: the databases are encrypted, so nothing can be opened
//! before the officer types the passphrase):
//!
//! - [`Vault`], managed in `setup()`: where the databases are, which one this machine opens
//!   ([`Desk`]), and the lock [`Gate`]. The vault commands (status, first-start setup, unlock,
//!   encrypt, recovery) use only this.
//! - [`Session`] and [`AppState`], managed once the key is known (after unlock, first-start
//!   setup or encryption; at once for the demo): the start-up check's result and the key, then
//!   the open store. Tauri allows managing state at run time, and each is managed exactly once.
//!
//! Every data command takes [`Unlocked`] instead of the state itself: the one place that refuses
//! with `ErrorCode::Locked` while the app is locked (or not yet unlocked).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use cunjing_core::backup::StartupStatus;
use cunjing_core::station::StationStore;
use cunjing_core::vault::{self, DbKey, KeyFileRole, Protection};
use cunjing_core::{CoreError, ErrorCode, Store, SystemClock};
use serde::Serialize;
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::{Manager, Runtime};
use ts_rs::TS;

use crate::ipc_error::IpcError;

/// The office database: `CUNJING_DB` when set (tests, a second office on one machine), else the
/// OS data directory shared with the `cunjing` CLI.
pub fn database_path() -> Result<PathBuf, String> {
    match std::env::var_os("CUNJING_DB") {
        Some(p) => Ok(PathBuf::from(p)),
        None => cunjing_core::paths::default_database_path()
            .ok_or_else(|| "找不到本机的用户数据目录 / no user data directory".to_string()),
    }
}

/// Minutes of inactivity before the lock when the database keeps no setting (station mode).
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 10;

/// The backend locks this much after the UI should have (the UI's own timer locks first; this
/// is the backstop for a UI whose timer did not run, e.g. across a suspend).
const BACKSTOP_GRACE_SECS: u64 = 60;

/// Which database this machine works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Desk {
    /// A village police office (the usual case).
    Office,
    /// The county station (station mode).
    Station,
}

impl Desk {
    pub fn role(self) -> KeyFileRole {
        match self {
            Desk::Office => KeyFileRole::Office,
            Desk::Station => KeyFileRole::Station,
        }
    }
}

/// What the first screen must be, decided from the files on disk before anything is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VaultStep {
    /// Nothing set up yet: first-start setup (office or station) with a new passphrase.
    Setup,
    /// An encrypted database: the passphrase opens it.
    Unlock,
    /// A database written before encryption existed: it is encrypted (a new passphrase) first.
    Encrypt,
    /// Open (unlocked, or the demo, which has no passphrase).
    Open,
}

/// What the files on disk say, before any is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub office: Protection,
    /// A plain office file that holds an office (or could not be read, so it is not empty).
    pub office_in_use: bool,
    pub station: Protection,
    /// A plain station file that holds an initialised station (or could not be read).
    pub station_in_use: bool,
}

/// The rule: an encrypted office, else an encrypted station, else a plain office in use, else a
/// plain station in use; otherwise first start. (Older builds left an empty `station.db` on
/// every office machine and an empty `office.db` on every station machine: those do not count.)
pub fn plan(found: Found) -> (VaultStep, Desk) {
    use Protection::{Encrypted, Plain};
    match found {
        Found { office: Encrypted, .. } => (VaultStep::Unlock, Desk::Office),
        Found { station: Encrypted, .. } => (VaultStep::Unlock, Desk::Station),
        Found { office: Plain, office_in_use: true, .. } => (VaultStep::Encrypt, Desk::Office),
        Found { station: Plain, station_in_use: true, .. } => (VaultStep::Encrypt, Desk::Station),
        _ => (VaultStep::Setup, Desk::Office),
    }
}

/// The idle lock, shared by the vault commands and the [`Unlocked`] extractor.
#[derive(Debug, Default)]
pub struct Gate {
    /// An encrypted session is open (the demo's is not: nothing to lock).
    lockable: AtomicBool,
    locked: AtomicBool,
    /// 0: never locks by itself.
    minutes: AtomicU32,
    /// Seconds since the epoch of the last activity the UI reported.
    last_activity: AtomicU64,
}

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Gate {
    /// A session was opened: unlocked, with the office's idle minutes; `lockable` is false for
    /// the demo (no passphrase to ask for).
    pub fn open(&self, lockable: bool, minutes: u32) {
        self.lockable.store(lockable, Ordering::SeqCst);
        self.minutes.store(minutes, Ordering::SeqCst);
        self.last_activity.store(now_secs(), Ordering::SeqCst);
        self.locked.store(false, Ordering::SeqCst);
    }

    pub fn lockable(&self) -> bool {
        self.lockable.load(Ordering::SeqCst)
    }

    pub fn minutes(&self) -> u32 {
        self.minutes.load(Ordering::SeqCst)
    }

    pub fn set_minutes(&self, minutes: u32) {
        self.minutes.store(minutes, Ordering::SeqCst);
    }

    pub fn lock(&self) {
        if self.lockable() {
            self.locked.store(true, Ordering::SeqCst);
        }
    }

    pub fn unlock(&self) {
        self.last_activity.store(now_secs(), Ordering::SeqCst);
        self.locked.store(false, Ordering::SeqCst);
    }

    /// Locked now: by `lock`, or because no activity came for longer than the idle minutes
    /// (plus a grace: the UI locks first). `now` is seconds since the epoch.
    pub fn is_locked_at(&self, now: u64) -> bool {
        if !self.lockable() {
            return false;
        }
        if self.locked.load(Ordering::SeqCst) {
            return true;
        }
        let minutes = u64::from(self.minutes());
        let idle = now.saturating_sub(self.last_activity.load(Ordering::SeqCst));
        if minutes > 0 && idle > minutes * 60 + BACKSTOP_GRACE_SECS {
            self.locked.store(true, Ordering::SeqCst);
            return true;
        }
        false
    }

    pub fn is_locked(&self) -> bool {
        self.is_locked_at(now_secs())
    }

    /// The UI saw keyboard or mouse activity. Refused (stays locked) once locked.
    pub fn touch_at(&self, now: u64) -> bool {
        if self.is_locked_at(now) {
            return false;
        }
        self.last_activity.store(now, Ordering::SeqCst);
        true
    }

    /// The refusal every data command gives while locked.
    pub fn check(&self) -> Result<(), IpcError> {
        if self.is_locked() { Err(locked()) } else { Ok(()) }
    }
}

pub fn locked() -> IpcError {
    CoreError::refused(ErrorCode::Locked, "", "已锁定：请输入口令解锁").into()
}

pub fn not_open() -> IpcError {
    CoreError::refused(ErrorCode::Locked, "", "数据库尚未打开：请先输入口令（或完成首次设置）").into()
}

/// Managed in `setup()`: paths, the desk, the lock gate.
pub struct Vault {
    /// The real office database (also while the demo is open: the way back).
    pub real_office: PathBuf,
    pub real_station: PathBuf,
    /// "用演示数据体验": the demo's own, plain files are open instead of the real ones.
    pub demo: bool,
    /// The database the demo opens instead of the real office (when `demo`).
    pub demo_office: PathBuf,
    pub gate: Arc<Gate>,
    /// Held while a session is being opened (two unlocks at once open one session).
    opening: Mutex<()>,
}

impl Vault {
    pub fn new() -> Result<Vault, String> {
        let real_office = database_path()?;
        if let Some(dir) = real_office.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("无法创建数据目录 {}：{e}", dir.display()))?;
        }
        // Beside the office database unless CUNJING_STATION_DB says otherwise (tests).
        let real_station = match std::env::var_os("CUNJING_STATION_DB") {
            Some(p) => PathBuf::from(p),
            None => real_office.with_file_name("station.db"),
        };
        let dbs = cunjing_core::demo::app::databases(&real_office, &real_station);
        Ok(Vault {
            real_office,
            real_station,
            demo: dbs.demo,
            demo_office: dbs.office,
            gate: Arc::new(Gate::default()),
            opening: Mutex::new(()),
        })
    }

    pub fn path_of(&self, desk: Desk) -> &Path {
        match desk {
            Desk::Office => &self.real_office,
            Desk::Station => &self.real_station,
        }
    }

    /// The files as found now. A plain file is opened (in the clear) only to see whether it is
    /// in use; a file that cannot be read counts as in use (it is never thrown away).
    pub fn found(&self) -> Found {
        let clock = || Arc::new(SystemClock);
        let office = vault::protection(&self.real_office);
        let station = vault::protection(&self.real_station);
        let office_in_use = office == Protection::Plain
            && Store::open(&self.real_office, &DbKey::Plain, clock()).and_then(|s| s.has_office()).unwrap_or(true);
        let station_in_use = station == Protection::Plain
            && StationStore::open(&self.real_station, &DbKey::Plain, clock())
                .and_then(|s| s.station_info())
                .map_or(true, |info| info.is_some());
        Found { office, office_in_use, station, station_in_use }
    }

    pub fn plan(&self) -> (VaultStep, Desk) {
        plan(self.found())
    }

    /// First start on a machine where an older build left an empty plain file at `path`
    /// (checked empty by [`Vault::found`]): it goes, so the new encrypted one can be made.
    pub fn clear_empty_leftover(&self, desk: Desk) -> Result<(), IpcError> {
        let found = self.found();
        let (protection, in_use) = match desk {
            Desk::Office => (found.office, found.office_in_use),
            Desk::Station => (found.station, found.station_in_use),
        };
        if protection == Protection::Plain && !in_use {
            let path = self.path_of(desk);
            for suffix in ["", "-wal", "-shm"] {
                let file = PathBuf::from(format!("{}{suffix}", path.display()));
                if file.exists() {
                    std::fs::remove_file(&file).map_err(|e| {
                        IpcError::from(CoreError::refused(
                            ErrorCode::Io,
                            "",
                            format!("无法移除 {}：{e}", file.display()),
                        ))
                    })?;
                }
            }
        }
        Ok(())
    }
}

/// The start-up check's result and the key it ran with; managed once the key is known (also in
/// recovery mode, when the office database is damaged and no [`AppState`] opens).
pub struct Session {
    pub desk: Desk,
    pub key: DbKey,
    pub status: StartupStatus,
}

/// The open database of this machine.
pub enum Open {
    Office(Store),
    Station(StationStore),
}

/// Managed once the database is open.
pub struct AppState {
    pub open: Open,
    /// "用演示数据体验": the demo's own file (演示), not the real one.
    pub demo: bool,
    /// The station database's path (shown in station mode).
    pub station_path: PathBuf,
}

impl AppState {
    /// The office's store; refused on a station machine.
    pub fn store(&self) -> Result<&Store, IpcError> {
        match &self.open {
            Open::Office(store) => Ok(store),
            Open::Station(_) => Err(CoreError::refused(ErrorCode::NoOffice, "", "本机是汇总站，没有警务室台账").into()),
        }
    }

    /// The station's store; refused on an office machine.
    pub fn station(&self) -> Result<&StationStore, IpcError> {
        match &self.open {
            Open::Station(station) => Ok(station),
            Open::Office(_) => Err(CoreError::refused(ErrorCode::NoStation, "", "本机是警务室，不是汇总站").into()),
        }
    }
}

/// The open state, for a data command: refused with `locked` while the app is locked or before
/// the database was opened. Commands take this instead of `State<AppState>`.
pub struct Unlocked<'r>(&'r AppState);

impl std::ops::Deref for Unlocked<'_> {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        self.0
    }
}

/// The rule, in one place: the open state, unless the app is locked or not yet open.
pub fn unlocked<'r, R: Runtime, M: Manager<R>>(manager: &'r M) -> Result<Unlocked<'r>, IpcError> {
    if let Some(vault) = manager.try_state::<Vault>() {
        vault.gate.check()?;
    }
    match manager.try_state::<AppState>() {
        Some(state) => Ok(Unlocked(state.inner())),
        None => Err(not_open()),
    }
}

impl<'r, 'de: 'r, R: Runtime> CommandArg<'de, R> for Unlocked<'r> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        unlocked(command.message.webview_ref()).map_err(InvokeError::from)
    }
}

/// Opens the database of `desk` with `key` and manages the session: the start-up check first (a
/// pending restore, then the quick check; a damaged office database leaves the app in recovery
/// mode), then the store, the idle lock's minutes and the daily backup.
pub fn open_session<R: Runtime>(app: &tauri::AppHandle<R>, desk: Desk, key: DbKey) -> Result<(), IpcError> {
    let vault = app.state::<Vault>();
    let _opening = vault.opening.lock().unwrap_or_else(|p| p.into_inner());
    if app.try_state::<Session>().is_some() {
        return Ok(()); // opened by a call that got here first
    }
    let clock = || Arc::new(SystemClock);
    let (path, station_path) = match (desk, vault.demo) {
        (Desk::Office, true) => (vault.demo_office.clone(), vault.real_station.clone()),
        _ => (vault.path_of(desk).to_path_buf(), vault.real_station.clone()),
    };
    let status = match desk {
        Desk::Office => {
            let stamp = chrono::Local::now().fixed_offset().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            cunjing_core::backup::startup_check(&path, &stamp, &key)
        }
        Desk::Station => StartupStatus {
            damaged: None,
            newest_good_backup: None,
            restored_from: None,
            restore_refused: None,
            database_path: path.display().to_string(),
        },
    };
    if status.damaged.is_some() {
        app.manage(Session { desk, key, status });
        return Ok(());
    }
    let (open, minutes) = match desk {
        Desk::Office => {
            let store = Store::open_or_create(&path, &key, clock())?;
            let minutes = if store.has_office()? { store.idle_lock_minutes()? } else { DEFAULT_IDLE_LOCK_MINUTES };
            (Open::Office(store), minutes)
        }
        Desk::Station => (Open::Station(StationStore::open(&path, &key, clock())?), DEFAULT_IDLE_LOCK_MINUTES),
    };
    let encrypted = key.is_encrypted();
    app.manage(Session { desk, key, status });
    app.manage(AppState { open, demo: vault.demo, station_path });
    vault.gate.open(encrypted && !vault.demo, minutes);
    if desk == Desk::Office {
        // The daily backup, off the UI's way (a big office takes seconds).
        let handle = app.clone();
        std::thread::spawn(move || {
            let state = handle.state::<AppState>();
            if let Ok(store) = state.store()
                && let Err(e) = store.backup_if_older_than(24)
            {
                eprintln!("每日自动备份失败 / daily backup failed: {e}");
            }
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_refuses_while_locked_and_after_the_idle_time() {
        let gate = Gate::default();
        // Before a session, or for the demo, there is nothing to lock.
        gate.open(false, 10);
        gate.lock();
        assert!(gate.check().is_ok(), "the demo never locks");

        gate.open(true, 10);
        assert!(gate.check().is_ok());
        gate.lock();
        let refused = gate.check().expect_err("locked");
        assert_eq!(refused.code, ErrorCode::Locked);
        assert!(refused.message.contains("已锁定"));
        assert!(!gate.touch_at(now_secs()), "activity does not unlock");
        gate.unlock();
        assert!(gate.check().is_ok());

        // Idle: the UI's timer locks at 10 minutes; the gate itself after 10 minutes and the grace.
        let start = now_secs();
        assert!(gate.touch_at(start));
        assert!(!gate.is_locked_at(start + 10 * 60));
        assert!(gate.touch_at(start + 10 * 60), "activity in time keeps it open");
        assert!(!gate.is_locked_at(start + 20 * 60 + BACKSTOP_GRACE_SECS));
        assert!(gate.is_locked_at(start + 20 * 60 + BACKSTOP_GRACE_SECS + 1));
        assert!(gate.is_locked_at(start), "stays locked until unlocked");
        gate.unlock();

        // 0 minutes: no idle lock, but 锁定 still locks.
        gate.set_minutes(0);
        assert!(!gate.is_locked_at(now_secs() + 100 * 3600));
        gate.lock();
        assert!(gate.is_locked());
    }

    /// The files of a start, as `Vault::found` sees them on disk: first start, an older build's
    /// empty file (cleared for setup), an older plain office (encrypt), an encrypted one (unlock).
    #[test]
    fn the_vault_reads_the_files_on_disk() {
        let dir = std::env::temp_dir().join(format!("cunjing-vault-{}-{}", std::process::id(), now_secs()));
        std::fs::create_dir_all(&dir).expect("dir");
        let office = dir.join("office.db");
        let vault = Vault {
            real_office: office.clone(),
            real_station: dir.join("station.db"),
            demo: false,
            demo_office: dir.join("demo.db"),
            gate: Arc::new(Gate::default()),
            opening: Mutex::new(()),
        };
        let clock = || Arc::new(SystemClock);
        assert_eq!(vault.plan(), (VaultStep::Setup, Desk::Office));

        // An older build made an empty plain office.db at every start: still first start, and
        // setup clears it (the station side's leftover likewise).
        drop(Store::open_or_create(&office, &DbKey::Plain, clock()).expect("empty"));
        drop(StationStore::open_or_create(&vault.real_station, &DbKey::Plain, clock()).expect("empty station"));
        assert_eq!(vault.plan(), (VaultStep::Setup, Desk::Office));
        vault.clear_empty_leftover(Desk::Office).expect("cleared");
        assert!(!office.exists());
        assert!(vault.real_station.exists(), "only the desk being set up is cleared");

        // An older plain office in use: encrypt first; then the passphrase opens it.
        let new = cunjing_core::NewOffice {
            code: "CYH-01".into(),
            name: "翠月湖村警务室".into(),
            officer: "李建国".into(),
            ..Default::default()
        };
        drop(Store::create(&office, &new, &DbKey::Plain, clock()).expect("plain office"));
        vault.clear_empty_leftover(Desk::Office).expect("nothing to clear");
        assert!(office.exists(), "an office in use is never cleared");
        assert_eq!(vault.plan(), (VaultStep::Encrypt, Desk::Office));
        let key = vault::encrypt_plain(&office, KeyFileRole::Office, "翠月湖村警务室2026", vault::KdfParams::DEFAULT)
            .expect("encrypted");
        assert_eq!(vault.plan(), (VaultStep::Unlock, Desk::Office));
        assert_eq!(vault::unlock(&office, "翠月湖村警务室2026").expect("unlocks"), key);
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn the_plan_prefers_encrypted_files_and_ignores_empty_leftovers() {
        use Protection::{Encrypted, Missing, Plain};
        let found =
            |office, office_in_use, station, station_in_use| Found { office, office_in_use, station, station_in_use };
        assert_eq!(plan(found(Missing, false, Missing, false)), (VaultStep::Setup, Desk::Office));
        assert_eq!(plan(found(Encrypted, false, Plain, false)), (VaultStep::Unlock, Desk::Office));
        assert_eq!(plan(found(Plain, false, Encrypted, false)), (VaultStep::Unlock, Desk::Station));
        assert_eq!(plan(found(Plain, true, Plain, false)), (VaultStep::Encrypt, Desk::Office));
        assert_eq!(plan(found(Plain, false, Plain, true)), (VaultStep::Encrypt, Desk::Station));
        // An older build's empty files on both sides: first start.
        assert_eq!(plan(found(Plain, false, Plain, false)), (VaultStep::Setup, Desk::Office));
    }
}
