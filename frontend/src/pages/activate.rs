use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::api::ActivateRequest;
use shared::validate::{limits, Validate};
use shared::{FieldError, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::form::{SubmitBar, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

/// Where an invited person sets their password with the one-time code an admin gave them.
#[component]
pub fn ActivatePage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let query = use_query_map();
    let code = RwSignal::new(query.get_untracked().get("code").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = ActivateRequest {
            invite_code: code.get_untracked().trim().to_string(),
            password: password.get_untracked(),
        };
        let mut problems = request.validate().err().unwrap_or_default();
        if password.get_untracked() != confirm.get_untracked() {
            problems.push(FieldError::new(
                "confirm_password",
                Text::new("两次输入的密码不一致", "The two passwords differ"),
            ));
        }
        if !problems.is_empty() {
            errors.show_fields(problems);
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::activate(&request).await;
            busy.set(false);
            match result {
                Ok(response) => {
                    toasts.success(
                        "密码已设置,现在可以登录了",
                        "Password set; you can sign in now",
                    );
                    done.set(Some(response.username));
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr("设置密码", "Set your password")}</h1>
            {move || match done.get() {
                Some(username) => view! {
                    <div id="activate-done" class="success" role="status">
                        <p>{move || i18n.tr("密码已设置,现在可以登录了。", "Your password is set; you can sign in now.")}</p>
                        <p>{move || i18n.tr("用户名:", "Username: ")}<strong>{username.clone()}</strong></p>
                        <a class="button primary" href="/login">{move || i18n.tr("去登录", "Go to sign in")}</a>
                    </div>
                }.into_any(),
                None => view! {
                    <form id="activate-form" on:submit=submit novalidate>
                        <ErrorSummary errors=errors/>
                        <TextField id="invite-code" field="invite_code" label_zh="邀请码" label_en="Invite code" value=code
                            max=limits::INVITE_CODE_LEN hint_zh="管理员给您的 12 位邀请码" hint_en="The 12-character code from your administrator"/>
                        <TextField id="new-password" field="password" label_zh="新密码" label_en="New password" value=password
                            kind="password" max=limits::PASSWORD_MAX autocomplete="new-password"
                            hint_zh="至少 10 个字符" hint_en="At least 10 characters"/>
                        <TextField id="confirm-password" field="confirm_password" label_zh="再次输入新密码" label_en="Repeat the new password" value=confirm
                            kind="password" max=limits::PASSWORD_MAX autocomplete="new-password"/>
                        <SubmitBar id="activate-submit" label_zh="设置密码" label_en="Set password" busy=Signal::derive(move || busy.get())/>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
