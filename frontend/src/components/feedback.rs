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

/// A home-page panel that states a number from a real query and links to the full list (which
/// shows the same number as its total). `.panel-count[data-count=N]` holds the number;
/// `a.panel-link` goes to the list. Loading while `count` is None; the empty text at 0;
/// `children` (e.g. the first rows) below the number.
#[component]
pub fn CountPanel(
    id: &'static str,
    title_zh: &'static str,
    title_en: &'static str,
    #[prop(into)] count: Signal<Option<u64>>,
    href: &'static str,
    link_zh: &'static str,
    link_en: &'static str,
    empty_zh: &'static str,
    empty_en: &'static str,
    #[prop(optional)] children: Option<Children>,
    /// Why there is no number (the query failed): shown instead of the loading spinner.
    #[prop(optional, into)]
    error: MaybeProp<ApiError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <section id=id class="panel" aria-labelledby=labelled_by>
            <h2 id=title_id class="panel-title">{move || i18n.tr(title_zh, title_en)}</h2>
            {move || match (count.get(), error.get()) {
                (None, Some(error)) => view! {
                    <p class="error" role="alert">{error.message(i18n.lang.get())}</p>
                }
                .into_any(),
                (None, None) => view! { <Loading/> }.into_any(),
                (Some(0), _) => view! {
                    <div class="panel-zero">
                        <p class="panel-count zero" data-count="0">"0"</p>
                        <p class="panel-empty">{move || i18n.tr(empty_zh, empty_en)}</p>
                    </div>
                }
                .into_any(),
                (Some(count), _) => view! {
                    <p class="panel-count" data-count=count.to_string()>{count.to_string()}</p>
                }
                .into_any(),
            }}
            {children.map(|children| view! { <div class="panel-body">{children()}</div> })}
            <a class="panel-link" href=href>
                {move || i18n.tr(link_zh, link_en)}
                <span aria-hidden="true">" →"</span>
            </a>
        </section>
    }
}
