//! `/api/v1/alerts`: what the operator must see (a camera offline, storage full, an object in a
//! zone, detection unavailable), filtered and acknowledged over HTTP; new ones also arrive as
//! `alert` events on `/api/v1/events`.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Extension, Router};
use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::FieldErrors;
use vigil_engine::alerts::{Alert, AlertQuery};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::json::{Data, Envelope};
use crate::recordings::Params;
use crate::security::require;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alerts", get(list))
        .route("/alerts/{id}/ack", post(acknowledge))
}

/// `GET /alerts`: the matching alerts and how many of all alerts are still unacknowledged (for a
/// badge, whatever the filter).
#[derive(Serialize, ToSchema)]
pub struct AlertList {
    /// Newest first.
    pub alerts: Vec<Alert>,
    /// Alerts nobody has acknowledged yet, over all alerts.
    pub unacknowledged: i64,
}

/// Alerts, newest first.
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts",
    params(("severity" = Option<String>, Query, description = "info, warning or critical"),
        ("type" = Option<String>, Query, description = "camera_offline, recording_failed, storage_full, detection or detection_unavailable"),
        ("camera_id" = Option<i64>, Query), ("acknowledged" = Option<bool>, Query),
        ("since" = Option<String>, Query, description = "RFC 3339 or epoch ms: alerts created at or after"),
        ("limit" = Option<i64>, Query, description = "1–1000, default 100")),
    responses((status = 200, body = Envelope<AlertList>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    q: Params,
) -> Result<Data<AlertList>, ApiError> {
    require(&p, Permission::CameraRead)?;
    let mut f = FieldErrors::new();
    q.only(
        &[
            "severity",
            "type",
            "camera_id",
            "acknowledged",
            "since",
            "limit",
        ],
        &mut f,
    );
    let query = AlertQuery {
        severity: q.text("severity"),
        kind: q.text("type"),
        camera_id: q.int("camera_id", &mut f),
        acknowledged: q.bool("acknowledged", &mut f),
        since: q.text("since"),
        limit: q.int("limit", &mut f),
    };
    if !f.is_empty() {
        return Err(ApiError(vigil_base::Error::validation(f)));
    }
    let alerts = st.engine.alerts().list(query).await?;
    let unacknowledged = st.engine.alerts().unacknowledged().await?;
    Ok(Data(AlertList {
        alerts,
        unacknowledged,
    }))
}

/// Acknowledge an alert. Idempotent: the first acknowledgement (time and token name) stays.
/// Publishes `alert:acknowledged`.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/ack", tag = "alerts", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Alert>), (status = 403, body = ErrorBody),
        (status = 404, description = "ALERT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn acknowledge(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Alert>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(st.engine.alerts().acknowledge(id, &p.name).await?))
}
