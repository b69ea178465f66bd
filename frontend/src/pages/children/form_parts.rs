//! Parts of the child form: a parent's situation, the guardian, category and care level.

use leptos::prelude::*;
use shared::children::{limits, Capacity, CareLevel, Category};

use super::form::today;
use super::form_checks::since_min;
use super::form_state::{GuardianForm, ParentForm, Who, AWAY, HOME};
use crate::components::county_picker::{CountyPicker, VillageSelect};
use crate::components::errors::{use_form_errors, FieldMessage};
use crate::components::form::{Choice, DateField, RadioGroup, SelectField, TextField};
use crate::i18n::use_i18n;

pub fn capacity_choices() -> Vec<Choice> {
    Capacity::ALL
        .into_iter()
        .map(|capacity| {
            let label = capacity.label();
            Choice::new(capacity.as_str(), label.zh, label.en)
        })
        .collect()
}

pub fn category_choices() -> Vec<Choice> {
    Category::ALL
        .into_iter()
        .map(|category| {
            let label = category.label();
            Choice::new(category.as_str(), label.zh, label.en)
        })
        .collect()
}

pub fn care_level_choices() -> Vec<Choice> {
    CareLevel::ALL
        .into_iter()
        .map(|level| {
            let label = level.label();
            Choice::new(level.as_str(), label.zh, label.en)
        })
        .collect()
}

/// The wrapper's class, marked when its field has an error.
fn field_class(
    base: &'static str,
    field: &'static str,
) -> impl Fn() -> String + Send + Sync + 'static {
    let errors = use_form_errors();
    move || {
        if errors.is_some_and(|errors| errors.has(field)) {
            format!("{base} has-error")
        } else {
            base.to_string()
        }
    }
}

/// A county picker (province → city → county) as one labelled field.
#[component]
pub fn CountyField(
    id: &'static str,
    field: &'static str,
    legend_zh: &'static str,
    legend_en: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class=field_class("field county-field", field) data-field=field>
            <legend>{move || i18n.tr(legend_zh, legend_en)}</legend>
            <FieldMessage field=field/>
            <CountyPicker id=id value=value/>
        </fieldset>
    }
}

/// A village or community of this district, labelled.
#[component]
pub fn VillageField(
    id: &'static str,
    field: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] optional: bool,
    /// Only these villages (a director's); all when empty.
    #[prop(optional)]
    only: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class=field_class("field", field) data-field=field>
            <label for=id>
                {move || i18n.tr(label_zh, label_en)}
                {optional.then(|| view! { <span class="optional">{move || i18n.tr("(选填)", " (optional)")}</span> })}
            </label>
            <FieldMessage field=field/>
            <VillageSelect id=id value=value allow_empty=optional only=only/>
        </div>
    }
}

/// A parent: working away (where, since when) or at home (can they act as guardian).
#[component]
pub fn ParentEditor(who: Who, form: ParentForm) -> impl IntoView {
    let i18n = use_i18n();
    let situations = vec![
        Choice::new(AWAY, "外出务工", "Working away"),
        Choice::new(HOME, "在家", "At home"),
    ];
    view! {
        <div class="parent" id=who.key>
            <h3>{move || i18n.tr(who.zh, who.en)}</h3>
            <RadioGroup id=who.situation_id field=who.situation_field
                legend_zh=who.situation_zh legend_en=who.situation_en
                options=situations value=form.situation inline=true/>
            <Show when=move || form.situation.get() == AWAY>
                <CountyField id=who.county_id field=who.county_field
                    legend_zh="务工所在县(区)" legend_en="County where they work" value=form.county/>
                <DateField id=who.since_id field=who.since_field
                    label_zh="外出日期" label_en="Away since" value=form.since
                    min=since_min() max=today()
                    hint_zh="偶尔回家探亲不影响外出日期" hint_en="Occasional visits home do not reset it"/>
            </Show>
            <Show when=move || form.situation.get() == HOME>
                <SelectField id=who.capacity_id field=who.capacity_field
                    label_zh="监护能力" label_en="Guardianship capacity"
                    options=capacity_choices() value=form.capacity/>
            </Show>
            <TextField id=who.note_id field=who.note_field label_zh="说明" label_en="Note"
                value=form.note max=limits::NOTE_MAX required=false
                hint_zh="如:每年春节回家;无法履行监护的原因" hint_en="e.g. home every Spring Festival; why they cannot act as guardian"/>
            <TextField id=who.phone_id field=who.phone_field label_zh="电话" label_en="Phone"
                value=form.phone kind="tel" max=16 required=false inputmode="tel" autocomplete="off"/>
        </div>
    }
}

/// The guardian living with the child, when there is one.
#[component]
pub fn GuardianEditor(guardian: GuardianForm) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="group">
            <legend>{move || i18n.tr("共同生活的监护人", "Guardian living with the child")}</legend>
            <p class="hint">{move || i18n.tr(
                "如有祖父母等监护人与儿童同住请填写,没有可留空;填写时姓名、关系、电话和监护能力都需要。",
                "If a grandparent or another guardian lives with the child, fill this in (name, relation, phone and capacity); otherwise leave it empty.")}</p>
            <TextField id="guardian-name" field="guardians[0].name" label_zh="姓名" label_en="Name"
                value=guardian.name max=shared::validate::limits::PERSON_NAME_MAX required=false/>
            <TextField id="guardian-relation" field="guardians[0].relation" label_zh="与儿童的关系" label_en="Relation to the child"
                value=guardian.relation max=limits::RELATION_MAX required=false hint_zh="如:祖母" hint_en="e.g. grandmother"/>
            <TextField id="guardian-phone" field="guardians[0].phone" label_zh="电话" label_en="Phone"
                value=guardian.phone kind="tel" max=16 required=false inputmode="tel"/>
            <SelectField id="guardian-capacity" field="guardians[0].capacity"
                label_zh="监护能力" label_en="Guardianship capacity"
                options=capacity_choices() value=guardian.capacity required=false/>
        </fieldset>
    }
}
