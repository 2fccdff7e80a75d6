//! The key file beside an encrypted database, and the two recovery files that carry a forgotten
//! passphrase's way back through the station (docs/decisions/0014-encryption-at-rest.md).
//!
//! A database is encrypted (SQLCipher) with a random 256-bit *data key* that is never stored in
//! the clear. The key file holds that key wrapped several times:
//! - by the officer's passphrase: Argon2id stretches it into a key-encryption key, and
//!   XChaCha20-Poly1305 seals the data key with it;
//! - by the station's age (X25519) public key, once the office is enrolled, so the station can
//!   recover a forgotten passphrase;
//! - optionally by a one-time recovery code (the station's answer to a recovery request, or the
//!   station's own printed 恢复码).
//!
//! Changing the passphrase rewrites one wrap; the database itself is not touched. Every wrap's
//! AEAD binds the file's `key_id` and the wrap's kind, so a wrap cannot be moved between files
//! or kinds. All cryptography is the crates' (argon2, chacha20poly1305, age); this module frames.

use std::str::FromStr;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{FormatError, FormatResult};
use crate::keys::{StationPublic, StationSecret};

/// The format tag and version of the key file; readers refuse other tags and newer versions.
pub const KEY_FILE_FORMAT: &str = "cunjing-key";
pub const RECOVERY_REQUEST_FORMAT: &str = "cunjing-recovery-request";
pub const RECOVERY_RESPONSE_FORMAT: &str = "cunjing-recovery-response";
pub const KEY_FILE_VERSION: u32 = 1;

/// Longest passphrase accepted (bytes): Argon2 takes any length, but a file of megabytes posing
/// as a passphrase is a mistake, not a secret.
const MAX_SECRET_BYTES: usize = 1024;

/// The random key SQLCipher encrypts a database with. Wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.key_id())
    }
}

impl DataKey {
    /// A fresh key from the operating system's random source.
    pub fn generate() -> FormatResult<DataKey> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        getrandom::fill(bytes.as_mut()).map_err(|e| FormatError::Random(e.to_string()))?;
        Ok(DataKey(bytes))
    }

    pub fn from_bytes(bytes: [u8; 32]) -> DataKey {
        DataKey(Zeroizing::new(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// SQLCipher's raw-key literal (`x'<64 hex>'`): used as is, no PBKDF2 on every open.
    pub fn sqlcipher_literal(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("x'{}'", hex::encode(self.0.as_slice())))
    }

    /// A public name for the key: which key file belongs to which database, and which recovery
    /// answer to which request. A keyed hash, so it reveals nothing about the key.
    pub fn key_id(&self) -> String {
        let hash = blake3::keyed_hash(&self.0, b"cunjing key id");
        hex::encode(&hash.as_bytes()[..8])
    }
}

/// Argon2id cost, stored with each wrap so a file written with other settings still opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// 64 MiB, 3 passes, 1 lane: ≈ 0.2 s on the office laptop (release), once per unlock. Above
    /// OWASP's Argon2id floor (19 MiB, 2 passes) while fitting a 4 GB laptop easily.
    pub const DEFAULT: KdfParams = KdfParams { m_kib: 64 * 1024, t: 3, p: 1 };

    /// Refuses costs that would exhaust memory or take minutes (a forged file should not be able
    /// to make the unlock screen allocate gigabytes) and costs below the floor.
    fn checked(self) -> FormatResult<Params> {
        if !(8 * 1024..=1024 * 1024).contains(&self.m_kib) || !(1..=16).contains(&self.t) || !(1..=4).contains(&self.p)
        {
            return Err(FormatError::BadKeyFile(format!(
                "口令派生参数超出范围（内存 {} KiB，{} 轮，{} 路）",
                self.m_kib, self.t, self.p
            )));
        }
        Params::new(self.m_kib, self.t, self.p, Some(32)).map_err(|e| FormatError::BadKeyFile(e.to_string()))
    }
}

/// One wrapped copy of the data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Wrap {
    /// The officer's (or clerk's) passphrase.
    Passphrase(SecretWrap),
    /// A one-time recovery code.
    RecoveryCode(SecretWrap),
    /// The station's age public key; `station_fingerprint` says which station can open it.
    Station { station_fingerprint: String, age_hex: String },
}

/// The data key sealed by a secret a person types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretWrap {
    pub kdf: KdfParams,
    pub salt_hex: String,
    pub nonce_hex: String,
    pub ciphertext_hex: String,
}

fn aad(key_id: &str, kind: &str) -> Vec<u8> {
    format!("{KEY_FILE_FORMAT}/{KEY_FILE_VERSION}|{key_id}|{kind}").into_bytes()
}

fn random<const N: usize>() -> FormatResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| FormatError::Random(e.to_string()))?;
    Ok(bytes)
}

fn stretch(secret: &str, salt: &[u8], kdf: KdfParams) -> FormatResult<Zeroizing<[u8; 32]>> {
    if secret.len() > MAX_SECRET_BYTES {
        return Err(FormatError::BadKeyFile("口令过长".into()));
    }
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, kdf.checked()?)
        .hash_password_into(secret.as_bytes(), salt, out.as_mut())
        .map_err(|e| FormatError::BadKeyFile(e.to_string()))?;
    Ok(out)
}

impl SecretWrap {
    fn seal(key: &DataKey, secret: &str, kdf: KdfParams, kind: &str) -> FormatResult<SecretWrap> {
        let salt: [u8; 16] = random()?;
        let nonce: [u8; 24] = random()?;
        let kek = stretch(secret, &salt, kdf)?;
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(kek.as_slice()));
        let aad = aad(&key.key_id(), kind);
        let ciphertext = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: key.as_bytes(), aad: &aad })
            .map_err(|e| FormatError::Encrypt(e.to_string()))?;
        Ok(SecretWrap {
            kdf,
            salt_hex: hex::encode(salt),
            nonce_hex: hex::encode(nonce),
            ciphertext_hex: hex::encode(ciphertext),
        })
    }

    /// `None` when the secret is wrong (or the wrap was altered: AEAD cannot tell them apart).
    fn open(&self, secret: &str, key_id: &str, kind: &str) -> FormatResult<Option<DataKey>> {
        let salt = decode(&self.salt_hex, "salt")?;
        let nonce = decode(&self.nonce_hex, "nonce")?;
        let ciphertext = decode(&self.ciphertext_hex, "ciphertext")?;
        if nonce.len() != 24 || salt.len() < 8 || ciphertext.len() != 48 {
            return Err(FormatError::BadKeyFile("密钥封装长度不对".into()));
        }
        let kek = stretch(secret, &salt, self.kdf)?;
        let cipher = XChaCha20Poly1305::new(chacha20poly1305::Key::from_slice(kek.as_slice()));
        let aad = aad(key_id, kind);
        let Ok(mut plain) = cipher.decrypt(XNonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: &aad }) else {
            return Ok(None);
        };
        let bytes: [u8; 32] =
            plain.as_slice().try_into().map_err(|_| FormatError::BadKeyFile("数据密钥长度不对".into()))?;
        plain.zeroize();
        let key = DataKey::from_bytes(bytes);
        // The id is bound by the AEAD; checking it again guards against a file whose id was
        // edited together with every wrap's associated data.
        Ok((key.key_id() == key_id).then_some(key))
    }
}

fn decode(text: &str, what: &str) -> FormatResult<Vec<u8>> {
    hex::decode(text).map_err(|_| FormatError::BadKeyFile(format!("{what} 不是十六进制")))
}

/// Which database a key file belongs to (an office's key must not unlock the station's file by
/// mistake; the two are different keys anyway, this gives the clearer message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyFileRole {
    Office,
    Station,
}

/// `office.db.key`: public metadata and the wraps. Holds no secret in the clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    pub role: KeyFileRole,
    pub key_id: String,
    /// Whose database this is (office code and name), set at enrollment; public.
    #[serde(default)]
    pub label: String,
    pub wraps: Vec<Wrap>,
}

impl KeyFile {
    /// A key file for `key` with only the passphrase wrap.
    pub fn new(role: KeyFileRole, key: &DataKey, passphrase: &str, kdf: KdfParams) -> FormatResult<KeyFile> {
        check_passphrase(passphrase)?;
        let wrap = Wrap::Passphrase(SecretWrap::seal(key, passphrase, kdf, "passphrase")?);
        Ok(KeyFile {
            format: KEY_FILE_FORMAT.into(),
            version: KEY_FILE_VERSION,
            role,
            key_id: key.key_id(),
            label: String::new(),
            wraps: vec![wrap],
        })
    }

    pub fn parse(bytes: &[u8]) -> FormatResult<KeyFile> {
        let file: KeyFile = parse_tagged(bytes, KEY_FILE_FORMAT)?;
        if file.key_id.len() != 16 || hex::decode(&file.key_id).is_err() {
            return Err(FormatError::BadKeyFile("key_id 不对".into()));
        }
        if !file.wraps.iter().any(|w| matches!(w, Wrap::Passphrase(_))) {
            return Err(FormatError::BadKeyFile("密钥文件里没有口令封装".into()));
        }
        Ok(file)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        pretty_json(self)
    }

    /// The data key, or `WrongPassphrase`.
    pub fn unlock(&self, passphrase: &str) -> FormatResult<DataKey> {
        self.open_secret(passphrase, "passphrase")?.ok_or(FormatError::WrongPassphrase)
    }

    /// The data key through a recovery-code wrap, or `WrongPassphrase`.
    pub fn unlock_with_code(&self, code: &str) -> FormatResult<DataKey> {
        let code = normalise_code(code);
        self.open_secret(&code, "recovery_code")?.ok_or(FormatError::WrongPassphrase)
    }

    fn open_secret(&self, secret: &str, kind: &str) -> FormatResult<Option<DataKey>> {
        for wrap in &self.wraps {
            let sealed = match wrap {
                Wrap::Passphrase(s) if kind == "passphrase" => s,
                Wrap::RecoveryCode(s) if kind == "recovery_code" => s,
                _ => continue,
            };
            if let Some(key) = sealed.open(secret, &self.key_id, kind)? {
                return Ok(Some(key));
            }
        }
        Ok(None)
    }

    /// Replaces the passphrase wrap (the data key, and so the database, stay as they are).
    pub fn set_passphrase(&mut self, key: &DataKey, passphrase: &str, kdf: KdfParams) -> FormatResult<()> {
        self.check_key(key)?;
        check_passphrase(passphrase)?;
        let wrap = Wrap::Passphrase(SecretWrap::seal(key, passphrase, kdf, "passphrase")?);
        self.wraps.retain(|w| !matches!(w, Wrap::Passphrase(_)));
        self.wraps.insert(0, wrap);
        Ok(())
    }

    /// Adds (or replaces) the wrap for `station`.
    pub fn set_station(&mut self, key: &DataKey, station: &StationPublic) -> FormatResult<()> {
        self.check_key(key)?;
        let sealed =
            age::encrypt(&station.age_recipient()?, key.as_bytes()).map_err(|e| FormatError::Encrypt(e.to_string()))?;
        self.wraps.retain(|w| !matches!(w, Wrap::Station { .. }));
        self.wraps.push(Wrap::Station { station_fingerprint: station.fingerprint(), age_hex: hex::encode(sealed) });
        Ok(())
    }

    /// Adds a recovery-code wrap (replacing any earlier one).
    pub fn set_recovery_code(&mut self, key: &DataKey, code: &str, kdf: KdfParams) -> FormatResult<()> {
        self.check_key(key)?;
        let wrap = Wrap::RecoveryCode(SecretWrap::seal(key, &normalise_code(code), kdf, "recovery_code")?);
        self.wraps.retain(|w| !matches!(w, Wrap::RecoveryCode(_)));
        self.wraps.push(wrap);
        Ok(())
    }

    /// Removes the recovery-code wrap (after it has served: a code is for one use).
    pub fn clear_recovery_code(&mut self) {
        self.wraps.retain(|w| !matches!(w, Wrap::RecoveryCode(_)));
    }

    pub fn has_recovery_code(&self) -> bool {
        self.wraps.iter().any(|w| matches!(w, Wrap::RecoveryCode(_)))
    }

    /// The fingerprint of the station that can recover this key, if any.
    pub fn station_fingerprint(&self) -> Option<&str> {
        self.wraps.iter().find_map(|w| match w {
            Wrap::Station { station_fingerprint, .. } => Some(station_fingerprint.as_str()),
            _ => None,
        })
    }

    fn check_key(&self, key: &DataKey) -> FormatResult<()> {
        if key.key_id() == self.key_id {
            Ok(())
        } else {
            Err(FormatError::BadKeyFile("数据密钥与密钥文件不符".into()))
        }
    }

    /// The request an officer who forgot the passphrase carries to the station: the station wrap
    /// (only the station's private key opens it) and who is asking. Safe on a lost stick.
    pub fn recovery_request(&self) -> FormatResult<RecoveryRequest> {
        let wrap =
            self.wraps.iter().find(|w| matches!(w, Wrap::Station { .. })).cloned().ok_or(FormatError::NoStationWrap)?;
        Ok(RecoveryRequest {
            format: RECOVERY_REQUEST_FORMAT.into(),
            version: KEY_FILE_VERSION,
            label: self.label.clone(),
            key_id: self.key_id.clone(),
            wrap,
        })
    }
}

/// Officer → station: "I forgot my passphrase".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryRequest {
    pub format: String,
    pub version: u32,
    /// The key file's label: office code and name.
    pub label: String,
    pub key_id: String,
    pub wrap: Wrap,
}

/// Station → officer: the data key wrapped by a one-time code the clerk gives the officer in
/// person (or by telephone). The file alone, or the code alone, opens nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryResponse {
    pub format: String,
    pub version: u32,
    pub label: String,
    pub key_id: String,
    pub wrap: Wrap,
}

impl RecoveryRequest {
    pub fn parse(bytes: &[u8]) -> FormatResult<RecoveryRequest> {
        let request: RecoveryRequest = parse_tagged(bytes, RECOVERY_REQUEST_FORMAT)?;
        if !matches!(request.wrap, Wrap::Station { .. }) {
            return Err(FormatError::BadKeyFile("找回申请里没有汇总站封装".into()));
        }
        Ok(request)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        pretty_json(self)
    }

    /// At the station: opens the station wrap and seals the key again under `code`.
    pub fn answer(&self, station: &StationSecret, code: &str, kdf: KdfParams) -> FormatResult<RecoveryResponse> {
        let Wrap::Station { station_fingerprint, age_hex } = &self.wrap else {
            return Err(FormatError::NoStationWrap);
        };
        let ours = station.public().fingerprint();
        if *station_fingerprint != ours {
            return Err(FormatError::WrongStation { expected: ours, found: station_fingerprint.clone() });
        }
        let sealed = decode(age_hex, "age")?;
        let mut plain = age::decrypt(station.identity(), &sealed).map_err(|_| FormatError::DecryptFailed)?;
        let bytes: Result<[u8; 32], _> = plain.as_slice().try_into();
        plain.zeroize();
        let key = DataKey::from_bytes(bytes.map_err(|_| FormatError::BadKeyFile("数据密钥长度不对".into()))?);
        if key.key_id() != self.key_id {
            return Err(FormatError::BadKeyFile("找回申请的密钥编号与内容不符".into()));
        }
        Ok(RecoveryResponse {
            format: RECOVERY_RESPONSE_FORMAT.into(),
            version: KEY_FILE_VERSION,
            label: self.label.clone(),
            key_id: self.key_id.clone(),
            wrap: Wrap::RecoveryCode(SecretWrap::seal(&key, &normalise_code(code), kdf, "recovery_code")?),
        })
    }
}

impl RecoveryResponse {
    pub fn parse(bytes: &[u8]) -> FormatResult<RecoveryResponse> {
        let response: RecoveryResponse = parse_tagged(bytes, RECOVERY_RESPONSE_FORMAT)?;
        if !matches!(response.wrap, Wrap::RecoveryCode(_)) {
            return Err(FormatError::BadKeyFile("找回答复里没有恢复码封装".into()));
        }
        Ok(response)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        pretty_json(self)
    }

    /// The data key, or `WrongPassphrase` for a wrong code.
    pub fn unlock(&self, code: &str) -> FormatResult<DataKey> {
        let Wrap::RecoveryCode(sealed) = &self.wrap else {
            return Err(FormatError::BadKeyFile("找回答复里没有恢复码封装".into()));
        };
        sealed.open(&normalise_code(code), &self.key_id, "recovery_code")?.ok_or(FormatError::WrongPassphrase)
    }
}

/// A document as indented JSON with a final newline (people open these files). Serialising
/// plain structs of strings and numbers cannot fail.
fn pretty_json<T: Serialize>(doc: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Reads a JSON document, checking its format tag and refusing newer versions before anything
/// else (a newer build may have changed the rest).
fn parse_tagged<T: serde::de::DeserializeOwned>(bytes: &[u8], tag: &str) -> FormatResult<T> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| FormatError::BadKeyFile(e.to_string()))?;
    if value.get("format").and_then(serde_json::Value::as_str) != Some(tag) {
        return Err(FormatError::BadKeyFile(format!("不是{}文件", describe(tag))));
    }
    let version = value.get("version").and_then(serde_json::Value::as_u64).unwrap_or(0);
    if version > u64::from(KEY_FILE_VERSION) {
        return Err(FormatError::FutureFormat {
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: KEY_FILE_VERSION,
        });
    }
    serde_json::from_value(value).map_err(|e| FormatError::BadKeyFile(e.to_string()))
}

fn describe(tag: &str) -> &'static str {
    match tag {
        KEY_FILE_FORMAT => "村警台账密钥",
        RECOVERY_REQUEST_FORMAT => "找回口令申请",
        _ => "找回口令答复",
    }
}

/// At least 8 characters: the passphrase is the only thing between a stolen laptop and the
/// registers (Argon2id slows guessing; it cannot save a 4-digit PIN).
pub fn check_passphrase(passphrase: &str) -> FormatResult<()> {
    if passphrase.chars().count() < 8 {
        return Err(FormatError::WeakPassphrase);
    }
    if passphrase.len() > MAX_SECRET_BYTES {
        return Err(FormatError::BadKeyFile("口令过长".into()));
    }
    Ok(())
}

/// Crockford base32 without I, L, O, U: nothing to misread on the telephone.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh recovery code: 20 characters (100 bits) in five groups, `7K3M-…`.
pub fn generate_recovery_code() -> FormatResult<String> {
    let bytes: [u8; 20] = random()?;
    let chars: Vec<char> = bytes.iter().map(|b| CODE_ALPHABET[usize::from(b & 31)] as char).collect();
    Ok(chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// Codes are read out and typed: case, spaces and dashes do not matter; O/I/L read as 0/1/1.
pub fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// Parses an age recipient to make sure `set_station` will accept it (used by tests).
pub fn is_age_recipient(text: &str) -> bool {
    age::x25519::Recipient::from_str(text.trim()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The smallest accepted cost keeps these tests quick in a debug build.
    const QUICK: KdfParams = KdfParams { m_kib: 8 * 1024, t: 1, p: 1 };

    #[test]
    fn passphrase_wraps_and_unwraps() {
        let key = DataKey::generate().expect("key");
        let file = KeyFile::new(KeyFileRole::Office, &key, "正确的口令 horse", QUICK).expect("file");
        let again = KeyFile::parse(&file.to_bytes()).expect("parses");
        assert_eq!(again.unlock("正确的口令 horse").expect("opens"), key);
        assert_eq!(again.unlock("wrong passphrase"), Err(FormatError::WrongPassphrase));
    }

    #[test]
    fn changing_the_passphrase_keeps_the_key() {
        let key = DataKey::generate().expect("key");
        let mut file = KeyFile::new(KeyFileRole::Office, &key, "first passphrase", QUICK).expect("file");
        file.set_passphrase(&key, "second passphrase", QUICK).expect("rewrap");
        assert_eq!(file.unlock("second passphrase").expect("opens"), key);
        assert_eq!(file.unlock("first passphrase"), Err(FormatError::WrongPassphrase));
        let other = DataKey::generate().expect("key");
        assert!(file.set_passphrase(&other, "third passphrase", QUICK).is_err());
    }

    #[test]
    fn a_wrap_cannot_be_moved_to_another_file_or_kind() {
        let key = DataKey::generate().expect("key");
        let file = KeyFile::new(KeyFileRole::Office, &key, "the passphrase", QUICK).expect("file");
        let mut forged = file.clone();
        forged.key_id = "00".repeat(8);
        assert_eq!(forged.unlock("the passphrase"), Err(FormatError::WrongPassphrase));
        let Wrap::Passphrase(sealed) = &file.wraps[0] else { panic!("passphrase wrap first") };
        let mut moved = file.clone();
        moved.wraps = vec![file.wraps[0].clone(), Wrap::RecoveryCode(sealed.clone())];
        assert_eq!(moved.unlock_with_code("the passphrase"), Err(FormatError::WrongPassphrase));
    }

    #[test]
    fn recovery_goes_through_the_station_only() {
        let station = StationSecret::generate().expect("station");
        let key = DataKey::generate().expect("key");
        let mut file = KeyFile::new(KeyFileRole::Office, &key, "forgotten passphrase", QUICK).expect("file");
        assert_eq!(file.recovery_request().expect_err("no station wrap yet"), FormatError::NoStationWrap);
        file.set_station(&key, &station.public()).expect("station wrap");
        file.label = "A01 甲村".into();
        let request = RecoveryRequest::parse(&file.recovery_request().expect("request").to_bytes()).expect("parses");
        assert_eq!(request.label, "A01 甲村");
        let code = generate_recovery_code().expect("code");
        let response = RecoveryResponse::parse(&request.answer(&station, &code, QUICK).expect("answer").to_bytes())
            .expect("parses");
        assert_eq!(response.unlock(&code.to_lowercase().replace('-', " ")).expect("opens"), key);
        assert_eq!(response.unlock("0000-0000-0000-0000-0000"), Err(FormatError::WrongPassphrase));
        let other = StationSecret::generate().expect("station");
        assert!(matches!(request.answer(&other, &code, QUICK), Err(FormatError::WrongStation { .. })));
    }

    #[test]
    fn codes_are_long_and_readable() {
        let code = generate_recovery_code().expect("code");
        assert_eq!(code.len(), 24);
        assert_eq!(normalise_code(&code).len(), 20);
        assert!(normalise_code(&code).bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(normalise_code("ab-cd o1l"), "ABCD011");
    }

    #[test]
    fn bad_files_are_refused_without_panicking() {
        assert!(KeyFile::parse(b"").is_err());
        assert!(KeyFile::parse(br#"{"format":"cunjing-key","version":9}"#).is_err());
        assert!(KeyFile::parse(br#"{"format":"other"}"#).is_err());
        let huge = KdfParams { m_kib: 64 * 1024 * 1024, t: 1, p: 1 };
        assert!(huge.checked().is_err());
        assert_eq!(check_passphrase("short"), Err(FormatError::WeakPassphrase));
    }
}
