//! The pages anyone can open without an account — sign-in, activation, registration, and the
//! page for an address that does not exist — have no serious or critical axe-core violation on
//! a desk, and fit a 360 px phone with 44 px tap targets. (Each role's own pages: `roles.rs`.)

use crate::driver::{
    assert_accessible, assert_fits_width, assert_no_sideways_scroll, assert_tap_targets, portal,
    visit, wait_for, ChromeDriver, MAIN_ACTIONS,
};

/// (path, an element the page shows once rendered)
const PUBLIC_PAGES: [(&str, &str); 4] = [
    ("/login", "#login-form"),
    ("/activate", "#activate-form"),
    ("/register", "#register-form"),
    ("/no-such-page", "main"),
];

#[tokio::test]
async fn the_public_pages_are_accessible_and_fit_a_phone() {
    let app = portal().await;
    let driver = ChromeDriver::start().await;
    let desk = driver.browser(1280, 900).await;
    let phone = driver.browser(360, 740).await;
    for (path, shown) in PUBLIC_PAGES {
        visit(&desk, &app.url, path).await;
        wait_for(&desk, shown).await;
        assert_accessible(&desk, path).await;
        assert_no_sideways_scroll(&desk).await;

        visit(&phone, &app.url, path).await;
        wait_for(&phone, shown).await;
        assert_fits_width(&phone, 360).await;
        assert_tap_targets(&phone, MAIN_ACTIONS).await;
    }
    desk.close().await.expect("close the desktop browser");
    phone.close().await.expect("close the phone browser");
}
