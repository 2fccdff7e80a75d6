//! Migration 0009: the day each dispute first reached each state, kept by a trigger on the audit
//! trail, must be exactly what the audit trail says (the dashboard used to compute it from the
//! audit entries' JSON on every call). Checked over a demo office's disputes, which move
//! through every workflow state by updates.

mod common;

use cunjing_core::demo::{DemoConfig, fill};

use common::*;

/// The first audit entry of the record in `status`: its latest step date, else its day.
const FROM_AUDIT: &str =
    "SELECT coalesce((SELECT max(json_extract(s.value, '$.date')) FROM json_each(a.after, '$.steps') s),
                                 substr(a.at, 1, 10))
                          FROM audit_log a
                          WHERE a.record_id = ?1 AND json_extract(a.after, '$.status') = ?2
                          ORDER BY a.id LIMIT 1";

#[test]
fn milestones_match_the_audit_trail() {
    let db = TestDb::new();
    fill(&db.store, &DemoConfig { households: 150, years: 2, seed: 11 }, &mut |_| {}).expect("demo");
    let conn = db.raw();
    let mut stmt = conn.prepare("SELECT record_id, status, reached_on FROM dispute_milestones").expect("query");
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(rows.len() > 100, "{}", rows.len());
    for (id, status, reached) in &rows {
        let expected: String = conn.query_row(FROM_AUDIT, [id, status], |r| r.get(0)).expect("audit");
        assert_eq!(&expected, reached, "{id} {status}");
    }
    // Every (dispute, state) the audit trail knows has its row.
    let pairs: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT DISTINCT record_id, json_extract(after, '$.status') FROM audit_log
             WHERE register = 'disputes')",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(pairs, rows.len() as i64);
    let states: i64 =
        conn.query_row("SELECT count(DISTINCT status) FROM dispute_milestones", [], |r| r.get(0)).expect("states");
    assert!(states >= 4, "{states}");
}
