//! The SQLite database: opening it with the pragmas Vigil relies on, the migration runner, and the
//! typed queries of each table. Engine code never writes SQL of its own.

pub mod alerts;
pub mod bookmarks;
pub mod cameras;
pub mod detections;
pub mod layouts;
pub mod migrate;
pub mod recordings;
pub mod tokens;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;
use vigil_base::{ErrorKind, Result, ResultExt, bail, err};

pub use rusqlite;

/// A shared handle to the database. All access goes through one connection guarded by a mutex,
/// which SQLite serialises anyway; async callers use [`Database::run`] to stay off the runtime's
/// worker threads.
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Option<Connection>>,
    path: Option<PathBuf>,
}

impl Database {
    /// Open (creating if needed) the database file and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Database> {
        let conn = Connection::open(path).err_kind(ErrorKind::Unavailable, || {
            format!("opening {}", path.display())
        })?;
        Self::init(conn, Some(path.to_path_buf()))
    }

    /// A private in-memory database with the current schema (tests).
    pub fn open_in_memory() -> Result<Database> {
        let conn = Connection::open_in_memory()
            .err_kind(ErrorKind::Internal, || "opening in-memory db".into())?;
        Self::init(conn, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Database> {
        configure(&conn)?;
        migrate::upgrade(&mut conn, migrate::LATEST_VERSION)?;
        Ok(Database {
            inner: Arc::new(Inner {
                conn: Mutex::new(Some(conn)),
                path,
            }),
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// Lock the connection for synchronous use. Fails once the database is closed.
    pub fn lock(&self) -> Result<DbGuard<'_>> {
        let guard = self
            .inner
            .conn
            .lock()
            .map_err(|_| err!(Internal, "database mutex poisoned"))?;
        if guard.is_none() {
            bail!(Unavailable, "database is closed");
        }
        Ok(DbGuard(guard))
    }

    /// Run `f` with the connection on the blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut g = db.lock()?;
            f(g.conn())
        })
        .await
        .map_err(|e| err!(Internal, "database task failed: {e}"))?
    }

    /// Checkpoint the WAL and close the connection; later calls fail with `Unavailable`.
    /// Waits for any query in progress (it holds the lock) to finish first.
    pub fn close(&self) -> Result<()> {
        let mut guard = self
            .inner
            .conn
            .lock()
            .map_err(|_| err!(Internal, "database mutex poisoned"))?;
        if let Some(conn) = guard.take() {
            conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
                .or_else(|_| conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);"))
                .err_kind(ErrorKind::Internal, || "checkpointing WAL".into())?;
            conn.close()
                .map_err(|(_, e)| err!(Internal, "closing database: {e}"))?;
        }
        Ok(())
    }
}

pub struct DbGuard<'a>(MutexGuard<'a, Option<Connection>>);

impl DbGuard<'_> {
    pub fn conn(&mut self) -> &mut Connection {
        // `lock` refuses to build a guard over a closed connection.
        self.0.as_mut().expect("guard over an open connection")
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

/// Map a rusqlite error to an internal error with context.
pub(crate) fn sql_err(what: &'static str) -> impl FnOnce(rusqlite::Error) -> vigil_base::Error {
    move |e| err!(Internal, "{what}").with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_sets_pragmas_and_closes() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("v.db")).unwrap();
        {
            let mut g = db.lock().unwrap();
            let c = g.conn();
            let mode: String = c
                .query_row("PRAGMA journal_mode", [], |r| r.get(0))
                .unwrap();
            assert_eq!(mode, "wal");
            let fk: i64 = c
                .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
                .unwrap();
            assert_eq!(fk, 1);
        }
        db.close().unwrap();
        assert_eq!(
            db.lock().err().map(|e| e.kind()),
            Some(ErrorKind::Unavailable)
        );
        // Reopening an up-to-date file applies nothing and keeps working.
        let db = Database::open(&dir.path().join("v.db")).unwrap();
        assert_eq!(
            migrate::current_version(db.lock().unwrap().conn()).unwrap(),
            migrate::LATEST_VERSION
        );
    }
}
