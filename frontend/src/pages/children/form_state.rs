//! The child form's state: one signal per field, as typed; nothing chosen until chosen.

use leptos::prelude::*;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, Parent, Registration,
};
use shared::eligibility::ParentSituation;

/// Which parent, with the DOM ids and server field names of their fields.
#[derive(Clone, Copy)]
pub struct Who {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub situation_zh: &'static str,
    pub situation_en: &'static str,
    pub situation_id: &'static str,
    pub situation_field: &'static str,
    pub county_id: &'static str,
    pub county_field: &'static str,
    pub since_id: &'static str,
    pub since_field: &'static str,
    pub capacity_id: &'static str,
    pub capacity_field: &'static str,
    pub note_id: &'static str,
    pub note_field: &'static str,
    pub phone_id: &'static str,
    pub phone_field: &'static str,
}

pub const FATHER: Who = Who {
    key: "father",
    zh: "父亲",
    en: "Father",
    situation_zh: "父亲目前",
    situation_en: "The father is",
    situation_id: "father-situation",
    situation_field: "father.situation",
    county_id: "father-county",
    county_field: "father.county_code",
    since_id: "father-since",
    since_field: "father.since",
    capacity_id: "father-capacity",
    capacity_field: "father.capacity",
    note_id: "father-note",
    note_field: "father.note",
    phone_id: "father-phone",
    phone_field: "father.phone",
};

pub const MOTHER: Who = Who {
    key: "mother",
    zh: "母亲",
    en: "Mother",
    situation_zh: "母亲目前",
    situation_en: "The mother is",
    situation_id: "mother-situation",
    situation_field: "mother.situation",
    county_id: "mother-county",
    county_field: "mother.county_code",
    since_id: "mother-since",
    since_field: "mother.since",
    capacity_id: "mother-capacity",
    capacity_field: "mother.capacity",
    note_id: "mother-note",
    note_field: "mother.note",
    phone_id: "mother-phone",
    phone_field: "mother.phone",
};

pub const AWAY: &str = "away";
pub const HOME: &str = "home";

#[derive(Clone, Copy)]
pub struct ParentForm {
    /// "" until chosen, then `away` or `home`.
    pub situation: RwSignal<String>,
    pub county: RwSignal<String>,
    pub since: RwSignal<String>,
    /// "" until chosen, else a `Capacity` code.
    pub capacity: RwSignal<String>,
    pub note: RwSignal<String>,
    pub phone: RwSignal<String>,
}

impl ParentForm {
    fn new(parent: Option<&Parent>) -> Self {
        let (situation, county, since, capacity, note) = match parent.map(|p| &p.situation) {
            Some(ParentSituation::WorkingAway {
                county_code,
                since,
                note,
            }) => (
                AWAY,
                county_code.clone(),
                since.to_string(),
                "",
                note.clone(),
            ),
            Some(ParentSituation::AtHome { capacity, note }) => (
                HOME,
                String::new(),
                String::new(),
                capacity.as_str(),
                note.clone(),
            ),
            None => ("", String::new(), String::new(), "", String::new()),
        };
        Self {
            situation: RwSignal::new(situation.to_string()),
            county: RwSignal::new(county),
            since: RwSignal::new(since),
            capacity: RwSignal::new(capacity.to_string()),
            note: RwSignal::new(note),
            phone: RwSignal::new(parent.and_then(|p| p.phone.clone()).unwrap_or_default()),
        }
    }

    /// `None` while the situation is incomplete (not chosen, no county or date yet).
    pub fn parent(&self) -> Option<Parent> {
        let situation = match self.situation.get().as_str() {
            AWAY => ParentSituation::WorkingAway {
                county_code: Some(self.county.get()).filter(|c| !c.is_empty())?,
                since: self.since.get().parse().ok()?,
                note: self.note.get(),
            },
            HOME => ParentSituation::AtHome {
                capacity: Capacity::parse(&self.capacity.get())?,
                note: self.note.get(),
            },
            _ => return None,
        };
        let phone = self.phone.get();
        Some(Parent {
            situation,
            phone: (!phone.trim().is_empty()).then_some(phone),
        })
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
    pub id_number: RwSignal<String>,
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
    pub fn new(child: Option<&ChildInput>, default_village: String) -> Self {
        let guardian = child.and_then(|c| c.guardians.first());
        let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
        Self {
            name: text(child.map(|c| c.name.clone())),
            gender: text(child.map(|c| gender_code(c.gender).to_string())),
            birth_date: text(child.map(|c| c.birth_date.to_string())),
            id_number: text(child.and_then(|c| c.id_number.clone())),
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
        }
    }

    /// The input as far as it can be built; `None` while the gender, the date of birth or a
    /// parent is missing. Category and guardian capacity fall back to a default here only:
    /// the checks ask for them before anything is sent.
    fn build(&self, gender: Option<Gender>) -> Option<ChildInput> {
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
        let id_number = self.id_number.get();
        Some(ChildInput {
            name: self.name.get(),
            gender: gender?,
            birth_date: self.birth_date.get().parse().ok()?,
            id_number: (!id_number.trim().is_empty()).then_some(id_number),
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
        })
    }

    /// What is sent, once the checks found every choice made.
    pub fn input(&self) -> Option<ChildInput> {
        self.build(parse_gender(&self.gender.get()))
    }

    /// For the live eligibility verdict, which depends on neither gender nor category.
    pub fn for_rule(&self) -> Option<ChildInput> {
        self.build(Some(
            parse_gender(&self.gender.get()).unwrap_or(Gender::Male),
        ))
    }
}
