//! The first page after sign-in, different for each role. Every panel that states a number
//! asks the server for it and links to the full list, which shows the same number; a
//! capability that does not exist yet is named as coming, never shown as an empty list.

mod panels;

use leptos::prelude::*;
use shared::Role;

use crate::i18n::use_i18n;
use crate::session::use_session;
use panels::{
    CasesPanel, ChildrenPanel, EventsPanel, MyChildPanel, MyEventsPanel, MyReferralsPanel,
    OpenCrisesCard, PendingVolunteersPanel, ReferralQueuePanel, ReferralTriagePanel, ReviewPanel,
    VisitPanels,
};

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || {
        session.me().map(|me| {
            let role = me.role;
            let scope = me.scope.describe();
            let name = me.display_name.clone();
            view! {
                <section id=format!("home-{}", role.as_str()) class="home">
                    <h1>
                        {move || i18n.tr("您好,", "Hello, ")} {name.clone()}
                    </h1>
                    <p class="role-line">
                        <span class="badge">{move || role.label().get(i18n.lang.get())}</span>
                        <span class="muted">{scope.clone()}</span>
                    </p>
                    <Notifications/>
                    {sections(role)}
                </section>
            }
        })
    }
}

fn sections(role: Role) -> AnyView {
    match role {
        #[cfg(feature = "full")]
        Role::Admin => view! {
            <div class="panels">
                <ReferralTriagePanel/>
                <VisitPanels/>
                <PendingVolunteersPanel/>
                <ChildrenPanel title_zh="儿童名册" title_en="Children registry"
                    empty_zh="名册中还没有儿童。" empty_en="No children are registered yet."/>
                <ReviewPanel/>
                <EventsPanel empty_zh="近期没有活动。" empty_en="No upcoming events."/>
            </div>
            <OpenCrisesCard/>
        }
        .into_any(),
        #[cfg(feature = "full")]
        Role::Director => view! {
            <div class="panels">
                <VisitPanels/>
                <ChildrenPanel title_zh="我负责的村(社区)的儿童" title_en="Children in my villages"
                    empty_zh="您负责的村(社区)还没有登记儿童。"
                    empty_en="No children are registered in your villages yet."/>
                <ReviewPanel/>
                <MyReferralsPanel/>
                <EventsPanel empty_zh="近期没有活动。" empty_en="No upcoming events."/>
            </div>
        }
        .into_any(),
        #[cfg(feature = "full")]
        Role::Teacher => view! {
            <div class="panels">
                <CasesPanel/>
                <MyReferralsPanel/>
                <EventsPanel empty_zh="近期没有活动。" empty_en="No upcoming events."/>
            </div>
        }
        .into_any(),
        Role::Volunteer => view! {
            <div class="panels">
                <MyChildPanel/>
                <EventsPanel empty_zh="近期没有可报名的活动。" empty_en="No upcoming events open to you."/>
                <MyEventsPanel/>
            </div>
        }
        .into_any(),
        #[cfg(feature = "full")]
        Role::Counsellor => view! {
            <div class="panels">
                <CasesPanel/>
                <MyReferralsPanel/>
            </div>
            <Coming id="home-appointments" zh="心理辅导预约" en="Counselling appointments"
                text_zh="心理辅导预约功能即将上线,届时您可以在这里查看和安排预约。现在您可以在受邀加入的个案群组中查看计划、记录和危机预警。"
                text_en="Counselling appointments are coming: you will see and arrange them here. For now you work in the case groups you are invited to: plans, notes and crisis flags."/>
        }
        .into_any(),
        #[cfg(feature = "full")]
        Role::Officer => view! { <OfficerHome/> }.into_any(),
        // The light bundle reloads into the full one for every other role (`bundle::settle`).
        #[cfg(not(feature = "full"))]
        _ => view! { <crate::components::feedback::Loading/> }.into_any(),
    }
}

/// A capability that is on its way, said plainly, with no number.
#[component]
fn Coming(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    text_zh: &'static str,
    text_en: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card coming" id=id>
            <h2>{move || i18n.tr(zh, en)} " " <span class="badge">{move || i18n.tr("即将上线", "Coming")}</span></h2>
            <p>{move || i18n.tr(text_zh, text_en)}</p>
        </section>
    }
}

/// Member-unit officers: their unit's open referrals, and what to do with them.
#[component]
fn OfficerHome() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="panels">
            <ReferralQueuePanel/>
        </div>
        <section class="card" id="home-referrals">
            <h2>{move || i18n.tr("如何办理转介", "How to handle a referral")}</h2>
            <p>{move || i18n.tr(
                "区未保办分派给本单位的问题会出现在上方:打开一件,看儿童的情况和交办事项,在期限前接收(或说明原因退回未保办);接收后登记进展,办完后写明办理结果,由未保办确认关闭。",
                "The problems the district office sends to your unit appear above: open one, read the child's situation and the task, and take it by the deadline (or return it to the office saying why); then record progress and, when done, say what was done for the office to confirm.")}</p>
            <p><a class="button" href="/referrals">{move || i18n.tr("本单位全部转介", "All my unit's referrals")}</a></p>
        </section>
    }
}

/// Messages for this user (waitlist promotions, cancelled events …), newest first.
#[component]
fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let notes = LocalResource::new(crate::api::notifications);
    move || {
        notes.get().and_then(Result::ok).filter(|list| !list.is_empty()).map(|list| view! {
            <section class="card" id="notifications">
                <h2>{move || i18n.tr("消息", "Messages")}</h2>
                <ul class="rows">
                    {list.into_iter().take(10).map(|note| {
                        let at = note.at;
                        let text = note.text.clone();
                        let link = note.link.clone().unwrap_or_else(|| "/".into());
                        view! {
                            <li class="row"><div class="row-main">
                                <a href=link>{move || text.get(i18n.lang.get()).to_string()}</a>
                                <div class="muted">{move || shared::time::format_datetime(at, i18n.lang.get())}</div>
                            </div></li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })
    }
}
