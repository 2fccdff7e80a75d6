//! `cunjing demo` end to end: a new database is created and filled, the summary goes to stderr
//! and the path to stdout; one seed gives the same office twice; a database with records is
//! refused (exit 1) and left alone; bad numbers are refused input (exit 2) and make no file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-28T10:00:00+08:00";

fn cunjing(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cunjing"))
        .env_remove("CUNJING_DB")
        .env("CUNJING_NOW", NOW)
        .env("CUNJING_PASSPHRASE", "村警 test passphrase")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("runs cunjing")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
}

fn demo(db: &Path, seed: &str) -> Output {
    cunjing(db, &["demo", "--households", "120", "--years", "1", "--seed", seed])
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = cunjing(db, args);
    assert_exit(&out, 0);
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

/// Names and record numbers of a register, in list order: what two runs must share (record
/// ids and timestamps differ).
fn fingerprint(db: &Path, register: &str) -> Vec<String> {
    let items = json(db, &["list", register, "--json", "--limit", "1000", "--sort", "title_asc"]);
    let mut out: Vec<String> = items
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| {
            let mut r = r.clone();
            for key in ["id", "household_id", "created_at", "updated_at", "change_seq"] {
                r.as_object_mut().expect("object").remove(key);
            }
            r.to_string()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn demo_creates_and_fills_a_new_office() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db: PathBuf = dir.path().join("sub").join("demo.db");
    let out = demo(&db, "11");
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout).trim(), db.display().to_string());
    let err = text(&out.stderr);
    for word in ["households", "residents", "visits", "patrols", "disputes", "用时", "纠纷状态"] {
        assert!(err.contains(word), "summary mentions {word}: {err}");
    }
    let office = json(&db, &["office", "--json"]);
    assert_eq!(office["code"], "DEMO-01");
    assert_eq!(office["name"], "演示警务室");
    assert_eq!(office["officer"], "张警官");
    let households = json(&db, &["list", "households", "--json", "--limit", "1000"]);
    assert_eq!(households.as_array().expect("list").len(), 120);
    let disputes = json(&db, &["list", "disputes", "--json", "--limit", "1000"]);
    let statuses: std::collections::BTreeSet<&str> =
        disputes.as_array().expect("list").iter().filter_map(|d| d["status"].as_str()).collect();
    assert_eq!(statuses.len(), 7, "every workflow state: {statuses:?}");
    // The rest of the CLI works on it.
    let dashboard = json(&db, &["dashboard", "--month", "2026-10", "--json"]);
    assert!(dashboard["visits"].as_i64().expect("count") >= 25, "{dashboard}");
    assert!(!json(&db, &["search", "wang", "--json"]).as_array().expect("hits").is_empty());

    // The same seed on the same day gives the same office.
    let again = dir.path().join("again.db");
    assert_exit(&demo(&again, "11"), 0);
    for register in ["households", "residents", "disputes"] {
        assert_eq!(fingerprint(&db, register), fingerprint(&again, register), "{register}");
    }
}

#[test]
fn demo_refuses_a_database_with_records_and_fills_an_empty_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("office.db");
    let init =
        cunjing(&db, &["init", "--office-name", "翠月湖村警务室", "--office-code", "CYH-01", "--officer", "李建国"]);
    assert_exit(&init, 0);
    // An office with no records yet may take the demo; it keeps its own name.
    assert_exit(&demo(&db, "3"), 0);
    assert_eq!(json(&db, &["office", "--json"])["code"], "CYH-01");
    let before = json(&db, &["list", "visits", "--json", "--limit", "1000"]);

    let out = demo(&db, "3");
    assert_exit(&out, 1);
    let err = text(&out.stderr);
    assert!(err.contains("已有") && err.contains("条记录"), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(json(&db, &["list", "visits", "--json", "--limit", "1000"]), before, "left alone");
}

#[test]
fn bad_numbers_are_refused_before_any_file_is_made() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("never.db");
    let out = cunjing(&db, &["demo", "--households", "0", "--years", "1"]);
    assert_exit(&out, 2);
    assert!(text(&out.stderr).starts_with("out_of_range households "), "{}", text(&out.stderr));
    assert!(!db.exists());
    let out = cunjing(&db, &["demo", "--households", "many"]);
    assert_exit(&out, 2);
    assert!(!db.exists());
}
