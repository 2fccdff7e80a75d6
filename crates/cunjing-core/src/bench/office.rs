//! The office figures: list pages, search, dashboard, saving, full export — each against the
//! same question or the same rows put to SQLite directly.

use std::path::Path;
use std::sync::Arc;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params_from_iter};
use serde_json::json;
use uuid::Uuid;

use super::{Figure, Target, pair};
use crate::clock::Clock;
use crate::dashboard::Month;
use crate::domain::RegisterKind;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::station::StationStore;
use crate::store::read::ROW_COLUMNS;
use crate::store::{ListQuery, ListSort, Store};
use crate::sync::{ExportMode, ExportResult};

/// How to run the office figures.
#[derive(Debug, Clone)]
pub struct OfficeBench {
    /// Label of the data, e.g. `6000 hh / 10 y`.
    pub scale: String,
    /// Samples of each quick figure (lists, search, dashboard, single saves).
    pub samples: usize,
    /// Samples of each slow figure (batch insert, full export).
    pub slow_samples: usize,
    /// Records per batch in the batch-insert figure.
    pub batch: usize,
}

fn db(e: rusqlite::Error) -> CoreError {
    CoreError::from(e)
}

fn rows_of(conn: &Connection, sql: &str, args: &[SqlValue]) -> CoreResult<Vec<Vec<SqlValue>>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map(params_from_iter(args.iter()), |r| (0..n).map(|i| r.get::<_, SqlValue>(i)).collect())?
        .collect::<Result<Vec<Vec<SqlValue>>, _>>()?;
    Ok(rows)
}

/// The first column of every row, where it is text.
fn texts_of(conn: &Connection, sql: &str, args: &[SqlValue]) -> CoreResult<Vec<String>> {
    Ok(rows_of(conn, sql, args)?
        .into_iter()
        .filter_map(|r| match r.into_iter().next() {
            Some(SqlValue::Text(s)) => Some(s),
            _ => None,
        })
        .collect())
}

fn text(v: &str) -> SqlValue {
    SqlValue::Text(v.to_string())
}

/// One search word of each kind, taken from the data (a resident near the middle).
fn search_words(conn: &Connection) -> CoreResult<Vec<(&'static str, String)>> {
    let pick = |kind: &str| -> CoreResult<String> {
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM search_terms WHERE register = 'residents' AND kind = ?1",
            [kind],
            |r| r.get(0),
        )?;
        Ok(conn.query_row(
            "SELECT term FROM search_terms WHERE register = 'residents' AND kind = ?1 ORDER BY record_id LIMIT 1 OFFSET ?2",
            rusqlite::params![kind, n / 2],
            |r| r.get(0),
        )?)
    };
    let number = pick("number")?;
    let fragment: String = number.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
    Ok(vec![
        ("name", pick("name")?),
        ("pinyin", pick("pinyin")?),
        ("initials", pick("initials")?),
        ("ID fragment", fragment),
    ])
}

/// A reference database with the office's `records` table and indexes (no triggers, no
/// foreign keys), WAL and `synchronous = FULL` like the store.
fn reference_db(store: &Store, path: &Path) -> CoreResult<Connection> {
    let _ = std::fs::remove_file(path);
    let conn = super::raw_connection(path)?;
    // The reference holds rows only: no offices or households for foreign keys to find.
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "cache_size", -65536)?;
    let sqls = texts_of(
        &store.reader(),
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'records' AND type IN ('table', 'index') AND sql IS NOT NULL",
        &[],
    )?;
    for sql in sqls {
        conn.execute_batch(&sql)?;
    }
    Ok(conn)
}

const RECORD_COLUMNS: &str = "id, register, version, change_seq, office_code, created_at, created_by, updated_at, \
     updated_by, voided, void_reason, record_date, household_id, title, data";

/// Inserts rows (as read with [`RECORD_COLUMNS`]) with a prepared statement in one transaction,
/// giving each a fresh id and change number (the same bytes otherwise).
fn raw_insert(conn: &mut Connection, rows: &[Vec<SqlValue>], next_seq: &mut i64) -> CoreResult<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(&format!(
            "INSERT INTO records ({RECORD_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
        ))?;
        for row in rows {
            let mut row = row.clone();
            row[0] = SqlValue::Text(Uuid::new_v4().to_string());
            *next_seq += 1;
            row[3] = SqlValue::Integer(*next_seq);
            stmt.execute(params_from_iter(row.iter()))?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn visit_input(officer: &str, date: &str, household: &str) -> serde_json::Value {
    json!({"date": date, "officer": officer, "household_id": household, "method": "in_home",
           "purposes": ["info_check", "safety_publicity"], "concerns": "基准测试：入户核对人口信息，宣传防诈骗"})
}

/// Every office figure on `store` (a copy: saves and exports add to it). `scratch` holds the
/// reference database, a station for the export's enrollment and the "stick".
pub fn office_figures(
    store: &Store,
    scratch: &Path,
    clock: Arc<dyn Clock>,
    cfg: &OfficeBench,
) -> CoreResult<Vec<Figure>> {
    std::fs::create_dir_all(scratch)?;
    let today = store.today();
    let total: i64 = store.reader().query_row("SELECT count(*) FROM records", [], |r| r.get(0)).map_err(db)?;
    let scale = format!("office {} ({total} records)", cfg.scale);
    let mut out = Vec::new();
    let n = cfg.samples;
    let quick = |name: String, reference_name: &str, target: f64, s: (super::Stats, super::Stats)| Figure {
        name,
        scale: scale.clone(),
        measured: s.0,
        reference: Some(s.1),
        reference_name: reference_name.into(),
        records: 0,
        target: Some(Target::AtMostMs(target)),
    };

    // --- list pages: 100 rows, filtered and sorted, against the same SELECT read raw ---
    let year_ago = today - chrono::Duration::days(365);
    let lists: Vec<(String, RegisterKind, ListQuery)> = vec![
        (
            "list visits (last year, date desc)".into(),
            RegisterKind::Visits,
            ListQuery { from: Some(year_ago), to: Some(today), ..ListQuery::default() },
        ),
        (
            "list residents (title contains 王, by name)".into(),
            RegisterKind::Residents,
            ListQuery { title_contains: Some("王".into()), sort: ListSort::TitleAsc, ..ListQuery::default() },
        ),
        (
            "list disputes (page 30, date asc)".into(),
            RegisterKind::Disputes,
            ListQuery { sort: ListSort::DateAsc, offset: 2900, ..ListQuery::default() },
        ),
    ];
    for (name, kind, q) in lists {
        let (filter, args, order) = match kind {
            RegisterKind::Visits => (
                "register = 'visits' AND voided = 0 AND record_date >= ?1 AND record_date <= ?2",
                vec![text(&year_ago.to_string()), text(&today.to_string())],
                "record_date DESC, created_at DESC, change_seq DESC LIMIT 100",
            ),
            RegisterKind::Residents => (
                "register = 'residents' AND voided = 0 AND instr(title, ?1) > 0",
                vec![text("王")],
                "title ASC, change_seq ASC LIMIT 100",
            ),
            _ => (
                "register = 'disputes' AND voided = 0",
                vec![],
                "record_date ASC, created_at ASC, change_seq ASC LIMIT 100 OFFSET 2900",
            ),
        };
        let sql = format!("SELECT {ROW_COLUMNS} FROM records WHERE {filter} ORDER BY {order}");
        let s = pair(n, &mut |_| Ok(()), &mut || store.list(kind, &q).map(|_| ()), &mut || {
            rows_of(&store.reader(), &sql, &args).map(|_| ())
        })?;
        out.push(quick(name, "same SELECT, rows unparsed", 10.0, s));
    }

    // --- search: the store's ranked search against an index seek of the exact term ---
    let words = search_words(&store.reader())?;
    for (kind, word) in words {
        let s = pair(n, &mut |_| Ok(()), &mut || store.search(&word, 50, false).map(|_| ()), &mut || {
            rows_of(
                &store.reader(),
                "SELECT t.record_id, r.title FROM search_terms t JOIN records r ON r.id = t.record_id
                     WHERE t.term = ?1 COLLATE NOCASE LIMIT 50",
                &[text(&word)],
            )
            .map(|_| ())
        })?;
        out.push(quick(format!("search by {kind} ({word})"), "index seek of the exact term", 20.0, s));
    }

    // --- dashboard: every figure of the month against one GROUP BY over the month ---
    let month = Month::of(today);
    let (from, to) = (month.first_day().to_string(), month.last_day().to_string());
    let s = pair(n, &mut |_| Ok(()), &mut || store.dashboard(month).map(|_| ()), &mut || {
        rows_of(
                &store.reader(),
                "SELECT register, count(*) FROM records WHERE voided = 0 AND record_date BETWEEN ?1 AND ?2 GROUP BY register",
                &[text(&from), text(&to)],
            )
            .map(|_| ())
    })?;
    out.push(quick("dashboard (this month)".into(), "one GROUP BY over the month", 50.0, s));

    // --- saving: one record with its audit entry, and a batch, against raw INSERTs ---
    let officer = store.office()?.officer;
    let households = texts_of(
        &store.reader(),
        "SELECT id FROM records WHERE register = 'households' AND voided = 0 ORDER BY change_seq LIMIT 2000",
        &[],
    )?;
    if households.is_empty() {
        return Err(CoreError::refused(ErrorCode::Required, "households", "基准测试需要住户数据"));
    }
    let mut refdb = reference_db(store, &scratch.join("reference.db"))?;
    let mut next_seq = 0;
    let sample_rows = rows_of(
        &store.reader(),
        &format!("SELECT {RECORD_COLUMNS} FROM records WHERE register = 'visits' ORDER BY change_seq DESC LIMIT ?1"),
        &[SqlValue::Integer(cfg.batch.max(1) as i64)],
    )?;
    let one_row = sample_rows.first().cloned().into_iter().collect::<Vec<_>>();
    let mut i = 0;
    let date = today.to_string();
    let s = pair(
        n,
        &mut |_| Ok(()),
        &mut || {
            i += 1;
            store
                .add(RegisterKind::Visits, &visit_input(&officer, &date, &households[i % households.len()]))
                .map(|_| ())
        },
        &mut || raw_insert(&mut refdb, &one_row, &mut next_seq),
    )?;
    out.push(quick(
        "save one visit (validation, audit, search terms; own transaction)".into(),
        "raw INSERT of one row, own transaction",
        5.0,
        s,
    ));

    let batch: Vec<serde_json::Value> =
        (0..cfg.batch).map(|j| visit_input(&officer, &date, &households[j % households.len()])).collect();
    let s = pair(
        cfg.slow_samples,
        &mut |_| Ok(()),
        &mut || store.add_batch(RegisterKind::Visits, &batch).map(|_| ()),
        &mut || raw_insert(&mut refdb, &sample_rows, &mut next_seq),
    )?;
    out.push(Figure {
        name: format!("add_batch {} visits (one transaction)", cfg.batch),
        scale: scale.clone(),
        measured: s.0,
        reference: Some(s.1),
        reference_name: "prepared INSERT of the same rows, one transaction".into(),
        records: cfg.batch,
        target: None,
    });
    drop(refdb);

    // --- full export: bundle written and verified on the stick, against reading every row ---
    let station = StationStore::open_or_create(&scratch.join("station.db"), &super::key(), clock)?;
    if station.station_info()?.is_none() {
        station.init_station("基准测试汇总站")?;
    }
    let office = store.office()?;
    if !store.sync_status()?.enrolled {
        let e = station.enroll_office(&office.code, &office.name)?;
        let outcome = store.enroll(&e.bytes, &e.file_name)?;
        station.add_office_key(&outcome.office_key_file, "office.cjk")?;
    }
    let stick = scratch.join("usb");
    let mut records = 0;
    let s = pair(
        cfg.slow_samples,
        &mut |_| {
            let _ = std::fs::remove_dir_all(&stick);
            std::fs::create_dir_all(&stick)?;
            Ok(())
        },
        &mut || match store.export_bundle(&stick, ExportMode::Full)? {
            ExportResult::Written(w) => {
                records = w.record_count as usize;
                Ok(())
            }
            ExportResult::NothingToExport { message } => Err(CoreError::refused(ErrorCode::Io, "", message)),
        },
        &mut || {
            rows_of(&store.reader(), &format!("SELECT {ROW_COLUMNS} FROM records ORDER BY change_seq"), &[]).map(|_| ())
        },
    )?;
    let _ = std::fs::remove_dir_all(&stick);
    out.push(Figure {
        name: "full export (bundle written, read back, verified)".into(),
        scale,
        measured: s.0,
        reference: Some(s.1),
        reference_name: "SELECT of every record, rows unparsed".into(),
        records,
        target: Some(Target::AtMostMs(3000.0)),
    });
    Ok(out)
}
