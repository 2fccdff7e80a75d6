//! Cunjing spreadsheets (issue 9, docs/decisions/0011): import any register from .xlsx or CSV
//! (UTF-8 with or without BOM, GBK/GB18030) through the store's own add path, export any
//! register to .xlsx or CSV with a BOM, and the county station's tables per office and month.
//!
//! Nothing here is written per register: fields, labels, codes and shapes come from each
//! register's declarations and rules (see [`schema`]), so new registers import and export as
//! soon as the core knows them. The formats are read and written by calamine, csv,
//! encoding_rs and rust_xlsxwriter only.

pub mod convert;
pub mod export;
pub mod headers;
pub mod import;
pub mod schema;
pub mod sheet;
pub mod station;
pub mod write;

pub use export::{ExportQuery, TableExport, check_restricted, export_register, file_name, refused_file_name};
pub use import::{
    ImportOptions, RefusedRowsFile, TableColumn, TableFile, TableImportReport, TableMapping, TableProblem, TableRow,
    TableRowOutcome, TableTarget, import_file, import_table, mapping_of, read_mapping, write_refused,
};
pub use station::{StationTable, export_station_table, station_table};
