//! Tracking: ties the detections of successive frames to objects, so one person crossing the yard
//! is one event with a start, an end and a best picture, not a detection every 200 ms. Greedy
//! IoU association per label against each track's position predicted from its recent motion (a
//! walker moves a good part of its width between two frames at 5 fps); a track is confirmed after
//! `min_hits` sightings (one-frame false positives never become events) and ends once unseen for
//! `lost_after_ms`.

use crate::Detection;
use crate::geometry::BBox;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackerConfig {
    /// Least IoU between a detection and a track's predicted box to be the same object.
    pub min_iou: f32,
    /// Sightings before a track is an event.
    pub min_hits: u32,
    /// A track unseen this long has ended.
    pub lost_after_ms: i64,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        TrackerConfig {
            min_iou: 0.2,
            min_hits: 2,
            lost_after_ms: 4_000,
        }
    }
}

/// An object followed across frames.
#[derive(Clone, Debug, PartialEq)]
pub struct Track {
    pub id: u64,
    pub label: String,
    pub bbox: BBox,
    pub first_ms: i64,
    pub last_ms: i64,
    pub hits: u32,
    pub best_score: f32,
    pub confirmed: bool,
    /// Centre velocity in pixels per millisecond (smoothed).
    velocity: (f32, f32),
}

impl Track {
    /// Where the box should be at `at_ms`, if the object keeps moving as it did.
    pub fn predicted(&self, at_ms: i64) -> BBox {
        let dt = (at_ms - self.last_ms).clamp(0, 2_000) as f32;
        let (dx, dy) = (self.velocity.0 * dt, self.velocity.1 * dt);
        BBox::new(
            self.bbox.x1 + dx,
            self.bbox.y1 + dy,
            self.bbox.x2 + dx,
            self.bbox.y2 + dy,
        )
    }
}

/// What became of one detection of a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Sighting {
    /// Index into the detections given to [`Tracker::update`].
    pub index: usize,
    pub track_id: u64,
    /// The first sighting of a new track.
    pub new_track: bool,
    /// The track became confirmed with this sighting (an event starts).
    pub confirmed_now: bool,
    /// The track is confirmed (now or before).
    pub confirmed: bool,
    /// The best score of the track so far.
    pub best: bool,
}

#[derive(Clone, Debug)]
pub struct Tracker {
    config: TrackerConfig,
    tracks: Vec<Track>,
    next_id: u64,
}

impl Tracker {
    pub fn new(config: TrackerConfig) -> Tracker {
        Tracker {
            config,
            tracks: Vec::new(),
            next_id: 1,
        }
    }

    pub fn config(&self) -> &TrackerConfig {
        &self.config
    }

    /// Tracks alive now.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    pub fn track(&self, id: u64) -> Option<&Track> {
        self.tracks.iter().find(|t| t.id == id)
    }

    /// Associate the detections of the frame at `at_ms` (already filtered) with tracks.
    pub fn update(&mut self, at_ms: i64, detections: &[Detection]) -> Vec<Sighting> {
        // Every (track, detection) pair of one label overlapping enough, best overlap first.
        let mut pairs: Vec<(f32, usize, usize)> = Vec::new();
        for (ti, t) in self.tracks.iter().enumerate() {
            let predicted = t.predicted(at_ms);
            for (di, d) in detections.iter().enumerate() {
                if d.label != t.label {
                    continue;
                }
                let iou = predicted.iou(&d.bbox).max(t.bbox.iou(&d.bbox));
                if iou >= self.config.min_iou {
                    pairs.push((1.0 + iou, ti, di));
                } else if let Some(near) = nearness(&predicted, &d.bbox) {
                    // Not overlapping enough (a second sighting, before any velocity is known,
                    // or a fast mover): near and of a similar size still counts, after overlaps.
                    pairs.push((near, ti, di));
                }
            }
        }
        pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut track_taken = vec![false; self.tracks.len()];
        let mut det_taken = vec![None::<usize>; detections.len()];
        for (_, ti, di) in pairs {
            if !track_taken[ti] && det_taken[di].is_none() {
                track_taken[ti] = true;
                det_taken[di] = Some(ti);
            }
        }
        let mut out = Vec::with_capacity(detections.len());
        for (di, d) in detections.iter().enumerate() {
            let sighting = match det_taken[di] {
                Some(ti) => {
                    let min_hits = self.config.min_hits;
                    let t = &mut self.tracks[ti];
                    let dt = (at_ms - t.last_ms).max(1) as f32;
                    let (cx0, cy0) = t.bbox.center();
                    let (cx1, cy1) = d.bbox.center();
                    let v = ((cx1 - cx0) / dt, (cy1 - cy0) / dt);
                    t.velocity = if t.hits == 1 {
                        v
                    } else {
                        (
                            0.5 * t.velocity.0 + 0.5 * v.0,
                            0.5 * t.velocity.1 + 0.5 * v.1,
                        )
                    };
                    t.bbox = d.bbox;
                    t.last_ms = at_ms.max(t.last_ms);
                    t.hits += 1;
                    let best = d.score > t.best_score;
                    if best {
                        t.best_score = d.score;
                    }
                    let confirmed_now = !t.confirmed && t.hits >= min_hits;
                    t.confirmed |= confirmed_now;
                    Sighting {
                        index: di,
                        track_id: t.id,
                        new_track: false,
                        confirmed_now,
                        confirmed: t.confirmed,
                        best,
                    }
                }
                None => {
                    let id = self.next_id;
                    self.next_id += 1;
                    let confirmed = self.config.min_hits <= 1;
                    self.tracks.push(Track {
                        id,
                        label: d.label.clone(),
                        bbox: d.bbox,
                        first_ms: at_ms,
                        last_ms: at_ms,
                        hits: 1,
                        best_score: d.score,
                        confirmed,
                        velocity: (0.0, 0.0),
                    });
                    Sighting {
                        index: di,
                        track_id: id,
                        new_track: true,
                        confirmed_now: confirmed,
                        confirmed,
                        best: true,
                    }
                }
            };
            out.push(sighting);
        }
        out
    }

    /// Remove and return the tracks unseen since `now_ms - lost_after_ms` (unconfirmed ones too:
    /// the caller ignores those).
    pub fn expire(&mut self, now_ms: i64) -> Vec<Track> {
        self.expire_after(now_ms, self.config.lost_after_ms)
    }

    /// [`Tracker::expire`] with another time unseen.
    pub fn expire_after(&mut self, now_ms: i64, lost: i64) -> Vec<Track> {
        let (ended, kept): (Vec<Track>, Vec<Track>) = std::mem::take(&mut self.tracks)
            .into_iter()
            .partition(|t| now_ms - t.last_ms >= lost);
        self.tracks = kept;
        ended
    }

    /// End every track (the stream stopped).
    pub fn finish(&mut self) -> Vec<Track> {
        std::mem::take(&mut self.tracks)
    }
}

/// For boxes of similar size (areas within 2×) whose centres are closer than 60% of the first
/// one's diagonal: `1 - distance / limit` in `(0, 1]`; else None.
fn nearness(a: &BBox, b: &BBox) -> Option<f32> {
    let (aa, ab) = (a.area(), b.area());
    if aa <= 0.0 || ab <= 0.0 || aa > 2.0 * ab || ab > 2.0 * aa {
        return None;
    }
    let limit = 0.6 * a.width().hypot(a.height());
    let ((ax, ay), (bx, by)) = (a.center(), b.center());
    let d = (ax - bx).hypot(ay - by);
    (d < limit).then(|| 1.0 - d / limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(label: &str, x: f32, score: f32) -> Detection {
        Detection {
            label: label.into(),
            class_id: 0,
            score,
            bbox: BBox::new(x, 100.0, x + 40.0, 200.0),
        }
    }

    #[test]
    fn a_walker_is_one_confirmed_track() {
        let mut t = Tracker::new(TrackerConfig::default());
        // 30 px every 200 ms: IoU with the last box 0.14, with the predicted one ~1.
        let mut ids = vec![];
        for i in 0..20 {
            let s = t.update(i * 200, &[det("person", 10.0 + 30.0 * i as f32, 0.6)]);
            assert_eq!(s.len(), 1);
            assert_eq!(s[0].new_track, i == 0, "frame {i}");
            assert_eq!(s[0].confirmed_now, i == 1, "frame {i}");
            ids.push(s[0].track_id);
        }
        ids.dedup();
        assert_eq!(ids.len(), 1);
        assert!(t.expire(3_900).is_empty());
        let ended = t.expire(3_800 + 4_000);
        assert_eq!(ended.len(), 1);
        assert_eq!((ended[0].first_ms, ended[0].last_ms), (0, 3_800));
        assert!(ended[0].confirmed);
    }

    #[test]
    fn labels_and_distant_objects_do_not_mix_and_best_scores_are_marked() {
        let mut t = Tracker::new(TrackerConfig::default());
        let s = t.update(
            0,
            &[
                det("person", 10.0, 0.5),
                det("car", 10.0, 0.9),
                det("person", 300.0, 0.7),
            ],
        );
        assert!(s.iter().all(|s| s.new_track));
        let s = t.update(200, &[det("person", 302.0, 0.8), det("person", 12.0, 0.4)]);
        assert_eq!(s[0].track_id, 3);
        assert!(s[0].best && s[0].confirmed_now);
        assert_eq!(s[1].track_id, 1);
        assert!(!s[1].best);
        assert_eq!(t.tracks().len(), 3);
        // A one-frame ghost never confirms.
        let ended = t.expire(10_000);
        let car = ended.iter().find(|t| t.label == "car").unwrap();
        assert!(!car.confirmed);
    }

    #[test]
    fn two_people_side_by_side_keep_their_tracks() {
        let mut t = Tracker::new(TrackerConfig::default());
        let a = t.update(0, &[det("person", 100.0, 0.6), det("person", 150.0, 0.6)]);
        for i in 1..10 {
            let s = t.update(
                i * 200,
                &[
                    det("person", 150.0 + i as f32 * 2.0, 0.6),
                    det("person", 100.0 - i as f32 * 2.0, 0.6),
                ],
            );
            assert_eq!(s[0].track_id, a[1].track_id);
            assert_eq!(s[1].track_id, a[0].track_id);
        }
        assert_eq!(t.finish().len(), 2);
        assert!(t.tracks().is_empty());
    }
}
