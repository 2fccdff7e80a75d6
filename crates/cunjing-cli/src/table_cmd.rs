//! `cunjing import-table`, `cunjing export-table` and `cunjing station export-table`:
//! spreadsheets in and out (cunjing-table does the work; this reads the arguments, calls it
//! once and prints the outcome).

use std::path::{Path, PathBuf};

use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::station::StationStore;
use cunjing_core::{FieldError, RegisterKind, Store};
use cunjing_table::{
    ExportQuery, ImportOptions, StationTable, TableExport, TableFile, TableImportReport, TableRowOutcome,
    export_register, export_station_table, import_table, mapping_of, read_mapping, write_refused,
};

use crate::args::parse_date_arg;
use crate::{CliResult, Failure, output};

pub struct ImportArgs {
    pub file: PathBuf,
    pub dry_run: bool,
    pub mapping: Option<PathBuf>,
    pub save_mapping: Option<PathBuf>,
    pub refused_out: Option<PathBuf>,
    pub json: bool,
}

type DateRange = (Option<String>, Option<String>);

fn dates(range: DateRange) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), Failure> {
    Ok((
        range.0.map(|d| parse_date_arg("from", &d)).transpose()?,
        range.1.map(|d| parse_date_arg("to", &d)).transpose()?,
    ))
}

pub fn import(store: &Store, kind: RegisterKind, args: ImportArgs) -> CliResult {
    let mapping = args.mapping.as_deref().map(read_mapping).transpose()?;
    let opts = ImportOptions { mapping: mapping.clone(), dry_run: args.dry_run };
    let report = import_table(store, kind, &args.file, &opts)?;
    if let Some(path) = &args.save_mapping {
        let text = serde_json::to_string_pretty(&mapping_of(&report)).unwrap_or_default();
        std::fs::write(path, text + "\n").map_err(|e| Failure::Other(format!("无法写入 {}：{e}", path.display())))?;
    }
    if let Some(out) = &args.refused_out
        && report.refused > 0
    {
        let written = write_refused(store, kind, &TableFile::read(&args.file)?, mapping, out)?;
        eprintln!("未通过的 {} 行已写到 {}，改正后可再导入", written.rows, written.path);
    }
    if args.json {
        output::print_json(&report);
    } else {
        print_report(&report);
    }
    // Refused rows: exit 2 with one `code [row].field message` line each (the sheet's row number).
    let problems: Vec<FieldError> = report
        .rows
        .iter()
        .filter(|r| r.outcome == TableRowOutcome::Refused)
        .flat_map(|r| {
            r.problems.iter().map(move |p| {
                let field =
                    if p.field.is_empty() { format!("[{}]", r.row) } else { format!("[{}].{}", r.row, p.field) };
                let column = p.column.as_deref().map(|c| format!("【{c}】")).unwrap_or_default();
                FieldError::new(p.code, field, format!("第 {} 行{column}{}", r.row, p.message))
            })
        })
        .collect();
    if problems.is_empty() { Ok(()) } else { Err(Failure::Input(problems)) }
}

fn print_report(r: &TableImportReport) {
    let sheet = if r.sheet.is_empty() { r.encoding.clone() } else { format!("工作表「{}」", r.sheet) };
    println!("{}  {}，表头在第 {} 行", r.file, sheet, r.header_row);
    println!("列对应：");
    for c in &r.columns {
        let target = match (&c.target, &c.target_label) {
            (Some(t), Some(l)) => format!("{l}（{t}）"),
            _ => "（不导入）".into(),
        };
        let how = if c.automatic { "" } else { "  ← 指定" };
        println!("  {} → {target}{how}", if c.heading.is_empty() { "（无表头）" } else { &c.heading });
    }
    let verb = if r.dry_run { "试导入（未写入）" } else { "已导入" };
    println!(
        "{verb} {}：可导入 {} 行，已有（不重复导入）{} 行，未通过 {} 行",
        r.register.label_zh(),
        r.added,
        r.duplicates,
        r.refused
    );
    for row in r.rows.iter().filter(|row| row.outcome == TableRowOutcome::Refused) {
        for p in &row.problems {
            let column = p.column.as_deref().unwrap_or("-");
            println!("  第 {} 行  {column}  {}", row.row, p.message);
        }
    }
}

fn print_export(e: &TableExport, json: bool) {
    if json {
        output::print_json(e);
    } else {
        eprintln!("已导出 {} 行、{} 列", e.rows, e.columns);
        println!("{}", e.path);
    }
}

pub fn export(
    store: &Store,
    kind: RegisterKind,
    out: &Path,
    range: DateRange,
    search: Option<String>,
    restricted: bool,
    json: bool,
) -> CliResult {
    let (from, to) = dates(range)?;
    let q = ExportQuery { from, to, search, allow_restricted: restricted };
    print_export(&export_register(store, kind, &q, out)?, json);
    Ok(())
}

pub fn station_export(station: &StationStore, table: &str, out: &Path, range: DateRange, json: bool) -> CliResult {
    let (from, to) = dates(range)?;
    let table = StationTable::parse(table)?;
    print_export(&export_station_table(station, table, from, to, out)?, json);
    Ok(())
}
