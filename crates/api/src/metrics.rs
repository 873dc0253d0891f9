//! Request context and Prometheus metrics: each request gets an id (echoed as `x-request-id` and in
//! error bodies), a tracing span, and a count by route template and status; `/api/v1/metrics`
//! renders these with the engine's gauges in Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::AppState;
use crate::error::REQUEST_ID;

#[derive(Default)]
struct Http {
    count: u64,
    seconds: f64,
}

pub struct Metrics {
    started: Instant,
    http: Mutex<BTreeMap<(String, String, u16), Http>>,
    refused: Mutex<BTreeMap<&'static str, u64>>,
    auth_failures: Mutex<BTreeMap<&'static str, u64>>,
    rate_limited: AtomicU64,
    ws_clients: AtomicI64,
    ws_lagged: AtomicU64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        Metrics {
            started: Instant::now(),
            http: Mutex::default(),
            refused: Mutex::default(),
            auth_failures: Mutex::default(),
            rate_limited: AtomicU64::new(0),
            ws_clients: AtomicI64::new(0),
            ws_lagged: AtomicU64::new(0),
        }
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut m) = self.http.lock() {
            let e = m
                .entry((method.to_string(), route.to_string(), status))
                .or_default();
            e.count += 1;
            e.seconds += seconds;
        }
    }

    pub fn refused(&self, reason: &'static str) {
        if let Ok(mut m) = self.refused.lock() {
            *m.entry(reason).or_default() += 1;
        }
    }

    pub fn auth_failure(&self, reason: &'static str) {
        if let Ok(mut m) = self.auth_failures.lock() {
            *m.entry(reason).or_default() += 1;
        }
    }

    pub fn rate_limited(&self) {
        self.rate_limited.fetch_add(1, Ordering::Relaxed);
    }

    pub fn ws_connected(&self) -> WsClientGuard<'_> {
        self.ws_clients.fetch_add(1, Ordering::Relaxed);
        WsClientGuard(self)
    }

    pub fn ws_lagged(&self, n: u64) {
        self.ws_lagged.fetch_add(n, Ordering::Relaxed);
    }

    pub fn ws_clients(&self) -> i64 {
        self.ws_clients.load(Ordering::Relaxed)
    }

    /// Prometheus text exposition of everything above plus the engine's gauges.
    pub fn render(
        &self,
        cameras_by_status: &[(String, i64)],
        credential_backend: &str,
        streams: &[vigil_engine::runtime::StreamCounters],
    ) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP vigil_build_info Build information.\n# TYPE vigil_build_info gauge"
        );
        let _ = writeln!(
            out,
            "vigil_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(
            out,
            "# HELP vigil_uptime_seconds Seconds since the API started.\n# TYPE vigil_uptime_seconds gauge"
        );
        let _ = writeln!(
            out,
            "vigil_uptime_seconds {:.3}",
            self.started.elapsed().as_secs_f64()
        );
        let _ = writeln!(
            out,
            "# HELP vigil_http_requests_total HTTP requests by route template and status.\n# TYPE vigil_http_requests_total counter"
        );
        let http = self.http.lock().map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.count, v.seconds))
                .collect::<Vec<_>>()
        });
        let http = http.unwrap_or_default();
        for ((method, route, status), count, _) in &http {
            let _ = writeln!(
                out,
                "vigil_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {count}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP vigil_http_request_seconds_sum Total time spent answering, by route.\n# TYPE vigil_http_request_seconds_sum counter"
        );
        for ((method, route, status), _, secs) in &http {
            let _ = writeln!(
                out,
                "vigil_http_request_seconds_sum{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {secs:.6}",
                escape(route)
            );
        }
        let _ = writeln!(
            out,
            "# HELP vigil_requests_refused_total Requests refused by a guard (host, origin, body_size).\n# TYPE vigil_requests_refused_total counter"
        );
        for (reason, n) in self.refused.lock().map(|m| m.clone()).unwrap_or_default() {
            let _ = writeln!(
                out,
                "vigil_requests_refused_total{{reason=\"{reason}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP vigil_auth_failures_total Authentication failures (missing, invalid).\n# TYPE vigil_auth_failures_total counter"
        );
        for (reason, n) in self
            .auth_failures
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default()
        {
            let _ = writeln!(out, "vigil_auth_failures_total{{reason=\"{reason}\"}} {n}");
        }
        let _ = writeln!(
            out,
            "# HELP vigil_rate_limited_total Requests refused by a token's rate limit.\n# TYPE vigil_rate_limited_total counter"
        );
        let _ = writeln!(
            out,
            "vigil_rate_limited_total {}",
            self.rate_limited.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP vigil_events_ws_clients Connected /events WebSocket clients.\n# TYPE vigil_events_ws_clients gauge"
        );
        let _ = writeln!(out, "vigil_events_ws_clients {}", self.ws_clients());
        let _ = writeln!(
            out,
            "# HELP vigil_events_ws_lagged_total Events dropped for slow /events clients.\n# TYPE vigil_events_ws_lagged_total counter"
        );
        let _ = writeln!(
            out,
            "vigil_events_ws_lagged_total {}",
            self.ws_lagged.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP vigil_cameras Cameras by stream status.\n# TYPE vigil_cameras gauge"
        );
        for (status, n) in cameras_by_status {
            let _ = writeln!(out, "vigil_cameras{{status=\"{}\"}} {n}", escape(status));
        }
        let _ = writeln!(
            out,
            "# HELP vigil_credential_store_info The credential store in use.\n# TYPE vigil_credential_store_info gauge"
        );
        let _ = writeln!(
            out,
            "vigil_credential_store_info{{backend=\"{credential_backend}\"}} 1"
        );
        render_streams(&mut out, streams);
        out
    }
}

/// A per-camera counter: name, type, help, and how to read it.
type Series = (
    &'static str,
    &'static str,
    &'static str,
    fn(&vigil_engine::runtime::StreamCounters) -> u64,
);

/// Per-camera stream and recorder counters.
fn render_streams(out: &mut String, streams: &[vigil_engine::runtime::StreamCounters]) {
    let series: [Series; 4] = [
        (
            "vigil_stream_packets_total",
            "counter",
            "Packets received per camera.",
            |c| c.packets,
        ),
        (
            "vigil_stream_bytes_total",
            "counter",
            "Bytes received per camera.",
            |c| c.bytes,
        ),
        (
            "vigil_stream_reconnects_total",
            "counter",
            "Reconnect attempts per camera.",
            |c| c.reconnects,
        ),
        (
            "vigil_recorded_bytes_total",
            "counter",
            "Bytes written to recordings per camera.",
            |c| c.recorded_bytes,
        ),
    ];
    let _ = writeln!(
        out,
        "# HELP vigil_streams_running Cameras with a live upstream connection."
    );
    let _ = writeln!(
        out,
        "# TYPE vigil_streams_running gauge\nvigil_streams_running {}",
        streams.len()
    );
    for (name, kind, help, get) in series {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for c in streams {
            let _ = writeln!(out, "{name}{{camera=\"{}\"}} {}", c.camera_id, get(c));
        }
    }
    let name = "vigil_consumer_dropped_packets_total";
    let _ = writeln!(
        out,
        "# HELP {name} Packets a slow consumer dropped, per camera and consumer.\n# TYPE {name} counter"
    );
    for c in streams {
        for (consumer, n) in &c.dropped {
            let _ = writeln!(
                out,
                "{name}{{camera=\"{}\",consumer=\"{consumer}\"}} {n}",
                c.camera_id
            );
        }
    }
}

type LiveSeries = (
    &'static str,
    &'static str,
    &'static str,
    fn(&vigil_engine::live::LiveCounters) -> u64,
);

/// Live-view viewers and pipelines per camera.
pub fn render_live(out: &mut String, live: &[vigil_engine::live::LiveCounters]) {
    let name = "vigil_live_viewers";
    let _ = writeln!(
        out,
        "# HELP {name} Live viewers per camera and kind (hls: 1 while HLS is being fetched).\n# TYPE {name} gauge"
    );
    for c in live {
        for (kind, n) in [
            ("mse", c.viewers.mse),
            ("hls", c.viewers.hls),
            ("mjpeg", c.viewers.mjpeg),
        ] {
            let _ = writeln!(
                out,
                "{name}{{camera=\"{}\",kind=\"{kind}\"}} {n}",
                c.camera_id
            );
        }
    }
    let series: [LiveSeries; 5] = [
        (
            "vigil_live_decoding",
            "gauge",
            "1 while the camera's MJPEG decode runs.",
            |c| u64::from(c.mjpeg_decoding),
        ),
        (
            "vigil_live_fmp4_running",
            "gauge",
            "1 while the camera's live fMP4 (MSE/HLS) runs.",
            |c| u64::from(c.fmp4_running),
        ),
        (
            "vigil_live_frames_decoded_total",
            "counter",
            "Frames decoded for MJPEG and snapshots.",
            |c| c.frames_decoded,
        ),
        (
            "vigil_live_fragments_total",
            "counter",
            "Live fMP4 fragments made.",
            |c| c.fragments,
        ),
        (
            "vigil_live_viewer_skips_total",
            "counter",
            "MSE viewers that fell behind and skipped to a keyframe.",
            |c| c.skips,
        ),
    ];
    for (name, kind, help, get) in series {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for c in live {
            let _ = writeln!(out, "{name}{{camera=\"{}\"}} {}", c.camera_id, get(c));
        }
    }
}

/// Open alerts and what desktop notifications did with them.
pub fn render_alerts(out: &mut String, unacknowledged: i64, shown: u64, failed: u64) {
    for (name, kind, help, v) in [
        (
            "vigil_alerts_unacknowledged",
            "gauge",
            "Alerts nobody has acknowledged yet.",
            unacknowledged.max(0) as u64,
        ),
        (
            "vigil_notifications_shown_total",
            "counter",
            "Desktop notifications shown (single and grouped).",
            shown,
        ),
        (
            "vigil_notifications_failed_total",
            "counter",
            "Desktop notifications the desktop refused or could not take.",
            failed,
        ),
    ] {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {v}"
        );
    }
}

type DetectionSeries = (
    &'static str,
    &'static str,
    &'static str,
    fn(&vigil_engine::detection::CameraDetectionStats) -> u64,
);

/// Whether detection is ready, and each camera detector's counters.
pub fn render_detection(out: &mut String, status: &vigil_engine::detection::DetectionStatus) {
    let name = "vigil_detection_ready";
    let _ = writeln!(
        out,
        "# HELP {name} 1 while object detection is ready (model and ONNX Runtime loaded).\n# TYPE {name} gauge\n{name} {}",
        u8::from(status.state == "ready")
    );
    let series: [DetectionSeries; 7] = [
        (
            "vigil_detection_frames_sampled_total",
            "counter",
            "Frames taken at the camera's detect_fps.",
            |c| c.frames_sampled,
        ),
        (
            "vigil_detection_frames_still_total",
            "counter",
            "Sampled frames not sent to the model because nothing moved.",
            |c| c.frames_still,
        ),
        (
            "vigil_detection_frames_dropped_busy_total",
            "counter",
            "Frames not sent to the model because the camera or the pool was busy.",
            |c| c.frames_dropped_busy,
        ),
        (
            "vigil_detection_inferences_total",
            "counter",
            "Model runs per camera.",
            |c| c.inferences,
        ),
        (
            "vigil_detections_total",
            "counter",
            "Detections stored per camera (sightings kept after the filter and tracker).",
            |c| c.detections,
        ),
        (
            "vigil_detection_events_total",
            "counter",
            "Detection events (tracked objects) per camera.",
            |c| c.events,
        ),
        (
            "vigil_detection_latency_ms",
            "gauge",
            "Latest frame-arrival-to-result time, milliseconds.",
            |c| c.last_latency_ms,
        ),
    ];
    for (name, kind, help, get) in series {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for c in &status.cameras {
            let _ = writeln!(out, "{name}{{camera=\"{}\"}} {}", c.camera_id, get(c));
        }
    }
}

pub struct WsClientGuard<'a>(&'a Metrics);

impl Drop for WsClientGuard<'_> {
    fn drop(&mut self) {
        self.0.ws_clients.fetch_sub(1, Ordering::Relaxed);
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Outermost middleware: request id, span, timing and the per-route count.
pub async fn request_context(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().to_string();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/api/") {
                "unmatched".into()
            } else {
                "ui".into()
            }
        });
    let span = tracing::info_span!("http", request_id = %id, method = %method, route = %route);
    let start = Instant::now();
    let mut resp = REQUEST_ID
        .scope(id.clone(), next.run(req).instrument(span.clone()))
        .await;
    let status = resp.status().as_u16();
    let secs = start.elapsed().as_secs_f64();
    st.metrics.observe(&method, &route, status, secs);
    span.in_scope(|| tracing::debug!(status, ms = secs * 1e3, "answered"));
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use vigil_engine::detection::{CameraDetectionStats, DetectionStatus};

    use super::*;

    #[test]
    fn detection_and_alert_series() {
        let status = DetectionStatus {
            state: "ready".into(),
            code: None,
            message: None,
            model: Some("nanodet".into()),
            labels: vec!["person".into()],
            library: None,
            workers: 1,
            threads_per_worker: 2,
            inferences: 9,
            inference_ms: 12.5,
            cameras: vec![CameraDetectionStats {
                camera_id: 3,
                running: true,
                source: "main".into(),
                frames_sampled: 40,
                frames_still: 30,
                frames_dropped_busy: 1,
                inferences: 9,
                detections: 4,
                events: 2,
                last_latency_ms: 85,
                ..Default::default()
            }],
        };
        let mut out = String::new();
        render_alerts(&mut out, 2, 5, 1);
        render_detection(&mut out, &status);
        for line in [
            "# TYPE vigil_alerts_unacknowledged gauge",
            "vigil_alerts_unacknowledged 2",
            "vigil_notifications_shown_total 5",
            "vigil_notifications_failed_total 1",
            "vigil_detection_ready 1",
            "vigil_detection_frames_sampled_total{camera=\"3\"} 40",
            "vigil_detection_frames_still_total{camera=\"3\"} 30",
            "vigil_detection_frames_dropped_busy_total{camera=\"3\"} 1",
            "vigil_detection_inferences_total{camera=\"3\"} 9",
            "vigil_detections_total{camera=\"3\"} 4",
            "vigil_detection_events_total{camera=\"3\"} 2",
            "# TYPE vigil_detection_latency_ms gauge",
            "vigil_detection_latency_ms{camera=\"3\"} 85",
        ] {
            assert!(out.lines().any(|l| l == line), "{line} missing:\n{out}");
        }
        let mut out = String::new();
        render_detection(
            &mut out,
            &DetectionStatus {
                state: "unavailable".into(),
                cameras: vec![],
                ..status
            },
        );
        assert!(out.lines().any(|l| l == "vigil_detection_ready 0"), "{out}");
        assert!(!out.contains("camera=\""), "{out}");
    }
}
