//! Volunteers: "my child" — what a caring mother may know, the contact log, and one tap to log
//! a contact on a phone.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::pairings::{ContactMode, MyPairing};
use shared::ErrorCode;

use crate::api::ApiError;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::i18n::use_i18n;

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
            Some(Ok(list)) if list.is_empty() => view! { <section class="card"><Empty zh="您还没有结对儿童,未保办会与您联系。" en="You are not paired with a child yet; the district office will contact you."/></section> }.into_any(),
            Some(Ok(list)) => list.into_iter().map(|p| view! { <MyChildCard pairing=p reload=reload/> }).collect_view().into_any(),
        }}
    }
}

#[component]
fn MyChildCard(pairing: MyPairing, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let mode = RwSignal::new(ContactMode::Phone);
    let minutes = RwSignal::new("30".to_string());
    let summary = RwSignal::new(String::new());
    let concern = RwSignal::new(false);
    let (error, set_error) = signal(None::<ApiError>);
    let logged = RwSignal::new(false);
    let id = pairing.pairing_id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = id.clone();
        let minutes = minutes.get_untracked().trim().parse().unwrap_or(0);
        let (m, s, c) = (
            mode.get_untracked(),
            summary.get_untracked(),
            concern.get_untracked(),
        );
        spawn_local(async move {
            match crate::api::log_contact(
                &id,
                crate::pages::children::form::today(),
                m,
                minutes,
                s,
                c,
            )
            .await
            {
                Ok(_) => {
                    logged.set(true);
                    reload.update(|n| *n += 1)
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
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
            </dl>
            <form id="log-contact" class="subform" on:submit=submit>
                <h2>{move || i18n.tr("记录一次联系", "Log a contact")}</h2>
                <div class="segmented">
                    {ContactMode::ALL.iter().map(|m| { let m = *m; view! {
                        <label class="check"><input type="radio" name=format!("mode-{}", pairing.pairing_id) value=m.as_str() prop:checked=move || mode.get() == m on:change=move |_| mode.set(m)/>
                        {move || m.label().get(i18n.lang.get())}</label>
                    } }).collect_view()}
                </div>
                <div class="inline-form">
                    <label>{move || i18n.tr("时长(分钟)", "Minutes")}
                        <input id="contact-minutes" type="number" min="0" max="1440" prop:value=move || minutes.get() on:input=move |e| minutes.set(event_target_value(&e))/></label>
                </div>
                <textarea id="contact-summary" rows="2" maxlength="500" placeholder=move || i18n.tr("简要情况", "A short summary")
                    prop:value=move || summary.get() on:input=move |e| summary.set(event_target_value(&e))></textarea>
                <label class="check"><input type="checkbox" prop:checked=move || concern.get() on:change=move |e| concern.set(event_target_checked(&e))/>
                    {move || i18n.tr("有需要关注的情况(会通知未保办和儿童主任)", "Something worries me (tells the office and the director)")}</label>
                <ErrorBanner error=error/>
                <Show when=move || logged.get()><div class="success" id="contact-logged">{move || i18n.tr("已记录。", "Logged.")}</div></Show>
                <button id="contact-save" type="submit" class="primary">{move || i18n.tr("记录联系", "Log contact")}</button>
            </form>
            <h2>{move || i18n.tr("联系记录", "Contacts")}</h2>
            <ul class="rows">
                {pairing.contacts.into_iter().map(|c| { let (m, d) = (c.mode, c.date); view! {
                    <li class="row"><div class="row-main"><strong>{move || m.label().get(i18n.lang.get())}</strong> " "
                        <span class="muted">{move || shared::time::format_date(d, i18n.lang.get())}</span><p>{c.summary.clone()}</p></div></li>
                } }).collect_view()}
            </ul>
        </section>
    }
}
