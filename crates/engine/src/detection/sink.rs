//! Where a camera's detector reports (the engine's side of `vigil_pipeline::DetectionSink`):
//! annotated snapshot JPEGs under `DATA_DIR/snapshots/<camera>/<day>/<ms>.jpg`, one transaction
//! of `detection` and `detection_event` rows per frame on the database writer, `detection` and
//! `detection_event:*` messages on the bus, and a `detection` alert when an event starts.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use vigil_base::Result;
use vigil_db::Database;
use vigil_db::detections::{self as q, DetectionRow, EventRow};
use vigil_pipeline::{DetectionSink, EventReport, FrameReport, StoredFrame};

use super::{stored_detection, stored_event};
use crate::alerts::{AlertService, Sighting};
use crate::cameras::Camera;
use crate::events::{EventBody, EventBus};

pub(super) struct EngineSink {
    camera_name: String,
    db: Database,
    events: EventBus,
    alerts: Arc<AlertService>,
    dir: PathBuf,
    warned: AtomicBool,
}

impl EngineSink {
    pub(super) fn new(
        cam: &Camera,
        db: Database,
        events: EventBus,
        alerts: Arc<AlertService>,
        dir: PathBuf,
    ) -> EngineSink {
        EngineSink {
            camera_name: cam.name.clone(),
            db,
            events,
            alerts,
            dir,
            warned: AtomicBool::new(false),
        }
    }
}

fn event_row(e: &EventReport, id: i64, best: Option<i64>) -> EventRow {
    EventRow {
        id,
        camera_id: e.camera_id,
        label: e.label.clone(),
        start_ms: e.start_ms,
        end_ms: e.end_ms,
        ongoing: e.ongoing,
        top_score: f64::from(e.top_score),
        detections: e.detections,
        best_detection_id: best,
        zones_json: serde_json::to_string(&e.zones).unwrap_or_default(),
    }
}

/// One frame's rows in one transaction; the rows as stored, for the announcements.
fn write_frame(
    c: &mut vigil_db::rusqlite::Connection,
    r: &FrameReport,
) -> Result<(StoredFrame, Vec<DetectionRow>, Vec<EventRow>)> {
    let tx = c
        .transaction()
        .map_err(|e| vigil_base::err!(Internal, "starting a transaction: {e}"))?;
    let mut stored = StoredFrame::default();
    let (mut rows, mut started) = (vec![], vec![]);
    for s in &r.sightings {
        let event_id = s.event.as_ref().and_then(|e| e.id);
        let mut row = DetectionRow {
            id: 0,
            camera_id: r.camera_id,
            event_id,
            at_ms: r.at_ms,
            label: s.label.clone(),
            score: f64::from(s.score),
            x: s.bbox[0],
            y: s.bbox[1],
            width: s.bbox[2],
            height: s.bbox[3],
            image_path: s.snapshot.clone(),
            metadata_json: serde_json::json!({
                "track_id": s.track_id,
                "frame": [r.frame.0, r.frame.1],
                "zones": s.zones,
                "class_id": s.class_id,
            })
            .to_string(),
        };
        let id = q::insert_detection(&tx, &row)?;
        row.id = id;
        stored.detection_ids.push(id);
        let mut new_event = None;
        if let Some(e) = &s.event {
            let best = if s.best {
                Some(id)
            } else {
                e.best_detection_id
            };
            if s.starts_event {
                let ev = event_row(e, 0, best);
                let event_id = q::insert_event(&tx, &ev)?;
                let mut link = s.link_earlier.clone();
                link.push(id);
                q::link_detections(&tx, event_id, &link)?;
                row.event_id = Some(event_id);
                new_event = Some(event_id);
                started.push(EventRow { id: event_id, ..ev });
            } else if let Some(event_id) = e.id {
                q::update_event(&tx, &event_row(e, event_id, best))?;
            }
        }
        stored.started_events.push(new_event);
        rows.push(row);
    }
    tx.commit()
        .map_err(|e| vigil_base::err!(Internal, "committing detections: {e}"))?;
    Ok((stored, rows, started))
}

impl DetectionSink for EngineSink {
    fn snapshot(&self, camera_id: i64, at_ms: i64, jpeg: Vec<u8>) -> Option<String> {
        let day = vigil_base::format_rfc3339_ms(at_ms);
        let rel = format!(
            "{camera_id}/{}/{at_ms}.jpg",
            day.get(..10).unwrap_or("unknown")
        );
        let path = self.dir.join(&rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, jpeg));
        match written {
            Ok(()) => Some(rel),
            Err(e) => {
                // A full disk loses the picture, not the detection.
                if !self.warned.swap(true, Ordering::Relaxed) {
                    tracing::warn!(camera_id, path = %path.display(), error = %e, "snapshots cannot be written");
                }
                None
            }
        }
    }

    fn frame(&self, report: FrameReport) -> Result<StoredFrame> {
        let (camera_id, latency) = (report.camera_id, report.answered_ms - report.at_ms);
        let (stored, rows, started) = self.db.write_blocking(move |c| write_frame(c, &report))?;
        for ev in &started {
            let view = stored_event(ev);
            self.events.emit(
                Some(camera_id),
                EventBody::DetectionEventStart {
                    event: Box::new(view.clone()),
                },
            );
            // One incident per burst of activity on the camera, not one alert per object.
            self.alerts.sighting(Sighting {
                camera_id,
                camera_name: self.camera_name.clone(),
                event_id: ev.id,
                label: view.label.clone(),
                zones: view.zones.clone(),
                score: view.top_score,
                detection_id: view.best_detection_id,
                at_ms: view.start_ms,
            });
        }
        for row in &rows {
            self.events.emit(
                Some(camera_id),
                EventBody::Detection {
                    detection: Box::new(stored_detection(row)),
                    latency_ms: latency,
                },
            );
        }
        Ok(stored)
    }

    fn event_ended(&self, event: EventReport) -> Result<()> {
        let Some(id) = event.id else {
            return Ok(());
        };
        let row = event_row(&event, id, event.best_detection_id);
        let stored = row.clone();
        self.db
            .write_blocking(move |c| q::update_event(c, &stored))?;
        self.events.emit(
            Some(event.camera_id),
            EventBody::DetectionEventEnd {
                event: Box::new(stored_event(&row)),
            },
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detection::{CameraDetection, DetectionQuery, EventQuery};
    use crate::testutil;
    use image::RgbImage;
    use vigil_base::Clock;
    use vigil_detect::{BBox, Detection, TrackerConfig};
    use vigil_pipeline::Tracking;

    fn person(x: f32, score: f32) -> Detection {
        Detection {
            label: "person".into(),
            class_id: 0,
            score,
            bbox: BBox::new(x, 200.0, x + 60.0, 400.0),
        }
    }

    fn tracking(t: &testutil::TestEngine, cam: &Camera) -> Tracking {
        let e = &t.engine;
        let sink = Arc::new(EngineSink::new(
            cam,
            e.db().clone(),
            e.events().clone(),
            e.inner.alerts.clone(),
            e.snapshots_dir(),
        ));
        Tracking::new(
            cam.id,
            CameraDetection::default().filter,
            TrackerConfig::default(),
            80,
            sink,
            e.clock().clone(),
        )
    }

    #[tokio::test]
    async fn a_parked_car_is_stationary_and_survives_seldom_looks() {
        let t = testutil::engine();
        let cam = testutil::camera(&t, "Lot").await;
        let mut track = tracking(&t, &cam);
        let clock = t.clock.clone();
        tokio::task::spawn_blocking(move || {
            let frame = RgbImage::from_pixel(640, 480, image::Rgb([90, 90, 90]));
            let car = |x: f32| Detection {
                label: "car".into(),
                class_id: 2,
                score: 0.7,
                bbox: BBox::new(x, 300.0, x + 200.0, 420.0),
            };
            let t0 = clock.now_ms();
            assert!(!track.sighted(t0, &frame, vec![car(100.0)]), "new");
            assert!(track.sighted(t0 + 1_000, &frame, vec![car(102.0)]));
            assert!(
                !track.sighted(t0 + 2_000, &frame, vec![car(160.0)]),
                "moved"
            );
            assert!(!track.sighted(t0 + 3_000, &frame, vec![]), "gone");
            // Looks 8 s apart: the track lives on between them.
            track.set_min_lost_after(17_000);
            clock.set_ms(t0 + 12_000);
            track.expire();
            assert!(track.tracking());
            track.set_min_lost_after(0);
            track.expire();
            assert!(!track.tracking(), "back to the tracker's 4 s");
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn a_walker_is_one_event_with_sampled_rows_a_snapshot_and_one_alert() {
        let t = testutil::engine();
        let cam = testutil::camera(&t, "Yard").await;
        let mut rx = t.engine.events().subscribe();
        let mut track = tracking(&t, &cam);
        let clock = t.clock.clone();
        // The sink does blocking database work, as on its detector thread.
        tokio::task::spawn_blocking(move || {
            let frame = RgbImage::from_pixel(640, 480, image::Rgb([90, 90, 90]));
            let t0 = clock.now_ms();
            // 5 fps for 4 s, walking right; a car below min score and a cat (not a tracked
            // label by default) are filtered out.
            for i in 0..20i64 {
                let at = t0 + i * 200;
                clock.set_ms(at);
                let dets = vec![
                    person(20.0 + i as f32 * 15.0, 0.6 + i as f32 * 0.01),
                    Detection {
                        label: "car".into(),
                        class_id: 2,
                        score: 0.3,
                        bbox: BBox::new(400.0, 300.0, 600.0, 450.0),
                    },
                    Detection {
                        label: "cat".into(),
                        class_id: 15,
                        score: 0.9,
                        bbox: BBox::new(300.0, 300.0, 350.0, 350.0),
                    },
                ];
                track.sighted(at, &frame, dets);
                track.expire();
            }
            assert!(track.tracking());
            clock.set_ms(t0 + 19 * 200 + 5_000);
            track.expire();
            assert!(!track.tracking());
        })
        .await
        .unwrap();

        let e = &t.engine;
        let events = e
            .detection()
            .list_events(EventQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        let ev = &events[0];
        assert_eq!(ev.label, "person");
        assert!(!ev.ongoing);
        assert!((ev.top_score - 0.79).abs() < 1e-3, "{ev:?}");
        assert_eq!(ev.end_ms - ev.start_ms, 19 * 200);
        let rows = e
            .detection()
            .list(DetectionQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        // First sighting, confirmation, then about one a second (scores rise every frame, so
        // "best" rows come every 500 ms): far fewer than the 20 frames.
        assert!((4..=10).contains(&rows.len()), "{} rows", rows.len());
        assert!(
            rows.iter()
                .all(|r| r.event_id == Some(ev.id) && r.label == "person")
        );
        assert_eq!(ev.detections, rows.len() as i64);
        // Snapshots: the first sighting and new bests at most every 2 s.
        let with_snapshot = rows.iter().filter(|r| r.has_snapshot).count();
        assert!((2..=3).contains(&with_snapshot), "{with_snapshot}");
        let best = ev.best_detection_id.unwrap();
        assert!(
            rows.iter().any(|r| r.id == best && r.has_snapshot),
            "the best picture is a stored snapshot"
        );
        let jpeg = e.detection().snapshot(best, |_| true).await.unwrap();
        let img = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (640, 480));

        // The alert is raised without the detector waiting for it: a write after it is a barrier.
        e.db().write(|_| Ok(())).await.unwrap();
        let alerts = e
            .alerts()
            .list(crate::alerts::AlertQuery::default())
            .await
            .unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].message, "Person detected at Yard");
        assert_eq!(alerts[0].event_id, Some(ev.id));

        let mut names = vec![];
        while let Ok(ev) = rx.try_recv() {
            names.push(ev.name());
        }
        let count = |n: &str| names.iter().filter(|k| **k == n).count();
        assert_eq!(count("detection_event:start"), 1, "{names:?}");
        assert_eq!(count("detection_event:end"), 1, "{names:?}");
        assert_eq!(count("detection"), rows.len(), "{names:?}");
        assert_eq!(count("alert"), 1, "{names:?}");
        let tl = e
            .recordings()
            .timeline(
                cam.id,
                vigil_base::Window {
                    start_ms: 0,
                    end_ms: i64::MAX / 2,
                },
            )
            .await
            .unwrap();
        assert_eq!(tl.markers.len(), 1, "the detection, not its alert too");
        assert_eq!(tl.markers[0].kind, "detection");
    }
}
