//! Parts of the child form: the choices' lists, places, the guardian living with the child,
//! and the two kinds of choice the shared components do not cover (several boxes to tick, and
//! options that each carry a definition).

use leptos::prelude::*;
use shared::children::{limits, Capacity, CareLevel, Category};
use shared::Text;

use super::form_state::GuardianForm;
use crate::components::county_picker::{CountyPicker, VillageSelect};
use crate::components::errors::{described_by, invalid_flag, use_form_errors, FieldMessage};
use crate::components::form::{Choice, SelectField, TextField};
use crate::i18n::use_i18n;

/// The options of a labelled enum, in its own order.
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

/// One option of a `DefinedRadioGroup`: the choice and the definition shown under it.
#[derive(Clone, Copy)]
pub struct Defined {
    pub choice: Choice,
    pub definition: Text,
}

/// Radio buttons whose options each carry a definition under their label (the national
/// definitions of the guardianship types). Optional; nothing pre-selected.
#[component]
pub fn DefinedRadioGroup(
    id: &'static str,
    field: &'static str,
    legend_zh: &'static str,
    legend_en: &'static str,
    options: Vec<Defined>,
    value: RwSignal<String>,
    hint_zh: &'static str,
    hint_en: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let invalid = invalid_flag(field);
    let hint_id = format!("{id}-hint");
    let hint_for_aria = Some(hint_id.clone());
    view! {
        <fieldset id=id class=move || if invalid() { "field radios has-error" } else { "field radios" }
            data-field=field
            aria-describedby=move || described_by(hint_for_aria.clone(), field, invalid())>
            <legend>
                {move || i18n.tr(legend_zh, legend_en)}
                <span class="optional">{move || i18n.tr("(选填)", " (optional)")}</span>
            </legend>
            <p class="hint" id=hint_id>{move || i18n.tr(hint_zh, hint_en)}</p>
            <FieldMessage field=field/>
            <div class="radio-list">
                {options.into_iter().map(|option| {
                    let code = option.choice.value;
                    let option_id = format!("{id}-{code}");
                    let label_for = option_id.clone();
                    view! {
                        <label class="radio" for=label_for>
                            <input type="radio" id=option_id name=id value=code
                                prop:checked=move || value.with(|current| current == code)
                                on:change=move |_| value.set(code.to_string())/>
                            <span style="display:flex;flex-direction:column">
                                <span>{move || option.choice.label(i18n.lang.get())}</span>
                                <span class="hint">{move || option.definition.get(i18n.lang.get())}</span>
                            </span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
}
