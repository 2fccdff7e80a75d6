//! What every register (台账) has in common: its kind, how it is read from JSON input, and what
//! the store needs to know about a record (its date, its household, its search terms).

use chrono::NaiveDate;
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use crate::domain::codes::{CodeEnum, code_enum};
use crate::validate::fields::{Fields, Issues};

code_enum! {
    /// The registers. The code is the CLI's `<register>` argument and the bundle's table name.
    RegisterKind, "台账" {
        Households = "households", "住户登记", "Households";
        Residents = "residents", "实有人口登记", "Residents";
        Disputes = "disputes", "纠纷调处登记簿", "Dispute mediation";
        Patrols = "patrols", "巡逻登记", "Patrol log";
        Visits = "visits", "入户走访登记", "Household visits";
        Teams = "teams", "群防群治队伍登记簿", "Volunteer teams";
        TeamMembers = "team_members", "群防群治队员登记", "Team members";
        WorkLog = "work_log", "民警工作日志", "Work log";
        Meetings = "meetings", "村（社区）会议记录", "Village meetings";
        Services = "services", "为民服务登记", "Services to residents";
        Notices = "notices", "警情社情通报", "Public notices";
        Intel = "intel", "情报信息登记", "Intelligence";
        KeyPersons = "key_persons", "重点对象/关注对象", "Persons of concern";
        Surveys = "surveys", "民意测评", "Satisfaction surveys";
    }
}

impl RegisterKind {
    /// Restricted registers (重点对象/关注对象): every view is audited, they never appear on a
    /// public print, in global search results or in a table export unless asked for by name.
    pub fn is_restricted(self) -> bool {
        matches!(self, RegisterKind::KeyPersons)
    }
}

/// Finds the Chinese label of a code of one enumeration.
pub type CodeLookup = fn(&str) -> Option<&'static str>;

/// The [`CodeLookup`] of enumeration `C`.
pub fn zh<C: CodeEnum>(code: &str) -> Option<&'static str> {
    C::from_code(code).map(C::label_zh)
}

/// Facts a register's rules need from outside the record itself.
#[derive(Debug, Clone, Copy)]
pub struct ParseCtx {
    /// Today at the office (from the injected clock): event dates may not be later.
    pub today: NaiveDate,
}

/// Another record a record points to, checked by the store (it must exist and not be voided).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub field: String,
    pub register: RegisterKind,
    pub id: Uuid,
}

/// What the search index keeps for a record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// People's names (surname rule applies for pinyin).
    pub names: Vec<String>,
    /// 公民身份号码 and phone numbers, searched by fragment.
    pub numbers: Vec<String>,
    /// Villages, groups and places.
    pub places: Vec<String>,
    /// Longer free text (summaries, concerns), searched by substring.
    pub text: String,
}

/// One register's record type and rules.
pub trait Register: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    const KIND: RegisterKind;
    /// Chinese labels of the fields, for messages and the UI.
    const LABELS: &'static [(&'static str, &'static str)];
    /// Fields the store sets; input that names them is refused.
    const READ_ONLY: &'static [&'static str] = &[];
    /// Fields (top-level or nested) that hold codes, with the lookup of their Chinese labels,
    /// so records can be shown to people without raw codes.
    const CODE_FIELDS: &'static [(&'static str, CodeLookup)] = &[];

    /// Reads and validates a whole record from JSON. `before` is the stored version on update
    /// (workflow rules compare the two). Returns `None` when `issues` holds errors.
    fn parse(f: &Fields, before: Option<&Self>, ctx: &ParseCtx, issues: &mut Issues) -> Option<Self>;

    /// The date the record is filed under (sorting, date ranges, numbering).
    fn record_date(&self) -> Option<NaiveDate>;

    /// The household the record belongs to, if any (lists of a household's residents and visits).
    fn household_id(&self) -> Option<Uuid> {
        None
    }

    /// Records this one points to.
    fn references(&self) -> Vec<Reference> {
        self.household_id()
            .map(|id| Reference { field: "household_id".into(), register: RegisterKind::Households, id })
            .into_iter()
            .collect()
    }

    /// Takes what it keeps of the household it points to (a visit keeps the head's name and
    /// the address as they were on the day, as the paper ledger row does).
    fn snapshot_household(&mut self, _household: &crate::domain::Household) {}

    /// Fields that [`Register::snapshot_household`] fills, cleared when the household changes.
    const HOUSEHOLD_SNAPSHOT: &'static [&'static str] = &[];

    /// Values no two live records of this register may share (field, value): one person, one
    /// roster entry. Checked by the store against the search index's number terms.
    fn unique_numbers(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }

    /// A one-line description for lists and search results.
    fn title(&self) -> String;

    /// What search finds the record by.
    fn search_doc(&self) -> SearchDoc;

    /// For registers numbered per office per year (`2026-纠-001`): the year and the register's
    /// character in the number.
    fn numbering(&self) -> Option<(i32, &'static str)> {
        None
    }

    /// Receives the number the store assigned.
    fn set_record_no(&mut self, _no: String) {}
}
