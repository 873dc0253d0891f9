//! Logs to stderr and to daily-rotated files in `DATA_DIR/logs` (seven kept). The level comes from
//! `RUST_LOG`, else the configured level, else `info`. Passwords never reach a log line: URLs are
//! masked where they are formatted (`vigil_base::mask_url`) and passwords are never fields.

use std::path::Path;

use anyhow::{Context, Result};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Install the global subscriber; keep the guard alive until exit so buffered lines are flushed.
pub fn init(data_dir: &Path, level: Option<&str>) -> Result<WorkerGuard> {
    let dir = data_dir.join("logs");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let appender = Builder::new()
        .rotation(Rotation::DAILY)
        .filename_prefix("vigil")
        .filename_suffix("log")
        .max_log_files(7)
        .build(&dir)
        .context("opening the log file")?;
    let (file_writer, guard) = tracing_appender::non_blocking(appender);
    let filter = match std::env::var("RUST_LOG") {
        Ok(v) if !v.is_empty() => EnvFilter::try_new(v).context("invalid RUST_LOG")?,
        _ => EnvFilter::try_new(level.unwrap_or("info")).context("invalid log level")?,
    };
    tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(fmt::layer().with_ansi(false).with_writer(file_writer))
        .try_init()
        .context("installing the log subscriber")?;
    Ok(guard)
}
