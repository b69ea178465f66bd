//! A horizontal bar chart that stays light: a list of links, each its label, its count and an
//! inline SVG bar as long as its share of the largest bar (no chart library in the wasm
//! bundle). The list is what screen readers and text readers get; the bars only draw it
//! (`aria-hidden`), so the chart needs no description of its own. The bars' colours are
//! attributes, not styles, so they draw the same before the style sheet arrives.

use leptos::prelude::*;
use shared::children::Bilingual;

use crate::i18n::use_i18n;

/// One bar. `stat` is its `data-stat` (`care_level:urgent`), `href` the list it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub stat: String,
    pub label: Bilingual,
    pub count: u64,
    pub href: String,
}

/// A bar's length in per cent of the chart's width: the largest is the whole width.
pub fn bar_percent(count: u64, largest: u64) -> f64 {
    if largest == 0 {
        0.0
    } else {
        count as f64 * 100.0 / largest as f64
    }
}

/// `ul.bar-chart`, one `li` per bar: `a.bar-chart-link[data-stat][data-count]` holding the
/// label, the count and the bar.
#[component]
pub fn BarChart(bars: Vec<Bar>) -> impl IntoView {
    let i18n = use_i18n();
    let largest = bars.iter().map(|bar| bar.count).max().unwrap_or(0);
    let items = bars
        .into_iter()
        .map(|bar| {
            let width = format!("{:.1}%", bar_percent(bar.count, largest));
            let label = bar.label;
            let count = bar.count;
            view! {
                <li>
                    <a class="bar-chart-link" href=bar.href data-stat=bar.stat
                        data-count=count.to_string()>
                        <span class="bar-chart-text">
                            <span class="bar-chart-label">{move || label.get(i18n.lang.get()).to_string()}</span>
                            " "
                            <span class="bar-chart-count">{count}</span>
                        </span>
                        <svg class="bar-chart-bar" width="100%" height="12" aria-hidden="true"
                            focusable="false">
                            <rect x="0" y="0" width="100%" height="12" rx="3" fill="#e3f0ec"/>
                            <rect x="0" y="0" width=width height="12" rx="3" fill="#1f6f5c"/>
                        </svg>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="bar-chart">{items}</ul> }
}

#[cfg(test)]
mod tests {
    use super::bar_percent;

    #[test]
    fn the_largest_bar_fills_the_width_and_nothing_divides_by_zero() {
        let shown = |count, largest| format!("{:.1}", bar_percent(count, largest));
        assert_eq!(shown(8, 8), "100.0");
        assert_eq!(shown(2, 8), "25.0");
        assert_eq!(shown(0, 0), "0.0");
    }
}
