//! Admins: the district's service sites, as a table, and the form to add one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::events::{limits, Site, SiteInput, SiteType};
use shared::{FieldError, Text};

use crate::components::county_picker::VillageSelect;
use crate::components::errors::{ErrorSummary, FieldMessage, FormErrors};
use crate::components::feedback::Loading;
use crate::components::form::{Choice, SelectField, SubmitBar, TextField};
use crate::components::table::{sort_by_key, Column, DataTable, Sort};
use crate::components::toast::use_toasts;
use crate::i18n::use_i18n;

fn columns() -> Vec<Column> {
    vec![
        Column::new("name", "名称", "Name").sortable(),
        Column::new("type", "类型", "Type").sortable(),
        Column::new("village", "所在村(社区)", "Village / community").sortable(),
        Column::new("address", "地址", "Address"),
        Column::new("contact", "联系人", "Contact"),
    ]
}

fn village(site: &Site) -> &'static str {
    shared::divisions::village_name(&site.site.village_code).unwrap_or_default()
}

#[component]
pub fn SitesPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let sites = LocalResource::new(move || {
        reload.track();
        crate::api::sites()
    });
    let sort = RwSignal::new(None::<Sort>);
    view! {
        <section class="card">
            <h1>{move || i18n.tr("服务阵地", "Service sites")}</h1>
            {move || match sites.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) => view! { <SiteTable list=list sort=sort/> }.into_any(),
            }}
        </section>
        <section class="card">
            <h2>{move || i18n.tr("新增阵地", "Add a site")}</h2>
            <SiteForm reload=reload/>
        </section>
    }
}

#[component]
fn SiteTable(list: Vec<Site>, sort: RwSignal<Option<Sort>>) -> impl IntoView {
    let i18n = use_i18n();
    let total = Signal::derive({
        let n = list.len() as u64;
        move || Some(n)
    });
    let list = StoredValue::new(list);
    let rows = move || {
        let mut rows = list.get_value();
        sort_by_key(&mut rows, sort.get(), |s, key| match key {
            "type" => s.site.site_type.as_str().to_string(),
            "village" => village(s).to_string(),
            _ => s.site.name.clone(),
        });
        rows
    };
    view! {
        <DataTable id="sites" columns=columns() sort=sort total=total
            empty_zh="还没有服务阵地。" empty_en="No sites yet.">
            {move || rows().into_iter().map(|site| {
                let kind = site.site.site_type;
                view! { <tr>
                    <td><strong>{site.site.name.clone()}</strong></td>
                    <td>{move || kind.label().get(i18n.lang.get())}</td>
                    <td>{village(&site)}</td>
                    <td>{site.site.address.clone()}</td>
                    <td>{site.site.contact_name.clone()} " " {site.site.contact_phone.clone()}</td>
                </tr> }
            }).collect_view()}
        </DataTable>
    }
}

fn type_choices() -> Vec<Choice> {
    SiteType::ALL
        .iter()
        .map(|k| Choice::new(k.as_str(), k.label().zh, k.label().en))
        .collect()
}

#[component]
fn SiteForm(reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let errors = FormErrors::new().provide();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(String::new());
    let village_code = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let contact_phone = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        errors.clear();
        let site_type = SiteType::parse(&kind.get_untracked());
        let mut missing = Vec::new();
        if name.get_untracked().trim().is_empty() {
            missing.push(FieldError::new(
                "name",
                Text::new("请填写阵地名称", "Enter the site's name"),
            ));
        }
        if site_type.is_none() {
            missing.push(FieldError::new(
                "site_type",
                Text::new("请选择阵地类型", "Choose the kind of site"),
            ));
        }
        let Some(site_type) = site_type else {
            return errors.show_fields(missing);
        };
        let input = SiteInput {
            name: name.get_untracked(),
            site_type,
            village_code: village_code.get_untracked(),
            address: address.get_untracked(),
            contact_name: contact_name.get_untracked(),
            contact_phone: contact_phone.get_untracked(),
        };
        // The server's own checks (village, phone, lengths) with its messages.
        if let Err(found) = input.validate() {
            return errors.show_fields(crate::pages::cases::merge_errors(missing, found));
        }
        if !missing.is_empty() {
            return errors.show_fields(missing);
        }
        busy.set(true);
        spawn_local(async move {
            let result = crate::api::save_site(None, &input).await;
            busy.set(false);
            match result {
                Ok(saved) => {
                    let added = saved.site.name;
                    toasts.success(
                        format!("已新增阵地:{added}"),
                        format!("Site added: {added}"),
                    );
                    for field in [
                        name,
                        kind,
                        village_code,
                        address,
                        contact_name,
                        contact_phone,
                    ] {
                        field.set(String::new());
                    }
                    reload.update(|n| *n += 1)
                }
                Err(failure) => errors.show_api(&failure),
            }
        });
    };
    view! {
        <form id="site-form" class="subform" novalidate on:submit=submit>
            <ErrorSummary errors=errors/>
            <TextField id="site-name" field="name" label_zh="名称" label_en="Name" value=name max=limits::SITE_NAME_MAX/>
            <SelectField id="site-type" field="site_type" label_zh="类型" label_en="Type" options=type_choices() value=kind/>
            <div class="field" data-field="village_code">
                <label for="site-village">{move || i18n.tr("所在村(社区)", "Village / community")}</label>
                <VillageSelect id="site-village" value=village_code/>
                <FieldMessage field="village_code"/>
            </div>
            <TextField id="site-address" field="address" label_zh="地址" label_en="Address" value=address max=limits::ADDRESS_MAX required=false/>
            <TextField id="site-contact" field="contact_name" label_zh="联系人" label_en="Contact" value=contact_name max=40 required=false/>
            <TextField id="site-phone" field="contact_phone" label_zh="联系电话" label_en="Contact phone" value=contact_phone kind="tel" max=16 required=false inputmode="tel"/>
            <SubmitBar id="site-save" label_zh="保存" label_en="Save" busy=Signal::from(busy)/>
        </form>
    }
}
