//! End-to-end test of spreadsheets in and out through the built `cunjing` binary (issue 9):
//! `import-table` (dry run, real, re-import, refused rows written out, mapping saved and
//! reused), `export-table` (.xlsx and CSV, restricted registers refused) and
//! `station export-table` over a station that imported a demo office's bundle.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use cunjing_table::sheet::{Cell, read};
use serde_json::Value;

const NOW: &str = "2026-11-29T09:00:00+08:00";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../cunjing-table/tests/fixtures").join(name)
}

fn cunjing(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cunjing"));
    cmd.env_remove("CUNJING_DB")
        .env("CUNJING_NOW", NOW)
        .env("CUNJING_PASSPHRASE", "村警 test passphrase")
        .arg("--db")
        .arg(db);
    cmd
}

fn run(db: &Path, args: &[&str]) -> Output {
    cunjing(db).args(args).output().expect("runs cunjing")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[track_caller]
fn ok(out: Output) -> Output {
    assert!(out.status.success(), "{:?}\nstdout: {}\nstderr: {}", out.status, text(&out.stdout), text(&out.stderr));
    out
}

fn office(dir: &Path) -> PathBuf {
    let db = dir.join("office.db");
    ok(run(&db, &["init", "--office-name", "翠月湖村警务室", "--office-code", "CYH", "--officer", "李建国"]));
    db
}

fn count(db: &Path, register: &str) -> usize {
    let out = ok(run(db, &["list", register, "--json", "--limit", "1000"]));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v.as_array().map_or(0, Vec::len)
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn import_table_reports_row_by_row_and_never_imports_twice() {
    let dir = tempfile::tempdir().expect("dir");
    let db = office(dir.path());
    let bad = fixture("patrols_bad_rows.xlsx");

    // Dry run: exit 2 (rows refused), `code [row].field message` lines, nothing written.
    let out = run(&db, &["import-table", "patrols", p(&bad), "--dry-run"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.lines().any(|l| l.starts_with("unknown_code [4].mode 第 4 行【巡逻方式】")), "{stderr}");
    assert!(stderr.lines().any(|l| l.starts_with("invalid_date [6].date ")), "{stderr}");
    let stdout = text(&out.stdout);
    assert!(stdout.contains("试导入（未写入） 巡逻登记：可导入 2 行，已有（不重复导入）0 行，未通过 4 行"), "{stdout}");
    assert!(stdout.contains("巡逻路线 → 路线/区域/重点部位（route）"), "{stdout}");
    assert_eq!(count(&db, "patrols"), 0);

    // Real import: the two good rows, one transaction; the refused rows go out to a sheet.
    let refused = dir.path().join("未导入.xlsx");
    let out = run(&db, &["import-table", "patrols", p(&bad), "--refused-out", p(&refused), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!((report["added"].as_u64(), report["refused"].as_u64()), (Some(2), Some(4)));
    assert_eq!(report["rows"][1]["problems"][0]["column"], "巡逻方式");
    assert_eq!(count(&db, "patrols"), 2);
    let sheet = read(&refused).expect("refused rows sheet");
    assert_eq!(sheet.rows.len(), 5, "header and four refused rows");
    assert_eq!(sheet.rows[0][0], Cell::Text("原行号".into()));

    // A clean file: exit 0, and a second import adds nothing.
    let csv = fixture("patrols_bom.csv");
    let mapping = dir.path().join("mapping.json");
    let out = ok(run(&db, &["import-table", "patrols", p(&csv), "--save-mapping", p(&mapping)]));
    assert!(text(&out.stdout).contains("已导入 巡逻登记：可导入 2 行"), "{}", text(&out.stdout));
    assert_eq!(count(&db, "patrols"), 4);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&mapping).expect("mapping")).expect("json");
    assert_eq!(saved["columns"]["开始时间"], "start_time");
    let out = ok(run(&db, &["import-table", "patrols", p(&csv), "--mapping", p(&mapping)]));
    assert!(text(&out.stdout).contains("可导入 0 行，已有（不重复导入）2 行"), "{}", text(&out.stdout));
    assert_eq!(count(&db, "patrols"), 4);

    // Files we cannot read and registers that do not exist are refused with a code.
    let out = run(&db, &["import-table", "patrols", p(&dir.path().join("x.pdf"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("table_file_refused "), "{}", text(&out.stderr));
    let out = run(&db, &["import-table", "nope", p(&csv)]);
    assert!(text(&out.stderr).starts_with("unknown_register register "), "{}", text(&out.stderr));
}

#[test]
fn export_table_writes_xlsx_and_bom_csv_and_guards_restricted_registers() {
    let dir = tempfile::tempdir().expect("dir");
    let db = office(dir.path());
    ok(run(&db, &["import-table", "disputes", p(&fixture("disputes_gbk.csv"))]));

    let xlsx = dir.path().join("纠纷.xlsx");
    let out =
        ok(run(&db, &["export-table", "disputes", "--out", p(&xlsx), "--from", "2026-01-01", "--to", "2026-12-31"]));
    assert_eq!(text(&out.stdout).trim(), p(&xlsx));
    let sheet = read(&xlsx).expect("xlsx");
    let head: Vec<String> = sheet.rows[0].iter().map(Cell::text).collect();
    assert_eq!(&head[..5], ["编号", "状态", "受理日期", "纠纷来源", "纠纷类型"]);
    assert_eq!(sheet.rows[1][2], Cell::Date(chrono::NaiveDate::from_ymd_opt(2026, 3, 5).expect("date")));
    assert_eq!(sheet.rows[1][4], Cell::Text("邻里".into()));

    let csv = dir.path().join("纠纷.csv");
    let out = ok(run(&db, &["export-table", "disputes", "--out", p(&csv), "--search", "刘洋", "--json"]));
    let summary: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(summary["rows"], 1, "only what the search finds");
    let bytes = std::fs::read(&csv).expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV with a BOM for Excel and WPS");
    assert!(text(&bytes).contains("婚姻家庭继承"));

    let out = run(&db, &["export-table", "key_persons", "--out", p(&dir.path().join("k.xlsx"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("restricted_register register "), "{}", text(&out.stderr));
    ok(run(&db, &["export-table", "key_persons", "--restricted", "--out", p(&dir.path().join("k.xlsx"))]));
    let out = run(&db, &["export-table", "visits", "--out", p(&dir.path().join("v.pdf"))]);
    assert!(text(&out.stderr).starts_with("table_file_refused "), "{}", text(&out.stderr));
}

#[test]
fn station_export_table_counts_per_office_and_month() {
    let dir = tempfile::tempdir().expect("dir");
    let station = dir.path().join("station.db");
    let st = |args: &[&str]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cunjing"));
        cmd.env_remove("CUNJING_DB")
            .env("CUNJING_NOW", NOW)
            .env("CUNJING_PASSPHRASE", "村警 test passphrase")
            .arg("station")
            .arg("--station-db")
            .arg(&station);
        cmd.args(args).output().expect("runs cunjing station")
    };
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).expect("stick");
    ok(st(&["init", "--station-name", "城关派出所"]));
    let db = dir.path().join("demo.db");
    ok(run(&db, &["demo", "--households", "40", "--years", "1", "--seed", "7"]));
    let enrollment = stick.join("DEMO-01.cje");
    ok(st(&["enroll", "--office-code", "DEMO-01", "--office-name", "演示警务室", "--out", p(&enrollment)]));
    let key = PathBuf::from(text(&ok(run(&db, &["enroll", p(&enrollment)])).stdout).trim());
    ok(st(&["add-office-key", p(&key)]));
    let bundle = PathBuf::from(text(&ok(run(&db, &["export", "--out", p(&stick)])).stdout).trim());
    ok(st(&["import", p(&bundle)]));

    for table in ["visits", "disputes", "patrols"] {
        let out_file = dir.path().join(format!("{table}.xlsx"));
        let out = ok(st(&["export-table", table, "--out", p(&out_file), "--json"]));
        let summary: Value = serde_json::from_slice(&out.stdout).expect("json");
        assert!(summary["rows"].as_u64().unwrap_or(0) > 0, "{table}: {summary}");
        let sheet = read(&out_file).expect("xlsx");
        let head: Vec<String> = sheet.rows[0].iter().map(Cell::text).collect();
        assert_eq!(&head[..3], ["警务室代码", "警务室", "月份"], "{table}");
        // The counts add up to the register's live records at the station.
        let count_col = head.iter().position(|h| h.ends_with("次数") || h == "受理件数").expect("count column");
        let total: f64 = sheet.rows[1..].iter().map(|r| if let Cell::Number(n) = r[count_col] { n } else { 0.0 }).sum();
        let records = st(&["records", "--register", table, "--limit", "1", "--json"]);
        let page: Value = serde_json::from_slice(&ok(records).stdout).expect("json");
        let live = page["total"].as_f64().unwrap_or(-1.0);
        assert_eq!(total, live, "{table}");
        assert!(sheet.rows[1..].iter().all(|r| r[0] == Cell::Text("DEMO-01".into())));
    }
    let out = st(&["export-table", "meetings", "--out", p(&dir.path().join("m.xlsx"))]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("unknown_code table "), "{}", text(&out.stderr));
}
