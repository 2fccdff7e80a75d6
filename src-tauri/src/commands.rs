//! IPC commands. Each one converts its arguments, calls one core function and converts the
//! result; rules and queries live in `cunjing-core`.

use cunjing_core::assessment::{Assessment, Period};
use cunjing_core::dashboard::{Dashboard, Month};
use cunjing_core::domain::code_lists::{CodeLists, code_lists};
use cunjing_core::search::SearchHit;
use cunjing_core::station::StationInfo;
use cunjing_core::store::{AuditEntry, ListQuery, NewOffice, Office, Page, Saved, ViewEntry};
use cunjing_core::targets::Targets;
use cunjing_core::{Clock, RegisterKind, SystemClock};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::ipc_error::IpcError;
use crate::state::{Open, Unlocked};

type Reply<T> = Result<T, IpcError>;

/// What the UI needs to know before its first screen.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    pub database_path: String,
    /// `None` until first-run setup is done.
    pub office: Option<Office>,
    /// Set when this machine is a county station (station mode).
    pub station: Option<StationInfo>,
    pub station_database_path: String,
    pub today: String,
    /// The demo's own database is open (用演示数据体验): every screen says 演示.
    pub demo: bool,
}

#[tauri::command]
pub fn app_info(state: Unlocked<'_>) -> Reply<AppInfo> {
    let (office, station, database_path) = match &state.open {
        Open::Office(store) => {
            let office = if store.has_office()? { Some(store.office()?) } else { None };
            (office, None, store.path())
        }
        Open::Station(station) => (None, station.station_info()?, station.path()),
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        database_path: database_path.display().to_string(),
        office,
        station,
        station_database_path: state.station_path.display().to_string(),
        today: SystemClock.today().to_string(),
        demo: state.demo,
    })
}

/// An open office database without an office yet (set up before the passphrase existed, or
/// whose first start stopped half-way): the office only; the passphrase is already set.
#[tauri::command]
pub fn office_setup(state: Unlocked<'_>, office: NewOffice) -> Reply<Office> {
    Ok(state.store()?.init_office(&office)?)
}

#[tauri::command]
pub fn office_update(state: Unlocked<'_>, office: NewOffice) -> Reply<Office> {
    Ok(state.store()?.update_office(&office)?)
}

/// 考评 for a period (`2026-Q4`, `2026-H2`, `2026`, `2026-11`); the current quarter when absent.
#[tauri::command]
pub fn assessment(state: Unlocked<'_>, period: Option<String>) -> Reply<Assessment> {
    let period = match period {
        Some(text) => Period::parse(&text)?,
        None => Period::quarter_of(state.store()?.today()),
    };
    Ok(state.store()?.assessment(&period)?)
}

/// The latest views of restricted records (重点对象), newest first.
#[tauri::command]
pub fn view_log(state: Unlocked<'_>, limit: Option<i64>) -> Reply<Vec<ViewEntry>> {
    Ok(state.store()?.view_log(limit.unwrap_or(200).clamp(1, 5000))?)
}

#[tauri::command]
pub fn targets_get(state: Unlocked<'_>) -> Reply<Targets> {
    Ok(state.store()?.targets()?)
}

#[tauri::command]
pub fn targets_set(state: Unlocked<'_>, targets: Targets) -> Reply<Targets> {
    Ok(state.store()?.set_targets(&targets)?)
}

#[tauri::command]
pub fn dashboard(state: Unlocked<'_>, month: Option<String>) -> Reply<Dashboard> {
    let month = match month {
        Some(text) => Month::parse(&text)?,
        None => Month::of(state.store()?.today()),
    };
    Ok(state.store()?.dashboard(month)?)
}

#[tauri::command]
pub fn code_lists_get() -> CodeLists {
    code_lists()
}

#[tauri::command]
pub fn record_add(state: Unlocked<'_>, register: RegisterKind, record: Value) -> Reply<Saved> {
    Ok(state.store()?.add(register, &record)?)
}

#[tauri::command]
pub fn record_update(state: Unlocked<'_>, register: RegisterKind, id: Uuid, patch: Value) -> Reply<Saved> {
    Ok(state.store()?.update(register, id, &patch)?)
}

#[tauri::command]
pub fn record_void(state: Unlocked<'_>, register: RegisterKind, id: Uuid, reason: String) -> Reply<Saved> {
    Ok(state.store()?.void(register, id, &reason)?)
}

#[tauri::command]
pub fn record_get(state: Unlocked<'_>, register: RegisterKind, id: Uuid) -> Reply<Value> {
    Ok(state.store()?.get(register, id)?)
}

#[tauri::command]
pub fn record_list(state: Unlocked<'_>, register: RegisterKind, query: ListQuery) -> Reply<Page> {
    Ok(state.store()?.list(register, &query)?)
}

#[tauri::command]
pub fn record_history(state: Unlocked<'_>, register: RegisterKind, id: Uuid) -> Reply<Vec<AuditEntry>> {
    Ok(state.store()?.history(register, id)?)
}

#[tauri::command]
pub fn search(state: Unlocked<'_>, text: String, limit: usize, include_voided: bool) -> Reply<Vec<SearchHit>> {
    Ok(state.store()?.search(&text, limit, include_voided)?)
}
