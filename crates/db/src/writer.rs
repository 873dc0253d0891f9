//! The database writer: one thread owns the only write connection. Recorders and stream
//! supervisors hand it their progress and state changes as [`WriteOp`]s over a channel and go on
//! at once — nothing on a packet path ever waits for SQLite or for a lock anyone else holds. The
//! thread batches what arrived into one transaction on a schedule (every `flush_interval`), and at
//! once for what must show without delay (a segment closed, a camera changed state). Everything
//! else that writes (the API, detection, pruning) sends a closure and waits for its answer; the
//! batch pending before it is committed first, so writes land in the order they were made.
//!
//! Learnt from Moonfire NVR's `db/writer.rs` (a syncer per directory batching index updates). A
//! batch that fails (a full disk under the database, a constraint) is rolled back and retried one
//! op at a time: ops that can never succeed are dropped and counted, the rest stay pending and are
//! retried on the next tick, so a transient failure loses nothing the recorder reported.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use vigil_base::{Error, Result, err};

use crate::cameras;
use crate::recordings::{self, Progress, RecordingRow};

/// A change reported by a recorder or a supervisor, applied in the next batch.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteOp {
    /// A segment the recorder began (its id from [`crate::Database::next_recording_id`]).
    RecordingStarted(RecordingRow),
    /// How far a segment is written and synced. Only the latest per segment is written; a final
    /// state (`complete`) is committed at once.
    RecordingProgress(Progress),
    /// A segment that never held a complete fragment: its row is deleted, then its file.
    RecordingAbandoned { id: i64, file: PathBuf },
    /// A camera's stream status (`running`, `error`, ...), committed at once.
    CameraStatus {
        camera_id: i64,
        status: String,
        at_ms: i64,
    },
}

type Call = Box<dyn FnOnce(&mut Connection) + Send>;

/// Run on the writer thread once the op it came with is committed.
pub type OnCommit = Box<dyn FnOnce() + Send>;

// Ops are moved through the channel by value: a few hundred bytes once a second per camera is
// cheaper than boxing each one.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Msg {
    Op(WriteOp, Option<OnCommit>),
    Call(Call),
    Flush(mpsc::Sender<()>),
    Close(mpsc::Sender<Result<()>>),
}

/// Where recorders and supervisors send their [`WriteOp`]s. Sending never blocks.
#[derive(Clone)]
pub struct DbWriter {
    pub(crate) tx: mpsc::Sender<Msg>,
    pub(crate) stats: Arc<WriterStats>,
}

impl DbWriter {
    /// Queue `op` for the next batch. After the database closed, the op is dropped (and counted).
    pub fn send(&self, op: WriteOp) {
        self.queue(op, None);
    }

    /// Queue `op`, and run `then` on the writer thread once it is committed (to announce what
    /// readers can now see). `then` must be quick and must not write to the database itself.
    pub fn send_then(&self, op: WriteOp, then: impl FnOnce() + Send + 'static) {
        self.queue(op, Some(Box::new(then)));
    }

    fn queue(&self, op: WriteOp, then: Option<OnCommit>) {
        self.stats.queued.fetch_add(1, Ordering::Relaxed);
        if let Err(mpsc::SendError(Msg::Op(_, Some(then)))) = self.tx.send(Msg::Op(op, then)) {
            self.stats.dropped.fetch_add(1, Ordering::Relaxed);
            then();
        }
    }
}

/// Counters of the writer thread, for `/metrics`.
#[derive(Debug, Default)]
pub struct WriterStats {
    /// Ops handed to the writer.
    pub queued: AtomicU64,
    /// Ops committed.
    pub written: AtomicU64,
    /// Ops that could never be written (a constraint; the database closed), dropped.
    pub dropped: AtomicU64,
    /// Batches committed.
    pub batches: AtomicU64,
    /// Batches that failed and were retried op by op.
    pub failed_batches: AtomicU64,
    /// Ops waiting for a retry after a transient failure (a full disk).
    pub pending_retry: AtomicU64,
    /// Longest batch commit so far, in microseconds.
    pub max_batch_us: AtomicU64,
}

#[derive(Default)]
struct Pending {
    /// Callbacks of the ops in this batch, run after it is committed.
    then: Vec<OnCommit>,
    started: Vec<RecordingRow>,
    progress: BTreeMap<i64, Progress>,
    abandoned: Vec<(i64, PathBuf)>,
    statuses: BTreeMap<i64, (String, i64)>,
}

impl Pending {
    fn is_empty(&self) -> bool {
        self.started.is_empty()
            && self.progress.is_empty()
            && self.abandoned.is_empty()
            && self.statuses.is_empty()
    }
    fn len(&self) -> usize {
        self.started.len() + self.progress.len() + self.abandoned.len() + self.statuses.len()
    }
    /// Add `op`; true if it wants to be committed at once.
    fn add(&mut self, op: WriteOp, then: Option<OnCommit>) -> bool {
        self.then.extend(then);
        match op {
            WriteOp::RecordingStarted(r) => {
                self.started.push(r);
                true
            }
            WriteOp::RecordingProgress(p) => {
                let last = p.state != "recording";
                self.progress.insert(p.id, p);
                last
            }
            WriteOp::RecordingAbandoned { id, file } => {
                self.abandoned.push((id, file));
                true
            }
            WriteOp::CameraStatus {
                camera_id,
                status,
                at_ms,
            } => {
                self.statuses.insert(camera_id, (status, at_ms));
                true
            }
        }
    }
    fn into_ops(self) -> (Vec<WriteOp>, Vec<OnCommit>) {
        let mut ops: Vec<WriteOp> = self
            .started
            .into_iter()
            .map(WriteOp::RecordingStarted)
            .collect();
        ops.extend(self.progress.into_values().map(WriteOp::RecordingProgress));
        ops.extend(
            self.abandoned
                .into_iter()
                .map(|(id, file)| WriteOp::RecordingAbandoned { id, file }),
        );
        ops.extend(
            self.statuses
                .into_iter()
                .map(|(camera_id, (status, at_ms))| WriteOp::CameraStatus {
                    camera_id,
                    status,
                    at_ms,
                }),
        );
        (ops, self.then)
    }
}

fn apply(conn: &Connection, op: &WriteOp) -> Result<()> {
    match op {
        WriteOp::RecordingStarted(r) => recordings::insert(conn, r).map(|_| ()),
        WriteOp::RecordingProgress(p) => recordings::update_progress(conn, p),
        WriteOp::RecordingAbandoned { id, .. } => recordings::delete(conn, *id).map(|_| ()),
        WriteOp::CameraStatus {
            camera_id,
            status,
            at_ms,
        } => cameras::set_status(conn, *camera_id, status, *at_ms).map(|_| ()),
    }
}

/// Whether a failed write may succeed later (disk full, I/O trouble, a lock held by another
/// process) rather than never (a constraint, a bug).
fn is_transient(e: &Error) -> bool {
    if e.is_storage_full() {
        return true;
    }
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(rusqlite::Error::SqliteFailure(f, _)) = s.downcast_ref::<rusqlite::Error>() {
            return matches!(
                f.code,
                rusqlite::ErrorCode::DiskFull
                    | rusqlite::ErrorCode::SystemIoFailure
                    | rusqlite::ErrorCode::DatabaseBusy
                    | rusqlite::ErrorCode::DatabaseLocked
                    | rusqlite::ErrorCode::CannotOpen
            );
        }
        src = s.source();
    }
    false
}

pub(crate) struct WriterThread {
    conn: Connection,
    rx: mpsc::Receiver<Msg>,
    stats: Arc<WriterStats>,
    flush_interval: Duration,
    pending: Pending,
    /// Files to remove once the rows that named them are gone.
    unlink_after_commit: Vec<PathBuf>,
    /// A message taken off the channel while draining ops, handled next.
    held: Option<Msg>,
}

impl WriterThread {
    pub(crate) fn new(
        conn: Connection,
        rx: mpsc::Receiver<Msg>,
        stats: Arc<WriterStats>,
        flush_interval: Duration,
    ) -> Self {
        WriterThread {
            conn,
            rx,
            stats,
            flush_interval,
            pending: Pending::default(),
            unlink_after_commit: vec![],
            held: None,
        }
    }

    pub(crate) fn run(mut self) {
        let mut deadline: Option<Instant> = None;
        loop {
            let msg = match self.held.take() {
                Some(m) => Some(m),
                None => match deadline {
                    Some(d) => {
                        match self
                            .rx
                            .recv_timeout(d.saturating_duration_since(Instant::now()))
                        {
                            Ok(m) => Some(m),
                            Err(RecvTimeoutError::Timeout) => None,
                            Err(RecvTimeoutError::Disconnected) => break,
                        }
                    }
                    None => match self.rx.recv() {
                        Ok(m) => Some(m),
                        Err(_) => break,
                    },
                },
            };
            match msg {
                None => self.flush(),
                Some(Msg::Op(op, then)) => {
                    if self.pending.add(op, then) {
                        // Take whatever else is already queued into the same transaction.
                        self.drain_ops();
                        self.flush();
                    } else if deadline.is_some() {
                        continue;
                    }
                }
                Some(Msg::Call(call)) => {
                    self.flush();
                    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        call(&mut self.conn)
                    }))
                    .is_err()
                    {
                        tracing::error!("a database write panicked; the writer goes on");
                        let _ = self.conn.execute_batch("ROLLBACK");
                    }
                }
                Some(Msg::Flush(done)) => {
                    self.drain_ops();
                    self.flush();
                    let _ = done.send(());
                }
                Some(Msg::Close(done)) => {
                    self.drain_ops();
                    self.flush();
                    let left = self.pending.len();
                    if left > 0 {
                        tracing::error!(
                            ops = left,
                            "database closed with index updates that could not be written; \
                             start-up repair will re-index those segments from their files"
                        );
                    }
                    let _ = done.send(close(self.conn));
                    return;
                }
            }
            // A batch waits at most one interval; one that failed is retried after it.
            deadline = (!self.pending.is_empty()).then(|| Instant::now() + self.flush_interval);
        }
        // Every handle is gone without a close: commit what is pending.
        self.flush();
    }

    /// Move ops already in the channel into the pending batch, stopping at anything else (held
    /// for the loop: it must run after them).
    fn drain_ops(&mut self) {
        if self.held.is_some() {
            return;
        }
        while let Ok(m) = self.rx.try_recv() {
            match m {
                Msg::Op(op, then) => {
                    self.pending.add(op, then);
                }
                other => {
                    self.held = Some(other);
                    return;
                }
            }
        }
    }

    /// Commit the pending batch in one transaction; on failure, op by op.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let (ops, then) = std::mem::take(&mut self.pending).into_ops();
        let started = Instant::now();
        match self.commit(&ops) {
            Ok(()) => {
                self.stats
                    .written
                    .fetch_add(ops.len() as u64, Ordering::Relaxed);
                self.stats.batches.fetch_add(1, Ordering::Relaxed);
                self.after_commit(&ops);
            }
            Err(e) => {
                self.stats.failed_batches.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(error = %e, ops = ops.len(), "index batch failed; retrying op by op");
                for op in ops {
                    match self.commit(std::slice::from_ref(&op)) {
                        Ok(()) => {
                            self.stats.written.fetch_add(1, Ordering::Relaxed);
                            self.after_commit(std::slice::from_ref(&op));
                        }
                        Err(e) if is_transient(&e) => {
                            self.pending.add(op, None);
                        }
                        Err(e) => {
                            self.stats.dropped.fetch_add(1, Ordering::Relaxed);
                            tracing::error!(error = %e, ?op, "index update dropped");
                        }
                    }
                }
            }
        }
        // Announce the batch, also when an op in it waits for a retry: the announcement is about
        // the recording (its file is on disk), which holds either way.
        for f in then {
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).is_err() {
                tracing::error!("a commit callback panicked");
            }
        }
        self.stats
            .pending_retry
            .store(self.pending.len() as u64, Ordering::Relaxed);
        let us = started.elapsed().as_micros() as u64;
        self.stats.max_batch_us.fetch_max(us, Ordering::Relaxed);
    }

    fn commit(&mut self, ops: &[WriteOp]) -> Result<()> {
        let tx = self
            .conn
            .transaction()
            .map_err(|e| err!(Internal, "beginning a batch").with_source(e))?;
        for op in ops {
            apply(&tx, op)?;
        }
        tx.commit()
            .map_err(|e| err!(Internal, "committing a batch").with_source(e))
    }

    fn after_commit(&mut self, ops: &[WriteOp]) {
        for op in ops {
            if let WriteOp::RecordingAbandoned { file, .. } = op {
                self.unlink_after_commit.push(file.clone());
            }
        }
        for f in self.unlink_after_commit.drain(..) {
            match std::fs::remove_file(&f) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(path = %f.display(), error = %e, "could not remove a file")
                }
            }
        }
    }
}

/// Checkpoint the WAL into the main file and close the connection.
fn close(conn: Connection) -> Result<()> {
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .map_err(|e| err!(Internal, "checkpointing WAL").with_source(e))?;
    conn.close()
        .map_err(|(_, e)| err!(Internal, "closing database").with_source(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Database, DbOptions};
    use std::time::Duration;

    fn db(flush: Duration) -> (tempfile::TempDir, Database) {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open_with(
            &dir.path().join("v.db"),
            DbOptions {
                readers: 2,
                flush_interval: flush,
            },
        )
        .unwrap();
        db.write_blocking(|c| {
            c.execute(
                "INSERT INTO camera (id, name, source_kind, source_json, created_at_ms, updated_at_ms) \
                 VALUES (1, 'c', 'file', '{}', 0, 0)",
                [],
            )
            .map_err(crate::sql_err("camera"))
        })
        .unwrap();
        (dir, db)
    }

    fn row(db: &Database, camera_id: i64, start_ms: i64) -> RecordingRow {
        RecordingRow {
            id: db.next_recording_id(),
            camera_id,
            root: "hot".into(),
            path: format!("{camera_id}/{start_ms}.mp4"),
            tier: "hot".into(),
            state: "recording".into(),
            start_ms,
            end_ms: start_ms,
            codec: "h264".into(),
            ..RecordingRow::default()
        }
    }

    fn progress(id: i64, end_ms: i64, state: &str) -> Progress {
        Progress {
            id,
            state: state.into(),
            end_ms,
            bytes: end_ms,
            ..Progress::default()
        }
    }

    fn stored(db: &Database, id: i64) -> Option<RecordingRow> {
        db.read_blocking(move |c| recordings::get(c, id)).unwrap()
    }

    #[test]
    fn progress_is_batched_and_a_closed_segment_committed_at_once() {
        let (_d, db) = db(Duration::from_secs(600));
        let r = row(&db, 1, 1_000);
        let id = r.id;
        let (tx, rx) = mpsc::channel();
        db.writer()
            .send_then(WriteOp::RecordingStarted(r), move || {
                let _ = tx.send(());
            });
        rx.recv_timeout(Duration::from_secs(10)).unwrap();
        assert_eq!(stored(&db, id).unwrap().state, "recording");
        let batches = db.writer_stats().batches.load(Ordering::Relaxed);
        for end in 1..=5 {
            db.writer().send(WriteOp::RecordingProgress(progress(
                id,
                1_000 + end,
                "recording",
            )));
        }
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(
            stored(&db, id).unwrap().end_ms,
            1_000,
            "progress waits for the batch"
        );
        let (tx, rx) = mpsc::channel();
        db.writer().send_then(
            WriteOp::RecordingProgress(progress(id, 1_010, "complete")),
            move || {
                let _ = tx.send(());
            },
        );
        rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let r = stored(&db, id).unwrap();
        assert_eq!((r.state.as_str(), r.end_ms), ("complete", 1_010));
        assert_eq!(
            db.writer_stats().batches.load(Ordering::Relaxed),
            batches + 1,
            "six progress reports, one transaction"
        );
    }

    #[test]
    fn an_op_that_can_never_be_written_is_dropped_and_the_rest_commit() {
        let (_d, db) = db(Duration::from_secs(600));
        let good = row(&db, 1, 1_000);
        let orphan = row(&db, 99, 1_000); // no camera 99: a foreign key violation
        let (gid, oid) = (good.id, orphan.id);
        db.writer().send(WriteOp::RecordingStarted(orphan));
        db.writer().send(WriteOp::RecordingStarted(good));
        db.writer().send(WriteOp::RecordingProgress(progress(
            gid,
            1_005,
            "recording",
        )));
        db.flush_blocking().unwrap();
        assert_eq!(stored(&db, gid).unwrap().end_ms, 1_005);
        assert!(stored(&db, oid).is_none());
        assert_eq!(db.writer_stats().dropped.load(Ordering::Relaxed), 1);
        assert!(db.writer_stats().failed_batches.load(Ordering::Relaxed) >= 1);
        assert_eq!(db.writer_stats().pending_retry.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn an_abandoned_segment_loses_its_row_then_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let (_d, db) = db(Duration::from_secs(600));
        let r = row(&db, 1, 1_000);
        let id = r.id;
        let file = dir.path().join("seg.mp4");
        std::fs::write(&file, b"partial").unwrap();
        db.writer().send(WriteOp::RecordingStarted(r));
        db.writer().send(WriteOp::RecordingAbandoned {
            id,
            file: file.clone(),
        });
        db.flush_blocking().unwrap();
        assert!(stored(&db, id).is_none());
        assert!(!file.exists());
    }

    #[test]
    fn senders_never_wait_for_a_slow_write_or_a_long_read() {
        let (_d, db) = db(Duration::from_millis(50));
        // A reader holding a transaction open the whole time, on its own connection.
        let reader = Connection::open(db.path()).unwrap();
        reader
            .execute_batch("BEGIN; SELECT count(*) FROM recording;")
            .unwrap();
        // A write that takes the writer thread for two seconds.
        let (tx, rx) = mpsc::channel();
        db.write_detached(move |_| {
            std::thread::sleep(Duration::from_secs(2));
            let _ = tx.send(());
        });
        let mut ids = vec![];
        for i in 0..1_000 {
            let r = row(&db, 1, i * 10);
            ids.push(r.id);
            db.writer().send(WriteOp::RecordingStarted(r));
        }
        assert!(
            rx.try_recv().is_err(),
            "sending 1,000 ops waited for the slow write"
        );
        rx.recv_timeout(Duration::from_secs(10)).unwrap();
        db.flush_blocking().unwrap();
        let n: i64 = db
            .read_blocking(|c| {
                c.query_row("SELECT count(*) FROM recording", [], |r| r.get(0))
                    .map_err(crate::sql_err("count"))
            })
            .unwrap();
        assert_eq!(
            n, 1_000,
            "every op committed while the old reader stayed open"
        );
        reader.execute_batch("COMMIT").unwrap();
        assert_eq!(db.writer_stats().dropped.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn close_commits_what_is_pending() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v.db");
        let db = Database::open_with(
            &path,
            DbOptions {
                readers: 1,
                flush_interval: Duration::from_secs(600),
            },
        )
        .unwrap();
        db.write_blocking(|c| {
            c.execute(
                "INSERT INTO camera (id, name, source_kind, source_json, created_at_ms, updated_at_ms) \
                 VALUES (1, 'c', 'file', '{}', 0, 0)",
                [],
            )
            .map_err(crate::sql_err("camera"))
        })
        .unwrap();
        let r = row(&db, 1, 1_000);
        let id = r.id;
        // Committed at once (a start), then progress that only a batch or a close writes.
        db.writer().send(WriteOp::RecordingStarted(r));
        db.writer()
            .send(WriteOp::RecordingProgress(progress(id, 2_000, "recording")));
        db.close().unwrap();
        let db = Database::open(&path).unwrap();
        assert_eq!(stored(&db, id).unwrap().end_ms, 2_000);
        assert!(db.next_recording_id() > id, "ids are never reused");
    }
}
