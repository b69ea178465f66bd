//! Events at the district's sites and who takes part: volunteers sign themselves up, staff sign
//! up children in their scope; capacity, waitlists, check-in and volunteer hours.

pub mod calendar;

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Utc};
use shared::api::AuditAction;
use shared::children::Bilingual;
use shared::events::{
    Attendance, CheckInRequest, CorrectHoursRequest, EventInput, EventRecord, EventStatus,
    EventType, HoursLine, MyEvent, MyHours, Notification, Organisation, OrganisationHours,
    PlaceCounts, PlaceKind, Roster, SignupRecord, SignupStatus, Site, SiteInput, Visibility,
};
use shared::{Role, Scope, Text};

use crate::accounts::{record_with, CurrentUser};
use crate::store::events::{EventItem, JoinOutcome};
use crate::{AppError, AppState};

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

fn refused(zh: String, en: String) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new_owned("event", zh, en)])
}

fn event_target(id: &str) -> String {
    format!("event:{id}")
}

/// Whether a user may see an event at all.
fn can_see(user: &CurrentUser, event: &EventItem) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Director | Role::Teacher => event.event.status != EventStatus::Draft,
        Role::Volunteer => {
            event.event.status != EventStatus::Draft
                && match &event.event.visibility {
                    Visibility::AllVolunteers => true,
                    Visibility::Organisations { organisations } => user
                        .organisation
                        .is_some_and(|mine| organisations.contains(&mine)),
                }
        }
        Role::Counsellor | Role::Officer => false,
    }
}

fn is_lead(user: &CurrentUser, event: &EventItem) -> bool {
    user.role == Role::Admin || event.event.leads.contains(&user.id)
}

async fn visible_event(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<EventItem, AppError> {
    match state.store.get_event(id).await? {
        Some(event) if can_see(user, &event) => Ok(event),
        _ => Err(AppError::NotFound),
    }
}

fn record(event: &EventItem, site: Option<Site>, my_signup: Option<SignupRecord>) -> EventRecord {
    let mut shown = event.event.clone();
    // Past events read as finished without anyone having to close them.
    if shown.status == EventStatus::Published && shown.ends_at < Utc::now() {
        shown.status = EventStatus::Finished;
    }
    EventRecord {
        id: event.id.clone(),
        version: event.version,
        event: shown,
        site,
        volunteers: PlaceCounts {
            capacity: event.event.volunteer_capacity,
            confirmed: event.v_confirmed,
            waitlisted: event.v_waitlisted,
        },
        children: PlaceCounts {
            capacity: event.event.child_capacity,
            confirmed: event.c_confirmed,
            waitlisted: event.c_waitlisted,
        },
        my_signup,
    }
}

pub async fn list_sites(state: &AppState) -> Result<Vec<Site>, AppError> {
    Ok(state.store.list_sites().await?)
}

pub async fn save_site(
    state: &AppState,
    admin: &CurrentUser,
    id: Option<&str>,
    input: &SiteInput,
    source: Option<String>,
) -> Result<Site, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    let id = match id {
        Some(id) => {
            state.store.get_site(id).await?.ok_or(AppError::NotFound)?;
            id.to_string()
        }
        None => ulid::Ulid::new().to_string(),
    };
    let site = Site { id, site: input };
    state.store.put_site(&site).await?;
    record_with(
        state,
        &admin.actor(source),
        AuditAction::SiteSaved,
        Some(format!("site:{}", site.id)),
        None,
    )
    .await?;
    Ok(site)
}

async fn checked_input(state: &AppState, input: &EventInput) -> Result<EventInput, AppError> {
    let input = input.validate().map_err(AppError::Invalid)?;
    if state.store.get_site(&input.site_id).await?.is_none() {
        return Err(invalid(
            "site_id",
            Text::new("请选择活动阵地", "Choose the site"),
        ));
    }
    Ok(input)
}

pub async fn create_event(
    state: &AppState,
    admin: &CurrentUser,
    input: &EventInput,
    source: Option<String>,
) -> Result<EventRecord, AppError> {
    let input = checked_input(state, input).await?;
    let event = EventItem {
        id: ulid::Ulid::new().to_string(),
        version: 1,
        event: input,
        v_confirmed: 0,
        v_waitlisted: 0,
        c_confirmed: 0,
        c_waitlisted: 0,
        created_by: admin.id.clone(),
    };
    state.store.put_new_event(&event).await?;
    record_with(
        state,
        &admin.actor(source),
        AuditAction::EventSaved,
        Some(event_target(&event.id)),
        None,
    )
    .await?;
    let site = state.store.get_site(&event.event.site_id).await?;
    Ok(record(&event, site, None))
}

pub async fn update_event(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    version: u64,
    input: &EventInput,
    source: Option<String>,
) -> Result<EventRecord, AppError> {
    let previous = visible_event(state, admin, id).await?;
    if previous.event.status == EventStatus::Cancelled {
        return Err(refused(
            "已取消的活动不能修改".into(),
            "A cancelled event cannot be edited".into(),
        ));
    }
    let input = checked_input(state, input).await?;
    if input.volunteer_capacity < previous.v_confirmed
        || input.child_capacity < previous.c_confirmed
    {
        return Err(invalid(
            "volunteer_capacity",
            Text::new(
                "名额不能少于已确认的人数",
                "Capacity cannot go below the places already confirmed",
            ),
        ));
    }
    let mut event = previous.clone();
    event.event = input;
    if previous.version != version || !state.store.update_event(&event, version).await? {
        return Err(AppError::Conflict);
    }
    record_with(
        state,
        &admin.actor(source),
        AuditAction::EventSaved,
        Some(event_target(id)),
        None,
    )
    .await?;
    // A larger capacity frees places for the waitlist.
    for kind in [PlaceKind::Volunteer, PlaceKind::Child] {
        promote_all(state, id, kind, &event.event.title).await?;
    }
    get_event(state, admin, id).await
}

async fn notify(
    state: &AppState,
    user_id: &str,
    text: Bilingual,
    link: Option<String>,
) -> Result<(), AppError> {
    let notification = Notification {
        id: ulid::Ulid::new().to_string(),
        at: state.clock.now(),
        text,
        link,
    };
    Ok(state.store.notify(user_id, &notification).await?)
}

/// Who to tell about a place: the volunteer, or whoever entered the child.
fn recipient(signup: &SignupRecord) -> Option<&str> {
    match signup.kind {
        PlaceKind::Volunteer => Some(&signup.person_id),
        PlaceKind::Child => signup.entered_by.as_deref(),
    }
}

pub async fn cancel_event(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<EventRecord, AppError> {
    let event = visible_event(state, admin, id).await?;
    if event.event.status == EventStatus::Cancelled {
        return Err(AppError::Conflict);
    }
    state
        .store
        .set_event_status(id, EventStatus::Cancelled)
        .await?;
    let title = &event.event.title;
    for signup in state.store.event_signups(id).await? {
        if signup.status == SignupStatus::Cancelled {
            continue;
        }
        if let Some(user) = recipient(&signup) {
            let text = Bilingual {
                zh: format!("活动“{title}”已取消。"),
                en: format!("The event “{title}” has been cancelled."),
            };
            notify(state, user, text, Some(format!("/events/{id}"))).await?;
        }
    }
    record_with(
        state,
        &admin.actor(source),
        AuditAction::EventCancelled,
        Some(event_target(id)),
        None,
    )
    .await?;
    get_event(state, admin, id).await
}

#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub event_type: Option<EventType>,
    pub street: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

pub async fn list_events(
    state: &AppState,
    user: &CurrentUser,
    filter: &EventFilter,
) -> Result<Vec<EventRecord>, AppError> {
    let now = state.clock.now();
    let from = filter.from.unwrap_or(now - chrono::Duration::days(1));
    let events = state.store.events_from(from).await?;
    let sites: HashMap<String, Site> = state
        .store
        .list_sites()
        .await?
        .into_iter()
        .map(|site| (site.id.clone(), site))
        .collect();
    let mine: HashMap<String, SignupRecord> = if user.role == Role::Volunteer {
        state
            .store
            .volunteer_signups(&user.id)
            .await?
            .into_iter()
            .map(|signup| (signup.event_id.clone(), signup))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(events
        .into_iter()
        .filter(|event| can_see(user, event))
        .filter(|event| {
            filter
                .event_type
                .is_none_or(|kind| event.event.event_type == kind)
        })
        .filter(|event| filter.to.is_none_or(|to| event.event.starts_at <= to))
        .filter(|event| {
            filter.street.as_deref().is_none_or(|street| {
                sites
                    .get(&event.event.site_id)
                    .and_then(|site| shared::divisions::street_of_village(&site.site.village_code))
                    .is_some_and(|division| division.code == street)
            })
        })
        .map(|event| {
            let site = sites.get(&event.event.site_id).cloned();
            let my = mine.get(&event.id).cloned();
            record(&event, site, my)
        })
        .collect())
}

pub async fn get_event(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<EventRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    let site = state.store.get_site(&event.event.site_id).await?;
    let mine = if user.role == Role::Volunteer {
        state
            .store
            .get_signup(id, PlaceKind::Volunteer, &user.id)
            .await?
    } else {
        None
    };
    Ok(record(&event, site, mine))
}

fn open_for_signup(event: &EventItem, now: DateTime<Utc>) -> Result<(), AppError> {
    if event.event.status != EventStatus::Published {
        return Err(refused(
            "该活动未开放报名".into(),
            "This event is not open for sign-up".into(),
        ));
    }
    if now >= event.event.signup_deadline {
        return Err(refused("报名已截止".into(), "Sign-up has closed".into()));
    }
    Ok(())
}

/// Promotes waitlisted people while places are free, and tells each one.
async fn promote_all(
    state: &AppState,
    event_id: &str,
    kind: PlaceKind,
    title: &str,
) -> Result<Vec<SignupRecord>, AppError> {
    let mut promoted = Vec::new();
    while let Some(signup) = state.store.promote_next(event_id, kind).await? {
        if let Some(user) = recipient(&signup) {
            let text = Bilingual {
                zh: format!("候补成功:您在活动“{title}”的名额已确认。"),
                en: format!("Off the waitlist: your place at “{title}” is confirmed."),
            };
            notify(state, user, text, Some(format!("/events/{event_id}"))).await?;
        }
        promoted.push(signup);
    }
    Ok(promoted)
}

async fn join(
    state: &AppState,
    event: &EventItem,
    signup: SignupRecord,
) -> Result<SignupRecord, AppError> {
    let now = state.clock.now();
    let starts = event.event.starts_at;
    let kind = signup.kind;
    let outcome = match state.store.join_confirmed(&signup, starts, now).await? {
        JoinOutcome::NotOpen => state.store.join_waitlist(&signup, starts, now).await?,
        other => other,
    };
    match outcome {
        JoinOutcome::Confirmed => {}
        JoinOutcome::Waitlisted(_) => {
            // A place may have freed between the two writes.
            promote_all(state, &event.id, kind, &event.event.title).await?;
        }
        JoinOutcome::AlreadySignedUp => {
            return Err(refused(
                "已经报名过这个活动".into(),
                "Already signed up for this event".into(),
            ))
        }
        JoinOutcome::NotOpen => {
            return Err(refused(
                "该活动未开放报名或已截止".into(),
                "This event is not open for sign-up".into(),
            ))
        }
    }
    state
        .store
        .get_signup(&event.id, kind, &signup.person_id)
        .await?
        .ok_or(AppError::Conflict)
}

pub async fn volunteer_signup(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    let now = state.clock.now();
    open_for_signup(&event, now)?;
    if event.event.volunteer_capacity == 0 {
        return Err(refused(
            "该活动不招募志愿者".into(),
            "This event takes no volunteers".into(),
        ));
    }
    // Two events at once: refuse, naming the other one.
    for other in state.store.volunteer_signups(&user.id).await? {
        if other.event_id == id || other.status == SignupStatus::Cancelled {
            continue;
        }
        if let Some(other_event) = state.store.get_event(&other.event_id).await? {
            let overlaps = other_event.event.starts_at < event.event.ends_at
                && event.event.starts_at < other_event.event.ends_at
                && other_event.event.status != EventStatus::Cancelled;
            if overlaps {
                let title = other_event.event.title;
                return Err(refused(
                    format!("时间冲突:您已报名同一时间的活动“{title}”"),
                    format!("Time clash: you already have a place at “{title}” at the same time"),
                ));
            }
        }
    }
    let signup = SignupRecord {
        event_id: id.to_string(),
        kind: PlaceKind::Volunteer,
        person_id: user.id.clone(),
        name: user.display_name.clone(),
        status: SignupStatus::Confirmed,
        position: None,
        signed_up_at: now,
        attendance: None,
        minutes: None,
        correction: None,
        entered_by: None,
    };
    join(state, &event, signup).await
}

async fn cancel_place(
    state: &AppState,
    event: &EventItem,
    signup: SignupRecord,
) -> Result<SignupRecord, AppError> {
    if state.clock.now() >= event.event.cancel_deadline {
        return Err(refused(
            "已过取消截止时间,请联系组织者".into(),
            "The cancellation deadline has passed; contact the organiser".into(),
        ));
    }
    if signup.status == SignupStatus::Cancelled {
        return Err(AppError::Conflict);
    }
    if !state.store.cancel_signup(&signup).await? {
        return Err(AppError::Conflict);
    }
    if signup.status == SignupStatus::Confirmed {
        promote_all(state, &event.id, signup.kind, &event.event.title).await?;
    }
    state
        .store
        .get_signup(&event.id, signup.kind, &signup.person_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn volunteer_cancel(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    let signup = state
        .store
        .get_signup(id, PlaceKind::Volunteer, &user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    cancel_place(state, &event, signup).await
}

/// Staff may enter children of their own scope: a director's villages, a teacher's school.
fn may_enrol(user: &CurrentUser, child: &shared::children::ChildInput) -> bool {
    match (&user.role, &user.scope) {
        (Role::Admin, _) => true,
        (Role::Director, Scope::Villages { codes }) => codes.contains(&child.residence_village),
        (Role::Teacher, Scope::School { name }) => &child.school == name,
        _ => false,
    }
}

pub async fn child_signup(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    child_id: &str,
    source: Option<String>,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    open_for_signup(&event, state.clock.now())?;
    if event.event.child_capacity == 0 {
        return Err(refused(
            "该活动不招收儿童".into(),
            "This event takes no children".into(),
        ));
    }
    let child = match state.store.get_child(child_id).await? {
        Some(child) if may_enrol(user, &child.child) => child,
        _ => return Err(AppError::NotFound),
    };
    let signup = SignupRecord {
        event_id: id.to_string(),
        kind: PlaceKind::Child,
        person_id: child.id.clone(),
        name: child.child.name.clone(),
        status: SignupStatus::Confirmed,
        position: None,
        signed_up_at: state.clock.now(),
        attendance: None,
        minutes: None,
        correction: None,
        entered_by: Some(user.id.clone()),
    };
    let saved = join(state, &event, signup).await?;
    record_with(
        state,
        &user.actor(source),
        AuditAction::ChildSignedUp,
        Some(crate::registry::child_target(child_id)),
        Some(event_target(id)),
    )
    .await?;
    Ok(saved)
}

pub async fn child_cancel(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    child_id: &str,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    let child = match state.store.get_child(child_id).await? {
        Some(child) if may_enrol(user, &child.child) => child,
        _ => return Err(AppError::NotFound),
    };
    let signup = state
        .store
        .get_signup(id, PlaceKind::Child, &child.id)
        .await?
        .ok_or(AppError::NotFound)?;
    cancel_place(state, &event, signup).await
}

/// The roster with the waitlist in order. Volunteer leads see children by family name only.
pub async fn roster(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<Roster, AppError> {
    let event = visible_event(state, user, id).await?;
    if !is_lead(user, &event) {
        return Err(AppError::Forbidden);
    }
    let mut signups = state.store.event_signups(id).await?;
    signups.sort_by_key(|signup| {
        let rank = match signup.status {
            SignupStatus::Confirmed => 0,
            SignupStatus::Waitlisted => 1,
            SignupStatus::Cancelled => 2,
        };
        (
            signup.kind.as_str(),
            rank,
            signup.position.unwrap_or(0),
            signup.signed_up_at,
        )
    });
    if user.role != Role::Admin {
        for signup in signups
            .iter_mut()
            .filter(|signup| signup.kind == PlaceKind::Child)
        {
            let initial: String = signup.name.chars().take(1).collect();
            signup.name = format!("{initial}同学");
        }
    }
    let children: Vec<&str> = signups
        .iter()
        .filter(|signup| signup.kind == PlaceKind::Child)
        .map(|signup| signup.person_id.as_str())
        .collect();
    if !children.is_empty() {
        record_with(
            state,
            &user.actor(source),
            AuditAction::ChildrenListed,
            Some(event_target(id)),
            Some(children.join(",")),
        )
        .await?;
    }
    let site = state.store.get_site(&event.event.site_id).await?;
    Ok(Roster {
        event: record(&event, site, None),
        signups,
    })
}

fn beijing_month(at: DateTime<Utc>) -> String {
    at.with_timezone(&shared::time::beijing())
        .format("%Y-%m")
        .to_string()
}

async fn organisation_of(state: &AppState, user_id: &str) -> Result<Organisation, AppError> {
    Ok(state
        .store
        .get_user(user_id)
        .await?
        .and_then(|user| user.organisation)
        .unwrap_or(Organisation::Other))
}

async fn credit(
    state: &AppState,
    event: &EventItem,
    signup: &SignupRecord,
    attendance: Attendance,
    minutes: Option<u32>,
    correction: Option<String>,
) -> Result<(), AppError> {
    state
        .store
        .set_attendance(signup, attendance, minutes, correction)
        .await?;
    if signup.kind == PlaceKind::Volunteer {
        let delta = i64::from(minutes.unwrap_or(0)) - i64::from(signup.minutes.unwrap_or(0));
        if delta != 0 {
            let organisation = organisation_of(state, &signup.person_id).await?;
            state
                .store
                .add_organisation_minutes(
                    organisation,
                    &beijing_month(event.event.starts_at),
                    delta,
                )
                .await?;
        }
    }
    Ok(())
}

pub async fn check_in(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    request: &CheckInRequest,
) -> Result<SignupRecord, AppError> {
    let event = visible_event(state, user, id).await?;
    if !is_lead(user, &event) {
        return Err(AppError::Forbidden);
    }
    let signup = state
        .store
        .get_signup(id, request.kind, &request.person_id)
        .await?
        .filter(|signup| signup.status == SignupStatus::Confirmed)
        .ok_or(AppError::NotFound)?;
    let minutes = match (request.attendance, request.kind) {
        (Attendance::Present, PlaceKind::Volunteer) => Some(
            u32::try_from((event.event.ends_at - event.event.starts_at).num_minutes()).unwrap_or(0),
        ),
        _ => None,
    };
    credit(state, &event, &signup, request.attendance, minutes, None).await?;
    state
        .store
        .get_signup(id, request.kind, &request.person_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn correct_hours(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &CorrectHoursRequest,
    source: Option<String>,
) -> Result<SignupRecord, AppError> {
    let reason = shared::validate::text_field(
        "reason",
        &request.reason,
        shared::events::limits::REASON_MAX,
        true,
    )
    .map_err(|error| AppError::Invalid(vec![error]))?;
    if request.minutes > 24 * 60 {
        return Err(invalid(
            "minutes",
            Text::new("时长最多 24 小时", "At most 24 hours"),
        ));
    }
    let event = visible_event(state, admin, id).await?;
    let signup = state
        .store
        .get_signup(id, PlaceKind::Volunteer, &request.person_id)
        .await?
        .filter(|signup| signup.status == SignupStatus::Confirmed)
        .ok_or(AppError::NotFound)?;
    let correction = format!("{}: {reason}", admin.display_name);
    credit(
        state,
        &event,
        &signup,
        Attendance::Present,
        Some(request.minutes),
        Some(correction),
    )
    .await?;
    record_with(
        state,
        &admin.actor(source),
        AuditAction::HoursCorrected,
        Some(crate::accounts::user_target(&request.person_id)),
        Some(format!(
            "{} → {} min: {reason}",
            signup.minutes.unwrap_or(0),
            request.minutes
        )),
    )
    .await?;
    state
        .store
        .get_signup(id, PlaceKind::Volunteer, &request.person_id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn my_events(state: &AppState, user: &CurrentUser) -> Result<Vec<MyEvent>, AppError> {
    let mut out = Vec::new();
    for signup in state.store.volunteer_signups(&user.id).await? {
        if let Some(event) = state.store.get_event(&signup.event_id).await? {
            let site = state.store.get_site(&event.event.site_id).await?;
            out.push(MyEvent {
                event: record(&event, site, Some(signup.clone())),
                signup,
            });
        }
    }
    Ok(out)
}

pub async fn my_hours(state: &AppState, user: &CurrentUser) -> Result<MyHours, AppError> {
    let mut months: HashMap<String, u64> = HashMap::new();
    for signup in state.store.volunteer_signups(&user.id).await? {
        let Some(minutes) = signup.minutes.filter(|minutes| *minutes > 0) else {
            continue;
        };
        if let Some(event) = state.store.get_event(&signup.event_id).await? {
            *months
                .entry(beijing_month(event.event.starts_at))
                .or_default() += u64::from(minutes);
        }
    }
    let mut years: HashMap<String, u64> = HashMap::new();
    for (month, minutes) in &months {
        *years.entry(month[..4].to_string()).or_default() += minutes;
    }
    let sorted = |map: HashMap<String, u64>| {
        let mut lines: Vec<HoursLine> = map
            .into_iter()
            .map(|(period, minutes)| HoursLine { period, minutes })
            .collect();
        lines.sort_by(|a, b| b.period.cmp(&a.period));
        lines
    };
    Ok(MyHours {
        months: sorted(months),
        years: sorted(years),
    })
}

pub async fn organisation_hours(
    state: &AppState,
    year: Option<i32>,
) -> Result<Vec<OrganisationHours>, AppError> {
    let year = year.unwrap_or_else(|| shared::time::beijing_date(state.clock.now()).year());
    let mut totals: HashMap<Organisation, i64> = HashMap::new();
    for (organisation, minutes) in state.store.organisation_minutes(year).await? {
        *totals.entry(organisation).or_default() += minutes;
    }
    Ok(Organisation::ALL
        .iter()
        .map(|organisation| OrganisationHours {
            organisation: *organisation,
            minutes: totals.get(organisation).copied().unwrap_or(0).max(0) as u64,
        })
        .collect())
}

pub async fn notifications(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<Notification>, AppError> {
    Ok(state.store.notifications(&user.id, 50).await?)
}
