//! Admins: create and edit an event. Times are entered in Beijing time. Cancelling an event is
//! on the event's own page, behind a confirmation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::events::{limits, EventRecord, EventStatus, EventType, Organisation, Site, Visibility};
use shared::time::to_beijing_local;

use super::form_check::{checked, EventDraft};
use crate::components::errors::{ErrorSummary, FieldMessage, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::{
    Checkbox, Choice, DateTimeField, NumberField, SelectField, SubmitBar, TextArea, TextField,
};
use crate::components::picker::{local_search, PickOption, SearchPicker};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::cases::interned;

#[component]
pub fn EventFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.get_untracked().get("id");
    let editing = id.is_some();
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
            <h1>{move || if editing { i18n.tr("修改活动", "Edit the event") } else { i18n.tr("新建活动", "New event") }}</h1>
            {move || match (existing.get(), sites.get()) {
                (Some(Ok(record)), Some(Ok(sites))) => view! { <EventEditor record=record sites=sites/> }.into_any(),
                (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                _ => view! { <Loading/> }.into_any(),
            }}
        </section>
    }
}

fn site_option(site: &Site, lang: shared::Lang) -> PickOption {
    let village = shared::divisions::village_name(&site.site.village_code).unwrap_or_default();
    PickOption {
        id: site.id.clone(),
        label: site.site.name.clone(),
        detail: [
            site.site.site_type.label().get(lang),
            village,
            site.site.address.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · "),
    }
}

fn type_choices() -> Vec<Choice> {
    EventType::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), k.label().zh, k.label().en))
        .collect()
}

#[component]
fn EventEditor(record: Option<EventRecord>, sites: Vec<Site>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let errors = FormErrors::new().provide();
    let lang = i18n.lang.get_untracked();
    let event = record.as_ref().map(|r| r.event.clone());
    let text = |pick: fn(&shared::events::EventInput) -> String| {
        RwSignal::new(event.as_ref().map(pick).unwrap_or_default())
    };
    let title = text(|e| e.title.clone());
    let description = text(|e| e.description.clone());
    let kind = text(|e| e.event_type.as_str().to_string());
    let starts = text(|e| to_beijing_local(e.starts_at));
    let ends = text(|e| to_beijing_local(e.ends_at));
    let signup_deadline = text(|e| to_beijing_local(e.signup_deadline));
    let cancel_deadline = text(|e| to_beijing_local(e.cancel_deadline));
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
    let site = RwSignal::new(
        event
            .as_ref()
            .and_then(|e| sites.iter().find(|s| s.id == e.site_id))
            .map(|s| site_option(s, lang)),
    );
    let chosen_orgs = match event.as_ref().map(|e| e.visibility.clone()) {
        Some(Visibility::Organisations { organisations }) => organisations,
        _ => Vec::new(),
    };
    let organisations: Vec<(Organisation, RwSignal<bool>)> = Organisation::ALL
        .iter()
        .map(|o| (*o, RwSignal::new(chosen_orgs.contains(o))))
        .collect();
    let publish = RwSignal::new(
        event
            .as_ref()
            .is_none_or(|e| e.status == EventStatus::Published),
    );
    let busy = RwSignal::new(false);
    let capacity_max = i64::from(limits::CAPACITY_MAX);
    let leads = event.as_ref().map(|e| e.leads.clone()).unwrap_or_default();
    let original_start = event.as_ref().map(|e| e.starts_at);
    let target = record.as_ref().map(|r| (r.id.clone(), r.version));
    let search_sites = local_search(sites.iter().map(|s| site_option(s, lang)).collect());
    let org_signals = organisations.clone();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let draft = EventDraft {
            title: title.get_untracked(),
            event_type: kind.get_untracked(),
            site_id: site.get_untracked().map(|s| s.id),
            description: description.get_untracked(),
            starts: starts.get_untracked(),
            ends: ends.get_untracked(),
            signup_deadline: signup_deadline.get_untracked(),
            cancel_deadline: cancel_deadline.get_untracked(),
            volunteers: volunteers.get_untracked(),
            children: children.get_untracked(),
            organisations: org_signals
                .iter()
                .filter(|(_, on)| on.get_untracked())
                .map(|(o, _)| *o)
                .collect(),
            publish: publish.get_untracked(),
            leads: leads.clone(),
        };
        let input = match checked(&draft, chrono::Utc::now(), original_start) {
            Ok(input) => input,
            Err(found) => return errors.show_fields(found),
        };
        let navigate = navigate.clone();
        let target = target.clone();
        busy.set(true);
        spawn_local(async move {
            let result =
                crate::api::save_event(target.as_ref().map(|(id, v)| (id.as_str(), *v)), input)
                    .await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    match saved.event.status {
                        EventStatus::Published => toasts.success(
                            "活动已保存并发布,志愿者可以报名了",
                            "Event saved and published: volunteers can sign up",
                        ),
                        _ => toasts.success("活动已保存为草稿", "Event saved as a draft"),
                    }
                    navigate(&format!("/events/{}", saved.id), Default::default())
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <form id="event-form" novalidate on:submit=submit>
            <ErrorSummary errors=errors/>
            <TextField id="event-title" field="title" label_zh="标题" label_en="Title" value=title max=limits::TITLE_MAX/>
            <SelectField id="event-type" field="event_type" label_zh="类型" label_en="Type" options=type_choices() value=kind/>
            <SearchPicker id="event-site" field="site_id" label_zh="服务阵地" label_en="Site"
                hint_zh="输入名称、村(社区)或地址查找" hint_en="Type a name, village or address"
                search=search_sites value=site/>
            <p class="muted">{move || i18n.tr("以下时间均为北京时间。开始时间须在现在到一年之内。",
                "All times are Beijing time. The start must be between now and a year from now.")}</p>
            <DateTimeField id="event-starts" field="starts_at" label_zh="开始时间" label_en="Starts" value=starts/>
            <DateTimeField id="event-ends" field="ends_at" label_zh="结束时间" label_en="Ends" value=ends/>
            <DateTimeField id="event-signup-deadline" field="signup_deadline" label_zh="报名截止" label_en="Sign-up deadline" value=signup_deadline/>
            <DateTimeField id="event-cancel-deadline" field="cancel_deadline" label_zh="取消截止" label_en="Cancellation deadline" value=cancel_deadline/>
            <NumberField id="event-volunteers" field="volunteer_capacity" label_zh="志愿者名额" label_en="Volunteer places"
                value=volunteers min=0 max=capacity_max/>
            <NumberField id="event-children" field="child_capacity" label_zh="儿童名额" label_en="Children's places"
                value=children min=0 max=capacity_max/>
            <fieldset class="field" data-field="visibility">
                <legend>{move || i18n.tr("仅限以下组织的志愿者(选填,不选则所有志愿者可见)", "Only volunteers of (optional: none means everyone)")}</legend>
                {organisations.into_iter().map(|(org, on)| {
                    let label = org.label();
                    view! { <Checkbox id=interned(format!("event-org-{}", org.as_str())) label_zh=label.zh label_en=label.en checked=on/> }
                }).collect_view()}
                <FieldMessage field="visibility"/>
            </fieldset>
            <TextArea id="event-description" field="description" label_zh="说明" label_en="Description"
                value=description max=limits::DESCRIPTION_MAX rows=4 required=false/>
            <Checkbox id="event-publish" label_zh="发布(志愿者可见并可报名)" label_en="Publish (volunteers can see it and sign up)" checked=publish/>
            <SubmitBar id="event-save" label_zh="保存" label_en="Save" busy=Signal::from(busy)/>
        </form>
    }
}
