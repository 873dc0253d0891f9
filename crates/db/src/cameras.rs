//! Queries of the `camera` table. Rows carry the source as stored JSON (never credentials); the
//! engine validates and shapes them.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::{Result, err};

use crate::sql_err;

/// A camera row as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct CameraRow {
    pub id: i64,
    pub name: String,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub serial_number: Option<String>,
    pub location: Option<String>,
    pub place: Option<String>,
    pub source_kind: String,
    pub source_json: String,
    pub stream_key: Option<String>,
    pub username: Option<String>,
    pub has_password: bool,
    pub enabled: bool,
    pub recording_enabled: bool,
    pub detection_enabled: bool,
    pub detect_fps: i64,
    pub status: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    /// Deleted with its footage kept (0011): out of service, the row kept for playback and export.
    pub removed_at_ms: Option<i64>,
}

const COLUMNS: &str = "id, name, manufacturer, model, serial_number, location, place, source_kind, \
    source_json, stream_key, username, has_password, enabled, recording_enabled, detection_enabled, \
    detect_fps, status, created_at_ms, updated_at_ms, removed_at_ms";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CameraRow> {
    Ok(CameraRow {
        id: r.get(0)?,
        name: r.get(1)?,
        manufacturer: r.get(2)?,
        model: r.get(3)?,
        serial_number: r.get(4)?,
        location: r.get(5)?,
        place: r.get(6)?,
        source_kind: r.get(7)?,
        source_json: r.get(8)?,
        stream_key: r.get(9)?,
        username: r.get(10)?,
        has_password: r.get(11)?,
        enabled: r.get(12)?,
        recording_enabled: r.get(13)?,
        detection_enabled: r.get(14)?,
        detect_fps: r.get(15)?,
        status: r.get(16)?,
        created_at_ms: r.get(17)?,
        updated_at_ms: r.get(18)?,
        removed_at_ms: r.get(19)?,
    })
}

/// Whether a rusqlite error is a UNIQUE violation on `column` of the camera table.
pub fn is_unique_violation(e: &rusqlite::Error, column: &str) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, Some(msg)) => {
            f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.contains("UNIQUE")
                && msg.contains(&format!("camera.{column}"))
        }
        _ => false,
    }
}

/// Every camera row, removed ones (kept for their footage) included: callers that run or show
/// cameras in service skip rows with `removed_at_ms`.
pub fn list(conn: &Connection) -> Result<Vec<CameraRow>> {
    let mut st = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM camera ORDER BY id"))
        .map_err(sql_err("preparing camera list"))?;
    let rows = st
        .query_map([], from_row)
        .map_err(sql_err("listing cameras"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading camera rows"))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<CameraRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM camera WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading camera"))
}

pub fn get_by_stream_key(conn: &Connection, key: &str) -> Result<Option<CameraRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM camera WHERE stream_key = ?1"),
        [key],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading camera by stream key"))
}

/// Insert `row` (its `id` is ignored) and return the new id. A duplicate serial number comes back
/// as the raw rusqlite error so the caller can name the field.
pub fn insert(conn: &Connection, row: &CameraRow) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO camera (name, manufacturer, model, serial_number, location, place, source_kind, \
         source_json, stream_key, username, has_password, enabled, recording_enabled, \
         detection_enabled, detect_fps, status, created_at_ms, updated_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            row.name,
            row.manufacturer,
            row.model,
            row.serial_number,
            row.location,
            row.place,
            row.source_kind,
            row.source_json,
            row.stream_key,
            row.username,
            row.has_password,
            row.enabled,
            row.recording_enabled,
            row.detection_enabled,
            row.detect_fps,
            row.status,
            row.created_at_ms,
            row.updated_at_ms
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Overwrite every mutable column of camera `row.id`. Returns false if it does not exist.
pub fn update(conn: &Connection, row: &CameraRow) -> rusqlite::Result<bool> {
    let n = conn.execute(
        "UPDATE camera SET name = ?2, manufacturer = ?3, model = ?4, serial_number = ?5, \
         location = ?6, place = ?7, source_kind = ?8, source_json = ?9, stream_key = ?10, \
         username = ?11, has_password = ?12, enabled = ?13, recording_enabled = ?14, \
         detection_enabled = ?15, detect_fps = ?16, status = ?17, updated_at_ms = ?18 WHERE id = ?1",
        params![
            row.id,
            row.name,
            row.manufacturer,
            row.model,
            row.serial_number,
            row.location,
            row.place,
            row.source_kind,
            row.source_json,
            row.stream_key,
            row.username,
            row.has_password,
            row.enabled,
            row.recording_enabled,
            row.detection_enabled,
            row.detect_fps,
            row.status,
            row.updated_at_ms
        ],
    )?;
    Ok(n == 1)
}

pub fn set_status(conn: &Connection, id: i64, status: &str, now_ms: i64) -> Result<bool> {
    let n = conn
        .execute(
            "UPDATE camera SET status = ?2, updated_at_ms = ?3 WHERE id = ?1",
            params![id, status, now_ms],
        )
        .map_err(sql_err("updating camera status"))?;
    Ok(n == 1)
}

pub fn delete(conn: &Connection, id: i64) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM camera WHERE id = ?1", [id])
        .map_err(sql_err("deleting camera"))?;
    Ok(n == 1)
}

/// Take camera `id` out of service and keep its row for its footage: stopped, disabled, its stream
/// key and serial number freed (a camera re-added later may use them again). Returns false if no
/// camera in service has that id.
pub fn mark_removed(conn: &Connection, id: i64, now_ms: i64) -> Result<bool> {
    let n = conn
        .execute(
            "UPDATE camera SET removed_at_ms = ?2, updated_at_ms = ?2, enabled = 0, \
             recording_enabled = 0, detection_enabled = 0, status = 'stopped', stream_key = NULL, \
             serial_number = NULL, username = NULL, has_password = 0 \
             WHERE id = ?1 AND removed_at_ms IS NULL",
            params![id, now_ms],
        )
        .map_err(sql_err("removing camera"))?;
    Ok(n == 1)
}

/// Delete the removed cameras whose last recording has gone (retention aged it out, or someone
/// deleted it); their events, bookmarks and alerts go with them. Returns their ids.
pub fn purge_removed_without_footage(conn: &Connection) -> Result<Vec<i64>> {
    let mut st = conn
        .prepare_cached(
            "DELETE FROM camera WHERE removed_at_ms IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM recording r WHERE r.camera_id = camera.id) RETURNING id",
        )
        .map_err(sql_err("preparing removed-camera purge"))?;
    let rows = st
        .query_map([], |r| r.get(0))
        .map_err(sql_err("purging removed cameras"))?;
    rows.collect::<rusqlite::Result<Vec<i64>>>()
        .map_err(sql_err("reading purged cameras"))
}

/// Count cameras in service by status, for metrics.
pub fn count_by_status(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut st = conn
        .prepare_cached(
            "SELECT status, count(*) FROM camera WHERE removed_at_ms IS NULL \
             GROUP BY status ORDER BY status",
        )
        .map_err(sql_err("preparing camera count"))?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_err("counting cameras"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(|e| err!(Internal, "reading camera counts: {e}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A camera row for other tables' tests; returns its id.
    pub(crate) fn insert_camera(c: &Connection, name: &str) -> i64 {
        let mut row = sample(None);
        row.name = name.into();
        insert(c, &row).expect("camera")
    }

    fn sample(serial: Option<&str>) -> CameraRow {
        CameraRow {
            id: 0,
            name: "Gate".into(),
            manufacturer: None,
            model: None,
            serial_number: serial.map(str::to_string),
            location: None,
            place: None,
            source_kind: "file".into(),
            source_json: r#"{"kind":"file","path":"/x.mp4"}"#.into(),
            stream_key: None,
            username: None,
            has_password: false,
            enabled: true,
            recording_enabled: true,
            detection_enabled: false,
            detect_fps: 5,
            status: "stopped".into(),
            created_at_ms: 1,
            updated_at_ms: 1,
            removed_at_ms: None,
        }
    }

    #[test]
    fn a_removed_camera_keeps_its_row_until_its_footage_is_gone() {
        let conn = crate::test_conn();
        let mut row = sample(Some("SN9"));
        row.stream_key = Some("k".into());
        let id = insert(&conn, &row).unwrap();
        let other = insert(&conn, &sample(None)).unwrap();
        conn.execute(
            "INSERT INTO recording (camera_id, root, path, state, start_ms, end_ms, \
             media_duration_90k, bytes, init_bytes, codec, width, height, keyframe_index, \
             created_at_ms) VALUES (?1, 'hot', 'x.mp4', 'complete', 0, 1000, 90000, 10, 5, \
             'h264', 640, 360, x'', 0)",
            [id],
        )
        .unwrap();
        assert!(set_status(&conn, id, "running", 2).unwrap());
        assert!(mark_removed(&conn, id, 50).unwrap());
        assert!(!mark_removed(&conn, id, 60).unwrap(), "only once");
        let r = get(&conn, id).unwrap().unwrap();
        assert_eq!(r.removed_at_ms, Some(50));
        assert!(!r.enabled && r.stream_key.is_none() && r.serial_number.is_none());
        assert_eq!(r.status, "stopped");
        // Its serial number and key are free again; metrics count only cameras in service.
        insert(&conn, &sample(Some("SN9"))).unwrap();
        assert_eq!(count_by_status(&conn).unwrap(), vec![("stopped".into(), 2)]);
        // With footage left, the purge keeps it; without, it goes (and a camera in service never).
        assert!(purge_removed_without_footage(&conn).unwrap().is_empty());
        conn.execute("DELETE FROM recording WHERE camera_id = ?1", [id])
            .unwrap();
        assert_eq!(purge_removed_without_footage(&conn).unwrap(), vec![id]);
        assert!(get(&conn, id).unwrap().is_none());
        assert!(get(&conn, other).unwrap().is_some());
    }

    #[test]
    fn crud_and_unique_serial() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        let id = insert(c, &sample(Some("SN1"))).unwrap();
        let e = insert(c, &sample(Some("SN1"))).unwrap_err();
        assert!(is_unique_violation(&e, "serial_number"), "{e}");
        insert(c, &sample(None)).unwrap();
        insert(c, &sample(None)).unwrap();
        let mut row = get(c, id).unwrap().unwrap();
        row.name = "Gate 2".into();
        assert!(update(c, &row).unwrap());
        assert_eq!(get(c, id).unwrap().unwrap().name, "Gate 2");
        assert_eq!(list(c).unwrap().len(), 3);
        assert!(set_status(c, id, "running", 2).unwrap());
        assert_eq!(
            count_by_status(c).unwrap(),
            vec![("running".into(), 1), ("stopped".into(), 2)]
        );
        assert!(delete(c, id).unwrap());
        assert!(!delete(c, id).unwrap());
        assert!(get(c, id).unwrap().is_none());
    }

    #[test]
    fn detect_fps_is_checked_by_the_schema_too() {
        let conn = crate::test_conn();
        let mut row = sample(None);
        row.detect_fps = 31;
        assert!(insert(&conn, &row).is_err());
    }
}
