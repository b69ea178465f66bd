//! Reading an uploaded file into children: the whole file is checked first, and every bad
//! cell is listed by row and column.

use chrono::NaiveDate;
use shared::children::{limits, ChildInput, ImportError};

use super::columns::{column_of, HeaderIndex};
use super::row_reader::RowReader;
use super::FileFormat;
use crate::AppError;

fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        // Excel in China saves CSV as GBK by default.
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

fn file_error(zh: &str, en: &str) -> AppError {
    AppError::InvalidRows(vec![ImportError {
        row: 1,
        column: String::new(),
        message: zh.into(),
        message_en: en.into(),
    }])
}

/// Columns a sheet may use: the layout has 75; spare ones for notes people add.
const MAX_COLUMNS: usize = 128;

type Workbook = calamine::Xlsx<std::io::Cursor<Vec<u8>>>;

fn unreadable() -> AppError {
    file_error("无法读取该 XLSX 文件", "The XLSX file cannot be read")
}

/// A CSV cell as the person meant it: trimmed, and without the apostrophe the export puts
/// before text Excel would take for a formula (`super::inert_in_csv`).
pub(crate) fn cell_text(cell: &str) -> String {
    let cell = cell.trim();
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_string(),
        _ => cell.to_string(),
    }
}

fn read_rows(format: FileFormat, bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    match format {
        FileFormat::Csv => {
            let text = decode_text(bytes);
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            reader
                .records()
                .map(|record| {
                    record
                        .map(|record| record.iter().map(cell_text).collect())
                        .map_err(|_| file_error("CSV 文件格式不正确", "The CSV file is malformed"))
                })
                .collect()
        }
        FileFormat::Xlsx => {
            let mut workbook = open_workbook(bytes)?;
            let first = calamine::Reader::sheet_names(&workbook)
                .first()
                .cloned()
                .ok_or_else(unreadable)?;
            read_sheet(&mut workbook, &first)
        }
    }
}

fn open_workbook(bytes: &[u8]) -> Result<Workbook, AppError> {
    use calamine::Reader;
    Workbook::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| unreadable())
}

/// One sheet's cells as text, in a grid bounded by the import's limits.
fn read_sheet(workbook: &mut Workbook, name: &str) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::Data;
    let too_large = || {
        file_error(
            &format!("表格超出范围:最多 10,000 行数据、{MAX_COLUMNS} 列"),
            &format!("The sheet is too large: at most 10,000 data rows and {MAX_COLUMNS} columns"),
        )
    };
    // Cells are read one by one and placed in a grid bounded by the import's limits: a
    // sheet claiming a far corner (XFD1048576) must not make us allocate its whole range.
    let mut cells = workbook
        .worksheet_cells_reader(name)
        .map_err(|_| unreadable())?;
    let max_rows = limits::IMPORT_MAX_ROWS + 1;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        if row >= max_rows || column >= MAX_COLUMNS {
            return Err(too_large());
        }
        let text = match Data::from(cell.get_value().clone()) {
            Data::DateTime(date) => date
                .as_datetime()
                .map(|at| at.date().to_string())
                .unwrap_or_default(),
            Data::Float(number) if number.fract() == 0.0 => {
                format!("{}", number as i64)
            }
            other => other.to_string().trim().to_string(),
        };
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = text;
    }
    Ok(rows)
}

/// Every sheet of an XLSX file with its cells as text (each sheet within the import's
/// limits): how a test reads back a roster.
/// A sheet as read: its name and its rows of cells.
pub type SheetCells = (String, Vec<Vec<String>>);

pub fn read_workbook(bytes: &[u8]) -> Result<Vec<SheetCells>, AppError> {
    let mut workbook = open_workbook(bytes)?;
    let names = calamine::Reader::sheet_names(&workbook);
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let rows = read_sheet(&mut workbook, &name)?;
        sheets.push((name, rows));
    }
    Ok(sheets)
}

/// The file's children, validated, with their row numbers (the header is row 1); or every
/// problem in the file.
pub(super) fn parse(
    format: FileFormat,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Vec<(usize, ChildInput)>, AppError> {
    if bytes.len() > limits::IMPORT_MAX_BYTES {
        return Err(file_error(
            "文件过大:一次最多导入 4 MB",
            "The file is too large: at most 4 MB per import",
        ));
    }
    let rows = read_rows(format, bytes)?;
    let Some((header, body)) = rows.split_first() else {
        return Err(file_error("文件是空的", "The file is empty"));
    };
    let index = HeaderIndex::of(header);
    let missing = index.missing();
    if !missing.is_empty() {
        return Err(file_error(
            &format!("缺少列:{},请使用页面上的模板", missing.join("、")),
            &format!(
                "Missing columns: {}; use the template from the page",
                missing.join(", ")
            ),
        ));
    }
    if body.len() > limits::IMPORT_MAX_ROWS {
        return Err(file_error(
            &format!("一次最多导入 {} 行", limits::IMPORT_MAX_ROWS),
            &format!("At most {} rows per import", limits::IMPORT_MAX_ROWS),
        ));
    }
    let mut errors = Vec::new();
    let mut inputs = Vec::new();
    for (i, cells) in body.iter().enumerate() {
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let row = i + 2;
        let mut reader = RowReader::new(cells, &index, row);
        let input = reader.child();
        let row_errors = std::mem::take(&mut reader.errors);
        match input.validate(today) {
            Ok(valid) if row_errors.is_empty() => inputs.push((row, valid)),
            Ok(_) => errors.extend(row_errors),
            Err(field_errors) => {
                errors.extend(row_errors);
                errors.extend(field_errors.into_iter().map(|error| ImportError {
                    row,
                    column: index.shown(column_of(&error.field, &reader.guardian_slots)),
                    message: error.message,
                    message_en: error.message_en,
                }));
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::InvalidRows(errors));
    }
    if inputs.is_empty() {
        return Err(file_error("文件中没有数据行", "The file has no data rows"));
    }
    Ok(inputs)
}
