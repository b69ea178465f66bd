//! Resident identity card numbers (GB 11643-1999): 6-digit region code, 8-digit date of birth,
//! 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::children::Gender;
use crate::error::FieldError;
use crate::i18n::Text;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IdNumber(String);

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (digit, weight) in first17.chars().zip(WEIGHTS) {
        sum += digit.to_digit(10)? * weight;
    }
    (first17.len() == 17).then(|| CHECK[(sum % 11) as usize])
}

fn known_region(code: &str) -> bool {
    // Region codes of counties that were later merged or renamed stay valid on old cards, so a
    // known province with a known city or county is enough.
    let province = code.get(..2).unwrap_or_default();
    let city = code.get(..4).unwrap_or_default();
    crate::divisions::province_name(province).is_some()
        && (crate::divisions::county(code).is_some() || crate::divisions::city_name(city).is_some())
}

impl IdNumber {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().to_ascii_uppercase();
        let error = |text| Err(FieldError::new(field, text));
        if value.len() != 18
            || !value.is_ascii()
            || !value[..17].chars().all(|c| c.is_ascii_digit())
            || !matches!(value.chars().last(), Some(c) if c.is_ascii_digit() || c == 'X')
        {
            return error(Text::new(
                "身份证号应为 18 位:前 17 位为数字,最后一位为数字或 X",
                "An ID number has 18 characters: 17 digits, then a digit or X",
            ));
        }
        if check_character(&value[..17]) != value.chars().last() {
            return error(Text::new(
                "身份证号校验位不正确,请核对",
                "The ID number's check character is wrong; check the number",
            ));
        }
        if !known_region(&value[..6]) {
            return error(Text::new(
                "身份证号前 6 位不是已知的行政区划代码",
                "The first 6 digits are not a known region code",
            ));
        }
        let id = Self(value);
        if id.birth_date().is_none() {
            return error(Text::new(
                "身份证号中的出生日期不存在",
                "The date of birth in the ID number does not exist",
            ));
        }
        Ok(id)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.0.get(6..14)?, "%Y%m%d")
            .ok()
            .filter(|date| date.format("%Y").to_string().as_str() >= "1900")
    }

    pub fn gender(&self) -> Gender {
        let sequence_last = self.0.as_bytes().get(16).copied().unwrap_or(b'0');
        if (sequence_last - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    pub fn last4(&self) -> &str {
        &self.0[14..]
    }

    /// Shown everywhere except an admin's detail view: first 6 and last 4.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], self.last4())
    }
}

#[cfg(test)]
pub(crate) fn make(first17: &str) -> String {
    format!("{first17}{}", check_character(first17).unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_parse_and_yield_birth_date_gender_and_mask() {
        let raw = make("33030320150601001");
        let id = IdNumber::parse("id", &raw).unwrap();
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(2015, 6, 1));
        assert_eq!(id.gender(), Gender::Male);
        assert_eq!(id.masked(), format!("330303********{}", &raw[14..]));
        let female = IdNumber::parse("id", &make("33030320150601002")).unwrap();
        assert_eq!(female.gender(), Gender::Female);
        // A lower-case x is accepted and normalised.
        let with_x = (0..1000)
            .map(|n| format!("330303201506010{:02}", n % 100))
            .map(|first| make(&first[..17]))
            .find(|id| id.ends_with('X'))
            .unwrap();
        assert!(IdNumber::parse("id", &with_x.to_lowercase()).is_ok());
    }

    #[test]
    fn the_check_character_follows_gb_11643() {
        // The standard's worked example.
        assert_eq!(check_character("11010519491231002"), Some('X'));
    }

    #[test]
    fn bad_numbers_are_refused_with_the_reason() {
        let good = make("33030320150601001");
        let mut wrong_check = good.clone();
        let last = wrong_check.pop().unwrap();
        wrong_check.push(if last == '0' { '1' } else { '0' });
        let cases = [
            ("short", "12345".to_string(), "18"),
            ("letters", "33030320150601A01X".to_string(), "18"),
            ("check", wrong_check, "check"),
            ("date", make("33030320150231001"), "date of birth"),
            ("region", make("99030320150601001"), "region"),
        ];
        for (name, raw, needle) in cases {
            let error = IdNumber::parse("id", &raw).unwrap_err();
            assert!(
                error.message_en.contains(needle),
                "{name}: {}",
                error.message_en
            );
        }
    }
}
