//! From a register named at run time (`cunjing add visits …`) to its Rust type.

use serde_json::Value;

use crate::domain::RegisterKind;
use crate::domain::register::{Register, SearchDoc};
use crate::error::CoreResult;

/// Runs `$body` with `$R` bound to the record type of `$kind`.
macro_rules! with_register {
    ($kind:expr, $R:ident => $body:expr) => {
        match $kind {
            $crate::domain::RegisterKind::Households => {
                type $R = $crate::domain::Household;
                $body
            }
            $crate::domain::RegisterKind::Residents => {
                type $R = $crate::domain::Resident;
                $body
            }
            $crate::domain::RegisterKind::Disputes => {
                type $R = $crate::domain::Dispute;
                $body
            }
            $crate::domain::RegisterKind::Patrols => {
                type $R = $crate::domain::Patrol;
                $body
            }
            $crate::domain::RegisterKind::Visits => {
                type $R = $crate::domain::Visit;
                $body
            }
            $crate::domain::RegisterKind::Teams => {
                type $R = $crate::domain::Team;
                $body
            }
            $crate::domain::RegisterKind::TeamMembers => {
                type $R = $crate::domain::TeamMember;
                $body
            }
            $crate::domain::RegisterKind::WorkLog => {
                type $R = $crate::domain::WorkLogEntry;
                $body
            }
            $crate::domain::RegisterKind::Meetings => {
                type $R = $crate::domain::Meeting;
                $body
            }
            $crate::domain::RegisterKind::Services => {
                type $R = $crate::domain::Service;
                $body
            }
            $crate::domain::RegisterKind::Notices => {
                type $R = $crate::domain::Notice;
                $body
            }
            $crate::domain::RegisterKind::Intel => {
                type $R = $crate::domain::Intel;
                $body
            }
            $crate::domain::RegisterKind::KeyPersons => {
                type $R = $crate::domain::KeyPerson;
                $body
            }
            $crate::domain::RegisterKind::Surveys => {
                type $R = $crate::domain::Survey;
                $body
            }
        }
    };
}
pub(crate) use with_register;

/// The search terms of a stored record's data.
pub fn search_doc_of(kind: RegisterKind, data: &Value) -> CoreResult<SearchDoc> {
    with_register!(kind, R => {
        let record: R = serde_json::from_value(data.clone())?;
        Ok(record.search_doc())
    })
}
