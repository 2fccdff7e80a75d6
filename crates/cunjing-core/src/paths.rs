//! Where the office database lives by default. This is the one place the core asks the OS
//! (through `directories`) for a location; only adapters call it — the CLI and the desktop app
//! must agree on it, so that `cunjing` reads the database the app writes.

use std::path::PathBuf;

/// `office.db` in the OS data directory: `~/.local/share/cunjing/` (Linux, honouring
/// `XDG_DATA_HOME`), `%APPDATA%\cunjing\cunjing\data\` (Windows).
pub fn default_database_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "cunjing", "cunjing").map(|dirs| dirs.data_dir().join("office.db"))
}

/// The separate database of "explore with demo data" (演示), beside the real one.
pub fn demo_database_path() -> Option<PathBuf> {
    default_database_path().map(|p| p.with_file_name("demo.db"))
}

/// `station.db` beside `office.db`: the county station's database (station mode).
pub fn default_station_path() -> Option<PathBuf> {
    default_database_path().map(|p| p.with_file_name("station.db"))
}
