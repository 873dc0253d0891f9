//! The SQLite database: opening it with the pragmas Vigil relies on, the migration runner, and the
//! typed queries of each table. Engine code never writes SQL of its own.

pub mod alerts;
pub mod audit;
pub mod backup;
pub mod bookmarks;
pub mod cameras;
pub mod channels;
pub mod detections;
pub mod layouts;
pub mod migrate;
mod pool;
pub mod recordings;
pub mod storage;
pub mod tokens;
pub mod users;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::Connection;
use vigil_base::{ErrorKind, Result, ResultExt, bail, err};

pub use rusqlite;
pub use writer::{DbWriter, WriteOp, WriterStats};

use pool::ReadPool;
use writer::{Msg, WriterThread};

/// Settings of [`Database::open_with`].
#[derive(Clone, Debug)]
pub struct DbOptions {
    /// Read-only connections for readers (the API, the UI, detection queries).
    pub readers: usize,
    /// How long recorder progress may wait to be batched (a closed segment, a status change and
    /// every other write are committed at once).
    pub flush_interval: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions {
            readers: 4,
            flush_interval: Duration::from_secs(1),
        }
    }
}

/// A shared handle to the database: one writer thread owning the only write connection (see
/// `writer.rs`) and a pool of read-only WAL connections. Reads never wait for writes and writes
/// never wait for reads; async callers use [`Database::read`] and [`Database::write`], which run
/// off the runtime's worker threads.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    readers: ReadPool,
    writer: DbWriter,
    thread: Mutex<Option<JoinHandle<()>>>,
    closed: AtomicBool,
    /// The next recording id: recorders name their segments without a round trip to SQLite.
    next_recording_id: AtomicI64,
    /// Keeps the file of a private test database (see [`Database::open_in_memory`]).
    _temp: Option<TempDir>,
}

/// A private directory removed on drop (the backing of a test database).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Database {
    /// Open (creating if needed) the database file and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Database> {
        Self::open_with(path, DbOptions::default())
    }

    pub fn open_with(path: &Path, opts: DbOptions) -> Result<Database> {
        Self::init(path, opts, None)
    }

    /// A private database with the current schema (tests). It lives in a temporary file, not in
    /// memory, so its readers and its writer see one database as they do in production.
    pub fn open_in_memory() -> Result<Database> {
        static N: AtomicI64 = AtomicI64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "vigil-db-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).err_kind(ErrorKind::Internal, || {
            format!("creating {}", dir.display())
        })?;
        let temp = TempDir(dir.clone());
        Self::init(&dir.join("test.db"), DbOptions::default(), Some(temp))
    }

    fn init(path: &Path, opts: DbOptions, temp: Option<TempDir>) -> Result<Database> {
        let mut conn = Connection::open(path).err_kind(ErrorKind::Unavailable, || {
            format!("opening {}", path.display())
        })?;
        // A file SQLite cannot read (a damaged header or schema, or not a database) says so
        // with its own code, so start-up can set it aside and restore a snapshot.
        if let Err(e) = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            return Err(if backup::is_corruption(&e) {
                err!(
                    FailedPrecondition,
                    code = DatabaseCorrupt,
                    "{} is damaged or not a database",
                    path.display()
                )
                .with_source(e)
            } else {
                err!(Unavailable, "reading {}", path.display()).with_source(e)
            });
        }
        configure(&conn)?;
        migrate::upgrade(&mut conn, migrate::LATEST_VERSION)?;
        let max_id: i64 = conn
            .query_row("SELECT coalesce(max(id), 0) FROM recording", [], |r| {
                r.get(0)
            })
            .err_kind(ErrorKind::Internal, || "reading recording ids".into())?;
        let readers = ReadPool::open(path, opts.readers.max(1))?;
        let (tx, rx) = mpsc::channel();
        let stats = Arc::new(WriterStats::default());
        let thread = WriterThread::new(conn, rx, stats.clone(), opts.flush_interval);
        let handle = std::thread::Builder::new()
            .name("db-writer".into())
            .spawn(move || thread.run())
            .err_kind(ErrorKind::Internal, || {
                "starting the database writer".into()
            })?;
        Ok(Database {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                readers,
                writer: DbWriter { tx, stats },
                thread: Mutex::new(Some(handle)),
                closed: AtomicBool::new(false),
                next_recording_id: AtomicI64::new(max_id + 1),
                _temp: temp,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Where recorders and supervisors send their index updates (never blocks).
    pub fn writer(&self) -> &DbWriter {
        &self.inner.writer
    }

    pub fn writer_stats(&self) -> &WriterStats {
        &self.inner.writer.stats
    }

    /// A new, never used recording id.
    pub fn next_recording_id(&self) -> i64 {
        self.inner.next_recording_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Run `f` on a read-only connection, here on this thread (blocking threads only).
    /// Write a consistent snapshot of the database to `dest` (see [`backup::snapshot`]) on a
    /// connection of its own: in WAL mode its read transaction never blocks the writer thread, so
    /// every recorder goes on meanwhile (the pool's connections are read-only, and `VACUUM INTO`
    /// needs one that may create a file). Blocking.
    pub fn snapshot_blocking(&self, dest: &Path) -> Result<u64> {
        let conn = Connection::open(&self.inner.path).err_kind(ErrorKind::Unavailable, || {
            format!("opening {}", self.inner.path.display())
        })?;
        conn.busy_timeout(Duration::from_secs(5))
            .err_kind(ErrorKind::Internal, || {
                "configuring the snapshot connection".into()
            })?;
        backup::snapshot(&conn, dest)
    }

    pub fn read_blocking<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.inner.readers.with(f)
    }

    /// Run `f` on a read-only connection on the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.read_blocking(f))
            .await
            .map_err(|e| err!(Internal, "database task failed: {e}"))?
    }

    /// Run `f` on the writer thread (after the batch pending before it) and wait for its answer.
    /// Blocking threads only.
    pub fn write_blocking<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let (tx, rx) = mpsc::channel();
        self.call(Box::new(move |c| {
            let _ = tx.send(f(c));
        }))?;
        rx.recv()
            .map_err(|_| err!(Unavailable, "database is closed"))?
    }

    /// Run `f` on the writer thread and await its answer.
    pub async fn write<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.call(Box::new(move |c| {
            let _ = tx.send(f(c));
        }))?;
        rx.await
            .map_err(|_| err!(Unavailable, "database is closed"))?
    }

    /// Queue `f` for the writer thread without waiting for it (bookkeeping nobody reads back at
    /// once, such as a token's last use). Dropped once the database is closed.
    pub fn write_detached(&self, f: impl FnOnce(&mut Connection) + Send + 'static) {
        let _ = self.call(Box::new(f));
    }

    fn call(&self, f: Box<dyn FnOnce(&mut Connection) + Send>) -> Result<()> {
        if self.inner.closed.load(Ordering::SeqCst) {
            bail!(Unavailable, "database is closed");
        }
        self.inner
            .writer
            .tx
            .send(Msg::Call(f))
            .map_err(|_| err!(Unavailable, "database is closed"))
    }

    /// Commit every op sent so far (tests; shutdown).
    pub fn flush_blocking(&self) -> Result<()> {
        let (tx, rx) = mpsc::channel();
        self.inner
            .writer
            .tx
            .send(Msg::Flush(tx))
            .map_err(|_| err!(Unavailable, "database is closed"))?;
        rx.recv()
            .map_err(|_| err!(Unavailable, "database is closed"))
    }

    /// Commit what is pending, checkpoint the WAL and close every connection; later calls fail
    /// with `Unavailable`. Waits (a bounded time) for reads in progress to finish first.
    pub fn close(&self) -> Result<()> {
        if self.inner.closed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        let busy = self.inner.readers.close(Duration::from_secs(5));
        if busy > 0 {
            tracing::warn!(busy, "closing the database with reads still running");
        }
        let (tx, rx) = mpsc::channel();
        let r = match self.inner.writer.tx.send(Msg::Close(tx)) {
            Ok(()) => rx
                .recv()
                .map_err(|_| err!(Internal, "the database writer stopped"))?,
            Err(_) => Err(err!(Internal, "the database writer stopped")),
        };
        let handle = self
            .inner
            .thread
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(h) = handle {
            let _ = h.join();
        }
        r
    }
}

/// The pragmas every connection needs: WAL for concurrent readers and crash safety, foreign keys
/// enforced, a busy timeout so a second process waits instead of failing at once.
pub fn configure(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;",
    )
    .err_kind(ErrorKind::Internal, || "configuring database".into())
}

/// Map a rusqlite error to an error with context: a full disk under the database stays a typed
/// condition (an `io::ErrorKind::StorageFull` source, `Unavailable`), anything else is internal.
pub(crate) fn sql_err(what: &'static str) -> impl FnOnce(rusqlite::Error) -> vigil_base::Error {
    move |e| {
        if let rusqlite::Error::SqliteFailure(f, _) = &e
            && f.code == rusqlite::ErrorCode::DiskFull
        {
            return err!(Unavailable, "{what}: the disk holding the database is full")
                .with_source(std::io::Error::new(std::io::ErrorKind::StorageFull, e));
        }
        err!(Internal, "{what}").with_source(e)
    }
}

/// A private in-memory connection with the current schema, for the query modules' tests.
#[cfg(test)]
pub(crate) fn test_conn() -> Connection {
    let mut c = Connection::open_in_memory().expect("in-memory db");
    configure(&c).expect("pragmas");
    migrate::upgrade(&mut c, migrate::LATEST_VERSION).expect("schema");
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_sets_pragmas_and_closes() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("v.db")).unwrap();
        let (mode, fk) = db
            .write_blocking(|c| {
                let mode: String = c
                    .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                    .map_err(sql_err("pragma"))?;
                let fk: i64 = c
                    .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                    .map_err(sql_err("pragma"))?;
                Ok((mode, fk))
            })
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        // Readers cannot write.
        let e = db
            .read_blocking(|c| {
                c.execute_batch("CREATE TABLE nope (x)")
                    .map_err(sql_err("create"))
            })
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Internal);
        db.close().unwrap();
        assert_eq!(
            db.read_blocking(|_| Ok(())).err().map(|e| e.kind()),
            Some(ErrorKind::Unavailable)
        );
        assert_eq!(
            db.write_blocking(|_| Ok(())).err().map(|e| e.kind()),
            Some(ErrorKind::Unavailable)
        );
        // Reopening an up-to-date file applies nothing and keeps working.
        let db = Database::open(&dir.path().join("v.db")).unwrap();
        assert_eq!(
            db.read_blocking(migrate::current_version).unwrap(),
            migrate::LATEST_VERSION
        );
    }
}
