//! Labelled form fields. Every field has a visible label (placeholders are only examples), an
//! optional hint, the error message beside it (`FieldMessage`), and a wrapper carrying
//! `data-field="<server field name>"` so the error summary can take a person to it.
//! Optional fields say so in their label: "(选填)" / "(optional)" is added here, never by callers.

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::{Lang, Text};

use crate::components::errors::{described_by, invalid_flag, FieldMessage};
use crate::i18n::{use_i18n, I18n};

/// One option of a radio group or select.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

impl Choice {
    pub const fn new(value: &'static str, zh: &'static str, en: &'static str) -> Self {
        Self { value, zh, en }
    }

    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// Long free text gets a "还可输入 N 字" counter; short fields never do.
const COUNTER_FROM: usize = 100;

fn wrapper_class(
    base: &'static str,
    invalid: impl Fn() -> bool + Send + 'static,
) -> impl Fn() -> String + Send + 'static {
    move || {
        if invalid() {
            format!("{base} has-error")
        } else {
            base.to_string()
        }
    }
}

fn hint_text(
    i18n: I18n,
    zh: Option<&'static str>,
    en: Option<&'static str>,
) -> Option<&'static str> {
    match (zh, en) {
        (Some(zh), Some(en)) => Some(i18n.tr(zh, en)),
        (Some(zh), None) => Some(zh),
        (None, Some(en)) => Some(en),
        (None, None) => None,
    }
}

/// The label text, with "(选填)" / "(optional)" for optional fields.
#[component]
fn FieldLabel(
    for_id: &'static str,
    zh: &'static str,
    en: &'static str,
    required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=for_id>
            {move || i18n.tr(zh, en)}
            {(!required).then(|| view! {
                <span class="optional">{move || i18n.tr("(选填)", " (optional)")}</span>
            })}
        </label>
    }
}

/// The hint under a label; `extra` is a computed sentence (a range) shown after it.
#[component]
fn Hint(
    id: String,
    #[prop(optional_no_strip)] zh: Option<&'static str>,
    #[prop(optional_no_strip)] en: Option<&'static str>,
    #[prop(optional, into)] extra: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="hint" id=id>
            {move || hint_text(i18n, zh, en)}
            {move || extra.and_then(|extra| extra.get()).map(|text| view! { <span class="hint-extra">{text}</span> })}
        </p>
    }
}

fn counter_text(lang: Lang, left: i64) -> String {
    match (lang, left >= 0) {
        (Lang::Zh, true) => format!("还可输入 {left} 字"),
        (Lang::Zh, false) => format!("超出 {} 字,请删减", -left),
        (Lang::En, true) => format!("{left} characters left"),
        (Lang::En, false) => format!("{} characters too many", -left),
    }
}

/// A labelled text input. `max` is enforced by the browser; a counter is shown only for long
/// free text (max ≥ 100).
#[component]
pub fn TextField(
    id: &'static str,
    /// The server's name of the field (for error messages); defaults to `id`.
    #[prop(optional)]
    field: Option<&'static str>,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] max: Option<usize>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = true)] required: bool,
    /// An example only, never instead of the label.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = field.unwrap_or(id);
    let invalid = invalid_flag(field);
    let has_hint = hint_zh.is_some() || hint_en.is_some();
    let hint_id = has_hint.then(|| format!("{id}-hint"));
    let counted = max.filter(|max| *max >= COUNTER_FROM);
    let counter = move || {
        counted.map(|max| {
            let left = max as i64 - value.with(|text| text.chars().count()) as i64;
            counter_text(i18n.lang.get(), left)
        })
    };
    let hint_for_aria = hint_id.clone();
    view! {
        <div class=wrapper_class("field", invalid) data-field=field>
            <FieldLabel for_id=id zh=label_zh en=label_en required=required/>
            {hint_id.map(|hint_id| view! { <Hint id=hint_id zh=hint_zh en=hint_en/> })}
            <FieldMessage field=field/>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                aria-required=required.then_some("true")
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())
                maxlength=max.map(|max| max.to_string())
                placeholder=placeholder
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
            {move || counter().map(|text| view! { <p class="counter" id=format!("{id}-counter")>{text}</p> })}
        </div>
    }
}

/// A whole number. Typed as text with a numeric keyboard (no spinner, no counter); the hint
/// states the range.
#[component]
pub fn NumberField(
    id: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    min: i64,
    max: i64,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = field.unwrap_or(id);
    let invalid = invalid_flag(field);
    let hint_id = format!("{id}-hint");
    let range = Signal::derive(move || {
        Some(match i18n.lang.get() {
            Lang::Zh => format!("填写 {min}–{max} 之间的整数。"),
            Lang::En => format!("A whole number from {min} to {max}."),
        })
    });
    let hint_for_aria = Some(hint_id.clone());
    // Room for the longest number in range, with its sign.
    let max_length = max.unsigned_abs().max(min.unsigned_abs()).to_string().len() + 1;
    view! {
        <div class=wrapper_class("field", invalid) data-field=field>
            <FieldLabel for_id=id zh=label_zh en=label_en required=required/>
            <Hint id=hint_id zh=hint_zh en=hint_en extra=range/>
            <FieldMessage field=field/>
            <input
                id=id
                name=id
                type="text"
                inputmode="numeric"
                autocomplete="off"
                class="input-number"
                aria-required=required.then_some("true")
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())
                maxlength=max_length
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
        </div>
    }
}

fn date_range_text(lang: Lang, min: Option<NaiveDate>, max: Option<NaiveDate>) -> Option<String> {
    let show = |date: NaiveDate| shared::time::format_date(date, lang);
    match (lang, min, max) {
        (_, None, None) => None,
        (Lang::Zh, Some(min), Some(max)) => Some(format!("可选 {} 至 {}。", show(min), show(max))),
        (Lang::Zh, Some(min), None) => Some(format!("不早于 {}。", show(min))),
        (Lang::Zh, None, Some(max)) => Some(format!("不晚于 {}。", show(max))),
        (Lang::En, Some(min), Some(max)) => {
            Some(format!("Between {} and {}.", show(min), show(max)))
        }
        (Lang::En, Some(min), None) => Some(format!("On or after {}.", show(min))),
        (Lang::En, None, Some(max)) => Some(format!("On or before {}.", show(max))),
    }
}

/// A calendar date, value `yyyy-mm-dd`. `min`/`max` limit the browser's date picker and the
/// hint states the range in the interface language.
#[component]
pub fn DateField(
    id: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    #[prop(optional, into)] min: MaybeProp<NaiveDate>,
    #[prop(optional, into)] max: MaybeProp<NaiveDate>,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    date_input(
        "date",
        DateInput {
            id,
            field: field.unwrap_or(id),
            label_zh,
            label_en,
            value,
            min,
            max,
            hint_zh,
            hint_en,
            required,
        },
    )
}

/// A date and time of day, value `yyyy-mm-ddThh:mm`, read as Beijing time
/// (`shared::time::parse_beijing_local`). `min`/`max` are whole days.
#[component]
pub fn DateTimeField(
    id: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    #[prop(optional, into)] min: MaybeProp<NaiveDate>,
    #[prop(optional, into)] max: MaybeProp<NaiveDate>,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    date_input(
        "datetime-local",
        DateInput {
            id,
            field: field.unwrap_or(id),
            label_zh,
            label_en,
            value,
            min,
            max,
            hint_zh,
            hint_en,
            required,
        },
    )
}

struct DateInput {
    id: &'static str,
    field: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    min: MaybeProp<NaiveDate>,
    max: MaybeProp<NaiveDate>,
    hint_zh: Option<&'static str>,
    hint_en: Option<&'static str>,
    required: bool,
}

fn date_input(kind: &'static str, input: DateInput) -> impl IntoView {
    let DateInput {
        id,
        field,
        label_zh,
        label_en,
        value,
        min,
        max,
        hint_zh,
        hint_en,
        required,
    } = input;
    let i18n = use_i18n();
    let invalid = invalid_flag(field);
    let with_time = kind == "datetime-local";
    let range = Signal::derive(move || date_range_text(i18n.lang.get(), min.get(), max.get()));
    let hint_id = format!("{id}-hint");
    let hint_for_aria = Some(hint_id.clone());
    let min_attr = move || {
        min.get().map(|date| {
            if with_time {
                format!("{date}T00:00")
            } else {
                date.to_string()
            }
        })
    };
    let max_attr = move || {
        max.get().map(|date| {
            if with_time {
                format!("{date}T23:59")
            } else {
                date.to_string()
            }
        })
    };
    view! {
        <div class=wrapper_class("field", invalid) data-field=field>
            <FieldLabel for_id=id zh=label_zh en=label_en required=required/>
            <Hint id=hint_id zh=hint_zh en=hint_en extra=range/>
            <FieldMessage field=field/>
            <input
                id=id
                name=id
                type=kind
                class="input-date"
                aria-required=required.then_some("true")
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())
                min=min_attr
                max=max_attr
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
                on:change=move |event| value.set(event_target_value(&event))
            />
        </div>
    }
}

/// Free text over several lines. A counter ("还可输入 N 字") when `max` ≥ 100.
#[component]
pub fn TextArea(
    id: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] max: Option<usize>,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = field.unwrap_or(id);
    let invalid = invalid_flag(field);
    let has_hint = hint_zh.is_some() || hint_en.is_some();
    let hint_id = has_hint.then(|| format!("{id}-hint"));
    let hint_for_aria = hint_id.clone();
    let counted = max.filter(|max| *max >= COUNTER_FROM);
    let counter = move || {
        counted.map(|max| {
            let left = max as i64 - value.with(|text| text.chars().count()) as i64;
            counter_text(i18n.lang.get(), left)
        })
    };
    view! {
        <div class=wrapper_class("field", invalid) data-field=field>
            <FieldLabel for_id=id zh=label_zh en=label_en required=required/>
            {hint_id.map(|hint_id| view! { <Hint id=hint_id zh=hint_zh en=hint_en/> })}
            <FieldMessage field=field/>
            <textarea
                id=id
                name=id
                rows=rows
                aria-required=required.then_some("true")
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())
                maxlength=max.map(|max| max.to_string())
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            ></textarea>
            {move || counter().map(|text| view! { <p class="counter" id=format!("{id}-counter")>{text}</p> })}
        </div>
    }
}

/// One choice among a few, as radio buttons in a fieldset. Nothing is pre-selected while
/// `value` is "". Each option is a 44 px tall row; its input id is "<id>-<value>".
#[component]
pub fn RadioGroup(
    id: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    legend_zh: &'static str,
    legend_en: &'static str,
    options: Vec<Choice>,
    value: RwSignal<String>,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = true)] required: bool,
    /// Options side by side when there is room (for two or three short options).
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = field.unwrap_or(id);
    let invalid = invalid_flag(field);
    let has_hint = hint_zh.is_some() || hint_en.is_some();
    let hint_id = has_hint.then(|| format!("{id}-hint"));
    let hint_for_aria = hint_id.clone();
    let list_class = if inline {
        "radio-list inline"
    } else {
        "radio-list"
    };
    view! {
        <fieldset id=id class=wrapper_class("field radios", invalid) data-field=field
            aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())>
            <legend>
                {move || i18n.tr(legend_zh, legend_en)}
                {(!required).then(|| view! {
                    <span class="optional">{move || i18n.tr("(选填)", " (optional)")}</span>
                })}
            </legend>
            {hint_id.map(|hint_id| view! { <Hint id=hint_id zh=hint_zh en=hint_en/> })}
            <FieldMessage field=field/>
            <div class=list_class>
                {options.into_iter().map(|choice| {
                    let option_id = format!("{id}-{}", choice.value);
                    let option_value = choice.value;
                    let label_for = option_id.clone();
                    view! {
                        <label class="radio" for=label_for>
                            <input
                                type="radio"
                                id=option_id
                                name=id
                                value=option_value
                                prop:checked=move || value.with(|current| current == option_value)
                                on:change=move |_| value.set(option_value.to_string())
                            />
                            <span>{move || choice.label(i18n.lang.get())}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// A drop-down for a fixed, short list (≤ 15 options; longer or growing lists use
/// `picker::SearchPicker`). Starts on the placeholder, never on a real option.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    label_zh: &'static str,
    label_en: &'static str,
    options: Vec<Choice>,
    value: RwSignal<String>,
    #[prop(default = "请选择")] placeholder_zh: &'static str,
    #[prop(default = "Choose…")] placeholder_en: &'static str,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = field.unwrap_or(id);
    let invalid = invalid_flag(field);
    let has_hint = hint_zh.is_some() || hint_en.is_some();
    let hint_id = has_hint.then(|| format!("{id}-hint"));
    let hint_for_aria = hint_id.clone();
    view! {
        <div class=wrapper_class("field", invalid) data-field=field>
            <FieldLabel for_id=id zh=label_zh en=label_en required=required/>
            {hint_id.map(|hint_id| view! { <Hint id=hint_id zh=hint_zh en=hint_en/> })}
            <FieldMessage field=field/>
            <select
                id=id
                name=id
                aria-required=required.then_some("true")
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())
                on:change=move |event| value.set(event_target_value(&event))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    {move || i18n.tr(placeholder_zh, placeholder_en)}
                </option>
                {options.into_iter().map(|choice| {
                    let option_value = choice.value;
                    view! {
                        <option value=option_value
                            prop:selected=move || value.with(|current| current == option_value)>
                            {move || choice.label(i18n.lang.get())}
                        </option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A single yes/no, as a 44 px tall row with the label beside the box.
#[component]
pub fn Checkbox(
    id: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    checked: RwSignal<bool>,
    #[prop(optional)] field: Option<&'static str>,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = field.unwrap_or(id);
    let invalid = invalid_flag(field);
    let has_hint = hint_zh.is_some() || hint_en.is_some();
    let hint_id = has_hint.then(|| format!("{id}-hint"));
    let hint_for_aria = hint_id.clone();
    view! {
        <div class=wrapper_class("field checkbox", invalid) data-field=field>
            <FieldMessage field=field/>
            <label class="check-row" for=id>
                <input
                    type="checkbox"
                    id=id
                    name=id
                    aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())
                    prop:checked=move || checked.get()
                    on:change=move |event| checked.set(event_target_checked(&event))
                />
                <span>{move || i18n.tr(label_zh, label_en)}</span>
            </label>
            {hint_id.map(|hint_id| view! { <Hint id=hint_id zh=hint_zh en=hint_en/> })}
        </div>
    }
}

/// The form's primary button, at the end of the form (never floating over fields). Disabled
/// and marked busy while the form is being sent.
#[component]
pub fn SubmitBar(
    id: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    #[prop(into)] busy: Signal<bool>,
    /// Anything beside the button (a cancel link).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="submit-bar">
            <button type="submit" id=id class="primary"
                disabled=move || busy.get()
                aria-busy=move || busy.get().then_some("true")>
                {move || busy.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                {move || i18n.tr(label_zh, label_en)}
            </button>
            {children.map(|children| children())}
        </div>
    }
}

/// Choices from a labelled enum's list.
pub fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> Text,
) -> Vec<Choice> {
    all.iter()
        .map(|item| {
            let text = label(*item);
            Choice::new(code(*item), text.zh, text.en)
        })
        .collect()
}

/// Several boxes to tick, as one labelled group whose options wrap on a phone. `data-field` is
/// the server's field name; each box's id is "<id>-<code>".
#[component]
pub fn CheckGroup(
    id: &'static str,
    field: &'static str,
    legend_zh: &'static str,
    legend_en: &'static str,
    options: Vec<Choice>,
    value: RwSignal<Vec<String>>,
    hint_zh: &'static str,
    hint_en: &'static str,
    #[prop(default = true)] required: bool,
    /// Options side by side, wrapping (short labels); otherwise one per line.
    #[prop(optional)]
    inline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = invalid_flag(field);
    let hint_id = format!("{id}-hint");
    let hint_for_aria = Some(hint_id.clone());
    view! {
        <fieldset id=id class=move || if invalid() { "field checks has-error" } else { "field checks" }
            data-field=field
            aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())>
            <legend>
                {move || i18n.tr(legend_zh, legend_en)}
                {(!required).then(|| view! {
                    <span class="optional">{move || i18n.tr("(选填)", " (optional)")}</span>
                })}
            </legend>
            <p class="hint" id=hint_id>{move || i18n.tr(hint_zh, hint_en)}</p>
            <FieldMessage field=field/>
            <div class=if inline { "radio-list inline" } else { "radio-list" }>
                {options.into_iter().map(|choice| {
                    let option_id = format!("{id}-{}", choice.value);
                    let code = choice.value;
                    let label_for = option_id.clone();
                    view! {
                        <label class="check-row" for=label_for>
                            <input type="checkbox" id=option_id name=id value=code
                                prop:checked=move || value.with(|codes| codes.iter().any(|c| c == code))
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    value.update(|codes| {
                                        codes.retain(|c| c != code);
                                        if on {
                                            codes.push(code.to_string());
                                        }
                                    });
                                }/>
                            <span>{move || choice.label(i18n.lang.get())}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
