//! What the CLI prints: JSON for machines (`--json`), Chinese text for people.

use cunjing_core::assessment::Assessment;
use cunjing_core::dashboard::Dashboard;
use cunjing_core::domain::code_lists::CodeLists;
use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::format::date_zh;
use cunjing_core::present::{display_fields, field_label, record_title};
use cunjing_core::search::SearchHit;
use cunjing_core::store::Office;
use cunjing_core::store::{AuditEntry, ListQuery, Page};
use cunjing_core::targets::Targets;
use cunjing_core::{FieldError, RegisterKind};
use serde::Serialize;
use serde_json::Value;

/// One line per problem: `code field message` (field `-` when none).
pub fn print_errors(errors: &[FieldError]) {
    for e in errors {
        eprintln!("{e}");
    }
}

pub fn print_warnings(warnings: &[FieldError]) {
    for w in warnings {
        eprintln!("提示 warning {w}");
    }
}

/// What `demo` wrote, on stderr (stdout carries only the database path, like `init`).
pub fn print_demo_summary(s: &cunjing_core::demo::DemoSummary, took: std::time::Duration) {
    eprintln!(
        "演示数据已生成（{} 至 {}，{} 个行政村，{} 名民警/辅警）：",
        date_zh(s.from),
        date_zh(s.to),
        s.villages,
        s.officers.len()
    );
    for (kind, n) in s.counts() {
        eprintln!("  {:<10} {:>7}  {}", kind.code(), n, kind.label_zh());
    }
    let states: Vec<String> = s.disputes_by_status.iter().map(|(state, n)| format!("{state} {n}")).collect();
    eprintln!("  纠纷状态：{}；流程更新 {} 次", states.join("，"), s.dispute_updates);
    if s.warnings > 0 {
        eprintln!("  提示 warning：保存时共有 {} 条提示", s.warnings);
    }
    eprintln!("用时 {:.1} 秒", took.as_secs_f64());
}

pub fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("错误：无法输出 JSON：{e}"),
    }
}

pub fn print_record(kind: RegisterKind, record: &Value) {
    println!("【{}】", kind.label_zh());
    for line in display_fields(kind, record) {
        let mut lines = line.value.lines();
        println!("{}：{}", line.label, lines.next().unwrap_or_default());
        for more in lines {
            println!("    {more}");
        }
    }
}

pub fn print_list(kind: RegisterKind, page: &Page, query: &ListQuery) {
    println!(
        "【{}】共 {} 条，显示第 {}–{} 条",
        kind.label_zh(),
        page.total,
        query.offset + 1,
        query.offset + page.items.len() as i64
    );
    for item in &page.items {
        let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
        let title = record_title(kind, item);
        let voided = if item.get("voided") == Some(&Value::Bool(true)) { "  [已作废]" } else { "" };
        println!("{id}  {title}{voided}");
    }
}

pub fn print_history(kind: RegisterKind, entries: &[AuditEntry]) {
    for e in entries {
        let fields: Vec<String> = e.changed_fields.iter().map(|f| field_label(kind, f)).collect();
        let reason = e.reason.as_deref().map(|r| format!("  原因：{r}")).unwrap_or_default();
        let at = chrono::DateTime::parse_from_rfc3339(&e.at)
            .map(|t| format!("{} {}", date_zh(t.date_naive()), t.format("%H:%M")))
            .unwrap_or_else(|_| e.at.clone());
        println!("第 {} 版  {at}  {}  {}  {}{reason}", e.version, e.actor, e.action.label_zh(), fields.join("、"));
    }
}

pub fn print_hits(hits: &[SearchHit]) {
    if hits.is_empty() {
        println!("没有找到");
        return;
    }
    for h in hits {
        let voided = if h.voided { "  [已作废]" } else { "" };
        println!(
            "{}  {}  （{}：{}）  {}{voided}",
            h.register.label_zh(),
            h.title,
            h.matched.label_zh(),
            h.matched_text,
            h.id
        );
    }
}

pub fn print_office(o: &Office, db: &std::path::Path) {
    println!("警务室：{}\n代码：{}\n责任民警：{}", o.name, o.code, o.officer);
    for (label, value) in [
        ("警号", &o.police_number),
        ("民警电话", &o.officer_phone),
        ("所属派出所", &o.station_name),
        ("派出所 24 小时电话", &o.station_phone),
    ] {
        if !value.is_empty() {
            println!("{label}：{value}");
        }
    }
    println!("数据库：{}", db.display());
}

fn progress(actual: i64, target: i64) -> String {
    if target <= 0 {
        return format!("{actual}");
    }
    let mark = if actual >= target { "✓ 已完成" } else { "未完成" };
    format!("{actual} / {target}  {mark}")
}

pub fn print_dashboard(d: &Dashboard) {
    let t = &d.targets;
    println!("【{} 工作情况】截至 {}", d.month, date_zh(d.today));
    println!(
        "走访户数：{}（走访 {} 次，谈心 {} 人）",
        progress(d.households_visited, t.households_visited_per_month),
        d.visits,
        d.people_talked
    );
    println!("重点对象走访：{}", progress(d.key_person_visits, t.key_person_visits_per_month));
    println!(
        "本周驻村天数（{}—{}）：{}",
        date_zh(d.week_start),
        date_zh(d.week_end),
        progress(d.village_days_this_week, t.village_days_per_week)
    );
    println!(
        "巡逻：共 {} 次，民警带队/参加 {}，群防群治自行巡逻 {}",
        d.patrols,
        progress(d.patrols_officer, t.officer_patrols_per_month),
        progress(d.patrols_volunteer, t.volunteer_patrols_per_month)
    );
    println!(
        "纠纷：本月受理 {}，本月调解成功 {}，未结（受理/调解中）{}",
        d.disputes_accepted, d.disputes_resolved, d.disputes_open
    );
    if d.followups_due.is_empty() {
        println!("待回访：无");
    } else {
        println!("待回访：");
        for f in &d.followups_due {
            let late = if f.overdue { "  已逾期" } else { "" };
            println!("  {}  应于 {} 前回访{late}", f.title, date_zh(f.due_on));
        }
    }
    println!("村（社区）会议：{}", progress(d.meetings, t.meetings_per_month));
    println!("本周好事实事：{}", progress(d.good_deeds_this_week, t.good_deeds_per_week));
    println!("结对帮扶（进行中）：{}", progress(d.pairings_active, t.pairings));
    println!("上门办证/送证：{} 件", progress(d.certificates, t.certificates_per_month));
    println!("警情社情通报：{} 期", progress(d.notices, t.notices_per_month));
    println!(
        "本季度情报信息（自 {}）：{} 条",
        date_zh(d.quarter_start),
        progress(d.intel_this_quarter, t.intel_per_quarter)
    );
    println!("重点对象/关注对象：在管 {} 人，本月尚未走访 {} 人", d.key_persons_active, d.key_persons_unchecked);
    if !d.work_followups_due.is_empty() {
        println!("工作日志待跟进：");
        for w in &d.work_followups_due {
            let late = if w.overdue { "  已逾期" } else { "" };
            println!("  {}  应于 {} 前跟进{late}", w.title, date_zh(w.due_on));
        }
    }
}

pub fn print_assessment(a: &Assessment) {
    let state = if a.complete {
        String::new()
    } else {
        format!("（进行中，统计至 {}，目标按已过天数折算）", date_zh(a.as_of))
    };
    println!("【{} 考评】{}—{}{state}", a.label, date_zh(a.from), date_zh(a.to));
    for c in &a.criteria {
        let score = c.score.map(|s| format!("{s} 分")).unwrap_or_else(|| "不计分".into());
        println!("{}：{score}", c.name);
        for i in &c.items {
            if i.target > 0 {
                println!("  {}：{} / {} {}", i.label, i.actual, i.target, i.unit);
            } else {
                println!("  {}：{} {}", i.label, i.actual, i.unit);
            }
        }
        println!("  计算：{}", c.basis);
    }
    match (a.overall, &a.grade) {
        (Some(o), Some(g)) => println!("综合：{o} 分（{g}）"),
        _ => println!("综合：不计分"),
    }
}

pub fn print_targets(t: &Targets) {
    println!("每月走访户数：{}", t.households_visited_per_month);
    println!("每月重点对象走访次数：{}", t.key_person_visits_per_month);
    println!("每周驻村天数：{}", t.village_days_per_week);
    println!("每月群防群治自行巡逻次数：{}", t.volunteer_patrols_per_month);
    println!("每月民警带队巡逻次数：{}（0 表示不设目标）", t.officer_patrols_per_month);
    println!("调解成功后回访期限：{} 天", t.followup_due_days);
    println!("每月村（社区）会议次数：{}", t.meetings_per_month);
    println!("每周好事实事件数：{}", t.good_deeds_per_week);
    println!("结对帮扶户数：{}", t.pairings);
    println!("每月上门办证/送证件数：{}", t.certificates_per_month);
    println!("每月警情社情通报期数：{}", t.notices_per_month);
    println!("每季度情报信息条数：{}", t.intel_per_quarter);
}

pub fn print_codes(lists: &CodeLists) {
    let value = serde_json::to_value(lists).unwrap_or(Value::Null);
    if let Some(map) = value.as_object() {
        for (name, items) in map {
            let items: Vec<String> = items
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|c| {
                            format!(
                                "{} {}",
                                c["code"].as_str().unwrap_or_default(),
                                c["zh"].as_str().unwrap_or_default()
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            println!("{name}: {}", items.join("、"));
        }
    }
}
