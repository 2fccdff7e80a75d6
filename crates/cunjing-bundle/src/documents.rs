//! The small signed files that travel beside bundles: the station's enrollment file for an
//! office, the office's public key file back to the station, and the station's receipt. Each
//! is a container (see `container`) whose header is the JSON document and whose body is empty.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::container::{self, Kind, Parts};
use crate::error::{FormatError, FormatResult};
use crate::keys::{PublicKey, SecretSigningKey, StationPublic};

/// The format version these documents and bundles are written in; readers refuse newer ones.
pub const FORMAT_VERSION: u32 = 1;

/// Seals `doc` as the header of a container of `kind`.
pub(crate) fn seal_json<T: Serialize>(
    kind: Kind,
    doc: &T,
    body: &[u8],
    key: &SecretSigningKey,
) -> FormatResult<Vec<u8>> {
    let header = serde_json::to_vec(doc).map_err(|e| FormatError::BadHeader(e.to_string()))?;
    Ok(container::seal(kind, &header, body, key))
}

/// Splits a container and parses its header, refusing future format versions first (a newer
/// build may have changed anything else about the document).
pub(crate) fn open_json<T: DeserializeOwned>(bytes: &[u8], kind: Kind) -> FormatResult<(T, Parts<'_>)> {
    let parts = container::split(bytes, kind)?;
    let value: serde_json::Value =
        serde_json::from_slice(parts.header).map_err(|e| FormatError::BadHeader(e.to_string()))?;
    let found = value
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| FormatError::BadHeader("缺少 format_version".into()))?;
    if found > u64::from(FORMAT_VERSION) {
        return Err(FormatError::FutureFormat {
            found: u32::try_from(found).unwrap_or(u32::MAX),
            supported: FORMAT_VERSION,
        });
    }
    let doc = serde_json::from_value(value).map_err(|e| FormatError::BadHeader(e.to_string()))?;
    Ok((doc, parts))
}

/// Where an office continues its bundle chain after a re-enrollment (a new laptop, or one
/// restored from an old backup): the station's view of the last bundle it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResumePoint {
    pub after_seq: u64,
    pub prev_bundle_hash: String,
    pub prev_to_change_seq: i64,
}

/// Station → office: who the station is, and which office this file enrolls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    pub format_version: u32,
    pub station_name: String,
    pub station_recipient: String,
    pub station_verify_key: String,
    pub office_code: String,
    pub office_name: String,
    pub issued_at: String,
    /// Set when the station re-enrolls an office it already holds bundles from.
    pub resume: Option<ResumePoint>,
}

impl Enrollment {
    pub fn station(&self) -> FormatResult<StationPublic> {
        StationPublic::new(&self.station_recipient, &self.station_verify_key)
    }

    /// Signed by the station's own key, so a damaged file is caught; whether the station is the
    /// right one is for people to check by its fingerprint.
    pub fn seal(&self, station_key: &SecretSigningKey) -> FormatResult<Vec<u8>> {
        seal_json(Kind::Enrollment, self, b"", station_key)
    }

    /// Reads and checks an enrollment file against the key inside it.
    pub fn open(bytes: &[u8]) -> FormatResult<Enrollment> {
        let (doc, parts): (Enrollment, _) = open_json(bytes, Kind::Enrollment)?;
        parts.verify(&doc.station()?.verify_key)?;
        Ok(doc)
    }
}

/// Office → station: the office's public signing key, signed by that key (proof of possession).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeKeyFile {
    pub format_version: u32,
    pub office_code: String,
    pub office_name: String,
    pub public_key: String,
    pub station_fingerprint: String,
    pub created_at: String,
}

impl OfficeKeyFile {
    pub fn key(&self) -> FormatResult<PublicKey> {
        PublicKey::from_hex(&self.public_key)
    }

    pub fn seal(&self, office_key: &SecretSigningKey) -> FormatResult<Vec<u8>> {
        seal_json(Kind::OfficeKey, self, b"", office_key)
    }

    pub fn open(bytes: &[u8]) -> FormatResult<OfficeKeyFile> {
        let (doc, parts): (OfficeKeyFile, _) = open_json(bytes, Kind::OfficeKey)?;
        parts.verify(&doc.key()?)?;
        Ok(doc)
    }
}

/// One bundle the station refused, as reported back to the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptRejection {
    pub seq: u64,
    pub bundle_hash: String,
    pub code: String,
    pub reason: String,
    pub at: String,
}

/// Station → office: what the station holds of this office's bundles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub format_version: u32,
    pub station_name: String,
    pub station_fingerprint: String,
    pub office_code: String,
    pub created_at: String,
    /// The highest bundle number received.
    pub highest_seq: u64,
    /// Every bundle up to this number is received or superseded by a later one.
    pub received_through_seq: u64,
    /// Every change of the office up to this change number is in the county database.
    pub confirmed_change_seq: i64,
    /// Bundle numbers still missing at the station.
    pub missing: Vec<u64>,
    pub rejected: Vec<ReceiptRejection>,
}

impl Receipt {
    pub fn seal(&self, station_key: &SecretSigningKey) -> FormatResult<Vec<u8>> {
        seal_json(Kind::Receipt, self, b"", station_key)
    }

    /// Reads a receipt and checks it was signed by `station` (the key the office enrolled with).
    pub fn open(bytes: &[u8], station: &PublicKey) -> FormatResult<Receipt> {
        let (doc, parts): (Receipt, _) = open_json(bytes, Kind::Receipt)?;
        parts.verify(station)?;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::StationSecret;

    fn receipt(station: &StationSecret) -> Receipt {
        Receipt {
            format_version: FORMAT_VERSION,
            station_name: "城关派出所".into(),
            station_fingerprint: station.public().fingerprint(),
            office_code: "X1".into(),
            created_at: "2026-11-29T10:00:00+08:00".into(),
            highest_seq: 3,
            received_through_seq: 3,
            confirmed_change_seq: 40,
            missing: vec![],
            rejected: vec![],
        }
    }

    #[test]
    fn receipt_round_trip_and_wrong_station() {
        let station = StationSecret::generate().expect("keys");
        let other = StationSecret::generate().expect("keys");
        let bytes = receipt(&station).seal(station.signing()).expect("seals");
        assert_eq!(Receipt::open(&bytes, &station.public().verify_key).expect("opens"), receipt(&station));
        assert_eq!(Receipt::open(&bytes, &other.public().verify_key), Err(FormatError::BadSignature));
    }

    #[test]
    fn future_format_is_refused_before_anything_else() {
        let station = StationSecret::generate().expect("keys");
        let mut value = serde_json::to_value(receipt(&station)).expect("json");
        value["format_version"] = 2.into();
        value["something_new"] = true.into();
        let bytes = seal_json(Kind::Receipt, &value, b"", station.signing()).expect("seals");
        assert_eq!(
            Receipt::open(&bytes, &station.public().verify_key),
            Err(FormatError::FutureFormat { found: 2, supported: 1 })
        );
    }

    #[test]
    fn office_key_file_proves_possession() {
        let key = SecretSigningKey::generate().expect("key");
        let other = SecretSigningKey::generate().expect("key");
        let doc = OfficeKeyFile {
            format_version: FORMAT_VERSION,
            office_code: "X1".into(),
            office_name: "东村警务室".into(),
            public_key: key.public().to_hex(),
            station_fingerprint: "AAAA".into(),
            created_at: "2026-11-29T10:00:00+08:00".into(),
        };
        assert_eq!(OfficeKeyFile::open(&doc.seal(&key).expect("seals")).expect("opens"), doc);
        assert_eq!(OfficeKeyFile::open(&doc.seal(&other).expect("seals")), Err(FormatError::BadSignature));
    }
}
