//! `/api/v1/tokens`: API tokens for scripts and integrations (admin only).

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::auth::TokenCreate;
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal, Role};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{Body, Data, Envelope, Path};
use crate::security::{ClientAddr, require};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(remove))
}

/// A token as listed (never with its secret).
#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub remark: Option<String>,
    pub role: Role,
    pub permissions: Vec<Permission>,
    /// Requests per minute; `null` means unlimited.
    pub rate_limit_per_min: Option<u32>,
    /// The first characters of the secret, to tell tokens apart.
    pub prefix: String,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    /// Camera ids it may see; `null`: every camera.
    pub cameras: Option<Vec<i64>>,
}

impl From<vigil_engine::auth::TokenInfo> for TokenInfo {
    fn from(t: vigil_engine::auth::TokenInfo) -> Self {
        TokenInfo {
            id: t.id,
            name: t.name,
            remark: t.remark,
            role: t.role,
            permissions: t.permissions,
            rate_limit_per_min: t.rate_limit_per_min,
            prefix: t.prefix,
            created_at: rfc3339(t.created_at_ms),
            expires_at: t.expires_at_ms.map(rfc3339),
            last_used_at: t.last_used_at_ms.map(rfc3339),
            cameras: t.cameras,
        }
    }
}

/// Answer of `POST /api/v1/tokens`: the only time the secret is shown.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    pub token: TokenInfo,
    pub secret: String,
}

/// List tokens (never their secrets).
#[utoipa::path(get, path = "/tokens", tag = "tokens",
    responses((status = 200, body = Envelope<Vec<TokenInfo>>)), security(("bearer" = ["admin"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<TokenInfo>>, ApiError> {
    require(&p, Permission::Admin)?;
    let tokens = st.engine.tokens().list().await?;
    Ok(Data(tokens.into_iter().map(TokenInfo::from).collect()))
}

/// Create a token. The secret is in this answer only; the server keeps a hash.
#[utoipa::path(post, path = "/tokens", tag = "tokens", request_body = TokenCreate,
    responses((status = 201, body = Envelope<TokenCreated>),
        (status = 404, description = "CAMERA_NOT_FOUND: a listed camera does not exist", body = crate::error::ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn create(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(req): Body<TokenCreate>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::Admin)?;
    let created = st.engine.tokens().create(req).await?;
    let t = &created.token;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::TokenCreate)
            .target(t.name.clone())
            .client(client)
            .details(
                serde_json::json!({"id": t.id, "role": t.role, "permissions": t.permissions,
                "cameras": t.cameras, "prefix": t.prefix}),
            ),
    );
    Ok((
        StatusCode::CREATED,
        Data(TokenCreated {
            token: created.token.into(),
            secret: created.secret,
        }),
    ))
}

/// Revoke a token; its open sockets close at once.
#[utoipa::path(delete, path = "/tokens/{id}", tag = "tokens", params(("id" = i64, Path)),
    responses((status = 204)), security(("bearer" = ["admin"])))]
pub async fn remove(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::Admin)?;
    st.engine.tokens().delete(id).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::TokenRevoke)
            .target(format!("token {id}"))
            .client(client),
    );
    Ok(StatusCode::NO_CONTENT)
}
