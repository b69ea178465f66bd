use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::RegisterVolunteerRequest;
use shared::validate::{limits, Validate};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::form::{Choice, SelectField, SubmitBar, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

fn organisation_choices() -> Vec<Choice> {
    shared::events::Organisation::ALL
        .iter()
        .map(|org| Choice::new(org.as_str(), org.label().zh, org.label().en))
        .collect()
}

/// A volunteer registers themselves and waits for the district office's approval.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = RegisterVolunteerRequest {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            phone: phone.get_untracked(),
            password: password.get_untracked(),
            organisation: shared::events::Organisation::parse(&organisation.get_untracked()),
        };
        if let Err(problems) = request.validate() {
            errors.show_fields(problems);
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::register(&request).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(
                        "注册已提交,请等待审核",
                        "Registration sent; wait for approval",
                    );
                    done.set(true);
                }
                Err(failure) => errors.show_api(&failure),
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
                    <form id="register-form" on:submit=submit novalidate>
                        <ErrorSummary errors=errors/>
                        <TextField id="reg-username" field="username" label_zh="用户名" label_en="Username" value=username
                            max=limits::USERNAME_MAX autocomplete="username"
                            hint_zh="3–32 位小写字母、数字或 . _ -,登录时使用" hint_en="3–32 lower-case letters, digits, . _ -; you sign in with it"/>
                        <TextField id="reg-name" field="display_name" label_zh="姓名" label_en="Full name" value=display_name
                            max=limits::PERSON_NAME_MAX autocomplete="name"/>
                        <TextField id="reg-phone" field="phone" label_zh="手机号" label_en="Mobile number" value=phone
                            kind="tel" max=16 autocomplete="tel" inputmode="tel"/>
                        <SelectField id="reg-organisation" field="organisation" label_zh="所属组织" label_en="Organisation"
                            options=organisation_choices() value=organisation required=false/>
                        <TextField id="reg-password" field="password" label_zh="密码" label_en="Password" value=password
                            kind="password" max=limits::PASSWORD_MAX autocomplete="new-password"
                            hint_zh="至少 10 个字符" hint_en="At least 10 characters"/>
                        <SubmitBar id="register-submit" label_zh="提交注册" label_en="Register" busy=Signal::derive(move || busy.get())/>
                    </form>
                }
            >
                <div id="register-done" class="success" role="status">
                    {move || i18n.tr("注册成功!请等待区未保办审核,审核通过后即可登录。",
                        "Registered! Please wait for the district office's approval; you can sign in once approved.")}
                </div>
            </Show>
        </section>
    }
}
