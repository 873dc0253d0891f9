//! Schema versions. A new database gets `schema.sql` (the current schema) in one transaction; an
//! older one gets each numbered migration in order, each in its own transaction together with its
//! row in `schema_version`, so a crash mid-upgrade leaves the last complete version.

use rusqlite::{Connection, OptionalExtension, params};
use vigil_base::{Clock, ErrorKind, Result, ResultExt, SystemClock, bail};

/// The current schema, applied to a new database.
pub const SCHEMA: &str = include_str!("../../../migrations/schema.sql");

/// The version table, as created before the first migration of an old database.
const VERSION_TABLE: &str = "CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at_ms INTEGER NOT NULL,
    description TEXT NOT NULL
);";

/// Numbered migrations: (version, description, SQL). Version N upgrades N-1 to N.
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "0001_init.sql",
        include_str!("../../../migrations/0001_init.sql"),
    ),
    (
        2,
        "0002_api_tokens.sql",
        include_str!("../../../migrations/0002_api_tokens.sql"),
    ),
    (
        3,
        "0003_recordings.sql",
        include_str!("../../../migrations/0003_recordings.sql"),
    ),
    (
        4,
        "0004_detection.sql",
        include_str!("../../../migrations/0004_detection.sql"),
    ),
    (
        5,
        "0005_layouts_bookmarks.sql",
        include_str!("../../../migrations/0005_layouts_bookmarks.sql"),
    ),
    (
        6,
        "0006_storage.sql",
        include_str!("../../../migrations/0006_storage.sql"),
    ),
    (
        7,
        "0007_storage_usage.sql",
        include_str!("../../../migrations/0007_storage_usage.sql"),
    ),
    (
        8,
        "0008_footage_totals.sql",
        include_str!("../../../migrations/0008_footage_totals.sql"),
    ),
    (
        9,
        "0009_incidents.sql",
        include_str!("../../../migrations/0009_incidents.sql"),
    ),
    (
        10,
        "0010_users_audit.sql",
        include_str!("../../../migrations/0010_users_audit.sql"),
    ),
    (
        11,
        "0011_camera_removed.sql",
        include_str!("../../../migrations/0011_camera_removed.sql"),
    ),
    (
        12,
        "0012_channels.sql",
        include_str!("../../../migrations/0012_channels.sql"),
    ),
    (
        13,
        "0013_mqtt_alert_onvif.sql",
        include_str!("../../../migrations/0013_mqtt_alert_onvif.sql"),
    ),
];

pub const LATEST_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The schema version of `conn`: 0 for an empty database.
pub fn current_version(conn: &Connection) -> Result<i64> {
    let has_table: bool = conn
        .query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
            [],
            |_| Ok(true),
        )
        .optional()
        .err_kind(ErrorKind::Internal, || "reading sqlite_master".into())?
        .unwrap_or(false);
    if !has_table {
        let n: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .err_kind(ErrorKind::Internal, || "reading sqlite_master".into())?;
        if n > 0 {
            bail!(
                FailedPrecondition,
                "database has tables but no schema_version: not a Vigil database"
            );
        }
        return Ok(0);
    }
    conn.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_version",
        [],
        |r| r.get(0),
    )
    .err_kind(ErrorKind::Internal, || "reading schema_version".into())
}

/// Bring `conn` to `target`: the full schema if empty, else the missing migrations one by one.
pub fn upgrade(conn: &mut Connection, target: i64) -> Result<()> {
    let now = SystemClock.now_ms();
    let from = current_version(conn)?;
    if from > LATEST_VERSION {
        bail!(
            FailedPrecondition,
            "database schema version {from} is newer than this Vigil ({LATEST_VERSION}); upgrade Vigil"
        );
    }
    if from == 0 && target == LATEST_VERSION {
        let tx = conn
            .transaction()
            .err_kind(ErrorKind::Internal, || "begin".into())?;
        tx.execute_batch(SCHEMA)
            .err_kind(ErrorKind::Internal, || "applying schema.sql".into())?;
        tx.execute(
            "INSERT INTO schema_version (version, applied_at_ms, description) VALUES (?1, ?2, ?3)",
            params![LATEST_VERSION, now, "schema.sql (fresh database)"],
        )
        .err_kind(ErrorKind::Internal, || "recording schema version".into())?;
        tx.commit()
            .err_kind(ErrorKind::Internal, || "commit schema".into())?;
        tracing::info!(version = LATEST_VERSION, "created database schema");
        return Ok(());
    }
    // SQLite's procedure for changes ALTER TABLE cannot make (sqlite.org/lang_altertable.html,
    // "other kinds of table schema changes"): foreign keys off while a migration rebuilds a table
    // — else dropping the old table would delete, by cascade, every row that references it — and
    // checked before each commit. The pragma is a no-op inside a transaction, hence here.
    conn.execute_batch("PRAGMA foreign_keys = OFF")
        .err_kind(ErrorKind::Internal, || {
            "foreign keys off for migrations".into()
        })?;
    let applied = apply_migrations(conn, from, target, now);
    conn.execute_batch("PRAGMA foreign_keys = ON")
        .err_kind(ErrorKind::Internal, || "foreign keys back on".into())?;
    applied
}

fn apply_migrations(conn: &mut Connection, from: i64, target: i64, now: i64) -> Result<()> {
    for &(version, description, sql) in MIGRATIONS {
        if version <= from || version > target {
            continue;
        }
        let tx = conn
            .transaction()
            .err_kind(ErrorKind::Internal, || "begin".into())?;
        if version == 1 {
            tx.execute_batch(VERSION_TABLE)
                .err_kind(ErrorKind::Internal, || "creating schema_version".into())?;
        }
        tx.execute_batch(sql)
            .err_kind(ErrorKind::Internal, || format!("applying {description}"))?;
        let broken: i64 = tx
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .err_kind(ErrorKind::Internal, || "checking foreign keys".into())?;
        if broken > 0 {
            bail!(
                Internal,
                "{description} would leave {broken} rows whose references are broken; not applied"
            );
        }
        tx.execute(
            "INSERT INTO schema_version (version, applied_at_ms, description) VALUES (?1, ?2, ?3)",
            params![version, now, description],
        )
        .err_kind(ErrorKind::Internal, || "recording schema version".into())?;
        tx.commit()
            .err_kind(ErrorKind::Internal, || format!("commit {description}"))?;
        tracing::info!(version, description, "applied migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Everything about a schema that matters, independent of whitespace and comments in the DDL:
    /// per table its columns, foreign keys and indexes; plus the set of triggers and views.
    fn describe(conn: &Connection) -> BTreeMap<String, Vec<String>> {
        let mut out = BTreeMap::new();
        let objects: Vec<(String, String)> = conn
            .prepare(
                "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for (kind, name) in objects {
            let mut facts = vec![format!("type={kind}")];
            if kind == "table" {
                let q = format!(
                    "SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo('{name}')"
                );
                let mut st = conn.prepare(&q).unwrap();
                let rows = st
                    .query_map([], |r| {
                        Ok(format!(
                            "col {}:{} {} nn={} dflt={:?} pk={} hidden={}",
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, i64>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, i64>(5)?,
                            r.get::<_, i64>(6)?
                        ))
                    })
                    .unwrap();
                facts.extend(rows.map(|r| r.unwrap()));
                let q = format!(
                    "SELECT \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list('{name}')"
                );
                let mut st = conn.prepare(&q).unwrap();
                let rows = st
                    .query_map([], |r| {
                        Ok(format!(
                            "fk {}->{}.{:?} upd={} del={}",
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(0)?,
                            r.get::<_, Option<String>>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?
                        ))
                    })
                    .unwrap();
                facts.extend(rows.map(|r| r.unwrap()));
                // CHECK constraints live only in the DDL: compare it with comments and spacing removed.
                let sql: String = conn
                    .query_row(
                        "SELECT sql FROM sqlite_master WHERE name = ?1",
                        [&name],
                        |r| r.get(0),
                    )
                    .unwrap();
                facts.push(format!("ddl {}", normalise_ddl(&sql)));
            }
            if kind == "index" {
                let q = format!("SELECT seqno, name FROM pragma_index_info('{name}')");
                let mut st = conn.prepare(&q).unwrap();
                let rows = st
                    .query_map([], |r| {
                        Ok(format!(
                            "key {}:{:?}",
                            r.get::<_, i64>(0)?,
                            r.get::<_, Option<String>>(1)?
                        ))
                    })
                    .unwrap();
                facts.extend(rows.map(|r| r.unwrap()));
            }
            out.insert(name, facts);
        }
        out
    }

    fn normalise_ddl(sql: &str) -> String {
        sql.lines()
            .map(|l| l.split("--").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(" )", ")")
            .replace(", )", ")")
            // `ALTER TABLE … ADD COLUMN` (0009's alert) appends ` , column` to the stored DDL.
            .replace(" ,", ",")
            // A table rebuilt and renamed (0006's alert) is stored as `CREATE TABLE "alert"`.
            .replace('"', "")
    }

    #[test]
    fn fresh_equals_upgraded_step_by_step() {
        let mut fresh = Connection::open_in_memory().unwrap();
        upgrade(&mut fresh, LATEST_VERSION).unwrap();

        let mut stepped = Connection::open_in_memory().unwrap();
        for &(v, _, _) in MIGRATIONS {
            upgrade(&mut stepped, v).unwrap();
            assert_eq!(current_version(&stepped).unwrap(), v);
        }
        let (a, b) = (describe(&fresh), describe(&stepped));
        assert!(!a.is_empty());
        for name in a.keys().chain(b.keys()) {
            assert_eq!(a.get(name), b.get(name), "schema object {name} differs");
        }
        assert_eq!(current_version(&fresh).unwrap(), LATEST_VERSION);
    }

    #[test]
    fn upgrade_keeps_data_and_is_idempotent() {
        let mut c = Connection::open_in_memory().unwrap();
        upgrade(&mut c, 1).unwrap();
        c.execute(
            "INSERT INTO camera (name, source_kind, source_json, created_at_ms, updated_at_ms) VALUES ('a', 'file', '{}', 1, 1)",
            [],
        )
        .unwrap();
        upgrade(&mut c, LATEST_VERSION).unwrap();
        upgrade(&mut c, LATEST_VERSION).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM camera", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 1);
        let rows: i64 = c
            .query_row("SELECT count(*) FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, LATEST_VERSION);
    }

    /// 0013 rebuilds the camera table; with foreign keys on (as every connection has them), the
    /// rows that reference cameras must survive it, and foreign keys be on again after.
    #[test]
    fn rebuilding_a_referenced_table_cascades_nothing() {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        upgrade(&mut c, 12).unwrap();
        c.execute_batch(
            "INSERT INTO camera (id, name, source_kind, source_json, created_at_ms, updated_at_ms) \
             VALUES (7, 'a', 'rtsp', '{}', 1, 1);
             INSERT INTO bookmark (camera_id, at_ms, label, created_by, created_at_ms) \
             VALUES (7, 5, 'kept', 'admin', 5);",
        )
        .unwrap();
        upgrade(&mut c, 13).unwrap();
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM bookmark WHERE camera_id = 7",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "the bookmark survived the camera table's rebuild");
        let on: i64 = c
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(on, 1);
        c.execute(
            "INSERT INTO camera (name, source_kind, source_json, created_at_ms, updated_at_ms) \
             VALUES ('b', 'onvif', '{}', 1, 1)",
            [],
        )
        .unwrap();
        c.execute("DELETE FROM camera WHERE id = 7", []).unwrap();
        let n: i64 = c
            .query_row("SELECT count(*) FROM bookmark", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "references still cascade");
    }

    #[test]
    fn tokens_keep_what_they_could_do_within_their_role() {
        let mut c = Connection::open_in_memory().unwrap();
        upgrade(&mut c, 9).unwrap();
        let tok = |name: &str, role: &str, perms: &str| {
            c.execute(
                "INSERT INTO api_token (name, role, permissions_json, secret_sha256, secret_prefix, \
                 created_at_ms) VALUES (?1, ?2, ?3, randomblob(32), 'vgl_', 0)",
                params![name, role, perms],
            )
            .unwrap();
        };
        tok(
            "op",
            "operator",
            r#"["camera:read","camera:write","stream:view","recording:read","recording:delete"]"#,
        );
        tok(
            "view",
            "viewer",
            r#"["camera:read","stream:view","recording:read"]"#,
        );
        tok("narrow", "operator", r#"["camera:read"]"#);
        tok("adm", "admin", r#"["admin","camera:read"]"#);
        upgrade(&mut c, 10).unwrap();
        let perms: Vec<String> = c
            .prepare("SELECT permissions_json FROM api_token ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            perms,
            [
                r#"["alert:ack","bookmark:write","camera:read","footage:lock","recording:export","recording:read","stream:view"]"#,
                r#"["camera:read","recording:read","stream:view"]"#,
                r#"["camera:read"]"#,
                r#"["admin","camera:read"]"#,
            ]
        );
    }

    #[test]
    fn alerts_of_one_object_become_ended_incidents() {
        let mut c = Connection::open_in_memory().unwrap();
        upgrade(&mut c, 8).unwrap();
        c.execute_batch(
            "INSERT INTO alert (type, severity, message, details_json, created_at_ms) VALUES \
             ('detection', 'warning', 'Person', '{\"label\":\"person\"}', 100), \
             ('detection', 'warning', 'old', '{}', 200), \
             ('camera_offline', 'critical', 'off', '{}', 300);",
        )
        .unwrap();
        upgrade(&mut c, 9).unwrap();
        type Row = (String, Option<i64>, Option<i64>, i64, String);
        let rows: Vec<Row> = c
            .prepare(
                "SELECT type, last_at_ms, ended_at_ms, objects, labels_json FROM alert ORDER BY id",
            )
            .unwrap()
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(
            rows[0],
            (
                "detection".into(),
                Some(100),
                Some(100),
                1,
                r#"{"person":1}"#.into()
            )
        );
        assert_eq!(
            rows[1],
            ("detection".into(), Some(200), Some(200), 1, "{}".into())
        );
        assert_eq!(
            rows[2],
            ("camera_offline".into(), None, None, 1, "{}".into())
        );
    }

    #[test]
    fn failed_migration_rolls_back() {
        let mut c = Connection::open_in_memory().unwrap();
        upgrade(&mut c, 1).unwrap();
        // Make migration 2 fail half-way: its table is created, then its index name is taken.
        c.execute_batch("CREATE INDEX camera_status ON camera (name)")
            .unwrap();
        assert!(upgrade(&mut c, 2).is_err());
        assert_eq!(current_version(&c).unwrap(), 1);
        let tables: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'api_token'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "the half-applied migration was rolled back");
    }

    #[test]
    fn refuses_foreign_and_future_databases() {
        let mut c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE other (x)").unwrap();
        assert!(upgrade(&mut c, LATEST_VERSION).is_err());

        let mut c = Connection::open_in_memory().unwrap();
        upgrade(&mut c, LATEST_VERSION).unwrap();
        c.execute("INSERT INTO schema_version VALUES (999, 0, 'future')", [])
            .unwrap();
        let e = upgrade(&mut c, LATEST_VERSION).unwrap_err();
        assert!(e.to_string().contains("newer"), "{e}");
    }

    #[test]
    fn every_migration_file_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".sql") && n != "schema.sql")
            .collect();
        files.sort();
        let listed: Vec<String> = MIGRATIONS.iter().map(|m| m.1.to_string()).collect();
        assert_eq!(files, listed);
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.0, i as i64 + 1);
            assert!(m.1.starts_with(&format!("{:04}_", m.0)));
        }
    }
}
