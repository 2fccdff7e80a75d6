//! USB sync end to end through the core: enrollment, export bundles, station import, receipts,
//! and every refusal the issue names. Offices and stations live in temporary folders; the
//! bundles travel as files, as they would on a stick.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use cunjing_core::demo::{DemoConfig, fill};
use cunjing_core::domain::CodeEnum;
use cunjing_core::station::{BundleFile, ImportReport, ImportStatus, StationStore};
use cunjing_core::sync::{ExportMode, ExportResult};
use cunjing_core::{ErrorCode, NewOffice, RegisterKind, Store};
use serde_json::json;
use tempfile::TempDir;

struct Office {
    store: Store,
    path: PathBuf,
    stick: PathBuf,
    _dir: TempDir,
}

fn office(code: &str, households: usize, seed: u64) -> Office {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("office.db");
    let new = NewOffice {
        code: code.into(),
        name: format!("{code}村警务室"),
        officer: OFFICER.into(),
        ..NewOffice::default()
    };
    let store = Store::create(&path, &new, &key(), clock()).expect("office");
    if households > 0 {
        fill(&store, &DemoConfig { households, years: 1, seed }, &mut |_| {}).expect("demo data");
    }
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).expect("stick");
    Office { store, path, stick, _dir: dir }
}

struct Station {
    store: StationStore,
    path: PathBuf,
    dir: TempDir,
}

fn station(name: &str) -> Station {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.db");
    let store = StationStore::open_or_create(&path, &key(), clock()).expect("station");
    store.init_station(name).expect("init");
    Station { store, path, dir }
}

fn enroll(st: &Station, o: &Office) {
    let code = o.store.office().expect("office").code;
    let e = st.store.enroll_office(&code, &format!("{code}村警务室")).expect("enrollment");
    let outcome = o.store.enroll(&e.bytes, &e.file_name).expect("office enrolls");
    st.store.add_office_key(&outcome.office_key_file, "key.cjk").expect("station pins the key");
}

fn export(o: &Office, mode: ExportMode) -> PathBuf {
    match o.store.export_bundle(&o.stick, mode).expect("export") {
        ExportResult::Written(w) => PathBuf::from(w.path),
        ExportResult::NothingToExport { message } => panic!("nothing exported: {message}"),
    }
}

fn file(path: &Path) -> BundleFile {
    BundleFile { name: path.display().to_string(), bytes: std::fs::read(path).expect("bundle") }
}

fn import(st: &Station, paths: &[&PathBuf]) -> ImportReport {
    let files: Vec<BundleFile> = paths.iter().map(|p| file(p)).collect();
    st.store.import(&files, false).expect("import runs")
}

#[track_caller]
fn only(report: &ImportReport) -> &cunjing_core::station::BundleReport {
    assert_eq!(report.bundles.len(), 1, "{report:#?}");
    &report.bundles[0]
}

/// Every record of the office, as the station holds it, must equal the office's own.
#[track_caller]
fn assert_station_matches(st: &Station, o: &Office) {
    let all = cunjing_core::store::ListQuery { include_voided: true, limit: 1000, ..Default::default() };
    let mut n = 0;
    for &kind in RegisterKind::ALL {
        let mut offset = 0;
        loop {
            let page = o.store.list(kind, &cunjing_core::store::ListQuery { offset, ..all.clone() }).expect("list");
            for rec in &page.items {
                let id = str_of(rec, "id");
                assert_eq!(&st.store.county_record(id).expect("held at the station"), rec, "record {id}");
                n += 1;
            }
            offset += 1000;
            if offset >= page.total {
                break;
            }
        }
    }
    assert!(n > 0);
}

/// The station's state as a comparable string: records, versions, content, bundles.
fn station_state(path: &Path) -> String {
    let conn = raw(path);
    conn.query_row(
        "SELECT group_concat(x, char(10)) FROM (
            SELECT id || '|' || office_code || '|' || version || '|' || voided || '|' || content_hash AS x
            FROM county_records ORDER BY id)",
        [],
        |r| r.get::<_, Option<String>>(0),
    )
    .expect("state")
    .unwrap_or_default()
}

#[test]
fn round_trip_every_register_with_updates_and_voids() {
    let st = station("城关派出所");
    let o = office("DC01", 40, 7);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    let r = import(&st, &[&b1]);
    assert_eq!(only(&r).status, ImportStatus::Imported, "{r:#?}");
    assert_station_matches(&st, &o);
    for &kind in RegisterKind::ALL {
        assert!(only(&r).changes.iter().any(|c| c.register == kind.code() && c.new > 0), "{kind:?} travelled");
    }

    // Second bundle: an update, a void, a new record.
    let h = add_household(&o.store);
    let visits = list_all(&o.store, RegisterKind::Visits);
    let v1 = uuid::Uuid::parse_str(str_of(&visits[0], "id")).expect("uuid");
    let v2 = uuid::Uuid::parse_str(str_of(&visits[1], "id")).expect("uuid");
    update(&o.store, RegisterKind::Visits, v1, &json!({"response": "复访：问题已解决"}));
    o.store.void(RegisterKind::Visits, v2, "重复登记").expect("void");
    let b2 = export(&o, ExportMode::Changes);
    let r = import(&st, &[&b2]);
    let visits_change = only(&r).changes.iter().find(|c| c.register == "visits").expect("visits").clone();
    assert_eq!((visits_change.updated, visits_change.voided, visits_change.new), (1, 1, 0));
    assert!(only(&r).changes.iter().any(|c| c.register == "households" && c.new == 1));
    assert_station_matches(&st, &o);
    assert_eq!(st.store.county_record(&h.to_string()).expect("new household")["voided"], json!(false));

    // Receipt: everything confirmed.
    let receipt = st.store.receipt("DC01").expect("receipt");
    assert_eq!((receipt.received_through_seq, receipt.missing.len()), (2, 0));
    let outcome = o.store.import_receipt(&receipt.bytes, &receipt.file_name).expect("office takes the receipt");
    assert_eq!(outcome.still_unconfirmed, 0);
    assert!(outcome.newly_confirmed > 40);
    assert_eq!(o.store.sync_status().expect("status").unconfirmed_records, 0);
    // The same receipt again changes nothing.
    assert!(o.store.import_receipt(&receipt.bytes, &receipt.file_name).expect("again").already_imported);
}

#[test]
fn reimport_is_idempotent_and_nothing_to_export_is_said() {
    let st = station("城关派出所");
    let o = office("DC02", 10, 3);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    assert!(matches!(
        o.store.export_bundle(&o.stick, ExportMode::Changes).expect("export"),
        ExportResult::NothingToExport { .. }
    ));
    assert_eq!(only(&import(&st, &[&b1])).status, ImportStatus::Imported);
    let before = station_state(&st.path);
    let again = import(&st, &[&b1]);
    assert_eq!(only(&again).status, ImportStatus::AlreadyImported);
    assert_eq!(station_state(&st.path), before);
    // A full re-export carries every record again; the station takes it without duplicates.
    let full = export(&o, ExportMode::Full);
    let r = import(&st, &[&full]);
    assert_eq!(only(&r).status, ImportStatus::Imported);
    assert!(r.bundles[0].changes.iter().all(|c| c.new == 0 && c.updated == 0 && c.unchanged > 0));
    assert_eq!(station_state(&st.path), before);
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let st = station("城关派出所");
    let o = office("DC03", 10, 4);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    let before = std::fs::read(&st.path).expect("db");
    let r = st.store.import(&[file(&b1)], true).expect("dry run");
    assert!(r.dry_run);
    assert_eq!(only(&r).status, ImportStatus::WouldImport);
    assert!(only(&r).changes.iter().map(|c| c.new).sum::<i64>() > 10);
    assert_eq!(station_state(&st.path), "");
    assert!(st.store.status().expect("status").offices[0].bundles == 0);
    drop(before);
}

#[test]
fn gaps_are_reported_until_an_unconfirmed_export_supersedes_them() {
    let st = station("城关派出所");
    let o = office("DC04", 5, 5);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    add_household(&o.store);
    let _lost = export(&o, ExportMode::Changes); // the stick with bundle 2 is lost
    add_household(&o.store);
    let b3 = export(&o, ExportMode::Changes);
    let r = import(&st, &[&b3, &b1]);
    assert!(r.bundles.iter().all(|b| b.status == ImportStatus::Imported), "{r:#?}");
    assert_eq!(r.gaps.len(), 1);
    assert_eq!(r.gaps[0].missing, vec![2]);
    let receipt = st.store.receipt("DC04").expect("receipt");
    assert_eq!((receipt.received_through_seq, receipt.missing.clone()), (1, vec![2]));
    let outcome = o.store.import_receipt(&receipt.bytes, "r.cjr").expect("receipt");
    assert_eq!(outcome.missing, vec![2]);
    assert!(outcome.still_unconfirmed >= 2, "{outcome:?}");
    // The officer re-exports everything not confirmed; the gap closes without duplicates.
    let b4 = export(&o, ExportMode::Unconfirmed);
    let r = import(&st, &[&b4]);
    assert_eq!(only(&r).status, ImportStatus::Imported);
    assert!(r.gaps.is_empty(), "{r:#?}");
    assert_station_matches(&st, &o);
    let receipt = st.store.receipt("DC04").expect("receipt");
    assert_eq!((receipt.received_through_seq, receipt.missing.len()), (4, 0));
    let outcome = o.store.import_receipt(&receipt.bytes, "r2.cjr").expect("receipt");
    assert_eq!(outcome.still_unconfirmed, 0);
}

#[test]
fn bundles_from_unknown_offices_wrong_keys_and_other_stations_are_refused() {
    let st = station("城关派出所");
    let other_station = station("南山派出所");
    let o = office("DC05", 5, 6);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    // Another station cannot read it, and does not know the office.
    let r = import(&other_station, &[&b1]);
    assert_eq!(only(&r).code, Some(ErrorCode::UnknownOffice));
    other_station.store.enroll_office("DC05", "DC05村警务室").expect("enroll");
    let r = import(&other_station, &[&b1]);
    assert_eq!(only(&r).code, Some(ErrorCode::OfficeKeyMissing));
    // An impostor office with the same code, enrolled at the other station, signs with its own key.
    let impostor = office("DC05", 3, 9);
    let e = other_station.store.enroll_office("DC05", "DC05村警务室").expect("enroll");
    let key = impostor.store.enroll(&e.bytes, "e.cje").expect("enrolls");
    other_station.store.add_office_key(&key.office_key_file, "k.cjk").expect("pins");
    let r = import(&other_station, &[&b1]);
    assert_eq!(only(&r).code, Some(ErrorCode::SyncFileRefused), "{r:#?}");
    // The impostor's key file is refused by the real station (a key is pinned already).
    let e2 = refused(st.store.add_office_key(&key.office_key_file, "k.cjk"));
    assert_eq!(e2.code, ErrorCode::WrongStation);
    // A bundle encrypted for the other station is refused by ours before anything is written.
    let fake = export(&impostor, ExportMode::Changes);
    let before = station_state(&st.path);
    let r = import(&st, &[&fake]);
    assert_eq!(only(&r).status, ImportStatus::Refused);
    assert_eq!(station_state(&st.path), before);
}

#[test]
fn every_part_of_the_file_is_protected() {
    let st = station("城关派出所");
    let o = office("DC06", 5, 8);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    let bytes = std::fs::read(&b1).expect("bundle");
    let hlen = u32::from_be_bytes(bytes[9..13].try_into().expect("4 bytes")) as usize;
    let body_at = 13 + hlen + 8;
    // One flip in each part: magic, kind, header length, header, body length, body, signature.
    let places = [0, 8, 11, 13 + hlen / 2, 13 + hlen + 7, body_at + 10, bytes.len() - 5, bytes.len() - 1];
    for at in places {
        let mut bad = bytes.clone();
        bad[at] ^= 0x20;
        let r = st.store.import(&[BundleFile { name: format!("flip@{at}"), bytes: bad }], false).expect("runs");
        assert_eq!(only(&r).status, ImportStatus::Refused, "flip at {at}: {r:#?}");
    }
    for cut in [0, 5, 20, bytes.len() / 2, bytes.len() - 1] {
        let r = st.store.import(&[BundleFile { name: format!("cut@{cut}"), bytes: bytes[..cut].to_vec() }], false);
        let r = r.expect("runs");
        assert_eq!(only(&r).status, ImportStatus::Refused, "cut at {cut}");
        assert!(only(&r).message.contains("不") || only(&r).message.contains("损坏"), "{}", only(&r).message);
    }
    assert_eq!(station_state(&st.path), "");
    assert_eq!(only(&import(&st, &[&b1])).status, ImportStatus::Imported);
}

#[test]
fn future_format_bundles_are_refused() {
    let st = station("城关派出所");
    let o = office("DC07", 3, 10);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    // Rewrite the header with format_version 2 and sign it with the office's own key, as a
    // newer build would.
    let secret: String =
        raw(&o.path).query_row("SELECT office_secret_key FROM sync_identity", [], |r| r.get(0)).expect("key");
    let key = cunjing_bundle::SecretSigningKey::from_hex(&secret).expect("key");
    let bytes = std::fs::read(&b1).expect("bundle");
    let parts = cunjing_bundle::container::split(&bytes, cunjing_bundle::container::Kind::Bundle).expect("splits");
    let mut header: serde_json::Value = serde_json::from_slice(parts.header).expect("header");
    header["format_version"] = json!(2);
    let newer = cunjing_bundle::container::seal(
        cunjing_bundle::container::Kind::Bundle,
        &serde_json::to_vec(&header).expect("json"),
        parts.body,
        &key,
    );
    let r = st.store.import(&[BundleFile { name: "newer.cjb".into(), bytes: newer }], false).expect("runs");
    assert_eq!(only(&r).status, ImportStatus::Refused);
    assert!(only(&r).message.contains("更新版本"), "{}", only(&r).message);
}

#[test]
fn same_number_different_content_is_refused_and_flagged() {
    let st = station("城关派出所");
    let o = office("DC08", 5, 11);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    import(&st, &[&b1]);
    // The office's database is backed up, then bundle 2 is exported and imported…
    let backup = o.path.with_file_name("backup.db");
    raw(&o.path).execute("VACUUM INTO ?1", [backup.display().to_string()]).expect("backup");
    add_household(&o.store);
    let b2 = export(&o, ExportMode::Changes);
    assert_eq!(only(&import(&st, &[&b2])).status, ImportStatus::Imported);
    let before = station_state(&st.path);
    // …and then the laptop is restored from the backup and makes other changes: its bundle 2
    // is different.
    let restored = Store::open(&backup, &key(), clock()).expect("restored office");
    restored.add(RegisterKind::Households, &household("东村", "一组", "99号", "赵六")).expect("adds");
    let again = match restored.export_bundle(&o.stick.join(".."), ExportMode::Changes).expect("export") {
        ExportResult::Written(w) => PathBuf::from(w.path),
        other => panic!("{other:?}"),
    };
    let r = import(&st, &[&again]);
    assert_eq!(only(&r).code, Some(ErrorCode::SeqConflict), "{r:#?}");
    assert_eq!(station_state(&st.path), before, "nothing merged");
    let receipt = st.store.receipt("DC08").expect("receipt");
    let back = restored.import_receipt(&receipt.bytes, "r.cjr").expect("receipt");
    assert_eq!(back.rejected.len(), 1);
    assert_eq!(back.rejected[0].code, "seq_conflict");
    assert_eq!(st.store.status().expect("status").offices[0].rejected, 1);
}

#[test]
fn key_replacement_only_through_the_station() {
    let st = station("城关派出所");
    let o = office("DC09", 3, 12);
    enroll(&st, &o);
    let b1 = export(&o, ExportMode::Changes);
    import(&st, &[&b1]);
    // A new laptop: same office code, new key. Without a new enrollment the station refuses it.
    let laptop = office("DC09", 0, 0);
    let st2 = station("西河派出所");
    let e = st2.store.enroll_office("DC09", "DC09村警务室").expect("enroll");
    let stray = laptop.store.enroll(&e.bytes, "e.cje").expect("enrolls elsewhere");
    assert_eq!(refused(st.store.add_office_key(&stray.office_key_file, "k.cjk")).code, ErrorCode::WrongStation);

    let laptop = office("DC09", 0, 0);
    let e = st.store.enroll_office("DC09", "DC09村警务室").expect("re-enrollment");
    assert!(e.reenrollment);
    let k = laptop.store.enroll(&e.bytes, &e.file_name).expect("enrolls");
    let pinned = st.store.add_office_key(&k.office_key_file, "k.cjk").expect("replaces the key");
    assert!(pinned.replaced_fingerprint.is_some());
    // A third key without another enrollment is refused.
    let third = office("DC09", 0, 0);
    let k3 = third.store.enroll(&e.bytes, &e.file_name).expect("enrolls");
    assert_eq!(refused(st.store.add_office_key(&k3.office_key_file, "k.cjk")).code, ErrorCode::KeyReplacementRefused);
    // The new laptop continues the chain after the station's bundle 1.
    add_household(&laptop.store);
    let b2 = export(&laptop, ExportMode::Changes);
    assert!(b2.display().to_string().ends_with("DC09-2.cjb"), "{}", b2.display());
    assert_eq!(only(&import(&st, &[&b2])).status, ImportStatus::Imported);
    // A bundle the old laptop signs now is refused: its key is retired.
    add_household(&o.store);
    let old = export(&o, ExportMode::Changes);
    let r = import(&st, &[&old]);
    assert!(only(&r).message.contains("旧密钥"), "{r:#?}");
}

#[test]
fn export_to_a_missing_folder_changes_nothing() {
    let st = station("城关派出所");
    let o = office("DC10", 3, 13);
    enroll(&st, &o);
    let gone = o.stick.join("pulled-out");
    let e = refused(o.store.export_bundle(&gone, ExportMode::Changes));
    assert_eq!(e.code, ErrorCode::Io);
    assert!(o.store.sync_status().expect("status").last_export.is_none());
    let b1 = export(&o, ExportMode::Changes);
    assert!(b1.ends_with("DC10-1.cjb"));
}

#[test]
fn not_enrolled_offices_cannot_export_and_databases_are_not_confused() {
    let o = office("DC11", 2, 14);
    assert_eq!(refused(o.store.export_bundle(&o.stick, ExportMode::Changes)).code, ErrorCode::NotEnrolled);
    let st = station("城关派出所");
    assert_eq!(refused(Store::open(&st.path, &key(), clock())).code, ErrorCode::WrongDatabaseKind);
    assert_eq!(refused(StationStore::open(&o.path, &key(), clock())).code, ErrorCode::WrongDatabaseKind);
    assert!(st.dir.path().exists());
}

#[test]
fn enrollment_for_another_office_or_station_is_refused() {
    let st = station("城关派出所");
    let o = office("DC12", 0, 0);
    let wrong = st.store.enroll_office("XX99", "别的警务室").expect("enroll");
    assert_eq!(refused(o.store.enroll(&wrong.bytes, "x.cje")).code, ErrorCode::WrongOffice);
    enroll(&st, &o);
    let other = station("南山派出所");
    let e = other.store.enroll_office("DC12", "DC12村警务室").expect("enroll");
    assert_eq!(refused(o.store.enroll(&e.bytes, "y.cje")).code, ErrorCode::WrongStation);
    // Re-importing the same enrollment keeps the key.
    let again = st.store.enroll_office("DC12", "DC12村警务室").expect("enroll");
    let a = o.store.enroll(&again.bytes, "z.cje").expect("enrolls");
    let b = o.store.enroll(&again.bytes, "z.cje").expect("enrolls again");
    assert!(b.unchanged);
    assert_eq!(a.office_key_fingerprint, b.office_key_fingerprint);
}
