//! Station import. A bundle's file is checked before the database is touched: its structure,
//! the pinned office key's signature, decryption for this station. Its records are checked
//! against the manifest and each against its register's type, and applied in one transaction
//! per bundle: the bundle number and hash chain against the bundles held, and each record
//! version against the version held — a higher version replaces, a lower one is ignored, the
//! same version must have the same content. The final state is therefore the same whatever
//! order bundles arrive in. Nothing of a bundle is committed unless all of it passed.
//!
//! Two paths make the same checks and write the same rows: the import checks records while it
//! writes them (`pipeline.rs`); the checked path checks the whole bundle first (`read.rs`), then
//! applies it (`apply.rs`) — taken by inspection, the dry run (applied in a transaction that is
//! rolled back), and whenever the import finds anything wrong, to word the refusal.

mod apply;
mod pipeline;
mod read;

use cunjing_bundle::{BundleHeader, Manifest, SealedBundle, StationSecret, read_bundle};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use self::apply::{Applied, apply};
use self::read::{Incoming, incoming, incoming_lines};
use super::StationStore;
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::migrations;

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

/// A bundle whose file is sound, signed by the office's pinned key and sealed for this station;
/// its contents are not checked yet.
struct Authentic<'f> {
    sealed: SealedBundle<'f>,
    office_name: String,
    secret: StationSecret,
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
pub(super) struct Refusal {
    code: ErrorCode,
    message: String,
    flag: bool,
}

pub(super) fn refuse(code: ErrorCode, message: impl Into<String>) -> Refusal {
    Refusal { code, message: message.into(), flag: false }
}

pub(super) fn flagged(code: ErrorCode, message: impl Into<String>) -> Refusal {
    Refusal { code, message: message.into(), flag: true }
}

fn format_refusal(e: &cunjing_bundle::FormatError) -> Refusal {
    let code = match e {
        cunjing_bundle::FormatError::WrongStation { .. } => ErrorCode::WrongStation,
        _ => ErrorCode::SyncFileRefused,
    };
    refuse(code, format!("{e}（{}）", e.code()))
}

impl StationStore {
    /// Checks a bundle's file, its office and its signature, without opening its contents.
    fn authenticate<'f>(&self, file: &'f BundleFile) -> Result<Authentic<'f>, (Option<BundleHeader>, Refusal)> {
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
        Ok(Authentic { sealed, office_name, secret })
    }

    /// Verifies a bundle without writing anything: everything but the checks against what the
    /// station holds.
    fn verify(&self, file: &BundleFile) -> Result<Verified, (Option<BundleHeader>, Refusal)> {
        let Authentic { sealed, office_name, secret } = self.authenticate(file)?;
        let header = sealed.header.clone();
        let fail = |r: Refusal| (Some(header.clone()), r);
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
                        verified_report(file, &v.header, &v.office_name, v.records.len(), out, true)
                    }
                });
            }
            let gaps = super::query::gaps(&tx)?;
            drop(tx);
            return Ok(ImportReport { dry_run, bundles: reports, gaps });
        }
        for (_, file) in order {
            let report = match self.import_streaming(&mut conn, file, &now)? {
                Some(report) => report,
                None => self.import_checked(&mut conn, file, &now)?,
            };
            reports.push(report);
        }
        let gaps = super::query::gaps(&conn)?;
        Ok(ImportReport { dry_run, bundles: reports, gaps })
    }

    /// Imports one bundle through the checked path: the whole bundle checked, then applied.
    fn import_checked(&self, conn: &mut Connection, file: &BundleFile, now: &str) -> CoreResult<BundleReport> {
        let v = match self.verify(file) {
            Err((header, r)) => return Ok(unverified_report(file, header.as_ref(), r)),
            Ok(v) => v,
        };
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = apply(&tx, &v, &file.name, now);
        match &out {
            Ok(_) => tx.commit()?,
            Err(r) if r.flag => {
                // Nothing of the bundle is kept, only the note for the clerk.
                drop(tx);
                flag(conn, &v.header, &v.hash, &file.name, r, now)?;
            }
            Err(_) => drop(tx),
        }
        Ok(verified_report(file, &v.header, &v.office_name, v.records.len(), out, false))
    }

    /// Imports one bundle with its records checked while they are written (`pipeline.rs`).
    /// `None`, with nothing written, whenever anything about the bundle is not right: the
    /// checked path then refuses it (or, should it find nothing wrong, imports it) and says why.
    fn import_streaming(
        &self,
        conn: &mut Connection,
        file: &BundleFile,
        now: &str,
    ) -> CoreResult<Option<BundleReport>> {
        let Ok(a) = self.authenticate(file) else { return Ok(None) };
        let header = &a.sealed.header;
        let Ok(lines) = a.sealed.open_lines(&a.secret) else { return Ok(None) };
        if lines.manifest.schema_version > migrations::latest_version() {
            return Ok(None);
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = match apply::chain(&tx, header, &lines.manifest, &a.sealed.hash) {
            Err(_) => return Ok(None),
            // The very file held already: it was checked when it was imported.
            Ok(true) => Applied::AlreadyImported,
            Ok(false) => {
                let Some(changes) = pipeline::check_and_write(&tx, header, &lines) else { return Ok(None) };
                if apply::record_bundle(&tx, header, &lines.manifest, &a.sealed.hash, lines.len(), &file.name, now)
                    .is_err()
                {
                    return Ok(None);
                }
                tx.commit()?;
                Applied::Done(changes)
            }
        };
        Ok(Some(verified_report(file, header, &a.office_name, lines.len(), Ok(out), false)))
    }
}

fn flag(conn: &Connection, header: &BundleHeader, hash: &str, file: &str, r: &Refusal, now: &str) -> CoreResult<()> {
    conn.execute(
        "INSERT INTO rejections (office_code, seq, bundle_hash, file_name, code, reason, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            header.office_code,
            i64::try_from(header.seq).unwrap_or(i64::MAX),
            hash,
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

fn verified_report(
    file: &BundleFile,
    header: &BundleHeader,
    office_name: &str,
    records: usize,
    out: Result<Applied, Refusal>,
    dry_run: bool,
) -> BundleReport {
    let base = BundleReport {
        file: file.name.clone(),
        office_code: Some(header.office_code.clone()),
        office_name: Some(office_name.to_string()),
        seq: Some(i64::try_from(header.seq).unwrap_or(i64::MAX)),
        status: ImportStatus::Imported,
        code: None,
        message: String::new(),
        record_count: i64::try_from(records).unwrap_or(i64::MAX),
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
