//! Reading what detection stored: `GET /detections`, `GET /detection-events`, a detection's
//! snapshot (by id only: no client path reaches the file system).

use serde::Deserialize;
use utoipa::IntoParams;
use vigil_base::{FieldErrors, Result, err};
use vigil_db::detections::{self as q, DetectionRow, EventRow};

use super::{DetectionService, snapshot_path};
use vigil_base::fields::{instant_field, limit_field};

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

impl StoredDetection {
    pub fn from_row(r: &DetectionRow) -> StoredDetection {
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

impl StoredEvent {
    pub fn from_row(r: &EventRow) -> StoredEvent {
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
}

/// Query of `GET /detections` (newest first).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DetectionQuery {
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    /// RFC 3339 (or epoch ms): detections at or after.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub since: Option<String>,
    pub event_id: Option<i64>,
}

/// Query of `GET /detection-events`: events overlapping `[start, end)`, newest first.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    /// RFC 3339 (or epoch ms).
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub start: Option<String>,
    /// RFC 3339 (or epoch ms).
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub end: Option<String>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

impl DetectionService {
    pub async fn list(&self, query: DetectionQuery) -> Result<Vec<StoredDetection>> {
        let mut f = FieldErrors::new();
        let since_ms = instant_field(&mut f, "since", &query.since);
        let limit = limit_field(&mut f, query.limit);
        if !f.is_empty() {
            return Err(vigil_base::Error::validation(f));
        }
        let q = q::DetectionQuery {
            camera_id: query.camera_id,
            label: query.label,
            since_ms,
            event_id: query.event_id,
            limit,
        };
        let rows = self.db.read(move |c| q::list_detections(c, &q)).await?;
        Ok(rows.iter().map(StoredDetection::from_row).collect())
    }

    pub async fn list_events(&self, query: EventQuery) -> Result<Vec<StoredEvent>> {
        let mut f = FieldErrors::new();
        let start_ms = instant_field(&mut f, "start", &query.start);
        let end_ms = instant_field(&mut f, "end", &query.end);
        let limit = limit_field(&mut f, query.limit);
        if !f.is_empty() {
            return Err(vigil_base::Error::validation(f));
        }
        let q = q::EventQuery {
            camera_id: query.camera_id,
            label: query.label,
            start_ms,
            end_ms,
            limit,
        };
        let rows = self.db.read(move |c| q::list_events(c, &q)).await?;
        Ok(rows.iter().map(StoredEvent::from_row).collect())
    }

    pub async fn event(&self, id: i64) -> Result<StoredEvent> {
        let row = self.db.read(move |c| q::get_event(c, id)).await?;
        row.map(|r| StoredEvent::from_row(&r))
            .ok_or_else(|| err!(NotFound, code = EventNotFound, "no detection event {id}"))
    }

    /// The annotated JPEG of detection `id`.
    pub async fn snapshot(&self, id: i64) -> Result<Vec<u8>> {
        let row = self
            .db
            .read(move |c| q::get_detection(c, id))
            .await?
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
