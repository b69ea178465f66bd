//! The parts of a referral page that only show: each unit's part with its deadlines, the
//! outcome (the closed loop the reporter waits for) and the history of every step.

use leptos::prelude::*;
use shared::referrals::{PartState, Referral, ReferralPart, ReferralState, ReferralStep};
use shared::Lang;

use super::detail::Deadline;
use crate::components::feedback::Empty;
use crate::i18n::use_i18n;

fn part_class(state: PartState) -> &'static str {
    match state {
        PartState::Waiting => "status status-pending",
        PartState::Accepted => "status status-invited",
        PartState::Returned => "status status-disabled",
        PartState::Resolved => "status status-active",
    }
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_string()
    } else {
        text.to_string()
    }
}

/// Each member unit's part: what it is asked, who handles it, by when, and what it did.
#[component]
pub(super) fn Parts(referral: Referral) -> impl IntoView {
    let i18n = use_i18n();
    let open = matches!(
        referral.state,
        ReferralState::Assigned | ReferralState::InProgress
    );
    let (empty_zh, empty_en) = match referral.state {
        ReferralState::Submitted => (
            "未保办还没有分派给成员单位。",
            "The office has not sent it to a member unit yet.",
        ),
        _ => ("没有分派给成员单位。", "It was not sent to a member unit."),
    };
    let parts = referral.parts;
    view! {
        <h2 id="referral-parts-title">{move || i18n.tr("成员单位办理情况", "Member units")}</h2>
        {parts.is_empty().then(|| view! { <Empty zh=empty_zh en=empty_en/> })}
        <ul class="rows" id="referral-parts" aria-labelledby="referral-parts-title">
            {parts.into_iter().map(|part| view! { <PartRow part=part open=open/> }).collect_view()}
        </ul>
    }
}

#[component]
fn PartRow(part: ReferralPart, open: bool) -> impl IntoView {
    let i18n = use_i18n();
    let state = part.state;
    let (assigned_at, respond_by, resolve_by) =
        (part.assigned_at, part.respond_by, part.resolve_by);
    let (responded_at, resolved_at) = (part.responded_at, part.resolved_at);
    let officer = part
        .officer_name
        .clone()
        .filter(|name| !name.trim().is_empty());
    let respond_live = open && state == PartState::Waiting;
    let resolve_live = open && state == PartState::Accepted;
    view! {
        <li class="row referral-part" data-unit=part.unit.clone() data-state=state.as_str()>
            <div class="row-main">
                <strong>{part.unit.clone()}</strong> " "
                <span class=part_class(state)>{move || state.label().get(i18n.lang.get())}</span>
                <dl class="facts">
                    <dt>{move || i18n.tr("交办事项", "Task")}</dt>
                    <dd class="description">{or_dash(&part.task)}</dd>
                    <dt>{move || i18n.tr("承办人", "Officer")}</dt>
                    <dd class="part-officer">{match officer {
                        Some(name) => view! { <span>{name}</span> }.into_any(),
                        None => view! { <span class="muted">{move || i18n.tr("尚未接收", "Not taken yet")}</span> }.into_any(),
                    }}</dd>
                    <dt>{move || i18n.tr("分派时间", "Assigned")}</dt>
                    <dd>{move || shared::time::format_datetime(assigned_at, i18n.lang.get())}</dd>
                    <dt>{move || i18n.tr("接收期限", "To be taken by")}</dt>
                    <dd class="part-respond-by"><Deadline day=respond_by live=respond_live/></dd>
                    {responded_at.map(|at| view! {
                        <dt>{move || i18n.tr("接收或退回时间", "Taken or returned")}</dt>
                        <dd>{move || shared::time::format_datetime(at, i18n.lang.get())}</dd>
                    })}
                    <dt>{move || i18n.tr("办结期限", "To be resolved by")}</dt>
                    <dd class="part-resolve-by"><Deadline day=resolve_by live=resolve_live/></dd>
                    {resolved_at.map(|at| view! {
                        <dt>{move || i18n.tr("办结时间", "Resolved")}</dt>
                        <dd>{move || shared::time::format_datetime(at, i18n.lang.get())}</dd>
                    })}
                    <dt>{move || i18n.tr("办理结果", "Outcome")}</dt>
                    <dd class="description part-outcome">{or_dash(&part.outcome)}</dd>
                </dl>
            </div>
        </li>
    }
}

/// What came of the referral: the office's answer, reason or closing note, and what each unit
/// that resolved its part did.
#[component]
pub(super) fn OutcomeBox(referral: Referral) -> impl IntoView {
    let i18n = use_i18n();
    let (label_zh, label_en) = match referral.state {
        ReferralState::Declined => ("未受理原因", "Why the office declined"),
        ReferralState::Closed if referral.parts.is_empty() => ("未保办答复", "The office's answer"),
        ReferralState::Closed => ("未保办关闭说明", "The office's closing note"),
        _ => ("未保办说明", "The office's note"),
    };
    let office = (!referral.outcome.trim().is_empty()).then(|| referral.outcome.clone());
    let resolved: Vec<(String, String)> = referral
        .parts
        .iter()
        .filter(|part| part.state == PartState::Resolved && !part.outcome.trim().is_empty())
        .map(|part| (part.unit.clone(), part.outcome.clone()))
        .collect();
    let nothing = office.is_none() && resolved.is_empty();
    let closed = !referral.is_open();
    view! {
        <section id="referral-outcome" class=if closed { "notice outcome closed" } else { "notice outcome" }
            aria-labelledby="referral-outcome-title">
            <h2 id="referral-outcome-title">{move || i18n.tr("处理结果", "Outcome")}</h2>
            {nothing.then(|| view! {
                <p class="muted">{move || i18n.tr(
                    "还没有处理结果。成员单位办结或未保办答复后会显示在这里。",
                    "No outcome yet. It shows here once a member unit resolves it or the office answers.")}</p>
            })}
            {office.map(|text| view! {
                <p class="office-outcome"><strong>{move || i18n.tr(label_zh, label_en)} {move || i18n.tr(":", ": ")}</strong>{text}</p>
            })}
            {(!resolved.is_empty()).then(|| view! {
                <ul class="unit-outcomes">
                    {resolved.into_iter().map(|(unit, text)| view! {
                        <li data-unit=unit.clone()><strong>{unit.clone()} {move || i18n.tr(":", ": ")}</strong>{text}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

/// Every step, oldest first: what happened, by whom, for which unit, when, and what was said.
#[component]
pub(super) fn History(steps: Vec<ReferralStep>) -> impl IntoView {
    let i18n = use_i18n();
    let count = steps.len();
    view! {
        <section class="history" aria-labelledby="referral-history-title">
            <h2 id="referral-history-title">{move || i18n.tr("处理记录", "History")}</h2>
            <p class="list-total muted" data-total=count.to_string()>{move || match i18n.lang.get() {
                Lang::Zh => format!("共 {count} 步"),
                Lang::En if count == 1 => "1 step".to_string(),
                Lang::En => format!("{count} steps"),
            }}</p>
            {(count == 0).then(|| view! { <Empty zh="还没有处理记录。" en="Nothing has happened yet."/> })}
            <ol class="rows" id="referral-history">
                {steps.into_iter().map(|step| {
                    let (kind, at) = (step.kind, step.at);
                    let unit = step.unit.clone().filter(|unit| !unit.is_empty());
                    let text = (!step.text.trim().is_empty()).then(|| step.text.clone());
                    view! {
                        <li class="row" data-kind=kind.as_str()>
                            <div class="row-main">
                                <strong>{move || kind.label().get(i18n.lang.get())}</strong>
                                <div class="muted">
                                    {step.by.clone()}
                                    {unit.map(|unit| view! { " · " {unit} })}
                                    " · "
                                    <time datetime=at.to_rfc3339()>{move || shared::time::format_datetime(at, i18n.lang.get())}</time>
                                </div>
                                {text.map(|text| view! { <p class="description">{text}</p> })}
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
