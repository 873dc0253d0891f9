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

#[cfg(test)]
mod tests {
    use super::*;

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
