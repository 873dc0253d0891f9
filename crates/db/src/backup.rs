//! Snapshots of the database: `VACUUM INTO` a new file (a consistent copy made on a reader, so the
//! writer — and with it every recorder — never waits), written under a temporary name, fsynced and
//! renamed; checks of a snapshot (integrity, schema version) before it is trusted; and the
//! detection of a database SQLite cannot read (a damaged header or pages).
//!
//! Snapshots are named `vigil-YYYYMMDD-HHMMSS.db` (UTC) so their names sort by age.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use vigil_base::{ErrorKind, Result, ResultExt, bail, err};

use crate::migrate;

/// What a snapshot holds, read from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotInfo {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: i64,
    pub cameras: i64,
    pub recordings: i64,
}

/// The file name of a snapshot taken at `at_ms` (UTC).
pub fn snapshot_name(at_ms: i64) -> String {
    let t = vigil_base::format_rfc3339_ms(at_ms);
    // 2026-12-04T15:12:17.000Z → 20261204-151217
    let digits: String = t.chars().filter(char::is_ascii_digit).take(14).collect();
    format!(
        "vigil-{}-{}.db",
        &digits[..8.min(digits.len())],
        &digits[8.min(digits.len())..]
    )
}

/// Whether `name` is a snapshot's file name.
pub fn is_snapshot_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_prefix("vigil-")
        .and_then(|s| s.strip_suffix(".db"))
    else {
        return false;
    };
    let b = stem.as_bytes();
    b.len() == 15
        && b[8] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 8 || c.is_ascii_digit())
}

/// Copy the database `conn` reads into `dest` (which must not exist): `VACUUM INTO` a partial
/// file, fsync it, rename it into place and fsync the directory. Returns its size.
pub fn snapshot(conn: &Connection, dest: &Path) -> Result<u64> {
    if dest.exists() {
        bail!(AlreadyExists, "{} already exists", dest.display());
    }
    let dir = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).err_kind(ErrorKind::Unavailable, || {
        format!("creating {}", dir.display())
    })?;
    let partial = dest.with_extension("db.partial");
    let _ = std::fs::remove_file(&partial);
    let Some(partial_s) = partial.to_str() else {
        bail!(InvalidArgument, "{} is not valid UTF-8", partial.display());
    };
    if let Err(e) = conn.execute("VACUUM INTO ?1", [partial_s]) {
        let _ = std::fs::remove_file(&partial);
        return Err(crate::sql_err("writing the database snapshot")(e));
    }
    let f = std::fs::File::open(&partial).err_kind(ErrorKind::Unavailable, || {
        format!("opening {}", partial.display())
    })?;
    f.sync_all().err_kind(ErrorKind::Unavailable, || {
        format!("syncing {}", partial.display())
    })?;
    let bytes = f.metadata().map(|m| m.len()).unwrap_or(0);
    std::fs::rename(&partial, dest).err_kind(ErrorKind::Unavailable, || {
        format!("renaming to {}", dest.display())
    })?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(bytes)
}

/// Check a snapshot before trusting it: SQLite's full integrity check, a schema this Vigil knows
/// (not newer than its own), and what it holds.
pub fn verify(path: &Path) -> Result<SnapshotInfo> {
    let bytes = std::fs::metadata(path)
        .err_kind(ErrorKind::NotFound, || {
            format!("{} not found", path.display())
        })?
        .len();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| not_a_database(path, e))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(|e| not_a_database(path, e))?;
    if check != "ok" {
        bail!(
            FailedPrecondition,
            code = DatabaseCorrupt,
            "{} is damaged: {check}",
            path.display()
        );
    }
    let version = migrate::current_version(&conn)?;
    if version == 0 {
        bail!(
            InvalidArgument,
            "{} is not a Vigil database",
            path.display()
        );
    }
    if version > migrate::LATEST_VERSION {
        bail!(
            FailedPrecondition,
            "{} was made by a newer Vigil (schema {version}; this one knows up to {})",
            path.display(),
            migrate::LATEST_VERSION
        );
    }
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(|e| {
                err!(
                    InvalidArgument,
                    "{} is not a Vigil database: {e}",
                    path.display()
                )
            })
    };
    Ok(SnapshotInfo {
        path: path.to_path_buf(),
        bytes,
        schema_version: version,
        cameras: count("camera")?,
        recordings: count("recording")?,
    })
}

/// Whether an error opening or reading a database means SQLite cannot read the file (damaged
/// header or pages, or not a database at all) rather than a passing condition.
pub fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

fn not_a_database(path: &Path, e: rusqlite::Error) -> vigil_base::Error {
    if is_corruption(&e) {
        err!(
            FailedPrecondition,
            code = DatabaseCorrupt,
            "{} is damaged or not a database",
            path.display()
        )
        .with_source(e)
    } else {
        err!(Unavailable, "reading {}", path.display()).with_source(e)
    }
}

/// The snapshots in `dir`, newest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_snapshot_name)
        })
        .collect();
    v.sort();
    v.reverse();
    v
}

/// Delete all but the newest `keep` snapshots in `dir` (and partial files left by a crash).
/// Returns how many went.
pub fn prune(dir: &Path, keep: usize) -> usize {
    let mut n = 0;
    for p in list(dir).into_iter().skip(keep) {
        if std::fs::remove_file(&p).is_ok() {
            n += 1;
        }
    }
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if e.file_name()
            .to_str()
            .is_some_and(|n| n.ends_with(".db.partial"))
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
    n
}

/// Put the verified snapshot `from` in place of the database at `db_path`, keeping the current
/// file (if any) beside it as `<db>.before-restore-<ms>`; the old WAL and shared-memory files
/// go, since they belong to the file replaced. The caller holds the data dir's lock. Returns
/// where the old database was kept.
pub fn restore(from: &Path, db_path: &Path, now_ms: i64) -> Result<Option<PathBuf>> {
    verify(from)?;
    let kept = set_aside(db_path, &format!("before-restore-{now_ms}"))?;
    let tmp = db_path.with_extension("db.restoring");
    std::fs::copy(from, &tmp).err_kind(ErrorKind::Unavailable, || {
        format!("copying {}", from.display())
    })?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .err_kind(ErrorKind::Unavailable, || {
            format!("syncing {}", tmp.display())
        })?;
    std::fs::rename(&tmp, db_path).err_kind(ErrorKind::Unavailable, || {
        format!("renaming to {}", db_path.display())
    })?;
    Ok(kept)
}

/// Move the database at `db_path` (with its WAL and shared-memory files) aside as
/// `<db>.<suffix>`; returns the new name, or None if there was no database.
pub fn set_aside(db_path: &Path, suffix: &str) -> Result<Option<PathBuf>> {
    let mut kept = None;
    if db_path.exists() {
        let to = PathBuf::from(format!("{}.{suffix}", db_path.display()));
        std::fs::rename(db_path, &to).err_kind(ErrorKind::Unavailable, || {
            format!("keeping {} aside", db_path.display())
        })?;
        kept = Some(to);
    }
    for ext in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{ext}", db_path.display()));
        if side.exists() {
            match &kept {
                Some(k) => {
                    let _ = std::fs::rename(&side, format!("{}{ext}", k.display()));
                }
                None => {
                    let _ = std::fs::remove_file(&side);
                }
            }
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_snapshot_is_taken_on_a_reader_while_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::Database::open(&dir.path().join("vigil.db")).unwrap();
        db.write_blocking(|c| {
            crate::cameras::tests::insert_camera(c, "Gate");
            Ok(())
        })
        .unwrap();
        let snap = dir.path().join(snapshot_name(5_000));
        db.snapshot_blocking(&snap).unwrap();
        assert_eq!(verify(&snap).unwrap().cameras, 1);
        db.close().unwrap();
        // A damaged header: opening says so with its own code.
        let path = dir.path().join("vigil.db");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[..16].copy_from_slice(b"not a database!!");
        std::fs::write(&path, bytes).unwrap();
        let _ = std::fs::remove_file(dir.path().join("vigil.db-wal"));
        let e = crate::Database::open(&path).err().expect("refused");
        assert_eq!(e.code(), vigil_base::ErrorCode::DatabaseCorrupt, "{e}");
    }

    #[test]
    fn names_sort_by_age_and_are_recognised() {
        let a = snapshot_name(1_764_861_137_000);
        assert_eq!(a, "vigil-20251204-151217.db");
        assert!(is_snapshot_name(&a));
        assert!(snapshot_name(1_764_861_138_000) > a);
        for bad in [
            "vigil.db",
            "vigil-2025.db",
            "vigil-20251204-15121x.db",
            "x-20251204-151217.db",
        ] {
            assert!(!is_snapshot_name(bad), "{bad}");
        }
    }

    #[test]
    fn a_snapshot_is_verified_restored_and_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("vigil.db");
        let mut c = Connection::open(&db).unwrap();
        crate::configure(&c).unwrap();
        migrate::upgrade(&mut c, migrate::LATEST_VERSION).unwrap();
        crate::cameras::tests::insert_camera(&c, "Gate");
        let backups = dir.path().join("backups");
        let snap = backups.join(snapshot_name(1_000));
        let bytes = snapshot(&c, &snap).unwrap();
        assert!(bytes > 0);
        assert!(snapshot(&c, &snap).is_err(), "never overwrites");
        let info = verify(&snap).unwrap();
        assert_eq!((info.cameras, info.recordings), (1, 0));
        assert_eq!(info.schema_version, migrate::LATEST_VERSION);

        // The live database changes; restoring brings the snapshot back and keeps it aside.
        crate::cameras::tests::insert_camera(&c, "Yard");
        drop(c);
        let kept = restore(&snap, &db, 42).unwrap().unwrap();
        assert!(kept.ends_with("vigil.db.before-restore-42"));
        assert_eq!(verify(&db).unwrap().cameras, 1);
        assert_eq!(verify(&kept).unwrap().cameras, 2);

        // A damaged file is refused, as is a newer schema.
        let bad = backups.join(snapshot_name(2_000));
        std::fs::write(&bad, vec![7u8; 8192]).unwrap();
        assert_eq!(
            verify(&bad).unwrap_err().code(),
            vigil_base::ErrorCode::DatabaseCorrupt
        );
        let newer = backups.join(snapshot_name(3_000));
        std::fs::copy(&snap, &newer).unwrap();
        Connection::open(&newer)
            .unwrap()
            .execute(
                "INSERT INTO schema_version VALUES (?1, 0, 'future')",
                [migrate::LATEST_VERSION + 1],
            )
            .unwrap();
        assert!(
            verify(&newer)
                .unwrap_err()
                .to_string()
                .contains("newer Vigil")
        );
        assert!(restore(&newer, &db, 43).is_err());
        assert_eq!(
            verify(&db).unwrap().cameras,
            1,
            "a refused restore changes nothing"
        );

        // Newest first; pruning keeps the newest.
        std::fs::write(backups.join("vigil-x.db.partial"), b"").unwrap();
        assert_eq!(
            list(&backups),
            vec![newer.clone(), bad.clone(), snap.clone()]
        );
        assert_eq!(prune(&backups, 1), 2);
        assert_eq!(list(&backups), vec![newer]);
        assert!(!backups.join("vigil-x.db.partial").exists());
    }
}
