//! Settings, from lowest to highest precedence: defaults, `DATA_DIR/config.toml`, environment
//! (`VIGIL_*`), command-line flags.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;
use vigil_secrets::StoreChoice;

/// The fixed default port of `vigil serve`.
pub const DEFAULT_PORT: u16 = 7878;

#[derive(Clone, Debug)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    pub ui_dir: Option<PathBuf>,
    pub log_level: Option<String>,
    pub credential_store: StoreChoice,
    pub rtmp_public_host: String,
    pub allowed_hosts: Vec<String>,
    pub allowed_origins: Vec<String>,
    pub max_body_bytes: usize,
    pub admin_token: Option<String>,
    pub demo_footage: Option<PathBuf>,
    /// Most cameras streaming at once (`VIGIL_MAX_CONCURRENT`, default 16).
    pub max_concurrent: usize,
    /// Most live-view pipelines at once (`STREAM_MAX_CONCURRENT`).
    pub stream_max_concurrent: usize,
    /// HLS segments kept per camera (`HLS_MAX_SEGMENTS`).
    pub hls_max_segments: usize,
    /// Target recording segment length in seconds (`segment_seconds`, default 60).
    pub segment_seconds: u32,
    /// Where the RTMP push listener binds (`VIGIL_RTMP_LISTEN`, `rtmp_listen`; `off` disables).
    pub rtmp_listen: Option<SocketAddr>,
    /// Seconds between `stream:heartbeat` events (`heartbeat_seconds`, default 10).
    pub heartbeat_seconds: u32,
    /// `retina` (default) or `ffmpeg` (`rtsp_client`, env `VIGIL_RTSP_CLIENT`).
    pub rtsp_client: vigil_engine::RtspClient,
    /// Longest time between fsyncs of a segment being written (`fsync_interval_ms`, default 1000).
    pub fsync_interval_ms: u64,
    /// Object detection (`detection`, env `VIGIL_DETECTION` on/off; default on).
    pub detection: bool,
    /// The model config (`model`, env `VIGIL_MODEL`; default `models/nanodet.toml`).
    pub model: Option<PathBuf>,
    /// The ONNX Runtime library (`onnxruntime_library`; env `ORT_DYLIB_PATH` is read by the
    /// runtime loader itself; default: beside the binary, then the set-up cache).
    pub onnxruntime_library: Option<PathBuf>,
    /// Inference threads (`detect_workers`, env `VIGIL_DETECT_WORKERS`, default 1).
    pub detect_workers: usize,
    /// ONNX Runtime threads per inference thread (`detect_threads`, env `VIGIL_DETECT_THREADS`;
    /// default: the cores, at most 4).
    pub detect_threads: Option<usize>,
    /// Run the model only on motion (`motion_gate`, env `VIGIL_MOTION_GATE` on/off; default on).
    pub motion_gate: bool,
    /// Desktop notifications (`notifications`, env `VIGIL_NOTIFICATIONS` on/off; default on).
    pub notifications: bool,
    /// Least severity notified (`notify_min_severity`, env `VIGIL_NOTIFY_MIN_SEVERITY`).
    pub notify_min_severity: vigil_engine::alerts::Severity,
    /// Per-camera notification cooldown (`notify_cooldown_seconds`, default 60).
    pub notify_cooldown_seconds: u64,
    /// A camera down this long raises `camera_offline` (`offline_alert_seconds`, default 5).
    pub offline_alert_seconds: u64,
    /// Free space below which `storage_full` is raised (`storage_min_free_mb`, default 1024).
    pub storage_min_free_mb: u64,
    /// Days detections, events and snapshots are kept (`detection_retention_days`, default 30;
    /// 0 keeps them).
    pub detection_retention_days: u32,
}

/// `config.toml` in the data dir; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub ui_dir: Option<PathBuf>,
    pub log_level: Option<String>,
    pub credential_store: Option<String>,
    pub rtmp_public_host: Option<String>,
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    pub max_body_bytes: Option<usize>,
    pub max_concurrent: Option<usize>,
    pub stream_max_concurrent: Option<usize>,
    pub hls_max_segments: Option<usize>,
    pub segment_seconds: Option<u32>,
    pub rtmp_listen: Option<String>,
    pub heartbeat_seconds: Option<u32>,
    pub rtsp_client: Option<String>,
    pub fsync_interval_ms: Option<u64>,
    pub detection: Option<bool>,
    pub model: Option<PathBuf>,
    pub onnxruntime_library: Option<PathBuf>,
    pub detect_workers: Option<usize>,
    pub detect_threads: Option<usize>,
    pub motion_gate: Option<bool>,
    pub notifications: Option<bool>,
    pub notify_min_severity: Option<String>,
    pub notify_cooldown_seconds: Option<u64>,
    pub offline_alert_seconds: Option<u64>,
    pub storage_min_free_mb: Option<u64>,
    pub detection_retention_days: Option<u32>,
}

/// The per-user data dir (`~/.local/share/vigil` on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "Vigil", "vigil")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".vigil"))
}

pub fn read_file_config(data_dir: &Path) -> Result<FileConfig> {
    let p = data_dir.join("config.toml");
    match std::fs::read_to_string(&p) {
        Ok(s) => toml::from_str(&s).with_context(|| format!("invalid {}", p.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(FileConfig::default()),
        Err(e) => Err(e).with_context(|| format!("reading {}", p.display())),
    }
}

/// Look for a built UI beside the binary or in the source tree it was built from.
pub fn find_ui_dir() -> Option<PathBuf> {
    let mut candidates = vec![];
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        candidates.push(dir.join("ui"));
        candidates.push(dir.join("../share/vigil/ui"));
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/dist"
    )));
    candidates
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

impl Settings {
    /// Combine the config file of `data_dir` with overrides (env and flags already merged by clap).
    #[allow(clippy::too_many_arguments)]
    pub fn resolve(
        data_dir: PathBuf,
        listen: Option<SocketAddr>,
        ui_dir: Option<PathBuf>,
        log_level: Option<String>,
        credential_store: Option<String>,
        demo_footage: Option<PathBuf>,
    ) -> Result<Settings> {
        let file = read_file_config(&data_dir)?;
        let store = credential_store
            .or(file.credential_store)
            .unwrap_or_else(|| "auto".into())
            .parse::<StoreChoice>()
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(Settings {
            listen: listen
                .or(file.listen)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT))),
            ui_dir: ui_dir.or(file.ui_dir).or_else(find_ui_dir),
            log_level: log_level.or(file.log_level),
            credential_store: store,
            rtmp_public_host: file.rtmp_public_host.unwrap_or_else(|| "127.0.0.1".into()),
            allowed_hosts: file.allowed_hosts,
            allowed_origins: file.allowed_origins,
            max_body_bytes: file.max_body_bytes.unwrap_or(64 * 1024),
            admin_token: std::env::var("VIGIL_TOKEN").ok().filter(|t| !t.is_empty()),
            demo_footage,
            max_concurrent: match std::env::var("VIGIL_MAX_CONCURRENT") {
                Ok(v) => v.parse().context("VIGIL_MAX_CONCURRENT must be a number")?,
                Err(_) => file.max_concurrent.unwrap_or(16),
            },
            stream_max_concurrent: env_number(
                &["VIGIL_STREAM_MAX_CONCURRENT", "STREAM_MAX_CONCURRENT"],
                file.stream_max_concurrent,
                10,
            )?,
            hls_max_segments: env_number(
                &["VIGIL_HLS_MAX_SEGMENTS", "HLS_MAX_SEGMENTS"],
                file.hls_max_segments,
                6,
            )?
            .clamp(2, 100),
            segment_seconds: file.segment_seconds.unwrap_or(60).clamp(2, 3600),
            heartbeat_seconds: file.heartbeat_seconds.unwrap_or(10).clamp(1, 3600),
            fsync_interval_ms: file.fsync_interval_ms.unwrap_or(1_000).clamp(100, 60_000),
            rtsp_client: match std::env::var("VIGIL_RTSP_CLIENT")
                .ok()
                .or(file.rtsp_client)
                .as_deref()
            {
                None | Some("retina") => vigil_engine::RtspClient::Retina,
                Some("ffmpeg") => vigil_engine::RtspClient::Ffmpeg,
                Some(other) => anyhow::bail!("rtsp_client must be retina or ffmpeg, not {other:?}"),
            },
            rtmp_listen: match std::env::var("VIGIL_RTMP_LISTEN").ok().or(file.rtmp_listen) {
                Some(v) if v == "off" => None,
                Some(v) => Some(
                    v.parse()
                        .context("rtmp_listen must be an address like 0.0.0.0:1935, or off")?,
                ),
                // Cameras on the LAN push here; unknown keys are refused.
                None => Some(SocketAddr::from(([0, 0, 0, 0], 1935))),
            },
            detection: env_switch("VIGIL_DETECTION", file.detection, true)?,
            model: std::env::var_os("VIGIL_MODEL")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or(file.model),
            onnxruntime_library: file.onnxruntime_library,
            detect_workers: env_number(&["VIGIL_DETECT_WORKERS"], file.detect_workers, 1)?
                .clamp(1, 16),
            detect_threads: match std::env::var("VIGIL_DETECT_THREADS") {
                Ok(v) => Some(
                    v.trim()
                        .parse::<usize>()
                        .context("VIGIL_DETECT_THREADS must be a number")?
                        .clamp(1, 64),
                ),
                Err(_) => file.detect_threads,
            },
            motion_gate: env_switch("VIGIL_MOTION_GATE", file.motion_gate, true)?,
            notifications: env_switch("VIGIL_NOTIFICATIONS", file.notifications, true)?,
            notify_min_severity: match std::env::var("VIGIL_NOTIFY_MIN_SEVERITY")
                .ok()
                .or(file.notify_min_severity)
            {
                Some(v) => v
                    .parse()
                    .map_err(|e| anyhow::anyhow!("notify_min_severity: {e}"))?,
                None => vigil_engine::alerts::Severity::Warning,
            },
            notify_cooldown_seconds: file.notify_cooldown_seconds.unwrap_or(60).clamp(1, 86_400),
            offline_alert_seconds: file.offline_alert_seconds.unwrap_or(5).clamp(1, 3_600),
            storage_min_free_mb: file.storage_min_free_mb.unwrap_or(1024),
            detection_retention_days: file.detection_retention_days.unwrap_or(30),
            data_dir,
        })
    }
}

/// An on/off environment switch (`on`/`off`, `1`/`0`, `true`/`false`), else the file's, else
/// `default`.
fn env_switch(name: &str, file: Option<bool>, default: bool) -> anyhow::Result<bool> {
    match std::env::var(name) {
        Ok(v) => match v.trim().to_ascii_lowercase().as_str() {
            "on" | "1" | "true" | "yes" => Ok(true),
            "off" | "0" | "false" | "no" => Ok(false),
            _ => anyhow::bail!("{name} must be on or off, not {v:?}"),
        },
        Err(_) => Ok(file.unwrap_or(default)),
    }
}

/// The first of `names` set in the environment (it must be a number), else the config file's
/// value, else `default`.
fn env_number(names: &[&str], file: Option<usize>, default: usize) -> anyhow::Result<usize> {
    for name in names {
        if let Ok(v) = std::env::var(name) {
            return v
                .trim()
                .parse()
                .with_context(|| format!("{name} must be a number, not {v:?}"));
        }
    }
    Ok(file.unwrap_or(default))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_config_is_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            "listen = \"127.0.0.1:9000\"\ncredential_store = \"file\"\nallowed_origins = [\"http://localhost:5173\"]\n",
        )
        .unwrap();
        let s = Settings::resolve(dir.path().into(), None, None, None, None, None).unwrap();
        assert_eq!(s.listen.port(), 9000);
        assert_eq!(s.credential_store, StoreChoice::File);
        assert_eq!(s.allowed_origins, vec!["http://localhost:5173"]);
        // Flags win over the file.
        let s = Settings::resolve(
            dir.path().into(),
            Some("127.0.0.1:0".parse().unwrap()),
            None,
            None,
            None,
            None,
        )
        .unwrap();
        assert_eq!(s.listen.port(), 0);

        // Detection, notification and alert settings.
        std::fs::write(
            dir.path().join("config.toml"),
            "detection = false\nmotion_gate = false\nnotify_min_severity = \"critical\"\n\
             notify_cooldown_seconds = 0\noffline_alert_seconds = 3\nstorage_min_free_mb = 10\n\
             detect_workers = 2\nmodel = \"/opt/models/yolo.toml\"\ndetection_retention_days = 7\n",
        )
        .unwrap();
        let s = Settings::resolve(dir.path().into(), None, None, None, None, None).unwrap();
        assert!(!s.detection && !s.motion_gate);
        assert_eq!(
            s.notify_min_severity,
            vigil_engine::alerts::Severity::Critical
        );
        assert_eq!(s.notify_cooldown_seconds, 1, "clamped");
        assert_eq!((s.offline_alert_seconds, s.storage_min_free_mb), (3, 10));
        assert_eq!(s.detect_workers, 2);
        assert_eq!(s.detection_retention_days, 7);
        assert_eq!(s.model.as_deref(), Some(Path::new("/opt/models/yolo.toml")));
        std::fs::write(
            dir.path().join("config.toml"),
            "notify_min_severity = \"loud\"\n",
        )
        .unwrap();
        let e = Settings::resolve(dir.path().into(), None, None, None, None, None).unwrap_err();
        assert!(format!("{e:#}").contains("notify_min_severity"), "{e:#}");

        std::fs::write(dir.path().join("config.toml"), "lisen = 1\n").unwrap();
        let e = Settings::resolve(dir.path().into(), None, None, None, None, None).unwrap_err();
        assert!(format!("{e:#}").contains("unknown field"), "{e:#}");
    }
}
