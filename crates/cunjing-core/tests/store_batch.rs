//! The batch write path: many records in one transaction, each through exactly the single-record
//! logic (validation, references, numbering, change log, audit, search), all or nothing.

mod common;

use cunjing_core::{ErrorCode, RegisterKind};
use serde_json::{Value, json};
use uuid::Uuid;

use common::*;

fn households(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| household("翠月湖村", "三组", &format!("{}号", i + 1), &format!("曾国{}", ["华", "强", "平"][i % 3])))
        .collect()
}

#[test]
fn a_batch_adds_every_record_as_single_adds_would() {
    let db = TestDb::new();
    let saved = db.store.add_batch(RegisterKind::Households, &households(3)).expect("batch");
    assert_eq!(saved.len(), 3);
    assert!(saved.iter().all(|s| s.version == 1 && s.changed));
    assert!(saved.windows(2).all(|w| w[1].change_seq == w[0].change_seq + 1), "{saved:?}");
    // The same input added singly is stored the same way (data and title).
    let single = add(&db.store, RegisterKind::Households, &households(1)[0]);
    let a = db.store.get(RegisterKind::Households, saved[0].id).expect("get");
    let b = db.store.get(RegisterKind::Households, single.id).expect("get");
    for key in ["village", "group", "house_no", "head_name", "tags"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    // Searchable, audited, numbered as usual.
    let hits = db.store.search("zengguohua", 10, false).expect("search");
    assert_eq!(hits.len(), 2, "{hits:#?}");
    let snap = db.snapshot();
    assert_eq!(snap.audit_verified, 4);

    let disputes: Vec<Value> = (0..3).map(|_| dispute_input("2026-03-05")).collect();
    let saved = db.store.add_batch(RegisterKind::Disputes, &disputes).expect("batch");
    let numbers: Vec<_> = saved.iter().map(|s| s.record_no.clone().expect("numbered")).collect();
    assert_eq!(numbers, ["2026-纠-001", "2026-纠-002", "2026-纠-003"]);
    // References are checked per record: a resident of a household added in an earlier batch.
    let resident = resident_input(Some(saved_household(&db)));
    assert_eq!(db.store.add_batch(RegisterKind::Residents, &[resident]).expect("batch").len(), 1);
    assert!(db.store.add_batch(RegisterKind::Visits, &[]).expect("empty batch").is_empty());
}

fn saved_household(db: &TestDb) -> Uuid {
    add_household(&db.store)
}

#[test]
fn one_bad_input_refuses_the_whole_batch_and_says_which() {
    let db = TestDb::new();
    add(&db.store, RegisterKind::Disputes, &dispute_input("2026-03-05"));
    let before = db.snapshot();
    let mut inputs = households(3);
    inputs[1]["head_name"] = json!("");
    let errors = invalid(db.store.add_batch(RegisterKind::Households, &inputs));
    assert_has(&errors, ErrorCode::Required, "[1].head_name");
    assert_eq!(db.snapshot(), before);

    // A failure found inside the transaction (a missing household) rolls back the earlier ones,
    // numbers included: the next dispute still gets 002.
    let mut disputes = vec![dispute_input("2026-03-06")];
    let visit = visit_input(Uuid::new_v4(), "2026-03-06");
    let errors = invalid(db.store.add_batch(RegisterKind::Visits, &[visit.clone(), visit]));
    assert_has(&errors, ErrorCode::ReferenceNotFound, "[0].household_id");
    disputes.push(json!({ "accepted_on": "2026-03-07" }));
    let errors = invalid(db.store.add_batch(RegisterKind::Disputes, &disputes));
    assert!(errors.iter().all(|e| e.field.starts_with("[1].")), "{errors:#?}");
    assert_eq!(db.snapshot(), before);
    let next = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-03-08"));
    assert_eq!(next.record_no.as_deref(), Some("2026-纠-002"));
}

#[test]
fn batch_updates_apply_in_order_and_all_or_nothing() {
    let db = TestDb::new();
    let d = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-03-05")).id;
    let h = add_household(&db.store);
    let patches = vec![
        (d, json!({ "status": "mediating" })),
        (h, json!({ "notes": "改" })),
        (d, json!({ "status": "resolved", "outcome_note": "双方和解" })),
        (d, json!({ "status": "resolved" })),
    ];
    // Households and disputes are different registers: a batch is of one register.
    let e = refused(db.store.update_batch(RegisterKind::Disputes, &patches));
    assert_eq!(e.code, ErrorCode::RecordNotFound);
    assert_eq!(e.field, "[1].id");

    let before = db.snapshot();
    let bad = vec![(d, json!({ "status": "mediating" })), (d, json!({ "status": "closed" }))];
    let errors = invalid(db.store.update_batch(RegisterKind::Disputes, &bad));
    assert_has(&errors, ErrorCode::InvalidStatusTransition, "[1].status");
    assert_eq!(db.snapshot(), before, "the first, valid update was rolled back too");

    let good: Vec<(Uuid, Value)> = patches.into_iter().filter(|(id, _)| *id == d).collect();
    let saved = db.store.update_batch(RegisterKind::Disputes, &good).expect("batch");
    assert_eq!(saved.iter().map(|s| (s.version, s.changed)).collect::<Vec<_>>(), [(2, true), (3, true), (3, false)]);
    let history = db.store.history(RegisterKind::Disputes, d).expect("history");
    let statuses: Vec<&str> = history.iter().map(|h| h.after["status"].as_str().expect("status")).collect();
    assert_eq!(statuses, ["accepted", "mediating", "resolved"]);
    assert!(db.store.verify_audit_chain().expect("reads").is_ok());
}
