//! Conditions that persist — a camera offline, the recordings disk nearly full — raise one alert
//! per occurrence: the health check remembers what it already reported and reports again only
//! after the condition cleared. The running engine calls it every few seconds with what the
//! camera runtimes and the disk say.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{AlertKind, AlertService, NewAlert};

/// When conditions become alerts.
#[derive(Clone, Debug)]
pub struct HealthConfig {
    /// A camera down this long raises `camera_offline`.
    pub offline_alert_after_ms: i64,
    /// Less free space than this on the recordings disk raises `storage_full`.
    pub storage_min_free_bytes: u64,
    /// A camera quiet this long ends its incident; a sighting after it opens a new one.
    pub incident_quiet_ms: i64,
    /// An incident longer than this ends at its last activity and the next sighting opens another
    /// (activity that never pauses is still heard of again, in reviewable pieces).
    pub incident_max_ms: i64,
    /// What makes an incident more than a warning.
    pub rules: Vec<super::SeverityRule>,
}

impl Default for HealthConfig {
    fn default() -> Self {
        HealthConfig {
            offline_alert_after_ms: 5_000,
            storage_min_free_bytes: 1 << 30,
            incident_quiet_ms: 60_000,
            incident_max_ms: 10 * 60_000,
            rules: super::SeverityRule::defaults(),
        }
    }
}

/// A streaming camera as the health check sees it.
#[derive(Clone, Debug)]
pub struct CameraHealth {
    pub id: i64,
    /// Running (or stopping on purpose): not an outage.
    pub up: bool,
    pub last_packet_ms: Option<i64>,
    pub detail: Option<String>,
    /// Its recorder is failing now (cleared once a segment is finished whole again).
    pub recording_failing: bool,
}

/// Space on a filesystem.
#[derive(Clone, Copy, Debug)]
pub struct FreeSpace {
    pub available: u64,
    pub total: u64,
}

impl FreeSpace {
    /// The space of the filesystem holding `path`.
    pub fn of(path: &Path) -> Option<FreeSpace> {
        let st = rustix::fs::statvfs(path).ok()?;
        Some(FreeSpace {
            available: st.f_bavail.saturating_mul(st.f_frsize),
            total: st.f_blocks.saturating_mul(st.f_frsize),
        })
    }
}

/// What the health check already reported.
#[derive(Default)]
pub(super) struct HealthMemory {
    /// Cameras seen not running, since when (cleared once they run again).
    down_since: HashMap<i64, i64>,
    /// Cameras reported offline in their current outage.
    reported: HashSet<i64>,
    storage_full: bool,
    /// Cameras whose recorder raised `recording_failed` since it last recorded whole segments.
    pub(super) recording_failed: HashSet<i64>,
    /// The first check ran (it resolves offline alerts a stop left holding).
    checked: bool,
}

impl HealthMemory {
    /// A full disk was seen; true the first time in this episode.
    pub(super) fn note_storage_full(&mut self) -> bool {
        !std::mem::replace(&mut self.storage_full, true)
    }
}

impl AlertService {
    /// Raise what `cameras` and the recordings disk (`free` of `dir`) call for. Blocking.
    pub fn check_health(&self, cameras: &[CameraHealth], free: Option<FreeSpace>, dir: &Path) {
        let now = self.clock.now_ms();
        let grace = self.config.offline_alert_after_ms;
        let mut raise = Vec::new();
        let mut back = Vec::new();
        let mut recording_back = Vec::new();
        let mut space_back = false;
        {
            let mut guard = self.lock_health();
            let mem = &mut *guard;
            // Cameras running again after an outage they were reported for: resolved. On the
            // first check, every running camera (an outage before a restart ends too).
            let first = !std::mem::replace(&mut mem.checked, true);
            for c in cameras.iter().filter(|c| c.up) {
                if first || mem.reported.contains(&c.id) {
                    back.push(c.id);
                }
            }
            // Recorders writing whole segments again: their failures are over.
            for c in cameras.iter().filter(|c| !c.recording_failing) {
                if mem.recording_failed.remove(&c.id) || first {
                    recording_back.push(c.id);
                }
            }
            // Forget cameras that run again (or are gone): their next outage is a new alert.
            mem.down_since
                .retain(|id, _| cameras.iter().any(|c| c.id == *id && !c.up));
            mem.reported.retain(|id| mem.down_since.contains_key(id));
            for c in cameras.iter().filter(|c| !c.up) {
                let seen = *mem.down_since.entry(c.id).or_insert(now);
                // Down since its last packet if it had one, else since first seen down.
                let since = c.last_packet_ms.map_or(seen, |p| p.min(seen));
                if now - since >= grace && mem.reported.insert(c.id) {
                    raise.push(NewAlert {
                        kind: AlertKind::CameraOffline,
                        camera_id: Some(c.id),
                        event_id: None,
                        message: match &c.detail {
                            Some(d) => format!("Camera is offline: {d}"),
                            None => "Camera is offline".into(),
                        },
                        details: serde_json::json!({
                            "since": vigil_base::format_rfc3339_ms(since),
                            "error": c.detail,
                        }),
                    });
                }
            }
            if let Some(free) = free {
                let min = self.config.storage_min_free_bytes;
                if free.available < min && mem.note_storage_full() {
                    raise.push(NewAlert {
                        kind: AlertKind::StorageFull,
                        camera_id: None,
                        event_id: None,
                        message: format!(
                            "Recording storage is nearly full: {} MiB free of {} MiB",
                            free.available >> 20,
                            free.total >> 20
                        ),
                        details: serde_json::json!({
                            "available_bytes": free.available,
                            "total_bytes": free.total,
                            "path": dir,
                        }),
                    });
                } else if free.available >= min.saturating_mul(3) / 2
                    && std::mem::take(&mut mem.storage_full)
                {
                    space_back = true;
                }
            }
        }
        for id in back {
            self.resolve(AlertKind::CameraOffline, Some(id), false, None);
        }
        for id in recording_back {
            self.resolve(AlertKind::RecordingFailed, Some(id), false, None);
        }
        if space_back {
            self.resolve(AlertKind::StorageFull, None, true, None);
        }
        for a in raise {
            self.raise(a);
        }
    }
}
