//! The `vigil` command: `serve` runs the engine and API headless; `migrate` brings a database up to
//! date; `openapi` prints the API document (the UI's types are generated from it); `user` manages
//! accounts offline; `backup` and `restore` snapshot the database and put a snapshot back.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use vigil::{Settings, config};

#[derive(Parser)]
#[command(name = "vigil", version, about = "Vigil network video recorder")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the engine and the HTTP/WebSocket API without a window.
    Serve {
        /// Where the database, logs and runtime.json live [default: the per-user data dir].
        #[arg(long, env = "VIGIL_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// Address to listen on; 127.0.0.1:0 picks a free port [default: 127.0.0.1:7878].
        #[arg(long, env = "VIGIL_LISTEN")]
        listen: Option<SocketAddr>,
        /// The built web UI to serve at / [default: found beside the binary or in the source tree].
        #[arg(long, env = "VIGIL_UI_DIR")]
        ui_dir: Option<PathBuf>,
        /// Log level when RUST_LOG is not set (error, warn, info, debug, trace).
        #[arg(long)]
        log_level: Option<String>,
        /// Where camera passwords go: auto (keyring, else encrypted file), keyring, file.
        #[arg(long, env = "VIGIL_CREDENTIAL_STORE")]
        credential_store: Option<String>,
        /// Register a demo camera looping this video file.
        #[arg(long)]
        demo: Option<PathBuf>,
    },
    /// Create or upgrade the database and exit.
    Migrate {
        #[arg(long, env = "VIGIL_DATA_DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Manage user accounts on a data dir while Vigil is not running (while it runs, use the
    /// Users page or /api/v1/users).
    User {
        #[arg(long, env = "VIGIL_DATA_DIR", global = true)]
        data_dir: Option<PathBuf>,
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write a consistent snapshot of the database to FILE (safe while Vigil runs; recordings
    /// go on). Nightly snapshots are also kept in DATA_DIR/backups.
    Backup {
        #[arg(long, env = "VIGIL_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// Where to write it (must not exist).
        file: PathBuf,
    },
    /// Run Vigil as a systemd service (recording without anyone logged in).
    Service {
        #[command(subcommand)]
        action: ServiceAction,
    },
    /// Keep the MQTT broker's password in the credential store (Vigil must be stopped; the
    /// `[mqtt]` settings are in config.toml). Asks for it, or reads one line with --password-stdin.
    MqttPassword {
        #[arg(long, env = "VIGIL_DATA_DIR")]
        data_dir: Option<PathBuf>,
        #[arg(long)]
        password_stdin: bool,
        /// Remove the stored password instead.
        #[arg(long)]
        delete: bool,
    },
    /// Put a snapshot back in place of the database (Vigil must be stopped). The file is checked
    /// first (integrity, schema version); the current database is kept beside it, and recordings
    /// newer than the snapshot are indexed again from their files at the next start.
    Restore {
        #[arg(long, env = "VIGIL_DATA_DIR")]
        data_dir: Option<PathBuf>,
        /// The snapshot (from `vigil backup` or DATA_DIR/backups).
        file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ServiceAction {
    /// Write the unit, enable and start it (system-wide as root: `vigil` user, /var/lib/vigil).
    Install {
        /// A user service (started at login, the per-user data dir) instead of a system one.
        #[arg(long)]
        user: bool,
        /// Write the unit here instead of systemd's directory.
        #[arg(long)]
        unit_dir: Option<PathBuf>,
        /// Only write the unit; do not enable or start it.
        #[arg(long)]
        no_enable: bool,
    },
    /// Stop and disable the service and remove its unit (the data stays).
    Uninstall {
        #[arg(long)]
        user: bool,
        #[arg(long)]
        unit_dir: Option<PathBuf>,
    },
    /// What systemd says about the service.
    Status {
        #[arg(long)]
        user: bool,
    },
    /// Print the unit file.
    Unit {
        #[arg(long)]
        user: bool,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// List users.
    List,
    /// Add a user; asks for the password (or reads one line with --password-stdin).
    Add {
        username: String,
        /// admin, operator or viewer.
        #[arg(long, default_value = "viewer")]
        role: String,
        /// Camera ids the user may see, comma-separated [default: every camera].
        #[arg(long, value_delimiter = ',')]
        cameras: Option<Vec<i64>>,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password (their sessions end).
    Passwd {
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a user (their sessions end; they cannot sign in).
    Disable { username: String },
    /// Enable a disabled user.
    Enable { username: String },
}

mod users;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vigil: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Openapi => {
            println!("{}", vigil_api::openapi_json());
            Ok(())
        }
        Command::Migrate { data_dir } => {
            let dir = data_dir.unwrap_or_else(config::default_data_dir);
            std::fs::create_dir_all(&dir)?;
            let db = vigil_db::Database::open(&dir.join("vigil.db"))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            db.close().map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "database in {} is at schema version {}",
                dir.display(),
                vigil_db::migrate::LATEST_VERSION
            );
            Ok(())
        }
        Command::MqttPassword {
            data_dir,
            password_stdin,
            delete,
        } => {
            let dir = data_dir.unwrap_or_else(config::default_data_dir);
            create_private_dir(&dir)?;
            let settings = Settings::load(dir.clone(), vigil::Overrides::default())?;
            let password = if delete {
                None
            } else {
                Some(users::read_password(password_stdin, true)?)
            };
            vigil_engine::set_mqtt_password_offline(
                &dir,
                settings.engine.credential_store,
                password.as_deref(),
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{}",
                if delete {
                    "MQTT password removed"
                } else {
                    "MQTT password kept in the credential store"
                }
            );
            Ok(())
        }
        Command::Service { action } => match action {
            ServiceAction::Install {
                user,
                unit_dir,
                no_enable,
            } => {
                let path = vigil::service::install(user, unit_dir, !no_enable)?;
                println!(
                    "wrote {}{}",
                    path.display(),
                    if no_enable {
                        ""
                    } else {
                        "; the service is enabled and started"
                    }
                );
                Ok(())
            }
            ServiceAction::Uninstall { user, unit_dir } => {
                let path = vigil::service::uninstall(user, unit_dir)?;
                println!("removed {}", path.display());
                Ok(())
            }
            ServiceAction::Status { user } => vigil::service::status(user),
            ServiceAction::Unit { user } => {
                let exe = std::env::current_exe()?;
                print!("{}", vigil::service::unit(&exe, user));
                Ok(())
            }
        },
        Command::Backup { data_dir, file } => {
            let dir = data_dir.unwrap_or_else(config::default_data_dir);
            let started = std::time::Instant::now();
            let info =
                vigil_engine::backup::backup_to(&dir, &file).map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "backed up {} cameras and {} recordings to {} ({} bytes, {:.1} s)",
                info.cameras,
                info.recordings,
                file.display(),
                info.bytes,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Restore { data_dir, file } => {
            let dir = data_dir.unwrap_or_else(config::default_data_dir);
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as i64)
                .unwrap_or(0);
            let (info, kept) = vigil_engine::backup::restore_offline(&dir, &file, now)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "restored {} ({} cameras, {} recordings; schema {}){}; recordings made since are indexed from their files at the next start",
                file.display(),
                info.cameras,
                info.recordings,
                info.schema_version,
                kept.map(|k| format!("; the database before is kept as {}", k.display()))
                    .unwrap_or_default()
            );
            Ok(())
        }
        Command::User { data_dir, action } => {
            let dir = data_dir.unwrap_or_else(config::default_data_dir);
            create_private_dir(&dir)?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            rt.block_on(users::run(&dir, action))
        }
        Command::Serve {
            data_dir,
            listen,
            ui_dir,
            log_level,
            credential_store,
            demo,
        } => {
            let dir = data_dir.unwrap_or_else(config::default_data_dir);
            create_private_dir(&dir)?;
            let settings = Settings::load(
                dir,
                vigil::Overrides {
                    listen,
                    ui_dir,
                    log_level,
                    credential_store,
                    demo_footage: demo,
                },
            )?;
            let _log = vigil::logging::init(settings.data_dir(), settings.log_level.as_deref())?;
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .thread_name("vigil")
                .build()?;
            rt.block_on(serve(settings))
        }
    }
}

async fn serve(settings: Settings) -> Result<()> {
    let mut running = vigil::start(&settings, true).await?;
    // Under systemd (`Type=notify`): ready now, and a watchdog ping while the engine is alive.
    let notifier = vigil::sd_notify::Notifier::from_env();
    if let Some(n) = &notifier {
        n.notify(&format!("READY=1\nSTATUS=serving {}", running.url));
    }
    let watchdog = notifier.clone().zip(vigil::sd_notify::watchdog_interval());
    println!(
        "Vigil is running at {} (data dir {}; a token for this computer in runtime.json)",
        running.url,
        settings.data_dir().display()
    );
    // First run: nobody has an account yet. The link makes the first admin, once.
    match running.engine.users().setup_code().await {
        Ok(Some(code)) => {
            // Whoever started us may have stopped reading after the first line: a closed stdout
            // must not take the server down (println! would panic).
            use std::io::Write;
            let _ = writeln!(
                std::io::stdout(),
                "No user accounts yet: open {}/#/setup?code={code} to create the admin account (the link works once)",
                running.url
            );
        }
        Ok(None) => {}
        Err(e) => eprintln!("vigil: cannot tell whether accounts exist: {e}"),
    }
    let mut tick = tokio::time::interval(
        watchdog
            .as_ref()
            .map_or(std::time::Duration::from_secs(3600), |w| w.1),
    );
    loop {
        tokio::select! {
            r = running.wait() => {
                r?;
                anyhow::bail!("server stopped unexpectedly");
            }
            _ = vigil::termination_signal() => break,
            _ = tick.tick(), if watchdog.is_some() => {
                // No ping while something is hung: systemd then restarts the service.
                if running.alive().await {
                    if let Some((n, _)) = &watchdog {
                        n.notify("WATCHDOG=1");
                    }
                } else {
                    tracing::error!("the engine is not answering: no watchdog ping");
                }
            }
        }
    }
    if let Some(n) = &notifier {
        n.notify("STOPPING=1");
    }
    running.stop().await
}

/// The data dir, private to this user; with `VIGIL_SHARE_GROUP=1` (the system service's unit)
/// also readable by its group, so desktop users in that group can attach to the service.
fn create_private_dir(dir: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let allowed = if vigil::share_group() { 0o750 } else { 0o700 };
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode & !allowed != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & allowed))?;
        }
    }
    Ok(())
}
