//! Chinese resident ID number (公民身份号码, GB 11643-1999) parsing.
//!
//! Register entries carry ID numbers typed by hand, so the parser is strict about
//! structure (length, charset, real birth date, ISO 7064 check character) but
//! lenient about presentation (surrounding whitespace, lowercase `x`, the legacy
//! 15-digit form). It never panics, whatever the input.

use chrono::NaiveDate;

/// What a valid ID number tells us, in canonical form.
///
/// Kept as data rather than re-derived from the string so callers can store the
/// normalized number and show birth date / sex / region without parsing again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumberInfo {
    /// The 18-character form with an uppercase `X`: the one key to compare and store,
    /// so that `…x`, `…X` and the 15-digit form of the same person collapse together.
    pub normalized: String,
    /// Birth date encoded in digits 7..=14 (or 19YYMMDD for the 15-digit form).
    pub birth_date: NaiveDate,
    /// Sex from the sequence code: the 17th character is odd for men, even for women.
    pub is_male: bool,
    /// The first 6 digits (GB/T 2260 administrative division at issue time).
    pub region_code: String,
    /// Province-level name from the first 2 digits; `None` for codes not in GB/T 2260
    /// (unknown codes are not an error: divisions change and old numbers stay valid).
    pub province: Option<&'static str>,
    /// `true` when the input was the legacy 15-digit form and has been upgraded.
    pub upgraded_from_15: bool,
}

/// Why an ID number was rejected, in the order the checks run, so the UI can say
/// which part of the number to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdNumberError {
    /// Not 18 (or legacy 15) characters after trimming.
    Length,
    /// Wrong characters: digits only, except a final `X`/`x` in the 18-character form.
    Charset,
    /// The birth date digits are not a real calendar date.
    BirthDate,
    /// The birth date is before 1900-01-01 or after `today`.
    BirthOutOfRange,
    /// The check character does not match (typo or transposition).
    Checksum,
}

/// ISO 7064 MOD 11-2 weights, 2^(17-i) mod 11 for positions i = 0..17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each remainder S mod 11.
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// Earliest birth date accepted: nobody alive was issued a number for an earlier one,
/// so an earlier date means a typo.
const MIN_BIRTH: (i32, u32, u32) = (1900, 1, 1);

/// GB/T 2260 province-level divisions (34, including 台湾省, 香港 and 澳门).
const PROVINCES: [(&str, &str); 34] = [
    ("11", "北京市"),
    ("12", "天津市"),
    ("13", "河北省"),
    ("14", "山西省"),
    ("15", "内蒙古自治区"),
    ("21", "辽宁省"),
    ("22", "吉林省"),
    ("23", "黑龙江省"),
    ("31", "上海市"),
    ("32", "江苏省"),
    ("33", "浙江省"),
    ("34", "安徽省"),
    ("35", "福建省"),
    ("36", "江西省"),
    ("37", "山东省"),
    ("41", "河南省"),
    ("42", "湖北省"),
    ("43", "湖南省"),
    ("44", "广东省"),
    ("45", "广西壮族自治区"),
    ("46", "海南省"),
    ("50", "重庆市"),
    ("51", "四川省"),
    ("52", "贵州省"),
    ("53", "云南省"),
    ("54", "西藏自治区"),
    ("61", "陕西省"),
    ("62", "甘肃省"),
    ("63", "青海省"),
    ("64", "宁夏回族自治区"),
    ("65", "新疆维吾尔自治区"),
    ("71", "台湾省"),
    ("81", "香港特别行政区"),
    ("82", "澳门特别行政区"),
];

/// Parses and validates an ID number (18-digit, or legacy 15-digit upgraded to 18).
///
/// `today` is passed in rather than read from the clock so results are reproducible
/// (tests, imports replayed later). Checks run in the order of [`IdNumberError`]'s
/// variants and the first failure is returned.
pub fn parse_id_number(input: &str, today: NaiveDate) -> Result<IdNumberInfo, IdNumberError> {
    let s = input.trim();
    let (body, given_check, upgraded_from_15) = match s.chars().count() {
        18 => {
            let (body, check) = split_18(s)?;
            (body, Some(check), false)
        }
        15 => (upgrade_body_15(s)?, None, true),
        _ => return Err(IdNumberError::Length),
    };

    let birth_date = birth_date(&body).ok_or(IdNumberError::BirthDate)?;
    let (y, m, d) = MIN_BIRTH;
    let min_birth = NaiveDate::from_ymd_opt(y, m, d).ok_or(IdNumberError::BirthOutOfRange)?;
    if birth_date < min_birth || birth_date > today {
        return Err(IdNumberError::BirthOutOfRange);
    }

    let check = check_character(&body);
    if let Some(given) = given_check
        && given != check
    {
        return Err(IdNumberError::Checksum);
    }

    let region_code: String = body[..6].iter().map(|&b| char::from(b)).collect();
    let province = region_code.get(..2).and_then(province_name);
    let mut normalized: String = body.iter().map(|&b| char::from(b)).collect();
    normalized.push(char::from(check));

    Ok(IdNumberInfo {
        normalized,
        birth_date,
        is_male: (body[16] - b'0') % 2 == 1,
        region_code,
        province,
        upgraded_from_15,
    })
}

/// ISO 7064 MOD 11-2 check character (`b'0'..=b'9'` or `b'X'`) for the first 17 digits.
///
/// Public so that callers (and tests) can build or repair numbers, e.g. when
/// upgrading 15-digit numbers. Expects ASCII digits; any other byte gives a
/// meaningless (but still non-panicking) result.
#[must_use]
pub fn check_character(first17: &[u8; 17]) -> u8 {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(&b, w)| u32::from(b.wrapping_sub(b'0')) * w).sum();
    // `sum % 11` is always < 11, so the lookup cannot miss; fall back to b'X' anyway
    // rather than index with a panic path.
    CHECK_CHARS.get((sum % 11) as usize).copied().unwrap_or(b'X')
}

/// Province-level name for a 2-digit GB/T 2260 code, `None` if not a province code.
///
/// Used to show a human-readable origin next to an ID number; unknown codes are
/// tolerated by the parser, so this is informative, not a validity check.
#[must_use]
pub fn province_name(code2: &str) -> Option<&'static str> {
    PROVINCES.iter().find(|(code, _)| *code == code2).map(|&(_, name)| name)
}

/// Splits an 18-character number into its 17 body digits and the uppercased check char.
fn split_18(s: &str) -> Result<([u8; 17], u8), IdNumberError> {
    let bytes: &[u8; 18] = s.as_bytes().try_into().map_err(|_| IdNumberError::Charset)?; // 18 chars but not 18 bytes: non-ASCII
    let mut body = [0u8; 17];
    for (dst, &b) in body.iter_mut().zip(bytes.iter()) {
        if !b.is_ascii_digit() {
            return Err(IdNumberError::Charset);
        }
        *dst = b;
    }
    match bytes[17] {
        b @ b'0'..=b'9' => Ok((body, b)),
        b'X' | b'x' => Ok((body, b'X')),
        _ => Err(IdNumberError::Charset),
    }
}

/// Turns a 15-digit legacy number into the 17-digit body of its 18-digit form
/// (region + "19" + YYMMDD + sequence).
fn upgrade_body_15(s: &str) -> Result<[u8; 17], IdNumberError> {
    let bytes: &[u8; 15] = s.as_bytes().try_into().map_err(|_| IdNumberError::Charset)?;
    if !bytes.iter().all(u8::is_ascii_digit) {
        return Err(IdNumberError::Charset);
    }
    let mut body = [0u8; 17];
    body[..6].copy_from_slice(&bytes[..6]);
    body[6] = b'1';
    body[7] = b'9';
    body[8..].copy_from_slice(&bytes[6..]);
    Ok(body)
}

/// Birth date from body digits 6..14 (YYYYMMDD), `None` if not a calendar date.
fn birth_date(body: &[u8; 17]) -> Option<NaiveDate> {
    let num = |digits: &[u8]| digits.iter().fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0'));
    let year = i32::try_from(num(&body[6..10])).ok()?;
    NaiveDate::from_ymd_opt(year, num(&body[10..12]), num(&body[12..14]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn parse(s: &str) -> Result<IdNumberInfo, IdNumberError> {
        parse_id_number(s, today())
    }

    fn body17(s: &str) -> [u8; 17] {
        s.as_bytes().try_into().unwrap()
    }

    /// Appends the check character computed by `check_character`.
    fn with_check(first17: &str) -> String {
        let mut s = first17.to_owned();
        s.push(char::from(check_character(&body17(first17))));
        s
    }

    /// Independent ISO 7064 MOD 11-2 check: weights derived as 2^(17-i) mod 11 and the
    /// check value c (X = 10) chosen so that the full 18-character sum is ≡ 1 (mod 11).
    fn reference_check_ok(id18: &str) -> bool {
        let b = id18.as_bytes();
        let mut sum = 0u64;
        for (i, &ch) in b.iter().take(17).enumerate() {
            let weight = (1u64 << (17 - i)) % 11;
            sum += u64::from(ch - b'0') * weight;
        }
        let c = match b[17] {
            b'X' | b'x' => 10,
            d => u64::from(d - b'0'),
        };
        (sum + c) % 11 == 1
    }

    #[test]
    fn weights_match_definition() {
        for (i, &w) in WEIGHTS.iter().enumerate() {
            assert_eq!(u64::from(w), (1u64 << (17 - i)) % 11, "weight {i}");
        }
    }

    #[test]
    fn check_character_agrees_with_reference_for_all_remainders() {
        // Vary the last body digit to hit every remainder S mod 11.
        let mut seen = std::collections::BTreeSet::new();
        for n in 0..200u32 {
            let first17 = format!("11010519491231{n:03}");
            let id = with_check(&first17);
            assert!(reference_check_ok(&id), "{id}");
            seen.insert(id.as_bytes()[17]);
        }
        assert_eq!(seen.len(), 11, "all 11 check characters produced");
    }

    #[test]
    fn known_female_beijing_1949() {
        let id = "11010519491231002X";
        assert!(reference_check_ok(id));
        let info = parse(id).unwrap();
        assert_eq!(info.normalized, id);
        assert_eq!(info.birth_date, date(1949, 12, 31));
        assert!(!info.is_male);
        assert_eq!(info.region_code, "110105");
        assert_eq!(info.province, Some("北京市"));
        assert!(!info.upgraded_from_15);
    }

    #[test]
    fn known_male_2023() {
        let id = "110101202311012176";
        assert!(reference_check_ok(id));
        let info = parse(id).unwrap();
        assert_eq!(info.birth_date, date(2023, 11, 1));
        assert!(info.is_male, "17th char 7 is odd");
        assert_eq!(info.region_code, "110101");
        assert_eq!(info.province, Some("北京市"));
    }

    #[test]
    fn known_1880_is_out_of_range() {
        let id = "440524188001010014";
        assert!(reference_check_ok(id), "checksum itself is right");
        assert_eq!(parse(id), Err(IdNumberError::BirthOutOfRange));
    }

    #[test]
    fn trims_whitespace_and_accepts_lowercase_x() {
        let info = parse(" \t11010519491231002x\n").unwrap();
        assert_eq!(info.normalized, "11010519491231002X");
        let info = parse("\u{3000}11010519491231002X\u{3000}").unwrap();
        assert_eq!(info.normalized, "11010519491231002X");
    }

    #[test]
    fn length_errors() {
        for s in ["", "   ", "1101051949123100", "11010519491231002X0", "11010549123100", "1101054912310020"] {
            assert_eq!(parse(s), Err(IdNumberError::Length), "{s:?}");
        }
    }

    #[test]
    fn charset_errors() {
        for s in [
            "1101051949123100ZX",
            "11010519491231002Y",
            "X10105194912310020",
            "11010519491231 02X",
            "１１０１０５１９４９１２３１００２Ｘ", // full-width digits
            "11010519491231002\u{00e9}",
            "11010549123100X",
            "110105491231-02",
        ] {
            assert_eq!(parse(s), Err(IdNumberError::Charset), "{s:?}");
        }
    }

    #[test]
    fn birth_date_errors() {
        for first17 in
            ["11010519491331002", "11010519490001002", "11010519491200002", "11010519490431002", "11010500000000002"]
        {
            assert_eq!(parse(&with_check(first17)), Err(IdNumberError::BirthDate), "{first17}");
        }
    }

    #[test]
    fn feb_29_leap_and_non_leap() {
        assert_eq!(parse(&with_check("11010520000229001")).unwrap().birth_date, date(2000, 2, 29));
        assert_eq!(parse(&with_check("11010520240229001")).unwrap().birth_date, date(2024, 2, 29));
        for first17 in ["11010519000229001", "11010520230229001", "11010521000229001"] {
            assert_eq!(parse(&with_check(first17)), Err(IdNumberError::BirthDate), "{first17}");
        }
        // 15-digit: 000229 means 1900-02-29, which does not exist.
        assert_eq!(parse("110105000229001"), Err(IdNumberError::BirthDate));
        assert_eq!(parse("110105960229001").unwrap().birth_date, date(1996, 2, 29));
    }

    #[test]
    fn birth_range_relative_to_today() {
        assert!(parse(&with_check("11010519000101001")).is_ok());
        assert_eq!(parse(&with_check("11010518991231001")), Err(IdNumberError::BirthOutOfRange));
        assert!(parse(&with_check("11010520261128001")).is_ok(), "today");
        assert_eq!(parse(&with_check("11010520261129001")), Err(IdNumberError::BirthOutOfRange), "tomorrow");
        // The same number becomes valid once `today` has caught up.
        let tomorrow = with_check("11010520261129001");
        assert!(parse_id_number(&tomorrow, date(2026, 11, 29)).is_ok());
    }

    #[test]
    fn checksum_error() {
        assert_eq!(parse("110105194912310021"), Err(IdNumberError::Checksum));
        assert_eq!(parse("110101202311012175"), Err(IdNumberError::Checksum));
    }

    #[test]
    fn error_order_length_charset_date_range_checksum() {
        // Bad charset and bad date: charset wins.
        assert_eq!(parse("1101051949133100ZX"), Err(IdNumberError::Charset));
        // Bad date and bad checksum: date wins.
        assert_eq!(parse("110105194913310021"), Err(IdNumberError::BirthDate));
        // Out of range and bad checksum: range wins.
        assert_eq!(parse("440524188001010015"), Err(IdNumberError::BirthOutOfRange));
    }

    #[test]
    fn upgrades_15_digit_form() {
        let info = parse("110105491231002").unwrap();
        assert!(info.upgraded_from_15);
        assert_eq!(info.normalized, "11010519491231002X");
        assert!(reference_check_ok(&info.normalized));
        assert_eq!(info.birth_date, date(1949, 12, 31));
        assert!(!info.is_male, "last digit 2 is even");
        assert_eq!(info.region_code, "110105");

        let info = parse(" 440524800101001 ").unwrap();
        assert_eq!(info.normalized.len(), 18);
        assert!(info.normalized.starts_with("44052419800101001"));
        assert!(reference_check_ok(&info.normalized));
        assert!(info.is_male);
        assert_eq!(info.province, Some("广东省"));

        // The upgraded form parses on its own to the same person.
        let again = parse(&info.normalized).unwrap();
        assert_eq!(again.birth_date, info.birth_date);
        assert_eq!(again.is_male, info.is_male);
        assert!(!again.upgraded_from_15);
    }

    #[test]
    fn unknown_province_is_not_an_error() {
        let info = parse(&with_check("99010519491231002")).unwrap();
        assert_eq!(info.province, None);
        assert_eq!(info.region_code, "990105");
    }

    #[test]
    fn province_table() {
        assert_eq!(PROVINCES.len(), 34);
        let mut codes: Vec<&str> = PROVINCES.iter().map(|(c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 34, "codes are unique");
        assert_eq!(province_name("11"), Some("北京市"));
        assert_eq!(province_name("71"), Some("台湾省"));
        assert_eq!(province_name("81"), Some("香港特别行政区"));
        assert_eq!(province_name("82"), Some("澳门特别行政区"));
        assert_eq!(province_name("65"), Some("新疆维吾尔自治区"));
        assert_eq!(province_name("10"), None);
        assert_eq!(province_name("1"), None);
        assert_eq!(province_name(""), None);
    }

    /// A valid 18-character number together with the fields it was built from.
    fn valid_id() -> impl Strategy<Value = (String, NaiveDate, bool, String)> {
        let epoch = date(1900, 1, 1);
        let span = (today() - epoch).num_days();
        (prop::sample::select(PROVINCES.to_vec()), 0u32..10_000, 0..=span, 0u32..1_000).prop_map(
            move |((code, _), rest, offset, seq)| {
                let birth = epoch + chrono::Duration::days(offset);
                let region = format!("{code}{rest:04}");
                let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
                (with_check(&first17), birth, seq % 2 == 1, region)
            },
        )
    }

    proptest! {
        #[test]
        fn prop_built_numbers_parse_back((id, birth, male, region) in valid_id()) {
            let info = parse(&id).unwrap();
            prop_assert_eq!(&info.normalized, &id);
            prop_assert_eq!(info.birth_date, birth);
            prop_assert_eq!(info.is_male, male);
            prop_assert_eq!(&info.region_code, &region);
            prop_assert!(info.province.is_some());
            prop_assert!(!info.upgraded_from_15);
            prop_assert!(reference_check_ok(&id));
        }

        #[test]
        fn prop_single_substitution_detected(
            (id, ..) in valid_id(),
            pos in 0usize..18,
            shift in 0usize..1_000,
        ) {
            const DIGITS: &[u8] = b"0123456789";
            const LAST: &[u8] = b"0123456789X";
            let allowed = if pos < 17 { DIGITS } else { LAST };
            let mut bytes = id.into_bytes();
            let cur = allowed.iter().position(|&c| c == bytes[pos]).unwrap();
            // Any other allowed character: offset 1..len within the allowed set.
            let new = allowed[(cur + 1 + shift % (allowed.len() - 1)) % allowed.len()];
            prop_assert_ne!(new, bytes[pos]);
            bytes[pos] = new;
            let mutated = String::from_utf8(bytes).unwrap();
            prop_assert!(parse(&mutated).is_err(), "{} accepted", mutated);
        }

        #[test]
        fn prop_adjacent_transposition_detected((id, ..) in valid_id(), pos in 0usize..16) {
            let mut bytes = id.into_bytes();
            // Start at `pos` and take the first adjacent pair of distinct digits (a
            // `prop_assume!` would reject too often: dates are full of repeated digits).
            let Some(i) = (0..16)
                .map(|k| (pos + k) % 16)
                .find(|&i| bytes[i] != bytes[i + 1])
            else {
                return Ok(());
            };
            bytes.swap(i, i + 1);
            let mutated = String::from_utf8(bytes).unwrap();
            prop_assert!(parse(&mutated).is_err(), "{} accepted", mutated);
        }

        #[test]
        fn prop_arbitrary_strings_never_panic(s in any::<String>()) {
            let _ = parse(&s);
        }

        #[test]
        fn prop_id_shaped_strings_never_panic(s in "[0-9xX \u{3000}１]{13,20}") {
            if let Ok(info) = parse(&s) {
                prop_assert_eq!(info.normalized.len(), 18);
                prop_assert!(reference_check_ok(&info.normalized));
            }
        }

        #[test]
        fn prop_check_character_never_panics(bytes in any::<[u8; 17]>()) {
            let c = check_character(&bytes);
            prop_assert!(c.is_ascii_digit() || c == b'X');
        }
    }
}
