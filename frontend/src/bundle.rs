//! The app is built three times (issue 15), each build a whole app with a different set of
//! screens, chosen by `static/boot.js` for the address and the person:
//!
//! - "light" (no features): sign-in and a caring mother's home page — all a phone fetches before
//!   it is usable;
//! - "volunteer" (`--features volunteer`): also her other screens (events, her child, her
//!   events and hours, her account, registering);
//! - "full" (default): every screen, for staff.
//!
//! A signed-in person's role decides the bundle they need next time (`settle`): staff always the
//! full one, volunteers the one their address needs. A screen a bundle lacks asks for the bundle
//! that has it and reloads (`LoadBundle`). Only code reached from a route is linked in, so the
//! smaller bundles carry none of those screens.

#[cfg(not(feature = "full"))]
use leptos::prelude::*;
use shared::Role;

const BUNDLE_KEY: &str = "shouwang.bundle";

fn needs_full(role: Role) -> bool {
    role != Role::Volunteer
}

/// Remembers which bundle `role` needs; outside the full bundle, a staff role reloads into it.
pub fn settle(role: Role) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let wanted = if needs_full(role) {
        "full"
    } else {
        "by-address"
    };
    let kept = window
        .local_storage()
        .ok()
        .flatten()
        .is_some_and(|storage| {
            let _ = storage.set_item(BUNDLE_KEY, wanted);
            storage.get_item(BUNDLE_KEY).ok().flatten().as_deref() == Some(wanted)
        });
    // Only when boot.js will read the choice back: a browser that keeps nothing would otherwise
    // reload into the same small bundle for ever (the screens it lacks still load the full one,
    // one address at a time).
    if needs_full(role) && !cfg!(feature = "full") && kept {
        // Signing in: on to the home page, as the sign-in page would; anywhere else: the same
        // address, now with every screen.
        let location = window.location();
        let path = location.pathname().unwrap_or_default();
        if matches!(path.as_str(), "/login" | "/activate" | "/register") {
            let _ = location.replace("/");
        } else {
            let _ = location.reload();
        }
    }
}

/// A staff screen: itself in the full build; elsewhere a page that loads the full bundle for
/// this address (the screen's code is never called there, so it is not linked in).
#[cfg(feature = "full")]
pub fn full<F, V>(page: F) -> F
where
    F: Fn() -> V,
{
    page
}

#[cfg(not(feature = "full"))]
pub fn full<F, V>(_page: F) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static
where
    F: Fn() -> V,
{
    || view! { <LoadBundle which="full"/> }.into_any()
}

/// A caring mother's screen beyond her home page: itself in the volunteer and full builds; in
/// the light build a page that loads the volunteer bundle for this address.
#[cfg(feature = "volunteer")]
pub fn volunteer<F, V>(page: F) -> F
where
    F: Fn() -> V,
{
    page
}

#[cfg(not(feature = "volunteer"))]
pub fn volunteer<F, V>(_page: F) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static
where
    F: Fn() -> V,
{
    || view! { <LoadBundle which="volunteer"/> }.into_any()
}

/// Loads bundle `which` for the current address: boot.js reads the request and loads it. (The
/// full bundle has every screen and never needs it.)
#[cfg(not(feature = "full"))]
#[component]
pub fn LoadBundle(which: &'static str) -> impl IntoView {
    // The router's address: the browser's may not show the new one yet while this renders.
    let location = leptos_router::hooks::use_location();
    let path = location.pathname.get_untracked();
    let search = location.search.get_untracked();
    if let Some(window) = web_sys::window() {
        if let Ok(Some(storage)) = window.session_storage() {
            let _ = storage.set_item("shouwang.bundle-for", &format!("{which} {path}"));
        }
        let search = search.trim_start_matches('?');
        let target = if search.is_empty() {
            path
        } else {
            format!("{path}?{search}")
        };
        let _ = window.location().assign(&target);
    }
    view! { <crate::components::feedback::Loading/> }
}
