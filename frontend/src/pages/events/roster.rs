//! The roster with the waitlist, check-in on a phone, hour corrections and exports.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::events::{
    Attendance, CheckInRequest, CorrectHoursRequest, PlaceKind, SignupRecord, SignupStatus,
};
use shared::Role;

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

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
    let session = use_session();
    let is_admin = session.me().is_some_and(|me| me.role == Role::Admin);
    view! {
        <section class="card">
            {move || match roster.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(roster)) => {
                    let event_id = roster.event.id.clone();
                    let empty = roster.signups.is_empty();
                    view! {
                        <h1>{roster.event.event.title.clone()} " · " {move || i18n.tr("名单", "Roster")}</h1>
                        {empty.then(|| view! { <Empty zh="还没有人报名。" en="Nobody has signed up yet."/> })}
                        <ul id="roster" class="rows">
                            {roster.signups.into_iter().map(|signup| view! { <RosterRow event_id=event_id.clone() signup=signup reload=reload is_admin=is_admin/> }).collect_view()}
                        </ul>
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
    let (error, set_error) = signal(None::<ApiError>);
    let minutes = RwSignal::new(signup.minutes.map(|m| m.to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let (kind, status, attendance) = (signup.kind, signup.status, signup.attendance);
    let person = signup.person_id.clone();
    // A lead's own hours need someone else's word; the server refuses it too.
    let own = !is_admin
        && kind == PlaceKind::Volunteer
        && use_session().me().is_some_and(|me| me.id == person);
    let mark = {
        let event_id = event_id.clone();
        let person = person.clone();
        move |attendance: Attendance| {
            let request = CheckInRequest {
                kind,
                person_id: person.clone(),
                attendance,
            };
            let event_id = event_id.clone();
            spawn_local(async move {
                match crate::api::check_in(&event_id, &request).await {
                    Ok(_) => reload.update(|n| *n += 1),
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    let mark_absent = mark.clone();
    let correct = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = CorrectHoursRequest {
            person_id: person.clone(),
            minutes: minutes.get_untracked().trim().parse().unwrap_or(0),
            reason: reason.get_untracked(),
        };
        let event_id = event_id.clone();
        spawn_local(async move {
            match crate::api::correct_hours(&event_id, &request).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    view! {
        <li class="row">
            <div class="row-main">
                <strong>{signup.name.clone()}</strong>
                <div class="row-meta">
                    <span class="badge">{move || kind.label().get(i18n.lang.get())}</span>
                    <span class="status">{move || status.label().get(i18n.lang.get())}</span>
                    {signup.position.map(|p| view! { <span class="muted">{format!("#{p}")}</span> })}
                    {attendance.map(|a| view! { <span class="status status-active">{move || a.label().get(i18n.lang.get())}</span> })}
                    {signup.minutes.map(|m| view! { <span class="muted">{move || format!("{m} {}", i18n.tr("分钟", "min"))}</span> })}
                    {signup.correction.clone().map(|c| view! { <span class="muted">{c}</span> })}
                </div>
                <ErrorBanner error=error/>
            </div>
            {(status == SignupStatus::Confirmed && own).then(|| view! {
                <p class="muted">{move || i18n.tr("您不能为自己签到,请由其他负责人或管理员签到。", "You cannot check yourself in: ask another lead or an administrator.")}</p>
            })}
            {(status == SignupStatus::Confirmed && !own).then(|| view! {
                <div class="row-actions">
                    <button class="primary" on:click=move |_| mark(Attendance::Present)>{move || i18n.tr("出席", "Present")}</button>
                    <button on:click=move |_| mark_absent(Attendance::Absent)>{move || i18n.tr("缺席", "Absent")}</button>
                </div>
            })}
            {(is_admin && kind == PlaceKind::Volunteer && status == SignupStatus::Confirmed).then(|| view! {
                <form class="inline-form" on:submit=correct>
                    <input type="number" min="0" max="1440" aria-label=move || i18n.tr("分钟", "Minutes") prop:value=move || minutes.get() on:input=move |e| minutes.set(event_target_value(&e))/>
                    <input type="text" maxlength="200" placeholder=move || i18n.tr("更正原因", "Reason") prop:value=move || reason.get() on:input=move |e| reason.set(event_target_value(&e))/>
                    <button type="submit">{move || i18n.tr("更正时长", "Correct hours")}</button>
                </form>
            })}
        </li>
    }
}
