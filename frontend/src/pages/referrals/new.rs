//! `/referrals/new?child=ID&source=visit|case_group|concern|crisis|direct[&source_id=ID]`:
//! raising a referral in one step, prefilled with the child and where the problem was found.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::referrals::{
    limits, RaiseReferral, ReferralCategory, ReferralSource, SourceKind, Urgency,
};
use shared::{FieldError, Lang, Role, Text};

use super::{can_raise, village_text};
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::form::{Choice, RadioGroup, SelectField, SubmitBar, TextArea};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::session::use_session;

fn category_choices() -> Vec<Choice> {
    ReferralCategory::ALL
        .iter()
        .map(|category| Choice::new(category.as_str(), category.label().zh, category.label().en))
        .collect()
}

fn urgency_choices() -> Vec<Choice> {
    Urgency::ALL
        .iter()
        .map(|urgency| Choice::new(urgency.as_str(), urgency.label().zh, urgency.label().en))
        .collect()
}

/// Where a source links back to, for a reader who may open it.
pub(crate) fn source_href(
    source: &ReferralSource,
    child_id: &str,
    role: Option<Role>,
) -> Option<String> {
    let id = source.id.as_deref().filter(|id| !id.is_empty());
    match (source.kind, role) {
        (SourceKind::Visit, Some(Role::Admin | Role::Director)) => {
            id.map(|id| format!("/visits/{id}"))
        }
        (
            SourceKind::Crisis | SourceKind::CaseGroup,
            Some(Role::Admin | Role::Director | Role::Teacher | Role::Counsellor),
        ) => Some(format!("/cases/{child_id}")),
        (SourceKind::Concern, Some(Role::Admin)) => id.map(|id| format!("/pairings/{id}")),
        _ => None,
    }
}

#[component]
pub fn NewReferralPage() -> impl IntoView {
    let i18n = use_i18n();
    let role = use_session().me().map(|me| me.role);
    let query = use_query_map().get_untracked();
    let child_id = query.get("child").unwrap_or_default();
    let source = query
        .get("source")
        .and_then(|kind| SourceKind::parse(&kind));
    let source_id = query.get("source_id").filter(|id| !id.is_empty());
    let body = match (role, source) {
        (Some(role), _) if !can_raise(role) => view! {
            <div class="error" role="alert">{move || i18n.tr(
                "您的角色不能提出转介。如发现问题,请联系儿童主任或区未保办。",
                "Your role cannot raise referrals. If you found a problem, tell the children's director or the district office.")}</div>
        }
        .into_any(),
        (_, Some(kind)) if !child_id.is_empty() => {
            let source = ReferralSource { kind, id: source_id };
            view! { <RaiseForm child_id=child_id source=source role=role/> }.into_any()
        }
        _ => view! {
            <div class="notice" role="alert">
                <p>{move || i18n.tr(
                    "请从儿童档案、走访记录、个案页面或危机预警上点“提出转介”,儿童和来源会自动填好。",
                    "Start from a child's record, a visit, a case or a crisis flag with “Refer to the office”: the child and the source are filled in for you.")}</p>
                <p><a href="/referrals">{move || i18n.tr("返回转介列表", "Back to the referrals")}</a></p>
            </div>
        }
        .into_any(),
    };
    view! {
        <section class="card" id="referral-new">
            <h1 id="referral-new-title">{move || i18n.tr("提出转介", "Refer a problem to the office")}</h1>
            <p class="muted">{move || i18n.tr(
                "转介会送到区未保办(未成年人保护工作办公室),由未保办直接答复或交给成员单位(公安、民政、教育等)办理。每一步都会通知您。",
                "The referral goes to the district minor-protection office, which answers it or sends it to a member unit (police, civil affairs, education …). You are told at every step.")}</p>
            {body}
        </section>
    }
}

/// The child the referral is about, by name (the child's record for the registry's keepers,
/// the case for a group's members).
#[component]
fn ChildLine(child_id: String, role: Option<Role>) -> impl IntoView {
    let i18n = use_i18n();
    let found = LocalResource::new(move || {
        let child_id = child_id.clone();
        async move {
            match role {
                Some(Role::Admin | Role::Director) => {
                    crate::api::child(&child_id).await.map(|record| {
                        (
                            record.child.name,
                            village_text(&record.child.residence_village),
                        )
                    })
                }
                _ => crate::api::case_view(&child_id)
                    .await
                    .map(|case| (case.student.name, case.student.school)),
            }
        }
    });
    move || match found.get() {
        None => ().into_any(),
        Some(Ok((name, place))) => view! {
            <p id="referral-new-child">
                {move || i18n.tr("儿童:", "Child: ")} <strong>{name.clone()}</strong>
                " " <span class="muted">{place.clone()}</span>
            </p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <div class="error" role="alert">{move || error.message(i18n.lang.get())}</div>
        }
        .into_any(),
    }
}

fn missing(field: &str, zh: &'static str, en: &'static str) -> FieldError {
    FieldError::new(field, Text::new(zh, en))
}

#[component]
fn RaiseForm(child_id: String, source: ReferralSource, role: Option<Role>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let errors = FormErrors::new().provide();
    let category = RwSignal::new(String::new());
    let urgency = RwSignal::new(String::new());
    let found = RwSignal::new(String::new());
    let asked = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let units = LocalResource::new(crate::api::referral_units);
    let kind = source.kind;
    let back = source_href(&source, &child_id, role);
    let request = StoredValue::new((child_id.clone(), source));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen_category = ReferralCategory::parse(&category.get_untracked());
        let chosen_urgency = Urgency::parse(&urgency.get_untracked());
        let mut problems = Vec::new();
        if chosen_category.is_none() {
            problems.push(missing(
                "category",
                "请选择问题类别",
                "Choose the kind of problem",
            ));
        }
        if chosen_urgency.is_none() {
            problems.push(missing(
                "urgency",
                "请选择紧急程度",
                "Choose how urgent it is",
            ));
        }
        let (child_id, source) = request.get_value();
        let raise = RaiseReferral {
            child_id,
            source,
            category: chosen_category.unwrap_or(ReferralCategory::Other),
            urgency: chosen_urgency.unwrap_or(Urgency::Normal),
            found: found.get_untracked(),
            asked: asked.get_untracked(),
        };
        if raise.found.trim().is_empty() {
            problems.push(missing("found", "请写明发现的情况", "Say what was found"));
        }
        if raise.asked.trim().is_empty() {
            problems.push(missing(
                "asked",
                "请写明希望解决的问题",
                "Say what is asked for",
            ));
        }
        let checked = raise.validate();
        if let Err(found_problems) = &checked {
            for problem in found_problems {
                if !problems.iter().any(|known| known.field == problem.field) {
                    problems.push(problem.clone());
                }
            }
        }
        let raise = match checked {
            Ok(raise) if problems.is_empty() => raise,
            _ => return errors.show_fields(problems),
        };
        errors.clear();
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = crate::api::raise_referral(&raise).await;
            busy.set(false);
            match result {
                Ok(referral) => {
                    let by_zh = shared::time::format_date(referral.triage_by, Lang::Zh);
                    let by_en = shared::time::format_date(referral.triage_by, Lang::En);
                    toasts.success(
                        format!("已提交转介,区未保办将于{by_zh}前处理"),
                        format!("Referral sent: the district office will deal with it by {by_en}"),
                    );
                    navigate(&format!("/referrals/{}", referral.id), Default::default());
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    let days = move || {
        units.get().and_then(Result::ok).map(|units| match i18n.lang.get() {
            Lang::Zh => format!(
                "未保办对紧急事项在 {} 个工作日内、一般事项在 {} 个工作日内答复。",
                units.urgent_response_days, units.normal_response_days
            ),
            Lang::En => format!(
                "The office answers urgent referrals within {} working day(s), normal ones within {}.",
                units.urgent_response_days, units.normal_response_days
            ),
        })
    };
    view! {
        <ChildLine child_id=child_id role=role/>
        <p id="referral-new-source">
            {move || i18n.tr("来源:", "Source: ")}
            {match back {
                Some(href) => view! { <a href=href>{move || kind.label().get(i18n.lang.get())}</a> }.into_any(),
                None => view! { <span>{move || kind.label().get(i18n.lang.get())}</span> }.into_any(),
            }}
        </p>
        <form id="referral-form" novalidate on:submit=submit>
            <ErrorSummary errors=errors/>
            <SelectField id="referral-category" field="category" label_zh="问题类别" label_en="Kind of problem"
                options=category_choices() value=category/>
            <RadioGroup id="referral-urgency" field="urgency" legend_zh="紧急程度" legend_en="How urgent"
                hint_zh="紧急:儿童的安全或健康正受到威胁,需要马上处理。"
                hint_en="Urgent: the child's safety or health is at risk now and needs action at once."
                options=urgency_choices() value=urgency inline=true/>
            {move || days().map(|text| view! { <p class="hint" id="referral-days">{text}</p> })}
            <TextArea id="referral-found" field="found" label_zh="发现的情况" label_en="What was found"
                hint_zh="写清发生了什么、何时发现、儿童现在的情况。"
                hint_en="Say what happened, when it was found and how the child is now."
                value=found max=limits::TEXT_MAX rows=5/>
            <TextArea id="referral-asked" field="asked" label_zh="希望解决的问题" label_en="What is asked for"
                hint_zh="写明需要未保办或成员单位做什么。"
                hint_en="Say what the office or a member unit should do."
                value=asked max=limits::TEXT_MAX rows=4/>
            <SubmitBar id="referral-submit" label_zh="提交转介" label_en="Send the referral"
                busy=Signal::derive(move || busy.get())>
                <a class="button" href="/referrals">{move || i18n.tr("取消", "Cancel")}</a>
            </SubmitBar>
        </form>
    }
}
