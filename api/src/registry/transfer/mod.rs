//! Import and export of the registry as CSV and XLSX, in the national registration form's
//! layout (`docs/national-layout.md`), and the per-village roster.
//!
//! - `columns`: the one layout of the template, the export and the import.
//! - `national_cells`: a child as a row of it; `choices`: choices as the form words them.
//! - `rows` and `row_reader`: reading a file into validated children, every bad cell listed by
//!   row and column.
//! - `import`: writing them all or none (see there), and recovering an import that stopped.
//! - `roster`: the 花名册, one sheet per village.

mod choices;
mod columns;
mod import;
mod national_cells;
mod roster;
mod row_reader;
mod rows;
#[cfg(test)]
mod tests;

use shared::api::AuditAction;

use crate::accounts::{record_with, CurrentUser};
use crate::{AppError, AppState};

pub use import::{import, recover_unfinished_imports, IMPORT_JOURNAL_GRACE_MINUTES};
pub use roster::{roster, ROSTER_HEADERS};
pub use rows::read_workbook;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Xlsx => XLSX_MIME,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
        }
    }
}

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The layout's headers, in order.
pub fn headers() -> Vec<&'static str> {
    columns::COLUMNS.iter().map(|(header, _)| *header).collect()
}

pub fn write_file(format: FileFormat, rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    write_table(format, "儿童名册", &headers(), rows)
}

/// One sheet of a workbook: its name (at most 31 characters, none of `[]:*?/\`), header row
/// and rows.
pub struct Sheet<'a> {
    pub name: String,
    pub headers: &'a [&'a str],
    pub rows: &'a [Vec<String>],
}

/// A cell Excel would run as a formula (`=`, `+`, `-`, `@`, or a tab or return first) is written
/// with a leading apostrophe, which Excel shows as text; reading a file takes it off again
/// (`rows::cell_text`). XLSX cells are written as text and need none.
pub(crate) fn inert_in_csv(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A spreadsheet with one header row, as CSV (UTF-8 with BOM, for Excel) or XLSX.
pub fn write_table(
    format: FileFormat,
    sheet_name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, AppError> {
    match format {
        FileFormat::Csv => {
            // A byte-order mark, so that Excel opens the UTF-8 file with the right encoding.
            let mut out = "\u{feff}".as_bytes().to_vec();
            {
                let mut writer = csv::Writer::from_writer(&mut out);
                let failed = |error: csv::Error| AppError::Unexpected(error.into());
                writer.write_record(headers).map_err(failed)?;
                for row in rows {
                    writer
                        .write_record(row.iter().map(|cell| inert_in_csv(cell).into_owned()))
                        .map_err(failed)?;
                }
                writer
                    .flush()
                    .map_err(|error| AppError::Unexpected(error.into()))?;
            }
            Ok(out)
        }
        FileFormat::Xlsx => write_workbook(&[Sheet {
            name: sheet_name.to_string(),
            headers,
            rows,
        }]),
    }
}

/// An XLSX workbook of several sheets, each with one header row. Every cell is written as
/// text, so that ID numbers and codes keep their digits.
pub fn write_workbook(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, AppError> {
    let failed =
        |error: rust_xlsxwriter::XlsxError| AppError::Unexpected(anyhow::anyhow!("{error}"));
    let mut workbook = rust_xlsxwriter::Workbook::new();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet.name.as_str()).map_err(failed)?;
        for (column, header) in sheet.headers.iter().enumerate() {
            worksheet
                .write_string(0, column as u16, *header)
                .map_err(failed)?;
        }
        for (row_index, row) in sheet.rows.iter().enumerate() {
            for (column, value) in row.iter().enumerate() {
                worksheet
                    .write_string(row_index as u32 + 1, column as u16, value)
                    .map_err(failed)?;
            }
        }
    }
    workbook.save_to_buffer().map_err(failed)
}

pub fn template(format: FileFormat) -> Result<Vec<u8>, AppError> {
    write_file(
        format,
        &[national_cells::row_of(1, &national_cells::example())],
    )
}

pub async fn export(
    state: &AppState,
    admin: &CurrentUser,
    format: FileFormat,
    source: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let children = state.store.all_children().await?;
    let rows: Vec<Vec<String>> = children
        .iter()
        .enumerate()
        .map(|(i, child)| national_cells::row_of(i + 1, &child.child))
        .collect();
    let file = write_file(format, &rows)?;
    let detail = format!("{} children, {}", children.len(), format.extension());
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ChildrenExported,
        None,
        Some(detail),
    )
    .await?;
    Ok(file)
}
