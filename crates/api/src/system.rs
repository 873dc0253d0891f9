//! Health, metrics and the OpenAPI document.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::ApiError;
use crate::security::require;

pub fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

pub fn protected_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(metrics))
        .routes(routes!(openapi))
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` while the database answers.
    pub status: String,
    pub version: String,
    /// Object detection: `ready`, `unavailable` or `disabled` (details in `/detection/status`).
    /// Recording and live view do not depend on it.
    pub detection: String,
    /// With HTTPS: the SHA-256 fingerprint of the server's certificate (`AB:CD:…`), to compare
    /// with what a browser on another PC shows; `null` on plain HTTP (loopback).
    pub tls_fingerprint: Option<String>,
}

/// Liveness and database health. No authentication.
#[utoipa::path(get, path = "/health", tag = "system", responses((status = 200, body = Health)))]
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
        tls_fingerprint: st
            .config
            .serve
            .tls
            .as_ref()
            .map(|t| t.fingerprint_sha256.clone()),
    }))
}

/// Prometheus metrics (text format 0.0.4).
#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text exposition", content_type = "text/plain")),
    security(("bearer" = ["camera:read"])))]
pub async fn metrics(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::CameraRead)?;
    let m = st.metrics.clone();
    let body = tokio::task::spawn_blocking(move || m.render())
        .await
        .map_err(|e| vigil_base::err!(Internal, "metrics task: {e}"))?;
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    ))
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "system",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json")),
    security(("bearer" = [])))]
pub async fn openapi(Extension(_p): Extension<Principal>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi_json(),
    )
}
