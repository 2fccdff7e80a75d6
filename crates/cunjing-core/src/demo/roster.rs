//! The roster: villages with their 村民小组, households and the people living in them
//! (registered families, people registered here but working elsewhere, tenants and whole
//! households of floating people, a few foreign spouses).

use chrono::{Duration, NaiveDate};
use serde_json::Value;

use crate::demo::Obj;
use crate::demo::dice::Dice;
use crate::demo::names::*;
use crate::demo::people::{People, Person};

pub struct Village {
    pub name: &'static str,
    pub clan: Option<&'static str>,
    pub groups: usize,
    /// The volunteer team (治保会 / 巡防队): its name and members, captain first.
    pub team_name: String,
    pub team: Vec<String>,
}

pub struct Member {
    pub person: Person,
    pub relation: &'static str,
    /// `registered`, `away`, `floating` or `foreign`.
    pub category: &'static str,
    pub ethnicity: Option<&'static str>,
    pub occupation: Option<&'static str>,
    pub stay_from: Option<NaiveDate>,
    /// The end of a floating person's registered stay: a planned date, so it may lie ahead.
    pub stay_to: Option<NaiveDate>,
    pub foreign: Option<(&'static str, &'static str, String)>,
}

pub struct Home {
    pub village: usize,
    pub group: &'static str,
    pub house_no: String,
    pub tags: Vec<&'static str>,
    pub notes: Option<&'static str>,
    /// The head first.
    pub members: Vec<Member>,
}

impl Home {
    pub fn address(&self, villages: &[Village]) -> String {
        format!("{}{}{}", villages[self.village].name, self.group, self.house_no)
    }

    pub fn has(&self, tag: &str) -> bool {
        self.tags.contains(&tag)
    }

    pub fn head(&self) -> &Member {
        &self.members[0]
    }

    /// People actually living there (not the ones registered here but away).
    pub fn present(&self) -> impl Iterator<Item = &Member> {
        self.members.iter().filter(|m| m.category != "away")
    }
}

/// Household sizes before tenants: mean ≈ 3.1, so with tenants the roster holds ≈ 3.3 people a
/// household (the 6,000 households ≈ 20,000 residents).
const SIZES: &[(usize, u32)] = &[(1, 12), (2, 23), (3, 26), (4, 22), (5, 11), (6, 6)];

pub struct Roster {
    pub villages: Vec<Village>,
    pub homes: Vec<Home>,
}

pub fn make_roster(dice: &mut Dice, people: &mut People, households: usize, today: NaiveDate) -> Roster {
    let village_count = (households / 600).clamp(2, VILLAGES.len()).min(households.max(1));
    // Villages differ in size (0.7–1.3 of the mean); each has one 村民小组 per ~60 households.
    let weights: Vec<i64> = (0..village_count).map(|_| dice.range(70, 130)).collect();
    let total: i64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights.iter().map(|w| (households as i64 * w / total) as usize).collect();
    let assigned: usize = sizes.iter().sum();
    if let Some(first) = sizes.first_mut() {
        *first += households - assigned;
    }
    let mut villages: Vec<Village> = VILLAGES[..village_count]
        .iter()
        .zip(&sizes)
        .map(|((name, clan), size)| Village {
            name,
            clan: *clan,
            groups: size.div_ceil(60).clamp(2, GROUPS.len()),
            team_name: format!("{name}{}", dice.pick(TEAM_TITLES)),
            team: Vec::new(),
        })
        .collect();

    let mut homes = Vec::with_capacity(households);
    for (v, size) in sizes.iter().enumerate() {
        let mut next_no = vec![1usize; villages[v].groups];
        for _ in 0..*size {
            let g = dice.below(villages[v].groups);
            let house_no = format!("{}号", next_no[g]);
            next_no[g] += dice.range(1, 2) as usize; // a few numbers are shops, sheds, empty plots
            let home = make_home(dice, people, &villages[v], v, GROUPS[g], house_no, today);
            homes.push(home);
        }
    }
    // Volunteer teams: villagers of working age who live there, captain first.
    for (v, village) in villages.iter_mut().enumerate() {
        let candidates: Vec<&str> = homes
            .iter()
            .filter(|h| h.village == v)
            .flat_map(|h| h.present())
            .filter(|m| m.category == "registered" && (25..=62).contains(&m.person.age_on(today)))
            .map(|m| m.person.name.as_str())
            .collect();
        let n = dice.range(6, 12) as usize;
        let mut team: Vec<String> = Vec::new();
        for i in dice.distinct(candidates.len(), n * 2) {
            // Two villagers may share a name; a team lists each name once.
            if team.len() < n && !team.iter().any(|t| t == candidates[i]) {
                team.push(candidates[i].to_string());
            }
        }
        village.team = team;
    }
    Roster { villages, homes }
}

fn make_home(
    dice: &mut Dice,
    people: &mut People,
    village: &Village,
    v: usize,
    group: &'static str,
    house_no: String,
    today: NaiveDate,
) -> Home {
    let temporary = dice.chance(0.03);
    let size = dice.weighted(SIZES);
    let mut members = if temporary {
        floating_family(dice, people, size.min(4), today)
    } else {
        registered_family(dice, people, village.clan, size, today)
    };
    let mut tags = Vec::new();
    if temporary {
        tags.push("temporary");
    } else {
        tags.push("registered");
        if dice.chance(0.08) {
            tags.push("rental");
            let tenants = dice.range(1, 4) as usize;
            members.extend(floating_family(dice, people, tenants, today).into_iter().map(|mut m| {
                m.relation = "租户";
                m
            }));
        }
    }
    let head_age = members[0].person.age_on(today);
    let away = members.iter().any(|m| m.category == "away");
    let kids = members.iter().any(|m| m.person.age_on(today) < 16);
    let working_adult_home = members
        .iter()
        .any(|m| m.category != "away" && (20..=50).contains(&m.person.age_on(today)) && m.relation != "租户");
    let mut notes = None;
    if !temporary && head_age >= 60 && (away || (kids && !working_adult_home) || members.len() == 1) {
        tags.push("left_behind");
        notes =
            Some(if kids { "子女外出务工，祖辈照看孙辈" } else { "子女外出务工，老人在家" });
    }
    let hardship_p = if members.len() == 1 && head_age >= 65 { 0.15 } else { 0.03 };
    if dice.chance(hardship_p) {
        tags.push("hardship");
        notes = Some(dice.pick(&["低保户", "因病致贫", "五保供养", "残疾人家庭"]));
    }
    if dice.chance(0.015) {
        tags.push("key_person");
    }
    Home { village: v, group, house_no, tags, notes, members }
}

fn ethnicity(dice: &mut Dice) -> Option<&'static str> {
    Some(dice.weighted(ETHNICITIES))
}

fn occupation(dice: &mut Dice, age: i64) -> Option<&'static str> {
    match age {
        0..=2 => None,
        3..=5 => Some("学龄前儿童"),
        6..=17 => Some("学生"),
        18..=22 if dice.chance(0.4) => Some("学生"),
        70.. => Some(if dice.chance(0.6) { "务农" } else { "无业" }),
        _ => Some(dice.weighted(OCCUPATIONS_ADULT)),
    }
}

fn registered(
    dice: &mut Dice,
    people: &mut People,
    surname: &str,
    male: bool,
    age: i64,
    relation: &'static str,
) -> Member {
    let region = dice.weighted(HOME_REGIONS);
    let person = people.person(dice, surname, male, age, Some(region));
    // Young adults registered here are often away working in the cities (人户分离).
    let away = (19..=45).contains(&age) && dice.chance(0.35);
    Member {
        person,
        relation,
        category: if away { "away" } else { "registered" },
        ethnicity: ethnicity(dice),
        occupation: if away { Some("外出务工") } else { occupation(dice, age) },
        stay_from: None,
        stay_to: None,
        foreign: None,
    }
}

fn registered_family(
    dice: &mut Dice,
    people: &mut People,
    clan: Option<&'static str>,
    size: usize,
    today: NaiveDate,
) -> Vec<Member> {
    let head_age = if size == 1 {
        dice.range(55, 92)
    } else {
        let (lo, hi) = dice.weighted(&[((26, 40), 20), ((41, 60), 40), ((61, 85), 40)]);
        dice.range(lo, hi)
    };
    let head_male = if size == 1 { dice.chance(0.45) } else { dice.chance(0.85) };
    let surname = people.surname(dice, clan);
    let mut head = registered(dice, people, surname, head_male, head_age, "户主");
    if head.category == "away" {
        head.category = "registered"; // the head is the one at home
        head.occupation = occupation(dice, head_age);
    }
    // Children take the father's surname: the head's, or (a widow's household) another.
    let family = if head_male { surname.to_string() } else { people.surname(dice, clan).to_string() };
    let mut members = vec![head];
    if size >= 2 && dice.chance(0.9) {
        let age = (head_age + if head_male { -dice.range(0, 5) } else { dice.range(0, 5) }).max(20);
        if head_male && (28..=50).contains(&head_age) && dice.chance(0.05) {
            members.push(foreign_spouse(dice, people, age, today));
        } else {
            let spouse_surname = people.surname(dice, None);
            let s = if head_male { spouse_surname } else { family.as_str() };
            members.push(registered(dice, people, s, !head_male, age, "配偶"));
        }
    }
    let roles: &[&str] = match head_age {
        ..50 => &["child", "child", "child", "parent", "parent"],
        50..65 => &["child", "child", "in_law", "grandchild", "grandchild"],
        _ => &["child", "grandchild", "grandchild", "child", "in_law"],
    };
    for role in roles.iter().take(size.saturating_sub(members.len())) {
        let member = match *role {
            "child" => {
                let (lo, hi) = match head_age {
                    ..50 => (0, head_age - 22),
                    50..65 => (16, head_age - 22),
                    _ => (25, head_age - 22),
                };
                let male = dice.chance(0.52);
                let age = dice.range(lo, hi.max(lo));
                registered(dice, people, &family, male, age, if male { "子" } else { "女" })
            }
            "in_law" => {
                let age = dice.range(22, (head_age - 20).max(22));
                let s = people.surname(dice, None);
                registered(dice, people, s, false, age, "儿媳")
            }
            "grandchild" => {
                let male = dice.chance(0.52);
                let age = dice.range(0, (head_age - 45).clamp(0, 16));
                let mut m = registered(dice, people, &family, male, age, if male { "孙子" } else { "孙女" });
                m.category = "registered";
                m
            }
            _ => {
                let male = dice.chance(0.4);
                let age = (head_age + dice.range(22, 30)).min(98);
                let s = if male { family.clone() } else { people.surname(dice, None).to_string() };
                let mut m = registered(dice, people, &s, male, age, if male { "父亲" } else { "母亲" });
                m.category = "registered";
                m
            }
        };
        members.push(member);
    }
    members
}

fn foreign_spouse(dice: &mut Dice, people: &mut People, age: i64, today: NaiveDate) -> Member {
    let (nationality, doc_type, prefix) = dice.pick(FOREIGN);
    let surname = dice.pick(&["阮", "黎", "陈", "范", "吴", "杜"]);
    let person = people.person(dice, surname, false, age.clamp(20, 45), None);
    let doc_no = format!("{prefix}{:07}", dice.range(0, 9_999_999));
    // Married in, living here for some years (registered within 24 h of arrival).
    let from = dice.days_after(today, -3000, -60);
    Member {
        person,
        relation: "配偶",
        category: "foreign",
        ethnicity: None,
        occupation: Some("务农"),
        stay_from: Some(from),
        stay_to: None,
        foreign: Some((nationality, doc_type, doc_no)),
    }
}

/// Floating people (流动/暂住): a family or a few workers from other counties, staying for a
/// year or two from a date in the past three years.
fn floating_family(dice: &mut Dice, people: &mut People, size: usize, today: NaiveDate) -> Vec<Member> {
    let region = dice.pick(AWAY_REGIONS);
    let surname = people.surname(dice, None);
    let from = dice.days_after(today, -1000, -3);
    let until = from + Duration::days(if dice.chance(0.7) { 365 } else { 730 });
    let head_age = dice.range(22, 55);
    let mut out = Vec::with_capacity(size);
    for i in 0..size.max(1) {
        let (s, male, age, relation) = match i {
            0 => (surname.to_string(), dice.chance(0.75), head_age, "户主"),
            1 if dice.chance(0.7) => {
                (people.surname(dice, None).to_string(), false, (head_age + dice.range(-4, 2)).max(19), "配偶")
            }
            _ => {
                let male = dice.chance(0.5);
                let age = if head_age > 30 && dice.chance(0.6) {
                    dice.range(0, (head_age - 22).min(17))
                } else {
                    dice.range(18, 50)
                };
                let relation = if age < 18 { if male { "子" } else { "女" } } else { "其他" };
                (
                    if age < 18 { surname.to_string() } else { people.surname(dice, None).to_string() },
                    male,
                    age,
                    relation,
                )
            }
        };
        let person = people.person(dice, &s, male, age, Some(region));
        let occupation = match age {
            ..18 => occupation(dice, age),
            _ => Some(dice.pick(&["务工", "建筑工", "个体经营", "企业职工", "厨师", "快递员"])),
        };
        // A stay is never before the person was born.
        let from = from.max(person.birth);
        out.push(Member {
            person,
            relation,
            category: "floating",
            ethnicity: ethnicity(dice),
            occupation,
            stay_from: Some(from),
            stay_to: Some(until.max(from)),
            foreign: None,
        });
    }
    out
}

pub fn household_input(home: &Home, villages: &[Village]) -> Value {
    let head = home.head();
    Obj::new()
        .put("village", villages[home.village].name)
        .put("group", home.group)
        .put("house_no", home.house_no.as_str())
        .put("head_name", head.person.name.as_str())
        .opt("phone", head.person.phone.as_deref())
        .put("tags", home.tags.clone())
        .opt("notes", home.notes)
        .into()
}

pub fn resident_input(m: &Member, household_id: &str) -> Value {
    let p = &m.person;
    let mut o = Obj::new()
        .put("household_id", household_id)
        .put("name", p.name.as_str())
        .put("sex", p.sex_code())
        .put("birth_date", p.birth.to_string())
        .opt("id_number", p.id_number.as_deref())
        .opt("ethnicity", m.ethnicity)
        .put("category", m.category)
        .opt("phone", p.phone.as_deref())
        .put("relation_to_head", m.relation)
        .opt("occupation", m.occupation);
    if let Some(from) = m.stay_from {
        o = o.put("stay_from", from.to_string());
    }
    if let Some(to) = m.stay_to {
        o = o.put("stay_to", to.to_string());
    }
    if let Some((nationality, doc_type, doc_no)) = &m.foreign {
        o = o
            .put("foreign_nationality", *nationality)
            .put("foreign_doc_type", *doc_type)
            .put("foreign_doc_no", doc_no.as_str());
    }
    o.into()
}
