//! Any bytes as an enrollment, office key or receipt file. Nothing may panic; a receipt that
//! opens with the fixed test station key survives sealing and opening again unchanged.
#![no_main]

use cunjing_bundle::{Enrollment, OfficeKeyFile, Receipt};
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
});
