//! Backups, restore, the checks that detect edits made outside the product, and a full disk
//! (issue 7). The full-disk tests mount a tiny tmpfs (they need root, as CI has); where mounting
//! is not allowed they say so loudly and skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use cunjing_core::backup::{KEEP, list_backups, quick_check, restore, verify_backup};
use cunjing_core::station::StationStore;
use cunjing_core::sync::ExportMode;
use cunjing_core::{ErrorCode, NewOffice, RegisterKind, Store};
use serde_json::json;

fn work(i: usize) -> serde_json::Value {
    json!({"date": "2026-11-20", "officer": OFFICER, "in_village": true, "category": "visit", "content": format!("走访第 {i} 户")})
}

fn count(path: &Path) -> i64 {
    raw(path).query_row("SELECT count(*) FROM records", [], |r| r.get(0)).expect("count")
}

#[test]
fn a_backup_is_verified_rotated_and_restores_what_was_saved() {
    let db = TestDb::new();
    for i in 0..5 {
        db.store.add(RegisterKind::WorkLog, &work(i)).expect("add");
    }
    let first = db.store.backup_rotated().expect("backup");
    assert_eq!(first.records, 5);
    assert!(Path::new(&first.path).exists());
    assert_eq!(verify_backup(Path::new(&first.path), "", &key()).expect("verifies").records, 5);
    // The same clock second makes distinct names; only the newest KEEP stay (the first goes).
    let mut newest = first.clone();
    for _ in 0..KEEP + 2 {
        newest = db.store.backup_rotated().expect("backup");
    }
    assert!(!Path::new(&first.path).exists(), "the oldest was rotated out");
    let dir = db.path.parent().expect("dir").join("backups");
    assert_eq!(list_backups(&dir).expect("list").len(), KEEP);
    assert!(
        std::fs::read_dir(&dir).expect("dir").all(|e| !e
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .ends_with(".part"))
    );
    // A backup made within the day is not repeated.
    assert!(db.store.backup_if_older_than(24).expect("daily").is_none());

    // More work after the backup, then a restore brings the backed-up state back and keeps the
    // replaced file beside it.
    db.store.add(RegisterKind::WorkLog, &work(99)).expect("add");
    let target = db.dir.path().join("restored").join("office.db");
    std::fs::create_dir_all(target.parent().expect("parent")).expect("dir");
    std::fs::copy(&db.path, &target).expect("copy");
    let outcome = restore(&target, Path::new(&newest.path), NOW, &key()).expect("restore");
    assert_eq!(outcome.restored.records, 5);
    let kept = PathBuf::from(outcome.previous_kept_at.expect("previous kept"));
    assert!(kept.exists() && kept.to_string_lossy().contains("before-restore-"));
    let reopened = Store::open(&target, &key(), clock()).expect("opens");
    assert_eq!(reopened.check().expect("check").records_checked, 5);
}

#[test]
fn a_damaged_or_foreign_file_is_refused_as_a_backup_and_the_target_is_untouched() {
    let db = TestDb::new();
    db.store.add(RegisterKind::WorkLog, &work(1)).expect("add");
    let good = db.store.backup_into(&db.dir.path().join("b")).expect("backup");
    let before = std::fs::read(&db.path).expect("read");

    // Bytes overwritten in the middle of the file.
    let damaged = db.dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&good.path).expect("read");
    let mid = bytes.len() / 2;
    bytes[mid..mid + 4096].fill(0x5a);
    std::fs::write(&damaged, &bytes).expect("write");
    let e = refused(restore(&db.path, &damaged, NOW, &key()));
    assert_eq!(e.code, ErrorCode::BackupRefused);
    // Not a database at all; a station database.
    let text = db.dir.path().join("notes.db");
    std::fs::write(&text, "这不是数据库").expect("write");
    assert_eq!(refused(restore(&db.path, &text, NOW, &key())).code, ErrorCode::BackupRefused);
    let station_path = db.dir.path().join("station.db");
    StationStore::open_or_create(&station_path, &key(), clock())
        .expect("station")
        .init_station("城关派出所")
        .expect("init");
    assert_eq!(refused(restore(&db.path, &station_path, NOW, &key())).code, ErrorCode::BackupRefused);
    assert_eq!(std::fs::read(&db.path).expect("read"), before, "the target was not touched");

    // Start-up's quick check names a damaged file in Chinese.
    assert!(quick_check(&db.path, &key()).is_none());
    let problem = quick_check(&text, &key()).expect("a problem");
    assert!(problem.contains("notes.db"), "{problem}");
}

#[test]
fn check_detects_records_and_audit_entries_edited_outside_the_product() {
    let db = TestDb::new();
    let ids: Vec<_> = (0..3).map(|i| db.store.add(RegisterKind::WorkLog, &work(i)).expect("add").id).collect();
    db.store.backup_rotated().expect("backup");
    let report = db.store.check().expect("check");
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!((report.records_checked, report.audit_entries), (3, Some(3)));

    // A record's content changed with a SQLite tool.
    let conn = db.raw();
    conn.execute("UPDATE records SET data = json_set(data, '$.content', '被改过') WHERE id = ?1", [ids[1].to_string()])
        .expect("tamper");
    let report = db.store.check().expect("check");
    assert!(!report.ok);
    assert_eq!(report.record_mismatches.len(), 1);
    assert_eq!(report.record_mismatches[0].record_id, ids[1]);

    // An audit entry removed (its trigger dropped first, as a determined editor would).
    conn.execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;").expect("tamper");
    let report = db.store.check().expect("check");
    assert_eq!(report.audit_break.expect("broken").entry_id, 3);
    assert!(report.problems.iter().any(|p| p.contains("修改留痕")), "{:?}", report.problems);
}

/// Mounts a tmpfs of `kib` KiB at a new folder under `dir`; `None` (and a loud message) where
/// this machine does not allow it.
fn tiny_disk(dir: &Path, kib: u32) -> Option<TinyDisk> {
    let at = dir.join(format!("tiny-{kib}"));
    std::fs::create_dir_all(&at).ok()?;
    let ok = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
        .arg(&at)
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Some(TinyDisk(at))
    } else {
        eprintln!("!!! SKIPPED: cannot mount a tmpfs here (needs root); the full-disk test did not run");
        None
    }
}

struct TinyDisk(PathBuf);

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_refuses_the_save_with_a_clear_message_and_keeps_what_was_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(disk) = tiny_disk(dir.path(), 1024) else { return };
    let path = disk.0.join("office.db");
    let new = NewOffice {
        code: "FULL-01".into(),
        name: "满盘村警务室".into(),
        officer: OFFICER.into(),
        ..NewOffice::default()
    };
    let store = Store::create(&path, &new, &key(), clock()).expect("office");
    let mut saved = 0;
    let error = loop {
        let batch: Vec<_> = (saved..saved + 20).map(work).collect();
        match store.add_batch(RegisterKind::WorkLog, &batch) {
            Ok(s) => saved += s.len(),
            Err(e) => break e,
        }
        assert!(saved < 100_000, "the disk never filled");
    };
    assert!(error.is_disk_full(), "{error:?}");
    let wire = error.to_field_errors();
    assert_eq!(wire[0].code, ErrorCode::DiskFull);
    assert!(wire[0].message.contains("原有数据完好"), "{}", wire[0].message);
    drop(store);
    // Everything confirmed is there, the file is sound and opens.
    let reopened = Store::open(&path, &key(), clock()).expect("opens after the full disk");
    let report = reopened.check().expect("check");
    assert_eq!(report.integrity, "ok");
    assert_eq!(report.audit_break, None);
    assert_eq!(report.records_checked as usize, saved);
    assert!(report.record_mismatches.is_empty());
    assert_eq!(count(&path) as usize, saved);
}

#[test]
fn a_full_stick_refuses_the_export_and_leaves_no_file_and_no_export_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(stick) = tiny_disk(dir.path(), 64) else { return };
    let office_path = dir.path().join("office.db");
    let new = NewOffice {
        code: "STK-01".into(),
        name: "满盘村警务室".into(),
        officer: OFFICER.into(),
        ..NewOffice::default()
    };
    let store = Store::create(&office_path, &new, &key(), clock()).expect("office");
    let station = StationStore::open_or_create(&dir.path().join("station.db"), &key(), clock()).expect("station");
    station.init_station("城关派出所").expect("init");
    let e = station.enroll_office("STK-01", "满盘村警务室").expect("enrollment");
    let outcome = store.enroll(&e.bytes, &e.file_name).expect("enroll");
    station.add_office_key(&outcome.office_key_file, "key.cjk").expect("pin");
    // Enough records that the bundle cannot fit in 64 KiB.
    let batch: Vec<_> = (0..3000).map(work).collect();
    store.add_batch(RegisterKind::WorkLog, &batch).expect("records");
    let before = store.sync_status().expect("status");

    let error = store.export_bundle(&stick.0, ExportMode::Changes).expect_err("the stick is full");
    assert!(error.is_disk_full(), "{error:?}");
    assert_eq!(error.to_field_errors()[0].code, ErrorCode::DiskFull);
    let left: Vec<_> = std::fs::read_dir(&stick.0).expect("stick").map(|e| e.expect("entry").file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().contains("part")), "no half-written file: {left:?}");
    assert_eq!(store.sync_status().expect("status"), before, "nothing recorded as exported");

    // On a stick with room the same export then works.
    let roomy = dir.path().join("usb");
    std::fs::create_dir(&roomy).expect("usb");
    store.export_bundle(&roomy, ExportMode::Changes).expect("export");
}
