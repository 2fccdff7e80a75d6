//! Cunjing core: the registers (台账) of a village police office, their validation rules, the
//! SQLite store with its audit trail and change log, and search. No Tauri, no terminal, no
//! clock or environment reads: adapters pass in a [`clock::Clock`] and file paths.

pub mod assessment;
pub mod backup;
pub mod bench;
pub mod check;
pub mod clock;
pub mod dashboard;
pub mod demo;
pub mod domain;
pub mod error;
pub mod format;
pub mod paths;
pub mod present;
pub mod search;
pub mod station;
pub mod store;
pub mod sync;
pub mod targets;
pub mod validate;
pub mod vault;

pub use clock::{Clock, FixedClock, SystemClock};
pub use domain::RegisterKind;
pub use error::{CoreError, CoreResult, ErrorCode, FieldError};
pub use store::{NewOffice, Office, Store};
pub use vault::DbKey;
