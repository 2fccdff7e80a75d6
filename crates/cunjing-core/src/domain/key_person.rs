//! 重点对象/关注对象 — persons the officer must keep in view (篇4: at least one visit to a key
//! person a month). Restricted: every view is audited, never on a public print, never in global
//! search; the UI says 重点对象/关注对象, never 重点人口.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::codes::{CodeEnum, Sex, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::domain::visit::VisitMethod;
use crate::error::ErrorCode;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    KeyLevel, "列管级别" {
        Key = "key", "重点对象", "Key person";
        Attention = "attention", "关注对象", "Person of attention";
    }
}

code_enum! {
    KeyCategory, "对象类别" {
        CommunityCorrection = "community_correction", "社区矫正人员", "Under community correction";
        Released = "released", "刑满释放人员", "Released from prison";
        Drug = "drug", "涉毒人员", "Drug-related";
        MentalHealth = "mental_health", "严重精神障碍患者", "Severe mental disorder";
        Petition = "petition", "信访人员", "Petitioner";
        DisputeParty = "dispute_party", "矛盾纠纷当事人", "Party to a dispute";
        Other = "other", "其他", "Other";
    }
}

/// One check visit (走访/见面) on the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyCheck {
    pub date: NaiveDate,
    pub officer: String,
    pub method: VisitMethod,
    /// 现实表现/动态.
    pub situation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyPerson {
    pub name: String,
    pub sex: Option<Sex>,
    pub id_number: Option<String>,
    pub household_id: Option<Uuid>,
    pub address: String,
    pub phone: Option<String>,
    pub level: KeyLevel,
    pub category: KeyCategory,
    /// 列管原因.
    pub reason: String,
    /// 责任民警.
    pub responsible: String,
    /// 列管日期.
    pub since: NaiveDate,
    /// 撤销列管日期; after it the person is no longer checked.
    pub until: Option<NaiveDate>,
    pub checks: Vec<KeyCheck>,
}

impl KeyPerson {
    /// Still under watch on `day`.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.since <= day && self.until.is_none_or(|u| u >= day)
    }
}

impl Register for KeyPerson {
    const KIND: RegisterKind = RegisterKind::KeyPersons;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[
        ("sex", zh::<Sex>),
        ("level", zh::<KeyLevel>),
        ("category", zh::<KeyCategory>),
        ("method", zh::<VisitMethod>),
    ];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("name", "姓名"),
        ("sex", "性别"),
        ("id_number", "公民身份号码"),
        ("household_id", "所在户"),
        ("address", "住址"),
        ("phone", "联系电话"),
        ("level", "列管级别"),
        ("category", "对象类别"),
        ("reason", "列管原因"),
        ("responsible", "责任民警"),
        ("since", "列管日期"),
        ("until", "撤销列管日期"),
        ("checks", "走访记录"),
        ("date", "走访日期"),
        ("officer", "走访民警"),
        ("method", "走访方式"),
        ("situation", "现实表现"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let today = Some(ctx.today);
        let name = f.text("name", Required, MAX_SHORT, i);
        let sex = f.code::<Sex>("sex", Optional, i);
        let id_info = f.id_number("id_number", ctx.today, i);
        let household_id = f.uuid("household_id", Optional, i);
        let address = f.text("address", Required, MAX_SHORT, i);
        let phone = f.phone("phone", Optional, i);
        let level = f.code::<KeyLevel>("level", Required, i);
        let category = f.code::<KeyCategory>("category", Required, i);
        let reason = f.text("reason", Required, MAX_TEXT, i);
        let responsible = f.text("responsible", Required, MAX_SHORT, i);
        let since = f.date("since", Required, today, i);
        let until = f.date("until", Optional, today, i);
        let checks: Vec<KeyCheck> = f
            .objects("checks", i)
            .into_iter()
            .filter_map(|c| {
                let date = c.date("date", Required, today, i);
                let officer = c.text("officer", Required, MAX_SHORT, i);
                let method = c.code::<VisitMethod>("method", Required, i);
                let situation = c.text("situation", Required, MAX_TEXT, i);
                c.finish(i);
                Some(KeyCheck { date: date?, officer: officer?, method: method?, situation: situation? })
            })
            .collect();
        if let (Some(info), Some(s)) = (&id_info, sex) {
            let id_sex = if info.is_male { Sex::Male } else { Sex::Female };
            if s != id_sex && s != Sex::Unknown {
                i.error(
                    ErrorCode::IdNumberSexMismatch,
                    f.path("sex"),
                    format!("性别「{}」与身份号码（{}）不符", s.label_zh(), id_sex.label_zh()),
                );
            }
        }
        if let Some(start) = since {
            if let Some(end) = until
                && end < start
            {
                i.error(ErrorCode::EndBeforeStart, f.path("until"), "撤销列管日期早于列管日期");
            }
            for (n, c) in checks.iter().enumerate() {
                let path = format!("{}[{n}].date", f.path("checks"));
                if c.date < start {
                    i.error(ErrorCode::EndBeforeStart, path, "走访日期早于列管日期");
                } else if until.is_some_and(|u| c.date > u) {
                    i.error(ErrorCode::OutOfRange, path, "走访日期晚于撤销列管日期");
                }
            }
        }
        if !i.is_ok() {
            return None;
        }
        let sex = sex.or(id_info.as_ref().map(|x| if x.is_male { Sex::Male } else { Sex::Female }));
        Some(KeyPerson {
            name: name?,
            sex,
            id_number: id_info.map(|x| x.normalized),
            household_id,
            address: address?,
            phone,
            level: level?,
            category: category?,
            reason: reason?,
            responsible: responsible?,
            since: since?,
            until,
            checks,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.since)
    }

    fn household_id(&self) -> Option<Uuid> {
        self.household_id
    }

    fn unique_numbers(&self) -> Vec<(&'static str, String)> {
        self.id_number.iter().map(|n| ("id_number", n.clone())).collect()
    }

    fn title(&self) -> String {
        let state = if self.until.is_some() { "（已撤销）" } else { "" };
        format!("{}（{}·{}）{}", self.name, self.level.label_zh(), self.category.label_zh(), state)
    }

    fn search_doc(&self) -> SearchDoc {
        // Kept in the index so the register's own list and the one-person-one-entry rule work;
        // global search leaves restricted registers out (see search::query).
        SearchDoc {
            names: vec![self.name.clone()],
            numbers: self.id_number.iter().chain(self.phone.iter()).cloned().collect(),
            places: vec![self.address.clone()],
            text: self.reason.clone(),
        }
    }
}
