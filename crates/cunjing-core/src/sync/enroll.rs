//! Enrollment, office side: the station's enrollment file names this office and carries the
//! station's public keys; importing it creates this office's signing key and the public key
//! file that goes back to the station to be pinned. Re-importing the same file changes
//! nothing; a newer file from the same station replaces the office key (a new laptop) and, when
//! the station holds bundles already, continues the chain after them.

use cunjing_bundle::{Enrollment, FORMAT_VERSION, OfficeKeyFile, SecretSigningKey};
use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{OFFICE_KEY_EXT, identity, refused_file};
use crate::error::{CoreError, CoreResult, ErrorCode};
use crate::store::Store;
use crate::store::office::require_office;

/// What an enrollment file says, shown before it is imported (and by the setup wizard, which
/// takes the office code and name from it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnrollmentPreview {
    pub station_name: String,
    pub station_fingerprint: String,
    pub office_code: String,
    pub office_name: String,
    pub issued_at: String,
    /// The station already holds bundles from this office up to this number.
    pub resume_after_seq: Option<i64>,
}

/// Reads and checks an enrollment file without touching any database.
pub fn preview_enrollment(bytes: &[u8], file: &str) -> CoreResult<EnrollmentPreview> {
    let e = Enrollment::open(bytes).map_err(|e| refused_file(file, &e))?;
    let station = e.station().map_err(|e| refused_file(file, &e))?;
    Ok(EnrollmentPreview {
        station_name: e.station_name,
        station_fingerprint: station.fingerprint(),
        office_code: e.office_code,
        office_name: e.office_name,
        issued_at: e.issued_at,
        resume_after_seq: e.resume.map(|r| i64::try_from(r.after_seq).unwrap_or(i64::MAX)),
    })
}

/// The result of `cunjing enroll`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EnrollOutcome {
    pub station_name: String,
    pub station_fingerprint: String,
    pub office_code: String,
    pub office_key_fingerprint: String,
    /// The public key file to take to the station (`<office-code>.cjk`).
    pub office_key_file_name: String,
    #[serde(skip)]
    #[ts(skip)]
    pub office_key_file: Vec<u8>,
    /// A new key replaced the previous one (re-enrollment).
    pub replaced_key: bool,
    /// The same enrollment file had been imported already; nothing changed.
    pub unchanged: bool,
}

impl Store {
    /// Imports the station's enrollment file (see the module comment).
    pub fn enroll(&self, bytes: &[u8], file: &str) -> CoreResult<EnrollOutcome> {
        let enrollment = Enrollment::open(bytes).map_err(|e| refused_file(file, &e))?;
        let station = enrollment.station().map_err(|e| refused_file(file, &e))?;
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let office = require_office(&tx)?;
        if enrollment.office_code != office.code {
            return Err(CoreError::refused(
                ErrorCode::WrongOffice,
                file,
                format!(
                    "这份登记文件是给「{}」（编码 {}）的，本机的警务室编码是 {}",
                    enrollment.office_name, enrollment.office_code, office.code
                ),
            ));
        }
        let existing = identity::load(&tx)?;
        let (key, replaced, unchanged) = match &existing {
            Some(id) if id.station.verify_key != station.verify_key => {
                return Err(CoreError::refused(
                    ErrorCode::WrongStation,
                    file,
                    format!(
                        "本警务室已登记到「{}」（指纹 {}），这份登记文件来自另一个汇总站（指纹 {}）；更换汇总站需由原汇总站处理",
                        id.station_name,
                        id.station_fingerprint,
                        station.fingerprint()
                    ),
                ));
            }
            Some(id) if id.enrollment_issued_at == enrollment.issued_at => (id.office_key.clone(), false, true),
            Some(_) => (SecretSigningKey::generate().map_err(|e| refused_file(file, &e))?, true, false),
            None => (SecretSigningKey::generate().map_err(|e| refused_file(file, &e))?, false, false),
        };
        if !unchanged {
            let resume = enrollment.resume.as_ref();
            tx.execute(
                "INSERT INTO sync_identity (id, station_name, station_recipient, station_verify_key, station_fingerprint,
                                            office_secret_key, office_public_key, enrolled_at, enrollment_issued_at,
                                            resume_after_seq, resume_prev_hash, resume_prev_to)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (id) DO UPDATE SET
                    station_name = excluded.station_name, station_recipient = excluded.station_recipient,
                    office_secret_key = excluded.office_secret_key, office_public_key = excluded.office_public_key,
                    enrolled_at = excluded.enrolled_at, enrollment_issued_at = excluded.enrollment_issued_at,
                    resume_after_seq = excluded.resume_after_seq, resume_prev_hash = excluded.resume_prev_hash,
                    resume_prev_to = excluded.resume_prev_to",
                params![
                    enrollment.station_name,
                    station.recipient,
                    station.verify_key.to_hex(),
                    station.fingerprint(),
                    key.to_hex(),
                    key.public().to_hex(),
                    self.now_text(),
                    enrollment.issued_at,
                    resume.map_or(0, |r| i64::try_from(r.after_seq).unwrap_or(i64::MAX)),
                    resume.map(|r| r.prev_bundle_hash.clone()),
                    resume.map_or(0, |r| r.prev_to_change_seq),
                ],
            )?;
        }
        if let Some(r) = enrollment.resume.as_ref().filter(|_| !unchanged) {
            // The station numbers this office's changes as the old laptop did: a new or restored
            // laptop continues after the station's last known change, so its new changes are
            // never mistaken for ones the station holds.
            tx.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'changes', 0
                 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'changes')",
                [],
            )?;
            tx.execute("UPDATE sqlite_sequence SET seq = max(seq, ?1) WHERE name = 'changes'", [r.prev_to_change_seq])?;
        }
        let key_file = OfficeKeyFile {
            format_version: FORMAT_VERSION,
            office_code: office.code.clone(),
            office_name: office.name.clone(),
            public_key: key.public().to_hex(),
            station_fingerprint: station.fingerprint(),
            created_at: self.now_text(),
        }
        .seal(&key)
        .map_err(|e| refused_file(file, &e))?;
        // The station can now recover a forgotten passphrase: its wrap of the data key goes into
        // the key file before the enrollment is committed (a wrap for a station whose enrollment
        // then failed opens nothing it could not open anyway).
        crate::vault::set_station_wrap(self.path(), self.key(), &station, &format!("{} {}", office.code, office.name))?;
        tx.commit()?;
        Ok(EnrollOutcome {
            station_name: enrollment.station_name,
            station_fingerprint: station.fingerprint(),
            office_code: office.code.clone(),
            office_key_fingerprint: key.public().fingerprint(),
            office_key_file_name: format!("{}.{OFFICE_KEY_EXT}", office.code),
            office_key_file: key_file,
            replaced_key: replaced,
            unchanged,
        })
    }
}
