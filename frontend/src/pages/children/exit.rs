//! An admin confirms that a child leaves monitoring: a confirmation step that asks why, and
//! warns when the child still has an open crisis flag.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::components::confirm::ConfirmAction;
use crate::components::feedback::ErrorBanner;
use crate::components::form::Choice;
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

const OTHER: &str = "other";
/// The stored reason is the chosen label, a colon and this note, within 200 characters.
const NOTE_MAX: usize = 150;

fn reasons() -> Vec<Choice> {
    vec![
        Choice::new("turned_16", "年满16周岁", "Turned 16"),
        Choice::new(
            "no_longer_eligible",
            "父母返乡或情况变化,不再符合认定条件",
            "A parent came home or things changed; no longer meets the definition",
        ),
        Choice::new("moved_away", "迁出本区", "Moved out of the district"),
        Choice::new(OTHER, "其他原因", "Another reason"),
    ]
}

/// The reason as stored (the record's language is Chinese): the chosen reason and the note.
fn reason_text(value: &str, note: &str) -> Option<String> {
    let label = reasons()
        .into_iter()
        .find(|choice| choice.value == value)
        .map(|choice| choice.zh)?;
    let note = note.trim();
    let text = if note.is_empty() {
        label.to_string()
    } else if value == OTHER {
        note.to_string()
    } else {
        format!("{label}:{note}")
    };
    Some(text.chars().take(200).collect())
}

/// Child ids with an open crisis flag (admins can read them; others get an empty list).
pub fn open_crisis_children() -> LocalResource<Vec<String>> {
    LocalResource::new(|| async {
        crate::api::open_crises()
            .await
            .map(|list| list.into_iter().map(|crisis| crisis.child_id).collect())
            .unwrap_or_default()
    })
}

#[component]
pub fn ExitAction(
    /// The opening button's id (one per child on a list).
    id: &'static str,
    child_id: String,
    child_name: String,
    #[prop(into)] open_crisis: Signal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let (error, set_error) = signal(None::<ApiError>);
    let confirm = Callback::new(move |(value, note): (String, String)| {
        set_error.set(None);
        // The panel has asked for a reason (and the note that "other" needs).
        let Some(reason) = reason_text(&value, &note) else {
            return;
        };
        busy.set(true);
        let id = child_id.clone();
        let name = child_name.clone();
        spawn_local(async move {
            // The exit is confirmed against the record as it is now.
            let result = match crate::api::child(&id).await {
                Ok(record) => crate::api::confirm_exit(&id, record.version, reason).await,
                Err(failure) => Err(failure),
            };
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(
                        format!("已确认 {name} 退出监测,档案已保留"),
                        format!("{name} has left monitoring; the record is kept"),
                    );
                    on_done.run(());
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    });
    let warning = Signal::derive(move || {
        open_crisis.get().then(|| {
            i18n.tr(
                "该儿童有未关闭的危机预警。退出监测前,请先在个案群组中确认危机已处理。",
                "This child has an open crisis flag. Before the exit, make sure in the case group that the crisis is dealt with.",
            )
            .to_string()
        })
    });
    view! {
        <div class="exit-action">
            <ConfirmAction id=id
                label_zh="确认退出监测" label_en="Confirm the exit"
                question_zh="确定让这名儿童退出监测吗?档案会保留,但不再列入监测名单。"
                question_en="Take this child out of monitoring? The record is kept but no longer monitored."
                reasons=reasons()
                note_zh="补充说明(选择“其他原因”时必填)" note_en="Details (needed with “Another reason”)"
                note_required_for=OTHER note_max=NOTE_MAX
                warning=warning
                busy=Signal::derive(move || busy.get())
                on_confirm=confirm/>
            <ErrorBanner error=error/>
        </div>
    }
}
