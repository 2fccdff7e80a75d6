//! 群防群治队伍登记簿 — the volunteer teams (打更队, 十户联防, 治保会 …) and their members. The
//! station trains volunteers before they patrol (篇1), so each member keeps a list of trainings;
//! patrols name the team and the members who took part.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::codes::{CodeEnum, Sex, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Reference, Register, RegisterKind, SearchDoc, zh};
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    TeamKind, "队伍类型" {
        NightWatch = "night_watch", "打更队", "Night watch";
        EnterpriseMutual = "enterprise_mutual", "企业互助队", "Enterprise mutual aid";
        CampusGuard = "campus_guard", "校园治安保卫队", "Campus guard";
        SecurityCommittee = "security_committee", "治保会", "Security committee";
        MediationCommittee = "mediation_committee", "调委会", "Mediation committee";
        Militia = "militia", "民兵应急分队", "Militia emergency squad";
        Volunteer = "volunteer", "志愿者", "Volunteers";
        TenHousehold = "ten_household", "十户联防", "Ten-household watch";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    TeamRole, "队内职务" {
        Captain = "captain", "队长", "Captain";
        ViceCaptain = "vice_captain", "副队长", "Vice captain";
        Member = "member", "队员", "Member";
    }
}

code_enum! {
    MemberStatus, "在岗状态" {
        Active = "active", "在岗", "Active";
        Left = "left", "离队", "Left";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Team {
    pub name: String,
    pub kind: TeamKind,
    pub village: String,
    pub leader: Option<String>,
    pub phone: Option<String>,
    /// 成立日期.
    pub founded_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl Register for Team {
    const KIND: RegisterKind = RegisterKind::Teams;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[("kind", zh::<TeamKind>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("name", "队伍名称"),
        ("kind", "队伍类型"),
        ("village", "所在村/社区"),
        ("leader", "负责人"),
        ("phone", "联系电话"),
        ("founded_on", "成立日期"),
        ("notes", "备注"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let name = f.text("name", Required, MAX_SHORT, i);
        let kind = f.code::<TeamKind>("kind", Required, i);
        let village = f.text("village", Required, MAX_SHORT, i);
        let leader = f.text("leader", Optional, MAX_SHORT, i);
        let phone = f.phone("phone", Optional, i);
        let founded_on = f.date("founded_on", Optional, Some(ctx.today), i);
        let notes = f.text("notes", Optional, MAX_TEXT, i);
        if !i.is_ok() {
            return None;
        }
        Some(Team { name: name?, kind: kind?, village: village?, leader, phone, founded_on, notes })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        self.founded_on
    }

    fn title(&self) -> String {
        format!("{}（{}，{}）", self.name, self.kind.label_zh(), self.village)
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: self.leader.iter().cloned().collect(),
            numbers: self.phone.iter().cloned().collect(),
            places: vec![self.village.clone()],
            text: self.name.clone(),
        }
    }
}

/// One training a member received (the station trains volunteers before they patrol).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Training {
    pub date: NaiveDate,
    pub content: String,
    pub trainer: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TeamMember {
    pub team_id: Uuid,
    pub name: String,
    pub sex: Option<Sex>,
    pub role: TeamRole,
    pub phone: Option<String>,
    pub joined_on: NaiveDate,
    pub status: MemberStatus,
    /// 离队日期, required once the member has left.
    pub left_on: Option<NaiveDate>,
    pub trainings: Vec<Training>,
}

impl Register for TeamMember {
    const KIND: RegisterKind = RegisterKind::TeamMembers;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] =
        &[("sex", zh::<Sex>), ("role", zh::<TeamRole>), ("status", zh::<MemberStatus>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("team_id", "所属队伍"),
        ("name", "姓名"),
        ("sex", "性别"),
        ("role", "职务"),
        ("phone", "联系电话"),
        ("joined_on", "加入日期"),
        ("status", "状态"),
        ("left_on", "离队日期"),
        ("trainings", "培训记录"),
        ("date", "培训日期"),
        ("content", "培训内容"),
        ("trainer", "授课人"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let today = Some(ctx.today);
        let team_id = f.uuid("team_id", Required, i);
        let name = f.text("name", Required, MAX_SHORT, i);
        let sex = f.code::<Sex>("sex", Optional, i);
        let role = f.code::<TeamRole>("role", Required, i);
        let phone = f.phone("phone", Optional, i);
        let joined_on = f.date("joined_on", Required, today, i);
        let status = f.code::<MemberStatus>("status", Optional, i).or(Some(MemberStatus::Active));
        let left_on = f.date("left_on", Optional, today, i);
        let trainings: Vec<Training> = f
            .objects("trainings", i)
            .into_iter()
            .filter_map(|t| {
                let date = t.date("date", Required, today, i);
                let content = t.text("content", Required, MAX_TEXT, i);
                let trainer = t.text("trainer", Optional, MAX_SHORT, i);
                t.finish(i);
                Some(Training { date: date?, content: content?, trainer })
            })
            .collect();
        if status == Some(MemberStatus::Left) && left_on.is_none() && !i.has_error_at(&f.path("left_on")) {
            i.require(false, f.path("left_on"), "队员已离队，须填写「离队日期」".into());
        }
        if status == Some(MemberStatus::Active) && left_on.is_some() {
            i.error(
                crate::error::ErrorCode::OutOfRange,
                f.path("left_on"),
                "队员在岗，不应填写「离队日期」；离队请把状态改为「离队」",
            );
        }
        if let (Some(j), Some(l)) = (joined_on, left_on)
            && l < j
        {
            i.error(crate::error::ErrorCode::EndBeforeStart, f.path("left_on"), "离队日期早于加入日期");
        }
        if !i.is_ok() {
            return None;
        }
        Some(TeamMember {
            team_id: team_id?,
            name: name?,
            sex,
            role: role?,
            phone,
            joined_on: joined_on?,
            status: status?,
            left_on,
            trainings,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.joined_on)
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference { field: "team_id".into(), register: RegisterKind::Teams, id: self.team_id }]
    }

    fn title(&self) -> String {
        format!("{}（{}，{}）", self.name, self.role.label_zh(), self.status.label_zh())
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: vec![self.name.clone()],
            numbers: self.phone.iter().cloned().collect(),
            places: Vec::new(),
            text: self.trainings.iter().map(|t| t.content.as_str()).collect::<Vec<_>>().join(" "),
        }
    }
}
