//! The keys of the sync: each office signs with its own Ed25519 key; the station has an X25519
//! (age) identity that bundles are encrypted to and an Ed25519 key that signs enrollment and
//! receipt files. Keys travel as text (hex, age's Bech32) so they fit in a database row.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use crate::error::{FormatError, FormatResult};

/// A short, readable digest of public key material, for two people to compare aloud or on
/// paper: 20 hex digits (80 bits of BLAKE3) in groups of four, e.g. `3F2A-91C0-77D4-0B1E-55A2`.
pub fn fingerprint(material: &[u8]) -> String {
    let digest = blake3::hash(material);
    let hex = hex::encode_upper(&digest.as_bytes()[..10]);
    hex.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
}

fn random_32() -> FormatResult<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| FormatError::Random(e.to_string()))?;
    Ok(seed)
}

/// An Ed25519 public key (an office's, or the station's signing key).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

impl PublicKey {
    pub fn from_hex(text: &str) -> FormatResult<PublicKey> {
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| FormatError::BadKey("公钥应为 64 位十六进制".into()))?;
        VerifyingKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| FormatError::BadKey("不是有效的 Ed25519 公钥".into()))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.as_bytes())
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(self.0.as_bytes())
    }

    /// Strict verification (no malleable signatures, no small-order keys).
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> FormatResult<()> {
        self.0.verify_strict(message, &Signature::from_bytes(signature)).map_err(|_| FormatError::BadSignature)
    }
}

/// A private Ed25519 signing key.
#[derive(Clone)]
pub struct SecretSigningKey(SigningKey);

impl std::fmt::Debug for SecretSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretSigningKey({})", self.public().fingerprint())
    }
}

impl SecretSigningKey {
    pub fn generate() -> FormatResult<SecretSigningKey> {
        Ok(SecretSigningKey(SigningKey::from_bytes(&random_32()?)))
    }

    pub fn from_hex(text: &str) -> FormatResult<SecretSigningKey> {
        let bytes: [u8; 32] = hex::decode(text.trim())
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| FormatError::BadKey("私钥应为 64 位十六进制".into()))?;
        Ok(SecretSigningKey(SigningKey::from_bytes(&bytes)))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0.to_bytes())
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

/// What the station hands out: where to encrypt bundles and how to check its signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationPublic {
    /// age X25519 recipient, `age1…`.
    pub recipient: String,
    pub verify_key: PublicKey,
}

impl StationPublic {
    pub fn new(recipient: &str, verify_key_hex: &str) -> FormatResult<StationPublic> {
        age::x25519::Recipient::from_str(recipient.trim())
            .map_err(|_| FormatError::BadKey("不是有效的 age 接收方公钥".into()))?;
        Ok(StationPublic { recipient: recipient.trim().to_string(), verify_key: PublicKey::from_hex(verify_key_hex)? })
    }

    /// One fingerprint for both halves: the station is one party.
    pub fn fingerprint(&self) -> String {
        let mut material = self.verify_key.0.as_bytes().to_vec();
        material.extend_from_slice(self.recipient.as_bytes());
        fingerprint(&material)
    }

    pub(crate) fn age_recipient(&self) -> FormatResult<age::x25519::Recipient> {
        age::x25519::Recipient::from_str(&self.recipient).map_err(|_| FormatError::BadKey("age 接收方公钥无效".into()))
    }
}

/// The station's private keys.
pub struct StationSecret {
    identity: age::x25519::Identity,
    signing: SecretSigningKey,
}

impl std::fmt::Debug for StationSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StationSecret({})", self.public().fingerprint())
    }
}

impl StationSecret {
    pub fn generate() -> FormatResult<StationSecret> {
        Ok(StationSecret { identity: age::x25519::Identity::generate(), signing: SecretSigningKey::generate()? })
    }

    /// From the two stored texts: age's `AGE-SECRET-KEY-1…` and the signing key's hex.
    pub fn from_texts(age_identity: &str, signing_hex: &str) -> FormatResult<StationSecret> {
        let identity = age::x25519::Identity::from_str(age_identity.trim())
            .map_err(|_| FormatError::BadKey("不是有效的 age 私钥".into()))?;
        Ok(StationSecret { identity, signing: SecretSigningKey::from_hex(signing_hex)? })
    }

    /// (age identity, signing key hex): secrets, to be stored only in the station database.
    pub fn to_texts(&self) -> (String, String) {
        (self.identity.to_string().expose_secret().to_string(), self.signing.to_hex())
    }

    pub fn public(&self) -> StationPublic {
        StationPublic { recipient: self.identity.to_public().to_string(), verify_key: self.signing.public() }
    }

    pub fn signing(&self) -> &SecretSigningKey {
        &self.signing
    }

    pub(crate) fn identity(&self) -> &age::x25519::Identity {
        &self.identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_text() {
        let station = StationSecret::generate().expect("keys");
        let (a, s) = station.to_texts();
        let again = StationSecret::from_texts(&a, &s).expect("parses");
        assert_eq!(station.public(), again.public());
        let public = station.public();
        assert_eq!(StationPublic::new(&public.recipient, &public.verify_key.to_hex()).expect("parses"), public);
    }

    #[test]
    fn fingerprints_are_grouped_and_differ() {
        let a = SecretSigningKey::generate().expect("key").public().fingerprint();
        let b = SecretSigningKey::generate().expect("key").public().fingerprint();
        assert_eq!(a.len(), 24);
        assert_eq!(a.matches('-').count(), 4);
        assert_ne!(a, b);
    }

    #[test]
    fn bad_key_texts_are_refused() {
        assert!(PublicKey::from_hex("zz").is_err());
        assert!(SecretSigningKey::from_hex("00").is_err());
        assert!(StationPublic::new("age1nope", &"00".repeat(32)).is_err());
    }
}
