//! My case groups (all, for admins), open crises and overdue reviews first; starting a group.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::Role;

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn CasesList() -> impl IntoView {
    let i18n = use_i18n();
    let cases = LocalResource::new(crate::api::cases);
    move || {
        match cases.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <Empty zh="您还没有加入任何个案群组。" en="You are not in any case group yet."/> }.into_any(),
        Some(Ok(list)) => view! {
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
                                <span class="muted">{case.lead.clone().unwrap_or_default()}</span>
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

/// A class teacher starts the group of a student of their school (and leads it).
#[component]
fn StartGroup() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let is_admin = session.me().is_some_and(|me| me.role == Role::Admin);
    let candidates = LocalResource::new(crate::api::case_candidates);
    let chosen = RwSignal::new(String::new());
    let lead = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let child = chosen.get_untracked();
        if child.is_empty() {
            return;
        }
        let lead_id = Some(lead.get_untracked()).filter(|l| !l.is_empty());
        let navigate = navigate.clone();
        spawn_local(async move {
            match crate::api::create_case(child.clone(), lead_id).await {
                Ok(_) => navigate(&format!("/cases/{child}"), Default::default()),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let teachers = LocalResource::new(move || async move {
        if is_admin {
            crate::api::users(Some(shared::api::UserStatus::Active), None)
                .await
                .map(|p| p.items)
        } else {
            Ok(Vec::new())
        }
    });
    view! {
        <section class="card">
            <h2>{move || i18n.tr("为学生建立群组", "Start a student's group")}</h2>
            <form id="start-group" class="inline-form" on:submit=submit>
                <select id="group-child" on:change=move |e| chosen.set(event_target_value(&e))>
                    <option value="">{move || i18n.tr("选择学生", "Choose a student")}</option>
                    {move || candidates.get().and_then(Result::ok).map(|list| list.into_iter().map(|c| view! {
                        <option value=c.child_id.clone()>{c.name.clone()} " · " {c.class_name.clone()}</option>
                    }).collect_view())}
                </select>
                {is_admin.then(|| view! {
                    <select id="group-lead" on:change=move |e| lead.set(event_target_value(&e))>
                        <option value="">{move || i18n.tr("组长(班主任)", "Lead (class teacher)")}</option>
                        {move || teachers.get().and_then(Result::ok).map(|list| list.into_iter().filter(|u| u.role == Role::Teacher).map(|u| view! {
                            <option value=u.id.clone()>{u.display_name.clone()} " · " {u.scope.describe()}</option>
                        }).collect_view())}
                    </select>
                })}
                <button type="submit" class="primary">{move || i18n.tr("建立群组", "Start the group")}</button>
            </form>
            <ErrorBanner error=error/>
        </section>
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
                            <span class="status level-urgent">{move || kind.label().get(i18n.lang.get())}</span>
                            <p>{crisis.description.clone()}</p>
                            <div class="muted">{crisis.raised_by.clone()} " · " {move || shared::time::format_datetime(at, i18n.lang.get())}</div>
                        </div></li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
    }
    }
}
