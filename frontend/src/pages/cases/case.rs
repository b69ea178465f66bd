//! A student's case: the group, the plan (editor and history), notes and crisis flags.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::cases::{CaseView, CrisisKind, GroupRole, NoteKind};
use shared::Role;

use super::plan::{PlanEditor, PlanHistory};
use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let reload = RwSignal::new(0u32);
    // Lives above the reloaded screen, so "saved" survives the refresh that follows a save.
    let saved = RwSignal::new(None::<u64>);
    let view_resource = LocalResource::new(move || {
        reload.track();
        let id = params.get().get("id").unwrap_or_default();
        async move { crate::api::case_view(&id).await }
    });
    view! {
        {move || match view_resource.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => view! { <section class="card"><div class="error">{error.message(i18n.lang.get())}</div></section> }.into_any(),
            Some(Ok(case)) => view! { <CaseScreen case=case reload=reload saved=saved/> }.into_any(),
        }}
    }
}

#[component]
fn CaseScreen(
    case: CaseView,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<u64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = case.student.child_id.clone();
    let level = case.student.care_level;
    let open: Vec<_> = case
        .crises
        .iter()
        .filter(|c| c.closed.is_none())
        .cloned()
        .collect();
    view! {
        <section class="card" id="case">
            <h1>{case.student.name.clone()}</h1>
            <p class="row-meta">
                <span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span>
                <span class="muted">{case.student.school.clone()} " " {case.student.class_name.clone()}</span>
                <span class="muted">{case.student.interests.clone()}</span>
            </p>
            {(!open.is_empty()).then(|| view! {
                <div class="error" role="alert" id="open-crisis">
                    {open.iter().map(|c| { let kind = c.kind; view! { <p><strong>{move || kind.label().get(i18n.lang.get())}</strong> " — " {c.description.clone()}</p> } }).collect_view()}
                </div>
            })}
        </section>
        <Members case=case.clone() reload=reload/>
        <section class="card">
            <h2>{move || i18n.tr("个案计划", "Plan")}</h2>
            <PlanEditor child_id=id.clone() current=case.plan.clone() members=case.members.clone() crisis_open=!open.is_empty() reload=reload saved=saved/>
            <PlanHistory child_id=id.clone()/>
        </section>
        <Notes case=case.clone() reload=reload/>
        <Crises case=case reload=reload/>
    }
}

#[component]
fn Members(case: CaseView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let role = RwSignal::new(GroupRole::SubjectTeacher);
    let (error, set_error) = signal(None::<ApiError>);
    let id = case.student.child_id.clone();
    let add = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let id = id.clone();
            let (name, chosen) = (username.get_untracked(), role.get_untracked());
            spawn_local(async move {
                match crate::api::add_member(&id, name, chosen).await {
                    Ok(_) => reload.update(|n| *n += 1),
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    let manage = case.can_manage;
    view! {
        <section class="card">
            <h2>{move || i18n.tr("群组成员", "Group members")}</h2>
            <ul class="rows" id="members">
                {case.members.into_iter().map(|member| {
                    let role = member.role;
                    let (child, user) = (id.clone(), member.user_id.clone());
                    let remove = move |_| {
                        let (child, user) = (child.clone(), user.clone());
                        spawn_local(async move {
                            if crate::api::remove_member(&child, &user).await.is_ok() { reload.update(|n| *n += 1) }
                        });
                    };
                    view! {
                        <li class="row"><div class="row-main"><strong>{member.name.clone()}</strong>
                            <span class="badge">{move || role.label().get(i18n.lang.get())}</span></div>
                            {(manage && role != GroupRole::Lead).then(|| view! { <button class="danger" on:click=remove>{move || i18n.tr("移出", "Remove")}</button> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {manage.then(|| view! {
                <form class="inline-form" on:submit=add>
                    <input type="text" maxlength="32" placeholder=move || i18n.tr("成员用户名", "Member's username")
                        prop:value=move || username.get() on:input=move |e| username.set(event_target_value(&e))/>
                    <select on:change=move |e| if let Some(r) = GroupRole::parse(&event_target_value(&e)) { role.set(r) }>
                        {GroupRole::ALL.iter().filter(|r| **r != GroupRole::Lead).map(|r| view! {
                            <option value=r.as_str() selected=*r == GroupRole::SubjectTeacher>{move || r.label().get(i18n.lang.get())}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit">{move || i18n.tr("添加成员", "Add member")}</button>
                </form>
            })}
            <ErrorBanner error=error/>
        </section>
    }
}

#[component]
fn Notes(case: CaseView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = RwSignal::new(NoteKind::Observation);
    let date = RwSignal::new(crate::pages::children::form::today().to_string());
    let text = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let id = case.student.child_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = id.clone();
        let Ok(day) = date.get_untracked().parse() else {
            return;
        };
        let (chosen, body) = (kind.get_untracked(), text.get_untracked());
        spawn_local(async move {
            match crate::api::add_note(&id, chosen, day, body).await {
                Ok(_) => {
                    text.set(String::new());
                    reload.update(|n| *n += 1)
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.tr("记录(只能新增,不能修改)", "Notes (append-only)")}</h2>
            <form class="subform" on:submit=submit>
                <div class="inline-form">
                    <select on:change=move |e| if let Some(k) = NoteKind::parse(&event_target_value(&e)) { kind.set(k) }>
                        {NoteKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{move || k.label().get(i18n.lang.get())}</option> }).collect_view()}
                    </select>
                    <input type="date" prop:value=move || date.get() on:input=move |e| date.set(event_target_value(&e))/>
                </div>
                <textarea rows="3" maxlength="2000" prop:value=move || text.get() on:input=move |e| text.set(event_target_value(&e))></textarea>
                <ErrorBanner error=error/>
                <button type="submit">{move || i18n.tr("添加记录", "Add note")}</button>
            </form>
            {case.notes.is_empty().then(|| view! { <Empty zh="还没有记录。" en="No notes yet."/> })}
            <ul class="rows" id="notes">
                {case.notes.into_iter().map(|note| {
                    let (kind, day) = (note.kind, note.date);
                    view! { <li class="row"><div class="row-main">
                        <strong>{move || kind.label().get(i18n.lang.get())}</strong> " "
                        <span class="muted">{move || shared::time::format_date(day, i18n.lang.get())} " · " {note.author.clone()}</span>
                        <p class="description">{note.text.clone()}</p>
                    </div></li> }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Crises(case: CaseView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = session.me().is_some_and(|me| me.role == Role::Admin);
    let kind = RwSignal::new(CrisisKind::Psychological);
    let description = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let id = case.student.child_id.clone();
    let raise = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let id = id.clone();
            let (chosen, text) = (kind.get_untracked(), description.get_untracked());
            spawn_local(async move {
                match crate::api::raise_crisis(&id, chosen, text).await {
                    Ok(_) => reload.update(|n| *n += 1),
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    view! {
        <section class="card">
            <h2>{move || i18n.tr("危机预警", "Crisis flags")}</h2>
            <ul class="rows">
                {case.crises.into_iter().map(|crisis| {
                    let kind = crisis.kind;
                    let closed = crisis.closed.clone();
                    let note = RwSignal::new(String::new());
                    let (child, crisis_id) = (id.clone(), crisis.id.clone());
                    let close = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let (child, crisis_id) = (child.clone(), crisis_id.clone());
                        let text = note.get_untracked();
                        spawn_local(async move {
                            match crate::api::close_crisis(&child, &crisis_id, text).await {
                                Ok(_) => reload.update(|n| *n += 1),
                                Err(failure) => set_error.set(Some(failure)),
                            }
                        });
                    };
                    let open = closed.is_none();
                    view! { <li class="row"><div class="row-main">
                        <strong>{move || kind.label().get(i18n.lang.get())}</strong> " " <span class="muted">{crisis.raised_by.clone()}</span>
                        <p>{crisis.description.clone()}</p>
                        {closed.map(|c| view! { <p class="success">{move || i18n.tr("已关闭:", "Closed: ")} {c.note.clone()} " (" {c.by.clone()} ")"</p> })}
                        {(open && is_admin).then(|| view! {
                            <form class="inline-form" on:submit=close>
                                <input type="text" maxlength="1000" placeholder=move || i18n.tr("处理情况", "What was done")
                                    prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e))/>
                                <button type="submit">{move || i18n.tr("关闭预警", "Close the flag")}</button>
                            </form>
                        })}
                    </div></li> }
                }).collect_view()}
            </ul>
            <form class="subform" on:submit=raise>
                <select on:change=move |e| if let Some(k) = CrisisKind::parse(&event_target_value(&e)) { kind.set(k) }>
                    {CrisisKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{move || k.label().get(i18n.lang.get())}</option> }).collect_view()}
                </select>
                <textarea rows="2" maxlength="1000" placeholder=move || i18n.tr("发生了什么", "What happened")
                    prop:value=move || description.get() on:input=move |e| description.set(event_target_value(&e))></textarea>
                <ErrorBanner error=error/>
                <button type="submit" class="danger">{move || i18n.tr("发起危机预警(立即通知)", "Raise a crisis flag (tells people now)")}</button>
            </form>
        </section>
    }
}
