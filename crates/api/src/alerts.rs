//! `/api/v1/alerts`: what the operator must see (a camera offline, storage full, an object in a
//! zone, detection unavailable), filtered and acknowledged over HTTP; new ones also arrive as
//! `alert` events on `/api/v1/events`.

use axum::Extension;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::alerts::{AlertKind, AlertQuery, SeverityName};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Data, Envelope, Path, Query};
use crate::recordings::snapshot_url;
use crate::security::require;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(acknowledge))
}

/// An alert as the API shows it.
#[derive(Clone, Serialize, ToSchema)]
pub struct Alert {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: AlertKind,
    #[schema(value_type = SeverityName)]
    pub severity: vigil_engine::alerts::Severity,
    pub camera_id: Option<i64>,
    /// The detection event, for `detection` alerts.
    pub event_id: Option<i64>,
    pub message: String,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    /// The picture of a `detection` alert's object.
    pub snapshot_url: Option<String>,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub acknowledged: bool,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<String>,
}

impl From<vigil_engine::alerts::Alert> for Alert {
    fn from(a: vigil_engine::alerts::Alert) -> Self {
        Alert {
            snapshot_url: a.details["detection_id"].as_i64().map(snapshot_url),
            id: a.id,
            kind: a.kind,
            severity: a.severity,
            camera_id: a.camera_id,
            event_id: a.event_id,
            message: a.message,
            details: a.details,
            created_at: rfc3339(a.created_at_ms),
            acknowledged: a.acknowledged_at_ms.is_some(),
            acknowledged_at: a.acknowledged_at_ms.map(rfc3339),
            acknowledged_by: a.acknowledged_by,
        }
    }
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
#[utoipa::path(get, path = "/alerts", tag = "alerts", params(AlertQuery),
    responses((status = 200, body = Envelope<AlertList>)), security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<AlertQuery>,
) -> Result<Data<AlertList>, ApiError> {
    require(&p, Permission::CameraRead)?;
    let alerts = st.engine.alerts().list(q).await?;
    let unacknowledged = st.engine.alerts().unacknowledged().await?;
    Ok(Data(AlertList {
        alerts: alerts.into_iter().map(Alert::from).collect(),
        unacknowledged,
    }))
}

/// Acknowledge an alert. Idempotent: the first acknowledgement (time and token name) stays.
/// Publishes `alert:acknowledged`.
#[utoipa::path(post, path = "/alerts/{id}/ack", tag = "alerts", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Alert>),
        (status = 404, description = "ALERT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn acknowledge(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Alert>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(
        st.engine.alerts().acknowledge(id, &p.name).await?.into(),
    ))
}
