//! The engine at work: [`Engine::start`] starts the enabled cameras, loads detection in the
//! background, and runs the periodic work — heartbeats, health checks, retention — as tasks the
//! [`RunningEngine`] owns. [`RunningEngine::stop`] ends them, stops every camera (reporting any
//! that does not stop in time instead of leaving it silently) and closes the database.

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinHandle;
use vigil_base::Result;
use vigil_base::shutdown::{Shutdown, ShutdownWaiter};

use crate::Engine;
use crate::alerts::FreeSpace;

/// How often the health check looks for offline cameras and a full disk.
const HEALTH_EVERY: Duration = Duration::from_secs(2);
/// How often failed sign-ins are counted against the `auth_failures` threshold.
const AUTH_WATCH_EVERY: Duration = Duration::from_secs(5);
/// At most one `auth_failures` alert in this long (an attack goes on for minutes).
const AUTH_ALERT_EVERY_MS: i64 = 10 * 60_000;
/// How often old detections, alerts and exports are pruned.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// A started engine: its background tasks, until [`RunningEngine::stop`].
pub struct RunningEngine {
    engine: Engine,
    shutdown: Shutdown,
    tasks: Vec<(&'static str, JoinHandle<()>)>,
    storage_thread: Option<std::thread::JoinHandle<()>>,
}

impl Engine {
    /// Start the engine's work on the current tokio runtime: cameras (when `autostart`),
    /// detection (loaded in the background; cameras attach once it is ready), heartbeats, health
    /// checks and retention.
    pub async fn start(&self) -> Result<RunningEngine> {
        if self.config().autostart {
            let e = self.clone();
            tokio::task::spawn_blocking(move || e.cameras().start_enabled())
                .await
                .map_err(|e| vigil_base::err!(Internal, "start-up task: {e}"))??;
        }
        let (shutdown, waiter) = Shutdown::new();
        let mut tasks = Vec::new();
        let e = self.clone();
        tasks.push((
            "detection loader",
            tokio::task::spawn_blocking(move || {
                // Loading ONNX Runtime and the model takes a moment; nothing else waits for it.
                e.detection().load();
                match e.cameras().list_blocking() {
                    Ok(cams) => e.runtimes().resync_detection(&cams),
                    Err(err) => tracing::warn!(error = %err, "cameras not attached to detection"),
                }
            }),
        ));
        let (e, stop) = (self.clone(), waiter.clone());
        tasks.push((
            "mqtt",
            tokio::spawn(async move { crate::mqtt::service::supervise(e, stop).await }),
        ));
        let (channels, stop) = (self.channels().clone(), waiter.clone());
        tasks.push((
            "alert channels",
            tokio::spawn(async move { channels.run(stop.wait()).await }),
        ));
        let e = self.clone();
        tasks.push((
            "heartbeats",
            tokio::spawn(every(
                self.config().heartbeat_every(),
                waiter.clone(),
                move || {
                    let live = e.inner.live.clone();
                    e.runtimes().heartbeat(|id| live.viewer_counts(id));
                },
            )),
        ));
        let e = self.clone();
        tasks.push((
            "health checks",
            tokio::spawn(every(HEALTH_EVERY, waiter.clone(), move || {
                let dir = e.runtimes().recordings_root().dir.clone();
                e.alerts()
                    .check_health(&e.runtimes().health(), FreeSpace::of(&dir), &dir);
                if let Err(err) = e.alerts().end_quiet() {
                    tracing::warn!(error = %err, "ending quiet incidents failed");
                }
            })),
        ));
        // The storage mover and its free-space checks, on their own thread (a slow or hung tier
        // never holds up anything else); stopped and joined by `RunningEngine::stop`. A plain
        // thread, not a blocking task: a runtime dropped without `stop` does not wait for it.
        let storage_thread = self
            .storage()
            .spawn()
            .map_err(|e| vigil_base::err!(Internal, "starting the storage thread: {e}"))?;
        let e = self.clone();
        tasks.push((
            "retention",
            tokio::spawn(every(RETENTION_EVERY, waiter.clone(), move || {
                e.prune_detections(e.now_ms());
                e.prune_alerts_and_exports(e.now_ms());
                e.prune_audit_and_sessions();
                e.forget_removed_cameras();
                e.nightly_backup();
            })),
        ));
        let e = self.clone();
        let last_raised = std::sync::Mutex::new(i64::MIN / 2);
        tasks.push((
            "sign-in watch",
            tokio::spawn(every(AUTH_WATCH_EVERY, waiter, move || {
                e.watch_auth_failures(&last_raised);
            })),
        ));
        Ok(RunningEngine {
            engine: self.clone(),
            shutdown,
            tasks,
            storage_thread: Some(storage_thread),
        })
    }

    /// Delete detections, finished events and snapshots past `detection_retention_days`.
    pub fn prune_detections(&self, now_ms: i64) {
        let days = self.config().detection_retention_days;
        if days == 0 {
            return;
        }
        match self
            .detection()
            .prune(now_ms - i64::from(days) * 86_400_000)
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(detections = n, days, "old detections deleted"),
            Err(e) => tracing::warn!(error = %e, "old detections not deleted"),
        }
    }
}

impl Engine {
    /// Alert retention (`alert_retention_days`) and export retention (`export_retention_hours`).
    pub fn prune_alerts_and_exports(&self, now_ms: i64) {
        let days = self.config().alert_retention_days;
        if days > 0 {
            match self.alerts().prune(now_ms - i64::from(days) * 86_400_000) {
                Ok(0) => {}
                Ok(n) => tracing::info!(alerts = n, days, "old alerts deleted"),
                Err(e) => tracing::warn!(error = %e, "old alerts not deleted"),
            }
        }
        let hours = self.config().export_retention_hours;
        if hours > 0 {
            self.recordings()
                .prune_exports(i64::from(hours) * 3_600_000);
        }
    }
}

impl Engine {
    /// Audit retention (`audit_retention_days`) and spent refresh tokens. Runs hourly; the log
    /// is cut at day granularity, so this is the "cleaned daily" with less to do each run.
    pub fn prune_audit_and_sessions(&self) {
        let days = self.config().audit_retention_days;
        let (audit, users) = (self.audit().clone(), self.users().clone());
        let (channels, alert_days) = (self.channels().clone(), self.config().alert_retention_days);
        let rt = tokio::runtime::Handle::current();
        rt.block_on(async move {
            // Alert deliveries are kept as long as the alerts.
            if alert_days > 0
                && let Err(e) = channels.prune(alert_days).await
            {
                tracing::warn!(error = %e, "old alert deliveries not pruned");
            }
            if days > 0 {
                match audit.prune(days).await {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(entries = n, days, "old audit entries deleted"),
                    Err(e) => tracing::warn!(error = %e, "old audit entries not deleted"),
                }
            }
            if let Err(e) = users.prune().await {
                tracing::warn!(error = %e, "spent sign-in sessions not pruned");
            }
        });
    }

    /// A database snapshot once a day (checked with the hourly upkeep), unless `backup_keep` is 0.
    pub fn nightly_backup(&self) {
        if self.config().backup_keep == 0 || !self.backups().due() {
            return;
        }
        if let Err(e) = self.backups().run_blocking() {
            tracing::warn!(error = %e, "the database snapshot failed; it is tried again in an hour");
        }
    }

    /// Cameras deleted with their footage kept are forgotten once retention has taken the
    /// last of it.
    pub fn forget_removed_cameras(&self) {
        if let Err(e) = self.cameras().purge_removed() {
            tracing::warn!(error = %e, "removed cameras not forgotten");
        }
    }

    /// Raise `auth_failures` when failed sign-ins in the last minute pass the threshold.
    fn watch_auth_failures(&self, last_raised: &std::sync::Mutex<i64>) {
        let limit = self.config().auth_failure_alert_per_minute;
        let n = self.users().failures_last_minute();
        if limit == 0 || n <= limit as usize {
            return;
        }
        let now = self.now_ms();
        let mut last = last_raised.lock().unwrap_or_else(|p| p.into_inner());
        if now - *last < AUTH_ALERT_EVERY_MS {
            return;
        }
        *last = now;
        tracing::warn!(failures = n, "failed sign-ins past the alert threshold");
        self.alerts().raise(crate::alerts::NewAlert {
            kind: crate::alerts::AlertKind::AuthFailures,
            camera_id: None,
            event_id: None,
            message: format!("{n} failed sign-ins in the last minute (threshold {limit})"),
            details: serde_json::json!({"failures": n, "threshold": limit}),
        });
    }
}

/// Run `f` on a blocking thread every `period` (the first time after one period) until
/// `shutdown`. A run that is slow delays the next; runs never overlap.
async fn every<F>(period: Duration, shutdown: ShutdownWaiter, f: F)
where
    F: Fn() + Send + Sync + 'static,
{
    let f = Arc::new(f);
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    let stop = shutdown.wait();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = tick.tick() => {
                let f = f.clone();
                if tokio::task::spawn_blocking(move || f()).await.is_err() {
                    tracing::error!("a periodic engine task panicked; it runs again next time");
                }
            }
            _ = &mut stop => return,
        }
    }
}

impl RunningEngine {
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether every background task is still running (a watchdog asks this).
    pub fn alive(&self) -> bool {
        self.tasks
            .iter()
            .all(|(name, t)| *name == "detection loader" || !t.is_finished())
            && self
                .storage_thread
                .as_ref()
                .is_some_and(|t| !t.is_finished())
    }

    /// End the background tasks, stop every camera (their recorders close their segments),
    /// wait a moment for notifications being shown, and close the database (checkpointing its
    /// WAL). In-flight API requests must be done first.
    pub async fn stop(mut self) -> Result<()> {
        self.shutdown.trigger();
        self.engine.storage().stop();
        if let Some(t) = self.storage_thread.take() {
            // A pass in progress stops after its current move.
            let _ = tokio::task::spawn_blocking(move || t.join()).await;
        }
        for (name, t) in self.tasks {
            if let Err(e) = t.await {
                tracing::warn!(task = name, error = %e, "engine task ended badly");
            }
        }
        let engine = self.engine.clone();
        tokio::task::spawn_blocking(move || engine.close())
            .await
            .map_err(|e| vigil_base::err!(Internal, "shutdown task: {e}"))?
    }
}

impl Engine {
    /// Stop every camera and detector, then close the database (an engine that was opened but
    /// never started closes this way too). Blocking.
    pub fn close(&self) -> Result<()> {
        self.detection().stop_all();
        let late = self.runtimes().stop_all();
        if !late.is_empty() {
            tracing::error!(
                cameras = ?late,
                "cameras still closing their segments at shutdown; start-up repair will finish them"
            );
        }
        self.alerts().flush_notifications(Duration::from_secs(2));
        self.db().close()?;
        tracing::info!("engine shut down");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::testutil;

    #[tokio::test(flavor = "multi_thread")]
    async fn failed_sign_ins_past_the_threshold_raise_one_alert() {
        let t = testutil::engine();
        let e = t.engine.clone();
        e.users()
            .create(vigil_auth::UserCreate {
                username: "root".into(),
                password: Some("correct horse battery".into()),
                display_name: None,
                role: vigil_auth::UserRole::Admin,
                cameras: None,
            })
            .await
            .unwrap();
        let last = std::sync::Mutex::new(i64::MIN / 2);
        let alerts = |e: &crate::Engine| {
            let e = e.clone();
            async move {
                e.alerts()
                    .list(crate::alerts::AlertQuery {
                        kind: Some("auth_failures".into()),
                        ..Default::default()
                    })
                    .await
                    .unwrap()
            }
        };
        // Ten failures a minute is the threshold (default): not yet an alert.
        for i in 0..10 {
            let _ = e
                .users()
                .login("root", "guess", Some(format!("10.0.0.{i}")))
                .await;
        }
        let e2 = e.clone();
        let l = &last;
        tokio::task::block_in_place(|| e2.watch_auth_failures(l));
        assert!(alerts(&e).await.is_empty());
        let _ = e.users().login("mallory", "guess", None).await;
        tokio::task::block_in_place(|| e2.watch_auth_failures(l));
        let raised = alerts(&e).await;
        assert_eq!(raised.len(), 1);
        assert_eq!(raised[0].details["failures"], 11);
        // Still over the threshold a moment later: no second alert for the same attack.
        tokio::task::block_in_place(|| e2.watch_auth_failures(l));
        assert_eq!(alerts(&e).await.len(), 1);
    }

    #[tokio::test]
    async fn old_alerts_and_exports_are_pruned() {
        use std::time::{Duration, SystemTime};
        let t = testutil::engine();
        // Export files are judged by their modification times: the wall clock must be real.
        let now = vigil_base::Clock::now_ms(&vigil_base::SystemClock);
        t.clock.set_ms(now);
        let e = t.engine.clone();
        let day = 86_400_000i64;
        for at in [now - 100 * day, now - 89 * day, now - day] {
            let row = vigil_db::alerts::AlertRow {
                kind: "storage_full".into(),
                severity: "critical".into(),
                message: "full".into(),
                details_json: "{}".into(),
                created_at_ms: at,
                ..Default::default()
            };
            e.db()
                .write_blocking(move |c| vigil_db::alerts::insert(c, &row))
                .unwrap();
        }
        let exports = e.data_dir().join("exports");
        std::fs::create_dir_all(exports.join(".fetch-9")).unwrap();
        let aged = |p: &std::path::Path, hours: u64| {
            let f = std::fs::File::options().write(true).open(p).unwrap();
            f.set_modified(SystemTime::now() - Duration::from_secs(hours * 3_600))
                .unwrap();
        };
        // An earlier run's export (no job knows it) two days old, and one from an hour ago.
        for (name, hours) in [("5.mp4", 48), ("6.mp4", 1)] {
            let p = exports.join(name);
            std::fs::write(&p, b"mp4").unwrap();
            aged(&p, hours);
        }
        let scratch = std::fs::File::open(exports.join(".fetch-9")).unwrap();
        scratch
            .set_modified(SystemTime::now() - Duration::from_secs(48 * 3_600))
            .unwrap();
        tokio::task::spawn_blocking(move || e.prune_alerts_and_exports(now))
            .await
            .unwrap();
        let left = t
            .engine
            .db()
            .read_blocking(|c| {
                vigil_db::alerts::list(
                    c,
                    &vigil_db::alerts::AlertQuery {
                        limit: 100,
                        ..Default::default()
                    },
                )
            })
            .unwrap();
        assert_eq!(left.len(), 2, "the 100-day-old alert goes (90-day default)");
        assert!(!exports.join("5.mp4").exists());
        assert!(exports.join("6.mp4").exists());
        assert!(!exports.join(".fetch-9").exists());
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
        // Retention prunes past the 30-day default.
        tokio::task::spawn_blocking(move || e.prune_detections(now))
            .await
            .unwrap();
        assert!(!dir.join("1/old/a.jpg").exists() && !dir.join("1/old").exists());
        assert!(dir.join("1/new/b.jpg").exists());
        let left = t
            .engine
            .detection()
            .list(crate::detection::DetectionQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(left.len(), 1);
    }
}
