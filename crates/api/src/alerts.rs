//! `/api/v1/alerts`: what the operator must see (a camera offline, storage full, an object in a
//! zone, detection unavailable), filtered and acknowledged over HTTP; new ones also arrive as
//! `alert` events on `/api/v1/events`.

use axum::Extension;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::FieldErrors;
use vigil_base::fields::instant_value;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::alerts::{AckFilter, AlertKind, AlertQuery, SeverityName};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path, Query};
use crate::recordings::snapshot_url;
use crate::security::require;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(acknowledge))
        .routes(routes!(acknowledge_many))
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
    /// When it began (RFC 3339; the same as `created_at`).
    pub started_at: String,
    /// `detection` incidents: the last activity (RFC 3339).
    pub last_at: Option<String>,
    /// `detection` incidents: when the camera went quiet (RFC 3339); null while it goes on.
    pub ended_at: Option<String>,
    /// Conditions (a camera offline, storage): when it cleared (RFC 3339); null while it holds.
    pub resolved_at: Option<String>,
    /// `detection` incidents: the tracked objects in it (1 for other alerts).
    pub count: i64,
    /// `detection` incidents: tracked objects by label.
    pub labels: std::collections::BTreeMap<String, i64>,
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
            started_at: rfc3339(a.created_at_ms),
            last_at: a.last_at_ms.map(rfc3339),
            ended_at: a.ended_at_ms.map(rfc3339),
            resolved_at: a.resolved_at_ms.map(rfc3339),
            count: a.objects,
            labels: a.labels,
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
    /// More match: pass this as `cursor` for the next page (null on the last page).
    pub next: Option<String>,
}

/// Alerts, newest first.
#[utoipa::path(get, path = "/alerts", tag = "alerts", params(AlertQuery),
    responses((status = 200, body = Envelope<AlertList>)), security(("bearer" = ["camera:read"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<AlertQuery>,
) -> Result<Data<AlertList>, ApiError> {
    require(&p, Permission::CameraRead)?;
    let page = st.engine.alerts().page(q).await?;
    let mut unacknowledged = st.engine.alerts().unacknowledged().await?;
    let mut alerts = page.alerts;
    if !p.sees_all() {
        // A caller limited to some cameras sees their alerts and those of no camera (storage,
        // sign-ins); a page may come out shorter than `limit`, and `next` still continues it.
        alerts.retain(|a| a.camera_id.is_none_or(|c| p.can_see(c)));
        let open = st
            .engine
            .alerts()
            .list(vigil_engine::alerts::AlertQuery {
                acknowledged: Some(false),
                limit: Some(1000),
                ..Default::default()
            })
            .await?;
        unacknowledged = open
            .iter()
            .filter(|a| a.camera_id.is_none_or(|c| p.can_see(c)))
            .count() as i64;
    }
    Ok(Data(AlertList {
        alerts: alerts.into_iter().map(Alert::from).collect(),
        unacknowledged,
        next: page.next,
    }))
}

/// Acknowledge an alert. Idempotent: the first acknowledgement (time and token name) stays.
/// Publishes `alert:acknowledged`.
#[utoipa::path(post, path = "/alerts/{id}/ack", tag = "alerts", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Alert>),
        (status = 404, description = "ALERT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["alert:ack"])))]
pub async fn acknowledge(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Alert>, ApiError> {
    require(&p, Permission::AlertAck)?;
    if !p.sees_all() {
        let a = st.engine.alerts().get(id).await?;
        if a.camera_id.is_some_and(|c| !p.can_see(c)) {
            return Err(ApiError(vigil_base::err!(
                NotFound,
                code = AlertNotFound,
                "no alert {id}"
            )));
        }
    }
    Ok(Data(
        st.engine.alerts().acknowledge(id, &p.name).await?.into(),
    ))
}

/// Body of `POST /alerts/ack`: these alerts, or every unacknowledged alert matching the filter
/// (fields combine), or `all`. A body that names none (`{}`) acknowledges none.
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AckRequest {
    #[schema(min_items = 1, max_items = 1000)]
    pub ids: Option<Vec<i64>>,
    pub camera_id: Option<i64>,
    #[schema(value_type = Option<SeverityName>)]
    pub severity: Option<vigil_engine::alerts::Severity>,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub kind: Option<AlertKind>,
    /// Alerts raised before this (RFC 3339 or epoch ms).
    #[schema(value_type = Option<vigil_base::fields::InstantParam>)]
    pub before: Option<serde_json::Value>,
    /// Every unacknowledged alert (when no other field narrows it).
    pub all: Option<bool>,
}

/// What a bulk acknowledgement took.
#[derive(Serialize, ToSchema)]
pub struct AckResult {
    /// How many were acknowledged now (alerts acknowledged before are not counted).
    pub acknowledged: usize,
    pub ids: Vec<i64>,
}

/// Acknowledge many alerts in one call: by ids, by a filter (`camera_id`, `severity`, `type`,
/// `before`), or `all`; a body naming none acknowledges none. Publishes `alert:acknowledged` for
/// each.
#[utoipa::path(post, path = "/alerts/ack", tag = "alerts", request_body = AckRequest,
    responses((status = 200, body = Envelope<AckResult>),
        (status = 400, description = "VALIDATION_FAILED: a bad field", body = ErrorBody)),
    security(("bearer" = ["alert:ack"])))]
pub async fn acknowledge_many(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<AckRequest>,
) -> Result<Data<AckResult>, ApiError> {
    require(&p, Permission::AlertAck)?;
    let mut f = FieldErrors::new();
    let before = req.before.filter(|v| !v.is_null());
    let before_ms = before.as_ref().and_then(|v| {
        let ms = instant_value(v);
        if ms.is_none() {
            f.insert(
                "before".into(),
                "must be an RFC 3339 time or epoch milliseconds".into(),
            );
        }
        ms
    });
    if let Some(ids) = &req.ids
        && !(1..=1000).contains(&ids.len())
    {
        f.insert("ids".into(), "must list 1 to 1000 alert ids".into());
    }
    let narrowed = req.ids.is_some()
        || req.camera_id.is_some()
        || req.severity.is_some()
        || req.kind.is_some()
        || before.is_some();
    if !f.is_empty() {
        return Err(vigil_base::Error::validation(f).into());
    }
    // Nothing named takes nothing: every alert only with `all: true`, never by omission.
    if !narrowed && req.all != Some(true) {
        return Ok(Data(AckResult {
            acknowledged: 0,
            ids: vec![],
        }));
    }
    let mut ids = req.ids;
    if !p.sees_all() {
        // A caller limited to some cameras acknowledges only alerts it can see: named ones are
        // narrowed to those, and a filter without ids must name one of its cameras.
        match (&mut ids, req.camera_id) {
            (Some(list), _) => {
                let mut visible = Vec::with_capacity(list.len());
                for &id in list.iter() {
                    if let Ok(a) = st.engine.alerts().get(id).await
                        && a.camera_id.is_none_or(|c| p.can_see(c))
                    {
                        visible.push(id);
                    }
                }
                if visible.is_empty() {
                    return Ok(Data(AckResult {
                        acknowledged: 0,
                        ids: vec![],
                    }));
                }
                *list = visible;
            }
            (None, Some(c)) => crate::security::require_camera(&p, c)?,
            (None, None) => {
                return Err(ApiError(vigil_base::err!(
                    PermissionDenied,
                    code = AuthInsufficientPermissions,
                    "an account limited to some cameras acknowledges by ids or camera_id"
                )));
            }
        }
    }
    let filter = AckFilter {
        ids,
        camera_id: req.camera_id,
        severity: req.severity.map(|s| s.as_str().to_string()),
        kind: req.kind.map(|k| k.as_str().to_string()),
        before_ms,
    };
    let done = st.engine.alerts().acknowledge_many(filter, &p.name).await?;
    Ok(Data(AckResult {
        acknowledged: done.len(),
        ids: done.iter().map(|a| a.id).collect(),
    }))
}
