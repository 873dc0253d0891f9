//! The segment writer of one camera: consumes the camera's feed on its own thread, stream-copies
//! packets into fragmented-MP4 segments cut at keyframes (about a minute each), and keeps the index
//! honest: every fragment is written and fsynced before the database row is updated to cover it,
//! so a crash loses at most the fragment being written.

use std::fs::{self, File};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use vigil_base::{Clock, ErrorKind, Result, ResultExt};
use vigil_db::recordings::{Progress, RecordingRow};
use vigil_db::{Database, WriteOp};
use vigil_media::input::MediaKind;
use vigil_media::{Chunk, FeedItem, FeedReceiver, Fmp4Muxer, MediaPacket, MuxOptions, SessionInfo};

use crate::index::{self, KeyframeEntry};
use crate::segment_file::SegmentFile;
use crate::{StorageRoot, segment_path};

#[derive(Clone, Debug)]
pub struct RecorderConfig {
    pub root: StorageRoot,
    /// Target segment length; a segment ends at the first keyframe past it.
    pub segment_ms: i64,
    pub mux: MuxOptions,
    /// A wall clock further than this from where media time says we are counts as a clock jump.
    pub clock_tolerance_ms: i64,
    /// fsync (and then update the index) at most this often; a segment's end always syncs. The
    /// index never covers bytes that are not on disk. A process crash loses at most the fragment
    /// in flight whatever this is (start-up repair reads what reached the OS); a power cut loses
    /// at most this much.
    pub sync_interval_ms: u64,
    /// How long the recorder lets packets gather in its queue before taking them all at once.
    /// Waking once per packet (50 times a second per camera) was a tenth of the recording CPU;
    /// this adds nothing to what a crash can lose (the open fragment is in memory either way).
    pub batch_ms: u64,
    /// Packets past this many bits a second (averaged over [`CEILING_WINDOW_MS`]) are dropped
    /// until the next keyframe that fits: a runaway source cannot fill the disk.
    pub max_bitrate_bps: u64,
    /// A new segment is not begun while the recording filesystem has less free space than this
    /// (a `STORAGE_FULL` failure, retried; the storage pass makes room meanwhile). The engine sets
    /// it when the database shares that filesystem, so index updates and alerts always fit even
    /// when the tier holds only locked footage.
    pub min_free_bytes: u64,
}

/// The window the bitrate ceiling averages over: long enough that a real camera's keyframe burst
/// never trips it.
pub const CEILING_WINDOW_MS: i64 = 5_000;

impl RecorderConfig {
    pub fn new(root: StorageRoot) -> Self {
        RecorderConfig {
            root,
            segment_ms: 60_000,
            mux: MuxOptions::default(),
            clock_tolerance_ms: 2_000,
            sync_interval_ms: 1_000,
            max_bitrate_bps: 64_000_000,
            min_free_bytes: 0,
            batch_ms: 200,
        }
    }
}

/// The recorder's queue, read in batches: when it runs dry, wait `wait` for packets to gather,
/// then take everything there is (blocking only if nothing came at all).
struct Batched<'a> {
    feed: &'a mut FeedReceiver,
    buf: std::collections::VecDeque<FeedItem>,
    wait: std::time::Duration,
    clock: &'a dyn Clock,
}

impl Batched<'_> {
    fn next(&mut self) -> Option<FeedItem> {
        if let Some(item) = self.buf.pop_front() {
            return Some(item);
        }
        if !self.wait.is_zero() {
            self.clock.sleep(self.wait);
        }
        let first = match self.feed.rx.try_recv() {
            Ok(item) => item,
            Err(tokio::sync::mpsc::error::TryRecvError::Empty) => self.feed.rx.blocking_recv()?,
            Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => return None,
        };
        while let Ok(item) = self.feed.rx.try_recv() {
            self.buf.push_back(item);
        }
        Some(first)
    }
}

/// Free bytes of the filesystem holding `dir` (for unprivileged users).
fn free_bytes(dir: &std::path::Path) -> Option<u64> {
    let st = rustix::fs::statvfs(dir).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// Why recording is failing now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordingFault {
    pub message: String,
    /// The disk is full (an `io::ErrorKind::StorageFull` underneath).
    pub storage_full: bool,
    /// Wall time of the first failure in a row.
    pub since_ms: i64,
}

/// Counters a supervisor reports in heartbeats and metrics.
#[derive(Default, Debug)]
pub struct RecorderStats {
    pub packets: AtomicU64,
    pub bytes: AtomicU64,
    pub segments: AtomicU64,
    /// fsyncs of segment files (each followed by an index update).
    pub syncs: AtomicU64,
    /// Packets the recorder's queue had to drop (should stay 0).
    pub dropped: AtomicU64,
    pub errors: AtomicU64,
    /// Packets dropped because the camera sent more than the bitrate ceiling.
    pub over_ceiling: AtomicU64,
    /// The last failure, until a segment is finished whole again (the camera shows it).
    pub last_error: std::sync::Mutex<Option<RecordingFault>>,
    /// Packet arrival (from the camera) to its write into the segment, in wall milliseconds:
    /// the queue wait, the batching wait (`batch_ms`) and the write. A recorder held up by
    /// anything (a lock, a slow disk) shows here before it drops.
    pub write_latency: LatencyHistogram,
}

/// Upper bounds (ms) of [`LatencyHistogram`]'s buckets; a last one catches the rest.
pub const LATENCY_BOUNDS_MS: [u64; 12] = [
    5, 10, 20, 50, 100, 200, 300, 500, 1_000, 2_000, 5_000, 10_000,
];

/// A lock-free histogram of milliseconds: a count per bucket, the sum and the count.
#[derive(Default, Debug)]
pub struct LatencyHistogram {
    buckets: [AtomicU64; LATENCY_BOUNDS_MS.len() + 1],
    sum_ms: AtomicU64,
}

impl LatencyHistogram {
    pub fn observe(&self, ms: u64) {
        let i = LATENCY_BOUNDS_MS
            .iter()
            .position(|&b| ms <= b)
            .unwrap_or(LATENCY_BOUNDS_MS.len());
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
        self.sum_ms.fetch_add(ms, Ordering::Relaxed);
    }

    /// Counts per bucket (not cumulative; the last is past every bound) and the sum.
    pub fn read(&self) -> ([u64; LATENCY_BOUNDS_MS.len() + 1], u64) {
        (
            std::array::from_fn(|i| self.buckets[i].load(Ordering::Relaxed)),
            self.sum_ms.load(Ordering::Relaxed),
        )
    }
}

/// What the writer tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum RecorderEvent {
    /// The camera began sending more than the ceiling (once per episode).
    BitrateExceeded {
        limit_bps: u64,
    },
    SegmentStarted {
        recording_id: i64,
        start_ms: i64,
    },
    SegmentFinished {
        recording_id: i64,
        start_ms: i64,
        end_ms: i64,
        bytes: u64,
    },
    ClockJump {
        jump_ms: i64,
    },
    Failed {
        message: String,
        /// The disk is full (ENOSPC, or over quota): told by the I/O error's kind.
        storage_full: bool,
    },
}

pub struct SegmentWriter {
    camera_id: i64,
    cfg: RecorderConfig,
    /// Only for ids and the writer thread's queue: the recorder never waits for the database.
    db: Database,
    /// Where the camera's last segment ended: no segment starts before it.
    last_end_ms: std::cell::Cell<Option<i64>>,
    clock: Arc<dyn Clock>,
    stats: Arc<RecorderStats>,
    notify: Notify,
}

/// How a recorder tells its owner what happened. Segment starts and ends are told once the
/// index shows them (from the database writer's thread), the rest from the recorder's own.
pub type Notify = Arc<dyn Fn(RecorderEvent) + Send + Sync>;

struct OpenSegment {
    id: i64,
    file: SegmentFile,
    path: std::path::PathBuf,
    start_ms: i64,
    muxer: Option<Fmp4Muxer>,
    /// Bytes of the file made of complete boxes (what the index may claim).
    bytes: u64,
    init_len: u64,
    timescale: u64,
    first_decode: Option<u64>,
    duration_ticks: u64,
    keyframes: Vec<KeyframeEntry>,
    /// First and latest DTS of the main stream, in its time base (for the cut decision).
    first_dts: Option<i64>,
    last_dts: i64,
    time_base: (i32, i32),
    last_sync: std::time::Instant,
    unsynced_fragments: u32,
    /// What the file holds on disk for sure (the latest fsync): what the index may claim.
    synced: Progress,
}

impl OpenSegment {
    fn elapsed_ms(&self) -> i64 {
        let (num, den) = self.time_base;
        match self.first_dts {
            Some(f) if den != 0 => (self.last_dts - f) * 1000 * i64::from(num) / i64::from(den),
            _ => 0,
        }
    }
    fn duration_90k(&self) -> i64 {
        if self.timescale == 0 {
            return 0;
        }
        (u128::from(self.duration_ticks) * 90_000 / u128::from(self.timescale)) as i64
    }
    fn end_ms(&self) -> i64 {
        self.start_ms + crate::ms_from_90k(self.duration_90k())
    }
}

impl SegmentWriter {
    pub fn new(
        camera_id: i64,
        cfg: RecorderConfig,
        db: Database,
        clock: Arc<dyn Clock>,
        stats: Arc<RecorderStats>,
        notify: Notify,
    ) -> Self {
        SegmentWriter {
            camera_id,
            cfg,
            db,
            last_end_ms: std::cell::Cell::new(None),
            clock,
            stats,
            notify,
        }
    }

    /// Continue after the camera's earlier recordings, which end at `end_ms` (read by the owner
    /// before the recorder starts, so the recorder itself never reads the database).
    pub fn resume_after(self, end_ms: Option<i64>) -> Self {
        self.last_end_ms.set(end_ms);
        self
    }

    /// Record until the feed closes. Blocking: run on a thread of its own.
    pub fn run(self, mut feed: FeedReceiver) {
        let mut rec = self.into_steps();
        let mut queue = Batched {
            feed: &mut feed,
            buf: std::collections::VecDeque::new(),
            wait: std::time::Duration::from_millis(rec.writer.cfg.batch_ms),
            clock: &*rec.writer.clock.clone(),
        };
        while let Some(item) = queue.next() {
            rec.push(item);
        }
        rec.writer
            .stats
            .dropped
            .store(feed.dropped(), Ordering::Relaxed);
        rec.finish();
    }

    /// The recorder driven one feed item at a time by the caller (tests drive it in simulated
    /// time this way; `run` is a loop over it).
    pub fn into_steps(self) -> Steps {
        Steps {
            writer: self,
            session: None,
            last_seq: None,
            open: None,
            continue_from: None,
            pause_until_ms: i64::MIN,
            skew: 0,
            ceiling: Ceiling::default(),
        }
    }
}

/// The bitrate ceiling: bytes admitted in the current window, and whether the excess is being
/// dropped (until a keyframe that fits, so what is recorded stays decodable).
#[derive(Debug, Default)]
struct Ceiling {
    window_start_ms: i64,
    bytes: u64,
    dropping: bool,
}

impl Ceiling {
    /// Admit a packet of `len` bytes arriving at `now_ms`? `budget` is the window's bytes.
    fn admit(&mut self, now_ms: i64, len: u64, starts_gop: bool, budget: u64) -> bool {
        if now_ms - self.window_start_ms >= CEILING_WINDOW_MS || now_ms < self.window_start_ms {
            self.window_start_ms = now_ms;
            self.bytes = 0;
        }
        let fits = self.bytes.saturating_add(len) <= budget;
        if self.dropping && !(starts_gop && fits) {
            return false;
        }
        self.dropping = !fits;
        if fits {
            self.bytes += len;
        }
        fits
    }
}

/// A recorder between feed items: see [`SegmentWriter::into_steps`].
pub struct Steps {
    writer: SegmentWriter,
    session: Option<Arc<SessionInfo>>,
    last_seq: Option<u64>,
    open: Option<OpenSegment>,
    /// Where the previous segment of this session ended, for continuity of wall time.
    continue_from: Option<i64>,
    pause_until_ms: i64,
    skew: i64,
    ceiling: Ceiling,
}

impl Steps {
    /// Handle one item of the feed.
    pub fn push(&mut self, item: FeedItem) {
        let w = &self.writer;
        match item {
            FeedItem::Session(s) => {
                w.close(&mut self.open);
                tracing::info!(camera_id = w.camera_id, session = %s.describe(), "recording a new session");
                self.session = Some(s);
                self.continue_from = None;
            }
            FeedItem::End { .. } => {
                w.close(&mut self.open);
                self.session = None;
                self.continue_from = None;
            }
            FeedItem::Packet {
                seq,
                arrival_ms,
                packet,
            } => {
                if let Some(prev) = self.last_seq
                    && seq != prev + 1
                {
                    let missed = seq.saturating_sub(prev + 1);
                    w.stats.dropped.fetch_add(missed, Ordering::Relaxed);
                    tracing::warn!(
                        camera_id = w.camera_id,
                        missed,
                        "recorder queue dropped packets; starting a new segment"
                    );
                    w.close(&mut self.open);
                    self.continue_from = None;
                }
                self.last_seq = Some(seq);
                let Some(sess) = self.session.clone() else {
                    return;
                };
                w.stats.packets.fetch_add(1, Ordering::Relaxed);
                let main = sess
                    .video
                    .or_else(|| sess.streams.iter().position(|s| s.kind == MediaKind::Audio));
                let is_main = main == Some(packet.stream);
                let starts_gop = is_main && (packet.keyframe || sess.video.is_none());
                let budget = w.cfg.max_bitrate_bps / 8 * (CEILING_WINDOW_MS as u64) / 1_000;
                let was_dropping = self.ceiling.dropping;
                if !self
                    .ceiling
                    .admit(arrival_ms, packet.data.len() as u64, starts_gop, budget)
                {
                    w.stats.over_ceiling.fetch_add(1, Ordering::Relaxed);
                    if !was_dropping {
                        // The segment so far is kept whole; recording resumes at a keyframe.
                        tracing::warn!(
                            camera_id = w.camera_id,
                            limit_bps = w.cfg.max_bitrate_bps,
                            "camera over the bitrate ceiling; dropping the excess"
                        );
                        w.close(&mut self.open);
                        self.continue_from = None;
                        (w.notify)(RecorderEvent::BitrateExceeded {
                            limit_bps: w.cfg.max_bitrate_bps,
                        });
                    }
                    return;
                }
                if starts_gop
                    && self
                        .open
                        .as_ref()
                        .is_some_and(|o| o.elapsed_ms() >= w.cfg.segment_ms)
                {
                    self.continue_from = self.open.as_ref().map(OpenSegment::end_ms);
                    w.close(&mut self.open);
                }
                if self.open.is_none() {
                    if !starts_gop || arrival_ms < self.pause_until_ms {
                        return;
                    }
                    match w.start(&sess, arrival_ms, self.continue_from.take(), &mut self.skew) {
                        Ok(o) => self.open = Some(o),
                        Err(e) => {
                            w.fail(&e);
                            self.pause_until_ms = arrival_ms + 5_000;
                            return;
                        }
                    }
                }
                if let Some(o) = self.open.as_mut() {
                    if is_main && let Some(dts) = packet.dts.or(packet.pts) {
                        o.first_dts.get_or_insert(dts);
                        o.last_dts = dts;
                    }
                    match w.write_packet(o, &packet) {
                        Ok(()) => w
                            .stats
                            .write_latency
                            .observe((w.clock.now_ms() - arrival_ms).max(0) as u64),
                        Err(e) => {
                            // Closed first (at its last complete fragment), then the failure
                            // noted: it stands until a later segment is finished whole.
                            w.close(&mut self.open);
                            w.fail(&e);
                            self.pause_until_ms = arrival_ms + 5_000;
                        }
                    }
                }
            }
        }
    }

    /// The feed ended: close the open segment.
    pub fn finish(mut self) {
        self.writer.close(&mut self.open);
    }
}

impl SegmentWriter {
    fn fail(&self, e: &vigil_base::Error) {
        self.stats.errors.fetch_add(1, Ordering::Relaxed);
        {
            let mut last = vigil_base::sync::lock(&self.stats.last_error);
            let since_ms = last
                .as_ref()
                .map_or_else(|| self.clock.now_ms(), |f| f.since_ms);
            *last = Some(RecordingFault {
                message: e.to_string(),
                storage_full: e.is_storage_full(),
                since_ms,
            });
        }
        tracing::error!(camera_id = self.camera_id, error = %e, "recording failed");
        (self.notify)(RecorderEvent::Failed {
            message: e.to_string(),
            storage_full: e.is_storage_full(),
        });
    }

    /// Begin a segment at a keyframe that arrived at wall time `arrival_ms`. `skew` is how far the
    /// wall clock was behind media time at the previous segment (negative after a backward jump),
    /// so a jump is recorded once, when it happens, not at every segment after it.
    fn start(
        &self,
        sess: &SessionInfo,
        arrival_ms: i64,
        continue_from: Option<i64>,
        skew: &mut i64,
    ) -> Result<OpenSegment> {
        if self.cfg.min_free_bytes > 0
            && let Some(free) = free_bytes(&self.cfg.root.dir)
            && free < self.cfg.min_free_bytes
        {
            return Err(vigil_base::err!(
                ResourceExhausted,
                code = StorageFull,
                "{} has {} MB free, below the {} MB kept for the database",
                self.cfg.root.dir.display(),
                free / 1_000_000,
                self.cfg.min_free_bytes / 1_000_000
            )
            .with_source(std::io::Error::from(std::io::ErrorKind::StorageFull)));
        }
        // Wall time is taken at the segment's start and then advanced by media time. Within one
        // session, consecutive segments are contiguous; a wall clock that runs ahead by more than
        // the tolerance is a forward jump (a gap), one that falls behind is a backward jump that
        // is absorbed (times stay monotonic). Never start before the camera's last recorded end.
        let tol = self.cfg.clock_tolerance_ms;
        let last_end = self.last_end_ms.get();
        let expected = continue_from.or(last_end);
        let (mut start, observed) = match expected {
            Some(e) if arrival_ms - e > tol => (arrival_ms, 0),
            Some(e) if arrival_ms - e < -tol => (e, arrival_ms - e),
            Some(e) if continue_from.is_some() => (e, 0),
            _ => (arrival_ms, 0),
        };
        let jump = match expected {
            Some(e) if arrival_ms - e > tol && continue_from.is_some() => arrival_ms - e - *skew,
            _ if (observed - *skew).abs() > tol => observed - *skew,
            _ => 0,
        };
        *skew = observed;
        if let Some(le) = last_end {
            start = start.max(le);
        }
        if jump != 0 {
            tracing::warn!(
                camera_id = self.camera_id,
                jump_ms = jump,
                "wall clock jump; segment times kept monotonic"
            );
            (self.notify)(RecorderEvent::ClockJump { jump_ms: jump });
        }
        let (rel, path) = loop {
            let rel = segment_path(self.camera_id, start);
            let path = self.cfg.root.resolve(&rel);
            if !path.exists() {
                break (rel, path);
            }
            start += 1;
        };
        let dir = path
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default();
        fs::create_dir_all(&dir).err_kind(ErrorKind::Unavailable, || {
            format!("creating {}", dir.display())
        })?;
        let file = SegmentFile::create_new(&path).err_kind(ErrorKind::Unavailable, || {
            format!("creating {}", path.display())
        })?;
        // The new directory entry must survive a crash too.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        let muxer = Fmp4Muxer::new(sess, self.cfg.mux)?;
        let v = sess.video_stream();
        let main_tb = sess
            .video
            .or_else(|| sess.streams.iter().position(|s| s.kind == MediaKind::Audio))
            .and_then(|i| sess.streams.get(i))
            .map(|s| s.time_base)
            .unwrap_or((1, 90_000));
        let id = self.db.next_recording_id();
        let row = RecordingRow {
            id,
            camera_id: self.camera_id,
            root: self.cfg.root.name.clone(),
            path: rel,
            tier: "hot".into(),
            state: "recording".into(),
            start_ms: start,
            end_ms: start,
            media_duration_90k: 0,
            bytes: 0,
            init_bytes: 0,
            codec: v.map(|v| v.codec.clone()).unwrap_or_else(|| "audio".into()),
            width: v.map(|v| i64::from(v.width)).unwrap_or(0),
            height: v.map(|v| i64::from(v.height)).unwrap_or(0),
            keyframe_index: vec![],
            clock_jump_ms: jump,
            created_at_ms: self.clock.now_ms(),
        };
        self.stats.segments.fetch_add(1, Ordering::Relaxed);
        let notify = self.notify.clone();
        self.db
            .writer()
            .send_then(WriteOp::RecordingStarted(row), move || {
                notify(RecorderEvent::SegmentStarted {
                    recording_id: id,
                    start_ms: start,
                })
            });
        Ok(OpenSegment {
            id,
            file,
            path,
            start_ms: start,
            muxer: Some(muxer),
            bytes: 0,
            init_len: 0,
            timescale: 0,
            first_decode: None,
            duration_ticks: 0,
            keyframes: vec![],
            first_dts: None,
            last_dts: 0,
            time_base: main_tb,
            last_sync: self.clock.instant(),
            unsynced_fragments: 0,
            synced: Progress {
                id,
                state: "recording".into(),
                end_ms: start,
                ..Progress::default()
            },
        })
    }

    fn write_packet(&self, o: &mut OpenSegment, p: &MediaPacket) -> Result<()> {
        let Some(m) = o.muxer.as_mut() else {
            return Ok(());
        };
        m.write(p)?;
        let chunks = m.take_chunks();
        self.write_chunks(o, chunks, false)
    }

    /// Append chunks, fsync, then update the index to cover them.
    fn write_chunks(&self, o: &mut OpenSegment, chunks: Vec<Chunk>, last: bool) -> Result<()> {
        if chunks.is_empty() && !last {
            return Ok(());
        }
        let mut fragments = 0;
        for c in chunks {
            match c {
                Chunk::Init { data, info } => {
                    o.file
                        .append(&data)
                        .err_kind(ErrorKind::Unavailable, || "writing segment".into())?;
                    o.init_len = data.len() as u64;
                    o.bytes += data.len() as u64;
                    o.timescale = info
                        .main_track()
                        .map(|t| u64::from(t.timescale))
                        .unwrap_or(90_000);
                }
                Chunk::Fragment { data, info } => {
                    o.file
                        .append(&data)
                        .err_kind(ErrorKind::Unavailable, || "writing segment".into())?;
                    if info.samples > 0 {
                        let first = *o.first_decode.get_or_insert(info.decode_time);
                        if info.keyframe {
                            let t = info.decode_time.saturating_sub(first);
                            o.keyframes.push(KeyframeEntry {
                                offset: o.bytes,
                                time_90k: (u128::from(t) * 90_000 / u128::from(o.timescale.max(1)))
                                    as u64,
                            });
                        }
                        o.duration_ticks += info.duration;
                    }
                    o.bytes += data.len() as u64;
                    self.stats
                        .bytes
                        .fetch_add(data.len() as u64, Ordering::Relaxed);
                    fragments += 1;
                }
            }
        }
        // The index may only cover synced bytes: sync when due (or at the end), then update it.
        o.unsynced_fragments += fragments;
        let due = self.clock.elapsed(o.last_sync).as_millis() as u64 >= self.cfg.sync_interval_ms;
        if !(last || (o.unsynced_fragments > 0 && due)) {
            return Ok(());
        }
        if last { o.file.finish() } else { o.file.sync() }
            .err_kind(ErrorKind::Unavailable, || "fsync of segment".into())?;
        o.last_sync = self.clock.instant();
        self.stats.syncs.fetch_add(1, Ordering::Relaxed);
        o.unsynced_fragments = 0;
        o.synced = Progress {
            id: o.id,
            state: "recording".into(),
            end_ms: o.end_ms(),
            media_duration_90k: o.duration_90k(),
            bytes: o.bytes as i64,
            init_bytes: o.init_len as i64,
            keyframe_index: index::encode(&o.keyframes),
        };
        // The final state is sent by `close`, with the announcement of the segment.
        if !last {
            self.db
                .writer()
                .send(WriteOp::RecordingProgress(o.synced.clone()));
        }
        Ok(())
    }

    /// Finish the open segment: last fragment, fsync, final index row. An empty one is removed.
    fn close(&self, open: &mut Option<OpenSegment>) {
        let Some(mut o) = open.take() else { return };
        let r = match o.muxer.take() {
            Some(m) => m
                .finish()
                .and_then(|chunks| self.write_chunks(&mut o, chunks, true)),
            None => Ok(()),
        };
        if let Err(e) = r {
            // Keep what reached the disk: the segment ends at its last synced fragment (what
            // follows it may be torn), indexed and playable, instead of staying half-written.
            self.fail(&e.context("finishing segment"));
            let _ = o.file.truncate(o.synced.bytes as u64);
        } else if !o.synced.keyframe_index.is_empty() {
            // A whole segment again: recording works.
            *vigil_base::sync::lock(&self.stats.last_error) = None;
        }
        let mut last = std::mem::take(&mut o.synced);
        if last.keyframe_index.is_empty() {
            self.abandon(o);
            return;
        }
        last.state = "complete".into();
        self.last_end_ms.set(Some(
            self.last_end_ms.get().unwrap_or(i64::MIN).max(last.end_ms),
        ));
        let notify = self.notify.clone();
        let finished = RecorderEvent::SegmentFinished {
            recording_id: o.id,
            start_ms: o.start_ms,
            end_ms: last.end_ms,
            bytes: last.bytes as u64,
        };
        self.db
            .writer()
            .send_then(WriteOp::RecordingProgress(last), move || notify(finished));
    }

    /// Remove a segment that holds no complete fragment: its row, then its file.
    fn abandon(&self, o: OpenSegment) {
        self.db.writer().send(WriteOp::RecordingAbandoned {
            id: o.id,
            file: o.path,
        });
    }
}

#[cfg(test)]
mod ceiling_tests {
    use super::Ceiling;

    #[test]
    fn the_excess_is_dropped_until_a_keyframe_that_fits() {
        let mut c = Ceiling::default();
        let budget = 1_000;
        assert!(c.admit(0, 600, true, budget));
        assert!(c.admit(100, 300, false, budget));
        // Over: dropped, and so is what follows until a keyframe in a window with room.
        assert!(!c.admit(200, 200, false, budget));
        assert!(!c.admit(300, 50, false, budget));
        assert!(
            !c.admit(400, 150, true, budget),
            "a keyframe that does not fit"
        );
        assert!(
            !c.admit(5_100, 50, false, budget),
            "a new window, but no keyframe yet"
        );
        assert!(c.admit(5_200, 50, true, budget));
        assert!(c.admit(5_300, 50, false, budget));
    }
}
