//! The Shouwang single-page app (Leptos, client-side rendered, compiled to wasm32).

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
