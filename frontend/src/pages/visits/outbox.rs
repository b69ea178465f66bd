//! The outbox: visits submitted on the phone are sent one after another whenever there is a
//! network. Each carries the client id made on the phone, so a retry stores one visit.

use std::cell::Cell;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorCode;

use super::drafts::{drafts, now_ms, update, Draft, DraftState, Notice};
use crate::api::ApiError;

/// While a visits page is open, the outbox is tried this often (and whenever the browser says
/// it is back online).
const RETRY_EVERY: Duration = Duration::from_secs(15);

/// What one pass of the outbox did with a waiting visit.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Sent(Vec<Notice>),
    /// Refused for what it says (4xx): back to a draft, for the person to correct.
    Refused,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Flushed {
    pub client_id: String,
    pub child_name: String,
    pub outcome: Outcome,
}

thread_local! {
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// One outbox pass at a time; released when dropped.
struct FlushTurn;

impl FlushTurn {
    fn take() -> Option<Self> {
        FLUSHING.with(|busy| {
            if busy.get() {
                None
            } else {
                busy.set(true);
                Some(FlushTurn)
            }
        })
    }
}

impl Drop for FlushTurn {
    fn drop(&mut self) {
        FLUSHING.with(|busy| busy.set(false));
    }
}

/// The server could not take it now (or the sign-in has lapsed): it stays waiting.
fn keeps_waiting(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::StoreUnavailable
            | ErrorCode::Busy
            | ErrorCode::Internal
            | ErrorCode::Unauthenticated
    )
}

/// Sends every waiting visit, oldest first, one after another. Sent: marked sent, with the
/// server's notices. No network: it stays waiting (and the pass stops). Refused for its content
/// (4xx): back to a draft with the server's reasons. A pass already under way is waited for.
pub async fn flush_outbox(user_id: &str) -> Vec<Flushed> {
    let mut turn = FlushTurn::take();
    let mut waited = 0;
    while turn.is_none() && waited < 150 {
        gloo_timers::future::TimeoutFuture::new(200).await;
        waited += 1;
        turn = FlushTurn::take();
    }
    let Some(_turn) = turn else {
        return Vec::new();
    };
    let mut waiting: Vec<Draft> = drafts(user_id)
        .into_values()
        .filter(|draft| draft.state == DraftState::Waiting)
        .collect();
    waiting.sort_by(|a, b| a.saved_at.total_cmp(&b.saved_at));
    let mut done = Vec::new();
    for entry in waiting {
        let Some(input) = entry.input.clone() else {
            update(user_id, &entry.client_id, |draft| {
                draft.state = DraftState::Draft;
            });
            continue;
        };
        let flushed = |outcome| Flushed {
            client_id: entry.client_id.clone(),
            child_name: entry.child_name.clone(),
            outcome,
        };
        match crate::api::send_visit(&input).await {
            Ok(saved) => {
                let notices = Notice::of(&saved);
                update(user_id, &entry.client_id, |draft| {
                    draft.state = DraftState::Sent;
                    draft.notices = notices.clone();
                    draft.last_error = None;
                    draft.saved_at = now_ms();
                });
                done.push(flushed(Outcome::Sent(notices)));
            }
            Err(ApiError::Network) => break,
            Err(ApiError::Api(body)) if keeps_waiting(body.code) => {
                update(user_id, &entry.client_id, |draft| {
                    draft.last_error = Some(body);
                });
                break;
            }
            Err(ApiError::Api(body)) => {
                update(user_id, &entry.client_id, |draft| {
                    draft.state = DraftState::Draft;
                    draft.last_error = Some(body);
                    draft.saved_at = now_ms();
                });
                done.push(flushed(Outcome::Refused));
            }
        }
    }
    done
}

/// For as long as the calling page is mounted: tries the outbox now, whenever the browser
/// comes back online, and every 15 seconds. `after` hears each pass that sent or refused
/// something.
pub fn watch_outbox(user_id: String, after: Callback<Vec<Flushed>>) {
    let run = move || {
        if FLUSHING.with(Cell::get) {
            return;
        }
        let user_id = user_id.clone();
        spawn_local(async move {
            let done = flush_outbox(&user_id).await;
            if !done.is_empty() {
                let _ = after.try_run(done);
            }
        });
    };
    run();
    let online = window_event_listener_untyped("online", {
        let run = run.clone();
        move |_| run()
    });
    let every = set_interval_with_handle(run, RETRY_EVERY).ok();
    on_cleanup(move || {
        online.remove();
        if let Some(every) = every {
            every.clear();
        }
    });
}
