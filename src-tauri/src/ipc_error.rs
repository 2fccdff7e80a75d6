//! The error every command returns to the UI: `{ code, field, message, errors }`. `code`,
//! `field` and `message` summarise (the first problem); `errors` lists every problem, so a form
//! can mark each field. Codes are the core's closed set (`ErrorCode`, a TypeScript union).

use cunjing_core::{CoreError, ErrorCode, FieldError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub field: String,
    pub message: String,
    pub errors: Vec<FieldError>,
}

impl From<CoreError> for IpcError {
    fn from(e: CoreError) -> Self {
        let mut errors = e.to_field_errors();
        if errors.is_empty() {
            errors.push(FieldError::new(ErrorCode::Database, "", e.to_string()));
        }
        let first = errors[0].clone();
        IpcError { code: first.code, field: first.field, message: first.message, errors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_format_is_pinned() {
        let e = IpcError::from(CoreError::Invalid(vec![
            FieldError::new(ErrorCode::Required, "date", "「日期」为必填项"),
            FieldError::new(ErrorCode::InvalidPhone, "phone", "电话不对"),
        ]));
        let json = serde_json::to_string(&e).expect("serialises");
        assert_eq!(
            json,
            r#"{"code":"required","field":"date","message":"「日期」为必填项","errors":[{"code":"required","field":"date","message":"「日期」为必填项"},{"code":"invalid_phone","field":"phone","message":"电话不对"}]}"#
        );
    }

    #[test]
    fn system_errors_have_a_code_and_a_message() {
        let e = IpcError::from(CoreError::SchemaTooNew { found: 9, supported: 3 });
        assert_eq!(e.code, ErrorCode::SchemaTooNew);
        assert!(e.message.contains("更新版本"));
        assert_eq!(e.errors.len(), 1);
    }
}
