//! Encryption at rest (issue 7): what a stolen laptop, a copied backup or a lost stick reveals,
//! the passphrase's life (set, wrong, changed without re-encrypting), recovery through the
//! station, and turning an older plain database into an encrypted one.

mod common;

use std::path::Path;

use common::*;
use cunjing_core::backup::{list_backups, restore, verify_backup};
use cunjing_core::station::StationStore;
use cunjing_core::vault::{self, DbKey, KdfParams, KeyFileRole, Protection};
use cunjing_core::{ErrorCode, RegisterKind, Store};

/// The smallest cost the key file accepts: keeps these tests quick; the product uses the default.
const QUICK: KdfParams = KdfParams { m_kib: 8 * 1024, t: 1, p: 1 };
const PASS: &str = "翠月湖 2026 口令";

fn code_of<T: std::fmt::Debug>(r: Result<T, cunjing_core::CoreError>) -> ErrorCode {
    refused(r).code
}

/// Bytes that must never appear in an encrypted file: the office's name, a resident's ID
/// number, and SQLite's plain header.
fn assert_no_plaintext(path: &Path) {
    let bytes = std::fs::read(path).expect("read");
    assert!(!bytes.is_empty(), "{} is empty", path.display());
    for needle in [OFFICE_NAME.as_bytes(), WANG_FANG_ID.as_bytes(), b"SQLite format 3", "王芳".as_bytes()] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{} contains {:?} in the clear",
            path.display(),
            String::from_utf8_lossy(needle)
        );
    }
}

fn encrypted_office(dir: &Path) -> (std::path::PathBuf, Store) {
    let path = dir.join("office.db");
    let key = vault::create_key(&path, KeyFileRole::Office, PASS, QUICK).expect("key");
    let store = Store::create(&path, &new_office(), &key, clock()).expect("office");
    let household = add(&store, RegisterKind::Households, &household_input());
    add(&store, RegisterKind::Residents, &resident_input(Some(household.id)));
    (path, store)
}

#[test]
fn the_database_its_wal_and_its_backups_reveal_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, store) = encrypted_office(dir.path());
    assert_eq!(vault::protection(&path), Protection::Encrypted);
    // While open, the WAL holds the latest pages: encrypted too.
    let wal = path.with_file_name("office.db-wal");
    assert!(wal.exists());
    assert_no_plaintext(&wal);
    let backup = store.backup_rotated().expect("backup");
    drop(store);
    assert_no_plaintext(&path);
    assert_no_plaintext(Path::new(&backup.path));
    // The key file holds no key in the clear either: only the wrap, salt and nonce.
    let key_file = std::fs::read_to_string(vault::key_path(&path)).expect("key file");
    let DbKey::Key(key) = vault::unlock(&path, PASS).expect("unlock") else { panic!("encrypted") };
    assert!(!key_file.contains(&hex(key.as_bytes())));
    // A backup is opened with the data key only: without it, it is refused.
    assert_eq!(code_of(verify_backup(Path::new(&backup.path), "", &DbKey::Plain)), ErrorCode::BackupRefused);
    assert_eq!(verify_backup(Path::new(&backup.path), "", &DbKey::Key(key)).expect("verifies").records, 2);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_wrong_passphrase_or_no_key_opens_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, store) = encrypted_office(dir.path());
    drop(store);
    assert_eq!(code_of(vault::unlock(&path, "not the passphrase")), ErrorCode::WrongPassphrase);
    assert_eq!(code_of(Store::open(&path, &DbKey::Plain, clock())), ErrorCode::PassphraseRequired);
    assert_eq!(code_of(Store::open(&path, &DbKey::generate().expect("key"), clock())), ErrorCode::KeyFileRefused);
    let key = vault::unlock(&path, PASS).expect("unlock");
    let store = Store::open(&path, &key, clock()).expect("opens");
    assert_eq!(list_all(&store, RegisterKind::Residents).len(), 1);
    // A short passphrase is refused before any file is made.
    let other = dir.path().join("other.db");
    assert_eq!(code_of(vault::create_key(&other, KeyFileRole::Office, "1234", QUICK)), ErrorCode::WeakPassphrase);
    assert_eq!(vault::protection(&other), Protection::Missing);
    // A second database is never created over an existing key file or database.
    assert_eq!(code_of(vault::create_key(&path, KeyFileRole::Office, PASS, QUICK)), ErrorCode::OfficeExists);
}

#[test]
fn changing_the_passphrase_does_not_touch_the_database() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, store) = encrypted_office(dir.path());
    drop(store);
    let before = std::fs::read(&path).expect("db");
    assert_eq!(
        code_of(vault::change_passphrase(&path, "wrong old one", "新的口令 2027", QUICK)),
        ErrorCode::WrongPassphrase
    );
    assert_eq!(code_of(vault::change_passphrase(&path, PASS, "short", QUICK)), ErrorCode::WeakPassphrase);
    vault::change_passphrase(&path, PASS, "新的口令 2027", QUICK).expect("changed");
    assert_eq!(std::fs::read(&path).expect("db"), before, "no re-encryption");
    assert_eq!(code_of(vault::unlock(&path, PASS)), ErrorCode::WrongPassphrase);
    let key = vault::unlock(&path, "新的口令 2027").expect("unlock");
    Store::open(&path, &key, clock()).expect("opens with the new passphrase");
}

#[test]
fn a_backup_restores_on_another_laptop_with_its_key_file_and_passphrase() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, store) = encrypted_office(dir.path());
    let stick = dir.path().join("stick");
    let made = store.backup_into(&stick).expect("backup to the stick");
    assert!(stick.join(vault::BACKUP_KEY_NAME).exists(), "the key file travels with the backup");
    drop(store);
    let laptop = dir.path().join("new-laptop").join("office.db");
    let key = vault::unlock_file(&vault::backup_key_path(Path::new(&made.path)), PASS).expect("unlock the copy");
    restore(&laptop, Path::new(&made.path), NOW, &key).expect("restore");
    assert_eq!(vault::protection(&laptop), Protection::Encrypted, "the key file was installed");
    let key = vault::unlock(&laptop, PASS).expect("the same passphrase");
    let restored = Store::open(&laptop, &key, clock()).expect("opens");
    assert_eq!(list_all(&restored, RegisterKind::Residents).len(), 1);
    assert!(path.exists());
}

#[test]
fn a_forgotten_passphrase_is_recovered_through_the_station_only() {
    let dir = tempfile::tempdir().expect("dir");
    let (path, store) = encrypted_office(dir.path());
    // Before enrollment there is nothing the station could open.
    assert_eq!(code_of(vault::recovery_request(&path)), ErrorCode::KeyFileRefused);

    let station_path = dir.path().join("station.db");
    let station_key = vault::create_key(&station_path, KeyFileRole::Station, "汇总站 口令 2026", QUICK).expect("key");
    let station = StationStore::open_or_create(&station_path, &station_key, clock()).expect("station");
    station.init_station("县公安局汇总站").expect("init");
    let enrollment = station.enroll_office(OFFICE_CODE, OFFICE_NAME).expect("enroll");
    store.enroll(&enrollment.bytes, &enrollment.file_name).expect("enrolled");
    drop(store);
    assert!(vault::station_wrap_fingerprint(&path).expect("key file").is_some());

    // The officer forgot the passphrase: the request needs none.
    let request = vault::recovery_request(&path).expect("request");
    assert!(String::from_utf8_lossy(&request).contains(OFFICE_CODE), "the request says whose it is");
    assert_eq!(vault::recovery_request_label(&request).expect("label"), format!("{OFFICE_CODE} {OFFICE_NAME}"));
    // Another station cannot answer it.
    let elsewhere_path = dir.path().join("elsewhere.db");
    let elsewhere_key =
        vault::create_key(&elsewhere_path, KeyFileRole::Station, "另一个汇总站的口令", QUICK).expect("key");
    let elsewhere = StationStore::open_or_create(&elsewhere_path, &elsewhere_key, clock()).expect("station");
    elsewhere.init_station("另一个汇总站").expect("init");
    assert_eq!(code_of(elsewhere.answer_recovery(&request, QUICK)), ErrorCode::WrongStation);

    let (response, code) = station.answer_recovery(&request, QUICK).expect("answered");
    assert!(!String::from_utf8_lossy(&response).contains(&code), "the code is not in the file");
    assert_eq!(
        code_of(vault::recover(&path, &response, "0000-0000-0000-0000-0000", "新口令 找回之后 1", QUICK)),
        ErrorCode::WrongPassphrase
    );
    vault::recover(&path, &response, &code.to_lowercase(), "新口令 找回之后 1", QUICK).expect("recovered");
    let key = vault::unlock(&path, "新口令 找回之后 1").expect("the new passphrase opens it");
    let store = Store::open(&path, &key, clock()).expect("opens");
    assert_eq!(list_all(&store, RegisterKind::Residents).len(), 1);
    // A response for another database is refused.
    let (other, _) = encrypted_office(&dir.path().join("b"));
    drop(other);
    assert_eq!(
        code_of(vault::recover(&dir.path().join("b").join("office.db"), &response, &code, "随便 一个 口令", QUICK)),
        ErrorCode::KeyFileRefused
    );
}

#[test]
fn the_station_clerk_resets_a_forgotten_passphrase_with_the_printed_code() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("station.db");
    let key = vault::create_key(&path, KeyFileRole::Station, "汇总站 口令 2026", QUICK).expect("key");
    StationStore::open_or_create(&path, &key, clock()).expect("station").init_station("县局").expect("init");
    let code = vault::add_recovery_code(&path, &key, QUICK).expect("code").expect("encrypted");
    assert_eq!(
        code_of(vault::reset_with_code(&path, "WRONG-CODE", "新的汇总站口令 1", QUICK)),
        ErrorCode::WrongPassphrase
    );
    vault::reset_with_code(&path, &code, "新的汇总站口令 1", QUICK).expect("reset");
    let key = vault::unlock(&path, "新的汇总站口令 1").expect("unlock");
    assert!(StationStore::open(&path, &key, clock()).expect("opens").station_info().expect("info").is_some());
}

#[test]
fn an_older_plain_database_is_encrypted_in_place_and_its_plain_backups_go() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("office.db");
    let store = Store::create(&path, &new_office(), &DbKey::Plain, clock()).expect("plain office");
    let household = add(&store, RegisterKind::Households, &household_input());
    add(&store, RegisterKind::Residents, &resident_input(Some(household.id)));
    store.backup_rotated().expect("plain backup");
    let report = store.check().expect("check");
    assert!(!report.encrypted && !report.ok, "a plain database is a problem check reports");
    drop(store);
    assert_eq!(vault::protection(&path), Protection::Plain);

    let key = vault::encrypt_plain(&path, KeyFileRole::Office, PASS, QUICK).expect("encrypted");
    assert_no_plaintext(&path);
    let store = Store::open(&path, &key, clock()).expect("opens");
    assert_eq!(list_all(&store, RegisterKind::Residents).len(), 1);
    assert_eq!(store.check().expect("check").plain_backups, 1);
    assert_eq!(store.retire_plain_backups().expect("retired"), 1);
    let backups = list_backups(&cunjing_core::backup::backup_dir(&path)).expect("list");
    assert_eq!(backups.len(), 1);
    assert_no_plaintext(&backups[0].1);
    let report = store.check().expect("check");
    assert!(report.encrypted && report.plain_backups == 0, "{:?}", report.problems);
    assert!(report.ok, "{:?}", report.problems);
    // A second run has nothing to encrypt.
    drop(store);
    assert_eq!(code_of(vault::encrypt_plain(&path, KeyFileRole::Office, PASS, QUICK)), ErrorCode::KeyFileRefused);
}
