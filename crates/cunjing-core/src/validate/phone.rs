//! Mainland China phone numbers: normalization and masking.
//!
//! Phone numbers are typed in many shapes (`+86 138-1234-5678`, `057188881234`,
//! `0571-88881234`); storing one canonical form makes duplicates detectable and
//! searches exact. Only ASCII digits are accepted: full-width digits are rejected
//! rather than silently converted, so what is stored is what was checked.

/// Which kind of number was recognised, since the two are shown and masked differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    /// 11-digit mobile number `1[3-9]xxxxxxxxx`, normalized without separators.
    Mobile,
    /// Fixed line, normalized as `area-number` (e.g. `010-12345678`, `0571-8888123`).
    Landline,
}

/// The input is neither a mainland mobile nor a landline number. Deliberately carries
/// no detail: the fix is always "re-type the number".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneError;

/// Normalizes a mainland phone number and says which kind it is.
///
/// Mobile: spaces and `-` are removed anywhere, a leading `+86` or `0086` is dropped,
/// and the rest must be `1[3-9]` followed by 9 digits; result is the bare 11 digits.
///
/// Landline: surrounding and inner spaces are removed, then `0` + 2–3 digit area code,
/// an optional `-`, and a 7–8 digit number. The area code is 3 digits for 010 and
/// 020–029 and 4 digits otherwise — that rule splits undashed input, and a dash placed
/// elsewhere (`057-18888123`) is rejected as a likely typo rather than guessed at.
/// Result is `area-number`.
pub fn normalize_phone(input: &str) -> Result<(String, PhoneKind), PhoneError> {
    if let Some(mobile) = normalize_mobile(input) {
        return Ok((mobile, PhoneKind::Mobile));
    }
    normalize_landline(input).map(|landline| (landline, PhoneKind::Landline)).ok_or(PhoneError)
}

/// Masks a phone number for public prints (notices, exported lists) so that it can be
/// recognised by its owner but not dialled: mobile `138****1234`, landline
/// `0571-****1234` (area code and last 4 digits kept).
///
/// Meant for the output of [`normalize_phone`]; other input is normalized first, and
/// anything that is not a phone number comes back fully masked as `****` so a bad value
/// never leaks into print.
#[must_use]
pub fn mask_phone(normalized: &str) -> String {
    const FULL_MASK: &str = "****";
    let Ok((number, kind)) = normalize_phone(normalized) else {
        return FULL_MASK.to_owned();
    };
    // `number` is ASCII digits (and one `-`), so byte slicing is on char boundaries.
    match kind {
        PhoneKind::Mobile => match (number.get(..3), number.get(number.len().saturating_sub(4)..)) {
            (Some(head), Some(tail)) => format!("{head}****{tail}"),
            _ => FULL_MASK.to_owned(),
        },
        PhoneKind::Landline => match number.split_once('-') {
            Some((area, local)) => match local.get(local.len().saturating_sub(4)..) {
                Some(tail) => format!("{area}-****{tail}"),
                None => FULL_MASK.to_owned(),
            },
            None => FULL_MASK.to_owned(),
        },
    }
}

/// The bare 11 digits of a mobile number, or `None`.
fn normalize_mobile(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|&c| !c.is_whitespace() && c != '-').collect();
    let digits = compact.strip_prefix("+86").or_else(|| compact.strip_prefix("0086")).unwrap_or(&compact);
    let ok = matches!(
        digits.as_bytes(),
        [b'1', b'3'..=b'9', rest @ ..] if rest.len() == 9 && rest.iter().all(u8::is_ascii_digit)
    );
    ok.then(|| digits.to_owned())
}

/// `area-number` for a landline, or `None`.
fn normalize_landline(input: &str) -> Option<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let (area, local) = match compact.split_once('-') {
        Some((area, local)) => {
            if area.len() != area_code_len(area)? {
                return None;
            }
            (area, local)
        }
        None => compact.split_at_checked(area_code_len(&compact)?)?,
    };
    let area_ok = area.bytes().all(|b| b.is_ascii_digit());
    let local_ok = (7..=8).contains(&local.len()) && local.bytes().all(|b| b.is_ascii_digit());
    (area_ok && local_ok).then(|| format!("{area}-{local}"))
}

/// Length of the area code that `s` starts with: 3 for 010 and 02X, 4 for other `0…`
/// codes, `None` if `s` does not start like an area code.
fn area_code_len(s: &str) -> Option<usize> {
    match s.as_bytes() {
        [b'0', b'1', b'0', ..] | [b'0', b'2', ..] => Some(3),
        [b'0', b'1'..=b'9', ..] => Some(4),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ok(input: &str) -> (String, PhoneKind) {
        normalize_phone(input).unwrap()
    }

    fn mobile(s: &str) -> (String, PhoneKind) {
        (s.to_owned(), PhoneKind::Mobile)
    }

    fn landline(s: &str) -> (String, PhoneKind) {
        (s.to_owned(), PhoneKind::Landline)
    }

    #[test]
    fn mobile_plain_and_separators() {
        assert_eq!(ok("13812345678"), mobile("13812345678"));
        assert_eq!(ok(" 138 1234 5678 "), mobile("13812345678"));
        assert_eq!(ok("138-1234-5678"), mobile("13812345678"));
        assert_eq!(ok("19912345678"), mobile("19912345678"));
    }

    #[test]
    fn mobile_country_prefixes() {
        assert_eq!(ok("+8613812345678"), mobile("13812345678"));
        assert_eq!(ok("+86 138 1234 5678"), mobile("13812345678"));
        assert_eq!(ok("+86-138-1234-5678"), mobile("13812345678"));
        assert_eq!(ok("008613812345678"), mobile("13812345678"));
        assert_eq!(ok("0086 138 1234 5678"), mobile("13812345678"));
    }

    #[test]
    fn mobile_rejects() {
        for s in [
            "8613812345678",          // bare 86 prefix is not accepted
            "+86 12812345678",        // second digit 2
            "10812345678",            // second digit 0
            "1381234567",             // 10 digits
            "138123456789",           // 12 digits
            "+85213812345678",        // other country code
            "１３８１２３４５６７８", // full-width digits
            "138.1234.5678",
            "+86+8613812345678",
        ] {
            assert_eq!(normalize_phone(s), Err(PhoneError), "{s:?}");
        }
    }

    #[test]
    fn landline_with_dash() {
        assert_eq!(ok("010-12345678"), landline("010-12345678"));
        assert_eq!(ok("021-1234567"), landline("021-1234567"));
        assert_eq!(ok("0571-88881234"), landline("0571-88881234"));
        assert_eq!(ok(" 0571 - 8888 1234 "), landline("0571-88881234"));
    }

    #[test]
    fn landline_without_dash_uses_area_rule() {
        assert_eq!(ok("01012345678"), landline("010-12345678"));
        assert_eq!(ok("0101234567"), landline("010-1234567"));
        assert_eq!(ok("02012345678"), landline("020-12345678"));
        assert_eq!(ok("02912345678"), landline("029-12345678"));
        assert_eq!(ok("057188881234"), landline("0571-88881234"));
        assert_eq!(ok("05718888123"), landline("0571-8888123"));
        assert_eq!(ok("0571 8888 1234"), landline("0571-88881234"));
        // 011 is not 010, so it takes the 4-digit branch.
        assert_eq!(ok("01112345678"), landline("0111-2345678"));
    }

    #[test]
    fn landline_rejects() {
        for s in [
            "057-18888123",   // dash disagrees with 4-digit area rule
            "0101-2345678",   // dash disagrees with 3-digit 010
            "0210-1234567",   // dash disagrees with 3-digit 02X
            "010-123456",     // local too short
            "010-123456789",  // local too long
            "0571888812345",  // 13 digits
            "057188812",      // too short
            "0012345678",     // area 00…
            "0571-8888-1234", // two dashes
            "0571-8888123a",
            "(0571)88881234",
            "０５７１－８８８８１２３４", // full-width
            "88881234",                   // no area code
        ] {
            assert_eq!(normalize_phone(s), Err(PhoneError), "{s:?}");
        }
    }

    #[test]
    fn empty_and_garbage() {
        for s in ["", "   ", "-", "+86", "0086", "abc", "手机号"] {
            assert_eq!(normalize_phone(s), Err(PhoneError), "{s:?}");
        }
    }

    #[test]
    fn mask_mobile() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
    }

    #[test]
    fn mask_landline() {
        assert_eq!(mask_phone("0571-88881234"), "0571-****1234");
        assert_eq!(mask_phone("010-1234567"), "010-****4567");
    }

    #[test]
    fn mask_normalizes_raw_input_first() {
        assert_eq!(mask_phone("+86 138 1234 1234"), "138****1234");
        assert_eq!(mask_phone("057188881234"), "0571-****1234");
    }

    #[test]
    fn mask_garbage_fully() {
        for s in ["", "1234", "not a phone", "１３８１２３４１２３４"] {
            assert_eq!(mask_phone(s), "****", "{s:?}");
        }
    }

    #[test]
    fn normalized_output_is_a_fixed_point() {
        for s in ["+86 138 1234 5678", "0571 8888 1234", "01012345678"] {
            let (n, kind) = ok(s);
            assert_eq!(ok(&n), (n.clone(), kind));
        }
    }
}
