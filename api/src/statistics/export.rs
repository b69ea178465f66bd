//! The statistics as a spreadsheet: one sheet "统计", the overview first, then one section per
//! breakdown, every number the page shows.

use shared::api::AuditAction;
use shared::statistics::Statistics;

use super::{describe, statistics, Within};
use crate::accounts::{record_with, CurrentUser};
use crate::registry::transfer::{write_table, FileFormat};
use crate::{AppError, AppState};

const HEADERS: [&str; 4] = ["部分", "项目", "代码", "人数"];

/// The numbers for `user` within `within` as a file; the export is recorded in the audit log
/// (with the scope, never a child).
pub async fn export(
    state: &AppState,
    user: &CurrentUser,
    within: &Within,
    format: FileFormat,
    source: Option<String>,
) -> Result<Vec<u8>, AppError> {
    let numbers = statistics(state, user, within).await?;
    let file = write_table(
        format,
        "统计",
        &HEADERS,
        &rows(&numbers, &place(user, within)),
    )?;
    record_with(
        state,
        &user.actor(source),
        AuditAction::StatisticsExported,
        None,
        Some(format!("{} {}", describe(within), format.extension())),
    )
    .await?;
    Ok(file)
}

/// What the numbers cover, as the sheet names it.
fn place(user: &CurrentUser, within: &Within) -> String {
    match within {
        Within::All if user.role == shared::Role::Admin => "全区".into(),
        Within::All => "负责的村(社区)".into(),
        Within::Street(code) => shared::divisions::streets()
            .find(|street| street.code == code.as_str())
            .map_or_else(|| code.clone(), |street| street.name.to_string()),
        Within::Village(code) => {
            shared::divisions::village_name(code).map_or_else(|| code.clone(), str::to_string)
        }
    }
}

fn rows(numbers: &Statistics, place: &str) -> Vec<Vec<String>> {
    let line = |section: &str, item: &str, code: &str, value: String| {
        vec![
            section.to_string(),
            item.to_string(),
            code.to_string(),
            value,
        ]
    };
    let overview = "概况";
    let mut rows = vec![
        line(overview, "统计日期", "as_of", numbers.as_of.to_string()),
        line(overview, "统计范围", "scope", place.to_string()),
        line(
            overview,
            "监测中儿童",
            "monitored",
            numbers.monitored.count.to_string(),
        ),
        line(
            overview,
            "本年新登记",
            "new_this_year",
            numbers.new_this_year.count.to_string(),
        ),
        line(
            overview,
            "本年退出监测",
            "exited_this_year",
            numbers.exited_this_year.count.to_string(),
        ),
        line(
            overview,
            "已结对爱心妈妈",
            "paired",
            numbers.paired.count.to_string(),
        ),
        line(
            overview,
            "结对覆盖率",
            "pairing_coverage",
            format!("{}%", numbers.pairing_coverage_percent()),
        ),
        line(
            overview,
            "有个案小组(一生一案一群)",
            "open_cases",
            numbers.open_cases.count.to_string(),
        ),
        line(
            overview,
            "有未解除危机预警",
            "open_crises",
            numbers.open_crises.count.to_string(),
        ),
    ];
    for breakdown in &numbers.breakdowns {
        for bucket in &breakdown.buckets {
            rows.push(line(
                &breakdown.title.zh,
                &bucket.label.zh,
                &bucket.key,
                bucket.count.to_string(),
            ));
        }
    }
    rows
}
