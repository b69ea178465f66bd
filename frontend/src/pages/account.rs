use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ChangePasswordRequest;
use shared::validate::limits;

use crate::api::ApiError;
use crate::components::feedback::ErrorBanner;
use crate::components::form::TextField;
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let saved = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        set_error.set(None);
        saved.set(false);
        let request = ChangePasswordRequest {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
        };
        spawn_local(async move {
            match crate::api::change_password(&request).await {
                Ok(()) => {
                    saved.set(true);
                    current.set(String::new());
                    new_password.set(String::new());
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr("我的账号", "My account")}</h1>
            {move || session.me().map(|me| {
                let expires = me.session_expires_at;
                view! {
                    <dl class="facts">
                        <dt>{move || i18n.tr("用户名", "Username")}</dt><dd>{me.username.clone()}</dd>
                        <dt>{move || i18n.tr("角色", "Role")}</dt><dd>{move || me.role.label().get(i18n.lang.get())}</dd>
                        <dt>{move || i18n.tr("登录有效期至", "Session valid until")}</dt>
                        <dd>{move || shared::time::format_datetime(expires, i18n.lang.get())}</dd>
                    </dl>
                }
            })}
            <h2>{move || i18n.tr("修改密码", "Change password")}</h2>
            <form id="password-form" on:submit=submit>
                <TextField id="current-password" label_zh="当前密码" label_en="Current password" value=current
                    kind="password" max=limits::PASSWORD_MAX autocomplete="current-password"/>
                <TextField id="changed-password" label_zh="新密码" label_en="New password" value=new_password
                    kind="password" max=limits::PASSWORD_MAX autocomplete="new-password"
                    hint_zh="至少 10 个字符" hint_en="At least 10 characters"/>
                <ErrorBanner error=error/>
                <Show when=move || saved.get()>
                    <div class="success" role="status">{move || i18n.tr("密码已修改。", "Password changed.")}</div>
                </Show>
                <button type="submit" class="primary">{move || i18n.tr("保存", "Save")}</button>
            </form>
        </section>
    }
}
