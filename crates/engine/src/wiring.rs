//! How the services' own events reach the bus (each leaf service announces through a closure
//! and knows nothing of [`EventBody`]), and the camera registry's host: the runtimes, the live
//! hubs and the storage tiers, seen as the registry needs them.

use std::path::PathBuf;
use std::sync::Arc;

use vigil_base::Result;
use vigil_storage::{Storage, StorageEvent};

use crate::cameras::{Camera, CameraEvent, CameraHost, RecordingError};
use crate::events::{EventBody, EventBus};
use crate::{alerts, live, recordings, runtime};

/// The registry's changes announced on the bus.
pub(crate) fn camera_events(events: &EventBus) -> crate::cameras::CameraEmitter {
    let bus = events.clone();
    Arc::new(move |e| match e {
        CameraEvent::Created(camera) => {
            bus.emit(Some(camera.id), EventBody::CameraCreated { camera })
        }
        CameraEvent::Updated(camera) => {
            bus.emit(Some(camera.id), EventBody::CameraUpdated { camera })
        }
        CameraEvent::Deleted { camera_id } => bus.emit(Some(camera_id), EventBody::CameraDeleted),
        CameraEvent::DetectionChanged {
            camera_id,
            detection,
        } => bus.emit(
            Some(camera_id),
            EventBody::CameraDetectionChanged { detection },
        ),
    })
}

/// What the camera registry drives: the runtimes start, restart and stop cameras; a deleted
/// camera's live hubs go too; its footage lies on the online tiers.
pub(crate) struct Host {
    pub runtimes: Arc<runtime::Runtimes>,
    pub live: Arc<live::LiveService>,
    pub storage: Storage,
}

impl CameraHost for Host {
    fn check_capacity(&self, except: i64) -> Result<()> {
        self.runtimes.check_capacity(except)
    }
    fn sync(&self, camera: &Camera) -> Result<()> {
        self.runtimes.sync(camera)
    }
    fn remove(&self, camera_id: i64) {
        self.runtimes.stop(camera_id);
        self.live.drop_camera(camera_id);
    }
    fn recording_fault(&self, camera_id: i64) -> Option<RecordingError> {
        self.runtimes
            .recording_fault(camera_id)
            .map(|f| RecordingError {
                message: f.message,
                storage_full: f.storage_full,
                since: vigil_base::format_rfc3339_ms(f.since_ms),
            })
    }
    fn footage_dirs(&self) -> Vec<PathBuf> {
        (self.storage.roots().dirs.into_values())
            .filter(|(_, online)| *online)
            .map(|(d, _)| d)
            .collect()
    }
}

/// Alerts announced on the bus.
pub(crate) fn alert_events(events: &EventBus) -> alerts::AlertEmitter {
    let bus = events.clone();
    Arc::new(move |e| match e {
        alerts::AlertEvent::Raised { alert, camera_name } => bus.emit(
            alert.camera_id,
            EventBody::Alert {
                alert: Box::new(alert),
                camera_name,
            },
        ),
        alerts::AlertEvent::Acknowledged { alert } => bus.emit(
            alert.camera_id,
            EventBody::AlertAcknowledged {
                alert: Box::new(alert),
            },
        ),
        alerts::AlertEvent::Updated { alert } => bus.emit(
            alert.camera_id,
            EventBody::AlertUpdated {
                alert: Box::new(alert),
            },
        ),
    })
}

/// Storage moves, deletions and tier changes announced on the bus; a tier going offline and a
/// tier holding only locked footage raise alerts.
pub(crate) fn storage_events(
    events: &EventBus,
    alerts: &Arc<alerts::AlertService>,
) -> vigil_storage::StorageEmitter {
    let (bus, alerts) = (events.clone(), alerts.clone());
    Arc::new(move |e| {
        match e {
        StorageEvent::Moved {
            recording_id,
            camera_id,
            from_tier,
            to_tier,
            reason,
            bytes,
        } => bus.emit(
            Some(camera_id),
            EventBody::StorageMoved {
                recording_id,
                from_tier,
                to_tier,
                reason,
                bytes,
            },
        ),
        StorageEvent::Deleted {
            recording_id,
            camera_id,
            tier,
            reason,
            bytes,
        } => bus.emit(
            Some(camera_id),
            EventBody::StorageDeleted {
                recording_id,
                tier,
                reason,
                bytes,
            },
        ),
        StorageEvent::TierOffline { tier, reason } => {
            bus.emit(
                None,
                EventBody::StorageTierOffline {
                    tier: tier.clone(),
                    reason: reason.clone(),
                },
            );
            alerts.raise_detached(alerts::NewAlert {
                kind: alerts::AlertKind::StorageTierOffline,
                camera_id: None,
                event_id: None,
                message: format!("Storage tier {tier:?} is offline: {reason}. Nothing is moved to or deleted from it until it is back."),
                details: serde_json::json!({ "tier": tier }),
            });
        }
        StorageEvent::TierOnline { tier } => {
            alerts.resolve(alerts::AlertKind::StorageTierOffline, None, false, Some(tier.clone()));
            bus.emit(None, EventBody::StorageTierOnline { tier })
        }
        StorageEvent::LockedOnly { tier } => alerts.raise_detached(alerts::NewAlert {
            kind: alerts::AlertKind::StorageLockedOnly,
            camera_id: None,
            event_id: None,
            message: format!("Storage tier {tier:?} needs room but holds only locked footage; unlock some to free space."),
            details: serde_json::json!({ "tier": tier }),
        }),
        StorageEvent::Failed { tier, error } => {
            tracing::warn!(tier = %tier, error = %error, "storage operation failed");
        }
    }
    })
}

/// Deletions and exports announced on the bus.
pub(crate) fn record_events(events: &EventBus) -> recordings::RecordEmitter {
    use recordings::RecordEvent;
    let bus = events.clone();
    Arc::new(move |e| match e {
        RecordEvent::Deleted {
            camera_id,
            recording_id,
        } => bus.emit(
            Some(camera_id),
            EventBody::RecordingDeleted { recording_id },
        ),
        RecordEvent::ExportProgress {
            camera_id,
            export_id,
            progress,
        } => bus.emit(
            Some(camera_id),
            EventBody::ExportProgress {
                export_id,
                progress,
            },
        ),
        RecordEvent::ExportDone {
            camera_id,
            export_id,
            bytes,
        } => bus.emit(Some(camera_id), EventBody::ExportDone { export_id, bytes }),
        RecordEvent::ExportFailed {
            camera_id,
            export_id,
            error,
        } => bus.emit(
            Some(camera_id),
            EventBody::ExportFailed { export_id, error },
        ),
    })
}

/// Layouts and bookmarks announced on the bus.
pub(crate) fn desk_events(events: &EventBus) -> vigil_desk::DeskEmitter {
    use vigil_desk::DeskEvent;
    let bus = events.clone();
    Arc::new(move |e| match e {
        DeskEvent::BookmarkCreated(b) => bus.emit(
            Some(b.camera_id),
            EventBody::BookmarkCreated {
                bookmark: Box::new(b),
            },
        ),
        DeskEvent::BookmarkDeleted {
            camera_id,
            bookmark_id,
        } => bus.emit(Some(camera_id), EventBody::BookmarkDeleted { bookmark_id }),
        DeskEvent::LayoutSaved { layout_id, owner } => {
            bus.emit(None, EventBody::LayoutSaved { layout_id, owner })
        }
        DeskEvent::LayoutDeleted { layout_id, owner } => {
            bus.emit(None, EventBody::LayoutDeleted { layout_id, owner })
        }
    })
}
