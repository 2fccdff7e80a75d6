//! The one container every sync file uses (docs/bundle-format.md):
//!
//! ```text
//! magic    8 bytes  "CUNJING\0"
//! kind     1 byte   'B' bundle, 'E' enrollment, 'K' office key, 'R' receipt
//! hlen     u32 BE   length of the header
//! header   hlen     JSON, UTF-8 (readable without any key)
//! blen     u64 BE   length of the body
//! body     blen     kind-specific bytes (a bundle's: age ciphertext); empty for the others
//! sig      64 bytes Ed25519 over  "cunjing-signed-v1" ‖ kind ‖ hlen ‖ header ‖ BLAKE3(body)
//! ```
//!
//! The file ends exactly after the signature. Lengths are checked against what is there before
//! anything is allocated, so a truncated or inflated length is a clear refusal, not a crash.

use crate::error::{FormatError, FormatResult};
use crate::keys::{PublicKey, SecretSigningKey};

pub const MAGIC: &[u8; 8] = b"CUNJING\0";
const SIGNING_CONTEXT: &[u8] = b"cunjing-signed-v1";
const MAX_HEADER: usize = 1 << 20;
const SIGNATURE_LEN: usize = 64;

/// What a file is; the kind byte is signed, so one kind cannot pass for another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bundle,
    Enrollment,
    OfficeKey,
    Receipt,
}

impl Kind {
    fn byte(self) -> u8 {
        match self {
            Kind::Bundle => b'B',
            Kind::Enrollment => b'E',
            Kind::OfficeKey => b'K',
            Kind::Receipt => b'R',
        }
    }

    fn from_byte(b: u8) -> Option<Kind> {
        match b {
            b'B' => Some(Kind::Bundle),
            b'E' => Some(Kind::Enrollment),
            b'K' => Some(Kind::OfficeKey),
            b'R' => Some(Kind::Receipt),
            _ => None,
        }
    }

    /// The Chinese name, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Bundle => "数据包（.cjb）",
            Kind::Enrollment => "登记文件",
            Kind::OfficeKey => "警务室公钥文件",
            Kind::Receipt => "回执文件",
        }
    }
}

/// A container split into its parts; nothing verified yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    pub kind: Kind,
    pub header: &'a [u8],
    pub body: &'a [u8],
    pub signature: [u8; SIGNATURE_LEN],
}

fn signed_message(kind: Kind, header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(SIGNING_CONTEXT.len() + 5 + header.len() + 32);
    m.extend_from_slice(SIGNING_CONTEXT);
    m.push(kind.byte());
    m.extend_from_slice(&(header.len() as u32).to_be_bytes());
    m.extend_from_slice(header);
    m.extend_from_slice(blake3::hash(body).as_bytes());
    m
}

/// Builds a signed container.
pub fn seal(kind: Kind, header: &[u8], body: &[u8], key: &SecretSigningKey) -> Vec<u8> {
    let signature = key.sign(&signed_message(kind, header, body));
    let mut out = Vec::with_capacity(8 + 1 + 4 + header.len() + 8 + body.len() + SIGNATURE_LEN);
    out.extend_from_slice(MAGIC);
    out.push(kind.byte());
    out.extend_from_slice(&(header.len() as u32).to_be_bytes());
    out.extend_from_slice(header);
    out.extend_from_slice(&(body.len() as u64).to_be_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&signature);
    out
}

fn take<'a>(bytes: &mut &'a [u8], n: usize, what: &'static str) -> FormatResult<&'a [u8]> {
    if bytes.len() < n {
        return Err(FormatError::Truncated(what));
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Ok(head)
}

/// Splits a container and checks its structure (not its signature).
pub fn split(mut bytes: &[u8], expected: Kind) -> FormatResult<Parts<'_>> {
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(FormatError::NotCunjingFile);
    }
    take(&mut bytes, MAGIC.len(), "文件头")?;
    let kind_byte = take(&mut bytes, 1, "文件类型")?[0];
    let kind = Kind::from_byte(kind_byte).ok_or(FormatError::NotCunjingFile)?;
    if kind != expected {
        return Err(FormatError::WrongKind { expected: expected.label(), found: kind.label() });
    }
    let hlen =
        u32::from_be_bytes(take(&mut bytes, 4, "头长度")?.try_into().map_err(|_| FormatError::Truncated("头长度"))?)
            as usize;
    if hlen > MAX_HEADER {
        return Err(FormatError::BadHeader(format!("头长度 {hlen} 超出上限")));
    }
    let header = take(&mut bytes, hlen, "文件头内容")?;
    let blen = u64::from_be_bytes(
        take(&mut bytes, 8, "正文长度")?.try_into().map_err(|_| FormatError::Truncated("正文长度"))?,
    );
    let blen = usize::try_from(blen).map_err(|_| FormatError::Truncated("正文"))?;
    let body = take(&mut bytes, blen, "正文")?;
    let sig = take(&mut bytes, SIGNATURE_LEN, "签名")?;
    if !bytes.is_empty() {
        return Err(FormatError::TrailingBytes);
    }
    let mut signature = [0u8; SIGNATURE_LEN];
    signature.copy_from_slice(sig);
    Ok(Parts { kind, header, body, signature })
}

impl Parts<'_> {
    pub fn verify(&self, key: &PublicKey) -> FormatResult<()> {
        key.verify(&signed_message(self.kind, self.header, self.body), &self.signature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_split_verify_round_trip() {
        let key = SecretSigningKey::generate().expect("key");
        let file = seal(Kind::Receipt, b"{\"a\":1}", b"body", &key);
        let parts = split(&file, Kind::Receipt).expect("splits");
        assert_eq!(parts.header, b"{\"a\":1}");
        assert_eq!(parts.body, b"body");
        parts.verify(&key.public()).expect("verifies");
    }

    #[test]
    fn every_single_byte_flip_is_refused() {
        let key = SecretSigningKey::generate().expect("key");
        let file = seal(Kind::Enrollment, b"{\"x\":\"y\"}", b"abc", &key);
        for i in 0..file.len() {
            let mut bad = file.clone();
            bad[i] ^= 0x01;
            let ok = split(&bad, Kind::Enrollment).and_then(|p| p.verify(&key.public()));
            assert!(ok.is_err(), "flip at byte {i} went unnoticed");
        }
    }

    #[test]
    fn truncation_and_kind_confusion_are_refused() {
        let key = SecretSigningKey::generate().expect("key");
        let file = seal(Kind::Bundle, b"{}", b"payload", &key);
        for n in 0..file.len() {
            assert!(split(&file[..n], Kind::Bundle).is_err(), "cut at {n} accepted");
        }
        assert!(matches!(split(&file, Kind::Receipt), Err(FormatError::WrongKind { .. })));
        let mut longer = file.clone();
        longer.push(0);
        assert_eq!(split(&longer, Kind::Bundle), Err(FormatError::TrailingBytes));
    }

    #[test]
    fn another_key_does_not_verify() {
        let key = SecretSigningKey::generate().expect("key");
        let other = SecretSigningKey::generate().expect("key");
        let file = seal(Kind::OfficeKey, b"{}", b"", &key);
        let parts = split(&file, Kind::OfficeKey).expect("splits");
        assert_eq!(parts.verify(&other.public()), Err(FormatError::BadSignature));
    }
}
