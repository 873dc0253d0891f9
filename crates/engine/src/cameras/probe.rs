//! "Test connection": open a source once, read its first packets and report what it sends
//! (codec, size, frame rate, audio), before the camera is saved. Failures come back as a field
//! error on the source, so the form shows them where the URL was typed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Error, FieldErrors, Result, err};
use vigil_ingest::{FileOpener, Interrupt, SourceOpener};
use vigil_media::MediaKind;

use super::{CameraService, Source, SourceInput};

/// Body of `POST /cameras/probe`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProbeRequest {
    pub source: SourceInput,
    pub username: Option<String>,
    /// Used for this probe only; never stored.
    pub password: Option<String>,
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
    pub async fn probe(&self, req: ProbeRequest) -> Result<ProbeResult> {
        let (opener, field): (Arc<dyn SourceOpener>, &str) = match req.source {
            SourceInput::Rtsp { url, transport } => {
                let parsed = url::Url::parse(url.trim())
                    .map_err(|e| field_error("source.url", format!("is not a valid URL ({e})")))?;
                if !matches!(parsed.scheme(), "rtsp" | "rtsps") {
                    return Err(field_error(
                        "source.url",
                        "must start with rtsp:// or rtsps://",
                    ));
                }
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
    pub async fn probe_saved(&self, id: i64) -> Result<ProbeResult> {
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
                    (Some(codec), crate::cameras::CameraStatus::Running) => Ok(ProbeResult {
                        codec,
                        width: status.width,
                        height: status.height,
                        fps: 0.0,
                        audio_codec: None,
                        took_ms: 0,
                    }),
                    _ => Err(field_error(
                        "source.kind",
                        "the camera is not publishing to Vigil right now",
                    )),
                }
            }
        }
    }
}

async fn run_probe(opener: Arc<dyn SourceOpener>, field: &'static str) -> Result<ProbeResult> {
    tokio::task::spawn_blocking(move || probe_blocking(opener.as_ref(), field))
        .await
        .map_err(|e| err!(Internal, "probe task: {e}"))?
}

fn probe_blocking(opener: &dyn SourceOpener, field: &str) -> Result<ProbeResult> {
    let started = Instant::now();
    let interrupt = Interrupt::with_timeout(PROBE_TIMEOUT);
    let mut source = opener
        .open(&interrupt)
        .map_err(|e| field_error(field, format!("cannot be opened: {}", e.message())))?;
    let session = source.session();
    let Some(video) = session.video_stream() else {
        return Err(field_error(field, "sends no video"));
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
    Ok(ProbeResult {
        codec,
        width,
        height,
        fps,
        audio_codec,
        took_ms: started.elapsed().as_millis() as u64,
    })
}
