//! The numbers, counted in one pass over the children read for the scope, each with the
//! registry list that holds exactly what it counts.
//!
//! Every predicate here is the Rust twin of a list filter in `store::children::lists` (a
//! bucket's link names the filter): a street is a prefix of the residence village, an age band
//! is `AgeBand::of_birth`, which finds the band whose `birth_range` holds the birth date (the
//! list's condition), a year is a Beijing calendar year, a pairing, case group or crisis is the
//! child's id in the same sets the list reads. The integration test checks every link's total.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use shared::children::{Bilingual, CareLevel, Category, Gender, MonitoringStatus};
use shared::national::{AgeBand, DifficultyGroup, GuardianshipType, SchoolStage};
use shared::statistics::{Breakdown, StatBucket, StatCount, StatLink, Statistics};
use shared::Text;

use crate::store::children::{ChildItem, MembershipSets};

/// A link's query parameters, by their names in the registry list.
pub(super) type Params = Vec<(&'static str, String)>;

/// What the numbers are counted from.
pub(super) struct Counting<'a> {
    pub today: NaiveDate,
    pub generated_at: DateTime<Utc>,
    /// Every child of the scope, whatever their status.
    pub children: &'a [ChildItem],
    pub sets: &'a MembershipSets,
    /// What every link carries so that its list covers the scope (`street=…`, `village=…`).
    pub scope: &'a Params,
    /// The villages counted (none listed for the whole district).
    pub villages: Vec<String>,
    pub whole_district: bool,
}

const MONITORED: &str = "monitored";
/// The bucket of a choice left unrecorded, and its query value.
const NONE: &str = "none";
const NOT_RECORDED: Text = Text::new("未填写", "Not recorded");

pub(super) fn statistics(counting: Counting<'_>) -> Statistics {
    let Counting {
        today,
        generated_at,
        children,
        sets,
        scope,
        villages,
        whole_district,
    } = counting;
    let year = today.year();
    let year_code = year.to_string();
    let monitored: Vec<&ChildItem> = children
        .iter()
        .filter(|child| child.status == MonitoringStatus::Monitored)
        .collect();
    let count_monitored = |keep: &dyn Fn(&ChildItem) -> bool| -> u64 {
        monitored.iter().filter(|child| keep(child)).count() as u64
    };
    let stat = |count: u64, extra: &[(&'static str, &str)]| StatCount {
        count,
        link: link(scope, extra),
    };
    Statistics {
        as_of: today,
        generated_at,
        villages,
        whole_district,
        monitored: stat(monitored.len() as u64, &[("status", MONITORED)]),
        breakdowns: breakdowns(&monitored, today, scope),
        new_this_year: stat(
            children
                .iter()
                .filter(|child| shared::time::beijing_date(child.created_at).year() == year)
                .count() as u64,
            &[("registered_year", year_code.as_str())],
        ),
        exited_this_year: stat(
            children
                .iter()
                .filter(|child| {
                    child.status == MonitoringStatus::LeftMonitoring
                        && child
                            .exit
                            .as_ref()
                            .is_some_and(|exit| exit.on.year() == year)
                })
                .count() as u64,
            &[
                ("status", "left_monitoring"),
                ("exited_year", year_code.as_str()),
            ],
        ),
        paired: stat(
            count_monitored(&|child| sets.paired.contains(&child.id)),
            &[("status", MONITORED), ("paired", "true")],
        ),
        open_cases: stat(
            count_monitored(&|child| sets.case_group.contains(&child.id)),
            &[("status", MONITORED), ("case_group", "true")],
        ),
        open_crises: stat(
            count_monitored(&|child| sets.open_crisis.contains(&child.id)),
            &[("status", MONITORED), ("open_crisis", "true")],
        ),
    }
}

/// One bucket before its link: code, label, how many.
type Tally = (String, Bilingual, u64);

fn breakdowns(monitored: &[&ChildItem], today: NaiveDate, scope: &Params) -> Vec<Breakdown> {
    let count = |keep: &dyn Fn(&ChildItem) -> bool| -> u64 {
        monitored.iter().filter(|child| keep(child)).count() as u64
    };
    let bucket = |code: &str, label: Text, keep: &dyn Fn(&ChildItem) -> bool| -> Tally {
        (code.to_string(), label.into(), count(keep))
    };
    let category: Vec<Tally> = Category::ALL
        .iter()
        .map(|&category| {
            bucket(category.as_str(), category.label(), &|child| {
                child.child.category == category
            })
        })
        .collect();
    let difficulty_group: Vec<Tally> = DifficultyGroup::ALL
        .iter()
        .map(|&group| {
            bucket(group.as_str(), group.label(), &|child| {
                child.child.national.difficulty_groups.contains(&group)
            })
        })
        .collect();
    let care_level: Vec<Tally> = CareLevel::ALL
        .iter()
        .map(|&level| {
            bucket(level.as_str(), level.label(), &|child| {
                child.child.care_level == level
            })
        })
        .collect();
    let age_band: Vec<Tally> = AgeBand::ALL
        .iter()
        .map(|&band| {
            bucket(band.as_str(), band.label(), &|child| {
                AgeBand::of_birth(child.child.birth_date, today) == band
            })
        })
        .collect();
    let gender: Vec<Tally> = [Gender::Male, Gender::Female]
        .into_iter()
        .map(|gender| {
            bucket(gender_code(gender), gender.label(), &|child| {
                child.child.gender == gender
            })
        })
        .collect();
    let mut guardianship_type: Vec<Tally> = GuardianshipType::ALL
        .iter()
        .map(|&kind| {
            bucket(kind.as_str(), kind.label(), &|child| {
                child.child.national.guardianship_type == Some(kind)
            })
        })
        .collect();
    guardianship_type.push(bucket(NONE, NOT_RECORDED, &|child| {
        child.child.national.guardianship_type.is_none()
    }));
    let mut school_stage: Vec<Tally> = SchoolStage::ALL
        .iter()
        .map(|&stage| {
            bucket(stage.as_str(), stage.label(), &|child| {
                child.child.national.schooling == Some(stage)
            })
        })
        .collect();
    school_stage.push(bucket(NONE, NOT_RECORDED, &|child| {
        child.child.national.schooling.is_none()
    }));
    let dimensions: [(&'static str, Text, Vec<Tally>); 9] = [
        ("street", Text::new("街道", "Street"), streets(monitored)),
        (
            "village",
            Text::new("村(社区)", "Village or community"),
            villages(monitored),
        ),
        ("category", Text::new("类别", "Category"), category),
        (
            "difficulty_group",
            Text::new("困境儿童类型", "Children-in-difficulty group"),
            difficulty_group,
        ),
        (
            "care_level",
            Text::new("关注等级", "Care level"),
            care_level,
        ),
        ("age_band", Text::new("年龄段", "Age band"), age_band),
        ("gender", Text::new("性别", "Gender"), gender),
        (
            "guardianship_type",
            Text::new("监护类型", "Guardianship type"),
            guardianship_type,
        ),
        (
            "school_stage",
            Text::new("就学情况", "Schooling"),
            school_stage,
        ),
    ];
    dimensions
        .into_iter()
        .map(|(dimension, title, tallies)| Breakdown {
            dimension: dimension.to_string(),
            title: title.into(),
            buckets: tallies
                .into_iter()
                .map(|(key, label, count)| StatBucket {
                    link: link(scope, &[("status", MONITORED), (dimension, key.as_str())]),
                    key,
                    label,
                    count,
                })
                .collect(),
        })
        .collect()
}

/// The streets with monitored children, in code order. A street's children are those whose
/// village code starts with the street's (the list's `street` filter).
fn streets(monitored: &[&ChildItem]) -> Vec<Tally> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for child in monitored {
        let village = child.child.residence_village.as_str();
        *counts
            .entry(village.get(..9).unwrap_or(village))
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(code, count)| {
            let name = shared::divisions::streets()
                .find(|street| street.code == code)
                .map_or(code, |street| street.name);
            (code.to_string(), same_in_both(name), count)
        })
        .collect()
}

/// The villages with monitored children, in code order.
fn villages(monitored: &[&ChildItem]) -> Vec<Tally> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for child in monitored {
        *counts
            .entry(child.child.residence_village.as_str())
            .or_default() += 1;
    }
    counts
        .into_iter()
        .map(|(code, count)| {
            let name = shared::divisions::village_name(code).unwrap_or(code);
            (code.to_string(), same_in_both(name), count)
        })
        .collect()
}

/// A place's name: it has no English one.
fn same_in_both(name: &str) -> Bilingual {
    Bilingual {
        zh: name.to_string(),
        en: name.to_string(),
    }
}

/// The gender as stored and as the list's `gender` filter takes it.
fn gender_code(gender: Gender) -> &'static str {
    match gender {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

/// The registry list with the scope's parameters and `extra` (which replace a scope
/// parameter of the same name: a street's bucket within that street's scope).
pub(super) fn link(scope: &Params, extra: &[(&'static str, &str)]) -> StatLink {
    let mut params: Params = Vec::with_capacity(scope.len() + extra.len());
    for &(name, value) in extra {
        params.push((name, value.to_string()));
    }
    for (name, value) in scope {
        if !params.iter().any(|(given, _)| given == name) {
            params.push((*name, value.clone()));
        }
    }
    let query = params
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    StatLink {
        page: format!("/children?{query}"),
        api: format!("/api/children?{query}"),
    }
}

/// A query value percent-encoded (`16+` would otherwise arrive as "16 ").
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| {
            if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
                char::from(byte).to_string()
            } else {
                format!("%{byte:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_scope_and_encode_their_values() {
        let scope: Params = vec![("street", "330303001".into())];
        let band = link(&scope, &[("status", "monitored"), ("age_band", "16+")]);
        assert_eq!(
            band.api,
            "/api/children?status=monitored&age_band=16%2B&street=330303001"
        );
        assert_eq!(
            band.page,
            "/children?status=monitored&age_band=16%2B&street=330303001"
        );
        let within = link(&scope, &[("street", "330303001")]);
        assert_eq!(within.api, "/api/children?street=330303001");
    }

    /// The list filters compare the stored (serde) names with these codes.
    #[test]
    fn the_codes_are_the_stored_names() {
        let stored = |value: serde_json::Value| value.as_str().unwrap_or_default().to_string();
        for kind in GuardianshipType::ALL {
            assert_eq!(stored(serde_json::json!(kind)), kind.as_str());
        }
        for stage in SchoolStage::ALL {
            assert_eq!(stored(serde_json::json!(stage)), stage.as_str());
        }
        for group in DifficultyGroup::ALL {
            assert_eq!(stored(serde_json::json!(group)), group.as_str());
        }
        for gender in [Gender::Male, Gender::Female] {
            assert_eq!(stored(serde_json::json!(gender)), gender_code(gender));
        }
    }
}
