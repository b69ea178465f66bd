//! One event: places left, sign-up and cancel for volunteers, children's places for staff.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::events::{EventRecord, EventStatus, SignupStatus};
use shared::Role;

use super::{when, Places};
use crate::api::ApiError;
use crate::components::feedback::{ErrorBanner, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn EventPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let reload = RwSignal::new(0u32);
    let record = LocalResource::new(move || {
        reload.track();
        let id = params.get().get("id").unwrap_or_default();
        async move { crate::api::event(&id).await }
    });
    view! {
        {move || match record.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => view! { <section class="card"><div class="error">{error.message(i18n.lang.get())}</div></section> }.into_any(),
            Some(Ok(record)) => view! { <EventView record=record reload=reload/> }.into_any(),
        }}
    }
}

#[component]
fn EventView(record: EventRecord, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = session.me().map(|me| me.role);
    let (error, set_error) = signal(None::<ApiError>);
    let busy = RwSignal::new(false);
    let id = record.id.clone();
    let act = move |cancel: bool| {
        let id = id.clone();
        busy.set(true);
        set_error.set(None);
        spawn_local(async move {
            let result = if cancel {
                crate::api::cancel_sign_up(&id).await
            } else {
                crate::api::sign_up(&id).await
            };
            busy.set(false);
            match result {
                Ok(_) => reload.update(|n| *n += 1),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let act_cancel = act.clone();
    let mine = record
        .my_signup
        .clone()
        .filter(|s| s.status != SignupStatus::Cancelled);
    let open = record.event.status == EventStatus::Published;
    let full = record.volunteers.left() == 0;
    let shown = record.clone();
    let site = record.site.clone();
    let calendar = format!("/api/events/{}/calendar.ics", record.id);
    let roster = format!("/events/{}/roster", record.id);
    let edit = format!("/events/{}/edit", record.id);
    let kind = record.event.event_type;
    let status = record.event.status;
    let is_lead = session
        .me()
        .is_some_and(|me| me.role == Role::Admin || record.event.leads.contains(&me.id));
    let staff = matches!(role, Some(Role::Admin | Role::Director));
    view! {
        <section class="card" id="event-detail">
            <div class="card-head">
                <h1>{record.event.title.clone()}</h1>
                <Show when=move || role == Some(Role::Admin)>
                    <a class="button" href=edit.clone()>{move || i18n.tr("修改", "Edit")}</a>
                </Show>
            </div>
            <p class="row-meta">
                <span class="badge">{move || kind.label().get(i18n.lang.get())}</span>
                <span class="status">{move || status.label().get(i18n.lang.get())}</span>
            </p>
            <dl class="facts">
                <dt>{move || i18n.tr("时间", "When")}</dt><dd>{move || when(&shown, i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("地点", "Where")}</dt>
                <dd>{site.map(|s| format!("{} {}", s.site.name, s.site.address)).unwrap_or_default()}</dd>
                <dt>{move || i18n.tr("报名截止", "Sign up by")}</dt>
                <dd>{move || shared::time::format_datetime(record.event.signup_deadline, i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("取消截止", "Cancel by")}</dt>
                <dd>{move || shared::time::format_datetime(record.event.cancel_deadline, i18n.lang.get())}</dd>
            </dl>
            <p class="description">{record.event.description.clone()}</p>
            <p class="row-meta" id="places">
                {(record.volunteers.capacity > 0).then(|| view! { <Places counts=record.volunteers.clone() zh="志愿者" en="Volunteers"/> })}
                {(record.children.capacity > 0).then(|| view! { <Places counts=record.children.clone() zh="儿童" en="Children"/> })}
            </p>
            {(role == Some(Role::Volunteer)).then(|| {
                let status_line = mine.clone().map(|signup| {
                    let position = signup.position;
                    view! {
                        <p id="my-place" class=if signup.status == SignupStatus::Confirmed { "success" } else { "notice" }>
                            {move || match (signup.status, position) {
                                (SignupStatus::Confirmed, _) => i18n.tr("您的名额已确认。", "Your place is confirmed.").to_string(),
                                (_, Some(p)) => match i18n.lang.get() {
                                    shared::Lang::Zh => format!("您在候补名单上,第 {p} 位。有名额空出时会自动为您确认。"),
                                    shared::Lang::En => format!("You are on the waitlist, number {p}. You get the next free place automatically."),
                                },
                                _ => String::new(),
                            }}
                        </p>
                    }
                });
                let has_place = mine.is_some();
                view! {
                    {status_line}
                    <ErrorBanner error=error/>
                    <Show when=move || open && !has_place>
                        <button id="sign-up" class="primary" disabled=move || busy.get() on:click={let act = act.clone(); move |_| act(false)}>
                            {move || if full { i18n.tr("名额已满,加入候补", "Full — join the waitlist") } else { i18n.tr("报名参加", "Sign up") }}
                        </button>
                    </Show>
                    <Show when=move || has_place>
                        <button id="cancel-sign-up" class="danger" disabled=move || busy.get() on:click={let act = act_cancel.clone(); move |_| act(true)}>
                            {move || i18n.tr("取消报名", "Cancel my place")}
                        </button>
                    </Show>
                }
            })}
            {staff.then(|| view! { <ChildPlace event_id=record.id.clone() reload=reload/> })}
            <p class="row-actions">
                <a class="button" href=calendar download>{move || i18n.tr("加入日历 (.ics)", "Add to calendar (.ics)")}</a>
                {is_lead.then(|| view! { <a id="open-roster" class="button" href=roster>{move || i18n.tr("名单与签到", "Roster and check-in")}</a> })}
            </p>
        </section>
    }
}

/// Directors and admins enter a child of their scope.
#[component]
fn ChildPlace(event_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let children =
        LocalResource::new(|| async { crate::api::children(&Default::default(), None).await });
    let chosen = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let id = event_id.clone();
        let child = chosen.get_untracked();
        if child.is_empty() {
            return;
        }
        spawn_local(async move {
            match crate::api::sign_up_child(&id, child).await {
                Ok(_) => {
                    done.set(true);
                    reload.update(|n| *n += 1)
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    view! {
        <form class="inline-form" on:submit=submit>
            <select on:change=move |event| chosen.set(event_target_value(&event))>
                <option value="">{move || i18n.tr("为儿童报名…", "Sign up a child…")}</option>
                {move || children.get().and_then(Result::ok).map(|page| page.items.into_iter().map(|child| view! {
                    <option value=child.id.clone()>{child.name.clone()}</option>
                }).collect_view())}
            </select>
            <button type="submit">{move || i18n.tr("报名", "Sign up")}</button>
        </form>
        <Show when=move || done.get()><div class="success">{move || i18n.tr("已为儿童报名。", "The child has a place.")}</div></Show>
        <ErrorBanner error=error/>
    }
}
