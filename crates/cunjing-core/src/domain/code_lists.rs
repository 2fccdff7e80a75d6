//! Every choice list the UI offers, from the same enumerations the core validates against.

use serde::Serialize;
use ts_rs::TS;

use crate::domain::codes::{CodeLabel, Satisfaction, Sex, labels};
use crate::domain::dispute::{
    AgreementForm, DisputeSource, DisputeStatus, DisputeType, FollowupMethod, PartyRole, Performance, RiskLevel,
};
use crate::domain::household::HouseholdTag;
use crate::domain::patrol::{PatrolKind, PatrolMode};
use crate::domain::register::RegisterKind;
use crate::domain::resident::ResidentCategory;
use crate::domain::visit::{VisitMethod, VisitPurpose};

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
    }
}
