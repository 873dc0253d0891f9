//! `/api/v1/tokens`: API tokens for scripts and integrations (admin only).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get};
use axum::{Extension, Router};
use vigil_engine::auth::{TokenCreate, TokenCreated, TokenInfo};
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::json::{Body, Data, Envelope};
use crate::security::require;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(list).post(create))
        .route("/tokens/{id}", delete(remove))
}

/// List tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Envelope<Vec<TokenInfo>>), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<TokenInfo>>, ApiError> {
    require(&p, Permission::Admin)?;
    Ok(Data(st.engine.tokens().list().await?))
}

/// Create a token. The secret is in this answer only; the server keeps a hash.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = TokenCreate,
    responses((status = 201, body = Envelope<TokenCreated>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Body(req): Body<TokenCreate>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::Admin)?;
    let created = st.engine.tokens().create(req).await?;
    Ok((StatusCode::CREATED, Data(created)))
}

/// Revoke a token.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn remove(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::Admin)?;
    st.engine.tokens().delete(id).await?;
    Ok(StatusCode::NO_CONTENT)
}
