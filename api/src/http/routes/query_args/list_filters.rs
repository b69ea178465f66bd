//! The registry list's filters from their query values (`/api/children?…`, and the portal's
//! `/children?…` and the statistics' links, which spell them alike), checked: every bad value
//! is named in one 400, in both languages.

use chrono::{DateTime, NaiveDate, Utc};
use shared::national::{AgeBand, DifficultyGroup, GuardianshipType, SchoolStage};
use shared::{ErrorCode, FieldError};

use super::{ChildListArgs, NameOrder};
use crate::http::error::HttpError;
use crate::store::children::{ChildFilter, Memberships, Recorded};

impl ChildListArgs {
    /// The list's filters, with today's Beijing date for an age band. Every bad value is
    /// named in one 400 (the page and the statistics' links build these queries).
    pub fn filters(&self, today: NaiveDate) -> Result<(ChildFilter, Memberships), HttpError> {
        let errors = &mut Vec::new();
        let guardianship_types = GuardianshipType::ALL.iter().map(|choice| choice.as_str());
        let school_stages = SchoolStage::ALL.iter().map(|choice| choice.as_str());
        let guardianship_type = self.guardianship_type.as_deref();
        let school_stage = self.school_stage.as_deref();
        let registered_year = year("registered_year", self.registered_year.as_deref());
        let exited_year = year("exited_year", self.exited_year.as_deref());
        let filter = ChildFilter {
            name_prefix: None,
            school: self
                .school
                .clone()
                .filter(|school| !school.trim().is_empty()),
            category: self.category.map(|category| category.as_str().to_string()),
            care_level: self.care_level.map(|level| level.as_str().to_string()),
            eligible: self.eligible,
            status: self.status.map(|status| status.as_str().to_string()),
            villages: Vec::new(),
            street: check(errors, street(self.street.as_deref())),
            gender: check(errors, gender(self.gender.as_deref())),
            born: check(errors, age_band(self.age_band.as_deref(), today)),
            guardianship_type: check(
                errors,
                recorded("guardianship_type", guardianship_type, guardianship_types),
            ),
            school_stage: check(
                errors,
                recorded("school_stage", school_stage, school_stages),
            ),
            difficulty_group: check(errors, difficulty_group(self.difficulty_group.as_deref())),
            registered: check(errors, registered_year).and_then(beijing_year),
            exited: check(errors, exited_year).and_then(|year| {
                Some((
                    NaiveDate::from_ymd_opt(year, 1, 1)?,
                    NaiveDate::from_ymd_opt(year, 12, 31)?,
                ))
            }),
            id_sets: Vec::new(),
            descending: self.sort == Some(NameOrder::Descending),
        };
        let memberships = Memberships {
            paired: check(errors, flag("paired", self.paired.as_deref())),
            case_group: check(errors, flag("case_group", self.case_group.as_deref())),
            open_crisis: check(errors, flag("open_crisis", self.open_crisis.as_deref())),
        };
        if errors.is_empty() {
            Ok((filter, memberships))
        } else {
            Err(bad_parameters(std::mem::take(errors)))
        }
    }
}

/// 400, naming each bad query parameter in both languages.
pub fn bad_parameters(fields: Vec<FieldError>) -> HttpError {
    let mut error = HttpError::new(ErrorCode::InvalidBody);
    error.body.fields = fields;
    error
}

/// A checked value, or nothing with its error kept for the answer.
fn check<T>(errors: &mut Vec<FieldError>, result: Result<Option<T>, FieldError>) -> Option<T> {
    result.unwrap_or_else(|error| {
        errors.push(error);
        None
    })
}

/// A parameter's value, when one was given (`?gender=` is no filter).
fn trimmed(raw: Option<&str>) -> Option<&str> {
    raw.map(str::trim).filter(|value| !value.is_empty())
}

/// "a, b or c" for a message listing the codes a parameter takes.
fn codes(codes: impl Iterator<Item = &'static str>) -> String {
    codes.collect::<Vec<_>>().join(", ")
}

fn one_of(field: &str, allowed: String) -> FieldError {
    FieldError::new_owned(
        field,
        format!("{field} 的取值应为:{allowed}"),
        format!("{field} takes one of: {allowed}"),
    )
}

/// A street of this district, by its 9-digit code.
pub fn street(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(code) = trimmed(raw) else {
        return Ok(None);
    };
    if shared::divisions::streets().any(|street| street.code == code) {
        Ok(Some(code.to_string()))
    } else {
        Err(FieldError::new(
            "street",
            shared::Text::new(
                "不是本区的街道代码(9 位数字)",
                "Not the code of a street of this district (9 digits)",
            ),
        ))
    }
}

/// A village or community of this district, by its 12-digit code.
pub fn village(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(code) = trimmed(raw) else {
        return Ok(None);
    };
    if shared::divisions::is_village(code) {
        Ok(Some(code.to_string()))
    } else {
        Err(FieldError::new(
            "village",
            shared::Text::new(
                "不是本区的村(社区)代码(12 位数字)",
                "Not the code of a village or community of this district (12 digits)",
            ),
        ))
    }
}

/// The gender as stored (the serde name of `shared::children::Gender`).
fn gender(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    match trimmed(raw) {
        None => Ok(None),
        Some(code @ ("male" | "female")) => Ok(Some(code.to_string())),
        Some(_) => Err(one_of("gender", "male, female".into())),
    }
}

/// The birth dates of an age band on `today`.
fn age_band(
    raw: Option<&str>,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, NaiveDate)>, FieldError> {
    let Some(code) = trimmed(raw) else {
        return Ok(None);
    };
    AgeBand::parse(code)
        .map(|band| Some(band.birth_range(today)))
        .ok_or_else(|| {
            one_of(
                "age_band",
                codes(AgeBand::ALL.iter().map(|band| band.as_str())),
            )
        })
}

/// A national-form choice's code (stored as its serde name, which is the code), or `none`.
fn recorded(
    field: &str,
    raw: Option<&str>,
    allowed: impl Iterator<Item = &'static str> + Clone,
) -> Result<Option<Recorded>, FieldError> {
    match trimmed(raw) {
        None => Ok(None),
        Some("none") => Ok(Some(Recorded::NotRecorded)),
        Some(code) if allowed.clone().any(|choice| choice == code) => {
            Ok(Some(Recorded::Code(code.to_string())))
        }
        Some(_) => Err(one_of(field, format!("{}, none", codes(allowed)))),
    }
}

fn difficulty_group(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(code) = trimmed(raw) else {
        return Ok(None);
    };
    DifficultyGroup::parse(code)
        .map(|group| Some(group.as_str().to_string()))
        .ok_or_else(|| {
            one_of(
                "difficulty_group",
                codes(DifficultyGroup::ALL.iter().map(|group| group.as_str())),
            )
        })
}

fn year(field: &str, raw: Option<&str>) -> Result<Option<i32>, FieldError> {
    let Some(raw) = trimmed(raw) else {
        return Ok(None);
    };
    raw.parse::<i32>()
        .ok()
        .filter(|year| raw.len() == 4 && (2000..=2100).contains(year))
        .map(Some)
        .ok_or_else(|| {
            FieldError::new_owned(
                field,
                format!("{field} 应为 2000 至 2100 之间的四位年份,如 2026"),
                format!("{field} is a year from 2000 to 2100, such as 2026"),
            )
        })
}

/// The Beijing calendar year `year` as instants: its first, and the next year's first.
fn beijing_year(year: i32) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = |year: i32| {
        NaiveDate::from_ymd_opt(year, 1, 1)?
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(shared::time::beijing())
            .single()
            .map(|at| at.with_timezone(&Utc))
    };
    Some((start(year)?, start(year + 1)?))
}

fn flag(field: &str, raw: Option<&str>) -> Result<Option<bool>, FieldError> {
    match trimmed(raw) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(one_of(field, "true, false".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_beijing_year_starts_at_16_00_utc_the_day_before() {
        let (from, until) = beijing_year(2026).unwrap();
        assert_eq!(from.to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(until.to_rfc3339(), "2026-12-31T16:00:00+00:00");
    }

    #[test]
    fn bad_values_are_named() {
        assert!(year("registered_year", Some("26")).is_err());
        assert!(year("registered_year", Some("+2026")).is_err());
        assert_eq!(year("registered_year", Some(" 2026 ")), Ok(Some(2026)));
        assert!(street(Some("330303")).is_err());
        assert!(gender(Some("other")).is_err());
        assert_eq!(
            recorded(
                "school_stage",
                Some("none"),
                SchoolStage::ALL.iter().map(|s| s.as_str())
            ),
            Ok(Some(Recorded::NotRecorded))
        );
        let error = age_band(Some("7-9"), NaiveDate::MIN).unwrap_err();
        assert_eq!(error.field, "age_band");
        assert!(error.message_en.contains("16+"));
    }
}
