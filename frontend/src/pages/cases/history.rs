//! A plan's versions: who saved each, when, and what changed.

use leptos::prelude::*;
use shared::cases::PlanChange;

use crate::components::feedback::Loading;
use crate::i18n::use_i18n;

#[component]
pub fn ChangeList(changes: Vec<PlanChange>) -> impl IntoView {
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
pub fn PlanHistory(child_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let versions = LocalResource::new(move || {
        let child_id = child_id.clone();
        async move { crate::api::plan_versions(&child_id).await }
    });
    view! {
        <button type="button" id="plan-history" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{move || i18n.tr("版本记录", "Version history")}</button>
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
