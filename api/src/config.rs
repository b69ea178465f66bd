//! Settings read once at start-up: the request-handling knobs, the data file's encryption key,
//! and (in [`logging`]) the one log setup both entry points use.

pub mod logging;

use std::path::{Path, PathBuf};

use anyhow::Context as _;
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
    /// The one-machine portal's SQLCipher key (the `encryption` build); none: a plain file.
    pub data_key: Option<DataKey>,
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
            data_key: None,
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

/// The environment variable holding the data file's key (64 hex digits).
pub const DB_KEY_VAR: &str = "SHOUWANG_DB_KEY";
/// The environment variable naming a file that holds the key; the file must be readable by its
/// owner only (`chmod 600`).
pub const DB_KEY_FILE_VAR: &str = "SHOUWANG_DB_KEY_FILE";

/// Whether this build can encrypt the data file: the `encryption` cargo feature, which builds
/// the embedded engine on SQLCipher instead of plain SQLite.
pub const ENCRYPTION_BUILT_IN: bool = cfg!(feature = "encryption");

/// The key that encrypts the one-machine portal's data file and its backups: 32 random bytes,
/// written as 64 hex digits (SQLCipher's raw key, so no passphrase stretching is involved).
/// Its `Debug` never shows it, and nothing logs it.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey(String);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

impl DataKey {
    /// 64 hex digits (surrounding white space is ignored), as `shouwang new-key` writes them or
    /// `openssl rand -hex 32` prints them.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let text = text.trim();
        if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            anyhow::bail!(
                "密钥必须是 64 位十六进制数字(32 字节),例如 `shouwang new-key --to FILE` 生成的 / \
                 the key must be 64 hex digits (32 bytes), as `shouwang new-key --to FILE` writes one"
            );
        }
        Ok(Self(text.to_ascii_lowercase()))
    }

    /// A new random key from the operating system's generator.
    pub fn generate() -> Self {
        use rand::RngCore as _;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let key = Self(hex::encode(bytes));
        bytes.fill(0);
        key
    }

    /// The key in a file, which must be readable and writable by its owner only (mode 0600 or
    /// stricter) on Unix: a key others can read protects nothing.
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let metadata = std::fs::metadata(path).with_context(|| {
            format!("没有密钥文件 / cannot read the key file {}", path.display())
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                anyhow::bail!(
                    "密钥文件 {path} 的权限是 {mode:03o},其他用户也能读取;请运行 chmod 600 {path} / \
                     the key file {path} has mode {mode:03o}, so other users can read it; \
                     run chmod 600 {path}",
                    path = path.display()
                );
            }
        }
        #[cfg(not(unix))]
        let _ = &metadata;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the key file {}", path.display()))?;
        Self::parse(&text).with_context(|| format!("the key file {}", path.display()))
    }

    /// Writes this key to a new file readable by its owner only; never overwrites a file.
    pub fn write_new_file(&self, path: &Path) -> anyhow::Result<()> {
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut file = options.open(path).with_context(|| {
            format!(
                "{} 已存在或无法创建 / already exists or cannot be created",
                path.display()
            )
        })?;
        file.write_all(format!("{}\n", self.0).as_bytes())?;
        file.sync_all()?;
        Ok(())
    }

    /// The 64 hex digits, for the engine only.
    #[cfg_attr(not(feature = "encryption"), allow(dead_code))]
    pub(crate) fn hex(&self) -> &str {
        &self.0
    }
}

/// The data file's key as the local binary takes it: from `SHOUWANG_DB_KEY_FILE` (a file with
/// mode 0600) or `SHOUWANG_DB_KEY`, never both. A build without the `encryption` feature refuses
/// a key (it could not use it, and running unencrypted when encryption was asked for would be
/// worse than not starting); a build with it refuses to run without one (so forgetting the key
/// never creates a plain data file where an encrypted one was meant).
pub fn data_key_from_env() -> anyhow::Result<Option<DataKey>> {
    let inline = std::env::var(DB_KEY_VAR)
        .ok()
        .filter(|value| !value.trim().is_empty());
    let file = std::env::var_os(DB_KEY_FILE_VAR).filter(|value| !value.is_empty());
    let key = match (inline, file) {
        (Some(_), Some(_)) => anyhow::bail!(
            "{DB_KEY_VAR} 和 {DB_KEY_FILE_VAR} 只能设置一个 / set {DB_KEY_VAR} or {DB_KEY_FILE_VAR}, not both"
        ),
        (Some(text), None) => Some(DataKey::parse(&text).context(DB_KEY_VAR)?),
        (None, Some(path)) => Some(DataKey::from_file(Path::new(&path))?),
        (None, None) => None,
    };
    match key {
        Some(_) if !ENCRYPTION_BUILT_IN => anyhow::bail!(
            "这个版本没有加密功能,却设置了密钥({DB_KEY_FILE_VAR} 或 {DB_KEY_VAR});请使用加密版本\
             (cargo build --release -p api --no-default-features --features encryption),或去掉密钥 / \
             a key was given ({DB_KEY_FILE_VAR} or {DB_KEY_VAR}) but this shouwang was built without \
             encryption: build it with `cargo build --release -p api --no-default-features --features \
             encryption`, or unset the key to run on a plain data file"
        ),
        None if ENCRYPTION_BUILT_IN => anyhow::bail!(
            "这个版本会加密数据文件,需要密钥:把 {DB_KEY_FILE_VAR} 设为密钥文件(权限 600,\
             可用 `shouwang new-key --to FILE` 生成),或设置 {DB_KEY_VAR} / this shouwang encrypts \
             its data file and needs the key: set {DB_KEY_FILE_VAR} to a key file (mode 600; \
             `shouwang new-key --to FILE` makes one) or {DB_KEY_VAR} to the key's 64 hex digits"
        ),
        key => Ok(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_64_hex_digits_and_never_shown() {
        let key = DataKey::parse(&format!("  {}\n", "aB".repeat(32))).unwrap();
        assert_eq!(key.hex(), "ab".repeat(32));
        assert_eq!(format!("{key:?}"), "DataKey(..)");
        assert!(DataKey::parse(&"ab".repeat(31)).is_err());
        assert!(DataKey::parse(&"zz".repeat(32)).is_err());
        let generated = DataKey::generate();
        assert_eq!(generated.hex().len(), 64);
        assert_ne!(generated, DataKey::generate());
    }

    #[cfg(unix)]
    #[test]
    fn a_key_file_others_can_read_is_refused() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = std::env::temp_dir().join(format!("shouwang-key-{}", ulid::Ulid::new()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("key");
        let key = DataKey::generate();
        key.write_new_file(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(DataKey::from_file(&path).unwrap(), key);
        assert!(key.write_new_file(&path).is_err(), "never overwritten");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = DataKey::from_file(&path).unwrap_err().to_string();
        assert!(refused.contains("chmod 600"), "{refused}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
