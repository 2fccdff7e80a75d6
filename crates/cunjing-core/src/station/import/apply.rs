//! Applying a checked bundle to the county table, on a connection the caller holds in a
//! transaction or savepoint: the bundle number and hash chain against the bundles held
//! ([`chain`]), each record against the version held ([`RecordWriter`]), and the bundle's own
//! row ([`record_bundle`]). The checked path ([`apply`]) and the streaming path
//! (`pipeline.rs`) use the same three steps, so they write the same rows.

use std::collections::{BTreeMap, HashSet};

use cunjing_bundle::{BundleHeader, Manifest};
use rusqlite::{CachedStatement, Connection, OptionalExtension, params};
use uuid::Uuid;

use super::read::Incoming;
use super::{Refusal, RegisterChanges, Verified, flagged, refuse};
use crate::error::ErrorCode;

/// What applying a bundle did.
pub(super) enum Applied {
    Done(Vec<RegisterChanges>),
    AlreadyImported,
}

fn db(e: rusqlite::Error) -> Refusal {
    refuse(ErrorCode::Database, format!("数据库错误：{e}"))
}

fn bundle_seq(header: &BundleHeader) -> i64 {
    i64::try_from(header.seq).unwrap_or(i64::MAX)
}

/// The bundle against the bundles the station holds: `Ok(true)` when this very bundle is held
/// already, a flagged refusal when another bundle holds its number or it does not join the
/// chain on either side.
pub(super) fn chain(conn: &Connection, header: &BundleHeader, m: &Manifest, hash: &str) -> Result<bool, Refusal> {
    let office = &header.office_code;
    let seq = bundle_seq(header);
    let held: Option<String> = conn
        .query_row("SELECT bundle_hash FROM bundles WHERE office_code = ?1 AND seq = ?2", params![office, seq], |r| {
            r.get(0)
        })
        .optional()
        .map_err(db)?;
    if let Some(held) = held {
        if held == hash {
            return Ok(true);
        }
        return Err(flagged(
            ErrorCode::SeqConflict,
            format!(
                "警务室 {office} 的第 {seq} 号数据包已导入过，但这次的内容不同（可能是该警务室从旧备份恢复后重新导出，或是伪造的副本）；未合并，请与该警务室核实"
            ),
        ));
    }
    let prev: Option<String> = conn
        .query_row(
            "SELECT bundle_hash FROM bundles WHERE office_code = ?1 AND seq = ?2",
            params![office, seq - 1],
            |r| r.get(0),
        )
        .optional()
        .map_err(db)?;
    if let Some(prev) = prev
        && m.prev_bundle_hash.as_deref() != Some(prev.as_str())
    {
        return Err(flagged(
            ErrorCode::ChainBroken,
            format!(
                "警务室 {office} 的第 {seq} 号数据包与本站已有的第 {} 号数据包接不上（历史被改写）；未合并",
                seq - 1
            ),
        ));
    }
    let next: Option<Option<String>> = conn
        .query_row(
            "SELECT prev_bundle_hash FROM bundles WHERE office_code = ?1 AND seq = ?2",
            params![office, seq + 1],
            |r| r.get(0),
        )
        .optional()
        .map_err(db)?;
    if let Some(next_prev) = next
        && next_prev.as_deref() != Some(hash)
    {
        return Err(flagged(
            ErrorCode::ChainBroken,
            format!(
                "警务室 {office} 的第 {seq} 号数据包与本站已有的第 {} 号数据包接不上（历史被改写）；未合并",
                seq + 1
            ),
        ));
    }
    Ok(false)
}

/// Writes one bundle's records, one at a time, and counts what each changed.
pub(super) struct RecordWriter<'c> {
    office: &'c str,
    seq: i64,
    changes: BTreeMap<&'static str, RegisterChanges>,
    seen: HashSet<Uuid>,
    lookup: CachedStatement<'c>,
    insert_new: CachedStatement<'c>,
    replace: CachedStatement<'c>,
}

impl<'c> RecordWriter<'c> {
    pub(super) fn new(conn: &'c Connection, header: &'c BundleHeader, records: usize) -> Result<Self, Refusal> {
        let lookup = conn
            .prepare_cached("SELECT office_code, version, content_hash, voided FROM county_records WHERE id = ?1")
            .map_err(db)?;
        // A record the station does not hold yet (every record of an office's first bundle) is
        // written by one statement: the insert finds its place in the county table's key once,
        // instead of once to look the record up and again to write it. Only when the id is taken
        // is the held version looked up and compared.
        let insert_new = conn
            .prepare_cached(
                "INSERT INTO county_records (id, office_code, register, version, change_seq, created_at, created_by,
                     updated_at, updated_by, voided, void_reason, record_date, household_id, title, data, content_hash, bundle_seq)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
                 ON CONFLICT (id) DO NOTHING",
            )
            .map_err(db)?;
        let replace = conn
            .prepare_cached(
                "UPDATE county_records SET register = ?3, version = ?4, change_seq = ?5, created_at = ?6,
                     created_by = ?7, updated_at = ?8, updated_by = ?9, voided = ?10, void_reason = ?11,
                     record_date = ?12, household_id = ?13, title = ?14, data = ?15, content_hash = ?16, bundle_seq = ?17
                 WHERE id = ?1 AND office_code = ?2",
            )
            .map_err(db)?;
        Ok(RecordWriter {
            office: &header.office_code,
            seq: bundle_seq(header),
            changes: BTreeMap::new(),
            seen: HashSet::with_capacity(records),
            lookup,
            insert_new,
            replace,
        })
    }

    /// A higher version replaces the one held, a lower one is ignored, the same version must have
    /// the same content; a record of another office, or twice in the bundle, refuses the bundle.
    pub(super) fn write(&mut self, r: &Incoming) -> Result<(), Refusal> {
        if !self.seen.insert(r.meta.id) {
            return Err(flagged(ErrorCode::RecordConflict, format!("数据包中记录 {} 出现了两次", r.id)));
        }
        let office = self.office;
        let m = &r.meta;
        let values = params![
            r.id,
            office,
            r.register,
            r.version,
            r.change_seq,
            r.created_at,
            m.created_by,
            r.updated_at,
            m.updated_by,
            r.voided,
            m.void_reason,
            r.record_date,
            r.household_id,
            r.title,
            r.data,
            r.content_hash,
            self.seq
        ];
        let t = self
            .changes
            .entry(r.register)
            .or_insert_with(|| RegisterChanges { register: r.register.to_string(), ..Default::default() });
        if self.insert_new.execute(values).map_err(db)? == 1 {
            t.new += 1;
            return Ok(());
        }
        let held: Option<(String, i64, String, bool)> = self
            .lookup
            .query_row([&r.id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
            .optional()
            .map_err(db)?;
        let Some((owner, version, hash, was_voided)) = held else {
            return Err(refuse(ErrorCode::Database, format!("数据库错误：记录 {} 写入时冲突，却查不到", r.id)));
        };
        if owner != office {
            return Err(flagged(
                ErrorCode::RecordConflict,
                format!("记录 {} 已属于警务室 {owner}，不能由 {office} 改写", r.id),
            ));
        }
        if version == r.version && hash != r.content_hash {
            return Err(flagged(
                ErrorCode::RecordConflict,
                format!(
                    "记录 {}（{}）第 {} 版与本站已有的同一版本内容不同（可能从旧备份恢复后又修改过）；未合并，请与该警务室核实",
                    r.id, r.title, r.version
                ),
            ));
        }
        if version >= r.version {
            t.unchanged += 1;
            return Ok(());
        }
        if r.voided && !was_voided {
            t.voided += 1
        } else {
            t.updated += 1
        }
        self.replace.execute(values).map_err(db)?;
        Ok(())
    }

    /// What the records written changed, register by register.
    pub(super) fn changes(self) -> Vec<RegisterChanges> {
        self.changes.into_values().collect()
    }
}

/// The bundle's row: held from now on, so the same file is recognised and the chain continues.
pub(super) fn record_bundle(
    conn: &Connection,
    header: &BundleHeader,
    m: &Manifest,
    hash: &str,
    records: usize,
    file: &str,
    now: &str,
) -> Result<(), Refusal> {
    conn.execute(
        "INSERT INTO bundles (office_code, seq, bundle_hash, prev_bundle_hash, export_kind, created_at, imported_at,
                              from_change_seq, to_change_seq, prev_to_change_seq, record_count, key_fingerprint, file_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            header.office_code,
            bundle_seq(header),
            hash,
            m.prev_bundle_hash,
            serde_json::to_value(m.export_kind).ok().and_then(|k| k.as_str().map(str::to_string)).unwrap_or_default(),
            m.created_at,
            now,
            m.from_change_seq,
            m.to_change_seq,
            m.prev_to_change_seq,
            i64::try_from(records).unwrap_or(i64::MAX),
            header.office_key_fingerprint,
            file
        ],
    )
    .map_err(db)?;
    Ok(())
}

/// Applies one verified bundle on `conn`, which the caller holds in a transaction or savepoint.
pub(super) fn apply(conn: &Connection, v: &Verified, file: &str, now: &str) -> Result<Applied, Refusal> {
    if chain(conn, &v.header, &v.manifest, &v.hash)? {
        return Ok(Applied::AlreadyImported);
    }
    let mut writer = RecordWriter::new(conn, &v.header, v.records.len())?;
    for r in &v.records {
        writer.write(r)?;
    }
    let changes = writer.changes();
    record_bundle(conn, &v.header, &v.manifest, &v.hash, v.records.len(), file, now)?;
    Ok(Applied::Done(changes))
}
