//! Finding records. Short terms are matched in `search_terms` (by prefix for pinyin and
//! initials, by `instr` for Chinese names, numbers and places); long text in the FTS5 trigram
//! table for 3+ characters and by `instr` below that, since trigrams cannot match shorter text.

use std::collections::HashMap;

use rusqlite::{Connection, params};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::RegisterKind;
use crate::domain::codes::{CodeEnum, code_enum};
use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::search::pinyin_keys::looks_like_pinyin_query;
use crate::store::Store;

code_enum! {
    /// What a search hit matched on.
    MatchKind, "匹配项" {
        Name = "name", "姓名", "Name";
        Pinyin = "pinyin", "拼音", "Pinyin";
        Initials = "initials", "拼音首字母", "Initials";
        Number = "number", "证件/电话/编号", "Number";
        Place = "place", "地点", "Place";
        Text = "text", "内容", "Text";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SearchHit {
    pub register: RegisterKind,
    pub id: Uuid,
    pub title: String,
    pub matched: MatchKind,
    /// The term that matched (a name, a number, a place; a snippet for text).
    pub matched_text: String,
    pub voided: bool,
}

/// The most candidate rows read before ranking: enough for any real name, bounded for one-letter queries.
const CANDIDATES: i64 = 5000;

struct Candidate {
    record_id: String,
    register: String,
    kind: MatchKind,
    term: String,
    title: String,
    voided: bool,
}

/// Lower is better: exact names first, then prefixes, then fragments, then long text.
fn rank(kind: MatchKind, term: &str, q: &str) -> u8 {
    let exact = term.eq_ignore_ascii_case(q);
    let prefix = term.to_lowercase().starts_with(&q.to_lowercase());
    match kind {
        MatchKind::Name if exact => 0,
        MatchKind::Pinyin | MatchKind::Initials if exact => 1,
        MatchKind::Name if prefix => 2,
        MatchKind::Number if exact => 2,
        MatchKind::Name => 3,
        MatchKind::Pinyin | MatchKind::Initials => 4,
        MatchKind::Number => 5,
        MatchKind::Place => 6,
        MatchKind::Text => 7,
    }
}

fn term_candidates(conn: &Connection, q: &str, include_voided: bool) -> rusqlite::Result<Vec<Candidate>> {
    let voided = if include_voided { "" } else { "AND r.voided = 0" };
    // Prefixes by a range on the term index (NOCASE; char(1114111) sorts after every
    // character); fragments of three characters or more through the trigram index of the terms
    // (migration 0008). Neither scans the table: a big office has ≈ 1,000,000 terms.
    let kinds = if looks_like_pinyin_query(q) {
        "('pinyin', 'initials', 'number', 'place')"
    } else {
        "('name', 'number', 'place')"
    };
    let prefix = format!(
        "SELECT t.record_id, t.register, t.kind, t.term, r.title, r.voided
         FROM search_terms t JOIN records r ON r.id = t.record_id
         WHERE t.term >= ?1 AND t.term < ?1 || char(1114111) AND t.kind IN {kinds} {voided}
         LIMIT {CANDIDATES}"
    );
    let mut args = vec![q.to_string()];
    let sql = if q.chars().count() >= 3 {
        args.push(format!("\"{}\"", q.replace('"', "\"\"")));
        format!(
            "SELECT * FROM ({prefix}) UNION ALL
             SELECT * FROM (SELECT t.record_id, t.register, t.kind, t.term, r.title, r.voided
             FROM search_terms_tri f JOIN search_terms t ON t.rowid = f.rowid JOIN records r ON r.id = t.record_id
             WHERE search_terms_tri MATCH ?2 AND t.kind IN ('name', 'number', 'place') {voided}
             LIMIT {CANDIDATES})"
        )
    } else {
        prefix
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
        let kind: String = r.get(2)?;
        Ok(Candidate {
            record_id: r.get(0)?,
            register: r.get(1)?,
            kind: MatchKind::from_code(&kind).unwrap_or(MatchKind::Text),
            term: r.get(3)?,
            title: r.get(4)?,
            voided: r.get(5)?,
        })
    })?;
    rows.collect()
}

fn text_candidates(conn: &Connection, q: &str, include_voided: bool) -> rusqlite::Result<Vec<Candidate>> {
    let voided = if include_voided { "" } else { "AND r.voided = 0" };
    let (condition, arg) = if q.chars().count() >= 3 {
        ("search_text MATCH ?1", format!("\"{}\"", q.replace('"', "\"\"")))
    } else {
        ("instr(s.body, ?1) > 0", q.to_string())
    };
    let sql = format!(
        "SELECT s.record_id, r.register, s.body, r.title, r.voided
         FROM search_text s JOIN records r ON r.id = s.record_id
         WHERE {condition} {voided} LIMIT {CANDIDATES}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![arg], |r| {
        let body: String = r.get(2)?;
        Ok(Candidate {
            record_id: r.get(0)?,
            register: r.get(1)?,
            kind: MatchKind::Text,
            term: snippet(&body, q),
            title: r.get(3)?,
            voided: r.get(4)?,
        })
    })?;
    rows.collect()
}

/// About 30 characters of `body` around the first occurrence of `q`.
fn snippet(body: &str, q: &str) -> String {
    let chars: Vec<char> = body.chars().collect();
    let start_byte = body.find(q).unwrap_or(0);
    let start = body[..start_byte].chars().count();
    let from = start.saturating_sub(10);
    let to = (start + q.chars().count() + 20).min(chars.len());
    let mut s: String = chars[from..to].iter().collect();
    if from > 0 {
        s.insert(0, '…');
    }
    if to < chars.len() {
        s.push('…');
    }
    s
}

impl Store {
    /// Up to `limit` records matching `text`, best matches first.
    pub fn search(&self, text: &str, limit: usize, include_voided: bool) -> CoreResult<Vec<SearchHit>> {
        let q = text.trim();
        if q.is_empty() {
            return Err(CoreError::Invalid(vec![FieldError::new(
                ErrorCode::Required,
                "text",
                "请输入要查找的姓名、拼音、证件号码或地点",
            )]));
        }
        if q.chars().count() > 50 {
            return Err(CoreError::Invalid(vec![FieldError::new(
                ErrorCode::TooLong,
                "text",
                "查找内容过长（最多 50 字）",
            )]));
        }
        let conn = self.reader();
        let mut candidates = term_candidates(&conn, q, include_voided)?;
        // Long text ranks below every term. A query under three characters cannot use the
        // trigram index and would scan all the text (35 ms in a big office, SQLCipher decrypting
        // every page): it is looked for in the text only when no name, number or place matched
        // (two characters that match a name — 薛金 — are that person, not words in summaries).
        if q.chars().count() >= 3 || candidates.is_empty() {
            let text = text_candidates(&conn, q, include_voided)?;
            candidates.extend(text);
        }
        drop(conn);

        let mut best: HashMap<String, (u8, Candidate)> = HashMap::new();
        for c in candidates {
            let r = rank(c.kind, &c.term, q);
            match best.get(&c.record_id) {
                Some((existing, _)) if *existing <= r => {}
                _ => {
                    best.insert(c.record_id.clone(), (r, c));
                }
            }
        }
        // Restricted registers (重点对象) are found only from their own list, where the view is
        // audited; global search would show their names to anyone at the screen.
        let mut hits: Vec<(u8, Candidate)> = best
            .into_values()
            .filter(|(_, c)| RegisterKind::from_code(&c.register).is_some_and(|k| !k.is_restricted()))
            .collect();
        hits.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then(a.voided.cmp(&b.voided)).then(a.title.cmp(&b.title)));
        Ok(hits
            .into_iter()
            .take(limit)
            .filter_map(|(_, c)| {
                Some(SearchHit {
                    register: RegisterKind::from_code(&c.register)?,
                    id: Uuid::parse_str(&c.record_id).ok()?,
                    title: c.title,
                    matched: c.kind,
                    matched_text: c.term,
                    voided: c.voided,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_centres_on_the_match() {
        let body = "村东头张家与李家因宅基地边界发生争执，双方多次争吵，经调解达成协议";
        let s = snippet(body, "边界");
        assert!(s.contains("边界"));
        assert!(s.starts_with('…'));
    }

    #[test]
    fn exact_names_rank_first() {
        assert!(rank(MatchKind::Name, "王芳", "王芳") < rank(MatchKind::Name, "王芳芳", "王芳"));
        assert!(rank(MatchKind::Initials, "wf", "wf") < rank(MatchKind::Pinyin, "wangfang", "wf"));
    }
}
