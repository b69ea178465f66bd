//! `/referrals/:id`: one referral — the child (only what is needed to act), what was found and
//! asked, the deadlines, each unit's part, the outcome and the history — with the actions the
//! reader's role allows in its state. Every action sends the version read; when a colleague
//! acted first the page says so and shows the referral as it now is.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::referrals::{Referral, ReferralState};
use shared::{Lang, Role, Scope};

use super::detail_actions::{Ctx, OfficeActions};
use super::detail_parts::{History, OutcomeBox, Parts};
use super::detail_unit::UnitActions;
use super::new::source_href;
use super::{state_class, today, urgency_class, village_text};
use crate::components::errors::focus_id_later;
use crate::components::feedback::Loading;
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn ReferralPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ctx = Ctx {
        referral: RwSignal::new(None),
        conflict: RwSignal::new(false),
        busy: RwSignal::new(false),
        toasts: use_toasts(),
    };
    let loaded = LocalResource::new(move || {
        let id = params.get().get("id").unwrap_or_default();
        async move { crate::api::referral(&id).await }
    });
    let failure = RwSignal::new(None);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(referral)) => {
            let first = ctx.referral.with_untracked(Option::is_none);
            failure.set(None);
            ctx.conflict.set(false);
            ctx.referral.set(Some(referral));
            // A new page: the focus goes to its heading.
            if first {
                focus_id_later("referral-title".to_string());
            }
        }
        Some(Err(error)) => failure.set(Some(error)),
        None => {}
    });
    let shown = Memo::new(move |_| ctx.referral.with(Option::is_some));
    view! {
        <section class="card" id="referral">
            {move || match (shown.get(), failure.get()) {
                (_, Some(error)) => view! {
                    <div class="error" role="alert">
                        <p>{move || error.message(i18n.lang.get())}</p>
                        <p><a href="/referrals">{move || i18n.tr("返回转介列表", "Back to the referrals")}</a></p>
                    </div>
                }
                .into_any(),
                (false, None) => view! { <Loading/> }.into_any(),
                (true, None) => view! { <ReferralScreen ctx=ctx/> }.into_any(),
            }}
        </section>
    }
}

/// Who is reading: their role, id and (for an officer) unit.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Reader {
    pub role: Option<Role>,
    pub id: String,
    pub unit: Option<String>,
}

fn reader() -> Reader {
    let me = use_session().me();
    Reader {
        role: me.as_ref().map(|me| me.role),
        id: me.as_ref().map(|me| me.id.clone()).unwrap_or_default(),
        unit: me.and_then(|me| match me.scope {
            Scope::Unit { name } => Some(name),
            _ => None,
        }),
    }
}

#[component]
fn ReferralScreen(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let reader = StoredValue::new(reader());
    let shown = move || ctx.referral.get();
    view! {
        {move || ctx.conflict.get().then(|| view! {
            <p class="notice" role="alert" id="referral-conflict">
                {move || i18n.tr("同事刚刚处理了这条转介,已刷新", "A colleague has just acted on this referral; it is now shown as it stands")}
            </p>
        })}
        {move || shown().map(|referral| view! { <Summary referral=referral reader=reader.get_value()/> })}
        {move || shown().map(|referral| {
            let reader = reader.get_value();
            match (reader.role, referral.state) {
                (Some(Role::Admin), ReferralState::Submitted | ReferralState::Resolved) => {
                    view! { <OfficeActions ctx=ctx referral=referral/> }.into_any()
                }
                (Some(Role::Officer), ReferralState::Assigned | ReferralState::InProgress) => {
                    view! { <UnitActions ctx=ctx referral=referral reader=reader/> }.into_any()
                }
                _ => ().into_any(),
            }
        })}
        {move || shown().map(|referral| view! { <History steps=referral.history/> })}
    }
}

/// A deadline's day, marked "已逾期" when it has passed and still matters.
#[component]
pub(super) fn Deadline(day: chrono::NaiveDate, live: bool) -> impl IntoView {
    let i18n = use_i18n();
    let late = live && day < today();
    view! {
        <span class=late.then_some("overdue")>
            {move || shared::time::format_date(day, i18n.lang.get())}
            {late.then(|| view! { " " <span class="status level-urgent">{move || i18n.tr("已逾期", "Overdue")}</span> })}
        </span>
    }
}

#[component]
fn Summary(referral: Referral, reader: Reader) -> impl IntoView {
    let i18n = use_i18n();
    let (state, category, urgency) = (referral.state, referral.category, referral.urgency);
    let overdue = referral.overdue(today());
    let child = referral.child.clone();
    let village = shared::divisions::village_name(&child.village_code)
        .map(str::to_string)
        .unwrap_or_else(|| village_text(&child.village_code));
    let age = child.age;
    let level = child.care_level;
    let source_kind = referral.source.kind;
    let back = source_href(&referral.source, &child.id, reader.role);
    let (raised_at, triage_by, triaged_at) =
        (referral.raised_at, referral.triage_by, referral.triaged_at);
    let triage_live = state == ReferralState::Submitted;
    view! {
        <h1 id="referral-title" tabindex="-1">
            {move || i18n.tr("转介:", "Referral: ")} {child.name.clone()}
        </h1>
        <p class="row-meta">
            <span id="referral-state" class=state_class(state) data-state=state.as_str()>
                {move || state.label().get(i18n.lang.get())}
            </span>
            <span class=urgency_class(urgency) id="referral-urgency-badge">{move || urgency.label().get(i18n.lang.get())}</span>
            {overdue.then(|| view! { <span class="status level-urgent" id="referral-overdue">{move || i18n.tr("已逾期", "Overdue")}</span> })}
        </p>
        <div id="referral-child" class="notice" data-child=child.id.clone()>
            <dl class="facts">
                <dt>{move || i18n.tr("儿童", "Child")}</dt><dd><strong>{child.name.clone()}</strong></dd>
                <dt>{move || i18n.tr("年龄", "Age")}</dt>
                <dd>{move || match i18n.lang.get() {
                    Lang::Zh => format!("{age} 岁"),
                    Lang::En => format!("{age} years old"),
                }}</dd>
                <dt>{move || i18n.tr("村(社区)", "Village / community")}</dt><dd>{village}</dd>
                <dt>{move || i18n.tr("监护人", "Guardian")}</dt>
                <dd>{if child.guardian.trim().is_empty() { "—".to_string() } else { child.guardian.clone() }}</dd>
                <dt>{move || i18n.tr("关爱等级", "Care level")}</dt>
                <dd><span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span></dd>
            </dl>
        </div>
        <dl class="facts" id="referral-facts">
            <dt>{move || i18n.tr("问题类别", "Kind of problem")}</dt>
            <dd id="referral-category-text">{move || category.label().get(i18n.lang.get())}</dd>
            <dt>{move || i18n.tr("紧急程度", "How urgent")}</dt>
            <dd><span class=urgency_class(urgency)>{move || urgency.label().get(i18n.lang.get())}</span></dd>
            <dt>{move || i18n.tr("来源", "Source")}</dt>
            <dd id="referral-source">{match back {
                Some(href) => view! { <a href=href>{move || source_kind.label().get(i18n.lang.get())}</a> }.into_any(),
                None => view! { <span>{move || source_kind.label().get(i18n.lang.get())}</span> }.into_any(),
            }}</dd>
            <dt>{move || i18n.tr("提出人", "Raised by")}</dt>
            <dd>{referral.raised_by.clone()} " · " {move || shared::time::format_datetime(raised_at, i18n.lang.get())}</dd>
            <dt>{move || i18n.tr("发现的情况", "What was found")}</dt>
            <dd class="description" id="referral-found-text">{referral.found.clone()}</dd>
            <dt>{move || i18n.tr("希望解决的问题", "What is asked for")}</dt>
            <dd class="description" id="referral-asked-text">{referral.asked.clone()}</dd>
            <dt>{move || i18n.tr("未保办处理期限", "Office to deal with it by")}</dt>
            <dd id="referral-triage-by"><Deadline day=triage_by live=triage_live/></dd>
            {triaged_at.map(|at| view! {
                <dt>{move || i18n.tr("未保办处理时间", "Dealt with by the office")}</dt>
                <dd>{move || shared::time::format_datetime(at, i18n.lang.get())}</dd>
            })}
            {referral.closed_at.map(|at| view! {
                <dt>{move || i18n.tr("关闭时间", "Closed")}</dt>
                <dd>{move || shared::time::format_datetime(at, i18n.lang.get())}</dd>
            })}
        </dl>
        <Parts referral=referral.clone()/>
        <OutcomeBox referral=referral/>
    }
}
