//! Enumerations whose values are the data dictionary's codes (`in_home`, `neighbor`, …).
//! One macro declares each so the wire code, the Chinese label and the English label can never
//! drift apart, and so the UI gets every choice list from the same source.

use serde::Serialize;
use ts_rs::TS;

/// What the input reader and the UI need from any code enumeration.
pub trait CodeEnum: Sized + Copy + 'static {
    /// Every value in the order the UI lists them.
    const ALL: &'static [Self];
    /// The enumeration's Chinese name, used in messages ("未知的纠纷类型").
    const NAME_ZH: &'static str;
    fn code(self) -> &'static str;
    fn label_zh(self) -> &'static str;
    fn label_en(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// One choice of a code list, as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CodeLabel {
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// All choices of one enumeration, for pickers.
pub fn labels<C: CodeEnum>() -> Vec<CodeLabel> {
    C::ALL
        .iter()
        .map(|v| CodeLabel { code: v.code().to_string(), zh: v.label_zh().to_string(), en: v.label_en().to_string() })
        .collect()
}

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $name_zh:literal {
            $( $variant:ident = $code:literal, $zh:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, ts_rs::TS,
        )]
        #[ts(export)]
        pub enum $name {
            $( #[serde(rename = $code)] $variant, )+
        }

        impl $crate::domain::codes::CodeEnum for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const NAME_ZH: &'static str = $name_zh;
            fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
        }
    };
}
pub(crate) use code_enum;

code_enum! {
    /// GB/T 2261.1 sex codes 1/2/0.
    Sex, "性别" {
        Male = "male", "男", "Male";
        Female = "female", "女", "Female";
        Unknown = "unknown", "未知", "Unknown";
    }
}

code_enum! {
    /// 满意度, shared by visits and dispute follow-ups.
    Satisfaction, "满意度" {
        Satisfied = "satisfied", "满意", "Satisfied";
        Basically = "basically", "基本满意", "Basically satisfied";
        Unsatisfied = "unsatisfied", "不满意", "Unsatisfied";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_uses_the_dictionary_code() {
        assert_eq!(serde_json::to_string(&Sex::Female).expect("json"), "\"female\"");
        assert_eq!(Sex::from_code("male"), Some(Sex::Male));
        assert_eq!(Sex::from_code("Male"), None);
        for s in Sex::ALL {
            let via_serde: Sex = serde_json::from_str(&format!("\"{}\"", s.code())).expect("round trip");
            assert_eq!(via_serde, *s);
        }
    }
}
