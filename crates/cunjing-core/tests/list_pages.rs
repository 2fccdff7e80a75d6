//! A list's pages against the plainest reading of them: every record of the register read raw,
//! filtered, ordered and cut to the page in Rust. The store finds a page's rows in the index
//! first and reads only them (store/read.rs, migration 0013; issue 6); the pages and totals must
//! be the same for every sort, filter and offset, ties included (the demo's records share their
//! creation time, so the change number decides).

mod common;

use std::cmp::Ordering;

use chrono::NaiveDate;
use cunjing_core::RegisterKind;
use cunjing_core::demo::{DemoConfig, fill};
use cunjing_core::domain::CodeEnum;
use cunjing_core::store::{ListQuery, ListSort};
use uuid::Uuid;

use common::*;

struct Row {
    id: String,
    voided: bool,
    record_date: Option<String>,
    created_at: String,
    updated_at: String,
    change_seq: i64,
    household_id: Option<String>,
}

fn rows(db: &TestDb, kind: RegisterKind) -> Vec<Row> {
    let conn = db.raw();
    let mut stmt = conn
        .prepare(
            "SELECT id, voided, record_date, created_at, updated_at, change_seq, household_id
             FROM records WHERE register = ?1",
        )
        .expect("query");
    stmt.query_map([kind.code()], |r| {
        Ok(Row {
            id: r.get(0)?,
            voided: r.get(1)?,
            record_date: r.get(2)?,
            created_at: r.get(3)?,
            updated_at: r.get(4)?,
            change_seq: r.get(5)?,
            household_id: r.get(6)?,
        })
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// SQLite's order: NULL first ascending, last descending — as `Option`'s.
fn order(sort: ListSort, a: &Row, b: &Row) -> Ordering {
    match sort {
        ListSort::DateAsc => {
            (&a.record_date, &a.created_at, a.change_seq).cmp(&(&b.record_date, &b.created_at, b.change_seq))
        }
        ListSort::DateDesc => {
            (&b.record_date, &b.created_at, b.change_seq).cmp(&(&a.record_date, &a.created_at, a.change_seq))
        }
        ListSort::UpdatedDesc => (&b.updated_at, b.change_seq).cmp(&(&a.updated_at, a.change_seq)),
        ListSort::TitleAsc => unreachable!("title order is list_title_filter.rs's"),
    }
}

#[test]
fn every_page_is_the_slice_of_the_whole_order() {
    let db = TestDb::new();
    fill(&db.store, &DemoConfig { households: 120, years: 1, seed: 5 }, &mut |_| {}).expect("demo");
    // Some voided records, so that "with voided" differs.
    for kind in [RegisterKind::Disputes, RegisterKind::Visits] {
        for r in rows(&db, kind).iter().step_by(13) {
            db.store.void(kind, Uuid::parse_str(&r.id).expect("uuid"), "测试作废").expect("voids");
        }
    }
    let mut checked = 0;
    for kind in [RegisterKind::Visits, RegisterKind::Disputes, RegisterKind::Patrols, RegisterKind::Residents] {
        let all = rows(&db, kind);
        let household = all.iter().find_map(|r| r.household_id.clone());
        let dates: Vec<&String> = all.iter().filter_map(|r| r.record_date.as_ref()).collect();
        let middle = dates.get(dates.len() / 3).map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date"));
        let filters: Vec<(&str, ListQuery)> = vec![
            ("all", ListQuery::default()),
            ("from", ListQuery { from: middle, ..ListQuery::default() }),
            ("to", ListQuery { to: middle, ..ListQuery::default() }),
            (
                "household",
                ListQuery {
                    household_id: household.as_deref().map(|h| Uuid::parse_str(h).expect("uuid")),
                    ..ListQuery::default()
                },
            ),
        ];
        for sort in [ListSort::DateAsc, ListSort::DateDesc, ListSort::UpdatedDesc] {
            for include_voided in [false, true] {
                for (name, filter) in &filters {
                    let mut expected: Vec<&Row> = all
                        .iter()
                        .filter(|r| include_voided || !r.voided)
                        .filter(|r| {
                            filter.from.is_none_or(|f| r.record_date.as_deref() >= Some(f.to_string().as_str()))
                        })
                        .filter(|r| {
                            filter
                                .to
                                .is_none_or(|t| r.record_date.as_deref().is_some_and(|d| d <= t.to_string().as_str()))
                        })
                        .filter(|r| filter.household_id.is_none_or(|h| r.household_id == Some(h.to_string())))
                        .collect();
                    expected.sort_by(|a, b| order(sort, a, b));
                    let n = expected.len() as i64;
                    for (offset, limit) in [(0, 100), (0, 7), (5, 3), (n / 2, 100), (n - 1, 10), (n, 10), (10_000, 5)] {
                        let q = ListQuery { include_voided, sort, limit, offset: offset.max(0), ..filter.clone() };
                        let page = db.store.list(kind, &q).expect("lists");
                        let want: Vec<&str> = expected
                            .iter()
                            .skip(q.offset as usize)
                            .take(limit as usize)
                            .map(|r| r.id.as_str())
                            .collect();
                        let got: Vec<&str> = page.items.iter().map(|v| v["id"].as_str().expect("id")).collect();
                        let what = format!(
                            "{} {} {name} voided={include_voided} {}+{limit}",
                            kind.code(),
                            sort.code(),
                            q.offset
                        );
                        assert_eq!(page.total, n, "{what}");
                        assert_eq!(got, want, "{what}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
}
