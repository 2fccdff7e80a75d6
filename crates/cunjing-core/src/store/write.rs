//! The one write path: create, update and void, each a single `BEGIN IMMEDIATE` transaction
//! that writes the record, its change-log entry, its audit entry and its search terms. The batch
//! forms run the very same per-record steps for many records inside one transaction.

use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde_json::{Map, Value};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;
use crate::domain::record::META_KEYS;
use crate::domain::register::Register;
use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::store::audit::{self, AuditAction, NewEntry};
use crate::store::dispatch::with_register;
use crate::store::office::require_office;
use crate::store::read::{StoredRow, load_row};
use crate::store::{Store, numbering, search_index};
use crate::validate::fields::{Fields, Issues};

/// The outcome of a successful write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Saved {
    pub id: Uuid,
    pub register: RegisterKind,
    pub version: i64,
    pub change_seq: i64,
    /// The number given to a numbered record (`2026-纠-001`).
    pub record_no: Option<String>,
    /// False when an update changed nothing (no new version was written).
    pub changed: bool,
    /// Things worth a second look that did not stop the save.
    pub warnings: Vec<FieldError>,
}

fn as_object(input: &Value) -> CoreResult<&Map<String, Value>> {
    input.as_object().ok_or_else(|| {
        CoreError::Invalid(vec![FieldError::new(ErrorCode::InvalidType, "", "记录应为 JSON 对象（{…}）")])
    })
}

/// Input may not set the envelope or store-assigned fields.
fn refuse_read_only<R: Register>(input: &Map<String, Value>) -> CoreResult<()> {
    let errors: Vec<FieldError> = input
        .keys()
        .filter(|k| META_KEYS.contains(&k.as_str()) || R::READ_ONLY.contains(&k.as_str()))
        .map(|k| FieldError::new(ErrorCode::ReadOnlyField, k.clone(), format!("「{k}」由系统生成，不能填写或修改")))
        .collect();
    if errors.is_empty() { Ok(()) } else { Err(CoreError::Invalid(errors)) }
}

impl Store {
    fn parse<R: Register>(&self, input: &Value, before: Option<&R>) -> CoreResult<(R, Vec<FieldError>)> {
        let mut issues = Issues::default();
        let parsed = Fields::new(input, "", R::LABELS, &mut issues).and_then(|f| {
            let record = R::parse(&f, before, &self.ctx(), &mut issues);
            f.finish(&mut issues);
            record
        });
        match parsed {
            Some(record) if issues.is_ok() => Ok((record, issues.warnings)),
            _ => Err(CoreError::Invalid(issues.errors)),
        }
    }

    /// Adds a record to the register named at run time.
    pub fn add(&self, kind: RegisterKind, input: &Value) -> CoreResult<Saved> {
        with_register!(kind, R => self.add_typed::<R>(input))
    }

    /// Applies a partial update (the given fields replace the stored ones; `null` clears one).
    pub fn update(&self, kind: RegisterKind, id: Uuid, patch: &Value) -> CoreResult<Saved> {
        with_register!(kind, R => self.update_typed::<R>(id, patch))
    }

    /// Adds many records to one register in ONE transaction: each input goes through exactly
    /// what [`Store::add`] does (validation, references, numbering, change log, audit, search
    /// index), but the batch pays for one commit (one fsync) instead of one per record. All or
    /// nothing: the first refused input rolls the whole batch back, and its errors' field paths
    /// are prefixed with the input's position (`[12].parties[0].name`).
    pub fn add_batch(&self, kind: RegisterKind, inputs: &[Value]) -> CoreResult<Vec<Saved>> {
        with_register!(kind, R => self.add_batch_typed::<R>(inputs))
    }

    /// Applies many partial updates in ONE transaction, in order (a later patch of the same
    /// record sees the earlier one), each exactly as [`Store::update`] would. All or nothing,
    /// errors prefixed with the patch's position as in [`Store::add_batch`].
    pub fn update_batch(&self, kind: RegisterKind, patches: &[(Uuid, Value)]) -> CoreResult<Vec<Saved>> {
        with_register!(kind, R => self.update_batch_typed::<R>(patches))
    }

    pub fn add_typed<R: Register>(&self, input: &Value) -> CoreResult<Saved> {
        // Parsed before the write lock is taken: validation needs no database.
        let parsed = self.parse_new::<R>(input)?;
        self.in_write_tx(|tx| self.insert_in::<R>(tx, parsed))
    }

    pub fn update_typed<R: Register>(&self, id: Uuid, patch: &Value) -> CoreResult<Saved> {
        self.in_write_tx(|tx| self.update_in::<R>(tx, id, patch))
    }

    pub fn add_batch_typed<R: Register>(&self, inputs: &[Value]) -> CoreResult<Vec<Saved>> {
        let parsed = inputs
            .iter()
            .enumerate()
            .map(|(n, input)| self.parse_new::<R>(input).map_err(|e| at_item(n, e)))
            .collect::<CoreResult<Vec<_>>>()?;
        self.in_write_tx(|tx| {
            parsed.into_iter().enumerate().map(|(n, p)| self.insert_in::<R>(tx, p).map_err(|e| at_item(n, e))).collect()
        })
    }

    pub fn update_batch_typed<R: Register>(&self, patches: &[(Uuid, Value)]) -> CoreResult<Vec<Saved>> {
        self.in_write_tx(|tx| {
            patches
                .iter()
                .enumerate()
                .map(|(n, (id, patch))| self.update_in::<R>(tx, *id, patch).map_err(|e| at_item(n, e)))
                .collect()
        })
    }

    /// Runs `write` in one `BEGIN IMMEDIATE` transaction on the writer connection and commits
    /// it only if `write` succeeds; an error drops the transaction, which rolls everything back.
    fn in_write_tx<T>(&self, write: impl FnOnce(&Transaction) -> CoreResult<T>) -> CoreResult<T> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = write(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// The checks of a new record that need no database: shape, read-only fields, the rules.
    pub(super) fn parse_new<R: Register>(&self, input: &Value) -> CoreResult<(R, Vec<FieldError>)> {
        refuse_read_only::<R>(as_object(input)?)?;
        self.parse::<R>(input, None)
    }

    /// Writes one parsed new record inside the caller's transaction: the single and the batch
    /// add share this, so a record added either way is checked and recorded identically.
    pub(super) fn insert_in<R: Register>(&self, tx: &Transaction, parsed: (R, Vec<FieldError>)) -> CoreResult<Saved> {
        let (mut record, warnings) = parsed;
        check_references(tx, &mut record)?;
        check_unique(tx, &record, None)?;
        let record_no = match record.numbering() {
            Some((year, mark)) => {
                let no = numbering::next_number(tx, R::KIND, year, mark)?;
                record.set_record_no(no.clone());
                Some(no)
            }
            None => None,
        };
        let id = Uuid::new_v4();
        let now = self.now_text();
        let office = require_office(tx)?;
        let actor = office.officer.clone();
        let seq = log_change(tx, id, 1, AuditAction::Create, &now)?;
        let data = serde_json::to_value(&record)?;
        tx.prepare_cached(
            "INSERT INTO records (id, register, version, change_seq, office_code, created_at, created_by,
                                  updated_at, updated_by, voided, void_reason, record_date, household_id, title, data)
             VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?5, ?6, 0, NULL, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            id.to_string(),
            R::KIND.code(),
            seq,
            office.code,
            now,
            actor,
            record.record_date().map(|d| d.to_string()),
            record.household_id().map(|h| h.to_string()),
            record.title(),
            data.to_string(),
        ])?;
        search_index::index_record(tx, id, R::KIND, &record.search_doc())?;
        // On creation the "changed" fields are the ones that were filled in.
        let changed = changed_fields(&Value::Null, &data);
        audit::append(
            tx,
            &NewEntry {
                at: &now,
                actor: &actor,
                action: AuditAction::Create,
                register: R::KIND,
                record_id: id,
                version: 1,
                change_seq: seq,
                before: None,
                after: &data,
                changed_fields: &changed,
                reason: None,
            },
        )?;
        Ok(Saved { id, register: R::KIND, version: 1, change_seq: seq, record_no, changed: true, warnings })
    }

    /// Applies one partial update inside the caller's transaction (shared by the single and the
    /// batch update). An update that changes nothing writes nothing.
    pub(super) fn update_in<R: Register>(&self, tx: &Transaction, id: Uuid, patch: &Value) -> CoreResult<Saved> {
        let patch = as_object(patch)?;
        refuse_read_only::<R>(patch)?;
        let row = load_live_row(tx, R::KIND, id)?;
        let before: R = serde_json::from_value(row.data.clone())?;
        let mut merged = row.data.as_object().cloned().unwrap_or_default();
        for (key, value) in patch {
            merged.insert(key.clone(), value.clone());
        }
        let new_household = patch.get("household_id").is_some_and(|v| *v != row.data["household_id"]);
        if new_household {
            // Another household: its snapshot is taken afresh unless the patch gives one.
            for key in R::HOUSEHOLD_SNAPSHOT {
                if !patch.contains_key(*key) {
                    merged.remove(*key);
                }
            }
        }
        let (mut after, warnings) = self.parse::<R>(&Value::Object(merged), Some(&before))?;
        // Only references the update changes are checked: the visits of a household voided later
        // must stay correctable.
        if after.references() != before.references() {
            check_references(tx, &mut after)?;
        }
        check_unique(tx, &after, Some(id))?;
        let after_data = serde_json::to_value(&after)?;
        let changed_fields = changed_fields(&row.data, &after_data);
        let record_no = after.numbering().map(|_| record_no_of(&after_data));
        if changed_fields.is_empty() {
            return Ok(Saved {
                id,
                register: R::KIND,
                version: row.meta.version,
                change_seq: row.meta.change_seq,
                record_no,
                changed: false,
                warnings,
            });
        }
        let now = self.now_text();
        let office = require_office(tx)?;
        let actor = office.officer.clone();
        let version = row.meta.version + 1;
        let seq = log_change(tx, id, version, AuditAction::Update, &now)?;
        tx.prepare_cached(
            "UPDATE records SET version = ?2, change_seq = ?3, updated_at = ?4, updated_by = ?5,
                    record_date = ?6, household_id = ?7, title = ?8, data = ?9
             WHERE id = ?1",
        )?
        .execute(params![
            id.to_string(),
            version,
            seq,
            now,
            actor,
            after.record_date().map(|d| d.to_string()),
            after.household_id().map(|h| h.to_string()),
            after.title(),
            after_data.to_string(),
        ])?;
        search_index::index_record(tx, id, R::KIND, &after.search_doc())?;
        audit::append(
            tx,
            &NewEntry {
                at: &now,
                actor: &actor,
                action: AuditAction::Update,
                register: R::KIND,
                record_id: id,
                version,
                change_seq: seq,
                before: Some(&row.data),
                after: &after_data,
                changed_fields: &changed_fields,
                reason: None,
            },
        )?;
        Ok(Saved { id, register: R::KIND, version, change_seq: seq, record_no, changed: true, warnings })
    }

    /// Voids a record: it stays, marked void with the reason, as a new version.
    pub fn void(&self, kind: RegisterKind, id: Uuid, reason: &str) -> CoreResult<Saved> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(CoreError::Invalid(vec![FieldError::new(ErrorCode::Required, "reason", "作废必须填写原因")]));
        }
        if reason.chars().count() > 500 {
            return Err(CoreError::Invalid(vec![FieldError::new(
                ErrorCode::TooLong,
                "reason",
                "作废原因过长（最多 500 字）",
            )]));
        }
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = load_row(&tx, id)?.filter(|r| r.meta.register == kind).ok_or_else(|| not_found(kind, id))?;
        if row.meta.voided {
            return Err(CoreError::refused(ErrorCode::AlreadyVoided, "", "该记录已经作废"));
        }
        let now = self.now_text();
        let office = require_office(&tx)?;
        let actor = office.officer.clone();
        let version = row.meta.version + 1;
        let seq = log_change(&tx, id, version, AuditAction::Void, &now)?;
        tx.execute(
            "UPDATE records SET version = ?2, change_seq = ?3, updated_at = ?4, updated_by = ?5,
                    voided = 1, void_reason = ?6
             WHERE id = ?1",
            params![id.to_string(), version, seq, now, actor, reason],
        )?;
        audit::append(
            &tx,
            &NewEntry {
                at: &now,
                actor: &actor,
                action: AuditAction::Void,
                register: kind,
                record_id: id,
                version,
                change_seq: seq,
                before: Some(&row.data),
                after: &row.data,
                changed_fields: &["voided".to_string()],
                reason: Some(reason),
            },
        )?;
        tx.commit()?;
        let record_no = row.data.get("record_no").and_then(Value::as_str).map(str::to_string);
        Ok(Saved { id, register: kind, version, change_seq: seq, record_no, changed: true, warnings: Vec::new() })
    }
}

/// Says which input of a batch an error is about: field paths get the input's position in front
/// (`[12].date`, or `[12]` for an error about the whole record), messages are unchanged.
fn at_item(n: usize, e: CoreError) -> CoreError {
    let prefix = |mut f: FieldError| {
        f.field = if f.field.is_empty() { format!("[{n}]") } else { format!("[{n}].{}", f.field) };
        f
    };
    match e {
        CoreError::Invalid(errors) => CoreError::Invalid(errors.into_iter().map(prefix).collect()),
        CoreError::Refused(f) => CoreError::Refused(prefix(f)),
        other => other,
    }
}

fn record_no_of(data: &Value) -> String {
    data.get("record_no").and_then(Value::as_str).unwrap_or_default().to_string()
}

pub(crate) fn not_found(kind: RegisterKind, id: Uuid) -> CoreError {
    CoreError::refused(ErrorCode::RecordNotFound, "id", format!("{}中没有编号为 {id} 的记录", kind.label_zh()))
}

/// The stored row, which must belong to `kind` and not be voided (void records are read-only).
fn load_live_row(tx: &Transaction, kind: RegisterKind, id: Uuid) -> CoreResult<StoredRow> {
    let row = load_row(tx, id)?.filter(|r| r.meta.register == kind).ok_or_else(|| not_found(kind, id))?;
    if row.meta.voided {
        return Err(CoreError::refused(ErrorCode::RecordVoided, "", "该记录已作废，不能再修改"));
    }
    Ok(row)
}

/// Takes the office's next change-sequence number for this write.
fn log_change(tx: &Transaction, id: Uuid, version: i64, action: AuditAction, at: &str) -> rusqlite::Result<i64> {
    tx.prepare_cached("INSERT INTO changes (record_id, version, op, at) VALUES (?1, ?2, ?3, ?4)")?.execute(params![
        id.to_string(),
        version,
        action.code(),
        at
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Every referenced record must exist in the right register and not be voided; a record that
/// keeps a snapshot of its household takes it here.
fn check_references<R: Register>(tx: &Transaction, record: &mut R) -> CoreResult<()> {
    let mut errors = Vec::new();
    for reference in record.references() {
        match load_row(tx, reference.id)? {
            Some(row) if row.meta.register == reference.register && !row.meta.voided => {
                if reference.register == RegisterKind::Households {
                    let household: crate::domain::Household = serde_json::from_value(row.data)?;
                    record.snapshot_household(&household);
                }
            }
            Some(row) if row.meta.register == reference.register => errors.push(FieldError::new(
                ErrorCode::ReferenceVoided,
                reference.field.clone(),
                format!("所选的{}记录已作废", reference.register.label_zh()),
            )),
            _ => errors.push(FieldError::new(
                ErrorCode::ReferenceNotFound,
                reference.field.clone(),
                format!("{}中没有编号为 {} 的记录", reference.register.label_zh(), reference.id),
            )),
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(CoreError::Invalid(errors)) }
}

/// No other live record of the register may hold the same unique number (e.g. ID number).
fn check_unique<R: Register>(tx: &Transaction, record: &R, this: Option<Uuid>) -> CoreResult<()> {
    let mut errors = Vec::new();
    let this = this.map(|id| id.to_string()).unwrap_or_default();
    for (field, value) in record.unique_numbers() {
        let other: Option<String> = tx
            .query_row(
                "SELECT r.title FROM search_terms t JOIN records r ON r.id = t.record_id
                 WHERE t.kind = 'number' AND t.term = ?1 AND t.register = ?2 AND r.voided = 0 AND r.id <> ?3
                 LIMIT 1",
                params![value, R::KIND.code(), this],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(title) = other {
            errors.push(FieldError::new(
                ErrorCode::DuplicateValue,
                field,
                format!("该号码已登记在{}中：{title}", R::KIND.label_zh()),
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(CoreError::Invalid(errors)) }
}

/// Top-level fields whose values differ between two versions of a record's data.
fn changed_fields(before: &Value, after: &Value) -> Vec<String> {
    let empty = Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<String> = a.keys().chain(b.keys()).cloned().collect();
    keys.sort();
    keys.dedup();
    // An absent key, null, false and an empty list all mean "not filled in".
    let blank = |v: Option<&Value>| match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        _ => false,
    };
    keys.retain(|k| a.get(k) != b.get(k) && !(blank(a.get(k)) && blank(b.get(k))));
    keys
}
