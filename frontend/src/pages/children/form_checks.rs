//! The child form's checks before sending, with the server's field names, so the error
//! summary links to the right field whichever side found the problem.

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::children::{limits, Capacity, CareLevel, ChildInput};
use shared::validate::{text_field, PersonName, Phone};
use shared::{FieldError, Lang, Text};

use super::form_national_checks::check_national;
use super::form_parent_state::{
    ParentForm, Who, AWAY, DECEASED, FATHER, HOME, IMPRISONED, MISSING, MOTHER, REHABILITATION,
};
use super::form_state::{parse_care_level, parse_category, parse_gender, ChildForm};

/// The earliest date of birth the form takes: 18 years ago (a child), or the recorded one
/// when an older record is edited (never before the server's 1990 limit).
pub fn birth_min(today: NaiveDate, recorded: Option<NaiveDate>) -> NaiveDate {
    let eighteen = today
        .checked_sub_months(chrono::Months::new(18 * 12))
        .unwrap_or(today);
    let floor = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN);
    match recorded {
        Some(recorded) if recorded < eighteen => recorded.max(floor),
        _ => eighteen,
    }
}

/// No parent left before 2000 in a record kept today.
pub fn since_min() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The earliest date the form offers for a parent going missing: the server's earliest date of
/// birth of a child (the server itself takes any date up to today).
pub fn missing_min() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The server's earliest date of birth of a parent.
pub fn parent_birth_min() -> NaiveDate {
    NaiveDate::from_ymd_opt(1930, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The input as the browser can check it with the shared rules: a masked ID number left as it
/// was stands for the stored one, which only the server knows, so it is left out here (the
/// checks above already refused a masked number that was changed).
pub fn without_masked(input: &ChildInput) -> ChildInput {
    let mut copy = input.clone();
    for id_number in copy.id_numbers_mut() {
        if id_number
            .as_deref()
            .is_some_and(|value| value.contains('*'))
        {
            *id_number = None;
        }
    }
    copy
}

fn error(field: &str, zh: &'static str, en: &'static str) -> FieldError {
    FieldError::new(field, Text::new(zh, en))
}

/// A required date within `min..=max`; `what` names it in both languages.
pub fn check_date(
    field: &str,
    raw: &str,
    min: NaiveDate,
    max: NaiveDate,
    what: (&str, &str),
) -> Result<NaiveDate, FieldError> {
    let (zh, en) = what;
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldError::new_owned(
            field,
            format!("请填写{zh}"),
            format!("Enter the {en}"),
        ));
    }
    let Ok(date) = raw.parse::<NaiveDate>() else {
        return Err(FieldError::new_owned(
            field,
            format!("{zh}不是有效的日期"),
            format!("The {en} is not a real date"),
        ));
    };
    if date > max {
        return Err(FieldError::new_owned(
            field,
            format!("{zh}不能晚于{}", shared::time::format_date(max, Lang::Zh)),
            format!(
                "The {en} cannot be after {}",
                shared::time::format_date(max, Lang::En)
            ),
        ));
    }
    if date < min {
        return Err(FieldError::new_owned(
            field,
            format!("{zh}不能早于{}", shared::time::format_date(min, Lang::Zh)),
            format!(
                "The {en} cannot be before {}",
                shared::time::format_date(min, Lang::En)
            ),
        ));
    }
    Ok(date)
}

/// An optional date: fine when empty, else within `min..=max`.
fn check_optional_date(
    field: &str,
    raw: &str,
    min: NaiveDate,
    max: NaiveDate,
    what: (&str, &str),
    out: &mut Vec<FieldError>,
) {
    if raw.trim().is_empty() {
        return;
    }
    if let Err(problem) = check_date(field, raw, min, max, what) {
        out.push(problem);
    }
}

fn check_parent(who: Who, parent: &ParentForm, today: NaiveDate, out: &mut Vec<FieldError>) {
    let (zh, en) = (who.zh, who.en.to_lowercase());
    let name = parent.name.get_untracked();
    if !name.trim().is_empty() {
        if let Err(problem) = PersonName::parse(who.name_field, &name) {
            out.push(problem);
        }
    }
    match parent.situation.get_untracked().as_str() {
        AWAY => {
            if parent.county.get_untracked().is_empty() {
                out.push(FieldError::new_owned(
                    who.county_field,
                    format!("请选择{zh}务工所在的县(区)"),
                    format!("Choose the county where the {en} works"),
                ));
            }
            if let Err(problem) = check_date(
                who.since_field,
                &parent.since.get_untracked(),
                since_min(),
                today,
                ("外出日期", "date they left"),
            ) {
                out.push(problem);
            }
        }
        HOME => match Capacity::parse(&parent.capacity.get_untracked()) {
            None => out.push(FieldError::new_owned(
                who.capacity_field,
                format!("请选择{zh}的监护能力"),
                format!("Choose whether the {en} can act as guardian"),
            )),
            Some(Capacity::OtherInability) if parent.note.get_untracked().trim().is_empty() => out
                .push(FieldError::new_owned(
                    who.note_field,
                    format!("请说明{zh}无法履行监护的原因"),
                    format!("Say why the {en} cannot act as guardian"),
                )),
            Some(_) => {}
        },
        MISSING => check_optional_date(
            who.since_field,
            &parent.missing_since.get_untracked(),
            missing_min(),
            today,
            ("失联日期", "date they went missing"),
            out,
        ),
        DECEASED | IMPRISONED | REHABILITATION => {}
        _ => out.push(FieldError::new_owned(
            who.situation_field,
            format!("请选择{zh}目前的情况,如:外出务工、在家"),
            format!("Choose where the {en} is now, e.g. working away or at home"),
        )),
    }
    let born_what = (format!("{zh}的出生日期"), format!("{en}'s date of birth"));
    check_optional_date(
        who.birth_field,
        &parent.birth_date.get_untracked(),
        parent_birth_min(),
        today,
        (born_what.0.as_str(), born_what.1.as_str()),
        out,
    );
    if let Some(problem) = parent.id_number.problem(who.id_number_field) {
        out.push(problem);
    }
    let phone = parent.phone.get_untracked();
    if !phone.trim().is_empty() {
        if let Err(problem) = Phone::parse(who.phone_field, &phone) {
            out.push(problem);
        }
    }
}

fn check_guardian(form: &ChildForm, out: &mut Vec<FieldError>) {
    let guardian = form.guardian;
    if guardian.is_blank() {
        return;
    }
    let name = guardian.name.get_untracked();
    if name.trim().is_empty() {
        out.push(error(
            "guardians[0].name",
            "请填写监护人姓名",
            "Enter the guardian's name",
        ));
    } else if let Err(problem) = PersonName::parse("guardians[0].name", &name) {
        out.push(problem);
    }
    if guardian.relation.get_untracked().trim().is_empty() {
        out.push(error(
            "guardians[0].relation",
            "请填写监护人与儿童的关系,如:祖母",
            "Enter how the guardian is related to the child, e.g. grandmother",
        ));
    }
    if let Err(problem) = Phone::parse("guardians[0].phone", &guardian.phone.get_untracked()) {
        out.push(problem);
    }
    if Capacity::parse(&guardian.capacity.get_untracked()).is_none() {
        out.push(error(
            "guardians[0].capacity",
            "请选择监护人的监护能力",
            "Choose whether the guardian can act as guardian",
        ));
    }
}

/// Every problem the browser can see, top of the form first.
pub fn check(
    form: &ChildForm,
    today: NaiveDate,
    birth_from: NaiveDate,
    original_level: Option<CareLevel>,
) -> Vec<FieldError> {
    let mut out = Vec::new();
    if let Err(problem) = PersonName::parse("name", &form.name.get_untracked()) {
        out.push(problem);
    }
    if parse_gender(&form.gender.get_untracked()).is_none() {
        out.push(error("gender", "请选择性别", "Choose the child's gender"));
    }
    if let Err(problem) = check_date(
        "birth_date",
        &form.birth_date.get_untracked(),
        birth_from,
        today,
        ("出生日期", "date of birth"),
    ) {
        out.push(problem);
    }
    if let Some(problem) = form.id_number.problem("id_number") {
        out.push(problem);
    }
    if shared::divisions::county(&form.registration_county.get_untracked()).is_none() {
        out.push(error(
            "registration.county_code",
            "请选择户籍所在县(区)",
            "Choose the county of household registration",
        ));
    }
    if !shared::divisions::is_village(&form.residence_village.get_untracked()) {
        out.push(error(
            "residence_village",
            "请选择常住的村(社区)",
            "Choose the village or community where the child lives",
        ));
    }
    if form.school.get_untracked().trim().is_empty() {
        out.push(error("school", "请填写学校名称", "Enter the school's name"));
    } else if let Err(problem) = text_field(
        "school",
        &form.school.get_untracked(),
        limits::SCHOOL_MAX,
        true,
    ) {
        out.push(problem);
    }
    check_parent(FATHER, &form.father, today, &mut out);
    check_parent(MOTHER, &form.mother, today, &mut out);
    check_guardian(form, &mut out);
    if parse_category(&form.category.get_untracked()).is_none() {
        out.push(error(
            "category",
            "请选择类别:留守儿童或困境儿童",
            "Choose the category: left-behind or in difficulty",
        ));
    }
    let level = parse_care_level(&form.care_level.get_untracked());
    if original_level.is_some_and(|original| Some(original) != level)
        && form.care_level_reason.get_untracked().trim().is_empty()
    {
        out.push(error(
            "care_level_reason",
            "修改关爱等级时请写明原因",
            "Give a reason when changing the care level",
        ));
    }
    check_national(&form.national, &mut out);
    out
}
