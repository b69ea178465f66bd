//! Children who turned 16 or stopped meeting the definition; an admin confirms their exit.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::children::ReviewItem;
use shared::Role;

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let items = LocalResource::new(move || {
        reload.track();
        crate::api::review()
    });
    view! {
        <section class="card">
            <h1>{move || i18n.tr("待复核名单", "Children to review")}</h1>
            <p class="muted">{move || i18n.tr("已满 16 周岁或不再符合认定条件的儿童。管理员确认后退出监测,档案保留。",
                "Children who turned 16 or no longer meet the definition. An administrator confirms their exit; the record is kept.")}</p>
            {move || match items.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty zh="目前没有需要复核的儿童。" en="No children to review."/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul id="review-list" class="rows">
                        {list.into_iter().map(|item| view! { <ReviewRow item=item reload=reload/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ReviewRow(item: ReviewItem, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = session.me().is_some_and(|me| me.role == Role::Admin);
    let reason = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let id = item.child.id.clone();
    let confirm = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let id = id.clone();
        let text = reason.get_untracked();
        spawn_local(async move {
            // The exit is confirmed against the record as it is now.
            let result = match crate::api::child(&id).await {
                Ok(record) => crate::api::confirm_exit(&id, record.version, text).await,
                Err(failure) => Err(failure),
            };
            match result {
                Ok(_) => reload.update(|n| *n += 1),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let href = format!("/children/{}", item.child.id);
    view! {
        <li class="row">
            <div class="row-main">
                <a href=href><strong>{item.child.name.clone()}</strong></a>
                <ul class="reasons">
                    {item.reasons.into_iter().map(|reason| view! { <li>{move || reason.get(i18n.lang.get()).to_string()}</li> }).collect_view()}
                </ul>
                {is_admin.then(|| view! {
                    <form class="inline-form" on:submit=confirm>
                        <input type="text" maxlength="200" required
                            placeholder=move || i18n.tr("退出原因,如:年满16周岁", "Reason, e.g. turned 16")
                            prop:value=move || reason.get() on:input=move |event| reason.set(event_target_value(&event))/>
                        <button type="submit" class="primary">{move || i18n.tr("确认退出监测", "Confirm exit")}</button>
                    </form>
                })}
                <ErrorBanner error=error/>
            </div>
        </li>
    }
}
