//! Property: whatever order the bundles of two offices reach the station in, the station ends
//! in the same state (records, versions, content, bundle coverage), and the same state as when
//! they arrive in order.

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::*;
use cunjing_core::demo::{DemoConfig, fill};
use cunjing_core::station::{BundleFile, ImportStatus, StationStore};
use cunjing_core::sync::{ExportMode, ExportResult};
use cunjing_core::{NewOffice, RegisterKind, Store};
use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

struct Fixture {
    /// A station with both offices enrolled and their keys pinned, no bundles yet.
    template: PathBuf,
    bundles: Vec<BundleFile>,
    /// The state after importing every bundle in the order they were written.
    expected: String,
    _dir: tempfile::TempDir,
}

fn export(store: &Store, stick: &Path, mode: ExportMode) -> BundleFile {
    match store.export_bundle(stick, mode).expect("export") {
        ExportResult::Written(w) => BundleFile { name: w.path.clone(), bytes: std::fs::read(&w.path).expect("bundle") },
        ExportResult::NothingToExport { message } => panic!("{message}"),
    }
}

/// One office's working weeks: entries, corrections and voids, with an export after each.
fn office_bundles(dir: &Path, st: &StationStore, code: &str, seed: u64) -> Vec<BundleFile> {
    let path = dir.join(format!("{code}.db"));
    let new =
        NewOffice {
            code: code.into(), name: format!("{code}村警务室"), officer: OFFICER.into(), ..Default::default()
        };
    let store = Store::create(&path, &new, &key(), clock()).expect("office");
    fill(&store, &DemoConfig { households: 8, years: 1, seed }, &mut |_| {}).expect("demo");
    let e = st.enroll_office(code, &new.name).expect("enroll");
    let k = store.enroll(&e.bytes, "e.cje").expect("enrolls");
    st.add_office_key(&k.office_key_file, "k.cjk").expect("pins");
    let stick = dir.join(format!("{code}-usb"));
    std::fs::create_dir(&stick).expect("stick");
    let households: Vec<Uuid> = list_all(&store, RegisterKind::Households)
        .iter()
        .map(|h| Uuid::parse_str(str_of(h, "id")).expect("uuid"))
        .collect();
    let mut out = vec![export(&store, &stick, ExportMode::Changes)];
    for (week, h) in households.iter().enumerate().take(4) {
        update(&store, RegisterKind::Households, *h, &json!({"notes": format!("第 {week} 周走访后更新")}));
        add_household(&store);
        if week == 1 {
            store.void(RegisterKind::Households, households[5], "重复登记").expect("void");
        }
        // The same record changed twice between two bundles: only its latest version travels.
        update(&store, RegisterKind::Households, *h, &json!({"phone": "13800138000"}));
        out.push(export(&store, &stick, if week == 2 { ExportMode::Full } else { ExportMode::Changes }));
    }
    update(&store, RegisterKind::Households, households[6], &json!({"notes": "最后一次修改"}));
    out.push(export(&store, &stick, ExportMode::Unconfirmed));
    out
}

fn state(st: &StationStore, path: &Path) -> String {
    let conn = raw(path);
    let records: String = conn
        .query_row(
            "SELECT group_concat(x, char(10)) FROM (SELECT id || '|' || version || '|' || voided || '|' || content_hash AS x
             FROM county_records ORDER BY id)",
            [],
            |r| r.get(0),
        )
        .expect("records");
    let status = st.status().expect("status");
    let coverage: Vec<String> = status
        .offices
        .iter()
        .map(|o| {
            format!("{} {} {} {:?} {}", o.code, o.received_through_seq, o.confirmed_change_seq, o.missing, o.bundles)
        })
        .collect();
    format!("{records}\n{coverage:?}")
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let st_path = dir.path().join("station.db");
        let st = StationStore::open_or_create(&st_path, &key(), clock()).expect("station");
        st.init_station("城关派出所").expect("init");
        let mut bundles = office_bundles(dir.path(), &st, "EAST", 1);
        bundles.extend(office_bundles(dir.path(), &st, "WEST", 2));
        let template = dir.path().join("template.db");
        raw(&st_path).execute("VACUUM INTO ?1", [template.display().to_string()]).expect("template");
        for b in &bundles {
            let r = st.import(std::slice::from_ref(b), false).expect("import");
            assert_eq!(r.bundles[0].status, ImportStatus::Imported, "{r:#?}");
        }
        let expected = state(&st, &st_path);
        Fixture { template, bundles, expected, _dir: dir }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn arrival_order_does_not_change_the_result(order in Just((0..12usize).collect::<Vec<_>>()).prop_shuffle()) {
        let f = fixture();
        prop_assert_eq!(f.bundles.len(), 12);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        std::fs::copy(&f.template, &path).expect("copy");
        let st = StationStore::open(&path, &key(), clock()).expect("station");
        for i in &order {
            let r = st.import(std::slice::from_ref(&f.bundles[*i]), false).expect("import");
            prop_assert_eq!(r.bundles[0].status, ImportStatus::Imported);
        }
        // Everything once more, in the same shuffled order: nothing changes.
        for i in &order {
            let r = st.import(std::slice::from_ref(&f.bundles[*i]), false).expect("import");
            prop_assert_eq!(r.bundles[0].status, ImportStatus::AlreadyImported);
        }
        prop_assert_eq!(state(&st, &path), f.expected.clone());
    }
}
