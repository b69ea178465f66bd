//! Case groups: the group, its members, plan versions, notes and crisis flags, all under the
//! student's partition `CASE#<child>`.
//!
//! The group item carries what the conditions need, and every change is one transaction with
//! its audit entry:
//! - `plan_version`: a save sets `plan_version = :expected` → `+1` and puts the new version
//!   `attribute_not_exists`, so of simultaneous saves from one version exactly one wins;
//! - `open_crises`: raised and lowered with the crisis itself; a plan saved below urgent is
//!   conditional on it being zero, so no save lowers the level while a crisis is open;
//! - `member_count`: changed only together with the member item it counts, conditional on the
//!   cap, so it never drifts from the members and never passes the cap.
//!
//! The registry record's care level (`CHILD#<child>`) changes in the same transaction as the
//! plan save or crisis that decides it, conditional on the level read, so the record, its
//! history and the group never disagree.
//!
//! GSI1 `CASES#<district>` / `<school>#<name>#<child>`: every group (admins).
//! GSI1 `MEMBEROF#<user>` / `<child>`: a user's groups.
//! GSI1 `OPENCRISES#<district>` / `<crisis id>`: open crises (admin home), removed on close.

use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use shared::api::AuditEntry;
use shared::cases::{Crisis, Member, Note, PlanVersion};
use shared::children::{CareLevel, CareLevelChange};

use super::item::{from_item, key, n, s, to_item, Item};
use super::schema::GSI1;
use super::{Store, StoreError};

const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

fn case_pk(child: &str) -> String {
    format!("CASE#{child}")
}
const GROUP_SK: &str = "GROUP";
/// Holds only while the child has no open crisis (or no case group): rides in a registry save
/// that would set a care level below urgent.
pub(crate) fn no_open_crisis_check(
    table: &str,
    child: &str,
) -> Result<TransactWriteItem, StoreError> {
    let check = aws_sdk_dynamodb::types::ConditionCheck::builder()
        .table_name(table)
        .set_key(Some(group_key(child)))
        .condition_expression(
            "attribute_not_exists(PK) OR attribute_not_exists(open_crises) OR open_crises = :zero",
        )
        .expression_attribute_values(":zero", n(0))
        .build()
        .map_err(|error| StoreError::Corrupt(error.to_string()))?;
    Ok(TransactWriteItem::builder().condition_check(check).build())
}

fn group_key(child: &str) -> Item {
    key(case_pk(child), GROUP_SK)
}
fn member_key(child: &str, user: &str) -> Item {
    key(case_pk(child), format!("MEMBER#{user}"))
}
fn plan_sk(version: u64) -> String {
    format!("PLAN#{version:010}")
}
fn crisis_key(child: &str, crisis: &str) -> Item {
    key(case_pk(child), format!("CRISIS#{crisis}"))
}
/// The registry's record of the child (its layout belongs to `store::children`).
fn child_key(child: &str) -> Item {
    key(format!("CHILD#{child}"), "PROFILE")
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupItem {
    pub child_id: String,
    pub child_name: String,
    pub school: String,
    pub village_code: String,
    pub lead_user_id: String,
    pub lead_name: String,
    pub care_level: CareLevel,
    #[serde(default)]
    pub next_review: Option<NaiveDate>,
    #[serde(default)]
    pub plan_version: u64,
    #[serde(default)]
    pub open_crises: u32,
    /// Absent on groups stored before the counter existed.
    #[serde(default)]
    pub member_count: Option<u32>,
    pub created_at: DateTime<Utc>,
}

/// How a member change knows the group's count, for the condition that keeps it exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberCount {
    /// The group's own counter.
    Counted,
    /// A group stored before the counter: its members, counted now. The write sets the counter
    /// only if nobody set it meanwhile.
    Uncounted(u32),
}

#[derive(Debug, PartialEq, Eq)]
pub enum AddMemberOutcome {
    Added,
    Full,
    AlreadyMember,
    /// The group changed since it was read: read again.
    Stale,
}

#[derive(Debug, PartialEq, Eq)]
pub enum RemoveMemberOutcome {
    Removed,
    NotMember,
    Stale,
}

/// The registry record's care level as read, and the change (if any) a case change makes to it.
#[derive(Debug, Clone, Copy)]
pub struct RecordLevel<'a> {
    pub child_id: &'a str,
    pub seen: CareLevel,
    pub change: Option<&'a CareLevelChange>,
}

fn build<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn av<T: Serialize>(value: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn put(table: &str, item: Item, condition: &str) -> Result<TransactWriteItem, StoreError> {
    let put = build(
        Put::builder()
            .table_name(table)
            .set_item(Some(item))
            .condition_expression(condition)
            .build(),
    )?;
    Ok(TransactWriteItem::builder().put(put).build())
}

fn update(update: Result<Update, impl std::fmt::Display>) -> Result<TransactWriteItem, StoreError> {
    Ok(TransactWriteItem::builder().update(build(update)?).build())
}

fn refused(reasons: &[Option<String>], item: usize) -> bool {
    super::condition_failed(reasons, item)
}

fn unexpected(reasons: Vec<Option<String>>) -> StoreError {
    StoreError::Refused {
        code: "TransactionCanceled".into(),
        message: format!("{reasons:?}"),
    }
}

fn member_item(child: &str, member: &Member) -> Result<Item, StoreError> {
    let mut item = to_item(member)?;
    item.extend(member_key(child, &member.user_id));
    item.insert("GSI1PK".into(), s(format!("MEMBEROF#{}", member.user_id)));
    item.insert("GSI1SK".into(), s(child));
    Ok(item)
}

/// An uncounted group's counter, set only while it is still unset.
const COUNTER_UNSET: &str =
    "attribute_not_exists(member_count) OR attribute_type(member_count, :null)";

impl Store {
    /// Creates the group with its lead; `Ok(false)` when the student already has one.
    pub async fn create_group(
        &self,
        group: &GroupItem,
        lead: &Member,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut item = to_item(group)?;
        item.extend(group_key(&group.child_id));
        item.insert("GSI1PK".into(), s(format!("CASES#{DISTRICT}")));
        item.insert(
            "GSI1SK".into(),
            s(format!(
                "{}#{}#{}",
                group.school, group.child_name, group.child_id
            )),
        );
        item.insert("member_count".into(), n(1));
        let writes = vec![
            put(self.table(), item, "attribute_not_exists(PK)")?,
            put(
                self.table(),
                member_item(&group.child_id, lead)?,
                "attribute_not_exists(PK)",
            )?,
        ];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    pub async fn get_group(&self, child: &str) -> Result<Option<GroupItem>, StoreError> {
        self.get_as(group_key(child)).await
    }

    /// Every group, from the index (lists only: decide nothing from it).
    pub async fn all_groups(&self) -> Result<Vec<GroupItem>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("CASES#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// The students whose groups a user belongs to, from the index (lists only).
    pub async fn groups_of(&self, user: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query_all(GSI1, "GSI1PK", &format!("MEMBEROF#{user}"), None)
            .await?
            .iter()
            .filter_map(|item| item.get("GSI1SK").and_then(|v| v.as_s().ok()).cloned())
            .collect())
    }

    pub async fn get_member(&self, child: &str, user: &str) -> Result<Option<Member>, StoreError> {
        self.get_as(member_key(child, user)).await
    }

    async fn case_items<T: serde::de::DeserializeOwned>(
        &self,
        child: &str,
        prefix: &str,
        newest_first: bool,
    ) -> Result<Vec<T>, StoreError> {
        self.query_prefix(&case_pk(child), prefix, newest_first, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// The members, every page (consistent).
    pub async fn members(&self, child: &str) -> Result<Vec<Member>, StoreError> {
        self.case_items(child, "MEMBER#", false).await
    }

    /// Adds a member while the group has fewer than `max`, raising the count with it.
    pub async fn add_member(
        &self,
        child: &str,
        member: &Member,
        count: MemberCount,
        max: u32,
        entry: &AuditEntry,
    ) -> Result<AddMemberOutcome, StoreError> {
        let counter = match count {
            MemberCount::Counted => Update::builder()
                .table_name(self.table())
                .set_key(Some(group_key(child)))
                .update_expression("SET member_count = member_count + :one")
                .condition_expression("member_count < :max")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":max", n(max))
                .build(),
            MemberCount::Uncounted(members) if members >= max => return Ok(AddMemberOutcome::Full),
            MemberCount::Uncounted(members) => Update::builder()
                .table_name(self.table())
                .set_key(Some(group_key(child)))
                .update_expression("SET member_count = :count")
                .condition_expression(format!("attribute_exists(PK) AND ({COUNTER_UNSET})"))
                .expression_attribute_values(":count", n(members + 1))
                .expression_attribute_values(":null", s("NULL"))
                .build(),
        };
        let writes = vec![
            update(counter)?,
            put(
                self.table(),
                member_item(child, member)?,
                "attribute_not_exists(PK)",
            )?,
        ];
        Ok(match self.transact_audited(writes, entry).await? {
            Ok(()) => AddMemberOutcome::Added,
            Err(reasons) if refused(&reasons, 1) => AddMemberOutcome::AlreadyMember,
            Err(_) if count == MemberCount::Counted => AddMemberOutcome::Full,
            Err(_) => AddMemberOutcome::Stale,
        })
    }

    /// Removes a member (never the lead: the caller checks), lowering the count with it.
    pub async fn remove_member(
        &self,
        child: &str,
        user: &str,
        count: MemberCount,
        entry: &AuditEntry,
    ) -> Result<RemoveMemberOutcome, StoreError> {
        let delete = build(
            Delete::builder()
                .table_name(self.table())
                .set_key(Some(member_key(child, user)))
                .condition_expression("attribute_exists(PK)")
                .build(),
        )?;
        let counter = match count {
            MemberCount::Counted => Update::builder()
                .table_name(self.table())
                .set_key(Some(group_key(child)))
                .update_expression("SET member_count = member_count - :one")
                .condition_expression("member_count > :one")
                .expression_attribute_values(":one", n(1))
                .build(),
            MemberCount::Uncounted(members) => Update::builder()
                .table_name(self.table())
                .set_key(Some(group_key(child)))
                .update_expression("SET member_count = :count")
                .condition_expression(format!("attribute_exists(PK) AND ({COUNTER_UNSET})"))
                .expression_attribute_values(":count", n(members.saturating_sub(1)))
                .expression_attribute_values(":null", s("NULL"))
                .build(),
        };
        let writes = vec![
            TransactWriteItem::builder().delete(delete).build(),
            update(counter)?,
        ];
        Ok(match self.transact_audited(writes, entry).await? {
            Ok(()) => RemoveMemberOutcome::Removed,
            Err(reasons) if refused(&reasons, 0) => RemoveMemberOutcome::NotMember,
            Err(_) if matches!(count, MemberCount::Uncounted(_)) => RemoveMemberOutcome::Stale,
            Err(reasons) => return Err(unexpected(reasons)),
        })
    }

    /// The registry record's care level, moved to `change` or, without one, checked unchanged.
    fn record_level_write(&self, record: RecordLevel<'_>) -> Result<TransactWriteItem, StoreError> {
        let seen = s(record.seen.as_str());
        match record.change.filter(|change| change.level != record.seen) {
            Some(change) => update(
                Update::builder()
                    .table_name(self.table())
                    .set_key(Some(child_key(record.child_id)))
                    .update_expression(
                        "SET #child.care_level = :level, f_care_level = :level, \
                         version = version + :one, updated_at = :at, care_level_history = \
                         list_append(if_not_exists(care_level_history, :none), :change)",
                    )
                    .condition_expression("#child.care_level = :seen")
                    .expression_attribute_names("#child", "child")
                    .expression_attribute_values(":level", s(change.level.as_str()))
                    .expression_attribute_values(":one", n(1))
                    .expression_attribute_values(":at", av(&change.at)?)
                    .expression_attribute_values(":none", AttributeValue::L(Vec::new()))
                    .expression_attribute_values(":change", AttributeValue::L(vec![av(change)?]))
                    .expression_attribute_values(":seen", seen)
                    .build(),
            ),
            None => {
                let check = build(
                    ConditionCheck::builder()
                        .table_name(self.table())
                        .set_key(Some(child_key(record.child_id)))
                        .condition_expression("#child.care_level = :seen")
                        .expression_attribute_names("#child", "child")
                        .expression_attribute_values(":seen", seen)
                        .build(),
                )?;
                Ok(TransactWriteItem::builder().condition_check(check).build())
            }
        }
    }

    /// Saves a new plan version if the group is still at `expected` and, for a level below
    /// urgent, has no open crisis; the record's level follows. `Ok(false)` when anything
    /// changed since it was read (nothing written): the caller reads again to say what.
    pub async fn save_plan(
        &self,
        child: &str,
        version: &PlanVersion,
        expected: u64,
        record: RecordLevel<'_>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut condition = String::from("attribute_exists(PK) AND ");
        condition.push_str(if expected == 0 {
            "(attribute_not_exists(plan_version) OR plan_version = :expected)"
        } else {
            "plan_version = :expected"
        });
        let below_urgent = version.plan.care_level != CareLevel::Urgent;
        if below_urgent {
            condition.push_str(" AND (attribute_not_exists(open_crises) OR open_crises = :zero)");
        }
        let mut bump = Update::builder()
            .table_name(self.table())
            .set_key(Some(group_key(child)))
            .update_expression(
                "SET plan_version = :next, care_level = :level, next_review = :review",
            )
            .condition_expression(condition)
            .expression_attribute_values(":next", n(version.version))
            .expression_attribute_values(":expected", n(expected))
            .expression_attribute_values(":level", s(version.plan.care_level.as_str()))
            .expression_attribute_values(":review", av(&version.plan.next_review)?);
        if below_urgent {
            bump = bump.expression_attribute_values(":zero", n(0));
        }
        let mut item = to_item(version)?;
        item.extend(key(case_pk(child), plan_sk(version.version)));
        let writes = vec![
            update(bump.build())?,
            put(self.table(), item, "attribute_not_exists(PK)")?,
            self.record_level_write(record)?,
        ];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    pub async fn plan(&self, child: &str, version: u64) -> Result<Option<PlanVersion>, StoreError> {
        if version == 0 {
            return Ok(None);
        }
        self.get_as(key(case_pk(child), plan_sk(version))).await
    }

    /// Every version, newest first, every page.
    pub async fn plan_versions(&self, child: &str) -> Result<Vec<PlanVersion>, StoreError> {
        self.case_items(child, "PLAN#", true).await
    }

    /// Appends a note (there is no way to change or delete one).
    pub async fn add_note(
        &self,
        child: &str,
        note: &Note,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let mut item = to_item(note)?;
        item.extend(key(case_pk(child), format!("NOTE#{}", note.id)));
        let writes = vec![put(self.table(), item, "attribute_not_exists(PK)")?];
        self.transact_audited(writes, entry)
            .await?
            .map_err(unexpected)
    }

    /// Every note, newest first, every page.
    pub async fn notes(&self, child: &str) -> Result<Vec<Note>, StoreError> {
        self.case_items(child, "NOTE#", true).await
    }

    /// Raises a crisis: the flag, the group's open count and urgent level, the record's level.
    /// `Ok(false)` when the group is gone or the record's level changed since it was read.
    pub async fn raise_crisis(
        &self,
        crisis: &Crisis,
        record: RecordLevel<'_>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut item = to_item(crisis)?;
        item.extend(crisis_key(&crisis.child_id, &crisis.id));
        item.insert("GSI1PK".into(), s(format!("OPENCRISES#{DISTRICT}")));
        item.insert("GSI1SK".into(), s(&crisis.id));
        let count = Update::builder()
            .table_name(self.table())
            .set_key(Some(group_key(&crisis.child_id)))
            .update_expression(
                "SET open_crises = if_not_exists(open_crises, :zero) + :one, care_level = :urgent",
            )
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":urgent", s(CareLevel::Urgent.as_str()))
            .build();
        let writes = vec![
            put(self.table(), item, "attribute_not_exists(PK)")?,
            update(count)?,
            self.record_level_write(record)?,
        ];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    /// Closes an open crisis; `Ok(false)` when it was already closed (or does not exist).
    /// The level stays: lowering it is a plan decision.
    pub async fn close_crisis(
        &self,
        crisis: &Crisis,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mark = Update::builder()
            .table_name(self.table())
            .set_key(Some(crisis_key(&crisis.child_id, &crisis.id)))
            .update_expression("SET closed = :closed REMOVE GSI1PK, GSI1SK")
            .condition_expression("attribute_exists(GSI1PK)")
            .expression_attribute_values(":closed", av(&crisis.closed)?)
            .build();
        let count = Update::builder()
            .table_name(self.table())
            .set_key(Some(group_key(&crisis.child_id)))
            .update_expression("SET open_crises = open_crises - :one")
            .condition_expression("open_crises > :zero")
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1))
            .build();
        let writes = vec![update(mark)?, update(count)?];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    /// Every crisis flag of a student, newest first, every page.
    pub async fn crises(&self, child: &str) -> Result<Vec<Crisis>, StoreError> {
        self.case_items(child, "CRISIS#", true).await
    }

    pub async fn get_crisis(&self, child: &str, id: &str) -> Result<Option<Crisis>, StoreError> {
        self.get_as(crisis_key(child, id)).await
    }

    /// Open crises of the district, from the index (the admin home; decide nothing from it).
    pub async fn open_crises(&self) -> Result<Vec<Crisis>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("OPENCRISES#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
