//! User accounts and their sign-in sessions.
//!
//! A login gives a short-lived access token (15 min, `vga_…`, held only in memory: a restart
//! simply makes clients refresh) and a refresh token (7 days, `vgr_…`, stored as SHA-256) that is
//! good once: refreshing spends it and issues the next of its family, and presenting a spent one
//! (a stolen copy, or the owner's after a thief used it) revokes the whole family. Passwords are
//! argon2id ([`crate::password`]); an unknown username is answered like a wrong password, after
//! the same hashing work. Failed sign-ins lock out per username and per address
//! ([`crate::limiter`]).
//!
//! [`Sessions`] is the in-memory half shared with [`crate::TokenService`], which verifies access
//! tokens on every request with one hash-map lookup (no database read, no argon2).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::fields::{optional_text, some};
use vigil_base::{Clock, Error, FieldErrors, Result, bail, err};
use vigil_db::Database;
use vigil_db::users::{self as q, Refresh, UpdateOutcome, UserRow};

use crate::audit::{AuditAction, AuditEntry, AuditLog, AuditOutcome};
use crate::limiter::LoginLimiter;
use crate::{Principal, Role, password, scope_to_json, sha256};

pub use crate::sessions::Sessions;

pub const ACCESS_PREFIX: &str = "vga_";
pub const REFRESH_PREFIX: &str = "vgr_";
pub const ACCESS_TTL_MS: i64 = 15 * 60_000;
pub const REFRESH_TTL_MS: i64 = 7 * 86_400_000;
/// Admin pages (users, tokens, the audit log) need the password entered this recently.
pub const REAUTH_TTL_MS: i64 = 5 * 60_000;

/// The roles a person can have (`api_only` is for tokens).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// Everything: cameras, storage, users, tokens, the audit log.
    Admin,
    /// Live, playback, export, acknowledge alerts, bookmarks, footage locks.
    Operator,
    /// Live and playback only.
    Viewer,
}

impl UserRole {
    pub fn role(self) -> Role {
        match self {
            UserRole::Admin => Role::Admin,
            UserRole::Operator => Role::Operator,
            UserRole::Viewer => Role::Viewer,
        }
    }
    pub(crate) fn parse(s: &str) -> Option<UserRole> {
        Some(match s {
            "admin" => UserRole::Admin,
            "operator" => UserRole::Operator,
            "viewer" => UserRole::Viewer,
            _ => return None,
        })
    }
}

/// A user as listed (never with the password hash).
#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub role: UserRole,
    /// `None`: every camera.
    pub cameras: Option<Vec<i64>>,
    pub enabled: bool,
    /// Whether a password is set (a user without one cannot sign in yet).
    pub has_password: bool,
    pub created_at_ms: i64,
    pub last_login_at_ms: Option<i64>,
}

/// Body of `POST /api/v1/users`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    /// Letters, digits and `.`, `_`, `-`, `@`; unique regardless of case.
    #[schema(pattern = "^[A-Za-z0-9._@-]{1,64}$")]
    pub username: String,
    /// 8 to 256 characters; absent or null: none yet (the user cannot sign in until one is set).
    #[schema(min_length = 8, max_length = 256)]
    pub password: Option<String>,
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    pub display_name: Option<String>,
    pub role: UserRole,
    /// Camera ids the user may see; absent or null: every camera, also those added later.
    #[schema(max_items = 1000)]
    pub cameras: Option<Vec<i64>>,
}

/// Body of `PATCH /api/v1/users/{id}`: absent fields are kept, `null` clears optional ones
/// (`cameras: null` is every camera).
#[derive(Clone, Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    #[schema(pattern = "^[A-Za-z0-9._@-]{1,64}$")]
    pub username: Option<String>,
    #[schema(min_length = 8, max_length = 256)]
    pub password: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 100)]
    pub display_name: Option<Option<String>>,
    pub role: Option<UserRole>,
    #[serde(default, deserialize_with = "some")]
    #[schema(max_items = 1000)]
    pub cameras: Option<Option<Vec<i64>>>,
    pub enabled: Option<bool>,
}

/// The tokens of a sign-in or a refresh.
#[derive(Clone, Debug)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds the access token is good for.
    pub expires_in: i64,
}

#[derive(Clone, Debug)]
pub struct LoginOutcome {
    pub session: Session,
    pub user: User,
}

/// Sign-in counters for `/metrics`.
#[derive(Default)]
pub struct AuthCounters {
    pub logins: AtomicU64,
    pub failures: AtomicU64,
    pub lockouts: AtomicU64,
    pub refresh_reuse: AtomicU64,
}

/// User management and sign-in.
#[derive(Clone)]
pub struct UserService {
    db: Database,
    clock: Arc<dyn Clock>,
    sessions: Sessions,
    limiter: Arc<LoginLimiter>,
    audit: AuditLog,
    counters: Arc<AuthCounters>,
    /// While nobody has an account: the code of the one-time set-up link `vigil serve` prints.
    setup: Arc<std::sync::Mutex<Option<String>>>,
}

impl UserService {
    pub fn load(
        db: Database,
        clock: Arc<dyn Clock>,
        sessions: Sessions,
        audit: AuditLog,
    ) -> Result<Self> {
        for row in db.read_blocking(q::list)? {
            sessions.cache_user(&row);
        }
        Ok(UserService {
            db,
            clock,
            sessions,
            limiter: Arc::new(LoginLimiter::default()),
            audit,
            counters: Arc::new(AuthCounters::default()),
            setup: Arc::default(),
        })
    }

    /// `RATE_LIMIT_EXCEEDED` (with `details.retry_after_s`) while `key` or the client address is
    /// locked out; counts the refusal for the `auth_failures` alert.
    fn not_locked_out(&self, key: &str, client_key: &str, now: i64, what: &str) -> Result<()> {
        let Err(ms) = self.limiter.check(key, client_key, now) else {
            return Ok(());
        };
        self.counters.lockouts.fetch_add(1, Ordering::Relaxed);
        self.limiter.refused(now);
        let retry_after_s = (ms + 999) / 1000;
        Err(err!(
            ResourceExhausted,
            code = RateLimitExceeded,
            "too many {what}; try again in {retry_after_s} s"
        )
        .with_details(serde_json::json!({"retry_after_s": retry_after_s})))
    }

    /// First run: while no user exists, a code for the one-time set-up link (made once per
    /// process; `None` once someone has an account).
    pub async fn setup_code(&self) -> Result<Option<String>> {
        if self.any().await? {
            return Ok(None);
        }
        let mut code = self.setup.lock().unwrap_or_else(|p| p.into_inner());
        if code.is_none() {
            *code = Some(crate::new_secret_with(""));
        }
        Ok(code.clone())
    }

    /// Create the first admin through the set-up link's `code`, and sign them in. The code works
    /// once, and only while nobody has an account.
    pub async fn setup(
        &self,
        code: &str,
        username: &str,
        password_in: &str,
        client: Option<String>,
    ) -> Result<LoginOutcome> {
        let now = self.clock.now_ms();
        let client_key = client.clone().unwrap_or_default();
        self.not_locked_out("(set-up)", &client_key, now, "wrong set-up codes")?;
        let expected = self.setup.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let good = expected.is_some_and(|e| {
            use subtle::ConstantTimeEq;
            bool::from(sha256(&e).ct_eq(&sha256(code)))
        });
        if !good {
            self.limiter.fail("(set-up)", &client_key, now);
            return Err(err!(
                Unauthenticated,
                code = AuthCredentialsInvalid,
                "this set-up link is not valid (it works once, and a restart makes a new one)"
            ));
        }
        if self.any().await? {
            bail!(
                FailedPrecondition,
                "Vigil is set up already: sign in, or ask an admin for an account"
            );
        }
        let user = self
            .create(UserCreate {
                username: username.to_string(),
                password: Some(password_in.to_string()),
                display_name: None,
                role: UserRole::Admin,
                cameras: None,
            })
            .await?;
        *self.setup.lock().unwrap_or_else(|p| p.into_inner()) = None;
        self.audit.record(
            AuditEntry::by_actor("set-up link", AuditAction::UserCreate)
                .target(user.username.clone())
                .client(client.clone())
                .details(serde_json::json!({"id": user.id, "role": "admin", "first": true})),
        );
        self.login(username, password_in, client).await
    }

    pub fn counters(&self) -> &AuthCounters {
        &self.counters
    }

    /// Failed or locked-out sign-ins in the last minute (the `auth_failures` alert watches it).
    pub fn failures_last_minute(&self) -> usize {
        self.limiter.failures_last_minute(self.clock.now_ms())
    }

    pub async fn list(&self) -> Result<Vec<User>> {
        let rows = self.db.read(q::list).await?;
        Ok(rows.iter().filter_map(user_from_row).collect())
    }

    pub async fn get(&self, id: i64) -> Result<User> {
        let row = self.db.read(move |c| q::get(c, id)).await?;
        row.as_ref()
            .and_then(user_from_row)
            .ok_or_else(|| not_found(id))
    }

    /// Whether any user exists (first run: the owner is still to be created).
    pub async fn any(&self) -> Result<bool> {
        Ok(!self.db.read(q::list).await?.is_empty())
    }

    pub async fn create(&self, req: UserCreate) -> Result<User> {
        let mut errs = FieldErrors::new();
        let username = check_username(&mut errs, &req.username);
        let display_name = optional_text(&mut errs, "display_name", req.display_name, 100);
        let hash_input = req.password.clone();
        if let Some(pw) = &hash_input
            && let Some(why) = password::check_policy(pw)
        {
            errs.insert("password".into(), why);
        }
        if !errs.is_empty() {
            return Err(Error::validation(errs));
        }
        self.check_cameras(&req.cameras).await?;
        let password_hash = match hash_input {
            Some(pw) => Some(hash_blocking(pw).await?),
            None => None,
        };
        let now = self.clock.now_ms();
        let row = UserRow {
            id: 0,
            username,
            display_name,
            role: role_str(req.role).into(),
            cameras_json: scope_to_json(&req.cameras),
            enabled: true,
            password_hash,
            created_at_ms: now,
            updated_at_ms: now,
            last_login_at_ms: None,
        };
        let id = self
            .db
            .write({
                let row = row.clone();
                move |c| q::insert(c, &row)
            })
            .await?
            .ok_or_else(|| taken(&row.username))?;
        let row = UserRow { id, ..row };
        self.sessions.cache_user(&row);
        tracing::info!(user_id = id, username = %row.username, role = %row.role, "user created");
        user_from_row(&row).ok_or_else(|| err!(Internal, "user row unreadable"))
    }

    /// Apply `patch`. A change of role, cameras, password or enabled closes the user's open
    /// sockets (they re-authenticate with the new rights); a new password or disabling also ends
    /// every session.
    pub async fn update(&self, id: i64, patch: UserPatch) -> Result<User> {
        let Some(mut row) = self.db.read(move |c| q::get(c, id)).await? else {
            return Err(not_found(id));
        };
        let mut errs = FieldErrors::new();
        if let Some(u) = &patch.username {
            row.username = check_username(&mut errs, u);
        }
        if let Some(d) = patch.display_name {
            row.display_name = optional_text(&mut errs, "display_name", d, 100);
        }
        if let Some(pw) = &patch.password
            && let Some(why) = password::check_policy(pw)
        {
            errs.insert("password".into(), why);
        }
        if !errs.is_empty() {
            return Err(Error::validation(errs));
        }
        if let Some(c) = &patch.cameras {
            self.check_cameras(c).await?;
        }
        let was_admin = row.role == "admin" && row.enabled;
        if let Some(r) = patch.role {
            row.role = role_str(r).into();
        }
        if let Some(c) = &patch.cameras {
            row.cameras_json = scope_to_json(c);
        }
        if let Some(e) = patch.enabled {
            row.enabled = e;
        }
        let end_sessions = patch.password.is_some() || patch.enabled == Some(false);
        if let Some(pw) = patch.password {
            row.password_hash = Some(hash_blocking(pw).await?);
        }
        row.updated_at_ms = self.clock.now_ms();
        let still_admin = row.role == "admin" && row.enabled;
        let now = row.updated_at_ms;
        let outcome = self
            .db
            .write({
                let row = row.clone();
                move |c| {
                    if was_admin && !still_admin && q::other_enabled_admins(c, row.id)? == 0 {
                        return Ok(None);
                    }
                    let o = q::update(c, &row)?;
                    let ended = if end_sessions && o == UpdateOutcome::Updated {
                        q::revoke_user_sessions(c, row.id, now, "password changed or disabled")?
                    } else {
                        vec![]
                    };
                    Ok(Some((o, ended)))
                }
            })
            .await?;
        let Some((outcome, ended)) = outcome else {
            return Err(last_admin());
        };
        match outcome {
            UpdateOutcome::Missing => return Err(not_found(id)),
            UpdateOutcome::NameTaken => return Err(taken(&row.username)),
            UpdateOutcome::Updated => {}
        }
        self.sessions.cache_user(&row);
        self.sessions.end_sessions(&ended);
        self.sessions.bump();
        user_from_row(&row).ok_or_else(|| err!(Internal, "user row unreadable"))
    }

    pub async fn delete(&self, id: i64) -> Result<User> {
        let user = self.get(id).await?;
        let ok = self
            .db
            .write(move |c| {
                let row = q::get(c, id)?;
                if row.is_some_and(|r| r.role == "admin" && r.enabled)
                    && q::other_enabled_admins(c, id)? == 0
                {
                    return Ok(None);
                }
                q::delete(c, id).map(Some)
            })
            .await?;
        match ok {
            None => return Err(last_admin()),
            Some(false) => return Err(not_found(id)),
            Some(true) => {}
        }
        self.sessions.forget_user(id);
        self.sessions.bump();
        tracing::info!(user_id = id, username = %user.username, "user deleted");
        Ok(user)
    }

    /// Sign in. Locked out: `RATE_LIMIT_EXCEEDED` with `details.retry_after_s`. Wrong password,
    /// unknown or disabled user: `AUTH_CREDENTIALS_INVALID`, after the same argon2 work.
    pub async fn login(
        &self,
        username: &str,
        password_in: &str,
        client: Option<String>,
    ) -> Result<LoginOutcome> {
        let now = self.clock.now_ms();
        let client_key = client.clone().unwrap_or_default();
        if let Err(e) = self.not_locked_out(username, &client_key, now, "failed sign-ins") {
            let retry = e.details().map(|d| d["retry_after_s"].clone());
            self.audit.record(
                AuditEntry::by_actor(format!("user:{username}?"), AuditAction::LoginFailed)
                    .outcome(AuditOutcome::Refused)
                    .client(client)
                    .details(serde_json::json!({"reason": "locked out", "retry_after_s": retry})),
            );
            return Err(e);
        }
        let name = username.to_string();
        let row = if name.len() <= 64 {
            self.db.read(move |c| q::by_name(c, &name)).await?
        } else {
            None
        };
        let stored = row
            .as_ref()
            .and_then(|r| r.password_hash.clone())
            .unwrap_or_else(|| password::decoy().to_string());
        let pw = password_in.to_string();
        let matches = tokio::task::spawn_blocking(move || password::verify(&pw, &stored))
            .await
            .map_err(|e| err!(Internal, "password check: {e}"))?;
        let user = row.filter(|r| matches && r.enabled && r.password_hash.is_some());
        let Some(row) = user else {
            self.counters.failures.fetch_add(1, Ordering::Relaxed);
            self.limiter.fail(username, &client_key, now);
            self.audit.record(
                AuditEntry::by_actor(format!("user:{username}?"), AuditAction::LoginFailed)
                    .outcome(AuditOutcome::Refused)
                    .client(client),
            );
            return Err(err!(
                Unauthenticated,
                code = AuthCredentialsInvalid,
                "wrong username or password"
            ));
        };
        self.limiter.succeed(username);
        self.counters.logins.fetch_add(1, Ordering::Relaxed);
        // Hashes made with older parameters are redone now that the password is known.
        if row
            .password_hash
            .as_deref()
            .is_some_and(password::needs_rehash)
        {
            let pw = password_in.to_string();
            if let Ok(h) = hash_blocking(pw).await {
                let id = row.id;
                self.db.write_detached(move |c| {
                    if let Ok(Some(mut r)) = q::get(c, id) {
                        r.password_hash = Some(h);
                        let _ = q::update(c, &r);
                    }
                });
            }
        }
        let refresh = crate::new_secret_with(REFRESH_PREFIX);
        let (uid, client_db, refresh_hash) = (row.id, client.clone(), sha256(&refresh));
        let session_id = self
            .db
            .write(move |c| {
                q::set_last_login(c, uid, now)?;
                q::create_session(
                    c,
                    uid,
                    client_db.as_deref(),
                    &refresh_hash,
                    now,
                    now + REFRESH_TTL_MS,
                )
            })
            .await?;
        let access = self.sessions.issue_access(row.id, session_id, now);
        // Signing in is entering the password: admin pages need no second prompt for a while.
        self.sessions.mark_authenticated(session_id, now);
        self.audit.record(
            AuditEntry::by_actor(format!("user:{}", row.username), AuditAction::Login)
                .client(client)
                .details(serde_json::json!({"session": session_id})),
        );
        let mut user = user_from_row(&row).ok_or_else(|| err!(Internal, "user row unreadable"))?;
        user.last_login_at_ms = Some(now);
        Ok(LoginOutcome {
            session: Session {
                access_token: access,
                refresh_token: refresh,
                expires_in: ACCESS_TTL_MS / 1000,
            },
            user,
        })
    }

    /// Spend `refresh_token` for a new pair. A spent one revokes its session (reuse detection).
    pub async fn refresh(
        &self,
        refresh_token: &str,
        client: Option<String>,
    ) -> Result<LoginOutcome> {
        let now = self.clock.now_ms();
        let invalid = || {
            err!(
                Unauthenticated,
                code = AuthRefreshInvalid,
                "the refresh token is not valid; sign in again"
            )
        };
        if !refresh_token.starts_with(REFRESH_PREFIX) {
            return Err(invalid());
        }
        let presented = sha256(refresh_token);
        let next = crate::new_secret_with(REFRESH_PREFIX);
        let next_hash = sha256(&next);
        let outcome = self
            .db
            .write(move |c| {
                let r = q::rotate(c, &presented, &next_hash, now, now + REFRESH_TTL_MS)?;
                let user = match &r {
                    Refresh::Rotated { user_id, .. } => q::get(c, *user_id)?,
                    _ => None,
                };
                Ok((r, user))
            })
            .await?;
        match outcome {
            (Refresh::Rotated { session_id, .. }, Some(row)) if row.enabled => {
                let access = self.sessions.issue_access(row.id, session_id, now);
                let user = user_from_row(&row).ok_or_else(|| err!(Internal, "user unreadable"))?;
                Ok(LoginOutcome {
                    session: Session {
                        access_token: access,
                        refresh_token: next,
                        expires_in: ACCESS_TTL_MS / 1000,
                    },
                    user,
                })
            }
            (
                Refresh::Reused {
                    session_id,
                    user_id,
                },
                _,
            ) => {
                self.counters.refresh_reuse.fetch_add(1, Ordering::Relaxed);
                self.sessions.end_sessions(&[session_id]);
                let name = self.sessions.user(user_id).map(|u| u.username);
                tracing::warn!(
                    user_id,
                    session_id,
                    "a spent refresh token was presented again: session revoked"
                );
                let mut e = AuditEntry::by_actor(
                    format!("user:{}", name.unwrap_or_default()),
                    AuditAction::RefreshReused,
                )
                .outcome(AuditOutcome::Refused)
                .client(client)
                .details(serde_json::json!({"session": session_id}));
                e.user_id = Some(user_id);
                self.audit.record(e);
                Err(invalid())
            }
            _ => Err(invalid()),
        }
    }

    /// End the session of `p` (its access tokens and refresh family).
    pub async fn logout(&self, p: &Principal) -> Result<()> {
        let Some(u) = &p.user else {
            bail!(
                FailedPrecondition,
                "only a signed-in user can sign out; API tokens are revoked instead"
            );
        };
        let (sid, now) = (u.session_id, self.clock.now_ms());
        self.db
            .write(move |c| q::revoke_session(c, sid, now, "signed out"))
            .await?;
        self.sessions.end_sessions(&[sid]);
        Ok(())
    }

    /// Re-authentication before admin pages: the signed-in user of `p` enters their password
    /// again; good for [`REAUTH_TTL_MS`]. A wrong one counts as a failed sign-in (lockout).
    pub async fn reauthenticate(
        &self,
        p: &Principal,
        password_in: &str,
        client: Option<String>,
    ) -> Result<()> {
        let Some(u) = &p.user else {
            bail!(
                FailedPrecondition,
                "only a signed-in user re-enters a password; tokens need none"
            );
        };
        let now = self.clock.now_ms();
        let client_key = client.clone().unwrap_or_default();
        self.not_locked_out(&p.name, &client_key, now, "failed attempts")?;
        if !self.verify_password(u.id, password_in).await? {
            self.counters.failures.fetch_add(1, Ordering::Relaxed);
            self.limiter.fail(&p.name, &client_key, now);
            self.audit.record(
                AuditEntry::by(p, AuditAction::LoginFailed)
                    .outcome(AuditOutcome::Refused)
                    .client(client)
                    .details(serde_json::json!({"reason": "re-authentication"})),
            );
            return Err(err!(
                Unauthenticated,
                code = AuthCredentialsInvalid,
                "wrong password"
            ));
        }
        self.limiter.succeed(&p.name);
        self.sessions.mark_authenticated(u.session_id, now);
        Ok(())
    }

    /// Check `password` of user `id`.
    pub async fn verify_password(&self, id: i64, password_in: &str) -> Result<bool> {
        let row = self.db.read(move |c| q::get(c, id)).await?;
        let Some(hash) = row.and_then(|r| r.password_hash) else {
            return Ok(false);
        };
        let pw = password_in.to_string();
        tokio::task::spawn_blocking(move || password::verify(&pw, &hash))
            .await
            .map_err(|e| err!(Internal, "password check: {e}"))
    }

    /// Forget spent refresh tokens and ended sessions (daily).
    pub async fn prune(&self) -> Result<usize> {
        let now = self.clock.now_ms();
        self.db
            .write(move |c| q::prune_sessions(c, now, REFRESH_TTL_MS))
            .await
    }

    /// A listed camera that does not exist: 404 `CAMERA_NOT_FOUND`.
    async fn check_cameras(&self, cams: &Option<Vec<i64>>) -> Result<()> {
        if let Some(c) = cams {
            let c = c.clone();
            let unknown = self
                .db
                .read(move |conn| q::unknown_cameras(conn, &c))
                .await?;
            if !unknown.is_empty() {
                // A camera that does not exist is a missing thing (404), not a malformed field.
                let msg = format!("no camera with id {unknown:?}");
                return Err(err!(NotFound, code = CameraNotFound, "{msg}")
                    .with_details(serde_json::json!({"fields": {"cameras": msg}})));
            }
        }
        Ok(())
    }
}

fn check_username(errs: &mut FieldErrors, u: &str) -> String {
    let ok = !u.is_empty()
        && u.len() <= 64
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._@-".contains(c));
    if !ok {
        errs.insert(
            "username".into(),
            "1 to 64 letters, digits, '.', '_', '@' or '-'".into(),
        );
    }
    u.to_string()
}

async fn hash_blocking(pw: String) -> Result<String> {
    tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .map_err(|e| err!(Internal, "hashing password: {e}"))?
}

fn role_str(r: UserRole) -> &'static str {
    r.role().as_str()
}

fn not_found(id: i64) -> Error {
    err!(NotFound, code = UserNotFound, "user {id} not found")
}

fn taken(name: &str) -> Error {
    err!(
        AlreadyExists,
        code = UsernameTaken,
        "there is already a user called {name}"
    )
}

fn last_admin() -> Error {
    err!(
        FailedPrecondition,
        code = LastAdmin,
        "this is the last enabled admin; make another user admin first"
    )
}

fn user_from_row(r: &UserRow) -> Option<User> {
    Some(User {
        id: r.id,
        username: r.username.clone(),
        display_name: r.display_name.clone(),
        role: UserRole::parse(&r.role)?,
        cameras: crate::scope_from_json(r.cameras_json.as_deref())?.map(|c| {
            c.iter()
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        }),
        enabled: r.enabled,
        has_password: r.password_hash.is_some(),
        created_at_ms: r.created_at_ms,
        last_login_at_ms: r.last_login_at_ms,
    })
}

#[cfg(test)]
mod tests;
