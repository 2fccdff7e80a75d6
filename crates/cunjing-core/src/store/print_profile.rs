//! What the wall display (警务公开栏: "将驻村民警照片、联系电话、警务承诺等张贴上墙") needs beyond the
//! office profile: the officer's role and photo, the office's address and phone, days in the
//! village, service hours, the commitments (警务承诺) and safety tips (防范提示). Every text field
//! has a default drawn from the source document, so the board prints before anything is set.

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{CoreError, CoreResult, ErrorCode, FieldError};
use crate::store::Store;
use crate::store::office::require_office;
use crate::validate::phone::normalize_phone;

/// The wall display's editable text. Lists (commitments, tips) are one item per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct PrintProfile {
    /// 职务: 驻村民警, 社区民警, 驻村辅警 ….
    pub officer_role: String,
    /// 警务室地址, down to the village (it is printed on a public board).
    pub office_address: String,
    /// 警务室电话 (empty: the board shows the officer's and the station's phones only).
    pub office_phone: String,
    /// 驻村时间, e.g. 每周一、三、五.
    pub village_days: String,
    /// 服务时间.
    pub service_hours: String,
    /// 警务承诺, one per line.
    pub commitments: String,
    /// 防范提示, one per line.
    pub safety_tips: String,
}

impl Default for PrintProfile {
    fn default() -> Self {
        PrintProfile {
            officer_role: "驻村民警".into(),
            office_address: String::new(),
            office_phone: String::new(),
            village_days: "每周不少于 3 天（周一、三、五）".into(),
            service_hours: "驻村日 8:30—17:30；其他时间请拨打派出所 24 小时值班电话，紧急情况请拨打 110".into(),
            commitments: [
                "有警必接、有难必帮、有险必救、有求必应。",
                "每周驻村工作不少于 3 天，每月走访群众不少于 30 户。",
                "热情接待来访群众，群众反映的问题件件有回音、事事有着落。",
                "矛盾纠纷早发现、早化解，小事不出村、大事不出镇。",
                "秉公执法、文明服务，不吃拿卡要，自觉接受群众监督。",
            ]
            .join("\n"),
            safety_tips: [
                "防诈骗：凡是要求转账到「安全账户」、索要验证码的，都是诈骗。",
                "防盗窃：出门锁好门窗，车辆上锁，贵重物品不外露。",
                "防火灾：不焚烧秸秆，不私拉乱接电线，电动车不进屋充电。",
                "交通安全：骑电动车戴头盔，不酒后驾驶，不乘坐超员车辆。",
                "防溺水：不到河塘水库游泳，看管好孩子。",
            ]
            .join("\n"),
        }
    }
}

/// The officer's photo: PNG or JPEG, at most this many bytes (a passport-size photo is far less).
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// Which image format the bytes are, by their signature; `None` for anything else.
pub fn photo_format(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("jpg")
    } else {
        None
    }
}

impl PrintProfile {
    fn validated(&self) -> CoreResult<PrintProfile> {
        let trim = |s: &str| s.trim().to_string();
        let lines = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
        let mut out = PrintProfile {
            officer_role: trim(&self.officer_role),
            office_address: trim(&self.office_address),
            office_phone: trim(&self.office_phone),
            village_days: trim(&self.village_days),
            service_hours: trim(&self.service_hours),
            commitments: lines(&self.commitments),
            safety_tips: lines(&self.safety_tips),
        };
        let mut errors = Vec::new();
        for (field, value, max, label) in [
            ("officer_role", &out.officer_role, 20, "职务"),
            ("office_address", &out.office_address, 80, "警务室地址"),
            ("village_days", &out.village_days, 60, "驻村时间"),
            ("service_hours", &out.service_hours, 120, "服务时间"),
            ("commitments", &out.commitments, 600, "警务承诺"),
            ("safety_tips", &out.safety_tips, 600, "防范提示"),
        ] {
            if value.chars().count() > max {
                errors.push(FieldError::new(ErrorCode::TooLong, field, format!("「{label}」最多 {max} 个字")));
            }
        }
        for (field, value, max, label) in
            [("commitments", &out.commitments, 8, "警务承诺"), ("safety_tips", &out.safety_tips, 8, "防范提示")]
        {
            if value.lines().count() > max {
                errors.push(FieldError::new(
                    ErrorCode::TooLong,
                    field,
                    format!("「{label}」最多 {max} 条（每行一条），公开栏上放不下更多"),
                ));
            }
        }
        if !out.office_phone.is_empty() {
            match normalize_phone(&out.office_phone) {
                Ok((normalized, _)) => out.office_phone = normalized,
                Err(_) => errors.push(FieldError::new(
                    ErrorCode::InvalidPhone,
                    "office_phone",
                    format!("「警务室电话」不是有效的手机号或座机号：{}", out.office_phone),
                )),
            }
        }
        if errors.is_empty() { Ok(out) } else { Err(CoreError::Invalid(errors)) }
    }
}

impl Store {
    /// The wall display's text (defaults where nothing was set).
    pub fn print_profile(&self) -> CoreResult<PrintProfile> {
        let conn = self.reader();
        require_office(&conn)?;
        let text: Option<String> =
            conn.query_row("SELECT data FROM print_profile WHERE id = 1", [], |r| r.get(0)).optional()?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default())
    }

    pub fn set_print_profile(&self, profile: &PrintProfile) -> CoreResult<PrintProfile> {
        let profile = profile.validated()?;
        let conn = self.writer();
        require_office(&conn)?;
        conn.execute(
            "INSERT INTO print_profile (id, data) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET data = excluded.data",
            [serde_json::to_string(&profile)?],
        )?;
        Ok(profile)
    }

    /// The officer's photo (PNG or JPEG bytes), if one was chosen.
    pub fn officer_photo(&self) -> CoreResult<Option<Vec<u8>>> {
        let conn = self.reader();
        require_office(&conn)?;
        let photo: Option<Option<Vec<u8>>> =
            conn.query_row("SELECT photo FROM print_profile WHERE id = 1", [], |r| r.get(0)).optional()?;
        Ok(photo.flatten())
    }

    /// Sets (or with `None` removes) the officer's photo.
    pub fn set_officer_photo(&self, photo: Option<&[u8]>) -> CoreResult<()> {
        if let Some(bytes) = photo {
            if photo_format(bytes).is_none() {
                return Err(CoreError::refused(ErrorCode::InvalidType, "photo", "照片应为 PNG 或 JPEG 图片"));
            }
            if bytes.len() > MAX_PHOTO_BYTES {
                return Err(CoreError::refused(
                    ErrorCode::TooLong,
                    "photo",
                    format!("照片太大（{} KB），最大 2 MB；请先缩小图片", bytes.len() / 1024),
                ));
            }
        }
        let conn = self.writer();
        require_office(&conn)?;
        conn.execute(
            "INSERT INTO print_profile (id, photo) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET photo = excluded.photo",
            params![photo],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_absent_keys_and_validation_trims() {
        let p: PrintProfile = serde_json::from_str(r#"{"officer_role":"社区民警"}"#).expect("json");
        assert_eq!(p.officer_role, "社区民警");
        assert!(p.commitments.contains("有求必应"));
        let p = PrintProfile { commitments: " 一\n\n 二 ".into(), office_phone: "0571 8888 1234".into(), ..p };
        let v = p.validated().expect("valid");
        assert_eq!(v.commitments, "一\n二");
        assert_eq!(v.office_phone, "0571-88881234");
        let bad = PrintProfile { office_phone: "12".into(), commitments: "x\n".repeat(9), ..PrintProfile::default() };
        let Err(CoreError::Invalid(errors)) = bad.validated() else { panic!("expected invalid") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["commitments", "office_phone"]);
    }

    #[test]
    fn photo_formats_by_signature() {
        assert_eq!(photo_format(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(photo_format(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(photo_format(b"GIF89a"), None);
    }
}
