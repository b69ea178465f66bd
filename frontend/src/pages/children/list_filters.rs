//! The registry's filters: each with a visible label, read from the address
//! (`/children?village=…&status=…`), so a home panel or a statistics number opens the very list
//! it counts. The filters and the address stay one: a link sets the filters, and a filter changed
//! here goes into the address (replacing it, so Back leaves the list) — all but the search text,
//! which may be a child's name. The statistics page's filters (age band, guardianship type …)
//! have no control of their own; the list states every active filter as a removable chip.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use shared::children::{CareLevel, Category};

use crate::api::ChildQuery;
use crate::components::table::{FilterBar, Sort};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// The filters kept in the address, in the address's order (the search text is not one).
pub const IN_ADDRESS: [&str; 17] = [
    "village",
    "school",
    "category",
    "care_level",
    "eligible",
    "status",
    "street",
    "gender",
    "age_band",
    "guardianship_type",
    "school_stage",
    "difficulty_group",
    "registered_year",
    "exited_year",
    "paired",
    "case_group",
    "open_crisis",
];

/// Address parameters that are not filters.
const NOT_FILTERS: [&str; 3] = ["q", "sort", "cursor"];

fn encode(value: &str) -> String {
    String::from(web_sys::js_sys::encode_uri_component(value))
}

/// What the address says: the filters this page knows in `IN_ADDRESS` order, then any other
/// filter it names (a link made by a newer server), which goes to the server as it came.
#[derive(Clone, PartialEq)]
struct Address {
    known: [String; 17],
    other: Vec<(String, String)>,
}

impl Address {
    fn read(params: &ParamsMap) -> Self {
        Self {
            known: IN_ADDRESS.map(|name| params.get(name).unwrap_or_default()),
            other: params
                .latest_values()
                .filter_map(|(name, value)| {
                    let name: &str = name;
                    let other = !value.is_empty()
                        && !IN_ADDRESS.contains(&name)
                        && !NOT_FILTERS.contains(&name);
                    other.then(|| (name.to_string(), value.to_string()))
                })
                .collect(),
        }
    }

    /// The registry's address with these filters.
    fn href(&self) -> String {
        let mut pairs = Vec::new();
        for (name, value) in IN_ADDRESS.iter().zip(&self.known) {
            if !value.is_empty() {
                pairs.push(format!("{name}={}", encode(value)));
            }
        }
        for (name, value) in &self.other {
            pairs.push(format!("{}={}", encode(name), encode(value)));
        }
        if pairs.is_empty() {
            "/children".to_string()
        } else {
            format!("/children?{}", pairs.join("&"))
        }
    }
}

#[derive(Clone, Copy)]
pub struct ListFilters {
    pub q: RwSignal<String>,
    pub village: RwSignal<String>,
    pub school: RwSignal<String>,
    pub category: RwSignal<String>,
    pub care_level: RwSignal<String>,
    pub eligible: RwSignal<String>,
    pub status: RwSignal<String>,
    pub street: RwSignal<String>,
    pub gender: RwSignal<String>,
    pub age_band: RwSignal<String>,
    pub guardianship_type: RwSignal<String>,
    pub school_stage: RwSignal<String>,
    pub difficulty_group: RwSignal<String>,
    pub registered_year: RwSignal<String>,
    pub exited_year: RwSignal<String>,
    pub paired: RwSignal<String>,
    pub case_group: RwSignal<String>,
    pub open_crisis: RwSignal<String>,
    /// Filters of the address this page does not know by name, as (name, value).
    pub other: RwSignal<Vec<(String, String)>>,
}

impl ListFilters {
    pub fn from_url() -> Self {
        let params = use_query_map().get_untracked();
        let read = |name: &str| RwSignal::new(params.get(name).unwrap_or_default());
        let filters = Self {
            q: read("q"),
            village: read("village"),
            school: read("school"),
            category: read("category"),
            care_level: read("care_level"),
            eligible: read("eligible"),
            status: read("status"),
            street: read("street"),
            gender: read("gender"),
            age_band: read("age_band"),
            guardianship_type: read("guardianship_type"),
            school_stage: read("school_stage"),
            difficulty_group: read("difficulty_group"),
            registered_year: read("registered_year"),
            exited_year: read("exited_year"),
            paired: read("paired"),
            case_group: read("case_group"),
            open_crisis: read("open_crisis"),
            other: RwSignal::new(Address::read(&params).other),
        };
        filters.keep_in_address();
        filters
    }

    /// The filters the address holds by name, in `IN_ADDRESS` order.
    pub fn in_address(&self) -> [RwSignal<String>; 17] {
        [
            self.village,
            self.school,
            self.category,
            self.care_level,
            self.eligible,
            self.status,
            self.street,
            self.gender,
            self.age_band,
            self.guardianship_type,
            self.school_stage,
            self.difficulty_group,
            self.registered_year,
            self.exited_year,
            self.paired,
            self.case_group,
            self.open_crisis,
        ]
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
            street: self.street.get(),
            gender: self.gender.get(),
            age_band: self.age_band.get(),
            guardianship_type: self.guardianship_type.get(),
            school_stage: self.school_stage.get(),
            difficulty_group: self.difficulty_group.get(),
            registered_year: self.registered_year.get(),
            exited_year: self.exited_year.get(),
            paired: self.paired.get(),
            case_group: self.case_group.get(),
            open_crisis: self.open_crisis.get(),
            other: self.other.get(),
            sort: sort.map(Sort::to_param).unwrap_or_default(),
        }
    }

    fn clear(&self) {
        self.q.set(String::new());
        for signal in self.in_address() {
            signal.set(String::new());
        }
        self.other.set(Vec::new());
    }

    fn any(&self) -> bool {
        !self.q.get().is_empty()
            || self
                .in_address()
                .iter()
                .any(|signal| !signal.get().is_empty())
            || !self.other.with(Vec::is_empty)
    }

    fn chosen(&self) -> Address {
        Address {
            known: self.in_address().map(|signal| signal.get()),
            other: self.other.get(),
        }
    }

    fn keep_in_address(self) {
        let query = use_query_map();
        let address = move || query.with(Address::read);
        // Both effects act only while the list is the page shown: opening a child changes the
        // address before the list goes.
        let pathname = use_location().pathname;
        let here = move || pathname.with(|path| path == "/children");
        // The address changed from elsewhere (the menu, a statistics number): the filters follow,
        // and a search typed for the old list goes with it.
        Effect::new(move |_| {
            if !here() {
                return;
            }
            let asked = address();
            let asked_q = query.with(|params| params.get("q").unwrap_or_default());
            if untrack(|| self.chosen()) == asked {
                return;
            }
            for (signal, value) in self.in_address().into_iter().zip(asked.known) {
                if signal.with_untracked(|now| *now != value) {
                    signal.set(value);
                }
            }
            if self.other.with_untracked(|now| *now != asked.other) {
                self.other.set(asked.other);
            }
            self.q.set(asked_q);
        });
        // A filter changed here: the address says so, for reloads and the back button.
        let navigate = use_navigate();
        Effect::new(move |_| {
            let chosen = self.chosen();
            if untrack(here) && untrack(address) != chosen {
                navigate(
                    &chosen.href(),
                    NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            }
        });
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
                <option value="" prop:selected=move || value.with(String::is_empty)>{move || i18n.tr(all_zh, all_en)}</option>
                {options.into_iter().map(|(code, zh, en)| view! {
                    <option value=code prop:selected=move || value.with(|now| now == code)>{move || i18n.tr(zh, en)}</option>
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
                <option value="" prop:selected=move || value.with(String::is_empty)>{move || i18n.tr("全部", "All")}</option>
                {streets.into_iter().map(|street| {
                    let villages: Vec<_> = shared::divisions::villages()
                        .filter(|village| village.parent == street.code)
                        .filter(|village| mine.is_empty() || mine.iter().any(|code| code == village.code))
                        .collect();
                    (!villages.is_empty()).then(|| view! {
                        <optgroup label=street.name>
                            {villages.into_iter().map(|village| {
                                let code = village.code;
                                view! { <option value=code prop:selected=move || value.with(|now| now == code)>{village.name}</option> }
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
