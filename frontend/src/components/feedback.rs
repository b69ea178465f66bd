//! Loading, empty and error states, the same on every page.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::use_i18n;

#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {move || i18n.tr("加载中…", "Loading…")}
        </div>
    }
}

#[component]
pub fn Empty(zh: &'static str, en: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    view! { <div class="empty">{move || i18n.tr(zh, en)}</div> }
}

/// An error from the API, in the interface language, with the fields to correct.
#[component]
pub fn ErrorBanner(error: ReadSignal<Option<ApiError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|error| {
            let lang = i18n.lang.get();
            let fields = error.field_errors();
            // With field reasons, they say it best ("报名已截止"); the generic line is for the rest.
            let headline = fields.is_empty().then(|| error.message(lang));
            view! {
                <div class="error" role="alert">
                    {headline.map(|text| view! { <p class="error-message">{text}</p> })}
                    <ul class="error-fields">
                        {fields
                            .into_iter()
                            .map(|field| view! { <li>{field.message(lang).to_string()}</li> })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
