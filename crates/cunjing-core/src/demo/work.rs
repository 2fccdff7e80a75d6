//! The officers' everyday work: household visits (about 30 households a month each, at least one
//! of them a key-person household, 篇4) and patrols (officer-led, joint, and the volunteer teams'
//! own — at least 8 a month per team, the local rule).

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::Value;

use crate::demo::dice::Dice;
use crate::demo::ledgers::TeamIds;
use crate::demo::names::*;
use crate::demo::roster::{Home, Village};
use crate::demo::{Month, Obj};

/// An officer (or auxiliary) and the households of their area (责任区), by roster index.
pub struct Officer {
    pub name: String,
    pub homes: Vec<usize>,
    /// The village most of the area lies in: where the officer leads patrols.
    pub village: usize,
    /// Households still to visit in this round, and key-person households likewise; each list
    /// is refilled in a new random order when used up, so every household is seen in turn.
    queue: Vec<usize>,
    key_queue: Vec<usize>,
}

pub fn officers(names: Vec<String>, homes: &[Home]) -> Vec<Officer> {
    let n = names.len().max(1);
    names
        .into_iter()
        .enumerate()
        .map(|(o, name)| {
            let area: Vec<usize> = (o * homes.len() / n..(o + 1) * homes.len() / n).collect();
            let village = area.get(area.len() / 2).map(|&h| homes[h].village).unwrap_or(0);
            Officer { name, homes: area, village, queue: Vec::new(), key_queue: Vec::new() }
        })
        .collect()
}

/// The share of a month that has happened by `today` (1 for past months).
fn elapsed_share(month: &Month) -> f64 {
    f64::from(month.last.day()) / f64::from(month.days_in_month)
}

/// `n` dates of the month, sorted, on working days mostly (a tenth may fall at the weekend).
fn work_dates(dice: &mut Dice, month: &Month, n: usize) -> Vec<NaiveDate> {
    let days: Vec<NaiveDate> = month.first.iter_days().take_while(|d| *d <= month.last).collect();
    let weekdays: Vec<NaiveDate> =
        days.iter().copied().filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).collect();
    let mut out: Vec<NaiveDate> = (0..n)
        .map(|_| if weekdays.is_empty() || dice.chance(0.1) { dice.pick(&days) } else { dice.pick(&weekdays) })
        .collect();
    out.sort();
    out
}

fn next_from(dice: &mut Dice, queue: &mut Vec<usize>, pool: &[usize]) -> Option<usize> {
    if queue.is_empty() {
        let order = dice.distinct(pool.len(), pool.len());
        // Popped from the back: reversed so the drawn order is the visiting order.
        queue.extend(order.into_iter().rev().map(|i| pool[i]));
    }
    queue.pop()
}

/// One month of one officer's visits, as (date, input) with the household's roster index.
pub fn month_visits(
    dice: &mut Dice,
    officer: &mut Officer,
    month: &Month,
    homes: &[Home],
    villages: &[Village],
    household_ids: &[String],
) -> Vec<(NaiveDate, Value)> {
    if officer.homes.is_empty() {
        return Vec::new();
    }
    let full = dice.range(27, 34) as f64;
    let n = (full * elapsed_share(month)).round() as usize;
    let dates = work_dates(dice, month, n);
    let keys: Vec<usize> = officer.homes.iter().copied().filter(|&h| homes[h].has("key_person")).collect();
    let mut picked: Vec<usize> = Vec::with_capacity(n);
    // The month's one key-person visit (篇4) comes first in the plan, on whatever day it falls.
    if n > 0
        && let Some(h) = next_from(dice, &mut officer.key_queue, &keys)
    {
        picked.push(h);
    }
    let mut guard = 0;
    while picked.len() < n && guard < n * 4 {
        guard += 1;
        let pool = officer.homes.clone();
        if let Some(h) = next_from(dice, &mut officer.queue, &pool)
            && (!picked.contains(&h) || officer.homes.len() < n)
        {
            picked.push(h);
        }
    }
    // The key-person visit on a random day of the month, not always the first.
    if picked.len() > 1 {
        let j = dice.below(picked.len());
        picked.swap(0, j);
    }
    dates
        .into_iter()
        .zip(picked)
        .map(|(date, h)| (date, visit(dice, officer, date, &homes[h], villages, &household_ids[h])))
        .collect()
}

fn visit(dice: &mut Dice, officer: &Officer, date: NaiveDate, home: &Home, villages: &[Village], id: &str) -> Value {
    let method = dice.weighted(&[("in_home", 75), ("phone", 12), ("on_site", 13)]);
    let mut purposes: Vec<&str> = Vec::new();
    if home.has("key_person") {
        purposes.extend(["info_check", "dispute_screening"]);
    }
    if home.has("hardship") {
        purposes.push("aid");
    }
    if home.has("left_behind") {
        purposes.push("safety_publicity");
    }
    let extra = dice.range(if purposes.is_empty() { 1 } else { 0 }, 2);
    for _ in 0..extra {
        let p = dice.weighted(&[
            ("info_check", 30),
            ("safety_publicity", 30),
            ("dispute_screening", 15),
            ("opinion", 15),
            ("certificate_service", 6),
            ("aid", 4),
        ]);
        if !purposes.contains(&p) {
            purposes.push(p);
        }
    }
    let present = home.present().count().max(1) as i64;
    let people_talked = if method == "phone" { 1 } else { dice.range(1, present.min(4)) };
    let mut o = Obj::new()
        .put("date", date.to_string())
        .put("officer", officer.name.as_str())
        .put("household_id", id)
        .put("method", method)
        .put("purposes", purposes)
        .put("people_talked", people_talked);
    let village = &villages[home.village];
    if method != "phone" && dice.chance(0.35) {
        let companion = match village.team.first() {
            Some(captain) if dice.chance(0.6) => format!("{}治保主任{captain}", village.name),
            _ => format!("辅警{}", dice.pick(&["小李", "小王", "小陈", "小刘"])),
        };
        o = o.put("companions", companion);
    }
    let concerns = dice.chance(0.3).then(|| dice.pick(VISIT_CONCERNS));
    let hazards = (method != "phone" && dice.chance(0.1)).then(|| dice.pick(VISIT_HAZARDS));
    if concerns.is_some() || hazards.is_some() {
        o = o.opt("concerns", concerns).opt("hazards", hazards).put("response", dice.pick(VISIT_RESPONSES));
    }
    let satisfaction = dice.weighted(&[("satisfied", 86), ("basically", 12), ("unsatisfied", 2)]);
    o.put("satisfaction", satisfaction).into()
}

/// One month of patrols: each village team's own (8–10 in a full month), and per officer 3–5
/// officer-led and 1–3 joint ones. Sorted by date.
pub fn month_patrols(
    dice: &mut Dice,
    officers: &[Officer],
    villages: &[Village],
    teams: &[TeamIds],
    month: &Month,
) -> Vec<(NaiveDate, Value)> {
    let share = elapsed_share(month);
    let scaled = |dice: &mut Dice, lo: i64, hi: i64| (dice.range(lo, hi) as f64 * share).round() as usize;
    let mut out = Vec::new();
    for (v, village) in villages.iter().enumerate() {
        let n = scaled(dice, 8, 10);
        for date in work_dates(dice, month, n) {
            out.push((date, patrol(dice, "volunteer", None, village, teams.get(v), date)));
        }
    }
    for officer in officers {
        let village = &villages[officer.village];
        let led = scaled(dice, 3, 5);
        for date in work_dates(dice, month, led) {
            out.push((date, patrol(dice, "officer_led", Some(&officer.name), village, None, date)));
        }
        let joint = scaled(dice, 1, 3);
        for date in work_dates(dice, month, joint) {
            out.push((date, patrol(dice, "joint", Some(&officer.name), village, teams.get(officer.village), date)));
        }
    }
    // Stable sort: one seed, one order.
    out.sort_by_key(|(date, _)| *date);
    out
}

fn patrol(
    dice: &mut Dice,
    kind: &str,
    officer: Option<&str>,
    village: &Village,
    team_ids: Option<&TeamIds>,
    date: NaiveDate,
) -> Value {
    let mode = match kind {
        "volunteer" => dice.weighted(&[("foot", 70), ("bicycle", 20), ("motorcycle", 10)]),
        _ => dice.weighted(&[("vehicle", 40), ("motorcycle", 20), ("foot", 30), ("bicycle", 10)]),
    };
    // Day, evening or night; a fifth of the night patrols run past midnight.
    let (start, minutes) = match dice.range(0, 9) {
        0..=3 => (dice.range(16, 21) * 30, dice.range(3, 6) * 30),
        4..=6 => (dice.range(38, 42) * 30, dice.range(4, 6) * 30),
        _ => (dice.range(43, 46) * 30, dice.range(3, 8) * 30),
    };
    let end = start + minutes;
    let hhmm = |m: i64| format!("{:02}:{:02}", (m / 60) % 24, m % 60);
    let crosses_midnight = end >= 24 * 60;
    let g1 = dice.below(village.groups);
    let g2 = (g1 + 1 + dice.below(3)) % village.groups.max(1);
    let landmark = dice.pick(LANDMARKS);
    let route = if g2 == g1 {
        format!("{}{}、{landmark}", village.name, GROUPS[g1])
    } else {
        format!("{}{}至{}、{landmark}", village.name, GROUPS[g1], GROUPS[g2])
    };
    let team = &village.team;
    let want = match kind {
        "volunteer" => dice.range(3, 6),
        "joint" => dice.range(3, 5),
        _ => dice.range(0, 2),
    } as usize;
    let chosen = dice.distinct(team.len(), want);
    let mut members: Vec<String> = chosen.iter().map(|&i| team[i].clone()).collect();
    // Volunteer and joint patrols name the team and which of its members went.
    let member_ids: Vec<String> =
        team_ids.map(|t| chosen.iter().filter_map(|&i| t.members.get(i).cloned()).collect()).unwrap_or_default();
    if kind == "officer_led" && dice.chance(0.5) {
        members.push("辅警".to_string() + dice.pick(&["李伟", "王磊", "陈刚", "刘洋"]));
    }
    if kind == "volunteer" && members.is_empty() {
        members.push(format!("{}队员", village.team_name));
    }
    let headcount = members.len() as i64 + i64::from(officer.is_some());
    let recorder = officer.map(str::to_string).or_else(|| members.first().cloned()).unwrap_or_default();
    let mut o = Obj::new()
        .put("date", date.to_string())
        .put("start_time", hhmm(start))
        .put("end_time", hhmm(end))
        .put("kind", kind)
        .put("mode", mode)
        .put("route", route)
        .opt("leader", officer)
        .put("members", members)
        .put("headcount", headcount)
        .put("recorder", recorder);
    if let Some(t) = team_ids
        && kind != "officer_led"
    {
        o = o.put("team_id", t.team.clone()).put("team_member_ids", member_ids);
    }
    if crosses_midnight {
        o = o.put("crosses_midnight", true);
    }
    if dice.chance(0.003) {
        let (findings, handling) = PATROL_ARREST;
        o = o
            .put("findings", findings)
            .put("handling", handling)
            .put("checked_count", dice.range(1, 3))
            .put("arrests", 1);
    } else if dice.chance(0.25) {
        let (findings, handling) = dice.pick(PATROL_FINDINGS);
        o = o.put("findings", findings).put("handling", handling).put("checked_count", dice.range(0, 4));
    }
    o.into()
}
