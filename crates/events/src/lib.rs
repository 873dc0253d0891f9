//! The event bus and the one typed enum of everything it carries: every change the UI or an
//! integration may care about. A slow subscriber misses old events (it is told how many) and
//! never holds up the publisher. The API turns each into its wire form (`vigil_api`'s event
//! union, exported through OpenAPI and generated into the TypeScript union the UI switches on);
//! the desktop shell matches the variants directly.

use std::sync::Arc;

use tokio::sync::broadcast;

use vigil_alerts::Alert;
use vigil_cameras::settings::CameraDetection;
use vigil_cameras::{Camera, CameraStatus};
use vigil_desk::bookmarks::Bookmark;
use vigil_live::ViewerCounts;
use vigil_pipeline::{DetectionStatus, StoredDetection, StoredEvent};

/// One event: when, about which camera, and what happened.
#[derive(Clone, Debug)]
pub struct Event {
    /// The camera it is about, if any.
    pub camera_id: Option<i64>,
    pub at_ms: i64,
    pub body: EventBody,
}

/// What happened.
#[derive(Clone, Debug)]
pub enum EventBody {
    CameraCreated {
        camera: Box<Camera>,
    },
    CameraUpdated {
        camera: Box<Camera>,
    },
    CameraDeleted,
    /// The camera's stream changed state; `detail` says why (an error, the session's streams).
    StreamStatus {
        status: CameraStatus,
        detail: Option<String>,
    },
    /// Every few seconds per running camera: rates since the last one.
    StreamHeartbeat(Box<Heartbeat>),
    RecordingStarted {
        recording_id: i64,
        start_ms: i64,
    },
    /// A segment is complete and indexed.
    RecordingSegment {
        recording_id: i64,
        start_ms: i64,
        end_ms: i64,
        bytes: u64,
    },
    /// The recorder could not write; `storage_full` when the disk is full.
    RecordingFailed {
        message: String,
        storage_full: bool,
    },
    /// The wall clock jumped by `jump_ms`; segment times were kept monotonic.
    RecordingClockJump {
        jump_ms: i64,
    },
    RecordingDeleted {
        recording_id: i64,
    },
    /// The mover moved a segment to another tier.
    StorageMoved {
        recording_id: i64,
        from_tier: String,
        to_tier: String,
        reason: vigil_db::storage::Reason,
        bytes: u64,
    },
    /// A segment was deleted by retention, free space, age or by hand.
    StorageDeleted {
        recording_id: i64,
        tier: String,
        reason: vigil_db::storage::Reason,
        bytes: u64,
    },
    StorageTierOffline {
        tier: String,
        reason: String,
    },
    StorageTierOnline {
        tier: String,
    },
    ExportProgress {
        export_id: u64,
        progress: f64,
    },
    ExportDone {
        export_id: u64,
        bytes: Option<u64>,
    },
    ExportFailed {
        export_id: u64,
        error: String,
    },
    /// A sighting was stored, `latency_ms` after its frame.
    Detection {
        detection: Box<StoredDetection>,
        latency_ms: i64,
    },
    DetectionEventStart {
        event: Box<StoredEvent>,
    },
    DetectionEventEnd {
        event: Box<StoredEvent>,
    },
    /// Detection's state changed (loaded, unavailable).
    DetectionStatusChanged {
        status: Box<DetectionStatus>,
    },
    /// A camera's detection settings changed.
    CameraDetectionChanged {
        detection: Box<CameraDetection>,
    },
    Alert {
        alert: Box<Alert>,
        camera_name: Option<String>,
    },
    AlertAcknowledged {
        alert: Box<Alert>,
    },
    /// An incident grew or ended, or a condition cleared: the alert as it is now.
    AlertUpdated {
        alert: Box<Alert>,
    },
    /// Someone clicked the desktop notification of `alert_id`.
    NotificationClicked {
        alert_id: i64,
    },
    BookmarkCreated {
        bookmark: Box<Bookmark>,
    },
    BookmarkDeleted {
        bookmark_id: i64,
    },
    /// A layout of `owner` was saved or deleted.
    LayoutSaved {
        layout_id: i64,
        owner: String,
    },
    LayoutDeleted {
        layout_id: i64,
        owner: String,
    },
    /// A device answered a discovery scan; `camera_id`: it already is that camera here.
    DiscoveryFound {
        scan_id: u64,
        device: Box<vigil_onvif::discovery::Found>,
        camera_id: Option<i64>,
    },
    /// A discovery scan ended: `found` devices, or `error` if it could not probe at all.
    DiscoveryDone {
        scan_id: u64,
        found: usize,
        error: Option<String>,
    },
}

/// `stream:heartbeat`: a running camera's rates over the last interval.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
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
            EventBody::CameraCreated { .. } => "camera:created",
            EventBody::CameraUpdated { .. } => "camera:updated",
            EventBody::CameraDeleted => "camera:deleted",
            EventBody::StreamStatus { .. } => "stream:status",
            EventBody::StreamHeartbeat(_) => "stream:heartbeat",
            EventBody::RecordingStarted { .. } => "recording:started",
            EventBody::RecordingSegment { .. } => "recording:segment",
            EventBody::RecordingFailed { .. } => "recording:failed",
            EventBody::RecordingClockJump { .. } => "recording:clock_jump",
            EventBody::RecordingDeleted { .. } => "recording:deleted",
            EventBody::StorageMoved { .. } => "storage:moved",
            EventBody::StorageDeleted { .. } => "storage:deleted",
            EventBody::StorageTierOffline { .. } => "storage:tier_offline",
            EventBody::StorageTierOnline { .. } => "storage:tier_online",
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
            EventBody::AlertUpdated { .. } => "alert:updated",
            EventBody::NotificationClicked { .. } => "notification:clicked",
            EventBody::BookmarkCreated { .. } => "bookmark:created",
            EventBody::BookmarkDeleted { .. } => "bookmark:deleted",
            EventBody::LayoutSaved { .. } => "layout:saved",
            EventBody::LayoutDeleted { .. } => "layout:deleted",
            EventBody::DiscoveryFound { .. } => "discovery:found",
            EventBody::DiscoveryDone { .. } => "discovery:done",
        }
    }
}

impl Event {
    pub fn new(camera_id: Option<i64>, at_ms: i64, body: EventBody) -> Self {
        Event {
            camera_id,
            at_ms,
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
        let bus = EventBus::new(2, Arc::new(vigil_base::SimulatedClock::new(5)));
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
        assert_eq!(e.at_ms, 5);
        assert!(matches!(
            e.body,
            EventBody::RecordingDeleted { recording_id: 2 }
        ));
        assert_eq!(e.name(), "recording:deleted");
    }
}
