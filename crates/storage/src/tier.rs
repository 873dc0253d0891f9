//! Is a tier there? Each tier root holds a small identity file naming the tier and the database it
//! belongs to. A tier the database has initialised before whose identity file is missing (an
//! unmounted NAS leaves an empty mount point) or names another database is **offline**: nothing
//! is written there, nothing is deleted because of it, and moves resume when it is back. A tier
//! seen for the first time is initialised: directory created, identity written and fsynced, and
//! the database told, in that order, so a crash in between only repeats the initialisation.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use vigil_base::{ErrorKind, Result, ResultExt};

/// The identity file's name in a tier root.
pub const IDENTITY_FILE: &str = ".vigil-tier.json";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub tier: String,
    pub database_id: String,
}

/// Why a tier cannot be used right now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Offline {
    /// The directory or its identity file is not there (unmounted, deleted).
    IdentityMissing,
    /// The identity file names another tier or another Vigil database.
    IdentityMismatch { found: Identity },
    /// The directory is there but cannot be read or written.
    Io(String),
}

impl std::fmt::Display for Offline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Offline::IdentityMissing => f.write_str(
                "its identity file is missing (not mounted, or the directory was replaced)",
            ),
            Offline::IdentityMismatch { found } => write!(
                f,
                "it belongs to tier {:?} of another Vigil database ({})",
                found.tier, found.database_id
            ),
            Offline::Io(e) => write!(f, "it cannot be used: {e}"),
        }
    }
}

fn identity_path(dir: &Path) -> PathBuf {
    dir.join(IDENTITY_FILE)
}

/// Read the identity file of `dir`, if any.
pub fn read_identity(dir: &Path) -> std::result::Result<Option<Identity>, Offline> {
    match fs::read(identity_path(dir)) {
        Ok(b) => serde_json::from_slice(&b)
            .map(Some)
            .map_err(|e| Offline::Io(format!("unreadable identity file: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Offline::Io(e.to_string())),
    }
}

/// Check a tier the database initialised before.
pub fn check(dir: &Path, want: &Identity) -> std::result::Result<(), Offline> {
    match read_identity(dir)? {
        None => Err(Offline::IdentityMissing),
        Some(found) if &found != want => Err(Offline::IdentityMismatch { found }),
        Some(_) => Ok(()),
    }
}

/// Initialise a tier seen for the first time: create `dir`, write the identity (fsynced). An
/// identity of another database or tier already there is refused (two installs sharing a NAS
/// folder would delete each other's footage).
pub fn initialise(dir: &Path, id: &Identity) -> Result<()> {
    match read_identity(dir) {
        Ok(Some(found)) if &found == id => return Ok(()),
        Ok(Some(found)) => {
            return Err(vigil_base::err!(
                FailedPrecondition,
                code = StorageTierOffline,
                "{} already holds tier {:?} of another Vigil database ({})",
                dir.display(),
                found.tier,
                found.database_id
            ));
        }
        Ok(None) => {}
        Err(e) => {
            return Err(vigil_base::err!(
                Unavailable,
                code = StorageTierOffline,
                "{}: {e}",
                dir.display()
            ));
        }
    }
    let ctx = || format!("initialising storage tier at {}", dir.display());
    fs::create_dir_all(dir).err_kind(ErrorKind::Unavailable, ctx)?;
    let tmp = dir.join(".vigil-tier.json.tmp");
    {
        let mut f = fs::File::create(&tmp).err_kind(ErrorKind::Unavailable, ctx)?;
        let body = serde_json::to_vec_pretty(id).err_kind(ErrorKind::Internal, ctx)?;
        f.write_all(&body).err_kind(ErrorKind::Unavailable, ctx)?;
        f.sync_all().err_kind(ErrorKind::Unavailable, ctx)?;
    }
    fs::rename(&tmp, identity_path(dir)).err_kind(ErrorKind::Unavailable, ctx)?;
    crate::fsx::sync_dir(dir);
    Ok(())
}

/// Space on the filesystem holding `dir`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Space {
    /// Bytes an unprivileged process may still write.
    pub free: u64,
    pub capacity: u64,
}

pub fn space(dir: &Path) -> std::io::Result<Space> {
    let st = rustix::fs::statvfs(dir).map_err(std::io::Error::from)?;
    Ok(Space {
        free: st.f_bavail.saturating_mul(st.f_frsize),
        capacity: st.f_blocks.saturating_mul(st.f_frsize),
    })
}

/// How long a tier's filesystem may take to answer a check.
pub const CHECK_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

/// Directories whose probe missed its deadline and has not come back: a hung mount holds one
/// stuck thread, not one more per check. (Probes that answer in time are never in this list, so
/// concurrent or back-to-back checks of a healthy tier both run. An earlier version listed every
/// probe in flight and its thread answered *before* leaving the list, so the storage loop's first
/// check, right after `Storage::open`'s, could find the directory "busy" and report a healthy tier
/// offline for 30 s — every read of its footage then failed with 503. It failed recording_e2e
/// about one run in two under load.)
static STUCK: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Run `f` (a filesystem probe of `dir`) on a thread of its own and wait at most `deadline`.
/// `None` if it did not answer in time, or an earlier probe of `dir` missed its deadline and is
/// still waiting. A hung network mount (NFS `hard`, a dead SMB server) then blocks that thread
/// only — never the storage loop, whose free-space checks keep recording alive.
pub fn with_deadline<T: Send + 'static>(
    dir: &Path,
    deadline: std::time::Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    use std::sync::atomic::{AtomicBool, Ordering};
    if vigil_base::sync::lock(&STUCK).iter().any(|d| d == dir) {
        return None;
    }
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let (key, done2) = (dir.to_path_buf(), done.clone());
    std::thread::Builder::new()
        .name("vigil-tier-probe".into())
        .spawn(move || {
            let _ = tx.send(f());
            done2.store(true, Ordering::SeqCst);
            vigil_base::sync::lock(&STUCK).retain(|d| d != &key);
        })
        .ok()?;
    match rx.recv_timeout(deadline) {
        Ok(v) => Some(v),
        Err(_) => {
            // Under the lock, so a probe finishing now either sees the entry and removes it, or
            // has already said it is done and none is added.
            let mut stuck = vigil_base::sync::lock(&STUCK);
            if !done.load(Ordering::SeqCst) && !stuck.iter().any(|d| d == dir) {
                stuck.push(dir.to_path_buf());
            }
            None
        }
    }
}

/// [`check`] and [`space`] of a known tier within [`CHECK_DEADLINE`].
pub fn probe(dir: &Path, want: &Identity) -> (std::result::Result<(), Offline>, Space) {
    let (d, w) = (dir.to_path_buf(), want.clone());
    with_deadline(dir, CHECK_DEADLINE, move || {
        (check(&d, &w), space(&d).unwrap_or_default())
    })
    .unwrap_or_else(|| {
        (
            Err(Offline::Io(format!(
                "its filesystem did not answer within {} s (a hung network mount?)",
                CHECK_DEADLINE.as_secs()
            ))),
            Space::default(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_probe_that_hangs_answers_none_in_time_and_is_not_repeated_while_stuck() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("nas");
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let t0 = std::time::Instant::now();
        let got = with_deadline(&dir, std::time::Duration::from_millis(200), move || {
            let _ = release_rx.recv();
            1
        });
        assert_eq!(got, None);
        assert!(t0.elapsed() < std::time::Duration::from_secs(5));
        // While the first is stuck, no second thread is started for that directory.
        assert_eq!(
            with_deadline(&dir, std::time::Duration::from_secs(5), || 2),
            None
        );
        // Another directory is probed as usual, and two probes of a healthy one at once both run.
        let ok = d.path().join("ok");
        let (a, b) = std::thread::scope(|sc| {
            let h = sc.spawn(|| {
                with_deadline(&ok, std::time::Duration::from_secs(5), || {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    5
                })
            });
            let b = with_deadline(&ok, std::time::Duration::from_secs(5), || 6);
            (h.join().unwrap(), b)
        });
        assert_eq!((a, b), (Some(5), Some(6)));
        // Back to back, each answers (the regression above: the second found the first "busy").
        for i in 0..2_000 {
            assert_eq!(
                with_deadline(&ok, std::time::Duration::from_secs(5), move || i),
                Some(i)
            );
        }
        assert_eq!(
            with_deadline(
                &d.path().join("ssd"),
                std::time::Duration::from_secs(5),
                || 3
            ),
            Some(3)
        );
        // Once the stuck probe returns, the directory is probed again.
        release_tx.send(()).unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            if let Some(v) = with_deadline(&dir, std::time::Duration::from_secs(5), || 4) {
                assert_eq!(v, 4);
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the probe never came back"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    fn id(t: &str, db: &str) -> Identity {
        Identity {
            tier: t.into(),
            database_id: db.into(),
        }
    }

    #[test]
    fn initialised_tiers_are_online_until_their_identity_goes() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("warm");
        assert_eq!(
            check(&root, &id("warm", "A")),
            Err(Offline::IdentityMissing)
        );
        initialise(&root, &id("warm", "A")).unwrap();
        initialise(&root, &id("warm", "A")).unwrap();
        assert_eq!(check(&root, &id("warm", "A")), Ok(()));
        assert!(matches!(
            check(&root, &id("warm", "B")),
            Err(Offline::IdentityMismatch { .. })
        ));
        // Another database's folder is not taken over.
        let e = initialise(&root, &id("warm", "B")).unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::StorageTierOffline);
        fs::remove_file(root.join(IDENTITY_FILE)).unwrap();
        assert_eq!(
            check(&root, &id("warm", "A")),
            Err(Offline::IdentityMissing)
        );
        let s = space(d.path()).unwrap();
        assert!(s.capacity > 0 && s.free <= s.capacity);
    }
}
