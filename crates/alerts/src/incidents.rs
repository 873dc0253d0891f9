//! Incidents instead of one alert per tracked object. Measured before (issue 13): one busy
//! camera raised 323 detection alerts in 13.9 minutes, a beep every 3–7 s. Now each tracked
//! object that starts on a camera joins the camera's open incident while activity continues
//! (its last activity within the quiet period, default 60 s), and only a sighting after a quiet
//! period opens a new one: one row, one notification, one sound per incident, updated in place
//! (`AlertEvent::Updated`) as objects join. Activity is an object starting, being in view (an
//! ongoing detection event) or leaving (an event's end). An incident ends once the camera has
//! been quiet for the period (the health loop asks, `end_quiet`), at its last activity. Severity comes from rules (a person in a zone named "restricted"
//! is critical by default) and only rises.

use std::collections::BTreeMap;

use serde::Deserialize;
use vigil_base::Result;
use vigil_db::alerts::{self as q, AlertRow};

use super::{Alert, AlertEvent, AlertKind, AlertService, Severity, announce};

/// One tracked object starting on a camera: what may open or grow an incident.
#[derive(Clone, Debug)]
pub struct Sighting {
    pub camera_id: i64,
    pub camera_name: String,
    /// Its detection event.
    pub event_id: i64,
    pub label: String,
    pub zones: Vec<String>,
    pub score: f64,
    /// The stored sighting with its picture.
    pub detection_id: Option<i64>,
    pub at_ms: i64,
}

/// "A `label` (any if unset) in `zone` (any if unset) makes the incident `severity`."
/// Zone names match without regard to case.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeverityRule {
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub zone: Option<String>,
    pub severity: Severity,
}

impl SeverityRule {
    /// The rules when none are configured: a person in a "restricted" zone is critical.
    pub fn defaults() -> Vec<SeverityRule> {
        vec![SeverityRule {
            label: Some("person".into()),
            zone: Some("restricted".into()),
            severity: Severity::Critical,
        }]
    }

    fn matches(&self, label: &str, zones: &[String]) -> bool {
        self.label.as_deref().is_none_or(|l| l == label)
            && self
                .zone
                .as_deref()
                .is_none_or(|z| zones.iter().any(|have| have.eq_ignore_ascii_case(z)))
    }
}

/// The severity `rules` give a sighting: the highest that matches, else a warning.
fn severity_of(rules: &[SeverityRule], label: &str, zones: &[String]) -> Severity {
    rules
        .iter()
        .filter(|r| r.matches(label, zones))
        .map(|r| r.severity)
        .fold(AlertKind::Detection.severity(), Severity::max)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// "Person detected at Yard in Gate" for one object; "3 objects at Yard: 2 person, 1 car in
/// Gate, Drive" once more join.
fn message(camera: &str, labels: &BTreeMap<String, i64>, objects: i64, zones: &[String]) -> String {
    let zones = if zones.is_empty() {
        String::new()
    } else {
        format!(" in {}", zones.join(", "))
    };
    if objects <= 1 {
        let label = labels
            .keys()
            .next()
            .map_or("Object".into(), |l| capitalise(l));
        return format!("{label} detected at {camera}{zones}");
    }
    let mut by: Vec<(&String, &i64)> = labels.iter().collect();
    by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let parts: Vec<String> = by.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!("{objects} objects at {camera}: {}{zones}", parts.join(", "))
}

/// Fold one sighting into an open incident's row.
fn grow(row: &mut AlertRow, s: &Sighting, rules: &[SeverityRule]) {
    let mut labels: BTreeMap<String, i64> =
        serde_json::from_str(&row.labels_json).unwrap_or_default();
    *labels.entry(s.label.clone()).or_insert(0) += 1;
    let mut details: serde_json::Value =
        serde_json::from_str(&row.details_json).unwrap_or_else(|_| serde_json::json!({}));
    let mut zones: Vec<String> =
        serde_json::from_value(details["zones"].clone()).unwrap_or_default();
    for z in &s.zones {
        if !zones.contains(z) {
            zones.push(z.clone());
        }
    }
    // The best picture: the highest-scoring object's.
    if details["score"].as_f64().is_none_or(|best| s.score > best) {
        details["score"] = s.score.into();
        details["detection_id"] = s.detection_id.into();
        details["best_event_id"] = s.event_id.into();
    }
    details["zones"] = serde_json::json!(zones);
    details["labels"] = serde_json::json!(labels);
    row.objects += 1;
    row.last_at_ms = Some(row.last_at_ms.unwrap_or(row.created_at_ms).max(s.at_ms));
    let now: Severity = row.severity.parse().unwrap_or(Severity::Warning);
    row.severity = now
        .max(severity_of(rules, &s.label, &s.zones))
        .as_str()
        .into();
    row.message = message(&s.camera_name, &labels, row.objects, &zones);
    row.labels_json = serde_json::to_string(&labels).unwrap_or_else(|_| "{}".into());
    row.details_json = details.to_string();
}

/// A new incident's row from its first sighting.
fn open(s: &Sighting, rules: &[SeverityRule]) -> AlertRow {
    let labels = BTreeMap::from([(s.label.clone(), 1)]);
    AlertRow {
        kind: AlertKind::Detection.as_str().into(),
        severity: severity_of(rules, &s.label, &s.zones).as_str().into(),
        camera_id: Some(s.camera_id),
        event_id: Some(s.event_id),
        message: message(&s.camera_name, &labels, 1, &s.zones),
        details_json: serde_json::json!({
            "label": s.label,
            "labels": labels,
            "score": s.score,
            "zones": s.zones,
            "detection_id": s.detection_id,
            "best_event_id": s.event_id,
        })
        .to_string(),
        created_at_ms: s.at_ms,
        last_at_ms: Some(s.at_ms),
        objects: 1,
        labels_json: serde_json::to_string(&labels).unwrap_or_else(|_| "{}".into()),
        ..Default::default()
    }
}

impl AlertService {
    /// A tracked object started on a camera: it joins the camera's open incident, or opens one
    /// (announced and notified once). Never waits: run on the database writer.
    pub fn sighting(&self, s: Sighting) {
        let (events, notifications) = (self.events.clone(), self.notifications.clone());
        let (quiet, rules) = (self.config.incident_quiet_ms, self.config.rules.clone());
        let max = self.config.incident_max_ms;
        self.db.write_detached(move |c| {
            let r = (|| -> Result<(Option<Alert>, Option<Alert>)> {
                let mut ended = None;
                if let Some(mut row) = q::open_incident(c, s.camera_id)? {
                    // Its last activity: its last object's start, or a later end of any of the
                    // camera's events; an object still in view keeps it open.
                    let started = row.last_at_ms.unwrap_or(row.created_at_ms);
                    let (ends, ongoing) =
                        q::camera_activity(c, s.camera_id, row.created_at_ms, started, s.event_id)?;
                    let last = started.max(ends.unwrap_or(0));
                    row.last_at_ms = Some(last);
                    let within = s.at_ms - row.created_at_ms < max;
                    if within && (ongoing || s.at_ms - last <= quiet) {
                        grow(&mut row, &s, &rules);
                        q::update_incident(c, &row)?;
                        return Ok((Some(Alert::from_row(row)?), None));
                    }
                    // Quiet for longer than the period, or as long as an incident may last: that
                    // one is over, this is a new one.
                    row.ended_at_ms = Some(last);
                    q::update_incident(c, &row)?;
                    ended = Some(Alert::from_row(row)?);
                }
                let row = open(&s, &rules);
                let id = q::insert(c, &row)?;
                let new = Alert::from_row(AlertRow { id, ..row })?;
                if let Some(e) = ended {
                    events(AlertEvent::Updated { alert: e });
                }
                Ok((None, Some(new)))
            })();
            match r {
                Ok((Some(updated), _)) => events(AlertEvent::Updated { alert: updated }),
                Ok((None, Some(new))) => {
                    announce(&events, &notifications, &new, Some(s.camera_name), s.at_ms)
                }
                Ok((None, None)) => {}
                Err(e) => {
                    tracing::warn!(camera_id = s.camera_id, error = %e, "incident not stored")
                }
            }
        });
    }

    /// End the incidents whose camera has been quiet for the period (no detection event going
    /// on); announced. Blocking: the health loop calls it.
    pub fn end_quiet(&self) -> Result<usize> {
        let before = self.clock.now_ms() - self.config.incident_quiet_ms;
        let rows = self
            .db
            .write_blocking(move |c| q::end_quiet_incidents(c, before))?;
        let n = rows.len();
        for r in rows {
            (self.events)(AlertEvent::Updated {
                alert: Alert::from_row(r)?,
            });
        }
        Ok(n)
    }

    /// The condition behind alerts of `kind` cleared: about `camera_id` (`None`: system-wide),
    /// on every camera with `all_cameras`, or about storage tier `tier`. Each alert still
    /// holding gets `resolved_at_ms` and is announced. Never waits.
    pub fn resolve(
        &self,
        kind: AlertKind,
        camera_id: Option<i64>,
        all_cameras: bool,
        tier: Option<String>,
    ) {
        let (events, now) = (self.events.clone(), self.clock.now_ms());
        self.db.write_detached(move |c| {
            match q::resolve(
                c,
                kind.as_str(),
                camera_id,
                all_cameras,
                tier.as_deref(),
                now,
            ) {
                Ok(rows) => {
                    for r in rows {
                        match Alert::from_row(r) {
                            Ok(alert) => {
                                tracing::info!(
                                    alert_id = alert.id,
                                    kind = kind.as_str(),
                                    "alert resolved"
                                );
                                events(AlertEvent::Updated { alert });
                            }
                            Err(e) => tracing::warn!(error = %e, "resolved alert unreadable"),
                        }
                    }
                }
                Err(e) => tracing::warn!(kind = kind.as_str(), error = %e, "alerts not resolved"),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::{T, camera, service};
    use crate::{AckFilter, AlertQuery, CameraHealth};
    use vigil_base::Clock;

    /// A detection event row (ongoing or not) and the sighting of its start.
    async fn object(
        t: &T,
        cam: i64,
        label: &str,
        zones: &[&str],
        score: f64,
        start: i64,
        end: Option<i64>,
    ) -> Sighting {
        let (l, z) = (label.to_string(), serde_json::json!(zones).to_string());
        let id =
            t.db.write(move |c| {
                c.execute(
                    "INSERT INTO detection_event (camera_id, label, start_ms, end_ms, ongoing, \
                     top_score, zones_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    vigil_db::rusqlite::params![
                        cam,
                        l,
                        start,
                        end.unwrap_or(start),
                        end.is_none(),
                        score,
                        z
                    ],
                )
                .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
                Ok(c.last_insert_rowid())
            })
            .await
            .unwrap();
        Sighting {
            camera_id: cam,
            camera_name: "Yard".into(),
            event_id: id,
            label: label.into(),
            zones: zones.iter().map(|z| z.to_string()).collect(),
            score,
            detection_id: Some(id * 10),
            at_ms: start,
        }
    }

    async fn alerts(t: &T) -> Vec<Alert> {
        t.db.write(|_| Ok(())).await.unwrap(); // barrier: detached writes are done
        t.alerts.list(AlertQuery::default()).await.unwrap()
    }

    fn raised(t: &T) -> usize {
        let seen = t.seen.lock().unwrap();
        seen.iter()
            .filter(|e| matches!(e, AlertEvent::Raised { .. }))
            .count()
    }

    #[tokio::test]
    async fn a_burst_of_objects_is_one_incident_and_quiet_opens_the_next() {
        let t = service();
        let cam = camera(&t.db, "Yard").await;
        let t0 = t.clock.now_ms();
        // 30 objects over 9.5 minutes, one every 19 s: one incident (the quiet period is 60 s).
        for i in 0..30 {
            let label = if i % 3 == 0 { "car" } else { "person" };
            let s = object(
                &t,
                cam,
                label,
                &["drive"],
                0.5 + i as f64 / 100.0,
                t0 + i * 19_000,
                Some(t0 + i * 19_000 + 5_000),
            )
            .await;
            t.alerts.sighting(s);
        }
        let all = alerts(&t).await;
        assert_eq!(all.len(), 1, "{all:?}");
        let inc = &all[0];
        assert_eq!(inc.objects, 30);
        assert_eq!(
            inc.labels,
            BTreeMap::from([("car".into(), 10), ("person".into(), 20)])
        );
        assert_eq!(
            inc.message,
            "30 objects at Yard: 20 person, 10 car in drive"
        );
        assert_eq!(inc.severity, Severity::Warning);
        assert_eq!(inc.created_at_ms, t0);
        assert_eq!(inc.ended_at_ms, None);
        // The best picture is the highest-scoring object's (the last one here).
        assert_eq!(inc.details["score"].as_f64(), Some(0.79));
        assert_eq!(raised(&t), 1, "notified and sounded once");

        // Quiet: not yet over 60 s after the last object left...
        t.clock.set_ms(t0 + 29 * 19_000 + 5_000 + 59_000);
        assert_eq!(t.alerts.end_quiet().unwrap(), 0);
        // ...then it ends, at the last object's end.
        t.clock.set_ms(t0 + 29 * 19_000 + 5_000 + 61_000);
        assert_eq!(t.alerts.end_quiet().unwrap(), 1);
        let inc = &alerts(&t).await[0];
        assert_eq!(inc.ended_at_ms, Some(t0 + 29 * 19_000 + 5_000));
        // The next object opens a new incident, announced once more.
        let s = object(&t, cam, "person", &[], 0.9, t.clock.now_ms(), None).await;
        t.alerts.sighting(s);
        let all = alerts(&t).await;
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].message, "Person detected at Yard");
        assert_eq!(raised(&t), 2);
    }

    #[tokio::test]
    async fn activity_that_never_pauses_is_cut_into_incidents_of_the_longest_length() {
        let t = service();
        let cam = camera(&t.db, "Yard").await;
        let t0 = t.clock.now_ms();
        // An object every 30 s for 25 minutes, never quiet: incidents of 10 minutes at most.
        for i in 0..50 {
            let at = t0 + i * 30_000;
            let s = object(&t, cam, "person", &[], 0.6, at, Some(at + 10_000)).await;
            t.alerts.sighting(s);
        }
        let mut all = alerts(&t).await;
        all.reverse();
        assert_eq!(all.len(), 3, "{all:?}");
        assert_eq!(raised(&t), 3, "heard of again every 10 minutes");
        assert_eq!(
            all.iter().map(|a| a.objects).collect::<Vec<_>>(),
            [20, 20, 10]
        );
        // Each cut incident ends at its last activity; the last goes on.
        assert_eq!(all[0].ended_at_ms, Some(t0 + 19 * 30_000 + 10_000));
        assert_eq!(all[1].created_at_ms, t0 + 20 * 30_000);
        assert_eq!(all[2].ended_at_ms, None);
    }

    #[tokio::test]
    async fn an_object_in_view_keeps_the_incident_open_and_rules_raise_severity() {
        let t = service();
        let cam = camera(&t.db, "Yard").await;
        let t0 = t.clock.now_ms();
        let s = object(&t, cam, "person", &["Gate"], 0.6, t0, None).await;
        t.alerts.sighting(s);
        // Five minutes later the person is still there (ongoing): no end, and a second object
        // joins the same incident although the last *start* was long ago.
        t.clock.set_ms(t0 + 300_000);
        assert_eq!(t.alerts.end_quiet().unwrap(), 0);
        let s = object(
            &t,
            cam,
            "person",
            &["Restricted"],
            0.7,
            t0 + 300_000,
            Some(t0 + 301_000),
        )
        .await;
        t.alerts.sighting(s);
        let all = alerts(&t).await;
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].objects, 2);
        // A person in a zone named "restricted" (any case) is critical by the default rule.
        assert_eq!(all[0].severity, Severity::Critical);
        assert_eq!(
            all[0].details["zones"],
            serde_json::json!(["Gate", "Restricted"])
        );
        // A car in the restricted zone alone would not be.
        assert_eq!(
            severity_of(&SeverityRule::defaults(), "car", &["restricted".into()]),
            Severity::Warning
        );
        let updated = t
            .seen
            .lock()
            .unwrap()
            .iter()
            .filter(|e| matches!(e, AlertEvent::Updated { .. }))
            .count();
        assert_eq!(
            updated, 1,
            "the second object updated the incident in place"
        );
    }

    #[tokio::test]
    async fn offline_resolves_when_the_camera_is_back_and_bulk_ack_takes_a_filter() {
        let t = service();
        let cam = camera(&t.db, "Gate").await;
        let dir = std::path::Path::new("/");
        let down = CameraHealth {
            id: cam,
            up: false,
            last_packet_ms: None,
            detail: Some("connection refused".into()),
            recording_failing: false,
        };
        t.alerts
            .check_health(std::slice::from_ref(&down), None, dir);
        t.clock.advance_ms(10_000);
        t.alerts.check_health(&[down], None, dir);
        let all = alerts(&t).await;
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].kind, AlertKind::CameraOffline);
        assert_eq!(all[0].resolved_at_ms, None);
        t.clock.advance_ms(134_000);
        let back = t.clock.now_ms();
        t.alerts.check_health(
            &[CameraHealth {
                id: cam,
                up: true,
                last_packet_ms: Some(back),
                detail: None,
                recording_failing: false,
            }],
            None,
            dir,
        );
        let all = alerts(&t).await;
        assert_eq!(all[0].resolved_at_ms, Some(back), "{all:?}");
        let holding = AlertQuery {
            resolved: Some(false),
            ..Default::default()
        };
        assert!(t.alerts.list(holding.clone()).await.unwrap().is_empty());

        // A recorder failing raises recording_failed; recording whole segments again clears it.
        t.alerts
            .recording_failed(cam, "writing segment: Input/output error", false);
        let failing = |f: bool| CameraHealth {
            id: cam,
            up: true,
            last_packet_ms: Some(back),
            detail: None,
            recording_failing: f,
        };
        t.alerts.check_health(&[failing(true)], None, dir);
        let open = alerts(&t).await;
        assert_eq!(
            t.alerts.list(holding.clone()).await.unwrap().len(),
            1,
            "{open:?}"
        );
        t.alerts.check_health(&[failing(false)], None, dir);
        let _ = alerts(&t).await;
        assert!(t.alerts.list(holding).await.unwrap().is_empty());

        // Bulk: three detections and the offline alert; acknowledge the warnings only.
        for i in 0..3 {
            let s = object(
                &t,
                cam,
                "car",
                &[],
                0.5,
                back + i * 120_000,
                Some(back + i * 120_000),
            )
            .await;
            t.clock.set_ms(back + i * 120_000 + 61_000);
            t.alerts.end_quiet().unwrap();
            t.alerts.sighting(s);
        }
        assert_eq!(alerts(&t).await.len(), 5);
        let done = t
            .alerts
            .acknowledge_many(
                AckFilter {
                    severity: Some("warning".into()),
                    ..Default::default()
                },
                "desk",
            )
            .await
            .unwrap();
        assert_eq!(done.len(), 3);
        assert_eq!(t.alerts.unacknowledged().await.unwrap(), 2);
        // Again: nothing new to acknowledge.
        let again = t
            .alerts
            .acknowledge_many(
                AckFilter {
                    severity: Some("warning".into()),
                    ..Default::default()
                },
                "desk",
            )
            .await
            .unwrap();
        assert!(again.is_empty());
        let by_id = t
            .alerts
            .acknowledge_many(
                AckFilter {
                    ids: Some(vec![all[0].id]),
                    ..Default::default()
                },
                "desk",
            )
            .await
            .unwrap();
        assert_eq!(by_id.len(), 1);
        // The recorder's alert is left.
        assert_eq!(t.alerts.unacknowledged().await.unwrap(), 1);
    }
}
