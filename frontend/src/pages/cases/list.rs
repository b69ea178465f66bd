//! My case groups (all, for admins), open crises and overdue reviews first; starting a group.

use leptos::prelude::*;
use shared::{Lang, Role};

use super::start::StartGroup;
use crate::components::feedback::{Empty, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// "共 3 个群组" with `data-total`, the number the home panel shows.
#[component]
pub fn ListTotal(count: usize, zh: &'static str, en: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="list-total muted" data-total=count.to_string()>
            {move || match i18n.lang.get() {
                Lang::Zh => format!("共 {count} {zh}"),
                Lang::En => format!("{count} {en}"),
            }}
        </p>
    }
}

#[component]
pub fn CasesList() -> impl IntoView {
    let i18n = use_i18n();
    let cases = LocalResource::new(crate::api::cases);
    move || {
        match cases.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <ListTotal count=0 zh="个群组" en="groups"/>
            <Empty zh="您还没有加入任何个案群组。" en="You are not in any case group yet."/>
        }.into_any(),
        Some(Ok(list)) => view! {
            <ListTotal count=list.len() zh="个群组" en="groups"/>
            <ul id="case-list" class="rows">
                {list.into_iter().map(|case| {
                    let href = format!("/cases/{}", case.child_id);
                    let level = case.care_level;
                    let review = case.next_review;
                    view! {
                        <li class="row"><div class="row-main">
                            <a href=href><strong>{case.child_name.clone()}</strong></a>
                            <div class="row-meta">
                                {(case.open_crises > 0).then(|| view! { <span class="status level-urgent">{move || i18n.tr("危机预警未关闭", "Open crisis")}</span> })}
                                {case.review_overdue.then(|| view! { <span class="status status-pending">{move || i18n.tr("复盘已逾期", "Review overdue")}</span> })}
                                <span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span>
                                <span class="muted">{case.school.clone()}</span>
                                {case.lead.clone().map(|lead| view! { <span class="muted">{move || i18n.tr("组长:", "Lead: ")} {lead}</span> })}
                                {review.map(|day| view! { <span class="muted">{move || i18n.tr("复盘:", "Review: ")} {move || shared::time::format_date(day, i18n.lang.get())}</span> })}
                            </div>
                        </div></li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
    }
    }
}

#[component]
pub fn CasesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let can_start = session
        .me()
        .is_some_and(|me| matches!(me.role, Role::Admin | Role::Teacher));
    view! {
        <section class="card">
            <h1>{move || i18n.tr("个案群组(一生一案一群)", "Case groups")}</h1>
            <CasesList/>
        </section>
        {can_start.then(|| view! { <StartGroup/> })}
    }
}

/// Admin home: open crisis flags, until an admin records what was done.
#[component]
pub fn OpenCrises() -> impl IntoView {
    let i18n = use_i18n();
    let crises = LocalResource::new(crate::api::open_crises);
    move || {
        match crises.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <Empty zh="目前没有未处理的危机预警。" en="No open crisis flags."/> }.into_any(),
        Some(Ok(list)) => view! {
            <ul id="open-crises" class="rows">
                {list.into_iter().map(|crisis| {
                    let href = format!("/cases/{}", crisis.child_id);
                    let kind = crisis.kind;
                    let at = crisis.raised_at;
                    view! {
                        <li class="row crisis"><div class="row-main">
                            <a href=href><strong>{crisis.child_name.clone()}</strong></a>
                            " " <span class="status level-urgent">{move || kind.label().get(i18n.lang.get())}</span>
                            <p>{crisis.description.clone()}</p>
                            <div class="muted">
                                <time datetime=at.to_rfc3339()>{move || shared::time::format_datetime(at, i18n.lang.get())}</time>
                                " · " {move || i18n.tr("发起人:", "Raised by ")} {crisis.raised_by.clone()}
                            </div>
                        </div></li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
    }
    }
}
