//! Vigil's HTTP and WebSocket API on a loopback port. `router()` builds the whole app so tests can
//! drive it; `serve()` runs it on a listener until shutdown. Every route but `/api/v1/health` and
//! the static UI needs a bearer token; the guards in `security` refuse foreign hosts and origins.

mod alerts;
mod cameras;
mod detections;
mod error;
mod events;
mod json;
mod layouts;
mod live;
mod metrics;
mod openapi;
mod recordings;
mod security;
mod system;
mod tokens;
mod ui;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use tokio::net::TcpListener;
use vigil_base::shutdown::ShutdownWaiter;
use vigil_engine::Engine;

pub use error::ApiError;
pub use metrics::Metrics;
pub use openapi::openapi_json;

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
}

impl ApiConfig {
    pub fn new(local_addr: SocketAddr) -> Self {
        ApiConfig {
            local_addr,
            extra_hosts: vec![],
            extra_origins: vec![],
            max_body_bytes: 64 * 1024,
            ui_dir: None,
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
    pub(crate) shutdown: ShutdownWaiter,
    pub(crate) config: Arc<ApiConfig>,
}

/// The whole application: `/api/v1/...` and the web UI.
pub fn router(engine: Engine, config: ApiConfig, shutdown: ShutdownWaiter) -> Router {
    let state = AppState {
        guard: Arc::new(security::Guard::new(&config)),
        limiter: Arc::new(security::RateLimiter::new(engine.clock().clone())),
        metrics: Arc::new(Metrics::new()),
        engine,
        shutdown,
        config: Arc::new(config),
    };
    let protected = Router::new()
        .merge(cameras::router())
        .merge(tokens::router())
        .merge(recordings::router())
        .merge(live::router())
        .merge(alerts::router())
        .merge(detections::router())
        .merge(layouts::router())
        .merge(system::protected_router())
        .route_layer(from_fn_with_state(state.clone(), security::authenticate));
    let sockets =
        events::router().route_layer(from_fn_with_state(state.clone(), security::authenticate_ws));
    let api = Router::new()
        .route("/health", get(system::health))
        .merge(protected)
        .merge(sockets)
        .fallback(error::api_not_found)
        .method_not_allowed_fallback(error::method_not_allowed);
    let max_body = state.config.max_body_bytes;
    Router::new()
        .nest("/api/v1", api)
        .fallback(ui::service(state.config.ui_dir.clone()))
        .layer(from_fn_with_state(state.clone(), security::guard))
        .layer(from_fn_with_state(state.clone(), metrics::request_context))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

/// Serve `router` on `listener` until `shutdown` fires, then finish in-flight requests and return.
pub async fn serve(
    listener: TcpListener,
    engine: Engine,
    config: ApiConfig,
    shutdown: ShutdownWaiter,
) -> std::io::Result<()> {
    let app = router(engine, config, shutdown.clone());
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown.wait())
    .await
}
