//! Children who turned 16 or stopped meeting the definition; an admin confirms their exit.

use leptos::prelude::*;
use shared::children::ReviewItem;
use shared::{Lang, Role};

use super::exit::{open_crisis_children, ExitAction};
use super::form::today;
use super::{age, village_label};
use crate::components::feedback::{Empty, Loading};
use crate::i18n::use_i18n;
use crate::pages::cases::interned;
use crate::session::use_session;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = session.me().is_some_and(|me| me.role == Role::Admin);
    let reload = RwSignal::new(0u32);
    let items = LocalResource::new(move || {
        reload.track();
        crate::api::review()
    });
    let crises = is_admin.then(open_crisis_children);
    let crisis_ids = Signal::derive(move || {
        crises
            .and_then(|resource| resource.get())
            .unwrap_or_default()
    });
    view! {
        <section class="card">
            <h1>{move || i18n.tr("待复核名单", "Children to review")}</h1>
            <p class="muted">{move || i18n.tr("已满 16 周岁或不再符合认定条件的儿童。管理员确认后退出监测,档案保留。",
                "Children who turned 16 or no longer meet the definition. An administrator confirms their exit; the record is kept.")}</p>
            {move || match items.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) => {
                    let total = list.len();
                    view! {
                        <p class="list-total" data-total=total.to_string()>
                            {move || match i18n.lang.get() {
                                Lang::Zh => format!("共 {total} 名"),
                                Lang::En => format!("{total} in all"),
                            }}
                        </p>
                        {if list.is_empty() {
                            view! { <Empty zh="目前没有需要复核的儿童。" en="No children to review."/> }.into_any()
                        } else {
                            view! {
                                <ul id="review-list" class="rows">
                                    {list.into_iter().map(|item| view! {
                                        <ReviewRow item=item reload=reload is_admin=is_admin crisis_ids=crisis_ids/>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn ReviewRow(
    item: ReviewItem,
    reload: RwSignal<u32>,
    is_admin: bool,
    crisis_ids: Signal<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let child = item.child;
    let href = format!("/children/{}", child.id);
    let birth = child.birth_date;
    let years = age(birth, today());
    let place = village_label(&child);
    let open_crisis = Signal::derive({
        let id = child.id.clone();
        move || crisis_ids.with(|ids| ids.contains(&id))
    });
    view! {
        <li class="row" data-child=child.id.clone()>
            <div class="row-main">
                <a href=href><strong>{child.name.clone()}</strong></a>
                <div class="row-meta">
                    <span>{move || shared::time::format_date(birth, i18n.lang.get())}</span>
                    <span>{years} {move || i18n.tr(" 周岁", " years")}</span>
                    <span class="muted">{place}</span>
                    <span class="muted">{child.school.clone()}</span>
                </div>
                <ul class="reasons">
                    {item.reasons.into_iter().map(|reason| view! { <li>{move || reason.get(i18n.lang.get()).to_string()}</li> }).collect_view()}
                </ul>
                {is_admin.then(|| view! {
                    <ExitAction id=interned(format!("exit-{}", child.id)) child_id=child.id.clone()
                        child_name=child.name.clone() open_crisis=open_crisis
                        on_done=Callback::new(move |_| reload.update(|n| *n += 1))/>
                })}
            </div>
        </li>
    }
}
