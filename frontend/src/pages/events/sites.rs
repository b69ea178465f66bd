//! Admins: the district's service sites.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::events::{SiteInput, SiteType};

use crate::api::ApiError;
use crate::components::county_picker::VillageSelect;
use crate::components::feedback::{Empty, ErrorBanner, Loading};
use crate::components::form::TextField;
use crate::i18n::use_i18n;

#[component]
pub fn SitesPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let sites = LocalResource::new(move || {
        reload.track();
        crate::api::sites()
    });
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(SiteType::ChildrensHome);
    let village = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let contact_name = RwSignal::new(String::new());
    let contact_phone = RwSignal::new(String::new());
    let (error, set_error) = signal(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        set_error.set(None);
        let input = SiteInput {
            name: name.get_untracked(),
            site_type: kind.get_untracked(),
            village_code: village.get_untracked(),
            address: address.get_untracked(),
            contact_name: contact_name.get_untracked(),
            contact_phone: contact_phone.get_untracked(),
        };
        spawn_local(async move {
            match crate::api::save_site(None, &input).await {
                Ok(_) => {
                    name.set(String::new());
                    reload.update(|n| *n += 1)
                }
                Err(failure) => set_error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="card">
            <h1>{move || i18n.tr("服务阵地", "Service sites")}</h1>
            {move || match sites.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <Empty zh="还没有服务阵地。" en="No sites yet."/> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows">{list.into_iter().map(|site| {
                        let kind = site.site.site_type;
                        view! { <li class="row"><div class="row-main">
                            <strong>{site.site.name.clone()}</strong>
                            <div class="row-meta"><span class="badge">{move || kind.label().get(i18n.lang.get())}</span>
                            <span class="muted">{shared::divisions::village_name(&site.site.village_code).unwrap_or_default()} " " {site.site.address.clone()}</span>
                            <span class="muted">{site.site.contact_name.clone()} " " {site.site.contact_phone.clone()}</span></div>
                        </div></li> }
                    }).collect_view()}</ul>
                }.into_any(),
            }}
            <h2>{move || i18n.tr("新增阵地", "Add a site")}</h2>
            <form id="site-form" class="subform" on:submit=submit>
                <TextField id="site-name" label_zh="名称" label_en="Name" value=name max=shared::events::limits::SITE_NAME_MAX/>
                <div class="field">
                    <label for="site-type">{move || i18n.tr("类型", "Type")}</label>
                    <select id="site-type" on:change=move |e| if let Some(k) = SiteType::parse(&event_target_value(&e)) { kind.set(k) }>
                        {SiteType::ALL.iter().map(|k| view! { <option value=k.as_str()>{move || k.label().get(i18n.lang.get())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field"><label for="site-village">{move || i18n.tr("所在村(社区)", "Village / community")}</label>
                    <VillageSelect id="site-village" value=village/></div>
                <TextField id="site-address" label_zh="地址" label_en="Address" value=address max=shared::events::limits::ADDRESS_MAX required=false/>
                <TextField id="site-contact" label_zh="联系人" label_en="Contact" value=contact_name max=40 required=false/>
                <TextField id="site-phone" label_zh="联系电话" label_en="Contact phone" value=contact_phone kind="tel" max=16 required=false/>
                <ErrorBanner error=error/>
                <button type="submit" class="primary">{move || i18n.tr("保存", "Save")}</button>
            </form>
        </section>
    }
}
