//! What the station clerk looks at: per office, the bundles held and missing and the records
//! held; and county-wide queries over all offices' records.

use rusqlite::{Connection, ToSql};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::StationStore;
use super::coverage::{Coverage, Span, coverage};
use super::import::OfficeGap;
use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;
use crate::error::{CoreError, CoreResult, ErrorCode};

/// Records of one register held for one office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegisterCount {
    pub register: String,
    pub live: i64,
    pub voided: i64,
}

/// One office in the station's overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OfficeOverview {
    pub code: String,
    pub name: String,
    pub enrolled_at: String,
    pub key_fingerprint: Option<String>,
    /// A re-enrollment was issued and the new key file has not arrived yet.
    pub awaiting_new_key: bool,
    pub bundles: i64,
    pub last_seq: i64,
    pub last_import_at: Option<String>,
    pub received_through_seq: i64,
    pub confirmed_change_seq: i64,
    pub missing: Vec<i64>,
    pub rejected: i64,
    pub records: Vec<RegisterCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StationStatus {
    pub station: Option<super::StationInfo>,
    pub offices: Vec<OfficeOverview>,
}

/// A county-wide query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CountyQuery {
    pub register: Option<RegisterKind>,
    pub office_code: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// Text the record's title contains (names, numbers, places as the list shows them).
    pub title_contains: Option<String>,
    pub include_voided: bool,
    pub limit: i64,
    pub offset: i64,
}

impl Default for CountyQuery {
    fn default() -> Self {
        CountyQuery {
            register: None,
            office_code: None,
            from: None,
            to: None,
            title_contains: None,
            include_voided: false,
            limit: 100,
            offset: 0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CountyRow {
    pub id: String,
    pub office_code: String,
    pub office_name: String,
    pub register: String,
    pub record_date: Option<String>,
    pub title: String,
    pub version: i64,
    pub voided: bool,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CountyPage {
    pub total: i64,
    pub items: Vec<CountyRow>,
}

pub(crate) fn office_coverage(conn: &Connection, office: &str) -> rusqlite::Result<Coverage> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, from_change_seq, to_change_seq, prev_to_change_seq FROM bundles WHERE office_code = ?1",
    )?;
    let spans = stmt
        .query_map([office], |r| Ok(Span { seq: r.get(0)?, from: r.get(1)?, to: r.get(2)?, prev_to: r.get(3)? }))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(coverage(&spans))
}

pub(crate) fn station_info(conn: &Connection) -> CoreResult<Option<super::StationInfo>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row("SELECT name, fingerprint, created_at FROM station WHERE id = 1", [], |r| {
            Ok(super::StationInfo { name: r.get(0)?, fingerprint: r.get(1)?, created_at: r.get(2)? })
        })
        .optional()?)
}

/// Every office's missing bundle numbers (offices with none are left out).
pub(crate) fn gaps(conn: &Connection) -> CoreResult<Vec<OfficeGap>> {
    let mut stmt = conn.prepare("SELECT code, name FROM offices ORDER BY code")?;
    let offices = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for o in offices {
        let (code, name) = o?;
        let c = office_coverage(conn, &code)?;
        if !c.missing.is_empty() {
            out.push(OfficeGap { office_code: code, office_name: name, missing: c.missing });
        }
    }
    Ok(out)
}

impl StationStore {
    /// The offices overview (`cunjing station status`).
    pub fn status(&self) -> CoreResult<StationStatus> {
        let conn = self.reader();
        let tx = conn.unchecked_transaction()?;
        let station = station_info(&tx)?;
        let mut stmt = tx.prepare(
            "SELECT o.code, o.name, o.enrolled_at, o.key_fingerprint, o.rekey_allowed,
                    (SELECT count(*) FROM bundles b WHERE b.office_code = o.code),
                    (SELECT max(imported_at) FROM bundles b WHERE b.office_code = o.code),
                    (SELECT count(*) FROM rejections j WHERE j.office_code = o.code)
             FROM offices o ORDER BY o.code",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, i64>(7)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut counts = tx.prepare(
            "SELECT register, sum(voided = 0), sum(voided = 1) FROM county_records WHERE office_code = ?1
             GROUP BY register ORDER BY register",
        )?;
        let mut offices = Vec::with_capacity(rows.len());
        for (code, name, enrolled_at, key_fingerprint, rekey, bundles, last_import_at, rejected) in rows {
            let c = office_coverage(&tx, &code)?;
            let records = counts
                .query_map([&code], |r| Ok(RegisterCount { register: r.get(0)?, live: r.get(1)?, voided: r.get(2)? }))?
                .collect::<Result<Vec<_>, _>>()?;
            offices.push(OfficeOverview {
                code,
                name,
                enrolled_at,
                key_fingerprint,
                awaiting_new_key: rekey,
                bundles,
                last_seq: c.highest_seq,
                last_import_at,
                received_through_seq: c.received_through_seq,
                confirmed_change_seq: c.confirmed_change_seq,
                missing: c.missing,
                rejected,
                records,
            });
        }
        Ok(StationStatus { station, offices })
    }

    /// County-wide records, newest first.
    pub fn county_records(&self, q: &CountyQuery) -> CoreResult<CountyPage> {
        if q.limit < 1 || q.limit > 1000 {
            return Err(CoreError::refused(ErrorCode::OutOfRange, "limit", "每页条数应在 1 到 1000 之间"));
        }
        let mut filter = vec!["1 = 1".to_string()];
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        if let Some(r) = q.register {
            filter.push("c.register = ?".into());
            args.push(Box::new(r.code()));
        }
        if let Some(o) = q.office_code.as_deref().filter(|o| !o.is_empty()) {
            filter.push("c.office_code = ?".into());
            args.push(Box::new(o.to_string()));
        }
        if !q.include_voided {
            filter.push("c.voided = 0".into());
        }
        if let Some(from) = q.from {
            filter.push("c.record_date >= ?".into());
            args.push(Box::new(from.to_string()));
        }
        if let Some(to) = q.to {
            filter.push("c.record_date <= ?".into());
            args.push(Box::new(to.to_string()));
        }
        if let Some(t) = q.title_contains.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            filter.push("instr(c.title, ?) > 0".into());
            args.push(Box::new(t.to_string()));
        }
        let filter = filter.join(" AND ");
        let conn = self.reader();
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let total: i64 =
            conn.query_row(&format!("SELECT count(*) FROM county_records c WHERE {filter}"), params.as_slice(), |r| {
                r.get(0)
            })?;
        let mut stmt = conn.prepare(&format!(
            "SELECT c.id, c.office_code, o.name, c.register, c.record_date, c.title, c.version, c.voided, c.updated_at
             FROM county_records c JOIN offices o ON o.code = c.office_code
             WHERE {filter} ORDER BY c.record_date DESC, c.updated_at DESC, c.id LIMIT ? OFFSET ?"
        ))?;
        let mut page_params = params.clone();
        page_params.push(&q.limit);
        page_params.push(&q.offset);
        let items = stmt
            .query_map(page_params.as_slice(), |r| {
                Ok(CountyRow {
                    id: r.get(0)?,
                    office_code: r.get(1)?,
                    office_name: r.get(2)?,
                    register: r.get(3)?,
                    record_date: r.get(4)?,
                    title: r.get(5)?,
                    version: r.get(6)?,
                    voided: r.get(7)?,
                    updated_at: r.get(8)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CountyPage { total, items })
    }

    /// One county record as the flat JSON object of the contract (envelope and fields).
    pub fn county_record(&self, id: &str) -> CoreResult<Value> {
        use rusqlite::OptionalExtension;
        // The envelope as SQLite builds it; the register's fields merged in below (json_patch
        // would drop their nulls).
        let row: Option<(String, String)> = self
            .reader()
            .query_row(
                "SELECT json_object('id', id, 'register', register, 'office_code', office_code, 'version', version,
                            'change_seq', change_seq, 'created_at', created_at, 'created_by', created_by,
                            'updated_at', updated_at, 'updated_by', updated_by,
                            'voided', json(CASE voided WHEN 1 THEN 'true' ELSE 'false' END),
                            'void_reason', void_reason),
                        data
                 FROM county_records WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((envelope, data)) = row else {
            return Err(CoreError::refused(ErrorCode::RecordNotFound, "id", format!("汇总库中没有记录 {id}")));
        };
        let mut out: Value = serde_json::from_str(&envelope)?;
        if let (Some(o), Value::Object(d)) = (out.as_object_mut(), serde_json::from_str::<Value>(&data)?) {
            o.extend(d);
        }
        Ok(out)
    }
}
