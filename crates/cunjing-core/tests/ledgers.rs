//! The other books (issue 8): each register's rules through the store (refused input names the
//! field and writes nothing), the restricted key-person register (views audited, out of global
//! search), and the dashboard's and assessment's figures on hand-made data with known answers.
//! Today is Saturday 2026-11-28 (common::NOW); its week runs from Monday 23 to Sunday 29.

mod common;

use cunjing_core::assessment::Period;
use cunjing_core::dashboard::Month;
use cunjing_core::store::ListQuery;
use cunjing_core::targets::Targets;
use cunjing_core::{ErrorCode, RegisterKind};
use serde_json::{Value, json};
use uuid::Uuid;

use common::*;

#[track_caller]
fn add(db: &TestDb, kind: RegisterKind, input: Value) -> Uuid {
    db.store.add(kind, &input).unwrap_or_else(|e| panic!("{kind:?} refused: {e:?}")).id
}

/// Adds `input`, expects every `(code, field)` in `expected`, and that nothing was written.
#[track_caller]
fn refused_add(db: &TestDb, kind: RegisterKind, input: Value, expected: &[(ErrorCode, &str)]) {
    let before = db.snapshot();
    let errors = invalid(db.store.add(kind, &input));
    for (code, field) in expected {
        assert_has(&errors, *code, field);
    }
    assert_eq!(db.snapshot(), before, "a refused add must leave the database unchanged");
}

fn team(db: &TestDb) -> Uuid {
    add(db, RegisterKind::Teams, json!({"name": "翠月湖村治保会", "kind": "security_committee", "village": "翠月湖村"}))
}

fn member(db: &TestDb, team: Uuid, name: &str) -> Uuid {
    add(
        db,
        RegisterKind::TeamMembers,
        json!({"team_id": team, "name": name, "role": "member", "joined_on": "2026-01-05",
               "trainings": [{"date": "2026-01-10", "content": "巡逻防范基本常识", "trainer": "城关派出所"}]}),
    )
}

fn work(date: &str, in_village: bool) -> Value {
    json!({"date": date, "officer": OFFICER, "in_village": in_village, "category": "visit", "content": "入户走访"})
}

// --- teams and members ----------------------------------------------------------------------

#[test]
fn teams_and_members_follow_their_rules() {
    let db = TestDb::new();
    refused_add(
        &db,
        RegisterKind::Teams,
        json!({"name": "巡防队", "kind": "army", "village": "翠月湖村"}),
        &[(ErrorCode::UnknownCode, "kind")],
    );
    refused_add(
        &db,
        RegisterKind::Teams,
        json!({"name": "巡防队", "kind": "volunteer", "village": "翠月湖村", "phone": "12345"}),
        &[(ErrorCode::InvalidPhone, "phone")],
    );
    let t = team(&db);
    // A member needs a team that exists; one who left needs the day; trainings are checked.
    refused_add(
        &db,
        RegisterKind::TeamMembers,
        json!({"team_id": Uuid::new_v4(), "name": "王强", "role": "member", "joined_on": "2026-01-05"}),
        &[(ErrorCode::ReferenceNotFound, "team_id")],
    );
    refused_add(
        &db,
        RegisterKind::TeamMembers,
        json!({"team_id": t, "name": "王强", "role": "member", "joined_on": "2026-01-05", "status": "left"}),
        &[(ErrorCode::Required, "left_on")],
    );
    refused_add(
        &db,
        RegisterKind::TeamMembers,
        json!({"team_id": t, "name": "王强", "role": "member", "joined_on": "2026-01-05",
               "trainings": [{"date": "2026-12-01", "content": "培训"}, {"content": "培训"}]}),
        &[(ErrorCode::FutureDate, "trainings[0].date"), (ErrorCode::Required, "trainings[1].date")],
    );
    let m = member(&db, t, "王强");
    let shown = db.store.get(RegisterKind::TeamMembers, m).expect("member");
    assert_eq!(shown["status"], "active", "a new member is 在岗");

    // A voided team can no longer take members; a patrol can name the team and its members.
    let p = add(
        &db,
        RegisterKind::Patrols,
        json!({"date": "2026-11-27", "start_time": "19:30", "end_time": "21:00", "kind": "volunteer", "mode": "foot",
               "route": "翠月湖村一组至三组", "members": ["王强"], "team_id": t, "team_member_ids": [m],
               "headcount": 1, "recorder": "王强"}),
    );
    assert_eq!(db.store.get(RegisterKind::Patrols, p).expect("patrol")["team_member_ids"], json!([m]));
    refused_add(
        &db,
        RegisterKind::Patrols,
        json!({"date": "2026-11-27", "start_time": "19:30", "end_time": "21:00", "kind": "volunteer", "mode": "foot",
               "route": "一组", "members": ["王强"], "team_member_ids": [m], "headcount": 1, "recorder": "王强"}),
        &[(ErrorCode::Required, "team_id")],
    );
    refused_add(
        &db,
        RegisterKind::Patrols,
        json!({"date": "2026-11-27", "start_time": "19:30", "end_time": "21:00", "kind": "volunteer", "mode": "foot",
               "route": "一组", "team_id": t, "team_member_ids": [t], "headcount": 1, "recorder": "王强"}),
        &[(ErrorCode::ReferenceNotFound, "team_member_ids[0]")],
    );
    db.store.void(RegisterKind::Teams, t, "重复登记").expect("void");
    refused_add(
        &db,
        RegisterKind::TeamMembers,
        json!({"team_id": t, "name": "李明", "role": "member", "joined_on": "2026-01-05"}),
        &[(ErrorCode::ReferenceVoided, "team_id")],
    );
}

// --- work log, meetings, notices, intel, surveys ----------------------------------------------

#[test]
fn work_log_meetings_notices_intel_and_surveys_follow_their_rules() {
    let db = TestDb::new();
    refused_add(
        &db,
        RegisterKind::WorkLog,
        json!({"date": "2026-11-20", "officer": OFFICER, "in_village": true, "category": "visit",
               "content": "走访", "follow_up_due": "2026-11-19"}),
        &[(ErrorCode::EndBeforeStart, "follow_up_due")],
    );
    refused_add(
        &db,
        RegisterKind::WorkLog,
        json!({"date": "2026-11-20", "officer": OFFICER, "category": "visit", "content": "走访",
               "links": [{"register": "disputes", "id": Uuid::new_v4()}]}),
        &[(ErrorCode::ReferenceNotFound, "links[0].id")],
    );
    // A follow-up may lie ahead (it is a deadline), the work itself may not.
    add(
        &db,
        RegisterKind::WorkLog,
        json!({"date": "2026-11-28", "officer": OFFICER, "category": "mediation",
        "content": "调处邻里纠纷", "follow_up_due": "2026-12-05"}),
    );
    refused_add(&db, RegisterKind::WorkLog, work("2026-11-29", true), &[(ErrorCode::FutureDate, "date")]);

    refused_add(
        &db,
        RegisterKind::Meetings,
        json!({"date": "2026-11-10", "village": "翠月湖村", "attendees": ["甲", "乙", "丙"], "attendee_count": 2,
               "situation": "通报治安形势", "recorder": OFFICER}),
        &[(ErrorCode::OutOfRange, "attendee_count")],
    );

    // Notices are numbered 第N期 per year by the store, in the order they are entered.
    let notice = |date: &str| {
        json!({"date": date, "title": "防诈提示", "channels": ["posting", "wechat"], "content": "不要转账",
               "issuer": OFFICER})
    };
    let n1 = db.store.add(RegisterKind::Notices, &notice("2026-10-08")).expect("notice");
    let n2 = db.store.add(RegisterKind::Notices, &notice("2026-11-08")).expect("notice");
    assert_eq!((n1.record_no.as_deref(), n2.record_no.as_deref()), (Some("2026-通-001"), Some("2026-通-002")));
    let shown = db.store.get(RegisterKind::Notices, n2.id).expect("notice");
    assert!(shown["title"].is_string());
    assert_eq!(cunjing_core::present::record_title(RegisterKind::Notices, &shown), "2026年第2期 防诈提示");
    refused_add(
        &db,
        RegisterKind::Notices,
        json!({"date": "2026-11-08", "title": "x", "channels": [], "content": "x", "issuer": OFFICER}),
        &[(ErrorCode::Required, "channels")],
    );
    let errors = invalid(db.store.update(RegisterKind::Notices, n2.id, &json!({"date": "2025-12-30"})));
    assert_has(&errors, ErrorCode::ReadOnlyField, "date");
    let errors = invalid(db.store.add(RegisterKind::Notices, &json!({"record_no": "2026-通-009"})));
    assert_has(&errors, ErrorCode::ReadOnlyField, "record_no");

    // Only a sign can be defused, and how must be said.
    refused_add(
        &db,
        RegisterKind::Intel,
        json!({"date": "2026-11-02", "source": "村民反映", "category": "public_opinion", "content": "路灯",
               "defused": true, "handling": "已修", "officer": OFFICER}),
        &[(ErrorCode::OutOfRange, "defused")],
    );
    refused_add(
        &db,
        RegisterKind::Intel,
        json!({"date": "2026-11-02", "source": "走访", "category": "group_incident_sign", "content": "酝酿集体上访",
               "defused": true, "reported_on": "2026-11-01", "officer": OFFICER}),
        &[
            (ErrorCode::Required, "handling"),
            (ErrorCode::EndBeforeStart, "reported_on"),
            (ErrorCode::Required, "reported_to"),
        ],
    );

    // The three answers must add up to the people asked.
    refused_add(
        &db,
        RegisterKind::Surveys,
        json!({"date": "2026-11-15", "scope": "翠月湖村", "method": "questionnaire", "sample_size": 100,
               "satisfied": 80, "basically": 15, "unsatisfied": 4, "organiser": OFFICER}),
        &[(ErrorCode::OutOfRange, "sample_size")],
    );
}

// --- services -------------------------------------------------------------------------------

#[test]
fn services_ask_for_the_fields_of_their_kind_only() {
    let db = TestDb::new();
    let base = |kind: &str| json!({"date": "2026-11-05", "kind": kind, "officer": OFFICER, "beneficiary": "王奶奶", "content": "上门服务"});
    let mut cert = base("certificate");
    cert["certificate_action"] = json!("deliver");
    refused_add(
        &db,
        RegisterKind::Services,
        cert.clone(),
        &[
            (ErrorCode::Required, "certificate_kind"),
            (ErrorCode::Required, "certificate_count"),
            (ErrorCode::Required, "reason"),
            (ErrorCode::Required, "receiver"),
        ],
    );
    cert["certificate_kind"] = json!("id_card");
    cert["certificate_count"] = json!(2);
    cert["reason"] = json!("bedridden");
    cert["receiver"] = json!("王奶奶之子");
    add(&db, RegisterKind::Services, cert);

    let mut deed = base("good_deed");
    deed["visits"] = json!([{"date": "2026-11-06", "content": "看望"}]);
    deed["certificate_count"] = json!(1);
    refused_add(
        &db,
        RegisterKind::Services,
        deed,
        &[(ErrorCode::OutOfRange, "visits"), (ErrorCode::OutOfRange, "certificate_count")],
    );

    let mut pairing = base("pairing");
    pairing["visits"] = json!([
        {"date": "2026-11-01", "content": "看望"},
        {"date": "2026-11-20", "content": "送米", "money_fen": -5}
    ]);
    refused_add(
        &db,
        RegisterKind::Services,
        pairing.clone(),
        &[(ErrorCode::EndBeforeStart, "visits[0].date"), (ErrorCode::OutOfRange, "visits[1].money_fen")],
    );
    pairing["visits"] = json!([{"date": "2026-11-20", "content": "送米油", "money_fen": 30000, "goods": "大米一袋"}]);
    let id = add(&db, RegisterKind::Services, pairing);
    let shown = cunjing_core::present::display_fields(
        RegisterKind::Services,
        &db.store.get(RegisterKind::Services, id).expect("get"),
    );
    let visits = shown.iter().find(|f| f.key == "visits").expect("visits shown");
    assert!(visits.value.contains("300.00 元"), "money in 元: {}", visits.value);
}

// --- key persons: restricted ----------------------------------------------------------------

#[test]
fn key_persons_are_checked_audited_on_every_view_and_left_out_of_global_search() {
    let db = TestDb::new();
    let input = json!({
        "name": "赵某某", "id_number": WANG_FANG_ID, "sex": "male", "address": "翠月湖村三组 12 号",
        "level": "key", "category": "released", "reason": "刑满释放安置帮教", "responsible": OFFICER,
        "since": "2026-03-01", "checks": [{"date": "2026-02-20", "officer": OFFICER, "method": "in_home", "situation": "正常"}]
    });
    refused_add(
        &db,
        RegisterKind::KeyPersons,
        input.clone(),
        &[(ErrorCode::IdNumberSexMismatch, "sex"), (ErrorCode::EndBeforeStart, "checks[0].date")],
    );
    let mut good = input.clone();
    good["sex"] = json!("female");
    good["checks"] = json!([{"date": "2026-11-03", "officer": OFFICER, "method": "in_home", "situation": "正常"}]);
    let id = add(&db, RegisterKind::KeyPersons, good.clone());
    // One person, one entry.
    refused_add(&db, RegisterKind::KeyPersons, good, &[(ErrorCode::DuplicateValue, "id_number")]);

    let views = |db: &TestDb| db.store.view_log(1000).expect("view log");
    // (The refusal checks above listed every register, this one included: those were views.)
    let earlier = views(&db).len();
    db.store.get(RegisterKind::KeyPersons, id).expect("show");
    db.store.list(RegisterKind::KeyPersons, &ListQuery::default()).expect("list");
    db.store.history(RegisterKind::KeyPersons, id).expect("history");
    let log = views(&db);
    assert_eq!(log.len(), earlier + 3);
    let actions: Vec<&str> = log.iter().take(3).map(|v| v.action.as_str()).collect();
    assert_eq!(actions, vec!["history", "list", "show"], "newest first");
    assert!(log.iter().all(|v| v.actor == OFFICER && v.register == "key_persons"));
    assert_eq!(log[2].record_id, Some(id));
    // Other registers' views are not logged.
    db.store.list(RegisterKind::Visits, &ListQuery::default()).expect("list");
    assert_eq!(views(&db).len(), earlier + 3);
    assert_eq!(db.store.verify_view_log().expect("verify"), Ok(earlier as i64 + 3));

    // Global search finds nobody; the register's own list filters by name.
    assert!(db.store.search("赵某某", 20, false).expect("search").is_empty());
    assert!(db.store.search("zmm", 20, false).expect("search").is_empty());
    let page = db
        .store
        .list(RegisterKind::KeyPersons, &ListQuery { title_contains: Some("赵某某".into()), ..ListQuery::default() })
        .expect("list");
    assert_eq!(page.total, 1);

    // A view log row edited outside the product breaks its chain.
    let conn = db.raw();
    conn.execute_batch("DROP TRIGGER view_log_no_update; UPDATE view_log SET actor = '别人' WHERE id = 2;")
        .expect("tamper");
    let broken = db.store.verify_view_log().expect("verify").expect_err("broken");
    assert_eq!(broken.entry_id, 2);
}

// --- the dashboard's figures ----------------------------------------------------------------

#[test]
fn the_dashboard_counts_the_other_books_against_their_targets() {
    let db = TestDb::new();
    // Days in the village this week: a work-log day counts (Tue 24, Thu 26), one out of the
    // village does not (Wed 25), and a day is counted once (two entries on Thu 26).
    for (date, in_village) in [("2026-11-24", true), ("2026-11-25", false), ("2026-11-26", true), ("2026-11-26", true)]
    {
        add(&db, RegisterKind::WorkLog, work(date, in_village));
    }
    // A follow-up overdue, one due in three days, one done, one far ahead.
    for (due, done) in [("2026-11-25", false), ("2026-12-01", false), ("2026-11-20", true), ("2026-12-30", false)] {
        let mut w = work("2026-11-18", true);
        w["follow_up_due"] = json!(due);
        w["follow_up_done"] = json!(done);
        add(&db, RegisterKind::WorkLog, w);
    }
    add(
        &db,
        RegisterKind::Meetings,
        json!({"date": "2026-11-10", "village": "翠月湖村", "attendees": [],
        "attendee_count": 12, "situation": "通报", "recorder": OFFICER}),
    );
    let service = |date: &str, kind: &str, extra: Value| {
        let mut s = json!({"date": date, "kind": kind, "officer": OFFICER, "beneficiary": "王奶奶", "content": "服务"});
        for (k, v) in extra.as_object().expect("object") {
            s[k] = v.clone();
        }
        s
    };
    add(&db, RegisterKind::Services, service("2026-11-24", "good_deed", json!({"money_fen": 5000})));
    add(&db, RegisterKind::Services, service("2026-11-16", "good_deed", json!({}))); // last week
    let cert = json!({"certificate_action": "apply", "certificate_kind": "id_card", "certificate_count": 3, "reason": "elderly"});
    add(&db, RegisterKind::Services, service("2026-11-12", "certificate", cert));
    // Pairings: one running, one ended before this month.
    add(
        &db,
        RegisterKind::Services,
        service(
            "2026-01-05",
            "pairing",
            json!({"visits": [
        {"date": "2026-10-05", "content": "看望"}, {"date": "2026-11-05", "content": "送米", "money_fen": 20000}]}),
        ),
    );
    add(&db, RegisterKind::Services, service("2025-01-05", "pairing", json!({"ended_on": "2025-12-31"})));
    add(
        &db,
        RegisterKind::Notices,
        json!({"date": "2026-11-08", "title": "防诈", "channels": ["wechat"], "content": "x",
        "issuer": OFFICER}),
    );
    add(
        &db,
        RegisterKind::Intel,
        json!({"date": "2026-10-15", "source": "走访", "category": "public_opinion",
        "content": "x", "officer": OFFICER}),
    );
    // Key persons: one checked this month, one not, one off the list since October.
    let kp = |name: &str, id: &str, checks: Value, until: Option<&str>| {
        json!({"name": name, "id_number": id, "address": "翠月湖村", "level": "attention", "category": "petition",
               "reason": "信访", "responsible": OFFICER, "since": "2026-01-01", "checks": checks, "until": until})
    };
    let checked = json!([{"date": "2026-11-03", "officer": OFFICER, "method": "in_home", "situation": "正常"}]);
    add(&db, RegisterKind::KeyPersons, kp("甲", WANG_FANG_ID, checked, None));
    add(&db, RegisterKind::KeyPersons, kp("乙", BOY_ID, json!([]), None));
    add(&db, RegisterKind::KeyPersons, kp("丙", &id_number("44052419800101001"), json!([]), Some("2026-10-01")));

    let d = db.store.dashboard(Month::parse("2026-11").expect("month")).expect("dashboard");
    assert_eq!(d.village_days_this_week, 2);
    assert_eq!(d.meetings, 1);
    assert_eq!(d.good_deeds_this_week, 1);
    assert_eq!(d.pairings_active, 1);
    assert_eq!(d.certificates, 3);
    assert_eq!(d.notices, 1);
    assert_eq!(d.intel_this_quarter, 1);
    assert_eq!((d.key_persons_active, d.key_persons_unchecked), (2, 1));
    assert_eq!(d.key_person_visits, 1, "the check visit counts as a key-person visit");
    let due: Vec<(String, bool)> = d.work_followups_due.iter().map(|w| (w.due_on.to_string(), w.overdue)).collect();
    assert_eq!(due, vec![("2026-11-25".to_string(), true), ("2026-12-01".to_string(), false)]);

    let f = db
        .store
        .period_figures(Month::parse("2026-11").expect("m").first_day(), Month::parse("2026-11").expect("m").last_day())
        .expect("figures");
    assert_eq!((f.good_deeds, f.pairing_visits, f.certificates), (2, 1, 3));
    assert_eq!(f.services, 2 + 1 + 1, "good deeds, pairing visits and certificate entries");
    assert_eq!(f.money_fen, 5000 + 20000);
}

// --- the assessment --------------------------------------------------------------------------

#[test]
fn the_assessment_of_a_hand_made_month_scores_as_computed_by_hand() {
    let db = TestDb::new();
    db.store.set_targets(&Targets { households_visited_per_month: 2, ..Targets::default() }).expect("targets");
    // October 2026 (31 days, complete). Targets pro rata: households 2, key persons 1,
    // notices 1, intel 1 (a third of a quarter rounds to 0, at least 1), village days
    // 3 × 31 / 7 = 13, volunteer patrols 8, meetings 1.
    let h1 = add_household(&db.store);
    let h2 = add(&db, RegisterKind::Households, household("翠月湖村", "一组", "8号", "钱大"));
    add(&db, RegisterKind::Visits, visit_input(h1, "2026-10-09"));
    add(&db, RegisterKind::Visits, visit_input(h2, "2026-10-10"));
    // 13 days in the village by the work log (10, 12–23 October).
    for day in [10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23] {
        add(&db, RegisterKind::WorkLog, work(&format!("2026-10-{day:02}"), true));
    }
    add(
        &db,
        RegisterKind::Notices,
        json!({"date": "2026-10-08", "title": "防诈", "channels": ["wechat"], "content": "x",
        "issuer": OFFICER}),
    );
    add(
        &db,
        RegisterKind::Surveys,
        json!({"date": "2026-10-20", "scope": "翠月湖村", "method": "questionnaire",
        "sample_size": 80, "satisfied": 60, "basically": 14, "unsatisfied": 6, "organiser": OFFICER}),
    );
    // A sign of a group incident still open: −20 on security.
    add(
        &db,
        RegisterKind::Intel,
        json!({"date": "2026-10-15", "source": "走访", "category": "group_incident_sign",
        "content": "酝酿上访", "officer": OFFICER}),
    );

    let a = db.store.assessment(&Period::parse("2026-10").expect("period")).expect("assessment");
    assert!(a.complete);
    let scores: Vec<Option<i64>> = a.criteria.iter().map(|c| c.score).collect();
    // familiarity: households 2/2 → 100, key persons 0/1 → 0: (300 + 0 + 2) / 4 = 75.
    // information: intel 1/1 → 100, notices 1/1 → 100: 100.
    // security: nothing concluded → 100, − 20 = 80.
    // visibility: days 13/13 → 100, patrols 0/8 → 0, meetings 0/1 → 0: (100 + 1) / 3 = 33.
    // satisfaction: 74 / 80 = 92.5 → 93.
    assert_eq!(scores, vec![Some(75), Some(100), Some(80), Some(33), Some(93)]);
    assert_eq!(a.overall, Some(76)); // 381 / 5 = 76.2
    assert_eq!(a.grade.as_deref(), Some("良好"));
    assert_eq!(a.criteria[3].items[0].target, 13);

    // A period that has not begun is refused; a running one is judged on the days passed.
    let e = refused(db.store.assessment(&Period::parse("2027-Q1").expect("period")));
    assert_eq!(e.field, "period");
    let q4 = db.store.assessment(&Period::parse("2026-Q4").expect("period")).expect("q4");
    assert!(!q4.complete);
    assert_eq!(q4.as_of.to_string(), "2026-11-28");
}
