//! Directors and admins give a child of their scope a place: the child is found by name (or
//! the last four characters of the ID number) on the server, so every child can be reached.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::children::ChildSummary;
use shared::events::SignupStatus;
use shared::{FieldError, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::picker::{picker_search, PickOption, SearchPicker};
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

#[component]
pub fn ChildPlace(event_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let chosen = RwSignal::new(None::<PickOption>);
    let busy = RwSignal::new(false);
    let search = picker_search(|q: String| async move {
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
                hint_zh="输入姓名或身份证号后四位查找" hint_en="Type a name or the last four characters of the ID number"
                search=search value=chosen/>
            <button id="sign-up-child" type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.tr("为该儿童报名", "Sign this child up")}
            </button>
        </form>
    }
}
