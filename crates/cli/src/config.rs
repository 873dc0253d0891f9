//! Settings, from lowest to highest precedence: defaults, `DATA_DIR/config.toml`, environment
//! (`VIGIL_*`), command-line flags. The server's own keys are read here; every other key of the
//! same flat file is the engine's ([`EngineConfig`], the engine's own serde struct), handed to
//! the engine as it is. The desktop shell reads the same.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;
use vigil_engine::EngineConfig;

/// The fixed default port of `vigil serve`.
pub const DEFAULT_PORT: u16 = 7878;

/// Everything `vigil serve` (and the desktop shell) can be told.
#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Address the API listens on.
    pub listen: SocketAddr,
    /// The built web UI served at `/`.
    pub ui_dir: Option<PathBuf>,
    /// Log level when `RUST_LOG` is not set.
    pub log_level: Option<String>,
    /// Extra `Host` names to accept (a recorder box's LAN name).
    pub allowed_hosts: Vec<String>,
    /// Extra origins allowed to call the API (a Vite dev server).
    pub allowed_origins: Vec<String>,
    /// Largest request body accepted.
    pub max_body_bytes: usize,
    /// Where the RTMP push listener binds (`off` disables it). Loopback unless configured; a
    /// LAN address needs `allow_insecure_rtmp = true` (RTMP sends stream keys in clear text).
    #[serde(deserialize_with = "listen_or_off")]
    pub rtmp_listen: Option<SocketAddr>,
    /// Allow plain RTMP on a non-loopback address.
    pub allow_insecure_rtmp: bool,
    /// RTMPS: the push listener speaks TLS with the HTTPS certificate (needs `tls`).
    pub rtmp_tls: bool,
    /// HTTPS: `off` (default), `self-signed` (made once for `tls_names` and kept in the data
    /// dir), or `files` with `tls_cert` and `tls_key` (PEM). Listening beyond loopback needs it.
    pub tls: TlsMode,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Names the self-signed certificate is for [default: `allowed_hosts` without ports, and the
    /// listen address when it is a specific one].
    pub tls_names: Vec<String>,
    /// Allow plain HTTP on a non-loopback address (passwords and video in clear text; logged
    /// loudly at every start).
    pub allow_insecure_http: bool,
    /// Request headers (and a TLS handshake) must arrive within this many seconds.
    pub header_timeout_seconds: u64,
    /// Open connections one client address may hold.
    pub max_connections_per_client: usize,
    /// A live HLS view with no playlist request for this many seconds has ended (its
    /// `live_close` in the audit log).
    pub hls_view_idle_seconds: u64,
    /// Register a demo camera looping this file (`--demo`).
    #[serde(skip)]
    pub demo_footage: Option<PathBuf>,
    /// The engine's settings (data dir, cameras, recording, detection, alerts): the file's other
    /// keys, read by [`Settings::from_file`].
    #[serde(skip)]
    pub engine: EngineConfig,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            ui_dir: None,
            log_level: None,
            allowed_hosts: vec![],
            allowed_origins: vec![],
            max_body_bytes: 64 * 1024,
            // Loopback unless configured (issue 14): a LAN address is a choice, made in
            // config.toml with `rtmp_listen = "0.0.0.0:1935"` and `allow_insecure_rtmp = true`.
            rtmp_listen: Some(SocketAddr::from(([127, 0, 0, 1], 1935))),
            allow_insecure_rtmp: false,
            rtmp_tls: false,
            tls: TlsMode::Off,
            tls_cert: None,
            tls_key: None,
            tls_names: vec![],
            allow_insecure_http: false,
            header_timeout_seconds: 10,
            max_connections_per_client: 128,
            hls_view_idle_seconds: 30,
            demo_footage: None,
            engine: EngineConfig::default(),
        }
    }
}

/// The `tls` setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TlsMode {
    #[default]
    Off,
    SelfSigned,
    Files,
}

fn listen_or_off<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<SocketAddr>, D::Error> {
    let s = String::deserialize(d)?;
    if s == "off" {
        return Ok(None);
    }
    s.parse()
        .map(Some)
        .map_err(|_| serde::de::Error::custom("must be an address like 0.0.0.0:1935, or off"))
}

/// `host` of `host:port` or `[v6]:port`.
fn host_part(h: &str) -> &str {
    if let Some(rest) = h.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    h.rsplit_once(':').map_or(h, |(host, _)| host)
}

/// What the command line says (flags, and the environment variables clap reads for them).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub listen: Option<SocketAddr>,
    pub ui_dir: Option<PathBuf>,
    pub log_level: Option<String>,
    pub credential_store: Option<String>,
    pub demo_footage: Option<PathBuf>,
}

/// The per-user data dir (`~/.local/share/vigil` on Linux).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("org", "Vigil", "vigil")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".vigil"))
}

/// Look for a built UI beside the binary or in the source tree it was built from.
pub fn find_ui_dir() -> Option<PathBuf> {
    let mut candidates = vec![];
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        candidates.push(dir.join("ui"));
        candidates.push(dir.join("../share/vigil/ui"));
    }
    candidates.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../ui/dist"
    )));
    candidates
        .into_iter()
        .find(|d| d.join("index.html").is_file())
}

impl Settings {
    /// The data dir.
    pub fn data_dir(&self) -> &Path {
        &self.engine.data_dir
    }

    /// Where HTTPS's certificate comes from, if HTTPS is on.
    pub fn tls_source(&self) -> Result<Option<vigil_api::tls::TlsSource>> {
        Ok(match self.tls {
            TlsMode::Off => None,
            TlsMode::Files => {
                let (Some(cert), Some(key)) = (&self.tls_cert, &self.tls_key) else {
                    anyhow::bail!("tls = \"files\" needs tls_cert and tls_key (PEM files)");
                };
                Some(vigil_api::tls::TlsSource::Files {
                    cert: cert.clone(),
                    key: key.clone(),
                })
            }
            TlsMode::SelfSigned => {
                let mut names = self.tls_names.clone();
                if names.is_empty() {
                    names = self
                        .allowed_hosts
                        .iter()
                        .map(|h| host_part(h).to_string())
                        .collect();
                    let ip = self.listen.ip();
                    if !ip.is_unspecified() && !ip.is_loopback() {
                        names.push(ip.to_string());
                    }
                }
                Some(vigil_api::tls::TlsSource::SelfSigned {
                    dir: self.data_dir().join("tls"),
                    names,
                })
            }
        })
    }

    /// Refuse an exposure that was not asked for: plain HTTP or RTMP beyond loopback.
    pub fn check_exposure(&self) -> Result<()> {
        if !self.listen.ip().is_loopback() && self.tls == TlsMode::Off && !self.allow_insecure_http
        {
            anyhow::bail!(
                "listening on {} reaches beyond this computer, which needs HTTPS: set tls = \"self-signed\" \
                 (or tls = \"files\" with tls_cert and tls_key) in config.toml, or allow_insecure_http = true \
                 to send passwords and video unencrypted",
                self.listen
            );
        }
        if self.rtmp_tls && self.tls == TlsMode::Off {
            anyhow::bail!(
                "rtmp_tls = true uses the HTTPS certificate: set tls = \"self-signed\" or tls = \"files\" too"
            );
        }
        if let Some(r) = self.rtmp_listen
            && !r.ip().is_loopback()
            && !self.allow_insecure_rtmp
            && !self.rtmp_tls
        {
            anyhow::bail!(
                "the RTMP listener on {r} reaches beyond this computer and RTMP sends stream keys \
                 unencrypted: set rtmp_tls = true (RTMPS, with the HTTPS certificate) or \
                 allow_insecure_rtmp = true in config.toml to accept cameras pushing from the LAN, \
                 or rtmp_listen = \"127.0.0.1:1935\""
            );
        }
        Ok(())
    }

    /// `data_dir/config.toml` (if any), then the environment, then `flags`.
    pub fn load(data_dir: PathBuf, flags: Overrides) -> Result<Settings> {
        let mut s = Self::from_file(&data_dir.join("config.toml"))?;
        s.engine.data_dir = data_dir;
        s.apply_env()?;
        if let Some(l) = flags.listen {
            s.listen = l;
        }
        if let Some(d) = flags.ui_dir {
            s.ui_dir = Some(d);
        }
        if let Some(l) = flags.log_level {
            s.log_level = Some(l);
        }
        if let Some(c) = flags.credential_store {
            s.engine.credential_store = c.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        s.demo_footage = flags.demo_footage;
        if s.ui_dir.is_none() {
            s.ui_dir = find_ui_dir();
        }
        s.engine.clamp();
        Ok(s)
    }

    /// The settings of a config file (defaults if there is none). The server's keys are read
    /// into [`Settings`], the rest into [`EngineConfig`]; a key neither knows is refused, so a typo
    /// does not go unnoticed. Errors name the key.
    pub fn from_file(path: &Path) -> Result<Settings> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        let invalid = || format!("invalid {}", path.display());
        let table: toml::Table = text.parse().with_context(invalid)?;
        let mut engine_keys = vec![];
        let mut s: Settings = serde_ignored::deserialize(
            toml::Deserializer::parse(&text).with_context(invalid)?,
            |p| engine_keys.push(p.to_string()),
        )
        .with_context(invalid)?;
        let rest: toml::Table = table
            .into_iter()
            .filter(|(k, _)| engine_keys.contains(k))
            .collect();
        let rest = toml::to_string(&rest).with_context(invalid)?;
        let mut unknown = vec![];
        s.engine = serde_ignored::deserialize(
            toml::Deserializer::parse(&rest).with_context(invalid)?,
            |p| unknown.push(p.to_string()),
        )
        .with_context(invalid)?;
        if !unknown.is_empty() {
            anyhow::bail!("{}: unknown field {}", invalid(), unknown.join(", "));
        }
        Ok(s)
    }

    /// Environment variables win over the file.
    fn apply_env(&mut self) -> Result<()> {
        let e = &mut self.engine;
        if let Some(t) = var("VIGIL_TOKEN") {
            e.admin_token = Some(t);
        }
        if let Some(v) = var("VIGIL_MAX_CONCURRENT") {
            e.max_concurrent = number("VIGIL_MAX_CONCURRENT", &v)?;
        }
        for name in ["VIGIL_STREAM_MAX_CONCURRENT", "STREAM_MAX_CONCURRENT"] {
            if let Some(v) = var(name) {
                e.stream_max_concurrent = number(name, &v)?;
                break;
            }
        }
        for name in ["VIGIL_HLS_MAX_SEGMENTS", "HLS_MAX_SEGMENTS"] {
            if let Some(v) = var(name) {
                e.hls_max_segments = number(name, &v)?;
                break;
            }
        }
        if let Some(v) = var("VIGIL_RTSP_CLIENT") {
            e.rtsp_client = match v.as_str() {
                "retina" => vigil_engine::RtspClient::Retina,
                "ffmpeg" => vigil_engine::RtspClient::Ffmpeg,
                other => anyhow::bail!("VIGIL_RTSP_CLIENT must be retina or ffmpeg, not {other:?}"),
            };
        }
        if let Some(v) = var("VIGIL_RTMP_LISTEN") {
            self.rtmp_listen =
                match v.as_str() {
                    "off" => None,
                    a => Some(a.parse().context(
                        "VIGIL_RTMP_LISTEN must be an address like 0.0.0.0:1935, or off",
                    )?),
                };
        }
        let e = &mut self.engine;
        switch("VIGIL_DETECTION", &mut e.detection)?;
        if let Some(v) = var("VIGIL_MODEL") {
            e.model = Some(PathBuf::from(v));
        }
        if let Some(v) = var("VIGIL_DETECT_WORKERS") {
            e.detect_workers = number("VIGIL_DETECT_WORKERS", &v)?;
        }
        if let Some(v) = var("VIGIL_DETECT_THREADS") {
            e.detect_threads = Some(number("VIGIL_DETECT_THREADS", &v)?);
        }
        switch("VIGIL_MOTION_GATE", &mut e.motion_gate)?;
        switch("VIGIL_NOTIFICATIONS", &mut e.notifications)?;
        if let Some(v) = var("VIGIL_NOTIFY_MIN_SEVERITY") {
            e.notify_min_severity = v
                .parse()
                .map_err(|err| anyhow::anyhow!("VIGIL_NOTIFY_MIN_SEVERITY: {err}"))?;
        }
        Ok(())
    }
}

/// A set, non-empty environment variable.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn number<T: std::str::FromStr>(name: &str, v: &str) -> Result<T> {
    v.trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("{name} must be a number, not {v:?}"))
}

/// An on/off environment switch (`on`/`off`, `1`/`0`, `true`/`false`).
fn switch(name: &str, into: &mut bool) -> Result<()> {
    if let Some(v) = var(name) {
        *into = match v.trim().to_ascii_lowercase().as_str() {
            "on" | "1" | "true" | "yes" => true,
            "off" | "0" | "false" | "no" => false,
            _ => anyhow::bail!("{name} must be on or off, not {v:?}"),
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_secrets::StoreChoice;

    fn load(dir: &Path, toml: &str) -> Result<Settings> {
        std::fs::write(dir.join("config.toml"), toml).unwrap();
        Settings::load(dir.into(), Overrides::default())
    }

    #[test]
    fn file_config_is_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let s = load(
            dir.path(),
            "listen = \"127.0.0.1:9000\"\ncredential_store = \"file\"\nallowed_origins = [\"http://localhost:5173\"]\n",
        )
        .unwrap();
        assert_eq!(s.listen.port(), 9000);
        assert_eq!(s.engine.credential_store, StoreChoice::File);
        assert_eq!(s.allowed_origins, vec!["http://localhost:5173"]);
        assert_eq!(s.data_dir(), dir.path());
        // Flags win over the file.
        let s = Settings::load(
            dir.path().into(),
            Overrides {
                listen: Some("127.0.0.1:0".parse().unwrap()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(s.listen.port(), 0);

        // Detection, notification and alert settings reach the engine's config as they are.
        let s = load(
            dir.path(),
            "detection = false\nmotion_gate = false\nnotify_min_severity = \"critical\"\n\
             notify_cooldown_seconds = 0\noffline_alert_seconds = 3\nstorage_min_free_mb = 10\n\
             detect_workers = 2\nmodel = \"/opt/models/yolo.toml\"\ndetection_retention_days = 7\n\
             rtmp_listen = \"off\"\nsegment_seconds = 1\nrtsp_client = \"ffmpeg\"\n",
        )
        .unwrap();
        let e = &s.engine;
        assert!(!e.detection && !e.motion_gate);
        assert_eq!(
            e.notify_min_severity,
            vigil_engine::alerts::Severity::Critical
        );
        assert_eq!(e.notify_cooldown_seconds, 1, "clamped");
        assert_eq!(e.segment_seconds, 2, "clamped");
        assert_eq!((e.offline_alert_seconds, e.storage_min_free_mb), (3, 10));
        assert_eq!(e.detect_workers, 2);
        assert_eq!(e.detection_retention_days, 7);
        assert_eq!(e.rtsp_client, vigil_engine::RtspClient::Ffmpeg);
        assert_eq!(e.model.as_deref(), Some(Path::new("/opt/models/yolo.toml")));
        assert_eq!(s.rtmp_listen, None);

        let e = load(dir.path(), "notify_min_severity = \"loud\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("notify_min_severity"), "{e:#}");
        let e = load(dir.path(), "lisen = 1\n").unwrap_err();
        assert!(format!("{e:#}").contains("unknown field lisen"), "{e:#}");
        let e = load(dir.path(), "rtmp_listen = \"nowhere\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("or off"), "{e:#}");
    }
}
