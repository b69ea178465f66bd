//! Admins: visit compliance for one quarter (`/visits/compliance`): visits done, due and
//! overdue per street, per village and per director, children never visited, first visits
//! later than the allowed working days, the trend by quarter, and the same as CSV/XLSX.
//! Every number is the server's count from the visit records (one query, audited).

use leptos::prelude::*;
use shared::calendar::Quarter;
use shared::visits::{Compliance, ComplianceRow, DueState, DueVisit, QuarterTrend};
use shared::Lang;

use crate::components::feedback::Loading;
use crate::components::form::{Choice, SelectField};
use crate::components::table::{sort_by_key, Column, DataTable, Sort};
use crate::i18n::use_i18n;
use crate::pages::cases::interned;

/// The quarters offered: this one and the three before it, newest first.
fn quarters(today: chrono::NaiveDate) -> Vec<Quarter> {
    let mut quarter = Quarter::of(today);
    let mut list = Vec::with_capacity(4);
    for _ in 0..4 {
        list.push(quarter);
        quarter = quarter.previous();
    }
    list
}

fn quarter_choices(list: &[Quarter]) -> Vec<Choice> {
    list.iter()
        .map(|quarter| {
            Choice::new(
                interned(quarter.code()),
                interned(quarter.label(Lang::Zh)),
                interned(quarter.label(Lang::En)),
            )
        })
        .collect()
}

fn export_href(quarter: &str, format: &str) -> String {
    if quarter.is_empty() {
        format!("/api/visits/compliance/export?format={format}")
    } else {
        format!("/api/visits/compliance/export?quarter={quarter}&format={format}")
    }
}

fn row_columns(name_zh: &'static str, name_en: &'static str) -> Vec<Column> {
    vec![
        Column::new("name", name_zh, name_en).sortable(),
        Column::new("children", "在册儿童", "Children").sortable(),
        Column::new("visited", "已走访", "Visited").sortable(),
        Column::new("visits", "走访次数", "Visits").sortable(),
        Column::new("due", "待走访", "Due").sortable(),
        Column::new("overdue", "逾期", "Overdue").sortable(),
        Column::new("never_visited", "从未走访", "Never visited").sortable(),
        Column::new("late_first_visits", "首访超时", "Late first visits").sortable(),
    ]
}

/// The sort key of a row for a column: numbers by value, the name by its text.
fn row_key(row: &ComplianceRow, column: &'static str) -> (u32, String) {
    let number = match column {
        "children" => row.children,
        "visited" => row.visited,
        "visits" => row.visits,
        "due" => row.due,
        "overdue" => row.overdue,
        "never_visited" => row.never_visited,
        "late_first_visits" => row.late_first_visits,
        _ => return (0, row.name.clone()),
    };
    (number, String::new())
}

#[component]
pub fn CompliancePage() -> impl IntoView {
    let i18n = use_i18n();
    let offered = quarters(shared::time::beijing_date(chrono::Utc::now()));
    let current = offered
        .first()
        .map(|quarter| quarter.code())
        .unwrap_or_default();
    let choices = quarter_choices(&offered);
    // "" (the placeholder) means the server's current quarter.
    let chosen = RwSignal::new(current);
    let report = LocalResource::new(move || {
        let code = chosen.get();
        async move {
            let quarter = (!code.is_empty()).then_some(code.as_str());
            crate::api::compliance(quarter).await
        }
    });
    let csv = move || export_href(&chosen.get(), "csv");
    let xlsx = move || export_href(&chosen.get(), "xlsx");
    view! {
        <section class="card" id="compliance">
            <h1>{move || i18n.tr("走访统计", "Visit compliance")}</h1>
            <p class="muted">{move || i18n.tr(
                "儿童主任每季度至少走访每名留守儿童一次;新登记的儿童应在规定的工作日内完成首次走访。以下数字均按走访记录统计。",
                "Children's directors visit every left-behind child at least once a quarter, and a newly registered child within the set working days. The numbers below are counted from the visit records.")}</p>
            <SelectField id="compliance-quarter" label_zh="季度" label_en="Quarter"
                options=choices value=chosen
                placeholder_zh="本季度" placeholder_en="This quarter"/>
            <p class="row-actions">
                <a id="export-xlsx" class="button" href=xlsx download>{move || i18n.tr("导出 XLSX", "Export XLSX")}</a>
                <a id="export-csv" class="button" href=csv download>{move || i18n.tr("导出 CSV", "Export CSV")}</a>
            </p>
            {move || match report.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! {
                    <div class="error" role="alert">{move || error.message(i18n.lang.get())}</div>
                }.into_any(),
                Some(Ok(report)) => view! { <Report report=report/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Report(report: Compliance) -> impl IntoView {
    let i18n = use_i18n();
    let quarter = report.quarter;
    let total = report.total.clone();
    view! {
        <h2 id="compliance-quarter-title">{move || quarter.label(i18n.lang.get())}</h2>
        <Totals total=total/>
        <h2>{move || i18n.tr("按街道", "By street")}</h2>
        <RowTable id="by-street" rows=report.by_street name_zh="街道" name_en="Street"
            empty_zh="没有街道的数据。" empty_en="No streets to show."/>
        <h2>{move || i18n.tr("按村(社区)", "By village / community")}</h2>
        <RowTable id="by-village" rows=report.by_village name_zh="村(社区)" name_en="Village / community"
            empty_zh="没有村(社区)的数据。" empty_en="No villages to show."/>
        <h2>{move || i18n.tr("按儿童主任", "By children's director")}</h2>
        <RowTable id="by-director" rows=report.by_director name_zh="儿童主任" name_en="Director"
            empty_zh="还没有儿童主任。" empty_en="No children's directors yet."/>
        <h2>{move || i18n.tr("从未走访的儿童", "Children never visited")}</h2>
        <NeverVisited list=report.never_visited/>
        <h2>{move || i18n.tr("季度趋势", "Trend by quarter")}</h2>
        <Trend list=report.trend/>
    }
}

/// The district's totals in one line; each number also in a `data-*` attribute.
#[component]
fn Totals(total: ComplianceRow) -> impl IntoView {
    let i18n = use_i18n();
    let text = {
        let total = total.clone();
        move || {
            match i18n.lang.get() {
            Lang::Zh => format!(
                "全区:在册儿童 {} 名,本季度已走访 {} 名(共 {} 次),待走访 {} 名,逾期 {} 名,从未走访 {} 名,首访超时 {} 次。",
                total.children,
                total.visited,
                total.visits,
                total.due,
                total.overdue,
                total.never_visited,
                total.late_first_visits
            ),
            Lang::En => format!(
                "District: {} children; {} visited this quarter ({} visits); {} due; {} overdue; {} never visited; {} late first visits.",
                total.children,
                total.visited,
                total.visits,
                total.due,
                total.overdue,
                total.never_visited,
                total.late_first_visits
            ),
        }
        }
    };
    view! {
        <p id="compliance-total" class="notice"
            data-children=total.children.to_string()
            data-visited=total.visited.to_string()
            data-visits=total.visits.to_string()
            data-due=total.due.to_string()
            data-overdue=total.overdue.to_string()
            data-never-visited=total.never_visited.to_string()
            data-late-first-visits=total.late_first_visits.to_string()>
            {text}
        </p>
    }
}

/// Streets, villages or directors, one row each (`tr[data-key]`), sortable in the browser.
#[component]
fn RowTable(
    id: &'static str,
    rows: Vec<ComplianceRow>,
    name_zh: &'static str,
    name_en: &'static str,
    empty_zh: &'static str,
    empty_en: &'static str,
) -> impl IntoView {
    let sort = RwSignal::new(None::<Sort>);
    let columns = row_columns(name_zh, name_en);
    let total = Signal::derive({
        let count = rows.len() as u64;
        move || Some(count)
    });
    let rows = StoredValue::new(rows);
    let sorted = move || {
        let mut list = rows.get_value();
        sort_by_key(&mut list, sort.get(), row_key);
        list
    };
    view! {
        <DataTable id=id columns=columns sort=sort total=total
            empty_zh=empty_zh empty_en=empty_en caption_zh=name_zh caption_en=name_en>
            {move || sorted().into_iter().map(|row| view! {
                <tr data-key=row.key.clone()>
                    <th scope="row">{row.name.clone()}</th>
                    <td data-col="children">{row.children}</td>
                    <td data-col="visited">{row.visited}</td>
                    <td data-col="visits">{row.visits}</td>
                    <td data-col="due">{row.due}</td>
                    <td data-col="overdue">{row.overdue}</td>
                    <td data-col="never_visited">{row.never_visited}</td>
                    <td data-col="late_first_visits">{row.late_first_visits}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}

fn village_text(code: &str) -> String {
    let street = shared::divisions::street_of_village(code)
        .map(|street| street.name)
        .unwrap_or_default();
    let village = shared::divisions::village_name(code).unwrap_or(code);
    if street.is_empty() {
        village.to_string()
    } else {
        format!("{street} {village}")
    }
}

fn never_visited_columns() -> Vec<Column> {
    vec![
        Column::new("name", "姓名", "Name"),
        Column::new("village", "村(社区)", "Village / community"),
        Column::new("level", "关爱等级", "Care level"),
        Column::new("due", "首次走访应于", "First visit due"),
    ]
}

fn trend_columns() -> Vec<Column> {
    vec![
        Column::new("quarter", "季度", "Quarter"),
        Column::new("visits", "走访次数", "Visits"),
        Column::new("children_visited", "已走访儿童", "Children visited"),
    ]
}

/// Children never visited, each linked to their record, with when the first visit is due.
#[component]
fn NeverVisited(list: Vec<DueVisit>) -> impl IntoView {
    let i18n = use_i18n();
    let total = Signal::derive({
        let count = list.len() as u64;
        move || Some(count)
    });
    view! {
        <DataTable id="never-visited" columns=never_visited_columns() total=total
            empty_zh="没有从未走访的儿童。" empty_en="Every child has been visited."
            caption_zh="从未走访的儿童" caption_en="Children never visited">
            {list.into_iter().map(|child| {
                let href = format!("/children/{}", child.child_id);
                let level = child.care_level;
                let due = child.due;
                let overdue = child.state == DueState::Overdue;
                view! {
                    <tr data-child=child.child_id.clone()>
                        <td><a href=href>{child.child_name.clone()}</a></td>
                        <td>{village_text(&child.village_code)}</td>
                        <td><span class=format!("level level-{}", level.as_str())>{move || level.label().get(i18n.lang.get())}</span></td>
                        <td>
                            {move || shared::time::format_date(due, i18n.lang.get())}
                            {overdue.then(|| view! {
                                " " <span class="status level-urgent">{move || DueState::Overdue.label().get(i18n.lang.get())}</span>
                            })}
                        </td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}

/// Visits and children visited in each of the last four quarters, oldest first.
#[component]
fn Trend(list: Vec<QuarterTrend>) -> impl IntoView {
    let i18n = use_i18n();
    let total = Signal::derive({
        let count = list.len() as u64;
        move || Some(count)
    });
    view! {
        <DataTable id="trend" columns=trend_columns() total=total
            empty_zh="还没有走访记录。" empty_en="No visits recorded yet."
            caption_zh="季度趋势" caption_en="Trend by quarter">
            {list.into_iter().map(|point| {
                let quarter = point.quarter;
                view! {
                    <tr data-quarter=quarter.code()>
                        <th scope="row">{move || quarter.label(i18n.lang.get())}</th>
                        <td data-col="visits">{point.visits}</td>
                        <td data-col="children_visited">{point.children_visited}</td>
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
}
