//! Every camera's live view: per camera one MJPEG hub (shared decode) and one fMP4 hub (MSE and
//! HLS, stream copy), created on first use and kept across camera restarts — a hub subscribes to
//! whatever connection the camera has when it needs one ([`CameraFeeds`]), so viewers survive a
//! reconfiguration. The server-wide limit (`STREAM_MAX_CONCURRENT`) counts running decodes, not
//! viewers: the twentieth viewer of a camera costs no decode.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::sync::lock;
use vigil_base::{Result, err};
use vigil_media::{FeedReceiver, SessionInfo, feed_channel};

use crate::{
    Fmp4Hub, Fmp4Options, Frame, HubOptions, LiveInit, MjpegHub, MseViewer, Quality, Subscribe,
    Viewer,
};

/// Which of a camera's streams: the main one (recorded; full resolution) or its sub-stream
/// (low resolution, for grid tiles and detection). A camera without a sub-stream serves its main
/// stream for both.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, serde::Deserialize, ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum StreamSel {
    #[default]
    Main,
    Sub,
}

impl StreamSel {
    pub fn as_str(self) -> &'static str {
        match self {
            StreamSel::Main => "main",
            StreamSel::Sub => "sub",
        }
    }
}

/// Where live view gets a camera's packets: the current connection of the stream asked for
/// (the main one when the camera has no sub-stream), if it runs.
pub trait CameraFeeds: Send + Sync + 'static {
    /// A live queue on the stream's current connection (it starts with the current GOP, and
    /// asks for low-latency reads while it is open).
    fn subscribe_live(
        &self,
        camera_id: i64,
        stream: StreamSel,
        name: &'static str,
    ) -> Option<FeedReceiver>;
    /// The streams of its current connection, once connected.
    fn session(&self, camera_id: i64, stream: StreamSel) -> Option<Arc<SessionInfo>>;
    /// Whether the camera is connected, connecting for the first time, or down.
    fn link(&self, camera_id: i64, stream: StreamSel) -> FeedLink;
    /// Whether the camera has a sub-stream of its own.
    fn has_sub(&self, camera_id: i64) -> bool;
}

/// A camera's connection as live view sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedLink {
    /// Connected and streaming.
    Up,
    /// Opening its first connection: a picture may come within the wait.
    Connecting,
    /// Disabled, failed, or retrying after a failure: no picture is to be expected within a
    /// request's wait, so one-shot requests (snapshot, HLS playlist) are answered at once rather
    /// than after 10 s.
    Down,
}

/// Settings of live view.
#[derive(Clone, Debug)]
pub struct LiveSettings {
    /// Most live decodes at once (`STREAM_MAX_CONCURRENT`).
    pub max_concurrent: usize,
    /// HLS segments kept per camera (`HLS_MAX_SEGMENTS`).
    pub hls_max_segments: usize,
}

impl Default for LiveSettings {
    fn default() -> Self {
        LiveSettings {
            max_concurrent: 10,
            hls_max_segments: 6,
        }
    }
}

#[derive(Clone)]
struct CameraLive {
    mjpeg: MjpegHub,
    fmp4: Fmp4Hub,
}

/// Every camera's live hubs.
pub struct LiveService {
    settings: LiveSettings,
    feeds: Arc<dyn CameraFeeds>,
    cameras: Mutex<HashMap<(i64, StreamSel), CameraLive>>,
}

/// A kind of live pipeline, for the limit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pipeline {
    Mjpeg,
    Fmp4,
}

/// What a player needs to pick a live stream of a camera (the API adds the endpoints).
#[derive(Clone, Debug)]
pub struct LiveInfo {
    /// `video/mp4; codecs="…"` for `MediaSource.isTypeSupported`, once the camera has connected.
    pub mime: Option<String>,
    pub qualities: Vec<QualityView>,
    pub viewers: ViewerCounts,
}

/// One MJPEG quality level at the camera's size.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct QualityView {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub jpeg_quality: u8,
}

#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct ViewerCounts {
    pub mse: usize,
    /// 1 while HLS is being fetched (players poll; they cannot be counted one by one).
    pub hls: usize,
    pub mjpeg: usize,
}

/// Per-camera live counters for /metrics.
#[derive(Clone, Debug)]
pub struct LiveCounters {
    pub camera_id: i64,
    pub stream: StreamSel,
    pub viewers: ViewerCounts,
    pub mjpeg_decoding: bool,
    pub fmp4_running: bool,
    pub frames_decoded: u64,
    pub fragments: u64,
    pub skips: u64,
}

impl LiveService {
    pub fn new(settings: LiveSettings, feeds: Arc<dyn CameraFeeds>) -> LiveService {
        LiveService {
            settings,
            feeds,
            cameras: Mutex::default(),
        }
    }

    fn live_for(&self, camera_id: i64, stream: StreamSel) -> CameraLive {
        let mut m = lock(&self.cameras);
        let name = match stream {
            StreamSel::Main => format!("camera {camera_id}"),
            StreamSel::Sub => format!("camera {camera_id} sub"),
        };
        m.entry((camera_id, stream))
            .or_insert_with(|| CameraLive {
                mjpeg: MjpegHub::with_options(
                    subscriber(self.feeds.clone(), camera_id, stream, "live-mjpeg"),
                    HubOptions {
                        name: name.clone(),
                        ..Default::default()
                    },
                ),
                fmp4: Fmp4Hub::new(
                    subscriber(self.feeds.clone(), camera_id, stream, "live-fmp4"),
                    Fmp4Options {
                        name,
                        hls_max_segments: self.settings.hls_max_segments,
                        uri_query: match stream {
                            StreamSel::Main => String::new(),
                            StreamSel::Sub => "?stream=sub".into(),
                        },
                        ..Default::default()
                    },
                ),
            })
            .clone()
    }

    /// Forget a deleted camera's hubs (their viewers see the stream end).
    pub fn drop_camera(&self, camera_id: i64) {
        let mut m = lock(&self.cameras);
        m.remove(&(camera_id, StreamSel::Main));
        m.remove(&(camera_id, StreamSel::Sub));
    }

    /// Whether the camera has a sub-stream of its own.
    pub fn has_sub(&self, camera_id: i64) -> bool {
        self.feeds.has_sub(camera_id)
    }

    /// Refuse a viewer that would start one decode too many. Only MJPEG (and snapshots) decode:
    /// MSE and HLS copy the stream and cost little (+2.7% of a core for 16 cameras), so a
    /// 16-camera MSE grid is never refused.
    fn check_capacity(&self, camera_id: i64, stream: StreamSel, want: Pipeline) -> Result<()> {
        if want == Pipeline::Fmp4 {
            return Ok(());
        }
        let m = lock(&self.cameras);
        let running = |c: &CameraLive| c.mjpeg.stats().workers_running > 0;
        if m.get(&(camera_id, stream)).is_some_and(running) {
            return Ok(());
        }
        let count = m.values().filter(|c| running(c)).count();
        let max = self.settings.max_concurrent;
        if count >= max {
            return Err(err!(
                ResourceExhausted,
                code = StreamLimitExceeded,
                "{max} live decodes are already running (STREAM_MAX_CONCURRENT)"
            ));
        }
        Ok(())
    }

    /// What a player needs to pick a live stream of a camera of `width`×`height` (0 unknown).
    pub fn info(&self, camera_id: i64, stream: StreamSel, width: u32, height: u32) -> LiveInfo {
        let live = self.live_for(camera_id, stream);
        let qualities = Quality::ALL
            .iter()
            .map(|&q| {
                let (qw, qh) = if width > 0 && height > 0 {
                    q.output_size(width, height)
                } else {
                    q.max_size()
                };
                QualityView {
                    name: q.as_str().into(),
                    width: qw,
                    height: qh,
                    fps: q.fps(),
                    jpeg_quality: q.jpeg_quality(),
                }
            })
            .collect();
        let mime = live
            .fmp4
            .current_init()
            .map(|i| i.mime.clone())
            .or_else(|| {
                let session = self.feeds.session(camera_id, stream)?;
                let codec = crate::codec::session_codec_string(&session);
                Some(format!("video/mp4; codecs=\"{codec}\""))
            });
        LiveInfo {
            mime,
            qualities,
            viewers: counts(&live),
        }
    }

    /// A new MJPEG viewer at `quality`.
    pub async fn mjpeg(
        &self,
        camera_id: i64,
        stream: StreamSel,
        quality: Quality,
    ) -> Result<Viewer> {
        self.check_capacity(camera_id, stream, Pipeline::Mjpeg)?;
        self.live_for(camera_id, stream).mjpeg.subscribe(quality)
    }

    /// The camera's current picture as JPEG.
    pub async fn snapshot(&self, camera_id: i64, stream: StreamSel) -> Result<Frame> {
        self.check_capacity(camera_id, stream, Pipeline::Mjpeg)?;
        let hub = self.live_for(camera_id, stream).mjpeg;
        if let Some(f) = hub.warm_frame() {
            return Ok(f);
        }
        self.while_linked(camera_id, stream, hub.snapshot()).await
    }

    /// Wait for a one-shot answer (a snapshot, the first HLS segment) while the camera is up or
    /// connecting; once it is down the wait ends at once (checked every 250 ms) instead of at its
    /// timeout: nothing will come.
    async fn while_linked<T>(
        &self,
        camera_id: i64,
        stream: StreamSel,
        answer: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        tokio::pin!(answer);
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
        loop {
            tokio::select! {
                r = &mut answer => return r,
                _ = tick.tick() => self.check_link(camera_id, stream)?,
            }
        }
    }

    /// Refuse a one-shot request for a camera that is down: its state, not a failure of ours
    /// (409 with the camera's state in words; the client retries when the status says running).
    fn check_link(&self, camera_id: i64, stream: StreamSel) -> Result<()> {
        match self.feeds.link(camera_id, stream) {
            FeedLink::Up | FeedLink::Connecting => Ok(()),
            FeedLink::Down => Err(err!(
                FailedPrecondition,
                code = StreamNotReady,
                "camera {camera_id} is not connected (disabled, failing or waiting to reconnect); see its status"
            )),
        }
    }

    /// A new MSE viewer.
    pub async fn mse(&self, camera_id: i64, stream: StreamSel) -> Result<MseViewer> {
        self.check_capacity(camera_id, stream, Pipeline::Fmp4)?;
        Ok(self.live_for(camera_id, stream).fmp4.watch())
    }

    /// The live HLS playlist (starts HLS for the camera).
    pub async fn hls_playlist(&self, camera_id: i64, stream: StreamSel) -> Result<String> {
        self.check_capacity(camera_id, stream, Pipeline::Fmp4)?;
        let hub = self.live_for(camera_id, stream).fmp4;
        if hub.hls_running() {
            return hub.hls_playlist().await;
        }
        self.while_linked(camera_id, stream, hub.hls_playlist())
            .await
    }

    pub fn hls_init(
        &self,
        camera_id: i64,
        stream: StreamSel,
        generation: u64,
    ) -> Result<bytes::Bytes> {
        self.live_for(camera_id, stream)
            .fmp4
            .hls_init(generation)
            .ok_or_else(|| err!(NotFound, code = SegmentNotFound, "no such init segment"))
    }

    pub fn hls_segment(&self, camera_id: i64, stream: StreamSel, seq: u64) -> Result<bytes::Bytes> {
        self.live_for(camera_id, stream)
            .fmp4
            .hls_segment(seq)
            .ok_or_else(|| {
                err!(
                    NotFound,
                    code = SegmentNotFound,
                    "segment {seq} is not (or no longer) available"
                )
            })
    }

    /// The init segment MSE viewers start with, if the camera has sent anything.
    pub fn live_init(&self, camera_id: i64, stream: StreamSel) -> Option<Arc<LiveInit>> {
        self.live_for(camera_id, stream).fmp4.current_init()
    }

    /// Viewer counts of one camera, both streams (heartbeats).
    pub fn viewer_counts(&self, camera_id: i64) -> ViewerCounts {
        let m = lock(&self.cameras);
        let mut total = ViewerCounts::default();
        for s in [StreamSel::Main, StreamSel::Sub] {
            if let Some(c) = m.get(&(camera_id, s)) {
                let v = counts(c);
                total.mse += v.mse;
                total.hls += v.hls;
                total.mjpeg += v.mjpeg;
            }
        }
        total
    }

    pub fn counters(&self) -> Vec<LiveCounters> {
        let m = lock(&self.cameras);
        let mut out: Vec<_> = m
            .iter()
            .map(|((id, stream), c)| {
                let ms = c.mjpeg.stats();
                let fs = c.fmp4.stats();
                LiveCounters {
                    camera_id: *id,
                    stream: *stream,
                    viewers: counts(c),
                    mjpeg_decoding: ms.workers_running > 0,
                    fmp4_running: fs.running,
                    frames_decoded: ms.frames_decoded,
                    fragments: fs.fragments,
                    skips: fs.skips,
                }
            })
            .collect();
        out.sort_by_key(|c| (c.camera_id, c.stream == StreamSel::Sub));
        out
    }
}

fn counts(c: &CameraLive) -> ViewerCounts {
    let ms = c.mjpeg.stats();
    let fs = c.fmp4.stats();
    ViewerCounts {
        mse: fs.mse_viewers,
        hls: usize::from(fs.hls_active),
        mjpeg: Quality::ALL.iter().map(|&q| ms.quality(q).viewers).sum(),
    }
}

/// Subscribes a hub to the camera's current connection; a camera that is not running gives a
/// queue that is already closed (the hub tries again a moment later).
fn subscriber(
    feeds: Arc<dyn CameraFeeds>,
    camera_id: i64,
    stream: StreamSel,
    name: &'static str,
) -> Subscribe {
    Arc::new(move || -> FeedReceiver {
        feeds
            .subscribe_live(camera_id, stream, name)
            .unwrap_or_else(|| feed_channel(name, 1).1)
    })
}
