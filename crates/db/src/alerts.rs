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
    /// Incidents: the last activity.
    pub last_at_ms: Option<i64>,
    /// Incidents: when it went quiet; `None` while open.
    pub ended_at_ms: Option<i64>,
    /// Conditions: when it cleared; `None` while it holds.
    pub resolved_at_ms: Option<i64>,
    /// Incidents: tracked objects in it.
    pub objects: i64,
    /// Incidents: label → objects, a JSON object.
    pub labels_json: String,
}

const COLUMNS: &str = "id, type, severity, camera_id, event_id, message, details_json, \
    created_at_ms, acknowledged_at_ms, acknowledged_by, last_at_ms, ended_at_ms, resolved_at_ms, \
    objects, labels_json";

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
        last_at_ms: r.get(10)?,
        ended_at_ms: r.get(11)?,
        resolved_at_ms: r.get(12)?,
        objects: r.get(13)?,
        labels_json: r.get(14)?,
    })
}

pub fn insert(conn: &Connection, a: &AlertRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO alert (type, severity, camera_id, event_id, message, details_json, \
         created_at_ms, last_at_ms, ended_at_ms, resolved_at_ms, objects, labels_json) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            a.kind,
            a.severity,
            a.camera_id,
            a.event_id,
            a.message,
            a.details_json,
            a.created_at_ms,
            a.last_at_ms,
            a.ended_at_ms,
            a.resolved_at_ms,
            a.objects.max(1),
            if a.labels_json.is_empty() {
                "{}"
            } else {
                a.labels_json.as_str()
            },
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
    /// Over (an incident ended, a condition cleared) or still going on.
    pub resolved: Option<bool>,
    pub since_ms: Option<i64>,
    /// Created before (a time range's end).
    pub until_ms: Option<i64>,
    /// Incidents with at least one object of this label.
    pub label: Option<String>,
    /// Incidents that touched this zone.
    pub zone: Option<String>,
    /// Paging: alerts after this `(created_at_ms, id)` in the list's order (older, or as old
    /// with a lower id). A position rather than a row, so a page still follows when the alert it
    /// ended on has been pruned since.
    pub after: Option<(i64, i64)>,
    pub limit: i64,
}

pub fn list(conn: &Connection, q: &AlertQuery) -> Result<Vec<AlertRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM alert WHERE (?1 IS NULL OR severity = ?1) \
             AND (?2 IS NULL OR type = ?2) AND (?3 IS NULL OR camera_id = ?3) \
             AND (?4 IS NULL OR (acknowledged_at_ms IS NOT NULL) = ?4) \
             AND (?5 IS NULL OR created_at_ms >= ?5) \
             AND (?7 IS NULL OR (coalesce(ended_at_ms, resolved_at_ms) IS NOT NULL) = ?7) \
             AND (?8 IS NULL OR created_at_ms < ?8) \
             AND (?9 IS NULL OR EXISTS (SELECT 1 FROM json_each(labels_json) \
                                        WHERE key = ?9 AND value > 0)) \
             AND (?10 IS NULL OR EXISTS (SELECT 1 FROM json_each(details_json, '$.zones') \
                                         WHERE value = ?10)) \
             AND (?11 IS NULL OR (created_at_ms, id) < (?11, ?12)) \
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
                q.limit,
                q.resolved,
                q.until_ms,
                q.label,
                q.zone,
                q.after.map(|a| a.0),
                q.after.map(|a| a.1)
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

/// The camera's open incident (its `detection` alert not yet ended), if any.
pub fn open_incident(conn: &Connection, camera_id: i64) -> Result<Option<AlertRow>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM alert WHERE camera_id = ?1 AND type = 'detection' \
             AND ended_at_ms IS NULL ORDER BY id DESC LIMIT 1"
        ),
        [camera_id],
        from_row,
    )
    .optional()
    .map_err(sql_err("reading the open incident"))
}

/// Store what an incident grew into: severity, message, details, last activity, objects,
/// labels (and its end, when it has one).
pub fn update_incident(conn: &Connection, a: &AlertRow) -> Result<()> {
    conn.execute(
        "UPDATE alert SET severity = ?2, message = ?3, details_json = ?4, last_at_ms = ?5, \
         objects = ?6, labels_json = ?7, ended_at_ms = ?8 WHERE id = ?1",
        params![
            a.id,
            a.severity,
            a.message,
            a.details_json,
            a.last_at_ms,
            a.objects,
            a.labels_json,
            a.ended_at_ms
        ],
    )
    .map_err(sql_err("updating incident"))?;
    Ok(())
}

/// The last activity of an incident: its own `last_at_ms` (its latest object's start), or the
/// latest end of its objects (the camera's events that started within it), whichever is later.
const INCIDENT_LAST: &str = "max(coalesce(alert.last_at_ms, alert.created_at_ms), \
    coalesce((SELECT max(e.end_ms) FROM detection_event e WHERE e.camera_id = alert.camera_id \
    AND e.start_ms >= alert.created_at_ms \
    AND e.start_ms <= coalesce(alert.last_at_ms, alert.created_at_ms)), 0))";

/// End the open incidents quiet since before `quiet_before_ms` (by [`INCIDENT_LAST`]) whose
/// camera has no detection event still going on; each ends at its last activity. The ended rows.
pub fn end_quiet_incidents(conn: &Connection, quiet_before_ms: i64) -> Result<Vec<AlertRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "UPDATE alert SET last_at_ms = {INCIDENT_LAST}, ended_at_ms = {INCIDENT_LAST} \
             WHERE type = 'detection' AND ended_at_ms IS NULL AND {INCIDENT_LAST} < ?1 \
             AND NOT EXISTS (SELECT 1 FROM detection_event e \
                 WHERE e.camera_id = alert.camera_id AND e.ongoing) \
             RETURNING {COLUMNS}"
        ))
        .map_err(sql_err("ending incidents"))?;
    let rows = st
        .query_map([quiet_before_ms], from_row)
        .map_err(sql_err("ending incidents"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("ending incidents"))
}

/// Activity of the camera's detection events that started in `[from_ms, to_ms]` (an
/// incident's objects), apart from event `except`: their latest end, and whether one is still
/// going on.
pub fn camera_activity(
    conn: &Connection,
    camera_id: i64,
    from_ms: i64,
    to_ms: i64,
    except: i64,
) -> Result<(Option<i64>, bool)> {
    conn.query_row(
        "SELECT max(end_ms), coalesce(max(ongoing), 0) FROM detection_event \
         WHERE camera_id = ?1 AND start_ms >= ?2 AND start_ms <= ?3 AND id != ?4",
        params![camera_id, from_ms, to_ms, except],
        |r| Ok((r.get(0)?, r.get::<_, i64>(1)? != 0)),
    )
    .map_err(sql_err("reading camera activity"))
}

/// Mark the alerts of `kind` that still hold resolved at `at_ms`: those about `camera_id`
/// (None: system-wide), or about any camera with `all_cameras`; and, if `tier` is given, only
/// those about that storage tier. The resolved rows.
pub fn resolve(
    conn: &Connection,
    kind: &str,
    camera_id: Option<i64>,
    all_cameras: bool,
    tier: Option<&str>,
    at_ms: i64,
) -> Result<Vec<AlertRow>> {
    let mut st = conn
        .prepare_cached(&format!(
            "UPDATE alert SET resolved_at_ms = ?4 WHERE type = ?1 AND (?5 OR camera_id IS ?2) \
             AND resolved_at_ms IS NULL \
             AND (?3 IS NULL OR json_extract(details_json, '$.tier') = ?3) RETURNING {COLUMNS}"
        ))
        .map_err(sql_err("resolving alerts"))?;
    let rows = st
        .query_map(params![kind, camera_id, tier, at_ms, all_cameras], from_row)
        .map_err(sql_err("resolving alerts"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("resolving alerts"))
}

/// Which alerts one bulk acknowledgement takes: these ids, or every alert matching the filter.
#[derive(Clone, Debug, Default)]
pub struct AckFilter {
    pub ids: Option<Vec<i64>>,
    pub camera_id: Option<i64>,
    pub severity: Option<String>,
    pub kind: Option<String>,
    /// Created before this.
    pub before_ms: Option<i64>,
}

/// Acknowledge every unacknowledged alert `f` takes; the rows acknowledged now.
pub fn acknowledge_many(
    conn: &Connection,
    f: &AckFilter,
    at_ms: i64,
    by: &str,
) -> Result<Vec<AlertRow>> {
    let ids = f
        .ids
        .as_ref()
        .map(|ids| serde_json::Value::from(ids.clone()).to_string());
    let mut st = conn
        .prepare_cached(&format!(
            "UPDATE alert SET acknowledged_at_ms = ?1, acknowledged_by = ?2 \
             WHERE acknowledged_at_ms IS NULL \
             AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3))) \
             AND (?4 IS NULL OR camera_id = ?4) AND (?5 IS NULL OR severity = ?5) \
             AND (?6 IS NULL OR type = ?6) AND (?7 IS NULL OR created_at_ms < ?7) \
             RETURNING {COLUMNS}"
        ))
        .map_err(sql_err("acknowledging alerts"))?;
    let rows = st
        .query_map(
            params![at_ms, by, ids, f.camera_id, f.severity, f.kind, f.before_ms],
            from_row,
        )
        .map_err(sql_err("acknowledging alerts"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("acknowledging alerts"))
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

    #[test]
    fn label_zone_range_and_pages() {
        let mut conn = crate::test_conn();
        let c = &mut conn;
        let cam = insert_camera(c, "yard");
        let incident = |at: i64, labels: &str, zones: &str| AlertRow {
            labels_json: labels.into(),
            details_json: format!(r#"{{"zones":{zones}}}"#),
            ..alert("detection", "warning", Some(cam), at)
        };
        let p = insert(c, &incident(10, r#"{"person":2,"dog":0}"#, r#"["door"]"#)).unwrap();
        let pc = insert(c, &incident(20, r#"{"person":1,"car":3}"#, "[]")).unwrap();
        let car = insert(c, &incident(20, r#"{"car":1}"#, r#"["drive","door"]"#)).unwrap();
        let off = insert(c, &alert("camera_offline", "critical", Some(cam), 30)).unwrap();
        let ids = |q: AlertQuery| {
            list(c, &AlertQuery { limit: 10, ..q })
                .unwrap()
                .iter()
                .map(|a| a.id)
                .collect::<Vec<_>>()
        };
        let label = |l: &str| AlertQuery {
            label: Some(l.into()),
            ..Default::default()
        };
        assert_eq!(ids(label("person")), [pc, p]);
        assert_eq!(ids(label("car")), [car, pc]);
        assert!(
            ids(label("dog")).is_empty(),
            "a label counted 0 is no match"
        );
        // A label is a key, not a pattern.
        assert!(ids(label("%")).is_empty());
        let zone = |z: &str| AlertQuery {
            zone: Some(z.into()),
            ..Default::default()
        };
        assert_eq!(ids(zone("door")), [car, p]);
        assert_eq!(ids(zone("drive")), [car]);
        let range = AlertQuery {
            since_ms: Some(10),
            until_ms: Some(30),
            ..Default::default()
        };
        assert_eq!(ids(range), [car, pc, p], "until is exclusive");

        // Pages of two: ties on the time are broken by id, nothing repeats or goes missing.
        let page = |after: Option<i64>| {
            let after = after.map(|id| {
                let a = get(c, id).unwrap().unwrap();
                (a.created_at_ms, a.id)
            });
            list(
                c,
                &AlertQuery {
                    after,
                    limit: 2,
                    ..Default::default()
                },
            )
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>()
        };
        let first = page(None);
        assert_eq!(first, [off, car]);
        let second = page(Some(car));
        assert_eq!(second, [pc, p]);
        assert!(page(Some(p)).is_empty());
        // The page after an alert that has been pruned since still follows on.
        let gone = list(
            c,
            &AlertQuery {
                after: Some((20, car + 100)),
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(gone.iter().map(|a| a.id).collect::<Vec<_>>(), [car, pc, p]);
    }
}
