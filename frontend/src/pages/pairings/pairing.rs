//! One pairing: its history (who, when, why), the contact log, and the admin's actions —
//! confirm or withdraw a proposal, end an active pairing (behind a confirmation that asks why).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::pairings::{EndReason, PairingDetail, PairingState};
use shared::referrals::SourceKind;
use shared::{ApiErrorBody, ErrorCode, FieldError, Text};

use crate::api::ApiError;
use crate::components::confirm::ConfirmAction;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::components::form::Choice;
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::referrals::RaiseLink;

#[component]
pub fn PairingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let reload = RwSignal::new(0u32);
    let detail = LocalResource::new(move || {
        reload.track();
        let id = params.get().get("id").unwrap_or_default();
        async move { crate::api::pairing(&id).await }
    });
    view! {
        <section class="card" id="pairing">
            {move || match detail.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(detail)) => view! { <PairingView detail=detail reload=reload/> }.into_any(),
            }}
        </section>
    }
}

fn end_reasons() -> Vec<Choice> {
    EndReason::ALL
        .iter()
        .map(|r| Choice::new(r.as_str(), r.label().zh, r.label().en))
        .collect()
}

fn invalid(field: &str, text: Text) -> ApiError {
    let mut body = ApiErrorBody::new(ErrorCode::InvalidInput);
    body.fields.push(FieldError::new(field, text));
    ApiError::Api(body)
}

#[component]
fn PairingView(detail: PairingDetail, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let (error, set_error) = signal(None::<ApiError>);
    let busy = RwSignal::new(false);
    let p = detail.pairing.clone();
    let state = p.state;
    let who = format!("{} ↔ {}", p.child_name, p.volunteer_name);
    let end = {
        let (id, who) = (p.id.clone(), who.clone());
        Callback::new(move |(reason, note): (String, String)| {
            set_error.set(None);
            let Some(reason) = EndReason::parse(&reason) else {
                return set_error.set(Some(invalid(
                    "reason",
                    Text::new("请选择结束原因", "Choose why the pairing ends"),
                )));
            };
            if reason == EndReason::Other && note.trim().is_empty() {
                return set_error.set(Some(invalid(
                    "note",
                    Text::new(
                        "结束原因为“其他”时,请写明说明",
                        "Say why when the reason is “Other”",
                    ),
                )));
            }
            let (id, who) = (id.clone(), who.clone());
            busy.set(true);
            spawn_local(async move {
                let result = crate::api::end_pairing(&id, reason, note).await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        toasts
                            .success(format!("已结束结对:{who}"), format!("Pairing ended: {who}"));
                        reload.update(|x| *x += 1)
                    }
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        })
    };
    let act = {
        let (id, who) = (p.id.clone(), who.clone());
        move |action: &'static str| {
            let (id, who) = (id.clone(), who.clone());
            set_error.set(None);
            busy.set(true);
            spawn_local(async move {
                let result = crate::api::pairing_action(&id, action).await;
                busy.set(false);
                match result {
                    Ok(_) if action == "activate" => {
                        toasts.success(
                            format!("已确认结对:{who}"),
                            format!("Pairing active: {who}"),
                        );
                        reload.update(|x| *x += 1)
                    }
                    Ok(_) => {
                        toasts.success(
                            format!("已撤销拟结对:{who}"),
                            format!("Proposal withdrawn: {who}"),
                        );
                        reload.update(|x| *x += 1)
                    }
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    let act2 = act.clone();
    let proposed_at = p.proposed_at;
    // A caring mother's concern goes to the district office as a referral, in one step.
    let is_admin = crate::session::use_session()
        .me()
        .is_some_and(|me| me.role == shared::Role::Admin);
    let (refer_child, refer_pairing) = (p.child_id.clone(), p.id.clone());
    view! {
        <h1>{who.clone()}</h1>
        <p class="row-meta"><span class="status">{move || state.label().get(i18n.lang.get())}</span>
            {detail.contact_overdue.then(|| view! { <span class="status status-pending">{move || i18n.tr("联系逾期", "Contact overdue")}</span> })}
            {p.flagged.clone().map(|f| view! { <span class="status level-urgent">{move || f.get(i18n.lang.get()).to_string()}</span> })}</p>
        <dl class="facts">
            <dt>{move || i18n.tr("提议", "Proposed")}</dt><dd>{p.proposed_by.clone()} " · " {move || shared::time::format_datetime(proposed_at, i18n.lang.get())}</dd>
            {p.activated_at.map(|at| view! { <dt>{move || i18n.tr("开始", "Active since")}</dt><dd>{move || shared::time::format_datetime(at, i18n.lang.get())}</dd> })}
            {p.last_contact.map(|d| view! { <dt>{move || i18n.tr("最近联系", "Last contact")}</dt><dd>{move || shared::time::format_date(d, i18n.lang.get())}</dd> })}
            {p.ended.clone().map(|e| {
                let (r, at) = (e.reason, e.at);
                view! { <dt>{move || i18n.tr("结束", "Ended")}</dt>
                    <dd>{move || r.label().get(i18n.lang.get())} " " {e.note.clone()} " · " {e.by.clone()} " · " {move || shared::time::format_datetime(at, i18n.lang.get())}</dd> }
            })}
        </dl>
        <ErrorBanner error=error/>
        {(state == PairingState::Proposed).then(|| view! {
            <p class="row-actions">
                <button id="activate-pairing" type="button" class="primary" disabled=move || busy.get() on:click=move |_| act("activate")>{move || i18n.tr("确认结对", "Activate")}</button>
                <button id="withdraw-pairing" type="button" disabled=move || busy.get() on:click=move |_| act2("cancel")>{move || i18n.tr("撤销", "Withdraw")}</button>
            </p>
        })}
        {(state == PairingState::Active).then(|| view! {
            <ConfirmAction id="end-pairing" label_zh="结束结对" label_en="End the pairing"
                question_zh="确定结束这个结对吗?此操作不可撤销。"
                question_en="End this pairing? This cannot be undone."
                reasons=end_reasons() reasons_legend_zh="结束原因" reasons_legend_en="Why it ends"
                note_zh="说明(原因为“其他”时必填)" note_en="Note (needed when the reason is “Other”)"
                note_required_for="other" busy=busy on_confirm=end/>
        })}
        <h2>{move || i18n.tr("联系记录", "Contacts")}</h2>
        {detail.contacts.is_empty().then(|| view! { <Empty zh="还没有联系记录。" en="No contacts logged yet."/> })}
        <ul class="rows" id="contacts">
            {detail.contacts.into_iter().map(|c| { let (mode, day) = (c.mode, c.date); view! {
                <li class="row"><div class="row-main">
                    <strong>{move || mode.label().get(i18n.lang.get())}</strong> " " <span class="muted">{move || shared::time::format_date(day, i18n.lang.get())} " · " {c.minutes} {move || i18n.tr(" 分钟", " min")} " · " {c.logged_by.clone()}</span>
                    {c.concern.then(|| view! { <span class="status level-urgent">{move || i18n.tr("需关注", "Concern")}</span> })}
                    <p>{c.summary.clone()}</p>
                    {(c.concern && is_admin).then(|| view! {
                        <p class="row-actions">
                            <RaiseLink child_id=refer_child.clone() source=SourceKind::Concern source_id=refer_pairing.clone()/>
                        </p>
                    })}
                </div></li>
            } }).collect_view()}
        </ul>
    }
}
