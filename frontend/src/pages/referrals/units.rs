//! Admins, on the settings page: the district's member units (成员单位) referrals go to, and the
//! working days a unit has to answer (by urgency) and to resolve.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::referrals::{limits, MemberUnits};
use shared::{FieldError, Lang, Text};

use crate::components::errors::{ErrorSummary, FieldMessage, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::{NumberField, SubmitBar, TextField};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

#[component]
pub fn MemberUnitsCard() -> impl IntoView {
    let i18n = use_i18n();
    let units = LocalResource::new(crate::api::referral_units);
    view! {
        <section class="card" id="referral-units">
            <h2>{move || i18n.tr("转介成员单位", "Member units for referrals")}</h2>
            <p class="muted">{move || i18n.tr(
                "区未保办把转介交给这些成员单位办理。每个单位的转介专员在“用户”中以“成员单位”角色创建,所属单位的名称须与这里一致。期限按工作日计算(见上方走访设置中的节假日和调休)。",
                "The district office sends referrals to these member units. Each unit's officers are created under Users with the officer role and the same unit name. Deadlines count working days (see the holidays and make-up days in the visit schedule above).")}</p>
            {move || match units.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(units)) => view! { <UnitsEditor units=units/> }.into_any(),
            }}
        </section>
    }
}

fn days(field: &str, text: &str) -> Result<u32, FieldError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|days| (1..=60).contains(days))
        .ok_or_else(|| {
            FieldError::new(
                field,
                Text::new(
                    "请填写 1 到 60 之间的整数",
                    "Enter a whole number from 1 to 60",
                ),
            )
        })
}

#[component]
fn UnitsEditor(units: MemberUnits) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let names = RwSignal::new(units.units);
    let urgent = RwSignal::new(units.urgent_response_days.to_string());
    let normal = RwSignal::new(units.normal_response_days.to_string());
    let resolve = RwSignal::new(units.resolve_days.to_string());
    let new_unit = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let add = move |_| {
        let name = new_unit.get_untracked().trim().to_string();
        let problem = if name.is_empty() {
            Some(Text::new("请填写单位名称", "Enter the unit's name"))
        } else if name.chars().count() > limits::UNIT_MAX {
            Some(Text::new(
                "单位名称最多 40 个字",
                "A unit's name has at most 40 characters",
            ))
        } else if names.with_untracked(|names| names.contains(&name)) {
            Some(Text::new(
                "这个单位已在列表中",
                "This unit is already listed",
            ))
        } else if names.with_untracked(|names| names.len() >= limits::UNITS_MAX) {
            Some(Text::new("最多 40 个成员单位", "At most 40 member units"))
        } else {
            None
        };
        match problem {
            Some(text) => errors.show_fields(vec![FieldError::new("new_unit", text)]),
            None => {
                errors.clear();
                names.update(|names| names.push(name));
                new_unit.set(String::new());
            }
        }
    };

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let parsed = (
            days("urgent_response_days", &urgent.get_untracked()),
            days("normal_response_days", &normal.get_untracked()),
            days("resolve_days", &resolve.get_untracked()),
        );
        let (urgent_response_days, normal_response_days, resolve_days) = match parsed {
            (Ok(urgent), Ok(normal), Ok(resolve)) => (urgent, normal, resolve),
            (urgent, normal, resolve) => {
                let mut problems: Vec<FieldError> = [urgent.err(), normal.err(), resolve.err()]
                    .into_iter()
                    .flatten()
                    .collect();
                if names.with_untracked(Vec::is_empty) {
                    problems.insert(
                        0,
                        FieldError::new(
                            "units",
                            Text::new("请至少保留一个成员单位", "Keep at least one member unit"),
                        ),
                    );
                }
                return errors.show_fields(problems);
            }
        };
        let value = MemberUnits {
            units: names.get_untracked(),
            urgent_response_days,
            normal_response_days,
            resolve_days,
        };
        let value = match value.validate() {
            Ok(value) => value,
            Err(mut problems) => {
                for problem in problems
                    .iter_mut()
                    .filter(|problem| problem.field == "units")
                {
                    *problem = FieldError::new(
                        "units",
                        Text::new("请保留 1 到 40 个成员单位", "Keep 1 to 40 member units"),
                    );
                }
                return errors.show_fields(problems);
            }
        };
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::save_referral_units(&value).await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    names.set(saved.units);
                    urgent.set(saved.urgent_response_days.to_string());
                    normal.set(saved.normal_response_days.to_string());
                    resolve.set(saved.resolve_days.to_string());
                    toasts.success("已保存成员单位设置", "Member units saved");
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };

    view! {
        <ErrorSummary errors=errors/>
        <form id="units-form" on:submit=save novalidate>
            <fieldset class="field" data-field="units">
                <legend>{move || i18n.tr("成员单位", "Member units")}</legend>
                <FieldMessage field="units"/>
                {move || {
                    let count = names.with(Vec::len);
                    view! {
                        <p class="list-total" data-total=count.to_string()>{move || match i18n.lang.get() {
                            Lang::Zh => format!("共 {count} 个单位"),
                            Lang::En if count == 1 => "1 unit".to_string(),
                            Lang::En => format!("{count} units"),
                        }}</p>
                    }
                }}
                <ul class="rows" id="units-list">
                    <For each=move || names.get() key=|name| name.clone() children=move |name| {
                        let gone = name.clone();
                        let label = name.clone();
                        view! {
                            <li class="row" data-unit=name.clone()>
                                <div class="row-main">{name.clone()}</div>
                                <button type="button" class="danger remove-unit"
                                    aria-label=move || match i18n.lang.get() {
                                        Lang::Zh => format!("删除 {label}"),
                                        Lang::En => format!("Remove {label}"),
                                    }
                                    on:click=move |_| names.update(|names| names.retain(|kept| kept != &gone))>
                                    {move || i18n.tr("删除", "Remove")}
                                </button>
                            </li>
                        }
                    }/>
                </ul>
                <div class="inline-form">
                    <TextField id="new-unit" field="new_unit" label_zh="要添加的单位" label_en="Unit to add"
                        value=new_unit max=limits::UNIT_MAX required=false placeholder="如:区应急管理局"/>
                    <button type="button" id="add-unit" on:click=add>{move || i18n.tr("添加单位", "Add unit")}</button>
                </div>
            </fieldset>
            <fieldset>
                <legend>{move || i18n.tr("期限(工作日)", "Deadlines (working days)")}</legend>
                <NumberField id="urgent-response-days" field="urgent_response_days"
                    label_zh="紧急事项:几个工作日内答复" label_en="Urgent: answer within … working days"
                    hint_zh="未保办处理和成员单位接收的期限。" hint_en="For the office to deal with it and for a unit to take it."
                    value=urgent min=1 max=60/>
                <NumberField id="normal-response-days" field="normal_response_days"
                    label_zh="一般事项:几个工作日内答复" label_en="Normal: answer within … working days"
                    value=normal min=1 max=60/>
                <NumberField id="resolve-days" field="resolve_days"
                    label_zh="成员单位办结期限(工作日)" label_en="Units resolve within … working days"
                    hint_zh="未保办分派时没有指定办结日期时使用。" hint_en="Used when the office sets no resolve-by day."
                    value=resolve min=1 max=60/>
            </fieldset>
            <SubmitBar id="units-save" label_zh="保存成员单位设置" label_en="Save member units"
                busy=Signal::derive(move || busy.get())/>
        </form>
    }
}
