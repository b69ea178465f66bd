//! The visit register (走访登记表): `/visits/new?child=ID[&corrects=VISIT][&draft=CLIENT_ID]`.
//! It works without a network: the child's details come from the visit list kept on the
//! phone, every change is saved there as a draft, and a submitted visit waits in the outbox
//! until it can be sent. One client id per draft, so a retry or a double tap stores one visit.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::visits::DueVisit;
use shared::{FieldError, Lang, Text};

use super::drafts::{self, Draft, DraftState};
use super::form_head::{find_child, ChildFacts, CorrectsNotice};
use super::form_parts::{
    BasicsPart, ConcernsPart, FamilyPart, FindingsPart, GuardianshipPart, HealthPart, LevelPart,
};
use super::form_state::{check, VisitForm};
use super::outbox::{self, Flushed};
use crate::api::ApiError;
use crate::components::errors::{ErrorSummary, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::SubmitBar;
use crate::components::toast::{use_toasts, Toasts};
use crate::i18n::use_i18n;

#[component]
pub fn VisitFormPage() -> impl IntoView {
    let i18n = use_i18n();
    let user_id = super::user_id();
    let query = use_query_map().get_untracked();
    let asked_corrects = query.get("corrects").filter(|id| !id.is_empty());
    let asked_child = query.get("child").unwrap_or_default();
    // The draft named in the address, else this child's unsent one (a reload continues it).
    let existing = query
        .get("draft")
        .and_then(|id| drafts::draft(&user_id, &id))
        .or_else(|| drafts::open_draft_for(&user_id, &asked_child, asked_corrects.as_deref()));
    let (client_id, child_id, corrects) = match existing {
        Some(draft) => (
            draft.client_id,
            draft.fields.child_id,
            draft.fields.corrects,
        ),
        None => (drafts::new_client_id(), asked_child, asked_corrects),
    };
    let ids = StoredValue::new((user_id.clone(), client_id));
    let child = LocalResource::new(move || find_child(user_id.clone(), child_id.clone()));
    view! {
        <section class="card" id="visit-register">
            <h1 id="visit-title">{move || i18n.tr("走访登记", "Record a visit")}</h1>
            {move || match child.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! {
                    <div class="error" role="alert">{error.message(i18n.lang.get())}</div>
                }.into_any(),
                Some(Ok(None)) => view! {
                    <div class="error" role="alert">
                        <p>{move || i18n.tr("这名儿童不在您的走访名单中。", "This child is not on your visit list.")}</p>
                        <a href="/visits">{move || i18n.tr("返回走访名单", "Back to the visit list")}</a>
                    </div>
                }.into_any(),
                Some(Ok(Some(child))) => view! {
                    <VisitEditor ids=ids child=child corrects=corrects.clone()/>
                }.into_any(),
            }}
        </section>
    }
}

/// What the editor shows, for the outbox passes to update.
#[derive(Clone, Copy)]
struct Ui {
    ids: StoredValue<(String, String)>,
    entry: RwSignal<Draft>,
    sending: RwSignal<bool>,
    errors: FormErrors,
    toasts: Toasts,
}

impl Ui {
    fn refresh(&self, done: &[Flushed]) {
        let (user_id, client_id) = self.ids.get_value();
        if !done.iter().any(|item| item.client_id == client_id) {
            return;
        }
        if let Some(stored) = drafts::draft(&user_id, &client_id) {
            if let Some(body) = stored
                .last_error
                .clone()
                .filter(|_| stored.state == DraftState::Draft)
            {
                self.errors.show_api(&ApiError::Api(body));
            }
            self.entry.set(stored);
        }
    }

    /// Runs the outbox and shows what became of this visit; true when it is sent.
    async fn send(self) -> bool {
        let (user_id, client_id) = self.ids.get_value();
        self.sending.set(true);
        let done = outbox::flush_outbox(&user_id).await;
        self.sending.set(false);
        super::announce(self.toasts, &done);
        self.refresh(&done);
        let Some(stored) = drafts::draft(&user_id, &client_id) else {
            return false;
        };
        match stored.state {
            // Sent by a pass that was already under way.
            DraftState::Sent if !done.iter().any(|item| item.client_id == client_id) => {
                let name = &stored.child_name;
                self.toasts.success(
                    format!("已发送{name}的走访记录"),
                    format!("The visit to {name} is sent"),
                );
            }
            DraftState::Waiting => match &stored.last_error {
                Some(body) => self.toasts.info(
                    format!(
                        "走访已保存在手机上,稍后自动发送:{}",
                        body.code.message(Lang::Zh)
                    ),
                    format!(
                        "The visit is kept on this phone and sent later: {}",
                        body.code.message(Lang::En)
                    ),
                ),
                None => self.toasts.info(
                    "没有网络:走访已保存在手机上,联网后会自动发送",
                    "No network: the visit is kept on this phone and is sent once there is one",
                ),
            },
            _ => {}
        }
        let sent = stored.state == DraftState::Sent;
        self.entry.set(stored);
        sent
    }
}

#[component]
fn VisitEditor(
    ids: StoredValue<(String, String)>,
    child: DueVisit,
    corrects: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let errors = FormErrors::new().provide();
    let (user_id, client_id) = ids.get_value();
    let mut start = drafts::draft(&user_id, &client_id)
        .unwrap_or_else(|| Draft::new(client_id.clone(), &child, corrects.clone()));
    start.child_name = child.child_name.clone();
    if let Some(body) = start
        .last_error
        .clone()
        .filter(|_| start.state == DraftState::Draft)
    {
        errors.show_api(&ApiError::Api(body));
    }
    let form = VisitForm::new(&start.fields);
    let ui = Ui {
        ids,
        entry: RwSignal::new(start),
        sending: RwSignal::new(false),
        errors,
        toasts: use_toasts(),
    };
    let entry = ui.entry;
    let sending = ui.sending;
    // The phone refused to keep the draft (storage full or not allowed).
    let not_kept = RwSignal::new(false);

    // Every change is saved on the phone (the form as first shown is not a change).
    Effect::new(move |seen: Option<()>| {
        let fields = form.fields();
        if seen.is_none() {
            return;
        }
        let mut draft = entry.get_untracked();
        if draft.state != DraftState::Draft {
            return;
        }
        draft.fields = fields;
        draft.saved_at = drafts::now_ms();
        not_kept.set(!drafts::put_draft(&ids.get_value().0, &draft));
        entry.set(draft);
    });
    outbox::watch_outbox(
        user_id,
        Callback::new(move |done: Vec<Flushed>| {
            super::announce(ui.toasts, &done);
            ui.refresh(&done);
        }),
    );

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if sending.get_untracked() || entry.with_untracked(|e| e.state != DraftState::Draft) {
            return;
        }
        let mut draft = entry.get_untracked();
        let fields = form.fields();
        let input = match check(&fields, &draft.client_id, Utc::now()) {
            Ok(input) => input,
            Err(problems) => {
                errors.show_fields(problems);
                return;
            }
        };
        draft.fields = fields;
        draft.input = Some(input);
        draft.state = DraftState::Waiting;
        draft.last_error = None;
        draft.saved_at = drafts::now_ms();
        if !drafts::put_draft(&ids.get_value().0, &draft) {
            errors.show_fields(vec![FieldError::new(
                "",
                Text::new(
                    "手机无法保存这次走访(存储空间已满或浏览器不允许保存),请联网后再提交。",
                    "This phone could not keep the visit (storage full or not allowed); submit it again with a network.",
                ),
            )]);
            return;
        }
        errors.clear();
        entry.set(draft);
        let navigate = navigate.clone();
        spawn_local(async move {
            if ui.send().await {
                navigate("/visits", Default::default());
            }
        });
    };
    let send_now = move |_| {
        if !sending.get_untracked() {
            spawn_local(async move {
                ui.send().await;
            });
        }
    };

    let status = move || {
        let lang = i18n.lang.get();
        if sending.get() {
            return i18n.tr("正在发送…", "Sending…").to_string();
        }
        entry.with(|draft| match draft.state {
            DraftState::Draft if draft.saved_at > 0.0 => match lang {
                Lang::Zh => format!("草稿已保存在手机上 {}", drafts::clock(draft.saved_at)),
                Lang::En => format!(
                    "Draft saved on this phone at {}",
                    drafts::clock(draft.saved_at)
                ),
            },
            DraftState::Draft => i18n
                .tr(
                    "填写的内容会随时保存在手机上。",
                    "What you enter is saved on this phone as you go.",
                )
                .to_string(),
            state => {
                let label = state.label().get(lang);
                match (&draft.last_error, state) {
                    (Some(body), DraftState::Waiting) => {
                        format!("{label}({})", body.code.message(lang))
                    }
                    _ => label.to_string(),
                }
            }
        })
    };
    let is_draft = move || entry.with(|draft| draft.state == DraftState::Draft);
    let visit_href = move || format!("/visits/{}", ids.get_value().1);
    let current_level = child.care_level;
    view! {
        <ChildFacts child=child/>
        {corrects.map(|id| view! { <CorrectsNotice user_id={ids.get_value().0} visit_id=id/> })}
        <p id="visit-status" class="muted" role="status" aria-live="polite">{status}</p>
        <Show when=move || not_kept.get()>
            <p class="error" role="alert">{move || i18n.tr(
                "手机未能保存草稿(存储空间已满或浏览器不允许保存)。",
                "This phone could not keep the draft (storage full or not allowed).")}</p>
        </Show>
        <Show when=move || entry.with(|draft| draft.state == DraftState::Waiting)>
            <div class="notice" id="visit-queued">
                <p>{move || i18n.tr(
                    "这次走访已提交,保存在手机上;联网后会自动发送,也可以现在重试。",
                    "This visit is submitted and kept on this phone; it is sent automatically once there is a network, or try now.")}</p>
                <div class="row-actions">
                    <button type="button" id="visit-send-now" on:click=send_now disabled=move || sending.get()>
                        {move || i18n.tr("现在发送", "Send now")}
                    </button>
                    <a class="button" href="/visits">{move || i18n.tr("返回走访名单", "Back to the visit list")}</a>
                </div>
            </div>
        </Show>
        <Show when=move || entry.with(|draft| draft.state == DraftState::Sent)>
            <div class="success" id="visit-sent">
                <a href=visit_href>{move || i18n.tr("查看这次走访记录", "See this visit")}</a>
                " · "
                <a href="/visits">{move || i18n.tr("返回走访名单", "Back to the visit list")}</a>
            </div>
        </Show>
        <form id="visit-form" class="visit-form" on:submit=submit novalidate hidden=move || !is_draft()>
            <ErrorSummary errors=errors/>
            <BasicsPart form=form/>
            <GuardianshipPart form=form/>
            <HealthPart form=form/>
            <ConcernsPart form=form/>
            <FamilyPart form=form/>
            <FindingsPart form=form/>
            <LevelPart form=form current=current_level/>
            <p class="hint">{move || i18n.tr(
                "有网络时立即发送;没有网络时保存在手机上,联网后自动发送。",
                "Sent at once when there is a network; otherwise kept on this phone and sent when there is one.")}</p>
            <SubmitBar id="visit-save" label_zh="提交走访记录" label_en="Submit the visit"
                busy=Signal::derive(move || sending.get())/>
        </form>
    }
}
