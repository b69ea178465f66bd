//! The national registration form's part of the child form, as typed. Every field may stay
//! empty: a record registered before these fields existed opens and saves with none of them.

use leptos::prelude::*;
use shared::children::NationalDetails;
use shared::national::{
    Assistance, DifficultyGroup, DisabilityCategory, DisabilityGrade, EntrustedGuardian,
    GuardianshipType, Health, HealthStatus, IncomeSource, SchoolStage, Signoff,
};

use super::form_state::IdNumberInput;

/// The values of a yes/no radio group.
pub const YES: &str = "yes";
pub const NO: &str = "no";

fn yes_no_code(value: Option<bool>) -> &'static str {
    match value {
        Some(true) => YES,
        Some(false) => NO,
        None => "",
    }
}

fn parse_yes_no(code: &str) -> Option<bool> {
    match code {
        YES => Some(true),
        NO => Some(false),
        _ => None,
    }
}

/// Boarding is asked unless the chosen stage says the child is in no school.
pub fn boarding_applies(stage: &str) -> bool {
    !matches!(
        SchoolStage::parse(stage),
        Some(SchoolStage::NotInKindergarten | SchoolStage::DroppedOut | SchoolStage::NotInSchool)
    )
}

fn parse_all<T>(codes: &[String], parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    codes.iter().filter_map(|code| parse(code)).collect()
}

#[derive(Clone, Copy)]
pub struct NationalForm {
    /// "" or a GB/T 3304 code ("01" …).
    pub ethnicity: RwSignal<String>,
    /// "", `yes` or `no`.
    pub hukou: RwSignal<String>,
    /// "" or a `HealthStatus` code.
    pub health: RwSignal<String>,
    pub disability_category: RwSignal<String>,
    pub disability_grade: RwSignal<String>,
    pub illness: RwSignal<String>,
    /// "" or a `SchoolStage` code.
    pub schooling: RwSignal<String>,
    /// "", `yes` or `no`.
    pub boarding: RwSignal<String>,
    /// "有委托监护人" ticked: the guardian's fields are shown and sent.
    pub entrusted: RwSignal<bool>,
    pub guardian_name: RwSignal<String>,
    pub guardian_relation: RwSignal<String>,
    pub guardian_phone: RwSignal<String>,
    pub guardian_id_number: IdNumberInput,
    pub guardian_address: RwSignal<String>,
    /// "" or a `GuardianshipType` code.
    pub guardianship_type: RwSignal<String>,
    /// Codes of the ticked boxes.
    pub income_sources: RwSignal<Vec<String>>,
    pub assistance: RwSignal<Vec<String>>,
    pub assistance_other: RwSignal<String>,
    pub difficulty_groups: RwSignal<Vec<String>>,
    pub filled_by: RwSignal<String>,
    pub checked_by: RwSignal<String>,
    pub responsible: RwSignal<String>,
}

impl NationalForm {
    pub fn new(details: Option<&NationalDetails>) -> Self {
        let empty = NationalDetails::default();
        let details = details.unwrap_or(&empty);
        let text = |value: &str| RwSignal::new(value.to_string());
        let codes = |codes: Vec<&'static str>| {
            RwSignal::new(codes.into_iter().map(str::to_string).collect::<Vec<_>>())
        };
        let health = details.health.as_ref();
        let guardian = details.entrusted_guardian.as_ref();
        Self {
            ethnicity: text(details.ethnicity.as_deref().unwrap_or_default()),
            hukou: text(yes_no_code(details.hukou_registered)),
            health: text(health.map(|h| h.status.as_str()).unwrap_or_default()),
            disability_category: text(
                health
                    .and_then(|h| h.disability_category)
                    .map(DisabilityCategory::as_str)
                    .unwrap_or_default(),
            ),
            disability_grade: text(
                health
                    .and_then(|h| h.disability_grade)
                    .map(DisabilityGrade::as_str)
                    .unwrap_or_default(),
            ),
            illness: text(health.map(|h| h.illness.as_str()).unwrap_or_default()),
            schooling: text(
                details
                    .schooling
                    .map(SchoolStage::as_str)
                    .unwrap_or_default(),
            ),
            boarding: text(yes_no_code(details.boarding)),
            entrusted: RwSignal::new(guardian.is_some()),
            guardian_name: text(guardian.map(|g| g.name.as_str()).unwrap_or_default()),
            guardian_relation: text(guardian.map(|g| g.relation.as_str()).unwrap_or_default()),
            guardian_phone: text(guardian.map(|g| g.phone.as_str()).unwrap_or_default()),
            guardian_id_number: IdNumberInput::new(guardian.and_then(|g| g.id_number.as_deref())),
            guardian_address: text(guardian.map(|g| g.address.as_str()).unwrap_or_default()),
            guardianship_type: text(
                details
                    .guardianship_type
                    .map(GuardianshipType::as_str)
                    .unwrap_or_default(),
            ),
            income_sources: codes(
                details
                    .income_sources
                    .iter()
                    .map(|item| item.as_str())
                    .collect(),
            ),
            assistance: codes(
                details
                    .assistance
                    .iter()
                    .map(|item| item.as_str())
                    .collect(),
            ),
            assistance_other: text(details.assistance_other.as_str()),
            difficulty_groups: codes(
                details
                    .difficulty_groups
                    .iter()
                    .map(|item| item.as_str())
                    .collect(),
            ),
            filled_by: text(details.signoff.filled_by.as_str()),
            checked_by: text(details.signoff.checked_by.as_str()),
            responsible: text(details.signoff.responsible.as_str()),
        }
    }

    /// What is sent. Fields hidden by an earlier answer (a disability's category once the child
    /// is marked healthy, the guardian's fields once the box is unticked) are left out.
    pub fn details(&self) -> NationalDetails {
        let health = HealthStatus::parse(&self.health.get()).map(|status| {
            let disabled = status == HealthStatus::Disabled;
            Health {
                status,
                disability_category: DisabilityCategory::parse(&self.disability_category.get())
                    .filter(|_| disabled),
                disability_grade: DisabilityGrade::parse(&self.disability_grade.get())
                    .filter(|_| disabled),
                illness: if status == HealthStatus::Ill {
                    self.illness.get().trim().to_string()
                } else {
                    String::new()
                },
            }
        });
        let stage = self.schooling.get();
        let entrusted_guardian = self.entrusted.get().then(|| EntrustedGuardian {
            name: self.guardian_name.get().trim().to_string(),
            relation: self.guardian_relation.get().trim().to_string(),
            phone: self.guardian_phone.get().trim().to_string(),
            id_number: self.guardian_id_number.entered(),
            address: self.guardian_address.get().trim().to_string(),
        });
        let assistance = self
            .assistance
            .with(|codes| parse_all(codes, Assistance::parse));
        let assistance_other = if assistance.contains(&Assistance::Other) {
            self.assistance_other.get().trim().to_string()
        } else {
            String::new()
        };
        let ethnicity = self.ethnicity.get();
        NationalDetails {
            ethnicity: (!ethnicity.is_empty()).then_some(ethnicity),
            hukou_registered: parse_yes_no(&self.hukou.get()),
            health,
            schooling: SchoolStage::parse(&stage),
            boarding: if boarding_applies(&stage) {
                parse_yes_no(&self.boarding.get())
            } else {
                None
            },
            entrusted_guardian,
            guardianship_type: GuardianshipType::parse(&self.guardianship_type.get()),
            income_sources: self
                .income_sources
                .with(|codes| parse_all(codes, IncomeSource::parse)),
            assistance,
            assistance_other,
            difficulty_groups: self
                .difficulty_groups
                .with(|codes| parse_all(codes, DifficultyGroup::parse)),
            signoff: Signoff {
                filled_by: self.filled_by.get().trim().to_string(),
                checked_by: self.checked_by.get().trim().to_string(),
                responsible: self.responsible.get().trim().to_string(),
            },
        }
    }
}
