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

pub use ipc_error::IpcError;

use tauri::Manager;

pub fn run() {
    let result = tauri::Builder::default()
        .setup(|app| {
            // A restore asked for before the restart happens now, before the database is opened;
            // a damaged database leaves the app in recovery mode (only the startup commands
            // answer) instead of crashing.
            let stamp = chrono::Local::now().fixed_offset().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            let status = cunjing_core::backup::startup_check(&state::database_path()?, &stamp);
            let damaged = status.damaged.is_some();
            app.manage(status);
            if !damaged {
                app.manage(state::AppState::open()?);
                // The daily backup, off the UI's way (a big office takes seconds).
                let handle = app.handle().clone();
                std::thread::spawn(move || {
                    if let Err(e) = handle.state::<state::AppState>().store.backup_if_older_than(24) {
                        eprintln!("每日自动备份失败 / daily backup failed: {e}");
                    }
                });
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
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
            sync_commands::station_init,
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
                    && let Err(e) = state.store.backup_rotated()
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
