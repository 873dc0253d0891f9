//! Queries of `user`, `auth_session` and `refresh_token`. Passwords are stored as argon2id PHC
//! strings and refresh tokens as SHA-256: nothing here can be replayed from a copy of the database.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, PartialEq)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: Option<String>,
    pub role: String,
    /// `None`: every camera; else a JSON array of camera ids.
    pub cameras_json: Option<String>,
    pub enabled: bool,
    pub password_hash: Option<String>,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub last_login_at_ms: Option<i64>,
}

const COLUMNS: &str = "id, username, display_name, role, cameras_json, enabled, password_hash, \
    created_at_ms, updated_at_ms, last_login_at_ms";

fn from_row(r: &Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        username: r.get(1)?,
        display_name: r.get(2)?,
        role: r.get(3)?,
        cameras_json: r.get(4)?,
        enabled: r.get(5)?,
        password_hash: r.get(6)?,
        created_at_ms: r.get(7)?,
        updated_at_ms: r.get(8)?,
        last_login_at_ms: r.get(9)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<UserRow>> {
    let mut st = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM user ORDER BY id"))
        .map_err(sql_err("preparing user list"))?;
    let rows = st
        .query_map([], from_row)
        .map_err(sql_err("listing users"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading user rows"))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<UserRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM user WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading user"))
}

pub fn by_name(conn: &Connection, username: &str) -> Result<Option<UserRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM user WHERE username = ?1"),
        [username],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading user"))
}

/// Insert a user; `Ok(None)` when the username is taken (case-insensitively).
pub fn insert(conn: &Connection, u: &UserRow) -> Result<Option<i64>> {
    let r = conn.execute(
        "INSERT INTO user (username, display_name, role, cameras_json, enabled, password_hash, \
         created_at_ms, updated_at_ms, last_login_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            u.username,
            u.display_name,
            u.role,
            u.cameras_json,
            u.enabled,
            u.password_hash,
            u.created_at_ms,
            u.updated_at_ms,
            u.last_login_at_ms
        ],
    );
    match r {
        Ok(_) => Ok(Some(conn.last_insert_rowid())),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Ok(None)
        }
        Err(e) => Err(sql_err("inserting user")(e)),
    }
}

/// Write every field but `id` and `created_at_ms`.
pub fn update(conn: &Connection, u: &UserRow) -> Result<UpdateOutcome> {
    let r = conn.execute(
        "UPDATE user SET username = ?2, display_name = ?3, role = ?4, cameras_json = ?5, \
         enabled = ?6, password_hash = ?7, updated_at_ms = ?8, last_login_at_ms = ?9 WHERE id = ?1",
        params![
            u.id,
            u.username,
            u.display_name,
            u.role,
            u.cameras_json,
            u.enabled,
            u.password_hash,
            u.updated_at_ms,
            u.last_login_at_ms
        ],
    );
    match r {
        Ok(1) => Ok(UpdateOutcome::Updated),
        Ok(_) => Ok(UpdateOutcome::Missing),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Ok(UpdateOutcome::NameTaken)
        }
        Err(e) => Err(sql_err("updating user")(e)),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateOutcome {
    Updated,
    Missing,
    NameTaken,
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM user WHERE id = ?1", [id])
        .map_err(sql_err("deleting user"))?;
    Ok(n == 1)
}

pub fn set_last_login(conn: &Connection, id: i64, at_ms: i64) -> Result<()> {
    conn.execute(
        "UPDATE user SET last_login_at_ms = ?2 WHERE id = ?1",
        params![id, at_ms],
    )
    .map_err(sql_err("recording last login"))?;
    Ok(())
}

/// Enabled admins other than `except` (so the last admin cannot be removed or demoted).
pub fn other_enabled_admins(conn: &Connection, except: i64) -> Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM user WHERE role = 'admin' AND enabled AND id != ?1",
        [except],
        |r| r.get(0),
    )
    .map_err(sql_err("counting admins"))
}

/// Of `ids`, those that name no camera.
pub fn unknown_cameras(conn: &Connection, ids: &[i64]) -> Result<Vec<i64>> {
    let mut st = conn
        .prepare_cached("SELECT 1 FROM camera WHERE id = ?1")
        .map_err(sql_err("preparing camera check"))?;
    let mut out = vec![];
    for &id in ids {
        if !st.exists([id]).map_err(sql_err("checking camera"))? {
            out.push(id);
        }
    }
    Ok(out)
}

/// Start a session with its first refresh token.
pub fn create_session(
    conn: &Connection,
    user_id: i64,
    client: Option<&str>,
    token_sha256: &[u8],
    now_ms: i64,
    expires_at_ms: i64,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO auth_session (user_id, created_at_ms, client) VALUES (?1, ?2, ?3)",
        params![user_id, now_ms, client],
    )
    .map_err(sql_err("creating session"))?;
    let id = conn.last_insert_rowid();
    conn.execute(
        "INSERT INTO refresh_token (token_sha256, session_id, issued_at_ms, expires_at_ms) \
         VALUES (?1, ?2, ?3, ?4)",
        params![token_sha256, id, now_ms, expires_at_ms],
    )
    .map_err(sql_err("storing refresh token"))?;
    Ok(id)
}

/// What presenting a refresh token found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Unknown token, or its session is over (revoked, user gone).
    Invalid,
    Expired,
    /// Used before: the whole family has now been revoked.
    Reused {
        session_id: i64,
        user_id: i64,
    },
    /// Rotated: the presented token is spent and `new` is the family's current one.
    Rotated {
        session_id: i64,
        user_id: i64,
    },
}

/// Spend `presented` and issue `new` in its family, in one transaction: a token is good once.
pub fn rotate(
    conn: &Connection,
    presented: &[u8],
    new: &[u8],
    now_ms: i64,
    expires_at_ms: i64,
) -> Result<Refresh> {
    /// session, user, expires, used, session revoked.
    type Found = (i64, i64, i64, Option<i64>, Option<i64>);
    let found: Option<Found> = conn
        .query_row(
            "SELECT t.session_id, s.user_id, t.expires_at_ms, t.used_at_ms, s.revoked_at_ms \
             FROM refresh_token t JOIN auth_session s ON s.id = t.session_id \
             WHERE t.token_sha256 = ?1",
            [presented],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()
        .map_err(sql_err("reading refresh token"))?;
    let Some((session_id, user_id, expires, used, revoked)) = found else {
        return Ok(Refresh::Invalid);
    };
    if revoked.is_some() {
        return Ok(Refresh::Invalid);
    }
    if used.is_some() {
        revoke_session(conn, session_id, now_ms, "refresh token reused")?;
        return Ok(Refresh::Reused {
            session_id,
            user_id,
        });
    }
    if expires <= now_ms {
        return Ok(Refresh::Expired);
    }
    conn.execute(
        "UPDATE refresh_token SET used_at_ms = ?2 WHERE token_sha256 = ?1",
        params![presented, now_ms],
    )
    .map_err(sql_err("spending refresh token"))?;
    conn.execute(
        "INSERT INTO refresh_token (token_sha256, session_id, issued_at_ms, expires_at_ms) \
         VALUES (?1, ?2, ?3, ?4)",
        params![new, session_id, now_ms, expires_at_ms],
    )
    .map_err(sql_err("storing refresh token"))?;
    Ok(Refresh::Rotated {
        session_id,
        user_id,
    })
}

pub fn revoke_session(conn: &Connection, session_id: i64, now_ms: i64, why: &str) -> Result<()> {
    conn.execute(
        "UPDATE auth_session SET revoked_at_ms = ?2, revoked_reason = ?3 \
         WHERE id = ?1 AND revoked_at_ms IS NULL",
        params![session_id, now_ms, why],
    )
    .map_err(sql_err("revoking session"))?;
    Ok(())
}

/// Revoke every live session of a user; returns their ids.
pub fn revoke_user_sessions(
    conn: &Connection,
    user_id: i64,
    now_ms: i64,
    why: &str,
) -> Result<Vec<i64>> {
    let mut st = conn
        .prepare_cached(
            "UPDATE auth_session SET revoked_at_ms = ?2, revoked_reason = ?3 \
             WHERE user_id = ?1 AND revoked_at_ms IS NULL RETURNING id",
        )
        .map_err(sql_err("revoking sessions"))?;
    let ids = st
        .query_map(params![user_id, now_ms, why], |r| r.get(0))
        .map_err(sql_err("revoking sessions"))?;
    ids.collect::<rusqlite::Result<Vec<i64>>>()
        .map_err(sql_err("revoking sessions"))
}

/// Forget spent or expired refresh tokens and sessions over for longer than `keep_ms`.
pub fn prune_sessions(conn: &Connection, now_ms: i64, keep_ms: i64) -> Result<usize> {
    let cutoff = now_ms - keep_ms;
    let a = conn
        .execute(
            "DELETE FROM refresh_token WHERE expires_at_ms < ?1",
            [cutoff],
        )
        .map_err(sql_err("pruning refresh tokens"))?;
    let b = conn
        .execute(
            "DELETE FROM auth_session WHERE (revoked_at_ms IS NOT NULL AND revoked_at_ms < ?1) \
             OR NOT EXISTS (SELECT 1 FROM refresh_token t WHERE t.session_id = auth_session.id)",
            [cutoff],
        )
        .map_err(sql_err("pruning sessions"))?;
    Ok(a + b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str) -> UserRow {
        UserRow {
            id: 0,
            username: name.into(),
            display_name: None,
            role: "viewer".into(),
            cameras_json: None,
            enabled: true,
            password_hash: None,
            created_at_ms: 1,
            updated_at_ms: 1,
            last_login_at_ms: None,
        }
    }

    #[test]
    fn usernames_are_unique_regardless_of_case() {
        let c = crate::test_conn();
        let id = insert(&c, &user("Alice")).unwrap().unwrap();
        assert_eq!(insert(&c, &user("alice")).unwrap(), None);
        assert_eq!(by_name(&c, "ALICE").unwrap().unwrap().id, id);
        let bob = insert(&c, &user("bob")).unwrap().unwrap();
        let mut b = get(&c, bob).unwrap().unwrap();
        b.username = "alice".into();
        assert_eq!(update(&c, &b).unwrap(), UpdateOutcome::NameTaken);
        b.id = 99;
        assert_eq!(update(&c, &b).unwrap(), UpdateOutcome::Missing);
    }

    #[test]
    fn refresh_tokens_rotate_once_and_reuse_revokes_the_family() {
        let c = crate::test_conn();
        let uid = insert(&c, &user("op")).unwrap().unwrap();
        let sid = create_session(&c, uid, Some("127.0.0.1"), &[1; 32], 0, 1000).unwrap();
        assert_eq!(
            rotate(&c, &[1; 32], &[2; 32], 10, 1010).unwrap(),
            Refresh::Rotated {
                session_id: sid,
                user_id: uid
            }
        );
        // The spent token again: the thief's or the owner's copy, either way the family ends.
        assert_eq!(
            rotate(&c, &[1; 32], &[3; 32], 20, 1020).unwrap(),
            Refresh::Reused {
                session_id: sid,
                user_id: uid
            }
        );
        assert_eq!(
            rotate(&c, &[2; 32], &[4; 32], 30, 1030).unwrap(),
            Refresh::Invalid
        );
        assert_eq!(
            rotate(&c, &[9; 32], &[5; 32], 30, 1030).unwrap(),
            Refresh::Invalid
        );
        let s2 = create_session(&c, uid, None, &[6; 32], 0, 100).unwrap();
        assert_eq!(
            rotate(&c, &[6; 32], &[7; 32], 100, 200).unwrap(),
            Refresh::Expired
        );
        assert_eq!(
            revoke_user_sessions(&c, uid, 300, "disabled").unwrap(),
            vec![s2]
        );
        assert!(prune_sessions(&c, 10_000, 0).unwrap() >= 2);
    }
}
