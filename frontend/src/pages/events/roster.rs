//! The roster with the waitlist, check-in on a phone, hour corrections and exports.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::events::{
    Attendance, CheckInRequest, CorrectHoursRequest, PlaceKind, SignupRecord, SignupStatus,
};
use shared::{FieldError, Role, Text};

use crate::api::ApiError;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::form::{NumberField, TextField};
use crate::components::table::{sort_by_key, Column, DataTable, Sort};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::cases::interned;
use crate::session::use_session;

fn columns() -> Vec<Column> {
    vec![
        Column::new("name", "姓名", "Name").sortable(),
        Column::new("kind", "类别", "Kind").sortable(),
        Column::new("status", "报名状态", "Place").sortable(),
        Column::new("attendance", "签到", "Attendance"),
        Column::new("actions", "操作", "Actions"),
    ]
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.get_untracked().get("id").unwrap_or_default();
    let reload = RwSignal::new(0u32);
    let roster = LocalResource::new({
        let id = id.clone();
        move || {
            reload.track();
            let id = id.clone();
            async move { crate::api::roster(&id).await }
        }
    });
    let exports = (
        format!("/api/events/{id}/roster/export?format=xlsx"),
        format!("/api/events/{id}/roster/export?format=csv"),
    );
    let is_admin = use_session().me().is_some_and(|me| me.role == Role::Admin);
    let sort = RwSignal::new(None::<Sort>);
    view! {
        <section class="card">
            {move || match roster.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(roster)) => {
                    let event_id = roster.event.id.clone();
                    let href = format!("/events/{event_id}");
                    let signups = StoredValue::new(roster.signups);
                    let rows = move || {
                        let mut rows = signups.get_value();
                        sort_by_key(&mut rows, sort.get(), |s, key| match key {
                            "kind" => s.kind.as_str().to_string(),
                            "status" => s.status.as_str().to_string(),
                            _ => s.name.clone(),
                        });
                        rows
                    };
                    let total = Signal::derive(move || Some(signups.with_value(|s| s.len() as u64)));
                    view! {
                        <h1><a href=href>{roster.event.event.title.clone()}</a> " · " {move || i18n.tr("名单", "Roster")}</h1>
                        <DataTable id="roster" columns=columns() sort=sort total=total
                            empty_zh="还没有人报名。" empty_en="Nobody has signed up yet.">
                            {move || rows().into_iter().map(|signup| view! {
                                <RosterRow event_id=event_id.clone() signup=signup reload=reload is_admin=is_admin/>
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }
            }}
            {is_admin.then(|| view! {
                <p class="row-actions">
                    <a class="button" href=exports.0.clone() download>{move || i18n.tr("导出 XLSX", "Export XLSX")}</a>
                    <a class="button" href=exports.1.clone() download>{move || i18n.tr("导出 CSV", "Export CSV")}</a>
                </p>
            })}
        </section>
    }
}

#[component]
fn RosterRow(
    event_id: String,
    signup: SignupRecord,
    reload: RwSignal<u32>,
    is_admin: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let (error, set_error) = signal(None::<ApiError>);
    let busy = RwSignal::new(false);
    let (kind, status, attendance) = (signup.kind, signup.status, signup.attendance);
    let person = signup.person_id.clone();
    let name = signup.name.clone();
    // A lead's own hours need someone else's word; the server refuses it too.
    let own = !is_admin
        && kind == PlaceKind::Volunteer
        && use_session().me().is_some_and(|me| me.id == person);
    let mark = {
        let (event_id, person, name) = (event_id.clone(), person.clone(), name.clone());
        move |attendance: Attendance| {
            let request = CheckInRequest {
                kind,
                person_id: person.clone(),
                attendance,
            };
            let (event_id, name) = (event_id.clone(), name.clone());
            set_error.set(None);
            busy.set(true);
            spawn_local(async move {
                let result = crate::api::check_in(&event_id, &request).await;
                busy.set(false);
                match result {
                    Ok(_) if attendance == Attendance::Present => {
                        toasts.success(format!("{name} 已签到"), format!("{name} checked in"));
                        reload.update(|n| *n += 1)
                    }
                    Ok(_) => {
                        toasts.success(
                            format!("{name} 已记为缺席"),
                            format!("{name} marked absent"),
                        );
                        reload.update(|n| *n += 1)
                    }
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    let mark_absent = mark.clone();
    let can_mark = status == SignupStatus::Confirmed && !own;
    let can_correct = is_admin && kind == PlaceKind::Volunteer && status == SignupStatus::Confirmed;
    view! {
        <tr data-person=signup.name.clone()>
            <td><strong>{signup.name.clone()}</strong></td>
            <td><span class="badge">{move || kind.label().get(i18n.lang.get())}</span></td>
            <td><span class="status">{move || status.label().get(i18n.lang.get())}</span>
                {signup.position.filter(|_| status == SignupStatus::Waitlisted).map(|p| view! {
                    <span class="muted">{move || match i18n.lang.get() { shared::Lang::Zh => format!(" 第 {p} 位"), shared::Lang::En => format!(" #{p}") }}</span>
                })}</td>
            <td>
                {attendance.map(|a| view! { <span class="status status-active">{move || a.label().get(i18n.lang.get())}</span> })}
                {signup.minutes.map(|m| view! { <div class="muted">{move || format!("{m} {}", i18n.tr("分钟", "min"))}</div> })}
                {signup.correction.clone().map(|c| view! { <div class="muted">{c}</div> })}
            </td>
            <td>
                {(status == SignupStatus::Confirmed && own).then(|| view! {
                    <p class="muted">{move || i18n.tr("您不能为自己签到,请由其他负责人或管理员签到。", "You cannot check yourself in: ask another lead or an administrator.")}</p>
                })}
                {can_mark.then(|| view! {
                    <div class="row-actions">
                        <button type="button" class="primary check-in" disabled=move || busy.get() on:click=move |_| mark(Attendance::Present)>{move || i18n.tr("出席", "Present")}</button>
                        <button type="button" class="check-absent" disabled=move || busy.get() on:click=move |_| mark_absent(Attendance::Absent)>{move || i18n.tr("缺席", "Absent")}</button>
                    </div>
                })}
                {can_correct.then(|| view! { <CorrectHours event_id=event_id.clone() signup=signup.clone() reload=reload/> })}
                <ErrorBanner error=error/>
            </td>
        </tr>
    }
}

/// Admins correct a volunteer's credited minutes, with the reason.
#[component]
fn CorrectHours(event_id: String, signup: SignupRecord, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let open = RwSignal::new(false);
    let minutes = RwSignal::new(signup.minutes.map(|m| m.to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let person = signup.person_id.clone();
    let name = signup.name.clone();
    let minutes_id = interned(format!("hours-minutes-{person}"));
    let reason_id = interned(format!("hours-reason-{person}"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let typed = minutes
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|m| *m <= 1440);
        let why = reason.get_untracked();
        let mut missing = Vec::new();
        if typed.is_none() {
            missing.push(FieldError::new(
                "minutes",
                Text::new(
                    "时长请填写 0 到 1440 之间的分钟数",
                    "Minutes: a number from 0 to 1440",
                ),
            ));
        }
        if why.trim().is_empty() {
            missing.push(FieldError::new(
                "reason",
                Text::new("请写明更正原因", "Give the reason for the correction"),
            ));
        }
        let Some(typed) = typed.filter(|_| missing.is_empty()) else {
            return errors.show_fields(missing);
        };
        let request = CorrectHoursRequest {
            person_id: person.clone(),
            minutes: typed,
            reason: why,
        };
        let (event_id, name) = (event_id.clone(), name.clone());
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::correct_hours(&event_id, &request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(
                        format!("已更正 {name} 的时长"),
                        format!("{name}'s hours corrected"),
                    );
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <button type="button" class="link-button" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{move || i18n.tr("更正时长", "Correct hours")}</button>
        <Show when=move || open.get()>
            <form class="subform correct-hours" novalidate on:submit=submit.clone()>
                <ErrorSummary errors=errors/>
                <NumberField id=minutes_id field="minutes" label_zh="分钟" label_en="Minutes" value=minutes min=0 max=1440/>
                <TextField id=reason_id field="reason" label_zh="更正原因" label_en="Reason" value=reason max=shared::events::limits::REASON_MAX/>
                <button type="submit" class="primary" disabled=move || busy.get()>{move || i18n.tr("保存更正", "Save the correction")}</button>
            </form>
        </Show>
    }
}
