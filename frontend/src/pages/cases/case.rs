//! A student's case: the group, the plan (editor and history), notes and crisis flags.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::cases::{CaseView, GroupRole, Member};
use shared::Text;
use shared::{FieldError, Lang};

use super::case_forms::Notes;
use super::crises::{Crises, CrisisAlert};
use super::history::PlanHistory;
use super::plan::PlanEditor;
use crate::api::ApiError;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::form::{Choice, RadioGroup};
use crate::components::picker::{picker_search, PickOption, SearchPicker};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

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
    let crisis_open = !open.is_empty();
    view! {
        <section class="card" id="case">
            <h1>{case.student.name.clone()}</h1>
            <p class="row-meta">
                <span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span>
                <span class="muted">{case.student.school.clone()} " " {case.student.class_name.clone()}</span>
                <span class="muted">{case.student.interests.clone()}</span>
            </p>
            {crisis_open.then(|| view! { <CrisisAlert open=open/> })}
        </section>
        <Members case=case.clone() reload=reload/>
        <section class="card">
            <h2>{move || i18n.tr("个案计划", "Plan")}</h2>
            <PlanEditor child_id=id.clone() current=case.plan.clone() members=case.members.clone() crisis_open=crisis_open reload=reload saved=saved/>
            <PlanHistory child_id=id.clone()/>
        </section>
        <Notes case=case.clone() reload=reload/>
        <Crises case=case reload=reload/>
    }
}

fn role_choices() -> Vec<Choice> {
    GroupRole::ALL
        .iter()
        .filter(|r| **r != GroupRole::Lead)
        .map(|r| Choice::new(r.as_str(), r.label().zh, r.label().en))
        .collect()
}

#[component]
fn Members(case: CaseView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let id = case.student.child_id.clone();
    let manage = case.can_manage;
    let (error, set_error) = signal(None::<ApiError>);
    view! {
        <section class="card">
            <h2>{move || i18n.tr("群组成员", "Group members")}</h2>
            <ul class="rows" id="members">
                {case.members.into_iter().map(|member| view! {
                    <MemberRow child_id=id.clone() member=member manage=manage reload=reload set_error=set_error/>
                }).collect_view()}
            </ul>
            <ErrorBanner error=error/>
            {manage.then(|| view! { <AddMember child_id=id.clone() reload=reload/> })}
        </section>
    }
}

#[component]
fn MemberRow(
    child_id: String,
    member: Member,
    manage: bool,
    reload: RwSignal<u32>,
    set_error: WriteSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let role = member.role;
    let (user, name) = (member.user_id.clone(), member.name.clone());
    let remove = move |_| {
        let (child, user, name) = (child_id.clone(), user.clone(), name.clone());
        set_error.set(None);
        spawn_local(async move {
            match crate::api::remove_member(&child, &user).await {
                Ok(_) => {
                    toasts.success(
                        format!("已将{name}移出群组"),
                        format!("{name} left the group"),
                    );
                    reload.update(|n| *n += 1)
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let remove_label = {
        let name = member.name.clone();
        move || match i18n.lang.get() {
            Lang::Zh => format!("移出{name}"),
            Lang::En => format!("Remove {name}"),
        }
    };
    view! {
        <li class="row"><div class="row-main"><strong>{member.name.clone()}</strong>
            <span class="badge">{move || role.label().get(i18n.lang.get())}</span></div>
            {(manage && role != GroupRole::Lead).then(|| view! {
                <button type="button" class="danger" aria-label=remove_label on:click=remove>{move || i18n.tr("移出", "Remove")}</button>
            })}
        </li>
    }
}

/// The group lead adds a colleague: found by name, given a role in the group.
#[component]
fn AddMember(child_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let person = RwSignal::new(None::<PickOption>);
    let role = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let search = {
        let child_id = child_id.clone();
        picker_search(move |q: String| {
            let child_id = child_id.clone();
            async move {
                let lang = i18n.lang.get_untracked();
                let people = crate::api::case_member_candidates(&child_id, &q).await?;
                Ok(people
                    .into_iter()
                    .map(|p| {
                        let mut detail = format!("{} · {}", p.role.label().get(lang), p.username);
                        if !p.detail.is_empty() {
                            detail = format!("{detail} · {}", p.detail);
                        }
                        PickOption {
                            id: p.username,
                            label: p.display_name,
                            detail,
                        }
                    })
                    .collect())
            }
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let chosen = person.get_untracked();
        let group_role = GroupRole::parse(&role.get_untracked());
        let mut missing = Vec::new();
        if chosen.is_none() {
            missing.push(FieldError::new(
                "username",
                Text::new("请选择要添加的成员", "Choose the person to add"),
            ));
        }
        if group_role.is_none() {
            missing.push(FieldError::new(
                "role",
                Text::new(
                    "请选择该成员在群组中的角色",
                    "Choose their role in the group",
                ),
            ));
        }
        let (Some(chosen), Some(group_role)) = (chosen, group_role) else {
            return errors.show_fields(missing);
        };
        let child_id = child_id.clone();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::add_member(&child_id, chosen.id.clone(), group_role).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    let name = chosen.label;
                    toasts.success(
                        format!("已添加{name}为群组成员"),
                        format!("{name} joined the group"),
                    );
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <form id="add-member" class="subform" novalidate on:submit=submit>
            <h3>{move || i18n.tr("添加成员", "Add a member")}</h3>
            <ErrorSummary errors=errors/>
            <SearchPicker id="member-picker" field="username" label_zh="成员" label_en="Person"
                hint_zh="输入姓名或用户名查找" hint_en="Type a name or username"
                search=search value=person/>
            <RadioGroup id="member-role" field="role" legend_zh="在群组中的角色" legend_en="Role in the group"
                options=role_choices() value=role/>
            <button id="add-member-submit" type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.tr("添加", "Add")}
            </button>
        </form>
    }
}
