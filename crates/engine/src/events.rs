//! The event bus and the one typed enum of everything it carries. Each variant is one message on
//! `/api/v1/events`, `{"type": "camera:created", "camera_id": …, "at": …, …fields}`; the enum is
//! exported through OpenAPI and generated into a TypeScript union the UI switches on, so neither
//! side matches event names or fields by hand. A slow subscriber misses old events (it is told
//! how many) and never holds up the publisher.

use std::sync::Arc;

use serde::Serialize;
use tokio::sync::broadcast;
use utoipa::ToSchema;

use crate::alerts::Alert;
use crate::bookmarks::Bookmark;
use crate::cameras::{Camera, CameraStatus};
use crate::detection::{CameraDetection, DetectionEventView, DetectionStatus, DetectionView};
use crate::live::ViewerCounts;

/// One event: when and about which camera, and what happened.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Event {
    /// The camera it is about, if any.
    pub camera_id: Option<i64>,
    /// RFC 3339 UTC with milliseconds.
    pub at: String,
    #[serde(flatten)]
    pub body: EventBody,
}

/// What happened, tagged by `type`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(tag = "type")]
pub enum EventBody {
    /// The events socket is authenticated and subscribed (sent first).
    #[serde(rename = "hello")]
    Hello {},
    /// The answer to a `{"type":"ping"}`.
    #[serde(rename = "pong")]
    Pong {},
    /// This subscriber fell behind and missed `missed` events: refetch what it shows.
    #[serde(rename = "events:lagged")]
    EventsLagged { missed: u64 },
    #[serde(rename = "camera:created")]
    CameraCreated { camera: Box<Camera> },
    #[serde(rename = "camera:updated")]
    CameraUpdated { camera: Box<Camera> },
    #[serde(rename = "camera:deleted")]
    CameraDeleted {},
    /// The camera's stream changed state; `detail` says why (an error, the session's streams).
    #[serde(rename = "stream:status")]
    StreamStatus {
        status: CameraStatus,
        detail: Option<String>,
    },
    /// Every few seconds per running camera: rates since the last one.
    #[serde(rename = "stream:heartbeat")]
    StreamHeartbeat(Box<Heartbeat>),
    /// A segment began (`start` RFC 3339).
    #[serde(rename = "recording:started")]
    RecordingStarted { recording_id: i64, start: String },
    /// A segment is complete and indexed.
    #[serde(rename = "recording:segment")]
    RecordingSegment {
        recording_id: i64,
        start: String,
        end: String,
        bytes: u64,
    },
    /// The recorder could not write; `storage_full` when the disk is full.
    #[serde(rename = "recording:failed")]
    RecordingFailed { message: String, storage_full: bool },
    /// The wall clock jumped by `jump_ms`; segment times were kept monotonic.
    #[serde(rename = "recording:clock_jump")]
    RecordingClockJump { jump_ms: i64 },
    #[serde(rename = "recording:deleted")]
    RecordingDeleted { recording_id: i64 },
    /// An export's progress, 0.0–1.0.
    #[serde(rename = "export:progress")]
    ExportProgress { export_id: u64, progress: f64 },
    #[serde(rename = "export:done")]
    ExportDone { export_id: u64, bytes: Option<u64> },
    #[serde(rename = "export:failed")]
    ExportFailed { export_id: u64, error: String },
    /// A sighting was stored; `latency_ms` from the frame to its row.
    #[serde(rename = "detection")]
    Detection {
        detection: Box<DetectionView>,
        latency_ms: i64,
    },
    #[serde(rename = "detection_event:start")]
    DetectionEventStart { event: Box<DetectionEventView> },
    #[serde(rename = "detection_event:end")]
    DetectionEventEnd { event: Box<DetectionEventView> },
    /// Detection's state changed (loaded, unavailable).
    #[serde(rename = "detection:status")]
    DetectionStatusChanged { status: Box<DetectionStatus> },
    /// A camera's detection settings changed.
    #[serde(rename = "camera:detection")]
    CameraDetectionChanged { detection: Box<CameraDetection> },
    #[serde(rename = "alert")]
    Alert {
        alert: Box<Alert>,
        camera_name: Option<String>,
    },
    #[serde(rename = "alert:acknowledged")]
    AlertAcknowledged { alert: Box<Alert> },
    /// Someone clicked the desktop notification of `alert_id`.
    #[serde(rename = "notification:clicked")]
    NotificationClicked { alert_id: i64 },
    #[serde(rename = "bookmark:created")]
    BookmarkCreated { bookmark: Box<Bookmark> },
    #[serde(rename = "bookmark:deleted")]
    BookmarkDeleted { bookmark_id: i64 },
    /// A layout of `owner` was saved or deleted.
    #[serde(rename = "layout:saved")]
    LayoutSaved { layout_id: i64, owner: String },
    #[serde(rename = "layout:deleted")]
    LayoutDeleted { layout_id: i64, owner: String },
}

/// `stream:heartbeat`: a running camera's rates over the last interval.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Heartbeat {
    pub status: CameraStatus,
    pub fps: f64,
    pub bitrate_kbps: f64,
    /// Packets dropped by any of its consumers so far.
    pub dropped_frames: u64,
    /// `WIDTHxHEIGHT`.
    pub resolution: String,
    pub codec: Option<String>,
    pub recording_segments: u64,
    pub viewers: ViewerCounts,
}

impl EventBody {
    /// The wire name, `camera:created` etc.
    pub fn name(&self) -> &'static str {
        match self {
            EventBody::Hello {} => "hello",
            EventBody::Pong {} => "pong",
            EventBody::EventsLagged { .. } => "events:lagged",
            EventBody::CameraCreated { .. } => "camera:created",
            EventBody::CameraUpdated { .. } => "camera:updated",
            EventBody::CameraDeleted {} => "camera:deleted",
            EventBody::StreamStatus { .. } => "stream:status",
            EventBody::StreamHeartbeat(_) => "stream:heartbeat",
            EventBody::RecordingStarted { .. } => "recording:started",
            EventBody::RecordingSegment { .. } => "recording:segment",
            EventBody::RecordingFailed { .. } => "recording:failed",
            EventBody::RecordingClockJump { .. } => "recording:clock_jump",
            EventBody::RecordingDeleted { .. } => "recording:deleted",
            EventBody::ExportProgress { .. } => "export:progress",
            EventBody::ExportDone { .. } => "export:done",
            EventBody::ExportFailed { .. } => "export:failed",
            EventBody::Detection { .. } => "detection",
            EventBody::DetectionEventStart { .. } => "detection_event:start",
            EventBody::DetectionEventEnd { .. } => "detection_event:end",
            EventBody::DetectionStatusChanged { .. } => "detection:status",
            EventBody::CameraDetectionChanged { .. } => "camera:detection",
            EventBody::Alert { .. } => "alert",
            EventBody::AlertAcknowledged { .. } => "alert:acknowledged",
            EventBody::NotificationClicked { .. } => "notification:clicked",
            EventBody::BookmarkCreated { .. } => "bookmark:created",
            EventBody::BookmarkDeleted { .. } => "bookmark:deleted",
            EventBody::LayoutSaved { .. } => "layout:saved",
            EventBody::LayoutDeleted { .. } => "layout:deleted",
        }
    }
}

impl Event {
    pub fn new(camera_id: Option<i64>, at_ms: i64, body: EventBody) -> Self {
        Event {
            camera_id,
            at: vigil_base::format_rfc3339_ms(at_ms),
            body,
        }
    }

    /// The wire name of the event.
    pub fn name(&self) -> &'static str {
        self.body.name()
    }
}

/// The bus: a broadcast channel of [`Event`]s.
#[derive(Clone)]
pub struct EventBus {
    tx: broadcast::Sender<Arc<Event>>,
    clock: Arc<dyn vigil_base::Clock>,
}

impl EventBus {
    pub fn new(capacity: usize, clock: Arc<dyn vigil_base::Clock>) -> Self {
        let (tx, _) = broadcast::channel(capacity);
        EventBus { tx, clock }
    }

    /// Publish `body` about `camera_id`, stamped now.
    pub fn emit(&self, camera_id: Option<i64>, body: EventBody) {
        self.publish(Event::new(camera_id, self.clock.now_ms(), body));
    }

    pub fn publish(&self, event: Event) {
        tracing::debug!(kind = event.name(), camera_id = ?event.camera_id, "event");
        // No subscribers is fine: nobody is listening.
        let _ = self.tx.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }

    pub fn subscriber_count(&self) -> usize {
        self.tx.receiver_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn subscribers_get_events_and_laggers_are_told() {
        let bus = EventBus::new(2, Arc::new(vigil_base::SimulatedClock::new(0)));
        let mut rx = bus.subscribe();
        for i in 0..4 {
            bus.emit(Some(i), EventBody::RecordingDeleted { recording_id: i });
        }
        match rx.recv().await {
            Err(broadcast::error::RecvError::Lagged(n)) => assert_eq!(n, 2),
            other => panic!("expected lag, got {other:?}"),
        }
        let e = rx.recv().await.unwrap();
        assert_eq!(e.camera_id, Some(2));
        let json = serde_json::to_value(&*e).unwrap();
        assert_eq!(json["type"], "recording:deleted");
        assert_eq!(json["recording_id"], 2);
        assert_eq!(json["at"], "1970-01-01T00:00:00.000Z");
        assert_eq!(e.name(), "recording:deleted");
    }

    #[test]
    fn every_name_matches_its_serde_tag() {
        let samples = [
            EventBody::Hello {},
            EventBody::CameraDeleted {},
            EventBody::StreamStatus {
                status: CameraStatus::Running,
                detail: None,
            },
            EventBody::ExportProgress {
                export_id: 1,
                progress: 0.5,
            },
            EventBody::NotificationClicked { alert_id: 3 },
            EventBody::LayoutDeleted {
                layout_id: 1,
                owner: "desk".into(),
            },
        ];
        for b in samples {
            let v = serde_json::to_value(&b).unwrap();
            assert_eq!(v["type"], b.name());
        }
    }
}
