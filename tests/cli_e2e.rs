//! End-to-end tests of the built `cunjing` binary: the CLI contract other issues and outside
//! checks rely on (arguments, JSON in and out, exit codes 0/2/1, `code field message` lines).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const NOW: &str = "2026-11-28T10:00:00+08:00";

/// A temporary office: a folder with its database and a pinned clock.
struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    fn new() -> Office {
        let office = Office { dir: tempfile::tempdir().expect("temp dir") };
        let out =
            office.run(&["init", "--office-name", "翠月湖村警务室", "--office-code", "CYH-01", "--officer", "李建国"]);
        assert_success(&out);
        office
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("office.db")
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cunjing"));
        cmd.env_remove("CUNJING_DB")
            .env("CUNJING_NOW", NOW)
            .env("CUNJING_PASSPHRASE", "村警 test passphrase")
            .arg("--db")
            .arg(self.db());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("runs cunjing")
    }

    fn run_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = self
            .cmd()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
        child.wait_with_output().expect("wait")
    }

    /// Adds a record and returns its id.
    fn add(&self, register: &str, record: &Value) -> String {
        let out = self.run(&["add", register, "--json", &record.to_string()]);
        assert_success(&out);
        let id = stdout(&out).trim().to_string();
        assert_eq!(id.len(), 36, "add prints the new record's UUID, got {id:?}");
        id
    }

    fn show(&self, register: &str, id: &str) -> Value {
        let out = self.run(&["show", register, id, "--json"]);
        assert_success(&out);
        serde_json::from_str(&stdout(&out)).expect("show --json prints JSON")
    }

    fn list(&self, register: &str, extra: &[&str]) -> Vec<Value> {
        let mut args = vec!["list", register, "--json"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert_success(&out);
        serde_json::from_str(&stdout(&out)).expect("list --json prints a JSON array")
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "expected success, got {:?}\nstdout: {}\nstderr: {}",
        out.status,
        stdout(out),
        stderr(out)
    );
}

/// Exit code 2 and the `code field message` lines on stderr; returns (code, field) pairs.
fn refused(out: &Output) -> Vec<(String, String)> {
    assert_eq!(out.status.code(), Some(2), "expected exit 2\nstdout: {}\nstderr: {}", stdout(out), stderr(out));
    assert!(!stderr(out).contains("panicked"), "no panics: {}", stderr(out));
    stderr(out)
        .lines()
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let code = parts.next().unwrap_or_default().to_string();
            let field = parts.next().unwrap_or_default().to_string();
            let message = parts.next().unwrap_or_default();
            assert!(!message.trim().is_empty(), "every line has a message: {line}");
            (code, field)
        })
        .collect()
}

fn household() -> Value {
    json!({"village": "翠月湖村", "group": "三组", "house_no": "12号", "head_name": "王芳",
           "phone": "138 1234 5678", "tags": ["registered", "left_behind"]})
}

fn dispute() -> Value {
    json!({
        "accepted_on": "2026-11-20", "source": "party_request", "dispute_type": "homestead",
        "location": "翠月湖村三组", "people_count": 2, "summary": "两家因宅基地边界发生争执",
        "mediators": "李建国、村调委会刘主任",
        "parties": [{"name": "张三", "role": "applicant"}, {"name": "单田芳", "role": "respondent", "phone": "13900001111"}]
    })
}

#[test]
fn a_day_of_work_round_trips_through_the_cli() {
    let office = Office::new();
    let h = office.add("households", &household());
    let r = office.add(
        "residents",
        &json!({"household_id": h, "name": "王芳", "id_number": "11010519491231002x", "category": "registered"}),
    );
    let resident = office.show("residents", &r);
    assert_eq!(resident["id_number"], "11010519491231002X", "lowercase x stored as X");
    assert_eq!(resident["sex"], "female", "sex derived from the ID number");
    assert_eq!(resident["birth_date"], "1949-12-31");

    let v = office.add(
        "visits",
        &json!({"date": "2026-11-28", "officer": "李建国", "household_id": h, "method": "in_home",
                "purposes": ["info_check", "safety_publicity"], "people_talked": 2, "concerns": "村口路灯坏了三个月"}),
    );
    let visit = office.show("visits", &v);
    assert_eq!(visit["head_name"], "王芳", "the visit keeps the household head's name");
    assert_eq!(visit["version"], 1);
    assert_eq!(visit["voided"], false);
    assert_eq!(visit["office_code"], "CYH-01");
    assert_eq!(visit["created_at"], NOW);

    let p = office.add(
        "patrols",
        &json!({"date": "2026-11-27", "start_time": "22:00", "end_time": "01:30", "crosses_midnight": true,
                "kind": "officer_led", "mode": "foot", "route": "村委会—小学—水库", "leader": "李建国",
                "members": ["刘强", "陈明"], "headcount": 3, "recorder": "李建国"}),
    );
    assert_eq!(office.show("patrols", &p)["end_time"], "01:30");

    // A dispute through its workflow, with history.
    let d = office.add("disputes", &dispute());
    assert_eq!(office.show("disputes", &d)["record_no"], "2026-纠-001");
    assert_success(&office.run(&["update", "disputes", &d, "--json", r#"{"status":"mediating"}"#]));
    assert_success(&office.run(&[
        "update",
        "disputes",
        &d,
        "--json",
        r#"{"status":"resolved","outcome_note":"双方同意以原界桩为准","agreement_form":"written"}"#,
    ]));
    let shown = office.show("disputes", &d);
    assert_eq!(shown["status"], "resolved");
    assert_eq!(shown["version"], 3);

    let out = office.run(&["history", "disputes", &d, "--json"]);
    assert_success(&out);
    let history: Vec<Value> = serde_json::from_str(&stdout(&out)).expect("history JSON");
    let actions: Vec<&str> = history.iter().map(|e| e["action"].as_str().unwrap_or_default()).collect();
    assert_eq!(actions, ["create", "update", "update"]);
    assert_eq!(history[2]["before"]["status"], "mediating");
    assert_eq!(history[2]["after"]["status"], "resolved");
    assert_eq!(history[2]["actor"], "李建国");

    // Human output is Chinese, with no raw codes.
    let out = office.run(&["show", "disputes", &d]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(text.contains("纠纷类型：房屋宅基地"), "{text}");
    assert!(text.contains("受理日期：2026年11月20日"), "{text}");
    assert!(!text.contains("homestead"), "{text}");

    // Void keeps the record, with its reason, out of the default list.
    assert_eq!(office.list("visits", &[]).len(), 1);
    assert_success(&office.run(&["void", "visits", &v, "--reason", "重复录入"]));
    assert_eq!(office.list("visits", &[]).len(), 0);
    let all = office.list("visits", &["--include-voided"]);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["void_reason"], "重复录入");
    assert_eq!(all[0]["version"], 2);
}

#[test]
fn add_reads_stdin_when_json_is_not_given() {
    let office = Office::new();
    let out = office.run_stdin(&["add", "households"], &household().to_string());
    assert_success(&out);
    let id = stdout(&out).trim().to_string();
    assert_eq!(office.show("households", &id)["phone"], "13812345678", "phone normalised");
}

#[test]
fn invalid_input_exits_2_with_one_line_per_problem_and_changes_nothing() {
    let office = Office::new();
    let first = office.add("households", &household());
    assert_eq!(office.show("households", &first)["change_seq"], 1);

    let bad = json!({"name": "曾小明", "id_number": "110101202311012177", "sex": "female",
                     "birth_date": "2027-01-01", "category": "floating", "phone": "12345", "colour": "red"});
    let problems = refused(&office.run(&["add", "residents", "--json", &bad.to_string()]));
    for expected in [
        ("id_number_checksum", "id_number"),
        ("future_date", "birth_date"),
        ("invalid_phone", "phone"),
        ("required", "stay_from"),
        ("required", "stay_to"),
        ("unknown_field", "colour"),
    ] {
        assert!(
            problems.contains(&(expected.0.to_string(), expected.1.to_string())),
            "missing {expected:?} in {problems:?}"
        );
    }
    assert_eq!(office.list("residents", &["--include-voided"]).len(), 0);
    // Nothing was committed: the next write takes the very next change-sequence number.
    let second = office.add("households", &json!({"village": "翠月湖村", "house_no": "13号", "head_name": "刘强"}));
    assert_eq!(office.show("households", &second)["change_seq"], 2);
}

#[test]
fn each_documented_rule_is_refused_with_its_code() {
    let office = Office::new();
    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "residents",
            json!({"name": "赵六", "id_number": "110101202311012176", "sex": "female", "category": "registered"}),
            "id_number_sex_mismatch",
            "sex",
        ),
        (
            "residents",
            json!({"name": "赵六", "id_number": "110101202311012176", "birth_date": "2023-11-02", "category": "registered"}),
            "id_number_birth_mismatch",
            "birth_date",
        ),
        (
            "residents",
            json!({"name": "赵六", "id_number": "110101202302302176", "category": "registered"}),
            "id_number_birth_date",
            "id_number",
        ),
        ("households", json!({"village": "翠月湖村", "house_no": "1号"}), "required", "head_name"),
        (
            "visits",
            json!({"date": "2026-11-28", "officer": "李建国", "head_name": "王五", "address": "一组",
                   "method": "door_knock", "purposes": ["aid"]}),
            "unknown_code",
            "method",
        ),
        (
            "patrols",
            json!({"date": "2026-11-28", "start_time": "20:00", "end_time": "19:00", "kind": "volunteer",
                   "mode": "foot", "route": "村道", "headcount": 2, "recorder": "李建国"}),
            "end_before_start",
            "end_time",
        ),
        (
            "disputes",
            {
                let mut d = dispute();
                d["parties"] = json!([{"name": "张三", "role": "applicant"}]);
                d
            },
            "too_few_parties",
            "parties",
        ),
        (
            "disputes",
            {
                let mut d = dispute();
                d["status"] = json!("resolved");
                d
            },
            "invalid_status_transition",
            "status",
        ),
        (
            "visits",
            json!({"date": "2026-11-29", "officer": "李建国", "head_name": "王五", "address": "一组", "method": "phone", "purposes": ["aid"]}),
            "future_date",
            "date",
        ),
    ];
    for (register, record, code, field) in cases {
        let problems = refused(&office.run(&["add", register, "--json", &record.to_string()]));
        assert!(
            problems.contains(&(code.to_string(), field.to_string())),
            "{register}: expected {code} {field}, got {problems:?}"
        );
        assert_eq!(office.list(register, &["--include-voided"]).len(), 0, "{register}: nothing written");
    }

    // Resolved without an outcome note.
    let d = office.add("disputes", &dispute());
    let problems = refused(&office.run(&["update", "disputes", &d, "--json", r#"{"status":"resolved"}"#]));
    assert_eq!(problems, vec![("outcome_note_required".to_string(), "outcome_note".to_string())]);
    assert_eq!(office.show("disputes", &d)["version"], 1, "the refused update wrote nothing");
}

#[test]
fn malformed_arguments_and_json_are_refused_without_panics() {
    let office = Office::new();
    assert_eq!(refused(&office.run(&["add", "visits", "--json", "{not json"]))[0].0, "invalid_json");
    assert_eq!(refused(&office.run(&["add", "visits", "--json", "[1,2]"]))[0].0, "invalid_type");
    assert_eq!(refused(&office.run(&["add", "ledgers", "--json", "{}"]))[0].0, "unknown_register");
    assert_eq!(refused(&office.run(&["show", "visits", "not-a-uuid"]))[0].0, "invalid_type");
    let missing = "7d0c6c1e-0000-4000-8000-000000000000";
    assert_eq!(refused(&office.run(&["show", "visits", missing]))[0].0, "record_not_found");
    assert_eq!(refused(&office.run(&["void", "visits", missing, "--reason", "x"]))[0].0, "record_not_found");
    assert_eq!(refused(&office.run(&["list", "visits", "--from", "2026-02-30"]))[0].0, "invalid_date");
    assert_eq!(refused(&office.run(&["search", "  "]))[0].0, "required");
    let h = office.add("households", &household());
    assert_eq!(
        refused(&office.run(&["void", "households", &h, "--reason", " "]))[0],
        ("required".into(), "reason".into())
    );
    assert_eq!(refused(&office.run(&["update", "households", &h, "--json", r#"{"id":"x"}"#]))[0].0, "read_only_field");
    // A record asked for under the wrong register is not found there.
    assert_eq!(refused(&office.run(&["show", "visits", &h]))[0].0, "record_not_found");
}

#[test]
fn init_refuses_to_overwrite_and_a_missing_database_is_a_clear_failure() {
    let office = Office::new();
    office.add("households", &household());
    let out = office.run(&["init", "--office-name", "别的警务室", "--office-code", "X-2", "--officer", "张三"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("不会覆盖"), "{}", stderr(&out));
    assert_eq!(office.list("households", &[]).len(), 1, "the existing office is intact");

    let out = Command::new(env!("CARGO_BIN_EXE_cunjing"))
        .env_remove("CUNJING_DB")
        .args(["--db", &office.dir.path().join("nope.db").to_string_lossy(), "list", "visits"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cunjing init"), "{}", stderr(&out));
    assert!(!office.dir.path().join("nope.db").exists(), "opening does not create a file");
}

#[test]
fn search_finds_people_by_name_pinyin_initials_and_id_fragment() {
    let office = Office::new();
    let h = office.add("households", &household());
    let r = office.add(
        "residents",
        &json!({"household_id": h, "name": "曾小明", "id_number": "110101202311012176", "category": "registered"}),
    );
    let d = office.add("disputes", &dispute());
    let search = |q: &str| -> Vec<String> {
        let out = office.run(&["search", q, "--json"]);
        assert_success(&out);
        let hits: Vec<Value> = serde_json::from_str(&stdout(&out)).expect("hits JSON");
        hits.iter().map(|h| h["id"].as_str().unwrap_or_default().to_string()).collect()
    };
    assert!(search("王芳").contains(&h));
    assert!(search("wangfang").contains(&h));
    assert!(search("wf").contains(&h));
    assert!(search("zengxiaoming").contains(&r), "曾 read as zeng");
    assert!(search("zxm").contains(&r));
    assert!(search("012176").contains(&r), "ID fragment");
    assert!(search("翠月湖").contains(&h), "village");
    assert!(search("shantianfang").contains(&d), "单 read as shan, on a dispute party");
    assert!(search("2026-纠-001").contains(&d), "dispute number");
    assert!(search("宅基地边界").contains(&d), "words of the summary");
    assert!(search("李四").is_empty());
}

#[test]
fn without_db_the_office_database_lives_in_the_os_data_directory() {
    let home = tempfile::tempdir().expect("temp home");
    let data = home.path().join("data");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cunjing"))
            .env_remove("CUNJING_DB")
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", &data)
            .env("CUNJING_NOW", NOW)
            .env("CUNJING_PASSPHRASE", "村警 test passphrase")
            .args(args)
            .output()
            .expect("runs")
    };
    let out = run(&["init", "--office-name", "翠月湖村警务室", "--office-code", "CYH-01", "--officer", "李建国"]);
    assert_success(&out);
    let expected: &Path = &data.join("cunjing").join("office.db");
    assert!(expected.exists(), "database at {}", expected.display());
    assert_eq!(stdout(&out).trim(), expected.to_string_lossy());
    assert_success(&run(&["office"]));
}
