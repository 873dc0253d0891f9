//! One measurement against the real `vigil serve` (release) with detection on: N RTSP cameras of
//! a clip from the GStreamer RTSP server, a warm-up, then a window over which the bench takes the
//! vigil process's CPU (/proc), the per-camera detection counters (`GET /detection/status`), the
//! `detection` messages of `/api/v1/events` (their `latency_ms`) and, at the end, the recorder's
//! dropped packets (`GET /cameras/{id}/status`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::live::{now_ms, ws_connect};
use crate::{Rtsp, Vigil, procstat};

/// The per-camera counters of `GET /detection/status` the bench reads.
pub const COUNTERS: &[&str] = &[
    "frames_decoded",
    "frames_sampled",
    "frames_with_motion",
    "frames_still",
    "frames_dropped_busy",
    "inferences",
    "objects",
    "detections",
    "events",
    "decode_errors",
];

pub struct Setup<'a> {
    pub clip: &'a Path,
    pub cameras: usize,
    pub detect_fps: u32,
    pub motion_gate: bool,
    pub threads: usize,
    /// The cameras' detection filter (`PUT /cameras/{id}/detection`); None keeps the default
    /// (people and vehicles, score ≥ 0.5).
    pub filter: Option<Value>,
    pub warmup: Duration,
    pub window: Duration,
}

/// What one window measured.
#[derive(Debug, Default)]
pub struct Window {
    pub secs: f64,
    /// vigil's user + system CPU over the window, % of one core.
    pub cpu_pct: f64,
    /// Counter increases over the window, summed over the cameras.
    pub delta: HashMap<&'static str, u64>,
    /// `latency_ms` of the `detection` messages received in the window.
    pub latencies: Vec<f64>,
    /// `detection_event:start` messages received in the window.
    pub event_starts: usize,
    /// Packets the recorders dropped, whole run, all cameras.
    pub recorder_drops: u64,
    /// Mean inference time the server reports at the end, ms.
    pub inference_ms: f64,
    pub lagged: u64,
    /// CPU of every process but vigil, the RTSP server and the bench during the window, % of
    /// one core: how busy the rest of the (shared) machine was.
    pub other_pct: f64,
}

impl Window {
    pub fn get(&self, k: &str) -> u64 {
        self.delta.get(k).copied().unwrap_or(0)
    }
    pub fn rate(&self, k: &str) -> f64 {
        self.get(k) as f64 / self.secs
    }
}

/// What the events socket saw: (receive wall ms, type, latency_ms).
type Log = Arc<Mutex<Vec<(f64, String, f64)>>>;

async fn collect(mut ws: crate::live::Ws, log: Log, lagged: Arc<Mutex<u64>>) {
    while let Some(Ok(m)) = ws.next().await {
        let Message::Text(t) = m else { continue };
        let v: Value = serde_json::from_str(t.as_str()).unwrap_or(Value::Null);
        let kind = v["type"].as_str().unwrap_or("");
        match kind {
            "detection" | "detection_event:start" => {
                let lat = v["latency_ms"].as_f64().unwrap_or(f64::NAN);
                if let Ok(mut l) = log.lock() {
                    l.push((now_ms(), kind.to_string(), lat));
                }
            }
            "events:lagged" => {
                if let Ok(mut l) = lagged.lock() {
                    *l += v["missed"].as_u64().unwrap_or(1);
                }
            }
            _ => {}
        }
    }
}

async fn detection_status(v: &Vigil) -> Result<Value> {
    let s = v
        .call(reqwest::Method::GET, "/api/v1/detection/status", None)
        .await?;
    Ok(s["data"].clone())
}

/// Counters summed over the cameras, and how many detectors run.
fn sum_counters(status: &Value) -> (HashMap<&'static str, u64>, usize) {
    let mut m = HashMap::new();
    let mut running = 0;
    for cam in status["cameras"].as_array().into_iter().flatten() {
        running += usize::from(cam["running"].as_bool().unwrap_or(false));
        for k in COUNTERS {
            *m.entry(*k).or_insert(0) += cam[*k].as_u64().unwrap_or(0);
        }
    }
    (m, running)
}

async fn wait_ready(v: &Vigil) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let s = detection_status(v).await?;
        match s["state"].as_str() {
            Some("ready") => return Ok(()),
            Some("unavailable") | Some("disabled") => {
                bail!("detection is {}: {}", s["state"], s["message"])
            }
            _ if Instant::now() > deadline => bail!("detection did not get ready: {s}"),
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn wait_detectors(v: &Vigil, n: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let s = detection_status(v).await?;
        let (c, running) = sum_counters(&s);
        if running == n && c["frames_decoded"] > 0 {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("{running} of {n} detectors running: {s}");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

pub async fn measure(s: &Setup<'_>) -> Result<Window> {
    procstat::wait_quiet(super::QUIET_PCT, super::QUIET_WAIT)?;
    let rtsp = Rtsp::start(s.clip, s.cameras)?;
    let threads = s.threads.to_string();
    let v = Vigil::start_env(
        "segment_seconds = 60\n",
        &[
            ("VIGIL_NOTIFICATIONS", "off"),
            ("VIGIL_DETECTION", "on"),
            ("VIGIL_DETECT_THREADS", &threads),
            (
                "VIGIL_MOTION_GATE",
                if s.motion_gate { "on" } else { "off" },
            ),
        ],
    )?;
    wait_ready(&v).await?;
    let log: Log = Arc::default();
    let lagged = Arc::new(Mutex::new(0u64));
    let ws = ws_connect(&v, "/api/v1/events").await?;
    let reader = tokio::spawn(collect(ws, log.clone(), lagged.clone()));
    let mut ids = vec![];
    for i in 0..s.cameras {
        let c = v
            .call(
                reqwest::Method::POST,
                "/api/v1/cameras",
                Some(json!({
                    "name": format!("cam{i}"),
                    "detection_enabled": true,
                    "detect_fps": s.detect_fps,
                    "source": {"kind": "rtsp", "url": rtsp.url(i)},
                })),
            )
            .await?;
        let id = c["data"]["id"].as_i64().context("camera id")?;
        if let Some(filter) = &s.filter {
            v.call(
                reqwest::Method::PUT,
                &format!("/api/v1/cameras/{id}/detection"),
                Some(json!({ "filter": filter })),
            )
            .await?;
        }
        ids.push(id);
    }
    v.wait_running(&ids).await?;
    wait_detectors(&v, s.cameras).await?;
    tokio::time::sleep(s.warmup).await;

    let pid = v.pid();
    let (c0, _) = sum_counters(&detection_status(&v).await?);
    let other = procstat::OtherLoad::start(&[pid, rtsp.0.id(), std::process::id()])?;
    let cpu0 = procstat::cpu_seconds(&[pid])?;
    let (t0, w0) = (Instant::now(), now_ms());
    tokio::time::sleep(s.window).await;
    let cpu1 = procstat::cpu_seconds(&[pid])?;
    let other_pct = other.pct()?;
    let (secs, w1) = (t0.elapsed().as_secs_f64(), now_ms());
    let status = detection_status(&v).await?;
    let (c1, running) = sum_counters(&status);
    if running != s.cameras {
        bail!("a detector stopped during the window: {status}");
    }
    let mut recorder_drops = 0;
    for id in &ids {
        let st = v
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/cameras/{id}/status"),
                None,
            )
            .await?;
        if st["data"]["status"] != "running" {
            bail!("camera {id} is not running at the end: {}", st["data"]);
        }
        recorder_drops += st["data"]["recording"]["dropped_packets"]
            .as_u64()
            .unwrap_or(0);
    }
    reader.abort();
    let (mut latencies, mut event_starts) = (vec![], 0);
    for (at, kind, lat) in log.lock().map(|l| l.clone()).unwrap_or_default() {
        if at < w0 || at > w1 {
            continue;
        }
        match kind.as_str() {
            "detection" => latencies.push(lat),
            _ => event_starts += 1,
        }
    }
    let delta = COUNTERS
        .iter()
        .map(|k| (*k, c1[k].saturating_sub(c0[k])))
        .collect();
    let lagged = *lagged.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    drop(v);
    drop(rtsp);
    Ok(Window {
        secs,
        cpu_pct: (cpu1 - cpu0) / secs * 100.0,
        delta,
        latencies,
        event_starts,
        recorder_drops,
        inference_ms: status["inference_ms"].as_f64().unwrap_or(f64::NAN),
        lagged,
        other_pct,
    })
}
