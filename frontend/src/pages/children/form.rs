//! Create and edit a child, with the eligibility rule evaluated live as the form is filled.
//! The rule is the same code the server runs on save; the server's answer is the one stored.
//! A failed submit shows every problem at the top, each linking to its field.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::children::{limits, ChildRecord};
use shared::eligibility::CoreDistricts;
use shared::{Role, Scope};

use super::form_checks::{birth_min, check, without_masked};
use super::form_national::NationalParts;
use super::form_parent::ParentEditor;
use super::form_parent_state::{FATHER, MOTHER};
use super::form_parts::{
    care_level_choices, category_choices, CountyField, GuardianEditor, VillageField,
};
use super::form_state::{parse_care_level, ChildForm};
use crate::components::eligibility::EligibilityPanel;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::{Choice, DateField, RadioGroup, SubmitBar, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::session::use_session;

pub fn today() -> NaiveDate {
    shared::time::beijing_date(chrono::Utc::now())
}

/// `/children/new` and `/children/:id/edit`.
#[component]
pub fn ChildFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = params.get_untracked().get("id");
    let existing = LocalResource::new({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move {
                match id {
                    Some(id) => crate::api::child(&id).await.map(Some),
                    None => Ok(None),
                }
            }
        }
    });
    let core = LocalResource::new(crate::api::core_districts);
    view! {
        <section class="card">
            <h1>{move || if id.is_some() { i18n.tr("修改儿童档案", "Edit child record") } else { i18n.tr("登记儿童", "Register a child") }}</h1>
            {move || match (existing.get(), core.get()) {
                (Some(Ok(record)), Some(core)) => view! {
                    <ChildEditor record=record core=core.unwrap_or_default()/>
                }.into_any(),
                (Some(Err(error)), _) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                _ => view! { <Loading/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ChildEditor(record: Option<ChildRecord>, core: CoreDistricts) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let my_villages: Vec<String> = match session.me().map(|me| me.scope) {
        Some(Scope::Villages { codes }) => codes,
        _ => Vec::new(),
    };
    let is_admin = session.me().is_some_and(|me| me.role == Role::Admin);
    let form = ChildForm::new(
        record.as_ref().map(|r| &r.child),
        my_villages.first().cloned().unwrap_or_default(),
    );
    let original_level = record.as_ref().map(|r| r.child.care_level);
    let birth_from = birth_min(today(), record.as_ref().map(|r| r.child.birth_date));
    let saving = RwSignal::new(false);
    let eligibility = Signal::derive(move || {
        form.for_rule()
            .map(|input| input.eligibility(today(), &core))
    });
    let record_id = record.as_ref().map(|r| r.id.clone());
    let version = record.as_ref().map(|r| r.version);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let today = today();
        let mut problems = check(&form, today, birth_from, original_level);
        let input = if problems.is_empty() {
            form.input()
        } else {
            None
        };
        if let Some(input) = &input {
            // The shared rules (ID numbers against birth dates and gender, lengths …). The
            // input is sent as it is: a masked ID number left unchanged means "keep".
            if let Err(more) = without_masked(input).validate(today) {
                problems = more;
            }
        }
        let Some(input) = input.filter(|_| problems.is_empty()) else {
            if problems.is_empty() {
                problems.push(shared::FieldError::new(
                    "birth_date",
                    shared::Text::new("请检查出生日期", "Check the date of birth"),
                ));
            }
            errors.show_fields(problems);
            return;
        };
        errors.clear();
        saving.set(true);
        let navigate = navigate.clone();
        let record_id = record_id.clone();
        spawn_local(async move {
            let saved = match (record_id, version) {
                (Some(id), Some(version)) => crate::api::update_child(&id, version, input).await,
                _ => crate::api::create_child(input).await,
            };
            saving.set(false);
            match saved {
                Ok(record) => {
                    let name = record.child.name.clone();
                    toasts.success(
                        format!("已保存儿童 {name} 的信息"),
                        format!("Saved {name}'s record"),
                    );
                    navigate(&format!("/children/{}", record.id), Default::default());
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };

    let genders = vec![
        Choice::new("male", "男", "Male"),
        Choice::new("female", "女", "Female"),
    ];
    let only_villages = if is_admin { Vec::new() } else { my_villages };
    view! {
        <form id="child-form" class="child-form" on:submit=submit novalidate>
            <ErrorSummary errors=errors/>
            <fieldset class="group">
                <legend>{move || i18n.tr("基本信息", "About the child")}</legend>
                <TextField id="child-name" field="name" label_zh="姓名" label_en="Name" value=form.name
                    max=shared::validate::limits::PERSON_NAME_MAX autocomplete="off"/>
                <RadioGroup id="child-gender" field="gender" legend_zh="性别" legend_en="Gender"
                    options=genders value=form.gender inline=true/>
                <DateField id="child-birth" field="birth_date" label_zh="出生日期" label_en="Date of birth"
                    value=form.birth_date min=birth_from max=today()/>
                <TextField id="child-id-number" field="id_number" label_zh="身份证号" label_en="ID number"
                    value=form.id_number.value max=18 required=false
                    hint_zh="18 位,出生日期和性别须与上面一致。已保存的号码只显示前 6 位(地区码),不修改即保留原号码。"
                    hint_en="18 characters; must agree with the date of birth and gender. A saved number shows only its first 6 (the region); leave it as it is to keep it."/>
            </fieldset>
            <fieldset class="group">
                <legend>{move || i18n.tr("户籍与居住", "Registration and residence")}</legend>
                <CountyField id="registration-county" field="registration.county_code"
                    legend_zh="户籍所在县(区)" legend_en="County of household registration"
                    value=form.registration_county/>
                <Show when=move || form.registration_county.get() == shared::divisions::DISTRICT_CODE>
                    <VillageField id="registration-village" field="registration.village_code"
                        label_zh="户籍村(社区)" label_en="Village of registration"
                        value=form.registration_village optional=true/>
                </Show>
                <VillageField id="residence-village" field="residence_village"
                    label_zh="常住村(社区)" label_en="Village / community of residence"
                    value=form.residence_village only=only_villages/>
                <TextField id="residence-detail" field="residence_detail" label_zh="详细地址" label_en="Address detail"
                    value=form.residence_detail max=limits::RESIDENCE_DETAIL_MAX required=false
                    hint_zh="如:3组12号" hint_en="e.g. group 3, no. 12"/>
            </fieldset>
            <fieldset class="group">
                <legend>{move || i18n.tr("学校", "School")}</legend>
                <TextField id="child-school" field="school" label_zh="学校" label_en="School"
                    value=form.school max=limits::SCHOOL_MAX/>
                <TextField id="child-class" field="class_name" label_zh="班级" label_en="Class"
                    value=form.class_name max=limits::CLASS_MAX required=false hint_zh="如:五(2)班" hint_en="e.g. 5 (2)"/>
            </fieldset>
            <fieldset class="group">
                <legend>{move || i18n.tr("父母情况", "Parents")}</legend>
                <ParentEditor who=FATHER form=form.father/>
                <ParentEditor who=MOTHER form=form.mother/>
            </fieldset>
            <EligibilityPanel result=eligibility/>
            <GuardianEditor guardian=form.guardian/>
            <fieldset class="group">
                <legend>{move || i18n.tr("类别与关爱等级", "Category and care level")}</legend>
                <RadioGroup id="child-category" field="category" legend_zh="类别" legend_en="Category"
                    options=category_choices() value=form.category inline=true/>
                <RadioGroup id="child-care-level" field="care_level" legend_zh="关爱等级" legend_en="Care level"
                    options=care_level_choices() value=form.care_level/>
                <Show when=move || original_level.is_some_and(|level| Some(level) != parse_care_level(&form.care_level.get()))>
                    <TextField id="care-level-reason" field="care_level_reason" label_zh="调整原因" label_en="Why the level changes"
                        value=form.care_level_reason max=limits::REASON_MAX/>
                </Show>
                <TextField id="child-interests" field="interests" label_zh="兴趣爱好" label_en="Interests"
                    value=form.interests max=limits::INTERESTS_MAX required=false/>
            </fieldset>
            <NationalParts form=form.national/>
            <SubmitBar id="child-save" label_zh="保存" label_en="Save" busy=Signal::derive(move || saving.get())/>
        </form>
    }
}
