//! "用演示数据体验": into the demo's own database and back (cunjing_core::demo::app). The app
//! restarts to switch, so its state is always one store opened in `setup()`.

use std::sync::Arc;

use cunjing_core::SystemClock;
use tauri::{AppHandle, State};

use crate::ipc_error::IpcError;
use crate::state::AppState;

/// Makes the demo office (first time: a few seconds) and restarts into it.
#[tauri::command]
pub fn demo_enter(app: AppHandle, state: State<'_, AppState>) -> Result<(), IpcError> {
    cunjing_core::demo::app::enter(&state.real_database, Arc::new(SystemClock))?;
    app.restart()
}

/// Back to the real office: restarts on the real database (the demo stays for another visit).
#[tauri::command]
pub fn demo_leave(app: AppHandle, state: State<'_, AppState>) -> Result<(), IpcError> {
    cunjing_core::demo::app::leave(&state.real_database)?;
    app.restart()
}
