//! County-wide counts per office and per month, for the tables the county clerk exports to
//! spreadsheets (crate `cunjing-table`: visits, disputes by type and outcome, patrols). Live
//! records only, filed under their record date.

use chrono::NaiveDate;
use rusqlite::ToSql;
use serde::Serialize;
use ts_rs::TS;

use super::StationStore;
use crate::domain::RegisterKind;
use crate::domain::codes::CodeEnum;
use crate::error::{CoreError, CoreResult, ErrorCode};

/// One group: an office, a month (`2026-11`) and the values of the grouping fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CountyGroup {
    pub office_code: String,
    pub office_name: String,
    pub month: String,
    /// The grouping fields' values (codes as stored), in the order asked for.
    pub keys: Vec<Option<String>>,
    pub count: i64,
    /// Totals of the summed fields (absent values count as 0), in the order asked for.
    pub sums: Vec<i64>,
}

fn field_path(field: &str) -> CoreResult<String> {
    if field.is_empty() || !field.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err(CoreError::refused(ErrorCode::UnknownField, field, format!("没有名为「{field}」的字段")));
    }
    Ok(format!("$.{field}"))
}

impl StationStore {
    /// Counts of `register`'s live records per office, month and the values of the `by` fields,
    /// with totals of the `sum` fields; `from`/`to` bound the record date (inclusive).
    pub fn county_groups(
        &self,
        register: RegisterKind,
        by: &[&str],
        sum: &[&str],
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> CoreResult<Vec<CountyGroup>> {
        let mut args: Vec<Box<dyn ToSql>> = Vec::new();
        let mut keys = Vec::new();
        for field in by {
            args.push(Box::new(field_path(field)?));
            keys.push(format!("CAST(json_extract(c.data, ?{}) AS TEXT)", args.len()));
        }
        let mut sums = Vec::new();
        for field in sum {
            args.push(Box::new(field_path(field)?));
            sums.push(format!("CAST(total(json_extract(c.data, ?{})) AS INTEGER)", args.len()));
        }
        args.push(Box::new(register.code()));
        let mut filter = format!("c.register = ?{} AND c.voided = 0 AND c.record_date IS NOT NULL", args.len());
        if let Some(from) = from {
            args.push(Box::new(from.to_string()));
            filter.push_str(&format!(" AND c.record_date >= ?{}", args.len()));
        }
        if let Some(to) = to {
            args.push(Box::new(to.to_string()));
            filter.push_str(&format!(" AND c.record_date <= ?{}", args.len()));
        }
        let key_cols: String = keys.iter().map(|k| format!(", {k}")).collect();
        let sum_cols: String = sums.iter().map(|s| format!(", {s}")).collect();
        let group: String = (0..keys.len()).map(|i| format!(", {}", i + 4)).collect();
        let sql = format!(
            "SELECT c.office_code, o.name, substr(c.record_date, 1, 7){key_cols}, count(*){sum_cols}
             FROM county_records c JOIN offices o ON o.code = c.office_code
             WHERE {filter}
             GROUP BY 1, 2, 3{group} ORDER BY 1, 3{group}"
        );
        let conn = self.reader();
        let mut stmt = conn.prepare(&sql)?;
        let params: Vec<&dyn ToSql> = args.iter().map(|a| a.as_ref()).collect();
        let (nk, ns) = (keys.len(), sums.len());
        let rows = stmt
            .query_map(params.as_slice(), |r| {
                Ok(CountyGroup {
                    office_code: r.get(0)?,
                    office_name: r.get(1)?,
                    month: r.get(2)?,
                    keys: (0..nk).map(|i| r.get(3 + i)).collect::<Result<_, _>>()?,
                    count: r.get(3 + nk)?,
                    sums: (0..ns).map(|i| r.get(4 + nk + i)).collect::<Result<_, _>>()?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
