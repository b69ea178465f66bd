//! The interface language: 简体中文 by default, English on request, remembered in the browser.

use leptos::prelude::*;
use shared::Lang;

const STORAGE_KEY: &str = "shouwang.lang";

#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    pub fn load() -> Self {
        let saved = local_storage()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
            .map(|code| Lang::from_code(&code))
            .unwrap_or_default();
        set_document_lang(saved);
        Self {
            lang: RwSignal::new(saved),
        }
    }

    /// Picks the text for the current language (reactive when read inside a closure).
    pub fn tr(&self, zh: &'static str, en: &'static str) -> &'static str {
        match self.lang.get() {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
        set_document_lang(lang);
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(STORAGE_KEY, lang.code());
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn set_document_lang(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("lang", lang.code());
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
