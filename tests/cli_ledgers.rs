//! End-to-end tests of the further ledgers through the `cunjing` binary (issue 8): records added,
//! listed and shown with the register names of the data dictionary, the dashboard's and the
//! assessment's JSON, the restricted key-person register (views recorded, internal ledger only).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

const NOW: &str = "2026-11-28T10:00:00+08:00";
const OFFICER: &str = "李建国";

struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new() -> Office {
        let office = Office { dir: tempfile::tempdir().expect("temp dir") };
        let out =
            office.run(&["init", "--office-name", "翠月湖村警务室", "--office-code", "CYH-01", "--officer", OFFICER]);
        assert!(out.status.success(), "init: {}", text(&out.stderr));
        office
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cunjing"))
            .env_remove("CUNJING_DB")
            .env("CUNJING_NOW", NOW)
            .env("CUNJING_PASSPHRASE", "村警 test passphrase")
            .arg("--db")
            .arg(self.path("office.db"))
            .args(args)
            .output()
            .expect("runs cunjing")
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("JSON on stdout")
    }

    fn add(&self, register: &str, record: Value) -> String {
        let out = self.run(&["add", register, "--json", &record.to_string()]);
        assert!(out.status.success(), "add {register}: {}", text(&out.stderr));
        text(&out.stdout).trim().to_string()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success());
    text(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn the_further_ledgers_dashboard_and_assessment_through_the_cli() {
    let office = Office::new();
    let team =
        office.add("teams", json!({"name": "翠月湖村治保会", "kind": "security_committee", "village": "翠月湖村"}));
    let member = office.add(
        "team_members",
        json!({"team_id": team, "name": "王强", "role": "captain", "joined_on": "2026-01-05",
               "trainings": [{"date": "2026-01-10", "content": "巡逻防范", "trainer": "城关派出所"}]}),
    );
    office.add(
        "patrols",
        json!({"date": "2026-11-27", "start_time": "19:30", "end_time": "21:00", "kind": "volunteer", "mode": "foot",
               "route": "一组至三组", "members": ["王强"], "team_id": team, "team_member_ids": [member],
               "headcount": 1, "recorder": "王强"}),
    );
    for day in ["2026-11-23", "2026-11-24", "2026-11-25"] {
        office.add(
            "work_log",
            json!({"date": day, "officer": OFFICER, "in_village": true, "category": "visit",
            "content": "入户走访"}),
        );
    }
    office.add(
        "meetings",
        json!({"date": "2026-11-10", "village": "翠月湖村", "attendees": ["王强"],
        "attendee_count": 15, "situation": "通报治安形势", "recorder": OFFICER}),
    );
    let notice = office.add(
        "notices",
        json!({"date": "2026-11-08", "title": "防诈提示", "channels": ["posting"],
        "content": "不要给陌生人转账", "issuer": OFFICER}),
    );
    assert_eq!(office.json(&["show", "notices", &notice, "--json"])["record_no"], "2026-通-001");
    office.add(
        "surveys",
        json!({"date": "2026-11-20", "scope": "翠月湖村", "method": "questionnaire",
        "sample_size": 50, "satisfied": 45, "basically": 4, "unsatisfied": 1, "organiser": OFFICER}),
    );
    let person = office.add(
        "key_persons",
        json!({"name": "赵某某", "address": "翠月湖村三组", "level": "attention",
        "category": "petition", "reason": "多次信访", "responsible": OFFICER, "since": "2026-06-01",
        "checks": [{"date": "2026-11-03", "officer": OFFICER, "method": "in_home", "situation": "情绪稳定"}]}),
    );

    // A refused record names its field, in the contract's `code field message` form.
    let out = office.run(&[
        "add",
        "surveys",
        "--json",
        &json!({"date": "2026-11-20", "scope": "x", "method": "phone",
        "sample_size": 10, "satisfied": 1, "basically": 1, "unsatisfied": 1, "organiser": OFFICER})
        .to_string(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("out_of_range sample_size "), "{}", text(&out.stderr));

    let d = office.json(&["dashboard", "--month", "2026-11", "--json"]);
    assert_eq!(d["village_days_this_week"], 3);
    assert_eq!(d["meetings"], 1);
    assert_eq!(d["notices"], 1);
    assert_eq!(d["key_persons_active"], 1);
    assert_eq!(d["key_persons_unchecked"], 0);
    assert_eq!(d["key_person_visits"], 1);
    assert_eq!(d["patrols_volunteer"], 1);

    let a = office.json(&["assessment", "--period", "2026-11", "--json"]);
    assert_eq!(a["label"], "2026年11月");
    let codes: Vec<&str> =
        a["criteria"].as_array().expect("criteria").iter().map(|c| c["code"].as_str().unwrap_or("")).collect();
    assert_eq!(codes, ["familiarity", "information", "security", "visibility", "satisfaction"]);
    assert_eq!(a["criteria"][4]["score"], 98, "49 of 50 satisfied or basically");
    assert!(a["complete"].as_bool() == Some(false), "November is still running on the 28th");
    let out = office.run(&["assessment", "--period", "2026-Q5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("invalid_date period "));
    let plain = office.run(&["assessment", "--period", "2026-Q4"]);
    assert!(text(&plain.stdout).contains("【2026年第四季度 考评】"), "{}", text(&plain.stdout));

    // Key persons: every look is recorded; they print on the internal ledger only.
    office.json(&["show", "key_persons", &person, "--json"]);
    office.json(&["list", "key_persons", "--json"]);
    let ledger = office.path("key.pdf");
    let out = office.run(&["print", "ledger", "key_persons", "--out", ledger.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body = pdf_text(&ledger);
    assert!(body.contains("内部资料") && body.contains("赵某某"), "{body}");
    let members = office.path("members.pdf");
    let out = office.run(&["print", "ledger", "team_members", "--out", members.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(pdf_text(&members).contains("翠月湖村治保会"), "the member's team by name, not its id");
    let wall = office.path("wall.pdf");
    let out = office.run(&["print", "wall", "--month", "2026-11", "--out", wall.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!pdf_text(&wall).contains("赵"), "no key person on the wall");
    let conn = rusqlite::Connection::open(office.path("office.db")).expect("open");
    let key = cunjing_core::vault::unlock(&office.path("office.db"), "村警 test passphrase").expect("unlock");
    if let cunjing_core::vault::DbKey::Key(k) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", k.sqlcipher_literal().as_str())).expect("key");
    }
    let views: Vec<String> = conn
        .prepare("SELECT action FROM view_log ORDER BY id")
        .expect("query")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("actions");
    assert!(views.starts_with(&["show".to_string(), "list".to_string()]), "{views:?}");
    assert!(views.contains(&"print".to_string()), "{views:?}");
    // Global search leaves the restricted register out.
    let hits = office.json(&["search", "赵某某", "--json"]);
    assert_eq!(hits.as_array().map(Vec::len), Some(0), "{hits}");
}
