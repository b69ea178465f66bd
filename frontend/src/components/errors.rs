//! Form errors, after the GOV.UK error summary pattern: a summary at the top of the form that
//! takes the focus and links to each field, and the same message beside the field itself.

use leptos::prelude::*;
use shared::{FieldError, Lang};
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::i18n::use_i18n;

/// The errors of one form. Copy it freely; `provide()` makes it reach the form's fields.
#[derive(Clone, Copy)]
pub struct FormErrors {
    /// A message that belongs to no field (network, conflict, permission), in (zh, en).
    general: RwSignal<Option<(String, String)>>,
    fields: RwSignal<Vec<FieldError>>,
    /// Counts every `show_*` call, so the summary takes the focus again on each failed submit.
    shown: RwSignal<u64>,
}

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FormErrors {
    pub fn new() -> Self {
        Self {
            general: RwSignal::new(None),
            fields: RwSignal::new(Vec::new()),
            shown: RwSignal::new(0),
        }
    }

    /// Makes these errors the context of the form's fields; returns them.
    pub fn provide(self) -> Self {
        provide_context(self);
        self
    }

    pub fn clear(&self) {
        self.general.set(None);
        self.fields.set(Vec::new());
    }

    /// The server's answer: the field errors when it named fields, else its general message.
    pub fn show_api(&self, error: &ApiError) {
        let fields = error.field_errors();
        if fields.is_empty() {
            self.general
                .set(Some((error.message(Lang::Zh), error.message(Lang::En))));
        } else {
            self.general.set(None);
        }
        self.fields.set(fields);
        self.shown.update(|count| *count += 1);
    }

    /// Problems found before sending (client-side checks). An empty list clears the errors.
    pub fn show_fields(&self, errors: Vec<FieldError>) {
        self.general.set(None);
        let any = !errors.is_empty();
        self.fields.set(errors);
        if any {
            self.shown.update(|count| *count += 1);
        }
    }

    /// Reactive.
    pub fn is_empty(&self) -> bool {
        self.general.with(Option::is_none) && self.fields.with(Vec::is_empty)
    }

    /// Reactive: the error of one field (by its server name), if any.
    pub fn message_for(&self, field: &str) -> Option<FieldError> {
        self.fields
            .with(|fields| fields.iter().find(|error| error.field == field).cloned())
    }

    /// Reactive: whether this field has an error.
    pub fn has(&self, field: &str) -> bool {
        self.fields
            .with(|fields| fields.iter().any(|error| error.field == field))
    }
}

pub fn use_form_errors() -> Option<FormErrors> {
    use_context::<FormErrors>()
}

/// Whether the field of this server name has an error in the form's context: the context is
/// looked up now (in the component), the returned closure is reactive.
pub(crate) fn invalid_flag(
    field: &'static str,
) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let errors = use_form_errors();
    move || errors.is_some_and(|errors| errors.has(field))
}

/// At the top of a form: "请修改以下 N 处 / There is a problem" and a link to each field.
/// Takes the focus (and scrolls into view) after every failed submit.
#[component]
pub fn ErrorSummary(errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    // Focus once the summary is drawn, each time something new is shown (not when mounted).
    Effect::new(move |previous: Option<u64>| {
        let shown = errors.shown.get();
        let something = errors.general.with_untracked(Option::is_some)
            || errors.fields.with_untracked(|fields| !fields.is_empty());
        if previous.is_some_and(|previous| previous != shown) && something {
            request_animation_frame(|| {
                if let Some(summary) = element_by_id("error-summary") {
                    focus_and_scroll(&summary, web_sys::ScrollLogicalPosition::Start);
                }
            });
        }
        shown
    });
    move || {
        if errors.is_empty() {
            return None;
        }
        let lang = i18n.lang.get();
        let general = errors.general.get();
        let fields = errors.fields.get();
        let count = fields.len();
        let title = match (lang, count) {
            (Lang::Zh, 0) => "未能完成,请查看以下说明".to_string(),
            (Lang::Zh, count) => format!("请修改以下 {count} 处"),
            (Lang::En, _) => "There is a problem".to_string(),
        };
        let general = general.map(|(zh, en)| match lang {
            Lang::Zh => zh,
            Lang::En => en,
        });
        Some(view! {
            <div id="error-summary" class="error-summary" tabindex="-1" role="alert"
                aria-labelledby="error-summary-title">
                <h2 id="error-summary-title" class="error-summary-title">{title}</h2>
                {general.map(|text| view! { <p class="error-summary-message">{text}</p> })}
                {(!fields.is_empty()).then(|| view! {
                    <ul class="error-summary-list">
                        {fields.into_iter().map(|error| {
                            let text = error.message(lang).to_string();
                            let field = error.field.clone();
                            if field.is_empty() {
                                view! { <li>{text}</li> }.into_any()
                            } else {
                                let target = field.clone();
                                let href = format!("#{field}");
                                view! {
                                    <li>
                                        <a href=href rel="external" data-target-field=field
                                            on:click=move |event| {
                                                event.prevent_default();
                                                focus_field(&target);
                                            }>
                                            {text}
                                        </a>
                                    </li>
                                }.into_any()
                            }
                        }).collect_view()}
                    </ul>
                })}
            </div>
        })
    }
}

/// The message beside a field (class "field-error", id "<field>-error"), from the context.
/// Takes any string so repeated rows can name their field ("goals[2].due").
#[component]
pub fn FieldMessage(#[prop(into)] field: String) -> impl IntoView {
    let i18n = use_i18n();
    let errors = use_form_errors();
    move || {
        let error = errors.and_then(|errors| errors.message_for(&field))?;
        let lang = i18n.lang.get();
        let text = error.message(lang).to_string();
        let prefix = match lang {
            Lang::Zh => "错误:",
            Lang::En => "Error: ",
        };
        Some(view! {
            <p class="field-error" id=format!("{field}-error")>
                <span class="visually-hidden">{prefix}</span>
                {text}
            </p>
        })
    }
}

/// The `aria-describedby` of a field: its hint (when it has one) and its error (when shown).
pub(crate) fn described_by(hint_id: Option<String>, field: &str, invalid: bool) -> Option<String> {
    let error_id = invalid.then(|| format!("{field}-error"));
    let ids: Vec<String> = hint_id.into_iter().chain(error_id).collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

pub(crate) fn element_by_id(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// Focuses an element and scrolls it to `block` of the screen.
pub(crate) fn focus_and_scroll(element: &web_sys::Element, block: web_sys::ScrollLogicalPosition) {
    if let Ok(html) = element.clone().dyn_into::<web_sys::HtmlElement>() {
        let _ = html.focus();
    }
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(block);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

/// Focuses an element by id, after the next paint (so a just-drawn element exists).
pub(crate) fn focus_id_later(id: String) {
    request_animation_frame(move || {
        let html =
            element_by_id(&id).and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(html) = html {
            let _ = html.focus();
        }
    });
}

/// Focuses the first control inside the wrapper `[data-field="<field>"]` (or the element whose
/// id is the field name) and scrolls it to the middle of the screen.
pub(crate) fn focus_field(field: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let escaped = field.replace('\\', "\\\\").replace('"', "\\\"");
    let wrapper = document
        .query_selector(&format!("[data-field=\"{escaped}\"]"))
        .ok()
        .flatten();
    let target = match wrapper {
        Some(wrapper) => {
            let control = if wrapper
                .matches("input, select, textarea, button")
                .unwrap_or(false)
            {
                None
            } else {
                wrapper
                    .query_selector(
                        "input:not([type=hidden]):not([disabled]), select, textarea, button",
                    )
                    .ok()
                    .flatten()
            };
            Some(control.unwrap_or(wrapper))
        }
        None => document.get_element_by_id(field),
    };
    if let Some(target) = target {
        focus_and_scroll(&target, web_sys::ScrollLogicalPosition::Center);
    }
}
