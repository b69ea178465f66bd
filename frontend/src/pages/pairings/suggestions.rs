//! The volunteers suggested for one child, best first with the reasons; any other volunteer
//! who may be paired can be found by name.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::pairings::Suggestion;
use shared::{FieldError, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::{Empty, Loading};
use crate::components::picker::{local_search, PickOption, SearchPicker};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

/// How many suggestions are listed with their reasons; the rest are found with the picker.
const LISTED: usize = 5;

fn volunteer_option(s: &Suggestion, lang: shared::Lang) -> PickOption {
    let v = &s.volunteer;
    let organisation = v
        .organisation
        .map(|o| o.label().get(lang).to_string())
        .unwrap_or_default();
    let taken = format!("{}/{}", v.active_pairings, v.max_children);
    PickOption {
        id: v.user_id.clone(),
        label: v.name.clone(),
        detail: [
            organisation,
            taken,
            v.profile.interests.clone(),
            v.profile.availability.clone(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · "),
    }
}

/// Proposes the pairing and makes it active at once (the admin chose it here, on purpose).
async fn pair(child: &PickOption, volunteer: &PickOption) -> Result<(), crate::api::ApiError> {
    let proposal = crate::api::propose_pairing(child.id.clone(), volunteer.id.clone()).await?;
    crate::api::pairing_action(&proposal.id, "activate").await?;
    Ok(())
}

#[component]
pub fn Suggestions(
    child: PickOption,
    chosen: RwSignal<Option<PickOption>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = child.id.clone();
    let list = LocalResource::new(move || {
        let id = id.clone();
        async move { crate::api::suggestions(&id).await }
    });
    let heading = {
        let name = child.label.clone();
        move || match i18n.lang.get() {
            shared::Lang::Zh => format!("为{name}推荐的志愿者"),
            shared::Lang::En => format!("Suggested volunteers for {name}"),
        }
    };
    view! {
        <div class="subform" id="suggestions">
            <h3>{heading}</h3>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty zh="没有可结对的志愿者(需审核通过且有空余名额)。" en="No approved volunteer with room for another child."/> }.into_any(),
                Some(Ok(list)) => view! { <SuggestionList child=child.clone() list=list chosen=chosen reload=reload/> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn SuggestionList(
    child: PickOption,
    list: Vec<Suggestion>,
    chosen: RwSignal<Option<PickOption>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let busy = RwSignal::new(false);
    let picked = RwSignal::new(None::<PickOption>);
    let lang = i18n.lang.get_untracked();
    let search = local_search(list.iter().map(|s| volunteer_option(s, lang)).collect());
    let child = StoredValue::new(child);
    let pair_with = move |volunteer: PickOption| {
        errors.clear();
        busy.set(true);
        let child = child.get_value();
        spawn_local(async move {
            let result = pair(&child, &volunteer).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    let who = format!("{} ↔ {}", child.label, volunteer.label);
                    toasts.success(format!("已结对:{who}"), format!("Paired: {who}"));
                    chosen.set(None);
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    let pair_chosen = {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match picked.get_untracked() {
                Some(volunteer) => pair_with(volunteer),
                None => errors.show_fields(vec![FieldError::new(
                    "volunteer_id",
                    Text::new("请选择志愿者", "Choose a volunteer"),
                )]),
            }
        }
    };
    let more = list.len().saturating_sub(LISTED);
    view! {
        <ErrorSummary errors=errors/>
        <ul class="rows">
            {list.into_iter().take(LISTED).map(|s| {
                let option = volunteer_option(&s, lang);
                view! { <li class="row" data-volunteer=s.volunteer.name.clone()><div class="row-main">
                    <strong>{s.volunteer.name.clone()}</strong>
                    <ul class="reasons-ok">{s.why.iter().map(|w| { let w = w.clone(); view! { <li>{move || w.get(i18n.lang.get()).to_string()}</li> } }).collect_view()}</ul>
                </div>
                <button type="button" class="primary pair" disabled=move || busy.get()
                    on:click=move |_| pair_with(option.clone())>{move || i18n.tr("结对", "Pair")}</button></li> }
            }).collect_view()}
        </ul>
        {(more > 0).then(|| view! {
            <p class="muted">{move || match i18n.lang.get() {
                shared::Lang::Zh => format!("另有 {more} 位可结对的志愿者,可按姓名查找。"),
                shared::Lang::En => format!("{more} more volunteers can be paired: find them by name."),
            }}</p>
        })}
        <form id="pair-other" class="subform" novalidate on:submit=pair_chosen>
            <SearchPicker id="pair-volunteer" field="volunteer_id" label_zh="按姓名选择志愿者" label_en="Find a volunteer by name"
                hint_zh="只列出审核通过且有空余名额的志愿者" hint_en="Only approved volunteers with room are listed"
                search=search value=picked/>
            <button id="pair-chosen" type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.tr("与所选志愿者结对", "Pair with this volunteer")}
            </button>
        </form>
    }
}
