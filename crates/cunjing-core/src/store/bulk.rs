//! Many rows into one register at once (the spreadsheet import, crate `cunjing-table`,
//! docs/decisions/0011). Every row goes through exactly the add path of a form (`parse_new` →
//! `insert_in`: the register's rules, references, unique numbers, numbering, change log, audit,
//! search terms), all inside ONE transaction: a refused row is rolled back to its savepoint and
//! reported with its errors, the accepted rows stay. A dry run is the same run rolled back.
//!
//! A row whose saved content equals a record already in the register (store-assigned fields
//! such as the dispute number aside; voided records included) is not added again: re-importing
//! a file adds nothing twice.
//!
//! Also here, for the table crate, what each register declares (labels, code fields, read-only
//! fields) and a check of an input without any write.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Transaction, TransactionBehavior};
use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;
use crate::domain::register::{CodeLookup, ParseCtx, Register};
use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::store::Store;
use crate::store::dispatch::with_register;
use crate::sync::canonical_hash;
use crate::validate::fields::{Fields, Issues};

/// What became of one row of a bulk import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[ts(export)]
pub enum RowOutcome {
    /// Written (or, in a dry run, would be written) as a new record.
    Added { id: Uuid, record_no: Option<String>, warnings: Vec<FieldError> },
    /// The same content as record `id`, which is already in the register (or earlier in the file).
    Duplicate { id: Uuid },
    /// Refused by the register's rules; nothing of the row was written.
    Refused { errors: Vec<FieldError> },
}

/// What a register declares about its fields (see [`Register`]).
#[derive(Debug, Clone, Copy)]
pub struct RegisterInfo {
    pub kind: RegisterKind,
    pub labels: &'static [(&'static str, &'static str)],
    pub code_fields: &'static [(&'static str, CodeLookup)],
    pub read_only: &'static [&'static str],
}

/// The declarations of the register named at run time.
pub fn register_info(kind: RegisterKind) -> RegisterInfo {
    with_register!(kind, R => RegisterInfo {
        kind,
        labels: R::LABELS,
        code_fields: R::CODE_FIELDS,
        read_only: R::READ_ONLY,
    })
}

/// Every problem the register's own rules find in `input` as a new record, writing nothing
/// (the checks that need no database: shapes, codes, dates, rules across fields).
pub fn check_new(kind: RegisterKind, input: &Value, today: NaiveDate) -> Vec<FieldError> {
    with_register!(kind, R => check_typed::<R>(input, today))
}

fn check_typed<R: Register>(input: &Value, today: NaiveDate) -> Vec<FieldError> {
    let mut issues = Issues::default();
    if let Some(f) = Fields::new(input, "", R::LABELS, &mut issues) {
        R::parse(&f, None, &ParseCtx { today }, &mut issues);
        f.finish(&mut issues);
    }
    issues.errors
}

/// The content a duplicate is recognised by: the record's fields without those the store
/// assigns (and without the household snapshot of a record on the roster, which the household
/// determines), keys in canonical order.
fn fingerprint<R: Register>(record: &R) -> CoreResult<String> {
    let mut data = serde_json::to_value(record)?;
    if let Some(obj) = data.as_object_mut() {
        for key in R::READ_ONLY {
            obj.remove(*key);
        }
        if record.household_id().is_some() {
            for key in R::HOUSEHOLD_SNAPSHOT {
                obj.remove(*key);
            }
        }
    }
    Ok(canonical_hash(&data))
}

fn stored_fingerprint<R: Register>(data: &str) -> CoreResult<String> {
    fingerprint(&serde_json::from_str::<R>(data)?)
}

/// A refusal that is only about the workflow state a new record may start in.
fn only_workflow_refused(e: &CoreError, row: &Value) -> bool {
    matches!(e, CoreError::Invalid(errors)
        if !errors.is_empty()
            && errors.iter().all(|f| f.code == ErrorCode::InvalidStatusTransition && f.field == "status"))
        && row.get("status").is_some()
}

impl Store {
    /// Adds every acceptable row of `rows` to register `kind` in one transaction (committed
    /// only when `commit`), one [`RowOutcome`] per row in order. Only a failure of the system
    /// (not of a row) is an `Err`, and then nothing is written.
    pub fn import_rows(&self, kind: RegisterKind, rows: &[Value], commit: bool) -> CoreResult<Vec<RowOutcome>> {
        with_register!(kind, R => self.import_rows_typed::<R>(rows, commit))
    }

    fn import_rows_typed<R: Register>(&self, rows: &[Value], commit: bool) -> CoreResult<Vec<RowOutcome>> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut known: HashMap<String, Uuid> = HashMap::new();
        {
            let mut stmt = tx.prepare("SELECT id, data FROM records WHERE register = ?1 ORDER BY change_seq")?;
            let mut q = stmt.query([R::KIND.code()])?;
            while let Some(r) = q.next()? {
                let (id, data): (String, String) = (r.get(0)?, r.get(1)?);
                let id =
                    Uuid::parse_str(&id).map_err(|e| CoreError::refused(ErrorCode::Database, "id", e.to_string()))?;
                known.entry(stored_fingerprint::<R>(&data)?).or_insert(id);
            }
        }
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let outcome = match self.parse_new::<R>(row) {
                // Recognised before it is written: a row already imported must not meet the
                // register's unique-number rule as if it were another person.
                Ok(parsed) => match known.get(&fingerprint(&parsed.0)?) {
                    Some(existing) => RowOutcome::Duplicate { id: *existing },
                    None => self.in_savepoint::<R>(&tx, &mut known, |tx| self.insert_in::<R>(tx, parsed))?,
                },
                Err(e) if only_workflow_refused(&e, row) => {
                    match self.in_savepoint::<R>(&tx, &mut known, |tx| self.add_then_move::<R>(tx, row))? {
                        // A state no path of one step reaches (结案归档): still recognised when it
                        // is a record already there (an export of this office imported again).
                        RowOutcome::Refused { errors } => match self.same_as_known::<R>(&tx, &known, row)? {
                            Some(id) => RowOutcome::Duplicate { id },
                            None => RowOutcome::Refused { errors },
                        },
                        other => other,
                    }
                }
                Err(e) if e.is_input_error() => RowOutcome::Refused { errors: e.to_field_errors() },
                Err(e) => return Err(e),
            };
            out.push(outcome);
        }
        if commit {
            tx.commit()?;
        }
        Ok(out)
    }

    /// Runs one row's writes inside a savepoint: a refused row (or one that turns out to equal
    /// a record already there) is rolled back to it, leaving the others.
    fn in_savepoint<R: Register>(
        &self,
        tx: &Transaction,
        known: &mut HashMap<String, Uuid>,
        write: impl FnOnce(&Transaction) -> CoreResult<crate::store::Saved>,
    ) -> CoreResult<RowOutcome> {
        tx.execute_batch("SAVEPOINT import_row")?;
        let undo = |tx: &Transaction| tx.execute_batch("ROLLBACK TO import_row; RELEASE import_row");
        match write(tx) {
            Ok(saved) => {
                let data: String =
                    tx.query_row("SELECT data FROM records WHERE id = ?1", [saved.id.to_string()], |r| r.get(0))?;
                let print = stored_fingerprint::<R>(&data)?;
                if let Some(existing) = known.get(&print) {
                    undo(tx)?;
                    return Ok(RowOutcome::Duplicate { id: *existing });
                }
                tx.execute_batch("RELEASE import_row")?;
                known.insert(print, saved.id);
                Ok(RowOutcome::Added { id: saved.id, record_no: saved.record_no, warnings: saved.warnings })
            }
            Err(e) if e.is_input_error() => {
                undo(tx)?;
                Ok(RowOutcome::Refused { errors: e.to_field_errors() })
            }
            Err(e) => Err(e),
        }
    }

    /// The record already in the register with the content of `row`, for a row whose state a
    /// new record cannot reach: the row is added in its first state, given its state, compared
    /// and rolled back. Writes nothing.
    fn same_as_known<R: Register>(
        &self,
        tx: &Transaction,
        known: &HashMap<String, Uuid>,
        row: &Value,
    ) -> CoreResult<Option<Uuid>> {
        let mut first: Map<String, Value> = row.as_object().cloned().unwrap_or_default();
        let Some(status) = first.remove("status") else { return Ok(None) };
        tx.execute_batch("SAVEPOINT probe_row")?;
        let found = (|| -> CoreResult<Option<Uuid>> {
            let Ok(parsed) = self.parse_new::<R>(&Value::Object(first)) else { return Ok(None) };
            let saved = match self.insert_in::<R>(tx, parsed) {
                Ok(saved) => saved,
                Err(e) if e.is_input_error() => return Ok(None),
                Err(e) => return Err(e),
            };
            let data: String =
                tx.query_row("SELECT data FROM records WHERE id = ?1", [saved.id.to_string()], |r| r.get(0))?;
            let mut data: Value = serde_json::from_str(&data)?;
            data["status"] = status;
            Ok(match serde_json::from_value::<R>(data) {
                Ok(record) => known.get(&fingerprint(&record)?).copied(),
                Err(_) => None,
            })
        })();
        tx.execute_batch("ROLLBACK TO probe_row; RELEASE probe_row")?;
        found
    }

    /// A workflow state that a new record may not start in (a dispute already 调解成功) is
    /// reached the way an officer reaches it: the record is added in its first state, then
    /// moved to the row's state by an update (the same rules apply to both steps).
    fn add_then_move<R: Register>(&self, tx: &Transaction, row: &Value) -> CoreResult<crate::store::Saved> {
        let mut first: Map<String, Value> = row.as_object().cloned().unwrap_or_default();
        let status = first.remove("status").unwrap_or(Value::Null);
        let saved = self.insert_in::<R>(tx, self.parse_new::<R>(&Value::Object(first))?)?;
        self.update_in::<R>(tx, saved.id, &json!({ "status": status }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::store::NewOffice;
    use std::sync::Arc;

    fn store(dir: &tempfile::TempDir) -> Store {
        let clock = Arc::new(FixedClock::parse("2026-11-28T09:00:00+08:00").expect("clock"));
        let office = NewOffice {
            name: "翠月湖村警务室".into(),
            code: "CYH".into(),
            officer: "李建国".into(),
            ..NewOffice::default()
        };
        Store::create(&dir.path().join("office.db"), &office, &crate::vault::DbKey::Plain, clock).expect("store")
    }

    fn patrol(route: &str) -> Value {
        json!({"date": "2026-11-01", "start_time": "20:00", "end_time": "22:00", "kind": "volunteer",
               "mode": "foot", "route": route, "headcount": 3, "recorder": "李建国"})
    }

    #[test]
    fn refused_rows_leave_nothing_and_duplicates_are_not_added_twice() {
        let dir = tempfile::tempdir().expect("dir");
        let s = store(&dir);
        let mut bad = patrol("村东");
        bad["headcount"] = json!(0);
        let rows = vec![patrol("村西"), bad, patrol("村西"), patrol("村南")];
        let dry = s.import_rows(RegisterKind::Patrols, &rows, false).expect("dry");
        assert!(matches!(dry[0], RowOutcome::Added { .. }));
        assert!(matches!(&dry[1], RowOutcome::Refused { errors } if errors[0].field == "headcount"));
        assert!(matches!(dry[2], RowOutcome::Duplicate { .. }));
        assert_eq!(s.list(RegisterKind::Patrols, &Default::default()).expect("list").total, 0);

        let real = s.import_rows(RegisterKind::Patrols, &rows, true).expect("real");
        assert_eq!(real.iter().filter(|o| matches!(o, RowOutcome::Added { .. })).count(), 2);
        assert_eq!(s.list(RegisterKind::Patrols, &Default::default()).expect("list").total, 2);
        assert!(s.verify_audit_chain().expect("chain").is_ok());

        let again = s.import_rows(RegisterKind::Patrols, &rows, true).expect("again");
        assert!(again.iter().all(|o| !matches!(o, RowOutcome::Added { .. })));
        assert_eq!(s.list(RegisterKind::Patrols, &Default::default()).expect("list").total, 2);
    }
}
