//! Station import. Every bundle is verified completely before the database is touched:
//! structure, the pinned office key's signature, decryption for this station, the manifest
//! against the contents, and every record against its register's type. Then, in one transaction
//! per bundle: the bundle number and hash chain against the bundles held, and each record
//! version against the version held — a higher version replaces, a lower one is ignored, the
//! same version must have the same content. The final state is therefore the same whatever
//! order bundles arrive in. A dry run does the same work in a transaction that is rolled back.

use std::collections::{BTreeMap, HashSet};

use cunjing_bundle::{BundleHeader, Manifest, read_bundle};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::StationStore;
use crate::domain::codes::CodeEnum;
use crate::domain::record::{META_KEYS, RecordMeta};
use crate::domain::register::Register;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::dispatch::with_register;
use crate::store::migrations;
use crate::sync::CanonicalObject;
use crate::sync::canonical_hash;

/// A bundle file as read from the stick.
#[derive(Debug, Clone)]
pub struct BundleFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportStatus {
    Imported,
    /// Dry run: would be imported.
    WouldImport,
    AlreadyImported,
    Refused,
}

/// What a bundle changes (or would change) in one register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegisterChanges {
    pub register: String,
    pub new: i64,
    pub updated: i64,
    pub voided: i64,
    /// Versions the station already held (or held newer).
    pub unchanged: i64,
}

/// One bundle's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundleReport {
    pub file: String,
    pub office_code: Option<String>,
    pub office_name: Option<String>,
    pub seq: Option<i64>,
    pub status: ImportStatus,
    /// The machine code of a refusal (`seq_conflict`, `sync_file_refused`, …).
    pub code: Option<ErrorCode>,
    /// Chinese, for the clerk.
    pub message: String,
    pub record_count: i64,
    pub changes: Vec<RegisterChanges>,
}

/// Bundles still missing from one office after the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeGap {
    pub office_code: String,
    pub office_name: String,
    pub missing: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportReport {
    pub dry_run: bool,
    pub bundles: Vec<BundleReport>,
    pub gaps: Vec<OfficeGap>,
}

impl ImportReport {
    pub fn refused(&self) -> usize {
        self.bundles.iter().filter(|b| b.status == ImportStatus::Refused).count()
    }
}

/// Records of one register in a bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegisterTotal {
    pub register: String,
    pub count: i64,
    pub voided: i64,
}

/// Whether the station holds a bundle already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HeldState {
    New,
    AlreadyImported,
    /// The station holds a different bundle under this number.
    SeqConflict,
}

/// A verified bundle's summary (`cunjing bundle inspect`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BundleInspection {
    pub file: String,
    pub office_code: String,
    pub office_name: String,
    pub seq: i64,
    pub created_at: String,
    pub export_kind: String,
    pub from_change_seq: i64,
    pub to_change_seq: i64,
    pub schema_version: i64,
    pub bundle_hash: String,
    pub prev_bundle_hash: Option<String>,
    pub key_fingerprint: String,
    pub record_count: i64,
    pub registers: Vec<RegisterTotal>,
    pub held: HeldState,
}

/// One record of a verified bundle, ready for the county table.
struct Incoming {
    id: String,
    register: &'static str,
    version: i64,
    change_seq: i64,
    meta: RecordMeta,
    voided: bool,
    record_date: Option<String>,
    household_id: Option<String>,
    title: String,
    data: String,
    content_hash: String,
}

struct Verified {
    header: BundleHeader,
    manifest: Manifest,
    hash: String,
    office_name: String,
    records: Vec<Incoming>,
}

impl Verified {
    fn sorted(
        header: BundleHeader,
        manifest: Manifest,
        hash: String,
        office_name: String,
        mut records: Vec<Incoming>,
    ) -> Verified {
        // Written in (register, date) order: the county table appends its rows (station migration
        // 0002) and its two date indexes then grow mostly at their ends instead of taking each
        // row on a random page (the order of records within a bundle means nothing).
        records.sort_unstable_by(|a, b| (a.register, &a.record_date).cmp(&(b.register, &b.record_date)));
        Verified { header, manifest, hash, office_name, records }
    }
}

/// Why a bundle was refused; `flag` when the office is authenticated, so the refusal is kept
/// for the clerk and reported in the office's receipt.
struct Refusal {
    code: ErrorCode,
    message: String,
    flag: bool,
}

fn refuse(code: ErrorCode, message: impl Into<String>) -> Refusal {
    Refusal { code, message: message.into(), flag: false }
}

fn flagged(code: ErrorCode, message: impl Into<String>) -> Refusal {
    Refusal { code, message: message.into(), flag: true }
}

fn format_refusal(e: &cunjing_bundle::FormatError) -> Refusal {
    let code = match e {
        cunjing_bundle::FormatError::WrongStation { .. } => ErrorCode::WrongStation,
        _ => ErrorCode::SyncFileRefused,
    };
    refuse(code, format!("{e}（{}）", e.code()))
}

/// Splits a flat record into its envelope and its register's fields, checks the fields against
/// the register's type, and derives what the county table indexes.
fn incoming(mut v: Value, m: &Manifest, n: usize) -> Result<Incoming, Refusal> {
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
    let (title, record_date, household_id) = with_register!(meta.register, R => {
        let r = R::deserialize(&v).map_err(|e| bad(e.to_string()))?;
        (r.title(), r.record_date().map(|d| d.to_string()), r.household_id().map(|h| h.to_string()))
    });
    Ok(Incoming {
        id: meta.id.to_string(),
        register: meta.register.code(),
        version: meta.version,
        change_seq: meta.change_seq,
        voided: meta.voided,
        meta,
        record_date,
        household_id,
        title,
        data: v.to_string(),
        content_hash,
    })
}

/// [`incoming`] in one pass over the record's JSON line, without a `Value`: the line is read
/// into its canonical parts (the content hash's text), the envelope and the register's fields
/// are each parsed into their types from their canonical texts, and the fields' text is what
/// is stored — the same hash, checks and stored text as [`incoming`], at a fraction of the cost.
/// `None` whenever anything is wrong: the caller then takes the slow path, which finds the same
/// fault and words the refusal.
fn incoming_line(line: &[u8], m: &Manifest, buffers: &mut (Vec<u8>, Vec<u8>)) -> Option<Incoming> {
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
    let (title, record_date, household_id) = with_register!(meta.register, R => {
        let r: R = serde_json::from_str(&data).ok()?;
        (r.title(), r.record_date().map(|d| d.to_string()), r.household_id().map(|h| h.to_string()))
    });
    Some(Incoming {
        id: meta.id.to_string(),
        register: meta.register.code(),
        version: meta.version,
        change_seq: meta.change_seq,
        voided: meta.voided,
        meta,
        record_date,
        household_id,
        title,
        data,
        content_hash,
    })
}

/// The fast path of verification for a signed, decrypted bundle: every record by
/// [`incoming_line`], then the bundle's own checks of the records against its manifest.
/// `None` if anything is wrong (the slow path then refuses the bundle with the reason).
fn incoming_lines(
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
fn check_in_parallel(lines: &[&[u8]], m: &Manifest) -> Option<Vec<Incoming>> {
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

/// What applying a bundle did, or why it could not.
enum Applied {
    Done(Vec<RegisterChanges>),
    AlreadyImported,
}

fn tally<'a>(
    changes: &'a mut BTreeMap<&'static str, RegisterChanges>,
    register: &'static str,
) -> &'a mut RegisterChanges {
    changes.entry(register).or_insert_with(|| RegisterChanges { register: register.to_string(), ..Default::default() })
}

/// Applies one verified bundle on `conn`, which the caller holds in a transaction or savepoint.
fn apply(conn: &Connection, v: &Verified, file: &str, now: &str) -> Result<Applied, Refusal> {
    let db = |e: rusqlite::Error| refuse(ErrorCode::Database, format!("数据库错误：{e}"));
    let office = &v.header.office_code;
    let seq = i64::try_from(v.header.seq).unwrap_or(i64::MAX);
    let held: Option<String> = conn
        .query_row("SELECT bundle_hash FROM bundles WHERE office_code = ?1 AND seq = ?2", params![office, seq], |r| {
            r.get(0)
        })
        .optional()
        .map_err(db)?;
    if let Some(held) = held {
        if held == v.hash {
            return Ok(Applied::AlreadyImported);
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
        && v.manifest.prev_bundle_hash.as_deref() != Some(prev.as_str())
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
        && next_prev.as_deref() != Some(v.hash.as_str())
    {
        return Err(flagged(
            ErrorCode::ChainBroken,
            format!(
                "警务室 {office} 的第 {seq} 号数据包与本站已有的第 {} 号数据包接不上（历史被改写）；未合并",
                seq + 1
            ),
        ));
    }
    let mut changes: BTreeMap<&'static str, RegisterChanges> = BTreeMap::new();
    let mut seen = HashSet::with_capacity(v.records.len());
    let mut lookup = conn
        .prepare_cached("SELECT office_code, version, content_hash, voided FROM county_records WHERE id = ?1")
        .map_err(db)?;
    // A record the station does not hold yet (every record of an office's first bundle) is
    // written by one statement: the insert finds its place in the county table's key once,
    // instead of once to look the record up and again to write it. Only when the id is taken
    // is the held version looked up and compared.
    let mut insert_new = conn
        .prepare_cached(
            "INSERT INTO county_records (id, office_code, register, version, change_seq, created_at, created_by,
                 updated_at, updated_by, voided, void_reason, record_date, household_id, title, data, content_hash, bundle_seq)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT (id) DO NOTHING",
        )
        .map_err(db)?;
    let mut replace = conn
        .prepare_cached(
            "UPDATE county_records SET register = ?3, version = ?4, change_seq = ?5, created_at = ?6,
                 created_by = ?7, updated_at = ?8, updated_by = ?9, voided = ?10, void_reason = ?11,
                 record_date = ?12, household_id = ?13, title = ?14, data = ?15, content_hash = ?16, bundle_seq = ?17
             WHERE id = ?1 AND office_code = ?2",
        )
        .map_err(db)?;
    for r in &v.records {
        if !seen.insert(r.id.as_str()) {
            return Err(flagged(ErrorCode::RecordConflict, format!("数据包中记录 {} 出现了两次", r.id)));
        }
        let m = &r.meta;
        let (created_at, updated_at) = (m.created_at.to_rfc3339(), m.updated_at.to_rfc3339());
        let values = params![
            r.id,
            office,
            r.register,
            r.version,
            r.change_seq,
            created_at,
            m.created_by,
            updated_at,
            m.updated_by,
            r.voided,
            m.void_reason,
            r.record_date,
            r.household_id,
            r.title,
            r.data,
            r.content_hash,
            seq
        ];
        let t = tally(&mut changes, r.register);
        if insert_new.execute(values).map_err(db)? == 1 {
            t.new += 1;
            continue;
        }
        let held: Option<(String, i64, String, bool)> = lookup
            .query_row([&r.id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)))
            .optional()
            .map_err(db)?;
        let Some((owner, version, hash, was_voided)) = held else {
            return Err(refuse(ErrorCode::Database, format!("数据库错误：记录 {} 写入时冲突，却查不到", r.id)));
        };
        if &owner != office {
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
            continue;
        }
        if r.voided && !was_voided {
            t.voided += 1
        } else {
            t.updated += 1
        }
        replace.execute(values).map_err(db)?;
    }
    let mm = &v.manifest;
    conn.execute(
        "INSERT INTO bundles (office_code, seq, bundle_hash, prev_bundle_hash, export_kind, created_at, imported_at,
                              from_change_seq, to_change_seq, prev_to_change_seq, record_count, key_fingerprint, file_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            office,
            seq,
            v.hash,
            mm.prev_bundle_hash,
            serde_json::to_value(mm.export_kind).ok().and_then(|k| k.as_str().map(str::to_string)).unwrap_or_default(),
            mm.created_at,
            now,
            mm.from_change_seq,
            mm.to_change_seq,
            mm.prev_to_change_seq,
            i64::try_from(v.records.len()).unwrap_or(i64::MAX),
            v.header.office_key_fingerprint,
            file
        ],
    )
    .map_err(db)?;
    Ok(Applied::Done(changes.into_values().collect()))
}

impl StationStore {
    /// Verifies a bundle without writing anything: everything but the checks against what the
    /// station holds.
    fn verify(&self, file: &BundleFile) -> Result<Verified, (Option<BundleHeader>, Refusal)> {
        let sealed = read_bundle(&file.bytes).map_err(|e| (None, format_refusal(&e)))?;
        let header = sealed.header.clone();
        let fail = |r: Refusal| (Some(header.clone()), r);
        let conn = self.reader();
        let (_, secret) = self.require_station(&conn).map_err(|e| fail(refuse(ErrorCode::NoStation, e.to_string())))?;
        let office: Option<(String, Option<String>)> = conn
            .query_row("SELECT name, public_key FROM offices WHERE code = ?1", [&header.office_code], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(|e| fail(refuse(ErrorCode::Database, e.to_string())))?;
        let Some((office_name, key)) = office else {
            return Err(fail(refuse(
                ErrorCode::UnknownOffice,
                format!("警务室 {} 没有在本站登记，数据包未导入", header.office_code),
            )));
        };
        let Some(key) = key else {
            return Err(fail(refuse(
                ErrorCode::OfficeKeyMissing,
                format!(
                    "还没有收到警务室 {}（{office_name}）的公钥文件，无法验证数据包（cunjing station add-office-key）",
                    header.office_code
                ),
            )));
        };
        let key = cunjing_bundle::PublicKey::from_hex(&key).map_err(|e| fail(format_refusal(&e)))?;
        if let Err(e) = sealed.verify(&key) {
            let retired: bool = conn
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM retired_office_keys WHERE office_code = ?1 AND key_fingerprint = ?2)",
                    params![header.office_code, header.office_key_fingerprint],
                    |r| r.get(0),
                )
                .unwrap_or(false);
            let message = if retired {
                format!("数据包由警务室 {} 已停用的旧密钥签名（换电脑前导出的），不予导入", header.office_code)
            } else {
                format!("数据包签名与警务室 {} 登记的密钥不符（文件被改动或伪造）：{e}", header.office_code)
            };
            return Err(fail(refuse(ErrorCode::SyncFileRefused, message)));
        }
        drop(conn);
        if let Some((manifest, records)) = incoming_lines(&sealed, &secret) {
            return Ok(Verified::sorted(header, manifest, sealed.hash, office_name, records));
        }
        // Something is wrong with the bundle: the checks again, record by record through a
        // `Value`, to find the first fault and say what it is.
        let contents = sealed.open(&secret).map_err(|e| fail(format_refusal(&e)))?;
        if contents.manifest.schema_version > migrations::latest_version() {
            return Err(fail(refuse(
                ErrorCode::SyncFileRefused,
                format!(
                    "数据包来自更新版本的村警台账（数据结构版本 {}，本程序支持到 {}），请升级汇总站程序",
                    contents.manifest.schema_version,
                    migrations::latest_version()
                ),
            )));
        }
        let manifest = contents.manifest;
        let records = contents
            .records
            .into_iter()
            .enumerate()
            .map(|(i, v)| incoming(v, &manifest, i + 1))
            .collect::<Result<Vec<_>, _>>()
            .map_err(fail)?;
        Ok(Verified::sorted(header, manifest, sealed.hash, office_name, records))
    }

    /// Verifies a bundle and summarises it, without importing (`cunjing bundle inspect`).
    pub fn inspect(&self, file: &BundleFile) -> CoreResult<BundleInspection> {
        let v = self.verify(file).map_err(|(_, r)| CoreError::refused(r.code, file.name.as_str(), r.message))?;
        let m = &v.manifest;
        let held: Option<String> = self
            .reader()
            .query_row(
                "SELECT bundle_hash FROM bundles WHERE office_code = ?1 AND seq = ?2",
                params![m.office_code, i64::try_from(m.seq).unwrap_or(i64::MAX)],
                |r| r.get(0),
            )
            .optional()?;
        Ok(BundleInspection {
            file: file.name.clone(),
            office_code: m.office_code.clone(),
            office_name: v.office_name.clone(),
            seq: i64::try_from(m.seq).unwrap_or(i64::MAX),
            created_at: m.created_at.clone(),
            export_kind: serde_json::to_value(m.export_kind)?.as_str().unwrap_or_default().to_string(),
            from_change_seq: m.from_change_seq,
            to_change_seq: m.to_change_seq,
            schema_version: m.schema_version,
            bundle_hash: v.hash.clone(),
            prev_bundle_hash: m.prev_bundle_hash.clone(),
            key_fingerprint: v.header.office_key_fingerprint.clone(),
            record_count: i64::try_from(v.records.len()).unwrap_or(i64::MAX),
            registers: m
                .registers
                .iter()
                .map(|(k, s)| RegisterTotal {
                    register: k.clone(),
                    count: i64::try_from(s.count).unwrap_or(i64::MAX),
                    voided: i64::try_from(s.voided).unwrap_or(i64::MAX),
                })
                .collect(),
            held: match held {
                None => HeldState::New,
                Some(h) if h == v.hash => HeldState::AlreadyImported,
                Some(_) => HeldState::SeqConflict,
            },
        })
    }

    /// Imports bundles (or, with `dry_run`, reports what they would change and writes nothing).
    pub fn import(&self, files: &[BundleFile], dry_run: bool) -> CoreResult<ImportReport> {
        // Office by office, in bundle order: the result does not depend on it, but the report
        // reads naturally and a gap closes as soon as possible.
        let mut order: Vec<(Option<(String, u64)>, &BundleFile)> = files
            .iter()
            .map(|f| (read_bundle(&f.bytes).ok().map(|s| (s.header.office_code, s.header.seq)), f))
            .collect();
        order.sort_by(|a, b| a.0.cmp(&b.0));
        let now = self.now_text();
        let mut reports = Vec::with_capacity(files.len());
        let mut conn = self.writer();
        if dry_run {
            // Every bundle is applied inside one transaction that is rolled back, so the report
            // is exact even when several bundles touch the same records.
            let mut tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for (_, file) in order {
                reports.push(match self.verify(file) {
                    Err((header, r)) => unverified_report(file, header.as_ref(), r),
                    Ok(v) => {
                        let sp = tx.savepoint()?;
                        let out = apply(&sp, &v, &file.name, &now);
                        if out.is_ok() {
                            sp.commit()?;
                        }
                        verified_report(file, &v, out, true)
                    }
                });
            }
            let gaps = super::query::gaps(&tx)?;
            drop(tx);
            return Ok(ImportReport { dry_run, bundles: reports, gaps });
        }
        for (_, file) in order {
            reports.push(match self.verify(file) {
                Err((header, r)) => unverified_report(file, header.as_ref(), r),
                Ok(v) => {
                    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                    let out = apply(&tx, &v, &file.name, &now);
                    match &out {
                        Ok(_) => tx.commit()?,
                        Err(r) if r.flag => {
                            // Nothing of the bundle is kept, only the note for the clerk.
                            drop(tx);
                            flag(&conn, &v, &file.name, r, &now)?;
                        }
                        Err(_) => drop(tx),
                    }
                    verified_report(file, &v, out, false)
                }
            });
        }
        let gaps = super::query::gaps(&conn)?;
        Ok(ImportReport { dry_run, bundles: reports, gaps })
    }
}

fn flag(conn: &Connection, v: &Verified, file: &str, r: &Refusal, now: &str) -> CoreResult<()> {
    conn.execute(
        "INSERT INTO rejections (office_code, seq, bundle_hash, file_name, code, reason, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            v.header.office_code,
            i64::try_from(v.header.seq).unwrap_or(i64::MAX),
            v.hash,
            file,
            r.code.as_str(),
            r.message,
            now
        ],
    )?;
    Ok(())
}

fn unverified_report(file: &BundleFile, header: Option<&BundleHeader>, r: Refusal) -> BundleReport {
    BundleReport {
        file: file.name.clone(),
        office_code: header.map(|h| h.office_code.clone()),
        office_name: None,
        seq: header.map(|h| i64::try_from(h.seq).unwrap_or(i64::MAX)),
        status: ImportStatus::Refused,
        code: Some(r.code),
        message: r.message,
        record_count: 0,
        changes: vec![],
    }
}

fn verified_report(file: &BundleFile, v: &Verified, out: Result<Applied, Refusal>, dry_run: bool) -> BundleReport {
    let base = BundleReport {
        file: file.name.clone(),
        office_code: Some(v.header.office_code.clone()),
        office_name: Some(v.office_name.clone()),
        seq: Some(i64::try_from(v.header.seq).unwrap_or(i64::MAX)),
        status: ImportStatus::Imported,
        code: None,
        message: String::new(),
        record_count: i64::try_from(v.records.len()).unwrap_or(i64::MAX),
        changes: vec![],
    };
    match out {
        Ok(Applied::Done(changes)) => BundleReport {
            status: if dry_run { ImportStatus::WouldImport } else { ImportStatus::Imported },
            message: if dry_run { "将导入（试导入，未写入）".into() } else { "已导入".into() },
            changes,
            ..base
        },
        Ok(Applied::AlreadyImported) => BundleReport {
            status: ImportStatus::AlreadyImported,
            message: "已导入过（同一数据包），未作改动".into(),
            ..base
        },
        Err(r) => BundleReport { status: ImportStatus::Refused, code: Some(r.code), message: r.message, ..base },
    }
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
