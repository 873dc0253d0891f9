//! Files only the user may read (tokens, keys, runtime.json), written so a crash leaves either the
//! old file or the new one, never a torn or world-readable one.

use std::fs;
use std::io::Write;
use std::path::Path;

use crate::{ErrorKind, Result, ResultExt};

/// Write `bytes` to `path` atomically (temp file, fsync, rename, fsync dir), mode 0600 on Unix.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = dir.join(format!(".{name}.tmp"));
    let ctx = || format!("writing {}", path.display());
    {
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp).err_kind(ErrorKind::Unavailable, ctx)?;
        // A temp file left by an earlier crash may have kept wider permissions.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(fs::Permissions::from_mode(0o600))
                .err_kind(ErrorKind::Unavailable, ctx)?;
        }
        f.write_all(bytes).err_kind(ErrorKind::Unavailable, ctx)?;
        f.sync_all().err_kind(ErrorKind::Unavailable, ctx)?;
    }
    fs::rename(&tmp, path).err_kind(ErrorKind::Unavailable, ctx)?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_atomically_and_privately() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("token");
        write_private(&p, b"one").unwrap();
        write_private(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        assert!(!dir.path().join(".token.tmp").exists());
    }
}
