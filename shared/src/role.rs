use serde::{Deserialize, Serialize};

use crate::i18n::Text;

/// Who a user is in the district's work. Every endpoint names the roles it admits.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Director,
    Teacher,
    Volunteer,
    Counsellor,
    Officer,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Director,
        Role::Teacher,
        Role::Volunteer,
        Role::Counsellor,
        Role::Officer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Director => "director",
            Role::Teacher => "teacher",
            Role::Volunteer => "volunteer",
            Role::Counsellor => "counsellor",
            Role::Officer => "officer",
        }
    }

    pub fn parse(value: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == value)
    }

    pub fn label(self) -> Text {
        match self {
            Role::Admin => Text::new("未保办管理员", "District administrator"),
            Role::Director => Text::new("儿童主任", "Children's director"),
            Role::Teacher => Text::new("班主任", "Class teacher"),
            Role::Volunteer => Text::new("志愿者(爱心妈妈)", "Volunteer (caring mother)"),
            Role::Counsellor => Text::new("心理咨询师", "Counsellor"),
            Role::Officer => Text::new("成员单位", "Member-unit officer"),
        }
    }
}

/// What part of the district a user works in. Checked against the role when a user is created,
/// so a director always has villages and a teacher always has a school.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Scope {
    /// The whole district (administrators).
    District,
    /// GB/T 2260 village/community codes (12 digits) a children's director is assigned to.
    Villages { codes: Vec<String> },
    /// The school a class teacher works at.
    School { name: String },
    /// The member unit (police, education bureau, …) an officer works for.
    Unit { name: String },
    /// No territorial scope: volunteers and counsellors see only what is theirs.
    Own,
}

impl Scope {
    pub fn describe(&self) -> String {
        match self {
            Scope::District => "District / 全区".to_string(),
            Scope::Villages { codes } => codes
                .iter()
                .map(|code| {
                    crate::divisions::village_name(code)
                        .unwrap_or(code.as_str())
                        .to_string()
                })
                .collect::<Vec<_>>()
                .join("、"),
            Scope::School { name } | Scope::Unit { name } => name.clone(),
            Scope::Own => String::new(),
        }
    }
}
