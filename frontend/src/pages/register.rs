use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::RegisterVolunteerRequest;
use shared::validate::limits;

use crate::api::ApiError;
use crate::components::feedback::ErrorBanner;
use crate::components::form::TextField;
use crate::i18n::use_i18n;

/// A volunteer registers themselves and waits for the district office's approval.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let organisation = RwSignal::new(None::<shared::events::Organisation>);
    let (error, set_error) = signal(None::<ApiError>);
    let done = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        set_error.set(None);
        let request = RegisterVolunteerRequest {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            phone: phone.get_untracked(),
            password: password.get_untracked(),
            organisation: organisation.get_untracked(),
        };
        spawn_local(async move {
            match crate::api::register(&request).await {
                Ok(_) => done.set(true),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };

    view! {
        <section class="card narrow">
            <h1>{move || i18n.tr("志愿者注册", "Volunteer registration")}</h1>
            <Show
                when=move || done.get()
                fallback=move || view! {
                    <p class="muted">{move || i18n.tr(
                        "注册后需经区未保办审核(含与未成年人密切接触人员的背景核查),通过后方可登录。",
                        "After registering, the district office checks your background (required for anyone in close contact with minors) and approves you; then you can sign in.")}</p>
                    <form id="register-form" on:submit=submit>
                        <TextField id="reg-username" label_zh="用户名" label_en="Username" value=username
                            max=limits::USERNAME_MAX autocomplete="username"
                            hint_zh="小写字母、数字或 . _ -" hint_en="Lower-case letters, digits, . _ -"/>
                        <TextField id="reg-name" label_zh="姓名" label_en="Full name" value=display_name
                            max=limits::PERSON_NAME_MAX autocomplete="name"/>
                        <TextField id="reg-phone" label_zh="手机号" label_en="Mobile number" value=phone
                            kind="tel" max=16 autocomplete="tel"/>
                        <div class="field">
                            <label for="reg-organisation">{move || i18n.tr("所属组织", "Organisation")}</label>
                            <select id="reg-organisation" on:change=move |event| organisation.set(shared::events::Organisation::parse(&event_target_value(&event)))>
                                <option value="">{move || i18n.tr("请选择", "Choose")}</option>
                                {shared::events::Organisation::ALL.iter().map(|org| view! {
                                    <option value=org.as_str()>{move || org.label().get(i18n.lang.get())}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <TextField id="reg-password" label_zh="密码" label_en="Password" value=password
                            kind="password" max=limits::PASSWORD_MAX autocomplete="new-password"
                            hint_zh="至少 10 个字符" hint_en="At least 10 characters"/>
                        <ErrorBanner error=error/>
                        <button id="register-submit" type="submit" class="primary">{move || i18n.tr("提交注册", "Register")}</button>
                    </form>
                }
            >
                <div id="register-done" class="success">
                    {move || i18n.tr("注册成功!请等待区未保办审核,审核通过后即可登录。",
                        "Registered! Please wait for the district office's approval; you can sign in once approved.")}
                </div>
            </Show>
        </section>
    }
}
