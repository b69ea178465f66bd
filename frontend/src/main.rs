//! The Shouwang single-page app (Leptos, client-side rendered, compiled to wasm32).

// The light bundle links only what its routes reach; the rest is compiled and left unused.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]

mod api;
mod app;
mod bundle;
mod components;
mod i18n;
mod pages;
mod session;

fn main() {
    // Panic messages in the browser console: a help when something breaks, and about 10 kB of
    // formatting code that the light bundle leaves out.
    if cfg!(feature = "full") {
        console_error_panic_hook::set_once();
    }
    leptos::mount::mount_to_body(app::App);
}
