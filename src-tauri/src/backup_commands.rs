//! Backups, restore and checks in the desktop app (issue 7). Each command is one core call; the
//! restore is left as a request and done at the next start-up, before the database is opened
//! (the running app cannot replace the file it has open), so the command restarts the app.

use std::path::Path;

use cunjing_core::backup::{BackupInfo, BackupListing, StartupStatus, backups_of, request_restore};
use cunjing_core::check::CheckReport;
use tauri::{AppHandle, Manager, State};

use crate::ipc_error::IpcError;
use crate::state::{Session, Unlocked};

type Reply<T> = Result<T, IpcError>;

/// A verified backup now: into the database's `backups/` (rotated) or into `folder` (a USB stick).
#[tauri::command]
pub fn backup_now(state: Unlocked<'_>, folder: Option<String>) -> Reply<BackupInfo> {
    Ok(match folder {
        Some(dir) => state.store()?.backup_into(Path::new(&dir))?,
        None => state.store()?.backup_rotated()?,
    })
}

#[tauri::command]
pub fn backups_list(state: Unlocked<'_>) -> Reply<Vec<BackupListing>> {
    Ok(backups_of(state.store()?.path())?)
}

#[tauri::command]
pub fn data_check(state: Unlocked<'_>) -> Reply<CheckReport> {
    Ok(state.store()?.check()?)
}

/// Verifies `file`, leaves the restore request and restarts the app to carry it out.
#[tauri::command]
pub fn restore_backup(app: AppHandle, state: Unlocked<'_>, file: String) -> Reply<BackupInfo> {
    let store = state.store()?;
    request_restore(store.path(), Path::new(&file), store.key())?;
    // Never returns: the app starts again and carries the restore out before opening the file.
    app.restart()
}

/// How this start went; refused (`locked`) until the database was opened with its passphrase.
#[tauri::command]
pub fn startup_status(app: AppHandle) -> Reply<StartupStatus> {
    match app.try_state::<Session>() {
        Some(session) => Ok(session.status.clone()),
        None => Err(crate::state::not_open()),
    }
}

/// In recovery mode: restore the newest good backup (the damaged file is kept beside it) and
/// restart.
#[tauri::command]
pub fn recovery_restore(app: AppHandle, session: State<'_, Session>) -> Reply<BackupInfo> {
    let Some(backup) = &session.status.newest_good_backup else {
        return Err(cunjing_core::CoreError::refused(
            cunjing_core::ErrorCode::BackupRefused,
            "",
            "没有可用的备份；请联系派出所，用汇总站的数据重建",
        )
        .into());
    };
    request_restore(Path::new(&session.status.database_path), Path::new(&backup.path), &session.key)?;
    app.restart()
}
