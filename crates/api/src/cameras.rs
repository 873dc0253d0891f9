//! `/api/v1/cameras`: the camera registry over HTTP.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Extension, Router};
use vigil_engine::Permission;
use vigil_engine::Principal;
use vigil_engine::cameras::{Camera, CameraCreate, CameraPatch};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::json::{Body, Data, Envelope};
use crate::security::require;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cameras", get(list).post(create))
        .route("/cameras/{id}", get(show).patch(update).delete(remove))
        .route("/cameras/{id}/start", post(start))
        .route("/cameras/{id}/stop", post(stop))
}

/// List every camera.
#[utoipa::path(get, path = "/api/v1/cameras", tag = "cameras",
    responses((status = 200, body = Envelope<Vec<Camera>>), (status = 401, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<Camera>>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.cameras().list().await?))
}

/// Register a camera. The password is stored in the credential store and never returned.
#[utoipa::path(post, path = "/api/v1/cameras", tag = "cameras", request_body = CameraCreate,
    responses((status = 201, body = Envelope<Camera>),
        (status = 400, description = "VALIDATION_FAILED with details.fields", body = ErrorBody),
        (status = 409, description = "CAMERA_SERIAL_DUPLICATE", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(input): Body<CameraCreate>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::CameraWrite)?;
    let cam = st.engine.cameras().create(input).await?;
    Ok((StatusCode::CREATED, Data(cam)))
}

/// One camera.
#[utoipa::path(get, path = "/api/v1/cameras/{id}", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Camera>), (status = 404, description = "CAMERA_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.cameras().get(id).await?))
}

/// Change some fields; absent fields are kept, `null` clears optional ones.
#[utoipa::path(patch, path = "/api/v1/cameras/{id}", tag = "cameras", params(("id" = i64, Path)),
    request_body = CameraPatch,
    responses((status = 200, body = Envelope<Camera>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(patch): Body<CameraPatch>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    Ok(Data(st.engine.cameras().update(id, patch).await?))
}

/// Remove a camera and its stored password.
#[utoipa::path(delete, path = "/api/v1/cameras/{id}", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::CameraWrite)?;
    st.engine.cameras().delete(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enable the camera's stream.
#[utoipa::path(post, path = "/api/v1/cameras/{id}/start", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Camera>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn start(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    Ok(Data(st.engine.cameras().set_enabled(id, true).await?))
}

/// Disable the camera's stream.
#[utoipa::path(post, path = "/api/v1/cameras/{id}/stop", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Camera>), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn stop(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Camera>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    Ok(Data(st.engine.cameras().set_enabled(id, false).await?))
}
