//! The statistics page on the demo data, as an admin and a director meet it:
//! - on a 360 px phone, in Chinese and in English, it has no serious or critical axe-core
//!   violation, does not scroll sideways and cuts no text;
//! - a number's link opens the registry list whose total (`[data-total]`) is that number
//!   (`[data-stat][data-count]`): the children monitored, and one bar each of care level, age
//!   band and guardianship type;
//! - a director's numbers count only their villages, and their monitored number is their
//!   registry's total.

use std::time::{Duration, Instant};

use fantoccini::Client;
use shared::Scope;
use tests::ADMIN_PASSWORD;

use crate::driver::{
    assert_accessible, assert_fits_width, assert_no_cut_text, assert_tap_targets, click, portal,
    sign_in, visit, wait_for, wait_for_text, wait_idle, ChromeDriver,
};

const WAIT: Duration = Duration::from_secs(20);

/// A number on the page: its `data-stat`, `data-count` and link.
#[derive(Debug, Clone)]
struct Stat {
    stat: String,
    count: u64,
    href: String,
}

async fn stats(browser: &Client) -> Vec<Stat> {
    const SCRIPT: &str = r#"
        return [...document.querySelectorAll('[data-stat]')].map(el => ({
            stat: el.getAttribute('data-stat'),
            count: el.getAttribute('data-count'),
            href: el.getAttribute('href'),
        }));
    "#;
    let found = browser.execute(SCRIPT, vec![]).await.expect("script runs");
    found
        .as_array()
        .into_iter()
        .flatten()
        .map(|stat| {
            let name = stat["stat"].as_str().unwrap_or("").to_string();
            let raw = stat["count"].as_str().unwrap_or("");
            let count = raw
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("[data-stat={name}] has data-count={raw:?}"));
            let href = stat["href"]
                .as_str()
                .unwrap_or_else(|| panic!("[data-stat={name}] is not a link"))
                .to_string();
            Stat {
                stat: name,
                count,
                href,
            }
        })
        .collect()
}

fn named<'a>(list: &'a [Stat], stat: &str) -> &'a Stat {
    list.iter()
        .find(|found| found.stat == stat)
        .unwrap_or_else(|| panic!("no [data-stat={stat}] on the page"))
}

/// The first bar of a breakdown that counts someone.
fn first_bar<'a>(list: &'a [Stat], dimension: &str) -> &'a Stat {
    let prefix = format!("{dimension}:");
    list.iter()
        .find(|found| found.stat.starts_with(&prefix) && found.count > 0)
        .unwrap_or_else(|| panic!("no bar of {dimension} counts anyone"))
}

/// Opens /statistics and waits until its numbers are drawn.
async fn open_statistics(browser: &Client, url: &str) {
    visit(browser, url, "/statistics").await;
    wait_for(browser, "a[data-stat='monitored']").await;
    wait_idle(browser).await;
}

/// Taps the number's link on the statistics page and waits until the registry list it opens
/// shows the same total.
async fn follow(browser: &Client, url: &str, who: &str, stat: &Stat) {
    open_statistics(browser, url).await;
    click(browser, &format!("a[data-stat='{}']", stat.stat)).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let path = browser
            .current_url()
            .await
            .map(|current| current.path().to_string())
            .unwrap_or_default();
        if path == "/children" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{who}: {} ({}) did not open the registry but {path}",
            stat.stat,
            stat.href
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_idle(browser).await;
    let deadline = Instant::now() + WAIT;
    loop {
        let shown = browser
            .execute(
                "const t = document.querySelector('[data-total]'); \
                 return t ? t.getAttribute('data-total') : null;",
                vec![],
            )
            .await
            .expect("script runs");
        let total = shown
            .as_str()
            .and_then(|raw| raw.trim().parse::<u64>().ok());
        if total == Some(stat.count) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{who}: the statistics say {} = {}, but {} shows data-total={shown}",
            stat.stat,
            stat.count,
            stat.href
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn on_a_phone_the_admins_numbers_open_the_lists_they_count() {
    let app = portal().await;
    api::demo::fill(&app.server.state).await.expect("demo data");
    let driver = ChromeDriver::start().await;
    let phone = driver.browser(360, 740).await;
    sign_in(&phone, &app.url, "admin", ADMIN_PASSWORD).await;
    wait_for(&phone, "section#home-admin").await;
    wait_idle(&phone).await;

    open_statistics(&phone, &app.url).await;
    wait_for(&phone, "#statistics-as-of").await;
    assert_accessible(&phone, "the admin's /statistics on a phone").await;
    assert_fits_width(&phone, 360).await;
    assert_no_cut_text(&phone).await;
    assert_tap_targets(
        &phone,
        "a.stat-headline, a.bar-chart-link, #statistics-export, select",
    )
    .await;
    let numbers = stats(&phone).await;
    let monitored = named(&numbers, "monitored").clone();
    assert!(monitored.count > 0, "the demo data has children monitored");

    // English words are longer: still nothing wider than the phone, nothing cut.
    click(&phone, "#lang-switch").await;
    wait_for_text(&phone, "#lang-switch", "中文").await;
    wait_for_text(&phone, "#statistics-as-of", "As of").await;
    wait_idle(&phone).await;
    assert_accessible(&phone, "the admin's /statistics on a phone, in English").await;
    assert_fits_width(&phone, 360).await;
    assert_no_cut_text(&phone).await;
    click(&phone, "#lang-switch").await;
    wait_for_text(&phone, "#lang-switch", "English").await;

    let picks = [
        monitored,
        first_bar(&numbers, "care_level").clone(),
        first_bar(&numbers, "age_band").clone(),
        first_bar(&numbers, "guardianship_type").clone(),
    ];
    for stat in &picks {
        follow(&phone, &app.url, "the admin", stat).await;
    }
    // The registry states the filters it was opened with, each removable.
    wait_for(&phone, "#active-filters [data-filter='guardianship_type']").await;
    assert_fits_width(&phone, 360).await;
    assert_accessible(&phone, "the registry opened from a statistics number").await;
    phone.close().await.expect("close the phone browser");
}

#[tokio::test]
async fn a_director_counts_only_their_villages() {
    let app = portal().await;
    let accounts = api::demo::fill(&app.server.state).await.expect("demo data");
    let password = accounts
        .iter()
        .find(|account| account.username == "director.demo")
        .expect("the demo director")
        .password
        .clone();
    let director = app
        .server
        .state
        .store
        .find_user_by_username("director.demo")
        .await
        .expect("the store answers")
        .expect("the demo director exists");
    let villages = match director.scope {
        Scope::Villages { codes } => codes,
        other => panic!("the demo director has no villages: {other:?}"),
    };
    let driver = ChromeDriver::start().await;
    let desk = driver.browser(1280, 900).await;
    sign_in(&desk, &app.url, "director.demo", &password).await;
    wait_for(&desk, "section#home-director").await;
    wait_idle(&desk).await;

    open_statistics(&desk, &app.url).await;
    assert_accessible(&desk, "the director's /statistics").await;
    let numbers = stats(&desk).await;
    let monitored = named(&numbers, "monitored").clone();
    assert!(monitored.count > 0, "the director's villages have children");
    let mut in_villages = 0;
    for bar in numbers
        .iter()
        .filter(|stat| stat.stat.starts_with("village:"))
    {
        let code = &bar.stat["village:".len()..];
        assert!(
            villages.iter().any(|mine| mine == code),
            "the director's statistics count village {code}, not one of theirs ({villages:?})"
        );
        in_villages += bar.count;
    }
    assert_eq!(
        in_villages, monitored.count,
        "the director's village bars add up to the children monitored"
    );
    follow(&desk, &app.url, "the director", &monitored).await;
    desk.close().await.expect("close the desktop browser");
}
