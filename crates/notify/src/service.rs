//! The running side: a bounded queue the engine drops alerts into without ever waiting, and one
//! thread ("notify") that applies the [`Policy`], fires grouped notifications on time, and calls the
//! [`Backend`] — treating a missing desktop (no session bus, no notification daemon) as a state to
//! report and retry, not an error to repeat in the log.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use vigil_base::Clock;

use crate::policy::{Outcome, Policy, Show};
use crate::{AlertNotice, Backend, NotifyConfig};

/// How many alerts may wait for the thread; more are dropped (and counted).
const QUEUE: usize = 256;
/// After the backend fails, it is tried again no sooner than this.
pub const RETRY_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// The thread never sleeps longer than this while a group is pending (clock jumps, simulated clocks).
const MAX_WAIT: Duration = Duration::from_secs(1);

/// Counters for metrics and the status page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NotifyStats {
    /// Alerts offered.
    pub offered: u64,
    /// Notifications the backend showed (single and grouped).
    pub shown: u64,
    /// Alerts folded into a grouped notification instead of shown alone.
    pub grouped: u64,
    /// Alerts below the minimum severity.
    pub below_severity: u64,
    /// Alerts offered while notifications are switched off.
    pub disabled: u64,
    /// Alerts dropped because the queue was full (or the thread gone).
    pub dropped: u64,
    /// Backend calls that failed.
    pub failed: u64,
    /// Notifications not attempted because the backend failed less than [`RETRY_INTERVAL`] ago.
    pub skipped: u64,
    /// Whether the desktop took the last notification; `None` until one was tried.
    pub available: Option<bool>,
    /// The backend's last failure.
    pub last_error: Option<String>,
}

enum Msg {
    Notice(AlertNotice),
    /// `Shared::config` holds new settings.
    ConfigChanged,
    Flush(mpsc::Sender<()>),
}

struct Shared {
    offered: AtomicU64,
    dropped: AtomicU64,
    rest: Mutex<NotifyStats>,
    /// Settings waiting for the thread to take them.
    config: Mutex<Option<NotifyConfig>>,
}

impl Shared {
    fn new() -> Shared {
        Shared {
            offered: AtomicU64::new(0),
            dropped: AtomicU64::new(0),
            rest: Mutex::new(NotifyStats::default()),
            config: Mutex::new(None),
        }
    }

    fn rest(&self) -> MutexGuard<'_, NotifyStats> {
        self.rest.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The engine's handle on desktop notifications. Cheap to clone; the thread stops when the last
/// clone is dropped.
#[derive(Clone)]
pub struct Notifications {
    tx: Option<SyncSender<Msg>>,
    shared: Arc<Shared>,
}

impl Notifications {
    /// Start the "notify" thread. It uses the caller's tracing subscriber. If the thread cannot be
    /// spawned, the handle behaves as [`Notifications::disabled`] and says why in `last_error`.
    pub fn start(
        config: NotifyConfig,
        backend: Arc<dyn Backend>,
        clock: Arc<dyn Clock>,
    ) -> Notifications {
        let shared = Arc::new(Shared::new());
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let worker = Worker {
            policy: Policy::new(config),
            backend,
            clock,
            shared: shared.clone(),
            available: None,
            retry_at_ms: i64::MIN,
        };
        let dispatch = tracing::dispatcher::get_default(|d| d.clone());
        let spawned = std::thread::Builder::new()
            .name("notify".into())
            .spawn(move || tracing::dispatcher::with_default(&dispatch, || worker.run(rx)));
        match spawned {
            Ok(_) => Notifications {
                tx: Some(tx),
                shared,
            },
            Err(e) => {
                tracing::warn!("desktop notifications are off: cannot start their thread: {e}");
                shared.rest().last_error = Some(format!("cannot start the notify thread: {e}"));
                Notifications { tx: None, shared }
            }
        }
    }

    /// A handle that shows nothing (headless, or switched off for good); offers are only counted.
    pub fn disabled() -> Notifications {
        Notifications {
            tx: None,
            shared: Arc::new(Shared::new()),
        }
    }

    /// Hand over one alert. Never blocks: when the queue is full the alert is dropped and counted.
    pub fn offer(&self, notice: AlertNotice) {
        self.shared.offered.fetch_add(1, Ordering::Relaxed);
        let Some(tx) = &self.tx else {
            self.shared.rest().disabled += 1;
            return;
        };
        match tx.try_send(Msg::Notice(notice)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                self.shared.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Change the settings (e.g. from the settings page); alerts offered after this call follow
    /// them. Never blocks.
    pub fn set_config(&self, config: NotifyConfig) {
        if let Some(tx) = &self.tx {
            *self.shared.config.lock().unwrap_or_else(|e| e.into_inner()) = Some(config);
            // If the queue is full, the thread takes the settings with the next message anyway.
            let _ = tx.try_send(Msg::ConfigChanged);
        }
    }

    pub fn stats(&self) -> NotifyStats {
        let mut s = self.shared.rest().clone();
        s.offered = self.shared.offered.load(Ordering::Relaxed);
        s.dropped = self.shared.dropped.load(Ordering::Relaxed);
        s
    }

    /// Wait until everything offered before this call is processed, and groups due by the clock's
    /// current time are shown. For tests. False if that took longer than `timeout` (a hanging
    /// backend) or the thread is gone.
    pub fn flush_timeout(&self, timeout: Duration) -> bool {
        let Some(tx) = &self.tx else {
            return true;
        };
        let deadline = Instant::now() + timeout;
        let (done_tx, done_rx) = mpsc::channel();
        let mut msg = Msg::Flush(done_tx);
        loop {
            match tx.try_send(msg) {
                Ok(()) => break,
                Err(TrySendError::Disconnected(_)) => return false,
                Err(TrySendError::Full(m)) => {
                    if Instant::now() >= deadline {
                        return false;
                    }
                    msg = m;
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        done_rx.recv_timeout(left).is_ok()
    }

    /// [`Notifications::flush_timeout`] with 30 s.
    pub fn flush(&self) -> bool {
        self.flush_timeout(Duration::from_secs(30))
    }
}

impl std::fmt::Debug for Notifications {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifications")
            .field("running", &self.tx.is_some())
            .field("stats", &self.stats())
            .finish()
    }
}

struct Worker {
    policy: Policy,
    backend: Arc<dyn Backend>,
    clock: Arc<dyn Clock>,
    shared: Arc<Shared>,
    available: Option<bool>,
    retry_at_ms: i64,
}

impl Worker {
    fn run(mut self, rx: Receiver<Msg>) {
        loop {
            let now = self.clock.now_ms();
            let due = self.policy.poll(now);
            self.deliver_all(due, now);
            let msg = match self.policy.next_deadline_ms() {
                Some(due) => {
                    let wait = u64::try_from(due.saturating_sub(now)).unwrap_or(0);
                    match rx.recv_timeout(Duration::from_millis(wait).min(MAX_WAIT)) {
                        Ok(m) => m,
                        Err(RecvTimeoutError::Timeout) => continue,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                None => match rx.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                },
            };
            let now = self.clock.now_ms();
            let config = self
                .shared
                .config
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            if let Some(c) = config {
                self.policy.set_config(c);
            }
            match msg {
                Msg::Notice(n) => {
                    let (outcome, shows) = self.policy.offer(n, now);
                    {
                        let mut s = self.shared.rest();
                        match outcome {
                            Outcome::Shown => {}
                            Outcome::Grouped => s.grouped += 1,
                            Outcome::BelowSeverity => s.below_severity += 1,
                            Outcome::Disabled => s.disabled += 1,
                        }
                    }
                    self.deliver_all(shows, now);
                }
                Msg::ConfigChanged => {}
                Msg::Flush(done) => {
                    let due = self.policy.poll(now);
                    self.deliver_all(due, now);
                    let _ = done.send(());
                }
            }
        }
        tracing::debug!("notify thread stopped: every handle was dropped");
    }

    fn deliver_all(&mut self, shows: Vec<Show>, now_ms: i64) {
        for show in shows {
            self.deliver(show, now_ms);
        }
    }

    fn deliver(&mut self, show: Show, now_ms: i64) {
        if self.available == Some(false) && now_ms < self.retry_at_ms {
            self.shared.rest().skipped += 1;
            return;
        }
        match self.backend.show(&show.rendered, show.replaces) {
            Ok(id) => {
                if self.available == Some(false) {
                    tracing::info!("desktop notifications are available again");
                }
                self.available = Some(true);
                self.policy.record_shown(show.key, id);
                let mut s = self.shared.rest();
                s.shown += 1;
                s.available = Some(true);
            }
            Err(e) => {
                if self.available == Some(false) {
                    tracing::debug!("desktop notifications still unavailable: {e}");
                } else {
                    tracing::warn!(
                        "desktop notifications are unavailable, alerts will not pop up on this \
                         desktop (retrying every {} min): {e}",
                        RETRY_INTERVAL.as_secs() / 60
                    );
                }
                self.available = Some(false);
                self.retry_at_ms = now_ms.saturating_add(RETRY_INTERVAL.as_millis() as i64);
                let mut s = self.shared.rest();
                s.failed += 1;
                s.available = Some(false);
                s.last_error = Some(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Rendered, Severity};
    use std::io::Write;
    use vigil_base::SimulatedClock;

    const T0: i64 = 1_763_712_000_000;

    /// A real backend that records what it is asked to show.
    #[derive(Default)]
    struct Recorder {
        calls: Mutex<Vec<(Rendered, Option<u32>)>>,
        fail: Mutex<Option<String>>,
        block: Mutex<Option<mpsc::Receiver<()>>>,
    }

    impl Recorder {
        fn calls(&self) -> Vec<(Rendered, Option<u32>)> {
            self.calls.lock().unwrap_or_else(|e| e.into_inner()).clone()
        }
        fn set_fail(&self, why: Option<&str>) {
            *self.fail.lock().unwrap_or_else(|e| e.into_inner()) = why.map(String::from);
        }
    }

    impl Backend for Recorder {
        fn show(&self, n: &Rendered, replaces: Option<u32>) -> Result<u32, String> {
            if let Some(rx) = self.block.lock().unwrap_or_else(|e| e.into_inner()).take() {
                let _ = rx.recv();
            }
            let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
            calls.push((n.clone(), replaces));
            match &*self.fail.lock().unwrap_or_else(|e| e.into_inner()) {
                Some(why) => Err(why.clone()),
                None => Ok(100 + calls.len() as u32),
            }
        }
    }

    fn det(id: i64, cam: i64, at_ms: i64) -> AlertNotice {
        AlertNotice {
            alert_id: id,
            camera_id: Some(cam),
            camera_name: Some("Front door".into()),
            kind: "detection".into(),
            label: Some("person".into()),
            severity: Severity::Warning,
            title: "Front door: person".into(),
            body: "A person was seen".into(),
            at_ms,
        }
    }

    fn start(backend: Arc<Recorder>, clock: &SimulatedClock) -> Notifications {
        Notifications::start(NotifyConfig::default(), backend, Arc::new(clock.clone()))
    }

    #[test]
    fn shows_first_and_groups_the_rest_when_the_clock_moves() {
        let clock = SimulatedClock::new(T0);
        let rec = Arc::new(Recorder::default());
        let n = start(rec.clone(), &clock);
        for i in 0..50 {
            // The thread reads the clock when it takes each alert: keep it still meanwhile.
            n.offer(det(i, 1, T0 + i * 500));
        }
        let mut info = det(99, 1, T0);
        info.severity = Severity::Info;
        n.offer(info);
        assert!(n.flush());
        assert_eq!(rec.calls().len(), 1);

        clock.set_ms(T0 + 60_000);
        assert!(n.flush());
        let calls = rec.calls();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[1].0.title, "Front door: 50 detections");
        assert_eq!(
            calls[1].1,
            Some(101),
            "the group replaces the first notification"
        );
        let s = n.stats();
        assert_eq!(
            (s.offered, s.shown, s.grouped, s.below_severity, s.failed),
            (51, 2, 49, 1, 0)
        );
        assert_eq!(s.available, Some(true));
    }

    #[test]
    fn the_timer_fires_the_group_without_new_alerts() {
        let rec = Arc::new(Recorder::default());
        let config = NotifyConfig {
            cooldown: Duration::from_millis(150),
            ..NotifyConfig::default()
        };
        let n = Notifications::start(config, rec.clone(), Arc::new(vigil_base::SystemClock));
        n.offer(det(1, 1, T0));
        n.offer(det(2, 1, T0 + 1));
        let deadline = Instant::now() + Duration::from_secs(5);
        while rec.calls().len() < 2 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let calls = rec.calls();
        assert_eq!(calls.len(), 2, "the group was shown by the timer");
        assert_eq!(calls[1].0.count, 2);
    }

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
        }
    }

    #[test]
    fn a_failing_backend_is_logged_once_and_retried_every_five_minutes() {
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);

        let clock = SimulatedClock::new(T0);
        let rec = Arc::new(Recorder::default());
        let why = "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.Notifications \
                   was not provided by any .service files";
        rec.set_fail(Some(why));
        let n = start(rec.clone(), &clock);
        assert_eq!(n.stats().available, None);
        for cam in 0..20 {
            n.offer(det(cam, cam, T0)); // 20 cameras: 20 notifications wanted
        }
        assert!(n.flush());
        let s = n.stats();
        assert_eq!(rec.calls().len(), 1, "not retried within 5 minutes");
        assert_eq!((s.failed, s.skipped, s.shown), (1, 19, 0));
        assert_eq!(s.available, Some(false));
        assert_eq!(s.last_error.as_deref(), Some(why));

        // Five minutes later: tried again, fails again, logged at debug only.
        clock.advance_ms(RETRY_INTERVAL.as_millis() as i64);
        n.offer(det(100, 100, clock.now_ms()));
        assert!(n.flush());
        assert_eq!(rec.calls().len(), 2);

        // The desktop comes back.
        clock.advance_ms(RETRY_INTERVAL.as_millis() as i64);
        rec.set_fail(None);
        n.offer(det(101, 101, clock.now_ms()));
        assert!(n.flush());
        let s = n.stats();
        assert_eq!((s.failed, s.shown, s.available), (2, 1, Some(true)));

        let text = log.text();
        assert_eq!(text.matches(" WARN ").count(), 1, "{text}");
        assert!(
            text.contains("desktop notifications are unavailable")
                && text.contains("ServiceUnknown"),
            "{text}"
        );
        assert_eq!(text.matches("still unavailable").count(), 1, "{text}");
        assert_eq!(text.matches("available again").count(), 1, "{text}");
    }

    #[test]
    fn offer_never_blocks_even_when_the_backend_hangs() {
        let clock = SimulatedClock::new(T0);
        let (unblock, blocked) = mpsc::channel();
        let rec = Arc::new(Recorder::default());
        *rec.block.lock().unwrap_or_else(|e| e.into_inner()) = Some(blocked);
        let n = start(rec.clone(), &clock);
        let t = Instant::now();
        for i in 0..(QUEUE as i64 + 500) {
            n.offer(det(i, i, T0)); // every alert its own camera: each wants a notification
        }
        assert!(t.elapsed() < Duration::from_secs(1), "offer blocked");
        let s = n.stats();
        assert!(s.dropped >= 500 - 1, "dropped {}", s.dropped);
        assert_eq!(s.offered, QUEUE as u64 + 500);
        assert!(!n.flush_timeout(Duration::from_millis(50)), "still stuck");
        let _ = unblock.send(());
        assert!(n.flush());
        let s = n.stats();
        assert_eq!(s.shown + s.dropped, s.offered);
    }

    #[test]
    fn disabled_handles_and_settings() {
        let d = Notifications::disabled();
        d.offer(det(1, 1, T0));
        assert!(d.flush());
        let s = d.stats();
        assert_eq!((s.offered, s.disabled, s.available), (1, 1, None));

        let clock = SimulatedClock::new(T0);
        let rec = Arc::new(Recorder::default());
        let n = start(rec.clone(), &clock);
        n.set_config(NotifyConfig {
            enabled: false,
            ..NotifyConfig::default()
        });
        n.offer(det(1, 1, T0));
        assert!(n.flush());
        assert_eq!(n.stats().disabled, 1);
        assert!(rec.calls().is_empty());
    }
}
