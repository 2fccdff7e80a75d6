//! The store's lifecycle and write path: creating and opening an office file, add / get /
//! update / void round trips for the five registers, versions and change sequence numbers,
//! read-only fields and the list API (voided records, date range, household, sort, paging).

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use cunjing_core::domain::CodeEnum;
use cunjing_core::domain::household::Household;
use cunjing_core::store::{ListQuery, ListSort};
use cunjing_core::{CoreError, ErrorCode, NewOffice, RegisterKind, Store};
use serde_json::{Value, json};
use uuid::Uuid;

use common::*;
use cunjing_core::domain::record::META_KEYS;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

// --- creating and opening -------------------------------------------------------------------

#[test]
fn create_writes_the_office_and_open_reads_it_back() {
    let db = TestDb::new();
    let office = db.store.office().expect("office");
    assert_eq!(office.code, OFFICE_CODE);
    assert_eq!(office.name, OFFICE_NAME);
    assert_eq!(office.officer, OFFICER);
    assert_eq!(office.created_at, "2026-11-28T10:00:00+08:00");
    assert!(db.store.has_office().expect("has_office"));

    let again = db.open_again(clock());
    assert_eq!(again.office().expect("office"), office);
    assert_eq!(again.path(), db.path.as_path());
}

#[test]
fn create_refuses_a_file_that_already_holds_an_office() {
    let db = TestDb::new();
    let household = add_household(&db.store);
    let before = db.snapshot();

    // While the first store is still open …
    let other =
        NewOffice {
            code: "OTHER-1".into(), name: "别的警务室".into(), officer: "赵六".into(), ..NewOffice::default()
        };
    let e = refused(Store::create(&db.path, &other, &key(), clock()));
    assert_eq!(e.code, ErrorCode::OfficeExists);
    // … through the first store itself …
    let e = refused(db.store.init_office(&other));
    assert_eq!(e.code, ErrorCode::OfficeExists);

    // … and after it is closed.
    let TestDb { store, path, dir } = db;
    drop(store);
    let e = refused(Store::create(&path, &other, &key(), clock()));
    assert_eq!(e.code, ErrorCode::OfficeExists);

    let store = Store::open(&path, &key(), clock()).expect("still opens");
    let office = store.office().expect("office");
    assert_eq!(office.code, OFFICE_CODE);
    assert_eq!(office.officer, OFFICER);
    assert_eq!(store.get(RegisterKind::Households, household).expect("record kept")["head_name"], "王芳");
    assert_eq!(snapshot(&store, &path), before);
    drop(store);
    drop(dir);
}

#[test]
fn create_refuses_blank_or_unsafe_office_fields() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("office.db");
    let office =
        NewOffice { code: "翠月湖 1".into(), name: "  ".into(), officer: String::new(), ..NewOffice::default() };
    let errors = invalid(Store::create(&path, &office, &key(), clock()));
    assert_has(&errors, ErrorCode::InvalidType, "code");
    assert_has(&errors, ErrorCode::Required, "name");
    assert_has(&errors, ErrorCode::Required, "officer");
    assert_eq!(errors.len(), 3, "{errors:#?}");
    // Whatever was left behind holds no office, and a corrected create succeeds.
    if path.exists() {
        let store = Store::open(&path, &key(), clock()).expect("opens");
        assert!(!store.has_office().expect("has_office"));
    }
    let store = Store::create(&path, &new_office(), &key(), clock()).expect("corrected create");
    assert_eq!(store.office().expect("office").code, OFFICE_CODE);
}

#[test]
fn a_refused_create_leaves_no_file_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("office.db");
    let office = NewOffice { code: "bad code".into(), ..new_office() };
    invalid(Store::create(&path, &office, &key(), clock()));
    assert!(!path.exists(), "a refused create must not leave a file behind");
}

#[test]
fn create_does_not_overwrite_a_file_that_is_not_a_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("notes.db");
    let content = "民警工作日志（纯文本，不是数据库）\n".repeat(200);
    std::fs::write(&path, &content).expect("write text file");
    let result = Store::create(&path, &new_office(), &key(), clock());
    assert!(result.is_err(), "creating an office over a text file must fail");
    assert_eq!(std::fs::read_to_string(&path).expect("still readable"), content);
}

#[test]
fn open_of_a_missing_file_is_no_office_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("missing.db");
    let e = refused(Store::open(&path, &key(), clock()));
    assert_eq!(e.code, ErrorCode::NoOffice);
    assert!(!path.exists());
}

#[test]
fn a_database_without_an_office_refuses_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("setup.db");
    let store = Store::open_or_create(&path, &key(), clock()).expect("empty database");
    assert!(!store.has_office().expect("has_office"));
    assert_eq!(refused(store.office()).code, ErrorCode::NoOffice);
    let e = refused(store.add(RegisterKind::Households, &household_input()));
    assert_eq!(e.code, ErrorCode::NoOffice);
    let e = refused(store.add(RegisterKind::Disputes, &dispute_input("2026-11-02")));
    assert_eq!(e.code, ErrorCode::NoOffice);
    assert_eq!(snapshot(&store, &path).totals.iter().map(|(_, n)| n).sum::<i64>(), 0);

    // After setup the first dispute is still number 001: the refused add took none.
    store.init_office(&new_office()).expect("setup");
    let saved = add(&store, RegisterKind::Disputes, &dispute_input("2026-11-02"));
    assert_eq!(saved.record_no.as_deref(), Some("2026-纠-001"));
}

#[test]
fn writes_are_signed_by_the_current_officer() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let handover = NewOffice { officer: "孙晓东".into(), ..new_office() };
    db.store.update_office(&handover).expect("new officer takes over");
    update(&db.store, RegisterKind::Households, h, &json!({ "notes": "交接后复核" }));
    let got = db.store.get(RegisterKind::Households, h).expect("get");
    assert_eq!(got["created_by"], OFFICER);
    assert_eq!(got["updated_by"], "孙晓东");
    let history = db.store.history(RegisterKind::Households, h).expect("history");
    let actors: Vec<&str> = history.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(actors, [OFFICER, "孙晓东"]);
    // The office code never changes.
    let recoded = NewOffice { code: "OTHER-2".into(), ..new_office() };
    let errors = invalid(db.store.update_office(&recoded));
    assert_has(&errors, ErrorCode::ReadOnlyField, "code");
}

// --- round trips ----------------------------------------------------------------------------

struct Case {
    kind: RegisterKind,
    input: Value,
    /// Register fields as `get` must show them after add (normalised values).
    stored: Value,
    patch: Value,
    /// Register fields as `get` must show them after the update.
    patched: Value,
}

fn cases(household: Uuid) -> Vec<Case> {
    vec![
        Case {
            kind: RegisterKind::Households,
            input: household_input(),
            stored: json!({ "village": "翠月湖村", "group": "三组", "house_no": "18号", "head_name": "王芳",
                            "phone": "13812345678", "tags": ["registered", "left_behind"] }),
            patch: json!({ "head_name": "王建华", "phone": null, "tags": ["registered", "rental"] }),
            patched: json!({ "head_name": "王建华", "phone": null, "tags": ["registered", "rental"],
                             "village": "翠月湖村" }),
        },
        Case {
            kind: RegisterKind::Residents,
            input: resident_input(Some(household)),
            stored: json!({ "household_id": household.to_string(), "name": "王芳", "sex": "female",
                            "birth_date": "1949-12-31", "id_number": WANG_FANG_ID, "category": "registered",
                            "phone": "13812345678", "ethnicity": "汉族", "former_name": null }),
            patch: json!({ "occupation": "退休", "phone": "0571-87654321" }),
            patched: json!({ "occupation": "退休", "phone": "0571-87654321", "name": "王芳" }),
        },
        Case {
            kind: RegisterKind::Disputes,
            input: dispute_input("2026-11-02"),
            stored: json!({ "record_no": "2026-纠-001", "status": "accepted", "accepted_on": "2026-11-02",
                            "dispute_type": "homestead", "people_count": 2, "escalation_flag": false,
                            "steps": [], "followups": [], "outcome_note": null }),
            patch: json!({ "status": "mediating",
                           "steps": [{ "date": "2026-11-03", "content": "民警与调委会到现场查看围墙界址",
                                       "participants": "李建国、王主任" }] }),
            patched: json!({ "status": "mediating", "record_no": "2026-纠-001",
                             "steps": [{ "date": "2026-11-03", "content": "民警与调委会到现场查看围墙界址",
                                         "participants": "李建国、王主任" }] }),
        },
        Case {
            kind: RegisterKind::Patrols,
            input: patrol_input(),
            stored: json!({ "date": "2026-11-27", "start_time": "19:30", "end_time": "21:00",
                            "crosses_midnight": false, "kind": "officer_led", "mode": "foot",
                            "members": ["赵大勇", "钱小红"], "headcount": 3, "arrests": null }),
            patch: json!({ "end_time": "21:40", "checked_count": 4, "arrests": 0, "handling": "盘查可疑车辆一辆，无异常" }),
            patched: json!({ "end_time": "21:40", "checked_count": 4, "arrests": 0, "start_time": "19:30" }),
        },
        Case {
            kind: RegisterKind::Visits,
            input: visit_input(household, "2026-11-20"),
            stored: json!({ "date": "2026-11-20", "officer": OFFICER, "household_id": household.to_string(),
                            "method": "in_home", "purposes": ["info_check", "safety_publicity"],
                            "people_talked": 2, "satisfaction": "satisfied",
                            // The household's head and address as they were on the day.
                            "head_name": "陈国强", "address": "翠月湖村一组3号" }),
            patch: json!({ "satisfaction": "basically", "hazards": "院内电线老化，已提醒更换" }),
            patched: json!({ "satisfaction": "basically", "hazards": "院内电线老化，已提醒更换", "people_talked": 2 }),
        },
    ]
}

#[track_caller]
fn assert_fields(record: &Value, expected: &Value) {
    for (key, value) in expected.as_object().expect("object") {
        assert_eq!(record.get(key), Some(value), "field `{key}` in {record:#}");
    }
}

#[test]
fn add_get_update_void_round_trip_for_every_register() {
    let db = TestDb::new();
    let household = add(&db.store, RegisterKind::Households, &household("翠月湖村", "一组", "3号", "陈国强")).id;
    let mut seen = BTreeSet::new();
    for case in cases(household) {
        let kind = case.kind;
        let saved = add(&db.store, kind, &case.input);
        assert_eq!(saved.register, kind);
        assert_eq!(saved.version, 1);
        assert!(saved.changed);
        assert_eq!(saved.record_no.is_some(), kind == RegisterKind::Disputes, "{kind:?}");
        assert!(seen.insert(saved.id), "ids are unique");

        // `get` is one flat object: envelope next to the register's fields.
        let got = db.store.get(kind, saved.id).expect("get");
        let obj = got.as_object().expect("flat object");
        for key in META_KEYS {
            assert!(obj.contains_key(*key), "{kind:?}: envelope field `{key}` missing in {got:#}");
        }
        assert!(!obj.contains_key("data") && !obj.contains_key("meta"), "not nested: {got:#}");
        assert_eq!(got["id"], saved.id.to_string());
        assert_eq!(got["register"], kind.code());
        assert_eq!(got["version"], 1);
        assert_eq!(got["change_seq"], saved.change_seq);
        assert_eq!(got["office_code"], OFFICE_CODE);
        assert_eq!(got["created_by"], OFFICER);
        assert_eq!(got["updated_by"], OFFICER);
        assert_eq!(got["created_at"], "2026-11-28T10:00:00+08:00");
        assert_eq!(got["voided"], false);
        assert_eq!(got["void_reason"], Value::Null);
        assert_fields(&got, &case.stored);
        if let Some(no) = &saved.record_no {
            assert_eq!(got["record_no"], no.as_str());
        }

        // It is listed.
        let listed = db.store.list(kind, &ListQuery::default()).expect("list");
        assert!(listed.items.iter().any(|r| r["id"] == saved.id.to_string()), "{kind:?} listed");

        // Update: a new version with the patched fields, everything else kept.
        let updated = update(&db.store, kind, saved.id, &case.patch);
        assert!(updated.changed);
        assert_eq!(updated.version, 2);
        assert!(updated.change_seq > saved.change_seq);
        assert_eq!(updated.record_no, saved.record_no);
        let got = db.store.get(kind, saved.id).expect("get");
        assert_eq!(got["version"], 2);
        assert_eq!(got["change_seq"], updated.change_seq);
        assert_fields(&got, &case.patched);

        // Void: a third version, still readable, marked void, hidden from the default list.
        let voided = db.store.void(kind, saved.id, "重复登记，以另一条为准").expect("void");
        assert_eq!(voided.version, 3);
        assert!(voided.change_seq > updated.change_seq);
        assert_eq!(voided.record_no, saved.record_no);
        let got = db.store.get(kind, saved.id).expect("voided records stay readable");
        assert_eq!(got["voided"], true);
        assert_eq!(got["void_reason"], "重复登记，以另一条为准");
        assert_eq!(got["version"], 3);
        assert_fields(&got, &case.patched);
        let listed = db.store.list(kind, &ListQuery::default()).expect("list");
        assert!(!listed.items.iter().any(|r| r["id"] == saved.id.to_string()), "{kind:?} voided is hidden");
    }
}

#[test]
fn get_typed_reads_the_same_record() {
    let db = TestDb::new();
    let saved = add(&db.store, RegisterKind::Households, &household_input());
    let record = db.store.get_typed::<Household>(saved.id).expect("typed");
    assert_eq!(record.meta.id, saved.id);
    assert_eq!(record.meta.version, 1);
    assert_eq!(record.data.head_name, "王芳");
    assert_eq!(record.data.phone.as_deref(), Some("13812345678"));
    let flat = serde_json::to_value(&record).expect("serialises flat");
    assert_eq!(flat, db.store.get(RegisterKind::Households, saved.id).expect("get"));
}

#[test]
fn get_update_and_void_refuse_unknown_ids_and_the_wrong_register() {
    let db = TestDb::new();
    let household = add_household(&db.store);
    let before = db.snapshot();
    for kind in [RegisterKind::Residents, RegisterKind::Visits] {
        assert_eq!(refused(db.store.get(kind, household)).code, ErrorCode::RecordNotFound);
        assert_eq!(refused(db.store.update(kind, household, &json!({}))).code, ErrorCode::RecordNotFound);
        assert_eq!(refused(db.store.void(kind, household, "误操作")).code, ErrorCode::RecordNotFound);
        assert_eq!(refused(db.store.history(kind, household)).code, ErrorCode::RecordNotFound);
    }
    let stranger = Uuid::new_v4();
    assert_eq!(refused(db.store.get(RegisterKind::Households, stranger)).code, ErrorCode::RecordNotFound);
    assert_eq!(db.snapshot(), before);
}

#[test]
fn add_refuses_non_object_input() {
    let db = TestDb::new();
    let before = db.snapshot();
    for input in [json!([1, 2]), json!("王芳"), json!(null)] {
        let errors = invalid(db.store.add(RegisterKind::Households, &input));
        assert_has(&errors, ErrorCode::InvalidType, "");
    }
    assert_eq!(db.snapshot(), before);
}

// --- versions and change sequence -----------------------------------------------------------

#[test]
fn versions_count_writes_and_change_seq_increases_across_every_register() {
    let db = TestDb::new();
    let s = &db.store;
    let mut seqs = Vec::new();
    let h = add(s, RegisterKind::Households, &household_input());
    seqs.push(h.change_seq);
    let r = add(s, RegisterKind::Residents, &resident_input(Some(h.id)));
    seqs.push(r.change_seq);
    let p = add(s, RegisterKind::Patrols, &patrol_input());
    seqs.push(p.change_seq);
    for (i, notes) in ["一次", "两次", "三次"].iter().enumerate() {
        let u = update(s, RegisterKind::Households, h.id, &json!({ "notes": notes }));
        assert_eq!(u.version, 2 + i as i64);
        seqs.push(u.change_seq);
    }
    let d = add(s, RegisterKind::Disputes, &dispute_input("2026-11-01"));
    seqs.push(d.change_seq);
    let v = add(s, RegisterKind::Visits, &visit_input(h.id, "2026-11-27"));
    seqs.push(v.change_seq);
    let rv = s.void(RegisterKind::Residents, r.id, "户籍迁出").expect("void");
    assert_eq!(rv.version, 2);
    seqs.push(rv.change_seq);
    let pu = update(s, RegisterKind::Patrols, p.id, &json!({ "headcount": 4 }));
    assert_eq!(pu.version, 2);
    seqs.push(pu.change_seq);

    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "strictly increasing: {seqs:?}");
    // Every record's envelope carries the sequence number of its latest write.
    assert_eq!(s.get(RegisterKind::Households, h.id).expect("get")["change_seq"], seqs[5]);
    assert_eq!(s.get(RegisterKind::Households, h.id).expect("get")["version"], 4);
    assert_eq!(s.get(RegisterKind::Residents, r.id).expect("get")["change_seq"], rv.change_seq);
    assert_eq!(s.get(RegisterKind::Patrols, p.id).expect("get")["change_seq"], pu.change_seq);
}

#[test]
fn change_seq_keeps_increasing_across_stores_on_the_same_file() {
    let db = TestDb::new();
    let a = add(&db.store, RegisterKind::Households, &household_input());
    let other = db.open_again(clock_at("2026-11-28T11:00:00+08:00"));
    let b = add(&other, RegisterKind::Patrols, &patrol_input());
    let c = update(&db.store, RegisterKind::Households, a.id, &json!({ "group": "四组" }));
    assert!(a.change_seq < b.change_seq && b.change_seq < c.change_seq, "{a:?} {b:?} {c:?}");
}

#[test]
fn an_update_that_changes_nothing_writes_nothing() {
    let db = TestDb::new();
    let h = add(&db.store, RegisterKind::Households, &household_input());
    let r = add(&db.store, RegisterKind::Residents, &resident_input(Some(h.id)));
    let before = db.snapshot();

    // The same values, typed differently: whitespace, phone formatting, lowercase x.
    let same_household = json!({ "head_name": "  王芳 ", "phone": "+86 138-1234-5678", "village": "翠月湖村" });
    let saved = db.store.update(RegisterKind::Households, h.id, &same_household).expect("update");
    assert!(!saved.changed);
    assert_eq!(saved.version, 1);
    assert_eq!(saved.change_seq, h.change_seq);

    let same_resident = json!({ "id_number": WANG_FANG_ID.to_lowercase(), "name": "王芳" });
    let saved = db.store.update(RegisterKind::Residents, r.id, &same_resident).expect("update");
    assert!(!saved.changed);
    assert_eq!(saved.version, 1);
    assert_eq!(saved.change_seq, r.change_seq);

    let saved = db.store.update(RegisterKind::Residents, r.id, &json!({})).expect("empty patch");
    assert!(!saved.changed);

    assert_eq!(db.snapshot(), before);
    assert_eq!(db.store.history(RegisterKind::Households, h.id).expect("history").len(), 1);
    assert_eq!(db.store.history(RegisterKind::Residents, r.id).expect("history").len(), 1);
}

#[test]
fn a_null_in_the_patch_clears_an_optional_field() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let saved = update(&db.store, RegisterKind::Households, h, &json!({ "notes": null, "group": null }));
    assert!(saved.changed);
    let got = db.store.get(RegisterKind::Households, h).expect("get");
    assert_eq!(got["notes"], Value::Null);
    assert_eq!(got["group"], Value::Null);
    assert_eq!(got["head_name"], "王芳");
    // Clearing a required field is refused.
    let errors = invalid(db.store.update(RegisterKind::Households, h, &json!({ "village": null })));
    assert_has(&errors, ErrorCode::Required, "village");
}

// --- void ----------------------------------------------------------------------------------

#[test]
fn a_voided_record_cannot_be_updated_or_voided_again() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    db.store.void(RegisterKind::Households, h, "门牌登记错误").expect("void");
    let before = db.snapshot();

    let e = refused(db.store.update(RegisterKind::Households, h, &json!({ "head_name": "王建华" })));
    assert_eq!(e.code, ErrorCode::RecordVoided);
    let e = refused(db.store.void(RegisterKind::Households, h, "再次作废"));
    assert_eq!(e.code, ErrorCode::AlreadyVoided);

    assert_eq!(db.snapshot(), before);
    let got = db.store.get(RegisterKind::Households, h).expect("get");
    assert_eq!(got["void_reason"], "门牌登记错误");
    assert_eq!(got["head_name"], "王芳");
}

#[test]
fn void_needs_a_reason() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let before = db.snapshot();
    for reason in ["", "   ", "\n\t"] {
        let errors = invalid(db.store.void(RegisterKind::Households, h, reason));
        assert_has(&errors, ErrorCode::Required, "reason");
    }
    let errors = invalid(db.store.void(RegisterKind::Households, h, &"太".repeat(501)));
    assert_has(&errors, ErrorCode::TooLong, "reason");
    assert_eq!(db.snapshot(), before);
    assert_eq!(db.store.get(RegisterKind::Households, h).expect("get")["voided"], false);

    // The reason is stored trimmed.
    db.store.void(RegisterKind::Households, h, "  户主搬迁  ").expect("void");
    assert_eq!(db.store.get(RegisterKind::Households, h).expect("get")["void_reason"], "户主搬迁");
}

// --- read-only fields -----------------------------------------------------------------------

#[test]
fn envelope_and_store_assigned_fields_are_read_only() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let d = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-11-02"));
    let before = db.snapshot();

    let mut input = household_input();
    input["id"] = json!(Uuid::new_v4().to_string());
    let errors = invalid(db.store.add(RegisterKind::Households, &input));
    assert_has(&errors, ErrorCode::ReadOnlyField, "id");

    let errors = invalid(db.store.update(RegisterKind::Households, h, &json!({ "version": 7, "voided": true })));
    assert_has(&errors, ErrorCode::ReadOnlyField, "version");
    assert_has(&errors, ErrorCode::ReadOnlyField, "voided");

    let mut input = dispute_input("2026-11-03");
    input["record_no"] = json!("2026-纠-999");
    let errors = invalid(db.store.add(RegisterKind::Disputes, &input));
    assert_has(&errors, ErrorCode::ReadOnlyField, "record_no");

    let errors = invalid(db.store.update(RegisterKind::Disputes, d.id, &json!({ "record_no": "2026-纠-999" })));
    assert_has(&errors, ErrorCode::ReadOnlyField, "record_no");

    // record_no is only read-only on disputes: elsewhere it is simply not a field.
    let mut input = patrol_input();
    input["record_no"] = json!("2026-巡-001");
    let errors = invalid(db.store.add(RegisterKind::Patrols, &input));
    assert_has(&errors, ErrorCode::UnknownField, "record_no");

    assert_eq!(db.snapshot(), before);
    assert_eq!(db.store.get(RegisterKind::Disputes, d.id).expect("get")["record_no"], "2026-纠-001");
}

// --- list ----------------------------------------------------------------------------------

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|r| str_of(r, "id").to_string()).collect()
}

fn dates(items: &[Value]) -> Vec<String> {
    items.iter().map(|r| str_of(r, "date").to_string()).collect()
}

#[test]
fn list_filters_voided_dates_and_household() {
    let db = TestDb::new();
    let s = &db.store;
    let a = add_household(s);
    let b = add(s, RegisterKind::Households, &household("翠月湖村", "一组", "3号", "陈国强")).id;
    let mut by_date = std::collections::BTreeMap::new();
    for (household, d) in
        [(a, "2026-11-01"), (a, "2026-11-10"), (b, "2026-11-15"), (a, "2026-11-20"), (b, "2026-11-28")]
    {
        by_date.insert(d, add(s, RegisterKind::Visits, &visit_input(household, d)).id);
    }
    s.void(RegisterKind::Visits, by_date["2026-11-15"], "日期记错，已重新登记").expect("void");

    let q = ListQuery::default();
    let page = s.list(RegisterKind::Visits, &q).expect("list");
    assert_eq!(page.total, 4);
    assert!(page.items.iter().all(|r| r["voided"] == false));

    let page = s.list(RegisterKind::Visits, &ListQuery { include_voided: true, ..q.clone() }).expect("list");
    assert_eq!(page.total, 5);
    assert_eq!(page.items.iter().filter(|r| r["voided"] == true).count(), 1);

    // Inclusive date range.
    let range = ListQuery { from: Some(date("2026-11-10")), to: Some(date("2026-11-20")), ..q.clone() };
    let page = s.list(RegisterKind::Visits, &range).expect("list");
    assert_eq!(page.total, 2);
    assert_eq!(dates(&page.items), ["2026-11-20", "2026-11-10"]);
    let page = s.list(RegisterKind::Visits, &ListQuery { include_voided: true, ..range }).expect("list");
    assert_eq!(dates(&page.items), ["2026-11-20", "2026-11-15", "2026-11-10"]);
    let from_only = ListQuery { from: Some(date("2026-11-20")), ..q.clone() };
    assert_eq!(dates(&s.list(RegisterKind::Visits, &from_only).expect("list").items), ["2026-11-28", "2026-11-20"]);
    let to_only = ListQuery { to: Some(date("2026-11-01")), ..q.clone() };
    assert_eq!(dates(&s.list(RegisterKind::Visits, &to_only).expect("list").items), ["2026-11-01"]);
    let empty = ListQuery { from: Some(date("2026-11-21")), to: Some(date("2026-11-27")), ..q.clone() };
    assert_eq!(s.list(RegisterKind::Visits, &empty).expect("list").total, 0);

    // By household.
    let of_a = ListQuery { household_id: Some(a), ..q.clone() };
    let page = s.list(RegisterKind::Visits, &of_a).expect("list");
    assert_eq!(page.total, 3);
    assert!(page.items.iter().all(|r| r["household_id"] == a.to_string()));
    let of_b = ListQuery { household_id: Some(b), ..q.clone() };
    assert_eq!(ids(&s.list(RegisterKind::Visits, &of_b).expect("list").items), [by_date["2026-11-28"].to_string()]);

    // Residents of a household too.
    add(s, RegisterKind::Residents, &resident_input(Some(a)));
    add(
        s,
        RegisterKind::Residents,
        &json!({ "household_id": b.to_string(), "name": "陈小宝",
        "id_number": BOY_ID, "category": "registered" }),
    );
    let page = s.list(RegisterKind::Residents, &ListQuery { household_id: Some(b), ..q.clone() }).expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0]["name"], "陈小宝");

    // Registers do not leak into each other.
    assert_eq!(s.list(RegisterKind::Households, &q).expect("list").total, 2);
    assert_eq!(s.list(RegisterKind::Patrols, &q).expect("list").total, 0);
}

#[test]
fn list_sort_orders() {
    let db = TestDb::new();
    let s = &db.store;
    let h = add_household(s);
    let mut visit_ids = std::collections::BTreeMap::new();
    for d in ["2026-11-12", "2026-10-30", "2026-11-27", "2026-11-01"] {
        visit_ids.insert(d, add(s, RegisterKind::Visits, &visit_input(h, d)).id);
    }
    let sorted =
        |sort| dates(&s.list(RegisterKind::Visits, &ListQuery { sort, ..ListQuery::default() }).expect("l").items);
    assert_eq!(sorted(ListSort::DateDesc), ["2026-11-27", "2026-11-12", "2026-11-01", "2026-10-30"]);
    assert_eq!(sorted(ListSort::DateAsc), ["2026-10-30", "2026-11-01", "2026-11-12", "2026-11-27"]);

    // Most recently updated first: a later clock updates the oldest visit.
    let later = db.open_again(clock_at("2026-11-28T16:45:00+08:00"));
    update(&later, RegisterKind::Visits, visit_ids["2026-10-30"], &json!({ "people_talked": 5 }));
    let first = &sorted(ListSort::UpdatedDesc)[0];
    assert_eq!(first, "2026-10-30");
    let got = s.get(RegisterKind::Visits, visit_ids["2026-10-30"]).expect("get");
    assert_eq!(got["updated_at"], "2026-11-28T16:45:00+08:00");
    assert_eq!(got["created_at"], "2026-11-28T10:00:00+08:00");

    // By title: households sort by village, group, house number.
    add(s, RegisterKind::Households, &household("翠月湖村", "一组", "3号", "陈国强"));
    add(s, RegisterKind::Households, &household("东山村", "二组", "7号", "刘明"));
    let titles: Vec<String> = s
        .list(RegisterKind::Households, &ListQuery { sort: ListSort::TitleAsc, ..ListQuery::default() })
        .expect("list")
        .items
        .iter()
        .map(|r| r["village"].as_str().unwrap_or_default().to_string() + r["group"].as_str().unwrap_or_default())
        .collect();
    let mut expected = titles.clone();
    expected.sort();
    assert_eq!(titles, expected);
    assert_eq!(titles, ["东山村二组", "翠月湖村一组", "翠月湖村三组"]);
}

#[test]
fn list_pages_with_limit_and_offset() {
    let db = TestDb::new();
    let s = &db.store;
    let h = add_household(s);
    for day in 1..=7 {
        add(s, RegisterKind::Visits, &visit_input(h, &format!("2026-11-{day:02}")));
    }
    let extra = add(s, RegisterKind::Visits, &visit_input(h, "2026-11-08")).id;
    s.void(RegisterKind::Visits, extra, "重复").expect("void");

    let page_of = |limit, offset| {
        s.list(RegisterKind::Visits, &ListQuery { sort: ListSort::DateAsc, limit, offset, ..ListQuery::default() })
            .expect("list")
    };
    let all = page_of(100, 0);
    assert_eq!(all.total, 7);
    let mut walked = Vec::new();
    for (offset, len) in [(0, 3), (3, 3), (6, 1), (9, 0)] {
        let page = page_of(3, offset);
        assert_eq!(page.total, 7, "total counts every match, not the page");
        assert_eq!(page.items.len(), len, "offset {offset}");
        walked.extend(page.items);
    }
    assert_eq!(ids(&walked), ids(&all.items));
    assert_eq!(dates(&walked).first().map(String::as_str), Some("2026-11-01"));
    assert_eq!(dates(&walked).last().map(String::as_str), Some("2026-11-07"));

    for (limit, offset) in [(0, 0), (1001, 0), (10, -1)] {
        let e = refused(s.list(RegisterKind::Visits, &ListQuery { limit, offset, ..ListQuery::default() }));
        assert_eq!(e.code, ErrorCode::OutOfRange, "limit {limit} offset {offset}");
    }
}

#[test]
fn list_title_filter() {
    let db = TestDb::new();
    let s = &db.store;
    add_household(s);
    add(s, RegisterKind::Households, &household("东山村", "二组", "7号", "刘明"));
    let q = ListQuery { title_contains: Some("东山".into()), ..ListQuery::default() };
    let page = s.list(RegisterKind::Households, &q).expect("list");
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0]["head_name"], "刘明");
    let blank = ListQuery { title_contains: Some("  ".into()), ..ListQuery::default() };
    assert_eq!(s.list(RegisterKind::Households, &blank).expect("list").total, 2);
}

#[test]
fn core_errors_map_to_wire_records() {
    let db = TestDb::new();
    let e = db.store.void(RegisterKind::Households, Uuid::new_v4(), "x").expect_err("missing");
    assert!(e.is_input_error());
    let wire = e.to_field_errors();
    assert_eq!(wire.len(), 1);
    assert_eq!(wire[0].code, ErrorCode::RecordNotFound);
    assert!(matches!(e, CoreError::Refused(_)));
}
