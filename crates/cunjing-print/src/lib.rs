//! Printing: register ledgers (台账), the wall display (警务公开栏) and the monthly or quarterly
//! report (考评) as PDF, made natively by Typst used as a library (docs/decisions/0009), with the
//! shipped Noto Sans SC subset embedded, so the same data gives the same PDF on every platform.
//!
//! Templates are `assets/print/*.typ`, compiled in; data goes in as JSON (`sys.inputs.data`),
//! never as generated markup. Internal ledgers print full data; public prints (wall, report)
//! take only [`mask::Public`] data, which only [`mask::mask_public`] makes.

pub mod ledger;
pub mod mask;
pub mod period;
pub mod report;
pub mod wall;
mod world;

use chrono::NaiveDate;
use chrono::{Datelike, Timelike};
use cunjing_core::RegisterKind;
use cunjing_core::{CoreError, CoreResult, Store};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

pub use ledger::ledger;
pub use period::Period;
pub use report::report;
pub use wall::{PaperSize, wall};

/// A typeset document.
#[derive(Debug, Clone)]
pub struct Document {
    pub pdf: Vec<u8>,
    pub pages: usize,
    /// A suggested file name (`330110-CYH-disputes-2026-01-01至2026-11-29.pdf`).
    pub file_name: String,
    pub title: String,
    /// The first pages as SVG, when a preview was asked for.
    pub svg_pages: Vec<String>,
}

/// What the UI is told about a typeset document (the bytes travel separately).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DocumentInfo {
    pub title: String,
    pub file_name: String,
    pub pages: usize,
    pub bytes: usize,
}

impl Document {
    pub fn info(&self) -> DocumentInfo {
        DocumentInfo {
            title: self.title.clone(),
            file_name: self.file_name.clone(),
            pages: self.pages,
            bytes: self.pdf.len(),
        }
    }
}

/// A document ready to typeset: a template and its data (and the wall's photo).
pub struct Job {
    template: &'static str,
    data: Value,
    photo: Option<Vec<u8>>,
    title: String,
    file_name: String,
}

impl Job {
    /// An internal document (ledgers): full data.
    fn internal(template: &'static str, data: Value, title: String, file_name: String) -> Job {
        Job { template, data, photo: None, title, file_name }
    }

    /// A public document: its data can only be [`mask::Public`].
    fn public(
        template: &'static str,
        data: mask::Public,
        photo: Option<Vec<u8>>,
        title: String,
        file_name: String,
    ) -> Job {
        Job { template, data: data.value().clone(), photo, title, file_name }
    }

    /// Typesets the PDF, and the first `svg_pages` pages as SVG for a preview. Typst's caches are
    /// emptied afterwards: the app is long-running.
    pub fn render(&self, store: &Store, svg_pages: usize) -> CoreResult<Document> {
        let world = world::PrintWorld::new(self.template, &self.data, self.photo.as_deref(), store.today());
        let now = store.now();
        let byte = |v: u32| u8::try_from(v).unwrap_or(0);
        let timestamp = typst::foundations::Datetime::from_ymd_hms(
            now.year(),
            byte(now.month()),
            byte(now.day()),
            byte(now.hour()),
            byte(now.minute()),
            byte(now.second()),
        );
        let result = world.pdf(timestamp, svg_pages);
        comemo::evict(0);
        let (pdf, pages, svg_pages) = result.map_err(CoreError::Print)?;
        Ok(Document { pdf, pages, file_name: self.file_name.clone(), title: self.title.clone(), svg_pages })
    }
}

/// What the app asks to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum PrintRequest {
    /// A register's ledger; no dates: the year so far.
    Ledger { register: RegisterKind, from: Option<NaiveDate>, to: Option<NaiveDate> },
    /// The wall display: `month` as `2026-11`, `size` `a4` or `a3`.
    Wall { month: String, size: String },
    /// The report: `period` as `2026-11` or `2026-Q4`.
    Report { period: String },
}

/// The job for a request (arguments checked: refusals carry their field).
pub fn job(store: &Store, request: &PrintRequest) -> CoreResult<Job> {
    match request {
        PrintRequest::Ledger { register, from, to } => ledger::ledger_job(store, *register, *from, *to),
        PrintRequest::Wall { month, size } => {
            wall::wall_job(store, cunjing_core::dashboard::Month::parse(month)?, PaperSize::parse(size)?)
        }
        PrintRequest::Report { period } => report::report_job(store, Period::parse(period)?),
    }
}
