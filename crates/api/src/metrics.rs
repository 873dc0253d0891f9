//! Request context and Prometheus metrics. Each request gets an id (echoed as `x-request-id` and
//! in error bodies), a tracing span, and a count by route template and status. The metrics are a
//! `prometheus-client` registry: the HTTP layer's own families here, the engine's components read
//! by its collector at scrape time (`engine_metrics.rs`).

use std::sync::atomic::AtomicI64;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use tracing::Instrument;

use crate::AppState;
use crate::error::REQUEST_ID;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Reason {
    reason: &'static str,
}

/// The API's registry and its own metrics.
pub struct Metrics {
    registry: Registry,
    started: Instant,
    uptime: Gauge<f64, std::sync::atomic::AtomicU64>,
    requests: Family<HttpLabels, Counter>,
    request_seconds: Family<HttpLabels, Counter<f64>>,
    refused: Family<Reason, Counter>,
    auth_failures: Family<Reason, Counter>,
    logins: Family<Outcome, Counter>,
    sockets_revoked: Counter,
    rate_limited: Counter,
    ws_clients: Gauge<i64, AtomicI64>,
    ws_lagged: Counter,
    cpu_seconds: Counter<f64>,
    /// What `cpu_seconds` last read, to add only the difference (a counter only goes up).
    cpu_seen: std::sync::Mutex<f64>,
    resident_bytes: Gauge<i64, AtomicI64>,
}

impl Metrics {
    /// The registry, with the engine's collector in it.
    pub fn new(engine: &vigil_engine::Engine) -> Self {
        let mut registry = Registry::default();
        let m = Metrics {
            started: Instant::now(),
            uptime: Gauge::default(),
            requests: Family::default(),
            request_seconds: Family::default(),
            refused: Family::default(),
            auth_failures: Family::default(),
            logins: Family::default(),
            sockets_revoked: Counter::default(),
            rate_limited: Counter::default(),
            ws_clients: Gauge::default(),
            ws_lagged: Counter::default(),
            cpu_seconds: Counter::default(),
            cpu_seen: std::sync::Mutex::new(0.0),
            resident_bytes: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register(
            "vigil_uptime_seconds",
            "Seconds since the API started.",
            m.uptime.clone(),
        );
        registry.register(
            "vigil_http_requests",
            "HTTP requests by route template and status.",
            m.requests.clone(),
        );
        registry.register(
            "vigil_http_request_seconds",
            "Total time spent answering, by route.",
            m.request_seconds.clone(),
        );
        registry.register(
            "vigil_requests_refused",
            "Requests refused by a guard (host, origin, body_size).",
            m.refused.clone(),
        );
        registry.register(
            "vigil_auth_failures",
            "Authentication failures (missing, invalid).",
            m.auth_failures.clone(),
        );
        registry.register(
            "vigil_logins",
            "Sign-ins by outcome: ok, failed (wrong credentials), locked (refused by the lockout).",
            m.logins.clone(),
        );
        registry.register(
            "vigil_sockets_revoked",
            "WebSockets closed because their credential was revoked or their user changed.",
            m.sockets_revoked.clone(),
        );
        registry.register(
            "vigil_rate_limited",
            "Requests refused by a token's rate limit.",
            m.rate_limited.clone(),
        );
        registry.register(
            "vigil_events_ws_clients",
            "Connected /events WebSocket clients.",
            m.ws_clients.clone(),
        );
        registry.register(
            "vigil_events_ws_lagged",
            "Events dropped for slow /events clients.",
            m.ws_lagged.clone(),
        );
        if crate::process::cpu_seconds().is_some() {
            registry.register(
                "process_cpu_seconds",
                "CPU time (user and system) the Vigil process has used, seconds.",
                m.cpu_seconds.clone(),
            );
        }
        if crate::process::resident_bytes().is_some() {
            registry.register(
                "process_resident_memory_bytes",
                "Resident memory of the Vigil process, bytes.",
                m.resident_bytes.clone(),
            );
        }
        registry.register_collector(Box::new(crate::engine_metrics::EngineCollector(
            engine.clone(),
        )));
        Metrics { registry, ..m }
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let labels = HttpLabels {
            method: method.to_string(),
            route: route.to_string(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.request_seconds.get_or_create(&labels).inc_by(seconds);
    }

    pub fn refused(&self, reason: &'static str) {
        self.refused.get_or_create(&Reason { reason }).inc();
    }

    pub fn auth_failure(&self, reason: &'static str) {
        self.auth_failures.get_or_create(&Reason { reason }).inc();
    }

    pub fn login(&self, outcome: &'static str) {
        self.logins.get_or_create(&Outcome { outcome }).inc();
    }

    pub fn socket_revoked(&self) {
        self.sockets_revoked.inc();
    }

    pub fn rate_limited(&self) {
        self.rate_limited.inc();
    }

    pub fn ws_connected(&self) -> WsClientGuard<'_> {
        self.ws_clients.inc();
        WsClientGuard(self)
    }

    pub fn ws_lagged(&self, n: u64) {
        self.ws_lagged.inc_by(n);
    }

    pub fn ws_clients(&self) -> i64 {
        self.ws_clients.get()
    }

    /// Prometheus text exposition (version 0.0.4). Blocking: the engine's collector reads the
    /// database.
    pub fn render(&self) -> String {
        self.uptime.set(self.started.elapsed().as_secs_f64());
        if let Some(now) = crate::process::cpu_seconds() {
            let mut seen = self.cpu_seen.lock().unwrap_or_else(|e| e.into_inner());
            if now > *seen {
                self.cpu_seconds.inc_by(now - *seen);
                *seen = now;
            }
        }
        if let Some(b) = crate::process::resident_bytes() {
            self.resident_bytes
                .set(i64::try_from(b).unwrap_or(i64::MAX));
        }
        let mut out = String::new();
        if let Err(e) =
            prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry)
        {
            tracing::warn!(error = %e, "metrics could not be encoded");
        }
        out
    }
}

/// Counts a connected events client while it lives.
pub struct WsClientGuard<'a>(&'a Metrics);

impl Drop for WsClientGuard<'_> {
    fn drop(&mut self) {
        self.0.ws_clients.dec();
    }
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
