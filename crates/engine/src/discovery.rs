//! Finding and reading ONVIF cameras for the camera form: a bounded WS-Discovery scan whose
//! answers go out on the event bus as they come (`discovery:found`, then `discovery:done`), and a
//! direct probe of one address with the camera's credentials (for networks where multicast does
//! not pass): device information and every media profile with its stream and snapshot URIs.
//! Both mark a device that is already a camera here. A device that cannot be read is an answer
//! (`outcome: failed`, with the camera's error code and the field to fix), as "test connection" is.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Error, ErrorCode, FieldErrors, Result};
use vigil_onvif::{Credentials, Device, DeviceInfo, Profile};

use crate::cameras::probe::ProbeFailure;
use crate::cameras::{Camera, Source};
use crate::{Engine, EventBody};

pub use vigil_onvif::discovery::Found;

/// Body of `POST /discovery/probe`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OnvifProbeRequest {
    /// `host:port` of the device's ONVIF service (port 80 when left out).
    pub address: String,
    pub username: Option<String>,
    /// Used for this probe only; never stored.
    pub password: Option<String>,
}

/// What a device is and streams.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct OnvifDevice {
    pub address: String,
    pub device: DeviceInfo,
    /// Every media profile; `recordable` ones are H.264/H.265.
    pub profiles: Vec<Profile>,
    /// The device has a PTZ service.
    pub ptz: bool,
    /// The camera here that already is this device (same serial number, or same host).
    pub camera_id: Option<i64>,
    pub took_ms: u64,
}

/// What probing a device found.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum OnvifProbeOutcome {
    Ok(OnvifDevice),
    /// `SOURCE_UNAUTHORIZED` (field `password`), `SOURCE_UNREACHABLE`, `SOURCE_INVALID` (not
    /// ONVIF), `NO_VIDEO` (no video profile), `CODEC_UNSUPPORTED` (no H.264/H.265 profile).
    Failed(ProbeFailure),
}

/// `POST /discovery/scan`'s answer.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ScanStarted {
    /// Carried by its `discovery:found` and `discovery:done` events.
    pub scan_id: u64,
    /// How long it listens for answers.
    pub seconds: u64,
    /// A scan was already running: this is that one.
    pub already_running: bool,
}

/// Scans in flight (one at a time: a second request joins the running one).
#[derive(Default)]
pub(crate) struct Scans {
    running: AtomicBool,
    last_id: AtomicU64,
}

fn host_of(address: &str) -> String {
    let a = address.trim();
    let a = a
        .strip_prefix('[')
        .and_then(|r| r.split_once(']').map(|(h, _)| h))
        .unwrap_or_else(|| a.rsplit_once(':').map_or(a, |(h, _)| h));
    a.to_ascii_lowercase()
}

/// The camera here that `serial` or `host` already is.
fn known(cams: &[Camera], serial: Option<&str>, host: &str) -> Option<i64> {
    if let Some(s) = serial.filter(|s| !s.is_empty())
        && let Some(c) = cams.iter().find(|c| c.serial_number.as_deref() == Some(s))
    {
        return Some(c.id);
    }
    cams.iter()
        .find(|c| match &c.source {
            Source::Rtsp { url, .. } => url::Url::parse(url)
                .ok()
                .and_then(|u| {
                    u.host_str()
                        .map(|h| h.trim_matches(['[', ']']).to_ascii_lowercase())
                })
                .is_some_and(|h| h == host),
            Source::Onvif { address, .. } => host_of(address) == host,
            _ => false,
        })
        .map(|c| c.id)
}

impl Engine {
    /// Read one device with the given credentials.
    pub async fn onvif_probe(&self, req: OnvifProbeRequest) -> Result<OnvifProbeOutcome> {
        let mut f = FieldErrors::new();
        if let Err(e) = vigil_onvif::check_address(&req.address) {
            f.insert("address".into(), e);
        }
        let username = vigil_base::fields::optional_text(&mut f, "username", req.username, 200);
        if req.password.as_ref().is_some_and(|p| p.len() > 1000) {
            f.insert("password".into(), "must be at most 1000 bytes".into());
        }
        if !f.is_empty() {
            return Err(Error::validation(f));
        }
        let creds = username.map(|username| Credentials {
            username,
            password: req.password.unwrap_or_default(),
        });
        let started = Instant::now();
        let took = || u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let failed = |code: ErrorCode, message: String| {
            let field = match code {
                ErrorCode::SourceUnauthorized => "password",
                _ => "address",
            };
            OnvifProbeOutcome::Failed(ProbeFailure {
                code,
                field: field.into(),
                message,
                took_ms: took(),
            })
        };
        let read = async {
            let d = Device::connect(&req.address, creds).await?;
            let info = d.information().await?;
            let profiles = d.profiles().await?;
            Ok::<_, Error>((d, info, profiles))
        };
        let (device, info, profiles) = match read.await {
            Ok(x) => x,
            Err(e) => return Ok(failed(e.code(), e.message().to_string())),
        };
        if !profiles.iter().any(|p| p.recordable) {
            return Ok(if profiles.iter().any(|p| p.encoding.is_some()) {
                let offered: Vec<String> =
                    profiles.iter().filter_map(|p| p.encoding.clone()).collect();
                failed(
                    ErrorCode::CodecUnsupported,
                    format!("no H.264 or H.265 profile (offers {})", offered.join(", ")),
                )
            } else {
                failed(ErrorCode::NoVideo, "the device has no video profile".into())
            });
        }
        let cams = self.cameras().list().await?;
        Ok(OnvifProbeOutcome::Ok(OnvifDevice {
            camera_id: known(&cams, info.serial_number.as_deref(), &host_of(&req.address)),
            address: req.address.trim().to_string(),
            ptz: device.has_ptz(),
            device: info,
            profiles,
            took_ms: took(),
        }))
    }

    /// Start a WS-Discovery scan of `seconds` (1–10): each device as it answers is a
    /// `discovery:found` event, the end a `discovery:done`. A scan already running is joined.
    pub fn onvif_scan(&self, seconds: u64) -> ScanStarted {
        let seconds = seconds.clamp(1, 10);
        let scans = &self.inner.scans;
        if scans.running.swap(true, Ordering::SeqCst) {
            return ScanStarted {
                scan_id: scans.last_id.load(Ordering::SeqCst),
                seconds,
                already_running: true,
            };
        }
        let scan_id = scans.last_id.fetch_add(1, Ordering::SeqCst) + 1;
        let engine = self.clone();
        tokio::spawn(async move {
            let cams = engine.cameras().list().await.unwrap_or_default();
            let bus = engine.events().clone();
            let emit = |f: &Found| {
                bus.emit(
                    None,
                    EventBody::DiscoveryFound {
                        scan_id,
                        camera_id: known(&cams, None, &host_of(&f.address)),
                        device: Box::new(f.clone()),
                    },
                );
            };
            let r = vigil_onvif::discovery::scan(Duration::from_secs(seconds), emit).await;
            let (found, error) = match r {
                Ok(all) => (all.len(), None),
                Err(e) => (0, Some(e.message().to_string())),
            };
            engine.inner.scans.running.store(false, Ordering::SeqCst);
            engine.events().emit(
                None,
                EventBody::DiscoveryDone {
                    scan_id,
                    found,
                    error,
                },
            );
        });
        ScanStarted {
            scan_id,
            seconds,
            already_running: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_of_addresses() {
        assert_eq!(host_of("192.168.1.20:8080"), "192.168.1.20");
        assert_eq!(host_of("Cam.Local"), "cam.local");
        assert_eq!(host_of("[fe80::1]:80"), "fe80::1");
    }
}
