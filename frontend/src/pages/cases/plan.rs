//! The plan editor: goals as rows, saved as a new version. A save from a stale version shows what
//! a colleague changed in between and lets the teacher re-apply their own edit on top.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cases::{
    plan_changes, rebase, Goal, GoalStatus, Member, PlanChange, PlanInput, PlanVersion,
};
use shared::children::CareLevel;
use shared::ErrorCode;

use crate::api::ApiError;
use crate::components::feedback::{ErrorBanner, Loading};
use crate::i18n::use_i18n;

fn empty_plan() -> PlanInput {
    PlanInput {
        situation: String::new(),
        care_level: CareLevel::Routine,
        goals: Vec::new(),
        next_review: crate::pages::children::form::today() + chrono::Duration::days(30),
    }
}

/// The draft being edited, as signals.
#[derive(Clone, Copy)]
struct Draft {
    situation: RwSignal<String>,
    care_level: RwSignal<CareLevel>,
    next_review: RwSignal<String>,
    goals: RwSignal<Vec<Goal>>,
}

impl Draft {
    fn load(&self, plan: &PlanInput) {
        self.situation.set(plan.situation.clone());
        self.care_level.set(plan.care_level);
        self.next_review.set(plan.next_review.to_string());
        self.goals.set(plan.goals.clone());
    }

    fn plan(&self) -> Option<PlanInput> {
        Some(PlanInput {
            situation: self.situation.get_untracked(),
            care_level: self.care_level.get_untracked(),
            goals: self.goals.get_untracked(),
            next_review: self.next_review.get_untracked().parse().ok()?,
        })
    }
}

#[component]
fn ChangeList(changes: Vec<PlanChange>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="changes">
            {changes.into_iter().map(|change| {
                let what = change.what.clone();
                view! { <li><strong>{move || what.get(i18n.lang.get()).to_string()}</strong> ": "
                    <span class="before">{change.before.clone().unwrap_or_default()}</span> " → "
                    <span class="after">{change.after.clone().unwrap_or_default()}</span></li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn PlanEditor(
    child_id: String,
    current: Option<PlanVersion>,
    members: Vec<Member>,
    /// While a crisis is open the server saves the plan as urgent, whatever level is chosen.
    crisis_open: bool,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<u64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let base_plan = current
        .as_ref()
        .map(|v| v.plan.clone())
        .unwrap_or_else(empty_plan);
    let base = RwSignal::new(base_plan.clone());
    let version = RwSignal::new(current.as_ref().map(|v| v.version).unwrap_or(0));
    let draft = Draft {
        situation: RwSignal::new(String::new()),
        care_level: RwSignal::new(CareLevel::Routine),
        next_review: RwSignal::new(String::new()),
        goals: RwSignal::new(Vec::new()),
    };
    draft.load(&base_plan);
    let (error, set_error) = signal(None::<ApiError>);
    let conflict = RwSignal::new(None::<PlanVersion>);
    let members = StoredValue::new(members);

    let save = {
        let child_id = child_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            set_error.set(None);
            saved.set(None);
            let Some(plan) = draft.plan() else { return };
            let child_id = child_id.clone();
            spawn_local(async move {
                match crate::api::save_plan(&child_id, version.get_untracked(), plan).await {
                    Ok(stored) => {
                        saved.set(Some(stored.version));
                        reload.update(|n| *n += 1)
                    }
                    Err(ApiError::Api(body)) if body.code == ErrorCode::Conflict => {
                        // Someone saved first: show their version and keep this draft.
                        if let Ok(latest) = crate::api::case_view(&child_id).await {
                            conflict.set(latest.plan);
                        }
                    }
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    let reapply = move |_| {
        if let (Some(latest), Some(mine)) = (conflict.get_untracked(), draft.plan()) {
            let merged = rebase(&base.get_untracked(), &mine, &latest.plan);
            base.set(latest.plan.clone());
            version.set(latest.version);
            draft.load(&merged);
            conflict.set(None);
        }
    };
    let add_goal = move |_| {
        draft.goals.update(|goals| {
            goals.push(Goal {
                id: format!("g{}", js_sys_now()),
                title: String::new(),
                measures: String::new(),
                owner: None,
                due: None,
                status: GoalStatus::NotStarted,
            })
        })
    };

    view! {
        {move || conflict.get().map(|latest| {
            let theirs = plan_changes(Some(&base.get_untracked()), &latest.plan);
            let mine = draft.plan().map(|mine| plan_changes(Some(&base.get_untracked()), &mine)).unwrap_or_default();
            view! {
                <div id="plan-conflict" class="notice" role="alert">
                    <p><strong>{move || i18n.tr("保存未成功:同事已先保存了新版本。", "Not saved: a colleague saved a newer version first.")}</strong></p>
                    <p>{latest.saved_by.clone()} " · v" {latest.version} {move || i18n.tr(" 修改了:", " changed:")}</p>
                    <ChangeList changes=theirs/>
                    <p>{move || i18n.tr("您的修改:", "Your edit:")}</p>
                    <ChangeList changes=mine/>
                    <button id="reapply" class="primary" on:click=reapply>{move || i18n.tr("在最新版本上重新应用我的修改", "Re-apply my edit on the latest version")}</button>
                </div>
            }
        })}
        <form id="plan-form" on:submit=save>
            <div class="field">
                <label for="plan-situation">{move || i18n.tr("情况概述", "Situation")}</label>
                <textarea id="plan-situation" rows="3" maxlength="1000" prop:value=move || draft.situation.get()
                    on:input=move |e| draft.situation.set(event_target_value(&e))></textarea>
            </div>
            <div class="inline-form">
                <select id="plan-level" on:change=move |e| { let v = event_target_value(&e); if let Some(l) = CareLevel::ALL.into_iter().find(|l| l.as_str() == v) { draft.care_level.set(l) } }>
                    {CareLevel::ALL.into_iter().map(|l| view! { <option value=l.as_str() selected=move || draft.care_level.get() == l>{move || l.label().get(i18n.lang.get())}</option> }).collect_view()}
                </select>
                <label>{move || i18n.tr("下次复盘", "Next review")}
                    <input id="plan-review" type="date" prop:value=move || draft.next_review.get() on:input=move |e| draft.next_review.set(event_target_value(&e))/></label>
            </div>
            {crisis_open.then(|| view! { <p class="notice" id="plan-level-urgent">{move || i18n.tr("危机预警未关闭期间,关爱等级保持为“紧急关注”。", "While a crisis flag is open the care level stays urgent.")}</p> })}
            <h3>{move || i18n.tr("目标", "Goals")}</h3>
            <ul class="rows goals">
                {move || draft.goals.get().into_iter().enumerate().map(|(index, goal)| {
                    let update = move |change: Box<dyn Fn(&mut Goal)>| draft.goals.update(|goals| if let Some(g) = goals.get_mut(index) { change(g) });
                    let status = goal.status;
                    let owner = goal.owner.clone().unwrap_or_default();
                    view! {
                        <li class="row goal">
                            <input class="goal-title" type="text" maxlength="100" placeholder=move || i18n.tr("目标", "Goal") prop:value=goal.title.clone()
                                on:change=move |e| { let v = event_target_value(&e); update(Box::new(move |g| g.title = v.clone())) }/>
                            <input class="goal-measures" type="text" maxlength="500" placeholder=move || i18n.tr("措施", "Measures") prop:value=goal.measures.clone()
                                on:change=move |e| { let v = event_target_value(&e); update(Box::new(move |g| g.measures = v.clone())) }/>
                            <select class="goal-owner" on:change=move |e| { let v = event_target_value(&e); update(Box::new(move |g| g.owner = Some(v.clone()).filter(|o| !o.is_empty()))) }>
                                <option value="">{move || i18n.tr("负责人", "Owner")}</option>
                                {members.get_value().into_iter().map(|m| { let selected = m.user_id == owner; view! { <option value=m.user_id.clone() selected=selected>{m.name.clone()}</option> } }).collect_view()}
                            </select>
                            <input class="goal-due" type="date" prop:value=goal.due.map(|d| d.to_string()).unwrap_or_default()
                                on:change=move |e| { let v = event_target_value(&e).parse().ok(); update(Box::new(move |g| g.due = v)) }/>
                            <select class="goal-status" on:change=move |e| { if let Some(s) = GoalStatus::parse(&event_target_value(&e)) { update(Box::new(move |g| g.status = s)) } }>
                                {GoalStatus::ALL.iter().map(|s| view! { <option value=s.as_str() selected=*s == status>{move || s.label().get(i18n.lang.get())}</option> }).collect_view()}
                            </select>
                            <button type="button" class="danger" on:click=move |_| draft.goals.update(|goals| { goals.remove(index); })>{move || i18n.tr("删除", "Remove")}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button type="button" id="add-goal" on:click=add_goal>{move || i18n.tr("添加目标", "Add a goal")}</button>
            <ErrorBanner error=error/>
            {move || saved.get().map(|v| view! { <div class="success" id="plan-saved">{move || i18n.tr("已保存为新版本 ", "Saved as version ")} "v" {v}</div> })}
            <button id="plan-save" type="submit" class="primary">{move || format!("{} (v{})", i18n.tr("保存计划", "Save plan"), version.get())}</button>
        </form>
    }
}

fn js_sys_now() -> u64 {
    web_sys::js_sys::Date::now() as u64
}

#[component]
pub fn PlanHistory(child_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let versions = LocalResource::new(move || {
        let child_id = child_id.clone();
        async move { crate::api::plan_versions(&child_id).await }
    });
    view! {
        <button type="button" on:click=move |_| open.update(|o| *o = !*o)>{move || i18n.tr("版本记录", "Version history")}</button>
        <Show when=move || open.get()>
            {move || match versions.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) => view! {
                    <ol id="plan-versions" class="rows">
                        {list.into_iter().map(|v| { let at = v.saved_at; view! {
                            <li class="row"><div class="row-main">
                                <strong>"v" {v.version}</strong> " " <span class="muted">{v.saved_by.clone()} " · " {move || shared::time::format_datetime(at, i18n.lang.get())}</span>
                                <ChangeList changes=v.changes.clone()/>
                            </div></li>
                        } }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </Show>
    }
}
