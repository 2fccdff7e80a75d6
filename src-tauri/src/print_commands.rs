//! Printing commands: preview (SVG pages), save as PDF, hand the PDF to the system's printing,
//! and the wall display's profile and photo. Each calls cunjing-print or the core once.

use std::path::{Path, PathBuf};

use cunjing_core::CoreError;
use cunjing_core::store::PrintProfile;
use cunjing_print::{DocumentInfo, PrintRequest};
use serde::Serialize;
use ts_rs::TS;

use crate::ipc_error::IpcError;
use crate::state::{AppState, Unlocked};

type Reply<T> = Result<T, IpcError>;

/// A preview: the document's facts and its first pages as SVG.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PrintPreview {
    pub info: DocumentInfo,
    pub pages: Vec<String>,
}

/// Where a PDF was written, and whether it went to the printer (or was opened for printing).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct SavedPdf {
    pub info: DocumentInfo,
    pub path: String,
    /// `lp` (sent to the default printer), `print_verb` (Windows' print), `opened` (in the PDF
    /// viewer, to print from there) or `saved` (not handed on).
    pub handed_to: String,
}

/// At most this many pages are previewed (a 200-page ledger previews its first pages).
const PREVIEW_PAGES: usize = 12;

#[tauri::command]
pub fn print_preview(state: Unlocked<'_>, request: PrintRequest) -> Reply<PrintPreview> {
    let store = state.store()?;
    let doc = cunjing_print::job(store, &request)?.render(store, PREVIEW_PAGES)?;
    Ok(PrintPreview { info: doc.info(), pages: doc.svg_pages })
}

/// Saves the PDF in the user's documents folder (村警台账打印), or in `folder` when given.
#[tauri::command]
pub fn print_save(state: Unlocked<'_>, request: PrintRequest, folder: Option<String>) -> Reply<SavedPdf> {
    let (info, path) = save(&state, &request, folder)?;
    Ok(SavedPdf { info, path: path.display().to_string(), handed_to: "saved".into() })
}

/// Saves the PDF and hands it to the system's printing.
#[tauri::command]
pub fn print_send(state: Unlocked<'_>, request: PrintRequest) -> Reply<SavedPdf> {
    let (info, path) = save(&state, &request, None)?;
    let handed_to = hand_to_printer(&path).map_err(|e| IpcError::from(CoreError::Io(e)))?;
    Ok(SavedPdf { info, path: path.display().to_string(), handed_to: handed_to.into() })
}

#[tauri::command]
pub fn print_profile_get(state: Unlocked<'_>) -> Reply<PrintProfile> {
    Ok(state.store()?.print_profile()?)
}

#[tauri::command]
pub fn print_profile_set(state: Unlocked<'_>, profile: PrintProfile) -> Reply<PrintProfile> {
    Ok(state.store()?.set_print_profile(&profile)?)
}

/// The officer's photo bytes (PNG or JPEG), if any.
#[tauri::command]
pub fn officer_photo_get(state: Unlocked<'_>) -> Reply<Option<Vec<u8>>> {
    Ok(state.store()?.officer_photo()?)
}

/// Sets the photo (bytes of the chosen file), or removes it with `null`.
#[tauri::command]
pub fn officer_photo_set(state: Unlocked<'_>, photo: Option<Vec<u8>>) -> Reply<()> {
    Ok(state.store()?.set_officer_photo(photo.as_deref())?)
}

fn save(state: &AppState, request: &PrintRequest, folder: Option<String>) -> Reply<(DocumentInfo, PathBuf)> {
    let store = state.store()?;
    let doc = cunjing_print::job(store, request)?.render(store, 0)?;
    let dir = match folder.filter(|f| !f.trim().is_empty()) {
        Some(f) => PathBuf::from(f),
        None => default_folder(store.path()),
    };
    let io = |e: std::io::Error| IpcError::from(CoreError::Io(e));
    std::fs::create_dir_all(&dir).map_err(io)?;
    let path = dir.join(&doc.file_name);
    std::fs::write(&path, &doc.pdf).map_err(io)?;
    Ok((doc.info(), path))
}

/// `~/Documents/村警台账打印` (or beside the database when there is no documents folder).
fn default_folder(db: &Path) -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(Path::to_path_buf))
        .unwrap_or_else(|| db.parent().map(Path::to_path_buf).unwrap_or_default())
        .join("村警台账打印")
}

/// Linux: `lp` to the default printer when CUPS has one, else the PDF viewer (xdg-open).
/// Windows: the shell's print verb for PDFs. Elsewhere: the default viewer.
fn hand_to_printer(path: &Path) -> std::io::Result<&'static str> {
    use std::process::{Command, Stdio};
    let quiet = |c: &mut Command| {
        c.stdout(Stdio::null()).stderr(Stdio::null());
    };
    if cfg!(windows) {
        let literal = path.display().to_string().replace('\'', "''");
        let mut c = Command::new("powershell");
        c.args(["-NoProfile", "-Command", &format!("Start-Process -FilePath '{literal}' -Verb Print")]);
        quiet(&mut c);
        c.spawn()?;
        return Ok("print_verb");
    }
    if cfg!(target_os = "linux") {
        let has_printer = Command::new("lpstat")
            .arg("-d")
            .output()
            .is_ok_and(|o| o.status.success() && !String::from_utf8_lossy(&o.stdout).contains("no system default"));
        if has_printer {
            let status = Command::new("lp").arg("--").arg(path).status()?;
            if status.success() {
                return Ok("lp");
            }
        }
        let mut c = Command::new("xdg-open");
        c.arg(path);
        quiet(&mut c);
        c.spawn()?;
        return Ok("opened");
    }
    let mut c = Command::new("open");
    c.arg(path);
    quiet(&mut c);
    c.spawn()?;
    Ok("opened")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_requests_cross_as_ipc_errors_with_their_field() {
        let err = IpcError::from(cunjing_print::Period::parse("2026-Q9").expect_err("bad period"));
        assert_eq!((err.code, err.field.as_str()), (cunjing_core::ErrorCode::InvalidDate, "period"));
    }
}
