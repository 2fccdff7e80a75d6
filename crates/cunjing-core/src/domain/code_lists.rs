//! Every choice list the UI offers, from the same enumerations the core validates against.

use serde::Serialize;
use ts_rs::TS;

use crate::domain::codes::{CodeLabel, Satisfaction, Sex, labels};
use crate::domain::dispute::{
    AgreementForm, DisputeSource, DisputeStatus, DisputeType, FollowupMethod, PartyRole, Performance, RiskLevel,
};
use crate::domain::household::HouseholdTag;
use crate::domain::intel::IntelCategory;
use crate::domain::key_person::{KeyCategory, KeyLevel};
use crate::domain::notice::NoticeChannel;
use crate::domain::patrol::{PatrolKind, PatrolMode};
use crate::domain::register::RegisterKind;
use crate::domain::resident::ResidentCategory;
use crate::domain::service::{CertificateAction, CertificateKind, ServiceKind, ServiceReason};
use crate::domain::survey::SurveyMethod;
use crate::domain::team::{MemberStatus, TeamKind, TeamRole};
use crate::domain::visit::{VisitMethod, VisitPurpose};
use crate::domain::work_log::WorkCategory;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CodeLists {
    pub register: Vec<CodeLabel>,
    pub sex: Vec<CodeLabel>,
    pub satisfaction: Vec<CodeLabel>,
    pub household_tag: Vec<CodeLabel>,
    pub resident_category: Vec<CodeLabel>,
    pub dispute_status: Vec<CodeLabel>,
    pub dispute_source: Vec<CodeLabel>,
    pub dispute_type: Vec<CodeLabel>,
    pub risk_level: Vec<CodeLabel>,
    pub party_role: Vec<CodeLabel>,
    pub agreement_form: Vec<CodeLabel>,
    pub performance: Vec<CodeLabel>,
    pub followup_method: Vec<CodeLabel>,
    pub patrol_kind: Vec<CodeLabel>,
    pub patrol_mode: Vec<CodeLabel>,
    pub visit_method: Vec<CodeLabel>,
    pub visit_purpose: Vec<CodeLabel>,
    pub team_kind: Vec<CodeLabel>,
    pub team_role: Vec<CodeLabel>,
    pub member_status: Vec<CodeLabel>,
    pub work_category: Vec<CodeLabel>,
    pub service_kind: Vec<CodeLabel>,
    pub certificate_kind: Vec<CodeLabel>,
    pub certificate_action: Vec<CodeLabel>,
    pub service_reason: Vec<CodeLabel>,
    pub notice_channel: Vec<CodeLabel>,
    pub intel_category: Vec<CodeLabel>,
    pub key_level: Vec<CodeLabel>,
    pub key_category: Vec<CodeLabel>,
    pub survey_method: Vec<CodeLabel>,
}

pub fn code_lists() -> CodeLists {
    CodeLists {
        register: labels::<RegisterKind>(),
        sex: labels::<Sex>(),
        satisfaction: labels::<Satisfaction>(),
        household_tag: labels::<HouseholdTag>(),
        resident_category: labels::<ResidentCategory>(),
        dispute_status: labels::<DisputeStatus>(),
        dispute_source: labels::<DisputeSource>(),
        dispute_type: labels::<DisputeType>(),
        risk_level: labels::<RiskLevel>(),
        party_role: labels::<PartyRole>(),
        agreement_form: labels::<AgreementForm>(),
        performance: labels::<Performance>(),
        followup_method: labels::<FollowupMethod>(),
        patrol_kind: labels::<PatrolKind>(),
        patrol_mode: labels::<PatrolMode>(),
        visit_method: labels::<VisitMethod>(),
        visit_purpose: labels::<VisitPurpose>(),
        team_kind: labels::<TeamKind>(),
        team_role: labels::<TeamRole>(),
        member_status: labels::<MemberStatus>(),
        work_category: labels::<WorkCategory>(),
        service_kind: labels::<ServiceKind>(),
        certificate_kind: labels::<CertificateKind>(),
        certificate_action: labels::<CertificateAction>(),
        service_reason: labels::<ServiceReason>(),
        notice_channel: labels::<NoticeChannel>(),
        intel_category: labels::<IntelCategory>(),
        key_level: labels::<KeyLevel>(),
        key_category: labels::<KeyCategory>(),
        survey_method: labels::<SurveyMethod>(),
    }
}
