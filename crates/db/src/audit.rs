//! Queries of `audit_log`: rows are added (through the writer thread, in batches) and aged out,
//! never changed.

use rusqlite::{Connection, Row, params, params_from_iter, types::Value};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    pub at_ms: i64,
    pub actor: String,
    pub user_id: Option<i64>,
    pub action: String,
    pub camera_id: Option<i64>,
    pub target: Option<String>,
    pub outcome: String,
    pub client: Option<String>,
    pub details_json: String,
}

/// Filters of a listing; every one optional. `before_id` pages backwards (newest first).
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    pub user_id: Option<i64>,
    pub actor: Option<String>,
    pub camera_id: Option<i64>,
    pub action: Option<String>,
    pub start_ms: Option<i64>,
    pub end_ms: Option<i64>,
    pub before_id: Option<i64>,
    pub limit: i64,
}

const COLUMNS: &str =
    "id, at_ms, actor, user_id, action, camera_id, target, outcome, client, details_json";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at_ms: r.get(1)?,
        actor: r.get(2)?,
        user_id: r.get(3)?,
        action: r.get(4)?,
        camera_id: r.get(5)?,
        target: r.get(6)?,
        outcome: r.get(7)?,
        client: r.get(8)?,
        details_json: r.get(9)?,
    })
}

pub fn insert(conn: &Connection, rows: &[AuditRow]) -> Result<()> {
    let mut st = conn
        .prepare_cached(
            "INSERT INTO audit_log (at_ms, actor, user_id, action, camera_id, target, outcome, \
             client, details_json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .map_err(sql_err("preparing audit insert"))?;
    for r in rows {
        st.execute(params![
            r.at_ms,
            r.actor,
            r.user_id,
            r.action,
            r.camera_id,
            r.target,
            r.outcome,
            r.client,
            r.details_json
        ])
        .map_err(sql_err("writing audit row"))?;
    }
    Ok(())
}

/// Newest first.
pub fn list(conn: &Connection, q: &AuditQuery) -> Result<Vec<AuditRow>> {
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1");
    let mut args: Vec<Value> = vec![];
    fn add(sql: &mut String, args: &mut Vec<Value>, clause: &str, v: Value) {
        args.push(v);
        sql.push_str(&format!(" AND {clause} ?{}", args.len()));
    }
    if let Some(v) = q.user_id {
        add(&mut sql, &mut args, "user_id =", v.into());
    }
    if let Some(v) = &q.actor {
        // A user's entries include their failed sign-ins, recorded as `user:<name>?`.
        args.push(v.clone().into());
        let n = args.len();
        sql.push_str(&format!(" AND (actor = ?{n} OR actor = ?{n} || '?')"));
    }
    if let Some(v) = q.camera_id {
        add(&mut sql, &mut args, "camera_id =", v.into());
    }
    if let Some(v) = &q.action {
        add(&mut sql, &mut args, "action =", v.clone().into());
    }
    if let Some(v) = q.start_ms {
        add(&mut sql, &mut args, "at_ms >=", v.into());
    }
    if let Some(v) = q.end_ms {
        add(&mut sql, &mut args, "at_ms <", v.into());
    }
    if let Some(v) = q.before_id {
        add(&mut sql, &mut args, "id <", v.into());
    }
    args.push(q.limit.into());
    sql.push_str(&format!(" ORDER BY id DESC LIMIT ?{}", args.len()));
    let mut st = conn
        .prepare_cached(&sql)
        .map_err(sql_err("preparing audit list"))?;
    let rows = st
        .query_map(params_from_iter(args), from_row)
        .map_err(sql_err("listing audit rows"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading audit rows"))
}

/// Delete rows older than `cutoff_ms`; returns how many.
pub fn prune(conn: &Connection, cutoff_ms: i64) -> Result<usize> {
    conn.execute("DELETE FROM audit_log WHERE at_ms < ?1", [cutoff_ms])
        .map_err(sql_err("pruning audit log"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at: i64, action: &str, camera: Option<i64>) -> AuditRow {
        AuditRow {
            id: 0,
            at_ms: at,
            actor: "user:alice".into(),
            user_id: Some(1),
            action: action.into(),
            camera_id: camera,
            target: None,
            outcome: "ok".into(),
            client: Some("127.0.0.1".into()),
            details_json: "{}".into(),
        }
    }

    #[test]
    fn filters_page_and_prune() {
        let c = crate::test_conn();
        insert(
            &c,
            &[
                row(10, "login", None),
                row(20, "live_open", Some(1)),
                row(30, "live_open", Some(2)),
                row(40, "export", Some(1)),
            ],
        )
        .unwrap();
        let all = |q: AuditQuery| list(&c, &AuditQuery { limit: 10, ..q }).unwrap();
        assert_eq!(all(AuditQuery::default()).len(), 4);
        assert_eq!(all(AuditQuery::default())[0].action, "export");
        let cam1 = all(AuditQuery {
            camera_id: Some(1),
            ..Default::default()
        });
        assert_eq!(cam1.len(), 2);
        let opens = all(AuditQuery {
            action: Some("live_open".into()),
            start_ms: Some(25),
            ..Default::default()
        });
        assert_eq!(opens.len(), 1);
        assert_eq!(opens[0].camera_id, Some(2));
        let page = list(
            &c,
            &AuditQuery {
                before_id: Some(cam1[0].id),
                limit: 2,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page[0].action, "live_open");
        assert_eq!(prune(&c, 25).unwrap(), 2);
        assert_eq!(all(AuditQuery::default()).len(), 2);
    }
}
