//! The station database's own migrations: a station written by the first layout (county records
//! keyed by UUID, WITHOUT ROWID) opens, is upgraded to the rowid layout of migration 0002 with
//! every record kept, and the record id stays unique.

mod common;

use common::*;
use cunjing_core::station::{CountyQuery, STATION_APPLICATION_ID, StationStore};

const V1: &str = include_str!("../src/station/migrations/0001_station.sql");

#[test]
fn a_first_layout_station_is_upgraded_with_its_records() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("station.db");
    {
        // `raw` keys a new (empty) file with the test key before its first statement.
        let conn = raw(&path);
        conn.execute_batch(V1).expect("v1 schema");
        conn.execute_batch(&format!(
            "PRAGMA user_version = 1; PRAGMA application_id = {STATION_APPLICATION_ID};
             INSERT INTO station VALUES (1, '县局', '2026-01-01T00:00:00+08:00', 'x', 'y', 'F');
             INSERT INTO offices (code, name, enrolled_at, enrollment_issued_at) VALUES ('A-1', '甲村', 't', 't');"
        ))
        .expect("rows");
        for (i, (register, date)) in
            [("visits", "2026-03-01"), ("disputes", "2025-12-30"), ("visits", "2024-01-02")].iter().enumerate()
        {
            conn.execute(
                "INSERT INTO county_records VALUES (?1, 'A-1', ?2, 1, ?3, 't', '李', 't', '李', 0, NULL, ?4, NULL, ?5, '{}', 'h', 1)",
                rusqlite::params![format!("00000000-0000-4000-8000-00000000000{i}"), register, i as i64 + 1, date, format!("标题{i}")],
            )
            .expect("record");
        }
    }
    let station = StationStore::open(&path, &key(), clock()).expect("opens and upgrades");
    let page = station.county_records(&CountyQuery::default()).expect("records");
    assert_eq!(page.total, 3);
    drop(station);
    let conn = raw(&path);
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).expect("version");
    assert_eq!(version, 2);
    let sql: String = conn
        .query_row("SELECT sql FROM sqlite_master WHERE name = 'county_records'", [], |r| r.get(0))
        .expect("schema");
    assert!(!sql.contains("WITHOUT ROWID"), "{sql}");
    let twice = conn.execute(
        "INSERT INTO county_records (id, office_code, register, version, change_seq, created_at, created_by, updated_at,
             updated_by, voided, title, data, content_hash, bundle_seq)
         VALUES ('00000000-0000-4000-8000-000000000000', 'A-1', 'visits', 2, 9, 't', '李', 't', '李', 0, 'x', '{}', 'h', 2)",
        [],
    );
    assert!(twice.is_err(), "the record id stays unique");
    let indexes: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE tbl_name = 'county_records' AND type = 'index'", [], |r| {
            r.get(0)
        })
        .expect("indexes");
    assert_eq!(indexes, 3, "the id's unique index and the two date indexes");
}
