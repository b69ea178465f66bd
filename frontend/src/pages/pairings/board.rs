//! Admins: the pairing board — children without a caring mother, proposals, active pairings,
//! overdue contact and flags — and pairing a child found by name, village or school with a
//! suggested volunteer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::pairings::{Pairing, PairingBoard, PairingState, UnpairedChild};

pub use super::pairing::PairingPage;
use super::suggestions::Suggestions;
use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::components::picker::{local_search, PickOption, SearchPicker};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

fn child_option(child: &UnpairedChild) -> PickOption {
    let village = shared::divisions::village_name(&child.village_code).unwrap_or_default();
    PickOption {
        id: child.child_id.clone(),
        label: child.name.clone(),
        detail: [village, child.school.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    }
}

#[component]
pub fn PairingBoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let board = LocalResource::new(move || {
        reload.track();
        crate::api::pairing_board()
    });
    let chosen = RwSignal::new(None::<PickOption>);
    view! {
        <section class="card">
            <div class="card-head">
                <h1>{move || i18n.tr("结对看板", "Pairing board")}</h1>
                <a class="button" href="/volunteers">{move || i18n.tr("志愿者审核", "Volunteer vetting")}</a>
            </div>
            {move || match board.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(board)) => view! { <Board board=board chosen=chosen reload=reload/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Board(
    board: PairingBoard,
    chosen: RwSignal<Option<PickOption>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let unpaired = board.unpaired.len();
    let search = local_search(board.unpaired.iter().map(child_option).collect());
    let count = |n: usize| format!(" ({n})");
    view! {
        <h2>{move || i18n.tr("未结对儿童", "Children without a caring mother")} {count(unpaired)}</h2>
        {(unpaired == 0).then(|| view! { <Empty zh="所有儿童都已有爱心妈妈。" en="Every child has a caring mother."/> })}
        {(unpaired > 0).then(|| view! {
            <div class="subform" id="pair-form">
                <SearchPicker id="pair-child" field="child_id" label_zh="选择儿童" label_en="Child"
                    hint_zh="输入姓名、村(社区)或学校查找,选中后显示推荐的志愿者"
                    hint_en="Type a name, village or school; suggested volunteers follow"
                    search=search value=chosen/>
            </div>
        })}
        {move || chosen.get().map(|child| view! { <Suggestions child=child chosen=chosen reload=reload/> })}
        <h2>{move || i18n.tr("有空余名额的志愿者", "Volunteers with room")} {count(board.volunteers_with_capacity.len())}</h2>
        {board.volunteers_with_capacity.is_empty().then(|| view! { <Empty zh="没有审核通过且有空余名额的志愿者。" en="No approved volunteer has room."/> })}
        <ul class="rows" id="volunteers-with-room">
            {board.volunteers_with_capacity.iter().map(|v| {
                let taken = format!("{}/{}", v.active_pairings, v.max_children);
                view! {
                    <li class="row"><div class="row-main"><strong>{v.name.clone()}</strong>
                        <span class="muted">" " {move || i18n.tr("已结对 ", "paired ")} {taken.clone()} " " {v.profile.interests.clone()} " " {v.profile.availability.clone()}</span></div></li>
                }
            }).collect_view()}
        </ul>
        <PairingList title_zh="拟结对(待确认)" title_en="Proposals" list=board.proposed reload=reload/>
        <PairingList title_zh="关注:资格暂停" title_en="Flagged: volunteer suspended" list=board.flagged reload=reload/>
        <PairingList title_zh="联系逾期" title_en="Contact overdue" list=board.overdue reload=reload/>
        <PairingList title_zh="结对中" title_en="Active" list=board.active reload=reload/>
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
    let (error, set_error) = signal(None::<ApiError>);
    (!list.is_empty()).then(|| view! {
        <h2>{move || i18n.tr(title_zh, title_en)} " (" {list.len()} ")"</h2>
        <ErrorBanner error=error/>
        <ul class="rows pairing-list">
            {list.into_iter().map(|p| view! { <PairingRow pairing=p reload=reload set_error=set_error/> }).collect_view()}
        </ul>
    })
}

#[component]
fn PairingRow(
    pairing: Pairing,
    reload: RwSignal<u32>,
    set_error: WriteSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let p = pairing;
    let href = format!("/pairings/{}", p.id);
    let state = p.state;
    let who = format!("{} ↔ {}", p.child_name, p.volunteer_name);
    let busy = RwSignal::new(false);
    let act = {
        let (id, who) = (p.id.clone(), who.clone());
        move |action: &'static str| {
            let (id, who) = (id.clone(), who.clone());
            set_error.set(None);
            busy.set(true);
            spawn_local(async move {
                let result = crate::api::pairing_action(&id, action).await;
                busy.set(false);
                match result {
                    Ok(_) if action == "activate" => {
                        toasts.success(
                            format!("已确认结对:{who}"),
                            format!("Pairing active: {who}"),
                        );
                        reload.update(|n| *n += 1)
                    }
                    Ok(_) => {
                        toasts.success(
                            format!("已撤销拟结对:{who}"),
                            format!("Proposal withdrawn: {who}"),
                        );
                        reload.update(|n| *n += 1)
                    }
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    let act2 = act.clone();
    view! {
        <li class="row"><div class="row-main">
            <a href=href><strong>{who.clone()}</strong></a>
            <div class="row-meta">
                <span class="status">{move || state.label().get(i18n.lang.get())}</span>
                {p.last_contact.map(|d| view! { <span class="muted">{move || i18n.tr("最近联系:", "Last contact: ")} {move || shared::time::format_date(d, i18n.lang.get())}</span> })}
                {p.flagged.clone().map(|f| view! { <span class="status level-urgent">{move || f.get(i18n.lang.get()).to_string()}</span> })}
            </div>
        </div>
        {(state == PairingState::Proposed).then(|| view! {
            <div class="row-actions">
                <button type="button" class="primary" disabled=move || busy.get() on:click=move |_| act("activate")>{move || i18n.tr("确认结对", "Activate")}</button>
                <button type="button" disabled=move || busy.get() on:click=move |_| act2("cancel")>{move || i18n.tr("撤销", "Withdraw")}</button>
            </div>
        })}
        </li>
    }
}
