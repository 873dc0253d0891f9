//! Object detection in the engine: the service (ONNX Runtime, the model and a pool of inference
//! threads, or the reason it is unavailable), each running camera's detector (from
//! `vigil-pipeline`) with its sub-stream connection if it reads one, the sink the pipeline
//! reports to (`sink.rs`: rows, snapshots, events, alerts), per-camera settings, and the queries
//! behind `/detections`, `/detection-events` and snapshots (`query.rs`).

mod query;
mod sink;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use vigil_base::{Clock, ErrorCode, Result};
use vigil_db::Database;
use vigil_db::detections as q;
use vigil_ingest::CameraSupervisor;
use vigil_pipeline::{CameraDetector, DetectorSpec, PipelineConfig, Pool};

use crate::alerts::{AlertKind, AlertService, NewAlert};
use crate::cameras::Camera;
use crate::events::{EventBody, EventBus};
pub(crate) use query::{stored_detection, stored_event};
use vigil_cameras::settings::load_settings;
pub use vigil_cameras::settings::{CameraDetection, DEFAULT_LABELS, DEFAULT_MIN_SCORE};
pub use vigil_db::detections::{DetectionQuery, EventQuery};
pub use vigil_pipeline::CameraDetectionStats;
pub use vigil_pipeline::{DetectionStatus, StoredDetection, StoredEvent};

/// The service: loaded once at start; unavailable with a reason when it cannot load.
enum ServiceState {
    /// Loading (or not asked to load yet).
    Starting,
    Disabled,
    Unavailable {
        code: ErrorCode,
        message: String,
    },
    Ready(Arc<Pool>),
}

/// A running camera's detector and what it was started with.
struct Attached {
    detector: CameraDetector,
    /// The settings it runs with; a change restarts it.
    fingerprint: String,
}

impl Attached {
    fn stop(self) {
        self.detector.stop();
    }
}

/// How a camera's detector gets its video: the camera's sub-stream connection when it has one
/// (shared with live view's grid tiles), else its main one.
pub struct DetectorFeed<'a> {
    pub main: &'a CameraSupervisor,
    pub sub: Option<&'a CameraSupervisor>,
}

/// Object detection: the inference pool and every camera's detector.
pub struct DetectionService {
    config: PipelineConfig,
    db: Database,
    events: EventBus,
    clock: Arc<dyn Clock>,
    alerts: Arc<AlertService>,
    snapshots: PathBuf,
    state: Mutex<ServiceState>,
    detectors: Mutex<HashMap<i64, Attached>>,
}

impl DetectionService {
    pub fn new(
        config: PipelineConfig,
        db: Database,
        events: EventBus,
        clock: Arc<dyn Clock>,
        alerts: Arc<AlertService>,
        snapshots: PathBuf,
    ) -> DetectionService {
        DetectionService {
            config,
            db,
            events,
            clock,
            alerts,
            snapshots,
            state: Mutex::new(ServiceState::Starting),
            detectors: Mutex::default(),
        }
    }

    /// Where annotated snapshots are kept.
    pub fn snapshots_dir(&self) -> &Path {
        &self.snapshots
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, ServiceState> {
        // Plain data behind the lock: a panic elsewhere cannot leave it half-changed.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock_detectors(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Attached>> {
        self.detectors.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Load ONNX Runtime and the model and start the inference pool (blocking and slow: call
    /// from a blocking thread; the caller then attaches the running cameras). A failure is
    /// reported (status, one alert, one log line) and everything else keeps running.
    pub fn load(&self) {
        let state = if !self.config.enabled {
            tracing::info!("object detection is turned off");
            ServiceState::Disabled
        } else {
            match self.config.load_pool() {
                Ok(pool) => {
                    tracing::info!(
                        model = %pool.model_name(),
                        library = %pool.library().display(),
                        workers = self.config.workers,
                        threads = self.config.threads_per_worker,
                        "object detection ready"
                    );
                    ServiceState::Ready(Arc::new(pool))
                }
                Err(e) => {
                    tracing::warn!(code = %e.code(), "object detection unavailable: {e}");
                    let (code, message) = (e.code(), e.message().to_string());
                    self.alerts.raise(NewAlert {
                        kind: AlertKind::DetectionUnavailable,
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
        *self.lock_state() = state;
        self.events.emit(
            None,
            EventBody::DetectionStatusChanged {
                status: Box::new(self.status()),
            },
        );
    }

    fn pool(&self) -> Option<Arc<Pool>> {
        match &*self.lock_state() {
            ServiceState::Ready(p) => Some(p.clone()),
            _ => None,
        }
    }

    pub fn status(&self) -> DetectionStatus {
        let s = &self.config;
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
            cameras: self.camera_stats(),
        };
        match &*self.lock_state() {
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
        st
    }

    /// Every detector's counters, by camera.
    pub fn camera_stats(&self) -> Vec<CameraDetectionStats> {
        let mut v: Vec<_> = self
            .lock_detectors()
            .values()
            .map(|a| a.detector.stats())
            .collect();
        v.sort_by_key(|s| s.camera_id);
        v
    }

    /// Start, restart or stop the camera's detector to match its settings (blocking). `feed` is
    /// `None` when the camera does not stream.
    pub fn sync(&self, cam: &Camera, feed: Option<DetectorFeed<'_>>) {
        let want = cam.enabled && cam.detection_enabled && feed.is_some();
        let pool = if want { self.pool() } else { None };
        let settings = match pool {
            Some(_) => match self.db.read_blocking(|c| load_settings(c, cam.id)) {
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
            let mut detectors = self.lock_detectors();
            if let (Some(fp), Some(a)) = (&fp, detectors.get(&cam.id))
                && a.fingerprint == *fp
                && a.detector.is_running()
            {
                return;
            }
            detectors.remove(&cam.id)
        };
        if let Some(a) = old {
            a.stop();
        }
        let (Some(pool), Some(settings), Some(fingerprint), Some(feed)) =
            (pool, settings, fp, feed)
        else {
            return;
        };
        // Detection does not need live latency: it takes the recorder's pacing (reads every
        // 200 ms), so a camera nobody watches is not read packet by packet because of it.
        let rx = feed
            .sub
            .unwrap_or(feed.main)
            .subscribe_with_gop("detect", 256);
        let spec = DetectorSpec {
            camera_id: cam.id,
            fps: u32::from(cam.detect_fps.max(1)),
            filter: settings.filter,
            substream: feed.sub.is_some(),
        };
        let sink = Arc::new(sink::EngineSink::new(
            cam,
            self.db.clone(),
            self.events.clone(),
            self.alerts.clone(),
            self.snapshots.clone(),
        ));
        match CameraDetector::start(spec, &self.config, pool, rx, sink, self.clock.clone()) {
            Ok(detector) => {
                self.lock_detectors().insert(
                    cam.id,
                    Attached {
                        detector,
                        fingerprint,
                    },
                );
            }
            Err(e) => tracing::warn!(camera_id = cam.id, error = %e, "detection not started"),
        }
    }

    /// Stop the camera's detector (its tracks end).
    pub fn stop(&self, camera_id: i64) {
        let a = self.lock_detectors().remove(&camera_id);
        if let Some(a) = a {
            a.stop();
        }
    }

    /// Stop every detector (shutting down).
    pub fn stop_all(&self) {
        let all: Vec<Attached> = self.lock_detectors().drain().map(|(_, a)| a).collect();
        for a in all {
            a.stop();
        }
    }

    /// Delete what detection stored before `before_ms`, in batches (each its own short
    /// transaction); returns the detections deleted. Blocking.
    pub fn prune(&self, before_ms: i64) -> Result<usize> {
        const BATCH: i64 = 5_000;
        let mut total = 0;
        for _ in 0..200 {
            let (deleted, paths) = self
                .db
                .write_blocking(move |c| q::prune(c, before_ms, BATCH))?;
            total += deleted;
            for rel in &paths {
                if let Some(p) = snapshot_path(&self.snapshots, rel) {
                    let _ = std::fs::remove_file(&p);
                    // The day's directory goes with its last picture.
                    if let Some(parent) = p.parent() {
                        let _ = std::fs::remove_dir(parent);
                    }
                }
            }
            if (deleted as i64) < BATCH {
                break;
            }
        }
        Ok(total)
    }
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
