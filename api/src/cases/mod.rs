//! One student, one plan, one group (一生一案一群): who is in a student's group, the plan they
//! share (every save a new version; a save from a stale version is refused), notes, and crisis
//! flags that raise the care level and tell the people responsible at once.

use shared::api::AuditAction;
use shared::cases::{
    plan_changes, AddMemberRequest, CaseStudent, CaseSummary, CaseView, CloseCrisisRequest,
    CreateCaseRequest, Crisis, CrisisClosure, GroupRole, Member, Note, NoteRequest, PlanVersion,
    RaiseCrisisRequest, SavePlanRequest,
};
use shared::children::{Bilingual, CareLevel, CareLevelChange};
use shared::events::Notification;
use shared::{Role, Scope, Text};

use crate::accounts::{record, record_with, CurrentUser};
use crate::registry::child_target;
use crate::store::cases::GroupItem;
use crate::store::children::ChildItem;
use crate::{AppError, AppState};

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

fn case_target(child: &str) -> String {
    format!("case:{child}")
}

/// How a user relates to a student's group.
struct Standing {
    group: GroupItem,
    child: ChildItem,
    member: Option<Member>,
}

impl Standing {
    fn is_lead(&self, user: &CurrentUser) -> bool {
        self.group.lead_user_id == user.id
    }
    fn can_manage(&self, user: &CurrentUser) -> bool {
        user.role == Role::Admin || self.is_lead(user)
    }
}

fn directs(user: &CurrentUser, child: &ChildItem) -> bool {
    matches!((&user.role, &user.scope), (Role::Director, Scope::Villages { codes }) if codes.contains(&child.child.residence_village))
}

/// The group as this user may see it: members, admins and the child's director; nobody else
/// learns it exists (404).
async fn standing(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
) -> Result<Standing, AppError> {
    let (group, member, child) = tokio::join!(
        state.store.get_group(child_id),
        state.store.get_member(child_id, &user.id),
        state.store.get_child(child_id),
    );
    let (Some(group), Some(child)) = (group?, child?) else {
        return Err(AppError::NotFound);
    };
    let member = member?;
    if member.is_some() || user.role == Role::Admin || directs(user, &child) {
        Ok(Standing {
            group,
            child,
            member,
        })
    } else {
        Err(AppError::NotFound)
    }
}

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

/// Admins see every group; a director the groups of their villages; everyone else their own.
/// Open crises first, then overdue reviews.
pub async fn list(state: &AppState, user: &CurrentUser) -> Result<Vec<CaseSummary>, AppError> {
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
    Ok(list)
}

/// Children a group can be started for: a teacher's own school, without a group yet.
pub async fn candidates(
    state: &AppState,
    user: &CurrentUser,
) -> Result<Vec<CaseStudent>, AppError> {
    let school = match (&user.role, &user.scope) {
        (Role::Teacher, Scope::School { name }) => Some(name.clone()),
        (Role::Admin, _) => None,
        _ => return Err(AppError::Forbidden),
    };
    let taken: std::collections::HashSet<String> = state
        .store
        .all_groups()
        .await?
        .into_iter()
        .map(|group| group.child_id)
        .collect();
    Ok(state
        .store
        .all_children()
        .await?
        .into_iter()
        .filter(|child| {
            school
                .as_ref()
                .is_none_or(|school| &child.child.school == school)
        })
        .filter(|child| !taken.contains(&child.id))
        .take(500)
        .map(|child| student(&child))
        .collect())
}

fn student(child: &ChildItem) -> CaseStudent {
    CaseStudent {
        child_id: child.id.clone(),
        name: child.child.name.clone(),
        gender: child.child.gender,
        birth_date: child.child.birth_date,
        school: child.child.school.clone(),
        class_name: child.child.class_name.clone(),
        care_level: child.child.care_level,
        interests: child.child.interests.clone(),
    }
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
        created_at: now,
    };
    let member = Member {
        user_id: lead.id.clone(),
        name: lead.display_name.clone(),
        role: GroupRole::Lead,
        added_at: now,
        added_by: user.display_name.clone(),
    };
    if !state.store.create_group(&group, &member).await? {
        return Err(AppError::Conflict);
    }
    record(
        state,
        &user.actor(source.clone()),
        AuditAction::CaseChanged,
        Some(case_target(&child.id)),
    )
    .await?;
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
    if state.store.members(child_id).await?.len() >= shared::cases::limits::MEMBERS_MAX {
        return Err(invalid(
            "username",
            Text::new("成员已满 30 人", "The group already has 30 members"),
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
    let member = Member {
        user_id: person.id.clone(),
        name: person.display_name.clone(),
        role: request.role,
        added_at: state.clock.now(),
        added_by: user.display_name.clone(),
    };
    if !state.store.put_member(child_id, &member).await? {
        return Err(AppError::Conflict);
    }
    let detail = format!("+ {} ({})", person.display_name, request.role.as_str());
    record_with(
        state,
        &user.actor(source.clone()),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
        Some(detail),
    )
    .await?;
    view(state, user, child_id, source).await
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
    state.store.remove_member(child_id, member_id).await?;
    let detail = format!("− {} ({})", member.name, member.role.as_str());
    record_with(
        state,
        &user.actor(source.clone()),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
        Some(detail),
    )
    .await?;
    view(state, user, child_id, source).await
}

/// Saves the plan as a new version. A save from a version other than the latest is refused with
/// 409 and nothing is written: the interface shows what changed and lets the teacher re-apply.
pub async fn save_plan(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    request: &SavePlanRequest,
    source: Option<String>,
) -> Result<PlanVersion, AppError> {
    let standing = standing(state, user, child_id).await?;
    if standing.member.is_none() && user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let members = state.store.members(child_id).await?;
    let plan = request.plan.validate(&members).map_err(AppError::Invalid)?;
    if request.version != standing.group.plan_version {
        return Err(AppError::Conflict);
    }
    let previous = state.store.plan(child_id, request.version).await?;
    let version = PlanVersion {
        version: request.version + 1,
        changes: plan_changes(previous.as_ref().map(|p| &p.plan), &plan),
        plan,
        saved_by: user.display_name.clone(),
        saved_at: state.clock.now(),
    };
    if !state
        .store
        .save_plan(child_id, &version, request.version)
        .await?
    {
        return Err(AppError::Conflict);
    }
    if version.plan.care_level != standing.child.child.care_level {
        set_care_level(
            state,
            child_id,
            version.plan.care_level,
            "个案计划调整 Plan changed",
            &user.display_name,
        )
        .await?;
    }
    record_with(
        state,
        &user.actor(source),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
        Some(format!("plan v{}", version.version)),
    )
    .await?;
    Ok(version)
}

pub async fn plan_versions(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
) -> Result<Vec<PlanVersion>, AppError> {
    standing(state, user, child_id).await?;
    Ok(state.store.plan_versions(child_id).await?)
}

/// Notes are append-only: there is no way to change or delete one.
pub async fn add_note(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    request: &NoteRequest,
    source: Option<String>,
) -> Result<Note, AppError> {
    let standing = standing(state, user, child_id).await?;
    if standing.member.is_none() && user.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let text =
        shared::validate::text_field("text", &request.text, shared::cases::limits::NOTE_MAX, true)
            .map_err(|error| AppError::Invalid(vec![error]))?;
    if request.date > crate::registry::today(state) {
        return Err(invalid(
            "date",
            Text::new("日期不能晚于今天", "The date cannot be in the future"),
        ));
    }
    let note = Note {
        id: ulid::Ulid::new().to_string(),
        kind: request.kind,
        date: request.date,
        text,
        author: user.display_name.clone(),
        written_at: state.clock.now(),
    };
    state.store.add_note(child_id, &note).await?;
    record(
        state,
        &user.actor(source),
        AuditAction::CaseChanged,
        Some(case_target(child_id)),
    )
    .await?;
    Ok(note)
}

/// Sets the child's care level on the registry record (optimistic, retried on a concurrent edit).
async fn set_care_level(
    state: &AppState,
    child_id: &str,
    level: CareLevel,
    reason: &str,
    by: &str,
) -> Result<(), AppError> {
    for _ in 0..5 {
        let Some(mut child) = state.store.get_child(child_id).await? else {
            return Err(AppError::NotFound);
        };
        if child.child.care_level == level {
            return Ok(());
        }
        let expected = child.version;
        child.version += 1;
        child.child.care_level = level;
        child.care_level_history.push(CareLevelChange {
            level,
            reason: reason.into(),
            by: by.into(),
            at: state.clock.now(),
        });
        child.updated_at = state.clock.now();
        if state.store.replace_child(&child, expected).await? {
            return Ok(());
        }
    }
    Err(AppError::Conflict)
}

async fn notify(
    state: &AppState,
    user_id: &str,
    text: &Bilingual,
    link: &str,
) -> Result<(), AppError> {
    let notification = Notification {
        id: ulid::Ulid::new().to_string(),
        at: state.clock.now(),
        text: text.clone(),
        link: Some(link.into()),
    };
    Ok(state.store.notify(user_id, &notification).await?)
}

/// Raises a crisis flag: the care level becomes urgent at once, and admins, the child's
/// directors and the group lead are told. A flag is never deleted, only closed by an admin.
pub async fn raise_crisis(
    state: &AppState,
    user: &CurrentUser,
    child_id: &str,
    request: &RaiseCrisisRequest,
    source: Option<String>,
) -> Result<Crisis, AppError> {
    let standing = standing(state, user, child_id).await?;
    let description = shared::validate::text_field(
        "description",
        &request.description,
        shared::cases::limits::CRISIS_MAX,
        true,
    )
    .map_err(|error| AppError::Invalid(vec![error]))?;
    let crisis = Crisis {
        id: ulid::Ulid::new().to_string(),
        child_id: child_id.to_string(),
        child_name: standing.child.child.name.clone(),
        kind: request.kind,
        description,
        raised_by: user.display_name.clone(),
        raised_at: state.clock.now(),
        closed: None,
    };
    state.store.raise_crisis(&crisis).await?;
    set_care_level(
        state,
        child_id,
        CareLevel::Urgent,
        &format!("危机预警 Crisis: {}", crisis.kind.label().zh),
        &user.display_name,
    )
    .await?;
    let text = Bilingual {
        zh: format!(
            "危机预警:{}({})— {}",
            standing.child.child.name,
            crisis.kind.label().zh,
            user.display_name
        ),
        en: format!(
            "Crisis flag: {} ({}) — raised by {}",
            standing.child.child.name,
            crisis.kind.label().en,
            user.display_name
        ),
    };
    let link = format!("/cases/{child_id}");
    let mut told = std::collections::HashSet::new();
    for person in state.store.active_users().await? {
        let responsible = person.role == Role::Admin
            || matches!((&person.role, &person.scope), (Role::Director, Scope::Villages { codes }) if codes.contains(&standing.child.child.residence_village))
            || person.id == standing.group.lead_user_id;
        if responsible && told.insert(person.id.clone()) {
            notify(state, &person.id, &text, &link).await?;
        }
    }
    record_with(
        state,
        &user.actor(source),
        AuditAction::CrisisRaised,
        Some(child_target(child_id)),
        Some(crisis.kind.as_str().into()),
    )
    .await?;
    Ok(crisis)
}

pub async fn close_crisis(
    state: &AppState,
    admin: &CurrentUser,
    child_id: &str,
    crisis_id: &str,
    request: &CloseCrisisRequest,
    source: Option<String>,
) -> Result<Crisis, AppError> {
    let note = shared::validate::text_field(
        "note",
        &request.note,
        shared::cases::limits::CRISIS_MAX,
        true,
    )
    .map_err(|error| AppError::Invalid(vec![error]))?;
    standing(state, admin, child_id).await?;
    let mut crisis = state
        .store
        .get_crisis(child_id, crisis_id)
        .await?
        .ok_or(AppError::NotFound)?;
    crisis.closed = Some(CrisisClosure {
        by: admin.display_name.clone(),
        at: state.clock.now(),
        note,
    });
    if !state.store.close_crisis(&crisis).await? {
        return Err(AppError::Conflict);
    }
    record_with(
        state,
        &admin.actor(source),
        AuditAction::CrisisClosed,
        Some(child_target(child_id)),
        None,
    )
    .await?;
    Ok(crisis)
}

pub async fn open_crises(state: &AppState) -> Result<Vec<Crisis>, AppError> {
    Ok(state.store.open_crises().await?)
}
