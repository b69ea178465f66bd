//! The national form's part of the checks before sending. Everything there is optional; what an
//! answer makes necessary (a disability's category and grade, the entrusted guardian's name
//! and phone once the box is ticked, what "other" assistance is) is asked in the person's words,
//! under the server's field names.

use leptos::prelude::*;
use shared::national::{Assistance, DisabilityCategory, DisabilityGrade, HealthStatus};
use shared::validate::{PersonName, Phone};
use shared::{FieldError, Text};

use super::form_national_state::NationalForm;

fn error(field: &str, zh: &'static str, en: &'static str) -> FieldError {
    FieldError::new(field, Text::new(zh, en))
}

fn blank(value: RwSignal<String>) -> bool {
    value.with_untracked(|text| text.trim().is_empty())
}

/// Adds the national part's problems to `out`, in the order of the form.
pub fn check_national(form: &NationalForm, out: &mut Vec<FieldError>) {
    match HealthStatus::parse(&form.health.get_untracked()) {
        Some(HealthStatus::Disabled) => {
            if DisabilityCategory::parse(&form.disability_category.get_untracked()).is_none() {
                out.push(error(
                    "national.health.disability_category",
                    "请选择残疾类别",
                    "Choose the category of disability",
                ));
            }
            if DisabilityGrade::parse(&form.disability_grade.get_untracked()).is_none() {
                out.push(error(
                    "national.health.disability_grade",
                    "请选择残疾等级",
                    "Choose the grade of disability",
                ));
            }
        }
        Some(HealthStatus::Ill) if blank(form.illness) => out.push(error(
            "national.health.illness",
            "请填写所患疾病,如:哮喘",
            "Enter the illness, e.g. asthma",
        )),
        _ => {}
    }
    if form.entrusted.get_untracked() {
        check_entrusted(form, out);
    }
    let other_assistance = form.assistance.with_untracked(|codes| {
        codes
            .iter()
            .any(|code| code.as_str() == Assistance::Other.as_str())
    });
    if other_assistance && blank(form.assistance_other) {
        out.push(error(
            "national.assistance_other",
            "请说明获得的其他救助",
            "Say what other assistance the family receives",
        ));
    }
}

fn check_entrusted(form: &NationalForm, out: &mut Vec<FieldError>) {
    const NAME: &str = "national.entrusted_guardian.name";
    const RELATION: &str = "national.entrusted_guardian.relation";
    const PHONE: &str = "national.entrusted_guardian.phone";
    if blank(form.guardian_name) {
        out.push(error(
            NAME,
            "请填写委托监护人的姓名",
            "Enter the entrusted guardian's name",
        ));
    } else if let Err(problem) = PersonName::parse(NAME, &form.guardian_name.get_untracked()) {
        out.push(problem);
    }
    if blank(form.guardian_relation) {
        out.push(error(
            RELATION,
            "请填写委托监护人与儿童的关系,如:祖父",
            "Enter how the entrusted guardian is related to the child, e.g. grandfather",
        ));
    }
    if blank(form.guardian_phone) {
        out.push(error(
            PHONE,
            "请填写委托监护人的电话",
            "Enter the entrusted guardian's phone number",
        ));
    } else if let Err(problem) = Phone::parse(PHONE, &form.guardian_phone.get_untracked()) {
        out.push(problem);
    }
    if let Some(problem) = form
        .guardian_id_number
        .problem("national.entrusted_guardian.id_number")
    {
        out.push(problem);
    }
}
