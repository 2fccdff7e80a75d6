//! IPC commands of USB sync: the office's export/enroll/receipt flow and the station mode.
//! Each converts its arguments, calls one core function and converts the result.

use std::path::{Path, PathBuf};

use cunjing_core::station::{
    AddKeyOutcome, BundleFile, CountyPage, CountyQuery, EnrollmentFile, ImportReport, ReceiptFile, StationStatus,
};
use cunjing_core::sync::media::{self, SyncFileEntry};
use cunjing_core::sync::{
    EnrollOutcome, EnrollmentPreview, ExportMode, ExportResult, ReceiptOutcome, SyncStatus, preview_enrollment,
};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::drives::{Drive, removable_drives};
use crate::ipc_error::IpcError;
use crate::state::Unlocked;

type Reply<T> = Result<T, IpcError>;

/// Removable drives (USB sticks) plugged in now.
#[tauri::command]
pub fn drives_list() -> Vec<Drive> {
    removable_drives()
}

/// The sync files in a folder (on the stick).
#[tauri::command]
pub fn sync_files(dir: String) -> Reply<Vec<SyncFileEntry>> {
    Ok(media::list_sync_files(Path::new(&dir))?)
}

#[tauri::command]
pub fn sync_status(state: Unlocked<'_>) -> Reply<SyncStatus> {
    Ok(state.store()?.sync_status()?)
}

#[tauri::command]
pub fn enrollment_preview(path: String) -> Reply<EnrollmentPreview> {
    let (name, bytes) = media::read_sync_file(Path::new(&path))?;
    Ok(preview_enrollment(&bytes, &name)?)
}

/// An enrollment imported, and where its public key file was written (beside it, on the stick).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Enrolled {
    pub outcome: EnrollOutcome,
    pub key_file_path: String,
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[tauri::command]
pub fn sync_enroll(state: Unlocked<'_>, path: String) -> Reply<Enrolled> {
    let path = PathBuf::from(path);
    let (name, bytes) = media::read_sync_file(&path)?;
    let outcome = state.store()?.enroll(&bytes, &name)?;
    let written = media::write_sync_file(&folder_of(&path), &outcome.office_key_file_name, &outcome.office_key_file)?;
    Ok(Enrolled { outcome, key_file_path: written.display().to_string() })
}

#[tauri::command]
pub fn sync_export(state: Unlocked<'_>, dir: String, mode: ExportMode) -> Reply<ExportResult> {
    Ok(state.store()?.export_bundle(Path::new(&dir), mode)?)
}

#[tauri::command]
pub fn receipt_import(state: Unlocked<'_>, path: String) -> Reply<ReceiptOutcome> {
    let (name, bytes) = media::read_sync_file(Path::new(&path))?;
    Ok(state.store()?.import_receipt(&bytes, &name)?)
}

/// A file the station wrote for an office, and where.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Written<T: TS> {
    pub what: T,
    pub path: String,
}

#[tauri::command]
pub fn station_enroll(state: Unlocked<'_>, code: String, name: String, dir: String) -> Reply<Written<EnrollmentFile>> {
    media::require_folder(Path::new(&dir))?;
    let file = state.station()?.enroll_office(&code, &name)?;
    let path = media::write_sync_file(Path::new(&dir), &file.file_name, &file.bytes)?;
    Ok(Written { what: file, path: path.display().to_string() })
}

#[tauri::command]
pub fn station_add_key(state: Unlocked<'_>, path: String) -> Reply<AddKeyOutcome> {
    let (name, bytes) = media::read_sync_file(Path::new(&path))?;
    Ok(state.station()?.add_office_key(&bytes, &name)?)
}

#[tauri::command]
pub fn station_import(state: Unlocked<'_>, paths: Vec<String>, dry_run: bool) -> Reply<ImportReport> {
    let files = paths
        .iter()
        .map(|p| media::read_sync_file(Path::new(p)).map(|(name, bytes)| BundleFile { name, bytes }))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(state.station()?.import(&files, dry_run)?)
}

#[tauri::command]
pub fn station_status(state: Unlocked<'_>) -> Reply<StationStatus> {
    Ok(state.station()?.status()?)
}

#[tauri::command]
pub fn station_receipt(state: Unlocked<'_>, code: String, dir: String) -> Reply<Written<ReceiptFile>> {
    let receipt = state.station()?.receipt(&code)?;
    let path = media::write_sync_file(Path::new(&dir), &receipt.file_name, &receipt.bytes)?;
    Ok(Written { what: receipt, path: path.display().to_string() })
}

#[tauri::command]
pub fn county_records(state: Unlocked<'_>, query: CountyQuery) -> Reply<CountyPage> {
    Ok(state.station()?.county_records(&query)?)
}

#[tauri::command]
pub fn county_record(state: Unlocked<'_>, id: String) -> Reply<Value> {
    Ok(state.station()?.county_record(&id)?)
}
