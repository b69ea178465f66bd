//! The case's notes: append-only, each with its kind and the day it is about.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cases::{limits, CaseView, NoteKind};
use shared::{FieldError, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::Empty;
use crate::components::form::{Choice, DateField, RadioGroup, TextArea};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::children::form::today;

fn kind_choices() -> Vec<Choice> {
    NoteKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), k.label().zh, k.label().en))
        .collect()
}

/// What the note form holds, checked before it goes to the server.
fn checked_note(
    kind: &str,
    date: &str,
    text: &str,
) -> Result<(NoteKind, NaiveDate, String), Vec<FieldError>> {
    let mut missing = Vec::new();
    let kind = NoteKind::parse(kind);
    if kind.is_none() {
        missing.push(FieldError::new(
            "kind",
            Text::new("请选择记录类型", "Choose what kind of note this is"),
        ));
    }
    let day = date.parse::<NaiveDate>().ok();
    match day {
        None => missing.push(FieldError::new(
            "date",
            Text::new("请填写记录日期", "Enter the date of the note"),
        )),
        Some(day) if day > today() => missing.push(FieldError::new(
            "date",
            Text::new("日期不能晚于今天", "The date cannot be in the future"),
        )),
        Some(_) => {}
    }
    if text.trim().is_empty() {
        missing.push(FieldError::new(
            "text",
            Text::new("请填写记录内容", "Write what happened"),
        ));
    }
    match (kind, day) {
        (Some(kind), Some(day)) if missing.is_empty() => Ok((kind, day, text.to_string())),
        _ => Err(missing),
    }
}

#[component]
pub fn Notes(case: CaseView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let kind = RwSignal::new(String::new());
    let date = RwSignal::new(today().to_string());
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let (earliest, latest) = (today() - Duration::days(366), today());
    let id = case.student.child_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let (chosen, day, body) = match checked_note(
            &kind.get_untracked(),
            &date.get_untracked(),
            &text.get_untracked(),
        ) {
            Ok(note) => note,
            Err(missing) => return errors.show_fields(missing),
        };
        let id = id.clone();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::add_note(&id, chosen, day, body).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success("已添加记录", "Note added");
                    text.set(String::new());
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.tr("记录(只能新增,不能修改)", "Notes (append-only)")}</h2>
            <form id="note-form" class="subform" novalidate on:submit=submit>
                <ErrorSummary errors=errors/>
                <RadioGroup id="note-kind" field="kind" legend_zh="记录类型" legend_en="Kind of note"
                    options=kind_choices() value=kind/>
                <DateField id="note-date" field="date" label_zh="日期" label_en="Date"
                    value=date min=earliest max=latest/>
                <TextArea id="note-text" field="text" label_zh="内容" label_en="What happened"
                    value=text max=limits::NOTE_MAX rows=3/>
                <button id="note-save" type="submit" disabled=move || busy.get()>{move || i18n.tr("添加记录", "Add note")}</button>
            </form>
            {case.notes.is_empty().then(|| view! { <Empty zh="还没有记录。" en="No notes yet."/> })}
            <ul class="rows" id="notes">
                {case.notes.into_iter().map(|note| {
                    let (kind, day) = (note.kind, note.date);
                    view! { <li class="row"><div class="row-main">
                        <strong>{move || kind.label().get(i18n.lang.get())}</strong> " "
                        <span class="muted">{move || shared::time::format_date(day, i18n.lang.get())} " · " {note.author.clone()}</span>
                        <p class="description">{note.text.clone()}</p>
                    </div></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}
