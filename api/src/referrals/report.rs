//! The office's monthly view: referrals raised, open and overdue, and per unit the open parts by
//! age and the times to a first answer and to resolution (median and 90th percentile).

use chrono::Datelike;
use shared::api::AuditAction;
use shared::referrals::{median_and_p90, PartState, Referral, ReferralReport, UnitStats};

use crate::accounts::{record_with, CurrentUser};
use crate::registry::transfer::{write_table, FileFormat};
use crate::{AppError, AppState};

fn month_of(at: chrono::DateTime<chrono::Utc>) -> String {
    let day = shared::time::beijing_date(at);
    format!("{}-{:02}", day.year(), day.month())
}

fn build(
    referrals: &[Referral],
    units: &[String],
    month: &str,
    today: chrono::NaiveDate,
) -> ReferralReport {
    let raised: Vec<&Referral> = referrals
        .iter()
        .filter(|referral| month_of(referral.raised_at) == month)
        .collect();
    let stats = units
        .iter()
        .map(|unit| {
            let mut open = 0;
            let mut overdue = 0;
            let mut ages = [0u32; 4];
            let mut response = Vec::new();
            let mut resolution = Vec::new();
            for referral in referrals {
                for part in referral.parts.iter().filter(|part| &part.unit == unit) {
                    if matches!(part.state, PartState::Waiting | PartState::Accepted)
                        && referral.is_open()
                    {
                        open += 1;
                        let late = match part.state {
                            PartState::Waiting => part.respond_by < today,
                            _ => part.resolve_by < today,
                        };
                        overdue += u32::from(late);
                        let days =
                            (today - shared::time::beijing_date(part.assigned_at)).num_days();
                        let bucket = match days {
                            ..=3 => 0,
                            4..=7 => 1,
                            8..=30 => 2,
                            _ => 3,
                        };
                        ages[bucket] += 1;
                    }
                    // Times belong to the month the part was sent.
                    if month_of(part.assigned_at) != month {
                        continue;
                    }
                    if let Some(at) = part.responded_at {
                        response.push((at - part.assigned_at).num_minutes() as f64 / 60.0);
                    }
                    if let Some(at) = part.resolved_at {
                        resolution.push((at - part.assigned_at).num_minutes() as f64 / 1440.0);
                    }
                }
            }
            let (response_hours_median, response_hours_p90) = median_and_p90(response);
            let (resolution_days_median, resolution_days_p90) = median_and_p90(resolution);
            UnitStats {
                unit: unit.clone(),
                open,
                overdue,
                ages,
                response_hours_median,
                response_hours_p90,
                resolution_days_median,
                resolution_days_p90,
            }
        })
        .collect();
    ReferralReport {
        month: month.to_string(),
        raised: raised.len() as u32,
        open: referrals
            .iter()
            .filter(|referral| referral.is_open())
            .count() as u32,
        overdue: referrals
            .iter()
            .filter(|referral| referral.overdue(today))
            .count() as u32,
        waiting_for_office: referrals
            .iter()
            .filter(|referral| referral.state == shared::referrals::ReferralState::Submitted)
            .count() as u32,
        units: stats,
    }
}

fn check_month(month: &str) -> Result<(), AppError> {
    let valid = month.len() == 7
        && month.as_bytes().get(4) == Some(&b'-')
        && chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok();
    if valid {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![shared::FieldError::new(
            "month",
            shared::Text::new("月份格式应为 2026-11", "The month looks like 2026-11"),
        )]))
    }
}

async fn gather(state: &AppState, month: Option<&str>) -> Result<ReferralReport, AppError> {
    let today = crate::registry::today(state);
    let month = month.map_or_else(
        || format!("{}-{:02}", today.year(), today.month()),
        str::to_string,
    );
    check_month(&month)?;
    let referrals = state.store.all_referrals().await?;
    let (units, _) = state.store.member_units().await?;
    let mut names = units.units.clone();
    for referral in &referrals {
        for part in &referral.parts {
            if !names.contains(&part.unit) {
                names.push(part.unit.clone());
            }
        }
    }
    Ok(build(&referrals, &names, &month, today))
}

pub async fn report(
    state: &AppState,
    admin: &CurrentUser,
    month: Option<&str>,
    source: Option<String>,
) -> Result<ReferralReport, AppError> {
    let report = gather(state, month).await?;
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ReferralReportViewed,
        None,
        Some(report.month.clone()),
    )
    .await?;
    Ok(report)
}

pub async fn export_report(
    state: &AppState,
    admin: &CurrentUser,
    month: Option<&str>,
    format: FileFormat,
    source: Option<String>,
) -> Result<(String, Vec<u8>), AppError> {
    let report = gather(state, month).await?;
    let headers = [
        "月份",
        "成员单位",
        "在办",
        "逾期",
        "0-3天",
        "4-7天",
        "8-30天",
        "30天以上",
        "首次响应中位数(小时)",
        "首次响应P90(小时)",
        "办结中位数(天)",
        "办结P90(天)",
    ];
    let number = |value: Option<f64>| value.map(|v| format!("{v:.1}")).unwrap_or_default();
    let mut rows: Vec<Vec<String>> = report
        .units
        .iter()
        .map(|unit| {
            vec![
                report.month.clone(),
                unit.unit.clone(),
                unit.open.to_string(),
                unit.overdue.to_string(),
                unit.ages[0].to_string(),
                unit.ages[1].to_string(),
                unit.ages[2].to_string(),
                unit.ages[3].to_string(),
                number(unit.response_hours_median),
                number(unit.response_hours_p90),
                number(unit.resolution_days_median),
                number(unit.resolution_days_p90),
            ]
        })
        .collect();
    // The district's line, in the same columns (a CSV row has as many fields as the header).
    let mut total = vec![String::new(); headers.len()];
    total[0] = report.month.clone();
    total[1] = format!(
        "全区(本月提出 {},待未保办处理 {})",
        report.raised, report.waiting_for_office
    );
    total[2] = report.open.to_string();
    total[3] = report.overdue.to_string();
    rows.push(total);
    let file = write_table(format, "转介统计", &headers, &rows)?;
    record_with(
        state,
        &admin.actor(source),
        AuditAction::ReferralReportViewed,
        None,
        Some(format!("{} export {}", report.month, format.extension())),
    )
    .await?;
    Ok((report.month, file))
}
