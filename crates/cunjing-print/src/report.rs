//! The monthly or quarterly report (考评): the office's targets against what was done in the
//! period, and the disputes taken in (type, place down to the village, state; no parties).
//! Public: its data goes through [`mask_public`].

use cunjing_core::dashboard::PeriodFigures;
use cunjing_core::format::date_zh;
use cunjing_core::present::display_fields;
use cunjing_core::store::{ListQuery, ListSort};
use cunjing_core::{CoreResult, RegisterKind, Store};
use serde_json::{Value, json};

use crate::mask::mask_public;
use crate::period::Period;
use crate::{Document, Job};

/// One line of the table: what, the target (0 = none set), the actual figure, a note.
fn item(name: &str, unit: &str, target: i64, actual: i64, note: &str) -> Value {
    let verdict = if target <= 0 {
        "—"
    } else if actual >= target {
        "达标"
    } else {
        "未达标"
    };
    json!({
        "label": name,
        "unit": unit,
        "target": if target > 0 { target.to_string() } else { "—".to_string() },
        "actual": actual,
        "rate": if target > 0 { format!("{}%", actual * 100 / target) } else { "—".to_string() },
        "verdict": verdict,
        "note": note,
    })
}

fn sum(all: &[PeriodFigures], f: impl Fn(&PeriodFigures) -> i64) -> i64 {
    all.iter().map(f).sum()
}

pub fn report(store: &Store, period: Period) -> CoreResult<Document> {
    report_job(store, period)?.render(store, 0)
}

pub(crate) fn report_job(store: &Store, period: Period) -> CoreResult<Job> {
    let office = store.office()?;
    let targets = store.targets()?;
    let today = store.today();
    let (from, to) = (period.first_day(), period.last_day());
    // Figures month by month (households visited are distinct within each month, as the
    // monthly target counts them), added up.
    let months = period.months();
    let monthly =
        months.iter().map(|m| store.period_figures(m.first_day(), m.last_day())).collect::<CoreResult<Vec<_>>>()?;
    let m = months.len() as i64;
    let weeks = ((to - from).num_days() + 1) / 7;
    let officer_patrols = sum(&monthly, |f| f.patrols - f.patrols_volunteer);
    let items = vec![
        item(
            "入户走访",
            "户",
            targets.households_visited_per_month * m,
            sum(&monthly, |f| f.households_visited),
            "每月走访户数之和",
        ),
        item("重点对象走访", "次", targets.key_person_visits_per_month * m, sum(&monthly, |f| f.key_person_visits), ""),
        item(
            "驻村工作",
            "天",
            targets.village_days_per_week * weeks,
            sum(&monthly, |f| f.village_days),
            &format!("按 {weeks} 周计"),
        ),
        item("群防群治巡逻", "次", targets.volunteer_patrols_per_month * m, sum(&monthly, |f| f.patrols_volunteer), ""),
        item("民警带队巡逻", "次", targets.officer_patrols_per_month * m, officer_patrols, ""),
        item("受理矛盾纠纷", "起", 0, sum(&monthly, |f| f.disputes_accepted), ""),
        item("调解成功", "起", 0, sum(&monthly, |f| f.disputes_resolved), ""),
        item("谈心谈话", "人", 0, sum(&monthly, |f| f.people_talked), ""),
        item("村（社区）会议", "次", targets.meetings_per_month * m, sum(&monthly, |f| f.meetings), ""),
        item(
            "好事实事",
            "件",
            targets.good_deeds_per_week * weeks,
            sum(&monthly, |f| f.good_deeds),
            &format!("按 {weeks} 周计"),
        ),
        item("上门办证/送证", "件", targets.certificates_per_month * m, sum(&monthly, |f| f.certificates), ""),
        item("警情社情通报", "期", targets.notices_per_month * m, sum(&monthly, |f| f.notices), ""),
        item("情报信息", "条", 0, sum(&monthly, |f| f.intel), ""),
        item("服务群众", "件", 0, sum(&monthly, |f| f.services), "好事实事、帮扶走访、上门办证/送证"),
    ];
    let query =
        ListQuery { from: Some(from), to: Some(to), sort: ListSort::DateAsc, limit: 1000, ..ListQuery::default() };
    let page = store.list(RegisterKind::Disputes, &query)?;
    let disputes: Vec<Value> = page
        .items
        .iter()
        .map(|r| {
            let shown = display_fields(RegisterKind::Disputes, r);
            let get = |k: &str| shown.iter().find(|f| f.key == k).map(|f| f.value.clone()).unwrap_or_default();
            json!({
                "record_no": get("record_no"),
                "accepted_on": get("accepted_on"),
                "dispute_type": get("dispute_type"),
                "location": get("location"),
                "status": get("status"),
            })
        })
        .collect();
    let followups = store.dashboard(*months.last().unwrap_or(&months[0]))?.followups_due;
    let as_of = if today < to { format!("（截至{}）", date_zh(today)) } else { String::new() };
    let data = json!({
        "heading": format!("{} {}工作考评表", office.name, period.label_zh()),
        "office": {"name": office.name, "station": office.station_name, "officer": office.officer},
        "period": format!("{}至{}{as_of}", date_zh(from), date_zh(to)),
        "items": items,
        "disputes": disputes,
        "disputes_more": (page.total - disputes.len() as i64).max(0),
        "followups_due": followups.len(),
        "followups_overdue": followups.iter().filter(|f| f.overdue).count(),
        "printed": date_zh(today),
    });
    let title = format!("{} {}工作考评表", office.name, period.label_zh());
    let file_name = format!("{}-考评-{period}.pdf", office.code);
    Ok(Job::public(include_str!("../../../assets/print/report.typ"), mask_public(data), None, title, file_name))
}
