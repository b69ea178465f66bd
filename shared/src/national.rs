//! The national registration form's content (农村留守儿童基本情况登记表, "一人一表") beyond what
//! eligibility needs: ethnicity, health, schooling, the entrusted guardian, guardianship type,
//! the family's income and assistance, the children-in-difficulty groups and who filled the form.
//!
//! Every choice has a stable code (stored and exchanged), a label in both languages, and the
//! form's own wording as its Chinese label, which is what the national layout export writes.

use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// The 56 officially recognised ethnic groups with their GB/T 3304 codes.
pub const ETHNICITIES: [(&str, &str, &str); 56] = [
    ("01", "汉族", "Han"),
    ("02", "蒙古族", "Mongol"),
    ("03", "回族", "Hui"),
    ("04", "藏族", "Tibetan"),
    ("05", "维吾尔族", "Uyghur"),
    ("06", "苗族", "Miao"),
    ("07", "彝族", "Yi"),
    ("08", "壮族", "Zhuang"),
    ("09", "布依族", "Bouyei"),
    ("10", "朝鲜族", "Korean"),
    ("11", "满族", "Manchu"),
    ("12", "侗族", "Dong"),
    ("13", "瑶族", "Yao"),
    ("14", "白族", "Bai"),
    ("15", "土家族", "Tujia"),
    ("16", "哈尼族", "Hani"),
    ("17", "哈萨克族", "Kazakh"),
    ("18", "傣族", "Dai"),
    ("19", "黎族", "Li"),
    ("20", "傈僳族", "Lisu"),
    ("21", "佤族", "Va"),
    ("22", "畲族", "She"),
    ("23", "高山族", "Gaoshan"),
    ("24", "拉祜族", "Lahu"),
    ("25", "水族", "Sui"),
    ("26", "东乡族", "Dongxiang"),
    ("27", "纳西族", "Naxi"),
    ("28", "景颇族", "Jingpo"),
    ("29", "柯尔克孜族", "Kyrgyz"),
    ("30", "土族", "Tu"),
    ("31", "达斡尔族", "Daur"),
    ("32", "仫佬族", "Mulao"),
    ("33", "羌族", "Qiang"),
    ("34", "布朗族", "Blang"),
    ("35", "撒拉族", "Salar"),
    ("36", "毛南族", "Maonan"),
    ("37", "仡佬族", "Gelao"),
    ("38", "锡伯族", "Xibe"),
    ("39", "阿昌族", "Achang"),
    ("40", "普米族", "Pumi"),
    ("41", "塔吉克族", "Tajik"),
    ("42", "怒族", "Nu"),
    ("43", "乌孜别克族", "Uzbek"),
    ("44", "俄罗斯族", "Russian"),
    ("45", "鄂温克族", "Evenki"),
    ("46", "德昂族", "De'ang"),
    ("47", "保安族", "Bonan"),
    ("48", "裕固族", "Yugur"),
    ("49", "京族", "Gin"),
    ("50", "塔塔尔族", "Tatar"),
    ("51", "独龙族", "Derung"),
    ("52", "鄂伦春族", "Oroqen"),
    ("53", "赫哲族", "Hezhen"),
    ("54", "门巴族", "Monpa"),
    ("55", "珞巴族", "Lhoba"),
    ("56", "基诺族", "Jino"),
];

/// An ethnicity's label from its code, `None` for a code that is not one of the 56.
pub fn ethnicity(code: &str) -> Option<Text> {
    ETHNICITIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| Text::new(zh, en))
}

/// The code of an ethnicity written by name (as spreadsheets do): "汉族", "汉", "Han" or "01".
pub fn ethnicity_code(name: &str) -> Option<&'static str> {
    let name = name.trim();
    ETHNICITIES
        .iter()
        .find(|(code, zh, en)| {
            *code == name
                || *zh == name
                || zh.strip_suffix('族') == Some(name)
                || en.eq_ignore_ascii_case(name)
        })
        .map(|(code, _, _)| *code)
}

labelled_enum!(HealthStatus {
    Healthy = "healthy", "健康", "Healthy";
    Ill = "ill", "患病", "Ill";
    Disabled = "disabled", "残疾", "Disabled";
});

labelled_enum!(DisabilityCategory {
    Visual = "visual", "视力残疾", "Visual";
    Hearing = "hearing", "听力残疾", "Hearing";
    Speech = "speech", "言语残疾", "Speech";
    Physical = "physical", "肢体残疾", "Physical";
    Intellectual = "intellectual", "智力残疾", "Intellectual";
    Mental = "mental", "精神残疾", "Mental";
    Multiple = "multiple", "多重残疾", "Multiple";
});

labelled_enum!(DisabilityGrade {
    First = "first", "一级", "Grade 1";
    Second = "second", "二级", "Grade 2";
    Third = "third", "三级", "Grade 3";
    Fourth = "fourth", "四级", "Grade 4";
});

/// The child's health as the form records it. A disability has a category and grade, an
/// illness its type.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Health {
    pub status: HealthStatus,
    #[serde(default)]
    pub disability_category: Option<DisabilityCategory>,
    #[serde(default)]
    pub disability_grade: Option<DisabilityGrade>,
    /// The type of illness, in the filler's words.
    #[serde(default)]
    pub illness: String,
}

labelled_enum!(SchoolStage {
    Kindergarten = "kindergarten", "幼儿园", "Kindergarten";
    NotInKindergarten = "not_in_kindergarten", "学龄前未入园", "Pre-school, not in kindergarten";
    Primary = "primary", "小学", "Primary school";
    JuniorSecondary = "junior_secondary", "初中", "Junior secondary";
    SeniorSecondary = "senior_secondary", "高中", "Senior secondary";
    Vocational = "vocational", "中职", "Vocational school";
    DroppedOut = "dropped_out", "辍学", "Dropped out";
    NotInSchool = "not_in_school", "未入学", "Not in school";
});

labelled_enum!(GuardianshipType {
    Unattended = "unattended", "无人监护", "No one looks after the child";
    ParentIncapable = "parent_incapable", "父或母无监护能力", "Parent at home cannot act as guardian";
    EntrustedInsufficient = "entrusted_insufficient", "委托监护人监护能力不足", "Entrusted guardian not capable enough";
    Ordinary = "ordinary", "一般", "Adequate";
    Good = "good", "较好", "Good";
});

impl GuardianshipType {
    /// The national definitions, shown as help text beside the choice.
    pub fn definition(self) -> Text {
        match self {
            GuardianshipType::Unattended => Text::new(
                "父母双方外出务工,且无委托监护人或委托监护人无法履行监护职责,儿童实际无人照料",
                "Both parents are away and no entrusted guardian can look after the child",
            ),
            GuardianshipType::ParentIncapable => Text::new(
                "一方外出务工,留守在家的父亲或母亲因重病、重残等原因无监护能力",
                "One parent is away and the one at home cannot act as guardian (serious illness, severe disability …)",
            ),
            GuardianshipType::EntrustedInsufficient => Text::new(
                "委托监护人年老体弱、患病或其他原因,难以履行监护职责",
                "The entrusted guardian is too old, ill or otherwise unable to look after the child fully",
            ),
            GuardianshipType::Ordinary => Text::new(
                "委托监护人能够照料儿童的基本生活,但在教育、安全、心理关爱等方面存在不足",
                "The guardian meets the child's daily needs but falls short in schooling, safety or emotional care",
            ),
            GuardianshipType::Good => Text::new(
                "委托监护人能够较好地履行监护职责,照料儿童生活、学习和安全",
                "The guardian cares well for the child's daily life, schooling and safety",
            ),
        }
    }
}

/// The person the parents entrusted with the child's care (委托监护人).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrustedGuardian {
    pub name: String,
    pub relation: String,
    pub phone: String,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub address: String,
}

labelled_enum!(IncomeSource {
    Wages = "wages", "务工收入", "Wages from work away";
    Farming = "farming", "务农收入", "Farming";
    Business = "business", "经商收入", "Business";
    Pension = "pension", "养老金", "Pension";
    Assistance = "assistance", "政府救助", "Government assistance";
    Relatives = "relatives", "亲友资助", "Help from relatives";
    Other = "other", "其他", "Other";
});

labelled_enum!(Assistance {
    Dibao = "dibao", "低保", "Minimum living allowance (dibao)";
    TemporaryRelief = "temporary_relief", "临时救助", "Temporary relief";
    MedicalAssistance = "medical_assistance", "医疗救助", "Medical assistance";
    HousingAssistance = "housing_assistance", "住房救助", "Housing assistance";
    Other = "other", "其他", "Other";
});

labelled_enum!(DifficultyGroup {
    Orphan = "orphan", "孤儿", "Orphan";
    DeFactoUnsupported = "de_facto_unsupported", "事实无人抚养儿童", "Child without de facto support";
    PrisonersChild = "prisoners_child", "服刑人员子女", "Child of a prisoner";
    Disabled = "disabled", "残疾儿童", "Disabled child";
    SeriouslyIll = "seriously_ill", "重病儿童", "Seriously ill child";
    AffectedByHiv = "affected_by_hiv", "受艾滋病影响儿童", "Child affected by HIV";
    LowIncomeFamily = "low_income_family", "低保家庭儿童", "Child of a dibao household";
    Other = "other", "其他困境儿童", "Other difficulty";
});

/// Who filled the form, who checked it, and the unit's responsible person (names).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signoff {
    #[serde(default)]
    pub filled_by: String,
    #[serde(default)]
    pub checked_by: String,
    #[serde(default)]
    pub responsible: String,
}

// Age bands the statistics count by (age in 周岁 on the "as of" date).
labelled_enum!(AgeBand {
    UnderThree = "0-2", "0–2 岁", "0–2";
    ThreeToFive = "3-5", "3–5 岁", "3–5";
    SixToEleven = "6-11", "6–11 岁", "6–11";
    TwelveToFifteen = "12-15", "12–15 岁", "12–15";
    SixteenAndOver = "16+", "16 岁及以上", "16 and over";
});

impl AgeBand {
    /// The band a child born on `birth` is in on `on`: the one whose birth dates hold it, so a
    /// count by band and a list filtered by the band's dates cannot disagree.
    pub fn of_birth(birth: chrono::NaiveDate, on: chrono::NaiveDate) -> AgeBand {
        AgeBand::ALL
            .iter()
            .copied()
            .find(|band| {
                let (from, to) = band.birth_range(on);
                from <= birth && birth <= to
            })
            .unwrap_or(AgeBand::SixteenAndOver)
    }

    /// The birth dates (inclusive) of children in this band on `on`, ages in full years (周岁)
    /// counted as eligibility counts them: a year is full the day after the birthday.
    pub fn birth_range(self, on: chrono::NaiveDate) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let (youngest, oldest) = match self {
            AgeBand::UnderThree => (0, 2),
            AgeBand::ThreeToFive => (3, 5),
            AgeBand::SixToEleven => (6, 11),
            AgeBand::TwelveToFifteen => (12, 15),
            AgeBand::SixteenAndOver => (16, 150),
        };
        let latest = if youngest == 0 {
            chrono::NaiveDate::MAX
        } else {
            born_by_age(on, youngest)
        };
        let earliest = born_by_age(on, oldest + 1)
            .succ_opt()
            .unwrap_or(chrono::NaiveDate::MIN);
        (earliest, latest)
    }
}

/// The last birth date of someone who is at least `years` old on `on`.
fn born_by_age(on: chrono::NaiveDate, years: u32) -> chrono::NaiveDate {
    on.checked_sub_months(chrono::Months::new(years * 12))
        .and_then(|date| date.pred_opt())
        .unwrap_or(chrono::NaiveDate::MIN)
}

impl crate::children::NationalDetails {
    /// The details normalised (choices de-duplicated, fields that do not apply cleared), every
    /// problem recorded in `checker`. Field names are `national.…`.
    pub fn check(&self, checker: &mut crate::validate::Checker) -> Self {
        use crate::children::limits;
        use crate::validate::{text_field, PersonName, Phone};
        use crate::FieldError;
        let ethnicity = match self.ethnicity.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) if ethnicity(code).is_some() => Some(code.to_string()),
            Some(_) => {
                checker.check::<()>(Err(FieldError::new(
                    "national.ethnicity",
                    Text::new("请从列表中选择民族", "Choose an ethnicity from the list"),
                )));
                None
            }
        };
        let health = self.health.as_ref().map(|health| {
            let disabled = health.status == HealthStatus::Disabled;
            if disabled && health.disability_category.is_none() {
                checker.check::<()>(Err(FieldError::new(
                    "national.health.disability_category",
                    Text::new("请选择残疾类别", "Choose the category of disability"),
                )));
            }
            if disabled && health.disability_grade.is_none() {
                checker.check::<()>(Err(FieldError::new(
                    "national.health.disability_grade",
                    Text::new("请选择残疾等级", "Choose the grade of disability"),
                )));
            }
            let ill = health.status == HealthStatus::Ill;
            let illness = if ill {
                checker
                    .check(text_field(
                        "national.health.illness",
                        &health.illness,
                        limits::ILLNESS_MAX,
                        true,
                    ))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            Health {
                status: health.status,
                disability_category: health.disability_category.filter(|_| disabled),
                disability_grade: health.disability_grade.filter(|_| disabled),
                illness,
            }
        });
        let entrusted_guardian = self.entrusted_guardian.as_ref().map(|guardian| {
            let field = |name: &str| format!("national.entrusted_guardian.{name}");
            EntrustedGuardian {
                name: checker
                    .check(PersonName::parse(&field("name"), &guardian.name))
                    .map(|name| name.as_str().to_string())
                    .unwrap_or_default(),
                relation: checker
                    .check(text_field(
                        &field("relation"),
                        &guardian.relation,
                        limits::RELATION_MAX,
                        true,
                    ))
                    .unwrap_or_default(),
                phone: checker
                    .check(Phone::parse(&field("phone"), &guardian.phone))
                    .map(|phone| phone.as_str().to_string())
                    .unwrap_or_default(),
                id_number: crate::children::checked_id_number(
                    checker,
                    &field("id_number"),
                    guardian.id_number.as_deref(),
                    None,
                    None,
                ),
                address: checker
                    .check(text_field(
                        &field("address"),
                        &guardian.address,
                        limits::ADDRESS_MAX,
                        false,
                    ))
                    .unwrap_or_default(),
            }
        });
        let assistance = sorted_unique(&self.assistance);
        let assistance_other = if assistance.contains(&Assistance::Other) {
            checker
                .check(text_field(
                    "national.assistance_other",
                    &self.assistance_other,
                    limits::ASSISTANCE_OTHER_MAX,
                    true,
                ))
                .unwrap_or_default()
        } else {
            String::new()
        };
        let signoff_name = |checker: &mut crate::validate::Checker, name: &str, raw: &str| {
            checker
                .check(text_field(
                    &format!("national.signoff.{name}"),
                    raw,
                    limits::SIGNOFF_NAME_MAX,
                    false,
                ))
                .unwrap_or_default()
        };
        let signoff = Signoff {
            filled_by: signoff_name(checker, "filled_by", &self.signoff.filled_by),
            checked_by: signoff_name(checker, "checked_by", &self.signoff.checked_by),
            responsible: signoff_name(checker, "responsible", &self.signoff.responsible),
        };
        Self {
            ethnicity,
            hukou_registered: self.hukou_registered,
            health,
            schooling: self.schooling,
            boarding: self.boarding,
            entrusted_guardian,
            guardianship_type: self.guardianship_type,
            income_sources: sorted_unique(&self.income_sources),
            assistance,
            assistance_other,
            difficulty_groups: sorted_unique(&self.difficulty_groups),
            signoff,
        }
    }
}

/// Choices in the list's own order, each once.
fn sorted_unique<T: Copy + PartialEq + Listed>(chosen: &[T]) -> Vec<T> {
    T::all()
        .iter()
        .copied()
        .filter(|item| chosen.contains(item))
        .collect()
}

trait Listed: Sized + 'static {
    fn all() -> &'static [Self];
}

impl Listed for IncomeSource {
    fn all() -> &'static [Self] {
        IncomeSource::ALL
    }
}
impl Listed for Assistance {
    fn all() -> &'static [Self] {
        Assistance::ALL
    }
}
impl Listed for DifficultyGroup {
    fn all() -> &'static [Self] {
        DifficultyGroup::ALL
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn fifty_six_ethnicities_found_by_code_and_name() {
        let codes: std::collections::BTreeSet<_> = ETHNICITIES.iter().map(|e| e.0).collect();
        assert_eq!(codes.len(), 56);
        assert_eq!(ethnicity_code("汉族"), Some("01"));
        assert_eq!(ethnicity_code("畲"), Some("22"));
        assert_eq!(ethnicity_code("uyghur"), Some("05"));
        assert_eq!(ethnicity_code("56"), Some("56"));
        assert_eq!(ethnicity_code("火星族"), None);
        assert_eq!(ethnicity("22").map(|t| t.zh), Some("畲族"));
    }

    #[test]
    fn a_band_counts_a_year_full_the_day_after_the_birthday() {
        // As eligibility: still 15 on the 16th birthday, 16 from the next day.
        let on = date("2026-11-30");
        assert_eq!(
            AgeBand::of_birth(date("2010-11-30"), on),
            AgeBand::TwelveToFifteen
        );
        assert_eq!(
            AgeBand::of_birth(date("2010-11-29"), on),
            AgeBand::SixteenAndOver
        );
        assert_eq!(AgeBand::of_birth(on, on), AgeBand::UnderThree);
        assert_eq!(
            AgeBand::of_birth(date("2023-11-30"), on),
            AgeBand::UnderThree
        );
        assert_eq!(
            AgeBand::of_birth(date("2023-11-29"), on),
            AgeBand::ThreeToFive
        );
    }

    #[test]
    fn a_band_holds_exactly_the_birth_dates_whose_age_falls_in_it() {
        let on = date("2026-11-30");
        let mut birth = date("2005-01-01");
        while birth <= on {
            let band = AgeBand::of_birth(birth, on);
            let (from, to) = band.birth_range(on);
            assert!(
                from <= birth && birth <= to,
                "{birth} in {band:?} {from}..{to}"
            );
            for other in AgeBand::ALL.iter().filter(|b| **b != band) {
                let (from, to) = other.birth_range(on);
                assert!(!(from <= birth && birth <= to), "{birth} also in {other:?}");
            }
            birth = birth.succ_opt().unwrap();
        }
    }
}
