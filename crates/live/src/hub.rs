//! One camera's live-view hub: every MJPEG viewer and snapshot of the camera shares one feed
//! subscription and one decoder, on one worker thread that runs only while someone is watching.
//! Viewers of a quality share one encode; each reads the newest frame from a `watch`, so a slow
//! viewer skips frames and never holds up the decoder or anyone else.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::{oneshot, watch};
use vigil_base::{Result, err};
use vigil_media::FeedReceiver;

use crate::quality::Quality;
use crate::worker;

/// Subscribes to the camera's feed (a new queue that starts with the current session).
pub type Subscribe = Arc<dyn Fn() -> FeedReceiver + Send + Sync>;

/// Tuning of a hub; the defaults suit a real camera.
#[derive(Clone, Debug)]
pub struct HubOptions {
    /// Names the worker thread and log lines (a camera id, say).
    pub name: String,
    /// A frame this recent counts as current for [`MjpegHub::snapshot`].
    pub warm_age: Duration,
    /// How long a snapshot waits for a frame when nothing is decoding (a keyframe must come).
    pub snapshot_timeout: Duration,
    /// After the feed closes while viewers remain (camera restarted), wait this long before
    /// subscribing again.
    pub resubscribe_delay: Duration,
}

impl Default for HubOptions {
    fn default() -> Self {
        HubOptions {
            name: "camera".into(),
            warm_age: Duration::from_secs(2),
            snapshot_timeout: Duration::from_secs(10),
            resubscribe_delay: Duration::from_secs(1),
        }
    }
}

/// One encoded picture.
#[derive(Clone, Debug)]
pub struct Frame {
    /// A baseline JFIF JPEG.
    pub jpeg: Bytes,
    pub width: u32,
    pub height: u32,
    /// Presentation time in the stream, µs (None if the stream has none).
    pub pts_us: Option<i64>,
    /// Grows with every frame the hub makes, across qualities and workers.
    pub seq: u64,
    /// When it was encoded.
    pub made_at: Instant,
}

/// Counters of a hub, for metrics and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HubStats {
    /// Worker threads alive now (0 or 1, briefly 2 while one stops and the next starts).
    pub workers_running: usize,
    pub worker_starts: u64,
    /// Decoders built (one per worker and session).
    pub decoder_starts: u64,
    /// Feed packets the workers have handled (any stream).
    pub packets: u64,
    /// Packets the feed lost before they reached us (`seq` jumps).
    pub packets_lost: u64,
    /// Packets thrown away while waiting for a keyframe.
    pub packets_skipped: u64,
    pub frames_decoded: u64,
    pub decode_errors: u64,
    pub encode_errors: u64,
    /// Snapshots made for waiting callers (a full-size High frame may serve as one).
    pub snapshots_encoded: u64,
    /// Per quality, in [`Quality::ALL`] order.
    pub qualities: [QualityStats; 3],
}

/// Counters of one quality.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QualityStats {
    pub viewers: usize,
    pub frames_encoded: u64,
}

impl HubStats {
    pub fn quality(&self, q: Quality) -> &QualityStats {
        &self.qualities[q.index()]
    }
}

/// The live view of one camera. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct MjpegHub {
    shared: Arc<Shared>,
}

/// A snapshot made for waiting callers, with the newest request it answers.
#[derive(Clone, Debug)]
pub(crate) struct Snapshot {
    pub frame: Frame,
    pub answers: u64,
}

/// What the hub, its viewers and its worker share.
pub(crate) struct Shared {
    pub subscribe: Subscribe,
    pub opts: HubOptions,
    /// Newest frame per quality.
    pub outputs: [watch::Sender<Option<Frame>>; 3],
    /// Newest full-size snapshot.
    pub snapshot: watch::Sender<Option<Snapshot>>,
    /// Viewers per quality (the worker encodes a quality only while it has some).
    pub viewers: [AtomicUsize; 3],
    /// Snapshot requests so far, and callers waiting for one now.
    pub snapshot_requests: AtomicU64,
    pub snapshot_waiters: AtomicUsize,
    pub frame_seq: AtomicU64,
    pub counters: Counters,
    /// Worker threads alive.
    pub workers: watch::Sender<usize>,
    control: Mutex<Control>,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub worker_starts: AtomicU64,
    pub decoder_starts: AtomicU64,
    pub packets: AtomicU64,
    pub packets_lost: AtomicU64,
    pub packets_skipped: AtomicU64,
    pub frames_decoded: AtomicU64,
    pub decode_errors: AtomicU64,
    pub encode_errors: AtomicU64,
    pub snapshots_encoded: AtomicU64,
    pub frames_encoded: [AtomicU64; 3],
}

/// Who keeps the worker alive, and the worker itself.
#[derive(Default)]
struct Control {
    /// Viewers plus waiting snapshot callers.
    leases: usize,
    worker: Option<WorkerHandle>,
    next_worker: u64,
}

/// Dropping it (its stop sender) tells the worker to stop.
struct WorkerHandle {
    id: u64,
    _stop: oneshot::Sender<()>,
}

impl MjpegHub {
    /// A hub that calls `subscribe` whenever it starts decoding.
    pub fn new(subscribe: Subscribe) -> MjpegHub {
        MjpegHub::with_options(subscribe, HubOptions::default())
    }

    pub fn with_options(subscribe: Subscribe, opts: HubOptions) -> MjpegHub {
        MjpegHub {
            shared: Arc::new(Shared {
                subscribe,
                opts,
                outputs: std::array::from_fn(|_| watch::Sender::new(None)),
                snapshot: watch::Sender::new(None),
                viewers: Default::default(),
                snapshot_requests: AtomicU64::new(0),
                snapshot_waiters: AtomicUsize::new(0),
                frame_seq: AtomicU64::new(0),
                counters: Counters::default(),
                workers: watch::Sender::new(0),
                control: Mutex::new(Control::default()),
            }),
        }
    }

    /// A new viewer at `quality`; the first viewer of the hub starts decoding.
    pub fn subscribe(&self, quality: Quality) -> Result<Viewer> {
        let decoding = self.stats().workers_running > 0;
        let lease = Lease::acquire(&self.shared, Some(quality))?;
        let rx = self.shared.outputs[quality.index()].subscribe();
        // A frame left from an earlier viewing session is not shown as live: with no decode
        // running, the first frame shown is one decoded now (from the camera's GOP cache).
        let last_seq = rx
            .borrow()
            .as_ref()
            .filter(|f| !decoding || f.made_at.elapsed() > self.shared.opts.warm_age)
            .map_or(0, |f| f.seq);
        Ok(Viewer {
            rx,
            last_seq,
            quality,
            _lease: lease,
        })
    }

    /// The current picture as a JPEG: a frame encoded in the last [`HubOptions::warm_age`] if
    /// there is one (the largest), else the next decoded frame at full size, q90. Starts decoding
    /// for the wait if nobody is watching, and stops it afterwards.
    pub async fn snapshot(&self) -> Result<Frame> {
        if let Some(f) = self.warm_frame() {
            return Ok(f);
        }
        let shared = &self.shared;
        let mut rx = shared.snapshot.subscribe();
        shared.snapshot_waiters.fetch_add(1, Ordering::SeqCst);
        let _waiter = Waiter(shared);
        let wanted = shared.snapshot_requests.fetch_add(1, Ordering::SeqCst) + 1;
        let _lease = Lease::acquire(shared, None)?;
        let got = tokio::time::timeout(
            shared.opts.snapshot_timeout,
            rx.wait_for(|s| s.as_ref().is_some_and(|s| s.answers >= wanted)),
        )
        .await;
        match got {
            Ok(Ok(s)) => s
                .as_ref()
                .map(|s| s.frame.clone())
                .ok_or_else(|| err!(Internal, "snapshot vanished")),
            _ => Err(err!(
                Unavailable,
                code = SnapshotUnavailable,
                "no picture from camera {} within {} s",
                shared.opts.name,
                shared.opts.snapshot_timeout.as_secs_f32()
            )),
        }
    }

    /// The largest frame (any quality or snapshot) made within the warm age.
    pub fn warm_frame(&self) -> Option<Frame> {
        let warm = self.shared.opts.warm_age;
        let snapshot = self
            .shared
            .snapshot
            .borrow()
            .as_ref()
            .map(|s| s.frame.clone());
        let outputs = self.shared.outputs.iter().map(|o| o.borrow().clone());
        std::iter::once(snapshot)
            .chain(outputs)
            .flatten()
            .filter(|f| f.made_at.elapsed() <= warm)
            .max_by_key(|f| (u64::from(f.width) * u64::from(f.height), f.seq))
    }

    pub fn stats(&self) -> HubStats {
        let s = &self.shared;
        let c = &s.counters;
        let n = |a: &AtomicU64| a.load(Ordering::Relaxed);
        HubStats {
            workers_running: *s.workers.borrow(),
            worker_starts: n(&c.worker_starts),
            decoder_starts: n(&c.decoder_starts),
            packets: n(&c.packets),
            packets_lost: n(&c.packets_lost),
            packets_skipped: n(&c.packets_skipped),
            frames_decoded: n(&c.frames_decoded),
            decode_errors: n(&c.decode_errors),
            encode_errors: n(&c.encode_errors),
            snapshots_encoded: n(&c.snapshots_encoded),
            qualities: std::array::from_fn(|i| QualityStats {
                viewers: s.viewers[i].load(Ordering::Relaxed),
                frames_encoded: n(&c.frames_encoded[i]),
            }),
        }
    }

    /// Resolves once no worker thread is running (after the last viewer left, say): by then the
    /// feed subscription and the decoder are dropped.
    pub async fn wait_stopped(&self) {
        let mut rx = self.shared.workers.subscribe();
        // The sender lives in `shared`, which `self` holds: this cannot fail.
        let _ = rx.wait_for(|n| *n == 0).await;
    }
}

/// One viewer of one quality. Dropping it lets the hub stop encoding that quality, and stop
/// decoding when it was the last viewer.
pub struct Viewer {
    rx: watch::Receiver<Option<Frame>>,
    last_seq: u64,
    quality: Quality,
    _lease: Lease,
}

impl Viewer {
    pub fn quality(&self) -> Quality {
        self.quality
    }

    /// The newest frame not yet returned, waiting while there is none. Frames made while the
    /// caller was busy are skipped. `None` only if the hub's output closed (not while the viewer
    /// lives).
    pub async fn next_frame(&mut self) -> Option<Frame> {
        let last = self.last_seq;
        let frame = self
            .rx
            .wait_for(|f| f.as_ref().is_some_and(|f| f.seq > last))
            .await
            .ok()?
            .clone()?;
        self.last_seq = frame.seq;
        Some(frame)
    }

    /// The newest frame of this quality, if any, without waiting (it may be one already returned).
    pub fn latest(&self) -> Option<Frame> {
        self.rx.borrow().clone()
    }
}

impl std::fmt::Debug for Viewer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Viewer")
            .field("quality", &self.quality)
            .field("last_seq", &self.last_seq)
            .finish()
    }
}

/// Keeps the worker alive: one per viewer (with its quality) and per waiting snapshot.
struct Lease {
    shared: Arc<Shared>,
    quality: Option<Quality>,
}

impl Lease {
    fn acquire(shared: &Arc<Shared>, quality: Option<Quality>) -> Result<Lease> {
        let mut c = shared.lock();
        if c.worker.is_none() {
            c.worker = Some(spawn_worker(shared, &mut c)?);
        }
        c.leases += 1;
        if let Some(q) = quality {
            shared.viewers[q.index()].fetch_add(1, Ordering::SeqCst);
        }
        Ok(Lease {
            shared: shared.clone(),
            quality,
        })
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        let mut c = self.shared.lock();
        if let Some(q) = self.quality {
            self.shared.viewers[q.index()].fetch_sub(1, Ordering::SeqCst);
        }
        c.leases = c.leases.saturating_sub(1);
        if c.leases == 0 {
            // Dropping the handle closes its stop channel: the worker winds down on its own.
            c.worker = None;
        }
    }
}

/// Counts a snapshot caller as waiting for as long as it lives.
struct Waiter<'a>(&'a Shared);

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        self.0.snapshot_waiters.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Control> {
        self.control.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Called by a worker as it ends: it no longer counts, and if it ended on its own (not told
    /// to), the next lease starts a new one.
    pub(crate) fn worker_exited(&self, id: u64) {
        {
            let mut c = self.lock();
            if c.worker.as_ref().is_some_and(|w| w.id == id) {
                c.worker = None;
            }
        }
        self.workers.send_modify(|n| *n = n.saturating_sub(1));
    }
}

fn spawn_worker(shared: &Arc<Shared>, c: &mut Control) -> Result<WorkerHandle> {
    let id = c.next_worker;
    c.next_worker += 1;
    let (stop_tx, stop_rx) = oneshot::channel();
    shared.workers.send_modify(|n| *n += 1);
    let for_thread = shared.clone();
    let spawned = std::thread::Builder::new()
        .name(format!("live-{}", shared.opts.name))
        .spawn(move || worker::run(for_thread, id, stop_rx));
    match spawned {
        Ok(_) => {
            shared
                .counters
                .worker_starts
                .fetch_add(1, Ordering::Relaxed);
            Ok(WorkerHandle { id, _stop: stop_tx })
        }
        Err(e) => {
            shared.workers.send_modify(|n| *n = n.saturating_sub(1));
            Err(err!(Internal, "cannot start the live-view thread: {e}"))
        }
    }
}
