use std::path::PathBuf;
use std::time::Duration;

pub use tests::chrome::ChromeDriver;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use tests::{Options, TestApp};

pub fn dist_dir() -> PathBuf {
    let dir = std::env::var("SHOUWANG_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dir.join("index.html").is_file() && dir.join("frontend_bg.wasm").is_file(),
        "no built frontend in {}: run scripts/test (it builds it first)",
        dir.display()
    );
    dir
}

pub async fn portal() -> TestApp {
    TestApp::spawn_with(Options {
        frontend_dir: Some(dist_dir()),
        ..Default::default()
    })
    .await
}

const WAIT: Duration = Duration::from_secs(20);

pub async fn wait_for(browser: &Client, css: &str) -> Element {
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("waiting for {css}: {error}"))
}

/// Waits until the element's text contains `needle` (the page renders asynchronously).
pub async fn wait_for_text(browser: &Client, css: &str, needle: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Ok(element) = browser.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                if text.contains(needle) {
                    return text;
                }
                if std::time::Instant::now() > deadline {
                    panic!("{css} shows {text:?}, not {needle:?}");
                }
            }
        } else if std::time::Instant::now() > deadline {
            panic!("no {css} on the page while waiting for {needle:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn fill(browser: &Client, css: &str, value: &str) {
    let element = wait_for(browser, css).await;
    element.clear().await.expect("clear");
    element.send_keys(value).await.expect("type");
}

/// Scrolls the element to the middle of the screen first, as a person would before tapping it
/// (a sticky button at the bottom may otherwise cover it).
pub async fn click(browser: &Client, css: &str) {
    let element = wait_for(browser, css).await;
    browser
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(&element).expect("element as JSON")],
        )
        .await
        .expect("scroll");
    element.click().await.expect("click");
}

/// The page must not scroll sideways on a phone.
pub async fn assert_fits_width(browser: &Client, width: u32) {
    let widths = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("script runs");
    let scroll_width = widths[0].as_u64().unwrap_or(u64::MAX);
    let viewport = widths[1].as_u64().unwrap_or(0);
    assert_eq!(viewport, u64::from(width), "the window is not phone-sized");
    assert!(
        scroll_width <= viewport,
        "page is {scroll_width} px wide on a {viewport} px screen"
    );
}
