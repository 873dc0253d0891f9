//! What the pipeline's reports become once stored, as the event bus and the API show them: a
//! sighting, a tracked object's event, and the pipeline's status. Plain data: the engine builds
//! them from its rows.

use serde::Serialize;
use utoipa::ToSchema;

/// A stored sighting.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredDetection {
    pub id: i64,
    pub camera_id: i64,
    pub event_id: Option<i64>,
    pub at_ms: i64,
    pub label: String,
    pub score: f64,
    /// `[x, y, width, height]` as fractions of the frame.
    pub bbox: [f64; 4],
    /// A snapshot was kept with it.
    pub has_snapshot: bool,
    pub metadata: serde_json::Value,
}

/// A tracked object's event.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredEvent {
    pub id: i64,
    pub camera_id: i64,
    pub label: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub ongoing: bool,
    pub top_score: f64,
    pub detections: i64,
    /// The stored sighting with the best picture.
    pub best_detection_id: Option<i64>,
    pub zones: Vec<String>,
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
    pub cameras: Vec<crate::CameraDetectionStats>,
}
