//! Admins: the user table (filters, total, pages), approving volunteers, disabling accounts,
//! and creating users with one-time invite codes. `/users?status=pending` opens the
//! volunteers waiting for approval.

mod create;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use shared::api::{UserStatus, UserSummary};
use shared::Role;

use crate::api::ApiError;
use crate::components::confirm::ConfirmAction;
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::table::{Column, CursorPages, DataTable, FilterBar, Pager};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::cases::interned;
use crate::pages::children::list_filters::{FilterSelect, FilterText};
use create::CreateUserForm;

const PAGE_SIZE: u64 = 50;

fn columns() -> Vec<Column> {
    vec![
        Column::new("name", "姓名", "Name"),
        Column::new("role", "角色", "Role"),
        Column::new("scope", "范围", "Scope"),
        Column::new("status", "状态", "Status"),
        Column::new("created", "创建时间", "Created"),
        Column::new("actions", "操作", "Actions"),
    ]
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map().get_untracked();
    let status = RwSignal::new(url.get("status").unwrap_or_default());
    let role = RwSignal::new(url.get("role").unwrap_or_default());
    let search = RwSignal::new(url.get("q").unwrap_or_default());
    let pages = CursorPages::new();
    let reload = RwSignal::new(0u32);
    let key = Memo::new(move |_| (status.get(), role.get(), search.get()));
    Effect::new(move |ran: Option<()>| {
        key.track();
        if ran.is_some() && untrack(|| pages.page_index()) > 0 {
            pages.reset();
        }
    });
    let asked = StoredValue::new(None::<(String, String, String)>);
    let users = LocalResource::new(move || {
        reload.track();
        let current = key.get();
        let cursor = pages.current();
        // The cursor belongs to the previous filters until the reset above lands.
        let same = asked.with_value(|last| last.as_ref() == Some(&current));
        asked.set_value(Some(current.clone()));
        let cursor = if same { cursor } else { None };
        let (status, role, q) = current;
        async move { crate::api::users(UserStatus::parse(&status), Role::parse(&role), q, cursor).await }
    });
    let loaded = move || users.get().and_then(Result::ok);
    let total = Signal::derive(move || loaded().map(|p| p.total.unwrap_or(p.items.len() as u64)));
    let shown = Signal::derive(move || loaded().map_or(0, |p| p.items.len() as u64));
    let next = Signal::derive(move || loaded().and_then(|p| p.next));
    let creating = RwSignal::new(false);

    let statuses: Vec<(&'static str, &'static str, &'static str)> = [
        UserStatus::Pending,
        UserStatus::Invited,
        UserStatus::Active,
        UserStatus::Disabled,
    ]
    .into_iter()
    .map(|s| (s.as_str(), s.label().zh, s.label().en))
    .collect();
    let roles: Vec<(&'static str, &'static str, &'static str)> = Role::ALL
        .into_iter()
        .map(|r| (r.as_str(), r.label().zh, r.label().en))
        .collect();

    view! {
        <section class="card">
            <div class="card-head">
                <h1>{move || i18n.tr("用户管理", "Users")}</h1>
                <button id="new-user" class="primary" aria-expanded=move || creating.get().to_string()
                    on:click=move |_| creating.update(|open| *open = !*open)>
                    {move || if creating.get() { i18n.tr("收起", "Close") } else { i18n.tr("新建用户", "New user") }}
                </button>
            </div>
            <Show when=move || creating.get()>
                <CreateUserForm on_created=Callback::new(move |_| reload.update(|n| *n += 1))/>
            </Show>
            <form class="filter-form" role="search" novalidate
                aria-label=move || i18n.tr("筛选用户", "Filter users")
                on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                <FilterBar>
                    <FilterSelect id="filter-user-status" label_zh="状态" label_en="Status" all_zh="全部" all_en="All"
                        options=statuses value=status/>
                    <FilterSelect id="filter-user-role" label_zh="角色" label_en="Role" all_zh="全部" all_en="All"
                        options=roles value=role/>
                    <FilterText id="user-search" label_zh="搜索" label_en="Search" max=40 value=search
                        hint_zh="姓名或用户名" hint_en="Name or username"/>
                    <button type="submit" id="user-search-submit">{move || i18n.tr("搜索", "Search")}</button>
                </FilterBar>
            </form>
            {move || match users.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(page)) => {
                    let rows = page.items.into_iter().map(|user| view! { <UserRow user=user reload=reload/> }).collect_view();
                    view! {
                        <DataTable id="user-list" columns=columns() total=total
                            empty_zh="没有符合条件的用户。" empty_en="No users match."
                            caption_zh="用户列表" caption_en="Users">
                            {rows}
                        </DataTable>
                    }.into_any()
                }
            }}
            <Pager pages=pages page_size=PAGE_SIZE shown=shown total=total next=next/>
        </section>
    }
}

#[component]
fn UserRow(user: UserSummary, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let (error, set_error) = signal(None::<ApiError>);
    let busy = RwSignal::new(false);
    let act = {
        let id = user.id.clone();
        let name = user.display_name.clone();
        move |approve: bool| {
            let id = id.clone();
            let name = name.clone();
            busy.set(true);
            set_error.set(None);
            spawn_local(async move {
                let result = if approve {
                    crate::api::approve_user(&id).await
                } else {
                    crate::api::disable_user(&id).await
                };
                busy.set(false);
                match result {
                    Ok(_) => {
                        if approve {
                            toasts.success(
                                format!("已通过 {name} 的注册"),
                                format!("Approved {name}"),
                            );
                        } else {
                            toasts.success(
                                format!("已停用 {name} 的账号"),
                                format!("Disabled {name}'s account"),
                            );
                        }
                        reload.update(|n| *n += 1);
                    }
                    Err(failure) => set_error.set(Some(failure)),
                }
            });
        }
    };
    let approve = act.clone();
    let disable = Callback::new(move |_: (String, String)| act(false));
    let status = user.status;
    let role = user.role;
    let created = user.created_at;
    let disable_id = interned(format!("disable-{}", user.username));
    view! {
        <tr data-username=user.username.clone()>
            <td>
                <strong>{user.display_name.clone()}</strong>
                <div class="muted">"@" {user.username.clone()}</div>
            </td>
            <td>{move || role.label().get(i18n.lang.get())}</td>
            <td>{user.scope.describe()}</td>
            <td><span class=format!("status status-{}", status.as_str())>{move || status.label().get(i18n.lang.get())}</span></td>
            <td>{move || shared::time::format_datetime(created, i18n.lang.get())}</td>
            <td class="row-actions">
                {(status == UserStatus::Pending).then(|| view! {
                    <button class="primary approve" disabled=move || busy.get() on:click=move |_| approve(true)>
                        {move || i18n.tr("审核通过", "Approve")}
                    </button>
                })}
                {(status != UserStatus::Disabled && role != Role::Admin).then(|| view! {
                    <ConfirmAction id=disable_id label_zh="停用" label_en="Disable"
                        question_zh="确定停用这个账号吗?停用后此人将无法登录。"
                        question_en="Disable this account? The person will no longer be able to sign in."
                        busy=Signal::derive(move || busy.get()) on_confirm=disable/>
                })}
                <ErrorBanner error=error/>
            </td>
        </tr>
    }
}
