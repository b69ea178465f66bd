//! The registry: a table with its total, sorting by name, labelled filters and pages.

use leptos::prelude::*;
use shared::children::{ChildSummary, MonitoringStatus};
use shared::Role;

use super::form::today;
use super::list_filters::{ListFilters, RegistryFilters};
use super::{age, village_label};
use crate::api::ChildQuery;
use crate::components::feedback::Loading;
use crate::components::table::{Column, CursorPages, DataTable, Pager, Sort};
use crate::i18n::use_i18n;
use crate::session::use_session;

const PAGE_SIZE: u64 = 50;

fn columns() -> Vec<Column> {
    vec![
        Column::new("name", "姓名", "Name").sortable(),
        Column::new("gender", "性别", "Gender"),
        Column::new("birth", "出生日期 / 年龄", "Born / age"),
        Column::new("village", "村(社区)", "Village / community"),
        Column::new("school", "学校", "School"),
        Column::new("category", "类别", "Category"),
        Column::new("care_level", "关爱等级", "Care level"),
        Column::new("status", "状态", "Status"),
    ]
}

#[component]
pub fn ChildrenPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = move || session.me().is_some_and(|me| me.role == Role::Admin);
    let filters = ListFilters::from_url();
    let sort = RwSignal::new(Some(Sort {
        key: "name",
        descending: false,
    }));
    let pages = CursorPages::new();
    let query = Memo::new(move |_| filters.query(sort.get()));
    // A new filter or order starts again at the first page.
    Effect::new(move |ran: Option<()>| {
        query.track();
        if ran.is_some() && untrack(|| pages.page_index()) > 0 {
            pages.reset();
        }
    });
    let asked = StoredValue::new(None::<ChildQuery>);
    let page = LocalResource::new(move || {
        let current = query.get();
        let cursor = pages.current();
        // The cursor belongs to the previous filters until the reset above lands.
        let same = asked.with_value(|last| last.as_ref() == Some(&current));
        asked.set_value(Some(current.clone()));
        let cursor = if same { cursor } else { None };
        async move { crate::api::children(&current, cursor).await }
    });
    let loaded = move || page.get().and_then(Result::ok);
    let total = Signal::derive(move || loaded().map(|p| p.total.unwrap_or(p.items.len() as u64)));
    let shown = Signal::derive(move || loaded().map_or(0, |p| p.items.len() as u64));
    let next = Signal::derive(move || loaded().and_then(|p| p.next));

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
            <RegistryFilters filters=filters/>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! {
                    <div class="error" role="alert">{error.message(i18n.lang.get())}</div>
                }.into_any(),
                Some(Ok(list)) => {
                    let rows = list.items.into_iter().map(|child| view! { <ChildRow child=child/> }).collect_view();
                    view! {
                        <DataTable id="children-list" columns=columns() sort=sort total=total
                            empty_zh="没有符合条件的儿童。" empty_en="No children match."
                            caption_zh="儿童名册" caption_en="Children registry">
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
fn ChildRow(child: ChildSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/children/{}", child.id);
    let years = age(child.birth_date, today());
    let place = village_label(&child);
    let (gender, category, level, status) =
        (child.gender, child.category, child.care_level, child.status);
    let birth = child.birth_date;
    let eligible = child.eligible;
    let duplicate = child.possible_duplicate;
    view! {
        <tr data-child=child.id.clone()>
            <td>
                <a href=href><strong>{child.name.clone()}</strong></a>
                {child.id_number_masked.clone().map(|id| view! { <div class="muted">{id}</div> })}
                {duplicate.then(|| view! {
                    <div><span class="status status-pending">{move || i18n.tr("疑似重复", "Possible duplicate")}</span></div>
                })}
            </td>
            <td>{move || gender.label().get(i18n.lang.get())}</td>
            <td>
                {move || shared::time::format_date(birth, i18n.lang.get())}
                <div class="muted">{years} {move || i18n.tr(" 周岁", " years")}</div>
            </td>
            <td>{place}</td>
            <td>{child.school.clone()}</td>
            <td>{move || category.label().get(i18n.lang.get())}</td>
            <td><span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span></td>
            <td>
                <span class=if status == MonitoringStatus::Monitored { "status status-active" } else { "status status-disabled" }>
                    {move || status.label().get(i18n.lang.get())}
                </span>
                <div>
                    <span class=if eligible { "status status-active" } else { "status status-pending" }>
                        {move || if eligible { i18n.tr("符合认定", "Eligible") } else { i18n.tr("不符合认定", "Not eligible") }}
                    </span>
                </div>
            </td>
        </tr>
    }
}
