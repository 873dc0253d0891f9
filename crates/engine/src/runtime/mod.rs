//! Running cameras: for each enabled camera a [`CameraRuntime`] — its supervisor (the one
//! upstream connection), its recorder, its RTMP publish queue — started, restarted and stopped
//! to match the camera's settings, and attached to detection. Supervisor states become the
//! camera's stored status (through the database writer, never waiting) and `stream:status`
//! events; heartbeats report rates; the health check reads who is down.

mod camera;
mod onvif;
mod rtmp;
mod status;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use vigil_base::sync::lock;
use vigil_base::{Clock, Result, err};
use vigil_db::Database;
use vigil_ingest::{IngestConfig, RetinaOpener, RtspOpener, SourceOpener};
use vigil_media::{FeedReceiver, SessionInfo, Transport};
use vigil_record::StorageRoot;
use vigil_secrets::CredentialStore;

use crate::alerts::{AlertService, CameraHealth};
use crate::cameras::{Camera, RtspTransport, Source};
use crate::detection::{DetectionService, DetectorFeed};
use crate::events::{EventBody, EventBus, Heartbeat};
use crate::live::{StreamSel, ViewerCounts};
pub use camera::CameraRuntime;
pub use rtmp::RtmpHandler;
pub use status::{LATENCY_BOUNDS_MS, RecordingStatus, StreamCounters, StreamStatus};

/// Which RTSP client pulls RTSP cameras.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RtspClient {
    /// Retina (pure Rust): far fewer syscalls per packet; B-frame cameras too (decode times
    /// from the SPS's reorder depth).
    Retina,
    /// FFmpeg's RTSP demuxer: for servers Retina cannot talk to; costs more CPU.
    Ffmpeg,
}

/// Settings of the streaming side.
#[derive(Clone, Debug)]
pub struct StreamSettings {
    pub rtsp_client: RtspClient,
    /// Most cameras streaming at once (`VIGIL_MAX_CONCURRENT`).
    pub max_concurrent: usize,
    pub segment_ms: i64,
    /// Longest time between fsyncs of a segment being written (power-cut exposure).
    pub sync_interval_ms: u64,
    /// The recorder's bitrate ceiling per camera (bits a second).
    pub max_bitrate_bps: u64,
    /// Free space a recorder leaves on its filesystem (kept for the database when they share it).
    pub min_free_bytes: u64,
    pub ingest: IngestConfig,
    /// Start enabled cameras when the engine starts.
    pub autostart: bool,
    /// How long a stopping camera may take to close its segment before it is reported.
    pub stop_timeout: Duration,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            rtsp_client: RtspClient::Retina,
            max_concurrent: 16,
            segment_ms: 60_000,
            sync_interval_ms: 1_000,
            max_bitrate_bps: 64_000_000,
            min_free_bytes: 0,
            ingest: IngestConfig::default(),
            autostart: true,
            stop_timeout: Duration::from_secs(10),
        }
    }
}

/// Live view reads the running cameras' connections.
impl vigil_live::CameraFeeds for Runtimes {
    /// A live-view queue on the camera's current connection, if it runs. Big enough for a few
    /// seconds of video; a live consumer that falls further behind skips to a keyframe anyway.
    fn subscribe_live(
        &self,
        camera_id: i64,
        stream: StreamSel,
        name: &'static str,
    ) -> Option<FeedReceiver> {
        lock(&self.running)
            .get(&camera_id)
            .map(|r| r.stream(stream).subscribe_live(name, 512))
    }

    fn session(&self, camera_id: i64, stream: StreamSel) -> Option<Arc<SessionInfo>> {
        lock(&self.running)
            .get(&camera_id)?
            .stream(stream)
            .session()
    }

    fn has_sub(&self, camera_id: i64) -> bool {
        lock(&self.running)
            .get(&camera_id)
            .is_some_and(|r| r.sub_supervisor().is_some())
    }

    fn link(&self, camera_id: i64, stream: StreamSel) -> vigil_live::FeedLink {
        use vigil_ingest::StreamState as S;
        use vigil_live::FeedLink;
        let Some((state, push)) = lock(&self.running)
            .get(&camera_id)
            .map(|r| (r.stream(stream).stats().snapshot().state, r.is_push()))
        else {
            return FeedLink::Down;
        };
        match state {
            S::Running => FeedLink::Up,
            // A push camera "opening" is waiting for its publisher, which may never come.
            S::Starting if push => FeedLink::Down,
            // The first open is in flight: a camera just added or enabled.
            S::Starting => FeedLink::Connecting,
            // Failed, retrying after a failure, or going away. A retry may succeed, but a
            // snapshot asked of a failing camera is answered with its state, not after a wait.
            S::Reconnecting | S::Error | S::Stopped | S::Stopping => FeedLink::Down,
        }
    }
}

/// Every running camera.
pub struct Runtimes {
    settings: StreamSettings,
    db: Database,
    events: EventBus,
    clock: Arc<dyn Clock>,
    creds: CredentialStore,
    alerts: Arc<AlertService>,
    detection: Arc<DetectionService>,
    root: StorageRoot,
    /// Told when a recorder finds the disk full or closes a segment on a tier short of space,
    /// so room is made at once rather than at the next check.
    storage: vigil_storage::Storage,
    running: Mutex<HashMap<i64, CameraRuntime>>,
}

impl Runtimes {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        settings: StreamSettings,
        db: Database,
        events: EventBus,
        clock: Arc<dyn Clock>,
        creds: CredentialStore,
        alerts: Arc<AlertService>,
        detection: Arc<DetectionService>,
        root: StorageRoot,
        storage: vigil_storage::Storage,
    ) -> Runtimes {
        Runtimes {
            storage,
            settings,
            db,
            events,
            clock,
            creds,
            alerts,
            detection,
            root,
            running: Mutex::default(),
        }
    }

    pub fn settings(&self) -> &StreamSettings {
        &self.settings
    }

    /// Where recording writes (the first storage tier).
    pub fn recordings_root(&self) -> &StorageRoot {
        &self.root
    }

    /// Cameras streaming now.
    pub fn running_count(&self) -> usize {
        lock(&self.running).len()
    }

    /// Refuse to enable one more camera past the limit.
    pub fn check_capacity(&self, camera_id: i64) -> Result<()> {
        let running = lock(&self.running);
        let max = self.settings.max_concurrent;
        if !running.contains_key(&camera_id) && running.len() >= max {
            return Err(err!(
                ResourceExhausted,
                code = ConcurrentLimitExceeded,
                "{max} cameras are already streaming (VIGIL_MAX_CONCURRENT)"
            ));
        }
        Ok(())
    }

    /// Make the running state of `cam` match its settings: start, restart or stop it, and its
    /// detector. Blocking (a restart waits for the recorder to close its segment).
    pub fn sync(&self, cam: &Camera) -> Result<()> {
        let fp = camera::fingerprint(cam);
        let mut running = lock(&self.running);
        let keep = cam.enabled && running.get(&cam.id).is_some_and(|r| r.fingerprint() == fp);
        if keep {
            let sub = self.substream_opener(cam);
            if let Some(r) = running.get_mut(&cam.id) {
                r.sync_sub(self, cam.id, sub);
            }
            let r = running.get(&cam.id);
            self.detection.sync(cam, r.map(|r| self.feed_for(cam, r)));
            return Ok(());
        }
        if let Some(r) = running.remove(&cam.id) {
            drop(running);
            self.detection.stop(cam.id);
            self.stop_runtime(cam.id, r);
            running = lock(&self.running);
        }
        if !cam.enabled {
            return Ok(());
        }
        let max = self.settings.max_concurrent;
        if running.len() >= max {
            return Err(err!(
                ResourceExhausted,
                code = ConcurrentLimitExceeded,
                "{max} cameras are already streaming (VIGIL_MAX_CONCURRENT)"
            ));
        }
        let mut r = CameraRuntime::start(self, cam)?;
        r.sync_sub(self, cam.id, self.substream_opener(cam));
        self.detection.sync(cam, Some(self.feed_for(cam, &r)));
        running.insert(cam.id, r);
        Ok(())
    }

    /// Attach detection to every running camera of `cameras` (after the model has loaded).
    pub fn resync_detection(&self, cameras: &[Camera]) {
        let running = lock(&self.running);
        for cam in cameras {
            if let Some(r) = running.get(&cam.id) {
                self.detection.sync(cam, Some(self.feed_for(cam, r)));
            }
        }
    }

    fn feed_for<'a>(&self, _cam: &Camera, r: &'a CameraRuntime) -> DetectorFeed<'a> {
        DetectorFeed {
            main: r.supervisor(),
            sub: r.sub_supervisor(),
        }
    }

    /// The opener of the camera's sub-stream (grid tiles and detection), if it has one: the
    /// sub-stream URL set by hand, else an ONVIF camera's sub profile.
    fn substream_opener(&self, cam: &Camera) -> Option<Arc<dyn SourceOpener>> {
        let url = self
            .db
            .read_blocking(|c| vigil_cameras::settings::load_settings(c, cam.id))
            .ok()?
            .substream_url;
        // An ONVIF camera's sub profile, unless a sub-stream URL was set by hand.
        let url = match (url, &cam.source) {
            (Some(u), _) => u,
            (
                None,
                Source::Onvif {
                    address,
                    sub_profile: Some(sub),
                    transport,
                    ..
                },
            ) => {
                return Some(self.onvif_opener(
                    cam.id,
                    address,
                    sub,
                    *transport,
                    cam.username.clone(),
                ));
            }
            (None, _) => return None,
        };
        let transport = match &cam.source {
            Source::Rtsp { transport, .. } | Source::Onvif { transport, .. } => *transport,
            _ => RtspTransport::Tcp,
        };
        Some(self.rtsp_opener(cam.id, &url, transport, cam.username.clone()))
    }

    /// Stop a camera's stream if it runs (blocking).
    pub fn stop(&self, camera_id: i64) {
        let r = lock(&self.running).remove(&camera_id);
        self.detection.stop(camera_id);
        if let Some(r) = r {
            self.stop_runtime(camera_id, r);
        }
    }

    /// Stop every camera, waiting a bounded time for each to finish its segment. Returns the
    /// cameras that did not stop in time (they are reported, and finish in the background).
    pub fn stop_all(&self) -> Vec<i64> {
        let all: Vec<(i64, CameraRuntime)> = lock(&self.running).drain().collect();
        for (id, r) in &all {
            r.request_stop();
            self.detection.stop(*id);
        }
        all.into_iter()
            .filter_map(|(id, r)| (!self.stop_runtime(id, r)).then_some(id))
            .collect()
    }

    /// Stop one runtime; false if it did not stop within the stop timeout.
    fn stop_runtime(&self, camera_id: i64, r: CameraRuntime) -> bool {
        let wait = self.settings.stop_timeout;
        let stopped = r.stop_within(wait);
        if !stopped {
            tracing::error!(
                camera_id,
                "camera did not stop within {wait:?}; its recorder finishes in the background"
            );
        }
        stopped
    }

    /// An opener for an RTSP URL of camera `id` (its main stream or its detection sub-stream),
    /// with the camera's credentials fetched from the store at each connection.
    pub fn rtsp_opener(
        &self,
        id: i64,
        url: &str,
        transport: RtspTransport,
        username: Option<String>,
    ) -> Arc<dyn SourceOpener> {
        let creds = self.creds.clone();
        self.rtsp_opener_with(
            url,
            transport,
            username,
            Arc::new(move || creds.camera_password(id).ok().flatten()),
        )
    }

    /// An opener for an RTSP URL with the configured client, the password from `password`
    /// (asked at each connection).
    pub fn rtsp_opener_with(
        &self,
        url: &str,
        transport: RtspTransport,
        username: Option<String>,
        password: Arc<dyn Fn() -> Option<String> + Send + Sync>,
    ) -> Arc<dyn SourceOpener> {
        rtsp_opener_for(
            self.settings.rtsp_client,
            url,
            transport,
            username,
            password,
            Arc::default(),
        )
    }

    /// An opener for an ONVIF camera's profile (its RTSP URI asked of the camera), with the
    /// camera's credentials from the store.
    pub fn onvif_opener(
        &self,
        id: i64,
        address: &str,
        profile: &str,
        transport: RtspTransport,
        username: Option<String>,
    ) -> Arc<dyn SourceOpener> {
        let creds = self.creds.clone();
        self.onvif_opener_with(
            address,
            profile,
            transport,
            username,
            Arc::new(move || creds.camera_password(id).ok().flatten()),
        )
    }

    pub fn onvif_opener_with(
        &self,
        address: &str,
        profile: &str,
        transport: RtspTransport,
        username: Option<String>,
        password: Arc<dyn Fn() -> Option<String> + Send + Sync>,
    ) -> Arc<dyn SourceOpener> {
        let client = self.settings.rtsp_client;
        let (u, p) = (username.clone(), password.clone());
        // One camera's reorder depth, whichever URI the camera gives next.
        let learned = Arc::<AtomicUsize>::default();
        Arc::new(onvif::OnvifOpener::new(
            address,
            profile,
            username,
            password,
            Box::new(move |url: &str| {
                rtsp_opener_for(
                    client,
                    url,
                    transport,
                    u.clone(),
                    p.clone(),
                    learned.clone(),
                )
            }),
        ))
    }

    /// Publish `stream:heartbeat` for every running camera (called every few seconds).
    pub fn heartbeat(&self, viewers: impl Fn(i64) -> ViewerCounts) {
        let now = self.clock.instant();
        let mut running = lock(&self.running);
        for (id, r) in running.iter_mut() {
            let s = r.supervisor().stats().clone();
            let frames = s.video_frames.load(Ordering::Relaxed);
            let bytes = s.bytes.load(Ordering::Relaxed);
            let (fps, kbps) = r.rates(frames, bytes, now);
            let snap = s.snapshot();
            let dropped: u64 = r.supervisor().dropped().iter().map(|d| d.1).sum();
            self.events.emit(
                Some(*id),
                EventBody::StreamHeartbeat(Box::new(Heartbeat {
                    status: snap.state.into(),
                    fps,
                    bitrate_kbps: kbps,
                    dropped_frames: dropped,
                    resolution: format!("{}x{}", snap.width, snap.height),
                    codec: snap.codec,
                    recording_segments: r.recorder_stats().segments.load(Ordering::Relaxed),
                    viewers: viewers(*id),
                })),
            );
        }
    }

    /// Why a camera's recording is failing now, if it is.
    pub fn recording_fault(&self, camera_id: i64) -> Option<vigil_record::writer::RecordingFault> {
        lock(&self.running)
            .get(&camera_id)
            .and_then(|r| lock(&r.recorder_stats().last_error).clone())
    }

    /// Every streaming camera: up (running) or not, its last packet, its last error.
    pub fn health(&self) -> Vec<CameraHealth> {
        lock(&self.running)
            .iter()
            .map(|(id, r)| {
                let stats = r.supervisor().stats();
                let snap = stats.snapshot();
                let last = stats.last_packet_ms.load(Ordering::Relaxed);
                CameraHealth {
                    id: *id,
                    // Stopping is not an outage: someone turned the camera off.
                    up: matches!(
                        snap.state,
                        vigil_ingest::StreamState::Running
                            | vigil_ingest::StreamState::Stopping
                            | vigil_ingest::StreamState::Stopped
                    ),
                    last_packet_ms: (last > 0).then_some(last),
                    detail: snap.last_error,
                    recording_failing: lock(&r.recorder_stats().last_error).is_some(),
                }
            })
            .collect()
    }
}

/// An opener for an RTSP URL with `client`, the password from `password` (asked at each
/// connection); `learned_reorder` keeps the reorder depth a camera showed beyond its SPS (shared
/// by every opener of one camera).
pub fn rtsp_opener_for(
    client: RtspClient,
    url: &str,
    transport: RtspTransport,
    username: Option<String>,
    password: Arc<dyn Fn() -> Option<String> + Send + Sync>,
    learned_reorder: Arc<AtomicUsize>,
) -> Arc<dyn SourceOpener> {
    let transport = match transport {
        RtspTransport::Tcp => Transport::Tcp,
        RtspTransport::Udp => Transport::Udp,
    };
    let boxed = |p: &Arc<dyn Fn() -> Option<String> + Send + Sync>| {
        let p = p.clone();
        Box::new(move || p()) as Box<dyn Fn() -> Option<String> + Send + Sync>
    };
    match client {
        RtspClient::Retina => Arc::new(RetinaOpener {
            url: url.to_string(),
            transport,
            username,
            password: boxed(&password),
            learned_reorder,
            stage_timeout: vigil_ingest::STAGE_TIMEOUT,
        }),
        RtspClient::Ffmpeg => Arc::new(RtspOpener {
            url: url.to_string(),
            transport,
            username,
            password: boxed(&password),
        }),
    }
}
