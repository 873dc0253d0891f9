//! The timeline's markers: detection events, other alerts and bookmarks of a camera in a window,
//! read in one go from the index.

use vigil_base::Result;
use vigil_db::detections as q;

use super::{Marker, RecordingService};
use vigil_base::Window;

impl RecordingService {
    /// Detection events, other alerts and bookmarks of the camera in the window.
    pub(super) async fn markers(&self, camera_id: i64, w: Window) -> Result<Vec<Marker>> {
        self.db
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
                        best_detection_id: e.best_detection_id,
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
                            best_detection_id: None,
                        }),
                );
                out.extend(bookmarks.into_iter().map(|b| Marker {
                    at_ms: b.at_ms,
                    kind: "bookmark".into(),
                    label: b.label,
                    id: Some(b.id),
                    end_ms: b.end_ms,
                    severity: None,
                    best_detection_id: None,
                }));
                out.sort_by_key(|m| m.at_ms);
                Ok(out)
            })
            .await
    }
}
