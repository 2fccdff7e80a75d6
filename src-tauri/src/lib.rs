//! The Cunjing desktop app: a Tauri v2 shell around `cunjing-core`.

mod backup_commands;
mod commands;
mod demo_commands;
mod drives;
mod ipc_error;
mod print_commands;
mod state;
mod sync_commands;
mod table_commands;
mod vault_commands;

pub use ipc_error::IpcError;

use tauri::Manager;

pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            // Nothing is opened here: the databases are encrypted and the officer has not typed
            // the passphrase yet. The vault (paths, which database, the lock) is all there is
            // until `vault_setup` / `vault_unlock` / `vault_encrypt` open the session. The demo's
            // file is plain (made-up people): it opens at once, without a passphrase.
            let vault = state::Vault::new()?;
            let demo = vault.demo;
            app.manage(vault);
            if demo {
                state::open_session(app.handle(), state::Desk::Office, cunjing_core::DbKey::Plain)
                    .map_err(|e| e.message)?;
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            vault_commands::vault_status,
            vault_commands::vault_setup,
            vault_commands::vault_setup_station,
            vault_commands::vault_unlock,
            vault_commands::vault_encrypt,
            vault_commands::passphrase_change,
            vault_commands::lock_now,
            vault_commands::vault_touch,
            vault_commands::idle_lock_set,
            vault_commands::recovery_files,
            vault_commands::recovery_request_write,
            vault_commands::vault_recover,
            vault_commands::station_reset_with_code,
            vault_commands::station_recovery_answer,
            demo_commands::demo_enter,
            demo_commands::demo_leave,
            commands::office_setup,
            commands::office_update,
            commands::targets_get,
            commands::targets_set,
            commands::dashboard,
            backup_commands::backup_now,
            backup_commands::backups_list,
            backup_commands::data_check,
            backup_commands::restore_backup,
            backup_commands::startup_status,
            backup_commands::recovery_restore,
            commands::assessment,
            commands::view_log,
            commands::code_lists_get,
            commands::record_add,
            commands::record_update,
            commands::record_void,
            commands::record_get,
            commands::record_list,
            commands::record_history,
            commands::search,
            sync_commands::drives_list,
            sync_commands::sync_files,
            sync_commands::sync_status,
            sync_commands::enrollment_preview,
            sync_commands::sync_enroll,
            sync_commands::sync_export,
            sync_commands::receipt_import,
            sync_commands::station_enroll,
            sync_commands::station_add_key,
            sync_commands::station_import,
            sync_commands::station_status,
            sync_commands::station_receipt,
            sync_commands::county_records,
            sync_commands::county_record,
            print_commands::print_preview,
            print_commands::print_save,
            print_commands::print_send,
            print_commands::print_profile_get,
            print_commands::print_profile_set,
            print_commands::officer_photo_get,
            print_commands::officer_photo_set,
            table_commands::table_import_check,
            table_commands::table_import,
            table_commands::table_refused_save,
            table_commands::table_export,
            table_commands::station_table_export,
        ])
        .build(tauri::generate_context!())
        .map(|app| {
            app.run(|handle, event| {
                // A backup on every close, as the paper books went into the cupboard each night.
                if let tauri::RunEvent::Exit = event
                    && let Some(state) = handle.try_state::<state::AppState>()
                    && let Ok(store) = state.store()
                    && let Err(e) = store.backup_rotated()
                {
                    eprintln!("关闭时备份失败 / backup on close failed: {e}");
                }
            })
        });
    if let Err(e) = result {
        eprintln!("村警台账无法启动 / Cunjing could not start: {e}");
        std::process::exit(1);
    }
}
