//! Volunteers: "my child" — what a caring mother may know, the contact log, and one tap to log
//! a contact on a phone.

use chrono::{Duration, NaiveDate};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::pairings::{ContactMode, MyPairing};
use shared::{ErrorCode, FieldError, Text};

use crate::api::ApiError;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::{Empty, Loading};
use crate::components::form::{Checkbox, Choice, DateField, NumberField, RadioGroup, TextArea};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;
use crate::pages::cases::interned;
use crate::pages::cases::list::ListTotal;
use crate::pages::children::form::today;

#[component]
pub fn MyChildPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let mine = LocalResource::new(move || {
        reload.track();
        crate::api::my_pairings()
    });
    view! {
        {move || match mine.get() {
            None => view! { <Loading/> }.into_any(),
            // The server answers 404 while the volunteer's approval is pending, suspended or
            // withdrawn: the child's profile is not theirs to see then.
            Some(Err(ApiError::Api(body))) if body.code == ErrorCode::NotFound => view! { <section class="card"><Empty zh="您的志愿者资格尚未通过审核或已暂停,暂时不能查看结对儿童。如有疑问请联系未保办。" en="Your volunteer approval is pending or suspended, so no paired child is shown. Contact the district office with any questions."/></section> }.into_any(),
            Some(Err(error)) => view! { <section class="card"><div class="error">{error.message(i18n.lang.get())}</div></section> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <section class="card">
                <ListTotal count=0 zh="位结对儿童" en="paired children"/>
                <Empty zh="您还没有结对儿童,未保办会与您联系。" en="You are not paired with a child yet; the district office will contact you."/>
            </section> }.into_any(),
            Some(Ok(list)) => view! {
                <ListTotal count=list.len() zh="位结对儿童" en="paired children"/>
                {list.into_iter().enumerate().map(|(index, p)| view! { <MyChildCard index=index pairing=p reload=reload/> }).collect_view()}
            }.into_any(),
        }}
    }
}

#[component]
fn MyChildCard(index: usize, pairing: MyPairing, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let child = pairing.child.clone();
    let gender = child.gender;
    view! {
        <section class="card my-child">
            <h1>{child.given_name.clone()}</h1>
            {pairing.contact_overdue.then(|| view! { <p class="notice" id="overdue">{move || i18n.tr("已超过 30 天没有联系了,记得和孩子聊聊。", "No contact for over 30 days: time to get in touch.")}</p> })}
            <dl class="facts">
                <dt>{move || i18n.tr("性别 / 年龄", "Gender / age")}</dt><dd>{move || gender.label().get(i18n.lang.get())} " · " {child.age} {move || i18n.tr(" 岁", " years")}</dd>
                <dt>{move || i18n.tr("学校 / 班级", "School / class")}</dt><dd>{child.school.clone()} " " {child.grade.clone()}</dd>
                <dt>{move || i18n.tr("兴趣爱好", "Interests")}</dt><dd>{child.interests.clone()}</dd>
                <dt>{move || i18n.tr("监护人", "Guardian")}</dt><dd>{child.guardian_relation.clone()} " " {child.guardian_given_name.clone()} " · " <a href=format!("tel:{}", child.guardian_phone)>{child.guardian_phone.clone()}</a></dd>
                {pairing.since.map(|at| view! { <dt>{move || i18n.tr("结对开始", "Paired since")}</dt><dd>{move || shared::time::format_datetime(at, i18n.lang.get())}</dd> })}
            </dl>
            <LogContact index=index pairing_id=pairing.pairing_id.clone() reload=reload/>
            <h2>{move || i18n.tr("联系记录", "Contacts")}</h2>
            {pairing.contacts.is_empty().then(|| view! { <Empty zh="还没有联系记录。" en="No contacts logged yet."/> })}
            <ul class="rows">
                {pairing.contacts.into_iter().map(|c| { let (m, d) = (c.mode, c.date); view! {
                    <li class="row"><div class="row-main"><strong>{move || m.label().get(i18n.lang.get())}</strong> " "
                        <span class="muted">{move || shared::time::format_date(d, i18n.lang.get())} " · " {c.minutes} {move || i18n.tr(" 分钟", " min")}</span>
                        {c.concern.then(|| view! { <span class="status level-urgent">{move || i18n.tr("需关注", "Concern")}</span> })}
                        <p>{c.summary.clone()}</p></div></li>
                } }).collect_view()}
            </ul>
        </section>
    }
}

fn mode_choices() -> Vec<Choice> {
    ContactMode::ALL
        .iter()
        .map(|m| Choice::new(m.as_str(), m.label().zh, m.label().en))
        .collect()
}

/// The first card keeps the plain ids (`#contact-summary`); a second child's form gets `-2`.
fn form_id(base: &str, index: usize) -> &'static str {
    if index == 0 {
        interned(base.to_string())
    } else {
        interned(format!("{base}-{}", index + 1))
    }
}

struct ContactInput {
    date: NaiveDate,
    mode: ContactMode,
    minutes: u32,
    summary: String,
}

fn checked_contact(
    date: &str,
    mode: &str,
    minutes: &str,
    summary: &str,
) -> Result<ContactInput, Vec<FieldError>> {
    let mut missing = Vec::new();
    let date = match date.parse::<NaiveDate>() {
        Ok(day) if day <= today() => Some(day),
        Ok(_) => {
            missing.push(FieldError::new(
                "date",
                Text::new("日期不能晚于今天", "The date cannot be in the future"),
            ));
            None
        }
        Err(_) => {
            missing.push(FieldError::new(
                "date",
                Text::new("请填写联系日期", "Enter the date of the contact"),
            ));
            None
        }
    };
    let mode = ContactMode::parse(mode);
    if mode.is_none() {
        missing.push(FieldError::new(
            "mode",
            Text::new("请选择联系方式", "Choose how you were in touch"),
        ));
    }
    let minutes = match minutes.trim() {
        "" => Some(0),
        typed => typed.parse::<u32>().ok().filter(|m| *m <= 24 * 60),
    };
    if minutes.is_none() {
        missing.push(FieldError::new(
            "minutes",
            Text::new(
                "时长请填写 0 到 1440 之间的分钟数",
                "Minutes: a number from 0 to 1440",
            ),
        ));
    }
    if summary.trim().is_empty() {
        missing.push(FieldError::new(
            "summary",
            Text::new("请填写联系内容摘要", "Write a short summary of the contact"),
        ));
    }
    match (date, mode, minutes) {
        (Some(date), Some(mode), Some(minutes)) if missing.is_empty() => Ok(ContactInput {
            date,
            mode,
            minutes,
            summary: summary.trim().to_string(),
        }),
        _ => Err(missing),
    }
}

#[component]
fn LogContact(index: usize, pairing_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let date = RwSignal::new(today().to_string());
    // The usual way to keep in touch; changing it is one tap.
    let mode = RwSignal::new(ContactMode::Phone.as_str().to_string());
    let minutes = RwSignal::new("30".to_string());
    let summary = RwSignal::new(String::new());
    let concern = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let (earliest, latest) = (today() - Duration::days(366), today());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let input = match checked_contact(
            &date.get_untracked(),
            &mode.get_untracked(),
            &minutes.get_untracked(),
            &summary.get_untracked(),
        ) {
            Ok(input) => input,
            Err(missing) => return errors.show_fields(missing),
        };
        let id = pairing_id.clone();
        let worried = concern.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::log_contact(
                &id,
                input.date,
                input.mode,
                input.minutes,
                input.summary,
                worried,
            )
            .await;
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success("已记录联系", "Contact logged");
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <form id=form_id("log-contact", index) class="subform" novalidate on:submit=submit>
            <h2>{move || i18n.tr("记录一次联系", "Log a contact")}</h2>
            <ErrorSummary errors=errors/>
            <RadioGroup id=form_id("contact-mode", index) field="mode" legend_zh="联系方式" legend_en="How"
                options=mode_choices() value=mode/>
            <DateField id=form_id("contact-date", index) field="date" label_zh="联系日期" label_en="Date"
                value=date min=earliest max=latest/>
            <NumberField id=form_id("contact-minutes", index) field="minutes" label_zh="时长(分钟)" label_en="Minutes"
                value=minutes min=0 max=1440 required=false/>
            <TextArea id=form_id("contact-summary", index) field="summary" label_zh="联系内容摘要" label_en="Summary"
                value=summary max=500 rows=3/>
            <Checkbox id=form_id("contact-concern", index)
                label_zh="有需要关注的情况(会通知未保办和儿童主任)"
                label_en="Something worries me (tells the office and the director)" checked=concern/>
            <button id=form_id("contact-save", index) type="submit" class="primary" disabled=move || busy.get()>
                {move || i18n.tr("记录联系", "Log contact")}
            </button>
        </form>
    }
}
