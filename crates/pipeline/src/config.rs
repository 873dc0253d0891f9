//! Engine-wide detection settings (model, runtime, inference threads, pacing, snapshots) and
//! loading what they name: ONNX Runtime, the model config and the inference pool.

use std::path::PathBuf;

use vigil_base::{Result, err};
use vigil_detect::{ModelConfig, MotionConfig, RuntimeOptions, TrackerConfig};

use crate::pool::Pool;

/// Engine-wide detection settings.
#[derive(Clone, Debug)]
pub struct PipelineConfig {
    /// Detection at all (`VIGIL_DETECTION=off` turns it off).
    pub enabled: bool,
    /// The model's config (`*.toml`); None: `models/nanodet.toml` found beside the executable
    /// or in a parent directory of it (the repository in development).
    pub model: Option<PathBuf>,
    /// Where ONNX Runtime is (a configured path, `ORT_DYLIB_PATH`, beside the executable, then
    /// `search_dirs`; `.cache/onnxruntime` of a parent directory is added).
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

impl Default for PipelineConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PipelineConfig {
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

impl PipelineConfig {
    /// The model config to load.
    pub fn model_path(&self) -> Option<PathBuf> {
        self.model
            .clone()
            .or_else(|| find_upwards("models/nanodet.toml"))
            // Installed (the .deb): /usr/bin/vigil finds /usr/share/vigil/models.
            .or_else(|| find_upwards("share/vigil/models/nanodet.toml"))
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

    /// Load ONNX Runtime and the model and start the inference pool (blocking; slow). The error
    /// says what is missing (`DetectionUnavailable`, `ModelUnavailable`, `ModelConfigInvalid`).
    pub fn load_pool(&self) -> Result<Pool> {
        let runtime = vigil_detect::Runtime::init(&self.runtime_options())?;
        let path = self.model_path().ok_or_else(|| {
            err!(
                Unavailable,
                code = ModelUnavailable,
                "no model config: models/nanodet.toml was not found beside the executable; set VIGIL_MODEL"
            )
        })?;
        let config = ModelConfig::from_file(&path)?;
        Pool::start(self, &runtime, &config)
    }

    /// The look interval at `idle_fps`.
    pub(crate) fn base_idle_interval(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f32(1.0 / self.idle_fps.max(0.01))
    }
}
