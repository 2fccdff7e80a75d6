//! Search across the roster and the registers by Chinese name (2-character names included),
//! full pinyin (`wangfang`), initials (`wf`), ID-number or phone fragment, village or place, and
//! words in long text.

pub mod pinyin_keys;
mod query;

pub use query::{MatchKind, SearchHit};
