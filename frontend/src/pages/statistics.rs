//! Admins and directors: the numbers a district reports upward (`/statistics`) — children
//! monitored, new and exited this year, pairing coverage, case groups and open crises, then the
//! monitored children by street, village, category, difficulty group, care level, age band,
//! gender, guardianship type and school stage. Every number is the server's count and a link
//! to the list whose total it is. An admin may narrow to a street or a village
//! (`?street=` / `?village=`), a director to one of their villages; the area lives in the
//! address, so Back from a list returns to the same numbers.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use shared::divisions::Division;
use shared::statistics::{Breakdown, StatCount, Statistics};
use shared::{Lang, Role, Scope};

use crate::components::chart::{Bar, BarChart};
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;
use crate::session::use_session;

/// The area asked for: one street (admins) or one village; neither is the reader's whole
/// scope.
#[derive(Debug, Clone, Default, PartialEq)]
struct Area {
    street: Option<String>,
    village: Option<String>,
}

impl Area {
    fn new(street: &str, village: &str, is_admin: bool) -> Self {
        let given = |value: &str| (!value.is_empty()).then(|| value.to_string());
        match given(village) {
            Some(village) => Self {
                street: None,
                village: Some(village),
            },
            None => Self {
                street: given(street).filter(|_| is_admin),
                village: None,
            },
        }
    }

    fn read(params: &ParamsMap, is_admin: bool) -> Self {
        let street = params.get("street").unwrap_or_default();
        let village = params.get("village").unwrap_or_default();
        Self::new(&street, &village, is_admin)
    }

    fn href(&self) -> String {
        let encode = |value: &str| String::from(web_sys::js_sys::encode_uri_component(value));
        match (&self.street, &self.village) {
            (_, Some(village)) => format!("/statistics?village={}", encode(village)),
            (Some(street), None) => format!("/statistics?street={}", encode(street)),
            (None, None) => "/statistics".to_string(),
        }
    }

    /// What the street select shows: the street asked for, or the one the village lies in.
    fn street_code(&self) -> String {
        match (&self.street, &self.village) {
            (_, Some(village)) => shared::divisions::village(village)
                .map(|found| found.parent.to_string())
                .unwrap_or_default(),
            (Some(street), None) => street.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Streets or villages for a select: (code, name).
fn options(divisions: impl Iterator<Item = Division>) -> Vec<(&'static str, &'static str)> {
    divisions
        .map(|division| (division.code, division.name))
        .collect()
}

#[component]
pub fn StatisticsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let is_admin = session.me().is_some_and(|me| me.role == Role::Admin);
    let mine: Vec<String> = match session.me().map(|me| me.scope) {
        Some(Scope::Villages { codes }) => codes,
        _ => Vec::new(),
    };
    let query = use_query_map();
    let address = move || query.with(|params| Area::read(params, is_admin));
    let first = untrack(address);
    let street = RwSignal::new(first.street_code());
    let village = RwSignal::new(first.village.clone().unwrap_or_default());
    let asked = move || Area::new(&street.get(), &village.get(), is_admin);
    // Both effects below act only while this page is the one shown: a link to a list changes
    // the address before the page goes, and its `village=` is not this page's.
    let pathname = use_location().pathname;
    let here = move || pathname.with(|path| path == "/statistics");
    // The address changed from elsewhere (the menu): the area follows.
    Effect::new(move |_| {
        if !here() {
            return;
        }
        let area = address();
        let (asked_street, asked_village) = (area.street_code(), area.village.unwrap_or_default());
        if street.with_untracked(|now| *now != asked_street) {
            street.set(asked_street);
        }
        if village.with_untracked(|now| *now != asked_village) {
            village.set(asked_village);
        }
    });
    // The area changed here: the address says so, for reloads and the back button.
    let navigate = use_navigate();
    Effect::new(move |_| {
        let chosen = asked();
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
    let counted = LocalResource::new(move || {
        let area = asked();
        async move { crate::api::statistics(area.street.as_deref(), area.village.as_deref()).await }
    });
    let xlsx = move || {
        let area = asked();
        crate::api::statistics_export_href(area.street.as_deref(), area.village.as_deref())
    };
    let my_villages = options(
        mine.iter()
            .filter_map(|code| shared::divisions::village(code.as_str())),
    );
    view! {
        <section class="card" id="statistics">
            <div class="card-head">
                <h1>{move || i18n.tr("统计", "Statistics")}</h1>
                <div class="row-actions">
                    <a id="statistics-export" class="button" href=xlsx download>
                        {move || i18n.tr("导出 XLSX", "Export XLSX")}
                    </a>
                </div>
            </div>
            <p class="muted">{move || i18n.tr(
                "按名册中的儿童统计。点任一数字,可打开它所统计的名单,名单的总数与数字相同。",
                "Counted from the registry. Open any number to see the list it counts; the list's total is the same number.")}</p>
            {if is_admin {
                view! { <AdminArea street=street village=village/> }.into_any()
            } else {
                view! { <DirectorArea villages=my_villages village=village/> }.into_any()
            }}
            {move || match counted.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => {
                    let (error, _) = signal(Some(error));
                    view! { <ErrorBanner error=error/> }.into_any()
                }
                Some(Ok(numbers)) => view! { <Report numbers=numbers/> }.into_any(),
            }}
        </section>
    }
}

/// One labelled select of the area; the first option is the wider area.
#[component]
fn AreaSelect(
    id: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    all_zh: &'static str,
    all_en: &'static str,
    options: Vec<(&'static str, &'static str)>,
    value: RwSignal<String>,
    /// Also run when the choice changes (a new street empties the village).
    #[prop(optional)]
    also: Option<RwSignal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field filter">
            <label for=id>{move || i18n.tr(label_zh, label_en)}</label>
            <select id=id on:change=move |event| {
                value.set(event_target_value(&event));
                if let Some(also) = also {
                    also.set(String::new());
                }
            }>
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    {move || i18n.tr(all_zh, all_en)}
                </option>
                {options.into_iter().map(|(code, name)| view! {
                    <option value=code prop:selected=move || value.with(|now| now == code)>{name}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// Admins: the district, one street, or one village of that street.
#[component]
fn AdminArea(street: RwSignal<String>, village: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let streets = options(shared::divisions::streets());
    view! {
        <div class="stat-area" role="group" aria-label=move || i18n.tr("统计范围", "Area counted")>
            <AreaSelect id="statistics-street" label_zh="街道" label_en="Street"
                all_zh="全区" all_en="The whole district" options=streets value=street
                also=village/>
            {move || {
                let chosen = street.get();
                let villages = options(
                    shared::divisions::villages().filter(|found| found.parent == chosen),
                );
                (!villages.is_empty()).then(|| view! {
                    <AreaSelect id="statistics-village" label_zh="村(社区)" label_en="Village / community"
                        all_zh="整个街道" all_en="The whole street" options=villages value=village/>
                })
            }}
        </div>
    }
}

/// Directors: all their villages, or one of them (a choice only with more than one).
#[component]
fn DirectorArea(
    villages: Vec<(&'static str, &'static str)>,
    village: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    (villages.len() > 1).then(|| {
        view! {
            <div class="stat-area" role="group" aria-label=move || i18n.tr("统计范围", "Area counted")>
                <AreaSelect id="statistics-village" label_zh="村(社区)" label_en="Village / community"
                    all_zh="我负责的全部村(社区)" all_en="All my villages" options=villages
                    value=village/>
            </div>
        }
    })
}

/// Where the numbers were counted, from the villages the server counted.
fn scope_text(numbers: &Statistics, lang: Lang) -> String {
    let text = |zh: String, en: String| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    match numbers.villages.as_slice() {
        [] if numbers.whole_district => text("全区".into(), "The whole district".into()),
        [] => text(
            "所选范围内没有您负责的村(社区)".into(),
            "None of your villages is in this area".into(),
        ),
        [one] => {
            let street = shared::divisions::street_of_village(one)
                .map(|street| street.name)
                .unwrap_or_default();
            let name = shared::divisions::village_name(one).unwrap_or(one.as_str());
            format!("{street} {name}").trim().to_string()
        }
        [first, rest @ ..] => {
            let street = shared::divisions::village(first).map(|found| found.parent);
            let one_street = rest
                .iter()
                .all(|code| shared::divisions::village(code).map(|found| found.parent) == street);
            let street_name = street.and_then(|code| {
                shared::divisions::streets()
                    .find(|found| found.code == code)
                    .map(|found| found.name)
            });
            let count = numbers.villages.len();
            match street_name.filter(|_| one_street) {
                Some(name) => text(
                    format!("{name}({count} 个村(社区))"),
                    format!("{name} ({count} villages)"),
                ),
                None => text(
                    format!("{count} 个村(社区)"),
                    format!("{count} villages / communities"),
                ),
            }
        }
    }
}

#[component]
fn Report(numbers: Statistics) -> impl IntoView {
    let i18n = use_i18n();
    let as_of = numbers.as_of;
    let (scope_zh, scope_en) = (
        scope_text(&numbers, Lang::Zh),
        scope_text(&numbers, Lang::En),
    );
    let as_of_text = move || {
        let lang = i18n.lang.get();
        let date = shared::time::format_date(as_of, lang);
        match lang {
            Lang::Zh => format!("截至 {date} · {scope_zh}"),
            Lang::En => format!("As of {date} · {scope_en}"),
        }
    };
    let coverage = format!("{}%", numbers.pairing_coverage_percent());
    let coverage_detail = format!("{} / {}", numbers.paired.count, numbers.monitored.count);
    let nothing = numbers.monitored.count == 0;
    let sections = numbers
        .breakdowns
        .into_iter()
        .map(|breakdown| view! { <BreakdownSection breakdown=breakdown/> })
        .collect_view();
    view! {
        <p id="statistics-as-of" class="stat-as-of">{as_of_text}</p>
        <ul class="stat-headlines">
            <Headline stat="monitored" zh="监测中儿童" en="Children monitored"
                number=numbers.monitored/>
            <Headline stat="new_this_year" zh="本年新增" en="Registered this year"
                number=numbers.new_this_year/>
            <Headline stat="exited_this_year" zh="本年退出" en="Left monitoring this year"
                number=numbers.exited_this_year/>
            <Headline stat="paired" zh="结对覆盖率" en="Pairing coverage"
                number=numbers.paired shown=coverage detail=coverage_detail/>
            <Headline stat="open_cases" zh="个案群组" en="Case groups"
                number=numbers.open_cases/>
            <Headline stat="open_crises" zh="未解除的危机" en="Open crises"
                number=numbers.open_crises/>
        </ul>
        {nothing.then(|| view! {
            <Empty zh="这里还没有监测中的儿童。登记儿童后,这里会按街道、村(社区)、类别、年龄段等统计。"
                en="No children are being monitored here yet. Once children are registered, they are counted here by street, village, category, age and more."/>
        })}
        {(!nothing).then_some(sections)}
    }
}

/// A headline number: `a.stat-headline[data-stat][data-count]` to the list it counts.
/// `shown` replaces the count on screen (a percentage), `detail` goes under the label.
#[component]
fn Headline(
    stat: &'static str,
    zh: &'static str,
    en: &'static str,
    number: StatCount,
    #[prop(optional, into)] shown: Option<String>,
    #[prop(optional, into)] detail: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = number.count;
    view! {
        <li>
            <a class="stat-headline" href=number.link.page data-stat=stat
                data-count=count.to_string()>
                <span class="stat-headline-number">{shown.unwrap_or_else(|| count.to_string())}</span>
                <span class="stat-headline-label">{move || i18n.tr(zh, en)}</span>
                {detail.map(|detail| view! { <span class="stat-headline-detail">{detail}</span> })}
            </a>
        </li>
    }
}

/// One breakdown: its title, a note where the bars may add up to more than the children
/// counted, and the bars (`data-stat="<dimension>:<key>"`).
#[component]
fn BreakdownSection(breakdown: Breakdown) -> impl IntoView {
    let i18n = use_i18n();
    let dimension = breakdown.dimension;
    let title = breakdown.title;
    let title_id = format!("stat-{dimension}-title");
    let bars: Vec<Bar> = breakdown
        .buckets
        .into_iter()
        .map(|bucket| Bar {
            stat: format!("{dimension}:{}", bucket.key),
            label: bucket.label,
            count: bucket.count,
            href: bucket.link.page,
        })
        .collect();
    let several = dimension == "difficulty_group";
    let labelled_by = title_id.clone();
    view! {
        <section class="stat-section" id=format!("stat-{dimension}")
            aria-labelledby=labelled_by>
            <h2 id=title_id>{move || title.get(i18n.lang.get()).to_string()}</h2>
            {several.then(|| view! {
                <p class="muted">{move || i18n.tr(
                    "一名儿童可属于多个困境类别,各项之和可能大于监测中儿童数。",
                    "A child may belong to several groups, so these may add up to more than the children monitored.")}</p>
            })}
            {if bars.is_empty() {
                view! { <Empty zh="没有可统计的儿童。" en="No children to count here."/> }.into_any()
            } else {
                view! { <BarChart bars=bars/> }.into_any()
            }}
        </section>
    }
}
