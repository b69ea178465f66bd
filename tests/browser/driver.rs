use std::path::PathBuf;
use std::time::Duration;

pub use tests::chrome::ChromeDriver;

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::json;
use tests::{Options, TestApp};

pub fn dist_dir() -> PathBuf {
    let dir = std::env::var("SHOUWANG_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"));
    assert!(
        dir.join("index.html").is_file() && dir.join("boot.js").is_file(),
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

/// Signs in through the form (the page may be anywhere; the cookie of an earlier session is
/// replaced). Callers wait for the page they expect next.
pub async fn sign_in(browser: &Client, url: &str, username: &str, password: &str) {
    browser
        .goto(&format!("{url}/login"))
        .await
        .expect("open the sign-in page");
    fill(browser, "#username", username).await;
    fill(browser, "#password", password).await;
    click(browser, "#login-submit").await;
}

/// Waits until the app has mounted (the splash is gone) and nothing on the page is loading
/// (no `.loading` element), for two looks in a row 150 ms apart. At most 20 s.
pub async fn wait_idle(browser: &Client) {
    const SCRIPT: &str = "return document.getElementById('splash') === null \
        && document.querySelector('main') !== null \
        && document.querySelectorAll('.loading').length === 0;";
    let deadline = std::time::Instant::now() + WAIT;
    let mut quiet = 0;
    loop {
        let idle = browser
            .execute(SCRIPT, vec![])
            .await
            .map(|value| value.as_bool() == Some(true))
            .unwrap_or(false);
        quiet = if idle { quiet + 1 } else { 0 };
        if quiet >= 2 {
            return;
        }
        if std::time::Instant::now() > deadline {
            let url = browser
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            panic!("{url} was still loading after {WAIT:?} (splash shown or `.loading` present)");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

/// Opens `path` (e.g. "/children") and waits until it has loaded.
pub async fn visit(browser: &Client, url: &str, path: &str) {
    let target = if path.starts_with("http") {
        path.to_string()
    } else {
        format!("{url}{path}")
    };
    browser
        .goto(&target)
        .await
        .unwrap_or_else(|error| panic!("open {target}: {error}"));
    wait_idle(browser).await;
}

/// axe-core's `axe.min.js`, installed by `scripts/test` (npm ci in tests/axe, pinned by its lock).
fn axe_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        let path = std::env::var("AXE_SCRIPT").map(PathBuf::from).unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("axe/node_modules/axe-core/axe.min.js")
        });
        std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "no axe-core at {} ({error}): run scripts/test (it runs `npm ci --prefix tests/axe`), \
                 or set AXE_SCRIPT to axe.min.js",
                path.display()
            )
        })
    })
}

/// Runs axe-core on the page as it is now (call after `wait_idle`): fails listing every
/// serious or critical violation (rule, impact, help and the first five elements).
pub async fn assert_accessible(browser: &Client, page_name: &str) {
    let loaded = browser
        .execute("return typeof window.axe;", vec![])
        .await
        .expect("script runs");
    if loaded.as_str() != Some("object") {
        let injected = browser
            .execute(
                &format!("{}\n;return typeof window.axe;", axe_source()),
                vec![],
            )
            .await
            .expect("axe-core is injected");
        assert_eq!(injected.as_str(), Some("object"), "axe-core did not load");
    }
    // axe on a long page takes a few seconds on a busy machine; WebDriver's default is 30 s.
    browser
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(90)),
            None,
            None,
        ))
        .await
        .expect("script timeout set");
    const RUN: &str = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']})
            .then(r => done({violations: r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => ({
                        target: n.target.join(' '),
                        html: (n.html || '').slice(0, 160),
                        summary: (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 240)}))}))}))
            .catch(e => done({error: String(e)}));
    "#;
    let answer = browser
        .execute_async(RUN, vec![])
        .await
        .unwrap_or_else(|error| panic!("axe on {page_name}: {error}"));
    if let Some(error) = answer.get("error") {
        panic!("axe failed on {page_name}: {error}");
    }
    let violations = answer["violations"].as_array().cloned().unwrap_or_default();
    if violations.is_empty() {
        return;
    }
    let url = browser
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    let mut report = format!(
        "{} serious or critical accessibility violation(s) on {page_name} ({url}):\n",
        violations.len()
    );
    for violation in &violations {
        report.push_str(&format!(
            "- [{}] {}: {}\n",
            violation["impact"].as_str().unwrap_or(""),
            violation["id"].as_str().unwrap_or(""),
            violation["help"].as_str().unwrap_or("")
        ));
        for node in violation["nodes"].as_array().into_iter().flatten() {
            report.push_str(&format!(
                "    at {}  {}\n      {}\n",
                node["target"].as_str().unwrap_or(""),
                node["html"].as_str().unwrap_or(""),
                node["summary"].as_str().unwrap_or("")
            ));
        }
    }
    panic!("{report}");
}

/// The main actions a thumb must hit: buttons, button-like links, the navigation's links and
/// form controls.
pub const MAIN_ACTIONS: &str = "button, a.button, .mainnav a, #main-nav a, \
    input[type=radio], input[type=checkbox], select, input";

/// Every visible element matching `css` is at least 44 px tall; a radio button or checkbox is
/// measured by its label (the row a person taps). Visually hidden elements (1–2 px, as screen
/// reader text is) and hidden inputs are not tap targets.
pub async fn assert_tap_targets(browser: &Client, css: &str) {
    const SCRIPT: &str = r#"
        const css = arguments[0];
        const describe = el => {
            const id = el.id ? '#' + el.id : '';
            const cls = typeof el.className === 'string' && el.className.trim()
                ? '.' + el.className.trim().split(/\s+/).join('.') : '';
            const text = (el.innerText || el.value || el.getAttribute('aria-label') || '')
                .trim().replace(/\s+/g, ' ').slice(0, 30);
            return el.tagName.toLowerCase() + id + cls + (text ? ' "' + text + '"' : '');
        };
        const shown = el => {
            if (el.getClientRects().length === 0) return false;
            const style = getComputedStyle(el);
            return style.visibility !== 'hidden' && style.display !== 'none';
        };
        const offenders = [];
        for (const el of document.querySelectorAll(css)) {
            if (el.type === 'hidden' || !shown(el)) continue;
            let target = el;
            if (el.type === 'radio' || el.type === 'checkbox' || el.type === 'file') {
                target = el.closest('label')
                    || (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'))
                    || el;
            } else {
                const own = el.getBoundingClientRect();
                if (own.width <= 2 || own.height <= 2) continue;
            }
            if (!shown(target)) continue;
            const height = target.getBoundingClientRect().height;
            if (height + 0.5 < 44) {
                offenders.push(describe(el) + (target === el ? '' : ' (its label)')
                    + ': ' + Math.round(height * 10) / 10 + ' px');
            }
        }
        return offenders;
    "#;
    let offenders = browser
        .execute(SCRIPT, vec![serde_json::json!(css)])
        .await
        .expect("script runs");
    let offenders: Vec<String> = offenders
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| o.as_str().map(str::to_string))
        .collect();
    if !offenders.is_empty() {
        let url = browser
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        panic!(
            "tap targets under 44 px on {url}:\n  {}",
            offenders.join("\n  ")
        );
    }
}

/// The page does not scroll sideways, whatever the window's size.
pub async fn assert_no_sideways_scroll(browser: &Client) {
    let widths = browser
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("script runs");
    let scroll_width = widths[0].as_u64().unwrap_or(u64::MAX);
    let viewport = widths[1].as_u64().unwrap_or(0);
    let url = browser
        .current_url()
        .await
        .map(|u| u.to_string())
        .unwrap_or_default();
    assert!(
        scroll_width <= viewport,
        "{url} is {scroll_width} px wide in a {viewport} px window"
    );
}

/// The element with `id` has the keyboard focus (where a person's next keystroke goes).
pub async fn assert_focused(browser: &Client, id: &str) {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let active = browser
            .execute(
                "return document.activeElement && document.activeElement.id;",
                vec![],
            )
            .await
            .expect("script runs");
        if active.as_str() == Some(id) {
            return;
        }
        if std::time::Instant::now() > deadline {
            panic!("focus is on {active:?}, not #{id}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// No visible text is cut off: every element of the top bar, the navigation, buttons, table
/// headers and headings shows its whole text (no clipped overflow, no ellipsis hiding words).
pub async fn assert_no_cut_text(browser: &Client) {
    const SCRIPT: &str = r#"
        const cut = [];
        for (const el of document.querySelectorAll('header *, nav a, button, .button, h1, h2, h3, th, label, legend')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.height === 0) continue;
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
            const clips = style.overflow !== 'visible' || style.textOverflow === 'ellipsis';
            if (clips && el.scrollWidth > el.clientWidth + 1) {
                cut.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '"');
            }
        }
        return cut;
    "#;
    let cut = browser.execute(SCRIPT, vec![]).await.expect("script runs");
    let cut: Vec<String> = serde_json::from_value(cut).unwrap_or_default();
    assert!(cut.is_empty(), "text cut off: {cut:?}");
}

/// chromedriver's network emulation (the DevTools "offline" switch) for the page.
#[derive(Debug)]
struct NetworkConditions {
    offline: bool,
}

impl WebDriverCompatibleCommand for NetworkConditions {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"network_conditions": {
            "offline": self.offline,
            "latency": 0,
            "download_throughput": 1_000_000,
            "upload_throughput": 1_000_000,
        }});
        (http::Method::POST, Some(body.to_string()))
    }
}

pub async fn set_offline(browser: &Client, offline: bool) {
    browser
        .issue_cmd(NetworkConditions { offline })
        .await
        .expect("chromedriver sets the network conditions");
}

/// Waits until the service worker controls the page (it claims the page after installing).
pub async fn wait_for_service_worker(browser: &Client) {
    for _ in 0..100 {
        let controlled = browser
            .execute(
                "return !!(navigator.serviceWorker && navigator.serviceWorker.controller);",
                vec![],
            )
            .await
            .expect("script runs");
        if controlled.as_bool() == Some(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the service worker never took control of the page");
}
