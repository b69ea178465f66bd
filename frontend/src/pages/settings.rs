//! Admins: which districts count as core urban districts (moves between them are not "away").

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::eligibility::{CoreCity, CoreDistricts};

use crate::api::ApiError;
use crate::components::feedback::{ErrorBanner, Loading};
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
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(config)) => view! { <CoreEditor config=config/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CoreEditor(config: CoreDistricts) -> impl IntoView {
    let i18n = use_i18n();
    let cities = RwSignal::new(config.cities);
    let new_city = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let saved = RwSignal::new(false);
    let save = move |_| {
        saved.set(false);
        set_error.set(None);
        let value = CoreDistricts {
            cities: cities.get_untracked(),
        };
        spawn_local(async move {
            match crate::api::set_core_districts(&value).await {
                Ok(_) => saved.set(true),
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    view! {
        {move || cities.get().into_iter().enumerate().map(|(index, city)| {
            let name = shared::divisions::city_name(&city.city_code).unwrap_or_default();
            let counties: Vec<_> = shared::divisions::counties().filter(|county| county.parent == city.city_code).collect();
            view! {
                <fieldset class="field">
                    <legend>{name} " (" {city.city_code.clone()} ")"</legend>
                    {counties.into_iter().map(|county| {
                        let code = county.code.to_string();
                        let checked = city.county_codes.contains(&code);
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=checked on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    let code = code.clone();
                                    cities.update(|cities| if let Some(city) = cities.get_mut(index) {
                                        city.county_codes.retain(|c| *c != code);
                                        if on { city.county_codes.push(code) }
                                    });
                                }/>
                                {county.name}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }
        }).collect_view()}
        <div class="field inline">
            <input type="text" maxlength="4" placeholder=move || i18n.tr("地级市代码,如 3303", "City code, e.g. 3303")
                prop:value=move || new_city.get() on:input=move |event| new_city.set(event_target_value(&event))/>
            <button on:click=move |_| {
                let code = new_city.get_untracked();
                if shared::divisions::city_name(&code).is_some() && !cities.get_untracked().iter().any(|c| c.city_code == code) {
                    cities.update(|cities| cities.push(CoreCity { city_code: code, county_codes: Vec::new() }));
                    new_city.set(String::new());
                }
            }>{move || i18n.tr("添加城市", "Add city")}</button>
        </div>
        <ErrorBanner error=error/>
        <Show when=move || saved.get()><div class="success">{move || i18n.tr("已保存。", "Saved.")}</div></Show>
        <button class="primary" on:click=save>{move || i18n.tr("保存", "Save")}</button>
    }
}
