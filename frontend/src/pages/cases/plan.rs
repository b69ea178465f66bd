//! The plan editor: goals as labelled rows, saved as a new version. A save from a stale version
//! shows what a colleague changed in between and lets the teacher re-apply their own edit on
//! top. The plan is checked here with the server's own rules first, so each message names its
//! goal and links to the field.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cases::{limits, plan_changes, rebase, Member, PlanInput, PlanVersion};
use shared::children::CareLevel;
use shared::i18n::Text;
use shared::{ErrorCode, FieldError};

use super::goals::{GoalDraft, GoalRow};
use super::history::ChangeList;
use super::merge_errors;
use crate::api::ApiError;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::form::{Choice, DateField, RadioGroup, TextArea};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::children::form::today;

fn empty_plan() -> PlanInput {
    PlanInput {
        situation: String::new(),
        care_level: CareLevel::Routine,
        goals: Vec::new(),
        next_review: today() + Duration::days(30),
    }
}

/// The dates the server accepts for a goal or the next review: a year ago to five years on
/// (`PlanInput::validate`).
fn date_bounds() -> (NaiveDate, NaiveDate) {
    let today = today();
    (today - Duration::days(366), today + Duration::days(5 * 366))
}

/// The draft being edited, as signals.
#[derive(Clone, Copy)]
struct Draft {
    situation: RwSignal<String>,
    care_level: RwSignal<String>,
    next_review: RwSignal<String>,
    goals: RwSignal<Vec<GoalDraft>>,
    /// The editor's owner: goal rows made later (re-applying an edit from the conflict
    /// notice, adding a goal) must live as long as the editor, not as the notice.
    owner: StoredValue<Option<Owner>>,
}

impl Draft {
    fn new(plan: &PlanInput) -> Self {
        let draft = Draft {
            situation: RwSignal::new(String::new()),
            care_level: RwSignal::new(String::new()),
            next_review: RwSignal::new(String::new()),
            goals: RwSignal::new(Vec::new()),
            owner: StoredValue::new(Owner::current()),
        };
        draft.load(plan);
        draft
    }

    fn load(&self, plan: &PlanInput) {
        self.situation.set(plan.situation.clone());
        self.care_level.set(plan.care_level.as_str().to_string());
        self.next_review.set(plan.next_review.to_string());
        let goals = self.within(|| plan.goals.iter().map(GoalDraft::from_goal).collect());
        self.goals.set(goals);
    }

    fn add_goal(&self, id: String) {
        let goal = self.within(|| GoalDraft::new(id));
        self.goals.update(|goals| goals.push(goal));
    }

    fn within<T>(&self, make: impl FnOnce() -> T) -> T {
        match self.owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        }
    }

    /// The plan as typed, and whether the next review date could be read (when not, today
    /// stands in so the other fields can still be checked).
    fn typed(&self) -> (PlanInput, bool) {
        let review = self.next_review.get_untracked().parse::<NaiveDate>().ok();
        let level = self.care_level.get_untracked();
        let plan = PlanInput {
            situation: self.situation.get_untracked(),
            care_level: CareLevel::ALL
                .into_iter()
                .find(|l| l.as_str() == level)
                .unwrap_or(CareLevel::Routine),
            goals: self
                .goals
                .get_untracked()
                .iter()
                .map(GoalDraft::goal)
                .collect(),
            next_review: review.unwrap_or_else(today),
        };
        (plan, review.is_some())
    }

    fn plan(&self) -> Result<PlanInput, FieldError> {
        match self.typed() {
            (plan, true) => Ok(plan),
            (_, false) => Err(review_missing()),
        }
    }
}

fn review_missing() -> FieldError {
    FieldError::new(
        "next_review",
        Text::new("请填写下次复盘日期", "Enter the date of the next review"),
    )
}

fn level_choices() -> Vec<Choice> {
    CareLevel::ALL
        .into_iter()
        .map(|l| Choice::new(l.as_str(), l.label().zh, l.label().en))
        .collect()
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
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let base_plan = current
        .as_ref()
        .map(|v| v.plan.clone())
        .unwrap_or_else(empty_plan);
    let base = RwSignal::new(base_plan.clone());
    let version = RwSignal::new(current.as_ref().map(|v| v.version).unwrap_or(0));
    let draft = Draft::new(&base_plan);
    let conflict = RwSignal::new(None::<PlanVersion>);
    let busy = RwSignal::new(false);
    let members = StoredValue::new(members);
    let (earliest, latest) = date_bounds();

    let save = {
        let child_id = child_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            errors.clear();
            saved.set(None);
            let (plan, review_readable) = draft.typed();
            let mut named = Vec::new();
            if !review_readable {
                named.push(review_missing());
            }
            if plan.situation.trim().is_empty() {
                named.push(FieldError::new(
                    "situation",
                    Text::new("请填写情况概述", "Describe the student's situation"),
                ));
            }
            // The server's own rules: goal messages name their goal ("第 2 个目标:…").
            let found = plan.validate(&members.get_value(), today()).err();
            if !named.is_empty() || found.is_some() {
                return errors.show_fields(merge_errors(named, found.unwrap_or_default()));
            }
            let child_id = child_id.clone();
            busy.set(true);
            spawn_local(async move {
                let result = crate::api::save_plan(&child_id, version.get_untracked(), plan).await;
                busy.set(false);
                match result {
                    Ok(stored) => {
                        let v = stored.version;
                        toasts.success(
                            format!("个案计划已保存为新版本 v{v}"),
                            format!("Plan saved as version {v}"),
                        );
                        saved.set(Some(v));
                        reload.update(|n| *n += 1)
                    }
                    Err(ApiError::Api(body)) if body.code == ErrorCode::Conflict => {
                        // Someone saved first: show their version and keep this draft.
                        match crate::api::case_view(&child_id).await {
                            Ok(latest) => conflict.set(latest.plan),
                            Err(failure) => errors.show_api(&failure),
                        }
                    }
                    Err(failure) => errors.show_api(&failure),
                }
            });
        }
    };
    let reapply = move |_| {
        if let (Some(latest), Ok(mine)) = (conflict.get_untracked(), draft.plan()) {
            let merged = rebase(&base.get_untracked(), &mine, &latest.plan);
            base.set(latest.plan.clone());
            version.set(latest.version);
            draft.load(&merged);
            conflict.set(None);
            errors.clear();
        }
    };
    let add_goal = move |_| draft.add_goal(format!("g{}", js_sys_now()));
    // Numbers shift when a goal goes, so messages about "goal 3" would point elsewhere.
    let remove_goal = Callback::new(move |index: usize| {
        errors.clear();
        draft.goals.update(|goals| {
            if index < goals.len() {
                goals.remove(index);
            }
        })
    });
    let full = move || draft.goals.with(|g| g.len() >= limits::GOALS_MAX);

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
        <form id="plan-form" novalidate on:submit=save>
            <ErrorSummary errors=errors/>
            <TextArea id="plan-situation" field="situation" label_zh="情况概述" label_en="Situation"
                value=draft.situation max=limits::SITUATION_MAX rows=3/>
            <RadioGroup id="plan-level" field="care_level" legend_zh="关爱等级" legend_en="Care level"
                options=level_choices() value=draft.care_level/>
            {crisis_open.then(|| view! { <p class="notice" id="plan-level-urgent">{move || i18n.tr("危机预警未关闭期间,关爱等级保持为“紧急关注”。", "While a crisis flag is open the care level stays urgent.")}</p> })}
            <DateField id="plan-review" field="next_review" label_zh="下次复盘日期" label_en="Next review"
                value=draft.next_review min=earliest max=latest/>
            <h3>{move || i18n.tr("目标", "Goals")}</h3>
            {move || draft.goals.with(Vec::is_empty).then(|| view! {
                <p class="muted">{move || i18n.tr("还没有目标。", "No goals yet.")}</p>
            })}
            <ul class="rows goals">
                {move || draft.goals.get().into_iter().enumerate().map(|(index, goal)| view! {
                    <GoalRow index=index goal=goal members=members earliest=earliest latest=latest on_remove=remove_goal/>
                }).collect_view()}
            </ul>
            <button type="button" id="add-goal" disabled=full on:click=add_goal>{move || i18n.tr("添加目标", "Add a goal")}</button>
            <Show when=full>
                <p class="muted">{move || i18n.tr("目标最多 20 条。", "At most 20 goals.")}</p>
            </Show>
            {move || saved.get().map(|v| view! { <div class="success" id="plan-saved">{move || i18n.tr("已保存为新版本 ", "Saved as version ")} "v" {v}</div> })}
            <button id="plan-save" type="submit" class="primary" disabled=move || busy.get()>
                {move || format!("{} (v{})", i18n.tr("保存计划", "Save plan"), version.get())}
            </button>
        </form>
    }
}

fn js_sys_now() -> u64 {
    web_sys::js_sys::Date::now() as u64
}
