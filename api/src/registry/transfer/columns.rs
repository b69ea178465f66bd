//! The one column layout of the import template, the export and the import: the national
//! registration form's columns first (农村留守儿童基本情况登记表, in the form's order and with its
//! headers), then the portal's own. `docs/national-layout.md` describes it.

use std::collections::HashMap;

/// How many co-resident guardians a row holds: as many as a record may have.
pub(super) const GUARDIAN_SLOTS: usize = shared::children::limits::GUARDIANS_MAX;

/// Header, and the validation field whose errors belong to the column. An empty field marks a
/// column the import does not read: the row number, and what is derived from other columns
/// (the current address from the village code and detail, a workplace's province and city
/// from its county code).
pub(super) const COLUMNS: [(&str, &str); 75] = [
    // The national form.
    ("序号", ""),
    ("姓名", "name"),
    ("性别", "gender"),
    ("民族", "national.ethnicity"),
    ("出生日期", "birth_date"),
    ("身份证号", "id_number"),
    ("是否登记户口", "national.hukou_registered"),
    ("户籍所在县(区)代码", "registration.county_code"),
    ("户籍所在村(社区)代码", "registration.village_code"),
    ("现居住地址", ""),
    ("健康状况", "national.health.status"),
    ("残疾类别", "national.health.disability_category"),
    ("残疾等级", "national.health.disability_grade"),
    ("患病类型", "national.health.illness"),
    ("就学情况", "national.schooling"),
    ("是否寄宿", "national.boarding"),
    ("父亲姓名", "father.name"),
    ("父亲出生日期", "father.birth_date"),
    ("父亲身份证号", "father.id_number"),
    ("父亲状况", "father.situation"),
    ("父亲务工地省份", ""),
    ("父亲务工地市", ""),
    ("父亲务工县区代码", "father.county_code"),
    ("父亲外出时间", "father.since"),
    ("父亲联系电话", "father.phone"),
    ("母亲姓名", "mother.name"),
    ("母亲出生日期", "mother.birth_date"),
    ("母亲身份证号", "mother.id_number"),
    ("母亲状况", "mother.situation"),
    ("母亲务工地省份", ""),
    ("母亲务工地市", ""),
    ("母亲务工县区代码", "mother.county_code"),
    ("母亲外出时间", "mother.since"),
    ("母亲联系电话", "mother.phone"),
    ("委托监护人姓名", "national.entrusted_guardian.name"),
    (
        "委托监护人与儿童关系",
        "national.entrusted_guardian.relation",
    ),
    ("委托监护人联系电话", "national.entrusted_guardian.phone"),
    (
        "委托监护人身份证号",
        "national.entrusted_guardian.id_number",
    ),
    ("委托监护人住址", "national.entrusted_guardian.address"),
    ("监护类型", "national.guardianship_type"),
    ("家庭收入来源", "national.income_sources"),
    ("享受救助情况", "national.assistance"),
    ("其他救助说明", "national.assistance_other"),
    ("困境儿童类别", "national.difficulty_groups"),
    ("填表人", "national.signoff.filled_by"),
    ("复核人", "national.signoff.checked_by"),
    ("单位负责人", "national.signoff.responsible"),
    // The portal's own.
    ("常住村社区代码", "residence_village"),
    ("详细地址", "residence_detail"),
    ("学校", "school"),
    ("班级", "class_name"),
    ("类别", "category"),
    ("关爱等级", "care_level"),
    ("关爱等级说明", "care_level_reason"),
    ("父亲在家监护能力", "father.capacity"),
    ("父亲说明", "father.note"),
    ("母亲在家监护能力", "mother.capacity"),
    ("母亲说明", "mother.note"),
    ("共同生活监护人姓名", "guardians[0].name"),
    ("共同生活监护人关系", "guardians[0].relation"),
    ("共同生活监护人电话", "guardians[0].phone"),
    ("共同生活监护人监护能力", "guardians[0].capacity"),
    ("共同生活监护人2姓名", "guardians[1].name"),
    ("共同生活监护人2关系", "guardians[1].relation"),
    ("共同生活监护人2电话", "guardians[1].phone"),
    ("共同生活监护人2监护能力", "guardians[1].capacity"),
    ("共同生活监护人3姓名", "guardians[2].name"),
    ("共同生活监护人3关系", "guardians[2].relation"),
    ("共同生活监护人3电话", "guardians[2].phone"),
    ("共同生活监护人3监护能力", "guardians[2].capacity"),
    ("共同生活监护人4姓名", "guardians[3].name"),
    ("共同生活监护人4关系", "guardians[3].relation"),
    ("共同生活监护人4电话", "guardians[3].phone"),
    ("共同生活监护人4监护能力", "guardians[3].capacity"),
    ("兴趣爱好", "interests"),
];

/// Headers of the portal's first template (29 columns), still read so that the files
/// districts filled from it import unchanged: (old header, header now).
const EARLIER_HEADERS: [(&str, &str); 14] = [
    ("户籍县区代码", "户籍所在县(区)代码"),
    ("户籍村社区代码", "户籍所在村(社区)代码"),
    ("父亲情况", "父亲状况"),
    ("父亲外出日期", "父亲外出时间"),
    ("父亲监护能力", "父亲在家监护能力"),
    ("父亲电话", "父亲联系电话"),
    ("母亲情况", "母亲状况"),
    ("母亲外出日期", "母亲外出时间"),
    ("母亲监护能力", "母亲在家监护能力"),
    ("母亲电话", "母亲联系电话"),
    ("监护人姓名", "共同生活监护人姓名"),
    ("监护人关系", "共同生活监护人关系"),
    ("监护人电话", "共同生活监护人电话"),
    ("监护人监护能力", "共同生活监护人监护能力"),
];

/// Columns a file cannot do without.
pub(super) const REQUIRED: [&str; 8] = [
    "姓名",
    "性别",
    "出生日期",
    "户籍所在县(区)代码",
    "常住村社区代码",
    "学校",
    "父亲状况",
    "母亲状况",
];

/// The header of a co-resident guardian's column: `part` is 姓名, 关系, 电话 or 监护能力.
pub(super) fn guardian_header(slot: usize, part: &str) -> String {
    match slot {
        0 => format!("共同生活监护人{part}"),
        _ => format!("共同生活监护人{}{part}", slot + 1),
    }
}

/// The column a validation field's errors belong to ("" when none does).
pub(super) fn header_for(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(_, name)| *name == field)
        .map(|(header, _)| *header)
        .unwrap_or("")
}

/// People type headers with full-width or ASCII brackets, spaces, and a `*` for "required":
/// none of that makes a different column.
fn normalised(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            other => other,
        })
        .collect()
}

fn canonical(header: &str) -> Option<&'static str> {
    let header = normalised(header);
    COLUMNS
        .iter()
        .map(|(name, _)| *name)
        .find(|name| normalised(name) == header)
        .or_else(|| {
            EARLIER_HEADERS
                .iter()
                .find(|(old, _)| normalised(old) == header)
                .map(|(_, now)| *now)
        })
}

/// Where each column of the layout is in a file, and how the file names it.
pub(super) struct HeaderIndex {
    at: HashMap<&'static str, usize>,
    /// The file's own header text, so that an error names the column the reader sees.
    shown: HashMap<&'static str, String>,
}

impl HeaderIndex {
    pub(super) fn of(header_row: &[String]) -> Self {
        let mut at = HashMap::new();
        let mut shown = HashMap::new();
        for (position, cell) in header_row.iter().enumerate() {
            let Some(name) = canonical(cell) else {
                continue;
            };
            // The first of two columns with one header wins, as a person reading would assume.
            if !at.contains_key(name) {
                at.insert(name, position);
                shown.insert(name, cell.trim().to_string());
            }
        }
        Self { at, shown }
    }

    pub(super) fn position(&self, header: &str) -> Option<usize> {
        self.at.get(header).copied()
    }

    /// The column as the file names it; the layout's header when the file lacks it.
    pub(super) fn shown(&self, header: &str) -> String {
        self.shown
            .get(header)
            .cloned()
            .unwrap_or_else(|| header.to_string())
    }

    pub(super) fn missing(&self) -> Vec<&'static str> {
        REQUIRED
            .into_iter()
            .filter(|name| !self.at.contains_key(name))
            .collect()
    }
}

/// The column of a validation error. Co-resident guardians are read from the slots that hold
/// one, so `guardians[i]` is the i-th filled slot, not necessarily slot i.
pub(super) fn column_of(field: &str, guardian_slots: &[usize]) -> &'static str {
    let slot_field = field
        .strip_prefix("guardians[")
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(index, tail)| {
            let slot = guardian_slots.get(index.parse::<usize>().ok()?)?;
            Some(format!("guardians[{slot}]{tail}"))
        });
    match slot_field {
        Some(field) => header_for(&field),
        None => header_for(field),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_is_distinct_and_every_guardian_slot_has_its_columns() {
        let mut headers: Vec<&str> = COLUMNS.iter().map(|(header, _)| *header).collect();
        headers.sort_unstable();
        headers.dedup();
        assert_eq!(headers.len(), COLUMNS.len());
        for slot in 0..GUARDIAN_SLOTS {
            for part in ["姓名", "关系", "电话", "监护能力"] {
                let header = guardian_header(slot, part);
                assert!(COLUMNS.iter().any(|(h, _)| *h == header), "{header}");
            }
        }
        for (_, now) in EARLIER_HEADERS {
            assert!(COLUMNS.iter().any(|(h, _)| *h == now), "{now}");
        }
    }

    #[test]
    fn headers_match_whatever_brackets_and_spaces_people_type() {
        let row: Vec<String> = ["姓名*", " 户籍所在县（区）代码", "父亲情况", "监护人电话"]
            .into_iter()
            .map(String::from)
            .collect();
        let index = HeaderIndex::of(&row);
        assert_eq!(index.position("户籍所在县(区)代码"), Some(1));
        assert_eq!(index.position("父亲状况"), Some(2));
        assert_eq!(index.shown("父亲状况"), "父亲情况");
        assert_eq!(index.position("共同生活监护人电话"), Some(3));
        assert_eq!(column_of("guardians[0].phone", &[2]), "共同生活监护人3电话");
    }
}
