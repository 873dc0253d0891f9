//! One camera's detector: a thread that takes the camera's feed (its own bounded queue, so the
//! recorder never waits for it), decodes only what it must, takes `detect_fps` frames a second,
//! asks the motion gate, and sends moving frames to the inference pool; answers come back to the
//! same thread, which filters, tracks and reports them (see `tracking.rs`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::frame::Video as VideoFrame;
use image::RgbImage;
use serde::Serialize;
use tokio::sync::{mpsc, oneshot};
use utoipa::ToSchema;
use vigil_base::{Clock, Result, err};
use vigil_detect::{Filter, MotionGate};
use vigil_media::Pacer;
use vigil_media::decode::{VideoDecoder, frame_time_us};
use vigil_media::{FeedItem, FeedReceiver, MediaPacket, SessionInfo, ffmpeg};

use crate::PipelineConfig;
use crate::pool::{Job, JobResult, Pool};
use crate::report::DetectionSink;
use crate::tracking::Tracking;

/// Counters of one camera's detector (`GET /detection/status`, `/metrics`).
#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct CameraDetectionStats {
    pub camera_id: i64,
    pub running: bool,
    /// `main` or `substream`.
    pub source: String,
    pub frames_decoded: u64,
    /// Frames taken at `detect_fps`.
    pub frames_sampled: u64,
    /// Sampled frames the motion gate let through.
    pub frames_with_motion: u64,
    /// Sampled frames not sent to the model because nothing moved.
    pub frames_still: u64,
    /// Frames not sent because this camera had `max_pending` in flight or the pool was full.
    pub frames_dropped_busy: u64,
    pub inferences: u64,
    /// Objects the model found that passed the camera's filter (every analysed frame).
    pub objects: u64,
    /// Sightings stored (a sample of `objects`: see the store).
    pub detections: u64,
    pub events: u64,
    pub decode_errors: u64,
    /// Latest frame-arrival-to-result time, ms.
    pub last_latency_ms: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub frames_decoded: AtomicU64,
    pub frames_sampled: AtomicU64,
    pub frames_with_motion: AtomicU64,
    pub frames_still: AtomicU64,
    pub frames_dropped_busy: AtomicU64,
    pub inferences: AtomicU64,
    pub objects: AtomicU64,
    pub detections: AtomicU64,
    pub events: AtomicU64,
    pub decode_errors: AtomicU64,
    pub last_latency_ms: AtomicU64,
    pub running: std::sync::atomic::AtomicBool,
}

fn bump(c: &AtomicU64, n: u64) {
    c.fetch_add(n, Ordering::Relaxed);
}

/// What a camera's detector works on.
#[derive(Clone, Debug)]
pub struct DetectorSpec {
    pub camera_id: i64,
    /// Frames analysed per second at most (`detect_fps`).
    pub fps: u32,
    /// Labels, scores, sizes and zones that count.
    pub filter: Filter,
    /// The feed is the camera's detection sub-stream (for the stats).
    pub substream: bool,
}

/// A running detector of one camera; stopping it (or dropping it) ends its open events.
pub struct CameraDetector {
    camera_id: i64,
    substream: bool,
    counters: Arc<Counters>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl CameraDetector {
    /// Start detecting on `feed` (the camera's, or its sub-stream's), reporting to `sink`.
    pub fn start(
        spec: DetectorSpec,
        cfg: &PipelineConfig,
        pool: Arc<Pool>,
        feed: FeedReceiver,
        sink: Arc<dyn DetectionSink>,
        clock: Arc<dyn Clock>,
    ) -> Result<CameraDetector> {
        let counters = Arc::new(Counters::default());
        counters.running.store(true, Ordering::SeqCst);
        let (stop_tx, stop_rx) = oneshot::channel();
        let cfg = cfg.clone();
        let store = Tracking::with_counters(
            spec.camera_id,
            spec.filter.clone(),
            cfg.tracker,
            cfg.snapshot_quality,
            counters.clone(),
            sink,
            clock.clone(),
        );
        let (camera_id, fps) = (spec.camera_id, spec.fps.max(1));
        let motion = MotionGate::new(cfg.motion);
        let worker_counters = counters.clone();
        // Built on the thread: FFmpeg's scaler it will hold cannot move between threads.
        let thread = std::thread::Builder::new()
            .name(format!("detect-{camera_id}"))
            .spawn(move || {
                let sampler = Sampler {
                    camera_id,
                    fps,
                    idle_interval: cfg.base_idle_interval(),
                    cfg,
                    pool,
                    counters: worker_counters,
                    pacer: Pacer::default(),
                    motion,
                    rgb: None,
                    pending: 0,
                    last_submit: None,
                    store,
                    clock,
                };
                run(sampler, feed, stop_rx)
            })
            .map_err(|e| err!(Internal, "starting a detector thread: {e}"))?;
        tracing::info!(
            camera_id,
            fps,
            substream = spec.substream,
            "detection started"
        );
        Ok(CameraDetector {
            camera_id,
            substream: spec.substream,
            counters,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    pub fn is_running(&self) -> bool {
        self.counters.running.load(Ordering::SeqCst)
    }

    pub fn stats(&self) -> CameraDetectionStats {
        let c = &self.counters;
        let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
        CameraDetectionStats {
            camera_id: self.camera_id,
            running: self.is_running(),
            source: if self.substream { "substream" } else { "main" }.into(),
            frames_decoded: l(&c.frames_decoded),
            frames_sampled: l(&c.frames_sampled),
            frames_with_motion: l(&c.frames_with_motion),
            frames_still: l(&c.frames_still),
            frames_dropped_busy: l(&c.frames_dropped_busy),
            inferences: l(&c.inferences),
            objects: l(&c.objects),
            detections: l(&c.detections),
            events: l(&c.events),
            decode_errors: l(&c.decode_errors),
            last_latency_ms: l(&c.last_latency_ms),
        }
    }

    /// Stop and wait for the thread (its open events are closed first).
    pub fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.thread.take() {
            let _ = h.join();
        }
        tracing::debug!(camera_id = self.camera_id, "detection stopped");
    }
}

impl Drop for CameraDetector {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// Everything of the thread but the decoder (so both can be borrowed in the decode callback).
struct Sampler {
    camera_id: i64,
    fps: u32,
    cfg: PipelineConfig,
    pool: Arc<Pool>,
    counters: Arc<Counters>,
    pacer: Pacer,
    motion: MotionGate,
    rgb: Option<RgbScaler>,
    pending: usize,
    last_submit: Option<Instant>,
    /// How long to wait between looks at tracked objects while nothing moves.
    idle_interval: Duration,
    store: Tracking,
    clock: Arc<dyn Clock>,
}

fn run(mut s: Sampler, mut feed: FeedReceiver, mut stop: oneshot::Receiver<()>) {
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::warn!(camera_id = s.camera_id, "detection cannot start: {e}");
            s.counters.running.store(false, Ordering::SeqCst);
            return;
        }
    };
    rt.block_on(async {
        let (reply_tx, mut replies) = mpsc::channel::<JobResult>(s.cfg.max_pending_per_camera + 2);
        let mut decoder: Option<VideoDecoder> = None;
        let mut last_seq: Option<u64> = None;
        let mut tick = tokio::time::interval(Duration::from_millis(500));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                biased;
                _ = &mut stop => break,
                Some(r) = replies.recv() => {
                    s.pending = s.pending.saturating_sub(1);
                    s.result(r);
                }
                item = feed.rx.recv() => match item {
                    Some(FeedItem::Session(session)) => {
                        decoder = s.new_session(&session);
                        last_seq = None;
                    }
                    Some(FeedItem::Packet { seq, arrival_ms, packet }) => {
                        if let Some(d) = decoder.as_mut() {
                            let gap = last_seq.is_some_and(|l| seq > l + 1);
                            if gap {
                                d.discard_until_keyframe();
                            }
                            s.packet(d, &packet, arrival_ms, &reply_tx);
                        }
                        last_seq = Some(seq);
                    }
                    Some(FeedItem::End { reason }) => {
                        tracing::debug!(camera_id = s.camera_id, "detection feed session ended: {reason}");
                        decoder = None;
                    }
                    None => break,
                },
                _ = tick.tick() => s.store.expire(),
            }
        }
        // Let answers in flight land, briefly, so their sightings are kept.
        let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
        while s.pending > 0 {
            match tokio::time::timeout_at(deadline, replies.recv()).await {
                Ok(Some(r)) => {
                    s.pending -= 1;
                    s.result(r);
                }
                _ => break,
            }
        }
    });
    s.store.finish();
    s.counters.running.store(false, Ordering::SeqCst);
}

impl Sampler {
    fn new_session(&mut self, session: &SessionInfo) -> Option<VideoDecoder> {
        self.pacer.reset();
        self.motion.reset();
        match VideoDecoder::for_session(session) {
            Ok(mut d) => {
                // At a few frames a second, frames nothing refers to need not be decoded.
                d.skip_non_reference(self.fps <= 10);
                Some(d)
            }
            Err(e) => {
                tracing::warn!(
                    camera_id = self.camera_id,
                    "detection cannot decode this stream: {e}"
                );
                None
            }
        }
    }

    fn packet(
        &mut self,
        decoder: &mut VideoDecoder,
        packet: &MediaPacket,
        arrival_ms: i64,
        reply: &mpsc::Sender<JobResult>,
    ) {
        let time_base = decoder.time_base();
        let outcome = decoder.decode(packet, |f| {
            self.frame(f, frame_time_us(f, time_base), arrival_ms, reply)
        });
        if outcome.error {
            bump(&self.counters.decode_errors, 1);
        }
    }

    fn frame(
        &mut self,
        frame: &VideoFrame,
        pts_us: Option<i64>,
        arrival_ms: i64,
        reply: &mpsc::Sender<JobResult>,
    ) {
        bump(&self.counters.frames_decoded, 1);
        let t = pts_us.unwrap_or(arrival_ms.saturating_mul(1000));
        if !self.pacer.due(t, 1_000_000 / i64::from(self.fps)) {
            return;
        }
        bump(&self.counters.frames_sampled, 1);
        let moving = !self.cfg.motion_gate
            || self
                .motion
                .update(
                    frame.data(0),
                    frame.width(),
                    frame.height(),
                    frame.stride(0),
                )
                .motion;
        // Objects being tracked may stand still: look now and then while any is.
        let idle_due = self.store.tracking()
            && self
                .last_submit
                .is_none_or(|t| self.clock.elapsed(t) >= self.idle_interval);
        if !moving && !idle_due {
            bump(&self.counters.frames_still, 1);
            return;
        }
        if moving {
            bump(&self.counters.frames_with_motion, 1);
            self.set_idle_interval(self.cfg.base_idle_interval());
        }
        if self.pending >= self.cfg.max_pending_per_camera.max(1) {
            bump(&self.counters.frames_dropped_busy, 1);
            return;
        }
        let image = match self.rgb_frame(frame) {
            Ok(i) => i,
            Err(e) => {
                tracing::debug!(camera_id = self.camera_id, "frame not converted: {e}");
                bump(&self.counters.decode_errors, 1);
                return;
            }
        };
        let job = Job {
            frame: image,
            at_ms: arrival_ms,
            idle: !moving,
            reply: reply.clone(),
        };
        match self.pool.submit(job) {
            Ok(()) => {
                self.pending += 1;
                self.last_submit = Some(self.clock.instant());
            }
            Err(_) => bump(&self.counters.frames_dropped_busy, 1),
        }
    }

    fn result(&mut self, r: JobResult) {
        bump(&self.counters.inferences, 1);
        let now = self.clock.now_ms();
        self.counters
            .last_latency_ms
            .store((now - r.at_ms).max(0) as u64, Ordering::Relaxed);
        match r.detections {
            Ok(d) => {
                let stationary = self.store.sighted(r.at_ms, &r.frame, d);
                if r.idle {
                    // Everything where it was: look again later; else back to the base rate.
                    let next = if stationary {
                        (self.idle_interval * 2)
                            .min(Duration::from_millis(self.cfg.idle_max_interval_ms))
                            .max(self.cfg.base_idle_interval())
                    } else {
                        self.cfg.base_idle_interval()
                    };
                    self.set_idle_interval(next);
                }
            }
            Err(e) => tracing::warn!(camera_id = self.camera_id, "inference failed: {e}"),
        }
    }

    /// A longer look interval keeps tracks alive across it: a parked car is not lost between
    /// two looks 8 s apart.
    fn set_idle_interval(&mut self, d: Duration) {
        self.idle_interval = d;
        let grace = 2 * d.as_millis() as i64 + 1_000;
        self.store.set_min_lost_after(grace);
    }

    /// The frame as RGB, scaled to fit `max_frame_side` (never up).
    fn rgb_frame(&mut self, frame: &VideoFrame) -> Result<RgbImage> {
        let (w, h) = (frame.width(), frame.height());
        let max = self.cfg.max_frame_side.max(64);
        let (dw, dh) = if w.max(h) > max {
            let s = f64::from(max) / f64::from(w.max(h));
            (
                ((f64::from(w) * s) as u32).max(2) & !1,
                ((f64::from(h) * s) as u32).max(2) & !1,
            )
        } else {
            (w, h)
        };
        let key = (frame.format(), w, h, dw, dh);
        if self.rgb.as_ref().is_none_or(|s| s.key != key) {
            let ctx =
                scaling::Context::get(key.0, w, h, Pixel::RGB24, dw, dh, scaling::Flags::BILINEAR)
                    .map_err(|e| {
                        err!(Internal, "no scaler from {:?} {w}x{h} to RGB: {e}", key.0)
                    })?;
            self.rgb = Some(RgbScaler {
                key,
                ctx,
                out: VideoFrame::new(Pixel::RGB24, dw, dh),
            });
        }
        let s = self
            .rgb
            .as_mut()
            .ok_or_else(|| err!(Internal, "scaler missing"))?;
        s.ctx
            .run(frame, &mut s.out)
            .map_err(|e| err!(Internal, "converting a frame to RGB: {e}"))?;
        let stride = s.out.stride(0);
        let data = s.out.data(0);
        let row = dw as usize * 3;
        let mut buf = Vec::with_capacity(row * dh as usize);
        for y in 0..dh as usize {
            buf.extend_from_slice(&data[y * stride..y * stride + row]);
        }
        RgbImage::from_raw(dw, dh, buf).ok_or_else(|| err!(Internal, "RGB frame size mismatch"))
    }
}

struct RgbScaler {
    key: (Pixel, u32, u32, u32, u32),
    ctx: scaling::Context,
    out: VideoFrame,
}
