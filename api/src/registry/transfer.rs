//! Import and export of the registry as CSV and XLSX with Chinese headers. A file is validated
//! whole first; nothing is written unless every row is valid.

use std::collections::HashMap;

use chrono::NaiveDate;
use shared::api::AuditAction;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, DuplicateFlag, Gender, Guardian, ImportError,
    ImportReport, MonitoringStatus, Parent, Registration,
};
use shared::eligibility::ParentSituation;
use shared::Text;

use crate::accounts::{record_with, CurrentUser};
use crate::store::children::{id_hash, ChildItem};
use crate::{AppError, AppState};

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

/// The file's columns: header, and the validation field whose errors belong to it.
const COLUMNS: [(&str, &str); 29] = [
    ("姓名", "name"),
    ("性别", "gender"),
    ("出生日期", "birth_date"),
    ("身份证号", "id_number"),
    ("户籍县区代码", "registration.county_code"),
    ("户籍村社区代码", "registration.village_code"),
    ("常住村社区代码", "residence_village"),
    ("详细地址", "residence_detail"),
    ("学校", "school"),
    ("班级", "class_name"),
    ("类别", "category"),
    ("关爱等级", "care_level"),
    ("父亲情况", "father.situation"),
    ("父亲务工县区代码", "father.county_code"),
    ("父亲外出日期", "father.since"),
    ("父亲监护能力", "father.capacity"),
    ("父亲说明", "father.note"),
    ("父亲电话", "father.phone"),
    ("母亲情况", "mother.situation"),
    ("母亲务工县区代码", "mother.county_code"),
    ("母亲外出日期", "mother.since"),
    ("母亲监护能力", "mother.capacity"),
    ("母亲说明", "mother.note"),
    ("母亲电话", "mother.phone"),
    ("监护人姓名", "guardians[0].name"),
    ("监护人关系", "guardians[0].relation"),
    ("监护人电话", "guardians[0].phone"),
    ("监护人监护能力", "guardians[0].capacity"),
    ("兴趣爱好", "interests"),
];

fn header_for(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(_, name)| *name == field)
        .map(|(header, _)| *header)
        .unwrap_or("")
}

fn capacity_text(capacity: Capacity) -> &'static str {
    match capacity {
        Capacity::Capable => "有监护能力",
        Capacity::SeriouslyIll => "重病",
        Capacity::SeverelyDisabled => "重残",
        Capacity::OtherInability => "其他",
    }
}

fn parent_cells(parent: &Parent) -> [String; 6] {
    let phone = parent.phone.clone().unwrap_or_default();
    match &parent.situation {
        ParentSituation::WorkingAway {
            county_code,
            since,
            note,
        } => [
            "外出务工".into(),
            county_code.clone(),
            since.to_string(),
            String::new(),
            note.clone(),
            phone,
        ],
        ParentSituation::AtHome { capacity, note } => [
            "在家".into(),
            String::new(),
            String::new(),
            capacity_text(*capacity).into(),
            note.clone(),
            phone,
        ],
    }
}

fn row_of(child: &ChildInput) -> Vec<String> {
    let guardian = child.guardians.first();
    let mut row = vec![
        child.name.clone(),
        match child.gender {
            Gender::Male => "男".into(),
            Gender::Female => "女".into(),
        },
        child.birth_date.to_string(),
        child.id_number.clone().unwrap_or_default(),
        child.registration.county_code.clone(),
        child.registration.village_code.clone().unwrap_or_default(),
        child.residence_village.clone(),
        child.residence_detail.clone(),
        child.school.clone(),
        child.class_name.clone(),
        child.category.label().zh.into(),
        match child.care_level {
            CareLevel::Routine => "常规".into(),
            CareLevel::Focus => "重点".into(),
            CareLevel::Urgent => "紧急".into(),
        },
    ];
    row.extend(parent_cells(&child.father));
    row.extend(parent_cells(&child.mother));
    row.extend([
        guardian.map(|g| g.name.clone()).unwrap_or_default(),
        guardian.map(|g| g.relation.clone()).unwrap_or_default(),
        guardian.map(|g| g.phone.clone()).unwrap_or_default(),
        guardian
            .map(|g| capacity_text(g.capacity).to_string())
            .unwrap_or_default(),
        child.interests.clone(),
    ]);
    row
}

/// A fictional example row for the template.
fn example() -> ChildInput {
    ChildInput {
        name: "张小雨".into(),
        gender: Gender::Female,
        birth_date: NaiveDate::from_ymd_opt(2016, 3, 15).unwrap_or_default(),
        id_number: None,
        registration: Registration {
            county_code: "330303".into(),
            village_code: Some("330303001004".into()),
        },
        residence_village: "330303001004".into(),
        residence_detail: "示例路 1 号".into(),
        school: "示例小学".into(),
        class_name: "三(1)班".into(),
        category: Category::LeftBehind,
        care_level: CareLevel::Routine,
        care_level_reason: String::new(),
        guardians: vec![Guardian {
            name: "张奶奶".into(),
            relation: "祖母".into(),
            phone: "13800000000".into(),
            capacity: Capacity::Capable,
        }],
        father: Parent {
            situation: ParentSituation::WorkingAway {
                county_code: "440106".into(),
                since: NaiveDate::from_ymd_opt(2024, 2, 20).unwrap_or_default(),
                note: "春节回家".into(),
            },
            phone: None,
        },
        mother: Parent {
            situation: ParentSituation::WorkingAway {
                county_code: "330381".into(),
                since: NaiveDate::from_ymd_opt(2024, 2, 20).unwrap_or_default(),
                note: String::new(),
            },
            phone: None,
        },
        interests: "唱歌".into(),
    }
}

pub fn write_file(format: FileFormat, rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    let headers: Vec<&str> = COLUMNS.iter().map(|(header, _)| *header).collect();
    write_table(format, "儿童名册", &headers, rows)
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
                    writer.write_record(row).map_err(failed)?;
                }
                writer
                    .flush()
                    .map_err(|error| AppError::Unexpected(error.into()))?;
            }
            Ok(out)
        }
        FileFormat::Xlsx => {
            let failed = |error: rust_xlsxwriter::XlsxError| {
                AppError::Unexpected(anyhow::anyhow!("{error}"))
            };
            let mut workbook = rust_xlsxwriter::Workbook::new();
            let sheet = workbook.add_worksheet();
            sheet.set_name(sheet_name).map_err(failed)?;
            for (column, header) in headers.iter().enumerate() {
                sheet
                    .write_string(0, column as u16, *header)
                    .map_err(failed)?;
            }
            for (row_index, row) in rows.iter().enumerate() {
                for (column, value) in row.iter().enumerate() {
                    sheet
                        .write_string(row_index as u32 + 1, column as u16, value)
                        .map_err(failed)?;
                }
            }
            workbook.save_to_buffer().map_err(failed)
        }
    }
}

pub fn template(format: FileFormat) -> Result<Vec<u8>, AppError> {
    write_file(format, &[row_of(&example())])
}

pub async fn export(
    state: &AppState,
    admin: &CurrentUser,
    format: FileFormat,
    source: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let children = state.store.all_children().await?;
    let rows: Vec<Vec<String>> = children.iter().map(|child| row_of(&child.child)).collect();
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
            let mut workbook: Xlsx<_> =
                Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|_| unreadable())?;
            let range = workbook
                .worksheet_range_at(0)
                .ok_or_else(unreadable)?
                .map_err(|_| unreadable())?;
            Ok(range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::DateTime(date) => date
                                .as_datetime()
                                .map(|at| at.date().to_string())
                                .unwrap_or_default(),
                            Data::Float(number) if number.fract() == 0.0 => {
                                format!("{}", *number as i64)
                            }
                            other => other.to_string().trim().to_string(),
                        })
                        .collect()
                })
                .collect())
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
        Parent { situation, phone }
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
        }
    }
}

pub const MAX_ROWS: usize = 20_000;

/// Validates every row, then writes all of them or none.
pub async fn import(
    state: &AppState,
    admin: &CurrentUser,
    format: FileFormat,
    bytes: &[u8],
    source: Option<String>,
) -> Result<ImportReport, AppError> {
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
    if body.len() > MAX_ROWS {
        return Err(file_error(
            "一次最多导入 20000 行",
            "At most 20,000 rows per import",
        ));
    }
    let today = super::today(state);
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
    // Duplicates against the registry and within the file: imported, but flagged.
    let existing = state.store.all_children().await?;
    let mut by_id: HashMap<String, (String, String)> = HashMap::new();
    let mut by_name_birth: HashMap<(String, NaiveDate), (String, String)> = HashMap::new();
    for child in &existing {
        if let Some(id_number) = &child.child.id_number {
            by_id.insert(
                id_hash(id_number),
                (child.id.clone(), child.child.name.clone()),
            );
        }
        by_name_birth.insert(
            (child.child.name.clone(), child.child.birth_date),
            (child.id.clone(), child.child.name.clone()),
        );
    }
    let core = state.store.core_districts().await?;
    let now = state.clock.now();
    let mut possible_duplicates = Vec::new();
    let mut children = Vec::with_capacity(inputs.len());
    for (row, input) in inputs {
        let id = ulid::Ulid::new().to_string();
        let mut duplicates = Vec::new();
        let hash = input.id_number.as_deref().map(id_hash);
        if let Some((other, name)) = hash.as_ref().and_then(|hash| by_id.get(hash)) {
            duplicates.push(DuplicateFlag {
                child_id: other.clone(),
                name: name.clone(),
                reason: Text::new("身份证号相同", "Same ID number").into(),
            });
        }
        if let Some((other, name)) = by_name_birth.get(&(input.name.clone(), input.birth_date)) {
            if !duplicates.iter().any(|flag| &flag.child_id == other) {
                duplicates.push(DuplicateFlag {
                    child_id: other.clone(),
                    name: name.clone(),
                    reason: Text::new("姓名和出生日期相同", "Same name and date of birth").into(),
                });
            }
        }
        for flag in &duplicates {
            possible_duplicates.push(ImportError {
                row,
                column: "姓名".into(),
                message: format!("可能与已登记的“{}”重复({})", flag.name, flag.reason.zh),
                message_en: format!("May duplicate “{}” ({})", flag.name, flag.reason.en),
            });
        }
        if let Some(hash) = hash {
            by_id
                .entry(hash)
                .or_insert((id.clone(), input.name.clone()));
        }
        by_name_birth
            .entry((input.name.clone(), input.birth_date))
            .or_insert((id.clone(), input.name.clone()));
        children.push(ChildItem {
            id,
            version: 1,
            eligibility: input.eligibility(today, &core),
            care_level_history: vec![shared::children::CareLevelChange {
                level: input.care_level,
                reason: "导入 Imported".into(),
                by: admin.display_name.clone(),
                at: now,
            }],
            child: input,
            status: MonitoringStatus::Monitored,
            exit: None,
            duplicates,
            created_at: now,
            created_by: admin.id.clone(),
            updated_at: now,
            updated_by: admin.id.clone(),
        });
    }
    state.store.put_children_batch(&children).await?;
    let ids: Vec<&str> = children.iter().map(|child| child.id.as_str()).collect();
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ChildrenImported,
        None,
        Some(ids.join(",")),
    )
    .await?;
    Ok(ImportReport {
        imported: children.len(),
        errors: Vec::new(),
        possible_duplicates,
    })
}
