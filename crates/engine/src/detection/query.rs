//! Reading what detection stored: sightings and events (by `vigil_db::detections`' typed
//! queries, which the API parses its query strings into) and a detection's snapshot (by id only:
//! no client path reaches the file system).

use vigil_base::{Result, err};
use vigil_db::detections::{self as q, DetectionRow, EventRow};

use super::{DetectionService, snapshot_path};
use vigil_pipeline::{StoredDetection, StoredEvent};

/// A stored sighting from its row.
pub(crate) fn stored_detection(r: &DetectionRow) -> StoredDetection {
    StoredDetection {
        id: r.id,
        camera_id: r.camera_id,
        event_id: r.event_id,
        at_ms: r.at_ms,
        label: r.label.clone(),
        score: (r.score * 1000.0).round() / 1000.0,
        bbox: [r.x, r.y, r.width, r.height],
        has_snapshot: r.image_path.is_some(),
        metadata: serde_json::from_str(&r.metadata_json).unwrap_or_default(),
    }
}

/// A tracked object's event from its row.
pub(crate) fn stored_event(r: &EventRow) -> StoredEvent {
    StoredEvent {
        id: r.id,
        camera_id: r.camera_id,
        label: r.label.clone(),
        start_ms: r.start_ms,
        end_ms: r.end_ms,
        ongoing: r.ongoing,
        top_score: (r.top_score * 1000.0).round() / 1000.0,
        detections: r.detections,
        best_detection_id: r.best_detection_id,
        zones: serde_json::from_str(&r.zones_json).unwrap_or_default(),
    }
}

impl DetectionService {
    /// Stored sightings, newest first.
    pub async fn list(&self, q: q::DetectionQuery) -> Result<Vec<StoredDetection>> {
        let rows = self.db.read(move |c| q::list_detections(c, &q)).await?;
        Ok(rows.iter().map(stored_detection).collect())
    }

    /// Events (one per tracked object) overlapping `[start, end)`, newest first.
    pub async fn list_events(&self, q: q::EventQuery) -> Result<Vec<StoredEvent>> {
        let rows = self.db.read(move |c| q::list_events(c, &q)).await?;
        Ok(rows.iter().map(stored_event).collect())
    }

    pub async fn event(&self, id: i64) -> Result<StoredEvent> {
        let row = self.db.read(move |c| q::get_event(c, id)).await?;
        row.map(|r| stored_event(&r))
            .ok_or_else(|| err!(NotFound, code = EventNotFound, "no detection event {id}"))
    }

    /// The annotated JPEG of detection `id`, if `visible` allows its camera.
    pub async fn snapshot(&self, id: i64, visible: impl Fn(i64) -> bool) -> Result<Vec<u8>> {
        let row = self
            .db
            .read(move |c| q::get_detection(c, id))
            .await?
            .filter(|r| visible(r.camera_id))
            .ok_or_else(|| err!(NotFound, code = DetectionNotFound, "no detection {id}"))?;
        let missing = || {
            err!(
                NotFound,
                code = SnapshotNotFound,
                "detection {id} has no snapshot"
            )
        };
        let rel = row.image_path.ok_or_else(missing)?;
        let path = snapshot_path(&self.snapshots, &rel).ok_or_else(missing)?;
        tokio::fs::read(&path).await.map_err(|_| missing())
    }
}

#[cfg(test)]
mod tests {
    use crate::detection::snapshot_path;

    #[test]
    fn snapshot_paths_stay_inside() {
        let dir = std::path::Path::new("/data/snapshots");
        assert_eq!(
            snapshot_path(dir, "3/2026-11-21/1.jpg"),
            Some(dir.join("3/2026-11-21/1.jpg"))
        );
        for bad in ["../vigil.db", "/etc/passwd", "3/../../x", "", "./x"] {
            assert_eq!(snapshot_path(dir, bad), None, "{bad}");
        }
    }
}
