//! The home panels: each asks the server, shows its number and links to the full list.

use leptos::prelude::*;
use shared::api::UserStatus;
use shared::referrals::ReferralState;
use shared::visits::{DueState, DueVisit, VisitPlan};
use shared::Lang;

use crate::api::{ApiError, ApiResult, ChildQuery};
use crate::components::feedback::CountPanel;
use crate::i18n::use_i18n;

/// The number of a list that is loaded whole.
fn len_of<T>(resource: LocalResource<ApiResult<Vec<T>>>) -> Signal<Option<u64>>
where
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || {
        resource
            .get()
            .and_then(Result::ok)
            .map(|list| list.len() as u64)
    })
}

fn error_of<T>(resource: LocalResource<ApiResult<T>>) -> Signal<Option<ApiError>>
where
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || resource.get().and_then(Result::err))
}

#[component]
pub fn PendingVolunteersPanel() -> impl IntoView {
    let i18n = use_i18n();
    let page = LocalResource::new(|| {
        crate::api::users(Some(UserStatus::Pending), None, String::new(), None)
    });
    let count = Signal::derive(move || {
        page.get()
            .and_then(Result::ok)
            .map(|page| page.total.unwrap_or(page.items.len() as u64))
    });
    let names = move || {
        page.get()
            .and_then(Result::ok)
            .map(|page| page.items.into_iter().take(3).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <CountPanel id="panel-pending-volunteers" title_zh="待审核志愿者" title_en="Volunteers awaiting approval"
            count=count href="/users?status=pending" link_zh="去审核" link_en="Review them"
            empty_zh="没有待审核的志愿者。" empty_en="No volunteers waiting for approval." error=error_of(page)>
            <ul class="panel-rows">
                {move || names().into_iter().map(|user| {
                    let created = user.created_at;
                    view! {
                        <li>{user.display_name.clone()} " "
                            <span class="muted">{move || shared::time::format_date(shared::time::beijing_date(created), i18n.lang.get())}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CountPanel>
    }
}

/// The children the reader may see (the registry's own total).
#[component]
pub fn ChildrenPanel(
    title_zh: &'static str,
    title_en: &'static str,
    empty_zh: &'static str,
    empty_en: &'static str,
) -> impl IntoView {
    // Only the number: a home page shows no child, so it reads none.
    let page =
        LocalResource::new(|| async { crate::api::children_count(&ChildQuery::default()).await });
    let count = Signal::derive(move || page.get().and_then(Result::ok).map(|count| count.total));
    view! {
        <CountPanel id="panel-children" title_zh=title_zh title_en=title_en
            count=count href="/children" link_zh="打开名册" link_en="Open the registry"
            empty_zh=empty_zh empty_en=empty_en error=error_of(page)>
        </CountPanel>
    }
}

#[component]
pub fn ReviewPanel() -> impl IntoView {
    let list = LocalResource::new(crate::api::review);
    view! {
        <CountPanel id="panel-review" title_zh="待复核" title_en="To review"
            count=len_of(list) href="/children/review" link_zh="查看待复核名单" link_en="See the list"
            empty_zh="目前没有需要复核的儿童。" empty_en="No children to review." error=error_of(list)>
        </CountPanel>
    }
}

/// Upcoming events the reader can see, the first three listed.
#[component]
pub fn EventsPanel(empty_zh: &'static str, empty_en: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(|| crate::api::events(None, None, None));
    let first = move || {
        list.get()
            .and_then(Result::ok)
            .map(|list| list.into_iter().take(3).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <CountPanel id="panel-events" title_zh="近期活动" title_en="Upcoming events"
            count=len_of(list) href="/events" link_zh="查看全部活动" link_en="See all events"
            empty_zh=empty_zh empty_en=empty_en error=error_of(list)>
            <ul class="panel-rows">
                {move || first().into_iter().map(|record| {
                    let link = format!("/events/{}", record.id);
                    let starts = record.event.starts_at;
                    view! {
                        <li>
                            <a href=link>{record.event.title.clone()}</a>
                            <div class="muted">{move || shared::time::format_datetime(starts, i18n.lang.get())}</div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CountPanel>
    }
}

#[component]
pub fn MyEventsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(crate::api::my_events);
    let first = move || {
        list.get()
            .and_then(Result::ok)
            .map(|list| list.into_iter().take(3).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <CountPanel id="panel-my-events" title_zh="我报名的活动" title_en="Events I signed up for"
            count=len_of(list) href="/my/events" link_zh="查看我的活动" link_en="See my events"
            empty_zh="您还没有报名活动。" empty_en="You have not signed up for any event." error=error_of(list)>
            <ul class="panel-rows">
                {move || first().into_iter().map(|mine| {
                    let link = format!("/events/{}", mine.event.id);
                    let starts = mine.event.event.starts_at;
                    view! {
                        <li>
                            <a href=link>{mine.event.event.title.clone()}</a>
                            <div class="muted">{move || shared::time::format_datetime(starts, i18n.lang.get())}</div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CountPanel>
    }
}

#[component]
pub fn MyChildPanel() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(crate::api::my_pairings);
    let first = move || list.get().and_then(Result::ok).unwrap_or_default();
    view! {
        <CountPanel id="panel-my-child" title_zh="我的结对儿童" title_en="My paired child"
            count=len_of(list) href="/my/child" link_zh="查看我的结对儿童" link_en="See my paired child"
            empty_zh="还没有结对儿童。区未保办安排结对后,会在这里显示。"
            empty_en="No paired child yet. It shows here once the district office arranges a pairing." error=error_of(list)>
            <ul class="panel-rows">
                {move || first().into_iter().map(|pairing| {
                    let overdue = pairing.contact_overdue;
                    let last = pairing.last_contact;
                    view! {
                        <li>
                            <strong>{pairing.child.given_name.clone()}</strong>
                            {overdue.then(|| view! { " " <span class="status status-pending">{move || i18n.tr("该联系了", "Contact due")}</span> })}
                            <div class="muted">
                                {move || match (last, i18n.lang.get()) {
                                    (Some(day), lang) => format!("{}{}", i18n.tr("上次联系:", "Last contact: "), shared::time::format_date(day, lang)),
                                    (None, _) => i18n.tr("还没有联系记录", "No contact logged yet").to_string(),
                                }}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CountPanel>
    }
}

/// Case groups the reader belongs to (all, for admins); groups with an open crisis first.
#[component]
pub fn CasesPanel() -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(crate::api::cases);
    let urgent = move || {
        list.get()
            .and_then(Result::ok)
            .map(|list| {
                list.into_iter()
                    .filter(|case| case.open_crises > 0 || case.review_overdue)
                    .take(5)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    view! {
        <CountPanel id="panel-cases" title_zh="我的个案群组" title_en="My case groups"
            count=len_of(list) href="/cases" link_zh="查看全部群组" link_en="See all groups"
            empty_zh="您还没有加入任何个案群组。" empty_en="You are not in any case group yet." error=error_of(list)>
            <ul class="panel-rows" id="home-case-alerts">
                {move || urgent().into_iter().map(|case| {
                    let href = format!("/cases/{}", case.child_id);
                    let crises = case.open_crises;
                    let overdue = case.review_overdue;
                    view! {
                        <li>
                            <a href=href>{case.child_name.clone()}</a> " "
                            {(crises > 0).then(|| view! {
                                <span class="status level-urgent">{move || match i18n.lang.get() {
                                    Lang::Zh => format!("{crises} 个危机预警未关闭"),
                                    Lang::En => format!("{crises} open crisis flag(s)"),
                                }}</span>
                            })}
                            {overdue.then(|| view! { " " <span class="status status-pending">{move || i18n.tr("复盘已逾期", "Review overdue")}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CountPanel>
    }
}

/// Admins: open crisis flags, shown here in full until an admin records what was done.
#[component]
pub fn OpenCrisesCard() -> impl IntoView {
    let i18n = use_i18n();
    let crises = LocalResource::new(crate::api::open_crises);
    view! {
        <section class="card" id="home-crises">
            <h2>{move || i18n.tr("危机预警", "Open crises")}
                {move || crises.get().and_then(Result::ok).map(|list| {
                    let count = list.len();
                    view! { " " <span class="crisis-count" data-count=count.to_string()>{format!("({count})")}</span> }
                })}
            </h2>
            {move || match crises.get() {
                None => view! { <crate::components::feedback::Loading/> }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.message(i18n.lang.get())}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <crate::components::feedback::Empty zh="目前没有未处理的危机预警。" en="No open crisis flags."/>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul id="open-crises" class="rows">
                        {list.into_iter().map(|crisis| {
                            let href = format!("/cases/{}", crisis.child_id);
                            let kind = crisis.kind;
                            let at = crisis.raised_at;
                            view! {
                                <li class="row crisis"><div class="row-main">
                                    <a href=href><strong>{crisis.child_name.clone()}</strong></a> " "
                                    <span class="status level-urgent">{move || kind.label().get(i18n.lang.get())}</span>
                                    <p>{crisis.description.clone()}</p>
                                    <div class="muted">{crisis.raised_by.clone()} " · " {move || shared::time::format_datetime(at, i18n.lang.get())}</div>
                                </div></li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <p><a href="/cases">{move || i18n.tr("打开个案群组处理", "Open the case groups to deal with them")}</a></p>
        </section>
    }
}

/// The visits to make (directors: their villages; admins: the district), most urgent first:
/// overdue, due this week, due later this quarter. One query (the visit plan) feeds the three
/// panels, and each number is the total of its section on /visits.
#[component]
pub fn VisitPanels() -> impl IntoView {
    let plan = LocalResource::new(|| crate::api::visit_plan(None));
    let error = error_of(plan);
    view! {
        <VisitPanel plan=plan error=error state=DueState::Overdue id="panel-visits-overdue"
            title_zh="逾期未走访" title_en="Visits overdue"
            href="/visits#overdue" link_zh="查看逾期名单" link_en="See who is overdue"
            empty_zh="没有逾期未走访的儿童。" empty_en="No child is overdue for a visit."/>
        <VisitPanel plan=plan error=error state=DueState::ThisWeek id="panel-visits-week"
            title_zh="本周应走访" title_en="Visits due this week"
            href="/visits#this-week" link_zh="查看本周名单" link_en="See this week's list"
            empty_zh="本周没有到期的走访。" empty_en="No visits fall due this week."/>
        <VisitPanel plan=plan error=error state=DueState::ThisQuarter id="panel-visits-quarter"
            title_zh="本季度稍后到期" title_en="Due later this quarter"
            href="/visits#this-quarter" link_zh="查看本季度名单" link_en="See this quarter's list"
            empty_zh="本季度没有其他到期的走访。" empty_en="No other visits fall due this quarter."/>
    }
}

/// How many children of the plan are in one due state, and the first three of them.
#[component]
fn VisitPanel(
    plan: LocalResource<ApiResult<VisitPlan>>,
    error: Signal<Option<ApiError>>,
    state: DueState,
    id: &'static str,
    title_zh: &'static str,
    title_en: &'static str,
    href: &'static str,
    link_zh: &'static str,
    link_en: &'static str,
    empty_zh: &'static str,
    empty_en: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let listed = Memo::new(move |_| {
        plan.get().and_then(Result::ok).map(|plan| {
            plan.children
                .into_iter()
                .filter(|child| child.state == state)
                .collect::<Vec<DueVisit>>()
        })
    });
    let count =
        Signal::derive(move || listed.with(|list| list.as_ref().map(|list| list.len() as u64)));
    let first = move || {
        listed
            .get()
            .map(|list| list.into_iter().take(3).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <CountPanel id=id title_zh=title_zh title_en=title_en count=count href=href
            link_zh=link_zh link_en=link_en empty_zh=empty_zh empty_en=empty_en error=error>
            <ul class="panel-rows">
                {move || first().into_iter().map(|due| {
                    let link = format!("/children/{}", due.child_id);
                    let day = due.due;
                    let first_visit = due.first_visit;
                    view! {
                        <li>
                            <a href=link>{due.child_name.clone()}</a>
                            <div class="muted">
                                {move || match i18n.lang.get() {
                                    Lang::Zh => format!("应于 {} 前走访", shared::time::format_date(day, Lang::Zh)),
                                    Lang::En => format!("Visit by {}", shared::time::format_date(day, Lang::En)),
                                }}
                                {first_visit.then(|| view! { " · " {move || i18n.tr("首次走访", "First visit")} })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CountPanel>
    }
}

/// A count of referrals from the same query as the list it links to, with the first three
/// (overdue ones first, as the server orders them).
#[component]
fn ReferralCountPanel(
    id: &'static str,
    state: Option<ReferralState>,
    open_only: bool,
    title_zh: &'static str,
    title_en: &'static str,
    href: &'static str,
    link_zh: &'static str,
    link_en: &'static str,
    empty_zh: &'static str,
    empty_en: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let list = LocalResource::new(move || crate::api::referrals(state, open_only));
    let first = move || {
        list.get()
            .and_then(Result::ok)
            .map(|list| list.into_iter().take(3).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <CountPanel id=id title_zh=title_zh title_en=title_en count=len_of(list) href=href
            link_zh=link_zh link_en=link_en empty_zh=empty_zh empty_en=empty_en error=error_of(list)>
            <ul class="panel-rows">
                {move || first().into_iter().map(|row| {
                    let link = format!("/referrals/{}", row.id);
                    let (category, state, raised) = (row.category, row.state, row.raised_at);
                    view! {
                        <li data-referral=row.id.clone()>
                            <a href=link>{row.child_name.clone()}</a> " "
                            {row.overdue.then(|| view! { <span class="status level-urgent">{move || i18n.tr("已逾期", "Overdue")}</span> })}
                            <div class="muted">
                                {move || category.label().get(i18n.lang.get())} " · "
                                {move || state.label().get(i18n.lang.get())} " · "
                                {move || shared::time::format_date(shared::time::beijing_date(raised), i18n.lang.get())}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </CountPanel>
    }
}

/// An officer: the open referrals of their unit.
#[component]
pub fn ReferralQueuePanel() -> impl IntoView {
    view! {
        <ReferralCountPanel id="panel-referrals-queue" state=None open_only=true
            title_zh="本单位待办转介" title_en="My unit's referrals"
            href="/referrals?open=true" link_zh="查看本单位转介" link_en="See my unit's referrals"
            empty_zh="本单位没有待办的转介。区未保办分派给本单位的事项会出现在这里。"
            empty_en="Nothing for your unit now. What the district office sends to your unit appears here."/>
    }
}

/// Admins: referrals waiting for the office's answer.
#[component]
pub fn ReferralTriagePanel() -> impl IntoView {
    view! {
        <ReferralCountPanel id="panel-referrals-triage" state=Some(ReferralState::Submitted) open_only=false
            title_zh="待处理的转介" title_en="Referrals to deal with"
            href="/referrals?state=submitted" link_zh="去处理" link_en="Deal with them"
            empty_zh="没有等待未保办处理的转介。" empty_en="No referrals are waiting for the office."/>
    }
}

/// Directors, teachers and counsellors: the referrals they raised that are still open.
#[component]
pub fn MyReferralsPanel() -> impl IntoView {
    view! {
        <ReferralCountPanel id="panel-referrals-mine" state=None open_only=true
            title_zh="我提出的转介" title_en="Referrals I raised"
            href="/referrals?open=true" link_zh="查看进展" link_en="See where they stand"
            empty_zh="您提出的转介都已关闭,或还没有提出过。" empty_en="None of your referrals is open."/>
    }
}
