//! Spreadsheets in and out, end to end over a real office store: files made by other programs
//! (openpyxl, GBK and BOM CSV — tests/fixtures/make_fixtures.py), bad rows refused one by one
//! with nothing half-written, re-import adds nothing twice, export → import gives the same
//! records, and LibreOffice opens what we write with the Chinese intact.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::domain::record::META_KEYS;
use cunjing_core::store::ListQuery;
use cunjing_core::{FixedClock, NewOffice, RegisterKind, Store};
use cunjing_table::sheet::{Cell, read};
use cunjing_table::{ExportQuery, ImportOptions, TableRowOutcome, export_register, import_table, write_refused};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn store(dir: &Path, name: &str) -> Store {
    let clock = Arc::new(FixedClock::parse("2026-11-28T09:00:00+08:00").expect("clock"));
    let office = NewOffice {
        name: "翠月湖村警务室".into(),
        code: "CYH".into(),
        officer: "李建国".into(),
        ..NewOffice::default()
    };
    Store::create(&dir.join(name), &office, &cunjing_core::DbKey::Plain, clock).expect("store")
}

fn all(store: &Store, kind: RegisterKind) -> Vec<Value> {
    let q = ListQuery { sort: cunjing_core::store::ListSort::DateAsc, limit: 1000, ..ListQuery::default() };
    store.list(kind, &q).expect("list").items
}

/// A record's own fields (the envelope differs from store to store).
fn fields(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for k in META_KEYS {
            o.remove(*k);
        }
    }
    v
}

fn dry() -> ImportOptions {
    ImportOptions { mapping: None, dry_run: true }
}

fn real() -> ImportOptions {
    ImportOptions { mapping: None, dry_run: false }
}

#[test]
fn an_xlsx_made_by_openpyxl_imports_and_importing_it_again_adds_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path(), "office.db");
    let file = fixture("visits_openpyxl.xlsx");

    let report = import_table(&s, RegisterKind::Visits, &file, &dry()).expect("dry run");
    assert_eq!(report.header_row, 2, "the title row above the header is skipped");
    assert_eq!((report.added, report.refused), (5, 0), "{:#?}", report.rows);
    assert!(all(&s, RegisterKind::Visits).is_empty(), "a dry run writes nothing");
    let serial = report.columns.iter().find(|c| c.heading == "序号").expect("序号");
    assert_eq!(serial.target, None, "a column naming no field is left out");

    let report = import_table(&s, RegisterKind::Visits, &file, &real()).expect("import");
    assert_eq!(report.added, 5);
    let visits = all(&s, RegisterKind::Visits);
    let dates: Vec<&str> = visits.iter().filter_map(|v| v["date"].as_str()).collect();
    assert_eq!(dates, ["2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"]);
    let first = &visits[0];
    assert_eq!(first["method"], "in_home");
    assert_eq!(first["purposes"], json!(["info_check", "safety_publicity"]));
    assert_eq!(first["people_talked"], 3);
    assert_eq!(first["satisfaction"], "satisfied");
    assert_eq!(first["head_name"], "王芳");
    assert_eq!(visits[2]["method"], "on_site");
    assert_eq!(visits[2]["purposes"], json!(["aid", "opinion"]));
    assert_eq!(visits[4]["purposes"], json!(["safety_publicity"]), "反诈宣传 is part of 安全防范/反诈宣传");

    let again = import_table(&s, RegisterKind::Visits, &file, &real()).expect("again");
    assert_eq!((again.added, again.duplicates), (0, 5));
    assert_eq!(all(&s, RegisterKind::Visits).len(), 5);
    assert!(s.verify_audit_chain().expect("chain").is_ok());
}

#[test]
fn a_gbk_csv_imports_with_labels_numbered_parties_and_a_settled_status() {
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path(), "office.db");
    let report = import_table(&s, RegisterKind::Disputes, &fixture("disputes_gbk.csv"), &real()).expect("import");
    assert_eq!(report.encoding, "GB18030");
    assert_eq!((report.added, report.refused), (2, 0), "{:#?}", report.rows);
    let d = all(&s, RegisterKind::Disputes);
    assert_eq!(d[0]["dispute_type"], "neighbor");
    assert_eq!(d[0]["source"], "party_request");
    assert_eq!(d[0]["accepted_on"], "2026-03-05");
    assert_eq!(
        d[0]["parties"],
        json!([
            {"name": "王芳", "role": "applicant", "sex": null, "id_number": null, "phone": null, "address": null},
            {"name": "张伟", "role": "respondent", "sex": null, "id_number": null, "phone": null, "address": null}
        ])
    );
    assert_eq!(d[0]["record_no"], "2026-纠-001");
    assert_eq!(d[1]["dispute_type"], "family");
    assert_eq!(d[1]["status"], "resolved", "reached through 登记受理 → 调解成功, as an officer would");
    assert_eq!(d[1]["version"], 2);
}

#[test]
fn a_utf8_bom_csv_imports_with_times_as_typed() {
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path(), "office.db");
    let report = import_table(&s, RegisterKind::Patrols, &fixture("patrols_bom.csv"), &real()).expect("import");
    assert_eq!(report.encoding, "UTF-8 (BOM)");
    assert_eq!((report.added, report.refused), (2, 0), "{:#?}", report.rows);
    let p = all(&s, RegisterKind::Patrols);
    assert_eq!(p[0]["mode"], "foot");
    assert_eq!(p[0]["kind"], "volunteer");
    assert_eq!(p[0]["route"], "村东至村西");
    assert_eq!(p[1]["start_time"], "08:30");
    assert_eq!(p[1]["end_time"], "10:00");
    assert_eq!(p[1]["leader"], "李建国");
}

#[test]
fn bad_rows_are_refused_row_by_row_and_nothing_of_them_is_written() {
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path(), "office.db");
    let file = fixture("patrols_bad_rows.xlsx");
    let report = import_table(&s, RegisterKind::Patrols, &file, &real()).expect("import");
    let outcome = |row: usize| report.rows.iter().find(|r| r.row == row).map(|r| r.outcome);
    assert_eq!(outcome(3), Some(TableRowOutcome::Added));
    assert_eq!(outcome(8), Some(TableRowOutcome::Added));
    for row in 4..=7 {
        assert_eq!(outcome(row), Some(TableRowOutcome::Refused), "row {row}");
    }
    let problems = |row: usize| -> Vec<(Option<String>, String)> {
        let r = report.rows.iter().find(|r| r.row == row).expect("row");
        r.problems.iter().map(|p| (p.column.clone(), p.code.as_str())).collect()
    };
    assert!(problems(4).contains(&(Some("巡逻方式".into()), "unknown_code".into())), "{:?}", problems(4));
    assert!(problems(5).contains(&(Some("人数".into()), "out_of_range".into())), "{:?}", problems(5));
    assert_eq!(problems(6), vec![(Some("日期".into()), "invalid_date".into())]);
    assert!(problems(7).contains(&(Some("开始时间".into()), "invalid_time".into())), "{:?}", problems(7));
    assert!(problems(7).contains(&(Some("巡逻路线".into()), "required".into())), "{:?}", problems(7));

    // Only the two good rows are in the register; every write is whole (audit chain intact).
    let p = all(&s, RegisterKind::Patrols);
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(|r| r["version"] == 1));
    assert!(s.verify_audit_chain().expect("chain").is_ok());

    // The refused rows go out to a sheet to correct: row numbers first, reasons last …
    let out = dir.path().join("未导入.xlsx");
    let source = cunjing_table::TableFile::read(&file).expect("file");
    let written = write_refused(&s, RegisterKind::Patrols, &source, None, &out).expect("refused rows");
    assert_eq!(written.rows, 4);
    let sheet = read(&out).expect("read back");
    let head: Vec<String> = sheet.rows[0].iter().map(Cell::text).collect();
    assert_eq!(head.first().map(String::as_str), Some("原行号"));
    assert_eq!(head.last().map(String::as_str), Some("错误原因"));
    assert_eq!(sheet.rows[1][0], Cell::Number(4.0));
    assert!(sheet.rows[1].last().map(Cell::text).unwrap_or_default().contains("【巡逻方式】"));
    // … and importing it unchanged refuses the same rows again (the two extra columns are ignored).
    let again = import_table(&s, RegisterKind::Patrols, &out, &dry()).expect("again");
    assert_eq!((again.added, again.refused), (0, 4));
    assert!(
        again.columns.iter().filter(|c| c.heading == "原行号" || c.heading == "错误原因").all(|c| c.target.is_none())
    );
}

#[test]
fn a_mapping_corrects_the_automatic_one() {
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path(), "office.db");
    let file = fixture("visits_openpyxl.xlsx");
    let mut mapping = cunjing_table::TableMapping::default();
    mapping.columns.insert("群众反映问题".into(), Some("hazards".into()));
    mapping.columns.insert("满意度".into(), None);
    let report =
        import_table(&s, RegisterKind::Visits, &file, &ImportOptions { mapping: Some(mapping), dry_run: false })
            .expect("import");
    assert_eq!(report.added, 5);
    let v = all(&s, RegisterKind::Visits);
    assert_eq!(v[0]["hazards"], "路灯坏了");
    assert_eq!(v[0]["concerns"], Value::Null);
    assert_eq!(v[0]["satisfaction"], Value::Null);

    let mut bad = cunjing_table::TableMapping::default();
    bad.columns.insert("走访日期".into(), Some("no_such_field".into()));
    let e = import_table(&s, RegisterKind::Visits, &file, &ImportOptions { mapping: Some(bad), dry_run: true })
        .expect_err("refused");
    assert_eq!(e.to_field_errors()[0].field, "mapping.走访日期");
}

/// One record of each kind the round trip covers, written through the normal add path.
fn fill(s: &Store) -> serde_json::Map<String, Value> {
    let add = |kind: RegisterKind, v: Value| s.add(kind, &v).expect("add").id.to_string();
    let household = add(
        RegisterKind::Households,
        json!({"village": "翠月湖村", "group": "三组", "house_no": "12号", "head_name": "王芳", "phone": "13812345678",
               "tags": ["registered", "left_behind"], "notes": "独居老人"}),
    );
    add(
        RegisterKind::Residents,
        json!({"household_id": household, "name": "王芳", "id_number": "11010519491231002X", "category": "registered",
               "phone": "0571-87654321", "ethnicity": "汉族"}),
    );
    add(
        RegisterKind::Residents,
        json!({"name": "李四", "sex": "male", "birth_date": "1990-05-01", "category": "floating",
               "stay_from": "2026-01-01", "stay_to": "2026-12-31"}),
    );
    add(
        RegisterKind::Visits,
        json!({"date": "2026-11-20", "officer": "李建国", "household_id": household, "method": "in_home",
               "purposes": ["info_check", "aid"], "people_talked": 2, "concerns": "路灯坏了\n水沟堵了"}),
    );
    add(
        RegisterKind::Patrols,
        json!({"date": "2026-11-01", "start_time": "20:00", "end_time": "22:00", "kind": "officer_led", "leader": "李建国",
               "mode": "foot", "route": "村东至村西", "members": ["张三", "李四"], "headcount": 3, "recorder": "李建国",
               "checked_count": 1}),
    );
    let dispute = add(
        RegisterKind::Disputes,
        json!({"accepted_on": "2026-03-05", "source": "party_request", "dispute_type": "neighbor", "location": "三组",
               "parties": [{"name": "王芳", "role": "applicant", "sex": "female", "phone": "13812345678"},
                           {"name": "张伟", "role": "respondent", "id_number": "110101202311012176"},
                           {"name": "张强", "role": "other"}],
               "people_count": 3, "summary": "排水沟", "mediators": "李建国", "escalation_flag": true, "risk_level": "yellow",
               "steps": [{"date": "2026-03-06", "content": "现场查看"}]}),
    );
    let id = uuid_of(&dispute);
    s.update(
        RegisterKind::Disputes,
        id,
        &json!({"status": "resolved", "outcome_note": "疏通水沟", "agreement_form": "oral"}),
    )
    .expect("resolve");
    // One closed (结案归档) after 撤回: a state no single step from a new record reaches.
    let closed = add(
        RegisterKind::Disputes,
        json!({"accepted_on": "2026-04-01", "source": "public_report", "dispute_type": "land", "location": "一组",
               "parties": [{"name": "赵磊", "role": "applicant"}, {"name": "钱多", "role": "respondent"}],
               "people_count": 2, "summary": "地界", "mediators": "李建国"}),
    );
    s.update(RegisterKind::Disputes, uuid_of(&closed), &json!({"status": "withdrawn"})).expect("withdraw");
    s.update(RegisterKind::Disputes, uuid_of(&closed), &json!({"status": "closed", "closed_on": "2026-04-10"}))
        .expect("close");
    let mut ids = serde_json::Map::new();
    ids.insert("household".into(), json!(household));
    ids
}

fn uuid_of(s: &str) -> uuid::Uuid {
    uuid::Uuid::parse_str(s).expect("uuid")
}

#[test]
fn export_then_import_gives_the_same_records() {
    let dir = tempfile::tempdir().expect("dir");
    let a = store(dir.path(), "a.db");
    fill(&a);
    let b = store(dir.path(), "b.db");
    for kind in RegisterKind::ALL.iter().copied().filter(|k| !all(&a, *k).is_empty()) {
        for ext in ["xlsx", "csv"] {
            let out = dir.path().join(format!("{}.{ext}", kind.code()));
            let q = ExportQuery { allow_restricted: true, ..ExportQuery::default() };
            let written = export_register(&a, kind, &q, &out).expect("export");
            assert_eq!(written.rows, all(&a, kind).len());
            // Into the same store: every row is recognised as the record it came from.
            let same = import_table(&a, kind, &out, &dry()).expect("re-import");
            assert_eq!(same.duplicates, written.rows, "{kind:?} {ext}: {:#?}", same.rows);
        }
        // Into another office's store, records arrive unchanged — but for those that point at a
        // household of this office, and a closed dispute, whose outcome is not in the sheet.
        let movable = |r: &&Value| r["household_id"].is_null() && r["status"] != "closed";
        let records = all(&a, kind);
        let expected: Vec<Value> = records.iter().filter(movable).map(fields).collect();
        let out = dir.path().join(format!("{}.xlsx", kind.code()));
        let report = import_table(&b, kind, &out, &real()).expect("import");
        assert_eq!(
            (report.added, report.refused),
            (expected.len(), records.len() - expected.len()),
            "{kind:?}: {:#?}",
            report.rows
        );
        let got: Vec<Value> = all(&b, kind).iter().map(fields).collect();
        assert_eq!(got, expected, "{kind:?}");
    }
    assert_eq!(all(&b, RegisterKind::Disputes).len(), 1, "the resolved one, through 登记受理 → 调解成功");
    assert_eq!(all(&b, RegisterKind::Residents).len(), 1, "the one that points at no household");
}

#[test]
fn restricted_registers_are_exported_only_when_asked_for() {
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path(), "office.db");
    for kind in RegisterKind::ALL.iter().copied().filter(|k| k.is_restricted()) {
        let out = dir.path().join("r.xlsx");
        let e = export_register(&s, kind, &ExportQuery::default(), &out).expect_err("refused");
        assert_eq!(e.to_field_errors()[0].code, cunjing_core::ErrorCode::RestrictedRegister);
        assert!(!out.exists());
        let q = ExportQuery { allow_restricted: true, ..ExportQuery::default() };
        export_register(&s, kind, &q, &out).expect("explicitly asked");
        let views = s.view_log(10).expect("view log");
        assert!(
            views.iter().any(|v| v.register == kind.code() && v.action == "export"),
            "the export is a recorded view"
        );
    }
}

#[test]
fn libreoffice_opens_the_exported_xlsx_with_the_chinese_intact() {
    let Some(soffice) = ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| std::process::Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "LibreOffice (soffice) is missing on CI: ./scripts/deps.sh installs it"
        );
        eprintln!(
            "\n!!!!!!!! SKIPPED: soffice (LibreOffice) is not installed here; ./scripts/deps.sh installs it !!!!!!!!\n"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let s = store(dir.path(), "office.db");
    fill(&s);
    let xlsx = dir.path().join("纠纷.xlsx");
    export_register(&s, RegisterKind::Disputes, &ExportQuery::default(), &xlsx).expect("export");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display());
    let out = std::process::Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
        ])
        .arg(dir.path().join("lo"))
        .arg(&xlsx)
        .output()
        .expect("soffice runs");
    assert!(out.status.success(), "soffice: {}", String::from_utf8_lossy(&out.stderr));
    let csv =
        std::fs::read_to_string(dir.path().join("lo/纠纷.csv")).expect("LibreOffice wrote the CSV").replace('"', "");
    assert!(csv.starts_with("编号,状态,受理日期,纠纷来源,纠纷类型"), "{csv}");
    for text in ["2026-纠-001", "调解成功", "2026-03-05", "当事人申请", "邻里", "王芳", "申请方", "是", "疏通水沟"]
    {
        assert!(csv.contains(text), "{text} missing from {csv}");
    }
}
