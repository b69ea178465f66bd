//! Volunteers: my events and my hours. Admins: hours per organisation.

use leptos::prelude::*;
use shared::events::{EventStatus, SignupStatus};
use shared::Lang;

use super::when;
use crate::components::feedback::{Empty, Loading};
use crate::components::table::{Column, DataTable};
use crate::i18n::use_i18n;
use crate::pages::cases::list::ListTotal;

fn hours(minutes: u64) -> String {
    format!("{:.1}", minutes as f64 / 60.0)
}

/// A period of the hours report — `2026-11` (a month) or `2026` (a year) — as people read it.
fn period(text: &str, lang: Lang) -> String {
    let mut parts = text.splitn(2, '-');
    let year = parts.next().unwrap_or_default();
    let month = parts.next().and_then(|m| m.parse::<u32>().ok());
    let month_name = shared::time::month_abbreviation;
    match (lang, month) {
        (Lang::Zh, Some(m)) => format!("{year}年{m}月"),
        (Lang::En, Some(m)) => format!("{} {year}", month_name(m)),
        (Lang::Zh, None) => format!("{year}年全年"),
        (Lang::En, None) => format!("All of {year}"),
    }
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
                // Every sign-up the server lists, given-back places too (marked), so the number
                // here is the one on the home page.
                Some(Ok(list)) if list.is_empty() => view! {
                    <ListTotal count=0 zh="个活动" en="events"/>
                    <Empty zh="您还没有报名活动。" en="You have not signed up for any events."/>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ListTotal count=list.len() zh="个活动" en="events"/>
                    <ul id="my-events" class="rows">
                        {list.into_iter().map(|mine| {
                            let href = format!("/events/{}", mine.event.id);
                            let status = mine.signup.status;
                            let event_status = mine.event.event.status;
                            let position = mine.signup.position.filter(|_| status == SignupStatus::Waitlisted);
                            let shown = mine.event.clone();
                            let class = if status == SignupStatus::Cancelled { "row muted" } else { "row" };
                            view! {
                                <li class=class><div class="row-main">
                                    <a href=href><strong>{mine.event.event.title.clone()}</strong></a>
                                    <div class="row-meta">
                                        <span>{move || when(&shown, i18n.lang.get())}</span>
                                        <span class="status">{move || status.label().get(i18n.lang.get())}</span>
                                        {position.map(|p| view! { <span class="muted">{move || match i18n.lang.get() {
                                            Lang::Zh => format!("候补第 {p} 位"),
                                            Lang::En => format!("number {p} on the waitlist"),
                                        }}</span> })}
                                        {(event_status == EventStatus::Cancelled).then(|| view! {
                                            <span class="status status-disabled">{move || i18n.tr("活动已取消", "Event cancelled")}</span>
                                        })}
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
                        <thead><tr>
                            <th scope="col">{move || i18n.tr("期间", "Period")}</th>
                            <th scope="col">{move || i18n.tr("小时", "Hours")}</th>
                        </tr></thead>
                        <tbody>
                            {mine.years.into_iter().chain(mine.months).map(|line| view! {
                                <tr><td>{move || period(&line.period, i18n.lang.get())}</td><td>{hours(line.minutes)}</td></tr>
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
    let columns = || {
        vec![
            Column::new("organisation", "组织", "Organisation"),
            Column::new("hours", "小时", "Hours"),
        ]
    };
    view! {
        <section class="card">
            <h1>{move || i18n.tr("各组织志愿时长(本年)", "Volunteer hours by organisation (this year)")}</h1>
            {move || match totals.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(lines)) => {
                    let total = Signal::derive({
                        let n = lines.len() as u64;
                        move || Some(n)
                    });
                    view! {
                        <DataTable id="organisation-hours" columns=columns() total=total
                            empty_zh="本年还没有记录的志愿时长。" empty_en="No hours recorded this year.">
                            {lines.into_iter().map(|line| {
                                let organisation = line.organisation;
                                view! { <tr><td>{move || organisation.label().get(i18n.lang.get())}</td><td>{hours(line.minutes)}</td></tr> }
                            }).collect_view()}
                        </DataTable>
                    }.into_any()
                }
            }}
        </section>
    }
}
