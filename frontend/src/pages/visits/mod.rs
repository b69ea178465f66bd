//! Quarterly visits by children's directors: the visit list, the visit register (走访登记表)
//! that works offline through an outbox on the phone, and one stored visit.

pub mod compliance;
pub mod drafts;
pub mod form;
mod form_head;
mod form_parts;
mod form_state;
pub mod outbox;
pub mod plan;
pub mod record;

use shared::Lang;

use crate::components::toast::Toasts;
use outbox::{Flushed, Outcome};

/// Tells the person what an outbox pass did: each visit sent (with the server's notices), and
/// each one sent back to be corrected.
pub(crate) fn announce(toasts: Toasts, flushed: &[Flushed]) {
    for item in flushed {
        let name = &item.child_name;
        match &item.outcome {
            Outcome::Sent(notices) => {
                toasts.success(
                    format!("已发送{name}的走访记录"),
                    format!("The visit to {name} is sent"),
                );
                for notice in notices {
                    let text = notice.text();
                    toasts.info(
                        format!("{name}:{}", text.get(Lang::Zh)),
                        format!("{name}: {}", text.get(Lang::En)),
                    );
                }
            }
            Outcome::Refused => toasts.info(
                format!("{name}的走访未被接受,请打开草稿按提示修改后重新提交"),
                format!("The visit to {name} was not accepted: open the draft, correct it and submit again"),
            ),
        }
    }
}

/// The signed-in person's id (the phone's storage is kept per person).
pub(crate) fn user_id() -> String {
    crate::session::use_session()
        .me()
        .map(|me| me.id)
        .unwrap_or_default()
}
