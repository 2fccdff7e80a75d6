//! Dispute numbers (`2026-纠-001`): per office per year of acceptance, gap-free, never reused,
//! and unique when two stores on the same file add disputes at the same time.

mod common;

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use cunjing_core::{ErrorCode, RegisterKind, Store};
use serde_json::json;

use common::*;

fn add_dispute(store: &Store, accepted_on: &str) -> (uuid::Uuid, String) {
    let saved = add(store, RegisterKind::Disputes, &dispute_input(accepted_on));
    (saved.id, saved.record_no.expect("disputes are numbered"))
}

#[test]
fn numbers_count_up_within_a_year() {
    let db = TestDb::new();
    let mut numbers = Vec::new();
    for day in ["2026-01-05", "2026-03-18", "2026-03-18", "2026-11-28"] {
        let (id, no) = add_dispute(&db.store, day);
        let got = db.store.get(RegisterKind::Disputes, id).expect("get");
        assert_eq!(got["record_no"], no.as_str(), "stored number matches the returned one");
        let listed = db.store.list(RegisterKind::Disputes, &Default::default()).expect("list").items;
        assert!(listed.iter().any(|r| r["id"] == id.to_string()));
        numbers.push(no);
    }
    assert_eq!(numbers, ["2026-纠-001", "2026-纠-002", "2026-纠-003", "2026-纠-004"]);
}

#[test]
fn each_year_has_its_own_sequence_by_acceptance_date() {
    let db = TestDb::new();
    let (_, a) = add_dispute(&db.store, "2026-02-01");
    // Registered late: accepted on the last day of 2025.
    let (_, b) = add_dispute(&db.store, "2025-12-31");
    let (_, c) = add_dispute(&db.store, "2026-02-02");
    let (_, d) = add_dispute(&db.store, "2025-06-15");
    let (_, e) = add_dispute(&db.store, "2024-01-01");
    assert_eq!([a, b, c, d, e], ["2026-纠-001", "2025-纠-001", "2026-纠-002", "2025-纠-002", "2024-纠-001"]);
}

#[test]
fn numbers_go_past_999_without_truncation() {
    // Only the format is checked here; 1000 disputes in a year would be unusual but must not collide.
    let db = TestDb::new();
    let conn = db.raw();
    conn.execute("INSERT INTO record_numbers (register, year, last_no) VALUES ('disputes', 2026, 999)", [])
        .expect("seed counter");
    let (_, no) = add_dispute(&db.store, "2026-11-01");
    assert_eq!(no, "2026-纠-1000");
}

#[test]
fn a_refused_add_does_not_use_up_a_number() {
    let db = TestDb::new();
    let (_, first) = add_dispute(&db.store, "2026-11-01");
    let mut bad = dispute_input("2026-11-02");
    bad["parties"].as_array_mut().expect("array").truncate(1);
    let errors = invalid(db.store.add(RegisterKind::Disputes, &bad));
    assert_has(&errors, ErrorCode::TooFewParties, "parties");
    let errors = invalid(db.store.add(RegisterKind::Disputes, &dispute_input("2026-12-25")));
    assert_has(&errors, ErrorCode::FutureDate, "accepted_on");
    let (_, second) = add_dispute(&db.store, "2026-11-03");
    assert_eq!([first, second], ["2026-纠-001", "2026-纠-002"]);
}

#[test]
fn voided_numbers_are_not_reused() {
    let db = TestDb::new();
    let (a, _) = add_dispute(&db.store, "2026-11-01");
    let (b, no_b) = add_dispute(&db.store, "2026-11-02");
    let voided = db.store.void(RegisterKind::Disputes, b, "重复登记").expect("void");
    assert_eq!(voided.record_no.as_deref(), Some(no_b.as_str()));
    let got = db.store.get(RegisterKind::Disputes, b).expect("get");
    assert_eq!(got["record_no"], "2026-纠-002", "a voided dispute keeps its number");
    let (_, c) = add_dispute(&db.store, "2026-11-03");
    assert_eq!(c, "2026-纠-003");
    db.store.void(RegisterKind::Disputes, a, "误登").expect("void");
    let (_, d) = add_dispute(&db.store, "2026-11-04");
    assert_eq!(d, "2026-纠-004");
}

#[test]
fn updates_keep_the_number() {
    let db = TestDb::new();
    let (id, no) = add_dispute(&db.store, "2026-11-01");
    let saved =
        update(&db.store, RegisterKind::Disputes, id, &json!({ "status": "mediating", "risk_level": "orange" }));
    assert_eq!(saved.record_no.as_deref(), Some(no.as_str()));
    let saved = db.store.update(RegisterKind::Disputes, id, &json!({})).expect("no-op update");
    assert!(!saved.changed);
    assert_eq!(saved.record_no.as_deref(), Some(no.as_str()));
    let got = db.store.get(RegisterKind::Disputes, id).expect("get");
    assert_eq!(got["record_no"], no.as_str());
    let (_, next) = add_dispute(&db.store, "2026-11-02");
    assert_eq!(next, "2026-纠-002");
}

#[test]
fn other_registers_are_not_numbered() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    for saved in [
        add(&db.store, RegisterKind::Households, &household_input()),
        add(&db.store, RegisterKind::Patrols, &patrol_input()),
        add(&db.store, RegisterKind::Visits, &visit_input(h, "2026-11-20")),
    ] {
        assert_eq!(saved.record_no, None);
    }
    let (_, no) = add_dispute(&db.store, "2026-11-01");
    assert_eq!(no, "2026-纠-001");
}

fn expected_numbers(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("2026-纠-{i:03}")).collect()
}

#[test]
fn two_stores_racing_on_one_file_get_distinct_gap_free_numbers() {
    const PER_THREAD: usize = 30;
    let db = TestDb::new();
    let path = db.path.clone();
    // Both threads start every round together, so each of the 30 rounds is a real collision
    // (without it one thread tends to write all of its disputes while the other waits for the lock).
    let round = Arc::new(Barrier::new(2));
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let path = path.clone();
            let round = Arc::clone(&round);
            std::thread::spawn(move || {
                let store = Store::open(&path, &key(), clock()).expect("opens in the thread");
                (0..PER_THREAD)
                    .map(|i| {
                        round.wait();
                        let mut input = dispute_input("2026-11-02");
                        input["summary"] = json!(format!("并发登记测试 线程{t} 第{i}起：邻里因排水沟堵塞发生口角"));
                        let saved = add(&store, RegisterKind::Disputes, &input);
                        (saved.record_no.expect("numbered"), saved.change_seq)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let results: Vec<Vec<(String, i64)>> = threads.into_iter().map(|t| t.join().expect("thread")).collect();

    for per_thread in &results {
        assert_eq!(per_thread.len(), PER_THREAD);
        // Each store's own numbers increase in the order it wrote them.
        assert!(per_thread.windows(2).all(|w| w[0].0 < w[1].0), "{per_thread:?}");
        // Round i handed out numbers 2i+1 and 2i+2, one to each store: the writes interleaved.
        for (i, (no, _)) in per_thread.iter().enumerate() {
            let n: usize = no.rsplit('-').next().and_then(|d| d.parse().ok()).expect("number");
            assert!(n == 2 * i + 1 || n == 2 * i + 2, "round {i} got {no}");
        }
    }
    let numbers: Vec<String> = results.iter().flatten().map(|(no, _)| no.clone()).collect();
    let distinct: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(distinct.len(), 2 * PER_THREAD, "no number handed out twice");
    assert_eq!(distinct.into_iter().cloned().collect::<Vec<_>>(), expected_numbers(2 * PER_THREAD));
    let seqs: BTreeSet<i64> = results.iter().flatten().map(|(_, seq)| *seq).collect();
    assert_eq!(seqs.len(), 2 * PER_THREAD, "no change sequence number handed out twice");

    // The stored numbers agree, and the audit chain survived the interleaving.
    let mut stored: Vec<String> =
        list_all(&db.store, RegisterKind::Disputes).iter().map(|r| str_of(r, "record_no").to_string()).collect();
    stored.sort();
    assert_eq!(stored, expected_numbers(2 * PER_THREAD));
    assert_eq!(db.store.verify_audit_chain().expect("reads"), Ok(2 * PER_THREAD as i64));
    let (_, next) = add_dispute(&db.store, "2026-11-03");
    assert_eq!(next, "2026-纠-061");
}

#[test]
fn one_store_shared_by_threads_numbers_without_gaps() {
    let db = TestDb::new();
    let store = Arc::new(db.open_again(clock()));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || (0..10).map(|_| add_dispute(&store, "2026-11-02").1).collect::<Vec<_>>())
        })
        .collect();
    let mut numbers: Vec<String> = threads.into_iter().flat_map(|t| t.join().expect("thread")).collect();
    numbers.sort();
    assert_eq!(numbers, expected_numbers(40));
}

#[test]
fn the_number_year_always_matches_the_acceptance_year() {
    let db = TestDb::new();
    let (id, _) = add_dispute(&db.store, "2026-01-02");
    match db.store.update(RegisterKind::Disputes, id, &json!({ "accepted_on": "2025-12-30" })) {
        // Either the change of year is refused …
        Err(cunjing_core::CoreError::Invalid(errors)) => assert_has(&errors, ErrorCode::ReadOnlyField, "accepted_on"),
        Err(other) => panic!("unexpected error {other:?}"),
        // … or the dispute is renumbered in its new year.
        Ok(saved) => {
            let no = saved.record_no.expect("numbered");
            assert!(no.starts_with("2025-"), "accepted 2025-12-30 but numbered {no}");
        }
    }
}
