//! What the office may do with a referral: triage it (assign, answer, decline) and review it
//! once resolved (confirm, reopen); the officer's actions are in `detail_unit`. Each action
//! sends the version shown; the answer replaces the referral on screen.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::referrals::{limits, OfficeReview, Referral, ReferralState, Triage};
use shared::{ErrorCode, FieldError, Text};

use super::detail_assign::AssignForm;
use crate::api::{ApiError, ApiResult};
use crate::components::confirm::ConfirmAction;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::ErrorBanner;
use crate::components::form::{SubmitBar, TextArea};
use crate::components::toast::Toasts;
use crate::i18n::use_i18n;

/// The referral on screen and what acting on it needs.
#[derive(Clone, Copy)]
pub(super) struct Ctx {
    pub referral: RwSignal<Option<Referral>>,
    /// A colleague acted first (409): said at the top until the next action.
    pub conflict: RwSignal<bool>,
    pub busy: RwSignal<bool>,
    pub toasts: Toasts,
}

impl Ctx {
    /// The id and version of the referral shown.
    pub fn read(&self) -> (String, u64) {
        self.referral.with_untracked(|referral| {
            referral
                .as_ref()
                .map(|referral| (referral.id.clone(), referral.version))
                .unwrap_or_default()
        })
    }

    /// Sends one action. Its answer replaces the referral shown, with a toast; when a colleague
    /// acted first (409) the referral is read again and the page says so; any other failure
    /// goes to `on_error`.
    pub fn send<Fut>(
        self,
        request: Fut,
        done: (String, String),
        on_error: impl FnOnce(ApiError) + 'static,
    ) where
        Fut: Future<Output = ApiResult<Referral>> + 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        let (id, _) = self.read();
        self.busy.set(true);
        self.conflict.set(false);
        spawn_local(async move {
            let result = request.await;
            self.busy.set(false);
            match result {
                Ok(referral) => {
                    self.referral.set(Some(referral));
                    self.toasts.success(done.0, done.1);
                }
                Err(ApiError::Api(body)) if body.code == ErrorCode::Conflict => {
                    match crate::api::referral(&id).await {
                        Ok(latest) => {
                            self.referral.set(Some(latest));
                            self.conflict.set(true);
                        }
                        Err(failure) => on_error(failure),
                    }
                }
                Err(failure) => on_error(failure),
            }
        });
    }
}

pub(super) fn said(zh: &str, en: &str) -> (String, String) {
    (zh.to_string(), en.to_string())
}

/// One text and a button: answering, progress, the outcome, the closing note.
#[component]
pub(super) fn NoteForm(
    ctx: Ctx,
    form_id: &'static str,
    field_id: &'static str,
    field: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    hint_zh: &'static str,
    hint_en: &'static str,
    #[prop(default = true)] required: bool,
    missing_zh: &'static str,
    missing_en: &'static str,
    submit_id: &'static str,
    submit_zh: &'static str,
    submit_en: &'static str,
    on_send: Callback<(String, FormErrors)>,
) -> impl IntoView {
    let errors = FormErrors::new().provide();
    let text = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if ctx.busy.get_untracked() {
            return;
        }
        let written = text.get_untracked().trim().to_string();
        if required && written.is_empty() {
            return errors.show_fields(vec![FieldError::new(
                field,
                Text::new(missing_zh, missing_en),
            )]);
        }
        errors.clear();
        on_send.run((written, errors));
    };
    view! {
        <form id=form_id class="subform" novalidate on:submit=submit>
            <ErrorSummary errors=errors/>
            <TextArea id=field_id field=field label_zh=label_zh label_en=label_en value=text
                max=limits::TEXT_MAX rows=3 hint_zh=hint_zh hint_en=hint_en required=required/>
            <SubmitBar id=submit_id label_zh=submit_zh label_en=submit_en
                busy=Signal::derive(move || ctx.busy.get())/>
        </form>
    }
}

/// The office: triage while submitted, review once the units have resolved it.
#[component]
pub(super) fn OfficeActions(ctx: Ctx, referral: Referral) -> impl IntoView {
    match referral.state {
        ReferralState::Submitted => view! { <Triaging ctx=ctx referral=referral/> }.into_any(),
        ReferralState::Resolved => view! { <Reviewing ctx=ctx/> }.into_any(),
        _ => ().into_any(),
    }
}

#[component]
fn Triaging(ctx: Ctx, referral: Referral) -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<ApiError>);
    let answer = Callback::new(move |(text, errors): (String, FormErrors)| {
        let (id, version) = ctx.read();
        ctx.send(
            async move { crate::api::triage_referral(&id, &Triage::Answer { version, text }).await },
            said("已答复并关闭转介,上报人会收到答复", "Answered and closed: the reporter is told"),
            move |failure| errors.show_api(&failure),
        );
    });
    let decline = Callback::new(move |(_, reason): (String, String)| {
        set_error.set(None);
        let (id, version) = ctx.read();
        ctx.send(
            async move { crate::api::triage_referral(&id, &Triage::Decline { version, reason }).await },
            said("已不予受理,上报人会收到原因", "Declined: the reporter is told why"),
            move |failure| set_error.set(Some(failure)),
        );
    });
    view! {
        <section class="actions" id="triage" aria-labelledby="triage-title">
            <h2 id="triage-title">{move || i18n.tr("未保办处理", "The office's answer")}</h2>
            <p class="muted">{move || i18n.tr(
                "交给一个或几个成员单位办理(每个单位写明交办事项),或由未保办直接答复,或说明不予受理的原因。",
                "Send it to one or more member units (each with its own task), answer it yourselves, or decline it with a reason.")}</p>
            <AssignForm ctx=ctx urgency=referral.urgency/>
            <h3>{move || i18n.tr("直接答复", "Answer it yourselves")}</h3>
            <NoteForm ctx=ctx form_id="answer-form" field_id="answer-text" field="text"
                label_zh="答复内容" label_en="Your answer"
                hint_zh="答复会发给上报人,转介随即关闭。" hint_en="The reporter receives the answer and the referral closes."
                missing_zh="请写明答复内容" missing_en="Write the answer"
                submit_id="answer-submit" submit_zh="答复并关闭" submit_en="Answer and close" on_send=answer/>
            <h3>{move || i18n.tr("不予受理", "Decline")}</h3>
            <ConfirmAction id="decline-referral" label_zh="不予受理" label_en="Decline"
                question_zh="确定不受理这条转介吗?原因会发给上报人。"
                question_en="Decline this referral? The reporter receives the reason."
                note_zh="不予受理的原因" note_en="Reason for declining" note_required=true
                note_max=limits::REASON_MAX busy=ctx.busy on_confirm=decline/>
            <ErrorBanner error=error/>
        </section>
    }
}

#[component]
fn Reviewing(ctx: Ctx) -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<ApiError>);
    let confirm = Callback::new(move |(note, errors): (String, FormErrors)| {
        let (id, version) = ctx.read();
        ctx.send(
            async move {
                crate::api::review_referral(&id, &OfficeReview::Confirm { version, note }).await
            },
            said(
                "已确认关闭,上报人会收到处理结果",
                "Closed: the reporter receives the outcome",
            ),
            move |failure| errors.show_api(&failure),
        );
    });
    let reopen = Callback::new(move |(_, reason): (String, String)| {
        set_error.set(None);
        let (id, version) = ctx.read();
        ctx.send(
            async move {
                crate::api::review_referral(&id, &OfficeReview::Reopen { version, reason }).await
            },
            said(
                "已重新打开,成员单位会收到通知",
                "Reopened: the member units are told",
            ),
            move |failure| set_error.set(Some(failure)),
        );
    });
    view! {
        <section class="actions" id="review" aria-labelledby="review-title">
            <h2 id="review-title">{move || i18n.tr("确认办结", "Confirm the outcome")}</h2>
            <p class="muted">{move || i18n.tr(
                "成员单位已办结。看过办理结果后确认关闭,或说明原因重新打开。",
                "The member units have resolved it. Read what they did, then close it, or reopen it saying why.")}</p>
            <NoteForm ctx=ctx form_id="close-form" field_id="close-note" field="note"
                label_zh="关闭说明" label_en="Closing note" required=false
                hint_zh="会和办理结果一起发给上报人。" hint_en="The reporter receives it with the outcome."
                missing_zh="请写明关闭说明" missing_en="Write a closing note"
                submit_id="confirm-close" submit_zh="确认关闭" submit_en="Close the referral" on_send=confirm/>
            <ConfirmAction id="reopen-referral" label_zh="重新打开" label_en="Reopen"
                question_zh="确定重新打开这条转介吗?已办结的成员单位需要继续办理。"
                question_en="Reopen this referral? The units that resolved it carry on with it."
                note_zh="重新打开的原因" note_en="Why it is reopened" note_required=true
                note_max=limits::REASON_MAX busy=ctx.busy on_confirm=reopen/>
            <ErrorBanner error=error/>
        </section>
    }
}
