//! The thread behind a hub while anyone watches: it takes the camera's feed, decodes the video
//! once, and for each quality with viewers picks frames by presentation time at that quality's
//! rate, scales and encodes them; it also answers snapshot requests. It ends when told (its stop
//! channel closes), dropping the feed subscription and the decoder.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use ffmpeg::util::frame::Video as VideoFrame;
use tokio::sync::oneshot;
use tracing::{debug, warn};
use vigil_media::{FeedItem, MediaPacket, SessionInfo, ffmpeg};

use crate::encode::JpegMaker;
use crate::hub::{Frame, Shared, Snapshot};
use crate::quality::{Quality, fit_within};
use vigil_media::Pacer;
use vigil_media::decode::{VideoDecoder, frame_time_us};

/// JPEG quality of snapshots (libjpeg scale): High's, so a High frame of the full size serves.
const SNAPSHOT_QUALITY: u8 = 90;
const _: () = assert!(Quality::High.jpeg_quality() == SNAPSHOT_QUALITY);
/// Index of the snapshot encoder in `Outputs::makers`, after the qualities'.
const SNAPSHOT_MAKER: usize = Quality::ALL.len();

/// The worker thread's body.
pub(crate) fn run(shared: Arc<Shared>, id: u64, stop: oneshot::Receiver<()>) {
    // Declared first, dropped last: the hub learns of the exit after everything else is gone.
    let _exit = ExitGuard(shared.clone(), id);
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            warn!(camera = %shared.opts.name, "live view cannot start: {e}");
            return;
        }
    };
    debug!(camera = %shared.opts.name, "live view decoding starts");
    rt.block_on(feed_loop(&shared, stop));
    debug!(camera = %shared.opts.name, "live view decoding stops");
}

struct ExitGuard(Arc<Shared>, u64);

impl Drop for ExitGuard {
    fn drop(&mut self) {
        self.0.worker_exited(self.1);
    }
}

/// Take feed items until told to stop; subscribe again if the feed closes meanwhile.
async fn feed_loop(shared: &Shared, mut stop: oneshot::Receiver<()>) {
    let mut pipeline = Pipeline::new(shared);
    loop {
        let mut feed = (shared.subscribe)();
        loop {
            tokio::select! {
                biased;
                _ = &mut stop => return,
                item = feed.rx.recv() => match item {
                    Some(item) => pipeline.take(item),
                    None => break,
                },
            }
        }
        drop(feed);
        pipeline.end_session();
        debug!(camera = %shared.opts.name, "live feed closed; subscribing again shortly");
        tokio::select! {
            biased;
            _ = &mut stop => return,
            _ = tokio::time::sleep(shared.opts.resubscribe_delay) => {}
        }
    }
}

/// Decoder, frame pacing and encoders of one worker.
struct Pipeline<'a> {
    shared: &'a Shared,
    decoder: Option<VideoDecoder>,
    last_seq: Option<u64>,
    out: Outputs<'a>,
}

/// Everything a decoded frame goes to (apart from the decoder, so both can be borrowed at once).
struct Outputs<'a> {
    shared: &'a Shared,
    pacers: [Pacer; 3],
    /// One per quality (by index), then one for snapshots.
    makers: [JpegMaker; 4],
    /// The newest snapshot request answered.
    snapshot_answered: u64,
    started: Instant,
    warned_encode: bool,
}

impl<'a> Pipeline<'a> {
    fn new(shared: &'a Shared) -> Pipeline<'a> {
        Pipeline {
            shared,
            decoder: None,
            last_seq: None,
            out: Outputs {
                shared,
                pacers: Default::default(),
                makers: Default::default(),
                snapshot_answered: shared.snapshot.borrow().as_ref().map_or(0, |s| s.answers),
                started: Instant::now(),
                warned_encode: false,
            },
        }
    }

    fn take(&mut self, item: FeedItem) {
        match item {
            FeedItem::Session(session) => self.start_session(&session),
            FeedItem::Packet { seq, packet, .. } => {
                self.packet(seq, &packet);
                // Counted once handled, so a test that sees the count sees the packet's frames.
                count(&self.shared.counters.packets, 1);
            }
            FeedItem::End { reason } => {
                debug!(camera = %self.shared.opts.name, "live feed session ended: {reason}");
                self.end_session();
            }
        }
    }

    fn start_session(&mut self, session: &SessionInfo) {
        self.end_session();
        if session.video_stream().is_none() {
            debug!(camera = %self.shared.opts.name, "session has no video: nothing to show");
            return;
        }
        match VideoDecoder::for_session(session) {
            Ok(d) => {
                count(&self.shared.counters.decoder_starts, 1);
                self.decoder = Some(d);
            }
            Err(e) => warn!(camera = %self.shared.opts.name, "live view cannot decode: {e}"),
        }
    }

    /// The session is over: the next one brings its own decoder and timeline.
    fn end_session(&mut self) {
        self.decoder = None;
        self.last_seq = None;
        for p in &mut self.out.pacers {
            p.reset();
        }
    }

    fn packet(&mut self, seq: u64, packet: &MediaPacket) {
        let counters = &self.shared.counters;
        let gap = self
            .last_seq
            .map_or(0, |last| seq.saturating_sub(last.saturating_add(1)));
        self.last_seq = Some(seq);
        count(&counters.packets_lost, gap);
        let Some(decoder) = self.decoder.as_mut() else {
            return;
        };
        if gap > 0 {
            decoder.discard_until_keyframe();
        }
        if packet.stream != decoder.stream() {
            return;
        }
        let out = &mut self.out;
        let time_base = decoder.time_base();
        let outcome = decoder.decode(packet, |f| out.frame(f, frame_time_us(f, time_base)));
        count(&counters.packets_skipped, u64::from(outcome.skipped));
        count(&counters.decode_errors, u64::from(outcome.error));
        count(&counters.decode_errors, outcome.damaged as u64);
    }
}

impl Outputs<'_> {
    /// Encode `frame` for every quality that has viewers and is due, and for waiting snapshots.
    fn frame(&mut self, frame: &VideoFrame, pts_us: Option<i64>) {
        let shared = self.shared;
        count(&shared.counters.frames_decoded, 1);
        // A stream without times is paced by the clock instead.
        let t = pts_us.unwrap_or_else(|| self.started.elapsed().as_micros() as i64);
        let mut high: Option<Frame> = None;
        for q in Quality::ALL {
            let i = q.index();
            if shared.viewers[i].load(Ordering::SeqCst) == 0 {
                self.pacers[i].reset();
                continue;
            }
            if !self.pacers[i].due(t, q.frame_interval().as_micros() as i64) {
                continue;
            }
            let (w, h) = q.output_size(frame.width(), frame.height());
            if let Some(f) = self.encode(q.index(), frame, w, h, q.jpeg_quality(), pts_us) {
                count(&shared.counters.frames_encoded[i], 1);
                if q == Quality::High {
                    high = Some(f.clone());
                }
                shared.outputs[i].send_replace(Some(f));
            }
        }
        self.snapshot(frame, pts_us, high);
    }

    /// Answer the snapshot requests made so far, if anyone waits.
    fn snapshot(&mut self, frame: &VideoFrame, pts_us: Option<i64>, high: Option<Frame>) {
        let shared = self.shared;
        let wanted = shared.snapshot_requests.load(Ordering::SeqCst);
        if wanted <= self.snapshot_answered || shared.snapshot_waiters.load(Ordering::SeqCst) == 0 {
            return;
        }
        let (w, h) = fit_within(frame.width(), frame.height(), u32::MAX, u32::MAX);
        // The High encode of this frame is the same picture when the source fits its box.
        let made = match high {
            Some(f) if (f.width, f.height) == (w, h) => Some(f),
            _ => self.encode(SNAPSHOT_MAKER, frame, w, h, SNAPSHOT_QUALITY, pts_us),
        };
        if let Some(frame) = made {
            count(&shared.counters.snapshots_encoded, 1);
            self.snapshot_answered = wanted;
            shared.snapshot.send_replace(Some(Snapshot {
                frame,
                answers: wanted,
            }));
        }
    }

    /// Encode with `makers[maker]`.
    fn encode(
        &mut self,
        maker: usize,
        frame: &VideoFrame,
        width: u32,
        height: u32,
        quality: u8,
        pts_us: Option<i64>,
    ) -> Option<Frame> {
        match self.makers[maker].encode(frame, width, height, quality) {
            Ok(jpeg) => Some(Frame {
                jpeg,
                width,
                height,
                pts_us,
                seq: self.shared.frame_seq.fetch_add(1, Ordering::SeqCst) + 1,
                made_at: Instant::now(),
            }),
            Err(e) => {
                count(&self.shared.counters.encode_errors, 1);
                if !self.warned_encode {
                    self.warned_encode = true;
                    warn!(camera = %self.shared.opts.name, "live view cannot encode a frame: {e}");
                }
                None
            }
        }
    }
}

fn count(counter: &AtomicU64, n: u64) {
    if n > 0 {
        counter.fetch_add(n, Ordering::Relaxed);
    }
}
