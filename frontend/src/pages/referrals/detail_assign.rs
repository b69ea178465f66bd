//! The office sends a referral to member units: one box per unit (`input[data-unit]`), and for
//! each ticked unit its own task (`textarea[data-unit-task]`); optionally the day it must be
//! resolved by (else the working days set in the settings).

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use shared::referrals::{limits, MemberUnits, PartRequest, Triage, Urgency};
use shared::{FieldError, Lang, Text};

use super::detail_actions::Ctx;
use super::today;
use crate::components::errors::{described_by, ErrorSummary, FieldMessage, FormErrors};
use crate::components::form::{DateField, SubmitBar};
use crate::i18n::use_i18n;

fn task_field(index: usize) -> String {
    format!("assign-task-{index}")
}

/// The server names the parts it was sent ("parts[1].task"); the form names its units.
fn our_field(field: &str, sent: &[usize]) -> String {
    let numbered = field
        .strip_prefix("parts[")
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(number, rest)| Some((number.parse::<usize>().ok()?, rest)));
    match numbered {
        Some((number, ".task")) => match sent.get(number) {
            Some(index) => task_field(*index),
            None => "parts".to_string(),
        },
        Some(_) => "parts".to_string(),
        None => field.to_string(),
    }
}

#[component]
pub(super) fn AssignForm(ctx: Ctx, urgency: Urgency) -> impl IntoView {
    let i18n = use_i18n();
    let errors = FormErrors::new().provide();
    let loaded = LocalResource::new(crate::api::referral_units);
    let settings = RwSignal::new(None::<MemberUnits>);
    let checked = RwSignal::new(Vec::<bool>::new());
    let tasks = RwSignal::new(Vec::<String>::new());
    let resolve_by = RwSignal::new(String::new());
    Effect::new(move |_| {
        if let Some(Ok(units)) = loaded.get() {
            checked.set(vec![false; units.units.len()]);
            tasks.set(vec![String::new(); units.units.len()]);
            settings.set(Some(units));
        }
    });
    let first_day = today();
    let last_day = first_day + Duration::days(366);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if ctx.busy.get_untracked() {
            return;
        }
        let names = settings.with_untracked(|units| {
            units
                .as_ref()
                .map(|units| units.units.clone())
                .unwrap_or_default()
        });
        let (ticks, texts) = (checked.get_untracked(), tasks.get_untracked());
        let mut problems = Vec::new();
        let mut parts = Vec::new();
        let mut sent = Vec::new();
        for (index, name) in names.iter().enumerate() {
            if !ticks.get(index).copied().unwrap_or(false) {
                continue;
            }
            let task = texts
                .get(index)
                .map(|text| text.trim().to_string())
                .unwrap_or_default();
            if task.is_empty() {
                problems.push(FieldError::new_owned(
                    &task_field(index),
                    format!("请写明交给{name}办理的事项"),
                    format!("Say what {name} is asked to do"),
                ));
            }
            sent.push(index);
            parts.push(PartRequest {
                unit: name.clone(),
                task,
            });
        }
        if parts.is_empty() {
            problems.insert(
                0,
                FieldError::new(
                    "parts",
                    Text::new("请至少选择一个成员单位", "Choose at least one member unit"),
                ),
            );
        }
        let written = resolve_by.get_untracked();
        let day = match written.trim() {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(day) if day >= first_day && day <= last_day => Some(day),
                _ => {
                    problems.push(FieldError::new(
                        "resolve_by",
                        Text::new(
                            "办结期限应在今天到一年内之间",
                            "The resolve-by day must be from today to a year ahead",
                        ),
                    ));
                    None
                }
            },
        };
        if !problems.is_empty() {
            return errors.show_fields(problems);
        }
        errors.clear();
        let units_text = parts
            .iter()
            .map(|part| part.unit.clone())
            .collect::<Vec<_>>();
        let (id, version) = ctx.read();
        let triage = Triage::Assign {
            version,
            parts,
            resolve_by: day,
        };
        ctx.send(
            async move { crate::api::triage_referral(&id, &triage).await },
            (
                format!("已分派给{}", units_text.join("、")),
                format!("Sent to {}", units_text.join(", ")),
            ),
            move |failure| {
                let fields = failure.field_errors();
                if fields.is_empty() {
                    errors.show_api(&failure);
                } else {
                    errors.show_fields(
                        fields
                            .into_iter()
                            .map(|error| FieldError {
                                field: our_field(&error.field, &sent),
                                ..error
                            })
                            .collect(),
                    );
                }
            },
        );
    };
    let days_text = move || {
        settings.get().map(|units| {
            let respond = match urgency {
                Urgency::Urgent => units.urgent_response_days,
                Urgency::Normal => units.normal_response_days,
            };
            match i18n.lang.get() {
                Lang::Zh => format!(
                    "成员单位需在 {respond} 个工作日内接收或退回;不填办结期限时,按 {} 个工作日计算。",
                    units.resolve_days
                ),
                Lang::En => format!(
                    "Each unit takes or returns it within {respond} working day(s); without a resolve-by day it has {} working days to resolve it.",
                    units.resolve_days
                ),
            }
        })
    };
    let names =
        Memo::new(move |_| settings.with(|units| units.as_ref().map(|units| units.units.clone())));
    view! {
        <form id="assign-form" class="subform" novalidate on:submit=submit>
            <h3>{move || i18n.tr("交给成员单位办理", "Send to member units")}</h3>
            <ErrorSummary errors=errors/>
            <fieldset class="field checks" data-field="parts" id="assign-units">
                <legend>{move || i18n.tr("成员单位", "Member units")}</legend>
                <FieldMessage field="parts"/>
                {move || match (names.get(), loaded.get()) {
                    (Some(names), _) => names.into_iter().enumerate().map(|(index, name)| view! {
                        <UnitChoice index=index name=name checked=checked tasks=tasks errors=errors/>
                    }).collect_view().into_any(),
                    (None, Some(Err(error))) => view! {
                        <p class="error" role="alert">{move || error.message(i18n.lang.get())}</p>
                    }.into_any(),
                    (None, _) => view! { <crate::components::feedback::Loading/> }.into_any(),
                }}
            </fieldset>
            <DateField id="assign-resolve-by" field="resolve_by" label_zh="办结期限" label_en="Resolve by"
                value=resolve_by min=first_day max=last_day required=false/>
            {move || days_text().map(|text| view! { <p class="hint" id="assign-days">{text}</p> })}
            <SubmitBar id="assign-submit" label_zh="分派" label_en="Send to the units"
                busy=Signal::derive(move || ctx.busy.get())/>
        </form>
    }
}

/// One unit's box, and its task once ticked.
#[component]
fn UnitChoice(
    index: usize,
    name: String,
    checked: RwSignal<Vec<bool>>,
    tasks: RwSignal<Vec<String>>,
    errors: FormErrors,
) -> impl IntoView {
    let i18n = use_i18n();
    let box_id = format!("assign-unit-{index}");
    let on = Memo::new(move |_| checked.with(|ticks| ticks.get(index).copied().unwrap_or(false)));
    let field = task_field(index);
    let unit = name.clone();
    let task = move || {
        on.get().then(|| {
            let (field, name) = (field.clone(), unit.clone());
            let invalid = {
                let field = field.clone();
                move || errors.has(&field)
            };
            let message = {
                let field = field.clone();
                move || errors.message_for(&field).map(|error| {
                    let text = error.message(i18n.lang.get()).to_string();
                    view! { <p class="field-error" id=format!("{}-error", error.field)>{text}</p> }
                })
            };
            let hint_id = format!("{field}-hint");
            let described = {
                let (hint_id, field) = (hint_id.clone(), field.clone());
                let invalid = invalid.clone();
                move || described_by(Some(hint_id.clone()), &field, invalid())
            };
            let label = {
                let name = name.clone();
                move || match i18n.lang.get() {
                    Lang::Zh => format!("交给{name}办理的事项"),
                    Lang::En => format!("Task for {name}"),
                }
            };
            let wrapper = {
                let invalid = invalid.clone();
                move || if invalid() { "field has-error" } else { "field" }
            };
            view! {
                <div class=wrapper data-field=field.clone()>
                    <label for=field.clone()>{label}</label>
                    <p class="hint" id=hint_id>{move || i18n.tr("写明要这个单位做什么、需要反馈什么。", "Say what this unit should do and report back.")}</p>
                    {message}
                    <textarea id=field.clone() name=field.clone() rows="3" data-unit-task=name.clone()
                        maxlength=limits::TEXT_MAX.to_string() aria-required="true"
                        aria-invalid=move || invalid().then_some("true")
                        aria-describedby=described
                        prop:value=move || tasks.with(|texts| texts.get(index).cloned().unwrap_or_default())
                        on:input=move |event| {
                            let text = event_target_value(&event);
                            tasks.update(|texts| if let Some(slot) = texts.get_mut(index) { *slot = text; });
                        }></textarea>
                </div>
            }
        })
    };
    let label_for = box_id.clone();
    view! {
        <div class="field checkbox" data-field=box_id.clone()>
            <label class="check-row" for=label_for>
                <input type="checkbox" id=box_id.clone() name=box_id.clone() data-unit=name.clone()
                    prop:checked=move || on.get()
                    on:change=move |event| {
                        let ticked = event_target_checked(&event);
                        checked.update(|ticks| if let Some(slot) = ticks.get_mut(index) { *slot = ticked; });
                    }/>
                <span>{name.clone()}</span>
            </label>
        </div>
        {task}
    }
}
