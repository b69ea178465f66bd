//! 国家登记表信息: the national registration form's content beyond what eligibility needs, as
//! fieldsets of the child form. Every field is optional; field names are the server's
//! (`national.…`) so the error summary leads to the right input.

use leptos::prelude::*;
use shared::children::limits;
use shared::national::{
    Assistance, DifficultyGroup, DisabilityCategory, DisabilityGrade, GuardianshipType,
    HealthStatus, IncomeSource, SchoolStage, ETHNICITIES,
};
use shared::Text;

use super::form_national_state::{boarding_applies, NationalForm, NO, YES};
use super::form_parent::{ID_HINT_EN, ID_HINT_ZH};
use super::form_parts::{Defined, DefinedRadioGroup};
use crate::components::form::{choices, CheckGroup};
use crate::components::form::{Checkbox, Choice, RadioGroup, SelectField, TextField};
use crate::i18n::use_i18n;

/// The 56 ethnicities, value = GB/T 3304 code.
fn ethnicity_choices() -> Vec<Choice> {
    ETHNICITIES
        .iter()
        .map(|&(code, zh, en)| Choice::new(code, zh, en))
        .collect()
}

fn yes_no(yes: Text, no: Text) -> Vec<Choice> {
    vec![
        Choice::new(YES, yes.zh, yes.en),
        Choice::new(NO, no.zh, no.en),
    ]
}

fn guardianship_options() -> Vec<Defined> {
    GuardianshipType::ALL
        .iter()
        .map(|kind| {
            let label = kind.label();
            Defined {
                choice: Choice::new(kind.as_str(), label.zh, label.en),
                definition: kind.definition(),
            }
        })
        .collect()
}

/// The whole national part, under its own heading.
#[component]
pub fn NationalParts(form: NationalForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="national-form" id="national-form" aria-labelledby="national-form-title">
            <h2 id="national-form-title">{move || i18n.tr("国家登记表信息", "National registration form")}</h2>
            <p class="hint">{move || i18n.tr(
                "农村留守儿童基本情况登记表中的其他内容。均为选填,知道多少填多少,以后可以补充。",
                "The rest of the national registration form for left-behind children. Everything here is optional: fill in what you know and add the rest later.")}</p>
            <ChildPart form=form/>
            <GuardianshipPart form=form/>
            <FamilyPart form=form/>
            <SignoffPart form=form/>
        </section>
    }
}

/// Ethnicity, household registration, health and schooling.
#[component]
fn ChildPart(form: NationalForm) -> impl IntoView {
    let i18n = use_i18n();
    let disabled = move || {
        form.health
            .with(|code| code == HealthStatus::Disabled.as_str())
    };
    let ill = move || form.health.with(|code| code == HealthStatus::Ill.as_str());
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("儿童情况", "The child")}</legend>
            <SelectField id="child-ethnicity" field="national.ethnicity" label_zh="民族" label_en="Ethnicity"
                options=ethnicity_choices() value=form.ethnicity required=false/>
            <RadioGroup id="child-hukou" field="national.hukou_registered"
                legend_zh="是否登记户口" legend_en="Is the child's household registration (hukou) recorded?"
                options=yes_no(Text::new("已登记", "Yes"), Text::new("未登记", "No"))
                value=form.hukou inline=true required=false/>
            <RadioGroup id="child-health" field="national.health.status" legend_zh="健康状况" legend_en="Health"
                options=choices(HealthStatus::ALL, HealthStatus::as_str, HealthStatus::label)
                value=form.health inline=true required=false/>
            <Show when=disabled>
                <SelectField id="disability-category" field="national.health.disability_category"
                    label_zh="残疾类别" label_en="Category of disability"
                    options=choices(DisabilityCategory::ALL, DisabilityCategory::as_str, DisabilityCategory::label)
                    value=form.disability_category/>
                <SelectField id="disability-grade" field="national.health.disability_grade"
                    label_zh="残疾等级" label_en="Grade of disability"
                    options=choices(DisabilityGrade::ALL, DisabilityGrade::as_str, DisabilityGrade::label)
                    value=form.disability_grade hint_zh="以残疾人证为准" hint_en="As on the disability certificate"/>
            </Show>
            <Show when=ill>
                <TextField id="illness" field="national.health.illness" label_zh="所患疾病" label_en="Illness"
                    value=form.illness max=limits::ILLNESS_MAX hint_zh="如:哮喘" hint_en="e.g. asthma"/>
            </Show>
            <SelectField id="child-schooling" field="national.schooling" label_zh="就学情况" label_en="Schooling"
                options=choices(SchoolStage::ALL, SchoolStage::as_str, SchoolStage::label)
                value=form.schooling required=false/>
            <Show when=move || form.schooling.with(|stage| boarding_applies(stage))>
                <RadioGroup id="child-boarding" field="national.boarding"
                    legend_zh="是否寄宿" legend_en="Does the child board at school?"
                    options=yes_no(Text::new("寄宿", "Boards"), Text::new("不寄宿", "Does not board"))
                    value=form.boarding inline=true required=false/>
            </Show>
        </fieldset>
    }
}

/// The entrusted guardian and the guardianship type with its national definitions.
#[component]
fn GuardianshipPart(form: NationalForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("委托监护", "Entrusted guardianship")}</legend>
            <Checkbox id="entrusted-guardian" field="national.entrusted_guardian"
                label_zh="有委托监护人" label_en="There is an entrusted guardian (委托监护人)"
                checked=form.entrusted
                hint_zh="父母外出时委托照料儿童的人。" hint_en="Someone the parents have asked to look after the child while they are away."/>
            <Show when=move || form.entrusted.get()>
                <TextField id="entrusted-name" field="national.entrusted_guardian.name"
                    label_zh="委托监护人姓名" label_en="Entrusted guardian's name"
                    value=form.guardian_name max=shared::validate::limits::PERSON_NAME_MAX/>
                <TextField id="entrusted-relation" field="national.entrusted_guardian.relation"
                    label_zh="与儿童的关系" label_en="Relation to the child"
                    value=form.guardian_relation max=limits::RELATION_MAX
                    hint_zh="如:祖父" hint_en="e.g. grandfather"/>
                <TextField id="entrusted-phone" field="national.entrusted_guardian.phone"
                    label_zh="电话" label_en="Phone"
                    value=form.guardian_phone kind="tel" max=16 inputmode="tel"/>
                <TextField id="entrusted-id-number" field="national.entrusted_guardian.id_number"
                    label_zh="身份证号" label_en="ID number"
                    value=form.guardian_id_number.value max=18 required=false
                    hint_zh=ID_HINT_ZH hint_en=ID_HINT_EN/>
                <TextField id="entrusted-address" field="national.entrusted_guardian.address"
                    label_zh="住址" label_en="Address"
                    value=form.guardian_address max=limits::ADDRESS_MAX required=false/>
            </Show>
            <DefinedRadioGroup id="guardianship-type" field="national.guardianship_type"
                legend_zh="监护类型" legend_en="Guardianship type"
                options=guardianship_options() value=form.guardianship_type
                hint_zh="按国家登记表的定义选择。" hint_en="Choose by the national form's definitions."/>
        </fieldset>
    }
}

/// Income, assistance received, and the children-in-difficulty groups.
#[component]
fn FamilyPart(form: NationalForm) -> impl IntoView {
    let i18n = use_i18n();
    let other_assistance = move || {
        form.assistance.with(|codes| {
            codes
                .iter()
                .any(|code| code.as_str() == Assistance::Other.as_str())
        })
    };
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("家庭经济与困境类别", "Family income and difficulty")}</legend>
            <CheckGroup inline=true id="income-sources" field="national.income_sources"
                legend_zh="家庭收入来源" legend_en="Family income sources"
                options=choices(IncomeSource::ALL, IncomeSource::as_str, IncomeSource::label)
                value=form.income_sources required=false
                hint_zh="可多选。" hint_en="Choose all that apply."/>
            <CheckGroup inline=true id="assistance" field="national.assistance"
                legend_zh="已获得的救助" legend_en="Assistance received"
                options=choices(Assistance::ALL, Assistance::as_str, Assistance::label)
                value=form.assistance required=false
                hint_zh="可多选;没有可不选。" hint_en="Choose all that apply; none if none."/>
            <Show when=other_assistance>
                <TextField id="assistance-other" field="national.assistance_other"
                    label_zh="其他救助" label_en="Other assistance"
                    value=form.assistance_other max=limits::ASSISTANCE_OTHER_MAX
                    hint_zh="如:教育救助" hint_en="e.g. help with school costs"/>
            </Show>
            <CheckGroup inline=true id="difficulty-groups" field="national.difficulty_groups"
                legend_zh="困境儿童类别" legend_en="Children-in-difficulty groups"
                options=choices(DifficultyGroup::ALL, DifficultyGroup::as_str, DifficultyGroup::label)
                value=form.difficulty_groups required=false
                hint_zh="可多选;不属于困境儿童可不选。" hint_en="Choose all that apply; none if the child is in none."/>
        </fieldset>
    }
}

/// Who filled in the form, who checked it, and the unit's responsible person.
#[component]
fn SignoffPart(form: NationalForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("填表与审核", "Filled in and checked by")}</legend>
            <TextField id="signoff-filled-by" field="national.signoff.filled_by"
                label_zh="填表人" label_en="Filled in by"
                value=form.filled_by max=limits::SIGNOFF_NAME_MAX required=false/>
            <TextField id="signoff-checked-by" field="national.signoff.checked_by"
                label_zh="复核人" label_en="Checked by"
                value=form.checked_by max=limits::SIGNOFF_NAME_MAX required=false/>
            <TextField id="signoff-responsible" field="national.signoff.responsible"
                label_zh="单位负责人" label_en="Responsible person of the unit"
                value=form.responsible max=limits::SIGNOFF_NAME_MAX required=false/>
        </fieldset>
    }
}
