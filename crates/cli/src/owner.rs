//! The desk's owner: on the desktop's first run, with nobody's account yet, Vigil creates one
//! admin account for the person who installed it, named after their login on this PC and without
//! a password. The window (which runs with the admin token) then offers to set one; until then
//! the account cannot sign in, and the desk is not locked (nobody could unlock it). `vigil serve`
//! has no person at a window and prints a one-time set-up link instead.

use anyhow::Result;
use vigil_engine::auth::{User, UserCreate, UserRole};
use vigil_engine::{AuditAction, AuditEntry, Engine};

/// The owner's username for a login name: the characters a username allows (letters, digits,
/// `.`, `_`, `-`, `@`), at most 64; `owner` when nothing is left.
pub fn owner_username(login: Option<&str>) -> String {
    let name: String = (login.unwrap_or_default().chars())
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
        .take(64)
        .collect();
    if name.is_empty() {
        "owner".into()
    } else {
        name
    }
}

/// The login name of the person running this process (`$USER`, else `$LOGNAME`).
pub fn os_login() -> Option<String> {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .ok()
}

/// Create the owner's admin account, without a password, if nobody has an account yet. Returns
/// it when created. Audited as the desktop's doing.
pub async fn ensure_desk_owner(engine: &Engine, login: Option<&str>) -> Result<Option<User>> {
    let users = engine.users();
    if users.any().await.map_err(|e| anyhow::anyhow!("{e}"))? {
        return Ok(None);
    }
    let user = users
        .create(UserCreate {
            username: owner_username(login),
            password: None,
            display_name: Some("Desk owner".into()),
            role: UserRole::Admin,
            cameras: None,
        })
        .await
        .map_err(|e| anyhow::anyhow!("creating the desk owner's account: {e}"))?;
    engine.audit().record(
        AuditEntry::by_actor("desktop", AuditAction::UserCreate)
            .target(user.username.clone())
            .details(serde_json::json!({"id": user.id, "role": user.role, "owner": true})),
    );
    tracing::info!(username = %user.username, "created the desk owner's admin account (no password yet)");
    Ok(Some(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_keep_what_a_username_allows() {
        assert_eq!(owner_username(Some("jane")), "jane");
        assert_eq!(owner_username(Some("Jane Doe!")), "JaneDoe");
        assert_eq!(owner_username(Some("émile")), "mile");
        assert_eq!(owner_username(Some("日本")), "owner");
        assert_eq!(owner_username(None), "owner");
        assert_eq!(owner_username(Some(&"x".repeat(80))).len(), 64);
    }
}
