//! Any bytes as register JSON input (the CLI's `add`, the app's forms, spreadsheet rows all end in
//! the same reader). The first byte picks the register. Nothing may panic, every problem must
//! name a field path of the input's shape, and what is accepted must read back unchanged (the
//! stored form is a fixed point of the rules).
#![no_main]

use chrono::NaiveDate;
use cunjing_core::RegisterKind;
use cunjing_core::domain::CodeEnum;
use cunjing_core::validate::check_input;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let kind = RegisterKind::ALL[usize::from(pick) % RegisterKind::ALL.len()];
    let Ok(input) = serde_json::from_slice::<serde_json::Value>(rest) else { return };
    let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
    match check_input(kind, &input, today) {
        Ok(stored) => {
            let again = check_input(kind, &stored, today);
            assert_eq!(again.as_ref().ok(), Some(&stored), "{} not a fixed point: {again:?}", kind.code());
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(errors.iter().all(|e| !e.message.is_empty()));
        }
    }
});
