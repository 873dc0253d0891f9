//! `/api/v1/auth`: sign in with a username and password, refresh, sign out, who am I. Sign-in and
//! refresh need no bearer token (they make one); the answers are the same for an unknown user
//! and a wrong password, and repeated failures lock out (429 with `Retry-After`).

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_engine::auth::LoginOutcome;
use vigil_engine::{AuditAction, AuditEntry, Permission, Principal, Role};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{Body, Data, Envelope};
use crate::security::ClientAddr;
use crate::users::User;

pub fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(refresh))
        .routes(routes!(setup))
}

/// Body of `POST /auth/setup`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetupRequest {
    /// The code of the set-up link `vigil serve` printed.
    #[schema(max_length = 256)]
    pub code: String,
    #[schema(pattern = "^[A-Za-z0-9._@-]{1,64}$")]
    pub username: String,
    #[schema(min_length = 8, max_length = 256)]
    pub password: String,
}

/// First run: create the first admin with the one-time set-up link's code (printed by
/// `vigil serve` while nobody has an account), and sign them in.
#[utoipa::path(post, path = "/auth/setup", tag = "auth", request_body = SetupRequest,
    responses((status = 200, body = Envelope<LoginResponse>),
        (status = 401, description = "AUTH_CREDENTIALS_INVALID: not the link's code (it works once; a restart makes a new one)", body = crate::error::ErrorBody),
        (status = 409, description = "FAILED_PRECONDITION: someone has an account already", body = crate::error::ErrorBody),
        (status = 429, description = "RATE_LIMIT_EXCEEDED (see Retry-After)", body = crate::error::ErrorBody)))]
pub async fn setup(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(req): Body<SetupRequest>,
) -> Result<Data<LoginResponse>, ApiError> {
    let out = st
        .engine
        .users()
        .setup(&req.code, &req.username, &req.password, client)
        .await?;
    Ok(Data(out.into()))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(reauth))
        .routes(routes!(desk_lock))
        .routes(routes!(desk_unlock))
}

/// The desk was locked (the live grid stays, read-only, until someone signs in): for the audit
/// log.
#[utoipa::path(post, path = "/auth/lock", tag = "auth", responses((status = 204)),
    security(("bearer" = [])))]
pub async fn desk_lock(
    st: State<AppState>,
    client: ClientAddr,
    p: Extension<Principal>,
) -> StatusCode {
    desk(st, client, p, AuditAction::DeskLock)
}

/// The desk was unlocked by the caller (who has just signed in): for the audit log.
#[utoipa::path(post, path = "/auth/unlock", tag = "auth", responses((status = 204)),
    security(("bearer" = [])))]
pub async fn desk_unlock(
    st: State<AppState>,
    client: ClientAddr,
    p: Extension<Principal>,
) -> StatusCode {
    desk(st, client, p, AuditAction::DeskUnlock)
}

fn desk(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    action: AuditAction,
) -> StatusCode {
    st.engine
        .audit()
        .record(AuditEntry::by(&p, action).client(client));
    StatusCode::NO_CONTENT
}

/// Body of `POST /auth/reauth`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReauthRequest {
    #[schema(max_length = 1024)]
    pub password: String,
}

/// Enter the password again: admin routes (users, tokens, the audit log) answer 403
/// `AUTH_REAUTH_REQUIRED` to a signed-in admin whose last password entry is over five minutes old.
#[utoipa::path(post, path = "/auth/reauth", tag = "auth", request_body = ReauthRequest,
    responses((status = 204),
        (status = 401, description = "AUTH_CREDENTIALS_INVALID: wrong password", body = crate::error::ErrorBody),
        (status = 409, description = "FAILED_PRECONDITION: the caller is a token, not a signed-in user", body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn reauth(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
    Body(req): Body<ReauthRequest>,
) -> Result<StatusCode, ApiError> {
    st.engine
        .users()
        .reauthenticate(&p, &req.password, client)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Body of `POST /auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(max_length = 256)]
    pub username: String,
    #[schema(max_length = 1024)]
    pub password: String,
}

/// Body of `POST /auth/refresh`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(max_length = 256)]
    pub refresh_token: String,
}

/// A signed-in session's tokens.
#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Bearer token for every request, good for `expires_in` seconds.
    pub access_token: String,
    /// Good once, for 7 days: `POST /auth/refresh` spends it for a new pair. Presenting a spent
    /// one ends the session.
    pub refresh_token: String,
    pub expires_in: i64,
    pub user: User,
}

impl From<LoginOutcome> for LoginResponse {
    fn from(o: LoginOutcome) -> Self {
        LoginResponse {
            access_token: o.session.access_token,
            refresh_token: o.session.refresh_token,
            expires_in: o.session.expires_in,
            user: o.user.into(),
        }
    }
}

/// Who the caller is and what it may do.
#[derive(Serialize, ToSchema)]
pub struct Me {
    /// `user`, `token` or `admin_token`.
    pub kind: String,
    pub name: String,
    pub role: Role,
    pub permissions: Vec<Permission>,
    /// Camera ids it may see; `null`: every camera.
    pub cameras: Option<Vec<i64>>,
    /// The user, when signed in as one.
    pub user: Option<User>,
}

/// Sign in. Wrong or unknown credentials: 401 `AUTH_CREDENTIALS_INVALID`; too many failures
/// for this username or address: 429 `RATE_LIMIT_EXCEEDED` with `Retry-After`.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Envelope<LoginResponse>),
        (status = 401, description = "AUTH_CREDENTIALS_INVALID", body = crate::error::ErrorBody),
        (status = 429, description = "RATE_LIMIT_EXCEEDED (see Retry-After)", body = crate::error::ErrorBody)))]
pub async fn login(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(req): Body<LoginRequest>,
) -> Result<Data<LoginResponse>, ApiError> {
    let out = st
        .engine
        .users()
        .login(&req.username, &req.password, client)
        .await;
    match &out {
        Ok(_) => st.metrics.login("ok"),
        Err(e) if e.code() == vigil_base::ErrorCode::RateLimitExceeded => {
            st.metrics.login("locked")
        }
        Err(_) => st.metrics.login("failed"),
    }
    Ok(Data(out?.into()))
}

/// Spend a refresh token for a new access and refresh token.
#[utoipa::path(post, path = "/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Envelope<LoginResponse>),
        (status = 401, description = "AUTH_REFRESH_INVALID: unknown, spent (the session is now revoked), expired or signed out", body = crate::error::ErrorBody)))]
pub async fn refresh(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Body(req): Body<RefreshRequest>,
) -> Result<Data<LoginResponse>, ApiError> {
    let out = st
        .engine
        .users()
        .refresh(&req.refresh_token, client)
        .await?;
    Ok(Data(out.into()))
}

/// Sign out: ends this session (its access and refresh tokens) and closes its sockets.
#[utoipa::path(post, path = "/auth/logout", tag = "auth",
    responses((status = 204), (status = 409, description = "FAILED_PRECONDITION: the caller is a token, not a signed-in user", body = crate::error::ErrorBody)),
    security(("bearer" = [])))]
pub async fn logout(
    State(st): State<AppState>,
    ClientAddr(client): ClientAddr,
    Extension(p): Extension<Principal>,
) -> Result<StatusCode, ApiError> {
    st.engine.users().logout(&p).await?;
    st.engine
        .audit()
        .record(AuditEntry::by(&p, AuditAction::Logout).client(client));
    Ok(StatusCode::NO_CONTENT)
}

/// The caller: user or token, role, permissions and cameras.
#[utoipa::path(get, path = "/auth/me", tag = "auth",
    responses((status = 200, body = Envelope<Me>)), security(("bearer" = [])))]
pub async fn me(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
) -> Result<Data<Me>, ApiError> {
    let user = match &p.user {
        Some(u) => Some(st.engine.users().get(u.id).await?.into()),
        None => None,
    };
    Ok(Data(Me {
        kind: match (&p.user, p.token_id) {
            (Some(_), _) => "user",
            (None, Some(_)) => "token",
            (None, None) => "admin_token",
        }
        .into(),
        name: p.name.clone(),
        role: p.role,
        permissions: p.permissions.iter().copied().collect(),
        cameras: p.cameras.as_ref().map(|c| c.iter().copied().collect()),
        user,
    }))
}
