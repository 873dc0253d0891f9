//! The camera supervisor: owns the camera's one upstream connection on a thread of its own, fans
//! its packets out to every consumer, and keeps it alive — reconnecting with backoff after any
//! failure and treating a source silent for the stall timeout as failed — until stopped.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use vigil_base::{Clock, ErrorCode};
use vigil_media::input::MediaKind;
use vigil_media::{FeedItem, FeedReceiver, FeedSender, Offer, SessionInfo, feed_channel};

use crate::backoff::Backoff;
use crate::source::SourceOpener;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StreamState {
    Stopped,
    Starting,
    Running,
    Error,
    Reconnecting,
    Stopping,
}

#[derive(Clone, Debug)]
pub struct IngestConfig {
    /// No packet for this long while streaming ⇒ reconnect.
    pub stall_timeout: Duration,
    /// Longest wait for a source to open.
    pub open_timeout: Duration,
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// A session that lasted this long resets the backoff.
    pub healthy_after: Duration,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig {
            stall_timeout: Duration::from_secs(10),
            open_timeout: Duration::from_secs(20),
            backoff_min: Duration::from_secs(1),
            backoff_max: Duration::from_secs(30),
            healthy_after: Duration::from_secs(30),
        }
    }
}

/// Told about every state change (the engine stores it and publishes `stream:status`).
pub trait StatusSink: Send + Sync + 'static {
    fn state_changed(&self, camera_id: i64, state: StreamState, detail: Option<&str>);
}

/// Polled by FFmpeg during blocking I/O: abort on stop, or when nothing arrived for too long.
#[derive(Clone)]
pub struct Interrupt(Arc<InterruptInner>);

struct InterruptInner {
    stop: AtomicBool,
    /// Called once when stop is requested: wakes reads FFmpeg cannot interrupt (an RTMP publish).
    on_stop: Mutex<Vec<Box<dyn Fn() + Send + Sync>>>,
    base: Instant,
    last_activity_ms: AtomicU64,
    limit_ms: AtomicU64,
    /// Some consumer shows the stream live (see `read_pacing`).
    live: AtomicBool,
    /// Monotonic time for the stall clock (simulated in tests).
    clock: Arc<dyn Clock>,
}

/// How long a source that reads by polling may let data gather between reads: long while only
/// the recorder listens (fewer wake-ups is less CPU; a recording does not care about 200 ms; measured: 100 → 200 ms took one camera from
/// 0.52–0.67× to 0.34–0.42× of ffmpeg's CPU),
/// short while someone watches live.
const PACING_RECORDING: Duration = Duration::from_millis(200);
const PACING_LIVE: Duration = Duration::from_millis(20);

impl Interrupt {
    /// For a one-off use outside a supervisor (probing a source): aborts after `timeout` without
    /// data.
    pub fn with_timeout(timeout: Duration) -> Self {
        let i = Interrupt::new(Arc::new(vigil_base::SystemClock));
        i.set_limit(timeout);
        i
    }

    fn new(clock: Arc<dyn Clock>) -> Self {
        Interrupt(Arc::new(InterruptInner {
            stop: AtomicBool::new(false),
            on_stop: Mutex::new(vec![]),
            base: clock.instant(),
            last_activity_ms: AtomicU64::new(0),
            limit_ms: AtomicU64::new(u64::MAX),
            live: AtomicBool::new(false),
            clock,
        }))
    }
    fn now_ms(&self) -> u64 {
        self.0.clock.elapsed(self.0.base).as_millis() as u64
    }
    /// The clock sources should sleep on between reads (simulated in tests).
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.0.clock
    }
    /// Something arrived: the stall clock starts again.
    pub fn touch(&self) {
        self.0
            .last_activity_ms
            .store(self.now_ms(), Ordering::Relaxed);
    }
    fn set_limit(&self, d: Duration) {
        self.touch();
        self.0
            .limit_ms
            .store(d.as_millis() as u64, Ordering::Relaxed);
    }
    pub fn stop_requested(&self) -> bool {
        self.0.stop.load(Ordering::Relaxed)
    }
    fn stalled(&self) -> bool {
        let idle = self
            .now_ms()
            .saturating_sub(self.0.last_activity_ms.load(Ordering::Relaxed));
        idle > self.0.limit_ms.load(Ordering::Relaxed)
    }
    /// How long a polling source may sleep between reads.
    pub fn read_pacing(&self) -> Duration {
        if self.0.live.load(Ordering::Relaxed) {
            PACING_LIVE
        } else {
            PACING_RECORDING
        }
    }
    fn set_live(&self, live: bool) {
        self.0.live.store(live, Ordering::Relaxed);
    }
    pub fn should_abort(&self) -> bool {
        self.stop_requested() || self.stalled()
    }
    /// Run `f` when stop is requested (at once if it already was).
    pub fn on_stop(&self, f: Box<dyn Fn() + Send + Sync>) {
        if self.stop_requested() {
            f();
            return;
        }
        if let Ok(mut v) = self.0.on_stop.lock() {
            v.push(f);
        }
    }
    fn request_stop(&self) {
        if !self.0.stop.swap(true, Ordering::SeqCst)
            && let Ok(hooks) = self.0.on_stop.lock()
        {
            for h in hooks.iter() {
                h();
            }
        }
    }
}

/// Live counters of a camera's stream.
#[derive(Default)]
pub struct StreamStats {
    pub packets: AtomicU64,
    pub bytes: AtomicU64,
    pub video_frames: AtomicU64,
    pub sessions: AtomicU64,
    pub reconnects: AtomicU64,
    pub last_packet_ms: AtomicI64,
    /// The latest wait before reconnecting.
    pub last_backoff_ms: AtomicU64,
    state: Mutex<StateSnapshot>,
    rate: Mutex<RateWindow>,
}

/// Rates over about the last second of packets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Rates {
    pub fps: f64,
    pub bitrate_kbps: f64,
    pub packets_per_second: f64,
}

/// The counters at the start of the current window, and the rates of the last full one.
#[derive(Default)]
struct RateWindow {
    start: Option<(Instant, u64, u64, u64)>,
    rates: Rates,
    updated: Option<Instant>,
}

/// How long a window is; rates older than three of them read as zero (the stream stalled).
const RATE_WINDOW: Duration = Duration::from_secs(1);

#[derive(Clone, Debug, Serialize)]
pub struct StateSnapshot {
    pub state: StreamState,
    pub since_ms: i64,
    /// When the stream last went down (an error or a reconnect after running, or a first
    /// connection that failed); `None` while it runs or is stopped. Attempts in between (starting,
    /// failing again) keep it, so "offline for" counts the whole outage, not the last retry.
    pub down_since_ms: Option<i64>,
    pub last_error: Option<String>,
    /// The typed code of `last_error` (what the UI explains it by; never its text).
    pub last_error_code: Option<ErrorCode>,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
}

impl Default for StateSnapshot {
    fn default() -> Self {
        StateSnapshot {
            state: StreamState::Stopped,
            since_ms: 0,
            down_since_ms: None,
            last_error: None,
            last_error_code: None,
            codec: None,
            width: 0,
            height: 0,
        }
    }
}

impl StreamStats {
    pub fn snapshot(&self) -> StateSnapshot {
        match self.state.lock() {
            Ok(s) => s.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }
    fn update(&self, f: impl FnOnce(&mut StateSnapshot)) {
        f(&mut vigil_base::sync::lock(&self.state))
    }

    /// Roll the rate window if it is due. Called per packet: an uncontended lock (readers take
    /// it a few times a minute), cheap next to the fan-out's own lock per packet.
    fn tick_rates(&self, now: Instant) {
        let mut w = vigil_base::sync::lock(&self.rate);
        let cur = (
            self.packets.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            self.video_frames.load(Ordering::Relaxed),
        );
        match w.start {
            None => w.start = Some((now, cur.0, cur.1, cur.2)),
            Some((t0, p0, b0, f0)) => {
                let dt = now.saturating_duration_since(t0);
                if dt < RATE_WINDOW {
                    return;
                }
                let secs = dt.as_secs_f64();
                let per = |a: u64, b: u64| a.saturating_sub(b) as f64 / secs;
                w.rates = Rates {
                    fps: (per(cur.2, f0) * 10.0).round() / 10.0,
                    bitrate_kbps: (per(cur.1, b0) * 8.0 / 1000.0).round(),
                    packets_per_second: (per(cur.0, p0) * 10.0).round() / 10.0,
                };
                w.updated = Some(now);
                w.start = Some((now, cur.0, cur.1, cur.2));
            }
        }
    }

    /// Rates over about the last second; zeros once no packet came for three windows.
    pub fn rates(&self, now: Instant) -> Rates {
        let w = vigil_base::sync::lock(&self.rate);
        match w.updated {
            Some(t) if now.saturating_duration_since(t) <= 3 * RATE_WINDOW => w.rates,
            _ => Rates::default(),
        }
    }
}

struct Consumers {
    /// Each with whether it shows the stream live.
    senders: Vec<(FeedSender, bool)>,
    session: Option<Arc<SessionInfo>>,
    interrupt: Interrupt,
    /// The packets of the current session since its latest video keyframe (shared buffers, no
    /// copies): a new live consumer gets them first, so it can decode the current picture at once
    /// instead of waiting up to a GOP for the next keyframe.
    gop: Vec<FeedItem>,
    gop_bytes: usize,
}

/// A GOP cache bigger than this is dropped (a camera with very long GOPs): live consumers then
/// wait for the next keyframe, as without a cache.
const GOP_CACHE_MAX_BYTES: usize = 16 << 20;
const GOP_CACHE_MAX_PACKETS: usize = 2048;

impl Consumers {
    fn offer(&mut self, item: &FeedItem) {
        let before = self.senders.len();
        self.senders
            .retain(|(s, _)| s.offer(item.clone()) != Offer::Closed);
        if self.senders.len() != before {
            self.update_pacing();
        }
    }
    fn update_pacing(&self) {
        self.interrupt
            .set_live(self.senders.iter().any(|(_, live)| *live));
    }
}

pub struct CameraSupervisor {
    camera_id: i64,
    interrupt: Interrupt,
    consumers: Arc<Mutex<Consumers>>,
    stats: Arc<StreamStats>,
    thread: Option<JoinHandle<()>>,
}

impl CameraSupervisor {
    /// Start supervising: the thread connects at once and keeps the connection up until `stop`.
    /// Consumers subscribed before the first packet see everything.
    pub fn start(
        camera_id: i64,
        opener: Arc<dyn SourceOpener>,
        cfg: IngestConfig,
        sink: Arc<dyn StatusSink>,
        clock: Arc<dyn Clock>,
    ) -> CameraSupervisor {
        let interrupt = Interrupt::new(clock.clone());
        let consumers = Arc::new(Mutex::new(Consumers {
            senders: vec![],
            session: None,
            interrupt: interrupt.clone(),
            gop: vec![],
            gop_bytes: 0,
        }));
        let stats = Arc::new(StreamStats::default());
        let run = Runner {
            camera_id,
            opener,
            cfg,
            sink,
            clock,
            interrupt: interrupt.clone(),
            consumers: consumers.clone(),
            stats: stats.clone(),
            seq: 0,
        };
        let thread = std::thread::Builder::new()
            .name(format!("ingest-{camera_id}"))
            .spawn(move || run.run())
            .ok();
        CameraSupervisor {
            camera_id,
            interrupt,
            consumers,
            stats,
            thread,
        }
    }

    pub fn camera_id(&self) -> i64 {
        self.camera_id
    }

    /// A new consumer with its own queue of `capacity` items. It first gets the current session.
    /// For consumers that do not mind ~200 ms of delay (the recorder, detection).
    pub fn subscribe(&self, name: &'static str, capacity: usize) -> FeedReceiver {
        self.add_consumer(name, capacity, false, false)
    }

    /// Like `subscribe`, for a consumer that shows the stream live: while one is subscribed the
    /// source is read with as little delay as it can. It starts with the current GOP.
    pub fn subscribe_live(&self, name: &'static str, capacity: usize) -> FeedReceiver {
        self.add_consumer(name, capacity, true, true)
    }

    /// Like `subscribe`, starting with the current GOP (a decoder can start at once), without
    /// asking for live pacing (detection: a camera nobody watches is still read every 200 ms).
    pub fn subscribe_with_gop(&self, name: &'static str, capacity: usize) -> FeedReceiver {
        self.add_consumer(name, capacity, false, true)
    }

    fn add_consumer(
        &self,
        name: &'static str,
        capacity: usize,
        live: bool,
        gop: bool,
    ) -> FeedReceiver {
        let (tx, rx) = feed_channel(name, capacity);
        let mut c = match self.consumers.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        if let Some(s) = &c.session {
            tx.offer(FeedItem::Session(s.clone()));
            if gop {
                for item in &c.gop {
                    tx.offer(item.clone());
                }
            }
        }
        c.senders.push((tx, live));
        c.update_pacing();
        rx
    }

    /// The current connection's streams, once connected.
    pub fn session(&self) -> Option<Arc<SessionInfo>> {
        match self.consumers.lock() {
            Ok(c) => c.session.clone(),
            Err(p) => p.into_inner().session.clone(),
        }
    }

    pub fn stats(&self) -> &Arc<StreamStats> {
        &self.stats
    }

    /// Packets dropped so far, per consumer.
    pub fn dropped(&self) -> Vec<(&'static str, u64)> {
        match self.consumers.lock() {
            Ok(c) => c
                .senders
                .iter()
                .map(|(s, _)| (s.name, s.dropped()))
                .collect(),
            Err(_) => vec![],
        }
    }

    pub fn consumer_count(&self) -> usize {
        self.consumers.lock().map(|c| c.senders.len()).unwrap_or(0)
    }

    /// Ask the thread to stop (it closes the connection and the consumers' queues).
    pub fn request_stop(&self) {
        self.interrupt.request_stop();
    }

    /// Stop and wait for the thread.
    pub fn stop(mut self) {
        self.request_stop();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for CameraSupervisor {
    fn drop(&mut self) {
        self.request_stop();
    }
}

struct Runner {
    camera_id: i64,
    opener: Arc<dyn SourceOpener>,
    cfg: IngestConfig,
    sink: Arc<dyn StatusSink>,
    clock: Arc<dyn Clock>,
    interrupt: Interrupt,
    consumers: Arc<Mutex<Consumers>>,
    stats: Arc<StreamStats>,
    seq: u64,
}

impl Runner {
    fn set_state(&self, state: StreamState, detail: Option<&str>) {
        self.set_state_coded(state, detail, None);
    }

    /// `set_state` for an error: `code` is kept with the message as the last error.
    fn set_error(&self, code: ErrorCode, detail: &str) {
        self.set_state_coded(StreamState::Error, Some(detail), Some(code));
    }

    fn set_state_coded(&self, state: StreamState, detail: Option<&str>, code: Option<ErrorCode>) {
        let now = self.clock.now_ms();
        self.stats.update(|s| {
            s.state = state;
            s.since_ms = now;
            match state {
                StreamState::Error | StreamState::Reconnecting => {
                    s.down_since_ms.get_or_insert(now);
                }
                StreamState::Running | StreamState::Stopped => s.down_since_ms = None,
                StreamState::Starting | StreamState::Stopping => {}
            }
            if matches!(state, StreamState::Error | StreamState::Reconnecting)
                && let Some(d) = detail
            {
                s.last_error = Some(d.to_string());
                s.last_error_code = code;
            }
        });
        match state {
            StreamState::Error => {
                tracing::warn!(camera_id = self.camera_id, ?state, detail, "stream state")
            }
            _ => tracing::info!(camera_id = self.camera_id, ?state, detail, "stream state"),
        }
        self.sink.state_changed(self.camera_id, state, detail);
    }

    fn fan_out(&self, item: FeedItem) {
        let mut c = match self.consumers.lock() {
            Ok(c) => c,
            Err(p) => p.into_inner(),
        };
        match &item {
            FeedItem::Session(s) => {
                c.session = Some(s.clone());
                c.gop.clear();
                c.gop_bytes = 0;
            }
            FeedItem::End { .. } => {
                c.session = None;
                c.gop.clear();
                c.gop_bytes = 0;
            }
            FeedItem::Packet { packet, .. } => {
                let video = c.session.as_ref().and_then(|s| s.video);
                if video == Some(packet.stream) && packet.keyframe {
                    c.gop.clear();
                    c.gop_bytes = 0;
                }
                // Only from a keyframe on (or anything for audio-only sources).
                if !c.gop.is_empty() || video.is_none() || packet.keyframe {
                    c.gop_bytes += packet.data.len();
                    c.gop.push(item.clone());
                }
                if c.gop.len() > GOP_CACHE_MAX_PACKETS || c.gop_bytes > GOP_CACHE_MAX_BYTES {
                    c.gop.clear();
                    c.gop_bytes = 0;
                }
            }
        }
        c.offer(&item);
    }

    fn run(mut self) {
        let source = self.opener.describe();
        let _span = tracing::info_span!("camera", camera_id = self.camera_id).entered();
        tracing::info!(%source, "supervisor started");
        self.set_state(StreamState::Starting, None);
        let mut backoff = Backoff::new(self.cfg.backoff_min, self.cfg.backoff_max);
        let mut attempt = 0u64;
        while !self.interrupt.stop_requested() {
            if attempt > 0 {
                self.stats.reconnects.fetch_add(1, Ordering::Relaxed);
                self.set_state(StreamState::Reconnecting, None);
            }
            attempt += 1;
            self.interrupt.set_limit(self.cfg.open_timeout);
            let lost = match self.opener.open(&self.interrupt) {
                Err(e) => {
                    if self.interrupt.stop_requested() {
                        break;
                    }
                    // An open cut off by the open timeout: nothing answered in time (as the probe says).
                    let code = match e.code() {
                        ErrorCode::SourceInterrupted => ErrorCode::SourceUnreachable,
                        c => c,
                    };
                    self.set_error(code, e.message());
                    None
                }
                Ok(src) => Some(self.stream(src, &mut backoff)),
            };
            if self.interrupt.stop_requested() {
                break;
            }
            if let Some((reason, code)) = lost {
                self.set_error(code, &reason);
            }
            let delay = backoff.next_delay();
            self.stats
                .last_backoff_ms
                .store(delay.as_millis() as u64, Ordering::Relaxed);
            let until = self.clock.instant() + delay;
            while self.clock.instant() < until && !self.interrupt.stop_requested() {
                let left = until.saturating_duration_since(self.clock.instant());
                self.clock.sleep(left.min(Duration::from_millis(100)));
            }
        }
        self.set_state(StreamState::Stopping, None);
        // Closing every queue tells consumers (the recorder finishes its segment).
        if let Ok(mut c) = self.consumers.lock() {
            c.senders.clear();
            c.session = None;
        }
        self.set_state(StreamState::Stopped, None);
    }

    /// Read one session until it ends; returns why it ended, and its code.
    fn stream(
        &mut self,
        mut src: Box<dyn crate::PacketSource>,
        backoff: &mut Backoff,
    ) -> (String, ErrorCode) {
        let mut session = src.session();
        self.stats.sessions.fetch_add(1, Ordering::Relaxed);
        let video = session.video_stream();
        self.stats.update(|s| {
            s.codec = video.map(|v| v.codec.clone());
            s.width = video.map(|v| v.width).unwrap_or(0);
            s.height = video.map(|v| v.height).unwrap_or(0);
        });
        tracing::info!(camera_id = self.camera_id, session = %session.describe(), "connected");
        self.fan_out(FeedItem::Session(session.clone()));
        self.interrupt.set_limit(self.cfg.stall_timeout);
        let started = self.clock.instant();
        let mut running = false;
        let reason = loop {
            match src.next() {
                Ok(Some(packet)) => {
                    self.interrupt.touch();
                    if let Some(new) = src.take_new_session() {
                        tracing::info!(camera_id = self.camera_id, session = %new.describe(), "source changed its parameters");
                        self.fan_out(FeedItem::End {
                            reason: "parameters changed".into(),
                        });
                        self.fan_out(FeedItem::Session(new.clone()));
                        session = new;
                    }
                    if !running {
                        running = true;
                        self.set_state(StreamState::Running, Some(&session.describe()));
                    }
                    self.stats.packets.fetch_add(1, Ordering::Relaxed);
                    self.stats
                        .bytes
                        .fetch_add(packet.data.len() as u64, Ordering::Relaxed);
                    if session
                        .streams
                        .get(packet.stream)
                        .is_some_and(|s| s.kind == MediaKind::Video)
                    {
                        self.stats.video_frames.fetch_add(1, Ordering::Relaxed);
                    }
                    let now = self.clock.now_ms();
                    self.stats.last_packet_ms.store(now, Ordering::Relaxed);
                    self.stats.tick_rates(self.clock.instant());
                    let seq = self.seq;
                    self.seq += 1;
                    self.fan_out(FeedItem::Packet {
                        seq,
                        arrival_ms: now,
                        packet,
                    });
                }
                Ok(None) => {
                    break (
                        "the source ended the stream".to_string(),
                        ErrorCode::SourceInterrupted,
                    );
                }
                Err(e) => {
                    break if self.interrupt.stop_requested() {
                        ("stopped".into(), ErrorCode::SourceInterrupted)
                    } else if e.code() == ErrorCode::SourceInterrupted {
                        let stalled = self.cfg.stall_timeout.as_secs();
                        (
                            format!("no data for {stalled} s (stalled)"),
                            ErrorCode::SourceInterrupted,
                        )
                    } else {
                        (e.message().to_string(), e.code())
                    };
                }
            }
        };
        self.fan_out(FeedItem::End {
            reason: reason.0.clone(),
        });
        if self.clock.elapsed(started) >= self.cfg.healthy_after {
            backoff.reset();
        }
        tracing::info!(camera_id = self.camera_id, reason = %reason.0, "disconnected");
        reason
    }
}
