//! `check`, `backup`, `restore` (issue 7), and the hidden `stress-write` the crash harness kills.

use std::io::Write;
use std::path::Path;

use cunjing_core::RegisterKind;
use cunjing_core::backup::{backup_dir, restore as restore_file};
use cunjing_core::format::date_zh;
use serde_json::json;

use crate::{CliResult, Failure, clock, open, output, vault_cmd};
use cunjing_core::vault;

pub fn check(db: &Path, json: bool) -> CliResult {
    let store = open(db)?;
    let report = store.check()?;
    if json {
        output::print_json(&report);
    } else {
        println!(
            "数据库完整性：{}",
            if report.integrity == "ok" { "正常".to_string() } else { report.integrity.clone() }
        );
        match (report.audit_entries, &report.audit_break) {
            (Some(n), _) => println!("修改留痕：{n} 条，链条完整"),
            (None, Some(b)) => println!("修改留痕：在第 {} 条断开（{}）", b.entry_id, b.reason),
            _ => {}
        }
        println!("记录与留痕核对：{} 条记录，{} 条不符", report.records_checked, report.record_mismatches.len());
        for m in &report.record_mismatches {
            println!("  {} {} {}", m.register, m.record_id, m.reason);
        }
        if let Some(n) = report.view_log_entries {
            println!("重点对象查看记录：{n} 条，链条完整");
        }
        match &report.newest_backup {
            Some(b) => println!(
                "备份：{} 份（{}），最新 {}（{} 条记录）",
                report.backups, report.backup_dir, b.made_at, b.records
            ),
            None => println!("备份：无（{}）", report.backup_dir),
        }
        if report.ok {
            println!("检查通过");
        } else {
            println!("发现问题：");
            for p in &report.problems {
                println!("  {p}");
            }
        }
    }
    if report.ok { Ok(()) } else { Err(Failure::Other(report.problems.join("；"))) }
}

pub fn backup(db: &Path, out: Option<&Path>, json: bool) -> CliResult {
    let store = open(db)?;
    let info = match out {
        Some(dir) => store.backup_into(dir)?,
        None => store.backup_rotated()?,
    };
    if json {
        output::print_json(&info);
    } else {
        println!("{}", info.path);
        eprintln!("备份完成并已校验：{} 条记录，{} 字节", info.records, info.bytes);
        if out.is_none() {
            eprintln!("（自动轮换，保留最近 {} 份：{}）", cunjing_core::backup::KEEP, backup_dir(db).display());
        }
    }
    Ok(())
}

pub fn restore(db: &Path, file: &Path, json: bool) -> CliResult {
    let stamp = clock()?.now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    // The target's own key file when it has one; else the key file kept beside the backup (a
    // new laptop); else the backup is a plain file from before encryption.
    let key = if vault::protection(db) == vault::Protection::Encrypted {
        vault_cmd::key_for(db)?
    } else if vault::backup_key_path(file).exists() {
        let pass = vault_cmd::passphrase_for(&vault::backup_key_path(file))?;
        vault::unlock_file(&vault::backup_key_path(file), &pass)?
    } else {
        vault::DbKey::Plain
    };
    let outcome = restore_file(db, file, &stamp, &key)?;
    if json {
        output::print_json(&outcome);
    } else {
        println!("{}", db.display());
        eprintln!("已从备份恢复：{} 条记录", outcome.restored.records);
        if let Some(kept) = &outcome.previous_kept_at {
            eprintln!("原数据库保存为 {kept}");
        }
    }
    Ok(())
}

/// Saves records one by one (and in small batches) until killed or `count` is reached, printing
/// `ok <id>` after each confirmed save: what the crash harness compares against after SIGKILL.
pub fn stress_write(db: &Path, count: Option<usize>) -> CliResult {
    let store = open(db)?;
    let today = store.today();
    let mut stdout = std::io::stdout().lock();
    let mut n = 0usize;
    let mut say = |id: &uuid::Uuid| -> CliResult {
        writeln!(stdout, "ok {id}").and_then(|_| stdout.flush()).map_err(|e| Failure::Other(e.to_string()))
    };
    loop {
        if count.is_some_and(|c| n >= c) {
            return Ok(());
        }
        let entry = |i: usize| {
            json!({"date": today.to_string(), "officer": "压力测试", "in_village": i.is_multiple_of(2), "category": "other",
                   "content": format!("第 {i} 条：{}", date_zh(today))})
        };
        if n % 10 == 9 {
            let batch: Vec<_> = (n..n + 20).map(entry).collect();
            for saved in store.add_batch(RegisterKind::WorkLog, &batch)? {
                say(&saved.id)?;
            }
            n += 20;
        } else {
            let saved = store.add(RegisterKind::WorkLog, &entry(n))?;
            say(&saved.id)?;
            n += 1;
        }
    }
}
