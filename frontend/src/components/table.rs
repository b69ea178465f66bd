//! Data tables after Ant Design Pro's list pages, made for phones: the total above the table,
//! sortable column headers, labelled filters, a pager that says where you are. A wide table
//! scrolls inside its own frame; the page never scrolls sideways.

use leptos::prelude::*;
use shared::Lang;

use crate::components::feedback::Empty;
use crate::i18n::use_i18n;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub sortable: bool,
}

impl Column {
    pub const fn new(key: &'static str, zh: &'static str, en: &'static str) -> Self {
        Self {
            key,
            zh,
            en,
            sortable: false,
        }
    }

    pub const fn sortable(mut self) -> Self {
        self.sortable = true;
        self
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Sort {
    pub key: &'static str,
    pub descending: bool,
}

impl Sort {
    pub const fn ascending(key: &'static str) -> Self {
        Self {
            key,
            descending: false,
        }
    }

    /// The server's form: "name" or "-name".
    pub fn to_param(self) -> String {
        if self.descending {
            format!("-{}", self.key)
        } else {
            self.key.to_string()
        }
    }
}

/// The wrapper `id`, "共 N 条" (`.table-total[data-total=N]`, also "共 0 条" when empty), and a
/// `<table class="table">` whose `<tbody>` is `children` (rows `<tr>`). Sortable headers are
/// buttons (with `aria-sort` on their `<th>`) when `sort` is given; a click sorts by that
/// column, a second click reverses. `total` Some(0) shows the empty state instead of the table.
#[component]
pub fn DataTable(
    id: &'static str,
    columns: Vec<Column>,
    #[prop(optional)] sort: Option<RwSignal<Option<Sort>>>,
    #[prop(into)] total: Signal<Option<u64>>,
    empty_zh: &'static str,
    empty_en: &'static str,
    /// What the table lists, for screen readers ("儿童名册"); the header texts otherwise.
    #[prop(optional)]
    caption_zh: Option<&'static str>,
    #[prop(optional)] caption_en: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_empty = move || total.get() == Some(0);
    let total_text = move || {
        total.get().map(|total| {
            let text = match i18n.lang.get() {
                Lang::Zh => format!("共 {total} 条"),
                Lang::En if total == 1 => "1 in all".to_string(),
                Lang::En => format!("{total} in all"),
            };
            view! { <p class="table-total" data-total=total.to_string()>{text}</p> }
        })
    };
    let region_label = move || match (caption_zh, caption_en) {
        (Some(zh), Some(en)) => i18n.tr(zh, en),
        _ => i18n.tr("表格(可左右滑动)", "Table (scrolls sideways)"),
    };
    let headers = columns
        .into_iter()
        .map(|column| header_cell(column, sort))
        .collect_view();
    view! {
        <div id=id class="data-table">
            {total_text}
            {move || is_empty().then(|| view! { <Empty zh=empty_zh en=empty_en/> })}
            <div class="table-scroll" role="region" tabindex="0" aria-label=region_label
                hidden=is_empty>
                <table class="table">
                    {caption_zh.zip(caption_en).map(|(zh, en)| view! {
                        <caption class="visually-hidden">{move || i18n.tr(zh, en)}</caption>
                    })}
                    <thead>
                        <tr>{headers}</tr>
                    </thead>
                    <tbody>{children()}</tbody>
                </table>
            </div>
        </div>
    }
}

fn header_cell(column: Column, sort: Option<RwSignal<Option<Sort>>>) -> AnyView {
    let i18n = use_i18n();
    let label = move || i18n.tr(column.zh, column.en);
    match sort.filter(|_| column.sortable) {
        None => view! { <th scope="col">{label}</th> }.into_any(),
        Some(sort) => {
            let current = move || sort.get().filter(|sort| sort.key == column.key);
            let aria_sort = move || match current() {
                None => "none",
                Some(sort) if sort.descending => "descending",
                Some(_) => "ascending",
            };
            let arrow = move || match current() {
                None => "↕",
                Some(sort) if sort.descending => "↓",
                Some(_) => "↑",
            };
            let toggle = move |_| {
                let next = match sort.get_untracked() {
                    Some(now) if now.key == column.key => Sort {
                        key: column.key,
                        descending: !now.descending,
                    },
                    _ => Sort::ascending(column.key),
                };
                sort.set(Some(next));
            };
            view! {
                <th scope="col" aria-sort=aria_sort>
                    <button type="button" class="sort-button" data-sort-key=column.key on:click=toggle>
                        <span>{label}</span>
                        <span class="sort-arrow" aria-hidden="true">{arrow}</span>
                    </button>
                </th>
            }
            .into_any()
        }
    }
}

/// Cursor paging for server lists: remembers the cursor of each page seen, so "上一页" works.
#[derive(Clone, Copy)]
pub struct CursorPages {
    /// The cursor of every page from the first (None) to the current one.
    stack: RwSignal<Vec<Option<String>>>,
}

impl Default for CursorPages {
    fn default() -> Self {
        Self::new()
    }
}

impl CursorPages {
    pub fn new() -> Self {
        Self {
            stack: RwSignal::new(vec![None]),
        }
    }

    /// Reactive: the cursor to ask the server with for the current page.
    pub fn current(&self) -> Option<String> {
        self.stack.with(|stack| stack.last().cloned().flatten())
    }

    /// Reactive, 0-based.
    pub fn page_index(&self) -> usize {
        self.stack.with(|stack| stack.len().saturating_sub(1))
    }

    /// A second tap while the next page loads offers the same cursor again: it is ignored.
    pub fn go_next(&self, next: String) {
        self.stack.update(|stack| {
            if !stack
                .iter()
                .any(|seen| seen.as_deref() == Some(next.as_str()))
            {
                stack.push(Some(next));
            }
        });
    }

    pub fn go_prev(&self) {
        if self.stack.with_untracked(|stack| stack.len() > 1) {
            self.stack.update(|stack| {
                stack.pop();
            });
        }
    }

    /// Back to the first page (after a filter or the sort changed).
    pub fn reset(&self) {
        if self.stack.with_untracked(|stack| stack.len() > 1) {
            self.stack.set(vec![None]);
        }
    }
}

/// "第 51–100 条,共 312 条" with 上一页 / 下一页; hidden while everything fits one page.
/// `shown` is the number of rows on this page, `next` the server's cursor of the next page.
#[component]
pub fn Pager(
    pages: CursorPages,
    page_size: u64,
    #[prop(into)] shown: Signal<u64>,
    #[prop(into)] total: Signal<Option<u64>>,
    #[prop(into)] next: Signal<Option<String>>,
    /// Prefix for the buttons' ids ("{id}-prev", "{id}-next"); "pager" when not given.
    #[prop(optional)]
    id: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or("pager");
    let needed = Memo::new(move |_| pages.page_index() > 0 || next.with(Option::is_some));
    let text = move || {
        let shown = shown.get();
        let first = pages.page_index() as u64 * page_size + 1;
        let last = first + shown.saturating_sub(1);
        match (i18n.lang.get(), total.get(), shown) {
            (Lang::Zh, _, 0) => "本页没有内容".to_string(),
            (Lang::En, _, 0) => "Nothing on this page".to_string(),
            (Lang::Zh, Some(total), _) => format!("第 {first}–{last} 条,共 {total} 条"),
            (Lang::Zh, None, _) => format!("第 {first}–{last} 条"),
            (Lang::En, Some(total), _) => format!("{first}–{last} of {total}"),
            (Lang::En, None, _) => format!("{first}–{last}"),
        }
    };
    let go_prev = move |_| {
        pages.go_prev();
        scroll_to_top();
    };
    let go_next = move |_| {
        if let Some(cursor) = next.get_untracked() {
            pages.go_next(cursor);
            scroll_to_top();
        }
    };
    move || {
        needed.get().then(|| {
            view! {
                <nav class="pager" aria-label=move || i18n.tr("翻页", "Pages")>
                    <p class="pager-text" aria-live="polite">{text}</p>
                    <div class="pager-buttons">
                        <button type="button" id=format!("{id}-prev") class="pager-prev"
                            disabled=move || pages.page_index() == 0
                            on:click=go_prev>
                            {move || i18n.tr("上一页", "Previous")}
                        </button>
                        <button type="button" id=format!("{id}-next") class="pager-next"
                            disabled=move || next.with(Option::is_none)
                            on:click=go_next>
                            {move || i18n.tr("下一页", "Next")}
                        </button>
                    </div>
                </nav>
            }
        })
    }
}

fn scroll_to_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// A row of labelled filters (each child a field with a visible label). On a phone only the
/// first (the search) shows until "更多筛选" opens the rest, so the list starts on screen.
#[component]
pub fn FilterBar(#[prop(optional)] id: Option<&'static str>, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let expanded = RwSignal::new(false);
    view! {
        <div id=id class=move || if expanded.get() { "filter-bar expanded" } else { "filter-bar" }
            role="group" aria-label=move || i18n.tr("筛选", "Filters")>
            {children()}
            <button type="button" class="filter-toggle" aria-expanded=move || expanded.get().to_string()
                on:click=move |_| expanded.update(|open| *open = !*open)>
                {move || if expanded.get() { i18n.tr("收起筛选", "Fewer filters") } else { i18n.tr("更多筛选", "More filters") }}
            </button>
        </div>
    }
}

/// Sorts a fully loaded list in place (stable) by a key of the sorted column.
pub fn sort_by_key<T, K: Ord>(
    items: &mut [T],
    sort: Option<Sort>,
    key_of: impl Fn(&T, &'static str) -> K,
) {
    if let Some(sort) = sort {
        items.sort_by(|a, b| {
            let order = key_of(a, sort.key).cmp(&key_of(b, sort.key));
            if sort.descending {
                order.reverse()
            } else {
                order
            }
        });
    }
}
