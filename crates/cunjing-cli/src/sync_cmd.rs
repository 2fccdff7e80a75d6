//! The USB sync commands: office side (`enroll`, `export`, `sync-status`, `receipt import`) and
//! station side (`station …`, `bundle inspect`). Each reads its files, calls one core function
//! and prints the result; refusals keep the `code field message` lines and exit code 2.

use std::path::{Path, PathBuf};

use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::station::{
    BundleFile, BundleInspection, CountyQuery, HeldState, ImportReport, ImportStatus, StationStatus, StationStore,
};
use cunjing_core::sync::{ExportMode, ExportResult, SyncStatus, media};
use cunjing_core::{ErrorCode, FieldError, RegisterKind};

use crate::args::{BundleCommand, ReceiptCommand, StationCommand};
use crate::{CliResult, Failure, clock, ensure_parent, open, output, register, vault_cmd};
use cunjing_core::vault::{self, KeyFileRole};

fn read_file(path: &Path) -> Result<(String, Vec<u8>), Failure> {
    Ok(media::read_sync_file(path)?)
}

/// Writes a small sync file (enrollment, key, receipt) atomically and reads it back.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(d) => d.to_path_buf(),
        None => PathBuf::from("."),
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<PathBuf, Failure> {
    let dir = folder_of(path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).ok_or_else(|| {
        Failure::Input(vec![FieldError::new(ErrorCode::Io, "out", format!("不是文件路径：{}", path.display()))])
    })?;
    Ok(media::write_sync_file(&dir, &name, bytes)?)
}

fn station_path(given: Option<PathBuf>) -> Result<PathBuf, Failure> {
    given
        .or_else(cunjing_core::paths::default_station_path)
        .ok_or_else(|| Failure::Other("找不到本机的用户数据目录，请用 --station-db 指定汇总站数据库".into()))
}

fn open_station(given: Option<PathBuf>) -> Result<StationStore, Failure> {
    let path = station_path(given)?;
    Ok(StationStore::open(&path, &vault_cmd::key_for(&path)?, clock()?)?)
}

pub fn enroll(db: &Path, file: &Path, out: Option<PathBuf>, json: bool) -> CliResult {
    let store = open(db)?;
    let (name, bytes) = read_file(file)?;
    let outcome = store.enroll(&bytes, &name)?;
    let out = out.unwrap_or_else(|| file.with_file_name(&outcome.office_key_file_name));
    let written = write_file(&out, &outcome.office_key_file)?;
    if json {
        let mut v = serde_json::to_value(&outcome).map_err(|e| Failure::Other(e.to_string()))?;
        v["office_key_file"] = written.display().to_string().into();
        output::print_json(&v);
        return Ok(());
    }
    if outcome.unchanged {
        eprintln!("这份登记文件已导入过，密钥未变。");
    } else if outcome.replaced_key {
        eprintln!("已重新登记，并生成了新的签名密钥（旧密钥作废）。");
    } else {
        eprintln!("已登记到汇总站「{}」。", outcome.station_name);
    }
    eprintln!("  汇总站指纹：{}（请与派出所核对）", outcome.station_fingerprint);
    eprintln!("  本警务室公钥指纹：{}", outcome.office_key_fingerprint);
    eprintln!("请把下面的公钥文件交给汇总站（cunjing station add-office-key）：");
    println!("{}", written.display());
    Ok(())
}

pub fn export(db: &Path, out: &Path, full: bool, unconfirmed: bool, json: bool) -> CliResult {
    let mode = if full {
        ExportMode::Full
    } else if unconfirmed {
        ExportMode::Unconfirmed
    } else {
        ExportMode::Changes
    };
    let result = open(db)?.export_bundle(out, mode)?;
    if json {
        output::print_json(&result);
        return Ok(());
    }
    match result {
        ExportResult::NothingToExport { message } => eprintln!("{message}"),
        ExportResult::Written(o) => {
            eprintln!("已导出第 {} 号数据包：{} 条记录，{} 字节（已读回校验）", o.seq, o.record_count, o.bytes);
            for (register, n) in &o.registers {
                let label = RegisterKind::from_code(register).map(|k| k.label_zh()).unwrap_or(register);
                eprintln!("  {label:<12} {n:>7}");
            }
            println!("{}", o.path);
        }
    }
    Ok(())
}

pub fn sync_status(db: &Path, json: bool) -> CliResult {
    let s = open(db)?.sync_status()?;
    if json {
        output::print_json(&s);
    } else {
        print_sync_status(&s);
    }
    Ok(())
}

fn print_sync_status(s: &SyncStatus) {
    match (&s.station_name, &s.station_fingerprint) {
        (Some(name), Some(fp)) => println!("汇总站：{name}（指纹 {fp}）"),
        _ => println!("尚未登记到汇总站（cunjing enroll <登记文件>）"),
    }
    if let Some(fp) = &s.office_key_fingerprint {
        println!("本警务室公钥指纹：{fp}");
    }
    match &s.last_export {
        Some(e) => {
            println!("上次导出：第 {} 号数据包，{}，{} 条记录 → {}", e.seq, e.created_at, e.record_count, e.file_path)
        }
        None => println!("还没有导出过数据包"),
    }
    println!("待导出（自上次导出后变更）：{} 条", s.pending_records);
    println!("未经汇总站入库确认：{} 条", s.unconfirmed_records);
    if let Some(r) = &s.last_receipt {
        println!("最近回执：{}（汇总站已收到第 {} 号及以前的数据包）", r.created_at, r.received_through_seq);
        if !r.missing.is_empty() {
            println!("  汇总站缺少数据包：{:?}（请用 cunjing export --unconfirmed 重新导出）", r.missing);
        }
        for j in &r.rejected {
            println!("  第 {} 号数据包被拒收：{}", j.seq, j.reason);
        }
    }
}

pub fn receipt(db: &Path, command: ReceiptCommand) -> CliResult {
    let ReceiptCommand::Import { file, json } = command;
    let (name, bytes) = read_file(&file)?;
    let o = open(db)?.import_receipt(&bytes, &name)?;
    if json {
        output::print_json(&o);
        return Ok(());
    }
    if o.already_imported {
        println!("这份回执已导入过。");
    }
    println!("汇总站「{}」回执（{}）：", o.station_name, o.created_at);
    println!("  已收到第 {} 号及以前的数据包", o.received_through_seq);
    println!("  本次新确认入库 {} 条，尚未确认 {} 条", o.newly_confirmed, o.still_unconfirmed);
    if !o.missing.is_empty() {
        println!("  汇总站缺少数据包：{:?}（请用 cunjing export --unconfirmed 重新导出）", o.missing);
    }
    for j in &o.rejected {
        println!("  第 {} 号数据包被拒收（{}）：{}", j.seq, j.code, j.reason);
    }
    Ok(())
}

pub fn bundle(command: BundleCommand) -> CliResult {
    let BundleCommand::Inspect { file, station_db, json } = command;
    let station = open_station(station_db)?;
    let (name, bytes) = read_file(&file)?;
    let i = station.inspect(&BundleFile { name, bytes })?;
    if json {
        output::print_json(&i);
    } else {
        print_inspection(&i);
    }
    Ok(())
}

fn print_inspection(i: &BundleInspection) {
    println!("数据包 {}：验证通过（签名、解密、清单一致）", i.file);
    println!(
        "  警务室：{}（{}），第 {} 号，{}，生成于 {}",
        i.office_name, i.office_code, i.seq, i.export_kind, i.created_at
    );
    println!("  变更号范围：({}, {}]，共 {} 条记录", i.from_change_seq, i.to_change_seq, i.record_count);
    for r in &i.registers {
        let label = RegisterKind::from_code(&r.register).map(|k| k.label_zh()).unwrap_or(&r.register);
        println!("  {label:<12} {:>7}（其中作废 {}）", r.count, r.voided);
    }
    println!("  签名密钥指纹：{}", i.key_fingerprint);
    println!(
        "  本站状态：{}",
        match i.held {
            HeldState::New => "尚未导入",
            HeldState::AlreadyImported => "已导入过",
            HeldState::SeqConflict => "本站已有同号但内容不同的数据包（将被拒收）",
        }
    );
}

pub fn station(station_db: Option<PathBuf>, command: StationCommand) -> CliResult {
    if let StationCommand::Init { station_name } = &command {
        let path = station_path(station_db)?;
        ensure_parent(&path)?;
        if vault::protection(&path) != vault::Protection::Missing {
            // Refused before a passphrase is asked for.
            return Err(Failure::Input(vec![FieldError::new(
                ErrorCode::StationExists,
                "",
                format!("{} 已有汇总站（或其密钥文件），未作任何改动", path.display()),
            )]));
        }
        let key = vault_cmd::new_key(&path, KeyFileRole::Station)?;
        let info = StationStore::open_or_create(&path, &key, clock()?)
            .and_then(|s| s.init_station(station_name))
            .inspect_err(|_| vault_cmd::forget_new_key(&path))?;
        eprintln!("已建立汇总站「{}」，密钥指纹：{}", info.name, info.fingerprint);
        if let Some(code) = vault::add_recovery_code(&path, &key, vault_cmd::KDF)? {
            eprintln!(
                "汇总站恢复码（忘记口令时用 cunjing station passphrase --with-code；请抄写后锁在保险柜）：{code}"
            );
        }
        println!("{}", path.display());
        return Ok(());
    }
    if let StationCommand::Passphrase { with_code } = &command {
        return vault_cmd::change(&station_path(station_db)?, *with_code);
    }
    let station = open_station(station_db)?;
    match command {
        StationCommand::Init { .. } | StationCommand::Passphrase { .. } => {}
        StationCommand::Recover { request, out, json } => vault_cmd::station_recover(&station, &request, &out, json)?,
        StationCommand::Enroll { office_code, office_name, out } => {
            // Checked first: an enrollment the office never receives must not be recorded.
            media::require_folder(&folder_of(&out))?;
            let e = station.enroll_office(&office_code, &office_name)?;
            let written = write_file(&out, &e.bytes)?;
            eprintln!(
                "已为「{}」（{}）签发{}登记文件；汇总站指纹：{}",
                e.office_name,
                e.office_code,
                if e.reenrollment { "新的" } else { "" },
                e.station_fingerprint
            );
            println!("{}", written.display());
        }
        StationCommand::AddOfficeKey { file } => {
            let (name, bytes) = read_file(&file)?;
            let o = station.add_office_key(&bytes, &name)?;
            if o.unchanged {
                println!(
                    "警务室 {}（{}）的公钥已登记过，未改动；指纹 {}",
                    o.office_name, o.office_code, o.key_fingerprint
                );
            } else if let Some(old) = &o.replaced_fingerprint {
                println!("已更换警务室 {}（{}）的公钥：{} → {}", o.office_name, o.office_code, old, o.key_fingerprint);
            } else {
                println!("已登记警务室 {}（{}）的公钥，指纹 {}", o.office_name, o.office_code, o.key_fingerprint);
            }
        }
        StationCommand::Import { files, dry_run, json } => {
            let mut bundles = Vec::with_capacity(files.len());
            for f in &files {
                let (name, bytes) = read_file(f)?;
                bundles.push(BundleFile { name, bytes });
            }
            let report = station.import(&bundles, dry_run)?;
            if json {
                output::print_json(&report);
            } else {
                print_import(&report);
            }
            let refused: Vec<FieldError> = report
                .bundles
                .iter()
                .filter(|b| b.status == ImportStatus::Refused)
                .map(|b| {
                    FieldError::new(b.code.unwrap_or(ErrorCode::SyncFileRefused), b.file.clone(), b.message.clone())
                })
                .collect();
            if !refused.is_empty() {
                return Err(Failure::Input(refused));
            }
        }
        StationCommand::Status { json } => {
            let s = station.status()?;
            if json {
                output::print_json(&s);
            } else {
                print_station_status(&s);
            }
        }
        StationCommand::Receipt { office_code, out } => {
            let r = station.receipt(&office_code)?;
            let written = write_file(&out, &r.bytes)?;
            eprintln!(
                "回执：警务室 {} 已收到第 {} 号及以前的数据包，缺少 {:?}，拒收 {} 个",
                r.office_code, r.received_through_seq, r.missing, r.rejected
            );
            println!("{}", written.display());
        }
        StationCommand::ExportTable { table, out, from, to, json } => {
            crate::table_cmd::station_export(&station, &table, &out, (from, to), json)?
        }
        StationCommand::Records { register: reg, office_code, from, to, text, include_voided, limit, offset, json } => {
            let q = CountyQuery {
                register: reg.map(|r| register(&r)).transpose()?,
                office_code,
                from: from.map(|d| crate::args::parse_date_arg("from", &d)).transpose()?,
                to: to.map(|d| crate::args::parse_date_arg("to", &d)).transpose()?,
                title_contains: text,
                include_voided,
                limit,
                offset,
            };
            let page = station.county_records(&q)?;
            if json {
                output::print_json(&page);
            } else {
                println!("共 {} 条（显示 {} 条）", page.total, page.items.len());
                for r in &page.items {
                    let label = RegisterKind::from_code(&r.register).map(|k| k.label_zh()).unwrap_or(&r.register);
                    let void = if r.voided { "【已作废】" } else { "" };
                    println!(
                        "{}  {:<10} {:<12} {}{}  {}",
                        r.record_date.as_deref().unwrap_or("-"),
                        r.office_name,
                        label,
                        void,
                        r.title,
                        r.id
                    );
                }
            }
        }
    }
    Ok(())
}

fn print_import(report: &ImportReport) {
    if report.dry_run {
        println!("试导入（--dry-run）：以下为将发生的变化，数据库未改动");
    }
    for b in &report.bundles {
        let who = match (&b.office_name, &b.office_code, b.seq) {
            (Some(n), Some(c), Some(s)) => format!("{n}（{c}）第 {s} 号"),
            (None, Some(c), Some(s)) => format!("{c} 第 {s} 号"),
            _ => String::new(),
        };
        let status = match b.status {
            ImportStatus::Imported => "已导入",
            ImportStatus::WouldImport => "将导入",
            ImportStatus::AlreadyImported => "已导入过",
            ImportStatus::Refused => "拒收",
        };
        println!("{} {} [{}] {}", b.file, who, status, if b.status == ImportStatus::Refused { &b.message } else { "" });
        for c in &b.changes {
            let label = RegisterKind::from_code(&c.register).map(|k| k.label_zh()).unwrap_or(&c.register);
            println!(
                "    {label:<12} 新增 {:>6}  更新 {:>6}  作废 {:>6}  未变 {:>6}",
                c.new, c.updated, c.voided, c.unchanged
            );
        }
    }
    for g in &report.gaps {
        for m in &g.missing {
            println!("缺少：警务室 {}（{}）的第 {m} 号数据包", g.office_name, g.office_code);
        }
    }
}

fn print_station_status(s: &StationStatus) {
    match &s.station {
        Some(st) => println!("汇总站「{}」 指纹 {}", st.name, st.fingerprint),
        None => println!("尚未建立汇总站（cunjing station init）"),
    }
    for o in &s.offices {
        println!("{}（{}）", o.name, o.code);
        match &o.key_fingerprint {
            Some(fp) if o.awaiting_new_key => println!("  公钥指纹 {fp}（已重新签发登记文件，等待新公钥）"),
            Some(fp) => println!("  公钥指纹 {fp}"),
            None => println!("  尚未收到公钥文件"),
        }
        println!(
            "  数据包 {} 个，最新第 {} 号，最后导入 {}；已连续收到至第 {} 号",
            o.bundles,
            o.last_seq,
            o.last_import_at.as_deref().unwrap_or("—"),
            o.received_through_seq
        );
        if !o.missing.is_empty() {
            println!("  缺少数据包：{:?}", o.missing);
        }
        if o.rejected > 0 {
            println!("  拒收记录 {} 次（见回执）", o.rejected);
        }
        for r in &o.records {
            let label = RegisterKind::from_code(&r.register).map(|k| k.label_zh()).unwrap_or(&r.register);
            println!("  {label:<12} {:>7}（作废 {}）", r.live, r.voided);
        }
    }
}
