//! Backups of the database, the index of every recording: a snapshot each night (`VACUUM INTO`
//! on its own connection, so recorders never wait) kept in `DATA_DIR/backups`, the newest
//! `backup_keep` of them, and copied to the archive tier (`<prefix>/backups/`) when one is
//! configured, so a lost disk does not take the index with it; and, at start-up, a database SQLite cannot read is set aside and the
//! newest good snapshot restored. Recordings made after that snapshot are indexed again from
//! their files by the start-up reconciliation, which (told by the marker file a restore leaves)
//! keeps files of cameras the snapshot does not know instead of deleting them.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use vigil_base::{Clock, ErrorCode, Result, err};
use vigil_db::Database;
use vigil_db::backup::{self as snap, SnapshotInfo};
use vigil_storage::Storage;

/// A restore leaves this file in the data dir until the next reconciliation has run with it.
pub const RESTORED_MARKER: &str = "restored-from-snapshot";

/// How often a snapshot is due: once a night, in the hour starting at [`BACKUP_HOUR`] local time
/// (a quiet hour at most desks) once the newest is this old; and at any hour once it is
/// [`BACKUP_LATE_MS`] old (the PC was off at night).
pub const BACKUP_EVERY_MS: i64 = 20 * 3_600_000;
pub const BACKUP_LATE_MS: i64 = 26 * 3_600_000;
/// The local hour nightly snapshots are taken in.
pub const BACKUP_HOUR: u32 = 3;

/// The data dir's backups.
pub struct Backups {
    db: Database,
    dir: PathBuf,
    clock: Arc<dyn Clock>,
    keep: usize,
    /// Where snapshots are copied too, when it has an archive tier.
    storage: Option<Storage>,
    /// One snapshot at a time (the nightly one and one asked for).
    busy: Mutex<()>,
}

impl Backups {
    pub fn new(db: Database, data_dir: &Path, clock: Arc<dyn Clock>, keep: usize) -> Backups {
        Backups {
            db,
            dir: backups_dir(data_dir),
            clock,
            keep,
            storage: None,
            busy: Mutex::new(()),
        }
    }

    /// Copy each snapshot to `storage`'s archive tier (when it has one).
    pub fn with_archive(mut self, storage: Storage) -> Backups {
        self.storage = Some(storage);
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Take a snapshot now, check it, and delete the oldest beyond `backup_keep`. Blocking.
    pub fn run_blocking(&self) -> Result<SnapshotInfo> {
        let _one = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        let started = std::time::Instant::now();
        let dest = self.dir.join(snap::snapshot_name(self.clock.now_ms()));
        self.db.snapshot_blocking(&dest)?;
        let info = match snap::verify(&dest) {
            Ok(i) => i,
            Err(e) => {
                let _ = std::fs::remove_file(&dest);
                return Err(e);
            }
        };
        let name = dest
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let going: Vec<String> = (snap::list(&self.dir).into_iter().skip(self.keep.max(1)))
            .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
            .collect();
        let pruned = snap::prune(&self.dir, self.keep.max(1));
        if let Some(st) = &self.storage {
            // A failed copy is logged and the local snapshot stands; the next night tries again.
            match st.archive_copy(&dest, &format!("backups/{name}")) {
                Ok(Some(bytes)) => tracing::info!(bytes, "database snapshot copied to the archive"),
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "database snapshot not copied to the archive"),
            }
            for old in going {
                if let Err(e) = st.archive_remove(&format!("backups/{old}")) {
                    tracing::warn!(error = %e, "an old snapshot was not removed from the archive");
                }
            }
        }
        tracing::info!(
            path = %dest.display(),
            bytes = info.bytes,
            recordings = info.recordings,
            seconds = started.elapsed().as_secs_f64(),
            pruned,
            "database snapshot taken"
        );
        Ok(info)
    }

    /// Whether a snapshot is due now: none yet; or it is the night's hour and the newest is from
    /// an earlier night; or the newest is over a day old whatever the hour.
    pub fn due(&self) -> bool {
        let now = self.clock.now_ms();
        let newest = snap::list(&self.dir).into_iter().next();
        let age = newest
            .and_then(|p| p.file_name().and_then(|n| n.to_str()).and_then(snapshot_ms))
            .map(|at| now - at);
        let night = local_hour(now) == Some(BACKUP_HOUR);
        age.is_none_or(|a| a >= BACKUP_LATE_MS || (night && a >= BACKUP_EVERY_MS))
    }

    /// The snapshots, newest first.
    pub fn list(&self) -> Vec<PathBuf> {
        snap::list(&self.dir)
    }
}

fn local_hour(ms: i64) -> Option<u32> {
    use chrono::{TimeZone, Timelike};
    chrono::Local
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.hour())
}

/// `DATA_DIR/backups`.
pub fn backups_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("backups")
}

/// When a snapshot named `vigil-YYYYMMDD-HHMMSS.db` was taken, epoch ms.
pub fn snapshot_ms(name: &str) -> Option<i64> {
    if !snap::is_snapshot_name(name) {
        return None;
    }
    let d = &name[6..21];
    let t = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &d[0..4],
        &d[4..6],
        &d[6..8],
        &d[9..11],
        &d[11..13],
        &d[13..15]
    );
    vigil_base::parse_instant_ms(&t)
}

/// What start-up did about a damaged database.
#[derive(Clone, Debug)]
pub struct Recovery {
    /// Where the damaged database was kept.
    pub kept_aside: Option<PathBuf>,
    /// The snapshot restored.
    pub restored: SnapshotInfo,
}

/// Open the database at `DATA_DIR/vigil.db`; if SQLite cannot read it, keep it aside
/// (`vigil.db.corrupt-<ms>`) and restore the newest snapshot that passes its checks.
pub fn open_or_recover(data_dir: &Path, now_ms: i64) -> Result<(Database, Option<Recovery>)> {
    let path = data_dir.join("vigil.db");
    match Database::open(&path) {
        Ok(db) => Ok((db, None)),
        Err(e) if e.code() == ErrorCode::DatabaseCorrupt => {
            tracing::error!(error = %e, "the database is damaged: restoring the newest good snapshot");
            let candidates = snap::list(&backups_dir(data_dir));
            let Some(good) = candidates.iter().find_map(|p| match snap::verify(p) {
                Ok(info) => Some(info),
                Err(why) => {
                    tracing::warn!(snapshot = %p.display(), error = %why, "snapshot skipped");
                    None
                }
            }) else {
                return Err(err!(
                    FailedPrecondition,
                    code = DatabaseCorrupt,
                    "{} is damaged and there is no good snapshot in {}: restore a backup with \
                     `vigil restore FILE`, or move the file away to start with an empty database \
                     (recordings of cameras added again are kept on disk)",
                    path.display(),
                    backups_dir(data_dir).display()
                ));
            };
            let kept_aside = snap::set_aside(&path, &format!("corrupt-{now_ms}"))?;
            snap::restore(&good.path, &path, now_ms)?;
            mark_restored(data_dir)?;
            tracing::error!(
                kept_aside = ?kept_aside,
                snapshot = %good.path.display(),
                "database restored from a snapshot; recordings made since are indexed again from their files"
            );
            let db = Database::open(&path)?;
            Ok((
                db,
                Some(Recovery {
                    kept_aside,
                    restored: good,
                }),
            ))
        }
        Err(e) => Err(e),
    }
}

/// `vigil backup FILE`: a snapshot of the data dir's database into `dest` (which must not exist),
/// checked. Safe while Vigil runs: it only reads, and in WAL mode never blocks the server's writer.
pub fn backup_to(data_dir: &Path, dest: &Path) -> Result<SnapshotInfo> {
    let path = data_dir.join("vigil.db");
    if !path.is_file() {
        return Err(err!(NotFound, "no database at {}", path.display()));
    }
    let conn = vigil_db::rusqlite::Connection::open_with_flags(
        &path,
        vigil_db::rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
            | vigil_db::rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| err!(Unavailable, "opening {}", path.display()).with_source(e))?;
    let _ = conn.busy_timeout(std::time::Duration::from_secs(5));
    snap::snapshot(&conn, dest)?;
    snap::verify(dest)
}

/// `vigil restore FILE`: put a checked snapshot in place of the data dir's database while no
/// Vigil runs on it (the data dir's lock is taken; a running server is refused), keeping the
/// current one aside. The next start indexes recordings newer than the snapshot from their files.
/// Returns what was restored and where the old database went.
pub fn restore_offline(
    data_dir: &Path,
    from: &Path,
    now_ms: i64,
) -> Result<(SnapshotInfo, Option<PathBuf>)> {
    let info = snap::verify(from)?;
    let _lock = crate::lock_data_dir(data_dir).map_err(|e| {
        if e.code() == ErrorCode::DataDirInUse {
            err!(
                FailedPrecondition,
                code = DataDirInUse,
                "Vigil is running on {}: stop it first (a running server keeps writing its database)",
                data_dir.display()
            )
        } else {
            e
        }
    })?;
    let kept = snap::restore(from, &data_dir.join("vigil.db"), now_ms)?;
    mark_restored(data_dir)?;
    // Open it once: an older snapshot's schema is brought up to date now, and the restore is in
    // the audit log.
    let db = Database::open(&data_dir.join("vigil.db"))?;
    let audit = vigil_auth::AuditLog::new(db.clone(), Arc::new(vigil_base::SystemClock));
    audit.record(
        vigil_auth::AuditEntry::by_actor(
            "vigil restore",
            vigil_auth::AuditAction::DatabaseRestored,
        )
        .target(from.display().to_string())
        .details(serde_json::json!({
            "kept_aside": kept.as_ref().map(|p| p.display().to_string()),
            "recordings_in_snapshot": info.recordings,
        })),
    );
    db.close()?;
    Ok((info, kept))
}

/// Leave the marker that makes the next reconciliation keep unknown cameras' files.
pub fn mark_restored(data_dir: &Path) -> Result<()> {
    std::fs::write(data_dir.join(RESTORED_MARKER), b"")
        .map_err(|e| err!(Unavailable, "writing the restore marker").with_source(e))
}

/// Whether a restore happened since the last reconciliation.
pub fn was_restored(data_dir: &Path) -> bool {
    data_dir.join(RESTORED_MARKER).exists()
}

/// The reconciliation after a restore has run.
pub fn clear_restored(data_dir: &Path) {
    let _ = std::fs::remove_file(data_dir.join(RESTORED_MARKER));
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_base::SimulatedClock;

    #[test]
    fn nightly_snapshots_are_due_once_a_day_and_the_newest_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("vigil.db")).unwrap();
        // Start at 05:xx local time, so the next night's hour comes 22 hours later.
        let mut t0: i64 = 1_764_861_120_000;
        while local_hour(t0) != Some(5) {
            t0 += 600_000;
        }
        let clock = SimulatedClock::new(t0);
        let b = Backups::new(db.clone(), dir.path(), Arc::new(clock.clone()), 2);
        assert!(b.due(), "the first at once");
        let first = b.run_blocking().unwrap();
        let name = first
            .path
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(snapshot_ms(&name), Some(t0 / 1000 * 1000));
        assert!(!b.due());
        clock.set_ms(t0 + 21 * 3_600_000);
        assert!(!b.due(), "02:xx the next night");
        clock.set_ms(t0 + 22 * 3_600_000);
        assert!(b.due(), "03:xx: the night's snapshot");
        b.run_blocking().unwrap();
        assert!(!b.due());
        clock.advance_ms(BACKUP_LATE_MS);
        assert!(b.due(), "over a day late: whatever the hour");
        let third = b.run_blocking().unwrap();
        let kept = b.list();
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0], third.path);
        assert!(!first.path.exists());
        db.close().unwrap();
    }

    #[test]
    fn a_damaged_database_is_set_aside_and_the_newest_good_snapshot_restored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vigil.db");
        let db = Database::open(&path).unwrap();
        db.write_blocking(|c| {
            c.execute(
                "INSERT INTO camera (name, source_kind, source_json, created_at_ms, updated_at_ms) \
                 VALUES ('Gate', 'file', '{}', 1, 1)",
                [],
            )
            .map_err(|e| err!(Internal, "{e}"))
        })
        .unwrap();
        let clock = SimulatedClock::new(1_764_861_137_000);
        let b = Backups::new(db.clone(), dir.path(), Arc::new(clock.clone()), 3);
        let good = b.run_blocking().unwrap();
        // A newer snapshot that is itself damaged is passed over.
        std::fs::write(
            b.dir().join(snap::snapshot_name(1_764_861_200_000)),
            vec![0u8; 4096],
        )
        .unwrap();
        db.close().unwrap();
        drop(db);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[..16].copy_from_slice(b"garbage garbage!");
        std::fs::write(&path, bytes).unwrap();
        let _ = std::fs::remove_file(dir.path().join("vigil.db-wal"));

        let (db, rec) = open_or_recover(dir.path(), 77).unwrap();
        let rec = rec.expect("recovered");
        assert_eq!(rec.restored.path, good.path);
        let aside = rec.kept_aside.unwrap();
        assert!(aside.ends_with("vigil.db.corrupt-77") && aside.exists());
        let n: i64 = db
            .read_blocking(|c| {
                c.query_row("SELECT count(*) FROM camera", [], |r| r.get(0))
                    .map_err(|e| err!(Internal, "{e}"))
            })
            .unwrap();
        assert_eq!(n, 1);
        assert!(was_restored(dir.path()));
        clear_restored(dir.path());
        assert!(!was_restored(dir.path()));
        db.close().unwrap();

        // With no good snapshot it refuses, saying what to do.
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("vigil.db"), vec![1u8; 4096]).unwrap();
        let e = open_or_recover(other.path(), 1).err().unwrap();
        assert_eq!(e.code(), ErrorCode::DatabaseCorrupt);
        assert!(e.to_string().contains("vigil restore"), "{e}");
    }
}
