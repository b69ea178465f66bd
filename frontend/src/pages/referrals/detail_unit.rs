//! An officer, for their unit's part of a referral: take it or return it to the office; once
//! they took it, post progress and resolve it.

use leptos::prelude::*;
use shared::referrals::{limits, PartState, Referral, UnitAction};
use shared::Lang;

use super::detail::Reader;
use super::detail_actions::{said, Ctx, NoteForm};
use crate::api::ApiError;
use crate::components::confirm::ConfirmAction;
use crate::components::errors::FormErrors;
use crate::components::feedback::ErrorBanner;
use crate::i18n::use_i18n;

/// An officer, for their unit's part: take or return it; once they took it, progress and the
/// outcome.
#[component]
pub(super) fn UnitActions(ctx: Ctx, referral: Referral, reader: Reader) -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<ApiError>);
    let Some(part) = referral
        .parts
        .iter()
        .find(|part| Some(&part.unit) == reader.unit.as_ref())
        .cloned()
    else {
        return ().into_any();
    };
    let mine = part.officer_id.as_deref() == Some(reader.id.as_str());
    let take = move |_| {
        set_error.set(None);
        let (id, version) = ctx.read();
        ctx.send(
            async move { crate::api::unit_action(&id, &UnitAction::Take { version }).await },
            said("已接收,请按期限办理", "Taken: it is yours to handle"),
            move |failure| set_error.set(Some(failure)),
        );
    };
    let give_back = Callback::new(move |(_, reason): (String, String)| {
        set_error.set(None);
        let (id, version) = ctx.read();
        ctx.send(
            async move { crate::api::unit_action(&id, &UnitAction::Return { version, reason }).await },
            said("已退回未保办", "Returned to the office"),
            move |failure| set_error.set(Some(failure)),
        );
    });
    let update = Callback::new(move |(text, errors): (String, FormErrors)| {
        let (id, version) = ctx.read();
        ctx.send(
            async move { crate::api::unit_action(&id, &UnitAction::Update { version, text }).await },
            said("已登记进展", "Progress recorded"),
            move |failure| errors.show_api(&failure),
        );
    });
    let resolve = Callback::new(move |(outcome, errors): (String, FormErrors)| {
        let (id, version) = ctx.read();
        ctx.send(
            async move { crate::api::unit_action(&id, &UnitAction::Resolve { version, outcome }).await },
            said("已办结,等待未保办确认", "Resolved: the office will confirm it"),
            move |failure| errors.show_api(&failure),
        );
    });
    let return_action = move || {
        view! {
            <ConfirmAction id="return-referral" label_zh="退回未保办" label_en="Return to the office"
                question_zh="确定把这条转介退回未保办吗?未保办会重新处理。"
                question_en="Return this referral to the office? The office will deal with it again."
                note_zh="退回原因" note_en="Why it is returned" note_required=true
                note_max=limits::REASON_MAX busy=ctx.busy on_confirm=give_back/>
        }
    };
    let (respond_by, officer) = (
        part.respond_by,
        part.officer_name.clone().unwrap_or_default(),
    );
    let body = match part.state {
        PartState::Waiting => view! {
            <p>{move || match i18n.lang.get() {
                Lang::Zh => format!("请在 {} 前接收或退回。", shared::time::format_date(respond_by, Lang::Zh)),
                Lang::En => format!("Take it or return it by {}.", shared::time::format_date(respond_by, Lang::En)),
            }}</p>
            <p class="row-actions">
                <button type="button" id="take-referral" class="primary" disabled=move || ctx.busy.get() on:click=take>
                    {move || i18n.tr("接收并办理", "Take it")}
                </button>
            </p>
            {return_action()}
        }
        .into_any(),
        PartState::Accepted if mine => view! {
            <NoteForm ctx=ctx form_id="update-form" field_id="update-text" field="text"
                label_zh="办理进展" label_en="Progress"
                hint_zh="上报人和未保办都能看到。" hint_en="The reporter and the office see it."
                missing_zh="请写明办理进展" missing_en="Write the progress"
                submit_id="update-submit" submit_zh="登记进展" submit_en="Record progress" on_send=update/>
            <NoteForm ctx=ctx form_id="resolve-form" field_id="resolve-outcome" field="outcome"
                label_zh="办理结果" label_en="What was done"
                hint_zh="写明做了什么、儿童现在的情况。办结后由未保办确认。"
                hint_en="Say what was done and how the child is now. The office then confirms it."
                missing_zh="请写明办理结果" missing_en="Say what was done"
                submit_id="resolve-submit" submit_zh="办结" submit_en="Resolve" on_send=resolve/>
            {return_action()}
        }
        .into_any(),
        PartState::Accepted => view! {
            <p class="notice" id="taken-by">{move || match i18n.lang.get() {
                Lang::Zh => format!("本单位的{officer}正在办理。"),
                Lang::En => format!("{officer} of your unit is handling it."),
            }}</p>
        }
        .into_any(),
        PartState::Returned => view! {
            <p class="notice">{move || i18n.tr("本单位已退回未保办。", "Your unit returned it to the office.")}</p>
        }
        .into_any(),
        PartState::Resolved => view! {
            <p class="notice">{move || i18n.tr("本单位已办结,等待未保办确认。", "Your unit resolved it; the office will confirm.")}</p>
        }
        .into_any(),
    };
    view! {
        <section class="actions" id="unit-actions" aria-labelledby="unit-actions-title">
            <h2 id="unit-actions-title">{move || i18n.tr("本单位办理", "My unit's part")}</h2>
            {body}
            <ErrorBanner error=error/>
        </section>
    }
    .into_any()
}
