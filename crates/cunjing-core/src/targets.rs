//! The office's targets. Defaults are the source document's figures (篇4, 篇1 and the local rule
//! on volunteer patrols); each office may set its own.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Targets {
    /// 每月走访 ≥ 30 户 (篇4).
    pub households_visited_per_month: i64,
    /// 每月 ≥ 1 次重点对象走访 (篇4).
    pub key_person_visits_per_month: i64,
    /// 每周驻村 ≥ 3 天 (篇4).
    pub village_days_per_week: i64,
    /// 群防群治队伍每月自行巡逻 ≥ 8 次 (local rule).
    pub volunteer_patrols_per_month: i64,
    /// 民警带队巡逻 per month; the document sets no figure (375 a year across a county), so the
    /// default is 0 = no target shown.
    pub officer_patrols_per_month: i64,
    /// Days after a successful mediation by which the first follow-up (回访) is due.
    pub followup_due_days: i64,
    /// 村（社区）会议 each month (篇1).
    pub meetings_per_month: i64,
    /// 每周 1 件好事实事 (篇4).
    pub good_deeds_per_week: i64,
    /// 每人结对帮扶 1 户困难群众 (篇4): pairings running at once.
    pub pairings: i64,
    /// 上门办证/送证 documents a month. The document says "a configurable cadence"; the default
    /// is the county's year (7,608 documents, 74 villages) per village and month, rounded down.
    pub certificates_per_month: i64,
    /// 警情社情通报 issues a month (the county: 516 a year for 74 villages ≈ 0.6; one a month).
    pub notices_per_month: i64,
    /// 情报信息 reports a quarter (the county: 16 a year; one a quarter per office).
    pub intel_per_quarter: i64,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            households_visited_per_month: 30,
            key_person_visits_per_month: 1,
            village_days_per_week: 3,
            volunteer_patrols_per_month: 8,
            officer_patrols_per_month: 0,
            followup_due_days: 15,
            meetings_per_month: 1,
            good_deeds_per_week: 1,
            pairings: 1,
            certificates_per_month: 8,
            notices_per_month: 1,
            intel_per_quarter: 1,
        }
    }
}

impl Targets {
    pub fn validate(&self) -> CoreResult<()> {
        let checks = [
            ("households_visited_per_month", self.households_visited_per_month, 10_000, "每月走访户数"),
            ("key_person_visits_per_month", self.key_person_visits_per_month, 1_000, "每月重点对象走访次数"),
            ("village_days_per_week", self.village_days_per_week, 7, "每周驻村天数"),
            ("volunteer_patrols_per_month", self.volunteer_patrols_per_month, 1_000, "每月群防群治巡逻次数"),
            ("officer_patrols_per_month", self.officer_patrols_per_month, 1_000, "每月民警带队巡逻次数"),
            ("followup_due_days", self.followup_due_days, 365, "回访期限（天）"),
            ("meetings_per_month", self.meetings_per_month, 100, "每月村（社区）会议次数"),
            ("good_deeds_per_week", self.good_deeds_per_week, 100, "每周好事实事件数"),
            ("pairings", self.pairings, 100, "结对帮扶户数"),
            ("certificates_per_month", self.certificates_per_month, 10_000, "每月上门办证/送证件数"),
            ("notices_per_month", self.notices_per_month, 100, "每月警情社情通报期数"),
            ("intel_per_quarter", self.intel_per_quarter, 1_000, "每季度情报信息条数"),
        ];
        let errors: Vec<FieldError> = checks
            .iter()
            .filter(|(_, v, max, _)| *v < 0 || v > max)
            .map(|(field, _, max, label)| {
                FieldError::new(ErrorCode::OutOfRange, *field, format!("「{label}」应在 0 到 {max} 之间"))
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(CoreError::Invalid(errors)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_take_the_documents_defaults() {
        let t: Targets = serde_json::from_str(r#"{"households_visited_per_month": 25}"#).expect("json");
        assert_eq!(t.households_visited_per_month, 25);
        assert_eq!(t.village_days_per_week, 3);
        assert_eq!(t.volunteer_patrols_per_month, 8);
    }

    #[test]
    fn out_of_range_targets_are_refused() {
        let t = Targets { village_days_per_week: 8, ..Targets::default() };
        let Err(CoreError::Invalid(errors)) = t.validate() else { panic!("expected invalid") };
        assert_eq!(errors[0].field, "village_days_per_week");
    }
}
