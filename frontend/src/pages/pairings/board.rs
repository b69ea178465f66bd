//! Admins: the pairing board — children without a caring mother, proposals, active pairings,
//! overdue contact and flags — and the pair form with suggestions.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::pairings::{EndReason, Pairing, PairingState};

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;

#[component]
pub fn PairingBoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let board = LocalResource::new(move || {
        reload.track();
        crate::api::pairing_board()
    });
    let chosen = RwSignal::new(String::new());
    view! {
        <section class="card">
            <div class="card-head">
                <h1>{move || i18n.tr("结对看板", "Pairing board")}</h1>
                <a class="button" href="/volunteers">{move || i18n.tr("志愿者审核", "Volunteer vetting")}</a>
            </div>
            {move || match board.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(board)) => view! {
                    <h2>{move || i18n.tr("未结对儿童", "Children without a caring mother")} " (" {board.unpaired.len()} ")"</h2>
                    <div class="inline-form">
                        <select id="pair-child" on:change=move |e| chosen.set(event_target_value(&e))>
                            <option value="">{move || i18n.tr("选择儿童以查看推荐", "Choose a child to see suggestions")}</option>
                            {board.unpaired.iter().map(|c| view! { <option value=c.child_id.clone()>{c.name.clone()} " · " {shared::divisions::village_name(&c.village_code).unwrap_or_default()}</option> }).collect_view()}
                        </select>
                    </div>
                    {move || (!chosen.get().is_empty()).then(|| view! { <Suggestions child_id=chosen.get() reload=reload/> })}
                    <h2>{move || i18n.tr("有空余名额的志愿者", "Volunteers with room")} " (" {board.volunteers_with_capacity.len()} ")"</h2>
                    <ul class="rows">
                        {board.volunteers_with_capacity.iter().map(|v| view! {
                            <li class="row"><div class="row-main"><strong>{v.name.clone()}</strong>
                                <span class="muted">{format!(" {}/{} ", v.active_pairings, v.max_children)} {v.profile.interests.clone()} " " {v.profile.availability.clone()}</span></div></li>
                        }).collect_view()}
                    </ul>
                    <PairingList title_zh="拟结对(待确认)" title_en="Proposals" list=board.proposed reload=reload/>
                    <PairingList title_zh="关注:资格暂停" title_en="Flagged: volunteer suspended" list=board.flagged reload=reload/>
                    <PairingList title_zh="联系逾期" title_en="Contact overdue" list=board.overdue reload=reload/>
                    <PairingList title_zh="结对中" title_en="Active" list=board.active reload=reload/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Suggestions(child_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<ApiError>);
    let id = child_id.clone();
    let list = LocalResource::new(move || {
        let id = id.clone();
        async move { crate::api::suggestions(&id).await }
    });
    view! {
        <div class="subform" id="suggestions">
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty zh="没有可结对的志愿者(需审核通过且有空余名额)。" en="No approved volunteer with room for another child."/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows">
                        {list.into_iter().map(|s| {
                            let (child, volunteer) = (child_id.clone(), s.volunteer.user_id.clone());
                            let pair = move |_| {
                                let (child, volunteer) = (child.clone(), volunteer.clone());
                                spawn_local(async move {
                                    let result = match crate::api::propose_pairing(child, volunteer).await {
                                        Ok(p) => crate::api::pairing_action(&p.id, "activate").await,
                                        Err(e) => Err(e),
                                    };
                                    match result {
                                        Ok(_) => reload.update(|n| *n += 1),
                                        Err(failure) => set_error.set(Some(failure)),
                                    }
                                });
                            };
                            view! { <li class="row" data-volunteer=s.volunteer.name.clone()><div class="row-main">
                                <strong>{s.volunteer.name.clone()}</strong>
                                <ul class="reasons-ok">{s.why.iter().map(|w| { let w = w.clone(); view! { <li>{move || w.get(i18n.lang.get()).to_string()}</li> } }).collect_view()}</ul>
                            </div>
                            <button class="primary pair" on:click=pair>{move || i18n.tr("结对", "Pair")}</button></li> }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <ErrorBanner error=error/>
        </div>
    }
}

#[component]
fn PairingList(
    title_zh: &'static str,
    title_en: &'static str,
    list: Vec<Pairing>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    (!list.is_empty()).then(|| view! {
        <h2>{move || i18n.tr(title_zh, title_en)}</h2>
        <ul class="rows pairing-list">
            {list.into_iter().map(|p| {
                let href = format!("/pairings/{}", p.id);
                let state = p.state;
                let id = p.id.clone();
                let act = move |action: &'static str| {
                    let id = id.clone();
                    spawn_local(async move { if crate::api::pairing_action(&id, action).await.is_ok() { reload.update(|n| *n += 1) } });
                };
                let act2 = act.clone();
                view! { <li class="row"><div class="row-main">
                    <a href=href><strong>{p.child_name.clone()}</strong> " ↔ " {p.volunteer_name.clone()}</a>
                    <div class="row-meta">
                        <span class="status">{move || state.label().get(i18n.lang.get())}</span>
                        {p.last_contact.map(|d| view! { <span class="muted">{move || i18n.tr("最近联系:", "Last contact: ")} {move || shared::time::format_date(d, i18n.lang.get())}</span> })}
                        {p.flagged.clone().map(|f| view! { <span class="status level-urgent">{move || f.get(i18n.lang.get()).to_string()}</span> })}
                    </div>
                </div>
                {(state == PairingState::Proposed).then(|| view! {
                    <div class="row-actions">
                        <button class="primary" on:click=move |_| act("activate")>{move || i18n.tr("确认结对", "Activate")}</button>
                        <button on:click=move |_| act2("cancel")>{move || i18n.tr("撤销", "Cancel")}</button>
                    </div>
                })}
                </li> }
            }).collect_view()}
        </ul>
    })
}

/// One pairing: its history (who, when, why) and the contact log.
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
    let reason = RwSignal::new(EndReason::ChildLeftMonitoring);
    let note = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    view! {
        <section class="card" id="pairing">
            {move || match detail.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(detail)) => {
                    let p = detail.pairing.clone();
                    let state = p.state;
                    let id = p.id.clone();
                    let end = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let id = id.clone();
                        let (r, n) = (reason.get_untracked(), note.get_untracked());
                        spawn_local(async move {
                            match crate::api::end_pairing(&id, r, n).await {
                                Ok(_) => reload.update(|x| *x += 1),
                                Err(failure) => set_error.set(Some(failure)),
                            }
                        });
                    };
                    let proposed_at = p.proposed_at;
                    view! {
                        <h1>{p.child_name.clone()} " ↔ " {p.volunteer_name.clone()}</h1>
                        <p class="row-meta"><span class="status">{move || state.label().get(i18n.lang.get())}</span>
                            {detail.contact_overdue.then(|| view! { <span class="status status-pending">{move || i18n.tr("联系逾期", "Contact overdue")}</span> })}</p>
                        <dl class="facts">
                            <dt>{move || i18n.tr("提议", "Proposed")}</dt><dd>{p.proposed_by.clone()} " · " {move || shared::time::format_datetime(proposed_at, i18n.lang.get())}</dd>
                            {p.activated_at.map(|at| view! { <dt>{move || i18n.tr("开始", "Active since")}</dt><dd>{move || shared::time::format_datetime(at, i18n.lang.get())}</dd> })}
                            {p.ended.clone().map(|e| { let r = e.reason; view! { <dt>{move || i18n.tr("结束", "Ended")}</dt><dd>{move || r.label().get(i18n.lang.get())} " " {e.note.clone()} " · " {e.by.clone()}</dd> } })}
                        </dl>
                        <h2>{move || i18n.tr("联系记录", "Contacts")}</h2>
                        {detail.contacts.is_empty().then(|| view! { <Empty zh="还没有联系记录。" en="No contacts logged yet."/> })}
                        <ul class="rows" id="contacts">
                            {detail.contacts.into_iter().map(|c| { let (mode, day) = (c.mode, c.date); view! {
                                <li class="row"><div class="row-main">
                                    <strong>{move || mode.label().get(i18n.lang.get())}</strong> " " <span class="muted">{move || shared::time::format_date(day, i18n.lang.get())} " · " {c.minutes} {move || i18n.tr(" 分钟", " min")}</span>
                                    {c.concern.then(|| view! { <span class="status level-urgent">{move || i18n.tr("需关注", "Concern")}</span> })}
                                    <p>{c.summary.clone()}</p>
                                </div></li>
                            } }).collect_view()}
                        </ul>
                        {(state == PairingState::Active).then(|| view! {
                            <form class="subform" on:submit=end>
                                <select on:change=move |e| if let Some(r) = EndReason::parse(&event_target_value(&e)) { reason.set(r) }>
                                    {EndReason::ALL.iter().map(|r| view! { <option value=r.as_str()>{move || r.label().get(i18n.lang.get())}</option> }).collect_view()}
                                </select>
                                <input type="text" maxlength="200" placeholder=move || i18n.tr("说明", "Note") prop:value=move || note.get() on:input=move |e| note.set(event_target_value(&e))/>
                                <button type="submit" class="danger">{move || i18n.tr("结束结对", "End the pairing")}</button>
                            </form>
                        })}
                    }.into_any()
                }
            }}
            <ErrorBanner error=error/>
        </section>
    }
}
