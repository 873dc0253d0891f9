//! Queries of the `api_token` table. The secret is never stored: only its SHA-256.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, PartialEq)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub remark: Option<String>,
    pub role: String,
    pub permissions_json: String,
    pub rate_limit_per_min: Option<i64>,
    pub secret_sha256: Vec<u8>,
    pub secret_prefix: String,
    pub created_at_ms: i64,
    pub expires_at_ms: Option<i64>,
    pub last_used_at_ms: Option<i64>,
    /// `None`: every camera; else a JSON array of camera ids.
    pub cameras_json: Option<String>,
}

const COLUMNS: &str = "id, name, remark, role, permissions_json, rate_limit_per_min, secret_sha256, \
    secret_prefix, created_at_ms, expires_at_ms, last_used_at_ms, cameras_json";

fn from_row(r: &Row<'_>) -> rusqlite::Result<TokenRow> {
    Ok(TokenRow {
        id: r.get(0)?,
        name: r.get(1)?,
        remark: r.get(2)?,
        role: r.get(3)?,
        permissions_json: r.get(4)?,
        rate_limit_per_min: r.get(5)?,
        secret_sha256: r.get(6)?,
        secret_prefix: r.get(7)?,
        created_at_ms: r.get(8)?,
        expires_at_ms: r.get(9)?,
        last_used_at_ms: r.get(10)?,
        cameras_json: r.get(11)?,
    })
}

pub fn list(conn: &Connection) -> Result<Vec<TokenRow>> {
    let mut st = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM api_token ORDER BY id"))
        .map_err(sql_err("preparing token list"))?;
    let rows = st
        .query_map([], from_row)
        .map_err(sql_err("listing tokens"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading token rows"))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<TokenRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM api_token WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading token"))
}

pub fn insert(conn: &Connection, row: &TokenRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO api_token (name, remark, role, permissions_json, rate_limit_per_min, \
         secret_sha256, secret_prefix, created_at_ms, expires_at_ms, last_used_at_ms, cameras_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            row.name,
            row.remark,
            row.role,
            row.permissions_json,
            row.rate_limit_per_min,
            row.secret_sha256,
            row.secret_prefix,
            row.created_at_ms,
            row.expires_at_ms,
            row.last_used_at_ms,
            row.cameras_json
        ],
    )
    .map_err(sql_err("inserting token"))?;
    Ok(conn.last_insert_rowid())
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM api_token WHERE id = ?1", [id])
        .map_err(sql_err("deleting token"))?;
    Ok(n == 1)
}

pub fn touch(conn: &Connection, id: i64, now_ms: i64) -> Result<()> {
    conn.execute(
        "UPDATE api_token SET last_used_at_ms = ?2 WHERE id = ?1",
        params![id, now_ms],
    )
    .map_err(sql_err("updating token last use"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_list_delete() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        let row = TokenRow {
            id: 0,
            name: "ci".into(),
            remark: Some("for the build box".into()),
            role: "viewer".into(),
            permissions_json: r#"["camera:read"]"#.into(),
            rate_limit_per_min: Some(60),
            secret_sha256: vec![7; 32],
            secret_prefix: "vgl_abcd".into(),
            created_at_ms: 1,
            expires_at_ms: None,
            last_used_at_ms: None,
            cameras_json: Some("[1]".into()),
        };
        let id = insert(c, &row).unwrap();
        assert!(insert(c, &row).is_err(), "hash is unique");
        touch(c, id, 9).unwrap();
        let got = get(c, id).unwrap().unwrap();
        assert_eq!(got.last_used_at_ms, Some(9));
        assert_eq!(list(c).unwrap().len(), 1);
        assert!(delete(c, id).unwrap());
        assert!(list(c).unwrap().is_empty());
    }
}
