//! Volunteers: my events and my hours. Admins: hours per organisation.

use leptos::prelude::*;
use shared::events::SignupStatus;

use super::when;
use crate::components::feedback::{Empty, Loading};
use crate::i18n::use_i18n;

fn hours(minutes: u64) -> String {
    format!("{:.1}", minutes as f64 / 60.0)
}

#[component]
pub fn MyEventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let events = LocalResource::new(crate::api::my_events);
    let hours_resource = LocalResource::new(crate::api::my_hours);
    view! {
        <section class="card">
            <div class="card-head">
                <h1>{move || i18n.tr("我的活动", "My events")}</h1>
                <a class="button" href="/api/me/calendar.ics" download>{move || i18n.tr("我的日历 (.ics)", "My calendar (.ics)")}</a>
            </div>
            {move || match events.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty zh="您还没有报名活动。" en="You have not signed up for any events."/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul id="my-events" class="rows">
                        {list.into_iter().filter(|m| m.signup.status != SignupStatus::Cancelled).map(|mine| {
                            let href = format!("/events/{}", mine.event.id);
                            let status = mine.signup.status;
                            let shown = mine.event.clone();
                            view! {
                                <li class="row"><div class="row-main">
                                    <a href=href><strong>{mine.event.event.title.clone()}</strong></a>
                                    <div class="row-meta">
                                        <span>{move || when(&shown, i18n.lang.get())}</span>
                                        <span class="status">{move || status.label().get(i18n.lang.get())}</span>
                                    </div>
                                </div></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        <section class="card">
            <h2>{move || i18n.tr("我的志愿时长", "My volunteer hours")}</h2>
            {move || match hours_resource.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(mine)) if mine.months.is_empty() => view! { <Empty zh="还没有记录的志愿时长。" en="No hours recorded yet."/> }.into_any(),
                Some(Ok(mine)) => view! {
                    <table id="my-hours" class="table">
                        <thead><tr><th>{move || i18n.tr("期间", "Period")}</th><th>{move || i18n.tr("小时", "Hours")}</th></tr></thead>
                        <tbody>
                            {mine.years.into_iter().chain(mine.months).map(|line| view! {
                                <tr><td>{line.period.clone()}</td><td>{hours(line.minutes)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn HoursReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let totals = LocalResource::new(crate::api::organisation_hours);
    view! {
        <section class="card">
            <h1>{move || i18n.tr("各组织志愿时长(本年)", "Volunteer hours by organisation (this year)")}</h1>
            {move || match totals.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(lines)) => view! {
                    <table class="table">
                        <tbody>
                            {lines.into_iter().map(|line| view! {
                                <tr><td>{move || line.organisation.label().get(i18n.lang.get())}</td><td>{hours(line.minutes)} " h"</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
