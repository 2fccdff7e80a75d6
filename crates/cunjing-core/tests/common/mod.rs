//! Shared fixtures for the store's integration tests: a fresh office database in a temporary
//! directory, a pinned clock, realistic register inputs and helpers to read errors and to
//! prove that a refused write left the database exactly as it was.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cunjing_core::domain::CodeEnum;
use cunjing_core::store::{ListQuery, Saved};
use cunjing_core::validate::id_number::check_character;
use cunjing_core::vault::{DataKey, DbKey};
use cunjing_core::{Clock, CoreError, ErrorCode, FieldError, FixedClock, NewOffice, RegisterKind, Store};
use serde_json::{Value, json};
use tempfile::TempDir;
use uuid::Uuid;

/// "Now" at the office for every test: 2026-11-28, 10:00 China time.
pub const NOW: &str = "2026-11-28T10:00:00+08:00";
pub const OFFICER: &str = "李建国";
pub const OFFICE_CODE: &str = "330110-CYH";
pub const OFFICE_NAME: &str = "翠月湖村警务室";

/// Female, born 1949-12-31 (sequence 002 is even).
pub const WANG_FANG_ID: &str = "11010519491231002X";
/// Male, born 2023-11-01 (sequence 217 is odd).
pub const BOY_ID: &str = "110101202311012176";

pub fn clock() -> Arc<dyn Clock> {
    clock_at(NOW)
}

pub fn clock_at(rfc3339: &str) -> Arc<dyn Clock> {
    Arc::new(FixedClock::parse(rfc3339).expect("valid RFC 3339 timestamp"))
}

pub fn new_office() -> NewOffice {
    NewOffice { code: OFFICE_CODE.into(), name: OFFICE_NAME.into(), officer: OFFICER.into(), ..NewOffice::default() }
}

/// An 18-character ID number from its first 17 digits, with the right check character.
pub fn id_number(first17: &str) -> String {
    let bytes: [u8; 17] = first17.as_bytes().try_into().expect("17 ASCII digits");
    let mut s = first17.to_string();
    s.push(char::from(check_character(&bytes)));
    s
}

/// The same number with a wrong check character.
pub fn with_wrong_check(id: &str) -> String {
    let (body, check) = id.split_at(17);
    let wrong = if check == "1" { '2' } else { '1' };
    format!("{body}{wrong}")
}

/// A fresh office database. The store is declared first so it is closed before the
/// directory is removed.
pub struct TestDb {
    pub store: Store,
    pub path: PathBuf,
    pub dir: TempDir,
}

impl TestDb {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("office.db");
        let store = Store::create(&path, &new_office(), &key(), clock()).expect("creates the office");
        TestDb { store, path, dir }
    }

    /// A second store on the same file (another window, another process).
    pub fn open_again(&self, clock: Arc<dyn Clock>) -> Store {
        Store::open(&self.path, &key(), clock).expect("opens the existing office")
    }

    pub fn raw(&self) -> rusqlite::Connection {
        raw(&self.path)
    }

    pub fn snapshot(&self) -> Snapshot {
        snapshot(&self.store, &self.path)
    }
}

/// The key every test office is encrypted with (fixed, so a test can reopen and tamper with its
/// file; a real office's key is random and lives only wrapped in its key file).
pub fn key() -> DbKey {
    DbKey::Key(DataKey::from_bytes([0x5a; 32]))
}

/// A SQLite connection to the file outside the store (for checks and tampering), keyed with
/// [`key`] unless the file is a plain one.
pub fn raw(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("raw connection");
    if path.exists() && !cunjing_core::vault::is_plain_sqlite(path) {
        let DbKey::Key(k) = key() else { unreachable!("the test key is a key") };
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", k.sqlcipher_literal().as_str())).expect("keyed");
    }
    conn.busy_timeout(std::time::Duration::from_secs(10)).expect("busy timeout");
    conn
}

/// Everything a write touches, to compare before and after a refused write.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Records per register, voided ones included (through the public list API).
    pub totals: Vec<(RegisterKind, i64)>,
    /// Entries verified by `verify_audit_chain` (the public count of audit entries).
    pub audit_verified: i64,
    pub audit_rows: i64,
    pub changes_rows: i64,
    pub record_numbers: String,
    pub search_terms: i64,
    pub search_text: i64,
    /// id, version, voided and data of every record, in id order.
    pub records: String,
}

pub fn snapshot(store: &Store, path: &Path) -> Snapshot {
    let all = ListQuery { include_voided: true, ..ListQuery::default() };
    let totals = RegisterKind::ALL.iter().map(|&k| (k, store.list(k, &all).expect("list").total)).collect();
    let audit_verified = store.verify_audit_chain().expect("reads audit").expect("chain intact");
    let conn = raw(path);
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    let text = |sql: &str| -> String {
        conn.query_row(sql, [], |r| r.get::<_, Option<String>>(0)).expect(sql).unwrap_or_default()
    };
    Snapshot {
        totals,
        audit_verified,
        audit_rows: count("SELECT count(*) FROM audit_log"),
        changes_rows: count("SELECT count(*) FROM changes"),
        record_numbers: text(
            "SELECT group_concat(register || '/' || year || '/' || last_no, ';') \
             FROM (SELECT * FROM record_numbers ORDER BY register, year)",
        ),
        search_terms: count("SELECT count(*) FROM search_terms"),
        search_text: count("SELECT count(*) FROM search_text"),
        records: text(
            "SELECT group_concat(id || '|' || version || '|' || voided || '|' || data, char(10)) \
             FROM (SELECT * FROM records ORDER BY id)",
        ),
    }
}

// --- errors ---------------------------------------------------------------------------------

/// The field errors of a `CoreError::Invalid`; any other outcome fails the test.
#[track_caller]
pub fn invalid<T>(result: Result<T, CoreError>) -> Vec<FieldError> {
    match result {
        Err(CoreError::Invalid(errors)) => errors,
        Err(other) => panic!("expected CoreError::Invalid, got {other:?}"),
        Ok(_) => panic!("expected CoreError::Invalid, got Ok"),
    }
}

/// The single error of a `CoreError::Refused`; any other outcome fails the test.
#[track_caller]
pub fn refused<T>(result: Result<T, CoreError>) -> FieldError {
    match result {
        Err(CoreError::Refused(e)) => e,
        Err(other) => panic!("expected CoreError::Refused, got {other:?}"),
        Ok(_) => panic!("expected CoreError::Refused, got Ok"),
    }
}

#[track_caller]
pub fn assert_has(errors: &[FieldError], code: ErrorCode, field: &str) {
    assert!(
        errors.iter().any(|e| e.code == code && e.field == field),
        "expected {code} on `{field}`, got: {errors:#?}"
    );
}

#[track_caller]
pub fn assert_lacks(errors: &[FieldError], code: ErrorCode, field: &str) {
    assert!(
        !errors.iter().any(|e| e.code == code && e.field == field),
        "did not expect {code} on `{field}`, got: {errors:#?}"
    );
}

// --- register inputs ------------------------------------------------------------------------

pub fn household_input() -> Value {
    json!({
        "village": "翠月湖村",
        "group": "三组",
        "house_no": "18号",
        "address_detail": "村委会东侧第二排",
        "head_name": "王芳",
        "phone": "138 1234 5678",
        "tags": ["registered", "left_behind"],
        "notes": "独居老人，子女在杭州务工，春节回家"
    })
}

pub fn household(village: &str, group: &str, house_no: &str, head_name: &str) -> Value {
    json!({ "village": village, "group": group, "house_no": house_no, "head_name": head_name })
}

pub fn resident_input(household_id: Option<Uuid>) -> Value {
    json!({
        "household_id": household_id.map(|h| h.to_string()),
        "name": "王芳",
        "sex": "female",
        "ethnicity": "汉族",
        "birth_date": "1949-12-31",
        "id_number": WANG_FANG_ID,
        "category": "registered",
        "phone": "13812345678",
        "relation_to_head": "户主",
        "occupation": "务农"
    })
}

pub fn resident(name: &str, id: &str) -> Value {
    json!({ "name": name, "id_number": id, "category": "registered" })
}

pub fn dispute_input(accepted_on: &str) -> Value {
    json!({
        "accepted_on": accepted_on,
        "source": "party_request",
        "dispute_type": "homestead",
        "location": "翠月湖村三组18号",
        "parties": [
            { "name": "张德山", "role": "applicant", "sex": "male", "phone": "13905710001", "address": "翠月湖村三组" },
            { "name": "李秀英", "role": "respondent", "sex": "female", "address": "翠月湖村三组" }
        ],
        "people_count": 2,
        "summary": "张、李两家因宅基地边界围墙位置发生争执，双方多次争吵，李家拆除了部分围墙",
        "risk_level": "yellow",
        "mediators": "李建国、调委会王主任"
    })
}

pub fn patrol_input() -> Value {
    json!({
        "date": "2026-11-27",
        "start_time": "19:30",
        "end_time": "21:00",
        "kind": "officer_led",
        "mode": "foot",
        "route": "翠月湖村主干道—村小学—湖边停车场",
        "leader": "李建国",
        "members": ["赵大勇", "钱小红"],
        "headcount": 3,
        "findings": "湖边停车场路灯损坏一处，已告知村委会",
        "recorder": "赵大勇"
    })
}

pub fn visit_input(household_id: Uuid, date: &str) -> Value {
    json!({
        "date": date,
        "officer": OFFICER,
        "household_id": household_id.to_string(),
        "method": "in_home",
        "purposes": ["info_check", "safety_publicity"],
        "people_talked": 2,
        "concerns": "反映村口路灯不亮，夜间出行不便",
        "response": "已联系村委会报修",
        "satisfaction": "satisfied"
    })
}

#[track_caller]
pub fn add(store: &Store, kind: RegisterKind, input: &Value) -> Saved {
    match store.add(kind, input) {
        Ok(saved) => saved,
        Err(e) => panic!("add {kind:?} failed: {e} {:#?}", e.to_field_errors()),
    }
}

#[track_caller]
pub fn update(store: &Store, kind: RegisterKind, id: Uuid, patch: &Value) -> Saved {
    match store.update(kind, id, patch) {
        Ok(saved) => saved,
        Err(e) => panic!("update {kind:?} failed: {e} {:#?}", e.to_field_errors()),
    }
}

/// The one household most tests hang visits and residents on.
pub fn add_household(store: &Store) -> Uuid {
    add(store, RegisterKind::Households, &household_input()).id
}

/// A dispute moved to `resolved` with an outcome note, ready to be closed.
pub fn resolved_dispute(store: &Store) -> Uuid {
    let id = add(store, RegisterKind::Disputes, &dispute_input("2026-11-02")).id;
    update(store, RegisterKind::Disputes, id, &json!({ "status": "mediating" }));
    update(
        store,
        RegisterKind::Disputes,
        id,
        &json!({
            "status": "resolved",
            "outcome_note": "经调解，双方同意按1998年宅基地证界址重砌围墙，费用各半",
            "agreement_form": "written"
        }),
    );
    id
}

pub fn list_all(store: &Store, kind: RegisterKind) -> Vec<Value> {
    store.list(kind, &ListQuery { include_voided: true, limit: 1000, ..ListQuery::default() }).expect("list").items
}

pub fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_else(|| panic!("`{key}` is not a string in {v}"))
}
