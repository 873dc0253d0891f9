//! Object detection over HTTP: stored detections and their annotated snapshots, detection events
//! (one per tracked object), the service's status, and each camera's detection settings (labels,
//! score, zones, sub-stream). Snapshots are addressed by detection id only: no client-supplied
//! path reaches the file system.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use vigil_base::FieldErrors;
use vigil_engine::detection::{
    CameraDetection, DetectionEventView, DetectionQuery, DetectionStatus, DetectionView, EventQuery,
};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::json::{Body, Data, Envelope};
use crate::recordings::Params;
use crate::security::require;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/detections", get(list))
        .route("/detections/{id}/snapshot", get(snapshot))
        .route("/detection-events", get(list_events))
        .route("/detection-events/{id}", get(show_event))
        .route("/detection/status", get(status))
        .route(
            "/cameras/{id}/detection",
            get(settings).put(update_settings),
        )
}

fn refuse(f: FieldErrors) -> Result<(), ApiError> {
    if f.is_empty() {
        Ok(())
    } else {
        Err(ApiError(vigil_base::Error::validation(f)))
    }
}

/// Stored sightings, newest first.
#[utoipa::path(get, path = "/api/v1/detections", tag = "detection",
    params(("limit" = Option<i64>, Query, description = "1–1000, default 100"), ("camera_id" = Option<i64>, Query),
        ("label" = Option<String>, Query), ("since" = Option<String>, Query, description = "RFC 3339 or epoch ms"),
        ("event_id" = Option<i64>, Query)),
    responses((status = 200, body = Envelope<Vec<DetectionView>>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    q: Params,
) -> Result<Data<Vec<DetectionView>>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let mut f = FieldErrors::new();
    q.only(
        &["limit", "camera_id", "label", "since", "event_id"],
        &mut f,
    );
    let query = DetectionQuery {
        limit: q.int("limit", &mut f),
        camera_id: q.int("camera_id", &mut f),
        label: q.text("label"),
        since: q.text("since"),
        event_id: q.int("event_id", &mut f),
    };
    refuse(f)?;
    Ok(Data(st.engine.detection().list(query).await?))
}

/// The annotated JPEG of a detection. Snapshots never change, so clients may keep them a day.
#[utoipa::path(get, path = "/api/v1/detections/{id}/snapshot", tag = "detection", params(("id" = i64, Path)),
    responses((status = 200, content_type = "image/jpeg"),
        (status = 404, description = "DETECTION_NOT_FOUND or SNAPSHOT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn snapshot(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let jpeg = st.engine.detection().snapshot(id).await?;
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
#[utoipa::path(get, path = "/api/v1/detection-events", tag = "detection",
    params(("camera_id" = Option<i64>, Query), ("label" = Option<String>, Query),
        ("start" = Option<String>, Query, description = "RFC 3339 or epoch ms"),
        ("end" = Option<String>, Query, description = "RFC 3339 or epoch ms"),
        ("limit" = Option<i64>, Query, description = "1–1000, default 100")),
    responses((status = 200, body = Envelope<Vec<DetectionEventView>>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_events(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    q: Params,
) -> Result<Data<Vec<DetectionEventView>>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let mut f = FieldErrors::new();
    q.only(&["camera_id", "label", "start", "end", "limit"], &mut f);
    let query = EventQuery {
        camera_id: q.int("camera_id", &mut f),
        label: q.text("label"),
        start: q.text("start"),
        end: q.text("end"),
        limit: q.int("limit", &mut f),
    };
    refuse(f)?;
    Ok(Data(st.engine.detection().list_events(query).await?))
}

/// One detection event.
#[utoipa::path(get, path = "/api/v1/detection-events/{id}", tag = "detection", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<DetectionEventView>),
        (status = 404, description = "EVENT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn show_event(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<DetectionEventView>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    Ok(Data(st.engine.detection().event(id).await?))
}

/// The detection service: `ready`, `unavailable` (with a code and the reason) or `disabled`; the
/// model, inference counters and each camera's detector counters.
#[utoipa::path(get, path = "/api/v1/detection/status", tag = "detection",
    responses((status = 200, body = Envelope<DetectionStatus>), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn status(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<DetectionStatus>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.detection().status()))
}

/// What the camera detects and where (defaults until set).
#[utoipa::path(get, path = "/api/v1/cameras/{id}/detection", tag = "detection", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<CameraDetection>),
        (status = 404, description = "CAMERA_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn settings(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<CameraDetection>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.cameras().detection(id).await?))
}

/// Replace the camera's detection settings; a running detector picks them up. Turn detection on
/// or off with the camera's `detection_enabled`.
#[utoipa::path(put, path = "/api/v1/cameras/{id}/detection", tag = "detection", params(("id" = i64, Path)),
    request_body = CameraDetection,
    responses((status = 200, body = Envelope<CameraDetection>),
        (status = 400, description = "VALIDATION_FAILED with details.fields (`filter.min_score`, `filter.zones[0].polygon`, `substream_url`)", body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update_settings(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(input): Body<CameraDetection>,
) -> Result<Data<CameraDetection>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    Ok(Data(st.engine.cameras().set_detection(id, input).await?))
}
