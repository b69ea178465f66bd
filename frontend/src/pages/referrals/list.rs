//! `/referrals[?state=…][&open=true]`: the referrals the reader may see, overdue first then
//! newest — all of them for the office, the unit's queue for an officer, the ones they raised
//! for a director, teacher or counsellor. The filters live in the address, so a home panel's
//! link opens the same list its number counts.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use shared::referrals::{ReferralRow, ReferralState};
use shared::Role;

use super::{signed_in_can_raise, state_class, urgency_class, village_text};
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::form::{Checkbox, Choice, SelectField};
use crate::components::table::{Column, DataTable, FilterBar};
use crate::i18n::use_i18n;
use crate::session::use_session;

fn state_choices() -> Vec<Choice> {
    ReferralState::ALL
        .iter()
        .map(|state| Choice::new(state.as_str(), state.label().zh, state.label().en))
        .collect()
}

fn columns() -> Vec<Column> {
    vec![
        Column::new("child", "儿童", "Child"),
        Column::new("village", "村(社区)", "Village / community"),
        Column::new("category", "问题类别", "Category"),
        Column::new("urgency", "紧急程度", "Urgency"),
        Column::new("state", "状态", "State"),
        Column::new("units", "成员单位", "Member units"),
        Column::new("raised", "提出", "Raised"),
    ]
}

/// The address of the list with these filters.
fn list_href(state: &str, open_only: bool) -> String {
    let mut pairs = Vec::new();
    if let Some(state) = ReferralState::parse(state) {
        pairs.push(format!("state={}", state.as_str()));
    }
    if open_only {
        pairs.push("open=true".to_string());
    }
    if pairs.is_empty() {
        "/referrals".to_string()
    } else {
        format!("/referrals?{}", pairs.join("&"))
    }
}

#[component]
pub fn ReferralsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let role = session.me().map(|me| me.role);
    let query = use_query_map();
    let from_address = move || {
        query.with(|query| {
            (
                query.get("state").unwrap_or_default(),
                query.get("open").as_deref() == Some("true"),
            )
        })
    };
    let (first_state, first_open) = untrack(from_address);
    let state = RwSignal::new(first_state);
    let open_only = RwSignal::new(first_open);
    // The address changed from elsewhere (the menu, a home panel): the filters follow it.
    Effect::new(move |_| {
        let (asked_state, asked_open) = from_address();
        if state.get_untracked() != asked_state {
            state.set(asked_state);
        }
        if open_only.get_untracked() != asked_open {
            open_only.set(asked_open);
        }
    });
    // A filter changed here: the address says so, for reloads and the back button.
    let navigate = use_navigate();
    Effect::new(move |_| {
        let chosen = (state.get(), open_only.get());
        if untrack(from_address) != chosen {
            navigate(
                &list_href(&chosen.0, chosen.1),
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });
    let rows = LocalResource::new(move || {
        let (state, open_only) = (state.get(), open_only.get());
        async move { crate::api::referrals(ReferralState::parse(&state), open_only).await }
    });
    let (error, set_error) = signal(None);
    Effect::new(move |_| set_error.set(rows.get().and_then(Result::err)));
    let (title_zh, title_en, lead_zh, lead_en) = match role {
        Some(Role::Admin) => (
            "转介",
            "Referrals",
            "全区提出的转介,逾期的在前。",
            "Every referral in the district, overdue ones first.",
        ),
        Some(Role::Officer) => (
            "本单位的转介",
            "My unit's referrals",
            "区未保办分派给本单位的转介,逾期的在前。",
            "Referrals the district office sent to your unit, overdue ones first.",
        ),
        _ => (
            "我提出的转介",
            "Referrals I raised",
            "您提出的转介和它们的进展。",
            "The referrals you raised and where they stand.",
        ),
    };
    let can_raise = signed_in_can_raise();
    view! {
        <section class="card" id="referrals">
            <h1>{move || i18n.tr(title_zh, title_en)}</h1>
            <p class="muted">{move || i18n.tr(lead_zh, lead_en)}</p>
            {can_raise.then(|| view! {
                <p class="hint">{move || i18n.tr(
                    "提出转介:在儿童档案、走访记录、个案页面或危机预警上点“提出转介”,儿童和来源会自动填好。",
                    "To raise a referral, use “Refer to the office” on a child's record, a visit, a case or a crisis flag: the child and the source are filled in for you.")}</p>
            })}
            <FilterBar id="referral-filters">
                <SelectField id="referral-state-filter" field="state" label_zh="状态" label_en="State"
                    options=state_choices() value=state required=false
                    placeholder_zh="全部状态" placeholder_en="Every state"/>
                <Checkbox id="referral-open-filter" label_zh="只看未关闭的" label_en="Open ones only"
                    checked=open_only/>
            </FilterBar>
            <ErrorBanner error=error/>
            {move || match rows.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(_)) => ().into_any(),
                Some(Ok(list)) => view! { <RowsTable rows=list role=role/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn RowsTable(rows: Vec<ReferralRow>, role: Option<Role>) -> impl IntoView {
    let i18n = use_i18n();
    let count = rows.len() as u64;
    let (empty_zh, empty_en) = match role {
        Some(Role::Officer) => (
            "没有符合条件的转介。区未保办分派给本单位的事项会出现在这里。",
            "No referrals match. What the district office sends to your unit appears here.",
        ),
        Some(Role::Admin) => ("没有符合条件的转介。", "No referrals match."),
        _ => (
            "没有符合条件的转介。您提出的转介会出现在这里。",
            "No referrals match. The referrals you raise appear here.",
        ),
    };
    view! {
        <DataTable id="referral-list" columns=columns() total=Signal::derive(move || Some(count))
            empty_zh=empty_zh empty_en=empty_en caption_zh="转介" caption_en="Referrals">
            {rows.into_iter().map(|row| {
                let href = format!("/referrals/{}", row.id);
                let (category, urgency, state, raised_at) = (row.category, row.urgency, row.state, row.raised_at);
                let my_part = row.my_part;
                let overdue = row.overdue;
                let units = if row.units.is_empty() { "—".to_string() } else { row.units.join("、") };
                view! {
                    <tr data-referral=row.id.clone() class=overdue.then_some("overdue")>
                        <th scope="row"><a href=href>{row.child_name.clone()}</a></th>
                        <td>{village_text(&row.village_code)}</td>
                        <td>{move || category.label().get(i18n.lang.get())}</td>
                        <td><span class=urgency_class(urgency)>{move || urgency.label().get(i18n.lang.get())}</span></td>
                        <td>
                            <span class=state_class(state)>{move || state.label().get(i18n.lang.get())}</span>
                            {overdue.then(|| view! { " " <span class="status level-urgent">{move || i18n.tr("已逾期", "Overdue")}</span> })}
                            {my_part.map(|part| view! {
                                <div class="muted">{move || i18n.tr("本单位:", "My unit: ")} {move || part.label().get(i18n.lang.get())}</div>
                            })}
                        </td>
                        <td>{units}</td>
                        <td>
                            {move || shared::time::format_date(shared::time::beijing_date(raised_at), i18n.lang.get())}
                            <div class="muted">{row.raised_by.clone()}</div>
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
