//! Any bytes as an enrollment, office key or receipt file, or as the key file beside an encrypted
//! database and its recovery request and answer (issue 7). Nothing may panic; a receipt that
//! opens with the fixed test station key survives sealing and opening again unchanged, and so
//! does an accepted key file or recovery file through writing and reading. (Unwrapping runs
//! Argon2 at its cost of megabytes per try and is left to the unit tests.)
#![no_main]

use cunjing_bundle::{Enrollment, KeyFile, OfficeKeyFile, Receipt, RecoveryRequest, RecoveryResponse};
use cunjing_fuzz::keys;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let k = keys();
    if let Ok(e) = Enrollment::open(data) {
        assert!(e.station().is_ok());
    }
    if let Ok(f) = OfficeKeyFile::open(data) {
        assert!(f.key().is_ok());
    }
    if let Ok(r) = Receipt::open(data, &k.station.public().verify_key) {
        let again =
            r.seal(k.station.signing()).ok().and_then(|b| Receipt::open(&b, &k.station.public().verify_key).ok());
        assert_eq!(again.as_ref(), Some(&r));
    }
    if let Ok(f) = KeyFile::parse(data) {
        assert_eq!(KeyFile::parse(&f.to_bytes()).as_ref(), Ok(&f));
        let _ = f.recovery_request();
    }
    if let Ok(r) = RecoveryRequest::parse(data) {
        assert_eq!(RecoveryRequest::parse(&r.to_bytes()).as_ref(), Ok(&r));
    }
    if let Ok(r) = RecoveryResponse::parse(data) {
        assert_eq!(RecoveryResponse::parse(&r.to_bytes()).as_ref(), Ok(&r));
    }
});
