//! Who looked at restricted records (重点对象/关注对象), kept so a supervisor can see every view:
//! detail, list page, history, print, export. Append-only and hash-chained like the audit trail.

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;
use crate::error::CoreResult;
use crate::store::audit::GENESIS_HASH;
use crate::store::office::read_office;
use crate::store::{ChainBreak, Store};

/// What kind of look it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ViewAction {
    Show,
    List,
    History,
    Print,
    Export,
}

impl ViewAction {
    fn code(self) -> &'static str {
        match self {
            ViewAction::Show => "show",
            ViewAction::List => "list",
            ViewAction::History => "history",
            ViewAction::Print => "print",
            ViewAction::Export => "export",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ViewEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub register: String,
    pub record_id: Option<Uuid>,
    pub action: String,
    #[ts(type = "Record<string, unknown>")]
    pub detail: Value,
}

fn entry_hash(
    prev: &str,
    at: &str,
    actor: &str,
    register: &str,
    record: Option<&str>,
    action: &str,
    detail: &str,
) -> String {
    let canonical = serde_json::json!([prev, at, actor, register, record, action, detail]);
    blake3::hash(canonical.to_string().as_bytes()).to_hex().to_string()
}

fn append(
    conn: &Connection,
    at: &str,
    actor: &str,
    register: RegisterKind,
    record: Option<Uuid>,
    action: ViewAction,
    detail: &Value,
) -> rusqlite::Result<()> {
    let prev: String = conn
        .query_row("SELECT hash FROM view_log ORDER BY id DESC LIMIT 1", [], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let record = record.map(|id| id.to_string());
    let detail = detail.to_string();
    let hash = entry_hash(&prev, at, actor, register.code(), record.as_deref(), action.code(), &detail);
    conn.execute(
        "INSERT INTO view_log (at, actor, register, record_id, action, detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![at, actor, register.code(), record, action.code(), detail, prev, hash],
    )?;
    Ok(())
}

impl Store {
    /// Records a look at a restricted register (does nothing for the others). Written and synced
    /// to disk before the data is handed out, so a view that happened is never missing.
    pub fn note_view(
        &self,
        register: RegisterKind,
        record: Option<Uuid>,
        action: ViewAction,
        detail: Value,
    ) -> CoreResult<()> {
        if !register.is_restricted() {
            return Ok(());
        }
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Before setup there is no officer to name, and nothing restricted to see either.
        let actor = read_office(&tx)?.map(|o| o.officer).unwrap_or_else(|| "（未设置警务室）".into());
        append(&tx, &self.now_text(), &actor, register, record, action, &detail)?;
        tx.commit()?;
        Ok(())
    }

    /// The latest `limit` views, newest first.
    pub fn view_log(&self, limit: i64) -> CoreResult<Vec<ViewEntry>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, register, record_id, action, detail FROM view_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit], |r| {
                let record: Option<String> = r.get(4)?;
                let detail: String = r.get(6)?;
                Ok(ViewEntry {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    actor: r.get(2)?,
                    register: r.get(3)?,
                    record_id: record.and_then(|s| Uuid::parse_str(&s).ok()),
                    action: r.get(5)?,
                    detail: serde_json::from_str(&detail).unwrap_or(Value::Null),
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Recomputes the view log's chain: `Ok(n)` entries verified, or where it breaks.
    pub fn verify_view_log(&self) -> CoreResult<Result<i64, ChainBreak>> {
        let conn = self.reader();
        let mut stmt = conn.prepare(
            "SELECT id, at, actor, register, record_id, action, detail, prev_hash, hash FROM view_log ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut expected_prev = GENESIS_HASH.to_string();
        let mut n = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let (at, actor, register): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
            let record: Option<String> = r.get(4)?;
            let (action, detail, prev, hash): (String, String, String, String) =
                (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?);
            if prev != expected_prev {
                return Ok(Err(ChainBreak { entry_id: id, reason: "前一条查看记录被删除或改动".into() }));
            }
            if entry_hash(&prev, &at, &actor, &register, record.as_deref(), &action, &detail) != hash {
                return Ok(Err(ChainBreak { entry_id: id, reason: "本条查看记录被改动".into() }));
            }
            expected_prev = hash;
            n += 1;
        }
        Ok(Ok(n))
    }
}
