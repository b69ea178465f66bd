//! The visit register (走访登记表): what a children's director records on a visit, when the next
//! one is due, and what the district office counts.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::{Quarter, WorkCalendar};
use crate::children::CareLevel;
use crate::error::FieldError;
use crate::i18n::Text;
use crate::validate::{text_field, Checker};

labelled_enum!(VisitMode {
    HomeVisit = "home_visit", "入户走访", "Home visit";
    SchoolVisit = "school_visit", "到校走访", "School visit";
    Phone = "phone", "电话回访", "Phone call";
    Video = "video", "视频通话", "Video call";
});

labelled_enum!(MetWith {
    Child = "child", "儿童本人", "The child";
    Guardian = "guardian", "监护人", "Guardian";
    ParentByPhone = "parent_by_phone", "父母(电话)", "Parent by phone";
    Teacher = "teacher", "老师", "Teacher";
    Other = "other", "其他人", "Someone else";
});

labelled_enum!(Guardianship {
    Good = "good", "较好", "Good";
    Fair = "fair", "一般", "Fair";
    Poor = "poor", "差", "Poor";
    NoGuardian = "no_guardian", "无人监护", "No one looks after the child";
});

impl Guardianship {
    /// The national definitions, shown as help text beside the choice.
    pub fn definition(self) -> Text {
        match self {
            Guardianship::Good => Text::new(
                "监护人身体健康、有监护能力,能照料儿童生活、关注学习和情绪。",
                "The guardian is healthy and able, and looks after the child's daily life, schooling and feelings.",
            ),
            Guardianship::Fair => Text::new(
                "监护人能照料基本生活,但对学习、安全或情绪关注不足。",
                "The guardian covers daily needs but gives little attention to schooling, safety or feelings.",
            ),
            Guardianship::Poor => Text::new(
                "监护人年老体弱、患病或能力不足,难以履行监护职责。",
                "The guardian is frail, ill or otherwise hardly able to act as guardian.",
            ),
            Guardianship::NoGuardian => Text::new(
                "实际无人照料,儿童独自生活或由未成年人照料。",
                "Nobody actually looks after the child: they live alone or with other minors.",
            ),
        }
    }
}

labelled_enum!(Health {
    Healthy = "healthy", "健康", "Healthy";
    Ill = "ill", "患病", "Ill";
    Disabled = "disabled", "残疾", "Disabled";
});

labelled_enum!(Schooling {
    InSchool = "in_school", "在校(走读)", "In school";
    Boarding = "boarding", "在校寄宿", "Boarding";
    DroppedOut = "dropped_out", "辍学", "Dropped out";
    NotInSchool = "not_in_school", "未入学", "Not in school";
});

labelled_enum!(Emotion {
    Stable = "stable", "情绪稳定", "Stable";
    Low = "low", "情绪低落", "Low";
    Anxious = "anxious", "焦虑紧张", "Anxious";
    Withdrawn = "withdrawn", "孤僻少言", "Withdrawn";
    Agitated = "agitated", "易怒冲动", "Agitated";
});

labelled_enum!(Assistance {
    Dibao = "dibao", "低保", "Minimum living allowance (低保)";
    TemporaryRelief = "temporary_relief", "临时救助", "Temporary relief";
    MedicalAid = "medical_aid", "医疗救助", "Medical aid";
    HousingAid = "housing_aid", "住房救助", "Housing aid";
    Other = "other", "其他", "Other";
});

pub mod limits {
    pub const NOTE_MAX: usize = 500;
    pub const SHORT_MAX: usize = 200;
    /// A visit may be recorded up to this many days after it happened.
    pub const BACKDATE_DAYS: i64 = 90;
}

/// A visit as the director records it. `client_id` is made on the phone (a ULID) and is the
/// visit's id: sending the same visit twice (a retry, a double tap) stores it once.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitInput {
    pub client_id: String,
    pub child_id: String,
    pub visited_at: DateTime<Utc>,
    pub mode: VisitMode,
    pub met_with: Vec<MetWith>,
    pub guardianship: Guardianship,
    /// Whether an entrusted guardian (委托监护人) exists, and whether they are capable.
    pub entrusted_guardian: bool,
    #[serde(default)]
    pub entrusted_guardian_capable: Option<bool>,
    pub health: Health,
    #[serde(default)]
    pub health_note: String,
    pub schooling: Schooling,
    pub emotion: Emotion,
    /// Concerns found: safety at home, phone/internet overuse, bullying or violence suspected.
    #[serde(default)]
    pub unsafe_at_home: bool,
    #[serde(default)]
    pub device_overuse: bool,
    #[serde(default)]
    pub bullying_or_violence: bool,
    #[serde(default)]
    pub income_sources: String,
    #[serde(default)]
    pub assistance: Vec<Assistance>,
    #[serde(default)]
    pub needs: String,
    #[serde(default)]
    pub problems_found: String,
    #[serde(default)]
    pub action_taken: String,
    #[serde(default)]
    pub follow_up: String,
    #[serde(default)]
    pub follow_up_by: Option<NaiveDate>,
    /// A change of care level the director applies (within their scope), with why.
    #[serde(default)]
    pub proposed_level: Option<CareLevel>,
    #[serde(default)]
    pub level_reason: String,
    /// The visit this one corrects (visits are never edited).
    #[serde(default)]
    pub corrects: Option<String>,
    /// The version of the child's record the form was filled against (offline, it may be
    /// days old): when the record has changed since, the visit is still stored and the director
    /// is told.
    #[serde(default)]
    pub child_version: Option<u64>,
}

fn is_record_id(value: &str) -> bool {
    value.len() == 26
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

impl VisitInput {
    /// `now` is the server's clock: a visit is not in the future nor older than 90 days.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<VisitInput, Vec<FieldError>> {
        let mut checker = Checker::default();
        if !is_record_id(&self.client_id) {
            checker.check::<()>(Err(FieldError::new(
                "client_id",
                Text::new(
                    "走访编号无效,请刷新后重填",
                    "The visit id is not valid; reload and try again",
                ),
            )));
        }
        if !is_record_id(&self.child_id) {
            checker.check::<()>(Err(FieldError::new(
                "child_id",
                Text::new("请选择走访的儿童", "Choose the child visited"),
            )));
        }
        if self.visited_at > now + chrono::Duration::minutes(10) {
            checker.check::<()>(Err(FieldError::new(
                "visited_at",
                Text::new("走访时间不能晚于现在", "The visit cannot be in the future"),
            )));
        } else if self.visited_at < now - chrono::Duration::days(limits::BACKDATE_DAYS) {
            checker.check::<()>(Err(FieldError::new(
                "visited_at",
                Text::new(
                    "只能登记 90 天内的走访",
                    "Only visits of the last 90 days can be recorded",
                ),
            )));
        }
        if self.met_with.is_empty() {
            checker.check::<()>(Err(FieldError::new(
                "met_with",
                Text::new("请选择见到了谁", "Say whom you met"),
            )));
        }
        if self.entrusted_guardian && self.entrusted_guardian_capable.is_none() {
            checker.check::<()>(Err(FieldError::new(
                "entrusted_guardian_capable",
                Text::new(
                    "请说明委托监护人是否有能力照料",
                    "Say whether the entrusted guardian is able to care for the child",
                ),
            )));
        }
        let health_note = checker.check(text_field(
            "health_note",
            &self.health_note,
            limits::SHORT_MAX,
            self.health != Health::Healthy,
        ));
        let income = checker.check(text_field(
            "income_sources",
            &self.income_sources,
            limits::SHORT_MAX,
            false,
        ));
        let needs = checker.check(text_field("needs", &self.needs, limits::NOTE_MAX, false));
        let problems = checker.check(text_field(
            "problems_found",
            &self.problems_found,
            limits::NOTE_MAX,
            false,
        ));
        let action = checker.check(text_field(
            "action_taken",
            &self.action_taken,
            limits::NOTE_MAX,
            false,
        ));
        let follow_up = checker.check(text_field(
            "follow_up",
            &self.follow_up,
            limits::NOTE_MAX,
            self.follow_up_by.is_some(),
        ));
        let today = crate::time::beijing_date(now);
        if let Some(by) = self.follow_up_by {
            if by < today || by > today + chrono::Duration::days(366) {
                checker.check::<()>(Err(FieldError::new(
                    "follow_up_by",
                    Text::new(
                        "跟进日期应在今天到一年之内",
                        "The follow-up date must be between today and a year from now",
                    ),
                )));
            }
        }
        let level_reason = checker.check(text_field(
            "level_reason",
            &self.level_reason,
            limits::SHORT_MAX,
            self.proposed_level.is_some(),
        ));
        if let Some(corrects) = &self.corrects {
            if !is_record_id(corrects) {
                checker.check::<()>(Err(FieldError::new(
                    "corrects",
                    Text::new(
                        "更正的走访记录无效",
                        "The visit being corrected is not valid",
                    ),
                )));
            }
        }
        checker.finish()?;
        let mut met_with = self.met_with.clone();
        met_with.sort_by_key(|who| who.as_str());
        met_with.dedup();
        let mut assistance = self.assistance.clone();
        assistance.sort_by_key(|kind| kind.as_str());
        assistance.dedup();
        Ok(VisitInput {
            met_with,
            assistance,
            entrusted_guardian_capable: self
                .entrusted_guardian
                .then_some(self.entrusted_guardian_capable)
                .flatten(),
            health_note: health_note.unwrap_or_default(),
            income_sources: income.unwrap_or_default(),
            needs: needs.unwrap_or_default(),
            problems_found: problems.unwrap_or_default(),
            action_taken: action.unwrap_or_default(),
            follow_up: follow_up.unwrap_or_default(),
            level_reason: level_reason.unwrap_or_default(),
            ..self.clone()
        })
    }

    /// Whether the visit found something the district office should look at.
    pub fn raises_concern(&self) -> bool {
        self.unsafe_at_home
            || self.bullying_or_violence
            || self.guardianship == Guardianship::NoGuardian
            || self.schooling == Schooling::DroppedOut
    }
}

/// A stored visit (append-only). `id` is the client id it was sent with.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitRecord {
    pub id: String,
    pub visit: VisitInput,
    pub child_name: String,
    pub village_code: String,
    pub director_id: String,
    pub director_name: String,
    pub recorded_at: DateTime<Utc>,
}

/// What the server answers to a sent visit.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSaved {
    pub visit: VisitRecord,
    /// This visit (its client id) had been stored before: a retry or a double tap.
    pub already_stored: bool,
    /// The care level it proposed was applied to the child's record.
    pub level_applied: bool,
    /// The child's record changed after the form was filled.
    pub child_changed: bool,
}

/// What a case group's members see of a visit: when, how, and the problems and needs found.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSummary {
    pub id: String,
    pub visited_at: DateTime<Utc>,
    pub mode: VisitMode,
    pub director_name: String,
    pub problems_found: String,
    pub needs: String,
}

impl VisitRecord {
    pub fn summary(&self) -> VisitSummary {
        VisitSummary {
            id: self.id.clone(),
            visited_at: self.visit.visited_at,
            mode: self.visit.mode,
            director_name: self.director_name.clone(),
            problems_found: self.visit.problems_found.clone(),
            needs: self.visit.needs.clone(),
        }
    }
}

/// How often each care level is visited, in months, and the calendar of working days.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitSettings {
    pub urgent_months: u32,
    pub focus_months: u32,
    pub routine_months: u32,
    /// A newly registered child's first visit is due within this many working days.
    pub first_visit_working_days: u32,
    #[serde(default)]
    pub calendar: WorkCalendar,
}

impl Default for VisitSettings {
    fn default() -> Self {
        Self {
            urgent_months: 1,
            focus_months: 2,
            routine_months: 3,
            first_visit_working_days: 5,
            calendar: WorkCalendar::default(),
        }
    }
}

impl VisitSettings {
    pub fn validate(&self) -> Result<VisitSettings, Vec<FieldError>> {
        let mut checker = Checker::default();
        for (field, months) in [
            ("urgent_months", self.urgent_months),
            ("focus_months", self.focus_months),
            ("routine_months", self.routine_months),
        ] {
            if !(1..=12).contains(&months) {
                checker.check::<()>(Err(FieldError::new(
                    field,
                    Text::new(
                        "间隔应为 1 到 12 个月",
                        "The interval must be 1 to 12 months",
                    ),
                )));
            }
        }
        if !(1..=30).contains(&self.first_visit_working_days) {
            checker.check::<()>(Err(FieldError::new(
                "first_visit_working_days",
                Text::new("应为 1 到 30 个工作日", "Must be 1 to 30 working days"),
            )));
        }
        if self.calendar.holidays.len() + self.calendar.make_up_days.len() > 400 {
            checker.check::<()>(Err(FieldError::new(
                "calendar",
                Text::new("节假日和调休日期太多", "Too many holidays and make-up days"),
            )));
        }
        checker.finish()?;
        Ok(self.clone())
    }

    pub fn interval_months(&self, level: CareLevel) -> u32 {
        match level {
            CareLevel::Urgent => self.urgent_months,
            CareLevel::Focus => self.focus_months,
            CareLevel::Routine => self.routine_months,
        }
    }

    /// When the next visit is due: an interval (by care level) after the last visit, or — for
    /// a child never visited — within the first-visit working days of registration.
    pub fn next_due(
        &self,
        level: CareLevel,
        last_visit: Option<NaiveDate>,
        registered_on: NaiveDate,
    ) -> NaiveDate {
        match last_visit {
            Some(last) => last
                .checked_add_months(Months::new(self.interval_months(level)))
                .unwrap_or(last),
            None => self
                .calendar
                .add_working_days(registered_on, self.first_visit_working_days),
        }
    }
}

labelled_enum!(DueState {
    Overdue = "overdue", "已逾期", "Overdue";
    ThisWeek = "this_week", "本周到期", "Due this week";
    ThisQuarter = "this_quarter", "本季度到期", "Due this quarter";
    Later = "later", "以后", "Later";
});

impl DueState {
    pub fn of(due: NaiveDate, today: NaiveDate) -> Self {
        let week_end = crate::calendar::week_start(today) + chrono::Duration::days(6);
        if due < today {
            DueState::Overdue
        } else if due <= week_end {
            DueState::ThisWeek
        } else if Quarter::of(today).contains(due) {
            DueState::ThisQuarter
        } else {
            DueState::Later
        }
    }
}

/// One child on a director's visit list: the fields the visit form needs, and when the next
/// visit is due.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueVisit {
    pub child_id: String,
    /// The record's version now: a visit filled from this list says which version it saw.
    #[serde(default)]
    pub child_version: u64,
    pub child_name: String,
    pub village_code: String,
    pub care_level: CareLevel,
    pub guardian: String,
    pub address: String,
    pub last_visit: Option<NaiveDate>,
    pub due: NaiveDate,
    pub state: DueState,
    /// Never visited yet (the first visit within 5 working days of registration).
    pub first_visit: bool,
}

/// A director's (or the district's) visits to make, most urgent first.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitPlan {
    pub today: NaiveDate,
    pub quarter: Quarter,
    pub children: Vec<DueVisit>,
}

/// One row of the compliance report: a street, a village or a director.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComplianceRow {
    pub key: String,
    pub name: String,
    /// Monitored children in scope.
    pub children: u32,
    /// Children visited at least once this quarter.
    pub visited: u32,
    /// Visits recorded this quarter.
    pub visits: u32,
    /// Children whose next visit falls due by the quarter's end and who have not had it yet.
    pub due: u32,
    pub overdue: u32,
    pub never_visited: u32,
    /// First visits made later than the allowed working days (this quarter).
    pub late_first_visits: u32,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarterTrend {
    pub quarter: Quarter,
    pub visits: u32,
    pub children_visited: u32,
}

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    pub quarter: Quarter,
    pub total: ComplianceRow,
    pub by_street: Vec<ComplianceRow>,
    pub by_village: Vec<ComplianceRow>,
    pub by_director: Vec<ComplianceRow>,
    /// Children never visited, by name (the office follows them up).
    pub never_visited: Vec<DueVisit>,
    /// The last four quarters, oldest first.
    pub trend: Vec<QuarterTrend>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_next_visit_follows_the_care_level_or_the_first_visit_rule() {
        let settings = VisitSettings::default();
        let cases = [
            (CareLevel::Urgent, Some(d(2026, 11, 30)), d(2026, 12, 30)),
            (CareLevel::Focus, Some(d(2026, 12, 31)), d(2027, 2, 28)),
            (CareLevel::Routine, Some(d(2026, 11, 30)), d(2027, 2, 28)),
            // Registered on Friday 27 Nov 2026, never visited: 5 working days → Fri 4 Dec.
            (CareLevel::Routine, None, d(2026, 12, 4)),
        ];
        for (level, last, due) in cases {
            assert_eq!(
                settings.next_due(level, last, d(2026, 11, 27)),
                due,
                "{level:?} {last:?}"
            );
        }
    }

    #[test]
    fn due_states_follow_the_week_and_the_quarter() {
        let today = d(2026, 11, 30); // a Monday
        assert_eq!(DueState::of(d(2026, 11, 29), today), DueState::Overdue);
        assert_eq!(DueState::of(d(2026, 12, 6), today), DueState::ThisWeek);
        assert_eq!(DueState::of(d(2026, 12, 31), today), DueState::ThisQuarter);
        assert_eq!(DueState::of(d(2027, 1, 1), today), DueState::Later);
    }
}
