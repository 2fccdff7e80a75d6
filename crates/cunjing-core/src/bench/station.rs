//! The station figures: importing an office's full bundle into a fresh station, and into a
//! station that already holds other offices, each against a raw bulk insert of the same rows.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::params_from_iter;
use rusqlite::types::Value as SqlValue;

use super::{Figure, Target, pair};
use crate::clock::Clock;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::station::{BundleFile, ImportStatus, StationStore};

#[derive(Debug, Clone)]
pub struct StationBench {
    /// Label of one office's data, e.g. `6000 hh / 10 y`.
    pub scale: String,
    pub samples: usize,
}

fn copy(from: &Path, to: &Path) -> CoreResult<()> {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", to.display()));
    }
    std::fs::copy(from, to)?;
    Ok(())
}

fn import_one(path: &Path, bundle: &BundleFile, clock: &Arc<dyn Clock>) -> CoreResult<()> {
    let station = StationStore::open(path, &super::key(), clock.clone())?;
    let report = station.import(std::slice::from_ref(bundle), false)?;
    match report.bundles.first() {
        Some(b) if b.status == ImportStatus::Imported => Ok(()),
        Some(b) => {
            Err(CoreError::refused(b.code.unwrap_or(ErrorCode::SyncFileRefused), b.file.as_str(), b.message.clone()))
        }
        None => Err(CoreError::refused(ErrorCode::SyncFileRefused, "", "no report")),
    }
}

/// The county table's rows of one office, in the order import wrote them (rowid order: by register and
/// date, station migration 0002), so the reference inserts the same rows the same way.
fn county_rows(path: &Path, office: &str) -> CoreResult<(Vec<String>, Vec<Vec<SqlValue>>)> {
    let conn = super::raw_connection(path)?;
    let schema: Vec<String> = conn
        .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'county_records' AND sql IS NOT NULL")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("SELECT * FROM county_records WHERE office_code = ?1 ORDER BY rowid")?;
    let n = stmt.column_count();
    let rows = stmt
        .query_map([office], |r| (0..n).map(|i| r.get::<_, SqlValue>(i)).collect())?
        .collect::<Result<Vec<Vec<SqlValue>>, _>>()?;
    Ok((schema, rows))
}

/// Raw bulk insert: one prepared INSERT, one transaction, the same settings as the station
/// (WAL, `synchronous = FULL`, the same page cache). `schema` is run first when given.
fn raw_bulk(path: &Path, schema: Option<&[String]>, rows: &[Vec<SqlValue>]) -> CoreResult<()> {
    let mut conn = super::raw_connection(path)?;
    // The reference holds rows only: no offices or households for foreign keys to find.
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "cache_size", -65536)?;
    for sql in schema.unwrap_or_default() {
        conn.execute_batch(sql)?;
    }
    let width = rows.first().map(Vec::len).unwrap_or(0);
    let marks = (1..=width).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(&format!("INSERT INTO county_records VALUES ({marks})"))?;
        for row in rows {
            stmt.execute(params_from_iter(row.iter()))?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// `fresh` is a station with every office's key pinned and no records; `bundles` one full
/// bundle per office, encrypted to it. Measures the first bundle into the fresh station and,
/// with more than one bundle, the last into a station holding all the others.
pub fn station_figures(
    fresh: &Path,
    bundles: &[(String, PathBuf)],
    scratch: &Path,
    clock: Arc<dyn Clock>,
    cfg: &StationBench,
) -> CoreResult<Vec<Figure>> {
    std::fs::create_dir_all(scratch)?;
    let read = |p: &PathBuf| -> CoreResult<BundleFile> {
        Ok(BundleFile { name: p.display().to_string(), bytes: std::fs::read(p)? })
    };
    let run = scratch.join("run.db");
    let reference = scratch.join("reference.db");
    let mut out = Vec::new();
    let Some((first_code, first_path)) = bundles.first() else { return Ok(out) };

    // Into a fresh station.
    let first = read(first_path)?;
    import_one(
        &{
            copy(fresh, &run)?;
            run.clone()
        },
        &first,
        &clock,
    )?;
    let (schema, rows) = county_rows(&run, first_code)?;
    let s = pair(
        cfg.samples,
        &mut |is_ref| {
            if is_ref { copy_empty(&reference) } else { copy(fresh, &run) }
        },
        &mut || import_one(&run, &first, &clock),
        &mut || raw_bulk(&reference, Some(&schema), &rows),
    )?;
    out.push(Figure {
        name: "station import, one office's full bundle (fresh station)".into(),
        scale: format!("station 1 office × {} ({} records)", cfg.scale, rows.len()),
        measured: s.0,
        reference: Some(s.1),
        reference_name: "raw bulk INSERT of the same rows into an empty county_records, one transaction".into(),
        records: rows.len(),
        target: Some(Target::Rate { per_second: 50_000.0, ratio: 3.0 }),
    });

    // Where import's time goes: verification alone (signature, decryption, every record
    // against its register's type, the canonical hashes), as `cunjing bundle inspect` does it.
    let verify_station = StationStore::open(fresh, &super::key(), clock.clone())?;
    let (v, _) =
        pair(cfg.samples, &mut |_| Ok(()), &mut || verify_station.inspect(&first).map(|_| ()), &mut || Ok(()))?;
    drop(verify_station);
    out.push(Figure {
        name: "… of which verification alone (bundle inspect)".into(),
        scale: format!("station 1 office × {} ({} records)", cfg.scale, rows.len()),
        measured: v,
        reference: None,
        reference_name: String::new(),
        records: rows.len(),
        target: None,
    });

    // Into a station that holds every other office already.
    if bundles.len() > 1 {
        let loaded = scratch.join("loaded.db");
        copy(fresh, &loaded)?;
        let (last_code, last_path) = &bundles[bundles.len() - 1];
        for (_, p) in &bundles[..bundles.len() - 1] {
            import_one(&loaded, &read(p)?, &clock)?;
        }
        // Checkpoint so that the copies carry everything in the main file.
        super::raw_connection(&loaded)?.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        let held: i64 =
            super::raw_connection(&loaded)?.query_row("SELECT count(*) FROM county_records", [], |r| r.get(0))?;
        let last = read(last_path)?;
        copy(&loaded, &run)?;
        import_one(&run, &last, &clock)?;
        let (_, rows) = county_rows(&run, last_code)?;
        let s = pair(
            cfg.samples,
            &mut |is_ref| copy(&loaded, if is_ref { &reference } else { &run }),
            &mut || import_one(&run, &last, &clock),
            &mut || raw_bulk(&reference, None, &rows),
        )?;
        out.push(Figure {
            name: format!(
                "station import, office {} of {} (station holding {held} records)",
                bundles.len(),
                bundles.len()
            ),
            scale: format!(
                "station {} offices × {} ({} records)",
                bundles.len(),
                cfg.scale,
                held as usize + rows.len()
            ),
            measured: s.0,
            reference: Some(s.1),
            reference_name: "raw bulk INSERT of the same rows into the same loaded station, one transaction".into(),
            records: rows.len(),
            target: Some(Target::Rate { per_second: 50_000.0, ratio: 3.0 }),
        });
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", loaded.display()));
        }
    }
    for p in [&run, &reference] {
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", p.display()));
        }
    }
    Ok(out)
}

fn copy_empty(path: &Path) -> CoreResult<()> {
    for ext in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{ext}", path.display()));
    }
    Ok(())
}
