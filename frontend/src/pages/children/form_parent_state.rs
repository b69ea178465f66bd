//! A parent's part of the child form: who they are and where they are, as typed.

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::children::{Capacity, Parent};
use shared::eligibility::ParentSituation;

use super::form_state::IdNumberInput;
use crate::components::form::Choice;

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
    /// The server names the date of leaving and the date of going missing alike.
    pub since_field: &'static str,
    pub missing_since_id: &'static str,
    pub capacity_id: &'static str,
    pub capacity_field: &'static str,
    pub note_id: &'static str,
    pub note_field: &'static str,
    pub phone_id: &'static str,
    pub phone_field: &'static str,
    pub name_id: &'static str,
    pub name_field: &'static str,
    pub birth_id: &'static str,
    pub birth_field: &'static str,
    pub id_number_id: &'static str,
    pub id_number_field: &'static str,
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
    missing_since_id: "father-missing-since",
    capacity_id: "father-capacity",
    capacity_field: "father.capacity",
    note_id: "father-note",
    note_field: "father.note",
    phone_id: "father-phone",
    phone_field: "father.phone",
    name_id: "father-name",
    name_field: "father.name",
    birth_id: "father-birth",
    birth_field: "father.birth_date",
    id_number_id: "father-id-number",
    id_number_field: "father.id_number",
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
    missing_since_id: "mother-missing-since",
    capacity_id: "mother-capacity",
    capacity_field: "mother.capacity",
    note_id: "mother-note",
    note_field: "mother.note",
    phone_id: "mother-phone",
    phone_field: "mother.phone",
    name_id: "mother-name",
    name_field: "mother.name",
    birth_id: "mother-birth",
    birth_field: "mother.birth_date",
    id_number_id: "mother-id-number",
    id_number_field: "mother.id_number",
};

// The radio values (and so the option ids, `#father-situation-away`). "away" and "home"
// predate the other situations and stay as they were; the rest are `ParentSituation::kind()`.
pub const AWAY: &str = "away";
pub const HOME: &str = "home";
pub const DECEASED: &str = "deceased";
pub const MISSING: &str = "missing";
pub const IMPRISONED: &str = "imprisoned";
pub const REHABILITATION: &str = "drug_rehabilitation";

fn code_of(situation: &ParentSituation) -> &'static str {
    match situation {
        ParentSituation::AtHome { .. } => HOME,
        ParentSituation::WorkingAway { .. } => AWAY,
        other => other.kind(),
    }
}

/// Every situation, worded as `ParentSituation::kind_label` words it.
pub fn situation_choices() -> Vec<Choice> {
    let samples = [
        ParentSituation::AtHome {
            capacity: Capacity::Capable,
            note: String::new(),
        },
        ParentSituation::WorkingAway {
            county_code: String::new(),
            since: NaiveDate::MIN,
            note: String::new(),
        },
        ParentSituation::Deceased {
            note: String::new(),
        },
        ParentSituation::Missing {
            since: None,
            note: String::new(),
        },
        ParentSituation::Imprisoned {
            note: String::new(),
        },
        ParentSituation::DrugRehabilitation {
            note: String::new(),
        },
    ];
    samples
        .iter()
        .map(|situation| {
            let label = situation.kind_label();
            Choice::new(code_of(situation), label.zh, label.en)
        })
        .collect()
}

#[derive(Clone, Copy)]
pub struct ParentForm {
    /// "" until chosen, then one of the situation codes above.
    pub situation: RwSignal<String>,
    pub county: RwSignal<String>,
    /// Working away since.
    pub since: RwSignal<String>,
    /// Missing since, when known. Apart from `since` so that switching the situation does not
    /// carry a date of leaving over as a date of going missing.
    pub missing_since: RwSignal<String>,
    /// "" until chosen, else a `Capacity` code.
    pub capacity: RwSignal<String>,
    pub note: RwSignal<String>,
    pub phone: RwSignal<String>,
    pub name: RwSignal<String>,
    pub birth_date: RwSignal<String>,
    pub id_number: IdNumberInput,
}

impl ParentForm {
    pub fn new(parent: Option<&Parent>) -> Self {
        let situation = parent.map(|p| &p.situation);
        let (county, since) = match situation {
            Some(ParentSituation::WorkingAway {
                county_code, since, ..
            }) => (county_code.clone(), since.to_string()),
            _ => (String::new(), String::new()),
        };
        let capacity = match situation {
            Some(ParentSituation::AtHome { capacity, .. }) => capacity.as_str(),
            _ => "",
        };
        let missing_since = match situation {
            Some(ParentSituation::Missing {
                since: Some(since), ..
            }) => since.to_string(),
            _ => String::new(),
        };
        Self {
            situation: RwSignal::new(situation.map(code_of).unwrap_or_default().to_string()),
            county: RwSignal::new(county),
            since: RwSignal::new(since),
            missing_since: RwSignal::new(missing_since),
            capacity: RwSignal::new(capacity.to_string()),
            note: RwSignal::new(
                situation
                    .map(|situation| situation.note().to_string())
                    .unwrap_or_default(),
            ),
            phone: RwSignal::new(parent.and_then(|p| p.phone.clone()).unwrap_or_default()),
            name: RwSignal::new(parent.map(|p| p.name.clone()).unwrap_or_default()),
            birth_date: RwSignal::new(
                parent
                    .and_then(|p| p.birth_date)
                    .map(|born| born.to_string())
                    .unwrap_or_default(),
            ),
            id_number: IdNumberInput::new(parent.and_then(|p| p.id_number.as_deref())),
        }
    }

    /// `None` while the situation is incomplete (not chosen; working away without a county or
    /// a date; at home without a capacity). Optional dates that do not parse are left out: the
    /// checks name them before anything is sent.
    pub fn parent(&self) -> Option<Parent> {
        let note = self.note.get();
        let situation = match self.situation.get().as_str() {
            AWAY => ParentSituation::WorkingAway {
                county_code: Some(self.county.get()).filter(|c| !c.is_empty())?,
                since: self.since.get().parse().ok()?,
                note,
            },
            HOME => ParentSituation::AtHome {
                capacity: Capacity::parse(&self.capacity.get())?,
                note,
            },
            DECEASED => ParentSituation::Deceased { note },
            MISSING => ParentSituation::Missing {
                since: self.missing_since.get().parse().ok(),
                note,
            },
            IMPRISONED => ParentSituation::Imprisoned { note },
            REHABILITATION => ParentSituation::DrugRehabilitation { note },
            _ => return None,
        };
        let phone = self.phone.get();
        Some(Parent {
            situation,
            phone: (!phone.trim().is_empty()).then_some(phone),
            name: self.name.get().trim().to_string(),
            birth_date: self.birth_date.get().parse().ok(),
            id_number: self.id_number.entered(),
        })
    }
}
