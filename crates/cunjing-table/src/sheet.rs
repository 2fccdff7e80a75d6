//! Reading a spreadsheet file into rows of cells: .xlsx/.xlsm/.xls/.ods by calamine, .csv by the
//! csv crate after decoding (UTF-8 with or without BOM; otherwise GB18030, the superset of GBK
//! that Excel and WPS on Chinese Windows write).

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::{NaiveDate, NaiveTime};
use cunjing_core::{CoreError, CoreResult, ErrorCode};

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    Time(NaiveTime),
    DateTime(NaiveDate, NaiveTime),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text (headings, the refused-rows sheet, text fields).
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.trim().to_string(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Time(t) => t.format("%H:%M").to_string(),
            Cell::DateTime(d, t) => format!("{d} {}", t.format("%H:%M")),
        }
    }
}

/// A number as people wrote it: 13812345678, not 13812345678.0 or 1.3812345678e10.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// A whole sheet: every row, the header row among them.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The worksheet's name (empty for CSV).
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    /// What the CSV was decoded from (`UTF-8`, `UTF-8 (BOM)`, `GB18030`); empty for workbooks.
    pub encoding: String,
}

pub(crate) fn refused(path: &Path, message: impl Into<String>) -> CoreError {
    CoreError::refused(ErrorCode::TableFileRefused, path.display().to_string(), message)
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

/// Reads the first worksheet of a workbook, or a CSV file.
pub fn read(path: &Path) -> CoreResult<Sheet> {
    let bytes = std::fs::read(path).map_err(|e| refused(path, format!("无法读取 {}：{e}", path.display())))?;
    read_bytes(&path.display().to_string(), &bytes)
}

/// Reads a file's bytes (the app sends what the user chose); `name` gives the kind by its
/// extension and names the file in messages.
pub fn read_bytes(name: &str, bytes: &[u8]) -> CoreResult<Sheet> {
    let path = Path::new(name);
    match extension(path).as_str() {
        "csv" | "txt" => read_csv(bytes),
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" | "et" => read_workbook(path, bytes),
        _ => Err(refused(path, format!("不认识的表格文件：{name}（可导入 .xlsx、.xls、.et、.csv）"))),
    }
}

fn read_workbook(path: &Path, bytes: &[u8]) -> CoreResult<Sheet> {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
        refused(path, format!("无法打开表格文件 {}：{e}（文件可能已损坏或不是 Excel/WPS 表格）", path.display()))
    })?;
    let Some(name) = book.sheet_names().first().cloned() else {
        return Err(refused(path, "表格文件中没有工作表"));
    };
    let range = book.worksheet_range(&name).map_err(|e| refused(path, format!("无法读取工作表「{name}」：{e}")))?;
    // Rows start at the sheet's first row (row 1), even when the used range starts lower, so
    // row numbers in reports are the ones Excel and WPS show.
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); start_row as usize];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; start_col as usize];
        cells.extend(row.iter().map(cell_of));
        rows.push(cells);
    }
    Ok(Sheet { name, rows, encoding: String::new() })
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) if dt.as_f64() < 1.0 => Cell::Time(t.time()),
            Some(t) if t.time() == NaiveTime::MIN => Cell::Date(t.date()),
            Some(t) => Cell::DateTime(t.date(), t.time()),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
                Cell::DateTime(t.date(), t.time())
            } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Cell::Date(d)
            } else {
                Cell::Text(s.clone())
            }
        }
    }
}

/// Decodes CSV bytes: UTF-8 (a BOM is dropped) when they are valid UTF-8, else GB18030.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)");
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::GB18030.decode(bytes);
            (text.into_owned(), "GB18030")
        }
    }
}

pub fn read_csv(bytes: &[u8]) -> CoreResult<Sheet> {
    let (text, encoding) = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record
            .map_err(|e| CoreError::refused(ErrorCode::TableFileRefused, "", format!("CSV 文件格式有误：{e}")))?;
        rows.push(
            record.iter().map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }).collect(),
        );
    }
    Ok(Sheet { name: String::new(), rows, encoding: encoding.to_string() })
}

/// Comma, unless the first line has more tabs or semicolons (exports of some ledger programs).
fn sniff_delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let count = |c: char| first.matches(c).count();
    [(b',', count(',')), (b'\t', count('\t')), (b';', count(';'))]
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map(|(d, _)| d)
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_every_encoding_people_send() {
        let text = "日期,民警\n2026-3-5,李建国\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        for (bytes, enc) in [
            (text.as_bytes().to_vec(), "UTF-8"),
            ([b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(), "UTF-8 (BOM)"),
            (gbk.into_owned(), "GB18030"),
        ] {
            let sheet = read_csv(&bytes).expect("csv");
            assert_eq!(sheet.encoding, enc);
            assert_eq!(sheet.rows[0][0], Cell::Text("日期".into()));
            assert_eq!(sheet.rows[1][1], Cell::Text("李建国".into()));
        }
    }

    #[test]
    fn numbers_read_back_as_written() {
        assert_eq!(number_text(13812345678.0), "13812345678");
        assert_eq!(number_text(2.5), "2.5");
    }
}
