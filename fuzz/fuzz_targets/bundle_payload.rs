//! Fuzzed plaintext (and optionally a fuzzed header) inside a *valid* envelope: the input is
//! compressed (or taken as the compressed stream), encrypted to the fixed test station and
//! signed with the fixed test office key (`cunjing_fuzz::seal_payload`), so every input gets past
//! the signature and the decryption and exercises decompression, JSON-lines parsing and the
//! manifest checks of `SealedBundle::open`.
#![no_main]

use cunjing_bundle::bundle::summarise;
use cunjing_bundle::read_bundle;
use cunjing_fuzz::{keys, seal_payload};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some(file) = seal_payload(data) else { return };
    let k = keys();
    let Ok(sealed) = read_bundle(&file) else { return };
    let verified = sealed.verify(&k.office.public());
    if sealed.header.office_key_fingerprint == k.office.public().fingerprint() {
        assert!(verified.is_ok(), "a file signed with the office key must verify: {verified:?}");
    }
    let Ok(contents) = sealed.open(&k.station) else { return };
    // What open() accepts agrees with its header and with itself.
    assert_eq!(contents.manifest.office_code, sealed.header.office_code);
    assert_eq!(contents.manifest.seq, sealed.header.seq);
    assert_eq!(contents.manifest.format_version, sealed.header.format_version);
    assert!(contents.records.iter().all(Value::is_object));
    assert_eq!(summarise(&contents.records).ok().as_ref(), Some(&contents.manifest.registers));
});
