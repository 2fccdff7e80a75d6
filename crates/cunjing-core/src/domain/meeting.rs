//! 村（社区）会议 — the officer attends the village meeting every month (篇1), reports the
//! security situation and takes the villagers' problems away.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::register::{ParseCtx, Register, RegisterKind, SearchDoc};
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Meeting {
    pub date: NaiveDate,
    pub village: String,
    /// 主持人.
    pub host: Option<String>,
    /// Named attendees (村干部, 组长 …).
    pub attendees: Vec<String>,
    /// 参会人数, at least the named attendees.
    pub attendee_count: i64,
    /// 通报的治安情况.
    pub situation: String,
    /// 群众反映的问题.
    pub problems: Option<String>,
    /// 下一步工作重点.
    pub priorities: Option<String>,
    pub recorder: String,
}

impl Register for Meeting {
    const KIND: RegisterKind = RegisterKind::Meetings;
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("date", "会议日期"),
        ("village", "村/社区"),
        ("host", "主持人"),
        ("attendees", "参会人员"),
        ("attendee_count", "参会人数"),
        ("situation", "通报情况"),
        ("problems", "反映问题"),
        ("priorities", "下步工作重点"),
        ("recorder", "记录人"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let date = f.date("date", Required, Some(ctx.today), i);
        let village = f.text("village", Required, MAX_SHORT, i);
        let host = f.text("host", Optional, MAX_SHORT, i);
        let attendees = f.texts("attendees", i);
        let attendee_count = f.int("attendee_count", Required, 1, 100_000, i);
        let situation = f.text("situation", Required, MAX_TEXT, i);
        let problems = f.text("problems", Optional, MAX_TEXT, i);
        let priorities = f.text("priorities", Optional, MAX_TEXT, i);
        let recorder = f.text("recorder", Required, MAX_SHORT, i);
        if let Some(n) = attendee_count
            && (n as usize) < attendees.len()
        {
            i.error(
                crate::error::ErrorCode::OutOfRange,
                f.path("attendee_count"),
                format!("参会人数（{n}）少于列出的参会人员（{} 人）", attendees.len()),
            );
        }
        if !i.is_ok() {
            return None;
        }
        Some(Meeting {
            date: date?,
            village: village?,
            host,
            attendees,
            attendee_count: attendee_count?,
            situation: situation?,
            problems,
            priorities,
            recorder: recorder?,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn title(&self) -> String {
        format!("{} {}会议（{} 人）", crate::format::date_zh(self.date), self.village, self.attendee_count)
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: self.host.iter().chain(self.attendees.iter()).cloned().collect(),
            numbers: Vec::new(),
            places: vec![self.village.clone()],
            text: [Some(self.situation.as_str()), self.problems.as_deref(), self.priorities.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
