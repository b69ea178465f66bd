use leptos::prelude::*;

use crate::i18n::use_i18n;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr("页面不存在", "Page not found")}</h1>
            <a href="/">{move || i18n.tr("返回首页", "Back to home")}</a>
        </section>
    }
}
