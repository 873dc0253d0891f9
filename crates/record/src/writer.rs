//! The segment writer of one camera: consumes the camera's feed on its own thread, stream-copies
//! packets into fragmented-MP4 segments cut at keyframes (about a minute each), and keeps the index
//! honest: every fragment is written and fsynced before the database row is updated to cover it,
//! so a crash loses at most the fragment being written.

use std::fs::{self, File};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use vigil_base::{Clock, ErrorKind, Result, ResultExt};
use vigil_db::Database;
use vigil_db::recordings::{self as q, Progress, RecordingRow};
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
}

impl RecorderConfig {
    pub fn new(root: StorageRoot) -> Self {
        RecorderConfig {
            root,
            segment_ms: 60_000,
            mux: MuxOptions::default(),
            clock_tolerance_ms: 2_000,
            sync_interval_ms: 1_000,
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
}

impl Batched<'_> {
    fn next(&mut self) -> Option<FeedItem> {
        if let Some(item) = self.buf.pop_front() {
            return Some(item);
        }
        if !self.wait.is_zero() {
            std::thread::sleep(self.wait);
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

/// Counters a supervisor reports in heartbeats and metrics.
#[derive(Default, Debug)]
pub struct RecorderStats {
    pub packets: AtomicU64,
    pub bytes: AtomicU64,
    pub segments: AtomicU64,
    /// Packets the recorder's queue had to drop (should stay 0).
    pub dropped: AtomicU64,
    pub errors: AtomicU64,
}

/// What the writer tells its owner.
#[derive(Clone, Debug, PartialEq)]
pub enum RecorderEvent {
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
    },
}

pub struct SegmentWriter {
    camera_id: i64,
    cfg: RecorderConfig,
    db: Database,
    clock: Arc<dyn Clock>,
    stats: Arc<RecorderStats>,
    notify: Box<dyn Fn(RecorderEvent) + Send>,
}

struct OpenSegment {
    id: i64,
    file: SegmentFile,
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
        notify: Box<dyn Fn(RecorderEvent) + Send>,
    ) -> Self {
        SegmentWriter {
            camera_id,
            cfg,
            db,
            clock,
            stats,
            notify,
        }
    }

    /// Record until the feed closes. Blocking: run on a thread of its own.
    pub fn run(self, mut feed: FeedReceiver) {
        let mut session: Option<Arc<SessionInfo>> = None;
        let mut last_seq: Option<u64> = None;
        let mut open: Option<OpenSegment> = None;
        // Where the previous segment of this session ended, for continuity of wall time.
        let mut continue_from: Option<i64> = None;
        let mut pause_until_ms = i64::MIN;
        let mut skew = 0i64;
        let mut queue = Batched {
            feed: &mut feed,
            buf: std::collections::VecDeque::new(),
            wait: std::time::Duration::from_millis(self.cfg.batch_ms),
        };
        while let Some(item) = queue.next() {
            match item {
                FeedItem::Session(s) => {
                    self.close(&mut open);
                    tracing::info!(camera_id = self.camera_id, session = %s.describe(), "recording a new session");
                    session = Some(s);
                    continue_from = None;
                }
                FeedItem::End { .. } => {
                    self.close(&mut open);
                    session = None;
                    continue_from = None;
                }
                FeedItem::Packet {
                    seq,
                    arrival_ms,
                    packet,
                } => {
                    if let Some(prev) = last_seq
                        && seq != prev + 1
                    {
                        let missed = seq.saturating_sub(prev + 1);
                        self.stats.dropped.fetch_add(missed, Ordering::Relaxed);
                        tracing::warn!(
                            camera_id = self.camera_id,
                            missed,
                            "recorder queue dropped packets; starting a new segment"
                        );
                        self.close(&mut open);
                        continue_from = None;
                    }
                    last_seq = Some(seq);
                    let Some(sess) = session.clone() else {
                        continue;
                    };
                    self.stats.packets.fetch_add(1, Ordering::Relaxed);
                    let main = sess
                        .video
                        .or_else(|| sess.streams.iter().position(|s| s.kind == MediaKind::Audio));
                    let is_main = main == Some(packet.stream);
                    let starts_gop = is_main && (packet.keyframe || sess.video.is_none());
                    if starts_gop
                        && open
                            .as_ref()
                            .is_some_and(|o| o.elapsed_ms() >= self.cfg.segment_ms)
                    {
                        continue_from = open.as_ref().map(OpenSegment::end_ms);
                        self.close(&mut open);
                    }
                    if open.is_none() {
                        if !starts_gop || arrival_ms < pause_until_ms {
                            continue;
                        }
                        match self.start(&sess, arrival_ms, continue_from.take(), &mut skew) {
                            Ok(o) => open = Some(o),
                            Err(e) => {
                                self.fail(&e.to_string());
                                pause_until_ms = arrival_ms + 5_000;
                                continue;
                            }
                        }
                    }
                    if let Some(o) = open.as_mut() {
                        if is_main && let Some(dts) = packet.dts.or(packet.pts) {
                            o.first_dts.get_or_insert(dts);
                            o.last_dts = dts;
                        }
                        if let Err(e) = self.write_packet(o, &packet) {
                            self.fail(&e.to_string());
                            self.close(&mut open);
                            pause_until_ms = arrival_ms + 5_000;
                        }
                    }
                }
            }
        }
        self.close(&mut open);
        self.stats.dropped.store(feed.dropped(), Ordering::Relaxed);
    }

    fn fail(&self, message: &str) {
        self.stats.errors.fetch_add(1, Ordering::Relaxed);
        tracing::error!(
            camera_id = self.camera_id,
            error = message,
            "recording failed"
        );
        (self.notify)(RecorderEvent::Failed {
            message: message.to_string(),
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
        // Wall time is taken at the segment's start and then advanced by media time. Within one
        // session, consecutive segments are contiguous; a wall clock that runs ahead by more than
        // the tolerance is a forward jump (a gap), one that falls behind is a backward jump that
        // is absorbed (times stay monotonic). Never start before the camera's last recorded end.
        let tol = self.cfg.clock_tolerance_ms;
        let last_end = {
            let mut g = self.db.lock()?;
            q::last_end_ms(g.conn(), self.camera_id)?
        };
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
        let row = RecordingRow {
            id: 0,
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
        let id = {
            let mut g = self.db.lock()?;
            q::insert(g.conn(), &row)?
        };
        self.stats.segments.fetch_add(1, Ordering::Relaxed);
        (self.notify)(RecorderEvent::SegmentStarted {
            recording_id: id,
            start_ms: start,
        });
        Ok(OpenSegment {
            id,
            file,
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
            last_sync: std::time::Instant::now(),
            unsynced_fragments: 0,
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
        let due = o.last_sync.elapsed().as_millis() as u64 >= self.cfg.sync_interval_ms;
        if !(last || (o.unsynced_fragments > 0 && due)) {
            return Ok(());
        }
        if last { o.file.finish() } else { o.file.sync() }
            .err_kind(ErrorKind::Unavailable, || "fsync of segment".into())?;
        o.last_sync = std::time::Instant::now();
        o.unsynced_fragments = 0;
        {
            let p = Progress {
                id: o.id,
                state: if last { "complete" } else { "recording" }.into(),
                end_ms: o.end_ms(),
                media_duration_90k: o.duration_90k(),
                bytes: o.bytes as i64,
                init_bytes: o.init_len as i64,
                keyframe_index: index::encode(&o.keyframes),
            };
            q::update_progress(self.db.lock()?.conn(), &p)?;
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
            self.fail(&format!("finishing segment: {e}"));
        }
        if o.keyframes.is_empty() {
            self.abandon(o);
            return;
        }
        (self.notify)(RecorderEvent::SegmentFinished {
            recording_id: o.id,
            start_ms: o.start_ms,
            end_ms: o.end_ms(),
            bytes: o.bytes,
        });
    }

    /// Remove a segment that holds no complete fragment.
    fn abandon(&self, o: OpenSegment) {
        if let Ok(mut g) = self.db.lock()
            && let Ok(Some(row)) = q::get(g.conn(), o.id)
        {
            let _ = fs::remove_file(self.cfg.root.resolve(&row.path));
            let _ = q::delete(g.conn(), o.id);
        }
    }
}
