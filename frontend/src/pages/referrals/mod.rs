//! Referrals (转介): a problem found on a visit, in a case group, by a caring mother or in a
//! crisis goes to the district office (未保办), which sends it to member units, answers it or
//! declines it; a unit's officer takes it, reports progress and resolves it; the office
//! confirms closure or reopens it, and the reporter sees the outcome.

pub mod detail;
mod detail_actions;
mod detail_assign;
mod detail_parts;
mod detail_unit;
pub mod list;
pub mod new;
pub mod report;
pub mod units;

use chrono::NaiveDate;
use leptos::prelude::*;
use shared::referrals::{ReferralState, SourceKind, Urgency};
use shared::Role;

use crate::i18n::use_i18n;

/// Today in Beijing, the day deadlines are compared with.
pub(crate) fn today() -> NaiveDate {
    shared::time::beijing_date(chrono::Utc::now())
}

/// The colour of a state label.
pub(crate) fn state_class(state: ReferralState) -> &'static str {
    match state {
        ReferralState::Submitted => "status status-pending",
        ReferralState::Assigned | ReferralState::InProgress => "status status-invited",
        ReferralState::Resolved | ReferralState::Closed => "status status-active",
        ReferralState::Declined => "status status-disabled",
    }
}

pub(crate) fn urgency_class(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Urgent => "status level-urgent",
        Urgency::Normal => "badge",
    }
}

/// "某某街道 某某村", or the code when the village is not known.
pub(crate) fn village_text(code: &str) -> String {
    let street = shared::divisions::street_of_village(code)
        .map(|street| street.name)
        .unwrap_or_default();
    let village = shared::divisions::village_name(code).unwrap_or(code);
    if street.is_empty() {
        village.to_string()
    } else {
        format!("{street} {village}")
    }
}

/// Who may raise a referral (the server checks the child is theirs).
pub fn can_raise(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Director | Role::Teacher | Role::Counsellor
    )
}

/// Whether the signed-in person may raise a referral.
pub fn signed_in_can_raise() -> bool {
    crate::session::use_session()
        .me()
        .is_some_and(|me| can_raise(me.role))
}

/// `/referrals/new?child=…&source=…[&source_id=…]`.
pub fn raise_href(child_id: &str, source: SourceKind, source_id: Option<&str>) -> String {
    let encode = |value: &str| String::from(web_sys::js_sys::encode_uri_component(value));
    let mut href = format!(
        "/referrals/new?child={}&source={}",
        encode(child_id),
        source.as_str()
    );
    if let Some(id) = source_id.filter(|id| !id.is_empty()) {
        href.push_str("&source_id=");
        href.push_str(&encode(id));
    }
    href
}

/// The link that starts a referral about a child, prefilled with where it came from
/// (`a.raise-referral`).
#[component]
pub fn RaiseLink(
    child_id: String,
    source: SourceKind,
    #[prop(optional)] source_id: Option<String>,
    /// The link's id, when a page has one link of its kind.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = raise_href(&child_id, source, source_id.as_deref());
    view! {
        <a id=id class="button raise-referral" href=href data-source=source.as_str()>
            {move || i18n.tr("提出转介", "Refer to the office")}
        </a>
    }
}
