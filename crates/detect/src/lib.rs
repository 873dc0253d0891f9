//! Object detection core of Vigil (issue 5, the model side): loading ONNX Runtime safely, model
//! configs for the output formats users bring (NanoDet/GFL, CenterNet `[1,100,6]`, TF SSD,
//! YOLO v8/v9/v11), preprocessing, decoding and NMS, and the geometry of per-camera filters.
//! No engine, database or API here: callers feed RGB frames and get [`Detection`]s back.
//!
//! ```no_run
//! use vigil_detect::{Detector, ModelConfig, Runtime, RuntimeOptions};
//! # fn main() -> vigil_base::Result<()> {
//! let runtime = Runtime::init(&RuntimeOptions::default())?; // Unavailable/DETECTION_UNAVAILABLE if missing
//! let config = ModelConfig::from_file("models/nanodet.toml")?;
//! let detector = Detector::load(&config, &runtime, 2)?;
//! let frame = image::RgbImage::new(640, 480);
//! for d in detector.detect(&frame)? {
//!     println!("{} {:.2} {:?}", d.label, d.score, d.bbox);
//! }
//! # Ok(()) }
//! ```

pub mod annotate;
pub mod config;
pub mod decode;
mod detector;
pub mod filter;
pub mod geometry;
pub mod labels;
pub mod motion;
pub mod preprocess;
pub mod runtime;
pub mod track;

pub use config::{ColorOrder, DType, InputSpec, Layout, ModelConfig, OutputFormat, ResizeMode};
pub use detector::{Detection, Detector, Timings};
pub use filter::{Anchor, Filter, Rejection, Zone, ZoneMode};
pub use geometry::{BBox, nms_per_class, point_in_polygon};
pub use motion::{MotionConfig, MotionGate, MotionResult};
pub use preprocess::{FrameRef, Transform};
pub use runtime::{LibraryInfo, ORT_VERSION, Runtime, RuntimeOptions};
pub use track::{Sighting, Track, Tracker, TrackerConfig};

// Error codes (`vigil_base::ErrorCode`): `DetectionUnavailable` (ONNX Runtime missing,
// unloadable or of the wrong version; kind `Unavailable`), `ModelUnavailable` (a model file
// missing, unloadable or not matching its config; `Unavailable`), `ModelConfigInvalid` (a
// malformed model config; `InvalidArgument`), `DetectionFailed` (a run failed; `Internal`).
