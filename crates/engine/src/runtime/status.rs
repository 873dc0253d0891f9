//! A running camera's status as `GET /cameras/{id}/status` and `/metrics` show it: its state,
//! last error, counters, and rates over the last few seconds (packets, bytes, frames a second).

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::sync::lock;

use super::Runtimes;
use crate::cameras::{Camera, CameraStatus};

/// A camera's stream right now.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamStatus {
    pub camera_id: i64,
    pub status: CameraStatus,
    /// The last state change.
    pub since_ms: Option<i64>,
    /// When the current outage began (None while it runs).
    pub down_since_ms: Option<i64>,
    pub last_error: Option<String>,
    /// The typed code of `last_error`: what the UI explains it by.
    pub last_error_code: Option<vigil_base::ErrorCode>,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    /// Running totals since the camera started.
    pub packets: u64,
    pub bytes: u64,
    pub reconnects: u64,
    /// Rates over the last few seconds (since the previous status or heartbeat read them).
    pub fps: f64,
    pub bitrate_kbps: f64,
    pub packets_per_second: f64,
    pub last_packet_ms: Option<i64>,
    /// Packets each consumer had to drop.
    pub dropped: HashMap<String, u64>,
    pub recording: RecordingStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct RecordingStatus {
    pub enabled: bool,
    pub segments: u64,
    pub bytes: u64,
    pub dropped_packets: u64,
    pub errors: u64,
}

pub use vigil_record::writer::LATENCY_BOUNDS_MS;

/// Per-camera counters for /metrics.
#[derive(Clone, Debug)]
pub struct StreamCounters {
    pub camera_id: i64,
    pub packets: u64,
    pub bytes: u64,
    pub reconnects: u64,
    pub dropped: Vec<(&'static str, u64)>,
    pub recorded_bytes: u64,
    pub recorder_dropped: u64,
    pub recorder_syncs: u64,
    /// Packets dropped over the bitrate ceiling.
    pub recorder_over_ceiling: u64,
    /// Packet arrival → segment write, per bucket of `vigil_record::writer::LATENCY_BOUNDS_MS`
    /// (the last past every bound), and the sum in ms.
    pub recorder_latency: (
        [u64; vigil_record::writer::LATENCY_BOUNDS_MS.len() + 1],
        u64,
    ),
}

impl Runtimes {
    /// Codec and size of the camera's sub-stream, once it has connected.
    pub fn sub_video(&self, camera_id: i64) -> Option<(Option<String>, u32, u32)> {
        let running = lock(&self.running);
        let snap = running
            .get(&camera_id)?
            .sub_supervisor()?
            .stats()
            .snapshot();
        Some((snap.codec, snap.width, snap.height))
    }

    /// The status of `cam` (stopped if it does not stream).
    pub fn status(&self, cam: &Camera) -> StreamStatus {
        let mut st = StreamStatus {
            camera_id: cam.id,
            status: cam.status,
            since_ms: None,
            down_since_ms: None,
            last_error: None,
            last_error_code: None,
            codec: None,
            width: 0,
            height: 0,
            packets: 0,
            bytes: 0,
            reconnects: 0,
            fps: 0.0,
            bitrate_kbps: 0.0,
            packets_per_second: 0.0,
            last_packet_ms: None,
            dropped: HashMap::new(),
            recording: RecordingStatus {
                enabled: cam.recording_enabled,
                ..Default::default()
            },
        };
        let running = lock(&self.running);
        let Some(r) = running.get(&cam.id) else {
            return st;
        };
        let s = r.supervisor().stats();
        let snap = s.snapshot();
        st.since_ms = Some(snap.since_ms);
        st.down_since_ms = snap.down_since_ms;
        st.last_error = snap.last_error;
        st.last_error_code = snap.last_error_code;
        st.codec = snap.codec;
        st.width = snap.width;
        st.height = snap.height;
        st.packets = s.packets.load(Ordering::Relaxed);
        st.bytes = s.bytes.load(Ordering::Relaxed);
        st.reconnects = s.reconnects.load(Ordering::Relaxed);
        let rates = s.rates(self.clock.instant());
        st.fps = rates.fps;
        st.bitrate_kbps = rates.bitrate_kbps;
        st.packets_per_second = rates.packets_per_second;
        let lp = s.last_packet_ms.load(Ordering::Relaxed);
        st.last_packet_ms = (lp > 0).then_some(lp);
        st.dropped = r
            .supervisor()
            .dropped()
            .into_iter()
            .map(|(n, d)| (n.to_string(), d))
            .collect();
        let rs = r.recorder_stats();
        st.recording.segments = rs.segments.load(Ordering::Relaxed);
        st.recording.bytes = rs.bytes.load(Ordering::Relaxed);
        st.recording.dropped_packets = st.dropped.get("recorder").copied().unwrap_or(0);
        st.recording.errors = rs.errors.load(Ordering::Relaxed);
        st
    }

    pub fn counters(&self) -> Vec<StreamCounters> {
        let running = lock(&self.running);
        let mut out: Vec<_> = running
            .iter()
            .map(|(id, r)| {
                let s = r.supervisor().stats();
                let dropped = r.supervisor().dropped();
                StreamCounters {
                    camera_id: *id,
                    packets: s.packets.load(Ordering::Relaxed),
                    bytes: s.bytes.load(Ordering::Relaxed),
                    reconnects: s.reconnects.load(Ordering::Relaxed),
                    recorder_dropped: dropped
                        .iter()
                        .find(|d| d.0 == "recorder")
                        .map(|d| d.1)
                        .unwrap_or(0),
                    dropped,
                    recorded_bytes: r.recorder_stats().bytes.load(Ordering::Relaxed),
                    recorder_syncs: r.recorder_stats().syncs.load(Ordering::Relaxed),
                    recorder_over_ceiling: r.recorder_stats().over_ceiling.load(Ordering::Relaxed),
                    recorder_latency: r.recorder_stats().write_latency.read(),
                }
            })
            .collect();
        out.sort_by_key(|c| c.camera_id);
        out
    }
}
