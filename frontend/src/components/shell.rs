//! The frame around every page: title bar, role-aware navigation, language switch, sign-out.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::{use_location, use_navigate};
use shared::{Lang, Role};

use crate::components::errors::focus_id_later;
use crate::components::feedback::Loading;
use crate::components::toast::ToastRegion;
use crate::i18n::use_i18n;
use crate::session::{use_session, SessionState};

/// Phone first: under 720 px the navigation folds behind a "菜单" button (`#menu-button`) and
/// opens as a full-width list; wider screens show every item in wrapped rows. The menu closes
/// when an item is chosen.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let menu_open = RwSignal::new(false);
    let location = use_location();
    // Any change of page closes the menu.
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });
    let sign_out = move |_| {
        let navigate = navigate.clone();
        menu_open.set(false);
        // Visits not sent yet would go with the sign-in: the person decides.
        let unsent = session
            .me()
            .map(|me| crate::pages::visits::drafts::unsent(&me.id))
            .unwrap_or(0);
        if unsent > 0 {
            let question = match i18n.lang.get_untracked() {
                Lang::Zh => format!("手机上还有 {unsent} 条走访没有发送。退出会删除它们。确定退出吗?"),
                Lang::En => format!("{unsent} visit(s) on this phone are not sent yet. Signing out deletes them. Sign out?"),
            };
            let confirmed = web_sys::window()
                .and_then(|window| window.confirm_with_message(&question).ok())
                .unwrap_or(false);
            if !confirmed {
                return;
            }
        }
        // The visit list and drafts kept on this phone go with the sign-in.
        crate::pages::visits::drafts::clear_all();
        spawn_local(async move {
            crate::session::forget_cached_me();
            let _ = crate::api::logout().await;
            session.0.set(SessionState::SignedOut);
            navigate("/login", Default::default());
        });
    };
    let signed_in = move || session.me().is_some();
    let is_admin = move || session.me().is_some_and(|me| me.role == Role::Admin);
    let keeps_registry = move || {
        session
            .me()
            .is_some_and(|me| matches!(me.role, Role::Admin | Role::Director))
    };
    let takes_part = move || {
        session.me().is_some_and(|me| {
            matches!(
                me.role,
                Role::Admin | Role::Director | Role::Teacher | Role::Volunteer
            )
        })
    };
    let is_volunteer = move || session.me().is_some_and(|me| me.role == Role::Volunteer);
    let refers = move || {
        session.me().is_some_and(|me| {
            matches!(
                me.role,
                Role::Admin | Role::Director | Role::Teacher | Role::Counsellor | Role::Officer
            )
        })
    };
    view! {
        <a class="skip-link" href="#main" rel="external"
            on:click=move |event| {
                event.prevent_default();
                focus_id_later("main".to_string());
            }>
            {move || i18n.tr("跳到主要内容", "Skip to main content")}
        </a>
        <header class="topbar">
            <a class="brand" href="/">
                <span class="brand-mark">"守望"</span>
                <span class="brand-sub">{move || i18n.tr("留守儿童关爱平台", "Care for left-behind children")}</span>
            </a>
            <div class="topbar-actions">
                <Show when=signed_in>
                    <button id="menu-button" type="button" class="menu-button"
                        aria-controls="main-nav"
                        aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                        on:click=move |_| menu_open.update(|open| *open = !*open)>
                        <span class="menu-icon" aria-hidden="true">
                            {move || if menu_open.get() { "✕" } else { "☰" }}
                        </span>
                        {move || i18n.tr("菜单", "Menu")}
                    </button>
                </Show>
                <LangSwitch/>
                <Show when=signed_in>
                    <button id="sign-out" type="button" class="link-button" on:click=sign_out.clone()>
                        {move || i18n.tr("退出", "Sign out")}
                    </button>
                </Show>
            </div>
        </header>
        <Show when=signed_in>
            <nav id="main-nav" class=move || if menu_open.get() { "mainnav open" } else { "mainnav" }
                aria-label=move || i18n.tr("主导航", "Main navigation")
                on:click=move |_| menu_open.set(false)>
                <A href="/">{move || i18n.tr("首页", "Home")}</A>
                <Show when=keeps_registry>
                    <A href="/children">{move || i18n.tr("儿童名册", "Children")}</A>
                    <A href="/visits">{move || i18n.tr("走访", "Visits")}</A>
                    <A href="/statistics">{move || i18n.tr("统计", "Statistics")}</A>
                </Show>
                <A href="/cases">{move || i18n.tr("个案", "Cases")}</A>
                <Show when=refers>
                    <A href="/referrals">{move || i18n.tr("转介", "Referrals")}</A>
                </Show>
                <Show when=takes_part>
                    <A href="/events">{move || i18n.tr("活动", "Events")}</A>
                </Show>
                <Show when=is_volunteer>
                    <A href="/my/child">{move || i18n.tr("我的结对", "My child")}</A>
                    <A href="/my/events">{move || i18n.tr("我的活动", "My events")}</A>
                </Show>
                <Show when=is_admin>
                    <A href="/visits/compliance">{move || i18n.tr("走访统计", "Visit compliance")}</A>
                    <A href="/referrals/report">{move || i18n.tr("转介统计", "Referral report")}</A>
                    <A href="/users">{move || i18n.tr("用户", "Users")}</A>
                    <A href="/pairings">{move || i18n.tr("结对", "Pairings")}</A>
                    <A href="/audit">{move || i18n.tr("审计日志", "Audit log")}</A>
                    <A href="/settings">{move || i18n.tr("设置", "Settings")}</A>
                </Show>
                <A href="/account">{move || i18n.tr("我的账号", "My account")}</A>
            </nav>
        </Show>
        <main id="main" class="page" tabindex="-1">{children()}</main>
        <ToastRegion/>
    }
}

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = match i18n.lang.get_untracked() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        i18n.set(next);
    };
    view! {
        <button id="lang-switch" type="button" class="lang-switch" on:click=toggle
            title=move || i18n.tr("Switch to English", "切换到中文")>
            {move || i18n.tr("English", "中文")}
        </button>
    }
}

/// Shows its children only to a signed-in user; others go to the sign-in page.
#[component]
pub fn Protected(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    move || match session.0.get() {
        SessionState::Checking => view! { <Loading/> }.into_any(),
        SessionState::SignedOut => view! { <Redirect path="/login"/> }.into_any(),
        SessionState::SignedIn(_) => children().into_any(),
    }
}
