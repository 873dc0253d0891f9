//! ONVIF for IP cameras, as NVRs use it: find devices on the LAN (WS-Discovery, [`discovery`]),
//! read what a device is (GetDeviceInformation), what it streams (GetProfiles, with GetStreamUri
//! and GetSnapshotUri per profile: codec, resolution, frame rate, bit rate) and steer it (PTZ:
//! continuous move, stop, presets). SOAP 1.2 with a WS-Security digest ([`soap`]), the Created
//! time taken from the device's own clock (GetSystemDateAndTime, which needs no credentials) so a
//! camera whose clock is off still accepts us, as ONVIF Core §5.12.2 advises.
//!
//! Errors are a camera's (`vigil_base::ErrorCode`): `SOURCE_UNAUTHORIZED` for a refused user or
//! password, `SOURCE_UNREACHABLE` when nothing answers, `SOURCE_INVALID` for something that is not
//! ONVIF, `NO_VIDEO` for a device without an H.264/H.265 profile.

pub mod discovery;
pub mod soap;

use std::time::Duration;

use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::{Result, err};

pub use soap::Credentials;
use soap::{child, children, escape, find, text_at};

/// What the device says it is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct DeviceInfo {
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub firmware: Option<String>,
    pub serial_number: Option<String>,
    pub hardware_id: Option<String>,
}

/// One media profile: a stream the device offers.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Profile {
    /// The device's name for it (`ProfileToken`), what a camera source refers to.
    pub token: String,
    pub name: String,
    /// `H264`, `H265`, `JPEG`, … as the device says.
    pub encoding: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fps: Option<f32>,
    pub bitrate_kbps: Option<u32>,
    /// The RTSP URI (credentials, if the device put any in it, masked).
    pub stream_uri: Option<String>,
    pub snapshot_uri: Option<String>,
    /// The profile has a PTZ configuration.
    pub ptz: bool,
    /// H.264 or H.265: Vigil can record it.
    pub recordable: bool,
}

/// A PTZ preset.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Preset {
    pub token: String,
    pub name: String,
}

/// Whether `address` has the form of an ONVIF service's address: a host name or IPv4 address, or
/// an IPv6 address in brackets, and an optional port 1–65535 (the API document's pattern for
/// `address` says the same). Whether the host exists is found when connecting.
pub fn check_address(address: &str) -> std::result::Result<(), String> {
    let a = address.trim();
    let bad = || {
        Err("must be host or host:port, e.g. 192.168.1.20:8080 (the user name and password have their own fields)".to_string())
    };
    // The host is checked where it is split off; what is left to check is the port.
    let port = if let Some(rest) = a.strip_prefix('[') {
        let Some((h, tail)) = rest.split_once(']') else {
            return bad();
        };
        if h.is_empty()
            || !h
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        {
            return bad();
        }
        match tail {
            "" => None,
            t => match t.strip_prefix(':') {
                Some(p) => Some(p),
                None => return bad(),
            },
        }
    } else {
        let (h, p) = match a.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (a, None),
        };
        if h.is_empty()
            || !h
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return bad();
        }
        p
    };
    if let Some(p) = port {
        let ok = !p.is_empty()
            && p.len() <= 5
            && !p.starts_with('0')
            && p.chars().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65535).contains(&n));
        if !ok {
            return Err("the port must be 1–65535".into());
        }
    }
    Ok(())
}

/// The device service's URL for `address`: `host:port` (or `host`, port 80), or a full
/// `http(s)://…` URL as WS-Discovery gives.
pub fn device_url(address: &str) -> Result<String> {
    let a = address.trim();
    if a.starts_with("http://") || a.starts_with("https://") {
        return reqwest::Url::parse(a)
            .map(|u| u.to_string())
            .map_err(|e| err!(InvalidArgument, "{a:?} is not a URL: {e}"));
    }
    if a.is_empty() || a.contains(['@', '/', ' ', '?', '#']) {
        return Err(err!(
            InvalidArgument,
            "the address must be host or host:port (the user name and password have their own fields)"
        ));
    }
    let u = format!("http://{a}/onvif/device_service");
    reqwest::Url::parse(&u)
        .map(|u| u.to_string())
        .map_err(|e| err!(InvalidArgument, "{a:?} is not host:port: {e}"))
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// A device, ready for calls.
#[derive(Clone)]
pub struct Device {
    http: reqwest::Client,
    device_url: String,
    media_url: String,
    ptz_url: Option<String>,
    creds: Option<Credentials>,
    /// The device's clock minus ours, for WS-Security's Created.
    offset_ms: i64,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("device_url", &self.device_url)
            .field("media_url", &self.media_url)
            .field("ptz_url", &self.ptz_url)
            .finish_non_exhaustive()
    }
}

impl Device {
    /// Reach the device at `address` (see [`device_url`]): its clock, then its services
    /// (GetCapabilities, authenticated, so a wrong password fails here).
    pub async fn connect(address: &str, creds: Option<Credentials>) -> Result<Device> {
        let device_url = device_url(address)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(8))
            .build()
            .map_err(|e| err!(Internal, "HTTP client: {e}"))?;
        let mut d = Device {
            http,
            media_url: device_url.clone(),
            device_url,
            ptz_url: None,
            creds,
            offset_ms: 0,
        };
        d.offset_ms = d.clock_offset().await.unwrap_or(0);
        let caps = d
            .call_at(
                &d.device_url,
                "<tds:GetCapabilities><tds:Category>All</tds:Category></tds:GetCapabilities>",
            )
            .await?;
        let doc = parse(&caps)?;
        let xaddr = |service: &'static str| {
            find(doc.root(), "Capabilities")
                .and_then(|c| child(c, service))
                .and_then(|s| text_at(s, &["XAddr"]))
        };
        if let Some(m) = xaddr("Media") {
            d.media_url = d.same_host(&m);
        }
        d.ptz_url = xaddr("PTZ").map(|p| d.same_host(&p));
        Ok(d)
    }

    /// A service URL as the device gave it, but on the host and port we reached it at: devices
    /// behind NAT or with several addresses often name an address we cannot reach.
    fn same_host(&self, xaddr: &str) -> String {
        match (
            reqwest::Url::parse(&self.device_url),
            reqwest::Url::parse(xaddr),
        ) {
            (Ok(base), Ok(mut x)) => {
                let _ = x.set_host(base.host_str());
                let _ = x.set_port(base.port());
                x.to_string()
            }
            _ => xaddr.to_string(),
        }
    }

    /// The device's clock minus ours (GetSystemDateAndTime needs no credentials).
    async fn clock_offset(&self) -> Result<i64> {
        let body = soap::envelope("<tds:GetSystemDateAndTime/>", None, "");
        let xml = soap::call(&self.http, &self.device_url, body).await?;
        let doc = parse(&xml)?;
        let utc =
            find(doc.root(), "UTCDateTime").ok_or_else(|| err!(Unavailable, "no UTCDateTime"))?;
        let n = |path: &[&'static str]| -> Option<i64> { text_at(utc, path)?.parse().ok() };
        let (y, mo, d) = (
            n(&["Date", "Year"]),
            n(&["Date", "Month"]),
            n(&["Date", "Day"]),
        );
        let (h, mi, s) = (
            n(&["Time", "Hour"]),
            n(&["Time", "Minute"]),
            n(&["Time", "Second"]),
        );
        match (y, mo, d, h, mi, s) {
            (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(s)) => {
                let device = (days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s) * 1000;
                Ok(device - now_ms())
            }
            _ => Err(err!(Unavailable, "incomplete UTCDateTime")),
        }
    }

    async fn call_at(&self, url: &str, body: &str) -> Result<String> {
        let created = vigil_base::format_rfc3339_ms(now_ms() + self.offset_ms);
        let envelope = soap::envelope(body, self.creds.as_ref(), &created);
        soap::call(&self.http, url, envelope).await
    }

    /// Manufacturer, model, firmware, serial number.
    pub async fn information(&self) -> Result<DeviceInfo> {
        let xml = self
            .call_at(&self.device_url, "<tds:GetDeviceInformation/>")
            .await?;
        let doc = parse(&xml)?;
        let r = find(doc.root(), "GetDeviceInformationResponse").ok_or_else(|| {
            err!(
                Unavailable,
                code = SourceInvalid,
                "no GetDeviceInformationResponse"
            )
        })?;
        Ok(DeviceInfo {
            manufacturer: text_at(r, &["Manufacturer"]),
            model: text_at(r, &["Model"]),
            firmware: text_at(r, &["FirmwareVersion"]),
            serial_number: text_at(r, &["SerialNumber"]),
            hardware_id: text_at(r, &["HardwareId"]),
        })
    }

    /// Every media profile, with its stream and snapshot URIs.
    pub async fn profiles(&self) -> Result<Vec<Profile>> {
        let xml = self.call_at(&self.media_url, "<trt:GetProfiles/>").await?;
        let doc = parse(&xml)?;
        let mut out = vec![];
        let Some(resp) = find(doc.root(), "GetProfilesResponse") else {
            return Err(err!(
                Unavailable,
                code = SourceInvalid,
                "no GetProfilesResponse"
            ));
        };
        for p in children(resp, "Profiles") {
            let Some(token) = p.attribute("token").map(str::to_string) else {
                continue;
            };
            let venc = child(p, "VideoEncoderConfiguration");
            let num = |path: &[&'static str]| venc.and_then(|v| text_at(v, path));
            let encoding = num(&["Encoding"]);
            out.push(Profile {
                name: text_at(p, &["Name"]).unwrap_or_else(|| token.clone()),
                recordable: encoding.as_deref().is_some_and(|e| {
                    matches!(e.to_ascii_uppercase().as_str(), "H264" | "H265" | "HEVC")
                }),
                encoding,
                width: num(&["Resolution", "Width"]).and_then(|v| v.parse().ok()),
                height: num(&["Resolution", "Height"]).and_then(|v| v.parse().ok()),
                fps: num(&["RateControl", "FrameRateLimit"]).and_then(|v| v.parse().ok()),
                bitrate_kbps: num(&["RateControl", "BitrateLimit"]).and_then(|v| v.parse().ok()),
                stream_uri: None,
                snapshot_uri: None,
                ptz: child(p, "PTZConfiguration").is_some(),
                token,
            });
        }
        for p in &mut out {
            p.stream_uri = self
                .stream_uri(&p.token)
                .await
                .ok()
                .map(|u| vigil_base::mask_url(&u));
            p.snapshot_uri = self.snapshot_uri(&p.token).await.ok();
        }
        Ok(out)
    }

    /// The RTSP URI of a profile (as the device gives it; Vigil adds the credentials itself).
    pub async fn stream_uri(&self, profile: &str) -> Result<String> {
        let body = format!(
            "<trt:GetStreamUri><trt:StreamSetup><tt:Stream>RTP-Unicast</tt:Stream><tt:Transport>\
             <tt:Protocol>RTSP</tt:Protocol></tt:Transport></trt:StreamSetup>\
             <trt:ProfileToken>{}</trt:ProfileToken></trt:GetStreamUri>",
            escape(profile)
        );
        let xml = self.call_at(&self.media_url, &body).await?;
        uri_of(&xml)
    }

    /// The JPEG snapshot URI of a profile.
    pub async fn snapshot_uri(&self, profile: &str) -> Result<String> {
        let body = format!(
            "<trt:GetSnapshotUri><trt:ProfileToken>{}</trt:ProfileToken></trt:GetSnapshotUri>",
            escape(profile)
        );
        let xml = self.call_at(&self.media_url, &body).await?;
        uri_of(&xml)
    }

    /// Whether the device has a PTZ service.
    pub fn has_ptz(&self) -> bool {
        self.ptz_url.is_some()
    }

    fn ptz(&self) -> Result<&str> {
        self.ptz_url.as_deref().ok_or_else(|| {
            err!(
                FailedPrecondition,
                code = SourceNotFound,
                "this camera has no PTZ service"
            )
        })
    }

    /// Move at the given speeds (each −1…1) until [`Device::ptz_stop`].
    pub async fn ptz_move(&self, profile: &str, pan: f32, tilt: f32, zoom: f32) -> Result<()> {
        let c = |v: f32| v.clamp(-1.0, 1.0);
        let body = format!(
            "<tptz:ContinuousMove><tptz:ProfileToken>{}</tptz:ProfileToken><tptz:Velocity>\
             <tt:PanTilt x=\"{}\" y=\"{}\"/><tt:Zoom x=\"{}\"/></tptz:Velocity></tptz:ContinuousMove>",
            escape(profile),
            c(pan),
            c(tilt),
            c(zoom)
        );
        self.call_at(self.ptz()?, &body).await.map(drop)
    }

    pub async fn ptz_stop(&self, profile: &str) -> Result<()> {
        let body = format!(
            "<tptz:Stop><tptz:ProfileToken>{}</tptz:ProfileToken><tptz:PanTilt>true</tptz:PanTilt>\
             <tptz:Zoom>true</tptz:Zoom></tptz:Stop>",
            escape(profile)
        );
        self.call_at(self.ptz()?, &body).await.map(drop)
    }

    pub async fn presets(&self, profile: &str) -> Result<Vec<Preset>> {
        let body = format!(
            "<tptz:GetPresets><tptz:ProfileToken>{}</tptz:ProfileToken></tptz:GetPresets>",
            escape(profile)
        );
        let xml = self.call_at(self.ptz()?, &body).await?;
        let doc = parse(&xml)?;
        let Some(r) = find(doc.root(), "GetPresetsResponse") else {
            return Err(err!(
                Unavailable,
                code = SourceInvalid,
                "no GetPresetsResponse"
            ));
        };
        Ok(children(r, "Preset")
            .filter_map(|p| {
                let token = p.attribute("token")?.to_string();
                Some(Preset {
                    name: text_at(p, &["Name"]).unwrap_or_else(|| token.clone()),
                    token,
                })
            })
            .collect())
    }

    pub async fn goto_preset(&self, profile: &str, preset: &str) -> Result<()> {
        let body = format!(
            "<tptz:GotoPreset><tptz:ProfileToken>{}</tptz:ProfileToken>\
             <tptz:PresetToken>{}</tptz:PresetToken></tptz:GotoPreset>",
            escape(profile),
            escape(preset)
        );
        self.call_at(self.ptz()?, &body).await.map(drop)
    }

    /// Save the current position as a preset named `name`; its token.
    pub async fn set_preset(&self, profile: &str, name: &str) -> Result<String> {
        let body = format!(
            "<tptz:SetPreset><tptz:ProfileToken>{}</tptz:ProfileToken>\
             <tptz:PresetName>{}</tptz:PresetName></tptz:SetPreset>",
            escape(profile),
            escape(name)
        );
        let xml = self.call_at(self.ptz()?, &body).await?;
        let doc = parse(&xml)?;
        find(doc.root(), "PresetToken")
            .and_then(|t| t.text())
            .map(|t| t.trim().to_string())
            .ok_or_else(|| {
                err!(
                    Unavailable,
                    code = SourceInvalid,
                    "no PresetToken in the answer"
                )
            })
    }
}

fn parse(xml: &str) -> Result<roxmltree::Document<'_>> {
    roxmltree::Document::parse(xml)
        .map_err(|e| err!(Unavailable, code = SourceInvalid, "not XML: {e}"))
}

fn uri_of(xml: &str) -> Result<String> {
    let doc = parse(xml)?;
    find(doc.root(), "MediaUri")
        .and_then(|m| text_at(m, &["Uri"]))
        .ok_or_else(|| {
            err!(
                Unavailable,
                code = SourceInvalid,
                "no MediaUri in the answer"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_device_service_urls() {
        assert_eq!(
            device_url("192.168.1.20:8080").unwrap(),
            "http://192.168.1.20:8080/onvif/device_service"
        );
        assert_eq!(
            device_url("cam.local").unwrap(),
            "http://cam.local/onvif/device_service"
        );
        assert_eq!(
            device_url("http://10.0.0.2/onvif/device_service").unwrap(),
            "http://10.0.0.2/onvif/device_service"
        );
        for bad in ["", "admin:pw@cam", "cam/x", "a b"] {
            assert!(device_url(bad).is_err(), "{bad:?}");
        }
        for ok in [
            "cam.local",
            " 10.0.0.2:8080 ",
            "[fe80::1]:80",
            "[::1]",
            "a_b-c:65535",
        ] {
            assert_eq!(check_address(ok), Ok(()), "{ok:?}");
        }
        for bad in [
            "",
            "a b",
            "x@y",
            "cam:0",
            "cam:65536",
            "cam:080",
            "cam:",
            "[::1",
            "[x]",
            "a/b",
            "cam:1:2",
        ] {
            assert!(check_address(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn civil_dates_count_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 12, 4), 20_791);
    }
}
