//! The crash harness (issue 7): a `cunjing` process saving records is killed with SIGKILL at
//! random moments, again and again, on the same database. After every kill, every record whose
//! save the process confirmed (`ok <id>` printed after the commit) must be there, SQLite's
//! integrity check must pass, and the product must open the file normally, with its audit chain
//! and every record matching its audit trail.
//!
//! 25 kills by default; `CUNJING_CRASH_ITERATIONS=200` for the full run.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use cunjing_core::clock::{Clock, FixedClock};
use cunjing_core::store::Store;
use cunjing_core::vault::DbKey;

const NOW: &str = "2026-11-28T10:00:00+08:00";

/// xorshift64*: deterministic kill moments without another dependency.
struct Moments(u64);

impl Moments {
    fn next_ms(&mut self, lo: u64, hi: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        lo + self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % (hi - lo)
    }
}

fn cunjing(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cunjing"));
    cmd.env_remove("CUNJING_DB").env("CUNJING_NOW", NOW).env("CUNJING_PASSPHRASE", PASSPHRASE).arg("--db").arg(db);
    cmd
}

const PASSPHRASE: &str = "村警 test passphrase";

/// The database's data key, from its key file (the file is encrypted like a real office's).
fn data_key(db: &Path) -> DbKey {
    cunjing_core::vault::unlock(db, PASSPHRASE).expect("unlock")
}

fn ids_in(db: &Path, key: &DbKey) -> BTreeSet<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    if let DbKey::Key(k) = key {
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", k.sqlcipher_literal().as_str())).expect("key");
    }
    let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    assert_eq!(ok, "ok", "integrity check after a kill");
    let mut stmt = conn.prepare("SELECT id FROM records").expect("query");
    stmt.query_map([], |r| r.get(0)).expect("rows").collect::<Result<_, _>>().expect("ids")
}

#[test]
fn confirmed_saves_survive_sigkill_at_random_moments() {
    let iterations: usize = std::env::var("CUNJING_CRASH_ITERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(25);
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("office.db");
    let init = cunjing(&db)
        .args(["init", "--office-name", "翠月湖村警务室", "--office-code", "CYH-01", "--officer", "李建国"])
        .output()
        .expect("init");
    assert!(init.status.success());
    let key = data_key(&db);
    // Each run first unlocks the key file (Argon2id, a fraction of a second): kill moments are
    // counted from when a run is ready to save, measured here on a run that saves nothing.
    let ready = Instant::now();
    assert!(cunjing(&db).args(["stress-write", "--count", "0"]).output().expect("runs").status.success());
    let startup = u64::try_from(ready.elapsed().as_millis()).unwrap_or(0);

    let mut moments = Moments(0x9E37_79B9_7F4A_7C15);
    let mut confirmed = BTreeSet::new();
    let mut killed_mid_work = 0;
    let started = Instant::now();
    for i in 0..iterations {
        let mut child =
            cunjing(&db).arg("stress-write").stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
        std::thread::sleep(Duration::from_millis(startup + moments.next_ms(20, 400)));
        // SIGKILL on Unix (TerminateProcess on Windows): no destructor, no rollback, no flush.
        let _ = child.kill();
        let out = child.wait_with_output().expect("wait");
        let text = String::from_utf8_lossy(&out.stdout);
        // Only whole lines count: a line cut by the kill was not a confirmation.
        let whole = match text.rfind('\n') {
            Some(end) => &text[..end],
            None => "",
        };
        let before = confirmed.len();
        confirmed.extend(whole.lines().filter_map(|l| l.strip_prefix("ok ")).map(str::to_string));
        if confirmed.len() > before {
            killed_mid_work += 1;
        }
        let present = ids_in(&db, &key);
        let missing: Vec<&String> = confirmed.difference(&present).collect();
        assert!(missing.is_empty(), "kill {i}: {} confirmed records lost, e.g. {:?}", missing.len(), missing.first());

        if i % 5 == 4 || i + 1 == iterations {
            // The product opens it (WAL recovery, migrations) and finds it consistent.
            let clock: Arc<dyn Clock> = Arc::new(FixedClock::parse(NOW).expect("clock"));
            let store = Store::open(&db, &key, clock).expect("the store opens after a kill");
            let report = store.check().expect("check");
            assert_eq!(report.integrity, "ok");
            assert_eq!(report.audit_break, None, "audit chain after kill {i}");
            assert!(report.record_mismatches.is_empty(), "{:?}", report.record_mismatches);
        }
    }
    eprintln!(
        "crash harness: {iterations} kills ({killed_mid_work} while saving), {} confirmed saves all present, {:.1} s",
        confirmed.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(killed_mid_work * 2 >= iterations, "most kills should land while records are being saved");
}
