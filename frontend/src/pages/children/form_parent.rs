//! One parent on the child form: name, where they are (each of the six situations with the
//! fields it needs), a note, date of birth, ID number and phone.

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::children::limits;

use super::form::today;
use super::form_checks::{missing_min, parent_birth_min, since_min};
use super::form_parent_state::{situation_choices, ParentForm, Who, AWAY, HOME, MISSING};
use super::form_parts::{capacity_choices, CountyField};
use crate::components::form::{DateField, RadioGroup, SelectField, TextField};
use crate::i18n::use_i18n;

/// The hint of every ID number field: what a masked number means on edit.
pub const ID_HINT_ZH: &str = "18 位。已保存的号码只显示前 6 位(地区码),不修改即保留原号码。";
pub const ID_HINT_EN: &str =
    "18 characters. A saved number shows only its first 6 (the region); leave it as it is to keep it.";

#[component]
pub fn ParentEditor(who: Who, form: ParentForm) -> impl IntoView {
    let i18n = use_i18n();
    let today: NaiveDate = today();
    view! {
        <div class="parent" id=who.key>
            <h3>{move || i18n.tr(who.zh, who.en)}</h3>
            <TextField id=who.name_id field=who.name_field label_zh="姓名" label_en="Name"
                value=form.name max=shared::validate::limits::PERSON_NAME_MAX required=false/>
            <RadioGroup id=who.situation_id field=who.situation_field
                legend_zh=who.situation_zh legend_en=who.situation_en
                options=situation_choices() value=form.situation/>
            <Show when=move || form.situation.get() == AWAY>
                <CountyField id=who.county_id field=who.county_field
                    legend_zh="务工所在县(区)" legend_en="County where they work" value=form.county/>
                <DateField id=who.since_id field=who.since_field
                    label_zh="外出日期" label_en="Away since" value=form.since
                    min=since_min() max=today
                    hint_zh="偶尔回家探亲不影响外出日期" hint_en="Occasional visits home do not reset it"/>
            </Show>
            <Show when=move || form.situation.get() == HOME>
                <SelectField id=who.capacity_id field=who.capacity_field
                    label_zh="监护能力" label_en="Guardianship capacity"
                    options=capacity_choices() value=form.capacity/>
            </Show>
            <Show when=move || form.situation.get() == MISSING>
                <DateField id=who.missing_since_id field=who.since_field
                    label_zh="失联日期" label_en="Missing since" value=form.missing_since
                    min=missing_min() max=today required=false
                    hint_zh="知道时填写" hint_en="If known"/>
            </Show>
            <TextField id=who.note_id field=who.note_field label_zh="说明" label_en="Note"
                value=form.note max=limits::NOTE_MAX required=false
                hint_zh="如:每年春节回家;无法履行监护的原因;服刑或戒毒的期限"
                hint_en="e.g. home every Spring Festival; why they cannot act as guardian; how long the sentence or rehabilitation lasts"/>
            <DateField id=who.birth_id field=who.birth_field label_zh="出生日期" label_en="Date of birth"
                value=form.birth_date min=parent_birth_min() max=today required=false/>
            <TextField id=who.id_number_id field=who.id_number_field label_zh="身份证号" label_en="ID number"
                value=form.id_number.value max=18 required=false
                hint_zh=ID_HINT_ZH hint_en=ID_HINT_EN/>
            <TextField id=who.phone_id field=who.phone_field label_zh="电话" label_en="Phone"
                value=form.phone kind="tel" max=16 required=false inputmode="tel" autocomplete="off"/>
        </div>
    }
}
