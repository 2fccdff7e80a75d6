//! 为民服务 — services to residents (篇4): 结对帮扶 (each officer pairs with one household in
//! hardship and keeps visiting it, with money and goods; money in 分 so sums are exact), 好事实事
//! (one good deed a week) and 上门办证/送证 (identity documents applied for or delivered at home
//! for the bedridden, the disabled and the elderly).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::codes::{CodeEnum, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::error::ErrorCode;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    ServiceKind, "服务类别" {
        Pairing = "pairing", "结对帮扶", "Paired support";
        GoodDeed = "good_deed", "好事实事", "Good deed";
        Certificate = "certificate", "上门办证/送证", "Documents at home";
    }
}

code_enum! {
    CertificateKind, "证件种类" {
        IdCard = "id_card", "居民身份证", "Resident ID card";
        HouseholdBooklet = "household_booklet", "户口簿", "Household register booklet";
        ResidencePermit = "residence_permit", "居住证", "Residence permit";
        Other = "other", "其他证件", "Other document";
    }
}

code_enum! {
    CertificateAction, "办证方式" {
        Apply = "apply", "上门办证", "Applied for at home";
        Deliver = "deliver", "送证上门", "Delivered at home";
    }
}

code_enum! {
    ServiceReason, "上门原因" {
        Bedridden = "bedridden", "卧床", "Bedridden";
        Disabled = "disabled", "残疾", "Disabled";
        Elderly = "elderly", "高龄", "Elderly";
        Other = "other", "其他", "Other";
    }
}

/// One visit to the paired household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PairingVisit {
    pub date: NaiveDate,
    pub content: String,
    /// Money given, in 分.
    pub money_fen: Option<i64>,
    pub goods: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Service {
    /// The day of the service; for a pairing, the day it began.
    pub date: NaiveDate,
    pub kind: ServiceKind,
    pub officer: String,
    /// 服务对象 (the household head for a pairing).
    pub beneficiary: String,
    pub household_id: Option<Uuid>,
    /// What was done; for a pairing, the household's hardship.
    pub content: String,
    /// Money given with a good deed, in 分 (pairings record money per visit).
    pub money_fen: Option<i64>,
    pub goods: Option<String>,
    // --- 结对帮扶 ---
    pub visits: Vec<PairingVisit>,
    /// The day the pairing ended (the household out of hardship, the officer moved).
    pub ended_on: Option<NaiveDate>,
    // --- 上门办证/送证 ---
    pub certificate_action: Option<CertificateAction>,
    pub certificate_kind: Option<CertificateKind>,
    pub certificate_count: Option<i64>,
    pub reason: Option<ServiceReason>,
    /// 签收人.
    pub receiver: Option<String>,
}

const MAX_FEN: i64 = 100_000_000; // 100 万元 per entry: anything above is a typo.

impl Service {
    /// Money given in all, in 分 (the service's own and every pairing visit's).
    pub fn money_total_fen(&self) -> i64 {
        self.money_fen.unwrap_or(0) + self.visits.iter().filter_map(|v| v.money_fen).sum::<i64>()
    }
}

impl Register for Service {
    const KIND: RegisterKind = RegisterKind::Services;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[
        ("kind", zh::<ServiceKind>),
        ("certificate_action", zh::<CertificateAction>),
        ("certificate_kind", zh::<CertificateKind>),
        ("reason", zh::<ServiceReason>),
    ];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("date", "日期"),
        ("kind", "服务类别"),
        ("officer", "民警"),
        ("beneficiary", "服务对象"),
        ("household_id", "所在户"),
        ("content", "服务内容/困难情况"),
        ("money_fen", "资金（分）"),
        ("goods", "物品"),
        ("visits", "帮扶走访"),
        ("ended_on", "结对结束日期"),
        ("certificate_action", "办证方式"),
        ("certificate_kind", "证件种类"),
        ("certificate_count", "证件数量"),
        ("reason", "上门原因"),
        ("receiver", "签收人"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let today = Some(ctx.today);
        let date = f.date("date", Required, today, i);
        let kind = f.code::<ServiceKind>("kind", Required, i);
        let officer = f.text("officer", Required, MAX_SHORT, i);
        let beneficiary = f.text("beneficiary", Required, MAX_SHORT, i);
        let household_id = f.uuid("household_id", Optional, i);
        let content = f.text("content", Required, MAX_TEXT, i);
        let money_fen = f.int("money_fen", Optional, 0, MAX_FEN, i);
        let goods = f.text("goods", Optional, MAX_SHORT * 3, i);
        let visits: Vec<PairingVisit> = f
            .objects("visits", i)
            .into_iter()
            .filter_map(|v| {
                let date = v.date("date", Required, today, i);
                let content = v.text("content", Required, MAX_TEXT, i);
                let money_fen = v.int("money_fen", Optional, 0, MAX_FEN, i);
                let goods = v.text("goods", Optional, MAX_SHORT * 3, i);
                v.finish(i);
                Some(PairingVisit { date: date?, content: content?, money_fen, goods })
            })
            .collect();
        let ended_on = f.date("ended_on", Optional, today, i);
        let certificate_action = f.code::<CertificateAction>("certificate_action", Optional, i);
        let certificate_kind = f.code::<CertificateKind>("certificate_kind", Optional, i);
        let certificate_count = f.int("certificate_count", Optional, 1, 1_000, i);
        let reason = f.code::<ServiceReason>("reason", Optional, i);
        let receiver = f.text("receiver", Optional, MAX_SHORT, i);

        // Each kind has its own fields; a field of another kind is a mistake worth saying.
        let is = |k: ServiceKind| kind == Some(k);
        let only_for = |i: &mut Issues, key: &str, present: bool, k: ServiceKind| {
            if present && kind.is_some() && !is(k) {
                i.error(ErrorCode::OutOfRange, f.path(key), format!("「{}」只用于{}", f.label(key), k.label_zh()));
            }
        };
        only_for(i, "visits", !visits.is_empty(), ServiceKind::Pairing);
        only_for(i, "ended_on", ended_on.is_some(), ServiceKind::Pairing);
        for (key, present) in [
            ("certificate_action", certificate_action.is_some()),
            ("certificate_kind", certificate_kind.is_some()),
            ("certificate_count", certificate_count.is_some()),
            ("reason", reason.is_some()),
            ("receiver", receiver.is_some()),
        ] {
            only_for(i, key, present, ServiceKind::Certificate);
        }
        if is(ServiceKind::Certificate) {
            for (key, present) in [
                ("certificate_action", certificate_action.is_some()),
                ("certificate_kind", certificate_kind.is_some()),
                ("certificate_count", certificate_count.is_some()),
                ("reason", reason.is_some()),
            ] {
                if !present && !i.has_error_at(&f.path(key)) {
                    i.require(false, f.path(key), format!("上门办证/送证须填写「{}」", f.label(key)));
                }
            }
            if certificate_action == Some(CertificateAction::Deliver)
                && receiver.is_none()
                && !i.has_error_at(&f.path("receiver"))
            {
                i.require(false, f.path("receiver"), "送证上门须填写「签收人」".into());
            }
        }
        if let Some(start) = date {
            for (n, v) in visits.iter().enumerate() {
                if v.date < start {
                    i.error(
                        ErrorCode::EndBeforeStart,
                        format!("{}[{n}].date", f.path("visits")),
                        "帮扶走访日期早于结对开始日期",
                    );
                }
            }
            if let Some(end) = ended_on
                && end < start
            {
                i.error(ErrorCode::EndBeforeStart, f.path("ended_on"), "结对结束日期早于开始日期");
            }
        }
        if !i.is_ok() {
            return None;
        }
        Some(Service {
            date: date?,
            kind: kind?,
            officer: officer?,
            beneficiary: beneficiary?,
            household_id,
            content: content?,
            money_fen,
            goods,
            visits,
            ended_on,
            certificate_action,
            certificate_kind,
            certificate_count,
            reason,
            receiver,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn household_id(&self) -> Option<Uuid> {
        self.household_id
    }

    fn title(&self) -> String {
        let what = match self.kind {
            ServiceKind::Certificate => format!(
                "{} {}{} 件",
                self.certificate_action.map(|a| a.label_zh()).unwrap_or(""),
                self.certificate_kind.map(|k| k.label_zh()).unwrap_or(""),
                self.certificate_count.unwrap_or(0)
            ),
            _ => self.content.chars().take(24).collect(),
        };
        format!("{} {} {} {}", crate::format::date_zh(self.date), self.kind.label_zh(), self.beneficiary, what)
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: [Some(&self.beneficiary), Some(&self.officer), self.receiver.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            numbers: Vec::new(),
            places: Vec::new(),
            text: std::iter::once(self.content.as_str())
                .chain(self.visits.iter().map(|v| v.content.as_str()))
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
