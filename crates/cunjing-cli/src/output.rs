//! What the CLI prints: JSON for machines (`--json`), Chinese text for people.

use cunjing_core::domain::codes::CodeEnum;
use cunjing_core::format::date_zh;
use cunjing_core::present::{display_fields, field_label, record_title};
use cunjing_core::search::SearchHit;
use cunjing_core::store::{AuditEntry, ListQuery, Page};
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
