//! Alerts: what the operator must see — a camera offline, recording failing, storage full, an
//! object detected in a zone, detection unavailable. Each is a row (listed, filtered and
//! acknowledged through the API), an `alert` message on the event bus, and an offer to the
//! desktop notifier (which applies its severity threshold, cooldown and grouping).
//!
//! Conditions that persist (offline, storage) raise one alert per occurrence: the health check
//! remembers what it already reported and reports again only after the condition cleared, and
//! the alert then says when it cleared (`resolved_at_ms`). Detections are not one alert per
//! tracked object but one *incident* per burst of activity on a camera (`incidents.rs`).

mod health;
mod incidents;

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use vigil_base::{Clock, Result, err};
use vigil_db::Database;
use vigil_db::alerts::{self as q, AlertRow};
pub use vigil_notify::Severity;

pub use health::{CameraHealth, FreeSpace, HealthConfig};
pub use incidents::{SeverityRule, Sighting};
pub use vigil_db::alerts::AckFilter;

/// What the service tells its owner (who announces it on the event bus).
#[derive(Clone, Debug)]
pub enum AlertEvent {
    /// A new alert, with its camera's name.
    Raised {
        alert: Alert,
        camera_name: Option<String>,
    },
    /// An alert was acknowledged for the first time.
    Acknowledged { alert: Alert },
    /// An incident grew or ended, or a condition cleared: the alert as it is now.
    Updated { alert: Alert },
}

/// Where [`AlertEvent`]s go. Called on whatever thread raised the alert (often the database
/// writer's): it must be quick.
pub type AlertEmitter = Arc<dyn Fn(AlertEvent) + Send + Sync>;

/// The kinds of alert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    CameraOffline,
    RecordingFailed,
    StorageFull,
    Detection,
    DetectionUnavailable,
    /// A storage tier is not there (unmounted NAS, identity file missing).
    StorageTierOffline,
    /// A tier needs room but holds only locked footage.
    StorageLockedOnly,
    /// Failed sign-ins past the threshold in a minute (someone guessing passwords).
    AuthFailures,
    /// The database could not be read at start-up and the newest snapshot was restored: what
    /// changed since it (bookmarks, events, users, settings) is gone; recordings were re-indexed.
    DatabaseRestored,
}

impl AlertKind {
    pub const ALL: [AlertKind; 9] = [
        AlertKind::CameraOffline,
        AlertKind::RecordingFailed,
        AlertKind::StorageFull,
        AlertKind::Detection,
        AlertKind::DetectionUnavailable,
        AlertKind::StorageTierOffline,
        AlertKind::StorageLockedOnly,
        AlertKind::AuthFailures,
        AlertKind::DatabaseRestored,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::CameraOffline => "camera_offline",
            AlertKind::RecordingFailed => "recording_failed",
            AlertKind::StorageFull => "storage_full",
            AlertKind::Detection => "detection",
            AlertKind::DetectionUnavailable => "detection_unavailable",
            AlertKind::StorageTierOffline => "storage_tier_offline",
            AlertKind::StorageLockedOnly => "storage_locked_only",
            AlertKind::AuthFailures => "auth_failures",
            AlertKind::DatabaseRestored => "database_restored",
        }
    }

    pub fn parse(s: &str) -> Option<AlertKind> {
        AlertKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// How loud each kind is: losing video or the index of it is critical; a person in the yard
    /// is a warning; detection being unavailable is a warning (recording goes on).
    pub fn severity(self) -> Severity {
        match self {
            AlertKind::CameraOffline
            | AlertKind::RecordingFailed
            | AlertKind::StorageFull
            | AlertKind::StorageLockedOnly
            | AlertKind::DatabaseRestored => Severity::Critical,
            AlertKind::Detection
            | AlertKind::DetectionUnavailable
            | AlertKind::StorageTierOffline
            | AlertKind::AuthFailures => Severity::Warning,
        }
    }
}

/// An alert.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    pub id: i64,
    pub kind: AlertKind,
    pub severity: Severity,
    pub camera_id: Option<i64>,
    /// The detection event, for `detection` alerts.
    pub event_id: Option<i64>,
    pub message: String,
    pub details: serde_json::Value,
    pub created_at_ms: i64,
    pub acknowledged_at_ms: Option<i64>,
    pub acknowledged_by: Option<String>,
    /// Incidents: the last activity (the start until more comes).
    pub last_at_ms: Option<i64>,
    /// Incidents: when it went quiet; `None` while open.
    pub ended_at_ms: Option<i64>,
    /// Conditions: when it cleared; `None` while it holds.
    pub resolved_at_ms: Option<i64>,
    /// Incidents: tracked objects in it (1 for other alerts).
    pub objects: i64,
    /// Incidents: tracked objects by label.
    pub labels: std::collections::BTreeMap<String, i64>,
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
            created_at_ms: r.created_at_ms,
            acknowledged_at_ms: r.acknowledged_at_ms,
            acknowledged_by: r.acknowledged_by,
            last_at_ms: r.last_at_ms,
            ended_at_ms: r.ended_at_ms,
            resolved_at_ms: r.resolved_at_ms,
            objects: r.objects,
            labels: serde_json::from_str(&r.labels_json).unwrap_or_default(),
        })
    }
}

/// How loud an alert is (the values of `severity`, for the API's document).
#[derive(Clone, Copy, Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeverityName {
    Info,
    Warning,
    Critical,
}

/// Query of `GET /alerts`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AlertQuery {
    /// `info`, `warning` or `critical`.
    #[param(value_type = Option<SeverityName>)]
    pub severity: Option<String>,
    /// An alert type, e.g. `camera_offline`.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<AlertKind>)]
    pub kind: Option<String>,
    pub camera_id: Option<i64>,
    pub acknowledged: Option<bool>,
    /// `false`: still going on (an incident not ended, a condition still holding); `true`: over.
    pub resolved: Option<bool>,
    /// RFC 3339 (or epoch ms): alerts created at or after.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub since: Option<String>,
    /// RFC 3339 (or epoch ms): alerts created before (with `since`, a time range).
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub until: Option<String>,
    /// Incidents with at least one tracked object of this label, e.g. `person`.
    pub label: Option<String>,
    /// Incidents that touched this zone.
    pub zone: Option<String>,
    /// The next page: `next` of the previous answer (`<created ms>.<id>`).
    #[param(pattern = r"^-?[0-9]{1,18}\.[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// A page of alerts and where the next one starts (`None`: this was the last).
pub struct AlertPage {
    pub alerts: Vec<Alert>,
    pub next: Option<String>,
}

/// A paging cursor: the position `(created_at_ms, id)` of the last alert shown, as `ms.id`.
fn cursor_of(a: &Alert) -> String {
    format!("{}.{}", a.created_at_ms, a.id)
}

fn parse_cursor(s: &str) -> Option<(i64, i64)> {
    let (ms, id) = s.split_once('.')?;
    // Digits only (no `+`), as the schema's pattern says.
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(ms.strip_prefix('-').unwrap_or(ms)) || !digits(id) {
        return None;
    }
    Some((ms.parse().ok()?, id.parse().ok()?))
}

/// What raises an alert.
pub struct NewAlert {
    pub kind: AlertKind,
    pub camera_id: Option<i64>,
    pub event_id: Option<i64>,
    pub message: String,
    pub details: serde_json::Value,
}

/// Alerts: stored, announced on the bus, offered to the desktop notifier.
pub struct AlertService {
    db: Database,
    events: AlertEmitter,
    clock: Arc<dyn Clock>,
    notifications: vigil_notify::Notifications,
    health: Mutex<health::HealthMemory>,
    config: HealthConfig,
}

impl AlertService {
    /// Delete alerts raised before `before_ms` (alert retention), in batches so the database
    /// writer is never held long. How many went.
    pub fn prune(&self, before_ms: i64) -> vigil_base::Result<usize> {
        const BATCH: i64 = 5_000;
        let mut total = 0;
        loop {
            let n = self
                .db
                .write_blocking(move |c| vigil_db::alerts::prune(c, before_ms, BATCH))?;
            total += n;
            if (n as i64) < BATCH {
                return Ok(total);
            }
        }
    }

    pub fn new(
        db: Database,
        events: AlertEmitter,
        clock: Arc<dyn Clock>,
        notifications: vigil_notify::Notifications,
        config: HealthConfig,
    ) -> AlertService {
        AlertService {
            db,
            events,
            clock,
            notifications,
            health: Mutex::default(),
            config,
        }
    }

    /// Store, publish and offer an alert, waiting until it is stored (blocking threads only).
    /// Failures are logged: an alert that cannot be stored must not take its caller down.
    pub fn raise(&self, new: NewAlert) -> Option<Alert> {
        let job = self.raise_job(new);
        self.db.write_blocking(move |c| Ok(job(c))).ok().flatten()
    }

    /// As [`AlertService::raise`] without waiting: for threads that must never wait on the
    /// database (a recorder reporting a failure).
    pub fn raise_detached(&self, new: NewAlert) {
        let job = self.raise_job(new);
        self.db.write_detached(move |c| {
            job(c);
        });
    }

    /// The work of raising, run on the database writer's thread: insert, then announce.
    fn raise_job(
        &self,
        new: NewAlert,
    ) -> impl FnOnce(&mut vigil_db::rusqlite::Connection) -> Option<Alert> + Send + 'static {
        let now = self.clock.now_ms();
        let row = AlertRow {
            id: 0,
            kind: new.kind.as_str().into(),
            severity: new.kind.severity().as_str().into(),
            camera_id: new.camera_id,
            event_id: new.event_id,
            message: new.message,
            details_json: new.details.to_string(),
            created_at_ms: now,
            objects: 1,
            labels_json: "{}".into(),
            ..Default::default()
        };
        let (events, notifications) = (self.events.clone(), self.notifications.clone());
        move |c| {
            let stored = q::insert(c, &row).and_then(|id| {
                let name = match row.camera_id {
                    Some(cam) => vigil_db::cameras::get(c, cam)?.map(|c| c.name),
                    None => None,
                };
                Ok((id, name))
            });
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
            announce(&events, &notifications, &alert, camera_name, now);
            Some(alert)
        }
    }

    pub async fn list(&self, query: AlertQuery) -> Result<Vec<Alert>> {
        Ok(self.page(query).await?.alerts)
    }

    /// One page of alerts, newest first, and the cursor of the next.
    pub async fn page(&self, query: AlertQuery) -> Result<AlertPage> {
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
        let since_ms = vigil_base::fields::instant_field(&mut fields, "since", &query.since);
        let until_ms = vigil_base::fields::instant_field(&mut fields, "until", &query.until);
        let limit = vigil_base::fields::limit_field(&mut fields, query.limit);
        let after = query.cursor.as_deref().and_then(|c| {
            let parsed = parse_cursor(c);
            if parsed.is_none() {
                fields.insert(
                    "cursor".into(),
                    "must be the `next` of an earlier answer".into(),
                );
            }
            parsed
        });
        if !fields.is_empty() {
            return Err(vigil_base::Error::validation(fields));
        }
        let q = q::AlertQuery {
            severity: query.severity,
            kind: query.kind,
            camera_id: query.camera_id,
            acknowledged: query.acknowledged,
            resolved: query.resolved,
            since_ms,
            until_ms,
            label: query.label,
            zone: query.zone,
            after,
            // One more than asked says whether another page follows.
            limit: limit + 1,
        };
        let rows = self.db.read(move |c| q::list(c, &q)).await?;
        let mut alerts = rows
            .into_iter()
            .map(Alert::from_row)
            .collect::<Result<Vec<_>>>()?;
        let more = alerts.len() as i64 > limit;
        alerts.truncate(limit as usize);
        let next = more.then(|| alerts.last().map(cursor_of)).flatten();
        Ok(AlertPage { alerts, next })
    }

    pub async fn unacknowledged(&self) -> Result<i64> {
        self.db.read(q::count_open).await
    }

    /// One alert.
    pub async fn get(&self, id: i64) -> Result<Alert> {
        let row = self
            .db
            .read(move |c| q::get(c, id))
            .await?
            .ok_or_else(|| err!(NotFound, code = AlertNotFound, "no alert {id}"))?;
        Alert::from_row(row)
    }

    /// Acknowledge an alert (idempotent: the first acknowledgement stays).
    pub async fn acknowledge(&self, id: i64, by: &str) -> Result<Alert> {
        let (now, by) = (self.clock.now_ms(), by.to_string());
        let (row, newly) = self
            .db
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
            (self.events)(AlertEvent::Acknowledged {
                alert: alert.clone(),
            });
        }
        Ok(alert)
    }

    /// Acknowledge every unacknowledged alert `filter` takes, in one write; the alerts
    /// acknowledged now (each also announced).
    pub async fn acknowledge_many(&self, filter: AckFilter, by: &str) -> Result<Vec<Alert>> {
        let (now, by) = (self.clock.now_ms(), by.to_string());
        let rows = self
            .db
            .write(move |c| q::acknowledge_many(c, &filter, now, &by))
            .await?;
        let alerts: Vec<Alert> = rows
            .into_iter()
            .map(Alert::from_row)
            .collect::<Result<_>>()?;
        for a in &alerts {
            (self.events)(AlertEvent::Acknowledged { alert: a.clone() });
        }
        Ok(alerts)
    }

    /// Desktop notification counters (for status and metrics).
    pub fn notification_stats(&self) -> vigil_notify::NotifyStats {
        self.notifications.stats()
    }

    /// Wait (a bounded time) for notifications being shown.
    pub fn flush_notifications(&self, timeout: std::time::Duration) -> bool {
        self.notifications.flush_timeout(timeout)
    }

    /// A recorder gave up on a segment: `storage_full` (once per episode) if the disk is full,
    /// else `recording_failed`. Never waits.
    pub fn recording_failed(&self, camera_id: i64, message: &str, full: bool) {
        if full && !self.lock_health().note_storage_full() {
            return;
        }
        if !full {
            self.lock_health().recording_failed.insert(camera_id);
        }
        self.raise_detached(NewAlert {
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

    fn lock_health(&self) -> std::sync::MutexGuard<'_, health::HealthMemory> {
        // The memory is plain data: a panic elsewhere cannot leave it inconsistent.
        self.health.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Publish an alert and offer it to the desktop notifier.
fn announce(
    events: &AlertEmitter,
    notifications: &vigil_notify::Notifications,
    alert: &Alert,
    camera_name: Option<String>,
    now: i64,
) {
    tracing::info!(
        alert_id = alert.id,
        kind = alert.kind.as_str(),
        severity = %alert.severity,
        camera_id = ?alert.camera_id,
        "alert: {}",
        alert.message
    );
    events(AlertEvent::Raised {
        alert: alert.clone(),
        camera_name: camera_name.clone(),
    });
    notifications.offer(vigil_notify::AlertNotice {
        alert_id: alert.id,
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
            (None, AlertKind::StorageTierOffline) => "A storage tier is offline".into(),
            (None, AlertKind::StorageLockedOnly) => "Only locked footage is left".into(),
            (None, AlertKind::AuthFailures) => "Failed sign-ins".into(),
            (None, AlertKind::DatabaseRestored) => "The database was restored from a backup".into(),
            (None, _) => "Vigil".into(),
        },
        body: alert.message.clone(),
        at_ms: now,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    pub(crate) struct T {
        pub(crate) alerts: AlertService,
        pub(crate) db: Database,
        pub(crate) seen: Arc<Mutex<Vec<AlertEvent>>>,
        pub(crate) clock: vigil_base::SimulatedClock,
        _dir: tempfile::TempDir,
    }

    pub(crate) fn service() -> T {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("v.db")).unwrap();
        let seen: Arc<Mutex<Vec<AlertEvent>>> = Arc::default();
        let s = seen.clone();
        let clock = vigil_base::SimulatedClock::new(1_763_712_000_000);
        let alerts = AlertService::new(
            db.clone(),
            Arc::new(move |e| s.lock().unwrap().push(e)),
            Arc::new(clock.clone()),
            vigil_notify::Notifications::disabled(),
            HealthConfig::default(),
        );
        T {
            alerts,
            db,
            seen,
            clock,
            _dir: dir,
        }
    }

    /// A camera row to hang alerts on.
    pub(crate) async fn camera(db: &Database, name: &str) -> i64 {
        let name = name.to_string();
        db.write(move |c| {
            c.execute(
                "INSERT INTO camera (name, source_kind, source_json, created_at_ms, updated_at_ms) \
                 VALUES (?1, 'file', '{}', 0, 0)",
                [name],
            )
            .map_err(|e| err!(Internal, "{e}"))?;
            Ok(c.last_insert_rowid())
        })
        .await
        .unwrap()
    }

    /// The database's CHECK on `alert.type` must know every kind (a kind it refuses is raised
    /// into a warning in the log and nowhere else).
    #[tokio::test]
    async fn every_kind_can_be_stored() {
        let t = service();
        for kind in AlertKind::ALL {
            let a = t.alerts.raise(NewAlert {
                kind,
                camera_id: None,
                event_id: None,
                message: kind.as_str().into(),
                details: serde_json::json!({}),
            });
            assert_eq!(a.map(|a| a.kind), Some(kind), "{kind:?} not stored");
        }
    }

    #[tokio::test]
    async fn raise_list_filter_and_acknowledge() {
        let t = service();
        let e = &t;
        let a = e
            .alerts
            .raise(NewAlert {
                kind: AlertKind::StorageFull,
                camera_id: None,
                event_id: None,
                message: "full".into(),
                details: serde_json::json!({}),
            })
            .unwrap();
        assert_eq!(a.severity, Severity::Critical);
        match &t.seen.lock().unwrap()[0] {
            AlertEvent::Raised { alert, camera_name } => {
                assert_eq!(alert.kind, AlertKind::StorageFull);
                assert_eq!(*camera_name, None);
            }
            other => panic!("{other:?}"),
        }
        e.alerts.raise(NewAlert {
            kind: AlertKind::DetectionUnavailable,
            camera_id: None,
            event_id: None,
            message: "no runtime".into(),
            details: serde_json::json!({}),
        });
        let all = e.alerts.list(AlertQuery::default()).await.unwrap();
        assert_eq!(all.len(), 2);
        let warn = e
            .alerts
            .list(AlertQuery {
                severity: Some("warning".into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(warn.len(), 1);
        assert_eq!(warn[0].kind, AlertKind::DetectionUnavailable);
        // Pages of one: the first says where the next starts, the last says none follows.
        let first = e
            .alerts
            .page(AlertQuery {
                limit: Some(1),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(first.alerts.len(), 1);
        let second = e
            .alerts
            .page(AlertQuery {
                limit: Some(1),
                cursor: first.next.clone(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(second.alerts.len(), 1);
        assert_ne!(second.alerts[0].id, first.alerts[0].id);
        assert_eq!(second.next, None);
        let bad = e
            .alerts
            .list(AlertQuery {
                severity: Some("loud".into()),
                kind: Some("fire".into()),
                limit: Some(0),
                cursor: Some("yesterday".into()),
                until: Some("soon".into()),
                ..Default::default()
            })
            .await
            .unwrap_err();
        assert_eq!(bad.code(), vigil_base::ErrorCode::ValidationFailed);
        let fields = &bad.details().unwrap()["fields"];
        assert!(fields["severity"].is_string() && fields["type"].is_string());
        assert!(fields["limit"].is_string());
        assert!(fields["cursor"].is_string() && fields["until"].is_string());

        assert_eq!(e.alerts.unacknowledged().await.unwrap(), 2);
        let acked = e.alerts.acknowledge(a.id, "desk").await.unwrap();
        assert!(acked.acknowledged_at_ms.is_some());
        assert_eq!(acked.acknowledged_by.as_deref(), Some("desk"));
        assert_eq!(e.alerts.unacknowledged().await.unwrap(), 1);
        let open = e
            .alerts
            .list(AlertQuery {
                acknowledged: Some(false),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(open.len(), 1);
        let missing = e.alerts.acknowledge(9_999, "desk").await.unwrap_err();
        assert_eq!(missing.code(), vigil_base::ErrorCode::AlertNotFound);
    }

    #[tokio::test]
    async fn full_disk_in_a_recorder_error_is_storage_full_once() {
        let t = service();
        let e = &t;
        let cam = camera(&t.db, "Gate").await;
        e.alerts.recording_failed(
            cam,
            "writing segment: No space left on device (os error 28)",
            true,
        );
        e.alerts.recording_failed(
            cam,
            "writing segment: No space left on device (os error 28)",
            true,
        );
        e.alerts
            .recording_failed(cam, "writing segment: Input/output error", false);
        // Raised without waiting (a recorder never waits): a write after them is a barrier.
        e.db.write(|_| Ok(())).await.unwrap();
        let all = e.alerts.list(AlertQuery::default()).await.unwrap();
        let kinds: Vec<_> = all.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            [AlertKind::RecordingFailed, AlertKind::StorageFull],
            "{all:?}"
        );
    }
}
