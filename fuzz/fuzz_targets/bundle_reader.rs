//! Any bytes as a bundle file: read the frame and header, check the signature with the fixed
//! test office key, and decrypt/parse with the fixed test station keys. Nothing may panic, and
//! a bundle that verifies and opens must be self-consistent.
#![no_main]

use cunjing_bundle::read_bundle;
use cunjing_fuzz::keys;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let k = keys();
    let Ok(sealed) = read_bundle(data) else { return };
    let verified = sealed.verify(&k.office.public());
    // Opened even when the signature fails: the station never does, but the decrypting and
    // parsing code must survive whatever it is given (age's header parser sees fuzzed bytes).
    let opened = sealed.open(&k.station);
    if let (Ok(()), Ok(contents)) = (verified, opened) {
        assert_eq!(contents.manifest.office_code, sealed.header.office_code);
        assert_eq!(contents.manifest.seq, sealed.header.seq);
        assert!(
            contents
                .records
                .iter()
                .all(|r| r.get("office_code").and_then(Value::as_str) == Some(sealed.header.office_code.as_str()))
        );
    }
});
