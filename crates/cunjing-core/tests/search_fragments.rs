//! Search through the indexes of migration 0008 (issue 6): fragments of three characters or
//! more in the middle of names, ID numbers and places come from the trigram index of the terms,
//! prefixes from a range on the term index; the trigram index follows updates (its triggers)
//! and a query plan never scans the terms table.

mod common;

use cunjing_core::RegisterKind;
use serde_json::json;

use common::*;

const ID: &str = "51010719900808135";

#[test]
fn fragments_in_the_middle_are_found_and_follow_updates() {
    let db = TestDb::new();
    let s = &db.store;
    let home = add(s, RegisterKind::Households, &household("翠月湖村", "三组", "18号", "欧阳娜娜")).id;
    let person = add(
        s,
        RegisterKind::Residents,
        &json!({ "name": "欧阳娜娜", "id_number": id_number(ID), "category": "registered",
                 "household_id": home.to_string() }),
    )
    .id;
    let found = |q: &str| s.search(q, 50, false).expect("search").iter().map(|h| h.id).collect::<Vec<_>>();
    // The middle of an ID number (birth date), its last digits, the middle of a name.
    assert!(found("19900808").contains(&person));
    assert!(found(&id_number(ID)[12..]).contains(&person));
    assert!(found("阳娜娜").contains(&person));
    // Prefixes of any length: surname, pinyin, initials.
    assert!(found("欧").contains(&person));
    assert!(found("ouyang").contains(&person));
    assert!(found("oyn").contains(&person));
    // A place fragment.
    assert!(found("月湖村").contains(&home));

    s.update(RegisterKind::Residents, person, &json!({ "name": "司马娜娜" })).expect("update");
    assert!(!found("阳娜娜").contains(&person), "the old name left the trigram index");
    assert!(found("马娜娜").contains(&person));
}

#[test]
fn search_queries_use_indexes_only() {
    let db = TestDb::new();
    let conn = db.raw();
    let plan = |sql: &str| -> String {
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("plan");
        let rows: Vec<String> =
            stmt.query_map([], |r| r.get::<_, String>(3)).expect("rows").map(|r| r.expect("row")).collect();
        rows.join("\n")
    };
    let prefix = plan(
        "SELECT t.record_id FROM search_terms t JOIN records r ON r.id = t.record_id
         WHERE t.term >= 'wang' AND t.term < 'wang' || char(1114111) AND t.kind IN ('pinyin', 'initials')",
    );
    assert!(!prefix.contains("SCAN t"), "{prefix}");
    let tri = plan(
        "SELECT t.record_id FROM search_terms_tri f JOIN search_terms t ON t.rowid = f.rowid
         WHERE search_terms_tri MATCH '\"080813\"'",
    );
    assert!(!tri.contains("SCAN t"), "{tri}");
}
