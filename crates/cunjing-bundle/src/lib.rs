//! The USB sync file formats of Cunjing (docs/bundle-format.md): export bundles, enrollment,
//! office key and receipt files; and the key file beside an encrypted database with its two
//! recovery files (keyfile.rs). Pure functions from values to bytes and back: no database,
//! no clock, no file system, so the reader can be fuzzed on its own. All cryptography is from
//! maintained crates (age, ed25519-dalek, blake3); this crate only frames and checks.

pub mod bundle;
pub mod container;
pub mod documents;
pub mod error;
pub mod keyfile;
pub mod keys;

pub use bundle::{
    BundleContents, BundleHeader, BundleLines, ExportKind, Manifest, RecordLines, RegisterSummary, SealedBundle,
    file_hash, read_bundle, write_bundle, write_bundle_lines,
};
pub use documents::{Enrollment, FORMAT_VERSION, OfficeKeyFile, Receipt, ReceiptRejection, ResumePoint};
pub use error::{FormatError, FormatResult};
pub use keyfile::{
    DataKey, KdfParams, KeyFile, KeyFileRole, RecoveryRequest, RecoveryResponse, check_passphrase,
    generate_recovery_code, normalise_code,
};
pub use keys::{PublicKey, SecretSigningKey, StationPublic, StationSecret, fingerprint};
