//! The report's period: a month (`2026-11`) or a quarter (`2026-Q4`).

use chrono::NaiveDate;
use cunjing_core::dashboard::Month;
use cunjing_core::{CoreError, CoreResult, ErrorCode, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month(Month),
    Quarter { year: i32, quarter: u32 },
}

impl Period {
    pub fn parse(text: &str) -> CoreResult<Period> {
        let text = text.trim();
        if let Some((y, q)) = text.split_once(['-', ' ']).filter(|(_, q)| q.starts_with(['Q', 'q'])) {
            let year = y.parse::<i32>().ok().filter(|_| y.len() == 4);
            let quarter = q[1..].parse::<u32>().ok().filter(|q| (1..=4).contains(q));
            if let (Some(year), Some(quarter)) = (year, quarter) {
                return Ok(Period::Quarter { year, quarter });
            }
        } else if let Ok(month) = Month::parse(text) {
            return Ok(Period::Month(month));
        }
        Err(CoreError::Invalid(vec![FieldError::new(
            ErrorCode::InvalidDate,
            "period",
            format!("期间应为月份（2026-11）或季度（2026-Q4）：{text}"),
        )]))
    }

    /// The months of the period, in order.
    pub fn months(self) -> Vec<Month> {
        match self {
            Period::Month(m) => vec![m],
            Period::Quarter { year, quarter } => {
                (1..=3).map(|i| Month { year, month: (quarter - 1) * 3 + i }).collect()
            }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        self.months()[0].first_day()
    }

    pub fn last_day(self) -> NaiveDate {
        self.months()[self.months().len() - 1].last_day()
    }

    /// 2026年11月 / 2026年第四季度.
    pub fn label_zh(self) -> String {
        match self {
            Period::Month(m) => format!("{}年{}月", m.year, m.month),
            Period::Quarter { year, quarter } => {
                format!("{year}年第{}季度", ["一", "二", "三", "四"][(quarter as usize - 1).min(3)])
            }
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Month(m) => write!(f, "{m}"),
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_quarters() {
        let q = Period::parse("2026-Q4").expect("quarter");
        assert_eq!((q.first_day().to_string(), q.last_day().to_string()), ("2026-10-01".into(), "2026-12-31".into()));
        assert_eq!(q.label_zh(), "2026年第四季度");
        assert_eq!(Period::parse("2026-11").expect("month").label_zh(), "2026年11月");
        for bad in ["2026-Q5", "2026-13", "26-Q1", "Q4", ""] {
            let Err(CoreError::Invalid(e)) = Period::parse(bad) else { panic!("{bad} accepted") };
            assert_eq!(e[0].field, "period");
        }
    }
}
