//! The registry list: search, filters, pages.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::children::{CareLevel, Category, ChildSummary};
use shared::Role;

use super::form::today;
use super::{age, village_label};
use crate::api::{ApiError, ChildQuery};
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[component]
pub fn ChildrenPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = move || session.me().is_some_and(|me| me.role == Role::Admin);
    let query = RwSignal::new(ChildQuery::default());
    let search = RwSignal::new(String::new());
    let items = RwSignal::new(Vec::<ChildSummary>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(true);
    let (error, set_error) = signal(None::<ApiError>);

    let load = move |cursor: Option<String>| {
        loading.set(true);
        set_error.set(None);
        let current = query.get_untracked();
        let append = cursor.is_some();
        spawn_local(async move {
            match crate::api::children(&current, cursor).await {
                Ok(page) => {
                    if append {
                        items.update(|list| list.extend(page.items));
                    } else {
                        items.set(page.items);
                    }
                    next.set(page.next);
                }
                Err(failure) => set_error.set(Some(failure)),
            }
            loading.set(false);
        });
    };
    load(None);
    let set_filter = move |apply: fn(&mut ChildQuery, String), value: String| {
        query.update(|q| apply(q, value));
        load(None);
    };

    view! {
        <section class="card">
            <div class="card-head">
                <h1>{move || i18n.tr("儿童名册", "Children registry")}</h1>
                <div class="row-actions">
                    <a class="button" href="/children/review">{move || i18n.tr("待复核", "To review")}</a>
                    <Show when=is_admin>
                        <a class="button" href="/children/import">{move || i18n.tr("导入/导出", "Import / export")}</a>
                    </Show>
                    <a id="new-child" class="button primary" href="/children/new">{move || i18n.tr("登记儿童", "Register a child")}</a>
                </div>
            </div>
            <form class="filters" on:submit=move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                query.update(|q| q.q = search.get_untracked());
                load(None);
            }>
                <input id="child-search" type="search" maxlength="40"
                    placeholder=move || i18n.tr("姓名或身份证号后 4 位", "Name, or last 4 of the ID number")
                    prop:value=move || search.get() on:input=move |event| search.set(event_target_value(&event))/>
                <button type="submit">{move || i18n.tr("搜索", "Search")}</button>
            </form>
            <div class="filters">
                <select aria-label=move || i18n.tr("类别", "Category") on:change=move |event| set_filter(|q, v| q.category = v, event_target_value(&event))>
                    <option value="">{move || i18n.tr("全部类别", "All categories")}</option>
                    {Category::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{move || c.label().get(i18n.lang.get())}</option> }).collect_view()}
                </select>
                <select aria-label=move || i18n.tr("关爱等级", "Care level") on:change=move |event| set_filter(|q, v| q.care_level = v, event_target_value(&event))>
                    <option value="">{move || i18n.tr("全部等级", "All levels")}</option>
                    {CareLevel::ALL.into_iter().map(|c| view! { <option value=c.as_str()>{move || c.label().get(i18n.lang.get())}</option> }).collect_view()}
                </select>
                <select aria-label=move || i18n.tr("认定", "Eligibility") on:change=move |event| set_filter(|q, v| q.eligible = v, event_target_value(&event))>
                    <option value="">{move || i18n.tr("是否符合认定", "Eligibility: all")}</option>
                    <option value="true">{move || i18n.tr("符合", "Eligible")}</option>
                    <option value="false">{move || i18n.tr("不符合", "Not eligible")}</option>
                </select>
                <select aria-label=move || i18n.tr("村(社区)", "Village") on:change=move |event| set_filter(|q, v| q.village = v, event_target_value(&event))>
                    <option value="">{move || i18n.tr("全部村(社区)", "All villages")}</option>
                    {move || {
                        let mine: Vec<String> = match session.me().map(|me| me.scope) {
                            Some(shared::Scope::Villages { codes }) => codes,
                            _ => Vec::new(),
                        };
                        shared::divisions::villages()
                            .filter(|v| mine.is_empty() || mine.iter().any(|code| code == v.code))
                            .map(|v| view! { <option value=v.code>{v.name}</option> })
                            .collect_view()
                    }}
                </select>
                <input type="search" maxlength="60" aria-label=move || i18n.tr("学校", "School")
                    placeholder=move || i18n.tr("学校", "School")
                    on:change=move |event| set_filter(|q, v| q.school = v, event_target_value(&event))/>
                <select aria-label=move || i18n.tr("状态", "Status") on:change=move |event| set_filter(|q, v| q.status = v, event_target_value(&event))>
                    <option value="">{move || i18n.tr("全部状态", "All statuses")}</option>
                    <option value="monitored">{move || i18n.tr("监测中", "Monitored")}</option>
                    <option value="left_monitoring">{move || i18n.tr("已退出监测", "Left monitoring")}</option>
                </select>
            </div>
            <ErrorBanner error=error/>
            <Show when=move || !loading.get() && items.with(Vec::is_empty) && error.get().is_none()>
                <Empty zh="没有符合条件的儿童。" en="No children match."/>
            </Show>
            <ul id="children-list" class="rows">
                {move || items.get().into_iter().map(|child| {
                    let href = format!("/children/{}", child.id);
                    let years = age(child.birth_date, today());
                    let place = village_label(&child);
                    let (gender, category, level, status) = (child.gender, child.category, child.care_level, child.status);
                    let eligible = child.eligible;
                    let duplicate = child.possible_duplicate;
                    view! {
                        <li class="row">
                            <div class="row-main">
                                <a href=href><strong>{child.name.clone()}</strong></a>
                                <span class="muted">" " {move || gender.label().get(i18n.lang.get())} " · " {years} {move || i18n.tr("岁", " y")}</span>
                                <div class="row-meta">
                                    <span class="badge">{move || category.label().get(i18n.lang.get())}</span>
                                    <span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span>
                                    <span class=if eligible { "status status-active" } else { "status status-pending" }>
                                        {move || if eligible { i18n.tr("符合认定", "Eligible") } else { i18n.tr("不符合认定", "Not eligible") }}
                                    </span>
                                    <Show when=move || status == shared::children::MonitoringStatus::LeftMonitoring>
                                        <span class="status status-disabled">{move || status.label().get(i18n.lang.get())}</span>
                                    </Show>
                                    <Show when=move || duplicate>
                                        <span class="status status-pending">{move || i18n.tr("疑似重复", "Possible duplicate")}</span>
                                    </Show>
                                    <span class="muted">{place}</span>
                                    <span class="muted">{child.school.clone()}</span>
                                    <span class="muted">{child.id_number_masked.clone().unwrap_or_default()}</span>
                                </div>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || loading.get()><Loading/></Show>
            <Show when=move || next.get().is_some() && !loading.get()>
                <button on:click=move |_| load(next.get_untracked())>{move || i18n.tr("加载更多", "Load more")}</button>
            </Show>
        </section>
    }
}
