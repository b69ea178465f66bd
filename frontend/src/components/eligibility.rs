//! The eligibility verdict with every clause's reason, in the interface language.

use leptos::prelude::*;
use shared::eligibility::Eligibility;

use crate::i18n::use_i18n;

#[component]
pub fn EligibilityPanel(#[prop(into)] result: Signal<Option<Eligibility>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        match result.get() {
        None => view! {
            <div id="eligibility" class="eligibility pending" aria-live="polite">
                {move || i18n.tr("填写出生日期和父母情况后,这里显示是否符合留守儿童认定条件。",
                    "Fill in the date of birth and both parents to see whether the child meets the definition.")}
            </div>
        }.into_any(),
        Some(result) => {
            let eligible = result.eligible;
            let lang = i18n.lang.get();
            view! {
                <div id="eligibility" class=if eligible { "eligibility eligible" } else { "eligibility not-eligible" } aria-live="polite">
                    <strong class="verdict">
                        {if eligible { i18n.tr("符合留守儿童认定条件", "Eligible: meets the definition") }
                         else { i18n.tr("不符合留守儿童认定条件", "Not eligible: does not meet the definition") }}
                    </strong>
                    <ul>
                        {result.reasons.into_iter().map(|reason| view! {
                            <li class=if reason.met { "met" } else { "unmet" }>
                                {if reason.met { "✓ " } else { "✗ " }}{reason.text.get(lang).to_string()}
                            </li>
                        }).collect_view()}
                    </ul>
                </div>
            }.into_any()
        }
    }
    }
}
