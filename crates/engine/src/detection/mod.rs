//! Object detection in the engine (issue 5): the service (ONNX Runtime, the model and a pool of
//! inference threads, or the reason it is unavailable), per-camera detection settings (sub-stream,
//! filter, zones), and the queries behind `/detections`, `/detection-events` and snapshots.
//!
//! Data flow per camera, none of it in the recorder's path:
//! feed (own bounded queue; a slow detector drops its own packets) → decode → pace to
//! `detect_fps` → motion gate on the luma plane → RGB → the shared inference pool (at most
//! `max_pending` frames per camera in flight) → filter → tracker → rows, snapshots, events, alerts.

mod camera;
mod pool;
mod query;
mod store;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{FieldErrors, Result, err, mask_url};
use vigil_db::detections as q;
use vigil_detect::{Filter, ModelConfig, MotionConfig, RuntimeOptions, TrackerConfig};

use crate::{Engine, Event};
pub use camera::CameraDetectionStats;
pub(crate) use camera::CameraWorker;
use pool::Pool;

/// The labels a camera tracks until someone chooses: people and vehicles.
pub const DEFAULT_LABELS: &[&str] = &["person", "bicycle", "car", "motorcycle", "bus", "truck"];
/// Default least score a detection needs to count (per camera).
pub const DEFAULT_MIN_SCORE: f32 = 0.5;

/// Engine-wide detection settings.
#[derive(Clone, Debug)]
pub struct DetectionSettings {
    /// Detection at all (`VIGIL_DETECTION=off` turns it off).
    pub enabled: bool,
    /// The model's config (`*.toml`); None: `models/nanodet.toml` found beside the executable
    /// or in a parent directory of it (the repository in development).
    pub model: Option<PathBuf>,
    /// Where ONNX Runtime is (a configured path, `ORT_DYLIB_PATH`, beside the executable, then
    /// `search_dirs`; the engine adds `.cache/onnxruntime` of a parent directory).
    pub runtime: RuntimeOptions,
    /// Inference threads (one model session each).
    pub workers: usize,
    /// ONNX Runtime intra-op threads per worker.
    pub threads_per_worker: usize,
    /// Frames of one camera waiting for or in inference at most.
    pub max_pending_per_camera: usize,
    /// Inference rate while nothing moves but objects are being tracked (they may stand still).
    /// While every tracked object stays put (a parked car), the interval doubles after each look,
    /// up to `idle_max_interval_ms`; motion or a moving object brings it back.
    pub idle_fps: f32,
    pub idle_max_interval_ms: u64,
    /// Run the model only when the motion gate sees motion.
    pub motion_gate: bool,
    pub motion: MotionConfig,
    pub tracker: TrackerConfig,
    /// JPEG quality of annotated snapshots.
    pub snapshot_quality: u8,
    /// Longest side of the frames given to the model and kept as snapshots.
    pub max_frame_side: u32,
}

impl Default for DetectionSettings {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        DetectionSettings {
            enabled: true,
            model: None,
            runtime: RuntimeOptions::default(),
            workers: 1,
            threads_per_worker: cores.clamp(1, 4),
            max_pending_per_camera: 5,
            idle_fps: 1.0,
            idle_max_interval_ms: 8_000,
            motion_gate: true,
            motion: MotionConfig::default(),
            tracker: TrackerConfig::default(),
            snapshot_quality: 80,
            max_frame_side: 1280,
        }
    }
}

/// `GET /detection/status`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DetectionStatus {
    /// `starting` (loading the model), `ready`, `unavailable` or `disabled`.
    pub state: String,
    /// `DETECTION_UNAVAILABLE`, `MODEL_UNAVAILABLE`, ... when unavailable.
    pub code: Option<vigil_base::ErrorCode>,
    pub message: Option<String>,
    pub model: Option<String>,
    pub labels: Vec<String>,
    pub library: Option<String>,
    pub workers: usize,
    pub threads_per_worker: usize,
    pub inferences: u64,
    /// Mean inference time over the last runs, milliseconds.
    pub inference_ms: f64,
    pub cameras: Vec<CameraDetectionStats>,
}

/// `GET/PUT /cameras/{id}/detection`: what a camera detects and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CameraDetection {
    /// A lower-resolution stream of the same camera for detection (RTSP cameras), while the
    /// main stream records. No credentials in it: the camera's username and password are used.
    #[serde(default)]
    pub substream_url: Option<String>,
    /// Labels, `min_score`, box area bounds (fractions of the frame), zones and masks.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub filter: Filter,
}

impl Default for CameraDetection {
    fn default() -> Self {
        CameraDetection {
            substream_url: None,
            filter: Filter {
                labels: DEFAULT_LABELS.iter().map(|s| s.to_string()).collect(),
                min_score: DEFAULT_MIN_SCORE,
                ..Filter::default()
            },
        }
    }
}

impl CameraDetection {
    fn validate(&self) -> Result<()> {
        let mut fields = FieldErrors::new();
        if let Err(e) = self.filter.validate() {
            let per_field = e
                .details()
                .and_then(|d| d.get("fields"))
                .and_then(|f| f.as_object());
            match per_field {
                Some(f) => {
                    for (k, v) in f {
                        let msg = v.as_str().unwrap_or("is invalid").to_string();
                        fields.insert(format!("filter.{k}"), msg);
                    }
                }
                None => return Err(e),
            }
        }
        if let Some(u) = &self.substream_url {
            match url::Url::parse(u) {
                Ok(url) if !matches!(url.scheme(), "rtsp" | "rtsps") => {
                    fields.insert("substream_url".into(), "must be an rtsp:// URL".into());
                }
                Ok(url) if !url.username().is_empty() || url.password().is_some() => {
                    fields.insert(
                        "substream_url".into(),
                        "must not contain credentials: the camera's username and password are used"
                            .into(),
                    );
                }
                Ok(_) => {}
                Err(e) => {
                    fields.insert("substream_url".into(), format!("is not a URL: {e}"));
                }
            }
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(vigil_base::Error::validation(fields))
        }
    }

    /// A stable text of what a running worker depends on (a change restarts it).
    fn fingerprint(&self, fps: u8) -> String {
        format!(
            "{fps}|{:?}|{}",
            self.substream_url,
            serde_json::to_string(&self.filter).unwrap_or_default()
        )
    }
}

/// The service: loaded once at start; unavailable with a reason when it cannot load.
pub(crate) enum ServiceState {
    /// Loading (or not asked to load yet).
    Starting,
    Disabled,
    Unavailable {
        code: vigil_base::ErrorCode,
        message: String,
    },
    Ready(Arc<Pool>),
}

pub(crate) struct Detection {
    pub(crate) state: Mutex<ServiceState>,
    pub(crate) workers: Mutex<HashMap<i64, CameraWorker>>,
}

impl Default for Detection {
    fn default() -> Self {
        Detection {
            state: Mutex::new(ServiceState::Starting),
            workers: Mutex::new(HashMap::new()),
        }
    }
}

/// Directories searched upwards from the executable for `rel` (the repository in development,
/// the install prefix otherwise).
fn find_upwards(rel: &str) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    exe.ancestors()
        .skip(1)
        .take(6)
        .map(|d| d.join(rel))
        .find(|p| p.exists())
}

impl DetectionSettings {
    /// The model config to load.
    pub fn model_path(&self) -> Option<PathBuf> {
        self.model
            .clone()
            .or_else(|| find_upwards("models/nanodet.toml"))
    }

    /// Runtime options with the development cache added to the search.
    pub fn runtime_options(&self) -> RuntimeOptions {
        let mut o = self.runtime.clone();
        if let Some(d) = find_upwards(".cache/onnxruntime") {
            o.search_dirs.push(d);
        }
        if let Some(d) = find_upwards("lib/vigil") {
            o.search_dirs.push(d);
        }
        o
    }
}

impl Engine {
    /// Load ONNX Runtime and the model and start the inference pool (blocking: call at start
    /// from a blocking thread). A failure is reported (status, one alert, one log line) and
    /// everything else keeps running.
    pub fn start_detection(&self) {
        let settings = self.config().detection.clone();
        let state = if !settings.enabled {
            tracing::info!("object detection is turned off");
            ServiceState::Disabled
        } else {
            match load_pool(&settings) {
                Ok(pool) => {
                    tracing::info!(
                        model = %pool.model_name(),
                        library = %pool.library().display(),
                        workers = settings.workers,
                        threads = settings.threads_per_worker,
                        "object detection ready"
                    );
                    ServiceState::Ready(Arc::new(pool))
                }
                Err(e) => {
                    tracing::warn!(code = %e.code(), "object detection unavailable: {e}");
                    let (code, message) = (e.code(), e.message().to_string());
                    self.raise_alert(crate::alerts::NewAlert {
                        kind: crate::alerts::AlertKind::DetectionUnavailable,
                        camera_id: None,
                        event_id: None,
                        message: format!(
                            "Object detection is unavailable: {message}. Recording and live view are not affected."
                        ),
                        details: serde_json::json!({ "code": code }),
                    });
                    ServiceState::Unavailable { code, message }
                }
            }
        };
        if let Ok(mut s) = self.inner.detection.state.lock() {
            *s = state;
        }
        // Cameras already streaming start detecting now.
        let rows = self.db().read_blocking(vigil_db::cameras::list);
        for row in rows.unwrap_or_default() {
            if !(row.enabled && row.detection_enabled) {
                continue;
            }
            let Ok(cam) = self.to_camera(row) else {
                continue;
            };
            if let Ok(running) = self.inner.streams.running.lock() {
                self.sync_detection(&cam, running.get(&cam.id).map(|r| &r.supervisor));
            }
        }
        self.events().publish(
            Event::new("detection:status", None, self.now_ms())
                .with("status", self.detection_status()),
        );
    }

    pub(crate) fn detection_pool(&self) -> Option<Arc<Pool>> {
        match &*self.inner.detection.state.lock().ok()? {
            ServiceState::Ready(p) => Some(p.clone()),
            _ => None,
        }
    }

    pub fn detection_status(&self) -> DetectionStatus {
        let s = &self.config().detection;
        let mut st = DetectionStatus {
            state: "disabled".into(),
            code: None,
            message: None,
            model: None,
            labels: vec![],
            library: None,
            workers: s.workers,
            threads_per_worker: s.threads_per_worker,
            inferences: 0,
            inference_ms: 0.0,
            cameras: self.detection_camera_stats(),
        };
        if let Ok(state) = self.inner.detection.state.lock() {
            match &*state {
                ServiceState::Starting => st.state = "starting".into(),
                ServiceState::Disabled => {}
                ServiceState::Unavailable { code, message } => {
                    st.state = "unavailable".into();
                    st.code = Some(*code);
                    st.message = Some(message.clone());
                }
                ServiceState::Ready(p) => {
                    st.state = "ready".into();
                    st.model = Some(p.model_name().to_string());
                    st.labels = p.labels().to_vec();
                    st.library = Some(p.library().display().to_string());
                    let (n, mean) = p.inference_stats();
                    st.inferences = n;
                    st.inference_ms = mean;
                }
            }
        }
        st
    }

    fn detection_camera_stats(&self) -> Vec<CameraDetectionStats> {
        let Ok(w) = self.inner.detection.workers.lock() else {
            return vec![];
        };
        let mut v: Vec<_> = w.values().map(|w| w.stats()).collect();
        v.sort_by_key(|s| s.camera_id);
        v
    }

    /// The camera's detection settings (defaults if never set).
    pub async fn camera_detection(&self, camera_id: i64) -> Result<CameraDetection> {
        self.get_camera(camera_id).await?;
        self.db().read(move |c| load_settings(c, camera_id)).await
    }

    /// Replace the camera's detection settings; a running detector picks them up.
    pub async fn set_camera_detection(
        &self,
        camera_id: i64,
        settings: CameraDetection,
    ) -> Result<CameraDetection> {
        settings.validate()?;
        let cam = self.get_camera(camera_id).await?;
        let row = q::SettingsRow {
            camera_id,
            substream_url: settings.substream_url.clone(),
            filter_json: serde_json::to_string(&settings.filter)
                .map_err(|e| err!(Internal, "encoding a filter: {e}"))?,
            updated_at_ms: self.now_ms(),
        };
        self.db().write(move |c| q::put_settings(c, &row)).await?;
        tracing::info!(
            camera_id,
            substream = ?settings.substream_url.as_deref().map(mask_url),
            zones = settings.filter.zones.len(),
            "detection settings changed"
        );
        self.events().publish(
            Event::new("camera:detection", Some(camera_id), self.now_ms())
                .with("detection", &settings),
        );
        let e = self.clone();
        let _ = tokio::task::spawn_blocking(move || e.sync_stream(&cam)).await;
        Ok(settings)
    }

    /// Start, restart or stop the camera's detector to match its settings. Called with the
    /// camera's supervisor running (or about to stop).
    pub(crate) fn sync_detection(
        &self,
        cam: &crate::cameras::Camera,
        supervisor: Option<&vigil_ingest::CameraSupervisor>,
    ) {
        let want = cam.enabled && cam.detection_enabled && supervisor.is_some();
        let pool = if want { self.detection_pool() } else { None };
        let settings = match pool {
            Some(_) => match self.db().read_blocking(|c| load_settings(c, cam.id)) {
                Ok(s) => Some(s),
                Err(e) => {
                    tracing::warn!(camera_id = cam.id, error = %e, "detection settings unreadable");
                    None
                }
            },
            None => None,
        };
        let fp = settings.as_ref().map(|s| s.fingerprint(cam.detect_fps));
        let old = {
            let Ok(mut workers) = self.inner.detection.workers.lock() else {
                return;
            };
            if let (Some(fp), Some(w)) = (&fp, workers.get(&cam.id))
                && w.fingerprint() == fp
                && w.is_running()
            {
                return;
            }
            workers.remove(&cam.id)
        };
        if let Some(w) = old {
            w.stop();
        }
        let (Some(pool), Some(settings), Some(fp), Some(sup)) =
            (self.detection_pool(), settings, fp, supervisor)
        else {
            return;
        };
        match camera::CameraWorker::start(self, cam, settings, fp, pool, sup) {
            Ok(w) => {
                if let Ok(mut workers) = self.inner.detection.workers.lock() {
                    workers.insert(cam.id, w);
                }
            }
            Err(e) => tracing::warn!(camera_id = cam.id, error = %e, "detection not started"),
        }
    }

    /// Stop the camera's detector (its tracks end).
    pub(crate) fn stop_detection(&self, camera_id: i64) {
        let w = self
            .inner
            .detection
            .workers
            .lock()
            .ok()
            .and_then(|mut m| m.remove(&camera_id));
        if let Some(w) = w {
            w.stop();
        }
    }

    /// Where annotated snapshots are kept.
    pub fn snapshots_dir(&self) -> PathBuf {
        self.data_dir().join("snapshots")
    }
}

fn load_settings(c: &vigil_db::rusqlite::Connection, camera_id: i64) -> Result<CameraDetection> {
    match q::get_settings(c, camera_id)? {
        None => Ok(CameraDetection::default()),
        Some(row) => Ok(CameraDetection {
            substream_url: row.substream_url,
            filter: serde_json::from_str(&row.filter_json)
                .map_err(|e| err!(Internal, "camera {camera_id} has a corrupt filter: {e}"))?,
        }),
    }
}

fn load_pool(settings: &DetectionSettings) -> Result<Pool> {
    let runtime = vigil_detect::Runtime::init(&settings.runtime_options())?;
    let path = settings.model_path().ok_or_else(|| {
        err!(
            Unavailable,
            code = ModelUnavailable,
            "no model config: models/nanodet.toml was not found beside the executable; set VIGIL_MODEL"
        )
    })?;
    let config = ModelConfig::from_file(&path)?;
    Pool::start(settings, &runtime, &config)
}

/// The path of a snapshot below `dir`, refusing anything that is not a plain relative path
/// (rows are written by Vigil, but a database is a file someone could edit).
pub(crate) fn snapshot_path(dir: &Path, rel: &str) -> Option<PathBuf> {
    let p = Path::new(rel);
    let plain = p
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    (plain && !rel.is_empty()).then(|| dir.join(p))
}

pub use query::{DetectionQuery, EventQuery};
pub use store::{DetectionEventView, DetectionView};
