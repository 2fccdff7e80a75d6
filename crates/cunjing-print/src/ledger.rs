//! Register ledgers (台账) for inspection: every record of one register over a date range, full
//! data (internal print), voided records struck through with their reason.
//!
//! A register's printed columns are declared in one place, [`spec`]: each column names the
//! record fields it shows (as `present::display_fields` renders them: codes in Chinese, dates as
//! 2026年3月5日). A register added to the core does not compile here until it has its entry.

use chrono::{Datelike, NaiveDate};
use cunjing_core::domain::CodeEnum;
use cunjing_core::format::date_zh;
use cunjing_core::present::display_fields;
use cunjing_core::store::{ListQuery, ListSort, ViewAction};
use cunjing_core::{CoreError, CoreResult, ErrorCode, FieldError, RegisterKind, Store};
use serde_json::{Value, json};

use crate::{Document, Job};

/// One printed column: its header, its relative width, the fields it shows and how they join.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    /// Share of the table's width (the 序号 column aside).
    pub width: u16,
    pub keys: &'static [&'static str],
    pub sep: &'static str,
}

const fn col(header: &'static str, width: u16, keys: &'static [&'static str]) -> Column {
    Column { header, width, keys, sep: "\n" }
}

/// A register's ledger: the paper book's name and its columns.
#[derive(Debug, Clone, Copy)]
pub struct LedgerSpec {
    pub title: &'static str,
    /// Whether the register's records have a date the range applies to (the roster has none:
    /// its ledger lists everyone on it).
    pub dated: bool,
    pub columns: &'static [Column],
}

pub fn spec(kind: RegisterKind) -> LedgerSpec {
    match kind {
        RegisterKind::Households => LedgerSpec {
            title: "住户登记簿",
            dated: false,
            columns: const {
                &[
                    col("行政村/村民小组", 3, &["village", "group"]),
                    col("门牌号/详细地址", 3, &["house_no", "address_detail"]),
                    col("户主", 2, &["head_name"]),
                    col("联系电话", 3, &["phone"]),
                    col("户类别", 3, &["tags"]),
                    col("备注", 6, &["notes"]),
                ]
            },
        },
        RegisterKind::Residents => LedgerSpec {
            title: "实有人口登记簿",
            dated: false,
            columns: const {
                &[
                    col("姓名", 2, &["name", "former_name"]),
                    col("性别", 1, &["sex"]),
                    col("民族", 1, &["ethnicity"]),
                    col("出生日期", 4, &["birth_date"]),
                    col(
                        "公民身份号码/证件",
                        5,
                        &["id_number", "foreign_nationality", "foreign_doc_type", "foreign_doc_no"],
                    ),
                    col("人员类别", 2, &["category"]),
                    col("与户主关系", 2, &["relation_to_head"]),
                    col("联系电话", 3, &["phone"]),
                    col("职业", 2, &["occupation"]),
                    Column { header: "居住期限", width: 3, keys: &["stay_from", "stay_to"], sep: "至\n" },
                    col("备注", 3, &["notes"]),
                ]
            },
        },
        RegisterKind::Disputes => LedgerSpec {
            title: "纠纷调处登记簿",
            dated: true,
            columns: const {
                &[
                    col("编号/受理日期", 4, &["record_no", "accepted_on"]),
                    col("来源/类型/风险", 3, &["source", "dispute_type", "risk_level"]),
                    col("当事人", 6, &["parties"]),
                    col("发生地点/简要情况", 7, &["location", "summary"]),
                    col("调处经过", 7, &["steps"]),
                    col(
                        "结果/协议/履行",
                        5,
                        &["status", "outcome_note", "referred_to", "agreement_form", "performance"],
                    ),
                    col("回访", 4, &["followups"]),
                ]
            },
        },
        RegisterKind::Patrols => LedgerSpec {
            title: "巡逻登记簿",
            dated: true,
            columns: const {
                &[
                    col("日期", 4, &["date"]),
                    Column { header: "起止时间", width: 2, keys: &["start_time", "end_time"], sep: "—" },
                    col("类型/方式", 3, &["kind", "mode"]),
                    col("路线/区域/重点部位", 6, &["route"]),
                    col("带队民警/参加人员", 4, &["leader", "members"]),
                    col("人数", 2, &["headcount"]),
                    col("发现情况", 5, &["findings"]),
                    col("处置情况", 5, &["handling"]),
                    col("记录人", 2, &["recorder"]),
                ]
            },
        },
        RegisterKind::Visits => LedgerSpec {
            title: "入户走访登记簿",
            dated: true,
            columns: const {
                &[
                    col("日期", 4, &["date"]),
                    col("户主/住址", 4, &["head_name", "address"]),
                    col("方式", 2, &["method"]),
                    col("走访内容", 4, &["purposes"]),
                    col("民警/陪同人员", 3, &["officer", "companions"]),
                    col("谈心人数", 2, &["people_talked"]),
                    col("群众反映问题/诉求", 6, &["concerns"]),
                    col("发现隐患/线索", 4, &["hazards"]),
                    col("答复/处理", 4, &["response"]),
                    col("满意度", 2, &["satisfaction"]),
                ]
            },
        },
        RegisterKind::Teams => LedgerSpec {
            title: "群防群治队伍登记簿",
            dated: false,
            columns: const {
                &[
                    col("队伍名称", 4, &["name"]),
                    col("队伍类型", 3, &["kind"]),
                    col("所在村/社区", 3, &["village"]),
                    col("负责人/联系电话", 4, &["leader", "phone"]),
                    col("成立日期", 3, &["founded_on"]),
                    col("备注", 6, &["notes"]),
                ]
            },
        },
        RegisterKind::TeamMembers => LedgerSpec {
            title: "群防群治队员登记簿",
            dated: false,
            columns: const {
                &[
                    col("所属队伍", 4, &["team_id"]),
                    col("姓名/性别", 2, &["name", "sex"]),
                    col("职务", 2, &["role"]),
                    col("联系电话", 3, &["phone"]),
                    Column { header: "加入/离队", width: 3, keys: &["joined_on", "left_on"], sep: "至\n" },
                    col("状态", 2, &["status"]),
                    col("培训记录", 8, &["trainings"]),
                ]
            },
        },
        RegisterKind::WorkLog => LedgerSpec {
            title: "民警工作日志",
            dated: true,
            columns: const {
                &[
                    col("日期", 3, &["date"]),
                    col("民警", 2, &["officer"]),
                    col("驻村", 1, &["in_village"]),
                    col("工作类别", 2, &["category"]),
                    col("工作内容", 9, &["content"]),
                    col("工作结果", 6, &["result"]),
                    col("跟进期限/已跟进", 3, &["follow_up_due", "follow_up_done"]),
                ]
            },
        },
        RegisterKind::Meetings => LedgerSpec {
            title: "村（社区）会议记录",
            dated: true,
            columns: const {
                &[
                    col("日期/村（社区）", 3, &["date", "village"]),
                    col("主持人/参会人员", 4, &["host", "attendees"]),
                    col("人数", 1, &["attendee_count"]),
                    col("通报情况", 7, &["situation"]),
                    col("反映问题", 6, &["problems"]),
                    col("下步工作重点", 5, &["priorities"]),
                    col("记录人", 2, &["recorder"]),
                ]
            },
        },
        RegisterKind::Services => LedgerSpec {
            title: "为民服务登记簿",
            dated: true,
            columns: const {
                &[
                    col("日期", 3, &["date"]),
                    col("类别", 2, &["kind"]),
                    col("服务对象", 2, &["beneficiary"]),
                    col("服务内容/困难情况", 7, &["content", "goods", "money_fen"]),
                    col(
                        "办证/送证",
                        4,
                        &["certificate_action", "certificate_kind", "certificate_count", "reason", "receiver"],
                    ),
                    col("帮扶走访", 7, &["visits", "ended_on"]),
                    col("民警", 2, &["officer"]),
                ]
            },
        },
        RegisterKind::Notices => LedgerSpec {
            title: "警情社情通报登记簿",
            dated: true,
            columns: const {
                &[
                    col("期号", 3, &["record_no"]),
                    col("日期", 3, &["date"]),
                    col("标题", 4, &["title"]),
                    col("通报方式", 3, &["channels"]),
                    col("通报内容", 10, &["content"]),
                    col("受众人数", 2, &["audience"]),
                    col("发布人", 2, &["issuer"]),
                ]
            },
        },
        RegisterKind::Intel => LedgerSpec {
            title: "情报信息登记簿",
            dated: true,
            columns: const {
                &[
                    col("日期", 3, &["date"]),
                    col("信息来源", 3, &["source"]),
                    col("类别", 3, &["category"]),
                    col("信息内容", 9, &["content"]),
                    col("报送单位/日期", 3, &["reported_to", "reported_on"]),
                    col("化解/处置", 5, &["defused", "handling"]),
                    col("民警", 2, &["officer"]),
                ]
            },
        },
        RegisterKind::KeyPersons => LedgerSpec {
            title: "重点对象/关注对象登记簿（内部资料 注意保密）",
            dated: false,
            columns: const {
                &[
                    col("姓名/性别", 2, &["name", "sex"]),
                    col("公民身份号码", 4, &["id_number"]),
                    col("住址/电话", 4, &["address", "phone"]),
                    col("级别/类别", 3, &["level", "category"]),
                    col("列管原因", 5, &["reason"]),
                    Column { header: "列管期间", width: 3, keys: &["since", "until"], sep: "至\n" },
                    col("责任民警", 2, &["responsible"]),
                    col("走访记录", 8, &["checks"]),
                ]
            },
        },
        RegisterKind::Surveys => LedgerSpec {
            title: "民意测评登记簿",
            dated: true,
            columns: const {
                &[
                    col("日期", 3, &["date"]),
                    col("测评范围", 3, &["scope"]),
                    col("方式", 2, &["method"]),
                    col("测评人数", 2, &["sample_size"]),
                    col("满意", 2, &["satisfied"]),
                    col("基本满意", 2, &["basically"]),
                    col("不满意", 2, &["unsatisfied"]),
                    col("主要意见建议", 9, &["opinions"]),
                    col("组织人", 2, &["organiser"]),
                ]
            },
        },
    }
}

/// At most this many records in one ledger (≈ 210 pages, ≈ 2 s and ≈ 550 MB to typeset).
pub const MAX_ROWS: i64 = 5_000;

/// The cell texts of one record (fields shown as people read them).
pub fn cells(kind: RegisterKind, record: &Value) -> Vec<String> {
    let shown = display_fields(kind, record);
    let value = |key: &str| shown.iter().find(|f| f.key == key).map(|f| f.value.as_str()).unwrap_or("");
    spec(kind)
        .columns
        .iter()
        .map(|c| c.keys.iter().map(|k| value(k)).filter(|v| !v.is_empty()).collect::<Vec<_>>().join(c.sep))
        .collect()
}

/// The ledger of `kind` from `from` to `to` (inclusive; the year so far when not given).
pub fn ledger(
    store: &Store,
    kind: RegisterKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> CoreResult<Document> {
    ledger_job(store, kind, from, to)?.render(store, 0)
}

pub(crate) fn ledger_job(
    store: &Store,
    kind: RegisterKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> CoreResult<Job> {
    let today = store.today();
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
    let to = to.unwrap_or(today);
    if from > to {
        return Err(CoreError::Invalid(vec![FieldError::new(
            ErrorCode::EndBeforeStart,
            "to",
            format!("结束日期（{}）早于开始日期（{}）", date_zh(to), date_zh(from)),
        )]));
    }
    let spec = spec(kind);
    let office = store.office()?;
    let mut query = ListQuery { include_voided: true, sort: ListSort::DateAsc, limit: 1000, ..ListQuery::default() };
    if spec.dated {
        (query.from, query.to) = (Some(from), Some(to));
    }
    let mut records = Vec::new();
    loop {
        let page = store.list(kind, &query)?;
        if page.total > MAX_ROWS {
            return Err(CoreError::refused(
                ErrorCode::OutOfRange,
                "from",
                format!("这段时间有 {} 条记录，一次最多打印 {MAX_ROWS} 条，请缩短日期范围", page.total),
            ));
        }
        let done = page.items.len() < 1000;
        records.extend(page.items);
        if done {
            break;
        }
        query.offset += 1000;
    }
    // A record's pointer to another (a member's team) is printed as that record's title.
    for r in &mut records {
        if let Some(obj) = r.as_object_mut() {
            for (key, value) in obj.iter_mut() {
                if key != "id"
                    && key.ends_with("_id")
                    && let Some(title) = value.as_str().and_then(|s| s.parse().ok()).and_then(|id| store.title_of(id))
                {
                    *value = Value::String(title);
                }
            }
        }
    }
    store.note_view(kind, None, ViewAction::Print, json!({ "from": from, "to": to, "rows": records.len() }))?;
    let rows: Vec<Value> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let voided = r.get("voided").and_then(Value::as_bool).unwrap_or(false);
            json!({
                "no": i + 1,
                "cells": cells(kind, r),
                "voided": voided,
                "void_reason": r.get("void_reason").and_then(Value::as_str).unwrap_or(""),
            })
        })
        .collect();
    let year =
        if from.year() == to.year() { from.year().to_string() } else { format!("{}—{}", from.year(), to.year()) };
    let range = if spec.dated {
        format!("{}至{}", date_zh(from), date_zh(to))
    } else {
        format!("截至{}在册", date_zh(today))
    };
    let title = format!("{} {}", office.name, spec.title);
    let data = json!({
        "heading": title,
        "office": office.name,
        "station": office.station_name,
        "officer": office.officer,
        "year": year,
        "range": range,
        "printed": date_zh(today),
        "columns": spec.columns.iter().map(|c| json!({"header": c.header, "width": c.width})).collect::<Vec<_>>(),
        "rows": rows,
        "voided": records.iter().filter(|r| r.get("voided") == Some(&Value::Bool(true))).count(),
    });
    let file_name = format!("{}-{}-{}至{}.pdf", office.code, kind.code(), from, to);
    Ok(Job::internal(include_str!("../../../assets/print/ledger.typ"), data, title, file_name))
}
