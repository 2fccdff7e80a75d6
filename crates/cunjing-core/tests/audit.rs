//! The audit trail: one entry per create / update / void with before, after, changed fields,
//! actor and reason; history oldest first; a hash chain that finds edited and removed entries;
//! triggers that refuse raw deletes.

mod common;

use cunjing_core::RegisterKind;
use cunjing_core::store::{AuditAction, AuditEntry, ChainBreak};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use common::*;
use cunjing_core::domain::record::META_KEYS;

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The register's own fields of a `get` result (envelope removed).
fn fields_of(record: &Value) -> Value {
    let mut map: Map<String, Value> = record.as_object().expect("object").clone();
    // The envelope is the core's own list of reserved keys.
    for key in META_KEYS {
        map.remove(*key);
    }
    Value::Object(map)
}

/// Every audit entry of the file in id order, through the public history API.
fn all_entries(store: &cunjing_core::Store) -> Vec<AuditEntry> {
    let mut entries = Vec::new();
    for &kind in <RegisterKind as cunjing_core::domain::CodeEnum>::ALL {
        for record in list_all(store, kind) {
            let id = Uuid::parse_str(str_of(&record, "id")).expect("uuid");
            entries.extend(store.history(kind, id).expect("history"));
        }
    }
    entries.sort_by_key(|e| e.id);
    entries
}

/// A small office: a household written three times and voided, a resident, a patrol.
struct Scenario {
    db: TestDb,
    household: Uuid,
    writes: i64,
}

fn scenario() -> Scenario {
    let db = TestDb::new();
    let s = &db.store;
    let household = add_household(s); // 1
    add(s, RegisterKind::Residents, &resident_input(Some(household))); // 2
    update(s, RegisterKind::Households, household, &json!({ "phone": "13900001111", "group": "四组" })); // 3
    add(s, RegisterKind::Patrols, &patrol_input()); // 4
    update(s, RegisterKind::Households, household, &json!({ "notes": null })); // 5
    s.void(RegisterKind::Households, household, "户主已迁往县城，户已注销").expect("void"); // 6
    Scenario { db, household, writes: 6 }
}

#[test]
fn each_write_leaves_one_entry_with_before_after_and_changed_fields() {
    let db = TestDb::new();
    let s = &db.store;
    let created = add(s, RegisterKind::Households, &household("翠月湖村", "三组", "18号", "王芳"));
    let history = s.history(RegisterKind::Households, created.id).expect("history");
    assert_eq!(history.len(), 1);
    let e = &history[0];
    assert_eq!(e.action, AuditAction::Create);
    assert_eq!(e.register, RegisterKind::Households);
    assert_eq!(e.record_id, created.id);
    assert_eq!(e.version, 1);
    assert_eq!(e.change_seq, created.change_seq);
    assert_eq!(e.actor, OFFICER);
    assert_eq!(e.at, "2026-11-28T10:00:00+08:00");
    assert_eq!(e.before, None);
    assert_eq!(e.after, fields_of(&s.get(RegisterKind::Households, created.id).expect("get")));
    // On creation the changed fields are the ones filled in.
    assert_eq!(e.changed_fields, ["group", "head_name", "house_no", "village"]);
    assert_eq!(e.reason, None);

    // An update, written by a second store with a later clock.
    let later = db.open_again(clock_at("2026-11-28T15:20:00+08:00"));
    let updated =
        update(&later, RegisterKind::Households, created.id, &json!({ "head_name": "王建华", "phone": "13900001111" }));
    let history = s.history(RegisterKind::Households, created.id).expect("history");
    assert_eq!(history.len(), 2);
    let e = &history[1];
    assert_eq!(e.action, AuditAction::Update);
    assert_eq!(e.version, 2);
    assert_eq!(e.change_seq, updated.change_seq);
    assert_eq!(e.at, "2026-11-28T15:20:00+08:00");
    assert_eq!(e.before.as_ref(), Some(&history[0].after));
    assert_eq!(e.after["head_name"], "王建华");
    assert_eq!(e.before.as_ref().expect("before")["head_name"], "王芳");
    assert_eq!(e.changed_fields, ["head_name", "phone"]);
    assert_eq!(e.after, fields_of(&s.get(RegisterKind::Households, created.id).expect("get")));

    // A void.
    let voided = s.void(RegisterKind::Households, created.id, "  重复建户  ").expect("void");
    let history = s.history(RegisterKind::Households, created.id).expect("history");
    assert_eq!(history.len(), 3);
    let e = &history[2];
    assert_eq!(e.action, AuditAction::Void);
    assert_eq!(e.version, 3);
    assert_eq!(e.change_seq, voided.change_seq);
    assert_eq!(e.reason.as_deref(), Some("重复建户"));
    assert_eq!(e.changed_fields, ["voided"]);
    assert_eq!(e.before.as_ref(), Some(&history[1].after));
    assert_eq!(e.after, history[1].after, "voiding changes no register field");
}

#[test]
fn history_is_oldest_first_and_only_of_that_record() {
    let sc = scenario();
    let history = sc.db.store.history(RegisterKind::Households, sc.household).expect("history");
    let actions: Vec<AuditAction> = history.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::Create, AuditAction::Update, AuditAction::Update, AuditAction::Void]);
    let versions: Vec<i64> = history.iter().map(|e| e.version).collect();
    assert_eq!(versions, [1, 2, 3, 4]);
    assert!(history.windows(2).all(|w| w[0].id < w[1].id && w[0].change_seq < w[1].change_seq));
    assert!(history.iter().all(|e| e.record_id == sc.household));
    // Each entry's "before" is the previous entry's "after".
    for w in history.windows(2) {
        assert_eq!(w[1].before.as_ref(), Some(&w[0].after));
    }
    assert_eq!(history[2].changed_fields, ["notes"]);
    assert_eq!(history[1].changed_fields, ["group", "phone"]);
}

#[test]
fn entries_form_one_hash_chain_across_records() {
    let sc = scenario();
    let entries = all_entries(&sc.db.store);
    assert_eq!(entries.len() as i64, sc.writes);
    assert_eq!(entries[0].prev_hash, GENESIS);
    for w in entries.windows(2) {
        assert_eq!(w[1].prev_hash, w[0].hash, "entry {} points at entry {}", w[1].id, w[0].id);
    }
    let hashes: std::collections::BTreeSet<&str> = entries.iter().map(|e| e.hash.as_str()).collect();
    assert_eq!(hashes.len(), entries.len());
    assert!(entries.iter().all(|e| e.hash.len() == 64 && e.hash.bytes().all(|b| b.is_ascii_hexdigit())));
    assert_eq!(sc.db.store.verify_audit_chain().expect("reads"), Ok(sc.writes));
}

#[test]
fn a_fresh_office_has_an_empty_valid_chain() {
    let db = TestDb::new();
    assert_eq!(db.store.verify_audit_chain().expect("reads"), Ok(0));
}

#[test]
fn refused_and_no_op_writes_leave_no_entry() {
    let sc = scenario();
    let s = &sc.db.store;
    let p = Uuid::parse_str(str_of(&list_all(s, RegisterKind::Patrols)[0], "id")).expect("uuid");
    assert!(
        !s.update(RegisterKind::Patrols, p, &json!({ "route": " 翠月湖村主干道—村小学—湖边停车场 " }))
            .expect("no-op")
            .changed
    );
    assert!(s.update(RegisterKind::Patrols, p, &json!({ "headcount": 0 })).is_err());
    assert!(s.void(RegisterKind::Households, sc.household, "再作废一次").is_err());
    assert!(s.add(RegisterKind::Patrols, &json!({ "date": "2026-11-27" })).is_err());
    assert_eq!(s.verify_audit_chain().expect("reads"), Ok(sc.writes));
    assert_eq!(s.history(RegisterKind::Patrols, p).expect("history").len(), 1);
}

fn tamper(db: &TestDb, sql: &str) {
    db.raw().execute_batch(sql).expect("tampering SQL runs");
}

#[test]
fn an_edited_entry_breaks_the_chain_at_that_entry() {
    let sc = scenario();
    let entries = all_entries(&sc.db.store);
    // Entry 3 is the household update; make it say something else.
    let target = &entries[2];
    assert!(target.after.to_string().contains("13900001111"));
    tamper(
        &sc.db,
        &format!(
            "DROP TRIGGER audit_log_no_update;
             UPDATE audit_log SET after = replace(after, '13900001111', '13900002222') WHERE id = {};",
            target.id
        ),
    );
    let changed = sc.db.store.history(RegisterKind::Households, sc.household).expect("history");
    assert!(changed[1].after.to_string().contains("13900002222"), "the tampering took effect");
    match sc.db.store.verify_audit_chain().expect("reads") {
        Err(ChainBreak { entry_id, reason }) => {
            assert_eq!(entry_id, target.id);
            assert!(!reason.is_empty());
        }
        Ok(n) => panic!("tampering went unnoticed ({n} entries verified)"),
    }
}

#[test]
fn an_edited_actor_or_reason_breaks_the_chain() {
    for (column, value, index) in
        [("actor", "'某人'", 0usize), ("reason", "'没有原因'", 5), ("at", "'2026-01-01T00:00:00+08:00'", 3)]
    {
        let sc = scenario();
        let entries = all_entries(&sc.db.store);
        let target = entries[index].id;
        tamper(
            &sc.db,
            &format!("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET {column} = {value} WHERE id = {target};"),
        );
        let result = sc.db.store.verify_audit_chain().expect("reads");
        assert_eq!(result.map_err(|b| b.entry_id), Err(target), "{column}");
    }
}

#[test]
fn a_deleted_middle_entry_breaks_the_chain_at_the_next_one() {
    let sc = scenario();
    let entries = all_entries(&sc.db.store);
    let removed = entries[2].id;
    let next = entries[3].id;
    tamper(&sc.db, &format!("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = {removed};"));
    assert_eq!(all_entries(&sc.db.store).len(), entries.len() - 1);
    let result = sc.db.store.verify_audit_chain().expect("reads");
    assert_eq!(result.map_err(|b| b.entry_id), Err(next));
}

#[test]
fn a_deleted_first_entry_breaks_the_chain() {
    let sc = scenario();
    let entries = all_entries(&sc.db.store);
    tamper(&sc.db, &format!("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = {};", entries[0].id));
    let result = sc.db.store.verify_audit_chain().expect("reads");
    assert_eq!(result.map_err(|b| b.entry_id), Err(entries[1].id));
}

#[test]
fn raw_deletes_and_audit_edits_are_refused_by_triggers() {
    let sc = scenario();
    let conn = sc.db.raw();
    let before = sc.db.snapshot();
    for (sql, says) in [
        ("DELETE FROM records", "never deleted"),
        (&format!("DELETE FROM records WHERE id = '{}'", sc.household) as &str, "never deleted"),
        ("DELETE FROM audit_log WHERE id = 1", "append-only"),
        ("UPDATE audit_log SET actor = '某人'", "append-only"),
        ("DELETE FROM changes", "append-only"),
    ] {
        let e = conn.execute(sql, []).expect_err(sql);
        assert!(e.to_string().contains(says), "{sql}: {e}");
    }
    drop(conn);
    assert_eq!(sc.db.snapshot(), before);
    assert_eq!(sc.db.store.verify_audit_chain().expect("reads"), Ok(sc.writes));
}

#[test]
fn writes_after_a_break_do_not_repair_it() {
    let sc = scenario();
    let entries = all_entries(&sc.db.store);
    tamper(&sc.db, &format!("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = {};", entries[1].id));
    add(&sc.db.store, RegisterKind::Patrols, &patrol_input());
    let result = sc.db.store.verify_audit_chain().expect("reads");
    assert_eq!(result.map_err(|b| b.entry_id), Err(entries[2].id));
}

#[test]
fn a_deleted_last_entry_is_noticed() {
    let sc = scenario();
    let entries = all_entries(&sc.db.store);
    let last = entries.last().expect("entries").id;
    tamper(&sc.db, &format!("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = {last};"));
    let result = sc.db.store.verify_audit_chain().expect("reads");
    assert!(result.is_err(), "the void of the household vanished from the audit trail unnoticed: {result:?}");
}
