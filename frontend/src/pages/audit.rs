//! Admins: the audit log, month by month, newest first.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::api::AuditEntry;

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let month = RwSignal::new(String::new());
    // `?target=child:<id>` or `?actor=<user id>` narrows the log to one record or one person.
    let query = use_query_map().get_untracked();
    let narrowed = query.get("target").or(query.get("actor"));
    let target = StoredValue::new(query.get("target"));
    let actor = StoredValue::new(query.get("actor"));
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let (error, set_error) = signal(None::<ApiError>);

    let load = move |cursor: Option<String>| {
        loading.set(true);
        set_error.set(None);
        let chosen = month.get_untracked();
        let (target, actor) = (target.get_value(), actor.get_value());
        let narrowed = target.is_some() || actor.is_some();
        let month_arg = (!chosen.is_empty() && !narrowed).then_some(chosen);
        let append = cursor.is_some();
        spawn_local(async move {
            match crate::api::audit(month_arg, target, actor, cursor).await {
                Ok(page) => {
                    if append {
                        entries.update(|list| list.extend(page.items));
                    } else {
                        entries.set(page.items);
                    }
                    next.set(page.next);
                }
                Err(failure) => set_error.set(Some(failure)),
            }
            loading.set(false);
        });
    };
    load(None);

    view! {
        <section class="card">
            <h1>{move || i18n.tr("审计日志", "Audit log")}</h1>
            {narrowed.map(|what| view! { <p class="muted">{move || i18n.tr("仅显示:", "Only: ")} {what.clone()} " " <a href="/audit">{move || i18n.tr("全部", "All")}</a></p> })}
            <div class="field inline">
                <label for="audit-month">{move || i18n.tr("月份", "Month")}</label>
                <input id="audit-month" type="month" prop:value=move || month.get()
                    on:change=move |event| { month.set(event_target_value(&event)); load(None); }/>
            </div>
            <ErrorBanner error=error/>
            <Show when=move || !loading.get() && entries.with(Vec::is_empty) && error.get().is_none()>
                <Empty zh="这个月没有记录。" en="Nothing recorded this month."/>
            </Show>
            <ul id="audit-list" class="rows">
                {move || entries.get().into_iter().map(|entry| {
                    let at = entry.at;
                    let action = entry.action;
                    view! {
                        <li class="row">
                            <div class="row-main">
                                <strong>{move || action.label().get(i18n.lang.get())}</strong>
                                <div class="row-meta">
                                    <span>{move || shared::time::format_datetime(at, i18n.lang.get())}</span>
                                    <span>{entry.actor_name.clone().unwrap_or_default()}</span>
                                    <span class="muted">{entry.target.clone().unwrap_or_default()}</span>
                                    <span class="muted">{entry.source.clone().unwrap_or_default()}</span>
                                </div>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || loading.get()><Loading/></Show>
            <Show when=move || next.get().is_some() && !loading.get()>
                <button on:click=move |_| load(next.get_untracked())>{move || i18n.tr("加载更多", "Load more")}</button>
            </Show>
        </section>
    }
}
