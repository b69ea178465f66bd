//! One goal of the plan editor: every field labelled, the goal's number in its legend, and
//! the server's field names (`goals[1].due`) on each field so an error links to it.

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::cases::{limits, Goal, GoalStatus, Member};

use super::interned;
use crate::components::errors::FieldMessage;
use crate::components::form::{Choice, DateField, SelectField, TextArea, TextField};
use crate::i18n::use_i18n;

/// A goal being edited, one signal per field (so typing does not re-render the list).
#[derive(Clone, Copy)]
pub struct GoalDraft {
    id: StoredValue<String>,
    pub title: RwSignal<String>,
    measures: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
    status: RwSignal<String>,
}

impl GoalDraft {
    pub fn new(id: String) -> Self {
        Self::from_goal(&Goal {
            id,
            title: String::new(),
            measures: String::new(),
            owner: None,
            due: None,
            status: GoalStatus::NotStarted,
        })
    }

    pub fn from_goal(goal: &Goal) -> Self {
        Self {
            id: StoredValue::new(goal.id.clone()),
            title: RwSignal::new(goal.title.clone()),
            measures: RwSignal::new(goal.measures.clone()),
            owner: RwSignal::new(goal.owner.clone().unwrap_or_default()),
            due: RwSignal::new(goal.due.map(|d| d.to_string()).unwrap_or_default()),
            status: RwSignal::new(goal.status.as_str().to_string()),
        }
    }

    /// The goal as the server takes it. A due date the browser could not read counts as none
    /// (a date input gives "" for anything incomplete).
    pub fn goal(&self) -> Goal {
        Goal {
            id: self.id.get_value(),
            title: self.title.get_untracked(),
            measures: self.measures.get_untracked(),
            owner: Some(self.owner.get_untracked()).filter(|o| !o.is_empty()),
            due: self.due.get_untracked().parse().ok(),
            status: GoalStatus::parse(&self.status.get_untracked())
                .unwrap_or(GoalStatus::NotStarted),
        }
    }
}

/// DOM ids and server field names of the goal at `index` (0-based).
struct GoalNames {
    title: &'static str,
    title_field: &'static str,
    measures: &'static str,
    measures_field: &'static str,
    owner: &'static str,
    owner_field: &'static str,
    due: &'static str,
    due_field: &'static str,
    status: &'static str,
    status_field: &'static str,
}

impl GoalNames {
    fn at(index: usize) -> Self {
        let number = index + 1;
        let id = |what: &str| interned(format!("goal-{number}-{what}"));
        let field = |what: &str| interned(format!("goals[{index}].{what}"));
        Self {
            title: id("title"),
            title_field: field("title"),
            measures: id("measures"),
            measures_field: field("measures"),
            owner: id("owner"),
            owner_field: field("owner"),
            due: id("due"),
            due_field: field("due"),
            status: id("status"),
            status_field: field("status"),
        }
    }
}

fn status_choices() -> Vec<Choice> {
    GoalStatus::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), s.label().zh, s.label().en))
        .collect()
}

#[component]
pub fn GoalRow(
    index: usize,
    goal: GoalDraft,
    members: StoredValue<Vec<Member>>,
    /// The dates the server accepts (a year ago to five years on).
    earliest: NaiveDate,
    latest: NaiveDate,
    on_remove: Callback<usize>,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = GoalNames::at(index);
    let number = index + 1;
    let legend = move || match i18n.lang.get() {
        shared::Lang::Zh => format!("目标 {number}"),
        shared::Lang::En => format!("Goal {number}"),
    };
    let remove_label = move || match i18n.lang.get() {
        shared::Lang::Zh => format!("删除目标 {number}"),
        shared::Lang::En => format!("Remove goal {number}"),
    };
    view! {
        <li class="row goal">
            <fieldset class="goal-fields">
                <legend>{legend}</legend>
                <div class="goal-title">
                    <TextField id=names.title field=names.title_field label_zh="目标内容" label_en="What the goal is"
                        value=goal.title max=limits::GOAL_TITLE_MAX/>
                </div>
                <TextArea id=names.measures field=names.measures_field label_zh="措施" label_en="Measures"
                    value=goal.measures max=limits::MEASURES_MAX rows=2 required=false/>
                <OwnerSelect id=names.owner field=names.owner_field value=goal.owner members=members/>
                <DateField id=names.due field=names.due_field label_zh="完成日期" label_en="Due date"
                    value=goal.due min=earliest max=latest required=false/>
                <SelectField id=names.status field=names.status_field label_zh="进度" label_en="Progress"
                    options=status_choices() value=goal.status/>
                <button type="button" class="danger goal-remove" on:click=move |_| on_remove.run(index)>{remove_label}</button>
            </fieldset>
        </li>
    }
}

/// The goal's owner: a member of the group, or nobody yet.
#[component]
fn OwnerSelect(
    id: &'static str,
    field: &'static str,
    value: RwSignal<String>,
    members: StoredValue<Vec<Member>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field" data-field=field>
            <label for=id>{move || i18n.tr("负责人(选填)", "Owner (optional)")}</label>
            <select id=id name=id on:change=move |e| value.set(event_target_value(&e))>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.tr("暂不指定", "Nobody yet")}</option>
                {members.get_value().into_iter().map(|m| {
                    let user = m.user_id.clone();
                    view! { <option value=m.user_id.clone() selected=move || value.get() == user>{m.name.clone()}</option> }
                }).collect_view()}
            </select>
            <FieldMessage field=field/>
        </div>
    }
}
