//! USB sticks plugged in now, so the officer picks "KINGSTON (E:)" instead of typing a path.
//! The OS knows which disks are removable; `sysinfo` asks it on Windows and Linux alike.

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Drive {
    /// The volume label, or the mount point when there is none.
    pub name: String,
    /// Where to write: `E:\` or `/media/officer/KINGSTON`.
    pub path: String,
    pub free_bytes: i64,
    pub total_bytes: i64,
}

pub fn removable_drives() -> Vec<Drive> {
    // No list (an OS that refuses the query) means no sticks offered: the folder can still be typed.
    let Ok(disks) = sysinfo::Disks::new_with_refreshed_list() else { return Vec::new() };
    let mut out: Vec<Drive> = (&disks)
        .into_iter()
        .filter(|d| d.is_removable())
        .map(|d| {
            let path = d.mount_point().display().to_string();
            let label = d.name().to_string_lossy().into_owned();
            Drive {
                name: if label.is_empty() { path.clone() } else { label },
                path,
                free_bytes: i64::try_from(d.available_space()).unwrap_or(i64::MAX),
                total_bytes: i64::try_from(d.total_space()).unwrap_or(i64::MAX),
            }
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
