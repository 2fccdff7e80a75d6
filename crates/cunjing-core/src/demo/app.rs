//! "用演示数据体验" — the desktop app's demo mode. The demo lives in its own database files
//! (`demo.db`, `demo-station.db`) beside the real ones, never in the real office's; a marker file
//! (`demo-mode`) beside the real database says that the app should open the demo at its next
//! start. The app switches by restarting, so its state stays one store opened in `setup()`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{DemoConfig, create_and_fill};
use crate::clock::Clock;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::Store;
use crate::vault::DbKey;

/// The app's demo office: big enough to look real in every screen (≈ 2,000 residents, three
/// years of work), small enough to make in seconds.
pub const APP_DEMO: DemoConfig = DemoConfig { households: 600, years: 3, seed: 2026 };

/// The databases the app opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppDatabases {
    pub office: PathBuf,
    pub station: PathBuf,
    /// The demo's files (演示): the app marks every screen.
    pub demo: bool,
}

fn marker(real_office: &Path) -> PathBuf {
    real_office.with_file_name("demo-mode")
}

/// `demo.db` beside the real office database.
pub fn demo_office_path(real_office: &Path) -> PathBuf {
    real_office.with_file_name("demo.db")
}

/// Which files to open, given the real office and station databases.
pub fn databases(real_office: &Path, real_station: &Path) -> AppDatabases {
    if marker(real_office).exists() {
        AppDatabases {
            office: demo_office_path(real_office),
            station: real_office.with_file_name("demo-station.db"),
            demo: true,
        }
    } else {
        AppDatabases { office: real_office.to_path_buf(), station: real_station.to_path_buf(), demo: false }
    }
}

/// Makes the demo database (once; in the clear: it holds only made-up people, and the officer
/// explores it without a passphrase; a later visit finds it as it was left) and leaves the marker,
/// so that the next start opens the demo. The real database is not touched.
pub fn enter(real_office: &Path, clock: Arc<dyn Clock>) -> CoreResult<()> {
    let demo = demo_office_path(real_office);
    let ready =
        demo.exists() && Store::open(&demo, &DbKey::Plain, clock.clone()).and_then(|s| s.has_office()).unwrap_or(false);
    if !ready {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", demo.display()));
        }
        create_and_fill(&demo, &DbKey::Plain, clock, &APP_DEMO, &mut |_| {})?;
    }
    std::fs::write(marker(real_office), "演示数据：下次启动打开 demo.db\n")
        .map_err(|e| CoreError::refused(ErrorCode::Io, "", format!("无法写入 {}：{e}", marker(real_office).display())))
}

/// Removes the marker: the next start opens the real office again. The demo database stays for
/// another visit.
pub fn leave(real_office: &Path) -> CoreResult<()> {
    match std::fs::remove_file(marker(real_office)) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => {
            Err(CoreError::refused(ErrorCode::Io, "", format!("无法删除 {}：{e}", marker(real_office).display())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    #[test]
    fn enter_makes_a_separate_demo_and_leave_goes_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let real = dir.path().join("office.db");
        let station = dir.path().join("station.db");
        assert_eq!(
            databases(&real, &station),
            AppDatabases { office: real.clone(), station: station.clone(), demo: false }
        );
        let clock: Arc<dyn Clock> = Arc::new(FixedClock::parse("2026-11-29T09:00:00+08:00").expect("clock"));
        enter(&real, clock.clone()).expect("enter");
        let dbs = databases(&real, &station);
        assert!(dbs.demo);
        assert_eq!(dbs.office, dir.path().join("demo.db"));
        assert_ne!(dbs.station, station);
        assert!(!real.exists(), "the real database is never made or touched");
        let demo = Store::open(&dbs.office, &DbKey::Plain, clock.clone()).expect("demo");
        let n: i64 = demo.reader().query_row("SELECT count(*) FROM records", [], |r| r.get(0)).expect("count");
        assert!(n > 1000, "{n}");
        drop(demo);
        leave(&real).expect("leave");
        assert!(!databases(&real, &station).demo);
        leave(&real).expect("leaving twice is fine");
        // A second visit reuses the demo as it was left.
        enter(&real, clock).expect("enter again");
        assert!(databases(&real, &station).demo);
    }
}
