//! API tokens for scripts and integrations, and the admin token of the data dir: only a token's
//! SHA-256 is stored, the secret is shown once, and verification compares hashes in constant time
//! against every known token. Tokens have a role, optionally fewer permissions, optionally a set of
//! cameras, a rate limit and an expiry.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::{Arc, RwLock};

use serde::Deserialize;
use subtle::ConstantTimeEq;
use utoipa::ToSchema;
use vigil_base::{Clock, Error, ErrorKind, FieldErrors, Result, ResultExt, err};
use vigil_db::Database;
use vigil_db::tokens::{self as q, TokenRow};

use vigil_base::fields::optional_text;

use crate::users::{self, Sessions};
use crate::{Permission, Principal, Role, new_secret, sha256};

/// A token as listed (never with its secret).
#[derive(Clone, Debug, PartialEq)]
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
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub last_used_at_ms: Option<i64>,
    /// The cameras it may see; `None`: every camera.
    pub cameras: Option<Vec<i64>>,
}

/// Body of `POST /api/v1/tokens`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenCreate {
    pub name: String,
    pub remark: Option<String>,
    pub role: Option<Role>,
    /// Defaults to the role's permissions; must be a subset of them.
    pub permissions: Option<Vec<Permission>>,
    /// Requests per minute (1–100000); absent means unlimited.
    pub rate_limit_per_min: Option<i64>,
    /// Expiry as epoch ms or RFC 3339; absent means never.
    pub expires_at: Option<serde_json::Value>,
    /// Camera ids it may see; absent or null means every camera.
    pub cameras: Option<Vec<i64>>,
}

/// The document's view of [`TokenCreate`]'s fields but `role` and `permissions`, which
/// [`TokenCreate`]'s schema spells per role (the permissions a role allows differ, and a schema
/// that let any permission go with any role would allow what the server refuses).
#[derive(ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct TokenCreateFields {
    #[schema(
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max_length = 100
    )]
    name: String,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 500)]
    remark: Option<String>,
    /// Requests per minute (1–100000); absent means unlimited.
    #[schema(minimum = 1, maximum = 100000)]
    rate_limit_per_min: Option<i64>,
    /// Expiry as epoch ms or RFC 3339 (one already past makes a token that is expired from the
    /// start); absent means never.
    #[schema(value_type = Option<vigil_base::fields::InstantParam>)]
    expires_at: Option<serde_json::Value>,
    /// Camera ids the token may see (each an existing camera); absent or null means every
    /// camera, also those added later.
    #[schema(max_items = 1000)]
    cameras: Option<Vec<i64>>,
}

impl utoipa::PartialSchema for TokenCreate {
    /// One object per role: `role` names it (absent or null means viewer), `permissions` lists
    /// only what the role allows.
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Schema, Type};
        use utoipa::openapi::{RefOr, schema::SchemaType};
        let RefOr::T(Schema::Object(base)) = <TokenCreateFields as utoipa::PartialSchema>::schema()
        else {
            unreachable!("a struct's schema is an object")
        };
        let mut one = OneOfBuilder::new().description(Some(
            "Body of `POST /api/v1/tokens`: a role (default viewer) and optionally fewer permissions than it has.",
        ));
        for role in [Role::Viewer, Role::Operator, Role::Admin, Role::ApiOnly] {
            let mut o = base.clone();
            let names: Vec<&str> = role.permissions().iter().map(|p| p.as_str()).collect();
            let mut role_schema = ObjectBuilder::new().enum_values(Some([role.as_str()]));
            if role == Role::Viewer {
                role_schema = ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .enum_values(Some([Some(role.as_str()), None]));
            } else {
                role_schema = role_schema.schema_type(Type::String);
                o.required.push("role".into());
            }
            o.properties.insert("role".into(), role_schema.into());
            let perms = ArrayBuilder::new()
                .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
                .items(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(names)),
                )
                .description(Some(format!(
                    "Defaults to all of {}'s permissions; may list fewer.",
                    role.as_str()
                )));
            o.properties.insert("permissions".into(), perms.into());
            o.description = Some(format!("A token of role {}.", role.as_str()));
            one = one.item(Schema::Object(o));
        }
        one.into()
    }
}

impl ToSchema for TokenCreate {}

/// Answer of `POST /api/v1/tokens`: the only time the secret is shown.
#[derive(Clone, Debug)]
pub struct TokenCreated {
    pub token: TokenInfo,
    pub secret: String,
}

/// The admin token of this data dir.
#[derive(Clone)]
pub struct AdminToken(String);

impl AdminToken {
    /// `override_token` (env `VIGIL_TOKEN`) wins; otherwise the kept one, generated at first start.
    pub fn load_or_create(data_dir: &Path, override_token: Option<&str>) -> Result<AdminToken> {
        if let Some(t) = override_token {
            let t = t.trim();
            if t.len() < 16 {
                return Err(err!(
                    InvalidArgument,
                    "VIGIL_TOKEN must be at least 16 characters"
                ));
            }
            return Ok(AdminToken(t.to_string()));
        }
        let path = data_dir.join("admin_token");
        match std::fs::read_to_string(&path) {
            Ok(s) if s.trim().len() >= 16 => return Ok(AdminToken(s.trim().to_string())),
            Ok(_) => tracing::warn!("admin_token file is unusable; generating a new admin token"),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(err!(Unavailable, "reading {}", path.display()).with_source(e)),
        }
        let t = new_secret();
        vigil_base::fs::write_private(&path, t.as_bytes())?;
        tracing::info!("generated a new admin token (kept in the data dir, mode 0600)");
        Ok(AdminToken(t))
    }

    pub fn secret(&self) -> &str {
        &self.0
    }
}

struct Known {
    hash: [u8; 32],
    principal: Principal,
    expires_at_ms: Option<i64>,
    last_touch_ms: i64,
}

/// Verification of every bearer credential (the admin token, API tokens, users' access tokens)
/// and management of API tokens; keeps every token's hash in memory.
#[derive(Clone)]
pub struct TokenService {
    db: Database,
    clock: Arc<dyn Clock>,
    admin: AdminToken,
    /// The desktop credential: new at every start, never stored but in `runtime.json` (readable
    /// by the service's group), so it ends with the process and a copy cannot outlive it.
    desktop: Arc<str>,
    /// SHA-256 of the admin token and of the desktop credential, hashed once: both are fixed for
    /// the life of the process, and every request is compared against them.
    admin_hash: [u8; 32],
    desktop_hash: [u8; 32],
    known: Arc<RwLock<Vec<Known>>>,
    sessions: Sessions,
}

impl TokenService {
    /// `sessions` is shared with the [`crate::UserService`] that signs users in.
    pub fn load(
        db: Database,
        admin: AdminToken,
        clock: Arc<dyn Clock>,
        sessions: Sessions,
    ) -> Result<Self> {
        let rows = db.read_blocking(q::list)?;
        let known = rows.iter().filter_map(known_from_row).collect();
        let desktop: Arc<str> = crate::new_secret_with("vgd_").into();
        Ok(TokenService {
            db,
            clock,
            admin_hash: sha256(admin.secret()),
            desktop_hash: sha256(&desktop),
            admin,
            desktop,
            known: Arc::new(RwLock::new(known)),
            sessions,
        })
    }

    /// A receiver that changes whenever a credential is revoked or a user changed: open sockets
    /// wait on it and then ask [`TokenService::is_current`] whether they may stay open.
    pub fn revocations(&self) -> tokio::sync::watch::Receiver<u64> {
        self.sessions.revocations()
    }

    /// Whether `p` may use admin pages now: tokens always (they hold what they were given); a
    /// signed-in user only within five minutes of entering their password.
    pub fn recently_authenticated(&self, p: &Principal) -> bool {
        match &p.user {
            Some(u) => self
                .sessions
                .recently_authenticated(u.session_id, self.clock.now_ms()),
            None => true,
        }
    }

    /// Whether `p` still stands as it was when it authenticated: its token not revoked or
    /// expired, its user's session not ended, the user not disabled or changed.
    pub fn is_current(&self, p: &Principal) -> bool {
        if let Some(u) = &p.user {
            return self.sessions.is_current(u);
        }
        let Some(id) = p.token_id else {
            return true; // the admin token lives as long as the process
        };
        let now = self.clock.now_ms();
        self.known.read().is_ok_and(|k| {
            k.iter().any(|k| {
                k.principal.token_id == Some(id) && k.expires_at_ms.is_none_or(|e| e > now)
            })
        })
    }

    pub fn admin_secret(&self) -> &str {
        self.admin.secret()
    }

    /// The desktop credential (see [`Principal::desktop`]), for `runtime.json` and the desktop
    /// window; unlike the admin token it is not usable from another computer.
    pub fn desktop_secret(&self) -> &str {
        &self.desktop
    }

    /// Who holds `secret`, or `Unauthenticated` (`AUTH_TOKEN_INVALID`). Every known hash is compared,
    /// in constant time, whether or not an earlier one matched.
    pub fn authenticate(&self, secret: &str) -> Result<Principal> {
        if secret.starts_with(users::ACCESS_PREFIX) {
            return self.sessions.authenticate(secret, self.clock.now_ms());
        }
        let h = sha256(secret);
        let admin_h = self.admin_hash;
        let mut found: Option<Principal> = None;
        let is_admin = bool::from(h.ct_eq(&admin_h));
        let is_desktop = bool::from(h.ct_eq(&self.desktop_hash));
        let now = self.clock.now_ms();
        let mut touch: Option<i64> = None;
        {
            let known = self
                .known
                .read()
                .map_err(|_| err!(Internal, "token lock poisoned"))?;
            for k in known.iter() {
                if bool::from(h.ct_eq(&k.hash)) {
                    if k.expires_at_ms.is_some_and(|e| e <= now) {
                        return Err(err!(
                            Unauthenticated,
                            code = AuthTokenInvalid,
                            "token has expired"
                        ));
                    }
                    if now - k.last_touch_ms > 60_000 {
                        touch = k.principal.token_id;
                    }
                    found = Some(k.principal.clone());
                }
            }
        }
        if let Some(id) = touch {
            self.touch(id, now);
        }
        if is_admin {
            return Ok(Principal::admin_token());
        }
        if is_desktop {
            return Ok(Principal::desktop());
        }
        found.ok_or_else(|| err!(Unauthenticated, code = AuthTokenInvalid, "invalid token"))
    }

    /// Record last use at most once a minute per token, off the request path.
    fn touch(&self, id: i64, now: i64) {
        if let Ok(mut known) = self.known.write() {
            for k in known
                .iter_mut()
                .filter(|k| k.principal.token_id == Some(id))
            {
                k.last_touch_ms = now;
            }
        }
        // Queued on the writer thread; nobody waits for it.
        self.db.write_detached(move |c| {
            let _ = q::touch(c, id, now);
        });
    }

    pub async fn list(&self) -> Result<Vec<TokenInfo>> {
        let rows = self.db.read(q::list).await?;
        Ok(rows.iter().filter_map(info_from_row).collect())
    }

    pub async fn create(&self, req: TokenCreate) -> Result<TokenCreated> {
        let mut errs = FieldErrors::new();
        let name = vigil_base::fields::required_text(&mut errs, "name", &req.name, 100);
        let remark = optional_text(&mut errs, "remark", req.remark, 500);
        let role = req.role.unwrap_or(Role::Viewer);
        let allowed = role.permissions();
        let permissions: BTreeSet<Permission> = match req.permissions {
            Some(p) => {
                let p: BTreeSet<_> = p.into_iter().collect();
                if let Some(extra) = p.iter().find(|x| !allowed.contains(x)) {
                    errs.insert(
                        "permissions".into(),
                        format!("{} is not part of role {}", extra.as_str(), role.as_str()),
                    );
                }
                // An empty list is a token that passes authentication and may do nothing
                // else (a liveness probe's): odd but harmless, so allowed.
                p
            }
            None => allowed,
        };
        let rate = match req.rate_limit_per_min {
            None => None,
            Some(n) if (1..=100_000).contains(&n) => Some(n),
            Some(_) => {
                errs.insert(
                    "rate_limit_per_min".into(),
                    "must be between 1 and 100000".into(),
                );
                None
            }
        };
        let now = self.clock.now_ms();
        let expires = match req.expires_at {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => {
                // An instant already past is taken: the token is expired from the start and
                // authenticates nothing (what the document allows, the server does not refuse).
                match vigil_base::fields::instant_value(&v) {
                    Some(ms) => Some(ms),
                    None => {
                        errs.insert(
                            "expires_at".into(),
                            "must be epoch milliseconds or RFC 3339".into(),
                        );
                        None
                    }
                }
            }
        };
        if !errs.is_empty() {
            return Err(Error::validation(errs));
        }
        let cameras = req.cameras.clone();
        if let Some(c) = &cameras {
            let c = c.clone();
            let unknown = self
                .db
                .read(move |conn| vigil_db::users::unknown_cameras(conn, &c))
                .await?;
            if !unknown.is_empty() {
                // A camera that does not exist is a missing thing (404), not a malformed field.
                let msg = format!("no camera with id {unknown:?}");
                return Err(err!(NotFound, code = CameraNotFound, "{msg}")
                    .with_details(serde_json::json!({"fields": {"cameras": msg}})));
            }
        }
        let secret = new_secret();
        let row = TokenRow {
            id: 0,
            name,
            remark,
            role: role.as_str().into(),
            permissions_json: serde_json::to_string(&permissions)
                .err_kind(ErrorKind::Internal, || "encoding permissions".into())?,
            rate_limit_per_min: rate,
            secret_sha256: sha256(&secret).to_vec(),
            secret_prefix: secret.chars().take(12).collect(),
            created_at_ms: now,
            expires_at_ms: expires,
            last_used_at_ms: None,
            cameras_json: crate::scope_to_json(&cameras),
        };
        let id = self
            .db
            .write({
                let row = row.clone();
                move |c| q::insert(c, &row)
            })
            .await?;
        let row = TokenRow { id, ..row };
        if let Some(k) = known_from_row(&row) {
            self.known
                .write()
                .map_err(|_| err!(Internal, "token lock poisoned"))?
                .push(k);
        }
        let token = info_from_row(&row).ok_or_else(|| err!(Internal, "token row unreadable"))?;
        tracing::info!(token_id = id, name = %token.name, role = role.as_str(), "API token created");
        Ok(TokenCreated { token, secret })
    }

    pub async fn delete(&self, id: i64) -> Result<()> {
        if !self.db.write(move |c| q::delete(c, id)).await? {
            return Err(err!(NotFound, code = TokenNotFound, "token {id} not found"));
        }
        self.known
            .write()
            .map_err(|_| err!(Internal, "token lock poisoned"))?
            .retain(|k| k.principal.token_id != Some(id));
        // Its open sockets close.
        self.sessions.bump();
        tracing::info!(token_id = id, "API token revoked");
        Ok(())
    }
}

fn known_from_row(r: &TokenRow) -> Option<Known> {
    let role = Role::parse(&r.role)?;
    let permissions: BTreeSet<Permission> = serde_json::from_str(&r.permissions_json).ok()?;
    let hash: [u8; 32] = r.secret_sha256.as_slice().try_into().ok()?;
    Some(Known {
        hash,
        principal: Principal {
            token_id: Some(r.id),
            user: None,
            name: r.name.clone(),
            role,
            permissions,
            rate_limit_per_min: r.rate_limit_per_min.and_then(|n| u32::try_from(n).ok()),
            cameras: crate::scope_from_json(r.cameras_json.as_deref())?,
            same_host_only: false,
        },
        expires_at_ms: r.expires_at_ms,
        last_touch_ms: r.last_used_at_ms.unwrap_or(0),
    })
}

fn info_from_row(r: &TokenRow) -> Option<TokenInfo> {
    Some(TokenInfo {
        id: r.id,
        name: r.name.clone(),
        remark: r.remark.clone(),
        role: Role::parse(&r.role)?,
        permissions: serde_json::from_str(&r.permissions_json).ok()?,
        rate_limit_per_min: r.rate_limit_per_min.and_then(|n| u32::try_from(n).ok()),
        prefix: r.secret_prefix.clone(),
        created_at_ms: r.created_at_ms,
        expires_at_ms: r.expires_at_ms,
        last_used_at_ms: r.last_used_at_ms,
        cameras: crate::scope_from_json(r.cameras_json.as_deref())?
            .map(|c| c.iter().copied().collect()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_base::SimulatedClock;

    struct T {
        clock: SimulatedClock,
        svc: TokenService,
        dir: tempfile::TempDir,
    }

    fn service() -> T {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("v.db")).unwrap();
        let clock = SimulatedClock::new(1_763_712_000_000);
        let admin = AdminToken::load_or_create(dir.path(), None).unwrap();
        let sessions = Sessions::new();
        let svc = TokenService::load(db, admin, Arc::new(clock.clone()), sessions).unwrap();
        T { clock, svc, dir }
    }

    #[tokio::test]
    async fn tokens_authenticate_by_hash_and_expire() {
        let t = service();
        let svc = &t.svc;
        let admin = svc.authenticate(svc.admin_secret()).unwrap();
        assert!(admin.has(Permission::RecordingDelete));
        assert_eq!(
            svc.authenticate("nope").unwrap_err().code(),
            vigil_base::ErrorCode::AuthTokenInvalid
        );

        let created = svc
            .create(TokenCreate {
                name: "wall display".into(),
                role: Some(Role::Viewer),
                rate_limit_per_min: Some(30),
                expires_at: Some(serde_json::json!(t.clock.now_ms() + 60_000)),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(created.secret.starts_with("vgl_"));
        let p = svc.authenticate(&created.secret).unwrap();
        assert!(p.has(Permission::StreamView));
        assert!(!p.has(Permission::CameraWrite));
        assert_eq!(p.rate_limit_per_min, Some(30));

        // The database holds no trace of the secret.
        let mut raw = std::fs::read(t.dir.path().join("v.db")).unwrap_or_default();
        raw.extend(std::fs::read(t.dir.path().join("v.db-wal")).unwrap_or_default());
        assert!(
            !raw.windows(created.secret.len())
                .any(|w| w == created.secret.as_bytes())
        );

        t.clock.advance_ms(60_001);
        assert!(
            svc.authenticate(&created.secret)
                .unwrap_err()
                .to_string()
                .contains("expired")
        );

        svc.delete(created.token.id).await.unwrap();
        assert_eq!(
            svc.delete(created.token.id).await.unwrap_err().code(),
            vigil_base::ErrorCode::TokenNotFound
        );
        assert!(svc.list().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn permissions_must_fit_the_role() {
        let t = service();
        let e = t
            .svc
            .create(TokenCreate {
                name: "x".into(),
                role: Some(Role::Viewer),
                permissions: Some(vec![Permission::CameraWrite]),
                rate_limit_per_min: Some(0),
                expires_at: Some(serde_json::json!("last tuesday")),
                ..Default::default()
            })
            .await
            .unwrap_err();
        let f = &e.details().unwrap()["fields"];
        assert_eq!(f["permissions"], "camera:write is not part of role viewer");
        assert!(f["rate_limit_per_min"].is_string());
        assert!(f["expires_at"].is_string());
    }

    #[test]
    fn admin_token_is_kept_or_overridden() {
        let dir = tempfile::tempdir().unwrap();
        let a = AdminToken::load_or_create(dir.path(), None).unwrap();
        let b = AdminToken::load_or_create(dir.path(), None).unwrap();
        assert_eq!(a.secret(), b.secret());
        let o = AdminToken::load_or_create(dir.path(), Some("a-token-from-the-env-123")).unwrap();
        assert_eq!(o.secret(), "a-token-from-the-env-123");
        assert!(AdminToken::load_or_create(dir.path(), Some("short")).is_err());
    }
}
