//! Staff give a child of their scope a place. Directors and admins find the child by name (or
//! the last four characters of the ID number) on the server, so every child can be reached; a
//! teacher chooses among the students of their school (the list they start case groups from).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::children::ChildSummary;
use shared::events::SignupStatus;
use shared::{FieldError, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::picker::{filter_local, picker_search, PickOption, SearchPicker};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

fn child_option(child: ChildSummary) -> PickOption {
    let village = shared::divisions::village_name(&child.village_code).unwrap_or_default();
    PickOption {
        id: child.id,
        label: child.name,
        detail: [village, child.school.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

fn student_option(student: shared::cases::CaseStudent) -> PickOption {
    PickOption {
        id: student.child_id,
        label: student.name,
        detail: [student.school, student.class_name]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

#[component]
pub fn ChildPlace(
    event_id: String,
    reload: RwSignal<u32>,
    /// A teacher's students instead of the registry search.
    #[prop(optional)]
    from_my_school: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let chosen = RwSignal::new(None::<PickOption>);
    let busy = RwSignal::new(false);
    let search = picker_search(move |q: String| async move {
        if from_my_school {
            let students = crate::api::case_candidates().await?;
            let options: Vec<PickOption> = students.into_iter().map(student_option).collect();
            return Ok(filter_local(&options, &q));
        }
        let children = crate::api::children_search(&q).await?;
        Ok(children.into_iter().map(child_option).collect())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let Some(child) = chosen.get_untracked() else {
            return errors.show_fields(vec![FieldError::new(
                "child_id",
                Text::new("请选择要报名的儿童", "Choose the child to sign up"),
            )]);
        };
        let id = event_id.clone();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::sign_up_child(&id, child.id.clone()).await;
            busy.set(false);
            match result {
                Ok(signup) => {
                    let name = child.label;
                    match signup
                        .position
                        .filter(|_| signup.status == SignupStatus::Waitlisted)
                    {
                        Some(p) => toasts.success(
                            format!("已为{name}报名,候补第 {p} 位"),
                            format!("{name} is on the waitlist, number {p}"),
                        ),
                        None => {
                            toasts.success(format!("已为{name}报名"), format!("{name} has a place"))
                        }
                    }
                    chosen.set(None);
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <form id="child-place" class="subform" novalidate on:submit=submit>
            <h2>{move || i18n.tr("为儿童报名", "Give a child a place")}</h2>
            <ErrorSummary errors=errors/>
            <SearchPicker id="child-picker" field="child_id" label_zh="儿童" label_en="Child"
                hint_zh=if from_my_school { "本校学生,输入姓名查找" } else { "输入姓名或身份证号后四位查找" }
                hint_en=if from_my_school { "Students of your school: type a name" } else { "Type a name or the last four characters of the ID number" }
                search=search value=chosen/>
            <button id="sign-up-child" type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.tr("为该儿童报名", "Sign this child up")}
            </button>
        </form>
    }
}
