//! The office's enrollment row and where its bundle chain stands.

use cunjing_bundle::{SecretSigningKey, StationPublic};
use rusqlite::{Connection, OptionalExtension};

use crate::error::{CoreError, CoreResult, ErrorCode};

pub(crate) struct Identity {
    pub station_name: String,
    pub station: StationPublic,
    pub station_fingerprint: String,
    pub office_key: SecretSigningKey,
    pub enrollment_issued_at: String,
    pub resume_after_seq: i64,
    pub resume_prev_hash: Option<String>,
    pub resume_prev_to: i64,
}

pub(crate) fn load(conn: &Connection) -> CoreResult<Option<Identity>> {
    let row = conn
        .query_row(
            "SELECT station_name, station_recipient, station_verify_key, station_fingerprint, office_secret_key,
                    enrollment_issued_at, resume_after_seq, resume_prev_hash, resume_prev_to
             FROM sync_identity WHERE id = 1",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, i64>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((station_name, recipient, verify, fingerprint, secret, issued, after, prev_hash, prev_to)) = row else {
        return Ok(None);
    };
    let damaged = |e: cunjing_bundle::FormatError| {
        CoreError::refused(ErrorCode::Database, "sync_identity", format!("本机保存的同步密钥已损坏：{e}"))
    };
    Ok(Some(Identity {
        station_name,
        station: StationPublic::new(&recipient, &verify).map_err(damaged)?,
        station_fingerprint: fingerprint,
        office_key: SecretSigningKey::from_hex(&secret).map_err(damaged)?,
        enrollment_issued_at: issued,
        resume_after_seq: after,
        resume_prev_hash: prev_hash,
        resume_prev_to: prev_to,
    }))
}

pub(crate) fn require(conn: &Connection) -> CoreResult<Identity> {
    load(conn)?.ok_or_else(|| {
        CoreError::refused(
            ErrorCode::NotEnrolled,
            "",
            "本警务室还没有导入派出所（汇总站）的登记文件，不能导出数据包：请先导入登记文件（cunjing enroll）",
        )
    })
}

/// The last link of the chain: the next bundle is `seq + 1` and points back to `hash`.
pub(crate) struct ChainHead {
    pub seq: i64,
    pub hash: Option<String>,
    pub to_change_seq: i64,
}

pub(crate) fn chain_head(conn: &Connection, id: &Identity) -> CoreResult<ChainHead> {
    let last: Option<(i64, String, i64)> = conn
        .query_row("SELECT seq, bundle_hash, to_change_seq FROM sync_exports ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    Ok(match last {
        // A re-enrollment's resume point wins when the station holds more than this laptop wrote
        // (a new laptop, or one restored from an older backup).
        Some((seq, hash, to)) if seq >= id.resume_after_seq => ChainHead { seq, hash: Some(hash), to_change_seq: to },
        _ => {
            ChainHead { seq: id.resume_after_seq, hash: id.resume_prev_hash.clone(), to_change_seq: id.resume_prev_to }
        }
    })
}

/// The highest change number the station has confirmed by receipt.
pub(crate) fn confirmed_change_seq(conn: &Connection) -> CoreResult<i64> {
    Ok(conn.query_row("SELECT coalesce(max(confirmed_change_seq), 0) FROM sync_receipts", [], |r| r.get(0))?)
}
