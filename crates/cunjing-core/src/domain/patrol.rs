//! 巡逻登记 — the patrol log: foot, bicycle and vehicle patrols, led by the officer or by the
//! volunteer teams (篇1; local rules ask for at least 8 volunteer patrols a month).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::codes::code_enum;
use crate::domain::register::{CodeLookup, ParseCtx, Reference, Register, RegisterKind, SearchDoc, zh};
use crate::error::ErrorCode;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    PatrolKind, "巡逻类型" {
        OfficerLed = "officer_led", "民警带队", "Officer-led";
        Volunteer = "volunteer", "群防群治队伍自行巡逻", "Volunteer team";
        Joint = "joint", "联合巡逻", "Joint";
    }
}

code_enum! {
    PatrolMode, "巡逻方式" {
        Foot = "foot", "徒步", "On foot";
        Bicycle = "bicycle", "自行车", "Bicycle";
        Motorcycle = "motorcycle", "摩托车", "Motorcycle";
        Vehicle = "vehicle", "机动车", "Vehicle";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Patrol {
    pub date: NaiveDate,
    /// `HH:MM`.
    pub start_time: String,
    /// `HH:MM`; earlier than `start_time` only when `crosses_midnight` says so.
    pub end_time: String,
    /// A night patrol that ends the next day, said explicitly so a typo is not taken for one.
    pub crosses_midnight: bool,
    pub kind: PatrolKind,
    pub mode: PatrolMode,
    pub route: String,
    pub leader: Option<String>,
    pub members: Vec<String>,
    /// The volunteer team that patrolled, and which of its members took part (their names are
    /// also in `members`, as the paper log lists them). Absent in records made before teams
    /// were kept.
    #[serde(default)]
    pub team_id: Option<Uuid>,
    #[serde(default)]
    pub team_member_ids: Vec<Uuid>,
    pub headcount: i64,
    pub findings: Option<String>,
    pub checked_count: Option<i64>,
    pub handling: Option<String>,
    pub arrests: Option<i64>,
    pub recorder: String,
}

impl Register for Patrol {
    const KIND: RegisterKind = RegisterKind::Patrols;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] =
        &[("kind", zh::<PatrolKind>), ("mode", zh::<PatrolMode>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("date", "日期"),
        ("start_time", "开始时间"),
        ("end_time", "结束时间"),
        ("crosses_midnight", "跨夜巡逻"),
        ("kind", "巡逻类型"),
        ("mode", "巡逻方式"),
        ("route", "路线/区域/重点部位"),
        ("leader", "带队民警"),
        ("members", "参加人员"),
        ("team_id", "群防群治队伍"),
        ("team_member_ids", "参加队员"),
        ("headcount", "人数"),
        ("findings", "发现情况"),
        ("checked_count", "盘查人数"),
        ("handling", "处置情况"),
        ("arrests", "抓获嫌疑人数"),
        ("recorder", "记录人"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let date = f.date("date", Required, Some(ctx.today), i);
        let start_time = f.time("start_time", Required, i);
        let end_time = f.time("end_time", Required, i);
        let crosses_midnight = f.flag("crosses_midnight", i);
        let kind = f.code::<PatrolKind>("kind", Required, i);
        let mode = f.code::<PatrolMode>("mode", Required, i);
        let route = f.text("route", Required, MAX_TEXT, i);
        let leader_need = if kind == Some(PatrolKind::OfficerLed) { Required } else { Optional };
        let leader = f.text("leader", leader_need, MAX_SHORT, i);
        let members = f.texts("members", i);
        let team_id = f.uuid("team_id", Optional, i);
        let team_member_ids: Vec<Uuid> = f
            .texts("team_member_ids", i)
            .iter()
            .enumerate()
            .filter_map(|(n, s)| match Uuid::parse_str(s) {
                Ok(id) => Some(id),
                Err(_) => {
                    i.error(
                        ErrorCode::InvalidType,
                        format!("{}[{n}]", f.path("team_member_ids")),
                        format!("「参加队员」应为队员记录编号（UUID）：{s}"),
                    );
                    None
                }
            })
            .collect();
        if !team_member_ids.is_empty() && team_id.is_none() && !i.has_error_at(&f.path("team_id")) {
            i.require(false, f.path("team_id"), "选了参加队员，须选择其所属的「群防群治队伍」".into());
        }
        let headcount = f.int("headcount", Required, 1, 10_000, i);
        let findings = f.text("findings", Optional, MAX_TEXT, i);
        let checked_count = f.int("checked_count", Optional, 0, 100_000, i);
        let handling = f.text("handling", Optional, MAX_TEXT, i);
        let arrests = f.int("arrests", Optional, 0, 10_000, i);
        let recorder = f.text("recorder", Required, MAX_SHORT, i);

        if let (Some(start), Some(end)) = (&start_time, &end_time) {
            // "HH:MM" strings compare in time order.
            if crosses_midnight && end >= start {
                i.error(
                    ErrorCode::EndBeforeStart,
                    f.path("crosses_midnight"),
                    "标为跨夜巡逻，但结束时间并不早于开始时间",
                );
            } else if !crosses_midnight && end <= start {
                i.error(
                    ErrorCode::EndBeforeStart,
                    f.path("end_time"),
                    format!("结束时间 {end} 不晚于开始时间 {start}；夜间巡逻跨过零点请勾选「跨夜巡逻」"),
                );
            }
        }
        if let Some(n) = headcount
            && (n as usize) < members.len()
        {
            i.warn(
                ErrorCode::OutOfRange,
                f.path("headcount"),
                format!("人数（{n}）少于列出的参加人员（{} 人）", members.len()),
            );
        }
        if !i.is_ok() {
            return None;
        }
        Some(Patrol {
            date: date?,
            start_time: start_time?,
            end_time: end_time?,
            crosses_midnight,
            kind: kind?,
            mode: mode?,
            route: route?,
            leader,
            members,
            team_id,
            team_member_ids,
            headcount: headcount?,
            findings,
            checked_count,
            handling,
            arrests,
            recorder: recorder?,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn references(&self) -> Vec<Reference> {
        let team = self.team_id.map(|id| Reference { field: "team_id".into(), register: RegisterKind::Teams, id });
        let members = self.team_member_ids.iter().enumerate().map(|(n, &id)| Reference {
            field: format!("team_member_ids[{n}]"),
            register: RegisterKind::TeamMembers,
            id,
        });
        team.into_iter().chain(members).collect()
    }

    fn title(&self) -> String {
        use crate::domain::codes::CodeEnum;
        format!(
            "{} {}–{} {}·{} {}",
            crate::format::date_zh(self.date),
            self.start_time,
            self.end_time,
            self.kind.label_zh(),
            self.mode.label_zh(),
            self.route
        )
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: self.leader.iter().chain(self.members.iter()).cloned().collect(),
            numbers: Vec::new(),
            places: vec![self.route.clone()],
            text: [self.findings.as_deref(), self.handling.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
