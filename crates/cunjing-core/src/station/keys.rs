//! The station's keys and the offices it trusts: `station init` makes the key pair, `station
//! enroll` hands an office its enrollment file, `station add-office-key` pins the office's key.
//! A pinned key is replaced only after the station has issued a new enrollment for the office.

use cunjing_bundle::{Enrollment, FORMAT_VERSION, OfficeKeyFile, ResumePoint, StationSecret};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{StationInfo, StationStore};
use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::sync::{ENROLLMENT_EXT, refused_file};

/// An enrollment file to hand to an office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnrollmentFile {
    pub office_code: String,
    pub office_name: String,
    pub file_name: String,
    pub station_fingerprint: String,
    /// The office was enrolled before: its next key file may replace the pinned key.
    pub reenrollment: bool,
    #[serde(skip)]
    #[ts(skip)]
    pub bytes: Vec<u8>,
}

/// The result of `station add-office-key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddKeyOutcome {
    pub office_code: String,
    pub office_name: String,
    pub key_fingerprint: String,
    pub replaced_fingerprint: Option<String>,
    pub unchanged: bool,
}

fn check_office_code(code: &str, name: &str) -> CoreResult<()> {
    let mut errors = Vec::new();
    if code.is_empty() || code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        errors.push(FieldError::new(
            ErrorCode::InvalidType,
            "office_code",
            "警务室代码只能由字母、数字和连字符组成，1 到 32 位",
        ));
    }
    if name.trim().is_empty() {
        errors.push(FieldError::new(ErrorCode::Required, "office_name", "「警务室名称」为必填项"));
    }
    if errors.is_empty() { Ok(()) } else { Err(CoreError::Invalid(errors)) }
}

impl StationStore {
    /// Creates the station's key pair. Refuses when the station exists already.
    pub fn init_station(&self, name: &str) -> CoreResult<StationInfo> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::Invalid(vec![FieldError::new(
                ErrorCode::Required,
                "station_name",
                "「汇总站名称」为必填项",
            )]));
        }
        let secret = StationSecret::generate().map_err(|e| refused_file("", &e))?;
        let (age, signing) = secret.to_texts();
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<String> = tx.query_row("SELECT name FROM station", [], |r| r.get(0)).optional()?;
        if let Some(existing) = existing {
            return Err(CoreError::refused(
                ErrorCode::StationExists,
                "",
                format!("本数据库已是汇总站「{existing}」，不会生成新密钥（否则已登记的警务室都要重新登记）"),
            ));
        }
        let info = StationInfo {
            name: name.to_string(),
            fingerprint: secret.public().fingerprint(),
            created_at: self.now_text(),
        };
        tx.execute(
            "INSERT INTO station (id, name, created_at, age_identity, signing_key, fingerprint) VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            params![info.name, info.created_at, age, signing, info.fingerprint],
        )?;
        tx.commit()?;
        Ok(info)
    }

    /// Issues an enrollment file for an office (new, or re-enrolled for a new laptop).
    pub fn enroll_office(&self, code: &str, name: &str) -> CoreResult<EnrollmentFile> {
        let (code, name) = (code.trim(), name.trim());
        check_office_code(code, name)?;
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (info, secret) = self.require_station(&tx)?;
        let now = self.now_text();
        let known: Option<Option<String>> =
            tx.query_row("SELECT public_key FROM offices WHERE code = ?1", [code], |r| r.get(0)).optional()?;
        let resume = tx
            .query_row(
                "SELECT seq, bundle_hash, to_change_seq FROM bundles WHERE office_code = ?1 ORDER BY seq DESC LIMIT 1",
                [code],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)),
            )
            .optional()?
            .map(|(seq, hash, to)| ResumePoint {
                after_seq: u64::try_from(seq).unwrap_or(0),
                prev_bundle_hash: hash,
                prev_to_change_seq: to,
            });
        match known {
            None => {
                tx.execute(
                    "INSERT INTO offices (code, name, enrolled_at, enrollment_issued_at) VALUES (?1, ?2, ?3, ?3)",
                    params![code, name, now],
                )?;
            }
            Some(ref pinned) => {
                tx.execute(
                    "UPDATE offices SET name = ?2, enrollment_issued_at = ?3, rekey_allowed = ?4 WHERE code = ?1",
                    params![code, name, now, pinned.is_some()],
                )?;
            }
        }
        let bytes = Enrollment {
            format_version: FORMAT_VERSION,
            station_name: info.name.clone(),
            station_recipient: secret.public().recipient,
            station_verify_key: secret.public().verify_key.to_hex(),
            office_code: code.to_string(),
            office_name: name.to_string(),
            issued_at: now,
            resume,
        }
        .seal(secret.signing())
        .map_err(|e| refused_file("", &e))?;
        tx.commit()?;
        Ok(EnrollmentFile {
            office_code: code.to_string(),
            office_name: name.to_string(),
            file_name: format!("{code}.{ENROLLMENT_EXT}"),
            station_fingerprint: info.fingerprint,
            reenrollment: known.is_some(),
            bytes,
        })
    }

    /// Pins the office's public key from its key file.
    pub fn add_office_key(&self, bytes: &[u8], file: &str) -> CoreResult<AddKeyOutcome> {
        let doc = OfficeKeyFile::open(bytes).map_err(|e| refused_file(file, &e))?;
        let key = doc.key().map_err(|e| refused_file(file, &e))?;
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (info, _) = self.require_station(&tx)?;
        if doc.station_fingerprint != info.fingerprint {
            return Err(CoreError::refused(
                ErrorCode::WrongStation,
                file,
                format!(
                    "这份公钥文件是为另一个汇总站（指纹 {}）生成的，本站指纹 {}",
                    doc.station_fingerprint, info.fingerprint
                ),
            ));
        }
        let office: Option<(String, Option<String>, Option<String>, bool)> = tx
            .query_row(
                "SELECT name, public_key, key_fingerprint, rekey_allowed FROM offices WHERE code = ?1",
                [&doc.office_code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((name, pinned, pinned_fp, rekey_allowed)) = office else {
            return Err(CoreError::refused(
                ErrorCode::UnknownOffice,
                file,
                format!("本站没有登记警务室 {}，请先为它签发登记文件（cunjing station enroll）", doc.office_code),
            ));
        };
        let new_hex = key.to_hex();
        let outcome = |replaced: Option<String>, unchanged: bool| AddKeyOutcome {
            office_code: doc.office_code.clone(),
            office_name: name.clone(),
            key_fingerprint: key.fingerprint(),
            replaced_fingerprint: replaced,
            unchanged,
        };
        if pinned.as_deref() == Some(new_hex.as_str()) {
            return Ok(outcome(None, true));
        }
        let now = self.now_text();
        if let Some(old) = &pinned {
            if !rekey_allowed {
                return Err(CoreError::refused(
                    ErrorCode::KeyReplacementRefused,
                    file,
                    format!(
                        "警务室 {} 已有登记的密钥（指纹 {}）。更换密钥（如换电脑）须先在本站重新签发登记文件（cunjing station enroll），再导入新公钥",
                        doc.office_code,
                        pinned_fp.clone().unwrap_or_default()
                    ),
                ));
            }
            tx.execute(
                "INSERT INTO retired_office_keys (office_code, public_key, key_fingerprint, retired_at) VALUES (?1, ?2, ?3, ?4)",
                params![doc.office_code, old, pinned_fp.clone().unwrap_or_default(), now],
            )?;
        }
        tx.execute(
            "UPDATE offices SET public_key = ?2, key_fingerprint = ?3, key_pinned_at = ?4, rekey_allowed = 0 WHERE code = ?1",
            params![doc.office_code, new_hex, key.fingerprint(), now],
        )?;
        tx.commit()?;
        Ok(outcome(pinned_fp.filter(|_| pinned.is_some()), false))
    }
}

impl StationStore {
    /// Answers an office's request to recover a forgotten passphrase (see `vault`): returns the
    /// response file and the one-time code the clerk gives the officer in person.
    pub fn answer_recovery(&self, request: &[u8], kdf: crate::vault::KdfParams) -> CoreResult<(Vec<u8>, String)> {
        let (_, secret) = self.require_station(&self.reader())?;
        crate::vault::answer_recovery(request, &secret, kdf)
    }
}
