//! Errors as data: every failure the core reports has a stable machine code (the closed set
//! [`ErrorCode`]), the field it concerns (a JSON path such as `parties[1].id_number`, empty when
//! it concerns no field) and a Chinese message for the officer. Adapters (CLI, Tauri) pass these
//! through unchanged; they never build messages of their own.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The closed set of error and warning codes. The snake_case string is the wire format
/// (CLI stderr, IPC); adding a variant is fine, renaming one is a breaking change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    // --- input shape ---
    InvalidJson,
    UnknownField,
    ReadOnlyField,
    InvalidType,
    Required,
    TooLong,
    OutOfRange,
    UnknownCode,
    DuplicateValue,
    // --- dates and times ---
    InvalidDate,
    FutureDate,
    InvalidTime,
    EndBeforeStart,
    // --- identity documents and phones ---
    IdNumberLength,
    IdNumberCharset,
    IdNumberBirthDate,
    IdNumberBirthOutOfRange,
    IdNumberChecksum,
    IdNumberSexMismatch,
    IdNumberBirthMismatch,
    IdNumberUnknownRegion,
    InvalidPhone,
    // --- register rules ---
    TooFewParties,
    OutcomeNoteRequired,
    ReferredToRequired,
    InvalidStatusTransition,
    FollowupRequired,
    ReferenceNotFound,
    ReferenceVoided,
    // --- records and the store ---
    RecordNotFound,
    RecordVoided,
    AlreadyVoided,
    OfficeExists,
    NoOffice,
    SchemaTooNew,
    UnknownRegister,
    // --- USB sync (bundles, enrollment, receipts) ---
    /// A sync file is damaged, forged, for another station, or of a newer format.
    SyncFileRefused,
    NotEnrolled,
    AlreadyEnrolled,
    WrongOffice,
    WrongStation,
    UnknownOffice,
    OfficeKeyMissing,
    KeyReplacementRefused,
    /// The same bundle number arrived with different content (an old backup, a forged copy).
    SeqConflict,
    ChainBroken,
    RecordConflict,
    NoStation,
    StationExists,
    WrongDatabaseKind,
    Database,
    Io,
    // --- printing ---
    PrintFailed,
    // --- durability (backups, restore, checks) ---
    /// The disk (or the stick) is full: the operation was not done, the previous state is intact.
    DiskFull,
    /// A backup file that is damaged, of another kind, or from a newer version.
    BackupRefused,
    /// The database failed its integrity check or its audit chain does not verify.
    DatabaseDamaged,
    // --- spreadsheets (import and export of tables) ---
    /// A file that is not a readable spreadsheet (or CSV) of a kind we read or write.
    TableFileRefused,
    /// A restricted register (重点对象) was asked for without saying so explicitly.
    RestrictedRegister,
    // --- encryption at rest (vault) ---
    /// The passphrase (or recovery code) does not open the key file.
    WrongPassphrase,
    /// A new passphrase that is too short.
    WeakPassphrase,
    /// The database is encrypted and no passphrase was given (or the key file is missing).
    PassphraseRequired,
    /// The key file beside the database, or a recovery file, is damaged or of another kind.
    KeyFileRefused,
    /// The desktop app is locked (idle lock): unlock with the passphrase first.
    Locked,
}

impl ErrorCode {
    /// The wire string, e.g. `id_number_checksum` (serde's name is the single source of truth).
    pub fn as_str(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            _ => String::from("unknown"),
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.as_str())
    }
}

/// One problem with one field: the unit of validation output and of the IPC error wire format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldError {
    pub code: ErrorCode,
    /// JSON path of the field (`date`, `parties[1].id_number`); empty when no single field.
    pub field: String,
    /// Chinese, for the officer.
    pub message: String,
}

impl FieldError {
    pub fn new(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { code, field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let field = if self.field.is_empty() { "-" } else { &self.field };
        write!(f, "{} {} {}", self.code, field, self.message)
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input breaks one or more rules; nothing was written.
    #[error("输入有误（{} 处）", .0.len())]
    Invalid(Vec<FieldError>),
    /// A refusal that is about the request, not a field (record missing, voided, …).
    #[error("{}", .0.message)]
    Refused(FieldError),
    #[error(
        "数据库文件由更新版本的村警台账写入（结构版本 {found}，本程序支持到 {supported}），请升级程序后再打开；文件未被改动"
    )]
    SchemaTooNew { found: i64, supported: i64 },
    #[error("数据库错误：{0}")]
    Database(#[from] rusqlite::Error),
    #[error("数据库升级失败：{0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("读写文件失败：{0}")]
    Io(#[from] std::io::Error),
    #[error("数据格式错误：{0}")]
    Json(#[from] serde_json::Error),
    /// Typesetting a document failed (a template or font fault, not the caller's input).
    #[error("生成打印文件失败：{0}")]
    Print(String),
}

impl CoreError {
    pub fn refused(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        CoreError::Refused(FieldError::new(code, field, message))
    }

    /// Whether the disk (or the removable medium) ran out of space.
    pub fn is_disk_full(&self) -> bool {
        match self {
            CoreError::Database(rusqlite::Error::SqliteFailure(e, _)) => e.code == rusqlite::ErrorCode::DiskFull,
            // ENOSPC (28) on Linux, ERROR_DISK_FULL (112) / ERROR_HANDLE_DISK_FULL (39) on Windows.
            CoreError::Io(e) => {
                e.kind() == std::io::ErrorKind::StorageFull || matches!(e.raw_os_error(), Some(28 | 39 | 112))
            }
            CoreError::Refused(f) => f.code == ErrorCode::DiskFull,
            CoreError::Migration(rusqlite_migration::Error::RusqliteError { err, .. }) => {
                matches!(err, rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::DiskFull)
            }
            _ => false,
        }
    }

    /// Whether the caller's input is at fault (CLI exit code 2) rather than the system (1).
    pub fn is_input_error(&self) -> bool {
        matches!(self, CoreError::Invalid(_) | CoreError::Refused(_))
    }

    /// The error as wire records: the field errors themselves, or one record with an empty field.
    pub fn to_field_errors(&self) -> Vec<FieldError> {
        match self {
            CoreError::Invalid(errors) => errors.clone(),
            CoreError::Refused(e) => vec![e.clone()],
            CoreError::SchemaTooNew { .. } => {
                vec![FieldError::new(ErrorCode::SchemaTooNew, "", self.to_string())]
            }
            _ if self.is_disk_full() => vec![FieldError::new(ErrorCode::DiskFull, "", DISK_FULL)],
            CoreError::Io(_) => vec![FieldError::new(ErrorCode::Io, "", self.to_string())],
            CoreError::Json(_) => vec![FieldError::new(ErrorCode::InvalidJson, "", self.to_string())],
            CoreError::Print(_) => vec![FieldError::new(ErrorCode::PrintFailed, "", self.to_string())],
            CoreError::Database(_) | CoreError::Migration(_) => {
                vec![FieldError::new(ErrorCode::Database, "", self.to_string())]
            }
        }
    }
}

/// What the officer reads when the disk is full (the write was rolled back, so nothing is lost).
pub const DISK_FULL: &str = "磁盘空间已满，本次操作没有完成，原有数据完好无损。请清理磁盘（或换一个 U 盘）后重试";

pub type CoreResult<T> = Result<T, CoreError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_strings_match_serde() {
        for code in [ErrorCode::IdNumberChecksum, ErrorCode::InvalidJson, ErrorCode::Io] {
            let json = serde_json::to_string(&code).expect("serialises");
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
    }

    #[test]
    fn field_error_wire_format_is_pinned() {
        let e = FieldError::new(ErrorCode::Required, "date", "必填");
        let json = serde_json::to_string(&e).expect("serialises");
        assert_eq!(json, r#"{"code":"required","field":"date","message":"必填"}"#);
    }
}
