//! Case groups: the group, its members, plan versions, notes and crisis flags, all under the
//! student's partition `CASE#<child>`.
//!
//! GSI1 `CASES#<district>` / `<school>#<name>#<child>`: every group (admins).
//! GSI1 `MEMBEROF#<user>` / `<child>`: a user's groups.
//! GSI1 `OPENCRISES#<district>` / `<crisis id>`: open crises (admin home), removed on close.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem, Update};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use shared::cases::{Crisis, Member, Note, PlanVersion};
use shared::children::CareLevel;

use super::item::{from_item, key, n, s, to_item, Item};
use super::schema::GSI1;
use super::{is_condition_failure, Store, StoreError};

const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

fn case_pk(child: &str) -> String {
    format!("CASE#{child}")
}
const GROUP_SK: &str = "GROUP";
fn member_sk(user: &str) -> String {
    format!("MEMBER#{user}")
}
fn plan_sk(version: u64) -> String {
    format!("PLAN#{version:010}")
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
    pub created_at: DateTime<Utc>,
}

fn build<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn member_item(child: &str, member: &Member) -> Result<Item, StoreError> {
    let mut item = to_item(member)?;
    item.extend(key(case_pk(child), member_sk(&member.user_id)));
    item.insert("GSI1PK".into(), s(format!("MEMBEROF#{}", member.user_id)));
    item.insert("GSI1SK".into(), s(child));
    Ok(item)
}

impl Store {
    /// Creates the group with its lead; `Ok(false)` when the student already has one.
    pub async fn create_group(&self, group: &GroupItem, lead: &Member) -> Result<bool, StoreError> {
        let mut item = to_item(group)?;
        item.extend(key(case_pk(&group.child_id), GROUP_SK));
        item.insert("GSI1PK".into(), s(format!("CASES#{DISTRICT}")));
        item.insert(
            "GSI1SK".into(),
            s(format!(
                "{}#{}#{}",
                group.school, group.child_name, group.child_id
            )),
        );
        let put_group = build(
            Put::builder()
                .table_name(self.table())
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK)")
                .build(),
        )?;
        let put_lead = build(
            Put::builder()
                .table_name(self.table())
                .set_item(Some(member_item(&group.child_id, lead)?))
                .build(),
        )?;
        let writes = vec![
            TransactWriteItem::builder().put(put_group).build(),
            TransactWriteItem::builder().put(put_lead).build(),
        ];
        Ok(self.transact(writes).await?.is_ok())
    }

    pub async fn get_group(&self, child: &str) -> Result<Option<GroupItem>, StoreError> {
        self.get_as(key(case_pk(child), GROUP_SK)).await
    }

    pub async fn all_groups(&self) -> Result<Vec<GroupItem>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("CASES#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// The students whose groups a user belongs to.
    pub async fn groups_of(&self, user: &str) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query_all(GSI1, "GSI1PK", &format!("MEMBEROF#{user}"), None)
            .await?
            .iter()
            .filter_map(|item| item.get("GSI1SK").and_then(|v| v.as_s().ok()).cloned())
            .collect())
    }

    pub async fn get_member(&self, child: &str, user: &str) -> Result<Option<Member>, StoreError> {
        self.get_as(key(case_pk(child), member_sk(user))).await
    }

    async fn case_items(
        &self,
        child: &str,
        prefix: &str,
        newest_first: bool,
        limit: Option<i32>,
    ) -> Result<Vec<Item>, StoreError> {
        self.query_prefix(&case_pk(child), prefix, newest_first, limit)
            .await
    }

    pub async fn members(&self, child: &str) -> Result<Vec<Member>, StoreError> {
        self.case_items(child, "MEMBER#", false, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn put_member(&self, child: &str, member: &Member) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(self.table())
            .set_item(Some(member_item(child, member)?))
            .condition_expression("attribute_not_exists(PK)")
            .send_retrying()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failure(&error) => Ok(false),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    pub async fn remove_member(&self, child: &str, user: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(self.table())
            .set_key(Some(key(case_pk(child), member_sk(user))))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    /// Saves a new plan version if the group is still at `expected`; `Ok(false)` when a
    /// colleague saved first (nothing written).
    pub async fn save_plan(
        &self,
        child: &str,
        version: &PlanVersion,
        expected: u64,
    ) -> Result<bool, StoreError> {
        let bump = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(case_pk(child), GROUP_SK)))
                .update_expression("SET plan_version = :next, care_level = :level, next_review = :review")
                .condition_expression("attribute_exists(PK) AND (plan_version = :expected OR (attribute_not_exists(plan_version) AND :expected = :zero))")
                .expression_attribute_values(":next", n(version.version))
                .expression_attribute_values(":expected", n(expected))
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":level", s(version.plan.care_level.as_str()))
                .expression_attribute_values(":review", s(version.plan.next_review.to_string()))
                .build(),
        )?;
        let mut item = to_item(version)?;
        item.extend(key(case_pk(child), plan_sk(version.version)));
        let put = build(
            Put::builder()
                .table_name(self.table())
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK)")
                .build(),
        )?;
        let writes = vec![
            TransactWriteItem::builder().update(bump).build(),
            TransactWriteItem::builder().put(put).build(),
        ];
        Ok(self.transact(writes).await?.is_ok())
    }

    pub async fn plan(&self, child: &str, version: u64) -> Result<Option<PlanVersion>, StoreError> {
        if version == 0 {
            return Ok(None);
        }
        self.get_as(key(case_pk(child), plan_sk(version))).await
    }

    pub async fn plan_versions(&self, child: &str) -> Result<Vec<PlanVersion>, StoreError> {
        self.case_items(child, "PLAN#", true, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn add_note(&self, child: &str, note: &Note) -> Result<(), StoreError> {
        let mut item = to_item(note)?;
        item.extend(key(case_pk(child), format!("NOTE#{}", note.id)));
        self.put_new(item).await
    }

    pub async fn notes(&self, child: &str) -> Result<Vec<Note>, StoreError> {
        self.case_items(child, "NOTE#", true, Some(200))
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn raise_crisis(&self, crisis: &Crisis) -> Result<(), StoreError> {
        let mut item = to_item(crisis)?;
        item.extend(key(
            case_pk(&crisis.child_id),
            format!("CRISIS#{}", crisis.id),
        ));
        item.insert("GSI1PK".into(), s(format!("OPENCRISES#{DISTRICT}")));
        item.insert("GSI1SK".into(), s(&crisis.id));
        let put = build(
            Put::builder()
                .table_name(self.table())
                .set_item(Some(item))
                .condition_expression("attribute_not_exists(PK)")
                .build(),
        )?;
        let count = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(case_pk(&crisis.child_id), GROUP_SK)))
                .update_expression("SET open_crises = if_not_exists(open_crises, :zero) + :one, care_level = :urgent")
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":urgent", s(CareLevel::Urgent.as_str()))
                .build(),
        )?;
        let writes = vec![
            TransactWriteItem::builder().put(put).build(),
            TransactWriteItem::builder().update(count).build(),
        ];
        self.transact(writes)
            .await?
            .map_err(|reasons| StoreError::Refused {
                code: "TransactionCanceled".into(),
                message: format!("{reasons:?}"),
            })
    }

    /// Closes an open crisis; `Ok(false)` when it was already closed (or does not exist).
    pub async fn close_crisis(&self, crisis: &Crisis) -> Result<bool, StoreError> {
        let closure = serde_dynamo::to_attribute_value(&crisis.closed)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let mark = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(
                    case_pk(&crisis.child_id),
                    format!("CRISIS#{}", crisis.id),
                )))
                .update_expression("SET closed = :closed REMOVE GSI1PK, GSI1SK")
                .condition_expression("attribute_exists(GSI1PK)")
                .expression_attribute_values(":closed", closure)
                .build(),
        )?;
        let count = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(key(case_pk(&crisis.child_id), GROUP_SK)))
                .update_expression("SET open_crises = open_crises - :one")
                .condition_expression("open_crises > :zero")
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .build(),
        )?;
        let writes = vec![
            TransactWriteItem::builder().update(mark).build(),
            TransactWriteItem::builder().update(count).build(),
        ];
        Ok(self.transact(writes).await?.is_ok())
    }

    pub async fn crises(&self, child: &str) -> Result<Vec<Crisis>, StoreError> {
        self.case_items(child, "CRISIS#", true, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn get_crisis(&self, child: &str, id: &str) -> Result<Option<Crisis>, StoreError> {
        self.get_as(key(case_pk(child), format!("CRISIS#{id}")))
            .await
    }

    pub async fn open_crises(&self) -> Result<Vec<Crisis>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("OPENCRISES#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Active users (to notify admins and directors).
    pub async fn active_users(&self) -> Result<Vec<super::users::UserRecord>, StoreError> {
        self.users_with_status(shared::api::UserStatus::Active)
            .await
    }

    pub async fn users_with_status(
        &self,
        status: shared::api::UserStatus,
    ) -> Result<Vec<super::users::UserRecord>, StoreError> {
        self.query_all(
            super::schema::GSI2,
            "GSI2PK",
            &format!("USERSTATUS#{}", status.as_str()),
            None,
        )
        .await?
        .into_iter()
        .map(from_item)
        .collect()
    }
}
