//! Volunteers (profiles and vetting) and one-to-one caring-mother pairings, managed by admins;
//! volunteers see a limited profile of their child and log contacts.

use std::collections::HashSet;

use chrono::Datelike;
use shared::api::{AuditAction, UserStatus};
use shared::children::Bilingual;
use shared::events::Notification;
use shared::pairings::{
    given_name, CheckResult, Contact, ContactRequest, EndPairingRequest, LimitedChild, MyPairing,
    Pairing, PairingBoard, PairingDetail, PairingEnd, PairingState, ProfileInput,
    ProposePairingRequest, Suggestion, UnpairedChild, Vetting, VettingDecision, VettingRequest,
    VettingState, VolunteerProfile,
};
use shared::{Role, Scope, Text};

use crate::accounts::{record_with, user_target, CurrentUser};
use crate::store::pairings::ActivateOutcome;
use crate::{AppError, AppState};

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

fn refused(zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new_owned(
        "pairing",
        zh.into(),
        en.into(),
    )])
}

fn pairing_target(id: &str) -> String {
    format!("pairing:{id}")
}

/// A volunteer's profile; made on first use from their account.
async fn profile_of(state: &AppState, user_id: &str) -> Result<VolunteerProfile, AppError> {
    if let Some(profile) = state.store.get_profile(user_id).await? {
        return Ok(profile);
    }
    let user = state
        .store
        .get_user(user_id)
        .await?
        .filter(|u| u.role == Role::Volunteer)
        .ok_or(AppError::NotFound)?;
    let profile = VolunteerProfile {
        user_id: user.id.clone(),
        name: user.display_name.clone(),
        phone: user.phone.clone(),
        organisation: user.organisation,
        profile: ProfileInput {
            skills: String::new(),
            interests: String::new(),
            availability: String::new(),
        },
        max_children: 1,
        active_pairings: 0,
        vetting: Vetting {
            state: VettingState::Pending,
            background_check: None,
            checked_by: None,
            reason: String::new(),
            decided_at: None,
        },
    };
    state.store.put_profile(&profile).await?;
    Ok(profile)
}

pub async fn volunteers(state: &AppState) -> Result<Vec<VolunteerProfile>, AppError> {
    // Volunteers who never had a profile read get one, so every volunteer can be vetted.
    let known: HashSet<String> = state
        .store
        .profiles()
        .await?
        .into_iter()
        .map(|p| p.user_id)
        .collect();
    // Self-registered volunteers wait (pending) for exactly this vetting.
    for status in [UserStatus::Active, UserStatus::Pending] {
        for user in state.store.users_with_status(status).await? {
            if user.role == Role::Volunteer && !known.contains(&user.id) {
                profile_of(state, &user.id).await?;
            }
        }
    }
    Ok(state.store.profiles().await?)
}

pub async fn my_profile(
    state: &AppState,
    user: &CurrentUser,
) -> Result<VolunteerProfile, AppError> {
    profile_of(state, &user.id).await
}

pub async fn update_my_profile(
    state: &AppState,
    user: &CurrentUser,
    input: &ProfileInput,
) -> Result<VolunteerProfile, AppError> {
    let mut profile = profile_of(state, &user.id).await?;
    let text = |field: &str, value: &str| {
        shared::validate::text_field(field, value, 200, false)
            .map_err(|e| AppError::Invalid(vec![e]))
    };
    profile.profile = ProfileInput {
        skills: text("skills", &input.skills)?,
        interests: text("interests", &input.interests)?,
        availability: text("availability", &input.availability)?,
    };
    state.store.put_profile(&profile).await?;
    profile_of(state, &user.id).await
}

/// Approve (with the background check for people in close contact with minors), reject, suspend
/// or reinstate a volunteer. Suspension flags their pairings at once.
pub async fn vet(
    state: &AppState,
    admin: &CurrentUser,
    user_id: &str,
    request: &VettingRequest,
    source: Option<String>,
) -> Result<VolunteerProfile, AppError> {
    let mut profile = profile_of(state, user_id).await?;
    let reason = shared::validate::text_field("reason", &request.reason, 200, false)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let now = state.clock.now();
    let next = match request.decision {
        VettingDecision::Approve => {
            let check = request.background_check.clone().ok_or_else(|| {
                invalid(
                    "background_check",
                    Text::new(
                        "通过前须登记背景核查(日期和结果)",
                        "Record the background check (date and result) before approving",
                    ),
                )
            })?;
            if check.result != CheckResult::Clear {
                return Err(invalid(
                    "background_check",
                    Text::new(
                        "背景核查存在问题,不能通过",
                        "The background check found concerns: cannot approve",
                    ),
                ));
            }
            if check.checked_on > crate::registry::today(state) {
                return Err(invalid(
                    "background_check",
                    Text::new(
                        "核查日期不能晚于今天",
                        "The check date cannot be in the future",
                    ),
                ));
            }
            profile.vetting.background_check = Some(check);
            profile.vetting.checked_by = Some(admin.display_name.clone());
            VettingState::Approved
        }
        VettingDecision::Reject | VettingDecision::Suspend if reason.is_empty() => {
            return Err(invalid("reason", Text::new("请写明原因", "Give a reason")));
        }
        VettingDecision::Reject => VettingState::Rejected,
        VettingDecision::Suspend => VettingState::Suspended,
        VettingDecision::Reinstate if profile.vetting.state == VettingState::Suspended => {
            VettingState::Approved
        }
        VettingDecision::Reinstate => return Err(AppError::Conflict),
    };
    if let Some(max) = request.max_children {
        if !(1..=5).contains(&max) {
            return Err(invalid(
                "max_children",
                Text::new(
                    "每位志愿者可结对 1–5 名儿童",
                    "A volunteer may be paired with 1–5 children",
                ),
            ));
        }
        profile.max_children = max;
    }
    profile.vetting.state = next;
    profile.vetting.reason = reason;
    profile.vetting.decided_at = Some(now);
    state.store.put_profile(&profile).await?;
    // The account follows the vetting: approved volunteers can sign in and sign up.
    match next {
        VettingState::Approved => {
            state
                .store
                .change_status(user_id, &[UserStatus::Pending], UserStatus::Active)
                .await?;
        }
        VettingState::Rejected => {
            state
                .store
                .change_status(
                    user_id,
                    &[UserStatus::Pending, UserStatus::Active],
                    UserStatus::Disabled,
                )
                .await?;
        }
        _ => {}
    }
    if next == VettingState::Suspended {
        let flag = Bilingual {
            zh: "志愿者资格已暂停,请尽快处理此结对".into(),
            en: "The volunteer's approval is suspended: review this pairing".into(),
        };
        for state_now in [PairingState::Active, PairingState::Proposed] {
            for mut pairing in state
                .store
                .pairings_in(state_now)
                .await?
                .into_iter()
                .filter(|p| p.volunteer_id == user_id)
            {
                pairing.flagged = Some(flag.clone());
                state.store.save_pairing(&pairing, state_now).await?;
            }
        }
    }
    record_with(
        state,
        &admin.actor(source),
        AuditAction::VolunteerVetted,
        Some(user_target(user_id)),
        Some(next.as_str().into()),
    )
    .await?;
    profile_of(state, user_id).await
}

fn overdue(state: &AppState, pairing: &Pairing) -> bool {
    if pairing.state != PairingState::Active {
        return false;
    }
    let today = crate::registry::today(state);
    let since = pairing
        .last_contact
        .or_else(|| pairing.activated_at.map(shared::time::beijing_date))
        .unwrap_or(today);
    (today - since).num_days() > state.settings.contact_overdue_days
}

pub async fn board(state: &AppState) -> Result<PairingBoard, AppError> {
    let paired: HashSet<String> = state.store.paired_children().await?.into_iter().collect();
    let unpaired = state
        .store
        .all_children()
        .await?
        .into_iter()
        .filter(|child| {
            child.status == shared::children::MonitoringStatus::Monitored
                && !paired.contains(&child.id)
        })
        .map(|child| UnpairedChild {
            child_id: child.id,
            name: child.child.name,
            village_code: child.child.residence_village,
            school: child.child.school,
        })
        .collect();
    let active = state.store.pairings_in(PairingState::Active).await?;
    let overdue_list = active
        .iter()
        .filter(|p| overdue(state, p))
        .cloned()
        .collect();
    let flagged = active
        .iter()
        .filter(|p| p.flagged.is_some())
        .cloned()
        .collect();
    let volunteers_with_capacity = volunteers(state)
        .await?
        .into_iter()
        .filter(|v| v.vetting.state == VettingState::Approved && v.active_pairings < v.max_children)
        .collect();
    Ok(PairingBoard {
        unpaired,
        proposed: state.store.pairings_in(PairingState::Proposed).await?,
        active,
        overdue: overdue_list,
        flagged,
        volunteers_with_capacity,
    })
}

/// Volunteers with free capacity for a child: same village first, then same street, then shared
/// interests — each with the reason it was suggested.
pub async fn suggestions(state: &AppState, child_id: &str) -> Result<Vec<Suggestion>, AppError> {
    let child = state
        .store
        .get_child(child_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let village = child.child.residence_village.clone();
    let street = shared::divisions::street_of_village(&village).map(|s| s.code);
    let interests: Vec<String> = split_words(&child.child.interests);
    let mut out = Vec::new();
    for volunteer in volunteers(state).await? {
        if volunteer.vetting.state != VettingState::Approved
            || volunteer.active_pairings >= volunteer.max_children
        {
            continue;
        }
        let mut score = 0;
        let mut why = Vec::new();
        // Where the volunteer is: their availability text names a village or street.
        let place = format!(
            "{} {}",
            volunteer.profile.availability, volunteer.profile.skills
        );
        if let Some(name) =
            shared::divisions::village_name(&village).filter(|name| place.contains(name))
        {
            score += 3;
            why.push(Bilingual {
                zh: format!("同村(社区):{name}"),
                en: format!("Same village or community: {name}"),
            });
        } else if let Some(name) = street
            .and_then(|code| shared::divisions::streets().find(|s| s.code == code))
            .map(|s| s.name)
            .filter(|name| place.contains(name))
        {
            score += 2;
            why.push(Bilingual {
                zh: format!("同街道:{name}"),
                en: format!("Same street: {name}"),
            });
        }
        for word in split_words(&volunteer.profile.interests) {
            if interests.contains(&word) {
                score += 1;
                why.push(Bilingual {
                    zh: format!("共同兴趣:{word}"),
                    en: format!("Shared interest: {word}"),
                });
            }
        }
        if why.is_empty() {
            why.push(Bilingual {
                zh: "有空余结对名额".into(),
                en: "Has room for another child".into(),
            });
        }
        out.push(Suggestion {
            volunteer,
            score,
            why,
        });
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.volunteer.name.cmp(&b.volunteer.name))
    });
    Ok(out)
}

fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || "、,,;;/".contains(c))
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn propose(
    state: &AppState,
    admin: &CurrentUser,
    request: &ProposePairingRequest,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let child = state
        .store
        .get_child(&request.child_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let volunteer = profile_of(state, &request.volunteer_id).await?;
    if volunteer.vetting.state != VettingState::Approved {
        return Err(refused(
            "志愿者尚未通过审核(或已暂停)",
            "The volunteer is not approved (or is suspended)",
        ));
    }
    let pairing = Pairing {
        id: ulid::Ulid::new().to_string(),
        child_id: child.id.clone(),
        child_name: child.child.name.clone(),
        volunteer_id: volunteer.user_id.clone(),
        volunteer_name: volunteer.name.clone(),
        state: PairingState::Proposed,
        proposed_by: admin.display_name.clone(),
        proposed_at: state.clock.now(),
        activated_at: None,
        ended: None,
        flagged: None,
        last_contact: None,
    };
    state.store.put_new_pairing(&pairing).await?;
    record_with(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(&pairing.id)),
        Some("proposed".into()),
    )
    .await?;
    Ok(pairing)
}

pub async fn activate(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let mut pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    pairing.state = PairingState::Active;
    pairing.activated_at = Some(state.clock.now());
    match state.store.activate_pairing(&pairing).await? {
        ActivateOutcome::Activated => {}
        ActivateOutcome::NotProposed => return Err(AppError::Conflict),
        ActivateOutcome::ChildAlreadyPaired => {
            return Err(refused(
                "该儿童已有结对中的爱心妈妈(可能刚被其他管理员结对)",
                "This child already has an active pairing (perhaps made by another admin just now)",
            ))
        }
        ActivateOutcome::VolunteerFull => {
            return Err(refused(
                "该志愿者的结对名额已满,或未通过审核",
                "The volunteer has no room for another child, or is not approved",
            ))
        }
    }
    record_with(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(id)),
        Some("active".into()),
    )
    .await?;
    Ok(pairing)
}

pub async fn cancel(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let mut pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    pairing.state = PairingState::Cancelled;
    if !state
        .store
        .save_pairing(&pairing, PairingState::Proposed)
        .await?
    {
        return Err(AppError::Conflict);
    }
    record_with(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(id)),
        Some("cancelled".into()),
    )
    .await?;
    Ok(pairing)
}

pub async fn end(
    state: &AppState,
    admin: &CurrentUser,
    id: &str,
    request: &EndPairingRequest,
    source: Option<String>,
) -> Result<Pairing, AppError> {
    let note = shared::validate::text_field(
        "note",
        &request.note,
        200,
        request.reason == shared::pairings::EndReason::Other,
    )
    .map_err(|e| AppError::Invalid(vec![e]))?;
    let mut pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    pairing.state = PairingState::Ended;
    pairing.ended = Some(PairingEnd {
        reason: request.reason,
        note,
        by: admin.display_name.clone(),
        at: state.clock.now(),
    });
    if !state.store.end_pairing(&pairing).await? {
        return Err(AppError::Conflict);
    }
    record_with(
        state,
        &admin.actor(source),
        AuditAction::PairingChanged,
        Some(pairing_target(id)),
        Some(format!("ended: {}", request.reason.as_str())),
    )
    .await?;
    Ok(pairing)
}

pub async fn detail(state: &AppState, id: &str) -> Result<PairingDetail, AppError> {
    let pairing = state
        .store
        .get_pairing(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let contacts = state.store.contacts(id).await?;
    Ok(PairingDetail {
        contact_overdue: overdue(state, &pairing),
        pairing,
        contacts,
    })
}

pub async fn child_history(state: &AppState, child_id: &str) -> Result<Vec<Pairing>, AppError> {
    Ok(state.store.child_pairings(child_id).await?)
}

async fn my_active(state: &AppState, user: &CurrentUser) -> Result<Vec<Pairing>, AppError> {
    Ok(state
        .store
        .pairings_in(PairingState::Active)
        .await?
        .into_iter()
        .filter(|p| p.volunteer_id == user.id)
        .collect())
}

/// The volunteer's children, as much as a volunteer may know.
pub async fn mine(state: &AppState, user: &CurrentUser) -> Result<Vec<MyPairing>, AppError> {
    let today = crate::registry::today(state);
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
            contacts: state.store.contacts(&pairing.id).await?,
        });
    }
    Ok(out)
}

pub async fn log_contact(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    request: &ContactRequest,
) -> Result<Contact, AppError> {
    let mut pairing = my_active(state, user)
        .await?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or(AppError::NotFound)?;
    let summary = shared::validate::text_field("summary", &request.summary, 500, false)
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
    state.store.add_contact(id, &contact).await?;
    if pairing.last_contact.is_none_or(|last| last < request.date) {
        pairing.last_contact = Some(request.date);
        state
            .store
            .save_pairing(&pairing, PairingState::Active)
            .await?;
    }
    if request.concern {
        let child = state.store.get_child(&pairing.child_id).await?;
        let village = child.map(|c| c.child.residence_village).unwrap_or_default();
        let text = Bilingual {
            zh: format!(
                "爱心妈妈 {} 对 {} 报告了关注事项",
                user.display_name, pairing.child_name
            ),
            en: format!(
                "{} flagged a concern about {}",
                user.display_name, pairing.child_name
            ),
        };
        for person in state.store.active_users().await? {
            let responsible = person.role == Role::Admin
                || matches!((&person.role, &person.scope), (Role::Director, Scope::Villages { codes }) if codes.contains(&village));
            if responsible {
                let note = Notification {
                    id: ulid::Ulid::new().to_string(),
                    at: state.clock.now(),
                    text: text.clone(),
                    link: Some(format!("/pairings/{id}")),
                };
                state.store.notify(&person.id, &note).await?;
            }
        }
    }
    Ok(contact)
}
