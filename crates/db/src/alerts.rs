//! Queries of the `alert` table: raising, listing with the widget's filters, acknowledging, and
//! finding the open alert of a kind so a condition that persists is one alert, not one a minute.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlertRow {
    pub id: i64,
    pub kind: String,
    pub severity: String,
    pub camera_id: Option<i64>,
    pub event_id: Option<i64>,
    pub message: String,
    pub details_json: String,
    pub created_at_ms: i64,
    pub acknowledged_at_ms: Option<i64>,
    pub acknowledged_by: Option<String>,
}

const COLUMNS: &str = "id, type, severity, camera_id, event_id, message, details_json, \
    created_at_ms, acknowledged_at_ms, acknowledged_by";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AlertRow> {
    Ok(AlertRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        severity: r.get(2)?,
        camera_id: r.get(3)?,
        event_id: r.get(4)?,
        message: r.get(5)?,
        details_json: r.get(6)?,
        created_at_ms: r.get(7)?,
        acknowledged_at_ms: r.get(8)?,
        acknowledged_by: r.get(9)?,
    })
}

pub fn insert(conn: &Connection, a: &AlertRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO alert (type, severity, camera_id, event_id, message, details_json, \
         created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            a.kind,
            a.severity,
            a.camera_id,
            a.event_id,
            a.message,
            a.details_json,
            a.created_at_ms
        ],
    )
    .map_err(sql_err("inserting alert"))?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<AlertRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM alert WHERE id = ?1"),
        [id],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading alert"))
}

/// The newest unacknowledged alert of `kind` for `camera_id` (None: system-wide) created at or
/// after `since_ms`.
pub fn latest_open(
    conn: &Connection,
    kind: &str,
    camera_id: Option<i64>,
    since_ms: i64,
) -> Result<Option<AlertRow>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM alert WHERE type = ?1 AND camera_id IS ?2 \
             AND acknowledged_at_ms IS NULL AND created_at_ms >= ?3 \
             ORDER BY created_at_ms DESC, id DESC LIMIT 1"
        ),
        params![kind, camera_id, since_ms],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading alert"))
}

/// Filter of `GET /alerts`, newest first.
#[derive(Clone, Debug, Default)]
pub struct AlertQuery {
    pub severity: Option<String>,
    pub kind: Option<String>,
    pub camera_id: Option<i64>,
    pub acknowledged: Option<bool>,
    pub since_ms: Option<i64>,
    pub limit: i64,
}

pub fn list(conn: &Connection, q: &AlertQuery) -> Result<Vec<AlertRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM alert WHERE (?1 IS NULL OR severity = ?1) \
             AND (?2 IS NULL OR type = ?2) AND (?3 IS NULL OR camera_id = ?3) \
             AND (?4 IS NULL OR (acknowledged_at_ms IS NOT NULL) = ?4) \
             AND (?5 IS NULL OR created_at_ms >= ?5) \
             ORDER BY created_at_ms DESC, id DESC LIMIT ?6"
        ))
        .map_err(sql_err("listing alerts"))?;
    let rows = st
        .query_map(
            params![
                q.severity,
                q.kind,
                q.camera_id,
                q.acknowledged,
                q.since_ms,
                q.limit
            ],
            from_row,
        )
        .map_err(sql_err("listing alerts"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("listing alerts"))
}

/// Delete up to `batch` alerts raised before `before_ms` (alert retention); how many went.
pub fn prune(conn: &Connection, before_ms: i64, batch: i64) -> Result<usize> {
    conn.execute(
        "DELETE FROM alert WHERE id IN \
         (SELECT id FROM alert WHERE created_at_ms < ?1 ORDER BY created_at_ms LIMIT ?2)",
        params![before_ms, batch],
    )
    .map_err(sql_err("pruning alerts"))
}

/// Unacknowledged alerts, for the widget's badge.
pub fn count_open(conn: &Connection) -> Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM alert WHERE acknowledged_at_ms IS NULL",
        [],
        |r| r.get(0),
    )
    .map_err(sql_err("counting alerts"))
}

/// Acknowledge; an alert acknowledged already keeps its first acknowledgement. False if absent.
pub fn acknowledge(conn: &Connection, id: i64, at_ms: i64, by: &str) -> Result<bool> {
    let n = conn
        .execute(
            "UPDATE alert SET acknowledged_at_ms = coalesce(acknowledged_at_ms, ?2), \
             acknowledged_by = coalesce(acknowledged_by, ?3) WHERE id = ?1",
            params![id, at_ms, by],
        )
        .map_err(sql_err("acknowledging alert"))?;
    Ok(n > 0)
}

/// Alerts created in `[start, end)` for a camera (timeline markers), oldest first.
pub fn in_range(
    conn: &Connection,
    camera_id: i64,
    start_ms: i64,
    end_ms: i64,
    limit: i64,
) -> Result<Vec<AlertRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM alert WHERE camera_id = ?1 AND created_at_ms >= ?2 \
             AND created_at_ms < ?3 ORDER BY created_at_ms, id LIMIT ?4"
        ))
        .map_err(sql_err("listing alerts"))?;
    let rows = st
        .query_map(params![camera_id, start_ms, end_ms, limit], from_row)
        .map_err(sql_err("listing alerts"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("listing alerts"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cameras::tests::insert_camera;

    fn alert(kind: &str, severity: &str, camera_id: Option<i64>, at: i64) -> AlertRow {
        AlertRow {
            kind: kind.into(),
            severity: severity.into(),
            camera_id,
            message: format!("{kind} at {at}"),
            details_json: "{}".into(),
            created_at_ms: at,
            ..Default::default()
        }
    }

    #[test]
    fn raise_filter_and_acknowledge() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        let cam = insert_camera(c, "gate");
        let a = insert(c, &alert("camera_offline", "critical", Some(cam), 10)).unwrap();
        let b = insert(c, &alert("detection", "warning", Some(cam), 20)).unwrap();
        let s = insert(c, &alert("storage_full", "critical", None, 30)).unwrap();
        assert!(insert(c, &alert("nonsense", "critical", None, 30)).is_err());
        assert!(insert(c, &alert("detection", "loud", None, 30)).is_err());

        let all = list(
            c,
            &AlertQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(all.iter().map(|a| a.id).collect::<Vec<_>>(), [s, b, a]);
        let crit = list(
            c,
            &AlertQuery {
                severity: Some("critical".into()),
                camera_id: Some(cam),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(crit.len(), 1);
        assert_eq!(crit[0].id, a);

        assert_eq!(count_open(c).unwrap(), 3);
        assert!(acknowledge(c, b, 40, "desk").unwrap());
        assert!(acknowledge(c, b, 50, "other").unwrap());
        let got = get(c, b).unwrap().unwrap();
        assert_eq!(got.acknowledged_at_ms, Some(40));
        assert_eq!(got.acknowledged_by.as_deref(), Some("desk"));
        assert!(!acknowledge(c, 999, 40, "desk").unwrap());
        assert_eq!(count_open(c).unwrap(), 2);
        let open = list(
            c,
            &AlertQuery {
                acknowledged: Some(false),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(open.len(), 2);
        let acked = list(
            c,
            &AlertQuery {
                acknowledged: Some(true),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(acked[0].id, b);

        assert_eq!(
            latest_open(c, "camera_offline", Some(cam), 0)
                .unwrap()
                .map(|a| a.id),
            Some(a)
        );
        assert_eq!(
            latest_open(c, "storage_full", None, 0)
                .unwrap()
                .map(|a| a.id),
            Some(s)
        );
        assert!(latest_open(c, "storage_full", None, 31).unwrap().is_none());
        assert_eq!(in_range(c, cam, 0, 25, 10).unwrap().len(), 2);
    }
}
