//! Live fragmented MP4 of one camera, shared by its MSE viewers and its HLS playlist: one feed
//! subscription and one muxer (stream copy, a fragment per video frame so nothing waits for a
//! fragment to fill), a cache of the fragments since the latest keyframe so a new viewer starts
//! at once, and ~2 s HLS segments kept in memory. It runs as a task only while someone watches:
//! an MSE viewer, or an HLS player that asked within the last `hls_idle`.
//!
//! Every viewer reads from a `broadcast` channel; one that falls behind loses fragments, is told
//! so, and resumes at the next keyframe — it never holds up the muxer or the other viewers.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::{Notify, broadcast};
use vigil_base::{Result, err};
use vigil_media::{Chunk, FeedItem, Fmp4Muxer, MediaKind, MuxOptions, SessionInfo};

use crate::codec::codec_string;
use crate::hub::Subscribe;

/// Tuning of an [`Fmp4Hub`].
#[derive(Clone, Debug)]
pub struct Fmp4Options {
    /// Names log lines (a camera id, say).
    pub name: String,
    /// Target HLS segment length (segments end at the first keyframe past it).
    pub hls_segment: Duration,
    /// HLS segments kept (`HLS_MAX_SEGMENTS`).
    pub hls_max_segments: usize,
    /// HLS stops this long after the last request for it.
    pub hls_idle: Duration,
    /// How long the first playlist request waits for a first segment.
    pub hls_first_segment_timeout: Duration,
    /// Fragments a viewer may be behind before it skips to the next keyframe.
    pub viewer_queue: usize,
    /// After the feed closes while someone watches (camera restarted), wait this long before
    /// subscribing again.
    pub resubscribe_delay: Duration,
    /// Appended to the playlist's init and segment URIs (`?stream=sub` for a sub-stream's).
    pub uri_query: String,
}

impl Default for Fmp4Options {
    fn default() -> Self {
        Fmp4Options {
            name: "camera".into(),
            hls_segment: Duration::from_secs(2),
            hls_max_segments: 6,
            hls_idle: Duration::from_secs(30),
            hls_first_segment_timeout: Duration::from_secs(10),
            viewer_queue: 256,
            resubscribe_delay: Duration::from_secs(1),
            uri_query: String::new(),
        }
    }
}

/// The init segment of one session of the camera, with what a player needs to know of it.
#[derive(Debug)]
pub struct LiveInit {
    /// Grows with every new init (a reconnect with new parameters).
    pub generation: u64,
    /// `ftyp` + `moov`.
    pub data: Bytes,
    /// RFC 6381 codecs, e.g. `avc1.640028` or `avc1.640028,mp4a.40.2`.
    pub codec: String,
    /// `video/mp4; codecs="…"`, for `MediaSource.isTypeSupported`.
    pub mime: String,
    pub width: u32,
    pub height: u32,
}

/// What an MSE viewer is sent, in order.
#[derive(Clone, Debug)]
pub enum MseEvent {
    /// A new init segment: (re)start the SourceBuffer with it.
    Init(Arc<LiveInit>),
    /// `moof` + `mdat`.
    Fragment(Bytes),
    /// The viewer fell behind and lost fragments; it resumes at the next keyframe.
    Skip,
}

#[derive(Clone, Debug)]
struct LiveFragment {
    data: Bytes,
    keyframe: bool,
}

#[derive(Clone, Debug)]
enum Event {
    Init(Arc<LiveInit>),
    Fragment(LiveFragment),
}

/// One HLS media segment.
struct HlsSegment {
    seq: u64,
    generation: u64,
    duration_s: f64,
    /// First segment after a new init.
    discontinuity: bool,
    data: Bytes,
}

struct OpenSegment {
    parts: Vec<Bytes>,
    ticks: u64,
    generation: u64,
    discontinuity: bool,
}

#[derive(Default)]
struct Hls {
    segments: VecDeque<HlsSegment>,
    open: Option<OpenSegment>,
    next_seq: u64,
    /// Discontinuities among pruned segments (EXT-X-DISCONTINUITY-SEQUENCE).
    pruned_discontinuities: u64,
    /// Init segments still referenced, by generation.
    inits: Vec<(u64, Bytes)>,
    timescale: u32,
    /// The next segment follows a new init.
    pending_discontinuity: bool,
    /// EXT-X-TARGETDURATION, in seconds.
    target_duration: u64,
}

struct State {
    running: bool,
    init: Option<Arc<LiveInit>>,
    /// Fragments since the latest keyframe (the first one is a keyframe's).
    gop: Vec<LiveFragment>,
    hls: Hls,
    mse_viewers: usize,
    hls_last_request: Option<Instant>,
}

struct Inner {
    subscribe: Subscribe,
    opts: Fmp4Options,
    state: Mutex<State>,
    tx: broadcast::Sender<Event>,
    /// Woken when an HLS segment completes.
    segment_ready: Notify,
    /// Woken when the task ends.
    stopped: Notify,
    starts: AtomicU64,
    fragments: AtomicU64,
    skips: AtomicU64,
}

/// Counters of an [`Fmp4Hub`], for metrics and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Fmp4Stats {
    pub running: bool,
    /// Times the task started (one feed subscription and muxer each).
    pub starts: u64,
    pub mse_viewers: usize,
    /// HLS is wanted (asked for within the idle time).
    pub hls_active: bool,
    pub hls_segments: usize,
    pub fragments: u64,
    /// Viewers that fell behind and skipped ahead.
    pub skips: u64,
}

/// See the module documentation. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Fmp4Hub {
    inner: Arc<Inner>,
}

impl Fmp4Hub {
    pub fn new(subscribe: Subscribe, opts: Fmp4Options) -> Fmp4Hub {
        let (tx, _) = broadcast::channel(opts.viewer_queue.max(16));
        Fmp4Hub {
            inner: Arc::new(Inner {
                subscribe,
                opts,
                state: Mutex::new(State {
                    running: false,
                    init: None,
                    gop: vec![],
                    hls: Hls::default(),
                    mse_viewers: 0,
                    hls_last_request: None,
                }),
                tx,
                segment_ready: Notify::new(),
                stopped: Notify::new(),
                starts: AtomicU64::new(0),
                fragments: AtomicU64::new(0),
                skips: AtomicU64::new(0),
            }),
        }
    }

    /// Whether the muxing task runs (a live pipeline, for the server's stream limit).
    pub fn is_running(&self) -> bool {
        self.inner.lock().running
    }

    pub fn stats(&self) -> Fmp4Stats {
        let s = self.inner.lock();
        Fmp4Stats {
            running: s.running,
            starts: self.inner.starts.load(Ordering::Relaxed),
            mse_viewers: s.mse_viewers,
            hls_active: self.inner.hls_wanted(&s),
            hls_segments: s.hls.segments.len(),
            fragments: self.inner.fragments.load(Ordering::Relaxed),
            skips: self.inner.skips.load(Ordering::Relaxed),
        }
    }

    /// The current init segment, if the camera has sent anything yet.
    pub fn current_init(&self) -> Option<Arc<LiveInit>> {
        self.inner.lock().init.clone()
    }

    /// A new MSE viewer. Must be called within a Tokio runtime (it may start the task).
    pub fn watch(&self) -> MseViewer {
        let mut s = self.inner.lock();
        s.mse_viewers += 1;
        // Under the lock the task cannot send: the backlog and the channel neither overlap nor
        // leave a gap.
        let mut backlog = VecDeque::new();
        if let Some(init) = &s.init {
            backlog.push_back(MseEvent::Init(init.clone()));
            backlog.extend(s.gop.iter().map(|f| MseEvent::Fragment(f.data.clone())));
        }
        let rx = self.inner.tx.subscribe();
        Inner::ensure_running(&self.inner, &mut s);
        MseViewer {
            hub: self.inner.clone(),
            backlog,
            rx,
            // Without an init yet, wait for one; with a GOP cache, the backlog starts at a
            // keyframe already.
            need_init: s.init.is_none(),
            need_keyframe: false,
        }
    }

    /// The live HLS playlist; the first call starts HLS and waits for its first segment.
    pub async fn hls_playlist(&self) -> Result<String> {
        let deadline = tokio::time::Instant::now() + self.inner.opts.hls_first_segment_timeout;
        loop {
            let ready = self.inner.segment_ready.notified();
            tokio::pin!(ready);
            ready.as_mut().enable();
            {
                let mut s = self.inner.lock();
                s.hls_last_request = Some(Instant::now());
                Inner::ensure_running(&self.inner, &mut s);
                if !s.hls.segments.is_empty() {
                    return Ok(playlist(&s.hls, &self.inner.opts.uri_query));
                }
            }
            if tokio::time::timeout_at(deadline, ready).await.is_err() {
                return Err(err!(
                    Unavailable,
                    code = StreamNotReady,
                    "no video from the camera yet for HLS; try again"
                ));
            }
        }
    }

    /// Whether HLS has segments to list already.
    pub fn hls_running(&self) -> bool {
        !self.inner.lock().hls.segments.is_empty()
    }

    /// An init segment a playlist names.
    pub fn hls_init(&self, generation: u64) -> Option<Bytes> {
        let s = self.inner.lock();
        s.hls
            .inits
            .iter()
            .find(|(g, _)| *g == generation)
            .map(|(_, d)| d.clone())
    }

    /// A media segment a playlist names (gone once pruned).
    pub fn hls_segment(&self, seq: u64) -> Option<Bytes> {
        let mut s = self.inner.lock();
        s.hls_last_request = Some(Instant::now());
        s.hls
            .segments
            .iter()
            .find(|x| x.seq == seq)
            .map(|x| x.data.clone())
    }

    /// Resolves once the task has ended (nobody watching). For tests and shutdown.
    pub async fn wait_stopped(&self) {
        loop {
            let stopped = self.inner.stopped.notified();
            tokio::pin!(stopped);
            stopped.as_mut().enable();
            if !self.inner.lock().running {
                return;
            }
            stopped.await;
        }
    }

    /// Forget HLS interest (a test's way to let the task stop without waiting `hls_idle`).
    pub fn end_hls(&self) {
        self.inner.lock().hls_last_request = None;
    }
}

/// One MSE viewer; dropping it releases the hub.
pub struct MseViewer {
    hub: Arc<Inner>,
    backlog: VecDeque<MseEvent>,
    rx: broadcast::Receiver<Event>,
    need_init: bool,
    need_keyframe: bool,
}

impl MseViewer {
    /// The next thing to send; `None` only if the hub is gone.
    pub async fn next(&mut self) -> Option<MseEvent> {
        if let Some(e) = self.backlog.pop_front() {
            return Some(e);
        }
        loop {
            match self.rx.recv().await {
                Ok(Event::Init(init)) => {
                    self.need_init = false;
                    self.need_keyframe = true;
                    return Some(MseEvent::Init(init));
                }
                Ok(Event::Fragment(f)) => {
                    if self.need_init || (self.need_keyframe && !f.keyframe) {
                        continue;
                    }
                    self.need_keyframe = false;
                    return Some(MseEvent::Fragment(f.data));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    self.hub.skips.fetch_add(1, Ordering::Relaxed);
                    self.need_keyframe = true;
                    return Some(MseEvent::Skip);
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

impl Drop for MseViewer {
    fn drop(&mut self) {
        let mut s = self.hub.lock();
        s.mse_viewers = s.mse_viewers.saturating_sub(1);
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(s) => s,
            Err(p) => p.into_inner(),
        }
    }

    fn hls_wanted(&self, s: &State) -> bool {
        s.hls_last_request
            .is_some_and(|t| t.elapsed() < self.opts.hls_idle)
    }

    fn wanted(&self, s: &State) -> bool {
        s.mse_viewers > 0 || self.hls_wanted(s)
    }

    fn ensure_running(inner: &Arc<Inner>, s: &mut State) {
        if s.running {
            return;
        }
        s.running = true;
        inner.starts.fetch_add(1, Ordering::Relaxed);
        let task = Task {
            inner: inner.clone(),
            muxer: None,
            session: None,
            last_seq: None,
            waiting_for_key: true,
        };
        tokio::spawn(task.run());
    }
}

struct Task {
    inner: Arc<Inner>,
    muxer: Option<Fmp4Muxer>,
    session: Option<Arc<SessionInfo>>,
    last_seq: Option<u64>,
    waiting_for_key: bool,
}

impl Task {
    async fn run(mut self) {
        let name = self.inner.opts.name.clone();
        tracing::debug!(camera = %name, "live fMP4 started");
        let mut feed = (self.inner.subscribe)();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tokio::select! {
                item = feed.rx.recv() => match item {
                    Some(item) => self.handle(item),
                    None => {
                        // The camera's connection was torn down (stopped, reconfigured).
                        self.muxer = None;
                        tokio::time::sleep(self.inner.opts.resubscribe_delay).await;
                        if self.stop_if_unwanted() {
                            break;
                        }
                        feed = (self.inner.subscribe)();
                    }
                },
                _ = tick.tick() => {
                    if self.stop_if_unwanted() {
                        break;
                    }
                }
            }
        }
        tracing::debug!(camera = %name, "live fMP4 stopped");
        self.inner.stopped.notify_waiters();
    }

    /// Under the lock, so a viewer arriving now either sees `running` false (and starts a new
    /// task) or is served by this one.
    fn stop_if_unwanted(&self) -> bool {
        let mut s = self.inner.lock();
        if self.inner.wanted(&s) {
            return false;
        }
        s.running = false;
        // A later start begins from a fresh session: drop what belongs to this one.
        s.gop.clear();
        s.hls = Hls::default();
        true
    }

    fn handle(&mut self, item: FeedItem) {
        match item {
            FeedItem::Session(session) => {
                self.muxer = match Fmp4Muxer::new(
                    &session,
                    MuxOptions {
                        fragment_ms: 0,
                        ..Default::default()
                    },
                ) {
                    Ok(m) => Some(m),
                    Err(e) => {
                        tracing::warn!(camera = %self.inner.opts.name, "live view cannot mux this stream: {e}");
                        None
                    }
                };
                self.session = Some(session);
                self.waiting_for_key = true;
                self.drain();
            }
            FeedItem::End { .. } => {
                self.muxer = None;
                self.session = None;
            }
            FeedItem::Packet { seq, packet, .. } => {
                if self.last_seq.is_some_and(|l| seq != l + 1) {
                    // Lost packets: a decoder would show garbage until the next keyframe.
                    self.waiting_for_key = true;
                }
                self.last_seq = Some(seq);
                let Some(session) = &self.session else { return };
                if self.waiting_for_key {
                    let is_video = session.video == Some(packet.stream);
                    let starts = if session.video.is_some() {
                        is_video && packet.keyframe
                    } else {
                        session
                            .streams
                            .get(packet.stream)
                            .is_some_and(|s| s.kind == MediaKind::Audio)
                    };
                    if !starts {
                        return;
                    }
                    self.waiting_for_key = false;
                }
                let Some(m) = self.muxer.as_mut() else { return };
                if let Err(e) = m.write(&packet) {
                    tracing::warn!(camera = %self.inner.opts.name, "live view muxing: {e}");
                    self.waiting_for_key = true;
                    return;
                }
                self.drain();
            }
        }
    }

    fn drain(&mut self) {
        let Some(m) = self.muxer.as_mut() else { return };
        let chunks = m.take_chunks();
        if chunks.is_empty() {
            return;
        }
        let mut s = self.inner.lock();
        for c in chunks {
            match c {
                Chunk::Init { data, info } => {
                    let generation = s.init.as_ref().map_or(1, |i| i.generation + 1);
                    let session = self.session.as_deref();
                    let codec = session
                        .map(|sess| codec_string(sess, &info))
                        .unwrap_or_default();
                    let (width, height) = session
                        .and_then(|s| s.video_stream())
                        .map_or((0, 0), |v| (v.width, v.height));
                    let init = Arc::new(LiveInit {
                        generation,
                        mime: format!("video/mp4; codecs=\"{codec}\""),
                        codec,
                        data: data.clone(),
                        width,
                        height,
                    });
                    s.init = Some(init.clone());
                    s.gop.clear();
                    let hls = &mut s.hls;
                    hls.open = None;
                    hls.pending_discontinuity = !hls.segments.is_empty();
                    hls.timescale = info.main_track().map_or(90_000, |t| t.timescale);
                    hls.inits.push((generation, data));
                    let _ = self.inner.tx.send(Event::Init(init));
                }
                Chunk::Fragment { data, info } => {
                    let Some(generation) = s.init.as_ref().map(|i| i.generation) else {
                        continue;
                    };
                    self.inner.fragments.fetch_add(1, Ordering::Relaxed);
                    let keyframe = info.keyframe && info.samples > 0;
                    let f = LiveFragment {
                        data: data.clone(),
                        keyframe,
                    };
                    if keyframe || s.gop.len() >= MAX_GOP_FRAGMENTS {
                        s.gop.clear();
                    }
                    if keyframe || !s.gop.is_empty() {
                        s.gop.push(f.clone());
                    }
                    let _ = self.inner.tx.send(Event::Fragment(f));
                    if self.inner.hls_wanted(&s) {
                        let target = self.inner.opts.hls_segment;
                        let max = self.inner.opts.hls_max_segments.max(2);
                        if push_hls(&mut s.hls, data, &info, keyframe, generation, target, max) {
                            self.inner.segment_ready.notify_waiters();
                        }
                    }
                }
            }
        }
    }
}

/// A GOP longer than this many frames (minutes at 25 fps) is not cached.
const MAX_GOP_FRAGMENTS: usize = 4096;

/// Add a fragment to the HLS segment being built; returns whether a segment was completed.
fn push_hls(
    hls: &mut Hls,
    data: Bytes,
    info: &vigil_media::mp4::FragmentInfo,
    keyframe: bool,
    generation: u64,
    target: Duration,
    max_segments: usize,
) -> bool {
    let timescale = u64::from(hls.timescale.max(1));
    let mut completed = false;
    // A keyframe from 90% of the target on ends the segment: camera timestamps jitter, and a
    // keyframe a hair early must not stretch the segment by a whole GOP.
    if keyframe
        && let Some(open) = &hls.open
        && open.ticks * 1000 * 10 >= target.as_millis() as u64 * timescale * 9
        && let Some(open) = hls.open.take()
    {
        let mut buf = bytes::BytesMut::with_capacity(open.parts.iter().map(Bytes::len).sum());
        for p in &open.parts {
            buf.extend_from_slice(p);
        }
        hls.segments.push_back(HlsSegment {
            seq: hls.next_seq,
            generation: open.generation,
            duration_s: open.ticks as f64 / timescale as f64,
            discontinuity: open.discontinuity,
            data: buf.freeze(),
        });
        hls.next_seq += 1;
        // EXT-X-TARGETDURATION must not change during a playlist's life (RFC 8216 4.3.3.1): it
        // only ever grows, to the longest segment rounded (a camera with long GOPs).
        let rounded = (open.ticks as f64 / timescale as f64).round() as u64;
        hls.target_duration = hls
            .target_duration
            .max(rounded)
            .max(target.as_secs_f64().round() as u64)
            .max(1);
        while hls.segments.len() > max_segments {
            if let Some(old) = hls.segments.pop_front()
                && old.discontinuity
            {
                hls.pruned_discontinuities += 1;
            }
        }
        let oldest = hls.segments.front().map_or(generation, |s| s.generation);
        hls.inits.retain(|(g, _)| *g >= oldest);
        completed = true;
    }
    if hls.open.is_none() {
        if !keyframe {
            return completed; // a segment must start with a keyframe
        }
        hls.open = Some(OpenSegment {
            parts: vec![],
            ticks: 0,
            generation,
            discontinuity: std::mem::take(&mut hls.pending_discontinuity),
        });
    }
    if let Some(open) = hls.open.as_mut() {
        open.parts.push(data);
        open.ticks += info.duration;
    }
    completed
}

fn playlist(hls: &Hls, query: &str) -> String {
    use std::fmt::Write;
    let target = hls.target_duration.max(1);
    let first = hls.segments.front().map_or(0, |s| s.seq);
    let mut m = String::with_capacity(128 + 64 * hls.segments.len());
    let _ = write!(
        m,
        "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:{target}\n#EXT-X-MEDIA-SEQUENCE:{first}\n\
         #EXT-X-DISCONTINUITY-SEQUENCE:{}\n#EXT-X-INDEPENDENT-SEGMENTS\n",
        hls.pruned_discontinuities
    );
    let mut map = None;
    for (i, s) in hls.segments.iter().enumerate() {
        if s.discontinuity && i > 0 {
            m.push_str("#EXT-X-DISCONTINUITY\n");
        }
        if map != Some(s.generation) {
            let _ = writeln!(m, "#EXT-X-MAP:URI=\"init/{}.mp4{query}\"", s.generation);
            map = Some(s.generation);
        }
        let _ = write!(
            m,
            "#EXTINF:{:.3},\nsegment/{}.m4s{query}\n",
            s.duration_s, s.seq
        );
    }
    m
}
