//! Object detection over HTTP: stored detections and their annotated snapshots, detection events
//! (one per tracked object) and the service's status. Snapshots are addressed by detection id
//! only: no client-supplied path reaches the file system. Each camera's detection settings are
//! under `/cameras/{id}/detection` (`cameras.rs`).

use axum::Extension;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::FieldErrors;
use vigil_base::fields::{instant_field, limit_field};
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::detection::{
    DetectionQuery, DetectionStatus, EventQuery, StoredDetection, StoredEvent,
};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Data, Envelope, Path, Query};
use crate::recordings::snapshot_url;
use crate::security::require;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(snapshot))
        .routes(routes!(list_events))
        .routes(routes!(show_event))
        .routes(routes!(status))
}

/// A stored sighting.
#[derive(Serialize, ToSchema)]
pub struct DetectionView {
    pub id: i64,
    pub camera_id: i64,
    pub event_id: Option<i64>,
    /// RFC 3339 UTC of the frame.
    pub at: String,
    pub label: String,
    pub score: f64,
    /// `[x, y, width, height]` as fractions of the frame.
    pub bbox: [f64; 4],
    /// `/api/v1/detections/{id}/snapshot` when a snapshot was kept.
    pub snapshot_url: Option<String>,
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
}

impl From<StoredDetection> for DetectionView {
    fn from(d: StoredDetection) -> Self {
        DetectionView {
            snapshot_url: d.has_snapshot.then(|| snapshot_url(d.id)),
            id: d.id,
            camera_id: d.camera_id,
            event_id: d.event_id,
            at: rfc3339(d.at_ms),
            label: d.label,
            score: d.score,
            bbox: d.bbox,
            metadata: d.metadata,
        }
    }
}

/// A tracked object.
#[derive(Serialize, ToSchema)]
pub struct DetectionEventView {
    pub id: i64,
    pub camera_id: i64,
    pub label: String,
    /// RFC 3339 UTC.
    pub start: String,
    pub end: String,
    pub ongoing: bool,
    pub top_score: f64,
    pub detections: i64,
    pub best_detection_id: Option<i64>,
    /// The best sighting's snapshot.
    pub snapshot_url: Option<String>,
    pub zones: Vec<String>,
}

impl From<StoredEvent> for DetectionEventView {
    fn from(e: StoredEvent) -> Self {
        DetectionEventView {
            snapshot_url: e.best_detection_id.map(snapshot_url),
            id: e.id,
            camera_id: e.camera_id,
            label: e.label,
            start: rfc3339(e.start_ms),
            end: rfc3339(e.end_ms),
            ongoing: e.ongoing,
            top_score: e.top_score,
            detections: e.detections,
            best_detection_id: e.best_detection_id,
            zones: e.zones,
        }
    }
}

/// Query of `GET /detections` (newest first).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DetectionParams {
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    /// RFC 3339 (or epoch ms): detections at or after.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub since: Option<String>,
    pub event_id: Option<i64>,
}

/// Query of `GET /detection-events`: events overlapping `[start, end)`, newest first.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    /// RFC 3339 (or epoch ms).
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub start: Option<String>,
    /// RFC 3339 (or epoch ms).
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub end: Option<String>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

impl DetectionParams {
    /// The database's query, or every bad field at once.
    fn parse(self) -> Result<DetectionQuery, ApiError> {
        let mut f = FieldErrors::new();
        let since_ms = instant_field(&mut f, "since", &self.since);
        let limit = limit_field(&mut f, self.limit);
        if !f.is_empty() {
            return Err(vigil_base::Error::validation(f).into());
        }
        Ok(DetectionQuery {
            camera_id: self.camera_id,
            label: self.label,
            since_ms,
            event_id: self.event_id,
            limit,
        })
    }
}

impl EventParams {
    /// The database's query, or every bad field at once.
    fn parse(self) -> Result<EventQuery, ApiError> {
        let mut f = FieldErrors::new();
        let start_ms = instant_field(&mut f, "start", &self.start);
        let end_ms = instant_field(&mut f, "end", &self.end);
        let limit = limit_field(&mut f, self.limit);
        if !f.is_empty() {
            return Err(vigil_base::Error::validation(f).into());
        }
        Ok(EventQuery {
            camera_id: self.camera_id,
            label: self.label,
            start_ms,
            end_ms,
            limit,
        })
    }
}

/// Stored sightings, newest first.
#[utoipa::path(get, path = "/detections", tag = "detection", params(DetectionParams),
    responses((status = 200, body = Envelope<Vec<DetectionView>>)), security(("bearer" = ["recording:read"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<DetectionParams>,
) -> Result<Data<Vec<DetectionView>>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let mut rows = st.engine.detection().list(q.parse()?).await?;
    rows.retain(|d| p.can_see(d.camera_id));
    Ok(Data(rows.into_iter().map(DetectionView::from).collect()))
}

/// The annotated JPEG of a detection. Snapshots never change, so clients may keep them a day.
#[utoipa::path(get, path = "/detections/{id}/snapshot", tag = "detection", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg"),
        (status = 404, description = "DETECTION_NOT_FOUND or SNAPSHOT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["recording:read"])))]
pub async fn snapshot(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let jpeg = st.engine.detection().snapshot(id, |c| p.can_see(c)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        jpeg,
    )
        .into_response())
}

/// Detection events (one per tracked object) overlapping `[start, end)`, newest first.
#[utoipa::path(get, path = "/detection-events", tag = "detection", params(EventParams),
    responses((status = 200, body = Envelope<Vec<DetectionEventView>>)), security(("bearer" = ["recording:read"])))]
pub async fn list_events(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<EventParams>,
) -> Result<Data<Vec<DetectionEventView>>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let mut events = st.engine.detection().list_events(q.parse()?).await?;
    events.retain(|e| p.can_see(e.camera_id));
    Ok(Data(
        events.into_iter().map(DetectionEventView::from).collect(),
    ))
}

/// One detection event.
#[utoipa::path(get, path = "/detection-events/{id}", tag = "detection", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<DetectionEventView>),
        (status = 404, description = "EVENT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["recording:read"])))]
pub async fn show_event(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<DetectionEventView>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let ev = st.engine.detection().event(id).await?;
    if !p.can_see(ev.camera_id) {
        return Err(ApiError(vigil_base::err!(
            NotFound,
            code = EventNotFound,
            "no event {id}"
        )));
    }
    Ok(Data(ev.into()))
}

/// The detection service: `ready`, `unavailable` (with a code and the reason) or `disabled`; the
/// model, inference counters and each camera's detector counters.
#[utoipa::path(get, path = "/detection/status", tag = "detection",
    responses((status = 200, body = Envelope<DetectionStatus>)), security(("bearer" = ["camera:read"])))]
pub async fn status(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<DetectionStatus>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.detection().status()))
}
