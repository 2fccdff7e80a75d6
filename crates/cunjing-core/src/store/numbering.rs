//! Record numbers per office, register and year (`2026-纠-001`). The counter is read and bumped
//! inside the caller's write transaction, which SQLite serialises (BEGIN IMMEDIATE), so two
//! racing writers can neither share a number nor leave a gap; a refused write rolls the counter
//! back with everything else.

use rusqlite::{Transaction, params};

use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;

pub fn next_number(tx: &Transaction, register: RegisterKind, year: i32, mark: &str) -> rusqlite::Result<String> {
    let no: i64 = tx.query_row(
        "INSERT INTO record_numbers (register, year, last_no) VALUES (?1, ?2, 1)
         ON CONFLICT (register, year) DO UPDATE SET last_no = last_no + 1
         RETURNING last_no",
        params![register.code(), year],
        |r| r.get(0),
    )?;
    Ok(format!("{year}-{mark}-{no:03}"))
}
