//! "Test connection": open a source once, read its first packets and report what it sends
//! (codec, size, frame rate, audio), before the camera is saved. A malformed source is a field
//! error (400). A source that cannot be opened or sends no video is an answer, not an error of the
//! request: outcome `failed` with the source's code (`SOURCE_UNREACHABLE`, `SOURCE_UNAUTHORIZED`,
//! `NO_VIDEO`, ...) and the field it is about, so the form shows it where the URL was typed.

use std::sync::Arc;

use vigil_base::{Error, ErrorCode, FieldErrors, Result};
use vigil_ingest::probe::run_probe;
use vigil_ingest::{FileOpener, SourceOpener};

use crate::Engine;
use crate::cameras::probe::{ProbeFailure, ProbeOutcome, ProbeRequest, ProbeResult};
use crate::cameras::{Source, SourceInput};

fn field_error(field: &str, message: impl Into<String>) -> Error {
    let mut f = FieldErrors::new();
    f.insert(field.into(), message.into());
    Error::validation(f)
}

impl Engine {
    /// The camera's stream status (running totals, rates, drops).
    pub async fn camera_status(&self, id: i64) -> Result<crate::StreamStatus> {
        let cam = self.cameras().get(id).await?;
        Ok(self.runtimes().status(&cam))
    }

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
                    self.runtimes().rtsp_opener_with(
                        clean.as_str(),
                        transport.unwrap_or_default(),
                        username,
                        Arc::new(move || password.clone()),
                    ),
                    "source.url",
                )
            }
            SourceInput::Onvif {
                address,
                main_profile,
                sub_profile,
                transport,
            } => {
                if address.chars().count() > 300 {
                    return Err(field_error(
                        "source.address",
                        "must be at most 300 characters",
                    ));
                }
                if main_profile.chars().count() > 64
                    || sub_profile
                        .as_ref()
                        .is_some_and(|s| s.chars().count() > 64 || s.chars().any(char::is_control))
                {
                    return Err(field_error(
                        "source.main_profile",
                        "profile tokens are at most 64 characters, without control characters",
                    ));
                }
                if let Err(e) = vigil_onvif::check_address(&address) {
                    return Err(field_error("source.address", e));
                }
                if main_profile.trim().is_empty() || main_profile.chars().any(char::is_control) {
                    return Err(field_error(
                        "source.main_profile",
                        "is required (a profile token)",
                    ));
                }
                let password = req.password.filter(|p| !p.is_empty());
                (
                    self.runtimes().onvif_opener_with(
                        address.trim(),
                        main_profile.trim(),
                        transport.unwrap_or_default(),
                        req.username.filter(|u| !u.is_empty()),
                        Arc::new(move || password.clone()),
                    ),
                    "source.address",
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
        let cam = self.cameras().get(id).await?;
        match &cam.source {
            Source::Rtsp { url, transport } => {
                let opener = self
                    .runtimes()
                    .rtsp_opener(id, url, *transport, cam.username.clone());
                run_probe(opener, "source.url").await
            }
            Source::Onvif {
                address,
                main_profile,
                transport,
                ..
            } => {
                let opener = self.runtimes().onvif_opener(
                    id,
                    address,
                    main_profile,
                    *transport,
                    cam.username.clone(),
                );
                run_probe(opener, "source.address").await
            }
            Source::File { path } => {
                run_probe(Arc::new(FileOpener { path: path.into() }), "source.path").await
            }
            Source::RtmpPush { .. } => {
                let status = self.runtimes().status(&cam);
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
