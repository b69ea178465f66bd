//! Admins: the user list, approving volunteers, and creating users with one-time invite codes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{CreateUserRequest, CreateUserResponse, UserStatus, UserSummary};
use shared::validate::limits;
use shared::{Role, Scope};

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::components::form::TextField;
use crate::i18n::use_i18n;

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let status_filter = RwSignal::new(None::<UserStatus>);
    let reload = RwSignal::new(0u32);
    let users = LocalResource::new(move || {
        reload.track();
        let status = status_filter.get();
        async move { crate::api::users(status, None).await }
    });
    let creating = RwSignal::new(false);

    let filters = [
        (None, "全部", "All"),
        (Some(UserStatus::Pending), "待审核", "Awaiting approval"),
        (Some(UserStatus::Invited), "待激活", "Invited"),
        (Some(UserStatus::Active), "正常", "Active"),
        (Some(UserStatus::Disabled), "已停用", "Disabled"),
    ];

    view! {
        <section class="card">
            <div class="card-head">
                <h1>{move || i18n.tr("用户管理", "Users")}</h1>
                <button id="new-user" class="primary" on:click=move |_| creating.update(|open| *open = !*open)>
                    {move || if creating.get() { i18n.tr("收起", "Close") } else { i18n.tr("新建用户", "New user") }}
                </button>
            </div>
            <Show when=move || creating.get()>
                <CreateUserForm on_created=move || reload.update(|n| *n += 1)/>
            </Show>
            <div class="tabs" role="tablist">
                {filters.into_iter().map(|(status, zh, en)| view! {
                    <button role="tab" class="tab"
                        class:active=move || status_filter.get() == status
                        on:click=move |_| status_filter.set(status)>
                        {move || i18n.tr(zh, en)}
                    </button>
                }).collect_view()}
            </div>
            {move || match users.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <Empty zh="没有符合条件的用户。" en="No users match."/> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul id="user-list" class="rows">
                        {page.items.into_iter().map(|user| view! { <UserRow user=user reload=reload/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn UserRow(user: UserSummary, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<ApiError>);
    let id = user.id.clone();
    let act = move |approve: bool| {
        let id = id.clone();
        spawn_local(async move {
            let result = if approve {
                crate::api::approve_user(&id).await
            } else {
                crate::api::disable_user(&id).await
            };
            match result {
                Ok(_) => reload.update(|n| *n += 1),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    let act_disable = act.clone();
    let status = user.status;
    let role = user.role;
    let created = user.created_at;
    view! {
        <li class="row" data-username=user.username.clone()>
            <div class="row-main">
                <strong>{user.display_name.clone()}</strong>
                <span class="muted">" @" {user.username.clone()}</span>
                <div class="row-meta">
                    <span class="badge">{move || role.label().get(i18n.lang.get())}</span>
                    <span class=format!("status status-{}", status.as_str())>{move || status.label().get(i18n.lang.get())}</span>
                    <span class="muted">{user.scope.describe()}</span>
                    <span class="muted">{move || shared::time::format_datetime(created, i18n.lang.get())}</span>
                </div>
                <ErrorBanner error=error/>
            </div>
            <div class="row-actions">
                <Show when=move || status == UserStatus::Pending>
                    <button class="primary approve" on:click={let act = act.clone(); move |_| act(true)}>
                        {move || i18n.tr("审核通过", "Approve")}
                    </button>
                </Show>
                <Show when=move || status != UserStatus::Disabled && role != Role::Admin>
                    <button class="danger disable" on:click={let act = act_disable.clone(); move |_| act(false)}>
                        {move || i18n.tr("停用", "Disable")}
                    </button>
                </Show>
            </div>
        </li>
    }
}

#[component]
fn CreateUserForm(on_created: impl Fn() + Clone + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Teacher);
    let school = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let villages = RwSignal::new(Vec::<String>::new());
    let organisation = RwSignal::new(None::<shared::events::Organisation>);
    let (error, set_error) = signal(None::<ApiError>);
    let created = RwSignal::new(None::<CreateUserResponse>);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        set_error.set(None);
        let role_value = role.get_untracked();
        let scope = match role_value {
            Role::Admin => Scope::District,
            Role::Director => Scope::Villages {
                codes: villages.get_untracked(),
            },
            Role::Teacher => Scope::School {
                name: school.get_untracked(),
            },
            Role::Officer => Scope::Unit {
                name: unit.get_untracked(),
            },
            Role::Volunteer | Role::Counsellor => Scope::Own,
        };
        let phone_value = phone.get_untracked();
        let request = CreateUserRequest {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: role_value,
            scope,
            phone: (!phone_value.trim().is_empty()).then_some(phone_value),
            organisation: (role_value == Role::Volunteer)
                .then_some(organisation.get_untracked())
                .flatten(),
        };
        let on_created = on_created.clone();
        spawn_local(async move {
            match crate::api::create_user(&request).await {
                Ok(response) => {
                    created.set(Some(response));
                    username.set(String::new());
                    display_name.set(String::new());
                    on_created();
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };

    view! {
        {move || created.get().map(|response| view! { <InviteBox response=response/> })}
        <form id="create-user-form" class="subform" on:submit=submit>
            <TextField id="new-username" label_zh="用户名" label_en="Username" value=username
                max=limits::USERNAME_MAX hint_zh="小写字母、数字或 . _ -" hint_en="Lower-case letters, digits, . _ -"/>
            <TextField id="new-display-name" label_zh="姓名" label_en="Full name" value=display_name
                max=limits::PERSON_NAME_MAX/>
            <div class="field">
                <label for="new-role">{move || i18n.tr("角色", "Role")}</label>
                <select id="new-role" on:change=move |event| {
                    if let Some(parsed) = Role::parse(&event_target_value(&event)) { role.set(parsed) }
                }>
                    {Role::ALL.into_iter().map(|option| view! {
                        <option value=option.as_str() selected=move || role.get() == option>
                            {move || option.label().get(i18n.lang.get())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            {move || match role.get() {
                Role::Teacher => view! {
                    <TextField id="new-school" label_zh="学校" label_en="School" value=school max=limits::SCHOOL_NAME_MAX/>
                }.into_any(),
                Role::Officer => view! {
                    <TextField id="new-unit" label_zh="成员单位" label_en="Member unit" value=unit max=limits::UNIT_NAME_MAX
                        hint_zh="如:区公安分局、区教育局、区妇联" hint_en="e.g. district police, education bureau, women's federation"/>
                }.into_any(),
                Role::Director => view! { <VillagePicker selected=villages/> }.into_any(),
                Role::Volunteer => view! {
                    <div class="field">
                        <label for="new-organisation">{move || i18n.tr("所属组织", "Organisation")}</label>
                        <select id="new-organisation" on:change=move |event| organisation.set(shared::events::Organisation::parse(&event_target_value(&event)))>
                            <option value="">{move || i18n.tr("请选择", "Choose")}</option>
                            {shared::events::Organisation::ALL.iter().map(|org| view! {
                                <option value=org.as_str()>{move || org.label().get(i18n.lang.get())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                }.into_any(),
                _ => ().into_any(),
            }}
            <TextField id="new-phone" label_zh="手机号(选填)" label_en="Mobile (optional)" value=phone
                kind="tel" max=16 required=false/>
            <ErrorBanner error=error/>
            <button id="create-user-submit" type="submit" class="primary">
                {move || i18n.tr("创建并生成邀请码", "Create and make an invite code")}
            </button>
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
        <fieldset class="field villages">
            <legend>{move || i18n.tr("负责的村(社区)", "Villages / communities")}</legend>
            <input type="search" placeholder=move || i18n.tr("按名称或街道筛选", "Filter by name or street")
                prop:value=move || filter.get() on:input=move |event| filter.set(event_target_value(&event))/>
            <p class="muted">{move || format!("{} {}", selected.get().len(), i18n.tr("个已选", "selected"))}</p>
            <div class="village-list">
                {move || match options.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
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
                                        {village.name.clone()} <span class="muted">{village.street.clone()}</span>
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
