//! Shared pieces of the fuzz targets: fixed test keys, the payload target's input encoding and
//! the seed corpus (valid files, so the fuzzer starts past the signature).
//!
//! TEST-ONLY KEYS. They were generated once with cunjing-bundle's own functions
//! (`SecretSigningKey::generate`, `StationSecret::generate`, `to_hex`, `to_texts`) and pasted in
//! here so that fuzz runs and crash files are reproducible. They protect nothing: never use them
//! for a real office or station.

use std::collections::BTreeMap;
use std::str::FromStr;

use cunjing_bundle::container::{self, Kind};
use cunjing_bundle::{
    BundleHeader, DataKey, Enrollment, ExportKind, FORMAT_VERSION, KdfParams, KeyFile, KeyFileRole, Manifest,
    OfficeKeyFile, Receipt, ReceiptRejection, ResumePoint, SecretSigningKey, StationSecret, write_bundle,
};
use serde_json::{Value, json};

/// Test-only office signing key (Ed25519, hex). Public half: 51483cde…f70, fingerprint BD97-592A-FD2B-163F-67CE.
pub const OFFICE_SECRET_HEX: &str = "2318aae1a6aa4c526a6b96969156e03d37e0f63ea2ccdc27f00b0a41b95eaeba";
/// Test-only station age identity.
pub const STATION_AGE_IDENTITY: &str = "AGE-SECRET-KEY-12YQZ86LPHH5J70CLK472XHXGH2XG0GVZX2F7J33VESUWVGY0U5WSSYENJC";
/// Test-only station signing key (Ed25519, hex). Station fingerprint 7A09-B50E-6A62-47BE-6FE2.
pub const STATION_SIGNING_HEX: &str = "f62b41eb0c5dd3cca590786e5978b40adf39a1ac1f83ea1cd745f5b71bba84ae";

/// The office code every seed and the payload target's fixed header use.
pub const OFFICE_CODE: &str = "FUZZ-01";

/// The fixed keys, parsed once.
pub struct Keys {
    pub office: SecretSigningKey,
    pub station: StationSecret,
    pub recipient: age::x25519::Recipient,
}

#[allow(clippy::expect_used)]
pub fn keys() -> &'static Keys {
    static KEYS: std::sync::OnceLock<Keys> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let office = SecretSigningKey::from_hex(OFFICE_SECRET_HEX).expect("test office key");
        let station = StationSecret::from_texts(STATION_AGE_IDENTITY, STATION_SIGNING_HEX).expect("test station keys");
        let recipient = age::x25519::Recipient::from_str(&station.public().recipient).expect("test recipient");
        Keys { office, station, recipient }
    })
}

/// The header a bundle from the test office to the test station carries.
pub fn fixed_header(seq: u64) -> BundleHeader {
    let k = keys();
    BundleHeader {
        format_version: FORMAT_VERSION,
        office_code: OFFICE_CODE.into(),
        seq,
        station_fingerprint: k.station.public().fingerprint(),
        office_key_fingerprint: k.office.public().fingerprint(),
    }
}

/// Flag bits of the first byte of a `bundle_payload` input.
pub const FLAG_COMPRESS: u8 = 1;
pub const FLAG_HEADER: u8 = 2;

/// Turns a `bundle_payload` input into a bundle file signed by the test office and encrypted
/// to the test station:
///
/// ```text
/// flags  1 byte   bit 0: zstd-compress the payload here (else it is the compressed stream itself)
///                 bit 1: a header of the input's own follows (else `fixed_header(1)`)
/// [hlen  u16 BE, header hlen bytes]   only with bit 1
/// payload         the rest: JSON lines (manifest, records), or a raw zstd stream
/// ```
///
/// None when the input is too short to say.
pub fn seal_payload(data: &[u8]) -> Option<Vec<u8>> {
    let (&flags, mut rest) = data.split_first()?;
    let header = if flags & FLAG_HEADER != 0 {
        let len = usize::from(u16::from_be_bytes([*rest.first()?, *rest.get(1)?]));
        let header = rest.get(2..2 + len)?.to_vec();
        rest = &rest[2 + len..];
        header
    } else {
        serde_json::to_vec(&fixed_header(1)).ok()?
    };
    let compressed = if flags & FLAG_COMPRESS != 0 { zstd::encode_all(rest, 1).ok()? } else { rest.to_vec() };
    let k = keys();
    let ciphertext = age::encrypt(&k.recipient, &compressed).ok()?;
    Some(container::seal(Kind::Bundle, &header, &ciphertext, &k.office))
}

/// Encodes a `bundle_payload` input (the inverse of `seal_payload`'s parsing).
pub fn payload_input(flags: u8, header: Option<&[u8]>, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![flags | if header.is_some() { FLAG_HEADER } else { 0 }];
    if let Some(h) = header {
        out.extend_from_slice(&(h.len() as u16).to_be_bytes());
        out.extend_from_slice(h);
    }
    out.extend_from_slice(payload);
    out
}

pub fn manifest(seq: u64, kind: ExportKind) -> Manifest {
    Manifest {
        format_version: FORMAT_VERSION,
        office_code: OFFICE_CODE.into(),
        office_name: "模糊测试村警务室".into(),
        seq,
        prev_bundle_hash: if seq > 1 { Some("0".repeat(64)) } else { None },
        created_at: "2026-11-29T10:00:00+08:00".into(),
        schema_version: 5,
        export_kind: kind,
        from_change_seq: 0,
        to_change_seq: 9,
        prev_to_change_seq: 0,
        registers: BTreeMap::new(),
    }
}

/// A few records of every register, shaped like the CLI's flat record objects.
pub fn records() -> Vec<Value> {
    let base = |id: &str, register: &str, seq: i64, voided: bool| {
        json!({"id": id, "register": register, "office_code": OFFICE_CODE, "change_seq": seq, "version": 1,
               "voided": voided, "created_at": "2026-11-28T09:00:00+08:00", "updated_at": "2026-11-28T09:00:00+08:00"})
    };
    let mut h = base("00000000-0000-4000-8000-000000000001", "households", 1, false);
    h["village"] = "翠月湖村".into();
    h["address"] = "三组 12 号".into();
    let mut r = base("00000000-0000-4000-8000-000000000002", "residents", 2, false);
    r["name"] = "王芳".into();
    r["id_number"] = "110101199003070024".into();
    r["household_id"] = h["id"].clone();
    let mut d = base("00000000-0000-4000-8000-000000000003", "disputes", 3, true);
    d["status"] = "mediated".into();
    d["parties"] = json!([{"name": "张三"}, {"name": "李四"}]);
    let mut p = base("00000000-0000-4000-8000-000000000004", "patrols", 4, false);
    p["distance_km"] = json!(3.5);
    let mut v = base("00000000-0000-4000-8000-000000000005", "visits", 9, false);
    v["purposes"] = json!(["info_check", "safety_publicity"]);
    v["note"] = json!(null);
    vec![h, r, d, p, v]
}

/// The JSON-lines plaintext of a bundle (what `write_bundle` compresses), with a consistent
/// manifest.
pub fn plaintext(seq: u64, records: &[Value]) -> Vec<u8> {
    let mut m = manifest(seq, ExportKind::Changes);
    m.registers = cunjing_bundle::bundle::summarise(records).unwrap_or_default();
    let mut out = serde_json::to_vec(&m).unwrap_or_default();
    for r in records {
        out.push(b'\n');
        out.extend_from_slice(r.to_string().as_bytes());
    }
    out
}

/// Named seed files for each target.
pub fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let k = keys();
    let station = k.station.public();
    let recs = records();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    match target {
        "bundle_reader" => {
            for (name, seq, n) in [("empty", 1, 0), ("one", 2, 1), ("all", 3, recs.len())] {
                if let Ok(b) = write_bundle(&manifest(seq, ExportKind::Changes), &recs[..n], &k.office, &station) {
                    out.push((format!("{name}.cjb"), b));
                }
            }
            if let Ok(b) = write_bundle(&manifest(4, ExportKind::Full), &recs, &k.office, &station) {
                out.push(("truncated.cjb".into(), b[..b.len() / 2].to_vec()));
                out.push(("full.cjb".into(), b));
            }
        }
        "sync_documents" => {
            let enrollment = Enrollment {
                format_version: FORMAT_VERSION,
                station_name: "城关派出所".into(),
                station_recipient: station.recipient.clone(),
                station_verify_key: station.verify_key.to_hex(),
                office_code: OFFICE_CODE.into(),
                office_name: "模糊测试村警务室".into(),
                issued_at: "2026-11-29T10:00:00+08:00".into(),
                resume: None,
            };
            let resumed = Enrollment {
                resume: Some(ResumePoint { after_seq: 7, prev_bundle_hash: "ab".repeat(32), prev_to_change_seq: 120 }),
                ..enrollment.clone()
            };
            let key_file = OfficeKeyFile {
                format_version: FORMAT_VERSION,
                office_code: OFFICE_CODE.into(),
                office_name: "模糊测试村警务室".into(),
                public_key: k.office.public().to_hex(),
                station_fingerprint: station.fingerprint(),
                created_at: "2026-11-29T10:00:00+08:00".into(),
            };
            let receipt = Receipt {
                format_version: FORMAT_VERSION,
                station_name: "城关派出所".into(),
                station_fingerprint: station.fingerprint(),
                office_code: OFFICE_CODE.into(),
                created_at: "2026-11-29T10:00:00+08:00".into(),
                highest_seq: 3,
                received_through_seq: 1,
                confirmed_change_seq: 40,
                missing: vec![2],
                rejected: vec![ReceiptRejection {
                    seq: 3,
                    bundle_hash: "cd".repeat(32),
                    code: "bad_signature".into(),
                    reason: "签名验证失败".into(),
                    at: "2026-11-29T10:00:00+08:00".into(),
                }],
            };
            let signing = k.station.signing();
            for (name, file) in [
                ("enrollment.cje", enrollment.seal(signing)),
                ("enrollment-resume.cje", resumed.seal(signing)),
                ("office-key.cjk", key_file.seal(&k.office)),
                ("receipt.cjr", receipt.seal(signing)),
            ] {
                if let Ok(bytes) = file {
                    out.push((name.into(), bytes));
                }
            }
            // The key file beside an encrypted database and the two recovery files (issue 7),
            // made with the cheapest Argon2 cost the reader accepts.
            let quick = KdfParams { m_kib: 8 * 1024, t: 1, p: 1 };
            if let Ok(data_key) = DataKey::generate()
                && let Ok(mut file) = KeyFile::new(KeyFileRole::Office, &data_key, "模糊测试用的口令", quick)
                && file.set_station(&data_key, &station).is_ok()
            {
                file.label = format!("{OFFICE_CODE} 模糊测试村警务室");
                out.push(("office.db.key".into(), file.to_bytes()));
                if let Ok(request) = file.recovery_request() {
                    out.push(("recovery-request.json".into(), request.to_bytes()));
                    if let Ok(response) = request.answer(&k.station, "0123-4567-89AB-CDEF-GHJK", quick) {
                        out.push(("recovery-response.json".into(), response.to_bytes()));
                    }
                }
            }
        }
        "bundle_payload" => {
            let header = serde_json::to_vec(&fixed_header(1)).unwrap_or_default();
            out.push(("valid.in".into(), payload_input(FLAG_COMPRESS, None, &plaintext(1, &recs))));
            out.push(("manifest-only.in".into(), payload_input(FLAG_COMPRESS, None, &plaintext(1, &[]))));
            out.push(("own-header.in".into(), payload_input(FLAG_COMPRESS, Some(&header), &plaintext(1, &recs))));
            if let Ok(z) = zstd::encode_all(plaintext(1, &recs).as_slice(), 3) {
                out.push(("raw-zstd.in".into(), payload_input(0, None, &z)));
            }
        }
        "record_input" => {
            // First byte: the register (index into RegisterKind::ALL, in its order); the rest: JSON.
            let inputs: [(u8, &str); 8] = [
                (0, r#"{"village":"翠月湖村","group":"三组","house_no":"12号","head_name":"王建国","phone":"13812345678","tags":["registered"]}"#),
                (1, r#"{"name":"王芳","sex":"female","id_number":"11010519491231002X","category":"registered","relation_to_head":"户主"}"#),
                (2, r#"{"accepted_on":"2026-11-02","source":"walk_in","dispute_type":"neighbor","location":"三组","parties":[{"name":"甲","role":"applicant"},{"name":"乙","role":"respondent"}],"people_count":2,"summary":"宅基地","mediators":"李建国"}"#),
                (3, r#"{"date":"2026-11-27","start_time":"19:30","end_time":"01:00","crosses_midnight":true,"kind":"joint","mode":"foot","route":"一组","leader":"李建国","members":["王强"],"headcount":2,"recorder":"李建国"}"#),
                (4, r#"{"date":"2026-11-27","officer":"李建国","head_name":"王建国","address":"三组12号","method":"in_home","purposes":["info_check"],"people_talked":3,"satisfaction":"satisfied"}"#),
                (7, r#"{"date":"2026-11-20","officer":"李建国","in_village":true,"category":"mediation","content":"调处","follow_up_due":"2026-12-01"}"#),
                (9, r#"{"date":"2026-11-05","kind":"pairing","officer":"李建国","beneficiary":"王奶奶","content":"困难","visits":[{"date":"2026-11-20","content":"送米","money_fen":30000}]}"#),
                (12, r#"{"name":"赵某","id_number":"110101202311012176","address":"三组","level":"key","category":"released","reason":"帮教","responsible":"李建国","since":"2026-03-01","checks":[{"date":"2026-11-03","officer":"李建国","method":"in_home","situation":"正常"}]}"#),
            ];
            for (i, (register, json)) in inputs.iter().enumerate() {
                let mut bytes = vec![*register];
                bytes.extend_from_slice(json.as_bytes());
                out.push((format!("record-{i}.json"), bytes));
            }
        }
        _ => {}
    }
    out
}

/// The targets, for the seed writer and the script.
pub const TARGETS: &[&str] = &["bundle_reader", "bundle_payload", "sync_documents", "record_input"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_of_the_valid_kind_opens() {
        let k = keys();
        for (name, bytes) in seeds("bundle_reader").into_iter().filter(|(n, _)| n != "truncated.cjb") {
            let sealed = cunjing_bundle::read_bundle(&bytes).expect(&name);
            sealed.verify(&k.office.public()).expect(&name);
            sealed.open(&k.station).expect(&name);
        }
        for (name, input) in seeds("bundle_payload") {
            let file = seal_payload(&input).expect(&name);
            let sealed = cunjing_bundle::read_bundle(&file).expect(&name);
            sealed.verify(&k.office.public()).expect(&name);
            let contents = sealed.open(&k.station).expect(&name);
            assert!(name.starts_with("manifest-only") || contents.records.len() == records().len(), "{name}");
        }
        let docs = seeds("sync_documents");
        assert_eq!(docs.len(), 4);
        for (name, bytes) in docs {
            let ok = Enrollment::open(&bytes).is_ok()
                || OfficeKeyFile::open(&bytes).is_ok()
                || Receipt::open(&bytes, &k.station.public().verify_key).is_ok();
            assert!(ok, "{name}");
        }
    }
}
