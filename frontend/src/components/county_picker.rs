//! Province → city → county, from the GB/T 2260 divisions compiled into `shared`.

use leptos::prelude::*;
use shared::divisions;

use crate::i18n::use_i18n;

/// Edits a county code (6 digits); empty while nothing is chosen.
#[component]
pub fn CountyPicker(id: &'static str, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let province = RwSignal::new(
        value
            .get_untracked()
            .get(..2)
            .unwrap_or_default()
            .to_string(),
    );
    let city = RwSignal::new(
        value
            .get_untracked()
            .get(..4)
            .unwrap_or_default()
            .to_string(),
    );
    let cities = move || {
        let province = province.get();
        divisions::cities()
            .filter(|city| city.parent == province)
            .map(|city| {
                (
                    city.code,
                    if city.name == "市辖区" || city.name == "县" {
                        divisions::province_name(&province).unwrap_or(city.name)
                    } else {
                        city.name
                    },
                )
            })
            .collect::<Vec<_>>()
    };
    let counties = move || {
        let city = city.get();
        divisions::counties()
            .filter(|county| county.parent == city)
            .collect::<Vec<_>>()
    };
    view! {
        <div class="county-picker" id=id>
            <select class="province" aria-label=move || i18n.tr("省份", "Province")
                on:change=move |event| { province.set(event_target_value(&event)); city.set(String::new()); value.set(String::new()); }>
                <option value="" selected=move || province.get().is_empty()>{move || i18n.tr("选择省份", "Province")}</option>
                {divisions::provinces().map(|option| {
                    let code = option.code;
                    view! { <option value=code selected=move || province.get() == code>{option.name}</option> }
                }).collect_view()}
            </select>
            <select class="city" aria-label=move || i18n.tr("城市", "City")
                on:change=move |event| { city.set(event_target_value(&event)); value.set(String::new()); }>
                <option value="" selected=move || city.get().is_empty()>{move || i18n.tr("选择城市", "City")}</option>
                {move || cities().into_iter().map(|(code, name)| {
                    view! { <option value=code selected=move || city.get() == code>{name}</option> }
                }).collect_view()}
            </select>
            <select class="county" aria-label=move || i18n.tr("县(区)", "County")
                on:change=move |event| value.set(event_target_value(&event))>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.tr("选择县(区)", "County")}</option>
                {move || counties().into_iter().map(|county| {
                    let code = county.code;
                    view! { <option value=code selected=move || value.get() == code>{county.name}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A village/community of this district, grouped by street.
#[component]
pub fn VillageSelect(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] allow_empty: bool,
    /// Only these villages (a director's); all when empty.
    #[prop(optional)]
    only: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let streets: Vec<_> = divisions::streets().collect();
    view! {
        <select id=id on:change=move |event| value.set(event_target_value(&event))>
            <option value="" selected=move || value.get().is_empty() disabled=!allow_empty>
                {move || i18n.tr("选择村(社区)", "Choose a village / community")}
            </option>
            {streets.into_iter().map(|street| {
                let villages: Vec<_> = divisions::villages()
                    .filter(|village| village.parent == street.code)
                    .filter(|village| only.is_empty() || only.iter().any(|code| code == village.code))
                    .collect();
                (!villages.is_empty()).then(|| view! {
                    <optgroup label=street.name>
                        {villages.into_iter().map(|village| {
                            let code = village.code;
                            view! { <option value=code selected=move || value.get() == code>{village.name}</option> }
                        }).collect_view()}
                    </optgroup>
                })
            }).collect_view()}
        </select>
    }
}
