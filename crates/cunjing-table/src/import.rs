//! Importing a sheet into a register: find the header row, map columns to fields (the
//! automatic mapping, corrected by the user's), read each row's cells into the register's
//! JSON, then hand every row to the store's bulk add (the form's add path, one transaction).
//! A dry run is the same run rolled back, so it reports exactly what the import would do.

use std::collections::BTreeMap;
use std::path::Path;

use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::store::bulk::{RowOutcome, check_new};
use cunjing_core::{CoreError, CoreResult, ErrorCode, FieldError, RegisterKind, Store};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ts_rs::TS;

use crate::convert;
use crate::headers::{REASON_HEADING, ROW_NUMBER_HEADING, auto_map, normalize, recognise};
use crate::schema::{Schema, Shape, schema, split_path};
use crate::sheet::{Cell, Sheet, read_bytes};
use crate::write::{Out, Table, write};

/// The user's corrections: heading → field path (`date`, `parties[0].name`), or null to leave
/// the column out. Headings not named keep the automatic mapping. Saved as a JSON file for
/// `--mapping`, and by the app for the next import of the same register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TableMapping {
    #[serde(default)]
    pub columns: BTreeMap<String, Option<String>>,
}

/// One column of the sheet and the field it goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TableColumn {
    /// 0-based position in the sheet.
    pub index: usize,
    pub heading: String,
    /// The field path, or null when the column is left out.
    pub target: Option<String>,
    /// The field's Chinese name (当事人1姓名).
    pub target_label: Option<String>,
    /// True when the mapping came from the heading itself, false when the user chose it.
    pub automatic: bool,
}

/// A field a column can be mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TableTarget {
    pub path: String,
    pub label: String,
}

/// One problem of one row: the column (its heading) when it concerns one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TableProblem {
    pub column: Option<String>,
    pub code: ErrorCode,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TableRowOutcome {
    /// Imported (or, in a dry run, would be).
    Added,
    /// Already in the register (an earlier import of the same row, or the same row twice).
    Duplicate,
    Refused,
}

/// What became of one row; `row` is the row number Excel and WPS show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TableRow {
    pub row: usize,
    pub outcome: TableRowOutcome,
    pub record_id: Option<String>,
    pub record_no: Option<String>,
    pub problems: Vec<TableProblem>,
    pub warnings: Vec<TableProblem>,
}

/// The whole import (or dry run): how the columns were read and what became of every row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TableImportReport {
    pub register: RegisterKind,
    pub file: String,
    pub sheet: String,
    /// How a CSV file was decoded (`UTF-8`, `UTF-8 (BOM)`, `GB18030`); empty for workbooks.
    pub encoding: String,
    /// The row number of the header row (1 unless a title stands above it).
    pub header_row: usize,
    pub columns: Vec<TableColumn>,
    /// Every field a column may be mapped to, for the mapping screen.
    pub targets: Vec<TableTarget>,
    pub rows: Vec<TableRow>,
    pub added: usize,
    pub duplicates: usize,
    pub refused: usize,
    pub dry_run: bool,
}

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    pub mapping: Option<TableMapping>,
    pub dry_run: bool,
}

/// The header row: among the first rows, the one naming the most fields (a title row above
/// the header, as many ledgers have, is skipped).
fn header_row(schema: &Schema, sheet: &Sheet, mapping: &TableMapping) -> usize {
    let mut best = (0usize, 0usize);
    for (i, row) in sheet.rows.iter().enumerate().take(15) {
        let named = row
            .iter()
            .map(Cell::text)
            .filter(|h| mapping.columns.get(h).is_some_and(Option::is_some) || recognise(schema, h).is_some())
            .count();
        if named > best.1 {
            best = (i, named);
        }
    }
    if best.1 == 0 { sheet.rows.iter().position(|r| r.iter().any(|c| !c.is_empty())).unwrap_or(0) } else { best.0 }
}

/// Every path a column may be mapped to: each field, and numbered items of object lists (as
/// many as the sheet uses, and at least three).
fn targets(schema: &Schema, used: &[Option<String>]) -> Vec<TableTarget> {
    let mut out = Vec::new();
    for f in &schema.fields {
        if schema.read_only.contains(&f.key) {
            continue;
        }
        match &f.shape {
            Shape::Objects(subs) => {
                let most = used
                    .iter()
                    .flatten()
                    .filter_map(|p| match split_path(p) {
                        (top, Some((i, _))) if top == f.key => Some(i + 1),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0)
                    .max(3);
                for i in 0..most {
                    for s in subs {
                        let path = format!("{}[{i}].{}", f.key, s.key);
                        out.push(TableTarget { label: schema.heading(&path), path });
                    }
                }
            }
            _ => out.push(TableTarget { path: f.key.clone(), label: f.label.clone() }),
        }
    }
    out
}

fn mapping_error(heading: &str, message: String) -> CoreError {
    CoreError::Invalid(vec![FieldError::new(ErrorCode::UnknownField, format!("mapping.{heading}"), message)])
}

/// The columns: the user's mapping where it names a heading, the automatic one elsewhere.
fn columns(schema: &Schema, headings: &[String], mapping: &TableMapping) -> CoreResult<Vec<TableColumn>> {
    let auto = auto_map(schema, headings);
    let mut out: Vec<TableColumn> = Vec::new();
    for (index, heading) in headings.iter().enumerate() {
        let (target, automatic) = match mapping.columns.get(heading.trim()) {
            Some(chosen) => (chosen.clone().filter(|t| !t.trim().is_empty()), false),
            None => (auto[index].clone(), true),
        };
        if let Some(t) = &target {
            let ok = schema.field_at(t).is_some_and(|f| !matches!(f.shape, Shape::Objects(_)))
                && (split_path(t).1.is_none() || t.contains('['));
            if !ok {
                return Err(mapping_error(heading, format!("列「{heading}」对应的字段「{t}」不存在")));
            }
            if let Some(other) = out.iter().find(|c| c.target.as_deref() == Some(t.as_str())) {
                if !automatic {
                    return Err(CoreError::Invalid(vec![FieldError::new(
                        ErrorCode::DuplicateValue,
                        format!("mapping.{heading}"),
                        format!("列「{heading}」和列「{}」对应同一个字段「{}」", other.heading, schema.heading(t)),
                    )]));
                }
                out.push(TableColumn { index, heading: heading.clone(), target: None, target_label: None, automatic });
                continue;
            }
        }
        let target_label = target.as_deref().map(|t| schema.heading(t));
        out.push(TableColumn { index, heading: heading.clone(), target, target_label, automatic });
    }
    // A user's choice takes a field from an automatic column that had it.
    let chosen: Vec<String> = out.iter().filter(|c| !c.automatic).filter_map(|c| c.target.clone()).collect();
    for c in out.iter_mut().filter(|c| c.automatic) {
        if c.target.as_ref().is_some_and(|t| chosen.contains(t)) {
            c.target = None;
            c.target_label = None;
        }
    }
    Ok(out)
}

/// One row read into the register's JSON. `items` maps each list's compacted item numbers back
/// to the sheet's (当事人1, 当事人3 → parties[0], parties[1]).
struct ReadRow {
    number: usize,
    value: Value,
    problems: Vec<FieldError>,
    items: BTreeMap<String, Vec<usize>>,
}

fn read_row(schema: &Schema, columns: &[TableColumn], cells: &[Cell], number: usize) -> Option<ReadRow> {
    let mut obj = Map::new();
    let mut lists: BTreeMap<String, BTreeMap<usize, Map<String, Value>>> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut any = false;
    for col in columns {
        let Some(path) = &col.target else { continue };
        let cell = cells.get(col.index).unwrap_or(&Cell::Empty);
        if cell.is_empty() {
            continue;
        }
        any = true;
        let (top, item) = split_path(path);
        if schema.read_only.iter().any(|k| k == top) {
            continue; // the store assigns it (a dispute's number)
        }
        let Some(field) = schema.field_at(path) else { continue };
        match convert::value(field, cell, path) {
            Ok(Some(v)) => match item {
                None => {
                    obj.insert(top.to_string(), v);
                }
                Some((i, sub)) => {
                    lists.entry(top.to_string()).or_default().entry(i).or_default().insert(sub.to_string(), v);
                }
            },
            Ok(None) => {}
            Err(e) => problems.push(e),
        }
    }
    if !any {
        return None;
    }
    let mut items = BTreeMap::new();
    for (key, list) in lists {
        items.insert(key.clone(), list.keys().copied().collect());
        obj.insert(key, Value::Array(list.into_values().map(Value::Object).collect()));
    }
    // The sheet's item numbers in the problems (read before compaction) become the JSON's.
    for p in &mut problems {
        p.field = renumber(&p.field, &items, false);
    }
    Some(ReadRow { number, value: Value::Object(obj), problems, items })
}

/// Translates a path between the sheet's item numbers and the compacted JSON ones.
fn renumber(path: &str, items: &BTreeMap<String, Vec<usize>>, to_sheet: bool) -> String {
    match split_path(path) {
        (top, Some((i, sub))) => {
            let Some(list) = items.get(top) else { return path.to_string() };
            let n = if to_sheet { list.get(i).copied() } else { list.iter().position(|x| *x == i) };
            format!("{top}[{}].{sub}", n.unwrap_or(i))
        }
        _ => path.to_string(),
    }
}

fn problem(columns: &[TableColumn], row: &ReadRow, e: FieldError) -> TableProblem {
    let sheet_path = renumber(&e.field, &row.items, true);
    let column = columns
        .iter()
        .find(|c| c.target.as_deref() == Some(sheet_path.as_str()))
        .or_else(|| columns.iter().find(|c| c.target.as_deref().is_some_and(|t| split_path(t).0 == sheet_path)))
        .map(|c| c.heading.clone());
    TableProblem { column, code: e.code, field: sheet_path, message: e.message }
}

/// A spreadsheet file: its name (the extension tells its kind) and its bytes.
#[derive(Debug, Clone)]
pub struct TableFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl TableFile {
    pub fn read(path: &Path) -> CoreResult<TableFile> {
        let bytes = std::fs::read(path)
            .map_err(|e| crate::sheet::refused(path, format!("无法读取 {}：{e}", path.display())))?;
        Ok(TableFile { name: path.display().to_string(), bytes })
    }
}

/// Reads, maps and checks (dry run) or imports the spreadsheet file at `path`.
pub fn import_table(
    store: &Store,
    kind: RegisterKind,
    path: &Path,
    opts: &ImportOptions,
) -> CoreResult<TableImportReport> {
    import_file(store, kind, &TableFile::read(path)?, opts)
}

/// Reads, maps and checks (dry run) or imports a spreadsheet file.
pub fn import_file(
    store: &Store,
    kind: RegisterKind,
    file: &TableFile,
    opts: &ImportOptions,
) -> CoreResult<TableImportReport> {
    let sheet = read_bytes(&file.name, &file.bytes)?;
    let schema = schema(kind);
    let mapping = opts.mapping.clone().unwrap_or_default();
    let head = header_row(&schema, &sheet, &mapping);
    let headings: Vec<String> = sheet.rows.get(head).map(|r| r.iter().map(Cell::text).collect()).unwrap_or_default();
    let columns = columns(&schema, &headings, &mapping)?;
    let rows: Vec<ReadRow> = sheet
        .rows
        .iter()
        .enumerate()
        .skip(head + 1)
        .filter_map(|(i, cells)| read_row(&schema, &columns, cells, i + 1))
        .collect();

    let clean: Vec<&ReadRow> = rows.iter().filter(|r| r.problems.is_empty()).collect();
    let values: Vec<Value> = clean.iter().map(|r| r.value.clone()).collect();
    let outcomes = store.import_rows(kind, &values, !opts.dry_run)?;
    let mut by_row: BTreeMap<usize, RowOutcome> = clean.iter().map(|r| r.number).zip(outcomes).collect();

    let mut report_rows = Vec::with_capacity(rows.len());
    for row in &rows {
        let to_problems =
            |errors: Vec<FieldError>| errors.into_iter().map(|e| problem(&columns, row, e)).collect::<Vec<_>>();
        let r = match by_row.remove(&row.number) {
            Some(RowOutcome::Added { id, record_no, warnings }) => TableRow {
                row: row.number,
                outcome: TableRowOutcome::Added,
                record_id: Some(id.to_string()),
                record_no,
                problems: Vec::new(),
                warnings: to_problems(warnings),
            },
            Some(RowOutcome::Duplicate { id }) => TableRow {
                row: row.number,
                outcome: TableRowOutcome::Duplicate,
                record_id: Some(id.to_string()),
                record_no: None,
                problems: Vec::new(),
                warnings: Vec::new(),
            },
            Some(RowOutcome::Refused { errors }) => TableRow {
                row: row.number,
                outcome: TableRowOutcome::Refused,
                record_id: None,
                record_no: None,
                problems: to_problems(errors),
                warnings: Vec::new(),
            },
            None => {
                // Cells that could not be read, and whatever else the register's rules find in
                // the rest of the row (an unreadable cell is not reported twice).
                let mut errors = row.problems.clone();
                let rest = check_new(kind, &row.value, store.today());
                errors.extend(rest.into_iter().filter(|e| !row.problems.iter().any(|p| p.field == e.field)));
                TableRow {
                    row: row.number,
                    outcome: TableRowOutcome::Refused,
                    record_id: None,
                    record_no: None,
                    problems: to_problems(errors),
                    warnings: Vec::new(),
                }
            }
        };
        report_rows.push(r);
    }
    let count = |o: TableRowOutcome| report_rows.iter().filter(|r| r.outcome == o).count();
    let used: Vec<Option<String>> = columns.iter().map(|c| c.target.clone()).collect();
    Ok(TableImportReport {
        register: kind,
        file: file.name.clone(),
        sheet: sheet.name.clone(),
        encoding: sheet.encoding.clone(),
        header_row: head + 1,
        targets: targets(&schema, &used),
        columns,
        added: count(TableRowOutcome::Added),
        duplicates: count(TableRowOutcome::Duplicate),
        refused: count(TableRowOutcome::Refused),
        rows: report_rows,
        dry_run: opts.dry_run,
    })
}

/// What [`write_refused`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RefusedRowsFile {
    pub path: String,
    pub rows: usize,
}

/// Writes the rows a dry run of `source` refuses to `out` (.xlsx or .csv): the sheet's own
/// columns as they were, with the original row number first and the reasons last, ready to
/// correct and import again (those two columns are ignored on import).
pub fn write_refused(
    store: &Store,
    kind: RegisterKind,
    source: &TableFile,
    mapping: Option<TableMapping>,
    out: &Path,
) -> CoreResult<RefusedRowsFile> {
    crate::write::format_of(out)?;
    let report = import_file(store, kind, source, &ImportOptions { mapping, dry_run: true })?;
    let sheet = read_bytes(&source.name, &source.bytes)?;
    let head = report.header_row - 1;
    let mut headings = vec![ROW_NUMBER_HEADING.to_string()];
    headings.extend(sheet.rows.get(head).map(|r| r.iter().map(Cell::text).collect::<Vec<_>>()).unwrap_or_default());
    headings.push(REASON_HEADING.to_string());
    let width = headings.len() - 2;
    let mut rows = Vec::new();
    for r in report.rows.iter().filter(|r| r.outcome == TableRowOutcome::Refused) {
        let cells = sheet.rows.get(r.row - 1).cloned().unwrap_or_default();
        let mut line = vec![Out::Int(r.row as i64)];
        line.extend((0..width).map(|i| match cells.get(i).unwrap_or(&Cell::Empty) {
            Cell::Empty => Out::Empty,
            Cell::Number(n) => Out::Number(*n),
            Cell::Date(d) | Cell::DateTime(d, _) => Out::Date(*d),
            other => Out::Text(other.text()),
        }));
        let reasons: Vec<String> = r
            .problems
            .iter()
            .map(|p| match &p.column {
                Some(c) => format!("【{c}】{}", p.message),
                None => p.message.clone(),
            })
            .collect();
        line.push(Out::Text(reasons.join("；")));
        rows.push(line);
    }
    let table = Table { sheet_name: format!("{}-未导入", kind.label_zh()), headings, rows };
    write(&table, out)?;
    Ok(RefusedRowsFile { path: out.display().to_string(), rows: table.rows.len() })
}

/// Reads a mapping file (`--mapping`): `{"columns": {"走访日期": "date", "备注": null}}`.
pub fn read_mapping(path: &Path) -> CoreResult<TableMapping> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| crate::sheet::refused(path, format!("无法读取列对应文件 {}：{e}", path.display())))?;
    serde_json::from_str(&text).map_err(|e| {
        CoreError::Invalid(vec![FieldError::new(
            ErrorCode::InvalidJson,
            "mapping",
            format!("列对应文件应为 {{\"columns\": {{\"列名\": \"字段\"}}}}：{e}"),
        )])
    })
}

/// The mapping a report used, as a file for `--mapping` (every column, chosen or automatic).
pub fn mapping_of(report: &TableImportReport) -> TableMapping {
    TableMapping {
        columns: report
            .columns
            .iter()
            .filter(|c| !normalize(&c.heading).is_empty())
            .map(|c| (c.heading.trim().to_string(), c.target.clone()))
            .collect(),
    }
}
