//! The county's own tables, from the station's merged records (station.db): per office and per
//! month, visits (by method), disputes (by type, with their outcomes) and patrols (by kind),
//! with the totals the county reports (谈心人数, 涉及人数, 参加人次, 盘查, 抓获).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use cunjing_core::station::{CountyGroup, StationStore};
use cunjing_core::{CoreError, CoreResult, ErrorCode, RegisterKind};

use crate::export::TableExport;
use crate::schema::schema;
use crate::write::{Out, Table, format_of, write};

/// The county tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StationTable {
    Visits,
    Disputes,
    Patrols,
}

impl StationTable {
    pub const ALL: [StationTable; 3] = [StationTable::Visits, StationTable::Disputes, StationTable::Patrols];

    pub fn code(self) -> &'static str {
        match self {
            StationTable::Visits => "visits",
            StationTable::Disputes => "disputes",
            StationTable::Patrols => "patrols",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            StationTable::Visits => "入户走访统计",
            StationTable::Disputes => "纠纷调处统计（按类型和结果）",
            StationTable::Patrols => "巡逻统计",
        }
    }

    pub fn parse(text: &str) -> CoreResult<StationTable> {
        Self::ALL.into_iter().find(|t| t.code() == text.trim()).ok_or_else(|| {
            let known: Vec<String> = Self::ALL.iter().map(|t| format!("{} {}", t.code(), t.label_zh())).collect();
            CoreError::refused(
                ErrorCode::UnknownCode,
                "table",
                format!("没有名为「{text}」的统计表，可选：{}", known.join("、")),
            )
        })
    }
}

/// The (code, label) choices of one code field of a register.
fn choices(kind: RegisterKind, field: &str) -> Vec<(String, String)> {
    schema(kind).field(field).map(|f| f.codes.clone()).unwrap_or_default()
}

/// Rows per office and month (and group), with one column per code of `pivot`.
struct Pivot {
    leading: Vec<String>,
    pivot: Vec<(String, String)>,
    trailing: Vec<String>,
}

fn build(
    title: &str,
    spec: Pivot,
    groups: &[CountyGroup],
    row_key: impl Fn(&CountyGroup) -> Vec<String>,
    pivot_key: impl Fn(&CountyGroup) -> Option<String>,
) -> Table {
    type Acc = (i64, BTreeMap<String, i64>, Vec<i64>);
    let mut rows: BTreeMap<(String, String, Vec<String>), (String, Acc)> = BTreeMap::new();
    for g in groups {
        let key = (g.office_code.clone(), g.month.clone(), row_key(g));
        let (_, acc) =
            rows.entry(key).or_insert_with(|| (g.office_name.clone(), (0, BTreeMap::new(), vec![0; g.sums.len()])));
        acc.0 += g.count;
        if let Some(p) = pivot_key(g) {
            *acc.1.entry(p).or_default() += g.count;
        }
        for (total, s) in acc.2.iter_mut().zip(&g.sums) {
            *total += s;
        }
    }
    let mut headings: Vec<String> = ["警务室代码", "警务室", "月份"].iter().map(|s| s.to_string()).collect();
    headings.extend(spec.leading.iter().cloned());
    headings.extend(spec.pivot.iter().map(|(_, l)| l.clone()));
    headings.extend(spec.trailing.iter().cloned());
    let mut out_rows = Vec::new();
    for ((code, month, keys), (name, (count, per, sums))) in rows {
        let mut line = vec![Out::Text(code), Out::Text(name), Out::Text(month)];
        line.extend(keys.into_iter().map(Out::Text));
        line.push(Out::Int(count));
        line.extend(spec.pivot.iter().map(|(c, _)| Out::Int(per.get(c).copied().unwrap_or(0))));
        line.extend(sums.into_iter().map(Out::Int));
        out_rows.push(line);
    }
    Table { sheet_name: title.to_string(), headings, rows: out_rows }
}

/// One county table over `from..=to` (record dates; all when absent).
pub fn station_table(
    station: &StationStore,
    table: StationTable,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> CoreResult<Table> {
    let label = |kind: RegisterKind, field: &str, code: &Option<String>| {
        let code = code.clone().unwrap_or_default();
        choices(kind, field).into_iter().find(|(c, _)| *c == code).map(|(_, l)| l).unwrap_or(code)
    };
    Ok(match table {
        StationTable::Visits => {
            let groups = station.county_groups(RegisterKind::Visits, &["method"], &["people_talked"], from, to)?;
            let spec = Pivot {
                leading: vec!["走访次数".into()],
                pivot: choices(RegisterKind::Visits, "method"),
                trailing: vec!["谈心人数".into()],
            };
            build(table.label_zh(), spec, &groups, |_| Vec::new(), |g| g.keys[0].clone())
        }
        StationTable::Disputes => {
            let groups = station.county_groups(
                RegisterKind::Disputes,
                &["dispute_type", "status"],
                &["people_count"],
                from,
                to,
            )?;
            let spec = Pivot {
                leading: vec!["纠纷类型".into(), "受理件数".into()],
                pivot: choices(RegisterKind::Disputes, "status"),
                trailing: vec!["涉及人数".into()],
            };
            build(
                table.label_zh(),
                spec,
                &groups,
                |g| vec![label(RegisterKind::Disputes, "dispute_type", &g.keys[0])],
                |g| g.keys[1].clone(),
            )
        }
        StationTable::Patrols => {
            let groups = station.county_groups(
                RegisterKind::Patrols,
                &["kind"],
                &["headcount", "checked_count", "arrests"],
                from,
                to,
            )?;
            let spec = Pivot {
                leading: vec!["巡逻次数".into()],
                pivot: choices(RegisterKind::Patrols, "kind"),
                trailing: vec!["参加人次".into(), "盘查人数".into(), "抓获嫌疑人数".into()],
            };
            build(table.label_zh(), spec, &groups, |_| Vec::new(), |g| g.keys[0].clone())
        }
    })
}

/// Writes one county table to `out` (.xlsx or .csv).
pub fn export_station_table(
    station: &StationStore,
    table: StationTable,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    out: &Path,
) -> CoreResult<TableExport> {
    format_of(out)?;
    let t = station_table(station, table, from, to)?;
    write(&t, out)?;
    Ok(TableExport { path: out.display().to_string(), rows: t.rows.len(), columns: t.headings.len() })
}
