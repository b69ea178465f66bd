//! The local portal: `shouwang` serves the frontend and the API on the embedded engine.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use api::clock::Clock;
use api::config::{DataKey, Settings};
use api::local::{DataLocation, LocalOptions, LocalServer};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "shouwang",
    about = "守望 Shouwang — care coordination for left-behind children"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Create the first admin in a real DynamoDB table (AWS credentials from the environment)
    /// and print their one-time password.
    BootstrapAws {
        #[arg(long, env = "SHOUWANG_TABLE")]
        table: String,
    },
    /// Let a locked-out administrator back in: clears their failed sign-ins, sets a new
    /// one-time password (printed once) and ends their sessions. Works on the data file while
    /// the portal is stopped.
    RecoverAdmin {
        #[arg(long, env = "SHOUWANG_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        #[arg(long, default_value = "admin")]
        username: String,
    },
    /// Write a new random key for encrypting the data file (needs a build with the `encryption`
    /// feature to use): 64 hex digits, in a new file readable by this user only. Point
    /// SHOUWANG_DB_KEY_FILE at it, and keep a copy apart from the data and its backups.
    NewKey {
        /// The new key file (never overwritten).
        #[arg(long)]
        to: PathBuf,
    },
    /// Make a consistent copy of the data file while the portal keeps serving (an encrypted data
    /// file gives an encrypted copy, with the same key).
    Backup {
        #[arg(long, env = "SHOUWANG_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// The new backup file (never overwritten).
        #[arg(long)]
        to: PathBuf,
    },
    /// Put a backup back as the data file. Stop the portal first; the replaced data file is kept
    /// in the data directory's backups/ as replaced-<time>.db. With a key, an encrypted backup
    /// must open with it, and a plain one is copied into a new encrypted data file.
    Restore {
        #[arg(long, env = "SHOUWANG_DATA_DIR", default_value = "./data")]
        data_dir: PathBuf,
        /// The backup file.
        #[arg(long)]
        from: PathBuf,
        /// Replace a data file that was changed after the backup was made.
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Where the data file lives.
    #[arg(long, env = "SHOUWANG_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    #[arg(long, env = "SHOUWANG_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    #[arg(long, env = "SHOUWANG_PORT", default_value_t = 8080)]
    port: u16,
    /// The built frontend (index.html and the wasm bundle).
    #[arg(long, env = "SHOUWANG_FRONTEND_DIR", default_value = "./dist")]
    frontend_dir: PathBuf,
    /// Fill a new data file with fictional demo data and one user per role.
    #[arg(long)]
    demo: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // RUST_LOG or the default (warnings, and the daily backup's line at info), with the cap that
    // keeps request and response bodies (children's records) out of the log whatever RUST_LOG
    // says: see api::config::logging.
    api::config::logging::init(
        api::config::logging::LOCAL_DEFAULT,
        api::config::logging::Output::Terminal,
    );
    let cli = Cli::parse();
    match cli.command {
        Some(Command::BootstrapAws { table }) => bootstrap_aws(&table).await,
        Some(Command::NewKey { to }) => new_key(&to),
        // The data file's key (SHOUWANG_DB_KEY_FILE or SHOUWANG_DB_KEY): required by a build
        // with encryption, refused by one without.
        Some(Command::RecoverAdmin { data_dir, username }) => {
            let key = api::config::data_key_from_env()?;
            recover_admin(&data_dir, &username, key.as_ref()).await
        }
        Some(Command::Backup { data_dir, to }) => {
            let key = api::config::data_key_from_env()?;
            backup(&data_dir, &to, key.as_ref()).await
        }
        Some(Command::Restore {
            data_dir,
            from,
            force,
        }) => {
            let key = api::config::data_key_from_env()?;
            restore(&data_dir, &from, force, key.as_ref()).await
        }
        None => {
            let key = api::config::data_key_from_env()?;
            serve(cli.serve, key).await
        }
    }
}

fn new_key(to: &std::path::Path) -> anyhow::Result<()> {
    DataKey::generate().write_new_file(to)?;
    println!("新密钥已写入 / a new key was written to {}", to.display());
    println!(
        "把 SHOUWANG_DB_KEY_FILE 设为这个文件;另存一份在数据和备份之外的安全地方:没有它,数据和备份都无法读取。"
    );
    println!(
        "Point SHOUWANG_DB_KEY_FILE at it, and keep a copy somewhere safe apart from the data and its backups: without the key neither can be read."
    );
    if !api::config::ENCRYPTION_BUILT_IN {
        println!(
            "注意 Note: this shouwang was built without encryption; the key needs the encryption build."
        );
    }
    Ok(())
}

/// Demo data goes only into a new data file, unless someone at the terminal says yes.
fn demo_allowed(data_file: &std::path::Path) -> bool {
    use std::io::{BufRead, IsTerminal, Write};
    if !data_file.exists() {
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!(
            "数据文件 {} 已存在,不会写入示例数据。请用新的 --data-dir。\nThe data file {} exists; demo data is only added to a new one (use another --data-dir).",
            data_file.display(),
            data_file.display()
        );
        return false;
    }
    print!(
        "数据文件 {} 已存在。要在其中加入示例数据吗?Add demo data to this existing file? [y/N] ",
        data_file.display()
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    matches!(answer.trim(), "y" | "Y" | "yes" | "是")
}

async fn serve(args: ServeArgs, data_key: Option<DataKey>) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let data_file = args.data_dir.join("shouwang.db");
    if args.demo && !demo_allowed(&data_file) {
        std::process::exit(2);
    }
    let options = LocalOptions {
        data: DataLocation::Dir(args.data_dir.clone()),
        bind: SocketAddr::new(args.host, args.port),
        frontend_dir: Some(args.frontend_dir.clone()),
        initial_admin_password: std::env::var("SHOUWANG_INITIAL_ADMIN_PASSWORD").ok(),
        // Only for trying the portal under DynamoDB's failure modes; never set in production.
        faults: api::store::faults::FaultPlan::from_env(),
    };
    let encrypted = data_key.is_some();
    let settings = Settings {
        data_key,
        ..Settings::default()
    };
    let mut server = LocalServer::start(options, settings, Clock::system()).await?;
    println!();
    println!(
        "守望 Shouwang is running at {}  (started in {} ms)",
        server.url,
        started.elapsed().as_millis()
    );
    println!(
        "数据 Data: {}  ({})",
        args.data_dir.join("shouwang.db").display(),
        if encrypted {
            "已加密 encrypted"
        } else {
            "未加密 not encrypted"
        }
    );
    match api::backup::keep_from_env() {
        0 => println!("备份 Backups: 每日备份已关闭 daily backups are off"),
        keep => println!(
            "备份 Backups: {} (每日一次,保留最近 {keep} 份 daily, the newest {keep} kept)",
            api::backup::backups_dir(&args.data_dir).display()
        ),
    }
    match &server.first_admin {
        Some((username, password)) => {
            println!();
            println!("首次启动,已创建管理员账号 First start: an admin account was created.");
            println!("  用户名 username: {username}");
            println!("  密码 password:   {password}");
            println!("  这个密码只显示这一次,请登录后立即修改。 It is shown only this once: sign in and change it.");
        }
        None => {
            println!(
                "请用已有账号登录。 Sign in with an existing account (the first admin is 'admin')."
            );
        }
    }
    if !args.frontend_dir.join("index.html").is_file() {
        println!(
            "注意 Note: no frontend at {}; run scripts/run to build it.",
            args.frontend_dir.display()
        );
    }
    if args.demo {
        let accounts = api::demo::fill(&server.state)
            .await
            .map_err(|error| anyhow::anyhow!("demo data: {error}"))?;
        println!();
        println!("已加入示例数据(均为虚构)。Demo data added (all fictional). Accounts:");
        for account in accounts {
            println!(
                "  {:<16} {:<11} password: {}",
                account.username,
                account.role.as_str(),
                account.password
            );
        }
    }
    println!("按 Ctrl-C 停止。 Press Ctrl-C to stop.");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = server.wait() => {}
    }
    server.stop().await;
    Ok(())
}

async fn bootstrap_aws(table: &str) -> anyhow::Result<()> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let state = api::AppState::new(
        api::store::Store::on_aws(&config, table),
        Settings {
            table_name: table.to_string(),
            session_cache: chrono::Duration::zero(),
            ..Settings::default()
        },
        Clock::system(),
    );
    api::upgrade::bring_data_up_to_date(&state).await?;
    match api::accounts::bootstrap_admin(&state, None).await? {
        Some((username, password)) => {
            println!("Admin created. username: {username}  password: {password}");
            println!("It is shown only this once: sign in and change it.");
        }
        None => println!("This table already has its first admin; nothing changed."),
    }
    Ok(())
}

async fn recover_admin(
    data_dir: &std::path::Path,
    username: &str,
    key: Option<&DataKey>,
) -> anyhow::Result<()> {
    use api::store::embedded::{EmbeddedEngine, EngineFile};
    let data_file = data_dir.join("shouwang.db");
    if !data_file.is_file() {
        anyhow::bail!("没有数据文件 / no data file at {}", data_file.display());
    }
    let settings = Settings::default();
    let engine = EmbeddedEngine::start(EngineFile::on_disk(&data_file, key)).await?;
    let store = engine.store(&settings.table_name).await?;
    let state = api::AppState::new(store, settings, Clock::system());
    match api::accounts::recover_admin(&state, username).await {
        Ok(password) => {
            println!("管理员 {username} 已解锁,新密码 / unlocked, new password: {password}");
            println!("仅显示这一次:登录后请立即修改。Shown only this once: sign in and change it.");
            Ok(())
        }
        Err(api::AppError::NotFound) => {
            anyhow::bail!("没有名为 {username} 的管理员 / no administrator named {username}")
        }
        Err(error) => Err(anyhow::anyhow!("recovery failed: {error}")),
    }
}

async fn backup(
    data_dir: &std::path::Path,
    to: &std::path::Path,
    key: Option<&DataKey>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let bytes = api::backup::backup_with_key(data_dir, to, key).await?;
    println!(
        "已备份到 / backed up to {} ({bytes} bytes, {} ms)",
        to.display(),
        started.elapsed().as_millis()
    );
    Ok(())
}

async fn restore(
    data_dir: &std::path::Path,
    from: &std::path::Path,
    force: bool,
    key: Option<&DataKey>,
) -> anyhow::Result<()> {
    let restored = api::backup::restore_with_key(data_dir, from, force, key).await?;
    println!(
        "已恢复 / restored {} into {}",
        from.display(),
        api::backup::data_file(data_dir).display()
    );
    if let Some(replaced) = restored.replaced {
        println!(
            "原数据文件已移到 / the data file it replaced was moved to {}",
            replaced.display()
        );
    }
    println!(
        "启动门户时会把旧数据更新到当前版本。Starting the portal brings older data up to date."
    );
    Ok(())
}
