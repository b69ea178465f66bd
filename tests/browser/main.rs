//! Browser end-to-end tests: a real headless Chromium, driven through chromedriver, against the
//! real local server serving the built frontend (`scripts/test` builds it into `dist/` and
//! installs the pinned axe-core these tests inject into every page they check).

mod a11y;
mod bundles;
mod driver;
mod offline;
mod portal;
mod referrals;
mod roles;
mod statistics;
