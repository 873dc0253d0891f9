//! `/api/v1/layouts` (each user's camera-grid layouts), bookmarks on a camera's timeline, and
//! "test connection" probes of camera sources.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post};
use axum::{Extension, Router};
use vigil_engine::bookmarks::{Bookmark, BookmarkInput};
use vigil_engine::cameras::probe::{ProbeRequest, ProbeResult};
use vigil_engine::layouts::{Layout, LayoutInput};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::json::{Body, Data, Envelope};
use crate::recordings::Params;
use crate::security::require;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/layouts", get(list).post(create))
        .route("/layouts/{id}", get(show).put(replace).delete(remove))
        .route(
            "/cameras/{id}/bookmarks",
            get(list_bookmarks).post(create_bookmark),
        )
        .route("/bookmarks/{id}", delete(remove_bookmark))
        .route("/cameras/probe", post(probe))
        .route("/cameras/{id}/probe", post(probe_camera))
}

/// The caller's layouts (layouts belong to the token's name).
#[utoipa::path(get, path = "/api/v1/layouts", tag = "layouts",
    responses((status = 200, body = Envelope<Vec<Layout>>)), security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<Layout>>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(st.engine.layouts().list(&p.name).await?))
}

/// Save a new layout (tiles on a 12-column grid; `is_default` makes the others not default).
#[utoipa::path(post, path = "/api/v1/layouts", tag = "layouts", request_body = LayoutInput,
    responses((status = 201, body = Envelope<Layout>),
        (status = 400, description = "VALIDATION_FAILED with details.fields (e.g. layout[2].position)", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(input): Body<LayoutInput>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::StreamView)?;
    let l = st.engine.layouts().save(&p.name, None, input).await?;
    Ok((StatusCode::CREATED, Data(l)))
}

/// One of the caller's layouts.
#[utoipa::path(get, path = "/api/v1/layouts/{id}", tag = "layouts", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Layout>), (status = 404, description = "LAYOUT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Layout>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(st.engine.layouts().get(&p.name, id).await?))
}

/// Replace a layout (same body as creating one).
#[utoipa::path(put, path = "/api/v1/layouts/{id}", tag = "layouts", params(("id" = i64, Path)),
    request_body = LayoutInput,
    responses((status = 200, body = Envelope<Layout>), (status = 400, body = ErrorBody),
        (status = 404, description = "LAYOUT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn replace(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(input): Body<LayoutInput>,
) -> Result<Data<Layout>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(
        st.engine.layouts().save(&p.name, Some(id), input).await?,
    ))
}

/// Delete one of the caller's layouts.
#[utoipa::path(delete, path = "/api/v1/layouts/{id}", tag = "layouts", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "LAYOUT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::StreamView)?;
    st.engine.layouts().delete(&p.name, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Bookmarks of a camera in a window (default: the last 24 h).
#[utoipa::path(get, path = "/api/v1/cameras/{id}/bookmarks", tag = "recordings",
    params(("id" = i64, Path), ("start" = Option<String>, Query, description = "epoch ms or RFC 3339"),
        ("end" = Option<String>, Query, description = "epoch ms or RFC 3339")),
    responses((status = 200, body = Envelope<Vec<Bookmark>>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list_bookmarks(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    q: Params,
) -> Result<Data<Vec<Bookmark>>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    const DAY: i64 = 86_400_000;
    let w = q.window(&st, DAY, 31 * DAY)?;
    Ok(Data(st.engine.bookmarks().list(id, w).await?))
}

/// Mark a moment (or a span with `end`) on a camera's timeline.
#[utoipa::path(post, path = "/api/v1/cameras/{id}/bookmarks", tag = "recordings",
    params(("id" = i64, Path)), request_body = BookmarkInput,
    responses((status = 201, body = Envelope<Bookmark>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create_bookmark(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(input): Body<BookmarkInput>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::RecordingRead)?;
    let b = st.engine.bookmarks().create(id, input, &p.name).await?;
    Ok((StatusCode::CREATED, Data(b)))
}

/// Delete a bookmark.
#[utoipa::path(delete, path = "/api/v1/bookmarks/{id}", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "BOOKMARK_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove_bookmark(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::RecordingRead)?;
    st.engine.bookmarks().delete(id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Test a source before saving a camera: codec, size, frame rate. A source that cannot be
/// opened is a VALIDATION_FAILED error on `source.url` (or `source.path`) saying why.
#[utoipa::path(post, path = "/api/v1/cameras/probe", tag = "cameras", request_body = ProbeRequest,
    responses((status = 200, body = Envelope<ProbeResult>),
        (status = 400, description = "VALIDATION_FAILED with details.fields[\"source.url\"]", body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn probe(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<ProbeRequest>,
) -> Result<Data<ProbeResult>, ApiError> {
    require(&p, Permission::CameraWrite)?;
    Ok(Data(st.engine.cameras().probe(req).await?))
}

/// Test a saved camera's source with its stored credentials.
#[utoipa::path(post, path = "/api/v1/cameras/{id}/probe", tag = "cameras", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<ProbeResult>), (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn probe_camera(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<ProbeResult>, ApiError> {
    require(&p, Permission::CameraRead)?;
    Ok(Data(st.engine.cameras().probe_saved(id).await?))
}
