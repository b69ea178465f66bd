//! Admins: import children from CSV/XLSX (all-or-nothing, errors by row), export the registry
//! (both in the national form's layout) and download the per-village rosters.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::children::ImportReport;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::components::feedback::{ErrorBanner, Loading};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let (error, set_error) = signal(None::<ApiError>);
    let report = RwSignal::new(None::<ImportReport>);
    let busy = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let toasts = use_toasts();
    let missing_file = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(file) = file_input
            .get()
            .and_then(|input| input.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0))
        else {
            missing_file.set(true);
            return;
        };
        missing_file.set(false);
        busy.set(true);
        set_error.set(None);
        report.set(None);
        spawn_local(async move {
            match crate::api::import_children(file).await {
                Ok(result) => {
                    let count = result.imported;
                    toasts.success(
                        format!("已导入 {count} 名儿童"),
                        format!("Imported {count} children"),
                    );
                    report.set(Some(result));
                }
                Err(failure) => set_error.set(Some(failure)),
            }
            busy.set(false);
        });
    };

    let row_errors = move || match error.get() {
        Some(ApiError::Api(body)) => body.rows,
        _ => Vec::new(),
    };

    view! {
        <section class="card">
            <h1>{move || i18n.tr("导入儿童名册", "Import children")}</h1>
            <p class="muted">{move || i18n.tr(
                "先下载模板,按表头填写(每行一名儿童)。整个文件先检查,只要有一行有错就不会写入任何数据。每次最多 10000 行,文件不超过 4 MB。",
                "Download the template and fill one child per row. The whole file is checked first; if any row is wrong, nothing is written. At most 10,000 rows and 4 MB per file.")}</p>
            <p class="muted" id="national-layout-note">{move || i18n.tr(
                "模板、导出和导入使用同一种列布局:前面是全国《农村留守儿童基本情况登记表》的各列,按登记表的顺序和用语填写(如“外出务工”“失联”“低保、临时救助”),后面是本系统自有的列。旧版模板填写的文件仍可导入。",
                "The template, the export and the import share one column layout: first the national registration form's columns (农村留守儿童基本情况登记表), in the form's order and wording (e.g. 外出务工, 失联, 低保、临时救助), then the portal's own columns. Files filled from the earlier template still import.")}</p>
            <p>
                <a class="button" href="/api/children/import-template?format=xlsx" download>{move || i18n.tr("下载模板 (XLSX)", "Template (XLSX)")}</a> " "
                <a class="button" href="/api/children/import-template?format=csv" download>{move || i18n.tr("下载模板 (CSV)", "Template (CSV)")}</a>
            </p>
            <form id="import-form" on:submit=submit novalidate>
                <div class="field" data-field="file">
                    <label for="import-file">{move || i18n.tr("名册文件(CSV 或 XLSX)", "Registry file (CSV or XLSX)")}</label>
                    <input id="import-file" type="file" accept=".csv,.xlsx,text/csv" node_ref=file_input
                        aria-describedby=move || missing_file.get().then_some("import-file-error")/>
                    <Show when=move || missing_file.get()>
                        <p class="field-error" id="import-file-error" role="alert">{move || i18n.tr("请先选择要导入的文件", "Choose the file to import first")}</p>
                    </Show>
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.tr("正在导入…", "Importing…") } else { i18n.tr("导入", "Import") }}
                </button>
            </form>
            <Show when=move || busy.get()><Loading/></Show>
            <ErrorBanner error=error/>
            {move || {
                let rows = row_errors();
                (!rows.is_empty()).then(|| {
                    let lang = i18n.lang.get();
                    view! {
                        <table id="import-errors" class="table">
                            <thead><tr>
                                <th>{move || i18n.tr("行", "Row")}</th><th>{move || i18n.tr("列", "Column")}</th><th>{move || i18n.tr("问题", "Problem")}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|row| view! {
                                    <tr><td>{row.row}</td><td>{row.column.clone()}</td>
                                    <td>{if lang == shared::Lang::Zh { row.message.clone() } else { row.message_en.clone() }}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                })
            }}
            {move || report.get().map(|report| view! {
                <div id="import-done" class="success" role="status">
                    {move || i18n.tr("已导入 ", "Imported ")}{report.imported}{move || i18n.tr(" 名儿童。", " children.")}
                    <ul>{report.possible_duplicates.iter().map(|row| {
                        let row = row.clone();
                        view! { <li>{format!("#{} ", row.row)}{move || if i18n.lang.get() == shared::Lang::Zh { row.message.clone() } else { row.message_en.clone() }}</li> }
                    }).collect_view()}</ul>
                </div>
            })}
            <h2>{move || i18n.tr("导出名册", "Export the registry")}</h2>
            <p class="muted">{move || i18n.tr("导出内容含完整身份证号等敏感信息,每次导出都会记入审计日志。", "Exports contain full ID numbers and other sensitive data; every export is in the audit log.")}</p>
            <a class="button" href="/api/children/export?format=xlsx" download>{move || i18n.tr("导出 XLSX", "Export XLSX")}</a> " "
            <a class="button" href="/api/children/export?format=csv" download>{move || i18n.tr("导出 CSV", "Export CSV")}</a>
            <RosterDownload/>
        </section>
    }
}

/// The per-village roster (花名册): every village, one sheet each, or the village chosen.
#[component]
fn RosterDownload() -> impl IntoView {
    let i18n = use_i18n();
    let village = RwSignal::new(String::new());
    let href = move || {
        let code = village.get();
        if code.is_empty() {
            "/api/children/roster?format=xlsx".to_string()
        } else {
            format!("/api/children/roster?format=xlsx&village={code}")
        }
    };
    let streets: Vec<_> = shared::divisions::streets().collect();
    view! {
        <h2>{move || i18n.tr("村(社区)花名册", "Village rosters")}</h2>
        <p class="muted">{move || i18n.tr(
            "每个村(社区)一个工作表,列出监测中的儿童(按姓名排序),含完整身份证号;每次下载都会记入审计日志。",
            "One sheet per village or community listing its monitored children by name, with full ID numbers; every download is in the audit log.")}</p>
        <div class="field">
            <label for="roster-village">{move || i18n.tr("村(社区)", "Village / community")}</label>
            <select id="roster-village" on:change=move |event| village.set(event_target_value(&event))>
                <option value="" selected=move || village.get().is_empty()>{move || i18n.tr("全部村(社区)", "All villages")}</option>
                {streets.into_iter().map(|street| {
                    let villages: Vec<_> = shared::divisions::villages()
                        .filter(|v| v.parent == street.code)
                        .collect();
                    view! {
                        <optgroup label=street.name>
                            {villages.into_iter().map(|v| {
                                let code = v.code;
                                view! { <option value=code selected=move || village.get() == code>{v.name}</option> }
                            }).collect_view()}
                        </optgroup>
                    }
                }).collect_view()}
            </select>
        </div>
        <a class="button" id="roster-download" href=href download>{move || i18n.tr("下载花名册 (XLSX)", "Download roster (XLSX)")}</a>
    }
}
