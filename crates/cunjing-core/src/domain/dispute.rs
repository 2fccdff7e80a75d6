//! 纠纷调处登记簿 — the dispute mediation register (篇4) with its status workflow:
//! accepted → mediating → resolved / failed / referred / withdrawn → closed,
//! and follow-up visits (回访) after a successful mediation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::codes::{CodeEnum, Satisfaction, Sex, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::error::ErrorCode;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    DisputeStatus, "纠纷状态" {
        Accepted = "accepted", "登记受理", "Accepted";
        Mediating = "mediating", "调解中", "Mediating";
        Resolved = "resolved", "调解成功", "Resolved";
        Failed = "failed", "调解不成功", "Failed";
        Referred = "referred", "移交", "Referred";
        Withdrawn = "withdrawn", "撤回", "Withdrawn";
        Closed = "closed", "结案归档", "Closed";
    }
}

impl DisputeStatus {
    /// The statuses a dispute may move to from this one. Mediation on the spot (就地化解) is
    /// common, so an accepted dispute may be settled without passing through `mediating`.
    pub fn next(self) -> &'static [DisputeStatus] {
        use DisputeStatus::*;
        match self {
            Accepted => &[Mediating, Resolved, Failed, Referred, Withdrawn],
            Mediating => &[Resolved, Failed, Referred, Withdrawn],
            Resolved | Failed | Referred | Withdrawn => &[Closed],
            Closed => &[],
        }
    }

    /// Statuses that need an outcome note (调处结果说明).
    pub fn needs_outcome(self) -> bool {
        matches!(self, DisputeStatus::Resolved | DisputeStatus::Failed | DisputeStatus::Referred)
    }
}

code_enum! {
    DisputeSource, "纠纷来源" {
        PartyRequest = "party_request", "当事人申请", "Party's request";
        FoundOnVisit = "found_on_visit", "民警走访/排查发现", "Found on a visit";
        From110 = "from_110", "接处警转入", "From a 110 call";
        VillageCommittee = "village_committee", "村(居)委/调委会移交", "Village committee";
        PublicReport = "public_report", "群众反映", "Public report";
        Assigned = "assigned", "上级交办", "Assigned from above";
    }
}

code_enum! {
    DisputeType, "纠纷类型" {
        Family = "family", "婚姻家庭继承", "Family";
        Neighbor = "neighbor", "邻里", "Neighbours";
        Homestead = "homestead", "房屋宅基地", "Homestead";
        Land = "land", "山林土地承包", "Land";
        Damages = "damages", "损害赔偿", "Damages";
        Debt = "debt", "合同/债务", "Debt";
        Demolition = "demolition", "征地拆迁", "Demolition";
        Labor = "labor", "劳资", "Labour";
        VillageAffairs = "village_affairs", "村务管理", "Village affairs";
        Environment = "environment", "环境", "Environment";
        Traffic = "traffic", "交通事故", "Traffic";
        Medical = "medical", "医患", "Medical";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    RiskLevel, "风险等级" {
        Red = "red", "红色（立即上报）", "Red";
        Orange = "orange", "橙色（当天处置）", "Orange";
        Yellow = "yellow", "黄色（就地化解）", "Yellow";
    }
}

code_enum! {
    PartyRole, "当事人身份" {
        Applicant = "applicant", "申请方", "Applicant";
        Respondent = "respondent", "被申请方", "Respondent";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    AgreementForm, "协议形式" {
        Written = "written", "书面", "Written";
        Oral = "oral", "口头", "Oral";
    }
}

code_enum! {
    Performance, "履行情况" {
        Done = "done", "已履行", "Done";
        Partial = "partial", "部分履行", "Partly done";
        NotDone = "not_done", "未履行", "Not done";
    }
}

code_enum! {
    FollowupMethod, "回访方式" {
        Visit = "visit", "上门", "In person";
        Phone = "phone", "电话", "By phone";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Party {
    pub name: String,
    pub role: PartyRole,
    pub sex: Option<Sex>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MediationStep {
    pub date: NaiveDate,
    pub content: String,
    pub participants: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Followup {
    pub date: NaiveDate,
    pub method: Option<FollowupMethod>,
    pub visitor: String,
    pub performance: Option<Performance>,
    pub satisfaction: Option<Satisfaction>,
    pub recurrence: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dispute {
    /// `2026-纠-001`, assigned by the store; empty only before the first save.
    pub record_no: String,
    pub status: DisputeStatus,
    pub accepted_on: NaiveDate,
    pub source: DisputeSource,
    pub dispute_type: DisputeType,
    pub location: String,
    pub parties: Vec<Party>,
    pub people_count: i64,
    pub summary: String,
    pub risk_level: Option<RiskLevel>,
    pub escalation_flag: bool,
    pub mediators: String,
    pub steps: Vec<MediationStep>,
    pub outcome_note: Option<String>,
    pub referred_to: Option<String>,
    pub agreement_form: Option<AgreementForm>,
    pub performance: Option<Performance>,
    pub closed_on: Option<NaiveDate>,
    pub followups: Vec<Followup>,
}

/// The character that marks dispute numbers (`2026-纠-001`).
pub const DISPUTE_NO_MARK: &str = "纠";

impl Register for Dispute {
    const KIND: RegisterKind = RegisterKind::Disputes;
    const READ_ONLY: &'static [&'static str] = &["record_no"];
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[
        ("status", zh::<DisputeStatus>),
        ("source", zh::<DisputeSource>),
        ("dispute_type", zh::<DisputeType>),
        ("risk_level", zh::<RiskLevel>),
        ("role", zh::<PartyRole>),
        ("sex", zh::<Sex>),
        ("agreement_form", zh::<AgreementForm>),
        ("performance", zh::<Performance>),
        ("method", zh::<FollowupMethod>),
        ("satisfaction", zh::<Satisfaction>),
    ];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("record_no", "编号"),
        ("status", "状态"),
        ("accepted_on", "受理日期"),
        ("source", "纠纷来源"),
        ("dispute_type", "纠纷类型"),
        ("location", "发生地点"),
        ("parties", "当事人"),
        ("people_count", "涉及人数"),
        ("summary", "简要情况"),
        ("risk_level", "风险等级"),
        ("escalation_flag", "可能激化/群体性苗头"),
        ("mediators", "调处人员"),
        ("steps", "调处经过"),
        ("outcome_note", "调处结果说明"),
        ("referred_to", "移交单位"),
        ("agreement_form", "协议形式"),
        ("performance", "履行情况"),
        ("closed_on", "结案日期"),
        ("followups", "回访"),
        // nested: parties[], steps[], followups[]
        ("name", "姓名"),
        ("role", "当事人身份"),
        ("sex", "性别"),
        ("id_number", "公民身份号码"),
        ("phone", "联系电话"),
        ("address", "住址"),
        ("date", "日期"),
        ("content", "内容"),
        ("participants", "参加人员"),
        ("method", "回访方式"),
        ("visitor", "回访人"),
        ("satisfaction", "满意度"),
        ("recurrence", "是否反复"),
    ];

    fn parse(f: &Fields, before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let today = Some(ctx.today);
        let record_no = f.text("record_no", Optional, 30, i).unwrap_or_default();
        let status = if f.has("status") {
            f.code::<DisputeStatus>("status", Required, i)
        } else {
            f.code::<DisputeStatus>("status", Optional, i).or(Some(DisputeStatus::Accepted))
        };
        let accepted_on = f.date("accepted_on", Required, today, i);
        let source = f.code::<DisputeSource>("source", Required, i);
        let dispute_type = f.code::<DisputeType>("dispute_type", Required, i);
        let location = f.text("location", Required, MAX_SHORT, i);
        let parties: Vec<Party> = f.objects("parties", i).into_iter().filter_map(|p| parse_party(p, ctx, i)).collect();
        let people_count = f.int("people_count", Required, 1, 100_000, i);
        let summary = f.text("summary", Required, MAX_TEXT, i);
        let risk_level = f.code::<RiskLevel>("risk_level", Optional, i);
        let escalation_flag = f.flag("escalation_flag", i);
        let mediators = f.text("mediators", Required, MAX_SHORT * 3, i);
        let steps: Vec<MediationStep> = f
            .objects("steps", i)
            .into_iter()
            .filter_map(|s| {
                let date = s.date("date", Required, today, i);
                let content = s.text("content", Required, MAX_TEXT, i);
                let participants = s.text("participants", Optional, MAX_SHORT * 3, i);
                s.finish(i);
                Some(MediationStep { date: date?, content: content?, participants })
            })
            .collect();
        let outcome_note = f.text("outcome_note", Optional, MAX_TEXT, i);
        let referred_to = f.text("referred_to", Optional, MAX_SHORT, i);
        let agreement_form = f.code::<AgreementForm>("agreement_form", Optional, i);
        let performance = f.code::<Performance>("performance", Optional, i);
        let mut closed_on = f.date("closed_on", Optional, today, i);
        let followups: Vec<Followup> = f
            .objects("followups", i)
            .into_iter()
            .filter_map(|s| {
                let date = s.date("date", Required, today, i);
                let method = s.code::<FollowupMethod>("method", Optional, i);
                let visitor = s.text("visitor", Required, MAX_SHORT, i);
                let performance = s.code::<Performance>("performance", Optional, i);
                let satisfaction = s.code::<Satisfaction>("satisfaction", Optional, i);
                let recurrence = s.flag("recurrence", i);
                s.finish(i);
                Some(Followup { date: date?, method, visitor: visitor?, performance, satisfaction, recurrence })
            })
            .collect();

        // --- rules across fields ---
        // A party with its own errors is already reported; count only when all parties read well.
        let party_errors = i.errors.iter().any(|e| e.field.starts_with(&f.path("parties")));
        if parties.len() < 2 && !party_errors {
            i.error(ErrorCode::TooFewParties, f.path("parties"), "纠纷至少要有两方当事人");
        }
        if let Some(n) = people_count
            && !parties.is_empty()
            && (n as usize) < parties.len()
        {
            i.error(
                ErrorCode::OutOfRange,
                f.path("people_count"),
                format!("涉及人数（{n}）少于登记的当事人数（{}）", parties.len()),
            );
        }
        if let Some(status) = status {
            check_transition(f, before.map(|b| b.status), status, i);
            if status.needs_outcome() && outcome_note.is_none() {
                i.error(
                    ErrorCode::OutcomeNoteRequired,
                    f.path("outcome_note"),
                    format!("状态为「{}」时须填写调处结果说明", status.label_zh()),
                );
            }
            if status == DisputeStatus::Referred && referred_to.is_none() {
                i.error(
                    ErrorCode::ReferredToRequired,
                    f.path("referred_to"),
                    "移交时须填写移交单位（司法所、法院、信访或职能部门）",
                );
            }
            if status == DisputeStatus::Closed {
                let was_resolved = before.is_some_and(|b| b.status == DisputeStatus::Resolved);
                if was_resolved && followups.is_empty() {
                    i.error(ErrorCode::FollowupRequired, f.path("followups"), "调解成功的纠纷须至少回访一次才能结案");
                }
                closed_on = closed_on.or(Some(ctx.today));
            }
        }
        if let (Some(before), Some(accepted)) = (before, accepted_on)
            && chrono::Datelike::year(&before.accepted_on) != chrono::Datelike::year(&accepted)
        {
            i.error(
                ErrorCode::ReadOnlyField,
                f.path("accepted_on"),
                format!(
                    "受理日期不能改到另一年：编号 {} 按受理年份编排。如确属登记错误，请作废本条后重新登记",
                    before.record_no
                ),
            );
        }
        if let Some(accepted) = accepted_on {
            let dated = steps.iter().map(|s| ("steps", s.date)).chain(followups.iter().map(|s| ("followups", s.date)));
            for (key, date) in dated.chain(closed_on.map(|d| ("closed_on", d))) {
                if date < accepted {
                    i.error(ErrorCode::EndBeforeStart, f.path(key), format!("「{}」的日期早于受理日期", f.label(key)));
                }
            }
        }
        if !i.is_ok() {
            return None;
        }
        Some(Dispute {
            record_no,
            status: status?,
            accepted_on: accepted_on?,
            source: source?,
            dispute_type: dispute_type?,
            location: location?,
            parties,
            people_count: people_count?,
            summary: summary?,
            risk_level,
            escalation_flag,
            mediators: mediators?,
            steps,
            outcome_note,
            referred_to,
            agreement_form,
            performance,
            closed_on,
            followups,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.accepted_on)
    }

    fn title(&self) -> String {
        let names: Vec<&str> = self.parties.iter().map(|p| p.name.as_str()).collect();
        format!(
            "{} {} {}纠纷（{}）{}",
            self.record_no,
            crate::format::date_zh(self.accepted_on),
            self.dispute_type.label_zh(),
            self.status.label_zh(),
            names.join("、")
        )
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: self.parties.iter().map(|p| p.name.clone()).collect(),
            numbers: self
                .parties
                .iter()
                .flat_map(|p| [p.id_number.clone(), p.phone.clone()])
                .flatten()
                .chain(std::iter::once(self.record_no.clone()))
                .collect(),
            places: std::iter::once(self.location.clone())
                .chain(self.parties.iter().filter_map(|p| p.address.clone()))
                .collect(),
            text: [Some(self.summary.as_str()), self.outcome_note.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }

    fn numbering(&self) -> Option<(i32, &'static str)> {
        Some((chrono::Datelike::year(&self.accepted_on), DISPUTE_NO_MARK))
    }

    fn set_record_no(&mut self, no: String) {
        self.record_no = no;
    }
}

fn parse_party(p: Fields, ctx: &ParseCtx, i: &mut Issues) -> Option<Party> {
    let name = p.text("name", Required, MAX_SHORT, i);
    let role = p.code::<PartyRole>("role", Required, i);
    let sex = p.code::<Sex>("sex", Optional, i);
    let id_info = p.id_number("id_number", ctx.today, i);
    let phone = p.phone("phone", Optional, i);
    let address = p.text("address", Optional, MAX_SHORT, i);
    if let (Some(info), Some(s)) = (&id_info, sex) {
        let id_sex = if info.is_male { Sex::Male } else { Sex::Female };
        if s != id_sex && s != Sex::Unknown {
            i.error(
                ErrorCode::IdNumberSexMismatch,
                p.path("sex"),
                format!("性别「{}」与身份号码（{}）不符", s.label_zh(), id_sex.label_zh()),
            );
        }
    }
    p.finish(i);
    Some(Party { name: name?, role: role?, sex, id_number: id_info.map(|x| x.normalized), phone, address })
}

fn check_transition(f: &Fields, from: Option<DisputeStatus>, to: DisputeStatus, i: &mut Issues) {
    let allowed = match from {
        None => to == DisputeStatus::Accepted,
        Some(from) => from == to || from.next().contains(&to),
    };
    if !allowed {
        let message = match from {
            None => format!("新登记的纠纷状态只能是「登记受理」，不能是「{}」", to.label_zh()),
            Some(from) => {
                let next: Vec<&str> = from.next().iter().map(|s| s.label_zh()).collect();
                if next.is_empty() {
                    format!("纠纷已「{}」，不能再改为「{}」", from.label_zh(), to.label_zh())
                } else {
                    format!("纠纷不能从「{}」改为「{}」，只能改为：{}", from.label_zh(), to.label_zh(), next.join("、"))
                }
            }
        };
        i.error(ErrorCode::InvalidStatusTransition, f.path("status"), message);
    }
}
