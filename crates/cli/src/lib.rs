//! Starting Vigil: configuration (file, env, flags), logging, the engine and the API on a listener,
//! `runtime.json`, and an orderly stop. The `vigil` binary and the desktop shell both use this.

pub mod attach;
pub mod config;
pub mod logging;
pub mod owner;
pub mod sd_notify;
pub mod service;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use vigil_api::ApiConfig;
use vigil_base::shutdown::Shutdown;
use vigil_engine::cameras::{CameraCreate, CameraPatch, SourceInput};
use vigil_engine::{Engine, RunningEngine};

pub use config::{Overrides, Settings};

/// A running engine and API server.
pub struct Running {
    pub engine: Engine,
    pub url: String,
    pub addr: SocketAddr,
    /// Where the RTMP push listener is bound, if it is.
    pub rtmp_addr: Option<SocketAddr>,
    /// With HTTPS: the certificate's SHA-256 fingerprint (`AB:CD:…`).
    pub tls_fingerprint: Option<String>,
    running: Option<RunningEngine>,
    rtmp: Option<vigil_rtmp::RtmpServer>,
    shutdown: Shutdown,
    server: JoinHandle<std::io::Result<()>>,
    runtime_file: Option<PathBuf>,
}

/// What `runtime.json` holds: how local tools find the server.
#[derive(Serialize)]
struct RuntimeInfo<'a> {
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    token: Option<&'a str>,
    pid: u32,
}

/// Open the engine and start serving. `write_token` decides whether `runtime.json` carries the
/// desktop credential (the headless server does, for a desktop window that attaches to it; the
/// desktop app hands it to its own window over IPC instead). That credential is an admin's,
/// named `desktop` in the audit log, new at every start and refused from other computers: the
/// admin token (`VIGIL_TOKEN` or `DATA_DIR/admin_token`, readable only by the service's user)
/// never leaves for the group-readable file.
pub async fn start(settings: &Settings, write_token: bool) -> Result<Running> {
    settings.check_exposure()?;
    let tls = match settings.tls_source()? {
        Some(src) => Some(
            tokio::task::spawn_blocking(move || vigil_api::tls::Tls::load(&src))
                .await
                .context("TLS task")?
                .map_err(|e| anyhow::anyhow!("{e}"))?,
        ),
        None => None,
    };
    let config = settings.engine.clone();
    let engine = tokio::task::spawn_blocking(move || Engine::open(config))
        .await
        .context("engine start-up task")?
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("opening the data dir")?;

    let listener = TcpListener::bind(settings.listen).await.with_context(|| {
        format!(
            "cannot listen on {} (is another Vigil running?)",
            settings.listen
        )
    })?;
    let addr = listener.local_addr()?;
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{host}:{}", addr.port());
    if let Some(t) = &tls {
        tracing::info!(fingerprint_sha256 = %t.fingerprint_sha256, "HTTPS: compare this fingerprint with what the browser shows for the certificate");
    } else if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "PLAIN HTTP BEYOND THIS COMPUTER (allow_insecure_http = true): passwords, tokens and video cross the network unencrypted");
    }

    let mut api = ApiConfig::new(addr);
    api.extra_hosts = settings.allowed_hosts.clone();
    api.extra_origins = settings.allowed_origins.clone();
    api.max_body_bytes = settings.max_body_bytes;
    api.ui_dir = settings.ui_dir.clone();
    api.hls_view_idle =
        std::time::Duration::from_secs(settings.hls_view_idle_seconds.clamp(1, 3600));
    api.serve = vigil_api::server::ServeOptions {
        tls: tls.clone(),
        header_timeout: std::time::Duration::from_secs(
            settings.header_timeout_seconds.clamp(1, 300),
        ),
        max_per_client: settings.max_connections_per_client.max(1),
        ..Default::default()
    };

    if let Some(demo) = &settings.demo_footage {
        ensure_demo_camera(&engine, demo).await?;
    }

    let (shutdown, waiter) = Shutdown::new();
    let rtmp = match settings.rtmp_listen {
        Some(addr) => {
            let options = vigil_rtmp::RtmpOptions {
                tls: if settings.rtmp_tls {
                    tls.as_ref().map(|t| t.config.clone())
                } else {
                    None
                },
                ..Default::default()
            };
            let rtmps = options.tls.is_some();
            match vigil_rtmp::RtmpServer::bind_with(
                addr,
                engine.rtmp_handler(),
                waiter.clone(),
                options,
            )
            .await
            {
                Ok(s) => {
                    engine.set_rtmp_port(s.local_addr().port());
                    engine.set_rtmp_tls(rtmps);
                    tracing::info!(addr = %s.local_addr(), rtmps, "RTMP push listener ready");
                    Some(s)
                }
                Err(e) => {
                    tracing::warn!(%addr, error = %e, "RTMP push listener not started; push cameras cannot connect");
                    None
                }
            }
        }
        None => None,
    };
    let running = engine.start().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let tls_fingerprint = api.serve.tls.as_ref().map(|t| t.fingerprint_sha256.clone());
    let server = tokio::spawn(vigil_api::serve(listener, engine.clone(), api, waiter));
    // The alert channels listen from here on: a database restored at start-up is announced.
    engine.announce_recovery();

    let runtime_file = settings.data_dir().join("runtime.json");
    let info = RuntimeInfo {
        url: &url,
        token: write_token.then(|| engine.tokens().desktop_secret()),
        pid: std::process::id(),
    };
    write_private_json(&runtime_file, &info)?;
    tracing::info!(%url, data_dir = %settings.data_dir().display(), "Vigil API listening");
    Ok(Running {
        engine,
        url,
        addr,
        rtmp_addr: rtmp.as_ref().map(vigil_rtmp::RtmpServer::local_addr),
        tls_fingerprint,
        running: Some(running),
        rtmp,
        shutdown,
        server,
        runtime_file: Some(runtime_file),
    })
}

impl Running {
    /// The admin token.
    pub fn admin_token(&self) -> &str {
        self.engine.tokens().admin_secret()
    }

    /// The desktop credential (for the desktop window, over IPC; see [`start`]).
    pub fn desktop_token(&self) -> &str {
        self.engine.tokens().desktop_secret()
    }

    /// A handle that can ask the server to stop from elsewhere (a signal handler, a tray menu).
    pub fn shutdown_handle(&self) -> Shutdown {
        self.shutdown.clone()
    }

    /// Whether the engine is alive, for a watchdog: its background loops and storage thread
    /// running, the server task accepting, and the database writer answering within 5 s (a hung
    /// writer would stop every recorder's progress).
    pub async fn alive(&self) -> bool {
        if self.server.is_finished() || !self.running.as_ref().is_some_and(|r| r.alive()) {
            return false;
        }
        let ping = self.engine.db().write(|_| Ok(()));
        matches!(
            tokio::time::timeout(std::time::Duration::from_secs(5), ping).await,
            Ok(Ok(()))
        )
    }

    /// Wait until the server stops by itself (it only does when shut down) or fails.
    pub async fn wait(&mut self) -> Result<()> {
        (&mut self.server).await.context("server task")??;
        Ok(())
    }

    /// Stop accepting, let in-flight requests finish, stop the engine (cameras close their
    /// segments; the database is closed), remove `runtime.json`.
    pub async fn stop(mut self) -> Result<()> {
        self.shutdown.trigger();
        match tokio::time::timeout(std::time::Duration::from_secs(20), &mut self.server).await {
            Ok(r) => r.context("server task")??,
            Err(_) => {
                tracing::warn!("in-flight requests did not finish within 20 s; closing anyway")
            }
        }
        if let Some(r) = self.rtmp.take() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), r.join()).await;
        }
        if let Some(running) = self.running.take() {
            running.stop().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        if let Some(f) = self.runtime_file.take() {
            let _ = std::fs::remove_file(f);
        }
        tracing::info!("Vigil stopped cleanly");
        Ok(())
    }
}

/// Make sure the demo camera (a looping file source) exists and points at `footage`.
async fn ensure_demo_camera(engine: &Engine, footage: &Path) -> Result<()> {
    const SERIAL: &str = "VIGIL-DEMO-1";
    let footage = footage
        .canonicalize()
        .with_context(|| format!("demo footage {} not found", footage.display()))?;
    let source = SourceInput::File {
        path: footage.to_string_lossy().into_owned(),
    };
    let cams = engine
        .cameras()
        .list()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(c) = cams
        .iter()
        .find(|c| c.serial_number.as_deref() == Some(SERIAL))
    {
        engine
            .cameras()
            .update(
                c.id,
                CameraPatch {
                    source: Some(source),
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        return Ok(());
    }
    engine
        .cameras()
        .create(CameraCreate {
            name: "Demo camera".into(),
            manufacturer: Some("Vigil".into()),
            model: Some("Looping file".into()),
            serial_number: Some(SERIAL.into()),
            location: Some("Demo".into()),
            place: Some("Pedestrian walkway (OpenCV vtest footage)".into()),
            source: Some(source),
            // People walk through it: a new user sees detections and alerts at once.
            detection_enabled: Some(true),
            ..Default::default()
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    tracing::info!("demo camera created");
    Ok(())
}

fn write_private_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(value)?;
    vigil_base::fs::write_private(path, &bytes).map_err(|e| anyhow::anyhow!("{e}"))?;
    #[cfg(unix)]
    if share_group() {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o640))?;
    }
    Ok(())
}

/// `VIGIL_SHARE_GROUP=1` (set by the system service's unit): the data dir and `runtime.json` are
/// readable by the service's group, whose members' desktop windows attach to the service.
pub fn share_group() -> bool {
    std::env::var("VIGIL_SHARE_GROUP").is_ok_and(|v| v == "1")
}

/// Resolve when SIGTERM or Ctrl-C arrives.
pub async fn termination_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => tracing::info!("SIGTERM received; shutting down"),
                    _ = tokio::signal::ctrl_c() => tracing::info!("interrupt received; shutting down"),
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
