use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tests::{Options, TestApp};

/// chromedriver, started for one test and stopped when dropped.
pub struct ChromeDriver {
    process: Child,
    pub url: String,
}

impl ChromeDriver {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port");
        let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
        let process = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!("cannot start {binary} ({error}); scripts/test installs chromium-driver")
            });
        // Owned from here on, so a failed start still kills it (Drop).
        let driver = Self {
            process,
            url: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..100 {
            if reqwest::get(format!("{}/status", driver.url)).await.is_ok() {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("chromedriver did not start on port {port}");
    }

    /// A fresh headless Chromium window of the given size, with its own profile.
    pub async fn browser(&self, width: u32, height: u32) -> Client {
        let profile = tempfile::tempdir().expect("profile dir").keep();
        let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let capabilities = json!({
            "goog:chromeOptions": {
                "binary": binary,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        // Headless windows are at least 500 px wide; a phone is emulated instead.
        let mut capabilities = capabilities;
        if width < 500 {
            capabilities["goog:chromeOptions"]["mobileEmulation"] = json!({
                "deviceMetrics": {"width": width, "height": height, "pixelRatio": 3.0, "touch": true, "mobile": true}
            });
        }
        let capabilities = match capabilities {
            serde_json::Value::Object(map) => map,
            _ => unreachable!(),
        };
        ClientBuilder::rustls()
            .expect("tls config")
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .expect("a browser session")
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

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
