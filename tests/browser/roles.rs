//! Each role, signed in on the demo data, as a person would meet the portal:
//! - every number on the home page equals the count its list shows (`.panel-count[data-count]`
//!   against the `[data-total]` of the page its `a.panel-link` opens);
//! - every page the role can reach (the navigation, the pages those link to, one record of each
//!   kind) has no serious or critical axe-core violation and does not scroll sideways;
//! - on a 360 px phone the home page and the role's main job fit the width, their main actions
//!   are at least 44 px tall, and the menu reaches every item of the navigation.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::Value;
use tests::ADMIN_PASSWORD;

use crate::driver::{
    assert_accessible, assert_fits_width, assert_no_cut_text, assert_no_sideways_scroll,
    assert_tap_targets, click, portal, sign_in, visit, wait_for, wait_for_text, wait_idle,
    ChromeDriver, MAIN_ACTIONS,
};

struct RoleWalk {
    role: &'static str,
    username: &'static str,
    /// The page of the role's everyday work, checked on a phone.
    main_job: &'static str,
    /// Whether the home page must show at least one counted panel (counsellors and officers
    /// get a plain statement of what is coming until their features exist).
    has_panels: bool,
}

static ROLES: [RoleWalk; 6] = [
    RoleWalk {
        role: "admin",
        username: "admin",
        main_job: "/children",
        has_panels: true,
    },
    RoleWalk {
        role: "director",
        username: "director.demo",
        main_job: "/children",
        has_panels: true,
    },
    RoleWalk {
        role: "teacher",
        username: "teacher.demo",
        main_job: "/cases",
        has_panels: true,
    },
    RoleWalk {
        role: "volunteer",
        username: "volunteer.demo",
        main_job: "/events",
        has_panels: true,
    },
    RoleWalk {
        role: "counsellor",
        username: "counsellor.demo",
        main_job: "/cases",
        has_panels: false,
    },
    RoleWalk {
        role: "officer",
        username: "officer.demo",
        main_job: "/referrals",
        has_panels: true,
    },
];

/// At most this many pages are run through axe per role (they are visited breadth first: the
/// navigation, then what it links to, then one level further); any left over are printed.
const MAX_PAGES: usize = 28;
const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn admin() {
    walk("admin").await;
}

#[tokio::test]
async fn director() {
    walk("director").await;
}

#[tokio::test]
async fn teacher() {
    walk("teacher").await;
}

#[tokio::test]
async fn volunteer() {
    walk("volunteer").await;
}

#[tokio::test]
async fn counsellor() {
    walk("counsellor").await;
}

#[tokio::test]
async fn officer() {
    walk("officer").await;
}

async fn walk(role: &str) {
    let started = Instant::now();
    let spec = ROLES
        .iter()
        .find(|spec| spec.role == role)
        .expect("the role is in the table");
    let app = portal().await;
    let accounts = api::demo::fill(&app.server.state).await.expect("demo data");
    let password = if spec.username == "admin" {
        ADMIN_PASSWORD.to_string()
    } else {
        let account = accounts
            .iter()
            .find(|account| account.username == spec.username)
            .unwrap_or_else(|| panic!("no demo account {}", spec.username));
        assert_eq!(account.role.as_str(), role, "{}'s role", spec.username);
        account.password.clone()
    };
    let driver = ChromeDriver::start().await;

    let desk = driver.browser(1280, 900).await;
    sign_in(&desk, &app.url, spec.username, &password).await;
    wait_for(&desk, &format!("section#home-{role}")).await;
    wait_idle(&desk).await;
    let panels = home_panels(&desk).await;
    assert!(
        !spec.has_panels || !panels.is_empty(),
        "the {role}'s home shows no counted panel (.panel-count[data-count])"
    );
    let nav = nav_links(&desk).await;
    let home_links = page_links(&desk).await;
    assert_accessible(&desk, &format!("the {role}'s home")).await;
    assert_no_sideways_scroll(&desk).await;

    for panel in &panels {
        check_panel(&desk, &app.url, role, panel).await;
    }
    let pages = check_pages(&desk, &app.url, role, &nav, home_links).await;
    desk.close().await.expect("close the desktop browser");

    on_a_phone(&driver, &app.url, spec, &password, &nav).await;
    println!(
        "{role}: {} home panel(s) match their lists; axe found nothing serious or critical on \
         {} page(s); phone checks passed; {:.1} s",
        panels.len(),
        pages + 1,
        started.elapsed().as_secs_f64()
    );
}

struct Panel {
    id: String,
    count: u64,
    href: Option<String>,
}

/// Every `.panel-count[data-count]` on the page with the `a.panel-link` of its own panel (the
/// nearest ancestor holding a link and no other count).
async fn home_panels(browser: &Client) -> Vec<Panel> {
    const SCRIPT: &str = r#"
        return [...document.querySelectorAll('.panel-count[data-count]')].map(count => {
            let node = count.parentElement, link = null;
            while (node && node.querySelectorAll('.panel-count').length === 1) {
                link = node.querySelector('a.panel-link');
                if (link) break;
                node = node.parentElement;
            }
            const panel = count.closest('[id]');
            return {
                id: panel ? panel.id : '',
                count: count.getAttribute('data-count'),
                href: link ? link.getAttribute('href') : null,
            };
        });
    "#;
    let found = browser.execute(SCRIPT, vec![]).await.expect("script runs");
    found
        .as_array()
        .into_iter()
        .flatten()
        .map(|panel| {
            let id = panel["id"].as_str().unwrap_or("").to_string();
            let raw = panel["count"].as_str().unwrap_or("");
            let count = raw
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("panel #{id} has data-count={raw:?}, not a number"));
            Panel {
                id,
                count,
                href: panel["href"].as_str().map(str::to_string),
            }
        })
        .collect()
}

/// Opens the panel's list and waits until its `[data-total]` equals the panel's number (a list
/// with nothing in it may show its empty state instead).
async fn check_panel(browser: &Client, url: &str, role: &str, panel: &Panel) {
    let Some(href) = &panel.href else {
        assert_eq!(
            panel.count, 0,
            "the {role}'s home panel #{} shows {} but has no a.panel-link to its list",
            panel.id, panel.count
        );
        return;
    };
    visit(browser, url, href).await;
    let total = match href.split_once('#') {
        Some((_, fragment)) if !fragment.is_empty() => {
            format!("#{fragment} [data-total], #{fragment}[data-total]")
        }
        _ => "[data-total]".to_string(),
    };
    const SCRIPT: &str = r#"
        const total = document.querySelector(arguments[0]);
        return {
            total: total ? total.getAttribute('data-total') : null,
            empty: document.querySelector('.empty') !== null,
        };
    "#;
    let deadline = Instant::now() + WAIT;
    let seen = loop {
        let state = browser
            .execute(SCRIPT, vec![serde_json::json!(total)])
            .await
            .expect("script runs");
        let shown = state["total"]
            .as_str()
            .and_then(|raw| raw.trim().parse::<u64>().ok());
        if shown == Some(panel.count)
            || (panel.count == 0 && shown.is_none() && state["empty"] == Value::Bool(true))
        {
            return;
        }
        if Instant::now() > deadline {
            break state;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    panic!(
        "the {role}'s home panel #{} says {}, but {href} shows data-total={} (looked for {total})",
        panel.id, panel.count, seen["total"]
    );
}

/// The hrefs of the navigation, in order, once each.
async fn nav_links(browser: &Client) -> Vec<String> {
    let found = browser
        .execute(
            "return [...document.querySelectorAll('#main-nav a')].map(a => a.getAttribute('href'));",
            vec![],
        )
        .await
        .expect("script runs");
    let mut links = Vec::new();
    for href in found.as_array().into_iter().flatten() {
        let href = href.as_str().unwrap_or("").to_string();
        if !href.is_empty() && !links.contains(&href) {
            links.push(href);
        }
    }
    assert!(!links.is_empty(), "no links in #main-nav");
    links
}

/// Links to the portal's own pages: no downloads, API calls, static files or other sites.
async fn page_links(browser: &Client) -> Vec<String> {
    const SCRIPT: &str = r#"
        return [...document.querySelectorAll('a[href]')]
            .filter(a => !a.hasAttribute('download') && a.target !== '_blank')
            .map(a => a.getAttribute('href'))
            .filter(h => h.startsWith('/') && !h.startsWith('//') && !h.startsWith('/api/')
                && !/\.[A-Za-z0-9]+$/.test(h.split(/[?#]/)[0]));
    "#;
    let found = browser.execute(SCRIPT, vec![]).await.expect("script runs");
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|href| href.as_str().map(str::to_string))
        .filter(|href| {
            let path = href.split(['?', '#']).next().unwrap_or("");
            !matches!(path, "/login" | "/activate" | "/register")
        })
        .collect()
}

/// A page's kind: its path with record ids (ULIDs) and numbers as placeholders, so that one
/// child, case or event stands for all of them.
fn page_kind(href: &str) -> String {
    let path = href.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .map(|segment| {
            if segment.len() >= 16 && segment.chars().all(|c| c.is_ascii_alphanumeric()) {
                ":id"
            } else if !segment.is_empty() && segment.chars().all(|c| c.is_ascii_digit()) {
                ":n"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Visits the navigation's pages, then the pages they (and the home page) link to, then one
/// level further — one page of each kind — and runs axe on each. Returns how many were checked.
async fn check_pages(
    browser: &Client,
    url: &str,
    role: &str,
    nav: &[String],
    home_links: Vec<String>,
) -> usize {
    let mut seen: HashSet<String> = HashSet::from([page_kind("/")]);
    let mut queue: VecDeque<(String, u8)> = VecDeque::new();
    for href in nav {
        if seen.insert(page_kind(href)) {
            queue.push_back((href.clone(), 0));
        }
    }
    for href in home_links {
        if seen.insert(page_kind(&href)) {
            queue.push_back((href, 1));
        }
    }
    let mut checked = Vec::new();
    while let Some((href, depth)) = queue.pop_front() {
        if checked.len() >= MAX_PAGES {
            let left: Vec<_> = std::iter::once(href)
                .chain(queue.into_iter().map(|(href, _)| href))
                .collect();
            println!(
                "{role}: stopped after {MAX_PAGES} pages; not checked: {}",
                left.join(", ")
            );
            break;
        }
        visit(browser, url, &href).await;
        assert_accessible(browser, &format!("the {role}'s {href}")).await;
        assert_no_sideways_scroll(browser).await;
        if depth < 2 {
            for link in page_links(browser).await {
                if seen.insert(page_kind(&link)) {
                    queue.push_back((link, depth + 1));
                }
            }
        }
        checked.push(href);
    }
    println!("{role}: axe checked {}", checked.join(", "));
    checked.len()
}

/// At 360 px: the home page, the menu (every navigation item visible and reachable, the same
/// items as on a desk) and the main job, each fitting the width with 44 px tap targets.
async fn on_a_phone(
    driver: &ChromeDriver,
    url: &str,
    spec: &RoleWalk,
    password: &str,
    desk_nav: &[String],
) {
    let role = spec.role;
    let phone = driver.browser(360, 740).await;
    sign_in(&phone, url, spec.username, password).await;
    wait_for(&phone, &format!("section#home-{role}")).await;
    wait_idle(&phone).await;
    assert_fits_width(&phone, 360).await;
    assert_tap_targets(&phone, MAIN_ACTIONS).await;

    click(&phone, "#menu-button").await;
    wait_until(&phone, "the menu opens", |phone| async move {
        phone
            .execute(
                "return document.getElementById('menu-button').getAttribute('aria-expanded');",
                vec![],
            )
            .await
            .ok()
            .and_then(|value| value.as_str().map(|value| value == "true"))
            .unwrap_or(false)
    })
    .await;
    let mut menu = nav_links(&phone).await;
    menu.sort();
    let mut desk = desk_nav.to_vec();
    desk.sort();
    assert_eq!(
        menu, desk,
        "the {role}'s phone menu has other items than the desk navigation"
    );
    assert_menu_reachable(&phone, role).await;
    assert_fits_width(&phone, 360).await;
    assert_tap_targets(&phone, MAIN_ACTIONS).await;

    let main_job = spec.main_job;
    click(&phone, &format!("#main-nav a[href='{main_job}']")).await;
    wait_until(&phone, main_job, |phone| async move {
        phone
            .current_url()
            .await
            .is_ok_and(|current| current.path() == main_job)
    })
    .await;
    wait_idle(&phone).await;
    assert_fits_width(&phone, 360).await;
    assert_tap_targets(&phone, MAIN_ACTIONS).await;
    assert_no_cut_text(&phone).await;

    // The same in English, whose words are longer: nothing wraps out or is cut.
    click(&phone, "#lang-switch").await;
    wait_for_text(&phone, "#lang-switch", "中文").await;
    wait_idle(&phone).await;
    assert_fits_width(&phone, 360).await;
    assert_tap_targets(&phone, MAIN_ACTIONS).await;
    assert_no_cut_text(&phone).await;
    phone.goto(&format!("{url}/")).await.expect("home");
    wait_for(&phone, &format!("section#home-{role}")).await;
    wait_idle(&phone).await;
    assert_fits_width(&phone, 360).await;
    assert_no_cut_text(&phone).await;
    phone.close().await.expect("close the phone browser");
}

/// Every link of the open menu is shown, within the screen's width and not covered by anything
/// once scrolled to.
async fn assert_menu_reachable(browser: &Client, role: &str) {
    const SCRIPT: &str = r#"
        const problems = [];
        for (const a of document.querySelectorAll('#main-nav a')) {
            const name = a.getAttribute('href') + ' "' + a.innerText.trim() + '"';
            a.scrollIntoView({block: 'center', behavior: 'instant'});
            const r = a.getBoundingClientRect();
            const style = getComputedStyle(a);
            if (a.getClientRects().length === 0 || r.width < 1 || r.height < 1
                || style.visibility === 'hidden') {
                problems.push(name + ' is hidden');
                continue;
            }
            if (r.left < -0.5 || r.right > window.innerWidth + 0.5) {
                problems.push(name + ' reaches past the screen (' + Math.round(r.left) + '–'
                    + Math.round(r.right) + ' px)');
            }
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            if (!hit || !(hit === a || a.contains(hit))) {
                problems.push(name + ' is covered by ' + (hit ? hit.outerHTML.slice(0, 80) : 'nothing'));
            }
        }
        return problems;
    "#;
    let problems = browser.execute(SCRIPT, vec![]).await.expect("script runs");
    let problems: Vec<&str> = problems
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        problems.is_empty(),
        "the {role}'s phone menu:\n  {}",
        problems.join("\n  ")
    );
}

async fn wait_until<F, Fut>(browser: &Client, what: &str, check: F)
where
    F: Fn(Client) -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + WAIT;
    while !check(browser.clone()).await {
        assert!(Instant::now() < deadline, "waited {WAIT:?} for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
