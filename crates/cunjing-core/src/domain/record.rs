//! The envelope every stored record carries, whatever its register.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::register::RegisterKind;

/// Identity, version and provenance of a record. In JSON it sits beside the register's own
/// fields (one flat object), so these names are reserved in every register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordMeta {
    /// Made where the record is born; the same at the office and the county.
    pub id: Uuid,
    pub register: RegisterKind,
    /// 1 on creation, +1 on every update or void.
    pub version: i64,
    /// The office's change sequence number of the latest write (export bundles follow it).
    pub change_seq: i64,
    /// The office that owns the record; only it may change the record.
    pub office_code: String,
    pub created_at: DateTime<FixedOffset>,
    pub created_by: String,
    pub updated_at: DateTime<FixedOffset>,
    pub updated_by: String,
    pub voided: bool,
    pub void_reason: Option<String>,
}

/// Keys of [`RecordMeta`]: input may not set them.
pub const META_KEYS: &[&str] = &[
    "id",
    "register",
    "version",
    "change_seq",
    "office_code",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "voided",
    "void_reason",
];

/// A record with its envelope, e.g. `Record<Visit>`; serialises as one flat object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record<T> {
    #[serde(flatten)]
    pub meta: RecordMeta,
    #[serde(flatten)]
    pub data: T,
}
