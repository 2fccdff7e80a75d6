//! The dispute mediation register (纠纷调处登记簿): disputes accepted over the years, each taken
//! through the workflow by updates as an officer would record it — mediating with steps, then
//! resolved (with follow-up visits), failed, referred or withdrawn, then closed. Recent ones are
//! still open, as in a real office.

use chrono::NaiveDate;
use serde_json::Value;

use crate::demo::Obj;
use crate::demo::dice::Dice;
use crate::demo::people::{People, Person};
use crate::demo::roster::{Home, Village};

/// The seven workflow states, in the order the summary lists them.
pub const STATES: [&str; 7] = ["accepted", "mediating", "resolved", "failed", "referred", "withdrawn", "closed"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Resolved { on_spot: bool },
    Failed,
    Referred,
    Withdrawn,
}

#[derive(Debug, Clone)]
enum Event {
    /// Mediation starts, with its first step.
    Mediate(Value),
    Step(Value),
    Outcome {
        status: &'static str,
        step: Option<Value>,
        fields: Obj,
    },
    Followup(Value),
    Close,
}

/// One dispute: what is entered when it is accepted, and what happens to it afterwards (each
/// event dated; only those up to today are written).
pub struct Plan {
    pub accepted_on: NaiveDate,
    pub input: Value,
    kind: &'static str,
    outcome: Outcome,
    events: Vec<(NaiveDate, Event)>,
    /// How many events have happened (a prefix of `events`).
    done: usize,
    ctx: Ctx,
}

/// What the texts of a dispute's later events need.
#[derive(Clone)]
struct Ctx {
    officer: String,
    mediator: String,
    a: String,
    b: String,
    amount: i64,
}

const TYPES: &[(&str, u32)] = &[
    ("neighbor", 22),
    ("family", 18),
    ("homestead", 12),
    ("land", 12),
    ("damages", 8),
    ("debt", 8),
    ("labor", 5),
    ("village_affairs", 4),
    ("environment", 4),
    ("traffic", 4),
    ("demolition", 2),
    ("medical", 1),
    ("other", 2),
];

const SOURCES: &[(&str, u32)] = &[
    ("party_request", 30),
    ("found_on_visit", 20),
    ("from_110", 20),
    ("village_committee", 15),
    ("public_report", 10),
    ("assigned", 5),
];

fn summary_templates(kind: &str) -> &'static [&'static str] {
    match kind {
        "family" => &[
            "{a}与{b}因赡养老人费用分担问题发生争执",
            "{a}与{b}因家庭琐事多次争吵，{a}请求调解",
            "{a}与{b}因房屋继承问题发生纠纷",
        ],
        "neighbor" => &[
            "{a}与邻居{b}因排水沟堵塞问题发生口角",
            "{a}反映{b}家的狗多次咬死其家禽，双方发生争执",
            "{a}与{b}因晒谷场使用问题发生纠纷",
        ],
        "homestead" => &[
            "{a}与{b}因宅基地界址不清发生争执",
            "{b}建房占用{a}家部分宅基地，{a}要求拆除",
            "{a}与{b}因房屋滴水、通道问题发生纠纷",
        ],
        "land" => &["{a}与{b}因承包田边界发生争执", "{a}与{b}因山林权属发生纠纷", "{a}与{b}因灌溉用水先后发生争执"],
        "damages" => &[
            "{b}家的牛践踏{a}家秧田，双方就赔偿发生争执",
            "{a}与{b}发生推搡致{a}轻微受伤，双方就医药费发生纠纷",
            "{b}倒车撞坏{a}家围墙，双方就赔偿金额发生争执",
        ],
        "debt" => &["{a}称{b}借款{n}元逾期未还", "{a}与{b}因农机租赁费用结算发生纠纷"],
        "labor" => &["{a}称在{b}处务工的工资{n}元被拖欠", "{a}在为{b}建房时摔伤，双方就赔偿发生争执"],
        "village_affairs" => &["{a}等村民对本组土地补偿款分配方案有异议", "{a}等村民对公益林收益分配有意见"],
        "environment" => &["{a}反映{b}的养猪场污水排入水塘", "{a}反映{b}家焚烧垃圾影响周边住户"],
        "traffic" => &["{a}与{b}在村道发生两车刮擦，就赔偿发生争执", "{b}驾驶摩托车撞伤{a}，双方就医药费发生纠纷"],
        "demolition" => &["{a}对征地补偿标准有异议，与{b}发生争执"],
        "medical" => &["{a}认为{b}用药不当致其病情加重，要求赔偿"],
        _ => &["{a}与{b}因琐事发生口角", "{a}与{b}因借用农具损坏发生纠纷"],
    }
}

fn referred_to(kind: &str) -> &'static str {
    match kind {
        "land" | "homestead" => "镇国土资源所",
        "labor" => "县劳动保障监察大队",
        "debt" => "县人民法院",
        "medical" => "县医疗纠纷人民调解委员会",
        "traffic" => "县公安局交警大队",
        "demolition" => "镇征迁办",
        "village_affairs" => "镇信访办",
        "environment" => "县生态环境局",
        _ => "镇司法所",
    }
}

fn fill(text: &str, c: &Ctx) -> String {
    text.replace("{a}", &c.a).replace("{b}", &c.b).replace("{n}", &c.amount.to_string()).replace("{o}", &c.officer)
}

/// Someone living in the village: a home and one of its members.
pub struct Adult {
    pub home: usize,
    pub member: usize,
}

/// Everything a dispute may draw on.
pub struct Scene<'a> {
    pub homes: &'a [Home],
    pub villages: &'a [Village],
    pub adults: &'a [Adult],
    /// The officer responsible for each home.
    pub officer_of: &'a [String],
}

fn party(p: &Person, role: &str, address: String, with_id: bool) -> Value {
    Obj::new()
        .put("name", p.name.as_str())
        .put("role", role)
        .put("sex", p.sex_code())
        .opt("id_number", if with_id { p.id_number.as_deref() } else { None })
        .opt("phone", p.phone.as_deref())
        .put("address", address)
        .into()
}

/// An adult on the day (18 or over), drawn from the whole roster or from one village.
fn draw_adult<'a>(dice: &mut Dice, s: &Scene<'a>, day: NaiveDate, village: Option<usize>) -> Option<&'a Adult> {
    for _ in 0..40 {
        let a = &s.adults[dice.below(s.adults.len())];
        let home = &s.homes[a.home];
        if village.is_some_and(|v| home.village != v) {
            continue;
        }
        if home.members[a.member].person.age_on(day) >= 18 {
            return Some(a);
        }
    }
    None
}

pub fn plan(dice: &mut Dice, people: &mut People, s: &Scene, accepted_on: NaiveDate, today: NaiveDate) -> Option<Plan> {
    if s.adults.is_empty() {
        return None;
    }
    let kind = dice.weighted(TYPES);
    let first = draw_adult(dice, s, accepted_on, None)?;
    let home = &s.homes[first.home];
    let a = &home.members[first.member].person;
    let address_of = |h: &Home| h.address(s.villages);
    let mut parties = vec![party(a, "applicant", address_of(home), dice.chance(0.7))];
    let b_name;
    // The other side: family in the same home, a neighbour in the same village, or an outsider.
    let same_home = home.present().filter(|m| m.person.name != a.name && m.person.age_on(accepted_on) >= 18).count();
    if kind == "family" && same_home > 0 {
        let others: Vec<&Person> =
            home.present().map(|m| &m.person).filter(|p| p.name != a.name && p.age_on(accepted_on) >= 18).collect();
        let b = others[dice.below(others.len())];
        b_name = b.name.clone();
        parties.push(party(b, "respondent", address_of(home), dice.chance(0.7)));
    } else if matches!(kind, "labor" | "debt" | "traffic" | "medical" | "demolition") && dice.chance(0.35) {
        let surname = people.surname(dice, None);
        let age = dice.range(25, 60);
        let male = dice.chance(0.7);
        let b = people.person(dice, surname, male, age, None);
        b_name = b.name.clone();
        let place = dice.pick(&["邻镇", "县城", "外村"]);
        parties.push(party(&b, "respondent", place.to_string(), false));
    } else {
        let near = draw_adult(dice, s, accepted_on, Some(home.village))
            .filter(|o| o.home != first.home)
            .or_else(|| draw_adult(dice, s, accepted_on, None))?;
        let other_home = &s.homes[near.home];
        let b = &other_home.members[near.member].person;
        if b.name == a.name {
            return None;
        }
        b_name = b.name.clone();
        parties.push(party(b, "respondent", address_of(other_home), dice.chance(0.7)));
    }
    if dice.chance(0.08)
        && let Some(third) = draw_adult(dice, s, accepted_on, Some(home.village))
    {
        let p = &s.homes[third.home].members[third.member].person;
        if p.name != a.name && p.name != b_name {
            parties.push(party(p, "other", address_of(&s.homes[third.home]), false));
        }
    }
    let group_kind = matches!(kind, "land" | "village_affairs" | "demolition" | "environment");
    let escalation = group_kind && dice.chance(0.25);
    let people_count = if escalation { dice.range(8, 40) } else { parties.len() as i64 + dice.range(0, 2) };
    let risk = if escalation {
        Some(dice.weighted(&[("orange", 70), ("red", 30)]))
    } else {
        dice.weighted(&[(Some("yellow"), 80), (Some("orange"), 12), (None, 8)])
    };
    let village = &s.villages[home.village];
    let officer = s.officer_of[first.home].clone();
    let mediator = match village.team.get(dice.below(village.team.len().max(1))) {
        Some(m) => format!("{}调委会{m}", village.name),
        None => format!("{}调委会", village.name),
    };
    let ctx = Ctx { officer, mediator, a: a.name.clone(), b: b_name, amount: dice.range(20, 500) * 100 };
    let location = if dice.chance(0.7) {
        address_of(home)
    } else {
        format!("{}{}", village.name, dice.pick(crate::demo::names::LANDMARKS))
    };
    let mut input = Obj::new()
        .put("accepted_on", accepted_on.to_string())
        .put("source", dice.weighted(SOURCES))
        .put("dispute_type", kind)
        .put("location", location)
        .put("parties", parties)
        .put("people_count", people_count)
        .put("summary", fill(dice.pick(summary_templates(kind)), &ctx))
        .opt("risk_level", risk)
        .put("mediators", format!("{}、{}", ctx.officer, ctx.mediator));
    if escalation {
        input = input.put("escalation_flag", true);
    }
    let outcome = match dice.weighted(&[("resolved", 72), ("failed", 8), ("referred", 11), ("withdrawn", 9)]) {
        "resolved" => Outcome::Resolved { on_spot: dice.chance(0.3) },
        "failed" => Outcome::Failed,
        "referred" => Outcome::Referred,
        _ => Outcome::Withdrawn,
    };
    let mut plan = Plan { accepted_on, input: input.into(), kind, outcome, events: Vec::new(), done: 0, ctx };
    plan.events = events(dice, &plan, plan.outcome, NaiveDate::MAX);
    plan.done = plan.events.iter().take_while(|(d, _)| *d <= today).count();
    Some(plan)
}

fn step(date: NaiveDate, content: String, c: &Ctx) -> Value {
    Obj::new()
        .put("date", date.to_string())
        .put("content", content)
        .put("participants", format!("民警{}、{}、{}、{}", c.officer, c.mediator, c.a, c.b))
        .into()
}

/// The dated events of a dispute's whole life for the given outcome; no date after `cap` (a
/// forced plan squeezes its life into the days up to today).
fn events(dice: &mut Dice, plan: &Plan, outcome: Outcome, cap: NaiveDate) -> Vec<(NaiveDate, Event)> {
    let c = &plan.ctx;
    let a = plan.accepted_on;
    let mut out = Vec::new();
    let mut day;
    // Every date below is drawn through this, so a step's own date is capped as its event's is.
    let after = |dice: &mut Dice, from: NaiveDate, lo: i64, hi: i64| dice.days_after(from, lo, hi).min(cap);
    let direct = match outcome {
        Outcome::Resolved { on_spot } => on_spot,
        Outcome::Withdrawn => dice.chance(0.4),
        _ => false,
    };
    if direct {
        day = after(dice, a, 0, 1);
    } else {
        day = after(dice, a, 0, 2);
        let first = dice.pick(&[
            "民警会同村调委会到现场查看，分别听取双方意见",
            "电话联系双方，约定调解时间",
            "到{b}家了解情况，做思想工作",
        ]);
        out.push((day, Event::Mediate(step(day, fill(first, c), c))));
        for _ in 0..dice.range(0, 2) {
            day = after(dice, day, 2, 10);
            let more = dice.pick(&[
                "组织双方面对面调解，讲解相关法律法规",
                "再次组织调解，邀请村组干部和双方亲属参加",
                "实地丈量，核实情况",
            ]);
            out.push((day, Event::Step(step(day, more.to_string(), c))));
        }
        day = after(dice, day, 1, if matches!(outcome, Outcome::Resolved { .. }) { 10 } else { 15 });
    }
    let (status, step_text, fields) = match outcome {
        Outcome::Resolved { on_spot } => {
            let note = dice.pick(&[
                "经调解，双方达成协议：{b}一次性支付{a}{n}元",
                "经调解，双方各让一步，重新确定界址并签订协议",
                "经调解，{b}同意于一个月内付清{n}元",
                "经耐心调解，双方消除误会，握手言和",
                "经调解，双方约定按月分担赡养费用",
            ]);
            let mut f = Obj::new()
                .put("outcome_note", fill(note, c))
                .put("agreement_form", dice.weighted(&[("written", 60), ("oral", 40)]));
            if on_spot {
                f = f.put("performance", "done");
            }
            let text = if on_spot {
                "民警现场调解，双方当场和解"
            } else {
                "双方达成一致，签订调解协议"
            };
            ("resolved", Some(text.to_string()), f)
        }
        Outcome::Failed => {
            let note = dice.pick(&[
                "双方分歧较大，经多次调解未果，已告知当事人可向人民法院起诉",
                "{b}拒绝调解，已告知{a}可通过诉讼途径解决",
            ]);
            ("failed", Some("再次调解，双方仍未达成一致".to_string()), Obj::new().put("outcome_note", fill(note, c)))
        }
        Outcome::Referred => {
            let to = referred_to(plan.kind);
            let f =
                Obj::new().put("outcome_note", format!("超出警务室调处范围，已移交{to}处理")).put("referred_to", to);
            ("referred", Some(format!("向{to}移交材料并告知双方")), f)
        }
        Outcome::Withdrawn => {
            let note = dice.pick(&["当事人自行和解，申请撤回", "{a}表示不再追究，撤回调解申请"]);
            ("withdrawn", None, Obj::new().put("outcome_note", fill(note, c)))
        }
    };
    let step = step_text.map(|t| step(day, t, c));
    out.push((day, Event::Outcome { status, step, fields }));
    if let Outcome::Resolved { .. } = outcome {
        // 回访: the first within about two weeks (the dashboard's due date), sometimes a second.
        day = after(dice, day, 7, 15);
        out.push((day, Event::Followup(followup(dice, day, c))));
        if dice.chance(0.4) {
            day = after(dice, day, 20, 60);
            out.push((day, Event::Followup(followup(dice, day, c))));
        }
        day = after(dice, day, 0, 10);
    } else {
        day = after(dice, day, 3, 30);
    }
    out.push((day, Event::Close));
    out
}

fn followup(dice: &mut Dice, date: NaiveDate, c: &Ctx) -> Value {
    Obj::new()
        .put("date", date.to_string())
        .put("method", dice.weighted(&[("visit", 60), ("phone", 40)]))
        .put("visitor", c.officer.as_str())
        .put("performance", dice.weighted(&[("done", 85), ("partial", 12), ("not_done", 3)]))
        .put("satisfaction", dice.weighted(&[("satisfied", 85), ("basically", 13), ("unsatisfied", 2)]))
        .put("recurrence", dice.chance(0.03))
        .into()
}

impl Plan {
    /// The status the dispute ends in today.
    pub fn final_status(&self) -> &'static str {
        let mut status = "accepted";
        for (_, e) in &self.events[..self.done] {
            status = match e {
                Event::Mediate(_) => "mediating",
                Event::Outcome { status, .. } => status,
                Event::Close => "closed",
                _ => status,
            };
        }
        status
    }

    /// Re-plans a dispute so that it ends today in `state` (used so that even a small office's
    /// data shows every workflow state): its events are squeezed into the days up to today.
    pub fn force(&mut self, dice: &mut Dice, state: &str, today: NaiveDate) {
        let outcome = match state {
            "failed" => Outcome::Failed,
            "referred" => Outcome::Referred,
            "withdrawn" => Outcome::Withdrawn,
            _ => Outcome::Resolved { on_spot: false },
        };
        self.outcome = outcome;
        self.events = events(dice, self, outcome, today);
        let outcome_at = self.events.iter().position(|(_, e)| matches!(e, Event::Outcome { .. })).unwrap_or(0);
        self.done = match state {
            "accepted" => 0,
            "mediating" => 1,
            "closed" => self.events.len(),
            _ => outcome_at + 1,
        };
    }

    /// The updates that take the dispute from `accepted` to where it is today, in order: each
    /// the partial JSON an officer's form would send (lists are sent whole).
    pub fn updates(&self) -> Vec<Value> {
        let mut steps: Vec<Value> = Vec::new();
        let mut followups: Vec<Value> = Vec::new();
        let mut out = Vec::new();
        for (date, event) in &self.events[..self.done] {
            let patch = match event {
                Event::Mediate(s) => {
                    steps.push(s.clone());
                    Obj::new().put("status", "mediating").put("steps", steps.clone())
                }
                Event::Step(s) => {
                    steps.push(s.clone());
                    Obj::new().put("steps", steps.clone())
                }
                Event::Outcome { status, step, fields } => {
                    let mut o = fields.clone().put("status", *status);
                    if let Some(s) = step {
                        steps.push(s.clone());
                        o = o.put("steps", steps.clone());
                    }
                    o
                }
                Event::Followup(f) => {
                    followups.push(f.clone());
                    let mut o = Obj::new().put("followups", followups.clone());
                    // The latest visit's word on the agreement is the dispute's 履行情况.
                    if let Some(p) = f.get("performance") {
                        o = o.put("performance", p.clone());
                    }
                    o
                }
                Event::Close => Obj::new().put("status", "closed").put("closed_on", date.to_string()),
            };
            out.push(patch.into());
        }
        out
    }
}
