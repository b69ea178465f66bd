//! Claims: which children hold an ID number, or a name and date of birth.
//!
//! `IDHASH#<hash>` / `CLAIM` and `NAMEDOB#<name>#<birth date>` / `CLAIM` carry `child_ids` (a
//! string set) and `rev` (raised by every change). A save reads the claims of the child's old
//! and new identity consistently, then writes the record and its joins/leaves in one
//! transaction conditional on each changed claim's `rev` being as read. So of two simultaneous
//! saves of the same child one is refused, reads again and finds the other: both end up
//! sharing the claim, and anyone reading it sees them as possible duplicates of each other.
//! Possible duplicates are never decided from an index (they lag on DynamoDB).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use serde::Serialize;
use shared::api::AuditEntry;
use shared::children::ChildInput;
use shared::Text;

use super::{built, id_hash, unexpected_refusal, ChildItem};
use crate::store::item::{key, n, Item};
use crate::store::{Store, StoreError};

const CLAIM_SK: &str = "CLAIM";
const MEMBERS: &str = "child_ids";
const REVISION: &str = "rev";

/// Why two records may be the same child.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateBasis {
    IdNumber,
    NameAndBirth,
}

impl DuplicateBasis {
    pub fn text(self) -> Text {
        match self {
            DuplicateBasis::IdNumber => Text::new("身份证号相同", "Same ID number"),
            DuplicateBasis::NameAndBirth => {
                Text::new("姓名和出生日期相同", "Same name and date of birth")
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateBasis::IdNumber => "id_number",
            DuplicateBasis::NameAndBirth => "name_and_birth",
        }
    }
}

/// The claims an identity holds, strongest basis first. Two children are possible duplicates
/// exactly when they share one of these keys.
pub fn claim_keys(child: &ChildInput) -> Vec<(String, DuplicateBasis)> {
    let mut keys = Vec::with_capacity(2);
    if let Some(id_number) = &child.id_number {
        keys.push((
            format!("IDHASH#{}", id_hash(id_number)),
            DuplicateBasis::IdNumber,
        ));
    }
    // Names cannot contain `#` (PersonName), so the key cannot be read two ways.
    keys.push((
        format!("NAMEDOB#{}#{}", child.name, child.birth_date),
        DuplicateBasis::NameAndBirth,
    ));
    keys
}

pub(super) fn claim_keys_attribute(child: &ChildInput) -> String {
    claim_keys(child)
        .into_iter()
        .map(|(claim, _)| claim)
        .collect::<Vec<_>>()
        .join("\n")
}

#[derive(Debug, Clone, Default)]
struct Claim {
    members: BTreeSet<String>,
    /// `None` while the claim has never been written.
    revision: Option<u64>,
}

fn claim_of(item: &Item) -> Result<Claim, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("claim {what}"));
    let members = match item.get(MEMBERS) {
        None => BTreeSet::new(),
        Some(value) => value
            .as_ss()
            .map_err(|_| corrupt("members"))?
            .iter()
            .cloned()
            .collect(),
    };
    let revision = match item.get(REVISION) {
        None => None,
        Some(value) => Some(
            value
                .as_n()
                .map_err(|_| corrupt("revision"))?
                .parse::<u64>()
                .map_err(|_| corrupt("revision"))?,
        ),
    };
    Ok(Claim { members, revision })
}

/// Claims as read, consistently, at one moment.
#[derive(Debug, Clone, Default)]
pub struct ClaimSnapshot {
    claims: HashMap<String, Claim>,
}

impl ClaimSnapshot {
    /// The other children sharing a claim with this identity, each with its strongest basis,
    /// in id order.
    pub fn co_members(&self, child: &ChildInput, id: &str) -> Vec<(String, DuplicateBasis)> {
        let mut found: BTreeMap<String, DuplicateBasis> = BTreeMap::new();
        for (claim, basis) in claim_keys(child) {
            if let Some(claim) = self.claims.get(&claim) {
                for member in claim.members.iter().filter(|member| *member != id) {
                    found.entry(member.clone()).or_insert(basis);
                }
            }
        }
        found.into_iter().collect()
    }

    pub fn has_co_members(&self, child: &ChildInput, id: &str) -> bool {
        claim_keys(child).iter().any(|(claim, _)| {
            self.claims
                .get(claim)
                .is_some_and(|claim| claim.members.iter().any(|member| member != id))
        })
    }

    fn revision(&self, claim: &str) -> Option<u64> {
        self.claims.get(claim).and_then(|claim| claim.revision)
    }
}

/// Children joining or leaving one claim. Never both in one write: DynamoDB refuses an
/// update that adds to and deletes from the same set.
pub(super) enum Membership {
    Join(Vec<String>),
    Leave(Vec<String>),
}

/// A child's save (a creation or an edit), with everything written in its transaction.
pub struct ChildSave<'a> {
    pub child: &'a ChildItem,
    /// The version the edit started from; `None` for a new child.
    pub expected_version: Option<u64>,
    /// An edited child's identity before the edit: the claims it leaves if they change.
    pub previous: Option<&'a ChildInput>,
    /// The claims of both identities as read; the save holds only if the claims it changes
    /// are still as read.
    pub claims: &'a ClaimSnapshot,
    /// The change's audit entry, and any other entry that must be stored with it.
    pub entries: &'a [AuditEntry],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveOutcome {
    Saved,
    /// Someone saved the record since the edit started: the editor's answer (409).
    Stale,
    /// A claim changed since it was read: read again and retry (another save of the same
    /// child may be running).
    ClaimsMoved,
    /// The child has an open crisis and the save would set a care level below urgent.
    CrisisOpen,
}

impl Store {
    /// The claims of these identities, read consistently.
    pub async fn read_claims<'a>(
        &self,
        identities: impl IntoIterator<Item = &'a ChildInput>,
    ) -> Result<ClaimSnapshot, StoreError> {
        let mut wanted = BTreeSet::new();
        for child in identities {
            for (claim, _) in claim_keys(child) {
                wanted.insert(claim);
            }
        }
        let keys = wanted
            .into_iter()
            .map(|claim| key(claim, CLAIM_SK))
            .collect();
        let mut claims = HashMap::new();
        for item in self.batch_get_consistent(keys).await? {
            let Some(pk) = item.get("PK").and_then(|pk| pk.as_s().ok()).cloned() else {
                continue;
            };
            claims.insert(pk, claim_of(&item)?);
        }
        Ok(ClaimSnapshot { claims })
    }

    /// One claim's change as a transaction write. With `seen`, only if the claim's revision
    /// is still the one read (`Some(None)`: never written).
    pub(super) fn claim_write(
        &self,
        claim: &str,
        change: Membership,
        seen: Option<Option<u64>>,
    ) -> Result<TransactWriteItem, StoreError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(key(claim, CLAIM_SK)))
            .expression_attribute_names("#rev", REVISION)
            .expression_attribute_names("#ids", MEMBERS)
            .expression_attribute_values(":one", n(1));
        let update = match change {
            Membership::Join(ids) => update
                .update_expression("ADD #rev :one, #ids :ids")
                .expression_attribute_values(":ids", AttributeValue::Ss(ids)),
            Membership::Leave(ids) => update
                .update_expression("ADD #rev :one DELETE #ids :ids")
                .expression_attribute_values(":ids", AttributeValue::Ss(ids)),
        };
        let update = match seen {
            None => update,
            Some(None) => update.condition_expression("attribute_not_exists(#rev)"),
            Some(Some(revision)) => update
                .condition_expression("#rev = :seen")
                .expression_attribute_values(":seen", n(revision)),
        };
        Ok(TransactWriteItem::builder()
            .update(built(update.build())?)
            .build())
    }

    /// Writes a child, the claims its identity joins and leaves, and the audit entries, in one
    /// transaction. Possible duplicates are flagged, never refused.
    pub async fn save_child(&self, save: &ChildSave<'_>) -> Result<SaveOutcome, StoreError> {
        let mut writes = vec![self.child_put(save.child, save.expected_version)?];
        let now: BTreeSet<String> = claim_keys(&save.child.child)
            .into_iter()
            .map(|(claim, _)| claim)
            .collect();
        let before: BTreeSet<String> = save
            .previous
            .map(|previous| {
                claim_keys(previous)
                    .into_iter()
                    .map(|(claim, _)| claim)
                    .collect()
            })
            .unwrap_or_default();
        let me = || vec![save.child.id.clone()];
        for claim in now.difference(&before) {
            let seen = Some(save.claims.revision(claim));
            writes.push(self.claim_write(claim, Membership::Join(me()), seen)?);
        }
        for claim in before.difference(&now) {
            let seen = Some(save.claims.revision(claim));
            writes.push(self.claim_write(claim, Membership::Leave(me()), seen)?);
        }
        let claim_writes = 1..writes.len();
        // An open crisis holds the care level at urgent (the case group's count decides).
        let crisis_check = (save.expected_version.is_some()
            && save.child.child.care_level != shared::children::CareLevel::Urgent)
            .then_some(writes.len());
        if crisis_check.is_some() {
            writes.push(crate::store::cases::no_open_crisis_check(
                self.table(),
                &save.child.id,
            )?);
        }
        for entry in save.entries {
            writes.push(self.audit_write(entry)?);
        }
        match self.transact(writes).await? {
            Ok(()) => Ok(SaveOutcome::Saved),
            Err(reasons) => {
                let failed = |index: usize| {
                    reasons
                        .get(index)
                        .is_some_and(|reason| reason.as_deref() == Some("ConditionalCheckFailed"))
                };
                if failed(0) && save.expected_version.is_some() {
                    Ok(SaveOutcome::Stale)
                } else if crisis_check.is_some_and(failed) {
                    Ok(SaveOutcome::CrisisOpen)
                } else if claim_writes.clone().any(failed) {
                    Ok(SaveOutcome::ClaimsMoved)
                } else {
                    Err(unexpected_refusal(reasons))
                }
            }
        }
    }

    /// Puts every existing child into its claims, once per table (children stored before
    /// claims existed). Idempotent; a marker item makes later starts one read.
    pub async fn ensure_child_claims(&self) -> Result<usize, StoreError> {
        #[derive(serde::Deserialize)]
        struct Marker {}
        let marker = key("META", "CHILD_CLAIMS");
        if self.get_as::<Marker>(marker.clone()).await?.is_some() {
            return Ok(0);
        }
        let children = self.all_children().await?;
        let claims = self
            .read_claims(children.iter().map(|child| &child.child))
            .await?;
        let mut joined = 0;
        for child in &children {
            for (claim, _) in claim_keys(&child.child) {
                let held = claims
                    .claims
                    .get(&claim)
                    .is_some_and(|held| held.members.contains(&child.id));
                if !held {
                    let write =
                        self.claim_write(&claim, Membership::Join(vec![child.id.clone()]), None)?;
                    self.transact(vec![write])
                        .await?
                        .map_err(unexpected_refusal)?;
                    joined += 1;
                }
            }
        }
        self.put_new(marker).await.or_else(|error| match error {
            // Another instance finished the same back-fill first.
            StoreError::Refused { code, .. } if code == "ConditionalCheckFailedException" => Ok(()),
            other => Err(other),
        })?;
        Ok(joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(name: &str, id_number: Option<&str>) -> ChildInput {
        let mut child: ChildInput = serde_json::from_value(serde_json::json!({
            "name": "x", "gender": "male", "birth_date": "2015-06-01",
            "registration": {"county_code": "330303", "village_code": "330303001004"},
            "residence_village": "330303001004", "school": "s",
            "category": "left_behind", "care_level": "routine",
            "father": {"situation": {"kind": "at_home", "capacity": "capable"}},
            "mother": {"situation": {"kind": "at_home", "capacity": "capable"}}
        }))
        .expect("a child");
        child.name = name.into();
        child.id_number = id_number.map(str::to_string);
        child
    }

    fn snapshot(members: Vec<(&str, Vec<&str>)>) -> ClaimSnapshot {
        let mut claims = HashMap::new();
        for (claim, ids) in members {
            let held = Claim {
                members: ids.into_iter().map(str::to_string).collect(),
                revision: Some(1),
            };
            claims.insert(claim.to_string(), held);
        }
        ClaimSnapshot { claims }
    }

    #[test]
    fn an_id_number_is_the_stronger_reason_and_a_child_is_not_its_own_duplicate() {
        let me = child("李明", Some("330303201506010013"));
        let keys = claim_keys(&me);
        assert_eq!(keys[0].1, DuplicateBasis::IdNumber);
        assert_eq!(keys[1].0, "NAMEDOB#李明#2015-06-01");
        let claims = snapshot(vec![
            (keys[0].0.as_str(), vec!["A", "ME"]),
            (keys[1].0.as_str(), vec!["A", "B", "ME"]),
        ]);
        assert_eq!(
            claims.co_members(&me, "ME"),
            vec![
                ("A".to_string(), DuplicateBasis::IdNumber),
                ("B".to_string(), DuplicateBasis::NameAndBirth)
            ]
        );
        assert!(claims.has_co_members(&me, "ME"));
        let alone = snapshot(vec![(keys[1].0.as_str(), vec!["ME"])]);
        assert!(!alone.has_co_members(&me, "ME"));
        assert!(alone.co_members(&me, "ME").is_empty());
    }
}
