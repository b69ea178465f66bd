//! Admins: which districts count as core urban districts (moves between them are not "away"),
//! the visit schedule (intervals by care level, the first-visit working days, public
//! holidays and make-up working days), and the member units referrals go to
//! (`pages::referrals::units`).

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::calendar::WorkCalendar;
use shared::eligibility::{CoreCity, CoreDistricts};
use shared::visits::VisitSettings;
use shared::{FieldError, Lang, Text};

use crate::components::errors::{ErrorSummary, FieldMessage, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::{DateField, NumberField, SubmitBar, TextField};
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
        <BackupCard/>
        <VisitSettingsCard/>
        <crate::pages::referrals::units::MemberUnitsCard/>
    }
}

/// When the last good backup was made (the one-machine portal backs up every day).
#[component]
fn BackupCard() -> impl IntoView {
    let i18n = use_i18n();
    let health = LocalResource::new(crate::api::health);
    view! {
        <section class="card" id="backup-status">
            <h2>{move || i18n.tr("数据备份", "Backups")}</h2>
            {move || match health.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(health)) => {
                    let age = health.get("last_backup_age_hours").and_then(serde_json::Value::as_f64);
                    view! {
                        <p>{move || match (age, i18n.lang.get()) {
                            (Some(hours), shared::Lang::Zh) => format!("最近一次成功备份:约 {hours:.0} 小时前。"),
                            (Some(hours), shared::Lang::En) => format!("The last good backup was made about {hours:.0} hours ago."),
                            (None, shared::Lang::Zh) => "还没有记录到备份。".to_string(),
                            (None, shared::Lang::En) => "No backup is recorded yet.".to_string(),
                        }}</p>
                        <p class="muted">{move || i18n.tr(
                            "本机部署每天自动备份到数据目录的 backups/ 中,保留最近 14 份;也可用 shouwang backup 随时备份。AWS 部署由 DynamoDB 的时间点恢复负责。",
                            "The one-machine portal backs up every day into the data directory's backups/, keeping the newest 14; `shouwang backup` makes one at any time. On AWS, DynamoDB's point-in-time recovery keeps the data.")}</p>
                    }.into_any()
                }
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

/// The visit schedule: how often each care level is visited, the first visit's working days,
/// and the calendar those working days are counted on.
#[component]
fn VisitSettingsCard() -> impl IntoView {
    let i18n = use_i18n();
    let settings = LocalResource::new(crate::api::visit_settings);
    view! {
        <section class="card" id="visit-settings">
            <h2>{move || i18n.tr("走访设置", "Visit schedule")}</h2>
            <p class="muted">{move || i18n.tr(
                "儿童主任按关爱等级定期走访:距上次走访满规定月数即到期。新登记的儿童应在规定的工作日内完成首次走访;工作日为周一至周五,节假日除外,调休上班日计入。",
                "Directors visit each child at an interval set by the care level, counted from the last visit. A newly registered child is first visited within the set working days: Monday to Friday, except public holidays, plus make-up working days.")}</p>
            {move || match settings.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(settings)) => view! { <VisitSettingsEditor settings=settings/> }.into_any(),
            }}
        </section>
    }
}

fn whole_number(
    field: &str,
    text: &str,
    min: u32,
    max: u32,
    problem: Text,
) -> Result<u32, FieldError> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|number| (min..=max).contains(number))
        .ok_or_else(|| FieldError::new(field, problem))
}

fn weekday_text(day: NaiveDate, lang: Lang) -> &'static str {
    let index = day.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => ["周一", "周二", "周三", "周四", "周五", "周六", "周日"][index],
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][index],
    }
}

/// Which list of dates a new date goes to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DayList {
    Holidays,
    MakeUpDays,
}

#[component]
fn VisitSettingsEditor(settings: VisitSettings) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let urgent = RwSignal::new(settings.urgent_months.to_string());
    let focus = RwSignal::new(settings.focus_months.to_string());
    let routine = RwSignal::new(settings.routine_months.to_string());
    let first_days = RwSignal::new(settings.first_visit_working_days.to_string());
    let holidays = RwSignal::new(settings.calendar.holidays);
    let make_up = RwSignal::new(settings.calendar.make_up_days);
    let new_holiday = RwSignal::new(String::new());
    let new_make_up = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let today = shared::time::beijing_date(chrono::Utc::now());
    // Last year's days still count for first visits made then; next year's are announced late
    // in this one.
    let earliest = NaiveDate::from_ymd_opt(today.year() - 1, 1, 1).unwrap_or(today);
    let latest = NaiveDate::from_ymd_opt(today.year() + 1, 12, 31).unwrap_or(today);

    let add_day = move |list: DayList| {
        let (field, input) = match list {
            DayList::Holidays => ("new_holiday", new_holiday),
            DayList::MakeUpDays => ("new_make_up_day", new_make_up),
        };
        let text = input.get_untracked();
        let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        let in_range = |day: NaiveDate| day >= earliest && day <= latest;
        let problem = match day {
            None => Some(Text::new("请选择日期", "Choose a date")),
            Some(day) if !in_range(day) => Some(Text::new(
                "请选择去年初到明年底之间的日期",
                "Choose a date from the start of last year to the end of next year",
            )),
            Some(day)
                if holidays.with_untracked(|days| days.contains(&day))
                    || make_up.with_untracked(|days| days.contains(&day)) =>
            {
                Some(Text::new(
                    "这一天已在节假日或调休上班日中,请先删除再添加",
                    "This day is already listed as a holiday or a make-up day; remove it first",
                ))
            }
            Some(day)
                if list == DayList::MakeUpDays
                    && !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) =>
            {
                Some(Text::new(
                    "调休上班日应为周六或周日",
                    "A make-up working day is a Saturday or a Sunday",
                ))
            }
            Some(_) => None,
        };
        match (problem, day) {
            (None, Some(day)) => {
                errors.clear();
                match list {
                    DayList::Holidays => holidays.update(|days| {
                        days.insert(day);
                    }),
                    DayList::MakeUpDays => make_up.update(|days| {
                        days.insert(day);
                    }),
                }
                input.set(String::new());
            }
            (Some(text), _) => errors.show_fields(vec![FieldError::new(field, text)]),
            (None, None) => {}
        }
    };

    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let months = Text::new(
            "请填写 1 到 12 之间的整数",
            "Enter a whole number from 1 to 12",
        );
        let parsed = (
            whole_number("urgent_months", &urgent.get_untracked(), 1, 12, months),
            whole_number("focus_months", &focus.get_untracked(), 1, 12, months),
            whole_number("routine_months", &routine.get_untracked(), 1, 12, months),
            whole_number(
                "first_visit_working_days",
                &first_days.get_untracked(),
                1,
                30,
                Text::new(
                    "请填写 1 到 30 之间的整数",
                    "Enter a whole number from 1 to 30",
                ),
            ),
        );
        let (urgent_months, focus_months, routine_months, first_visit_working_days) = match parsed {
            (Ok(urgent), Ok(focus), Ok(routine), Ok(first)) => (urgent, focus, routine, first),
            (urgent, focus, routine, first) => {
                errors.show_fields(
                    [urgent.err(), focus.err(), routine.err(), first.err()]
                        .into_iter()
                        .flatten()
                        .collect(),
                );
                return;
            }
        };
        let value = VisitSettings {
            urgent_months,
            focus_months,
            routine_months,
            first_visit_working_days,
            calendar: WorkCalendar {
                holidays: holidays.get_untracked(),
                make_up_days: make_up.get_untracked(),
            },
        };
        if let Err(problems) = value.validate() {
            errors.show_fields(problems);
            return;
        }
        errors.clear();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::save_visit_settings(&value).await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    urgent.set(saved.urgent_months.to_string());
                    focus.set(saved.focus_months.to_string());
                    routine.set(saved.routine_months.to_string());
                    first_days.set(saved.first_visit_working_days.to_string());
                    holidays.set(saved.calendar.holidays);
                    make_up.set(saved.calendar.make_up_days);
                    toasts.success("已保存走访设置", "Visit schedule saved");
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };

    view! {
        <ErrorSummary errors=errors/>
        <form id="visit-settings-form" on:submit=save novalidate>
            <fieldset>
                <legend>{move || i18n.tr("走访间隔(按关爱等级)", "Visit interval by care level")}</legend>
                <NumberField id="urgent-months" field="urgent_months" label_zh="紧急关注:每几个月走访一次"
                    label_en="Urgent: visit every … months" value=urgent min=1 max=12/>
                <NumberField id="focus-months" field="focus_months" label_zh="重点关注:每几个月走访一次"
                    label_en="Focus: visit every … months" value=focus min=1 max=12/>
                <NumberField id="routine-months" field="routine_months" label_zh="常规关注:每几个月走访一次"
                    label_en="Routine: visit every … months" value=routine min=1 max=12/>
            </fieldset>
            <NumberField id="first-visit-working-days" field="first_visit_working_days"
                label_zh="新登记儿童的首次走访期限(工作日)" label_en="First visit of a newly registered child, within (working days)"
                hint_zh="从登记之日起计算。" hint_en="Counted from the day the child is registered."
                value=first_days min=1 max=30/>
            <div data-field="calendar">
                <FieldMessage field="calendar"/>
                <DayListEditor list=DayList::Holidays days=holidays input=new_holiday
                    earliest=earliest latest=latest on_add=Callback::new(add_day)/>
                <DayListEditor list=DayList::MakeUpDays days=make_up input=new_make_up
                    earliest=earliest latest=latest on_add=Callback::new(add_day)/>
            </div>
            <SubmitBar id="visit-settings-save" label_zh="保存走访设置" label_en="Save visit schedule"
                busy=Signal::derive(move || busy.get())/>
        </form>
    }
}

/// One list of dates (holidays, or make-up working days) with a remove button on each and a
/// date field with an add button below. Changes take effect when the form is saved.
#[component]
fn DayListEditor(
    list: DayList,
    days: RwSignal<BTreeSet<NaiveDate>>,
    input: RwSignal<String>,
    earliest: NaiveDate,
    latest: NaiveDate,
    on_add: Callback<DayList>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (legend_zh, legend_en, list_id, field_id, field, add_id) = match list {
        DayList::Holidays => (
            "法定节假日(放假的日子)",
            "Public holidays (days off)",
            "holidays",
            "new-holiday",
            "new_holiday",
            "add-holiday",
        ),
        DayList::MakeUpDays => (
            "调休上班日(周末上班的日子)",
            "Make-up working days (weekends worked)",
            "make-up-days",
            "new-make-up-day",
            "new_make_up_day",
            "add-make-up-day",
        ),
    };
    let (date_zh, date_en, add_zh, add_en) = match list {
        DayList::Holidays => (
            "要添加的节假日",
            "Holiday to add",
            "添加节假日",
            "Add holiday",
        ),
        DayList::MakeUpDays => (
            "要添加的调休上班日",
            "Make-up day to add",
            "添加调休上班日",
            "Add make-up day",
        ),
    };
    let (empty_zh, empty_en) = match list {
        DayList::Holidays => ("还没有节假日。", "No holidays listed."),
        DayList::MakeUpDays => ("还没有调休上班日。", "No make-up days listed."),
    };
    view! {
        <fieldset class="day-list">
            <legend>{move || i18n.tr(legend_zh, legend_en)}</legend>
            {move || {
                let listed: Vec<NaiveDate> = days.with(|days| days.iter().copied().collect());
                if listed.is_empty() {
                    view! { <p class="muted">{move || i18n.tr(empty_zh, empty_en)}</p> }.into_any()
                } else {
                    let count = listed.len();
                    view! {
                        <p class="list-total" data-total=count.to_string()>{move || match i18n.lang.get() {
                            Lang::Zh => format!("共 {count} 天"),
                            Lang::En if count == 1 => "1 day".to_string(),
                            Lang::En => format!("{count} days"),
                        }}</p>
                        <ul class="rows" id=list_id>
                            {listed.into_iter().map(|day| {
                                let text = move || {
                                    let lang = i18n.lang.get();
                                    format!("{} {}", shared::time::format_date(day, lang), weekday_text(day, lang))
                                };
                                let remove_label = move || match i18n.lang.get() {
                                    Lang::Zh => format!("删除 {}", shared::time::format_date(day, Lang::Zh)),
                                    Lang::En => format!("Remove {}", shared::time::format_date(day, Lang::En)),
                                };
                                view! {
                                    <li class="row" data-date=day.to_string()>
                                        <div class="row-main">{text}</div>
                                        <button type="button" class="danger" aria-label=remove_label
                                            on:click=move |_| days.update(|days| { days.remove(&day); })>
                                            {move || i18n.tr("删除", "Remove")}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <div class="inline-form">
                <DateField id=field_id field=field label_zh=date_zh label_en=date_en value=input
                    min=earliest max=latest required=false/>
                <button type="button" id=add_id on:click=move |_| on_add.run(list)>
                    {move || i18n.tr(add_zh, add_en)}
                </button>
            </div>
        </fieldset>
    }
}
