//! 情报信息 — information the officer gathers and reports up, including signs of a group
//! incident (群体性事件苗头, 篇4: 16 reports and 9 signs defused in a county's year).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::codes::{CodeEnum, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::error::ErrorCode;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    IntelCategory, "信息类别" {
        GroupIncidentSign = "group_incident_sign", "群体性事件苗头", "Sign of a group incident";
        DisputeSign = "dispute_sign", "矛盾纠纷苗头", "Sign of a dispute";
        CriminalClue = "criminal_clue", "违法犯罪线索", "Criminal lead";
        PublicSecurity = "public_security", "治安动态", "Public security";
        PublicOpinion = "public_opinion", "社情民意", "Public opinion";
        Other = "other", "其他", "Other";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Intel {
    pub date: NaiveDate,
    /// 信息来源 (a resident, a patrol, a visit …), as the officer writes it.
    pub source: String,
    pub category: IntelCategory,
    pub content: String,
    pub reported_to: Option<String>,
    pub reported_on: Option<NaiveDate>,
    /// A sign (苗头) that was defused (化解), with how.
    pub defused: bool,
    pub handling: Option<String>,
    pub officer: String,
}

impl Intel {
    /// Signs are the categories that can be defused.
    pub fn is_sign(&self) -> bool {
        matches!(self.category, IntelCategory::GroupIncidentSign | IntelCategory::DisputeSign)
    }
}

impl Register for Intel {
    const KIND: RegisterKind = RegisterKind::Intel;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[("category", zh::<IntelCategory>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("date", "日期"),
        ("source", "信息来源"),
        ("category", "信息类别"),
        ("content", "信息内容"),
        ("reported_to", "报送单位"),
        ("reported_on", "报送日期"),
        ("defused", "已化解"),
        ("handling", "处置/化解情况"),
        ("officer", "民警"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let today = Some(ctx.today);
        let date = f.date("date", Required, today, i);
        let source = f.text("source", Required, MAX_SHORT, i);
        let category = f.code::<IntelCategory>("category", Required, i);
        let content = f.text("content", Required, MAX_TEXT, i);
        let reported_to = f.text("reported_to", Optional, MAX_SHORT, i);
        let reported_on = f.date("reported_on", Optional, today, i);
        let defused = f.flag("defused", i);
        let handling = f.text("handling", Optional, MAX_TEXT, i);
        let officer = f.text("officer", Required, MAX_SHORT, i);
        if let (Some(d), Some(r)) = (date, reported_on)
            && r < d
        {
            i.error(ErrorCode::EndBeforeStart, f.path("reported_on"), "报送日期早于信息日期");
        }
        if reported_on.is_some() && reported_to.is_none() && !i.has_error_at(&f.path("reported_to")) {
            i.require(false, f.path("reported_to"), "填写了报送日期，须填写「报送单位」".into());
        }
        if defused {
            if let Some(c) = category
                && !matches!(c, IntelCategory::GroupIncidentSign | IntelCategory::DisputeSign)
            {
                i.error(
                    ErrorCode::OutOfRange,
                    f.path("defused"),
                    format!("只有苗头类信息可以标为「已化解」，本条类别是「{}」", c.label_zh()),
                );
            }
            if handling.is_none() && !i.has_error_at(&f.path("handling")) {
                i.require(false, f.path("handling"), "已化解的苗头须写明「处置/化解情况」".into());
            }
        }
        if !i.is_ok() {
            return None;
        }
        Some(Intel {
            date: date?,
            source: source?,
            category: category?,
            content: content?,
            reported_to,
            reported_on,
            defused,
            handling,
            officer: officer?,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn title(&self) -> String {
        let content: String = self.content.chars().take(30).collect();
        let state = if self.defused { "（已化解）" } else { "" };
        format!("{} {}{} {}", crate::format::date_zh(self.date), self.category.label_zh(), state, content)
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: vec![self.officer.clone()],
            numbers: Vec::new(),
            places: Vec::new(),
            text: [Some(self.source.as_str()), Some(self.content.as_str()), self.handling.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
