//! File operations of the mover: a verified copy (SHA-256 of what was read from the source
//! against what reads back from the target after fsync), directory fsync, and tidying of empty
//! per-day directories.
//!
//! Measured decision: one 1 MiB buffer, hashed while copying, then the target read back once —
//! `std::fs::copy` (copy_file_range) would save a copy through user space but then both files must
//! be read again to verify, one read more than this.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

const BUF: usize = 1 << 20;

/// fsync a directory (after a rename or unlink in it). Errors are ignored: some filesystems
/// (network mounts) refuse to open directories for sync, and the data itself is already synced.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// What a verified copy wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub bytes: u64,
    pub sha256: [u8; 32],
}

/// Copy `src` to `dst` (created or truncated), fsync it, read it back and compare hashes. The
/// caller renames `dst` into place afterwards; on error `dst` is removed.
pub fn copy_verified(src: &Path, dst: &Path) -> io::Result<Copied> {
    let r = copy_inner(src, dst);
    if r.is_err() {
        let _ = fs::remove_file(dst);
    }
    r
}

fn copy_inner(src: &Path, dst: &Path) -> io::Result<Copied> {
    let mut input = File::open(src)?;
    let mut out = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(dst)?;
    let mut buf = vec![0u8; BUF];
    let mut hash = Sha256::new();
    let mut bytes = 0u64;
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hash.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        bytes += n as u64;
    }
    out.sync_all()?;
    drop(out);
    let sha256: [u8; 32] = hash.finalize().into();
    let (back_bytes, back) = hash_file(dst)?;
    if back_bytes != bytes || back != sha256 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} reads back {back_bytes} bytes with another hash than the {bytes} written",
                dst.display()
            ),
        ));
    }
    Ok(Copied { bytes, sha256 })
}

/// Length and SHA-256 of a file.
pub fn hash_file(p: &Path) -> io::Result<(u64, [u8; 32])> {
    let mut f = File::open(p)?;
    let mut buf = vec![0u8; BUF];
    let mut hash = Sha256::new();
    let mut bytes = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hash.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((bytes, hash.finalize().into()))
}

/// Remove a file; a file already gone is fine.
pub fn remove_if_present(p: &Path) -> io::Result<()> {
    match fs::remove_file(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Remove the now empty directories between `file`'s parent and `root` (exclusive), fsyncing
/// each parent. Stops at the first directory that is not empty.
pub fn prune_empty_dirs(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) {
            break;
        }
        if fs::remove_dir(d).is_err() {
            break;
        }
        if let Some(p) = d.parent() {
            sync_dir(p);
        }
        dir = d.parent();
    }
}

/// Bytes `[offset, offset + len)` of a file (blocking). A missing file is `RECORDING_MISSING`.
pub fn read_range(path: &Path, offset: u64, len: u64) -> vigil_base::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    use vigil_base::err;
    let mut f = fs::File::open(path)
        .map_err(|e| err!(NotFound, code = RecordingMissing, "{}: {e}", path.display()))?;
    f.seek(SeekFrom::Start(offset))
        .map_err(|e| err!(Unavailable, "seek: {e}"))?;
    let mut buf =
        vec![0u8; usize::try_from(len).map_err(|_| err!(InvalidArgument, "range too large"))?];
    f.read_exact(&mut buf)
        .map_err(|e| err!(Unavailable, "reading {}: {e}", path.display()))?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_and_verifies() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("a.mp4");
        let body: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&src, &body).unwrap();
        let dst = d.path().join("b.part");
        let c = copy_verified(&src, &dst).unwrap();
        assert_eq!(c.bytes, body.len() as u64);
        assert_eq!(fs::read(&dst).unwrap(), body);
        assert_eq!(hash_file(&src).unwrap(), (c.bytes, c.sha256));
        // A missing source leaves no target behind.
        let dst2 = d.path().join("c.part");
        assert!(copy_verified(&d.path().join("nope"), &dst2).is_err());
        assert!(!dst2.exists());
        let nested = d.path().join("1/2026-12-03/10/x.mp4");
        fs::create_dir_all(nested.parent().unwrap()).unwrap();
        fs::write(&nested, b"x").unwrap();
        fs::remove_file(&nested).unwrap();
        prune_empty_dirs(d.path(), &nested);
        assert!(!d.path().join("1").exists());
        assert!(d.path().exists());
    }
}
