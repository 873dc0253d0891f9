//! The in-memory half of sign-ins, shared by [`crate::UserService`] (which signs people in) and
//! [`crate::TokenService`] (which verifies every request): access tokens (one SHA-256 and a
//! hash-map lookup per request, no database read), the sessions still alive, when each last entered
//! its password, and a cache of users (role, cameras, enabled, a version that changes with them).
//! A change bumps a watch channel that open sockets wait on.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use tokio::sync::watch;
use vigil_base::{Result, err};
use vigil_db::users::UserRow;

use crate::users::{ACCESS_PREFIX, ACCESS_TTL_MS, REAUTH_TTL_MS, UserRole};
use crate::{CameraScope, Principal, Role, UserRef, sha256};

struct AccessEntry {
    user_id: i64,
    session_id: i64,
    expires_at_ms: i64,
}

#[derive(Clone)]
pub(crate) struct CachedUser {
    pub(crate) username: String,
    role: Role,
    cameras: CameraScope,
    enabled: bool,
    version: u64,
}

struct SessionsInner {
    access: RwLock<HashMap<[u8; 32], AccessEntry>>,
    users: RwLock<HashMap<i64, CachedUser>>,
    live: RwLock<HashSet<i64>>,
    /// Session → until when its password entry counts for admin pages.
    reauth_until: RwLock<HashMap<i64, i64>>,
    generation: watch::Sender<u64>,
    versions: AtomicU64,
}

/// The in-memory state of sign-ins: access tokens, live sessions, a cache of users.
#[derive(Clone)]
pub struct Sessions {
    inner: Arc<SessionsInner>,
}

impl Default for Sessions {
    fn default() -> Self {
        Self::new()
    }
}

impl Sessions {
    pub fn new() -> Sessions {
        Sessions {
            inner: Arc::new(SessionsInner {
                access: RwLock::default(),
                users: RwLock::default(),
                live: RwLock::default(),
                reauth_until: RwLock::default(),
                generation: watch::channel(0).0,
                versions: AtomicU64::new(1),
            }),
        }
    }

    pub(crate) fn revocations(&self) -> watch::Receiver<u64> {
        self.inner.generation.subscribe()
    }

    /// Tell open sockets to check whether they may stay open.
    pub(crate) fn bump(&self) {
        self.inner.generation.send_modify(|g| *g += 1);
    }

    pub(crate) fn authenticate(&self, secret: &str, now: i64) -> Result<Principal> {
        let h = sha256(secret);
        let (user_id, session_id) = {
            let access = self
                .inner
                .access
                .read()
                .map_err(|_| err!(Internal, "session lock poisoned"))?;
            match access.get(&h) {
                Some(a) if a.expires_at_ms > now => (a.user_id, a.session_id),
                Some(_) => {
                    return Err(err!(
                        Unauthenticated,
                        code = AuthTokenInvalid,
                        "access token has expired; refresh it"
                    ));
                }
                None => {
                    return Err(err!(
                        Unauthenticated,
                        code = AuthTokenInvalid,
                        "invalid token"
                    ));
                }
            }
        };
        let live = self
            .inner
            .live
            .read()
            .is_ok_and(|l| l.contains(&session_id));
        let user = self.user(user_id).filter(|u| u.enabled && live);
        let Some(u) = user else {
            return Err(err!(
                Unauthenticated,
                code = AuthTokenInvalid,
                "this session has ended; sign in again"
            ));
        };
        Ok(Principal {
            token_id: None,
            user: Some(UserRef {
                id: user_id,
                session_id,
                version: u.version,
            }),
            name: u.username,
            role: u.role,
            permissions: u.role.permissions(),
            rate_limit_per_min: None,
            cameras: u.cameras,
            same_host_only: false,
        })
    }

    pub(crate) fn is_current(&self, u: &UserRef) -> bool {
        let live = self
            .inner
            .live
            .read()
            .is_ok_and(|l| l.contains(&u.session_id));
        live && self
            .user(u.id)
            .is_some_and(|c| c.enabled && c.version == u.version)
    }

    /// Whether the session entered its password within [`REAUTH_TTL_MS`].
    pub(crate) fn recently_authenticated(&self, session_id: i64, now: i64) -> bool {
        self.inner
            .reauth_until
            .read()
            .is_ok_and(|m| m.get(&session_id).is_some_and(|until| *until > now))
    }

    pub(crate) fn mark_authenticated(&self, session_id: i64, now: i64) {
        if let Ok(mut m) = self.inner.reauth_until.write() {
            m.retain(|_, until| *until > now);
            m.insert(session_id, now + REAUTH_TTL_MS);
        }
    }

    pub(crate) fn user(&self, id: i64) -> Option<CachedUser> {
        self.inner.users.read().ok()?.get(&id).cloned()
    }

    pub(crate) fn cache_user(&self, row: &UserRow) {
        let Some(role) = UserRole::parse(&row.role) else {
            return;
        };
        let Some(cameras) = crate::scope_from_json(row.cameras_json.as_deref()) else {
            return;
        };
        let c = CachedUser {
            username: row.username.clone(),
            role: role.role(),
            cameras,
            enabled: row.enabled,
            version: self.inner.versions.fetch_add(1, Ordering::Relaxed),
        };
        if let Ok(mut users) = self.inner.users.write() {
            users.insert(row.id, c);
        }
    }

    pub(crate) fn forget_user(&self, id: i64) {
        if let Ok(mut users) = self.inner.users.write() {
            users.remove(&id);
        }
        if let Ok(mut access) = self.inner.access.write() {
            access.retain(|_, a| a.user_id != id);
        }
    }

    pub(crate) fn issue_access(&self, user_id: i64, session_id: i64, now: i64) -> String {
        let secret = crate::new_secret_with(ACCESS_PREFIX);
        if let Ok(mut live) = self.inner.live.write() {
            live.insert(session_id);
        }
        if let Ok(mut access) = self.inner.access.write() {
            // Expired entries go when the map has grown (a token lives 15 minutes).
            if access.len() > 1024 {
                access.retain(|_, a| a.expires_at_ms > now);
            }
            access.insert(
                sha256(&secret),
                AccessEntry {
                    user_id,
                    session_id,
                    expires_at_ms: now + ACCESS_TTL_MS,
                },
            );
        }
        secret
    }

    pub(crate) fn end_sessions(&self, ids: &[i64]) {
        if let Ok(mut live) = self.inner.live.write() {
            for id in ids {
                live.remove(id);
            }
        }
        if let Ok(mut access) = self.inner.access.write() {
            access.retain(|_, a| !ids.contains(&a.session_id));
        }
        self.bump();
    }
}
