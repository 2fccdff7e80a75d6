//! The Cunjing desktop app: a Tauri v2 shell around `cunjing-core`.

mod commands;
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
            let state = state::AppState::open()?;
            app.manage(state);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::office_setup,
            commands::office_update,
            commands::targets_get,
            commands::targets_set,
            commands::dashboard,
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
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("村警台账无法启动 / Cunjing could not start: {e}");
        std::process::exit(1);
    }
}
