//! Admins: which districts count as core urban districts (moves between them are not "away").

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::eligibility::{CoreCity, CoreDistricts};
use shared::{FieldError, Text};

use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::{SubmitBar, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = LocalResource::new(crate::api::core_districts);
    view! {
        <section class="card">
            <h1>{move || i18n.tr("主城区设置", "Core urban districts")}</h1>
            <p class="muted">{move || i18n.tr(
                "父母在同一地级市的主城区之间流动不算“外出务工”(如龙湾区与鹿城区)。勾选每个城市的主城区。",
                "A parent moving between core urban districts of the same city is not “working away” (e.g. Longwan and Lucheng). Tick each city's core districts.")}</p>
            {move || match config.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(config)) => view! { <CoreEditor config=config/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CoreEditor(config: CoreDistricts) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let cities = RwSignal::new(config.cities);
    let new_city = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        errors.clear();
        busy.set(true);
        let value = CoreDistricts {
            cities: cities.get_untracked(),
        };
        spawn_local(async move {
            let result = crate::api::set_core_districts(&value).await;
            busy.set(false);
            match result {
                Ok(_) => toasts.success("已保存主城区设置", "Core districts saved"),
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    let add_city = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let code = new_city.get_untracked().trim().to_string();
        let problem = if shared::divisions::city_name(&code).is_none() {
            Some(Text::new(
                "找不到这个地级市代码,请填写 4 位数字,如 3303(温州市)",
                "No city has this code; enter 4 digits, e.g. 3303 (Wenzhou)",
            ))
        } else if cities.get_untracked().iter().any(|c| c.city_code == code) {
            Some(Text::new(
                "这个城市已在列表中",
                "This city is already listed",
            ))
        } else {
            None
        };
        match problem {
            Some(text) => errors.show_fields(vec![FieldError::new("new_city", text)]),
            None => {
                errors.clear();
                let name = shared::divisions::city_name(&code)
                    .unwrap_or_default()
                    .to_string();
                cities.update(|cities| {
                    cities.push(CoreCity {
                        city_code: code,
                        county_codes: Vec::new(),
                    })
                });
                new_city.set(String::new());
                toasts.info(
                    format!("已添加 {name},请勾选主城区后保存"),
                    format!("Added {name}; tick its core districts, then save"),
                );
            }
        }
    };
    view! {
        <ErrorSummary errors=errors/>
        <form id="core-districts-form" on:submit=save novalidate>
            // Keyed by city, so ticking a box does not redraw the list (focus stays put).
            <For each=move || cities.with(|cities| cities.iter().map(|city| city.city_code.clone()).collect::<Vec<_>>())
                key=|code| code.clone()
                children=move |code| view! { <CityChecks city_code=code cities=cities/> }/>
            <SubmitBar id="core-save" label_zh="保存" label_en="Save" busy=Signal::derive(move || busy.get())/>
        </form>
        <h2>{move || i18n.tr("添加城市", "Add a city")}</h2>
        <form id="add-city-form" class="inline-form" on:submit=add_city novalidate>
            <TextField id="new-city" field="new_city" label_zh="地级市代码" label_en="City code" value=new_city
                max=4 inputmode="numeric" hint_zh="4 位数字,如 3303(温州市)" hint_en="4 digits, e.g. 3303 (Wenzhou)"/>
            <button type="submit" id="add-city">{move || i18n.tr("添加城市", "Add city")}</button>
        </form>
    }
}

/// One city's counties as checkboxes; ticked ones are its core districts.
#[component]
fn CityChecks(city_code: String, cities: RwSignal<Vec<CoreCity>>) -> impl IntoView {
    let name = shared::divisions::city_name(&city_code).unwrap_or_default();
    let counties: Vec<_> = shared::divisions::counties()
        .filter(|county| county.parent == city_code)
        .collect();
    let legend = format!("{name} ({city_code})");
    view! {
        <fieldset class="field checks">
            <legend>{legend}</legend>
            {counties.into_iter().map(|county| {
                let code: &'static str = county.code;
                let city = city_code.clone();
                let city_for_change = city_code.clone();
                view! {
                    <label class="check">
                        <input type="checkbox"
                            prop:checked=move || cities.with(|cities| cities.iter().any(|c| c.city_code == city && c.county_codes.iter().any(|k| k == code)))
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                cities.update(|cities| {
                                    if let Some(entry) = cities.iter_mut().find(|c| c.city_code == city_for_change) {
                                        entry.county_codes.retain(|k| k != code);
                                        if on { entry.county_codes.push(code.to_string()) }
                                    }
                                });
                            }/>
                        {county.name}
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}
