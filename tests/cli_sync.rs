//! End-to-end test of USB sync through the built `cunjing` binary (issue 4): a county station
//! and village offices in temporary folders, the files travelling through a "stick" folder, and
//! every refusal the issue names answered with exit code 2 and `code field message` lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

const NOW: &str = "2026-11-29T09:00:00+08:00";

fn cunjing() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cunjing"));
    cmd.env_remove("CUNJING_DB").env("CUNJING_NOW", NOW).env("CUNJING_PASSPHRASE", "村警 test passphrase");
    cmd
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "expected success, got {:?}\nstdout: {}\nstderr: {}",
        out.status,
        stdout(&out),
        stderr(&out)
    );
    out
}

/// Asserts exit code 2 and returns the `(code, field, message)` lines of stderr.
#[track_caller]
fn refused(out: Output) -> Vec<(String, String, String)> {
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected a refusal (exit 2)\nstdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    let lines: Vec<(String, String, String)> = stderr(&out)
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, ' ');
            let code = parts.next().unwrap_or_default().to_string();
            let field = parts.next().unwrap_or_default().to_string();
            let message = parts.next().unwrap_or_default().to_string();
            (code, field, message)
        })
        .collect();
    assert!(!lines.is_empty(), "a refusal says why on stderr");
    for (code, field, message) in &lines {
        assert!(
            !code.is_empty() && code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "`code field message` line with a snake_case code, got {code:?} {field:?} {message:?}"
        );
        assert!(!field.is_empty() && !message.is_empty(), "field and message: {code} {field:?} {message:?}");
    }
    lines
}

fn json_of(out: &Output) -> Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("JSON on stdout ({e}): {}", stdout(out)))
}

/// A county station database in its own folder.
struct Station {
    db: PathBuf,
}

impl Station {
    fn new(dir: &Path, name: &str) -> Station {
        let st = Station { db: dir.join(format!("{name}.station.db")) };
        let out = ok(st.run(&["init", "--station-name", name]));
        assert_eq!(stdout(&out).trim(), st.db.display().to_string(), "init prints the database path");
        st
    }

    fn cmd(&self) -> Command {
        let mut cmd = cunjing();
        cmd.arg("station").arg("--station-db").arg(&self.db);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("runs cunjing station")
    }

    fn run_paths(&self, args: &[&str], files: &[&Path]) -> Output {
        self.cmd().args(args).args(files).output().expect("runs cunjing station")
    }

    /// Issues an enrollment file for an office onto the stick.
    fn enroll(&self, code: &str, name: &str, stick: &Path) -> PathBuf {
        let file = stick.join(format!("{code}.cje"));
        let out = ok(self.run(&[
            "enroll",
            "--office-code",
            code,
            "--office-name",
            name,
            "--out",
            &file.display().to_string(),
        ]));
        assert_eq!(PathBuf::from(stdout(&out).trim()), file);
        file
    }

    fn import(&self, files: &[&Path], extra: &[&str]) -> Output {
        let mut args = vec!["import"];
        args.extend_from_slice(extra);
        self.run_paths(&args, files)
    }

    fn status(&self) -> Value {
        json_of(&ok(self.run(&["status", "--json"])))
    }

    /// What the station holds, as the CLI shows it: its status and every county record (with
    /// versions). Equal snapshots mean nothing was imported. (The file bytes are no measure:
    /// SQLite may rewrite its header on open and close.)
    fn snapshot(&self) -> String {
        let mut snapshot = self.status().to_string();
        for page in 0.. {
            let offset = (page * 1000).to_string();
            let args = ["records", "--include-voided", "--limit", "1000", "--offset", &offset, "--json"];
            let page = json_of(&ok(self.run(&args)));
            let items = page["items"].as_array().map_or(0, Vec::len);
            snapshot.push_str(&page["items"].to_string());
            if items < 1000 {
                break;
            }
        }
        snapshot
    }
}

/// A village office database.
struct Office {
    db: PathBuf,
    code: String,
}

impl Office {
    /// A demo office (code DEMO-01): every register, with updates and voids.
    fn demo(dir: &Path, name: &str) -> Office {
        let office = Office { db: dir.join(format!("{name}.office.db")), code: "DEMO-01".into() };
        ok(office.run(&["demo", "--households", "40", "--years", "1", "--seed", "7"]));
        office
    }

    /// An empty office with the given code.
    fn init(dir: &Path, code: &str) -> Office {
        let office = Office { db: dir.join(format!("{code}.office.db")), code: code.into() };
        ok(office.run(&[
            "init",
            "--office-name",
            &format!("{code}村警务室"),
            "--office-code",
            code,
            "--officer",
            "李建国",
        ]));
        office
    }

    fn cmd(&self) -> Command {
        let mut cmd = cunjing();
        cmd.arg("--db").arg(&self.db);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("runs cunjing")
    }

    fn run_path(&self, args: &[&str], file: &Path) -> Output {
        self.cmd().args(args).arg(file).output().expect("runs cunjing")
    }

    /// Enrolls with the station's file; returns the office key file written beside it.
    fn enroll(&self, enrollment: &Path) -> PathBuf {
        let out = ok(self.run_path(&["enroll"], enrollment));
        let key = PathBuf::from(stdout(&out).trim());
        assert!(key.is_file(), "enroll writes the office key file: {}", key.display());
        key
    }

    /// Exports into `stick`; returns the bundle path printed on stdout.
    fn export(&self, stick: &Path, extra: &[&str]) -> PathBuf {
        let mut args = vec!["export", "--out", stick.to_str().expect("utf-8 path")];
        args.extend_from_slice(extra);
        let out = ok(self.run(&args));
        let path = PathBuf::from(stdout(&out).trim());
        assert!(path.is_file(), "export prints the bundle it wrote: {:?}", stdout(&out));
        path
    }

    fn add_household(&self, house_no: &str) {
        let record = json!({"village": "翠月湖村", "house_no": house_no, "head_name": "刘强"});
        ok(self.run(&["add", "households", "--json", &record.to_string()]));
    }

    fn sync_status(&self) -> Value {
        json_of(&ok(self.run(&["sync-status", "--json"])))
    }
}

/// A station, an enrolled office with key pinned, and the stick between them.
struct Setup {
    dir: tempfile::TempDir,
    stick: PathBuf,
    station: Station,
    office: Office,
}

fn setup(office: impl FnOnce(&Path) -> Office) -> Setup {
    let dir = tempfile::tempdir().expect("temp dir");
    let stick = dir.path().join("usb");
    std::fs::create_dir(&stick).expect("stick");
    let station = Station::new(dir.path(), "城关派出所");
    let office = office(dir.path());
    let enrollment = station.enroll(&office.code, "演示村警务室", &stick);
    let key = office.enroll(&enrollment);
    ok(station.run_paths(&["add-office-key"], &[&key]));
    Setup { dir, stick, station, office }
}

fn office_entry<'a>(status: &'a Value, code: &str) -> &'a Value {
    status["offices"].as_array().and_then(|a| a.iter().find(|o| o["code"] == code)).expect("office in station status")
}

fn count(v: &Value) -> i64 {
    v.as_i64().expect("a number")
}

#[test]
fn whole_flow_from_enrollment_to_receipt() {
    let s = setup(|dir| Office::demo(dir, "demo"));
    let (station, office, stick) = (&s.station, &s.office, &s.stick);

    // Export: stdout is the path, the file is named <code>-<seq>.cjb.
    let b1 = office.export(stick, &[]);
    assert_eq!(b1.file_name().and_then(|n| n.to_str()), Some("DEMO-01-1.cjb"));
    assert_eq!(b1.parent(), Some(stick.as_path()));
    // Nothing changed since: no file, a message on stderr, exit 0.
    let again = ok(office.run(&["export", "--out", stick.to_str().expect("utf-8")]));
    assert_eq!(stdout(&again).trim(), "", "nothing to export prints no path");
    assert!(!stderr(&again).trim().is_empty(), "nothing to export is said on stderr");
    assert_eq!(
        std::fs::read_dir(stick)
            .expect("stick")
            .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "cjb")))
            .count(),
        1
    );

    // Inspect: verified, summarised, not yet held.
    let inspect = json_of(&ok(cunjing()
        .args(["bundle", "inspect"])
        .arg(&b1)
        .arg("--station-db")
        .arg(&station.db)
        .arg("--json")
        .output()
        .expect("runs")));
    assert_eq!(inspect["office_code"], "DEMO-01");
    assert_eq!(inspect["seq"], 1);
    assert_eq!(inspect["held"], "new");
    let total = count(&inspect["record_count"]);
    assert!(total > 100, "{inspect}");
    let per_register: i64 =
        inspect["registers"].as_array().expect("registers").iter().map(|r| count(&r["count"])).sum();
    assert_eq!(per_register, total);
    assert_eq!(
        inspect["registers"].as_array().expect("registers").len(),
        14, // every register, the further books (issue 8) included
        "the demo fills every register: {inspect}"
    );
    let text = stdout(&ok(cunjing()
        .args(["bundle", "inspect"])
        .arg(&b1)
        .arg("--station-db")
        .arg(&station.db)
        .output()
        .expect("runs")));
    assert!(text.contains("DEMO-01") && text.contains("尚未导入"), "{text}");

    // Dry run: says what would change per register, writes nothing.
    let before = station.snapshot();
    let dry = json_of(&ok(station.import(&[&b1], &["--dry-run", "--json"])));
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["bundles"][0]["status"], "would_import");
    let changes = dry["bundles"][0]["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 14, "{dry}");
    assert_eq!(changes.iter().map(|c| count(&c["new"])).sum::<i64>(), total, "every record is new: {dry}");
    let dry_text = stdout(&ok(station.import(&[&b1], &["--dry-run"])));
    assert!(dry_text.contains("住户登记") && dry_text.contains("新增"), "{dry_text}");
    assert!(station.snapshot() == before, "--dry-run leaves the station database as it was");
    assert_eq!(office_entry(&station.status(), "DEMO-01")["bundles"], 0);

    // Import, then import again: already imported, nothing written.
    let imported = json_of(&ok(station.import(&[&b1], &["--json"])));
    assert_eq!(imported["bundles"][0]["status"], "imported", "{imported}");
    let before = station.snapshot();
    let twice = json_of(&ok(station.import(&[&b1], &["--json"])));
    assert_eq!(twice["bundles"][0]["status"], "already_imported", "{twice}");
    let twice_text = stdout(&ok(station.import(&[&b1], &[])));
    assert!(twice_text.contains("已导入过"), "{twice_text}");
    assert!(station.snapshot() == before, "a re-import writes nothing");

    // Station status counts what came in.
    let status = station.status();
    let entry = office_entry(&status, "DEMO-01");
    assert_eq!((count(&entry["bundles"]), count(&entry["last_seq"]), count(&entry["received_through_seq"])), (1, 1, 1));
    assert_eq!(entry["missing"], json!([]));
    let held: i64 =
        entry["records"].as_array().expect("records").iter().map(|r| count(&r["live"]) + count(&r["voided"])).sum();
    assert_eq!(held, total, "{entry}");
    let voided: i64 = entry["records"].as_array().expect("records").iter().map(|r| count(&r["voided"])).sum();
    let voided_in_bundle: i64 =
        inspect["registers"].as_array().expect("registers").iter().map(|r| count(&r["voided"])).sum();
    assert_eq!(voided, voided_in_bundle);

    // Receipt back to the office: nothing left unconfirmed.
    assert!(count(&office.sync_status()["unconfirmed_records"]) > 0);
    let receipt = stick.join("DEMO-01.cjr");
    let out = ok(station.run(&["receipt", "--office-code", "DEMO-01", "--out", receipt.to_str().expect("utf-8")]));
    assert_eq!(PathBuf::from(stdout(&out).trim()), receipt);
    let taken = json_of(&ok(office.run_path(&["receipt", "import", "--json"], &receipt)));
    assert_eq!(count(&taken["still_unconfirmed"]), 0, "{taken}");
    let sync = office.sync_status();
    assert_eq!(sync["unconfirmed_records"], 0, "{sync}");
    assert_eq!(sync["pending_records"], 0, "{sync}");
    assert_eq!(sync["last_export"]["seq"], 1);
    assert_eq!(sync["last_receipt"]["received_through_seq"], 1);
    // A second import of the same receipt is harmless.
    ok(office.run_path(&["receipt", "import"], &receipt));
    assert_eq!(office.sync_status()["unconfirmed_records"], 0);
}

#[test]
fn damaged_foreign_and_unknown_bundles_are_refused_with_exit_2() {
    let s = setup(|dir| Office::init(dir, "CYH-01"));
    let (station, office, stick) = (&s.station, &s.office, &s.stick);
    office.add_household("1号");
    office.add_household("2号");
    let good = office.export(stick, &[]);
    let bytes = std::fs::read(&good).expect("bundle");
    let before = station.snapshot();

    // One flipped byte, anywhere in the middle.
    let flipped = stick.join("flipped.cjb");
    let mut bad = bytes.clone();
    let i = bad.len() / 2;
    bad[i] ^= 0x01;
    std::fs::write(&flipped, &bad).expect("write");
    let lines = refused(station.import(&[&flipped], &[]));
    assert_eq!(lines[0].0, "sync_file_refused", "{lines:?}");
    assert!(lines[0].1.ends_with("flipped.cjb"), "the field names the file: {lines:?}");

    // Truncated (the stick pulled out mid-copy).
    let truncated = stick.join("truncated.cjb");
    std::fs::write(&truncated, &bytes[..bytes.len() - 100]).expect("write");
    let lines = refused(station.import(&[&truncated], &[]));
    assert!(lines[0].1.ends_with("truncated.cjb"), "{lines:?}");
    assert!(lines[0].2.contains("truncated"), "the message says why: {lines:?}");
    // Inspect refuses the same way.
    refused(
        cunjing()
            .args(["bundle", "inspect"])
            .arg(&truncated)
            .arg("--station-db")
            .arg(&station.db)
            .output()
            .expect("runs"),
    );

    // Not a sync file at all.
    let junk = stick.join("junk.cjb");
    std::fs::write(&junk, "hello").expect("write");
    refused(station.import(&[&junk], &[]));

    // An office enrolled at another station: its key file is refused here, and its bundle is
    // refused as coming from an unknown office.
    let other = Station::new(s.dir.path(), "南山派出所");
    let elsewhere_stick = s.dir.path().join("usb2");
    std::fs::create_dir(&elsewhere_stick).expect("stick");
    let stranger = Office::init(s.dir.path(), "NS-01");
    let key = stranger.enroll(&other.enroll("NS-01", "南山村警务室", &elsewhere_stick));
    ok(other.run_paths(&["add-office-key"], &[&key]));
    stranger.add_household("9号");
    let foreign = stranger.export(&elsewhere_stick, &[]);
    let lines = refused(station.import(&[&foreign], &[]));
    assert_eq!(lines[0].0, "unknown_office", "{lines:?}");
    assert!(lines[0].2.contains("NS-01"), "{lines:?}");
    station.enroll("NS-01", "南山村警务室", stick);
    let lines = refused(station.run_paths(&["add-office-key"], &[&key]));
    assert_eq!(lines[0].0, "wrong_station", "{lines:?}");
    let lines = refused(station.import(&[&foreign], &[]));
    assert_eq!(lines[0].0, "office_key_missing", "{lines:?}");

    // A bundle for the other station from an impostor using our office's code: the pinned key
    // does not verify it.
    let impostor_dir = s.dir.path().join("impostor");
    std::fs::create_dir(&impostor_dir).expect("dir");
    let impostor = Office::init(&impostor_dir, "CYH-01");
    let key = impostor.enroll(&other.enroll("CYH-01", "冒名警务室", &elsewhere_stick));
    ok(other.run_paths(&["add-office-key"], &[&key]));
    impostor.add_household("7号");
    let fake = impostor.export(&elsewhere_stick, &[]);
    let lines = refused(station.import(&[&fake], &[]));
    assert_eq!(lines[0].0, "sync_file_refused", "{lines:?}");

    // None of that touched the county records; the good bundle still imports, and a mixed batch
    // imports the good file while refusing the bad one (exit 2, one line for the bad one).
    let status = station.status();
    assert_eq!(office_entry(&status, "CYH-01")["bundles"], 0, "{status}");
    assert_eq!(office_entry(&status, "CYH-01")["records"], json!([]));
    assert!(station.snapshot() != before, "the NS-01 enrollment was written");
    let lines = refused(station.import(&[&good, &flipped], &[]));
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].1.ends_with("flipped.cjb"), "{lines:?}");
    let entry = office_entry(&station.status(), "CYH-01").clone();
    assert_eq!(entry["bundles"], 1, "{entry}");
    assert_eq!(entry["records"][0]["live"], 2, "{entry}");
}

#[test]
fn a_missing_bundle_is_named_and_closed_by_an_unconfirmed_export() {
    let s = setup(|dir| Office::init(dir, "CYH-01"));
    let (station, office, stick) = (&s.station, &s.office, &s.stick);
    office.add_household("1号");
    let b1 = office.export(stick, &[]);
    office.add_household("2号");
    let b2 = office.export(stick, &[]);
    office.add_household("3号");
    let b3 = office.export(stick, &[]);
    let names: Vec<_> = [&b1, &b2, &b3]
        .iter()
        .map(|p| p.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["CYH-01-1.cjb", "CYH-01-2.cjb", "CYH-01-3.cjb"]);
    std::fs::remove_file(&b2).expect("bundle 2 is lost");

    // Bundles 1 and 3 arrive: both import, and the output names the missing bundle 2.
    let out = ok(station.import(&[&b3, &b1], &[]));
    let text = stdout(&out);
    assert!(text.contains("缺少") && text.contains("第 2 号"), "the gap is named: {text}");
    let entry = office_entry(&station.status(), "CYH-01").clone();
    assert_eq!(entry["missing"], json!([2]), "{entry}");
    assert_eq!(entry["received_through_seq"], 1, "{entry}");

    // The receipt tells the office; it re-exports what is unconfirmed, and the gap closes.
    let receipt = stick.join("r1.cjr");
    ok(station.run(&["receipt", "--office-code", "CYH-01", "--out", receipt.to_str().expect("utf-8")]));
    let taken = json_of(&ok(office.run_path(&["receipt", "import", "--json"], &receipt)));
    assert_eq!(taken["missing"], json!([2]), "{taken}");
    let sync = office.sync_status();
    assert!(count(&sync["unconfirmed_records"]) >= 2, "{sync}");
    assert_eq!(sync["last_receipt"]["missing"], json!([2]));
    let b4 = office.export(stick, &["--unconfirmed"]);
    assert_eq!(b4.file_name().and_then(|n| n.to_str()), Some("CYH-01-4.cjb"));
    let report = json_of(&ok(station.import(&[&b4], &["--json"])));
    assert_eq!(report["bundles"][0]["status"], "imported", "{report}");
    assert_eq!(report["gaps"], json!([]), "{report}");
    let entry = office_entry(&station.status(), "CYH-01").clone();
    assert_eq!(entry["missing"], json!([]), "{entry}");
    assert_eq!(entry["received_through_seq"], 4, "{entry}");
    assert_eq!(entry["records"][0]["live"], 3, "{entry}");

    let receipt = stick.join("r2.cjr");
    ok(station.run(&["receipt", "--office-code", "CYH-01", "--out", receipt.to_str().expect("utf-8")]));
    ok(office.run_path(&["receipt", "import"], &receipt));
    let sync = office.sync_status();
    assert_eq!(sync["unconfirmed_records"], 0, "{sync}");
    assert_eq!(sync["last_receipt"]["missing"], json!([]), "{sync}");
}

#[test]
fn an_enrollment_that_cannot_be_written_is_not_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let st = Station::new(dir.path(), "城关派出所");
    let gone = dir.path().join("stick-not-plugged-in").join("DC01.cje");
    let lines = refused(st.run(&[
        "enroll",
        "--office-code",
        "DC01",
        "--office-name",
        "东村警务室",
        "--out",
        &gone.display().to_string(),
    ]));
    assert_eq!(lines[0].0, "io");
    // The office is still unknown to the station: the next enrollment is a first one, not a re-enrollment.
    let status = json_of(&ok(st.run(&["status", "--json"])));
    assert_eq!(status["offices"].as_array().map(Vec::len), Some(0), "{status}");
    let out = ok(st.run(&[
        "enroll",
        "--office-code",
        "DC01",
        "--office-name",
        "东村警务室",
        "--out",
        &dir.path().join("DC01.cje").display().to_string(),
    ]));
    assert!(!stderr(&out).contains("新的"), "{}", stderr(&out));
}
