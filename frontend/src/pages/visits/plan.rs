//! `/visits`: the children to visit, most urgent first (overdue, due this week, this quarter,
//! later), for a director's villages or, for admins, the district; and the visits kept on this
//! phone. Without a network the list last kept on the phone is shown, saying when it was kept.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::calendar::Quarter;
use shared::visits::{DueState, DueVisit, VisitPlan};
use shared::Lang;

use super::drafts::{self, Draft, DraftState, SavedPlan};
use super::outbox::{self, Flushed};
use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::children::form::today;

#[derive(Clone)]
enum PlanLoad {
    Fresh(VisitPlan),
    /// No network: the list kept on the phone.
    Offline(SavedPlan),
    Failed(ApiError),
}

async fn load_plan(user_id: String) -> PlanLoad {
    match crate::api::visit_plan(None).await {
        Ok(plan) => {
            drafts::save_plan(&user_id, &plan);
            PlanLoad::Fresh(plan)
        }
        Err(ApiError::Network) => match drafts::cached_plan(&user_id) {
            Some(saved) => PlanLoad::Offline(saved),
            None => PlanLoad::Failed(ApiError::Network),
        },
        Err(error) => PlanLoad::Failed(error),
    }
}

/// Each section: its state, DOM id, and what it says when empty.
const SECTIONS: [(DueState, &str, &str, &str); 4] = [
    (
        DueState::Overdue,
        "overdue",
        "没有逾期的走访。",
        "No visit is overdue.",
    ),
    (
        DueState::ThisWeek,
        "this-week",
        "本周没有到期的走访。",
        "No visit is due this week.",
    ),
    (
        DueState::ThisQuarter,
        "this-quarter",
        "本季度没有其他到期的走访。",
        "No other visit is due this quarter.",
    ),
    (
        DueState::Later,
        "later",
        "没有以后到期的走访。",
        "No visit is due later.",
    ),
];

#[component]
pub fn VisitPlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let user_id = super::user_id();
    let changed = RwSignal::new(0u32);
    outbox::watch_outbox(
        user_id.clone(),
        Callback::new(move |done: Vec<Flushed>| {
            super::announce(toasts, &done);
            changed.update(|count| *count += 1);
        }),
    );
    let plan = LocalResource::new({
        let user_id = user_id.clone();
        move || load_plan(user_id.clone())
    });
    view! {
        <section class="card" id="visit-plan">
            <h1 id="visit-plan-title">{move || i18n.tr("走访", "Visits")}</h1>
            {move || match plan.get() {
                None => view! { <Loading/> }.into_any(),
                Some(PlanLoad::Fresh(plan)) => view! { <PlanSections plan=plan recompute=false/> }.into_any(),
                Some(PlanLoad::Offline(saved)) => {
                    let at = drafts::ms_to_time(saved.saved_at);
                    view! {
                        <p class="notice" id="plan-offline" role="status">{move || {
                            let lang = i18n.lang.get();
                            let when = at.map(|at| shared::time::format_datetime(at, lang)).unwrap_or_default();
                            match lang {
                                Lang::Zh => format!("离线:显示的是 {when} 时保存在手机上的名单"),
                                Lang::En => format!("Offline: this is the list kept on this phone at {when}"),
                            }
                        }}</p>
                        <PlanSections plan=saved.plan recompute=true/>
                    }.into_any()
                }
                Some(PlanLoad::Failed(error)) => {
                    let (error, _) = signal(Some(error));
                    view! { <ErrorBanner error=error/> }.into_any()
                }
            }}
        </section>
        <PhoneDrafts user_id=user_id changed=changed/>
    }
}

/// The four sections. A list kept on the phone is re-sorted by today's date (it may be days
/// old); a fresh one keeps the server's verdicts.
#[component]
fn PlanSections(plan: VisitPlan, recompute: bool) -> impl IntoView {
    let i18n = use_i18n();
    let today = today();
    let quarter = if recompute {
        Quarter::of(today)
    } else {
        plan.quarter
    };
    let mut by_state: BTreeMap<&'static str, Vec<DueVisit>> = BTreeMap::new();
    for child in plan.children {
        let state = if recompute {
            DueState::of(child.due, today)
        } else {
            child.state
        };
        by_state.entry(state.as_str()).or_default().push(child);
    }
    view! {
        <p class="muted" id="plan-quarter">{move || quarter.label(i18n.lang.get())}</p>
        {SECTIONS.into_iter().map(|(state, id, empty_zh, empty_en)| {
            let children = by_state.remove(state.as_str()).unwrap_or_default();
            let total = children.len();
            let title_id = format!("{id}-title");
            let labelled_by = title_id.clone();
            view! {
                <section id=id class="visit-section" aria-labelledby=labelled_by>
                    <h2 id=title_id>{move || state.label().get(i18n.lang.get())}</h2>
                    <p class="list-total" data-total=total.to_string()>{move || match i18n.lang.get() {
                        Lang::Zh => format!("共 {total} 名儿童"),
                        Lang::En => format!("{total} children"),
                    }}</p>
                    {if children.is_empty() {
                        view! { <Empty zh=empty_zh en=empty_en/> }.into_any()
                    } else {
                        view! {
                            <ul class="rows">
                                {children.into_iter().map(|child| view! { <DueRow child=child/> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            }
        }).collect_view()}
    }
}

#[component]
fn DueRow(child: DueVisit) -> impl IntoView {
    let i18n = use_i18n();
    let village = shared::divisions::village_name(&child.village_code).unwrap_or_default();
    let level = child.care_level;
    let (last, due) = (child.last_visit, child.due);
    let href = format!("/visits/new?child={}", child.child_id);
    let name = child.child_name.clone();
    view! {
        <li class="row visit-due" data-child=child.child_id.clone()>
            <div class="row-main">
                <strong>{child.child_name.clone()}</strong>
                <div class="row-meta">
                    <span>{village}</span>
                    <span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span>
                    {child.first_visit.then(|| view! {
                        <span class="badge first-visit">{move || i18n.tr("首次走访", "First visit")}</span>
                    })}
                </div>
                <div class="row-meta muted">
                    <span>{move || i18n.tr("上次走访:", "Last visit: ")}{move || match last {
                        Some(day) => shared::time::format_date(day, i18n.lang.get()),
                        None => i18n.tr("尚未走访", "Not visited yet").to_string(),
                    }}</span>
                    <span>{move || i18n.tr("应访日期:", "Due: ")}{move || shared::time::format_date(due, i18n.lang.get())}</span>
                </div>
            </div>
            <div class="row-actions">
                <a class="button record-visit" href=href>
                    {move || i18n.tr("登记走访", "Record visit")}
                    <span class="visually-hidden">{format!(" {name}")}</span>
                </a>
            </div>
        </li>
    }
}

/// "手机上的走访": the drafts and outbox on this phone, each with its state.
#[component]
fn PhoneDrafts(user_id: String, changed: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let sending = RwSignal::new(false);
    let ids = StoredValue::new(user_id);
    let entries = move || {
        changed.track();
        let mut list: Vec<Draft> = drafts::drafts(&ids.get_value()).into_values().collect();
        list.sort_by(|a, b| b.saved_at.total_cmp(&a.saved_at));
        list
    };
    let any_waiting = move || {
        changed.track();
        drafts::drafts(&ids.get_value())
            .values()
            .any(|draft| draft.state == DraftState::Waiting)
    };
    let send_now = move |_| {
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        spawn_local(async move {
            let done = outbox::flush_outbox(&ids.get_value()).await;
            sending.set(false);
            super::announce(toasts, &done);
            changed.update(|count| *count += 1);
        });
    };
    view! {
        <section class="card" id="visit-drafts" aria-labelledby="visit-drafts-title">
            <h2 id="visit-drafts-title">{move || i18n.tr("手机上的走访", "Visits on this phone")}</h2>
            <p class="hint">{move || i18n.tr(
                "草稿和待发送的走访保存在这部手机上,有网络时自动发送;保留 7 天,退出登录时删除。",
                "Drafts and visits waiting to be sent are kept on this phone and sent when there is a network; they are kept for 7 days and removed when you sign out.")}</p>
            {move || {
                let list = entries();
                if list.is_empty() {
                    return view! { <Empty zh="手机上没有走访草稿。" en="No visits on this phone."/> }.into_any();
                }
                view! {
                    <ul class="rows">
                        {list.into_iter().map(|draft| view! { <DraftRow draft=draft/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <Show when=any_waiting>
                <button type="button" id="drafts-send-now" on:click=send_now disabled=move || sending.get()
                    aria-busy=move || sending.get().then_some("true")>
                    {move || sending.get().then(|| view! { <span class="spinner" aria-hidden="true"></span> })}
                    {move || i18n.tr("现在发送", "Send now")}
                </button>
            </Show>
        </section>
    }
}

#[component]
fn DraftRow(draft: Draft) -> impl IntoView {
    let i18n = use_i18n();
    let state = draft.state;
    let saved = drafts::ms_to_time(draft.saved_at);
    let status_class = match state {
        DraftState::Sent => "status status-active",
        _ => "status status-pending",
    };
    let continue_href = format!(
        "/visits/new?child={}&draft={}",
        draft.fields.child_id, draft.client_id
    );
    let record_href = format!("/visits/{}", draft.client_id);
    let error = draft.last_error.clone();
    let notices = draft.notices.clone();
    view! {
        <li class="row" data-client-id=draft.client_id.clone() data-state=state.as_str()>
            <div class="row-main">
                <strong>{draft.child_name.clone()}</strong>
                <div class="row-meta">
                    <span class=status_class>{move || state.label().get(i18n.lang.get())}</span>
                    {saved.map(|at| view! {
                        <span class="muted">{move || shared::time::format_datetime(at, i18n.lang.get())}</span>
                    })}
                </div>
                {error.map(|body| view! {
                    <p class="field-error">{move || body.code.message(i18n.lang.get())}</p>
                })}
                {notices.into_iter().map(|notice| view! {
                    <p class="muted">{move || notice.text().get(i18n.lang.get())}</p>
                }).collect_view()}
            </div>
            <div class="row-actions">
                {match state {
                    DraftState::Draft => view! {
                        <a class="button continue-draft" href=continue_href>{move || i18n.tr("继续填写", "Continue")}</a>
                    }.into_any(),
                    DraftState::Waiting => view! {
                        <a class="button" href=continue_href>{move || i18n.tr("查看", "View")}</a>
                    }.into_any(),
                    DraftState::Sent => view! {
                        <a class="button" href=record_href>{move || i18n.tr("查看记录", "See the record")}</a>
                    }.into_any(),
                }}
            </div>
        </li>
    }
}
