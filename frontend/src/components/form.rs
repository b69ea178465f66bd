//! Form fields that show their limits before the server refuses.

use leptos::prelude::*;

use crate::i18n::use_i18n;

/// A labelled text input. `max` is shown as a counter and enforced by the browser.
#[component]
pub fn TextField(
    id: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] max: Option<usize>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let counter = move || max.map(|max| format!("{}/{}", value.get().chars().count(), max));
    view! {
        <div class="field">
            <label for=id>{move || i18n.tr(label_zh, label_en)}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required=required
                maxlength=max.map(|max| max.to_string())
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
            <div class="field-foot">
                <span class="hint">
                    {move || match (hint_zh, hint_en) {
                        (Some(zh), Some(en)) => i18n.tr(zh, en),
                        _ => "",
                    }}
                </span>
                <span class="counter">{counter}</span>
            </div>
        </div>
    }
}
