//! `cunjing demo`: fills an empty office database with realistic, deterministic synthetic data.
//!
//! Every record is built as the JSON input the CLI or the UI would send (canonical field names)
//! and written through the store's normal write path — validation, references, numbering, the
//! change log, the audit chain and the search index all apply — in batches of a few thousand
//! records per transaction, so a big office (≈100,000 records) does not pay one fsync each.
//! Disputes move through their workflow by updates, so their history is real history.
//!
//! Determinism: one seed and one "today" (the store's clock) give the same records, field for
//! field; only record ids and the store's timestamps differ between runs. No date lies after
//! today, except the planned end of a floating resident's registered stay (`stay_to`).

pub mod app;
mod dice;
mod disputes;
mod ledgers;
mod names;
mod people;
mod roster;
pub mod station;
mod work;

use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::clock::Clock;
use crate::domain::{CodeEnum, RegisterKind};
use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::store::{NewOffice, Store};
use crate::vault::DbKey;

use dice::Dice;
use people::People;

pub use disputes::STATES as DISPUTE_STATES;

/// Records per write transaction: big enough that the commit's fsync is negligible, small
/// enough that one transaction's memory and the lock it holds stay modest.
pub const BATCH: usize = 2000;

/// About one officer or auxiliary per this many households.
pub const HOUSEHOLDS_PER_OFFICER: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    pub households: usize,
    /// Years of work before today (the current month counts as the last one).
    pub years: u32,
    pub seed: u64,
}

impl Default for DemoConfig {
    /// The "big office": 6,000 households over 10 years.
    fn default() -> Self {
        DemoConfig { households: 6000, years: 10, seed: 2026 }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub households: usize,
    pub residents: usize,
    pub visits: usize,
    pub patrols: usize,
    pub disputes: usize,
    /// Updates that moved disputes through their workflow.
    pub dispute_updates: usize,
    /// Disputes per final status, in workflow order.
    pub disputes_by_status: Vec<(&'static str, usize)>,
    pub villages: usize,
    pub officers: Vec<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Warnings the store gave (expected: none).
    pub warnings: usize,
    /// Records of the other books (teams, work log, meetings, …), per register.
    pub others: Vec<(RegisterKind, usize)>,
}

impl DemoSummary {
    pub fn counts(&self) -> Vec<(RegisterKind, usize)> {
        let mut all = vec![
            (RegisterKind::Households, self.households),
            (RegisterKind::Residents, self.residents),
            (RegisterKind::Visits, self.visits),
            (RegisterKind::Patrols, self.patrols),
            (RegisterKind::Disputes, self.disputes),
        ];
        all.extend(self.others.iter().copied());
        all
    }
}

/// The office a demo database gets when the file is new.
pub fn demo_office() -> NewOffice {
    NewOffice {
        code: "DEMO-01".into(),
        name: "演示警务室".into(),
        officer: "张警官".into(),
        police_number: "036001".into(),
        officer_phone: "13807950001".into(),
        station_name: "演示派出所".into(),
        station_phone: "0795-4561110".into(),
    }
}

/// Opens the database for a demo: creates it with [`demo_office`] when the file does not exist,
/// sets the office up when the file has none yet, and refuses a database that holds records
/// (demo data must never mix with a real office's ledgers).
pub fn open_store(path: &Path, key: &DbKey, clock: Arc<dyn Clock>) -> CoreResult<Store> {
    if !path.exists() {
        return Store::create(path, &demo_office(), key, clock);
    }
    let store = Store::open(path, key, clock)?;
    refuse_records(&store)?;
    if !store.has_office()? {
        store.init_office(&demo_office())?;
    }
    Ok(store)
}

/// The whole `cunjing demo`: checks the settings before any file is made, opens or creates the
/// database ([`open_store`]) and fills it ([`fill`]).
pub fn create_and_fill(
    path: &Path,
    key: &DbKey,
    clock: Arc<dyn Clock>,
    config: &DemoConfig,
    progress: &mut dyn FnMut(&str),
) -> CoreResult<DemoSummary> {
    check(config)?;
    let store = open_store(path, key, clock)?;
    fill(&store, config, progress)
}

fn refuse_records(store: &Store) -> CoreResult<()> {
    let n: i64 = store.reader().query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
    if n > 0 {
        // OfficeExists: like `init` on a used file, a refusal about the file, not the input.
        return Err(CoreError::refused(
            ErrorCode::OfficeExists,
            "",
            format!(
                "数据库 {} 已有 {n} 条记录；演示数据只能填入空的警务室数据库，以免与真实台账混在一起。请用 --db 指定一个新文件",
                store.path().display()
            ),
        ));
    }
    Ok(())
}

fn check(config: &DemoConfig) -> CoreResult<()> {
    let mut errors = Vec::new();
    if !(1..=100_000).contains(&config.households) {
        errors.push(FieldError::new(ErrorCode::OutOfRange, "households", "户数应在 1 到 100000 之间"));
    }
    if !(1..=30).contains(&config.years) {
        errors.push(FieldError::new(ErrorCode::OutOfRange, "years", "年数应在 1 到 30 之间"));
    }
    if errors.is_empty() { Ok(()) } else { Err(CoreError::Invalid(errors)) }
}

/// A JSON object built field by field; absent optional fields are left out, as the UI does.
#[derive(Debug, Clone, Default)]
pub(crate) struct Obj(Map<String, Value>);

impl Obj {
    pub fn new() -> Obj {
        Obj::default()
    }

    pub fn put(mut self, key: &str, value: impl Into<Value>) -> Obj {
        self.0.insert(key.to_string(), value.into());
        self
    }

    pub fn opt(self, key: &str, value: Option<impl Into<Value>>) -> Obj {
        match value {
            Some(v) => self.put(key, v),
            None => self,
        }
    }
}

impl From<Obj> for Value {
    fn from(o: Obj) -> Value {
        Value::Object(o.0)
    }
}

/// A calendar month of the demo's span; `last` is today in the current month.
pub(crate) struct Month {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub days_in_month: u32,
}

fn months(today: NaiveDate, years: u32) -> Vec<Month> {
    let this_month = today.with_day(1).unwrap_or(today);
    let start = this_month.checked_sub_months(Months::new(years * 12 - 1)).unwrap_or(this_month);
    let mut out = Vec::new();
    let mut first = start;
    while first <= this_month {
        let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
        let end = next.pred_opt().unwrap_or(first);
        out.push(Month { first, last: end.min(today), days_in_month: end.day() });
        if next == first {
            break;
        }
        first = next;
    }
    out
}

/// Writes batches and keeps count.
struct Writer<'a> {
    store: &'a Store,
    warnings: usize,
    progress: &'a mut dyn FnMut(&str),
}

impl Writer<'_> {
    fn add(&mut self, kind: RegisterKind, inputs: &[Value]) -> CoreResult<Vec<Uuid>> {
        let mut ids = Vec::with_capacity(inputs.len());
        for chunk in inputs.chunks(BATCH) {
            let saved = self.store.add_batch(kind, chunk)?;
            self.warnings += saved.iter().map(|s| s.warnings.len()).sum::<usize>();
            ids.extend(saved.iter().map(|s| s.id));
        }
        Ok(ids)
    }

    fn update(&mut self, kind: RegisterKind, patches: &[(Uuid, Value)]) -> CoreResult<usize> {
        for chunk in patches.chunks(BATCH) {
            let saved = self.store.update_batch(kind, chunk)?;
            self.warnings += saved.iter().map(|s| s.warnings.len()).sum::<usize>();
        }
        Ok(patches.len())
    }

    fn say(&mut self, text: &str) {
        (self.progress)(text);
    }
}

/// Fills the store (which must hold no records) with a demo office's data. `progress` hears a
/// line per finished stage, in Chinese, for the user watching.
pub fn fill(store: &Store, config: &DemoConfig, progress: &mut dyn FnMut(&str)) -> CoreResult<DemoSummary> {
    check(config)?;
    store.office()?;
    refuse_records(store)?;
    let today = store.today();
    let months = months(today, config.years);
    let from = months.first().map(|m| m.first).unwrap_or(today);
    let mut w = Writer { store, warnings: 0, progress };

    // --- the roster ---
    let mut people = People::new(today);
    let mut dice = Dice::new(config.seed, 1);
    let roster::Roster { villages, homes } = roster::make_roster(&mut dice, &mut people, config.households, today);
    let inputs: Vec<Value> = homes.iter().map(|h| roster::household_input(h, &villages)).collect();
    let household_ids: Vec<String> = w.add(RegisterKind::Households, &inputs)?.iter().map(Uuid::to_string).collect();
    w.say(&format!("住户 {} 户（{} 个行政村）", homes.len(), villages.len()));
    let mut residents = 0;
    let mut pending = Vec::new();
    for (home, id) in homes.iter().zip(&household_ids) {
        pending.extend(home.members.iter().map(|m| roster::resident_input(m, id)));
        if pending.len() >= BATCH {
            residents += w.add(RegisterKind::Residents, &pending)?.len();
            pending.clear();
        }
    }
    residents += w.add(RegisterKind::Residents, &pending)?.len();
    w.say(&format!("实有人口 {residents} 人"));

    // --- each village's volunteer team and its members (patrols name them) ---
    let mut others: Vec<(RegisterKind, usize)> = Vec::new();
    let mut team_dice = Dice::new(config.seed, 6);
    let team_inputs: Vec<Value> = villages.iter().map(|v| ledgers::team_input(v, from)).collect();
    let team_ids: Vec<String> = w.add(RegisterKind::Teams, &team_inputs)?.iter().map(Uuid::to_string).collect();
    let mut teams = Vec::new();
    let mut member_total = 0;
    for (village, team_id) in villages.iter().zip(&team_ids) {
        let inputs = ledgers::member_inputs(&mut team_dice, village, team_id, from, today);
        let ids: Vec<String> = w.add(RegisterKind::TeamMembers, &inputs)?.iter().map(Uuid::to_string).collect();
        member_total += ids.len();
        teams.push(ledgers::TeamIds { team: team_id.clone(), members: ids });
    }
    others.push((RegisterKind::Teams, team_ids.len()));
    others.push((RegisterKind::TeamMembers, member_total));
    w.say(&format!("群防群治队伍 {} 支，队员 {member_total} 人", team_ids.len()));

    // --- officers, visits and patrols, month by month ---
    let officer_count = config.households.div_ceil(HOUSEHOLDS_PER_OFFICER).max(1);
    let mut officer_names: Vec<String> = names::OFFICERS.iter().take(officer_count).map(|s| s.to_string()).collect();
    let mut name_dice = Dice::new(config.seed, 2);
    while officer_names.len() < officer_count {
        // More officers than the list: made-up names, each once.
        let surname = people.surname(&mut name_dice, None);
        let p = people.person(&mut name_dice, surname, true, 35, None);
        if !officer_names.contains(&p.name) {
            officer_names.push(p.name);
        }
    }
    let mut officers = work::officers(officer_names, &homes);
    let mut officer_of = vec![String::new(); homes.len()];
    for o in &officers {
        for &h in &o.homes {
            officer_of[h].clone_from(&o.name);
        }
    }
    let mut visit_dice = Dice::new(config.seed, 3);
    let mut patrol_dice = Dice::new(config.seed, 4);
    let (mut visits, mut patrols) = (0, 0);
    let (mut visit_batch, mut patrol_batch) = (Vec::new(), Vec::new());
    for month in &months {
        let mut month_visits: Vec<(NaiveDate, Value)> = Vec::new();
        for officer in officers.iter_mut() {
            month_visits.extend(work::month_visits(&mut visit_dice, officer, month, &homes, &villages, &household_ids));
        }
        // Entered in date order, as a ledger fills.
        month_visits.sort_by_key(|(d, _)| *d);
        visit_batch.extend(month_visits.into_iter().map(|(_, v)| v));
        patrol_batch.extend(
            work::month_patrols(&mut patrol_dice, &officers, &villages, &teams, month).into_iter().map(|(_, v)| v),
        );
        if visit_batch.len() >= BATCH {
            visits += w.add(RegisterKind::Visits, &visit_batch)?.len();
            visit_batch.clear();
        }
        if patrol_batch.len() >= BATCH {
            patrols += w.add(RegisterKind::Patrols, &patrol_batch)?.len();
            patrol_batch.clear();
        }
    }
    visits += w.add(RegisterKind::Visits, &visit_batch)?.len();
    patrols += w.add(RegisterKind::Patrols, &patrol_batch)?.len();
    w.say(&format!("入户走访 {visits} 次（{} 名民警/辅警）", officers.len()));
    w.say(&format!("巡逻 {patrols} 次"));

    // --- disputes: about one a year for every six households ---
    let adults: Vec<disputes::Adult> = homes
        .iter()
        .enumerate()
        .flat_map(|(h, home)| {
            home.members
                .iter()
                .enumerate()
                .filter(|(_, m)| m.category != "away")
                .map(move |(member, _)| disputes::Adult { home: h, member })
        })
        .collect();
    let scene = disputes::Scene { homes: &homes, villages: &villages, adults: &adults, officer_of: &officer_of };
    let mut dispute_dice = Dice::new(config.seed, 5);
    let per_month = config.households as f64 / 6.0 / 12.0;
    let mut plans = Vec::new();
    for month in &months {
        let share = f64::from(month.last.day()) / f64::from(month.days_in_month);
        let expected = per_month * share * (0.7 + 0.6 * dispute_dice.range(0, 1000) as f64 / 1000.0);
        let n = expected.floor() as usize + usize::from(dispute_dice.chance(expected.fract()));
        let span = (month.last - month.first).num_days();
        let mut dates: Vec<NaiveDate> = (0..n).map(|_| dispute_dice.days_after(month.first, 0, span)).collect();
        dates.sort();
        for date in dates {
            if let Some(plan) = disputes::plan(&mut dispute_dice, &mut people, &scene, date, today) {
                plans.push(plan);
            }
        }
    }
    cover_every_state(&mut dispute_dice, &mut plans, today);
    let mut disputes_added = 0;
    let mut updates = 0;
    for group in plans.chunks(BATCH) {
        let inputs: Vec<Value> = group.iter().map(|p| p.input.clone()).collect();
        let ids = w.add(RegisterKind::Disputes, &inputs)?;
        disputes_added += ids.len();
        let patches: Vec<(Uuid, Value)> =
            group.iter().zip(&ids).flat_map(|(p, id)| p.updates().into_iter().map(move |u| (*id, u))).collect();
        updates += w.update(RegisterKind::Disputes, &patches)?;
    }
    let disputes_by_status: Vec<(&'static str, usize)> =
        disputes::STATES.iter().map(|s| (*s, plans.iter().filter(|p| p.final_status() == *s).count())).collect();
    w.say(&format!("纠纷 {disputes_added} 起（流程更新 {updates} 次）"));

    // --- the other books ---
    let officer_of_village = |v: usize| {
        officers.iter().find(|o| o.village == v).or(officers.first()).map(|o| o.name.clone()).unwrap_or_default()
    };
    let mut book_dice = Dice::new(config.seed, 7);
    let mut work_log = Vec::new();
    let mut meetings = Vec::new();
    let mut notices = Vec::new();
    let mut intel = Vec::new();
    let mut surveys = Vec::new();
    for (i, month) in months.iter().enumerate() {
        for officer in &officers {
            work_log.extend(ledgers::month_work_log(&mut book_dice, officer, &villages, month, today));
            if month.first.month().is_multiple_of(3) || i + 1 == months.len() {
                intel.extend(ledgers::quarter_intel(&mut book_dice, officer, month, today));
            }
        }
        for (v, village) in villages.iter().enumerate() {
            meetings.extend(ledgers::meeting(&mut book_dice, village, &officer_of_village(v), month));
            surveys.extend(ledgers::survey(&mut book_dice, village, &officer_of_village(v), month));
        }
        notices.extend(ledgers::notice(&mut book_dice, month, &officer_of_village(0), villages.len()));
    }
    let mut services = Vec::new();
    for officer in &officers {
        services.extend(ledgers::officer_services(&mut book_dice, officer, &homes, &household_ids, &months, today));
    }
    let key_persons = ledgers::key_persons(&mut book_dice, &officers, &homes, &household_ids, &villages, from, today);
    for (kind, mut rows) in [
        (RegisterKind::WorkLog, work_log),
        (RegisterKind::Meetings, meetings),
        (RegisterKind::Services, services),
        (RegisterKind::Notices, notices),
        (RegisterKind::Intel, intel),
        (RegisterKind::KeyPersons, key_persons),
        (RegisterKind::Surveys, surveys),
    ] {
        // Entered in date order, as a ledger fills (notices are numbered in that order).
        rows.sort_by_key(|(d, _)| *d);
        let inputs: Vec<Value> = rows.into_iter().map(|(_, v)| v).collect();
        let n = w.add(kind, &inputs)?.len();
        w.say(&format!("{} {n} 条", kind.label_zh()));
        others.push((kind, n));
    }

    Ok(DemoSummary {
        households: homes.len(),
        residents,
        visits,
        patrols,
        disputes: disputes_added,
        dispute_updates: updates,
        disputes_by_status,
        villages: villages.len(),
        officers: officers.iter().map(|o| o.name.clone()).collect(),
        from,
        to: today,
        warnings: w.warnings,
        others,
    })
}

/// Makes sure every workflow state appears: while one is missing, the most recent dispute whose
/// state is shared with another dispute is re-planned to end in the missing one.
fn cover_every_state(dice: &mut Dice, plans: &mut [disputes::Plan], today: NaiveDate) {
    for _ in 0..disputes::STATES.len() {
        let count = |plans: &[disputes::Plan], s: &str| plans.iter().filter(|p| p.final_status() == s).count();
        let Some(missing) = disputes::STATES.iter().find(|s| count(plans, s) == 0) else {
            return;
        };
        let Some(i) = (0..plans.len()).rev().find(|&i| count(plans, plans[i].final_status()) > 1) else {
            return;
        };
        plans[i].force(dice, missing, today);
    }
}
