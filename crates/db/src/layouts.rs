//! Queries of the `layout` table: each user's camera-grid arrangements, one of them the default.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LayoutRow {
    pub id: i64,
    pub owner: String,
    pub name: String,
    pub layout_json: String,
    pub is_default: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const COLUMNS: &str = "id, owner, name, layout_json, is_default, created_at_ms, updated_at_ms";

fn from_row(r: &Row<'_>) -> rusqlite::Result<LayoutRow> {
    Ok(LayoutRow {
        id: r.get(0)?,
        owner: r.get(1)?,
        name: r.get(2)?,
        layout_json: r.get(3)?,
        is_default: r.get(4)?,
        created_at_ms: r.get(5)?,
        updated_at_ms: r.get(6)?,
    })
}

pub fn list(conn: &Connection, owner: &str) -> Result<Vec<LayoutRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM layout WHERE owner = ?1 ORDER BY name COLLATE NOCASE, id"
        ))
        .map_err(sql_err("listing layouts"))?;
    let rows = st
        .query_map([owner], from_row)
        .map_err(sql_err("listing layouts"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("listing layouts"))
}

pub fn get(conn: &Connection, owner: &str, id: i64) -> Result<Option<LayoutRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM layout WHERE id = ?1 AND owner = ?2"),
        params![id, owner],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading layout"))
}

/// Insert (`id == 0`) or replace; a default layout makes the owner's others not default.
/// Returns the id. In one transaction.
pub fn save(conn: &mut Connection, row: &LayoutRow) -> Result<i64> {
    let tx = conn.transaction().map_err(sql_err("saving layout"))?;
    if row.is_default {
        tx.execute(
            "UPDATE layout SET is_default = 0 WHERE owner = ?1 AND id != ?2",
            params![row.owner, row.id],
        )
        .map_err(sql_err("saving layout"))?;
    }
    let id = if row.id == 0 {
        tx.execute(
            "INSERT INTO layout (owner, name, layout_json, is_default, created_at_ms, updated_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                row.owner,
                row.name,
                row.layout_json,
                row.is_default,
                row.created_at_ms,
                row.updated_at_ms
            ],
        )
        .map_err(sql_err("inserting layout"))?;
        tx.last_insert_rowid()
    } else {
        tx.execute(
            "UPDATE layout SET name = ?3, layout_json = ?4, is_default = ?5, updated_at_ms = ?6 \
             WHERE id = ?1 AND owner = ?2",
            params![
                row.id,
                row.owner,
                row.name,
                row.layout_json,
                row.is_default,
                row.updated_at_ms
            ],
        )
        .map_err(sql_err("updating layout"))?;
        row.id
    };
    tx.commit().map_err(sql_err("saving layout"))?;
    Ok(id)
}

pub fn delete(conn: &Connection, owner: &str, id: i64) -> Result<bool> {
    let n = conn
        .execute(
            "DELETE FROM layout WHERE id = ?1 AND owner = ?2",
            params![id, owner],
        )
        .map_err(sql_err("deleting layout"))?;
    Ok(n > 0)
}

/// Whether `e` is the (owner, name) uniqueness violation.
pub fn is_duplicate_name(e: &vigil_base::Error) -> bool {
    e.to_string().contains("UNIQUE")
        || format!("{e:?}").contains("UNIQUE constraint failed: layout")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(owner: &str, name: &str, default: bool) -> LayoutRow {
        LayoutRow {
            owner: owner.into(),
            name: name.into(),
            layout_json: "[]".into(),
            is_default: default,
            created_at_ms: 1,
            updated_at_ms: 1,
            ..Default::default()
        }
    }

    #[test]
    fn per_owner_with_one_default() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        let a = save(c, &row("desk", "Front", true)).unwrap();
        let b = save(c, &row("desk", "Back", true)).unwrap();
        save(c, &row("night", "Front", true)).unwrap();
        let e = save(c, &row("desk", "Front", false)).unwrap_err();
        assert!(is_duplicate_name(&e), "{e:?}");
        let mine = list(c, "desk").unwrap();
        assert_eq!(mine.iter().map(|r| r.id).collect::<Vec<_>>(), [b, a]);
        assert!(mine[0].is_default && !mine[1].is_default);
        assert!(
            get(c, "night", a).unwrap().is_none(),
            "another user's layout"
        );
        let mut r = get(c, "desk", a).unwrap().unwrap();
        r.layout_json = r#"[{"camera_id":1}]"#.into();
        r.is_default = true;
        save(c, &r).unwrap();
        assert!(!get(c, "desk", b).unwrap().unwrap().is_default);
        assert_eq!(
            get(c, "desk", a).unwrap().unwrap().layout_json,
            r.layout_json
        );
        assert!(!delete(c, "night", a).unwrap());
        assert!(delete(c, "desk", a).unwrap());
        assert_eq!(list(c, "desk").unwrap().len(), 1);
    }
}
