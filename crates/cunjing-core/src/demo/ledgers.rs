//! The other books an office keeps (issue 8), at the document's rates: each village's volunteer
//! team and its members (trained before patrolling), the officers' work log (13–16 days a month
//! in the village, ≥ 3 a week), the monthly village meeting, services (one hardship household
//! paired per officer and visited monthly, a good deed a week, documents done at home), one
//! public notice a month, intel every quarter, key persons checked monthly, and a satisfaction
//! survey per village each quarter.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::Value;

use crate::demo::dice::Dice;
use crate::demo::roster::{Home, Village};
use crate::demo::work::Officer;
use crate::demo::{Month, Obj};

const STATION: &str = "演示派出所";

/// A team as the patrols need it: its record id and its members' ids, in the village's order.
pub struct TeamIds {
    pub team: String,
    pub members: Vec<String>,
}

/// The teams (one per village) with their trainings, as add inputs: the team first, then its
/// members once the team id is known (see `member_inputs`).
pub fn team_input(village: &Village, founded: NaiveDate) -> Value {
    let kind = if village.team_name.ends_with("治保会") { "security_committee" } else { "volunteer" };
    Obj::new()
        .put("name", village.team_name.clone())
        .put("kind", kind)
        .put("village", village.name)
        .opt("leader", village.team.first().cloned())
        .put("founded_on", founded.to_string())
        .into()
}

pub fn member_inputs(
    dice: &mut Dice,
    village: &Village,
    team_id: &str,
    founded: NaiveDate,
    today: NaiveDate,
) -> Vec<Value> {
    village
        .team
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let role = match i {
                0 => "captain",
                1 => "vice_captain",
                _ => "member",
            };
            let joined = dice.days_after(founded, 0, 20).min(today);
            // Trained by the station before the first patrol, then once a year or so.
            let mut trainings = Vec::new();
            let mut day = joined;
            while day <= today && trainings.len() < 12 {
                let content = dice.pick(TRAININGS);
                trainings.push(Value::from(
                    Obj::new().put("date", day.to_string()).put("content", content).put("trainer", STATION),
                ));
                day += Duration::days(dice.range(300, 420));
            }
            Obj::new()
                .put("team_id", team_id)
                .put("name", name.clone())
                .put("role", role)
                .put("joined_on", joined.to_string())
                .put("status", "active")
                .put("trainings", trainings)
                .into()
        })
        .collect()
}

fn weekdays(month: &Month) -> Vec<NaiveDate> {
    month
        .first
        .iter_days()
        .take_while(|d| *d <= month.last)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

fn share(month: &Month) -> f64 {
    f64::from(month.last.day()) / f64::from(month.days_in_month)
}

/// One officer's work log for a month: a day in the village on 3–4 weekdays of every week
/// (fewer in the current, unfinished month), plus a few days at the station.
pub fn month_work_log(
    dice: &mut Dice,
    officer: &Officer,
    villages: &[Village],
    month: &Month,
    today: NaiveDate,
) -> Vec<(NaiveDate, Value)> {
    let village = villages[officer.village].name;
    let mut out = Vec::new();
    let days = weekdays(month);
    let mut week: Vec<NaiveDate> = Vec::new();
    let flush = |dice: &mut Dice, week: &mut Vec<NaiveDate>, out: &mut Vec<(NaiveDate, Value)>| {
        let n = (dice.range(3, 4) as usize).min(week.len());
        let chosen = dice.distinct(week.len(), n);
        for (i, &day) in week.iter().enumerate() {
            let in_village = chosen.contains(&i);
            if !in_village && !dice.chance(0.5) {
                continue;
            }
            let (category, content, result) =
                if in_village { dice.pick(VILLAGE_WORK) } else { dice.pick(STATION_WORK) };
            let mut o = Obj::new()
                .put("date", day.to_string())
                .put("officer", officer.name.clone())
                .put("in_village", in_village)
                .put("category", category)
                .put("content", content.replace("{村}", village))
                .put("result", result);
            if in_village && dice.chance(0.06) {
                let due = day + Duration::days(dice.range(5, 14));
                o = o.put("follow_up_due", due.to_string()).put("follow_up_done", due + Duration::days(3) < today);
            }
            out.push((day, o.into()));
        }
        week.clear();
    };
    for day in days {
        if day.weekday() == Weekday::Mon && !week.is_empty() {
            flush(dice, &mut week, &mut out);
        }
        week.push(day);
    }
    flush(dice, &mut week, &mut out);
    out
}

/// The monthly village meeting (篇1), with the officer who covers the village.
pub fn meeting(dice: &mut Dice, village: &Village, officer: &str, month: &Month) -> Option<(NaiveDate, Value)> {
    let days = weekdays(month);
    if days.is_empty() || share(month) < 0.5 {
        return None;
    }
    let date = dice.pick(&days);
    let attendees: Vec<String> =
        dice.distinct(village.team.len(), 3).into_iter().map(|i| village.team[i].clone()).collect();
    let count = attendees.len() as i64 + dice.range(6, 20);
    let (situation, problems, priorities) = dice.pick(MEETINGS);
    Some((
        date,
        Obj::new()
            .put("date", date.to_string())
            .put("village", village.name)
            .opt("host", attendees.first().cloned())
            .put("attendees", attendees)
            .put("attendee_count", count)
            .put("situation", situation)
            .put("problems", problems)
            .put("priorities", priorities)
            .put("recorder", officer)
            .into(),
    ))
}

/// Services for one officer over the whole span: a pairing with a hardship household renewed
/// every two years and visited monthly, a good deed most weeks, documents done at home.
pub fn officer_services(
    dice: &mut Dice,
    officer: &Officer,
    homes: &[Home],
    household_ids: &[String],
    months: &[Month],
    today: NaiveDate,
) -> Vec<(NaiveDate, Value)> {
    let mut out = Vec::new();
    if officer.homes.is_empty() {
        return out;
    }
    let hardship: Vec<usize> = officer.homes.iter().copied().filter(|&h| homes[h].tags.contains(&"hardship")).collect();
    let pool = if hardship.is_empty() { officer.homes.clone() } else { hardship };
    for block in months.chunks(24) {
        let start = dice.days_after(block[0].first, 0, 9).min(today);
        let h = dice.pick(&pool);
        let end = block.last().map(|m| m.last).filter(|&d| d < today);
        let visits: Vec<Value> = block
            .iter()
            .filter_map(|m| {
                let day = dice.days_after(m.first, 3, 25).min(m.last);
                (day >= start && day <= today).then(|| {
                    let gift = dice.chance(0.4);
                    Obj::new()
                        .put("date", day.to_string())
                        .put("content", dice.pick(PAIRING_VISITS))
                        .opt("money_fen", gift.then(|| dice.range(2, 6) * 10_000))
                        .opt("goods", (!gift && dice.chance(0.5)).then(|| dice.pick(GOODS)))
                        .into()
                })
            })
            .collect();
        out.push((
            start,
            Obj::new()
                .put("date", start.to_string())
                .put("kind", "pairing")
                .put("officer", officer.name.clone())
                .put("beneficiary", homes[h].members[0].person.name.clone())
                .put("household_id", household_ids[h].clone())
                .put("content", dice.pick(HARDSHIPS))
                .put("visits", visits)
                .opt("ended_on", end.map(|d| d.to_string()))
                .into(),
        ));
    }
    for month in months {
        let weeks = ((f64::from(month.last.day()) / 7.0).ceil() as i64).max(1);
        let days = weekdays(month);
        if days.is_empty() {
            continue;
        }
        for _ in 0..weeks {
            if !dice.chance(0.9) {
                continue;
            }
            let day = dice.pick(&days);
            let h = dice.pick(&officer.homes);
            let (content, money) = dice.pick(GOOD_DEEDS);
            out.push((
                day,
                Obj::new()
                    .put("date", day.to_string())
                    .put("kind", "good_deed")
                    .put("officer", officer.name.clone())
                    .put("beneficiary", homes[h].members[0].person.name.clone())
                    .put("household_id", household_ids[h].clone())
                    .put("content", content)
                    .opt("money_fen", money)
                    .into(),
            ));
        }
        for _ in 0..dice.range(0, 2) {
            let day = dice.pick(&days);
            let h = dice.pick(&officer.homes);
            let elder = homes[h]
                .members
                .iter()
                .max_by_key(|m| -m.person.birth.num_days_from_ce())
                .map(|m| m.person.name.clone());
            let action = dice.weighted(&[("apply", 55), ("deliver", 45)]);
            let who = elder.unwrap_or_else(|| homes[h].members[0].person.name.clone());
            out.push((
                day,
                Obj::new()
                    .put("date", day.to_string())
                    .put("kind", "certificate")
                    .put("officer", officer.name.clone())
                    .put("beneficiary", who.clone())
                    .put("household_id", household_ids[h].clone())
                    .put(
                        "content",
                        if action == "apply" {
                            "上门采集照片和指纹，代办居民身份证"
                        } else {
                            "将办好的证件送到家中"
                        },
                    )
                    .put("certificate_action", action)
                    .put(
                        "certificate_kind",
                        dice.weighted(&[("id_card", 80), ("household_booklet", 15), ("residence_permit", 5)]),
                    )
                    .put("certificate_count", dice.range(1, 3))
                    .put("reason", dice.weighted(&[("elderly", 60), ("bedridden", 25), ("disabled", 15)]))
                    .opt("receiver", (action == "deliver").then_some(who))
                    .into(),
            ));
        }
    }
    out
}

/// One public notice a month for the office (the store numbers them 第N期 per year).
pub fn notice(dice: &mut Dice, month: &Month, issuer: &str, village_count: usize) -> Option<(NaiveDate, Value)> {
    let days = weekdays(month);
    if days.is_empty() {
        return None;
    }
    let date = dice.pick(&days[..days.len().min(10)]);
    let (title, content) = dice.pick(NOTICES);
    let channels: Vec<&str> = {
        let all = ["posting", "village_meeting", "broadcast", "wechat", "leaflet"];
        let n = dice.range(1, 3) as usize;
        let mut picked: Vec<&str> = dice.distinct(all.len(), n).into_iter().map(|i| all[i]).collect();
        picked.sort();
        picked
    };
    Some((
        date,
        Obj::new()
            .put("date", date.to_string())
            .put("title", title)
            .put("channels", channels)
            .put("content", content)
            .put("audience", dice.range(150, 400) * village_count as i64)
            .put("issuer", issuer)
            .into(),
    ))
}

/// Intel for one officer in a quarter's last month (or the current month): one or two items.
pub fn quarter_intel(dice: &mut Dice, officer: &Officer, month: &Month, today: NaiveDate) -> Vec<(NaiveDate, Value)> {
    let days = weekdays(month);
    if days.is_empty() {
        return Vec::new();
    }
    (0..dice.range(1, 2))
        .map(|_| {
            let date = dice.pick(&days);
            let category = dice.weighted(&[
                ("public_opinion", 35),
                ("public_security", 25),
                ("dispute_sign", 20),
                ("criminal_clue", 12),
                ("group_incident_sign", 8),
            ]);
            let (content, handling) = match category {
                "group_incident_sign" => dice.pick(GROUP_SIGNS),
                "dispute_sign" => dice.pick(DISPUTE_SIGNS),
                _ => (dice.pick(OTHER_INTEL), ""),
            };
            let reported_on = (date + Duration::days(dice.range(0, 2))).min(today);
            let sign = matches!(category, "group_incident_sign" | "dispute_sign");
            let defused = sign && date + Duration::days(14) < today && dice.chance(0.85);
            (
                date,
                Obj::new()
                    .put("date", date.to_string())
                    .put("source", dice.pick(SOURCES))
                    .put("category", category)
                    .put("content", content)
                    .put("reported_to", STATION)
                    .put("reported_on", reported_on.to_string())
                    .put("defused", defused)
                    .opt("handling", defused.then_some(handling))
                    .put("officer", officer.name.clone())
                    .into(),
            )
        })
        .collect()
}

/// Key persons: about one per 150 households, each checked monthly while under watch; some are
/// taken off the list after one to three years.
pub fn key_persons(
    dice: &mut Dice,
    officers: &[Officer],
    homes: &[Home],
    household_ids: &[String],
    villages: &[Village],
    from: NaiveDate,
    today: NaiveDate,
) -> Vec<(NaiveDate, Value)> {
    let mut out = Vec::new();
    let mut used = std::collections::HashSet::new();
    for officer in officers {
        let n = (officer.homes.len() / 150).max(1);
        let mut found = 0;
        for _ in 0..n * 5 {
            if found >= n {
                break;
            }
            let h = dice.pick(&officer.homes);
            let Some(member) =
                homes[h].members.iter().find(|m| m.person.id_number.is_some() && m.person.age_on(today) >= 18)
            else {
                continue;
            };
            let Some(id_number) = member.person.id_number.clone() else { continue };
            if !used.insert(id_number.clone()) {
                continue;
            }
            let span = (today - from).num_days().max(1);
            let since = dice.days_after(from, 0, span - 1).max(member.person.birth + Duration::days(18 * 366));
            if since > today {
                continue;
            }
            let until =
                (dice.chance(0.3)).then(|| since + Duration::days(dice.range(365, 3 * 365))).filter(|&u| u < today);
            let mut checks = Vec::new();
            let mut day = since + Duration::days(dice.range(1, 20));
            while day <= until.unwrap_or(today) && day <= today {
                checks.push(Value::from(
                    Obj::new()
                        .put("date", day.to_string())
                        .put("officer", officer.name.clone())
                        .put("method", dice.weighted(&[("in_home", 75), ("phone", 15), ("on_site", 10)]))
                        .put("situation", dice.pick(KEY_SITUATIONS)),
                ));
                day += Duration::days(dice.range(20, 35));
            }
            let (level, category, reason) = dice.pick(KEY_REASONS);
            found += 1;
            out.push((
                since,
                Obj::new()
                    .put("name", member.person.name.clone())
                    .put("sex", member.person.sex_code())
                    .put("id_number", id_number)
                    .put("household_id", household_ids[h].clone())
                    .put("address", homes[h].address(villages))
                    .opt("phone", member.person.phone.clone())
                    .put("level", level)
                    .put("category", category)
                    .put("reason", reason)
                    .put("responsible", officer.name.clone())
                    .put("since", since.to_string())
                    .opt("until", until.map(|u| u.to_string()))
                    .put("checks", checks)
                    .into(),
            ));
        }
    }
    out
}

/// A satisfaction survey in each village in the last month of every quarter.
pub fn survey(dice: &mut Dice, village: &Village, officer: &str, month: &Month) -> Option<(NaiveDate, Value)> {
    let days = weekdays(month);
    if !month.first.month().is_multiple_of(3) || days.is_empty() {
        return None;
    }
    let date = dice.pick(&days);
    let sample = dice.range(40, 120);
    let satisfied = sample * dice.range(78, 92) / 100;
    let basically = (sample - satisfied) * dice.range(60, 90) / 100;
    let unsatisfied = sample - satisfied - basically;
    Some((
        date,
        Obj::new()
            .put("date", date.to_string())
            .put("scope", village.name)
            .put("method", dice.weighted(&[("questionnaire", 50), ("visit", 30), ("phone", 10), ("meeting", 10)]))
            .put("sample_size", sample)
            .put("satisfied", satisfied)
            .put("basically", basically)
            .put("unsatisfied", unsatisfied)
            .opt("opinions", dice.chance(0.6).then(|| dice.pick(OPINIONS)))
            .put("organiser", officer)
            .into(),
    ))
}

const TRAININGS: &[&str] = &[
    "巡逻防范基本常识、盘查注意事项",
    "治安巡逻安全与自我保护",
    "消防器材使用和火灾初期处置",
    "矛盾纠纷排查与报告方法",
    "电信网络诈骗防范宣传要点",
];

const VILLAGE_WORK: &[(&str, &str, &str)] = &[
    ("visit", "在{村}入户走访，核对实有人口信息", "核对完毕，更新住户信息"),
    ("patrol", "带领{村}治保会开展治安巡逻", "未发现异常"),
    ("publicity", "在{村}开展反电诈、防盗宣传", "发放宣传资料，讲解防骗常识"),
    ("mediation", "到{村}调处邻里纠纷", "双方达成一致，纠纷化解"),
    ("inspection", "检查{村}出租房屋和寄递点安全", "督促整改消防隐患一处"),
    ("service", "为{村}行动不便群众上门服务", "群众表示满意"),
    ("intel", "在{村}了解社情民意，收集信息", "已整理上报"),
];

const STATION_WORK: &[(&str, &str, &str)] = &[
    ("meeting", "参加派出所周例会", "传达上级部署"),
    ("training", "参加派出所业务培训", "学习执法规范"),
    ("call_out", "在所值班，处置接报警情", "按规定处置完毕"),
    ("other", "整理台账、录入信息", "台账更新完毕"),
];

const MEETINGS: &[(&str, &str, &str)] = &[
    ("通报本月辖区治安形势：盗窃电动车案件一起，已破获", "村民反映夜间路灯不足", "加强夜间巡逻，协调村委会增设路灯"),
    ("通报近期电信网络诈骗高发，讲解典型案例", "老年人不会识别诈骗电话", "组织志愿者入户宣传反诈"),
    ("通报本月调处纠纷情况及回访结果", "宅基地边界纠纷仍有反复", "联合司法所再次调解"),
    ("通报秋收期间防火防盗注意事项", "部分农户秸秆随意堆放", "开展消防安全检查"),
];

const HARDSHIPS: &[&str] = &[
    "户主长期患病，家庭收入低，孩子在读",
    "独居老人，子女外出务工，生活困难",
    "因灾房屋受损，家庭负担重",
    "残疾人家庭，缺少劳动力",
];

const PAIRING_VISITS: &[&str] =
    &["看望慰问，了解生活和身体情况", "帮助联系村委会落实低保政策", "协助就医、代购药品", "帮助打扫院落，检查用电安全"];

const GOODS: &[&str] = &["大米一袋、食用油一桶", "棉被一床", "学习用品一套", "牛奶两箱"];

const GOOD_DEEDS: &[(&str, Option<i64>)] = &[
    ("帮助留守老人修理水管", None),
    ("为走失老人找到家人", None),
    ("帮助村民找回丢失的电动车", None),
    ("雨天护送小学生过马路", None),
    ("为困难学生捐助学费", Some(50_000)),
    ("帮助村民追回被骗钱款", None),
];

const NOTICES: &[(&str, &str)] = &[
    ("警惕冒充客服退款诈骗", "近期辖区发生多起冒充电商客服以退款为名实施的诈骗，请不要向陌生人转账。"),
    ("秋冬季防火防盗提示", "天干物燥，请注意用火用电安全，离家时锁好门窗，贵重物品妥善保管。"),
    ("电动车防盗提示", "请将电动车停放在有人看管或有监控的地方，加装防盗锁。"),
    ("本月辖区警情通报", "本月辖区共接报警情若干起，主要为邻里纠纷和求助类，治安总体平稳。"),
    ("春节期间安全提示", "燃放烟花爆竹请到指定地点，外出探亲注意锁好门窗。"),
];

const SOURCES: &[&str] = &["入户走访", "村民反映", "巡逻发现", "网格员报告", "村干部反映"];

const GROUP_SIGNS: &[(&str, &str)] = &[
    ("部分村民因征地补偿款发放问题酝酿集体上访", "联合镇村干部召开协调会，解释补偿政策，村民表示理解"),
    ("工地拖欠农民工工资，有聚集讨薪苗头", "协调劳动监察部门督促发放工资，已全部结清"),
];

const DISPUTE_SIGNS: &[(&str, &str)] = &[
    ("两户因灌溉用水发生争执，有激化苗头", "上门调解，约定轮流用水"),
    ("兄弟因赡养老人问题多次争吵", "召集家庭会议，明确赡养分工"),
];

const OTHER_INTEL: &[&str] = &[
    "群众反映村口夜间有陌生车辆停留",
    "有外地人员上门推销保健品，疑似诈骗",
    "村民对村道路灯维修进度有意见",
    "发现有人在河道非法捕鱼",
];

const KEY_SITUATIONS: &[&str] =
    &["在家务农，表现正常", "外出务工，电话联系，情况稳定", "情绪稳定，按时服药", "按规定报到，无异常"];

const KEY_REASONS: &[(&str, &str, &str)] = &[
    ("key", "community_correction", "社区矫正期间，按规定定期见面"),
    ("key", "released", "刑满释放后安置帮教"),
    ("attention", "mental_health", "严重精神障碍患者，监护人看护"),
    ("attention", "petition", "多次信访，关注诉求处理"),
    ("attention", "dispute_party", "纠纷当事人，防止矛盾激化"),
];

const OPINIONS: &[&str] = &["希望增加夜间巡逻", "希望多开展反诈宣传", "对民警服务表示满意", "希望加快纠纷调处进度"];
