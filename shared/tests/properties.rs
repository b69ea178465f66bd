//! Property tests: every validation rule, fed random and boundary values, never panics; what it
//! accepts satisfies its promise, and what it refuses comes with a reason in both languages.

use proptest::prelude::*;
use shared::children::ChildInput;
use shared::id_number::IdNumber;
use shared::validate::{text_field, Password, PersonName, Phone, Username};

fn refused_with_reasons(error: &shared::FieldError) -> bool {
    !error.message.is_empty() && !error.message_en.is_empty()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn usernames(raw in "\\PC{0,40}") {
        match Username::parse("u", &raw) {
            Ok(name) => prop_assert!((3..=32).contains(&name.as_str().len())
                && name.as_str().chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))),
            Err(error) => prop_assert!(refused_with_reasons(&error)),
        }
    }

    #[test]
    fn passwords(raw in "\\PC{0,140}") {
        match Password::parse("p", &raw) {
            Ok(_) => prop_assert!((10..=128).contains(&raw.chars().count())),
            Err(error) => prop_assert!(refused_with_reasons(&error)),
        }
    }

    #[test]
    fn person_names(raw in "\\PC{0,50}") {
        match PersonName::parse("n", &raw) {
            Ok(name) => prop_assert!(!name.as_str().is_empty() && name.as_str().chars().count() <= 40
                && !name.as_str().contains('<')),
            Err(error) => prop_assert!(refused_with_reasons(&error)),
        }
    }

    #[test]
    fn phones(raw in "[0-9 ()+-]{0,16}|\\PC{0,16}") {
        match Phone::parse("p", &raw) {
            Ok(phone) => prop_assert!(phone.as_str().starts_with('1') && phone.as_str().len() == 11
                || phone.as_str().starts_with('0') && phone.as_str().contains('-')),
            Err(error) => prop_assert!(refused_with_reasons(&error)),
        }
    }

    #[test]
    fn id_numbers(raw in "[0-9]{17}[0-9Xx]|\\PC{0,20}") {
        match IdNumber::parse("id", &raw) {
            Ok(id) => {
                prop_assert!(id.birth_date().is_some());
                prop_assert_eq!(id.masked().len(), 18);
            }
            Err(error) => prop_assert!(refused_with_reasons(&error)),
        }
    }

    #[test]
    fn free_text(raw in "\\PC{0,300}", max in 0usize..250, required: bool) {
        match text_field("t", &raw, max, required) {
            Ok(text) => prop_assert!(text.chars().count() <= max && (!required || !text.is_empty())),
            Err(error) => prop_assert!(refused_with_reasons(&error)),
        }
    }

    /// Whole child records with random text in every field and random dates: validation and the
    /// eligibility rule never panic.
    #[test]
    fn child_records(name in "\\PC{0,45}", school in "\\PC{0,70}", village in "[0-9]{0,12}",
                     county in "[0-9]{0,6}", days in -20000i64..20000, since_days in -5000i64..5000,
                     id in proptest::option::of("[0-9]{17}[0-9X]")) {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let birth = today + chrono::Duration::days(days);
        let since = today + chrono::Duration::days(since_days);
        let json = serde_json::json!({
            "name": name, "gender": "female", "birth_date": birth, "id_number": id,
            "registration": {"county_code": county, "village_code": village},
            "residence_village": village, "school": school, "category": "left_behind",
            "care_level": "routine",
            "father": {"situation": {"kind": "working_away", "county_code": county, "since": since}},
            "mother": {"situation": {"kind": "at_home", "capacity": "other_inability"}}
        });
        let input: ChildInput = serde_json::from_value(json).unwrap();
        let _ = input.eligibility(today, &Default::default());
        if let Err(errors) = input.validate(today) {
            prop_assert!(!errors.is_empty() && errors.iter().all(refused_with_reasons));
        }
    }
}
