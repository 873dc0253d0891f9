//! The engine's settings, as `config.toml` spells them: one serde struct that the `vigil` command
//! and the desktop shell read (file, then environment, then flags — see `vigil::config`) and the
//! engine takes as is. What each part of the engine needs is derived from it here, in one place.

use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use vigil_notify::{NotifyConfig, Severity};
use vigil_pipeline::PipelineConfig;
use vigil_secrets::StoreChoice;

use crate::alerts::HealthConfig;
use crate::live::LiveSettings;
use crate::runtime::{RtspClient, StreamSettings};

/// Everything the engine can be told. Every key is optional in `config.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct EngineConfig {
    /// Where the database, recordings, snapshots and logs live (a flag, not a file key).
    #[serde(skip)]
    pub data_dir: PathBuf,
    /// `auto` (keyring, else the encrypted file), `keyring` or `file`.
    #[serde(deserialize_with = "store_choice")]
    pub credential_store: StoreChoice,
    /// The admin token to use instead of the stored one (env `VIGIL_TOKEN` only).
    #[serde(skip)]
    pub admin_token: Option<String>,
    /// Start enabled cameras when the engine starts (tests turn it off).
    #[serde(skip)]
    pub autostart: bool,

    /// Host name or address cameras use to reach this machine's RTMP listener.
    pub rtmp_public_host: String,
    /// The RTMP listener's port, shown in publish URLs until the listener says where it bound.
    #[serde(skip)]
    pub rtmp_port: u16,
    /// Most cameras streaming at once (`VIGIL_MAX_CONCURRENT`).
    pub max_concurrent: usize,
    /// `retina` or `ffmpeg` (`VIGIL_RTSP_CLIENT`).
    pub rtsp_client: RtspClient,
    /// Target recording segment length (2–3600 s).
    pub segment_seconds: u32,
    /// Longest time between fsyncs of a segment being written: what a power cut can cost.
    pub fsync_interval_ms: u64,
    /// A camera sending more than this (Mbit/s, over 5 s) has the excess dropped, counted and
    /// alerted, so a runaway or hostile source cannot fill a disk (1–1000; default 64, well above
    /// any real camera's main stream).
    pub max_camera_bitrate_mbps: u32,
    /// Seconds between `stream:heartbeat` events.
    pub heartbeat_seconds: u32,

    /// Most live decodes at once (`STREAM_MAX_CONCURRENT`).
    pub stream_max_concurrent: usize,
    /// HLS segments kept per camera (`HLS_MAX_SEGMENTS`).
    pub hls_max_segments: usize,

    /// Object detection (`VIGIL_DETECTION` on/off).
    pub detection: bool,
    /// The model config (`VIGIL_MODEL`; default `models/nanodet.toml`).
    pub model: Option<PathBuf>,
    /// The ONNX Runtime library (`ORT_DYLIB_PATH` is read by the loader itself).
    pub onnxruntime_library: Option<PathBuf>,
    /// Inference threads (`VIGIL_DETECT_WORKERS`).
    pub detect_workers: usize,
    /// ONNX Runtime threads per inference thread (`VIGIL_DETECT_THREADS`; default: the cores,
    /// at most 4).
    pub detect_threads: Option<usize>,
    /// Run the model only on motion (`VIGIL_MOTION_GATE` on/off).
    pub motion_gate: bool,
    /// Days detections, events and snapshots are kept (0 keeps them).
    pub detection_retention_days: u32,
    /// Days alerts are kept (0 keeps them).
    pub alert_retention_days: u32,
    /// Days the audit log is kept (0 keeps it).
    pub audit_retention_days: u32,
    /// Nightly database snapshots kept in `DATA_DIR/backups` (0: none taken).
    pub backup_keep: u32,
    /// `[mqtt]`: Home Assistant and other MQTT consumers (none: off).
    pub mqtt: Option<crate::mqtt::MqttConfig>,
    /// More failed sign-ins than this in a minute raise `auth_failures` (0: never).
    pub auth_failure_alert_per_minute: u32,
    /// Hours an export file is kept after its last download (a week of them if never
    /// downloaded); 0 keeps them.
    pub export_retention_hours: u32,

    /// Desktop notifications (`VIGIL_NOTIFICATIONS` on/off).
    pub notifications: bool,
    /// Least severity notified (`VIGIL_NOTIFY_MIN_SEVERITY`).
    #[serde(deserialize_with = "severity")]
    pub notify_min_severity: Severity,
    /// Per-camera notification cooldown.
    pub notify_cooldown_seconds: u64,
    /// A camera down this long raises `camera_offline`.
    pub offline_alert_seconds: u64,
    /// Free space below which `storage_full` is raised.
    pub storage_min_free_mb: u64,
    /// A camera quiet this long ends its incident; a detection after it opens a new one
    /// (5–3600, default 60).
    pub incident_quiet_seconds: u64,
    /// Activity that never goes quiet is cut into incidents of at most this long (1–1440,
    /// default 10), so the desk hears of it again and each incident's clip stays reviewable.
    pub incident_max_minutes: u64,
    /// What makes an incident more than a warning (`[[alert_rules]]` with `label`, `zone`,
    /// `severity`); default: a person in a zone named "restricted" is critical.
    pub alert_rules: Vec<crate::alerts::SeverityRule>,
    /// Tiers, retention, free-space reserve (`[storage]`; see docs/storage.md).
    pub storage: vigil_storage::StorageConfig,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            data_dir: PathBuf::new(),
            credential_store: StoreChoice::Auto,
            admin_token: None,
            autostart: true,
            rtmp_public_host: "127.0.0.1".into(),
            rtmp_port: 1935,
            max_concurrent: 16,
            rtsp_client: RtspClient::Retina,
            segment_seconds: 60,
            fsync_interval_ms: 1_000,
            max_camera_bitrate_mbps: 64,
            heartbeat_seconds: 10,
            stream_max_concurrent: 10,
            hls_max_segments: 6,
            detection: true,
            model: None,
            onnxruntime_library: None,
            detect_workers: 1,
            detect_threads: None,
            motion_gate: true,
            detection_retention_days: 30,
            alert_retention_days: 90,
            audit_retention_days: 90,
            backup_keep: 7,
            mqtt: None,
            auth_failure_alert_per_minute: 10,
            export_retention_hours: 24,
            notifications: true,
            notify_min_severity: Severity::Warning,
            notify_cooldown_seconds: 60,
            offline_alert_seconds: 5,
            storage_min_free_mb: 1024,
            incident_quiet_seconds: 60,
            incident_max_minutes: 10,
            alert_rules: crate::alerts::SeverityRule::defaults(),
            storage: vigil_storage::StorageConfig::default(),
        }
    }
}

fn store_choice<'de, D: serde::Deserializer<'de>>(d: D) -> Result<StoreChoice, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

fn severity<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
    let s = String::deserialize(d)?;
    s.parse().map_err(serde::de::Error::custom)
}

impl EngineConfig {
    /// The defaults, with data in `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        EngineConfig {
            data_dir: data_dir.into(),
            ..Default::default()
        }
    }

    /// Bring every number into its allowed range (a config file may say anything).
    pub fn clamp(&mut self) {
        self.hls_max_segments = self.hls_max_segments.clamp(2, 100);
        self.segment_seconds = self.segment_seconds.clamp(2, 3600);
        self.heartbeat_seconds = self.heartbeat_seconds.clamp(1, 3600);
        self.fsync_interval_ms = self.fsync_interval_ms.clamp(100, 60_000);
        self.max_camera_bitrate_mbps = self.max_camera_bitrate_mbps.clamp(1, 1_000);
        self.detect_workers = self.detect_workers.clamp(1, 16);
        self.detect_threads = self.detect_threads.map(|t| t.clamp(1, 64));
        self.notify_cooldown_seconds = self.notify_cooldown_seconds.clamp(1, 86_400);
        self.offline_alert_seconds = self.offline_alert_seconds.clamp(1, 3_600);
        self.incident_quiet_seconds = self.incident_quiet_seconds.clamp(5, 3_600);
        self.incident_max_minutes = self.incident_max_minutes.clamp(1, 1_440);
    }

    pub(crate) fn streams(&self) -> StreamSettings {
        StreamSettings {
            rtsp_client: self.rtsp_client,
            max_concurrent: self.max_concurrent,
            segment_ms: i64::from(self.segment_seconds) * 1000,
            sync_interval_ms: self.fsync_interval_ms,
            max_bitrate_bps: u64::from(self.max_camera_bitrate_mbps) * 1_000_000,
            autostart: self.autostart,
            ..StreamSettings::default()
        }
    }

    pub(crate) fn live(&self) -> LiveSettings {
        LiveSettings {
            max_concurrent: self.stream_max_concurrent,
            hls_max_segments: self.hls_max_segments,
        }
    }

    pub(crate) fn pipeline(&self) -> PipelineConfig {
        let mut p = PipelineConfig {
            enabled: self.detection,
            model: self.model.clone(),
            workers: self.detect_workers,
            motion_gate: self.motion_gate,
            ..PipelineConfig::default()
        };
        p.runtime.library_path = self.onnxruntime_library.clone();
        if let Some(t) = self.detect_threads {
            p.threads_per_worker = t;
        }
        p
    }

    pub(crate) fn notify(&self) -> NotifyConfig {
        NotifyConfig {
            enabled: self.notifications,
            min_severity: self.notify_min_severity,
            cooldown: Duration::from_secs(self.notify_cooldown_seconds),
            ..NotifyConfig::default()
        }
    }

    pub(crate) fn health(&self) -> HealthConfig {
        HealthConfig {
            offline_alert_after_ms: self.offline_alert_seconds as i64 * 1000,
            storage_min_free_bytes: self.storage_min_free_mb.saturating_mul(1 << 20),
            incident_quiet_ms: self.incident_quiet_seconds as i64 * 1000,
            incident_max_ms: self.incident_max_minutes as i64 * 60_000,
            rules: self.alert_rules.clone(),
        }
    }

    /// Seconds between heartbeats.
    pub fn heartbeat_every(&self) -> Duration {
        Duration::from_secs(u64::from(self.heartbeat_seconds.max(1)))
    }
}
