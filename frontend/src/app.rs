use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::bundle::{full, volunteer};
use crate::components::shell::{Protected, Shell};
use crate::components::toast::provide_toasts;
use crate::i18n::I18n;
use crate::pages;
use crate::session::{Session, SessionState};

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::load();
    provide_context(i18n);
    provide_toasts();
    let session = Session(RwSignal::new(SessionState::Checking));
    provide_context(session);
    spawn_local(async move {
        // No network (a village without signal) or a server in trouble: the person last signed
        // in here, so the portal and its offline visit list open. "Not signed in" (or any other
        // verdict) from the server ends the kept sign-in.
        let state = match crate::api::me().await {
            Ok(me) => {
                crate::session::remember_me(&me);
                SessionState::SignedIn(me)
            }
            Err(crate::api::ApiError::Network)
            | Err(crate::api::ApiError::Api(shared::ApiErrorBody {
                code:
                    shared::ErrorCode::StoreUnavailable
                    | shared::ErrorCode::Busy
                    | shared::ErrorCode::Internal,
                ..
            })) => match crate::session::cached_me() {
                Some(me) => SessionState::SignedIn(me),
                None => SessionState::SignedOut,
            },
            Err(_) => {
                // The session has ended (401): the visit list kept on the phone goes with it;
                // unsent visits stay for the next sign-in.
                if let Some(me) = crate::session::cached_me() {
                    crate::pages::visits::drafts::forget_list(&me.id);
                }
                crate::session::forget_cached_me();
                SessionState::SignedOut
            }
        };
        session.0.set(state);
    });

    view! {
        <Router>
            <Shell>
                <Routes fallback=not_found>
                    <Route path=path!("/login") view=pages::login::LoginPage/>
                    <Route path=path!("/activate") view=full(pages::activate::ActivatePage)/>
                    <Route path=path!("/register") view=volunteer(pages::register::RegisterPage)/>
                    <Route path=path!("/") view=|| view! { <Protected><pages::home::HomePage/></Protected> }/>
                    <Route path=path!("/users") view=full(|| view! { <Protected><pages::users::UsersPage/></Protected> })/>
                    <Route path=path!("/audit") view=full(|| view! { <Protected><pages::audit::AuditPage/></Protected> })/>
                    <Route path=path!("/account") view=volunteer(|| view! { <Protected><pages::account::AccountPage/></Protected> })/>
                    <Route path=path!("/children") view=full(|| view! { <Protected><pages::children::list::ChildrenPage/></Protected> })/>
                    <Route path=path!("/children/new") view=full(|| view! { <Protected><pages::children::form::ChildFormPage/></Protected> })/>
                    <Route path=path!("/children/review") view=full(|| view! { <Protected><pages::children::review::ReviewPage/></Protected> })/>
                    <Route path=path!("/children/import") view=full(|| view! { <Protected><pages::children::import::ImportPage/></Protected> })/>
                    <Route path=path!("/children/:id") view=full(|| view! { <Protected><pages::children::detail::ChildDetailPage/></Protected> })/>
                    <Route path=path!("/children/:id/edit") view=full(|| view! { <Protected><pages::children::form::ChildFormPage/></Protected> })/>
                    <Route path=path!("/events") view=volunteer(|| view! { <Protected><pages::events::list::EventsPage/></Protected> })/>
                    <Route path=path!("/events/new") view=full(|| view! { <Protected><pages::events::form::EventFormPage/></Protected> })/>
                    <Route path=path!("/events/:id") view=volunteer(|| view! { <Protected><pages::events::detail::EventPage/></Protected> })/>
                    <Route path=path!("/events/:id/edit") view=full(|| view! { <Protected><pages::events::form::EventFormPage/></Protected> })/>
                    <Route path=path!("/events/:id/roster") view=full(|| view! { <Protected><pages::events::roster::RosterPage/></Protected> })/>
                    <Route path=path!("/my/events") view=volunteer(|| view! { <Protected><pages::events::mine::MyEventsPage/></Protected> })/>
                    <Route path=path!("/hours") view=volunteer(|| view! { <Protected><pages::events::mine::HoursReportPage/></Protected> })/>
                    <Route path=path!("/sites") view=full(|| view! { <Protected><pages::events::sites::SitesPage/></Protected> })/>
                    <Route path=path!("/cases") view=full(|| view! { <Protected><pages::cases::list::CasesPage/></Protected> })/>
                    <Route path=path!("/cases/:id") view=full(|| view! { <Protected><pages::cases::case::CasePage/></Protected> })/>
                    <Route path=path!("/pairings") view=full(|| view! { <Protected><pages::pairings::board::PairingBoardPage/></Protected> })/>
                    <Route path=path!("/pairings/:id") view=full(|| view! { <Protected><pages::pairings::board::PairingPage/></Protected> })/>
                    <Route path=path!("/volunteers") view=full(|| view! { <Protected><pages::pairings::volunteers::VolunteersPage/></Protected> })/>
                    <Route path=path!("/my/child") view=volunteer(|| view! { <Protected><pages::pairings::mine::MyChildPage/></Protected> })/>
                    <Route path=path!("/settings") view=full(|| view! { <Protected><pages::settings::SettingsPage/></Protected> })/>
                    <Route path=path!("/visits") view=full(|| view! { <Protected><pages::visits::plan::VisitPlanPage/></Protected> })/>
                    <Route path=path!("/visits/new") view=full(|| view! { <Protected><pages::visits::form::VisitFormPage/></Protected> })/>
                    <Route path=path!("/visits/compliance") view=full(|| view! { <Protected><pages::visits::compliance::CompliancePage/></Protected> })/>
                    <Route path=path!("/visits/:id") view=full(|| view! { <Protected><pages::visits::record::VisitRecordPage/></Protected> })/>
                    <Route path=path!("/referrals") view=full(|| view! { <Protected><pages::referrals::list::ReferralsPage/></Protected> })/>
                    <Route path=path!("/referrals/new") view=full(|| view! { <Protected><pages::referrals::new::NewReferralPage/></Protected> })/>
                    <Route path=path!("/referrals/report") view=full(|| view! { <Protected><pages::referrals::report::ReferralReportPage/></Protected> })/>
                    <Route path=path!("/referrals/:id") view=full(|| view! { <Protected><pages::referrals::detail::ReferralPage/></Protected> })/>
                    <Route path=path!("/statistics") view=full(|| view! { <Protected><pages::statistics::StatisticsPage/></Protected> })/>
                </Routes>
            </Shell>
        </Router>
    }
}

/// An address no screen has. The light bundle cannot tell it from a screen it lacks, so it
/// leaves the answer to the full one.
#[cfg(feature = "full")]
fn not_found() -> impl IntoView {
    view! { <pages::not_found::NotFound/> }
}

#[cfg(not(feature = "full"))]
fn not_found() -> impl IntoView {
    view! { <crate::bundle::LoadBundle which="full"/> }
}
