//! Events as admins keep them and everyone lists them.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use shared::api::AuditAction;
use shared::events::{
    EventInput, EventRecord, EventStatus, EventType, MyEvent, PlaceKind, SignupRecord,
    SignupStatus, Site,
};
use shared::{Role, Text};

use super::waitlist::promote_all;
use super::{can_see, event_target, invalid, recipient, record, refused, visible_event};
use crate::accounts::{audit_entry, CurrentUser};
use crate::notifications::{after_commit, Message, Recipients};
use crate::store::events::EventItem;
use crate::{AppError, AppState};

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
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::EventSaved,
        Some(event_target(&event.id)),
        None,
    );
    if !state.store.create_event(&event, &entry).await? {
        return Err(AppError::Conflict);
    }
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
    if previous.version != version {
        return Err(AppError::Conflict);
    }
    let mut event = previous;
    event.event = input;
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::EventSaved,
        Some(event_target(id)),
        None,
    );
    if !state.store.update_event(&event, version, &entry).await? {
        return Err(AppError::Conflict);
    }
    // Places a larger capacity frees belong to the people waiting. Newcomers cannot take them
    // meanwhile: a newcomer is confirmed only while nobody waits.
    for kind in [PlaceKind::Volunteer, PlaceKind::Child] {
        promote_all(state, id, kind, &event.event.title).await?;
    }
    get_event(state, admin, id).await
}

pub async fn cancel_event(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &shared::events::CancelEventRequest,
    source: Option<String>,
) -> Result<EventRecord, AppError> {
    let reason = request.validate().map_err(AppError::Invalid)?;
    let event = visible_event(state, admin, id).await?;
    if event.event.status == EventStatus::Cancelled {
        return Err(AppError::Conflict);
    }
    let entry = audit_entry(
        state,
        &admin.actor(source),
        AuditAction::EventCancelled,
        Some(event_target(id)),
        Some(reason.clone()),
    );
    if !state.store.cancel_event(id, &entry).await? {
        return Err(AppError::Conflict);
    }
    let told: Vec<String> = state
        .store
        .event_signups(id)
        .await?
        .iter()
        .filter(|signup| signup.status != SignupStatus::Cancelled)
        .filter_map(|signup| {
            recipient(signup.kind, &signup.person_id, signup.entered_by.as_deref())
        })
        .collect();
    let title = &event.event.title;
    let message = Message::new(
        format!("活动“{title}”已取消:{reason}"),
        format!("The event “{title}” has been cancelled: {reason}"),
    )
    .link(format!("/events/{id}"));
    after_commit(state, &Recipients::users(told), &message).await;
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

/// A volunteer's own events, with their place at each.
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
