use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::api::LoginRequest;
use shared::validate::{limits, Validate};

use crate::api::ApiError;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::ErrorBanner;
use crate::components::form::{SubmitBar, TextField};
use crate::i18n::use_i18n;
use crate::session::{use_session, SessionState};

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let errors = FormErrors::new().provide();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // A refusal that is about no one field (wrong password, locked, awaiting approval).
    let (refusal, set_refusal) = signal(None::<ApiError>);
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        set_refusal.set(None);
        let request = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
        };
        if let Err(problems) = request.validate() {
            errors.show_fields(problems);
            return;
        }
        errors.clear();
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match crate::api::login(&request).await {
                Ok(me) => {
                    // Kept on the phone so the portal opens offline after this sign-in.
                    crate::session::remember_me(&me);
                    crate::pages::visits::drafts::keep_only(&me.id);
                    session.0.set(SessionState::SignedIn(me));
                    navigate("/", Default::default());
                }
                Err(failure) if failure.field_errors().is_empty() => set_refusal.set(Some(failure)),
                Err(failure) => errors.show_api(&failure),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr("登录", "Sign in")}</h1>
            <form id="login-form" on:submit=submit novalidate>
                <ErrorBanner error=refusal/>
                <ErrorSummary errors=errors/>
                <TextField id="username" field="username" label_zh="用户名" label_en="Username" value=username
                    max=limits::USERNAME_MAX autocomplete="username"/>
                <TextField id="password" field="password" label_zh="密码" label_en="Password" value=password
                    kind="password" max=limits::PASSWORD_MAX autocomplete="current-password"/>
                <SubmitBar id="login-submit" label_zh="登录" label_en="Sign in" busy=Signal::derive(move || busy.get())/>
            </form>
            <p class="muted">
                {move || i18n.tr("收到邀请码?", "Got an invite code?")} " "
                <a href="/activate">{move || i18n.tr("设置密码", "Set your password")}</a>
            </p>
            <p class="muted">
                {move || i18n.tr("想成为爱心妈妈或志愿者?", "Want to volunteer as a caring mother?")} " "
                <a href="/register">{move || i18n.tr("志愿者注册", "Register as a volunteer")}</a>
            </p>
        </section>
    }
}
