//! Starting a student's group: a class teacher for a student of their school (and leads it);
//! an admin chooses the student and the class teacher who leads.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::cases::CaseStudent;
use shared::{FieldError, Role, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::picker::{filter_local, picker_search, PickOption, SearchPicker};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::session::use_session;

fn student_option(student: CaseStudent) -> PickOption {
    PickOption {
        id: student.child_id,
        label: student.name,
        detail: format!("{} {}", student.school, student.class_name)
            .trim()
            .to_string(),
    }
}

#[component]
pub fn StartGroup() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let errors = FormErrors::new().provide();
    let is_admin = use_session().me().is_some_and(|me| me.role == Role::Admin);
    let student = RwSignal::new(None::<PickOption>);
    let lead = RwSignal::new(None::<PickOption>);
    let busy = RwSignal::new(false);
    // The students without a group are loaded once, then filtered as the teacher types.
    let loaded = RwSignal::new(None::<Vec<PickOption>>);
    let students = picker_search(move |q: String| async move {
        let options = match loaded.try_get_untracked().flatten() {
            Some(options) => options,
            None => {
                let fresh: Vec<PickOption> = crate::api::case_candidates()
                    .await?
                    .into_iter()
                    .map(student_option)
                    .collect();
                let _ = loaded.try_set(Some(fresh.clone()));
                fresh
            }
        };
        Ok(filter_local(&options, &q))
    });
    let teachers = picker_search(move |q: String| async move {
        let people = crate::api::people(&q, &[Role::Teacher]).await?;
        Ok(people
            .into_iter()
            .map(|p| PickOption {
                id: p.id,
                label: p.display_name,
                detail: [p.detail, p.username]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let child = student.get_untracked();
        let lead_id = lead.get_untracked().map(|l| l.id);
        let mut missing = Vec::new();
        if child.is_none() {
            missing.push(FieldError::new(
                "child_id",
                Text::new("请选择学生", "Choose the student"),
            ));
        }
        if is_admin && lead_id.is_none() {
            missing.push(FieldError::new(
                "lead_user_id",
                Text::new(
                    "请选择担任组长的班主任",
                    "Choose the class teacher who leads the group",
                ),
            ));
        }
        let Some(child) = child.filter(|_| missing.is_empty()) else {
            return errors.show_fields(missing);
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::create_case(child.id.clone(), lead_id).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    let name = child.label.clone();
                    toasts.success(
                        format!("已为{name}建立个案群组"),
                        format!("{name}'s group is set up"),
                    );
                    navigate(&format!("/cases/{}", child.id), Default::default())
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.tr("为学生建立群组", "Start a student's group")}</h2>
            <form id="start-group" class="subform" novalidate on:submit=submit>
                <ErrorSummary errors=errors/>
                <SearchPicker id="group-child" field="child_id" label_zh="学生" label_en="Student"
                    hint_zh="输入姓名查找尚未建立群组的学生" hint_en="Type a name: students without a group"
                    search=students value=student/>
                {is_admin.then(|| view! {
                    <SearchPicker id="group-lead" field="lead_user_id" label_zh="组长(班主任)" label_en="Lead (class teacher)"
                        hint_zh="输入姓名或用户名查找班主任" hint_en="Type a class teacher's name or username"
                        search=teachers value=lead/>
                })}
                <button id="start-group-submit" type="submit" class="primary" disabled=move || busy.get()>
                    {move || i18n.tr("建立群组", "Start the group")}
                </button>
            </form>
        </section>
    }
}
