//! Who may do what, and who did what. The vocabulary ([`Permission`], [`Role`], [`Principal`]),
//! and the services built on it:
//! - [`tokens`]: the admin token of the data dir and API tokens (hashed, rate-limited, expiring),
//!   which also verifies every bearer credential a request carries;
//! - [`users`]: user accounts with argon2id passwords, login sessions of short access tokens and
//!   rotating one-use refresh tokens (a reused one revokes its family), brute-force lockout;
//! - [`audit`]: the append-only trail of who did what, when and from where.

pub mod audit;
mod limiter;
pub mod password;
mod sessions;
pub mod tokens;
pub mod users;

use std::collections::BTreeSet;
use std::sync::Arc;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

pub use audit::{AuditAction, AuditEntry, AuditLog, AuditOutcome};
pub use tokens::{AdminToken, TokenCreate, TokenCreated, TokenInfo, TokenService};
pub use users::{LoginOutcome, Session, User, UserCreate, UserPatch, UserRole, UserService};

/// A permission a route can require.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
pub enum Permission {
    #[serde(rename = "camera:read")]
    CameraRead,
    #[serde(rename = "camera:write")]
    CameraWrite,
    #[serde(rename = "stream:view")]
    StreamView,
    /// Steer PTZ cameras: move, zoom, go to and save presets.
    #[serde(rename = "camera:ptz")]
    CameraPtz,
    #[serde(rename = "recording:read")]
    RecordingRead,
    /// Exports and whole-file downloads of recordings.
    #[serde(rename = "recording:export")]
    RecordingExport,
    #[serde(rename = "recording:delete")]
    RecordingDelete,
    /// Acknowledge and mark alerts reviewed.
    #[serde(rename = "alert:ack")]
    AlertAck,
    #[serde(rename = "bookmark:write")]
    BookmarkWrite,
    /// Lock footage against retention, and unlock it.
    #[serde(rename = "footage:lock")]
    FootageLock,
    /// Storage settings and maintenance passes.
    #[serde(rename = "storage:admin")]
    StorageAdmin,
    /// Everything: users, tokens, the audit log.
    #[serde(rename = "admin")]
    Admin,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::CameraRead,
        Permission::CameraWrite,
        Permission::StreamView,
        Permission::CameraPtz,
        Permission::RecordingRead,
        Permission::RecordingExport,
        Permission::RecordingDelete,
        Permission::AlertAck,
        Permission::BookmarkWrite,
        Permission::FootageLock,
        Permission::StorageAdmin,
        Permission::Admin,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::CameraRead => "camera:read",
            Permission::CameraWrite => "camera:write",
            Permission::StreamView => "stream:view",
            Permission::CameraPtz => "camera:ptz",
            Permission::RecordingRead => "recording:read",
            Permission::RecordingExport => "recording:export",
            Permission::RecordingDelete => "recording:delete",
            Permission::AlertAck => "alert:ack",
            Permission::BookmarkWrite => "bookmark:write",
            Permission::FootageLock => "footage:lock",
            Permission::StorageAdmin => "storage:admin",
            Permission::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Permission> {
        Permission::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A role: a named default set of permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything: cameras, storage, users, tokens, the audit log.
    Admin,
    /// Runs the desk: live, playback, export, acknowledge alerts, bookmarks, footage locks.
    Operator,
    /// Watches live and recorded video.
    Viewer,
    /// Integrations that read the registry and recordings but do not watch streams (tokens only).
    ApiOnly,
}

impl Role {
    pub fn permissions(self) -> BTreeSet<Permission> {
        use Permission::*;
        let p: &[Permission] = match self {
            Role::Admin => &Permission::ALL,
            Role::Operator => &[
                CameraRead,
                StreamView,
                CameraPtz,
                RecordingRead,
                RecordingExport,
                AlertAck,
                BookmarkWrite,
                FootageLock,
            ],
            Role::Viewer => &[CameraRead, StreamView, RecordingRead],
            Role::ApiOnly => &[CameraRead, RecordingRead],
        };
        p.iter().copied().collect()
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Viewer => "viewer",
            Role::ApiOnly => "api_only",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "admin" => Role::Admin,
            "operator" => Role::Operator,
            "viewer" => Role::Viewer,
            "api_only" => Role::ApiOnly,
            _ => return None,
        })
    }
}

/// The cameras a caller may see: `None` is every camera (also those added later).
pub type CameraScope = Option<Arc<BTreeSet<i64>>>;

/// A signed-in user behind a [`Principal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRef {
    pub id: i64,
    /// The login session (the refresh-token family).
    pub session_id: i64,
    /// The user's record version when the principal was made: a change of role, cameras,
    /// password or enabled makes it stale, which closes the user's open sockets.
    pub version: u64,
}

/// An authenticated caller.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The API token, `None` for the admin token and users.
    pub token_id: Option<i64>,
    /// The user, for a login session.
    pub user: Option<UserRef>,
    /// The token's name or the username.
    pub name: String,
    pub role: Role,
    pub permissions: BTreeSet<Permission>,
    pub rate_limit_per_min: Option<u32>,
    pub cameras: CameraScope,
    /// Accepted only from this computer (the desktop credential): the API refuses it from any
    /// other address.
    pub same_host_only: bool,
}

impl Principal {
    /// The admin token's caller: everything, every camera.
    pub fn admin_token() -> Principal {
        Principal {
            token_id: None,
            user: None,
            name: "admin".into(),
            role: Role::Admin,
            permissions: Role::Admin.permissions(),
            rate_limit_per_min: None,
            cameras: None,
            same_host_only: false,
        }
    }

    /// The desktop window's caller (the credential `runtime.json` carries for it): an admin, named
    /// `desktop` in the audit log, accepted only from this computer.
    pub fn desktop() -> Principal {
        Principal {
            name: "desktop".into(),
            same_host_only: true,
            ..Principal::admin_token()
        }
    }

    pub fn has(&self, p: Permission) -> bool {
        self.permissions.contains(&p) || self.permissions.contains(&Permission::Admin)
    }

    /// Whether `camera_id` is within the caller's cameras.
    pub fn can_see(&self, camera_id: i64) -> bool {
        self.cameras.as_ref().is_none_or(|c| c.contains(&camera_id))
    }

    /// Whether the caller sees every camera (lists need no filtering).
    pub fn sees_all(&self) -> bool {
        self.cameras.is_none()
    }

    /// A key for per-caller accounting (rate limits).
    pub fn key(&self) -> String {
        match (&self.user, self.token_id) {
            (Some(u), _) => format!("user:{}", u.id),
            (None, Some(id)) => format!("token:{id}"),
            (None, None) => "admin".into(),
        }
    }

    /// Who, for the audit log: `user:alice`, `token:wall display`, `admin token`.
    pub fn actor(&self) -> String {
        match (&self.user, self.token_id) {
            (Some(_), _) => format!("user:{}", self.name),
            (None, Some(_)) => format!("token:{}", self.name),
            (None, None) => "admin token".into(),
        }
    }
}

/// Camera ids from their stored JSON (`None`/NULL: every camera).
pub(crate) fn scope_from_json(json: Option<&str>) -> Option<CameraScope> {
    match json {
        None => Some(None),
        Some(j) => serde_json::from_str::<BTreeSet<i64>>(j)
            .ok()
            .map(|s| Some(Arc::new(s))),
    }
}

pub(crate) fn scope_to_json(scope: &Option<Vec<i64>>) -> Option<String> {
    scope.as_ref().map(|c| {
        let set: BTreeSet<i64> = c.iter().copied().collect();
        serde_json::to_string(&set).unwrap_or_else(|_| "[]".into())
    })
}

pub(crate) fn sha256(s: &str) -> [u8; 32] {
    Sha256::digest(s.as_bytes()).into()
}

/// `prefix` and 256 random bits, URL-safe.
pub(crate) fn new_secret_with(prefix: &str) -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("OS random number generator");
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
    )
}

/// An API token's secret: `vgl_` and 256 random bits.
pub(crate) fn new_secret() -> String {
    new_secret_with("vgl_")
}
