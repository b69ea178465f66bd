//! The first page after sign-in, different for each role. Later capabilities fill its sections;
//! until then each says plainly that there is nothing yet.

use leptos::prelude::*;
use shared::api::UserStatus;
use shared::Role;

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
                <Empty zh="名册尚未建立。" en="The registry is empty."/>
            </Section>
        }
        .into_any(),
        Role::Director => view! {
            <Section zh="本季度走访" en="Visits this quarter">
                <Empty zh="您负责的村(社区)暂无登记儿童。" en="No children registered in your villages yet."/>
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
                <Empty zh="暂无可报名的活动。" en="No events open for sign-up."/>
            </Section>
        }
        .into_any(),
        Role::Counsellor => view! {
            <Section zh="我的预约" en="My appointments">
                <Empty zh="暂无预约。" en="No appointments yet."/>
            </Section>
        }
        .into_any(),
        Role::Officer => view! {
            <Section zh="本单位转介事项" en="Referrals for my unit">
                <Empty zh="暂无转介事项。" en="No referrals assigned to your unit."/>
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
