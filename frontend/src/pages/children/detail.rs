//! One child's record. Every view is in the audit log.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::children::{ChildRecord, MonitoringStatus};
use shared::referrals::SourceKind;

use super::age;
use super::detail_national::{NationalFacts, ParentsFacts};
use super::exit::{open_crisis_children, ExitAction};
use super::form::today;
use crate::components::eligibility::EligibilityPanel;
use crate::components::feedback::Loading;
use crate::i18n::use_i18n;
use crate::pages::referrals::RaiseLink;

#[component]
pub fn ChildDetailPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let reload = RwSignal::new(0u32);
    let record = LocalResource::new(move || {
        reload.track();
        let id = params.get().get("id").unwrap_or_default();
        async move { crate::api::child(&id).await }
    });
    view! {
        {move || match record.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => view! { <section class="card"><div class="error" role="alert">{error.message(i18n.lang.get())}</div></section> }.into_any(),
            Some(Ok(record)) => view! { <ChildView record=record reload=reload/> }.into_any(),
        }}
    }
}

#[component]
fn ChildView(record: ChildRecord, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let child = record.child.clone();
    let eligibility = Signal::derive({
        let eligibility = record.eligibility.clone();
        move || Some(eligibility.clone())
    });
    let edit = format!("/children/{}/edit", record.id);
    let audit = format!("/audit?target=child:{}", record.id);
    let is_admin = crate::session::use_session()
        .me()
        .is_some_and(|me| me.role == shared::Role::Admin);
    let village = format!(
        "{} {}",
        shared::divisions::street_of_village(&child.residence_village)
            .map(|s| s.name)
            .unwrap_or_default(),
        shared::divisions::village_name(&child.residence_village).unwrap_or_default()
    );
    let registration = shared::divisions::county_full_name(&child.registration.county_code);
    let years = age(child.birth_date, today());
    let (gender, category, level, status) = (
        child.gender,
        child.category,
        child.care_level,
        record.status,
    );
    let birth = child.birth_date;
    let father = child.father.clone();
    let mother = child.mother.clone();
    let national = child.national.clone();
    let duplicates = record.duplicates.clone();
    let duplicate_elsewhere = record.duplicate_elsewhere;
    let history = record.care_level_history.clone();
    let exit = record.exit.clone();
    let updated = record.updated_at;
    let can_exit = is_admin && status == MonitoringStatus::Monitored;
    // Visits: admins and children's directors (the server checks the director's villages).
    let sees_visits = crate::session::use_session()
        .me()
        .is_some_and(|me| matches!(me.role, shared::Role::Admin | shared::Role::Director));
    let can_record_visit = status == MonitoringStatus::Monitored;
    // A problem the registry's keeper knows of goes straight to the district office.
    let can_refer = crate::pages::referrals::signed_in_can_raise();
    view! {
        <section class="card" id="child-detail">
            <div class="card-head">
                <h1>{child.name.clone()}</h1>
                <div class="row-actions">
                    {is_admin.then(|| view! { <a class="button" href=audit>{move || i18n.tr("访问记录", "Access log")}</a> })}
                    <a id="edit-child" class="button" href=edit>{move || i18n.tr("修改", "Edit")}</a>
                    {can_refer.then(|| view! {
                        <RaiseLink id="raise-referral" child_id=record.id.clone() source=SourceKind::Direct/>
                    })}
                </div>
            </div>
            {(!duplicates.is_empty()).then(|| view! {
                <div class="error" role="alert">
                    <strong>{move || i18n.tr("可能与以下档案重复:", "Possibly a duplicate of:")}</strong>
                    <ul>{duplicates.iter().map(|flag| {
                        let href = format!("/children/{}", flag.child_id);
                        let reason = flag.reason.clone();
                        view! { <li><a href=href>{flag.name.clone()}</a> " — " {move || reason.get(i18n.lang.get()).to_string()}</li> }
                    }).collect_view()}</ul>
                </div>
            })}
            {duplicate_elsewhere.then(|| view! {
                <div class="error" role="alert" id="duplicate-elsewhere">
                    {move || i18n.tr(
                        "其他村(社区)可能已有这名儿童的档案,已通知区未保办核实。",
                        "This child may already be registered elsewhere; the district office has been told and will check.")}
                </div>
            })}
            <dl class="facts">
                <dt>{move || i18n.tr("性别 / 年龄", "Gender / age")}</dt>
                <dd>{move || gender.label().get(i18n.lang.get())} " · " {years} {move || i18n.tr(" 周岁", " years")}</dd>
                <dt>{move || i18n.tr("出生日期", "Date of birth")}</dt>
                <dd>{move || shared::time::format_date(birth, i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("身份证号", "ID number")}</dt>
                <dd id="child-id-number">{child.id_number.clone().unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || i18n.tr("户籍", "Registration")}</dt><dd>{registration}</dd>
                <dt>{move || i18n.tr("常住地", "Residence")}</dt><dd>{village} " " {child.residence_detail.clone()}</dd>
                <dt>{move || i18n.tr("学校", "School")}</dt><dd>{child.school.clone()} " " {child.class_name.clone()}</dd>
                <dt>{move || i18n.tr("类别", "Category")}</dt><dd>{move || category.label().get(i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("关爱等级", "Care level")}</dt><dd>{move || level.label().get(i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("监测状态", "Monitoring")}</dt><dd>{move || status.label().get(i18n.lang.get())}</dd>
                <dt>{move || i18n.tr("监护人", "Guardians")}</dt>
                <dd>{child.guardians.iter().map(|g| format!("{}({}){}", g.name, g.relation, g.phone)).collect::<Vec<_>>().join(";")}</dd>
                <dt>{move || i18n.tr("兴趣爱好", "Interests")}</dt><dd>{child.interests.clone()}</dd>
            </dl>
            <ParentsFacts father=father mother=mother/>
            <NationalFacts details=national/>
            <p class="muted" id="child-updated">
                {move || i18n.tr("最后修改:", "Last changed: ")}
                {move || shared::time::format_datetime(updated, i18n.lang.get())}
            </p>
            {exit.map(|exit| {
                let on = exit.on;
                view! {
                    <p class="muted" id="child-exit">
                        {move || i18n.tr("已于 ", "Left monitoring on ")}
                        {move || shared::time::format_date(on, i18n.lang.get())}
                        {move || i18n.tr(" 退出监测:", ": ")}
                        {exit.reason.clone()} " (" {exit.by.clone()} ")"
                    </p>
                }
            })}
            {can_exit.then(|| view! { <ExitPanel child_id=record.id.clone() child_name=child.name.clone() reload=reload/> })}
            {sees_visits.then(|| view! { <VisitHistory child_id=record.id.clone() can_record=can_record_visit/> })}
            <h2>{move || i18n.tr("认定结果(保存时由系统判定)", "Eligibility (decided by the server on save)")}</h2>
            <EligibilityPanel result=eligibility/>
            {is_admin.then(|| view! { <PairingHistory child_id=record.id.clone()/> })}
            <h2>{move || i18n.tr("关爱等级记录", "Care level history")}</h2>
            <ul class="rows">
                {history.into_iter().rev().map(|change| {
                    let at = change.at;
                    view! {
                        <li class="row"><div class="row-main">
                            <strong>{move || change.level.label().get(i18n.lang.get())}</strong>
                            <div class="row-meta">
                                <span>{move || shared::time::format_datetime(at, i18n.lang.get())}</span>
                                <span>{change.by.clone()}</span>
                                <span class="muted">{change.reason.clone()}</span>
                            </div>
                        </div></li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Admins: take the child out of monitoring, warned when a crisis flag is still open.
#[component]
fn ExitPanel(child_id: String, child_name: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let crises = open_crisis_children();
    let open_crisis = Signal::derive({
        let child_id = child_id.clone();
        move || crises.get().is_some_and(|ids| ids.contains(&child_id))
    });
    view! {
        <h2>{move || i18n.tr("退出监测", "Leaving monitoring")}</h2>
        <Show when=move || open_crisis.get()>
            <div class="error" role="alert" id="open-crisis-warning">
                {move || i18n.tr("该儿童有未关闭的危机预警。", "This child has an open crisis flag.")}
            </div>
        </Show>
        <p class="muted">{move || i18n.tr(
            "年满 16 周岁或不再符合认定条件时,由管理员确认退出监测;档案保留。",
            "When the child turns 16 or no longer meets the definition, an administrator confirms the exit; the record is kept.")}</p>
        <ExitAction id="confirm-exit" child_id=child_id child_name=child_name open_crisis=open_crisis
            on_done=Callback::new(move |_| reload.update(|n| *n += 1))/>
    }
}

/// Every pairing the child has had (admins), newest first.
#[component]
fn PairingHistory(child_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let history = LocalResource::new(move || {
        let child_id = child_id.clone();
        async move { crate::api::child_pairings(&child_id).await }
    });
    view! {
        <h2>{move || i18n.tr("结对记录", "Pairings")}</h2>
        {move || history.get().and_then(Result::ok).map(|list| {
            if list.is_empty() {
                view! { <p class="muted">{move || i18n.tr("还没有结对。", "No pairing yet.")}</p> }.into_any()
            } else {
                view! {
                    <ul class="rows" id="pairing-history">
                        {list.into_iter().rev().map(|p| {
                            let state = p.state;
                            let href = format!("/pairings/{}", p.id);
                            view! { <li class="row"><div class="row-main">
                                <a href=href>{p.volunteer_name.clone()}</a> " "
                                <span class="status">{move || state.label().get(i18n.lang.get())}</span>
                                {p.ended.clone().map(|e| { let r = e.reason; view! { <span class="muted">" " {move || r.label().get(i18n.lang.get())} " " {e.note.clone()}</span> } })}
                            </div></li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        })}
    }
}

/// The child's visits (admins, the child's director), newest first, each linked to its record;
/// "登记走访" opens the visit form for this child.
#[component]
fn VisitHistory(child_id: String, can_record: bool) -> impl IntoView {
    let i18n = use_i18n();
    let new_visit = format!("/visits/new?child={child_id}");
    let visits = LocalResource::new(move || {
        let child_id = child_id.clone();
        async move { crate::api::child_visits(&child_id).await }
    });
    view! {
        <div class="card-head">
            <h2 id="child-visits-title">{move || i18n.tr("走访记录", "Visits")}</h2>
            {can_record.then(|| view! {
                <a id="record-visit" class="button primary" href=new_visit>{move || i18n.tr("登记走访", "Record a visit")}</a>
            })}
        </div>
        {move || match visits.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(error)) => view! {
                <div class="error" role="alert">{move || error.message(i18n.lang.get())}</div>
            }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <p class="muted" id="child-visits-empty">{move || i18n.tr("还没有走访记录。", "No visits recorded yet.")}</p>
            }.into_any(),
            Some(Ok(mut list)) => {
                list.sort_by_key(|visit| std::cmp::Reverse(visit.visit.visited_at));
                view! {
                    <ul class="rows" id="child-visits" aria-labelledby="child-visits-title">
                        {list.into_iter().map(|record| {
                            let href = format!("/visits/{}", record.id);
                            let at = record.visit.visited_at;
                            let mode = record.visit.mode;
                            let correction = record.visit.corrects.is_some();
                            let problems = record.visit.problems_found.clone();
                            view! {
                                <li class="row" data-visit=record.id.clone()>
                                    <div class="row-main">
                                        <a href=href>{move || shared::time::format_datetime(at, i18n.lang.get())}</a>
                                        <div class="row-meta">
                                            <span class="badge">{move || mode.label().get(i18n.lang.get())}</span>
                                            <span>{record.director_name.clone()}</span>
                                            {correction.then(|| view! {
                                                <span class="status status-pending">{move || i18n.tr("更正记录", "Correction")}</span>
                                            })}
                                        </div>
                                        {if problems.trim().is_empty() {
                                            view! { <p class="muted">{move || i18n.tr("未记录发现的问题。", "No problems noted.")}</p> }.into_any()
                                        } else {
                                            view! {
                                                <p class="visit-problems">
                                                    <strong>{move || i18n.tr("发现的问题:", "Problems found: ")}</strong>
                                                    {problems}
                                                </p>
                                            }.into_any()
                                        }}
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
    }
}
