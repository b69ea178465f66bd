//! Crisis flags on a case: raising one tells people at once; only the district office closes
//! one, saying what was done. Everyone sees when a flag was raised and by whom.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cases::{limits, CaseView, Crisis, CrisisKind};
use shared::referrals::SourceKind;
use shared::{FieldError, Lang, Role, Text};

use super::interned;
use crate::api::ApiError;
use crate::components::confirm::ConfirmAction;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::{Empty, ErrorBanner};
use crate::components::form::{Choice, RadioGroup, TextArea};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::referrals::RaiseLink;
use crate::session::use_session;

/// "心理危机 — 王老师 · 2026年11月29日 14:05", at the top of the case while flags are open.
#[component]
pub fn CrisisAlert(open: Vec<Crisis>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error" role="alert" id="open-crisis">
            {open.into_iter().map(|c| {
                let (kind, at) = (c.kind, c.raised_at);
                view! { <p>
                    <strong>{move || kind.label().get(i18n.lang.get())}</strong> " — " {c.description.clone()}
                    <span class="muted">" (" {c.raised_by.clone()} " · " {move || shared::time::format_datetime(at, i18n.lang.get())} ")"</span>
                </p> }
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn Crises(case: CaseView, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let is_admin = use_session().me().is_some_and(|me| me.role == Role::Admin);
    let id = case.student.child_id.clone();
    let empty = case.crises.is_empty();
    view! {
        <section class="card">
            <h2>{move || i18n.tr("危机预警", "Crisis flags")}</h2>
            {empty.then(|| view! { <Empty zh="没有危机预警。" en="No crisis flags."/> })}
            <ul class="rows" id="crises">
                {case.crises.into_iter().map(|crisis| view! {
                    <CrisisCard child_id=id.clone() crisis=crisis is_admin=is_admin reload=reload/>
                }).collect_view()}
            </ul>
            <RaiseCrisis child_id=id reload=reload/>
        </section>
    }
}

#[component]
fn CrisisCard(
    child_id: String,
    crisis: Crisis,
    is_admin: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let (error, set_error) = signal(None::<ApiError>);
    let busy = RwSignal::new(false);
    let (kind, raised_at) = (crisis.kind, crisis.raised_at);
    let open = crisis.closed.is_none();
    let crisis_id = crisis.id.clone();
    // An open crisis can be referred to the office (a member unit may need to act).
    let can_refer = crate::pages::referrals::signed_in_can_raise();
    let (refer_child, refer_crisis) = (child_id.clone(), crisis.id.clone());
    let close = Callback::new(move |(_, note): (String, String)| {
        let (child, crisis_id) = (child_id.clone(), crisis_id.clone());
        set_error.set(None);
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::close_crisis(&child, &crisis_id, note).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success("危机预警已关闭", "The crisis flag is closed");
                    reload.update(|n| *n += 1)
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    });
    let raised = {
        let by = crisis.raised_by.clone();
        move || match i18n.lang.get() {
            Lang::Zh => format!(
                "{} 由{}发起",
                shared::time::format_datetime(raised_at, Lang::Zh),
                by
            ),
            Lang::En => format!(
                "Raised by {} on {}",
                by,
                shared::time::format_datetime(raised_at, Lang::En)
            ),
        }
    };
    view! {
        <li class=if open { "row crisis crisis-open" } else { "row crisis" }><div class="row-main">
            <strong>{move || kind.label().get(i18n.lang.get())}</strong>
            {open.then(|| view! { <span class="status level-urgent">{move || i18n.tr("未关闭", "Open")}</span> })}
            <div class="muted crisis-raised">{raised}</div>
            <p>{crisis.description.clone()}</p>
            {crisis.closed.clone().map(|c| {
                let at = c.at;
                view! { <p class="success">
                    {move || i18n.tr("已关闭:", "Closed: ")} {c.note.clone()}
                    <span class="muted">" (" {c.by.clone()} " · " {move || shared::time::format_datetime(at, i18n.lang.get())} ")"</span>
                </p> }
            })}
            {(open && is_admin).then(|| view! {
                <ConfirmAction id=interned(format!("close-crisis-{}", crisis.id))
                    label_zh="关闭预警" label_en="Close the flag"
                    question_zh="确定关闭这条危机预警吗?请写明已采取的处理措施。"
                    question_en="Close this crisis flag? Say what was done."
                    note_zh="处理情况" note_en="What was done" note_required=true
                    busy=busy on_confirm=close/>
            })}
            {(open && !is_admin).then(|| view! {
                <p class="notice crisis-waiting">{move || i18n.tr("已通知未保办,等待处理", "The office has been told and will handle it")}</p>
            })}
            {(open && can_refer).then(|| view! {
                <p class="row-actions">
                    <RaiseLink child_id=refer_child source=SourceKind::Crisis source_id=refer_crisis/>
                </p>
            })}
            <ErrorBanner error=error/>
        </div></li>
    }
}

fn kind_choices() -> Vec<Choice> {
    CrisisKind::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), k.label().zh, k.label().en))
        .collect()
}

#[component]
fn RaiseCrisis(child_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let kind = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let raise = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let chosen = CrisisKind::parse(&kind.get_untracked());
        let text = description.get_untracked();
        let mut missing = Vec::new();
        if chosen.is_none() {
            missing.push(FieldError::new(
                "kind",
                Text::new("请选择预警类型", "Choose the kind of crisis"),
            ));
        }
        if text.trim().is_empty() {
            missing.push(FieldError::new(
                "description",
                Text::new("请写明发生了什么", "Say what happened"),
            ));
        }
        let Some(chosen) = chosen.filter(|_| missing.is_empty()) else {
            return errors.show_fields(missing);
        };
        let id = child_id.clone();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::raise_crisis(&id, chosen, text).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(
                        "已发起危机预警,未保办已收到通知",
                        "Crisis flag raised: the district office has been told",
                    );
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <form id="raise-crisis" class="subform" novalidate on:submit=raise>
            <h3>{move || i18n.tr("发起危机预警", "Raise a crisis flag")}</h3>
            <ErrorSummary errors=errors/>
            <RadioGroup id="crisis-kind" field="kind" legend_zh="预警类型" legend_en="Kind of crisis"
                options=kind_choices() value=kind/>
            <TextArea id="crisis-description" field="description" label_zh="发生了什么" label_en="What happened"
                value=description max=limits::CRISIS_MAX rows=3/>
            <button id="raise-crisis-submit" type="submit" class="danger" disabled=move || busy.get()>
                {move || i18n.tr("发起危机预警(立即通知)", "Raise a crisis flag (tells people now)")}
            </button>
        </form>
    }
}
