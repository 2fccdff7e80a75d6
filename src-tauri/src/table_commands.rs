//! Spreadsheet commands (issue 9): check and import a file the user chose (its bytes), write
//! the refused rows out, export a register or a county table. Each calls cunjing-table once;
//! files are written to the documents folder (村警台账表格) unless a folder is given.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use cunjing_core::RegisterKind;
use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::{CoreError, SystemClock};
use cunjing_table::{
    ExportQuery, ImportOptions, RefusedRowsFile, StationTable, TableExport, TableFile, TableImportReport, TableMapping,
};

use crate::ipc_error::IpcError;
use crate::state::Unlocked;

type Reply<T> = Result<T, IpcError>;

/// `~/Documents/村警台账表格` (or beside the database when there is no documents folder), or `folder`.
fn folder(db: &Path, folder: Option<String>) -> Reply<PathBuf> {
    let dir = match folder.filter(|f| !f.trim().is_empty()) {
        Some(f) => PathBuf::from(f),
        None => directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(Path::to_path_buf))
            .unwrap_or_else(|| db.parent().map(Path::to_path_buf).unwrap_or_default())
            .join("村警台账表格"),
    };
    std::fs::create_dir_all(&dir).map_err(|e| IpcError::from(CoreError::Io(e)))?;
    Ok(dir)
}

/// Reads, maps and checks a file without writing anything: what the import would do.
#[tauri::command]
pub fn table_import_check(
    state: Unlocked<'_>,
    register: RegisterKind,
    name: String,
    bytes: Vec<u8>,
    mapping: Option<TableMapping>,
) -> Reply<TableImportReport> {
    let opts = ImportOptions { mapping, dry_run: true };
    Ok(cunjing_table::import_file(state.store()?, register, &TableFile { name, bytes }, &opts)?)
}

/// Imports the accepted rows in one transaction.
#[tauri::command]
pub fn table_import(
    state: Unlocked<'_>,
    register: RegisterKind,
    name: String,
    bytes: Vec<u8>,
    mapping: Option<TableMapping>,
) -> Reply<TableImportReport> {
    let opts = ImportOptions { mapping, dry_run: false };
    Ok(cunjing_table::import_file(state.store()?, register, &TableFile { name, bytes }, &opts)?)
}

/// Writes the rows the file's check refuses to a sheet to correct and import again.
#[tauri::command]
pub fn table_refused_save(
    state: Unlocked<'_>,
    register: RegisterKind,
    name: String,
    bytes: Vec<u8>,
    mapping: Option<TableMapping>,
    folder_path: Option<String>,
) -> Reply<RefusedRowsFile> {
    let out = folder(state.store()?.path(), folder_path)?.join(cunjing_table::refused_file_name(&name));
    Ok(cunjing_table::write_refused(state.store()?, register, &TableFile { name, bytes }, mapping, &out)?)
}

/// Exports a register (or the records a search finds in it) as `xlsx` or `csv`.
#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub fn table_export(
    state: Unlocked<'_>,
    register: RegisterKind,
    format: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    search: Option<String>,
    restricted: bool,
    folder_path: Option<String>,
) -> Reply<TableExport> {
    let store = state.store()?;
    let out =
        folder(store.path(), folder_path)?.join(cunjing_table::file_name(register.label_zh(), store.today(), &format));
    let q = ExportQuery { from, to, search, allow_restricted: restricted };
    Ok(cunjing_table::export_register(store, register, &q, &out)?)
}

/// Exports a county table (station mode) as `xlsx` or `csv`.
#[tauri::command]
pub fn station_table_export(
    state: Unlocked<'_>,
    table: StationTable,
    format: String,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    folder_path: Option<String>,
) -> Reply<TableExport> {
    // The app's clock (the station database has no office, so no store's today).
    let today = cunjing_core::Clock::today(&SystemClock);
    let out =
        folder(state.station()?.path(), folder_path)?.join(cunjing_table::file_name(table.label_zh(), today, &format));
    Ok(cunjing_table::export_station_table(state.station()?, table, from, to, &out)?)
}
