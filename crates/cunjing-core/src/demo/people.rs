//! Made-up people: names drawn in real proportions, birth dates, valid ID numbers that agree
//! with birth date and sex, mobile numbers.

use std::collections::HashSet;

use chrono::{Datelike, Duration, Months, NaiveDate};

use crate::demo::dice::Dice;
use crate::demo::names::*;
use crate::validate::id_number::check_character;

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub male: bool,
    pub birth: NaiveDate,
    pub id_number: Option<String>,
    pub phone: Option<String>,
}

impl Person {
    pub fn sex_code(&self) -> &'static str {
        if self.male { "male" } else { "female" }
    }

    pub fn age_on(&self, day: NaiveDate) -> i64 {
        let years = day.year() - self.birth.year();
        let had_birthday = (day.month(), day.day()) >= (self.birth.month(), self.birth.day());
        i64::from(if had_birthday { years } else { years - 1 })
    }
}

/// Makes people; remembers the ID numbers given so no two people share one (the roster
/// refuses a second live resident with the same number).
pub struct People {
    today: NaiveDate,
    used_ids: HashSet<String>,
}

impl People {
    pub fn new(today: NaiveDate) -> People {
        People { today, used_ids: HashSet::new() }
    }

    pub fn surname(&self, dice: &mut Dice, clan: Option<&'static str>) -> &'static str {
        // A clan village has more people of its clan's name; kept mild (one in ten extra) so the
        // office as a whole keeps the national proportions.
        match clan {
            Some(clan) if dice.chance(0.1) => clan,
            _ => dice.weighted(SURNAMES),
        }
    }

    /// A given name in the fashion of the person's birth year.
    pub fn given_name(&self, dice: &mut Dice, male: bool, born: i32) -> String {
        let (old, mid, young, rare) = if male {
            (OLD_MALE, MID_MALE, YOUNG_MALE, RARE_MALE)
        } else {
            (OLD_FEMALE, MID_FEMALE, YOUNG_FEMALE, RARE_FEMALE)
        };
        if born < 1965 {
            if dice.chance(0.85) {
                return dice.pick(old).to_string();
            }
            return dice.pick(mid).to_string();
        }
        let pool = if born < 1990 { mid } else { young };
        let two_chars = dice.chance(if born < 1990 { 0.55 } else { 0.8 });
        let rare_p = if born < 1990 { 0.004 } else { 0.015 };
        let draw = |dice: &mut Dice| {
            if dice.chance(rare_p) { dice.pick(rare).to_string() } else { dice.pick(pool).to_string() }
        };
        let first = draw(dice);
        if !two_chars {
            return first;
        }
        let mut second = draw(dice);
        while second == first {
            second = dice.pick(pool).to_string();
        }
        format!("{first}{second}")
    }

    /// A birth date that makes the person `age` today.
    pub fn birth_for_age(&self, dice: &mut Dice, age: i64) -> NaiveDate {
        let age = age.clamp(0, 110);
        let years_ago = self.today.checked_sub_months(Months::new(12 * age as u32)).unwrap_or(self.today);
        // Somewhere in the year before that anniversary, never today or later.
        let back = dice.range(1, 364);
        let birth = years_ago - Duration::days(back);
        birth.min(self.today - Duration::days(1))
    }

    /// A valid 18-character 公民身份号码: region, birth date, sequence with the sex's parity,
    /// ISO 7064 check character; never one already given.
    pub fn id_number(&mut self, dice: &mut Dice, region: &str, birth: NaiveDate, male: bool) -> String {
        loop {
            let parity = dice.range(0, 4) * 2 + i64::from(male);
            let seq = dice.range(0, 99) * 10 + parity;
            let body = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
            let Ok(first17) = <[u8; 17]>::try_from(body.as_bytes()) else {
                // Only a region code of the wrong length gets here; the lists hold 6-digit codes.
                continue;
            };
            let id = format!("{body}{}", char::from(check_character(&first17)));
            if self.used_ids.insert(id.clone()) {
                return id;
            }
        }
    }

    pub fn mobile(&self, dice: &mut Dice) -> String {
        format!("{}{:08}", dice.pick(MOBILE_PREFIXES), dice.range(0, 99_999_999))
    }

    /// A person of the given sex and age, born in `region` (ID number) or without an ID number
    /// when `region` is `None`.
    pub fn person(&mut self, dice: &mut Dice, surname: &str, male: bool, age: i64, region: Option<&str>) -> Person {
        let birth = self.birth_for_age(dice, age);
        let name = format!("{surname}{}", self.given_name(dice, male, birth.year()));
        let id_number = region.map(|r| self.id_number(dice, r, birth, male));
        let phone_p = match age {
            0..=13 => 0.0,
            14..=17 => 0.5,
            18..=64 => 0.92,
            65..=79 => 0.6,
            _ => 0.25,
        };
        let phone = dice.chance(phone_p).then(|| self.mobile(dice));
        Person { name, male, birth, id_number, phone }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_follow_their_real_shares_and_rare_ones_occur() {
        let people = People::new(NaiveDate::from_ymd_opt(2026, 11, 28).expect("date"));
        let mut dice = Dice::new(1, 1);
        let n = 200_000;
        let mut counts = std::collections::HashMap::new();
        for _ in 0..n {
            *counts.entry(people.surname(&mut dice, None)).or_insert(0usize) += 1;
        }
        let total: u32 = SURNAMES.iter().map(|(_, w)| w).sum();
        for (name, weight) in &SURNAMES[..5] {
            let expected = f64::from(*weight) / f64::from(total);
            let got = counts[name] as f64 / n as f64;
            assert!((got / expected - 1.0).abs() < 0.05, "{name}: {got} vs {expected}");
        }
        for rare in ["曾", "单", "覃", "翟"] {
            assert!(counts.get(rare).copied().unwrap_or(0) > 0, "{rare} occurs");
        }
    }

    #[test]
    fn id_numbers_agree_with_birth_date_and_sex() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("date");
        let mut people = People::new(today);
        let mut dice = Dice::new(3, 3);
        let mut rare = 0;
        for i in 0..2000 {
            let male = i % 2 == 0;
            let p = people.person(&mut dice, "王", male, (i % 90) as i64, Some("360925"));
            let id = p.id_number.as_deref().expect("has an ID number");
            let info = crate::validate::id_number::parse_id_number(id, today).expect("valid");
            assert_eq!((info.birth_date, info.is_male), (p.birth, male));
            assert!(p.birth < today);
            rare += usize::from(p.name.chars().any(|c| "堃喆珺玥".contains(c)));
        }
        assert!((1..100).contains(&rare), "rare name characters are rare but present: {rare}");
    }
}
