//! Validated values. Each `parse` is the only way to build one, so a value that reached the
//! store has passed these rules — in the browser (instant feedback) and again in the API.

use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::i18n::Text;
use crate::role::{Role, Scope};

/// Length limits the interface shows before the server refuses.
pub mod limits {
    pub const USERNAME_MIN: usize = 3;
    pub const USERNAME_MAX: usize = 32;
    pub const PASSWORD_MIN: usize = 10;
    pub const PASSWORD_MAX: usize = 128;
    pub const PERSON_NAME_MAX: usize = 40;
    pub const SCHOOL_NAME_MAX: usize = 60;
    pub const UNIT_NAME_MAX: usize = 60;
    pub const DIRECTOR_VILLAGES_MAX: usize = 50;
    pub const INVITE_CODE_LEN: usize = 12;
}

/// Request types check all their fields at once, so a form can show every problem together.
pub trait Validate {
    fn validate(&self) -> Result<(), Vec<FieldError>>;
}

/// Collects field errors while parsing a request's fields one by one.
#[derive(Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

fn has_control_chars(value: &str) -> bool {
    value.chars().any(char::is_control)
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    /// Lower-case letters, digits, `.`, `_`, `-`; 3–32 characters. Compared case-insensitively.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim().to_ascii_lowercase();
        let count = value.chars().count();
        if !(limits::USERNAME_MIN..=limits::USERNAME_MAX).contains(&count)
            || !value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        {
            return Err(FieldError::new(
                field,
                Text::new(
                    "用户名须为 3–32 位小写字母、数字或 . _ -",
                    "Username: 3–32 lower-case letters, digits, '.', '_' or '-'",
                ),
            ));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password as typed. Never logged, never returned; only its Argon2id hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

impl Password {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let count = raw.chars().count();
        if count < limits::PASSWORD_MIN {
            return Err(FieldError::new(
                field,
                Text::new("密码至少 10 个字符", "Password: at least 10 characters"),
            ));
        }
        if count > limits::PASSWORD_MAX {
            return Err(FieldError::new(
                field,
                Text::new("密码最多 128 个字符", "Password: at most 128 characters"),
            ));
        }
        Ok(Self(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A person's name as written, never split into given/family name: Chinese names of 2–4
/// characters are usual, but minority names with `·` and foreign names are accepted too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let value = raw.trim();
        let count = value.chars().count();
        if count == 0 {
            return Err(FieldError::new(
                field,
                Text::new("请填写姓名", "Name is required"),
            ));
        }
        if count > limits::PERSON_NAME_MAX {
            return Err(FieldError::new(
                field,
                Text::new("姓名最多 40 个字符", "Name: at most 40 characters"),
            ));
        }
        if has_control_chars(value) || value.chars().any(|c| "<>{}[]\\/\"@#$%^&*=+|~`".contains(c))
        {
            return Err(FieldError::new(
                field,
                Text::new(
                    "姓名含有不允许的字符",
                    "Name contains characters that are not allowed",
                ),
            ));
        }
        Ok(Self(value.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland mobile number (11 digits starting with 1) or a landline with its area code
/// (e.g. 0577-86666258). Stored as digits with the area code separated by `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let cleaned: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '(' | ')'))
            .collect();
        let digits: String = cleaned.chars().filter(|c| *c != '-').collect();
        let all_digits = !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit());
        let mobile = all_digits && digits.len() == 11 && digits.starts_with('1');
        if mobile {
            return Ok(Self(digits));
        }
        let landline = all_digits && digits.starts_with('0') && (10..=12).contains(&digits.len());
        if landline {
            // Area codes are 3 digits (010, 020–029) or 4 digits (0577 …).
            let area_len = if digits.starts_with("01") || digits.starts_with("02") {
                3
            } else {
                4
            };
            let (area, local) = digits.split_at(area_len);
            if (7..=8).contains(&local.len()) {
                return Ok(Self(format!("{area}-{local}")));
            }
        }
        Err(FieldError::new(
            field,
            Text::new(
                "请填写 11 位手机号(1 开头)或带区号的固定电话(如 0577-86666258)",
                "Enter an 11-digit mobile number starting with 1, or a landline with its area code (e.g. 0577-86666258)",
            ),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short free-text name of a school or member unit.
pub fn org_name(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Text::new("此项必填", "Required")));
    }
    if value.chars().count() > max || has_control_chars(value) {
        return Err(FieldError::new(
            field,
            Text::new(
                "名称过长或含有控制字符",
                "Too long, or contains control characters",
            ),
        ));
    }
    Ok(value.to_string())
}

/// Checks that a scope fits the role it is given to, and normalises it.
pub fn scope_for_role(field: &str, role: Role, scope: &Scope) -> Result<Scope, FieldError> {
    let wrong = |text| Err(FieldError::new(field, text));
    match (role, scope) {
        (Role::Admin, Scope::District) => Ok(Scope::District),
        (Role::Director, Scope::Villages { codes }) => {
            let mut codes = codes.clone();
            codes.sort();
            codes.dedup();
            if codes.is_empty() || codes.len() > limits::DIRECTOR_VILLAGES_MAX {
                return wrong(Text::new(
                    "请为儿童主任选择 1–50 个村(社区)",
                    "Choose 1–50 villages or communities for a director",
                ));
            }
            if codes.iter().any(|code| !crate::divisions::is_village(code)) {
                return wrong(Text::new(
                    "村(社区)代码不在本区行政区划中",
                    "A village code is not one of this district's villages",
                ));
            }
            Ok(Scope::Villages { codes })
        }
        (Role::Teacher, Scope::School { name }) => Ok(Scope::School {
            name: org_name(field, name, limits::SCHOOL_NAME_MAX)?,
        }),
        (Role::Officer, Scope::Unit { name }) => Ok(Scope::Unit {
            name: org_name(field, name, limits::UNIT_NAME_MAX)?,
        }),
        (Role::Volunteer | Role::Counsellor, Scope::Own) => Ok(Scope::Own),
        _ => wrong(Text::new(
            "范围与角色不符:管理员为全区,儿童主任为村(社区),班主任为学校,成员单位为单位名称,志愿者和咨询师无范围",
            "Scope does not fit the role: admins have the district, directors villages, teachers a school, officers a unit, volunteers and counsellors none",
        )),
    }
}

/// Free text with a length limit; `required` refuses empty text.
pub fn text_field(
    field: &str,
    raw: &str,
    max: usize,
    required: bool,
) -> Result<String, FieldError> {
    let value = raw.trim();
    if required && value.is_empty() {
        return Err(FieldError::new(field, Text::new("此项必填", "Required")));
    }
    if value.chars().count() > max {
        return Err(FieldError::new_owned(
            field,
            format!("最多 {max} 个字符"),
            format!("At most {max} characters"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::new(
            field,
            Text::new("含有不允许的控制字符", "Contains control characters"),
        ));
    }
    Ok(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_and_limited() {
        assert_eq!(
            Username::parse("u", " Li.Ming ").unwrap().as_str(),
            "li.ming"
        );
        for bad in ["ab", "有中文", "a b c", &"x".repeat(33), "semi;colon"] {
            assert!(Username::parse("u", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_have_a_minimum_and_a_maximum() {
        assert!(Password::parse("p", "short").is_err());
        assert!(Password::parse("p", "long enough!").is_ok());
        assert!(Password::parse("p", &"x".repeat(129)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("p", "secret-secret").unwrap()),
            "Password(***)"
        );
    }

    #[test]
    fn names_accept_minority_and_foreign_names_but_not_markup() {
        for good in ["王芳", "欧阳娜娜", "买买提·艾力", "Anna Müller", "李"] {
            assert!(PersonName::parse("n", good).is_ok(), "{good}");
        }
        for bad in ["", "   ", "<script>", &"长".repeat(41)] {
            assert!(PersonName::parse("n", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones_are_mobile_or_landline_with_area_code() {
        assert_eq!(
            Phone::parse("p", "138 0000 1234").unwrap().as_str(),
            "13800001234"
        );
        assert_eq!(
            Phone::parse("p", "0577-86666258").unwrap().as_str(),
            "0577-86666258"
        );
        assert_eq!(
            Phone::parse("p", "010 12345678").unwrap().as_str(),
            "010-12345678"
        );
        for bad in ["2380000123", "1380000123", "86666258", "phone", "0577-123"] {
            assert!(Phone::parse("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scopes_must_fit_roles() {
        let villages = Scope::Villages {
            codes: vec!["330303001004".into()],
        };
        assert!(scope_for_role("s", Role::Director, &villages).is_ok());
        assert!(scope_for_role("s", Role::Teacher, &villages).is_err());
        assert!(scope_for_role("s", Role::Director, &Scope::Villages { codes: vec![] }).is_err());
        assert!(scope_for_role(
            "s",
            Role::Director,
            &Scope::Villages {
                codes: vec!["110101001001".into()]
            }
        )
        .is_err());
        assert!(scope_for_role("s", Role::Volunteer, &Scope::Own).is_ok());
        assert!(scope_for_role("s", Role::Admin, &Scope::Own).is_err());
    }
}
