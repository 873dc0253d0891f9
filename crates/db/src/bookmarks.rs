//! Queries of the `bookmark` table: moments people marked on a camera's timeline.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BookmarkRow {
    pub id: i64,
    pub camera_id: i64,
    pub at_ms: i64,
    pub end_ms: Option<i64>,
    pub label: String,
    pub created_by: String,
    pub created_at_ms: i64,
}

const COLUMNS: &str = "id, camera_id, at_ms, end_ms, label, created_by, created_at_ms";

fn from_row(r: &Row<'_>) -> rusqlite::Result<BookmarkRow> {
    Ok(BookmarkRow {
        id: r.get(0)?,
        camera_id: r.get(1)?,
        at_ms: r.get(2)?,
        end_ms: r.get(3)?,
        label: r.get(4)?,
        created_by: r.get(5)?,
        created_at_ms: r.get(6)?,
    })
}

pub fn insert(conn: &Connection, b: &BookmarkRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO bookmark (camera_id, at_ms, end_ms, label, created_by, created_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            b.camera_id,
            b.at_ms,
            b.end_ms,
            b.label,
            b.created_by,
            b.created_at_ms
        ],
    )
    .map_err(sql_err("inserting bookmark"))?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<BookmarkRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM bookmark WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading bookmark"))
}

/// Bookmarks of a camera touching `[start, end)`, oldest first.
pub fn in_range(
    conn: &Connection,
    camera_id: i64,
    start_ms: i64,
    end_ms: i64,
    limit: i64,
) -> Result<Vec<BookmarkRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM bookmark WHERE camera_id = ?1 AND at_ms < ?3 \
             AND coalesce(end_ms, at_ms) >= ?2 ORDER BY at_ms, id LIMIT ?4"
        ))
        .map_err(sql_err("listing bookmarks"))?;
    let rows = st
        .query_map(params![camera_id, start_ms, end_ms, limit], from_row)
        .map_err(sql_err("listing bookmarks"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("listing bookmarks"))
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM bookmark WHERE id = ?1", [id])
        .map_err(sql_err("deleting bookmark"))?;
    Ok(n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cameras::tests::insert_camera;

    #[test]
    fn ranges_and_spans() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        let cam = insert_camera(c, "gate");
        let b = |at, end| BookmarkRow {
            camera_id: cam,
            at_ms: at,
            end_ms: end,
            label: "x".into(),
            created_by: "desk".into(),
            created_at_ms: 0,
            ..Default::default()
        };
        let a = insert(c, &b(100, None)).unwrap();
        let s = insert(c, &b(50, Some(150))).unwrap();
        assert!(insert(c, &b(50, Some(10))).is_err(), "end before start");
        let ids = |v: Vec<BookmarkRow>| v.into_iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(in_range(c, cam, 0, 1000, 10).unwrap()), [s, a]);
        assert_eq!(ids(in_range(c, cam, 120, 1000, 10).unwrap()), [s]);
        assert_eq!(ids(in_range(c, cam, 0, 100, 10).unwrap()), [s]);
        assert!(delete(c, a).unwrap());
        assert!(get(c, a).unwrap().is_none());
    }
}
