//! Encryption at rest through the built `cunjing` binary (issue 7): the passphrase from
//! `CUNJING_PASSPHRASE`, refusals with `code field message`, a passphrase change, an older plain
//! database encrypted in place, and a forgotten passphrase recovered through the station — the
//! files travelling on a "stick" folder, the code given by word of mouth (an environment
//! variable here).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-29T09:00:00+08:00";
const PASS: &str = "翠月湖 警务室 口令";
const STATION_PASS: &str = "县局 汇总站 口令";

fn cunjing(pass: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cunjing"));
    cmd.env_remove("CUNJING_DB")
        .env_remove("CUNJING_NEW_PASSPHRASE")
        .env_remove("CUNJING_RECOVERY_CODE")
        .env("CUNJING_NOW", NOW)
        .env("CUNJING_PASSPHRASE", pass);
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn ok(out: Output) -> Output {
    assert!(out.status.success(), "expected success\nstdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    out
}

/// Exit code 2 and the codes of the `code field message` lines.
#[track_caller]
fn refused(out: Output) -> Vec<String> {
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected a refusal\nstdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stderr).lines().filter_map(|l| l.split(' ').next().map(str::to_string)).collect()
}

fn office(db: &Path, pass: &str, args: &[&str]) -> Output {
    cunjing(pass).arg("--db").arg(db).args(args).output().expect("runs")
}

fn init(db: &Path) {
    ok(office(
        db,
        PASS,
        &["init", "--office-name", "翠月湖村警务室", "--office-code", "CYH-01", "--officer", "李建国"],
    ));
    let add = cunjing(PASS)
        .arg("--db")
        .arg(db)
        .args(["add", "residents", "--json"])
        .arg(r#"{"name": "王芳", "id_number": "11010519491231002X", "category": "registered"}"#)
        .output()
        .expect("runs");
    ok(add);
}

fn contains(path: &Path, needle: &[u8]) -> bool {
    let bytes = std::fs::read(path).expect("read");
    bytes.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_office_file_is_encrypted_and_opens_only_with_its_passphrase() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("office.db");
    init(&db);
    assert!(dir.path().join("office.db.key").exists());
    ok(office(&db, PASS, &["backup"]));
    for file in [db.clone(), dir.path().join("backups").join(first_backup(&dir.path().join("backups")))] {
        assert!(!contains(&file, "王芳".as_bytes()), "{} holds a name in the clear", file.display());
        assert!(!contains(&file, b"11010519491231002X"));
        assert!(!contains(&file, b"SQLite format 3"));
    }
    assert_eq!(refused(office(&db, "not the passphrase", &["list", "residents"])), ["wrong_passphrase"]);
    // Without the variable and without a terminal there is nobody to ask: a clear refusal.
    let out = Command::new(env!("CARGO_BIN_EXE_cunjing"))
        .env_remove("CUNJING_PASSPHRASE")
        .env("CUNJING_NOW", NOW)
        .arg("--db")
        .arg(&db)
        .args(["list", "residents"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(refused(out), ["passphrase_required"]);
    let listed = ok(office(&db, PASS, &["list", "residents", "--json"]));
    assert!(text(&listed.stdout).contains("王芳"));
    let check = ok(office(&db, PASS, &["check", "--json"]));
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(report["encrypted"], true);
    // A second init never replaces the key file or the database (a refusal about the file: exit 1).
    let again = office(&db, PASS, &["init", "--office-name", "另一个", "--office-code", "X-1", "--officer", "某人"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("不会覆盖"), "{}", text(&again.stderr));
}

fn first_backup(dir: &Path) -> String {
    std::fs::read_dir(dir)
        .expect("backups")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".db"))
        .expect("a backup")
}

#[test]
fn the_passphrase_changes_without_re_encrypting() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("office.db");
    init(&db);
    let before = std::fs::read(&db).expect("db");
    let out = cunjing(PASS).arg("--db").arg(&db).arg("passphrase").env("CUNJING_NEW_PASSPHRASE", "短").output();
    assert_eq!(refused(out.expect("runs")), ["weak_passphrase"]);
    let out =
        cunjing(PASS).arg("--db").arg(&db).arg("passphrase").env("CUNJING_NEW_PASSPHRASE", "新的 口令 2027").output();
    ok(out.expect("runs"));
    assert_eq!(std::fs::read(&db).expect("db"), before, "the database file is untouched");
    assert_eq!(refused(office(&db, PASS, &["list", "residents"])), ["wrong_passphrase"]);
    ok(office(&db, "新的 口令 2027", &["list", "residents"]));
}

#[test]
fn a_forgotten_passphrase_comes_back_through_the_station() {
    let dir = tempfile::tempdir().expect("dir");
    let (db, station, stick) = (dir.path().join("office.db"), dir.path().join("station.db"), dir.path().join("usb"));
    std::fs::create_dir_all(&stick).expect("stick");
    init(&db);
    let station_cmd = |args: &[&str]| -> Output {
        cunjing(STATION_PASS).arg("station").arg("--station-db").arg(&station).args(args).output().expect("runs")
    };
    let made = ok(station_cmd(&["init", "--station-name", "县公安局汇总站"]));
    let code_line = text(&made.stderr);
    assert!(code_line.contains("恢复码"), "station init shows its recovery code: {code_line}");
    // Not enrolled yet: nothing the station could open.
    let request = stick.join("recovery-request.json");
    let path = request.display().to_string();
    assert_eq!(refused(office(&db, "", &["recovery", "request", "--out", &path])), ["key_file_refused"]);

    let enrollment = stick.join("CYH-01.cje");
    ok(station_cmd(&[
        "enroll",
        "--office-code",
        "CYH-01",
        "--office-name",
        "翠月湖村警务室",
        "--out",
        &enrollment.display().to_string(),
    ]));
    ok(office(&db, PASS, &["enroll", &enrollment.display().to_string()]));

    // The officer forgot the passphrase: the request needs none.
    ok(office(&db, "", &["recovery", "request", "--out", &path]));
    let response = stick.join("recovery-response.json");
    let answered = ok(station_cmd(&["recover", &path, "--out", &response.display().to_string(), "--json"]));
    let answer: serde_json::Value = serde_json::from_slice(&answered.stdout).expect("json");
    let code = answer["code"].as_str().expect("code").to_string();
    assert!(answer["label"].as_str().expect("label").contains("翠月湖村警务室"));
    assert!(!contains(&response, code.as_bytes()), "the code is never on the stick");

    let apply = |code: &str| -> Output {
        cunjing("")
            .arg("--db")
            .arg(&db)
            .args(["recovery", "apply"])
            .arg(&response)
            .env("CUNJING_RECOVERY_CODE", code)
            .env("CUNJING_NEW_PASSPHRASE", "找回之后的 新口令")
            .output()
            .expect("runs")
    };
    assert_eq!(refused(apply("0000-0000-0000-0000-0000")), ["wrong_passphrase"]);
    ok(apply(&code));
    let listed = ok(office(&db, "找回之后的 新口令", &["list", "residents", "--json"]));
    assert!(text(&listed.stdout).contains("王芳"));
    assert_eq!(refused(office(&db, PASS, &["list", "residents"])), ["wrong_passphrase"]);
}

#[test]
fn the_station_clerk_resets_the_station_passphrase_with_the_printed_code() {
    let dir = tempfile::tempdir().expect("dir");
    let station = dir.path().join("station.db");
    let run = |pass: &str, args: &[&str]| -> Command {
        let mut cmd = cunjing(pass);
        cmd.arg("station").arg("--station-db").arg(&station).args(args);
        cmd
    };
    let made = ok(run(STATION_PASS, &["init", "--station-name", "县公安局汇总站"]).output().expect("runs"));
    let stderr = text(&made.stderr);
    let code = stderr.lines().find_map(|l| l.split('：').nth(1).filter(|_| l.contains("恢复码"))).expect("code");
    let reset = run("", &["passphrase", "--with-code"])
        .env("CUNJING_RECOVERY_CODE", code.trim())
        .env("CUNJING_NEW_PASSPHRASE", "汇总站 新的口令 1")
        .output()
        .expect("runs");
    ok(reset);
    ok(run("汇总站 新的口令 1", &["status"]).output().expect("runs"));
    assert_eq!(refused(run(STATION_PASS, &["status"]).output().expect("runs")), ["wrong_passphrase"]);
}

#[test]
fn an_older_plain_database_is_encrypted_in_place() {
    let dir = tempfile::tempdir().expect("dir");
    let db: PathBuf = dir.path().join("office.db");
    // A database from before encryption, with a plain backup beside it.
    let clock: std::sync::Arc<dyn cunjing_core::Clock> =
        std::sync::Arc::new(cunjing_core::FixedClock::parse(NOW).expect("clock"));
    let new = cunjing_core::NewOffice {
        code: "OLD-1".into(),
        name: "旧村警务室".into(),
        officer: "赵六".into(),
        ..Default::default()
    };
    let store = cunjing_core::Store::create(&db, &new, &cunjing_core::DbKey::Plain, clock).expect("plain");
    store.backup_rotated().expect("plain backup");
    drop(store);
    assert!(contains(&db, b"SQLite format 3"));
    // It still opens without a passphrase, and check says it should not stay this way.
    let check = office(&db, "", &["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(text(&check.stdout).contains("没有加密"));

    ok(office(&db, PASS, &["encrypt"]));
    assert!(!contains(&db, b"SQLite format 3"));
    assert!(!contains(&db, "旧村警务室".as_bytes()));
    let backups = dir.path().join("backups");
    let all: Vec<_> = std::fs::read_dir(&backups).expect("dir").flatten().map(|e| e.path()).collect();
    for b in all.iter().filter(|p| p.extension().is_some_and(|e| e == "db")) {
        assert!(!contains(b, b"SQLite format 3"), "plain backup left: {}", b.display());
    }
    let office_json = ok(office(&db, PASS, &["office", "--json"]));
    assert!(text(&office_json.stdout).contains("旧村警务室"));
    assert_eq!(refused(office(&db, "", &["office"])), ["wrong_passphrase"]);
}
