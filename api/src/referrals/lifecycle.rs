//! Every move of a referral: the office's triage and review, a unit's take, return, update and
//! resolution. Each is a transition of the referral as read, saved only if it is still at the
//! version the person acted on (so of two officers taking it at once exactly one does), with
//! its audit entry, and then told to those it concerns.

use chrono::{DateTime, NaiveDate, Utc};
use shared::api::{AuditAction, UserStatus};
use shared::referrals::{
    OfficeReview, PartState, Referral, ReferralPart, ReferralState, ReferralStep, StepKind, Triage,
    UnitAction,
};
use shared::{FieldError, Role, Scope, Text};

use super::{as_seen_by, may_see, referral_target, unit_of};
use crate::accounts::{audit_entry, CurrentUser};
use crate::notifications::{after_commit, Message, Recipients};
use crate::registry::child_target;
use crate::{AppError, AppState};

fn invalid(field: &str, zh: &'static str, en: &'static str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, Text::new(zh, en))])
}

fn text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    shared::validate::text_field(field, value, max, true)
        .map_err(|error| AppError::Invalid(vec![error]))
}

/// What a transition needs to know besides the referral.
struct Moment {
    now: DateTime<Utc>,
    today: NaiveDate,
}

/// Who hears of a step, and what.
struct Tell {
    who: Recipients,
    zh: String,
    en: String,
}

/// The referral's state from its parts: with a unit while any part is waiting or taken,
/// resolved when the live parts are all resolved, back with the office (a fresh first-answer
/// deadline) when every unit returned it.
fn settle(
    referral: &mut Referral,
    units: &shared::referrals::MemberUnits,
    calendar: &shared::calendar::WorkCalendar,
    moment: &Moment,
) -> ReferralState {
    let live = |state: PartState| matches!(state, PartState::Waiting | PartState::Accepted);
    let any_live = referral.parts.iter().any(|part| live(part.state));
    let any_resolved = referral
        .parts
        .iter()
        .any(|part| part.state == PartState::Resolved);
    let any_taken = referral
        .parts
        .iter()
        .any(|part| part.state != PartState::Waiting && part.state != PartState::Returned);
    match (any_live, any_resolved) {
        (true, _) if any_taken => ReferralState::InProgress,
        (true, _) => ReferralState::Assigned,
        (false, true) => ReferralState::Resolved,
        (false, false) => {
            referral.triage_by = units.respond_by(referral.urgency, moment.today, calendar);
            ReferralState::Submitted
        }
    }
}

async fn officers_of(state: &AppState, unit: &str) -> Result<Vec<String>, AppError> {
    Ok(state
        .store
        .users_with_status(UserStatus::Active)
        .await?
        .into_iter()
        .filter(|user| {
            user.role == Role::Officer
                && matches!(&user.scope, Scope::Unit { name } if name == unit)
        })
        .map(|user| user.id)
        .collect())
}

fn step(
    kind: StepKind,
    moment: &Moment,
    user: &CurrentUser,
    unit: Option<&str>,
    text: &str,
) -> ReferralStep {
    ReferralStep {
        kind,
        at: moment.now,
        by: user.display_name.clone(),
        unit: unit.map(str::to_string),
        text: text.to_string(),
    }
}

/// Reads, checks the version, applies `change`, saves conditionally with the audit entry, tells.
async fn transition<F>(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    version: u64,
    source: Option<String>,
    change: F,
) -> Result<Referral, AppError>
where
    F: FnOnce(&mut Referral, &Moment) -> Result<Vec<Tell>, AppError>,
{
    let mut referral = match state.store.get_referral(id).await? {
        Some(referral) if may_see(user, &referral) => referral,
        _ => return Err(AppError::NotFound),
    };
    if referral.version != version {
        return Err(AppError::Conflict);
    }
    let moment = Moment {
        now: state.clock.now(),
        today: crate::registry::today(state),
    };
    let tells = change(&mut referral, &moment)?;
    referral.version = version + 1;
    let detail = referral
        .history
        .last()
        .map(|step| format!("{} {}", referral_target(id), step.kind.as_str()))
        .unwrap_or_else(|| referral_target(id));
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::ReferralChanged,
        Some(child_target(&referral.child.id)),
        Some(detail),
    );
    if !state
        .store
        .save_referral(&referral, Some(version), &entry)
        .await?
    {
        // Someone acted on it in between (another officer took it): read it again.
        return Err(AppError::Conflict);
    }
    for tell in tells {
        let message = Message::new(tell.zh, tell.en).link(format!("/referrals/{id}"));
        after_commit(state, &tell.who, &message).await;
    }
    Ok(as_seen_by(user, referral))
}

fn tell_reporter(referral: &Referral, zh: String, en: String) -> Tell {
    Tell {
        who: Recipients::users([referral.raised_by_id.clone()]),
        zh,
        en,
    }
}

pub async fn triage(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &Triage,
    source: Option<String>,
) -> Result<Referral, AppError> {
    let (units, _) = state.store.member_units().await?;
    let (settings, _) = state.store.visit_settings().await?;
    let (version, officers) = match request {
        Triage::Assign { version, parts, .. } => {
            let mut officers = Vec::new();
            for part in parts {
                officers.extend(officers_of(state, &part.unit).await?);
            }
            (*version, officers)
        }
        Triage::Answer { version, .. } | Triage::Decline { version, .. } => (*version, Vec::new()),
    };
    transition(
        state,
        admin,
        id,
        version,
        source,
        move |referral, moment| {
            // The office answers or declines only what is waiting for it; it may send a task
            // to more units (one returned it, another should take it) while it is open.
            let may_assign = matches!(request, Triage::Assign { .. }) && referral.is_open();
            if referral.state != ReferralState::Submitted && !may_assign {
                return Err(invalid(
                    "state",
                    "这条转介已经处理过,请刷新",
                    "This referral has been dealt with already; reload",
                ));
            }
            referral.triaged_at.get_or_insert(moment.now);
            let name = referral.child.name.clone();
            match request {
                Triage::Assign {
                    parts, resolve_by, ..
                } => {
                    if parts.is_empty() {
                        return Err(invalid(
                            "parts",
                            "请至少选择一个成员单位",
                            "Choose at least one unit",
                        ));
                    }
                    let resolve_by = resolve_by.unwrap_or_else(|| {
                        settings
                            .calendar
                            .add_working_days(moment.today, units.resolve_days)
                    });
                    if resolve_by < moment.today
                        || resolve_by > moment.today + chrono::Duration::days(366)
                    {
                        return Err(invalid(
                            "resolve_by",
                            "办结期限应在今天到一年之内",
                            "The due date must be between today and a year from now",
                        ));
                    }
                    for request in parts {
                        if !units.units.contains(&request.unit) {
                            return Err(invalid(
                                "parts",
                                "请选择名单中的成员单位",
                                "Choose units from the list",
                            ));
                        }
                        let task =
                            text("parts", &request.task, shared::referrals::limits::TEXT_MAX)?;
                        let live = referral.parts.iter().any(|part| {
                            part.unit == request.unit
                                && matches!(part.state, PartState::Waiting | PartState::Accepted)
                        });
                        if live {
                            return Err(invalid(
                                "parts",
                                "该单位正在办理这条转介",
                                "That unit is already handling this referral",
                            ));
                        }
                        // A unit sent the referral again (after a return) starts afresh.
                        referral.parts.retain(|part| part.unit != request.unit);
                        referral.parts.push(ReferralPart {
                            unit: request.unit.clone(),
                            task: task.clone(),
                            state: PartState::Waiting,
                            officer_id: None,
                            officer_name: None,
                            assigned_at: moment.now,
                            respond_by: units.respond_by(
                                referral.urgency,
                                moment.today,
                                &settings.calendar,
                            ),
                            resolve_by,
                            responded_at: None,
                            resolved_at: None,
                            outcome: String::new(),
                        });
                        referral.history.push(step(
                            StepKind::Assigned,
                            moment,
                            admin,
                            Some(&request.unit),
                            &task,
                        ));
                    }
                    referral.state = settle(referral, &units, &settings.calendar, moment);
                    Ok(vec![
                        Tell {
                            who: Recipients::users(officers),
                            zh: format!("未保办转介给本单位:{name}"),
                            en: format!("The office referred a case to your unit: {name}"),
                        },
                        tell_reporter(
                            referral,
                            format!("您提出的转介已分派给成员单位:{name}"),
                            format!("Your referral has gone to member units: {name}"),
                        ),
                    ])
                }
                Triage::Answer { text: answer, .. } => {
                    let answer = text("text", answer, shared::referrals::limits::TEXT_MAX)?;
                    referral
                        .history
                        .push(step(StepKind::Answered, moment, admin, None, &answer));
                    referral.outcome = answer;
                    referral.state = ReferralState::Closed;
                    referral.closed_at = Some(moment.now);
                    Ok(vec![tell_reporter(
                        referral,
                        format!("未保办已答复您的转介:{name}"),
                        format!("The office answered your referral: {name}"),
                    )])
                }
                Triage::Decline { reason, .. } => {
                    let reason = text("reason", reason, shared::referrals::limits::REASON_MAX)?;
                    referral
                        .history
                        .push(step(StepKind::Declined, moment, admin, None, &reason));
                    referral.outcome = reason;
                    referral.state = ReferralState::Declined;
                    referral.closed_at = Some(moment.now);
                    Ok(vec![tell_reporter(
                        referral,
                        format!("未保办未受理您的转介:{name}"),
                        format!("The office declined your referral: {name}"),
                    )])
                }
            }
        },
    )
    .await
}

pub async fn unit_action(
    state: &AppState,
    officer: &CurrentUser,
    id: &str,
    action: &UnitAction,
    source: Option<String>,
) -> Result<Referral, AppError> {
    let Some(unit) = unit_of(officer).map(str::to_string) else {
        return Err(AppError::Forbidden);
    };
    let version = match action {
        UnitAction::Take { version }
        | UnitAction::Return { version, .. }
        | UnitAction::Update { version, .. }
        | UnitAction::Resolve { version, .. } => *version,
    };
    let (units, _) = state.store.member_units().await?;
    let (settings, _) = state.store.visit_settings().await?;
    transition(
        state,
        officer,
        id,
        version,
        source,
        move |referral, moment| {
            let name = referral.child.name.clone();
            let raised_by = referral.raised_by_id.clone();
            let Some(part) = referral.parts.iter_mut().find(|part| part.unit == unit) else {
                return Err(AppError::NotFound);
            };
            let mine = part.officer_id.as_deref() == Some(officer.id.as_str());
            let (kind, note, zh, en) = match action {
                UnitAction::Take { .. } => {
                    if part.state != PartState::Waiting {
                        return Err(AppError::Conflict);
                    }
                    part.state = PartState::Accepted;
                    part.officer_id = Some(officer.id.clone());
                    part.officer_name = Some(officer.display_name.clone());
                    part.responded_at.get_or_insert(moment.now);
                    (
                        StepKind::Taken,
                        String::new(),
                        format!("{unit}已接收转介:{name}"),
                        format!("{unit} took the referral: {name}"),
                    )
                }
                UnitAction::Return { reason, .. } => {
                    // A colleague may hand back a part taken by someone who left the unit.
                    let may_return = matches!(part.state, PartState::Waiting | PartState::Accepted);
                    if !may_return {
                        return Err(AppError::Conflict);
                    }
                    let reason = text("reason", reason, shared::referrals::limits::REASON_MAX)?;
                    part.state = PartState::Returned;
                    part.responded_at.get_or_insert(moment.now);
                    (
                        StepKind::Returned,
                        reason,
                        format!("{unit}退回了转介:{name}"),
                        format!("{unit} returned the referral: {name}"),
                    )
                }
                UnitAction::Update { text: update, .. } => {
                    if !(part.state == PartState::Accepted && mine) {
                        return Err(AppError::Forbidden);
                    }
                    let update = text("text", update, shared::referrals::limits::TEXT_MAX)?;
                    (
                        StepKind::Update,
                        update,
                        format!("转介有新进展:{name}"),
                        format!("News on a referral: {name}"),
                    )
                }
                UnitAction::Resolve { outcome, .. } => {
                    if !(part.state == PartState::Accepted && mine) {
                        return Err(AppError::Forbidden);
                    }
                    let outcome = text("outcome", outcome, shared::referrals::limits::TEXT_MAX)?;
                    part.state = PartState::Resolved;
                    part.resolved_at = Some(moment.now);
                    part.outcome = outcome.clone();
                    (
                        StepKind::Resolved,
                        outcome,
                        format!("{unit}已办结转介:{name}"),
                        format!("{unit} resolved the referral: {name}"),
                    )
                }
            };
            referral
                .history
                .push(step(kind, moment, officer, Some(&unit), &note));
            referral.state = settle(referral, &units, &settings.calendar, moment);
            Ok(vec![Tell {
                who: Recipients::admins().and(&raised_by),
                zh,
                en,
            }])
        },
    )
    .await
}

pub async fn review(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &OfficeReview,
    source: Option<String>,
) -> Result<Referral, AppError> {
    let version = match request {
        OfficeReview::Confirm { version, .. } | OfficeReview::Reopen { version, .. } => *version,
    };
    let (units, _) = state.store.member_units().await?;
    let (settings, _) = state.store.visit_settings().await?;
    transition(
        state,
        admin,
        id,
        version,
        source,
        move |referral, moment| {
            if referral.state != ReferralState::Resolved {
                return Err(invalid(
                    "state",
                    "只有已办结的转介可以确认或重新打开",
                    "Only a resolved referral can be confirmed or reopened",
                ));
            }
            let name = referral.child.name.clone();
            let officers: Vec<String> = referral
                .parts
                .iter()
                .filter(|part| part.state == PartState::Resolved)
                .filter_map(|part| part.officer_id.clone())
                .collect();
            match request {
                OfficeReview::Confirm { note, .. } => {
                    let note = shared::validate::text_field(
                        "note",
                        note,
                        shared::referrals::limits::TEXT_MAX,
                        false,
                    )
                    .map_err(|error| AppError::Invalid(vec![error]))?;
                    // The office's own words; each unit's outcome stays with its part (an officer
                    // never reads another unit's).
                    referral.outcome = note.clone();
                    referral
                        .history
                        .push(step(StepKind::Confirmed, moment, admin, None, &note));
                    referral.state = ReferralState::Closed;
                    referral.closed_at = Some(moment.now);
                    Ok(vec![
                        tell_reporter(
                            referral,
                            format!("转介已办结关闭:{name}"),
                            format!("Referral closed: {name}"),
                        ),
                        Tell {
                            who: Recipients::users(officers),
                            zh: format!("未保办已确认办结:{name}"),
                            en: format!("The office confirmed the referral closed: {name}"),
                        },
                    ])
                }
                OfficeReview::Reopen { reason, .. } => {
                    let reason = text("reason", reason, shared::referrals::limits::REASON_MAX)?;
                    for part in referral
                        .parts
                        .iter_mut()
                        .filter(|part| part.state == PartState::Resolved)
                    {
                        part.state = PartState::Accepted;
                        part.resolved_at = None;
                        part.resolve_by = settings
                            .calendar
                            .add_working_days(moment.today, units.resolve_days);
                    }
                    referral
                        .history
                        .push(step(StepKind::Reopened, moment, admin, None, &reason));
                    referral.state = ReferralState::InProgress;
                    Ok(vec![
                        Tell {
                            who: Recipients::users(officers),
                            zh: format!("未保办重新打开了转介:{name}"),
                            en: format!("The office reopened a referral: {name}"),
                        },
                        tell_reporter(
                            referral,
                            format!("转介已重新打开:{name}"),
                            format!("Referral reopened: {name}"),
                        ),
                    ])
                }
            }
        },
    )
    .await
}
