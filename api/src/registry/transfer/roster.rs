//! The per-village roster (花名册): each village's monitored children on a sheet of its own,
//! sorted by name, with the columns a village keeps on paper.

use std::collections::HashSet;

use chrono::{Datelike, Months, NaiveDate};
use shared::api::AuditAction;
use shared::children::{ChildInput, MonitoringStatus};

use super::choices::{wording, Choice};
use super::{write_workbook, Sheet};
use crate::accounts::{record_with, CurrentUser};
use crate::store::children::ChildItem;
use crate::{AppError, AppState};

pub const ROSTER_HEADERS: [&str; 15] = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "年龄",
    "身份证号",
    "就读学校",
    "班级",
    "监护类型",
    "父亲状况",
    "母亲状况",
    "委托监护人",
    "联系电话",
    "关爱等级",
];

/// Excel's limit on a sheet name, in UTF-16 units.
const SHEET_NAME_MAX: usize = 31;

/// The roster of one village (`village`, a code the caller has checked is the district's), or
/// of every village with a monitored child. Admins only; the download is audited.
pub async fn roster(
    state: &AppState,
    admin: &CurrentUser,
    village: Option<&str>,
    source: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let today = crate::registry::today(state);
    let mut children: Vec<ChildItem> = state
        .store
        .all_children()
        .await?
        .into_iter()
        .filter(|child| child.status == MonitoringStatus::Monitored)
        .filter(|child| village.is_none_or(|code| child.child.residence_village == code))
        .collect();
    children.sort_by(|a, b| {
        (&a.child.residence_village, &a.child.name, &a.id).cmp(&(
            &b.child.residence_village,
            &b.child.name,
            &b.id,
        ))
    });
    let mut villages: Vec<(String, Vec<Vec<String>>)> = Vec::new();
    if let Some(code) = village {
        villages.push((code.to_string(), Vec::new()));
    }
    for item in &children {
        let code = &item.child.residence_village;
        if villages.last().is_none_or(|(last, _)| last != code) {
            villages.push((code.clone(), Vec::new()));
        }
        if let Some((_, rows)) = villages.last_mut() {
            let number = rows.len() + 1;
            rows.push(row_of(number, &item.child, today));
        }
    }
    let names = sheet_names(villages.iter().map(|(code, _)| code.as_str()));
    let mut sheets: Vec<Sheet<'_>> = villages
        .iter()
        .zip(names)
        .map(|((_, rows), name)| Sheet {
            name,
            headers: &ROSTER_HEADERS,
            rows,
        })
        .collect();
    if sheets.is_empty() {
        // No monitored child anywhere: still a workbook, with the headers.
        sheets.push(Sheet {
            name: "花名册".into(),
            headers: &ROSTER_HEADERS,
            rows: &[],
        });
    }
    let file = write_workbook(&sheets)?;
    let detail = match village {
        Some(code) => format!(
            "roster of village {code}: {} children, xlsx",
            children.len()
        ),
        None => format!(
            "roster: {} children in {} villages, xlsx",
            children.len(),
            villages.len()
        ),
    };
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ChildrenRosterExported,
        None,
        Some(detail),
    )
    .await?;
    Ok(file)
}

/// Age in full years (周岁) on `on`, counted as eligibility counts it: a year is full the day
/// after the birthday (`shared::eligibility::turns_16_on`).
pub(super) fn full_years(birth: NaiveDate, on: NaiveDate) -> u32 {
    let reached = |years: u32| {
        birth
            .checked_add_months(Months::new(years * 12))
            .and_then(|birthday| birthday.succ_opt())
            .is_some_and(|full| full <= on)
    };
    let mut years = u32::try_from(on.year() - birth.year()).unwrap_or(0);
    while years > 0 && !reached(years) {
        years -= 1;
    }
    years
}

/// Who looks after the child and how to reach them: the entrusted guardian, else the first
/// guardian living with the child, else a parent's phone.
fn carer(child: &ChildInput) -> (String, String) {
    if let Some(guardian) = &child.national.entrusted_guardian {
        return (
            format!("{}({})", guardian.name, guardian.relation),
            guardian.phone.clone(),
        );
    }
    if let Some(guardian) = child.guardians.first() {
        return (
            format!("{}({})", guardian.name, guardian.relation),
            guardian.phone.clone(),
        );
    }
    let phone = child
        .mother
        .phone
        .clone()
        .or_else(|| child.father.phone.clone())
        .unwrap_or_default();
    (String::new(), phone)
}

fn row_of(number: usize, child: &ChildInput, today: NaiveDate) -> Vec<String> {
    let (carer, phone) = carer(child);
    vec![
        number.to_string(),
        child.name.clone(),
        child.gender.wording().to_string(),
        child
            .national
            .ethnicity
            .as_deref()
            .and_then(shared::national::ethnicity)
            .map(|name| name.zh.to_string())
            .unwrap_or_default(),
        child.birth_date.to_string(),
        full_years(child.birth_date, today).to_string(),
        child.id_number.clone().unwrap_or_default(),
        child.school.clone(),
        child.class_name.clone(),
        wording(child.national.guardianship_type),
        child.father.situation.kind_label().zh.to_string(),
        child.mother.situation.kind_label().zh.to_string(),
        carer,
        phone,
        child.care_level.wording().to_string(),
    ]
}

/// A name Excel accepts: no `[]:*?/\`, at most 31 UTF-16 units, no apostrophe at either end.
fn sheet_name(raw: &str) -> String {
    let mut name = String::new();
    let mut units = 0;
    for c in raw
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
    {
        units += c.len_utf16();
        if units > SHEET_NAME_MAX {
            break;
        }
        name.push(c);
    }
    name.trim_matches('\'').to_string()
}

/// One distinct sheet name per village: its name; the street's and its name when two villages
/// share a name; its code if even that is taken.
fn sheet_names<'a>(codes: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut names = Vec::new();
    for code in codes {
        let village = shared::divisions::village_name(code).unwrap_or(code);
        let street = shared::divisions::street_of_village(code)
            .map(|street| street.name)
            .unwrap_or_default();
        let name = [
            sheet_name(village),
            sheet_name(&format!("{street}{village}")),
            sheet_name(code),
        ]
        .into_iter()
        .find(|name| !name.is_empty() && !taken.contains(&name.to_lowercase()))
        .unwrap_or_else(|| (names.len() + 1).to_string());
        taken.insert(name.to_lowercase());
        names.push(name);
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(raw: &str) -> NaiveDate {
        raw.parse().unwrap_or_default()
    }

    #[test]
    fn a_year_is_full_the_day_after_the_birthday() {
        let birth = date("2010-11-30");
        assert_eq!(full_years(birth, date("2026-11-30")), 15);
        assert_eq!(full_years(birth, date("2026-12-01")), 16);
        assert_eq!(full_years(birth, birth), 0);
        // Born on 29 February: 16 from 1 March, as eligibility has it.
        let leap = date("2008-02-29");
        assert_eq!(full_years(leap, date("2024-02-29")), 15);
        assert_eq!(full_years(leap, date("2024-03-01")), 16);
        assert_eq!(full_years(leap, date("2025-02-28")), 16);
        assert_eq!(full_years(leap, date("2025-03-01")), 17);
        assert_eq!(
            shared::eligibility::turns_16_on(leap),
            date("2024-03-01"),
            "the same rule"
        );
    }

    #[test]
    fn sheet_names_are_excel_names_and_distinct() {
        assert_eq!(sheet_name("a[b]:c*d?e/f\\g"), "abcdefg");
        assert_eq!(sheet_name(&"村".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name("'引号'"), "引号");
        let codes: Vec<&str> = shared::divisions::villages().map(|v| v.code).collect();
        let names = sheet_names(codes.iter().copied());
        let distinct: HashSet<&String> = names.iter().collect();
        assert_eq!(distinct.len(), codes.len());
        assert!(names
            .iter()
            .all(|name| !name.is_empty() && name.encode_utf16().count() <= SHEET_NAME_MAX));
    }
}
