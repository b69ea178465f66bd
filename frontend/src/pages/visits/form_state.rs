//! The visit form's state: one signal per field, as typed (nothing chosen until chosen), the
//! draft kept on the phone, and the checks before a visit goes to the outbox.

use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use shared::children::CareLevel;
use shared::visits::{
    Assistance, Emotion, Guardianship, Health, MetWith, Schooling, VisitInput, VisitMode,
};
use shared::{FieldError, Text};

use super::drafts::DraftFields;

pub const YES: &str = "yes";
pub const NO: &str = "no";

/// The server's field names in the order of the form, so the error summary reads top down.
const ORDER: &[&str] = &[
    "client_id",
    "child_id",
    "corrects",
    "visited_at",
    "mode",
    "met_with",
    "guardianship",
    "entrusted_guardian",
    "entrusted_guardian_capable",
    "health",
    "health_note",
    "schooling",
    "emotion",
    "income_sources",
    "assistance",
    "problems_found",
    "needs",
    "action_taken",
    "follow_up",
    "follow_up_by",
    "proposed_level",
    "level_reason",
];

#[derive(Clone, Copy)]
pub struct VisitForm {
    pub visited_at: RwSignal<String>,
    pub mode: RwSignal<String>,
    pub met_with: RwSignal<Vec<String>>,
    pub guardianship: RwSignal<String>,
    pub entrusted: RwSignal<String>,
    pub entrusted_capable: RwSignal<String>,
    pub health: RwSignal<String>,
    pub health_note: RwSignal<String>,
    pub schooling: RwSignal<String>,
    pub emotion: RwSignal<String>,
    pub unsafe_at_home: RwSignal<bool>,
    pub device_overuse: RwSignal<bool>,
    pub bullying_or_violence: RwSignal<bool>,
    pub income_sources: RwSignal<String>,
    pub assistance: RwSignal<Vec<String>>,
    pub problems_found: RwSignal<String>,
    pub needs: RwSignal<String>,
    pub action_taken: RwSignal<String>,
    pub follow_up: RwSignal<String>,
    pub follow_up_by: RwSignal<String>,
    pub proposed_level: RwSignal<String>,
    pub level_reason: RwSignal<String>,
    /// What the person does not type: the child, the visit corrected, the record version.
    fixed: StoredValue<DraftFields>,
}

impl VisitForm {
    pub fn new(fields: &DraftFields) -> Self {
        let text = |value: &String| RwSignal::new(value.clone());
        Self {
            visited_at: text(&fields.visited_at),
            mode: text(&fields.mode),
            met_with: RwSignal::new(fields.met_with.clone()),
            guardianship: text(&fields.guardianship),
            entrusted: text(&fields.entrusted),
            entrusted_capable: text(&fields.entrusted_capable),
            health: text(&fields.health),
            health_note: text(&fields.health_note),
            schooling: text(&fields.schooling),
            emotion: text(&fields.emotion),
            unsafe_at_home: RwSignal::new(fields.unsafe_at_home),
            device_overuse: RwSignal::new(fields.device_overuse),
            bullying_or_violence: RwSignal::new(fields.bullying_or_violence),
            income_sources: text(&fields.income_sources),
            assistance: RwSignal::new(fields.assistance.clone()),
            problems_found: text(&fields.problems_found),
            needs: text(&fields.needs),
            action_taken: text(&fields.action_taken),
            follow_up: text(&fields.follow_up),
            follow_up_by: text(&fields.follow_up_by),
            proposed_level: text(&fields.proposed_level),
            level_reason: text(&fields.level_reason),
            fixed: StoredValue::new(fields.clone()),
        }
    }

    /// The fields as typed. Reactive: every field is tracked (the draft is saved on each change).
    pub fn fields(&self) -> DraftFields {
        DraftFields {
            visited_at: self.visited_at.get(),
            mode: self.mode.get(),
            met_with: self.met_with.get(),
            guardianship: self.guardianship.get(),
            entrusted: self.entrusted.get(),
            entrusted_capable: self.entrusted_capable.get(),
            health: self.health.get(),
            health_note: self.health_note.get(),
            schooling: self.schooling.get(),
            emotion: self.emotion.get(),
            unsafe_at_home: self.unsafe_at_home.get(),
            device_overuse: self.device_overuse.get(),
            bullying_or_violence: self.bullying_or_violence.get(),
            income_sources: self.income_sources.get(),
            assistance: self.assistance.get(),
            problems_found: self.problems_found.get(),
            needs: self.needs.get(),
            action_taken: self.action_taken.get(),
            follow_up: self.follow_up.get(),
            follow_up_by: self.follow_up_by.get(),
            proposed_level: self.proposed_level.get(),
            level_reason: self.level_reason.get(),
            ..self.fixed.get_value()
        }
    }
}

pub fn parse_level(code: &str) -> Option<CareLevel> {
    CareLevel::ALL
        .into_iter()
        .find(|level| level.as_str() == code)
}

fn yes_no(code: &str) -> Option<bool> {
    match code {
        YES => Some(true),
        NO => Some(false),
        _ => None,
    }
}

/// A choice that must be made: its value, or the message that asks for it.
fn chosen<T>(
    problems: &mut Vec<FieldError>,
    field: &str,
    value: Option<T>,
    ask: Text,
) -> Option<T> {
    if value.is_none() {
        problems.push(FieldError::new(field, ask));
    }
    value
}

/// The visit to send, checked here with the server's own rules (`VisitInput::validate`) so
/// every problem is shown at once, each linked to its field.
pub fn check(
    fields: &DraftFields,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<VisitInput, Vec<FieldError>> {
    let mut problems = Vec::new();
    let visited_at = match fields.visited_at.trim() {
        "" => chosen(
            &mut problems,
            "visited_at",
            None,
            Text::new("请填写走访时间", "Enter when the visit took place"),
        ),
        raw => chosen(
            &mut problems,
            "visited_at",
            shared::time::parse_beijing_local(raw),
            Text::new(
                "走访时间不是有效的日期和时间",
                "The visit time is not a real date and time",
            ),
        ),
    };
    let mode = chosen(
        &mut problems,
        "mode",
        VisitMode::parse(&fields.mode),
        Text::new("请选择走访方式", "Choose how the visit was made"),
    );
    let guardianship = chosen(
        &mut problems,
        "guardianship",
        Guardianship::parse(&fields.guardianship),
        Text::new(
            "请选择监护情况",
            "Choose how well the child is looked after",
        ),
    );
    let entrusted = chosen(
        &mut problems,
        "entrusted_guardian",
        yes_no(&fields.entrusted),
        Text::new(
            "请选择是否有委托监护人",
            "Say whether there is an entrusted guardian",
        ),
    );
    let health = chosen(
        &mut problems,
        "health",
        Health::parse(&fields.health),
        Text::new("请选择健康状况", "Choose the child's health"),
    );
    let schooling = chosen(
        &mut problems,
        "schooling",
        Schooling::parse(&fields.schooling),
        Text::new("请选择上学情况", "Choose the child's schooling"),
    );
    let emotion = chosen(
        &mut problems,
        "emotion",
        Emotion::parse(&fields.emotion),
        Text::new("请选择情绪状态", "Choose the child's emotional state"),
    );
    let follow_up_by = match fields.follow_up_by.trim() {
        "" => None,
        raw => chosen(
            &mut problems,
            "follow_up_by",
            raw.parse::<NaiveDate>().ok(),
            Text::new(
                "跟进日期不是有效的日期",
                "The follow-up date is not a real date",
            ),
        ),
    };
    // Stand-ins for what is missing (already reported), so the shared rules check the rest.
    let health_value = health.unwrap_or(Health::Healthy);
    let input = VisitInput {
        client_id: client_id.to_string(),
        child_id: fields.child_id.clone(),
        visited_at: visited_at.unwrap_or(now),
        mode: mode.unwrap_or(VisitMode::HomeVisit),
        met_with: fields
            .met_with
            .iter()
            .filter_map(|code| MetWith::parse(code))
            .collect(),
        guardianship: guardianship.unwrap_or(Guardianship::Good),
        entrusted_guardian: entrusted.unwrap_or(false),
        entrusted_guardian_capable: yes_no(&fields.entrusted_capable),
        health: health_value,
        // The note goes with an illness or a disability only.
        health_note: if health_value == Health::Healthy {
            String::new()
        } else {
            fields.health_note.clone()
        },
        schooling: schooling.unwrap_or(Schooling::InSchool),
        emotion: emotion.unwrap_or(Emotion::Stable),
        unsafe_at_home: fields.unsafe_at_home,
        device_overuse: fields.device_overuse,
        bullying_or_violence: fields.bullying_or_violence,
        income_sources: fields.income_sources.clone(),
        assistance: fields
            .assistance
            .iter()
            .filter_map(|code| Assistance::parse(code))
            .collect(),
        needs: fields.needs.clone(),
        problems_found: fields.problems_found.clone(),
        action_taken: fields.action_taken.clone(),
        follow_up: fields.follow_up.clone(),
        follow_up_by,
        proposed_level: parse_level(&fields.proposed_level),
        level_reason: if fields.proposed_level.is_empty() {
            String::new()
        } else {
            fields.level_reason.clone()
        },
        corrects: fields.corrects.clone(),
        child_version: fields.child_version,
    };
    let more = match input.validate(now) {
        Ok(valid) if problems.is_empty() => return Ok(valid),
        Ok(_) => Vec::new(),
        Err(more) => more,
    };
    for problem in more {
        if !problems.iter().any(|known| known.field == problem.field) {
            problems.push(problem);
        }
    }
    problems.sort_by_key(|problem| {
        ORDER
            .iter()
            .position(|field| *field == problem.field)
            .unwrap_or(ORDER.len())
    });
    Err(problems)
}
