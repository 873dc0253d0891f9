//! The camera registry: the camera types of `/api/v1/cameras`, their validation with one
//! message per bad field, CRUD that keeps passwords in the credential store, and each camera's
//! detection settings ([`settings`]). It runs nothing itself: every change is handed to a
//! [`CameraHost`] (the engine's runtimes, which start, restart or stop the camera to match) and
//! announced as a [`CameraEvent`]. A crate of its own so the registry's rules are tested without
//! an engine, and the engine stays a facade.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};

use serde::{Deserialize, Serialize};
use tracing::instrument;
use utoipa::ToSchema;
use vigil_base::{Clock, Error, FieldErrors, Result, bail, err, mask_url};
use vigil_db::Database;
use vigil_db::cameras::{self as q, CameraRow};
use vigil_secrets::CredentialStore;

pub mod probe;
pub mod settings;
mod validate;

use settings::CameraDetection;
use validate::PasswordChange;
use vigil_base::fields::some;

/// What runs the cameras. The registry tells it every change; the engine's runtimes implement
/// it. Blocking methods are called off the async runtime.
pub trait CameraHost: Send + Sync {
    /// Refuse (with a clear error) to run one more camera when at capacity; `except` is the
    /// camera being enabled, which may already count.
    fn check_capacity(&self, except: i64) -> Result<()>;
    /// Start, restart or stop the camera's stream to match its settings. Blocking.
    fn sync(&self, camera: &Camera) -> Result<()>;
    /// Stop the camera for good and drop everything it serves (live hubs). Blocking.
    fn remove(&self, camera_id: i64);
    /// Why the camera records nothing now, while it does not.
    fn recording_fault(&self, camera_id: i64) -> Option<RecordingError>;
    /// The online storage directories that may hold recordings (one subdirectory per camera).
    fn footage_dirs(&self) -> Vec<PathBuf>;
}

/// What the registry announces.
#[derive(Clone, Debug)]
pub enum CameraEvent {
    Created(Box<Camera>),
    Updated(Box<Camera>),
    Deleted {
        camera_id: i64,
    },
    DetectionChanged {
        camera_id: i64,
        detection: Box<CameraDetection>,
    },
}

/// Where the registry's events go (the engine's bus).
pub type CameraEmitter = Arc<dyn Fn(CameraEvent) + Send + Sync>;

/// RTSP transport: TCP (interleaved) is the default and the reliable choice; UDP is selectable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RtspTransport {
    #[default]
    Tcp,
    Udp,
}

/// Where a camera's video comes from, as the client sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum SourceInput {
    /// Vigil pulls from the camera. Credentials in the URL are moved to username/password.
    Rtsp {
        #[schema(value_type = vigil_base::fields::RtspUrl)]
        url: String,
        #[serde(default)]
        transport: Option<RtspTransport>,
    },
    /// The camera pushes to Vigil's RTMP listener with a per-camera stream key.
    RtmpPush {},
    /// A video file played in a loop at its native rate (demos and tests).
    File {
        /// An absolute path on the machine running Vigil.
        #[schema(pattern = "^\\s*/", max_length = 4096)]
        path: String,
    },
    /// An ONVIF camera: Vigil asks it for the RTSP URI of `main_profile` (recorded) and
    /// `sub_profile` (detection) when it connects, and again when they stop working.
    Onvif {
        /// `host:port` of its ONVIF service (port 80 when left out).
        #[schema(
            max_length = 300,
            pattern = "^\\s*(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9._-]+)(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?\\s*$"
        )]
        address: String,
        /// The profile token of the main stream (`POST /discovery/probe` lists them).
        #[schema(
            max_length = 64,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$"
        )]
        main_profile: String,
        /// The profile token of the sub-stream, if any.
        #[serde(default)]
        #[schema(max_length = 64, pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$")]
        sub_profile: Option<String>,
        #[serde(default)]
        transport: Option<RtspTransport>,
    },
}

/// Where a camera's video comes from, as the API shows it (never with credentials).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Rtsp {
        url: String,
        transport: RtspTransport,
    },
    RtmpPush {
        /// Empty for callers without `camera:write` (the key lets anyone feed the camera).
        stream_key: String,
        /// Empty for callers without `camera:write`.
        publish_url: String,
    },
    File {
        path: String,
    },
    Onvif {
        address: String,
        main_profile: String,
        sub_profile: Option<String>,
        transport: RtspTransport,
    },
}

/// The stream supervisor's state for a camera.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CameraStatus {
    Stopped,
    Starting,
    Running,
    Error,
    Reconnecting,
    Stopping,
}

impl From<vigil_ingest::StreamState> for CameraStatus {
    fn from(s: vigil_ingest::StreamState) -> Self {
        use vigil_ingest::StreamState as S;
        match s {
            S::Stopped => CameraStatus::Stopped,
            S::Starting => CameraStatus::Starting,
            S::Running => CameraStatus::Running,
            S::Error => CameraStatus::Error,
            S::Reconnecting => CameraStatus::Reconnecting,
            S::Stopping => CameraStatus::Stopping,
        }
    }
}

impl CameraStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CameraStatus::Stopped => "stopped",
            CameraStatus::Starting => "starting",
            CameraStatus::Running => "running",
            CameraStatus::Error => "error",
            CameraStatus::Reconnecting => "reconnecting",
            CameraStatus::Stopping => "stopping",
        }
    }
    fn parse(s: &str) -> CameraStatus {
        match s {
            "starting" => CameraStatus::Starting,
            "running" => CameraStatus::Running,
            "error" => CameraStatus::Error,
            "reconnecting" => CameraStatus::Reconnecting,
            "stopping" => CameraStatus::Stopping,
            _ => CameraStatus::Stopped,
        }
    }
}

/// A camera. The password is write-only: only `has_password` shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Camera {
    pub id: i64,
    pub name: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub location: Option<String>,
    pub place: Option<String>,
    pub source: Source,
    pub username: Option<String>,
    pub has_password: bool,
    pub enabled: bool,
    pub recording_enabled: bool,
    pub detection_enabled: bool,
    pub detect_fps: u8,
    pub status: CameraStatus,
    /// Set while recording fails (a full disk, a write error): the camera may stream and still
    /// record nothing. Cleared when a segment is finished whole again.
    pub recording_error: Option<RecordingError>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// Deleted with its footage kept: out of service (no stream, not in the grid), its
    /// recordings still played and exported until retention ages them out.
    pub removed_at_ms: Option<i64>,
}

/// Body of `POST /api/v1/cameras`.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CameraCreate {
    #[schema(
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max_length = 100
    )]
    pub name: String,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    pub manufacturer: Option<String>,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    pub model: Option<String>,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 64)]
    pub serial_number: Option<String>,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub location: Option<String>,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub place: Option<String>,
    /// Required.
    #[schema(value_type = SourceInput, required = true)]
    pub source: Option<SourceInput>,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 128)]
    pub username: Option<String>,
    /// Write-only; kept in the OS keyring or the encrypted credential file, never in the database.
    #[schema(max_length = 256)]
    pub password: Option<String>,
    pub enabled: Option<bool>,
    pub recording_enabled: Option<bool>,
    pub detection_enabled: Option<bool>,
    /// Detection frame rate, 1–30 (default 5).
    #[schema(minimum = 1, maximum = 30)]
    pub detect_fps: Option<i64>,
}

/// Body of `PATCH /api/v1/cameras/{id}`: absent fields are kept, `null` clears optional ones.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CameraPatch {
    #[schema(
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max_length = 100
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    pub manufacturer: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    pub model: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 64)]
    pub serial_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub location: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub place: Option<Option<String>>,
    pub source: Option<SourceInput>,
    #[serde(default, deserialize_with = "some")]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 128)]
    pub username: Option<Option<String>>,
    /// A string sets the password, `null` removes it, absence keeps it.
    #[serde(default, deserialize_with = "some")]
    #[schema(max_length = 256)]
    pub password: Option<Option<String>>,
    pub enabled: Option<bool>,
    pub recording_enabled: Option<bool>,
    pub detection_enabled: Option<bool>,
    #[schema(minimum = 1, maximum = 30)]
    pub detect_fps: Option<i64>,
}

impl CameraPatch {
    /// The names of the fields this patch sets (for the audit log; never their values).
    pub fn changed_fields(&self) -> Vec<&'static str> {
        [
            ("name", self.name.is_some()),
            ("manufacturer", self.manufacturer.is_some()),
            ("model", self.model.is_some()),
            ("serial_number", self.serial_number.is_some()),
            ("location", self.location.is_some()),
            ("place", self.place.is_some()),
            ("source", self.source.is_some()),
            ("username", self.username.is_some()),
            ("password", self.password.is_some()),
            ("enabled", self.enabled.is_some()),
            ("recording_enabled", self.recording_enabled.is_some()),
            ("detection_enabled", self.detection_enabled.is_some()),
            ("detect_fps", self.detect_fps.is_some()),
        ]
        .into_iter()
        .filter_map(|(n, set)| set.then_some(n))
        .collect()
    }
}

/// Where push cameras are told to publish.
#[derive(Clone, Debug)]
pub struct PublishAddress {
    /// Host name or address cameras use to reach this machine's RTMP listener.
    pub host: String,
    /// The listener's port once bound (the configured one until then).
    pub port: Arc<AtomicU16>,
    /// Whether the listener speaks RTMPS (publish URLs then start `rtmps://`).
    pub tls: Arc<std::sync::atomic::AtomicBool>,
}

/// The camera registry.
pub struct CameraService {
    db: Database,
    events: CameraEmitter,
    clock: Arc<dyn Clock>,
    creds: CredentialStore,
    publish: PublishAddress,
    host: Arc<dyn CameraHost>,
    snapshots: PathBuf,
}

impl CameraService {
    /// `snapshots` is where detection keeps each camera's pictures (removed with the camera).
    pub fn new(
        db: Database,
        events: CameraEmitter,
        clock: Arc<dyn Clock>,
        creds: CredentialStore,
        publish: PublishAddress,
        host: Arc<dyn CameraHost>,
        snapshots: PathBuf,
    ) -> CameraService {
        CameraService {
            db,
            events,
            clock,
            creds,
            publish,
            host,
            snapshots,
        }
    }

    /// The cameras in service.
    pub async fn list(&self) -> Result<Vec<Camera>> {
        self.list_including_removed(false).await
    }

    /// The cameras in service and, with `removed`, those deleted with their footage kept (for
    /// the player and the footage's owner on the storage page).
    pub async fn list_including_removed(&self, removed: bool) -> Result<Vec<Camera>> {
        let rows = self.db.read(q::list).await?;
        (rows.into_iter())
            .filter(|r| removed || r.removed_at_ms.is_none())
            .map(|r| self.to_camera(r))
            .collect()
    }

    /// The cameras in service, read on this (blocking) thread.
    pub fn list_blocking(&self) -> Result<Vec<Camera>> {
        let rows = self.db.read_blocking(q::list)?;
        (rows.into_iter())
            .filter(|r| r.removed_at_ms.is_none())
            .map(|r| self.to_camera(r))
            .collect()
    }

    #[instrument(skip(self), fields(camera_id = id))]
    pub async fn get(&self, id: i64) -> Result<Camera> {
        let row = self.camera_row(id).await?;
        self.to_camera(row)
    }

    async fn camera_row(&self, id: i64) -> Result<CameraRow> {
        self.db
            .read(move |c| q::get(c, id))
            .await?
            .ok_or_else(|| not_found(id))
    }

    #[instrument(skip_all, fields(camera_id))]
    pub async fn create(&self, input: CameraCreate) -> Result<Camera> {
        let now = self.clock.now_ms();
        let base = CameraRow {
            id: 0,
            name: String::new(),
            manufacturer: None,
            model: None,
            serial_number: None,
            location: None,
            place: None,
            source_kind: String::new(),
            source_json: String::new(),
            stream_key: None,
            username: None,
            has_password: false,
            enabled: input.enabled.unwrap_or(true),
            recording_enabled: input.recording_enabled.unwrap_or(true),
            detection_enabled: input.detection_enabled.unwrap_or(false),
            detect_fps: 5,
            status: CameraStatus::Stopped.as_str().into(),
            created_at_ms: now,
            updated_at_ms: now,
            removed_at_ms: None,
        };
        let patch = CameraPatch {
            name: Some(input.name),
            manufacturer: Some(input.manufacturer),
            model: Some(input.model),
            serial_number: Some(input.serial_number),
            location: Some(input.location),
            place: Some(input.place),
            source: input.source,
            username: Some(input.username),
            password: input.password.map(Some),
            enabled: None,
            recording_enabled: None,
            detection_enabled: None,
            detect_fps: input.detect_fps,
        };
        let mut errs = FieldErrors::new();
        if patch.source.is_none() {
            errs.insert("source".into(), "is required".into());
        }
        let valid = self.validate(base, patch, errs)?;
        if valid.row.enabled {
            self.host.check_capacity(0)?;
        }
        let mut row = valid.row;
        let id = self
            .db
            .write({
                let row = row.clone();
                move |c| q::insert(c, &row).map_err(|e| map_write_err(e, &row))
            })
            .await?;
        row.id = id;
        tracing::Span::current().record("camera_id", id);
        if let Err(e) = self.apply_password(id, valid.password).await {
            // Do not leave a camera that claims a password the store never got.
            let _ = self.db.write(move |c| q::delete(c, id)).await;
            return Err(e);
        }
        let cam = self.to_camera(row)?;
        tracing::info!(name = %cam.name, source = %describe_source(&cam.source), "camera created");
        // Announce the camera before its stream's first status.
        (self.events)(CameraEvent::Created(Box::new(cam.clone())));
        self.sync_runtime(&cam).await;
        Ok(cam)
    }

    #[instrument(skip(self, patch), fields(camera_id = id))]
    pub async fn update(&self, id: i64, patch: CameraPatch) -> Result<Camera> {
        let current = self.camera_row(id).await?;
        if current.removed_at_ms.is_some() {
            return Err(removed(id));
        }
        let mut base = current.clone();
        base.updated_at_ms = self.clock.now_ms();
        if let Some(v) = patch.enabled {
            base.enabled = v;
        }
        if let Some(v) = patch.recording_enabled {
            base.recording_enabled = v;
        }
        if let Some(v) = patch.detection_enabled {
            base.detection_enabled = v;
        }
        let valid = self.validate(base, patch, FieldErrors::new())?;
        if valid.row.enabled && !current.enabled {
            self.host.check_capacity(id)?;
        }
        self.apply_password(id, valid.password).await?;
        let row = valid.row;
        let found = self
            .db
            .write({
                let row = row.clone();
                move |c| q::update(c, &row).map_err(|e| map_write_err(e, &row))
            })
            .await?;
        if !found {
            return Err(not_found(id));
        }
        let cam = self.to_camera(row)?;
        tracing::info!("camera updated");
        (self.events)(CameraEvent::Updated(Box::new(cam.clone())));
        self.sync_runtime(&cam).await;
        Ok(cam)
    }

    /// Delete a camera. With `keep_footage` it only leaves service: its stream stops, its stored
    /// password and stream key go, and its row stays with its recordings, events and bookmarks
    /// (played and exported as before) until [`CameraService::purge_removed`] finds its footage
    /// gone. Without, its recordings and pictures are deleted with it (also for a camera removed
    /// earlier with its footage kept).
    #[instrument(skip(self), fields(camera_id = id))]
    pub async fn delete(&self, id: i64, keep_footage: bool) -> Result<()> {
        let row = self.camera_row(id).await?;
        if keep_footage && row.removed_at_ms.is_some() {
            return Ok(());
        }
        let host = self.host.clone();
        let _ = tokio::task::spawn_blocking(move || host.remove(id)).await;
        if keep_footage {
            let now = self.clock.now_ms();
            if !self.db.write(move |c| q::mark_removed(c, id, now)).await? {
                return Err(not_found(id));
            }
            self.forget_password(id).await;
            tracing::info!("camera removed; its footage is kept");
            (self.events)(CameraEvent::Deleted { camera_id: id });
            return Ok(());
        }
        if !self.db.write(move |c| q::delete(c, id)).await? {
            return Err(not_found(id));
        }
        // Its recordings' rows went with it (ON DELETE CASCADE); remove their files too, on
        // every tier that is there (an offline tier keeps them until reconciliation finds them).
        let dirs: Vec<_> = (self.host.footage_dirs().into_iter())
            .map(|d| d.join(id.to_string()))
            .collect();
        let _ = tokio::task::spawn_blocking(move || {
            for d in dirs {
                let _ = std::fs::remove_dir_all(d);
            }
        })
        .await;
        let snapshots = self.snapshots.join(id.to_string());
        let _ = tokio::task::spawn_blocking(move || std::fs::remove_dir_all(snapshots)).await;
        self.forget_password(id).await;
        tracing::info!("camera deleted");
        (self.events)(CameraEvent::Deleted { camera_id: id });
        Ok(())
    }

    async fn forget_password(&self, id: i64) {
        let creds = self.creds.clone();
        let r = tokio::task::spawn_blocking(move || creds.delete_camera_password(id)).await;
        if !matches!(r, Ok(Ok(()))) {
            tracing::warn!("camera deleted but its stored password could not be removed");
        }
    }

    /// Delete the rows of removed cameras whose footage has all gone (aged out by retention or
    /// deleted), with their events, bookmarks and pictures. Blocking; returns how many.
    pub fn purge_removed(&self) -> Result<usize> {
        let ids = self
            .db
            .write_blocking(|c| q::purge_removed_without_footage(c))?;
        for id in &ids {
            let _ = std::fs::remove_dir_all(self.snapshots.join(id.to_string()));
            for d in self.host.footage_dirs() {
                let _ = std::fs::remove_dir_all(d.join(id.to_string()));
            }
            tracing::info!(
                camera_id = id,
                "removed camera forgotten: its footage has all gone"
            );
        }
        Ok(ids.len())
    }

    /// Enable (start) or disable (stop) a camera's stream.
    pub async fn set_enabled(&self, id: i64, enabled: bool) -> Result<Camera> {
        self.update(
            id,
            CameraPatch {
                enabled: Some(enabled),
                ..Default::default()
            },
        )
        .await
    }

    /// Start every enabled camera (at start-up). Blocking.
    pub fn start_enabled(&self) -> Result<()> {
        for cam in self.list_blocking()? {
            if cam.enabled
                && let Err(e) = self.host.sync(&cam)
            {
                tracing::warn!(camera_id = cam.id, error = %e, "camera not started");
            }
        }
        Ok(())
    }

    /// Start, restart or stop the camera's stream to match its settings, off the async runtime.
    async fn sync_runtime(&self, cam: &Camera) {
        let (host, c) = (self.host.clone(), cam.clone());
        let r = tokio::task::spawn_blocking(move || host.sync(&c)).await;
        if let Ok(Err(err)) = r {
            tracing::warn!(camera_id = cam.id, error = %err, "stream not started");
        }
    }

    /// The camera's password from the credential store, for opening its stream (never logged).
    pub async fn password(&self, id: i64) -> Result<Option<String>> {
        let creds = self.creds.clone();
        tokio::task::spawn_blocking(move || creds.camera_password(id))
            .await
            .map_err(|e| err!(Internal, "credential task: {e}"))?
    }

    async fn apply_password(&self, id: i64, change: PasswordChange) -> Result<()> {
        let creds = self.creds.clone();
        let r = tokio::task::spawn_blocking(move || match change {
            PasswordChange::Keep => Ok(()),
            PasswordChange::Set(p) => creds.set_camera_password(id, &p),
            PasswordChange::Clear => creds.delete_camera_password(id),
        })
        .await
        .map_err(|e| err!(Internal, "credential task: {e}"))?;
        r.map_err(|e| {
            err!(
                Unavailable,
                code = CredentialStoreUnavailable,
                "could not store the camera password: {e}"
            )
        })
    }

    /// The camera's detection settings (defaults if never set).
    pub async fn detection(&self, camera_id: i64) -> Result<CameraDetection> {
        self.get(camera_id).await?;
        self.db
            .read(move |c| settings::load_settings(c, camera_id))
            .await
    }

    /// Replace the camera's detection settings; a running detector picks them up.
    pub async fn set_detection(
        &self,
        camera_id: i64,
        settings: CameraDetection,
    ) -> Result<CameraDetection> {
        let settings = CameraDetection {
            filter: settings.filter.normalised(),
            ..settings
        };
        settings.validate()?;
        let cam = self.get(camera_id).await?;
        let row = vigil_db::detections::SettingsRow {
            camera_id,
            substream_url: settings.substream_url.clone(),
            filter_json: serde_json::to_string(&settings.filter)
                .map_err(|e| err!(Internal, "encoding a filter: {e}"))?,
            updated_at_ms: self.clock.now_ms(),
        };
        self.db
            .write(move |c| vigil_db::detections::put_settings(c, &row))
            .await?;
        tracing::info!(
            camera_id,
            substream = ?settings.substream_url.as_deref().map(mask_url),
            zones = settings.filter.zones.len(),
            "detection settings changed"
        );
        (self.events)(CameraEvent::DetectionChanged {
            camera_id,
            detection: Box::new(settings.clone()),
        });
        self.sync_runtime(&cam).await;
        Ok(settings)
    }

    fn to_camera(&self, r: CameraRow) -> Result<Camera> {
        let stored: serde_json::Value = serde_json::from_str(&r.source_json)
            .map_err(|e| err!(Internal, "camera {} has a corrupt source: {e}", r.id))?;
        let source = match r.source_kind.as_str() {
            "rtsp" => Source::Rtsp {
                url: stored["url"].as_str().unwrap_or_default().to_string(),
                transport: serde_json::from_value(stored["transport"].clone()).unwrap_or_default(),
            },
            "rtmp_push" => {
                let key = r.stream_key.clone().unwrap_or_default();
                Source::RtmpPush {
                    publish_url: format!(
                        "{}://{}:{}/live/{key}",
                        if self.publish.tls.load(Ordering::Relaxed) {
                            "rtmps"
                        } else {
                            "rtmp"
                        },
                        self.publish.host,
                        self.publish.port.load(Ordering::Relaxed)
                    ),
                    stream_key: key,
                }
            }
            "file" => Source::File {
                path: stored["path"].as_str().unwrap_or_default().to_string(),
            },
            "onvif" => Source::Onvif {
                address: stored["address"].as_str().unwrap_or_default().to_string(),
                main_profile: stored["main_profile"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                sub_profile: stored["sub_profile"].as_str().map(str::to_string),
                transport: serde_json::from_value(stored["transport"].clone()).unwrap_or_default(),
            },
            other => bail!(Internal, "camera {} has unknown source kind {other}", r.id),
        };
        Ok(Camera {
            id: r.id,
            name: r.name,
            manufacturer: r.manufacturer,
            model: r.model,
            serial_number: r.serial_number,
            location: r.location,
            place: r.place,
            source,
            username: r.username,
            has_password: r.has_password,
            enabled: r.enabled,
            recording_enabled: r.recording_enabled,
            detection_enabled: r.detection_enabled,
            detect_fps: u8::try_from(r.detect_fps).unwrap_or(5),
            status: CameraStatus::parse(&r.status),
            recording_error: self.host.recording_fault(r.id),
            created_at_ms: r.created_at_ms,
            updated_at_ms: r.updated_at_ms,
            removed_at_ms: r.removed_at_ms,
        })
    }
}

/// Why a camera records nothing now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecordingError {
    pub message: String,
    /// The disk is full: footage is being moved or deleted to make room.
    pub storage_full: bool,
    /// When the failures began (RFC 3339).
    pub since: String,
}

/// A one-line description of a source that is safe to log.
pub fn describe_source(s: &Source) -> String {
    match s {
        Source::Rtsp { url, transport } => format!("rtsp {} ({transport:?})", mask_url(url)),
        Source::RtmpPush { .. } => "rtmp push".into(),
        Source::File { path } => format!("file {path}"),
        Source::Onvif {
            address,
            main_profile,
            ..
        } => format!("onvif {address} profile {main_profile}"),
    }
}

fn not_found(id: i64) -> Error {
    err!(NotFound, code = CameraNotFound, "camera {id} not found")
}

fn removed(id: i64) -> Error {
    err!(
        FailedPrecondition,
        code = CameraRemoved,
        "camera {id} was deleted with its footage kept: its recordings can be played and exported, but it cannot be changed or started"
    )
}

fn map_write_err(e: vigil_db::rusqlite::Error, row: &CameraRow) -> Error {
    if q::is_unique_violation(&e, "serial_number") {
        let mut f = BTreeMap::new();
        f.insert(
            "serial_number".to_string(),
            "another camera has this serial number".to_string(),
        );
        return err!(
            AlreadyExists,
            code = CameraSerialDuplicate,
            "a camera with serial number {} already exists",
            row.serial_number.as_deref().unwrap_or("")
        )
        .with_details(serde_json::json!({ "fields": f }));
    }
    err!(Internal, "saving camera").with_source(e)
}

#[cfg(test)]
mod tests;
