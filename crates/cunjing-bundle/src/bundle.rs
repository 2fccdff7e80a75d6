//! Export bundles (`<office-code>-<seq>.cjb`): a container whose plaintext header names the
//! office, the bundle number and the station it is for, and whose body is the age ciphertext of
//! zstd-compressed JSON lines: the manifest, then one record per line (the flat record object of
//! the CLI contract). The office signs header and ciphertext; only the station can decrypt.

use std::collections::BTreeMap;
use std::io::Read;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::container::{Kind, Parts};
use crate::documents::{FORMAT_VERSION, open_json, seal_json};
use crate::error::{FormatError, FormatResult};
use crate::keys::{PublicKey, SecretSigningKey, StationPublic, StationSecret};

/// Decompressed payloads larger than this are refused (a county station's biggest office is
/// ≈ 100 MB of JSON): a bomb cannot exhaust memory.
pub const MAX_PAYLOAD: u64 = 2 << 30;
/// zstd level 3: ≈ 9× smaller in tens of milliseconds; higher levels cost seconds.
const ZSTD_LEVEL: i32 = 3;

/// The readable, signed part: enough to find the office's pinned key and to tell the clerk
/// what the file is before any decryption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleHeader {
    pub format_version: u32,
    pub office_code: String,
    pub seq: u64,
    pub station_fingerprint: String,
    pub office_key_fingerprint: String,
}

/// How the records of a bundle were chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// Everything changed since the previous bundle.
    Changes,
    /// Every record (`--full`).
    Full,
    /// Everything the station has not confirmed by receipt (`--unconfirmed`).
    Unconfirmed,
}

/// Per register: how many records, how many of them voided, and their change-number range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterSummary {
    pub count: u64,
    pub voided: u64,
    pub min_change_seq: i64,
    pub max_change_seq: i64,
}

/// The first line of the encrypted payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub office_code: String,
    pub office_name: String,
    pub seq: u64,
    /// BLAKE3 of the previous bundle file this office wrote (None for its first).
    pub prev_bundle_hash: Option<String>,
    pub created_at: String,
    /// The office database's schema version.
    pub schema_version: i64,
    pub export_kind: ExportKind,
    /// The bundle carries the latest version of every record whose last change number is in
    /// `(from_change_seq, to_change_seq]`.
    pub from_change_seq: i64,
    pub to_change_seq: i64,
    /// `to_change_seq` of the previous bundle: lets the station tell whether a missing bundle
    /// was superseded by a later one.
    pub prev_to_change_seq: i64,
    pub registers: BTreeMap<String, RegisterSummary>,
}

/// Summarises records (flat objects with `register`, `change_seq` and `voided`).
pub fn summarise(records: &[Value]) -> FormatResult<BTreeMap<String, RegisterSummary>> {
    summarise_envelopes(records.iter().map(|r| {
        (
            r.get("register").and_then(Value::as_str),
            r.get("change_seq").and_then(Value::as_i64),
            r.get("voided").and_then(Value::as_bool),
        )
    }))
}

/// [`summarise`] over each record's `register`, `change_seq` and `voided`, however the reader
/// got them (`None`: missing or of the wrong type).
fn summarise_envelopes<'a>(
    records: impl Iterator<Item = (Option<&'a str>, Option<i64>, Option<bool>)>,
) -> FormatResult<BTreeMap<String, RegisterSummary>> {
    let mut out = BTreeMap::new();
    for (i, envelope) in records.enumerate() {
        let (Some(register), Some(seq), Some(voided)) = envelope else {
            return Err(FormatError::BadPayload(format!("第 {} 条记录缺少 register / change_seq / voided", i + 1)));
        };
        count_record(&mut out, register, seq, voided);
    }
    Ok(out)
}

fn count_record(out: &mut BTreeMap<String, RegisterSummary>, register: &str, seq: i64, voided: bool) {
    // A bundle has a handful of registers: look up before allocating a key.
    if !out.contains_key(register) {
        let first = RegisterSummary { count: 0, voided: 0, min_change_seq: seq, max_change_seq: seq };
        out.insert(register.to_string(), first);
    }
    if let Some(s) = out.get_mut(register) {
        s.count += 1;
        s.voided += u64::from(voided);
        s.min_change_seq = s.min_change_seq.min(seq);
        s.max_change_seq = s.max_change_seq.max(seq);
    }
}

/// A bundle's records as they will be written: one JSON object per line, with the summary of
/// their envelopes for the manifest. For a writer that has each record's text already (the
/// office's export writes each line from its stored row; a `Value` per record cost most of a
/// big office's export).
#[derive(Debug, Default)]
pub struct RecordLines {
    /// `\n` before each record: the payload is the manifest followed by this.
    text: Vec<u8>,
    registers: BTreeMap<String, RegisterSummary>,
    count: usize,
}

impl RecordLines {
    /// Adds one record: its envelope, and `write`, which appends the record's JSON object on one
    /// line (the envelope must be the object's own `register`, `change_seq` and `voided`; the
    /// station checks that they agree).
    pub fn push(&mut self, register: &str, change_seq: i64, voided: bool, write: impl FnOnce(&mut Vec<u8>)) {
        self.text.push(b'\n');
        write(&mut self.text);
        count_record(&mut self.registers, register, change_seq, voided);
        self.count += 1;
    }

    /// A flat record object.
    pub fn push_value(&mut self, record: &Value) -> FormatResult<()> {
        let envelope = (
            record.get("register").and_then(Value::as_str),
            record.get("change_seq").and_then(Value::as_i64),
            record.get("voided").and_then(Value::as_bool),
        );
        let (Some(register), Some(seq), Some(voided)) = envelope else {
            return Err(FormatError::BadPayload(format!(
                "第 {} 条记录缺少 register / change_seq / voided",
                self.count + 1
            )));
        };
        let mut bad = None;
        self.push(register, seq, voided, |out| {
            if let Err(e) = serde_json::to_writer(out, record) {
                bad = Some(FormatError::BadPayload(e.to_string()));
            }
        });
        bad.map_or(Ok(()), Err)
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Each record's line, in order.
    pub fn text_lines(&self) -> impl Iterator<Item = &[u8]> {
        self.text.split(|b| *b == b'\n').skip(1)
    }

    /// Per register: how many records, how many voided, their change-number range.
    pub fn registers(&self) -> &BTreeMap<String, RegisterSummary> {
        &self.registers
    }
}

/// Writes a bundle. `manifest.registers` is recomputed from `records`, so it cannot disagree.
pub fn write_bundle(
    manifest: &Manifest,
    records: &[Value],
    office_key: &SecretSigningKey,
    station: &StationPublic,
) -> FormatResult<Vec<u8>> {
    let mut lines = RecordLines::default();
    for r in records {
        lines.push_value(r)?;
    }
    write_bundle_lines(manifest, &lines, office_key, station)
}

/// Writes a bundle of records already written as lines; `manifest.registers` is their summary.
pub fn write_bundle_lines(
    manifest: &Manifest,
    records: &RecordLines,
    office_key: &SecretSigningKey,
    station: &StationPublic,
) -> FormatResult<Vec<u8>> {
    let mut manifest = manifest.clone();
    manifest.format_version = FORMAT_VERSION;
    manifest.registers = records.registers.clone();
    let head = serde_json::to_vec(&manifest).map_err(|e| FormatError::BadPayload(e.to_string()))?;
    let compressed = compress(&[&head, &records.text]).map_err(|e| FormatError::Encrypt(e.to_string()))?;
    let ciphertext =
        age::encrypt(&station.age_recipient()?, &compressed).map_err(|e| FormatError::Encrypt(e.to_string()))?;
    let header = BundleHeader {
        format_version: FORMAT_VERSION,
        office_code: manifest.office_code.clone(),
        seq: manifest.seq,
        station_fingerprint: station.fingerprint(),
        office_key_fingerprint: office_key.public().fingerprint(),
    };
    seal_json(Kind::Bundle, &header, &ciphertext, office_key)
}

/// zstd of the parts one after the other, as one frame (no copy of the parts into one buffer).
fn compress(parts: &[&[u8]]) -> std::io::Result<Vec<u8>> {
    let mut encoder = zstd::stream::write::Encoder::new(Vec::new(), ZSTD_LEVEL)?;
    for part in parts {
        std::io::Write::write_all(&mut encoder, part)?;
    }
    encoder.finish()
}

/// BLAKE3 of a whole file, hex: the bundle's identity in the chain and at the station.
pub fn file_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// A bundle whose structure and header have been read; nothing verified yet.
#[derive(Debug)]
pub struct SealedBundle<'a> {
    parts: Parts<'a>,
    pub header: BundleHeader,
    pub hash: String,
}

/// What a verified, decrypted bundle holds.
#[derive(Debug, Clone, PartialEq)]
pub struct BundleContents {
    pub manifest: Manifest,
    pub records: Vec<Value>,
}

/// Reads a bundle's structure and header (refusing future formats).
pub fn read_bundle(bytes: &[u8]) -> FormatResult<SealedBundle<'_>> {
    let (header, parts): (BundleHeader, _) = open_json(bytes, Kind::Bundle)?;
    Ok(SealedBundle { parts, header, hash: file_hash(bytes) })
}

impl SealedBundle<'_> {
    /// Checks the office's signature over the header and the ciphertext.
    pub fn verify(&self, office_key: &PublicKey) -> FormatResult<()> {
        if office_key.fingerprint() != self.header.office_key_fingerprint {
            // Still verified below: the fingerprint is only a hint for a clearer message.
            return Err(FormatError::BadSignature);
        }
        self.parts.verify(office_key)
    }

    /// Decrypts and parses the payload; checks it is for this station and agrees with the header.
    pub fn open(&self, station: &StationSecret) -> FormatResult<BundleContents> {
        let lines = self.open_lines(station)?;
        let records = lines
            .lines()
            .enumerate()
            .map(|(i, line)| {
                let v: Value = serde_json::from_slice(line)
                    .map_err(|e| FormatError::BadPayload(format!("第 {} 条记录无法解析：{e}", i + 1)))?;
                if v.is_object() {
                    Ok(v)
                } else {
                    Err(FormatError::BadPayload(format!("第 {} 条记录不是对象", i + 1)))
                }
            })
            .collect::<FormatResult<Vec<_>>>()?;
        let envelopes = records.iter().map(|r| {
            (
                r.get("register").and_then(Value::as_str),
                r.get("change_seq").and_then(Value::as_i64),
                r.get("voided").and_then(Value::as_bool),
            )
        });
        lines.check(
            envelopes,
            |i| records[i].get("office_code").and_then(Value::as_str),
            |i| records[i].get("id").and_then(Value::as_str).unwrap_or("?").to_string(),
        )?;
        Ok(BundleContents { manifest: lines.manifest, records })
    }

    /// Decrypts the payload and reads its manifest (checked against the header), leaving the
    /// records as JSON lines for a reader that parses each record its own way, in one pass (the
    /// station: a `Value` per record cost more than all its checks). The reader must then pass
    /// what it read to [`BundleLines::check`], which makes the checks `open` makes.
    pub fn open_lines(&self, station: &StationSecret) -> FormatResult<BundleLines> {
        let ours = station.public().fingerprint();
        if self.header.station_fingerprint != ours {
            return Err(FormatError::WrongStation { expected: ours, found: self.header.station_fingerprint.clone() });
        }
        let compressed = age::decrypt(station.identity(), self.parts.body).map_err(|_| FormatError::DecryptFailed)?;
        let mut payload = Vec::new();
        zstd::stream::read::Decoder::new(compressed.as_slice())
            .map_err(|e| FormatError::BadPayload(e.to_string()))?
            .take(MAX_PAYLOAD + 1)
            .read_to_end(&mut payload)
            .map_err(|e| FormatError::BadPayload(format!("解压失败：{e}")))?;
        if payload.len() as u64 > MAX_PAYLOAD {
            return Err(FormatError::BadPayload("解压后超过 2 GB".into()));
        }
        // The manifest is the first line; every later line (an empty last one included) is a record.
        let (first, mut start) = match payload.iter().position(|b| *b == b'\n') {
            Some(i) => (&payload[..i], Some(i + 1)),
            None => (&payload[..], None),
        };
        let manifest: Manifest =
            serde_json::from_slice(first).map_err(|e| FormatError::BadPayload(format!("清单无法解析：{e}")))?;
        let h = &self.header;
        if manifest.format_version != h.format_version || manifest.office_code != h.office_code || manifest.seq != h.seq
        {
            return Err(FormatError::Mismatch("清单的警务室编码、序号或格式版本与文件头不同".into()));
        }
        let mut lines = Vec::new();
        while let Some(s) = start {
            match payload[s..].iter().position(|b| *b == b'\n') {
                Some(i) => {
                    lines.push(s..s + i);
                    start = Some(s + i + 1);
                }
                None => {
                    lines.push(s..payload.len());
                    start = None;
                }
            }
        }
        Ok(BundleLines { manifest, payload, lines })
    }
}

/// A decrypted bundle whose manifest agrees with its header and whose records are still JSON
/// lines ([`SealedBundle::open_lines`]).
#[derive(Debug)]
pub struct BundleLines {
    pub manifest: Manifest,
    payload: Vec<u8>,
    lines: Vec<std::ops::Range<usize>>,
}

impl BundleLines {
    /// The records, one JSON line each, in the bundle's order.
    pub fn lines(&self) -> impl ExactSizeIterator<Item = &[u8]> {
        self.lines.iter().map(|r| &self.payload[r.clone()])
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The checks of the records against the manifest, from what the reader found in each
    /// record, in order: `register`, `change_seq` and `voided` (`None` when missing or of the
    /// wrong type), the record's `office_code` by index, and its `id` for the message.
    pub fn check<'a>(
        &self,
        envelopes: impl Iterator<Item = (Option<&'a str>, Option<i64>, Option<bool>)>,
        office_code: impl Fn(usize) -> Option<&'a str>,
        id: impl Fn(usize) -> String,
    ) -> FormatResult<()> {
        let m = &self.manifest;
        if summarise_envelopes(envelopes)? != m.registers {
            return Err(FormatError::Mismatch("清单的各登记簿条数与内容不符".into()));
        }
        if let Some(i) = (0..self.lines.len()).find(|i| office_code(*i) != Some(&m.office_code)) {
            return Err(FormatError::Mismatch(format!("记录 {} 不属于警务室 {}", id(i), m.office_code)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn manifest(seq: u64) -> Manifest {
        Manifest {
            format_version: FORMAT_VERSION,
            office_code: "DC01".into(),
            office_name: "东村警务室".into(),
            seq,
            prev_bundle_hash: None,
            created_at: "2026-11-29T10:00:00+08:00".into(),
            schema_version: 5,
            export_kind: ExportKind::Changes,
            from_change_seq: 0,
            to_change_seq: 2,
            prev_to_change_seq: 0,
            registers: BTreeMap::new(),
        }
    }

    fn records() -> Vec<Value> {
        vec![
            json!({"id": "a", "register": "visits", "change_seq": 1, "voided": false, "office_code": "DC01", "note": "走访"}),
            json!({"id": "b", "register": "disputes", "change_seq": 2, "voided": true, "office_code": "DC01"}),
        ]
    }

    #[test]
    fn round_trip() {
        let office = SecretSigningKey::generate().expect("key");
        let station = StationSecret::generate().expect("keys");
        let bytes = write_bundle(&manifest(1), &records(), &office, &station.public()).expect("writes");
        let sealed = read_bundle(&bytes).expect("reads");
        assert_eq!(sealed.header.office_code, "DC01");
        sealed.verify(&office.public()).expect("verifies");
        let contents = sealed.open(&station).expect("opens");
        assert_eq!(contents.records, records());
        assert_eq!(contents.manifest.registers["disputes"].voided, 1);
        // Nothing readable leaks into the file.
        assert!(!bytes.windows("走访".len()).any(|w| w == "走访".as_bytes()));
    }

    #[test]
    fn wrong_station_and_wrong_office_key() {
        let office = SecretSigningKey::generate().expect("key");
        let station = StationSecret::generate().expect("keys");
        let other = StationSecret::generate().expect("keys");
        let bytes = write_bundle(&manifest(1), &records(), &office, &station.public()).expect("writes");
        let sealed = read_bundle(&bytes).expect("reads");
        assert!(matches!(sealed.open(&other), Err(FormatError::WrongStation { .. })));
        let stranger = SecretSigningKey::generate().expect("key");
        assert_eq!(sealed.verify(&stranger.public()), Err(FormatError::BadSignature));
    }

    #[test]
    fn every_byte_flip_is_caught_by_signature_or_decryption() {
        let office = SecretSigningKey::generate().expect("key");
        let station = StationSecret::generate().expect("keys");
        let bytes = write_bundle(&manifest(1), &records(), &office, &station.public()).expect("writes");
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x80;
            let outcome = read_bundle(&bad).and_then(|s| {
                s.verify(&office.public())?;
                s.open(&station)
            });
            assert!(outcome.is_err(), "flip at {i} of {} accepted", bytes.len());
        }
    }
}
