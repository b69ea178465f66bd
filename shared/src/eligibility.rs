//! The national definition of a left-behind child to be monitored, as one pure function. It runs
//! in the browser while a form is filled and on the server on every save; the server's answer is
//! the one stored. Every answer carries the reason for each clause, in Chinese and English.
//!
//! Age follows how Chinese law counts 周岁 (Civil Code art. 201 and 203, and the Supreme People's
//! Court's rule that a full year of age is reached on the day after the birthday): a child is
//! still 不满十六周岁 on their 16th birthday and is 16 from the next day. A child born on 29
//! February turns 16 on 1 March of a common year.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::children::{Bilingual, Capacity};
use crate::divisions;
use crate::i18n::Text;

/// Where a parent is.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ParentSituation {
    AtHome {
        capacity: Capacity,
        #[serde(default)]
        note: String,
    },
    /// Working away since `since`, in the county `county_code`. Occasional home visits and
    /// holidays do not reset `since`: only a return to live at home does, and then the parent
    /// is `AtHome`.
    WorkingAway {
        county_code: String,
        since: NaiveDate,
        #[serde(default)]
        note: String,
    },
    Deceased {
        #[serde(default)]
        note: String,
    },
    /// Whereabouts unknown (失联), since when if known.
    Missing {
        #[serde(default)]
        since: Option<NaiveDate>,
        #[serde(default)]
        note: String,
    },
    /// Serving a prison sentence (服刑).
    Imprisoned {
        #[serde(default)]
        note: String,
    },
    /// In compulsory drug rehabilitation (强制隔离戒毒).
    DrugRehabilitation {
        #[serde(default)]
        note: String,
    },
}

impl ParentSituation {
    /// The situation's code, as forms and files name it.
    pub fn kind(&self) -> &'static str {
        match self {
            ParentSituation::AtHome { .. } => "at_home",
            ParentSituation::WorkingAway { .. } => "working_away",
            ParentSituation::Deceased { .. } => "deceased",
            ParentSituation::Missing { .. } => "missing",
            ParentSituation::Imprisoned { .. } => "imprisoned",
            ParentSituation::DrugRehabilitation { .. } => "drug_rehabilitation",
        }
    }
    pub fn kind_label(&self) -> Text {
        match self {
            ParentSituation::AtHome { .. } => Text::new("在家", "At home"),
            ParentSituation::WorkingAway { .. } => Text::new("外出务工", "Working away"),
            ParentSituation::Deceased { .. } => Text::new("死亡", "Deceased"),
            ParentSituation::Missing { .. } => Text::new("失联", "Missing"),
            ParentSituation::Imprisoned { .. } => Text::new("服刑", "Serving a sentence"),
            ParentSituation::DrugRehabilitation { .. } => {
                Text::new("强制隔离戒毒", "In compulsory drug rehabilitation")
            }
        }
    }
    pub fn note(&self) -> &str {
        match self {
            ParentSituation::AtHome { note, .. }
            | ParentSituation::WorkingAway { note, .. }
            | ParentSituation::Deceased { note }
            | ParentSituation::Missing { note, .. }
            | ParentSituation::Imprisoned { note }
            | ParentSituation::DrugRehabilitation { note } => note,
        }
    }
}

/// Which districts of a prefecture-level city are its core urban districts: moving between two
/// of them is not "working away".
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreCity {
    pub city_code: String,
    pub county_codes: Vec<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreDistricts {
    pub cities: Vec<CoreCity>,
}

impl Default for CoreDistricts {
    /// Wenzhou's core urban districts: Lucheng, Longwan and Ouhai.
    fn default() -> Self {
        Self {
            cities: vec![CoreCity {
                city_code: "3303".into(),
                county_codes: vec!["330302".into(), "330303".into(), "330304".into()],
            }],
        }
    }
}

impl CoreDistricts {
    fn both_core_of_one_city(&self, a: &str, b: &str) -> bool {
        self.cities.iter().any(|city| {
            city.county_codes.iter().any(|code| code == a)
                && city.county_codes.iter().any(|code| code == b)
                && a.get(..4) == Some(city.city_code.as_str())
                && b.get(..4) == Some(city.city_code.as_str())
        })
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clause {
    Age,
    Residence,
    Parents,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub clause: Clause,
    pub met: bool,
    pub text: Bilingual,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub eligible: bool,
    pub evaluated_on: NaiveDate,
    /// The first day the child is no longer under 16.
    pub turns_16_on: NaiveDate,
    pub reasons: Vec<Reason>,
}

/// What the rule needs to know about a child.
pub struct EligibilityInput<'a> {
    pub birth_date: NaiveDate,
    /// The county of the child's usual residence (this district).
    pub home_county: &'a str,
    /// Whether the usual residence is a known village/community of this district.
    pub resides_here: bool,
    pub father: &'a ParentSituation,
    pub mother: &'a ParentSituation,
}

pub fn turns_16_on(birth_date: NaiveDate) -> NaiveDate {
    birth_date
        .checked_add_months(Months::new(16 * 12))
        .and_then(|birthday| birthday.succ_opt())
        .unwrap_or(NaiveDate::MAX)
}

fn text(zh: String, en: String) -> Bilingual {
    Bilingual { zh, en }
}

fn zh_date(date: NaiveDate) -> String {
    crate::time::format_date(date, crate::Lang::Zh)
}

fn en_date(date: NaiveDate) -> String {
    crate::time::format_date(date, crate::Lang::En)
}

/// How one parent counts for clause 3.
enum ParentCount {
    Away,
    /// At home, or away in a way that does not count; `capable` says whether they can act as
    /// guardian.
    Present {
        capable: bool,
    },
}

fn parent(
    who: (&str, &str),
    situation: &ParentSituation,
    home_county: &str,
    on: NaiveDate,
    core: &CoreDistricts,
) -> (ParentCount, Bilingual) {
    let (zh_who, en_who) = who;
    let unable = |zh: &str, en: &str| {
        (
            ParentCount::Present { capable: false },
            text(
                format!("{zh_who}{zh},无法履行监护职责"),
                format!("{en_who} {en}: cannot act as guardian"),
            ),
        )
    };
    match situation {
        ParentSituation::Deceased { .. } => unable("已死亡", "has died"),
        ParentSituation::Missing { .. } => unable("失联", "is missing"),
        ParentSituation::Imprisoned { .. } => unable("正在服刑", "is serving a prison sentence"),
        ParentSituation::DrugRehabilitation { .. } => {
            unable("正在强制隔离戒毒", "is in compulsory drug rehabilitation")
        }
        ParentSituation::AtHome { capacity, .. } => {
            let capable = *capacity == Capacity::Capable;
            let label = capacity.label();
            (
                ParentCount::Present { capable },
                text(
                    format!("{zh_who}在家({})", label.zh),
                    format!("{en_who} lives at home ({})", label.en.to_lowercase()),
                ),
            )
        }
        ParentSituation::WorkingAway {
            county_code, since, ..
        } => {
            let place = divisions::county_full_name(county_code);
            let six_months = since
                .checked_add_months(Months::new(6))
                .unwrap_or(NaiveDate::MAX);
            if county_code == home_county {
                (
                    ParentCount::Present { capable: true },
                    text(
                        format!("{zh_who}在本县(区)内务工({place}),不属于外出务工"),
                        format!(
                            "{en_who} works within the home county ({place}): not working away"
                        ),
                    ),
                )
            } else if core.both_core_of_one_city(county_code, home_county) {
                (
                    ParentCount::Present { capable: true },
                    text(
                        format!("{zh_who}在同市主城区之间流动({place}),不属于外出务工"),
                        format!("{en_who} works in another core district of the same city ({place}): not working away"),
                    ),
                )
            } else if on < six_months {
                (
                    ParentCount::Present { capable: true },
                    text(
                        format!(
                            "{zh_who}自{}起在{place}务工,至{}才满 6 个月",
                            zh_date(*since),
                            zh_date(six_months)
                        ),
                        format!(
                            "{en_who} has worked in {place} since {}: 6 months only on {}",
                            en_date(*since),
                            en_date(six_months)
                        ),
                    ),
                )
            } else {
                (
                    ParentCount::Away,
                    text(
                        format!("{zh_who}自{}起跨县在{place}务工,已满 6 个月", zh_date(*since)),
                        format!(
                            "{en_who} has worked across the county boundary in {place} since {}: 6 months or more",
                            en_date(*since)
                        ),
                    ),
                )
            }
        }
    }
}

pub fn evaluate(input: &EligibilityInput, on: NaiveDate, core: &CoreDistricts) -> Eligibility {
    let turns_16 = turns_16_on(input.birth_date);
    let under_16 = on < turns_16;
    let age = if under_16 {
        text(
            format!(
                "评估日{}不满十六周岁({}起满 16 周岁)",
                zh_date(on),
                zh_date(turns_16)
            ),
            format!(
                "Under 16 on {} (16 from {})",
                en_date(on),
                en_date(turns_16)
            ),
        )
    } else {
        text(
            format!(
                "评估日{}已满十六周岁(自{}起),应退出监测",
                zh_date(on),
                zh_date(turns_16)
            ),
            format!(
                "16 or older on {} (since {}): leaves monitoring",
                en_date(on),
                en_date(turns_16)
            ),
        )
    };
    let residence = if input.resides_here {
        text(
            "在本区户籍地或常住地生活".into(),
            "Lives at the registered or usual residence in this district".into(),
        )
    } else {
        text(
            "常住地不在本区的村(社区)".into(),
            "The usual residence is not a village or community of this district".into(),
        )
    };
    let (father, father_text) = parent(
        ("父亲", "Father"),
        input.father,
        input.home_county,
        on,
        core,
    );
    let (mother, mother_text) = parent(
        ("母亲", "Mother"),
        input.mother,
        input.home_county,
        on,
        core,
    );
    let parents_met = match (&father, &mother) {
        (ParentCount::Away, ParentCount::Away) => true,
        (ParentCount::Away, ParentCount::Present { capable })
        | (ParentCount::Present { capable }, ParentCount::Away) => !capable,
        _ => false,
    };
    let verdict = if parents_met {
        text(
            "父母双方外出务工,或一方外出务工、另一方无监护能力".into(),
            "both parents work away, or one does and the other cannot act as guardian".into(),
        )
    } else {
        text(
            "不满足:须父母双方外出务工,或一方外出务工且另一方无监护能力".into(),
            "not met: both parents must work away, or one must and the other be unable to act as guardian".into(),
        )
    };
    let parents = text(
        format!("{};{};{}", father_text.zh, mother_text.zh, verdict.zh),
        format!("{}; {}; {}", father_text.en, mother_text.en, verdict.en),
    );
    let reasons = vec![
        Reason {
            clause: Clause::Age,
            met: under_16,
            text: age,
        },
        Reason {
            clause: Clause::Residence,
            met: input.resides_here,
            text: residence,
        },
        Reason {
            clause: Clause::Parents,
            met: parents_met,
            text: parents,
        },
    ];
    Eligibility {
        eligible: reasons.iter().all(|reason| reason.met),
        evaluated_on: on,
        turns_16_on: turns_16,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn away(county: &str, since: &str) -> ParentSituation {
        ParentSituation::WorkingAway {
            county_code: county.into(),
            since: date(since),
            note: String::new(),
        }
    }

    fn home(capacity: Capacity) -> ParentSituation {
        ParentSituation::AtHome {
            capacity,
            note: String::new(),
        }
    }

    const LONGWAN: &str = "330303";
    const LUCHENG: &str = "330302"; // core district of Wenzhou
    const RUIAN: &str = "330381"; // county-level city of Wenzhou, not core
    const DONGTOU: &str = "330305"; // district of Wenzhou, not core by default
    const GUANGZHOU_TIANHE: &str = "440106"; // another province

    struct Case {
        name: &'static str,
        birth: &'static str,
        on: &'static str,
        father: ParentSituation,
        mother: ParentSituation,
        eligible: bool,
        failing: Option<Clause>,
    }

    #[test]
    fn every_clause_and_its_boundaries() {
        let both_away = || {
            (
                away(GUANGZHOU_TIANHE, "2020-01-01"),
                away(RUIAN, "2020-01-01"),
            )
        };
        let cases = vec![
            Case {
                name: "both parents in another province for long",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: both_away().0,
                mother: both_away().1,
                eligible: true,
                failing: None,
            },
            Case {
                name: "day before the 16th birthday",
                birth: "2010-11-30",
                on: "2026-11-29",
                father: both_away().0,
                mother: both_away().1,
                eligible: true,
                failing: None,
            },
            Case {
                name: "on the 16th birthday: still under 16 (周岁 from the next day)",
                birth: "2010-11-29",
                on: "2026-11-29",
                father: both_away().0,
                mother: both_away().1,
                eligible: true,
                failing: None,
            },
            Case {
                name: "the day after the 16th birthday",
                birth: "2010-11-28",
                on: "2026-11-29",
                father: both_away().0,
                mother: both_away().1,
                eligible: false,
                failing: Some(Clause::Age),
            },
            Case {
                name: "born 29 Feb: still under 16 on 28 Feb",
                birth: "2008-02-29",
                on: "2024-02-28",
                father: both_away().0,
                mother: both_away().1,
                eligible: true,
                failing: None,
            },
            Case {
                name: "born 29 Feb: 16 on 1 Mar of a common year",
                birth: "2008-02-29",
                on: "2024-03-01",
                father: both_away().0,
                mother: both_away().1,
                eligible: false,
                failing: Some(Clause::Age),
            },
            Case {
                name: "exactly 6 months away",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: away(GUANGZHOU_TIANHE, "2026-05-29"),
                mother: away(GUANGZHOU_TIANHE, "2026-05-29"),
                eligible: true,
                failing: None,
            },
            Case {
                name: "one day short of 6 months",
                birth: "2015-06-01",
                on: "2026-11-28",
                father: away(GUANGZHOU_TIANHE, "2026-05-29"),
                mother: away(GUANGZHOU_TIANHE, "2026-05-29"),
                eligible: false,
                failing: Some(Clause::Parents),
            },
            Case {
                name: "same county is not away",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: away(LONGWAN, "2020-01-01"),
                mother: away(GUANGZHOU_TIANHE, "2020-01-01"),
                eligible: false,
                failing: Some(Clause::Parents),
            },
            Case {
                name: "core ↔ core of the same city is not away",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: away(LUCHENG, "2020-01-01"),
                mother: away(GUANGZHOU_TIANHE, "2020-01-01"),
                eligible: false,
                failing: Some(Clause::Parents),
            },
            Case {
                name: "core → non-core county of the same city is away",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: away(RUIAN, "2020-01-01"),
                mother: away(DONGTOU, "2020-01-01"),
                eligible: true,
                failing: None,
            },
            Case {
                name: "one away, other at home and capable",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: away(GUANGZHOU_TIANHE, "2020-01-01"),
                mother: home(Capacity::Capable),
                eligible: false,
                failing: Some(Clause::Parents),
            },
            Case {
                name: "one away, other seriously ill",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: away(GUANGZHOU_TIANHE, "2020-01-01"),
                mother: home(Capacity::SeriouslyIll),
                eligible: true,
                failing: None,
            },
            Case {
                name: "one away, other severely disabled",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: home(Capacity::SeverelyDisabled),
                mother: away(GUANGZHOU_TIANHE, "2020-01-01"),
                eligible: true,
                failing: None,
            },
            Case {
                name: "one away, other otherwise unable",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: home(Capacity::OtherInability),
                mother: away(RUIAN, "2020-01-01"),
                eligible: true,
                failing: None,
            },
            Case {
                name: "both at home, one ill",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: home(Capacity::SeriouslyIll),
                mother: home(Capacity::Capable),
                eligible: false,
                failing: Some(Clause::Parents),
            },
            Case {
                name: "one away too briefly, other ill",
                birth: "2015-06-01",
                on: "2026-11-29",
                father: away(GUANGZHOU_TIANHE, "2026-10-01"),
                mother: home(Capacity::SeriouslyIll),
                eligible: false,
                failing: Some(Clause::Parents),
            },
        ];
        for case in cases {
            let input = EligibilityInput {
                birth_date: date(case.birth),
                home_county: LONGWAN,
                resides_here: true,
                father: &case.father,
                mother: &case.mother,
            };
            let result = evaluate(&input, date(case.on), &CoreDistricts::default());
            assert_eq!(
                result.eligible, case.eligible,
                "{}: {:#?}",
                case.name, result.reasons
            );
            assert_eq!(result.reasons.len(), 3, "every clause is reported");
            let failing: Vec<Clause> = result
                .reasons
                .iter()
                .filter(|r| !r.met)
                .map(|r| r.clause)
                .collect();
            assert_eq!(
                failing,
                case.failing.into_iter().collect::<Vec<_>>(),
                "{}",
                case.name
            );
            for reason in &result.reasons {
                assert!(!reason.text.zh.is_empty() && !reason.text.en.is_empty());
            }
        }
    }

    #[test]
    fn residence_outside_the_district_fails_its_clause() {
        let father = away(GUANGZHOU_TIANHE, "2020-01-01");
        let mother = away(GUANGZHOU_TIANHE, "2020-01-01");
        let input = EligibilityInput {
            birth_date: date("2015-06-01"),
            home_county: LONGWAN,
            resides_here: false,
            father: &father,
            mother: &mother,
        };
        let result = evaluate(&input, date("2026-11-29"), &CoreDistricts::default());
        assert!(!result.eligible);
        assert!(!result.reasons[1].met);
    }

    #[test]
    fn core_districts_are_configuration() {
        let father = away(LUCHENG, "2020-01-01");
        let mother = away(LUCHENG, "2020-01-01");
        let input = EligibilityInput {
            birth_date: date("2015-06-01"),
            home_county: LONGWAN,
            resides_here: true,
            father: &father,
            mother: &mother,
        };
        let default = evaluate(&input, date("2026-11-29"), &CoreDistricts::default());
        assert!(!default.eligible);
        let no_core = CoreDistricts { cities: vec![] };
        assert!(evaluate(&input, date("2026-11-29"), &no_core).eligible);
        // The reason names the place.
        assert!(
            default.reasons[2].text.zh.contains("鹿城区"),
            "{}",
            default.reasons[2].text.zh
        );
    }

    #[test]
    fn a_parent_who_died_is_missing_in_prison_or_in_rehabilitation_cannot_act_as_guardian() {
        let far = || away(GUANGZHOU_TIANHE, "2020-01-01");
        let note = String::new;
        let unable = [
            (
                "deceased",
                ParentSituation::Deceased { note: note() },
                "已死亡",
            ),
            (
                "missing",
                ParentSituation::Missing {
                    since: Some(date("2023-01-01")),
                    note: note(),
                },
                "失联",
            ),
            (
                "imprisoned",
                ParentSituation::Imprisoned { note: note() },
                "服刑",
            ),
            (
                "in drug rehabilitation",
                ParentSituation::DrugRehabilitation { note: note() },
                "戒毒",
            ),
            (
                "at home, other inability",
                home(Capacity::OtherInability),
                "其他原因",
            ),
        ];
        // (father, mother, eligible) for each situation `s`: away + s either way round is
        // left-behind; s + s is not (no parent works away: a child in difficulty, not
        // left-behind); s + a capable parent at home is not.
        for (name, situation, words) in unable {
            let cases = [
                (far(), situation.clone(), true),
                (situation.clone(), far(), true),
                (situation.clone(), situation.clone(), false),
                (situation.clone(), home(Capacity::Capable), false),
                (
                    situation.clone(),
                    away(LUCHENG, "2020-01-01"), // a core district: not working away
                    false,
                ),
            ];
            for (father, mother, eligible) in cases {
                let input = EligibilityInput {
                    birth_date: date("2015-06-01"),
                    home_county: LONGWAN,
                    resides_here: true,
                    father: &father,
                    mother: &mother,
                };
                let result = evaluate(&input, date("2026-11-29"), &CoreDistricts::default());
                assert_eq!(result.eligible, eligible, "{name}: {father:?} / {mother:?}");
                let parents = &result.reasons[2];
                assert_eq!(parents.clause, Clause::Parents);
                assert_eq!(parents.met, eligible, "{name}");
                assert!(
                    parents.text.zh.contains(words),
                    "{name}: {}",
                    parents.text.zh
                );
            }
        }
    }

    #[test]
    fn every_situation_has_a_code_and_a_label() {
        let all = [
            home(Capacity::Capable),
            away(RUIAN, "2020-01-01"),
            ParentSituation::Deceased { note: "x".into() },
            ParentSituation::Missing {
                since: None,
                note: "x".into(),
            },
            ParentSituation::Imprisoned { note: "x".into() },
            ParentSituation::DrugRehabilitation { note: "x".into() },
        ];
        let kinds: std::collections::BTreeSet<_> = all.iter().map(|s| s.kind()).collect();
        assert_eq!(kinds.len(), all.len());
        for situation in &all {
            let json = serde_json::to_value(situation).unwrap();
            assert_eq!(json["kind"], situation.kind());
            assert!(!situation.kind_label().zh.is_empty());
        }
    }
}
