//! The top of the visit register: the child visited (from the list kept on the phone) and,
//! for a correction, the visit it corrects.

use leptos::prelude::*;
use shared::visits::DueVisit;
use shared::Lang;

use super::drafts;
use crate::api::ApiError;
use crate::i18n::use_i18n;

/// The child from the list on the phone; the list is fetched (and kept) when the phone has
/// none or it does not name this child.
pub async fn find_child(user_id: String, child_id: String) -> Result<Option<DueVisit>, ApiError> {
    if let Some(child) = drafts::cached_child(&user_id, &child_id) {
        return Ok(Some(child));
    }
    let plan = crate::api::visit_plan(None).await?;
    drafts::save_plan(&user_id, &plan);
    Ok(plan
        .children
        .into_iter()
        .find(|child| child.child_id == child_id))
}

/// The child visited, from the list on the phone.
#[component]
pub fn ChildFacts(child: DueVisit) -> impl IntoView {
    let i18n = use_i18n();
    let village = shared::divisions::village_name(&child.village_code).unwrap_or_default();
    let level = child.care_level;
    let last = child.last_visit;
    view! {
        <dl class="facts" id="visit-child" data-child=child.child_id.clone()>
            <dt>{move || i18n.tr("儿童", "Child")}</dt><dd><strong>{child.child_name.clone()}</strong></dd>
            <dt>{move || i18n.tr("村(社区)", "Village")}</dt><dd>{village}</dd>
            <dt>{move || i18n.tr("关爱等级", "Care level")}</dt>
            <dd><span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span></dd>
            <dt>{move || i18n.tr("监护人", "Guardian")}</dt><dd>{child.guardian.clone()}</dd>
            <dt>{move || i18n.tr("住址", "Address")}</dt><dd>{child.address.clone()}</dd>
            <dt>{move || i18n.tr("上次走访", "Last visit")}</dt>
            <dd>{move || match last {
                Some(day) => shared::time::format_date(day, i18n.lang.get()),
                None => i18n.tr("尚未走访", "Not visited yet").to_string(),
            }}</dd>
        </dl>
    }
}

/// "更正 2026年11月29日 的走访": the visit this entry corrects (visits are never edited).
#[component]
pub fn CorrectsNotice(user_id: String, visit_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let kept = drafts::draft(&user_id, &visit_id)
        .and_then(|draft| draft.input.map(|input| input.visited_at));
    let visited = LocalResource::new(move || {
        let visit_id = visit_id.clone();
        async move {
            match kept {
                Some(at) => Some(at),
                None => crate::api::visit(&visit_id)
                    .await
                    .ok()
                    .map(|record| record.visit.visited_at),
            }
        }
    });
    view! {
        <p class="notice" id="corrects-notice">
            {move || {
                let lang = i18n.lang.get();
                let day = visited.get().flatten().map(|at| shared::time::format_date(shared::time::beijing_date(at), lang));
                match (lang, day) {
                    (Lang::Zh, Some(day)) => format!("更正{day}的走访。原记录保留不变,这次登记作为更正。"),
                    (Lang::En, Some(day)) => format!("Correcting the visit of {day}. The original stays as it was; this entry corrects it."),
                    (Lang::Zh, None) => "更正之前的一次走访。原记录保留不变,这次登记作为更正。".to_string(),
                    (Lang::En, None) => "Correcting an earlier visit. The original stays as it was; this entry corrects it.".to_string(),
                }
            }}
        </p>
    }
}
