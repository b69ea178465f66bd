//! A volunteer's own children: as much as a caring mother may know (given name, age, class,
//! school, interests, the guardian's given name, relation and phone — never the ID number,
//! address, parents or case notes), and the contact log.
//!
//! Only while the volunteer's approval stands: the profile itself is read (consistently) on
//! every request, so a suspension or rejection takes the child and the guardian's phone away
//! with the next request, whatever a session or an index may still say.

use chrono::Datelike;
use shared::api::AuditAction;
use shared::pairings::{
    given_name, Contact, ContactRequest, LimitedChild, MyPairing, Pairing, PairingState,
    VettingState,
};
use shared::Text;

use super::{invalid, overdue, pairing_target, ATTEMPTS};
use crate::accounts::{audit_entry, record_with, CurrentUser};
use crate::notifications::{self, Message, Recipients};
use crate::registry::child_target;
use crate::store::pairings::ContactOutcome;
use crate::{AppError, AppState};

/// The volunteer's active pairings, from their own partition and each pairing itself (no index).
/// 404 when the volunteer is not approved.
async fn my_active(state: &AppState, user: &CurrentUser) -> Result<Vec<Pairing>, AppError> {
    let approved = state
        .store
        .get_profile(&user.id)
        .await?
        .is_some_and(|profile| profile.vetting.state == VettingState::Approved);
    if !approved {
        return Err(AppError::NotFound);
    }
    let mut pairings = Vec::new();
    for open in state.store.open_pairings_of(&user.id).await? {
        if open.state != PairingState::Active {
            continue;
        }
        if let Some(pairing) = state
            .store
            .get_pairing(&open.pairing_id)
            .await?
            .filter(|p| p.state == PairingState::Active && p.volunteer_id == user.id)
        {
            pairings.push(pairing);
        }
    }
    Ok(pairings)
}

pub async fn mine(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<Vec<MyPairing>, AppError> {
    let today = crate::registry::today(state);
    let actor = user.actor(source);
    let mut out = Vec::new();
    for pairing in my_active(state, user).await? {
        let Some(child) = state.store.get_child(&pairing.child_id).await? else {
            continue;
        };
        let guardian = child.child.guardians.first();
        let mut age = today.year() - child.child.birth_date.year();
        if (today.month(), today.day())
            < (child.child.birth_date.month(), child.child.birth_date.day())
        {
            age -= 1;
        }
        let (contacts, logged) = tokio::join!(
            state.store.contacts(&pairing.id),
            record_with(
                state,
                &actor,
                AuditAction::PairedChildViewed,
                Some(child_target(&pairing.child_id)),
                Some(pairing_target(&pairing.id)),
            ),
        );
        logged?;
        out.push(MyPairing {
            pairing_id: pairing.id.clone(),
            child: LimitedChild {
                given_name: given_name(&child.child.name),
                gender: child.child.gender,
                age,
                grade: child.child.class_name.clone(),
                school: child.child.school.clone(),
                interests: child.child.interests.clone(),
                guardian_given_name: guardian.map(|g| given_name(&g.name)).unwrap_or_default(),
                guardian_relation: guardian.map(|g| g.relation.clone()).unwrap_or_default(),
                guardian_phone: guardian.map(|g| g.phone.clone()).unwrap_or_default(),
            },
            since: pairing.activated_at,
            last_contact: pairing.last_contact,
            contact_overdue: overdue(state, &pairing),
            contacts: contacts?,
        });
    }
    Ok(out)
}

/// `log_contact_from` without a source address (the demo data's steps).
pub async fn log_contact(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    request: &ContactRequest,
) -> Result<Contact, AppError> {
    log_contact_from(state, user, id, request, None).await
}

/// Logs a contact on the volunteer's active pairing; a concern tells the admins and the
/// child's directors. The contact, the pairing's last contact date and the audit entry are one
/// transaction that only sets that date (a suspension's flag landing meanwhile stays).
pub async fn log_contact_from(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    request: &ContactRequest,
    source: Option<String>,
) -> Result<Contact, AppError> {
    if request.summary.trim().is_empty() {
        return Err(invalid(
            "summary",
            Text::new(
                "请简要记录这次联系的内容(例如:聊了学校的事,孩子情绪不错)",
                "Write a short summary of the contact (e.g. talked about school, in good spirits)",
            ),
        ));
    }
    let summary = shared::validate::text_field("summary", &request.summary, 500, true)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    if request.date > crate::registry::today(state) {
        return Err(invalid(
            "date",
            Text::new("日期不能晚于今天", "The date cannot be in the future"),
        ));
    }
    if request.minutes > 24 * 60 {
        return Err(invalid(
            "minutes",
            Text::new("时长最多 24 小时", "At most 24 hours"),
        ));
    }
    let contact = Contact {
        id: ulid::Ulid::new().to_string(),
        date: request.date,
        mode: request.mode,
        minutes: request.minutes,
        summary,
        concern: request.concern,
        logged_by: user.display_name.clone(),
        logged_at: state.clock.now(),
    };
    let entry = audit_entry(
        state,
        &user.actor(source),
        AuditAction::ContactLogged,
        Some(pairing_target(id)),
        Some(format!(
            "{} {}{}",
            contact.date,
            contact.mode.as_str(),
            if contact.concern { " concern" } else { "" }
        )),
    );
    // Each refusal means another contact with a later date (or the same) landed first; a
    // volunteer logging several at once can see a few of those in a row.
    for _ in 0..2 * ATTEMPTS {
        let pairing = state
            .store
            .get_pairing(id)
            .await?
            .filter(|p| p.volunteer_id == user.id && p.state == PairingState::Active)
            .ok_or(AppError::NotFound)?;
        match state.store.log_contact(&pairing, &contact, &entry).await? {
            ContactOutcome::Logged => {
                if contact.concern {
                    tell_about_concern(state, user, &pairing).await;
                }
                return Ok(contact);
            }
            ContactOutcome::PairingChanged => continue,
            ContactOutcome::VolunteerNotApproved => return Err(AppError::NotFound),
        }
    }
    Err(AppError::Conflict)
}

/// After the contact is stored: a failure here must not turn a logged contact into an error
/// (the volunteer would log it again), so it is logged instead and the admins are still told.
async fn tell_about_concern(state: &AppState, user: &CurrentUser, pairing: &Pairing) {
    let village = match state.store.get_child(&pairing.child_id).await {
        Ok(child) => child
            .map(|child| child.child.residence_village)
            .unwrap_or_default(),
        Err(error) => {
            tracing::error!(%error, "the concern's child could not be read: telling admins only");
            String::new()
        }
    };
    let message = Message::new(
        format!(
            "爱心妈妈 {} 对 {} 报告了关注事项",
            user.display_name, pairing.child_name
        ),
        format!(
            "{} flagged a concern about {}",
            user.display_name, pairing.child_name
        ),
    )
    .link(format!("/pairings/{}", pairing.id));
    let to = Recipients::admins().and_directors_of(&village);
    notifications::after_commit(state, &to, &message).await;
}
