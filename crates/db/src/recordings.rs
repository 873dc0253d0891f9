//! Queries of the `recording` table: the segment index the timeline, VOD playlists and exports read.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordingRow {
    pub id: i64,
    pub camera_id: i64,
    pub root: String,
    pub path: String,
    pub tier: String,
    pub state: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub media_duration_90k: i64,
    pub bytes: i64,
    pub init_bytes: i64,
    pub codec: String,
    pub width: i64,
    pub height: i64,
    pub keyframe_index: Vec<u8>,
    pub clock_jump_ms: i64,
    pub created_at_ms: i64,
}

const COLUMNS: &str = "id, camera_id, root, path, tier, state, start_ms, end_ms, media_duration_90k, \
    bytes, init_bytes, codec, width, height, keyframe_index, clock_jump_ms, created_at_ms";

fn from_row(r: &Row<'_>) -> rusqlite::Result<RecordingRow> {
    Ok(RecordingRow {
        id: r.get(0)?,
        camera_id: r.get(1)?,
        root: r.get(2)?,
        path: r.get(3)?,
        tier: r.get(4)?,
        state: r.get(5)?,
        start_ms: r.get(6)?,
        end_ms: r.get(7)?,
        media_duration_90k: r.get(8)?,
        bytes: r.get(9)?,
        init_bytes: r.get(10)?,
        codec: r.get(11)?,
        width: r.get(12)?,
        height: r.get(13)?,
        keyframe_index: r.get(14)?,
        clock_jump_ms: r.get(15)?,
        created_at_ms: r.get(16)?,
    })
}

/// Insert `r` under its own id (from `Database::next_recording_id`), or a new one if it is 0.
pub fn insert(conn: &Connection, r: &RecordingRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO recording (camera_id, root, path, tier, state, start_ms, end_ms, media_duration_90k, \
         bytes, init_bytes, codec, width, height, keyframe_index, clock_jump_ms, created_at_ms, id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            r.camera_id,
            r.root,
            r.path,
            r.tier,
            r.state,
            r.start_ms,
            r.end_ms,
            r.media_duration_90k,
            r.bytes,
            r.init_bytes,
            r.codec,
            r.width,
            r.height,
            r.keyframe_index,
            r.clock_jump_ms,
            r.created_at_ms,
            (r.id > 0).then_some(r.id)
        ],
    )
    .map_err(sql_err("inserting recording"))?;
    Ok(conn.last_insert_rowid())
}

/// Progress of a segment being written (or its final state).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub id: i64,
    pub state: String,
    pub end_ms: i64,
    pub media_duration_90k: i64,
    pub bytes: i64,
    pub init_bytes: i64,
    pub keyframe_index: Vec<u8>,
}

pub fn update_progress(conn: &Connection, p: &Progress) -> Result<()> {
    conn.execute(
        "UPDATE recording SET state = ?2, end_ms = ?3, media_duration_90k = ?4, bytes = ?5, \
         init_bytes = ?6, keyframe_index = ?7 WHERE id = ?1",
        params![
            p.id,
            p.state,
            p.end_ms,
            p.media_duration_90k,
            p.bytes,
            p.init_bytes,
            p.keyframe_index
        ],
    )
    .map_err(sql_err("updating recording"))?;
    Ok(())
}

pub fn set_state(conn: &Connection, id: i64, state: &str) -> Result<()> {
    conn.execute(
        "UPDATE recording SET state = ?2 WHERE id = ?1",
        params![id, state],
    )
    .map_err(sql_err("updating recording state"))?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<RecordingRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM recording WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading recording"))
}

/// Recordings of `camera_id` (all cameras if `None`) overlapping `[start_ms, end_ms)`, oldest first.
pub fn list_range(
    conn: &Connection,
    camera_id: Option<i64>,
    start_ms: i64,
    end_ms: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<RecordingRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM recording WHERE (?1 IS NULL OR camera_id = ?1) \
             AND start_ms < ?3 AND end_ms > ?2 ORDER BY start_ms, id LIMIT ?4 OFFSET ?5"
        ))
        .map_err(sql_err("preparing recording list"))?;
    let rows = st
        .query_map(
            params![camera_id, start_ms, end_ms, limit, offset],
            from_row,
        )
        .map_err(sql_err("listing recordings"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading recording rows"))
}

pub fn count_range(
    conn: &Connection,
    camera_id: Option<i64>,
    start_ms: i64,
    end_ms: i64,
) -> Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM recording WHERE (?1 IS NULL OR camera_id = ?1) AND start_ms < ?3 AND end_ms > ?2",
        params![camera_id, start_ms, end_ms],
        |r| r.get(0),
    )
    .map_err(sql_err("counting recordings"))
}

/// Every row in `state` (start-up reconciliation).
pub fn list_by_state(conn: &Connection, state: &str) -> Result<Vec<RecordingRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM recording WHERE state = ?1 ORDER BY id"
        ))
        .map_err(sql_err("preparing recording list"))?;
    let rows = st
        .query_map([state], from_row)
        .map_err(sql_err("listing recordings"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading recording rows"))
}

/// (root, path) → id of every recording (orphan detection).
pub fn all_paths(conn: &Connection) -> Result<Vec<(i64, String, String, String)>> {
    let mut st = conn
        .prepare_cached("SELECT id, root, path, state FROM recording")
        .map_err(sql_err("preparing path list"))?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .map_err(sql_err("listing paths"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading paths"))
}

/// The end of the latest recording of a camera that starts before `before_ms` (clock-jump guard).
pub fn last_end_ms(conn: &Connection, camera_id: i64) -> Result<Option<i64>> {
    conn.query_row(
        "SELECT max(end_ms) FROM recording WHERE camera_id = ?1",
        [camera_id],
        |r| r.get::<_, Option<i64>>(0),
    )
    .map_err(sql_err("reading last recording end"))
}

/// The start of a camera's oldest recording whose file is still there (not `missing`): where its
/// footage begins. Before it the timeline has no footage yet (or none kept), which is not a gap.
pub fn first_start_ms(conn: &Connection, camera_id: i64) -> Result<Option<i64>> {
    conn.query_row(
        "SELECT start_ms FROM recording WHERE camera_id = ?1 AND state != 'missing' \
         ORDER BY start_ms LIMIT 1",
        [camera_id],
        |r| r.get::<_, i64>(0),
    )
    .optional()
    .map_err(sql_err("reading first recording start"))
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM recording WHERE id = ?1", [id])
        .map_err(sql_err("deleting recording"))?;
    Ok(n == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_queries_and_progress() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        c.execute(
            "INSERT INTO camera (name, source_kind, source_json, created_at_ms, updated_at_ms) VALUES ('a', 'file', '{}', 1, 1)",
            [],
        )
        .unwrap();
        let mut ids = vec![];
        for i in 0..3 {
            let r = RecordingRow {
                id: 0,
                camera_id: 1,
                root: "hot".into(),
                path: format!("1/x/{i}.mp4"),
                tier: "hot".into(),
                state: "complete".into(),
                start_ms: 1000 * i,
                end_ms: 1000 * i + 1000,
                media_duration_90k: 90_000,
                bytes: 10,
                init_bytes: 5,
                codec: "h264".into(),
                width: 320,
                height: 240,
                keyframe_index: vec![0, 0],
                clock_jump_ms: 0,
                created_at_ms: 0,
            };
            ids.push(insert(c, &r).unwrap());
        }
        assert_eq!(list_range(c, Some(1), 500, 1500, 10, 0).unwrap().len(), 2);
        assert_eq!(list_range(c, None, 1000, 2000, 10, 0).unwrap().len(), 1);
        assert_eq!(count_range(c, Some(1), 0, 10_000).unwrap(), 3);
        assert_eq!(
            list_range(c, Some(1), 0, 10_000, 1, 1).unwrap()[0].id,
            ids[1]
        );
        update_progress(
            c,
            &Progress {
                id: ids[2],
                state: "recording".into(),
                end_ms: 5000,
                media_duration_90k: 1,
                bytes: 99,
                init_bytes: 5,
                keyframe_index: vec![1],
            },
        )
        .unwrap();
        assert_eq!(list_by_state(c, "recording").unwrap().len(), 1);
        assert_eq!(last_end_ms(c, 1).unwrap(), Some(5000));
        assert_eq!(first_start_ms(c, 1).unwrap(), Some(0));
        // A missing file is no footage: the first is then the next one.
        set_state(c, ids[0], "missing").unwrap();
        assert_eq!(first_start_ms(c, 1).unwrap(), Some(1000));
        assert_eq!(first_start_ms(c, 2).unwrap(), None);
        assert_eq!(all_paths(c).unwrap().len(), 3);
        // Deleting the camera deletes its rows.
        c.execute("DELETE FROM camera WHERE id = 1", []).unwrap();
        assert_eq!(count_range(c, None, 0, 10_000).unwrap(), 0);
    }
}
