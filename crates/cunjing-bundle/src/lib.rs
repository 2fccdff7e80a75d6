//! The USB sync file formats of Cunjing (docs/bundle-format.md): export bundles, enrollment,
//! office key and receipt files. Pure functions from values to bytes and back: no database,
//! no clock, no file system, so the reader can be fuzzed on its own. All cryptography is from
//! maintained crates (age, ed25519-dalek, blake3); this crate only frames and checks.

pub mod bundle;
pub mod container;
pub mod documents;
pub mod error;
pub mod keys;

pub use bundle::{
    BundleContents, BundleHeader, ExportKind, Manifest, RegisterSummary, SealedBundle, file_hash, read_bundle,
    write_bundle,
};
pub use documents::{Enrollment, FORMAT_VERSION, OfficeKeyFile, Receipt, ReceiptRejection, ResumePoint};
pub use error::{FormatError, FormatResult};
pub use keys::{PublicKey, SecretSigningKey, StationPublic, StationSecret, fingerprint};
