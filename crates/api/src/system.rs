//! Health, metrics and the OpenAPI document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Extension, Json, Router};
use serde::Serialize;
use utoipa::ToSchema;
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::ApiError;
use crate::security::require;

pub fn protected_router() -> Router<AppState> {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` while the database answers.
    pub status: String,
    pub version: String,
    /// Object detection: `ready`, `unavailable` or `disabled` (details in `/detection/status`).
    /// Recording and live view do not depend on it.
    pub detection: String,
}

/// Liveness and database health. No authentication.
#[utoipa::path(get, path = "/api/v1/health", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = crate::error::ErrorBody)))]
pub async fn health(State(st): State<AppState>) -> Result<Json<Health>, ApiError> {
    st.engine
        .db()
        .read(|c| {
            c.query_row("SELECT 1", [], |_| Ok(()))
                .map_err(|e| vigil_base::err!(Unavailable, "database: {e}"))
        })
        .await?;
    Ok(Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        detection: st.engine.detection().status().state,
    }))
}

/// Prometheus metrics (text format).
#[utoipa::path(get, path = "/api/v1/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")),
    security(("bearer" = [])))]
pub async fn metrics(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::CameraRead)?;
    let by_status = st.engine.db().read(vigil_engine::cameras_by_status).await?;
    let engine = st.engine.clone();
    let streams = tokio::task::spawn_blocking(move || engine.runtimes().counters())
        .await
        .map_err(|e| vigil_base::err!(Internal, "metrics task: {e}"))?;
    let mut body = st
        .metrics
        .render(&by_status, st.engine.credentials().backend_name(), &streams);
    crate::metrics::render_live(&mut body, &st.engine.live().counters());
    let unacknowledged = st.engine.alerts().unacknowledged().await?;
    let notify = st.engine.alerts().notification_stats();
    crate::metrics::render_alerts(&mut body, unacknowledged, notify.shown, notify.failed);
    crate::metrics::render_detection(&mut body, &st.engine.detection().status());
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    ))
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")),
    security(("bearer" = [])))]
pub async fn openapi(Extension(_p): Extension<Principal>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::openapi_json(),
    )
}
