//! From model answers to what is kept: the camera's filter, the tracker, and the decisions of
//! which sightings become rows, which frames become annotated snapshots, and when a tracked
//! object's event starts and ends — reported to the [`DetectionSink`].
//!
//! Not every sighting is kept: a track's first, its confirmation, then about one a second, and
//! each new best score (with a snapshot at most every 2 s per track) — enough for the timeline
//! and the event's best picture without a row per object per frame.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use image::RgbImage;
use vigil_base::Clock;
use vigil_detect::annotate::{Mark, draw, encode_jpeg};
use vigil_detect::{Detection, Filter, Sighting, Track, Tracker, TrackerConfig};

use crate::report::{DetectionSink, EventReport, FrameReport, SightingReport};
use crate::worker::Counters;

/// What is remembered of a live track.
#[derive(Default)]
struct TrackState {
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

/// One camera's filter, tracker and tracks: what the detector thread runs on each answer of the
/// model (public so an owner can test its sink with the real decisions).
pub struct Tracking {
    camera_id: i64,
    filter: Filter,
    tracker: Tracker,
    tracks: HashMap<u64, TrackState>,
    quality: u8,
    counters: Arc<Counters>,
    sink: Arc<dyn DetectionSink>,
    clock: Arc<dyn Clock>,
    warned: bool,
    /// Unseen this long ends a track: the tracker's setting, or more while the detector looks
    /// at still scenes seldom (see the worker's look interval).
    lost_after_ms: i64,
    base_lost_after_ms: i64,
}

/// Overlap of a box with its previous sighting above which the object has not moved.
const STILL_IOU: f32 = 0.85;

/// A sighting about to be kept, with what decided it.
struct Keep {
    index: usize,
    sighting: Sighting,
    snapshot: bool,
}

impl Tracking {
    /// Track camera `camera_id`'s objects through `filter`, reporting to `sink`.
    pub fn new(
        camera_id: i64,
        filter: Filter,
        tracker: TrackerConfig,
        quality: u8,
        sink: Arc<dyn DetectionSink>,
        clock: Arc<dyn Clock>,
    ) -> Tracking {
        Self::with_counters(
            camera_id,
            filter,
            tracker,
            quality,
            Arc::default(),
            sink,
            clock,
        )
    }

    pub(crate) fn with_counters(
        camera_id: i64,
        filter: Filter,
        tracker: TrackerConfig,
        quality: u8,
        counters: Arc<Counters>,
        sink: Arc<dyn DetectionSink>,
        clock: Arc<dyn Clock>,
    ) -> Tracking {
        Tracking {
            camera_id,
            filter,
            tracker: Tracker::new(tracker),
            tracks: HashMap::new(),
            quality,
            counters,
            sink,
            clock,
            warned: false,
            lost_after_ms: tracker.lost_after_ms,
            base_lost_after_ms: tracker.lost_after_ms,
        }
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
    pub fn sighted(&mut self, at_ms: i64, frame: &RgbImage, detections: Vec<Detection>) -> bool {
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
        let mut keep = Vec::new();
        for s in sightings {
            let d = &kept[s.index];
            let zones = self.filter.zones_containing(d, w, h);
            let st = self.tracks.entry(s.track_id).or_default();
            st.zones.extend(zones.into_iter().map(String::from));
            let since_stored = st.last_stored_ms.map_or(i64::MAX, |t| at_ms - t);
            let since_snapshot = st.last_snapshot_ms.map_or(i64::MAX, |t| at_ms - t);
            let store = s.new_track
                || s.confirmed_now
                || (s.best && since_stored >= 500)
                || since_stored >= 1_000;
            if store {
                let snapshot = s.new_track || (s.best && since_snapshot >= 2_000);
                keep.push(Keep {
                    index: s.index,
                    sighting: s,
                    snapshot,
                });
            }
        }
        if keep.is_empty() {
            return stationary;
        }
        let picture = if keep.iter().any(|k| k.snapshot) {
            self.snapshot(at_ms, frame, &kept)
        } else {
            None
        };
        self.report(at_ms, (w, h), &kept, keep, picture);
        stationary
    }

    /// Report the kept sightings of a frame, then remember what the sink stored.
    fn report(
        &mut self,
        at_ms: i64,
        frame: (u32, u32),
        kept: &[Detection],
        keep: Vec<Keep>,
        picture: Option<String>,
    ) {
        let (fw, fh) = (f64::from(frame.0.max(1)), f64::from(frame.1.max(1)));
        let c = |v: f64| v.clamp(0.0, 1.0);
        let mut sightings = Vec::with_capacity(keep.len());
        for k in &keep {
            let d = &kept[k.index];
            let st = self.tracks.entry(k.sighting.track_id).or_default();
            let track: Option<&Track> = self.tracker.track(k.sighting.track_id);
            let snapshot = if k.snapshot { picture.clone() } else { None };
            let best = snapshot.is_some() && (d.score >= st.best_score || st.best_id.is_none());
            let starts_event = k.sighting.confirmed_now && track.is_some();
            let event = track
                .filter(|_| starts_event || st.event_id.is_some())
                .map(|t| EventReport {
                    id: if starts_event { None } else { st.event_id },
                    camera_id: self.camera_id,
                    label: t.label.clone(),
                    start_ms: t.first_ms,
                    end_ms: at_ms,
                    ongoing: true,
                    top_score: st.best_score.max(d.score),
                    detections: st.stored + 1,
                    best_detection_id: st.best_id,
                    zones: st.zones.iter().cloned().collect(),
                });
            let (x, y) = (c(f64::from(d.bbox.x1) / fw), c(f64::from(d.bbox.y1) / fh));
            sightings.push(SightingReport {
                track_id: k.sighting.track_id,
                label: d.label.clone(),
                class_id: d.class_id,
                score: d.score,
                bbox: [
                    x,
                    y,
                    c(f64::from(d.bbox.x2) / fw) - x,
                    c(f64::from(d.bbox.y2) / fh) - y,
                ],
                zones: st.zones.iter().cloned().collect(),
                snapshot,
                event,
                starts_event,
                link_earlier: if starts_event {
                    st.early.clone()
                } else {
                    vec![]
                },
                best,
            });
        }
        let report = FrameReport {
            camera_id: self.camera_id,
            at_ms,
            answered_ms: self.clock.now_ms(),
            frame,
            sightings,
        };
        let stored = match self.sink.frame(report.clone()) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(camera_id = self.camera_id, error = %e, "detections not stored");
                return;
            }
        };
        for (i, s) in report.sightings.iter().enumerate() {
            let Some(&id) = stored.detection_ids.get(i) else {
                continue;
            };
            let st = self.tracks.entry(s.track_id).or_default();
            st.stored += 1;
            st.last_stored_ms = Some(at_ms);
            if s.snapshot.is_some() {
                st.last_snapshot_ms = Some(at_ms);
            }
            if s.best {
                st.best_id = Some(id);
            }
            st.best_score = st.best_score.max(s.score);
            match stored.started_events.get(i).copied().flatten() {
                Some(event_id) => {
                    st.event_id = Some(event_id);
                    st.early.clear();
                    self.counters.events.fetch_add(1, Ordering::Relaxed);
                }
                None if st.event_id.is_none() => st.early.push(id),
                None => {}
            }
            self.counters.detections.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Draw the frame's boxes and hand the JPEG to the sink; the name it was kept under.
    fn snapshot(&mut self, at_ms: i64, frame: &RgbImage, kept: &[Detection]) -> Option<String> {
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
        match encode_jpeg(&img, self.quality) {
            Ok(jpeg) => self.sink.snapshot(self.camera_id, at_ms, jpeg),
            Err(e) => {
                if !self.warned {
                    self.warned = true;
                    tracing::warn!(camera_id = self.camera_id, error = %e, "snapshots cannot be made");
                }
                None
            }
        }
    }

    /// End the tracks unseen for a while.
    pub fn expire(&mut self) {
        let now = self.clock.now_ms();
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
            let event = EventReport {
                id: Some(event_id),
                camera_id: self.camera_id,
                label: t.label.clone(),
                start_ms: t.first_ms,
                end_ms: t.last_ms,
                ongoing: false,
                top_score: st.best_score,
                detections: st.stored,
                best_detection_id: st.best_id,
                zones: st.zones.into_iter().collect(),
            };
            if let Err(e) = self.sink.event_ended(event) {
                tracing::warn!(camera_id = self.camera_id, error = %e, "event end not stored");
            }
        }
    }
}
