//! Admins: create and edit an event. Times are entered in Beijing time.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::events::{EventInput, EventRecord, EventStatus, EventType, Organisation, Visibility};
use shared::time::{parse_beijing_local, to_beijing_local};

use crate::api::ApiError;
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::form::TextField;
use crate::i18n::use_i18n;

#[component]
pub fn EventFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.get_untracked().get("id");
    let existing = LocalResource::new(move || {
        let id = id.clone();
        async move {
            match id {
                Some(id) => crate::api::event(&id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let sites = LocalResource::new(crate::api::sites);
    view! {
        <section class="card">
            <h1>{move || i18n.tr("活动", "Event")}</h1>
            {move || match (existing.get(), sites.get()) {
                (Some(Ok(record)), Some(Ok(sites))) => view! { <EventEditor record=record sites=sites/> }.into_any(),
                (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                _ => view! { <Loading/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn EventEditor(record: Option<EventRecord>, sites: Vec<shared::events::Site>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let event = record.as_ref().map(|r| r.event.clone());
    let local =
        |at: Option<chrono::DateTime<chrono::Utc>>| at.map(to_beijing_local).unwrap_or_default();
    let title = RwSignal::new(event.as_ref().map(|e| e.title.clone()).unwrap_or_default());
    let description = RwSignal::new(
        event
            .as_ref()
            .map(|e| e.description.clone())
            .unwrap_or_default(),
    );
    let kind = RwSignal::new(
        event
            .as_ref()
            .map(|e| e.event_type)
            .unwrap_or(EventType::HolidayCare),
    );
    let site = RwSignal::new(
        event
            .as_ref()
            .map(|e| e.site_id.clone())
            .or_else(|| sites.first().map(|s| s.id.clone()))
            .unwrap_or_default(),
    );
    let starts = RwSignal::new(local(event.as_ref().map(|e| e.starts_at)));
    let ends = RwSignal::new(local(event.as_ref().map(|e| e.ends_at)));
    let signup_deadline = RwSignal::new(local(event.as_ref().map(|e| e.signup_deadline)));
    let cancel_deadline = RwSignal::new(local(event.as_ref().map(|e| e.cancel_deadline)));
    let volunteers = RwSignal::new(
        event
            .as_ref()
            .map(|e| e.volunteer_capacity.to_string())
            .unwrap_or_else(|| "10".into()),
    );
    let children = RwSignal::new(
        event
            .as_ref()
            .map(|e| e.child_capacity.to_string())
            .unwrap_or_else(|| "0".into()),
    );
    let organisations = RwSignal::new(match event.as_ref().map(|e| e.visibility.clone()) {
        Some(Visibility::Organisations { organisations }) => organisations,
        _ => Vec::new(),
    });
    let publish = RwSignal::new(
        event
            .as_ref()
            .is_none_or(|e| e.status == EventStatus::Published),
    );
    let leads = event.as_ref().map(|e| e.leads.clone()).unwrap_or_default();
    let (error, set_error) = signal(None::<ApiError>);
    let local_error = RwSignal::new(false);
    let target = record.as_ref().map(|r| (r.id.clone(), r.version));
    let cancellable = record
        .as_ref()
        .is_some_and(|r| r.event.status != EventStatus::Cancelled);
    let cancel_id = record.as_ref().map(|r| r.id.clone()).unwrap_or_default();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_error.set(None);
        let times = (
            parse_beijing_local(&starts.get_untracked()),
            parse_beijing_local(&ends.get_untracked()),
            parse_beijing_local(&signup_deadline.get_untracked()),
            parse_beijing_local(&cancel_deadline.get_untracked()),
        );
        let (Some(starts_at), Some(ends_at), Some(signup), Some(cancel)) = times else {
            local_error.set(true);
            return;
        };
        local_error.set(false);
        let chosen = organisations.get_untracked();
        let input = EventInput {
            title: title.get_untracked(),
            event_type: kind.get_untracked(),
            description: description.get_untracked(),
            site_id: site.get_untracked(),
            starts_at,
            ends_at,
            signup_deadline: signup,
            cancel_deadline: cancel,
            volunteer_capacity: volunteers.get_untracked().trim().parse().unwrap_or(0),
            child_capacity: children.get_untracked().trim().parse().unwrap_or(0),
            visibility: if chosen.is_empty() {
                Visibility::AllVolunteers
            } else {
                Visibility::Organisations {
                    organisations: chosen,
                }
            },
            leads: leads.clone(),
            status: if publish.get_untracked() {
                EventStatus::Published
            } else {
                EventStatus::Draft
            },
        };
        let navigate = navigate.clone();
        let target = target.clone();
        spawn_local(async move {
            match crate::api::save_event(target.as_ref().map(|(id, v)| (id.as_str(), *v)), input)
                .await
            {
                Ok(saved) => navigate(&format!("/events/{}", saved.id), Default::default()),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let cancel_event = move |_| {
        let id = cancel_id.clone();
        spawn_local(async move {
            match crate::api::cancel_event(&id).await {
                Ok(_) => {
                    let _ =
                        web_sys::window().map(|w| w.location().set_href(&format!("/events/{id}")));
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let datetime = move |id: &'static str,
                         zh: &'static str,
                         en: &'static str,
                         value: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=id>{move || i18n.tr(zh, en)}</label>
                <input id=id type="datetime-local" prop:value=move || value.get()
                    on:input=move |e| value.set(event_target_value(&e)) on:change=move |e| value.set(event_target_value(&e))/>
            </div>
        }
    };
    view! {
        <form id="event-form" on:submit=submit>
            <TextField id="event-title" label_zh="标题" label_en="Title" value=title max=shared::events::limits::TITLE_MAX/>
            <div class="field">
                <label for="event-type">{move || i18n.tr("类型", "Type")}</label>
                <select id="event-type" on:change=move |e| if let Some(k) = EventType::parse(&event_target_value(&e)) { kind.set(k) }>
                    {EventType::ALL.iter().map(|k| { let k = *k; view! { <option value=k.as_str() selected=move || kind.get() == k>{move || k.label().get(i18n.lang.get())}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="event-site">{move || i18n.tr("服务阵地", "Site")}</label>
                <select id="event-site" on:change=move |e| site.set(event_target_value(&e))>
                    {sites.into_iter().map(|s| { let id = s.id.clone(); view! { <option value=id.clone() selected=move || site.get() == id>{s.site.name.clone()}</option> } }).collect_view()}
                </select>
            </div>
            {datetime("event-starts", "开始时间(北京时间)", "Starts (Beijing time)", starts)}
            {datetime("event-ends", "结束时间", "Ends", ends)}
            {datetime("event-signup-deadline", "报名截止", "Sign-up deadline", signup_deadline)}
            {datetime("event-cancel-deadline", "取消截止", "Cancellation deadline", cancel_deadline)}
            <TextField id="event-volunteers" label_zh="志愿者名额" label_en="Volunteer places" value=volunteers kind="number" max=4/>
            <TextField id="event-children" label_zh="儿童名额" label_en="Children's places" value=children kind="number" max=4/>
            <fieldset class="field">
                <legend>{move || i18n.tr("仅限以下组织的志愿者(不选则全部可见)", "Only volunteers of (none = everyone)")}</legend>
                {Organisation::ALL.iter().map(|org| {
                    let org = *org;
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || organisations.get().contains(&org)
                                on:change=move |e| { let on = event_target_checked(&e); organisations.update(|list| { list.retain(|o| *o != org); if on { list.push(org) } }) }/>
                            {move || org.label().get(i18n.lang.get())}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="event-description">{move || i18n.tr("说明", "Description")}</label>
                <textarea id="event-description" maxlength="1000" rows="4" prop:value=move || description.get()
                    on:input=move |e| description.set(event_target_value(&e))></textarea>
            </div>
            <label class="check"><input id="event-publish" type="checkbox" prop:checked=move || publish.get() on:change=move |e| publish.set(event_target_checked(&e))/>
                {move || i18n.tr("发布(志愿者可见并可报名)", "Publish (volunteers can see it and sign up)")}</label>
            <Show when=move || local_error.get()>
                <div class="error">{move || i18n.tr("请填写所有时间。", "Fill in all the times.")}</div>
            </Show>
            <ErrorBanner error=error/>
            <button id="event-save" type="submit" class="primary">{move || i18n.tr("保存", "Save")}</button>
        </form>
        {cancellable.then(|| view! {
            <p><button class="danger" on:click=cancel_event>{move || i18n.tr("取消活动(通知所有已报名者)", "Cancel the event (tells everyone signed up)")}</button></p>
        })}
    }
}
