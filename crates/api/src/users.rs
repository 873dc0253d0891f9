//! `/api/v1/users`: user accounts (admin only). Every change is in the audit log; changing a
//! user's role, cameras, password or enabled closes their open sockets at once.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::auth::{UserCreate, UserPatch, UserRole};
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path};
use crate::security::{ClientAddr, require};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, remove))
}

/// A user (never the password).
#[derive(Serialize, ToSchema)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub role: UserRole,
    /// Camera ids the user may see; `null`: every camera.
    pub cameras: Option<Vec<i64>>,
    pub enabled: bool,
    /// Whether a password is set (without one the user cannot sign in yet).
    pub has_password: bool,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub last_login_at: Option<String>,
}

impl From<vigil_engine::auth::User> for User {
    fn from(u: vigil_engine::auth::User) -> Self {
        User {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
            cameras: u.cameras,
            enabled: u.enabled,
            has_password: u.has_password,
            created_at: rfc3339(u.created_at_ms),
            last_login_at: u.last_login_at_ms.map(rfc3339),
        }
    }
}

/// List users.
#[utoipa::path(get, path = "/users", tag = "users",
    responses((status = 200, body = Envelope<Vec<User>>)), security(("bearer" = ["admin"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Vec<User>>, ApiError> {
    require(&p, Permission::Admin)?;
    let users = st.engine.users().list().await?;
    Ok(Data(users.into_iter().map(User::from).collect()))
}

/// Create a user.
#[utoipa::path(post, path = "/users", tag = "users", request_body = UserCreate,
    responses((status = 201, body = Envelope<User>),
        (status = 404, description = "CAMERA_NOT_FOUND: a listed camera does not exist", body = ErrorBody),
        (status = 409, description = "USERNAME_TAKEN", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn create(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(req): Body<UserCreate>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::Admin)?;
    let u = st.engine.users().create(req).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::UserCreate)
            .target(u.username.clone())
            .client(client)
            .details(serde_json::json!({"id": u.id, "role": u.role, "cameras": u.cameras})),
    );
    Ok((StatusCode::CREATED, Data(User::from(u))))
}

/// One user.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 200, body = Envelope<User>), (status = 404, description = "USER_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn show(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<Data<User>, ApiError> {
    require(&p, Permission::Admin)?;
    Ok(Data(st.engine.users().get(id).await?.into()))
}

/// Change a user: username, display name, password (reset), role, cameras, enabled. A new
/// password or disabling ends the user's sessions.
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = i64, Path)),
    request_body = UserPatch,
    responses((status = 200, body = Envelope<User>),
        (status = 409, description = "USERNAME_TAKEN", body = ErrorBody),
        (status = 409, description = "LAST_ADMIN: the change would leave no enabled admin", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn update(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(patch): Body<UserPatch>,
) -> Result<Data<User>, ApiError> {
    require(&p, Permission::Admin)?;
    // What changed, for the audit log (never the password itself).
    let changed: Vec<&str> = [
        ("username", patch.username.is_some()),
        ("display_name", patch.display_name.is_some()),
        ("password", patch.password.is_some()),
        ("role", patch.role.is_some()),
        ("cameras", patch.cameras.is_some()),
        ("enabled", patch.enabled.is_some()),
    ]
    .into_iter()
    .filter_map(|(n, c)| c.then_some(n))
    .collect();
    let u = st.engine.users().update(id, patch).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::UserUpdate)
            .target(u.username.clone())
            .client(client)
            .details(
                serde_json::json!({"id": u.id, "changed": changed, "role": u.role,
                "cameras": u.cameras, "enabled": u.enabled}),
            ),
    );
    Ok(Data(u.into()))
}

/// Delete a user (their sessions end; the audit log keeps their name).
#[utoipa::path(delete, path = "/users/{id}", tag = "users", params(("id" = i64, Path)),
    responses((status = 204), (status = 409, description = "LAST_ADMIN", body = ErrorBody)),
    security(("bearer" = ["admin"])))]
pub async fn remove(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::Admin)?;
    let u = st.engine.users().delete(id).await?;
    st.engine.audit().record(
        AuditEntry::by(&p, AuditAction::UserDelete)
            .target(u.username)
            .client(client)
            .details(serde_json::json!({"id": id})),
    );
    Ok(StatusCode::NO_CONTENT)
}
