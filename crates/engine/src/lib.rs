//! The engine: everything Vigil does, with no HTTP and no window. The API crate and the desktop
//! shell are two front doors onto one `Engine`.

pub mod alerts;
pub mod auth;
pub mod bookmarks;
pub mod cameras;
pub mod detection;
pub mod events;
mod fields;
pub mod layouts;
pub mod live;
pub mod recordings;
pub mod streams;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use vigil_base::{Clock, ErrorKind, Result, ResultExt, SystemClock, err};
use vigil_db::Database;
use vigil_secrets::{CredentialStore, StoreChoice};

pub use auth::{AdminToken, Permission, Principal, Role, TokenService};
pub use detection::DetectionSettings;
pub use events::{Event, EventBus};
pub use live::LiveSettings;
pub use streams::{RtspClient, StreamSettings, StreamStatus};
pub use vigil_notify::{NotifyConfig, NotifyStats};

/// Settings the engine needs from its host.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub data_dir: PathBuf,
    pub credential_store: StoreChoice,
    /// Host name or address cameras use to reach this machine's RTMP listener.
    pub rtmp_public_host: String,
    pub rtmp_port: u16,
    /// The admin token to use instead of the stored one (env `VIGIL_TOKEN`).
    pub admin_token_override: Option<String>,
    pub streams: StreamSettings,
    pub live: LiveSettings,
    pub detection: DetectionSettings,
    /// Desktop notifications of alerts (off for tests and where asked).
    pub notify: NotifyConfig,
    /// A camera down this long raises `camera_offline`.
    pub offline_alert_after_ms: i64,
    /// Less free space than this on the recordings disk raises `storage_full`.
    pub storage_min_free_bytes: u64,
    /// Detections, events and their snapshots older than this are deleted (0: kept).
    pub detection_retention_days: u32,
}

impl EngineConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        EngineConfig {
            data_dir: data_dir.into(),
            credential_store: StoreChoice::Auto,
            rtmp_public_host: "127.0.0.1".into(),
            rtmp_port: 1935,
            admin_token_override: None,
            streams: StreamSettings::default(),
            live: LiveSettings::default(),
            detection: DetectionSettings::default(),
            notify: NotifyConfig::default(),
            offline_alert_after_ms: 5_000,
            storage_min_free_bytes: 1 << 30,
            detection_retention_days: 30,
        }
    }
}

/// The running engine. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    config: EngineConfig,
    db: Database,
    creds: CredentialStore,
    events: EventBus,
    tokens: TokenService,
    clock: Arc<dyn Clock>,
    streams: streams::Streams,
    live: live::Live,
    detection: detection::Detection,
    alerts: alerts::Alerts,
    notifications: vigil_notify::Notifications,
    exports: recordings::Exports,
    /// The RTMP listener's port once bound (publish URLs show it).
    rtmp_port: std::sync::atomic::AtomicU16,
    _lock: File,
}

impl Engine {
    /// Open the data dir (taking its lock), the database and the credential store.
    pub fn open(config: EngineConfig) -> Result<Engine> {
        Self::open_with_clock(config, Arc::new(SystemClock))
    }

    pub fn open_with_clock(config: EngineConfig, clock: Arc<dyn Clock>) -> Result<Engine> {
        let dir = &config.data_dir;
        std::fs::create_dir_all(dir).err_kind(ErrorKind::Unavailable, || {
            format!("creating data dir {}", dir.display())
        })?;
        let lock = lock_data_dir(dir)?;
        let db = Database::open(&dir.join("vigil.db"))?;
        let creds = CredentialStore::open(dir, config.credential_store)?;
        tracing::info!(backend = creds.backend_name(), "credential store ready");
        let admin = AdminToken::load_or_create(dir, config.admin_token_override.as_deref())?;
        let tokens = TokenService::load(db.clone(), admin, clock.clone())?;
        let root = vigil_record::StorageRoot::new("hot", dir.join("recordings"));
        std::fs::create_dir_all(&root.dir).err_kind(ErrorKind::Unavailable, || {
            format!("creating {}", root.dir.display())
        })?;
        vigil_record::reconcile::reconcile(&db, std::slice::from_ref(&root))?;
        // Events a crash or stop left open end at their last sighting.
        db.write_blocking(|c| vigil_db::detections::close_ongoing(c, None))?;
        let events = EventBus::new(1024);
        let notifications = if config.notify.enabled {
            // A click on a notification is announced, so the window (desktop shell or browser
            // tab) can come forward on that alert.
            let (bus, c) = (events.clone(), clock.clone());
            let on_click: vigil_notify::ClickHandler = Arc::new(move |alert_id| {
                bus.publish(
                    Event::new("notification:clicked", None, c.now_ms()).with("alert_id", alert_id),
                );
            });
            vigil_notify::Notifications::start(
                config.notify.clone(),
                Arc::new(
                    vigil_notify::DesktopBackend::new(config.notify.app_name.clone())
                        .on_click(on_click),
                ),
                clock.clone(),
            )
        } else {
            vigil_notify::Notifications::disabled()
        };
        Ok(Engine {
            inner: Arc::new(Inner {
                config,
                db,
                creds,
                events,
                tokens,
                clock,
                streams: streams::Streams::default(),
                live: live::Live::default(),
                detection: detection::Detection::default(),
                alerts: alerts::Alerts::default(),
                notifications,
                exports: recordings::Exports::default(),
                rtmp_port: std::sync::atomic::AtomicU16::new(0),
                _lock: lock,
            }),
        })
    }

    pub fn config(&self) -> &EngineConfig {
        &self.inner.config
    }
    pub fn data_dir(&self) -> &Path {
        &self.inner.config.data_dir
    }
    pub fn db(&self) -> &Database {
        &self.inner.db
    }
    pub fn credentials(&self) -> &CredentialStore {
        &self.inner.creds
    }
    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }
    pub fn tokens(&self) -> &TokenService {
        &self.inner.tokens
    }
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }
    pub fn now_ms(&self) -> i64 {
        self.inner.clock.now_ms()
    }

    /// The port cameras push RTMP to: the bound one, else the configured one.
    pub fn rtmp_port(&self) -> u16 {
        match self
            .inner
            .rtmp_port
            .load(std::sync::atomic::Ordering::Relaxed)
        {
            0 => self.inner.config.rtmp_port,
            p => p,
        }
    }

    pub fn set_rtmp_port(&self, port: u16) {
        self.inner
            .rtmp_port
            .store(port, std::sync::atomic::Ordering::Relaxed);
    }

    /// Finish: stop every camera (recorders close their segments), then close the database
    /// (checkpointing its WAL). In-flight requests must be done first. Blocking.
    pub fn shutdown(&self) -> Result<()> {
        self.stop_streams();
        self.inner.db.close()?;
        tracing::info!("engine shut down");
        Ok(())
    }
}

/// One Vigil per data dir: a second process gets a clear error instead of a corrupted database.
fn lock_data_dir(dir: &Path) -> Result<File> {
    let path = dir.join("vigil.lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .err_kind(ErrorKind::Unavailable, || {
            format!("opening {}", path.display())
        })?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(err!(
            FailedPrecondition,
            code = DataDirInUse,
            "data dir {} is in use by another Vigil process",
            dir.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(err!(Unavailable, "locking {}", path.display()).with_source(e))
        }
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use vigil_base::SimulatedClock;

    pub struct TestEngine {
        pub engine: Engine,
        pub clock: SimulatedClock,
        pub dir: tempfile::TempDir,
    }

    pub fn engine() -> TestEngine {
        static N: AtomicU64 = AtomicU64::new(0);
        let _ = N.fetch_add(1, Ordering::SeqCst);
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cfg = EngineConfig::new(dir.path());
        cfg.credential_store = StoreChoice::File;
        cfg.streams.autostart = false;
        cfg.notify.enabled = false;
        let clock = SimulatedClock::new(1_763_712_000_000);
        let engine = Engine::open_with_clock(cfg, Arc::new(clock.clone())).expect("engine");
        TestEngine { engine, clock, dir }
    }

    /// A disabled camera (nothing streams) for tests of what hangs off cameras.
    pub async fn camera(t: &TestEngine, name: &str) -> crate::cameras::Camera {
        let file = t.dir.path().join(format!("{name}.mp4"));
        std::fs::write(&file, b"never played: the camera is disabled").expect("file");
        t.engine
            .create_camera(crate::cameras::CameraCreate {
                name: name.into(),
                enabled: Some(false),
                source: Some(crate::cameras::SourceInput::File {
                    path: file.display().to_string(),
                }),
                ..Default::default()
            })
            .await
            .expect("camera")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_engine_on_same_dir_is_refused() {
        let t = testutil::engine();
        let mut cfg = EngineConfig::new(t.dir.path());
        cfg.credential_store = StoreChoice::File;
        let e = Engine::open(cfg).err().expect("refused");
        assert_eq!(e.code(), vigil_base::ErrorCode::DataDirInUse);
    }
}

/// Cameras counted by stream status (for metrics).
pub fn cameras_by_status(conn: &vigil_db::rusqlite::Connection) -> Result<Vec<(String, i64)>> {
    vigil_db::cameras::count_by_status(conn)
}
