//! The registers' types and rules, free of storage concerns.

pub mod code_lists;
pub mod codes;
pub mod dispute;
pub mod household;
pub mod patrol;
pub mod record;
pub mod register;
pub mod resident;
pub mod visit;

pub use codes::{CodeEnum, CodeLabel, Satisfaction, Sex};
pub use dispute::Dispute;
pub use household::Household;
pub use patrol::Patrol;
pub use record::RecordMeta;
pub use register::{ParseCtx, Register, RegisterKind};
pub use resident::Resident;
pub use visit::Visit;
