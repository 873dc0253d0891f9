//! `/api/v1/exports`: a range of a camera cut into one MP4 in the background; progress arrives as
//! `export:progress` events, then the file is downloaded from `download_url`.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::err;
use vigil_engine::recordings::ExportRequest;
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path};
use crate::recordings::serve_range;
use crate::security::{ClientAddr, require, require_camera};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(show))
        .routes(routes!(file))
}

/// An export job.
#[derive(Serialize, ToSchema)]
pub struct ExportJob {
    pub id: u64,
    pub camera_id: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    /// `running`, `done`, `failed`.
    pub status: String,
    /// 0.0–1.0.
    pub progress: f64,
    pub error: Option<String>,
    pub bytes: Option<u64>,
    /// Once done: wall time (epoch ms) of the file's first frame (the keyframe at or before
    /// `start_ms`, or the first recorded after it) and of its last. Less than asked when the
    /// range begins or ends where nothing was recorded.
    pub clip_start_ms: Option<i64>,
    pub clip_end_ms: Option<i64>,
    /// Where to download it once done.
    pub download_url: Option<String>,
}

impl From<vigil_engine::recordings::ExportJob> for ExportJob {
    fn from(j: vigil_engine::recordings::ExportJob) -> Self {
        ExportJob {
            download_url: (j.status == "done").then(|| format!("/api/v1/exports/{}/file", j.id)),
            id: j.id,
            camera_id: j.camera_id,
            start_ms: j.start_ms,
            end_ms: j.end_ms,
            status: j.status,
            progress: j.progress,
            error: j.error,
            bytes: j.bytes,
            clip_start_ms: j.clip_start_ms,
            clip_end_ms: j.clip_end_ms,
        }
    }
}

/// Export a range of a camera as one MP4 (stream copy). Progress arrives as `export:progress`
/// events; when `export:done` arrives, download from `download_url`.
#[utoipa::path(post, path = "/exports", tag = "recordings", request_body = ExportRequest,
    responses((status = 202, body = Envelope<ExportJob>),
        (status = 404, description = "CAMERA_NOT_FOUND or NO_RECORDINGS in that range", body = ErrorBody),
        (status = 409, description = "EXPORT_TOO_LONG: more than 24 hours", body = ErrorBody)),
    security(("bearer" = ["recording:export"])))]
pub async fn create(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(req): Body<ExportRequest>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::RecordingExport)?;
    require_camera(&p, req.camera_id)?;
    let job = st.engine.recordings().start_export(req).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::Export)
            .camera(job.camera_id)
            .target(format!("export {}", job.id))
            .client(client)
            .details(
                serde_json::json!({"start": vigil_base::format_rfc3339_ms(job.start_ms),
                "end": vigil_base::format_rfc3339_ms(job.end_ms)}),
            ),
    );
    Ok((StatusCode::ACCEPTED, Data(ExportJob::from(job))))
}

#[utoipa::path(get, path = "/exports/{id}", tag = "recordings", params(("id" = u64, Path)),
    responses((status = 200, body = Envelope<ExportJob>)), security(("bearer" = ["recording:export"])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<u64>,
) -> Result<Data<ExportJob>, ApiError> {
    require(&p, Permission::RecordingExport)?;
    let job = st.engine.recordings().export_job(id)?;
    visible(&p, id, job.camera_id)?;
    Ok(Data(job.into()))
}

/// An export of a camera outside the caller's cameras is answered as missing.
fn visible(p: &Principal, id: u64, camera_id: i64) -> Result<(), ApiError> {
    if p.can_see(camera_id) {
        Ok(())
    } else {
        Err(ApiError(err!(
            NotFound,
            code = ExportNotFound,
            "no export {id}"
        )))
    }
}

/// The finished export's file, with HTTP Range.
#[utoipa::path(get, path = "/exports/{id}/file", tag = "recordings", params(("id" = u64, Path)),
    responses((status = 200, content_type = "video/mp4"),
        (status = 409, description = "EXPORT_NOT_READY", body = ErrorBody)),
    security(("bearer" = ["recording:export"])))]
pub async fn file(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    ClientAddr(client): ClientAddr,
    Path(id): Path<u64>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require(&p, Permission::RecordingExport)?;
    let job = st.engine.recordings().export_job(id)?;
    visible(&p, id, job.camera_id)?;
    // One entry per download, not per Range request of it.
    if !headers.contains_key(axum::http::header::RANGE) {
        st.engine.audit().record(
            AuditEntry::by(&p, AuditAction::Download)
                .camera(job.camera_id)
                .target(format!("export {id}"))
                .client(client),
        );
    }
    let path = st.engine.recordings().export_file(id)?;
    let len = tokio::fs::metadata(&path)
        .await
        .map(|m| m.len())
        .map_err(|e| err!(NotFound, code = ExportNotFound, "export file: {e}"))?;
    let name = format!(
        "camera-{}-{}.mp4",
        job.camera_id,
        vigil_base::format_rfc3339_ms(job.start_ms).replace(':', "-")
    );
    serve_range(
        vigil_engine::storage::Location::File(path),
        len,
        &headers,
        "video/mp4",
        Some(name),
    )
    .await
}
