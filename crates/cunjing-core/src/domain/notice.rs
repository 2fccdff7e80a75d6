//! 警情社情通报 — the office's public notices on crime and safety, numbered 第N期 per year (the
//! county issued 516 in a year, 篇4). The store assigns the number (`2026-通-007` = 2026年第7期).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::codes::code_enum;
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    NoticeChannel, "通报方式" {
        Posting = "posting", "张贴", "Posted";
        VillageMeeting = "village_meeting", "村民会", "Village meeting";
        Broadcast = "broadcast", "广播", "Loudspeaker";
        Wechat = "wechat", "微信群", "WeChat group";
        Leaflet = "leaflet", "传单", "Leaflets";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notice {
    /// Assigned by the store: `2026-通-007`.
    pub record_no: String,
    pub date: NaiveDate,
    pub title: String,
    pub channels: Vec<NoticeChannel>,
    pub content: String,
    /// 受众人数 (estimated).
    pub audience: Option<i64>,
    pub issuer: String,
}

impl Notice {
    /// `2026年第7期` from `2026-通-007`.
    pub fn issue_label(record_no: &str) -> String {
        let mut parts = record_no.split('-');
        match (parts.next(), parts.next(), parts.next().and_then(|n| n.parse::<u32>().ok())) {
            (Some(year), Some(_), Some(n)) => format!("{year}年第{n}期"),
            _ => record_no.to_string(),
        }
    }
}

impl Register for Notice {
    const KIND: RegisterKind = RegisterKind::Notices;
    const READ_ONLY: &'static [&'static str] = &["record_no"];
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[("channels", zh::<NoticeChannel>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("record_no", "期号"),
        ("date", "通报日期"),
        ("title", "标题"),
        ("channels", "通报方式"),
        ("content", "通报内容"),
        ("audience", "受众人数"),
        ("issuer", "发布人"),
    ];

    fn parse(f: &Fields, before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        // Present on update (the stored record merged with the change), never typed in.
        let record_no = f.text("record_no", Optional, 30, i).unwrap_or_default();
        let date = f.date("date", Required, Some(ctx.today), i);
        let title = f.text("title", Required, MAX_SHORT, i);
        let channels = f.codes::<NoticeChannel>("channels", 1, i);
        let content = f.text("content", Required, MAX_TEXT, i);
        let audience = f.int("audience", Optional, 0, 10_000_000, i);
        let issuer = f.text("issuer", Required, MAX_SHORT, i);
        if let (Some(before), Some(date)) = (before, date)
            && chrono::Datelike::year(&before.date) != chrono::Datelike::year(&date)
        {
            i.error(
                crate::error::ErrorCode::ReadOnlyField,
                f.path("date"),
                format!(
                    "通报日期不能改到另一年：期号 {} 按年份编排。如确属登记错误，请作废本期后重新登记",
                    before.record_no
                ),
            );
        }
        if !i.is_ok() {
            return None;
        }
        Some(Notice { record_no, date: date?, title: title?, channels, content: content?, audience, issuer: issuer? })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn title(&self) -> String {
        format!("{} {}", Notice::issue_label(&self.record_no), self.title)
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: Vec::new(),
            numbers: vec![self.record_no.clone()],
            places: Vec::new(),
            text: format!("{} {}", self.title, self.content),
        }
    }

    fn numbering(&self) -> Option<(i32, &'static str)> {
        use chrono::Datelike;
        Some((self.date.year(), "通"))
    }

    fn set_record_no(&mut self, no: String) {
        self.record_no = no;
    }
}
