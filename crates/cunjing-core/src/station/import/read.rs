//! Reading a bundle's records: each line is checked against its register's type and turned into
//! what the county table holds. Two readers that agree: the one-pass reader over the JSON text
//! (the fast path, used for every import) and the `Value` reader, which words what is wrong when
//! the fast path gives up.

use cunjing_bundle::Manifest;
use serde::Deserialize;
use serde_json::Value;

use super::{Refusal, refuse};
use crate::domain::codes::CodeEnum;
use crate::domain::record::{META_KEYS, RecordMeta};
use crate::domain::register::Register;
use crate::error::ErrorCode;
use crate::store::dispatch::with_register;
use crate::store::migrations;
use crate::sync::CanonicalObject;
use crate::sync::canonical_hash;

/// One record of a verified bundle, ready for the county table.
pub(super) struct Incoming {
    pub(super) id: String,
    pub(super) register: &'static str,
    pub(super) version: i64,
    pub(super) change_seq: i64,
    pub(super) meta: RecordMeta,
    pub(super) voided: bool,
    pub(super) record_date: Option<String>,
    pub(super) household_id: Option<String>,
    pub(super) title: String,
    pub(super) data: String,
    pub(super) content_hash: String,
    /// The envelope's times as the county table keeps them (RFC 3339), formatted here, on the
    /// checking threads, rather than by the one thread that writes.
    pub(super) created_at: String,
    pub(super) updated_at: String,
}

impl Incoming {
    /// A checked record as the county table keeps it: the envelope's columns, what its
    /// register's type derives (title, date, household), its fields' text and content hash.
    fn new<R: Register>(meta: RecordMeta, fields: &R, data: String, content_hash: String) -> Incoming {
        Incoming {
            id: meta.id.to_string(),
            register: meta.register.code(),
            version: meta.version,
            change_seq: meta.change_seq,
            voided: meta.voided,
            record_date: fields.record_date().map(|d| d.to_string()),
            household_id: fields.household_id().map(|h| h.to_string()),
            title: fields.title(),
            data,
            content_hash,
            created_at: meta.created_at.to_rfc3339(),
            updated_at: meta.updated_at.to_rfc3339(),
            meta,
        }
    }
}

/// Splits a flat record into its envelope and its register's fields, checks the fields against
/// the register's type, and derives what the county table indexes.
pub(super) fn incoming(mut v: Value, m: &Manifest, n: usize) -> Result<Incoming, Refusal> {
    let bad = |why: String| refuse(ErrorCode::SyncFileRefused, format!("数据包第 {n} 条记录无效：{why}"));
    let content_hash = canonical_hash(&v);
    let meta = RecordMeta::deserialize(&v).map_err(|e| bad(e.to_string()))?;
    if meta.change_seq <= m.from_change_seq || meta.change_seq > m.to_change_seq {
        return Err(bad(format!("变更号 {} 不在清单范围内", meta.change_seq)));
    }
    let Some(map) = v.as_object_mut() else { return Err(bad("不是对象".into())) };
    for k in META_KEYS {
        map.remove(*k);
    }
    Ok(with_register!(meta.register, R => {
        let r = R::deserialize(&v).map_err(|e| bad(e.to_string()))?;
        Incoming::new(meta, &r, v.to_string(), content_hash)
    }))
}

/// [`incoming`] in one pass over the record's JSON line, without a `Value`: the line is read
/// into its canonical parts (the content hash's text), the envelope and the register's fields
/// are each parsed into their types from their canonical texts, and the fields' text is what
/// is stored — the same hash, checks and stored text as [`incoming`], at a fraction of the cost.
/// `None` whenever anything is wrong: the caller then takes the slow path, which finds the same
/// fault and words the refusal.
pub(super) fn incoming_line(line: &[u8], m: &Manifest, buffers: &mut (Vec<u8>, Vec<u8>)) -> Option<Incoming> {
    let obj = CanonicalObject::parse(std::str::from_utf8(line).ok()?, std::mem::take(&mut buffers.0)).ok()?;
    let scratch = &mut buffers.1;
    let content_hash = obj.hash(scratch);
    scratch.clear();
    obj.write(scratch, |k| META_KEYS.contains(&k));
    let meta: RecordMeta = serde_json::from_slice(scratch).ok()?;
    if meta.change_seq <= m.from_change_seq || meta.change_seq > m.to_change_seq {
        return None;
    }
    let mut data = Vec::with_capacity(line.len());
    obj.write(&mut data, |k| !META_KEYS.contains(&k));
    buffers.0 = obj.into_buffer();
    let data = String::from_utf8(data).ok()?;
    Some(with_register!(meta.register, R => {
        let r: R = serde_json::from_str(&data).ok()?;
        Incoming::new(meta, &r, data, content_hash)
    }))
}

/// The fast path of verification for a signed, decrypted bundle: every record by
/// [`incoming_line`], then the bundle's own checks of the records against its manifest.
/// `None` if anything is wrong (the slow path then refuses the bundle with the reason).
pub(super) fn incoming_lines(
    sealed: &cunjing_bundle::SealedBundle<'_>,
    secret: &cunjing_bundle::StationSecret,
) -> Option<(Manifest, Vec<Incoming>)> {
    let lines = sealed.open_lines(secret).ok()?;
    if lines.manifest.schema_version > migrations::latest_version() {
        return None;
    }
    let records = check_in_parallel(&lines.lines().collect::<Vec<_>>(), &lines.manifest)?;
    lines
        .check(
            records.iter().map(|r| (Some(r.register), Some(r.change_seq), Some(r.voided))),
            |i| Some(records[i].meta.office_code.as_str()),
            |i| records[i].id.clone(),
        )
        .ok()?;
    Some((lines.manifest, records))
}

/// [`incoming_line`] over every line, on as many threads as the machine has cores (at most 4),
/// each on its own contiguous share and its own buffers; the records come back in the bundle's
/// order. Checking is pure CPU work on independent lines and was the larger half of a big
/// office's import; the one-pass reader allocates little, so the threads do not fight over the
/// allocator (with a `Value` tree per record, two threads measured slower than one).
pub(super) fn check_in_parallel(lines: &[&[u8]], m: &Manifest) -> Option<Vec<Incoming>> {
    let one = |share: &[&[u8]]| -> Option<Vec<Incoming>> {
        let mut buffers = (Vec::with_capacity(4096), Vec::with_capacity(4096));
        share.iter().map(|l| incoming_line(l, m, &mut buffers)).collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    // Small bundles (the usual weekly one) are not worth a thread.
    if threads < 2 || lines.len() < 2_000 {
        return one(lines);
    }
    let share = lines.len().div_ceil(threads);
    let parts: Vec<Option<Vec<Incoming>>> = std::thread::scope(|s| {
        let handles: Vec<_> = lines.chunks(share).map(|chunk| s.spawn(move || one(chunk))).collect();
        handles.into_iter().map(|h| h.join().ok().flatten()).collect()
    });
    let mut records = Vec::with_capacity(lines.len());
    for part in parts {
        records.extend(part?);
    }
    Some(records)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::demo::{DemoConfig, demo_office, fill};
    use crate::domain::RegisterKind;
    use crate::store::{ListQuery, Store};
    use crate::vault::DbKey;

    /// Every record of a demo office, as the one-pass reader and as the `Value` reader see it:
    /// the same envelope, content hash, stored text and derived columns — and the one-pass
    /// reader does not give up on any of them (it would fall back to the slow path).
    #[test]
    fn one_pass_reads_every_demo_record_as_the_value_path_does() {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(crate::FixedClock::parse("2026-11-28T10:00:00+08:00").expect("clock"));
        let store = Store::create(&dir.path().join("office.db"), &demo_office(), &DbKey::Plain, clock).expect("office");
        fill(&store, &DemoConfig { households: 40, years: 1, seed: 3 }, &mut |_| {}).expect("demo");
        let m: Manifest = serde_json::from_value(serde_json::json!({
            "format_version": 1, "office_code": "x", "office_name": "x", "seq": 1, "prev_bundle_hash": null,
            "created_at": "", "schema_version": 1, "export_kind": "full", "from_change_seq": 0,
            "to_change_seq": i64::MAX, "prev_to_change_seq": 0, "registers": {}
        }))
        .expect("manifest");
        let mut buffers = (Vec::new(), Vec::new());
        let mut seen = 0;
        let mut all_lines = Vec::new();
        for kind in RegisterKind::ALL.iter().copied() {
            let q = ListQuery { include_voided: true, limit: 1000, ..ListQuery::default() };
            for v in store.list(kind, &q).expect("lists").items {
                let line = serde_json::to_vec(&v).expect("json");
                all_lines.push(line.clone());
                let fast = incoming_line(&line, &m, &mut buffers).expect("the one-pass reader takes it");
                let slow = incoming(v, &m, 1).map_err(|r| r.message).expect("the Value reader takes it");
                assert_eq!(
                    (&fast.id, fast.register, fast.version, fast.change_seq, &fast.meta, fast.voided),
                    (&slow.id, slow.register, slow.version, slow.change_seq, &slow.meta, slow.voided)
                );
                assert_eq!(
                    (&fast.record_date, &fast.household_id, &fast.title, &fast.data, &fast.content_hash),
                    (&slow.record_date, &slow.household_id, &slow.title, &slow.data, &slow.content_hash)
                );
                seen += 1;
            }
        }
        assert!(seen > 500, "{seen}");
        // The threaded check (taken from 2,000 lines) gives the same records in the same order,
        // and gives up on the whole bundle when one line anywhere is bad.
        let many: Vec<&[u8]> = all_lines.iter().cycle().take(5_003).map(Vec::as_slice).collect();
        let threaded = check_in_parallel(&many, &m).expect("all good");
        assert_eq!(threaded.len(), many.len());
        for (line, got) in many.iter().zip(&threaded) {
            let one = incoming_line(line, &m, &mut buffers).expect("good");
            assert_eq!((&one.id, &one.content_hash, &one.data), (&got.id, &got.content_hash, &got.data));
        }
        let mut spoiled = many.clone();
        spoiled[4_321] = b"{\"id\":1}";
        assert!(check_in_parallel(&spoiled, &m).is_none());
        // Out of the manifest's range, or not a record at all: the one-pass reader gives up.
        let narrow = Manifest { to_change_seq: 0, ..m.clone() };
        let any = store.list(RegisterKind::Residents, &ListQuery::default()).expect("lists").items.remove(0);
        assert!(incoming_line(&serde_json::to_vec(&any).expect("json"), &narrow, &mut buffers).is_none());
        assert!(incoming_line(b"[1]", &m, &mut buffers).is_none());
        assert!(incoming_line(b"{\"id\":1}", &m, &mut buffers).is_none());
    }
}
