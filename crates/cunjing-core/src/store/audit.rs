//! The audit trail: who did what to which record, when, with the record before and after.
//! Entries are append-only (triggers refuse UPDATE and DELETE) and chained: each carries the
//! BLAKE3 hash of its own content and of the entry before it, so an entry edited or removed
//! outside the product breaks the chain at that point.

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;
use crate::domain::codes::code_enum;

code_enum! {
    AuditAction, "操作" {
        Create = "create", "新建", "Created";
        Update = "update", "修改", "Updated";
        Void = "void", "作废", "Voided";
    }
}

/// The hash the first entry points back to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as the history view shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: AuditAction,
    pub register: RegisterKind,
    pub record_id: Uuid,
    pub version: i64,
    pub change_seq: i64,
    /// The register's fields before the write (`null` on create).
    pub before: Option<Value>,
    pub after: Value,
    /// Top-level fields whose value changed (and `voided` on void).
    pub changed_fields: Vec<String>,
    pub reason: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// What a write hands to [`append`]; `id`, `prev_hash` and `hash` are filled in there.
pub struct NewEntry<'a> {
    pub at: &'a str,
    pub actor: &'a str,
    pub action: AuditAction,
    pub register: RegisterKind,
    pub record_id: Uuid,
    pub version: i64,
    pub change_seq: i64,
    pub before: Option<&'a Value>,
    pub after: &'a Value,
    pub changed_fields: &'a [String],
    pub reason: Option<&'a str>,
}

/// The entry's hash: BLAKE3 over a JSON array of the previous hash and every stored column, so
/// no two different entries can serialise alike.
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev_hash: &str,
    at: &str,
    actor: &str,
    action: &str,
    register: &str,
    record_id: &str,
    version: i64,
    change_seq: i64,
    before: Option<&str>,
    after: &str,
    changed_fields: &str,
    reason: Option<&str>,
) -> String {
    let canonical = serde_json::json!([
        prev_hash,
        at,
        actor,
        action,
        register,
        record_id,
        version,
        change_seq,
        before,
        after,
        changed_fields,
        reason
    ]);
    blake3::hash(canonical.to_string().as_bytes()).to_hex().to_string()
}

pub fn append(tx: &Transaction, e: &NewEntry) -> rusqlite::Result<()> {
    let prev_hash: String = tx
        .query_row("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let before = e.before.map(|v| v.to_string());
    let after = e.after.to_string();
    let changed = serde_json::to_string(e.changed_fields).unwrap_or_else(|_| "[]".into());
    let record_id = e.record_id.to_string();
    let hash = entry_hash(
        &prev_hash,
        e.at,
        e.actor,
        e.action.code(),
        e.register.code(),
        &record_id,
        e.version,
        e.change_seq,
        before.as_deref(),
        &after,
        &changed,
        e.reason,
    );
    tx.execute(
        "INSERT INTO audit_log (at, actor, action, register, record_id, version, change_seq,
                                before, after, changed_fields, reason, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            e.at,
            e.actor,
            e.action.code(),
            e.register.code(),
            record_id,
            e.version,
            e.change_seq,
            before,
            after,
            changed,
            e.reason,
            prev_hash,
            hash
        ],
    )?;
    Ok(())
}

/// Where the chain first fails, if it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChainBreak {
    pub entry_id: i64,
    pub reason: String,
}

/// Recomputes every hash in order. `Ok(n)` is the number of entries verified.
pub fn verify_chain(conn: &Connection) -> rusqlite::Result<Result<i64, ChainBreak>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, register, record_id, version, change_seq, before, after,
                changed_fields, reason, prev_hash, hash FROM audit_log ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_prev = GENESIS_HASH.to_string();
    let mut count = 0;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let prev_hash: String = r.get(12)?;
        let hash: String = r.get(13)?;
        if prev_hash != expected_prev {
            return Ok(Err(ChainBreak {
                entry_id: id, reason: "与前一条记录的链接断开（有记录被删除或插入）".into()
            }));
        }
        let before: Option<String> = r.get(8)?;
        let reason: Option<String> = r.get(11)?;
        let computed = entry_hash(
            &prev_hash,
            &r.get::<_, String>(1)?,
            &r.get::<_, String>(2)?,
            &r.get::<_, String>(3)?,
            &r.get::<_, String>(4)?,
            &r.get::<_, String>(5)?,
            r.get(6)?,
            r.get(7)?,
            before.as_deref(),
            &r.get::<_, String>(9)?,
            &r.get::<_, String>(10)?,
            reason.as_deref(),
        );
        if computed != hash {
            return Ok(Err(ChainBreak { entry_id: id, reason: "内容与哈希不符（记录被改动）".into() }));
        }
        expected_prev = hash;
        count += 1;
    }
    drop(rows);
    // The chain cannot show its own tail cut off, nor a record edited in place: every write in
    // the change log must have its audit entry, and every record must equal its latest entry.
    let missing: Option<i64> = conn
        .query_row(
            "SELECT c.seq FROM changes c WHERE NOT EXISTS
                 (SELECT 1 FROM audit_log a WHERE a.change_seq = c.seq AND a.record_id = c.record_id)
             ORDER BY c.seq LIMIT 1",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(seq) = missing {
        return Ok(Err(ChainBreak {
            entry_id: 0, reason: format!("第 {seq} 号改动没有对应的留痕记录（留痕被删除）")
        }));
    }
    let edited: Option<(i64, String)> = conn
        .query_row(
            "SELECT coalesce(a.id, 0), r.id FROM records r
             LEFT JOIN audit_log a ON a.id = (SELECT max(id) FROM audit_log WHERE record_id = r.id)
             WHERE a.id IS NULL OR a.after <> r.data OR a.version <> r.version OR a.change_seq <> r.change_seq
             ORDER BY a.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((entry_id, record_id)) = edited {
        return Ok(Err(ChainBreak {
            entry_id,
            reason: format!("记录 {record_id} 与其最后一条留痕不符（记录在程序之外被改动）"),
        }));
    }
    Ok(Ok(count))
}

/// A record's history, oldest first.
pub fn history(conn: &Connection, record_id: Uuid) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, at, actor, action, register, record_id, version, change_seq, before, after,
                changed_fields, reason, prev_hash, hash
         FROM audit_log WHERE record_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([record_id.to_string()], |r| {
        let parse_json = |s: String| serde_json::from_str::<Value>(&s).unwrap_or(Value::Null);
        let action: String = r.get(3)?;
        let register: String = r.get(4)?;
        let record_id: String = r.get(5)?;
        Ok(AuditEntry {
            id: r.get(0)?,
            at: r.get(1)?,
            actor: r.get(2)?,
            action: AuditAction::from_code(&action).unwrap_or(AuditAction::Update),
            register: RegisterKind::from_code(&register).unwrap_or(RegisterKind::Households),
            record_id: Uuid::parse_str(&record_id).unwrap_or_default(),
            version: r.get(6)?,
            change_seq: r.get(7)?,
            before: r.get::<_, Option<String>>(8)?.map(parse_json),
            after: parse_json(r.get(9)?),
            changed_fields: serde_json::from_str(&r.get::<_, String>(10)?).unwrap_or_default(),
            reason: r.get(11)?,
            prev_hash: r.get(12)?,
            hash: r.get(13)?,
        })
    })?;
    rows.collect()
}
