//! `cunjing print …`: ledgers, the wall display and the report as PDF files (cunjing-print does
//! the typesetting; this reads the arguments, calls it once and writes the file).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use cunjing_core::dashboard::Month;
use cunjing_print::{Document, PaperSize, Period};

use crate::args::parse_date_arg;
use crate::{CliResult, Failure, open, register};

#[derive(Subcommand)]
pub enum PrintCommand {
    /// 登记簿（A4 横向，内部使用，完整信息）/ a register's ledger
    Ledger {
        /// 台账：households residents disputes patrols visits teams team_members work_log meetings services notices intel key_persons surveys
        register: String,
        /// 开始日期（默认：今年 1 月 1 日；住户、实有人口不按日期筛选）
        #[arg(long)]
        from: Option<String>,
        /// 结束日期（默认：今天）
        #[arg(long)]
        to: Option<String>,
        /// 输出的 PDF 文件
        #[arg(long)]
        out: PathBuf,
    },
    /// 警务公开栏（A4/A3 纵向，公开张贴，个人信息已隐去）/ the wall display
    Wall {
        /// 统计月份 YYYY-MM（默认：本月）
        #[arg(long)]
        month: Option<String>,
        /// 纸张 a4 | a3
        #[arg(long, default_value = "a4")]
        size: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// 工作考评表（月度 2026-11 或季度 2026-Q4；个人信息已隐去）/ the monthly or quarterly report
    Report {
        #[arg(long)]
        period: String,
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(db: &Path, command: PrintCommand) -> CliResult {
    let store = open(db)?;
    let (doc, out) = match command {
        PrintCommand::Ledger { register: name, from, to, out } => {
            let kind = register(&name)?;
            let from = from.map(|d| parse_date_arg("from", &d)).transpose()?;
            let to = to.map(|d| parse_date_arg("to", &d)).transpose()?;
            (cunjing_print::ledger(&store, kind, from, to)?, out)
        }
        PrintCommand::Wall { month, size, out } => {
            let month = match month {
                Some(m) => Month::parse(&m)?,
                None => Month::of(store.today()),
            };
            (cunjing_print::wall(&store, month, PaperSize::parse(&size)?)?, out)
        }
        PrintCommand::Report { period, out } => (cunjing_print::report(&store, Period::parse(&period)?)?, out),
    };
    write(&doc, &out)
}

fn write(doc: &Document, out: &Path) -> CliResult {
    std::fs::write(out, &doc.pdf).map_err(|e| Failure::Other(format!("无法写入 {}：{e}", out.display())))?;
    println!("{}\t{} 页\t{} KB\t{}", out.display(), doc.pages, doc.pdf.len().div_ceil(1024), doc.title);
    Ok(())
}
