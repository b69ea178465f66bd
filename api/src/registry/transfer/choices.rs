//! Choices as cells: written in the national form's wording, read back from that wording, the
//! portal's codes, or the few other words spreadsheets commonly use.

use chrono::NaiveDate;
use shared::children::{Capacity, CareLevel, Category, Gender};
use shared::national::{
    Assistance, DifficultyGroup, DisabilityCategory, DisabilityGrade, GuardianshipType,
    HealthStatus, IncomeSource, SchoolStage,
};

/// One choice of a list the form offers.
pub(super) trait Choice: Copy + PartialEq + 'static {
    fn all() -> &'static [Self];
    /// The portal's code (`working_away`, `dibao` …).
    fn code(self) -> &'static str;
    /// The form's wording, which is what files are written in.
    fn wording(self) -> &'static str;
    /// Other words people write for it.
    fn aliases(self) -> &'static [&'static str] {
        &[]
    }
}

macro_rules! form_choice {
    ($($name:ident),+) => {$(
        impl Choice for $name {
            fn all() -> &'static [Self] {
                $name::ALL
            }
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn wording(self) -> &'static str {
                self.label().zh
            }
        }
    )+};
}

form_choice!(
    HealthStatus,
    DisabilityCategory,
    SchoolStage,
    GuardianshipType,
    IncomeSource,
    Assistance,
    DifficultyGroup
);

impl Choice for DisabilityGrade {
    fn all() -> &'static [Self] {
        DisabilityGrade::ALL
    }
    fn code(self) -> &'static str {
        self.as_str()
    }
    fn wording(self) -> &'static str {
        self.label().zh
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            DisabilityGrade::First => &["1", "1级", "一"],
            DisabilityGrade::Second => &["2", "2级", "二"],
            DisabilityGrade::Third => &["3", "3级", "三"],
            DisabilityGrade::Fourth => &["4", "4级", "四"],
        }
    }
}

impl Choice for Gender {
    fn all() -> &'static [Self] {
        &[Gender::Male, Gender::Female]
    }
    fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
    fn wording(self) -> &'static str {
        self.label().zh
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Gender::Male => &["M", "男性"],
            Gender::Female => &["F", "女性"],
        }
    }
}

impl Choice for Category {
    fn all() -> &'static [Self] {
        &Category::ALL
    }
    fn code(self) -> &'static str {
        self.as_str()
    }
    fn wording(self) -> &'static str {
        self.label().zh
    }
}

impl Choice for CareLevel {
    fn all() -> &'static [Self] {
        &CareLevel::ALL
    }
    fn code(self) -> &'static str {
        self.as_str()
    }
    fn wording(self) -> &'static str {
        self.label().zh
    }
    fn aliases(self) -> &'static [&'static str] {
        // The portal's first template wrote the short forms.
        match self {
            CareLevel::Routine => &["常规"],
            CareLevel::Focus => &["重点"],
            CareLevel::Urgent => &["紧急"],
        }
    }
}

impl Choice for Capacity {
    fn all() -> &'static [Self] {
        &Capacity::ALL
    }
    fn code(self) -> &'static str {
        self.as_str()
    }
    fn wording(self) -> &'static str {
        self.label().zh
    }
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Capacity::Capable => &["有"],
            Capacity::OtherInability => &["其他", "其他原因"],
            _ => &[],
        }
    }
}

/// A parent's situation as the form words it: (code, wording). The wording is
/// `ParentSituation::kind_label().zh` (a test holds them together).
pub(super) const SITUATIONS: [(&str, &str); 6] = [
    ("at_home", "在家"),
    ("working_away", "外出务工"),
    ("deceased", "死亡"),
    ("missing", "失联"),
    ("imprisoned", "服刑"),
    ("drug_rehabilitation", "强制隔离戒毒"),
];

/// Other words people write for a situation.
fn situation_aliases(code: &str) -> &'static [&'static str] {
    match code {
        "at_home" => &["home"],
        "working_away" => &["外出", "away"],
        "deceased" => &["去世", "已故"],
        "imprisoned" => &["服刑中"],
        "drug_rehabilitation" => &["戒毒"],
        _ => &[],
    }
}

/// The situation's code for a cell, `None` when it names none.
pub(super) fn situation_code(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    SITUATIONS
        .iter()
        .find(|(code, wording)| {
            code.eq_ignore_ascii_case(raw)
                || *wording == raw
                || situation_aliases(code).contains(&raw)
        })
        .map(|(code, _)| *code)
}

pub(super) fn situation_error() -> (String, String) {
    let words: Vec<&str> = SITUATIONS.iter().map(|(_, wording)| *wording).collect();
    (
        format!("应为:{}", words.join("、")),
        format!("Use one of: {}", words.join(", ")),
    )
}

pub(super) fn parse_choice<T: Choice>(raw: &str) -> Option<T> {
    let raw = raw.trim();
    T::all().iter().copied().find(|item| {
        item.wording() == raw
            || item.code().eq_ignore_ascii_case(raw)
            || item.aliases().contains(&raw)
    })
}

/// The message for a cell that is none of `T`'s choices, in both languages.
pub(super) fn choice_error<T: Choice>() -> (String, String) {
    let words: Vec<&str> = T::all().iter().map(|item| item.wording()).collect();
    (
        format!("应为:{}", words.join("、")),
        format!("Use one of: {} (or the portal's codes)", words.join(", ")),
    )
}

/// Several choices in one cell, as the form writes them: "低保、临时救助". Commas, semicolons
/// and spaces separate them too. `Err` holds the first part that is no choice.
pub(super) fn parse_choices<T: Choice>(raw: &str) -> Result<Vec<T>, String> {
    let separator =
        |c: char| matches!(c, '、' | ',' | '\u{ff0c}' | ';' | '\u{ff1b}') || c.is_whitespace();
    let mut chosen = Vec::new();
    for part in raw.split(separator).filter(|part| !part.is_empty()) {
        match parse_choice::<T>(part) {
            Some(item) if !chosen.contains(&item) => chosen.push(item),
            Some(_) => {}
            None => return Err(part.to_string()),
        }
    }
    Ok(chosen)
}

/// The cell of one optional choice.
pub(super) fn wording<T: Choice>(choice: Option<T>) -> String {
    choice
        .map(|item| item.wording().to_string())
        .unwrap_or_default()
}

/// The cell of several choices.
pub(super) fn joined<T: Choice>(chosen: &[T]) -> String {
    chosen
        .iter()
        .map(|item| item.wording())
        .collect::<Vec<_>>()
        .join("、")
}

pub(super) fn yes_no(value: Option<bool>) -> String {
    match value {
        Some(true) => "是".into(),
        Some(false) => "否".into(),
        None => String::new(),
    }
}

/// 是/否 (or yes/no, true/false); `None` for anything else.
pub(super) fn parse_yes_no(raw: &str) -> Option<bool> {
    let raw = raw.trim();
    if raw == "是"
        || ["yes", "y", "true"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(raw))
    {
        Some(true)
    } else if raw == "否"
        || ["no", "n", "false"]
            .iter()
            .any(|w| w.eq_ignore_ascii_case(raw))
    {
        Some(false)
    } else {
        None
    }
}

/// "2016-03-15" and the ways spreadsheets write it: 2016/3/15, 2016.3.15, 2016年3月15日,
/// 20160315.
pub(super) fn parse_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(&dashed(raw), "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(raw, "%Y%m%d").ok())
}

/// A date, or a month (the form asks when a parent left, which people often give as 2024年2月):
/// a month is read as its first day.
pub(super) fn parse_date_or_month(raw: &str) -> Option<NaiveDate> {
    parse_date(raw).or_else(|| {
        let month = dashed(raw.trim());
        NaiveDate::parse_from_str(&format!("{month}-1"), "%Y-%m-%d").ok()
    })
}

fn dashed(raw: &str) -> String {
    raw.replace(['/', '.', '年', '月'], "-")
        .trim_end_matches(['日', '-'])
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::eligibility::ParentSituation;

    #[test]
    fn the_situations_words_are_the_records_labels() {
        let note = String::new;
        let all = [
            ParentSituation::AtHome {
                capacity: Capacity::Capable,
                note: note(),
            },
            ParentSituation::WorkingAway {
                county_code: "440106".into(),
                since: NaiveDate::default(),
                note: note(),
            },
            ParentSituation::Deceased { note: note() },
            ParentSituation::Missing {
                since: None,
                note: note(),
            },
            ParentSituation::Imprisoned { note: note() },
            ParentSituation::DrugRehabilitation { note: note() },
        ];
        for situation in all {
            assert_eq!(
                situation_code(situation.kind_label().zh),
                Some(situation.kind())
            );
            assert_eq!(situation_code(situation.kind()), Some(situation.kind()));
        }
    }

    #[test]
    fn choices_read_the_forms_wording_codes_and_lists() {
        assert_eq!(parse_choice("残疾"), Some(HealthStatus::Disabled));
        assert_eq!(parse_choice("disabled"), Some(HealthStatus::Disabled));
        assert_eq!(parse_choice("2级"), Some(DisabilityGrade::Second));
        assert_eq!(parse_choice("常规"), Some(CareLevel::Routine));
        assert_eq!(parse_choice::<SchoolStage>("大学"), None);
        assert_eq!(
            parse_choices("低保、临时救助, dibao"),
            Ok(vec![Assistance::Dibao, Assistance::TemporaryRelief])
        );
        assert_eq!(
            parse_choices::<IncomeSource>("务工收入、彩票"),
            Err("彩票".to_string())
        );
        assert_eq!(parse_yes_no("是"), Some(true));
        assert_eq!(parse_yes_no("No"), Some(false));
        assert_eq!(parse_yes_no("也许"), None);
    }

    #[test]
    fn dates_in_the_ways_spreadsheets_write_them() {
        let day = NaiveDate::from_ymd_opt(2016, 3, 15);
        for raw in [
            "2016-03-15",
            "2016/3/15",
            "2016.03.15",
            "2016年3月15日",
            "20160315",
        ] {
            assert_eq!(parse_date(raw), day, "{raw}");
        }
        assert_eq!(parse_date("2016-02-30"), None);
        assert_eq!(
            parse_date_or_month("2024年2月"),
            NaiveDate::from_ymd_opt(2024, 2, 1)
        );
        assert_eq!(parse_date_or_month("2024-02-30"), None);
    }
}
