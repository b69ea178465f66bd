//! The registry: a table with its total, sorting by name, labelled filters (also stated as
//! removable chips) and pages.

use leptos::prelude::*;
use shared::children::{CareLevel, Category, ChildSummary, Gender, MonitoringStatus};
use shared::national::{AgeBand, DifficultyGroup, GuardianshipType, SchoolStage};
use shared::{Lang, Role, Text};

use super::form::today;
use super::list_filters::{ListFilters, RegistryFilters, IN_ADDRESS};
use super::{age, village_label};
use crate::api::ChildQuery;
use crate::components::feedback::{ErrorBanner, Loading};
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
            <ActiveFilters filters=filters/>
            {move || match page.get() {
                None => view! { <Loading/> }.into_any(),
                // A filter the server refuses (a link with a wrong code) is named in the message.
                Some(Err(error)) => {
                    let (error, _) = signal(Some(error));
                    view! { <ErrorBanner error=error/> }.into_any()
                }
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

/// A coded value's label; `none` is "not recorded"; an unknown code is shown as it is (the
/// server answers it with a clear error).
fn coded(value: &str, label: Option<Text>, lang: Lang) -> String {
    if value == "none" {
        return Text::new("未填写", "Not recorded").get(lang).to_string();
    }
    label.map_or_else(|| value.to_string(), |label| label.get(lang).to_string())
}

fn village_text(code: &str) -> String {
    match shared::divisions::village(code) {
        Some(village) => {
            let street = shared::divisions::street_of_village(code)
                .map(|street| street.name)
                .unwrap_or_default();
            format!("{street} {}", village.name).trim().to_string()
        }
        None => code.to_string(),
    }
}

/// The label of one of a few codes.
fn one_of(value: &str, choices: &[(&str, Text)]) -> Option<Text> {
    choices
        .iter()
        .find(|(code, _)| *code == value)
        .map(|(_, text)| *text)
}

/// What an active filter says in the reader's language: "关爱等级:紧急关注".
fn describe(name: &str, value: &str, lang: Lang) -> String {
    let label = |text: Option<Text>| coded(value, text, lang);
    let year = match lang {
        Lang::Zh => format!("{value} 年"),
        Lang::En => value.to_string(),
    };
    let yes_no = [
        ("true", Text::new("有", "Yes")),
        ("false", Text::new("没有", "No")),
    ];
    let (title, shown) = match name {
        "village" => (
            Text::new("村(社区)", "Village / community"),
            village_text(value),
        ),
        "school" => (Text::new("学校", "School"), value.to_string()),
        "category" => (
            Text::new("类别", "Category"),
            label(
                Category::ALL
                    .into_iter()
                    .find(|c| c.as_str() == value)
                    .map(Category::label),
            ),
        ),
        "care_level" => (
            Text::new("关爱等级", "Care level"),
            label(
                CareLevel::ALL
                    .into_iter()
                    .find(|c| c.as_str() == value)
                    .map(CareLevel::label),
            ),
        ),
        "eligible" => (
            Text::new("是否符合认定", "Eligibility"),
            label(one_of(
                value,
                &[
                    ("true", Text::new("符合", "Eligible")),
                    ("false", Text::new("不符合", "Not eligible")),
                ],
            )),
        ),
        "status" => (
            Text::new("状态", "Status"),
            label(
                [
                    MonitoringStatus::Monitored,
                    MonitoringStatus::LeftMonitoring,
                ]
                .into_iter()
                .find(|s| s.as_str() == value)
                .map(MonitoringStatus::label),
            ),
        ),
        "street" => (
            Text::new("街道", "Street"),
            shared::divisions::streets()
                .find(|street| street.code == value)
                .map_or_else(|| value.to_string(), |street| street.name.to_string()),
        ),
        "gender" => (
            Text::new("性别", "Gender"),
            label(one_of(
                value,
                &[
                    ("male", Gender::Male.label()),
                    ("female", Gender::Female.label()),
                ],
            )),
        ),
        "age_band" => (
            Text::new("年龄段", "Age"),
            label(AgeBand::parse(value).map(AgeBand::label)),
        ),
        "guardianship_type" => (
            Text::new("监护类型", "Guardianship"),
            label(GuardianshipType::parse(value).map(GuardianshipType::label)),
        ),
        "school_stage" => (
            Text::new("就学情况", "Schooling"),
            label(SchoolStage::parse(value).map(SchoolStage::label)),
        ),
        "difficulty_group" => (
            Text::new("困境类别", "Difficulty group"),
            label(DifficultyGroup::parse(value).map(DifficultyGroup::label)),
        ),
        "paired" => (
            Text::new("爱心妈妈结对", "Caring-mother pairing"),
            label(one_of(value, &yes_no)),
        ),
        "case_group" => (
            Text::new("个案群组", "Case group"),
            label(one_of(value, &yes_no)),
        ),
        "open_crisis" => (
            Text::new("未解除的危机", "Open crisis"),
            label(one_of(value, &yes_no)),
        ),
        "registered_year" => (Text::new("登记年份", "Registered in"), year),
        "exited_year" => (Text::new("退出监测年份", "Left monitoring in"), year),
        _ => (Text::new("筛选", "Filter"), value.to_string()),
    };
    match lang {
        Lang::Zh => format!("{}:{shown}", title.zh),
        Lang::En => format!("{}: {shown}", title.en),
    }
}

/// One stated filter: its parameter, what it says, and the filter to empty when removed (`None`:
/// one of the filters this page does not know by name).
struct Chip {
    name: String,
    text: String,
    signal: Option<RwSignal<String>>,
}

fn chips(filters: ListFilters, lang: Lang) -> Vec<Chip> {
    let known = IN_ADDRESS
        .into_iter()
        .zip(filters.in_address())
        .filter_map(|(name, signal)| {
            let value = signal.get();
            (!value.is_empty()).then(|| Chip {
                name: name.to_string(),
                text: describe(name, &value, lang),
                signal: Some(signal),
            })
        });
    let other = filters.other.get().into_iter().map(|(name, value)| Chip {
        text: format!("{name} = {value}"),
        name,
        signal: None,
    });
    known.chain(other).collect()
}

/// "筛选:关爱等级:紧急关注 ✕ …": every active filter but the search text (which shows in its
/// own box), each removable — on a phone most controls are folded away, and the statistics
/// page's filters have none.
#[component]
fn ActiveFilters(filters: ListFilters) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let lang = i18n.lang.get();
        let active = chips(filters, lang);
        (!active.is_empty()).then(|| {
            let items = active
                .into_iter()
                .map(|chip| {
                    let remove = match lang {
                        Lang::Zh => format!("移除筛选 {}", chip.text),
                        Lang::En => format!("Remove the filter {}", chip.text),
                    };
                    let name = chip.name.clone();
                    let remove_title = remove.clone();
                    let filter_name = chip.name.clone();
                    let chip_text = chip.text.clone();
                    let on_remove = move |_: leptos::ev::MouseEvent| match chip.signal {
                        Some(signal) => signal.set(String::new()),
                        None => filters
                            .other
                            .update(|other| other.retain(|(kept, _)| *kept != name)),
                    };
                    view! {
                        <li class="filter-chip" data-filter=filter_name>
                            <span class="filter-chip-text">{chip_text}</span>
                            <button type="button" class="chip-remove" title=remove_title
                                on:click=on_remove>
                                <span aria-hidden="true">"✕"</span>
                                <span class="visually-hidden">{remove}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div id="active-filters" class="active-filters">
                    <span class="active-filters-title">{i18n.tr("筛选:", "Filtered by:")}</span>
                    <ul class="filter-chips">{items}</ul>
                </div>
            }
        })
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
