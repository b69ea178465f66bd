//! Volunteer profiles, pairings and contacts.
//!
//! Every invariant sits in the condition of the write that could break it, never in a read
//! before it (an index read may lag on DynamoDB; a read-then-write races):
//! - Activating puts the child's claim `CHILDPAIR#<child>` (`attribute_not_exists`: at most one
//!   active pairing per child) and raises the volunteer's `active_pairings` only while it is
//!   below `max_children` and `f_vetting = approved`. Ending deletes the claim and lowers the
//!   count, in the same transaction.
//! - A vetting decision is conditional on the state it was decided from (`f_vetting`) and on
//!   `pairing_seq`, which every proposal raises: a suspension flags exactly the open pairings it
//!   read, and none can be proposed in between unseen.
//! - Writes touch only the attributes they own (UpdateItem, never a whole item put back from a
//!   copy read earlier): a volunteer's profile edit cannot write back an old vetting state, and
//!   a logged contact cannot clear a suspension's flag.
//! - Each change is one transaction with its audit entry (`transact_audited`).
//!
//! Items:
//! - `USER#<user>` / `VOLUNTEER`: the profile; GSI1 `VOLUNTEERS#<district>` / `<name>#<user>`.
//! - `USER#<user>` / `PAIRING#<id>`: the volunteer's open (proposed or active) pairings, read with
//!   a consistent query: what the volunteer may see, and what a suspension flags.
//! - `PAIRING#<id>` / `PAIRING`: GSI1 `PAIRINGS#<district>` / `<state>#<id>` (the board), GSI2
//!   `CHILDPAIRINGS#<child>` / `<id>` (a child's history).
//! - `PAIRING#<id>` / `CONTACT#<ulid>`: the contact log.
//! - `CHILDPAIR#<child>` / `ACTIVE`: the claim; GSI1 `ACTIVEPAIRS#<district>` / `<child>`.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update,
};
use serde::{Deserialize, Serialize};
use shared::api::AuditEntry;
use shared::children::Bilingual;
use shared::pairings::{
    Contact, Pairing, PairingState, ProfileInput, Vetting, VettingState, VolunteerProfile,
};

use super::item::{from_item, key, n, s, to_item, Item};
use super::schema::{GSI1, GSI2};
use super::users::UserRecord;
use super::{is_condition_failure, Store, StoreError};

const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

/// DynamoDB's limit on the items of one transaction, less the audit entry.
const MAX_WRITES: usize = 99;

fn user_pk(user: &str) -> String {
    format!("USER#{user}")
}
fn profile_key(user: &str) -> Item {
    key(user_pk(user), "VOLUNTEER")
}
fn link_key(volunteer: &str, pairing: &str) -> Item {
    key(user_pk(volunteer), format!("PAIRING#{pairing}"))
}
fn pairing_key(id: &str) -> Item {
    key(format!("PAIRING#{id}"), "PAIRING")
}
fn claim_key(child: &str) -> Item {
    key(format!("CHILDPAIR#{child}"), "ACTIVE")
}
fn board_sort_key(state: PairingState, id: &str) -> String {
    format!("{}#{id}", state.as_str())
}

fn build<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn av<T: Serialize>(value: &T) -> Result<AttributeValue, StoreError> {
    serde_dynamo::to_attribute_value(value).map_err(|error| StoreError::Corrupt(error.to_string()))
}

fn put(table: &str, item: Item, condition: Option<&str>) -> Result<TransactWriteItem, StoreError> {
    let put = build(
        Put::builder()
            .table_name(table)
            .set_item(Some(item))
            .set_condition_expression(condition.map(str::to_string))
            .build(),
    )?;
    Ok(TransactWriteItem::builder().put(put).build())
}

fn refused(reasons: &[Option<String>], item: usize) -> bool {
    super::condition_failed(reasons, item)
}

/// A refusal the caller has no business answer for: a bug or corrupt data, not a race.
fn unexpected(reasons: Vec<Option<String>>) -> StoreError {
    StoreError::Refused {
        code: "TransactionCanceled".into(),
        message: format!("{reasons:?}"),
    }
}

/// The profile every volunteer starts with: not yet vetted, room for one child.
pub fn new_profile(user: &UserRecord) -> VolunteerProfile {
    VolunteerProfile {
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
    }
}

/// One of a volunteer's open pairings, as their own partition lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OpenPairing {
    pub pairing_id: String,
    pub child_id: String,
    pub state: PairingState,
}

/// What a vetting decision is decided from, read consistently: the profile (absent until the
/// volunteer's first save or decision, for volunteers made before profiles came with the
/// account), the proposal counter, and the open pairings with their current state.
#[derive(Debug, Clone)]
pub struct VettingSnapshot {
    pub profile: Option<VolunteerProfile>,
    pairing_seq: u64,
    pub open: Vec<OpenPairing>,
}

/// Why an activation was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ActivateOutcome {
    Activated,
    NotProposed,
    ChildAlreadyPaired,
    VolunteerFull,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ProposeOutcome {
    Proposed,
    VolunteerNotApproved,
}

#[derive(Debug, PartialEq, Eq)]
pub enum ContactOutcome {
    Logged,
    /// The pairing is no longer active, or another contact moved its last date: read it again.
    PairingChanged,
    VolunteerNotApproved,
}

impl Store {
    fn profile_item(profile: &VolunteerProfile) -> Result<Item, StoreError> {
        let mut item = to_item(profile)?;
        item.extend(profile_key(&profile.user_id));
        item.insert("GSI1PK".into(), s(format!("VOLUNTEERS#{DISTRICT}")));
        item.insert(
            "GSI1SK".into(),
            s(format!("{}#{}", profile.name, profile.user_id)),
        );
        item.insert("f_vetting".into(), s(profile.vetting.state.as_str()));
        item.insert("pairing_seq".into(), n(0));
        Ok(item)
    }

    /// The write that creates a new volunteer's profile, for the transaction that creates the
    /// volunteer's account (`attribute_not_exists`: never over an existing profile).
    pub(crate) fn new_volunteer_profile_write(
        &self,
        user: &UserRecord,
    ) -> Result<TransactWriteItem, StoreError> {
        put(
            self.table(),
            Self::profile_item(&new_profile(user))?,
            Some("attribute_not_exists(PK)"),
        )
    }

    pub async fn get_profile(&self, user: &str) -> Result<Option<VolunteerProfile>, StoreError> {
        self.get_as(profile_key(user)).await
    }

    /// Whether the volunteer's approval is suspended or rejected (consistent read); a volunteer
    /// without a profile yet is not barred.
    pub async fn volunteer_barred(&self, user: &str) -> Result<bool, StoreError> {
        Ok(self
            .get_profile(user)
            .await?
            .is_some_and(|profile| profile.vetting.state.bars()))
    }

    /// The same rule as one check of another capability's transaction (a sign-up, a promotion
    /// off the waitlist): it holds only while the volunteer is neither suspended nor rejected.
    /// A rejection disables the account right after; this holds even before that lands.
    pub(crate) fn volunteer_not_barred(&self, user: &str) -> Result<TransactWriteItem, StoreError> {
        let check = build(
            ConditionCheck::builder()
                .table_name(self.table())
                .set_key(Some(profile_key(user)))
                .condition_expression(
                    "attribute_not_exists(f_vetting) OR (f_vetting <> :suspended AND f_vetting <> :rejected)",
                )
                .expression_attribute_values(":suspended", s(VettingState::Suspended.as_str()))
                .expression_attribute_values(":rejected", s(VettingState::Rejected.as_str()))
                .build(),
        )?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    /// Every profile, from the index (lists only: decide nothing from it).
    pub async fn profiles(&self) -> Result<Vec<VolunteerProfile>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("VOLUNTEERS#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Creates a profile that does not exist yet; `Ok(false)` when one does (nothing written).
    pub async fn create_profile(&self, profile: &VolunteerProfile) -> Result<bool, StoreError> {
        let result = self
            .client
            .put_item()
            .table_name(self.table())
            .set_item(Some(Self::profile_item(profile)?))
            .condition_expression("attribute_not_exists(PK)")
            .send_retrying()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failure(&error) => Ok(false),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    /// Sets only what the volunteer owns (skills, interests, availability), so a vetting
    /// decision landing at the same moment keeps its state. `Ok(false)` when there is no
    /// profile yet.
    pub async fn set_profile_input(
        &self,
        user: &str,
        input: &ProfileInput,
    ) -> Result<bool, StoreError> {
        let result = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(profile_key(user)))
            .update_expression("SET #profile = :profile")
            .condition_expression("attribute_exists(PK)")
            .expression_attribute_names("#profile", "profile")
            .expression_attribute_values(":profile", av(input)?)
            .send_retrying()
            .await;
        match result {
            Ok(_) => Ok(true),
            Err(error) if is_condition_failure(&error) => Ok(false),
            Err(error) => Err(StoreError::from_sdk(error)),
        }
    }

    /// The volunteer's open pairings, from their own partition (consistent).
    pub async fn open_pairings_of(&self, volunteer: &str) -> Result<Vec<OpenPairing>, StoreError> {
        self.query_prefix(&user_pk(volunteer), "PAIRING#", false, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn vetting_snapshot(&self, user: &str) -> Result<VettingSnapshot, StoreError> {
        // The profile before the pairings: a proposal landing in between then shows in the
        // pairings but not in the counter read, and the decision's condition sends it back to
        // read again. The other order could miss the proposal altogether.
        let output = self
            .client
            .get_item()
            .table_name(self.table())
            .set_key(Some(profile_key(user)))
            .consistent_read(true)
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        let pairing_seq = output
            .item
            .as_ref()
            .and_then(|item| item.get("pairing_seq"))
            .and_then(|value| value.as_n().ok())
            .and_then(|value| value.parse::<u64>().ok())
            .unwrap_or(0);
        let profile = output.item.map(from_item).transpose()?;
        // Each pairing's own state, not the list entry's: a decision's flag is conditional on
        // it, and an entry left behind by an older version must not block every decision.
        let mut open = Vec::new();
        for entry in self.open_pairings_of(user).await? {
            if let Some(pairing) = self.get_pairing(&entry.pairing_id).await? {
                if pairing.volunteer_id == user
                    && matches!(pairing.state, PairingState::Proposed | PairingState::Active)
                {
                    open.push(OpenPairing {
                        state: pairing.state,
                        ..entry
                    });
                }
            }
        }
        Ok(VettingSnapshot {
            profile,
            pairing_seq,
            open,
        })
    }

    /// Stores a vetting decision taken on `seen`: the account's writes that follow it (status,
    /// sessions), the profile's vetting and maximum (or the whole profile, when `seen` had
    /// none), `flag` on each open pairing `seen` listed, and the audit entry. `Ok(false)` when anything changed since `seen` (nothing written): read again.
    pub async fn decide_vetting(
        &self,
        seen: &VettingSnapshot,
        decided: &VolunteerProfile,
        flag: Option<&Bilingual>,
        account: Vec<TransactWriteItem>,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let mut writes = account;
        match &seen.profile {
            None => writes.push(put(
                self.table(),
                Self::profile_item(decided)?,
                Some("attribute_not_exists(PK)"),
            )?),
            Some(before) => {
                // Profiles stored before the counter existed lack it.
                let unchanged = if seen.pairing_seq == 0 {
                    "(attribute_not_exists(pairing_seq) OR pairing_seq = :seq)"
                } else {
                    "pairing_seq = :seq"
                };
                let update = build(
                    Update::builder()
                        .table_name(self.table())
                        .set_key(Some(profile_key(&decided.user_id)))
                        .update_expression(
                            "SET vetting = :vetting, f_vetting = :state, max_children = :max",
                        )
                        .condition_expression(format!("f_vetting = :from AND {unchanged}"))
                        .expression_attribute_values(":vetting", av(&decided.vetting)?)
                        .expression_attribute_values(":state", s(decided.vetting.state.as_str()))
                        .expression_attribute_values(":max", n(decided.max_children))
                        .expression_attribute_values(":from", s(before.vetting.state.as_str()))
                        .expression_attribute_values(":seq", n(seen.pairing_seq))
                        .build(),
                )?;
                writes.push(TransactWriteItem::builder().update(update).build());
            }
        }
        if let Some(flag) = flag {
            let flag = av(flag)?;
            for open in &seen.open {
                let update = build(
                    Update::builder()
                        .table_name(self.table())
                        .set_key(Some(pairing_key(&open.pairing_id)))
                        .update_expression("SET flagged = :flag")
                        .condition_expression("#state = :seen")
                        .expression_attribute_names("#state", "state")
                        .expression_attribute_values(":flag", flag.clone())
                        .expression_attribute_values(":seen", s(open.state.as_str()))
                        .build(),
                )?;
                writes.push(TransactWriteItem::builder().update(update).build());
            }
        }
        if writes.len() > MAX_WRITES {
            return Err(StoreError::Refused {
                code: "TooManyOpenPairings".into(),
                message: format!("{} open pairings in one decision", seen.open.len()),
            });
        }
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    fn pairing_item(pairing: &Pairing) -> Result<Item, StoreError> {
        let mut item = to_item(pairing)?;
        item.extend(pairing_key(&pairing.id));
        item.insert("GSI1PK".into(), s(format!("PAIRINGS#{DISTRICT}")));
        item.insert(
            "GSI1SK".into(),
            s(board_sort_key(pairing.state, &pairing.id)),
        );
        item.insert(
            "GSI2PK".into(),
            s(format!("CHILDPAIRINGS#{}", pairing.child_id)),
        );
        item.insert("GSI2SK".into(), s(&pairing.id));
        Ok(item)
    }

    fn link_item(pairing: &Pairing) -> Result<Item, StoreError> {
        let mut item = to_item(&OpenPairing {
            pairing_id: pairing.id.clone(),
            child_id: pairing.child_id.clone(),
            state: pairing.state,
        })?;
        item.extend(link_key(&pairing.volunteer_id, &pairing.id));
        Ok(item)
    }

    /// The volunteer's own list entry for a pairing, written as it opens or changes state.
    /// Unconditional: a pairing from before these entries existed gets one when it moves.
    fn link_write(&self, pairing: &Pairing) -> Result<TransactWriteItem, StoreError> {
        put(self.table(), Self::link_item(pairing)?, None)
    }

    /// Gives every open pairing its entry in the volunteer's partition, once per table
    /// (pairings stored before those entries existed). Idempotent; a marker makes later starts
    /// one read. An entry left over for a pairing that ended meanwhile does no harm: readers
    /// check each pairing itself.
    pub async fn ensure_pairing_links(&self) -> Result<usize, StoreError> {
        #[derive(Deserialize)]
        struct Marker {}
        let marker = key("META", "PAIRING_LINKS");
        if self.get_as::<Marker>(marker.clone()).await?.is_some() {
            return Ok(0);
        }
        let mut linked = 0;
        for state in [PairingState::Proposed, PairingState::Active] {
            for listed in self.pairings_in(state).await? {
                // The index may lag; the pairing itself says whether it is still open.
                let Some(pairing) = self.get_pairing(&listed.id).await? else {
                    continue;
                };
                if matches!(pairing.state, PairingState::Proposed | PairingState::Active) {
                    self.client
                        .put_item()
                        .table_name(self.table())
                        .set_item(Some(Self::link_item(&pairing)?))
                        .send_retrying()
                        .await
                        .map_err(StoreError::from_sdk)?;
                    linked += 1;
                }
            }
        }
        self.client
            .put_item()
            .table_name(self.table())
            .set_item(Some(marker))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(linked)
    }

    fn unlink_write(&self, pairing: &Pairing) -> Result<TransactWriteItem, StoreError> {
        let delete = build(
            Delete::builder()
                .table_name(self.table())
                .set_key(Some(link_key(&pairing.volunteer_id, &pairing.id)))
                .build(),
        )?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// The pairing's move to `pairing.state` from `from`, setting only the state, its index key
    /// and `extra` (attribute, value) pairs: a flag or last contact written meanwhile stays.
    fn move_write(
        &self,
        pairing: &Pairing,
        from: PairingState,
        extra: &[(&str, AttributeValue)],
    ) -> Result<TransactWriteItem, StoreError> {
        let mut sets = vec!["#state = :to".to_string(), "GSI1SK = :sk".to_string()];
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(pairing_key(&pairing.id)))
            .condition_expression("#state = :from")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":to", s(pairing.state.as_str()))
            .expression_attribute_values(":from", s(from.as_str()))
            .expression_attribute_values(":sk", s(board_sort_key(pairing.state, &pairing.id)));
        for (i, (name, value)) in extra.iter().enumerate() {
            sets.push(format!("#x{i} = :x{i}"));
            update = update
                .expression_attribute_names(format!("#x{i}"), *name)
                .expression_attribute_values(format!(":x{i}"), value.clone());
        }
        let update = build(
            update
                .update_expression(format!("SET {}", sets.join(", ")))
                .build(),
        )?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Proposes a pairing, only while the volunteer is approved. Raises the volunteer's
    /// proposal counter, so a vetting decision taken on an older reading is sent back.
    pub async fn propose_pairing(
        &self,
        pairing: &Pairing,
        entry: &AuditEntry,
    ) -> Result<ProposeOutcome, StoreError> {
        let counter = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(profile_key(&pairing.volunteer_id)))
                .update_expression("SET pairing_seq = if_not_exists(pairing_seq, :zero) + :one")
                .condition_expression("f_vetting = :approved")
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":approved", s(VettingState::Approved.as_str()))
                .build(),
        )?;
        let writes = vec![
            put(
                self.table(),
                Self::pairing_item(pairing)?,
                Some("attribute_not_exists(PK)"),
            )?,
            self.link_write(pairing)?,
            TransactWriteItem::builder().update(counter).build(),
        ];
        match self.transact_audited(writes, entry).await? {
            Ok(()) => Ok(ProposeOutcome::Proposed),
            Err(reasons) if refused(&reasons, 2) => Ok(ProposeOutcome::VolunteerNotApproved),
            Err(reasons) => Err(unexpected(reasons)),
        }
    }

    pub async fn get_pairing(&self, id: &str) -> Result<Option<Pairing>, StoreError> {
        self.get_as(pairing_key(id)).await
    }

    /// Pairings in one state, every page (the admin board; decide nothing from it).
    pub async fn pairings_in(&self, state: PairingState) -> Result<Vec<Pairing>, StoreError> {
        let board = self
            .client
            .query()
            .table_name(self.table())
            .index_name(GSI1)
            .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :state)")
            .expression_attribute_values(":pk", s(format!("PAIRINGS#{DISTRICT}")))
            .expression_attribute_values(":state", s(format!("{}#", state.as_str())));
        self.every_page(board)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// A child's pairing history, every page.
    pub async fn child_pairings(&self, child: &str) -> Result<Vec<Pairing>, StoreError> {
        self.query_all(GSI2, "GSI2PK", &format!("CHILDPAIRINGS#{child}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Activates a proposal (`pairing` carries the new state and time).
    pub async fn activate_pairing(
        &self,
        pairing: &Pairing,
        entry: &AuditEntry,
    ) -> Result<ActivateOutcome, StoreError> {
        let mut claim = claim_key(&pairing.child_id);
        claim.insert("pairing_id".into(), s(&pairing.id));
        claim.insert("GSI1PK".into(), s(format!("ACTIVEPAIRS#{DISTRICT}")));
        claim.insert("GSI1SK".into(), s(&pairing.child_id));
        let count = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(profile_key(&pairing.volunteer_id)))
                .update_expression("SET active_pairings = active_pairings + :one")
                .condition_expression("active_pairings < max_children AND f_vetting = :approved")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":approved", s(VettingState::Approved.as_str()))
                .build(),
        )?;
        let writes = vec![
            self.move_write(
                pairing,
                PairingState::Proposed,
                &[("activated_at", av(&pairing.activated_at)?)],
            )?,
            put(self.table(), claim, Some("attribute_not_exists(PK)"))?,
            TransactWriteItem::builder().update(count).build(),
            self.link_write(pairing)?,
        ];
        Ok(match self.transact_audited(writes, entry).await? {
            Ok(()) => ActivateOutcome::Activated,
            Err(reasons) if refused(&reasons, 0) => ActivateOutcome::NotProposed,
            Err(reasons) if refused(&reasons, 1) => ActivateOutcome::ChildAlreadyPaired,
            Err(reasons) if refused(&reasons, 2) => ActivateOutcome::VolunteerFull,
            Err(reasons) => return Err(unexpected(reasons)),
        })
    }

    /// Cancels a proposal; `Ok(false)` when it is no longer proposed (nothing written).
    pub async fn cancel_pairing(
        &self,
        pairing: &Pairing,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let writes = vec![
            self.move_write(pairing, PairingState::Proposed, &[])?,
            self.unlink_write(pairing)?,
        ];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    /// Ends an active pairing (`pairing` carries the end): frees the child's claim and the
    /// volunteer's place. `Ok(false)` when it is no longer active (nothing written).
    pub async fn end_pairing(
        &self,
        pairing: &Pairing,
        entry: &AuditEntry,
    ) -> Result<bool, StoreError> {
        let release = build(
            Delete::builder()
                .table_name(self.table())
                .set_key(Some(claim_key(&pairing.child_id)))
                .condition_expression("pairing_id = :id")
                .expression_attribute_values(":id", s(&pairing.id))
                .build(),
        )?;
        let count = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(profile_key(&pairing.volunteer_id)))
                .update_expression("SET active_pairings = active_pairings - :one")
                .condition_expression("active_pairings > :zero")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":zero", n(0))
                .build(),
        )?;
        let writes = vec![
            self.move_write(
                pairing,
                PairingState::Active,
                &[("ended", av(&pairing.ended)?)],
            )?,
            TransactWriteItem::builder().delete(release).build(),
            TransactWriteItem::builder().update(count).build(),
            self.unlink_write(pairing)?,
        ];
        Ok(self.transact_audited(writes, entry).await?.is_ok())
    }

    /// Children with an active pairing (the board's coverage gap; decide nothing from it).
    pub async fn paired_children(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query_all(GSI1, "GSI1PK", &format!("ACTIVEPAIRS#{DISTRICT}"), None)
            .await?
            .iter()
            .filter_map(|item| item.get("GSI1SK").and_then(|v| v.as_s().ok()).cloned())
            .collect())
    }

    /// Logs a contact on `pairing` (as read, consistently): only while the pairing is active
    /// and its volunteer approved, and moving `last_contact` forward only — never back, and
    /// never touching the flag.
    pub async fn log_contact(
        &self,
        pairing: &Pairing,
        contact: &Contact,
        entry: &AuditEntry,
    ) -> Result<ContactOutcome, StoreError> {
        let mut item = to_item(contact)?;
        item.extend(key(
            format!("PAIRING#{}", pairing.id),
            format!("CONTACT#{}", contact.id),
        ));
        let active = s(PairingState::Active.as_str());
        let pairing_write = if pairing.last_contact.is_none_or(|last| last < contact.date) {
            let update = build(
                Update::builder()
                    .table_name(self.table())
                    .set_key(Some(pairing_key(&pairing.id)))
                    .update_expression("SET last_contact = :date")
                    // A pairing made without a contact stores the date as NULL.
                    .condition_expression(
                        "#state = :active AND (attribute_not_exists(last_contact) \
                         OR attribute_type(last_contact, :null) OR last_contact < :date)",
                    )
                    .expression_attribute_names("#state", "state")
                    .expression_attribute_values(":active", active)
                    .expression_attribute_values(":null", s("NULL"))
                    .expression_attribute_values(":date", av(&contact.date)?)
                    .build(),
            )?;
            TransactWriteItem::builder().update(update).build()
        } else {
            let check = build(
                ConditionCheck::builder()
                    .table_name(self.table())
                    .set_key(Some(pairing_key(&pairing.id)))
                    .condition_expression("#state = :active")
                    .expression_attribute_names("#state", "state")
                    .expression_attribute_values(":active", active)
                    .build(),
            )?;
            TransactWriteItem::builder().condition_check(check).build()
        };
        let approved = build(
            ConditionCheck::builder()
                .table_name(self.table())
                .set_key(Some(profile_key(&pairing.volunteer_id)))
                .condition_expression("f_vetting = :approved")
                .expression_attribute_values(":approved", s(VettingState::Approved.as_str()))
                .build(),
        )?;
        let writes = vec![
            put(self.table(), item, Some("attribute_not_exists(PK)"))?,
            pairing_write,
            TransactWriteItem::builder()
                .condition_check(approved)
                .build(),
        ];
        Ok(match self.transact_audited(writes, entry).await? {
            Ok(()) => ContactOutcome::Logged,
            Err(reasons) if refused(&reasons, 1) => ContactOutcome::PairingChanged,
            Err(reasons) if refused(&reasons, 2) => ContactOutcome::VolunteerNotApproved,
            Err(reasons) => return Err(unexpected(reasons)),
        })
    }

    /// A pairing's contacts, newest first, every page.
    pub async fn contacts(&self, pairing: &str) -> Result<Vec<Contact>, StoreError> {
        self.query_prefix(&format!("PAIRING#{pairing}"), "CONTACT#", true, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
