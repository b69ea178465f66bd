//! On the child's page: each parent (situation, name, date of birth, ID number as the server
//! sent it, masked for everyone but an admin) and the national registration form's details.
//! Anything not recorded says so, for records registered before these fields existed too.

use leptos::prelude::*;
use shared::children::{NationalDetails, Parent};
use shared::eligibility::ParentSituation;
use shared::national::{self, EntrustedGuardian, Health, HealthStatus};
use shared::{Lang, Text};

use crate::i18n::use_i18n;

const NOT_RECORDED: Text = Text::new("未填写", "Not recorded");

fn or_not_recorded(value: Option<String>, lang: Lang) -> String {
    value
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| NOT_RECORDED.get(lang).to_string())
}

/// Where the parent is, with what the situation records: place and date, capacity, note.
fn situation_text(situation: &ParentSituation, lang: Lang) -> String {
    let date = |day: chrono::NaiveDate| shared::time::format_date(day, lang);
    let detail = match situation {
        ParentSituation::WorkingAway {
            county_code, since, ..
        } => {
            let place = shared::divisions::county_full_name(county_code);
            match lang {
                Lang::Zh => format!("{place},自 {} 起", date(*since)),
                Lang::En => format!("in {place} since {}", date(*since)),
            }
        }
        ParentSituation::AtHome { capacity, .. } => capacity.label().get(lang).to_string(),
        ParentSituation::Missing {
            since: Some(since), ..
        } => match lang {
            Lang::Zh => format!("自 {} 起", date(*since)),
            Lang::En => format!("since {}", date(*since)),
        },
        _ => String::new(),
    };
    let mut text = situation.kind_label().get(lang).to_string();
    if !detail.is_empty() {
        text.push_str(if lang == Lang::Zh { ":" } else { ": " });
        text.push_str(&detail);
    }
    let note = situation.note().trim();
    if !note.is_empty() {
        text.push_str(if lang == Lang::Zh { "。" } else { ". " });
        text.push_str(note);
    }
    text
}

/// 父母情况: both parents.
#[component]
pub fn ParentsFacts(father: Parent, mother: Parent) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section id="child-parents" aria-labelledby="child-parents-title">
            <h2 id="child-parents-title">{move || i18n.tr("父母情况", "Parents")}</h2>
            <ParentFacts id="child-father" who_zh="父亲" who_en="Father" parent=father/>
            <ParentFacts id="child-mother" who_zh="母亲" who_en="Mother" parent=mother/>
        </section>
    }
}

/// One parent, as a small list of facts under their heading.
#[component]
fn ParentFacts(
    id: &'static str,
    who_zh: &'static str,
    who_en: &'static str,
    parent: Parent,
) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move |lang: Lang| {
        vec![
            (
                Text::new("目前情况", "Situation"),
                situation_text(&parent.situation, lang),
            ),
            (
                Text::new("姓名", "Name"),
                or_not_recorded(Some(parent.name.clone()), lang),
            ),
            (
                Text::new("出生日期", "Date of birth"),
                or_not_recorded(
                    parent
                        .birth_date
                        .map(|born| shared::time::format_date(born, lang)),
                    lang,
                ),
            ),
            (
                Text::new("身份证号", "ID number"),
                or_not_recorded(parent.id_number.clone(), lang),
            ),
            (
                Text::new("电话", "Phone"),
                or_not_recorded(parent.phone.clone(), lang),
            ),
        ]
    };
    view! {
        <section class="parent" id=id>
            <h3>{move || i18n.tr(who_zh, who_en)}</h3>
            <dl class="facts">{move || facts(rows(i18n.lang.get()), i18n.lang.get())}</dl>
        </section>
    }
}

fn facts(rows: Vec<(Text, String)>, lang: Lang) -> impl IntoView {
    rows.into_iter()
        .map(|(label, value)| view! { <dt>{label.get(lang)}</dt><dd>{value}</dd> })
        .collect_view()
}

fn join(labels: impl Iterator<Item = Text>, lang: Lang) -> Option<String> {
    let parts: Vec<&str> = labels.map(|label| label.get(lang)).collect();
    let separator = if lang == Lang::Zh { "、" } else { ", " };
    (!parts.is_empty()).then(|| parts.join(separator))
}

fn health_text(health: &Health, lang: Lang) -> String {
    let status = health.status.label().get(lang);
    let detail = match health.status {
        HealthStatus::Disabled => join(
            health
                .disability_category
                .map(|category| category.label())
                .into_iter()
                .chain(health.disability_grade.map(|grade| grade.label())),
            lang,
        ),
        HealthStatus::Ill => Some(health.illness.clone()).filter(|text| !text.trim().is_empty()),
        HealthStatus::Healthy => None,
    };
    match detail {
        Some(detail) if lang == Lang::Zh => format!("{status}:{detail}"),
        Some(detail) => format!("{status}: {detail}"),
        None => status.to_string(),
    }
}

fn guardian_text(guardian: &EntrustedGuardian, lang: Lang) -> String {
    let mut parts = vec![if guardian.relation.trim().is_empty() {
        guardian.name.clone()
    } else if lang == Lang::Zh {
        format!("{}({})", guardian.name, guardian.relation)
    } else {
        format!("{} ({})", guardian.name, guardian.relation)
    }];
    if !guardian.phone.trim().is_empty() {
        parts.push(guardian.phone.clone());
    }
    if let Some(id_number) = &guardian.id_number {
        let label = Text::new("身份证号 ", "ID number ").get(lang);
        parts.push(format!("{label}{id_number}"));
    }
    if !guardian.address.trim().is_empty() {
        let label = Text::new("住址 ", "Address: ").get(lang);
        parts.push(format!("{label}{}", guardian.address));
    }
    parts.join(" · ")
}

fn yes_no(value: Option<bool>, yes: Text, no: Text, lang: Lang) -> Option<String> {
    value.map(|value| (if value { yes } else { no }).get(lang).to_string())
}

/// The national form's rows, each "not recorded" when empty.
fn national_rows(details: &NationalDetails, lang: Lang) -> Vec<(Text, String)> {
    let assistance = join(details.assistance.iter().map(|item| item.label()), lang).map(|text| {
        let other = details.assistance_other.trim();
        match (other.is_empty(), lang) {
            (true, _) => text,
            (false, Lang::Zh) => format!("{text}({other})"),
            (false, Lang::En) => format!("{text} ({other})"),
        }
    });
    let signoff = &details.signoff;
    let rows = [
        (
            Text::new("民族", "Ethnicity"),
            details
                .ethnicity
                .as_deref()
                .and_then(national::ethnicity)
                .map(|name| name.get(lang).to_string()),
        ),
        (
            Text::new("是否登记户口", "Hukou registered"),
            yes_no(
                details.hukou_registered,
                Text::new("已登记", "Registered"),
                Text::new("未登记", "Not registered"),
                lang,
            ),
        ),
        (
            Text::new("健康状况", "Health"),
            details
                .health
                .as_ref()
                .map(|health| health_text(health, lang)),
        ),
        (
            Text::new("就学情况", "Schooling"),
            details
                .schooling
                .map(|stage| stage.label().get(lang).to_string()),
        ),
        (
            Text::new("是否寄宿", "Boarding"),
            yes_no(
                details.boarding,
                Text::new("寄宿", "Boards at school"),
                Text::new("不寄宿", "Does not board"),
                lang,
            ),
        ),
        (
            Text::new("委托监护人", "Entrusted guardian"),
            details
                .entrusted_guardian
                .as_ref()
                .map(|guardian| guardian_text(guardian, lang)),
        ),
        (
            Text::new("监护类型", "Guardianship type"),
            details
                .guardianship_type
                .map(|kind| kind.label().get(lang).to_string()),
        ),
        (
            Text::new("家庭收入来源", "Income sources"),
            join(details.income_sources.iter().map(|item| item.label()), lang),
        ),
        (Text::new("已获得的救助", "Assistance"), assistance),
        (
            Text::new("困境儿童类别", "Difficulty groups"),
            join(
                details.difficulty_groups.iter().map(|item| item.label()),
                lang,
            ),
        ),
        (
            Text::new("填表人", "Filled in by"),
            Some(signoff.filled_by.clone()),
        ),
        (
            Text::new("复核人", "Checked by"),
            Some(signoff.checked_by.clone()),
        ),
        (
            Text::new("单位负责人", "Responsible person"),
            Some(signoff.responsible.clone()),
        ),
    ];
    rows.into_iter()
        .map(|(label, value)| (label, or_not_recorded(value, lang)))
        .collect()
}

/// 国家登记表信息: every national detail of the record.
#[component]
pub fn NationalFacts(details: NationalDetails) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section id="child-national" aria-labelledby="child-national-title">
            <h2 id="child-national-title">{move || i18n.tr("国家登记表信息", "National registration form")}</h2>
            <dl class="facts">
                {move || {
                    let lang = i18n.lang.get();
                    facts(national_rows(&details, lang), lang)
                }}
            </dl>
        </section>
    }
}
