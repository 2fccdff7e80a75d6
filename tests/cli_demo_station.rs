//! `cunjing demo --station --offices K` end to end: K small demo offices are made, enrolled,
//! exported and imported through the real sync path; `station status` then shows every office
//! with its bundle and no gaps; the station file is refused the second time (exit 1); a bad
//! office count is refused input (exit 2) and makes no file.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-11-28T10:00:00+08:00";

fn cunjing(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cunjing"))
        .env_remove("CUNJING_DB")
        .env("CUNJING_NOW", NOW)
        .env("CUNJING_PASSPHRASE", "村警 test passphrase")
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

fn demo_station(station: &Path, offices: &str) -> Output {
    let s = station.to_str().expect("path");
    let args = ["demo", "--station", "--offices", offices, "--households", "40", "--years", "1", "--station-db", s];
    cunjing(&[&args[..], &["--keep-offices"]].concat())
}

#[test]
fn builds_a_station_of_three_offices_through_export_and_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let station = dir.path().join("county.db");
    let out = demo_station(&station, "3");
    assert_exit(&out, 0);
    assert_eq!(text(&out.stdout).trim(), station.display().to_string());
    let err = text(&out.stderr);
    assert!(err.contains("3/3 YS-003"), "{err}");
    assert!(err.contains("完成：3 个警务室"), "{err}");

    // The offices and their bundles are kept beside the station file.
    let offices = dir.path().join("county-offices");
    for code in ["YS-001", "YS-002", "YS-003"] {
        assert!(offices.join(format!("{code}.db")).exists(), "{code}");
        assert!(offices.join("usb").join(format!("{code}-1.cjb")).exists(), "{code}");
    }

    let s = station.to_str().expect("path");
    let out = cunjing(&["station", "--station-db", s, "status", "--json"]);
    assert_exit(&out, 0);
    let status: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let list = status["offices"].as_array().expect("offices");
    assert_eq!(list.len(), 3);
    for o in list {
        assert_eq!(o["bundles"], 1, "{o}");
        assert_eq!(o["missing"], serde_json::json!([]), "{o}");
    }

    // Each office's records are at the station, under its own code.
    let out =
        cunjing(&["station", "--station-db", s, "records", "--register", "households", "--office-code", "YS-002"]);
    assert_exit(&out, 0);
    assert!(!text(&out.stdout).trim().is_empty());

    // A second run on the same file is refused and leaves it alone.
    let before = std::fs::metadata(&station).expect("station").len();
    let again = demo_station(&station, "1");
    assert_exit(&again, 1);
    assert_eq!(std::fs::metadata(&station).expect("station").len(), before);
}

#[test]
fn refuses_a_bad_office_count_without_making_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let station = dir.path().join("county.db");
    let out = demo_station(&station, "0");
    assert_exit(&out, 2);
    assert!(text(&out.stderr).contains("offices"), "{}", text(&out.stderr));
    assert!(!station.exists());
    assert!(!dir.path().join("county-offices").exists());
}

#[test]
fn without_keep_offices_only_the_bundles_stay() {
    let dir = tempfile::tempdir().expect("tempdir");
    let station = dir.path().join("county.db");
    let s = station.to_str().expect("path");
    let out =
        cunjing(&["demo", "--station", "--offices", "2", "--households", "30", "--years", "1", "--station-db", s]);
    assert_exit(&out, 0);
    let offices = dir.path().join("county-offices");
    assert!(!offices.join("YS-001.db").exists());
    assert!(offices.join("usb").join("YS-002-1.cjb").exists());
}
