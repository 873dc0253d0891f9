//! Queries of the detection tables: per-camera detection settings, stored sightings
//! (`detection`) and tracked objects (`detection_event`), for the API's lists, the timeline's
//! markers and the snapshot route.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

/// `camera_detection`: what the camera row does not hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SettingsRow {
    pub camera_id: i64,
    pub substream_url: Option<String>,
    pub filter_json: String,
    pub updated_at_ms: i64,
}

pub fn get_settings(conn: &Connection, camera_id: i64) -> Result<Option<SettingsRow>> {
    conn.query_row(
        "SELECT camera_id, substream_url, filter_json, updated_at_ms FROM camera_detection \
         WHERE camera_id = ?1",
        [camera_id],
        |r| {
            Ok(SettingsRow {
                camera_id: r.get(0)?,
                substream_url: r.get(1)?,
                filter_json: r.get(2)?,
                updated_at_ms: r.get(3)?,
            })
        },
    )
    .optional()
    .map_err(sql_err("reading detection settings"))
}

pub fn put_settings(conn: &Connection, s: &SettingsRow) -> Result<()> {
    conn.execute(
        "INSERT INTO camera_detection (camera_id, substream_url, filter_json, updated_at_ms) \
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT (camera_id) DO UPDATE SET \
         substream_url = excluded.substream_url, filter_json = excluded.filter_json, \
         updated_at_ms = excluded.updated_at_ms",
        params![s.camera_id, s.substream_url, s.filter_json, s.updated_at_ms],
    )
    .map_err(sql_err("storing detection settings"))?;
    Ok(())
}

/// One stored sighting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DetectionRow {
    pub id: i64,
    pub camera_id: i64,
    pub event_id: Option<i64>,
    pub at_ms: i64,
    pub label: String,
    pub score: f64,
    /// Box as fractions of the frame.
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// Relative to the snapshot directory.
    pub image_path: Option<String>,
    pub metadata_json: String,
}

const DETECTION_COLUMNS: &str =
    "id, camera_id, event_id, at_ms, label, score, x, y, width, height, image_path, metadata_json";

fn detection_from_row(r: &Row<'_>) -> rusqlite::Result<DetectionRow> {
    Ok(DetectionRow {
        id: r.get(0)?,
        camera_id: r.get(1)?,
        event_id: r.get(2)?,
        at_ms: r.get(3)?,
        label: r.get(4)?,
        score: r.get(5)?,
        x: r.get(6)?,
        y: r.get(7)?,
        width: r.get(8)?,
        height: r.get(9)?,
        image_path: r.get(10)?,
        metadata_json: r.get(11)?,
    })
}

pub fn insert_detection(conn: &Connection, d: &DetectionRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO detection (camera_id, event_id, at_ms, label, score, x, y, width, height, \
         image_path, metadata_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            d.camera_id,
            d.event_id,
            d.at_ms,
            d.label,
            d.score.clamp(0.0, 1.0),
            d.x,
            d.y,
            d.width,
            d.height,
            d.image_path,
            d.metadata_json
        ],
    )
    .map_err(sql_err("inserting detection"))?;
    Ok(conn.last_insert_rowid())
}

pub fn get_detection(conn: &Connection, id: i64) -> Result<Option<DetectionRow>> {
    conn.query_row(
        &format!("SELECT {DETECTION_COLUMNS} FROM detection WHERE id = ?1"),
        [id],
        detection_from_row,
    )
    .optional()
    .map_err(sql_err("reading detection"))
}

/// Filter of `GET /detections`: newest first.
#[derive(Clone, Debug, Default)]
pub struct DetectionQuery {
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    pub since_ms: Option<i64>,
    pub event_id: Option<i64>,
    pub limit: i64,
}

pub fn list_detections(conn: &Connection, q: &DetectionQuery) -> Result<Vec<DetectionRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {DETECTION_COLUMNS} FROM detection WHERE (?1 IS NULL OR camera_id = ?1) \
             AND (?2 IS NULL OR label = ?2) AND (?3 IS NULL OR at_ms >= ?3) \
             AND (?4 IS NULL OR event_id = ?4) ORDER BY at_ms DESC, id DESC LIMIT ?5"
        ))
        .map_err(sql_err("listing detections"))?;
    let rows = st
        .query_map(
            params![q.camera_id, q.label, q.since_ms, q.event_id, q.limit],
            detection_from_row,
        )
        .map_err(sql_err("listing detections"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("listing detections"))
}

/// Attach the detections of a track to its event once the event exists.
pub fn link_detections(conn: &Connection, event_id: i64, ids: &[i64]) -> Result<()> {
    let mut st = conn
        .prepare_cached("UPDATE detection SET event_id = ?1 WHERE id = ?2")
        .map_err(sql_err("linking detections"))?;
    for id in ids {
        st.execute(params![event_id, id])
            .map_err(sql_err("linking detections"))?;
    }
    Ok(())
}

/// A tracked object.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventRow {
    pub id: i64,
    pub camera_id: i64,
    pub label: String,
    pub start_ms: i64,
    pub end_ms: i64,
    pub ongoing: bool,
    pub top_score: f64,
    pub detections: i64,
    pub best_detection_id: Option<i64>,
    pub zones_json: String,
}

const EVENT_COLUMNS: &str = "id, camera_id, label, start_ms, end_ms, ongoing, top_score, \
    detections, best_detection_id, zones_json";

fn event_from_row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
    Ok(EventRow {
        id: r.get(0)?,
        camera_id: r.get(1)?,
        label: r.get(2)?,
        start_ms: r.get(3)?,
        end_ms: r.get(4)?,
        ongoing: r.get(5)?,
        top_score: r.get(6)?,
        detections: r.get(7)?,
        best_detection_id: r.get(8)?,
        zones_json: r.get(9)?,
    })
}

pub fn insert_event(conn: &Connection, e: &EventRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO detection_event (camera_id, label, start_ms, end_ms, ongoing, top_score, \
         detections, best_detection_id, zones_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            e.camera_id,
            e.label,
            e.start_ms,
            e.end_ms.max(e.start_ms),
            e.ongoing,
            e.top_score,
            e.detections,
            e.best_detection_id,
            e.zones_json
        ],
    )
    .map_err(sql_err("inserting detection event"))?;
    Ok(conn.last_insert_rowid())
}

/// Store an event's progress (or its end).
pub fn update_event(conn: &Connection, e: &EventRow) -> Result<()> {
    conn.execute(
        "UPDATE detection_event SET end_ms = max(start_ms, ?2), ongoing = ?3, top_score = ?4, \
         detections = ?5, best_detection_id = ?6, zones_json = ?7 WHERE id = ?1",
        params![
            e.id,
            e.end_ms,
            e.ongoing,
            e.top_score,
            e.detections,
            e.best_detection_id,
            e.zones_json
        ],
    )
    .map_err(sql_err("updating detection event"))?;
    Ok(())
}

pub fn get_event(conn: &Connection, id: i64) -> Result<Option<EventRow>> {
    conn.query_row(
        &format!("SELECT {EVENT_COLUMNS} FROM detection_event WHERE id = ?1"),
        [id],
        event_from_row,
    )
    .optional()
    .map_err(sql_err("reading detection event"))
}

/// Filter of `GET /detection-events`: events overlapping `[start, end)`, newest first.
#[derive(Clone, Debug, Default)]
pub struct EventQuery {
    pub camera_id: Option<i64>,
    pub label: Option<String>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub limit: i64,
}

pub fn list_events(conn: &Connection, q: &EventQuery) -> Result<Vec<EventRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM detection_event WHERE (?1 IS NULL OR camera_id = ?1) \
             AND (?2 IS NULL OR label = ?2) AND (?3 IS NULL OR end_ms >= ?3) \
             AND (?4 IS NULL OR start_ms < ?4) ORDER BY start_ms DESC, id DESC LIMIT ?5"
        ))
        .map_err(sql_err("listing detection events"))?;
    let rows = st
        .query_map(
            params![q.camera_id, q.label, q.start_ms, q.end_ms, q.limit],
            event_from_row,
        )
        .map_err(sql_err("listing detection events"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("listing detection events"))
}

/// Events left ongoing by a crash or a stop: closed at their last sighting.
pub fn close_ongoing(conn: &Connection, camera_id: Option<i64>) -> Result<usize> {
    conn.execute(
        "UPDATE detection_event SET ongoing = 0 WHERE ongoing = 1 AND (?1 IS NULL OR camera_id = ?1)",
        [camera_id],
    )
    .map_err(sql_err("closing detection events"))
}

/// Delete up to `limit` detections older than `before_ms` and the finished events that ended
/// before it; returns how many detections went and their snapshot paths (for the caller to
/// remove).
pub fn prune(conn: &mut Connection, before_ms: i64, limit: i64) -> Result<(usize, Vec<String>)> {
    let tx = conn.transaction().map_err(sql_err("pruning detections"))?;
    let paths = {
        let mut st = tx
            .prepare_cached(
                "DELETE FROM detection WHERE id IN \
                 (SELECT id FROM detection WHERE at_ms < ?1 ORDER BY at_ms LIMIT ?2) \
                 RETURNING image_path",
            )
            .map_err(sql_err("pruning detections"))?;
        let rows = st
            .query_map(params![before_ms, limit], |r| r.get::<_, Option<String>>(0))
            .map_err(sql_err("pruning detections"))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql_err("pruning detections"))?
    };
    let deleted = paths.len();
    let paths: Vec<String> = paths.into_iter().flatten().collect();
    tx.execute(
        "DELETE FROM detection_event WHERE ongoing = 0 AND end_ms < ?1 \
         AND NOT EXISTS (SELECT 1 FROM detection d WHERE d.event_id = detection_event.id)",
        [before_ms],
    )
    .map_err(sql_err("pruning detection events"))?;
    tx.commit().map_err(sql_err("pruning detections"))?;
    Ok((deleted, paths))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cameras::tests::insert_camera;

    #[test]
    fn events_detections_and_settings_round_trip() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        let cam = insert_camera(c, "front");
        assert_eq!(get_settings(c, cam).unwrap(), None);
        let s = SettingsRow {
            camera_id: cam,
            substream_url: Some("rtsp://cam/sub".into()),
            filter_json: r#"{"labels":["person"]}"#.into(),
            updated_at_ms: 5,
        };
        put_settings(c, &s).unwrap();
        put_settings(c, &s).unwrap();
        assert_eq!(get_settings(c, cam).unwrap(), Some(s));

        let mut d = DetectionRow {
            camera_id: cam,
            at_ms: 1_000,
            label: "person".into(),
            score: 0.8,
            x: 0.1,
            y: 0.2,
            width: 0.3,
            height: 0.4,
            image_path: Some("1/2026-11-21/1000-1.jpg".into()),
            metadata_json: "{}".into(),
            ..Default::default()
        };
        d.id = insert_detection(c, &d).unwrap();
        let mut e = EventRow {
            camera_id: cam,
            label: "person".into(),
            start_ms: 1_000,
            end_ms: 1_000,
            ongoing: true,
            top_score: 0.8,
            detections: 1,
            best_detection_id: Some(d.id),
            zones_json: "[]".into(),
            ..Default::default()
        };
        e.id = insert_event(c, &e).unwrap();
        link_detections(c, e.id, &[d.id]).unwrap();
        d.event_id = Some(e.id);
        assert_eq!(get_detection(c, d.id).unwrap(), Some(d.clone()));
        e.end_ms = 4_000;
        update_event(c, &e).unwrap();
        assert_eq!(close_ongoing(c, Some(cam)).unwrap(), 1);
        e.ongoing = false;
        assert_eq!(get_event(c, e.id).unwrap(), Some(e.clone()));

        let q = EventQuery {
            camera_id: Some(cam),
            start_ms: Some(3_000),
            end_ms: Some(5_000),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(list_events(c, &q).unwrap().len(), 1);
        let q = EventQuery {
            start_ms: Some(4_001),
            limit: 10,
            ..Default::default()
        };
        assert!(list_events(c, &q).unwrap().is_empty());
        let q = DetectionQuery {
            label: Some("car".into()),
            limit: 10,
            ..Default::default()
        };
        assert!(list_detections(c, &q).unwrap().is_empty());
        let q = DetectionQuery {
            since_ms: Some(1_000),
            camera_id: Some(cam),
            limit: 10,
            ..Default::default()
        };
        assert_eq!(list_detections(c, &q).unwrap(), vec![d.clone()]);
        // Retention: nothing is that old yet; then everything before 5 s goes, files reported.
        assert_eq!(prune(c, 0, 100).unwrap(), (0, vec![]));
        assert_eq!(
            prune(c, 5_000, 100).unwrap(),
            (1, vec!["1/2026-11-21/1000-1.jpg".to_string()])
        );
        assert_eq!(get_detection(c, d.id).unwrap(), None);
        assert_eq!(
            get_event(c, e.id).unwrap(),
            None,
            "its event ended before 5 s"
        );
        // A camera's rows go with it.
        crate::cameras::delete(c, cam).unwrap();
        assert_eq!(get_event(c, e.id).unwrap(), None);
        assert_eq!(get_settings(c, cam).unwrap(), None);
    }
}
