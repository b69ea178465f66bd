//! A student's case: the group, the plan (editor and history), notes and crisis flags.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::cases::{CaseView, GroupRole, Member};
use shared::referrals::SourceKind;
use shared::FieldError;
use shared::Text;

use super::case_forms::Notes;
use super::crises::{Crises, CrisisAlert};
use super::history::PlanHistory;
use super::plan::PlanEditor;
use crate::api::ApiError;
use crate::components::confirm::ConfirmAction;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::form::{Choice, RadioGroup};
use crate::components::picker::{picker_search, PickOption, SearchPicker};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::referrals::RaiseLink;

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
    // The latest answer, kept while the next one loads: the screen stays, and each section
    // redraws only when its own part changed (a note saved does not wipe a plan being edited).
    let latest = RwSignal::new(None::<CaseView>);
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| match view_resource.get() {
        Some(Ok(case)) => {
            failure.set(None);
            latest.set(Some(case));
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let loaded = Memo::new(move |_| latest.with(Option::is_some));
    view! {
        {move || match (loaded.get(), failure.get()) {
            (false, None) => view! { <Loading/> }.into_any(),
            (false, Some(error)) => view! { <section class="card"><div class="error">{move || error.message(i18n.lang.get())}</div></section> }.into_any(),
            (true, error) => view! {
                {error.map(|error| view! { <div class="error" role="alert">{move || error.message(i18n.lang.get())}</div> })}
                <CaseScreen latest=latest reload=reload saved=saved/>
            }.into_any(),
        }}
    }
}

/// One part of the case, as a section shows it (the rest left out, so changes elsewhere do
/// not redraw the section).
fn part(latest: RwSignal<Option<CaseView>>, keep: fn(&mut CaseView)) -> Memo<Option<CaseView>> {
    Memo::new(move |_| {
        latest.get().map(|mut case| {
            keep(&mut case);
            case
        })
    })
}

#[component]
fn CaseScreen(
    latest: RwSignal<Option<CaseView>>,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<u64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let header = part(latest, |case| {
        case.members.clear();
        case.notes.clear();
        case.plan = None;
        case.crises.retain(|crisis| crisis.closed.is_none());
    });
    let members = part(latest, |case| {
        case.notes.clear();
        case.crises.clear();
        case.plan = None;
    });
    let plan = Memo::new(move |_| {
        latest.with(|case| {
            case.as_ref().map(|case| {
                (
                    case.student.child_id.clone(),
                    case.plan.clone(),
                    case.members.clone(),
                    case.crises.iter().any(|crisis| crisis.closed.is_none()),
                )
            })
        })
    });
    // The child, for the visit summaries: they load once per child, not on every case reload.
    let visited_child = Memo::new(move |_| {
        latest.with(|case| case.as_ref().map(|case| case.student.child_id.clone()))
    });
    let notes = part(latest, |case| {
        case.members.clear();
        case.crises.clear();
        case.plan = None;
    });
    let crises = part(latest, |case| {
        case.members.clear();
        case.notes.clear();
        case.plan = None;
    });
    // Any member of the group takes a problem to the district office in one step.
    let can_refer = crate::pages::referrals::signed_in_can_raise();
    view! {
        {move || header.get().map(|case| {
            let level = case.student.care_level;
            let open = case.crises.clone();
            let child_id = case.student.child_id.clone();
            view! {
                <section class="card" id="case">
                    <div class="card-head">
                        <h1>{case.student.name.clone()}</h1>
                        {can_refer.then(|| view! {
                            <div class="row-actions">
                                <RaiseLink id="raise-referral" child_id=child_id source=SourceKind::CaseGroup/>
                            </div>
                        })}
                    </div>
                    <p class="row-meta">
                        <span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span>
                        <span class="muted">{case.student.school.clone()} " " {case.student.class_name.clone()}</span>
                        <span class="muted">{case.student.interests.clone()}</span>
                    </p>
                    {(!open.is_empty()).then(|| view! { <CrisisAlert open=open/> })}
                </section>
            }
        })}
        {move || members.get().map(|case| view! { <Members case=case reload=reload/> })}
        {move || plan.get().map(|(id, current, members, crisis_open)| view! {
            <section class="card">
                <h2>{move || i18n.tr("个案计划", "Plan")}</h2>
                <PlanEditor child_id=id.clone() current=current members=members crisis_open=crisis_open reload=reload saved=saved/>
                <PlanHistory child_id=id/>
            </section>
        })}
        {move || visited_child.get().map(|child_id| view! { <VisitSummaries child_id=child_id/> })}
        {move || notes.get().map(|case| view! { <Notes case=case reload=reload/> })}
        {move || crises.get().map(|case| view! { <Crises case=case reload=reload/> })}
    }
}

/// What the group sees of the director's visits: when, how, by whom, and the problems and
/// needs found (the rest of a visit record stays with the director and the district office).
#[component]
fn VisitSummaries(child_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let visits = LocalResource::new(move || {
        let child_id = child_id.clone();
        async move { crate::api::case_visits(&child_id).await }
    });
    let body = move || match visits.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! {
            <div class="error" role="alert">{move || error.message(i18n.lang.get())}</div>
        }
        .into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted" id="case-visits-empty">{move || i18n.tr(
                "儿童主任还没有登记走访。",
                "The children's director has not recorded a visit yet.")}</p>
        }
        .into_any(),
        Some(Ok(mut list)) => {
            list.sort_by_key(|visit| std::cmp::Reverse(visit.visited_at));
            view! {
                <ul class="rows" id="case-visit-list">
                    {list.into_iter().map(|visit| {
                        let at = visit.visited_at;
                        let mode = visit.mode;
                        let problems = visit.problems_found.clone();
                        let needs = visit.needs.clone();
                        view! {
                            <li class="row" data-visit=visit.id.clone()>
                                <div class="row-main">
                                    <strong>{move || shared::time::format_datetime(at, i18n.lang.get())}</strong>
                                    <div class="row-meta">
                                        <span class="badge">{move || mode.label().get(i18n.lang.get())}</span>
                                        <span>{visit.director_name.clone()}</span>
                                    </div>
                                    <p class="visit-problems">
                                        <strong>{move || i18n.tr("发现的问题:", "Problems found: ")}</strong>
                                        {if problems.trim().is_empty() { "—".to_string() } else { problems }}
                                    </p>
                                    <p class="visit-needs">
                                        <strong>{move || i18n.tr("儿童和家庭的需求:", "Needs of the child and family: ")}</strong>
                                        {if needs.trim().is_empty() { "—".to_string() } else { needs }}
                                    </p>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    // A reader the server keeps visits from (it answers 403) sees no section at all.
    let forbidden = move || {
        matches!(
            visits.get(),
            Some(Err(ApiError::Api(ref answer))) if answer.code == shared::ErrorCode::Forbidden
        )
    };
    view! {
        <Show when=move || !forbidden()>
            <section class="card" id="case-visits" aria-labelledby="case-visits-title">
                <h2 id="case-visits-title">{move || i18n.tr("走访摘要", "Visit summaries")}</h2>
                {body}
            </section>
        </Show>
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
    let busy = RwSignal::new(false);
    let remove = Callback::new(move |_: (String, String)| {
        if busy.get_untracked() {
            return;
        }
        let (child, user, name) = (child_id.clone(), user.clone(), name.clone());
        set_error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::remove_member(&child, &user).await;
            busy.set(false);
            match result {
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
    });
    let confirm_id = super::interned(format!("remove-member-{}", member.user_id));
    view! {
        <li class="row"><div class="row-main"><strong>{member.name.clone()}</strong>
            <span class="badge">{move || role.label().get(i18n.lang.get())}</span></div>
            {(manage && role != GroupRole::Lead).then(|| view! {
                <ConfirmAction id=confirm_id label_zh="移出" label_en="Remove"
                    question_zh="确定将此成员移出群组吗?移出后对方将不能再查看这个个案。"
                    question_en="Remove this member from the group? They will no longer see this case."
                    busy=busy on_confirm=remove/>
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
