//! One volunteer's vetting decision: approve with the background check's date, or reject,
//! suspend (both need a reason) or reinstate.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::pairings::{
    BackgroundCheck, CheckResult, VettingDecision, VettingRequest, VettingState, VolunteerProfile,
};
use shared::{FieldError, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::form::{DateField, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::cases::interned;
use crate::pages::children::form::today;

/// The request for a decision, or what is missing for it.
fn vetting_request(
    decision: VettingDecision,
    checked_on: &str,
    reason: &str,
) -> Result<VettingRequest, Vec<FieldError>> {
    let mut background_check = None;
    if decision == VettingDecision::Approve {
        match checked_on.parse::<NaiveDate>() {
            Ok(day) if day <= today() => {
                background_check = Some(BackgroundCheck {
                    checked_on: day,
                    result: CheckResult::Clear,
                })
            }
            Ok(_) => {
                return Err(vec![FieldError::new(
                    "background_check",
                    Text::new(
                        "核查日期不能晚于今天",
                        "The check date cannot be in the future",
                    ),
                )])
            }
            Err(_) => {
                return Err(vec![FieldError::new(
                    "background_check",
                    Text::new(
                        "请填写背景核查日期",
                        "Enter the date of the background check",
                    ),
                )])
            }
        }
    }
    let needs_reason = matches!(decision, VettingDecision::Reject | VettingDecision::Suspend);
    if needs_reason && reason.trim().is_empty() {
        return Err(vec![FieldError::new(
            "reason",
            Text::new("请写明原因", "Give a reason"),
        )]);
    }
    Ok(VettingRequest {
        decision,
        background_check,
        reason: reason.trim().to_string(),
        max_children: None,
    })
}

fn done_message(decision: VettingDecision, name: &str) -> (String, String) {
    match decision {
        VettingDecision::Approve => (format!("{name} 已通过审核"), format!("{name} is approved")),
        VettingDecision::Reject => (
            format!("{name} 未通过审核"),
            format!("{name} was not approved"),
        ),
        VettingDecision::Suspend => (
            format!("已暂停 {name} 的资格"),
            format!("{name} is suspended"),
        ),
        VettingDecision::Reinstate => (
            format!("已恢复 {name} 的资格"),
            format!("{name} is reinstated"),
        ),
    }
}

#[component]
pub fn VettingActions(volunteer: VolunteerProfile, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let checked_on = RwSignal::new(today().to_string());
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let state = volunteer.vetting.state;
    let (id, name) = (volunteer.user_id.clone(), volunteer.name.clone());
    let date_id = interned(format!("vet-date-{id}"));
    let reason_id = interned(format!("vet-reason-{id}"));
    let (earliest, latest) = (today() - Duration::days(3 * 366), today());
    let decide = move |decision: VettingDecision| {
        errors.clear();
        let request = match vetting_request(
            decision,
            &checked_on.get_untracked(),
            &reason.get_untracked(),
        ) {
            Ok(request) => request,
            Err(missing) => return errors.show_fields(missing),
        };
        let (id, name) = (id.clone(), name.clone());
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::vet(&id, &request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    let (zh, en) = done_message(decision, &name);
                    toasts.success(zh, en);
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    let (d1, d2, d3, d4) = (decide.clone(), decide.clone(), decide.clone(), decide);
    let approvable = matches!(state, VettingState::Pending | VettingState::Rejected);
    let can_refuse = matches!(state, VettingState::Pending | VettingState::Approved);
    // Only suspending is possible then, and it needs a reason.
    let reason_required = state == VettingState::Approved;
    view! {
        <div class="vetting">
            <ErrorSummary errors=errors/>
            {approvable.then(|| view! {
                <DateField id=date_id field="background_check" label_zh="背景核查日期(无不良记录)"
                    label_en="Background check date (clear)" value=checked_on min=earliest max=latest/>
                <button type="button" class="primary vet-approve" disabled=move || busy.get()
                    on:click=move |_| d1(VettingDecision::Approve)>{move || i18n.tr("核查通过", "Approve")}</button>
            })}
            {can_refuse.then(|| view! {
                <TextField id=reason_id field="reason" label_zh="原因" label_en="Reason"
                    hint_zh="不通过或暂停资格时必填" hint_en="Needed to reject or suspend"
                    value=reason max=200 required=reason_required/>
            })}
            {(state == VettingState::Pending).then(|| view! {
                <button type="button" class="danger vet-reject" disabled=move || busy.get()
                    on:click=move |_| d2(VettingDecision::Reject)>{move || i18n.tr("不通过", "Reject")}</button>
            })}
            {(state == VettingState::Approved).then(|| view! {
                <button type="button" class="danger vet-suspend" disabled=move || busy.get()
                    on:click=move |_| d3(VettingDecision::Suspend)>{move || i18n.tr("暂停资格", "Suspend")}</button>
            })}
            {(state == VettingState::Suspended).then(|| view! {
                <button type="button" class="vet-reinstate" disabled=move || busy.get()
                    on:click=move |_| d4(VettingDecision::Reinstate)>{move || i18n.tr("恢复资格", "Reinstate")}</button>
            })}
        </div>
    }
}
