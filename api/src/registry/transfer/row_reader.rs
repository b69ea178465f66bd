//! One row of a file read into a child: every cell that is not one of its column's choices,
//! or not a date, is an error of that row and column; the rest is left to validation.

use chrono::NaiveDate;
use shared::children::{
    Capacity, CareLevel, Category, ChildInput, Gender, Guardian, ImportError, NationalDetails,
    Parent, Registration,
};
use shared::eligibility::ParentSituation;
use shared::national::{
    DisabilityCategory, DisabilityGrade, EntrustedGuardian, Health, HealthStatus, Signoff,
};
use shared::Text;

use super::choices::{
    choice_error, parse_choice, parse_choices, parse_date, parse_date_or_month, parse_yes_no,
    situation_code, situation_error, Choice,
};
use super::columns::{guardian_header, HeaderIndex, GUARDIAN_SLOTS};

pub(super) struct RowReader<'a> {
    pub(super) cells: &'a [String],
    pub(super) index: &'a HeaderIndex,
    /// 1-based, the header being row 1.
    pub(super) row: usize,
    pub(super) errors: Vec<ImportError>,
    /// The slots co-resident guardians were read from, in order (see `columns::column_of`).
    pub(super) guardian_slots: Vec<usize>,
}

impl<'a> RowReader<'a> {
    pub(super) fn new(cells: &'a [String], index: &'a HeaderIndex, row: usize) -> Self {
        Self {
            cells,
            index,
            row,
            errors: Vec::new(),
            guardian_slots: Vec::new(),
        }
    }

    fn cell(&self, header: &str) -> &str {
        self.index
            .position(header)
            .and_then(|at| self.cells.get(at))
            .map(|cell| cell.trim())
            .unwrap_or("")
    }

    fn text(&self, header: &str) -> String {
        self.cell(header).to_string()
    }

    fn optional_text(&self, header: &str) -> Option<String> {
        Some(self.text(header)).filter(|text| !text.is_empty())
    }

    fn error(&mut self, header: &str, zh: String, en: String) {
        self.errors.push(ImportError {
            row: self.row,
            column: self.index.shown(header),
            message: zh,
            message_en: en,
        });
    }

    fn error_text(&mut self, header: &str, text: Text) {
        self.error(header, text.zh.into(), text.en.into());
    }

    /// One of `T`'s choices; `None` for an empty cell (and, with an error, for a wrong one).
    fn choice<T: Choice>(&mut self, header: &str) -> Option<T> {
        let raw = self.text(header);
        if raw.is_empty() {
            return None;
        }
        let chosen = parse_choice::<T>(&raw);
        if chosen.is_none() {
            let (zh, en) = choice_error::<T>();
            self.error(header, zh, en);
        }
        chosen
    }

    /// A choice the record cannot leave empty: `fallback` for an empty cell (and for a wrong
    /// one, whose error is recorded).
    fn choice_or<T: Choice>(&mut self, header: &str, fallback: T) -> T {
        self.choice(header).unwrap_or(fallback)
    }

    fn choices<T: Choice>(&mut self, header: &str) -> Vec<T> {
        let raw = self.text(header);
        match parse_choices::<T>(&raw) {
            Ok(chosen) => chosen,
            Err(part) => {
                let (zh, en) = choice_error::<T>();
                self.error(
                    header,
                    format!("“{part}”不是可选项,{zh};多项用“、”分隔"),
                    format!("“{part}” is not a choice. {en}; separate several with 、"),
                );
                Vec::new()
            }
        }
    }

    fn yes_no(&mut self, header: &str) -> Option<bool> {
        let raw = self.text(header);
        if raw.is_empty() {
            return None;
        }
        let answer = parse_yes_no(&raw);
        if answer.is_none() {
            self.error_text(
                header,
                Text::new("应为“是”或“否”", "Use 是 (yes) or 否 (no)"),
            );
        }
        answer
    }

    fn optional_date(&mut self, header: &str, month_will_do: bool) -> Option<NaiveDate> {
        let raw = self.text(header);
        if raw.is_empty() {
            return None;
        }
        let date = if month_will_do {
            parse_date_or_month(&raw)
        } else {
            parse_date(&raw)
        };
        if date.is_none() {
            self.error_text(
                header,
                Text::new("日期格式应为 YYYY-MM-DD", "Dates look like 2016-03-15"),
            );
        }
        date
    }

    fn parent(&mut self, who: &str) -> Parent {
        let header = |what: &str| format!("{who}{what}");
        let situation_header = header("状况");
        let since_header = header("外出时间");
        let note = self.text(&header("说明"));
        let raw = self.text(&situation_header);
        let situation = match situation_code(&raw) {
            Some("working_away") => {
                let since = self.optional_date(&since_header, true);
                if since.is_none() && self.cell(&since_header).is_empty() {
                    self.error_text(
                        &since_header,
                        Text::new("外出务工的,请填写外出时间", "Give the date the parent left"),
                    );
                }
                ParentSituation::WorkingAway {
                    county_code: self.text(&header("务工县区代码")),
                    since: since.unwrap_or_default(),
                    note,
                }
            }
            Some("missing") => ParentSituation::Missing {
                since: self.optional_date(&since_header, true),
                note,
            },
            Some("deceased") => ParentSituation::Deceased { note },
            Some("imprisoned") => ParentSituation::Imprisoned { note },
            Some("drug_rehabilitation") => ParentSituation::DrugRehabilitation { note },
            Some("at_home") => ParentSituation::AtHome {
                // An empty cell is the common case: a parent at home who can look after them.
                capacity: self.choice_or(&header("在家监护能力"), Capacity::Capable),
                note,
            },
            _ => {
                let (zh, en) = if raw.is_empty() {
                    (
                        "请填写状况".to_string(),
                        "Fill in the situation".to_string(),
                    )
                } else {
                    situation_error()
                };
                self.error(&situation_header, zh, en);
                ParentSituation::AtHome {
                    capacity: Capacity::Capable,
                    note,
                }
            }
        };
        Parent {
            situation,
            phone: self.optional_text(&header("联系电话")),
            name: self.text(&header("姓名")),
            birth_date: self.optional_date(&header("出生日期"), false),
            id_number: self.optional_text(&header("身份证号")),
        }
    }

    /// The co-resident guardians: each slot with a name, relation or phone (a capacity alone
    /// is what a template's example leaves behind, not a person).
    fn guardians(&mut self) -> Vec<Guardian> {
        let mut guardians = Vec::new();
        for slot in 0..GUARDIAN_SLOTS {
            let header = |part: &str| guardian_header(slot, part);
            let name = self.text(&header("姓名"));
            let relation = self.text(&header("关系"));
            let phone = self.text(&header("电话"));
            if name.is_empty() && relation.is_empty() && phone.is_empty() {
                continue;
            }
            let capacity = self.choice_or(&header("监护能力"), Capacity::Capable);
            self.guardian_slots.push(slot);
            guardians.push(Guardian {
                name,
                relation,
                phone,
                capacity,
            });
        }
        guardians
    }

    fn health(&mut self) -> Option<Health> {
        let status = self.choice::<HealthStatus>("健康状况");
        let disability_category = self.choice::<DisabilityCategory>("残疾类别");
        let disability_grade = self.choice::<DisabilityGrade>("残疾等级");
        let illness = self.text("患病类型");
        let details =
            disability_category.is_some() || disability_grade.is_some() || !illness.is_empty();
        if status.is_none() && details && self.cell("健康状况").is_empty() {
            self.error_text(
                "健康状况",
                Text::new(
                    "填写了残疾或患病情况,请同时填写健康状况",
                    "Fill in the health status too when a disability or illness is given",
                ),
            );
        }
        status.map(|status| Health {
            status,
            disability_category,
            disability_grade,
            illness,
        })
    }

    fn entrusted_guardian(&mut self) -> Option<EntrustedGuardian> {
        let guardian = EntrustedGuardian {
            name: self.text("委托监护人姓名"),
            relation: self.text("委托监护人与儿童关系"),
            phone: self.text("委托监护人联系电话"),
            id_number: self.optional_text("委托监护人身份证号"),
            address: self.text("委托监护人住址"),
        };
        let empty = guardian.name.is_empty()
            && guardian.relation.is_empty()
            && guardian.phone.is_empty()
            && guardian.id_number.is_none()
            && guardian.address.is_empty();
        (!empty).then_some(guardian)
    }

    fn ethnicity(&mut self) -> Option<String> {
        let raw = self.text("民族");
        if raw.is_empty() {
            return None;
        }
        let code = shared::national::ethnicity_code(&raw);
        if code.is_none() {
            self.error_text(
                "民族",
                Text::new(
                    "应为 56 个民族之一,如“汉族”",
                    "Use one of the 56 ethnic groups, e.g. 汉族 (Han)",
                ),
            );
        }
        code.map(String::from)
    }

    fn national(&mut self) -> NationalDetails {
        NationalDetails {
            ethnicity: self.ethnicity(),
            hukou_registered: self.yes_no("是否登记户口"),
            health: self.health(),
            schooling: self.choice("就学情况"),
            boarding: self.yes_no("是否寄宿"),
            entrusted_guardian: self.entrusted_guardian(),
            guardianship_type: self.choice("监护类型"),
            income_sources: self.choices("家庭收入来源"),
            assistance: self.choices("享受救助情况"),
            assistance_other: self.text("其他救助说明"),
            difficulty_groups: self.choices("困境儿童类别"),
            signoff: Signoff {
                filled_by: self.text("填表人"),
                checked_by: self.text("复核人"),
                responsible: self.text("单位负责人"),
            },
        }
    }

    pub(super) fn child(&mut self) -> ChildInput {
        let gender = match self.choice::<Gender>("性别") {
            Some(gender) => gender,
            None => {
                if self.cell("性别").is_empty() {
                    self.error_text(
                        "性别",
                        Text::new("应为“男”或“女”", "Use 男 (male) or 女 (female)"),
                    );
                }
                Gender::Male
            }
        };
        let birth_date = match self.optional_date("出生日期", false) {
            Some(date) => date,
            None => {
                if self.cell("出生日期").is_empty() {
                    self.error_text(
                        "出生日期",
                        Text::new("日期格式应为 YYYY-MM-DD", "Dates look like 2016-03-15"),
                    );
                }
                NaiveDate::default()
            }
        };
        let category = self.choice_or("类别", Category::LeftBehind);
        let care_level = self.choice_or("关爱等级", CareLevel::Routine);
        let father = self.parent("父亲");
        let mother = self.parent("母亲");
        let guardians = self.guardians();
        let national = self.national();
        ChildInput {
            name: self.text("姓名"),
            gender,
            birth_date,
            id_number: self.optional_text("身份证号"),
            registration: Registration {
                county_code: self.text("户籍所在县(区)代码"),
                village_code: self.optional_text("户籍所在村(社区)代码"),
            },
            residence_village: self.text("常住村社区代码"),
            residence_detail: self.text("详细地址"),
            school: self.text("学校"),
            class_name: self.text("班级"),
            category,
            care_level,
            care_level_reason: self.text("关爱等级说明"),
            guardians,
            father,
            mother,
            interests: self.text("兴趣爱好"),
            national,
        }
    }
}
