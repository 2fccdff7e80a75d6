//! End-to-end tests of `cunjing print`: the three documents written as PDF files that poppler
//! reads back, and refused arguments with exit code 2 and `code field message` lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NOW: &str = "2026-11-28T10:00:00+08:00";

struct Office {
    dir: tempfile::TempDir,
}

impl Office {
    /// A demo office: real-looking residents, a year of work.
    fn demo() -> Office {
        let office = Office { dir: tempfile::tempdir().expect("temp dir") };
        let out = office.run(&["demo", "--households", "60", "--years", "1", "--seed", "3"]);
        assert!(out.status.success(), "demo: {}", String::from_utf8_lossy(&out.stderr));
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
}

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext runs");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn print_writes_ledger_wall_and_report_pdfs() {
    let office = Office::demo();
    let ledger = office.path("visits.pdf");
    let out = office.run(&[
        "print",
        "ledger",
        "visits",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-28",
        "--out",
        ledger.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("visits.pdf") && stdout.contains("页"), "{stdout}");
    let text = pdf_text(&ledger);
    assert!(text.contains("演示警务室入户走访登记簿") && text.contains("2026年11月1日至2026年11月28日"), "{text}");
    assert!(text.contains("第1页共"));

    let wall = office.path("wall.pdf");
    let out =
        office.run(&["print", "wall", "--month", "2026-11", "--size", "a3", "--out", wall.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(pdf_text(&wall).contains("警务公开栏"));

    let report = office.path("report.pdf");
    let out = office.run(&["print", "report", "--period", "2026-Q4", "--out", report.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(pdf_text(&report).contains("2026年第四季度工作考评表"));
}

#[test]
fn bad_print_arguments_exit_2_with_code_field_message() {
    let office = Office::demo();
    let out_file = office.path("x.pdf");
    let out_arg = out_file.to_str().expect("utf-8");
    for (args, line) in [
        (vec!["print", "ledger", "visits", "--from", "2026-11-30", "--to", "2026-11-01"], "end_before_start to "),
        (vec!["print", "ledger", "nonsense"], "unknown_register"),
        (vec!["print", "report", "--period", "2026-Q7"], "invalid_date period "),
        (vec!["print", "wall", "--size", "b5"], "unknown_code size "),
        (vec!["print", "wall", "--month", "2026-13"], "invalid_date month "),
    ] {
        let mut args = args.clone();
        args.extend(["--out", out_arg]);
        let out = office.run(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(line), "{args:?}: {stderr}");
    }
    assert!(!out_file.exists(), "nothing written on refusal");
}
