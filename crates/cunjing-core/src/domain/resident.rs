//! 实有人口 — a person living in the village: 常住 + 暂住/流动 + 境外 (篇3).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::domain::codes::{CodeEnum, Sex, code_enum};
use crate::domain::register::{CodeLookup, ParseCtx, Register, RegisterKind, SearchDoc, zh};
use crate::error::ErrorCode;
use crate::format::date_zh;
use crate::validate::fields::{Fields, Issues, MAX_SHORT, MAX_TEXT, Optional, Required};

code_enum! {
    ResidentCategory, "人员类别" {
        Registered = "registered", "常住（户籍）", "Registered";
        Floating = "floating", "流动/暂住", "Floating";
        Foreign = "foreign", "境外人员", "Foreign";
        Away = "away", "人户分离（有户无人）", "Registered, living elsewhere";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Resident {
    pub household_id: Option<Uuid>,
    pub name: String,
    pub former_name: Option<String>,
    pub sex: Sex,
    pub ethnicity: Option<String>,
    pub birth_date: NaiveDate,
    pub id_number: Option<String>,
    pub category: ResidentCategory,
    pub phone: Option<String>,
    pub relation_to_head: Option<String>,
    pub occupation: Option<String>,
    pub stay_from: Option<NaiveDate>,
    pub stay_to: Option<NaiveDate>,
    pub foreign_nationality: Option<String>,
    pub foreign_doc_type: Option<String>,
    pub foreign_doc_no: Option<String>,
    pub notes: Option<String>,
}

impl Register for Resident {
    const KIND: RegisterKind = RegisterKind::Residents;
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] =
        &[("sex", zh::<Sex>), ("category", zh::<ResidentCategory>)];
    const LABELS: &'static [(&'static str, &'static str)] = &[
        ("household_id", "所属户"),
        ("name", "姓名"),
        ("former_name", "曾用名"),
        ("sex", "性别"),
        ("ethnicity", "民族"),
        ("birth_date", "出生日期"),
        ("id_number", "公民身份号码"),
        ("category", "人员类别"),
        ("phone", "联系电话"),
        ("relation_to_head", "与户主关系"),
        ("occupation", "职业"),
        ("stay_from", "居住起始日期"),
        ("stay_to", "居住截止日期"),
        ("foreign_nationality", "国籍"),
        ("foreign_doc_type", "证件种类"),
        ("foreign_doc_no", "证件号码"),
        ("notes", "备注"),
    ];

    fn parse(f: &Fields, _before: Option<&Self>, ctx: &ParseCtx, i: &mut Issues) -> Option<Self> {
        let household_id = f.uuid("household_id", Optional, i);
        let name = f.text("name", Required, MAX_SHORT, i);
        let former_name = f.text("former_name", Optional, MAX_SHORT, i);
        let id_info = f.id_number("id_number", ctx.today, i);
        // Sex and birth date may be left out when the ID number gives them.
        let sex_need = if id_info.is_some() { Optional } else { Required };
        let sex = f.code::<Sex>("sex", sex_need, i);
        let birth_date = f.date("birth_date", sex_need, Some(ctx.today), i);
        let ethnicity = f.text("ethnicity", Optional, MAX_SHORT, i);
        let category = f.code::<ResidentCategory>("category", Required, i);
        let phone = f.phone("phone", Optional, i);
        let relation_to_head = f.text("relation_to_head", Optional, MAX_SHORT, i);
        let occupation = f.text("occupation", Optional, MAX_SHORT, i);
        let stay_from = f.date("stay_from", Optional, None, i);
        let stay_to = f.date("stay_to", Optional, None, i);
        let foreign_nationality = f.text("foreign_nationality", Optional, MAX_SHORT, i);
        let foreign_doc_type = f.text("foreign_doc_type", Optional, MAX_SHORT, i);
        let foreign_doc_no = f.text("foreign_doc_no", Optional, MAX_SHORT, i);
        let notes = f.text("notes", Optional, MAX_TEXT, i);

        // The ID number is the authority on sex and birth date: entered values must agree.
        let (mut sex, mut birth_date) = (sex, birth_date);
        if let Some(info) = &id_info {
            let id_sex = if info.is_male { Sex::Male } else { Sex::Female };
            match sex {
                Some(s) if s != id_sex && s != Sex::Unknown => i.error(
                    ErrorCode::IdNumberSexMismatch,
                    f.path("sex"),
                    format!("性别「{}」与身份号码（{}）不符", s.label_zh(), id_sex.label_zh()),
                ),
                _ => sex = Some(id_sex),
            }
            match birth_date {
                Some(b) if b != info.birth_date => i.error(
                    ErrorCode::IdNumberBirthMismatch,
                    f.path("birth_date"),
                    format!("出生日期{}与身份号码中的{}不符", date_zh(b), date_zh(info.birth_date)),
                ),
                _ => birth_date = Some(info.birth_date),
            }
        }

        // Checked on the values read, so a blank string does not pass for a filled-in field.
        if category == Some(ResidentCategory::Floating) {
            for (key, present) in [("stay_from", stay_from.is_some()), ("stay_to", stay_to.is_some())] {
                i.require(present, f.path(key), format!("流动/暂住人员须填写「{}」", f.label(key)));
            }
        }
        if category == Some(ResidentCategory::Foreign) {
            for (key, present) in [
                ("foreign_nationality", foreign_nationality.is_some()),
                ("foreign_doc_type", foreign_doc_type.is_some()),
                ("foreign_doc_no", foreign_doc_no.is_some()),
            ] {
                i.require(present, f.path(key), format!("境外人员须填写「{}」", f.label(key)));
            }
        }
        if let (Some(from), Some(to)) = (stay_from, stay_to)
            && to < from
        {
            i.error(ErrorCode::EndBeforeStart, f.path("stay_to"), "居住截止日期早于起始日期");
        }
        if !i.is_ok() {
            return None;
        }
        Some(Resident {
            household_id,
            name: name?,
            former_name,
            sex: sex?,
            ethnicity,
            birth_date: birth_date?,
            id_number: id_info.map(|info| info.normalized),
            category: category?,
            phone,
            relation_to_head,
            occupation,
            stay_from,
            stay_to,
            foreign_nationality,
            foreign_doc_type,
            foreign_doc_no,
            notes,
        })
    }

    fn record_date(&self) -> Option<NaiveDate> {
        None
    }

    fn household_id(&self) -> Option<Uuid> {
        self.household_id
    }

    fn unique_numbers(&self) -> Vec<(&'static str, String)> {
        self.id_number.iter().map(|n| ("id_number", n.clone())).collect()
    }

    fn title(&self) -> String {
        format!(
            "{}（{}，{}年生，{}）",
            self.name,
            self.sex.label_zh(),
            chrono::Datelike::year(&self.birth_date),
            self.category.label_zh()
        )
    }

    fn search_doc(&self) -> SearchDoc {
        SearchDoc {
            names: [Some(&self.name), self.former_name.as_ref()].into_iter().flatten().cloned().collect(),
            numbers: [self.id_number.as_ref(), self.phone.as_ref(), self.foreign_doc_no.as_ref()]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            places: Vec::new(),
            text: [self.occupation.as_deref(), self.notes.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}
