//! Admins: `/referrals/report`, the office's monthly figures — referrals raised, open, overdue
//! and waiting for the office; per member unit its open parts by age, and the median and 90th
//! percentile time to a first answer and to resolution — and the same as XLSX/CSV for the
//! office's meeting.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use shared::referrals::{ReferralReport, UnitStats};
use shared::Lang;

use crate::components::feedback::Loading;
use crate::components::form::{Choice, SelectField};
use crate::components::table::{sort_by_key, Column, DataTable, Sort};
use crate::i18n::use_i18n;
use crate::pages::cases::interned;

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "2026-11" → "2026年11月" / "Nov 2026" (the code itself when it is not a month).
fn month_label(code: &str, lang: Lang) -> String {
    let parsed = code
        .split_once('-')
        .and_then(|(year, month)| Some((year.parse::<i32>().ok()?, month.parse::<usize>().ok()?)))
        .filter(|(_, month)| (1..=12).contains(month));
    match (parsed, lang) {
        (Some((year, month)), Lang::Zh) => format!("{year}年{month}月"),
        (Some((year, month)), Lang::En) => format!("{} {year}", MONTH_NAMES[month - 1]),
        (None, _) => code.to_string(),
    }
}

/// This month and the five before it, newest first, by their code ("2026-11").
fn months(today: NaiveDate) -> Vec<Choice> {
    let (mut year, mut month) = (today.year(), today.month());
    let mut list = Vec::with_capacity(6);
    for _ in 0..6 {
        let code = format!("{year:04}-{month:02}");
        list.push(Choice::new(
            interned(code.clone()),
            interned(month_label(&code, Lang::Zh)),
            interned(month_label(&code, Lang::En)),
        ));
        if month == 1 {
            year -= 1;
            month = 12;
        } else {
            month -= 1;
        }
    }
    list
}

fn export_href(month: &str, format: &str) -> String {
    if month.is_empty() {
        format!("/api/referrals/report/export?format={format}")
    } else {
        format!("/api/referrals/report/export?month={month}&format={format}")
    }
}

#[component]
pub fn ReferralReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let offered = months(super::today());
    let current = offered
        .first()
        .map(|choice| choice.value)
        .unwrap_or_default();
    // "" (the placeholder) means the server's current month.
    let chosen = RwSignal::new(current.to_string());
    let report = LocalResource::new(move || {
        let month = chosen.get();
        async move {
            let month = (!month.is_empty()).then_some(month.as_str());
            crate::api::referral_report(month).await
        }
    });
    let xlsx = move || export_href(&chosen.get(), "xlsx");
    let csv = move || export_href(&chosen.get(), "csv");
    view! {
        <section class="card" id="referral-report">
            <h1>{move || i18n.tr("转介统计", "Referral report")}</h1>
            <p class="muted">{move || i18n.tr(
                "按月统计提出的转介,以及各成员单位未办结事项的时长、首次答复和办结用时(中位数与第 90 百分位)。",
                "Referrals raised in a month, and per member unit: open parts by age, and the time to a first answer and to resolution (median and 90th percentile).")}</p>
            <SelectField id="report-month" field="month" label_zh="月份" label_en="Month"
                options=offered value=chosen required=false
                placeholder_zh="本月" placeholder_en="This month"/>
            <p class="row-actions">
                <a id="report-xlsx" class="button" href=xlsx download>{move || i18n.tr("导出 XLSX", "Export XLSX")}</a>
                <a id="report-csv" class="button" href=csv download>{move || i18n.tr("导出 CSV", "Export CSV")}</a>
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
fn Report(report: ReferralReport) -> impl IntoView {
    let i18n = use_i18n();
    let month = report.month.clone();
    let code = report.month.clone();
    view! {
        <h2 id="report-month-title" data-month=code>{move || month_label(&month, i18n.lang.get())}</h2>
        <dl class="facts" id="report-totals"
            data-raised=report.raised.to_string()
            data-open=report.open.to_string()
            data-overdue=report.overdue.to_string()
            data-waiting=report.waiting_for_office.to_string()>
            <dt>{move || i18n.tr("本月提出的转介", "Raised this month")}</dt><dd id="report-raised">{report.raised}</dd>
            <dt>{move || i18n.tr("未关闭", "Open")}</dt><dd id="report-open">{report.open}</dd>
            <dt>{move || i18n.tr("已逾期", "Overdue")}</dt><dd id="report-overdue">{report.overdue}</dd>
            <dt>{move || i18n.tr("待未保办处理", "Waiting for the office")}</dt><dd id="report-waiting">{report.waiting_for_office}</dd>
        </dl>
        <h2>{move || i18n.tr("按成员单位", "By member unit")}</h2>
        <UnitTable rows=report.units/>
    }
}

fn columns() -> Vec<Column> {
    vec![
        Column::new("unit", "成员单位", "Member unit").sortable(),
        Column::new("open", "未办结", "Open").sortable(),
        Column::new("overdue", "逾期", "Overdue").sortable(),
        Column::new("age0", "0–3 天", "0–3 days").sortable(),
        Column::new("age1", "4–7 天", "4–7 days").sortable(),
        Column::new("age2", "8–30 天", "8–30 days").sortable(),
        Column::new("age3", "30 天以上", "Over 30 days").sortable(),
        Column::new(
            "response_median",
            "首次答复中位数(小时)",
            "First answer, median (hours)",
        )
        .sortable(),
        Column::new(
            "response_p90",
            "首次答复 P90(小时)",
            "First answer, 90th pct (hours)",
        )
        .sortable(),
        Column::new(
            "resolution_median",
            "办结中位数(天)",
            "Resolution, median (days)",
        )
        .sortable(),
        Column::new(
            "resolution_p90",
            "办结 P90(天)",
            "Resolution, 90th pct (days)",
        )
        .sortable(),
    ]
}

/// A figure with one decimal, or "—" when there is nothing to measure.
fn figure(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |value| format!("{value:.1}"))
}

/// The sort key of a row for a column: figures in tenths (none lowest), the unit by name.
fn row_key(row: &UnitStats, column: &'static str) -> (i64, String) {
    let tenths = |value: Option<f64>| value.map_or(-1, |value| (value * 10.0).round() as i64);
    let number = match column {
        "open" => i64::from(row.open),
        "overdue" => i64::from(row.overdue),
        "age0" => i64::from(row.ages[0]),
        "age1" => i64::from(row.ages[1]),
        "age2" => i64::from(row.ages[2]),
        "age3" => i64::from(row.ages[3]),
        "response_median" => tenths(row.response_hours_median),
        "response_p90" => tenths(row.response_hours_p90),
        "resolution_median" => tenths(row.resolution_days_median),
        "resolution_p90" => tenths(row.resolution_days_p90),
        _ => return (0, row.unit.clone()),
    };
    (number, String::new())
}

#[component]
fn UnitTable(rows: Vec<UnitStats>) -> impl IntoView {
    let sort = RwSignal::new(None::<Sort>);
    let count = rows.len() as u64;
    let rows = StoredValue::new(rows);
    let sorted = move || {
        let mut list = rows.get_value();
        sort_by_key(&mut list, sort.get(), row_key);
        list
    };
    let total = Signal::derive(move || Some(count));
    view! {
        <DataTable id="by-unit" columns=columns() sort=sort total=total
            empty_zh="这个月没有分派给成员单位的转介。" empty_en="No referrals went to member units this month."
            caption_zh="按成员单位" caption_en="By member unit">
            {move || sorted().into_iter().map(|row| view! {
                <tr data-unit=row.unit.clone()>
                    <th scope="row">{row.unit.clone()}</th>
                    <td data-col="open">{row.open}</td>
                    <td data-col="overdue">{row.overdue}</td>
                    <td data-col="age0">{row.ages[0]}</td>
                    <td data-col="age1">{row.ages[1]}</td>
                    <td data-col="age2">{row.ages[2]}</td>
                    <td data-col="age3">{row.ages[3]}</td>
                    <td data-col="response_median">{figure(row.response_hours_median)}</td>
                    <td data-col="response_p90">{figure(row.response_hours_p90)}</td>
                    <td data-col="resolution_median">{figure(row.resolution_days_median)}</td>
                    <td data-col="resolution_p90">{figure(row.resolution_days_p90)}</td>
                </tr>
            }).collect_view()}
        </DataTable>
    }
}
