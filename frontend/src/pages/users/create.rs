//! Creating a user: labelled fields, every problem listed at the top, and the one-time
//! invite code shown after saving.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{CreateUserRequest, CreateUserResponse};
use shared::validate::{limits, PersonName, Phone, Username};
use shared::{FieldError, Role, Scope, Text};

use crate::components::errors::{ErrorSummary, FieldMessage, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::{Choice, SelectField, SubmitBar, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

#[derive(Clone, Copy)]
struct NewUser {
    username: RwSignal<String>,
    display_name: RwSignal<String>,
    /// "" until chosen.
    role: RwSignal<String>,
    school: RwSignal<String>,
    unit: RwSignal<String>,
    phone: RwSignal<String>,
    villages: RwSignal<Vec<String>>,
    organisation: RwSignal<String>,
}

impl NewUser {
    fn new() -> Self {
        Self {
            username: RwSignal::new(String::new()),
            display_name: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            school: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            villages: RwSignal::new(Vec::new()),
            organisation: RwSignal::new(String::new()),
        }
    }

    fn scope(&self, role: Role) -> Scope {
        match role {
            Role::Admin => Scope::District,
            Role::Director => Scope::Villages {
                codes: self.villages.get_untracked(),
            },
            Role::Teacher => Scope::School {
                name: self.school.get_untracked().trim().to_string(),
            },
            Role::Officer => Scope::Unit {
                name: self.unit.get_untracked().trim().to_string(),
            },
            Role::Volunteer | Role::Counsellor => Scope::Own,
        }
    }

    /// The request, or every problem the browser can see, in the form's order.
    fn request(&self) -> Result<CreateUserRequest, Vec<FieldError>> {
        let mut problems = Vec::new();
        let username = self.username.get_untracked();
        if let Err(problem) = Username::parse("username", &username) {
            problems.push(problem);
        }
        let display_name = self.display_name.get_untracked();
        if let Err(problem) = PersonName::parse("display_name", &display_name) {
            problems.push(problem);
        }
        let role = Role::parse(&self.role.get_untracked());
        match role {
            None => problems.push(FieldError::new(
                "role",
                Text::new("请选择角色", "Choose a role"),
            )),
            Some(role) => {
                let missing = match self.scope(role) {
                    Scope::School { name } if name.is_empty() => Some(Text::new(
                        "请填写班主任所在的学校",
                        "Enter the teacher's school",
                    )),
                    Scope::Unit { name } if name.is_empty() => Some(Text::new(
                        "请填写成员单位名称",
                        "Enter the member unit's name",
                    )),
                    Scope::Villages { codes } if codes.is_empty() => Some(Text::new(
                        "请至少选择一个负责的村(社区)",
                        "Choose at least one village or community",
                    )),
                    Scope::Villages { codes } if codes.len() > limits::DIRECTOR_VILLAGES_MAX => {
                        Some(Text::new(
                            "最多选择 50 个村(社区)",
                            "Choose at most 50 villages or communities",
                        ))
                    }
                    _ => None,
                };
                if let Some(text) = missing {
                    problems.push(FieldError::new("scope", text));
                }
            }
        }
        let phone = self.phone.get_untracked();
        if !phone.trim().is_empty() {
            if let Err(problem) = Phone::parse("phone", &phone) {
                problems.push(problem);
            }
        }
        match role {
            Some(role) if problems.is_empty() => Ok(CreateUserRequest {
                username,
                display_name,
                role,
                scope: self.scope(role),
                phone: (!phone.trim().is_empty()).then_some(phone),
                organisation: (role == Role::Volunteer)
                    .then(|| {
                        shared::events::Organisation::parse(&self.organisation.get_untracked())
                    })
                    .flatten(),
            }),
            _ => Err(problems),
        }
    }

    fn clear(&self) {
        for text in [
            self.username,
            self.display_name,
            self.school,
            self.unit,
            self.phone,
            self.organisation,
        ] {
            text.set(String::new());
        }
        self.villages.set(Vec::new());
    }
}

fn organisation_choices() -> Vec<Choice> {
    shared::events::Organisation::ALL
        .iter()
        .map(|org| Choice::new(org.as_str(), org.label().zh, org.label().en))
        .collect()
}

#[component]
pub fn CreateUserForm(on_created: Callback<()>) -> impl IntoView {
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let user = NewUser::new();
    let busy = RwSignal::new(false);
    let created = RwSignal::new(None::<CreateUserResponse>);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = match user.request() {
            Ok(request) => request,
            Err(problems) => {
                errors.show_fields(problems);
                return;
            }
        };
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::create_user(&request).await;
            busy.set(false);
            match result {
                Ok(response) => {
                    let name = response.user.display_name.clone();
                    toasts.success(
                        format!("已创建用户 {name},请把下面的邀请码交给本人"),
                        format!("Created {name}; give them the invite code below"),
                    );
                    created.set(Some(response));
                    user.clear();
                    on_created.run(());
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };

    let roles: Vec<Choice> = Role::ALL
        .into_iter()
        .map(|role| Choice::new(role.as_str(), role.label().zh, role.label().en))
        .collect();
    view! {
        {move || created.get().map(|response| view! { <InviteBox response=response/> })}
        <form id="create-user-form" class="subform" on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            <TextField id="new-username" field="username" label_zh="用户名" label_en="Username" value=user.username
                max=limits::USERNAME_MAX hint_zh="3–32 位小写字母、数字或 . _ -,如 teacher.wang" hint_en="3–32 lower-case letters, digits, . _ -, e.g. teacher.wang"/>
            <TextField id="new-display-name" field="display_name" label_zh="姓名" label_en="Full name" value=user.display_name
                max=limits::PERSON_NAME_MAX/>
            <SelectField id="new-role" field="role" label_zh="角色" label_en="Role" options=roles value=user.role/>
            {move || match Role::parse(&user.role.get()) {
                Some(Role::Teacher) => view! {
                    <TextField id="new-school" field="scope" label_zh="学校" label_en="School" value=user.school
                        max=limits::SCHOOL_NAME_MAX hint_zh="如:龙湾区永中第一小学" hint_en="e.g. Yongzhong No. 1 Primary School"/>
                }.into_any(),
                Some(Role::Officer) => view! {
                    <TextField id="new-unit" field="scope" label_zh="成员单位" label_en="Member unit" value=user.unit max=limits::UNIT_NAME_MAX
                        hint_zh="如:区公安分局、区教育局、区妇联" hint_en="e.g. district police, education bureau, women's federation"/>
                }.into_any(),
                Some(Role::Director) => view! { <VillagePicker selected=user.villages/> }.into_any(),
                Some(Role::Volunteer) => view! {
                    <SelectField id="new-organisation" field="organisation" label_zh="所属组织" label_en="Organisation"
                        options=organisation_choices() value=user.organisation required=false/>
                }.into_any(),
                _ => ().into_any(),
            }}
            <TextField id="new-phone" field="phone" label_zh="手机号" label_en="Mobile" value=user.phone
                kind="tel" max=16 required=false inputmode="tel"/>
            <SubmitBar id="create-user-submit" label_zh="创建并生成邀请码" label_en="Create and make an invite code"
                busy=Signal::derive(move || busy.get())/>
        </form>
    }
}

#[component]
fn InviteBox(response: CreateUserResponse) -> impl IntoView {
    let i18n = use_i18n();
    let expires = response.invite_expires_at;
    let link = format!("/activate?code={}", response.invite_code);
    view! {
        <div class="invite success" role="status">
            <p>
                {move || i18n.tr("已创建用户 ", "Created ")}
                <strong>{response.user.display_name.clone()}</strong>
                {move || i18n.tr(",请把邀请码交给本人(只显示这一次):", ". Give them this invite code (shown only once):")}
            </p>
            <p class="invite-code" id="invite-code">{response.invite_code.clone()}</p>
            <p class="muted">
                {move || i18n.tr("激活地址:", "Activation page: ")} <a id="invite-link" href=link.clone()>{link.clone()}</a>
            </p>
            <p class="muted">
                {move || i18n.tr("有效期至 ", "Valid until ")}
                {move || shared::time::format_datetime(expires, i18n.lang.get())}
            </p>
        </div>
    }
}

/// Choose the villages/communities a children's director is responsible for.
#[component]
fn VillagePicker(selected: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new(String::new());
    let options = LocalResource::new(crate::api::villages);
    view! {
        <fieldset class="field villages" data-field="scope">
            <legend>{move || i18n.tr("负责的村(社区)", "Villages / communities")}</legend>
            <label for="village-filter">{move || i18n.tr("按名称或街道筛选", "Filter by name or street")}</label>
            <input id="village-filter" type="search" autocomplete="off"
                prop:value=move || filter.get() on:input=move |event| filter.set(event_target_value(&event))/>
            <p class="muted" aria-live="polite">{move || format!("{} {}", selected.get().len(), i18n.tr("个已选", "selected"))}</p>
            <FieldMessage field="scope"/>
            <div class="village-list">
                {move || match options.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                    Some(Ok(list)) => {
                        let needle = filter.get();
                        list.into_iter()
                            .filter(|village| needle.is_empty() || village.name.contains(&needle) || village.street.contains(&needle))
                            .map(|village| {
                                let code = village.code.clone();
                                let code_for_check = code.clone();
                                view! {
                                    <label class="check">
                                        <input type="checkbox" value=code.clone()
                                            prop:checked=move || selected.get().contains(&code_for_check)
                                            on:change=move |event| {
                                                let on = event_target_checked(&event);
                                                let code = code.clone();
                                                selected.update(|codes| {
                                                    codes.retain(|c| *c != code);
                                                    if on { codes.push(code) }
                                                });
                                            }/>
                                        {village.name.clone()} " " <span class="muted">{village.street.clone()}</span>
                                    </label>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }}
            </div>
        </fieldset>
    }
}
