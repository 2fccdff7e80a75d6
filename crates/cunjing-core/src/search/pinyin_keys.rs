//! Pinyin search keys for people's names and other Chinese text.
//!
//! Officers type a name in Chinese, as full pinyin (`wangfang`) or as initials
//! (`wf`). We precompute both keys per record so the search can compare plain
//! ASCII strings. The `pinyin` crate gives every character its most common
//! reading, which is wrong for a number of surnames (曾 is `ceng` in 曾经 but
//! `zeng` as a surname), so [`name_keys`] reads the leading surname from its
//! own table first. [`text_keys`] skips that rule for village names and other
//! text that doesn't start with a surname.

use pinyin::ToPinyin;

/// Search keys for one person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    /// Toneless pinyin of every syllable joined together, lowercase ASCII,
    /// ü written as `v` (吕 → `lv`) because that is how it is typed.
    pub full: String,
    /// First letter of each syllable (and of each run of ASCII letters/digits).
    pub initials: String,
}

/// Two-character surnames (复姓) with the surname reading of both characters.
///
/// Checked before [`SINGLE_SURNAMES`] so that 单于 is `chanyu`, not `shanyu`.
/// Entries whose readings match the crate's default are listed too, so the
/// result does not depend on that default.
const COMPOUND_SURNAMES: &[(char, char, &str, &str)] = &[
    ('欧', '阳', "ou", "yang"),
    ('司', '马', "si", "ma"),
    ('诸', '葛', "zhu", "ge"),
    ('上', '官', "shang", "guan"),
    ('东', '方', "dong", "fang"),
    ('皇', '甫', "huang", "fu"),
    ('尉', '迟', "yu", "chi"),
    ('长', '孙', "zhang", "sun"),
    ('慕', '容', "mu", "rong"),
    ('令', '狐', "ling", "hu"),
    ('澹', '台', "tan", "tai"),
    ('公', '孙', "gong", "sun"),
    ('单', '于', "chan", "yu"),
    ('万', '俟', "mo", "qi"),
    ('乐', '正', "yue", "zheng"),
];

/// Single-character surnames whose surname reading differs from the crate's
/// default reading (shown in the comment).
const SINGLE_SURNAMES: &[(char, &str)] = &[
    ('曾', "zeng"),  // ceng
    ('单', "shan"),  // dan
    ('解', "xie"),   // jie
    ('朴', "piao"),  // pu
    ('区', "ou"),    // qu
    ('仇', "qiu"),   // chou
    ('查', "zha"),   // cha
    ('盖', "ge"),    // gai
    ('翟', "zhai"),  // di
    ('覃', "qin"),   // tan
    ('乐', "yue"),   // le (some families say Lè; Yuè is the dictionary reading)
    ('缪', "miao"),  // mou
    ('种', "chong"), // zhong
    ('秘', "bi"),    // mi
    ('重', "chong"), // zhong
    ('召', "shao"),  // zhao
    ('阚', "kan"),   // han
    ('薄', "bo"),    // bao
    ('繁', "po"),    // fan
    ('折', "she"),   // zhe
];

/// Keys for a person's name: the leading surname (single or compound) gets its
/// surname reading, the rest the crate's default reading.
#[must_use]
pub fn name_keys(name: &str) -> NameKeys {
    let mut keys = KeyBuilder::default();
    // Leading spaces or punctuation must not hide the surname.
    let name = name.trim_start_matches(|c| matches!(piece(c), Piece::Drop));
    let rest = push_surname(name, &mut keys);
    keys.push_text(rest);
    keys.finish()
}

/// Keys for text that is not a person's name (village names, addresses):
/// every character gets the crate's default reading.
#[must_use]
pub fn text_keys(text: &str) -> NameKeys {
    let mut keys = KeyBuilder::default();
    keys.push_text(text);
    keys.finish()
}

/// Whether a search query should be matched against the pinyin keys: one or
/// more ASCII letters and nothing else (case-insensitive). Callers should trim
/// the query first; spaces and digits make this `false`.
#[must_use]
pub fn looks_like_pinyin_query(q: &str) -> bool {
    !q.is_empty() && q.bytes().all(|b| b.is_ascii_alphabetic())
}

/// The surname of a name as public prints show it (王某, 欧阳某): a known compound surname, or
/// else the first character.
#[must_use]
pub fn surname(name: &str) -> &str {
    let name = name.trim();
    let mut chars = name.chars();
    let (Some(first), second) = (chars.next(), chars.next()) else { return "" };
    let compound = second.is_some_and(|s| COMPOUND_SURNAMES.iter().any(|&(c1, c2, _, _)| c1 == first && c2 == s));
    let len = if compound { first.len_utf8() + second.map_or(0, char::len_utf8) } else { first.len_utf8() };
    &name[..len]
}

/// Pushes the surname reading if `name` starts with a known surname and
/// returns the rest of the name.
fn push_surname<'a>(name: &'a str, keys: &mut KeyBuilder) -> &'a str {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return name;
    };
    let after_first = chars.as_str();
    if let Some(second) = chars.next()
        && let Some(&(_, _, a, b)) = COMPOUND_SURNAMES.iter().find(|&&(c1, c2, _, _)| c1 == first && c2 == second)
    {
        keys.push_syllable(a);
        keys.push_syllable(b);
        return chars.as_str();
    }
    if let Some(&(_, reading)) = SINGLE_SURNAMES.iter().find(|&&(c, _)| c == first) {
        keys.push_syllable(reading);
        return after_first;
    }
    name
}

/// What one input character contributes to the keys.
enum Piece {
    /// An ASCII letter or digit, already lowercased.
    Ascii(char),
    /// A syllable as returned by `Pinyin::plain` (may contain `ü`).
    Syllable(&'static str),
    /// Whitespace, punctuation such as `·`, or a character with no reading.
    Drop,
}

fn piece(c: char) -> Piece {
    let c = fullwidth_to_ascii(c);
    if c.is_ascii_alphanumeric() {
        Piece::Ascii(c.to_ascii_lowercase())
    } else if let Some(p) = c.to_pinyin() {
        Piece::Syllable(p.plain())
    } else {
        Piece::Drop
    }
}

/// Maps fullwidth letters and digits (Ａ, １), common with Chinese input
/// methods, to ASCII so they are kept like their ASCII forms.
fn fullwidth_to_ascii(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

#[derive(Default)]
struct KeyBuilder {
    full: String,
    initials: String,
    /// Inside a run of ASCII letters/digits, which gets a single initial.
    in_ascii_run: bool,
}

impl KeyBuilder {
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            match piece(c) {
                Piece::Ascii(a) => self.push_ascii(a),
                Piece::Syllable(s) => self.push_syllable(s),
                Piece::Drop => self.in_ascii_run = false,
            }
        }
    }

    fn push_ascii(&mut self, a: char) {
        self.full.push(a);
        if !self.in_ascii_run {
            self.initials.push(a);
            self.in_ascii_run = true;
        }
    }

    /// Appends one syllable, writing ü as `v` and dropping anything that is
    /// not an ASCII letter so the keys stay plain ASCII.
    fn push_syllable(&mut self, syllable: &str) {
        self.in_ascii_run = false;
        let mut letters = syllable.chars().filter_map(|c| match c {
            'ü' | 'Ü' => Some('v'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        });
        if let Some(first) = letters.next() {
            self.initials.push(first);
            self.full.push(first);
            self.full.extend(letters);
        }
    }

    fn finish(self) -> NameKeys {
        NameKeys { full: self.full, initials: self.initials }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn keys(full: &str, initials: &str) -> NameKeys {
        NameKeys { full: full.to_owned(), initials: initials.to_owned() }
    }

    #[test]
    fn plain_name() {
        assert_eq!(name_keys("王芳"), keys("wangfang", "wf"));
        assert_eq!(text_keys("王芳"), keys("wangfang", "wf"));
    }

    #[test]
    fn u_umlaut_is_v() {
        assert_eq!(name_keys("吕"), keys("lv", "l"));
        assert_eq!(text_keys("女"), keys("nv", "n"));
        assert_eq!(name_keys("吕小女"), keys("lvxiaonv", "lxn"));
    }

    #[test]
    fn required_surnames() {
        let cases = [
            ("曾小明", "zengxiaoming", "zxm"),
            ("单田芳", "shantianfang", "stf"),
            ("解放", "xiefang", "xf"),
            ("朴明", "piaoming", "pm"),
            ("区明", "ouming", "om"),
            ("仇明", "qiuming", "qm"),
            ("查明", "zhaming", "zm"),
            ("盖明", "geming", "gm"),
            ("翟明", "zhaiming", "zm"),
            ("覃明", "qinming", "qm"),
        ];
        for (name, full, initials) in cases {
            assert_eq!(name_keys(name), keys(full, initials), "{name}");
        }
    }

    #[test]
    fn further_surnames() {
        let cases = [
            ("乐明", "yueming", "ym"),
            ("缪明", "miaoming", "mm"),
            ("种明", "chongming", "cm"),
            ("秘明", "biming", "bm"),
            ("重明", "chongming", "cm"),
            ("召明", "shaoming", "sm"),
            ("阚明", "kanming", "km"),
            ("薄明", "boming", "bm"),
            ("繁明", "poming", "pm"),
            ("折明", "sheming", "sm"),
            // Default already right; no override needed.
            ("万明", "wanming", "wm"),
            ("朝明", "chaoming", "cm"),
            // Single 尉 is Wèi; only 尉迟 is Yùchí.
            ("尉明", "weiming", "wm"),
        ];
        for (name, full, initials) in cases {
            assert_eq!(name_keys(name), keys(full, initials), "{name}");
        }
    }

    #[test]
    fn surname_table_entries_differ_from_default() {
        for &(c, reading) in SINGLE_SURNAMES {
            assert_ne!(text_keys(&c.to_string()).full, reading, "{c}");
        }
    }

    #[test]
    fn surnames_for_masking() {
        assert_eq!(surname("王芳"), "王");
        assert_eq!(surname(" 欧阳娜娜"), "欧阳");
        assert_eq!(surname("欧"), "欧");
        assert_eq!(surname(""), "");
    }

    #[test]
    fn compound_surnames() {
        let cases = [
            ("欧阳修", "ouyangxiu", "oyx"),
            ("司马光", "simaguang", "smg"),
            ("诸葛亮", "zhugeliang", "zgl"),
            ("尉迟恭", "yuchigong", "ycg"),
            ("长孙无忌", "zhangsunwuji", "zswj"),
            ("澹台明", "tantaiming", "ttm"),
            ("单于明", "chanyuming", "cym"),
            ("万俟明", "moqiming", "mqm"),
            ("上官婉儿", "shangguanwaner", "sgwe"),
            ("慕容复", "murongfu", "mrf"),
        ];
        for (name, full, initials) in cases {
            assert_eq!(name_keys(name), keys(full, initials), "{name}");
        }
    }

    #[test]
    fn surname_rule_only_at_start() {
        // 曾 in the given name keeps the default reading.
        assert_eq!(name_keys("王曾"), keys("wangceng", "wc"));
        assert_eq!(name_keys("  曾明"), keys("zengming", "zm"));
        // A lone surname still gets its surname reading.
        assert_eq!(name_keys("曾"), keys("zeng", "z"));
    }

    #[test]
    fn text_keys_has_no_surname_rule() {
        assert_eq!(text_keys("曾经"), keys("cengjing", "cj"));
        assert_eq!(text_keys("单位"), keys("danwei", "dw"));
        assert_eq!(text_keys("解放村"), keys("jiefangcun", "jfc"));
    }

    #[test]
    fn minority_name_with_middle_dot() {
        assert_eq!(name_keys("阿依古丽·买买提"), keys("ayigulimaimaiti", "ayglmmt"));
        assert_eq!(name_keys("阿依古丽 · 买买提"), name_keys("阿依古丽·买买提"));
    }

    #[test]
    fn mixed_ascii() {
        assert_eq!(text_keys("3组"), keys("3zu", "3z"));
        assert_eq!(text_keys("A座101室"), keys("azuo101shi", "az1s"));
        assert_eq!(name_keys("王Fang 2"), keys("wangfang2", "wf2"));
        assert_eq!(text_keys("ＡＢ１"), keys("ab1", "a"));
    }

    #[test]
    fn empty_and_dropped_only() {
        assert_eq!(name_keys(""), keys("", ""));
        assert_eq!(text_keys(""), keys("", ""));
        assert_eq!(name_keys(" ·，。"), keys("", ""));
    }

    #[test]
    fn pinyin_query_detection() {
        assert!(looks_like_pinyin_query("wf"));
        assert!(looks_like_pinyin_query("WangFang"));
        assert!(!looks_like_pinyin_query(""));
        assert!(!looks_like_pinyin_query("王芳"));
        assert!(!looks_like_pinyin_query("wang fang"));
        assert!(!looks_like_pinyin_query("wf1"));
        assert!(!looks_like_pinyin_query("ｗｆ"));
    }

    fn check_invariants(input: &str, k: &NameKeys) {
        let chars = input.chars().count();
        assert!(k.initials.len() <= chars, "{input:?} -> {k:?}");
        assert!(k.full.len() >= k.initials.len(), "{input:?} -> {k:?}");
        let ok = |s: &str| s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        assert!(ok(&k.full) && ok(&k.initials), "{input:?} -> {k:?}");
    }

    proptest! {
        #[test]
        fn arbitrary_strings_never_panic(s in any::<String>()) {
            check_invariants(&s, &name_keys(&s));
            check_invariants(&s, &text_keys(&s));
            let _ = looks_like_pinyin_query(&s);
        }

        #[test]
        fn han_heavy_strings(s in "[\u{4e00}-\u{9fff}a-zA-Z0-9 ·曾单解尉迟万俟]{0,16}") {
            check_invariants(&s, &name_keys(&s));
            check_invariants(&s, &text_keys(&s));
        }
    }
}
