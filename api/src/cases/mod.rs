//! One student, one plan, one group (一生一案一群): who is in a student's group, the plan they
//! share (every save a new version; a save from a stale version is refused), notes, and crisis
//! flags that raise the care level and tell the people responsible at once.
//!
//! - `groups`: lists, candidates, starting a group, the case page, members;
//! - `plan`: plan versions and notes;
//! - `crises`: raising and closing crisis flags.
//!
//! What must hold under concurrency (one winner among simultaneous saves, the member cap, no
//! level below urgent while a crisis is open) are conditions in `store::cases`; here a refused
//! write is read again to say why, or retried when the refusal was only someone else's change.

mod crises;
mod groups;
mod plan;

pub use crises::{close_crisis, open_crises, raise_crisis};
pub use groups::{
    add_member, candidates, create, list, member_candidates, remove_member, view, visit_summaries,
};
pub use plan::{add_note, plan_versions, save_plan};

use shared::cases::{CaseStudent, Member};
use shared::{Role, Scope, Text};

use crate::accounts::CurrentUser;
use crate::store::cases::GroupItem;
use crate::store::children::ChildItem;
use crate::{AppError, AppState};

/// How often a change is tried again when the group or the child's record changed between its
/// read and its write. Each retry follows someone else's landed write, so a handful is plenty;
/// after that the caller hears 409 and looks again.
const ATTEMPTS: usize = 5;

fn invalid(field: &str, text: Text) -> AppError {
    AppError::Invalid(vec![shared::FieldError::new(field, text)])
}

fn case_target(child: &str) -> String {
    format!("case:{child}")
}

/// How a user relates to a student's group, read consistently from the base table.
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
    /// Members and admins work on the case; a director only looks (and may raise a crisis).
    fn can_edit(&self, user: &CurrentUser) -> bool {
        self.member.is_some() || user.role == Role::Admin
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
