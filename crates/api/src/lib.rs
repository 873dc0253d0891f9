//! Vigil's HTTP and WebSocket API on a loopback port. One module per resource; each declares its
//! routes once, with `utoipa-axum`'s `routes!`, for both the router and the OpenAPI document, so
//! the document cannot leave a route out. Wire types are built here from the engine's own types
//! (times in RFC 3339, URLs of this API). `router()` builds the whole app so tests can drive it;
//! `serve()` runs it on a listener until shutdown. Every route but `/api/v1/health` and the
//! static UI needs a bearer token; the guards in `security` refuse foreign hosts and origins.

mod alerts;
mod audit;
mod auth;
mod bookmarks;
mod cameras;
mod channels;
mod detections;
mod discovery;
mod doc;
mod engine_metrics;
mod error;
mod events;
mod exports;
mod extract;
mod layouts;
mod live;
mod live_audit;
mod live_ws;
mod metrics;
mod mqtt;
mod process;
mod ptz;
mod recordings;
mod security;
pub mod server;
mod storage;
mod system;
pub mod tls;
mod tokens;
mod ui;
mod users;
mod ws;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use tokio::net::TcpListener;
use utoipa_axum::router::OpenApiRouter;
use vigil_base::shutdown::ShutdownWaiter;
use vigil_engine::Engine;

pub use error::ApiError;
pub use events::WireEvent;
pub use metrics::Metrics;

/// Settings of the HTTP layer.
#[derive(Clone, Debug)]
pub struct ApiConfig {
    /// The address the server is bound to (its port decides the allowed Host and Origin values).
    pub local_addr: SocketAddr,
    /// Extra `Host` values to accept (a recorder box's LAN name), beyond loopback names.
    pub extra_hosts: Vec<String>,
    /// Extra origins allowed to call the API (a Vite dev server), beyond Vigil's own UI.
    pub extra_origins: Vec<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The built web UI to serve at `/`; `None` serves a page saying how to build it.
    pub ui_dir: Option<PathBuf>,
    /// TLS, header deadline, connections per client.
    pub serve: server::ServeOptions,
    /// A live HLS view with no playlist request this long has ended (audited as closed).
    pub hls_view_idle: std::time::Duration,
}

impl ApiConfig {
    pub fn new(local_addr: SocketAddr) -> Self {
        ApiConfig {
            local_addr,
            extra_hosts: vec![],
            extra_origins: vec![],
            max_body_bytes: 64 * 1024,
            ui_dir: None,
            serve: server::ServeOptions::default(),
            hls_view_idle: live_audit::HLS_VIEW_IDLE,
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub engine: Engine,
    pub metrics: Arc<Metrics>,
    pub(crate) guard: Arc<security::Guard>,
    pub(crate) limiter: Arc<security::RateLimiter>,
    pub(crate) route_permissions: Arc<security::RoutePermissions>,
    pub(crate) shutdown: ShutdownWaiter,
    pub(crate) config: Arc<ApiConfig>,
    /// Live HLS views in progress, for the audit log.
    pub(crate) hls_views: Arc<live_audit::HlsViews>,
}

/// Every `/api/v1` route, with the authentication layers when a state is given (the document
/// alone needs none).
fn api(state: Option<&AppState>) -> OpenApiRouter<AppState> {
    let mut protected = OpenApiRouter::new()
        .merge(cameras::routes())
        .merge(tokens::routes())
        .merge(users::routes())
        .merge(auth::routes())
        .merge(audit::routes())
        .merge(recordings::routes())
        .merge(exports::routes())
        .merge(live::routes())
        .merge(alerts::routes())
        .merge(detections::routes())
        .merge(layouts::routes())
        .merge(bookmarks::routes())
        .merge(storage::routes())
        .merge(channels::routes())
        .merge(mqtt::routes())
        .merge(discovery::routes())
        .merge(ptz::routes())
        .merge(system::protected_routes());
    // Sockets may take their token in the first message instead of the URL.
    let mut sockets = OpenApiRouter::new()
        .merge(events::routes())
        .merge(live_ws::routes());
    if let Some(st) = state {
        protected = protected.route_layer(from_fn_with_state(st.clone(), security::authenticate));
        sockets = sockets.route_layer(from_fn_with_state(st.clone(), security::authenticate_ws));
    }
    OpenApiRouter::new()
        .merge(system::public_routes())
        .merge(auth::public_routes())
        .merge(protected)
        .merge(sockets)
}

/// The OpenAPI document of the API, generated from the routes themselves.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = OpenApiRouter::with_openapi(doc::base())
        .nest("/api/v1", api(None))
        .into_openapi();
    doc::finish(&mut doc);
    doc
}

/// The document as JSON.
pub fn openapi_json() -> String {
    openapi().to_pretty_json().unwrap_or_else(|_| "{}".into())
}

/// The whole application: `/api/v1/...` and the web UI.
pub fn router(engine: Engine, config: ApiConfig, shutdown: ShutdownWaiter) -> Router {
    router_and_metrics(engine, config, shutdown).0
}

fn router_and_metrics(
    engine: Engine,
    config: ApiConfig,
    shutdown: ShutdownWaiter,
) -> (Router, Arc<Metrics>) {
    let state = AppState {
        guard: Arc::new(security::Guard::new(&config)),
        limiter: Arc::new(security::RateLimiter::new(engine.clock().clone())),
        route_permissions: Arc::new(security::RoutePermissions::from_doc(&openapi())),
        metrics: Arc::new(Metrics::new(&engine)),
        hls_views: live_audit::HlsViews::new(engine.audit().clone(), config.hls_view_idle),
        engine,
        shutdown,
        config: Arc::new(config),
    };
    // Raised alerts to the alert channels' outbox (with a runtime; the document alone has none).
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(channels::feed(state.engine.clone(), state.shutdown.clone()));
    }
    let (api, _) = api(Some(&state))
        .fallback(error::api_not_found)
        .split_for_parts();
    let api = api.method_not_allowed_fallback(error::method_not_allowed);
    let max_body = state.config.max_body_bytes;
    let metrics = state.metrics.clone();
    let app = Router::new()
        .nest("/api/v1", api)
        .fallback(ui::service(state.config.ui_dir.clone()))
        .layer(from_fn_with_state(state.clone(), security::guard))
        .layer(from_fn_with_state(state.clone(), metrics::request_context))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state);
    (app, metrics)
}

/// Serve `router` on `listener` (HTTPS when `config.serve.tls` is set) until `shutdown` fires,
/// then finish in-flight requests and return.
///
/// The router (and with it the alert channels' feed, subscribed to the event bus) is made before
/// this returns, so an alert raised after the call reaches the channels even if the returned
/// future has not run yet.
pub fn serve(
    listener: TcpListener,
    engine: Engine,
    config: ApiConfig,
    shutdown: ShutdownWaiter,
) -> impl std::future::Future<Output = std::io::Result<()>> + Send {
    let opts = config.serve.clone();
    let (app, metrics) = router_and_metrics(engine, config, shutdown.clone());
    server::run(listener, app, opts, shutdown, metrics)
}
