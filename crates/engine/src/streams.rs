//! Running cameras: for each enabled camera a `CameraSupervisor` (its one upstream connection) and,
//! if recording is on, a `SegmentWriter` fed by it. Supervisor states become the camera's stored
//! status and `stream:status` events; every 10 s a `stream:heartbeat` reports rates and drops.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::{Result, err};
use vigil_ingest::{
    CameraSupervisor, FileOpener, IngestConfig, PublishQueue, PushOpener, RtspOpener, SourceOpener,
    StatusSink, StreamState,
};
use vigil_media::Transport;
use vigil_record::StorageRoot;
use vigil_record::writer::{RecorderConfig, RecorderEvent, RecorderStats, SegmentWriter};

use crate::cameras::{Camera, CameraStatus, RtspTransport, Source};
use crate::{Engine, Event, Inner};

/// Which RTSP client pulls RTSP cameras.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RtspClient {
    /// Retina (pure Rust): far fewer syscalls per packet; no B-frame sources.
    Retina,
    /// FFmpeg's RTSP demuxer: handles B-frames and odd servers; costs more CPU.
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
    pub ingest: IngestConfig,
    /// Start enabled cameras when the engine opens.
    pub autostart: bool,
}

impl Default for StreamSettings {
    fn default() -> Self {
        StreamSettings {
            rtsp_client: RtspClient::Retina,
            max_concurrent: 16,
            segment_ms: 60_000,
            sync_interval_ms: 1_000,
            ingest: IngestConfig::default(),
            autostart: true,
        }
    }
}

pub(crate) struct RunningCamera {
    pub(crate) supervisor: CameraSupervisor,
    recorder: Option<JoinHandle<()>>,
    recorder_stats: Arc<RecorderStats>,
    /// What it was started with; a change restarts it.
    fingerprint: String,
    push: Option<(String, PublishQueue)>,
    last_beat: (u64, u64, std::time::Instant),
}

#[derive(Default)]
pub(crate) struct Streams {
    pub(crate) running: Mutex<HashMap<i64, RunningCamera>>,
}

/// `GET /cameras/{id}/status`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StreamStatus {
    pub camera_id: i64,
    pub status: CameraStatus,
    /// RFC 3339 time of the last state change.
    pub since: Option<String>,
    pub last_error: Option<String>,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    pub packets: u64,
    pub bytes: u64,
    pub reconnects: u64,
    /// RFC 3339 time of the last packet.
    pub last_packet_at: Option<String>,
    /// Packets each consumer had to drop.
    #[schema(value_type = Object)]
    pub dropped: HashMap<String, u64>,
    pub recording: RecordingStatus,
}

#[derive(Clone, Debug, Default, Serialize, ToSchema)]
pub struct RecordingStatus {
    pub enabled: bool,
    pub segments: u64,
    pub bytes: u64,
    pub dropped_packets: u64,
    pub errors: u64,
}

/// Per-camera counters for /metrics.
#[derive(Clone, Debug)]
pub struct StreamCounters {
    pub camera_id: i64,
    pub packets: u64,
    pub bytes: u64,
    pub reconnects: u64,
    pub dropped: Vec<(&'static str, u64)>,
    pub recorded_bytes: u64,
    pub recorder_dropped: u64,
}

struct Sink(Weak<Inner>);

impl StatusSink for Sink {
    fn state_changed(&self, camera_id: i64, state: StreamState, detail: Option<&str>) {
        let Some(inner) = self.0.upgrade() else {
            return;
        };
        let engine = Engine { inner };
        let status = match state {
            StreamState::Stopped => CameraStatus::Stopped,
            StreamState::Starting => CameraStatus::Starting,
            StreamState::Running => CameraStatus::Running,
            StreamState::Error => CameraStatus::Error,
            StreamState::Reconnecting => CameraStatus::Reconnecting,
            StreamState::Stopping => CameraStatus::Stopping,
        };
        if let Err(e) = engine.store_status_blocking(camera_id, status, detail) {
            tracing::warn!(camera_id, error = %e, "could not store stream status");
        }
    }
}

/// Status of a detection sub-stream: only logged.
struct SubstreamSink;

impl StatusSink for SubstreamSink {
    fn state_changed(&self, camera_id: i64, state: StreamState, detail: Option<&str>) {
        tracing::debug!(camera_id, ?state, detail, "detection sub-stream state");
    }
}

fn fingerprint(c: &Camera) -> String {
    format!(
        "{:?}|{}|{}",
        c.source,
        c.username.as_deref().unwrap_or(""),
        c.recording_enabled
    )
}

impl Engine {
    pub(crate) fn recordings_root(&self) -> StorageRoot {
        StorageRoot::new("hot", self.data_dir().join("recordings"))
    }

    /// Start every enabled camera (at start-up, after reconciliation).
    pub async fn start_streams(&self) -> Result<()> {
        for cam in self.list_cameras().await? {
            if cam.enabled
                && let Err(e) = self.sync_stream(&cam)
            {
                tracing::warn!(camera_id = cam.id, error = %e, "camera not started");
            }
        }
        Ok(())
    }

    /// Cameras streaming now.
    pub fn running_count(&self) -> usize {
        self.inner
            .streams
            .running
            .lock()
            .map(|r| r.len())
            .unwrap_or(0)
    }

    /// Refuse to enable one more camera past the limit.
    pub(crate) fn check_capacity(&self, camera_id: i64) -> Result<()> {
        let running = self
            .inner
            .streams
            .running
            .lock()
            .map_err(|_| err!(Internal, "poisoned"))?;
        let max = self.config().streams.max_concurrent;
        if !running.contains_key(&camera_id) && running.len() >= max {
            return Err(err!(
                ResourceExhausted,
                code = ConcurrentLimitExceeded,
                "{max} cameras are already streaming (VIGIL_MAX_CONCURRENT)"
            ));
        }
        Ok(())
    }

    /// Make the running state of `cam` match its settings: start, restart or stop it.
    pub(crate) fn sync_stream(&self, cam: &Camera) -> Result<()> {
        let fp = fingerprint(cam);
        let mut running = self
            .inner
            .streams
            .running
            .lock()
            .map_err(|_| err!(Internal, "poisoned"))?;
        let keep = cam.enabled && running.get(&cam.id).is_some_and(|r| r.fingerprint == fp);
        if keep {
            self.sync_detection(cam, running.get(&cam.id).map(|r| &r.supervisor));
            return Ok(());
        }
        if let Some(r) = running.remove(&cam.id) {
            drop(running);
            self.stop_detection(cam.id);
            stop_camera(cam.id, r, Duration::from_secs(10));
            running = self
                .inner
                .streams
                .running
                .lock()
                .map_err(|_| err!(Internal, "poisoned"))?;
        }
        if !cam.enabled {
            return Ok(());
        }
        let max = self.config().streams.max_concurrent;
        if running.len() >= max {
            return Err(err!(
                ResourceExhausted,
                code = ConcurrentLimitExceeded,
                "{max} cameras are already streaming (VIGIL_MAX_CONCURRENT)"
            ));
        }
        let (opener, push): (Arc<dyn SourceOpener>, _) = match &cam.source {
            Source::Rtsp { url, transport } => (
                self.rtsp_opener(cam.id, url, *transport, cam.username.clone()),
                None,
            ),
            Source::File { path } => (Arc::new(FileOpener { path: path.into() }), None),
            Source::RtmpPush { stream_key, .. } => {
                let q = PublishQueue::default();
                (
                    Arc::new(PushOpener { queue: q.clone() }),
                    Some((stream_key.clone(), q)),
                )
            }
        };
        let sink = Arc::new(Sink(Arc::downgrade(&self.inner)));
        let supervisor = CameraSupervisor::start(
            cam.id,
            opener,
            self.config().streams.ingest.clone(),
            sink,
            self.clock().clone(),
        );
        let recorder_stats = Arc::new(RecorderStats::default());
        let recorder = if cam.recording_enabled {
            // Big enough for ~40 s of a 25 fps camera: the recorder never falls that far behind.
            let feed = supervisor.subscribe("recorder", 1024);
            let mut cfg = RecorderConfig::new(self.recordings_root());
            cfg.segment_ms = self.config().streams.segment_ms;
            cfg.sync_interval_ms = self.config().streams.sync_interval_ms;
            let weak = Arc::downgrade(&self.inner);
            let id = cam.id;
            // Where the camera's recordings end, read here so the recorder never reads the
            // database: after the writer committed what an earlier recorder reported.
            let db = self.db().clone();
            let last_end = db
                .flush_blocking()
                .and_then(|()| db.read_blocking(|c| vigil_db::recordings::last_end_ms(c, id)))?;
            let writer = SegmentWriter::new(
                cam.id,
                cfg,
                self.db().clone(),
                self.clock().clone(),
                recorder_stats.clone(),
                Arc::new(move |ev| {
                    if let Some(inner) = weak.upgrade() {
                        Engine { inner }.recorder_event(id, ev);
                    }
                }),
            )
            .resume_after(last_end);
            std::thread::Builder::new()
                .name(format!("record-{}", cam.id))
                .spawn(move || writer.run(feed))
                .ok()
        } else {
            None
        };
        self.sync_detection(cam, Some(&supervisor));
        running.insert(
            cam.id,
            RunningCamera {
                supervisor,
                recorder,
                recorder_stats,
                fingerprint: fp,
                push,
                last_beat: (0, 0, std::time::Instant::now()),
            },
        );
        Ok(())
    }

    /// An opener for an RTSP URL of camera `id` (its main stream or its detection sub-stream),
    /// with the camera's credentials fetched from the store at each connection.
    pub(crate) fn rtsp_opener(
        &self,
        id: i64,
        url: &str,
        transport: RtspTransport,
        username: Option<String>,
    ) -> Arc<dyn SourceOpener> {
        let creds = self.credentials().clone();
        self.rtsp_opener_with(
            url,
            transport,
            username,
            Arc::new(move || creds.camera_password(id).ok().flatten()),
        )
    }

    /// An opener for an RTSP URL with the configured client, the password from `password`
    /// (asked at each connection).
    pub(crate) fn rtsp_opener_with(
        &self,
        url: &str,
        transport: RtspTransport,
        username: Option<String>,
        password: Arc<dyn Fn() -> Option<String> + Send + Sync>,
    ) -> Arc<dyn SourceOpener> {
        let transport = match transport {
            RtspTransport::Tcp => Transport::Tcp,
            RtspTransport::Udp => Transport::Udp,
        };
        let boxed = |p: &Arc<dyn Fn() -> Option<String> + Send + Sync>| {
            let p = p.clone();
            Box::new(move || p()) as Box<dyn Fn() -> Option<String> + Send + Sync>
        };
        let ffmpeg = RtspOpener {
            url: url.to_string(),
            transport,
            username: username.clone(),
            password: boxed(&password),
        };
        match self.config().streams.rtsp_client {
            RtspClient::Retina => Arc::new(vigil_ingest::AutoRtspOpener {
                retina: vigil_ingest::RetinaOpener {
                    url: url.to_string(),
                    transport,
                    username,
                    password: boxed(&password),
                    saw_b_frames: Arc::default(),
                },
                ffmpeg,
            }),
            RtspClient::Ffmpeg => Arc::new(ffmpeg),
        }
    }

    /// A second connection to an RTSP camera, for detection on its sub-stream. Its state is
    /// logged, not stored: the camera's status is its main stream's.
    pub(crate) fn start_substream(&self, cam: &Camera, url: &str) -> CameraSupervisor {
        let transport = match &cam.source {
            Source::Rtsp { transport, .. } => *transport,
            _ => RtspTransport::Tcp,
        };
        let opener = self.rtsp_opener(cam.id, url, transport, cam.username.clone());
        CameraSupervisor::start(
            cam.id,
            opener,
            self.config().streams.ingest.clone(),
            Arc::new(SubstreamSink),
            self.clock().clone(),
        )
    }

    /// Stop a camera's stream if it runs.
    pub(crate) fn stop_stream(&self, camera_id: i64) {
        let r = self
            .inner
            .streams
            .running
            .lock()
            .ok()
            .and_then(|mut m| m.remove(&camera_id));
        self.stop_detection(camera_id);
        if let Some(r) = r {
            stop_camera(camera_id, r, Duration::from_secs(10));
        }
    }

    /// Stop every camera, waiting a bounded time for each to finish its segment.
    pub fn stop_streams(&self) {
        let all: Vec<(i64, RunningCamera)> = match self.inner.streams.running.lock() {
            Ok(mut m) => m.drain().collect(),
            Err(_) => return,
        };
        for (id, r) in &all {
            r.supervisor.request_stop();
            self.stop_detection(*id);
        }
        for (id, r) in all {
            stop_camera(id, r, Duration::from_secs(10));
        }
    }

    /// Hand an RTMP publish to the push camera with `stream_key`. Err(reason) refuses it.
    pub fn deliver_publish(
        &self,
        stream_key: &str,
        publish: vigil_ingest::Publish,
    ) -> std::result::Result<i64, String> {
        let running = self
            .inner
            .streams
            .running
            .lock()
            .map_err(|_| "internal error".to_string())?;
        for (id, r) in running.iter() {
            if let Some((key, q)) = &r.push
                && key == stream_key
            {
                q.offer(publish)?;
                return Ok(*id);
            }
        }
        Err("unknown or disabled stream key".into())
    }

    /// The handler the RTMP listener asks about each publish.
    pub fn rtmp_handler(&self) -> Arc<dyn vigil_rtmp::PublishHandler> {
        Arc::new(RtmpHandler(Arc::downgrade(&self.inner)))
    }

    /// Whether a publish with `stream_key` would be accepted now.
    pub fn publish_allowed(&self, stream_key: &str) -> std::result::Result<i64, String> {
        let running = self
            .inner
            .streams
            .running
            .lock()
            .map_err(|_| "internal error".to_string())?;
        running
            .iter()
            .find(|(_, r)| r.push.as_ref().is_some_and(|(k, _)| k == stream_key))
            .map(|(id, _)| *id)
            .ok_or_else(|| "unknown or disabled stream key".into())
    }

    pub async fn stream_status(&self, camera_id: i64) -> Result<StreamStatus> {
        let cam = self.get_camera(camera_id).await?;
        let running = self
            .inner
            .streams
            .running
            .lock()
            .map_err(|_| err!(Internal, "poisoned"))?;
        let mut st = StreamStatus {
            camera_id,
            status: cam.status,
            since: None,
            last_error: None,
            codec: None,
            width: 0,
            height: 0,
            packets: 0,
            bytes: 0,
            reconnects: 0,
            last_packet_at: None,
            dropped: HashMap::new(),
            recording: RecordingStatus {
                enabled: cam.recording_enabled,
                ..Default::default()
            },
        };
        if let Some(r) = running.get(&camera_id) {
            let s = r.supervisor.stats();
            let snap = s.snapshot();
            st.since = Some(vigil_base::format_rfc3339_ms(snap.since_ms));
            st.last_error = snap.last_error;
            st.codec = snap.codec;
            st.width = snap.width;
            st.height = snap.height;
            st.packets = s.packets.load(Ordering::Relaxed);
            st.bytes = s.bytes.load(Ordering::Relaxed);
            st.reconnects = s.reconnects.load(Ordering::Relaxed);
            let lp = s.last_packet_ms.load(Ordering::Relaxed);
            st.last_packet_at = (lp > 0).then(|| vigil_base::format_rfc3339_ms(lp));
            st.dropped = r
                .supervisor
                .dropped()
                .into_iter()
                .map(|(n, d)| (n.to_string(), d))
                .collect();
            let rs = &r.recorder_stats;
            st.recording.segments = rs.segments.load(Ordering::Relaxed);
            st.recording.bytes = rs.bytes.load(Ordering::Relaxed);
            st.recording.dropped_packets = st.dropped.get("recorder").copied().unwrap_or(0);
            st.recording.errors = rs.errors.load(Ordering::Relaxed);
        }
        Ok(st)
    }

    pub fn stream_counters(&self) -> Vec<StreamCounters> {
        let Ok(running) = self.inner.streams.running.lock() else {
            return vec![];
        };
        let mut out: Vec<_> = running
            .iter()
            .map(|(id, r)| {
                let s = r.supervisor.stats();
                let dropped = r.supervisor.dropped();
                StreamCounters {
                    camera_id: *id,
                    packets: s.packets.load(Ordering::Relaxed),
                    bytes: s.bytes.load(Ordering::Relaxed),
                    reconnects: s.reconnects.load(Ordering::Relaxed),
                    recorder_dropped: dropped
                        .iter()
                        .find(|d| d.0 == "recorder")
                        .map(|d| d.1)
                        .unwrap_or(0),
                    dropped,
                    recorded_bytes: r.recorder_stats.bytes.load(Ordering::Relaxed),
                }
            })
            .collect();
        out.sort_by_key(|c| c.camera_id);
        out
    }

    /// The streams of the camera's current connection, once connected.
    pub(crate) fn current_session(&self, camera_id: i64) -> Option<Arc<vigil_media::SessionInfo>> {
        let running = self.inner.streams.running.lock().ok()?;
        running.get(&camera_id)?.supervisor.session()
    }

    /// A live-view queue on the camera's current connection, if it runs. Big enough for a few
    /// seconds of video; a live consumer that falls further behind skips to a keyframe anyway.
    pub(crate) fn subscribe_live(
        &self,
        camera_id: i64,
        name: &'static str,
    ) -> Option<vigil_media::FeedReceiver> {
        let running = self.inner.streams.running.lock().ok()?;
        running
            .get(&camera_id)
            .map(|r| r.supervisor.subscribe_live(name, 512))
    }

    /// Publish `stream:heartbeat` for every running camera (called every 10 s).
    pub fn heartbeat(&self) {
        let now = self.now_ms();
        let Ok(mut running) = self.inner.streams.running.lock() else {
            return;
        };
        for (id, r) in running.iter_mut() {
            let s = r.supervisor.stats();
            let frames = s.video_frames.load(Ordering::Relaxed);
            let bytes = s.bytes.load(Ordering::Relaxed);
            let (f0, b0, t0) = r.last_beat;
            let dt = t0.elapsed().as_secs_f64().max(0.001);
            r.last_beat = (frames, bytes, std::time::Instant::now());
            let snap = s.snapshot();
            let dropped: u64 = r.supervisor.dropped().iter().map(|d| d.1).sum();
            self.events().publish(
                Event::new("stream:heartbeat", Some(*id), now)
                    .with("status", snap.state)
                    .with("fps", ((frames - f0) as f64 / dt * 10.0).round() / 10.0)
                    .with(
                        "bitrate_kbps",
                        ((bytes - b0) as f64 * 8.0 / dt / 1000.0).round(),
                    )
                    .with("dropped_frames", dropped)
                    .with("resolution", format!("{}x{}", snap.width, snap.height))
                    .with("codec", snap.codec)
                    .with(
                        "recording_segments",
                        r.recorder_stats.segments.load(Ordering::Relaxed),
                    )
                    .with("viewers", self.viewer_counts(*id)),
            );
        }
    }

    fn recorder_event(&self, camera_id: i64, ev: RecorderEvent) {
        let now = self.now_ms();
        let e = match ev {
            RecorderEvent::SegmentStarted {
                recording_id,
                start_ms,
            } => Event::new("recording:started", Some(camera_id), now)
                .with("recording_id", recording_id)
                .with("start", vigil_base::format_rfc3339_ms(start_ms)),
            RecorderEvent::SegmentFinished {
                recording_id,
                start_ms,
                end_ms,
                bytes,
            } => Event::new("recording:segment", Some(camera_id), now)
                .with("recording_id", recording_id)
                .with("start", vigil_base::format_rfc3339_ms(start_ms))
                .with("end", vigil_base::format_rfc3339_ms(end_ms))
                .with("bytes", bytes),
            RecorderEvent::ClockJump { jump_ms } => {
                Event::new("recording:clock_jump", Some(camera_id), now).with("jump_ms", jump_ms)
            }
            RecorderEvent::Failed {
                message,
                storage_full,
            } => {
                self.recording_failed_alert(camera_id, &message, storage_full);
                Event::new("recording:failed", Some(camera_id), now).with("message", message)
            }
        };
        self.events().publish(e);
    }
}

/// Accepts publishes whose key belongs to an enabled push camera, and hands them to its supervisor.
struct RtmpHandler(Weak<Inner>);

impl vigil_rtmp::PublishHandler for RtmpHandler {
    fn authorize(&self, req: &vigil_rtmp::PublishRequest) -> std::result::Result<(), String> {
        let inner = self.0.upgrade().ok_or("shutting down")?;
        Engine { inner }
            .publish_allowed(&req.stream_key)
            .map(|_| ())
    }

    fn on_publish(&self, publish: vigil_rtmp::Publish) {
        let Some(inner) = self.0.upgrade() else {
            return;
        };
        let key = vigil_rtmp::mask_stream_key(&publish.stream_key);
        let cancel = publish.reader.canceller();
        let p = vigil_ingest::Publish {
            reader: Box::new(publish.reader),
            cancel: Box::new(move || cancel.cancel()),
        };
        match (Engine { inner }).deliver_publish(&publish.stream_key, p) {
            Ok(id) => {
                tracing::info!(camera_id = id, key = %key, peer = %publish.peer, "RTMP publish started")
            }
            Err(reason) => {
                tracing::warn!(key = %key, peer = %publish.peer, %reason, "RTMP publish dropped")
            }
        }
    }
}

fn stop_camera(camera_id: i64, r: RunningCamera, wait: Duration) {
    let RunningCamera {
        supervisor,
        recorder,
        ..
    } = r;
    let (tx, rx) = std::sync::mpsc::channel();
    let joiner = std::thread::spawn(move || {
        supervisor.stop();
        if let Some(h) = recorder {
            let _ = h.join();
        }
        let _ = tx.send(());
    });
    if rx.recv_timeout(wait).is_ok() {
        let _ = joiner.join();
    } else {
        tracing::warn!(
            camera_id,
            "camera did not stop within {wait:?}; leaving it to finish in the background"
        );
    }
}
