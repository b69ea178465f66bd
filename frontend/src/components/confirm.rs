//! Destructive actions behind a confirmation: the button opens a panel in place that asks the
//! question, the reason (nothing pre-selected) and a note when needed, and only then acts.

use leptos::prelude::*;
use shared::Lang;

use crate::components::errors::focus_id_later;
use crate::components::form::Choice;
use crate::i18n::use_i18n;

/// "End pairing" → "end pairing", for "Yes, end pairing".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The button (`id`, class "danger") opens the panel `{id}-panel` (role="dialog", not modal)
/// with the question, the reasons as radios (`{id}-reason-<value>`), the note (`{id}-note`),
/// the confirm button `{id}-confirm` and `{id}-cancel`. A missing reason or note is said in
/// the panel and `on_confirm` is not called; otherwise the panel closes and `on_confirm`
/// receives (reason value or "", note). The caller shows a server error (ErrorBanner).
#[component]
pub fn ConfirmAction(
    id: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    question_zh: &'static str,
    question_en: &'static str,
    #[prop(optional)] reasons: Vec<Choice>,
    /// The legend over the reasons; "原因" / "Reason" when not given.
    #[prop(optional)]
    reasons_legend_zh: Option<&'static str>,
    #[prop(optional)] reasons_legend_en: Option<&'static str>,
    #[prop(optional)] note_zh: Option<&'static str>,
    #[prop(optional)] note_en: Option<&'static str>,
    #[prop(optional)] note_required: bool,
    /// The most the note may hold (the server's limit for it), 200 unless said.
    #[prop(default = 200)]
    note_max: usize,
    /// A reason (its value, e.g. "other") that needs the note written.
    #[prop(optional)]
    note_required_for: Option<&'static str>,
    #[prop(optional, into)] warning: MaybeProp<String>,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] on_confirm: Callback<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<(String, String)>);
    let asks_reason = !reasons.is_empty();
    let asks_note = note_zh.is_some() || note_en.is_some();
    let note_zh = note_zh.unwrap_or("说明");
    let note_en = note_en.unwrap_or("Note");

    let toggle = move |_| {
        let opening = !open.get_untracked();
        open.set(opening);
        problem.set(None);
        if opening {
            focus_id_later(format!("{id}-panel"));
        }
    };
    let cancel = move |_| {
        open.set(false);
        problem.set(None);
        reason.set(String::new());
        note.set(String::new());
        focus_id_later(id.to_string());
    };
    let confirm = move |_| {
        if busy.get_untracked() {
            return;
        }
        let chosen = reason.get_untracked();
        let written = note.get_untracked().trim().to_string();
        if asks_reason && chosen.is_empty() {
            problem.set(Some((
                "请选择原因。".to_string(),
                "Choose a reason.".to_string(),
            )));
            return;
        }
        let note_needed = note_required || note_required_for.is_some_and(|value| value == chosen);
        if asks_note && note_needed && written.is_empty() {
            problem.set(Some((
                format!("请填写{note_zh}。"),
                format!("Enter the {}.", lower_first(note_en)),
            )));
            return;
        }
        problem.set(None);
        open.set(false);
        focus_id_later(id.to_string());
        on_confirm.run((chosen, written));
    };

    let reasons_legend_zh = reasons_legend_zh.unwrap_or("原因");
    let reasons_legend_en = reasons_legend_en.unwrap_or("Reason");
    let reasons_view = move |reasons: Vec<Choice>| {
        (!reasons.is_empty()).then(|| view! {
            <fieldset class="field radios" data-field="reason">
                <legend>{move || i18n.tr(reasons_legend_zh, reasons_legend_en)}</legend>
                <div class="radio-list">
                    {reasons.into_iter().map(|choice| {
                        let option_id = format!("{id}-reason-{}", choice.value);
                        let option_value = choice.value;
                        let label_for = option_id.clone();
                        view! {
                            <label class="radio" for=label_for>
                                <input type="radio" id=option_id name=format!("{id}-reason")
                                    value=option_value
                                    prop:checked=move || reason.with(|current| current == option_value)
                                    on:change=move |_| reason.set(option_value.to_string())/>
                                <span>{move || choice.label(i18n.lang.get())}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        })
    };
    let note_view = move || {
        asks_note.then(|| {
            let note_id = format!("{id}-note");
            view! {
                <div class="field" data-field="note">
                    <label for=note_id.clone()>
                        {move || i18n.tr(note_zh, note_en)}
                        {(!note_required).then(|| view! {
                            <span class="optional">{move || i18n.tr("(选填)", " (optional)")}</span>
                        })}
                    </label>
                    <textarea id=note_id rows="3" maxlength=note_max.to_string()
                        aria-required=note_required.then_some("true")
                        prop:value=move || note.get()
                        on:input=move |event| note.set(event_target_value(&event))></textarea>
                    <span class="hint">{move || {
                        let left = note_max.saturating_sub(note.with(|text| text.chars().count()));
                        match i18n.lang.get() {
                            Lang::Zh => format!("还可输入 {left} 字"),
                            Lang::En => format!("{left} characters left"),
                        }
                    }}</span>
                </div>
            }
        })
    };
    let confirm_label = move || match i18n.lang.get() {
        Lang::Zh => format!("确认{label_zh}"),
        Lang::En => format!("Yes, {}", lower_first(label_en)),
    };

    let panel = move || {
        open.get().then(|| {
            let reasons = reasons.clone();
            view! {
                <div id=format!("{id}-panel") class="confirm-panel" role="dialog" aria-modal="false"
                    aria-labelledby=format!("{id}-question") tabindex="-1">
                    <p id=format!("{id}-question") class="confirm-question">
                        {move || i18n.tr(question_zh, question_en)}
                    </p>
                    {move || warning.get().map(|text| view! {
                        <p class="notice confirm-warning">{text}</p>
                    })}
                    {reasons_view(reasons)}
                    {note_view()}
                    {move || problem.get().map(|(zh, en)| view! {
                        <p class="field-error" role="alert">
                            {match i18n.lang.get() { Lang::Zh => zh, Lang::En => en }}
                        </p>
                    })}
                    <div class="confirm-buttons">
                        <button type="button" id=format!("{id}-confirm") class="danger-solid"
                            disabled=move || busy.get()
                            on:click=confirm>
                            {confirm_label}
                        </button>
                        <button type="button" id=format!("{id}-cancel") on:click=cancel>
                            {move || i18n.tr("取消", "Cancel")}
                        </button>
                    </div>
                </div>
            }
        })
    };

    view! {
        <div class="confirm-action">
            <button type="button" id=id class="danger"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=move || open.get().then(|| format!("{id}-panel"))
                on:click=toggle>
                {move || i18n.tr(label_zh, label_en)}
            </button>
            {panel}
        </div>
    }
}
