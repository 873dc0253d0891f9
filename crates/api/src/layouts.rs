//! `/api/v1/layouts`: each user's camera-grid layouts (they belong to the token's name).

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::layouts::{LayoutInput, Tile};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path};
use crate::security::require;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, replace, remove))
}

/// A saved layout.
#[derive(Serialize, ToSchema)]
pub struct Layout {
    pub id: i64,
    pub name: String,
    pub layout: Vec<Tile>,
    pub is_default: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
}

impl From<vigil_engine::layouts::Layout> for Layout {
    fn from(l: vigil_engine::layouts::Layout) -> Self {
        Layout {
            id: l.id,
            name: l.name,
            layout: l.layout,
            is_default: l.is_default,
            created_at: rfc3339(l.created_at_ms),
            updated_at: rfc3339(l.updated_at_ms),
        }
    }
}

/// The caller's layouts.
#[utoipa::path(get, path = "/layouts", tag = "layouts",
    responses((status = 200, body = Envelope<Vec<Layout>>)), security(("bearer" = ["stream:view"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<Layout>>, ApiError> {
    require(&p, Permission::StreamView)?;
    let layouts = st.engine.layouts().list(&p.name).await?;
    Ok(Data(layouts.into_iter().map(Layout::from).collect()))
}

/// Save a new layout (tiles on a 12-column grid; `is_default` makes the others not default).
#[utoipa::path(post, path = "/layouts", tag = "layouts", request_body = LayoutInput,
    responses((status = 201, body = Envelope<Layout>),
        (status = 400, description = "VALIDATION_FAILED with details.fields (e.g. layout[2].size.width)", body = ErrorBody),
        (status = 404, description = "CAMERA_NOT_FOUND: a tile's camera (details.fields names the tile)", body = ErrorBody),
        (status = 409, description = "LAYOUT_CONFLICT (tiles overlap or reach past the grid; details.fields names them) or LAYOUT_NAME_TAKEN", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn create(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(input): Body<LayoutInput>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::StreamView)?;
    let l = st.engine.layouts().save(&p.name, None, input).await?;
    Ok((StatusCode::CREATED, Data(Layout::from(l))))
}

/// One of the caller's layouts.
#[utoipa::path(get, path = "/layouts/{id}", tag = "layouts", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<Layout>), (status = 404, description = "LAYOUT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<Layout>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(st.engine.layouts().get(&p.name, id).await?.into()))
}

/// Replace a layout (same body as creating one).
#[utoipa::path(put, path = "/layouts/{id}", tag = "layouts", params(("id" = i64, Path)),
    request_body = LayoutInput,
    responses((status = 200, body = Envelope<Layout>),
        (status = 404, description = "LAYOUT_NOT_FOUND, or CAMERA_NOT_FOUND for a tile's camera", body = ErrorBody),
        (status = 409, description = "LAYOUT_CONFLICT or LAYOUT_NAME_TAKEN", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn replace(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(input): Body<LayoutInput>,
) -> Result<Data<Layout>, ApiError> {
    require(&p, Permission::StreamView)?;
    Ok(Data(
        st.engine
            .layouts()
            .save(&p.name, Some(id), input)
            .await?
            .into(),
    ))
}

/// Delete one of the caller's layouts.
#[utoipa::path(delete, path = "/layouts/{id}", tag = "layouts", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "LAYOUT_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["stream:view"])))]
pub async fn remove(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::StreamView)?;
    st.engine.layouts().delete(&p.name, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
