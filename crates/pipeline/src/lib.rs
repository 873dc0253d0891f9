//! The detection pipeline, per camera and shared: a camera's feed (its own bounded queue; a slow
//! detector drops its own packets, never the recorder's) → decode (`vigil_media`) → pace to
//! `detect_fps` → motion gate on the luma plane → RGB → the shared inference [`Pool`] (at most
//! `max_pending_per_camera` frames per camera in flight) → filter → tracker → what to keep,
//! reported through [`DetectionSink`], which the engine implements (rows, snapshots, events,
//! alerts). This crate knows no database, no event bus and no HTTP.
//!
//! ```text
//! let pool = Arc::new(config.load_pool()?);          // ONNX Runtime + the model, once
//! let det = CameraDetector::start(spec, &config, pool, feed, sink, clock)?;
//! det.stats();                                       // counters for status and metrics
//! det.stop();                                        // its open events end
//! ```

mod config;
mod pool;
mod report;
mod stored;
mod tracking;
mod worker;

pub use config::PipelineConfig;
pub use pool::Pool;
pub use report::{DetectionSink, EventReport, FrameReport, SightingReport, StoredFrame};
pub use stored::{DetectionStatus, StoredDetection, StoredEvent};
pub use tracking::Tracking;
pub use worker::{CameraDetectionStats, CameraDetector, DetectorSpec};
