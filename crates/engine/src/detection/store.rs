//! From model answers to what people see: the camera's filter, the tracker, and then rows
//! (`detection`, `detection_event`), annotated snapshot JPEGs under `DATA_DIR/snapshots`,
//! `detection` / `detection_event:*` messages on the event bus and `detection` alerts.
//!
//! Not every sighting is stored: a track's first, then about one a second, and each new best
//! score (with a snapshot at most every 2 s per track) — enough for the timeline and the event's
//! best picture without a row per object per frame.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use image::RgbImage;
use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::Result;
use vigil_db::detections::{self as q, DetectionRow, EventRow};
use vigil_detect::annotate::{Mark, draw, encode_jpeg};
use vigil_detect::{Detection, Filter, Sighting, Track, Tracker};

use super::camera::Counters;
use super::{CameraDetection, DetectionSettings};
use crate::alerts::{AlertKind, NewAlert};
use crate::cameras::Camera;
use crate::{Engine, Event};

/// A stored sighting as the API shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DetectionView {
    pub id: i64,
    pub camera_id: i64,
    pub event_id: Option<i64>,
    /// RFC 3339 UTC of the frame.
    pub at: String,
    pub label: String,
    pub score: f64,
    /// `[x, y, width, height]` as fractions of the frame.
    pub bbox: [f64; 4],
    /// `/api/v1/detections/{id}/snapshot` when a snapshot was kept.
    pub snapshot_url: Option<String>,
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
}

impl DetectionView {
    pub(crate) fn from_row(r: &DetectionRow) -> DetectionView {
        DetectionView {
            id: r.id,
            camera_id: r.camera_id,
            event_id: r.event_id,
            at: vigil_base::format_rfc3339_ms(r.at_ms),
            label: r.label.clone(),
            score: (r.score * 1000.0).round() / 1000.0,
            bbox: [r.x, r.y, r.width, r.height],
            snapshot_url: r
                .image_path
                .as_ref()
                .map(|_| format!("/api/v1/detections/{}/snapshot", r.id)),
            metadata: serde_json::from_str(&r.metadata_json).unwrap_or_default(),
        }
    }
}

/// A tracked object as the API shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct DetectionEventView {
    pub id: i64,
    pub camera_id: i64,
    pub label: String,
    pub start: String,
    pub end: String,
    pub ongoing: bool,
    pub top_score: f64,
    pub detections: i64,
    pub best_detection_id: Option<i64>,
    /// The best sighting's snapshot.
    pub snapshot_url: Option<String>,
    pub zones: Vec<String>,
}

impl DetectionEventView {
    pub(crate) fn from_row(r: &EventRow) -> DetectionEventView {
        DetectionEventView {
            id: r.id,
            camera_id: r.camera_id,
            label: r.label.clone(),
            start: vigil_base::format_rfc3339_ms(r.start_ms),
            end: vigil_base::format_rfc3339_ms(r.end_ms),
            ongoing: r.ongoing,
            top_score: (r.top_score * 1000.0).round() / 1000.0,
            detections: r.detections,
            best_detection_id: r.best_detection_id,
            snapshot_url: r
                .best_detection_id
                .map(|id| format!("/api/v1/detections/{id}/snapshot")),
            zones: serde_json::from_str(&r.zones_json).unwrap_or_default(),
        }
    }
}

/// What the store remembers of a live track.
#[derive(Default)]
struct TrackState {
    label: String,
    event_id: Option<i64>,
    /// Rows stored before the track was confirmed (linked to the event once it exists).
    early: Vec<i64>,
    last_stored_ms: Option<i64>,
    last_snapshot_ms: Option<i64>,
    best_id: Option<i64>,
    best_score: f32,
    stored: i64,
    zones: BTreeSet<String>,
}

pub(crate) struct EventStore {
    engine: Engine,
    camera_id: i64,
    camera_name: String,
    filter: Filter,
    tracker: Tracker,
    tracks: HashMap<u64, TrackState>,
    quality: u8,
    counters: Arc<Counters>,
    dir: PathBuf,
    warned_write: bool,
    /// Unseen this long ends a track: the tracker's setting, or more while the detector looks
    /// at still scenes seldom (see the camera's look interval).
    lost_after_ms: i64,
    base_lost_after_ms: i64,
}

/// Overlap of a box with its previous sighting above which the object has not moved.
const STILL_IOU: f32 = 0.85;

/// A row about to be written, with what decided it.
struct Pending {
    index: usize,
    track_id: u64,
    snapshot: bool,
    sighting: Sighting,
}

impl EventStore {
    pub fn new(
        engine: &Engine,
        cam: &Camera,
        settings: &CameraDetection,
        cfg: &DetectionSettings,
        counters: Arc<Counters>,
    ) -> EventStore {
        EventStore {
            engine: engine.clone(),
            camera_id: cam.id,
            camera_name: cam.name.clone(),
            filter: settings.filter.clone(),
            tracker: Tracker::new(cfg.tracker),
            tracks: HashMap::new(),
            quality: cfg.snapshot_quality,
            counters,
            dir: engine.snapshots_dir(),
            warned_write: false,
            lost_after_ms: cfg.tracker.lost_after_ms,
            base_lost_after_ms: cfg.tracker.lost_after_ms,
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.engine.now_ms()
    }

    /// Whether any object is being tracked.
    pub fn tracking(&self) -> bool {
        !self.tracker.tracks().is_empty()
    }

    /// Tracks survive at least `ms` unseen (the camera looks seldom at still scenes).
    pub fn set_min_lost_after(&mut self, ms: i64) {
        self.lost_after_ms = self.base_lost_after_ms.max(ms);
    }

    /// The model's answer for the frame at `at_ms`. True when it changed nothing: every object
    /// tracked before is still there, where it was, and nothing new appeared.
    pub fn sighted(
        &mut self,
        at_ms: i64,
        frame: &RgbImage,
        detections: Vec<Detection>,
        _took: Duration,
    ) -> bool {
        let (w, h) = (frame.width(), frame.height());
        let kept = self.filter.apply(detections, w, h);
        self.counters
            .objects
            .fetch_add(kept.len() as u64, Ordering::Relaxed);
        let before: HashMap<u64, vigil_detect::BBox> = self
            .tracker
            .tracks()
            .iter()
            .map(|t| (t.id, t.bbox))
            .collect();
        let sightings = self.tracker.update(at_ms, &kept);
        let stationary = sightings.len() == before.len()
            && sightings.iter().all(|s| {
                !s.new_track
                    && before
                        .get(&s.track_id)
                        .is_some_and(|b| b.iou(&kept[s.index].bbox) >= STILL_IOU)
            });
        let mut pending = Vec::new();
        for s in sightings {
            let d = &kept[s.index];
            let zones: Vec<String> = self
                .filter
                .zones_containing(d, w, h)
                .into_iter()
                .map(String::from)
                .collect();
            let st = self.tracks.entry(s.track_id).or_default();
            st.label.clone_from(&d.label);
            st.zones.extend(zones);
            let since_stored = st.last_stored_ms.map_or(i64::MAX, |t| at_ms - t);
            let since_snapshot = st.last_snapshot_ms.map_or(i64::MAX, |t| at_ms - t);
            let store = s.new_track
                || s.confirmed_now
                || (s.best && since_stored >= 500)
                || since_stored >= 1_000;
            if !store {
                continue;
            }
            let snapshot = s.new_track || (s.best && since_snapshot >= 2_000);
            pending.push(Pending {
                index: s.index,
                track_id: s.track_id,
                snapshot,
                sighting: s,
            });
        }
        if pending.is_empty() {
            return stationary;
        }
        let image_path = if pending.iter().any(|p| p.snapshot) {
            self.write_snapshot(at_ms, frame, &kept)
        } else {
            None
        };
        match self.write_rows(at_ms, w, h, &kept, &pending, image_path.as_deref()) {
            Ok(published) => {
                for ev in published {
                    self.engine.events().publish(ev);
                }
            }
            Err(e) => {
                tracing::warn!(camera_id = self.camera_id, error = %e, "detections not stored")
            }
        }
        stationary
    }

    fn write_rows(
        &mut self,
        at_ms: i64,
        w: u32,
        h: u32,
        kept: &[Detection],
        pending: &[Pending],
        image_path: Option<&str>,
    ) -> Result<Vec<Event>> {
        let now = self.now_ms();
        // The rows are written on the database's writer thread, in one transaction: it gets the
        // tracks' state and what it needs of this frame, and gives the state back.
        let rows: Vec<(Detection, u64, bool, Sighting, Option<Track>)> = pending
            .iter()
            .map(|p| {
                (
                    kept[p.index].clone(),
                    p.track_id,
                    p.snapshot,
                    p.sighting.clone(),
                    self.tracker.track(p.track_id).cloned(),
                )
            })
            .collect();
        let mut tracks = std::mem::take(&mut self.tracks);
        let (camera_id, counters) = (self.camera_id, self.counters.clone());
        let image_path = image_path.map(String::from);
        let (tracks, written) = self.engine.db().write_blocking(move |c| {
            let r = write_frame(
                c,
                &mut tracks,
                camera_id,
                &counters,
                (at_ms, now, w, h),
                rows,
                image_path,
            );
            Ok((tracks, r))
        })?;
        self.tracks = tracks;
        let (events, alerts) = written?;
        for (event_id, view) in alerts {
            let zones = if view.zones.is_empty() {
                String::new()
            } else {
                format!(" in {}", view.zones.join(", "))
            };
            self.engine.raise_alert(NewAlert {
                kind: AlertKind::Detection,
                camera_id: Some(self.camera_id),
                event_id: Some(event_id),
                message: format!(
                    "{} detected at {}{zones}",
                    capitalise(&view.label),
                    self.camera_name
                ),
                details: serde_json::json!({
                    "label": view.label,
                    "score": view.top_score,
                    "zones": view.zones,
                    "snapshot_url": view.snapshot_url,
                }),
            });
        }
        Ok(events)
    }

    /// Draw the frame's boxes and write it; the path relative to the snapshot dir.
    fn write_snapshot(
        &mut self,
        at_ms: i64,
        frame: &RgbImage,
        kept: &[Detection],
    ) -> Option<String> {
        let mut img = frame.clone();
        let marks: Vec<Mark> = kept
            .iter()
            .map(|d| Mark {
                bbox: d.bbox,
                label: d.label.clone(),
                score: d.score,
                primary: false,
            })
            .collect();
        draw(&mut img, &marks);
        let day = vigil_base::format_rfc3339_ms(at_ms);
        let rel = format!(
            "{}/{}/{at_ms}.jpg",
            self.camera_id,
            day.get(..10).unwrap_or("unknown")
        );
        let path = self.dir.join(&rel);
        let written = encode_jpeg(&img, self.quality).and_then(|jpeg| {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    vigil_base::err!(Unavailable, "creating {}: {e}", parent.display())
                })?;
            }
            std::fs::write(&path, jpeg)
                .map_err(|e| vigil_base::err!(Unavailable, "writing {}: {e}", path.display()))
        });
        match written {
            Ok(()) => Some(rel),
            Err(e) => {
                // A full disk loses the picture, not the detection.
                if !self.warned_write {
                    self.warned_write = true;
                    tracing::warn!(camera_id = self.camera_id, error = %e, "snapshots cannot be written");
                }
                None
            }
        }
    }

    /// End the tracks unseen for a while.
    pub fn expire(&mut self) {
        let now = self.now_ms();
        let ended = self.tracker.expire_after(now, self.lost_after_ms);
        self.end_tracks(ended);
    }

    /// End every track (the detector stops).
    pub fn finish(&mut self) {
        let ended = self.tracker.finish();
        self.end_tracks(ended);
    }

    fn end_tracks(&mut self, ended: Vec<Track>) {
        for t in ended {
            let Some(st) = self.tracks.remove(&t.id) else {
                continue;
            };
            let Some(event_id) = st.event_id else {
                continue;
            };
            let row = EventRow {
                id: event_id,
                camera_id: self.camera_id,
                label: t.label.clone(),
                start_ms: t.first_ms,
                end_ms: t.last_ms,
                ongoing: false,
                top_score: f64::from(st.best_score),
                detections: st.stored,
                best_detection_id: st.best_id,
                zones_json: serde_json::to_string(&st.zones).unwrap_or_default(),
            };
            let r = {
                let row = row.clone();
                self.engine
                    .db()
                    .write_blocking(move |c| q::update_event(c, &row))
            };
            match r {
                Ok(()) => self.engine.events().publish(
                    Event::new("detection_event:end", Some(self.camera_id), self.now_ms())
                        .with("event", DetectionEventView::from_row(&row)),
                ),
                Err(e) => {
                    tracing::warn!(camera_id = self.camera_id, error = %e, "event end not stored")
                }
            }
        }
    }
}

/// What writing a frame's rows gave: events to publish, and (event id, event) for alerts.
type FrameWritten = (Vec<Event>, Vec<(i64, DetectionEventView)>);

/// One frame's rows, in one transaction: its detections, the events they start or extend, and
/// the tracks' state that says what was stored. Runs on the database's writer thread.
fn write_frame(
    c: &mut vigil_db::rusqlite::Connection,
    tracks: &mut HashMap<u64, TrackState>,
    camera_id: i64,
    counters: &Counters,
    (at_ms, now, w, h): (i64, i64, u32, u32),
    rows: Vec<(Detection, u64, bool, Sighting, Option<Track>)>,
    image_path: Option<String>,
) -> Result<FrameWritten> {
    let mut events = Vec::new();
    let mut alerts = Vec::new();
    let tx = c
        .transaction()
        .map_err(|e| vigil_base::err!(Internal, "starting a transaction: {e}"))?;
    for (d, track_id, snapshot, sighting, track) in rows {
        let st = tracks.entry(track_id).or_default();
        let (fw, fh) = (f64::from(w.max(1)), f64::from(h.max(1)));
        let cl = |v: f64| v.clamp(0.0, 1.0);
        let x = cl(f64::from(d.bbox.x1) / fw);
        let y = cl(f64::from(d.bbox.y1) / fh);
        let row = DetectionRow {
            id: 0,
            camera_id,
            event_id: st.event_id,
            at_ms,
            label: d.label.clone(),
            score: f64::from(d.score),
            x,
            y,
            width: cl(f64::from(d.bbox.x2) / fw) - x,
            height: cl(f64::from(d.bbox.y2) / fh) - y,
            image_path: if snapshot { image_path.clone() } else { None },
            metadata_json: serde_json::json!({
                "track_id": track_id,
                "frame": [w, h],
                "zones": st.zones,
                "class_id": d.class_id,
            })
            .to_string(),
        };
        let id = q::insert_detection(&tx, &row)?;
        st.stored += 1;
        st.last_stored_ms = Some(at_ms);
        if row.image_path.is_some() {
            st.last_snapshot_ms = Some(at_ms);
            if d.score >= st.best_score || st.best_id.is_none() {
                st.best_id = Some(id);
            }
        }
        st.best_score = st.best_score.max(d.score);
        if st.event_id.is_none() {
            st.early.push(id);
        }
        if sighting.confirmed_now
            && let Some(t) = &track
        {
            let event = EventRow {
                id: 0,
                camera_id,
                label: t.label.clone(),
                start_ms: t.first_ms,
                end_ms: at_ms,
                ongoing: true,
                top_score: f64::from(st.best_score),
                detections: st.stored,
                best_detection_id: st.best_id,
                zones_json: serde_json::to_string(&st.zones).unwrap_or_default(),
            };
            let event_id = q::insert_event(&tx, &event)?;
            q::link_detections(&tx, event_id, &st.early)?;
            st.early.clear();
            st.event_id = Some(event_id);
            counters.events.fetch_add(1, Ordering::Relaxed);
            let view = DetectionEventView::from_row(&EventRow {
                id: event_id,
                ..event
            });
            events.push(
                Event::new("detection_event:start", Some(camera_id), now).with("event", &view),
            );
            alerts.push((event_id, view));
        } else if let (Some(event_id), Some(t)) = (st.event_id, &track) {
            q::update_event(
                &tx,
                &EventRow {
                    id: event_id,
                    camera_id,
                    label: t.label.clone(),
                    start_ms: t.first_ms,
                    end_ms: at_ms,
                    ongoing: true,
                    top_score: f64::from(st.best_score),
                    detections: st.stored,
                    best_detection_id: st.best_id,
                    zones_json: serde_json::to_string(&st.zones).unwrap_or_default(),
                },
            )?;
        }
        counters.detections.fetch_add(1, Ordering::Relaxed);
        let view = DetectionView::from_row(&DetectionRow {
            id,
            event_id: st.event_id,
            ..row
        });
        events.push(
            Event::new("detection", Some(camera_id), now)
                .with("detection", &view)
                .with("latency_ms", now - at_ms),
        );
    }
    tx.commit()
        .map_err(|e| vigil_base::err!(Internal, "committing detections: {e}"))?;
    Ok((events, alerts))
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil;
    use vigil_base::Clock;
    use vigil_detect::BBox;

    fn person(x: f32, score: f32) -> Detection {
        Detection {
            label: "person".into(),
            class_id: 0,
            score,
            bbox: BBox::new(x, 200.0, x + 60.0, 400.0),
        }
    }

    #[tokio::test]
    async fn a_parked_car_is_stationary_and_survives_seldom_looks() {
        let t = testutil::engine();
        let cam = testutil::camera(&t, "Lot").await;
        let (e, clock) = (t.engine.clone(), t.clock.clone());
        tokio::task::spawn_blocking(move || {
            let frame = RgbImage::from_pixel(640, 480, image::Rgb([90, 90, 90]));
            let mut store = EventStore::new(
                &e,
                &cam,
                &CameraDetection::default(),
                &DetectionSettings::default(),
                Arc::new(Counters::default()),
            );
            let car = |x: f32| Detection {
                label: "car".into(),
                class_id: 2,
                score: 0.7,
                bbox: BBox::new(x, 300.0, x + 200.0, 420.0),
            };
            let t0 = clock.now_ms();
            assert!(
                !store.sighted(t0, &frame, vec![car(100.0)], Duration::ZERO),
                "new"
            );
            assert!(store.sighted(t0 + 1_000, &frame, vec![car(102.0)], Duration::ZERO));
            assert!(
                !store.sighted(t0 + 2_000, &frame, vec![car(160.0)], Duration::ZERO),
                "moved"
            );
            assert!(
                !store.sighted(t0 + 3_000, &frame, vec![], Duration::ZERO),
                "gone"
            );
            // Looks 8 s apart: the track lives on between them.
            store.set_min_lost_after(17_000);
            clock.set_ms(t0 + 12_000);
            store.expire();
            assert!(store.tracking());
            store.set_min_lost_after(0);
            store.expire();
            assert!(!store.tracking(), "back to the tracker's 4 s");
        })
        .await
        .unwrap();
    }

    #[tokio::test]
    async fn a_walker_is_one_event_with_sampled_rows_a_snapshot_and_one_alert() {
        let t = testutil::engine();
        let e = t.engine.clone();
        let cam = testutil::camera(&t, "Yard").await;
        let mut rx = e.events().subscribe();
        let frame = RgbImage::from_pixel(640, 480, image::Rgb([90, 90, 90]));
        let settings = CameraDetection::default();
        let counters = Arc::new(Counters::default());
        let clock = t.clock.clone();
        let (cam2, counters2) = (cam.clone(), counters.clone());
        // The store does blocking database work, as on its detector thread.
        tokio::task::spawn_blocking(move || {
            let mut store = EventStore::new(
                &e,
                &cam2,
                &settings,
                &DetectionSettings::default(),
                counters2,
            );
            let t0 = clock.now_ms();
            // 5 fps for 4 s, walking right; a car below min score and a cat (not a tracked
            // label by default) are filtered out.
            for i in 0..20i64 {
                let at = t0 + i * 200;
                clock.set_ms(at);
                let mut dets = vec![person(20.0 + i as f32 * 15.0, 0.6 + i as f32 * 0.01)];
                dets.push(Detection {
                    label: "car".into(),
                    class_id: 2,
                    score: 0.3,
                    bbox: BBox::new(400.0, 300.0, 600.0, 450.0),
                });
                dets.push(Detection {
                    label: "cat".into(),
                    class_id: 15,
                    score: 0.9,
                    bbox: BBox::new(300.0, 300.0, 350.0, 350.0),
                });
                store.sighted(at, &frame, dets, Duration::ZERO);
                store.expire();
            }
            assert!(store.tracking());
            clock.set_ms(t0 + 19 * 200 + 5_000);
            store.expire();
            assert!(!store.tracking());
        })
        .await
        .unwrap();

        let e = &t.engine;
        let events = e
            .list_detection_events(super::super::EventQuery::default())
            .await
            .unwrap();
        assert_eq!(events.len(), 1, "{events:?}");
        let ev = &events[0];
        assert_eq!(ev.label, "person");
        assert!(!ev.ongoing);
        assert!((ev.top_score - 0.79).abs() < 1e-3, "{ev:?}");
        assert_eq!(
            vigil_base::parse_instant_ms(&ev.end).unwrap()
                - vigil_base::parse_instant_ms(&ev.start).unwrap(),
            19 * 200
        );
        let rows = e
            .list_detections(super::super::DetectionQuery::default())
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
        assert_eq!(counters.objects.load(Ordering::Relaxed), 20);
        // Snapshots: the first sighting and new bests at most every 2 s.
        let with_snapshot = rows.iter().filter(|r| r.snapshot_url.is_some()).count();
        assert!((2..=3).contains(&with_snapshot), "{with_snapshot}");
        let best = ev.best_detection_id.unwrap();
        let jpeg = e.detection_snapshot(best).await.unwrap();
        let img = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (640, 480));

        let alerts = e
            .list_alerts(crate::alerts::AlertQuery::default())
            .await
            .unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].message, "Person detected at Yard");
        assert_eq!(alerts[0].event_id, Some(ev.id));

        let mut kinds = vec![];
        while let Ok(ev) = rx.try_recv() {
            kinds.push(ev.kind.clone());
        }
        assert_eq!(
            kinds
                .iter()
                .filter(|k| *k == "detection_event:start")
                .count(),
            1
        );
        assert_eq!(
            kinds.iter().filter(|k| *k == "detection_event:end").count(),
            1
        );
        assert_eq!(kinds.iter().filter(|k| *k == "alert").count(), 1);
        assert_eq!(
            kinds.iter().filter(|k| *k == "detection").count(),
            rows.len()
        );
        let tl = e
            .timeline(
                cam.id,
                crate::recordings::Window {
                    start_ms: 0,
                    end_ms: i64::MAX / 2,
                },
            )
            .await
            .unwrap();
        assert_eq!(tl.markers.len(), 1);
        assert_eq!(tl.markers[0].kind, "detection");
    }
}
