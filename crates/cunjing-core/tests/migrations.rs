//! Schema upgrades: files written by older builds open, upgrade and become searchable; a file
//! written by a newer build is refused and left alone.

mod common;

use std::path::{Path, PathBuf};

use cunjing_core::store::migrations::{latest_version, migrate_to};
use cunjing_core::{CoreError, DbKey, ErrorCode, RegisterKind, Store};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use uuid::Uuid;

use common::*;

const OLD_OFFICE: &str = "DS-0007";
const OLD_OFFICER: &str = "周卫东";
const OLD_AT: &str = "2025-03-01T09:00:00+08:00";

fn user_version(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("user_version")
}

fn table_exists(conn: &Connection, name: &str) -> bool {
    conn.query_row("SELECT 1 FROM sqlite_master WHERE name = ?1", [name], |_| Ok(()))
        .optional()
        .expect("sqlite_master")
        .is_some()
}

/// A household as an older build stored it: every field of the struct, nulls included.
fn old_household() -> Value {
    json!({
        "village": "东山村",
        "group": "二组",
        "house_no": "7号",
        "address_detail": null,
        "head_name": "曾国华",
        "phone": "13905710002",
        "tags": ["registered", "hardship"],
        "notes": "老宅，院内有水井"
    })
}

fn old_dispute() -> Value {
    json!({
        "record_no": "2025-纠-001",
        "status": "mediating",
        "accepted_on": "2025-06-15",
        "source": "village_committee",
        "dispute_type": "land",
        "location": "东山村二组后山",
        "parties": [
            { "name": "曾国华", "role": "applicant", "sex": "male", "id_number": null, "phone": null, "address": null },
            { "name": "单玉兰", "role": "respondent", "sex": "female", "id_number": null, "phone": null, "address": null }
        ],
        "people_count": 2,
        "summary": "两家因承包山林界址不清发生争执",
        "risk_level": null,
        "escalation_flag": false,
        "mediators": "周卫东",
        "steps": [],
        "outcome_note": null,
        "referred_to": null,
        "agreement_form": null,
        "performance": null,
        "closed_on": null,
        "followups": []
    })
}

/// Inserts a record the way the write path of schema v1 did (record row and change-log row).
fn insert_old_record(
    conn: &Connection,
    seq: i64,
    register: &str,
    record_date: Option<&str>,
    title: &str,
    data: &Value,
) -> Uuid {
    let id = Uuid::new_v4();
    conn.execute(
        "INSERT INTO records (id, register, version, change_seq, office_code, created_at, created_by, updated_at,
                              updated_by, voided, void_reason, record_date, household_id, title, data)
         VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?5, ?6, 0, NULL, ?7, NULL, ?8, ?9)",
        params![id.to_string(), register, seq, OLD_OFFICE, OLD_AT, OLD_OFFICER, record_date, title, data.to_string()],
    )
    .expect("record row");
    conn.execute(
        "INSERT INTO changes (seq, record_id, version, op, at) VALUES (?1, ?2, 1, 'create', ?3)",
        params![seq, id.to_string(), OLD_AT],
    )
    .expect("change row");
    id
}

struct OldFile {
    path: PathBuf,
    household: Uuid,
    dispute: Uuid,
}

/// A file at schema `version` with an office, a household and a numbered dispute.
fn old_file(dir: &Path, version: usize) -> OldFile {
    let path = dir.join(format!("v{version}.db"));
    let mut conn = Connection::open(&path).expect("raw file");
    migrate_to(&mut conn, version).expect("old schema");
    assert_eq!(user_version(&conn), version as i64);
    conn.execute(
        "INSERT INTO office (id, code, name, officer, created_at) VALUES (1, ?1, '东山村警务室', ?2, ?3)",
        params![OLD_OFFICE, OLD_OFFICER, OLD_AT],
    )
    .expect("office row");
    let household = insert_old_record(&conn, 1, "households", None, "东山村二组7号 户主 曾国华", &old_household());
    let dispute = insert_old_record(
        &conn,
        2,
        "disputes",
        Some("2025-06-15"),
        "2025-纠-001 山林土地承包纠纷（调解中）曾国华、单玉兰",
        &old_dispute(),
    );
    conn.execute("INSERT INTO record_numbers (register, year, last_no) VALUES ('disputes', 2025, 1)", [])
        .expect("number counter");
    OldFile { path, household, dispute }
}

#[test]
fn a_schema_v1_file_is_upgraded_and_indexed_on_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = old_file(dir.path(), 1);
    {
        let conn = raw(&old.path);
        assert!(!table_exists(&conn, "search_terms"), "v1 has no search index");
    }

    let store = Store::open(&old.path, &DbKey::Plain, clock()).expect("opens and upgrades");
    {
        let conn = raw(&old.path);
        assert_eq!(user_version(&conn), latest_version());
        assert!(table_exists(&conn, "search_terms"));
        assert!(table_exists(&conn, "search_text"));
    }
    let office = store.office().expect("office survives the upgrade");
    assert_eq!(office.code, OLD_OFFICE);
    assert_eq!(office.officer, OLD_OFFICER);
    assert_eq!(office.name, "东山村警务室");

    // The old records were indexed by the upgrade.
    for (query, expected) in [
        ("曾国华", old.household),
        ("zengguohua", old.household),
        ("东山村", old.household),
        ("13905710002", old.household),
        ("水井", old.household),
        ("2025-纠-001", old.dispute),
        ("单玉兰", old.dispute),
        ("shanyulan", old.dispute),
        ("承包山林", old.dispute),
    ] {
        let hits = store.search(query, 20, false).expect("search");
        assert!(hits.iter().any(|h| h.id == expected), "`{query}` should find {expected}: {hits:#?}");
    }

    // They read and write like new ones.
    let got = store.get(RegisterKind::Households, old.household).expect("get old record");
    assert_eq!(got["head_name"], "曾国华");
    assert_eq!(got["created_at"], OLD_AT);
    let saved = update(&store, RegisterKind::Households, old.household, &json!({ "phone": "13905710003" }));
    assert_eq!(saved.version, 2);
    assert!(saved.change_seq > 2, "change_seq continues after the old rows: {}", saved.change_seq);
    let saved = update(
        &store,
        RegisterKind::Disputes,
        old.dispute,
        &json!({ "status": "resolved",
        "outcome_note": "以1983年林权证为准划界" }),
    );
    assert_eq!(saved.record_no.as_deref(), Some("2025-纠-001"));
    // The year counter carried over.
    let next = add(&store, RegisterKind::Disputes, &dispute_input("2025-12-01"));
    assert_eq!(next.record_no.as_deref(), Some("2025-纠-002"));
    // The fixture's v1 rows were written by raw SQL, without audit entries: verification reports
    // exactly that (a real v1 file has them).
    assert!(store.verify_audit_chain().expect("reads").is_err(), "raw rows have no audit trail");
    assert!(store.search("13905710002", 20, false).expect("search").is_empty(), "old phone left the index");
}

#[test]
fn every_older_schema_version_upgrades() {
    let dir = tempfile::tempdir().expect("temp dir");
    for version in 1..latest_version() as usize {
        let old = old_file(dir.path(), version);
        let store = Store::open(&old.path, &DbKey::Plain, clock()).expect("opens and upgrades");
        assert_eq!(user_version(&raw(&old.path)), latest_version(), "from v{version}");
        let office = store.office().expect("office reads after the upgrade");
        assert_eq!(office.code, OLD_OFFICE, "from v{version}");
        assert_eq!(store.get(RegisterKind::Households, old.household).expect("get")["head_name"], "曾国华");
        assert_eq!(store.get(RegisterKind::Disputes, old.dispute).expect("get")["record_no"], "2025-纠-001");
        // Writes work on the upgraded file.
        update(&store, RegisterKind::Households, old.household, &json!({ "notes": format!("自 v{version} 升级") }));
        let hits = store.search("曾国华", 10, false).expect("search");
        assert!(hits.iter().any(|h| h.id == old.household), "from v{version}: {hits:#?}");
        // Opening again is a no-op.
        drop(store);
        let store = Store::open(&old.path, &DbKey::Plain, clock()).expect("opens again");
        assert_eq!(store.get(RegisterKind::Households, old.household).expect("get")["version"], 2);
        assert!(store.verify_audit_chain().expect("reads").is_err(), "raw fixture rows have no audit trail");
    }
}

#[test]
fn a_file_from_a_newer_build_is_refused_and_left_unchanged() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let TestDb { store, path, dir } = db;
    drop(store);
    raw(&path).pragma_update(None, "user_version", 99).expect("pretend a newer build wrote it");
    let records_before: String =
        raw(&path).query_row("SELECT group_concat(id || data) FROM records", [], |r| r.get(0)).expect("records");

    match Store::open(&path, &key(), clock()) {
        Err(CoreError::SchemaTooNew { found, supported }) => {
            assert_eq!(found, 99);
            assert_eq!(supported, latest_version());
        }
        Err(other) => panic!("expected SchemaTooNew, got {other:?}"),
        Ok(_) => panic!("a newer file must be refused"),
    }
    let e = Store::open(&path, &key(), clock()).expect_err("refused again");
    assert!(!e.is_input_error());
    assert_eq!(e.to_field_errors()[0].code, ErrorCode::SchemaTooNew);

    let conn = raw(&path);
    assert_eq!(user_version(&conn), 99, "the version is untouched");
    let records_after: String =
        conn.query_row("SELECT group_concat(id || data) FROM records", [], |r| r.get(0)).expect("records");
    assert_eq!(records_after, records_before);
    assert!(records_after.contains(&h.to_string()));
    drop(conn);
    drop(dir);
}

#[test]
fn create_over_a_newer_file_without_an_office_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("newer.db");
    {
        let conn = Connection::open(&path).expect("raw");
        conn.execute_batch("CREATE TABLE future_things (x TEXT); PRAGMA user_version = 99;").expect("newer file");
    }
    match Store::create(&path, &new_office(), &DbKey::Plain, clock()) {
        Err(CoreError::SchemaTooNew { found: 99, .. }) => {}
        Err(other) => panic!("expected SchemaTooNew, got {other:?}"),
        Ok(_) => panic!("must not create an office in a newer file"),
    }
    let conn = raw(&path);
    assert_eq!(user_version(&conn), 99);
    assert!(!table_exists(&conn, "office"));
}

#[test]
fn a_refused_newer_file_is_byte_for_byte_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("newer.db");
    {
        let conn = Connection::open(&path).expect("raw");
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE;
             CREATE TABLE office (id INTEGER PRIMARY KEY, code TEXT, name TEXT, officer TEXT, created_at TEXT);
             INSERT INTO office VALUES (1, 'NEW-1', '未来警务室', '钱七', '2030-01-01T00:00:00+08:00');
             PRAGMA user_version = 99;",
        )
        .expect("newer file");
    }
    let before = std::fs::read(&path).expect("read");
    assert!(matches!(Store::open(&path, &DbKey::Plain, clock()), Err(CoreError::SchemaTooNew { found: 99, .. })));
    let after = std::fs::read(&path).expect("read");
    assert!(
        before == after,
        "the refused file's bytes changed (header byte 18/19: {:?} → {:?})",
        &before[18..20],
        &after[18..20]
    );
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    assert!(!wal.exists(), "no WAL file should be left next to a refused file");
}

#[test]
fn an_empty_file_opens_without_an_office() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").expect("empty file");
    let store = Store::open(&path, &DbKey::Plain, clock()).expect("an empty file is an empty database");
    assert!(!store.has_office().expect("has_office"));
    assert_eq!(refused(store.office()).code, ErrorCode::NoOffice);
    assert_eq!(user_version(&raw(&path)), latest_version());
    // The file can still become an office afterwards.
    drop(store);
    let store = Store::create(&path, &new_office(), &DbKey::Plain, clock()).expect("create in the empty file");
    assert_eq!(store.office().expect("office").code, OFFICE_CODE);
}

#[test]
fn a_v3_file_with_indexed_text_gets_its_text_rows_mapped() {
    // A v3 file as the v3 write path left it: the record's long text in the FTS table (rowid
    // chosen by SQLite), no map. v4 rebuilds the index so a save replaces that row, not adds one.
    let dir = tempfile::tempdir().expect("temp dir");
    let old = old_file(dir.path(), 3);
    {
        let conn = raw(&old.path);
        for (id, body) in [(old.household, "老宅，院内有水井"), (old.dispute, "两家因承包山林界址不清发生争执")]
        {
            conn.execute("INSERT INTO search_text (record_id, body) VALUES (?1, ?2)", params![id.to_string(), body])
                .expect("v3 text row");
        }
    }
    let store = Store::open(&old.path, &DbKey::Plain, clock()).expect("opens and upgrades");
    let rows = |id: Uuid| -> i64 {
        raw(&old.path)
            .query_row("SELECT count(*) FROM search_text WHERE record_id = ?1", [id.to_string()], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(rows(old.household), 1);
    update(&store, RegisterKind::Households, old.household, &json!({ "notes": "新砌围墙" }));
    assert_eq!(rows(old.household), 1, "the save replaced the record's text row");
    assert!(store.search("水井", 10, false).expect("search").is_empty(), "old text left the index");
    assert_eq!(store.search("围墙", 10, false).expect("search").len(), 1);
    let mapped: i64 = raw(&old.path)
        .query_row(
            "SELECT count(*) FROM search_text s JOIN search_text_rows m ON m.text_rowid = s.rowid AND m.record_id = s.record_id",
            [],
            |r| r.get(0),
        )
        .expect("count");
    let all: i64 = raw(&old.path).query_row("SELECT count(*) FROM search_text", [], |r| r.get(0)).expect("count");
    assert_eq!(mapped, all, "every text row is on the map");
}
