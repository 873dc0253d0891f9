//! `/api/v1/cameras`: the camera registry over HTTP — CRUD, start/stop, stream status, "test
//! connection" probes, and each camera's detection settings.

use std::collections::HashMap;

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::cameras::probe::{ProbeOutcome, ProbeRequest};
use vigil_engine::cameras::{CameraCreate, CameraPatch, CameraStatus, Source};
use vigil_engine::detection::CameraDetection;
use vigil_engine::runtime::RecordingStatus;
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path, Query};
use crate::security::{ClientAddr, require};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, remove))
        .routes(routes!(start))
        .routes(routes!(stop))
        .routes(routes!(status))
        .routes(routes!(probe))
        .routes(routes!(probe_saved))
        .routes(routes!(detection, update_detection))
}

/// A camera as the API shows it. The password is write-only: only `has_password` shows.
#[derive(Serialize, ToSchema)]
pub struct Camera {
    pub id: i64,
    pub name: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub location: Option<String>,
    pub place: Option<String>,
    pub source: Source,
    pub username: Option<String>,
    pub has_password: bool,
    pub enabled: bool,
    pub recording_enabled: bool,
    pub detection_enabled: bool,
    pub detect_fps: u8,
    pub status: CameraStatus,
    /// Set while recording fails (a full disk, a write error): a camera may stream and still
    /// record nothing. Cleared when a segment is finished whole again.
    pub recording_error: Option<vigil_engine::cameras::RecordingError>,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
    /// RFC 3339 UTC: when the camera was deleted with its footage kept (listed only with
    /// `include_removed`; its recordings still play and export). Null for a camera in service.
    pub removed_at: Option<String>,
}

impl Camera {
    /// As `p` may see it: a push camera's stream key (and the publish URL holding it) only for
    /// those who may change cameras; anyone who can publish with the key can feed the camera.
    pub fn for_caller(mut self, p: &Principal) -> Camera {
        self.hide_key_from(p);
        self
    }

    /// [`Camera::for_caller`] in place.
    pub fn hide_key_from(&mut self, p: &Principal) {
        if !p.has(Permission::CameraWrite)
            && let Source::RtmpPush {
                stream_key,
                publish_url,
            } = &mut self.source
        {
            *stream_key = String::new();
            *publish_url = String::new();
        }
    }
}

impl From<vigil_engine::cameras::Camera> for Camera {
    fn from(c: vigil_engine::cameras::Camera) -> Self {
        Camera {
            id: c.id,
            name: c.name,
            manufacturer: c.manufacturer,
            model: c.model,
            serial_number: c.serial_number,
            location: c.location,
            place: c.place,
            source: c.source,
            username: c.username,
            has_password: c.has_password,
            enabled: c.enabled,
            recording_enabled: c.recording_enabled,
            detection_enabled: c.detection_enabled,
            detect_fps: c.detect_fps,
            status: c.status,
            recording_error: c.recording_error,
            created_at: rfc3339(c.created_at_ms),
            updated_at: rfc3339(c.updated_at_ms),
            removed_at: c.removed_at_ms.map(rfc3339),
        }
    }
}

/// `GET /cameras/{id}/status`: the camera's stream right now.
#[derive(Serialize, ToSchema)]
pub struct StreamStatus {
    pub camera_id: i64,
    pub status: CameraStatus,
    /// RFC 3339 time of the last state change.
    pub since: Option<String>,
    /// RFC 3339: when the current outage began (the first failure, through every retry since);
    /// null while the camera runs or is stopped.
    pub down_since: Option<String>,
    pub last_error: Option<String>,
    /// The typed code of `last_error` (`SOURCE_UNREACHABLE`, `SOURCE_UNAUTHORIZED`,
    /// `SOURCE_NOT_FOUND`, `CODEC_UNSUPPORTED`, `SOURCE_INTERRUPTED`, ...).
    pub last_error_code: Option<vigil_base::ErrorCode>,
    pub codec: Option<String>,
    pub width: u32,
    pub height: u32,
    /// Running totals since the camera started.
    pub packets: u64,
    pub bytes: u64,
    pub reconnects: u64,
    /// Rates over about the last second.
    pub fps: f64,
    pub bitrate_kbps: f64,
    pub packets_per_second: f64,
    /// RFC 3339 time of the last packet.
    pub last_packet_at: Option<String>,
    /// Packets each consumer had to drop.
    pub dropped: HashMap<String, u64>,
    pub recording: RecordingStatus,
}

impl From<vigil_engine::StreamStatus> for StreamStatus {
    fn from(s: vigil_engine::StreamStatus) -> Self {
        StreamStatus {
            camera_id: s.camera_id,
            status: s.status,
            since: s.since_ms.map(rfc3339),
            down_since: s.down_since_ms.map(rfc3339),
            last_error: s.last_error,
            last_error_code: s.last_error_code,
            codec: s.codec,
            width: s.width,
            height: s.height,
            packets: s.packets,
            bytes: s.bytes,
            reconnects: s.reconnects,
            fps: s.fps,
            bitrate_kbps: s.bitrate_kbps,
            packets_per_second: s.packets_per_second,
            last_packet_at: s.last_packet_ms.map(rfc3339),
            dropped: s.dropped,
            recording: s.recording,
        }
    }
}

/// `GET /cameras` options.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Also list cameras deleted with their footage kept (`removed_at` set), whose recordings
    /// can still be played and exported.
    pub include_removed: Option<bool>,
}

/// List the cameras in service (and, with `include_removed`, those deleted with their footage kept).
#[utoipa::path(get, path = "/cameras", tag = "cameras", params(ListParams),
    responses((status = 200, body = Envelope<Vec<Camera>>)), security(("bearer" = ["camera:read"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<ListParams>,
) -> Result<Data<Vec<Camera>>, ApiError> {
    require(&p, Permission::CameraRead)?;
    let mut cams = (st.engine.cameras())
        .list_including_removed(q.include_removed.unwrap_or(false))
        .await?;
    cams.retain(|c| p.can_see(c.id));
    let cams: Vec<Camera> = cams
        .into_iter()
        .map(|c| Camera::from(c).for_caller(&p))
        .collect();
    Ok(Data(cams))
}

/// Register a camera. The password is stored in the credential store and never returned.
#[utoipa::path(post, path = "/cameras", tag = "cameras", request_body = CameraCreate,
    responses((status = 201, body = Envelope<Camera>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody),
        (status = 409, description = "CAMERA_SERIAL_DUPLICATE", body = ErrorBody)),
    security(("bearer" = ["camera:write"])))]
pub async fn create(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    ClientAddr(client): ClientAddr,
    Body(input): Body<CameraCreate>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let cam = st.engine.cameras().create(input).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::CameraCreate)
            .camera(cam.id)
            .target(cam.name.clone())
            .client(client),
    );
    Ok((StatusCode::CREATED, Data(Camera::from(cam))))
}

/// One camera.
#[utoipa::path(get, path = "/cameras/{id}", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Camera>), (status = 404, description = "CAMERA_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["camera:read"])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(
        Camera::from(st.engine.cameras().get(id).await?).for_caller(&p),
    ))
}

/// Change some fields; absent fields are kept, `null` clears optional ones.
#[utoipa::path(patch, path = "/cameras/{id}", tag = "cameras", params(("id" = i64, Path)),
    request_body = CameraPatch,
    responses((status = 200, body = Envelope<Camera>), (status = 409, description = "CAMERA_SERIAL_DUPLICATE, or CAMERA_REMOVED: deleted with its footage kept", body = ErrorBody)),
    security(("bearer" = ["camera:write"])))]
pub async fn update(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    ClientAddr(client): ClientAddr,
    Path(id): Path<i64>,
    Body(patch): Body<CameraPatch>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let changed = patch.changed_fields();
    let cam = st.engine.cameras().update(id, patch).await?;
    audit_change(
        &st,
        &p,
        &cam,
        client,
        serde_json::json!({"changed": changed}),
    );
    Ok(Data(cam.into()))
}

/// `DELETE /cameras/{id}` options.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RemoveParams {
    /// Keep the camera's recordings, events and bookmarks: it leaves service (stream stopped,
    /// password and stream key forgotten, gone from the list and the grid) and its footage stays
    /// playable and exportable until retention ages it out. Default false: deleted with it.
    pub keep_footage: Option<bool>,
}

/// Remove a camera and its stored password, with its recordings or keeping them
/// (`keep_footage`). Deleting a camera's footage also needs `recording:delete`.
#[utoipa::path(delete, path = "/cameras/{id}", tag = "cameras", params(("id" = i64, Path), RemoveParams),
    responses((status = 204)), security(("bearer" = ["camera:write"])))]
pub async fn remove(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<RemoveParams>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let keep = q.keep_footage.unwrap_or(false);
    let cam = st.engine.cameras().get(id).await?;
    let all = vigil_base::Window {
        start_ms: 0,
        end_ms: i64::MAX / 2,
    };
    let footage = st
        .engine
        .recordings()
        .list(Some(id), all, 1, 0)
        .await?
        .total;
    if footage > 0 && !keep {
        require(&p, Permission::RecordingDelete)?;
    }
    st.engine.cameras().delete(id, keep).await?;
    let details = if keep {
        serde_json::json!({"recordings_kept": footage})
    } else {
        serde_json::json!({"recordings_deleted": footage})
    };
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::CameraDelete)
            .camera(id)
            .target(cam.name)
            .client(client)
            .details(details),
    );
    Ok(StatusCode::NO_CONTENT)
}

/// Enable the camera's stream.
#[utoipa::path(post, path = "/cameras/{id}/start", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Camera>),
        (status = 409, description = "CAMERA_REMOVED: deleted with its footage kept", body = ErrorBody)),
    security(("bearer" = ["camera:write"])))]
pub async fn start(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let cam = st.engine.cameras().set_enabled(id, true).await?;
    audit_change(&st, &p, &cam, client, serde_json::json!({"enabled": true}));
    Ok(Data(cam.into()))
}

/// Disable the camera's stream.
#[utoipa::path(post, path = "/cameras/{id}/stop", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Camera>),
        (status = 409, description = "CAMERA_REMOVED: deleted with its footage kept", body = ErrorBody)), security(("bearer" = ["camera:write"])))]
pub async fn stop(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let cam = st.engine.cameras().set_enabled(id, false).await?;
    audit_change(&st, &p, &cam, client, serde_json::json!({"enabled": false}));
    Ok(Data(cam.into()))
}

/// Stream health: state, last error, totals and rates, drops per consumer, recording counters.
#[utoipa::path(get, path = "/cameras/{id}/status", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<StreamStatus>)), security(("bearer" = ["camera:read"])))]
pub async fn status(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<StreamStatus>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.camera_status(id).await?.into()))
}

/// Test a source before saving a camera: codec, size, frame rate. A malformed source is a 400 on
/// `source.url` (or `source.path`); a source that cannot be opened or sends no video is a 200 with
/// outcome `failed`, its code and the field it is about (the probe ran; that is what it found).
#[utoipa::path(post, path = "/cameras/probe", tag = "cameras", request_body = ProbeRequest,
    responses((status = 200, body = Envelope<ProbeOutcome>),
        (status = 400, description = "VALIDATION_FAILED with details.fields[\"source.url\"]", body = ErrorBody)),
    security(("bearer" = ["camera:write"])))]
pub async fn probe(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<ProbeRequest>,
) -> Result<Data<ProbeOutcome>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    Ok(Data(st.engine.probe(req).await?))
}

/// Test a saved camera's source with its stored credentials.
#[utoipa::path(post, path = "/cameras/{id}/probe", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<ProbeOutcome>)), security(("bearer" = ["camera:read"])))]
pub async fn probe_saved(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<ProbeOutcome>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.probe_saved(id).await?))
}

/// What the camera detects and where (defaults until set).
#[utoipa::path(get, path = "/cameras/{id}/detection", tag = "detection", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<CameraDetection>)), security(("bearer" = ["camera:read"])))]
pub async fn detection(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<CameraDetection>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.cameras().detection(id).await?))
}

/// Replace the camera's detection settings: a sub-stream for detection, labels, least score,
/// box sizes, include/exclude zones. A running detector restarts with them.
#[utoipa::path(put, path = "/cameras/{id}/detection", tag = "detection", params(("id" = i64, Path)),
    request_body = CameraDetection,
    responses((status = 200, body = Envelope<CameraDetection>),
        (status = 400, description = "VALIDATION_FAILED with details.fields (e.g. filter.zones[0].polygon)", body = ErrorBody)),
    security(("bearer" = ["camera:write"])))]
pub async fn update_detection(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(settings): Body<CameraDetection>,
) -> Result<Data<CameraDetection>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let d = st.engine.cameras().set_detection(id, settings).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::CameraUpdate)
            .camera(id)
            .client(client)
            .details(serde_json::json!({"changed": ["detection"]})),
    );
    Ok(Data(d))
}

/// A camera change in the audit log.
fn audit_change(
    st: &AppState,
    p: &Principal,
    cam: &vigil_engine::cameras::Camera,
    client: Option<String>,
    details: serde_json::Value,
) {
    st.engine.audit().record(
        AuditEntry::by(p, AuditAction::CameraUpdate)
            .camera(cam.id)
            .target(cam.name.clone())
            .client(client)
            .details(details),
    );
}
