//! Create and edit a child, with the eligibility rule evaluated live as the form is filled.
//! The rule is the same code the server runs on save; the server's answer is the one stored.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::children::{
    limits, Capacity, CareLevel, Category, ChildInput, ChildRecord, Gender, Guardian, Parent,
    Registration,
};
use shared::eligibility::{CoreDistricts, ParentSituation};
use shared::{Role, Scope};

use crate::api::ApiError;
use crate::components::county_picker::{CountyPicker, VillageSelect};
use crate::components::eligibility::EligibilityPanel;
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::form::TextField;
use crate::i18n::use_i18n;
use crate::session::use_session;

pub fn today() -> NaiveDate {
    shared::time::beijing_date(chrono::Utc::now())
}

#[derive(Clone, Copy)]
struct ParentForm {
    away: RwSignal<bool>,
    county: RwSignal<String>,
    since: RwSignal<String>,
    capacity: RwSignal<Capacity>,
    note: RwSignal<String>,
    phone: RwSignal<String>,
}

impl ParentForm {
    fn new(parent: Option<&Parent>) -> Self {
        let (away, county, since, capacity, note) = match parent.map(|p| &p.situation) {
            Some(ParentSituation::WorkingAway {
                county_code,
                since,
                note,
            }) => (
                true,
                county_code.clone(),
                since.to_string(),
                Capacity::Capable,
                note.clone(),
            ),
            Some(ParentSituation::AtHome { capacity, note }) => {
                (false, String::new(), String::new(), *capacity, note.clone())
            }
            None => (
                true,
                String::new(),
                String::new(),
                Capacity::Capable,
                String::new(),
            ),
        };
        Self {
            away: RwSignal::new(away),
            county: RwSignal::new(county),
            since: RwSignal::new(since),
            capacity: RwSignal::new(capacity),
            note: RwSignal::new(note),
            phone: RwSignal::new(parent.and_then(|p| p.phone.clone()).unwrap_or_default()),
        }
    }

    /// `None` while the situation is incomplete (no county or date yet).
    fn parent(&self) -> Option<Parent> {
        let situation = if self.away.get() {
            ParentSituation::WorkingAway {
                county_code: Some(self.county.get()).filter(|c| !c.is_empty())?,
                since: self.since.get().parse().ok()?,
                note: self.note.get(),
            }
        } else {
            ParentSituation::AtHome {
                capacity: self.capacity.get(),
                note: self.note.get(),
            }
        };
        let phone = self.phone.get();
        Some(Parent {
            situation,
            phone: (!phone.trim().is_empty()).then_some(phone),
        })
    }
}

#[derive(Clone, Copy)]
struct GuardianForm {
    name: RwSignal<String>,
    relation: RwSignal<String>,
    phone: RwSignal<String>,
    capacity: RwSignal<Capacity>,
}

#[derive(Clone, Copy)]
struct ChildForm {
    name: RwSignal<String>,
    gender: RwSignal<Gender>,
    birth_date: RwSignal<String>,
    id_number: RwSignal<String>,
    registration_county: RwSignal<String>,
    registration_village: RwSignal<String>,
    residence_village: RwSignal<String>,
    residence_detail: RwSignal<String>,
    school: RwSignal<String>,
    class_name: RwSignal<String>,
    category: RwSignal<Category>,
    care_level: RwSignal<CareLevel>,
    care_level_reason: RwSignal<String>,
    guardian: GuardianForm,
    father: ParentForm,
    mother: ParentForm,
    interests: RwSignal<String>,
}

impl ChildForm {
    fn new(child: Option<&ChildInput>, default_village: String) -> Self {
        let guardian = child.and_then(|c| c.guardians.first());
        Self {
            name: RwSignal::new(child.map(|c| c.name.clone()).unwrap_or_default()),
            gender: RwSignal::new(child.map(|c| c.gender).unwrap_or(Gender::Male)),
            birth_date: RwSignal::new(child.map(|c| c.birth_date.to_string()).unwrap_or_default()),
            id_number: RwSignal::new(child.and_then(|c| c.id_number.clone()).unwrap_or_default()),
            registration_county: RwSignal::new(
                child
                    .map(|c| c.registration.county_code.clone())
                    .unwrap_or_else(|| shared::divisions::DISTRICT_CODE.into()),
            ),
            registration_village: RwSignal::new(
                child
                    .and_then(|c| c.registration.village_code.clone())
                    .unwrap_or_default(),
            ),
            residence_village: RwSignal::new(
                child
                    .map(|c| c.residence_village.clone())
                    .unwrap_or(default_village),
            ),
            residence_detail: RwSignal::new(
                child
                    .map(|c| c.residence_detail.clone())
                    .unwrap_or_default(),
            ),
            school: RwSignal::new(child.map(|c| c.school.clone()).unwrap_or_default()),
            class_name: RwSignal::new(child.map(|c| c.class_name.clone()).unwrap_or_default()),
            category: RwSignal::new(child.map(|c| c.category).unwrap_or(Category::LeftBehind)),
            care_level: RwSignal::new(child.map(|c| c.care_level).unwrap_or(CareLevel::Routine)),
            care_level_reason: RwSignal::new(String::new()),
            guardian: GuardianForm {
                name: RwSignal::new(guardian.map(|g| g.name.clone()).unwrap_or_default()),
                relation: RwSignal::new(guardian.map(|g| g.relation.clone()).unwrap_or_default()),
                phone: RwSignal::new(guardian.map(|g| g.phone.clone()).unwrap_or_default()),
                capacity: RwSignal::new(guardian.map(|g| g.capacity).unwrap_or(Capacity::Capable)),
            },
            father: ParentForm::new(child.map(|c| &c.father)),
            mother: ParentForm::new(child.map(|c| &c.mother)),
            interests: RwSignal::new(child.map(|c| c.interests.clone()).unwrap_or_default()),
        }
    }

    /// The input as far as it can be built; `None` while a date or a parent is incomplete.
    fn input(&self) -> Option<ChildInput> {
        let guardian_name = self.guardian.name.get();
        let guardians = if guardian_name.trim().is_empty() {
            Vec::new()
        } else {
            vec![Guardian {
                name: guardian_name,
                relation: self.guardian.relation.get(),
                phone: self.guardian.phone.get(),
                capacity: self.guardian.capacity.get(),
            }]
        };
        let village = self.registration_village.get();
        let id_number = self.id_number.get();
        Some(ChildInput {
            name: self.name.get(),
            gender: self.gender.get(),
            birth_date: self.birth_date.get().parse().ok()?,
            id_number: (!id_number.trim().is_empty()).then_some(id_number),
            registration: Registration {
                county_code: self.registration_county.get(),
                village_code: (!village.is_empty()).then_some(village),
            },
            residence_village: self.residence_village.get(),
            residence_detail: self.residence_detail.get(),
            school: self.school.get(),
            class_name: self.class_name.get(),
            category: self.category.get(),
            care_level: self.care_level.get(),
            care_level_reason: self.care_level_reason.get(),
            guardians,
            father: self.father.parent()?,
            mother: self.mother.parent()?,
            interests: self.interests.get(),
        })
    }
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
                (Some(Err(error)), _) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
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
    let (error, set_error) = signal(None::<ApiError>);
    let local_errors = RwSignal::new(Vec::<shared::FieldError>::new());
    let saving = RwSignal::new(false);
    let eligibility =
        Signal::derive(move || form.input().map(|input| input.eligibility(today(), &core)));
    let record_id = record.as_ref().map(|r| r.id.clone());
    let version = record.as_ref().map(|r| r.version);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        set_error.set(None);
        let Some(input) = form.input() else {
            local_errors.set(vec![shared::FieldError::new(
                "form",
                shared::Text::new(
                    "请填写出生日期和父母的完整情况(务工地与外出日期)",
                    "Fill in the date of birth and both parents (place and date when working away)",
                ),
            )]);
            return;
        };
        match input.validate(today()) {
            Err(errors) => {
                local_errors.set(errors);
                return;
            }
            Ok(_) => local_errors.set(Vec::new()),
        }
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
                Ok(record) => navigate(&format!("/children/{}", record.id), Default::default()),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };

    let gender_options = [
        (Gender::Male, "男", "Male", "male"),
        (Gender::Female, "女", "Female", "female"),
    ];
    view! {
        <form id="child-form" class="child-form" on:submit=submit novalidate>
            <fieldset>
                <legend>{move || i18n.tr("基本信息", "About the child")}</legend>
                <TextField id="child-name" label_zh="姓名" label_en="Name" value=form.name max=shared::validate::limits::PERSON_NAME_MAX/>
                <div class="field">
                    <label for="child-gender">{move || i18n.tr("性别", "Gender")}</label>
                    <select id="child-gender" on:change=move |event| form.gender.set(if event_target_value(&event) == "female" { Gender::Female } else { Gender::Male })>
                        {gender_options.into_iter().map(|(gender, zh, en, value)| view! {
                            <option value=value selected=move || form.gender.get() == gender>{move || i18n.tr(zh, en)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="child-birth">{move || i18n.tr("出生日期", "Date of birth")}</label>
                    <input id="child-birth" type="date" max=today().to_string() prop:value=move || form.birth_date.get()
                        on:input=move |event| form.birth_date.set(event_target_value(&event))
                        on:change=move |event| form.birth_date.set(event_target_value(&event))/>
                </div>
                <TextField id="child-id-number" label_zh="身份证号(选填)" label_en="ID number (optional)" value=form.id_number max=18 required=false
                    hint_zh="18 位,出生日期和性别须与上面一致" hint_en="18 characters; must agree with the date of birth and gender"/>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.tr("户籍与居住", "Registration and residence")}</legend>
                <div class="field">
                    <label>{move || i18n.tr("户籍所在县(区)", "County of household registration")}</label>
                    <CountyPicker id="registration-county" value=form.registration_county/>
                </div>
                <Show when=move || form.registration_county.get() == shared::divisions::DISTRICT_CODE>
                    <div class="field">
                        <label for="registration-village">{move || i18n.tr("户籍村(社区)", "Village of registration")}</label>
                        <VillageSelect id="registration-village" value=form.registration_village allow_empty=true/>
                    </div>
                </Show>
                <div class="field">
                    <label for="residence-village">{move || i18n.tr("常住村(社区)", "Village / community of residence")}</label>
                    <VillageSelect id="residence-village" value=form.residence_village only=if is_admin { Vec::new() } else { my_villages.clone() }/>
                </div>
                <TextField id="residence-detail" label_zh="详细地址(选填)" label_en="Address detail (optional)" value=form.residence_detail max=limits::RESIDENCE_DETAIL_MAX required=false/>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.tr("学校", "School")}</legend>
                <TextField id="child-school" label_zh="学校" label_en="School" value=form.school max=limits::SCHOOL_MAX/>
                <TextField id="child-class" label_zh="班级(选填)" label_en="Class (optional)" value=form.class_name max=limits::CLASS_MAX required=false/>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.tr("父母情况", "Parents")}</legend>
                <ParentEditor who="father" zh="父亲" en="Father" form=form.father/>
                <ParentEditor who="mother" zh="母亲" en="Mother" form=form.mother/>
            </fieldset>
            <EligibilityPanel result=eligibility/>
            <fieldset>
                <legend>{move || i18n.tr("共同生活的监护人", "Guardian living with the child")}</legend>
                <TextField id="guardian-name" label_zh="姓名" label_en="Name" value=form.guardian.name max=shared::validate::limits::PERSON_NAME_MAX required=false/>
                <TextField id="guardian-relation" label_zh="关系" label_en="Relation" value=form.guardian.relation max=limits::RELATION_MAX required=false hint_zh="如:祖母" hint_en="e.g. grandmother"/>
                <TextField id="guardian-phone" label_zh="电话" label_en="Phone" value=form.guardian.phone kind="tel" max=16 required=false/>
                <CapacitySelect id="guardian-capacity" value=form.guardian.capacity/>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.tr("类别与关爱等级", "Category and care level")}</legend>
                <div class="field">
                    <label for="child-category">{move || i18n.tr("类别", "Category")}</label>
                    <select id="child-category" on:change=move |event| form.category.set(if event_target_value(&event) == "in_difficulty" { Category::InDifficulty } else { Category::LeftBehind })>
                        {Category::ALL.into_iter().map(|category| view! {
                            <option value=category.as_str() selected=move || form.category.get() == category>{move || category.label().get(i18n.lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="child-care-level">{move || i18n.tr("关爱等级", "Care level")}</label>
                    <select id="child-care-level" on:change=move |event| {
                        let value = event_target_value(&event);
                        if let Some(level) = CareLevel::ALL.into_iter().find(|level| level.as_str() == value) { form.care_level.set(level) }
                    }>
                        {CareLevel::ALL.into_iter().map(|level| view! {
                            <option value=level.as_str() selected=move || form.care_level.get() == level>{move || level.label().get(i18n.lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Show when=move || original_level.is_some_and(|level| level != form.care_level.get())>
                    <TextField id="care-level-reason" label_zh="调整原因" label_en="Why the level changes" value=form.care_level_reason max=limits::REASON_MAX/>
                </Show>
                <TextField id="child-interests" label_zh="兴趣爱好(选填)" label_en="Interests (optional)" value=form.interests max=limits::INTERESTS_MAX required=false/>
            </fieldset>
            {move || {
                let lang = i18n.lang.get();
                let errors = local_errors.get();
                (!errors.is_empty()).then(|| view! {
                    <div class="error" role="alert">
                        <ul class="error-fields">
                            {errors.into_iter().map(|e| view! { <li>{e.message(lang).to_string()}</li> }).collect_view()}
                        </ul>
                    </div>
                })
            }}
            <ErrorBanner error=error/>
            <button id="child-save" type="submit" class="primary" disabled=move || saving.get()>
                {move || if saving.get() { i18n.tr("正在保存…", "Saving…") } else { i18n.tr("保存", "Save") }}
            </button>
        </form>
    }
}

#[component]
fn CapacitySelect(id: &'static str, value: RwSignal<Capacity>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for=id>{move || i18n.tr("监护能力", "Guardianship capacity")}</label>
            <select id=id on:change=move |event| {
                if let Some(capacity) = Capacity::parse(&event_target_value(&event)) { value.set(capacity) }
            }>
                {Capacity::ALL.into_iter().map(|capacity| view! {
                    <option value=capacity.as_str() selected=move || value.get() == capacity>{move || capacity.label().get(i18n.lang.get())}</option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn ParentEditor(
    who: &'static str,
    zh: &'static str,
    en: &'static str,
    form: ParentForm,
) -> impl IntoView {
    let i18n = use_i18n();
    let note_id: &'static str = if who == "father" {
        "father-note"
    } else {
        "mother-note"
    };
    let phone_id: &'static str = if who == "father" {
        "father-phone"
    } else {
        "mother-phone"
    };
    let capacity_id: &'static str = if who == "father" {
        "father-capacity"
    } else {
        "mother-capacity"
    };
    let county_id: &'static str = if who == "father" {
        "father-county"
    } else {
        "mother-county"
    };
    view! {
        <div class="parent" id=who>
            <h3>{move || i18n.tr(zh, en)}</h3>
            <div class="segmented" role="radiogroup">
                <label class="check">
                    <input type="radio" name=format!("{who}-situation") value="away" class="away"
                        prop:checked=move || form.away.get() on:change=move |_| form.away.set(true)/>
                    {move || i18n.tr("外出务工", "Working away")}
                </label>
                <label class="check">
                    <input type="radio" name=format!("{who}-situation") value="home" class="home"
                        prop:checked=move || !form.away.get() on:change=move |_| form.away.set(false)/>
                    {move || i18n.tr("在家", "At home")}
                </label>
            </div>
            <Show when=move || form.away.get() fallback=move || view! { <CapacitySelect id=capacity_id value=form.capacity/> }>
                <div class="field">
                    <label>{move || i18n.tr("务工所在县(区)", "County where they work")}</label>
                    <CountyPicker id=county_id value=form.county/>
                </div>
                <div class="field">
                    <label>{move || i18n.tr("外出日期(偶尔回家探亲不影响)", "Away since (occasional visits home do not reset it)")}</label>
                    <input class="since" type="date" max=today().to_string() prop:value=move || form.since.get()
                        on:input=move |event| form.since.set(event_target_value(&event))
                        on:change=move |event| form.since.set(event_target_value(&event))/>
                </div>
            </Show>
            <TextField id=note_id label_zh="说明(选填)" label_en="Note (optional)" value=form.note max=limits::NOTE_MAX required=false
                hint_zh="如:每年春节回家;无法履行监护的原因" hint_en="e.g. home every Spring Festival; why they cannot act as guardian"/>
            <TextField id=phone_id label_zh="电话(选填)" label_en="Phone (optional)" value=form.phone kind="tel" max=16 required=false/>
        </div>
    }
}
