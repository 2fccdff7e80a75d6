//! Exporting a register (or the records of it a search finds) to .xlsx or CSV: one column per
//! field, Chinese headings, codes as their Chinese labels, dates as dates — the same columns
//! the import reads, so an exported sheet imports back to the same records.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;
use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::store::{ListQuery, ListSort, ViewAction};
use cunjing_core::{CoreError, CoreResult, ErrorCode, RegisterKind, Store};
use serde::Serialize;
use serde_json::{Value, json};
use ts_rs::TS;

use crate::schema::{Field, Schema, Shape, schema};
use crate::write::{Out, Table, format_of, write};

/// Which records to export.
#[derive(Debug, Clone, Default)]
pub struct ExportQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only the records a search for this text finds (names, pinyin, numbers, places).
    pub search: Option<String>,
    /// A restricted register (重点对象) is exported only when this says so explicitly.
    pub allow_restricted: bool,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TableExport {
    pub path: String,
    pub rows: usize,
    pub columns: usize,
}

/// Refuses a restricted register unless asked for explicitly.
pub fn check_restricted(kind: RegisterKind, allowed: bool) -> CoreResult<()> {
    if kind.is_restricted() && !allowed {
        return Err(CoreError::refused(
            ErrorCode::RestrictedRegister,
            "register",
            format!(
                "「{}」属于受限台账，导出须明确确认（命令行加 --restricted）；导出的文件请妥善保管",
                kind.label_zh()
            ),
        ));
    }
    Ok(())
}

/// The live records of `kind` matching `q`, oldest first, as flat JSON objects.
fn records(store: &Store, kind: RegisterKind, q: &ExportQuery) -> CoreResult<Vec<Value>> {
    if let Some(text) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let hits = store.search(text, 100_000, false)?;
        let mut out = Vec::new();
        for hit in hits.into_iter().filter(|h| h.register == kind) {
            out.push(store.get(kind, hit.id)?);
        }
        // A search result is filtered by date the same way a list is.
        if q.from.is_some() || q.to.is_some() {
            let id = |v: &Value| v.get("id").and_then(Value::as_str).map(str::to_string);
            let in_range: HashSet<String> = list_all(store, kind, q)?.iter().filter_map(id).collect();
            out.retain(|v| id(v).is_some_and(|i| in_range.contains(&i)));
        }
        return Ok(out);
    }
    list_all(store, kind, q)
}

fn list_all(store: &Store, kind: RegisterKind, q: &ExportQuery) -> CoreResult<Vec<Value>> {
    let mut out = Vec::new();
    let mut query = ListQuery { from: q.from, to: q.to, sort: ListSort::DateAsc, limit: 1000, ..ListQuery::default() };
    loop {
        let page = store.list(kind, &query)?;
        let n = page.items.len();
        out.extend(page.items);
        if n < query.limit as usize {
            break;
        }
        query.offset += query.limit;
    }
    Ok(out)
}

/// The columns of `records`: every field, and for lists of objects as many numbered items as
/// the records use (at least one, so the sheet doubles as a template).
pub fn columns(schema: &Schema, records: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for f in &schema.fields {
        match &f.shape {
            Shape::Objects(subs) => {
                let most = records
                    .iter()
                    .filter_map(|r| r.get(&f.key).and_then(Value::as_array).map(Vec::len))
                    .max()
                    .unwrap_or(0)
                    .max(1);
                for i in 0..most {
                    out.extend(subs.iter().map(|s| format!("{}[{i}].{}", f.key, s.key)));
                }
            }
            _ => out.push(f.key.clone()),
        }
    }
    out
}

/// One value as a cell: codes by their labels, dates as dates, 是/否.
fn cell(field: &Field, value: Option<&Value>) -> Out {
    let Some(value) = value.filter(|v| !v.is_null()) else { return Out::Empty };
    match (&field.shape, value) {
        (Shape::Date, Value::String(s)) => {
            cunjing_core::validate::fields::parse_date(s).map(Out::Date).unwrap_or_else(|| Out::Text(s.clone()))
        }
        (Shape::Code, Value::String(s)) => Out::Text(field.label_of(s)),
        (Shape::Codes | Shape::Texts, Value::Array(items)) => {
            let words: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(|s| if field.shape == Shape::Codes { field.label_of(s) } else { s.to_string() })
                .collect();
            if words.is_empty() { Out::Empty } else { Out::Text(words.join("、")) }
        }
        (_, Value::Bool(b)) => Out::Text(if *b { "是" } else { "否" }.into()),
        (_, Value::Number(n)) => n.as_i64().map(Out::Int).unwrap_or_else(|| Out::Number(n.as_f64().unwrap_or(0.0))),
        (_, Value::String(s)) => Out::Text(s.clone()),
        (_, other) => Out::Text(other.to_string()),
    }
}

/// The records as a table with the register's columns.
pub fn table(schema: &Schema, records: &[Value]) -> Table {
    let paths = columns(schema, records);
    let headings = paths.iter().map(|p| schema.heading(p)).collect();
    let rows = records
        .iter()
        .map(|r| {
            paths
                .iter()
                .map(|p| {
                    let Some(field) = schema.field_at(p) else { return Out::Empty };
                    let value = match crate::schema::split_path(p) {
                        (top, None) => r.get(top),
                        (top, Some((i, sub))) => r.get(top).and_then(|l| l.get(i)).and_then(|o| o.get(sub)),
                    };
                    cell(field, value)
                })
                .collect()
        })
        .collect();
    Table { sheet_name: schema.kind.label_zh().to_string(), headings, rows }
}

/// Exports register `kind` to `out` (.xlsx or .csv).
pub fn export_register(store: &Store, kind: RegisterKind, q: &ExportQuery, out: &Path) -> CoreResult<TableExport> {
    check_restricted(kind, q.allow_restricted)?;
    format_of(out)?;
    let records = records(store, kind, q)?;
    let t = table(&schema(kind), &records);
    // A restricted register's export is a view of it: recorded before the file exists.
    let detail = json!({ "from": q.from, "to": q.to, "search": q.search, "rows": t.rows.len(), "file": out.display().to_string() });
    store.note_view(kind, None, ViewAction::Export, detail)?;
    write(&t, out)?;
    Ok(TableExport { path: out.display().to_string(), rows: t.rows.len(), columns: t.headings.len() })
}

/// The name of a file written today for `title` (入户走访登记-2026-11-29.xlsx); `ext` is
/// `xlsx` or `csv`. Characters file systems refuse are replaced.
pub fn file_name(title: &str, today: NaiveDate, ext: &str) -> String {
    let clean: String = title.chars().map(|c| if "/\\:*?\"<>|".contains(c) { '、' } else { c }).collect();
    format!("{clean}-{today}.{ext}")
}

/// The name of the refused rows of `source` (旧台账.xlsx → 旧台账-未导入.xlsx).
pub fn refused_file_name(source: &str) -> String {
    let stem = Path::new(source).file_stem().and_then(|s| s.to_str()).unwrap_or("表格");
    format!("{stem}-未导入.xlsx")
}
