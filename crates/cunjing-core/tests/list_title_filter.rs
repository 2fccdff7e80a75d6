//! A list's title filter against the plainest reading of it: every record of the register,
//! paged through without a filter, kept where the title contains the text, then ordered and
//! cut to the page in Rust. The store answers a title filter with one pass over the register
//! for the page and the total (docs/PERFORMANCE.md, issue 6); the pages and totals must be the
//! same, for every sort, with and without voided records, and past the end.

mod common;

use cunjing_core::RegisterKind;
use cunjing_core::demo::{DemoConfig, fill};
use cunjing_core::domain::CodeEnum;
use cunjing_core::store::{ListQuery, ListSort};
use serde_json::Value;
use uuid::Uuid;

use common::*;

/// (id, title) of every record of a register, paged through without a title filter.
fn everything(db: &TestDb, kind: RegisterKind, include_voided: bool, sort: ListSort) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        let q = ListQuery { include_voided, sort, limit: 1000, offset: out.len() as i64, ..ListQuery::default() };
        let page = db.store.list(kind, &q).expect("lists");
        if page.items.is_empty() {
            return out;
        }
        for item in page.items {
            let id = item["id"].as_str().expect("id").to_string();
            let title = db.store.title_of(Uuid::parse_str(&id).expect("uuid")).expect("title");
            out.push((id, title));
        }
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items.iter().map(|v| v["id"].as_str().expect("id").to_string()).collect()
}

#[test]
fn a_title_filter_lists_what_a_plain_reading_lists() {
    let db = TestDb::new();
    fill(&db.store, &DemoConfig { households: 120, years: 1, seed: 11 }, &mut |_| {}).expect("demo");
    // Some voided residents, so that "with voided" differs.
    let residents = everything(&db, RegisterKind::Residents, false, ListSort::TitleAsc);
    for (id, _) in residents.iter().step_by(17) {
        db.store.void(RegisterKind::Residents, Uuid::parse_str(id).expect("uuid"), "测试作废").expect("voids");
    }
    let mut checked = 0;
    for kind in [RegisterKind::Residents, RegisterKind::Visits, RegisterKind::Disputes] {
        for sort in ListSort::ALL.iter().copied() {
            for include_voided in [false, true] {
                let all = everything(&db, kind, include_voided, sort);
                // A surname, a common given-name character, a label inside titles, a year,
                // punctuation, text found nowhere, and one with spaces around it.
                for text in ["王", "李", "华", "男", "年生", "（", "19", "不存在的字", " 张 "] {
                    let expected: Vec<&(String, String)> =
                        all.iter().filter(|(_, title)| title.contains(text.trim())).collect();
                    for (offset, limit) in [(0, 100), (0, 7), (5, 3), (expected.len() as i64, 10), (10_000, 5)] {
                        let q = ListQuery {
                            include_voided,
                            sort,
                            title_contains: Some(text.to_string()),
                            limit,
                            offset,
                            ..ListQuery::default()
                        };
                        let page = db.store.list(kind, &q).expect("lists");
                        let want: Vec<String> = expected
                            .iter()
                            .skip(offset as usize)
                            .take(limit as usize)
                            .map(|(id, _)| id.clone())
                            .collect();
                        let what = format!(
                            "{} {} voided={include_voided} {text:?} {offset}+{limit}",
                            kind.code(),
                            sort.code()
                        );
                        assert_eq!(page.total, expected.len() as i64, "{what}");
                        assert_eq!(ids(&page.items), want, "{what}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 500);
    let wang = db
        .store
        .list(RegisterKind::Residents, &ListQuery { title_contains: Some("王".into()), ..ListQuery::default() })
        .expect("lists");
    assert!(wang.total > 0, "the demo office has residents named 王");
}
