//! 民意测评 — satisfaction surveys among residents; their 满意率 is one of the five criteria of
//! the assessment (篇4). 满意率 = (满意 + 基本满意) ÷ 测评人数, as local assessments count it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::codes::{CodeEnum, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::error::ErrorCode;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    SurveyMethod, "测评方式" {
        Questionnaire = "questionnaire", "问卷", "Questionnaire";
        Visit = "visit", "走访", "In person";
        Phone = "phone", "电话回访", "By phone";
        Meeting = "meeting", "会议测评", "At a meeting";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Survey {
    pub date: NaiveDate,
    /// 测评范围 (a village, a group, the whole area).
    pub scope: String,
    pub method: SurveyMethod,
    /// 测评人数; equals the three answers added up.
    pub sample_size: i64,
    pub satisfied: i64,
    pub basically: i64,
    pub unsatisfied: i64,
    /// 主要意见建议.
    pub opinions: Option<String>,
    pub organiser: String,
}

impl Survey {
    /// 满意率 in per mille (整数 ‰ avoids floats in stored figures): (满意 + 基本满意) ÷ 测评人数.
    pub fn satisfaction_permille(&self) -> i64 {
        if self.sample_size == 0 { 0 } else { (self.satisfied + self.basically) * 1000 / self.sample_size }
    }
}

impl Register for Survey {
    const KIND: RegisterKind = RegisterKind::Surveys;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[("method", zh::<SurveyMethod>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("date", "测评日期"),
        ("scope", "测评范围"),
        ("method", "测评方式"),
        ("sample_size", "测评人数"),
        ("satisfied", "满意"),
        ("basically", "基本满意"),
        ("unsatisfied", "不满意"),
        ("opinions", "主要意见建议"),
        ("organiser", "组织人"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let date = f.date("date", Required, Some(ctx.today), i);
        let scope = f.text("scope", Required, MAX_SHORT, i);
        let method = f.code::<SurveyMethod>("method", Required, i);
        let sample_size = f.int("sample_size", Required, 1, 1_000_000, i);
        let satisfied = f.int("satisfied", Required, 0, 1_000_000, i);
        let basically = f.int("basically", Required, 0, 1_000_000, i);
        let unsatisfied = f.int("unsatisfied", Required, 0, 1_000_000, i);
        let opinions = f.text("opinions", Optional, MAX_TEXT, i);
        let organiser = f.text("organiser", Required, MAX_SHORT, i);
        if let (Some(n), Some(a), Some(b), Some(c)) = (sample_size, satisfied, basically, unsatisfied)
            && a + b + c != n
        {
            i.error(
                ErrorCode::OutOfRange,
                f.path("sample_size"),
                format!("满意、基本满意、不满意之和（{}）应等于测评人数（{n}）", a + b + c),
            );
        }
        if !i.is_ok() {
            return None;
        }
        Some(Survey {
            date: date?,
            scope: scope?,
            method: method?,
            sample_size: sample_size?,
            satisfied: satisfied?,
            basically: basically?,
            unsatisfied: unsatisfied?,
            opinions,
            organiser: organiser?,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn title(&self) -> String {
        let p = self.satisfaction_permille();
        format!(
            "{} {} {}（{} 人，满意率 {}.{}%）",
            crate::format::date_zh(self.date),
            self.scope,
            self.method.label_zh(),
            self.sample_size,
            p / 10,
            p % 10
        )
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: vec![self.organiser.clone()],
            numbers: Vec::new(),
            places: vec![self.scope.clone()],
            text: self.opinions.clone().unwrap_or_default(),
        }
    }
}
