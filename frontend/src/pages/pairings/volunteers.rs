//! Admins: vet volunteers (background check, approve/reject/suspend/reinstate).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::pairings::{
    BackgroundCheck, CheckResult, VettingDecision, VettingRequest, VettingState, VolunteerProfile,
};

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;

#[component]
pub fn VolunteersPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        crate::api::volunteer_profiles()
    });
    view! {
        <section class="card">
            <h1>{move || i18n.tr("志愿者审核", "Volunteer vetting")}</h1>
            <p class="muted">{move || i18n.tr("与未成年人密切接触的人员须先完成背景核查,审核通过后方可结对和报名活动。",
                "People in close contact with minors need a background check; once approved they can be paired and sign up.")}</p>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty zh="还没有志愿者。" en="No volunteers yet."/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul id="volunteers" class="rows">
                        {list.into_iter().map(|v| view! { <VolunteerRow volunteer=v reload=reload/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn VolunteerRow(volunteer: VolunteerProfile, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let checked_on = RwSignal::new(crate::pages::children::form::today().to_string());
    let reason = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let state = volunteer.vetting.state;
    let id = volunteer.user_id.clone();
    let decide = move |decision: VettingDecision| {
        let id = id.clone();
        let background_check = (decision == VettingDecision::Approve)
            .then(|| checked_on.get_untracked().parse().ok())
            .flatten()
            .map(|checked_on| BackgroundCheck {
                checked_on,
                result: CheckResult::Clear,
            });
        let request = VettingRequest {
            decision,
            background_check,
            reason: reason.get_untracked(),
            max_children: None,
        };
        spawn_local(async move {
            match crate::api::vet(&id, &request).await {
                Ok(_) => reload.update(|n| *n += 1),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let (d1, d2, d3, d4) = (decide.clone(), decide.clone(), decide.clone(), decide);
    view! {
        <li class="row" data-volunteer=volunteer.name.clone()>
            <div class="row-main">
                <strong>{volunteer.name.clone()}</strong>
                <div class="row-meta">
                    <span class="status">{move || state.label().get(i18n.lang.get())}</span>
                    {volunteer.organisation.map(|o| view! { <span class="badge">{move || o.label().get(i18n.lang.get())}</span> })}
                    <span class="muted">{format!("{}/{}", volunteer.active_pairings, volunteer.max_children)} {move || i18n.tr(" 名结对", " paired")}</span>
                    {volunteer.vetting.background_check.clone().map(|c| view! { <span class="muted">{move || i18n.tr("核查:", "Checked: ")} {c.checked_on.to_string()}</span> })}
                </div>
                <div class="inline-form">
                    <Show when=move || matches!(state, VettingState::Pending | VettingState::Rejected)>
                        <label>{move || i18n.tr("背景核查日期(无不良记录)", "Background check date (clear)")}
                            <input class="check-date" type="date" prop:value=move || checked_on.get() on:input=move |e| checked_on.set(event_target_value(&e))/></label>
                        <button class="primary vet-approve" on:click={let d = d1.clone(); move |_| d(VettingDecision::Approve)}>{move || i18n.tr("核查通过", "Approve")}</button>
                    </Show>
                    <input type="text" maxlength="200" placeholder=move || i18n.tr("原因", "Reason") prop:value=move || reason.get() on:input=move |e| reason.set(event_target_value(&e))/>
                    <Show when=move || state == VettingState::Pending>
                        <button class="danger" on:click={let d = d2.clone(); move |_| d(VettingDecision::Reject)}>{move || i18n.tr("不通过", "Reject")}</button>
                    </Show>
                    <Show when=move || state == VettingState::Approved>
                        <button class="danger" on:click={let d = d3.clone(); move |_| d(VettingDecision::Suspend)}>{move || i18n.tr("暂停资格", "Suspend")}</button>
                    </Show>
                    <Show when=move || state == VettingState::Suspended>
                        <button on:click={let d = d4.clone(); move |_| d(VettingDecision::Reinstate)}>{move || i18n.tr("恢复资格", "Reinstate")}</button>
                    </Show>
                </div>
                <ErrorBanner error=error/>
            </div>
        </li>
    }
}
