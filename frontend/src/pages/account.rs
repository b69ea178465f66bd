use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ChangePasswordRequest;
use shared::validate::{limits, Validate};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::form::{SubmitBar, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
        };
        if let Err(problems) = request.validate() {
            errors.show_fields(problems);
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::change_password(&request).await;
            busy.set(false);
            match result {
                Ok(()) => {
                    toasts.success("密码已修改", "Password changed");
                    current.set(String::new());
                    new_password.set(String::new());
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr("我的账号", "My account")}</h1>
            {move || session.me().map(|me| {
                let expires = me.session_expires_at;
                let scope = me.scope.describe();
                view! {
                    <dl class="facts">
                        <dt>{move || i18n.tr("姓名", "Name")}</dt><dd>{me.display_name.clone()}</dd>
                        <dt>{move || i18n.tr("用户名", "Username")}</dt><dd>{me.username.clone()}</dd>
                        <dt>{move || i18n.tr("角色", "Role")}</dt><dd>{move || me.role.label().get(i18n.lang.get())}</dd>
                        {(!scope.is_empty()).then(|| view! {
                            <dt>{move || i18n.tr("范围", "Scope")}</dt><dd>{scope.clone()}</dd>
                        })}
                        <dt>{move || i18n.tr("登录有效期至", "Session valid until")}</dt>
                        <dd>{move || shared::time::format_datetime(expires, i18n.lang.get())}</dd>
                    </dl>
                }
            })}
            <h2>{move || i18n.tr("修改密码", "Change password")}</h2>
            <form id="password-form" on:submit=submit novalidate>
                <ErrorSummary errors=errors/>
                <TextField id="current-password" field="current_password" label_zh="当前密码" label_en="Current password" value=current
                    kind="password" max=limits::PASSWORD_MAX autocomplete="current-password"/>
                <TextField id="changed-password" field="new_password" label_zh="新密码" label_en="New password" value=new_password
                    kind="password" max=limits::PASSWORD_MAX autocomplete="new-password"
                    hint_zh="至少 10 个字符" hint_en="At least 10 characters"/>
                <SubmitBar id="password-save" label_zh="保存新密码" label_en="Save the new password" busy=Signal::derive(move || busy.get())/>
            </form>
        </section>
    }
}
