//! Admins: the audit log, month by month, newest first; or everything about one record
//! (`?target=child:<id>`) or by one person (`?actor=<user id>`). People and records are shown
//! by name; ids only in a title, for whoever needs them.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::AuditEntry;
use shared::Lang;

use crate::components::feedback::Loading;
use crate::components::picker::{picker_search, PickOption, SearchPicker};
use crate::components::table::{Column, CursorPages, DataTable, FilterBar, Pager};
use crate::i18n::use_i18n;

const PAGE_SIZE: u64 = 50;

fn columns() -> Vec<Column> {
    vec![
        Column::new("at", "时间", "Time"),
        Column::new("action", "操作", "Action"),
        Column::new("actor", "操作人", "By"),
        Column::new("target", "对象", "Record"),
        Column::new("source", "来源", "From"),
        Column::new("detail", "详情", "Details"),
    ]
}

/// What kind of record a target is, when the log has no label for it.
fn target_kind(target: &str) -> (&'static str, &'static str) {
    match target.split(':').next().unwrap_or_default() {
        "child" => ("儿童档案", "Child record"),
        "case" => ("个案群组", "Case group"),
        "event" => ("活动", "Event"),
        "pairing" => ("结对", "Pairing"),
        "site" => ("服务阵地", "Site"),
        "user" => ("用户账号", "User account"),
        _ => ("记录", "Record"),
    }
}

/// Where a target can be opened, if it has a page.
fn target_href(target: &str) -> Option<String> {
    let (kind, id) = target.split_once(':')?;
    match kind {
        "child" => Some(format!("/children/{id}")),
        "case" => Some(format!("/cases/{id}")),
        "event" => Some(format!("/events/{id}")),
        "pairing" => Some(format!("/pairings/{id}")),
        "site" => Some("/sites".to_string()),
        _ => None,
    }
}

/// Field-level changes (`[{"field", "before", "after"}]`) as lines; anything else as it is.
fn detail_lines(detail: &str) -> Vec<String> {
    let show = |value: &serde_json::Value| match value {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    match serde_json::from_str::<serde_json::Value>(detail) {
        Ok(serde_json::Value::Array(items))
            if items.iter().all(|item| item.get("field").is_some()) =>
        {
            items
                .iter()
                .map(|item| {
                    let field = item.get("field").map(show).unwrap_or_default();
                    let before = item.get("before").map(show).unwrap_or_else(|| "—".into());
                    let after = item.get("after").map(show).unwrap_or_else(|| "—".into());
                    format!("{field}: {before} → {after}")
                })
                .collect()
        }
        _ if is_id_list(detail) => {
            let count = detail.split(',').count();
            vec![format!("{count} 条记录 / {count} records")]
        }
        _ => vec![detail.to_string()],
    }
}

/// Which records a list showed: ids (ULIDs) separated by commas, shown as a count (the ids
/// stay in the entry's tooltip).
fn is_id_list(detail: &str) -> bool {
    !detail.is_empty()
        && detail.split(',').all(|id| {
            id.len() == 26
                && id
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        })
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let url = use_query_map();
    let target = Memo::new(move |_| url.with(|q| q.get("target")));
    let actor = Memo::new(move |_| url.with(|q| q.get("actor")));
    let narrowed = move || target.get().is_some() || actor.get().is_some();
    let month = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<PickOption>);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(person) = chosen.get() {
            navigate(&format!("/audit?actor={}", person.id), Default::default());
        }
    });
    Effect::new(move |_| {
        if actor.get().is_none() && chosen.get_untracked().is_some() {
            chosen.set(None);
        }
    });
    let pages = CursorPages::new();
    let key = Memo::new(move |_| (month.get(), target.get(), actor.get()));
    Effect::new(move |ran: Option<()>| {
        key.track();
        if ran.is_some() && untrack(|| pages.page_index()) > 0 {
            pages.reset();
        }
    });
    let asked = StoredValue::new(None::<(String, Option<String>, Option<String>)>);
    let entries = LocalResource::new(move || {
        let current = key.get();
        let cursor = pages.current();
        let same = asked.with_value(|last| last.as_ref() == Some(&current));
        asked.set_value(Some(current.clone()));
        let cursor = if same { cursor } else { None };
        let (month, target, actor) = current;
        let month = (!month.is_empty() && target.is_none() && actor.is_none()).then_some(month);
        async move { crate::api::audit(month, target, actor, cursor).await }
    });
    let loaded = move || entries.get().and_then(Result::ok);
    let total = Signal::derive(move || loaded().map(|p| p.total.unwrap_or(p.items.len() as u64)));
    let shown = Signal::derive(move || loaded().map_or(0, |p| p.items.len() as u64));
    let next = Signal::derive(move || loaded().and_then(|p| p.next));
    // Whom or what the log is narrowed to, by name.
    let narrowed_to = move || {
        let first = loaded().and_then(|page| page.items.into_iter().next());
        if actor.get().is_some() {
            chosen
                .get()
                .map(|person| person.label)
                .or_else(|| first.and_then(|entry| entry.actor_name))
        } else {
            first.and_then(|entry| entry.target_label)
        }
    };
    let people = picker_search(|q: String| async move {
        crate::api::people(&q, &[]).await.map(|list| {
            list.into_iter()
                .map(|person| PickOption {
                    id: person.id,
                    label: person.display_name,
                    detail: format!("@{} · {}", person.username, person.detail),
                })
                .collect()
        })
    });

    view! {
        <section class="card">
            <h1>{move || i18n.tr("审计日志", "Audit log")}</h1>
            <Show when=narrowed>
                <p class="narrowed" id="audit-narrowed">
                    {move || if actor.get().is_some() { i18n.tr("仅显示此人的操作:", "Only actions by: ") } else { i18n.tr("仅显示关于此记录的操作:", "Only actions on: ") }}
                    <strong>{move || narrowed_to().unwrap_or_default()}</strong> " "
                    <a href="/audit">{move || i18n.tr("显示全部", "Show all")}</a>
                </p>
            </Show>
            <FilterBar>
                <div class="field filter">
                    <label for="audit-month">{move || i18n.tr("月份", "Month")}</label>
                    <input id="audit-month" type="month" disabled=narrowed
                        aria-describedby="audit-month-hint"
                        prop:value=move || month.get()
                        on:change=move |event| month.set(event_target_value(&event))/>
                    <span class="hint" id="audit-month-hint">{move || if narrowed() {
                        i18n.tr("按人或记录查看时显示全部月份", "All months when narrowed to a person or record")
                    } else {
                        i18n.tr("不选则为本月", "This month when left empty")
                    }}</span>
                </div>
                <SearchPicker id="audit-actor" label_zh="操作人" label_en="Person"
                    hint_zh="输入姓名或用户名查找" hint_en="Type a name or username"
                    search=people value=chosen/>
            </FilterBar>
            {move || match entries.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error" role="alert">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(page)) => {
                    let rows = page.items.into_iter().map(|entry| view! { <AuditRow entry=entry/> }).collect_view();
                    view! {
                        <DataTable id="audit-list" columns=columns() total=total
                            empty_zh="没有记录。" empty_en="Nothing recorded."
                            caption_zh="审计日志" caption_en="Audit log">
                            {rows}
                        </DataTable>
                    }.into_any()
                }
            }}
            <Pager pages=pages page_size=PAGE_SIZE shown=shown total=total next=next/>
        </section>
    }
}

#[component]
fn AuditRow(entry: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let at = entry.at;
    let action = entry.action;
    let actor = entry.actor_id.clone().map(|id| {
        let name = entry.actor_name.clone().unwrap_or_else(|| "—".into());
        let href = format!("/audit?actor={id}");
        view! { <a href=href title=id>{name}</a> }.into_any()
    });
    let target = entry.target.clone().map(|target| {
        let (zh, en) = target_kind(&target);
        let label = entry.target_label.clone();
        let text = move || match &label {
            Some(name) => format!("{} {name}", i18n.tr(zh, en)),
            None => i18n.tr(zh, en).to_string(),
        };
        match target_href(&target) {
            Some(href) => view! { <a href=href title=target.clone()>{text}</a> }.into_any(),
            None => view! { <span title=target.clone()>{text}</span> }.into_any(),
        }
    });
    let lines = entry
        .detail
        .as_deref()
        .map(detail_lines)
        .unwrap_or_default();
    view! {
        <tr>
            <td class="nowrap">{move || shared::time::format_datetime(at, i18n.lang.get())}</td>
            <td>{move || action.label().get(i18n.lang.get())}</td>
            <td>{actor.unwrap_or_else(|| view! { <span class="muted">{move || i18n.tr("未登录", "Not signed in")}</span> }.into_any())}</td>
            <td>{target}</td>
            <td class="muted">{entry.source.clone().unwrap_or_default()}</td>
            <td>
                {(!lines.is_empty()).then(|| {
                    let count = lines.len();
                    view! {
                        <details>
                            <summary>{move || match i18n.lang.get() {
                                Lang::Zh => format!("{count} 项"),
                                Lang::En => format!("{count} item(s)"),
                            }}</summary>
                            <ul class="detail-lines">
                                {lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
                            </ul>
                        </details>
                    }
                })}
            </td>
        </tr>
    }
}
