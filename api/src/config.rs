use std::path::PathBuf;

use chrono::Duration;

/// Settings read once at start-up and shared by every request.
#[derive(Debug, Clone)]
pub struct Settings {
    pub table_name: String,
    pub session_ttl: Duration,
    pub invite_ttl: Duration,
    /// Wrong passwords for one username from one source before that source is locked out.
    pub max_failed_logins: u32,
    /// Wrong passwords for one username from anywhere before the account is locked for all.
    pub max_failed_logins_account_wide: u32,
    pub lockout: Duration,
    /// Mark cookies `Secure`: on behind HTTPS (Lambda), off on the loopback server.
    pub secure_cookies: bool,
    /// Largest accepted request body; larger ones get 413.
    pub body_limit_bytes: usize,
    /// How long a process may reuse a session and account status it has read. Disabling or
    /// suspending clears this process's entries at once; other processes (Lambda instances)
    /// notice within this time, so it is zero there.
    pub session_cache: Duration,
    /// A pairing with no logged contact for longer than this shows as overdue.
    pub contact_overdue_days: i64,
    /// On AWS, CloudFront sends this secret to the API with every request; only requests that
    /// carry it may name the viewer's address (`CloudFront-Viewer-Address`) for the audit log.
    pub origin_secret: Option<String>,
}

impl Settings {
    pub fn sign_in_limits(&self) -> crate::store::sign_in::GuardLimits {
        crate::store::sign_in::GuardLimits {
            per_source: self.max_failed_logins,
            per_account: self.max_failed_logins_account_wide,
            lock_seconds: self.lockout.num_seconds(),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            table_name: "shouwang".to_string(),
            session_ttl: Duration::hours(12),
            invite_ttl: Duration::days(7),
            max_failed_logins: 5,
            max_failed_logins_account_wide: 50,
            lockout: Duration::minutes(15),
            secure_cookies: false,
            body_limit_bytes: 64 * 1024,
            session_cache: Duration::seconds(5),
            contact_overdue_days: 30,
            origin_secret: None,
        }
    }
}

/// Where the local binary keeps its data and finds the built frontend.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    pub data_dir: PathBuf,
    pub host: std::net::IpAddr,
    pub port: u16,
    pub frontend_dir: Option<PathBuf>,
    /// The first admin's password on a fresh data file; a random one is made when absent.
    pub initial_admin_password: Option<String>,
}
