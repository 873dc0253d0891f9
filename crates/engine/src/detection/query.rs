//! Reading what detection stored: `GET /detections`, `GET /detection-events`, a detection's
//! snapshot (by id only: no client path reaches the file system), and the timeline's markers.

use serde::Deserialize;
use utoipa::IntoParams;
use vigil_base::{FieldErrors, Result, err};
use vigil_db::detections as q;

use super::{DetectionEventView, DetectionView, snapshot_path};
use crate::Engine;
use crate::fields::{instant_field, limit_field};
use crate::recordings::{Marker, Window};

/// Query of `GET /detections` (newest first).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DetectionQuery {
    /// 1–1000, default 100.
    pub limit: Option<i64>,
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    /// RFC 3339 or epoch ms: detections at or after.
    pub since: Option<String>,
    pub event_id: Option<i64>,
}

/// Query of `GET /detection-events`: events overlapping `[start, end)`, newest first.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    /// RFC 3339 or epoch ms.
    pub start: Option<String>,
    pub end: Option<String>,
    /// 1–1000, default 100.
    pub limit: Option<i64>,
}

impl Engine {
    pub async fn list_detections(&self, query: DetectionQuery) -> Result<Vec<DetectionView>> {
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
        let rows = self.db().read(move |c| q::list_detections(c, &q)).await?;
        Ok(rows.iter().map(DetectionView::from_row).collect())
    }

    pub async fn list_detection_events(
        &self,
        query: EventQuery,
    ) -> Result<Vec<DetectionEventView>> {
        let mut f = FieldErrors::new();
        let start_ms = instant_field(&mut f, "start", &query.start);
        let end_ms = instant_field(&mut f, "end", &query.end);
        if let (Some(s), Some(e)) = (start_ms, end_ms)
            && e <= s
        {
            f.insert("end".into(), "must be after start".into());
        }
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
        let rows = self.db().read(move |c| q::list_events(c, &q)).await?;
        Ok(rows.iter().map(DetectionEventView::from_row).collect())
    }

    pub async fn detection_event(&self, id: i64) -> Result<DetectionEventView> {
        let row = self.db().read(move |c| q::get_event(c, id)).await?;
        row.map(|r| DetectionEventView::from_row(&r))
            .ok_or_else(|| err!(NotFound, code = EventNotFound, "no detection event {id}"))
    }

    /// The annotated JPEG of detection `id`.
    pub async fn detection_snapshot(&self, id: i64) -> Result<Vec<u8>> {
        let row = self
            .db()
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
        let path = snapshot_path(&self.snapshots_dir(), &rel).ok_or_else(missing)?;
        tokio::fs::read(&path).await.map_err(|_| missing())
    }

    /// Detection events, other alerts and bookmarks of the camera in the window.
    pub(crate) async fn timeline_markers(&self, camera_id: i64, w: Window) -> Result<Vec<Marker>> {
        self.db()
            .read(move |c| {
                let events = q::list_events(
                    c,
                    &q::EventQuery {
                        camera_id: Some(camera_id),
                        start_ms: Some(w.start_ms),
                        end_ms: Some(w.end_ms),
                        limit: 5_000,
                        ..Default::default()
                    },
                )?;
                let alerts = vigil_db::alerts::in_range(c, camera_id, w.start_ms, w.end_ms, 5_000)?;
                let bookmarks =
                    vigil_db::bookmarks::in_range(c, camera_id, w.start_ms, w.end_ms, 5_000)?;
                let mut out: Vec<Marker> = events
                    .iter()
                    .map(|e| Marker {
                        at_ms: e.start_ms,
                        kind: "detection".into(),
                        label: e.label.clone(),
                        id: Some(e.id),
                        end_ms: Some(e.end_ms),
                        severity: None,
                        snapshot_url: e
                            .best_detection_id
                            .map(|d| format!("/api/v1/detections/{d}/snapshot")),
                    })
                    .collect();
                out.extend(
                    alerts
                        .into_iter()
                        .filter(|a| a.kind != "detection")
                        .map(|a| Marker {
                            at_ms: a.created_at_ms,
                            kind: "alert".into(),
                            label: a.message,
                            id: Some(a.id),
                            end_ms: None,
                            severity: Some(a.severity),
                            snapshot_url: None,
                        }),
                );
                out.extend(bookmarks.into_iter().map(|b| Marker {
                    at_ms: b.at_ms,
                    kind: "bookmark".into(),
                    label: b.label,
                    id: Some(b.id),
                    end_ms: b.end_ms,
                    severity: None,
                    snapshot_url: None,
                }));
                out.sort_by_key(|m| m.at_ms);
                Ok(out)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
