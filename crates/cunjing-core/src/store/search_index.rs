//! Keeps the search index in step with the records, inside the same write transaction.

use rusqlite::{Connection, params};
use uuid::Uuid;

use crate::domain::codes::CodeEnum;
use crate::domain::register::{RegisterKind, SearchDoc};
use crate::error::{CoreError, CoreResult};
use crate::search::pinyin_keys::{name_keys, text_keys};
use crate::store::dispatch::search_doc_of;

/// Replaces the index entries of one record.
pub fn index_record(conn: &Connection, id: Uuid, register: RegisterKind, doc: &SearchDoc) -> rusqlite::Result<()> {
    let id = id.to_string();
    // Cached statements: every save runs these (a batch, thousands of times).
    conn.prepare_cached("DELETE FROM search_terms WHERE record_id = ?1")?.execute([&id])?;
    // By rowid through the map: a WHERE on search_text.record_id would scan the whole FTS table.
    conn.prepare_cached(
        "DELETE FROM search_text WHERE rowid = (SELECT text_rowid FROM search_text_rows WHERE record_id = ?1)",
    )?
    .execute([&id])?;
    conn.prepare_cached("DELETE FROM search_text_rows WHERE record_id = ?1")?.execute([&id])?;
    let mut insert =
        conn.prepare_cached("INSERT INTO search_terms (record_id, register, kind, term) VALUES (?1, ?2, ?3, ?4)")?;
    let mut put = |kind: &str, term: &str| -> rusqlite::Result<()> {
        if !term.is_empty() {
            insert.execute(params![id, register.code(), kind, term])?;
        }
        Ok(())
    };
    for name in &doc.names {
        put("name", name)?;
        let keys = name_keys(name);
        put("pinyin", &keys.full)?;
        put("initials", &keys.initials)?;
    }
    for number in &doc.numbers {
        put("number", number)?;
    }
    for place in &doc.places {
        put("place", place)?;
        let keys = text_keys(place);
        put("pinyin", &keys.full)?;
    }
    if !doc.text.trim().is_empty() {
        conn.prepare_cached("INSERT INTO search_text (record_id, body) VALUES (?1, ?2)")?
            .execute(params![id, doc.text])?;
        conn.prepare_cached("INSERT INTO search_text_rows (record_id, text_rowid) VALUES (?1, ?2)")?
            .execute(params![id, conn.last_insert_rowid()])?;
    }
    Ok(())
}

/// Rebuilds the whole index from the stored records (used by the migration hook).
pub fn reindex_all(conn: &Connection) -> CoreResult<()> {
    conn.execute("DELETE FROM search_terms", [])?;
    conn.execute("DELETE FROM search_text", [])?;
    conn.execute("DELETE FROM search_text_rows", [])?;
    let mut stmt = conn.prepare("SELECT id, register, data FROM records")?;
    let rows: Vec<(String, String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    for (id, register, data) in rows {
        let kind = RegisterKind::from_code(&register).ok_or_else(|| {
            CoreError::refused(crate::error::ErrorCode::UnknownRegister, "register", register.clone())
        })?;
        let id = Uuid::parse_str(&id)
            .map_err(|e| CoreError::refused(crate::error::ErrorCode::Database, "id", e.to_string()))?;
        let data: serde_json::Value = serde_json::from_str(&data)?;
        index_record(conn, id, kind, &search_doc_of(kind, &data)?)?;
    }
    Ok(())
}
