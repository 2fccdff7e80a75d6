//! How values are shown to people (not how they are stored): dates as `2026年3月5日`, with no
//! zero padding, as formal documents (GB/T 9704-2012) and the paper ledgers write them.

use chrono::{Datelike, NaiveDate};

pub fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_zero_padding() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 5).expect("date");
        assert_eq!(date_zh(d), "2026年3月5日");
    }
}
