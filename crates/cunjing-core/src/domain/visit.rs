//! 入户走访登记 — household visits. The document's target: 30 households a month and one visit
//! to a key person (篇4).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::codes::{CodeEnum, Satisfaction, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    VisitMethod, "走访方式" {
        InHome = "in_home", "入户", "In the home";
        Phone = "phone", "电话", "By phone";
        OnSite = "on_site", "田间/现场", "On site";
    }
}

code_enum! {
    VisitPurpose, "走访内容" {
        InfoCheck = "info_check", "信息采集核对", "Information check";
        SafetyPublicity = "safety_publicity", "安全防范/反诈宣传", "Safety / anti-fraud publicity";
        DisputeScreening = "dispute_screening", "矛盾排查", "Dispute screening";
        Opinion = "opinion", "征求意见", "Asking opinions";
        CertificateService = "certificate_service", "办证服务", "Certificate service";
        Aid = "aid", "帮扶", "Aid";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Visit {
    pub date: NaiveDate,
    pub officer: String,
    /// The household on the roster; for a household not yet on it, `head_name` and `address`.
    pub household_id: Option<Uuid>,
    pub head_name: Option<String>,
    pub address: Option<String>,
    pub method: VisitMethod,
    pub purposes: Vec<VisitPurpose>,
    pub companions: Option<String>,
    pub people_talked: Option<i64>,
    pub concerns: Option<String>,
    pub hazards: Option<String>,
    pub response: Option<String>,
    pub satisfaction: Option<Satisfaction>,
}

impl Register for Visit {
    const KIND: RegisterKind = RegisterKind::Visits;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] =
        &[("method", zh::<VisitMethod>), ("purposes", zh::<VisitPurpose>), ("satisfaction", zh::<Satisfaction>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("date", "日期"),
        ("officer", "民警"),
        ("household_id", "走访户"),
        ("head_name", "户主姓名"),
        ("address", "住址"),
        ("method", "走访方式"),
        ("purposes", "走访内容"),
        ("companions", "陪同人员"),
        ("people_talked", "谈心人数"),
        ("concerns", "群众反映问题/诉求"),
        ("hazards", "发现隐患/线索"),
        ("response", "答复/处理"),
        ("satisfaction", "满意度"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let date = f.date("date", Required, Some(ctx.today), i);
        let officer = f.text("officer", Required, MAX_SHORT, i);
        let household_id = f.uuid("household_id", Optional, i);
        let head_name = f.text("head_name", Optional, MAX_SHORT, i);
        let address = f.text("address", Optional, MAX_SHORT, i);
        let method = f.code::<VisitMethod>("method", Required, i);
        let purposes = f.codes::<VisitPurpose>("purposes", 1, i);
        let companions = f.text("companions", Optional, MAX_SHORT, i);
        let people_talked = f.int("people_talked", Optional, 0, 10_000, i);
        let concerns = f.text("concerns", Optional, MAX_TEXT, i);
        let hazards = f.text("hazards", Optional, MAX_TEXT, i);
        let response = f.text("response", Optional, MAX_TEXT, i);
        let satisfaction = f.code::<Satisfaction>("satisfaction", Optional, i);

        if household_id.is_none() && !i.has_error_at(&f.path("household_id")) {
            for (key, present) in [("head_name", head_name.is_some()), ("address", address.is_some())] {
                i.require(present, f.path(key), format!("未选择花名册上的户时，须填写「{}」", f.label(key)));
            }
        }
        if !i.is_ok() {
            return None;
        }
        Some(Visit {
            date: date?,
            officer: officer?,
            household_id,
            head_name,
            address,
            method: method?,
            purposes,
            companions,
            people_talked,
            concerns,
            hazards,
            response,
            satisfaction,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        Some(self.date)
    }

    fn household_id(&self) -> Option<Uuid> {
        self.household_id
    }

    const HOUSEHOLD_SNAPSHOT: &'static [&'static str] = &["head_name", "address"];

    fn snapshot_household(&mut self, h: &crate::domain::Household) {
        if self.head_name.is_none() {
            self.head_name = Some(h.head_name.clone());
        }
        if self.address.is_none() {
            let group = h.group.as_deref().unwrap_or("");
            self.address = Some(format!("{}{}{}", h.village, group, h.house_no));
        }
    }

    fn title(&self) -> String {
        let who = self.head_name.as_deref().unwrap_or("");
        let purposes: Vec<&str> = self.purposes.iter().map(|p| p.label_zh()).collect();
        format!("{} {} {}（{}）", crate::format::date_zh(self.date), self.method.label_zh(), who, purposes.join("、"))
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: self.head_name.iter().cloned().collect(),
            numbers: Vec::new(),
            places: self.address.iter().cloned().collect(),
            text: [self.concerns.as_deref(), self.hazards.as_deref(), self.response.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
