//! 首页 figures for one month against the office's targets (篇4: 30 households visited a month,
//! one key-person visit, 3 days a week in the village; local rule: 8 volunteer patrols a month),
//! plus what needs doing: open disputes and follow-up visits due.

use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::store::Store;
use crate::targets::Targets;

/// A calendar month, `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn parse(text: &str) -> CoreResult<Month> {
        let bad = || {
            CoreError::Invalid(vec![FieldError::new(
                ErrorCode::InvalidDate,
                "month",
                format!("月份格式应为 2026-11：{text}"),
            )])
        };
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        let (year, month) = (y.parse::<i32>().map_err(|_| bad())?, m.parse::<u32>().map_err(|_| bad())?);
        if y.len() != 4 || !(1..=12).contains(&month) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.month + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A resolved dispute still waiting for its first follow-up visit (回访).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FollowupDue {
    pub dispute_id: Uuid,
    pub record_no: String,
    pub title: String,
    pub resolved_on: NaiveDate,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Dashboard {
    /// `2026-11`.
    pub month: String,
    pub today: NaiveDate,
    pub targets: Targets,
    /// Distinct households visited this month (on the roster or typed in).
    pub households_visited: i64,
    pub visits: i64,
    /// 谈心人数 this month.
    pub people_talked: i64,
    /// Visits this month to households tagged 重点对象户.
    pub key_person_visits: i64,
    /// The week counted for days in the village: the one holding today, or the month's last
    /// week for a past month.
    pub week_start: NaiveDate,
    pub week_end: NaiveDate,
    /// Days of that week with work in the village: an in-home or on-site visit, or a patrol the
    /// officer led or joined.
    pub village_days_this_week: i64,
    pub patrols: i64,
    /// Led or joined by the officer.
    pub patrols_officer: i64,
    /// By the volunteer teams on their own.
    pub patrols_volunteer: i64,
    pub disputes_accepted: i64,
    /// Disputes that reached 调解成功 this month.
    pub disputes_resolved: i64,
    /// Disputes still 登记受理 or 调解中, whatever the month.
    pub disputes_open: i64,
    pub followups_due: Vec<FollowupDue>,
    /// Village meetings this month.
    pub meetings: i64,
    /// 好事实事 in the week counted above.
    pub good_deeds_this_week: i64,
    /// 结对帮扶 pairings running today.
    pub pairings_active: i64,
    /// Documents applied for or delivered at home this month.
    pub certificates: i64,
    pub notices: i64,
    /// The quarter holding the month (intel is counted per quarter).
    pub quarter_start: NaiveDate,
    pub intel_this_quarter: i64,
    /// 重点对象/关注对象 under watch on the month's reference day, and how many of them have no
    /// check visit this month (names stay in the audited register).
    pub key_persons_active: i64,
    pub key_persons_unchecked: i64,
    /// Work-log follow-ups not done, due within a week or overdue.
    pub work_followups_due: Vec<WorkFollowupDue>,
}

/// A work-log entry whose follow-up (跟进) is due soon or overdue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WorkFollowupDue {
    pub entry_id: Uuid,
    pub title: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

fn count(conn: &Connection, sql: &str, from: NaiveDate, to: NaiveDate) -> rusqlite::Result<i64> {
    conn.query_row(sql, params![from.to_string(), to.to_string()], |r| r.get(0))
}

/// Flow figures over any date range (a month for the dashboard and the wall display, a month or
/// a quarter for the report, a quarter to a year for the assessment). Voided records never count;
/// nested dated entries (a key person's checks, a pairing's visits) count by their own date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PeriodFigures {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Distinct households visited (on the roster or typed in).
    pub households_visited: i64,
    pub visits: i64,
    /// 谈心人数.
    pub people_talked: i64,
    /// Visits to households tagged 重点对象户 plus check visits in the 重点对象 register.
    pub key_person_visits: i64,
    /// Days with work in the village: an in-home or on-site visit, a patrol the officer led or
    /// joined, or a work-log entry marked 驻村.
    pub village_days: i64,
    pub patrols: i64,
    /// By the volunteer teams on their own.
    pub patrols_volunteer: i64,
    pub disputes_accepted: i64,
    /// Disputes that reached 调解成功 in the range.
    pub disputes_resolved: i64,
    /// Disputes that reached 调解不成功 in the range.
    pub disputes_failed: i64,
    pub meetings: i64,
    /// 好事实事.
    pub good_deeds: i64,
    /// Visits to paired households (结对帮扶).
    pub pairing_visits: i64,
    /// Documents applied for or delivered at home (上门办证/送证), counted per document.
    pub certificates: i64,
    /// Money given (good deeds and pairing visits), in 分.
    pub money_fen: i64,
    /// 服务群众: good deeds + pairing visits + home document services (entries, not documents).
    pub services: i64,
    pub notices: i64,
    pub intel: i64,
    /// 群体性事件苗头 reported in the range, and how many of them are still not defused.
    pub group_incident_signs: i64,
    pub group_incident_signs_open: i64,
    /// Signs (群体性/矛盾纠纷苗头) reported in the range and defused (苗头化解).
    pub signs_defused: i64,
    /// Survey answers: people asked, and of them 满意 + 基本满意.
    pub survey_sample: i64,
    pub survey_satisfied: i64,
}

// The day a dispute reached a status: the date of the last mediation step in the record as it
// was when it first reached it (the day mediation concluded, as the officer entered it), or the
// day of that audited write when the record has no steps. Entries made later (a ledger caught
// up at the end of the month) thus count in the month the mediation happened.
/// The day a dispute (`r`) first reached `status` (migration 0009 keeps these as audit entries
/// are written): the latest step date in the record as it was then, else the day of that write.
fn reached_on_sql(status: &str) -> String {
    format!("SELECT m.reached_on FROM dispute_milestones m WHERE m.record_id = r.id AND m.status = '{status}'")
}

fn village_days(conn: &Connection, from: NaiveDate, to: NaiveDate) -> rusqlite::Result<i64> {
    count(
        conn,
        // One range of the (register, voided, record_date) index per register: with the
        // registers OR-ed in one WHERE, SQLite scanned every record (issue 6).
        "SELECT count(DISTINCT d) FROM (
             SELECT record_date AS d FROM records WHERE register = 'visits' AND voided = 0
                AND record_date BETWEEN ?1 AND ?2 AND json_extract(data, '$.method') IN ('in_home', 'on_site')
             UNION ALL
             SELECT record_date FROM records WHERE register = 'patrols' AND voided = 0
                AND record_date BETWEEN ?1 AND ?2 AND json_extract(data, '$.kind') IN ('officer_led', 'joint')
             UNION ALL
             SELECT record_date FROM records WHERE register = 'work_log' AND voided = 0
                AND record_date BETWEEN ?1 AND ?2 AND json_extract(data, '$.in_village') = 1)",
        from,
        to,
    )
}

impl Store {
    /// The figures of `from..=to`.
    pub fn period_figures(&self, from: NaiveDate, to: NaiveDate) -> CoreResult<PeriodFigures> {
        let conn = self.reader();
        const VISITS: &str = "FROM records v WHERE v.register = 'visits' AND v.voided = 0
                              AND v.record_date BETWEEN ?1 AND ?2";
        let households_visited = count(
            &conn,
            &format!(
                "SELECT count(DISTINCT coalesce(v.household_id,
                        json_extract(v.data, '$.head_name') || '|' || json_extract(v.data, '$.address'))) {VISITS}"
            ),
            from,
            to,
        )?;
        let visits = count(&conn, &format!("SELECT count(*) {VISITS}"), from, to)?;
        let people_talked = count(
            &conn,
            &format!("SELECT coalesce(sum(json_extract(v.data, '$.people_talked')), 0) {VISITS}"),
            from,
            to,
        )?;
        let key_person_visits = count(
            &conn,
            &format!(
                "SELECT count(*) {VISITS} AND EXISTS (
                    SELECT 1 FROM records h, json_each(h.data, '$.tags') t
                    WHERE h.id = v.household_id AND t.value = 'key_person')"
            ),
            from,
            to,
        )?;
        const PATROLS: &str =
            "FROM records WHERE register = 'patrols' AND voided = 0 AND record_date BETWEEN ?1 AND ?2";
        let patrols = count(&conn, &format!("SELECT count(*) {PATROLS}"), from, to)?;
        let patrols_volunteer = count(
            &conn,
            &format!("SELECT count(*) {PATROLS} AND json_extract(data, '$.kind') = 'volunteer'"),
            from,
            to,
        )?;
        let disputes_accepted = count(
            &conn,
            "SELECT count(*) FROM records WHERE register = 'disputes' AND voided = 0 AND record_date BETWEEN ?1 AND ?2",
            from,
            to,
        )?;
        let reached = |status: &str| {
            count(
                &conn,
                &format!(
                    "SELECT count(*) FROM dispute_milestones m JOIN records r ON r.id = m.record_id
                     WHERE m.status = '{status}' AND m.reached_on BETWEEN ?1 AND ?2
                     AND r.register = 'disputes' AND r.voided = 0"
                ),
                from,
                to,
            )
        };
        let disputes_resolved = reached("resolved")?;
        let disputes_failed = reached("failed")?;
        let of = |register: &str, extra: &str, what: &str| {
            count(
                &conn,
                &format!(
                    "SELECT coalesce({what}, 0) FROM records WHERE register = '{register}' AND voided = 0
                     AND record_date BETWEEN ?1 AND ?2 {extra}"
                ),
                from,
                to,
            )
        };
        // Entries nested in a record with their own date (checks, pairing visits).
        let nested = |register: &str, list: &str, extra: &str, what: &str| {
            count(
                &conn,
                &format!(
                    "SELECT coalesce({what}, 0) FROM records r, json_each(r.data, '$.{list}') e
                     WHERE r.register = '{register}' AND r.voided = 0
                     AND json_extract(e.value, '$.date') BETWEEN ?1 AND ?2 {extra}"
                ),
                from,
                to,
            )
        };
        let key_person_checks = nested("key_persons", "checks", "", "count(*)")?;
        let good_deeds = of("services", "AND json_extract(data, '$.kind') = 'good_deed'", "count(*)")?;
        let certificate_entries = of("services", "AND json_extract(data, '$.kind') = 'certificate'", "count(*)")?;
        let certificates = of(
            "services",
            "AND json_extract(data, '$.kind') = 'certificate'",
            "sum(json_extract(data, '$.certificate_count'))",
        )?;
        let pairing_visits = nested("services", "visits", "", "count(*)")?;
        let money_fen = of("services", "", "sum(json_extract(data, '$.money_fen'))")?
            + nested("services", "visits", "", "sum(json_extract(e.value, '$.money_fen'))")?;
        let group_sign = "AND json_extract(data, '$.category') = 'group_incident_sign'";
        Ok(PeriodFigures {
            from,
            to,
            households_visited,
            visits,
            people_talked,
            key_person_visits: key_person_visits + key_person_checks,
            village_days: village_days(&conn, from, to)?,
            patrols,
            patrols_volunteer,
            disputes_accepted,
            disputes_resolved,
            disputes_failed,
            meetings: of("meetings", "", "count(*)")?,
            good_deeds,
            pairing_visits,
            certificates,
            money_fen,
            services: good_deeds + certificate_entries + pairing_visits,
            notices: of("notices", "", "count(*)")?,
            intel: of("intel", "", "count(*)")?,
            group_incident_signs: of("intel", group_sign, "count(*)")?,
            group_incident_signs_open: of(
                "intel",
                &format!("{group_sign} AND json_extract(data, '$.defused') = 0"),
                "count(*)",
            )?,
            signs_defused: of("intel", "AND json_extract(data, '$.defused') = 1", "count(*)")?,
            survey_sample: of("surveys", "", "sum(json_extract(data, '$.sample_size'))")?,
            survey_satisfied: of(
                "surveys",
                "",
                "sum(json_extract(data, '$.satisfied') + json_extract(data, '$.basically'))",
            )?,
        })
    }

    /// The dashboard for `month` (figures as of today).
    pub fn dashboard(&self, month: Month) -> CoreResult<Dashboard> {
        let targets = self.targets()?;
        let today = self.today();
        let (from, to) = (month.first_day(), month.last_day());
        let reference = today.clamp(from, to);
        let week_start = reference - Duration::days(i64::from(reference.weekday().num_days_from_monday()));
        let week_end = week_start + Duration::days(6);
        let f = self.period_figures(from, to)?;
        let conn = self.reader();
        let village_days_this_week = village_days(&conn, week_start, week_end)?;
        let disputes_open: i64 = conn.query_row(
            "SELECT count(*) FROM records INDEXED BY records_dispute_status WHERE register = 'disputes' AND voided = 0
             AND json_extract(data, '$.status') IN ('accepted', 'mediating')",
            [],
            |r| r.get(0),
        )?;
        let resolved_on = reached_on_sql("resolved");
        let mut stmt = conn.prepare(&format!(
            "SELECT r.id, json_extract(r.data, '$.record_no'), r.title, ({resolved_on})
             FROM records r INDEXED BY records_dispute_status WHERE r.register = 'disputes' AND r.voided = 0
             AND json_extract(r.data, '$.status') = 'resolved'
             AND json_array_length(r.data, '$.followups') = 0
             ORDER BY 4, 2"
        ))?;
        let followups_due = stmt
            .query_map([], |r| {
                let id: String = r.get(0)?;
                let resolved: Option<String> = r.get(3)?;
                Ok((id, r.get::<_, String>(1)?, r.get::<_, String>(2)?, resolved))
            })?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter_map(|(id, record_no, title, resolved)| {
                let resolved_on = NaiveDate::parse_from_str(&resolved?, "%Y-%m-%d").ok()?;
                let due_on = resolved_on + Duration::days(targets.followup_due_days);
                Some(FollowupDue {
                    dispute_id: Uuid::parse_str(&id).ok()?,
                    record_no,
                    title,
                    resolved_on,
                    due_on,
                    overdue: today > due_on,
                })
            })
            .collect();
        let quarter_start = NaiveDate::from_ymd_opt(month.year, (month.month - 1) / 3 * 3 + 1, 1).unwrap_or(from);
        let intel_this_quarter = count(
            &conn,
            "SELECT count(*) FROM records WHERE register = 'intel' AND voided = 0 AND record_date BETWEEN ?1 AND ?2",
            quarter_start,
            to,
        )?;
        let good_deeds_this_week = count(
            &conn,
            "SELECT count(*) FROM records WHERE register = 'services' AND voided = 0
             AND json_extract(data, '$.kind') = 'good_deed' AND record_date BETWEEN ?1 AND ?2",
            week_start,
            week_end,
        )?;
        // Running on the reference day: begun by then and not ended before it.
        let pairings_active = count(
            &conn,
            "SELECT count(*) FROM records INDEXED BY records_service_kind WHERE register = 'services' AND voided = 0
             AND json_extract(data, '$.kind') = 'pairing' AND record_date <= ?1
             AND coalesce(json_extract(data, '$.ended_on'), '9999-12-31') >= ?2",
            reference,
            reference,
        )?;
        const ACTIVE_KEY: &str = "FROM records k WHERE k.register = 'key_persons' AND k.voided = 0
             AND k.record_date <= ?2 AND coalesce(json_extract(k.data, '$.until'), '9999-12-31') >= ?1";
        let key_persons_active = count(&conn, &format!("SELECT count(*) {ACTIVE_KEY}"), from, to)?;
        let key_persons_unchecked = count(
            &conn,
            &format!(
                "SELECT count(*) {ACTIVE_KEY} AND NOT EXISTS (
                    SELECT 1 FROM json_each(k.data, '$.checks') c
                    WHERE json_extract(c.value, '$.date') BETWEEN ?1 AND ?2)"
            ),
            from,
            to,
        )?;
        let mut stmt = conn.prepare(
            "SELECT id, title, json_extract(data, '$.follow_up_due') FROM records INDEXED BY records_work_followups
             WHERE register = 'work_log' AND voided = 0
             AND json_extract(data, '$.follow_up_due') IS NOT NULL
             AND json_extract(data, '$.follow_up_done') = 0
             AND json_extract(data, '$.follow_up_due') <= ?1
             ORDER BY 3, 2",
        )?;
        let soon = (today + Duration::days(7)).to_string();
        let work_followups_due = stmt
            .query_map([soon], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter_map(|(id, title, due)| {
                let due_on = NaiveDate::parse_from_str(&due, "%Y-%m-%d").ok()?;
                Some(WorkFollowupDue { entry_id: Uuid::parse_str(&id).ok()?, title, due_on, overdue: today > due_on })
            })
            .collect();
        Ok(Dashboard {
            month: month.to_string(),
            today,
            targets,
            households_visited: f.households_visited,
            visits: f.visits,
            people_talked: f.people_talked,
            key_person_visits: f.key_person_visits,
            week_start,
            week_end,
            village_days_this_week,
            patrols: f.patrols,
            patrols_officer: f.patrols - f.patrols_volunteer,
            patrols_volunteer: f.patrols_volunteer,
            disputes_accepted: f.disputes_accepted,
            disputes_resolved: f.disputes_resolved,
            disputes_open,
            followups_due,
            meetings: f.meetings,
            good_deeds_this_week,
            pairings_active,
            certificates: f.certificates,
            notices: f.notices,
            quarter_start,
            intel_this_quarter,
            key_persons_active,
            key_persons_unchecked,
            work_followups_due,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_bound() {
        let m = Month::parse("2026-02").expect("month");
        assert_eq!(m.first_day().to_string(), "2026-02-01");
        assert_eq!(m.last_day().to_string(), "2026-02-28");
        assert_eq!(Month::parse("2024-12").expect("month").last_day().to_string(), "2024-12-31");
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("26-01").is_err());
        assert!(Month::parse("2026").is_err());
    }
}
