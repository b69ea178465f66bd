//! Backups of the one-machine portal's data file: a consistent copy made while the portal keeps
//! serving (SQLite's `VACUUM INTO` on a second connection, which reads one snapshot and never
//! blocks the engine's writes), a daily one into `<data-dir>/backups/`, and putting one back.
//!
//! A backup is written beside its final name and renamed into place, so a file with the final
//! name is always complete. Nothing here logs personal data: only file names, sizes and times.
//!
//! An encrypted data file (the `encryption` build, with a key) gives encrypted backups: the copy
//! is made on a second connection opened with the key, and SQLCipher writes `VACUUM INTO`'s file
//! with the same key. Restoring one copies it and opens it with the key; restoring a plain
//! backup with a key copies its records into a new encrypted file (see `docs/encryption.md`).

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use anyhow::Context as _;
use chrono::{DateTime, NaiveDateTime, Utc};
use tokio::task::JoinHandle;

use crate::config::DataKey;
use crate::store::embedded::{self, EmbeddedEngine, EngineFile};
use crate::store::{Store, StoreError};

/// The data file inside the data directory.
pub const DATA_FILE: &str = "shouwang.db";
/// The daily backups, inside the data directory.
pub const BACKUPS_DIR: &str = "backups";
/// How many daily backups are kept unless `SHOUWANG_BACKUPS_KEEP` says otherwise.
pub const DEFAULT_KEEP: usize = 14;
pub const KEEP_VAR: &str = "SHOUWANG_BACKUPS_KEEP";
/// The time of the last good daily backup (RFC 3339), inside `backups/`.
const LAST_OK_FILE: &str = "LAST_OK";
/// Held shared by a running server and exclusively by a restore, inside the data directory.
const LOCK_FILE: &str = "shouwang.lock";
const DAILY_PREFIX: &str = "shouwang-";
const DAILY_STAMP: &str = "%Y%m%d-%H%M%S";

/// A daily backup that is overdue (or the first one) waits this long after start-up, so it never
/// competes with the start or with someone restarting the portal a few times while setting up.
const FIRST_DELAY: chrono::Duration = chrono::Duration::minutes(10);
const RETRY_AFTER: chrono::Duration = chrono::Duration::hours(1);
/// The wall clock is looked at this often, so a machine that slept still backs up on time.
const CHECK_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

pub fn data_file(data_dir: &Path) -> PathBuf {
    data_dir.join(DATA_FILE)
}

pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(BACKUPS_DIR)
}

/// A consistent copy of `data_dir`'s (plain) data file at `to`, made while the portal may be
/// serving. Everything committed before this call is in the copy. Refuses to overwrite `to`.
/// Returns the copy's size in bytes.
pub async fn backup(data_dir: &Path, to: &Path) -> anyhow::Result<u64> {
    backup_with_key(data_dir, to, None).await
}

/// [`backup`] of a data file encrypted with `key` (when there is one): the copy is encrypted
/// with the same key.
pub async fn backup_with_key(
    data_dir: &Path,
    to: &Path,
    key: Option<&DataKey>,
) -> anyhow::Result<u64> {
    let data_dir = data_dir.to_path_buf();
    let to = to.to_path_buf();
    let key = key.cloned();
    tokio::task::spawn_blocking(move || backup_blocking(&data_dir, &to, key.as_ref()))
        .await
        .context("the backup task stopped")?
}

/// [`backup_with_key`], on the calling thread.
pub fn backup_blocking(data_dir: &Path, to: &Path, key: Option<&DataKey>) -> anyhow::Result<u64> {
    let data = data_file(data_dir);
    if !data.is_file() {
        anyhow::bail!("没有数据文件 / no data file at {}", data.display());
    }
    if to.exists() {
        anyhow::bail!(
            "{} 已存在,不会覆盖 / already exists; choose another file name",
            to.display()
        );
    }
    let file_name = to
        .file_name()
        .with_context(|| format!("{} is not a file name", to.display()))?;
    let parent = to.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut partial_name = file_name.to_os_string();
    partial_name.push(".partial");
    let partial = to.with_file_name(partial_name);
    remove_if_present(&partial)?;

    if let Err(error) = vacuum_into(&data, &partial, key) {
        let _ = fs::remove_file(&partial);
        return Err(error);
    }
    private(&partial);
    let file = File::open(&partial)?;
    file.sync_all()?;
    let bytes = file.metadata()?.len();
    drop(file);
    fs::rename(&partial, to)
        .with_context(|| format!("cannot rename the copy to {}", to.display()))?;
    if let Some(parent) = parent {
        sync_dir(parent);
    }
    Ok(bytes)
}

/// A second connection to the same file: `VACUUM INTO` runs in one read transaction, so the copy
/// is the state at its start, and the engine's connection keeps writing meanwhile (WAL). On an
/// encrypted file the connection is opened with the key, and SQLCipher attaches the new file
/// with the main database's key, so the copy is encrypted too.
fn vacuum_into(data: &Path, to: &Path, key: Option<&DataKey>) -> anyhow::Result<()> {
    let database = embedded::open(EngineFile::on_disk(data, key)).map_err(|error| {
        anyhow::anyhow!("cannot open {}: {}", data.display(), engine_error(error))
    })?;
    database
        .vacuum_into(utf8(to)?)
        .map_err(|error| anyhow::anyhow!("copy failed: {error}"))
}

/// The engine's own words, without the store's "could not be reached" frame.
fn engine_error(error: StoreError) -> String {
    match error {
        StoreError::Unavailable(message) => message,
        other => other.to_string(),
    }
}

/// Why a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("没有备份文件 / no backup file at {0}")]
    NoBackup(PathBuf),
    #[error(
        "门户正在使用这个数据目录,请先停止它 / the portal is running on this data directory; stop it first"
    )]
    InUse,
    #[error(
        "现有数据文件({data})比备份({backup})新;确认要覆盖请加 --force / the data file was changed at {data}, after the backup was made ({backup}); add --force to replace it anyway"
    )]
    DataIsNewer {
        data: DateTime<Utc>,
        backup: DateTime<Utc>,
    },
    #[error("restore failed: {0}")]
    Failed(String),
}

impl From<std::io::Error> for RestoreError {
    fn from(error: std::io::Error) -> Self {
        Self::Failed(error.to_string())
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// Where the data file it replaced was moved (inside `backups/`), when there was one.
    pub replaced: Option<PathBuf>,
}

/// Puts the backup `from` back as `data_dir`'s (plain) data file. Refuses while a portal runs on
/// the directory, and refuses to replace a data file changed after the backup was made unless
/// `force`. The replaced file is kept in `backups/` as `replaced-<time>.db`, never deleted.
pub async fn restore(data_dir: &Path, from: &Path, force: bool) -> Result<Restored, RestoreError> {
    restore_with_key(data_dir, from, force, None).await
}

/// [`restore`] for a portal whose data file is encrypted with `key` (when there is one): an
/// encrypted backup must open with the key; a plain backup (made before encryption was turned
/// on) has its records copied into a new file encrypted with the key.
pub async fn restore_with_key(
    data_dir: &Path,
    from: &Path,
    force: bool,
    key: Option<&DataKey>,
) -> Result<Restored, RestoreError> {
    let data_dir = data_dir.to_path_buf();
    let from = from.to_path_buf();
    let key = key.cloned();
    tokio::task::spawn_blocking(move || restore_blocking(&data_dir, &from, force, key.as_ref()))
        .await
        .map_err(|error| RestoreError::Failed(error.to_string()))?
}

/// [`restore_with_key`], on the calling thread (a blocking one: a plain backup restored with a
/// key runs two engines on the Tokio runtime it finds, or on one of its own).
pub fn restore_blocking(
    data_dir: &Path,
    from: &Path,
    force: bool,
    key: Option<&DataKey>,
) -> Result<Restored, RestoreError> {
    if !from.is_file() {
        return Err(RestoreError::NoBackup(from.to_path_buf()));
    }
    fs::create_dir_all(data_dir)?;
    let Some(_lock) = DirLock::exclusive(data_dir)? else {
        return Err(RestoreError::InUse);
    };
    let data = data_file(data_dir);
    if data.exists() {
        if same_file(&data, from) {
            return Err(RestoreError::Failed(
                "the backup is the data file itself".into(),
            ));
        }
        let changed = last_change(&data)?;
        let made = fs::metadata(from)?.modified()?;
        if changed > made && !force {
            return Err(RestoreError::DataIsNewer {
                data: changed.into(),
                backup: made.into(),
            });
        }
    }

    // Copied into a new file first: the engine checks it is one of its files, brings an older one
    // up to date, and the current data file stays as it was until the copy is complete.
    let staging = data_dir.join(format!("{DATA_FILE}.restoring"));
    for path in with_sidecars(&staging) {
        remove_if_present(&path)?;
    }
    let staged = match key {
        None => copy_into_new_file(from, &staging),
        Some(key) => stage_encrypted(from, &staging, key),
    };
    if let Err(error) = staged {
        for path in with_sidecars(&staging) {
            let _ = fs::remove_file(path);
        }
        return Err(error);
    }
    // The restored file counts as changed when the backup was made, so restoring the same backup
    // again needs no --force, while anything written after it does.
    let made = fs::metadata(from)?.modified()?;
    File::options()
        .write(true)
        .open(&staging)?
        .set_modified(made)?;
    private(&staging);

    let replaced = if data.exists() {
        let aside_dir = backups_dir(data_dir);
        create_private_dir(&aside_dir)?;
        let aside = unused_name(&aside_dir, "replaced-", Utc::now());
        let [data_wal, data_shm] = sidecars(&data);
        fs::rename(&data, &aside)?;
        if data_wal.exists() {
            let [aside_wal, _] = sidecars(&aside);
            fs::rename(&data_wal, aside_wal)?;
        }
        remove_if_present(&data_shm)?;
        Some(aside)
    } else {
        None
    };
    let [staging_wal, staging_shm] = sidecars(&staging);
    fs::rename(&staging, &data)?;
    if staging_wal.exists() {
        let [data_wal, _] = sidecars(&data);
        fs::rename(&staging_wal, data_wal)?;
    }
    remove_if_present(&staging_shm)?;
    sync_dir(data_dir);
    Ok(Restored { replaced })
}

/// The engine's own restore into a new data file at `staging`: it refuses a file that is not one
/// of its own or comes from a newer version, and brings an older one up to date.
fn copy_into_new_file(from: &Path, staging: &Path) -> Result<(), RestoreError> {
    let database = dynoxide::Database::new(utf8(staging).map_err(failed)?)
        .map_err(|error| RestoreError::Failed(error.to_string()))?;
    database
        .restore_from(utf8(from).map_err(failed)?)
        .map_err(|error| RestoreError::Failed(format!("{}: {error}", from.display())))
}

/// Stages an encrypted portal's restore at `staging`. An encrypted backup is copied as it is and
/// opened with the key, which checks the key and brings an older file up to date: the engine's
/// own restore cannot be used, as it reads its source without a key and SQLCipher's backup API
/// refuses to copy between a plain and an encrypted database. A backup the key does not open is
/// tried as a plain one: restored into a plain file beside `staging` as usual, its records are
/// then copied into a new file at `staging` encrypted with the key, and the plain file removed.
fn stage_encrypted(from: &Path, staging: &Path, key: &DataKey) -> Result<(), RestoreError> {
    copy_with_wal(from, staging)?;
    let keyed = match embedded::open(EngineFile::Encrypted(staging, key)) {
        Ok(database) => match database.list_tables(Default::default()) {
            Ok(listed) if !listed.table_names.is_empty() => return Ok(()),
            Ok(_) => "it holds no tables: not a backup of this portal".to_string(),
            Err(error) => error.to_string(),
        },
        Err(error) => engine_error(error),
    };
    for path in with_sidecars(staging) {
        remove_if_present(&path)?;
    }
    let mut plain_name = staging.as_os_str().to_os_string();
    plain_name.push("-plain");
    let plain = PathBuf::from(plain_name);
    for path in with_sidecars(&plain) {
        remove_if_present(&path)?;
    }
    let result = match copy_into_new_file(from, &plain) {
        // Neither encrypted with this key nor a plain backup.
        Err(plain_error) => Err(RestoreError::Failed(format!(
            "{} 无法用这个密钥读取 / cannot be read with this key ({keyed}), nor as a backup \
             made without encryption ({plain_error})",
            from.display()
        ))),
        Ok(()) => encrypt_records(&plain, staging, key).map(|_copied| ()),
    };
    for path in with_sidecars(&plain) {
        let _ = fs::remove_file(path);
    }
    result
}

/// Copies a backup file and its write-ahead log (when it has one with anything in it).
fn copy_with_wal(from: &Path, to: &Path) -> Result<(), RestoreError> {
    fs::copy(from, to)?;
    let [from_wal, _] = sidecars(from);
    if fs::metadata(&from_wal).is_ok_and(|meta| meta.len() > 0) {
        let [to_wal, _] = sidecars(to);
        fs::copy(&from_wal, to_wal)?;
    }
    Ok(())
}

/// Every record of the plain file `plain` copied into a new file `encrypted`, encrypted with
/// `key`: each table is made as a new portal makes it, then filled through the engine. Returns
/// how many records were copied.
fn encrypt_records(plain: &Path, encrypted: &Path, key: &DataKey) -> Result<u64, RestoreError> {
    let copy = copy_records(plain, encrypted, key);
    let copied = match tokio::runtime::Handle::try_current() {
        Ok(runtime) => runtime.block_on(copy),
        Err(_) => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(copy),
    };
    copied.map_err(|error| RestoreError::Failed(format!("encrypting the backup: {error:#}")))
}

async fn copy_records(plain: &Path, encrypted: &Path, key: &DataKey) -> anyhow::Result<u64> {
    use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
    let source = EmbeddedEngine::start(EngineFile::OnDisk(plain)).await?;
    let target = EmbeddedEngine::start(EngineFile::Encrypted(encrypted, key)).await?;
    let (from, to) = (source.client(), target.client());
    let tables = from
        .list_tables()
        .send()
        .await?
        .table_names
        .unwrap_or_default();
    let mut copied = 0u64;
    for table in tables {
        Store::new(to.clone(), &table).ensure_table().await?;
        let mut start = None;
        loop {
            let page = from
                .scan()
                .table_name(&table)
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await?;
            for chunk in page.items().chunks(25) {
                let mut writes = chunk
                    .iter()
                    .map(|item| -> anyhow::Result<WriteRequest> {
                        let put = PutRequest::builder().set_item(Some(item.clone())).build()?;
                        Ok(WriteRequest::builder().put_request(put).build())
                    })
                    .collect::<anyhow::Result<Vec<_>>>()?;
                while !writes.is_empty() {
                    writes = to
                        .batch_write_item()
                        .request_items(&table, writes)
                        .send()
                        .await?
                        .unprocessed_items
                        .and_then(|mut left| left.remove(&table))
                        .unwrap_or_default();
                }
                copied += chunk.len() as u64;
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
    }
    drop((from, to));
    source.stop().await;
    target.stop().await;
    // The engines close their files a moment after their servers stop; the plain file is
    // removed and the encrypted one renamed after this.
    let [wal, _] = sidecars(encrypted);
    for _ in 0..100 {
        if !wal.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Ok(copied)
}

/// When the last good daily backup was made, shared by the backup task and the health handler.
#[derive(Debug, Default)]
pub struct BackupStatus {
    last_ok: Mutex<Option<DateTime<Utc>>>,
}

impl BackupStatus {
    /// What `backups/LAST_OK` says (nothing when it is missing or unreadable).
    pub fn load(data_dir: &Path) -> Self {
        let last_ok = fs::read_to_string(backups_dir(data_dir).join(LAST_OK_FILE))
            .ok()
            .and_then(|text| DateTime::parse_from_rfc3339(text.trim()).ok())
            .map(|at| at.with_timezone(&Utc));
        Self {
            last_ok: Mutex::new(last_ok),
        }
    }

    pub fn last_ok(&self) -> Option<DateTime<Utc>> {
        *self
            .last_ok
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Hours since the last good backup, to two decimals.
    pub fn age_hours(&self, now: DateTime<Utc>) -> Option<f64> {
        self.last_ok().map(|at| {
            let hours = (now - at).num_seconds().max(0) as f64 / 3600.0;
            (hours * 100.0).round() / 100.0
        })
    }

    fn record(&self, data_dir: &Path, at: DateTime<Utc>) -> anyhow::Result<()> {
        *self
            .last_ok
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(at);
        let dir = backups_dir(data_dir);
        let temporary = dir.join(format!("{LAST_OK_FILE}.new"));
        fs::write(&temporary, format!("{}\n", at.to_rfc3339()))?;
        fs::rename(&temporary, dir.join(LAST_OK_FILE))?;
        Ok(())
    }
}

/// `SHOUWANG_BACKUPS_KEEP`: how many daily backups to keep (0 turns them off).
pub fn keep_from_env() -> usize {
    match std::env::var(KEEP_VAR) {
        Err(_) => DEFAULT_KEEP,
        Ok(value) => value.trim().parse().unwrap_or_else(|_| {
            tracing::warn!("{KEEP_VAR} is not a number; keeping {DEFAULT_KEEP} backups");
            DEFAULT_KEEP
        }),
    }
}

/// One daily backup now: `backups/shouwang-YYYYMMDD-HHMMSS.db` (UTC), recorded in `LAST_OK`,
/// then all but the newest `keep` daily backups removed. Returns the new file.
pub async fn make_daily(
    data_dir: &Path,
    keep: usize,
    status: &BackupStatus,
) -> anyhow::Result<PathBuf> {
    make_daily_with_key(data_dir, keep, status, None).await
}

/// [`make_daily`] of a data file encrypted with `key` (when there is one).
pub async fn make_daily_with_key(
    data_dir: &Path,
    keep: usize,
    status: &BackupStatus,
    key: Option<&DataKey>,
) -> anyhow::Result<PathBuf> {
    let dir = backups_dir(data_dir);
    create_private_dir(&dir)?;
    let began = Utc::now();
    let timer = Instant::now();
    let target = unused_name(&dir, DAILY_PREFIX, began);
    let bytes = backup_with_key(data_dir, &target, key).await?;
    status.record(data_dir, began)?;
    let removed = prune(&dir, keep.max(1)).unwrap_or_else(|error| {
        tracing::warn!("removing old backups failed: {error}");
        0
    });
    let file = target.strip_prefix(data_dir).unwrap_or(&target).display();
    let ms = timer.elapsed().as_millis();
    tracing::info!("backup made: {file} ({bytes} bytes in {ms} ms; keeping the newest {keep}, removed {removed})");
    Ok(target)
}

/// Removes all but the newest `keep` daily backups in `dir`; returns how many it removed.
fn prune(dir: &Path, keep: usize) -> std::io::Result<usize> {
    let mut daily: Vec<((NaiveDateTime, u32), String)> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|name| Some((daily_order(&name)?, name)))
        .collect();
    daily.sort();
    let excess = daily.len().saturating_sub(keep);
    for (_, name) in &daily[..excess] {
        for path in with_sidecars(&dir.join(name)) {
            remove_if_present(&path)?;
        }
    }
    Ok(excess)
}

/// The time and sequence of a daily backup's name, `shouwang-YYYYMMDD-HHMMSS.db` or with `-N`
/// added (a second one in the same second); `None` for any other name.
fn daily_order(name: &str) -> Option<(NaiveDateTime, u32)> {
    let stamp = name.strip_prefix(DAILY_PREFIX)?.strip_suffix(".db")?;
    let time = NaiveDateTime::parse_from_str(stamp.get(..15)?, DAILY_STAMP).ok()?;
    let sequence = match stamp.get(15..)? {
        "" => 1,
        extra => {
            let n = extra.strip_prefix('-')?;
            if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            n.parse().ok()?
        }
    };
    Some((time, sequence))
}

/// The daily backup task; stops when dropped.
pub struct DailyBackups {
    task: JoinHandle<()>,
}

impl Drop for DailyBackups {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DailyBackups {
    /// Backs up `data_dir` a day after the last good backup (ten minutes after start-up when
    /// that is overdue or there is none), then every day; a failure is logged and tried again
    /// an hour later. `keep` 0 starts nothing.
    pub fn start(data_dir: PathBuf, keep: usize, status: Arc<BackupStatus>) -> Option<Self> {
        Self::start_with_key(data_dir, keep, status, None)
    }

    /// [`DailyBackups::start`] for a data file encrypted with `key` (when there is one): the
    /// backups are encrypted with the same key.
    pub fn start_with_key(
        data_dir: PathBuf,
        keep: usize,
        status: Arc<BackupStatus>,
        key: Option<DataKey>,
    ) -> Option<Self> {
        if keep == 0 {
            tracing::warn!("daily backups are off ({KEEP_VAR}=0)");
            return None;
        }
        let task = tokio::spawn(async move {
            let mut due = first_due(status.last_ok(), Utc::now());
            loop {
                let now = Utc::now();
                if now < due {
                    let wait = (due - now).to_std().unwrap_or_default().min(CHECK_EVERY);
                    tokio::time::sleep(wait).await;
                    continue;
                }
                due = match make_daily_with_key(&data_dir, keep, &status, key.as_ref()).await {
                    Ok(_) => status.last_ok().unwrap_or(now) + chrono::Duration::days(1),
                    Err(error) => {
                        tracing::error!("daily backup failed, trying again in an hour: {error:#}");
                        Utc::now() + RETRY_AFTER
                    }
                };
            }
        });
        Some(Self { task })
    }
}

fn first_due(last_ok: Option<DateTime<Utc>>, now: DateTime<Utc>) -> DateTime<Utc> {
    let soonest = now + FIRST_DELAY;
    last_ok.map_or(soonest, |at| (at + chrono::Duration::days(1)).max(soonest))
}

/// An advisory lock on `<data-dir>/shouwang.lock`: shared while a server runs, exclusive while a
/// restore runs. Released when dropped (or when the process ends, however it ends).
pub struct DirLock {
    _file: File,
}

impl DirLock {
    /// For a server. `Ok(None)` when a restore holds the directory. A file system without locks
    /// gives a lock that guards nothing rather than an error.
    pub fn shared(data_dir: &Path) -> std::io::Result<Option<Self>> {
        let file = Self::open(data_dir)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(Self { _file: file })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(error)) => {
                tracing::warn!("cannot lock the data directory ({error}); restore cannot tell the portal is running");
                Ok(Some(Self { _file: file }))
            }
        }
    }

    /// For a restore. `Ok(None)` when a server (or another restore) holds the directory.
    fn exclusive(data_dir: &Path) -> std::io::Result<Option<Self>> {
        let file = Self::open(data_dir)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(Self { _file: file })),
            Err(fs::TryLockError::WouldBlock) => Ok(None),
            Err(fs::TryLockError::Error(error)) => {
                tracing::warn!(
                    "cannot lock the data directory ({error}); make sure the portal is stopped"
                );
                Ok(Some(Self { _file: file }))
            }
        }
    }

    fn open(data_dir: &Path) -> std::io::Result<File> {
        File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(data_dir.join(LOCK_FILE))
    }
}

/// The later of the data file's and its write-ahead log's modification times (the log holds
/// recent writes until they are copied into the file; an empty log holds none).
fn last_change(data: &Path) -> std::io::Result<SystemTime> {
    let mut changed = fs::metadata(data)?.modified()?;
    let [wal, _] = sidecars(data);
    if let Ok(meta) = fs::metadata(&wal) {
        if meta.len() > 0 {
            changed = changed.max(meta.modified()?);
        }
    }
    Ok(changed)
}

/// `<dir>/<prefix>YYYYMMDD-HHMMSS.db`, with `-2`, `-3`… added if that exists already.
fn unused_name(dir: &Path, prefix: &str, at: DateTime<Utc>) -> PathBuf {
    let stamp = at.format(DAILY_STAMP);
    let first = dir.join(format!("{prefix}{stamp}.db"));
    if !first.exists() {
        return first;
    }
    (2..)
        .map(|n| dir.join(format!("{prefix}{stamp}-{n}.db")))
        .find(|path| !path.exists())
        .unwrap_or(first)
}

/// SQLite's `-wal` and `-shm` files beside `path`.
fn sidecars(path: &Path) -> [PathBuf; 2] {
    ["-wal", "-shm"].map(|suffix| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    })
}

fn with_sidecars(path: &Path) -> [PathBuf; 3] {
    let [wal, shm] = sidecars(path);
    [path.to_path_buf(), wal, shm]
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match fs::remove_file(path) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

fn utf8(path: &Path) -> anyhow::Result<&str> {
    path.to_str()
        .with_context(|| format!("path is not UTF-8: {}", path.display()))
}

fn failed(error: anyhow::Error) -> RestoreError {
    RestoreError::Failed(error.to_string())
}

/// Backups hold children's personal data: readable by the owner only.
fn private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes a rename in `dir` durable (best effort; not every platform can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_daily(name: &str) -> bool {
        daily_order(name).is_some()
    }

    #[test]
    fn only_daily_names_are_pruned_oldest_first() {
        assert!(is_daily("shouwang-20260102-030405.db"));
        assert!(!is_daily("shouwang-20260102-030405.db.partial"));
        assert!(!is_daily("replaced-20260102-030405.db"));
        assert!(!is_daily("shouwang-latest.db"));
        assert!(!is_daily("shouwang.db"));
        assert!(is_daily("shouwang-20260102-030405-2.db"));
        assert!(!is_daily("shouwang-20260102-030405-x.db"));
        assert!(!is_daily("shouwang-2026010203040守.db"));
        let mut names = [
            "shouwang-20260102-030405-2.db",
            "shouwang-20260102-030405.db",
            "shouwang-20260101-235959.db",
            "shouwang-20260102-030405-10.db",
        ];
        names.sort_by_key(|name| daily_order(name));
        assert_eq!(
            names,
            [
                "shouwang-20260101-235959.db",
                "shouwang-20260102-030405.db",
                "shouwang-20260102-030405-2.db",
                "shouwang-20260102-030405-10.db",
            ]
        );
    }

    #[test]
    fn an_overdue_backup_waits_ten_minutes_and_then_one_a_day() {
        let now = Utc::now();
        assert_eq!(first_due(None, now), now + FIRST_DELAY);
        let yesterday = now - chrono::Duration::hours(30);
        assert_eq!(first_due(Some(yesterday), now), now + FIRST_DELAY);
        let recent = now - chrono::Duration::hours(2);
        assert_eq!(
            first_due(Some(recent), now),
            recent + chrono::Duration::days(1)
        );
    }
}
