//! What the pipeline tells its owner, and the small trait through which it does: the engine
//! implements [`DetectionSink`] to keep snapshots, write rows, publish events and raise alerts.
//! The pipeline decides *what* is kept (which sightings, which pictures, when an event starts and
//! ends); the sink decides *how* (database, files, event bus), so the pipeline knows no database.

use vigil_base::Result;

/// Where a camera's detector reports. Called from the detector's own thread; may block briefly
/// (a database write), never for long.
pub trait DetectionSink: Send + Sync + 'static {
    /// Keep the annotated picture of the frame at `at_ms` (a JPEG); its name for the rows, or
    /// `None` if it could not be kept (a full disk loses the picture, not the detection).
    fn snapshot(&self, camera_id: i64, at_ms: i64, jpeg: Vec<u8>) -> Option<String>;

    /// Store one frame's sightings and the events they start or extend, all or nothing.
    fn frame(&self, report: FrameReport) -> Result<StoredFrame>;

    /// A tracked object is gone: its event ends.
    fn event_ended(&self, event: EventReport) -> Result<()>;
}

/// One analysed frame's sightings worth keeping.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameReport {
    pub camera_id: i64,
    /// Wall time of the frame (its packet's arrival).
    pub at_ms: i64,
    /// When the model's answer came (for the frame-to-answer latency).
    pub answered_ms: i64,
    /// Size of the analysed frame.
    pub frame: (u32, u32),
    pub sightings: Vec<SightingReport>,
}

/// One object seen in a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct SightingReport {
    pub track_id: u64,
    pub label: String,
    pub class_id: u32,
    pub score: f32,
    /// `[x, y, width, height]` as fractions of the frame.
    pub bbox: [f64; 4],
    /// Zones the object is in (every zone it was ever in, for its event).
    pub zones: Vec<String>,
    /// The frame's snapshot shows this sighting.
    pub snapshot: Option<String>,
    /// The track's event as it stands after this sighting (none before the track is confirmed).
    pub event: Option<EventReport>,
    /// The event starts with this sighting: link these earlier sightings (ids) and this one.
    pub starts_event: bool,
    pub link_earlier: Vec<i64>,
    /// This sighting becomes the event's best picture.
    pub best: bool,
}

/// A tracked object's event.
#[derive(Clone, Debug, PartialEq)]
pub struct EventReport {
    /// `None` until stored (an event starting in this frame).
    pub id: Option<i64>,
    pub camera_id: i64,
    pub label: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub ongoing: bool,
    pub top_score: f32,
    /// Sightings stored for it (counting this frame's).
    pub detections: i64,
    /// The stored sighting with the best picture so far (before this frame's).
    pub best_detection_id: Option<i64>,
    pub zones: Vec<String>,
}

/// What storing a frame gave: the id of each sighting, and of each event started, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StoredFrame {
    pub detection_ids: Vec<i64>,
    /// Per sighting: the id of the event it started, if it started one.
    pub started_events: Vec<Option<i64>>,
}
