//! Checks of single values (ID numbers, phones) and the field-by-field JSON reader.

pub mod fields;
pub mod id_number;
pub mod phone;

use chrono::NaiveDate;
use serde_json::Value;

use crate::domain::{ParseCtx, Register, RegisterKind};
use crate::error::FieldError;
use crate::store::dispatch::with_register;
use fields::{Fields, Issues};

/// Reads `input` as a record of `kind` with the register's rules (as the store does before any
/// write, without the checks that need the database: references, uniqueness, numbering) and
/// returns the record as stored JSON, or every problem found. Outside input of any shape may
/// come here; the fuzz target `record_input` holds it to never panicking.
pub fn check_input(kind: RegisterKind, input: &Value, today: NaiveDate) -> Result<Value, Vec<FieldError>> {
    with_register!(kind, R => {
        let mut issues = Issues::default();
        let ctx = ParseCtx { today };
        let parsed = Fields::new(input, "", R::LABELS, &mut issues).and_then(|f| {
            let record = R::parse(&f, None, &ctx, &mut issues);
            f.finish(&mut issues);
            record
        });
        match parsed {
            Some(record) if issues.is_ok() => serde_json::to_value(&record).map_err(|e| {
                vec![FieldError::new(crate::error::ErrorCode::InvalidJson, "", e.to_string())]
            }),
            _ => Err(issues.errors),
        }
    })
}
