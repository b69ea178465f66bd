//! A monitored child's record as the browser and the API exchange it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::eligibility::{Eligibility, ParentSituation};
use crate::i18n::Text;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> Text {
        match self {
            Gender::Male => Text::new("男", "Male"),
            Gender::Female => Text::new("女", "Female"),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    LeftBehind,
    InDifficulty,
}

impl Category {
    pub const ALL: [Category; 2] = [Category::LeftBehind, Category::InDifficulty];
    pub fn as_str(self) -> &'static str {
        match self {
            Category::LeftBehind => "left_behind",
            Category::InDifficulty => "in_difficulty",
        }
    }
    pub fn label(self) -> Text {
        match self {
            Category::LeftBehind => Text::new("留守儿童", "Left-behind"),
            Category::InDifficulty => Text::new("困境儿童", "In difficulty"),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum CareLevel {
    Routine,
    Focus,
    Urgent,
}

impl CareLevel {
    pub const ALL: [CareLevel; 3] = [CareLevel::Routine, CareLevel::Focus, CareLevel::Urgent];
    pub fn as_str(self) -> &'static str {
        match self {
            CareLevel::Routine => "routine",
            CareLevel::Focus => "focus",
            CareLevel::Urgent => "urgent",
        }
    }
    pub fn label(self) -> Text {
        match self {
            CareLevel::Routine => Text::new("常规关注", "Routine"),
            CareLevel::Focus => Text::new("重点关注", "Focus"),
            CareLevel::Urgent => Text::new("紧急关注", "Urgent"),
        }
    }
}

/// Whether a person can act as a guardian.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Capable,
    SeriouslyIll,
    SeverelyDisabled,
    /// Cannot perform guardianship for another reason (explained in the note).
    OtherInability,
}

impl Capacity {
    pub const ALL: [Capacity; 4] = [
        Capacity::Capable,
        Capacity::SeriouslyIll,
        Capacity::SeverelyDisabled,
        Capacity::OtherInability,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Capable => "capable",
            Capacity::SeriouslyIll => "seriously_ill",
            Capacity::SeverelyDisabled => "severely_disabled",
            Capacity::OtherInability => "other_inability",
        }
    }
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == value)
    }
    pub fn label(self) -> Text {
        match self {
            Capacity::Capable => Text::new("有监护能力", "Capable of guardianship"),
            Capacity::SeriouslyIll => Text::new("重病", "Seriously ill"),
            Capacity::SeverelyDisabled => Text::new("重残", "Severely disabled"),
            Capacity::OtherInability => {
                Text::new("其他原因无法履行监护", "Otherly unable to act as guardian")
            }
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parent {
    pub situation: ParentSituation,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// Masked like the child's outside an admin's detail view.
    #[serde(default)]
    pub id_number: Option<String>,
}

impl Parent {
    pub fn new(situation: ParentSituation, phone: Option<String>) -> Self {
        Self {
            situation,
            phone,
            name: String::new(),
            birth_date: None,
            id_number: None,
        }
    }
}

/// A guardian who lives with the child (grandparent, relative …).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guardian {
    pub name: String,
    pub relation: String,
    pub phone: String,
    pub capacity: Capacity,
}

/// The household-registration place: a county anywhere in China, and street/village when it is
/// in this district.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub county_code: String,
    #[serde(default)]
    pub village_code: Option<String>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MonitoringStatus {
    Monitored,
    LeftMonitoring,
}

impl MonitoringStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MonitoringStatus::Monitored => "monitored",
            MonitoringStatus::LeftMonitoring => "left_monitoring",
        }
    }
    pub fn label(self) -> Text {
        match self {
            MonitoringStatus::Monitored => Text::new("监测中", "Monitored"),
            MonitoringStatus::LeftMonitoring => Text::new("已退出监测", "Left monitoring"),
        }
    }
}

/// What a director or admin enters for a child (create and edit).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildInput {
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    #[serde(default)]
    pub id_number: Option<String>,
    pub registration: Registration,
    /// Village/community code (12 digits) in this district where the child usually lives.
    pub residence_village: String,
    #[serde(default)]
    pub residence_detail: String,
    pub school: String,
    #[serde(default)]
    pub class_name: String,
    pub category: Category,
    pub care_level: CareLevel,
    /// Why the care level is what it is; required when it changes.
    #[serde(default)]
    pub care_level_reason: String,
    #[serde(default)]
    pub guardians: Vec<Guardian>,
    pub father: Parent,
    pub mother: Parent,
    #[serde(default)]
    pub interests: String,
    /// The rest of the national registration form (schema version 2).
    #[serde(default)]
    pub national: NationalDetails,
}

/// The national form's fields that eligibility does not need. Every one may be left empty (a
/// record registered before they existed has none), and the statistics count "not recorded".
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NationalDetails {
    /// GB/T 3304 code, `crate::national::ETHNICITIES`.
    #[serde(default)]
    pub ethnicity: Option<String>,
    /// 是否登记户口.
    #[serde(default)]
    pub hukou_registered: Option<bool>,
    #[serde(default)]
    pub health: Option<crate::national::Health>,
    #[serde(default)]
    pub schooling: Option<crate::national::SchoolStage>,
    #[serde(default)]
    pub boarding: Option<bool>,
    #[serde(default)]
    pub entrusted_guardian: Option<crate::national::EntrustedGuardian>,
    #[serde(default)]
    pub guardianship_type: Option<crate::national::GuardianshipType>,
    #[serde(default)]
    pub income_sources: Vec<crate::national::IncomeSource>,
    #[serde(default)]
    pub assistance: Vec<crate::national::Assistance>,
    /// What "other" assistance is.
    #[serde(default)]
    pub assistance_other: String,
    /// Children-in-difficulty groups, several per child.
    #[serde(default)]
    pub difficulty_groups: Vec<crate::national::DifficultyGroup>,
    #[serde(default)]
    pub signoff: crate::national::Signoff,
}

/// The version of the stored child record's shape. 1: before the national form's fields; 2:
/// with them. Older records read without loss (every new field has a default) and are written
/// at the current version by their next save.
pub const CHILD_SCHEMA_VERSION: u32 = 2;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateChildRequest {
    pub child: ChildInput,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateChildRequest {
    /// The version the edit started from; a stale one is refused with 409.
    pub version: u64,
    pub child: ChildInput,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfirmExitRequest {
    pub version: u64,
    pub reason: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateFlag {
    pub child_id: String,
    pub name: String,
    pub reason: Bilingual,
}

/// Owned bilingual text, for messages built at run time.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bilingual {
    pub zh: String,
    pub en: String,
}

impl Bilingual {
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Zh => &self.zh,
            crate::Lang::En => &self.en,
        }
    }
}

impl From<Text> for Bilingual {
    fn from(text: Text) -> Self {
        Self {
            zh: text.zh.into(),
            en: text.en.into(),
        }
    }
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareLevelChange {
    pub level: CareLevel,
    pub reason: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonitoringExit {
    pub on: NaiveDate,
    pub reason: String,
    pub by: String,
}

/// A child's full record as the API returns it. `id_number` is masked except in an admin's
/// detail view.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRecord {
    pub id: String,
    pub version: u64,
    pub child: ChildInput,
    pub id_number_masked: bool,
    pub eligibility: Eligibility,
    pub status: MonitoringStatus,
    #[serde(default)]
    pub exit: Option<MonitoringExit>,
    pub care_level_history: Vec<CareLevelChange>,
    /// Possible duplicates the reader may see (their own villages, or all for admins).
    #[serde(default)]
    pub duplicates: Vec<DuplicateFlag>,
    /// A possible duplicate exists outside the reader's villages and the district office was
    /// told. That one fact is all the reader learns of it: no name, id, place, reason or count.
    #[serde(default)]
    pub duplicate_elsewhere: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The shape the record was stored in (`CHILD_SCHEMA_VERSION` once saved again).
    #[serde(default = "first_schema")]
    pub schema_version: u32,
}

fn first_schema() -> u32 {
    1
}

/// One line of the registry list.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSummary {
    pub id: String,
    pub name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    #[serde(default)]
    pub id_number_masked: Option<String>,
    pub village_code: String,
    pub school: String,
    pub category: Category,
    pub care_level: CareLevel,
    pub eligible: bool,
    pub status: MonitoringStatus,
    pub possible_duplicate: bool,
}

/// A child on the "to review" list, with why.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub child: ChildSummary,
    pub reasons: Vec<Bilingual>,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveChildResponse {
    pub record: ChildRecord,
}

/// One problem in an import file.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    /// 1-based row in the file, counting the header as row 1.
    pub row: usize,
    pub column: String,
    pub message: String,
    pub message_en: String,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: usize,
    #[serde(default)]
    pub errors: Vec<ImportError>,
    /// Rows that look like children already registered (or like each other); imported, flagged.
    #[serde(default)]
    pub possible_duplicates: Vec<ImportError>,
}

/// Length limits shown in the form before the server refuses.
pub mod limits {
    pub const RESIDENCE_DETAIL_MAX: usize = 100;
    pub const SCHOOL_MAX: usize = 60;
    pub const CLASS_MAX: usize = 20;
    pub const REASON_MAX: usize = 200;
    pub const NOTE_MAX: usize = 200;
    pub const INTERESTS_MAX: usize = 200;
    pub const RELATION_MAX: usize = 10;
    pub const GUARDIANS_MAX: usize = 4;
    pub const ILLNESS_MAX: usize = 60;
    pub const ADDRESS_MAX: usize = 100;
    pub const ASSISTANCE_OTHER_MAX: usize = 60;
    pub const SIGNOFF_NAME_MAX: usize = 20;
    /// The largest import: its rows, and the file's size. The size keeps an XLSX upload,
    /// base64-encoded by API Gateway, inside Lambda's 6 MB request payload (4 MiB × 4/3 ≈
    /// 5.3 MiB plus the event around it); 10,000 rows of the template are about 2.5 MB as CSV.
    pub const IMPORT_MAX_ROWS: usize = 10_000;
    pub const IMPORT_MAX_BYTES: usize = 4 * 1024 * 1024;
}

fn county_exists(code: &str) -> bool {
    crate::divisions::county(code).is_some()
}

impl Parent {
    fn check(&self, who: &str, today: NaiveDate, checker: &mut crate::validate::Checker) -> Parent {
        use crate::validate::text_field;
        let situation = match &self.situation {
            ParentSituation::AtHome { capacity, note } => {
                let field = format!("{who}.note");
                let note = checker
                    .check(text_field(
                        &field,
                        note,
                        limits::NOTE_MAX,
                        *capacity == Capacity::OtherInability,
                    ))
                    .unwrap_or_default();
                ParentSituation::AtHome {
                    capacity: *capacity,
                    note,
                }
            }
            ParentSituation::WorkingAway {
                county_code,
                since,
                note,
            } => {
                if !county_exists(county_code) {
                    checker.check::<()>(Err(crate::FieldError::new(
                        &format!("{who}.county_code"),
                        Text::new(
                            "请选择务工所在的县(区)",
                            "Choose the county where the parent works",
                        ),
                    )));
                }
                if *since > today {
                    checker.check::<()>(Err(crate::FieldError::new(
                        &format!("{who}.since"),
                        Text::new(
                            "外出日期不能晚于今天",
                            "The departure date cannot be in the future",
                        ),
                    )));
                }
                let note = checker
                    .check(text_field(
                        &format!("{who}.note"),
                        note,
                        limits::NOTE_MAX,
                        false,
                    ))
                    .unwrap_or_default();
                ParentSituation::WorkingAway {
                    county_code: county_code.clone(),
                    since: *since,
                    note,
                }
            }
            ParentSituation::Missing { since, note } => {
                if since.is_some_and(|since| since > today) {
                    checker.check::<()>(Err(crate::FieldError::new(
                        &format!("{who}.since"),
                        Text::new("失联日期不能晚于今天", "The date cannot be in the future"),
                    )));
                }
                ParentSituation::Missing {
                    since: *since,
                    note: short_note(checker, who, note),
                }
            }
            ParentSituation::Deceased { note } => ParentSituation::Deceased {
                note: short_note(checker, who, note),
            },
            ParentSituation::Imprisoned { note } => ParentSituation::Imprisoned {
                note: short_note(checker, who, note),
            },
            ParentSituation::DrugRehabilitation { note } => ParentSituation::DrugRehabilitation {
                note: short_note(checker, who, note),
            },
        };
        let phone = match self.phone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => checker
                .check(crate::validate::Phone::parse(&format!("{who}.phone"), raw))
                .map(|phone| phone.as_str().to_string()),
        };
        let name = match self.name.trim() {
            "" => String::new(),
            raw => checker
                .check(crate::validate::PersonName::parse(
                    &format!("{who}.name"),
                    raw,
                ))
                .map(|name| name.as_str().to_string())
                .unwrap_or_default(),
        };
        let oldest = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap_or(NaiveDate::MIN);
        if self
            .birth_date
            .is_some_and(|born| born > today || born < oldest)
        {
            checker.check::<()>(Err(crate::FieldError::new(
                &format!("{who}.birth_date"),
                Text::new("出生日期不正确", "The date of birth is not plausible"),
            )));
        }
        let gender = match who {
            "father" => Some(Gender::Male),
            "mother" => Some(Gender::Female),
            _ => None,
        };
        let id_number = checked_id_number(
            checker,
            &format!("{who}.id_number"),
            self.id_number.as_deref(),
            self.birth_date,
            gender,
        );
        Parent {
            situation,
            phone,
            name,
            birth_date: self.birth_date,
            id_number,
        }
    }
}

fn short_note(checker: &mut crate::validate::Checker, who: &str, note: &str) -> String {
    checker
        .check(crate::validate::text_field(
            &format!("{who}.note"),
            note,
            limits::NOTE_MAX,
            false,
        ))
        .unwrap_or_default()
}

/// An optional ID number: valid, and agreeing with the date of birth and gender when known.
pub(crate) fn checked_id_number(
    checker: &mut crate::validate::Checker,
    field: &str,
    raw: Option<&str>,
    birth_date: Option<NaiveDate>,
    gender: Option<Gender>,
) -> Option<String> {
    let raw = raw.map(str::trim).filter(|raw| !raw.is_empty())?;
    let id = checker.check(crate::id_number::IdNumber::parse(field, raw))?;
    if birth_date.is_some_and(|born| id.birth_date() != Some(born)) {
        checker.check::<()>(Err(crate::FieldError::new(
            field,
            Text::new(
                "身份证号中的出生日期与填写的出生日期不一致",
                "The ID number's date of birth differs from the one entered",
            ),
        )));
    }
    if gender.is_some_and(|gender| id.gender() != gender) {
        checker.check::<()>(Err(crate::FieldError::new(
            field,
            Text::new(
                "身份证号中的性别与父亲或母亲不符",
                "The ID number's gender does not match a father or a mother",
            ),
        )));
    }
    Some(id.as_str().to_string())
}

impl ChildInput {
    /// Checks every field against `today` (Beijing date) and returns the normalised input, or
    /// every problem at once.
    pub fn validate(&self, today: NaiveDate) -> Result<ChildInput, Vec<crate::FieldError>> {
        use crate::validate::{text_field, Checker, PersonName, Phone};
        use crate::FieldError;
        let mut checker = Checker::default();
        let name = checker
            .check(PersonName::parse("name", &self.name))
            .map(|name| name.as_str().to_string())
            .unwrap_or_default();
        let oldest = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN);
        if self.birth_date > today || self.birth_date < oldest {
            checker.check::<()>(Err(FieldError::new(
                "birth_date",
                Text::new("出生日期不正确", "The date of birth is not plausible"),
            )));
        }
        let id_number = match self.id_number.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match checker.check(crate::id_number::IdNumber::parse("id_number", raw)) {
                Some(id) => {
                    if id.birth_date() != Some(self.birth_date) {
                        checker.check::<()>(Err(FieldError::new(
                            "id_number",
                            Text::new(
                                "身份证号中的出生日期与填写的出生日期不一致",
                                "The ID number's date of birth differs from the one entered",
                            ),
                        )));
                    }
                    if id.gender() != self.gender {
                        checker.check::<()>(Err(FieldError::new(
                            "id_number",
                            Text::new(
                                "身份证号中的性别与填写的性别不一致",
                                "The ID number's gender differs from the one entered",
                            ),
                        )));
                    }
                    Some(id.as_str().to_string())
                }
                None => None,
            },
        };
        if !county_exists(&self.registration.county_code) {
            checker.check::<()>(Err(FieldError::new(
                "registration.county_code",
                Text::new(
                    "请选择户籍所在县(区)",
                    "Choose the county of household registration",
                ),
            )));
        }
        let registration_village = match self.registration.village_code.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => {
                if !crate::divisions::is_village(code)
                    || self.registration.county_code != crate::divisions::DISTRICT_CODE
                {
                    checker.check::<()>(Err(FieldError::new(
                        "registration.village_code",
                        Text::new(
                            "户籍村(社区)须为本区的村(社区)",
                            "The registration village must be one of this district's",
                        ),
                    )));
                }
                Some(code.to_string())
            }
        };
        if !crate::divisions::is_village(&self.residence_village) {
            checker.check::<()>(Err(FieldError::new(
                "residence_village",
                Text::new(
                    "请选择常住的村(社区)",
                    "Choose the village or community where the child lives",
                ),
            )));
        }
        let residence_detail = checker
            .check(text_field(
                "residence_detail",
                &self.residence_detail,
                limits::RESIDENCE_DETAIL_MAX,
                false,
            ))
            .unwrap_or_default();
        let school = checker
            .check(text_field("school", &self.school, limits::SCHOOL_MAX, true))
            .unwrap_or_default();
        let class_name = checker
            .check(text_field(
                "class_name",
                &self.class_name,
                limits::CLASS_MAX,
                false,
            ))
            .unwrap_or_default();
        let care_level_reason = checker
            .check(text_field(
                "care_level_reason",
                &self.care_level_reason,
                limits::REASON_MAX,
                false,
            ))
            .unwrap_or_default();
        if self.guardians.len() > limits::GUARDIANS_MAX {
            checker.check::<()>(Err(FieldError::new(
                "guardians",
                Text::new("最多填写 4 位监护人", "At most 4 guardians"),
            )));
        }
        let guardians = self
            .guardians
            .iter()
            .take(limits::GUARDIANS_MAX)
            .enumerate()
            .map(|(i, guardian)| Guardian {
                name: checker
                    .check(PersonName::parse(
                        &format!("guardians[{i}].name"),
                        &guardian.name,
                    ))
                    .map(|name| name.as_str().to_string())
                    .unwrap_or_default(),
                relation: checker
                    .check(text_field(
                        &format!("guardians[{i}].relation"),
                        &guardian.relation,
                        limits::RELATION_MAX,
                        true,
                    ))
                    .unwrap_or_default(),
                phone: checker
                    .check(Phone::parse(
                        &format!("guardians[{i}].phone"),
                        &guardian.phone,
                    ))
                    .map(|phone| phone.as_str().to_string())
                    .unwrap_or_default(),
                capacity: guardian.capacity,
            })
            .collect();
        let father = self.father.check("father", today, &mut checker);
        let mother = self.mother.check("mother", today, &mut checker);
        let interests = checker
            .check(text_field(
                "interests",
                &self.interests,
                limits::INTERESTS_MAX,
                false,
            ))
            .unwrap_or_default();
        let national = self.national.check(&mut checker);
        checker.finish()?;
        Ok(ChildInput {
            name,
            gender: self.gender,
            birth_date: self.birth_date,
            id_number,
            registration: Registration {
                county_code: self.registration.county_code.clone(),
                village_code: registration_village,
            },
            residence_village: self.residence_village.clone(),
            residence_detail,
            school,
            class_name,
            category: self.category,
            care_level: self.care_level,
            care_level_reason,
            guardians,
            father,
            mother,
            interests,
            national,
        })
    }

    /// Every ID number the record holds (the child's, the parents', the entrusted guardian's),
    /// for masking and for keeping a masked one unchanged on edit.
    pub fn id_numbers_mut(&mut self) -> Vec<&mut Option<String>> {
        let mut all = vec![
            &mut self.id_number,
            &mut self.father.id_number,
            &mut self.mother.id_number,
        ];
        if let Some(guardian) = self.national.entrusted_guardian.as_mut() {
            all.push(&mut guardian.id_number);
        }
        all
    }

    /// The eligibility rule applied to this input.
    pub fn eligibility(
        &self,
        on: NaiveDate,
        core: &crate::eligibility::CoreDistricts,
    ) -> Eligibility {
        crate::eligibility::evaluate(
            &crate::eligibility::EligibilityInput {
                birth_date: self.birth_date,
                home_county: crate::divisions::DISTRICT_CODE,
                resides_here: crate::divisions::is_village(&self.residence_village),
                father: &self.father.situation,
                mother: &self.mother.situation,
            },
            on,
            core,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> ChildInput {
        ChildInput {
            name: "李小明".into(),
            gender: Gender::Male,
            birth_date: "2015-06-01".parse().unwrap(),
            id_number: Some(crate::id_number::make("33030320150601001")),
            registration: Registration {
                county_code: "330303".into(),
                village_code: Some("330303001004".into()),
            },
            residence_village: "330303001004".into(),
            residence_detail: "3组12号".into(),
            school: "龙湾区永中第一小学".into(),
            class_name: "五(2)班".into(),
            category: Category::LeftBehind,
            care_level: CareLevel::Routine,
            care_level_reason: String::new(),
            guardians: vec![Guardian {
                name: "李奶奶".into(),
                relation: "祖母".into(),
                phone: "13800001111".into(),
                capacity: Capacity::Capable,
            }],
            father: Parent {
                situation: ParentSituation::WorkingAway {
                    county_code: "440106".into(),
                    since: "2024-03-01".parse().unwrap(),
                    note: "每年春节回家".into(),
                },
                phone: None,
                ..Parent::new(
                    ParentSituation::Deceased {
                        note: String::new(),
                    },
                    None,
                )
            },
            mother: Parent {
                situation: ParentSituation::WorkingAway {
                    county_code: "330381".into(),
                    since: "2024-03-01".parse().unwrap(),
                    note: String::new(),
                },
                phone: Some("13900002222".into()),
                name: "李母".into(),
                birth_date: Some("1990-05-05".parse().unwrap()),
                id_number: Some(crate::id_number::make("33030319900505002")),
            },
            interests: "画画、足球".into(),
            national: NationalDetails::default(),
        }
    }

    #[test]
    fn a_complete_record_validates_and_is_eligible() {
        let today = "2026-11-29".parse().unwrap();
        let child = sample().validate(today).unwrap();
        assert!(child.eligibility(today, &Default::default()).eligible);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let today = "2026-11-29".parse().unwrap();
        let mut child = sample();
        child.name = String::new();
        child.gender = Gender::Female; // the ID number says male
        child.residence_village = "110101001001".into();
        child.school = " ".into();
        child.guardians[0].phone = "123".into();
        child.father.situation = ParentSituation::AtHome {
            capacity: Capacity::OtherInability,
            note: String::new(),
        };
        let errors = child.validate(today).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "id_number",
                "residence_village",
                "school",
                "guardians[0].phone",
                "father.note"
            ]
        );
    }
}
