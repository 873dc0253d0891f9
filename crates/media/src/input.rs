//! Opening a camera source with FFmpeg and reading its packets: RTSP (TCP or UDP, credentials
//! added only at open time), a video file, or an FLV byte stream from the RTMP listener. Reads can
//! be interrupted (stop requested, stall detected) through a callback FFmpeg polls.

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use ffmpeg::codec::Parameters;
use ffmpeg::format::context::{Input, StreamIo};
use ffmpeg::media::Type;
use ffmpeg_next as ffmpeg;
use vigil_base::{ErrorKind, Result, err};

use crate::av_err;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
}

/// Where to read from.
pub enum SourceSpec {
    Rtsp {
        url: String,
        transport: Transport,
        username: Option<String>,
        password: Option<String>,
    },
    File {
        path: PathBuf,
    },
    /// An FLV byte stream (an RTMP publish).
    Flv {
        reader: Box<dyn Read + Send>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaKind {
    Video,
    Audio,
    Other,
}

/// One elementary stream of a session.
pub struct StreamInfo {
    pub index: usize,
    pub kind: MediaKind,
    pub codec_id: ffmpeg::codec::Id,
    /// FFmpeg's codec name: `h264`, `hevc`, `aac`, ...
    pub codec: String,
    pub width: u32,
    pub height: u32,
    pub sample_rate: u32,
    /// Average frame rate if the source says, else 0.
    pub fps: f64,
    /// Packet timestamps are in `num/den` seconds.
    pub time_base: (i32, i32),
    parameters: Mutex<Parameters>,
}

impl StreamInfo {
    /// A copy of the codec parameters (for a muxer).
    pub fn parameters(&self) -> Parameters {
        match self.parameters.lock() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
    /// Whether the codec configuration (SPS/PPS, VPS, AudioSpecificConfig) is known up front; when
    /// it is not, the muxer must wait for in-band parameter sets before writing its `moov`.
    #[allow(unsafe_code)]
    pub fn has_extradata(&self) -> bool {
        let p = match self.parameters.lock() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        };
        // SAFETY: `as_ptr` points at the AVCodecParameters that `p` owns and keeps alive for this
        // scope; reading one integer field does not mutate or retain it. ffmpeg-next has no accessor.
        unsafe { (*p.as_ptr()).extradata_size > 0 }
    }

    /// The codec configuration bytes (avcC, hvcC or AudioSpecificConfig for MP4-style sources,
    /// Annex B parameter sets for some others), empty when unknown.
    #[allow(unsafe_code)]
    pub fn extradata(&self) -> Vec<u8> {
        let p = match self.parameters.lock() {
            Ok(p) => p,
            Err(poisoned) => poisoned.into_inner(),
        };
        // SAFETY: the AVCodecParameters is owned by `p` and alive for this scope; `extradata`
        // points at `extradata_size` readable bytes whenever it is non-null and the size positive.
        unsafe {
            let raw = p.as_ptr();
            let (ptr, len) = ((*raw).extradata, (*raw).extradata_size);
            if ptr.is_null() || len <= 0 {
                return vec![];
            }
            std::slice::from_raw_parts(ptr, len as usize).to_vec()
        }
    }
}

/// How to describe a stream that did not come from FFmpeg's demuxer (another RTSP client).
pub struct StreamDescription<'a> {
    pub kind: MediaKind,
    pub codec_id: ffmpeg::codec::Id,
    pub width: u32,
    pub height: u32,
    pub fps: f64,
    pub sample_rate: u32,
    pub channels: u32,
    pub time_base: (i32, i32),
    /// avcC / hvcC / AudioSpecificConfig.
    pub extradata: &'a [u8],
}

impl StreamInfo {
    /// Build a stream from its codec configuration, with codec parameters a muxer accepts.
    #[allow(unsafe_code)]
    pub fn describe(index: usize, d: &StreamDescription<'_>) -> Result<StreamInfo> {
        crate::init()?;
        let mut params = Parameters::new();
        // SAFETY: `params` owns a freshly allocated AVCodecParameters (avcodec_parameters_alloc)
        // that nothing else references. The extradata buffer is allocated with av_mallocz, padded
        // as FFmpeg requires, and handed over to `params`, which frees it with the parameters.
        unsafe {
            let p = params.as_mut_ptr();
            (*p).codec_type = match d.kind {
                MediaKind::Video => ffmpeg::ffi::AVMediaType::AVMEDIA_TYPE_VIDEO,
                MediaKind::Audio => ffmpeg::ffi::AVMediaType::AVMEDIA_TYPE_AUDIO,
                MediaKind::Other => ffmpeg::ffi::AVMediaType::AVMEDIA_TYPE_DATA,
            };
            (*p).codec_id = d.codec_id.into();
            (*p).width = d.width as i32;
            (*p).height = d.height as i32;
            (*p).sample_rate = d.sample_rate as i32;
            if d.kind == MediaKind::Audio && d.channels > 0 {
                ffmpeg::ffi::av_channel_layout_default(&mut (*p).ch_layout, d.channels as i32);
            }
            if !d.extradata.is_empty() {
                let pad = ffmpeg::ffi::AV_INPUT_BUFFER_PADDING_SIZE as usize;
                let buf = ffmpeg::ffi::av_mallocz(d.extradata.len() + pad) as *mut u8;
                if buf.is_null() {
                    return Err(err!(Internal, "out of memory for codec configuration"));
                }
                std::ptr::copy_nonoverlapping(d.extradata.as_ptr(), buf, d.extradata.len());
                (*p).extradata = buf;
                (*p).extradata_size = d.extradata.len() as i32;
            }
        }
        Ok(StreamInfo {
            index,
            kind: d.kind,
            codec_id: d.codec_id,
            codec: format!("{:?}", d.codec_id).to_lowercase(),
            width: d.width,
            height: d.height,
            sample_rate: d.sample_rate,
            fps: d.fps,
            time_base: d.time_base,
            parameters: Mutex::new(params),
        })
    }
}

/// What one connection to a source carries. A reconnect makes a new session.
pub struct SessionInfo {
    pub streams: Vec<StreamInfo>,
    /// Index (into `streams`) of the main video stream.
    pub video: Option<usize>,
}

impl SessionInfo {
    pub fn new(streams: Vec<StreamInfo>) -> SessionInfo {
        let video = streams.iter().position(|s| s.kind == MediaKind::Video);
        SessionInfo { streams, video }
    }

    pub fn video_stream(&self) -> Option<&StreamInfo> {
        self.video.and_then(|i| self.streams.get(i))
    }
    /// `h264 1920x1080` style summary for logs and status.
    pub fn describe(&self) -> String {
        match self.video_stream() {
            Some(v) => format!("{} {}x{}", v.codec, v.width, v.height),
            None => "no video".into(),
        }
    }
}

/// A packet as shared between consumers (cheap to clone).
#[derive(Clone, Debug)]
pub struct MediaPacket {
    pub stream: usize,
    pub pts: Option<i64>,
    pub dts: Option<i64>,
    pub duration: i64,
    pub keyframe: bool,
    pub data: Bytes,
}

/// An open source.
pub struct Demuxer {
    ictx: Input,
    session: Arc<SessionInfo>,
    seekable: bool,
}

impl Demuxer {
    /// Open `spec`. `interrupt` is polled by FFmpeg during blocking I/O; returning true aborts it.
    pub fn open(
        spec: SourceSpec,
        interrupt: impl FnMut() -> bool + Send + 'static,
    ) -> Result<Demuxer> {
        crate::init()?;
        let (ictx, seekable) = match spec {
            SourceSpec::Rtsp {
                url,
                transport,
                username,
                password,
            } => {
                let full = with_credentials(&url, username.as_deref(), password.as_deref())?;
                let mut opts = ffmpeg::Dictionary::new();
                opts.set(
                    "rtsp_transport",
                    if transport == Transport::Tcp {
                        "tcp"
                    } else {
                        "udp"
                    },
                );
                opts.set("timeout", "10000000"); // socket I/O timeout, µs
                opts.set("analyzeduration", "3000000");
                opts.set("fflags", "+genpts");
                let ictx =
                    ffmpeg::format::input_with_interrupt_and_dictionary(&full, interrupt, opts)
                        .map_err(|e| open_error("RTSP source", e))?;
                (ictx, false)
            }
            SourceSpec::File { path } => {
                let ictx = ffmpeg::format::input_with_interrupt(&path, interrupt)
                    .map_err(|e| open_error("file source", e))?;
                (ictx, true)
            }
            SourceSpec::Flv { reader } => {
                let io = StreamIo::from_read(reader)
                    .map_err(|e| av_err(ErrorKind::Internal, "FLV reader", e))?;
                let mut opts = ffmpeg::Dictionary::new();
                opts.set("analyzeduration", "1000000");
                let ictx = ffmpeg::format::input_from_stream_with_interrupt(
                    io,
                    Some("stream.flv"),
                    Some(opts),
                    interrupt,
                )
                .map_err(|e| open_error("RTMP stream", e))?;
                (ictx, false)
            }
        };
        let session = Arc::new(describe(&ictx)?);
        Ok(Demuxer {
            ictx,
            session,
            seekable,
        })
    }

    pub fn session(&self) -> &Arc<SessionInfo> {
        &self.session
    }

    /// The next packet of a video or audio stream; `Ok(None)` at end of input.
    pub fn next_packet(&mut self) -> Result<Option<MediaPacket>> {
        loop {
            let mut p = ffmpeg::Packet::empty();
            match p.read(&mut self.ictx) {
                Ok(()) => {}
                Err(ffmpeg::Error::Eof) => return Ok(None),
                Err(ffmpeg::Error::InvalidData) => continue,
                Err(ffmpeg::Error::Exit) => {
                    return Err(err!(
                        Unavailable,
                        code = SourceInterrupted,
                        "read interrupted"
                    ));
                }
                Err(e) => return Err(av_err(ErrorKind::Unavailable, "reading from source", e)),
            }
            let stream = p.stream();
            let Some(info) = self.session.streams.get(stream) else {
                continue;
            };
            if info.kind == MediaKind::Other {
                continue;
            }
            let Some(data) = p.data() else { continue };
            if data.is_empty() {
                continue;
            }
            // Just after connecting, FFmpeg's RTSP demuxer hands over the first frames of a
            // B-frame stream with no decode time (the keyframe with no time at all): they cannot
            // be placed on a timeline, so they are skipped; consumers start at the next keyframe.
            // Audio has no reordering: its presentation time is its decode time.
            let dts = match (p.dts(), info.kind) {
                (Some(d), _) => d,
                (None, MediaKind::Audio) => match p.pts() {
                    Some(t) => t,
                    None => continue,
                },
                _ => continue,
            };
            return Ok(Some(MediaPacket {
                stream,
                pts: p.pts().or(Some(dts)),
                dts: Some(dts),
                duration: p.duration(),
                keyframe: p.is_key(),
                data: Bytes::copy_from_slice(data),
            }));
        }
    }

    /// Rewind a file source to its start (looping demo footage).
    pub fn rewind(&mut self) -> Result<()> {
        if !self.seekable {
            return Err(err!(FailedPrecondition, "source is not seekable"));
        }
        self.ictx
            .seek(0, ..)
            .map_err(|e| av_err(ErrorKind::Unavailable, "rewinding file", e))
    }
}

fn open_error(what: &str, e: ffmpeg::Error) -> vigil_base::Error {
    match e {
        ffmpeg::Error::Exit => err!(
            Unavailable,
            code = SourceInterrupted,
            "opening {what} was interrupted"
        ),
        ffmpeg::Error::InvalidData => err!(
            Unavailable,
            code = SourceInvalid,
            "{what} sent data that is not a readable stream"
        ),
        // FFmpeg's RTSP client turns the server's status into these (`ff_rtsp_averror`).
        ffmpeg::Error::HttpNotFound => err!(
            Unavailable,
            code = SourceNotFound,
            "cannot open {what}: {e}"
        ),
        ffmpeg::Error::HttpUnauthorized | ffmpeg::Error::HttpForbidden => err!(
            Unavailable,
            code = SourceUnauthorized,
            "cannot open {what}: {e}"
        ),
        e => err!(
            Unavailable,
            code = SourceUnreachable,
            "cannot open {what}: {e}"
        ),
    }
}

fn describe(ictx: &Input) -> Result<SessionInfo> {
    let mut streams = vec![];
    let mut video = None;
    for s in ictx.streams() {
        let params = s.parameters();
        let kind = match params.medium() {
            Type::Video => MediaKind::Video,
            Type::Audio => MediaKind::Audio,
            _ => MediaKind::Other,
        };
        let codec_id = params.id();
        let ctx = ffmpeg::codec::Context::from_parameters(params.clone()).ok();
        let (width, height, sample_rate) = match (ctx, kind) {
            (Some(c), MediaKind::Video) => c
                .decoder()
                .video()
                .map(|v| (v.width(), v.height(), 0))
                .unwrap_or((0, 0, 0)),
            (Some(c), MediaKind::Audio) => c
                .decoder()
                .audio()
                .map(|a| (0, 0, a.rate()))
                .unwrap_or((0, 0, 0)),
            _ => (0, 0, 0),
        };
        let rate = s.avg_frame_rate();
        let fps = if rate.denominator() != 0 {
            f64::from(rate.numerator()) / f64::from(rate.denominator())
        } else {
            0.0
        };
        let tb = s.time_base();
        if kind == MediaKind::Video && video.is_none() {
            video = Some(streams.len());
        }
        streams.push(StreamInfo {
            index: s.index(),
            kind,
            codec_id,
            codec: format!("{codec_id:?}").to_lowercase(),
            width,
            height,
            sample_rate,
            fps,
            time_base: (tb.numerator(), tb.denominator()),
            parameters: Mutex::new(params),
        });
    }
    if video.is_none() && !streams.iter().any(|s| s.kind == MediaKind::Audio) {
        return Err(err!(
            Unavailable,
            code = SourceInvalid,
            "source has no video or audio stream"
        ));
    }
    Ok(SessionInfo { streams, video })
}

/// Put user and password into an RTSP URL for FFmpeg (percent-encoded). The result is never logged.
fn with_credentials(url: &str, user: Option<&str>, pass: Option<&str>) -> Result<String> {
    let mut u = url::Url::parse(url).map_err(|e| err!(InvalidArgument, "bad source URL: {e}"))?;
    if let Some(user) = user {
        u.set_username(user)
            .map_err(|_| err!(InvalidArgument, "URL cannot carry a user"))?;
        if let Some(p) = pass {
            u.set_password(Some(p))
                .map_err(|_| err!(InvalidArgument, "URL cannot carry a password"))?;
        }
    } else if let Some(p) = pass {
        // A password without a user name: FFmpeg needs a user part; cameras ignore an empty one.
        u.set_username("").ok();
        u.set_password(Some(p))
            .map_err(|_| err!(InvalidArgument, "URL cannot carry a password"))?;
    }
    Ok(u.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_encoded_into_the_url() {
        let u = with_credentials("rtsp://cam:554/s", Some("ad min"), Some("p@ss:w/rd")).unwrap();
        assert_eq!(u, "rtsp://ad%20min:p%40ss%3Aw%2Frd@cam:554/s");
        assert_eq!(
            with_credentials("rtsp://cam/s", None, None).unwrap(),
            "rtsp://cam/s"
        );
    }

    #[test]
    fn rtsp_statuses_from_ffmpeg_are_typed() {
        use vigil_base::ErrorCode;
        let code = |e| open_error("rtsp://cam/x", e).code();
        assert_eq!(code(ffmpeg::Error::HttpNotFound), ErrorCode::SourceNotFound);
        assert_eq!(
            code(ffmpeg::Error::HttpUnauthorized),
            ErrorCode::SourceUnauthorized
        );
        assert_eq!(
            code(ffmpeg::Error::HttpForbidden),
            ErrorCode::SourceUnauthorized
        );
        assert_eq!(
            code(ffmpeg::Error::HttpOther4xx),
            ErrorCode::SourceUnreachable
        );
        assert_eq!(code(ffmpeg::Error::Exit), ErrorCode::SourceInterrupted);
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let e = Demuxer::open(
            SourceSpec::File {
                path: "/nonexistent/x.mp4".into(),
            },
            || false,
        )
        .err()
        .unwrap();
        assert_eq!(e.code(), vigil_base::ErrorCode::SourceUnreachable);
    }

    #[test]
    fn garbage_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("junk.mp4");
        std::fs::write(&p, vec![0x5au8; 4096]).unwrap();
        let e = Demuxer::open(SourceSpec::File { path: p }, || false)
            .err()
            .unwrap();
        assert!(
            matches!(
                e.code(),
                vigil_base::ErrorCode::SourceInvalid | vigil_base::ErrorCode::SourceUnreachable
            ),
            "{e:?}"
        );
    }
}
