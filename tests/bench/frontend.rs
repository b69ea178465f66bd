//! What a phone downloads and waits for (issue 15): the bytes of a first visit per role, and the
//! time to a typeable sign-in form and to a caring mother's home page with its events, plain and
//! on a weak village link (DevTools: 1.6 Mbit/s down, 150 ms latency, CPU 4× slower).

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::{json, Value};
use tests::chrome::{Cdp, ChromeDriver};

/// A file of the build whose name starts with `prefix` and ends with `suffix` (the content
/// hash sits between).
fn hashed(dir: &Path, prefix: &str, suffix: &str) -> Option<String> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with(prefix) && name.ends_with(suffix) && !name.ends_with(".gz"))
}

fn brotli_and_gzip(bytes: &[u8]) -> (usize, usize) {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut encoder, bytes).expect("gzip");
    let gzip = encoder.finish().expect("gzip").len();
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params).expect("brotli");
    (out.len(), gzip)
}

/// The bytes each role's first visit fetches: the page, its boot script, style, the service
/// worker and manifest, then the light bundle (the sign-in form and a caring mother's home
/// page); staff roles then load the full bundle. A caring mother's other screens come in the
/// volunteer bundle the first time she opens one. A return visit fetches only what changed.
pub fn first_load_bytes(dir: &Path) -> Value {
    let shell = ["index.html", "boot.js", "sw.js", "manifest.webmanifest"];
    let mut files: Vec<(String, &str)> = shell.iter().map(|f| (f.to_string(), "shell")).collect();
    for (prefix, suffix, part) in [
        ("style-", ".css", "shell"),
        ("light-", ".js", "light"),
        ("light-", "_bg.wasm", "light"),
        ("volunteer-", ".js", "volunteer"),
        ("volunteer-", "_bg.wasm", "volunteer"),
        ("full-", ".js", "full"),
        ("full-", "_bg.wasm", "full"),
    ] {
        match hashed(dir, prefix, suffix) {
            Some(name) => files.push((name, part)),
            None => {
                return json!({"skipped": format!("{} has no {prefix}…{suffix}: build the frontend first", dir.display())})
            }
        }
    }
    let mut parts = json!({});
    for (name, part) in &files {
        let Ok(bytes) = std::fs::read(dir.join(name)) else {
            return json!({"skipped": format!("{} has no {name}", dir.display())});
        };
        let (brotli, gzip) = brotli_and_gzip(&bytes);
        let entry = &mut parts[*part];
        for (key, value) in [("raw", bytes.len()), ("gzip", gzip), ("brotli", brotli)] {
            entry[key] = json!(entry[key].as_u64().unwrap_or(0) + value as u64);
        }
    }
    let kb = |part: &str, key: &str| parts[part][key].as_u64().unwrap_or(0) as f64 / 1024.0;
    let volunteer = |key: &str| kb("shell", key) + kb("light", key);
    let staff = |key: &str| volunteer(key) + kb("full", key);
    json!({
        "files": files.iter().map(|(name, _)| name).collect::<Vec<_>>(),
        "parts_kb": {
            "shell": {"raw": kb("shell", "raw"), "gzip": kb("shell", "gzip"), "brotli": kb("shell", "brotli")},
            "light": {"raw": kb("light", "raw"), "gzip": kb("light", "gzip"), "brotli": kb("light", "brotli")},
            "volunteer": {"raw": kb("volunteer", "raw"), "gzip": kb("volunteer", "gzip"), "brotli": kb("volunteer", "brotli")},
            "full": {"raw": kb("full", "raw"), "gzip": kb("full", "gzip"), "brotli": kb("full", "brotli")},
        },
        "per_role_brotli_kb": {
            "volunteer": volunteer("brotli"),
            "director": staff("brotli"),
            "teacher": staff("brotli"),
            "admin": staff("brotli"),
        },
        "per_role_gzip_kb": {"volunteer": volunteer("gzip"), "staff": staff("gzip")},
        "volunteer_other_screens_brotli_kb": kb("volunteer", "brotli"),
        "staff_return_visit_brotli_kb": kb("shell", "brotli") + kb("full", "brotli"),
    })
}

/// A weak village link and a slow phone, through chromedriver's DevTools bridge.
async fn throttle(browser: &Client) {
    for (cmd, params) in [
        ("Network.enable", json!({})),
        (
            "Network.emulateNetworkConditions",
            json!({"offline": false, "latency": 150,
                   "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}),
        ),
        ("Emulation.setCPUThrottlingRate", json!({"rate": 4})),
    ] {
        browser
            .issue_cmd(Cdp::new(cmd, params))
            .await
            .expect("chromedriver passes the DevTools command");
    }
}

async fn element(browser: &Client, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} shows"))
}

/// One fresh phone (empty cache): to the typeable sign-in form, then signing in as the caring
/// mother until her home page lists events. Milliseconds.
async fn one_visit(driver: &ChromeDriver, url: &str, password: &str, weak: bool) -> (f64, f64) {
    let browser = driver.browser(360, 740).await;
    if weak {
        throttle(&browser).await;
    }
    let started = Instant::now();
    browser.goto(&format!("{url}/login")).await.expect("page");
    element(&browser, "#username")
        .await
        .send_keys("volunteer.demo")
        .await
        .expect("typeable");
    let form = started.elapsed().as_secs_f64() * 1000.0;
    element(&browser, "#password")
        .await
        .send_keys(password)
        .await
        .expect("typeable");
    let signing_in = Instant::now();
    element(&browser, "#login-submit")
        .await
        .click()
        .await
        .expect("submit");
    element(&browser, "#panel-events .panel-rows li").await;
    let home = signing_in.elapsed().as_secs_f64() * 1000.0;
    let _ = browser.close().await;
    (form, home)
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    samples.get(samples.len() / 2).copied().unwrap_or(0.0)
}

/// Times on a fast link and on a weak one, the median of a few fresh phones each.
pub async fn visit_times(url: &str, volunteer_password: &str) -> Value {
    if std::process::Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_err()
    {
        return json!({"skipped": "chromedriver not installed (scripts/test installs it)"});
    }
    let driver = ChromeDriver::start().await;
    let mut out = json!({});
    for (label, weak, runs) in [("unthrottled", false, 5), ("weak_link_slow_cpu", true, 3)] {
        let (mut forms, mut homes) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (form, home) = one_visit(&driver, url, volunteer_password, weak).await;
            forms.push(form);
            homes.push(home);
        }
        out[label] = json!({"runs": runs, "sign_in_form_ms": median(forms), "volunteer_home_ms": median(homes)});
    }
    out
}
