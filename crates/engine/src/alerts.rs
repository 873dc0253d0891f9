//! Alerts: what the operator must see — a camera offline, recording failing, storage full, an
//! object detected in a zone, detection unavailable. Each is a row (listed, filtered and
//! acknowledged through the API), an `alert` message on the event bus, and an offer to the
//! desktop notifier (which applies its severity threshold, cooldown and grouping).
//!
//! Conditions that persist (offline, storage) raise one alert per occurrence: the health check
//! remembers what it already reported and reports again only after the condition cleared.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::Ordering;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vigil_base::{Result, err};
use vigil_db::alerts::{self as q, AlertRow};
pub use vigil_notify::Severity;

use crate::{Engine, Event};

/// The kinds of alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    CameraOffline,
    RecordingFailed,
    StorageFull,
    Detection,
    DetectionUnavailable,
}

impl AlertKind {
    pub const ALL: [AlertKind; 5] = [
        AlertKind::CameraOffline,
        AlertKind::RecordingFailed,
        AlertKind::StorageFull,
        AlertKind::Detection,
        AlertKind::DetectionUnavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::CameraOffline => "camera_offline",
            AlertKind::RecordingFailed => "recording_failed",
            AlertKind::StorageFull => "storage_full",
            AlertKind::Detection => "detection",
            AlertKind::DetectionUnavailable => "detection_unavailable",
        }
    }

    pub fn parse(s: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// How loud each kind is: losing video is critical; a person in the yard is a warning;
    /// detection being unavailable is a warning (recording goes on).
    pub fn severity(self) -> Severity {
        match self {
            AlertKind::CameraOffline | AlertKind::RecordingFailed | AlertKind::StorageFull => {
                Severity::Critical
            }
            AlertKind::Detection | AlertKind::DetectionUnavailable => Severity::Warning,
        }
    }
}

/// An alert as the API shows it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Alert {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: AlertKind,
    #[schema(value_type = String)]
    pub severity: Severity,
    pub camera_id: Option<i64>,
    /// The detection event, for `detection` alerts.
    pub event_id: Option<i64>,
    pub message: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub acknowledged: bool,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<String>,
}

impl Alert {
    fn from_row(r: AlertRow) -> Result<Alert> {
        Ok(Alert {
            id: r.id,
            kind: AlertKind::parse(&r.kind)
                .ok_or_else(|| err!(Internal, "alert {} has unknown type {}", r.id, r.kind))?,
            severity: r.severity.parse()?,
            camera_id: r.camera_id,
            event_id: r.event_id,
            message: r.message,
            details: serde_json::from_str(&r.details_json).unwrap_or_default(),
            created_at: vigil_base::format_rfc3339_ms(r.created_at_ms),
            acknowledged: r.acknowledged_at_ms.is_some(),
            acknowledged_at: r.acknowledged_at_ms.map(vigil_base::format_rfc3339_ms),
            acknowledged_by: r.acknowledged_by,
        })
    }
}

/// Query of `GET /alerts`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AlertQuery {
    /// `info`, `warning` or `critical`.
    pub severity: Option<String>,
    /// An alert type, e.g. `camera_offline`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    pub camera_id: Option<i64>,
    pub acknowledged: Option<bool>,
    /// RFC 3339: alerts created at or after.
    pub since: Option<String>,
    /// 1–1000, default 100.
    pub limit: Option<i64>,
}

/// What raises an alert.
pub(crate) struct NewAlert {
    pub kind: AlertKind,
    pub camera_id: Option<i64>,
    pub event_id: Option<i64>,
    pub message: String,
    pub details: serde_json::Value,
}

/// What the health check already reported.
#[derive(Default)]
pub(crate) struct HealthMemory {
    /// Cameras seen not running, since when (cleared once they run again).
    down_since: HashMap<i64, i64>,
    /// Cameras reported offline in their current outage.
    reported: HashSet<i64>,
    storage_full: bool,
    /// When detections were last pruned (ms; 0: not yet).
    last_prune_ms: i64,
}

#[derive(Default)]
pub(crate) struct Alerts {
    pub(crate) health: Mutex<HealthMemory>,
}

impl Engine {
    /// Store, publish and offer an alert (blocking; called from engine threads). Failures are
    /// logged: an alert that cannot be stored must not take its caller down.
    pub(crate) fn raise_alert(&self, new: NewAlert) -> Option<Alert> {
        let now = self.now_ms();
        let row = AlertRow {
            id: 0,
            kind: new.kind.as_str().into(),
            severity: new.kind.severity().as_str().into(),
            camera_id: new.camera_id,
            event_id: new.event_id,
            message: new.message,
            details_json: new.details.to_string(),
            created_at_ms: now,
            acknowledged_at_ms: None,
            acknowledged_by: None,
        };
        let stored = {
            let row = row.clone();
            self.db().write_blocking(move |c| {
                let id = q::insert(c, &row)?;
                let camera_name = match row.camera_id {
                    Some(cam) => vigil_db::cameras::get(c, cam)?.map(|c| c.name),
                    None => None,
                };
                Ok((id, camera_name))
            })
        };
        let (id, camera_name) = match stored {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(kind = row.kind, error = %e, "alert not stored: {}", row.message);
                return None;
            }
        };
        let alert = match Alert::from_row(AlertRow { id, ..row }) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "alert not shown");
                return None;
            }
        };
        tracing::info!(
            alert_id = id,
            kind = alert.kind.as_str(),
            severity = %alert.severity,
            camera_id = ?alert.camera_id,
            "alert: {}",
            alert.message
        );
        self.events().publish(
            Event::new("alert", alert.camera_id, now)
                .with("alert", &alert)
                .with("camera_name", &camera_name),
        );
        self.inner.notifications.offer(vigil_notify::AlertNotice {
            alert_id: id,
            camera_id: alert.camera_id,
            camera_name: camera_name.clone(),
            kind: alert.kind.as_str().into(),
            label: alert.details["label"].as_str().map(String::from),
            severity: alert.severity,
            title: match (&camera_name, alert.kind) {
                (Some(n), AlertKind::Detection) => format!("{n}: detection"),
                (Some(n), AlertKind::CameraOffline) => format!("{n} is offline"),
                (Some(n), _) => n.clone(),
                (None, AlertKind::StorageFull) => "Storage is full".into(),
                (None, _) => "Vigil".into(),
            },
            body: alert.message.clone(),
            at_ms: now,
        });
        Some(alert)
    }

    pub async fn list_alerts(&self, query: AlertQuery) -> Result<Vec<Alert>> {
        let mut fields = vigil_base::FieldErrors::new();
        if let Some(s) = &query.severity
            && s.parse::<Severity>().is_err()
        {
            fields.insert(
                "severity".into(),
                "must be info, warning or critical".into(),
            );
        }
        if let Some(k) = &query.kind
            && AlertKind::parse(k).is_none()
        {
            let all: Vec<&str> = AlertKind::ALL.iter().map(|k| k.as_str()).collect();
            fields.insert("type".into(), format!("must be one of {}", all.join(", ")));
        }
        let since_ms = crate::fields::instant_field(&mut fields, "since", &query.since);
        let limit = crate::fields::limit_field(&mut fields, query.limit);
        if !fields.is_empty() {
            return Err(vigil_base::Error::validation(fields));
        }
        let q = q::AlertQuery {
            severity: query.severity,
            kind: query.kind,
            camera_id: query.camera_id,
            acknowledged: query.acknowledged,
            since_ms,
            limit,
        };
        let rows = self.db().read(move |c| q::list(c, &q)).await?;
        rows.into_iter().map(Alert::from_row).collect()
    }

    pub async fn unacknowledged_alerts(&self) -> Result<i64> {
        self.db().read(q::count_open).await
    }

    /// Acknowledge an alert (idempotent: the first acknowledgement stays).
    pub async fn acknowledge_alert(&self, id: i64, by: &str) -> Result<Alert> {
        let (now, by) = (self.now_ms(), by.to_string());
        let (row, newly) = self
            .db()
            .write(move |c| {
                let Some(before) = q::get(c, id)? else {
                    return Ok(None);
                };
                q::acknowledge(c, id, now, &by)?;
                Ok(q::get(c, id)?.map(|r| (r, before.acknowledged_at_ms.is_none())))
            })
            .await?
            .ok_or_else(|| err!(NotFound, code = AlertNotFound, "no alert {id}"))?;
        let alert = Alert::from_row(row)?;
        // Only the first acknowledgement is news.
        if newly {
            self.events().publish(
                Event::new("alert:acknowledged", alert.camera_id, now).with("alert", &alert),
            );
        }
        Ok(alert)
    }

    /// Desktop notification counters (for status and metrics).
    pub fn notification_stats(&self) -> vigil_notify::NotifyStats {
        self.inner.notifications.stats()
    }

    /// Look for conditions worth an alert: cameras offline for longer than the grace period,
    /// and the recordings disk nearly full. Called every few seconds (blocking).
    pub fn health_check(&self) {
        let now = self.now_ms();
        let grace = self.config().offline_alert_after_ms;
        let cameras = self.camera_health();
        let mut raise = Vec::new();
        if let Ok(mut mem) = self.inner.alerts.health.lock() {
            let mem = &mut *mem;
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
            if let Some(free) = self.recordings_free_space() {
                let min = self.config().storage_min_free_bytes;
                if free.available < min && !mem.storage_full {
                    mem.storage_full = true;
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
                            "path": self.recordings_root().dir,
                        }),
                    });
                } else if free.available >= min.saturating_mul(3) / 2 {
                    mem.storage_full = false;
                }
            }
        }
        for a in raise {
            self.raise_alert(a);
        }
        self.prune_detections_hourly(now);
    }

    /// Delete detections, finished events and snapshots past `detection_retention_days`, at most
    /// once an hour, in batches (each its own short transaction).
    fn prune_detections_hourly(&self, now: i64) {
        const HOUR: i64 = 3_600_000;
        let days = self.config().detection_retention_days;
        if days == 0 {
            return;
        }
        match self.inner.alerts.health.lock() {
            Ok(mut mem) if now - mem.last_prune_ms >= HOUR => mem.last_prune_ms = now,
            _ => return,
        }
        match self.prune_detections(now - i64::from(days) * 24 * HOUR) {
            Ok(0) => {}
            Ok(n) => tracing::info!(detections = n, days, "old detections deleted"),
            Err(e) => tracing::warn!(error = %e, "old detections not deleted"),
        }
    }

    /// Delete what detection stored before `before_ms`; returns the detections deleted.
    pub(crate) fn prune_detections(&self, before_ms: i64) -> Result<usize> {
        const BATCH: i64 = 5_000;
        let dir = self.snapshots_dir();
        let mut total = 0;
        for _ in 0..200 {
            let (deleted, paths) = self
                .db()
                .write_blocking(move |c| vigil_db::detections::prune(c, before_ms, BATCH))?;
            total += deleted;
            for rel in &paths {
                if let Some(p) = crate::detection::snapshot_path(&dir, rel) {
                    let _ = std::fs::remove_file(&p);
                    // The day's directory goes with its last picture.
                    if let Some(parent) = p.parent() {
                        let _ = std::fs::remove_dir(parent);
                    }
                }
            }
            if (deleted as i64) < BATCH {
                break;
            }
        }
        Ok(total)
    }

    /// A recorder gave up on a segment: `storage_full` if the disk is full, else
    /// `recording_failed`.
    pub(crate) fn recording_failed_alert(&self, camera_id: i64, message: &str, full: bool) {
        if full && let Ok(mut mem) = self.inner.alerts.health.lock() {
            if mem.storage_full {
                return;
            }
            mem.storage_full = true;
        }
        self.raise_alert(NewAlert {
            kind: if full {
                AlertKind::StorageFull
            } else {
                AlertKind::RecordingFailed
            },
            camera_id: Some(camera_id),
            event_id: None,
            message: format!("Recording failed: {message}"),
            details: serde_json::json!({ "error": message }),
        });
    }

    fn recordings_free_space(&self) -> Option<FreeSpace> {
        let st = rustix::fs::statvfs(&self.recordings_root().dir).ok()?;
        Some(FreeSpace {
            available: st.f_bavail.saturating_mul(st.f_frsize),
            total: st.f_blocks.saturating_mul(st.f_frsize),
        })
    }

    /// Every streaming camera: up (running) or not, its last packet, its last error.
    fn camera_health(&self) -> Vec<CameraHealth> {
        let Ok(running) = self.inner.streams.running.lock() else {
            return vec![];
        };
        running
            .iter()
            .map(|(id, r)| {
                let stats = r.supervisor.stats();
                let snap = stats.snapshot();
                let last = stats.last_packet_ms.load(Ordering::Relaxed);
                CameraHealth {
                    id: *id,
                    // Stopping is not an outage: someone turned the camera off.
                    up: matches!(
                        snap.state,
                        vigil_ingest::StreamState::Running
                            | vigil_ingest::StreamState::Stopping
                            | vigil_ingest::StreamState::Stopped
                    ),
                    last_packet_ms: (last > 0).then_some(last),
                    detail: snap.last_error,
                }
            })
            .collect()
    }
}

struct CameraHealth {
    id: i64,
    up: bool,
    last_packet_ms: Option<i64>,
    detail: Option<String>,
}

struct FreeSpace {
    available: u64,
    total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil;

    #[tokio::test]
    async fn raise_list_filter_and_acknowledge() {
        let t = testutil::engine();
        let e = &t.engine;
        let mut rx = e.events().subscribe();
        let a = e
            .raise_alert(NewAlert {
                kind: AlertKind::StorageFull,
                camera_id: None,
                event_id: None,
                message: "full".into(),
                details: serde_json::json!({}),
            })
            .unwrap();
        assert_eq!(a.severity, Severity::Critical);
        let ev = rx.recv().await.unwrap();
        assert_eq!(ev.kind, "alert");
        assert_eq!(ev.data["alert"]["type"], "storage_full");
        e.raise_alert(NewAlert {
            kind: AlertKind::DetectionUnavailable,
            camera_id: None,
            event_id: None,
            message: "no runtime".into(),
            details: serde_json::json!({}),
        });
        let all = e.list_alerts(AlertQuery::default()).await.unwrap();
        assert_eq!(all.len(), 2);
        let warn = e
            .list_alerts(AlertQuery {
                severity: Some("warning".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(warn.len(), 1);
        assert_eq!(warn[0].kind, AlertKind::DetectionUnavailable);
        let bad = e
            .list_alerts(AlertQuery {
                severity: Some("loud".into()),
                kind: Some("fire".into()),
                limit: Some(0),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(bad.code(), vigil_base::ErrorCode::ValidationFailed);
        let fields = &bad.details().unwrap()["fields"];
        assert!(fields["severity"].is_string() && fields["type"].is_string());
        assert!(fields["limit"].is_string());

        assert_eq!(e.unacknowledged_alerts().await.unwrap(), 2);
        let acked = e.acknowledge_alert(a.id, "desk").await.unwrap();
        assert!(acked.acknowledged);
        assert_eq!(acked.acknowledged_by.as_deref(), Some("desk"));
        assert_eq!(e.unacknowledged_alerts().await.unwrap(), 1);
        let open = e
            .list_alerts(AlertQuery {
                acknowledged: Some(false),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(open.len(), 1);
        let missing = e.acknowledge_alert(9_999, "desk").await.unwrap_err();
        assert_eq!(missing.code(), vigil_base::ErrorCode::AlertNotFound);
    }

    #[tokio::test]
    async fn old_detections_and_their_snapshots_are_pruned() {
        use vigil_db::detections::{DetectionRow, insert_detection};
        let t = testutil::engine();
        let e = t.engine.clone();
        let cam = testutil::camera(&t, "Yard").await.id;
        let day = 86_400_000i64;
        let now = e.now_ms();
        let dir = e.snapshots_dir();
        let row = |at_ms: i64, image: &str| DetectionRow {
            camera_id: cam,
            at_ms,
            label: "person".into(),
            score: 0.9,
            width: 0.1,
            height: 0.1,
            image_path: Some(image.into()),
            metadata_json: "{}".into(),
            ..Default::default()
        };
        for (at, image) in [(now - 40 * day, "1/old/a.jpg"), (now - day, "1/new/b.jpg")] {
            let p = dir.join(image);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, b"jpeg").unwrap();
            let r = row(at, image);
            e.db()
                .write_blocking(move |c| insert_detection(c, &r))
                .unwrap();
        }
        // The hourly check prunes past the 30-day default; a second check within the hour does not run.
        tokio::task::spawn_blocking(move || {
            e.prune_detections_hourly(now);
            e.prune_detections_hourly(now + 1);
        })
        .await
        .unwrap();
        assert!(!dir.join("1/old/a.jpg").exists() && !dir.join("1/old").exists());
        assert!(dir.join("1/new/b.jpg").exists());
        let left = t
            .engine
            .list_detections(crate::detection::DetectionQuery::default())
            .await
            .unwrap();
        assert_eq!(left.len(), 1);
    }

    #[tokio::test]
    async fn full_disk_in_a_recorder_error_is_storage_full_once() {
        let t = testutil::engine();
        let e = &t.engine;
        let cam = testutil::camera(&t, "Gate").await.id;
        e.recording_failed_alert(
            cam,
            "writing segment: No space left on device (os error 28)",
            true,
        );
        e.recording_failed_alert(
            cam,
            "writing segment: No space left on device (os error 28)",
            true,
        );
        e.recording_failed_alert(cam, "writing segment: Input/output error", false);
        let all = e.list_alerts(AlertQuery::default()).await.unwrap();
        let kinds: Vec<_> = all.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [AlertKind::RecordingFailed, AlertKind::StorageFull],
            "{all:?}"
        );
    }
}
