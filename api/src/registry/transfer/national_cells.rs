//! A child as one row of the national layout (`columns::COLUMNS`, in that order).

use chrono::NaiveDate;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, NationalDetails, Parent,
    Registration,
};
use shared::eligibility::ParentSituation;
use shared::national::{
    EntrustedGuardian, GuardianshipType, Health, HealthStatus, IncomeSource, SchoolStage, Signoff,
};

use super::choices::{joined, wording, yes_no, Choice};
use super::columns::GUARDIAN_SLOTS;

/// The province and city of a workplace's county, as the form asks for them. A municipality's
/// districts have no city of their own ("市辖区"): the form writes the municipality twice.
fn workplace(county_code: &str) -> (String, String) {
    let Some(county) = shared::divisions::county(county_code) else {
        return (String::new(), String::new());
    };
    let province =
        shared::divisions::province_name(county_code.get(..2).unwrap_or_default()).unwrap_or("");
    let city = match shared::divisions::city_name(county.parent) {
        None | Some("市辖区") | Some("县") => province,
        Some(city) => city,
    };
    (province.to_string(), city.to_string())
}

/// Where the child lives, in words: the district, street and village, then the detail.
fn current_address(child: &ChildInput) -> String {
    let village = &child.residence_village;
    let street = shared::divisions::street_of_village(village)
        .map(|street| street.name)
        .unwrap_or_default();
    let village_name = shared::divisions::village_name(village).unwrap_or_default();
    format!(
        "{}{street}{village_name}{}",
        shared::divisions::county_full_name(shared::divisions::DISTRICT_CODE),
        child.residence_detail
    )
}

/// The form's nine cells of a parent (name … phone), and the portal's two (capacity at home,
/// note).
fn parent_cells(parent: &Parent) -> ([String; 9], [String; 2]) {
    let (county, since, capacity) = match &parent.situation {
        ParentSituation::WorkingAway {
            county_code, since, ..
        } => (county_code.clone(), since.to_string(), String::new()),
        ParentSituation::Missing { since, .. } => (
            String::new(),
            since.map(|since| since.to_string()).unwrap_or_default(),
            String::new(),
        ),
        ParentSituation::AtHome { capacity, .. } => {
            (String::new(), String::new(), capacity.wording().to_string())
        }
        _ => (String::new(), String::new(), String::new()),
    };
    let (province, city) = workplace(&county);
    (
        [
            parent.name.clone(),
            parent
                .birth_date
                .map(|born| born.to_string())
                .unwrap_or_default(),
            parent.id_number.clone().unwrap_or_default(),
            parent.situation.kind_label().zh.to_string(),
            province,
            city,
            county,
            since,
            parent.phone.clone().unwrap_or_default(),
        ],
        [capacity, parent.situation.note().to_string()],
    )
}

fn health_cells(health: Option<&Health>) -> [String; 4] {
    match health {
        None => Default::default(),
        Some(health) => [
            health.status.wording().to_string(),
            wording(health.disability_category),
            wording(health.disability_grade),
            health.illness.clone(),
        ],
    }
}

fn entrusted_cells(guardian: Option<&EntrustedGuardian>) -> [String; 5] {
    match guardian {
        None => Default::default(),
        Some(guardian) => [
            guardian.name.clone(),
            guardian.relation.clone(),
            guardian.phone.clone(),
            guardian.id_number.clone().unwrap_or_default(),
            guardian.address.clone(),
        ],
    }
}

fn guardian_cells(guardian: Option<&Guardian>) -> [String; 4] {
    match guardian {
        None => Default::default(),
        Some(guardian) => [
            guardian.name.clone(),
            guardian.relation.clone(),
            guardian.phone.clone(),
            guardian.capacity.wording().to_string(),
        ],
    }
}

/// The row of a child, `number` its 序号.
pub(super) fn row_of(number: usize, child: &ChildInput) -> Vec<String> {
    let national = &child.national;
    let (father, father_portal) = parent_cells(&child.father);
    let (mother, mother_portal) = parent_cells(&child.mother);
    let mut row = vec![
        number.to_string(),
        child.name.clone(),
        child.gender.wording().to_string(),
        national
            .ethnicity
            .as_deref()
            .and_then(shared::national::ethnicity)
            .map(|name| name.zh.to_string())
            .unwrap_or_default(),
        child.birth_date.to_string(),
        child.id_number.clone().unwrap_or_default(),
        yes_no(national.hukou_registered),
        child.registration.county_code.clone(),
        child.registration.village_code.clone().unwrap_or_default(),
        current_address(child),
    ];
    row.extend(health_cells(national.health.as_ref()));
    row.extend([wording(national.schooling), yes_no(national.boarding)]);
    row.extend(father);
    row.extend(mother);
    row.extend(entrusted_cells(national.entrusted_guardian.as_ref()));
    row.extend([
        wording(national.guardianship_type),
        joined(&national.income_sources),
        joined(&national.assistance),
        national.assistance_other.clone(),
        joined(&national.difficulty_groups),
        national.signoff.filled_by.clone(),
        national.signoff.checked_by.clone(),
        national.signoff.responsible.clone(),
        child.residence_village.clone(),
        child.residence_detail.clone(),
        child.school.clone(),
        child.class_name.clone(),
        child.category.wording().to_string(),
        child.care_level.wording().to_string(),
        child.care_level_reason.clone(),
    ]);
    row.extend(father_portal);
    row.extend(mother_portal);
    for slot in 0..GUARDIAN_SLOTS {
        row.extend(guardian_cells(child.guardians.get(slot)));
    }
    row.push(child.interests.clone());
    row
}

/// A fictional example row for the template, with the national form's details filled in.
pub(super) fn example() -> ChildInput {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    ChildInput {
        name: "张小雨".into(),
        gender: Gender::Female,
        birth_date: date(2016, 3, 15),
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
            name: "张大山".into(),
            ..Parent::new(
                ParentSituation::WorkingAway {
                    county_code: "440106".into(),
                    since: date(2024, 2, 20),
                    note: "春节回家".into(),
                },
                None,
            )
        },
        mother: Parent {
            name: "李小花".into(),
            ..Parent::new(
                ParentSituation::WorkingAway {
                    county_code: "330381".into(),
                    since: date(2024, 2, 20),
                    note: String::new(),
                },
                None,
            )
        },
        interests: "唱歌".into(),
        national: NationalDetails {
            ethnicity: Some("01".into()),
            hukou_registered: Some(true),
            health: Some(Health {
                status: HealthStatus::Healthy,
                disability_category: None,
                disability_grade: None,
                illness: String::new(),
            }),
            schooling: Some(SchoolStage::Primary),
            boarding: Some(false),
            entrusted_guardian: Some(EntrustedGuardian {
                name: "张奶奶".into(),
                relation: "祖母".into(),
                phone: "13800000000".into(),
                id_number: None,
                address: "示例路 1 号".into(),
            }),
            guardianship_type: Some(GuardianshipType::Ordinary),
            income_sources: vec![IncomeSource::Wages, IncomeSource::Farming],
            assistance: Vec::new(),
            assistance_other: String::new(),
            difficulty_groups: Vec::new(),
            signoff: Signoff {
                filled_by: "王填表".into(),
                checked_by: "陈复核".into(),
                responsible: "刘主任".into(),
            },
        },
    }
}
