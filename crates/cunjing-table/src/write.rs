//! Writing a table: .xlsx by rust_xlsxwriter (bold frozen header row, dates as real dates,
//! column widths that fit Chinese text) or CSV by the csv crate with a UTF-8 BOM (so Excel and
//! WPS show the Chinese instead of mojibake).

use std::path::Path;

use chrono::{Datelike, NaiveDate};
use cunjing_core::CoreResult;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};

use crate::sheet::refused;

/// One cell to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Empty,
    Text(String),
    Int(i64),
    Number(f64),
    Date(NaiveDate),
}

impl Out {
    fn text(&self) -> String {
        match self {
            Out::Empty => String::new(),
            Out::Text(s) => s.clone(),
            Out::Int(n) => n.to_string(),
            Out::Number(n) => crate::sheet::number_text(*n),
            Out::Date(d) => d.to_string(),
        }
    }
}

/// A sheet to write: a heading per column and the rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub sheet_name: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Out>>,
}

/// The formats this crate writes, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Csv,
}

pub fn format_of(path: &Path) -> CoreResult<FileFormat> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("xlsx") => Ok(FileFormat::Xlsx),
        Some("csv") => Ok(FileFormat::Csv),
        _ => Err(refused(path, format!("导出文件名应以 .xlsx 或 .csv 结尾：{}", path.display()))),
    }
}

/// Writes `table` to `path` (.xlsx or .csv): to a temporary name beside it first, renamed
/// when complete, so a half-written file never carries the real name.
pub fn write(table: &Table, path: &Path) -> CoreResult<()> {
    let format = format_of(path)?;
    let bytes = match format {
        FileFormat::Xlsx => xlsx(table).map_err(|e| refused(path, format!("无法生成 Excel 文件：{e}")))?,
        FileFormat::Csv => csv_bytes(table).map_err(|e| refused(path, format!("无法生成 CSV 文件：{e}")))?,
    };
    let part = path.with_extension(format!("{}.part", path.extension().and_then(|e| e.to_str()).unwrap_or("")));
    let io = |e: std::io::Error| refused(path, format!("无法写入 {}：{e}", path.display()));
    std::fs::write(&part, &bytes).map_err(io)?;
    std::fs::rename(&part, path).map_err(io)?;
    Ok(())
}

/// How wide text shows in a spreadsheet, in widths of `0`: Chinese characters take two.
fn display_width(s: &str) -> usize {
    s.lines().map(|l| l.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()).max().unwrap_or(0)
}

/// A worksheet name Excel accepts (≤ 31 characters, none of `[]:*?/\`).
fn sheet_name(name: &str) -> String {
    let clean: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '、' } else { c }).take(31).collect();
    if clean.is_empty() { "Sheet1".into() } else { clean }
}

fn xlsx(table: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#DDEBF7").set_align(FormatAlign::Center);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&table.sheet_name))?;
    let mut widths: Vec<usize> = table.headings.iter().map(|h| display_width(h)).collect();
    for (c, heading) in table.headings.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, heading, &header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            match cell {
                Out::Empty => {}
                Out::Text(s) => {
                    sheet.write_string(r, col, s)?;
                }
                Out::Int(n) => {
                    sheet.write_number(r, col, *n as f64)?;
                }
                Out::Number(n) => {
                    sheet.write_number(r, col, *n)?;
                }
                Out::Date(d) => {
                    let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    sheet.write_datetime_with_format(r, col, &dt, &date)?;
                }
            }
            if let Some(w) = widths.get_mut(c) {
                let shown = if matches!(cell, Out::Date(_)) { 10 } else { display_width(&cell.text()) };
                *w = (*w).max(shown);
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w + 2).clamp(6, 60) as f64)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.headings.is_empty() {
        sheet.autofilter(0, 0, table.rows.len() as u32, table.headings.len() as u16 - 1)?;
    }
    book.save_to_buffer()
}

fn csv_bytes(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        w.write_record(&table.headings)?;
        for row in &table.rows {
            w.write_record(row.iter().map(Out::text))?;
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_bom_and_chinese() {
        let t = Table {
            sheet_name: "巡逻".into(),
            headings: vec!["日期".into(), "人数".into()],
            rows: vec![vec![Out::Date(NaiveDate::from_ymd_opt(2026, 3, 5).expect("d")), Out::Int(3)]],
        };
        let bytes = csv_bytes(&t).expect("csv");
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert_eq!(std::str::from_utf8(&bytes[3..]).expect("utf8"), "日期,人数\n2026-03-05,3\n");
        assert_eq!(sheet_name("重点对象/关注对象"), "重点对象、关注对象");
        assert_eq!(display_width("当事人1姓名"), 11);
    }
}
