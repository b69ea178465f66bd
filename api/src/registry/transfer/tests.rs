//! The layout in memory: every field of a child written and read back in both formats, and
//! the wording, codes and earlier headers the import accepts.

use chrono::NaiveDate;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, NationalDetails, Parent,
};
use shared::eligibility::ParentSituation;
use shared::national::{
    Assistance, DifficultyGroup, DisabilityCategory, DisabilityGrade, EntrustedGuardian,
    GuardianshipType, Health, HealthStatus, IncomeSource, SchoolStage, Signoff,
};

use super::columns::COLUMNS;
use super::{headers, national_cells, rows, template, write_file, FileFormat};
use crate::AppError;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default()
}

fn date(raw: &str) -> NaiveDate {
    raw.parse().unwrap_or_default()
}

fn id(first17: &str) -> String {
    let check = shared::id_number::check_character(first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// A child with every part of the record filled in.
fn full() -> ChildInput {
    let mut child = national_cells::example();
    child.name = "王全表".into();
    child.gender = Gender::Male;
    child.birth_date = date("2015-06-01");
    child.id_number = Some(id("33030320150601001"));
    child.category = Category::InDifficulty;
    child.care_level = CareLevel::Focus;
    child.care_level_reason = "父亲去世,母亲外出".into();
    child.guardians = vec![
        Guardian {
            name: "王奶奶".into(),
            relation: "祖母".into(),
            phone: "13800001111".into(),
            capacity: Capacity::Capable,
        },
        Guardian {
            name: "王爷爷".into(),
            relation: "祖父".into(),
            phone: "0577-86666258".into(),
            capacity: Capacity::SeriouslyIll,
        },
    ];
    child.father = Parent {
        situation: ParentSituation::Deceased {
            note: "2020 年病故".into(),
        },
        phone: None,
        name: "王大".into(),
        birth_date: Some(date("1985-01-02")),
        id_number: Some(id("33030319850102003")),
    };
    child.mother = Parent {
        situation: ParentSituation::WorkingAway {
            county_code: "440106".into(),
            since: date("2023-03-01"),
            note: "在广州打工".into(),
        },
        phone: Some("13900002222".into()),
        name: "李二".into(),
        birth_date: Some(date("1988-05-12")),
        id_number: Some(id("33030319880512004")),
    };
    child.national = NationalDetails {
        ethnicity: Some("22".into()),
        hukou_registered: Some(false),
        health: Some(Health {
            status: HealthStatus::Disabled,
            disability_category: Some(DisabilityCategory::Visual),
            disability_grade: Some(DisabilityGrade::Second),
            illness: String::new(),
        }),
        schooling: Some(SchoolStage::Primary),
        boarding: Some(true),
        entrusted_guardian: Some(EntrustedGuardian {
            name: "王奶奶".into(),
            relation: "祖母".into(),
            phone: "13800001111".into(),
            id_number: Some(id("33030319600101002")),
            address: "示例路 2 号".into(),
        }),
        guardianship_type: Some(GuardianshipType::ParentIncapable),
        income_sources: vec![
            IncomeSource::Wages,
            IncomeSource::Pension,
            IncomeSource::Relatives,
        ],
        assistance: vec![
            Assistance::Dibao,
            Assistance::MedicalAssistance,
            Assistance::Other,
        ],
        assistance_other: "慈善助学".into(),
        difficulty_groups: vec![DifficultyGroup::Disabled, DifficultyGroup::LowIncomeFamily],
        signoff: Signoff {
            filled_by: "周填表".into(),
            checked_by: "吴复核".into(),
            responsible: "郑主任".into(),
        },
    };
    child
}

/// The full child, and variations: every parent situation, an ill child, a record with none
/// of the national details.
fn children() -> Vec<ChildInput> {
    let situations = [
        ParentSituation::Missing {
            since: Some(date("2022-08-01")),
            note: "联系不上".into(),
        },
        ParentSituation::Missing {
            since: None,
            note: String::new(),
        },
        ParentSituation::Imprisoned {
            note: "服刑至 2028 年".into(),
        },
        ParentSituation::DrugRehabilitation {
            note: String::new(),
        },
        ParentSituation::AtHome {
            capacity: Capacity::OtherInability,
            note: "长期卧床".into(),
        },
        ParentSituation::AtHome {
            capacity: Capacity::Capable,
            note: String::new(),
        },
        ParentSituation::WorkingAway {
            county_code: "110105".into(),
            since: date("2021-01-01"),
            note: String::new(),
        },
    ];
    let names = ["赵一", "钱二", "孙三", "李四", "周五", "吴六", "郑七"];
    let mut all = vec![full()];
    for (situation, name) in situations.into_iter().zip(names) {
        let mut child = full();
        child.name = name.into();
        child.father.situation = situation;
        all.push(child);
    }
    let mut ill = full();
    ill.name = "冯八".into();
    ill.national.health = Some(Health {
        status: HealthStatus::Ill,
        disability_category: None,
        disability_grade: None,
        illness: "哮喘".into(),
    });
    ill.national.entrusted_guardian = None;
    ill.guardians = Vec::new();
    all.push(ill);
    let mut plain = national_cells::example();
    plain.name = "陈九".into();
    plain.national = NationalDetails::default();
    all.push(plain);
    all
}

fn parsed(format: FileFormat, rows: &[Vec<String>]) -> Result<Vec<ChildInput>, AppError> {
    let bytes = write_file(format, rows)?;
    Ok(rows::parse(format, &bytes, today())?
        .into_iter()
        .map(|(_, child)| child)
        .collect())
}

#[test]
fn every_field_survives_export_and_import_in_both_formats() {
    let children = children();
    let rows: Vec<Vec<String>> = children
        .iter()
        .enumerate()
        .map(|(i, child)| national_cells::row_of(i + 1, child))
        .collect();
    assert!(rows.iter().all(|row| row.len() == COLUMNS.len()));
    for format in [FileFormat::Csv, FileFormat::Xlsx] {
        let read = parsed(format, &rows).expect("the export imports");
        assert_eq!(read.len(), children.len());
        for (written, read) in children.iter().zip(read) {
            let valid = written.validate(today()).expect("the example is valid");
            assert_eq!(&valid, written, "the example is already normalised");
            assert_eq!(read, valid, "{format:?}: {}", written.name);
        }
    }
}

#[test]
fn text_excel_would_run_as_a_formula_is_inert_in_csv_and_reads_back_as_written() {
    let mut child = full();
    child.interests = "=HYPERLINK(\"http://example.invalid\",\"点我\")".into();
    child.residence_detail = "-3 组 @ 村口".into();
    let rows = vec![national_cells::row_of(1, &child)];
    let csv = String::from_utf8(write_file(FileFormat::Csv, &rows).unwrap()).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains("'-3 组"), "{csv}");
    assert!(!csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"));
    let read = parsed(FileFormat::Csv, &rows).expect("imports");
    assert_eq!(read[0].interests, child.interests);
    assert_eq!(read[0].residence_detail, child.residence_detail);
}

#[test]
fn the_template_imports_as_its_example() {
    for format in [FileFormat::Csv, FileFormat::Xlsx] {
        let bytes = template(format).expect("template");
        let read = rows::parse(format, &bytes, today()).expect("the template imports");
        let example = national_cells::example().validate(today()).expect("valid");
        assert_eq!(read, vec![(2, example)]);
    }
}

fn cell<'a>(row: &'a [String], header: &str) -> &'a str {
    let at = headers()
        .iter()
        .position(|h| *h == header)
        .unwrap_or(usize::MAX);
    row.get(at).map(String::as_str).unwrap_or("")
}

#[test]
fn choices_are_written_in_the_forms_words_and_places_by_province_and_city() {
    let mut child = full();
    child.father.situation = ParentSituation::WorkingAway {
        county_code: "110105".into(),
        since: date("2021-01-01"),
        note: String::new(),
    };
    let row = national_cells::row_of(1, &child);
    let expected = [
        ("民族", "畲族"),
        ("是否登记户口", "否"),
        ("健康状况", "残疾"),
        ("残疾类别", "视力残疾"),
        ("残疾等级", "二级"),
        ("就学情况", "小学"),
        ("是否寄宿", "是"),
        ("父亲务工地省份", "北京市"),
        ("父亲务工地市", "北京市"),
        ("母亲状况", "外出务工"),
        ("母亲务工地省份", "广东省"),
        ("母亲务工地市", "广州市"),
        ("监护类型", "父或母无监护能力"),
        ("家庭收入来源", "务工收入、养老金、亲友资助"),
        ("享受救助情况", "低保、医疗救助、其他"),
        ("困境儿童类别", "残疾儿童、低保家庭儿童"),
        ("类别", "困境儿童"),
        ("关爱等级", "重点关注"),
    ];
    for (header, value) in expected {
        assert_eq!(cell(&row, header), value, "{header}");
    }
    assert!(cell(&row, "现居住地址").contains("永上居委会"));
}

fn line(cells: &[(&str, &str)]) -> Vec<String> {
    let headers = headers();
    let mut row = vec![String::new(); headers.len()];
    for (header, value) in cells {
        let at = headers.iter().position(|h| h == header);
        assert!(at.is_some(), "no column {header}");
        row[at.unwrap_or_default()] = value.to_string();
    }
    row
}

const VILLAGE: &str = "330303001004";

fn basic() -> Vec<(&'static str, &'static str)> {
    vec![
        ("姓名", "林小北"),
        ("性别", "女"),
        ("出生日期", "2016-03-15"),
        ("户籍所在县(区)代码", "330303"),
        ("常住村社区代码", VILLAGE),
        ("学校", "示例小学"),
        ("父亲状况", "外出务工"),
        ("父亲务工县区代码", "440106"),
        ("父亲外出时间", "2024年2月"),
        ("母亲状况", "在家"),
    ]
}

#[test]
fn codes_and_common_spellings_are_read_too() {
    let mut cells = basic();
    cells.extend([
        ("性别", "female"),
        ("母亲状况", "at_home"),
        ("母亲在家监护能力", "seriously_ill"),
        ("民族", "汉"),
        ("健康状况", "ill"),
        ("患病类型", "哮喘"),
        ("就学情况", "junior_secondary"),
        ("是否寄宿", "yes"),
        ("家庭收入来源", "wages;务农收入"),
        ("享受救助情况", "低保 临时救助"),
        ("困境儿童类别", "orphan"),
        ("关爱等级", "紧急"),
    ]);
    let read = parsed(FileFormat::Csv, &[line(&cells)]).expect("imports");
    let child = &read[0];
    assert_eq!(child.gender, Gender::Female);
    assert_eq!(
        child.father.situation,
        ParentSituation::WorkingAway {
            county_code: "440106".into(),
            since: date("2024-02-01"),
            note: String::new(),
        }
    );
    assert_eq!(
        child.mother.situation,
        ParentSituation::AtHome {
            capacity: Capacity::SeriouslyIll,
            note: String::new(),
        }
    );
    let national = &child.national;
    assert_eq!(national.ethnicity.as_deref(), Some("01"));
    assert_eq!(
        national
            .health
            .as_ref()
            .map(|h| (h.status, h.illness.as_str())),
        Some((HealthStatus::Ill, "哮喘"))
    );
    assert_eq!(national.schooling, Some(SchoolStage::JuniorSecondary));
    assert_eq!(national.boarding, Some(true));
    assert_eq!(
        national.income_sources,
        [IncomeSource::Wages, IncomeSource::Farming]
    );
    assert_eq!(
        national.assistance,
        [Assistance::Dibao, Assistance::TemporaryRelief]
    );
    assert_eq!(national.difficulty_groups, [DifficultyGroup::Orphan]);
    assert_eq!(child.care_level, CareLevel::Urgent);
}

#[test]
fn every_bad_cell_is_named_by_its_column() {
    let mut cells = basic();
    cells.extend([
        ("民族", "火星族"),
        ("健康状况", "残疾"),
        ("母亲状况", "出走"),
        ("父亲出生日期", "1985-13-01"),
        ("是否寄宿", "也许"),
        ("家庭收入来源", "务工收入、彩票"),
    ]);
    let Err(AppError::InvalidRows(errors)) = parsed(FileFormat::Csv, &[line(&cells)]) else {
        panic!("the row is refused");
    };
    let mut columns: Vec<&str> = errors.iter().map(|e| e.column.as_str()).collect();
    columns.sort_unstable();
    let mut expected = vec![
        "民族",
        "残疾类别",
        "残疾等级",
        "母亲状况",
        "父亲出生日期",
        "是否寄宿",
        "家庭收入来源",
    ];
    expected.sort_unstable();
    assert_eq!(columns, expected, "{errors:?}");
    assert!(errors
        .iter()
        .all(|e| e.row == 2 && !e.message.is_empty() && !e.message_en.is_empty()));
}

#[test]
fn files_from_the_first_template_still_import() {
    let header = "姓名,性别,出生日期,身份证号,户籍县区代码,户籍村社区代码,常住村社区代码,详细地址,学校,班级,类别,关爱等级,父亲情况,父亲务工县区代码,父亲外出日期,父亲监护能力,父亲说明,父亲电话,母亲情况,母亲务工县区代码,母亲外出日期,母亲监护能力,母亲说明,母亲电话,监护人姓名,监护人关系,监护人电话,监护人监护能力,兴趣爱好";
    let row = format!("张小雨,女,2016-03-15,,330303,{VILLAGE},{VILLAGE},示例路 1 号,示例小学,三(1)班,留守儿童,常规,外出务工,440106,2024-02-20,,,,在家,,,重病,,,张奶奶,祖母,13800000000,有监护能力,唱歌");
    let file = format!("{header}\n{row}").into_bytes();
    let read = rows::parse(FileFormat::Csv, &file, today()).expect("imports");
    let child = &read[0].1;
    assert_eq!(child.registration.village_code.as_deref(), Some(VILLAGE));
    assert_eq!(
        child.mother.situation,
        ParentSituation::AtHome {
            capacity: Capacity::SeriouslyIll,
            note: String::new(),
        }
    );
    assert_eq!(child.guardians.len(), 1);
    assert_eq!(child.guardians[0].phone, "13800000000");
    assert_eq!(child.national, NationalDetails::default());
}
