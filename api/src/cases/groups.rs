//! The groups: who sees which, starting one for a student, the case page, and the members —
//! added and removed by the lead or an admin, never past the cap.

use shared::api::AuditAction;
use shared::cases::{
    AddMemberRequest, CaseStudent, CaseSummary, CaseView, CreateCaseRequest, GroupRole, Member,
};
use shared::{Role, Scope, Text};

use super::{case_target, invalid, standing, student, ATTEMPTS};
use crate::accounts::{audit_entry, record, record_with, CurrentUser};
use crate::registry::child_target;
use crate::store::cases::{AddMemberOutcome, GroupItem, MemberCount, RemoveMemberOutcome};
use crate::{AppError, AppState};

fn summary(group: &GroupItem, today: chrono::NaiveDate) -> CaseSummary {
    CaseSummary {
        child_id: group.child_id.clone(),
        child_name: group.child_name.clone(),
        school: group.school.clone(),
        lead: Some(group.lead_name.clone()),
        care_level: group.care_level,
        next_review: group.next_review,
        review_overdue: group.next_review.is_some_and(|review| review < today),
        open_crises: group.open_crises,
        plan_version: group.plan_version,
    }
}

/// Admins see every group; a director the groups of their villages; everyone else their own
/// (found through the membership index, then each membership confirmed on the base table, so
/// someone just removed does not still see the group while the index catches up). Open crises
/// first, then overdue reviews. The children shown are audited.
pub async fn list(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<Vec<CaseSummary>, AppError> {
    let today = crate::registry::today(state);
    let groups: Vec<GroupItem> = match (&user.role, &user.scope) {
        (Role::Admin, _) => state.store.all_groups().await?,
        (Role::Director, Scope::Villages { codes }) => state
            .store
            .all_groups()
            .await?
            .into_iter()
            .filter(|group| codes.contains(&group.village_code))
            .collect(),
        _ => {
            let mut groups = Vec::new();
            for child in state.store.groups_of(&user.id).await? {
                if state.store.get_member(&child, &user.id).await?.is_none() {
                    continue;
                }
                if let Some(group) = state.store.get_group(&child).await? {
                    groups.push(group);
                }
            }
            groups
        }
    };
    let mut list: Vec<CaseSummary> = groups.iter().map(|group| summary(group, today)).collect();
    list.sort_by_key(|case| {
        (
            case.open_crises == 0,
            !case.review_overdue,
            case.child_name.clone(),
        )
    });
    let shown: Vec<&str> = groups.iter().map(|group| group.child_id.as_str()).collect();
    crate::accounts::record_with(
        state,
        &user.actor(source),
        AuditAction::CasesListed,
        None,
        Some(shown.join(",")),
    )
    .await?;
    Ok(list)
}

/// Children a group can be started for: a teacher's own school, without a group yet. An
/// audited read, listing the children shown.
pub async fn candidates(
    state: &AppState,
    user: &CurrentUser,
    source: Option<String>,
) -> Result<Vec<CaseStudent>, AppError> {
    let school = match (&user.role, &user.scope) {
        (Role::Teacher, Scope::School { name }) => Some(name.clone()),
        (Role::Admin, _) => None,
        _ => return Err(AppError::Forbidden),
    };
    let (groups, children) = tokio::join!(state.store.all_groups(), state.store.all_children());
    let taken: std::collections::HashSet<String> =
        groups?.into_iter().map(|group| group.child_id).collect();
    let shown: Vec<CaseStudent> = children?
        .into_iter()
        .filter(|child| {
            school
                .as_ref()
                .is_none_or(|school| &child.child.school == school)
        })
        .filter(|child| !taken.contains(&child.id))
        .take(500)
        .map(|child| student(&child))
        .collect();
    let ids: Vec<&str> = shown.iter().map(|child| child.child_id.as_str()).collect();
    record_with(
        state,
        &user.actor(source),
        AuditAction::CaseCandidatesViewed,
        None,
        Some(ids.join(",")),
    )
    .await?;
    Ok(shown)
}

pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    request: &CreateCaseRequest,
    source: Option<String>,
) -> Result<CaseView, AppError> {
    let child = state
        .store
        .get_child(&request.child_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let lead = match (&user.role, &user.scope) {
        (Role::Teacher, Scope::School { name }) if &child.child.school == name => state
            .store
            .get_user(&user.id)
            .await?
            .ok_or(AppError::Unauthenticated)?,
        (Role::Teacher, _) => return Err(AppError::NotFound),
        (Role::Admin, _) => {
            let lead_id = request.lead_user_id.as_deref().ok_or_else(|| {
                invalid(
                    "lead_user_id",
                    Text::new(
                        "请选择担任组长的班主任",
                        "Choose the class teacher who leads the group",
                    ),
                )
            })?;
            match state.store.get_user(lead_id).await? {
                Some(lead) if lead.role == Role::Teacher => lead,
                _ => {
                    return Err(invalid(
                        "lead_user_id",
                        Text::new(
                            "组长须为班主任账号",
                            "The lead must be a class teacher's account",
                        ),
                    ))
                }
            }
        }
        _ => return Err(AppError::Forbidden),
    };
    let now = state.clock.now();
    let group = GroupItem {
        child_id: child.id.clone(),
        child_name: child.child.name.clone(),
        school: child.child.school.clone(),
        village_code: child.child.residence_village.clone(),
        lead_user_id: lead.id.clone(),
        lead_name: lead.display_name.clone(),
        care_level: child.child.care_level,
        next_review: None,
        plan_version: 0,
        open_crises: 0,
        member_count: Some(1),
        created_at: now,
    };
    let member = Member {
        user_id: lead.id.clone(),
        name: lead.display_name.clone(),
        role: GroupRole::Lead,
        added_at: now,
        added_by: user.display_name.clone(),
    };
    let entry = audit_entry(
        state,
        &user.actor(source.clone()),
        AuditAction::CaseChanged,
        Some(case_target(&child.id)),
        Some(format!("created, lead {}", lead.display_name)),
    );
    if !state.store.create_group(&group, &member, &entry).await? {
        return Err(AppError::Conflict);
    }
    view(state, user, &child.id, source).await
}

pub async fn view(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    source: Option<String>,
) -> Result<CaseView, AppError> {
    let standing = standing(state, user, child_id).await?;
    let actor = user.actor(source);
    let target = Some(child_target(child_id));
    let (members, plan, notes, crises, logged) = tokio::join!(
        state.store.members(child_id),
        state.store.plan(child_id, standing.group.plan_version),
        state.store.notes(child_id),
        state.store.crises(child_id),
        record(state, &actor, AuditAction::ChildViewed, target),
    );
    logged?;
    Ok(CaseView {
        student: student(&standing.child),
        members: members?,
        plan: plan?,
        notes: notes?,
        crises: crises?,
        can_manage: standing.can_manage(user),
    })
}

/// What the group sees of the child's visits: when, how, by whom, and the problems and needs
/// found (not the rest of the register); the reading is audited.
pub async fn visit_summaries(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    source: Option<String>,
) -> Result<Vec<shared::visits::VisitSummary>, AppError> {
    standing(state, user, child_id).await?;
    // Volunteers never see visits, even as members of the group.
    if user.role == Role::Volunteer {
        return Err(AppError::Forbidden);
    }
    let visits = state.store.child_visits(child_id).await?;
    record_with(
        state,
        &user.actor(source),
        AuditAction::VisitsListed,
        Some(child_target(child_id)),
        Some("summaries".into()),
    )
    .await?;
    Ok(visits.iter().map(|visit| visit.summary()).collect())
}

/// How the group's member count is known for the next write: its counter, or — for a group
/// stored before the counter existed — its members counted now.
async fn member_count(
    state: &AppState,
    child_id: &str,
    group: &GroupItem,
) -> Result<MemberCount, AppError> {
    Ok(match group.member_count {
        Some(_) => MemberCount::Counted,
        None => {
            let members = state.store.members(child_id).await?.len();
            MemberCount::Uncounted(u32::try_from(members).unwrap_or(u32::MAX))
        }
    })
}

pub async fn add_member(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    request: &AddMemberRequest,
    source: Option<String>,
) -> Result<CaseView, AppError> {
    let standing = standing(state, user, child_id).await?;
    if !standing.can_manage(user) {
        return Err(AppError::Forbidden);
    }
    if request.role == GroupRole::Lead {
        return Err(invalid(
            "role",
            Text::new(
                "每个群组只有一位组长(班主任)",
                "A group has exactly one lead, its class teacher",
            ),
        ));
    }
    let username = shared::validate::Username::parse("username", &request.username)
        .map_err(|error| AppError::Invalid(vec![error]))?;
    let person = match state.store.find_user_by_username(username.as_str()).await? {
        Some(person) if person.status == shared::api::UserStatus::Active => person,
        _ => {
            return Err(invalid(
                "username",
                Text::new(
                    "找不到该用户,或账号未启用",
                    "No active user with that username",
                ),
            ))
        }
    };
    if !may_see_village(&person.role, &person.scope, &standing.group.village_code) {
        return Err(invalid(
            "username",
            Text::new(
                "该儿童主任不负责此儿童所在的村(社区),不能加入该群组",
                "That children's director does not cover this child's village",
            ),
        ));
    }
    let member = Member {
        user_id: person.id.clone(),
        name: person.display_name.clone(),
        role: request.role,
        added_at: state.clock.now(),
        added_by: user.display_name.clone(),
    };
    let entry = audit_entry(
        state,
        &user.actor(source.clone()),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
        Some(format!(
            "+ {} ({})",
            person.display_name,
            request.role.as_str()
        )),
    );
    let cap = u32::try_from(shared::cases::limits::MEMBERS_MAX).unwrap_or(u32::MAX);
    let mut group = standing.group;
    for _ in 0..ATTEMPTS {
        let count = member_count(state, child_id, &group).await?;
        match state
            .store
            .add_member(child_id, &member, count, cap, &entry)
            .await?
        {
            AddMemberOutcome::Added => return view(state, user, child_id, source).await,
            AddMemberOutcome::Full => {
                return Err(invalid(
                    "username",
                    Text::new("成员已满 30 人", "The group already has 30 members"),
                ))
            }
            AddMemberOutcome::AlreadyMember => return Err(AppError::Conflict),
            AddMemberOutcome::Stale => {
                group = state
                    .store
                    .get_group(child_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
            }
        }
    }
    Err(AppError::Conflict)
}

/// People the lead (or an admin) may add to the group, found by name: active teachers,
/// counsellors, volunteers and directors who are not members yet. Only those who manage the
/// group may search (others learn nothing about who could join).
pub async fn member_candidates(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    query: &str,
) -> Result<Vec<shared::api::PersonOption>, AppError> {
    let standing = standing(state, user, child_id).await?;
    if !standing.can_manage(user) {
        return Err(AppError::Forbidden);
    }
    let members = state.store.members(child_id).await?;
    let village = standing.group.village_code.clone();
    let roles = [
        Role::Teacher,
        Role::Counsellor,
        Role::Volunteer,
        Role::Director,
    ];
    crate::accounts::find_people_who(state, query, &roles, |person| {
        !members.iter().any(|member| member.user_id == person.id)
            && may_see_village(&person.role, &person.scope, &village)
    })
    .await
}

/// A director sees the children of their own villages only; a group must not widen that.
fn may_see_village(role: &Role, scope: &Scope, village: &str) -> bool {
    match (role, scope) {
        (Role::Director, Scope::Villages { codes }) => codes.iter().any(|code| code == village),
        (Role::Director, _) => false,
        _ => true,
    }
}

pub async fn remove_member(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    member_id: &str,
    source: Option<String>,
) -> Result<CaseView, AppError> {
    let standing = standing(state, user, child_id).await?;
    if !standing.can_manage(user) {
        return Err(AppError::Forbidden);
    }
    if member_id == standing.group.lead_user_id {
        return Err(invalid(
            "user_id",
            Text::new("不能移除组长", "The lead cannot be removed"),
        ));
    }
    let member = state
        .store
        .get_member(child_id, member_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = audit_entry(
        state,
        &user.actor(source.clone()),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
        Some(format!("− {} ({})", member.name, member.role.as_str())),
    );
    let mut group = standing.group;
    for _ in 0..ATTEMPTS {
        let count = member_count(state, child_id, &group).await?;
        match state
            .store
            .remove_member(child_id, member_id, count, &entry)
            .await?
        {
            RemoveMemberOutcome::Removed => return view(state, user, child_id, source).await,
            RemoveMemberOutcome::NotMember => return Err(AppError::NotFound),
            RemoveMemberOutcome::Stale => {
                group = state
                    .store
                    .get_group(child_id)
                    .await?
                    .ok_or(AppError::NotFound)?;
            }
        }
    }
    Err(AppError::Conflict)
}
