//! Reading records back: one record, a filtered and sorted page of a register, a history.

use chrono::{DateTime, NaiveDate};
use rusqlite::{Connection, OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::RegisterKind;
use crate::domain::codes::{CodeEnum, code_enum};
use crate::domain::record::{Record, RecordMeta};
use crate::domain::register::Register;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::audit::{self, AuditEntry};
use crate::store::write::not_found;
use crate::store::{Store, ViewAction};

/// A stored record: its envelope and its register's fields as JSON.
#[derive(Debug, Clone)]
pub(crate) struct StoredRow {
    pub meta: RecordMeta,
    pub data: Value,
}

impl StoredRow {
    /// The flat JSON object of the CLI and bundle contract: envelope and fields side by side.
    pub fn to_json(&self) -> Value {
        let mut out = serde_json::to_value(&self.meta).unwrap_or(Value::Null);
        if let (Some(out), Some(data)) = (out.as_object_mut(), self.data.as_object()) {
            for (k, v) in data {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }
}

pub(crate) const ROW_COLUMNS: &str = "id, register, version, change_seq, office_code, created_at, created_by, updated_at, \
                           updated_by, voided, void_reason, data";

pub(crate) fn row_from(r: &rusqlite::Row) -> rusqlite::Result<StoredRow> {
    let data: String = r.get(11)?;
    Ok(StoredRow { meta: meta_from(r)?, data: serde_json::from_str(&data).map_err(|e| bad_column(11, e.to_string()))? })
}

fn bad_column(i: usize, e: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into())
}

/// The envelope of a row read with [`ROW_COLUMNS`].
pub(crate) fn meta_from(r: &rusqlite::Row) -> rusqlite::Result<RecordMeta> {
    let id: String = r.get(0)?;
    let register: String = r.get(1)?;
    let created_at: String = r.get(5)?;
    let updated_at: String = r.get(7)?;
    Ok(RecordMeta {
        id: Uuid::parse_str(&id).map_err(|e| bad_column(0, e.to_string()))?,
        register: RegisterKind::from_code(&register).ok_or_else(|| bad_column(1, register.clone()))?,
        version: r.get(2)?,
        change_seq: r.get(3)?,
        office_code: r.get(4)?,
        created_at: DateTime::parse_from_rfc3339(&created_at).map_err(|e| bad_column(5, e.to_string()))?,
        created_by: r.get(6)?,
        updated_at: DateTime::parse_from_rfc3339(&updated_at).map_err(|e| bad_column(7, e.to_string()))?,
        updated_by: r.get(8)?,
        voided: r.get(9)?,
        void_reason: r.get(10)?,
    })
}

pub(crate) fn load_row(conn: &Connection, id: Uuid) -> rusqlite::Result<Option<StoredRow>> {
    conn.query_row(&format!("SELECT {ROW_COLUMNS} FROM records WHERE id = ?1"), [id.to_string()], row_from).optional()
}

code_enum! {
    /// Orders a register list can be sorted in.
    ListSort, "排序" {
        DateDesc = "date_desc", "日期（新→旧）", "Date, newest first";
        DateAsc = "date_asc", "日期（旧→新）", "Date, oldest first";
        UpdatedDesc = "updated_desc", "最近修改", "Recently updated";
        TitleAsc = "title_asc", "名称", "Title";
    }
}

/// Which records of one register to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListQuery {
    pub include_voided: bool,
    /// Inclusive date range on the record's date (visits: visit date; disputes: accepted on).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub household_id: Option<Uuid>,
    /// Keeps records whose title contains this text.
    pub title_contains: Option<String>,
    pub sort: ListSort,
    pub limit: i64,
    pub offset: i64,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            include_voided: false,
            from: None,
            to: None,
            household_id: None,
            title_contains: None,
            sort: ListSort::DateDesc,
            limit: 100,
            offset: 0,
        }
    }
}

/// One page of a list and the number of records matching in all.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Page {
    pub total: i64,
    /// Flat record objects (envelope and fields), as `show --json` prints them.
    #[ts(type = "Array<Record<string, unknown>>")]
    pub items: Vec<Value>,
}

impl Store {
    /// One record as the flat JSON object of the contract.
    pub fn get(&self, kind: RegisterKind, id: Uuid) -> CoreResult<Value> {
        let row =
            load_row(&self.reader(), id)?.filter(|r| r.meta.register == kind).ok_or_else(|| not_found(kind, id))?;
        self.note_view(kind, Some(id), ViewAction::Show, Value::Object(Default::default()))?;
        Ok(row.to_json())
    }

    /// The one-line title of any record (a live or voided one), for showing a reference by name.
    pub fn title_of(&self, id: Uuid) -> Option<String> {
        self.reader()
            .query_row("SELECT title FROM records WHERE id = ?1", [id.to_string()], |r| r.get(0))
            .optional()
            .ok()
            .flatten()
    }

    /// One record with its typed fields.
    pub fn get_typed<R: Register>(&self, id: Uuid) -> CoreResult<Record<R>> {
        let row = load_row(&self.reader(), id)?
            .filter(|r| r.meta.register == R::KIND)
            .ok_or_else(|| not_found(R::KIND, id))?;
        Ok(Record { meta: row.meta, data: serde_json::from_value(row.data)? })
    }

    pub fn list(&self, kind: RegisterKind, q: &ListQuery) -> CoreResult<Page> {
        if q.limit < 1 || q.limit > 1000 {
            return Err(CoreError::refused(ErrorCode::OutOfRange, "limit", "每页条数应在 1 到 1000 之间"));
        }
        if q.offset < 0 {
            return Err(CoreError::refused(ErrorCode::OutOfRange, "offset", "起始位置不能为负数"));
        }
        let mut filter = String::from("register = ?");
        let mut args: Vec<Box<dyn ToSql>> = vec![Box::new(kind.code())];
        if !q.include_voided {
            filter.push_str(" AND voided = 0");
        }
        if let Some(from) = q.from {
            filter.push_str(" AND record_date >= ?");
            args.push(Box::new(from.to_string()));
        }
        if let Some(to) = q.to {
            filter.push_str(" AND record_date <= ?");
            args.push(Box::new(to.to_string()));
        }
        if let Some(h) = q.household_id {
            filter.push_str(" AND household_id = ?");
            args.push(Box::new(h.to_string()));
        }
        let title = q.title_contains.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if let Some(t) = title {
            filter.push_str(" AND instr(title, ?) > 0");
            args.push(Box::new(t.to_string()));
        }
        // The columns the order reads (kept for the matches of a title filter, below).
        let keys = match q.sort {
            ListSort::DateDesc | ListSort::DateAsc => "record_date, created_at, change_seq",
            ListSort::UpdatedDesc => "updated_at, change_seq",
            ListSort::TitleAsc => "title, change_seq",
        };
        let order = match q.sort {
            // The change sequence breaks ties: entry order, whatever the clock's resolution.
            ListSort::DateDesc => "record_date DESC, created_at DESC, change_seq DESC",
            ListSort::DateAsc => "record_date ASC, created_at ASC, change_seq ASC",
            ListSort::UpdatedDesc => "updated_at DESC, change_seq DESC",
            ListSort::TitleAsc => "title ASC, change_seq ASC",
        };
        let conn = self.reader();
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let mut page_params = params.clone();
        page_params.push(&q.limit);
        page_params.push(&q.offset);
        let (total, items) = if title.is_some() {
            // A substring cannot be sought: a title filter tests every title of the register
            // (≈ 20,000 residents at a big office; in the title index, migration 0012, without
            // reading the records). Do that once for both the page and the total instead of
            // once for each: the matches' sort keys are kept (MATERIALIZED, so the scan is not
            // repeated for the count; by title, the index holds them), sorted, and only the
            // page's rows are read whole. Same filter, same order, same rows as two queries.
            let mut stmt = conn.prepare(&format!(
                "WITH m AS MATERIALIZED (SELECT rowid AS r, {keys} FROM records WHERE {filter}),
                      page AS (SELECT r, row_number() OVER (ORDER BY {order}) AS k FROM m
                               ORDER BY {order} LIMIT ? OFFSET ?)
                 SELECT {ROW_COLUMNS}, (SELECT count(*) FROM m)
                 FROM page JOIN records ON records.rowid = page.r ORDER BY page.k"
            ))?;
            let mut total = None;
            let items = stmt
                .query_map(page_params.as_slice(), |r| Ok((row_from(r)?, r.get::<_, i64>(12)?)))?
                .map(|r| {
                    r.map(|(row, n)| {
                        total = Some(n);
                        row.to_json()
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let total = match total {
                Some(n) => n,
                // A page past the end has no row to carry the total.
                None => {
                    conn.query_row(&format!("SELECT count(*) FROM records WHERE {filter}"), params.as_slice(), |r| {
                        r.get(0)
                    })?
                }
            };
            (total, items)
        } else {
            // The other filters are on indexed columns: the total is counted from the index.
            // The page's rows are found first (rowids only: for a register's list by date the
            // filter and the whole order are in one index, migration 0013, so the rows before
            // the page are skipped in the index without reading them), then only they are read.
            let total: i64 =
                conn.query_row(&format!("SELECT count(*) FROM records WHERE {filter}"), params.as_slice(), |r| {
                    r.get(0)
                })?;
            let mut stmt = conn.prepare(&format!(
                "WITH page AS (SELECT rowid AS r FROM records WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?)
                 SELECT {ROW_COLUMNS} FROM page JOIN records ON records.rowid = page.r ORDER BY {order}"
            ))?;
            let items = stmt
                .query_map(page_params.as_slice(), row_from)?
                .map(|r| r.map(|row| row.to_json()))
                .collect::<Result<Vec<_>, _>>()?;
            (total, items)
        };
        drop(conn);
        if kind.is_restricted() {
            let detail = serde_json::json!({ "query": q, "shown": items.len() });
            self.note_view(kind, None, ViewAction::List, detail)?;
        }
        Ok(Page { total, items })
    }

    /// The audit trail of one record, oldest first.
    pub fn history(&self, kind: RegisterKind, id: Uuid) -> CoreResult<Vec<AuditEntry>> {
        let conn = self.reader();
        load_row(&conn, id)?.filter(|r| r.meta.register == kind).ok_or_else(|| not_found(kind, id))?;
        let entries = audit::history(&conn, id)?;
        drop(conn);
        self.note_view(kind, Some(id), ViewAction::History, Value::Object(Default::default()))?;
        Ok(entries)
    }
}
