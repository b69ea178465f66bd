//! Screenshots for people to look at (not a test): `scripts/screenshots`.
//!
//! Starts the portal on a fresh in-memory engine with the demo data, as the browser tests do,
//! signs in as each role in headless Chromium and saves the home page and the role's main job at
//! 360 × 740 (a phone, emulated) and 1280 wide (the whole page) as
//! `target/screenshots/<role>-<page>-<width>.png`, printing each path.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use fantoccini::{Client, Locator};
use tests::chrome::ChromeDriver;
use tests::{Options, TestApp, ADMIN_PASSWORD};

/// (role, username, page name, the role's main job)
const ROLES: [(&str, &str, &str, &str); 6] = [
    ("admin", "admin", "children", "/children"),
    ("director", "director.demo", "children", "/children"),
    ("teacher", "teacher.demo", "cases", "/cases"),
    ("volunteer", "volunteer.demo", "events", "/events"),
    ("counsellor", "counsellor.demo", "cases", "/cases"),
    ("officer", "officer.demo", "referrals", "/referrals"),
];
/// More screens: (role, name, path, what to tap first): the phone menu opened, a form sent
/// empty (its error summary), a volunteer's paired child.
const EXTRA: [(&str, &str, &str, Option<&str>); 4] = [
    ("admin", "menu", "/", Some("#menu-button")),
    (
        "director",
        "child-form-errors",
        "/children/new",
        Some("#child-save"),
    ),
    ("volunteer", "my-child", "/my/child", None),
    ("teacher", "events", "/events", None),
];
const PHONE: (u32, u32) = (360, 740);
const DESK: (u32, u32) = (1280, 900);
const WAIT: Duration = Duration::from_secs(20);

#[tokio::main]
async fn main() -> Result<()> {
    let dist = std::env::var("SHOUWANG_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("dist"));
    if !dist.join("index.html").is_file() {
        bail!(
            "no built frontend in {}: run scripts/screenshots (it builds it first)",
            dist.display()
        );
    }
    let out = std::env::var("SHOUWANG_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
        });
    std::fs::create_dir_all(&out).with_context(|| format!("create {}", out.display()))?;

    let app = TestApp::spawn_with(Options {
        frontend_dir: Some(dist),
        faults: None,
        ..Default::default()
    })
    .await;
    let accounts = api::demo::fill(&app.server.state)
        .await
        .map_err(|error| anyhow::anyhow!("demo data: {error:?}"))?;
    let driver = ChromeDriver::start().await;
    let phone = driver.browser(PHONE.0, PHONE.1).await;
    let desk = driver.browser(DESK.0, DESK.1).await;

    for (role, username, page, main_job) in ROLES {
        let password = if username == "admin" {
            ADMIN_PASSWORD.to_string()
        } else {
            accounts
                .iter()
                .find(|account| account.username == username)
                .map(|account| account.password.clone())
                .with_context(|| format!("no demo account {username}"))?
        };
        for (browser, width) in [(&phone, PHONE.0), (&desk, DESK.0)] {
            sign_in(browser, &app.url, username, &password).await?;
            wait_for(browser, &format!("section#home-{role}")).await?;
            let home = out.join(format!("{role}-home-{width}.png"));
            shoot(browser, width, &home).await?;
            browser
                .goto(&format!("{}{main_job}", app.url))
                .await
                .with_context(|| format!("open {main_job}"))?;
            let main = out.join(format!("{role}-{page}-{width}.png"));
            shoot(browser, width, &main).await?;
            for (name, path, tap) in EXTRA
                .iter()
                .filter(|(who, ..)| *who == role)
                .map(|(_, name, path, tap)| (name, path, tap))
            {
                browser
                    .goto(&format!("{}{path}", app.url))
                    .await
                    .with_context(|| format!("open {path}"))?;
                wait_idle(browser).await?;
                if let Some(css) = tap {
                    if width < 500 || !css.contains("menu") {
                        wait_for(browser, css)
                            .await?
                            .click()
                            .await
                            .with_context(|| format!("tap {css}"))?;
                        tokio::time::sleep(Duration::from_millis(400)).await;
                    }
                }
                shoot(
                    browser,
                    width,
                    &out.join(format!("{role}-{name}-{width}.png")),
                )
                .await?;
            }
        }
    }
    phone.close().await.context("close the phone browser")?;
    desk.close().await.context("close the desktop browser")?;
    Ok(())
}

async fn sign_in(browser: &Client, url: &str, username: &str, password: &str) -> Result<()> {
    browser
        .goto(&format!("{url}/login"))
        .await
        .context("open the sign-in page")?;
    for (css, value) in [("#username", username), ("#password", password)] {
        let field = wait_for(browser, css).await?;
        field.clear().await.context("clear")?;
        field.send_keys(value).await.context("type")?;
    }
    wait_for(browser, "#login-submit")
        .await?
        .click()
        .await
        .context("sign in")?;
    Ok(())
}

async fn wait_for(browser: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    browser
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("waiting for {css}"))
}

/// Waits until the app is mounted and nothing is loading, then saves a PNG: on a phone the
/// screen from the top, on a desk the whole page (the window is made as tall as the page).
async fn shoot(browser: &Client, width: u32, path: &Path) -> Result<()> {
    wait_idle(browser).await?;
    browser
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .context("scroll to the top")?;
    let png = if width == DESK.0 {
        let height = browser
            .execute(
                "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);",
                vec![],
            )
            .await
            .context("page height")?
            .as_u64()
            .unwrap_or(u64::from(DESK.1));
        let height = u32::try_from(height.clamp(u64::from(DESK.1), 12_000)).unwrap_or(DESK.1);
        browser
            .set_window_size(DESK.0, height)
            .await
            .context("resize")?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let png = browser.screenshot().await.context("screenshot")?;
        browser
            .set_window_size(DESK.0, DESK.1)
            .await
            .context("resize back")?;
        png
    } else {
        tokio::time::sleep(Duration::from_millis(300)).await;
        browser.screenshot().await.context("screenshot")?
    };
    std::fs::write(path, png).with_context(|| format!("write {}", path.display()))?;
    println!("{}", path.display());
    Ok(())
}

async fn wait_idle(browser: &Client) -> Result<()> {
    const SCRIPT: &str = "return document.getElementById('splash') === null \
        && document.querySelector('main') !== null \
        && document.querySelectorAll('.loading').length === 0;";
    let deadline = Instant::now() + WAIT;
    let mut quiet = 0;
    while quiet < 2 {
        let idle = browser
            .execute(SCRIPT, vec![])
            .await
            .map(|value| value.as_bool() == Some(true))
            .unwrap_or(false);
        quiet = if idle { quiet + 1 } else { 0 };
        if Instant::now() > deadline {
            bail!("the page was still loading after {WAIT:?}");
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    Ok(())
}
