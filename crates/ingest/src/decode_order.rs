//! Decode times for video that arrives with presentation times only.
//!
//! RTP gives each frame its presentation time and nothing else. A camera that sends B-frames
//! sends them in decode order with presentation times out of order (I0 P4 B2 b1 b3 …), and MP4 —
//! the recorder's segments and the live fMP4 hub — needs a decode time per sample: strictly
//! increasing and never after the sample's own presentation time (the difference is the
//! `ctts`/`trun` composition offset). FFmpeg's RTSP client recovers them by parsing every slice;
//! we take them from the stream's *reorder depth* N, the most frames that may precede a frame in
//! decode order yet follow it in presentation order (H.264 `max_num_reorder_frames`, H.265
//! `sps_max_num_reorder_pics`, read from the SPS by the vendored Retina):
//!
//! the decode time of the k-th frame is the (k − N)-th smallest presentation time, i.e. the
//! smallest presentation time not yet used once N + 1 frames wait; the first N frames are placed
//! one frame interval apart before the first presentation time. With the right N this is exactly
//! increasing and never after the frame's presentation time, with no frame held back (live
//! latency is unchanged). This is how the H.264/H.265 decoding model orders output (C.4.5.3 and
//! C.5.2.2 "bumping"), run backwards.
//!
//! Cameras are not trusted to declare N: the depth used is the larger of the SPS's and what the
//! first frames show, and a frame that proves it too small (its presentation time is at or
//! before a decode time already given out, so no valid time remains for it) is reported as
//! [`Assigned::Deeper`] with the depth seen, for the caller to reconnect with. A presentation
//! time far behind every recent one is not reordering but a camera whose clock stepped back:
//! times after it are shifted to continue from where they were.

use std::collections::VecDeque;

/// The deepest reordering H.264 and H.265 allow (a decoded picture buffer holds at most 16
/// frames).
pub const MAX_REORDER: usize = 16;

/// What became of one frame's presentation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assigned {
    /// Its times: presentation (shifted if the camera's clock stepped back) and decode.
    Times { pts: i64, dts: i64 },
    /// The stream reorders this deep, more than the depth in use: no valid decode time remains
    /// for this frame. Reconnect with this depth.
    Deeper(usize),
}

/// Decode times for one video stream (see the module's documentation).
#[derive(Debug)]
pub struct DecodeOrder {
    depth: usize,
    /// Presentation times not yet used as a decode time, with the frame (in decode order) that
    /// brought each. At most a few dozen: a plain vector beats a heap at this size.
    waiting: Vec<(i64, u64)>,
    /// The last `MAX_REORDER + 1` presentation times, in decode order.
    recent: VecDeque<i64>,
    last_dts: Option<i64>,
    /// The furthest a frame has been presented after it was decoded (pts − dts): how much room
    /// the frames after a keyframe-less clock step need before the one that starts it.
    lead: i64,
    /// Decode time of the first frames: the earliest presentation time among the first N + 1.
    base: i64,
    /// One frame interval (ticks).
    frame: i64,
    /// Added to the camera's times after its clock stepped back.
    offset: i64,
    /// Frames given times so far.
    frames: u64,
}

impl DecodeOrder {
    /// Decode times for a stream whose SPS declares `declared` (if it says), starting with the
    /// presentation times of its first frames in decode order (`first`, the frames read ahead
    /// before a session is announced; the depth they show counts as well), with `frame_ticks`
    /// as the frame interval when `first` is too short to measure one.
    pub fn new(declared: Option<u32>, first: &[i64], frame_ticks: Option<i64>) -> Self {
        let seen = reorder_depth(first);
        let depth = (declared.unwrap_or(0) as usize).max(seen).min(MAX_REORDER);
        Self::with_depth(depth, first, frame_ticks)
    }

    /// Decode times with a known `depth` (one learned from an earlier connection).
    pub fn with_depth(depth: usize, first: &[i64], frame_ticks: Option<i64>) -> Self {
        let depth = depth.min(MAX_REORDER);
        let base = first.iter().take(depth + 1).copied().min().unwrap_or(0);
        let frame = frame_interval(first)
            .or(frame_ticks)
            .filter(|&f| f > 0)
            .unwrap_or(1);
        DecodeOrder {
            depth,
            waiting: Vec::with_capacity(depth + 2),
            recent: VecDeque::with_capacity(MAX_REORDER + 1),
            last_dts: None,
            lead: 0,
            base,
            frame,
            offset: 0,
            frames: 0,
        }
    }

    /// The reorder depth in use.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// How far apart in time two frames can be and still be reordering: 4 × the deepest
    /// reordering in frame intervals, wide enough for a camera that lowers its frame rate (the
    /// interval is measured on the first frames). Further ahead is a bad timestamp; further
    /// behind, a clock that stepped back.
    fn reach(&self) -> i64 {
        self.frame.saturating_mul(4 * MAX_REORDER as i64)
    }

    /// The times of the next frame in decode order, from its presentation time.
    pub fn assign(&mut self, pts: i64) -> Assigned {
        let mut pts = pts.saturating_add(self.offset);
        let reach = self.reach();
        // A repeated time moved forward to keep decode times increasing (not reordering: later
        // frames are judged against the time the camera gave).
        let mut nudged = None;
        if let Some(last) = self.last_dts
            && pts <= last
        {
            // Frames sent before this one and shown after it (a time far ahead is a bad one).
            let later = self
                .recent
                .iter()
                .filter(|&&q| q > pts && q - pts <= reach)
                .count();
            if later > MAX_REORDER || last.saturating_sub(pts) > reach {
                // Behind every recent frame, or further back than any reordering reaches: the
                // camera's clock stepped back. Continue after the latest time, leaving room for
                // the frames after this one that are shown before it (as far as frames have
                // been shown after their decoding).
                let latest = self.recent.iter().copied().max().unwrap_or(last);
                let resume = latest.saturating_add(self.lead.max(self.frame));
                self.offset = self.offset.saturating_add(resume - pts);
                pts = resume;
            } else if later > self.depth {
                return Assigned::Deeper(later);
            } else {
                nudged = Some(last + 1);
            }
        }
        if self.recent.len() > MAX_REORDER {
            self.recent.pop_front();
        }
        self.recent.push_back(pts);
        let pts = nudged.unwrap_or(pts);
        let index = self.frames;
        self.frames += 1;
        // A bad time far ahead would hold a place among the waiting for as long as it is ahead
        // (shrinking the depth for every frame after it): it is not counted while it is out of
        // reach, and it is dropped once it is older than any reordering.
        self.waiting
            .retain(|&(_, i)| index.saturating_sub(i) <= 4 * MAX_REORDER as u64);
        self.waiting.push((pts, index));
        let counted = self
            .waiting
            .iter()
            .filter(|&&(w, _)| w <= pts.saturating_add(reach))
            .count();
        let earliest = self
            .waiting
            .iter()
            .enumerate()
            .min_by_key(|&(_, &(w, _))| w)
            .map(|(at, _)| at);
        let dts = match earliest {
            // The earliest waiting time: always a counted one (the rest are further ahead).
            Some(at) if counted > self.depth => Some(self.waiting.swap_remove(at).0),
            // One of the first N frames: placed a frame apart, before the first presentation.
            _ if index < self.depth as u64 => {
                let before = (self.depth as u64 - index) as i64;
                Some(self.base.saturating_sub(before.saturating_mul(self.frame)))
            }
            // A place lost to a bad time: the smallest step (below).
            _ => None,
        };
        // Never at or before the last (a lying first frame may leave `base` too late): nudge.
        // `pts` is past the last decode time here, so this stays at or before it.
        let dts = match (dts, self.last_dts) {
            (Some(d), Some(l)) if d <= l => l + 1,
            (None, Some(l)) => l + 1,
            (Some(d), _) => d,
            (None, None) => pts,
        }
        .min(pts);
        self.last_dts = Some(dts);
        self.lead = self.lead.max(pts.saturating_sub(dts));
        Assigned::Times { pts, dts }
    }
}

/// The reorder depth a run of presentation times in decode order shows: for each frame, how
/// many frames before it come after it in presentation order; the most of those.
pub fn reorder_depth(pts: &[i64]) -> usize {
    pts.iter()
        .enumerate()
        .map(|(i, &p)| pts[..i].iter().filter(|&&q| q > p).count())
        .max()
        .unwrap_or(0)
}

/// The usual distance between consecutive presentation times (the median gap), if two differ.
fn frame_interval(pts: &[i64]) -> Option<i64> {
    let mut sorted = pts.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut gaps: Vec<i64> = sorted.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    Some(gaps[gaps.len() / 2])
}

#[cfg(test)]
mod tests;
