//! "Test connection": open a source once, read its first packets and report what it sends
//! (codec, size, frame rate, audio), before the camera is saved. A malformed source is a field
//! error (400). A source that cannot be opened or sends no video is an answer, not an error of the
//! request: outcome `failed` with the source's code (`SOURCE_UNREACHABLE`, `SOURCE_UNAUTHORIZED`,
//! `NO_VIDEO`, ...) and the field it is about, so the form shows it where the URL was typed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Error, ErrorCode, FieldErrors, Result, err};
use vigil_ingest::{FileOpener, Interrupt, SourceOpener};
use vigil_media::MediaKind;

use super::{CameraService, Source, SourceInput};

/// Body of `POST /cameras/probe`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbeRequest {
    /// An RTSP URL or a file (a push camera cannot be probed: it connects to Vigil).
    #[schema(value_type = ProbeSource)]
    pub source: SourceInput,
    pub username: Option<String>,
    /// Used for this probe only; never stored.
    pub password: Option<String>,
}

/// The sources a probe can open (the document's view of `ProbeRequest.source`).
#[derive(ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(dead_code)]
pub enum ProbeSource {
    Rtsp {
        #[schema(value_type = vigil_base::fields::RtspUrl)]
        url: String,
        transport: Option<super::RtspTransport>,
    },
    File {
        #[schema(pattern = "^\\s*/", max_length = 4096)]
        path: String,
    },
}

/// What a probe found.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ProbeOutcome {
    /// The source sends video: what it sends.
    Ok(ProbeResult),
    /// The source could not be opened, or sends no video.
    Failed(ProbeFailure),
}

/// Why a probe could not read a source.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProbeFailure {
    /// `SOURCE_UNREACHABLE`, `SOURCE_UNAUTHORIZED`, `SOURCE_INVALID`, `NO_VIDEO`,
    /// `STREAM_NOT_READY` (a push camera not publishing), ...
    pub code: ErrorCode,
    /// The request field it is about: `source.url`, `source.path` or `source.kind`.
    pub field: String,
    pub message: String,
    /// How long trying took.
    pub took_ms: u64,
}

/// What a source sends.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProbeResult {
    /// `h264`, `hevc`, ...
    pub codec: String,
    pub width: u32,
    pub height: u32,
    /// Frames per second: as declared, else measured over the first packets.
    pub fps: f64,
    pub audio_codec: Option<String>,
    /// How long opening and reading took.
    pub took_ms: u64,
}

/// Longest wait for a source to answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(10);
/// Video packets read to measure the frame rate when the source does not declare it.
const PROBE_PACKETS: usize = 25;

fn field_error(field: &str, message: impl Into<String>) -> Error {
    let mut f = FieldErrors::new();
    f.insert(field.into(), message.into());
    Error::validation(f)
}

impl CameraService {
    /// Probe a source given in full (a camera being added or edited).
    pub async fn probe(&self, req: ProbeRequest) -> Result<ProbeOutcome> {
        let (opener, field): (Arc<dyn SourceOpener>, &str) = match req.source {
            SourceInput::Rtsp { url, transport } => {
                let mut f = FieldErrors::new();
                let Some(parsed) = vigil_base::fields::rtsp_url(&mut f, "source.url", &url, true)
                else {
                    return Err(Error::validation(f));
                };
                let (clean, url_user, url_pass) = vigil_base::strip_url_credentials(&parsed);
                let username = req.username.filter(|u| !u.is_empty()).or(url_user);
                let password = req.password.filter(|p| !p.is_empty()).or(url_pass);
                (
                    self.runtimes.rtsp_opener_with(
                        clean.as_str(),
                        transport.unwrap_or_default(),
                        username,
                        Arc::new(move || password.clone()),
                    ),
                    "source.url",
                )
            }
            SourceInput::File { path } => {
                let p = std::path::PathBuf::from(path.trim());
                if !p.is_absolute() {
                    return Err(field_error("source.path", "must be an absolute path"));
                }
                (Arc::new(FileOpener { path: p }), "source.path")
            }
            SourceInput::RtmpPush {} => {
                return Err(field_error(
                    "source.kind",
                    "a push camera connects to Vigil: save it, point the camera at its publish URL, and its status shows when it publishes",
                ));
            }
        };
        run_probe(opener, field).await
    }

    /// Probe a saved camera with its stored credentials.
    pub async fn probe_saved(&self, id: i64) -> Result<ProbeOutcome> {
        let cam = self.get(id).await?;
        match &cam.source {
            Source::Rtsp { url, transport } => {
                let opener = self
                    .runtimes
                    .rtsp_opener(id, url, *transport, cam.username.clone());
                run_probe(opener, "source.url").await
            }
            Source::File { path } => {
                run_probe(Arc::new(FileOpener { path: path.into() }), "source.path").await
            }
            Source::RtmpPush { .. } => {
                let status = self.runtimes.status(&cam);
                match (status.codec, status.status) {
                    (Some(codec), crate::cameras::CameraStatus::Running) => {
                        Ok(ProbeOutcome::Ok(ProbeResult {
                            codec,
                            width: status.width,
                            height: status.height,
                            fps: status.fps,
                            audio_codec: None,
                            took_ms: 0,
                        }))
                    }
                    _ => Ok(ProbeOutcome::Failed(ProbeFailure {
                        code: ErrorCode::StreamNotReady,
                        field: "source.kind".into(),
                        message: "the camera is not publishing to Vigil right now".into(),
                        took_ms: 0,
                    })),
                }
            }
        }
    }
}

async fn run_probe(opener: Arc<dyn SourceOpener>, field: &'static str) -> Result<ProbeOutcome> {
    tokio::task::spawn_blocking(move || probe_blocking(opener.as_ref(), field))
        .await
        .map_err(|e| err!(Internal, "probe task: {e}"))?
}

fn probe_blocking(opener: &dyn SourceOpener, field: &str) -> Result<ProbeOutcome> {
    let started = Instant::now();
    let failed = |code: ErrorCode, message: String| {
        Ok(ProbeOutcome::Failed(ProbeFailure {
            code,
            field: field.into(),
            message,
            took_ms: started.elapsed().as_millis() as u64,
        }))
    };
    let interrupt = Interrupt::with_timeout(PROBE_TIMEOUT);
    let mut source = match opener.open(&interrupt) {
        Ok(s) => s,
        Err(e) => {
            let code = match e.code() {
                c @ (ErrorCode::SourceUnauthorized
                | ErrorCode::SourceInvalid
                | ErrorCode::SourceHasBFrames
                | ErrorCode::SourceReplyTooLarge
                | ErrorCode::CodecUnsupported
                | ErrorCode::NoVideo) => c,
                _ => ErrorCode::SourceUnreachable,
            };
            return failed(code, format!("cannot be opened: {}", e.message()));
        }
    };
    let session = source.session();
    let Some(video) = session.video_stream() else {
        return failed(ErrorCode::NoVideo, "sends no video".into());
    };
    let audio_codec = session
        .streams
        .iter()
        .find(|s| s.kind == MediaKind::Audio)
        .map(|s| s.codec.clone());
    let (codec, width, height, declared) =
        (video.codec.clone(), video.width, video.height, video.fps);
    let mut fps = declared;
    if !(fps > 0.0 && fps.is_finite()) {
        // Measure: the span of the first packets' timestamps.
        let (num, den) = video.time_base;
        let position = session.video.unwrap_or(0);
        let mut times = Vec::with_capacity(PROBE_PACKETS);
        while times.len() < PROBE_PACKETS && started.elapsed() < PROBE_TIMEOUT {
            match source.next() {
                Ok(Some(p)) if p.stream == position => {
                    if let Some(t) = p.pts.or(p.dts) {
                        times.push(t);
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
            interrupt.touch();
        }
        times.sort_unstable();
        if let (Some(first), Some(last)) = (times.first(), times.last())
            && last > first
            && den > 0
        {
            let secs = (last - first) as f64 * f64::from(num) / f64::from(den);
            fps = ((times.len() - 1) as f64 / secs * 100.0).round() / 100.0;
        }
    }
    Ok(ProbeOutcome::Ok(ProbeResult {
        codec,
        width,
        height,
        fps,
        audio_codec,
        took_ms: started.elapsed().as_millis() as u64,
    }))
}
