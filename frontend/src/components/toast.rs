//! Short messages after a save ("已保存"), in a polite live region that every page shares. Each
//! closes after 6 seconds or on its close button, and never stays over the content.

use std::time::Duration;

use leptos::prelude::*;
use shared::Lang;

use crate::i18n::use_i18n;

const SHOWN_FOR: Duration = Duration::from_secs(6);
/// Older messages make way: at most this many at once.
const AT_MOST: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Success,
    Info,
}

#[derive(Clone, Debug, PartialEq)]
struct Toast {
    key: u64,
    kind: Kind,
    zh: String,
    en: String,
}

#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next_key: StoredValue<u64>,
}

/// Called once, in `App`.
pub fn provide_toasts() -> Toasts {
    let toasts = Toasts {
        items: RwSignal::new(Vec::new()),
        next_key: StoredValue::new(0),
    };
    provide_context(toasts);
    toasts
}

pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

impl Toasts {
    /// After a save: "已保存孩子的资料" / "The child's record is saved".
    pub fn success(&self, zh: impl Into<String>, en: impl Into<String>) {
        self.push(Kind::Success, zh.into(), en.into());
    }

    pub fn info(&self, zh: impl Into<String>, en: impl Into<String>) {
        self.push(Kind::Info, zh.into(), en.into());
    }

    /// Closes one message.
    fn dismiss(&self, key: u64) {
        self.items
            .update(|items| items.retain(|toast| toast.key != key));
    }

    fn push(&self, kind: Kind, zh: String, en: String) {
        let Some(key) = self.next_key.try_update_value(|next| {
            *next += 1;
            *next
        }) else {
            return;
        };
        self.items.update(|items| {
            items.push(Toast { key, kind, zh, en });
            while items.len() > AT_MOST {
                items.remove(0);
            }
        });
        let toasts = *self;
        set_timeout(move || toasts.dismiss(key), SHOWN_FOR);
    }
}

/// The live region, once in the shell: `#toasts`, each message `.toast.toast-success`.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    view! {
        <div id="toasts" class="toast-region" role="status" aria-live="polite">
            <For
                each=move || toasts.items.get()
                key=|toast| toast.key
                children=move |toast| {
                    let key = toast.key;
                    let (class, icon) = match toast.kind {
                        Kind::Success => ("toast toast-success", "✓"),
                        Kind::Info => ("toast toast-info", "i"),
                    };
                    let text = move || match i18n.lang.get() {
                        Lang::Zh => toast.zh.clone(),
                        Lang::En => toast.en.clone(),
                    };
                    view! {
                        <div class=class>
                            <span class="toast-icon" aria-hidden="true">{icon}</span>
                            <p class="toast-text">{text}</p>
                            <button type="button" class="toast-close"
                                aria-label=move || i18n.tr("关闭提示", "Close message")
                                on:click=move |_| toasts.dismiss(key)>
                                <span aria-hidden="true">"×"</span>
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
