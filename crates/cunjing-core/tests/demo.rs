//! The demo generator at a small scale (200 households, 1 year): deterministic, everything it
//! writes passes the registers' rules again, disputes reach every workflow state, officers work
//! at the document's rates, no event lies in the future, the audit chain holds.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use cunjing_core::demo::{DISPUTE_STATES, DemoConfig, DemoSummary, fill};
use cunjing_core::domain::CodeEnum;
use cunjing_core::validate::id_number::parse_id_number;
use cunjing_core::{ErrorCode, RegisterKind};
use serde_json::{Value, json};
use uuid::Uuid;

use common::*;

const SMALL: DemoConfig = DemoConfig { households: 200, years: 1, seed: 7 };

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).expect("date")
}

fn demo(config: &DemoConfig) -> (TestDb, DemoSummary) {
    let db = TestDb::new();
    let mut lines = Vec::new();
    let summary = fill(&db.store, config, &mut |l| lines.push(l.to_string())).expect("the demo fills the office");
    assert!(lines.len() >= 4, "progress is reported: {lines:?}");
    (db, summary)
}

/// (register, version, data) of every record in write order, with the record ids that differ
/// from run to run (household references) taken out.
fn contents(db: &TestDb) -> Vec<(String, i64, Value)> {
    let conn = db.raw();
    let mut stmt = conn.prepare("SELECT register, version, data FROM records ORDER BY change_seq").expect("query");
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))
        .expect("rows")
        .map(|row| {
            let (register, version, data) = row.expect("row");
            let mut data: Value = serde_json::from_str(&data).expect("json");
            // Pointers to other records hold their (random) ids.
            if let Some(o) = data.as_object_mut() {
                for key in ["household_id", "team_id", "team_member_ids"] {
                    o.remove(key);
                }
            }
            (register, version, data)
        })
        .collect()
}

/// Values of one JSON field across a register's records.
fn column(db: &TestDb, register: &str, path: &str) -> Vec<Value> {
    let conn = db.raw();
    let mut stmt = conn
        .prepare("SELECT json_extract(data, ?2) FROM records WHERE register = ?1 ORDER BY change_seq")
        .expect("query");
    stmt.query_map([register, path], |r| r.get::<_, rusqlite::types::Value>(0))
        .expect("rows")
        .map(|v| match v.expect("value") {
            rusqlite::types::Value::Null => Value::Null,
            rusqlite::types::Value::Integer(i) => json!(i),
            // json_extract gives lists and objects as JSON text, strings as plain text.
            rusqlite::types::Value::Text(t) if t.starts_with(['[', '{']) => serde_json::from_str(&t).expect("json"),
            rusqlite::types::Value::Text(t) => Value::String(t),
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().expect("a date string"), "%Y-%m-%d").expect("ISO date")
}

#[test]
fn the_same_seed_gives_the_same_records_and_another_seed_does_not() {
    let (a, sa) = demo(&SMALL);
    let (b, sb) = demo(&SMALL);
    assert_eq!(sa, sb);
    let (ca, cb) = (contents(&a), contents(&b));
    assert_eq!(ca.len(), cb.len());
    for (x, y) in ca.iter().zip(&cb) {
        assert_eq!(x, y);
    }
    let (c, _) = demo(&DemoConfig { seed: 8, ..SMALL });
    assert_ne!(contents(&c), ca, "another seed, other people");
}

#[test]
fn a_small_office_has_every_register_at_the_documents_rates() {
    let (db, s) = demo(&SMALL);
    let store = &db.store;
    assert_eq!(s.households, 200);
    assert_eq!(s.warnings, 0, "the generator writes nothing the store has to warn about");
    let ratio = s.residents as f64 / s.households as f64;
    assert!((3.0..=3.6).contains(&ratio), "≈3.3 residents a household, got {ratio}");
    assert_eq!(s.officers.len(), 1, "one officer per 500 households");
    for (kind, n) in s.counts() {
        let total = store.list(kind, &Default::default()).expect("list").total;
        assert_eq!(total as usize, n, "{kind:?}");
        assert!(n > 0, "{kind:?} has records");
    }
    // Disputes: about one a year for every six households.
    assert!((20..=50).contains(&s.disputes), "disputes: {}", s.disputes);

    // Residents: registered, away, floating (with their stay) and foreign (with documents).
    let categories: BTreeSet<String> =
        column(&db, "residents", "$.category").iter().filter_map(|v| v.as_str().map(String::from)).collect();
    for c in ["registered", "away", "floating"] {
        assert!(categories.contains(c), "{c} in {categories:?}");
    }
    let tags: BTreeSet<String> = column(&db, "households", "$.tags")
        .iter()
        .flat_map(|v| v.as_array().cloned().unwrap_or_default())
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    for t in ["registered", "rental", "left_behind", "hardship", "temporary"] {
        assert!(tags.contains(t), "{t} in {tags:?}");
    }

    // Visits: about 30 a month per officer in every full month, one key-person household among
    // them where the area has one.
    let conn = db.raw();
    let per_month: Vec<(String, String, i64)> = conn
        .prepare(
            "SELECT json_extract(data, '$.officer'), substr(record_date, 1, 7), count(*) FROM records
             WHERE register = 'visits' AND record_date < '2026-11-01' GROUP BY 1, 2",
        )
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(per_month.len(), 11, "eleven full months: {per_month:?}");
    let mean = per_month.iter().map(|r| r.2).sum::<i64>() as f64 / per_month.len() as f64;
    assert!((28.0..=33.0).contains(&mean), "≈30 visits an officer-month, got {mean}");
    assert!(per_month.iter().all(|r| (25..=35).contains(&r.2)), "{per_month:?}");
    // Volunteer teams patrol at least 8 times in every full month.
    let volunteer_min: i64 = conn
        .query_row(
            "SELECT min(n) FROM (SELECT count(*) n FROM records WHERE register = 'patrols'
             AND json_extract(data, '$.kind') = 'volunteer' AND record_date < '2026-11-01' GROUP BY substr(record_date, 1, 7))",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert!(volunteer_min >= 8, "volunteer patrols a month: {volunteer_min}");
    let kinds: BTreeSet<String> =
        column(&db, "patrols", "$.kind").iter().filter_map(|v| v.as_str().map(String::from)).collect();
    assert_eq!(kinds.len(), 3, "{kinds:?}");

    // The dashboard reads it.
    let month = cunjing_core::dashboard::Month::parse("2026-10").expect("month");
    let d = store.dashboard(month).expect("dashboard");
    assert!(d.visits >= 25 && d.patrols_volunteer >= 8, "{d:?}");
}

#[test]
fn disputes_reach_every_workflow_state_through_audited_updates() {
    let (db, s) = demo(&SMALL);
    let statuses: BTreeMap<String, usize> =
        column(&db, "disputes", "$.status").iter().fold(BTreeMap::new(), |mut m, v| {
            *m.entry(v.as_str().expect("status").to_string()).or_default() += 1;
            m
        });
    for state in DISPUTE_STATES {
        assert!(statuses.contains_key(state), "{state} missing: {statuses:?}");
    }
    assert_eq!(s.disputes_by_status.iter().map(|(_, n)| n).sum::<usize>(), s.disputes);
    assert!(s.dispute_updates > s.disputes, "disputes move by updates");

    let page = db
        .store
        .list(RegisterKind::Disputes, &cunjing_core::store::ListQuery { limit: 1000, ..Default::default() })
        .expect("list");
    let mut numbers = Vec::new();
    for d in &page.items {
        let id: Uuid = serde_json::from_value(d["id"].clone()).expect("id");
        let status = d["status"].as_str().expect("status");
        let history = db.store.history(RegisterKind::Disputes, id).expect("history");
        assert_eq!(history.len() as i64, d["version"].as_i64().expect("version"));
        assert_eq!(history[0].after["status"], "accepted", "every dispute starts accepted");
        numbers.push(d["record_no"].as_str().expect("number").to_string());
        let was_resolved = history.iter().any(|h| h.after["status"] == "resolved");
        if status == "closed" {
            assert!(!d["closed_on"].is_null());
            if was_resolved {
                assert!(!d["followups"].as_array().expect("list").is_empty(), "回访 before closing: {d:#}");
            }
        }
        if status == "referred" {
            assert!(d["referred_to"].is_string());
        }
        if ["resolved", "failed", "referred"].contains(&status) {
            assert!(d["outcome_note"].is_string());
        }
        let parties = d["parties"].as_array().expect("parties");
        assert!(parties.len() >= 2);
    }
    // Numbers are gap-free per year.
    let mut by_year: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for n in numbers {
        let (year, rest) = n.split_once("-纠-").expect("number format");
        by_year.entry(year.to_string()).or_default().push(rest.parse().expect("digits"));
    }
    for (year, mut nos) in by_year {
        nos.sort();
        assert_eq!(nos, (1..=nos.len() as u32).collect::<Vec<_>>(), "{year}");
    }
}

#[test]
fn every_record_still_passes_validation_and_nothing_is_dated_after_today() {
    let (db, _) = demo(&SMALL);
    let store = &db.store;
    let today = today();
    // Re-submitting every stored record unchanged re-runs all of its register's rules.
    let conn = db.raw();
    for kind in RegisterKind::ALL {
        let ids: Vec<(Uuid, Value)> = conn
            .prepare("SELECT id FROM records WHERE register = ?1")
            .expect("query")
            .query_map([kind.code()], |r| r.get::<_, String>(0))
            .expect("rows")
            .map(|id| (Uuid::parse_str(&id.expect("id")).expect("uuid"), json!({})))
            .collect();
        let saved = store.update_batch(*kind, &ids).expect("every record is valid as stored");
        assert!(saved.iter().all(|s| !s.changed && s.warnings.is_empty()), "{kind:?}");
    }

    // Event dates: the register's date, steps, follow-ups, closing, births, arrivals.
    let mut dates: Vec<NaiveDate> = Vec::new();
    let record_dates: Vec<String> = conn
        .prepare("SELECT record_date FROM records WHERE record_date IS NOT NULL")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect();
    dates.extend(record_dates.iter().map(|d| date(&json!(d))));
    dates.extend(column(&db, "disputes", "$.closed_on").iter().filter(|v| !v.is_null()).map(date));
    for list in ["$.steps", "$.followups"] {
        for items in column(&db, "disputes", list) {
            dates.extend(items.as_array().expect("list").iter().map(|s| date(&s["date"])));
        }
    }
    for path in ["$.birth_date", "$.stay_from"] {
        dates.extend(column(&db, "residents", path).iter().filter(|v| !v.is_null()).map(date));
    }
    assert!(dates.len() > 1500);
    let late: Vec<&NaiveDate> = dates.iter().filter(|d| **d > today).collect();
    assert!(late.is_empty(), "dated after today: {late:?}");
    // Work goes on up to the last days (only a floating resident's planned end of stay, a plan
    // rather than an event, may lie ahead).
    let latest = record_dates.iter().map(|d| date(&json!(d))).max().expect("dated records");
    assert!((today - latest).num_days() < 7, "latest work on {latest}");

    // ID numbers are valid, unique, and agree with birth date and sex.
    let ids = column(&db, "residents", "$.id_number");
    let births = column(&db, "residents", "$.birth_date");
    let sexes = column(&db, "residents", "$.sex");
    let mut seen = BTreeSet::new();
    for ((id, birth), sex) in ids.iter().zip(&births).zip(&sexes) {
        let Some(id) = id.as_str() else { continue };
        let info = parse_id_number(id, today).expect("valid ID number");
        assert_eq!(info.birth_date, date(birth));
        assert_eq!(info.is_male, sex == "male");
        assert!(info.province.is_some(), "real province code: {id}");
        assert!(seen.insert(id.to_string()), "unique: {id}");
    }
    assert!(seen.len() > 500);

    // The audit chain covers every write.
    let changes: i64 = conn.query_row("SELECT count(*) FROM changes", [], |r| r.get(0)).expect("count");
    assert_eq!(store.verify_audit_chain().expect("reads"), Ok(changes));
}

#[test]
fn many_seeds_give_offices_the_store_accepts() {
    // Any record the store refused would fail the fill: tiny offices, many seeds, to shake out
    // the rare draws (a date past today, a party without a counterpart, …).
    for seed in 0..12 {
        let (db, s) = demo(&DemoConfig { households: 30, years: 2, seed });
        assert_eq!(s.warnings, 0, "seed {seed}");
        assert!(db.store.verify_audit_chain().expect("reads").is_ok(), "seed {seed}");
    }
}

#[test]
fn the_demo_refuses_an_office_that_has_records() {
    let db = TestDb::new();
    add_household(&db.store);
    let before = db.snapshot();
    let e = refused(fill(&db.store, &SMALL, &mut |_| {}));
    assert_eq!(e.code, ErrorCode::OfficeExists);
    assert!(e.message.contains("已有 1 条记录"), "{}", e.message);
    assert_eq!(db.snapshot(), before);

    let errors = invalid(fill(&TestDb::new().store, &DemoConfig { households: 0, years: 0, seed: 1 }, &mut |_| {}));
    assert_has(&errors, ErrorCode::OutOfRange, "households");
    assert_has(&errors, ErrorCode::OutOfRange, "years");
}
