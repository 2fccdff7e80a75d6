//! 警务工作登记簿 / 民警工作日志 — one entry per piece of work on a day. `in_village` marks the
//! days spent in the village, which feed the target 每周驻村 3 天以上 (篇4).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::codes::{CodeEnum, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Reference, Register, RegisterKind, SearchDoc, zh};
use crate::error::ErrorCode;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    WorkCategory, "工作类别" {
        Visit = "visit", "走访调查", "Visits and enquiries";
        Patrol = "patrol", "治安巡逻", "Patrol";
        Publicity = "publicity", "警务宣传", "Publicity";
        Inspection = "inspection", "监督检查", "Inspection";
        Mediation = "mediation", "矛盾化解", "Mediation";
        Intel = "intel", "情报信息", "Intelligence";
        Service = "service", "为民服务", "Service";
        CallOut = "call_out", "接处警", "Call-out";
        Meeting = "meeting", "会议", "Meeting";
        Training = "training", "培训", "Training";
        Other = "other", "其他", "Other";
    }
}

/// Another record this entry is about (the visit made, the dispute mediated).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RecordLink {
    pub register: RegisterKind,
    pub id: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WorkLogEntry {
    pub date: NaiveDate,
    pub officer: String,
    /// 当天在村（社区）工作.
    pub in_village: bool,
    pub category: WorkCategory,
    pub content: String,
    pub result: Option<String>,
    /// A follow-up this work needs by that day (may lie in the future); cleared or marked done
    /// with `follow_up_done`.
    pub follow_up_due: Option<NaiveDate>,
    pub follow_up_done: bool,
    pub links: Vec<RecordLink>,
}

impl Register for WorkLogEntry {
    const KIND: RegisterKind = RegisterKind::WorkLog;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] =
        &[("category", zh::<WorkCategory>), ("register", zh::<RegisterKind>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("date", "日期"),
        ("officer", "民警"),
        ("in_village", "驻村（社区）"),
        ("category", "工作类别"),
        ("content", "工作内容"),
        ("result", "工作结果"),
        ("follow_up_due", "跟进期限"),
        ("follow_up_done", "已跟进"),
        ("links", "关联记录"),
        ("register", "台账"),
        ("id", "记录"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let date = f.date("date", Required, Some(ctx.today), i);
        let officer = f.text("officer", Required, MAX_SHORT, i);
        let in_village = f.flag("in_village", i);
        let category = f.code::<WorkCategory>("category", Required, i);
        let content = f.text("content", Required, MAX_TEXT, i);
        let result = f.text("result", Optional, MAX_TEXT, i);
        let follow_up_due = f.date("follow_up_due", Optional, None, i);
        let follow_up_done = f.flag("follow_up_done", i);
        let links: Vec<RecordLink> = f
            .objects("links", i)
            .into_iter()
            .filter_map(|l| {
                let register = l.code::<RegisterKind>("register", Required, i);
                let id = l.uuid("id", Required, i);
                l.finish(i);
                Some(RecordLink { register: register?, id: id? })
            })
            .collect();
        if let (Some(d), Some(due)) = (date, follow_up_due)
            && due < d
        {
            i.error(ErrorCode::EndBeforeStart, f.path("follow_up_due"), "跟进期限早于工作日期");
        }
        if follow_up_done && follow_up_due.is_none() && !i.has_error_at(&f.path("follow_up_due")) {
            i.error(ErrorCode::Required, f.path("follow_up_due"), "标为「已跟进」时须有「跟进期限」");
        }
        if !i.is_ok() {
            return None;
        }
        Some(WorkLogEntry {
            date: date?,
            officer: officer?,
            in_village,
            category: category?,
            content: content?,
            result,
            follow_up_due,
            follow_up_done,
            links,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn references(&self) -> Vec<Reference> {
        self.links
            .iter()
            .enumerate()
            .map(|(n, l)| Reference { field: format!("links[{n}].id"), register: l.register, id: l.id })
            .collect()
    }

    fn title(&self) -> String {
        let place = if self.in_village { "（驻村）" } else { "" };
        let content: String = self.content.chars().take(30).collect();
        format!("{} {}{} {}", crate::format::date_zh(self.date), self.category.label_zh(), place, content)
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: vec![self.officer.clone()],
            numbers: Vec::new(),
            places: Vec::new(),
            text: [Some(self.content.as_str()), self.result.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
