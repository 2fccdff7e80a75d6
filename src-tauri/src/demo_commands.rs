//! "用演示数据体验": into the demo's own database and back (cunjing_core::demo::app). The app
//! restarts to switch; the demo's file is plain (made-up people), so it opens in `setup()`
//! without a passphrase and never locks.

use std::sync::Arc;

use cunjing_core::SystemClock;
use tauri::{AppHandle, State};

use crate::ipc_error::IpcError;
use crate::state::Vault;

/// Makes the demo office (first time: a few seconds) and restarts into it.
#[tauri::command]
pub fn demo_enter(app: AppHandle, vault: State<'_, Vault>) -> Result<(), IpcError> {
    cunjing_core::demo::app::enter(&vault.real_office, Arc::new(SystemClock))?;
    app.restart()
}

/// Back to the real office: restarts on the real database (the demo stays for another visit).
#[tauri::command]
pub fn demo_leave(app: AppHandle, vault: State<'_, Vault>) -> Result<(), IpcError> {
    cunjing_core::demo::app::leave(&vault.real_office)?;
    app.restart()
}
