//! Column headings as people write them (走访日期, 身份证号, 当事人1姓名, 联系电话（必填）) →
//! the register's field paths (`date`, `id_number`, `parties[0].name`). The register's own
//! labels come first, then its field codes, then common variants, then parts of labels.

use crate::schema::{Field, Schema, Shape};

/// Headings of columns this crate adds to sheets it writes; never mapped to a field.
pub const ROW_NUMBER_HEADING: &str = "原行号";
pub const REASON_HEADING: &str = "错误原因";

/// Groups of words used for the same thing in real ledgers. A heading in a group matches a
/// field whose label or code is in the same group.
const VARIANTS: &[&[&str]] = &[
    &["公民身份号码", "身份证号", "身份证号码", "身份证", "证件号码", "身份号码", "id_number"],
    &["联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码", "phone"],
    &["住址", "地址", "家庭住址", "现住址", "居住地址", "户籍地址"],
    &["姓名", "名字"],
    &["出生日期", "出生年月", "出生年月日", "生日"],
    &["户主", "户主姓名"],
    &["备注", "说明"],
    &["民警", "走访民警", "责任民警", "走访人"],
    &["门牌号", "门牌", "门牌号码"],
    &["行政村", "村", "所属村", "村名", "村(社区)"],
    &["村民小组", "组", "小组"],
    &["受理日期", "受理时间", "登记日期"],
    &["纠纷类型", "纠纷类别"],
    &["简要情况", "基本情况", "纠纷简要情况", "简要案情", "纠纷情况"],
    &["调处人员", "调解人", "调解人员", "调处人"],
    &["涉及人数", "涉及人员数"],
    &["调处结果说明", "调处结果", "调解结果"],
    &["结案日期", "结案时间"],
    &["巡逻类型", "巡逻类别"],
    &["方式", "巡逻方式"],
    &["人数", "巡逻人数", "参加人数"],
    &["带队民警", "带队人", "带队"],
    &["路线/区域/重点部位", "巡逻路线", "路线", "巡逻区域", "巡逻地点"],
    &["走访内容", "走访事由", "走访目的"],
    &["满意度", "满意程度", "群众满意度"],
    &["谈心人数", "谈心人次"],
    &["人员类别", "人口类别", "类别"],
    &["与户主关系", "关系"],
];

/// A heading or label reduced to what matters: no spaces or `*` required marks, half-width
/// brackets, no trailing (必填)/(选填), ASCII lower case.
pub fn normalize(text: &str) -> String {
    let mut s: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '＊' | '\u{feff}' | '\u{2060}'))
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '／' => '/',
            '：' => ':',
            // full-width ASCII (０-９, Ａ-Ｚ …) → ASCII
            c if ('\u{ff01}'..='\u{ff5e}').contains(&c) => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c.to_ascii_lowercase(),
        })
        .collect();
    for tail in ["(必填)", "(选填)", "(可选)", "(必填项)"] {
        if let Some(stripped) = s.strip_suffix(tail) {
            s = stripped.to_string();
        }
    }
    s.trim_end_matches(':').to_string()
}

/// A label's shorter forms: without its bracketed note, and each part around `/`
/// (路线/区域/重点部位 → 路线, 区域, 重点部位; 红色（立即上报） → 红色).
pub fn label_parts(label: &str) -> Vec<String> {
    let n = normalize(label);
    let bare = match n.find('(') {
        Some(i) if i > 0 => n[..i].to_string(),
        _ => n.clone(),
    };
    let mut out = vec![bare.clone()];
    if bare.contains('/') {
        out.extend(bare.split('/').filter(|p| !p.is_empty()).map(str::to_string));
    }
    out.retain(|p| *p != n);
    out
}

fn same_group(a: &str, b: &str) -> bool {
    VARIANTS.iter().any(|g| {
        let g: Vec<String> = g.iter().map(|w| normalize(w)).collect();
        g.contains(&a.to_string()) && g.contains(&b.to_string())
    })
}

/// How well `heading` names `field` (higher is better; 0 = not at all).
fn score(heading: &str, field: &Field) -> u8 {
    let label = normalize(&field.label);
    if heading == label {
        6
    } else if heading == field.key {
        5
    } else if same_group(heading, &label) || same_group(heading, &field.key) {
        4
    } else if label_parts(&field.label).iter().any(|p| p == heading) {
        3
    } else if label.chars().count() >= 2 && heading.contains(&label) {
        // 走访日期 → 日期 (the longer the label, the surer)
        2
    } else {
        0
    }
}

fn best<'f>(heading: &str, fields: impl Iterator<Item = &'f Field>) -> Option<&'f Field> {
    let mut found: Option<(&Field, u8, usize)> = None;
    for f in fields {
        let s = score(heading, f);
        let len = f.label.chars().count();
        if s > 0 && found.is_none_or(|(_, bs, bl)| s > bs || (s == bs && s == 2 && len > bl)) {
            found = Some((f, s, len));
        }
    }
    found.map(|(f, _, _)| f)
}

/// The field path a heading names, if any: `date`, `parties[0].name`.
pub fn recognise(schema: &Schema, heading: &str) -> Option<String> {
    let h = normalize(heading);
    if h.is_empty() || h == normalize(ROW_NUMBER_HEADING) || h == normalize(REASON_HEADING) {
        return None;
    }
    // A numbered item of a list of objects: 当事人1姓名, 当事人2-身份证号, 回访1日期.
    for field in &schema.fields {
        let Shape::Objects(subs) = &field.shape else { continue };
        let mut prefixes = vec![normalize(&field.label)];
        prefixes.extend(label_parts(&field.label));
        for prefix in prefixes {
            let Some(rest) = h.strip_prefix(&prefix) else { continue };
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            let rest = rest[digits.len()..].trim_start_matches(['-', '_', '.', '·', '—', ':']);
            let index = digits.parse::<usize>().unwrap_or(1).max(1) - 1;
            // Sub-fields are often labelled with the list's name in front (当事人身份 → 身份).
            let bare: Vec<Field> = subs
                .iter()
                .map(|s| {
                    let label = normalize(&s.label);
                    let label = label.strip_prefix(&prefix).filter(|l| !l.is_empty()).unwrap_or(&label).to_string();
                    Field { label, ..s.clone() }
                })
                .collect();
            if let Some(sub) = best(rest, subs.iter()).or_else(|| best(rest, bare.iter())) {
                return Some(format!("{}[{index}].{}", field.key, sub.key));
            }
        }
    }
    best(&h, schema.fields.iter().filter(|f| !matches!(f.shape, Shape::Objects(_)))).map(|f| f.key.clone())
}

/// The automatic mapping of a header row: each field is taken by the first heading that names
/// it best (a later heading naming it again is left unmapped).
pub fn auto_map(schema: &Schema, headings: &[String]) -> Vec<Option<String>> {
    let mut taken: Vec<String> = Vec::new();
    // Exact labels first, so 日期 beats 走访日期 for `date` wherever the columns stand.
    let mut out: Vec<Option<String>> = vec![None; headings.len()];
    for exact_pass in [true, false] {
        for (i, heading) in headings.iter().enumerate() {
            if out[i].is_some() {
                continue;
            }
            let Some(path) = recognise(schema, heading) else { continue };
            let exact = normalize(&schema.heading(&path)) == normalize(heading) || path == normalize(heading);
            if exact_pass && !exact {
                continue;
            }
            if !taken.contains(&path) {
                taken.push(path.clone());
                out[i] = Some(path);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::schema;
    use cunjing_core::RegisterKind;

    #[test]
    fn headings_as_people_write_them() {
        let v = schema(RegisterKind::Visits);
        assert_eq!(recognise(&v, "走访日期").as_deref(), Some("date"));
        assert_eq!(recognise(&v, " 日期 *").as_deref(), Some("date"));
        assert_eq!(recognise(&v, "群众反映问题").as_deref(), Some("concerns"));
        assert_eq!(recognise(&v, "户主").as_deref(), Some("head_name"));
        assert_eq!(recognise(&v, "走访方式（必填）").as_deref(), Some("method"));
        assert_eq!(recognise(&v, "原行号"), None);
        let d = schema(RegisterKind::Disputes);
        assert_eq!(recognise(&d, "当事人1姓名").as_deref(), Some("parties[0].name"));
        assert_eq!(recognise(&d, "当事人2 身份证号").as_deref(), Some("parties[1].id_number"));
        assert_eq!(recognise(&d, "回访1日期").as_deref(), Some("followups[0].date"));
        assert_eq!(recognise(&d, "纠纷类别").as_deref(), Some("dispute_type"));
        let r = schema(RegisterKind::Residents);
        assert_eq!(recognise(&r, "身份证号码").as_deref(), Some("id_number"));
        assert_eq!(recognise(&r, "手机").as_deref(), Some("phone"));
        let p = schema(RegisterKind::Patrols);
        assert_eq!(recognise(&p, "巡逻路线").as_deref(), Some("route"));
    }

    #[test]
    fn each_field_is_taken_once_exact_labels_first() {
        let v = schema(RegisterKind::Visits);
        let heads: Vec<String> = ["走访日期", "日期", "民警"].iter().map(|s| s.to_string()).collect();
        assert_eq!(auto_map(&v, &heads), vec![None, Some("date".into()), Some("officer".into())]);
    }
}
