//! The first page after sign-in, different for each role. Every panel that states a number
//! or an empty list asks the server for it; a capability that does not exist yet is named as
//! coming, never shown as an empty list.

use leptos::prelude::*;
use shared::api::UserStatus;
use shared::{Lang, Role};

use crate::components::feedback::{Empty, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

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
        Role::Admin => view! {
            <PendingVolunteers/>
            <Section zh="危机预警" en="Open crises">
                <crate::pages::cases::list::OpenCrises/>
            </Section>
            <Section zh="儿童名册" en="Children registry">
                <RegistryCount
                    empty_zh="名册中还没有儿童。"
                    empty_en="No children are registered yet."/>
            </Section>
        }
        .into_any(),
        Role::Director => view! {
            <Section zh="我负责的村(社区)的儿童" en="Children in my villages">
                <RegistryCount
                    empty_zh="您负责的村(社区)还没有登记儿童。"
                    empty_en="No children are registered in your villages yet."/>
            </Section>
            <Section zh="本季度走访" en="Visits this quarter">
                <p class="muted">{move || use_i18n().tr(
                    "走访登记功能即将上线,届时这里会列出逾期、本周和本季度应走访的儿童。",
                    "The visit register is coming: children overdue, due this week and this quarter will be listed here.",
                )}</p>
            </Section>
        }
        .into_any(),
        Role::Teacher => view! {
            <Section zh="我的个案群组(一生一案一群)" en="My case groups">
                <crate::pages::cases::list::CasesList/>
                <p><a class="button" href="/cases">{move || use_i18n().tr("建立或查看群组", "Start or open a group")}</a></p>
            </Section>
        }
        .into_any(),
        Role::Volunteer => view! {
            <Section zh="我的结对儿童" en="My paired child">
                <p><a class="button" href="/my/child">{move || use_i18n().tr("查看我的结对儿童", "See my paired child")}</a></p>
            </Section>
            <Section zh="近期活动" en="Upcoming events">
                <UpcomingEvents/>
            </Section>
        }
        .into_any(),
        Role::Counsellor => view! {
            <Section zh="我的个案群组" en="My case groups">
                <crate::pages::cases::list::CasesList/>
                <p class="muted">{move || use_i18n().tr(
                    "心理辅导预约功能即将上线;现在您可以在受邀加入的个案群组中查看计划、记录和危机预警。",
                    "Counselling appointments are coming; for now you work in the case groups you are invited to.",
                )}</p>
            </Section>
        }
        .into_any(),
        Role::Officer => view! {
            <Section zh="本单位转介事项" en="Referrals for my unit">
                <p class="muted">{move || use_i18n().tr(
                    "转介功能即将上线:未保办分派给本单位的问题、处理期限和反馈将在这里办理。",
                    "Referrals are coming: problems the office assigns to your unit, their deadlines and your replies will be handled here.",
                )}</p>
            </Section>
        }
        .into_any(),
    }
}

#[component]
fn Section(zh: &'static str, en: &'static str, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h2>{move || i18n.tr(zh, en)}</h2>
            {children()}
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

#[component]
fn PendingVolunteers() -> impl IntoView {
    let i18n = use_i18n();
    let pending = LocalResource::new(|| crate::api::users(Some(UserStatus::Pending), None));
    view! {
        <Section zh="待审核志愿者" en="Volunteers awaiting approval">
            {move || match pending.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <Empty zh="没有待审核的志愿者。" en="No volunteers waiting for approval."/>
                }.into_any(),
                Some(Ok(page)) => {
                    let count = page.items.len();
                    view! {
                        <p>
                            <strong>{count}</strong> " " {move || i18n.tr("位志愿者等待审核。", "volunteer(s) waiting.")} " "
                            <a href="/users">{move || i18n.tr("去审核", "Review")}</a>
                        </p>
                    }.into_any()
                }
            }}
        </Section>
    }
}

/// How many children the reader may see, from the registry's first page (50 a page).
#[component]
fn RegistryCount(empty_zh: &'static str, empty_en: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let page = LocalResource::new(|| async {
        crate::api::children(&crate::api::ChildQuery::default(), None).await
    });
    move || match page.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => {
            view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any()
        }
        Some(Ok(page)) if page.items.is_empty() => {
            view! { <Empty zh=empty_zh en=empty_en/> }.into_any()
        }
        Some(Ok(page)) => {
            let count = page.items.len();
            let more = page.next.is_some();
            view! {
                <p>
                    {move || match (i18n.lang.get(), more) {
                        (Lang::Zh, true) => format!("{count} 名以上儿童在册。"),
                        (Lang::En, true) => format!("More than {count} children registered."),
                        (Lang::Zh, false) => format!("{count} 名儿童在册。"),
                        (Lang::En, false) => format!("{count} children registered."),
                    }}
                    " "
                    <a href="/children">{move || i18n.tr("打开名册", "Open the registry")}</a>
                </p>
            }
            .into_any()
        }
    }
}

/// The next events a volunteer can see, soonest first, with where they stand.
#[component]
fn UpcomingEvents() -> impl IntoView {
    let i18n = use_i18n();
    let events = LocalResource::new(|| crate::api::events(None, None, None));
    move || match events.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(error)) => {
            view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any()
        }
        Some(Ok(list)) if list.is_empty() => view! {
            <Empty zh="近期没有可报名的活动。" en="No upcoming events open to you."/>
        }
        .into_any(),
        Some(Ok(list)) => {
            let total = list.len();
            view! {
                <ul class="rows">
                    {list.into_iter().take(3).map(|record| {
                        let link = format!("/events/{}", record.id);
                        let title = record.event.title.clone();
                        let starts = record.event.starts_at;
                        view! {
                            <li class="row"><div class="row-main">
                                <a href=link>{title}</a>
                                <div class="muted">{move || shared::time::format_datetime(starts, i18n.lang.get())}</div>
                            </div></li>
                        }
                    }).collect_view()}
                </ul>
                <p>
                    <a href="/events">{move || match i18n.lang.get() {
                        Lang::Zh => format!("查看全部 {total} 个活动"),
                        Lang::En => format!("See all {total} events"),
                    }}</a>
                </p>
            }
            .into_any()
        }
    }
}
