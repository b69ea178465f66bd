//! One event: places left, sign-up and cancel for volunteers, children's places for staff, and
//! cancelling the event (admins, behind a confirmation).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::events::{EventRecord, EventStatus, SignupRecord, SignupStatus};
use shared::Role;

use super::child_place::ChildPlace;
use super::{when, Places};
use crate::api::ApiError;
use crate::components::confirm::ConfirmAction;
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::toast::use_toasts;
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
    let shown = record.clone();
    let site = record.site.clone();
    let calendar = format!("/api/events/{}/calendar.ics", record.id);
    let roster = format!("/events/{}/roster", record.id);
    let edit = format!("/events/{}/edit", record.id);
    let kind = record.event.event_type;
    let status = record.event.status;
    let (signup_deadline, cancel_deadline) =
        (record.event.signup_deadline, record.event.cancel_deadline);
    let is_lead = session
        .me()
        .is_some_and(|me| me.role == Role::Admin || record.event.leads.contains(&me.id));
    let is_admin = role == Some(Role::Admin);
    let staff = matches!(role, Some(Role::Admin | Role::Director));
    let open = status == EventStatus::Published;
    view! {
        <section class="card" id="event-detail">
            <div class="card-head">
                <h1>{record.event.title.clone()}</h1>
                {is_admin.then(|| view! { <a class="button" href=edit.clone()>{move || i18n.tr("修改", "Edit")}</a> })}
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
                <dd>{move || shared::time::format_datetime(signup_deadline, i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("取消截止", "Cancel by")}</dt>
                <dd>{move || shared::time::format_datetime(cancel_deadline, i18n.lang.get())}</dd>
            </dl>
            <p class="description">{record.event.description.clone()}</p>
            <p class="row-meta" id="places">
                {(record.volunteers.capacity > 0).then(|| view! { <Places counts=record.volunteers.clone() zh="志愿者" en="Volunteers"/> })}
                {(record.children.capacity > 0).then(|| view! { <Places counts=record.children.clone() zh="儿童" en="Children"/> })}
            </p>
            {(role == Some(Role::Volunteer)).then(|| view! { <MyPlace record=record.clone() reload=reload/> })}
            // Staff and teachers always run the full bundle (`bundle::settle`).
            {(cfg!(feature = "full") && staff && open && record.children.capacity > 0).then(|| view! { <ChildPlace event_id=record.id.clone() reload=reload/> })}
            {(cfg!(feature = "full") && role == Some(Role::Teacher) && open && record.children.capacity > 0).then(|| view! { <ChildPlace event_id=record.id.clone() reload=reload from_my_school=true/> })}
            <p class="row-actions">
                <a class="button" href=calendar download>{move || i18n.tr("加入日历 (.ics)", "Add to calendar (.ics)")}</a>
                {is_lead.then(|| view! { <a id="open-roster" class="button" href=roster>{move || i18n.tr("名单与签到", "Roster and check-in")}</a> })}
            </p>
            {(is_admin && status != EventStatus::Cancelled).then(|| view! { <CancelEvent record=record.clone() reload=reload/> })}
        </section>
    }
}

/// "Your place is confirmed" / "number 2 on the waitlist", with sign-up and give-back.
#[component]
fn MyPlace(record: EventRecord, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
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
                Ok(signup) => {
                    let (zh, en) = signed_message(cancel, &signup);
                    toasts.success(zh, en);
                    reload.update(|n| *n += 1)
                }
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
        {(open && !has_place).then(|| view! {
            <button id="sign-up" class="primary" disabled=move || busy.get() on:click=move |_| act(false)>
                {move || if full { i18n.tr("名额已满,加入候补", "Full — join the waitlist") } else { i18n.tr("报名参加", "Sign up") }}
            </button>
        })}
        {has_place.then(|| view! {
            <button id="cancel-sign-up" class="danger" disabled=move || busy.get() on:click=move |_| act_cancel(true)>
                {move || i18n.tr("取消报名", "Cancel my place")}
            </button>
        })}
    }
}

fn signed_message(cancelled: bool, signup: &SignupRecord) -> (String, String) {
    match (cancelled, signup.status, signup.position) {
        (true, _, _) => (
            "已取消报名,名额已让出".into(),
            "Your place is given back".into(),
        ),
        (false, SignupStatus::Waitlisted, Some(p)) => (
            format!("已加入候补名单,第 {p} 位"),
            format!("You are on the waitlist, number {p}"),
        ),
        _ => (
            "报名成功,名额已确认".into(),
            "Signed up: your place is confirmed".into(),
        ),
    }
}

/// Admins cancel the event; everyone signed up is told.
#[component]
fn CancelEvent(record: EventRecord, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let (error, set_error) = signal(None::<ApiError>);
    let busy = RwSignal::new(false);
    let id = record.id.clone();
    let signed_up = record.volunteers.confirmed
        + record.volunteers.waitlisted
        + record.children.confirmed
        + record.children.waitlisted;
    let warning = Signal::derive(move || {
        (signed_up > 0).then(|| match i18n.lang.get() {
            shared::Lang::Zh => format!("已有 {signed_up} 人报名或候补,取消后系统会通知他们。"),
            shared::Lang::En => {
                format!("{signed_up} people have a place or are waiting: they will be told.")
            }
        })
    });
    let confirm = Callback::new(move |(_, reason): (String, String)| {
        let id = id.clone();
        set_error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::cancel_event(&id, reason).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(
                        "活动已取消,已通知所有报名者",
                        "Event cancelled: everyone signed up has been told",
                    );
                    reload.update(|n| *n += 1)
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    });
    view! {
        <div class="danger-zone">
            <ConfirmAction id="cancel-event" label_zh="取消活动" label_en="Cancel the event"
                question_zh="确定取消这个活动吗?所有已报名和候补的人都会收到通知,此操作不可撤销。"
                question_en="Cancel this event? Everyone with a place or on the waitlist is told. This cannot be undone."
                note_zh="取消原因(会告诉报名者)" note_en="Why (told to everyone signed up)" note_required=true
                warning=warning busy=busy on_confirm=confirm/>
            <ErrorBanner error=error/>
        </div>
    }
}
