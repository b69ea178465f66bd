//! Reading an uploaded file into children: the whole file is checked first, and every bad
//! cell is listed by row and column.

use std::collections::HashMap;

use chrono::NaiveDate;
use shared::children::{
    limits, Capacity, CareLevel, Category, ChildInput, Gender, Guardian, ImportError, Parent,
    Registration,
};
use shared::eligibility::ParentSituation;
use shared::Text;

use super::{header_for, FileFormat, COLUMNS};
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

/// Columns a sheet may use: the template has 29; a few spare for notes people add.
const MAX_COLUMNS: usize = 64;

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
                        .map(|record| record.iter().map(|cell| cell.trim().to_string()).collect())
                        .map_err(|_| file_error("CSV 文件格式不正确", "The CSV file is malformed"))
                })
                .collect()
        }
        FileFormat::Xlsx => {
            use calamine::{Data, Reader, Xlsx};
            let unreadable = || file_error("无法读取该 XLSX 文件", "The XLSX file cannot be read");
            let too_large = || {
                file_error(
                    "表格超出范围:最多 10,000 行数据、64 列",
                    "The sheet is too large: at most 10,000 data rows and 64 columns",
                )
            };
            let mut workbook: Xlsx<_> =
                Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
            let first = workbook
                .sheet_names()
                .first()
                .cloned()
                .ok_or_else(unreadable)?;
            // Cells are read one by one and placed in a grid bounded by the import's limits: a
            // sheet claiming a far corner (XFD1048576) must not make us allocate its whole range.
            let mut cells = workbook
                .worksheet_cells_reader(&first)
                .map_err(|_| unreadable())?;
            let max_rows = shared::children::limits::IMPORT_MAX_ROWS + 1;
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
    }
}

fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&raw, "%Y-%m-%d").ok()
}

fn parse_capacity(raw: &str) -> Option<Capacity> {
    match raw.trim() {
        "" | "有" | "有监护能力" | "capable" => Some(Capacity::Capable),
        "重病" | "seriously_ill" => Some(Capacity::SeriouslyIll),
        "重残" | "severely_disabled" => Some(Capacity::SeverelyDisabled),
        "其他" | "其他原因" | "other_inability" => Some(Capacity::OtherInability),
        _ => None,
    }
}

struct RowReader<'a> {
    cells: &'a [String],
    index: &'a HashMap<&'static str, usize>,
    row: usize,
    errors: Vec<ImportError>,
}

impl RowReader<'_> {
    fn cell(&self, header: &str) -> &str {
        self.index
            .get(header)
            .and_then(|at| self.cells.get(*at))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn error(&mut self, header: &str, text: Text) {
        self.errors.push(ImportError {
            row: self.row,
            column: header.to_string(),
            message: text.zh.into(),
            message_en: text.en.into(),
        });
    }

    fn parent(&mut self, who: &str) -> Parent {
        let situation_header = format!("{who}情况");
        let situation = self.cell(&situation_header).to_string();
        let note = self.cell(&format!("{who}说明")).to_string();
        let phone = Some(self.cell(&format!("{who}电话")).to_string()).filter(|p| !p.is_empty());
        let situation = match situation.as_str() {
            "外出务工" | "外出" | "away" => {
                let since_header = format!("{who}外出日期");
                let since = parse_date(self.cell(&since_header)).unwrap_or_else(|| {
                    self.error(
                        &since_header,
                        Text::new("日期格式应为 YYYY-MM-DD", "Dates look like 2024-02-20"),
                    );
                    NaiveDate::default()
                });
                ParentSituation::WorkingAway {
                    county_code: self.cell(&format!("{who}务工县区代码")).to_string(),
                    since,
                    note,
                }
            }
            "在家" | "home" => {
                let capacity_header = format!("{who}监护能力");
                let capacity = parse_capacity(self.cell(&capacity_header)).unwrap_or_else(|| {
                    self.error(
                        &capacity_header,
                        Text::new(
                            "应为:有监护能力、重病、重残或其他",
                            "Use 有监护能力, 重病, 重残 or 其他",
                        ),
                    );
                    Capacity::Capable
                });
                ParentSituation::AtHome { capacity, note }
            }
            _ => {
                self.error(
                    &situation_header,
                    Text::new(
                        "应为“外出务工”或“在家”",
                        "Use 外出务工 (working away) or 在家 (at home)",
                    ),
                );
                ParentSituation::AtHome {
                    capacity: Capacity::Capable,
                    note,
                }
            }
        };
        Parent::new(situation, phone)
    }

    fn child(&mut self) -> ChildInput {
        let gender = match self.cell("性别") {
            "男" | "M" | "male" => Gender::Male,
            "女" | "F" | "female" => Gender::Female,
            _ => {
                self.error(
                    "性别",
                    Text::new("应为“男”或“女”", "Use 男 (male) or 女 (female)"),
                );
                Gender::Male
            }
        };
        let birth_date = parse_date(self.cell("出生日期")).unwrap_or_else(|| {
            self.error(
                "出生日期",
                Text::new("日期格式应为 YYYY-MM-DD", "Dates look like 2016-03-15"),
            );
            NaiveDate::default()
        });
        let category = match self.cell("类别") {
            "" | "留守儿童" | "left_behind" => Category::LeftBehind,
            "困境儿童" | "in_difficulty" => Category::InDifficulty,
            _ => {
                self.error(
                    "类别",
                    Text::new("应为“留守儿童”或“困境儿童”", "Use 留守儿童 or 困境儿童"),
                );
                Category::LeftBehind
            }
        };
        let care_level = match self.cell("关爱等级") {
            "" | "常规" | "常规关注" | "routine" => CareLevel::Routine,
            "重点" | "重点关注" | "focus" => CareLevel::Focus,
            "紧急" | "紧急关注" | "urgent" => CareLevel::Urgent,
            _ => {
                self.error(
                    "关爱等级",
                    Text::new("应为常规、重点或紧急", "Use 常规, 重点 or 紧急"),
                );
                CareLevel::Routine
            }
        };
        let father = self.parent("父亲");
        let mother = self.parent("母亲");
        let guardian_name = self.cell("监护人姓名").to_string();
        let guardians = if guardian_name.is_empty() {
            Vec::new()
        } else {
            let capacity = parse_capacity(self.cell("监护人监护能力")).unwrap_or_else(|| {
                self.error(
                    "监护人监护能力",
                    Text::new(
                        "应为:有监护能力、重病、重残或其他",
                        "Use 有监护能力, 重病, 重残 or 其他",
                    ),
                );
                Capacity::Capable
            });
            vec![Guardian {
                name: guardian_name,
                relation: self.cell("监护人关系").to_string(),
                phone: self.cell("监护人电话").to_string(),
                capacity,
            }]
        };
        ChildInput {
            name: self.cell("姓名").to_string(),
            gender,
            birth_date,
            id_number: Some(self.cell("身份证号").to_string()).filter(|id| !id.is_empty()),
            registration: Registration {
                county_code: self.cell("户籍县区代码").to_string(),
                village_code: Some(self.cell("户籍村社区代码").to_string())
                    .filter(|v| !v.is_empty()),
            },
            residence_village: self.cell("常住村社区代码").to_string(),
            residence_detail: self.cell("详细地址").to_string(),
            school: self.cell("学校").to_string(),
            class_name: self.cell("班级").to_string(),
            category,
            care_level,
            care_level_reason: String::new(),
            guardians,
            father,
            mother,
            interests: self.cell("兴趣爱好").to_string(),
            national: Default::default(),
        }
    }
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
    let index: HashMap<&'static str, usize> = COLUMNS
        .iter()
        .filter_map(|(name, _)| {
            header
                .iter()
                .position(|cell| cell.trim() == *name)
                .map(|at| (*name, at))
        })
        .collect();
    let missing: Vec<&str> = [
        "姓名",
        "性别",
        "出生日期",
        "户籍县区代码",
        "常住村社区代码",
        "学校",
        "父亲情况",
        "母亲情况",
    ]
    .into_iter()
    .filter(|name| !index.contains_key(name))
    .collect();
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
        let mut reader = RowReader {
            cells,
            index: &index,
            row: i + 2,
            errors: Vec::new(),
        };
        let input = reader.child();
        let row_errors = std::mem::take(&mut reader.errors);
        match input.validate(today) {
            Ok(valid) if row_errors.is_empty() => inputs.push((i + 2, valid)),
            Ok(_) => errors.extend(row_errors),
            Err(field_errors) => {
                errors.extend(row_errors);
                errors.extend(field_errors.into_iter().map(|error| ImportError {
                    row: i + 2,
                    column: header_for(&error.field).to_string(),
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
