//! Live view of cameras: per camera one MJPEG hub (shared decode) and one fMP4 hub (MSE and HLS,
//! stream copy), created on first use and kept across camera restarts — a hub subscribes to
//! whatever connection the camera has when it needs one, so viewers survive a reconfiguration.
//! The server-wide limit (`STREAM_MAX_CONCURRENT`) counts running pipelines, not viewers: the
//! twentieth viewer of a camera costs no decode.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::sync::lock;
use vigil_base::{Result, err};
use vigil_live::{
    Fmp4Hub, Fmp4Options, Frame, HubOptions, LiveInit, MjpegHub, MseViewer, Quality, Subscribe,
    Viewer,
};
use vigil_media::{FeedReceiver, feed_channel};

use crate::cameras::Camera;
use crate::runtime::Runtimes;

/// Settings of live view.
#[derive(Clone, Debug)]
pub struct LiveSettings {
    /// Most live pipelines at once (`STREAM_MAX_CONCURRENT`).
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
    runtimes: Arc<Runtimes>,
    cameras: Mutex<HashMap<i64, CameraLive>>,
}

/// A kind of live pipeline, for the limit.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pipeline {
    Mjpeg,
    Fmp4,
}

/// `GET /cameras/{id}/stream/info`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StreamInfoView {
    pub camera_id: i64,
    pub state: String,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    /// `video/mp4; codecs="…"` for `MediaSource.isTypeSupported`, once the camera has connected.
    pub mime: Option<String>,
    pub streams: Vec<StreamEndpoint>,
    pub viewers: ViewerCounts,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StreamEndpoint {
    /// `mse`, `hls`, `mjpeg` or `snapshot`.
    #[serde(rename = "type")]
    pub kind: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualities: Option<Vec<QualityView>>,
}

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
    pub viewers: ViewerCounts,
    pub mjpeg_decoding: bool,
    pub fmp4_running: bool,
    pub frames_decoded: u64,
    pub fragments: u64,
    pub skips: u64,
}

impl LiveService {
    pub fn new(settings: LiveSettings, runtimes: Arc<Runtimes>) -> LiveService {
        LiveService {
            settings,
            runtimes,
            cameras: Mutex::default(),
        }
    }

    fn live_for(&self, camera_id: i64) -> CameraLive {
        let mut m = lock(&self.cameras);
        m.entry(camera_id)
            .or_insert_with(|| {
                let rt = &self.runtimes;
                CameraLive {
                    mjpeg: MjpegHub::with_options(
                        subscriber(rt.clone(), camera_id, "live-mjpeg"),
                        HubOptions {
                            name: format!("camera {camera_id}"),
                            ..Default::default()
                        },
                    ),
                    fmp4: Fmp4Hub::new(
                        subscriber(rt.clone(), camera_id, "live-fmp4"),
                        Fmp4Options {
                            name: format!("camera {camera_id}"),
                            hls_max_segments: self.settings.hls_max_segments,
                            ..Default::default()
                        },
                    ),
                }
            })
            .clone()
    }

    /// Forget a deleted camera's hubs (their viewers see the stream end).
    pub fn drop_camera(&self, camera_id: i64) {
        lock(&self.cameras).remove(&camera_id);
    }

    /// Refuse a viewer that would start one decode too many. Only MJPEG (and snapshots) decode:
    /// MSE and HLS copy the stream and cost little (+2.7% of a core for 16 cameras), so a
    /// 16-camera MSE grid is never refused.
    fn check_live_capacity(&self, camera_id: i64, want: Pipeline) -> Result<()> {
        if want == Pipeline::Fmp4 {
            return Ok(());
        }
        let m = lock(&self.cameras);
        let running = |c: &CameraLive, p: Pipeline| match p {
            Pipeline::Mjpeg => c.mjpeg.stats().workers_running > 0,
            Pipeline::Fmp4 => c.fmp4.is_running(),
        };
        if m.get(&camera_id).is_some_and(|c| running(c, want)) {
            return Ok(());
        }
        let count = m.values().filter(|c| running(c, Pipeline::Mjpeg)).count();
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

    /// What a player needs to pick a live stream.
    pub fn info(&self, cam: &Camera) -> StreamInfoView {
        let camera_id = cam.id;
        let live = self.live_for(camera_id);
        let status = self.runtimes.status(cam);
        let init = live.fmp4.current_init();
        let base = format!("/api/v1/cameras/{camera_id}");
        let endpoint = |kind: &str, path: &str| StreamEndpoint {
            kind: kind.into(),
            url: format!("{base}{path}"),
            qualities: None,
        };
        let (w, h) = (status.width, status.height);
        let qualities = Quality::ALL
            .iter()
            .map(|&q| {
                let (qw, qh) = if w > 0 && h > 0 {
                    q.output_size(w, h)
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
        StreamInfoView {
            camera_id,
            state: serde_json::to_value(cam.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            codec: status.codec,
            width: w,
            height: h,
            mime: init.map(|i| i.mime.clone()).or_else(|| {
                let session = self.runtimes.session(camera_id)?;
                let codec = vigil_live::codec::session_codec_string(&session);
                Some(format!("video/mp4; codecs=\"{codec}\""))
            }),
            streams: vec![
                endpoint("mse", "/stream/mse"),
                endpoint("hls", "/hls/live.m3u8"),
                StreamEndpoint {
                    qualities: Some(qualities),
                    ..endpoint("mjpeg", "/stream")
                },
                endpoint("snapshot", "/stream/snapshot"),
            ],
            viewers: counts(&live),
        }
    }

    /// A new MJPEG viewer at `quality`.
    pub async fn mjpeg(&self, cam: &Camera, quality: Quality) -> Result<Viewer> {
        let camera_id = cam.id;
        self.check_live_capacity(camera_id, Pipeline::Mjpeg)?;
        self.live_for(camera_id).mjpeg.subscribe(quality)
    }

    /// The camera's current picture as JPEG.
    pub async fn snapshot(&self, cam: &Camera) -> Result<Frame> {
        let camera_id = cam.id;
        self.check_live_capacity(camera_id, Pipeline::Mjpeg)?;
        self.live_for(camera_id).mjpeg.snapshot().await
    }

    /// A new MSE viewer.
    pub async fn mse(&self, cam: &Camera) -> Result<MseViewer> {
        let camera_id = cam.id;
        self.check_live_capacity(camera_id, Pipeline::Fmp4)?;
        Ok(self.live_for(camera_id).fmp4.watch())
    }

    /// The live HLS playlist (starts HLS for the camera).
    pub async fn hls_playlist(&self, cam: &Camera) -> Result<String> {
        let camera_id = cam.id;
        self.check_live_capacity(camera_id, Pipeline::Fmp4)?;
        self.live_for(camera_id).fmp4.hls_playlist().await
    }

    pub fn hls_init(&self, camera_id: i64, generation: u64) -> Result<bytes::Bytes> {
        self.live_for(camera_id)
            .fmp4
            .hls_init(generation)
            .ok_or_else(|| err!(NotFound, code = SegmentNotFound, "no such init segment"))
    }

    pub fn hls_segment(&self, camera_id: i64, seq: u64) -> Result<bytes::Bytes> {
        self.live_for(camera_id)
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
    pub fn live_init(&self, camera_id: i64) -> Option<Arc<LiveInit>> {
        self.live_for(camera_id).fmp4.current_init()
    }

    /// Viewer counts of one camera (heartbeats).
    pub fn viewer_counts(&self, camera_id: i64) -> ViewerCounts {
        lock(&self.cameras)
            .get(&camera_id)
            .map(counts)
            .unwrap_or_default()
    }

    pub fn counters(&self) -> Vec<LiveCounters> {
        let m = lock(&self.cameras);
        let mut out: Vec<_> = m
            .iter()
            .map(|(id, c)| {
                let ms = c.mjpeg.stats();
                let fs = c.fmp4.stats();
                LiveCounters {
                    camera_id: *id,
                    viewers: counts(c),
                    mjpeg_decoding: ms.workers_running > 0,
                    fmp4_running: fs.running,
                    frames_decoded: ms.frames_decoded,
                    fragments: fs.fragments,
                    skips: fs.skips,
                }
            })
            .collect();
        out.sort_by_key(|c| c.camera_id);
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
fn subscriber(runtimes: Arc<Runtimes>, camera_id: i64, name: &'static str) -> Subscribe {
    Arc::new(move || -> FeedReceiver {
        runtimes
            .subscribe_live(camera_id, name)
            .unwrap_or_else(|| feed_channel(name, 1).1)
    })
}
