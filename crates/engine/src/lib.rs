//! The engine: everything Vigil does, with no HTTP and no window. The API crate and the desktop
//! shell are two front doors onto one [`Engine`], a thin facade over services that each own their
//! state and their lock:
//!
//! - [`cameras::CameraService`] — the registry (its own crate; this crate is its `CameraHost`);
//! - [`runtime::Runtimes`] — each running camera's supervisor, recorder and push queue;
//! - [`live::LiveService`] — MJPEG, MSE and HLS hubs;
//! - [`recordings::RecordingService`] — the index, timeline, VOD, deletion, exports;
//! - [`detection::DetectionService`] — the inference pool and each camera's detector;
//! - [`alerts::AlertService`], `vigil_auth::TokenService`, [`layouts::LayoutService`],
//!   [`bookmarks::BookmarkService`], [`storage::Storage`];
//!
//! joined by the [`events::EventBus`] (each service announces through a closure that
//! `wiring.rs` maps onto the bus) and the database (one writer thread, a pool of readers).
//! Services depend one way (cameras → runtimes → detection → alerts); nothing calls back into the
//! engine. [`Engine::start`] runs the background work and gives a [`RunningEngine`] that owns and
//! joins it.

pub mod backup;
pub mod config;
pub mod detection;
pub mod discovery;
pub mod mqtt;
pub mod ptz;

mod probe;
mod running;
pub mod runtime;
mod wiring;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use vigil_base::{Clock, ErrorKind, Result, ResultExt, SystemClock, err};
use vigil_db::Database;
use vigil_record::StorageRoot;
use vigil_secrets::CredentialStore;
use vigil_storage::Storage;

pub use config::EngineConfig;
pub use events::{Event, EventBody, EventBus};
pub use running::RunningEngine;
pub use runtime::{RtspClient, StreamStatus};
pub use vigil_alerts as alerts;
pub use vigil_auth as auth;
pub use vigil_auth::{
    AdminToken, AuditAction, AuditEntry, AuditLog, AuditOutcome, Permission, Principal, Role,
    TokenService, UserService,
};
pub use vigil_cameras as cameras;
pub use vigil_channels as channels;
pub use vigil_desk::{bookmarks, layouts};
pub use vigil_events as events;
pub use vigil_live as live;
pub use vigil_notify::{NotifyConfig, NotifyStats};
pub use vigil_record::service as recordings;
pub use vigil_secrets::StoreChoice;
pub use vigil_storage as storage;

/// The engine. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Parts>,
}

struct Parts {
    config: EngineConfig,
    db: Database,
    creds: CredentialStore,
    events: EventBus,
    clock: Arc<dyn Clock>,
    tokens: TokenService,
    users: UserService,
    audit: AuditLog,
    backups: backup::Backups,
    /// A restore at start-up, until [`Engine::announce_recovery`] raises its alert.
    recovery: std::sync::Mutex<Option<backup::Recovery>>,
    channels: vigil_channels::ChannelService,
    mqtt: mqtt::MqttService,
    scans: discovery::Scans,
    ptz: ptz::PtzDevices,
    cameras: cameras::CameraService,
    runtimes: Arc<runtime::Runtimes>,
    live: Arc<live::LiveService>,
    recordings: recordings::RecordingService,
    detection: Arc<detection::DetectionService>,
    alerts: Arc<alerts::AlertService>,
    layouts: layouts::LayoutService,
    bookmarks: bookmarks::BookmarkService,
    storage: Storage,
    /// The RTMP listener's port once bound (publish URLs show it).
    rtmp_port: Arc<AtomicU16>,
    rtmp_tls: Arc<std::sync::atomic::AtomicBool>,
    _lock: File,
}

impl Engine {
    /// Open the data dir (taking its lock), the database (repairing recordings a crash left
    /// open) and the credential store. Nothing runs until [`Engine::start`].
    pub fn open(config: EngineConfig) -> Result<Engine> {
        Self::open_with_clock(config, Arc::new(SystemClock))
    }

    pub fn open_with_clock(config: EngineConfig, clock: Arc<dyn Clock>) -> Result<Engine> {
        let dir = config.data_dir.clone();
        std::fs::create_dir_all(&dir).err_kind(ErrorKind::Unavailable, || {
            format!("creating data dir {}", dir.display())
        })?;
        let lock = lock_data_dir(&dir)?;
        // A database SQLite cannot read is set aside and the newest good snapshot restored.
        let (db, recovery) = backup::open_or_recover(&dir, clock.now_ms())?;
        let creds = CredentialStore::open(&dir, config.credential_store)?;
        let channels = vigil_channels::ChannelService::new(
            db.clone(),
            creds.clone(),
            clock.clone(),
            std::time::Duration::from_secs(config.notify_cooldown_seconds),
        )?;
        tracing::info!(backend = creds.backend_name(), "credential store ready");
        let mqtt = mqtt::MqttService::load(
            db.clone(),
            creds.clone(),
            clock.clone(),
            config.mqtt.clone(),
        )?;
        let admin = AdminToken::load_or_create(&dir, config.admin_token.as_deref())?;
        let sessions = vigil_auth::users::Sessions::new();
        let tokens = TokenService::load(db.clone(), admin, clock.clone(), sessions.clone())?;
        let audit = AuditLog::new(db.clone(), clock.clone());
        let users = UserService::load(db.clone(), clock.clone(), sessions, audit.clone())?;
        if let Some(r) = &recovery {
            audit.record(
                AuditEntry::by_actor("system", AuditAction::DatabaseRestored)
                    .target(r.restored.path.display().to_string())
                    .details(serde_json::json!({
                        "kept_aside": r.kept_aside.as_ref().map(|p| p.display().to_string()),
                        "recordings_in_snapshot": r.restored.recordings,
                    })),
            );
        }
        let events = EventBus::new(1024, clock.clone());
        let notifications = notifications(&config, &events);
        let alerts = Arc::new(alerts::AlertService::new(
            db.clone(),
            wiring::alert_events(&events),
            clock.clone(),
            notifications,
            config.health(),
        ));
        // Storage first: it finishes or rolls back interrupted moves, so reconciliation below
        // sees every file where its row says it is.
        let storage = Storage::open(
            db.clone(),
            clock.clone(),
            &dir.join("recordings"),
            config.storage.clone(),
            archive_credentials(&creds),
            wiring::storage_events(&events, &alerts),
        )?;
        let backups =
            backup::Backups::new(db.clone(), &dir, clock.clone(), config.backup_keep as usize)
                .with_archive(storage.clone());
        let first = storage.first_tier();
        let first_dir = first.path.clone();
        let root = StorageRoot::new(first.name, first.path);
        let online: Vec<StorageRoot> = storage
            .roots()
            .dirs
            .into_iter()
            .filter(|(_, (_, online))| *online)
            .map(|(name, (dir, _))| StorageRoot::new(name, dir))
            .collect();
        // After a restore, files of cameras the snapshot does not know are kept.
        vigil_record::reconcile::reconcile_with(&db, &online, backup::was_restored(&dir))?;
        backup::clear_restored(&dir);
        // Events a crash or stop left open end at their last sighting.
        db.write_blocking(|c| vigil_db::detections::close_ongoing(c, None))?;

        let snapshots = dir.join("snapshots");
        // Email channels attach the detection's picture.
        {
            let (sdb, sdir) = (db.clone(), snapshots.clone());
            channels.set_snapshot_source(Arc::new(move |id| {
                let row = (sdb.read_blocking(move |c| vigil_db::detections::get_detection(c, id)))
                    .ok()
                    .flatten()?;
                std::fs::read(detection::snapshot_path(&sdir, row.image_path.as_deref()?)?).ok()
            }));
        }
        let detection = Arc::new(detection::DetectionService::new(
            config.pipeline(),
            db.clone(),
            events.clone(),
            clock.clone(),
            alerts.clone(),
            snapshots.clone(),
        ));
        let mut streams = config.streams();
        streams.min_free_bytes = database_headroom(&dir, &first_dir);
        let runtimes = Arc::new(runtime::Runtimes::new(
            streams,
            db.clone(),
            events.clone(),
            clock.clone(),
            creds.clone(),
            alerts.clone(),
            detection.clone(),
            root.clone(),
            storage.clone(),
        ));
        let live = Arc::new(live::LiveService::new(config.live(), runtimes.clone()));
        let rtmp_port = Arc::new(AtomicU16::new(config.rtmp_port));
        let rtmp_tls = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let cameras = cameras::CameraService::new(
            db.clone(),
            wiring::camera_events(&events),
            clock.clone(),
            creds.clone(),
            cameras::PublishAddress {
                host: config.rtmp_public_host.clone(),
                port: rtmp_port.clone(),
                tls: rtmp_tls.clone(),
            },
            Arc::new(wiring::Host {
                runtimes: runtimes.clone(),
                live: live.clone(),
                storage: storage.clone(),
            }),
            snapshots,
        );
        let recordings = recordings::RecordingService::new(
            db.clone(),
            wiring::record_events(&events),
            clock.clone(),
            storage.clone(),
            dir.join("exports"),
        );
        let desk = wiring::desk_events(&events);
        let layouts = layouts::LayoutService::new(db.clone(), desk.clone(), clock.clone());
        let bookmarks = bookmarks::BookmarkService::new(db.clone(), desk, clock.clone());
        Ok(Engine {
            inner: Arc::new(Parts {
                config,
                db,
                creds,
                events,
                clock,
                tokens,
                users,
                audit,
                backups,
                recovery: std::sync::Mutex::new(recovery),
                channels,
                mqtt,
                scans: discovery::Scans::default(),
                ptz: ptz::PtzDevices::default(),
                cameras,
                runtimes,
                live,
                recordings,
                detection,
                alerts,
                layouts,
                bookmarks,
                storage,
                rtmp_port,
                rtmp_tls,
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
    /// Keep the archive's access keys in the credential store (never in config or SQLite) and
    /// reconnect the archive with them; `None` forgets them (the AWS environment applies).
    pub fn set_archive_keys(&self, keys: Option<(&str, &str)>) -> vigil_base::Result<()> {
        match keys {
            Some((id, secret)) => self.inner.creds.set_archive_keys(id, secret)?,
            None => self.inner.creds.delete_archive_keys()?,
        }
        self.storage()
            .set_archive_credentials(archive_credentials(&self.inner.creds))
    }

    pub fn credentials(&self) -> &CredentialStore {
        &self.inner.creds
    }
    pub fn events(&self) -> &EventBus {
        &self.inner.events
    }
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.inner.clock
    }
    pub fn now_ms(&self) -> i64 {
        self.inner.clock.now_ms()
    }
    pub fn tokens(&self) -> &TokenService {
        &self.inner.tokens
    }
    pub fn users(&self) -> &UserService {
        &self.inner.users
    }
    pub fn audit(&self) -> &AuditLog {
        &self.inner.audit
    }
    pub fn backups(&self) -> &backup::Backups {
        &self.inner.backups
    }
    /// Alert channels (webhooks), their outbox and routing rules.
    pub fn channels(&self) -> &vigil_channels::ChannelService {
        &self.inner.channels
    }
    /// When start-up restored the database from a snapshot, raise the `database_restored` alert
    /// (once): the operator hears what was lost and where the damaged copy is. Called once the
    /// alert channels listen, so the alert reaches them too.
    pub fn announce_recovery(&self) {
        let taken = self
            .inner
            .recovery
            .lock()
            .map(|mut r| r.take())
            .unwrap_or_default();
        let Some(r) = taken else { return };
        let snapshot = r
            .restored
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let kept = r
            .kept_aside
            .as_ref()
            .map(|p| format!(" The damaged copy is kept at {}.", p.display()))
            .unwrap_or_default();
        self.alerts().raise(alerts::NewAlert {
            kind: alerts::AlertKind::DatabaseRestored,
            camera_id: None,
            event_id: None,
            message: format!(
                "Vigil could not read its database at start-up and restored the newest snapshot \
                 ({snapshot}): recordings made since were re-indexed from the files, but events, \
                 bookmarks, locks, users and settings changed since it are gone.{kept} Another \
                 snapshot can be restored with `vigil restore` while Vigil is stopped."
            ),
            details: serde_json::json!({
                "snapshot": r.restored.path.display().to_string(),
                "kept_aside": r.kept_aside.as_ref().map(|p| p.display().to_string()),
                "recordings_in_snapshot": r.restored.recordings,
            }),
        });
    }

    /// The MQTT bridge's settings and status.
    pub fn mqtt(&self) -> &mqtt::MqttService {
        &self.inner.mqtt
    }
    pub fn cameras(&self) -> &cameras::CameraService {
        &self.inner.cameras
    }
    pub fn runtimes(&self) -> &Arc<runtime::Runtimes> {
        &self.inner.runtimes
    }
    pub fn live(&self) -> &live::LiveService {
        &self.inner.live
    }
    pub fn recordings(&self) -> &recordings::RecordingService {
        &self.inner.recordings
    }
    pub fn detection(&self) -> &detection::DetectionService {
        &self.inner.detection
    }
    pub fn alerts(&self) -> &alerts::AlertService {
        &self.inner.alerts
    }
    pub fn layouts(&self) -> &layouts::LayoutService {
        &self.inner.layouts
    }
    pub fn bookmarks(&self) -> &bookmarks::BookmarkService {
        &self.inner.bookmarks
    }
    /// Tiers, retention, locks, the mover.
    pub fn storage(&self) -> &Storage {
        &self.inner.storage
    }

    /// The port cameras push RTMP to: the bound one, else the configured one.
    pub fn rtmp_port(&self) -> u16 {
        self.inner.rtmp_port.load(Ordering::Relaxed)
    }

    /// The RTMP listener bound to `port` (publish URLs show it from now on).
    pub fn set_rtmp_port(&self, port: u16) {
        self.inner.rtmp_port.store(port, Ordering::Relaxed);
    }

    /// The RTMP listener speaks RTMPS: publish URLs say `rtmps://`.
    pub fn set_rtmp_tls(&self, on: bool) {
        self.inner.rtmp_tls.store(on, Ordering::Relaxed);
    }

    /// The handler the RTMP listener asks about each publish.
    pub fn rtmp_handler(&self) -> Arc<dyn vigil_rtmp::PublishHandler> {
        Arc::new(runtime::RtmpHandler(
            self.inner.runtimes.clone(),
            self.inner.audit.clone(),
        ))
    }

    /// Where annotated snapshots are kept.
    /// Cameras counted by stream status (for metrics; blocking: a database read).
    pub fn cameras_by_status(&self) -> Result<Vec<(String, i64)>> {
        self.db().read_blocking(vigil_db::cameras::count_by_status)
    }

    /// Alerts nobody has acknowledged (for metrics; blocking: a database read).
    pub fn unacknowledged_alerts(&self) -> Result<i64> {
        self.db().read_blocking(vigil_db::alerts::count_open)
    }

    pub fn snapshots_dir(&self) -> PathBuf {
        self.inner.detection.snapshots_dir().to_path_buf()
    }
}

/// Desktop notifications of alerts, or none (off for tests and where asked). A click on one is
/// announced, so the window (desktop shell or browser tab) can come forward on that alert.
fn notifications(config: &EngineConfig, events: &EventBus) -> vigil_notify::Notifications {
    let notify = config.notify();
    if !notify.enabled {
        return vigil_notify::Notifications::disabled();
    }
    let bus = events.clone();
    let on_click: vigil_notify::ClickHandler = Arc::new(move |alert_id| {
        bus.emit(None, EventBody::NotificationClicked { alert_id });
    });
    vigil_notify::Notifications::start(
        notify.clone(),
        Arc::new(vigil_notify::DesktopBackend::new(notify.app_name.clone()).on_click(on_click)),
        Arc::new(SystemClock),
    )
}

/// One Vigil per data dir: a second process gets a clear error instead of a corrupted database.
/// Set (or with `None` remove) the MQTT broker's password in the data dir's credential store
/// while no Vigil runs on it (`vigil mqtt-password`).
pub fn set_mqtt_password_offline(
    dir: &Path,
    store: vigil_secrets::StoreChoice,
    password: Option<&str>,
) -> Result<()> {
    let _lock = lock_data_dir(dir)?;
    let creds = CredentialStore::open(dir, store)?;
    match password {
        Some(p) => creds.set_mqtt_password(p),
        None => creds.delete_mqtt_password(),
    }
}

/// User accounts of a data dir no Vigil process is running on (`vigil user …`): takes the data
/// dir's lock (refusing while a server runs: its cache of users would go stale) and opens only the
/// database.
pub struct OfflineUsers {
    _lock: File,
    db: Database,
    pub users: UserService,
}

impl OfflineUsers {
    pub fn open(dir: &Path) -> Result<OfflineUsers> {
        std::fs::create_dir_all(dir).err_kind(ErrorKind::Unavailable, || {
            format!("creating data dir {}", dir.display())
        })?;
        let lock = lock_data_dir(dir).map_err(|e| {
            if e.code() == vigil_base::ErrorCode::DataDirInUse {
                err!(
                    FailedPrecondition,
                    code = DataDirInUse,
                    "Vigil is running on {}: manage users on its Users page or through \
                     /api/v1/users while it runs",
                    dir.display()
                )
            } else {
                e
            }
        })?;
        let db = Database::open(&dir.join("vigil.db"))?;
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let audit = AuditLog::new(db.clone(), clock.clone());
        let users =
            UserService::load(db.clone(), clock, vigil_auth::users::Sessions::new(), audit)?;
        Ok(OfflineUsers {
            _lock: lock,
            db,
            users,
        })
    }

    /// Flush and close the database.
    pub fn close(self) -> Result<()> {
        self.db.close()
    }
}

pub(crate) fn lock_data_dir(dir: &Path) -> Result<File> {
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
    use vigil_base::SimulatedClock;
    use vigil_secrets::StoreChoice;

    pub struct TestEngine {
        pub engine: Engine,
        pub clock: SimulatedClock,
        pub dir: tempfile::TempDir,
    }

    pub fn engine() -> TestEngine {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut cfg = EngineConfig::new(dir.path());
        cfg.credential_store = StoreChoice::File;
        cfg.autostart = false;
        cfg.notifications = false;
        let clock = SimulatedClock::new(1_763_712_000_000);
        let engine = Engine::open_with_clock(cfg, Arc::new(clock.clone())).expect("engine");
        TestEngine { engine, clock, dir }
    }

    /// A disabled camera (nothing streams) for tests of what hangs off cameras.
    pub async fn camera(t: &TestEngine, name: &str) -> crate::cameras::Camera {
        let file = t.dir.path().join(format!("{name}.mp4"));
        std::fs::write(&file, b"never played: the camera is disabled").expect("file");
        t.engine
            .cameras()
            .create(crate::cameras::CameraCreate {
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
    use vigil_secrets::StoreChoice;

    #[test]
    fn second_engine_on_same_dir_is_refused() {
        let t = testutil::engine();
        let mut cfg = EngineConfig::new(t.dir.path());
        cfg.credential_store = StoreChoice::File;
        let e = Engine::open(cfg).err().expect("refused");
        assert_eq!(e.code(), vigil_base::ErrorCode::DataDirInUse);
    }
}

/// The archive's keys from the credential store (a store that cannot be read is logged: the AWS
/// environment variables may still apply).
fn archive_credentials(creds: &CredentialStore) -> Option<vigil_storage::ArchiveCredentials> {
    match creds.archive_keys() {
        Ok(k) => k.map(
            |(access_key_id, secret_access_key)| vigil_storage::ArchiveCredentials {
                access_key_id,
                secret_access_key,
            },
        ),
        Err(e) => {
            tracing::warn!(error = %e, "archive keys unreadable from the credential store");
            None
        }
    }
}

/// Space recorders leave free for the database: 64 MiB when the database and the recording tier
/// share a filesystem (the default install), so index updates and alerts still fit when that
/// tier holds only locked footage and eviction can free nothing; none when they are apart.
fn database_headroom(data_dir: &std::path::Path, recording_dir: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::metadata(data_dir),
        std::fs::metadata(recording_dir),
    ) {
        (Ok(a), Ok(b)) if a.dev() == b.dev() => 64 << 20,
        _ => 0,
    }
}
