//! A small pool of read-only connections for the API, the UI and every other reader. In WAL mode a
//! reader sees the last committed state and never blocks the writer (nor is blocked by it), so a
//! slow query or a long read transaction costs the recorders nothing: they never read through
//! here on their packet path, and the writer thread owns the only write connection.

use std::path::Path;
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use vigil_base::{ErrorKind, Result, ResultExt, bail, err};

pub(crate) struct ReadPool {
    idle: Mutex<PoolState>,
    returned: Condvar,
}

struct PoolState {
    conns: Vec<Connection>,
    /// Connections checked out right now.
    busy: usize,
    closed: bool,
}

/// How long a reader waits for a free connection before the request fails as `Unavailable`
/// (every connection busy this long means something is badly wrong; better an error than a hang).
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(30);

impl ReadPool {
    pub(crate) fn open(path: &Path, size: usize) -> Result<ReadPool> {
        let mut conns = Vec::with_capacity(size);
        for _ in 0..size {
            let c = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX
                    | OpenFlags::SQLITE_OPEN_URI,
            )
            .err_kind(ErrorKind::Unavailable, || {
                format!("opening {} read-only", path.display())
            })?;
            c.execute_batch("PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;")
                .err_kind(ErrorKind::Internal, || "configuring a reader".into())?;
            conns.push(c);
        }
        Ok(ReadPool {
            idle: Mutex::new(PoolState {
                conns,
                busy: 0,
                closed: false,
            }),
            returned: Condvar::new(),
        })
    }

    /// Run `f` on a free connection, waiting for one if all are busy.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.checkout()?;
        // Give the connection back even if `f` panics: a lost connection would shrink the pool
        // for good.
        struct Return<'a>(&'a ReadPool, Option<Connection>);
        impl Drop for Return<'_> {
            fn drop(&mut self) {
                if let Some(c) = self.1.take() {
                    self.0.checkin(c);
                }
            }
        }
        let guard = Return(self, Some(conn));
        let c = guard.1.as_ref().ok_or_else(|| err!(Internal, "reader"))?;
        f(c)
    }

    fn checkout(&self) -> Result<Connection> {
        let mut st = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        let deadline = std::time::Instant::now() + CHECKOUT_TIMEOUT;
        loop {
            if st.closed {
                bail!(Unavailable, "database is closed");
            }
            if let Some(c) = st.conns.pop() {
                st.busy += 1;
                return Ok(c);
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                bail!(
                    Unavailable,
                    "every database reader is busy; try again shortly"
                );
            }
            st = self
                .returned
                .wait_timeout(st, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
    }

    fn checkin(&self, c: Connection) {
        let mut st = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        st.busy = st.busy.saturating_sub(1);
        if st.closed {
            drop(c);
        } else {
            st.conns.push(c);
        }
        drop(st);
        self.returned.notify_all();
    }

    /// Refuse new readers, close the idle connections and wait up to `wait` for busy ones to come
    /// back (a reader still in a transaction would keep the final checkpoint from truncating the
    /// WAL). Returns how many were still busy.
    pub(crate) fn close(&self, wait: Duration) -> usize {
        let mut st = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        st.closed = true;
        st.conns.clear();
        let deadline = std::time::Instant::now() + wait;
        while st.busy > 0 {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            st = self
                .returned
                .wait_timeout(st, left)
                .map(|(g, _)| g)
                .unwrap_or_else(|p| p.into_inner().0);
        }
        self.returned.notify_all();
        st.busy
    }
}
