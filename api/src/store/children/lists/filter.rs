//! What a registry list asks for, and how it reads as a DynamoDB filter expression.
//!
//! The national form's choices are read where the record keeps them (`child.…`): every stored
//! shape has them there, so no flat copy has to be kept in step with the record. Conditions on
//! what the record does not hold (a pairing, a case group) are sets of ids, checked on each
//! item the query returns.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, NaiveDate, Utc};

use super::super::village_partition;
use crate::store::item::s;

/// Which children a list shows.
#[derive(Debug, Clone, Default)]
pub struct ChildFilter {
    pub name_prefix: Option<String>,
    pub school: Option<String>,
    pub category: Option<String>,
    pub care_level: Option<String>,
    pub eligible: Option<bool>,
    pub status: Option<String>,
    /// Only children living in these villages (a director's scope), applied in the query so
    /// pages and cursors are made of what the reader may see. Empty: no limit.
    pub villages: Vec<String>,
    /// Children whose residence village lies in this street (its 9-digit code starts theirs).
    pub street: Option<String>,
    /// `male` or `female`, as stored.
    pub gender: Option<String>,
    /// Born between these dates, both included (an age band on a given day).
    pub born: Option<(NaiveDate, NaiveDate)>,
    pub guardianship_type: Option<Recorded>,
    pub school_stage: Option<Recorded>,
    /// Children whose difficulty groups include this code.
    pub difficulty_group: Option<String>,
    /// Registered from the first instant to before the second (a Beijing calendar year).
    pub registered: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Left monitoring between these dates, both included.
    pub exited: Option<(NaiveDate, NaiveDate)>,
    /// Conditions on what the child's item does not carry (an active pairing, a case group),
    /// checked on each item the query returns.
    pub id_sets: Vec<IdSet>,
    /// Names from Z to A (the index read backwards).
    pub descending: bool,
}

/// A choice of the national form that may not have been made: one code, or nothing recorded
/// (absent on records registered before the form was complete, `null` when left empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Code(String),
    NotRecorded,
}

/// Children whose id is in `ids` (`member`), or is not. The ids come from another
/// capability's index, which lags like the list's own.
#[derive(Debug, Clone)]
pub struct IdSet {
    pub ids: Arc<HashSet<String>>,
    pub member: bool,
}

impl ChildFilter {
    /// Whether anything beyond the key narrows the list (then a read may drop items).
    pub(super) fn has_conditions(&self) -> bool {
        !self.villages.is_empty()
            || self.school.is_some()
            || self.category.is_some()
            || self.care_level.is_some()
            || self.eligible.is_some()
            || self.status.is_some()
            || self.street.is_some()
            || self.gender.is_some()
            || self.born.is_some()
            || self.guardianship_type.is_some()
            || self.school_stage.is_some()
            || self.difficulty_group.is_some()
            || self.registered.is_some()
            || self.exited.is_some()
            || !self.id_sets.is_empty()
    }

    /// Whether a child the query returned passes the conditions it could not express.
    pub(super) fn keeps(&self, id: &str) -> bool {
        self.id_sets
            .iter()
            .all(|set| set.ids.contains(id) == set.member)
    }

    /// The filter expression's conditions (to be joined with AND), the names and values they
    /// use added to `names` and `values`.
    pub(super) fn conditions(
        &self,
        names: &mut BTreeMap<&'static str, &'static str>,
        values: &mut Vec<(String, AttributeValue)>,
    ) -> Vec<String> {
        let mut conditions = Vec::new();
        if !self.villages.is_empty() {
            let placeholders: Vec<String> = (0..self.villages.len())
                .map(|index| format!(":village{index}"))
                .collect();
            conditions.push(format!("GSI2PK IN ({})", placeholders.join(", ")));
            for (name, village) in placeholders.into_iter().zip(&self.villages) {
                values.push((name, s(village_partition(village))));
            }
        }
        if let Some(school) = &self.school {
            conditions.push("contains(f_school, :school)".into());
            values.push((":school".into(), s(school.clone())));
        }
        if let Some(category) = &self.category {
            conditions.push("f_category = :category".into());
            values.push((":category".into(), s(category.clone())));
        }
        if let Some(level) = &self.care_level {
            conditions.push("f_care_level = :level".into());
            values.push((":level".into(), s(level.clone())));
        }
        if let Some(eligible) = self.eligible {
            conditions.push("f_eligible = :eligible".into());
            values.push((":eligible".into(), AttributeValue::Bool(eligible)));
        }
        if let Some(status) = &self.status {
            conditions.push("f_status = :status".into());
            values.push((":status".into(), s(status.clone())));
        }
        if let Some(street) = &self.street {
            conditions.push("begins_with(#child.#village, :street)".into());
            values.push((":street".into(), s(street.clone())));
            names.extend([("#child", "child"), ("#village", "residence_village")]);
        }
        if let Some(gender) = &self.gender {
            conditions.push("#child.#gender = :gender".into());
            values.push((":gender".into(), s(gender.clone())));
            names.extend([("#child", "child"), ("#gender", "gender")]);
        }
        if let Some((from, to)) = self.born {
            conditions.push("#child.#birth BETWEEN :born_from AND :born_to".into());
            values.push((":born_from".into(), s(date_bound(from))));
            values.push((":born_to".into(), s(date_bound(to))));
            names.extend([("#child", "child"), ("#birth", "birth_date")]);
        }
        for (choice, placeholder, attribute, value) in [
            (
                &self.guardianship_type,
                "#guardianship",
                "guardianship_type",
                ":guardianship",
            ),
            (&self.school_stage, "#schooling", "schooling", ":schooling"),
        ] {
            let Some(choice) = choice else { continue };
            let path = format!("#child.#national.{placeholder}");
            match choice {
                Recorded::Code(code) => {
                    conditions.push(format!("{path} = {value}"));
                    values.push((value.into(), s(code.clone())));
                }
                Recorded::NotRecorded => {
                    conditions.push(format!(
                        "(attribute_not_exists({path}) OR attribute_type({path}, :null_type))"
                    ));
                    if !values.iter().any(|(name, _)| name == ":null_type") {
                        values.push((":null_type".into(), s("NULL")));
                    }
                }
            }
            names.extend([
                ("#child", "child"),
                ("#national", "national"),
                (placeholder, attribute),
            ]);
        }
        if let Some(group) = &self.difficulty_group {
            conditions.push("contains(#child.#national.#groups, :group)".into());
            values.push((":group".into(), s(group.clone())));
            names.extend([
                ("#child", "child"),
                ("#national", "national"),
                ("#groups", "difficulty_groups"),
            ]);
        }
        if let Some((from, until)) = self.registered {
            conditions
                .push("(#created >= :registered_from AND #created < :registered_until)".into());
            values.push((":registered_from".into(), s(instant_bound(from))));
            values.push((":registered_until".into(), s(instant_bound(until))));
            names.insert("#created", "created_at");
        }
        if let Some((from, to)) = self.exited {
            conditions.push("#exit.#on BETWEEN :exited_from AND :exited_to".into());
            values.push((":exited_from".into(), s(date_bound(from))));
            values.push((":exited_to".into(), s(date_bound(to))));
            names.insert("#exit", "exit");
            names.insert("#on", "on");
        }
        conditions
    }
}

/// Filters on what a child's record does not hold: `Some(true)` for children with it,
/// `Some(false)` for those without.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Memberships {
    /// An active caring-mother pairing.
    pub paired: Option<bool>,
    /// A case group (一生一案一群).
    pub case_group: Option<bool>,
    /// An open crisis flag.
    pub open_crisis: Option<bool>,
}

impl Memberships {
    pub fn any(self) -> bool {
        self.paired.is_some() || self.case_group.is_some() || self.open_crisis.is_some()
    }
}

/// The children with an active pairing, with a case group, and with an open crisis, read from
/// the pairings' and the cases' indexes. Those lag a write by a moment, like the list's own;
/// a list and the statistics counted from the same sets agree, which is what they promise.
#[derive(Debug, Clone, Default)]
pub struct MembershipSets {
    pub paired: Arc<HashSet<String>>,
    pub case_group: Arc<HashSet<String>>,
    pub open_crisis: Arc<HashSet<String>>,
}

impl MembershipSets {
    /// The conditions `memberships` asks for, on these sets.
    pub fn conditions(&self, memberships: Memberships) -> Vec<IdSet> {
        [
            (memberships.paired, &self.paired),
            (memberships.case_group, &self.case_group),
            (memberships.open_crisis, &self.open_crisis),
        ]
        .into_iter()
        .filter_map(|(wanted, ids)| {
            wanted.map(|member| IdSet {
                ids: Arc::clone(ids),
                member,
            })
        })
        .collect()
    }
}

/// A date as stored (`2026-11-30`), kept within four-digit years so that the strings compare
/// as the dates do (an age band's open end is `NaiveDate::MAX`, which prints as `+262142-…`).
fn date_bound(date: NaiveDate) -> String {
    let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX);
    date.clamp(first, last).to_string()
}

/// An instant as a bound on a stored `created_at`. Those are RFC 3339 in UTC with a `Z` and
/// as many fraction digits as needed (`2026-01-05T03:04:05Z`, `…05.123Z`). The bound leaves
/// out both, so a stored time at the bound's very second sorts after it (a longer string with
/// the same start) and one a second earlier sorts before it: `>= from AND < until` holds
/// exactly the instants in `[from, until)` when the bounds fall on whole seconds.
fn instant_bound(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S").to_string()
}
