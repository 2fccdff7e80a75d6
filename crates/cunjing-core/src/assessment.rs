//! 考评 — the periodic assessment of a village office (篇4: every quarter, half-year and year) on
//! the document's five criteria: 熟悉辖区程度, 信息收集情况, 辖区治安状况, 见警率, 满意率. Each is
//! computed from the registers by a written formula (docs/assessment.md), scored 0–100 against
//! the office's targets, so the officer sees why a score is what it is.
//!
//! The figures come from [`Store::period_figures`]; this module is arithmetic on them (pure, so
//! the tests give known answers without a database).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::dashboard::PeriodFigures;
use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::store::Store;
use crate::targets::Targets;

/// An assessment period: `2026-Q4`, `2026-H2`, `2026` (a year) or `2026-11` (a month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    kind: PeriodKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PeriodKind {
    Month(i32, u32),
    Quarter(i32, u32),
    Half(i32, u32),
    Year(i32),
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let next = if m == 12 { ymd(y + 1, 1, 1) } else { ymd(y, m + 1, 1) };
    next.and_then(|d| d.pred_opt())
}

impl Period {
    pub fn parse(text: &str) -> CoreResult<Period> {
        let t = text.trim().to_ascii_uppercase();
        let bad = || {
            CoreError::Invalid(vec![FieldError::new(
                ErrorCode::InvalidDate,
                "period",
                format!("考评期格式应为 2026-Q4（季度）、2026-H2（半年）、2026（全年）或 2026-11（月）：{text}"),
            )])
        };
        let (year_text, rest) = match t.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (t.as_str(), None),
        };
        if year_text.len() != 4 {
            return Err(bad());
        }
        let y: i32 = year_text.parse().map_err(|_| bad())?;
        if !(1900..=9999).contains(&y) {
            return Err(bad());
        }
        let number = |s: &str, max: u32| s.parse::<u32>().ok().filter(|n| (1..=max).contains(n));
        let (kind, from, to) = match rest {
            None => (PeriodKind::Year(y), ymd(y, 1, 1), ymd(y, 12, 31)),
            Some(r) if r.starts_with('Q') => {
                let q = number(&r[1..], 4).ok_or_else(bad)?;
                (PeriodKind::Quarter(y, q), ymd(y, q * 3 - 2, 1), month_end(y, q * 3))
            }
            Some(r) if r.starts_with('H') => {
                let h = number(&r[1..], 2).ok_or_else(bad)?;
                (PeriodKind::Half(y, h), ymd(y, h * 6 - 5, 1), month_end(y, h * 6))
            }
            Some(r) => {
                let m = number(r, 12).filter(|_| r.len() == 2).ok_or_else(bad)?;
                (PeriodKind::Month(y, m), ymd(y, m, 1), month_end(y, m))
            }
        };
        Ok(Period { from: from.ok_or_else(bad)?, to: to.ok_or_else(bad)?, kind })
    }

    /// The quarter holding `day`.
    pub fn quarter_of(day: NaiveDate) -> Period {
        let q = (day.month() - 1) / 3 + 1;
        Period::parse(&format!("{}-Q{q}", day.year())).unwrap_or(Period {
            from: day,
            to: day,
            kind: PeriodKind::Quarter(day.year(), q),
        })
    }

    /// `2026-Q4`.
    pub fn code(&self) -> String {
        match self.kind {
            PeriodKind::Month(y, m) => format!("{y}-{m:02}"),
            PeriodKind::Quarter(y, q) => format!("{y}-Q{q}"),
            PeriodKind::Half(y, h) => format!("{y}-H{h}"),
            PeriodKind::Year(y) => format!("{y}"),
        }
    }

    /// `2026年第四季度`.
    pub fn label_zh(&self) -> String {
        const NUM: [&str; 5] = ["", "一", "二", "三", "四"];
        match self.kind {
            PeriodKind::Month(y, m) => format!("{y}年{m}月"),
            PeriodKind::Quarter(y, q) => format!("{y}年第{}季度", NUM[q as usize]),
            PeriodKind::Half(y, h) => format!("{y}年{}", if h == 1 { "上半年" } else { "下半年" }),
            PeriodKind::Year(y) => format!("{y}年度"),
        }
    }
}

/// One of the five criteria.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Criterion {
    /// `familiarity`, `information`, `security`, `visibility`, `satisfaction`.
    pub code: String,
    /// 熟悉辖区程度 …
    pub name: String,
    /// 0–100; `None` when the registers hold nothing to judge by (no survey for 满意率).
    pub score: Option<i64>,
    /// The formula in words, with this period's numbers filled in.
    pub basis: String,
    /// The figures the score is made of (label, actual, target; target 0 = none).
    pub items: Vec<CriterionItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CriterionItem {
    pub label: String,
    pub actual: i64,
    pub target: i64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Assessment {
    /// `2026-Q4`.
    pub period: String,
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The last day counted: `to`, or today while the period runs (targets are then taken pro
    /// rata of the days passed).
    pub as_of: NaiveDate,
    pub complete: bool,
    pub criteria: Vec<Criterion>,
    /// Mean of the criteria that have a score.
    pub overall: Option<i64>,
    /// 优秀 ≥ 90, 良好 ≥ 75, 合格 ≥ 60, else 不合格.
    pub grade: Option<String>,
    pub figures: PeriodFigures,
}

/// A target for `days` of a `per`-day cadence: `per_unit` × days ÷ `unit_days`, rounded to the
/// nearest whole, at least 1 when the cadence is set (a period always asks for something).
fn pro_rata(per_unit: i64, days: i64, unit_days: f64) -> i64 {
    if per_unit <= 0 || days <= 0 {
        return 0;
    }
    ((per_unit as f64 * days as f64 / unit_days).round() as i64).max(1)
}

/// `min(1, actual ÷ target)` × 100; a target of 0 (none set) counts as met.
fn ratio_score(actual: i64, target: i64) -> i64 {
    if target <= 0 { 100 } else { (actual.min(target) * 100 + target / 2) / target }
}

fn item(label: &str, actual: i64, target: i64, unit: &str) -> CriterionItem {
    CriterionItem { label: label.into(), actual, target, unit: unit.into() }
}

const MONTH_DAYS: f64 = 365.25 / 12.0;

/// The assessment of `f` (figures from `from` to `as_of`) against `targets`. Pure.
pub fn assess(period: &Period, as_of: NaiveDate, f: &PeriodFigures, targets: &Targets) -> Assessment {
    let days = (as_of - period.from).num_days() + 1;
    let t_visits = pro_rata(targets.households_visited_per_month, days, MONTH_DAYS);
    let t_key = pro_rata(targets.key_person_visits_per_month, days, MONTH_DAYS);
    let t_notices = pro_rata(targets.notices_per_month, days, MONTH_DAYS);
    let t_intel = pro_rata(targets.intel_per_quarter, days, MONTH_DAYS * 3.0);
    let t_village = pro_rata(targets.village_days_per_week, days, 7.0);
    let t_patrols = pro_rata(targets.volunteer_patrols_per_month, days, MONTH_DAYS);
    let t_meetings = pro_rata(targets.meetings_per_month, days, MONTH_DAYS);

    // 1. 熟悉辖区程度: households visited and key persons seen, against their targets.
    let s_visits = ratio_score(f.households_visited, t_visits);
    let s_key = ratio_score(f.key_person_visits, t_key);
    let familiarity = Criterion {
        code: "familiarity".into(),
        name: "熟悉辖区程度".into(),
        score: Some((s_visits * 3 + s_key + 2) / 4),
        basis: format!(
            "走访户数完成率 {s_visits} 分 × 3/4 + 重点对象走访完成率 {s_key} 分 × 1/4（完成率 = 实际 ÷ 目标，最高 100%）"
        ),
        items: vec![
            item("走访户数", f.households_visited, t_visits, "户"),
            item("重点对象走访", f.key_person_visits, t_key, "次"),
        ],
    };

    // 2. 信息收集情况: intel reported and public notices issued.
    let s_intel = ratio_score(f.intel, t_intel);
    let s_notices = ratio_score(f.notices, t_notices);
    let information = Criterion {
        code: "information".into(),
        name: "信息收集情况".into(),
        score: Some((s_intel + s_notices + 1) / 2),
        basis: format!("情报信息完成率 {s_intel} 分 × 1/2 + 警情社情通报完成率 {s_notices} 分 × 1/2"),
        items: vec![
            item("情报信息", f.intel, t_intel, "条"),
            item("警情社情通报", f.notices, t_notices, "期"),
            item("苗头化解", f.signs_defused, 0, "起"),
        ],
    };

    // 3. 辖区治安状况: share of concluded mediations that succeeded, less 20 for each sign of a
    //    group incident still not defused (五无: no group incident).
    let concluded = f.disputes_resolved + f.disputes_failed;
    let success = if concluded == 0 { 100 } else { (f.disputes_resolved * 100 + concluded / 2) / concluded };
    let security_score = (success - 20 * f.group_incident_signs_open).max(0);
    let security = Criterion {
        code: "security".into(),
        name: "辖区治安状况".into(),
        score: Some(security_score),
        basis: format!(
            "调解成功率 {success}%（调解成功 {} ÷ 办结 {concluded}；无办结按 100%）− 未化解群体性事件苗头 {} 起 × 20，最低 0",
            f.disputes_resolved, f.group_incident_signs_open
        ),
        items: vec![
            item("受理纠纷", f.disputes_accepted, 0, "起"),
            item("调解成功", f.disputes_resolved, 0, "起"),
            item("调解不成功", f.disputes_failed, 0, "起"),
            item("群体性事件苗头（未化解）", f.group_incident_signs_open, 0, "起"),
        ],
    };

    // 4. 见警率: days in the village, volunteer patrols and village meetings, equally weighted.
    let s_village = ratio_score(f.village_days, t_village);
    let s_patrols = ratio_score(f.patrols_volunteer, t_patrols);
    let s_meetings = ratio_score(f.meetings, t_meetings);
    let visibility = Criterion {
        code: "visibility".into(),
        name: "见警率".into(),
        score: Some((s_village + s_patrols + s_meetings + 1) / 3),
        basis: format!(
            "驻村天数完成率 {s_village} 分、群防群治巡逻完成率 {s_patrols} 分、村会议完成率 {s_meetings} 分的平均"
        ),
        items: vec![
            item("驻村天数", f.village_days, t_village, "天"),
            item("群防群治巡逻", f.patrols_volunteer, t_patrols, "次"),
            item("村（社区）会议", f.meetings, t_meetings, "次"),
        ],
    };

    // 5. 满意率: (满意 + 基本满意) ÷ 测评人数 over the period's surveys.
    let satisfaction_score =
        (f.survey_sample > 0).then(|| (f.survey_satisfied * 100 + f.survey_sample / 2) / f.survey_sample);
    let satisfaction = Criterion {
        code: "satisfaction".into(),
        name: "满意率".into(),
        score: satisfaction_score,
        basis: match satisfaction_score {
            Some(s) => format!("（满意 + 基本满意）{} ÷ 测评人数 {} = {s}%", f.survey_satisfied, f.survey_sample),
            None => "本期没有民意测评记录，不计分".into(),
        },
        items: vec![item("测评人数", f.survey_sample, 0, "人"), item("满意及基本满意", f.survey_satisfied, 0, "人")],
    };

    let criteria = vec![familiarity, information, security, visibility, satisfaction];
    let scores: Vec<i64> = criteria.iter().filter_map(|c| c.score).collect();
    let overall = (!scores.is_empty())
        .then(|| (scores.iter().sum::<i64>() * 2 + scores.len() as i64) / (2 * scores.len() as i64));
    let grade = overall.map(|o| {
        match o {
            90.. => "优秀",
            75..=89 => "良好",
            60..=74 => "合格",
            _ => "不合格",
        }
        .to_string()
    });
    Assessment {
        period: period.code(),
        label: period.label_zh(),
        from: period.from,
        to: period.to,
        as_of,
        complete: as_of >= period.to,
        criteria,
        overall,
        grade,
        figures: f.clone(),
    }
}

impl Store {
    /// The assessment of `period` as of today (a running period is judged on the days passed;
    /// a period not yet begun is refused).
    pub fn assessment(&self, period: &Period) -> CoreResult<Assessment> {
        let today = self.today();
        if today < period.from {
            return Err(CoreError::refused(
                ErrorCode::FutureDate,
                "period",
                format!("考评期 {} 尚未开始", period.label_zh()),
            ));
        }
        let as_of = today.min(period.to);
        let figures = self.period_figures(period.from, as_of)?;
        Ok(assess(period, as_of, &figures, &self.targets()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn periods_parse() {
        let q = Period::parse("2026-Q4").expect("q");
        assert_eq!((q.from, q.to), (d("2026-10-01"), d("2026-12-31")));
        assert_eq!(q.label_zh(), "2026年第四季度");
        let h = Period::parse("2026-h1").expect("h");
        assert_eq!((h.from, h.to), (d("2026-01-01"), d("2026-06-30")));
        let y = Period::parse("2026").expect("y");
        assert_eq!((y.from, y.to, y.code()), (d("2026-01-01"), d("2026-12-31"), "2026".to_string()));
        let m = Period::parse("2026-02").expect("m");
        assert_eq!(m.to, d("2026-02-28"));
        for bad in ["2026-Q5", "2026-Q0", "2026-H3", "26-Q1", "2026-13", "2026-1", "Q4", ""] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Period::quarter_of(d("2026-11-28")).code(), "2026-Q4");
    }

    #[test]
    fn targets_pro_rata() {
        // A quarter of 92 days: 30 a month → 91 households; 3 days a week → 39 days.
        assert_eq!(pro_rata(30, 92, MONTH_DAYS), 91);
        assert_eq!(pro_rata(3, 92, 7.0), 39);
        assert_eq!(pro_rata(1, 92, MONTH_DAYS * 3.0), 1);
        assert_eq!(pro_rata(0, 92, 7.0), 0);
        // Any cadence asks for at least one in a short running period.
        assert_eq!(pro_rata(1, 3, MONTH_DAYS), 1);
    }

    #[test]
    fn ratio_scores_are_capped_and_rounded() {
        assert_eq!(ratio_score(45, 91), 49);
        assert_eq!(ratio_score(200, 91), 100);
        assert_eq!(ratio_score(0, 0), 100);
        assert_eq!(ratio_score(2, 3), 67);
    }

    #[test]
    fn a_hand_made_quarter_scores_as_computed_by_hand() {
        let period = Period::parse("2026-Q3").expect("period"); // 92 days
        let f = PeriodFigures {
            from: period.from,
            to: period.to,
            households_visited: 91, // target 91 → 100
            key_person_visits: 1,   // target 3 → 33
            intel: 1,               // target 1 → 100
            notices: 2,             // target 3 → 67
            disputes_resolved: 3,
            disputes_failed: 1, // 75 %
            group_incident_signs_open: 1,
            village_days: 39,      // target 39 → 100
            patrols_volunteer: 12, // target 24 → 50
            meetings: 3,           // target 3 → 100
            survey_sample: 200,
            survey_satisfied: 187, // 93.5 → 94
            ..Default::default()
        };
        let a = assess(&period, period.to, &f, &Targets::default());
        let scores: Vec<Option<i64>> = a.criteria.iter().map(|c| c.score).collect();
        // familiarity (100·3 + 33 + 2) / 4 = 83; information (100 + 67 + 1) / 2 = 84;
        // security 75 − 20 = 55; visibility (100 + 50 + 100 + 1) / 3 = 83; satisfaction 94.
        assert_eq!(scores, vec![Some(83), Some(84), Some(55), Some(83), Some(94)]);
        assert_eq!(a.overall, Some(80)); // 399 / 5 = 79.8
        assert_eq!(a.grade.as_deref(), Some("良好"));
        assert!(a.complete);
        assert_eq!(a.criteria[0].items[0].target, 91);
    }

    #[test]
    fn without_surveys_satisfaction_is_not_scored_and_not_averaged() {
        let period = Period::parse("2026-11").expect("period");
        let f = PeriodFigures { from: period.from, to: period.to, ..Default::default() };
        let a = assess(&period, period.to, &f, &Targets::default());
        assert_eq!(a.criteria[4].score, None);
        // familiarity 0, information 0, security 100 (nothing concluded), visibility 0.
        assert_eq!(a.overall, Some(25));
        assert_eq!(a.grade.as_deref(), Some("不合格"));
    }

    #[test]
    fn a_running_period_is_judged_on_the_days_passed() {
        let period = Period::parse("2026-Q4").expect("period");
        let as_of = d("2026-10-31"); // 31 days
        let f = PeriodFigures { households_visited: 30, ..Default::default() };
        let a = assess(&period, as_of, &f, &Targets::default());
        assert!(!a.complete);
        assert_eq!(a.criteria[0].items[0].target, 31);
    }
}
