//! Upcoming events, filtered by type, street and first day.

use leptos::prelude::*;
use shared::events::{EventRecord, EventStatus, EventType, SignupStatus};
use shared::Role;

use super::{when, Places};
use crate::components::feedback::{Empty, Loading};
use crate::components::form::{Choice, DateField, SelectField};
use crate::components::table::FilterBar;
use crate::i18n::use_i18n;
use crate::pages::cases::list::ListTotal;
use crate::session::use_session;

fn type_choices() -> Vec<Choice> {
    EventType::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), k.label().zh, k.label().en))
        .collect()
}

fn street_choices() -> Vec<Choice> {
    shared::divisions::streets()
        .map(|s| Choice::new(s.code, s.name, s.name))
        .collect()
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = move || session.me().is_some_and(|me| me.role == Role::Admin);
    let event_type = RwSignal::new(String::new());
    let street = RwSignal::new(String::new());
    let from_day = RwSignal::new(String::new());
    let events = LocalResource::new(move || {
        let kind = Some(event_type.get()).filter(|k| !k.is_empty());
        let street = Some(street.get()).filter(|s| !s.is_empty());
        // From the start of that day in Beijing.
        let from = shared::time::parse_beijing_local(&format!("{}T00:00", from_day.get()))
            .map(|at| at.to_rfc3339());
        crate::api::events(kind, street, from)
    });
    view! {
        <section class="card">
            <div class="card-head">
                <h1>{move || i18n.tr("活动", "Events")}</h1>
                <Show when=is_admin>
                    <div class="row-actions">
                        <a class="button" href="/sites">{move || i18n.tr("服务阵地", "Sites")}</a>
                        <a class="button" href="/hours">{move || i18n.tr("志愿时长", "Hours")}</a>
                        <a id="new-event" class="button primary" href="/events/new">{move || i18n.tr("新建活动", "New event")}</a>
                    </div>
                </Show>
            </div>
            <FilterBar>
                <SelectField id="event-filter-type" label_zh="类型" label_en="Type" options=type_choices()
                    value=event_type placeholder_zh="全部类型" placeholder_en="All types"/>
                <SelectField id="event-filter-street" label_zh="街道" label_en="Street" options=street_choices()
                    value=street placeholder_zh="全部街道" placeholder_en="All streets"/>
                <DateField id="event-filter-from" label_zh="从哪天起" label_en="From" value=from_day required=false/>
            </FilterBar>
            {move || match events.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <ListTotal count=0 zh="个活动" en="events"/>
                    <Empty zh="近期没有活动。" en="No upcoming events."/>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ListTotal count=list.len() zh="个活动" en="events"/>
                    <ul id="event-list" class="rows">
                        {list.into_iter().map(|record| view! { <EventRow record=record/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn EventRow(record: EventRecord) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/events/{}", record.id);
    let kind = record.event.event_type;
    let status = record.event.status;
    let mine = record.my_signup.as_ref().map(|s| s.status);
    let site = record
        .site
        .as_ref()
        .map(|s| s.site.name.clone())
        .unwrap_or_default();
    let shown = record.clone();
    view! {
        <li class="row">
            <div class="row-main">
                <a href=href><strong>{record.event.title.clone()}</strong></a>
                <div class="row-meta">
                    <span class="badge">{move || kind.label().get(i18n.lang.get())}</span>
                    <span>{move || when(&shown, i18n.lang.get())}</span>
                    <span class="muted">{site}</span>
                    {(status != EventStatus::Published).then(|| view! {
                        <span class="status status-disabled">{move || status.label().get(i18n.lang.get())}</span>
                    })}
                    {mine.filter(|s| *s != SignupStatus::Cancelled).map(|s| view! {
                        <span class="status status-active">{move || s.label().get(i18n.lang.get())}</span>
                    })}
                </div>
                <div class="row-meta">
                    {(record.volunteers.capacity > 0).then(|| view! { <Places counts=record.volunteers.clone() zh="志愿者" en="Volunteers"/> })}
                    {(record.children.capacity > 0).then(|| view! { <Places counts=record.children.clone() zh="儿童" en="Children"/> })}
                </div>
            </div>
        </li>
    }
}
