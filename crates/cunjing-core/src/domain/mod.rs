//! The registers' types and rules, free of storage concerns.

pub mod code_lists;
pub mod codes;
pub mod dispute;
pub mod household;
pub mod intel;
pub mod key_person;
pub mod meeting;
pub mod notice;
pub mod patrol;
pub mod record;
pub mod register;
pub mod resident;
pub mod service;
pub mod survey;
pub mod team;
pub mod visit;
pub mod work_log;

pub use codes::{CodeEnum, CodeLabel, Satisfaction, Sex};
pub use dispute::Dispute;
pub use household::Household;
pub use intel::Intel;
pub use key_person::KeyPerson;
pub use meeting::Meeting;
pub use notice::Notice;
pub use patrol::Patrol;
pub use record::RecordMeta;
pub use register::{ParseCtx, Register, RegisterKind};
pub use resident::Resident;
pub use service::Service;
pub use survey::Survey;
pub use team::{Team, TeamMember};
pub use visit::Visit;
pub use work_log::WorkLogEntry;
