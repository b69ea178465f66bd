//! Admins: vet volunteers (background check, approve/reject/suspend/reinstate), as a table
//! with its total, a status filter and a name filter.

use leptos::prelude::*;
use shared::pairings::{VettingState, VolunteerProfile};

use super::vetting::VettingActions;
use crate::components::feedback::Loading;
use crate::components::form::{Choice, SelectField, TextField};
use crate::components::table::{sort_by_key, Column, DataTable, FilterBar, Sort};
use crate::i18n::use_i18n;

fn state_choices() -> Vec<Choice> {
    VettingState::ALL
        .iter()
        .map(|s| Choice::new(s.as_str(), s.label().zh, s.label().en))
        .collect()
}

fn columns() -> Vec<Column> {
    vec![
        Column::new("name", "姓名", "Name").sortable(),
        Column::new("organisation", "组织", "Organisation"),
        Column::new("state", "审核状态", "Status").sortable(),
        Column::new("pairings", "结对", "Paired").sortable(),
        Column::new("check", "背景核查", "Background check"),
        Column::new("actions", "审核", "Vetting"),
    ]
}

#[component]
pub fn VolunteersPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        crate::api::volunteer_profiles()
    });
    // Above the reloaded table, so a decision does not reset what the admin filtered by.
    let status = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let sort = RwSignal::new(None::<Sort>);
    view! {
        <section class="card">
            <h1>{move || i18n.tr("志愿者审核", "Volunteer vetting")}</h1>
            <p class="muted">{move || i18n.tr("与未成年人密切接触的人员须先完成背景核查,审核通过后方可结对和报名活动。",
                "People in close contact with minors need a background check; once approved they can be paired and sign up.")}</p>
            <FilterBar>
                <SelectField id="volunteer-status" label_zh="审核状态" label_en="Status" options=state_choices()
                    value=status placeholder_zh="全部" placeholder_en="All"/>
                <TextField id="volunteer-name" label_zh="姓名" label_en="Name" value=name required=false/>
            </FilterBar>
            {move || match list.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(error)) => view! { <div class="error">{error.message(i18n.lang.get())}</div> }.into_any(),
                Some(Ok(list)) => view! { <VolunteerTable list=list status=status name=name sort=sort reload=reload/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn VolunteerTable(
    list: Vec<VolunteerProfile>,
    status: RwSignal<String>,
    name: RwSignal<String>,
    sort: RwSignal<Option<Sort>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let list = StoredValue::new(list);
    let shown = move || {
        let wanted = status.get();
        let typed = name.get().trim().to_lowercase();
        let mut rows: Vec<VolunteerProfile> = list
            .get_value()
            .into_iter()
            .filter(|v| wanted.is_empty() || v.vetting.state.as_str() == wanted)
            .filter(|v| typed.is_empty() || v.name.to_lowercase().contains(&typed))
            .collect();
        sort_by_key(&mut rows, sort.get(), |v, key| match key {
            "state" => v.vetting.state.as_str().to_string(),
            "pairings" => format!("{:06}", v.active_pairings),
            _ => v.name.clone(),
        });
        rows
    };
    let total = Signal::derive(move || Some(shown().len() as u64));
    view! {
        <DataTable id="volunteers" columns=columns() sort=sort total=total
            empty_zh="没有符合条件的志愿者。" empty_en="No volunteers match.">
            {move || shown().into_iter().map(|v| view! { <VolunteerRow volunteer=v reload=reload/> }).collect_view()}
        </DataTable>
    }
}

#[component]
fn VolunteerRow(volunteer: VolunteerProfile, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let state = volunteer.vetting.state;
    let check = volunteer.vetting.background_check.clone();
    let decided_by = volunteer.vetting.checked_by.clone();
    let row_name = volunteer.name.clone();
    let actions_for = volunteer.clone();
    view! {
        <tr data-volunteer=row_name>
            <td><strong>{volunteer.name.clone()}</strong>
                {volunteer.phone.clone().map(|p| view! { <div class="muted">{p}</div> })}</td>
            <td>{volunteer.organisation.map(|o| view! { <span class="badge">{move || o.label().get(i18n.lang.get())}</span> })}</td>
            <td><span class="status">{move || state.label().get(i18n.lang.get())}</span>
                {(!volunteer.vetting.reason.is_empty()).then(|| view! { <div class="muted">{volunteer.vetting.reason.clone()}</div> })}</td>
            <td>{format!("{}/{}", volunteer.active_pairings, volunteer.max_children)}</td>
            <td>{check.map(|c| {
                let (day, result) = (c.checked_on, c.result);
                view! { <span>{move || shared::time::format_date(day, i18n.lang.get())} " · " {move || result.label().get(i18n.lang.get())}</span>
                    {decided_by.clone().map(|by| view! { <div class="muted">{by}</div> })} }
            })}</td>
            <td><VettingActions volunteer=actions_for reload=reload/></td>
        </tr>
    }
}
