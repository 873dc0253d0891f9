//! RTSP through Retina, a pure-Rust RTSP client, instead of FFmpeg's RTSP demuxer. Why: FFmpeg
//! reads RTP-over-TCP with a `poll` and a `recv` for each 4-byte interleave header and again for
//! each payload (about 1,400 syscalls a second for a 4 Mbit/s camera), which on its own cost about
//! two thirds of the CPU of a whole `ffmpeg -c copy` process in our benchmark. Retina reads the
//! socket in large buffers and parses many RTP packets per read. Its frames are already in the MP4
//! (length-prefixed) form, with avcC/hvcC or AudioSpecificConfig, so the same FFmpeg muxer records
//! them. RTP carries presentation times only; decode times for cameras that send B-frames come
//! from the stream's reorder depth (`decode_order.rs`), so those cameras stay on this path too.
//! FFmpeg's client stays a choice (`rtsp_client = "ffmpeg"`) for servers Retina cannot talk to.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::StreamExt;
use retina::client::{
    Credentials, Demuxed, InitialTimestampPolicy, PlayOptions, Session, SessionOptions,
    SetupOptions, TcpTransportOptions, UdpTransportOptions,
};
use retina::codec::{CodecItem, ParametersRef};
use vigil_base::{ErrorCode, Result, err};
use vigil_media::ffmpeg::codec::Id;
use vigil_media::{MediaKind, MediaPacket, SessionInfo, StreamDescription, StreamInfo, Transport};

use crate::decode_order::{Assigned, DecodeOrder};
use crate::source::{PacketSource, SourceOpener};
use crate::supervisor::Interrupt;

/// RTSP pull with Retina.
pub struct RetinaOpener {
    pub url: String,
    pub transport: Transport,
    pub username: Option<String>,
    /// Fetches the password from the credential store at open time.
    pub password: Box<dyn Fn() -> Option<String> + Send + Sync>,
    /// The reorder depth this camera showed beyond what its SPS declares (it sent a frame no
    /// decode time could be found for); kept across reconnects. 0 until then.
    pub learned_reorder: Arc<AtomicUsize>,
    /// How long each stage of opening may take ([`STAGE_TIMEOUT`] unless a test wants less).
    pub stage_timeout: Duration,
}

/// The stages of opening an RTSP session. Each has its own timeout and is named in the error,
/// so "the camera accepted the connection but did not answer DESCRIBE within 10 s" replaces a
/// camera sitting in `starting` until the open timeout says only "interrupted".
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RtspStage {
    /// The TCP connection.
    Connect,
    Describe,
    Setup,
    Play,
    /// The first video or audio frame after PLAY.
    FirstFrame,
}

impl RtspStage {
    pub fn as_str(self) -> &'static str {
        match self {
            RtspStage::Connect => "connect",
            RtspStage::Describe => "describe",
            RtspStage::Setup => "setup",
            RtspStage::Play => "play",
            RtspStage::FirstFrame => "first_frame",
        }
    }
}

/// Each stage's time limit. A camera on a LAN answers each request in milliseconds and sends
/// its first frame within a frame interval; 10 s leaves room for a slow one on a busy link and
/// stays under the supervisor's 20 s open timeout (which restarts per stage: each stage that
/// completes counts as activity).
pub const STAGE_TIMEOUT: Duration = Duration::from_secs(10);

/// The error for a stage that took longer than `limit`.
fn stage_timed_out(
    stage: RtspStage,
    limit: Duration,
    target: &str,
    udp: bool,
) -> vigil_base::Error {
    let n = limit.as_secs_f64();
    let n = if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    };
    let message = match stage {
        RtspStage::Connect => format!(
            "could not connect to {target} within {n} s (nothing answers there: a wrong address, the camera off, or a firewall dropping the connection)"
        ),
        RtspStage::Describe => {
            format!("the camera accepted the connection but did not answer DESCRIBE within {n} s")
        }
        RtspStage::Setup => format!("the camera answered DESCRIBE but not SETUP within {n} s"),
        RtspStage::Play => {
            format!("the camera accepted SETUP but did not answer PLAY within {n} s")
        }
        RtspStage::FirstFrame if udp => format!(
            "the camera answered PLAY but sent no video within {n} s (over UDP: a firewall or NAT may drop the packets; try TCP)"
        ),
        RtspStage::FirstFrame => format!("the camera answered PLAY but sent no video within {n} s"),
    };
    let code = match stage {
        RtspStage::Connect => ErrorCode::SourceUnreachable,
        _ => ErrorCode::SourceNotResponding,
    };
    err!(Unavailable, "{message}")
        .with_code(code)
        .with_details(serde_json::json!({ "stage": stage.as_str() }))
}

/// Run one stage of opening with its time limit: its own error, or `None` when it timed out.
async fn within<T>(
    limit: Duration,
    f: impl std::future::Future<Output = std::result::Result<T, retina::Error>>,
) -> std::result::Result<T, Option<vigil_base::Error>> {
    match tokio::time::timeout(limit, f).await {
        Ok(r) => r.map_err(|e| Some(unreachable(e))),
        Err(_) => Err(None),
    }
}

/// `host:port` of an RTSP URL (554 by default), for messages and the connect check.
fn target(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("?");
    let port = url
        .port()
        .unwrap_or(if url.scheme() == "rtsps" { 322 } else { 554 });
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

impl SourceOpener for RetinaOpener {
    fn open(&self, interrupt: &Interrupt) -> Result<Box<dyn PacketSource>> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| err!(Internal, "RTSP runtime: {e}"))?;
        let url =
            url::Url::parse(&self.url).map_err(|e| err!(InvalidArgument, "bad RTSP URL: {e}"))?;
        let creds = self.username.clone().map(|username| Credentials {
            username,
            password: (self.password)().unwrap_or_default(),
        });
        // RTSP over TLS carries its RTP in the same TLS connection: `rtsps://` is TCP whatever
        // the camera's transport says (RTP over UDP would go unencrypted, or need SRTP, which
        // cameras' rtsps does not use).
        let tls = url.scheme() == "rtsps";
        let transport = match self.transport {
            Transport::Udp if !tls => {
                retina::client::Transport::Udp(UdpTransportOptions::default())
            }
            _ => retina::client::Transport::Tcp(TcpTransportOptions::default()),
        };
        let i = interrupt.clone();
        let progress = interrupt.clone();
        let limit = self.stage_timeout;
        let udp = matches!(self.transport, Transport::Udp) && !tls;
        let tgt = target(&url);
        let (demuxed, map) = rt.block_on(interruptible(&i, async move {
            let opts = SessionOptions::default()
                .creds(creds)
                .user_agent(format!("Vigil/{}", env!("CARGO_PKG_VERSION")));
            let timed_out = |s| stage_timed_out(s, limit, &tgt, udp);
            let mut session = match within(limit, Session::describe(url, opts)).await {
                Ok(s) => s,
                Err(Some(e)) => return Err(e),
                Err(None) => {
                    // Which of the two hung: a second connection, only now, tells (a camera
                    // that takes it has its RTSP server up but did not answer).
                    let connects = tokio::time::timeout(
                        limit.min(Duration::from_secs(3)),
                        tokio::net::TcpStream::connect(tgt.as_str()),
                    )
                    .await
                    .is_ok_and(|r| r.is_ok());
                    return Err(timed_out(if connects {
                        RtspStage::Describe
                    } else {
                        RtspStage::Connect
                    }));
                }
            };
            progress.touch();
            let video = session
                .streams()
                .iter()
                .position(|s| s.media() == "video" && matches!(s.encoding_name(), "h264" | "h265"));
            let audio = session
                .streams()
                .iter()
                .position(|s| s.media() == "audio" && s.encoding_name() == "mpeg4-generic");
            if video.is_none() && audio.is_none() {
                let offered: Vec<String> = session
                    .streams()
                    .iter()
                    .map(|s| format!("{}/{}", s.media(), s.encoding_name()))
                    .collect();
                // Video in another codec (MJPEG, MPEG-4) is a codec Vigil cannot record; no
                // video at all is a source without video.
                let code = if session.streams().iter().any(|s| s.media() == "video") {
                    ErrorCode::CodecUnsupported
                } else {
                    ErrorCode::NoVideo
                };
                return Err(err!(
                    Unavailable,
                    "no H.264, H.265 or AAC stream (offers {})",
                    offered.join(", ")
                )
                .with_code(code));
            }
            let mut map = vec![];
            for s in [video, audio].into_iter().flatten() {
                within(
                    limit,
                    session.setup(s, SetupOptions::default().transport(transport.clone())),
                )
                .await
                .map_err(|e| e.unwrap_or_else(|| timed_out(RtspStage::Setup)))?;
                progress.touch();
                map.push(s);
            }
            let playing = within(
                limit,
                session.play(
                    PlayOptions::default().initial_timestamp(InitialTimestampPolicy::Permissive),
                ),
            )
            .await
            .map_err(|e| e.unwrap_or_else(|| timed_out(RtspStage::Play)))?;
            progress.touch();
            let demuxed = playing.demuxed().map_err(unreachable)?;
            Ok((demuxed, map))
        }))?;
        let hevc = map
            .iter()
            .map(|&i| {
                demuxed
                    .streams()
                    .get(i)
                    .is_some_and(|s| s.encoding_name() == "h265")
            })
            .collect();
        let mut src = RetinaSource {
            rt,
            demuxed: Some(demuxed),
            hevc,
            map,
            interrupt: interrupt.clone(),
            session: None,
            pending: Default::default(),
            changed: false,
            announce: None,
            order: None,
            learned_reorder: self.learned_reorder.clone(),
        };
        // Parameters are certain only once the first frame is in, and the first frames show how
        // deep the camera reorders them: read ahead before announcing the session to anyone.
        let mut video_frames = 0;
        let clock = interrupt.clock().clone();
        let first_by = clock.instant() + self.stage_timeout;
        while video_frames < LOOKAHEAD_FRAMES && src.pending.len() < 8 * LOOKAHEAD_FRAMES {
            let deadline = src.pending.is_empty().then_some(first_by);
            let Some(p) = src.read_frame(deadline).map_err(|e| match e {
                FrameWait::TimedOut => {
                    stage_timed_out(RtspStage::FirstFrame, self.stage_timeout, "", udp)
                }
                FrameWait::Failed(e) => e,
            })?
            else {
                break;
            };
            if src.is_video(p.stream) {
                video_frames += 1;
            }
            src.pending.push_back(p);
        }
        let session = src.build_session()?;
        if let Some(video) = session.video {
            src.start_decode_order(video);
        }
        src.session = Some(session);
        src.changed = false;
        Ok(Box::new(src))
    }

    fn describe(&self) -> String {
        format!("rtsp {}", vigil_base::mask_url(&self.url))
    }
}

/// Whether a length-prefixed H.265 frame holds an IRAP picture (BLA, IDR or CRA: NAL types
/// 16–23). Retina flags only IDR as a random access point, but open-GOP encoders put CRA at every
/// keyframe after the first, and a recording may start at any of them.
fn has_hevc_irap(mut data: &[u8]) -> bool {
    while data.len() >= 5 {
        let len = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
        let Some(rest) = data.get(4 + len..).filter(|_| len >= 2) else {
            break; // a truncated or empty NAL unit: trust nothing after it
        };
        if (16..=23).contains(&((data[4] >> 1) & 0x3f)) {
            return true;
        }
        data = rest;
    }
    false
}

/// A Retina error as a camera error, typed by what Retina reports (never by its text): a reply
/// over the 1 MiB bound (see vendor/retina/VIGIL.md), else by the RTSP status the server
/// answered with (see `code_for_rtsp_status`).
fn unreachable(e: retina::Error) -> vigil_base::Error {
    if e.is_message_too_large() {
        return err!(
            Unavailable,
            code = SourceReplyTooLarge,
            "the camera sent an RTSP reply over 1 MiB; refused (a broken or hostile server): {e}"
        );
    }
    err!(Unavailable, "{e}").with_code(code_for_rtsp_status(e.status_code()))
}

/// The camera error for an RTSP response status (`None`: no response at all — refused, timed
/// out, unknown host, a broken connection). 401 and 403 are a refused login; 404 is a server that
/// answered but has no stream at that path (the usual result of a wrong path in the URL).
pub(crate) fn code_for_rtsp_status(status: Option<u16>) -> ErrorCode {
    match status {
        Some(401 | 403) => ErrorCode::SourceUnauthorized,
        Some(404) => ErrorCode::SourceNotFound,
        _ => ErrorCode::SourceUnreachable,
    }
}

/// Video frames read before a session is announced: enough to see the reordering of common GOP
/// layouts (x264's B-pyramid shows its depth of 2 by the fourth frame) at 8 frames of delay to
/// the first picture.
const LOOKAHEAD_FRAMES: usize = 8;

/// Run `f`, giving up when the interrupt says so (checked every 100 ms).
async fn interruptible<T>(
    i: &Interrupt,
    f: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    tokio::pin!(f);
    let mut tick = tokio::time::interval(Duration::from_millis(100));
    loop {
        tokio::select! {
            r = &mut f => return r,
            _ = tick.tick() => {
                if i.should_abort() {
                    return Err(err!(Unavailable, code = SourceInterrupted, "interrupted"));
                }
            }
        }
    }
}

/// Why no frame came.
enum FrameWait {
    TimedOut,
    Failed(vigil_base::Error),
}

impl From<vigil_base::Error> for FrameWait {
    fn from(e: vigil_base::Error) -> Self {
        FrameWait::Failed(e)
    }
}

struct RetinaSource {
    rt: tokio::runtime::Runtime,
    /// Always `Some` until drop, where it must go inside the runtime (its teardown spawns a task).
    demuxed: Option<Demuxed>,
    /// Our stream index → Retina's.
    map: Vec<usize>,
    /// Per our stream: H.265 (whose keyframes we recognise ourselves, see `has_hevc_irap`).
    hevc: Vec<bool>,
    interrupt: Interrupt,
    session: Option<Arc<SessionInfo>>,
    pending: std::collections::VecDeque<MediaPacket>,
    changed: bool,
    announce: Option<Arc<SessionInfo>>,
    /// Decode times of the video stream (our index), from its presentation times.
    order: Option<(usize, DecodeOrder)>,
    learned_reorder: Arc<AtomicUsize>,
}

impl RetinaSource {
    /// The next frame, `None` at the end of the stream; [`FrameWait::TimedOut`] if `deadline`
    /// (on the interrupt's clock) passes first.
    ///
    /// Read pacing: a camera's RTP packets trickle in a TCP segment at a time, and being woken
    /// for each (an epoll wake per ~1.4 kB, then a park again) was the largest CPU cost left in
    /// recording. So the socket is never waited on: we take every frame that is already there
    /// without blocking, and when there is none, sleep (`Interrupt::read_pacing`: short while
    /// someone watches live, longer while only the recorder listens) while the next frames
    /// gather in the socket buffer, to be read in a few large reads. Stop requests and stalls
    /// are checked between sleeps.
    fn read_frame(
        &mut self,
        deadline: Option<std::time::Instant>,
    ) -> std::result::Result<Option<MediaPacket>, FrameWait> {
        loop {
            if let Some(frame) = self.poll_frame()? {
                return Ok(frame);
            }
            if self.interrupt.should_abort() {
                let why = if self.interrupt.stop_requested() {
                    "stopped"
                } else {
                    "no data (stalled)"
                };
                return Err(err!(Unavailable, code = SourceInterrupted, "{why}").into());
            }
            if deadline.is_some_and(|d| self.interrupt.clock().instant() >= d) {
                return Err(FrameWait::TimedOut);
            }
            self.interrupt.clock().sleep(self.interrupt.read_pacing());
        }
    }

    /// A frame that can be had without waiting (`Some(None)`: the stream ended), else `None`.
    fn poll_frame(&mut self) -> Result<Option<Option<MediaPacket>>> {
        let map = &self.map;
        let hevc = &self.hevc;
        let demuxed = self
            .demuxed
            .as_mut()
            .ok_or_else(|| err!(Internal, "RTSP session closed"))?;
        // `yield_now` makes the runtime poll its I/O driver once without blocking (learning
        // which sockets became readable while we slept) before the demuxer is polled again; if
        // the demuxer still has no frame then, the yield completes and we go back to sleep.
        let polled = self.rt.block_on(async move {
            loop {
                let item = tokio::select! {
                    biased;
                    item = demuxed.next() => item,
                    _ = tokio::task::yield_now() => return Ok(None),
                };
                match item {
                    None => return Ok(Some((None, false))),
                    Some(Err(e)) => return Err(err!(Unavailable, "RTSP: {e}")),
                    Some(Ok(CodecItem::VideoFrame(f))) => {
                        let Some(stream) = map.iter().position(|&s| s == f.stream_id()) else {
                            continue;
                        };
                        let changed = f.has_new_parameters();
                        let t = f.timestamp().elapsed();
                        let keyframe =
                            f.is_random_access_point() || (hevc[stream] && has_hevc_irap(f.data()));
                        return Ok(Some((
                            Some(MediaPacket {
                                stream,
                                pts: Some(t),
                                dts: Some(t),
                                duration: 0,
                                keyframe,
                                data: bytes::Bytes::from(f.into_data()),
                            }),
                            changed,
                        )));
                    }
                    Some(Ok(CodecItem::AudioFrame(f))) => {
                        let Some(stream) = map.iter().position(|&s| s == f.stream_id()) else {
                            continue;
                        };
                        let t = f.timestamp().elapsed();
                        return Ok(Some((
                            Some(MediaPacket {
                                stream,
                                pts: Some(t),
                                dts: Some(t),
                                duration: i64::from(f.frame_length().get()),
                                keyframe: true,
                                data: bytes::Bytes::copy_from_slice(f.data()),
                            }),
                            false,
                        )));
                    }
                    Some(Ok(_)) => continue,
                }
            }
        })?;
        Ok(polled.map(|(pkt, changed)| {
            self.changed |= changed;
            pkt
        }))
    }

    /// Decode times for the video stream `video`: its reorder depth is the larger of what its
    /// SPS declares, what this camera showed on an earlier connection and what the frames read
    /// ahead show; those frames get their times here.
    fn start_decode_order(&mut self, video: usize) {
        let params = self
            .demuxed
            .as_ref()
            .and_then(|d| d.streams().get(*self.map.get(video)?))
            .map(|s| (s.clock_rate_hz(), s.parameters()));
        let (declared, frame) = match params {
            Some((clock, Some(ParametersRef::Video(v)))) => (
                v.max_num_reorder_frames(),
                // frame_rate() is (ticks of a 1 Hz clock per frame, frames): scaled to the clock.
                v.frame_rate()
                    .filter(|&(n, d)| n > 0 && d > 0)
                    .map(|(n, d)| i64::from(clock) * i64::from(n) / i64::from(d)),
            ),
            _ => (None, None),
        };
        let learned = self.learned_reorder.load(Ordering::Relaxed);
        let declared = match declared {
            Some(d) => Some(d.max(learned as u32)),
            None if learned > 0 => Some(learned as u32),
            None => None,
        };
        let first: Vec<i64> = self
            .pending
            .iter()
            .filter(|p| p.stream == video)
            .map(|p| p.pts.unwrap_or(0))
            .collect();
        let mut order = DecodeOrder::new(declared, &first, frame);
        if order.depth() > 0 {
            tracing::info!(
                depth = order.depth(),
                declared,
                "camera sends B-frames; decode times from a reorder depth of {}",
                order.depth()
            );
        }
        // The read-ahead frames set the depth, so none of them can need a deeper one.
        for p in self.pending.iter_mut().filter(|p| p.stream == video) {
            if let Assigned::Times { pts, dts } = order.assign(p.pts.unwrap_or(0)) {
                p.pts = Some(pts);
                p.dts = Some(dts);
            }
        }
        self.order = Some((video, order));
    }

    /// A frame read after the session started, with its decode time if it is video. A frame
    /// that shows the camera reorders deeper than the depth in use ends the connection: the
    /// depth is kept for the next one, which the supervisor opens after its usual short backoff.
    fn decode_time(&mut self, mut p: MediaPacket) -> Result<MediaPacket> {
        let Some((video, order)) = self.order.as_mut() else {
            return Ok(p);
        };
        if p.stream != *video {
            return Ok(p);
        }
        match order.assign(p.pts.unwrap_or(0)) {
            Assigned::Times { pts, dts } => {
                p.pts = Some(pts);
                p.dts = Some(dts);
                Ok(p)
            }
            Assigned::Deeper(depth) => {
                let was = order.depth();
                self.learned_reorder.fetch_max(depth, Ordering::Relaxed);
                tracing::warn!(
                    was,
                    depth,
                    "camera reorders frames deeper than it declared; reconnecting with depth {depth}"
                );
                Err(err!(
                    Unavailable,
                    code = SourceReorderDeeper,
                    "the camera reordered frames {depth} deep, more than the {was} it declared; reconnecting with that depth"
                ))
            }
        }
    }

    fn is_video(&self, stream: usize) -> bool {
        let Some(d) = self.demuxed.as_ref() else {
            return false;
        };
        self.map
            .get(stream)
            .and_then(|&i| d.streams().get(i))
            .is_some_and(|s| s.media() == "video")
    }

    fn build_session(&self) -> Result<Arc<SessionInfo>> {
        let streams = self
            .demuxed
            .as_ref()
            .ok_or_else(|| err!(Internal, "RTSP session closed"))?
            .streams();
        let mut out = vec![];
        for (ours, &theirs) in self.map.iter().enumerate() {
            let s = &streams[theirs];
            let clock = s.clock_rate_hz() as i32;
            let info = match s.parameters() {
                Some(ParametersRef::Video(v)) => {
                    let (w, h) = v.pixel_dimensions();
                    let fps = v
                        .frame_rate()
                        .map(|(n, d)| f64::from(d) / f64::from(n.max(1)))
                        .unwrap_or(0.0);
                    let codec_id = if s.encoding_name() == "h265" {
                        Id::HEVC
                    } else {
                        Id::H264
                    };
                    StreamInfo::describe(
                        ours,
                        &StreamDescription {
                            kind: MediaKind::Video,
                            codec_id,
                            width: w,
                            height: h,
                            fps,
                            sample_rate: 0,
                            channels: 0,
                            time_base: (1, clock),
                            extradata: v.extra_data(),
                        },
                    )?
                }
                Some(ParametersRef::Audio(a)) => StreamInfo::describe(
                    ours,
                    &StreamDescription {
                        kind: MediaKind::Audio,
                        codec_id: Id::AAC,
                        width: 0,
                        height: 0,
                        fps: 0.0,
                        sample_rate: a.clock_rate(),
                        channels: u32::from(a.channels().get()),
                        time_base: (1, clock),
                        extradata: a.extra_data(),
                    },
                )?,
                _ => {
                    return Err(err!(
                        Unavailable,
                        code = SourceInvalid,
                        "stream {theirs} has no codec parameters yet"
                    ));
                }
            };
            out.push(info);
        }
        Ok(Arc::new(SessionInfo::new(out)))
    }
}

impl Drop for RetinaSource {
    fn drop(&mut self) {
        let _in_runtime = self.rt.enter();
        drop(self.demuxed.take());
    }
}

impl PacketSource for RetinaSource {
    fn session(&self) -> Arc<SessionInfo> {
        match &self.session {
            Some(s) => s.clone(),
            None => Arc::new(SessionInfo::new(vec![])),
        }
    }

    fn next(&mut self) -> Result<Option<MediaPacket>> {
        if let Some(p) = self.pending.pop_front() {
            return Ok(Some(p));
        }
        let p = match self.read_frame(None) {
            Ok(p) => p,
            Err(FrameWait::Failed(e)) => return Err(e),
            Err(FrameWait::TimedOut) => return Err(err!(Internal, "no deadline, yet timed out")),
        };
        let p = match p {
            Some(pk) => Some(self.decode_time(pk)?),
            None => None,
        };
        if self.changed {
            // The camera changed its parameters (resolution, codec settings): this frame starts a
            // new session for consumers.
            self.changed = false;
            let s = self.build_session()?;
            self.session = Some(s.clone());
            self.announce = Some(s);
        }
        Ok(p)
    }

    fn take_new_session(&mut self) -> Option<Arc<SessionInfo>> {
        self.announce.take()
    }
}

#[cfg(test)]
mod tests;
