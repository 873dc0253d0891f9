//! The supervisor against real video with failures injected through the `SourceOpener` seam:
//! reconnects with backoff after failed opens, detects a stalled source, fans out to consumers so
//! that a slow one loses only its own packets, and loops a file at its native rate.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use vigil_base::{Result, SimulatedClock, SystemClock, err};
use vigil_ingest::supervisor::Interrupt;
use vigil_ingest::{
    CameraSupervisor, FileOpener, IngestConfig, PacketSource, SourceOpener, StatusSink, StreamState,
};
use vigil_media::{FeedItem, MediaPacket, SessionInfo};
use vigil_testkit::{ClipSpec, make_clip};

fn clip(dir: &Path, secs: f32) -> PathBuf {
    make_clip(
        dir,
        "clip.mp4",
        &ClipSpec {
            width: 160,
            height: 120,
            secs,
            ..Default::default()
        },
    )
}

#[derive(Default)]
struct Recorded(Mutex<Vec<(StreamState, Option<String>)>>);

impl StatusSink for Recorded {
    fn state_changed(&self, _camera_id: i64, state: StreamState, detail: Option<&str>) {
        self.0
            .lock()
            .unwrap()
            .push((state, detail.map(str::to_string)));
    }
}

impl Recorded {
    fn states(&self) -> Vec<StreamState> {
        self.0.lock().unwrap().iter().map(|s| s.0).collect()
    }
    fn wait_for(&self, what: impl Fn(&[StreamState]) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !what(&self.states()) {
            assert!(
                Instant::now() < deadline,
                "states so far: {:?}",
                self.states()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

fn fast() -> IngestConfig {
    IngestConfig {
        stall_timeout: Duration::from_millis(500),
        open_timeout: Duration::from_secs(5),
        backoff_min: Duration::from_millis(20),
        backoff_max: Duration::from_millis(80),
        healthy_after: Duration::from_secs(30),
    }
}

/// Fails the first `n` opens like an unreachable camera.
struct Flaky {
    left: AtomicU32,
    inner: FileOpener,
}

impl SourceOpener for Flaky {
    fn open(&self, i: &Interrupt) -> Result<Box<dyn PacketSource>> {
        if self.left.load(Ordering::SeqCst) > 0 {
            self.left.fetch_sub(1, Ordering::SeqCst);
            return Err(err!(
                Unavailable,
                code = SourceUnreachable,
                "connection refused"
            ));
        }
        self.inner.open(i)
    }
    fn describe(&self) -> String {
        "flaky".into()
    }
}

#[test]
fn reconnects_after_failed_opens() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Arc::new(Recorded::default());
    let opener = Arc::new(Flaky {
        left: AtomicU32::new(2),
        inner: FileOpener {
            path: clip(dir.path(), 2.0),
        },
    });
    let sup = CameraSupervisor::start(1, opener, fast(), sink.clone(), Arc::new(SystemClock));
    sink.wait_for(|s| s.contains(&StreamState::Running));
    use StreamState::*;
    assert_eq!(
        sink.states()[..6],
        [Starting, Error, Reconnecting, Error, Reconnecting, Running]
    );
    assert_eq!(
        sink.0.lock().unwrap()[1].1.as_deref(),
        Some("connection refused")
    );
    sup.stop();
    assert_eq!(
        sink.states()[sink.states().len() - 2..],
        [Stopping, Stopped]
    );
}

/// Sends a few packets, then goes silent (a camera that hangs).
struct Stalling(FileOpener);

struct StallingSource {
    inner: Box<dyn PacketSource>,
    sent: u32,
    interrupt: Interrupt,
}

impl PacketSource for StallingSource {
    fn session(&self) -> Arc<SessionInfo> {
        self.inner.session()
    }
    fn next(&mut self) -> Result<Option<MediaPacket>> {
        if self.sent < 10 {
            self.sent += 1;
            return self.inner.next();
        }
        // Block like a socket read, until FFmpeg's interrupt check would abort it.
        while !self.interrupt.should_abort() {
            self.interrupt.clock().sleep(Duration::from_millis(10));
        }
        Err(err!(
            Unavailable,
            code = SourceInterrupted,
            "read interrupted"
        ))
    }
}

impl SourceOpener for Stalling {
    fn open(&self, i: &Interrupt) -> Result<Box<dyn PacketSource>> {
        Ok(Box::new(StallingSource {
            inner: self.0.open(i)?,
            sent: 0,
            interrupt: i.clone(),
        }))
    }
    fn describe(&self) -> String {
        "stalling".into()
    }
}

#[test]
fn a_silent_source_is_a_stall_and_is_reconnected() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Arc::new(Recorded::default());
    let sup = CameraSupervisor::start(
        2,
        Arc::new(Stalling(FileOpener {
            path: clip(dir.path(), 2.0),
        })),
        fast(),
        sink.clone(),
        Arc::new(SystemClock),
    );
    let feed = sup.subscribe("test", 1000);
    sink.wait_for(|s| s.iter().filter(|&&x| x == StreamState::Running).count() >= 2);
    let detail = sink
        .0
        .lock()
        .unwrap()
        .iter()
        .find(|s| s.0 == StreamState::Error)
        .and_then(|s| s.1.clone());
    assert!(detail.unwrap().contains("stalled"));
    assert!(sup.stats().reconnects.load(Ordering::Relaxed) >= 1);
    sup.stop();
    // The consumer saw: session, 10 packets, end (stalled), session again, ...
    let mut rx = feed.rx;
    let mut items = vec![];
    while let Some(i) = rx.blocking_recv() {
        items.push(i);
    }
    assert!(matches!(items[0], FeedItem::Session(_)));
    assert!(matches!(&items[11], FeedItem::End { reason } if reason.contains("stalled")));
    assert!(matches!(items[12], FeedItem::Session(_)));
}

#[test]
fn a_slow_consumer_loses_only_its_own_packets() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Arc::new(Recorded::default());
    let sup = CameraSupervisor::start(
        3,
        Arc::new(FileOpener {
            path: clip(dir.path(), 1.0),
        }),
        fast(),
        sink.clone(),
        Arc::new(SystemClock),
    );
    let fast_rx = sup.subscribe("fast", 10_000);
    let slow_rx = sup.subscribe("slow", 4);
    // Take 50 packets (2 s at 25 fps) on the fast queue while the slow one is never read.
    let mut rx = fast_rx.rx;
    let mut seqs = vec![];
    while seqs.len() < 50 {
        if let Some(FeedItem::Packet { seq, .. }) = rx.blocking_recv() {
            seqs.push(seq);
        }
    }
    assert!(
        seqs.windows(2).all(|w| w[1] == w[0] + 1),
        "the fast consumer lost nothing"
    );
    let dropped = sup.dropped();
    assert!(
        dropped.iter().any(|(n, d)| *n == "slow" && *d > 30),
        "{dropped:?}"
    );
    assert!(
        dropped.iter().any(|(n, d)| *n == "fast" && *d == 0),
        "{dropped:?}"
    );
    drop(slow_rx);
    sup.stop();
}

#[test]
fn a_file_loops_at_its_native_rate_with_increasing_timestamps() {
    let dir = tempfile::tempdir().unwrap();
    let sink = Arc::new(Recorded::default());
    let sup = CameraSupervisor::start(
        4,
        Arc::new(FileOpener {
            path: clip(dir.path(), 1.0),
        }),
        fast(),
        sink.clone(),
        Arc::new(SystemClock),
    );
    let mut rx = sup.subscribe("test", 10_000).rx;
    let mut dts = vec![];
    let mut tb = (1, 1);
    while dts.len() < 63 {
        match rx.blocking_recv().unwrap() {
            FeedItem::Session(s) => tb = s.streams[0].time_base,
            FeedItem::Packet { packet, .. } => dts.push(packet.dts.unwrap()),
            FeedItem::End { reason } => panic!("ended: {reason}"),
        }
    }
    // 63 frames at 25 fps: 2.5 s of media across two loops of a 1 s file (the pacing to real
    // time is checked in simulated time below).
    assert!(
        dts.windows(2).all(|w| w[1] > w[0]),
        "timestamps keep increasing across loops"
    );
    let media = (dts[62] - dts[0]) as f64 * f64::from(tb.0) / f64::from(tb.1);
    assert!((media - 2.48).abs() < 0.05, "media span {media}");
    assert!(!sink.states().contains(&StreamState::Error));
    sup.stop();
}

#[test]
fn a_live_consumer_starts_with_the_current_gop() {
    let dir = tempfile::tempdir().unwrap();
    let sup = CameraSupervisor::start(
        4,
        Arc::new(FileOpener {
            path: clip(dir.path(), 4.0), // a keyframe every second
        }),
        fast(),
        Arc::new(Recorded::default()),
        Arc::new(SystemClock),
    );
    // Wait until the stream is 1.5 s in, mid-GOP.
    let mut early = sup.subscribe("early", 10_000).rx;
    let mut seen = 0;
    while seen < 37 {
        if let Some(FeedItem::Packet { .. }) = early.blocking_recv() {
            seen += 1;
        }
    }
    let mut live = sup.subscribe_live("live", 512).rx;
    let mut plain = sup.subscribe("plain", 512).rx;
    assert!(matches!(live.blocking_recv(), Some(FeedItem::Session(_))));
    assert!(matches!(plain.blocking_recv(), Some(FeedItem::Session(_))));
    // The live consumer gets the packets since the latest keyframe at once, in order.
    let mut seqs = vec![];
    let first = loop {
        if let Some(FeedItem::Packet { seq, packet, .. }) = live.blocking_recv() {
            seqs.push(seq);
            break packet;
        }
    };
    assert!(first.keyframe, "starts at a keyframe");
    while let Ok(FeedItem::Packet { seq, .. }) = live.try_recv() {
        seqs.push(seq);
    }
    assert!(seqs.len() >= 5, "the GOP so far was replayed: {seqs:?}");
    assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{seqs:?}");
    // A plain consumer (the recorder) gets only what comes next: nothing twice.
    let next_plain = loop {
        if let Some(FeedItem::Packet { seq, .. }) = plain.blocking_recv() {
            break seq;
        }
    };
    assert!(next_plain > seqs[0], "no replay for the recorder");
    sup.stop();
}

/// Records states with the simulated time they happened at.
struct Timed {
    clock: SimulatedClock,
    states: Mutex<Vec<(StreamState, Duration)>>,
}

impl StatusSink for Timed {
    fn state_changed(&self, _camera_id: i64, state: StreamState, _detail: Option<&str>) {
        self.states
            .lock()
            .unwrap()
            .push((state, self.clock.uptime()));
    }
}

impl Timed {
    fn wait_for(&self, what: impl Fn(&[(StreamState, Duration)]) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if what(&self.states.lock().unwrap()) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{:?}",
                self.states.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

#[test]
fn backoff_doubles_to_its_cap_in_simulated_time() {
    let dir = tempfile::tempdir().unwrap();
    let clock = SimulatedClock::new(0);
    let sink = Arc::new(Timed {
        clock: clock.clone(),
        states: Mutex::default(),
    });
    // Seven failed opens with the production backoff (1 s doubling to 30 s): about a minute
    // and a half of simulated time, no real waiting.
    let opener = Arc::new(Flaky {
        left: AtomicU32::new(7),
        inner: FileOpener {
            path: clip(dir.path(), 2.0),
        },
    });
    let cfg = IngestConfig::default();
    let real = Instant::now();
    let sup = CameraSupervisor::start(1, opener, cfg, sink.clone(), Arc::new(clock.clone()));
    sink.wait_for(|s| s.iter().any(|(st, _)| *st == StreamState::Running));
    sup.stop();
    let states = sink.states.lock().unwrap().clone();
    let reconnects: Vec<Duration> = states
        .iter()
        .filter(|(s, _)| *s == StreamState::Reconnecting)
        .map(|(_, t)| *t)
        .collect();
    let errors: Vec<Duration> = states
        .iter()
        .filter(|(s, _)| *s == StreamState::Error)
        .map(|(_, t)| *t)
        .collect();
    assert_eq!(reconnects.len(), 7);
    // Each wait is its nominal delay shortened by at most a quarter (jitter).
    let nominal = [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0];
    for (i, want) in nominal.iter().enumerate() {
        let waited = (reconnects[i] - errors[i]).as_secs_f64();
        assert!(
            waited <= want + 0.11 && waited >= want * 0.75,
            "wait {i}: {waited} s, nominal {want} s ({states:?})"
        );
    }
    assert!(
        real.elapsed() < clock.uptime(),
        "simulated time ran ahead of real time"
    );
}

#[test]
fn a_stall_is_detected_after_the_stall_timeout_in_simulated_time() {
    let dir = tempfile::tempdir().unwrap();
    let clock = SimulatedClock::new(0);
    let sink = Arc::new(Timed {
        clock: clock.clone(),
        states: Mutex::default(),
    });
    let cfg = IngestConfig::default(); // a 10 s stall timeout
    let sup = CameraSupervisor::start(
        2,
        Arc::new(Stalling(FileOpener {
            path: clip(dir.path(), 2.0),
        })),
        cfg.clone(),
        sink.clone(),
        Arc::new(clock.clone()),
    );
    sink.wait_for(|s| s.iter().any(|(st, _)| *st == StreamState::Error));
    sup.stop();
    let states = sink.states.lock().unwrap().clone();
    let running = states
        .iter()
        .find(|(s, _)| *s == StreamState::Running)
        .unwrap()
        .1;
    let error = states
        .iter()
        .find(|(s, _)| *s == StreamState::Error)
        .unwrap()
        .1;
    // Ten packets (0.4 s of a 25 fps file), then silence for the stall timeout.
    let silent = (error - running).as_secs_f64();
    let timeout = cfg.stall_timeout.as_secs_f64();
    assert!(
        silent >= timeout && silent <= timeout + 0.6,
        "stall declared after {silent} s of simulated time ({states:?})"
    );
}

#[test]
fn a_file_is_paced_to_its_media_time_in_simulated_time() {
    let dir = tempfile::tempdir().unwrap();
    let clock = SimulatedClock::new(0);
    let sup = CameraSupervisor::start(
        4,
        Arc::new(FileOpener {
            path: clip(dir.path(), 1.0),
        }),
        fast(),
        Arc::new(Recorded::default()),
        Arc::new(clock.clone()),
    );
    let mut rx = sup.subscribe("test", 10_000).rx;
    // Each packet is stamped with the (simulated) wall time it was read at: the reader runs
    // ahead of this consumer, so the clock is read on its side, not here.
    let mut arrivals = vec![];
    // 100 frames at 25 fps: four passes of a 1 s file, 3.96 s of media after the first frame.
    while arrivals.len() < 100 {
        if let Some(FeedItem::Packet { arrival_ms, .. }) = rx.blocking_recv() {
            arrivals.push(arrival_ms);
        }
    }
    sup.stop();
    assert!(
        arrivals.windows(2).all(|w| w[1] - w[0] == 40),
        "one frame every 40 ms of simulated time, across loops: {arrivals:?}"
    );
}

/// Reads the supervisor's snapshot at every state change (it is updated before the sink hears).
#[derive(Default)]
struct Snapshots {
    stats: Mutex<Option<Arc<vigil_ingest::StreamStats>>>,
    seen: Mutex<Vec<(StreamState, i64, Option<i64>)>>,
}

impl StatusSink for Snapshots {
    fn state_changed(&self, _camera_id: i64, state: StreamState, _detail: Option<&str>) {
        if let Some(stats) = self.stats.lock().unwrap().as_ref() {
            let s = stats.snapshot();
            self.seen
                .lock()
                .unwrap()
                .push((state, s.since_ms, s.down_since_ms));
        }
    }
}

#[test]
fn an_outage_keeps_its_start_through_every_retry() {
    let dir = tempfile::tempdir().unwrap();
    let clock = SimulatedClock::new(0);
    let sink = Arc::new(Snapshots::default());
    let opener = Arc::new(Flaky {
        left: AtomicU32::new(4),
        inner: FileOpener {
            path: clip(dir.path(), 2.0),
        },
    });
    // The first open fails before the sink holds the stats; that state change is not seen.
    let sup = CameraSupervisor::start(
        1,
        opener,
        IngestConfig::default(),
        sink.clone(),
        Arc::new(clock.clone()),
    );
    *sink.stats.lock().unwrap() = Some(sup.stats().clone());
    let deadline = Instant::now() + Duration::from_secs(30);
    while !sink
        .seen
        .lock()
        .unwrap()
        .iter()
        .any(|(st, ..)| *st == StreamState::Running)
    {
        assert!(Instant::now() < deadline, "{:?}", sink.seen.lock().unwrap());
        std::thread::sleep(Duration::from_millis(5));
    }
    sup.stop();
    let seen = sink.seen.lock().unwrap().clone();
    let down: Vec<(i64, i64)> = seen
        .iter()
        .filter(|(st, ..)| matches!(st, StreamState::Error | StreamState::Reconnecting))
        .map(|(_, since, down)| (*since, down.expect("an outage start while down")))
        .collect();
    assert!(down.len() >= 4, "{seen:?}");
    // One start for the whole outage, while the last state change moves on with every retry.
    assert!(down.iter().all(|(_, d)| *d == down[0].1), "{seen:?}");
    assert!(down.last().unwrap().0 > down[0].1, "{seen:?}");
    let running = seen
        .iter()
        .find(|(st, ..)| *st == StreamState::Running)
        .unwrap();
    assert_eq!(running.2, None, "running again ends the outage");
}
