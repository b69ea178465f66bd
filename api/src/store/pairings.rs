//! Volunteer profiles, pairings and contacts.
//!
//! The invariants live in conditional transactions: activating a pairing puts the child's claim
//! `CHILDPAIR#<child>` (`attribute_not_exists`: at most one active pairing per child) and raises
//! the volunteer's `active_pairings` only while it is below `max_children` and the volunteer is
//! approved. Ending deletes the claim and lowers the count in one transaction.
//!
//! GSI1 `VOLUNTEERS#<district>` / `<name>#<user>`: every volunteer profile.
//! GSI1 `PAIRINGS#<district>` / `<state>#<id>`: pairings by state (the admin board).
//! GSI2 `CHILDPAIRINGS#<child>` / `<id>`: a child's pairing history.

use super::retry::SendRetrying as _;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem, Update};
use shared::pairings::{Contact, Pairing, PairingState, VolunteerProfile};

use super::item::{from_item, key, n, s, to_item, Item};
use super::schema::{GSI1, GSI2};
use super::{Store, StoreError};

const DISTRICT: &str = shared::divisions::DISTRICT_CODE;

fn profile_key(user: &str) -> Item {
    key(format!("USER#{user}"), "VOLUNTEER")
}
fn pairing_key(id: &str) -> Item {
    key(format!("PAIRING#{id}"), "PAIRING")
}
fn claim_key(child: &str) -> Item {
    key(format!("CHILDPAIR#{child}"), "ACTIVE")
}

fn build<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, StoreError> {
    result.map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// Why an activation was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ActivateOutcome {
    Activated,
    NotProposed,
    ChildAlreadyPaired,
    VolunteerFull,
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
        Ok(item)
    }

    /// Writes a profile, keeping `active_pairings` as stored (activations change it concurrently).
    pub async fn put_profile(&self, profile: &VolunteerProfile) -> Result<(), StoreError> {
        let mut item = Self::profile_item(profile)?;
        item.remove("active_pairings");
        let names: Vec<String> = item
            .keys()
            .filter(|k| *k != "PK" && *k != "SK")
            .cloned()
            .collect();
        let mut request = self
            .client
            .update_item()
            .table_name(self.table())
            .set_key(Some(profile_key(&profile.user_id)));
        let mut sets = Vec::new();
        for (i, name) in names.iter().enumerate() {
            sets.push(format!("#n{i} = :v{i}"));
            request = request
                .expression_attribute_names(format!("#n{i}"), name)
                .expression_attribute_values(format!(":v{i}"), item[name].clone());
        }
        sets.push("active_pairings = if_not_exists(active_pairings, :zero)".into());
        request
            .update_expression(format!("SET {}", sets.join(", ")))
            .expression_attribute_values(":zero", n(0))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        Ok(())
    }

    pub async fn get_profile(&self, user: &str) -> Result<Option<VolunteerProfile>, StoreError> {
        self.get_as(profile_key(user)).await
    }

    pub async fn profiles(&self) -> Result<Vec<VolunteerProfile>, StoreError> {
        self.query_all(GSI1, "GSI1PK", &format!("VOLUNTEERS#{DISTRICT}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    fn pairing_item(pairing: &Pairing) -> Result<Item, StoreError> {
        let mut item = to_item(pairing)?;
        item.extend(pairing_key(&pairing.id));
        item.insert("GSI1PK".into(), s(format!("PAIRINGS#{DISTRICT}")));
        item.insert(
            "GSI1SK".into(),
            s(format!("{}#{}", pairing.state.as_str(), pairing.id)),
        );
        item.insert(
            "GSI2PK".into(),
            s(format!("CHILDPAIRINGS#{}", pairing.child_id)),
        );
        item.insert("GSI2SK".into(), s(&pairing.id));
        Ok(item)
    }

    pub async fn put_new_pairing(&self, pairing: &Pairing) -> Result<(), StoreError> {
        self.put_new(Self::pairing_item(pairing)?).await
    }

    pub async fn get_pairing(&self, id: &str) -> Result<Option<Pairing>, StoreError> {
        self.get_as(pairing_key(id)).await
    }

    /// Pairings in one state (the admin board).
    pub async fn pairings_in(&self, state: PairingState) -> Result<Vec<Pairing>, StoreError> {
        let output = self
            .client
            .query()
            .table_name(self.table())
            .index_name(GSI1)
            .key_condition_expression("GSI1PK = :pk AND begins_with(GSI1SK, :state)")
            .expression_attribute_values(":pk", s(format!("PAIRINGS#{DISTRICT}")))
            .expression_attribute_values(":state", s(format!("{}#", state.as_str())))
            .send_retrying()
            .await
            .map_err(StoreError::from_sdk)?;
        output
            .items
            .unwrap_or_default()
            .into_iter()
            .map(from_item)
            .collect()
    }

    pub async fn child_pairings(&self, child: &str) -> Result<Vec<Pairing>, StoreError> {
        self.query_all(GSI2, "GSI2PK", &format!("CHILDPAIRINGS#{child}"), None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// Saves a pairing that moved from `from` (conditional), with its index keys.
    async fn move_pairing(
        &self,
        pairing: &Pairing,
        from: PairingState,
    ) -> Result<TransactWriteItem, StoreError> {
        let put = build(
            Put::builder()
                .table_name(self.table())
                .set_item(Some(Self::pairing_item(pairing)?))
                .condition_expression("#state = :from")
                .expression_attribute_names("#state", "state")
                .expression_attribute_values(":from", s(from.as_str()))
                .build(),
        )?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    pub async fn activate_pairing(&self, pairing: &Pairing) -> Result<ActivateOutcome, StoreError> {
        let mut claim = claim_key(&pairing.child_id);
        claim.insert("pairing_id".into(), s(&pairing.id));
        claim.insert("GSI1PK".into(), s(format!("ACTIVEPAIRS#{DISTRICT}")));
        claim.insert("GSI1SK".into(), s(&pairing.child_id));
        let claim = build(
            Put::builder()
                .table_name(self.table())
                .set_item(Some(claim))
                .condition_expression("attribute_not_exists(PK)")
                .build(),
        )?;
        let count = build(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(profile_key(&pairing.volunteer_id)))
                .update_expression("SET active_pairings = active_pairings + :one")
                .condition_expression("active_pairings < max_children AND f_vetting = :approved")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(
                    ":approved",
                    s(shared::pairings::VettingState::Approved.as_str()),
                )
                .build(),
        )?;
        let writes = vec![
            self.move_pairing(pairing, PairingState::Proposed).await?,
            TransactWriteItem::builder().put(claim).build(),
            TransactWriteItem::builder().update(count).build(),
        ];
        let refused = |reasons: &[Option<String>], item: usize| {
            reasons.get(item).is_some_and(Option::is_some)
        };
        Ok(match self.transact(writes).await? {
            Ok(()) => ActivateOutcome::Activated,
            Err(reasons) if refused(&reasons, 0) => ActivateOutcome::NotProposed,
            Err(reasons) if refused(&reasons, 1) => ActivateOutcome::ChildAlreadyPaired,
            Err(_) => ActivateOutcome::VolunteerFull,
        })
    }

    /// Ends an active pairing: frees the child's claim and the volunteer's place.
    pub async fn end_pairing(&self, pairing: &Pairing) -> Result<bool, StoreError> {
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
            self.move_pairing(pairing, PairingState::Active).await?,
            TransactWriteItem::builder().delete(release).build(),
            TransactWriteItem::builder().update(count).build(),
        ];
        Ok(self.transact(writes).await?.is_ok())
    }

    /// Saves a pairing that stays in `state` (cancel a proposal, flag, last contact).
    pub async fn save_pairing(
        &self,
        pairing: &Pairing,
        from: PairingState,
    ) -> Result<bool, StoreError> {
        let write = self.move_pairing(pairing, from).await?;
        Ok(self.transact(vec![write]).await?.is_ok())
    }

    /// Children with an active pairing.
    pub async fn paired_children(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .query_all(GSI1, "GSI1PK", &format!("ACTIVEPAIRS#{DISTRICT}"), None)
            .await?
            .iter()
            .filter_map(|item| item.get("GSI1SK").and_then(|v| v.as_s().ok()).cloned())
            .collect())
    }

    pub async fn add_contact(&self, pairing: &str, contact: &Contact) -> Result<(), StoreError> {
        let mut item = to_item(contact)?;
        item.extend(key(
            format!("PAIRING#{pairing}"),
            format!("CONTACT#{}", contact.id),
        ));
        self.put_new(item).await
    }

    pub async fn contacts(&self, pairing: &str) -> Result<Vec<Contact>, StoreError> {
        self.query_prefix(&format!("PAIRING#{pairing}"), "CONTACT#", true, None)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }
}
