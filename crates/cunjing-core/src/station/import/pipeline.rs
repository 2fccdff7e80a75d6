//! The import of a bundle that is checked while it is written. Checking every record (the
//! canonical hash, the envelope, the register's type) and writing it are each about half of a
//! big office's import; done one after the other, importing cost their sum. Here worker threads
//! check the records, a slice at a time, while this thread writes the slices already checked,
//! in the bundle's order, inside the bundle's transaction. The checks of the whole bundle
//! against its manifest come last, before the commit.
//!
//! Nothing is different for the station: the transaction is committed only when every record
//! passed every check the checked path makes, and the same three steps of `apply.rs` write the
//! same rows. Whenever anything is wrong the transaction is rolled back and the caller takes
//! the checked path, which finds the same fault and words the refusal exactly as before.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use cunjing_bundle::{BundleHeader, BundleLines};
use rusqlite::Connection;
use uuid::Uuid;

use super::RegisterChanges;
use super::apply::RecordWriter;
use super::read::{Incoming, incoming_line};

/// Records per slice: enough to keep a worker busy for a few milliseconds, few enough that the
/// writer starts at once and a refused bundle stops early.
const SLICE: usize = 1_024;

/// Below this many records the checks run on this thread, slice by slice, before each write:
/// the usual weekly bundle is not worth a thread.
const THREADED_FROM: usize = 2_000;

/// What the manifest's checks need of each record once it has been written.
struct Envelope {
    register: &'static str,
    change_seq: i64,
    voided: bool,
    own_office: bool,
    id: Uuid,
}

/// Checks and writes every record of `lines` on `conn` (held in the bundle's transaction).
/// `None` when a record or the manifest's checks fail, or a write is refused: the caller then
/// rolls back and takes the checked path.
pub(super) fn check_and_write(
    conn: &Connection,
    header: &BundleHeader,
    lines: &BundleLines,
) -> Option<Vec<RegisterChanges>> {
    let all: Vec<&[u8]> = lines.lines().collect();
    let slices: Vec<&[&[u8]]> = all.chunks(SLICE).collect();
    let m = &lines.manifest;
    let mut writer = RecordWriter::new(conn, header, all.len()).ok()?;
    let mut envelopes = Vec::with_capacity(all.len());
    let mut write = |records: Vec<Incoming>| -> Option<()> {
        for r in &records {
            writer.write(r).ok()?;
            envelopes.push(Envelope {
                register: r.register,
                change_seq: r.change_seq,
                voided: r.voided,
                own_office: r.meta.office_code == m.office_code,
                id: r.meta.id,
            });
        }
        Some(())
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    if workers < 2 || all.len() < THREADED_FROM {
        let mut buffers = (Vec::with_capacity(4096), Vec::with_capacity(4096));
        for slice in &slices {
            write(slice.iter().map(|l| incoming_line(l, m, &mut buffers)).collect::<Option<Vec<_>>>()?)?;
        }
    } else {
        let next = AtomicUsize::new(0);
        std::thread::scope(|s| -> Option<()> {
            // Bounded, so that checking cannot run far ahead of writing and hold the whole
            // bundle twice in memory.
            let (done, checked) = mpsc::sync_channel::<(usize, Option<Vec<Incoming>>)>(workers * 2);
            for _ in 0..workers {
                let (done, next, slices) = (done.clone(), &next, &slices);
                s.spawn(move || {
                    let mut buffers = (Vec::with_capacity(4096), Vec::with_capacity(4096));
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(slice) = slices.get(i) else { return };
                        // A panic in a check must not take the import down with it (the old
                        // threaded check joined its threads): the slice counts as refused and the
                        // checked path, on one thread, says what is wrong.
                        let records = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            slice.iter().map(|l| incoming_line(l, m, &mut buffers)).collect::<Option<Vec<_>>>()
                        }))
                        .ok()
                        .flatten();
                        // The writer has given up (a refused record) when it no longer receives.
                        if done.send((i, records)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(done);
            // Slices come back in any order; they are written in the bundle's.
            let mut waiting: BTreeMap<usize, Option<Vec<Incoming>>> = BTreeMap::new();
            let mut due = 0;
            // Returning drops the receiver: the workers stop at their next slice.
            for (i, records) in checked.iter() {
                // A refused slice refuses the bundle: no need to write the slices before it.
                records.as_ref()?;
                waiting.insert(i, records);
                while let Some(records) = waiting.remove(&due) {
                    write(records?)?;
                    due += 1;
                }
            }
            (due == slices.len()).then_some(())
        })?;
    }
    lines
        .check(
            envelopes.iter().map(|e| (Some(e.register), Some(e.change_seq), Some(e.voided))),
            |i| envelopes[i].own_office.then_some(m.office_code.as_str()),
            |i| envelopes[i].id.to_string(),
        )
        .ok()?;
    Some(writer.changes())
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use cunjing_bundle::{ExportKind, FORMAT_VERSION, Manifest, write_bundle};
    use serde_json::{Value, json};

    use super::super::{BundleFile, ImportStatus};
    use super::SLICE;
    use crate::demo::{DemoConfig, demo_office, fill};
    use crate::error::ErrorCode;
    use crate::station::StationStore;
    use crate::store::Store;
    use crate::store::migrations;
    use crate::vault::DbKey;

    fn clock() -> Arc<crate::FixedClock> {
        Arc::new(crate::FixedClock::parse("2026-11-28T10:00:00+08:00").expect("clock"))
    }

    /// Every row the station holds, in id order, as text: the same whichever path wrote them.
    fn rows(station: &StationStore) -> Vec<String> {
        let conn = station.reader();
        let mut stmt = conn.prepare("SELECT * FROM county_records ORDER BY id").expect("query");
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            (0..n)
                .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                .collect::<Result<Vec<_>, _>>()
        })
        .expect("rows")
        .map(|r| r.expect("row").join("|"))
        .collect()
    }

    fn count(station: &StationStore, table: &str) -> i64 {
        station.reader().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
    }

    /// A demo office enrolled with a station, its records as an export would send them, and a
    /// writer of bundles signed with the office's real key — so that a bundle can hold what no
    /// export would write and still pass the signature.
    struct Fixture {
        dir: tempfile::TempDir,
        records: Vec<Value>,
        manifest: Manifest,
        office_key: cunjing_bundle::SecretSigningKey,
        station: cunjing_bundle::StationPublic,
    }

    impl Fixture {
        fn seal(&self, records: &[Value]) -> BundleFile {
            BundleFile {
                name: "DC-1.cjb".into(),
                bytes: write_bundle(&self.manifest, records, &self.office_key, &self.station).expect("bundle"),
            }
        }
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let office =
            Store::create(&dir.path().join("office.db"), &demo_office(), &DbKey::Plain, clock()).expect("office");
        fill(&office, &DemoConfig { households: 200, years: 2, seed: 11 }, &mut |_| {}).expect("demo");
        let station_path = dir.path().join("station.db");
        let station = StationStore::open_or_create(&station_path, &DbKey::Plain, clock()).expect("station");
        station.init_station("测试汇总站").expect("init");
        let o = office.office().expect("office row");
        let e = station.enroll_office(&o.code, &o.name).expect("enrollment");
        let outcome = office.enroll(&e.bytes, &e.file_name).expect("office enrolls");
        station.add_office_key(&outcome.office_key_file, "key.cjk").expect("key pinned");
        drop(station);
        // What a full export sends, in its order.
        let records = crate::sync::export::records_after(&office.reader(), 0).expect("records");
        let manifest = Manifest {
            format_version: FORMAT_VERSION,
            office_code: o.code.clone(),
            office_name: o.name.clone(),
            seq: 1,
            prev_bundle_hash: None,
            created_at: "2026-11-28T10:00:00+08:00".into(),
            schema_version: migrations::latest_version(),
            export_kind: ExportKind::Full,
            from_change_seq: 0,
            to_change_seq: records.iter().filter_map(|r| r["change_seq"].as_i64()).max().expect("records"),
            prev_to_change_seq: 0,
            registers: Default::default(),
        };
        let id = crate::sync::identity::require(&office.reader()).expect("identity");
        Fixture { dir, records, manifest, office_key: id.office_key, station: id.station }
    }

    fn open(path: &Path) -> StationStore {
        StationStore::open(path, &DbKey::Plain, clock()).expect("station")
    }

    /// Bundles with a fault far into them (several slices in, on the worker threads) are
    /// refused exactly as the checked path refuses them, and leave nothing behind; a sound one
    /// is then imported, writing the same rows as the checked path, and is known again after.
    #[test]
    fn the_streaming_import_refuses_what_the_checked_path_refuses_and_writes_what_it_writes() {
        let f = fixture();
        let n = f.records.len();
        assert!(n > super::THREADED_FROM.max(2 * SLICE), "{n} records: too few to exercise the threads");
        let deep = n - SLICE / 2;
        let station_path = f.dir.path().join("station.db");
        let twin_path = f.dir.path().join("twin.db");
        std::fs::copy(&station_path, &twin_path).expect("twin station");
        let station = open(&station_path);

        let spoil = |what: &dyn Fn(&mut Vec<Value>)| {
            let mut records = f.records.clone();
            what(&mut records);
            f.seal(&records)
        };
        let cases: Vec<(&str, BundleFile, ErrorCode, &str)> = vec![
            (
                "a record that is not one",
                spoil(&|r| r[deep]["created_at"] = json!("昨天")),
                ErrorCode::SyncFileRefused,
                "条记录无效",
            ),
            (
                "a change number outside the manifest",
                spoil(&|r| r[deep]["change_seq"] = json!(f.manifest.to_change_seq + 1_000)),
                ErrorCode::SyncFileRefused,
                "不在清单范围内",
            ),
            (
                "a record of another office",
                spoil(&|r| r[deep]["office_code"] = json!("XX99")),
                ErrorCode::SyncFileRefused,
                "不属于警务室",
            ),
            (
                "the same record twice",
                spoil(&|r| {
                    let first = r[3].clone();
                    r[deep] = first;
                }),
                ErrorCode::RecordConflict,
                "出现了两次",
            ),
        ];
        let now = "2026-11-28T10:00:00+08:00";
        for (what, bundle, code, words) in &cases {
            let gave_up = station.import_streaming(&mut station.writer(), bundle, now).expect("runs");
            assert!(gave_up.is_none(), "{what}: the streaming path leaves it to the checked path");
            assert_eq!(count(&station, "county_records"), 0, "{what}: and rolls back what it wrote");
            let streamed = station.import(std::slice::from_ref(bundle), false).expect("import runs");
            let twin = open(&twin_path);
            let checked = twin.import_checked(&mut twin.writer(), bundle, now).expect("checked import runs");
            let b = &streamed.bundles[0];
            assert_eq!(b.status, ImportStatus::Refused, "{what}: {b:#?}");
            assert_eq!(b.code, Some(*code), "{what}: {b:#?}");
            assert!(b.message.contains(words), "{what}: {}", b.message);
            assert_eq!((&b.code, &b.message), (&checked.code, &checked.message), "{what}: both paths say the same");
            assert_eq!(count(&station, "county_records"), 0, "{what}: nothing written");
            assert_eq!(count(&station, "bundles"), 0, "{what}: nothing written");
        }
        // Only the refusal of an authenticated office's conflicting records is kept for the clerk.
        assert_eq!(count(&station, "rejections"), 1);

        let sound = f.seal(&f.records);
        let streamed = station.import_streaming(&mut station.writer(), &sound, now).expect("runs");
        let b = &streamed.expect("a sound bundle is imported by the streaming path");
        assert_eq!(b.status, ImportStatus::Imported, "{b:#?}");
        assert_eq!(b.record_count, n as i64);
        assert_eq!(b.changes.iter().map(|c| c.new).sum::<i64>(), n as i64);
        let twin = open(&twin_path);
        let checked = twin.import_checked(&mut twin.writer(), &sound, now).expect("checked import runs");
        assert_eq!((checked.status, &checked.changes), (ImportStatus::Imported, &b.changes));
        assert_eq!(rows(&station).len(), n);
        assert_eq!(rows(&station), rows(&twin), "both paths write the same rows");

        let again = station.import(std::slice::from_ref(&sound), false).expect("import runs");
        assert_eq!(again.bundles[0].status, ImportStatus::AlreadyImported);
        assert_eq!(count(&station, "county_records"), n as i64);
        assert_eq!(count(&station, "bundles"), 1);
    }
}
