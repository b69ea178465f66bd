//! Import and export of the registry as CSV and XLSX with Chinese headers.
//!
//! - `rows`: reading a file into validated children, every bad cell listed by row and column.
//! - `import`: writing them all or none (see there), and recovering an import that stopped.

mod import;
mod rows;

use chrono::NaiveDate;
use shared::api::AuditAction;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, Parent, Registration,
};
use shared::eligibility::ParentSituation;

use crate::accounts::{record_with, CurrentUser};
use crate::{AppError, AppState};

pub use import::{import, recover_unfinished_imports, IMPORT_JOURNAL_GRACE_MINUTES};

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
        other => [
            other.kind_label().zh.into(),
            String::new(),
            String::new(),
            String::new(),
            other.note().into(),
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
            ..Parent::new(ParentSituation::Deceased { note: String::new() }, None)
        },
        mother: Parent {
            situation: ParentSituation::WorkingAway {
                county_code: "330381".into(),
                since: NaiveDate::from_ymd_opt(2024, 2, 20).unwrap_or_default(),
                note: String::new(),
            },
            phone: None,
            ..Parent::new(ParentSituation::Deceased { note: String::new() }, None)
        },
        interests: "唱歌".into(),
        national: Default::default(),
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
