//! 户 — a household on the roster (实有人口 is managed by actual residence, 篇3).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::domain::codes::code_enum;
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    HouseholdTag, "户类别" {
        Registered = "registered", "常住户", "Registered";
        Rental = "rental", "出租户", "Rental";
        Temporary = "temporary", "暂住户", "Temporary";
        LeftBehind = "left_behind", "留守老人/儿童", "Left-behind elderly/children";
        Hardship = "hardship", "困难户", "Hardship";
        KeyPerson = "key_person", "重点对象户", "Key-person household";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Household {
    pub village: String,
    pub group: Option<String>,
    pub house_no: String,
    pub address_detail: Option<String>,
    pub head_name: String,
    pub phone: Option<String>,
    pub tags: Vec<HouseholdTag>,
    pub notes: Option<String>,
}

impl Register for Household {
    const KIND: RegisterKind = RegisterKind::Households;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[("tags", zh::<HouseholdTag>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("village", "行政村"),
        ("group", "村民小组"),
        ("house_no", "门牌号"),
        ("address_detail", "详细地址"),
        ("head_name", "户主"),
        ("phone", "联系电话"),
        ("tags", "户类别"),
        ("notes", "备注"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, _ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let village = f.text("village", Required, MAX_SHORT, i);
        let group = f.text("group", Optional, MAX_SHORT, i);
        let house_no = f.text("house_no", Required, MAX_SHORT, i);
        let address_detail = f.text("address_detail", Optional, MAX_SHORT, i);
        let head_name = f.text("head_name", Required, MAX_SHORT, i);
        let phone = f.phone("phone", Optional, i);
        let tags = f.codes::<HouseholdTag>("tags", 0, i);
        let notes = f.text("notes", Optional, MAX_TEXT, i);
        if !i.is_ok() {
            return None;
        }
        Some(Household {
            village: village?,
            group,
            house_no: house_no?,
            address_detail,
            head_name: head_name?,
            phone,
            tags,
            notes,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        None
    }

    fn title(&self) -> String {
        let group = self.group.as_deref().unwrap_or("");
        format!("{}{}{} 户主 {}", self.village, group, self.house_no, self.head_name)
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: vec![self.head_name.clone()],
            numbers: self.phone.iter().cloned().collect(),
            places: [Some(&self.village), self.group.as_ref(), Some(&self.house_no), self.address_detail.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            text: self.notes.clone().unwrap_or_default(),
        }
    }
}
