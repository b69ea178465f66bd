//! `/visits/:id`: one stored visit, read-only (visits are never edited: a correction is a new
//! entry that names this one). Every read is in the audit log.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::referrals::SourceKind;
use shared::visits::{VisitInput, VisitRecord};
use shared::{Lang, Text};

use crate::components::feedback::Loading;
use crate::i18n::use_i18n;
use crate::pages::referrals::RaiseLink;

#[component]
pub fn VisitRecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let record = LocalResource::new(move || {
        let id = params.get().get("id").unwrap_or_default();
        async move { crate::api::visit(&id).await }
    });
    move || match record.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => view! {
            <section class="card">
                <div class="error" role="alert">{error.message(i18n.lang.get())}</div>
            </section>
        }
        .into_any(),
        Some(Ok(record)) => view! { <VisitView record=record/> }.into_any(),
    }
}

/// Labels joined with "、" / ", ", or "—" when there are none.
fn joined(labels: Vec<Text>, lang: Lang) -> String {
    if labels.is_empty() {
        return "—".to_string();
    }
    let separator = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    labels
        .into_iter()
        .map(|text| text.get(lang))
        .collect::<Vec<_>>()
        .join(separator)
}

fn or_dash(text: &str) -> String {
    if text.trim().is_empty() {
        "—".to_string()
    } else {
        text.to_string()
    }
}

fn entrusted_text(visit: &VisitInput) -> Text {
    match (visit.entrusted_guardian, visit.entrusted_guardian_capable) {
        (false, _) => Text::new("没有", "None"),
        (true, Some(true)) => Text::new("有,有能力照料", "Yes, able to care for the child"),
        (true, Some(false)) => Text::new("有,没有能力照料", "Yes, not able to care for the child"),
        (true, None) => Text::new("有", "Yes"),
    }
}

fn concerns(visit: &VisitInput) -> Vec<Text> {
    [
        (
            visit.unsafe_at_home,
            Text::new("家中存在安全隐患", "The home is not safe"),
        ),
        (
            visit.device_overuse,
            Text::new(
                "沉迷手机或网络",
                "Too much time on the phone or the internet",
            ),
        ),
        (
            visit.bullying_or_violence,
            Text::new("疑似遭受欺凌或暴力", "Bullying or violence suspected"),
        ),
    ]
    .into_iter()
    .filter_map(|(found, text)| found.then_some(text))
    .collect()
}

#[component]
fn VisitView(record: VisitRecord) -> impl IntoView {
    let i18n = use_i18n();
    let visit = record.visit.clone();
    let village = shared::divisions::village_name(&record.village_code).unwrap_or_default();
    let child_href = format!("/children/{}", visit.child_id);
    let correct_href = format!(
        "/visits/new?child={}&corrects={}",
        visit.child_id, record.id
    );
    let (visited_at, recorded_at) = (visit.visited_at, record.recorded_at);
    let (mode, guardianship, health, schooling, emotion) = (
        visit.mode,
        visit.guardianship,
        visit.health,
        visit.schooling,
        visit.emotion,
    );
    let met_with: Vec<Text> = visit.met_with.iter().map(|who| who.label()).collect();
    let assistance: Vec<Text> = visit.assistance.iter().map(|kind| kind.label()).collect();
    let found = concerns(&visit);
    let entrusted = entrusted_text(&visit);
    let follow_up_by = visit.follow_up_by;
    let proposed = visit.proposed_level;
    let health_note = visit.health_note.clone();
    let level_reason = visit.level_reason.clone();
    let raises_concern = visit.raises_concern();
    // A problem found on the visit goes to the district office in one step.
    let can_refer = crate::pages::referrals::signed_in_can_raise();
    let (refer_child, refer_visit) = (visit.child_id.clone(), record.id.clone());
    view! {
        <section class="card" id="visit-record" data-visit=record.id.clone()>
            <div class="card-head">
                <h1>{move || i18n.tr("走访记录", "Visit record")}</h1>
                <div class="row-actions">
                    <a id="correct-visit" class="button" href=correct_href>{move || i18n.tr("更正", "Correct")}</a>
                    {can_refer.then(|| view! {
                        <RaiseLink id="raise-referral" child_id=refer_child source=SourceKind::Visit source_id=refer_visit/>
                    })}
                </div>
            </div>
            <p class="hint">{move || i18n.tr(
                "走访记录提交后不能修改;发现错误时请登记一条更正。",
                "A visit record is never changed; if something is wrong, record a correction.")}</p>
            {visit.corrects.clone().map(|original| {
                let href = format!("/visits/{original}");
                view! {
                    <p class="notice" id="corrects-link">
                        {move || i18n.tr("这条记录更正了", "This record corrects ")}
                        <a href=href>{move || i18n.tr("之前的一次走访", "an earlier visit")}</a>
                        {move || i18n.tr("。", ".")}
                    </p>
                }
            })}
            {raises_concern.then(|| view! {
                <p class="error" id="visit-concern">{move || i18n.tr(
                    "这次走访发现需要区未保办关注的情况。",
                    "This visit found something the district office should look at.")}</p>
            })}
            <dl class="facts">
                <dt>{move || i18n.tr("儿童", "Child")}</dt>
                <dd><a href=child_href>{record.child_name.clone()}</a></dd>
                <dt>{move || i18n.tr("村(社区)", "Village")}</dt><dd>{village}</dd>
                <dt>{move || i18n.tr("走访时间", "When")}</dt>
                <dd>{move || shared::time::format_datetime(visited_at, i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("走访方式", "How")}</dt><dd>{move || mode.label().get(i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("见到了谁", "Whom the director met")}</dt>
                <dd>{move || joined(met_with.clone(), i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("实际监护情况", "How well the child is looked after")}</dt>
                <dd>
                    <strong>{move || guardianship.label().get(i18n.lang.get())}</strong>
                    <span class="hint" style="display:block">{move || guardianship.definition().get(i18n.lang.get())}</span>
                </dd>
                <dt>{move || i18n.tr("委托监护人", "Entrusted guardian")}</dt><dd>{move || entrusted.get(i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("健康状况", "Health")}</dt>
                <dd>{move || health.label().get(i18n.lang.get())} " " {health_note}</dd>
                <dt>{move || i18n.tr("上学情况", "Schooling")}</dt><dd>{move || schooling.label().get(i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("情绪状态", "Emotional state")}</dt><dd>{move || emotion.label().get(i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("关注事项", "Concerns")}</dt>
                <dd>{move || if found.is_empty() {
                    i18n.tr("未发现", "None found").to_string()
                } else {
                    joined(found.clone(), i18n.lang.get())
                }}</dd>
                <dt>{move || i18n.tr("家庭收入来源", "Family income")}</dt><dd>{or_dash(&visit.income_sources)}</dd>
                <dt>{move || i18n.tr("已获得的救助", "Assistance received")}</dt>
                <dd>{move || joined(assistance.clone(), i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("发现的问题", "Problems found")}</dt><dd class="description">{or_dash(&visit.problems_found)}</dd>
                <dt>{move || i18n.tr("儿童和家庭的需求", "Needs")}</dt><dd class="description">{or_dash(&visit.needs)}</dd>
                <dt>{move || i18n.tr("当场采取的措施", "Done on the spot")}</dt><dd class="description">{or_dash(&visit.action_taken)}</dd>
                <dt>{move || i18n.tr("需要跟进的事项", "Follow-up needed")}</dt><dd class="description">{or_dash(&visit.follow_up)}</dd>
                <dt>{move || i18n.tr("跟进日期", "Follow up by")}</dt>
                <dd>{move || follow_up_by.map(|day| shared::time::format_date(day, i18n.lang.get())).unwrap_or_else(|| "—".to_string())}</dd>
                <dt>{move || i18n.tr("关爱等级调整", "Care level change")}</dt>
                <dd>{move || match proposed {
                    Some(level) => format!("{} {}", level.label().get(i18n.lang.get()), level_reason),
                    None => i18n.tr("未调整", "No change").to_string(),
                }}</dd>
                <dt>{move || i18n.tr("登记人", "Recorded by")}</dt><dd>{record.director_name.clone()}</dd>
                <dt>{move || i18n.tr("登记时间", "Recorded at")}</dt>
                <dd>{move || shared::time::format_datetime(recorded_at, i18n.lang.get())}</dd>
            </dl>
        </section>
    }
}
