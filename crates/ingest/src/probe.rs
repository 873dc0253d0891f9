//! "Test connection" for a source: open it once, read its first packets and report what it
//! sends (codec, size, frame rate, audio) or why it could not (the source's error code and the
//! request field it is about). A failure is an answer, not an error: the probe ran, and that is
//! what it found. The camera service chooses the opener (with the camera's stored credentials or
//! the typed ones); this module only reads.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::{ErrorCode, Result, err};
use vigil_media::MediaKind;

use crate::{Interrupt, SourceOpener};

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
    /// `SOURCE_UNREACHABLE`, `SOURCE_UNAUTHORIZED`, `SOURCE_NOT_FOUND` (no stream at that path),
    /// `SOURCE_INVALID`, `CODEC_UNSUPPORTED`, `NO_VIDEO`, `STREAM_NOT_READY` (a push camera not
    /// publishing), ...
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

pub async fn run_probe(opener: Arc<dyn SourceOpener>, field: &'static str) -> Result<ProbeOutcome> {
    tokio::task::spawn_blocking(move || probe_blocking(opener.as_ref(), field))
        .await
        .map_err(|e| err!(Internal, "probe task: {e}"))?
}

pub fn probe_blocking(opener: &dyn SourceOpener, field: &str) -> Result<ProbeOutcome> {
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
                | ErrorCode::SourceNotFound
                | ErrorCode::SourceInvalid
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
