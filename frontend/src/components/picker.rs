//! Searchable pickers: type part of a name, choose from what the server (or a short local list)
//! answers. For a person or a child among many, and any list that grows; a short fixed list
//! stays a `SelectField` or `RadioGroup`.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::Lang;

use crate::api::ApiError;
use crate::components::errors::{described_by, focus_id_later, invalid_flag, FieldMessage};
use crate::i18n::use_i18n;

/// Debounce between keystrokes and the search.
const WAIT_MS: u32 = 250;
/// At most this many options are listed; more means "type more".
const AT_MOST: usize = 20;

#[derive(Clone, Debug, PartialEq)]
pub struct PickOption {
    /// What the form sends (a user's username, a child's id).
    pub id: String,
    /// What people read: the name.
    pub label: String,
    /// What tells two of the same name apart: role, school, village, last digits of the ID.
    pub detail: String,
}

/// The answer of a picker's search.
pub type PickFuture = Pin<Box<dyn Future<Output = Result<Vec<PickOption>, ApiError>>>>;

#[derive(Clone, Debug, PartialEq)]
enum Answer {
    Idle,
    Searching,
    Found(Vec<PickOption>),
    Failed(ApiError),
}

/// A labelled search input (role="combobox") with a listbox of results below it: options
/// `#<id>-option-<n>` (li role="option", `data-id` = the option's id), keyboard ↑ ↓ Enter Esc.
/// `search` runs 250 ms after typing stops, and with "" on focus (to show the first results).
/// Choosing sets `value`, shows the chosen name and a "更换 / Change" button (`#<id>-change`)
/// that clears it.
#[component]
pub fn SearchPicker(
    id: &'static str,
    #[prop(optional)] field: Option<&'static str>,
    label_zh: &'static str,
    label_en: &'static str,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    #[prop(into)] search: Callback<String, PickFuture>,
    value: RwSignal<Option<PickOption>>,
    #[prop(default = true)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let field = field.unwrap_or(id);
    let invalid = invalid_flag(field);
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let answer = RwSignal::new(Answer::Idle);
    let active = RwSignal::new(None::<usize>);
    let generation = StoredValue::new(0u64);
    let has_hint = hint_zh.is_some() || hint_en.is_some();
    let hint_id = has_hint.then(|| format!("{id}-hint"));
    let label_id = format!("{id}-label");

    let options = move || match answer.get() {
        Answer::Found(list) => list,
        _ => Vec::new(),
    };
    let option_count = move || {
        answer.with(|answer| match answer {
            Answer::Found(list) => list.len(),
            _ => 0,
        })
    };
    // Ignores answers to searches overtaken by newer typing.
    let run = move |text: String| {
        let Some(mine) = generation.try_update_value(|count| {
            *count += 1;
            *count
        }) else {
            return;
        };
        answer.set(Answer::Searching);
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(WAIT_MS).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            let Some(future) = search.try_run(text) else {
                return;
            };
            let result = future.await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            active.set(None);
            answer.set(match result {
                Ok(mut list) => {
                    list.truncate(AT_MOST);
                    Answer::Found(list)
                }
                Err(error) => Answer::Failed(error),
            });
        });
    };
    let choose = move |option: PickOption| {
        generation.update_value(|count| *count += 1);
        value.set(Some(option));
        open.set(false);
        active.set(None);
        query.set(String::new());
        answer.set(Answer::Idle);
        focus_id_later(format!("{id}-change"));
    };
    let change = move |_| {
        value.set(None);
        focus_id_later(id.to_string());
    };
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        let count = option_count();
        match event.key().as_str() {
            "ArrowDown" => {
                event.prevent_default();
                open.set(true);
                if count > 0 {
                    active.update(|active| {
                        *active = Some(active.map_or(0, |at| (at + 1).min(count - 1)));
                    });
                }
            }
            "ArrowUp" => {
                event.prevent_default();
                if count > 0 {
                    active.update(|active| {
                        *active = Some(active.map_or(0, |at| at.saturating_sub(1)))
                    });
                }
            }
            // Enter chooses; it never sends the form while the list is open.
            "Enter" if open.get_untracked() => {
                {
                    event.prevent_default();
                    let chosen = active
                        .get_untracked()
                        .and_then(|at| options().get(at).cloned())
                        .or_else(|| {
                            // A single answer needs no arrow key first.
                            let list = options();
                            if list.len() == 1 {
                                list.into_iter().next()
                            } else {
                                None
                            }
                        });
                    if let Some(option) = chosen {
                        choose(option);
                    }
                }
            }
            "Escape" if open.get_untracked() => {
                event.prevent_default();
                open.set(false);
                active.set(None);
            }
            _ => {}
        }
    };
    let status = move || {
        let lang = i18n.lang.get();
        let text = |zh: &str, en: &str| match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        };
        let open = open.get();
        answer.with(|answer| match answer {
            Answer::Idle => None,
            Answer::Searching | Answer::Found(_) if !open => None,
            Answer::Searching => Some(("picker-status", text("正在搜索…", "Searching…"))),
            Answer::Found(list) if list.is_empty() => Some((
                "picker-status picker-empty",
                text(
                    "没有找到,请换个关键词再试。",
                    "Nothing found; try other words.",
                ),
            )),
            Answer::Found(list) => Some((
                "picker-status visually-hidden",
                match lang {
                    Lang::Zh => format!("找到 {} 项,用上下方向键选择。", list.len()),
                    Lang::En => {
                        format!("{} found; use the up and down keys to choose.", list.len())
                    }
                },
            )),
            Answer::Failed(error) => Some(("picker-status picker-error", error.message(lang))),
        })
    };

    let search_view = move || {
        let listbox_id = format!("{id}-listbox");
        let label_id = format!("{id}-label");
        let hint_for_aria = hint_id.clone();
        view! {
            <div class="picker-box">
                <input
                    id=id
                    name=id
                    type="text"
                    role="combobox"
                    autocomplete="off"
                    aria-autocomplete="list"
                    aria-expanded={move || if open.get() && option_count() > 0 { "true" } else { "false" }}
                    aria-controls=listbox_id.clone()
                    aria-activedescendant=move || active.get().map(|at| format!("{id}-option-{at}"))
                    aria-required=required.then_some("true")
                    aria-invalid=move || invalid().then_some("true")
                    aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())
                    prop:value=move || query.get()
                    on:input=move |event| {
                        let text = event_target_value(&event);
                        query.set(text.clone());
                        open.set(true);
                        run(text);
                    }
                    on:focus=move |_| {
                        open.set(true);
                        run(query.get_untracked());
                    }
                    on:blur=move |_| {
                        set_timeout(move || {
                            open.set(false);
                            active.set(None);
                        }, std::time::Duration::from_millis(200));
                    }
                    on:keydown=on_keydown
                />
                <ul id=listbox_id role="listbox" class="picker-list" aria-labelledby=label_id
                    hidden={move || !(open.get() && option_count() > 0)}>
                    {move || options().into_iter().enumerate().map(|(at, option)| {
                        let label = option.label.clone();
                        let detail = option.detail.clone();
                        let option_id = option.id.clone();
                        view! {
                            <li role="option" id=format!("{id}-option-{at}")
                                class=move || if active.get() == Some(at) { "picker-option active" } else { "picker-option" }
                                aria-selected=move || if active.get() == Some(at) { "true" } else { "false" }
                                data-id=option_id
                                on:mousedown=|event| event.prevent_default()
                                on:click=move |_| choose(option.clone())>
                                <span class="picker-option-label">{label}</span>
                                {(!detail.is_empty()).then(|| view! {
                                    <span class="picker-option-detail">{detail}</span>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p id=format!("{id}-status") role="status" aria-live="polite"
                    class=move || status().map_or("picker-status visually-hidden", |(class, _)| class)>
                    {move || status().map(|(_, text)| text)}
                </p>
            </div>
        }
    };

    view! {
        <div class=move || if invalid() { "field picker has-error" } else { "field picker" }
            data-field=field id=format!("{id}-field")>
            <label id=label_id for=move || value.with(Option::is_none).then_some(id)>
                {move || i18n.tr(label_zh, label_en)}
                {(!required).then(|| view! {
                    <span class="optional">{move || i18n.tr("(选填)", " (optional)")}</span>
                })}
            </label>
            {has_hint.then(|| view! {
                <p class="hint" id=format!("{id}-hint")>
                    {move || match (hint_zh, hint_en) {
                        (Some(zh), Some(en)) => i18n.tr(zh, en),
                        (Some(text), None) | (None, Some(text)) => text,
                        (None, None) => "",
                    }}
                </p>
            })}
            <FieldMessage field=field/>
            {move || match value.get() {
                Some(chosen) => view! {
                    <div class="picker-chosen">
                        <div class="picker-chosen-text">
                            <strong id=format!("{id}-chosen")>{chosen.label.clone()}</strong>
                            {(!chosen.detail.is_empty()).then(|| view! {
                                <span class="muted">{chosen.detail.clone()}</span>
                            })}
                        </div>
                        <button type="button" id=format!("{id}-change") class="picker-change"
                            aria-describedby=format!("{id}-chosen")
                            on:click=change>
                            {move || i18n.tr("更换", "Change")}
                        </button>
                    </div>
                }.into_any(),
                None => search_view().into_any(),
            }}
        </div>
    }
}

/// Builds a picker's `search` from an async function:
/// `picker_search(|q| async move { api::people(&q, &[Role::Teacher]).await.map(...) })`.
pub fn picker_search<F, Fut>(f: F) -> Callback<String, PickFuture>
where
    F: Fn(String) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<PickOption>, ApiError>> + 'static,
{
    Callback::new(move |query: String| Box::pin(f(query)) as PickFuture)
}

/// A picker's `search` over a short list already in hand (no server round trip).
pub fn local_search(options: Vec<PickOption>) -> Callback<String, PickFuture> {
    Callback::new(move |query: String| {
        let found = filter_local(&options, &query);
        Box::pin(async move { Ok(found) }) as PickFuture
    })
}

/// The options whose label or detail contains every word typed (case-insensitive); all of
/// them for an empty query.
pub fn filter_local(options: &[PickOption], query: &str) -> Vec<PickOption> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    options
        .iter()
        .filter(|option| {
            let text = format!("{} {} {}", option.label, option.detail, option.id).to_lowercase();
            words.iter().all(|word| text.contains(word.as_str()))
        })
        .cloned()
        .collect()
}
