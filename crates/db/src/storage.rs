//! Queries of tiered storage: the database id and initialised tiers, the move/delete journal
//! (`storage_op`), the history of moves and deletions, footage locks, and what the planner reads.
//!
//! The two steps that change what a row points at (`switch_move`, `delete_with_op`) each run in
//! one transaction committed with `synchronous = FULL`: the mover unlinks a file only after the
//! change that stops the index from pointing at it is on disk, power cut included (the database
//! otherwise runs with `NORMAL`, where the last commits may roll back after a power cut).

use rusqlite::{Connection, OptionalExtension, params};
use vigil_base::Result;

use crate::recordings::RecordingRow;
use crate::sql_err;

/// Why a segment was moved or deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    Age,
    Size,
    FreeSpace,
    Retention,
    Manual,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::Age,
        Reason::Size,
        Reason::FreeSpace,
        Reason::Retention,
        Reason::Manual,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Age => "age",
            Reason::Size => "size",
            Reason::FreeSpace => "free_space",
            Reason::Retention => "retention",
            Reason::Manual => "manual",
        }
    }
    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A journal entry.
#[derive(Clone, Debug, PartialEq)]
pub struct OpRow {
    pub id: i64,
    pub recording_id: i64,
    /// `Some((root, path))` for a move, `None` for a deletion.
    pub to: Option<(String, String)>,
    pub reason: Reason,
    pub from_root: String,
    pub from_path: String,
    /// A move's row already points at the target (or a deletion's row is gone).
    pub switched: bool,
    pub created_at_ms: i64,
}

/// A completed move or deletion.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub id: i64,
    pub at_ms: i64,
    pub recording_id: i64,
    pub camera_id: i64,
    pub moved: bool,
    pub reason: Reason,
    pub from_tier: String,
    pub to_tier: Option<String>,
    pub bytes: i64,
    pub start_ms: i64,
    pub end_ms: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LockRow {
    pub id: i64,
    pub camera_id: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    pub reason: String,
    pub created_at_ms: i64,
}

/// What the planner needs of a segment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlanRow {
    pub id: i64,
    pub camera_id: i64,
    pub start_ms: i64,
    pub end_ms: i64,
    pub bytes: i64,
    /// Being written: never moved or deleted.
    pub recording: bool,
    /// Its file is gone: the row is deleted by retention, never moved.
    pub missing: bool,
}

/// A tier's share of the index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TierUsage {
    pub tier: String,
    pub bytes: i64,
    pub segments: i64,
    pub oldest_ms: Option<i64>,
    pub newest_ms: Option<i64>,
}

pub fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    conn.query_row(
        "SELECT value FROM storage_meta WHERE key = ?1",
        [key],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err("reading storage meta"))
}

pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO storage_meta (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )
    .map_err(sql_err("writing storage meta"))?;
    Ok(())
}

pub fn database_id(conn: &Connection) -> Result<Option<String>> {
    conn.query_row(
        "SELECT value FROM storage_meta WHERE key = 'database_id'",
        [],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err("reading the database id"))
}

/// The database id, made (`fresh`) once.
pub fn ensure_database_id(conn: &Connection, fresh: &str) -> Result<String> {
    conn.execute(
        "INSERT OR IGNORE INTO storage_meta (key, value) VALUES ('database_id', ?1)",
        [fresh],
    )
    .map_err(sql_err("writing the database id"))?;
    Ok(database_id(conn)?.unwrap_or_else(|| fresh.to_string()))
}

/// Tiers initialised before: (name, location).
pub fn tiers(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut st = conn
        .prepare_cached("SELECT name, location FROM storage_tier ORDER BY name")
        .map_err(sql_err("preparing tier list"))?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_err("listing tiers"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading tiers"))
}

pub fn add_tier(conn: &Connection, name: &str, location: &str, now_ms: i64) -> Result<()> {
    conn.execute(
        "INSERT INTO storage_tier (name, location, initialised_at_ms) VALUES (?1, ?2, ?3) \
         ON CONFLICT (name) DO UPDATE SET location = excluded.location",
        params![name, location, now_ms],
    )
    .map_err(sql_err("recording a tier"))?;
    Ok(())
}

/// Forget a tier (it holds no footage and moves elsewhere: it is initialised again there).
pub fn forget_tier(conn: &Connection, name: &str) -> Result<()> {
    conn.execute("DELETE FROM storage_tier WHERE name = ?1", [name])
        .map_err(sql_err("forgetting a tier"))?;
    Ok(())
}

fn op_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OpRow> {
    let to_root: Option<String> = r.get(3)?;
    let to_path: Option<String> = r.get(4)?;
    let reason: String = r.get(5)?;
    Ok(OpRow {
        id: r.get(0)?,
        recording_id: r.get(1)?,
        from_root: r.get(2)?,
        to: to_root.zip(to_path),
        reason: Reason::parse(&reason).unwrap_or(Reason::Manual),
        from_path: r.get(6)?,
        switched: r.get::<_, String>(7)? == "switched",
        created_at_ms: r.get(8)?,
    })
}

const OP_COLUMNS: &str =
    "id, recording_id, from_root, to_root, to_path, reason, from_path, step, created_at_ms";

/// Every op in the journal, oldest first.
pub fn ops(conn: &Connection) -> Result<Vec<OpRow>> {
    let mut st = conn
        .prepare_cached(&format!("SELECT {OP_COLUMNS} FROM storage_op ORDER BY id"))
        .map_err(sql_err("preparing op list"))?;
    let rows = st
        .query_map([], op_from_row)
        .map_err(sql_err("listing ops"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading ops"))
}

/// Journal a move of `rec` to `(to_root, to_path)`: step `planned`. `None` if the row changed
/// since it was planned (deleted, being written, already elsewhere).
pub fn plan_move(
    conn: &Connection,
    rec: &RecordingRow,
    to_root: &str,
    to_path: &str,
    reason: Reason,
    now_ms: i64,
) -> Result<Option<OpRow>> {
    let still: Option<String> = conn
        .query_row(
            "SELECT root FROM recording WHERE id = ?1 AND state IN ('complete', 'repaired')",
            [rec.id],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql_err("reading recording"))?;
    if still.as_deref() != Some(rec.root.as_str()) {
        return Ok(None);
    }
    conn.execute(
        "INSERT INTO storage_op (recording_id, kind, reason, from_root, from_path, to_root, \
         to_path, step, created_at_ms) VALUES (?1, 'move', ?2, ?3, ?4, ?5, ?6, 'planned', ?7)",
        params![
            rec.id,
            reason.as_str(),
            rec.root,
            rec.path,
            to_root,
            to_path,
            now_ms
        ],
    )
    .map_err(sql_err("journaling a move"))?;
    Ok(Some(OpRow {
        id: conn.last_insert_rowid(),
        recording_id: rec.id,
        to: Some((to_root.into(), to_path.into())),
        reason,
        from_root: rec.root.clone(),
        from_path: rec.path.clone(),
        switched: false,
        created_at_ms: now_ms,
    }))
}

fn with_full_sync<T>(conn: &mut Connection, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
    conn.pragma_update(None, "synchronous", "FULL")
        .map_err(sql_err("setting synchronous"))?;
    let out = (|| {
        let tx = conn
            .transaction()
            .map_err(sql_err("beginning a transaction"))?;
        let v = f(&tx)?;
        tx.commit().map_err(sql_err("committing"))?;
        Ok(v)
    })();
    let _ = conn.pragma_update(None, "synchronous", "NORMAL");
    out
}

/// Point the row at the move's target, mark the op switched and write the history, in one
/// durable transaction. `false` if the row no longer points at the source (deleted meanwhile):
/// then nothing changed and the copy on the target is the mover's to remove.
pub fn switch_move(conn: &mut Connection, op: &OpRow, to_tier: &str, now_ms: i64) -> Result<bool> {
    Ok(
        switch_moves(conn, std::slice::from_ref(op), to_tier, now_ms)?
            .first()
            .copied()
            .unwrap_or(false),
    )
}

/// [`switch_move`] for a batch, in one durable transaction (one WAL fsync for all of them).
pub fn switch_moves(
    conn: &mut Connection,
    ops: &[OpRow],
    to_tier: &str,
    now_ms: i64,
) -> Result<Vec<bool>> {
    let ops = ops.to_vec();
    let to_tier = to_tier.to_string();
    with_full_sync(conn, move |c| {
        ops.iter()
            .map(|op| switch_one(c, op, &to_tier, now_ms))
            .collect()
    })
}

fn switch_one(c: &Connection, op: &OpRow, to_tier: &str, now_ms: i64) -> Result<bool> {
    let Some((to_root, to_path)) = op.to.clone() else {
        return Ok(false);
    };
    let row: Option<(i64, String, i64, i64, i64)> = c
        .query_row(
            "SELECT camera_id, tier, bytes, start_ms, end_ms FROM recording \
             WHERE id = ?1 AND root = ?2 AND path = ?3",
            params![op.recording_id, op.from_root, op.from_path],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()
        .map_err(sql_err("reading recording"))?;
    let Some((camera_id, from_tier, bytes, start_ms, end_ms)) = row else {
        return Ok(false);
    };
    c.execute(
        "UPDATE recording SET root = ?2, path = ?3, tier = ?4 WHERE id = ?1",
        params![op.recording_id, to_root, to_path, to_tier],
    )
    .map_err(sql_err("switching a recording"))?;
    c.execute(
        "UPDATE storage_op SET step = 'switched' WHERE id = ?1",
        [op.id],
    )
    .map_err(sql_err("marking an op"))?;
    c.execute(
        "INSERT INTO storage_history (at_ms, recording_id, camera_id, kind, reason, from_tier, \
         to_tier, bytes, start_ms, end_ms) VALUES (?1, ?2, ?3, 'move', ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            now_ms,
            op.recording_id,
            camera_id,
            op.reason.as_str(),
            from_tier,
            to_tier,
            bytes,
            start_ms,
            end_ms
        ],
    )
    .map_err(sql_err("writing storage history"))?;
    Ok(true)
}

/// Delete the row of recording `id` and journal the unlink of its file, with history, in one
/// durable transaction. `None` if there is no such row or it is still being written.
pub fn delete_with_op(
    conn: &mut Connection,
    id: i64,
    reason: Reason,
    now_ms: i64,
) -> Result<Option<(OpRow, RecordingRow)>> {
    with_full_sync(conn, move |c| {
        let Some(rec) = crate::recordings::get(c, id)? else {
            return Ok(None);
        };
        if rec.state == "recording" {
            return Ok(None);
        }
        c.execute("DELETE FROM recording WHERE id = ?1", [id])
            .map_err(sql_err("deleting a recording"))?;
        c.execute(
            "INSERT INTO storage_op (recording_id, kind, reason, from_root, from_path, step, \
             created_at_ms) VALUES (?1, 'delete', ?2, ?3, ?4, 'switched', ?5)",
            params![id, reason.as_str(), rec.root, rec.path, now_ms],
        )
        .map_err(sql_err("journaling a deletion"))?;
        let op_id = c.last_insert_rowid();
        c.execute(
            "INSERT INTO storage_history (at_ms, recording_id, camera_id, kind, reason, from_tier, \
             to_tier, bytes, start_ms, end_ms) VALUES (?1, ?2, ?3, 'delete', ?4, ?5, NULL, ?6, ?7, ?8)",
            params![
                now_ms,
                id,
                rec.camera_id,
                reason.as_str(),
                rec.tier,
                rec.bytes,
                rec.start_ms,
                rec.end_ms
            ],
        )
        .map_err(sql_err("writing storage history"))?;
        Ok(Some((
            OpRow {
                id: op_id,
                recording_id: id,
                to: None,
                reason,
                from_root: rec.root.clone(),
                from_path: rec.path.clone(),
                switched: true,
                created_at_ms: now_ms,
            },
            rec,
        )))
    })
}

pub fn delete_op(conn: &Connection, op_id: i64) -> Result<()> {
    conn.execute("DELETE FROM storage_op WHERE id = ?1", [op_id])
        .map_err(sql_err("deleting an op"))?;
    Ok(())
}

/// Delete finished ops, in one transaction.
pub fn delete_ops(conn: &mut Connection, op_ids: &[i64]) -> Result<()> {
    let tx = conn
        .transaction()
        .map_err(sql_err("beginning a transaction"))?;
    for id in op_ids {
        delete_op(&tx, *id)?;
    }
    tx.commit().map_err(sql_err("committing"))
}

/// History, newest first, before `before_id` (paging) if given.
pub fn history(conn: &Connection, before_id: Option<i64>, limit: i64) -> Result<Vec<HistoryRow>> {
    let mut st = conn
        .prepare_cached(
            "SELECT id, at_ms, recording_id, camera_id, kind, reason, from_tier, to_tier, bytes, \
             start_ms, end_ms FROM storage_history WHERE (?1 IS NULL OR id < ?1) \
             ORDER BY id DESC LIMIT ?2",
        )
        .map_err(sql_err("preparing storage history"))?;
    let rows = st
        .query_map(params![before_id, limit], |r| {
            let reason: String = r.get(5)?;
            Ok(HistoryRow {
                id: r.get(0)?,
                at_ms: r.get(1)?,
                recording_id: r.get(2)?,
                camera_id: r.get(3)?,
                moved: r.get::<_, String>(4)? == "move",
                reason: Reason::parse(&reason).unwrap_or(Reason::Manual),
                from_tier: r.get(6)?,
                to_tier: r.get(7)?,
                bytes: r.get(8)?,
                start_ms: r.get(9)?,
                end_ms: r.get(10)?,
            })
        })
        .map_err(sql_err("listing storage history"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading storage history"))
}

/// Moves and deletions by (kind, reason) since ever (metrics).
pub fn history_counts(conn: &Connection) -> Result<Vec<(bool, Reason, i64, i64)>> {
    let mut st = conn
        .prepare_cached(
            "SELECT kind, reason, count(*), coalesce(sum(bytes), 0) FROM storage_history \
             GROUP BY kind, reason",
        )
        .map_err(sql_err("preparing history counts"))?;
    let rows = st
        .query_map([], |r| {
            let reason: String = r.get(1)?;
            Ok((
                r.get::<_, String>(0)? == "move",
                Reason::parse(&reason).unwrap_or(Reason::Manual),
                r.get(2)?,
                r.get(3)?,
            ))
        })
        .map_err(sql_err("counting storage history"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading history counts"))
}

pub fn insert_lock(
    conn: &Connection,
    camera_id: i64,
    start_ms: i64,
    end_ms: i64,
    reason: &str,
    now_ms: i64,
) -> Result<LockRow> {
    conn.execute(
        "INSERT INTO footage_lock (camera_id, start_ms, end_ms, reason, created_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![camera_id, start_ms, end_ms, reason, now_ms],
    )
    .map_err(sql_err("inserting a lock"))?;
    Ok(LockRow {
        id: conn.last_insert_rowid(),
        camera_id,
        start_ms,
        end_ms,
        reason: reason.into(),
        created_at_ms: now_ms,
    })
}

pub fn delete_lock(conn: &Connection, id: i64) -> Result<bool> {
    let n = conn
        .execute("DELETE FROM footage_lock WHERE id = ?1", [id])
        .map_err(sql_err("deleting a lock"))?;
    Ok(n == 1)
}

/// Locks of `camera_id` (all if `None`), by start.
pub fn locks(conn: &Connection, camera_id: Option<i64>) -> Result<Vec<LockRow>> {
    let mut st = conn
        .prepare_cached(
            "SELECT id, camera_id, start_ms, end_ms, reason, created_at_ms FROM footage_lock \
             WHERE (?1 IS NULL OR camera_id = ?1) ORDER BY camera_id, start_ms, id",
        )
        .map_err(sql_err("preparing lock list"))?;
    let rows = st
        .query_map([camera_id], |r| {
            Ok(LockRow {
                id: r.get(0)?,
                camera_id: r.get(1)?,
                start_ms: r.get(2)?,
                end_ms: r.get(3)?,
                reason: r.get(4)?,
                created_at_ms: r.get(5)?,
            })
        })
        .map_err(sql_err("listing locks"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading locks"))
}

/// Every segment of `tier` not being written, oldest first (the planner's input).
pub fn plan_rows(conn: &Connection, tier: &str) -> Result<Vec<PlanRow>> {
    let mut st = conn
        .prepare_cached(
            "SELECT id, camera_id, start_ms, end_ms, bytes, state FROM recording \
             WHERE tier = ?1 ORDER BY start_ms, id",
        )
        .map_err(sql_err("preparing plan rows"))?;
    let rows = st
        .query_map([tier], |r| {
            let state: String = r.get(5)?;
            Ok(PlanRow {
                id: r.get(0)?,
                camera_id: r.get(1)?,
                start_ms: r.get(2)?,
                end_ms: r.get(3)?,
                bytes: r.get(4)?,
                recording: state == "recording",
                missing: state == "missing",
            })
        })
        .map_err(sql_err("listing plan rows"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading plan rows"))
}

/// (camera, start, end) of every detection event and alert with a camera, for event retention.
pub fn event_spans(conn: &Connection) -> Result<Vec<(i64, i64, i64)>> {
    let mut st = conn
        .prepare_cached(
            "SELECT camera_id, start_ms, end_ms FROM detection_event \
             UNION ALL SELECT camera_id, created_at_ms, created_at_ms FROM alert \
             WHERE camera_id IS NOT NULL",
        )
        .map_err(sql_err("preparing event spans"))?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(sql_err("listing event spans"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading event spans"))
}

/// Per tier: bytes, segments, oldest start and newest end.
pub fn usage(conn: &Connection) -> Result<Vec<TierUsage>> {
    // Totals from the trigger-kept table; the ends by index seeks on (tier, start_ms).
    let mut st = conn
        .prepare_cached(
            "SELECT t.tier, t.bytes, t.segments, \
             (SELECT min(start_ms) FROM recording WHERE tier = t.tier), \
             (SELECT end_ms FROM recording WHERE tier = t.tier ORDER BY start_ms DESC LIMIT 1) \
             FROM (SELECT tier, sum(bytes) AS bytes, sum(segments) AS segments \
                   FROM footage_total GROUP BY tier HAVING sum(segments) > 0) AS t",
        )
        .map_err(sql_err("preparing tier usage"))?;
    let rows = st
        .query_map([], |r| {
            Ok(TierUsage {
                tier: r.get(0)?,
                bytes: r.get(1)?,
                segments: r.get(2)?,
                oldest_ms: r.get(3)?,
                newest_ms: r.get(4)?,
            })
        })
        .map_err(sql_err("reading tier usage"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading tier usage"))
}

/// A camera's share of a tier.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CameraUsage {
    pub camera_id: i64,
    pub tier: String,
    pub bytes: i64,
}

/// Per (camera, tier): bytes.
pub fn camera_usage(conn: &Connection) -> Result<Vec<CameraUsage>> {
    let mut st = conn
        .prepare_cached(
            "SELECT camera_id, tier, bytes FROM footage_total WHERE segments > 0 \
             ORDER BY camera_id, tier",
        )
        .map_err(sql_err("preparing camera usage"))?;
    let rows = st
        .query_map([], |r| {
            Ok(CameraUsage {
                camera_id: r.get(0)?,
                tier: r.get(1)?,
                bytes: r.get(2)?,
            })
        })
        .map_err(sql_err("reading camera usage"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading camera usage"))
}

/// Bytes of the segments of `tier` that started after `since_ms` (the measured bitrate).
pub fn recent_bytes(conn: &Connection, tier: &str, since_ms: i64) -> Result<i64> {
    conn.query_row(
        "SELECT coalesce(sum(bytes), 0) FROM recording WHERE tier = ?1 AND start_ms > ?2",
        params![tier, since_ms],
        |r| r.get(0),
    )
    .map_err(sql_err("reading recent bytes"))
}

/// (camera, bytes) of the segments of `tier` that started after `since_ms`.
pub fn recent_bytes_by_camera(
    conn: &Connection,
    tier: &str,
    since_ms: i64,
) -> Result<Vec<(i64, i64)>> {
    let mut st = conn
        .prepare_cached(
            "SELECT camera_id, coalesce(sum(bytes), 0) FROM recording \
             WHERE tier = ?1 AND start_ms > ?2 GROUP BY camera_id",
        )
        .map_err(sql_err("preparing recent bytes"))?;
    let rows = st
        .query_map(params![tier, since_ms], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(sql_err("reading recent bytes"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading recent bytes"))
}

/// (camera, oldest start, newest end) over every tier.
pub fn camera_spans(conn: &Connection) -> Result<Vec<(i64, i64, i64)>> {
    // Per camera that has footage, by index seeks on (camera_id, start_ms).
    let mut st = conn
        .prepare_cached(
            "SELECT c.camera_id, \
             (SELECT min(start_ms) FROM recording WHERE camera_id = c.camera_id), \
             (SELECT end_ms FROM recording WHERE camera_id = c.camera_id \
              ORDER BY start_ms DESC LIMIT 1) \
             FROM (SELECT DISTINCT camera_id FROM footage_total WHERE segments > 0) AS c",
        )
        .map_err(sql_err("preparing camera spans"))?;
    let rows = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(sql_err("reading camera spans"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading camera spans"))
}

/// One tier's usage at one time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UsageSample {
    pub tier: String,
    pub at_ms: i64,
    pub used_bytes: i64,
    pub free_bytes: i64,
    pub capacity_bytes: i64,
}

/// Record samples unless the last is under `min_gap_ms` old; drop those older than `keep_ms`.
pub fn add_usage_samples(
    conn: &mut Connection,
    samples: &[UsageSample],
    min_gap_ms: i64,
    keep_ms: i64,
) -> Result<bool> {
    let Some(now) = samples.iter().map(|s| s.at_ms).max() else {
        return Ok(false);
    };
    let last: Option<i64> = conn
        .query_row("SELECT max(at_ms) FROM storage_usage", [], |r| r.get(0))
        .map_err(sql_err("reading usage samples"))?;
    if last.is_some_and(|l| now - l < min_gap_ms) {
        return Ok(false);
    }
    let tx = conn
        .transaction()
        .map_err(sql_err("beginning a transaction"))?;
    for s in samples {
        tx.execute(
            "INSERT OR REPLACE INTO storage_usage (tier, at_ms, used_bytes, free_bytes, \
             capacity_bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                s.tier,
                s.at_ms,
                s.used_bytes,
                s.free_bytes,
                s.capacity_bytes
            ],
        )
        .map_err(sql_err("recording a usage sample"))?;
    }
    tx.execute(
        "DELETE FROM storage_usage WHERE at_ms < ?1",
        [now - keep_ms],
    )
    .map_err(sql_err("pruning usage samples"))?;
    tx.commit().map_err(sql_err("committing usage samples"))?;
    Ok(true)
}

/// Samples from `since_ms` on, oldest first (at most `limit`).
pub fn usage_samples(conn: &Connection, since_ms: i64, limit: i64) -> Result<Vec<UsageSample>> {
    let mut st = conn
        .prepare_cached(
            "SELECT tier, at_ms, used_bytes, free_bytes, capacity_bytes FROM storage_usage \
             WHERE at_ms >= ?1 ORDER BY at_ms, tier LIMIT ?2",
        )
        .map_err(sql_err("preparing usage samples"))?;
    let rows = st
        .query_map(params![since_ms, limit], |r| {
            Ok(UsageSample {
                tier: r.get(0)?,
                at_ms: r.get(1)?,
                used_bytes: r.get(2)?,
                free_bytes: r.get(3)?,
                capacity_bytes: r.get(4)?,
            })
        })
        .map_err(sql_err("reading usage samples"))?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err("reading usage samples"))
}
