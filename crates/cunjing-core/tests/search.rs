//! Search across the registers: Chinese names (2 characters), full pinyin, initials, surname
//! readings, ID-number and phone fragments, villages, dispute numbers and words in long text;
//! voided records hidden unless asked for; the index follows updates.

mod common;

use cunjing_core::search::{MatchKind, SearchHit};
use cunjing_core::{ErrorCode, RegisterKind, Store};
use serde_json::json;
use uuid::Uuid;

use common::*;

struct Village {
    db: TestDb,
    cuiyue: Uuid,
    dongshan: Uuid,
    wang_fang: Uuid,
    wang_fangfang: Uuid,
    zeng: Uuid,
    shan: Uuid,
    homestead: Uuid,
    drain: Uuid,
    fraud_visit: Uuid,
}

const ZENG_ID: &str = "51010719900808135";
const SHAN_ID: &str = "44030519751120157";
const FANGFANG_ID: &str = "33010219850310124";

fn village() -> Village {
    let db = TestDb::new();
    let s = &db.store;
    let cuiyue = add_household(s); // 翠月湖村三组18号, head 王芳, 13812345678
    let dongshan = add(s, RegisterKind::Households, &household("东山村", "二组", "7号", "刘明")).id;
    let wang_fang = add(s, RegisterKind::Residents, &resident_input(Some(cuiyue))).id;
    let wang_fangfang = add(s, RegisterKind::Residents, &resident("王芳芳", &id_number(FANGFANG_ID))).id;
    let zeng = add(
        s,
        RegisterKind::Residents,
        &json!({ "name": "曾小明", "id_number": id_number(ZENG_ID), "category": "registered", "phone": "13700001111",
                 "household_id": dongshan.to_string() }),
    )
    .id;
    let shan = add(s, RegisterKind::Residents, &resident("单田芳", &id_number(SHAN_ID))).id;
    let homestead = add(s, RegisterKind::Disputes, &dispute_input("2026-11-02")).id; // 2026-纠-001
    let mut drain = dispute_input("2026-11-10");
    drain["dispute_type"] = json!("neighbor");
    drain["location"] = json!("东山村二组");
    drain["parties"] = json!([
        { "name": "赵大勇", "role": "applicant" },
        { "name": "钱小红", "role": "respondent", "phone": "0571-87654321" }
    ]);
    drain["summary"] = json!("两家因排水沟堵塞、雨水倒灌院内发生口角，险些动手");
    let drain = add(s, RegisterKind::Disputes, &drain).id; // 2026-纠-002
    let mut visit = visit_input(dongshan, "2026-11-25");
    visit["concerns"] = json!("反映有陌生人冒充电信客服上门推销宽带，疑似诈骗");
    let fraud_visit = add(s, RegisterKind::Visits, &visit).id;
    Village { db, cuiyue, dongshan, wang_fang, wang_fangfang, zeng, shan, homestead, drain, fraud_visit }
}

fn search(store: &Store, q: &str) -> Vec<SearchHit> {
    store.search(q, 50, false).expect("search")
}

fn ids(hits: &[SearchHit]) -> Vec<Uuid> {
    hits.iter().map(|h| h.id).collect()
}

#[track_caller]
fn hit(hits: &[SearchHit], id: Uuid) -> &SearchHit {
    hits.iter().find(|h| h.id == id).unwrap_or_else(|| panic!("{id} not found in {hits:#?}"))
}

#[track_caller]
fn assert_found(store: &Store, q: &str, id: Uuid, kind: MatchKind) -> Vec<SearchHit> {
    let hits = search(store, q);
    let h = hit(&hits, id);
    assert_eq!(h.matched, kind, "`{q}` matched on {:?}: {h:#?}", h.matched);
    assert!(!h.voided);
    hits
}

#[track_caller]
fn assert_not_found(store: &Store, q: &str, id: Uuid) {
    let hits = search(store, q);
    assert!(!ids(&hits).contains(&id), "`{q}` should not find {id}: {hits:#?}");
}

#[test]
fn two_character_chinese_name() {
    let v = village();
    let s = &v.db.store;
    let hits = assert_found(s, "王芳", v.wang_fang, MatchKind::Name);
    let h = hit(&hits, v.wang_fang);
    assert_eq!(h.register, RegisterKind::Residents);
    assert_eq!(h.matched_text, "王芳");
    assert!(h.title.contains("王芳"), "{}", h.title);
    // The household whose head is 王芳, and 王芳芳 by fragment.
    assert_eq!(hit(&hits, v.cuiyue).matched, MatchKind::Name);
    assert_eq!(hit(&hits, v.cuiyue).register, RegisterKind::Households);
    hit(&hits, v.wang_fangfang);
    // Exact names come before longer names that contain the query.
    let pos = |id| hits.iter().position(|h| h.id == id).expect("present");
    assert!(pos(v.wang_fang) < pos(v.wang_fangfang));
    assert!(pos(v.cuiyue) < pos(v.wang_fangfang));
    assert!(!ids(&hits).contains(&v.zeng));
    // Two characters that name people are those people: the long text is not scanned for them
    // (it is for two characters no name, number or place has: 诈骗, 口角 in `words_in_long_text`).
    assert!(hits.iter().all(|h| h.matched != MatchKind::Text), "{hits:?}");
    // Surrounding spaces do not matter; a different name finds nothing.
    assert_eq!(ids(&search(s, "  王芳 ")).len(), ids(&hits).len());
    assert!(search(s, "王芬").is_empty());
}

#[test]
fn full_pinyin_and_initials() {
    let v = village();
    let s = &v.db.store;
    let hits = assert_found(s, "wangfang", v.wang_fang, MatchKind::Pinyin);
    hit(&hits, v.cuiyue);
    hit(&hits, v.wang_fangfang);
    assert!(!ids(&hits).contains(&v.shan), "单田芳 is not wangfang");
    // Case does not matter, and a prefix is enough.
    assert_found(s, "WangFang", v.wang_fang, MatchKind::Pinyin);
    assert_found(s, "wangf", v.wang_fang, MatchKind::Pinyin);

    let hits = assert_found(s, "wf", v.wang_fang, MatchKind::Initials);
    hit(&hits, v.cuiyue);
    let hits = search(s, "wff");
    assert!(ids(&hits).contains(&v.wang_fangfang));
    assert!(!ids(&hits).contains(&v.wang_fang), "wff is not 王芳");
    assert!(search(s, "wangfen").is_empty());
}

#[test]
fn surnames_with_their_surname_reading() {
    let v = village();
    let s = &v.db.store;
    assert_found(s, "zengxiaoming", v.zeng, MatchKind::Pinyin);
    assert_found(s, "zeng", v.zeng, MatchKind::Pinyin);
    assert_found(s, "zxm", v.zeng, MatchKind::Initials);
    assert_not_found(s, "cengxiaoming", v.zeng);
    assert_found(s, "shantianfang", v.shan, MatchKind::Pinyin);
    assert_found(s, "stf", v.shan, MatchKind::Initials);
    assert_not_found(s, "dantianfang", v.shan);
    assert_not_found(s, "dtf", v.shan);
}

#[test]
fn id_number_fragments() {
    let v = village();
    let s = &v.db.store;
    let hits = assert_found(s, "31002X", v.wang_fang, MatchKind::Number);
    assert_eq!(hit(&hits, v.wang_fang).matched_text, WANG_FANG_ID);
    assert_found(s, "31002x", v.wang_fang, MatchKind::Number);
    assert_found(s, "19491231", v.wang_fang, MatchKind::Number);
    assert_found(s, WANG_FANG_ID, v.wang_fang, MatchKind::Number);
    let zeng_id = id_number(ZENG_ID);
    let hits = assert_found(s, &zeng_id[12..], v.zeng, MatchKind::Number);
    assert!(!ids(&hits).contains(&v.wang_fang));
    assert!(search(s, "999999999").is_empty());
}

#[test]
fn phone_fragments() {
    let v = village();
    let s = &v.db.store;
    // Resident 王芳 and her household share the number.
    let hits = assert_found(s, "12345678", v.wang_fang, MatchKind::Number);
    assert_eq!(hit(&hits, v.cuiyue).matched, MatchKind::Number);
    assert_found(s, "13700001111", v.zeng, MatchKind::Number);
    // Dispute parties' phones, landlines included.
    assert_found(s, "13905710001", v.homestead, MatchKind::Number);
    assert_found(s, "87654321", v.drain, MatchKind::Number);
}

#[test]
fn village_and_place_names() {
    let v = village();
    let s = &v.db.store;
    let hits = assert_found(s, "翠月湖", v.cuiyue, MatchKind::Place);
    assert!(!ids(&hits).contains(&v.dongshan));
    let hits = assert_found(s, "东山村", v.dongshan, MatchKind::Place);
    // The visit keeps the household's address; the dispute happened there.
    hit(&hits, v.fraud_visit);
    hit(&hits, v.drain);
    assert!(!ids(&hits).contains(&v.cuiyue));
    let hits = search(s, "cuiyuehu");
    assert!(ids(&hits).contains(&v.cuiyue), "village by pinyin: {hits:#?}");
}

#[test]
fn dispute_record_numbers() {
    let v = village();
    let s = &v.db.store;
    let hits = assert_found(s, "2026-纠-002", v.drain, MatchKind::Number);
    assert_eq!(ids(&hits), [v.drain]);
    assert_eq!(hit(&hits, v.drain).register, RegisterKind::Disputes);
    let hits = search(s, "纠-001");
    assert_eq!(ids(&hits), [v.homestead]);
    let both = search(s, "2026-纠");
    assert!(ids(&both).contains(&v.homestead) && ids(&both).contains(&v.drain));
}

#[test]
fn words_in_long_text() {
    let v = village();
    let s = &v.db.store;
    // Three or more characters: the trigram index.
    let hits = assert_found(s, "排水沟", v.drain, MatchKind::Text);
    assert!(hit(&hits, v.drain).matched_text.contains("排水沟"));
    assert_eq!(ids(&hits), [v.drain]);
    assert_found(s, "宅基地边界", v.homestead, MatchKind::Text);
    assert_found(s, "冒充电信客服", v.fraud_visit, MatchKind::Text);
    // Two characters: trigrams cannot match, the fallback must.
    let hits = assert_found(s, "诈骗", v.fraud_visit, MatchKind::Text);
    assert_eq!(ids(&hits), [v.fraud_visit]);
    assert_found(s, "口角", v.drain, MatchKind::Text);
    // Household notes and resident occupations are text too.
    assert_found(s, "独居老人", v.cuiyue, MatchKind::Text);
    assert_found(s, "务农", v.wang_fang, MatchKind::Text);
    assert!(search(s, "洪水").is_empty());
    assert!(search(s, "山洪暴发").is_empty());
}

#[test]
fn voided_records_are_hidden_unless_asked_for() {
    let v = village();
    let s = &v.db.store;
    s.void(RegisterKind::Residents, v.zeng, "已迁出本村").expect("void");
    for q in ["曾小明", "zengxiaoming", "zxm", "13700001111"] {
        assert_not_found(s, q, v.zeng);
        let with_voided = s.search(q, 50, true).expect("search");
        let h = hit(&with_voided, v.zeng);
        assert!(h.voided, "`{q}` marks the hit as voided");
    }
    s.void(RegisterKind::Disputes, v.drain, "重复登记").expect("void");
    assert!(search(s, "排水沟").is_empty());
    assert!(search(s, "口角").is_empty());
    assert!(search(s, "2026-纠-002").is_empty());
    assert_eq!(ids(&s.search("排水沟", 50, true).expect("search")), [v.drain]);
    // Live records rank before voided ones of the same quality.
    let dup = add(
        s,
        RegisterKind::Residents,
        &json!({ "name": "曾小明", "sex": "male", "birth_date": "1990-08-08",
                                                      "category": "registered" }),
    )
    .id;
    let hits = s.search("曾小明", 50, true).expect("search");
    assert_eq!(ids(&hits), [dup, v.zeng]);
}

#[test]
fn the_index_follows_updates() {
    let v = village();
    let s = &v.db.store;
    update(s, RegisterKind::Residents, v.shan, &json!({ "name": "单田园", "phone": "13600002222" }));
    assert_not_found(s, "单田芳", v.shan);
    assert_not_found(s, "shantianfang", v.shan);
    assert_found(s, "单田园", v.shan, MatchKind::Name);
    assert_found(s, "shantianyuan", v.shan, MatchKind::Pinyin);
    assert_found(s, "13600002222", v.shan, MatchKind::Number);
    // The ID number is still there.
    assert_found(s, &id_number(SHAN_ID)[10..], v.shan, MatchKind::Number);

    update(s, RegisterKind::Disputes, v.drain, &json!({ "summary": "两家因化粪池渗漏发生争执" }));
    assert!(search(s, "排水沟").is_empty());
    assert_found(s, "化粪池", v.drain, MatchKind::Text);
    // A household renamed: the visit keeps the name it was made under.
    update(s, RegisterKind::Households, v.dongshan, &json!({ "head_name": "刘建军" }));
    assert_found(s, "刘建军", v.dongshan, MatchKind::Name);
    assert_not_found(s, "刘明", v.dongshan);
    assert_found(s, "刘明", v.fraud_visit, MatchKind::Name);
}

#[test]
fn query_limits() {
    let v = village();
    let s = &v.db.store;
    for q in ["", "   "] {
        let errors = invalid(s.search(q, 10, false));
        assert_has(&errors, ErrorCode::Required, "text");
    }
    let errors = invalid(s.search(&"王".repeat(51), 10, false));
    assert_has(&errors, ErrorCode::TooLong, "text");
    assert!(s.search(&"王".repeat(50), 10, false).is_ok());
    let all = search(s, "王");
    assert!(all.len() >= 3, "{all:#?}");
    let one = s.search("王", 1, false).expect("search");
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].id, all[0].id, "the limit keeps the best hit");
    // Characters that mean something to SQL or FTS are searched literally.
    for q in ["\"王芳", "王%", "wang_", "*", "a OR b", "'; DROP TABLE records; --"] {
        s.search(q, 10, false).expect(q);
    }
    assert!(search(s, "王%").is_empty());
}
