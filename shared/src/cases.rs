//! "One student, one plan, one group" (一生一案一群): the case group around a student, the
//! versioned plan, notes and crisis flags, as the browser and the API exchange them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::children::{Bilingual, CareLevel, Gender};
use crate::error::FieldError;
use crate::i18n::Text;
use crate::validate::{text_field, Checker};

labelled_enum!(GroupRole {
    Lead = "lead", "班主任(组长)", "Lead (class teacher)";
    PartyCadre = "party_cadre", "党员干部", "Party member / cadre";
    SubjectTeacher = "subject_teacher", "任课教师", "Subject teacher";
    ParentVolunteer = "parent_volunteer", "爱心家长", "Parent volunteer";
    Volunteer = "volunteer", "志愿者", "Volunteer";
    MedicalExpert = "medical_expert", "医学专家", "Medical expert";
    Other = "other", "其他", "Other";
});

labelled_enum!(GoalStatus {
    NotStarted = "not_started", "未开始", "Not started";
    InProgress = "in_progress", "进行中", "In progress";
    Achieved = "achieved", "已达成", "Achieved";
    Dropped = "dropped", "已放弃", "Dropped";
});

labelled_enum!(NoteKind {
    Observation = "observation", "观察记录", "Observation";
    Conversation = "conversation", "谈心谈话", "Conversation";
    HomeContact = "home_contact", "家校联系", "Home contact";
});

labelled_enum!(CrisisKind {
    Psychological = "psychological", "心理危机", "Psychological crisis";
    Safety = "safety", "安全风险", "Safety risk";
    SuspectedAbuse = "suspected_abuse", "疑似受侵害", "Suspected abuse";
    Other = "other", "其他", "Other";
});

pub mod limits {
    pub const SITUATION_MAX: usize = 1000;
    pub const GOAL_TITLE_MAX: usize = 100;
    pub const MEASURES_MAX: usize = 500;
    pub const GOALS_MAX: usize = 20;
    pub const NOTE_MAX: usize = 2000;
    pub const CRISIS_MAX: usize = 1000;
    pub const MEMBERS_MAX: usize = 30;
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: String,
    pub name: String,
    pub role: GroupRole,
    pub added_at: DateTime<Utc>,
    pub added_by: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// Stable within a plan, so versions can be compared goal by goal.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub measures: String,
    /// A member of the group (user id), or none yet.
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    pub status: GoalStatus,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    pub situation: String,
    pub care_level: CareLevel,
    #[serde(default)]
    pub goals: Vec<Goal>,
    pub next_review: NaiveDate,
}

impl PlanInput {
    /// Checks the plan as the group stands; `today` (Beijing) bounds the dates people type:
    /// a goal due and the next review between a year ago and five years on.
    pub fn validate(
        &self,
        members: &[Member],
        today: NaiveDate,
    ) -> Result<PlanInput, Vec<FieldError>> {
        let mut checker = Checker::default();
        let earliest = today - chrono::Duration::days(366);
        let latest = today + chrono::Duration::days(5 * 366);
        let sensible = |date: NaiveDate| date >= earliest && date <= latest;
        if !sensible(self.next_review) {
            checker.check::<()>(Err(FieldError::new(
                "next_review",
                Text::new(
                    "下次复核日期应在一年前到五年后之间",
                    "The next review should be between a year ago and five years from now",
                ),
            )));
        }
        let situation = checker.check(text_field(
            "situation",
            &self.situation,
            limits::SITUATION_MAX,
            true,
        ));
        if self.goals.len() > limits::GOALS_MAX {
            checker.check::<()>(Err(FieldError::new(
                "goals",
                Text::new("目标最多 20 条", "At most 20 goals"),
            )));
        }
        let mut goals = Vec::new();
        for (i, goal) in self.goals.iter().take(limits::GOALS_MAX).enumerate() {
            let number = i + 1;
            if goal.title.trim().is_empty() {
                checker.check::<()>(Err(FieldError::new_owned(
                    &format!("goals[{i}].title"),
                    format!("第 {number} 个目标:请填写目标内容"),
                    format!("Goal {number}: write what the goal is"),
                )));
            }
            let title = checker.check(text_field(
                &format!("goals[{i}].title"),
                &goal.title,
                limits::GOAL_TITLE_MAX,
                false,
            ));
            if goal.due.is_some_and(|due| !sensible(due)) {
                checker.check::<()>(Err(FieldError::new_owned(
                    &format!("goals[{i}].due"),
                    format!("第 {number} 个目标:完成日期应在一年前到五年后之间"),
                    format!("Goal {number}: the due date should be between a year ago and five years from now"),
                )));
            }
            let measures = checker.check(text_field(
                &format!("goals[{i}].measures"),
                &goal.measures,
                limits::MEASURES_MAX,
                false,
            ));
            if goal.id.trim().is_empty() || goal.id.len() > 40 {
                checker.check::<()>(Err(FieldError::new(
                    &format!("goals[{i}].id"),
                    Text::new("目标编号无效", "The goal id is not valid"),
                )));
            }
            if let Some(owner) = &goal.owner {
                if !members.iter().any(|member| &member.user_id == owner) {
                    checker.check::<()>(Err(FieldError::new(
                        &format!("goals[{i}].owner"),
                        Text::new(
                            "负责人须为本群组成员",
                            "The owner must be a member of the group",
                        ),
                    )));
                }
            }
            goals.push(Goal {
                id: goal.id.trim().to_string(),
                title: title.unwrap_or_default(),
                measures: measures.unwrap_or_default(),
                owner: goal.owner.clone(),
                due: goal.due,
                status: goal.status,
            });
        }
        checker.finish()?;
        Ok(PlanInput {
            situation: situation.unwrap_or_default(),
            care_level: self.care_level,
            goals,
            next_review: self.next_review,
        })
    }
}

/// One field that differs between two plan versions, in words a teacher reads.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanChange {
    pub what: Bilingual,
    #[serde(default)]
    pub before: Option<String>,
    #[serde(default)]
    pub after: Option<String>,
}

fn goal_text(goal: &Goal) -> String {
    let due = goal.due.map(|d| format!(",{d}")).unwrap_or_default();
    format!("{}({}{due})", goal.title, goal.status.label().zh)
}

/// What changed from `before` to `after`, goal by goal.
pub fn plan_changes(before: Option<&PlanInput>, after: &PlanInput) -> Vec<PlanChange> {
    let mut changes = Vec::new();
    let field = |zh: &str, en: &str| Bilingual {
        zh: zh.into(),
        en: en.into(),
    };
    let old_situation = before.map(|plan| plan.situation.clone());
    if old_situation.as_deref() != Some(after.situation.as_str()) {
        changes.push(PlanChange {
            what: field("情况概述", "Situation"),
            before: old_situation,
            after: Some(after.situation.clone()),
        });
    }
    if before.map(|plan| plan.care_level) != Some(after.care_level) {
        changes.push(PlanChange {
            what: field("关爱等级", "Care level"),
            before: before.map(|plan| plan.care_level.label().zh.to_string()),
            after: Some(after.care_level.label().zh.to_string()),
        });
    }
    if before.map(|plan| plan.next_review) != Some(after.next_review) {
        changes.push(PlanChange {
            what: field("下次复盘日期", "Next review"),
            before: before.map(|plan| plan.next_review.to_string()),
            after: Some(after.next_review.to_string()),
        });
    }
    let old_goals: Vec<Goal> = before.map(|plan| plan.goals.clone()).unwrap_or_default();
    for goal in &after.goals {
        match old_goals.iter().find(|old| old.id == goal.id) {
            None => changes.push(PlanChange {
                what: field("新增目标", "Goal added"),
                before: None,
                after: Some(goal_text(goal)),
            }),
            Some(old) if old != goal => changes.push(PlanChange {
                what: field("修改目标", "Goal changed"),
                before: Some(goal_text(old)),
                after: Some(goal_text(goal)),
            }),
            Some(_) => {}
        }
    }
    for old in &old_goals {
        if !after.goals.iter().any(|goal| goal.id == old.id) {
            changes.push(PlanChange {
                what: field("删除目标", "Goal removed"),
                before: Some(goal_text(old)),
                after: None,
            });
        }
    }
    changes
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanVersion {
    pub version: u64,
    pub plan: PlanInput,
    pub saved_by: String,
    pub saved_at: DateTime<Utc>,
    pub changes: Vec<PlanChange>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavePlanRequest {
    /// The version the edit started from (0 for the first plan); a stale one is refused with 409.
    pub version: u64,
    pub plan: PlanInput,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub id: String,
    pub kind: NoteKind,
    pub date: NaiveDate,
    pub text: String,
    pub author: String,
    pub written_at: DateTime<Utc>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub kind: NoteKind,
    pub date: NaiveDate,
    pub text: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrisisClosure {
    pub by: String,
    pub at: DateTime<Utc>,
    pub note: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crisis {
    pub id: String,
    pub child_id: String,
    pub child_name: String,
    pub kind: CrisisKind,
    pub description: String,
    pub raised_by: String,
    pub raised_at: DateTime<Utc>,
    #[serde(default)]
    pub closed: Option<CrisisClosure>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RaiseCrisisRequest {
    pub kind: CrisisKind,
    pub description: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseCrisisRequest {
    pub note: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCaseRequest {
    pub child_id: String,
    /// The class teacher who leads the group; a teacher creating a group leads it themselves.
    #[serde(default)]
    pub lead_user_id: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddMemberRequest {
    pub username: String,
    pub role: GroupRole,
}

/// The student as the group sees them: no ID number, no address detail.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseStudent {
    pub child_id: String,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub school: String,
    pub class_name: String,
    pub care_level: CareLevel,
    pub interests: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub student: CaseStudent,
    pub members: Vec<Member>,
    #[serde(default)]
    pub plan: Option<PlanVersion>,
    pub notes: Vec<Note>,
    pub crises: Vec<Crisis>,
    /// Whether the caller may add and remove members (the lead and admins).
    pub can_manage: bool,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub child_id: String,
    pub child_name: String,
    pub school: String,
    #[serde(default)]
    pub lead: Option<String>,
    pub care_level: CareLevel,
    #[serde(default)]
    pub next_review: Option<NaiveDate>,
    pub review_overdue: bool,
    pub open_crises: u32,
    pub plan_version: u64,
}

/// Re-applies the edits a teacher made (from `base` to `draft`) on top of a colleague's newer
/// `latest`: fields the teacher did not touch keep the colleague's value; goals are merged by id.
pub fn rebase(base: &PlanInput, draft: &PlanInput, latest: &PlanInput) -> PlanInput {
    let pick = |mine: &String, old: &String, theirs: &String| {
        if mine != old {
            mine.clone()
        } else {
            theirs.clone()
        }
    };
    let mut goals = latest.goals.clone();
    for goal in &draft.goals {
        match base.goals.iter().find(|old| old.id == goal.id) {
            Some(old) if old == goal => {}
            _ => match goals.iter_mut().find(|g| g.id == goal.id) {
                Some(slot) => *slot = goal.clone(),
                None => goals.push(goal.clone()),
            },
        }
    }
    for old in &base.goals {
        if !draft.goals.iter().any(|goal| goal.id == old.id) {
            goals.retain(|goal| goal.id != old.id);
        }
    }
    PlanInput {
        situation: pick(&draft.situation, &base.situation, &latest.situation),
        care_level: if draft.care_level != base.care_level {
            draft.care_level
        } else {
            latest.care_level
        },
        goals,
        next_review: if draft.next_review != base.next_review {
            draft.next_review
        } else {
            latest.next_review
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(id: &str, title: &str, status: GoalStatus) -> Goal {
        Goal {
            id: id.into(),
            title: title.into(),
            measures: String::new(),
            owner: None,
            due: None,
            status,
        }
    }

    fn plan(situation: &str, goals: Vec<Goal>) -> PlanInput {
        PlanInput {
            situation: situation.into(),
            care_level: CareLevel::Focus,
            goals,
            next_review: NaiveDate::from_ymd_opt(2027, 1, 15).unwrap(),
        }
    }

    #[test]
    fn a_rebase_keeps_both_teachers_edits() {
        let base = plan(
            "旧",
            vec![
                goal("g1", "谈心", GoalStatus::NotStarted),
                goal("g2", "补习", GoalStatus::NotStarted),
            ],
        );
        // A changed the situation and removed g2; B (drafting from base) finished g1 and added g3.
        let latest = plan("新情况", vec![goal("g1", "谈心", GoalStatus::NotStarted)]);
        let draft = plan(
            "旧",
            vec![
                goal("g1", "谈心", GoalStatus::Achieved),
                goal("g2", "补习", GoalStatus::NotStarted),
                goal("g3", "阅读", GoalStatus::InProgress),
            ],
        );
        let merged = rebase(&base, &draft, &latest);
        assert_eq!(merged.situation, "新情况");
        let ids: Vec<(&str, GoalStatus)> = merged
            .goals
            .iter()
            .map(|g| (g.id.as_str(), g.status))
            .collect();
        assert_eq!(
            ids,
            [("g1", GoalStatus::Achieved), ("g3", GoalStatus::InProgress)]
        );
        let changes = plan_changes(Some(&latest), &merged);
        assert_eq!(changes.len(), 2);
    }
}
