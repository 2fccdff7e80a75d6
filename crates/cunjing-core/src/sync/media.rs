//! Writing a file to removable media so that a pulled stick or a full disk never leaves a
//! half-written file under the real name: write a temporary file beside it, fsync, read it back
//! and let the caller verify the bytes, then rename and fsync the folder.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{CoreError, CoreResult, ErrorCode};

fn io_refusal(path: &Path, what: &str, e: &std::io::Error) -> CoreError {
    let hint = match e.kind() {
        std::io::ErrorKind::StorageFull => "（磁盘或 U 盘已满）",
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => "（没有写入权限或 U 盘只读）",
        std::io::ErrorKind::NotFound => "（文件夹不存在，U 盘可能已拔出）",
        _ => "",
    };
    let full = e.kind() == std::io::ErrorKind::StorageFull || matches!(e.raw_os_error(), Some(28 | 39 | 112));
    let code = if full { ErrorCode::DiskFull } else { ErrorCode::Io };
    CoreError::refused(code, path.display().to_string(), format!("{what}失败{hint}：{e}"))
}

/// Refuses a folder that is not there (a stick not plugged in): callers that record something
/// before writing its file check first, so nothing is recorded for a file that cannot be written.
pub fn require_folder(dir: &Path) -> CoreResult<()> {
    if dir.is_dir() {
        return Ok(());
    }
    Err(CoreError::refused(
        ErrorCode::Io,
        dir.display().to_string(),
        format!("找不到文件夹 {}（U 盘可能未插好）", dir.display()),
    ))
}

/// Writes `bytes` to `dir/name` atomically. `verify` gets the bytes read back from the medium
/// and must accept them before the file takes its real name. Returns the final path.
pub fn write_verified(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    verify: impl FnOnce(&[u8]) -> CoreResult<()>,
) -> CoreResult<PathBuf> {
    require_folder(dir)?;
    let final_path = dir.join(name);
    let tmp_path = dir.join(format!(".{name}.part"));
    let result = (|| {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp_path)
            .map_err(|e| io_refusal(&tmp_path, "创建文件", &e))?;
        f.write_all(bytes).map_err(|e| io_refusal(&tmp_path, "写入", &e))?;
        f.sync_all().map_err(|e| io_refusal(&tmp_path, "写入（同步到介质）", &e))?;
        drop(f);
        let back = fs::read(&tmp_path).map_err(|e| io_refusal(&tmp_path, "读回校验", &e))?;
        if back != bytes {
            return Err(CoreError::refused(
                ErrorCode::Io,
                tmp_path.display().to_string(),
                "写入后读回的内容与原内容不同（U 盘可能有坏块），请换一个 U 盘",
            ));
        }
        verify(&back)?;
        fs::rename(&tmp_path, &final_path).map_err(|e| io_refusal(&final_path, "改名", &e))?;
        sync_dir(dir);
        Ok(final_path.clone())
    })();
    if result.is_err() {
        // Best effort: the stick may be gone; the real name was never touched.
        let _ = fs::remove_file(&tmp_path);
    }
    result
}

/// Makes the rename durable where the OS allows opening a folder (not on Windows, whose rename
/// is durable once the file's own data is flushed).
fn sync_dir(dir: &Path) {
    if cfg!(unix)
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_refuses_without_leaving_parts() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = write_verified(dir.path(), "a.cjb", b"hello", |b| {
            assert_eq!(b, b"hello");
            Ok(())
        })
        .expect("writes");
        assert_eq!(fs::read(&path).expect("reads"), b"hello");
        let refused = write_verified(dir.path(), "b.cjb", b"x", |_| {
            Err(CoreError::refused(ErrorCode::SyncFileRefused, "", "no"))
        });
        assert!(refused.is_err());
        let names: Vec<_> = fs::read_dir(dir.path()).expect("lists").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.cjb")]);
        assert!(write_verified(&dir.path().join("missing"), "c.cjb", b"x", |_| Ok(())).is_err());
    }
}

/// What a sync file is, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncFileKind {
    Bundle,
    Enrollment,
    OfficeKey,
    Receipt,
}

/// A sync file found in a folder (on the stick).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct SyncFileEntry {
    pub name: String,
    pub path: String,
    pub kind: SyncFileKind,
    pub bytes: i64,
    /// Last modified, RFC 3339 (UTC), when the file system says.
    pub modified: Option<String>,
}

/// The sync files directly in `dir` (not in subfolders), by kind and name (bundle 2 before 10); temporary `.part` files and
/// hidden files are left out.
pub fn list_sync_files(dir: &Path) -> CoreResult<Vec<SyncFileEntry>> {
    let entries = fs::read_dir(dir).map_err(|e| io_refusal(dir, "读取文件夹", &e))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let ext = Path::new(&name).extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let kind = match ext.as_deref() {
            Some(super::BUNDLE_EXT) => SyncFileKind::Bundle,
            Some(super::ENROLLMENT_EXT) => SyncFileKind::Enrollment,
            Some(super::OFFICE_KEY_EXT) => SyncFileKind::OfficeKey,
            Some(super::RECEIPT_EXT) => SyncFileKind::Receipt,
            _ => continue,
        };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta
            .modified()
            .ok()
            .map(|t| chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        out.push(SyncFileEntry {
            name,
            path: entry.path().display().to_string(),
            kind,
            bytes: i64::try_from(meta.len()).unwrap_or(i64::MAX),
            modified,
        });
    }
    out.sort_by_key(|f| (f.kind, natural_key(&f.name)));
    Ok(out)
}

/// `DC01-2.cjb` before `DC01-10.cjb`.
fn natural_key(name: &str) -> (String, u64, String) {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    match stem.rsplit_once('-') {
        Some((prefix, n)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => {
            (prefix.to_string(), n.parse().unwrap_or(u64::MAX), name.to_string())
        }
        _ => (stem.to_string(), 0, name.to_string()),
    }
}

#[cfg(test)]
mod listing_tests {
    use super::*;

    #[test]
    fn lists_sync_files_in_bundle_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["DC01-10.cjb", "DC01-2.cjb", "DC01.cje", "r.cjr", ".DC01-11.cjb.part", "notes.txt"] {
            fs::write(dir.path().join(name), b"x").expect("writes");
        }
        let names: Vec<String> = list_sync_files(dir.path()).expect("lists").into_iter().map(|f| f.name).collect();
        assert_eq!(names, vec!["DC01-2.cjb", "DC01-10.cjb", "DC01.cje", "r.cjr"]);
    }
}

/// Reads a sync file (enrollment, key, receipt, bundle) whole, with a plain Chinese error.
/// Returns the name to report it by (its path) and its bytes.
pub fn read_sync_file(path: &Path) -> CoreResult<(String, Vec<u8>)> {
    let bytes = fs::read(path).map_err(|e| io_refusal(path, "读取文件", &e))?;
    Ok((path.display().to_string(), bytes))
}

/// Writes a small sync file (enrollment, key file, receipt) to `dir` under `name`, atomically.
pub fn write_sync_file(dir: &Path, name: &str, bytes: &[u8]) -> CoreResult<PathBuf> {
    write_verified(dir, name, bytes, |_| Ok(()))
}
