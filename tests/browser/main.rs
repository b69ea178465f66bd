//! Browser end-to-end tests: a real headless Chromium, driven through chromedriver, against the
//! real local server serving the built frontend (`scripts/test` builds it into `dist/`).

mod driver;
mod portal;
