//! Validation through the store: every refused write reports the expected code on the expected
//! field and leaves the database exactly as it was (records, change log, audit trail, numbers,
//! search index).

mod common;

use cunjing_core::{ErrorCode, FieldError, RegisterKind};
use serde_json::{Value, json};
use uuid::Uuid;

use common::*;

/// Adds `input`, expects `CoreError::Invalid` with every `(code, field)` in `expected`, and
/// checks that nothing was written.
#[track_caller]
fn add_refused(db: &TestDb, kind: RegisterKind, input: &Value, expected: &[(ErrorCode, &str)]) -> Vec<FieldError> {
    let before = db.snapshot();
    let errors = invalid(db.store.add(kind, input));
    for (code, field) in expected {
        assert_has(&errors, *code, field);
    }
    assert_eq!(db.snapshot(), before, "a refused add must leave the database unchanged");
    errors
}

#[track_caller]
fn update_refused(
    db: &TestDb,
    kind: RegisterKind,
    id: Uuid,
    patch: &Value,
    expected: &[(ErrorCode, &str)],
) -> Vec<FieldError> {
    let before = db.snapshot();
    let errors = invalid(db.store.update(kind, id, patch));
    for (code, field) in expected {
        assert_has(&errors, *code, field);
    }
    assert_eq!(db.snapshot(), before, "a refused update must leave the database unchanged");
    errors
}

fn with(mut base: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().expect("object") {
        if v.is_null() {
            base.as_object_mut().expect("object").remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

// --- ID numbers ------------------------------------------------------------------------------

#[test]
fn wrong_id_check_character() {
    let db = TestDb::new();
    let bad = with_wrong_check(WANG_FANG_ID);
    let input = with(resident_input(None), json!({ "id_number": bad }));
    let errors = add_refused(&db, RegisterKind::Residents, &input, &[(ErrorCode::IdNumberChecksum, "id_number")]);
    assert_eq!(errors.len(), 1, "sex and birth date were given, so only the checksum is wrong: {errors:#?}");
    assert!(errors[0].message.contains(&bad), "the message quotes the number: {}", errors[0].message);
}

#[test]
fn impossible_birth_date_in_id() {
    let db = TestDb::new();
    for first17 in ["11010519490231002", "11010519491301002", "11010519490000002"] {
        let input = resident("王芳", &id_number(first17));
        add_refused(&db, RegisterKind::Residents, &input, &[(ErrorCode::IdNumberBirthDate, "id_number")]);
    }
}

#[test]
fn id_birth_date_out_of_range_length_and_charset() {
    let db = TestDb::new();
    let cases = [
        (id_number("11010518991231002"), ErrorCode::IdNumberBirthOutOfRange),
        // Born "tomorrow" (the clock says 2026-11-28).
        (id_number("11010520261129002"), ErrorCode::IdNumberBirthOutOfRange),
        ("1101051949123100".to_string(), ErrorCode::IdNumberLength),
        ("11010519491231002Y".to_string(), ErrorCode::IdNumberCharset),
    ];
    for (id, code) in cases {
        add_refused(&db, RegisterKind::Residents, &resident("王芳", &id), &[(code, "id_number")]);
    }
    // Born today is fine.
    let today = id_number("11010520261128002");
    let saved = add(&db.store, RegisterKind::Residents, &resident("王小妹", &today));
    assert_eq!(db.store.get(RegisterKind::Residents, saved.id).expect("get")["birth_date"], "2026-11-28");
}

#[test]
fn id_number_disagrees_with_sex() {
    let db = TestDb::new();
    let input = with(resident_input(None), json!({ "sex": "male" }));
    let errors = add_refused(&db, RegisterKind::Residents, &input, &[(ErrorCode::IdNumberSexMismatch, "sex")]);
    assert_lacks(&errors, ErrorCode::IdNumberBirthMismatch, "birth_date");

    let input = json!({ "name": "陈小宝", "id_number": BOY_ID, "sex": "female", "category": "registered" });
    add_refused(&db, RegisterKind::Residents, &input, &[(ErrorCode::IdNumberSexMismatch, "sex")]);

    // In a dispute's parties too, with the nested path.
    let mut input = dispute_input("2026-11-02");
    input["parties"][1]["id_number"] = json!(BOY_ID);
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::IdNumberSexMismatch, "parties[1].sex")]);
}

#[test]
fn id_number_disagrees_with_birth_date() {
    let db = TestDb::new();
    let input = with(resident_input(None), json!({ "birth_date": "1949-12-30" }));
    let errors = add_refused(&db, RegisterKind::Residents, &input, &[(ErrorCode::IdNumberBirthMismatch, "birth_date")]);
    assert_lacks(&errors, ErrorCode::IdNumberSexMismatch, "sex");
}

#[test]
fn id_number_alone_gives_sex_and_birth_date() {
    let db = TestDb::new();
    let woman = add(&db.store, RegisterKind::Residents, &resident("王芳", &WANG_FANG_ID.to_lowercase()));
    let got = db.store.get(RegisterKind::Residents, woman.id).expect("get");
    assert_eq!(got["sex"], "female");
    assert_eq!(got["birth_date"], "1949-12-31");
    assert_eq!(got["id_number"], WANG_FANG_ID, "lowercase x is stored as X");

    let boy = add(&db.store, RegisterKind::Residents, &resident("陈小宝", BOY_ID));
    let got = db.store.get(RegisterKind::Residents, boy.id).expect("get");
    assert_eq!(got["sex"], "male");
    assert_eq!(got["birth_date"], "2023-11-01");

    // "unknown" sex gives way to the number's.
    let input = json!({ "name": "刘明", "id_number": id_number("33010219800215123"), "sex": "unknown",
                        "category": "registered" });
    let saved = add(&db.store, RegisterKind::Residents, &input);
    let got = db.store.get(RegisterKind::Residents, saved.id).expect("get");
    assert_eq!(got["sex"], "male");
    assert_eq!(got["birth_date"], "1980-02-15");

    // Without an ID number, sex and birth date are required.
    let input = json!({ "name": "无证人员", "category": "registered" });
    add_refused(
        &db,
        RegisterKind::Residents,
        &input,
        &[(ErrorCode::Required, "sex"), (ErrorCode::Required, "birth_date")],
    );
}

#[test]
fn legacy_15_digit_id_is_upgraded() {
    let db = TestDb::new();
    let saved = add(&db.store, RegisterKind::Residents, &resident("王芳", "110105491231002"));
    let got = db.store.get(RegisterKind::Residents, saved.id).expect("get");
    assert_eq!(got["id_number"], WANG_FANG_ID);
    assert_eq!(got["birth_date"], "1949-12-31");
    assert_eq!(got["sex"], "female");
}

#[test]
fn unknown_region_is_a_warning_not_an_error() {
    let db = TestDb::new();
    let id = id_number("99010119800101001");
    let saved = add(&db.store, RegisterKind::Residents, &resident("赵某", &id));
    assert!(
        saved.warnings.iter().any(|w| w.code == ErrorCode::IdNumberUnknownRegion && w.field == "id_number"),
        "{:#?}",
        saved.warnings
    );
    assert_eq!(db.store.get(RegisterKind::Residents, saved.id).expect("get")["id_number"], id);
    // A known region gives no warning.
    let saved = add(&db.store, RegisterKind::Residents, &resident("王芳", WANG_FANG_ID));
    assert!(saved.warnings.is_empty(), "{:#?}", saved.warnings);
}

#[test]
fn one_live_resident_per_id_number() {
    let db = TestDb::new();
    let first = add(&db.store, RegisterKind::Residents, &resident("王芳", WANG_FANG_ID));
    // The same person again, the number typed with a lowercase x.
    add_refused(
        &db,
        RegisterKind::Residents,
        &resident("王 芳", &WANG_FANG_ID.to_lowercase()),
        &[(ErrorCode::DuplicateValue, "id_number")],
    );
    // Updating the record itself with its own number is not a duplicate.
    update(&db.store, RegisterKind::Residents, first.id, &json!({ "id_number": WANG_FANG_ID, "occupation": "务农" }));
    // Another resident may not take it over by update either.
    let other = add(&db.store, RegisterKind::Residents, &resident("陈小宝", BOY_ID));
    update_refused(
        &db,
        RegisterKind::Residents,
        other.id,
        &json!({ "id_number": WANG_FANG_ID, "sex": null, "birth_date": null }),
        &[(ErrorCode::DuplicateValue, "id_number")],
    );
    // Once the first is voided the number is free again.
    db.store.void(RegisterKind::Residents, first.id, "重复登记").expect("void");
    add(&db.store, RegisterKind::Residents, &resident("王芳", WANG_FANG_ID));
}

// --- dates, phones, required fields, codes ---------------------------------------------------

#[test]
fn future_dates_are_refused() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    add_refused(&db, RegisterKind::Visits, &visit_input(h, "2026-11-29"), &[(ErrorCode::FutureDate, "date")]);
    add_refused(
        &db,
        RegisterKind::Patrols,
        &with(patrol_input(), json!({ "date": "2027-01-01" })),
        &[(ErrorCode::FutureDate, "date")],
    );
    add_refused(&db, RegisterKind::Disputes, &dispute_input("2026-12-01"), &[(ErrorCode::FutureDate, "accepted_on")]);
    let input = json!({ "name": "未来人", "sex": "male", "birth_date": "2026-11-29", "category": "registered" });
    add_refused(&db, RegisterKind::Residents, &input, &[(ErrorCode::FutureDate, "birth_date")]);
    // Today is not the future.
    add(&db.store, RegisterKind::Visits, &visit_input(h, "2026-11-28"));
    // Malformed dates are a different error.
    add_refused(&db, RegisterKind::Visits, &visit_input(h, "2026/11/20"), &[(ErrorCode::InvalidDate, "date")]);
    add_refused(&db, RegisterKind::Visits, &visit_input(h, "2026-02-30"), &[(ErrorCode::InvalidDate, "date")]);
}

#[test]
fn malformed_phones_are_refused_and_good_ones_normalised() {
    let db = TestDb::new();
    for bad in ["1381234567", "12812345678", "138123456789", "1381234567a", "１３８１２３４５６７８"] {
        let input = with(household_input(), json!({ "phone": bad }));
        add_refused(&db, RegisterKind::Households, &input, &[(ErrorCode::InvalidPhone, "phone")]);
    }
    let input = with(resident_input(None), json!({ "phone": "555-1234" }));
    add_refused(&db, RegisterKind::Residents, &input, &[(ErrorCode::InvalidPhone, "phone")]);
    let mut input = dispute_input("2026-11-02");
    input["parties"][1]["phone"] = json!("110");
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::InvalidPhone, "parties[1].phone")]);

    for (typed, stored) in [("+86 139-0571-0001", "13905710001"), ("0571 87654321", "0571-87654321")] {
        let saved = add(&db.store, RegisterKind::Households, &with(household_input(), json!({ "phone": typed })));
        assert_eq!(db.store.get(RegisterKind::Households, saved.id).expect("get")["phone"], stored);
    }
}

#[test]
fn missing_required_fields() {
    let db = TestDb::new();
    let input = json!({ "group": "三组", "head_name": "  " });
    let errors = add_refused(
        &db,
        RegisterKind::Households,
        &input,
        &[(ErrorCode::Required, "village"), (ErrorCode::Required, "house_no"), (ErrorCode::Required, "head_name")],
    );
    assert_eq!(errors.len(), 3, "{errors:#?}");

    add_refused(
        &db,
        RegisterKind::Patrols,
        &with(patrol_input(), json!({ "recorder": null, "route": "" })),
        &[(ErrorCode::Required, "recorder"), (ErrorCode::Required, "route")],
    );
    add_refused(
        &db,
        RegisterKind::Disputes,
        &with(dispute_input("2026-11-02"), json!({ "summary": null })),
        &[(ErrorCode::Required, "summary")],
    );
    let h = add_household(&db.store);
    add_refused(
        &db,
        RegisterKind::Visits,
        &with(visit_input(h, "2026-11-20"), json!({ "purposes": [] })),
        &[(ErrorCode::Required, "purposes")],
    );
    // An officer-led patrol needs its leader; a volunteer patrol does not.
    add_refused(
        &db,
        RegisterKind::Patrols,
        &with(patrol_input(), json!({ "leader": null })),
        &[(ErrorCode::Required, "leader")],
    );
    add(&db.store, RegisterKind::Patrols, &with(patrol_input(), json!({ "leader": null, "kind": "volunteer" })));
}

#[test]
fn unknown_codes_are_refused() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let input =
        with(visit_input(h, "2026-11-20"), json!({ "method": "door_to_door", "purposes": ["info_check", "chat"] }));
    let errors = add_refused(
        &db,
        RegisterKind::Visits,
        &input,
        &[(ErrorCode::UnknownCode, "method"), (ErrorCode::UnknownCode, "purposes[1]")],
    );
    // The message lists the valid choices.
    let method = errors.iter().find(|e| e.field == "method").expect("method error");
    assert!(method.message.contains("in_home"), "{}", method.message);

    add_refused(
        &db,
        RegisterKind::Households,
        &with(household_input(), json!({ "tags": ["vip"] })),
        &[(ErrorCode::UnknownCode, "tags[0]")],
    );
    add_refused(
        &db,
        RegisterKind::Disputes,
        &with(dispute_input("2026-11-02"), json!({ "dispute_type": "quarrel" })),
        &[(ErrorCode::UnknownCode, "dispute_type")],
    );
    // Codes are case-sensitive wire values, not labels.
    add_refused(
        &db,
        RegisterKind::Residents,
        &with(resident_input(None), json!({ "sex": "女" })),
        &[(ErrorCode::UnknownCode, "sex")],
    );
    add_refused(
        &db,
        RegisterKind::Residents,
        &with(resident_input(None), json!({ "category": "Registered" })),
        &[(ErrorCode::UnknownCode, "category")],
    );
    // A repeated code in a list.
    add_refused(
        &db,
        RegisterKind::Households,
        &with(household_input(), json!({ "tags": ["rental", "rental"] })),
        &[(ErrorCode::DuplicateValue, "tags[1]")],
    );
}

#[test]
fn wrong_types_and_lengths() {
    let db = TestDb::new();
    let input = with(dispute_input("2026-11-02"), json!({ "people_count": "2", "escalation_flag": "yes" }));
    add_refused(
        &db,
        RegisterKind::Disputes,
        &input,
        &[(ErrorCode::InvalidType, "people_count"), (ErrorCode::InvalidType, "escalation_flag")],
    );
    let input = with(household_input(), json!({ "village": "村".repeat(101) }));
    add_refused(&db, RegisterKind::Households, &input, &[(ErrorCode::TooLong, "village")]);
    let input = with(patrol_input(), json!({ "headcount": 0 }));
    add_refused(&db, RegisterKind::Patrols, &input, &[(ErrorCode::OutOfRange, "headcount")]);
    let input = with(patrol_input(), json!({ "start_time": "25:00" }));
    add_refused(&db, RegisterKind::Patrols, &input, &[(ErrorCode::InvalidTime, "start_time")]);
}

#[test]
fn unknown_fields_are_refused_not_dropped() {
    let db = TestDb::new();
    let input = with(household_input(), json!({ "village": null, "vilage": "翠月湖村" }));
    add_refused(
        &db,
        RegisterKind::Households,
        &input,
        &[(ErrorCode::UnknownField, "vilage"), (ErrorCode::Required, "village")],
    );
    let mut input = dispute_input("2026-11-02");
    input["parties"][0]["nickname"] = json!("老张");
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::UnknownField, "parties[0].nickname")]);
    // Fields of another register are unknown here.
    let input = with(patrol_input(), json!({ "village": "翠月湖村" }));
    add_refused(&db, RegisterKind::Patrols, &input, &[(ErrorCode::UnknownField, "village")]);
    // On update too.
    let h = add_household(&db.store);
    update_refused(
        &db,
        RegisterKind::Households,
        h,
        &json!({ "head": "王建华" }),
        &[(ErrorCode::UnknownField, "head")],
    );
}

#[test]
fn several_errors_are_reported_at_once() {
    let db = TestDb::new();
    let input = json!({
        "date": "2026-11-29",
        "method": "door_to_door",
        "purposes": [],
        "people_talked": -1,
        "satisfaction": "happy",
        "comment": "顺便看了看"
    });
    let errors = add_refused(
        &db,
        RegisterKind::Visits,
        &input,
        &[
            (ErrorCode::FutureDate, "date"),
            (ErrorCode::Required, "officer"),
            (ErrorCode::UnknownCode, "method"),
            (ErrorCode::Required, "purposes"),
            (ErrorCode::OutOfRange, "people_talked"),
            (ErrorCode::UnknownCode, "satisfaction"),
            (ErrorCode::UnknownField, "comment"),
            (ErrorCode::Required, "head_name"),
            (ErrorCode::Required, "address"),
        ],
    );
    assert_eq!(errors.len(), 9, "{errors:#?}");
    assert!(errors.iter().all(|e| !e.message.is_empty()));

    let errors = add_refused(
        &db,
        RegisterKind::Residents,
        &json!({ "name": "王芳", "id_number": with_wrong_check(WANG_FANG_ID), "category": "floating",
                 "phone": "123" }),
        &[
            (ErrorCode::IdNumberChecksum, "id_number"),
            (ErrorCode::InvalidPhone, "phone"),
            (ErrorCode::Required, "stay_from"),
            (ErrorCode::Required, "stay_to"),
        ],
    );
    assert!(errors.len() >= 4);
}

// --- patrols -------------------------------------------------------------------------------

#[test]
fn patrol_end_before_start_and_crossing_midnight() {
    let db = TestDb::new();
    for (start, end) in [("21:00", "19:30"), ("19:30", "19:30")] {
        let input = with(patrol_input(), json!({ "start_time": start, "end_time": end }));
        add_refused(&db, RegisterKind::Patrols, &input, &[(ErrorCode::EndBeforeStart, "end_time")]);
    }
    // Said explicitly, a night patrol may end the next day …
    let input = with(patrol_input(), json!({ "start_time": "22:00", "end_time": "02:00", "crosses_midnight": true }));
    let saved = add(&db.store, RegisterKind::Patrols, &input);
    let got = db.store.get(RegisterKind::Patrols, saved.id).expect("get");
    assert_eq!(got["crosses_midnight"], true);
    assert_eq!(got["end_time"], "02:00");
    // … but the flag on a patrol that does not cross midnight is a mistake.
    let input = with(patrol_input(), json!({ "crosses_midnight": true }));
    add_refused(&db, RegisterKind::Patrols, &input, &[(ErrorCode::EndBeforeStart, "crosses_midnight")]);
    // Clearing the flag later without fixing the times is refused too.
    update_refused(
        &db,
        RegisterKind::Patrols,
        saved.id,
        &json!({ "crosses_midnight": false }),
        &[(ErrorCode::EndBeforeStart, "end_time")],
    );
}

#[test]
fn patrol_times_are_normalised() {
    let db = TestDb::new();
    let input = with(patrol_input(), json!({ "start_time": "8:05", "end_time": "9:30" }));
    let saved = add(&db.store, RegisterKind::Patrols, &input);
    let got = db.store.get(RegisterKind::Patrols, saved.id).expect("get");
    assert_eq!((got["start_time"].as_str(), got["end_time"].as_str()), (Some("08:05"), Some("09:30")));
    // "9:30" must not compare as later than "10:00".
    let input = with(patrol_input(), json!({ "start_time": "9:30", "end_time": "10:00" }));
    add(&db.store, RegisterKind::Patrols, &input);
}

#[test]
fn patrol_headcount_below_members_is_only_a_warning() {
    let db = TestDb::new();
    let input = with(patrol_input(), json!({ "headcount": 1 }));
    let saved = add(&db.store, RegisterKind::Patrols, &input);
    assert!(saved.warnings.iter().any(|w| w.code == ErrorCode::OutOfRange && w.field == "headcount"));
}

// --- disputes ------------------------------------------------------------------------------

#[test]
fn dispute_needs_two_parties() {
    let db = TestDb::new();
    let mut input = dispute_input("2026-11-02");
    input["parties"].as_array_mut().expect("array").truncate(1);
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::TooFewParties, "parties")]);
    let input = with(dispute_input("2026-11-02"), json!({ "parties": null }));
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::TooFewParties, "parties")]);
    // More people involved than parties listed is fine; fewer is not.
    add_refused(
        &db,
        RegisterKind::Disputes,
        &with(dispute_input("2026-11-02"), json!({ "people_count": 1 })),
        &[(ErrorCode::OutOfRange, "people_count")],
    );
    add(&db.store, RegisterKind::Disputes, &with(dispute_input("2026-11-02"), json!({ "people_count": 12 })));
}

#[test]
fn a_new_dispute_starts_accepted() {
    let db = TestDb::new();
    let input = with(dispute_input("2026-11-02"), json!({ "status": "resolved", "outcome_note": "当场调解成功" }));
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::InvalidStatusTransition, "status")]);
    let saved =
        add(&db.store, RegisterKind::Disputes, &with(dispute_input("2026-11-02"), json!({ "status": "accepted" })));
    assert_eq!(db.store.get(RegisterKind::Disputes, saved.id).expect("get")["status"], "accepted");
}

#[test]
fn outcome_note_and_referred_to_are_required_for_outcomes() {
    let db = TestDb::new();
    let d = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-11-02")).id;
    for status in ["resolved", "failed"] {
        update_refused(
            &db,
            RegisterKind::Disputes,
            d,
            &json!({ "status": status }),
            &[(ErrorCode::OutcomeNoteRequired, "outcome_note")],
        );
    }
    let errors = update_refused(
        &db,
        RegisterKind::Disputes,
        d,
        &json!({ "status": "referred" }),
        &[(ErrorCode::OutcomeNoteRequired, "outcome_note"), (ErrorCode::ReferredToRequired, "referred_to")],
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
    update_refused(
        &db,
        RegisterKind::Disputes,
        d,
        &json!({ "status": "referred", "outcome_note": "涉及土地确权，超出调解范围" }),
        &[(ErrorCode::ReferredToRequired, "referred_to")],
    );
    let saved = update(
        &db.store,
        RegisterKind::Disputes,
        d,
        &json!({ "status": "referred", "outcome_note": "涉及土地确权，超出调解范围", "referred_to": "镇司法所" }),
    );
    assert_eq!(saved.version, 2);
    // Withdrawn needs no outcome note.
    let d2 = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-11-03")).id;
    update(&db.store, RegisterKind::Disputes, d2, &json!({ "status": "withdrawn" }));
}

#[test]
fn invalid_status_transitions() {
    let db = TestDb::new();
    let accepted = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-11-02")).id;
    update_refused(
        &db,
        RegisterKind::Disputes,
        accepted,
        &json!({ "status": "closed" }),
        &[(ErrorCode::InvalidStatusTransition, "status")],
    );
    update_refused(
        &db,
        RegisterKind::Disputes,
        accepted,
        &json!({ "status": "pending" }),
        &[(ErrorCode::UnknownCode, "status")],
    );

    let resolved = resolved_dispute(&db.store);
    update_refused(
        &db,
        RegisterKind::Disputes,
        resolved,
        &json!({ "status": "mediating" }),
        &[(ErrorCode::InvalidStatusTransition, "status")],
    );
    update_refused(
        &db,
        RegisterKind::Disputes,
        resolved,
        &json!({ "status": "accepted" }),
        &[(ErrorCode::InvalidStatusTransition, "status")],
    );

    // failed → closed needs no follow-up; closed is final.
    let failed = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-11-05")).id;
    update(&db.store, RegisterKind::Disputes, failed, &json!({ "status": "failed", "outcome_note": "双方分歧较大" }));
    update(&db.store, RegisterKind::Disputes, failed, &json!({ "status": "closed" }));
    for status in ["mediating", "accepted", "resolved"] {
        update_refused(
            &db,
            RegisterKind::Disputes,
            failed,
            &json!({ "status": status }),
            &[(ErrorCode::InvalidStatusTransition, "status")],
        );
    }
    // A closed dispute may still have other fields corrected.
    let saved =
        update(&db.store, RegisterKind::Disputes, failed, &json!({ "mediators": "李建国、调委会王主任、村书记" }));
    assert!(saved.changed);

    // On-the-spot mediation: accepted → resolved directly.
    let spot = add(&db.store, RegisterKind::Disputes, &dispute_input("2026-11-06")).id;
    update(&db.store, RegisterKind::Disputes, spot, &json!({ "status": "resolved", "outcome_note": "当场化解" }));
}

#[test]
fn closing_a_resolved_dispute_needs_a_followup() {
    let db = TestDb::new();
    let d = resolved_dispute(&db.store);
    update_refused(
        &db,
        RegisterKind::Disputes,
        d,
        &json!({ "status": "closed" }),
        &[(ErrorCode::FollowupRequired, "followups")],
    );
    // A follow-up dated before the dispute was accepted is refused.
    let early = json!({ "status": "closed",
        "followups": [{ "date": "2026-10-30", "method": "phone", "visitor": "李建国" }] });
    update_refused(&db, RegisterKind::Disputes, d, &early, &[(ErrorCode::EndBeforeStart, "followups")]);

    let patch = json!({
        "status": "closed",
        "performance": "done",
        "followups": [{ "date": "2026-11-20", "method": "visit", "visitor": "李建国", "performance": "done",
                        "satisfaction": "satisfied", "recurrence": false }]
    });
    let saved = update(&db.store, RegisterKind::Disputes, d, &patch);
    assert!(saved.changed);
    let got = db.store.get(RegisterKind::Disputes, d).expect("get");
    assert_eq!(got["status"], "closed");
    assert_eq!(got["closed_on"], "2026-11-28", "closing without a date closes today");
    assert_eq!(got["followups"][0]["visitor"], "李建国");
}

#[test]
fn dispute_steps_may_not_precede_acceptance() {
    let db = TestDb::new();
    let input =
        with(dispute_input("2026-11-02"), json!({ "steps": [{ "date": "2026-11-01", "content": "电话了解情况" }] }));
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::EndBeforeStart, "steps")]);
    let input = with(dispute_input("2026-11-02"), json!({ "steps": [{ "date": "2026-11-03" }] }));
    add_refused(&db, RegisterKind::Disputes, &input, &[(ErrorCode::Required, "steps[0].content")]);
}

// --- references ------------------------------------------------------------------------------

#[test]
fn a_visit_must_point_at_a_live_household() {
    let db = TestDb::new();
    add_refused(
        &db,
        RegisterKind::Visits,
        &visit_input(Uuid::new_v4(), "2026-11-20"),
        &[(ErrorCode::ReferenceNotFound, "household_id")],
    );
    // A record of another register is not a household.
    let patrol = add(&db.store, RegisterKind::Patrols, &patrol_input()).id;
    add_refused(
        &db,
        RegisterKind::Visits,
        &visit_input(patrol, "2026-11-20"),
        &[(ErrorCode::ReferenceNotFound, "household_id")],
    );
    let input = with(visit_input(Uuid::new_v4(), "2026-11-20"), json!({ "household_id": "18号" }));
    add_refused(&db, RegisterKind::Visits, &input, &[(ErrorCode::InvalidType, "household_id")]);

    let h = add_household(&db.store);
    db.store.void(RegisterKind::Households, h, "重复建户").expect("void");
    add_refused(
        &db,
        RegisterKind::Visits,
        &visit_input(h, "2026-11-20"),
        &[(ErrorCode::ReferenceVoided, "household_id")],
    );
    add_refused(
        &db,
        RegisterKind::Residents,
        &resident_input(Some(h)),
        &[(ErrorCode::ReferenceVoided, "household_id")],
    );

    // Moving an existing visit onto a voided household is refused too.
    let live = add(&db.store, RegisterKind::Households, &household("翠月湖村", "一组", "3号", "陈国强")).id;
    let visit = add(&db.store, RegisterKind::Visits, &visit_input(live, "2026-11-20")).id;
    update_refused(
        &db,
        RegisterKind::Visits,
        visit,
        &json!({ "household_id": h.to_string() }),
        &[(ErrorCode::ReferenceVoided, "household_id")],
    );
}

#[test]
fn a_visit_off_the_roster_needs_head_name_and_address() {
    let db = TestDb::new();
    let input = with(visit_input(Uuid::nil(), "2026-11-20"), json!({ "household_id": null }));
    add_refused(
        &db,
        RegisterKind::Visits,
        &input,
        &[(ErrorCode::Required, "head_name"), (ErrorCode::Required, "address")],
    );
    let input = with(input, json!({ "head_name": "孙桂兰", "address": "翠月湖村五组新建房" }));
    let saved = add(&db.store, RegisterKind::Visits, &input);
    let got = db.store.get(RegisterKind::Visits, saved.id).expect("get");
    assert_eq!(got["household_id"], Value::Null);
    assert_eq!(got["head_name"], "孙桂兰");
}

#[test]
fn a_visit_keeps_the_household_as_it_was_on_the_day() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let v = add(&db.store, RegisterKind::Visits, &visit_input(h, "2026-11-20")).id;
    update(&db.store, RegisterKind::Households, h, &json!({ "head_name": "王建华", "house_no": "20号" }));
    let got = db.store.get(RegisterKind::Visits, v).expect("get");
    assert_eq!(got["head_name"], "王芳");
    assert_eq!(got["address"], "翠月湖村三组18号");
    // Pointing the visit at another household takes that household's snapshot.
    let other = add(&db.store, RegisterKind::Households, &household("东山村", "二组", "7号", "刘明")).id;
    update(&db.store, RegisterKind::Visits, v, &json!({ "household_id": other.to_string() }));
    let got = db.store.get(RegisterKind::Visits, v).expect("get");
    assert_eq!(got["head_name"], "刘明");
    assert_eq!(got["address"], "东山村二组7号");
}

// --- residents by category -------------------------------------------------------------------

#[test]
fn floating_residents_need_their_stay() {
    let db = TestDb::new();
    let input = json!({ "name": "马小军", "id_number": id_number("51010719900808245"), "category": "floating",
                        "phone": "13700001111" });
    add_refused(
        &db,
        RegisterKind::Residents,
        &input,
        &[(ErrorCode::Required, "stay_from"), (ErrorCode::Required, "stay_to")],
    );
    add_refused(
        &db,
        RegisterKind::Residents,
        &with(input.clone(), json!({ "stay_from": "2026-03-01" })),
        &[(ErrorCode::Required, "stay_to")],
    );
    let backwards = with(input.clone(), json!({ "stay_from": "2026-03-01", "stay_to": "2026-02-01" }));
    add_refused(&db, RegisterKind::Residents, &backwards, &[(ErrorCode::EndBeforeStart, "stay_to")]);
    // The stay may run into the future (a rental contract).
    let ok = with(input, json!({ "stay_from": "2026-03-01", "stay_to": "2027-02-28" }));
    let saved = add(&db.store, RegisterKind::Residents, &ok);
    assert_eq!(db.store.get(RegisterKind::Residents, saved.id).expect("get")["stay_to"], "2027-02-28");
}

#[test]
fn foreign_residents_need_nationality_and_document() {
    let db = TestDb::new();
    let input = json!({ "name": "Nguyen Van An", "sex": "male", "birth_date": "1995-06-01", "category": "foreign" });
    let errors = add_refused(
        &db,
        RegisterKind::Residents,
        &input,
        &[
            (ErrorCode::Required, "foreign_nationality"),
            (ErrorCode::Required, "foreign_doc_type"),
            (ErrorCode::Required, "foreign_doc_no"),
        ],
    );
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let ok =
        with(input, json!({ "foreign_nationality": "越南", "foreign_doc_type": "护照", "foreign_doc_no": "C1234567" }));
    add(&db.store, RegisterKind::Residents, &ok);
}

// --- updates are validated like adds -------------------------------------------------------

#[test]
fn a_refused_update_keeps_the_stored_version() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let r = add(&db.store, RegisterKind::Residents, &resident_input(Some(h))).id;
    let errors = update_refused(
        &db,
        RegisterKind::Residents,
        r,
        &json!({ "phone": "138", "sex": "male" }),
        &[(ErrorCode::InvalidPhone, "phone"), (ErrorCode::IdNumberSexMismatch, "sex")],
    );
    assert_eq!(errors.len(), 2, "{errors:#?}");
    let got = db.store.get(RegisterKind::Residents, r).expect("get");
    assert_eq!(got["version"], 1);
    assert_eq!(got["phone"], "13812345678");
    assert_eq!(db.store.history(RegisterKind::Residents, r).expect("history").len(), 1);
}

// --- empty strings must not satisfy conditional requirements ---------------------------------

#[test]
fn blank_strings_do_not_satisfy_floating_or_foreign_requirements() {
    let db = TestDb::new();
    let floating = json!({ "name": "马小军", "id_number": id_number("51010719900808245"), "category": "floating",
                           "stay_from": "", "stay_to": "  " });
    add_refused(
        &db,
        RegisterKind::Residents,
        &floating,
        &[(ErrorCode::Required, "stay_from"), (ErrorCode::Required, "stay_to")],
    );
    let foreign = json!({ "name": "Nguyen Van An", "sex": "male", "birth_date": "1995-06-01", "category": "foreign",
                          "foreign_nationality": "", "foreign_doc_type": " ", "foreign_doc_no": "" });
    add_refused(
        &db,
        RegisterKind::Residents,
        &foreign,
        &[
            (ErrorCode::Required, "foreign_nationality"),
            (ErrorCode::Required, "foreign_doc_type"),
            (ErrorCode::Required, "foreign_doc_no"),
        ],
    );
}

#[test]
fn a_blank_household_id_does_not_excuse_head_name_and_address() {
    let db = TestDb::new();
    let input = with(visit_input(Uuid::nil(), "2026-11-20"), json!({ "household_id": "", "head_name": "" }));
    add_refused(
        &db,
        RegisterKind::Visits,
        &input,
        &[(ErrorCode::Required, "head_name"), (ErrorCode::Required, "address")],
    );
}

#[test]
fn records_of_a_household_voided_later_can_still_be_corrected() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let visit = add(&db.store, RegisterKind::Visits, &visit_input(h, "2026-11-20")).id;
    let resident = add(&db.store, RegisterKind::Residents, &resident_input(Some(h))).id;
    db.store.void(RegisterKind::Households, h, "户已注销").expect("void");
    // Nothing changes: not an error.
    let saved = db.store.update(RegisterKind::Visits, visit, &json!({})).expect("no-op update");
    assert!(!saved.changed);
    // Correcting what was written on the day does not touch the household reference.
    update(&db.store, RegisterKind::Visits, visit, &json!({ "response": "已联系村委会报修，12月1日修复" }));
    update(&db.store, RegisterKind::Residents, resident, &json!({ "phone": "13900003333" }));
    // Moving a record onto the voided household is still refused.
    let other = add(&db.store, RegisterKind::Households, &household("东山村", "二组", "7号", "刘明")).id;
    let v2 = add(&db.store, RegisterKind::Visits, &visit_input(other, "2026-11-21")).id;
    update_refused(
        &db,
        RegisterKind::Visits,
        v2,
        &json!({ "household_id": h.to_string() }),
        &[(ErrorCode::ReferenceVoided, "household_id")],
    );
}

#[test]
fn re_sending_the_same_household_keeps_the_snapshot() {
    let db = TestDb::new();
    let h = add_household(&db.store);
    let v = add(&db.store, RegisterKind::Visits, &visit_input(h, "2026-11-20")).id;
    update(&db.store, RegisterKind::Households, h, &json!({ "head_name": "王建华" }));
    let saved =
        update(&db.store, RegisterKind::Visits, v, &json!({ "household_id": h.to_string(), "response": "已复查" }));
    assert!(saved.changed);
    let got = db.store.get(RegisterKind::Visits, v).expect("get");
    assert_eq!(got["head_name"], "王芳", "the visit was made to 王芳's household");
    let history = db.store.history(RegisterKind::Visits, v).expect("history");
    assert_eq!(history.last().expect("entry").changed_fields, ["response"]);
}
