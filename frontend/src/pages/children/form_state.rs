//! The child form's state: one signal per field, as typed; nothing chosen until chosen. The
//! parents' part is in `form_parent_state`, the national form's in `form_national_state`.

use leptos::prelude::*;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, NationalDetails, Registration,
};
use shared::{FieldError, Text};

use super::form_national_state::NationalForm;
use super::form_parent_state::ParentForm;

/// An ID number as typed. Everyone but an admin gets stored numbers masked
/// ("330303************"); sent back unchanged, a masked number means "keep the stored one",
/// so the form remembers the masked number it was opened with.
#[derive(Clone, Copy)]
pub struct IdNumberInput {
    pub value: RwSignal<String>,
    masked: StoredValue<Option<String>>,
}

impl IdNumberInput {
    pub fn new(stored: Option<&str>) -> Self {
        let stored = stored.unwrap_or_default();
        Self {
            value: RwSignal::new(stored.to_string()),
            masked: StoredValue::new(Some(stored.to_string()).filter(|value| value.contains('*'))),
        }
    }

    /// Reactive: the number to send, `None` when the field is empty.
    pub fn entered(&self) -> Option<String> {
        let value = self.value.get();
        let value = value.trim();
        (!value.is_empty()).then(|| value.to_string())
    }

    /// Whether the field still holds the masked number it was opened with.
    fn is_kept(&self, value: &str) -> bool {
        self.masked
            .with_value(|masked| masked.as_deref() == Some(value))
    }

    /// The problem with the number as typed, if any. Empty is fine (every ID number is
    /// optional), and so is the masked number left as it was.
    pub fn problem(&self, field: &str) -> Option<FieldError> {
        let value = self.value.get_untracked();
        let value = value.trim();
        if value.is_empty() || self.is_kept(value) {
            return None;
        }
        if value.contains('*') {
            return Some(FieldError::new(
                field,
                Text::new(
                    "请输入完整的 18 位身份证号;不修改时请保留原来显示的号码",
                    "Enter the full 18-character ID number, or leave the number shown as it was to keep it",
                ),
            ));
        }
        shared::id_number::IdNumber::parse(field, value).err()
    }
}

#[derive(Clone, Copy)]
pub struct GuardianForm {
    pub name: RwSignal<String>,
    pub relation: RwSignal<String>,
    pub phone: RwSignal<String>,
    /// "" until chosen, else a `Capacity` code.
    pub capacity: RwSignal<String>,
}

impl GuardianForm {
    pub fn is_blank(&self) -> bool {
        self.name.get().trim().is_empty()
            && self.relation.get().trim().is_empty()
            && self.phone.get().trim().is_empty()
    }
}

#[derive(Clone, Copy)]
pub struct ChildForm {
    pub name: RwSignal<String>,
    /// "" until chosen, then `male` or `female`.
    pub gender: RwSignal<String>,
    pub birth_date: RwSignal<String>,
    pub id_number: IdNumberInput,
    pub registration_county: RwSignal<String>,
    pub registration_village: RwSignal<String>,
    pub residence_village: RwSignal<String>,
    pub residence_detail: RwSignal<String>,
    pub school: RwSignal<String>,
    pub class_name: RwSignal<String>,
    /// "" until chosen, else a `Category` code.
    pub category: RwSignal<String>,
    pub care_level: RwSignal<String>,
    pub care_level_reason: RwSignal<String>,
    pub guardian: GuardianForm,
    pub father: ParentForm,
    pub mother: ParentForm,
    pub interests: RwSignal<String>,
    pub national: NationalForm,
}

pub fn gender_code(gender: Gender) -> &'static str {
    match gender {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

pub fn parse_gender(code: &str) -> Option<Gender> {
    match code {
        "male" => Some(Gender::Male),
        "female" => Some(Gender::Female),
        _ => None,
    }
}

pub fn parse_category(code: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.as_str() == code)
}

pub fn parse_care_level(code: &str) -> Option<CareLevel> {
    CareLevel::ALL.into_iter().find(|c| c.as_str() == code)
}

impl ChildForm {
    /// The form for a new child, or for an existing record. A record registered before the
    /// national form's fields existed opens with them empty.
    pub fn new(child: Option<&ChildInput>, default_village: String) -> Self {
        let guardian = child.and_then(|c| c.guardians.first());
        let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
        Self {
            name: text(child.map(|c| c.name.clone())),
            gender: text(child.map(|c| gender_code(c.gender).to_string())),
            birth_date: text(child.map(|c| c.birth_date.to_string())),
            id_number: IdNumberInput::new(child.and_then(|c| c.id_number.as_deref())),
            registration_county: RwSignal::new(
                child
                    .map(|c| c.registration.county_code.clone())
                    .unwrap_or_else(|| shared::divisions::DISTRICT_CODE.into()),
            ),
            registration_village: text(child.and_then(|c| c.registration.village_code.clone())),
            residence_village: RwSignal::new(
                child
                    .map(|c| c.residence_village.clone())
                    .unwrap_or(default_village),
            ),
            residence_detail: text(child.map(|c| c.residence_detail.clone())),
            school: text(child.map(|c| c.school.clone())),
            class_name: text(child.map(|c| c.class_name.clone())),
            category: text(child.map(|c| c.category.as_str().to_string())),
            care_level: RwSignal::new(
                child
                    .map(|c| c.care_level)
                    .unwrap_or(CareLevel::Routine)
                    .as_str()
                    .to_string(),
            ),
            care_level_reason: RwSignal::new(String::new()),
            guardian: GuardianForm {
                name: text(guardian.map(|g| g.name.clone())),
                relation: text(guardian.map(|g| g.relation.clone())),
                phone: text(guardian.map(|g| g.phone.clone())),
                capacity: text(guardian.map(|g| g.capacity.as_str().to_string())),
            },
            father: ParentForm::new(child.map(|c| &c.father)),
            mother: ParentForm::new(child.map(|c| &c.mother)),
            interests: text(child.map(|c| c.interests.clone())),
            national: NationalForm::new(child.map(|c| &c.national)),
        }
    }

    /// The input as far as it can be built; `None` while the gender, the date of birth or a
    /// parent is missing. Category and guardian capacity fall back to a default here only:
    /// the checks ask for them before anything is sent.
    fn build(&self, gender: Option<Gender>, national: NationalDetails) -> Option<ChildInput> {
        let guardians = if self.guardian.name.get().trim().is_empty() {
            Vec::new()
        } else {
            vec![Guardian {
                name: self.guardian.name.get(),
                relation: self.guardian.relation.get(),
                phone: self.guardian.phone.get(),
                // Chosen before sending (the checks ask for it); the rule does not use it.
                capacity: Capacity::parse(&self.guardian.capacity.get())
                    .unwrap_or(Capacity::Capable),
            }]
        };
        let village = self.registration_village.get();
        Some(ChildInput {
            name: self.name.get(),
            gender: gender?,
            birth_date: self.birth_date.get().parse().ok()?,
            id_number: self.id_number.entered(),
            registration: Registration {
                county_code: self.registration_county.get(),
                village_code: (!village.is_empty()).then_some(village),
            },
            residence_village: self.residence_village.get(),
            residence_detail: self.residence_detail.get(),
            school: self.school.get(),
            class_name: self.class_name.get(),
            category: parse_category(&self.category.get()).unwrap_or(Category::LeftBehind),
            care_level: parse_care_level(&self.care_level.get()).unwrap_or(CareLevel::Routine),
            care_level_reason: self.care_level_reason.get(),
            guardians,
            father: self.father.parent()?,
            mother: self.mother.parent()?,
            interests: self.interests.get(),
            national,
        })
    }

    /// What is sent, once the checks found every choice made.
    pub fn input(&self) -> Option<ChildInput> {
        self.build(parse_gender(&self.gender.get()), self.national.details())
    }

    /// For the live eligibility verdict, which depends on neither gender, category nor the
    /// national form's details (so typing those does not re-run the rule).
    pub fn for_rule(&self) -> Option<ChildInput> {
        self.build(
            Some(parse_gender(&self.gender.get()).unwrap_or(Gender::Male)),
            NationalDetails::default(),
        )
    }
}
