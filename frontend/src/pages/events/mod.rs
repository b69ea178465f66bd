mod child_place;
pub mod detail;
pub mod form;
mod form_check;
pub mod list;
pub mod mine;
pub mod roster;
pub mod sites;

use leptos::prelude::*;
use shared::events::{EventRecord, PlaceCounts};
use shared::Lang;

use crate::i18n::use_i18n;

/// "2026年12月5日 09:00–11:00" / "5 Dec 2026, 09:00–11:00", in Beijing time; an event over
/// several days shows its end in full.
pub fn when(record: &EventRecord, lang: Lang) -> String {
    let (starts, ends) = (record.event.starts_at, record.event.ends_at);
    let start = shared::time::format_datetime(starts, lang);
    if shared::time::beijing_date(starts) == shared::time::beijing_date(ends) {
        let end = shared::time::format_clock(ends);
        format!("{start}–{end}")
    } else {
        format!("{start} – {}", shared::time::format_datetime(ends, lang))
    }
}

/// "还剩 3 个名额" / "Full — 2 waiting".
#[component]
pub fn Places(counts: PlaceCounts, zh: &'static str, en: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let full = counts.left() == 0;
    view! {
        <span class=if full { "places full" } else { "places" }>
            {move || {
                let lang = i18n.lang.get();
                match (lang, full) {
                    (Lang::Zh, false) => format!("{zh}:还剩 {} / {} 个名额", counts.left(), counts.capacity),
                    (Lang::En, false) => format!("{en}: {} of {} places left", counts.left(), counts.capacity),
                    (Lang::Zh, true) => format!("{zh}:已满,{} 人候补", counts.waitlisted),
                    (Lang::En, true) => format!("{en}: full, {} waiting", counts.waitlisted),
                }
            }}
        </span>
    }
}
