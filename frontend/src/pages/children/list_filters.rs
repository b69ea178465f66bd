//! The registry's filters: each with a visible label, read first from the address
//! (`/children?village=…&status=…`), so a home panel or a link can open a filtered list.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::children::{CareLevel, Category};

use crate::api::ChildQuery;
use crate::components::table::{FilterBar, Sort};
use crate::i18n::use_i18n;
use crate::session::use_session;

#[derive(Clone, Copy)]
pub struct ListFilters {
    pub q: RwSignal<String>,
    pub village: RwSignal<String>,
    pub school: RwSignal<String>,
    pub category: RwSignal<String>,
    pub care_level: RwSignal<String>,
    pub eligible: RwSignal<String>,
    pub status: RwSignal<String>,
}

impl ListFilters {
    pub fn from_url() -> Self {
        let query = use_query_map().get_untracked();
        let read = |name: &str| RwSignal::new(query.get(name).unwrap_or_default());
        Self {
            q: read("q"),
            village: read("village"),
            school: read("school"),
            category: read("category"),
            care_level: read("care_level"),
            eligible: read("eligible"),
            status: read("status"),
        }
    }

    pub fn query(&self, sort: Option<Sort>) -> ChildQuery {
        ChildQuery {
            q: self.q.get(),
            village: self.village.get(),
            school: self.school.get(),
            category: self.category.get(),
            care_level: self.care_level.get(),
            eligible: self.eligible.get(),
            status: self.status.get(),
            sort: sort.map(Sort::to_param).unwrap_or_default(),
        }
    }

    fn clear(&self) {
        for signal in [
            self.q,
            self.village,
            self.school,
            self.category,
            self.care_level,
            self.eligible,
            self.status,
        ] {
            signal.set(String::new());
        }
    }

    fn any(&self) -> bool {
        [
            self.q,
            self.village,
            self.school,
            self.category,
            self.care_level,
            self.eligible,
            self.status,
        ]
        .iter()
        .any(|signal| !signal.get().is_empty())
    }
}

/// One labelled select; the first option means "all".
#[component]
pub fn FilterSelect(
    id: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    all_zh: &'static str,
    all_en: &'static str,
    options: Vec<(&'static str, &'static str, &'static str)>,
    value: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field filter">
            <label for=id>{move || i18n.tr(label_zh, label_en)}</label>
            <select id=id on:change=move |event| value.set(event_target_value(&event))>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.tr(all_zh, all_en)}</option>
                {options.into_iter().map(|(code, zh, en)| view! {
                    <option value=code selected=move || value.get() == code>{move || i18n.tr(zh, en)}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// One labelled text filter, applied when it changes (Enter, or leaving the field).
#[component]
pub fn FilterText(
    id: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    #[prop(optional)] hint_zh: Option<&'static str>,
    #[prop(optional)] hint_en: Option<&'static str>,
    max: usize,
    value: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    let has_hint = hint_zh.is_some();
    view! {
        <div class="field filter">
            <label for=id>{move || i18n.tr(label_zh, label_en)}</label>
            <input id=id type="search" maxlength=max.to_string() autocomplete="off"
                aria-describedby=has_hint.then(|| hint_id.clone())
                prop:value=move || value.get()
                on:change=move |event| value.set(event_target_value(&event).trim().to_string())
                on:keydown=move |event| {
                    if event.key() == "Enter" {
                        value.set(event_target_value(&event).trim().to_string());
                    }
                }/>
            {has_hint.then(|| view! {
                <span class="hint" id=hint_id.clone()>{move || i18n.tr(hint_zh.unwrap_or_default(), hint_en.unwrap_or_default())}</span>
            })}
        </div>
    }
}

/// The reader's villages (a director's), or every village, grouped by street.
#[component]
fn VillageFilter(value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let mine: Vec<String> = match session.me().map(|me| me.scope) {
        Some(shared::Scope::Villages { codes }) => codes,
        _ => Vec::new(),
    };
    let streets: Vec<_> = shared::divisions::streets().collect();
    view! {
        <div class="field filter">
            <label for="filter-village">{move || i18n.tr("村(社区)", "Village / community")}</label>
            <select id="filter-village" on:change=move |event| value.set(event_target_value(&event))>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.tr("全部", "All")}</option>
                {streets.into_iter().map(|street| {
                    let villages: Vec<_> = shared::divisions::villages()
                        .filter(|village| village.parent == street.code)
                        .filter(|village| mine.is_empty() || mine.iter().any(|code| code == village.code))
                        .collect();
                    (!villages.is_empty()).then(|| view! {
                        <optgroup label=street.name>
                            {villages.into_iter().map(|village| {
                                let code = village.code;
                                view! { <option value=code selected=move || value.get() == code>{village.name}</option> }
                            }).collect_view()}
                        </optgroup>
                    })
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn RegistryFilters(filters: ListFilters) -> impl IntoView {
    let i18n = use_i18n();
    let categories: Vec<(&'static str, &'static str, &'static str)> = Category::ALL
        .into_iter()
        .map(|c| (c.as_str(), c.label().zh, c.label().en))
        .collect();
    let levels: Vec<(&'static str, &'static str, &'static str)> = CareLevel::ALL
        .into_iter()
        .map(|c| (c.as_str(), c.label().zh, c.label().en))
        .collect();
    view! {
        <form class="filter-form" role="search" novalidate
            aria-label=move || i18n.tr("筛选儿童", "Filter children")
            on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
            <FilterBar>
                <FilterText id="child-search" label_zh="搜索" label_en="Search" max=40 value=filters.q
                    hint_zh="姓名,或身份证号后 4 位" hint_en="Name, or the last 4 of the ID number"/>
                <VillageFilter value=filters.village/>
                <FilterText id="filter-school" label_zh="学校" label_en="School" max=60 value=filters.school/>
                <FilterSelect id="filter-category" label_zh="类别" label_en="Category" all_zh="全部" all_en="All"
                    options=categories value=filters.category/>
                <FilterSelect id="filter-care-level" label_zh="关爱等级" label_en="Care level" all_zh="全部" all_en="All"
                    options=levels value=filters.care_level/>
                <FilterSelect id="filter-eligible" label_zh="是否符合认定" label_en="Eligibility" all_zh="全部" all_en="All"
                    options=vec![("true", "符合", "Eligible"), ("false", "不符合", "Not eligible")] value=filters.eligible/>
                <FilterSelect id="filter-status" label_zh="状态" label_en="Status" all_zh="全部" all_en="All"
                    options=vec![("monitored", "监测中", "Monitored"), ("left_monitoring", "已退出监测", "Left monitoring")]
                    value=filters.status/>
                <button type="submit" id="child-search-submit">{move || i18n.tr("搜索", "Search")}</button>
                <Show when=move || filters.any()>
                    <button type="button" class="link-button" id="clear-filters" on:click=move |_| filters.clear()>
                        {move || i18n.tr("清除筛选", "Clear filters")}
                    </button>
                </Show>
            </FilterBar>
        </form>
    }
}
