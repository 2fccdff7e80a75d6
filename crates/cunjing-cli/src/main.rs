//! `cunjing`: the headless command line over the office store. It parses arguments and JSON,
//! calls one core function per command and prints the result; rules live in `cunjing-core`.
//!
//! Exit codes: 0 success; 2 refused input (one `code field message` line per problem on stderr,
//! database untouched); 1 any other failure, with a plain message (including `demo` on a
//! database that already holds records).

mod args;
mod demo_cmd;
mod output;
mod print_cmd;
mod safety_cmd;
mod sync_cmd;
mod table_cmd;
mod vault_cmd;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use cunjing_core::assessment::Period;
use cunjing_core::dashboard::Month;
use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::store::ListQuery;
use cunjing_core::targets::Targets;
use cunjing_core::vault::{self, KeyFileRole};
use cunjing_core::{Clock, CoreError, ErrorCode, FieldError, FixedClock, NewOffice, RegisterKind, Store, SystemClock};
use serde_json::Value;
use uuid::Uuid;

use args::{Cli, Command, RecoveryCommand};

/// A failure of the command, already in the words the user will read.
pub(crate) enum Failure {
    Core(CoreError),
    /// Bad input found by the CLI itself (arguments, JSON text).
    Input(Vec<FieldError>),
    Other(String),
}

impl From<CoreError> for Failure {
    fn from(e: CoreError) -> Self {
        Failure::Core(e)
    }
}

pub(crate) type CliResult = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(errors)) => {
            output::print_errors(&errors);
            ExitCode::from(2)
        }
        Err(Failure::Core(e)) if is_refused_input(&e) => {
            output::print_errors(&e.to_field_errors());
            ExitCode::from(2)
        }
        Err(Failure::Core(e)) if e.is_disk_full() => {
            eprintln!("错误：{}", cunjing_core::error::DISK_FULL);
            ExitCode::from(1)
        }
        Err(Failure::Core(e)) => {
            eprintln!("错误：{e}");
            ExitCode::from(1)
        }
        Err(Failure::Other(message)) => {
            eprintln!("错误：{message}");
            ExitCode::from(1)
        }
    }
}

/// Exit code 2 is for input the user can correct (fields, ids, records that cannot take the
/// change); a missing or existing office database, or a newer file, is a failure of another kind.
fn is_refused_input(e: &CoreError) -> bool {
    match e {
        CoreError::Invalid(_) => true,
        CoreError::Refused(f) => !matches!(f.code, ErrorCode::NoOffice | ErrorCode::OfficeExists),
        _ => false,
    }
}

/// The clock: the system's, unless `CUNJING_NOW` pins it (scripted runs and tests).
pub(crate) fn clock() -> Result<Arc<dyn Clock>, Failure> {
    match std::env::var("CUNJING_NOW") {
        Ok(text) => FixedClock::parse(&text).map(|c| Arc::new(c) as Arc<dyn Clock>).ok_or_else(|| {
            Failure::Input(vec![FieldError::new(
                ErrorCode::InvalidDate,
                "CUNJING_NOW",
                format!("环境变量 CUNJING_NOW 应为 RFC 3339 时间（如 2026-11-28T09:00:00+08:00）：{text}"),
            )])
        }),
        Err(_) => Ok(Arc::new(SystemClock)),
    }
}

/// The office database in the OS data directory (shared with the desktop app).
pub(crate) fn default_db() -> Result<PathBuf, Failure> {
    cunjing_core::paths::default_database_path()
        .ok_or_else(|| Failure::Other("找不到本机的用户数据目录，请用 --db 指定数据库文件".into()))
}

/// Creates the folder a new database file goes into.
pub(crate) fn ensure_parent(db: &std::path::Path) -> CliResult {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::Other(format!("无法创建目录 {}：{e}", parent.display())))?;
    }
    Ok(())
}

/// Opens the office database; every command but `init` needs the office to exist.
pub(crate) fn open(db: &std::path::Path) -> Result<Store, Failure> {
    let store = Store::open(db, &vault_cmd::key_for(db)?, clock()?)?;
    store.office()?;
    Ok(store)
}

/// Only known target names may be set (a typo must not be silently ignored).
fn merge_targets(current: &mut Value, given: &Value) -> Result<(), Failure> {
    let (Some(current), Some(given)) = (current.as_object_mut(), given.as_object()) else {
        return Err(Failure::Input(vec![FieldError::new(ErrorCode::InvalidType, "", "目标应为 JSON 对象（{…}）")]));
    };
    let mut unknown = Vec::new();
    for (key, value) in given {
        if current.contains_key(key) {
            current.insert(key.clone(), value.clone());
        } else {
            unknown.push(FieldError::new(ErrorCode::UnknownField, key.clone(), format!("没有名为「{key}」的目标")));
        }
    }
    if unknown.is_empty() { Ok(()) } else { Err(Failure::Input(unknown)) }
}

fn register(name: &str) -> Result<RegisterKind, Failure> {
    RegisterKind::from_code(name).ok_or_else(|| {
        let known: Vec<String> = RegisterKind::ALL.iter().map(|k| format!("{} {}", k.code(), k.label_zh())).collect();
        Failure::Input(vec![FieldError::new(
            ErrorCode::UnknownRegister,
            "register",
            format!("没有名为「{name}」的台账，可选：{}", known.join("、")),
        )])
    })
}

fn record_id(text: &str) -> Result<Uuid, Failure> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        Failure::Input(vec![FieldError::new(ErrorCode::InvalidType, "id", format!("记录编号应为 UUID：{text}"))])
    })
}

/// The JSON from `--json`, or from standard input when it is absent.
fn json_input(arg: Option<String>) -> Result<Value, Failure> {
    let text = match arg {
        Some(text) => text,
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| Failure::Other(format!("读取标准输入失败：{e}")))?;
            text
        }
    };
    serde_json::from_str(&text).map_err(|e| {
        Failure::Input(vec![FieldError::new(
            ErrorCode::InvalidJson,
            "",
            format!("JSON 格式错误（第 {} 行第 {} 列）：{e}", e.line(), e.column()),
        )])
    })
}

fn run(cli: Cli) -> CliResult {
    if let Command::Codes { json } = cli.command {
        // Needs no database: the choices are part of the program.
        let lists = cunjing_core::domain::code_lists::code_lists();
        if json {
            output::print_json(&lists)
        } else {
            output::print_codes(&lists)
        }
        return Ok(());
    }
    // The station's commands use the station database, not the office's.
    let command = match cli.command {
        Command::Station { station_db, command } => return sync_cmd::station(station_db, command),
        Command::Bundle { command } => return sync_cmd::bundle(command),
        Command::Demo { households, years, seed, station: true, offices, station_db, keep_offices } => {
            let config = cunjing_core::demo::DemoConfig { households, years, seed };
            return demo_cmd::station(&cli.db, station_db, offices.unwrap_or(1), config, keep_offices, clock()?);
        }
        other => other,
    };
    let db = match cli.db {
        Some(path) => path,
        None => default_db()?,
    };
    match command {
        Command::Check { json } => safety_cmd::check(&db, json)?,
        Command::Passphrase => vault_cmd::change(&db, false)?,
        Command::Encrypt => vault_cmd::encrypt(&db)?,
        Command::Recovery { command: RecoveryCommand::Request { out } } => vault_cmd::recovery_request(&db, &out)?,
        Command::Recovery { command: RecoveryCommand::Apply { file } } => vault_cmd::recovery_apply(&db, &file)?,
        Command::Backup { out, json } => safety_cmd::backup(&db, out.as_deref(), json)?,
        Command::Restore { file, json } => safety_cmd::restore(&db, &file, json)?,
        Command::StressWrite { count } => safety_cmd::stress_write(&db, count)?,
        Command::Enroll { file, out, json } => sync_cmd::enroll(&db, &file, out, json)?,
        Command::Export { out, full, unconfirmed, json } => sync_cmd::export(&db, &out, full, unconfirmed, json)?,
        Command::SyncStatus { json } => sync_cmd::sync_status(&db, json)?,
        Command::Receipt { command } => sync_cmd::receipt(&db, command)?,
        Command::Station { .. } | Command::Bundle { .. } => {}
        Command::Init {
            office_name,
            office_code,
            officer,
            police_number,
            officer_phone,
            station_name,
            station_phone,
        } => {
            ensure_parent(&db)?;
            let new = NewOffice {
                code: office_code,
                name: office_name,
                officer,
                police_number: police_number.unwrap_or_default(),
                officer_phone: officer_phone.unwrap_or_default(),
                station_name: station_name.unwrap_or_default(),
                station_phone: station_phone.unwrap_or_default(),
            };
            let key = vault_cmd::new_key(&db, KeyFileRole::Office)?;
            let office = Store::create(&db, &new, &key, clock()?).and_then(|s| s.office()).inspect_err(|_| {
                vault_cmd::forget_new_key(&db);
            })?;
            eprintln!("数据库已加密；密钥文件 {}（与数据库放在一起，备份时一并复制）", vault::key_path(&db).display());
            eprintln!("请牢记口令：忘记时只能经汇总站找回，请尽快向汇总站登记（cunjing enroll）");
            eprintln!("已建立警务室「{}」（代码 {}，责任民警 {}）", office.name, office.code, office.officer);
            println!("{}", db.display());
        }
        Command::Demo { households, years, seed, .. } => {
            ensure_parent(&db)?;
            let started = std::time::Instant::now();
            let config = cunjing_core::demo::DemoConfig { households, years, seed };
            let fresh = vault::protection(&db) == vault::Protection::Missing;
            let key = if fresh { vault_cmd::new_key(&db, KeyFileRole::Office)? } else { vault_cmd::key_for(&db)? };
            let summary =
                cunjing_core::demo::create_and_fill(&db, &key, clock()?, &config, &mut |line| eprintln!("  {line}"))
                    .inspect_err(|_| vault_cmd::forget_new_key(&db))?;
            output::print_demo_summary(&summary, started.elapsed());
            println!("{}", db.display());
        }
        Command::Add { register: name, json } => {
            let kind = register(&name)?;
            let input = json_input(json)?;
            let saved = open(&db)?.add(kind, &input)?;
            output::print_warnings(&saved.warnings);
            if let Some(no) = &saved.record_no {
                eprintln!("已登记 {no}");
            }
            println!("{}", saved.id);
        }
        Command::Update { register: name, id, json } => {
            let kind = register(&name)?;
            let id = record_id(&id)?;
            let patch = json_input(json)?;
            let saved = open(&db)?.update(kind, id, &patch)?;
            output::print_warnings(&saved.warnings);
            if saved.changed {
                eprintln!("已保存，第 {} 版", saved.version);
            } else {
                eprintln!("内容没有变化，未生成新版本");
            }
            println!("{}", saved.id);
        }
        Command::Void { register: name, id, reason } => {
            let kind = register(&name)?;
            let saved = open(&db)?.void(kind, record_id(&id)?, &reason)?;
            eprintln!("已作废（第 {} 版），原因：{}", saved.version, reason.trim());
            println!("{}", saved.id);
        }
        Command::Show { register: name, id, json } => {
            let kind = register(&name)?;
            let record = open(&db)?.get(kind, record_id(&id)?)?;
            if json { output::print_json(&record) } else { output::print_record(kind, &record) }
        }
        Command::List { register: name, json, include_voided, from, to, household, sort, limit, offset } => {
            let kind = register(&name)?;
            let query = ListQuery {
                include_voided,
                from: from.map(|d| args::parse_date_arg("from", &d)).transpose()?,
                to: to.map(|d| args::parse_date_arg("to", &d)).transpose()?,
                household_id: household.map(|h| record_id(&h)).transpose()?,
                title_contains: None,
                sort: args::parse_sort(&sort)?,
                limit,
                offset,
            };
            let page = open(&db)?.list(kind, &query)?;
            if json { output::print_json(&page.items) } else { output::print_list(kind, &page, &query) }
        }
        Command::History { register: name, id, json } => {
            let kind = register(&name)?;
            let entries = open(&db)?.history(kind, record_id(&id)?)?;
            if json { output::print_json(&entries) } else { output::print_history(kind, &entries) }
        }
        Command::Search { text, json, include_voided, limit } => {
            let hits = open(&db)?.search(&text, limit, include_voided)?;
            if json { output::print_json(&hits) } else { output::print_hits(&hits) }
        }
        Command::Office { json } => {
            let office = open(&db)?.office()?;
            if json { output::print_json(&office) } else { output::print_office(&office, &db) }
        }
        Command::Codes { .. } => {}
        Command::Print { command } => print_cmd::run(&db, command)?,
        Command::ImportTable { register: name, file, dry_run, mapping, save_mapping, refused_out, json } => {
            let args = table_cmd::ImportArgs { file, dry_run, mapping, save_mapping, refused_out, json };
            table_cmd::import(&open(&db)?, register(&name)?, args)?
        }
        Command::ExportTable { register: name, out, from, to, search, restricted, json } => {
            table_cmd::export(&open(&db)?, register(&name)?, &out, (from, to), search, restricted, json)?
        }
        Command::Dashboard { month, json } => {
            let store = open(&db)?;
            let month = match month {
                Some(text) => Month::parse(&text)?,
                None => Month::of(store.today()),
            };
            let dashboard = store.dashboard(month)?;
            if json { output::print_json(&dashboard) } else { output::print_dashboard(&dashboard) }
        }
        Command::Assessment { period, json } => {
            let store = open(&db)?;
            let period = match period {
                Some(text) => Period::parse(&text)?,
                None => Period::quarter_of(store.today()),
            };
            let assessment = store.assessment(&period)?;
            if json { output::print_json(&assessment) } else { output::print_assessment(&assessment) }
        }
        Command::Targets { set, json } => {
            let store = open(&db)?;
            let targets = match set {
                Some(text) => {
                    let value = json_input(Some(text))?;
                    let mut merged =
                        serde_json::to_value(store.targets()?).map_err(|e| Failure::Other(e.to_string()))?;
                    merge_targets(&mut merged, &value)?;
                    let targets: Targets = serde_json::from_value(merged).map_err(|e| {
                        Failure::Input(vec![FieldError::new(
                            ErrorCode::InvalidType,
                            "",
                            format!("目标值应为整数：{e}"),
                        )])
                    })?;
                    store.set_targets(&targets)?
                }
                None => store.targets()?,
            };
            if json { output::print_json(&targets) } else { output::print_targets(&targets) }
        }
    }
    Ok(())
}
