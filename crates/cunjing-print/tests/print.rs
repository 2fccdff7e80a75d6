//! The printed documents, read back as a person's PDF reader would (poppler's pdftotext and
//! pdfinfo): titles, header lines, page numbering, rows, voided rows, the header on every page
//! of a 1,000-row ledger, and no personal data on the public prints of a realistic office.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use cunjing_core::dashboard::Month;
use cunjing_core::demo::{DemoConfig, demo_office, fill};
use cunjing_core::domain::CodeEnum;
use cunjing_core::store::{ListQuery, PrintProfile};
use cunjing_core::{Clock, CoreError, FixedClock, RegisterKind, Store};
use cunjing_print::{Document, PaperSize, Period, ledger, report, wall};
use serde_json::{Value, json};
use tempfile::TempDir;

const NOW: &str = "2026-11-28T10:00:00+08:00";

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::parse(NOW).expect("valid timestamp"))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

struct Office {
    store: Store,
    dir: TempDir,
}

fn empty_office() -> Office {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::create(&dir.path().join("office.db"), &demo_office(), &cunjing_core::DbKey::Plain, clock())
        .expect("office");
    Office { store, dir }
}

/// A small but realistic office: the demo generator's roster (valid ID numbers, real-looking
/// names and phones) and a year of visits, patrols and disputes.
fn demo_office_db() -> Office {
    let office = empty_office();
    fill(&office.store, &DemoConfig { households: 150, years: 1, seed: 11 }, &mut |_| {}).expect("demo data");
    office
}

/// The text of each page, as pdftotext extracts it, with the spaces Typst puts between Chinese
/// and Latin text taken out (so "第 1 页" reads "第1页").
fn pages(doc: &Document, dir: &Path) -> Vec<String> {
    let pdf = dir.join(&doc.file_name);
    std::fs::write(&pdf, &doc.pdf).expect("writes the PDF");
    // CUNJING_PRINT_OUT=DIR keeps every PDF the tests read, to look at.
    if let Ok(keep) = std::env::var("CUNJING_PRINT_OUT") {
        std::fs::write(Path::new(&keep).join(&doc.file_name), &doc.pdf).expect("keeps the PDF");
    }
    let out = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils) runs");
    assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let pages: Vec<String> = text.split('\u{c}').map(|p| p.chars().filter(|c| !c.is_whitespace()).collect()).collect();
    // pdftotext ends with a form feed: the last piece is empty.
    pages[..pages.len() - 1].to_vec()
}

fn all_text(doc: &Document, dir: &Path) -> String {
    pages(doc, dir).concat()
}

fn pdfinfo(doc: &Document, dir: &Path) -> String {
    let pdf = dir.join(&doc.file_name);
    std::fs::write(&pdf, &doc.pdf).expect("writes the PDF");
    let out = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn list_all(store: &Store, kind: RegisterKind) -> Vec<Value> {
    let mut q = ListQuery { include_voided: true, limit: 1000, ..ListQuery::default() };
    let mut all = Vec::new();
    loop {
        let page = store.list(kind, &q).expect("list");
        let n = page.items.len();
        all.extend(page.items);
        if n < 1000 {
            return all;
        }
        q.offset += 1000;
    }
}

fn text_field(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string).filter(|s| !s.is_empty())
}

#[test]
fn dispute_ledger_has_title_header_numbering_rows_and_signature_lines() {
    let office = demo_office_db();
    let (from, to) = (date("2026-01-01"), date("2026-11-28"));
    let doc = ledger(&office.store, RegisterKind::Disputes, Some(from), Some(to)).expect("ledger");
    let pages = pages(&doc, office.dir.path());
    assert_eq!(pages.len(), doc.pages);
    let n = pages.len();
    assert!(pages[0].contains("演示警务室纠纷调处登记簿"), "{}", pages[0]);
    for expected in
        ["派出所：演示派出所", "警务室：演示警务室", "责任民警：张警官", "年度：2026", "2026年1月1日至2026年11月28日"]
    {
        assert!(pages[0].contains(expected), "missing {expected}: {}", pages[0]);
    }
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains(&format!("第{}页共{n}页", i + 1)), "page {} numbering: {page}", i + 1);
        assert!(page.contains("登记人（签名）") && page.contains("审核人") && page.contains("年月日"));
        assert!(page.contains("当事人") && page.contains("调处经过"), "header on page {}", i + 1);
    }
    // Every dispute of the range is a row, with its number, parties' names (internal print: in
    // full) and the date written the Chinese way.
    let q = ListQuery { from: Some(from), to: Some(to), include_voided: true, limit: 1000, ..ListQuery::default() };
    let disputes = office.store.list(RegisterKind::Disputes, &q).expect("list").items;
    assert!(!disputes.is_empty());
    let text = pages.concat();
    for d in &disputes {
        let no = text_field(d, "record_no").expect("numbered");
        assert!(text.contains(&no), "row {no} missing");
        let first_party = d["parties"][0]["name"].as_str().expect("party");
        assert!(text.contains(first_party), "party {first_party} missing");
    }
    assert!(text.contains(&format!("{}{}", disputes.len(), "条")), "row count in the header");
    assert!(doc.pdf.len() < 2_000_000, "font subset embedded, not the whole face: {} bytes", doc.pdf.len());
}

#[test]
fn voided_records_stay_visible_struck_through_with_their_reason() {
    let office = empty_office();
    let store = &office.store;
    let visit = |concerns: &str| {
        json!({"date": "2026-11-20", "officer": "张警官", "head_name": "王堃", "address": "翠月湖村三组12号",
               "method": "in_home", "purposes": ["info_check"], "concerns": concerns})
    };
    store.add(RegisterKind::Visits, &visit("反映路灯不亮")).expect("visit");
    let wrong = store.add(RegisterKind::Visits, &visit("误录的一条")).expect("visit");
    store.void(RegisterKind::Visits, wrong.id, "重复登记，以第1条为准").expect("void");
    let doc = ledger(store, RegisterKind::Visits, Some(date("2026-11-01")), Some(date("2026-11-30"))).expect("ledger");
    let text = all_text(&doc, office.dir.path());
    assert!(text.contains("演示警务室入户走访登记簿"));
    assert!(text.contains("反映路灯不亮") && text.contains("误录的一条"), "the voided row is still printed: {text}");
    assert!(text.contains("作废原因：重复登记，以第1条为准"), "{text}");
    assert!(text.contains("其中作废1条"), "{text}");
    assert!(text.contains("2026年11月20日"), "dates the Chinese way: {text}");
    // A name character outside GB2312 prints (it is in the shipped subset).
    assert!(text.contains("王堃"), "{text}");
    assert!(text.contains("入户") && text.contains("信息采集核对"), "codes shown by their Chinese names: {text}");
}

#[test]
fn thousand_row_ledger_repeats_the_header_on_every_page() {
    let office = empty_office();
    let first = date("2026-01-01");
    let inputs: Vec<Value> = (0..1000)
        .map(|i| {
            let day = first + chrono::Duration::days(i64::from(i % 300));
            json!({
                "date": day.to_string(), "officer": "张警官",
                "head_name": format!("住户{i}"), "address": format!("翠月湖村{}组{}号", i % 9 + 1, i),
                "method": "in_home", "purposes": ["info_check", "safety_publicity"],
                "concerns": format!("第{i}户反映：村口道路破损，雨天积水严重，老人和孩子出行不便，希望尽快联系村委会和乡镇修补，并在夜间增设路灯。"),
                "response": "已记录，转村委会处理，一周内回复。",
            })
        })
        .collect();
    for chunk in inputs.chunks(250) {
        office.store.add_batch(RegisterKind::Visits, chunk).expect("batch");
    }
    let started = Instant::now();
    let doc = ledger(&office.store, RegisterKind::Visits, Some(first), Some(date("2026-11-28"))).expect("ledger");
    eprintln!("1,000-row ledger: {} pages, {} bytes, {:?}", doc.pages, doc.pdf.len(), started.elapsed());
    let pages = pages(&doc, office.dir.path());
    let n = pages.len();
    assert!(n >= 20, "1,000 wrapped rows take many pages: {n}");
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("群众反映问题/诉求") && page.contains("序号"), "header on page {}", i + 1);
        assert!(page.contains(&format!("第{}页共{n}页", i + 1)), "numbering on page {}", i + 1);
    }
    let text = pages.concat();
    for i in [0, 1, 499, 998, 999] {
        assert!(text.contains(&format!("第{i}户反映")), "row {i}");
    }
    assert!(text.contains("共1000条"));
    assert!(doc.pdf.len() < 3_000_000, "{} bytes", doc.pdf.len());
}

#[test]
fn roster_ledgers_print_everyone_with_full_data() {
    let office = demo_office_db();
    let doc = ledger(&office.store, RegisterKind::Residents, None, None).expect("ledger");
    let text = all_text(&doc, office.dir.path());
    assert!(text.contains("演示警务室实有人口登记簿") && text.contains("公民身份号码"));
    let residents = list_all(&office.store, RegisterKind::Residents);
    let with_id = residents.iter().find_map(|r| text_field(r, "id_number")).expect("an ID number");
    assert!(text.contains(&with_id), "internal ledgers print ID numbers in full");
    let doc = ledger(&office.store, RegisterKind::Households, None, None).expect("ledger");
    assert!(all_text(&doc, office.dir.path()).contains("住户登记簿"));
    let doc = ledger(&office.store, RegisterKind::Patrols, Some(date("2026-11-01")), None).expect("ledger");
    assert!(all_text(&doc, office.dir.path()).contains("巡逻登记簿"));
}

/// Every resident's ID number, phone and full name, and every dispute party's, in the office.
fn personal_data(store: &Store) -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let (mut ids, mut phones, mut names) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut people: Vec<Value> = list_all(store, RegisterKind::Residents);
    people.extend(list_all(store, RegisterKind::Households));
    for d in list_all(store, RegisterKind::Disputes) {
        people.extend(d["parties"].as_array().cloned().unwrap_or_default());
    }
    for v in list_all(store, RegisterKind::Visits) {
        people.push(json!({"head_name": v.get("head_name")}));
    }
    for p in &people {
        ids.extend(text_field(p, "id_number"));
        phones.extend(text_field(p, "phone").map(|s| s.replace('-', "")));
        names.extend(text_field(p, "name").into_iter().chain(text_field(p, "head_name")));
    }
    (ids, phones, names)
}

#[test]
fn public_prints_of_a_real_looking_office_hold_no_personal_data() {
    let office = demo_office_db();
    let store = &office.store;
    let (ids, phones, names) = personal_data(store);
    assert!(ids.len() > 100 && phones.len() > 50 && names.len() > 100, "the office is full of personal data");
    let month = Month::parse("2026-11").expect("month");
    let docs = [
        wall(store, month, PaperSize::A4).expect("wall"),
        wall(store, month, PaperSize::A3).expect("wall"),
        report(store, Period::parse("2026-11").expect("period")).expect("report"),
        report(store, Period::parse("2026-Q4").expect("period")).expect("report"),
    ];
    let office_text = serde_json::to_string(&store.office().expect("office")).expect("json");
    for doc in &docs {
        let text = all_text(doc, office.dir.path());
        let digits: String = text.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        for id in &ids {
            assert!(!digits.contains(id.as_str()), "{}: ID number {id} printed", doc.title);
        }
        for phone in &phones {
            assert!(!digits.contains(phone.as_str()), "{}: phone {phone} printed", doc.title);
        }
        for name in names.iter().filter(|n| n.chars().count() >= 2 && !office_text.contains(n.as_str())) {
            assert!(!text.contains(name.as_str()), "{}: resident name {name} printed", doc.title);
        }
    }
    // What the report does show: the period's figures and the disputes, places down to the group.
    let text = all_text(&docs[2], office.dir.path());
    assert!(text.contains("演示警务室2026年11月工作考评表"), "{text}");
    assert!(text.contains("入户走访") && text.contains("达标") || text.contains("未达标"));
    assert!(text.contains("当事人信息不予公开"));
    assert!(all_text(&docs[3], office.dir.path()).contains("2026年第四季度工作考评表"));
}

#[test]
fn wall_display_fits_one_page_in_a4_and_a3_with_photo_profile_and_figures() {
    let office = demo_office_db();
    let store = &office.store;
    let profile = PrintProfile {
        office_address: "演示镇翠月湖村村委会一楼".into(),
        office_phone: "0795-4561234".into(),
        commitments: "有警必接、有难必帮\n群众来访热情接待".into(),
        ..PrintProfile::default()
    };
    store.set_print_profile(&profile).expect("profile");
    store.set_officer_photo(Some(include_bytes!("fixtures/officer.png"))).expect("photo");
    let month = Month::parse("2026-11").expect("month");
    let a4 = wall(store, month, PaperSize::A4).expect("wall");
    let a3 = wall(store, month, PaperSize::A3).expect("wall");
    assert_eq!((a4.pages, a3.pages), (1, 1), "the board is one sheet");
    assert!(pdfinfo(&a4, office.dir.path()).contains("(A4)"));
    assert!(pdfinfo(&a3, office.dir.path()).contains("(A3)"));
    let text = all_text(&a4, office.dir.path());
    let figures = store.period_figures(month.first_day(), month.last_day()).expect("figures");
    for expected in [
        "警务公开栏".to_string(),
        "张警官".into(),
        "036001".into(),
        "驻村民警".into(),
        "13807950001".into(),
        "0795-4561110".into(),
        "0795-4561234".into(),
        "110".into(),
        "演示镇翠月湖村村委会一楼".into(),
        "群众来访热情接待".into(),
        "防诈骗".into(),
        "2026年11月工作情况".into(),
        format!("{}户", figures.households_visited),
        format!("{}次", figures.patrols),
        // The four figure boxes come out of pdftotext interleaved: label and value apart.
        "服务群众".into(),
        format!("{}件", figures.services),
        "走访群众".into(),
        "巡逻防控".into(),
    ] {
        assert!(text.contains(&expected), "missing {expected}: {text}");
    }
}

#[test]
fn bad_requests_are_refused_with_field_and_chinese_message() {
    let office = empty_office();
    let Err(CoreError::Invalid(e)) =
        ledger(&office.store, RegisterKind::Visits, Some(date("2026-11-02")), Some(date("2026-11-01")))
    else {
        panic!("end before start accepted")
    };
    assert_eq!(e[0].field, "to");
    assert!(PaperSize::parse("b5").is_err());
    assert!(office.store.set_officer_photo(Some(b"GIF89a....")).is_err());
    assert!(office.store.set_officer_photo(Some(&vec![0x89; 3 * 1024 * 1024])).is_err());
}

/// Every register has a ledger (issue 8's further books included): it prints its own title, the
/// first record's Chinese values and no raw codes or record ids; the key persons' is internal.
#[test]
fn every_registers_ledger_prints_readable_rows() {
    let office = demo_office_db();
    for &kind in RegisterKind::ALL {
        let doc = ledger(&office.store, kind, Some(date("2026-01-01")), Some(date("2026-11-28"))).expect("ledger");
        let text = all_text(&doc, office.dir.path());
        let title = cunjing_print::ledger::spec(kind).title;
        let compact: String = title.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(text.contains(&compact), "{kind:?}: title {title} missing");
        assert!(text.contains("第1页"), "{kind:?}: page numbers");
        // No UUIDs (a team shown by id instead of name) and no snake_case codes.
        let uuid = regex_lite_uuid(&text);
        assert!(uuid.is_none(), "{kind:?}: a raw record id in the ledger: {uuid:?}");
        for code in ["security_committee", "in_home", "good_deed", "group_incident_sign", "questionnaire", "captain"] {
            assert!(!text.contains(code), "{kind:?}: raw code {code}");
        }
    }
}

/// The first run of 8-4-4-4-12 hex digits with dashes, if any.
fn regex_lite_uuid(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let shape = [8, 4, 4, 4, 12];
    'start: for i in 0..chars.len() {
        let mut j = i;
        for (n, len) in shape.iter().enumerate() {
            for _ in 0..*len {
                if !chars.get(j).is_some_and(|c| c.is_ascii_hexdigit()) {
                    continue 'start;
                }
                j += 1;
            }
            if n < 4 {
                if chars.get(j) != Some(&'-') {
                    continue 'start;
                }
                j += 1;
            }
        }
        return Some(chars[i..j].iter().collect());
    }
    None
}
